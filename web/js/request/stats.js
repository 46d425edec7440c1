// Statistics of requests and complaints (#/requests/stats): counts by category with the mean
// days to close, counts by region and by state over the last year, in the user's area (ECharts).
import * as echarts from '/vendor/echarts.esm.min.js';
import { get } from '../api.js';
import { t } from '../i18n.js';
import { h, pageHead, sectionHead, watchCharts, simpleTable } from '../ui.js';
import { L } from './common.js';

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('rq_stats'));
  const d = await get('/api/v1/requests/stats');
  const charts = watchCharts(ctx);
  const catBox = h('div', { style: { height: '320px' }, 'data-testid': 'stats-category' });
  const regBox = h('div', { style: { height: '320px' }, 'data-testid': 'stats-region' });
  main.replaceChildren(pageHead(t('rq_stats'), h('a', { class: 'btn', href: '#/requests' }, t('rq_title'))),
    sectionHead(t('rq_stats_cat')), h('section', { class: 'panel' }, catBox),
    sectionHead(t('rq_stats_region')), h('section', { class: 'panel' }, regBox),
    sectionHead(t('rq_stats_state')), h('section', { class: 'panel' }, simpleTable({ testid: 'stats-state',
      columns: [{ key: 'state', label: t('rq_track_state'), render: (r) => L('request_state', r.state) }, { key: 'n', label: t('rq_count'), cls: 'num' }], rows: d.by_state })));
  const cats = d.by_category.map((c) => L('request_category', c.category));
  charts.add(echarts.init(catBox)).setOption({
    legend: { top: 0 }, tooltip: { trigger: 'axis' }, grid: { left: 48, right: 56, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: cats, axisLabel: { interval: 0, rotate: cats.length > 6 ? 30 : 0 } },
    yAxis: [{ type: 'value', name: t('rq_count'), minInterval: 1 }, { type: 'value', name: t('rq_days') }],
    series: [
      { name: t('rq_count'), type: 'bar', data: d.by_category.map((c) => c.n) },
      { name: t('rq_stats_days'), type: 'line', yAxisIndex: 1, data: d.by_category.map((c) => Number(c.days_to_close.toFixed(1))) },
    ],
  });
  charts.add(echarts.init(regBox)).setOption({
    tooltip: { trigger: 'axis' }, grid: { left: 48, right: 16, top: 24, bottom: 60 },
    xAxis: { type: 'category', data: d.by_region.map((r) => r.region_name || r.region_code || '—'), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: t('rq_count'), type: 'bar', data: d.by_region.map((r) => r.n) }],
  });
}
