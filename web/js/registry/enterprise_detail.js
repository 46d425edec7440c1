// One enterprise (企业档案详情): header with name, USCC, category, tags and status; tabs for the
// basic information, outlets (排放口), monitoring points (监测点), emission limits per outlet
// (排放限值), permits (排污许可证), attachments (附件) and the change history. Roles that may
// write get add forms, edit dialogs and deactivate/activate; everyone else reads.
import { get, post, patch, upload, qs, getAll } from '../api.js';
import { t, fl, label, enumOptions, actionLabel } from '../i18n.js';
import { can, session } from '../session.js';
import { searchPollutants } from '../codes.js';
import { changeList } from '../diff.js';
import { MODULES } from '../modules.js';
import {
  h, badge, tagList, fmtTime, fmtSize, kvGrid, simpleTable, form, modal, confirmDialog, toast, btn,
  expiryBadge, errorBanner, spinner, searchSelect, progressBar, sectionHead, daysUntil, formsDirty,
} from '../ui.js';

// The page's own tabs, then other modules' (their module.js enterpriseTabs, loaded on first
// use), then the change history last.
const OWN_TABS = [['basic', basicTab], ['outlets', outletsTab], ['points', pointsTab], ['limits', limitsTab],
  ['permits', permitsTab], ['attachments', attachmentsTab]];
const moduleTabs = () => MODULES.flatMap((m) => m.enterpriseTabs || []).filter((x) => can(x.perm || 'any'))
  .map((x) => [x.key, async (...args) => (await x.load()).renderTab(...args)]);

export async function render(ctx) {
  const { main, params, query } = ctx;
  const id = params.id;
  if (!/^\d+$/.test(id)) throw new Error(t('not_found'));
  const e = await get(`/api/v1/enterprises/${id}`);
  if (!ctx.isCurrent()) return;
  ctx.setTitle(e.name);

  const TABS = [...OWN_TABS, ...moduleTabs(), ['history', historyTab]];
  const box = h('div', { class: 'tab-body', role: 'tabpanel' });
  const bar = h('div', { class: 'tabs', role: 'tablist' });
  let current = TABS.some(([k]) => k === query.get('tab')) ? query.get('tab') : 'basic';
  // An add form left half filled in: switching tab or leaving the page asks first.
  ctx.guardLeave?.(() => formsDirty(box));
  const open = async (key) => {
    if (key !== current && formsDirty(box) && !(await confirmDialog(t('unsaved'), { title: t('unsaved_title'), okLabel: t('leave'), danger: true }))) return;
    current = key;
    for (const b of bar.children) {
      const on = b.dataset.tab === key;
      b.classList.toggle('active', on);
      b.setAttribute('aria-selected', on ? 'true' : 'false');
    }
    ctx.setQuery(key === 'basic' ? {} : { tab: key });
    box.replaceChildren(spinner());
    try {
      await TABS.find(([k]) => k === key)[1](e, box, ctx, () => current === key && ctx.isCurrent());
    } catch (err) {
      if (current === key) box.replaceChildren(errorBanner(err));
    }
  };
  for (const [key] of TABS) {
    bar.append(h('button', { type: 'button', role: 'tab', dataset: { tab: key }, 'data-testid': `tab-${key}`,
      onclick: () => open(key) }, t(`tab_${key}`)));
  }

  const actions = [];
  if (can('enterprise.write')) {
    actions.push(btn(t('edit'), () => ctx.navigate(`/enterprises/${e.id}/edit`), { testid: 'edit' }));
    const active = e.status === 'active';
    actions.push(btn(active ? t('deactivate') : t('activate'), async () => {
      const ok = await confirmDialog(t(active ? 'confirm_deactivate' : 'confirm_activate', { name: e.name }),
        { danger: active, okLabel: active ? t('deactivate') : t('activate') });
      if (!ok) return;
      try {
        await post(`/api/v1/enterprises/${e.id}/${active ? 'deactivate' : 'activate'}`);
        toast(t('status_changed'));
        render(ctx);
      } catch (err) { toast(err, 'error'); }
    }, { danger: active, testid: active ? 'deactivate' : 'activate' }));
  }

  main.replaceChildren(
    h('div', { class: 'detail-head' },
      h('div', { class: 'detail-title' },
        can('staff') ? h('div', { class: 'crumbs' }, h('a', { href: session.lastList || '#/enterprises', 'data-testid': 'back-to-list' }, `‹ ${t('enterprises')}`)) : null,
        h('h1', { 'data-testid': 'enterprise-name' }, e.name),
        h('div', { class: 'detail-meta' },
          h('span', { class: 'mono', 'data-testid': 'enterprise-uscc', title: fl('uscc') }, e.uscc),
          badge('category', e.category, { 'data-testid': 'enterprise-category', title: fl('category') }),
          tagList(e.tags),
          badge('status', e.status, { 'data-testid': 'enterprise-status' }))),
      h('span', { class: 'spacer' }), h('div', { class: 'head-actions' }, actions)),
    h('div', { class: 'summary-strip' },
      summaryItem(fl('region_name'), e.region_name || e.region_code),
      summaryItem(fl('industry_name'), `${e.industry_code} ${e.industry_name || ''}`),
      summaryItem(fl('contact_name'), [e.contact_name, e.contact_phone].filter(Boolean).join(' · ')),
      summaryItem(fl('updated_at'), fmtTime(e.updated_at))),
    bar, box);
  open(current);
}

