// 双随机一公开 on the 工作台: the caller's drawn visits still without an outcome (first for an
// inspector), and for the planners the plans under way and those whose results are due to be
// published within a week. See platform/dashboard_kit.js for how items are ranked.
import { t } from '../i18n.js';
import { fmtNum } from '../ui.js';
import { card } from '../platform/dashboard_kit.js';

export function items(d) {
  const x = d.draw;
  if (!x) return [];
  const out = [
    { kind: 'card', rank: { inspector: 0, default: null },
      el: card({ num: fmtNum(x.my_visits_open), lbl: t('draw_card_visits'), href: '#/todo', testid: 'card-draw-visits',
        tone: x.my_visits_due ? 'red' : x.my_visits_open ? 'amber' : '',
        sub: t('draw_card_visits_sub', { due: fmtNum(x.my_visits_due), soon: fmtNum(x.my_visits_soon) }), subTone: 'muted' }) },
  ];
  if (x.plans_running !== undefined) {
    out.push({ kind: 'card', rank: { leader: 4.5, default: null },
      el: card({ num: fmtNum(x.plans_running), lbl: t('draw_card_plans'), href: '#/draw', testid: 'card-draw-plans',
        tone: x.plans_publish_soon ? 'amber' : '', sub: t('draw_card_publish', { n: fmtNum(x.plans_publish_soon) }), subTone: 'muted' }) });
  }
  return out;
}
