// The working-day calendar (工作日历).
export default {
  name: 'calendar',
  routes: [{ path: '/admin/calendar', page: () => import('./admin_calendar.js'), perm: 'staff' }],
  nav: [{ group: 'nav_admin', path: '/admin/calendar', label: 'calendar', perm: 'staff', icon: 'cal', order: 30 }],
  perms: { 'calendar.write': ['admin'] },
};
