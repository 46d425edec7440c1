// The web side of the module list (src/app/modules.c on the server): each module's folder has a
// module.js describing its pages (routes), navigation entries, permissions (role sets mirroring
// the API's), strings and enterprise-page tabs. The shell (app.js), session.js, i18n.js and the
// enterprise page loop over this list; adding a module's pages is its folder and one line here.
//
// A module.js exports default {
//   name,
//   routes: [{ path: '/x/:id', page: () => import('./x.js'), perm }],   // page exports render(ctx)
//   nav: [{ group, path, label, perm, icon, who: 'staff' | 'enterprise' }],   // path may be fn(user)
//   perms: { 'x.write': { roles: ['admin', …], route: 'POST /api/v1/x' } },   // the roles of that route
//   strings: { zh: {…}, en: {…} },            // its strings.js
//   labels: { fields, enums, columns, previous },   // its labels.json, read by the server too
//   enterpriseTabs: [{ key, perm, load: () => import('./tab.js') }],   // titled t('tab_' + key); the tab exports renderTab(e, box, ctx, isCurrent)
//   permitActions: [{ perm, load: () => import('./x.js') }],   // x exports permitAction(permit, reload) → a button or null
//   agencyColumns: [{ perm, load: () => import('./x.js') }],   // x exports agencyColumn() → {column, onLoad(page)} (the agency register)
//   dashboard: () => import('./dashboard.js'),   // exports items(d, kit): its 工作台 cards and panels (platform/dashboard_kit.js)
//   entityLinks: { entity: (id) => '#/…' },      // where an audit row's record is shown
// }
// and imports nothing of the shell at load time (session.js and i18n.js read this list).
import platform from './platform/module.js';
import accounts from './accounts/module.js';
import calendar from './calendar/module.js';
import rules from './rules/module.js';
import registry from './registry/module.js';
import monitor from './monitor/module.js';
import documents from './documents/module.js';
import cases from './cases/module.js';
import jobs from './jobs/module.js';
import credit from './credit/module.js';
import positive from './positive/module.js';
import draw from './draw/module.js';
import rectify from './rectify/module.js';
import inspect from './inspect/module.js';
import patrol from './patrol/module.js';
import penalty from './penalty/module.js';
import repair from './repair/module.js';
import zoning from './zoning/module.js';
import request from './request/module.js';
import approval from './approval/module.js';
import service from './service/module.js';
import emergency from './emergency/module.js';
import waste from './waste/module.js';
import quota from './quota/module.js';

export const MODULES = [platform, accounts, calendar, rules, registry, monitor, documents, cases, jobs, credit, positive, draw, rectify, inspect, patrol, penalty, repair, zoning, request, approval, service, emergency, waste, quota];

// Navigation groups, in the order the menu shows them.
export const NAV_GROUPS = ['nav_own', 'nav_own_monitor', 'nav_work', 'nav_registry', 'nav_monitor', 'nav_admin'];
