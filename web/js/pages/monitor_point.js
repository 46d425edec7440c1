// Monitoring point detail (监测点详情): current real-time values against the limit, the trend of
// one factor (real-time / minute / hour / day) drawn with ECharts with the limit line and
// flagged values marked, the point's alarms, and for staff the raw frames of the last hour,
// protocol deviations and the commands sent to the device (with a form to send one).
import * as echarts from '/vendor/echarts.esm.min.js';
import { get, post, qs } from '../api.js';
import { t, label, fl } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, selectEl, simpleTable, fmtTime, errorBanner, toast, form, modal, sectionHead, btn } from '../ui.js';
import { statusBadge, kindBadges } from './monitor_board.js';
import { alarmTable } from './monitor_alarms.js';

const FONT = '"Noto Sans CJK SC", "Noto Sans SC", sans-serif';

export async function render(ctx) {
  const { main, params } = ctx;
  const id = params.id;
  const [point, factors, board] = await Promise.all([get(`/api/v1/points/${id}`), get(`/api/v1/points/${id}/factors`),
    get(`/api/v1/monitor/board?point_id=${encodeURIComponent(id)}`)]);
  if (!ctx.isCurrent()) return; // the user went on while it loaded: leave their page alone
  const st = board.items.find((p) => String(p.id) === String(id));
  ctx.setTitle(point.name);
  const staff = can('staff');
  const head = pageHead(h('span', {}, h('span', { 'data-testid': 'point-name' }, point.name), ' ', st ? statusBadge(st.status) : null,
    st?.alarm_kinds?.length ? kindBadges(st.alarm_kinds) : null));
  const sub = h('div', { class: 'muted sub' }, h('a', { href: `#/enterprises/${point.enterprise_id}` }, point.enterprise_name),
    ` · ${point.outlet_code || ''} · MN ${point.mn} · ${label('protocol', point.protocol)}`,
    st?.last_seen_at ? ` · ${t('last_seen')} ${fmtTime(st.last_seen_at, true)}` : '');

  // Current values
  const latest = simpleTable({
    testid: 'latest-values',
    columns: [
      { key: 'factor', label: t('factor'), render: (r) => `${r.name || r.factor} (${r.factor})` },
      { key: 'kind', label: '', cls: 'muted' },
      { key: 'value', label: t('value'), cls: 'num', render: (r) => h('b', { class: r.limit_value !== null && r.value > r.limit_value ? 'over' : '' }, String(r.value ?? '')) },
      { key: 'unit', label: '', cls: 'muted' },
      { key: 'limit_value', label: t('limit_value'), cls: 'num muted' },
      { key: 'flag', label: 'Flag', cls: 'mono' },
      { key: 'data_time', label: t('last_data'), cls: 'muted nowrap' },
    ],
    rows: factors.latest || [],
    empty: t('no_data_yet'),
  });

  // Trend chart
  const seen = new Map();
  for (const f of factors.items || []) if (!seen.has(f.factor)) seen.set(f.factor, f.name ? `${f.name} (${f.factor})` : f.factor);
  const factorSel = selectEl({ name: 'factor', testid: 'chart-factor', options: [...seen.entries()], onChange: () => drawChart() });
  // The first factor with a limit opens the chart (not the flow, which has none).
  const limited = (factors.latest || []).find((r) => r.limit_value !== null && seen.has(r.factor));
  if (limited) factorSel.value = limited.factor;
  let cn = '2011';
  const cnTabs = h('div', { class: 'seg', 'data-testid': 'chart-cn' }, ['2011', '2051', '2061', '2031'].map((c) => {
    const b = h('button', { type: 'button', class: c === cn ? 'on' : '', 'data-cn': c }, t(`cn_${c}`));
    b.addEventListener('click', () => { cn = c; for (const x of cnTabs.children) x.classList.toggle('on', x === b); drawChart(); });
    return b;
  }));
  const chartEl = h('div', { class: 'chart big', 'data-testid': 'trend-chart' });
  const emptyEl = h('div', { class: 'empty-note', 'data-testid': 'trend-empty', hidden: true }, t('no_data_7d'));
  const chartNote = h('div', { class: 'muted small', 'data-testid': 'chart-note' });
  let chart = null;
  async function drawChart() {
    const factor = factorSel.value;
    if (!factor) { // nothing reported in 7 days: no chart to draw, no factor to choose
      chartEl.hidden = true; factorSel.hidden = true; cnTabs.hidden = true; emptyEl.hidden = false;
      return;
    }
    const s = await get(`/api/v1/points/${id}/series${qs({ factor, cn })}`);
    if (!chart) chart = echarts.init(chartEl, null, { renderer: 'canvas' });
    const limit = (s.limits || []).find((l) => (cn === '2031' ? l.basis === 'day' : cn === '2061' ? l.basis === 'hour' : true)) || (s.limits || [])[0];
    chart.setOption({
      animation: false, textStyle: { fontFamily: FONT },
      title: s.items.length ? { show: false } : { show: true, text: t('no_data_kind'), left: 'center', top: 'middle',
        textStyle: { color: '#8a958f', fontSize: 14, fontWeight: 'normal' } },
      grid: { left: 56, right: 24, top: 32, bottom: 56 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('value'), t('flagged')] },
      xAxis: { type: 'time' },
      // The limit line stays in view when every value is far below it.
      yAxis: { type: 'value', scale: true, name: seen.get(factor), max: limit ? (v) => Math.max(v.max, limit.value * 1.1) : null },
      dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
      series: [
        { name: t('value'), type: 'line', showSymbol: s.items.length < 60, data: s.items.map((p) => [p.t.replace(' ', 'T'), Number(p.avg.toFixed(4))]),
          markLine: limit ? { symbol: 'none', lineStyle: { color: '#c0392b', type: 'dashed', width: 2 },
            label: { formatter: t('limit_line', { v: `${limit.value} ${limit.unit}` }), position: 'insideEndTop', color: '#c0392b' },
            data: [{ yAxis: limit.value, name: 'limit' }] } : undefined },
        { name: t('flagged'), type: 'scatter', symbolSize: 9, itemStyle: { color: '#e67e22' },
          data: (s.flags || []).map((f) => ({ value: [f.t.replace(' ', 'T'), f.value], name: f.flag })),
          tooltip: { formatter: (p) => `${p.data.value[0].replace('T', ' ')}<br>Flag ${p.data.name}: ${p.data.value[1]}` } },
      ],
    }, true);
    chartEl.dataset.limit = limit ? String(limit.value) : '';
    chartEl.dataset.points = String(s.items.length);
    chartNote.textContent = `${s.from} — ${s.to} · ${s.items.length} · ${limit ? `${label('basis', limit.basis)} ${limit.value} ${limit.unit} ${limit.standard || ''}` : ''}`;
  }
  const onResize = () => chart?.resize();
  window.addEventListener('resize', onResize);
  ctx.onLeave(() => { window.removeEventListener('resize', onResize); chart?.dispose(); });

  const parts = [head, sub, sectionHead(t('current_values')), latest,
    sectionHead(t('trend'), factorSel, cnTabs), chartEl, emptyEl, chartNote,
    sectionHead(t('alarms')), alarmTable(ctx, { point_id: id }).el];
  if (staff) {
    const frames = h('div'), devs = h('div'), cmds = h('div');
    parts.push(sectionHead(t('commands'), can('command.write') ? btn(t('send_command'), () => commandDialog(id, loadCmds), { primary: true, testid: 'send-command' }) : null), cmds,
      sectionHead(t('deviations')), devs, sectionHead(t('raw_frames')), frames);
    async function loadCmds() {
      const c = await get(`/api/v1/points/${id}/commands?limit=20`);
      cmds.replaceChildren(simpleTable({ testid: 'commands-table', columns: [
        { key: 'created_at', label: t('sent_at'), cls: 'nowrap muted', render: (r) => fmtTime(r.created_at, true) },
        { key: 'cn', label: t('command'), render: (r) => label('hj_cn', r.cn) },
        { key: 'params', label: t('params'), cls: 'mono small' },
        { key: 'status', label: fl('status'), render: (r) => h('span', { class: `badge ${r.status === 'done' ? 'green' : ['failed', 'refused', 'timeout', 'offline'].includes(r.status) ? 'red' : 'blue'}` }, label('command_status', r.status)) },
        { key: 'qn_rtn', label: t('qn_rtn'), cls: 'mono' },
        { key: 'exe_rtn', label: t('exe_rtn'), cls: 'mono' },
        { key: 'result', label: t('result'), cls: 'mono small pre' },
        { key: 'created_by_name', label: '', cls: 'muted' },
      ], rows: c.items }));
    }
    const [f, d] = await Promise.all([get(`/api/v1/points/${id}/frames`), get(`/api/v1/points/${id}/deviations`), loadCmds()]);
    frames.replaceChildren(simpleTable({ testid: 'frames-table', columns: [
      { key: 'received_at', label: t('last_seen'), cls: 'nowrap muted', render: (r) => fmtTime(r.received_at, true) },
      { key: 'raw', label: '', cls: 'mono small wrap' }], rows: f.items.slice(0, 100) }));
    devs.replaceChildren(simpleTable({ testid: 'deviations-table', columns: [
      { key: 'deviation', label: '', cls: 'mono' }, { key: 'count', label: t('count'), cls: 'num' },
      { key: 'last_at', label: t('last_occurred'), render: (r) => fmtTime(r.last_at, true) }], rows: d.items }));
    const timer = setInterval(() => { if (ctx.isCurrent()) loadCmds().catch(() => {}); else clearInterval(timer); }, 3000);
    ctx.onLeave(() => clearInterval(timer));
  }
  main.replaceChildren(...parts);
  try { await drawChart(); } catch (e) { chartNote.replaceChildren(errorBanner(e)); }
}

