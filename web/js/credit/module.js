// Environmental credit (环境信用评价): the staff overview (grades by grade and region, changes
// this month) with the list of graded enterprises and agencies, the 信用 tab of the enterprise
// page (grade, history with the events behind each change, events; the legal section files and
// revokes events; the enterprise signs its commitment and files objections), and the agency
// register's grade column. Role sets mirror src/credit/api.c.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

const own = (u) => `/enterprises/${u.enterprise_id}?tab=credit`;
export default {
  name: 'credit',
  strings, labels,
  routes: [
    { path: '/credit', page: () => import('./overview.js'), perm: 'staff' },
  ],
  nav: [
    { group: 'nav_registry', path: '/credit', label: 'credit_nav', perm: 'staff', icon: 'dash', order: 40 },
    { group: 'nav_own', who: 'enterprise', path: own, label: 'own_credit', perm: 'any', icon: 'permit', order: 35 },
  ],
  perms: { 'credit.write': { roles: ['admin', 'legal'], route: 'POST /api/v1/credit/events' } },
  enterpriseTabs: [{ key: 'credit', perm: 'any', load: () => import('./tab.js') }],
  // The agency register's extra columns: the loaded file exports agencyColumn() → {column, onLoad(items)}.
  agencyColumns: [{ perm: 'staff', load: () => import('./agency_column.js') }],
  // The 工作台's cards and panel (platform/dashboard_kit.js).
  dashboard: () => import('./dashboard.js'),
};
