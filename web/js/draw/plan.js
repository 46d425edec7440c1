// One draw plan: its state and the next step (commit → draw → reveal → publish, for leaders and
// admins), the commitment (seed hash, snapshot and its hash, revealed seed), the pool by
// category and credit grade (ECharts), and the targets with their inspectors, visit days and
// outcomes — recorded here by the drawn inspectors.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get, post, del, qs } from '../api.js';
import { t, label } from '../i18n.js';
import { can, session } from '../session.js';
import { h, pageHead, btn, busy, kvGrid, sectionHead, dataTable, confirmDialog, toast, modal, form, fmtTime, fmtNum, watchCharts, errorBanner } from '../ui.js';
import { catLabel, outcomeLabel, stateBadge, mono, localSource } from './common.js';

const FONT = 'system-ui, "PingFang SC", "Microsoft YaHei", sans-serif';
const GRADES = ['green', 'blue', 'yellow', 'red', 'black', 'A', 'B', 'C', 'D', ''];
const GRADE_COLOR = { green: '#2e9d5b', blue: '#3b73c4', yellow: '#d9a21b', red: '#c8382e', black: '#333', '': '#9aa39f' };

const STEPS = {
  draft: ['commit', 'draw_commit', 'draw_commit_confirm'],
  committed: ['draw', 'draw_do', 'draw_draw_confirm'],
  drawn: ['reveal', 'draw_reveal', 'draw_reveal_confirm'],
  revealed: ['publish', 'draw_publish', 'draw_publish_confirm'],
};

function poolChart(el, items, categories) {
  const cats = categories.length ? categories : [...new Set(items.map((x) => x.category))];
  const grades = GRADES.filter((g) => items.some((x) => x.grade === g));
  const sum = (c, g, pos) => items.filter((x) => x.category === c && x.grade === g && (pos === undefined || x.positive === pos)).reduce((a, x) => a + x.n, 0);
  const ch = echarts.init(el, null, { renderer: 'canvas' });
  ch.setOption({
    animationDuration: 300, textStyle: { fontFamily: FONT },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: cats.map(catLabel) },
    series: [
      ...grades.map((g) => ({ type: 'bar', stack: 'n', name: g ? label('credit_grade', g) : t('draw_grade_none'), itemStyle: { color: GRADE_COLOR[g] || undefined },
        data: cats.map((c) => sum(c, g, 0)) })),
      { type: 'bar', stack: 'n', name: t('draw_pool_positive', { n: items.filter((x) => x.positive).reduce((a, x) => a + x.n, 0) }),
        itemStyle: { color: '#b7c9bf', decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 3], rotation: -0.8 } },
        data: cats.map((c) => items.filter((x) => x.category === c && x.positive).reduce((a, x) => a + x.n, 0)) },
    ],
  });
  return ch;
}

