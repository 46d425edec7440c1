// The platform's pages: the 工作台 (dashboard) and the audit log.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'platform',
  strings, labels,
  routes: [
    { path: '/dashboard', page: () => import('./dashboard.js'), perm: 'staff' },
    { path: '/admin/audit', page: () => import('./admin_audit.js'), perm: 'audit.read' },
  ],
  nav: [
    { group: 'nav_registry', path: '/dashboard', label: 'dashboard', perm: 'staff', icon: 'dash', order: 0 },
    { group: 'nav_admin', path: '/admin/audit', label: 'audit', perm: 'audit.read', icon: 'log', order: 40 },
  ],
  perms: { 'audit.read': { roles: ['admin', 'leader'], route: 'GET /api/v1/audit' } },
};
