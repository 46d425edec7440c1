// EIA approval (环评审批): the applications (staff: within their regions; an enterprise: its own),
// filing with the site check, class and route shown first, the application page (checklist
// uploads, acceptance or 容缺, the one-time notice, pauses, the decision, documents and
// obligations), the 挂账销号 ledger, the figures (ECharts), the catalogue (admin) and the public
// notices. Role sets mirror src/approval/api.c and intake.c.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'approval',
  strings, labels,
  routes: [
    { path: '/approval', page: () => import('./list.js'), perm: 'any' },
    { path: '/approval/new', page: () => import('./new.js'), perm: 'approval.file' },
    { path: '/approval/applications/:id', page: () => import('./application.js'), perm: 'any' },
    { path: '/approval/ledger', page: () => import('./ledger.js'), perm: 'staff' },
    { path: '/approval/stats', page: () => import('./stats.js'), perm: 'staff' },
    { path: '/approval/catalogue', page: () => import('./catalogue.js'), perm: 'any' },
    { path: '/approval/sessions', page: () => import('./sessions.js'), perm: 'staff' },
    { path: '/public/approval', page: () => import('./public.js'), public: true, open: true },
  ],
  nav: [
    { group: 'nav_work', path: '/approval', label: 'ap_nav', perm: 'staff', icon: 'permit', order: 50 },
    { group: 'nav_work', path: '/approval/ledger', label: 'ap_ledger_nav', perm: 'staff', icon: 'dash', order: 51 },
    { group: 'nav_work', path: '/approval/sessions', label: 'ap_sessions_nav', perm: 'staff', icon: 'log', order: 51.5 },
    { group: 'nav_work', path: '/approval/stats', label: 'ap_stats_nav', perm: 'staff', icon: 'dash', order: 52 },
    { group: 'nav_admin', path: '/approval/catalogue', label: 'ap_catalogue_nav', perm: 'approval.catalogue', icon: 'permit', order: 60 },
    { group: 'nav_own', who: 'enterprise', path: '/approval', label: 'ap_own_nav', perm: 'any', icon: 'permit', order: 40 },
  ],
  perms: {
    'approval.file': { roles: ['admin', 'approver', 'enterprise'], route: 'POST /api/v1/approval/applications' },
    'approval.accept': { roles: ['admin', 'approver'], route: 'POST /api/v1/approval/applications/{id}/accept' },
    'approval.step': { roles: ['admin', 'approver'], route: 'POST /api/v1/approval/applications/{id}/step' },
    'approval.decide': { roles: ['admin', 'leader', 'approver'], route: 'POST /api/v1/approval/applications/{id}/decision' },
    'approval.session': { roles: ['admin', 'approver'], route: 'POST /api/v1/approval/sessions' },
    'approval.catalogue': { roles: ['admin'], route: 'PUT /api/v1/approval/catalogue/{id}' },
    'approval.withdraw': { roles: ['enterprise'], route: 'POST /api/v1/approval/applications/{id}/withdraw' },
    'approval.obligation': { roles: ['enterprise'], route: 'POST /api/v1/approval/obligations/{id}/done' },
  },
  entityLinks: { eia_application: (id) => `#/approval/applications/${id}` },
  dashboard: () => import('./dashboard.js'),
};
