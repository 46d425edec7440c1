// The rectify hub (问题与整改): problems found at any of the three levels and the rectification
// orders that close them, with the rectification workflow's pages — the board 整改看板 (staff:
// their area; the enterprise: its own orders as 我的整改) and the order page (submit evidence,
// verify or return, close). Role sets mirror src/rectify/orders_api.c.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'rectify',
  strings, labels,
  routes: [
    { path: '/rectify', page: () => import('./board.js'), perm: 'any' },
    { path: '/rectify/orders/:id', page: () => import('./order.js'), perm: 'any' },
  ],
  nav: [
    { group: 'nav_work', path: '/rectify', label: 'rf_board', perm: 'staff', icon: 'dash', order: 43 },
    { group: 'nav_own', who: 'enterprise', path: '/rectify', label: 'rf_mine', perm: 'rectify.submit', icon: 'permit', order: 41 },
  ],
  perms: {
    'rectify.issue': { roles: ['admin', 'leader', 'inspector'], route: 'POST /api/v1/problems/{id}/orders' },
    'rectify.submit': { roles: ['enterprise'], route: 'POST /api/v1/rectify/orders/{id}/submit' },
    'rectify.verify': { roles: ['leader', 'inspector'], route: 'POST /api/v1/rectify/orders/{id}/verify' },
    'rectify.close': { roles: ['leader'], route: 'POST /api/v1/rectify/orders/{id}/close' },
  },
  entityLinks: { rectify_order: (id) => `#/rectify/orders/${id}`, problem: (id) => `#/rectify?problem=${id}` },
};
