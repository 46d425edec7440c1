// Casework and the to-do list (待办): the to-do page with its counts, a case page with its
// timeline, clock state, paused spans, the caller's actions and attachments; the navigation
// entry with its badge (the to-do counts: total, overdue in red).
// The to-do counts for the navigation badge (loaded on use: a module.js imports nothing of the
// shell at load time).
const todoBadge = () => import('../api.js').then(({ get }) => get('/api/v1/todo/counts'))
  .then((c) => ({ count: c.total, alert: c.overdue }));

export default {
  name: 'cases',
  routes: [
    { path: '/todo', page: () => import('./todo.js'), perm: 'any' },
    { path: '/cases/:id', page: () => import('./case.js'), perm: 'any' },
  ],
  nav: [
    { group: 'nav_work', path: '/todo', label: 'todo', perm: 'any', icon: 'log', order: 0, badge: todoBadge },
    { group: 'nav_own', who: 'enterprise', path: '/todo', label: 'todo', perm: 'any', icon: 'log', order: -10, badge: todoBadge },
  ],
  perms: {},
  strings: {
    zh: {
      nav_work: '我的工作', todo: '待办', todo_title: '待办事项', todo_total: '待办 {n} 件',
      todo_overdue: '逾期 {n} 件', todo_due_soon: '临期 {n} 件', todo_units: '各单位逾期情况',
      todo_unit: '单位', todo_open: '在办', todo_overdue_col: '逾期', todo_empty: '没有等待您办理的事项',
      todo_title_col: '事项', todo_kind: '类型', todo_state: '状态', todo_due: '办理期限', todo_clock: '计时',
      todo_unit_col: '承办单位', todo_escalated: '已督办', todo_notice: '通知', todo_open_case: '办理',
      case_title: '办件', case_type: '办件类型', case_state: '当前状态', case_enterprise: '企业',
      case_unit: '承办单位', case_opened: '立案时间', case_due: '办理期限', case_limit: '期限',
      case_extended: '已延期', case_paused: '暂停计时', case_paused_total: '累计暂停', case_rule: '期限依据',
      case_escalated: '督办', case_escalated_to: '已于 {t} 督办至 {u}', case_timeline: '办理过程',
      case_actions: '可执行的操作', case_no_actions: '当前没有您可执行的操作', case_attachments: '附件',
      case_no_attachments: '暂无附件', case_pauses: '暂停记录', case_pause_open: '暂停中', case_note: '办理意见',
      case_extension: '延期时长', case_done: '已办理', case_clock_error: '期限无法计算', case_subject: '办件对象',
      case_view_alarm: '查看报警', case_seconds: '秒',
      clock_on_track: '正常', clock_due_soon: '临期', clock_overdue: '逾期', clock_paused: '暂停计时',
      clock_stopped: '计时结束', clock_none: '无期限',
      unit_workdays: '个工作日', unit_days: '日（自然日）', unit_work_hours: '个工作小时', unit_hours: '小时',
      unit_minutes: '分钟', unit_seconds: '秒',
      cstate_open: '待处理', cstate_waiting: '暂停（等待）', cstate_extension_requested: '延期待批',
      cstate_acknowledged: '已确认', cstate_closed: '已办结',
      caction_open: '立案', caction_escalate: '逾期督办', case_time: '时间', case_by: '办理人', case_action: '操作',
      case_done_on_time: '按时办理', case_done_late: '超期办理', case_system: '系统', case_src_rules: '规则集 #{id} 第 {v} 版（报警处置时限）', case_src_setting: '系统设置 case_alarm_limit',
    },
    en: {
      nav_work: 'My work', todo: 'To-do', todo_title: 'To-do list', todo_total: '{n} to do',
      todo_overdue: '{n} overdue', todo_due_soon: '{n} due soon', todo_units: 'Overdue by org unit',
      todo_unit: 'Org unit', todo_open: 'Open', todo_overdue_col: 'Overdue', todo_empty: 'Nothing is waiting on you',
      todo_title_col: 'Item', todo_kind: 'Type', todo_state: 'State', todo_due: 'Deadline', todo_clock: 'Clock',
      todo_unit_col: 'Org unit', todo_escalated: 'Escalated', todo_notice: 'Notice', todo_open_case: 'Handle',
      case_title: 'Case', case_type: 'Case type', case_state: 'State', case_enterprise: 'Enterprise',
      case_unit: 'Org unit', case_opened: 'Opened', case_due: 'Deadline', case_limit: 'Limit',
      case_extended: 'Extended by', case_paused: 'Clock paused', case_paused_total: 'Paused in total', case_rule: 'Limit from',
      case_escalated: 'Escalation', case_escalated_to: 'Escalated to {u} at {t}', case_timeline: 'Timeline',
      case_actions: 'Your actions', case_no_actions: 'No action of yours is possible now', case_attachments: 'Attachments',
      case_no_attachments: 'No attachments', case_pauses: 'Pauses', case_pause_open: 'paused now', case_note: 'Note',
      case_extension: 'Extension', case_done: 'Done', case_clock_error: 'The deadline cannot be computed', case_subject: 'About',
      case_view_alarm: 'View the alarm', case_seconds: 's',
      clock_on_track: 'On track', clock_due_soon: 'Due soon', clock_overdue: 'Overdue', clock_paused: 'Paused',
      clock_stopped: 'Stopped', clock_none: 'No deadline',
      unit_workdays: ' workdays', unit_days: ' calendar days', unit_work_hours: ' working hours', unit_hours: ' hours',
      unit_minutes: ' minutes', unit_seconds: ' seconds',
      cstate_open: 'Open', cstate_waiting: 'Waiting (paused)', cstate_extension_requested: 'Extension requested',
      cstate_acknowledged: 'Acknowledged', cstate_closed: 'Closed',
      caction_open: 'Opened', caction_escalate: 'Escalated (overdue)', case_time: 'Time', case_by: 'By', case_action: 'Action',
      case_done_on_time: 'Done in time', case_done_late: 'Done late', case_system: 'System', case_src_rules: 'Rule set #{id} version {v} (alarm handling deadlines)', case_src_setting: 'Setting case_alarm_limit',
    },
  },
};