function commandDialog(id, done) {
  const f = form({
    cols: 2,
    fields: [
      { name: 'cn', label: t('command'), type: 'select', required: true, span: 2, options: Object.keys({ 1011: 1, 1012: 1, 1061: 1, 1062: 1, 1063: 1, 1064: 1, 2031: 1, 2051: 1, 2061: 1 }).map((c) => [c, label('hj_cn', c)]) },
      { name: 'SystemTime', label: t('system_time'), placeholder: 'YYYYMMDDhhmmss', maxlength: 14 },
      { name: 'RtdInterval', label: t('interval_s'), type: 'integer' },
      { name: 'MinInterval', label: t('interval_min'), type: 'integer' },
      { name: 'BeginTime', label: t('begin_time'), placeholder: 'YYYYMMDDhhmmss', maxlength: 14 },
      { name: 'EndTime', label: t('end_time'), placeholder: 'YYYYMMDDhhmmss', maxlength: 14 },
    ],
    submitLabel: t('send_command'),
    async onSubmit(v) {
      const p = {};
      if (v.cn === '1012' && v.SystemTime) p.SystemTime = v.SystemTime;
      if (v.cn === '1062') p.RtdInterval = Number(v.RtdInterval);
      if (v.cn === '1064') p.MinInterval = Number(v.MinInterval);
      if (v.cn.startsWith('20')) { p.BeginTime = v.BeginTime; p.EndTime = v.EndTime; }
      await post(`/api/v1/points/${id}/commands`, { cn: v.cn, params: p });
      toast(t('created_ok'));
      m.close();
      done();
    },
    onCancel: () => m.close(),
  });
  const m = modal({ title: t('send_command'), body: f.el, testid: 'command-dialog' });
}
