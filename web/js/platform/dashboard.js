// Dashboard (工作台): what is waiting for the user, by role, every figure from
// GET /api/v1/dashboard within the caller's scope. The leader and the admin see the monitoring
// (points online, unhandled alarms, today's alarms by county and kind, the open ones by kind,
// the oldest unhandled), the permits due and the latest operations; the monitoring centre its
// alarms, offline points and quarantined devices; the registry roles (approver, inspector,
// legal, service) the permits due, their region's alarms and the enterprise figures. Each card
// links to the page where the work is done.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get } from '../api.js';
import { t, label, fl } from '../i18n.js';
import { can, role } from '../session.js';
import { h, fmtTime, fmtNum, daysUntil, simpleTable, badge, pageHead, watchCharts } from '../ui.js';

const CAT_COLORS = { key: '#c2413b', general: '#1a7f5a', special: '#c98a16' };
const KIND_COLORS = { exceed: '#c2413b', early_warning: '#d98e04', offline: '#8a9691', flag: '#2f6fae', stuck: '#7b5ea7', condition: '#15817f' };
const KINDS = Object.keys(KIND_COLORS);
const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
const ENTITY_LINKS = { enterprise: (id) => `#/enterprises/${id}`, point: (id) => `#/monitor/points/${id}`, agency: () => '#/agencies',
  user: () => '#/admin/users', org_unit: () => '#/admin/org-units' };

function card({ num, lbl, sub, href, testid, tone, subTone }) {
  const body = [h('div', { class: 'num' }, num), h('div', { class: 'lbl' }, lbl),
    sub ? h('div', { class: `sub ${subTone || ''}` }, sub) : null];
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

// How long an alarm has waited since it opened.
function waited(iso) {
  const min = Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 60000));
  if (min < 60) return t('age_min', { n: min });
  if (min < 48 * 60) return t('age_h', { n: Math.floor(min / 60) });
  return t('age_d', { n: Math.floor(min / 1440) });
}

function panel(title, testid, body, { cls = '', badgeEl = null, more = null } = {}) {
  return h('section', { class: `panel ${cls}`, 'data-testid': testid },
    h('div', { class: 'panel-head' }, h('h2', {}, title), badgeEl, h('span', { class: 'spacer' }), more), body);
}

const viewAll = (href) => h('a', { href }, `${t('view_all')} ›`);

// The record an audit row is about, by name (the name it had when the row was written).
function recordCell(a) {
  const what = label('entity', a.entity);
  const name = a.record_name || (a.entity_id ? `#${a.entity_id}` : '');
  const link = a.entity_id && ENTITY_LINKS[a.entity];
  return [what, ' ', link ? h('a', { href: link(a.entity_id) }, name) : name];
}

// ---- the figures as cards ----

