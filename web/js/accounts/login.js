// Login, and the password change the server demands on first login or after a reset
// (403 password_change_required, or must_change_password in the session).
import { get, post, setCsrf, del } from '../api.js';
import { t, setLang, getLang } from '../i18n.js';
import { session } from '../session.js';
import { h, form } from '../ui.js';

function frame(root, title, sub, body, onLang) {
  const lang = h('button', { type: 'button', class: 'lang light', 'data-testid': 'lang',
    onclick: () => { setLang(getLang() === 'zh' ? 'en' : 'zh'); onLang(); } },
  h('span', { class: getLang() === 'zh' ? 'on' : '' }, t('lang_zh')), h('span', { class: getLang() === 'en' ? 'on' : '' }, t('lang_en')));
  root.replaceChildren(h('div', { class: 'login-page' },
    h('div', { class: 'login-side' }, h('div', { class: 'login-brand' }, h('span', { class: 'logo big', 'aria-hidden': 'true' }),
      h('div', {}, h('div', { class: 'login-app' }, t('app')), h('div', { class: 'login-sub' }, t('app_sub'))))),
    h('div', { class: 'login-main' }, h('div', { class: 'login-top' }, lang),
      h('div', { class: 'login-card', 'data-testid': 'login-card' }, h('h1', {}, title), sub ? h('p', { class: 'muted' }, sub) : null, body),
      h('p', { class: 'login-foot' }, t('login_foot')))));
}

export async function render(ctx) {
  if (session.user?.must_change_password) return changePassword(ctx);
  const f = form({
    cols: 1,
    testid: 'login-form',
    fields: [
      { name: 'username', label: t('username'), required: true, autocomplete: 'username', maxlength: 64 },
      { name: 'password', label: t('password'), type: 'password', required: true, maxlength: 256 },
    ],
    submitLabel: t('login'),
    busyLabel: t('logging_in'),
    onSubmit: async (v) => {
      const s = await post('/api/v1/session', { username: v.username, password: v.password });
      setCsrf(s.csrf_token);
      session.user = s.user;
      if (s.user.must_change_password) return changePassword(ctx);
      ctx.onLoggedIn(s);
    },
  });
  f.inputs.password.setAttribute('autocomplete', 'current-password');
  frame(ctx.root, t('login'), null, f.el, () => render(ctx));
  f.inputs.username.focus();
}

function changePassword(ctx) {
  const f = form({
    cols: 1,
    testid: 'password-form',
    fields: [
      { name: 'old_password', label: t('old_password'), type: 'password', required: true, autocomplete: 'current-password' },
      { name: 'new_password', label: t('new_password'), type: 'password', required: true, hint: t('password_rule') },
      { name: 'new_password2', label: t('new_password2'), type: 'password', required: true },
    ],
    submitLabel: t('change_password'),
    onSubmit: async (v) => {
      if (v.new_password !== v.new_password2) { f.setError('new_password2', t('password_mismatch')); return; }
      await post('/api/v1/session/password', { old_password: v.old_password, new_password: v.new_password });
      session.user.must_change_password = false;
      // The session stays valid; fetch a fresh token in case the server rotated it.
      const s = await get('/api/v1/session');
      ctx.onLoggedIn(s);
    },
    extraActions: h('button', { type: 'button', class: 'btn', onclick: async () => {
      try { await del('/api/v1/session'); } catch { /* already gone */ }
      session.user = null;
      setCsrf(null);
      render(ctx);
    } }, t('back')),
  });
  frame(ctx.root, t('change_password'), t('must_change'), f.el, () => changePassword(ctx));
  f.inputs.old_password.focus();
  return undefined;
}
