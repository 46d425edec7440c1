// Rule sets (规则集): every number a province or city sets, as versions with a jurisdiction
// (适用区域) and an effective date (生效日期). Staff read them; admins create versions, correct
// or remove one no decision used, compare two side by side and export one.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'rules',
  strings, labels,
  routes: [
    { path: '/admin/rules', page: () => import('./list.js'), perm: 'staff' },
    { path: '/admin/rules/new', page: () => import('./edit.js'), perm: 'rules.write' },
    { path: '/admin/rules/compare', page: () => import('./compare.js'), perm: 'staff' },
    { path: '/admin/rules/:id', page: () => import('./view.js'), perm: 'staff' },
  ],
  nav: [{ group: 'nav_admin', path: '/admin/rules', label: 'rule_sets', perm: 'staff', icon: 'cal', order: 35 }],
  perms: { 'rules.write': { roles: ['admin'], route: 'POST /api/v1/rules' } },
};
