// The staff credit overview (信用评价): how many subjects hold each grade, the grades by region and
// the changes of this month as ECharts, the latest changes, and the list of enterprises or
// agencies with their grade (filter by grade, region and name; sort; page). A row opens the
// enterprise's 信用 tab.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get, qs } from '../api.js';
import { t, fl, getLang } from '../i18n.js';
import { regionOptions } from '../codes.js';
import { h, dataTable, selectEl, searchBox, pageHead, simpleTable, watchCharts, errorBanner, spinner, fmtNum } from '../ui.js';
import { gradeBadge, gradeName, gradeColour } from './shared.js';

const ORDER = ['green', 'blue', 'yellow', 'red', 'black', 'A', 'B', 'C', 'D'];
const rank = (g) => { const i = ORDER.indexOf(g); return i < 0 ? 99 : i; };
const FONT = 'system-ui, "Noto Sans CJK SC", sans-serif';

function panel(title, testid, el, cls = '') {
  return h('div', { class: `panel ${cls}` }, h('h3', {}, title), el || h('div', { class: 'chart', 'data-testid': testid, style: { height: '260px' } }));
}

function charts(ov) {
  const grades = [...new Set(ov.by_grade.map((g) => g.grade))].sort((a, b) => rank(a) - rank(b));
  const pie = {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['35%', '62%'], center: ['50%', '45%'], label: { show: false }, data: grades.map((g) => ({ name: gradeName(g), value: ov.by_grade.find((x) => x.grade === g).n,
      itemStyle: { color: gradeColour(g) } })) }],
  };
  const regions = [...new Map(ov.by_region.map((r) => [r.region_code, r.region_name || r.region_code])).entries()];
  const bar = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    // no legend: the colours are the grades, named by the pie beside it and the tooltip
    grid: { left: 10, right: 10, top: 10, bottom: 10, containLabel: true },
    yAxis: { type: 'category', data: regions.map(([, n]) => n), inverse: true, axisLabel: { interval: 0, width: 90, overflow: 'truncate' } },
    xAxis: { type: 'value', minInterval: 1 },
    series: grades.map((g) => ({ name: gradeName(g), type: 'bar', stack: 'all', itemStyle: { color: gradeColour(g) },
      data: regions.map(([code]) => ov.by_region.find((r) => r.region_code === code && r.grade === g)?.n || 0) })),
  };
  let up = 0, down = 0;
  for (const c of ov.changes) { if (rank(c.grade) < rank(c.prev_grade)) up += c.n; else down += c.n; }
  const short = (g) => (getLang() === 'en' ? g : gradeName(g));
  const pairs = ov.changes.map((c) => ({ name: `${short(c.prev_grade)} → ${short(c.grade)}`, value: c.n, itemStyle: { color: gradeColour(c.grade) } }));
  const changes = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 10, right: 20, top: 10, bottom: 10, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: pairs.map((p) => p.name), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [{ type: 'bar', data: pairs }],
  };
  return { pie, bar, changes, up, down };
}

