// Inspections (检查): 我的检查任务 (a phone-sized list), the task page with the integrated
// checklist that survives a lost connection and a reload and submits once, the visit's findings
// (photos, rectification orders), campaigns (专项行动) on the 五步工作法; the enterprise sees its
// own visited tasks and its campaigns' self-checks. Role sets mirror src/inspect/api.c.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'inspect',
  strings, labels,
  routes: [
    { path: '/inspect', page: () => import('./tasks.js'), perm: 'any' },
    { path: '/inspect/tasks/:id', page: () => import('./task.js'), perm: 'any' },
    { path: '/inspect/campaigns', page: () => import('./campaigns.js'), perm: 'any' },
    { path: '/inspect/campaigns/:id', page: () => import('./campaign.js'), perm: 'any' },
  ],
  nav: [
    { group: 'nav_work', path: '/inspect', label: 'insp_nav_mine', perm: 'staff', icon: 'log', order: 18 },
    { group: 'nav_work', path: '/inspect/campaigns', label: 'insp_nav_campaigns', perm: 'staff', icon: 'log', order: 19 },
    { group: 'nav_own', who: 'enterprise', path: '/inspect', label: 'insp_nav_own', perm: 'any', icon: 'log', order: 40 },
    { group: 'nav_own', who: 'enterprise', path: '/inspect/campaigns', label: 'insp_nav_own_campaigns', perm: 'inspect.selfcheck', icon: 'log', order: 41 },
  ],
  entityLinks: { inspect_task: (id) => `#/inspect/tasks/${id}`, inspect_visit: () => '#/inspect', inspect_campaign: (id) => `#/inspect/campaigns/${id}` },
  perms: {
    'inspect.create': { roles: ['admin', 'leader', 'inspector'], route: 'POST /api/v1/inspect/tasks' },
    'inspect.visit': { roles: ['inspector'], route: 'POST /api/v1/inspect/tasks/{id}/visit' },
    'inspect.order': { roles: ['admin', 'leader', 'inspector'], route: 'POST /api/v1/inspect/tasks/{id}/orders' },
    'inspect.alarm': { roles: ['admin', 'leader', 'inspector', 'monitor'], route: 'POST /api/v1/alarms/{id}/inspect-task' },
    'inspect.campaign': { roles: ['admin', 'leader', 'inspector'], route: 'POST /api/v1/inspect/campaigns' },
    'inspect.selfcheck': { roles: ['enterprise'], route: 'POST /api/v1/inspect/campaigns/{id}/selfcheck' },
  },
  // The alarm case's page: a button to verify the alarm on site (cases/case.js caseActions).
  caseActions: [{ perm: 'inspect.alarm', load: () => import('./case_action.js') }],
  caseSubjects: { inspect_task: (id) => `#/inspect/tasks/${id}` },
};