function summaryItem(k, v) {
  return h('div', { class: 'si' }, h('div', { class: 'sk' }, k), h('div', { class: 'sv' }, v || '—'));
}

function statusButton(kind, row, reload, { canActivate = true } = {}) {
  const active = row.status === 'active';
  if (!active && !canActivate) return null;
  return btn(active ? t('deactivate') : t('activate'), async () => {
    if (active && !(await confirmDialog(t('confirm_deactivate_rec'), { danger: true, okLabel: t('deactivate') }))) return;
    try {
      await post(`/api/v1/${kind}/${row.id}/${active ? 'deactivate' : 'activate'}`);
      toast(t('status_changed'));
      reload();
    } catch (err) { toast(err, 'error'); }
  }, { small: true, danger: active, testid: `${active ? 'deactivate' : 'activate'}-${row.id}` });
}

// A collapsible "add" form under a table.
function addPanel(title, testid, makeForm) {
  const holder = h('div', { class: 'add-panel', hidden: true, 'data-testid': `${testid}-panel` });
  const toggle = btn(`+ ${title}`, () => {
    if (holder.hidden) { holder.replaceChildren(makeForm(() => { holder.hidden = true; })); holder.hidden = false; holder.querySelector('input,select')?.focus(); } else holder.hidden = true;
  }, { primary: true, small: true, testid });
  return { toggle, holder };
}

