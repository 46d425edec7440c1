// Credit repair on the 工作台: the applications waiting for the legal section's decision (red
// when one is past its deadline) and those granted this year. First for the legal section; not
// shown to other roles. See platform/dashboard_kit.js for how items are ranked.
import { t } from '../i18n.js';
import { fmtNum } from '../ui.js';
import { card } from '../platform/dashboard_kit.js';

export function items(d) {
  const r = d.repair;
  if (!r) return [];
  return [
    { kind: 'card', rank: { legal: 0.7, admin: 9, default: null },
      el: card({ num: fmtNum(r.filed), lbl: t('rp_card_filed'), href: '#/repair', testid: 'card-repair-filed',
        tone: r.overdue ? 'red' : r.filed ? 'amber' : '',
        sub: t('rp_card_sub', { o: fmtNum(r.overdue), g: fmtNum(r.granted_this_year) }), subTone: r.overdue ? 'red' : 'muted' }) },
  ];
}