export async function render(ctx) {
  const { main, query, navigate } = ctx;
  ctx.setTitle(t('cr_title'));
  main.replaceChildren(pageHead(t('cr_title')), spinner());
  let ov, regions;
  const kindNow = query.get('kind') === 'agency' ? 'agency' : 'enterprise';
  try {
    [ov, regions] = await Promise.all([get(`/api/v1/credit/overview${qs({ kind: kindNow })}`), regionOptions({ forFilter: true })]);
  } catch (e) {
    main.replaceChildren(pageHead(t('cr_title')), errorBanner(e));
    return;
  }
  if (!ctx.isCurrent()) return;
  const c = charts(ov);
  const graded = ov.by_grade.reduce((s, g) => s + g.n, 0);
  const cards = h('div', { class: 'cards dash-cards', 'data-testid': 'credit-cards' },
    h('div', { class: 'card' }, h('div', { class: 'card-label' }, t('cr_graded')), h('div', { class: 'card-value' }, fmtNum(graded))),
    ...ov.by_grade.slice().sort((a, b) => rank(a.grade) - rank(b.grade)).map((g) => h('div', { class: 'card', 'data-testid': `credit-card-${g.grade}` },
      h('div', { class: 'card-label' }, gradeBadge(g.grade)), h('div', { class: 'card-value' }, fmtNum(g.n)))),
    h('div', { class: 'card' }, h('div', { class: 'card-label' }, `${t('cr_changes')}（${t('cr_month_from', { d: ov.month_start })}）`),
      h('div', { class: 'card-value' }, `↑${c.up} ↓${c.down}`)));
  const recent = simpleTable({
    testid: 'credit-recent',
    empty: t('none'),
    columns: [
      { key: 'since', label: t('cr_since'), cls: 'nowrap' },
      { key: 'name', label: fl('name'), primary: true },
      { key: 'change', label: t('cr_grade'), render: (r) => [gradeBadge(r.prev_grade), ' → ', gradeBadge(r.grade)] },
      { key: 'score', label: t('cr_score'), cls: 'nowrap', render: (r) => `${r.prev_score} → ${r.score}` },
      { key: 'cause', label: t('cr_source'), render: (r) => t(`cr_cause_${r.cause}`) },
    ],
    rows: ov.recent,
    onRow: kindNow === 'enterprise' ? (r) => navigate(`/enterprises/${r.subject_id}?tab=credit`) : undefined,
  });
  const kind = selectEl({ name: 'kind', testid: 'credit-filter-kind', options: [['enterprise', t('cr_enterprises')], ['agency', t('cr_agencies')]], value: kindNow,
    onChange: () => { ctx.setQuery({ kind: kind.value === 'agency' ? 'agency' : '' }); render(ctx); } });
  const grade = selectEl({ name: 'grade', testid: 'credit-filter-grade', placeholder: t('filter_all', { f: t('cr_grade') }), value: query.get('grade') || '',
    options: [...ORDER.filter((g) => (kindNow === 'agency' ? g.length === 1 : g.length > 1)).map((g) => [g, gradeName(g)]), ['none', t('cr_none')]], onChange: () => table.reload() });
  const region = selectEl({ name: 'region', testid: 'credit-filter-region', options: regions, placeholder: t('filter_all', { f: fl('region_code') }), value: query.get('region') || '', onChange: () => table.reload() });
  const q = searchBox({ placeholder: t('cr_search'), width: '220px', onSearch: () => table.reload() });
  const table = dataTable({
    testid: 'credit-list',
    sort: 'score',
    columns: [
      { key: 'name', label: fl('name'), sort: 'name', primary: true },
      { key: 'region_name', label: fl('region_code'), sort: 'region_code', cls: 'nowrap' },
      { key: 'grade', label: t('cr_grade'), sort: 'grade', cls: 'nowrap', render: (r) => gradeBadge(r.grade, null, `grade-${r.id}`) },
      { key: 'score', label: t('cr_score'), sort: 'score', cls: 'nowrap' },
      { key: 'since', label: t('cr_since'), sort: 'since', cls: 'nowrap' },
      { key: 'veto', label: t('cr_veto'), cls: 'nowrap', render: (r) => (r.veto ? h('span', { class: 'badge red' }, t('cr_veto')) : '') },
    ],
    fetch: (p) => get(`/api/v1/credit/subjects${qs(p)}`),
    params: () => ({ kind: kind.value, grade: grade.value, region: region.value, q: q.value.trim() }),
    onRow: (r) => (kind.value === 'enterprise' ? navigate(`/enterprises/${r.id}?tab=credit`) : navigate('/agencies')),
    toolbar: [kind, grade, region, q],
  });
  main.replaceChildren(
    pageHead(t('cr_title'), h('span', { class: 'muted' }, ov.today)),
    cards,
    h('div', { class: 'panels dash-panels' },
      panel(t('cr_by_grade'), 'chart-credit-grades'),
      panel(t('cr_by_region'), 'chart-credit-regions'),
      panel(t('cr_changes'), 'chart-credit-changes'),
      panel(t('cr_recent'), null, recent, 'span3')),
    h('h2', {}, t('cr_list')), table.el);
  const inst = [['chart-credit-grades', c.pie], ['chart-credit-regions', c.bar], ['chart-credit-changes', c.changes]].map(([id, opt]) => {
    const ch = echarts.init(main.querySelector(`[data-testid="${id}"]`), null, { renderer: 'canvas' });
    ch.setOption({ animationDuration: 300, textStyle: { fontFamily: FONT }, ...opt });
    return ch;
  });
  watchCharts(ctx, inst);
  ctx.onLeave(() => inst.forEach((ch) => ch.dispose()));
}