function cards(d) {
  const m = d.monitoring || {};
  const al = d.alarms || {};
  const ent = d.enterprises || { total: 0, by_category: [] };
  const keyN = (ent.by_category.find((c) => c.category === 'key') || {}).n || 0;
  const rate = m.online_rate === null || m.online_rate === undefined ? '—' : `${(m.online_rate * 100).toFixed(1)}%`;
  const due = d.permits_expiring_total ?? (d.permits_expiring || []).length;
  return {
    online: card({ num: rate, lbl: t('card_online_rate'), href: '#/monitor', testid: 'card-online',
      tone: m.registered && m.online < m.registered ? 'amber' : '',
      sub: t('points_online_sub', { n: fmtNum(m.registered || 0), on: fmtNum(m.online || 0) }), subTone: 'muted' }),
    unhandled: card({ num: fmtNum(al.unhandled || 0), lbl: t('card_unhandled'), href: '#/monitor/alarms?status=open', testid: 'card-unhandled',
      tone: al.unhandled ? 'red' : '', sub: t('open_alarms_n', { n: fmtNum(al.open || 0) }), subTone: 'muted' }),
    today: card({ num: fmtNum(al.today?.total || 0), lbl: t('card_alarms_today'), href: '#/monitor/alarms?status=&sort=-first_at',
      testid: 'card-today', tone: al.today?.total ? 'amber' : '' }),
    permits: card({ num: fmtNum(due), lbl: t('card_expiring', { n: d.permit_warn_days || 60 }), href: `#/permits?expiring=${d.permit_warn_days || 60}`, testid: 'card-expiring',
      tone: due ? 'amber' : '', sub: d.permits_expired ? t('expired_n', { n: d.permits_expired }) : null }),
    offline: card({ num: fmtNum(m.offline || 0), lbl: t('card_offline'), href: '#/monitor?status=offline', testid: 'card-offline',
      tone: m.offline ? 'red' : '', sub: t('never_connected_n', { n: fmtNum(m.never_connected || 0) }), subTone: 'muted' }),
    quarantine: d.quarantine ? card({ num: fmtNum(d.quarantine.devices), lbl: t('card_quarantine'), href: '#/monitor/quarantine',
      testid: 'card-quarantine', tone: d.quarantine.devices ? 'amber' : '', sub: t('frames_n', { n: fmtNum(d.quarantine.frames) }), subTone: 'muted' }) : null,
    enterprises: card({ num: fmtNum(ent.total), lbl: t('card_enterprises'), href: '#/enterprises', testid: 'card-enterprises',
      sub: t('key_n', { n: fmtNum(keyN) }), subTone: 'muted' }),
    key: card({ num: fmtNum(keyN), lbl: t('card_key'), href: '#/enterprises?category=key', testid: 'card-key', tone: 'red' }),
  };
}

// ---- tables ----

function oldestTable(d) {
  return simpleTable({
    testid: 'oldest-unhandled',
    empty: t('no_unhandled'),
    columns: [
      { key: 'first_at', label: t('first_at'), cls: 'nowrap muted', render: (a) => fmtTime(a.first_at).slice(5) },
      { key: 'waited', label: t('waited'), cls: 'nowrap', render: (a) => h('span', { class: 'badge red' }, waited(a.first_at)) },
      { key: 'kind', label: t('alarm_kind'), cls: 'nowrap', render: (a) => h('span', {}, h('i', { class: 'kind-dot', style: { background: KIND_COLORS[a.kind] || '#888' } }),
        label('alarm_kind', a.kind), a.factor ? ` · ${a.factor_name || a.factor}` : '') },
      { key: 'point_name', label: t('point'), render: (a) => h('span', {}, h('a', { href: `#/monitor/points/${a.point_id}` }, a.point_name),
        h('div', { class: 'muted small' }, `${a.enterprise_name}${a.region_name ? ` · ${a.region_name}` : ''}`)) },
    ],
    rows: (d.alarms?.oldest_unhandled) || [],
  });
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

function recentTable(d) {
  return simpleTable({
    testid: 'recent-audit',
    columns: [
      { key: 'at', label: fl('at'), cls: 'nowrap muted', render: (a) => fmtTime(a.at).slice(5) },
      { key: 'actor', label: fl('actor'), cls: 'nowrap' },
      { key: 'what', label: fl('action'), render: (a) => [h('span', { class: `act act-${a.action}` }, label('action', a.action)), ' ', ...recordCell(a)] },
    ],
    rows: d.recent_audit || [],
  });
}

// ---- charts ----

// Counties on the x axis: those of the scope (from the enterprises' regions), then any other
// that had alarms.
function counties(d) {
  const list = [];
  const seen = new Set();
  const add = (code, name) => { if (code && !seen.has(code)) { seen.add(code); list.push({ code, name: name || code }); } };
  [...(d.enterprises?.by_region || [])].sort((a, b) => a.region_code.localeCompare(b.region_code))
    .forEach((r) => add(r.region_code.slice(0, 6), r.region_code.length === 6 ? r.region_name : null));
  (d.alarms?.today?.by_county || []).forEach((r) => add(r.region_code, r.region_name));
  return list;
}

function todayOption(d) {
  const cs = counties(d);
  const rows = d.alarms?.today?.by_county || [];
  const kinds = KINDS.filter((k) => rows.some((r) => r.kind === k));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0, icon: 'circle', itemWidth: 10 },
    grid: { left: 40, right: 16, top: 24, bottom: 48 },
    xAxis: { type: 'category', data: cs.map((c) => c.name), axisTick: { show: false } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#eef1f0' } } },
    graphic: rows.length ? [] : [{ type: 'text', left: 'center', top: 'middle', style: { text: t('no_alarms_today'), fill: '#8a9691', fontSize: 13 } }],
    series: kinds.map((k) => ({
      name: label('alarm_kind', k), type: 'bar', stack: 'today', barMaxWidth: 36, itemStyle: { color: KIND_COLORS[k] },
      data: cs.map((c) => (rows.find((r) => r.region_code === c.code && r.kind === k) || {}).n || 0),
    })),
  };
}

