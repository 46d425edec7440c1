// The three-level patrol on the 工作台: this month's self-check tasks with the problems found and
// closed at every level, for the leader, the inspector and the admin.
import { t } from '../i18n.js';
import { fmtNum } from '../ui.js';
import { card } from '../platform/dashboard_kit.js';

export function items(d) {
  const p = d.patrol;
  if (!p) return [];
  const rows = p.rows || [];
  const sum = (k, lv) => rows.filter((r) => !lv || r.level === lv).reduce((s, r) => s + r[k], 0);
  return [
    { kind: 'card', rank: { leader: 4.6, inspector: 3, admin: 6, default: null },
      el: card({ num: fmtNum(sum('sent', 'enterprise')), lbl: t('pt_card_sent'), href: '#/patrol', testid: 'card-patrol',
        sub: t('pt_card_found', { n: fmtNum(sum('found')), c: fmtNum(sum('closed')) }), subTone: 'muted' }) },
  ];
}
