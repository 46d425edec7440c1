// The working-day calendar (工作日历).
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'calendar',
  strings, labels,
  routes: [{ path: '/admin/calendar', page: () => import('./admin_calendar.js'), perm: 'staff' }],
  nav: [{ group: 'nav_admin', path: '/admin/calendar', label: 'calendar', perm: 'staff', icon: 'cal', order: 30 }],
  perms: { 'calendar.write': { roles: ['admin'], route: 'PUT /api/v1/calendar/{year}' } },
};
