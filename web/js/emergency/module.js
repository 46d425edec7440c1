// Heavy-pollution weather (重污染天气) and 一企一策: the staff pages (alerts with the issue form,
// performance grades, a firm's grade with its evidence files and its sheet, an alert's control list with its sums and shortfall chart and the
// compliance check) and the enterprise's own page (today's alert, what it must do, its sheet),
// with a 工作台 card. Role sets mirror src/emergency/api.c.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'emergency',
  strings, labels,
  routes: [
    { path: '/emergency', page: () => import('./alerts.js'), perm: 'staff' },
    { path: '/emergency/alerts/:id', page: () => import('./control.js'), perm: 'staff' },
    { path: '/emergency/grades/:id', page: () => import('./grade.js'), perm: 'staff' },
    { path: '/emergency/mine', page: () => import('./mine.js'), perm: 'emergency.confirm' },
  ],
  nav: [
    { group: 'nav_monitor', path: '/emergency', label: 'em_nav', perm: 'staff', icon: 'dash', order: 60 },
    { group: 'nav_own', who: 'enterprise', path: '/emergency/mine', label: 'em_own_nav', perm: 'emergency.confirm', icon: 'dash', order: 60 },
  ],
  perms: {
    'emergency.issue': { roles: ['admin', 'leader', 'monitor'], route: 'POST /api/v1/emergency/alerts' },
    'emergency.grade': { roles: ['admin', 'inspector', 'monitor'], route: 'PUT /api/v1/emergency/performance-grades/{id}' },
    'emergency.check': { roles: ['admin', 'leader', 'inspector', 'monitor'], route: 'POST /api/v1/emergency/alerts/{id}/compliance' },
    'emergency.confirm': { roles: ['enterprise'], route: 'POST /api/v1/emergency/alerts/{id}/confirm' },
  },
  entityLinks: { emergency_alert: (id) => `#/emergency/alerts/${id}`, emergency_grade: (id) => `#/emergency/grades/${id}` },
  dashboard: () => import('./dashboard.js'),
};
