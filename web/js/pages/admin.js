// Administration: users, org units and the regions they cover, calendar years, the audit log
// and API tokens.
import { get, post, patch, put, del, qs } from '../api.js';
import { t, label } from '../i18n.js';
import { h, dataTable, form, badge, modal, toast, fmtTime } from '../ui.js';

const ROLES = ['admin', 'leader', 'approver', 'inspector', 'legal', 'monitor', 'service', 'enterprise'];

function showPassword(title, pw) {
  modal(title, h('div', {}, h('p', {}, t('one_time_password')), h('pre', { class: 'json', 'data-testid': 'otp' }, pw)));
}

export async function usersPage(main) {
  const orgs = (await get('/api/v1/org-units?limit=500')).items;
  let close;
  const userForm = (current, done) => form({
    fields: [
      current ? null : { name: 'username', label: t('username'), required: true },
      { name: 'display_name', label: t('display_name'), required: true },
      { name: 'role', label: t('role'), type: 'select', required: true, options: ROLES.map((r) => [r, label('role', r)]) },
      { name: 'org_unit_id', label: t('org_unit'), type: 'select', options: orgs.map((o) => [o.id, o.name]) },
      { name: 'enterprise_id', label: `${t('enterprise')} ID`, type: 'number' },
      { name: 'email', label: t('email') },
      { name: 'phone', label: t('phone') },
    ].filter(Boolean),
    values: current || { role: 'inspector' },
    onSubmit: async (v) => {
      const body = { ...v, org_unit_id: v.org_unit_id ? Number(v.org_unit_id) : null };
      if (current) { await patch(`/api/v1/users/${current.id}`, body); toast(t('saved')); done(); return; }
      const u = await post('/api/v1/users', body);
      done();
      showPassword(u.username, u.one_time_password);
    },
  }).el;
  const role = h('select', {}, h('option', { value: '' }, `${t('role')}: ${t('all')}`), ROLES.map((r) => h('option', { value: r }, label('role', r))));
  const q = h('input', { type: 'search', placeholder: t('search') });
  const table = dataTable({
    testid: 'users-table', sort: 'username',
    columns: [{ key: 'username', label: t('username'), sort: 'username' }, { key: 'display_name', label: t('display_name') },
      { key: 'role', label: t('role'), render: (r) => label('role', r.role) },
      { key: 'org_unit_name', label: t('org_unit') }, { key: 'enterprise_name', label: t('enterprise') },
      { key: 'status', label: t('status'), render: (r) => badge('status', r.status) },
      { key: 'id', label: '', render: (r) => h('span', {},
        h('button', { class: 'btn', onclick: () => { close = modal(t('edit'), userForm(r, () => { close(); table.reload(); })); } }, t('edit')), ' ',
        h('button', { class: 'btn', onclick: async () => {
          try { await post(`/api/v1/users/${r.id}/${r.status === 'active' ? 'disable' : 'enable'}`); table.reload(); } catch (e) { toast(e.message, true); }
        } }, r.status === 'active' ? t('disable') : t('enable')), ' ',
        h('button', { class: 'btn', onclick: async () => {
          try { const x = await post(`/api/v1/users/${r.id}/reset-password`); showPassword(r.username, x.one_time_password); } catch (e) { toast(e.message, true); }
        } }, t('reset_password'))) }],
    fetch: (p) => get(`/api/v1/users${qs(p)}`),
    params: () => ({ role: role.value, q: q.value.trim() }),
    filters: [q, role, h('span', { class: 'spacer' }), h('button', { class: 'btn primary', 'data-testid': 'new-user', onclick: () => {
      close = modal(t('add'), userForm(null, () => { close(); table.reload(); }));
    } }, t('add'))],
  });
  role.addEventListener('change', () => table.reload());
  q.addEventListener('change', () => table.reload());
  main.replaceChildren(h('h1', {}, t('users')), table.el);
}

