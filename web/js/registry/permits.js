// Pollution permits across all enterprises in scope (排污许可证): search by permit number,
// "due within N days" (expired included), class and status filters, sort, paging, export.
import { get, qs } from '../api.js';
import { t, fl, enumOptions } from '../i18n.js';
import { h, dataTable, selectEl, searchBox, badge, pageHead, btn, daysUntil, downloadLink } from '../ui.js';

function validity(r) {
  if (r.status !== 'active') return null;
  const d = daysUntil(r.valid_to);
  if (d === null) return null;
  if (d < 0) return h('span', { class: 'badge red' }, t('overdue_days', { n: -d }));
  if (d === 0) return h('span', { class: 'badge red' }, t('due_today'));
  if (d <= 60) return h('span', { class: `badge ${d <= 30 ? 'red' : 'amber'}` }, t('days_left', { n: d }));
  return null;
}

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('permits'));
  const q = searchBox({ placeholder: t('permit_search'), value: query.get('q') || '', width: '240px', onSearch: () => changed() });
  const expiring = selectEl({ name: 'expiring', testid: 'filter-expiring', value: query.get('expiring') || '',
    options: [['', t('any_time')], ...[30, 60, 90, 180, 365].map((n) => [String(n), t('within_days', { n })])], onChange: () => changed() });
  const cls = selectEl({ name: 'class', testid: 'filter-class', options: enumOptions('permit_class'), value: query.get('class') || '',
    placeholder: t('filter_all', { f: fl('class') }), onChange: () => changed() });
  const status = selectEl({ name: 'status', testid: 'filter-status', options: enumOptions('status'), value: query.get('status') || '',
    placeholder: t('filter_all', { f: fl('status') }), onChange: () => changed() });
  const params = () => ({ q: q.value.trim(), expiring_within_days: expiring.value, class: cls.value, status: status.value });
  let sort = query.get('sort') || 'valid_to';
  // The export takes the list filters; "due within" is not among them, so it is left out.
  const exportUrl = (format) => `/api/v1/permits/export${qs({ q: q.value.trim(), class: cls.value, status: status.value, sort, format })}`;
  const xlsx = downloadLink({ label: t('export_xlsx'), href: exportUrl('xlsx'), testid: 'export-xlsx' });
  const csv = downloadLink({ label: t('export_csv'), href: exportUrl('csv'), testid: 'export-csv' });
  function syncUrl() {
    ctx.setQuery({ q: q.value.trim(), expiring: expiring.value, class: cls.value, status: status.value, sort: sort === 'valid_to' ? '' : sort });
    xlsx.update(exportUrl('xlsx'));
    csv.update(exportUrl('csv'));
  }
  function changed() { syncUrl(); table.reload(); }
  const table = dataTable({
    testid: 'permits-list',
    sort,
    onSort: (s) => { sort = s; syncUrl(); },
    columns: [
      { key: 'enterprise_name', label: fl('enterprise_name'), render: (r) => h('a', { href: `#/enterprises/${r.enterprise_id}?tab=permits` }, r.enterprise_name) },
      { key: 'number', label: fl('number'), sort: 'number', cls: 'mono nowrap' },
      { key: 'class', label: fl('class'), cls: 'nowrap', render: (r) => badge('permit_class', r.class) },
      { key: 'valid_from', label: fl('valid_from'), sort: 'valid_from', cls: 'nowrap' },
      { key: 'valid_to', label: fl('valid_to'), sort: 'valid_to', cls: 'nowrap' },
      { key: 'left', label: '', cls: 'nowrap', render: validity },
      { key: 'issuer', label: fl('issuer'), cls: 'muted' },
      { key: 'status', label: fl('status'), cls: 'nowrap', render: (r) => badge('status', r.status) },
    ],
    fetch: (p) => get(`/api/v1/permits${qs(p)}`),
    params,
    onRow: (r) => ctx.navigate(`/enterprises/${r.enterprise_id}?tab=permits`),
    rowClass: (r) => (r.status === 'inactive' ? 'inactive' : ''),
    toolbar: [q, expiring, cls, status, btn(t('reset_filters'), () => {
      q.value = ''; expiring.value = ''; cls.value = ''; status.value = ''; changed();
    }, { small: true })],
  });
  main.replaceChildren(pageHead(t('permits'), xlsx.el, csv.el), table.el);
}