function editDialog(title, fields, values, save, reload) {
  let m;
  const f = form({
    cols: 2, fields, values,
    onCancel: () => m.close(),
    onSubmit: async () => {
      const body = f.changed();
      if (Object.keys(body).length) { await save(body); toast(t('saved')); reload(); }
      m.close();
    },
  });
  m = modal({ title, body: f.el, dismissable: false, wide: true, testid: 'edit-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}

// ---------------------------------------------------------------------------------------------

async function basicTab(e, box) {
  box.replaceChildren(kvGrid([
    [fl('name'), e.name, { wide: true }],
    [fl('uscc'), h('span', { class: 'mono' }, e.uscc)],
    [fl('category'), label('category', e.category)],
    [fl('region_name'), `${e.region_name || ''}（${e.region_code}）`],
    [fl('industry_name'), `${e.industry_code} ${e.industry_name || ''}`],
    [fl('tags'), e.tags?.length ? tagList(e.tags) : null],
    [fl('status'), badge('status', e.status)],
    [fl('address'), e.address, { wide: true }],
    [t('coords'), e.lat !== null && e.lat !== undefined && e.lng !== null && e.lng !== undefined ? `${e.lat}, ${e.lng}` : null],
    [fl('legal_rep'), e.legal_rep],
    [fl('contact_name'), e.contact_name],
    [fl('contact_phone'), e.contact_phone],
    [fl('created_at'), fmtTime(e.created_at)],
    [fl('updated_at'), fmtTime(e.updated_at)],
  ], 'enterprise-basic'));
}

// ---------------------------------------------------------------------------------------------

function outletFields(editing) {
  return [
    editing ? null : { name: 'code', label: fl('code'), required: true, placeholder: 'DW001 / DA001', maxlength: 5, hint: t('outlet_code_hint') },
    { name: 'name', label: fl('name'), required: true, maxlength: 100 },
    editing ? null : { name: 'kind', label: fl('kind'), type: 'select', required: true, noPlaceholder: true, options: enumOptions('outlet_kind') },
    { name: 'type', label: fl('type'), type: 'select', required: true, noPlaceholder: true, options: enumOptions('outlet_type') },
    { name: 'lat', label: fl('lat'), type: 'number' },
    { name: 'lng', label: fl('lng'), type: 'number' },
  ];
}

async function outletsTab(e, box, ctx, alive) {
  const rows = await getAll(`/api/v1/enterprises/${e.id}/outlets`, { sort: 'code' });
  if (!alive()) return;
  const reload = () => outletsTab(e, box, ctx, alive);
  const write = can('tech.write');
  const table = simpleTable({
    testid: 'outlets-table',
    columns: [
      { key: 'code', label: fl('code'), cls: 'mono nowrap' },
      { key: 'name', label: fl('name') },
      { key: 'kind', label: fl('kind'), render: (r) => label('outlet_kind', r.kind) },
      { key: 'type', label: fl('type'), render: (r) => label('outlet_type', r.type) },
      { key: 'coords', label: t('coords'), cls: 'muted nowrap', render: (r) => (r.lat !== null && r.lat !== undefined ? `${r.lat}, ${r.lng}` : '') },
      { key: 'status', label: fl('status'), render: (r) => badge('status', r.status) },
      write ? { key: 'act', label: t('actions'), cls: 'actions nowrap', render: (r) => [
        btn(t('edit'), () => editDialog(`${t('edit')} · ${r.code}`, outletFields(true), r, (b) => patch(`/api/v1/outlets/${r.id}`, b), reload), { small: true }),
        statusButton('outlets', r, reload)] } : null,
    ].filter(Boolean),
    rows,
  });
  const parts = [sectionHead(`${t('tab_outlets')}（${rows.length}）`)];
  if (write) {
    const add = addPanel(t('add_outlet'), 'add-outlet', (close) => {
      const f = form({
        cols: 3, compact: true, fields: outletFields(false), values: { kind: 'water', type: 'general' },
        onCancel: close,
        onSubmit: async (v) => {
          await post(`/api/v1/enterprises/${e.id}/outlets`, { ...v, code: v.code.toUpperCase(), lat: v.lat ?? undefined, lng: v.lng ?? undefined });
          toast(t('created_ok'));
          reload();
        },
      });
      return f.el;
    });
    parts[0] = sectionHead(`${t('tab_outlets')}（${rows.length}）`, add.toggle);
    parts.push(add.holder);
  }
  parts.push(table);
  box.replaceChildren(...parts);
}

// ---------------------------------------------------------------------------------------------

function pointFields(outlets, editing) {
  return [
    { name: 'mn', label: fl('mn'), required: true, maxlength: 32, hint: t('mn_hint') },
    { name: 'name', label: fl('name'), required: true, maxlength: 100 },
    { name: 'outlet_id', label: fl('outlet_id'), type: 'select', options: outlets.map((o) => [o.id, `${o.code} ${o.name}`]) },
    { name: 'protocol', label: fl('protocol'), type: 'select', required: true, noPlaceholder: true, options: enumOptions('protocol').reverse() },
    { name: 'st', label: fl('st'), type: 'select', required: true, noPlaceholder: true, options: enumOptions('st') },
    { name: 'password', label: fl('password'), type: 'password', required: !editing, maxlength: 6, hint: t('password_hint'), omitEmpty: true, testid: 'point-password' },
    { name: 'rtd_interval_s', label: fl('rtd_interval_s'), type: 'integer', min: 1 },
    { name: 'min_interval_min', label: fl('min_interval_min'), type: 'integer', min: 1 },
  ];
}

function pointBody(v) {
  const body = { ...v };
  if ('outlet_id' in body) body.outlet_id = body.outlet_id ? Number(body.outlet_id) : null;
  for (const k of ['rtd_interval_s', 'min_interval_min']) if (body[k] === null) delete body[k];
  if (body.password === '' || body.password === undefined) delete body.password;
  return body;
}

async function pointsTab(e, box, ctx, alive) {
  const [rows, outlets] = await Promise.all([
    getAll(`/api/v1/enterprises/${e.id}/points`, { sort: 'mn' }),
    getAll(`/api/v1/enterprises/${e.id}/outlets`, { sort: 'code' })]);
  if (!alive()) return;
  const reload = () => pointsTab(e, box, ctx, alive);
  const write = can('tech.write');
  const table = simpleTable({
    testid: 'points-table',
    columns: [
      { key: 'mn', label: fl('mn'), cls: 'mono nowrap' },
      { key: 'name', label: fl('name') },
      { key: 'outlet_code', label: fl('outlet_code'), cls: 'mono' },
      { key: 'protocol', label: fl('protocol'), cls: 'nowrap', render: (r) => label('protocol', r.protocol) },
      { key: 'st', label: fl('st'), render: (r) => label('st', r.st) },
      { key: 'rtd_interval_s', label: fl('rtd_interval_s'), cls: 'num' },
      { key: 'min_interval_min', label: fl('min_interval_min'), cls: 'num' },
      { key: 'password', label: fl('password'), cls: 'muted', render: () => t('password_set') },
      { key: 'status', label: fl('status'), render: (r) => badge('status', r.status) },
      write ? { key: 'act', label: t('actions'), cls: 'actions nowrap', render: (r) => [
        btn(t('edit'), () => editDialog(`${t('edit')} · ${r.mn}`, pointFields(outlets, true), { ...r, password: '' },
          (b) => patch(`/api/v1/points/${r.id}`, pointBody(b)), reload), { small: true }),
        statusButton('points', r, reload)] } : null,
    ].filter(Boolean),
    rows,
  });
  const head = [`${t('tab_points')}（${rows.length}）`];
  const parts = [];
  if (write) {
    const add = addPanel(t('add_point'), 'add-point', (close) => form({
      cols: 4, compact: true, fields: pointFields(outlets, false),
      values: { protocol: '2017', st: outlets.some((o) => o.kind === 'water') ? '32' : '31', outlet_id: outlets[0]?.id ?? '', rtd_interval_s: 30, min_interval_min: 10 },
      onCancel: close,
      onSubmit: async (v) => {
        await post(`/api/v1/enterprises/${e.id}/points`, pointBody(v));
        toast(t('created_ok'));
        reload();
      },
    }).el);
    head.push(add.toggle);
    parts.push(add.holder);
  }
  box.replaceChildren(sectionHead(...head), ...parts, table);
}

// ---------------------------------------------------------------------------------------------

async function limitsTab(e, box, ctx, alive, outletId) {
  const outlets = await getAll(`/api/v1/enterprises/${e.id}/outlets`, { sort: 'code' });
  if (!alive()) return;
  if (!outlets.length) { box.replaceChildren(h('p', { class: 'empty-note' }, t('no_outlets'))); return; }
  const wanted = outletId || Number(ctx.query.get('outlet')) || outlets[0].id;
  const outlet = outlets.find((o) => o.id === wanted) || outlets[0];
  const pills = h('div', { class: 'pills', role: 'tablist', 'data-testid': 'limit-outlets' }, outlets.map((o) =>
    h('button', { type: 'button', class: o.id === outlet.id ? 'pill on' : 'pill', dataset: { id: o.id },
      onclick: () => limitsTab(e, box, ctx, alive, o.id) },
    h('span', { class: 'mono' }, o.code), ' ', o.name, ' ', h('span', { class: 'muted' }, label('outlet_kind', o.kind)))));
  const rows = await getAll(`/api/v1/outlets/${outlet.id}/limits`, { sort: 'pollutant_code' });
  if (!alive()) return;
  const reload = () => limitsTab(e, box, ctx, alive, outlet.id);
  const write = can('tech.write');
  const medium = outlet.kind === 'air' ? 'air' : 'water';
  const table = simpleTable({
    testid: 'limits-table',
    columns: [
      { key: 'pollutant', label: fl('pollutant_name'), render: (r) => [h('span', { class: 'mono muted' }, r.pollutant_code), ' ', r.pollutant_name || ''] },
      { key: 'value', label: fl('value'), cls: 'num' },
      { key: 'unit', label: fl('unit') },
      { key: 'basis', label: fl('basis'), render: (r) => label('basis', r.basis) },
      { key: 'standard', label: fl('standard') },
      { key: 'status', label: fl('status'), render: (r) => badge('status', r.status) },
      write ? { key: 'act', label: t('actions'), cls: 'actions nowrap', render: (r) => [
        r.status === 'active' ? btn(t('edit'), () => editDialog(`${t('edit')} · ${r.pollutant_name || r.pollutant_code}`, [
          { name: 'value', label: fl('value'), type: 'number', required: true },
          { name: 'unit', label: fl('unit'), required: true, maxlength: 20 },
          { name: 'standard', label: fl('standard'), span: 2, maxlength: 200 },
        ], r, (b) => patch(`/api/v1/limits/${r.id}`, b), reload), { small: true }) : null,
        statusButton('limits', r, reload, { canActivate: false })] } : null,
    ].filter(Boolean),
    rows,
  });
  const parts = [];
  const head = [`${t('tab_limits')} · ${outlet.code} ${outlet.name}`];
  if (write) {
    const add = addPanel(t('add_limit'), 'add-limit', (close) => {
      let f;
      const pollutant = searchSelect({ name: 'pollutant_code', id: 'f-pollutant_code', testid: 'pollutant', maxlength: 8,
        placeholder: t('pollutant_search'), search: (q) => searchPollutants(q, medium),
        describe: async (code) => (await searchPollutants(code, medium)).find((p) => p.value === code)?.label || '',
        onPick: (p) => { if (p.unit && f && !f.inputs.unit.value) f.inputs.unit.value = p.unit; } });
      f = form({
        cols: 4, compact: true,
        fields: [
          { name: 'pollutant_code', label: fl('pollutant_name'), type: 'custom', component: pollutant, required: true },
          { name: 'value', label: fl('value'), type: 'number', required: true, min: 0 },
          { name: 'unit', label: fl('unit'), required: true, maxlength: 20, placeholder: medium === 'water' ? 'mg/L' : 'mg/m³', hint: t('unit_from_factor') },
          { name: 'basis', label: fl('basis'), type: 'select', required: true, noPlaceholder: true, options: enumOptions('basis') },
          { name: 'standard', label: fl('standard'), span: 4, maxlength: 200, placeholder: 'GB 8978-1996 / GB 16297-1996 …' },
        ],
        values: { basis: 'hour' },
        onCancel: close,
        onSubmit: async (v) => {
          await post(`/api/v1/outlets/${outlet.id}/limits`, v);
          toast(t('created_ok'));
          reload();
        },
      });
      return f.el;
    });
    head.push(add.toggle);
    parts.push(add.holder);
  }
  box.replaceChildren(pills, sectionHead(...head), ...parts, table);
}

// ---------------------------------------------------------------------------------------------

function permitFields() {
  return [
    { name: 'number', label: fl('number'), required: true, maxlength: 40 },
    { name: 'class', label: fl('class'), type: 'select', required: true, noPlaceholder: true, options: enumOptions('permit_class') },
    { name: 'valid_from', label: fl('valid_from'), type: 'date', required: true },
    { name: 'valid_to', label: fl('valid_to'), type: 'date', hint: t('permit_to_hint'), omitEmpty: true },
    { name: 'issuer', label: fl('issuer'), maxlength: 100 },
  ];
}

// Other modules' actions on a permit row (their module.js permitActions: documents' 发提醒函).
const permitActions = () => Promise.all(MODULES.flatMap((m) => m.permitActions || [])
  .filter((x) => can(x.perm || 'any')).map(async (x) => (await x.load()).permitAction));

async function permitsTab(e, box, ctx, alive) {
  const [rows, actions] = await Promise.all([getAll(`/api/v1/enterprises/${e.id}/permits`, { sort: '-valid_to' }), permitActions()]);
  if (!alive()) return;
  const reload = () => permitsTab(e, box, ctx, alive);
  const write = can('permit.write');
  const table = simpleTable({
    testid: 'permits-table',
    columns: [
      { key: 'number', label: fl('number'), cls: 'mono' },
      { key: 'class', label: fl('class'), render: (r) => badge('permit_class', r.class) },
      { key: 'valid_from', label: fl('valid_from'), cls: 'nowrap' },
      { key: 'valid_to', label: fl('valid_to'), cls: 'nowrap', render: (r) => [r.valid_to, ' ', r.status === 'active' ? expiryBadge(r.valid_to) : null] },
      { key: 'issuer', label: fl('issuer') },
      { key: 'status', label: fl('status'), render: (r) => badge('status', r.status) },
      write ? { key: 'act', label: t('actions'), cls: 'actions nowrap', render: (r) => (r.status !== 'active' ? null : [
        btn(t('edit'), () => editDialog(`${t('edit')} · ${r.number}`, permitFields(), r, (b) => patch(`/api/v1/permits/${r.id}`, b), reload), { small: true }),
        btn(t('revoke'), async () => {
          if (!(await confirmDialog(t('confirm_revoke_permit', { n: r.number }), { danger: true, okLabel: t('revoke') }))) return;
          try { await post(`/api/v1/permits/${r.id}/deactivate`); toast(t('status_changed')); reload(); } catch (err) { toast(err, 'error'); }
        }, { small: true, danger: true }), ...actions.map((act) => act(r, reload))]) } : null,
    ].filter(Boolean),
    rows,
  });
  const soon = rows.filter((r) => r.status === 'active' && daysUntil(r.valid_to) <= 60).length;
  const head = [h('span', {}, `${t('tab_permits')}（${rows.length}）`, soon ? h('span', { class: 'badge amber', style: { marginLeft: '8px' } }, `${t('expiring_soon')} ${soon}`) : null)];
  const parts = [];
  if (write) {
    const add = addPanel(t('add_permit'), 'add-permit', (close) => form({
      cols: 3, compact: true, fields: permitFields(), values: { class: 'simplified', issuer: '' },
      onCancel: close,
      onSubmit: async (v) => {
        await post(`/api/v1/enterprises/${e.id}/permits`, v);
        toast(t('created_ok'));
        reload();
      },
    }).el);
    head.push(add.toggle);
    parts.push(add.holder);
  }
  box.replaceChildren(sectionHead(...head), ...parts, table);
}

// ---------------------------------------------------------------------------------------------

async function attachmentsTab(e, box, ctx, alive) {
  const rows = (await get(`/api/v1/attachments${qs({ entity: 'enterprise', entity_id: e.id })}`)).items || [];
  if (!alive()) return;
  const reload = () => attachmentsTab(e, box, ctx, alive);
  const table = simpleTable({
    testid: 'attachments-table',
    columns: [
      { key: 'name', label: fl('name'), render: (r) => h('a', { href: `/api/v1/attachments/${r.id}/content`, download: r.name, 'data-testid': `attachment-${r.id}` }, r.name) },
      { key: 'content_type', label: fl('content_type'), cls: 'muted' },
      { key: 'size', label: fl('size'), cls: 'num nowrap', render: (r) => fmtSize(r.size) },
      { key: 'uploaded_by', label: fl('uploaded_by') },
      { key: 'created_at', label: fl('created_at'), cls: 'nowrap', render: (r) => fmtTime(r.created_at) },
      { key: 'sha256', label: 'SHA-256', cls: 'mono muted', render: (r) => h('span', { title: r.sha256 }, (r.sha256 || '').slice(0, 12)) },
    ],
    rows,
  });
  const file = h('input', { type: 'file', 'data-testid': 'attach-file', 'aria-label': t('drop_file') });
  const status = h('div', { class: 'upload-status' });
  const up = btn(t('upload'), async () => {
    const f0 = file.files[0];
    if (!f0) { status.replaceChildren(errorBanner(new Error(t('no_file')))); return; }
    const fd = new FormData();
    fd.append('entity', 'enterprise');
    fd.append('entity_id', String(e.id));
    fd.append('file', f0, f0.name);
    const bar = progressBar(t('uploading', { p: 0 }));
    status.replaceChildren(bar.el);
    up.disabled = true;
    try {
      await upload('/api/v1/attachments', fd, (p) => bar.set(p, p < 1 ? t('uploading', { p: Math.round(p * 100) }) : t('processing')));
      toast(t('saved'));
      reload();
    } catch (err) {
      status.replaceChildren(errorBanner(err, 'upload-error'));
    } finally { up.disabled = false; }
  }, { primary: true, small: true, testid: 'attach-upload' });
  box.replaceChildren(sectionHead(`${t('tab_attachments')}（${rows.length}）`),
    h('div', { class: 'upload-row' }, file, up, h('span', { class: 'muted' }, t('upload_hint'))), status, table);
}

// ---------------------------------------------------------------------------------------------

async function historyTab(e, box, ctx, alive) {
  const rows = (await get(`/api/v1/enterprises/${e.id}/history`)).items || [];
  if (!alive()) return;
  box.replaceChildren(sectionHead(t('tab_history'), h('span', { class: 'muted' }, t('history_hint'))),
    simpleTable({
      testid: 'history-table',
      columns: [
        { key: 'at', label: fl('at'), cls: 'nowrap', width: '140px', render: (r) => fmtTime(r.at) },
        { key: 'actor', label: fl('actor'), cls: 'nowrap' },
        { key: 'action', label: fl('action'), cls: 'nowrap', render: (r) => h('span', { class: `act act-${r.action}` }, actionLabel(r.entity, r.action)) },
        // The record by the name it had when the row was written; the enterprise's own name is
        // left out of its outlets', points' and permits' names here.
        { key: 'entity', label: fl('entity'), render: (r) => h('span', { 'data-testid': 'history-record' },
          h('span', { class: 'muted' }, label('entity', r.entity)), ' ',
          r.record_name ? (r.entity !== 'enterprise' && r.record_name.startsWith(`${e.name} · `) ? r.record_name.slice(e.name.length + 3) : r.record_name)
            : `#${r.entity_id ?? ''}`) },
        { key: 'change', label: `${fl('before')} → ${fl('after')}`, render: (r) => changeList(r.entity, r.before, r.after) || h('span', { class: 'muted' }, t('no_detail')) },
      ],
      rows,
    }));
}
