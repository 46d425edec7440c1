// User administration (用户管理, admin only): list with search and filters; create with role,
// org unit (staff) or enterprise (enterprise users) — the one-time password is shown once;
// edit; disable/enable (ends the user's sessions); reset password (new one-time password).
import { get, post, patch, qs } from '../api.js';
import { t, fl, label, enumOptions } from '../i18n.js';
import { session } from '../session.js';
import { orgUnits } from '../codes.js';
import {
  h, dataTable, selectEl, searchBox, badge, pageHead, btn, form, modal, toast, confirmDialog, secretDialog,
  searchSelect, fmtTime,
} from '../ui.js';

async function searchEnterprises(q) {
  const items = (await get(`/api/v1/enterprises${qs({ q, limit: 20, sort: 'name' })}`)).items || [];
  return items.map((e) => ({ value: e.id, label: e.name, hint: e.uscc }));
}

function userDialog(current, orgs, done) {
  let m;
  const ent = searchSelect({ name: 'enterprise_id', id: 'f-enterprise_id', testid: 'user-enterprise', labelMode: true,
    value: current?.enterprise_id ?? '', text: current?.enterprise_name || '', placeholder: t('enterprise_search'), search: searchEnterprises });
  const values = current ? { ...current, org_unit_id: current.org_unit_id ?? '', enterprise_id: current.enterprise_id ?? '' }
    : { role: 'inspector', org_unit_id: orgs[0]?.id ?? '' };
  const f = form({
    cols: 2,
    testid: 'user-form',
    values,
    fields: [
      current ? null : { name: 'username', label: fl('username'), required: true, maxlength: 64, testid: 'user-username', placeholder: 'a-z 0-9 . _ - @' },
      { name: 'display_name', label: fl('display_name'), required: true, maxlength: 100, testid: 'user-display-name' },
      { name: 'role', label: fl('role'), type: 'select', required: true, noPlaceholder: true, options: enumOptions('role'), testid: 'user-role' },
      { name: 'org_unit_id', label: fl('org_unit_id'), type: 'select', options: orgs.map((o) => [o.id, o.name]), testid: 'user-org' },
      { name: 'enterprise_id', label: fl('enterprise_id'), type: 'custom', component: ent },
      { name: 'email', label: fl('email'), type: 'email', maxlength: 200 },
      { name: 'phone', label: fl('phone'), type: 'tel', maxlength: 40 },
    ],
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const isEnt = v.role === 'enterprise';
      const norm = (x) => (x === '' || x === null || x === undefined ? null : Number(x));
      if (current) {
        const body = f.changed();
        if ('org_unit_id' in body || 'role' in body) body.org_unit_id = isEnt ? null : norm(v.org_unit_id);
        if ('enterprise_id' in body || 'role' in body) body.enterprise_id = isEnt ? norm(v.enterprise_id) : null;
        if (Object.keys(body).length) await patch(`/api/v1/users/${current.id}`, body);
        m.close();
        toast(t('saved'));
        done();
        return;
      }
      const body = { username: v.username, display_name: v.display_name, role: v.role };
      if (isEnt) body.enterprise_id = norm(v.enterprise_id); else if (v.org_unit_id !== '') body.org_unit_id = norm(v.org_unit_id);
      if (v.email) body.email = v.email;
      if (v.phone) body.phone = v.phone;
      const u = await post('/api/v1/users', body);
      m.close();
      done();
      secretDialog(t('otp_title'), t('otp_help', { u: u.username }), u.one_time_password, 'one-time-password');
    },
  });
  const orgWrap = f.inputs.org_unit_id.closest('.field');
  const entWrap = ent.el.closest('.field');
  const sync = () => {
    const isEnt = f.inputs.role.value === 'enterprise';
    orgWrap.hidden = isEnt;
    entWrap.hidden = !isEnt;
  };
  f.inputs.role.addEventListener('change', sync);
  sync();
  m = modal({ title: current ? `${t('edit_user')} · ${current.username}` : t('new_user'), body: h('div', {}, h('p', { class: 'muted' }, t('org_required_hint')), f.el),
    wide: true, dismissable: false, testid: 'user-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('users'));
  const orgs = await orgUnits();
  if (!ctx.isCurrent()) return;
  const q = searchBox({ placeholder: t('user_search'), value: query.get('q') || '', width: '200px', onSearch: () => changed() });
  const role = selectEl({ name: 'role', testid: 'filter-role', options: enumOptions('role'), value: query.get('role') || '',
    placeholder: t('filter_all', { f: fl('role') }), onChange: () => changed() });
  const org = selectEl({ name: 'org_unit_id', testid: 'filter-org', options: orgs.map((o) => [o.id, o.name]), value: query.get('org_unit_id') || '',
    placeholder: t('filter_all', { f: fl('org_unit_id') }), onChange: () => changed() });
  const status = selectEl({ name: 'status', testid: 'filter-status', options: enumOptions('status'), value: query.get('status') || '',
    placeholder: t('filter_all', { f: fl('status') }), onChange: () => changed() });
  const params = () => ({ q: q.value.trim(), role: role.value, org_unit_id: org.value, status: status.value });
  function changed() { ctx.setQuery(params()); table.reload(); }
  const now = () => Date.now() / 1000;
  const table = dataTable({
    testid: 'users-table',
    sort: 'username',
    columns: [
      { key: 'username', label: fl('username'), sort: 'username', cls: 'mono nowrap' },
      { key: 'display_name', label: fl('display_name') },
      { key: 'role', label: fl('role'), cls: 'nowrap', render: (r) => label('role', r.role) },
      { key: 'org', label: `${fl('org_unit_id')} / ${fl('enterprise_id')}`, render: (r) => (r.role === 'enterprise'
        ? (r.enterprise_id ? h('a', { href: `#/enterprises/${r.enterprise_id}` }, r.enterprise_name || `#${r.enterprise_id}`) : '')
        : (r.org_unit_name || '')) },
      { key: 'status', label: fl('status'), cls: 'nowrap', render: (r) => [badge('status', r.status),
        r.locked_until && r.locked_until > now() ? h('span', { class: 'badge red', title: fmtTime(r.locked_until) }, t('locked')) : null,
        r.must_change_password ? h('span', { class: 'badge amber' }, t('must_change_pw')) : null] },
      { key: 'created_at', label: fl('created_at'), cls: 'nowrap muted', render: (r) => fmtTime(r.created_at) },
      { key: 'act', label: t('actions'), cls: 'actions nowrap', render: (r) => [
        btn(t('edit'), () => userDialog(r, orgs, () => table.refresh()), { small: true, testid: `edit-user-${r.username}` }),
        r.id === session.user.id ? null : btn(r.status === 'active' ? t('disable') : t('enable'), async () => {
          const active = r.status === 'active';
          if (!(await confirmDialog(t(active ? 'confirm_disable' : 'confirm_enable', { u: r.username }), { danger: active }))) return;
          try { await post(`/api/v1/users/${r.id}/${active ? 'disable' : 'enable'}`); toast(t('status_changed')); table.refresh(); } catch (e) { toast(e, 'error'); }
        }, { small: true, danger: r.status === 'active', testid: `toggle-user-${r.username}` }),
        btn(t('reset_password'), async () => {
          if (!(await confirmDialog(t('confirm_reset', { u: r.username }), { danger: true, okLabel: t('reset_password') }))) return;
          try {
            const x = await post(`/api/v1/users/${r.id}/reset-password`);
            table.refresh();
            secretDialog(t('otp_title'), t('otp_help', { u: r.username }), x.one_time_password, 'one-time-password');
          } catch (e) { toast(e, 'error'); }
        }, { small: true, testid: `reset-user-${r.username}` })] },
    ],
    fetch: (p) => get(`/api/v1/users${qs(p)}`),
    params,
    rowClass: (r) => (r.status === 'inactive' ? 'inactive' : ''),
    toolbar: [q, role, org, status],
  });
  main.replaceChildren(pageHead(t('users'), btn(`+ ${t('new_user')}`, () => userDialog(null, orgs, () => table.reload()), { primary: true, testid: 'new-user' })), table.el);
}
