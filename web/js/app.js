// The application shell: loads the session, draws the layout (top bar with user, role,
// language switch and logout; left navigation showing only what the role may use) and runs the
// hash router that mounts one page module at a time (#/path?query).
//
// A page module exports render(ctx); ctx = {main, params, query, setQuery, onLeave, navigate,
// setTitle, isCurrent, guardLeave}; guardLeave(dirty) makes leaving ask first while dirty()
// is true (unsaved edits), as a dialog with a form does. Pages are loaded on first use
// (dynamic import), so the login page does not pull in ECharts.
import { get, post, del, setCsrf, setAuthHandler, ApiError } from './api.js';
import { t, setLang, getLang, label } from './i18n.js';
import { session, can, homePath } from './session.js';
import { clearCodes } from './codes.js';
import { MODULES, NAV_GROUPS } from './modules.js';
import {
  h, errorBanner, toast, closeAllModals, spinner, modal, form, errorText, fmtTime, confirmDialog, modalsDirty, setRetryHandler,
} from './ui.js';

// Every module's pages (modules.js).
const routes = MODULES.flatMap((m) => m.routes || []);

// Navigation: [group title key, [[path, label key, icon]]] from the modules' nav entries, in
// NAV_GROUPS order, then each entry's order. An enterprise user gets the entries meant for
// enterprises (its own file, points and alarms); staff get the rest that their role may use.
function navGroups() {
  const u = session.user;
  const who = u.role === 'enterprise' || u.role === 'bank' ? u.role : 'staff';
  const items = MODULES.flatMap((m) => m.nav || [])
    .filter((n) => (n.who || 'staff') === who && can(n.perm))
    .sort((x, y) => NAV_GROUPS.indexOf(x.group) - NAV_GROUPS.indexOf(y.group) || (x.order || 0) - (y.order || 0));
  const groups = [];
  for (const n of items) {
    const path = typeof n.path === 'function' ? n.path(u) : n.path;
    let g = groups.find(([k]) => k === n.group);
    if (!g) groups.push(g = [n.group, []]);
    g[1].push([path, n.label, n.icon, n.badge]);
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------
// Hash parsing

export function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const i = raw.indexOf('?');
  const path = (i >= 0 ? raw.slice(0, i) : raw).replace(/\/+$/, '') || '/';
  const query = new URLSearchParams(i >= 0 ? raw.slice(i + 1) : '');
  return { path, query };
}

function match(path) {
  const xs = path.split('/');
  for (const r of routes) {
    const ps = r.path.split('/');
    if (ps.length !== xs.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < ps.length && ok; i++) {
      if (ps[i].startsWith(':')) params[ps[i].slice(1)] = decodeURIComponent(xs[i]);
      else ok = ps[i] === xs[i];
    }
    if (ok) return { route: r, params };
  }
  return null;
}

export function navigate(path) { location.hash = `#${path}`; }

// ---------------------------------------------------------------------------------------------
// Session

let loginNext = null;

async function loadSession() {
  try {
    const s = await get('/api/v1/session');
    session.user = s.user;
    setCsrf(s.csrf_token);
  } catch (e) {
    session.user = null;
    setCsrf(null);
    if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 403)) {
      document.getElementById('app').replaceChildren(h('div', { class: 'boot-error' }, errorBanner(e)));
      throw e;
    }
  }
}

export function onLoggedIn(s) {
  session.user = s.user;
  setCsrf(s.csrf_token);
  clearCodes();
  const next = loginNext;
  loginNext = null;
  // The page asked before logging in, if this user may open it (another user may have logged in).
  const m = next && !next.startsWith('/login') ? match(next.split('?')[0]) : null;
  navigate(m && (m.route.public || !m.route.perm || can(m.route.perm)) ? next : homePath());
}

async function logout() {
  clearInterval(bellTimer);
  try { await del('/api/v1/session'); } catch { /* the session may already be gone */ }
  session.user = null;
  setCsrf(null);
  clearCodes();
  shell = null;
  navigate('/login');
}

