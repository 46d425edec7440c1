// Accounts: the login page, users, org units and API tokens.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'accounts',
  strings, labels,
  routes: [
    { path: '/login', page: () => import('./login.js'), public: true },
    { path: '/admin/users', page: () => import('./admin_users.js'), perm: 'admin' },
    { path: '/admin/org-units', page: () => import('./admin_org_units.js'), perm: 'admin' },
    { path: '/admin/tokens', page: () => import('./admin_tokens.js'), perm: 'admin' },
  ],
  nav: [
    { group: 'nav_admin', path: '/admin/users', label: 'users', perm: 'admin', icon: 'user', order: 10 },
    { group: 'nav_admin', path: '/admin/org-units', label: 'org_units', perm: 'admin', icon: 'org', order: 20 },
    { group: 'nav_admin', path: '/admin/tokens', label: 'tokens', perm: 'admin', icon: 'key', order: 50 },
  ],
  // Where audit rows' records are shown (the 工作台's latest operations).
  entityLinks: { user: () => '#/admin/users', org_unit: () => '#/admin/org-units' },
};
