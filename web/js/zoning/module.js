// 三线一单 zoning: the site check page (a drawing of the edition's unit outlines where the user
// places a point or draws a polygon, the verdict and the items that apply), the control units
// (list with sort, filter and pages; a unit with its access list), the editions and their import
// (admin) and pre-consultations (list, form, the notice PDF). Role sets mirror src/zoning/api.c
// and consult.c.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'zoning',
  strings, labels,
  routes: [
    { path: '/zoning/check', page: () => import('./check.js'), perm: 'any' },
    { path: '/zoning/units', page: () => import('./units.js'), perm: 'any' },
    { path: '/zoning/units/:id', page: () => import('./unit.js'), perm: 'any' },
    { path: '/zoning/editions', page: () => import('./editions.js'), perm: 'staff' },
    { path: '/zoning/consults', page: () => import('./consults.js'), perm: 'any' },
    { path: '/zoning/consults/:id', page: () => import('./consult.js'), perm: 'any' },
  ],
  nav: [
    { group: 'nav_work', path: '/zoning/check', label: 'zn_nav_check', perm: 'staff', icon: 'dash', order: 60 },
    { group: 'nav_work', path: '/zoning/consults', label: 'zn_nav_consults', perm: 'staff', icon: 'log', order: 61 },
    { group: 'nav_registry', path: '/zoning/units', label: 'zn_nav_units', perm: 'staff', icon: 'org', order: 60 },
    { group: 'nav_admin', path: '/zoning/editions', label: 'zn_nav_editions', perm: 'zoning.import', icon: 'key', order: 60 },
    { group: 'nav_own', who: 'enterprise', path: '/zoning/check', label: 'zn_nav_check', perm: 'any', icon: 'dash', order: 60 },
    { group: 'nav_own', who: 'enterprise', path: '/zoning/consults', label: 'zn_nav_consults', perm: 'any', icon: 'log', order: 61 },
  ],
  perms: {
    'zoning.import': { roles: ['admin'], route: 'POST /api/v1/zoning/editions/import' },
    'zoning.consult': { roles: ['admin', 'leader', 'approver', 'service', 'enterprise'], route: 'POST /api/v1/zoning/consults' },
  },
  entityLinks: { zoning_consult: (id) => `#/zoning/consults/${id}`, zoning_edition: () => '#/zoning/editions' },
  enterpriseTabs: [{ key: 'zoning', perm: 'any', load: () => import('./tab.js') }],
  // The 工作台's card (platform/dashboard_kit.js).
  dashboard: () => import('./dashboard.js'),
};
