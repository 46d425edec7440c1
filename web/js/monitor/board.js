// Live board (监控总览): every monitoring point in scope with its status — online, alarm,
// offline, maintenance or no data — by region and enterprise, with the counts on top (each a
// filter). Polls the board every 5 seconds while the page is open; sorts, filters and pages in
// the browser (the board is one small response).
import { get } from '../api.js';
import { session } from '../session.js';
import { t, label, fl } from '../i18n.js';
import { h, pageHead, selectEl, searchBox, fmtTime, simpleTable, errorBanner, zhCompare } from '../ui.js';

const ORDER = { alarm: 0, offline: 1, maintenance: 2, online: 3, nodata: 4 };
const TONE = { alarm: 'red', offline: 'amber', maintenance: 'blue', online: 'green', nodata: 'plain' };

export function statusBadge(s) {
  return h('span', { class: `badge ${TONE[s] || 'plain'}`, 'data-status': s }, label('point_status', s));
}

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('monitor_board'));
  let data = { items: [], counts: {} };
  let status = query.get('status') || '';
  let page = 0;
  const PAGE = 50;
  const region = selectEl({ name: 'region', testid: 'filter-region', options: [], placeholder: t('all_regions'), onChange: () => { page = 0; draw(); } });
  const q = searchBox({ placeholder: `${t('enterprise')} / ${t('point')} / MN`, value: query.get('q') || '', width: '260px', onSearch: () => { page = 0; draw(); } });
  const cards = h('div', { class: 'cards board-cards', 'data-testid': 'board-counts' });
  const tableBox = h('div');
  const stamp = h('span', { class: 'muted', 'data-testid': 'board-updated' });
  const pager = h('div', { class: 'pager' });
  // An enterprise user sees its own points only: no region to choose.
  const own = session.user.role === 'enterprise';
  main.replaceChildren(pageHead(t('monitor_board'), stamp), cards, h('div', { class: 'toolbar' }, q, own ? null : region), tableBox, pager);

  function card(key, n) {
    const on = status === key || (key === 'total' && !status);
    const el = h('a', { class: `card ${on ? 'on' : ''} tone-${TONE[key] || ''}`, href: '#', 'data-testid': `count-${key}` },
      h('div', { class: 'num' }, String(n ?? 0)), h('div', { class: 'lbl' }, t(`st_${key}`)));
    el.addEventListener('click', (e) => { e.preventDefault(); status = key === 'total' ? '' : key; page = 0; ctx.setQuery({ status }); draw(); });
    return el;
  }
  function draw() {
    const c = data.counts;
    cards.replaceChildren(card('total', c.total), card('alarm', c.alarm), card('offline', c.offline),
      card('maintenance', c.maintenance), card('online', c.online), card('nodata', c.nodata));
    const needle = q.value.trim();
    const rows = data.items.filter((p) => (!status || p.status === status) && (!region.value || p.region_code === region.value) &&
      (!needle || p.enterprise_name.includes(needle) || p.name.includes(needle) || p.mn.includes(needle.toUpperCase())))
      .sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.region_code.localeCompare(b.region_code) || zhCompare(a.enterprise_name, b.enterprise_name));
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    page = Math.min(page, pages - 1);
    tableBox.replaceChildren(simpleTable({
      testid: 'board-table',
      columns: [
        { key: 'status', label: fl('status'), cls: 'nowrap', render: (p) => statusBadge(p.status) },
        { key: 'region_name', label: t('region'), cls: 'nowrap' },
        { key: 'enterprise_name', label: t('enterprise'), render: (p) => h('a', { href: `#/enterprises/${p.enterprise_id}` }, p.enterprise_name) },
        { key: 'name', label: t('point'), render: (p) => h('a', { href: `#/monitor/points/${p.id}`, 'data-testid': `point-${p.id}` }, p.name) },
        { key: 'outlet_kind', label: '', cls: 'nowrap muted', render: (p) => label('outlet_kind', p.outlet_kind) },
        { key: 'mn', label: 'MN', cls: 'mono small' },
        { key: 'alarms_open', label: t('alarms_open'), cls: 'num', render: (p) => (p.alarms_open ? h('a', { class: 'badge red', href: `#/monitor/alarms?point_id=${p.id}&status=open,acknowledged` }, String(p.alarms_open)) : '') },
        { key: 'last_seen_at', label: t('last_seen'), cls: 'nowrap muted', render: (p) => fmtTime(p.last_seen_at, true) },
        { key: 'last_data_time', label: t('last_data'), cls: 'nowrap muted' },
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
