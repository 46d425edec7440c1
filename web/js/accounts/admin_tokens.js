// API tokens (API 令牌, admin only) for other systems calling the API with
// "Authorization: Bearer …": list, create (the token is shown once), revoke.
import { get, post, del, getAll } from '../api.js';
import { t, fl, label, enumOptions } from '../i18n.js';
import { h, simpleTable, pageHead, btn, form, modal, toast, confirmDialog, secretDialog, fmtTime, spinner, errorBanner } from '../ui.js';

function tokenState(r) {
  if (r.revoked_at) return h('span', { class: 'badge grey' }, t('revoked'));
  if (r.expires_at && r.expires_at * 1000 < Date.now()) return h('span', { class: 'badge amber' }, t('expired_token'));
  return h('span', { class: 'badge green' }, t('active_token'));
}

function createDialog(users, done) {
  let m;
  const active = users.filter((u) => u.status === 'active');
  const f = form({
    cols: 2, testid: 'token-form',
    values: { user_id: active[0]?.id ?? '', role: active[0]?.role ?? '' },
    fields: [
      { name: 'name', label: fl('name'), required: true, maxlength: 100, span: 2, testid: 'token-name', placeholder: t('token_name_ph') },
      { name: 'user_id', label: fl('user_id'), type: 'select', required: true, noPlaceholder: true, testid: 'token-user',
        options: active.map((u) => [u.id, `${u.username}（${u.display_name || ''} · ${label('role', u.role)}）`]) },
      { name: 'role', label: fl('role'), type: 'select', required: true, noPlaceholder: true, options: enumOptions('role'), testid: 'token-role' },
      { name: 'expires_days', label: fl('expires_days'), type: 'integer', min: 1, hint: t('expires_days_hint'), omitEmpty: true, testid: 'token-days' },
    ],
    submitLabel: t('new_token'),
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const r = await post('/api/v1/tokens', { ...v, user_id: Number(v.user_id) });
      m.close();
      done();
      secretDialog(t('new_token'), t('token_once'), r.token, 'token-secret');
    },
  });
  // A token carries its user's role; keep the two in step.
  const sync = () => { const u = active.find((x) => String(x.id) === f.inputs.user_id.value); if (u) f.inputs.role.value = u.role; };
  f.inputs.user_id.addEventListener('change', sync);
  sync();
  f.markClean(); // the role filled in is not an edit of the user's
  m = modal({ title: t('new_token'), body: h('div', {}, h('p', { class: 'muted' }, t('token_help')), f.el), wide: true, dismissable: false, testid: 'token-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('tokens'));
  const users = await getAll('/api/v1/users', { sort: 'username' });
  if (!ctx.isCurrent()) return;
  const box = h('div');
  async function load() {
    box.replaceChildren(spinner());
    try {
      const rows = (await get('/api/v1/tokens')).items || [];
      rows.sort((a, b) => (a.revoked_at ? 1 : 0) - (b.revoked_at ? 1 : 0) || b.id - a.id);
      box.replaceChildren(simpleTable({
        testid: 'tokens-table',
        columns: [
          { key: 'name', label: fl('name') },
          { key: 'prefix', label: fl('prefix'), cls: 'mono' },
          { key: 'role', label: fl('role'), cls: 'nowrap', render: (r) => label('role', r.role) },
          { key: 'username', label: fl('username_of'), cls: 'mono' },
          { key: 'created_at', label: fl('created_at'), cls: 'nowrap', render: (r) => fmtTime(r.created_at) },
          { key: 'expires_at', label: fl('expires_at'), cls: 'nowrap', render: (r) => (r.expires_at ? fmtTime(r.expires_at) : t('never')) },
          { key: 'last_used', label: fl('last_used'), cls: 'nowrap muted', render: (r) => (r.last_used ? fmtTime(r.last_used) : '—') },
          { key: 'state', label: fl('status'), cls: 'nowrap', render: (r) => [tokenState(r), r.revoked_at ? h('div', { class: 'muted small' }, fmtTime(r.revoked_at)) : null] },
          { key: 'act', label: t('actions'), cls: 'actions nowrap', render: (r) => (r.revoked_at ? null : btn(t('revoke'), async () => {
            if (!(await confirmDialog(t('confirm_revoke_token', { n: r.name }), { danger: true, okLabel: t('revoke') }))) return;
            try { await del(`/api/v1/tokens/${r.id}`); toast(t('status_changed')); load(); } catch (e) { toast(e, 'error'); }
          }, { small: true, danger: true, testid: `revoke-${r.id}` })) },
        ],
        rows,
      }));
    } catch (e) { box.replaceChildren(errorBanner(e)); }
  }
  main.replaceChildren(pageHead(t('tokens'), btn(`+ ${t('new_token')}`, () => createDialog(users, load), { primary: true, testid: 'new-token' })),
    h('p', { class: 'muted' }, t('token_help')), box);
  load();
}
