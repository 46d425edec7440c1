// Login, and the first-login password change the server demands (403 password_change_required).
import { api, post, setCsrf } from '../api.js';
import { t, setLang, getLang } from '../i18n.js';
import { h, form } from '../ui.js';

export function loginPage(root, { onLogin }) {
  const f = form({
    fields: [
      { name: 'username', label: t('username'), required: true },
      { name: 'password', label: t('password'), type: 'password', required: true },
    ],
    submitLabel: t('login'),
    onSubmit: async (v) => {
      const s = await post('/api/v1/session', v);
      setCsrf(s.csrf_token);
      if (s.user.must_change_password) return changePassword(root, s, onLogin);
      onLogin(s);
    },
  });
  f.inputs.password.setAttribute('autocomplete', 'current-password');
  root.replaceChildren(h('div', { class: 'login' }, h('h1', {}, t('app')), h('p', { class: 'sub' }, t('login_sub')), f.el,
    h('p', { class: 'muted', style: 'text-align:center;margin-top:14px' },
      h('a', { href: '#/login', onclick: (e) => { e.preventDefault(); setLang(getLang() === 'zh' ? 'en' : 'zh'); loginPage(root, { onLogin }); } }, t('lang')))));
  f.inputs.username.focus();
}

function changePassword(root, s, onLogin) {
  const f = form({
    fields: [
      { name: 'old_password', label: t('old_password'), type: 'password', required: true },
      { name: 'new_password', label: t('new_password'), type: 'password', required: true,
        hint: '至少 10 位，须含字母和数字 / at least 10 characters with letters and digits' },
    ],
    submitLabel: t('change_password'),
    onSubmit: async (v) => {
      await api('POST', '/api/v1/session/password', v);
      s.user.must_change_password = false;
      onLogin(s);
    },
  });
  root.replaceChildren(h('div', { class: 'login' }, h('h1', {}, t('change_password')), h('p', { class: 'sub' }, t('must_change')), f.el));
}
