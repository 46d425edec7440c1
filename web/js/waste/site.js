// A waste site's ledger page (HJ 1259 台账): class and stock against capacity, an ECharts chart of
// the last 12 months per record kind, the batches in store (with how long they have been there),
// the records (kind filter, batch search, sort, pages), its devices and plans. The enterprise
// (and admins) add records, register a smart scale (its token shown once), generate the year's
// plan from the ledger and file it.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get, post, qs } from '../api.js';
import { t, fl, label, enumOptions } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, sectionHead, simpleTable, dataTable, selectEl, searchBox, kvGrid, btn, busy, toast, modal, form,
  secretDialog, watchCharts, legendHeight, errorBanner, daysUntil, fmtTime } from '../ui.js';
import { localPage, tonnes, manifestsTable } from './common.js';

const KINDS = ['generate', 'store_in', 'store_out', 'self_use', 'self_dispose', 'outsource', 'returned'];

function dialog(title, testid, fields, values, submit) {
  let m;
  const f = form({
    cols: 2, fields, values, testid: `${testid}-form`, onCancel: () => m.close(),
    onSubmit: async (v) => { await submit(v); m.close(); },
  });
  m = modal({ title, body: f.el, dismissable: false, wide: true, testid });
  m.el.querySelector('.modal-foot').hidden = true;
}

function recordDialog(ctx, site) {
  const kinds = KINDS.filter((k) => k !== 'outsource' && k !== 'returned');
  dialog(t('hw_add_record'), 'hw-record-dialog', [
    { name: 'kind', label: fl('kind', 'waste_record'), type: 'select', required: true, noPlaceholder: true, testid: 'hw-kind',
      options: kinds.map((k) => [k, label('waste_kind', k)]) },
    { name: 'amount_t', label: fl('amount_t', 'waste_record'), type: 'number', required: true, testid: 'hw-amount' },
    { name: 'waste_code', label: fl('waste_code', 'waste_record'), placeholder: t('hw_code_hint'), maxlength: 16, testid: 'hw-code' },
    { name: 'source_batch', label: fl('source_batch', 'waste_record'), maxlength: 40, testid: 'hw-source' },
    { name: 'container', label: fl('container', 'waste_record'), maxlength: 200 },
    { name: 'note', label: fl('note', 'waste_record'), maxlength: 2000 },
  ], { kind: 'generate' }, async (v) => {
    const body = { ...v, amount_t: Number(v.amount_t) };
    for (const k of ['waste_code', 'source_batch', 'container', 'note']) if (!body[k]) delete body[k];
    if (body.kind === 'generate') delete body.source_batch; else delete body.waste_code;
    const r = await post(`/api/v1/waste/sites/${site.id}/records`, body);
    toast(t('hw_added', { b: r.batch_no }));
    render(ctx);
  });
}

function chartOf(ctx, el, s) {
  const months = [...new Set(s.months.map((m) => m.month))].sort();
  const kinds = ['generate', 'store_in', 'store_out', 'outsource'];
  const names = kinds.map((k) => label('waste_kind', k));
  const chart = echarts.init(el);
  const opts = (w) => ({
    tooltip: { trigger: 'axis' }, legend: { bottom: 0, data: names },
    grid: { top: 30, left: 48, right: 12, bottom: 28 + legendHeight(names, w) },
    xAxis: { type: 'category', data: months.map((m) => m.slice(2)) }, yAxis: { type: 'value', name: t('hw_tonnes') },
    series: kinds.map((k, i) => ({ name: names[i], type: 'bar', data: months.map((m) => {
      const x = s.months.find((r) => r.month === m && r.kind === k);
      return x ? +x.amount_t.toFixed(3) : 0;
    }) })),
  });
  chart.setOption(opts(el.clientWidth || 600));
  watchCharts(ctx, [chart], (c) => c.setOption(opts(c.getDom().clientWidth)));
}

