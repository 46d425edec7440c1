// 服务记录: the totals per officer or org unit over a span (stacked bars by kind, ECharts), then
// the records (kind filter, search, sort, pages); every member of staff records what they gave.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get, post, qs } from '../api.js';
import { t, fl, enumOptions, enumValues, label } from '../i18n.js';
import { h, pageHead, sectionHead, dataTable, selectEl, searchBox, btn, todayISO, watchCharts, legendHeight } from '../ui.js';
import { formDialog } from './common.js';

const KINDS = ['visit', 'training', 'problem_solved', 'consultation'];

function totalsBlock(ctx) {
  const by = selectEl({ name: 'by', testid: 'totals-by', value: 'officer', options: [['officer', t('sv_by_officer')], ['unit', t('sv_by_unit')]], onChange: () => load() });
  const box = h('div', { style: { height: '260px' }, 'data-testid': 'totals-chart' });
  let ch = null;
  let names = [];
  const bottom = () => legendHeight(names, box.clientWidth) + 8;
  const watch = watchCharts(ctx, [], (c) => c.setOption({ grid: { bottom: bottom() } }));
  async function load() {
    const d = await get(`/api/v1/service/records/totals${qs({ by: by.value })}`);
    box.dataset.rows = String(d.items.length);
    if (!ch) { ch = echarts.init(box, null, { renderer: 'canvas' }); watch?.add?.(ch); }
    names = KINDS.map((k) => label('service_record_kind', k));
    ch.setOption({
      tooltip: { trigger: 'axis' }, legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 8, bottom: bottom(), containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: d.items.map((x) => x.name || '—') },
      series: KINDS.map((k) => ({ type: 'bar', stack: 'n', name: names[KINDS.indexOf(k)], data: d.items.map((x) => x[k]) })),
    }, true);
  }
  requestAnimationFrame(() => { if (box.isConnected) load(); });
  return h('div', { class: 'card' }, sectionHead(t('sv_totals'), by), box);
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('sv_records_title'));
  const kind = selectEl({ name: 'kind', testid: 'filter-kind', placeholder: t('sv_all_kinds'), value: '', options: enumOptions('service_record_kind'), onChange: () => table.reload() });
  let q = '';
  const search = searchBox({ placeholder: fl('summary', 'service_record'), testid: 'record-search', onSearch: (v) => { q = v; table.reload(); } });
  const table = dataTable({
    testid: 'record-table',
    toolbar: [kind, search],
    sort: '-occurred_on',
    fetch: (p) => get(`/api/v1/service/records${qs({ kind: kind.value || undefined, q: q || undefined, ...p })}`),
    rowTestid: (r) => `record-${r.id}`,
    columns: [
      { key: 'occurred_on', label: fl('occurred_on', 'service_record'), sort: 'occurred_on', cls: 'nowrap' },
      { key: 'kind', label: fl('kind', 'service_record'), sort: 'kind', render: (r) => label('service_record_kind', r.kind) },
      { key: 'summary', label: fl('summary', 'service_record'), primary: true },
      { key: 'enterprise_name', label: fl('enterprise_id', 'service_record') },
      { key: 'user_name', label: fl('user_id', 'service_record') },
      { key: 'org_unit_name', label: fl('org_unit_id', 'service_record') },
    ],
  });
  const add = btn(t('sv_record_add'), () => formDialog({
    title: t('sv_record_add'), testid: 'record-dialog', values: { kind: 'visit', occurred_on: todayISO() },
    fields: [
      { name: 'kind', label: fl('kind', 'service_record'), type: 'select', required: true, noPlaceholder: true, options: enumValues('service_record_kind').map((k) => [k, label('service_record_kind', k)]) },
      { name: 'occurred_on', label: fl('occurred_on', 'service_record'), type: 'date', required: true },
      { name: 'enterprise_id', label: t('sv_enterprise_id'), type: 'integer', omitEmpty: true },
      { name: 'summary', label: fl('summary', 'service_record'), type: 'textarea', required: true, span: 2, maxlength: 2000 },
    ],
    submit: (v) => post('/api/v1/service/records', v),
    done: () => { table.reload(); render(ctx); },
  }), { primary: true, testid: 'record-add' });
  main.replaceChildren(pageHead(t('sv_records_title'), add), totalsBlock(ctx), table.el);
}
