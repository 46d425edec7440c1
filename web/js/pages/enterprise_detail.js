// One enterprise: its details, outlets, monitoring points, emission limits, permits,
// attachments and the audit history of all of them. Writers get inline add forms.
import { api, get, post, qs } from '../api.js';
import { t, label, enumValues } from '../i18n.js';
import { session } from '../app.js';
import { h, dataTable, form, tagList, badge, fmtTime, toast, confirmDialog } from '../ui.js';

const REG_WRITE = ['admin', 'approver', 'inspector'];
const TECH_WRITE = ['admin', 'approver', 'inspector', 'monitor'];
const can = (roles) => roles.includes(session.user.role);

function kv(pairs) {
  return h('div', { class: 'kv' }, pairs.flatMap(([k, v]) => [h('div', { class: 'k' }, k), h('div', {}, v ?? '')]));
}

function addForm(fields, onSubmit, reload) {
  const f = form({ fields, onSubmit: async (v) => { await onSubmit(v); toast(t('saved')); reload(); } });
  f.el.style.marginTop = '12px';
  return h('div', {}, h('h2', {}, t('add')), f.el);
}

function outletsTab(e, box) {
  const table = dataTable({
    testid: 'outlets-table', paged: false,
    columns: [{ key: 'code', label: t('code') }, { key: 'name', label: t('name') },
      { key: 'kind', label: t('kind'), render: (r) => label('kind', r.kind) },
      { key: 'type', label: t('type'), render: (r) => label('type', r.type) },
      { key: 'status', label: t('status'), render: (r) => badge('status', r.status) }],
    fetch: (p) => get(`/api/v1/enterprises/${e.id}/outlets${qs({ ...p, limit: 200, sort: 'code', total: undefined, cursor: undefined })}`),
  });
  box.replaceChildren(table.el, can(TECH_WRITE) ? addForm([
    { name: 'code', label: t('code'), required: true, placeholder: 'DW001 / DA001' },
    { name: 'name', label: t('name'), required: true },
    { name: 'kind', label: t('kind'), type: 'select', required: true, options: [['water', label('kind', 'water')], ['air', label('kind', 'air')]] },
    { name: 'type', label: t('type'), type: 'select', required: true, options: enumValues('type').map((v) => [v, label('type', v)]) },
  ], (v) => post(`/api/v1/enterprises/${e.id}/outlets`, v), table.reload) : null);
}

async function pointsTab(e, box) {
  const outlets = (await get(`/api/v1/enterprises/${e.id}/outlets?limit=200`)).items;
  const table = dataTable({
    testid: 'points-table', paged: false,
    columns: [{ key: 'mn', label: t('mn') }, { key: 'name', label: t('name') }, { key: 'outlet_code', label: t('outlet') },
      { key: 'protocol', label: t('protocol') }, { key: 'st', label: t('st') },
      { key: 'rtd_interval_s', label: t('rtd_interval_s') }, { key: 'status', label: t('status'), render: (r) => badge('status', r.status) }],
    fetch: (p) => get(`/api/v1/enterprises/${e.id}/points${qs({ limit: 200, sort: 'mn' })}`),
  });
  box.replaceChildren(table.el, can(TECH_WRITE) ? addForm([
    { name: 'mn', label: t('mn'), required: true },
    { name: 'name', label: t('name'), required: true },
    { name: 'outlet_id', label: t('outlet'), type: 'select', options: outlets.map((o) => [o.id, `${o.code} ${o.name}`]) },
    { name: 'password', label: `PW (${t('write_only')})`, type: 'password', required: true },
    { name: 'protocol', label: t('protocol'), type: 'select', required: true, options: [['2017', 'HJ 212-2017'], ['2005', 'HJ/T 212-2005']] },
    { name: 'st', label: t('st'), type: 'select', required: true, options: [['32', '32 水污染源'], ['31', '31 大气污染源'], ['51', '51 烟气排放过程'], ['52', '52 污水排放过程']] },
  ], (v) => post(`/api/v1/enterprises/${e.id}/points`, { ...v, outlet_id: v.outlet_id ? Number(v.outlet_id) : null }), table.reload) : null);
}