export async function orgUnitsPage(main) {
  const regs = (await get('/api/v1/regions?q=33')).items;
  let close;
  const orgForm = (current, orgs, done) => form({
    fields: [
      { name: 'name', label: t('name'), required: true, full: true },
      { name: 'kind', label: t('kind'), type: 'select', required: true, options: ['bureau', 'sub_bureau', 'brigade', 'section', 'centre'].map((k) => [k, label('org_kind', k)]) },
      { name: 'parent_id', label: t('parent'), type: 'select', options: orgs.filter((o) => o.id !== current?.id).map((o) => [o.id, o.name]) },
      { name: 'regions', label: t('regions'), type: 'checks', full: true, options: regs.filter((r) => r.code.startsWith('3305') || r.level <= 2).map((r) => [r.code, r.name]) },
    ],
    values: current || { kind: 'sub_bureau' },
    onSubmit: async (v) => {
      const body = { ...v, parent_id: v.parent_id ? Number(v.parent_id) : null };
      if (current) await patch(`/api/v1/org-units/${current.id}`, body); else await post('/api/v1/org-units', body);
      toast(t('saved'));
      done();
    },
  }).el;
  let rows = [];
  const table = dataTable({
    testid: 'org-table', sort: 'name', paged: false,
    columns: [{ key: 'name', label: t('name') }, { key: 'kind', label: t('kind'), render: (r) => label('org_kind', r.kind) },
      { key: 'regions', label: t('regions'), render: (r) => (r.regions || []).map((c) => regs.find((x) => x.code === c)?.name || c).join('、') },
      { key: 'status', label: t('status'), render: (r) => badge('status', r.status) }],
    fetch: async () => { const p = await get('/api/v1/org-units?limit=500'); rows = p.items; return p; },
    onRow: (r) => { close = modal(t('edit'), orgForm(r, rows, () => { close(); table.reload(); })); },
    filters: [h('span', { class: 'spacer' }), h('button', { class: 'btn primary', onclick: () => {
      close = modal(t('add'), orgForm(null, rows, () => { close(); table.reload(); }));
    } }, t('add'))],
  });
  main.replaceChildren(h('h1', {}, t('org_units')), table.el);
}

