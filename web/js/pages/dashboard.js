// Dashboard: counters, ECharts of enterprises by category, region and industry, permits due
// within 60 days, and the latest audit events — all from GET /api/v1/dashboard.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get } from '../api.js';
import { t, label } from '../i18n.js';
import { h, fmtTime } from '../ui.js';

function card(num, lbl, warn, testid) {
  return h('div', { class: `card ${warn ? 'warn' : ''}`, 'data-testid': testid }, h('div', { class: 'num' }, num), h('div', { class: 'lbl' }, lbl));
}

function chart(el, option) {
  const c = echarts.init(el, null, { renderer: 'canvas' });
  c.setOption({ animation: false, textStyle: { fontFamily: 'Noto Sans CJK SC, sans-serif' }, ...option });
  new ResizeObserver(() => c.resize()).observe(el);
  return c;
}

const COLORS = { key: '#c0392b', special: '#b7791f', general: '#1f7a4d' };

export async function dashboardPage(main) {
  main.replaceChildren(h('h1', {}, t('dashboard')), h('div', { class: 'muted' }, t('loading')));
  const d = await get('/api/v1/dashboard');
  const keyN = (d.enterprises.by_category.find((c) => c.category === 'key') || {}).n || 0;
  const catEl = h('div', { class: 'chart', 'data-testid': 'chart-category' });
  const regEl = h('div', { class: 'chart', 'data-testid': 'chart-region' });
  const indEl = h('div', { class: 'chart' });
  const expiring = h('table', { class: 'data', 'data-testid': 'expiring' },
    h('thead', {}, h('tr', {}, [t('enterprise'), t('number'), t('class'), t('valid_to')].map((x) => h('th', {}, x)))),
    h('tbody', {}, d.permits_expiring.length ? d.permits_expiring.slice(0, 12).map((p) => h('tr', {},
      h('td', {}, h('a', { href: `#/enterprises/${p.enterprise_id}` }, p.enterprise_name)), h('td', {}, p.number),
      h('td', {}, label('class', p.class)), h('td', {}, h('span', { class: 'tag warn' }, p.valid_to))))
      : h('tr', {}, h('td', { class: 'empty', colspan: 4 }, t('none')))));
  const recent = h('table', { class: 'data' },
    h('thead', {}, h('tr', {}, [t('time'), t('actor'), t('action'), t('entity')].map((x) => h('th', {}, x)))),
    h('tbody', {}, (d.recent_audit || []).map((a) => h('tr', {}, h('td', {}, fmtTime(a.at)), h('td', {}, a.actor),
      h('td', {}, label('action', a.action)), h('td', {}, `${a.entity} ${a.entity_id ?? ''}`)))));
  main.replaceChildren(h('h1', {}, t('dashboard')),
    h('div', { class: 'cards' },
      card(d.enterprises.total, t('ent_total'), false, 'card-enterprises'), card(keyN, t('ent_key')),
      card(d.outlets.total, t('outlets_total')), card(d.points.total, t('points_total')),
      card(d.permits_expiring.length, t('permits_expiring'), d.permits_expiring.length > 0, 'card-expiring')),
    h('div', { class: 'panels' },
      h('div', { class: 'panel' }, h('h2', {}, t('by_category')), catEl),
      h('div', { class: 'panel' }, h('h2', {}, t('by_region')), regEl),
      h('div', { class: 'panel' }, h('h2', {}, t('permits_expiring')), expiring),
      h('div', { class: 'panel' }, h('h2', {}, t('by_industry')), indEl)),
    h('div', { class: 'panel', style: 'margin-top:12px' }, h('h2', {}, t('recent')), recent));
  chart(catEl, {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['40%', '70%'], label: { formatter: '{b}: {c}' },
      data: d.enterprises.by_category.map((c) => ({ name: label('category', c.category), value: c.n,
        itemStyle: { color: COLORS[c.category] } })) }],
  });
  chart(regEl, {
    tooltip: {}, grid: { left: 60, right: 16, top: 16, bottom: 30 },
    xAxis: { type: 'category', data: d.enterprises.by_region.map((r) => r.region_name || r.region_code) },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: d.enterprises.by_region.map((r) => r.n), itemStyle: { color: '#1f7a4d' }, label: { show: true, position: 'top' } }],
  });
  chart(indEl, {
    tooltip: {}, grid: { left: 150, right: 24, top: 8, bottom: 20 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: d.enterprises.by_industry.map((r) => r.division_name || r.division) },
    series: [{ type: 'bar', data: d.enterprises.by_industry.map((r) => r.n), itemStyle: { color: '#2b6cb0' } }],
  });
}