async function limitsTab(e, box) {
  const outlets = (await get(`/api/v1/enterprises/${e.id}/outlets?limit=200`)).items;
  if (!outlets.length) { box.replaceChildren(h('p', { class: 'muted' }, t('none'))); return; }
  const pick = h('select', { 'data-testid': 'limit-outlet' }, outlets.map((o) => h('option', { value: o.id }, `${o.code} ${o.name}`)));
  const pollutants = await get('/api/v1/pollutants');
  const area = h('div');
  const show = () => {
    const oid = pick.value;
    const kind = outlets.find((o) => String(o.id) === oid)?.kind;
    const table = dataTable({
      testid: 'limits-table', paged: false,
      columns: [{ key: 'pollutant_code', label: t('pollutant'), render: (r) => `${r.pollutant_code} ${r.pollutant_name || ''}` },
        { key: 'value', label: t('value') }, { key: 'unit', label: t('unit') },
        { key: 'basis', label: t('basis'), render: (r) => label('basis', r.basis) }, { key: 'standard', label: t('standard') }],
      fetch: () => get(`/api/v1/outlets/${oid}/limits?limit=200`),
    });
    const opts = pollutants.items.filter((p) => p.medium === kind).map((p) => [p.code, `${p.code} ${p.name} ${p.unit}`]);
    area.replaceChildren(table.el, can(TECH_WRITE) ? addForm([
      { name: 'pollutant_code', label: t('pollutant'), type: 'select', required: true, options: opts },
      { name: 'value', label: t('value'), type: 'number', required: true },
      { name: 'unit', label: t('unit'), required: true, placeholder: kind === 'water' ? 'mg/L' : 'mg/m³' },
      { name: 'basis', label: t('basis'), type: 'select', required: true, options: enumValues('basis').map((v) => [v, label('basis', v)]) },
      { name: 'standard', label: t('standard'), full: true },
    ], (v) => post(`/api/v1/outlets/${oid}/limits`, v), table.reload) : null);
  };
  pick.addEventListener('change', show);
  box.replaceChildren(h('div', { class: 'toolbar' }, t('outlet'), pick), area);
  show();
}

function permitsTab(e, box) {
  const soon = new Date(Date.now() + 60 * 86400e3).toISOString().slice(0, 10);
  const today = new Date().toISOString().slice(0, 10);
  const table = dataTable({
    testid: 'permits-table', paged: false,
    columns: [{ key: 'number', label: t('number') }, { key: 'class', label: t('class'), render: (r) => label('class', r.class) },
      { key: 'valid_from', label: t('valid_from') },
      { key: 'valid_to', label: t('valid_to'), render: (r) => h('span', {}, r.valid_to, ' ',
        r.valid_to < today ? h('span', { class: 'tag key' }, t('expired')) : r.valid_to <= soon ? h('span', { class: 'tag warn' }, t('expiring_soon')) : null) },
      { key: 'issuer', label: t('issuer') }, { key: 'status', label: t('status'), render: (r) => badge('status', r.status) }],
    fetch: () => get(`/api/v1/enterprises/${e.id}/permits?limit=100`),
  });
  box.replaceChildren(table.el, can(REG_WRITE) ? addForm([
    { name: 'number', label: t('number'), required: true },
    { name: 'class', label: t('class'), type: 'select', required: true, options: enumValues('class').map((v) => [v, label('class', v)]) },
    { name: 'valid_from', label: t('valid_from'), type: 'date', required: true },
    { name: 'valid_to', label: t('valid_to'), type: 'date', omitEmpty: true, hint: '留空则默认 5 年 / blank = 5 years' },
    { name: 'issuer', label: t('issuer') },
  ], (v) => post(`/api/v1/enterprises/${e.id}/permits`, v), table.reload) : null);
}

function attachmentsTab(e, box) {
  const table = dataTable({
    testid: 'attachments-table', paged: false,
    columns: [{ key: 'name', label: t('name'), render: (r) => h('a', { href: `/api/v1/attachments/${r.id}/content` }, r.name) },
      { key: 'content_type', label: t('type') }, { key: 'size', label: t('size'), render: (r) => `${(r.size / 1024).toFixed(1)} KB` },
      { key: 'uploaded_by', label: t('uploaded_by') }, { key: 'created_at', label: t('created_at'), render: (r) => fmtTime(r.created_at) }],
    fetch: () => get(`/api/v1/attachments?entity=enterprise&entity_id=${e.id}`),
  });
  const file = h('input', { type: 'file', 'data-testid': 'attach-file', accept: '.pdf,.png,.jpg,.jpeg,.xlsx,.docx,.csv,.txt,.zip' });
  const up = h('button', { class: 'btn primary', 'data-testid': 'attach-upload', onclick: async () => {
    if (!file.files[0]) return;
    const fd = new FormData();
    fd.append('entity', 'enterprise');
    fd.append('entity_id', String(e.id));
    fd.append('file', file.files[0]);
    try { await api('POST', '/api/v1/attachments', fd); toast(t('saved')); file.value = ''; table.reload(); } catch (err) { toast(err.message, true); }
  } }, t('upload'));
  box.replaceChildren(table.el, h('div', { class: 'toolbar', style: 'margin-top:10px' }, file, up,
    h('span', { class: 'muted' }, 'PDF / PNG / JPEG / XLSX / DOCX / CSV, ≤ 20 MB')));
}

