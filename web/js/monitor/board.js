// Live board (监控总览): every monitoring point in scope with its status — alarm, offline,
// maintenance, online or no data — the kinds of its open alarms and its latest real-time values
// of the limited factors (over the limit in red), with the counts on top (each a filter). Rows
// sort by severity (exceedance, early warning, offline, maintenance, other alarms, online, never
// connected), then enterprise and point; a click on a column head sorts by it instead. Polls the
// board every 5 seconds while the page is open; sorts, filters and pages in the browser (the
// board is one compact response). Names keep to one line (ellipsis, full name on hover), so
// rows do not reflow when a poll changes a cell.
import { get } from '../api.js';
import { session } from '../session.js';
import { t, label, fl } from '../i18n.js';
import { h, pageHead, selectEl, searchBox, fmtTime, todayISO, simpleTable, errorBanner, zhCompare } from '../ui.js';

const TONE = { alarm: 'red', offline: 'amber', maintenance: 'blue', online: 'green', nodata: 'plain' };
const KIND_TONE = { exceed: 'red', early_warning: 'amber', offline: 'grey', flag: 'blue', stuck: 'blue', condition: 'blue' };
// Short names the centre uses for the commonest factors; others show the code table's name.
const SHORT = { w01018: 'COD', w01001: 'pH', a21026: 'SO₂', a21002: 'NOx', a34013: '颗粒物' };

// 0 most severe … 6 never connected.
export function severity(p) {
  const k = p.alarm_kinds || [];
  if (k.includes('exceed')) return 0;
  if (k.includes('early_warning')) return 1;
  return { offline: 2, maintenance: 3, alarm: 4, online: 5 }[p.status] ?? 6;
}

export function statusBadge(s) {
  return h('span', { class: `badge ${TONE[s] || 'plain'}`, 'data-status': s }, label('point_status', s));
}

// The kinds of a point's open alarms, most severe first.
export function kindBadges(kinds) {
  return h('span', { class: 'board-kinds', 'data-testid': 'alarm-kinds' }, (kinds || []).map((k) =>
    h('span', { class: `badge ${KIND_TONE[k] || 'plain'}`, 'data-kind': k }, label('alarm_kind', k))));
}

// "COD 23.1 / 氨氮 1.2": the point's latest real-time values, red when above the limit shown.
function liveValues(p, factors) {
  return h('span', { class: 'board-values', 'data-testid': 'live-values' }, (p.values || []).map((v, i) => {
    const f = factors[v.factor] || {};
    const over = v.limit !== undefined && v.value > v.limit;
    const unit = f.unit ? ` ${f.unit}` : '';
    const title = `${f.name || v.factor} (${v.factor}) ${v.value}${unit}${v.limit !== undefined ? ` · ${t('limit_value')} ${v.limit}${unit}` : ''}`;
    const el = h('span', { class: `lv${over ? ' over' : ''}`, title, 'data-factor': v.factor, 'data-over': over ? '1' : undefined },
      `${SHORT[v.factor] || f.name || v.factor} `, h('b', {}, String(v.value)), f.unit ? h('small', {}, unit) : '');
    return i ? [' / ', el] : el; // the line may break between values, never inside one
  }).flat());
}

// A time of today as HH:MM:SS, an older one as MM-DD HH:MM; the whole time on hover.
function shortTime(text) {
  if (!text) return '';
  return h('span', { title: text }, text.startsWith(todayISO()) ? text.slice(11, 19) : text.slice(5, 16));
}

// One line, the whole text on hover.
const clip = (text, node) => h('span', { class: 'clip', title: text }, node || text);

