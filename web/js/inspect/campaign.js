// 专项行动 page: the plan, the five steps of the 五步工作法 with their counts (targets and
// self-checks returned; tasks and inspected; problems; handed over to towns with a written
// commitment and deadline; verified; published), the step's action for officers, the targets
// with their self-checks and tasks, and the problems with their rectification. The enterprise
// returns its self-check here.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get, post } from '../api.js';
import { t, label } from '../i18n.js';
import { can, role } from '../session.js';
import { h, pageHead, btn, busy, toast, modal, simpleTable, errorBanner, kvGrid, watchCharts, apiMessage, confirmDialog } from '../ui.js';
import { L, statusBadge } from './common.js';

const n = (v, k, tid) => h('div', { class: 'n', 'data-testid': tid }, h('b', {}, String(v ?? 0)), t(k));

function steps(c) {
  const s = c.steps;
  return h('div', { class: 'steps', 'data-testid': 'campaign-steps' },
    h('div', { class: 'card step' }, h('h3', {}, t('insp_step1')), n(s.targets, 'insp_c_targets', 'step-targets'), n(s.selfchecks, 'insp_c_selfchecks', 'step-selfchecks')),
    h('div', { class: 'card step' }, h('h3', {}, t('insp_step2')), n(s.inspected, 'insp_c_inspected', 'step-inspected'), n(s.problems, 'insp_c_problems', 'step-problems')),
    h('div', { class: 'card step' }, h('h3', {}, t('insp_step3')), n(s.handed_over, 'insp_c_handed', 'step-handed')),
    h('div', { class: 'card step' }, h('h3', {}, t('insp_step4')), n(s.verified, 'insp_c_verified', 'step-verified')),
    h('div', { class: 'card step' }, h('h3', {}, t('insp_step5')), n(s.published, 'insp_c_published', 'step-published')));
}

function chart(ctx, c) {
  const el = h('div', { style: { height: '220px' }, 'data-testid': 'campaign-chart' });
  const s = c.steps;
  const keys = [['targets', 'insp_c_targets'], ['selfchecks', 'insp_c_selfchecks'], ['inspected', 'insp_c_inspected'], ['problems', 'insp_c_problems'],
    ['handed_over', 'insp_c_handed'], ['verified', 'insp_c_verified'], ['published', 'insp_c_published']];
  setTimeout(() => {
    const ch = echarts.init(el);
    ch.setOption({ grid: { left: 90, right: 20, top: 10, bottom: 20 }, tooltip: {},
      xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', inverse: true, data: keys.map(([, k]) => t(k)) },
      series: [{ type: 'bar', data: keys.map(([k]) => s[k] || 0), itemStyle: { color: '#2f6fae' } }] });
    watchCharts(ctx, [ch]);
  }, 0);
  return h('div', { class: 'card' }, h('h3', {}, t('insp_chart_steps')), el);
}

function handoverDialog(c, p, done) {
  const com = h('textarea', { rows: 3, maxlength: 2000, 'data-testid': 'handover-commitment' });
  const days = h('input', { type: 'number', min: 1, max: 365, value: 10, 'data-testid': 'handover-workdays' });
  modal({ title: t('insp_handover_title'), testid: 'handover-dialog',
    body: h('div', {}, h('p', {}, `${p.enterprise_name}：${p.description}`),
      h('label', {}, t('insp_selfcheck_note'), com), h('label', {}, t('insp_due'), days)),
    actions: [{ label: t('insp_handover'), primary: true, testid: 'handover-ok', onClick: async () => {
      await post(`/api/v1/inspect/campaigns/${c.id}/handover`, { problem_id: p.id, commitment: com.value, workdays: Number(days.value) });
      toast(t('insp_ordered'));
      done();
    } }] });
}