function yearGrid(year) {
  const kinds = new Map();
  for (const hol of year.body.holidays || []) {
    for (let d = new Date(hol.from + 'T00:00:00Z'); d <= new Date(hol.to + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) {
      kinds.set(d.toISOString().slice(0, 10), ['hol', hol.name]);
    }
  }
  for (const w of year.body.workdays || []) {
    const date = typeof w === 'string' ? w : w.date;
    kinds.set(date, ['mk', (w && w.name) || t('makeup')]);
  }
  return h('div', { class: 'months', 'data-testid': 'year-grid' }, Array.from({ length: 12 }, (_, m) => {
    const first = new Date(Date.UTC(year.year, m, 1));
    const pad = (first.getUTCDay() + 6) % 7;
    const days = new Date(Date.UTC(year.year, m + 1, 0)).getUTCDate();
    return h('div', { class: 'month' }, h('h3', {}, `${m + 1} 月`), h('div', { class: 'days' },
      ['一', '二', '三', '四', '五', '六', '日'].map((x) => h('div', { class: 'd muted' }, x)),
      Array.from({ length: pad }, () => h('div')),
      Array.from({ length: days }, (_, i) => {
        const iso = `${year.year}-${String(m + 1).padStart(2, '0')}-${String(i + 1).padStart(2, '0')}`;
        const k = kinds.get(iso);
        const wd = (pad + i) % 7;
        return h('div', { class: `d ${k ? k[0] : wd >= 5 ? 'we' : ''}`, title: k ? k[1] : '' }, i + 1);
      })));
  }));
}

export async function calendarPage(main) {
  const years = (await get('/api/v1/calendar')).years;
  const pick = h('select', { 'data-testid': 'year-select' }, years.map((y) => h('option', { value: y }, y)));
  pick.value = String(years.includes(new Date().getFullYear()) ? new Date().getFullYear() : years[years.length - 1]);
  const grid = h('div');
  const show = async () => grid.replaceChildren(yearGrid(await get(`/api/v1/calendar/${pick.value}`)));
  pick.addEventListener('change', show);
  const loader = form({
    fields: [{ name: 'year', label: t('year'), type: 'number', required: true },
      { name: 'body', label: 'JSON', type: 'textarea', required: true, full: true, rows: 6,
        hint: '{"year":2027,"source":"国务院办公厅…","holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-03"}],"workdays":[{"date":"…","name":"…调休"}]}' }],
    submitLabel: t('load_year'),
    onSubmit: async (v) => {
      let body;
      try { body = JSON.parse(v.body); } catch (e) { throw Object.assign(new Error('JSON 格式错误 / malformed JSON'), {}); }
      await put(`/api/v1/calendar/${v.year}`, body);
      toast(t('saved'));
      calendarPage(main);
    },
  });
  const calc = form({
    fields: [{ name: 'from', label: t('from'), type: 'date', required: true }, { name: 'workdays', label: t('workdays'), type: 'number', required: true }],
    values: { from: new Date().toISOString().slice(0, 10), workdays: 20 },
    submitLabel: t('deadline'),
    onSubmit: async (v) => {
      const r = await get(`/api/v1/calendar/deadline${qs(v)}`);
      result.textContent = `${t('deadline')}: ${r.deadline}`;
    },
  });
  const result = h('div', { class: 'banner ok', 'data-testid': 'deadline-result' }, '—');
  main.replaceChildren(h('h1', {}, t('calendar')),
    h('div', { class: 'toolbar' }, t('year'), pick, h('span', { class: 'tag key' }, t('holiday')), h('span', { class: 'tag', style: 'background:#e6f0fb;color:#2b6cb0' }, t('makeup'))),
    grid, h('div', { class: 'panels', style: 'margin-top:16px' },
      h('div', { class: 'panel' }, h('h2', {}, t('deadline_calc')), calc.el, result),
      h('div', { class: 'panel' }, h('h2', {}, t('load_year')), loader.el)));
  show();
}

export async function auditPage(main) {
  const entity = h('select', {}, h('option', { value: '' }, `${t('entity')}: ${t('all')}`),
    ['enterprise', 'outlet', 'point', 'limit', 'permit', 'agency', 'user', 'org_unit', 'session', 'attachment', 'calendar', 'api_token']
      .map((e) => h('option', { value: e }, e)));
  const action = h('input', { placeholder: t('action') + ' (create/update/login…)', style: 'width:200px' });
  const table = dataTable({
    testid: 'audit-table', limit: 50,
    columns: [{ key: 'at', label: t('time'), render: (r) => fmtTime(r.at) }, { key: 'actor', label: t('actor') },
      { key: 'action', label: t('action'), render: (r) => label('action', r.action) },
      { key: 'entity', label: t('entity'), render: (r) => `${r.entity} #${r.entity_id ?? ''}` },
      { key: 'ip', label: 'IP' },
      { key: 'after', label: t('before_after'), render: (r) => (r.before || r.after) ? h('details', {}, h('summary', {}, 'JSON'),
        h('pre', { class: 'json' }, JSON.stringify({ before: r.before, after: r.after }, null, 1))) : '' }],
    fetch: (p) => get(`/api/v1/audit${qs({ ...p, sort: undefined, total: undefined })}`),
    params: () => ({ entity: entity.value, action: action.value.trim() }),
    filters: [entity, action],
  });
  entity.addEventListener('change', () => table.reload());
  action.addEventListener('change', () => table.reload());
  main.replaceChildren(h('h1', {}, t('audit')), table.el);
}

export async function tokensPage(main) {
  const users = (await get('/api/v1/users?limit=500')).items;
  const table = dataTable({
    testid: 'tokens-table', paged: false,
    columns: [{ key: 'name', label: t('name') }, { key: 'prefix', label: t('prefix') }, { key: 'role', label: t('role'), render: (r) => label('role', r.role) },
      { key: 'username', label: t('user') }, { key: 'created_at', label: t('created_at'), render: (r) => fmtTime(r.created_at) },
      { key: 'revoked_at', label: t('status'), render: (r) => r.revoked_at ? h('span', { class: 'tag inactive' }, t('revoked')) :
        h('button', { class: 'btn danger', onclick: async () => { await del(`/api/v1/tokens/${r.id}`); table.reload(); } }, t('revoke')) }],
    fetch: () => get('/api/v1/tokens'),
  });
  const f = form({
    fields: [{ name: 'name', label: t('name'), required: true },
      { name: 'user_id', label: t('user'), type: 'select', required: true, options: users.map((u) => [u.id, `${u.username} (${label('role', u.role)})`]) },
      { name: 'role', label: t('role'), type: 'select', required: true, options: ROLES.map((r) => [r, label('role', r)]) },
      { name: 'expires_days', label: t('expires_days'), type: 'number', omitEmpty: true }],
    submitLabel: t('create_token'),
    onSubmit: async (v) => {
      const r = await post('/api/v1/tokens', { ...v, user_id: Number(v.user_id) });
      modal(t('create_token'), h('div', {}, h('p', {}, t('token_once')), h('pre', { class: 'json', 'data-testid': 'token' }, r.token)));
      table.reload();
    },
  });
  main.replaceChildren(h('h1', {}, t('tokens')), table.el, h('h2', {}, t('create_token')), f.el);
}