// Width-dependent chart options, applied again whenever a chart's box changes size: a narrow
// pie (a phone, a 1100 px laptop's panel) takes less radius, so its outside labels are not cut
// short, and the industry names get at most 42% of the chart's width.
const PIE_RADIUS = { 'chart-open-kinds': ['40%', '62%'], 'chart-category': ['42%', '68%'] };
const pieRadius = (testid, w) => (w && w < 340 ? ['36%', '58%'] : PIE_RADIUS[testid]);
const indLabelWidth = (w) => Math.round(Math.min(150, (w || 360) * 0.42));

function openKindOption(d) {
  const rows = d.alarms?.by_kind || [];
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, icon: 'circle', itemWidth: 10 },
    graphic: rows.length ? [] : [{ type: 'text', left: 'center', top: 'middle', style: { text: t('no_open_alarms'), fill: '#8a9691', fontSize: 13 } }],
    series: [{
      type: 'pie', radius: pieRadius('chart-open-kinds'), center: ['50%', '44%'], avoidLabelOverlap: true,
      label: { formatter: '{b}\n{c}', fontSize: 12, width: 84, overflow: 'break' },
      data: rows.map((r) => ({ name: label('alarm_kind', r.kind), value: r.open, kind: r.kind, itemStyle: { color: KIND_COLORS[r.kind] || '#888' } })),
    }],
  };
}

