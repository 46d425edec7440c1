// 包联台账: the 十百千 counts per county (a bar chart and a table), then the pairings (tier and
// status filters, search, sort, pages) with each listed firm's open requests (request module);
// admins and leaders add and end pairings.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get, post, qs } from '../api.js';
import { t, fl, enumOptions, label } from '../i18n.js';
import { h, pageHead, sectionHead, dataTable, selectEl, searchBox, simpleTable, btn, confirmDialog, watchCharts, legendHeight } from '../ui.js';
import { can } from '../session.js';
import { badgeOf, formDialog } from './common.js';

function tbqBlock(ctx, d) {
  const chart = h('div', { style: { height: '220px' }, 'data-testid': 'tbq-chart' });
  const table = simpleTable({
    testid: 'tbq-table', cards: false,
    columns: [
      { key: 'county_name', label: t('sv_county') },
      { key: 'shi', label: t('sv_shi'), cls: 'num' },
      { key: 'bai', label: t('sv_bai'), cls: 'num' },
      { key: 'qian', label: t('sv_qian'), cls: 'num' },
    ],
    rows: [...d.items, { county_name: t('sv_total'), ...d.total }],
  });
  requestAnimationFrame(() => {
    if (!chart.isConnected) return;
    const ch = echarts.init(chart, null, { renderer: 'canvas' });
    const names = ['shi', 'bai', 'qian'].map((k) => t(`sv_${k}_s`));
    const bottom = () => legendHeight(names, chart.clientWidth) + 8;
    ch.setOption({
      tooltip: { trigger: 'axis' }, legend: { bottom: 0 },
      grid: { left: 8, right: 8, top: 8, bottom: bottom(), containLabel: true },
      xAxis: { type: 'category', data: d.items.map((c) => c.county_name), axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', minInterval: 1 },
      series: ['shi', 'bai', 'qian'].map((k) => ({ type: 'bar', name: t(`sv_${k}_s`), data: d.items.map((c) => c[k]) })),
    });
    watchCharts(ctx, [ch], (c) => c.setOption({ grid: { bottom: bottom() } }));
  });
  return h('div', { class: 'card', 'data-testid': 'tbq' }, sectionHead(t('sv_tbq')), h('p', { class: 'muted small' }, t('sv_tbq_hint')),
    h('div', { class: 'grid2' }, chart, table));
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('sv_ledger_title'));
  const tbq = await get('/api/v1/service/tbq');
  const tier = selectEl({ name: 'tier', testid: 'filter-tier', placeholder: t('sv_all_tiers'), value: '', options: enumOptions('service_tier'), onChange: () => table.reload() });
  const status = selectEl({ name: 'status', testid: 'filter-status', value: 'active', options: enumOptions('service_pairing_status'), onChange: () => table.reload() });
  let q = '';
  const search = searchBox({ placeholder: t('sv_search'), testid: 'pairing-search', onSearch: (v) => { q = v; table.reload(); } });
  let open = {};
  const table = dataTable({
    testid: 'pairing-table',
    toolbar: [tier, status, search],
    sort: '-id',
    total: true,
    fetch: async (p) => {
      const r = await get(`/api/v1/service/pairings${qs({ tier: tier.value || undefined, status: status.value || undefined, q: q || undefined, ...p })}`);
      const ids = [...new Set(r.items.map((x) => x.enterprise_id))];
      open = ids.length ? (await get(`/api/v1/service/open-requests${qs({ enterprise_ids: ids.join(',') })}`)).items : {};
      return r;
    },
    rowTestid: (r) => `pairing-${r.id}`,
    columns: [
      { key: 'enterprise_name', label: fl('enterprise_name', 'service_pairing'), primary: true, render: (r) => h('a', { href: `#/enterprises/${r.enterprise_id}` }, r.enterprise_name) },
      { key: 'region_name', label: fl('region_code', 'service_pairing') },
      { key: 'user_name', label: fl('user_name', 'service_pairing') },
      { key: 'tier', label: fl('tier', 'service_pairing'), sort: 'tier', render: (r) => label('service_tier', r.tier) },
      { key: 'project_name', label: fl('project_name', 'service_pairing') },
      { key: 'open', label: t('sv_open_requests'), cls: 'num', render: (r) => {
        const o = open[r.enterprise_id];
        return h('span', { 'data-testid': `open-${r.id}`, title: (o?.requests || []).map((x) => x.title).join('\n') }, String(o?.count ?? 0));
      } },
      { key: 'status', label: fl('status', 'service_pairing'), render: (r) => badgeOf('service_pairing_status', r.status) },
      { key: 'act', label: '', render: (r) => (can('service.pair') && r.status === 'active'
        ? btn(t('sv_pair_end'), async () => { if (await confirmDialog(t('sv_pair_end_confirm'))) { await post(`/api/v1/service/pairings/${r.id}/end`); table.refresh(); } }, { small: true, testid: `end-${r.id}` }) : null) },
    ],
  });
  const add = can('service.pair') ? btn(t('sv_pair_add'), () => formDialog({
    title: t('sv_pair_add'), testid: 'pairing-dialog',
    fields: [
      { name: 'user_id', label: fl('user_id', 'service_pairing'), type: 'integer', required: true },
      { name: 'enterprise_id', label: fl('enterprise_id', 'service_pairing'), type: 'integer', required: true },
      { name: 'tier', label: fl('tier', 'service_pairing'), type: 'select', required: true, options: enumOptions('service_tier') },
      { name: 'project_name', label: fl('project_name', 'service_pairing'), maxlength: 200 },
      { name: 'note', label: fl('note', 'service_pairing'), type: 'textarea', span: 2, maxlength: 1000 },
    ],
    submit: (v) => post('/api/v1/service/pairings', v),
    done: () => table.reload(),
  }), { primary: true, testid: 'pairing-add' }) : null;
  main.replaceChildren(pageHead(t('sv_ledger_title'), add), tbqBlock(ctx, tbq), table.el);
}
