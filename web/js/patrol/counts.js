// 三级巡查, the staff page: per level (企业自查 self-check tasks, 属地巡查 patrol rounds, 执法监察
// inspection tasks) the tasks sent, problems found and problems closed, per county and month
// (GET /api/v1/patrol/counts) — a bar chart of the period's totals by level and the table.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get, qs } from '../api.js';
import { t } from '../i18n.js';
import { h, pageHead, simpleTable, fmtNum, watchCharts, todayISO, btn } from '../ui.js';
import { L } from './common.js';

const LEVELS = ['enterprise', 'local', 'enforcement'];

function monthsBack(n) {
  const d = new Date(`${todayISO().slice(0, 7)}-01T00:00:00`);
  d.setMonth(d.getMonth() - n);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

function chartOption(rows) {
  const sum = (lv, k) => rows.filter((r) => r.level === lv).reduce((s, r) => s + r[k], 0);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 64, bottom: 8, containLabel: true }, // room for a legend of two lines
    xAxis: { type: 'category', data: LEVELS.map((lv) => L('patrol_level', lv)),
      axisLabel: { interval: 0, width: 90, overflow: 'break' } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [['sent', t('pt_sent')], ['found', t('pt_found')], ['closed', t('pt_closed')]].map(([k, name]) => ({
      name, type: 'bar', barMaxWidth: 36, label: { show: true, position: 'top' }, data: LEVELS.map((lv) => sum(lv, k)),
    })),
  };
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('pt_title'));
  const from = h('input', { type: 'month', name: 'from', value: ctx.query.get('from') || monthsBack(5), 'data-testid': 'counts-from', 'aria-label': t('pt_from') });
  const to = h('input', { type: 'month', name: 'to', value: ctx.query.get('to') || todayISO().slice(0, 7), 'data-testid': 'counts-to', 'aria-label': t('pt_to') });
  const region = h('input', { type: 'search', name: 'region', maxlength: 6, inputmode: 'numeric', placeholder: t('pt_region'), value: ctx.query.get('region') || '', 'data-testid': 'counts-region' });
  const chartBox = h('div', { class: 'chart', style: { height: '300px' }, 'data-testid': 'counts-chart' });
  const tableBox = h('div');
  const chartTitle = h('h2', {});
  const charts = watchCharts(ctx);
  let chart = null;
  async function load() {
    const r = await get(`/api/v1/patrol/counts${qs({ from: from.value, to: to.value, region: region.value.trim() || undefined })}`);
    if (!ctx.isCurrent()) return;
    const rows = r.rows || [];
    chartTitle.textContent = t('pt_chart', { a: r.from, b: r.to });
    if (!chart) chart = charts.add(echarts.init(chartBox));
    chart.setOption(chartOption(rows), true);
    const total = (k) => fmtNum(rows.reduce((s, x) => s + x[k], 0));
    tableBox.replaceChildren(simpleTable({
      testid: 'counts-table',
      empty: t('pt_none'),
      columns: [
        { key: 'month', label: t('pt_month'), cls: 'nowrap' },
        { key: 'region_name', label: t('pt_county'), render: (x) => x.region_name || x.region_code },
        { key: 'level', label: t('pt_level'), render: (x) => L('patrol_level', x.level) },
        { key: 'sent', label: t('pt_sent'), cls: 'num', render: (x) => fmtNum(x.sent) },
        { key: 'found', label: t('pt_found'), cls: 'num', render: (x) => fmtNum(x.found) },
        { key: 'closed', label: t('pt_closed'), cls: 'num', render: (x) => fmtNum(x.closed) },
      ],
      rows,
    }), rows.length ? h('p', { class: 'muted small', 'data-testid': 'counts-total' },
      `${t('pt_total')}：${t('pt_sent')} ${total('sent')} · ${t('pt_found')} ${total('found')} · ${t('pt_closed')} ${total('closed')}`) : null);
  }
  for (const el of [from, to, region]) el.addEventListener('change', () => load());
  main.replaceChildren(
    pageHead(t('pt_title')),
    h('p', { class: 'muted' }, t('pt_hint')),
    h('div', { class: 'toolbar' }, h('label', {}, t('pt_from'), ' ', from), h('label', {}, t('pt_to'), ' ', to), region,
      btn(t('pt_sc_title'), () => ctx.navigate('/patrol/selfchecks'), { small: true }),
      btn(t('pt_rounds_title'), () => ctx.navigate('/patrol/rounds'), { small: true })),
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, chartTitle), chartBox),
    tableBox);
  await load();
}