function selfcheckBox(c, done) {
  const mine = c.targets[0];
  if (!mine) return null;
  if (mine.selfcheck_at) return h('div', { class: 'card', 'data-testid': 'selfcheck-done' }, h('h3', {}, t('insp_selfcheck_done')), h('p', {}, mine.selfcheck_note));
  if (c.status !== 'published') return null;
  const ta = h('textarea', { rows: 4, maxlength: 2000, 'data-testid': 'selfcheck-note' });
  const msg = h('div', { class: 'err' });
  const b = btn(t('insp_selfcheck_submit'), () => busy(b, async () => {
    try { await post(`/api/v1/inspect/campaigns/${c.id}/selfcheck`, { note: ta.value }); toast(t('insp_selfcheck_done')); done(); } catch (e) { msg.textContent = apiMessage(e); }
  }), { primary: true, testid: 'selfcheck-submit' });
  return h('div', { class: 'card' }, h('h3', {}, t('insp_selfcheck')), h('label', {}, t('insp_selfcheck_note'), ta), msg, b);
}

export async function render(ctx) {
  const { main, params } = ctx;
  let c;
  try {
    c = await get(`/api/v1/inspect/campaigns/${params.id}`);
  } catch (e) {
    main.replaceChildren(pageHead(t('insp_campaign')), errorBanner(e));
    return;
  }
  ctx.setTitle(c.title);
  const again = () => render(ctx);
  const own = role() === 'enterprise';
  const officer = !own && can('inspect.campaign');
  const step = (label, path, testid, confirm) => {
    const b = btn(t(label), () => busy(b, async () => {
      if (confirm && !(await confirmDialog(t(confirm)))) return;
      const r = await post(`/api/v1/inspect/campaigns/${c.id}/${path}`, {});
      if (path === 'tasks') toast(t('insp_tasks_made', { n: r.created, w: r.awaiting_approval }));
      again();
    }), { primary: true, testid });
    return b;
  };
  const actions = officer ? h('div', { class: 'actions' },
    c.status === 'draft' ? step('insp_publish_plan', 'publish', 'campaign-publish') : null,
    c.status === 'published' ? step('insp_make_tasks', 'tasks', 'campaign-tasks') : null,
    c.status === 'published' ? step('insp_publish_results', 'results', 'campaign-results', 'insp_results_confirm') : null) : null;
  main.replaceChildren(...[
    pageHead(c.title, h('span', { class: 'badge plain', 'data-testid': 'campaign-status' }, L('campaign_status', c.status))),
    kvGrid([[t('insp_plan'), h('div', { style: { whiteSpace: 'pre-wrap' } }, c.plan)],
      [t('insp_planned'), `${c.visit_from} – ${c.visit_to}`], [t('insp_selfcheck'), c.selfcheck_due]], 'campaign-facts'),
    own ? selfcheckBox(c, again) : null,
    own ? null : h('h2', {}, t('insp_steps')), own ? null : steps(c), actions,
    own ? null : chart(ctx, c),
    h('h2', {}, t('insp_targets')),
    simpleTable({ testid: 'campaign-target-list', rows: c.targets, columns: [
      { label: t('insp_enterprise'), render: (r) => r.enterprise_name },
      { label: t('insp_selfcheck'), render: (r) => (r.selfcheck_at ? r.selfcheck_note : h('span', { class: 'muted' }, t('insp_no_selfcheck'))) },
      { label: t('insp_task'), render: (r) => (r.task_id ? h('a', { href: `#/inspect/tasks/${r.task_id}` }, statusBadge(r.task_status)) : '—') },
      { label: t('insp_c_problems'), render: (r) => String(r.problems ?? 0) },
    ] }),
    own ? null : h('h2', {}, t('insp_problems')),
    own ? null : simpleTable({ testid: 'campaign-problems', rows: c.problems, columns: [
      { label: t('insp_enterprise'), render: (p) => p.enterprise_name },
      { label: t('insp_finding_desc'), render: (p) => p.description },
      { label: t('insp_finding_clause'), render: (p) => p.clause },
      { label: t('insp_problem_status'), render: (p) => label('problem_status', p.status) },
      { label: t('insp_c_handed'), render: (p) => (p.order_id ? `${label('rectify_status', p.order_status)} · ${p.due_on || ''}`
        : officer && c.status === 'published' ? btn(t('insp_handover'), () => handoverDialog(c, p, again), { small: true, testid: `handover-${p.id}` }) : '—') },
    ] })].filter(Boolean));
}
