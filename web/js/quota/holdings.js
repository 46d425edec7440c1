// 排污权与总量, the staff page: holdings per enterprise and pollutant (searchable, sortable, paged;
// a row opens the firm's rights), a chart of what is held, pledged and in the reserve per
// pollutant, the allocation dialog, and the year's actual emissions against holdings with the
// over-quota warnings.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get, qs } from '../api.js';
import { t, fl } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, sectionHead, dataTable, btn, searchBox, selectEl, watchCharts, legendHeight, errorBanner } from '../ui.js';
import { P, PN, tons, badge, localSource, pollutantOptions } from './common.js';
import { allocateDialog } from './forms.js';

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('qt_nav'));
  let data;
  try { data = await get('/api/v1/quota/holdings'); } catch (e) { main.replaceChildren(pageHead(t('qt_nav')), errorBanner(e)); return; }
  let q = '', pol = '';
  const keep = (r) => (!q || r.enterprise_name.includes(q)) && (!pol || r.pollutant === pol);
  const table = dataTable({
    testid: 'qt-holdings', sort: 'enterprise_name',
    fetch: localSource(async () => data.items, keep),
    onRow: (r) => ctx.navigate(`/quota/enterprises/${r.enterprise_id}`),
    toolbar: [
      searchBox({ placeholder: t('qt_search'), testid: 'qt-search', onSearch: (v) => { q = v.trim(); table.reload(); } }),
      selectEl({ options: [['', t('qt_all')], ...pollutantOptions()], testid: 'qt-filter-pollutant', onChange: (v) => { pol = v; table.reload(); } }),
    ],
    columns: [
      { key: 'enterprise_name', label: t('qt_firm'), sort: 'enterprise_name', primary: true },
      { key: 'region_code', label: t('qt_region'), sort: 'region_code' },
      { key: 'pollutant', label: fl('pollutant', 'quota_lot'), sort: 'pollutant', render: (r) => PN[r.pollutant] },
      { key: 'amount_kg', label: t('qt_held'), sort: 'amount_kg', cls: 'num', render: (r) => tons(r.amount_kg) },
      { key: 'pledged_kg', label: t('qt_pledged'), sort: 'pledged_kg', cls: 'num', render: (r) => tons(r.pledged_kg) },
      { key: 'lots', label: t('qt_lots'), sort: 'lots', cls: 'num' },
      { key: 'valid_to', label: fl('valid_to', 'quota_lot'), sort: 'valid_to', cls: 'nowrap' },
    ],
  });
  const chart = h('div', { class: 'chart', style: { height: '300px' }, 'data-testid': 'qt-chart' });
  const year = String(new Date(Date.now() + 8 * 3600e3).getUTCFullYear());
  const emBox = h('div', { 'data-testid': 'qt-emissions-box' });
  const yearSel = selectEl({ options: [0, 1, 2].map((k) => [String(year - k), String(year - k)]), value: year, testid: 'qt-year',
    onChange: (v) => loadEmissions(v) });
  main.replaceChildren(
    pageHead(t('qt_nav'), can('quota.manage') ? btn(t('qt_allocate'), () => allocateDialog(() => render(ctx)), { primary: true, testid: 'qt-allocate' }) : ''),
    h('section', { class: 'panel' }, sectionHead(t('qt_chart')), chart),
    sectionHead(t('qt_holdings')), data.truncated ? h('p', { class: 'muted small' }, t('qt_truncated')) : '', table.el,
    sectionHead(t('qt_emissions'), yearSel), emBox);
  const sum = (k, p) => data.items.filter((r) => r.pollutant === p).reduce((s, r) => s + r[k], 0) / 1000;
  const names = [t('qt_held'), t('qt_pledged'), t('qt_reserve')];
  const option = (w) => ({
    tooltip: { trigger: 'axis' }, legend: { bottom: 0 }, grid: { top: 30, left: 60, right: 16, bottom: 30 + legendHeight(names, w) },
    xAxis: { type: 'category', data: P.map((p) => PN[p]) }, yAxis: { type: 'value', name: 't/a' },
    series: [
      { name: names[0], type: 'bar', data: P.map((p) => +sum('amount_kg', p).toFixed(3)) },
      { name: names[1], type: 'bar', data: P.map((p) => +sum('pledged_kg', p).toFixed(3)) },
      { name: names[2], type: 'bar', data: P.map((p) => +((data.reserve[p] || 0) / 1000).toFixed(3)) },
    ],
  });
  const c = echarts.init(chart);
  c.setOption(option(chart.clientWidth));
  watchCharts(ctx, [c], (ch) => ch.setOption({ grid: option(chart.clientWidth).grid }));
  loadEmissions(year);

  async function loadEmissions(y) {
    let em;
    try { em = await get(`/api/v1/quota/emissions${qs({ year: y })}`); } catch (e) { emBox.replaceChildren(errorBanner(e)); return; }
    const names2 = new Map(data.items.map((r) => [r.enterprise_id, r.enterprise_name]));
    const rows = em.items.map((r) => ({ ...r, enterprise_name: names2.get(r.enterprise_id) || `#${r.enterprise_id}` }));
    const tbl = dataTable({
      testid: 'qt-emissions', sort: 'state',
      fetch: localSource(async () => rows),
      onRow: (r) => ctx.navigate(`/quota/enterprises/${r.enterprise_id}`),
      columns: [
        { key: 'enterprise_name', label: t('qt_firm'), sort: 'enterprise_name', primary: true },
        { key: 'pollutant', label: fl('pollutant', 'quota_lot'), sort: 'pollutant', render: (r) => PN[r.pollutant] },
        { key: 'actual_kg', label: fl('actual_kg'), sort: 'actual_kg', cls: 'num', render: (r) => tons(r.actual_kg) },
        { key: 'held_kg', label: t('qt_held'), sort: 'held_kg', cls: 'num', render: (r) => tons(r.held_kg) },
        { key: 'points', label: t('qt_points'), render: (r) => r.points.map((p) => p.name).join('、') },
        { key: 'state', label: t('qt_state'), sort: 'state', render: (r) => badge('quota_usage', r.state) },
      ],
    });
    emBox.replaceChildren(h('p', { class: 'muted small', 'data-testid': 'qt-warnings' }, t('qt_warnings', { n: em.warnings })), tbl.el);
  }
}