const SORTS = {
  status: (a, b) => severity(a) - severity(b),
  region_name: (a, b) => a.region_code.localeCompare(b.region_code),
  enterprise_name: (a, b) => zhCompare(a.enterprise_name, b.enterprise_name),
  name: (a, b) => zhCompare(a.name, b.name),
  mn: (a, b) => a.mn.localeCompare(b.mn),
  alarms_open: (a, b) => a.alarms_open - b.alarms_open,
  last_seen_at: (a, b) => a.last_seen_at.localeCompare(b.last_seen_at),
  last_data_time: (a, b) => a.last_data_time.localeCompare(b.last_data_time),
};
const byDefault = (a, b) => SORTS.status(a, b) || SORTS.enterprise_name(a, b) || SORTS.name(a, b);

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('monitor_board'));
  let data = { items: [], counts: {}, factors: {} };
  let status = query.get('status') || '';
  let sort = SORTS[(query.get('sort') || '').replace(/^-/, '')] ? query.get('sort') : '';
  let page = 0;
  const PAGE = 50;
  const region = selectEl({ name: 'region', testid: 'filter-region', options: [], placeholder: t('all_regions'), onChange: () => { page = 0; draw(); } });
  const q = searchBox({ placeholder: `${t('enterprise')} / ${t('point')} / MN`, value: query.get('q') || '', width: '260px', onSearch: () => { page = 0; draw(); } });
  const cards = h('div', { class: 'cards board-cards', 'data-testid': 'board-counts' });
  const tableBox = h('div', { class: 'board-table' });
  const stamp = h('span', { class: 'muted', 'data-testid': 'board-updated' });
  const pager = h('div', { class: 'pager' });
  // An enterprise user sees its own points only: no region to choose.
  const own = session.user.role === 'enterprise';
  main.replaceChildren(pageHead(t('monitor_board'), stamp), cards, h('div', { class: 'toolbar' }, q, own ? null : region), tableBox, pager);

  const remember = () => ctx.setQuery({ status, sort });
  function card(key, n) {
    const on = status === key || (key === 'total' && !status);
    const el = h('a', { class: `card ${on ? 'on' : ''} tone-${TONE[key] || ''}`, href: '#', 'data-testid': `count-${key}` },
      h('div', { class: 'num' }, String(n ?? 0)), h('div', { class: 'lbl' }, t(`st_${key}`)));
    el.addEventListener('click', (e) => { e.preventDefault(); status = key === 'total' ? '' : key; page = 0; remember(); draw(); });
    return el;
  }
  function order() {
    if (!sort) return byDefault;
    const f = SORTS[sort.replace(/^-/, '')];
    const dir = sort.startsWith('-') ? -1 : 1;
    return (a, b) => dir * f(a, b) || byDefault(a, b);
  }
  // A column head sorts by its column: ascending, descending, then back to severity.
  function sortable(key, text) {
    if (!SORTS[key]) return text;
    const on = sort.replace(/^-/, '') === key;
    const el = h('span', { class: `board-sort${on ? (sort.startsWith('-') ? ' desc' : ' asc') : ''}`, role: 'button', tabindex: 0,
      title: t('sort_hint'), 'data-sort': key }, text);
    const go = () => { sort = !on ? key : sort.startsWith('-') ? '' : `-${key}`; page = 0; remember(); draw(); };
    el.addEventListener('click', go);
    el.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
    return el;
  }
  function draw() {
    const c = data.counts;
    cards.replaceChildren(card('total', c.total), card('alarm', c.alarm), card('offline', c.offline),
      card('maintenance', c.maintenance), card('online', c.online), card('nodata', c.nodata));
    const needle = q.value.trim();
    const rows = data.items.filter((p) => (!status || p.status === status) && (!region.value || p.region_code === region.value) &&
      (!needle || p.enterprise_name.includes(needle) || p.name.includes(needle) || p.mn.includes(needle.toUpperCase())))
      .sort(order());
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    page = Math.min(page, pages - 1);
    const col = (key, text, rest) => ({ key, label: sortable(key, text), ...rest });
    tableBox.replaceChildren(simpleTable({
      testid: 'board-table',
      columns: [
        col('status', fl('status'), { cls: 'nowrap c-status', render: (p) => statusBadge(p.status) }),
        col('alarm_kinds', t('alarm_kind'), { cls: 'c-kinds', render: (p) => kindBadges(p.alarm_kinds) }),
        col('region_name', t('region'), { cls: 'nowrap c-region' }),
        col('enterprise_name', t('enterprise'), { cls: 'c-name', render: (p) => clip(p.enterprise_name, h('a', { href: `#/enterprises/${p.enterprise_id}` }, p.enterprise_name)) }),
        col('name', `${t('point')} / MN`, { cls: 'c-name', render: (p) => [clip(p.name, h('a', { href: `#/monitor/points/${p.id}`, 'data-testid': `point-${p.id}` }, p.name)),
          h('span', { class: 'clip mono small muted', title: p.mn }, p.mn)] }),
        col('values', t('board_values'), { cls: 'c-values', render: (p) => liveValues(p, data.factors || {}) }),
        col('alarms_open', t('alarms_open'), { cls: 'num c-count', render: (p) => (p.alarms_open ? h('a', { class: 'badge red', href: `#/monitor/alarms?point_id=${p.id}&status=open,acknowledged` }, String(p.alarms_open)) : '') }),
        col('last_seen_at', t('last_seen'), { cls: 'nowrap muted c-time', render: (p) => shortTime(fmtTime(p.last_seen_at, true)) }),
        col('last_data_time', t('last_data'), { cls: 'nowrap muted c-time', render: (p) => shortTime(p.last_data_time) }),
      ],
      rows: rows.slice(page * PAGE, page * PAGE + PAGE),
      onRow: (p) => ctx.navigate(`/monitor/points/${p.id}`),
    }));
    const prev = h('button', { type: 'button', class: 'btn small', disabled: page === 0 }, `‹ ${t('prev')}`);
    const next = h('button', { type: 'button', class: 'btn small', disabled: page >= pages - 1 }, `${t('next')} ›`);
    prev.addEventListener('click', () => { page--; draw(); });
    next.addEventListener('click', () => { page++; draw(); });
    pager.replaceChildren(h('span', { class: 'pager-info' }, t('total', { n: rows.length })), h('span', { class: 'spacer' }), prev,
      h('span', { class: 'page-no' }, `${page + 1} / ${pages}`), next);
  }
  async function load() {
    try {
      data = await get('/api/v1/monitor/board');
      const regions = [...new Map(data.items.map((p) => [p.region_code, p.region_name])).entries()].sort();
      const keep = region.value;
      region.replaceChildren(h('option', { value: '' }, t('all_regions')), ...regions.map(([c, n]) => h('option', { value: c }, n || c)));
      region.value = keep;
      stamp.textContent = `${t('updated_at_t', { t: fmtTime(data.generated_at, true) })} · ${t('auto_refresh')}`;
      draw();
    } catch (e) {
      tableBox.replaceChildren(errorBanner(e));
    }
  }
  await load();
  const timer = setInterval(() => { if (ctx.isCurrent()) load(); else clearInterval(timer); }, 5000);
  ctx.onLeave(() => clearInterval(timer));
}