function outcomeDialog(target, done) {
  let m;
  const f = form({
    cols: 1,
    testid: 'outcome-form',
    values: { outcome: 'no_problem', note: '' },
    fields: [
      { name: 'outcome', label: t('draw_outcome'), type: 'select', required: true, noPlaceholder: true, testid: 'outcome-select',
        options: ['no_problem', 'problems_found', 'could_not_inspect'].map((o) => [o, outcomeLabel(o)]) },
      { name: 'note', label: t('draw_note'), type: 'textarea', maxlength: 4000, placeholder: t('draw_note_needed'), testid: 'outcome-note' },
    ],
    submitTestid: 'outcome-save',
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      await post(`/api/v1/draw/targets/${target.id}/outcome`, v);
      m.close();
      toast(t('saved'));
      done();
    },
  });
  m = modal({ title: `${t('draw_record')} · ${target.enterprise_name}`, body: f.el, dismissable: false, testid: 'outcome-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}

function targetsTable(plan, reload) {
  const byTarget = new Map();
  for (const i of plan.inspectors || []) {
    if (!byTarget.has(i.target_id)) byTarget.set(i.target_id, []);
    byTarget.get(i.target_id).push(i);
  }
  const me = session.user?.id;
  return dataTable({
    testid: 'draw-targets',
    sort: 'seq',
    fetch: localSource(async () => plan.targets || []),
    rowTestid: (x) => `target-${x.seq}`,
    columns: [
      { key: 'seq', label: t('draw_seq'), sort: 'seq', cls: 'num' },
      { key: 'enterprise_name', label: t('draw_enterprise'), sort: 'enterprise_name', primary: true,
        render: (x) => h('a', { href: `#/enterprises/${x.enterprise_id}` }, x.enterprise_name) },
      { key: 'category', label: t('draw_category'), sort: 'category', render: (x) => catLabel(x.category) },
      { key: 'weight', label: t('draw_weight'), sort: 'weight', cls: 'num', render: (x) => (x.weight / 1000).toString() },
      { key: 'positive', label: t('draw_positive'), render: (x) => (x.positive ? h('span', { class: 'badge teal' }, '✓') : '') },
      { key: 'visit_date', label: t('draw_visit'), sort: 'visit_date', cls: 'nowrap' },
      { key: 'inspectors', label: t('draw_inspectors'), render: (x) => (byTarget.get(x.id) || []).map((i) => i.display_name).join('、') },
      { key: 'outcome', label: t('draw_outcome'), sort: 'outcome', render: (x) => h('span', { class: `badge ${x.outcome === 'problems_found' ? 'red' : x.outcome ? 'green' : 'grey'}`, 'data-testid': 'target-outcome' }, outcomeLabel(x.outcome)) },
      { key: 'case_id', label: t('draw_case'), render: (x) => {
        const link = x.case_id ? h('a', { href: `#/cases/${x.case_id}` }, `#${x.case_id}`) : '';
        const mine = (byTarget.get(x.id) || []).some((i) => i.user_id === me);
        const rec = !x.outcome && mine && can('draw.outcome') && x.case_state === 'scheduled'
          ? btn(t('draw_record'), () => outcomeDialog(x, reload), { small: true, testid: `record-${x.seq}` }) : null;
        return h('span', {}, link, ' ', rec);
      } },
    ],
  });
}

export async function render(ctx) {
  const { main, params, navigate } = ctx;
  const id = Number(params.id);
  const plan = await get(`/api/v1/draw/plans/${id}`);
  const pool = await get(`/api/v1/draw/pool${qs({ region_prefix: plan.region_prefix || undefined })}`);
  const title = plan.title || `${plan.period} ${t('draw_plan')}`;
  ctx.setTitle(title);
  const reload = () => render(ctx);
  const step = STEPS[plan.state];
  const actions = [];
  if (step && can('draw.plan')) {
    const [path, label, confirm] = step;
    const b = btn(t(label), () => busy(b, async () => {
      if (!(await confirmDialog(t(confirm), { okLabel: t(label) }))) return;
      try {
        await post(`/api/v1/draw/plans/${id}/${path}`, {});
        toast(t('draw_done_step', { s: t(label) }));
        reload();
      } catch (e) { main.prepend(errorBanner(e, 'step-error')); }
    }), { primary: true, testid: `step-${path}` });
    actions.push(b);
  }
  if (plan.state === 'draft' && can('draw.plan')) {
    actions.push(btn(t('draw_delete'), async () => {
      if (!(await confirmDialog(t('draw_delete_confirm'), { danger: true }))) return;
      await del(`/api/v1/draw/plans/${id}`);
      navigate('/draw');
    }, { danger: true, testid: 'plan-delete' }));
  }
  const committed = plan.state !== 'draft';
  const info = kvGrid([
    [t('draw_state'), stateBadge(plan.state)],
    [t('draw_period'), plan.period],
    [t('draw_region'), plan.region_prefix || t('draw_region_all')],
    [t('draw_categories'), (plan.categories || []).map(catLabel).join('、')],
    [t('draw_visit'), `${plan.visit_from} – ${plan.visit_to}`],
    [t('draw_n_pool'), committed ? fmtNum(plan.n_pool) : '—'],
    [t('draw_n_targets'), plan.n_targets ? fmtNum(plan.n_targets) : '—'],
    [t('draw_rule'), plan.rule_set_id ? h('a', { href: `#/admin/rules/${plan.rule_set_id}` }, `draw.ratios v${plan.rule_version}`) : '—'],
    [t('draw_publish_due'), plan.publish_due || '—'],
    [t('draw_created'), `${plan.created_by_name || ''} ${fmtTime(plan.created_at)}`],
  ], 'plan-info');
  const commitBox = committed ? h('div', { class: 'panel', 'data-testid': 'commitment' },
    kvGrid([
      [t('draw_commitment'), h('span', { 'data-testid': 'seed-sha' }, mono(plan.seed_sha256))],
      [t('draw_snapshot_sha'), h('span', { 'data-testid': 'snapshot-sha' }, mono(plan.snapshot_sha256))],
      [t('draw_seed'), plan.seed ? h('span', { 'data-testid': 'seed' }, mono(plan.seed)) : h('span', { class: 'muted' }, t('draw_seed_secret'))],
      [t('draw_snapshot'), h('span', {},
        h('a', { class: 'btn small', href: `/api/v1/draw/plans/${id}/snapshot`, download: `draw-plan-${id}-snapshot.tsv`, 'data-testid': 'snapshot-download' }, t('draw_download')), ' ',
        h('a', { class: 'btn small', href: `#/public/draw?id=${id}`, 'data-testid': 'public-link' }, t('draw_public_page')))],
    ])) : null;
  const chartEl = h('div', { class: 'chart', style: { height: '220px' }, 'data-testid': 'pool-chart' });
  const targetsBox = h('div');
  if (plan.n_targets) {
    targetsBox.append(...[
      plan.targets_hidden_until_visit ? h('p', { class: 'muted small', 'data-testid': 'targets-hidden' }, t('draw_hidden')) : null,
      plan.n_short ? h('p', { class: 'warn small' }, t('draw_short', { n: plan.n_short })) : null,
      targetsTable(plan, reload).el].filter(Boolean));
  } else {
    targetsBox.append(h('p', { class: 'muted' }, t('draw_no_targets')));
  }
  main.replaceChildren(...[
    pageHead(title, ...actions),
    h('p', { class: 'muted small' }, t('draw_step_hint')),
    info,
    commitBox,
    sectionHead(t('draw_pool_chart')),
    chartEl,
    sectionHead(t('draw_targets')),
    targetsBox].filter(Boolean));
  const ch = poolChart(chartEl, pool.items || [], plan.categories || []);
  watchCharts(ctx, [ch]);
  ctx.onLeave(() => ch.dispose());
}
