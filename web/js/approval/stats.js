// The approval figures (ECharts): applications by route and class, by month (filed, decided,
// decided on time, the share on time), and the working days each decided application used
// against its statutory and promised limits.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get } from '../api.js';
import { t } from '../i18n.js';
import { h, pageHead, watchCharts, errorBanner } from '../ui.js';
import { classLabel, routeLabel } from './common.js';

function box(testid) { return h('div', { class: 'chart', style: { height: '300px' }, 'data-testid': testid }); }
const panel = (title, el) => h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, title)), el);

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('ap_stats_title'));
  let s;
  try { s = await get('/api/v1/approval/stats'); } catch (e) { main.replaceChildren(pageHead(t('ap_stats_title')), errorBanner(e)); return; }
  const charts = watchCharts(ctx);
  const a = box('chart-route'), b = box('chart-month'), c = box('chart-days');
  main.replaceChildren(pageHead(t('ap_stats_title')), panel(t('ap_by_route'), a), panel(t('ap_by_month'), b), panel(t('ap_days_chart'), c));
  const routes = [...new Set(s.by_route_class.map((x) => x.route))];
  const classes = [...new Set(s.by_route_class.map((x) => x.class))];
  charts.add(echarts.init(a)).setOption({
    tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { top: 40, left: 50, right: 20, bottom: 30 },
    xAxis: { type: 'category', data: routes.map(routeLabel) }, yAxis: { type: 'value', minInterval: 1 },
    series: classes.map((k) => ({ name: classLabel(k), type: 'bar', stack: 'n', barMaxWidth: 56, data: routes.map((r) => s.by_route_class.find((x) => x.route === r && x.class === k)?.n || 0) })),
  });
  const months = [...s.by_month].reverse();
  charts.add(echarts.init(b)).setOption({
    tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { top: 40, left: 50, right: 50, bottom: 30 },
    xAxis: { type: 'category', data: months.map((m) => m.month) },
    yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } }],
    series: [
      { name: t('ap_filed'), type: 'bar', barMaxWidth: 40, data: months.map((m) => m.filed) },
      { name: t('ap_decided'), type: 'bar', barMaxWidth: 40, data: months.map((m) => m.decided) },
      { name: t('ap_on_time_share'), type: 'line', yAxisIndex: 1, data: months.map((m) => (m.decided ? Math.round((100 * m.on_time) / m.decided) : null)) },
    ],
  });
  const decided = [...s.decided].reverse().slice(-30);
  const used = (d) => {
    if (!d.accepted_on || !d.decided_on) return 0;
    return Math.max(0, Math.round((Date.parse(d.decided_on) - Date.parse(d.accepted_on)) / 86400000 * 5 / 7));
  };
  charts.add(echarts.init(c)).setOption({
    tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { top: 40, left: 50, right: 20, bottom: 60 },
    xAxis: { type: 'category', data: decided.map((d) => d.project_name), axisLabel: { rotate: 30, width: 90, overflow: 'truncate' } }, yAxis: { type: 'value' },
    series: [
      { name: t('ap_used'), type: 'bar', barMaxWidth: 32, data: decided.map(used) },
      { name: t('ap_promised'), type: 'line', data: decided.map((d) => d.limit_days) },
      { name: t('ap_statutory'), type: 'line', data: decided.map((d) => d.statutory_days) },
    ],
  });
}
