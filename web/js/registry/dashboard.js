// The registry on the 工作台: permits due (and expired), enterprises and key dischargers; the
// permits due soonest, enterprises by category, county and industry. See
// platform/dashboard_kit.js for how items are ranked.
import { t, label, fl } from '../i18n.js';
import { h, fmtNum, daysUntil, simpleTable, badge } from '../ui.js';
import { card, panel, viewAll, pieRadius } from '../platform/dashboard_kit.js';

const CAT_COLORS = { key: '#c2413b', general: '#1a7f5a', special: '#c98a16' };
const CAT_PIE = ['42%', '68%'];
// The industry names get at most 42% of the chart's width.
const indLabelWidth = (w) => Math.round(Math.min(150, (w || 360) * 0.42));

function daysCell(validTo) {
  const d = daysUntil(validTo);
  if (d === null) return '';
  if (d < 0) return h('span', { class: 'badge red' }, t('overdue_days', { n: -d }));
  if (d === 0) return h('span', { class: 'badge red' }, t('due_today'));
  return h('span', { class: `badge ${d <= 30 ? 'red' : 'amber'}` }, t('days_left', { n: d }));
}

function expiringTable(d) {
  return simpleTable({
    testid: 'expiring-table',
    columns: [
      { key: 'enterprise_name', label: fl('enterprise_name'), render: (p) => h('a', { href: `#/enterprises/${p.enterprise_id}?tab=permits` }, p.enterprise_name) },
      { key: 'number', label: fl('number'), cls: 'mono' },
      { key: 'class', label: fl('class'), render: (p) => badge('permit_class', p.class) },
      { key: 'valid_to', label: fl('valid_to'), cls: 'nowrap' },
      { key: 'days', label: '', cls: 'nowrap', render: (p) => daysCell(p.valid_to) },
    ],
    rows: (d.permits_expiring || []).slice(0, 8),
  });
}

function categoryOption(ent) {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, icon: 'circle' },
    series: [{
      type: 'pie', radius: pieRadius(CAT_PIE), center: ['50%', '45%'], avoidLabelOverlap: true,
      label: { formatter: '{b}\n{c}', fontSize: 12 },
      data: ['key', 'general', 'special'].map((k) => ({ name: label('category', k),
        value: (ent.by_category.find((c) => c.category === k) || {}).n || 0, itemStyle: { color: CAT_COLORS[k] } })),
    }],
  };
}

function regionOption(ent) {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 40, right: 16, top: 24, bottom: 28 },
    xAxis: { type: 'category', data: ent.by_region.map((r) => r.region_name || r.region_code), axisTick: { show: false },
      axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#eef1f0' } } },
    series: [{ type: 'bar', barMaxWidth: 36, data: ent.by_region.map((r) => r.n),
      itemStyle: { color: '#2f6fae', borderRadius: [3, 3, 0, 0] }, label: { show: true, position: 'top', fontSize: 11 } }],
  };
}

function industryOption(ent) {
  const inds = ent.by_industry || [];
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 36, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, splitNumber: 4, axisLabel: { hideOverlap: true }, splitLine: { lineStyle: { color: '#eef1f0' } } },
    yAxis: { type: 'category', inverse: true, axisTick: { show: false }, data: inds.map((r) => r.division_name || r.division),
      axisLabel: { width: indLabelWidth(), overflow: 'truncate' } },
    series: [{ type: 'bar', barMaxWidth: 16, data: inds.map((r) => r.n), itemStyle: { color: '#1a7f5a', borderRadius: [0, 3, 3, 0] },
      label: { show: true, position: 'right', fontSize: 11 } }],
  };
}

export function items(d, kit) {
  if (!d.enterprises) return [];
  const ent = { by_category: [], by_region: [], by_industry: [], ...d.enterprises };
  const keyN = (ent.by_category.find((c) => c.category === 'key') || {}).n || 0;
  const days = d.permit_warn_days || 60;
  const due = d.permits_expiring_total ?? (d.permits_expiring || []).length;
  return [
    { kind: 'card', rank: { leader: 4, admin: 4, monitor: null, default: 1 },
      el: card({ num: fmtNum(due), lbl: t('card_expiring', { n: days }), href: `#/permits?expiring=${days}`, testid: 'card-expiring',
        tone: due ? 'amber' : '', sub: d.permits_expired ? t('expired_n', { n: d.permits_expired }) : null }) },
    { kind: 'card', rank: { leader: 5, admin: 6, monitor: null, default: 2 },
      el: card({ num: fmtNum(ent.total), lbl: t('card_enterprises'), href: '#/enterprises', testid: 'card-enterprises',
        sub: t('key_n', { n: fmtNum(keyN) }), subTone: 'muted' }) },
    { kind: 'card', rank: { leader: null, admin: null, monitor: null, default: 3 },
      el: card({ num: fmtNum(keyN), lbl: t('card_key'), href: '#/enterprises?category=key', testid: 'card-key', tone: 'red' }) },
    { kind: 'panel', rank: { leader: 5, admin: 5, monitor: null, default: 1 }, cls: { default: 'span2' },
      make: (cls) => panel(t('expiring_table', { n: days }), 'panel-expiring', expiringTable(d),
        { cls, badgeEl: h('span', { class: 'badge amber' }, fmtNum(due)), more: viewAll(`#/permits?expiring=${days}`) }) },
    { kind: 'panel', rank: { leader: 6, admin: 6, monitor: null, default: 4 },
      make: (cls) => panel(t('by_category'), 'panel-category', kit.chartEl('chart-category', categoryOption(ent), (p) => {
        const k = ['key', 'general', 'special'][p.dataIndex];
        if (k) kit.navigate(`/enterprises?category=${k}`);
      }, '', (ch, el) => ch.setOption({ series: [{ radius: pieRadius(CAT_PIE, el.clientWidth) }] })), { cls }) },
    { kind: 'panel', rank: { leader: null, admin: null, monitor: null, default: 5 },
      make: (cls) => panel(t('by_region'), 'panel-region', kit.chartEl('chart-region', regionOption(ent), (p) => {
        const x = ent.by_region[p.dataIndex];
        if (x) kit.navigate(`/enterprises?region_code=${x.region_code}`);
      }), { cls }) },
    { kind: 'panel', rank: { leader: null, admin: null, monitor: null, default: 6 },
      make: (cls) => panel(t('by_industry'), 'panel-industry', kit.chartEl('chart-industry', industryOption(ent), (p) => {
        const x = (ent.by_industry || [])[p.dataIndex];
        if (x) kit.navigate(`/enterprises?industry_code=${x.division}`);
      }, 'tall', (ch, el) => ch.setOption({ yAxis: { axisLabel: { width: indLabelWidth(el.clientWidth) } } })), { cls }) },
  ];
}
