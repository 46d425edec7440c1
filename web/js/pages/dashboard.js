// Dashboard (工作台): counters, ECharts of enterprises by supervision category, by county and
// by industry, the permits due within 60 days and the latest audit events — every figure from
// GET /api/v1/dashboard, within the caller's scope.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get } from '../api.js';
import { t, label, fl } from '../i18n.js';
import { can } from '../session.js';
import { h, fmtTime, fmtNum, daysUntil, simpleTable, badge, pageHead, watchCharts } from '../ui.js';

const CAT_COLORS = { key: '#c2413b', general: '#1a7f5a', special: '#c98a16' };
const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

function card({ num, lbl, sub, href, testid, tone }) {
  const body = [h('div', { class: 'num' }, fmtNum(num)), h('div', { class: 'lbl' }, lbl), sub ? h('div', { class: 'sub' }, sub) : null];
  return href ? h('a', { class: `card ${tone || ''}`, href, 'data-testid': testid }, body)
    : h('div', { class: `card ${tone || ''}`, 'data-testid': testid }, body);
}

function daysCell(validTo) {
  const d = daysUntil(validTo);
  if (d === null) return '';
  if (d < 0) return h('span', { class: 'badge red' }, t('overdue_days', { n: -d }));
  if (d === 0) return h('span', { class: 'badge red' }, t('due_today'));
  return h('span', { class: `badge ${d <= 30 ? 'red' : 'amber'}` }, t('days_left', { n: d }));
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('dashboard'));
  const d = await get('/api/v1/dashboard');
  if (!ctx.isCurrent()) return;
  const ent = d.enterprises || { total: 0, by_category: [], by_region: [], by_industry: [] };
  const keyN = (ent.by_category.find((c) => c.category === 'key') || {}).n || 0;
  const expiring = d.permits_expiring || [];

  const catEl = h('div', { class: 'chart', 'data-testid': 'chart-category' });
  const regEl = h('div', { class: 'chart', 'data-testid': 'chart-region' });
  const indEl = h('div', { class: 'chart tall', 'data-testid': 'chart-industry' });

  const expTable = simpleTable({
    testid: 'expiring-table',
    columns: [
      { key: 'enterprise_name', label: fl('enterprise_name'), render: (p) => h('a', { href: `#/enterprises/${p.enterprise_id}?tab=permits` }, p.enterprise_name) },
      { key: 'number', label: fl('number'), cls: 'mono' },
      { key: 'class', label: fl('class'), render: (p) => badge('permit_class', p.class) },
      { key: 'valid_to', label: fl('valid_to'), cls: 'nowrap' },
      { key: 'days', label: '', cls: 'nowrap', render: (p) => daysCell(p.valid_to) },
    ],
    rows: expiring.slice(0, 15),
  });

  const recent = d.recent_audit || [];
  const panels = [
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, t('by_category'))), catEl),
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, t('by_region'))), regEl),
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, t('by_industry'))), indEl),
    h('section', { class: `panel ${recent.length ? 'span2' : 'span3'}` }, h('div', { class: 'panel-head' }, h('h2', {}, t('expiring_table')),
      h('span', { class: 'badge amber' }, expiring.length), h('span', { class: 'spacer' }),
      h('a', { href: '#/permits?expiring=60' }, `${t('view_all')} ›`)), expTable),
  ];
  if (recent.length) {
    panels.push(h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, t('recent_audit')),
      h('span', { class: 'spacer' }), can('audit.read') ? h('a', { href: '#/admin/audit' }, `${t('view_all')} ›`) : null),
    simpleTable({
      testid: 'recent-audit',
      columns: [
        { key: 'at', label: fl('at'), cls: 'nowrap muted', render: (a) => fmtTime(a.at).slice(5) },
        { key: 'actor', label: fl('actor'), cls: 'nowrap' },
        { key: 'what', label: fl('action'), render: (a) => [h('span', { class: `act act-${a.action}` }, label('action', a.action)), ' ',
          label('entity', a.entity), a.entity_id ? ` #${a.entity_id}` : ''] },
      ],
      rows: recent,
    })));
  }

  main.replaceChildren(
    pageHead(t('dashboard'), h('span', { class: 'muted' }, t('today_is', { d: d.today || '' }))),
    h('div', { class: 'cards' },
      card({ num: ent.total, lbl: t('card_enterprises'), href: '#/enterprises', testid: 'card-enterprises' }),
      card({ num: keyN, lbl: t('card_key'), href: '#/enterprises?category=key', testid: 'card-key', tone: 'red' }),
      card({ num: d.outlets?.total ?? 0, lbl: t('card_outlets'), testid: 'card-outlets' }),
      card({ num: d.points?.total ?? 0, lbl: t('card_points'), testid: 'card-points' }),
      card({ num: expiring.length, lbl: t('card_expiring'), href: '#/permits?expiring=60', testid: 'card-expiring',
        tone: expiring.length ? 'amber' : '', sub: d.permits_expired ? t('expired_n', { n: d.permits_expired }) : null })),
    h('div', { class: 'panels' }, panels));

  const charts = [];
  const chart = (el, option) => {
    const c = echarts.init(el, null, { renderer: 'canvas' });
    c.setOption({ animationDuration: 300, textStyle: { fontFamily: FONT }, ...option });
    charts.push(c);
    return c;
  };
  // A narrow panel gives the pie less radius, so its outside labels are not cut short.
  const pieRadius = () => (catEl.clientWidth < 340 ? ['36%', '58%'] : ['42%', '68%']);
  chart(catEl, {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, icon: 'circle' },
    series: [{
      type: 'pie', radius: pieRadius(), center: ['50%', '45%'], avoidLabelOverlap: true,
      label: { formatter: '{b}\n{c}', fontSize: 12 },
      data: ['key', 'general', 'special'].map((k) => ({ name: label('category', k),
        value: (ent.by_category.find((c) => c.category === k) || {}).n || 0, itemStyle: { color: CAT_COLORS[k] } })),
    }],
  }).on('click', (p) => {
    const k = ['key', 'general', 'special'][p.dataIndex];
    if (k) ctx.navigate(`/enterprises?category=${k}`);
  });
  chart(regEl, {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 40, right: 16, top: 24, bottom: 28 },
    xAxis: { type: 'category', data: ent.by_region.map((r) => r.region_name || r.region_code), axisTick: { show: false },
      axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#eef1f0' } } },
    series: [{ type: 'bar', barMaxWidth: 36, data: ent.by_region.map((r) => r.n),
      itemStyle: { color: '#2f6fae', borderRadius: [3, 3, 0, 0] }, label: { show: true, position: 'top', fontSize: 11 } }],
  }).on('click', (p) => {
    const r = ent.by_region[p.dataIndex];
    if (r) ctx.navigate(`/enterprises?region_code=${r.region_code}`);
  });
  const inds = ent.by_industry || [];
  const indLabelWidth = () => Math.round(Math.min(150, indEl.clientWidth * 0.42));
  chart(indEl, {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 36, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, splitNumber: 4, axisLabel: { hideOverlap: true }, splitLine: { lineStyle: { color: '#eef1f0' } } },
    yAxis: { type: 'category', inverse: true, axisTick: { show: false },
      data: inds.map((r) => r.division_name || r.division),
      axisLabel: { width: indLabelWidth(), overflow: 'truncate' } },
    series: [{ type: 'bar', barMaxWidth: 16, data: inds.map((r) => r.n), itemStyle: { color: '#1a7f5a', borderRadius: [0, 3, 3, 0] },
      label: { show: true, position: 'right', fontSize: 11 } }],
  }).on('click', (p) => {
    const r = inds[p.dataIndex];
    if (r) ctx.navigate(`/enterprises?industry_code=${r.division}`);
  });
  // Narrow panels (a 1100 px laptop, a phone) give the industry names at most 42% of the width.
  watchCharts(ctx, charts, (c) => {
    if (c.getDom() === indEl) c.setOption({ yAxis: { axisLabel: { width: indLabelWidth() } } });
    if (c.getDom() === catEl) c.setOption({ series: [{ radius: pieRadius() }] });
  });
  ctx.onLeave(() => charts.forEach((c) => c.dispose()));
}
