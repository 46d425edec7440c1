// Monitoring point detail (监测点详情): current real-time values against the limit, the trend of
// one factor (real-time / minute / hour / day) drawn with ECharts with the limit line and
// flagged values marked, the point's alarms, and for staff the raw frames of the last hour,
// protocol deviations and the commands sent to the device (with a form to send one).
import * as echarts from '/vendor/echarts.esm.min.js';
import { get, post, qs } from '../api.js';
import { t, label, fl, localMessage } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, selectEl, simpleTable, fmtTime, errorBanner, toast, form, modal, sectionHead, btn, watchCharts } from '../ui.js';
import { statusBadge, kindBadges } from './board.js';
import { alarmTable } from './alarms.js';

const FONT = '"Noto Sans CJK SC", "Noto Sans SC", sans-serif';
const BUCKETS = 600; // the series API's default number of buckets

// The limit a view is judged against: real-time values the real-time (else hourly) limit,
// minute values the hourly one, hourly values the hourly one, daily values the daily one;
// another basis only when the outlet has none of those (the label names the basis).
const LIMIT_BASIS = { 2011: ['rtd', 'hour', 'day'], 2051: ['hour', 'rtd', 'day'], 2061: ['hour', 'day', 'rtd'], 2031: ['day', 'hour', 'rtd'] };
export function pickLimit(limits, cn) {
  for (const b of LIMIT_BASIS[cn] || []) {
    const l = (limits || []).find((x) => x.basis === b);
    if (l) return l;
  }
  return null;
}

// Seconds between two values of a data kind at this point.
function expectedInterval(point, cn) {
  return cn === '2011' ? Number(point.rtd_interval_s) || 30 : cn === '2051' ? (Number(point.min_interval_min) || 10) * 60
    : cn === '2061' ? 3600 : 86400;
}

const ms = (t) => Date.parse(`${t.replace(' ', 'T')}+08:00`);
const local = (m) => new Date(m + 8 * 3600e3).toISOString().slice(0, 19); // China time, ECharts' "local" string

// The chart's points, with a null between two buckets further apart than twice the expected
// interval (or twice a bucket's width, when buckets are wider): the line breaks at a gap in the
// data instead of drawing a straight line across it.
export function withGaps(items, intervalS, buckets = BUCKETS) {
  if (!items.length) return [];
  const first = ms(items[0].t), last = ms(items[items.length - 1].t);
  const limitMs = 2 * Math.max(intervalS * 1000, (last - first + 1000) / buckets);
  const out = [];
  let prev = null;
  for (const p of items) {
    const m = ms(p.t);
    if (prev !== null && m - prev > limitMs) out.push([local((m + prev) / 2), null]);
    out.push([p.t.replace(' ', 'T'), Number(p.avg.toFixed(4))]);
    prev = m;
  }
  return out;
}

