// 行政处罚 on the 工作台: open cases in the caller's area, with this year's penalties and
// no-penalty decisions (legal section and leaders first). See platform/dashboard_kit.js.
import { t } from '../i18n.js';
import { fmtNum } from '../ui.js';
import { card } from '../platform/dashboard_kit.js';

export function items(d) {
  const x = d.penalty;
  if (!x) return [];
  return [{ kind: 'card', rank: { legal: 1, leader: 5, inspector: 4, default: null },
    el: card({ num: fmtNum(x.open), lbl: t('pen_card_open'), href: '#/penalty?status=open', testid: 'card-penalty-open',
      sub: t('pen_card_year', { p: fmtNum(x.penalties_this_year), e: fmtNum(x.no_penalty_this_year) }), subTone: 'muted' }) }];
}
