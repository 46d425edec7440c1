// 危险废物, the staff page: the sites within the caller's area (class from HJ 1259-2022, stock
// against capacity, open warnings; search, sort, pages), the open warnings, and the transfer
// manifests; a site or manifest opens its page.
import { get } from '../api.js';
import { t, fl, label, localMessage } from '../i18n.js';
import { h, pageHead, sectionHead, dataTable, searchBox, simpleTable, errorBanner } from '../ui.js';
import { localPage, tonnes, manifestsTable, papersTable } from './common.js';

export function sitesTable(ctx, sites, testid = 'hw-sites') {
  let q = '';
  const search = searchBox({ placeholder: t('hw_search'), testid: 'hw-site-search', onSearch: (v) => { q = v; table.reload(); } });
  const table = dataTable({
    testid, toolbar: [search], sort: 'name', limit: 20,
    fetch: async (p) => localPage(sites, p, (s) => !q || s.name.includes(q) || s.enterprise_name.includes(q)),
    onRow: (s) => ctx.navigate(`/waste/sites/${s.id}`),
    rowTestid: (s) => `hw-site-${s.id}`,
    columns: [
      { key: 'name', label: fl('name', 'waste_site'), sort: 'name', primary: true },
      { key: 'enterprise_name', label: fl('enterprise_name', 'waste_site'), sort: 'enterprise_name' },
      { key: 'region_code', label: fl('region_code', 'waste_site'), sort: 'region_code' },
      { key: 'class', label: fl('class', 'waste_site'), sort: 'class', render: (s) => label('waste_class', s.class) },
      { key: 'annual_t', label: fl('annual_t', 'waste_site'), sort: 'annual_t', cls: 'num', render: (s) => tonnes(s.annual_t) },
      { key: 'in_store_t', label: fl('in_store_t', 'waste_site'), sort: 'in_store_t', cls: 'num',
        render: (s) => h('span', { class: s.capacity_t > 0 && s.in_store_t > s.capacity_t ? 'neg' : '' }, s.capacity_t > 0 ? t('hw_stock_of', { s: tonnes(s.in_store_t), c: tonnes(s.capacity_t) }) : tonnes(s.in_store_t)) },
      { key: 'open_warnings', label: fl('open_warnings', 'waste_site'), sort: 'open_warnings', cls: 'num',
        render: (s) => (s.open_warnings ? h('span', { class: 'badge red' }, String(s.open_warnings)) : '') },
    ],
  });
  return table;
}

export function warningsTable(ctx, items) {
  return simpleTable({
    testid: 'hw-warnings', empty: t('hw_no_warnings'), rows: items,
    onRow: (w) => ctx.navigate(`/waste/sites/${w.site_id}`),
    columns: [
      { key: 'kind', label: fl('kind', 'waste_warning'), primary: true, render: (w) => h('span', { class: 'badge red' }, label('waste_warning_kind', w.kind)) },
      { key: 'enterprise_name', label: fl('enterprise_name', 'waste_site') },
      { key: 'detail', label: fl('detail', 'waste_warning'), render: (w) => localMessage(w.detail) },
      { key: 'raised_at', label: fl('raised_at', 'waste_warning'), cls: 'nowrap', render: (w) => String(w.raised_at).slice(0, 10) },
    ],
  });
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('hw_nav'));
  let sites, warnings;
  try {
    [sites, warnings] = await Promise.all([get('/api/v1/waste/sites'), get('/api/v1/waste/warnings')]);
  } catch (e) { main.replaceChildren(pageHead(t('hw_nav')), errorBanner(e)); return; }
  const st = sitesTable(ctx, sites.items);
  const mt = manifestsTable(ctx);
  main.replaceChildren(
    pageHead(t('hw_nav')),
    h('p', { class: 'muted small' }, t('hw_class_hint')),
    sectionHead(t('hw_warnings')), warningsTable(ctx, warnings.items.slice(0, 50)),
    sectionHead(t('hw_sites')), st.el,
    sectionHead(t('hw_manifests')), mt.el,
    sectionHead(t('hw_papers')), papersTable().el);
}
