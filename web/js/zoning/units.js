// 环境管控单元: the units of the edition in force (or a chosen one), filtered by kind and county,
// searched by code or name, sorted and paged; a row opens the unit with its access list.
import { get, qs } from '../api.js';
import { t, fl, label, enumOptions } from '../i18n.js';
import { h, pageHead, dataTable, selectEl, searchBox } from '../ui.js';

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('zn_units_title'));
  const editions = (await get('/api/v1/zoning/editions')).items;
  const inForce = editions.find((e) => e.in_force);
  const ed = selectEl({ name: 'edition_id', testid: 'filter-edition', value: query.get('edition_id') || (inForce ? String(inForce.id) : ''),
    options: editions.map((e) => [String(e.id), `${e.code}${e.in_force ? `（${t('zn_in_force')}）` : ''}`]), onChange: () => { sync(); table.reload(); } });
  const kind = selectEl({ name: 'kind', testid: 'filter-kind', value: query.get('kind') || '', placeholder: t('zn_all_kinds'),
    options: enumOptions('zoning_kind'), onChange: () => { sync(); table.reload(); } });
  let q = query.get('q') || '';
  const search = searchBox({ placeholder: t('zn_search_units'), testid: 'zoning-units-search', value: q, onSearch: (v) => { q = v; sync(); table.reload(); } });
  const params = () => ({ edition_id: ed.value || undefined, kind: kind.value || undefined, q: q || undefined });
  const sync = () => ctx.setQuery(params());
  const table = dataTable({
    testid: 'zoning-units-table',
    toolbar: [ed, kind, search],
    sort: 'code',
    fetch: (p) => get(`/api/v1/zoning/units${qs({ ...params(), ...p })}`),
    onRow: (r) => ctx.navigate(`/zoning/units/${r.id}`),
    rowTestid: (r) => `zoning-unit-row-${r.code}`,
    columns: [
      { key: 'code', label: fl('code', 'control_unit'), sort: 'code', cls: 'nowrap', render: (r) => h('a', { href: `#/zoning/units/${r.id}` }, r.code) },
      { key: 'name', label: fl('name', 'control_unit'), sort: 'name', primary: true },
      { key: 'kind', label: fl('kind', 'control_unit'), sort: 'kind', render: (r) => h('span', { class: `badge ${r.kind === 'priority' ? 'teal' : r.kind === 'key' ? 'amber' : 'grey'}` }, label('zoning_kind', r.kind)) },
      { key: 'region_name', label: fl('region_code', 'control_unit'), sort: 'region_code', render: (r) => r.region_name || r.region_code },
      { key: 'sensitive', label: fl('sensitive', 'control_unit'), render: (r) => (r.sensitive ? '✓' : '') },
      { key: 'n_items', label: fl('n_items', 'control_unit'), sort: 'n_items', cls: 'num' },
      { key: 'edition', label: fl('edition_id', 'control_unit') },
    ],
  });
  main.replaceChildren(pageHead(t('zn_units_title')), table.el);
}
