// Interface strings of the jobs module (zh, en); i18n.js merges every module's. Field and value
// labels are in labels.json.
export default {
  zh: {
    jobs: '定时任务', jobs_help: '服务进程按计划自动运行这些任务；多个进程共用一个数据库时，每次计划运行只由其中一个进程执行一次。“立即运行”会马上执行一次并记入操作日志。',
    job_name: '任务', job_schedule: '计划', job_next: '下次运行', job_last: '上次运行', job_duration: '耗时',
    job_result: '结果', job_counts: '运行 / 失败', job_counts_text: '{runs} / {fails}', job_last_error: '最近错误',
    job_status_ok: '成功', job_status_failed: '失败', job_status_running: '运行中', job_status_never: '未运行',
    job_never: '从未', job_run_now: '立即运行', job_running: '运行中…', job_show_runs: '运行记录',
    job_runs_of: '运行记录：{name}', job_ran_ok: '{name} 运行成功，耗时 {ms} 毫秒', job_ran_failed: '{name} 运行失败',
    job_no_runs: '尚无运行记录', job_started: '开始时间', job_kind: '方式', job_kind_manual: '手动',
    job_kind_scheduled: '计划', job_detail: '说明', job_owner: '进程', job_every_s: '每 {n} 秒',
    job_every_min: '每 {n} 分钟', job_every_h: '每 {n} 小时', job_daily: '每天 {at}', job_monthly: '每月 {d} 日 {at}',
    job_bad_schedule: '计划设置无效，任务不会自动运行；请运维人员检查该任务的计划设置',
  },
  en: {
    jobs: 'Scheduled jobs',
    jobs_help: 'The server runs these jobs on their schedules; when several processes share one database, each scheduled run happens once, in one of them. "Run now" runs a job at once and writes an audit-log entry.',
    job_name: 'Job', job_schedule: 'Schedule', job_next: 'Next run', job_last: 'Last run',
    job_duration: 'Duration', job_result: 'Result', job_counts: 'Runs / failures',
    job_counts_text: '{runs} / {fails}', job_last_error: 'Last error', job_status_ok: 'OK',
    job_status_failed: 'Failed', job_status_running: 'Running', job_status_never: 'Not run yet',
    job_never: 'Never', job_run_now: 'Run now', job_running: 'Running…', job_show_runs: 'Runs',
    job_runs_of: 'Runs of {name}', job_ran_ok: '{name} ran in {ms} ms', job_ran_failed: '{name} failed',
    job_no_runs: 'No runs yet', job_started: 'Started', job_kind: 'How', job_kind_manual: 'By hand',
    job_kind_scheduled: 'Scheduled', job_detail: 'Detail', job_owner: 'Process', job_every_s: 'every {n} s',
    job_every_min: 'every {n} min', job_every_h: 'every {n} h', job_daily: 'daily at {at}',
    job_monthly: 'monthly on day {d} at {at}',
    job_bad_schedule: 'The schedule setting is invalid: the job does not run by itself; ask the operator to check it',
  },
};
