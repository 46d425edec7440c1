// Periodic jobs (定时任务, admin only): every job the modules declare with its schedule, last
// and next run, duration, result, run and failure counts and last error; "run now" (the server
// queues the run for its scheduler and writes an audit row; the page follows the run from
// queued to running to its result) and a job's recent runs. The figures are the database's, the same whichever process serves the page.
import { get, post } from '../api.js';
import { t, getLang } from '../i18n.js';
import { h, simpleTable, pageHead, sectionHead, btn, busy, toast, fmtTime, spinner, errorBanner } from '../ui.js';

const STATUS_COLOR = { ok: 'green', failed: 'red', running: 'amber', queued: 'grey', never: 'grey' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function statusBadge(status, testid) {
  return h('span', { class: `badge ${STATUS_COLOR[status]}`, 'data-testid': testid }, t(`job_status_${status}`));
}

// "every 600" → 每 10 分钟 / every 10 min; "daily 02:30" → 每天 02:30; "monthly 1 03:00" → 每月 1 日 03:00.
export function scheduleText(s) {
  let m = /^every (\d+)$/.exec(s);
  if (m) {
    const n = Number(m[1]);
    if (n % 3600 === 0) return t('job_every_h', { n: n / 3600 });
    if (n % 60 === 0) return t('job_every_min', { n: n / 60 });
    return t('job_every_s', { n });
  }
  if ((m = /^daily (\d\d:\d\d)$/.exec(s))) return t('job_daily', { at: m[1] });
  if ((m = /^monthly (\d+) (\d\d:\d\d)$/.exec(s))) return t('job_monthly', { d: m[1], at: m[2] });
  return s;
}

// A job's description is "中文 / English" (the server's text): the half of the current language.
const describe = (d) => { const [zh, en] = String(d || '').split(' / '); return getLang() === 'en' && en ? en : zh; };

const ms = (n) => (n === null || n === undefined ? '—' : `${n} ms`);

function runsTable(name, rows) {
  return simpleTable({
    testid: 'job-runs-table',
    empty: t('job_no_runs'),
    columns: [
      { key: 'started_at', label: t('job_started'), cls: 'nowrap', render: (r) => fmtTime(r.started_at || r.requested_at, true) },
      { key: 'kind', label: t('job_kind'), cls: 'nowrap',
        render: (r) => (r.kind === 'manual' ? `${t('job_kind_manual')}（${r.actor}）` : t('job_kind_scheduled')) },
      { key: 'duration_ms', label: t('job_duration'), cls: 'nowrap num', render: (r) => ms(r.duration_ms) },
      { key: 'status', label: t('job_result'), cls: 'nowrap', render: (r) => statusBadge(r.status) },
      { key: 'note', label: t('job_detail'), render: (r) => (r.error ? h('span', { style: { color: 'var(--red)' } }, r.error) : r.note) },
      { key: 'owner', label: t('job_owner'), cls: 'mono muted small' },
    ],
    rows,
  });
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('jobs'));
  const box = h('div', {}, spinner());
  const runsBox = h('div', { 'data-testid': 'job-runs' });
  let shown = ctx.query?.get?.('job') || '';

  async function showRuns(name) {
    shown = name;
    runsBox.replaceChildren(spinner());
    try {
      const rows = (await get(`/api/v1/jobs/${encodeURIComponent(name)}/runs?limit=50`)).items || [];
      runsBox.replaceChildren(sectionHead(t('job_runs_of', { name })), runsTable(name, rows));
    } catch (e) { runsBox.replaceChildren(errorBanner(e)); }
  }

  // The run is queued (202 with its id); the runs list shows it queued, then running, until
  // it ends (or the page is left, or two minutes pass: it goes on without the page).
  async function runNow(job, button) {
    await busy(button, async () => {
      button.textContent = t('job_queued_btn');
      const q = await post(`/api/v1/jobs/${encodeURIComponent(job.name)}/run`, {});
      if (!q.scheduler_here) toast(t('job_queued_elsewhere'));
      for (let i = 0; i < 240 && main.isConnected; i++) {
        await showRuns(job.name);
        const rows = (await get(`/api/v1/jobs/${encodeURIComponent(job.name)}/runs?limit=50`)).items || [];
        const r = rows.find((x) => x.id === q.run_id);
        if (r && r.status === 'running') button.textContent = t('job_running');
        if (r && (r.status === 'ok' || r.status === 'failed')) {
          if (r.status === 'ok') toast(t('job_ran_ok', { name: job.name, ms: r.duration_ms }));
          else toast(`${t('job_ran_failed', { name: job.name })}: ${r.error}`, 'error');
          break;
        }
        await sleep(500);
      }
      await load();
      await showRuns(job.name);
    });
  }

  async function load() {
    try {
      const jobs = (await get('/api/v1/jobs')).items || [];
      box.replaceChildren(simpleTable({
        testid: 'jobs-table',
        columns: [
          { key: 'name', label: t('job_name'), render: (j) => [h('div', { class: 'mono' }, j.name), h('div', { class: 'muted small', title: j.description }, describe(j.description))] },
          { key: 'schedule', label: t('job_schedule'), cls: 'nowrap', render: (j) => (j.schedule_valid ? h('span', { title: j.schedule }, scheduleText(j.schedule))
            : h('span', { style: { color: 'var(--red)' }, title: t('job_bad_schedule') }, `${j.schedule} ⚠`)) },
          { key: 'next_run_at', label: t('job_next'), cls: 'nowrap', render: (j) => fmtTime(j.next_run_at, true) || '—' },
          { key: 'last_started_at', label: t('job_last'), cls: 'nowrap', render: (j) => fmtTime(j.last_started_at, true) || t('job_never') },
          { key: 'last_duration_ms', label: t('job_duration'), cls: 'nowrap num', render: (j) => ms(j.last_duration_ms) },
          { key: 'last_status', label: t('job_result'), cls: 'nowrap',
            render: (j) => statusBadge(j.running ? 'running' : j.last_status || 'never', `job-status-${j.name}`) },
          { key: 'run_count', label: t('job_counts'), cls: 'nowrap num', render: (j) => h('span', { 'data-testid': `job-counts-${j.name}` },
            t('job_counts_text', { runs: j.run_count, fails: j.fail_count })) },
          { key: 'last_error', label: t('job_last_error'), render: (j) => (j.last_error ? h('span', { class: 'small', style: { color: 'var(--red)' } }, j.last_error) : '') },
          { key: 'act', label: t('actions'), cls: 'actions nowrap', render: (j) => {
            const run = btn(t('job_run_now'), () => runNow(j, run), { small: true, primary: true, testid: `run-${j.name}` });
            return [run, btn(t('job_show_runs'), () => showRuns(j.name), { small: true, testid: `runs-${j.name}` })];
          } },
        ],
        rows: jobs,
      }));
    } catch (e) { box.replaceChildren(errorBanner(e)); }
  }

  main.replaceChildren(pageHead(t('jobs'), btn(t('refresh'), () => load(), { testid: 'jobs-refresh' })),
    h('p', { class: 'muted' }, t('jobs_help')), box, runsBox);
  await load();
  if (shown) showRuns(shown);
}
