// 行政处罚: penalty cases from problems (立案 → 调查 → 告知 → 听证 → 决定 → 执行 → 结案) with the
// discretion calculator and the no-penalty check item by item; the enterprise's own cases; the
// public pages of published decisions and of the risk-point list.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'penalty',
  strings, labels,
  routes: [
    { path: '/penalty', page: () => import('./list.js'), perm: 'any' },
    { path: '/penalty/cases/:id', page: () => import('./case.js'), perm: 'any' },
    { path: '/public/penalties', page: () => import('./public.js'), public: true, open: true },
    { path: '/public/risk-points', page: () => import('./risk.js'), public: true, open: true },
  ],
  nav: [
    { group: 'nav_work', path: '/penalty', label: 'pen_cases', perm: 'staff', icon: 'log', order: 30 },
    { group: 'nav_own', who: 'enterprise', path: '/penalty', label: 'pen_my_cases', perm: 'any' },
  ],
  entityLinks: { penalty_case: (id) => `#/penalty/cases/${id}` },
  perms: {
    'penalty.open': { roles: ['admin', 'leader', 'inspector', 'legal'], route: 'POST /api/v1/problems/{id}/penalty' },
    'penalty.discretion': { roles: ['admin', 'leader', 'inspector', 'legal'], route: 'PUT /api/v1/penalty/cases/{id}/discretion' },
    'penalty.publish': { roles: ['admin', 'leader'], route: 'POST /api/v1/penalty/cases/{id}/publish' },
  },
};
