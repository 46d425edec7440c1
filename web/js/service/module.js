// Service to enterprises (服务企业): the pairing ledger (分包) with each firm's open requests and the
// 十百千 counts per county; service days, consultation days and 大学堂 trainings with agenda,
// attendance and outcomes; service records with totals per officer and unit (ECharts); the
// key-project risk ledger (销号, overdue escalated); the outbound delivery log (webhook, SMS) with
// resend; an enterprise's own service-day agenda. Role sets mirror src/service/*.c.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'service',
  strings, labels,
  routes: [
    { path: '/service', page: () => import('./ledger.js'), perm: 'staff' },
    { path: '/service/sessions', page: () => import('./sessions.js'), perm: 'staff' },
    { path: '/service/sessions/:id', page: () => import('./session.js'), perm: 'staff' },
    { path: '/service/records', page: () => import('./records.js'), perm: 'staff' },
    { path: '/service/risks', page: () => import('./risks.js'), perm: 'staff' },
    { path: '/service/outbound', page: () => import('./outbound.js'), perm: 'service.outbound' },
    { path: '/service/agenda', page: () => import('./agenda.js'), perm: 'any' },
  ],
  nav: [
    { group: 'nav_work', path: '/service', label: 'sv_nav_ledger', perm: 'staff', icon: 'log', order: 60 },
    { group: 'nav_work', path: '/service/sessions', label: 'sv_nav_sessions', perm: 'staff', icon: 'dash', order: 61 },
    { group: 'nav_work', path: '/service/records', label: 'sv_nav_records', perm: 'staff', icon: 'dash', order: 62 },
    { group: 'nav_work', path: '/service/risks', label: 'sv_nav_risks', perm: 'staff', icon: 'permit', order: 63 },
    { group: 'nav_admin', path: '/service/outbound', label: 'sv_nav_outbound', perm: 'service.outbound', icon: 'dash', order: 90 },
    { group: 'nav_own', who: 'enterprise', path: '/service/agenda', label: 'sv_nav_agenda', perm: 'any', icon: 'dash', order: 50 },
  ],
  perms: {
    'service.pair': { roles: ['admin', 'leader'], route: 'POST /api/v1/service/pairings' },
    'service.session': { roles: ['admin', 'leader', 'approver', 'service'], route: 'POST /api/v1/service/sessions' },
    'service.risk': { roles: ['admin', 'leader', 'approver', 'service'], route: 'POST /api/v1/service/risks' },
    'service.outbound': { roles: ['admin'], route: 'GET /api/v1/outbound' },
  },
  entityLinks: {
    service_session: (id) => `#/service/sessions/${id}`,
    service_risk: () => '#/service/risks',
    service_pairing: () => '#/service',
    service_record: () => '#/service/records',
    outbound_message: () => '#/service/outbound',
  },
};
