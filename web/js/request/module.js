// Requests and complaints (诉求与投诉): the public complaint form and tracking page (no login,
// phone-sized), the staff queue with due-soon and overdue lists, one request with its timeline
// and workflow actions, the map of complaints and the statistics, an enterprise's own requests,
// and the admins' Open311 client keys. Role sets mirror src/request/api.c.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'request',
  strings, labels,
  routes: [
    { path: '/public/complaint', page: () => import('./public.js'), public: true, open: true },
    { path: '/public/track', page: () => import('./track.js'), public: true, open: true },
    { path: '/requests', page: () => import('./list.js'), perm: 'staff' },
    { path: '/requests/map', page: () => import('./map.js'), perm: 'staff' },
    { path: '/requests/stats', page: () => import('./stats.js'), perm: 'staff' },
    { path: '/requests/keys', page: () => import('./keys.js'), perm: 'request.keys' },
    { path: '/requests/mine', page: () => import('./mine.js'), perm: 'request.file' },
    { path: '/requests/:id', page: () => import('./request.js'), perm: 'any' },
  ],
  nav: [
    { group: 'nav_work', path: '/requests', label: 'rq_nav', perm: 'staff', icon: 'dash', order: 30 },
    { group: 'nav_admin', path: '/requests/keys', label: 'rq_keys_nav', perm: 'request.keys', icon: 'permit', order: 80 },
    { group: 'nav_own', who: 'enterprise', path: '/requests/mine', label: 'rq_mine_nav', perm: 'request.file', icon: 'permit', order: 40 },
  ],
  perms: {
    'request.file': { roles: ['admin', 'leader', 'approver', 'inspector', 'service', 'enterprise'], route: 'POST /api/v1/requests' },
    'request.act': { roles: ['admin', 'leader', 'approver', 'inspector', 'service'], route: 'POST /api/v1/requests/{id}/actions' },
    'request.keys': { roles: ['admin'], route: 'POST /api/v1/open311/keys' },
  },
  enterpriseTabs: [{ key: 'requests', perm: 'any', load: () => import('./tab.js') }],
  entityLinks: { request: (id) => `#/requests/${id}` },
  // The 工作台's card (platform/dashboard_kit.js).
  dashboard: () => import('./dashboard.js'),
};
