// 双随机一公开 draws: plans per period (草稿 → 承诺 → 抽取 → 公开种子 → 公开结果), the pool by
// category and credit grade, targets with their inspectors and outcomes, declarations of
// relationships (recusal), and the public page of a plan that replays the draw in the browser.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'draw',
  strings, labels,
  routes: [
    { path: '/draw', page: () => import('./plans.js'), perm: 'staff' },
    { path: '/draw/plans/:id', page: () => import('./plan.js'), perm: 'staff' },
    { path: '/draw/declarations', page: () => import('./declarations.js'), perm: 'draw.declare' },
    { path: '/public/draw', page: () => import('./public.js'), public: true, open: true },
  ],
  nav: [
    { group: 'nav_work', path: '/draw', label: 'draw_plans', perm: 'staff', icon: 'log', order: 20 },
    { group: 'nav_work', path: '/draw/declarations', label: 'draw_declarations', perm: 'draw.declare', icon: 'log', order: 21 },
  ],
  // Where an audit row's record is shown (the 工作台's recent operations, the audit log).
  entityLinks: { draw_plan: (id) => `#/draw/plans/${id}`, draw_declaration: () => '#/draw/declarations' },
  perms: {
    'draw.plan': { roles: ['admin', 'leader'], route: 'POST /api/v1/draw/plans' },
    'draw.declare': { roles: ['admin', 'leader', 'inspector'], route: 'POST /api/v1/draw/declarations' },
    'draw.outcome': { roles: ['inspector'], route: 'POST /api/v1/draw/targets/{id}/outcome' },
  },
  // The 工作台's cards (platform/dashboard_kit.js).
  dashboard: () => import('./dashboard.js'),
};
