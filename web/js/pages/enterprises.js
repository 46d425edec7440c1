// Enterprise list (search, filters, sort, paging, export, import with a per-row report) and
// the create/edit form with field-level messages from the server.
import { api, get, post, patch, qs } from '../api.js';
import { t, label, enumValues } from '../i18n.js';
import { session } from '../app.js';
import { h, dataTable, form, tagList, badge, modal, progress, fmtTime } from '../ui.js';

let regionsCache = null;
export async function regions() {
  if (!regionsCache) regionsCache = (await get('/api/v1/regions?parent=330500')).items;
  return regionsCache;
}

const WRITERS = ['admin', 'approver', 'inspector'];

export async function enterpriseListPage(main) {
  const regs = await regions();
  const q = h('input', { type: 'search', placeholder: t('search_ph'), 'data-testid': 'search', style: 'width:260px' });
  const sel = (name, kind, values) => h('select', { name, 'data-testid': `filter-${name}` }, h('option', { value: '' }, `${t(name === 'region_code' ? 'region' : name)}: ${t('all')}`),
    values.map((v) => h('option', { value: Array.isArray(v) ? v[0] : v }, Array.isArray(v) ? v[1] : label(kind, v))));
  const category = sel('category', 'category', enumValues('category'));
  const region = sel('region_code', 'region', regs.map((r) => [r.code, r.name]));
  const tag = sel('tags', 'tags', enumValues('tags'));
  const status = sel('status', 'status', enumValues('status'));
  const industry = h('input', { placeholder: t('industry') + ' (代码前缀)', style: 'width:130px', name: 'industry_code' });
  const params = () => ({ q: q.value.trim(), category: category.value, region_code: region.value, tags: tag.value,
    status: status.value, industry_code: industry.value.trim() });
  const exportLink = (fmt) => h('button', { class: 'btn', 'data-testid': `export-${fmt}`, onclick: () => {
    const p = params(); delete p.limit;
    location.href = `/api/v1/enterprises/export${qs({ ...p, format: fmt })}`;
  } }, t(`export_${fmt}`));
  const canWrite = WRITERS.includes(session.user.role);
  const table = dataTable({
    testid: 'enterprise-table',
    sort: 'name',
    columns: [
      { key: 'name', label: t('name'), sort: 'name', render: (r) => h('a', { href: `#/enterprises/${r.id}` }, r.name) },
      { key: 'uscc', label: t('uscc'), sort: 'uscc' },
      { key: 'region_name', label: t('region'), sort: 'region_code' },
      { key: 'industry_name', label: t('industry'), sort: 'industry_code', render: (r) => `${r.industry_code} ${r.industry_name || ''}` },
      { key: 'category', label: t('category'), sort: 'category', render: (r) => badge('category', r.category) },
      { key: 'tags', label: t('tags'), render: (r) => tagList('tags', r.tags) },
      { key: 'status', label: t('status'), render: (r) => badge('status', r.status) },
      { key: 'updated_at', label: t('updated_at'), sort: 'updated_at', render: (r) => fmtTime(r.updated_at) },
    ],
    fetch: (p) => get(`/api/v1/enterprises${qs(p)}`),
    params,
    onRow: (r) => { location.hash = `#/enterprises/${r.id}`; },
    filters: [q, category, region, industry, tag, status, h('span', { class: 'spacer' }), exportLink('xlsx'), exportLink('csv'),
      ['admin', 'approver'].includes(session.user.role) ? h('button', { class: 'btn', 'data-testid': 'import', onclick: () => importDialog(() => table.reload()) }, t('import')) : null,
      canWrite ? h('button', { class: 'btn primary', 'data-testid': 'new-enterprise', onclick: () => { location.hash = '#/enterprises/new'; } }, t('new_enterprise')) : null],
  });
  let timer;
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => table.reload(), 250); });
  industry.addEventListener('change', () => table.reload());
  for (const s of [category, region, tag, status]) s.addEventListener('change', () => table.reload());
  main.replaceChildren(h('h1', {}, t('enterprises')), table.el);
}