function categoryOption(ent) {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, icon: 'circle' },
    series: [{
      type: 'pie', radius: pieRadius('chart-category'), center: ['50%', '45%'], avoidLabelOverlap: true,
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

// ---- the page, by role ----

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('dashboard'));
  const d = await get('/api/v1/dashboard');
  if (!ctx.isCurrent()) return;
  const ent = d.enterprises || { total: 0, by_category: [], by_region: [], by_industry: [] };
  const c = cards(d);
  const r = role();
  const charts = []; // [element, option, onClick]
  const chartEl = (testid, option, onClick, cls = '') => {
    const el = h('div', { class: `chart ${cls}`, 'data-testid': testid });
    charts.push([el, option, onClick]);
    return el;
  };
  const todayChart = () => chartEl('chart-alarms-today', todayOption(d), () => ctx.navigate('/monitor/alarms?status=&sort=-first_at'));
  const kindChart = () => chartEl('chart-open-kinds', openKindOption(d), (p) => p.data?.kind && ctx.navigate(`/monitor/alarms?status=open,acknowledged&kind=${p.data.kind}`));
  const due = d.permits_expiring_total ?? (d.permits_expiring || []).length;
  const expiringPanel = (cls) => panel(t('expiring_table', { n: d.permit_warn_days || 60 }), 'panel-expiring', expiringTable(d),
    { cls, badgeEl: h('span', { class: 'badge amber' }, fmtNum(due)), more: viewAll(`#/permits?expiring=${d.permit_warn_days || 60}`) });
  const oldestPanel = (cls) => panel(t('oldest_unhandled'), 'panel-oldest', oldestTable(d),
    { cls: `${cls} scroll`, badgeEl: h('span', { class: `badge ${d.alarms?.unhandled ? 'red' : 'plain'}` }, fmtNum(d.alarms?.unhandled || 0)), more: viewAll('#/monitor/alarms?status=open') });
  const recentPanel = (cls) => panel(t('recent_audit'), 'panel-recent', recentTable(d),
    { cls: `${cls} scroll`, more: can('audit.read') ? viewAll('#/admin/audit') : null });
  const registryPanels = () => [
    panel(t('by_category'), 'panel-category', chartEl('chart-category', categoryOption(ent), (p) => {
      const k = ['key', 'general', 'special'][p.dataIndex];
      if (k) ctx.navigate(`/enterprises?category=${k}`);
    })),
    panel(t('by_region'), 'panel-region', chartEl('chart-region', regionOption(ent), (p) => {
      const x = ent.by_region[p.dataIndex];
      if (x) ctx.navigate(`/enterprises?region_code=${x.region_code}`);
    })),
    panel(t('by_industry'), 'panel-industry', chartEl('chart-industry', industryOption(ent), (p) => {
      const x = (ent.by_industry || [])[p.dataIndex];
      if (x) ctx.navigate(`/enterprises?industry_code=${x.division}`);
    }, 'tall')),
  ];

  let row;
  let panels;
  if (r === 'leader' || r === 'admin') {
    row = [c.online, c.unhandled, c.today, c.permits, r === 'admin' && c.quarantine ? c.quarantine : c.enterprises];
    panels = [
      panel(t('chart_alarms_today'), 'panel-today', todayChart(), { cls: 'span2' }),
      panel(t('chart_open_by_kind'), 'panel-kinds', kindChart()),
      oldestPanel('span2'), recentPanel(''),
      expiringPanel('span2'), registryPanels()[0],
    ];
  } else if (r === 'monitor') {
    row = [c.online, c.unhandled, c.offline, c.quarantine, c.today];
    panels = [
      panel(t('chart_alarms_today'), 'panel-today', todayChart(), { cls: 'span2' }),
      panel(t('chart_open_by_kind'), 'panel-kinds', kindChart()),
      oldestPanel('span3'),
    ];
  } else {
    // Registry roles: permits first, then their region's alarms and the enterprise figures.
    row = [c.permits, c.enterprises, c.key, c.online, c.unhandled];
    panels = [
      expiringPanel('span2'),
      panel(t('chart_alarms_today'), 'panel-today', todayChart()),
      ...(can('alarm.handle') ? [oldestPanel('span3')] : []),
      ...registryPanels(),
    ];
  }

  main.replaceChildren(
    pageHead(t('dashboard'), h('span', { class: 'muted' }, t('today_is', { d: d.today || '' }))),
    h('div', { class: 'cards dash-cards', 'data-testid': 'dash-cards' }, row.filter(Boolean)),
    h('div', { class: 'panels dash-panels' }, panels));

  const inst = charts.map(([el, option, onClick]) => {
    const ch = echarts.init(el, null, { renderer: 'canvas' });
    ch.setOption({ animationDuration: 300, textStyle: { fontFamily: FONT }, ...option });
    if (onClick) ch.on('click', onClick);
    return ch;
  });
  // Charts follow their boxes: the window, the side menu, a panel's width.
  watchCharts(ctx, inst, (ch) => {
    const el = ch.getDom();
    const id = el.dataset.testid;
    if (PIE_RADIUS[id]) ch.setOption({ series: [{ radius: pieRadius(id, el.clientWidth) }] });
    if (id === 'chart-industry') ch.setOption({ yAxis: { axisLabel: { width: indLabelWidth(el.clientWidth) } } });
  });
  ctx.onLeave(() => inst.forEach((ch) => ch.dispose()));
}