// HJ 1259-2022 7.2: 重点 monthly, 简化 quarterly, every class yearly; the period's sums per code.
function reportPanel(s) {
  const now = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
  const y = Number(now.slice(0, 4)), m = Number(now.slice(5));
  const opts = [];
  if (s.class === 'key') for (let k = m; k >= 1; k--) opts.push(`${y}-${String(k).padStart(2, '0')}`);
  if (s.class === 'simplified') for (let q = Math.ceil(m / 3); q >= 1; q--) opts.push(`${y}-Q${q}`);
  opts.push(String(y), String(y - 1));
  const box = h('div', { 'data-testid': 'hw-report' });
  const show = async (period) => {
    const r = await get(`/api/v1/waste/sites/${s.id}/reports${qs({ period })}`);
    box.replaceChildren(h('p', { class: 'muted small' }, `${r.from} – ${r.to} · ${fl('due_on', 'waste_plan')} ${r.due_on}`),
      simpleTable({
        testid: 'hw-report-table', empty: t('hw_no_records'), rows: [...r.rows, { ...r.total, waste_code: '∑' }],
        columns: [
          { key: 'waste_code', label: fl('waste_code', 'waste_record'), primary: true, cls: 'nowrap' },
          ...['generated_t', 'stored_in_t', 'used_t', 'disposed_t', 'outsourced_t', 'end_store_t'].map((k) => ({
            key: k, label: t(`hw_r_${k}`), cls: 'num', render: (x) => tonnes(x[k]) })),
        ],
      }));
  };
  const sel = selectEl({ name: 'period', testid: 'hw-report-period', options: opts.map((p) => [p, p]), value: opts[0], onChange: () => show(sel.value) });
  show(opts[0]);
  return h('section', { class: 'panel' }, sectionHead(t('hw_report'), sel), box);
}

