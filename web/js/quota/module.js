// Emission rights (排污权) and total quantity (总量): the staff pages (holdings with a chart and
// the emissions against them, the movement ledger with trades, reserve sales, buybacks and
// retirements, total-quantity reviews served from the reserve by priority, pledge loans), one
// enterprise's rights (its lots, movements, pledges, emissions; the firm's own page with its pledge
// application) and the bank's page of its own applications. Role sets mirror src/quota/api.c.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'quota',
  strings, labels,
  routes: [
    { path: '/quota', page: () => import('./holdings.js'), perm: 'staff' },
    { path: '/quota/ledger', page: () => import('./ledger.js'), perm: 'staff' },
    { path: '/quota/reviews', page: () => import('./reviews.js'), perm: 'staff' },
    { path: '/quota/pledges', page: () => import('./pledges.js'), perm: 'staff' },
    { path: '/quota/enterprises/:id', page: () => import('./enterprise.js'), perm: 'any' },
    { path: '/quota/mine', page: () => import('./enterprise.js'), perm: 'quota.apply' },
    { path: '/quota/bank', page: () => import('./pledges.js'), perm: 'quota.decide' },
  ],
  nav: [
    { group: 'nav_registry', path: '/quota', label: 'qt_nav', perm: 'staff', icon: 'dash', order: 70 },
    { group: 'nav_registry', path: '/quota/ledger', label: 'qt_ledger_nav', perm: 'staff', icon: 'dash', order: 71 },
    { group: 'nav_registry', path: '/quota/reviews', label: 'qt_reviews_nav', perm: 'staff', icon: 'dash', order: 72 },
    { group: 'nav_registry', path: '/quota/pledges', label: 'qt_pledges_nav', perm: 'staff', icon: 'dash', order: 73 },
    { group: 'nav_own', who: 'enterprise', path: '/quota/mine', label: 'qt_own_nav', perm: 'quota.apply', icon: 'dash', order: 70 },
    { group: 'nav_own', who: 'bank', path: '/quota/bank', label: 'qt_bank_nav', perm: 'quota.decide', icon: 'dash', order: 0 },
  ],
  perms: {
    'quota.manage': { roles: ['admin', 'approver'], route: 'POST /api/v1/quota/allocations' },
    'quota.apply': { roles: ['admin', 'approver', 'enterprise'], route: 'POST /api/v1/quota/pledges' },
    'quota.decide': { roles: ['bank'], route: 'POST /api/v1/quota/pledges/{id}/decide' },
    'quota.release': { roles: ['admin', 'approver', 'bank'], route: 'POST /api/v1/quota/pledges/{id}/release' },
    'quota.banks': { roles: ['admin'], route: 'POST /api/v1/quota/banks' },
    'quota.pledges': { roles: ['admin', 'leader', 'approver', 'inspector', 'legal', 'monitor', 'service', 'enterprise', 'bank'], route: 'GET /api/v1/quota/pledges' },
  },
  enterpriseTabs: [{ key: 'quota', perm: 'any', load: () => import('./tab.js') }],
  dashboard: () => import('./dashboard.js'),
  entityLinks: {
    quota_review: () => '#/quota/reviews',
    quota_pledge: () => '#/quota/pledges',
    quota_reserve: () => '#/quota/ledger',
  },
};