function diff(before, after) {
  if (!before && !after) return '';
  if (!before) return h('span', { class: 'diff' }, Object.entries(after).filter(([k]) => !['id', 'created_at', 'updated_at'].includes(k))
    .slice(0, 6).map(([k, v]) => h('span', {}, h('b', {}, t(k)), `：${Array.isArray(v) ? v.join('、') : v ?? ''}；`)));
  return h('span', { class: 'diff' }, Object.keys(after || {}).filter((k) => k !== 'updated_at' &&
    JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) =>
    h('span', {}, h('b', {}, t(k)), `：${JSON.stringify(before[k])} → ${JSON.stringify(after[k])}；`)));
}

function historyTab(e, box) {
  const table = dataTable({
    testid: 'history-table', paged: false,
    columns: [{ key: 'at', label: t('time'), render: (r) => fmtTime(r.at) }, { key: 'actor', label: t('actor') },
      { key: 'action', label: t('action'), render: (r) => label('action', r.action) },
      { key: 'entity', label: t('entity'), render: (r) => `${t(r.entity)} #${r.entity_id}` },
      { key: 'after', label: t('before_after'), render: (r) => diff(r.before, r.after) }],
    fetch: () => get(`/api/v1/enterprises/${e.id}/history`),
  });
  box.replaceChildren(table.el);
}

export async function enterpriseDetailPage(main, id) {
  const e = await get(`/api/v1/enterprises/${id}`);
  const tabs = [['outlets', outletsTab], ['points', pointsTab], ['limits', limitsTab], ['permits', permitsTab],
    ['attachments', attachmentsTab], ['history', historyTab]];
  const box = h('div');
  const bar = h('div', { class: 'tabs', role: 'tablist' });
  const open = (key) => {
    for (const b of bar.children) b.classList.toggle('active', b.dataset.tab === key);
    Promise.resolve(tabs.find(([k]) => k === key)[1](e, box)).catch((err) => box.replaceChildren(h('div', { class: 'banner error' }, err.message)));
  };
  for (const [key] of tabs) bar.append(h('button', { dataset: { tab: key }, 'data-testid': `tab-${key}`, onclick: () => open(key) }, t(key)));
  const setStatus = async (to) => {
    if (to === 'inactive' && !(await confirmDialog(t('confirm_deactivate')))) return;
    await post(`/api/v1/enterprises/${e.id}/${to === 'inactive' ? 'deactivate' : 'activate'}`);
    enterpriseDetailPage(main, id);
  };
  main.replaceChildren(
    h('div', { class: 'detail-head' }, h('div', {}, h('h1', { 'data-testid': 'enterprise-name' }, e.name),
      h('div', {}, badge('category', e.category), tagList('tags', e.tags), badge('status', e.status))),
    h('span', { class: 'spacer' }),
    can(REG_WRITE) ? h('button', { class: 'btn', 'data-testid': 'edit', onclick: () => { location.hash = `#/enterprises/${e.id}/edit`; } }, t('edit')) : null,
    can(REG_WRITE) ? h('button', { class: `btn ${e.status === 'active' ? 'danger' : ''}`, onclick: () => setStatus(e.status === 'active' ? 'inactive' : 'active') },
      e.status === 'active' ? t('deactivate') : t('activate')) : null),
    kv([[t('uscc'), e.uscc], [t('region'), `${e.region_name || ''} (${e.region_code})`],
      [t('industry'), `${e.industry_code} ${e.industry_name || ''}`], [t('category'), label('category', e.category)],
      [t('address'), e.address], [t('legal_rep'), e.legal_rep], [t('contact_name'), e.contact_name],
      [t('contact_phone'), e.contact_phone], [t('lat'), e.lat], [t('lng'), e.lng],
      [t('created_at'), fmtTime(e.created_at)], [t('updated_at'), fmtTime(e.updated_at)]]),
    bar, box);
  open('outlets');
}
