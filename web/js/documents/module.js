// Official documents (文书): the 文书 tab of the enterprise page (the letters issued to it, with
// their download and verification page) and the 发提醒函 action on a due permit.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'documents',
  strings, labels,
  perms: { 'document.issue': { roles: ['admin', 'approver'], route: 'POST /api/v1/permits/{id}/reminder' } },
  enterpriseTabs: [{ key: 'documents', perm: 'any', load: () => import('./tab.js') }],
  // Actions on a permit row of the enterprise page: the loaded file exports
  // permitAction(permit, reload) → a button or null.
  permitActions: [{ perm: 'document.issue', load: () => import('./tab.js') }],
};
