// The registry: enterprises (企业档案), their outlets, points, limits and permits, and agencies.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

const own = (u) => `/enterprises/${u.enterprise_id}`;
export default {
  name: 'registry',
  strings, labels,
  routes: [
    { path: '/enterprises', page: () => import('./enterprises.js'), perm: 'staff' },
    { path: '/enterprises/new', page: () => import('./enterprise_form.js'), perm: 'enterprise.write' },
    { path: '/enterprises/:id/edit', page: () => import('./enterprise_form.js'), perm: 'enterprise.write' },
    { path: '/enterprises/:id', page: () => import('./enterprise_detail.js'), perm: 'any' },
    { path: '/permits', page: () => import('./permits.js'), perm: 'staff' },
    { path: '/agencies', page: () => import('./agencies.js'), perm: 'agency.read' },
  ],
  nav: [
    { group: 'nav_registry', path: '/enterprises', label: 'enterprises', perm: 'staff', icon: 'ent', order: 10 },
    { group: 'nav_registry', path: '/permits', label: 'permits', perm: 'staff', icon: 'permit', order: 20 },
    { group: 'nav_registry', path: '/agencies', label: 'agencies', perm: 'agency.read', icon: 'agency', order: 30 },
    // An enterprise user's own menu: its file, permits and outlets (no bureau wording).
    { group: 'nav_own', who: 'enterprise', path: own, label: 'my_enterprise', perm: 'any', icon: 'ent', order: 0 },
    { group: 'nav_own', who: 'enterprise', path: (u) => `${own(u)}?tab=permits`, label: 'own_permits', perm: 'any', icon: 'permit', order: 10 },
    { group: 'nav_own', who: 'enterprise', path: (u) => `${own(u)}?tab=outlets`, label: 'own_outlets', perm: 'any', icon: 'dash', order: 20 },
  ],
  perms: {
    'enterprise.write': { roles: ['admin', 'approver', 'inspector'], route: 'POST /api/v1/enterprises' }, // REG
    // TECH: outlets, points, limits
    'tech.write': { roles: ['admin', 'approver', 'inspector', 'monitor'], route: 'POST /api/v1/enterprises/{id}/outlets' },
    'permit.write': { roles: ['admin', 'approver', 'inspector'], route: 'POST /api/v1/enterprises/{id}/permits' },
    'enterprise.import': { roles: ['admin', 'approver'], route: 'POST /api/v1/enterprises/import' },
    'agency.read': { roles: 'staff', route: 'GET /api/v1/agencies' },
    'agency.write': { roles: ['admin', 'approver'], route: 'POST /api/v1/agencies' },
  },
  // The 工作台's cards and panels (platform/dashboard_kit.js), and where audit rows' records are shown.
  dashboard: () => import('./dashboard.js'),
  entityLinks: { enterprise: (id) => `#/enterprises/${id}`, agency: () => '#/agencies' },
};
