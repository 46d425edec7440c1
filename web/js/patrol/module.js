// The three-level patrol (三级巡查: 企业自查、属地巡查、执法监察): the staff page of counts by level
// (chart and table per county and month), the self-check tasks (staff: in their area; the
// enterprise: its own, answered here with photos), the local patrol rounds, a permit's clauses
// (the 条款 button on a permit row of the enterprise page) and the 工作台 card.
// Role sets mirror src/patrol/api.c.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'patrol',
  strings, labels,
  routes: [
    { path: '/patrol', page: () => import('./counts.js'), perm: 'staff' },
    { path: '/patrol/selfchecks', page: () => import('./selfchecks.js'), perm: 'any' },
    { path: '/patrol/rounds', page: () => import('./rounds.js'), perm: 'staff' },
  ],
  nav: [
    { group: 'nav_work', path: '/patrol', label: 'patrol_nav', perm: 'staff', icon: 'dash', order: 40 },
    { group: 'nav_work', path: '/patrol/selfchecks', label: 'patrol_selfchecks_nav', perm: 'staff', icon: 'permit', order: 41 },
    { group: 'nav_work', path: '/patrol/rounds', label: 'patrol_rounds_nav', perm: 'staff', icon: 'permit', order: 42 },
    { group: 'nav_own', who: 'enterprise', path: '/patrol/selfchecks', label: 'patrol_mine', perm: 'patrol.answer', icon: 'permit', order: 40 },
  ],
  perms: {
    'patrol.clause': { roles: ['admin', 'leader', 'approver', 'inspector'], route: 'POST /api/v1/permits/{id}/clauses' },
    'patrol.answer': { roles: ['enterprise'], route: 'POST /api/v1/selfchecks/{id}/answer' },
    'patrol.generate': { roles: ['admin'], route: 'POST /api/v1/selfchecks/generate' },
    'patrol.round': { roles: ['admin', 'leader', 'inspector'], route: 'POST /api/v1/patrol/rounds' },
  },
  // A permit row's 条款 button (the enterprise page's tab bar is full at 1100 px): every user
  // who sees the permit reads its clauses there; staff who may edit them add, edit, retire.
  permitActions: [{ perm: 'any', load: () => import('./clauses.js') }],
  dashboard: () => import('./dashboard.js'),
  entityLinks: {
    selfcheck_task: () => '#/patrol/selfchecks',
    patrol_round: () => '#/patrol/rounds',
  },
};
