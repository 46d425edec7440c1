// Environmental service agencies (环境服务机构): EIA preparers, testing bodies and O&M
// operators. Everyone on the staff reads the directory; admins and approvers create, edit and
// deactivate. Agencies are not region-scoped, so the region list covers every region.
import { get, post, patch, qs } from '../api.js';
import { t, fl, label, enumOptions } from '../i18n.js';
import { can } from '../session.js';
import { regionOptions } from '../codes.js';
import { h, dataTable, selectEl, searchBox, badge, pageHead, btn, form, modal, toast, confirmDialog, downloadLink } from '../ui.js';
import { usccProblem } from '../uscc.js';
import { MODULES } from '../modules.js';

// Other modules' columns of the register (their module.js agencyColumns: credit's grade); each
// loaded file exports agencyColumn() → { column, onLoad(page) }.
const moduleColumns = () => Promise.all(MODULES.flatMap((m) => m.agencyColumns || []).filter((x) => can(x.perm || 'staff'))
  .map(async (x) => (await x.load()).agencyColumn()));

function agencyDialog(current, regions, done) {
  let m;
  const f = form({
    cols: 2,
    testid: 'agency-form',
    values: current || { kind: 'eia' },
    fields: [
      { name: 'name', label: fl('name'), required: true, span: 2, maxlength: 200 },
      { name: 'uscc', label: fl('uscc'), required: true, maxlength: 18, hint: t('uscc_hint'), validate: (v) => usccProblem(v.toUpperCase()) },
      { name: 'kind', label: fl('kind'), type: 'select', required: true, noPlaceholder: true, options: enumOptions('agency_kind') },
      { name: 'region_code', label: fl('region_name'), type: 'select', required: true, options: regions },
      { name: 'contact_name', label: fl('contact_name'), maxlength: 100 },
      { name: 'address', label: fl('address'), span: 2, maxlength: 300 },
      { name: 'contact_phone', label: fl('contact_phone'), type: 'tel', maxlength: 40 },
    ],
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      if (current) {
        const body = f.changed();
        if (Object.keys(body).length) await patch(`/api/v1/agencies/${current.id}`, body);
        toast(t('saved'));
      } else {
        const body = {};
        for (const [k, x] of Object.entries(v)) if (x !== '') body[k] = x;
        body.uscc = body.uscc.toUpperCase();
        await post('/api/v1/agencies', body);
        toast(t('created_ok'));
      }
      m.close();
      done();
    },
  });
  m = modal({ title: current ? `${t('edit_agency')} · ${current.name}` : t('new_agency'), body: f.el, wide: true, dismissable: false, testid: 'agency-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('agencies'));
  const [filterRegions, formRegions, extra] = await Promise.all([regionOptions({ forFilter: true, all: true }), regionOptions({ all: true }), moduleColumns()]);
  if (!ctx.isCurrent()) return;
  const write = can('agency.write');
  const q = searchBox({ placeholder: t('agency_search'), value: query.get('q') || '', width: '240px', onSearch: () => changed() });
  const kind = selectEl({ name: 'kind', testid: 'filter-kind', options: enumOptions('agency_kind'), value: query.get('kind') || '',
    placeholder: t('filter_all', { f: fl('kind') }), onChange: () => changed() });
  const region = selectEl({ name: 'region_code', testid: 'filter-region', options: filterRegions, value: query.get('region_code') || '',
    placeholder: t('filter_all', { f: fl('region_name') }), onChange: () => changed() });
  const status = selectEl({ name: 'status', testid: 'filter-status', options: enumOptions('status'), value: query.get('status') || '',
    placeholder: t('filter_all', { f: fl('status') }), onChange: () => changed() });
  let sort = query.get('sort') || 'name';
  const params = () => ({ q: q.value.trim(), kind: kind.value, region_code: region.value, status: status.value });
  const exportUrl = (format) => `/api/v1/agencies/export${qs({ ...params(), sort, format })}`;
  const xlsx = downloadLink({ label: t('export_xlsx'), href: exportUrl('xlsx'), testid: 'export-xlsx' });
  const csv = downloadLink({ label: t('export_csv'), href: exportUrl('csv'), testid: 'export-csv' });
  function syncUrl() {
    ctx.setQuery({ ...params(), sort: sort === 'name' ? '' : sort });
    xlsx.update(exportUrl('xlsx'));
    csv.update(exportUrl('csv'));
  }
  function changed() { syncUrl(); table.reload(); }
  const table = dataTable({
    testid: 'agencies-list',
    sort,
    onSort: (s) => { sort = s; syncUrl(); },
    columns: [
      { key: 'name', label: fl('name'), sort: 'name' },
      { key: 'uscc', label: fl('uscc'), sort: 'uscc', cls: 'mono nowrap' },
      { key: 'kind', label: fl('kind'), cls: 'nowrap', render: (r) => label('agency_kind', r.kind) },
      { key: 'region_name', label: fl('region_name'), cls: 'nowrap' },
      { key: 'address', label: fl('address'), cls: 'muted ellipsis' },
      { key: 'contact', label: fl('contact_name'), cls: 'nowrap', render: (r) => [r.contact_name, r.contact_phone ? h('span', { class: 'muted' }, ` ${r.contact_phone}`) : null] },
      { key: 'status', label: fl('status'), cls: 'nowrap', render: (r) => badge('status', r.status) },
      ...extra.map((x) => x.column),
      write ? { key: 'act', label: t('actions'), cls: 'actions nowrap', render: (r) => [
        btn(t('edit'), () => agencyDialog(r, formRegions, () => table.refresh()), { small: true, testid: `edit-${r.id}` }),
        r.status === 'active' ? btn(t('deactivate'), async () => {
          if (!(await confirmDialog(t('confirm_deactivate', { name: r.name }), { danger: true, okLabel: t('deactivate') }))) return;
          try { await post(`/api/v1/agencies/${r.id}/deactivate`); toast(t('status_changed')); table.refresh(); } catch (e) { toast(e, 'error'); }
        }, { small: true, danger: true }) : null] } : null,
    ].filter(Boolean),
    fetch: (p) => get(`/api/v1/agencies${qs(p)}`),
    onLoad: (page) => extra.forEach((x) => x.onLoad(page).catch(() => {})),
    params,
    rowClass: (r) => (r.status === 'inactive' ? 'inactive' : ''),
    toolbar: [q, kind, region, status],
  });
  const actions = [xlsx.el, csv.el];
  if (write) actions.push(btn(`+ ${t('new_agency')}`, () => agencyDialog(null, formRegions, () => table.reload()), { primary: true, testid: 'new-agency' }));
  main.replaceChildren(pageHead(t('agencies'), actions), table.el);
}