setAuthHandler((err) => {
  if (err.code === 'password_change_required') {
    if (session.user) session.user.must_change_password = true;
    if (parseHash().path !== '/login') navigate('/login');
    return;
  }
  if (!session.user) return;
  const { path } = parseHash();
  session.user = null;
  setCsrf(null);
  shell = null;
  if (path !== '/login') {
    loginNext = location.hash.replace(/^#/, '');
    toast(t('session_expired'), 'error');
    navigate('/login');
  }
});

// ---------------------------------------------------------------------------------------------
// Layout

let shell = null;   // {root, main, nav, lang}

function langSwitch() {
  const zhSpan = h('span', { class: getLang() === 'zh' ? 'on' : '' }, t('lang_zh'));
  const enSpan = h('span', { class: getLang() === 'en' ? 'on' : '' }, t('lang_en'));
  return h('button', { type: 'button', class: 'lang', 'data-testid': 'lang', title: t('language'),
    'aria-label': `${t('language')}: ${getLang() === 'zh' ? 'English' : '中文'}`,
    onclick: async () => {
      if (unsaved() && !(await askLeave())) return;
      setLang(getLang() === 'zh' ? 'en' : 'zh'); shell = null; render();
    } }, zhSpan, enSpan);
}

function changePasswordDialog() {
  const f = form({
    cols: 1,
    fields: [
      { name: 'old_password', label: t('old_password'), type: 'password', required: true, autocomplete: 'current-password' },
      { name: 'new_password', label: t('new_password'), type: 'password', required: true, hint: t('password_rule') },
      { name: 'new_password2', label: t('new_password2'), type: 'password', required: true },
    ],
    submitLabel: t('change_password'),
    onSubmit: async (v) => {
      if (v.new_password !== v.new_password2) { f.setError('new_password2', t('password_mismatch')); return; }
      await post('/api/v1/session/password', { old_password: v.old_password, new_password: v.new_password });
      m.close();
      toast(t('password_changed'));
    },
  });
  const m = modal({ title: t('change_password'), body: f.el, dismissable: false, testid: 'password-dialog' });
}

// The notification bell: alarms opened/closed for what the user may see. Polls every 30 s while
// the shell is up; the badge counts notifications newer than the user's read mark; the panel
// lists the latest 20 and "mark all read" moves the mark to the newest.
let bellTimer = null;
function bell() {
  const count = h('span', { class: 'bell-count', 'data-testid': 'bell-count', hidden: true });
  const list = h('div', { class: 'bell-list', 'data-testid': 'bell-list' });
  const readAll = h('button', { type: 'button', class: 'bell-read', 'data-testid': 'bell-read-all' }, t('mark_all_read'));
  const panel = h('div', { class: 'bell-panel', hidden: true, role: 'dialog', 'aria-label': t('notifications') },
    h('div', { class: 'bell-head' }, h('b', {}, t('notifications')), readAll), list);
  const button = h('button', { type: 'button', class: 'top-btn bell', 'data-testid': 'bell', title: t('notifications'),
    'aria-label': t('notifications'), 'aria-expanded': 'false', 'aria-haspopup': 'dialog' },
  h('span', { class: 'bell-ico', 'aria-hidden': 'true' }), count);
  let latest = { items: [], last_read_id: 0 };
  const draw = () => {
    const unread = latest.items.filter((n) => n.id > latest.last_read_id).length;
    count.hidden = unread === 0;
    count.textContent = unread >= latest.items.length && latest.total > latest.items.length ? `${unread}+` : String(unread);
    button.setAttribute('aria-label', unread ? `${t('notifications')} (${count.textContent})` : t('notifications'));
    readAll.disabled = unread === 0;
    list.replaceChildren(...(latest.items.length ? latest.items.map((n) => h('a', {
      class: `bell-item${n.id > latest.last_read_id ? ' unread' : ''}`, 'data-testid': 'bell-item',
      href: n.point_id ? `#/monitor/points/${n.point_id}` : '#/monitor/alarms', onclick: () => hide(),
    }, h('span', { class: `badge ${n.event === 'opened' ? 'red' : 'green'}` }, label('notification_event', n.event)),
    h('span', { class: 'bell-title' }, n.title), h('span', { class: 'muted bell-time' }, fmtTime(n.created_at))))
      : [h('div', { class: 'muted bell-empty' }, t('no_notifications'))]));
  };
  const load = async () => {
    if (!session.user) return;
    try { latest = await get('/api/v1/notifications?limit=20&total=1'); draw(); button.dataset.loaded = '1'; } catch { /* the next poll retries */ }
  };
  const outside = (e) => { if (!panel.contains(e.target) && !button.contains(e.target)) hide(); };
  function hide() { panel.hidden = true; button.setAttribute('aria-expanded', 'false'); document.removeEventListener('click', outside, true); }
  button.addEventListener('click', () => {
    if (!panel.hidden) { hide(); return; }
    panel.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    document.addEventListener('click', outside, true);
    load();
  });
  panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') { hide(); button.focus(); } });
  readAll.addEventListener('click', async () => {
    if (!latest.items.length) return;
    try {
      await post('/api/v1/notifications/read', { up_to_id: latest.items[0].id });
      latest.last_read_id = latest.items[0].id;
      draw();
    } catch (e) { toast(errorText(e), 'error'); }
  });
  clearInterval(bellTimer);
  bellTimer = setInterval(load, 30000);
  load();
  return h('span', { class: 'bell-wrap' }, button, panel);
}

// The character in the round avatar: the first character of the person's name (the last word
// of display names such as "审批科 王丽").
function avatarChar(u) {
  const words = String(u.display_name || u.username || '?').trim().split(/\s+/);
  return [...words[words.length - 1]][0].toUpperCase();
}

// The navigation drawer and the user menu of narrow screens (CSS shows the menu buttons only at
// 900 px and below; on wider screens the navigation stays on the left and the user's controls
// sit in the top bar). Both close on Escape, on a click outside and when the page changes.
// target: {contains(node), set(open), first() → the element to focus on opening}.
let closeMenus = () => {};
function popover(button, target) {
  let open = false;
  const outside = (e) => { if (!target.contains(e.target) && !button.contains(e.target)) set(false); };
  const esc = (e) => { if (e.key === 'Escape') { set(false); button.focus(); } };
  function set(on) {
    if (on === open) return;
    open = on;
    button.setAttribute('aria-expanded', String(on));
    target.set(on);
    // Keyboard users land inside what opened (the current page's link, the first menu item).
    if (on) target.first()?.focus({ preventScroll: true });
    if (on) { document.addEventListener('click', outside, true); document.addEventListener('keydown', esc); } else {
      document.removeEventListener('click', outside, true);
      document.removeEventListener('keydown', esc);
    }
  }
  button.addEventListener('click', () => set(!open));
  return { close: () => set(false) };
}

// Navigation entries with a badge (a module's nav entry with badge: () => Promise<{count,
// alert}>, e.g. the to-do counts): refreshed on every page change; a failed load hides it.
let navBadges = [];
function refreshNavBadges() {
  for (const b of navBadges) {
    b.load().then(({ count, alert }) => {
      b.el.hidden = !count;
      b.el.textContent = count > 99 ? '99+' : String(count || '');
      b.el.classList.toggle('alert', !!alert);
      b.el.title = alert ? `${alert} / ${count}` : String(count);
    }, () => { b.el.hidden = true; });
  }
}

function buildShell() {
  const u = session.user;
  navBadges = [];
  const nav = h('nav', { class: 'nav', id: 'nav', 'aria-label': t('app') });
  for (const [g, items] of navGroups()) {
    nav.append(h('div', { class: 'nav-group' }, t(g)));
    for (const [href, key, icon, badge] of items) {
      const count = badge ? h('span', { class: 'nav-count', 'data-testid': `nav-count-${key}`, hidden: true }) : null;
      if (badge) navBadges.push({ el: count, load: badge });
      nav.append(h('a', { href: `#${href}`, dataset: { path: href }, 'data-testid': `nav-${key}` },
        h('span', { class: `nav-ico ni-${icon || 'dot'}`, 'aria-hidden': 'true' }), t(key), count));
    }
  }
  const main = h('main', { id: 'main', tabindex: '-1' });
  const name = u.display_name || u.username;
  const role = u.display_name !== label('role', u.role) ? label('role', u.role) : null;
  const menuBtn = h('button', { type: 'button', class: 'top-btn menu-btn', 'data-testid': 'nav-toggle', 'aria-controls': 'nav',
    'aria-expanded': 'false', 'aria-label': t('menu'), title: t('menu') }, h('span', { class: 'menu-ico', 'aria-hidden': 'true' }));
  const userBtn = h('button', { type: 'button', class: 'top-btn user-btn', 'data-testid': 'user-menu', 'aria-controls': 'user-actions',
    'aria-expanded': 'false', 'aria-haspopup': 'true', 'aria-label': `${t('user_menu')}: ${name}`, title: name },
  h('span', { class: 'avatar', 'aria-hidden': 'true' }, avatarChar(u)));
  const actions = h('div', { class: 'top-actions', id: 'user-actions', 'data-testid': 'user-actions' },
    h('div', { class: 'menu-who' }, h('b', {}, name), role ? h('span', { class: 'muted small' }, role) : null),
    h('button', { type: 'button', class: 'top-btn', 'data-testid': 'change-password', onclick: () => { userMenu.close(); changePasswordDialog(); } }, t('change_password')),
    langSwitch(),
    h('button', { type: 'button', class: 'top-btn', 'data-testid': 'logout', onclick: logout }, t('logout')));
  const top = h('header', { class: 'topbar' },
    menuBtn,
    h('a', { class: 'brand', href: `#${homePath()}`, title: t('app') }, h('span', { class: 'logo', 'aria-hidden': 'true' }),
      h('span', { class: 'brand-full' }, t('app')), h('span', { class: 'brand-short', 'aria-hidden': 'true' }, t('app_short'))),
    h('span', { class: 'spacer' }),
    u.role === 'bank' ? null : bell(),
    h('span', { class: 'who', 'data-testid': 'who' }, h('span', { class: 'avatar', 'aria-hidden': 'true' }, avatarChar(u)),
      h('span', { class: 'who-text' }, h('b', {}, name), role ? h('span', { class: 'role', 'data-testid': 'role' }, role) : null)),
    userBtn, actions);
  const back = h('div', { class: 'nav-back', 'aria-hidden': 'true' });
  const root = h('div', { class: 'layout' }, top, h('div', { class: 'body' }, nav, back, main));
  const navMenu = popover(menuBtn, { contains: (n) => nav.contains(n), set: (on) => root.classList.toggle('nav-open', on),
    first: () => nav.querySelector('a.active') || nav.querySelector('a') });
  const userMenu = popover(userBtn, { contains: (n) => actions.contains(n), set: (on) => top.classList.toggle('user-open', on),
    first: () => actions.querySelector('button') });
  nav.addEventListener('click', (e) => { if (e.target.closest('a')) navMenu.close(); });
  document.getElementById('app').replaceChildren(root);
  closeMenus = () => { navMenu.close(); userMenu.close(); };
  shell = { root, main, nav, user: u.id, lang: getLang() };
}

// The entry for the page shown: the longest path that is the page's or its parent's; an entry
// with a query (an enterprise's ?tab=permits) only when the address has that query, and then
// before the bare path.
function markNav(path, query) {
  let best = null;
  let bestScore = -1;
  for (const a of shell.nav.querySelectorAll('a')) {
    const [p, q] = a.dataset.path.split('?');
    if (!(path === p || path.startsWith(p + '/'))) continue;
    const want = [...new URLSearchParams(q || '')];
    if (!want.every(([k, v]) => query.get(k) === v)) continue;
    const score = p.length * 10 + want.length;
    if (score > bestScore) { best = a; bestScore = score; }
  }
  for (const a of shell.nav.querySelectorAll('a')) {
    a.classList.toggle('active', a === best);
    if (a === best) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

// ---------------------------------------------------------------------------------------------
// Router

let leaving = [];
let renderSeq = 0;
let leaveGuard = null;          // the page's "unsaved edits?" (ctx.guardLeave)
let here = location.hash;       // the address of the page shown

const unsaved = () => !!(leaveGuard?.() || modalsDirty());
const askLeave = () => confirmDialog(t('unsaved'), { title: t('unsaved_title'), okLabel: t('leave'), danger: true });

function leave() {
  for (const fn of leaving.splice(0)) { try { fn(); } catch { /* cleanup must not block navigation */ } }
  closeAllModals();
}

export async function render() {
  const my = ++renderSeq;
  leave();
  leaveGuard = null;
  here = location.hash;
  closeMenus();
  document.getElementById('app').classList.remove('loading');
  const { path, query } = parseHash();
  if (path === '/' || path === '') { navigate(session.user ? homePath() : '/login'); return; }
  const m = match(path);
  if (!session.user && !(m && m.route.public)) {
    loginNext = location.hash.replace(/^#/, '');
    navigate('/login');
    return;
  }
  if (m && m.route.public) {
    // The login page sends a signed-in user home; an open page (a public draw) shows to anyone.
    if (session.user && !session.user.must_change_password && !m.route.open) { navigate(homePath()); return; }
    shell = null;
    const mod = await m.route.page();
    if (my !== renderSeq) return;
    const root = document.getElementById('app');
    document.title = `${t('login')} · ${t('app')}`;
    await mod.render({ root, query, params: m.params, onLoggedIn, navigate });
    return;
  }
  if (session.user.must_change_password) { navigate('/login'); return; }
  if (!shell || shell.user !== session.user.id || shell.lang !== getLang()) buildShell();
  markNav(path, query);
  refreshNavBadges();
  // Each page draws into a box of its own: once the user has gone on, a page still loading
  // writes into a box no longer shown, and its title, address and clean-up calls are dropped,
  // so no page needs to check ctx.isCurrent() to keep from overwriting the next one.
  const current = () => my === renderSeq;
  const main = h('div', { class: 'page-root' }, spinner());
  shell.main.replaceChildren(main);
  const setTitle = (s) => { if (current()) document.title = `${s} · ${t('app')}`; };
  if (!m) { main.replaceChildren(errorBanner(new Error(t('not_found')))); setTitle(t('not_found')); return; }
  if (!can(m.route.perm)) { main.replaceChildren(errorBanner(new Error(t('forbidden_page')))); setTitle(t('forbidden_page')); return; }
  const ctx = {
    main, params: m.params, query, navigate, setTitle,
    onLeave: (fn) => { if (current()) leaving.push(fn); else { try { fn(); } catch { /* as leave() */ } } },
    // Keep filter state in the address without re-rendering (back/forward restore it).
    setQuery(obj) {
      if (!current()) return;
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
      const s = q.toString();
      history.replaceState(null, '', `#${path}${s ? `?${s}` : ''}`);
      here = location.hash;
    },
    isCurrent: current,
    guardLeave: (fn) => { if (current()) leaveGuard = fn; },
  };
  try {
    const mod = await m.route.page();
    if (my !== renderSeq) return;
    await mod.render(ctx);
  } catch (e) {
    if (my !== renderSeq || e?.name === 'AbortError') return;
    if (e instanceof ApiError && e.status === 401) return;
    main.replaceChildren(errorBanner(e));
    if (!(e instanceof ApiError)) console.error(e);
  }
  if (current() && shell) shell.main.focus({ preventScroll: true }); // a 401 meanwhile dropped the shell
}

// Leaving a page with unsaved edits asks first; "stay" puts the address back.
window.addEventListener('hashchange', async () => {
  if (location.hash !== here && unsaved()) {
    const target = location.hash;
    history.replaceState(null, '', here || '#/');
    if (!(await askLeave())) return;
    history.replaceState(null, '', target);
  }
  render();
});
window.addEventListener('beforeunload', (e) => { if (unsaved()) { e.preventDefault(); e.returnValue = ''; } });
window.addEventListener('unhandledrejection', (e) => {
  const err = e.reason;
  if (err?.name === 'AbortError' || (err instanceof ApiError && err.status === 401)) return;
  toast(errorText(err), 'error');
});

async function start() {
  try { await loadSession(); } catch { return; }
  setRetryHandler(() => render());
  render();
}
start();
