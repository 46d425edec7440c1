// Permits across enterprises (with the "due within N days" view) and the agency directory.
import { get, post, patch, qs } from '../api.js';
import { t, label, enumValues } from '../i18n.js';
import { session } from '../app.js';
import { h, dataTable, form, badge, modal, toast } from '../ui.js';

export async function permitsPage(main) {
  const days = h('select', { 'data-testid': 'filter-expiring' }, h('option', { value: '' }, `${t('expiring_filter')}: ${t('all')}`),
    [30, 60, 90, 180].map((d) => h('option', { value: d }, `≤ ${d}`)));
  days.value = '60';
  const cls = h('select', {}, h('option', { value: '' }, `${t('class')}: ${t('all')}`), enumValues('class').map((v) => h('option', { value: v }, label('class', v))));
  const q = h('input', { type: 'search', placeholder: t('search_ph') });
  const today = new Date().toISOString().slice(0, 10);
  const table = dataTable({
    testid: 'permits-list', sort: 'valid_to',
    columns: [
      { key: 'enterprise_name', label: t('enterprise'), render: (r) => h('a', { href: `#/enterprises/${r.enterprise_id}` }, r.enterprise_name) },
      { key: 'number', label: t('number'), sort: 'number' },
      { key: 'class', label: t('class'), render: (r) => label('class', r.class) },
      { key: 'valid_from', label: t('valid_from'), sort: 'valid_from' },
      { key: 'valid_to', label: t('valid_to'), sort: 'valid_to', render: (r) => h('span', { class: r.valid_to < today ? 'tag key' : 'tag warn' }, r.valid_to) },
      { key: 'status', label: t('status'), render: (r) => badge('status', r.status) },
    ],
    fetch: (p) => get(`/api/v1/permits${qs(p)}`),
    params: () => ({ expiring_within_days: days.value, class: cls.value, q: q.value.trim() }),
    filters: [q, days, cls, h('span', { class: 'spacer' }),
      h('button', { class: 'btn', onclick: () => { location.href = `/api/v1/permits/export${qs({ format: 'xlsx', class: cls.value, q: q.value.trim() })}`; } }, t('export_xlsx'))],
  });
  for (const s of [days, cls]) s.addEventListener('change', () => table.reload());
  q.addEventListener('change', () => table.reload());
  main.replaceChildren(h('h1', {}, t('permits')), table.el);
}

function agencyForm(current, regs, done) {
  const f = form({
    fields: [
      { name: 'name', label: t('name'), required: true, full: true },
      { name: 'uscc', label: t('uscc'), required: true },
      { name: 'kind', label: t('kind'), type: 'select', required: true, options: ['eia', 'testing', 'operation'].map((v) => [v, label('kind', v)]) },
      { name: 'region_code', label: t('region'), type: 'select', required: true, options: regs.map((r) => [r.code, `${r.name} (${r.code})`]) },
      { name: 'address', label: t('address') },
      { name: 'contact_name', label: t('contact_name') },
      { name: 'contact_phone', label: t('contact_phone') },
    ],
    values: current || { region_code: '330502' },
    onSubmit: async (v) => {
      if (current) await patch(`/api/v1/agencies/${current.id}`, v); else await post('/api/v1/agencies', v);
      toast(t('saved'));
      done();
    },
  });
  return f.el;
}

export async function agenciesPage(main) {
  const regs = (await get('/api/v1/regions?q=33')).items;
  const kind = h('select', {}, h('option', { value: '' }, `${t('kind')}: ${t('all')}`), ['eia', 'testing', 'operation'].map((v) => h('option', { value: v }, label('kind', v))));
  const q = h('input', { type: 'search', placeholder: t('search_ph') });
  const canWrite = ['admin', 'approver'].includes(session.user.role);
  let close;
  const table = dataTable({
    testid: 'agencies-list', sort: 'name',
    columns: [{ key: 'name', label: t('name'), sort: 'name' }, { key: 'uscc', label: t('uscc'), sort: 'uscc' },
      { key: 'kind', label: t('kind'), render: (r) => label('kind', r.kind) }, { key: 'region_name', label: t('region') },
      { key: 'contact_name', label: t('contact_name') }, { key: 'contact_phone', label: t('contact_phone') },
      { key: 'status', label: t('status'), render: (r) => badge('status', r.status) }],
    fetch: (p) => get(`/api/v1/agencies${qs(p)}`),
    params: () => ({ kind: kind.value, q: q.value.trim() }),
    onRow: canWrite ? (r) => { close = modal(t('edit'), agencyForm(r, regs, () => { close(); table.reload(); })); } : undefined,
    filters: [q, kind, h('span', { class: 'spacer' }), canWrite ? h('button', { class: 'btn primary', onclick: () => {
      close = modal(t('add'), agencyForm(null, regs, () => { close(); table.reload(); }));
    } }, t('add')) : null],
  });
  kind.addEventListener('change', () => table.reload());
  q.addEventListener('change', () => table.reload());
  main.replaceChildren(h('h1', {}, t('agencies')), table.el);
}
