// Online monitoring (在线监控): the live board, a point's trends and commands, alarms, quarantine.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'monitor',
  strings, labels,
  routes: [
    { path: '/monitor', page: () => import('./board.js'), perm: 'any' },
    { path: '/monitor/points/:id', page: () => import('./point.js'), perm: 'any' },
    { path: '/monitor/alarms', page: () => import('./alarms.js'), perm: 'any' },
    { path: '/monitor/quarantine', page: () => import('./quarantine.js'), perm: 'quarantine' },
  ],
  nav: [
    { group: 'nav_monitor', path: '/monitor', label: 'monitor_board', perm: 'staff', icon: 'dash', order: 0 },
    { group: 'nav_monitor', path: '/monitor/alarms', label: 'alarms', perm: 'staff', icon: 'log', order: 10 },
    { group: 'nav_monitor', path: '/monitor/quarantine', label: 'quarantine', perm: 'quarantine', icon: 'key', order: 20 },
    { group: 'nav_own_monitor', who: 'enterprise', path: '/monitor', label: 'own_points', perm: 'any', icon: 'dash', order: 0 },
    { group: 'nav_own_monitor', who: 'enterprise', path: '/monitor/alarms', label: 'own_alarms', perm: 'any', icon: 'log', order: 10 },
  ],
  perms: {
    // ALARM_HANDLERS: not the leader (decision 30)
    'alarm.handle': { roles: ['admin', 'monitor', 'inspector'], route: 'POST /api/v1/alarms/{id}/acknowledge' },
    'command.write': { roles: ['admin', 'monitor'], route: 'POST /api/v1/points/{id}/commands' },
    quarantine: { roles: ['admin', 'monitor'], route: 'POST /api/v1/monitor/quarantine/adopt' },
  },
  // The 工作台's cards and panels (platform/dashboard_kit.js), and where audit rows' records are shown.
  dashboard: () => import('./dashboard.js'),
  entityLinks: { point: (id) => `#/monitor/points/${id}` },
};
