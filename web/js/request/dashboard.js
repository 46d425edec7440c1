// Requests and complaints on the 工作台: complaints waiting to be accepted (red when one is past
// the acceptance limit) and the open ones past or near their deadline. First for the service
// officers; for inspectors and leaders it ranks after the cards they had (so it shows when there
// is room). See platform/dashboard_kit.js for how items are ranked.
import { t } from '../i18n.js';
import { fmtNum } from '../ui.js';
import { card } from '../platform/dashboard_kit.js';

export function items(d) {
  const r = d.requests;
  if (!r) return [];
  return [
    { kind: 'card', rank: { service: 0.6, inspector: 5, leader: 6, admin: 9, default: null },
      el: card({ num: fmtNum(r.to_accept), lbl: t('rq_card_to_accept'), href: '#/requests?state=received', testid: 'card-requests',
        tone: r.accept_overdue ? 'red' : r.to_accept ? 'amber' : '',
        sub: t('rq_card_sub', { o: fmtNum(r.overdue), s: fmtNum(r.due_soon), n: fmtNum(r.open) }), subTone: r.overdue ? 'red' : 'muted' }) },
  ];
}