export async function render(ctx) {
  const { main } = ctx;
  const id = ctx.params.id;
  let s;
  try { s = await get(`/api/v1/waste/sites/${id}`); } catch (e) { main.replaceChildren(pageHead(t('hw_nav')), errorBanner(e)); return; }
  ctx.setTitle(s.name);
  const w = can('waste.write');
  const year = Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));
  const actions = w ? [
    btn(t('hw_add_record'), () => recordDialog(ctx, s), { primary: true, testid: 'hw-add-record' }),
    btn(t('hw_add_device'), () => dialog(t('hw_add_device'), 'hw-device-dialog',
      [{ name: 'name', label: fl('name', 'waste_device'), required: true, maxlength: 60, testid: 'hw-device-name' }], {},
      async (v) => {
        const d = await post(`/api/v1/waste/sites/${s.id}/devices`, v);
        secretDialog(t('hw_token_title'), t('hw_token_help'), d.token, 'hw-token');
      }), { testid: 'hw-add-device' }),
    btn(t('hw_gen_plan', { y: year }), (e) => busy(e.currentTarget, async () => {
      await post(`/api/v1/waste/sites/${s.id}/plans`, { year });
      render(ctx);
    }), { testid: 'hw-gen-plan' }),
  ] : [];
  const chart = h('div', { class: 'chart', style: { height: '300px' }, 'data-testid': 'hw-chart' });
  const over = s.capacity_t > 0 && s.in_store_t > s.capacity_t;
  let q = '';
  const kind = selectEl({ name: 'kind', testid: 'hw-record-kind', placeholder: t('hw_all'), options: KINDS.map((k) => [k, label('waste_kind', k)]), onChange: () => records.reload() });
  const search = searchBox({ placeholder: fl('batch_no', 'waste_record'), testid: 'hw-record-search', onSearch: (v) => { q = v; records.reload(); } });
  let all = null;
  const records = dataTable({
    testid: 'hw-records', toolbar: [kind, search], sort: '-occurred_at', limit: 20,
    fetch: async (p) => {
      all = all || (await get(`/api/v1/waste/sites/${s.id}/records`)).items;
      return localPage(all, p, (r) => (!kind.value || r.kind === kind.value) && (!q || r.batch_no.includes(q) || r.source_batch.includes(q)));
    },
    columns: [
      { key: 'batch_no', label: fl('batch_no', 'waste_record'), sort: 'batch_no', primary: true, cls: 'nowrap' },
      { key: 'kind', label: fl('kind', 'waste_record'), sort: 'kind', render: (r) => label('waste_kind', r.kind) },
      { key: 'source_batch', label: fl('source_batch', 'waste_record'), sort: 'source_batch', cls: 'nowrap' },
      { key: 'waste_code', label: fl('waste_code', 'waste_record'), sort: 'waste_code', cls: 'nowrap' },
      { key: 'amount_t', label: fl('amount_t', 'waste_record'), sort: 'amount_t', cls: 'num', render: (r) => tonnes(r.amount_t) },
      { key: 'occurred_at', label: fl('occurred_at', 'waste_record'), sort: 'occurred_at', cls: 'nowrap' },
    ],
  });
  const plans = simpleTable({
    testid: 'hw-plans', empty: t('hw_no_plans'), rows: s.plans,
    columns: [
      { key: 'year', label: fl('year', 'waste_plan'), primary: true },
      { key: 'class', label: fl('class', 'waste_plan'), render: (p) => label('waste_class', p.class) },
      { key: 'state', label: fl('state', 'waste_plan'), render: (p) => label('waste_plan_state', p.state) },
      { key: 'filing_no', label: fl('filing_no', 'waste_plan'), cls: 'nowrap' },
      { key: 'due_on', label: fl('due_on', 'waste_plan'), cls: 'nowrap' },
      { key: 'act', label: '', render: (p) => h('span', { class: 'nowrap' },
        btn(t('hw_plan_tables'), async () => {
          const full = await get(`/api/v1/waste/plans/${p.id}`);
          const tb = full.tables;
          modal({ title: `${p.year} · ${label('waste_class', p.class)}`, wide: true, testid: 'hw-plan-dialog', body: h('div', {},
            ...Object.entries(tb).filter(([k]) => Array.isArray(tb[k])).map(([k, rows]) => h('div', {}, sectionHead(label('waste_plan_table', k)), simpleTable({
              testid: `hw-plan-${k}`, rows, empty: '—',
              columns: Object.keys(rows[0] || { waste_code: 1 }).filter((c) => c !== 'description').map((c) => ({ key: c, label: label('waste_plan_col', c), render: (r) => (typeof r[c] === 'number' ? tonnes(r[c]) : r[c]) })),
            })))) });
        }, { small: true, testid: `hw-plan-view-${p.id}` }),
        w && p.state === 'draft' ? btn(t('hw_file_plan'), (e) => busy(e.currentTarget, async () => {
          const r = await post(`/api/v1/waste/plans/${p.id}/file`, {});
          toast(t('hw_filed', { n: r.filing_no }));
          render(ctx);
        }), { small: true, primary: true, testid: `hw-plan-file-${p.id}` }) : null) },
    ],
  });
  main.replaceChildren(
    pageHead(s.name, ...actions),
    kvGrid([
      [fl('enterprise_name', 'waste_site'), s.enterprise_name],
      [fl('class', 'waste_site'), h('strong', { 'data-testid': 'hw-class' }, label('waste_class', s.class))],
      [fl('annual_t', 'waste_site'), tonnes(s.annual_t)],
      [fl('in_store_t', 'waste_site'), h('span', { class: over ? 'neg' : '', 'data-testid': 'hw-in-store' }, s.capacity_t > 0 ? t('hw_stock_of', { s: tonnes(s.in_store_t), c: tonnes(s.capacity_t) }) : tonnes(s.in_store_t))],
      [fl('licensed', 'waste_site'), s.licensed ? '✓' : '—'],
      [fl('own_facility', 'waste_site'), s.own_facility ? '✓' : '—'],
    ], 'hw-site-kv'),
    h('p', { class: 'muted small' }, t('hw_class_hint')),
    h('section', { class: 'panel' }, sectionHead(t('hw_chart')), chart),
    sectionHead(t('hw_stock')),
    simpleTable({
      testid: 'hw-batches', empty: t('hw_no_stock'), rows: s.batches,
      columns: [
        { key: 'source_batch', label: fl('source_batch', 'waste_record'), primary: true, cls: 'nowrap' },
        { key: 'waste_code', label: fl('waste_code', 'waste_record'), cls: 'nowrap' },
        { key: 'in_store_t', label: fl('in_store_t', 'waste_site'), cls: 'num', render: (b) => tonnes(b.in_store_t) },
        { key: 'first_in_at', label: fl('first_in_at', 'waste_record'), cls: 'nowrap', render: (b) => {
          const days = -daysUntil(String(b.first_in_at).slice(0, 10));
          return h('span', { class: days > 335 ? 'neg' : '' }, `${String(b.first_in_at).slice(0, 10)} (${days} d)`);
        } },
      ],
    }),
    sectionHead(t('hw_records')), records.el,
    reportPanel(s),
    sectionHead(t('hw_manifests')), manifestsTable(ctx, { site: s.id, testid: 'hw-site-manifests' }).el,
    sectionHead(t('hw_plans')), plans,
    sectionHead(t('hw_devices')),
    simpleTable({
      testid: 'hw-devices', empty: t('hw_no_devices'), rows: s.devices,
      columns: [
        { key: 'name', label: fl('name', 'waste_device'), primary: true },
        { key: 'events', label: t('hw_events'), cls: 'num' },
        { key: 'last_seen_at', label: fl('last_seen_at', 'waste_device'), cls: 'nowrap', render: (d) => (d.last_seen_at ? fmtTime(d.last_seen_at) : '—') },
      ],
    }));
  chartOf(ctx, chart, s);
}
