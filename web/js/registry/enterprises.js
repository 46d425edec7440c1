// Enterprise list (企业档案): search (2 Chinese characters work), filters by category, region,
// industry code prefix, tag and status, server-side sort and cursor paging, Excel/CSV export of
// the current filter, batch import with a dry run and a per-row error report, "new enterprise".
// The filters live in the address (#/enterprises?q=…&category=…) so Back restores them.
import { get, upload, qs } from '../api.js';
import { t, fl, enumOptions } from '../i18n.js';
import { can, session } from '../session.js';
import { regionOptions, searchIndustries } from '../codes.js';
import {
  h, dataTable, selectEl, searchBox, searchSelect, badge, tagList, fmtTime, pageHead, btn, modal,
  progressBar, okBanner, errorBanner, confirmDialog, downloadLink, simpleTable, apiMessage,
} from '../ui.js';

const FILTERS = ['q', 'category', 'region_code', 'industry_code', 'tags', 'status'];

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('enterprises'));
  const regions = await regionOptions({ forFilter: true });
  if (!ctx.isCurrent()) return;

  const f = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || '']));
  let sort = query.get('sort') || 'name';

  const q = searchBox({ placeholder: t('search_enterprise'), value: f.q, width: '230px', onSearch: () => changed() });
  const category = selectEl({ name: 'category', testid: 'filter-category', options: enumOptions('category'),
    placeholder: t('filter_all', { f: fl('category') }), value: f.category, onChange: () => changed() });
  const region = selectEl({ name: 'region_code', testid: 'filter-region', options: regions,
    placeholder: t('filter_all', { f: fl('region_name') }), value: f.region_code, onChange: () => changed() });
  const industry = searchSelect({ name: 'industry_code', testid: 'filter-industry', value: f.industry_code,
    placeholder: t('industry_prefix'), search: searchIndustries, onPick: () => changed(), maxlength: 4 });
  industry.el.classList.add('filter-ss');
  industry.input.addEventListener('change', () => changed());
  industry.input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); changed(); } });
  const tag = selectEl({ name: 'tags', testid: 'filter-tags', options: enumOptions('tags'),
    placeholder: t('filter_all', { f: fl('tags') }), value: f.tags, onChange: () => changed() });
  const status = selectEl({ name: 'status', testid: 'filter-status', options: enumOptions('status'),
    placeholder: t('filter_all', { f: fl('status') }), value: f.status, onChange: () => changed() });

  const params = () => ({ q: q.value.trim(), category: category.value, region_code: region.value,
    industry_code: industry.get(), tags: tag.value, status: status.value });
  const exportUrl = (format) => `/api/v1/enterprises/export${qs({ ...params(), sort, format })}`;
  const xlsx = downloadLink({ label: t('export_xlsx'), href: exportUrl('xlsx'), testid: 'export-xlsx' });
  const csv = downloadLink({ label: t('export_csv'), href: exportUrl('csv'), testid: 'export-csv' });
  xlsx.el.title = csv.el.title = t('export_hint');

  let lastKey = JSON.stringify(params());
  function changed(force) {
    const key = JSON.stringify(params());
    if (!force && key === lastKey) return;
    lastKey = key;
    ctx.setQuery({ ...params(), sort: sort === 'name' ? '' : sort });
    xlsx.update(exportUrl('xlsx'));
    csv.update(exportUrl('csv'));
    table.reload();
  }
  const reset = btn(t('reset_filters'), () => {
    q.value = ''; category.value = ''; region.value = ''; industry.set(''); tag.value = ''; status.value = '';
    changed();
  }, { testid: 'reset-filters', small: true });

  // The detail page's "back to list" returns to this list with its filters.
  const remember = () => { session.lastList = location.hash; };
  remember();
  const table = dataTable({
    onLoad: remember,
    testid: 'enterprise-table',
    sort,
    onSort: (s) => { sort = s; ctx.setQuery({ ...params(), sort: s === 'name' ? '' : s }); xlsx.update(exportUrl('xlsx')); csv.update(exportUrl('csv')); },
    columns: [
      { key: 'name', label: fl('name'), sort: 'name', cls: 'nowrap', render: (r) => h('a', { href: `#/enterprises/${r.id}`, title: r.address || '' }, r.name) },
      { key: 'uscc', label: fl('uscc'), sort: 'uscc', cls: 'mono nowrap' },
      { key: 'region_name', label: fl('region_name'), sort: 'region_code', cls: 'nowrap' },
      { key: 'industry', label: fl('industry_name'), sort: 'industry_code', cls: 'ellipsis',
        render: (r) => h('span', { title: `${r.industry_code} ${r.industry_name || ''}` }, h('span', { class: 'mono muted' }, r.industry_code), ' ', r.industry_name || '') },
      { key: 'category', label: fl('category'), sort: 'category', cls: 'nowrap', render: (r) => badge('category', r.category) },
      { key: 'tags', label: fl('tags'), render: (r) => tagList(r.tags) },
      { key: 'status', label: fl('status'), sort: 'status', cls: 'nowrap', render: (r) => badge('status', r.status) },
      { key: 'updated_at', label: fl('updated_at'), sort: 'updated_at', cls: 'nowrap muted', render: (r) => h('span', { title: fmtTime(r.updated_at, true) }, fmtTime(r.updated_at).slice(0, 10)) },
    ],
    fetch: (p) => get(`/api/v1/enterprises${qs(p)}`),
    params,
    onRow: (r) => ctx.navigate(`/enterprises/${r.id}`),
    rowClass: (r) => (r.status === 'inactive' ? 'inactive' : ''),
    toolbar: [q, category, region, industry.el, tag, status, reset],
  });

  const actions = [xlsx.el, csv.el];
  if (can('enterprise.import')) actions.push(btn(t('import'), () => importDialog(() => table.reload()), { testid: 'import' }));
  if (can('enterprise.write')) actions.push(btn(`+ ${t('new_enterprise')}`, () => ctx.navigate('/enterprises/new'), { primary: true, testid: 'new-enterprise' }));
  main.replaceChildren(pageHead(t('enterprises'), actions), table.el);
}

