// The application shell: session, layout with role-aware navigation, language switch and the
// hash router that mounts one page module at a time.
import { api, get, setCsrf, ApiError } from './api.js';
import { t, setLang, getLang, label } from './i18n.js';
import { h, errorBox } from './ui.js';
import { loginPage } from './pages/login.js';
import { dashboardPage } from './pages/dashboard.js';
import { enterpriseListPage, enterpriseFormPage } from './pages/enterprises.js';
import { enterpriseDetailPage } from './pages/enterprise_detail.js';
import { permitsPage, agenciesPage } from './pages/registry.js';
import { usersPage, orgUnitsPage, calendarPage, auditPage, tokensPage } from './pages/admin.js';

const STAFF = ['admin', 'leader', 'approver', 'inspector', 'legal', 'monitor', 'service'];
export const session = { user: null };

// path pattern, page, roles allowed, nav key
const routes = [
  ['/dashboard', dashboardPage, STAFF],
  ['/enterprises', enterpriseListPage, STAFF],
  ['/enterprises/new', (m) => enterpriseFormPage(m, null), ['admin', 'approver', 'inspector']],
  ['/enterprises/:id/edit', (m, p) => enterpriseFormPage(m, p.id), ['admin', 'approver', 'inspector']],
  ['/enterprises/:id', (m, p) => enterpriseDetailPage(m, p.id), [...STAFF, 'enterprise']],
  ['/permits', permitsPage, STAFF],
  ['/agencies', agenciesPage, STAFF],
  ['/admin/users', usersPage, ['admin']],
  ['/admin/org-units', orgUnitsPage, ['admin']],
  ['/admin/calendar', calendarPage, ['admin']],
  ['/admin/audit', auditPage, ['admin', 'leader']],
  ['/admin/tokens', tokensPage, ['admin']],
];

function navItems(role) {
  if (role === 'enterprise') {
    return [['group', t('enterprises')], [`/enterprises/${session.user.enterprise_id}`, t('basic')]];
  }
  const items = [['/dashboard', t('dashboard')], ['/enterprises', t('enterprises')], ['/permits', t('permits')],
    ['/agencies', t('agencies')]];
  if (role === 'admin' || role === 'leader') items.push(['group', t('admin')]);
  if (role === 'admin') items.push(['/admin/users', t('users')], ['/admin/org-units', t('org_units')],
    ['/admin/calendar', t('calendar')]);
  if (role === 'admin' || role === 'leader') items.push(['/admin/audit', t('audit')]);
  if (role === 'admin') items.push(['/admin/tokens', t('tokens')]);
  return items;
}

function match(path) {
  for (const [pattern, page, roles] of routes) {
    const ps = pattern.split('/'), xs = path.split('/');
    if (ps.length !== xs.length) continue;
    const params = {};
    if (ps.every((p, i) => (p.startsWith(':') ? (params[p.slice(1)] = decodeURIComponent(xs[i])) : p === xs[i]))) {
      return { page, roles, params };
    }
  }
  return null;
}

function layout(path) {
  const u = session.user;
  const nav = h('nav', { class: 'nav', 'aria-label': 'main' }, navItems(u.role).map(([href, text]) =>
    href === 'group' ? h('div', { class: 'group' }, text)
      : h('a', { href: `#${href}`, class: path === href || path.startsWith(href + '/') ? 'active' : '' }, text)));
  const main = h('main', { id: 'main' });
  const top = h('header', { class: 'topbar' },
    h('span', { class: 'brand' }, t('app')), h('span', { class: 'spacer' }),
    h('span', {}, `${u.display_name} · ${label('role', u.role)}`),
    h('button', { 'data-testid': 'lang', onclick: () => { setLang(getLang() === 'zh' ? 'en' : 'zh'); render(); } }, t('lang')),
    h('button', { 'data-testid': 'logout', onclick: logout }, t('logout')));
  document.getElementById('app').replaceChildren(h('div', { class: 'layout' }, top, nav, main));
  return main;
}

async function logout() {
  try { await api('DELETE', '/api/v1/session'); } catch { /* already gone */ }
  session.user = null;
  setCsrf(null);
  location.hash = '#/login';
}

async function loadSession() {
  try {
    const s = await get('/api/v1/session');
    session.user = s.user;
    setCsrf(s.csrf_token);
  } catch (e) {
    session.user = null;
    if (e instanceof ApiError && e.code === 'password_change_required') session.mustChange = true;
  }
}

export function onLogin(s) {
  session.user = s.user;
  setCsrf(s.csrf_token);
  location.hash = s.user.role === 'enterprise' ? `#/enterprises/${s.user.enterprise_id}` : '#/dashboard';
}

export async function render() {
  document.getElementById('app').classList.remove('loading');
  const path = location.hash.replace(/^#/, '') || '/';
  document.documentElement.lang = getLang() === 'en' ? 'en' : 'zh-CN';
  document.title = t('app');
  if (path === '/login' || !session.user) {
    if (!session.user && path !== '/login') { location.hash = '#/login'; return; }
    return loginPage(document.getElementById('app'), { onLogin });
  }
  if (path === '/') {
    location.hash = session.user.role === 'enterprise' ? `#/enterprises/${session.user.enterprise_id}` : '#/dashboard';
    return;
  }
  const main = layout(path);
  const m = match(path);
  if (!m) { main.replaceChildren(errorBox(new Error(t('not_found')))); return; }
  if (!m.roles.includes(session.user.role)) { main.replaceChildren(errorBox(new Error(t('forbidden_page')))); return; }
  try {
    await m.page(main, m.params);
  } catch (e) {
    main.replaceChildren(errorBox(e));
  }
}

window.addEventListener('hashchange', render);
await loadSession();
render();