// A YYYY-MM-DD date n days later; the day after is the series API's (exclusive) end.
function addDays(d, n) {
  const [y, m, dd] = d.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, dd + n)).toISOString().slice(0, 10);
}
const nextDay = (d) => addDays(d, 1);
const DEFAULT_DAYS = { 2011: 1, 2051: 1, 2061: 31, 2031: 366 }; // as the series API's defaults

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
    cards: false, // a few short columns: on a phone the table scrolls in its box, the factor held
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
  // Dates (China time) of the period; empty: the default period of the data kind.
  const rangeFrom = h('input', { type: 'date', name: 'chart_from', 'data-testid': 'chart-from', title: t('chart_from') });
  const rangeTo = h('input', { type: 'date', name: 'chart_to', 'data-testid': 'chart-to', title: t('chart_to') });
  for (const el of [rangeFrom, rangeTo]) el.addEventListener('change', () => drawChart().catch((e) => chartNote.replaceChildren(errorBanner(e))));
  const range = h('span', { class: 'range', 'data-testid': 'chart-range' }, rangeFrom, '–', rangeTo);
  const chartEl = h('div', { class: 'chart big', 'data-testid': 'trend-chart' });
  const emptyEl = h('div', { class: 'empty-note', 'data-testid': 'trend-empty', hidden: true }, t('no_data_7d'));
  const chartNote = h('div', { class: 'muted small', 'data-testid': 'chart-note' });
  let chart = null;
  // In a narrow chart the legend goes to the right, clear of the y axis' name at the left.
  const legendAt = () => (chartEl.clientWidth < 600 ? { left: 'auto', right: 8 } : { left: 'center', right: 'auto' });
  const charts = watchCharts(ctx, [], (c) => c.setOption({ legend: legendAt() }));
  async function drawChart() {
    const factor = factorSel.value;
    if (!factor) { // nothing reported in 7 days: no chart to draw, no factor to choose
      chartEl.hidden = true; factorSel.hidden = true; cnTabs.hidden = true; range.hidden = true; emptyEl.hidden = false;
      return;
    }
    // An end date alone: the default length of the data kind's period, up to that day.
    const to = rangeTo.value ? nextDay(rangeTo.value) : undefined;
    const from = rangeFrom.value || (to ? addDays(to, -(DEFAULT_DAYS[cn] || 1)) : undefined);
    const period = { from, to };
    const s = await get(`/api/v1/points/${id}/series${qs({ factor, cn, ...period })}`);
    if (!ctx.isCurrent()) return;
    if (!chart) chart = charts.add(echarts.init(chartEl, null, { renderer: 'canvas' }));
    const limit = pickLimit(s.limits, cn);
    const data = withGaps(s.items, expectedInterval(point, cn));
    const daily = cn === '2031';
    const limitText = limit ? t('limit_basis', { b: label('basis', limit.basis), v: `${limit.value} ${limit.unit}` }) : '';
    chart.setOption({
      animation: false, textStyle: { fontFamily: FONT },
      title: s.items.length ? { show: false } : { show: true, text: t('no_data_kind'), left: 'center', top: 'middle',
        textStyle: { color: '#8a958f', fontSize: 14, fontWeight: 'normal' } },
      grid: { left: 56, right: 24, top: 40, bottom: 56 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, ...legendAt(), data: [t('value'), t('flagged')] },
      // The day view: one tick per day, labelled 12-01.
      xAxis: daily ? { type: 'time', minInterval: 86400e3, axisLabel: { formatter: '{MM}-{dd}', hideOverlap: true } }
        : { type: 'time', axisLabel: { hideOverlap: true } },
      // The limit line stays in view, its label above it, when every value is far below it
      // (rounded: 100 × 1.15 is 114.99999999999999, which the axis would print).
      yAxis: { type: 'value', scale: true, name: seen.get(factor),
        max: limit ? (v) => (v.max >= limit.value * 1.15 ? v.max : Number((limit.value * 1.15).toPrecision(3))) : null },
      dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
      series: [
        { name: t('value'), type: 'line', connectNulls: false, showSymbol: s.items.length < 60, data,
          markLine: limit ? { symbol: 'none', lineStyle: { color: '#c0392b', type: 'dashed', width: 2 },
            // Inside the grid, at its right end above the line: never cut off at the edge.
            label: { formatter: limitText, position: 'insideEndTop', color: '#c0392b', distance: 4 },
            data: [{ yAxis: limit.value, name: 'limit' }] } : undefined },
        { name: t('flagged'), type: 'scatter', symbolSize: 9, itemStyle: { color: '#e67e22' },
          data: (s.flags || []).map((f) => ({ value: [f.t.replace(' ', 'T'), f.value], name: f.flag })),
          tooltip: { formatter: (p) => `${p.data.value[0].replace('T', ' ')}<br>Flag ${p.data.name}: ${p.data.value[1]}` } },
      ],
    }, true);
    chartEl.dataset.limit = limit ? String(limit.value) : '';
    chartEl.dataset.basis = limit ? limit.basis : '';
    chartEl.dataset.points = String(s.items.length);
    chartEl.dataset.gaps = String(data.filter((p) => p[1] === null).length);
    chartEl.dataset.from = s.from;
    chartEl.dataset.to = s.to;
    chartNote.textContent = [`${s.from} — ${s.to}`, t('chart_points', { n: s.items.length }),
      limit ? `${limitText} ${limit.standard || ''}`.trim() : ''].filter(Boolean).join(' · ');
  }
  ctx.onLeave(() => chart?.dispose());

  const parts = [head, sub, sectionHead(t('current_values')), latest,
    sectionHead(t('trend'), factorSel, cnTabs, range), chartEl, emptyEl, chartNote,
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

// The parameters each platform command takes (POST /points/{id}/commands): 1012 the time to set
// (blank = now), 1062/1064 the interval, the history requests a begin and an end; the others none.
export const COMMAND_FIELDS = {
  1011: [], 1012: ['SystemTime'], 1061: [], 1062: ['RtdInterval'], 1063: [], 1064: ['MinInterval'],
  2031: ['BeginTime', 'EndTime'], 2041: ['BeginTime', 'EndTime'], 2051: ['BeginTime', 'EndTime'], 2061: ['BeginTime', 'EndTime'],
};
const TIME_FIELDS = ['SystemTime', 'BeginTime', 'EndTime'];

// "2026-12-01T08:30" or "…T08:30:15" from a datetime-local input (China time, as the device
// keeps it) → HJ 212's YYYYMMDDhhmmss.
const hjTime = (v) => (v ? `${v.replace(/[-T:]/g, '')}00`.slice(0, 14) : '');

function commandDialog(id, done) {
  const timeField = (name, label, hint) => ({ name, label, type: 'datetime-local', testid: `cmd-${name}`, hint });
  const f = form({
    cols: 2,
    fields: [
      { name: 'cn', label: t('command'), type: 'select', required: true, span: 2, testid: 'cmd-cn', options: Object.keys(COMMAND_FIELDS).map((c) => [c, label('hj_cn', c)]) },
      timeField('SystemTime', t('system_time'), t('cmd_time_hint')),
      { name: 'RtdInterval', label: t('interval_s'), type: 'integer', min: 30, max: 3600, testid: 'cmd-RtdInterval', hint: '30–3600' },
      { name: 'MinInterval', label: t('interval_min'), type: 'integer', min: 1, max: 60, testid: 'cmd-MinInterval', hint: '1–60' },
      timeField('BeginTime', t('begin_time'), t('cmd_time_hint')),
      timeField('EndTime', t('end_time'), t('cmd_time_hint')),
    ],
    submitLabel: t('send_command'),
    async onSubmit(v) {
      const need = COMMAND_FIELDS[v.cn] || [];
      let missing = false;
      for (const k of need) if (k !== 'SystemTime' && (v[k] === '' || v[k] === null)) { f.setError(k, t('required')); missing = true; }
      if (missing) return;
      const p = {};
      for (const k of need) if (v[k] !== '' && v[k] !== null) p[k] = TIME_FIELDS.includes(k) ? hjTime(v[k]) : Number(v[k]);
      try {
        await post(`/api/v1/points/${id}/commands`, { cn: v.cn, params: p });
      } catch (e) {
        // The server names params.X: show it at field X.
        if (e?.field?.startsWith('params.') && f.setError(e.field.slice(7), localMessage(e.message))) return;
        throw e;
      }
      toast(t('created_ok'));
      m.close();
      done();
    },
    onCancel: () => m.close(),
  });
  for (const k of TIME_FIELDS) f.inputs[k].step = 1; // to the second
  const none = h('p', { class: 'muted small', 'data-testid': 'cmd-no-params' }, t('cmd_no_params'));
  f.el.querySelector('.grid').append(none);
  // Only the fields the chosen command takes are shown.
  const show = () => {
    const need = COMMAND_FIELDS[f.inputs.cn.value] || [];
    for (const k of ['SystemTime', 'RtdInterval', 'MinInterval', 'BeginTime', 'EndTime']) f.inputs[k].closest('.field').hidden = !need.includes(k);
    none.hidden = !f.inputs.cn.value || need.length > 0;
  };
  f.inputs.cn.addEventListener('change', () => { f.clearErrors(); show(); });
  show();
  const m = modal({ title: t('send_command'), body: f.el, testid: 'command-dialog' });
}
