// Zoning on the 工作台: the pre-consultations recorded this year within the user's area (amber
// when some were forbidden) with the edition in force, first for the service staff who record
// them (other roles' five cards stay as they were). See platform/dashboard_kit.js for ranks.
import { t } from '../i18n.js';
import { fmtNum } from '../ui.js';
import { card } from '../platform/dashboard_kit.js';

export function items(d) {
  const z = d.zoning;
  if (!z) return [];
  return [
    { kind: 'card', rank: { service: 0.5, default: null },
      el: card({ num: fmtNum(z.consults_year), lbl: t('zn_card_consults'), href: '#/zoning/consults', testid: 'card-zoning-consults',
        tone: z.forbidden_year ? 'amber' : '',
        sub: z.edition ? t('zn_card_sub', { f: fmtNum(z.forbidden_year), e: z.edition }) : t('zn_no_edition'), subTone: 'muted' }) },
  ];
}
