// Online monitoring on the 工作台: points online of those registered, unhandled, today's and
// offline alarms, the quarantine; today's alarms by county and kind, the open ones by kind, the
// longest-waiting unhandled ones. See platform/dashboard_kit.js for how items are ranked.
import { t, label } from '../i18n.js';
import { h, fmtTime, fmtNum, simpleTable } from '../ui.js';
import { card, panel, viewAll, pieRadius } from '../platform/dashboard_kit.js';

const KIND_COLORS = { exceed: '#c2413b', early_warning: '#d98e04', offline: '#8a9691', flag: '#2f6fae', stuck: '#7b5ea7', condition: '#15817f' };
const KINDS = Object.keys(KIND_COLORS);
const KIND_PIE = ['40%', '62%'];

// How long an alarm has waited since it opened.
function waited(iso) {
  const min = Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 60000));
  if (min < 60) return t('age_min', { n: min });
  if (min < 48 * 60) return t('age_h', { n: Math.floor(min / 60) });
  return t('age_d', { n: Math.floor(min / 1440) });
}

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

// Counties on the x axis: those of the scope (from the enterprises' regions, when the registry
// gave them), then any other that had alarms.
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

function openKindOption(d) {
  const rows = d.alarms?.by_kind || [];
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, icon: 'circle', itemWidth: 10 },
    graphic: rows.length ? [] : [{ type: 'text', left: 'center', top: 'middle', style: { text: t('no_open_alarms'), fill: '#8a9691', fontSize: 13 } }],
    series: [{
      type: 'pie', radius: pieRadius(KIND_PIE), center: ['50%', '44%'], avoidLabelOverlap: true,
      label: { formatter: '{b}\n{c}', fontSize: 12, width: 84, overflow: 'break' },
      data: rows.map((r) => ({ name: label('alarm_kind', r.kind), value: r.open, kind: r.kind, itemStyle: { color: KIND_COLORS[r.kind] || '#888' } })),
    }],
  };
}

export function items(d, kit) {
  if (!d.monitoring && !d.alarms) return [];
  const m = d.monitoring || {};
  const al = d.alarms || {};
  const rate = m.online_rate === null || m.online_rate === undefined ? '—' : `${(m.online_rate * 100).toFixed(1)}%`;
  const out = [
    { kind: 'card', rank: { leader: 1, admin: 1, monitor: 1, default: 4 },
      el: card({ num: rate, lbl: t('card_online_rate'), href: '#/monitor', testid: 'card-online',
        tone: m.registered && m.online < m.registered ? 'amber' : '',
        sub: t('points_online_sub', { n: fmtNum(m.registered || 0), on: fmtNum(m.online || 0) }), subTone: 'muted' }) },
    { kind: 'card', rank: { leader: 2, admin: 2, monitor: 2, default: 5 },
      el: card({ num: fmtNum(al.unhandled || 0), lbl: t('card_unhandled'), href: '#/monitor/alarms?status=open', testid: 'card-unhandled',
        tone: al.unhandled ? 'red' : '', sub: t('open_alarms_n', { n: fmtNum(al.open || 0) }), subTone: 'muted' }) },
    { kind: 'card', rank: { leader: 3, admin: 3, monitor: 5, default: null },
      el: card({ num: fmtNum(al.today?.total || 0), lbl: t('card_alarms_today'), href: '#/monitor/alarms?status=&sort=-first_at',
        testid: 'card-today', tone: al.today?.total ? 'amber' : '' }) },
    { kind: 'card', rank: { monitor: 3, default: null },
      el: card({ num: fmtNum(m.offline || 0), lbl: t('card_offline'), href: '#/monitor?status=offline', testid: 'card-offline',
        tone: m.offline ? 'red' : '', sub: t('never_connected_n', { n: fmtNum(m.never_connected || 0) }), subTone: 'muted' }) },
    d.quarantine && { kind: 'card', rank: { admin: 5, monitor: 4, default: null },
      el: card({ num: fmtNum(d.quarantine.devices), lbl: t('card_quarantine'), href: '#/monitor/quarantine',
        testid: 'card-quarantine', tone: d.quarantine.devices ? 'amber' : '', sub: t('frames_n', { n: fmtNum(d.quarantine.frames) }), subTone: 'muted' }) },
    { kind: 'panel', rank: { leader: 1, admin: 1, monitor: 1, default: 2 }, cls: { leader: 'span2', admin: 'span2', monitor: 'span2', default: '' },
      make: (cls) => panel(t('chart_alarms_today'), 'panel-today',
        kit.chartEl('chart-alarms-today', todayOption(d), () => kit.navigate('/monitor/alarms?status=&sort=-first_at')), { cls }) },
    { kind: 'panel', rank: { leader: 2, admin: 2, monitor: 2, default: null },
      make: (cls) => panel(t('chart_open_by_kind'), 'panel-kinds',
        kit.chartEl('chart-open-kinds', openKindOption(d), (p) => p.data?.kind && kit.navigate(`/monitor/alarms?status=open,acknowledged&kind=${p.data.kind}`),
          '', (ch, el) => ch.setOption({ series: [{ radius: pieRadius(KIND_PIE, el.clientWidth) }] })), { cls }) },
    { kind: 'panel', rank: { leader: 3, admin: 3, monitor: 3, default: kit.can('alarm.handle') ? 3 : null },
      cls: { leader: 'span2', admin: 'span2', default: 'span3' },
      make: (cls) => panel(t('oldest_unhandled'), 'panel-oldest', oldestTable(d),
        { cls: `${cls} scroll`, badgeEl: h('span', { class: `badge ${al.unhandled ? 'red' : 'plain'}` }, fmtNum(al.unhandled || 0)), more: viewAll('#/monitor/alarms?status=open') }) },
  ];
  return out.filter(Boolean);
}
