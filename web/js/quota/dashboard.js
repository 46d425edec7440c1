// Emission rights on the 工作台: this year's emissions rows near or over the holdings (red when
// any is over quota). For approvers (who manage the rights) and monitors; for an enterprise only
// when it has a warning; not among the leader's five.
import { t } from '../i18n.js';
import { fmtNum } from '../ui.js';
import { card } from '../platform/dashboard_kit.js';

export function items(d) {
  const q = d.quota;
  if (!q) return [];
  const el = card({ num: fmtNum(q.over), lbl: t('qt_card_over'), testid: 'card-quota-over', tone: q.over ? 'red' : '',
    sub: t('qt_card_sub', { n: fmtNum(q.warnings) }), subTone: q.warnings ? 'amber' : 'muted', href: q.own ? '#/quota/mine' : '#/quota' });
  return [{ kind: 'card', rank: { approver: 2.5, monitor: 6, admin: 12, enterprise: q.warnings ? 2 : null, default: null }, el }];
}
