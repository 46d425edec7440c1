// Credit repair (信用修复): the enterprise's own page (its repairable events with the conditions
// checked item by item, applying with a statement and evidence files, its applications), the
// staff list of applications (sort, filter, page) and the application page with the conditions
// at filing and now, where the legal section grants or refuses. Role sets mirror src/repair/api.c.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'repair',
  strings, labels,
  routes: [
    { path: '/repair', page: () => import('./list.js'), perm: 'staff' },
    { path: '/repair/mine', page: () => import('./mine.js'), perm: 'repair.apply' },
    { path: '/repair/:id', page: () => import('./application.js'), perm: 'any' },
  ],
  nav: [
    { group: 'nav_registry', path: '/repair', label: 'rp_nav', perm: 'staff', icon: 'permit', order: 41 },
    { group: 'nav_own', who: 'enterprise', path: '/repair/mine', label: 'rp_own_nav', perm: 'repair.apply', icon: 'permit', order: 36 },
  ],
  perms: {
    'repair.apply': { roles: ['enterprise'], route: 'POST /api/v1/repair/applications' },
    'repair.decide': { roles: ['admin', 'legal'], route: 'POST /api/v1/repair/applications/{id}/decision' },
  },
  entityLinks: { credit_repair: (id) => `#/repair/${id}` },
  // The 工作台's card (platform/dashboard_kit.js).
  dashboard: () => import('./dashboard.js'),
};