// Import: choose a file, check it (dry_run=1), then import it for real after a confirmation.
// A refused file shows every bad row (row number, field, message) from the 422 body.
function importDialog(done) {
  const file = h('input', { type: 'file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'data-testid': 'import-file' });
  const out = h('div', { class: 'import-out', 'data-testid': 'import-out' });
  let checked = null;    // the File that passed the dry run
  file.addEventListener('change', () => {
    checked = null;
    out.replaceChildren();
    m.el.querySelector('[data-testid=import-go]').disabled = true;
  });

  async function send(dry) {
    const fl0 = file.files[0];
    if (!fl0) { out.replaceChildren(errorBanner(new Error(t('no_file')))); return null; }
    const fd = new FormData();
    fd.append('file', fl0, fl0.name);
    const bar = progressBar(t('uploading', { p: 0 }));
    out.replaceChildren(bar.el);
    try {
      const r = await upload(`/api/v1/enterprises/import${dry ? '?dry_run=1' : ''}`, fd, (p) => {
        if (p < 1) bar.set(p, t('uploading', { p: Math.round(p * 100) }));
        else bar.set(null, t('processing'));
      });
      const summary = t('import_summary', { c: r.created ?? 0, u: r.updated ?? 0, n: r.unchanged ?? 0 });
      out.replaceChildren(okBanner(dry ? t('import_checked', { s: summary }) : t('import_done', { s: summary }), 'import-result'));
      return fl0;
    } catch (e) {
      const rows = (e.body && e.body.rows) || [];
      out.replaceChildren(
        errorBanner(rows.length ? new Error(t('import_failed', { n: rows.length })) : e, 'import-errors', { retry: false }),
        rows.length ? h('div', { class: 'import-rows' }, simpleTable({
          testid: 'import-rows',
          columns: [
            { key: 'row', label: t('row'), cls: 'num nowrap' },
            { key: 'field', label: t('field'), cls: 'nowrap', render: (r) => (r.field ? fl(r.field) : '') },
            { key: 'message', label: t('message'), render: (r) => apiMessage(r) },
          ],
          rows,
        })) : null);
      return null;
    }
  }

  const m = modal({
    title: t('import_title'), wide: true, testid: 'import-dialog', dismissable: false,
    body: h('div', {}, h('p', { class: 'muted' }, t('import_help')),
      // The template: the columns an import reads and one example row that imports as it is.
      h('p', { class: 'import-template', 'data-testid': 'import-template' }, `${t('import_template')}：`,
        downloadLink({ label: 'XLSX', href: '/api/v1/enterprises/import-template?format=xlsx', testid: 'import-template-xlsx', cls: 'link' }).el, ' · ',
        downloadLink({ label: 'CSV', href: '/api/v1/enterprises/import-template?format=csv', testid: 'import-template-csv', cls: 'link' }).el),
      h('div', { class: 'file-row' }, file), out),
    actions: [
      { label: t('dry_run'), testid: 'import-dry', onClick: async () => { checked = await send(true); return false; } },
      { label: t('do_import'), primary: true, testid: 'import-go', disabled: () => !checked || checked !== file.files[0],
        onClick: async () => {
          if (!(await confirmDialog(t('import_confirm'), { okLabel: t('do_import'), title: t('import_confirm_title') }))) return false;
          if (await send(false)) done();
          checked = null;
          return false;
        } },
    ],
  });
}