function importDialog(done) {
  const file = h('input', { type: 'file', accept: '.csv,.xlsx', 'data-testid': 'import-file' });
  const out = h('div');
  const send = async (dry) => {
    if (!file.files[0]) return false;
    const fd = new FormData();
    fd.append('file', file.files[0]);
    out.replaceChildren(progress());
    try {
      const r = await api('POST', `/api/v1/enterprises/import${dry ? '?dry_run=1' : ''}`, fd);
      out.replaceChildren(h('div', { class: 'banner ok', 'data-testid': 'import-result' },
        t(dry ? 'import_ok' : 'imported', { c: r.created, u: r.updated, n: r.unchanged })));
      if (!dry) done();
    } catch (e) {
      const rows = e.body?.rows || [];
      out.replaceChildren(h('div', { class: 'banner error', 'data-testid': 'import-errors' }, rows.length ? t('import_failed', { n: rows.length }) : e.message),
        rows.length ? h('table', { class: 'data' }, h('thead', {}, h('tr', {}, h('th', {}, t('row')), h('th', {}, t('field')), h('th', {}, t('message')))),
          h('tbody', {}, rows.map((r) => h('tr', {}, h('td', {}, r.row), h('td', {}, r.field ? t(r.field) : ''), h('td', {}, r.message))))) : null);
    }
    return false;
  };
  modal(t('import'), h('div', {}, h('p', { class: 'muted' }, '支持 CSV / XLSX，表头可用中文或字段名；按统一社会信用代码新增或更新，任一行有错则整体不导入。'), file, out),
    [{ label: t('dry_run'), testid: 'import-dry', onclick: () => send(true) }, { label: t('do_import'), primary: true, testid: 'import-go', onclick: () => send(false) }]);
}

export function enterpriseFields(regs, industries) {
  return [
    { name: 'name', label: t('name'), required: true, full: true },
    { name: 'uscc', label: t('uscc'), required: true, placeholder: '18 位，如 91330522MA2B3C4D57' },
    { name: 'region_code', label: t('region'), type: 'select', required: true, options: regs.map((r) => [r.code, `${r.name} (${r.code})`]) },
    { name: 'industry_code', label: t('industry'), required: true, list: 'industry-list', placeholder: t('industry_ph'),
      hint: industries ? null : undefined },
    { name: 'category', label: t('category'), type: 'select', required: true, options: enumValues('category').map((v) => [v, label('category', v)]) },
    { name: 'address', label: t('address'), full: true },
    { name: 'lat', label: t('lat'), type: 'number' },
    { name: 'lng', label: t('lng'), type: 'number' },
    { name: 'legal_rep', label: t('legal_rep') },
    { name: 'contact_name', label: t('contact_name') },
    { name: 'contact_phone', label: t('contact_phone') },
    { name: 'tags', label: t('tags'), type: 'checks', options: enumValues('tags').map((v) => [v, label('tags', v)]), full: true },
  ];
}

export async function enterpriseFormPage(main, id) {
  const [regs, inds, current] = await Promise.all([get('/api/v1/regions?q=33'), get('/api/v1/industries?q='),
    id ? get(`/api/v1/enterprises/${id}`) : null]);
  const counties = regs.items.filter((r) => r.level === 3 || r.code.endsWith('00'));
  const datalist = h('datalist', { id: 'industry-list' }, inds.items.filter((i) => i.level >= 2)
    .map((i) => h('option', { value: i.code }, `${i.code} ${i.name}`)));
  const f = form({
    fields: enterpriseFields(counties),
    values: current || { region_code: '330522', category: 'general' },
    onCancel: () => history.back(),
    onSubmit: async (v) => {
      const body = { ...v };
      const saved = id ? await patch(`/api/v1/enterprises/${id}`, body) : await post('/api/v1/enterprises', body);
      location.hash = `#/enterprises/${saved.id}`;
    },
  });
  main.replaceChildren(h('h1', {}, id ? `${t('edit')} · ${current.name}` : t('new_enterprise')), datalist, f.el);
}
