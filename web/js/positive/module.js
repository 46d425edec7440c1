// The enforcement positive list (监督执法正面清单): the staff page 正面清单 (the list, the
// candidates judged against the criteria in force with every criterion's reason, nominations and
// on-site inspection approvals), the 正面清单 tab of an enterprise (listing history, criteria now,
// the off-site supervision record) and the enterprise user's own page (its listing and term).
// Role sets mirror src/positive/api.c.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'positive',
  strings, labels,
  routes: [
    { path: '/positive', page: () => import('./list.js'), perm: 'staff' },
    { path: '/positive/mine', page: () => import('./mine.js'), perm: 'positive.mine' },
  ],
  nav: [
    { group: 'nav_registry', path: '/positive', label: 'positive_list', perm: 'staff', icon: 'permit', order: 25 },
    { group: 'nav_own', who: 'enterprise', path: '/positive/mine', label: 'positive_mine', perm: 'positive.mine', icon: 'permit', order: 30 },
  ],
  perms: {
    'positive.admit': { roles: ['admin', 'leader', 'inspector'], route: 'POST /api/v1/positive/entries' },
    'positive.nominate': { roles: 'staff', route: 'POST /api/v1/positive/nominations' },
    'positive.decide': { roles: ['leader'], route: 'POST /api/v1/positive/nominations/{id}/decision' },
    'positive.offsite': { roles: ['admin', 'leader', 'inspector', 'monitor'], route: 'POST /api/v1/enterprises/{id}/positive/offsite' },
    'positive.mine': { roles: ['enterprise'], route: 'GET /api/v1/positive/mine' },
  },
  enterpriseTabs: [{ key: 'positive', perm: 'staff', load: () => import('./tab.js') }],
};
