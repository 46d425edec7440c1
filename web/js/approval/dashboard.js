// EIA approval on the 工作台: applications waiting for acceptance and those under review (red when
// one is past its deadline). First for approvers, high for leaders; not shown to enterprises.
import { t } from '../i18n.js';
import { fmtNum } from '../ui.js';
import { card } from '../platform/dashboard_kit.js';

export function items(d) {
  const a = d.approval;
  if (!a) return [];
  return [
    { kind: 'card', rank: { approver: 0.5, leader: 6, admin: 9, default: null },
      el: card({ num: fmtNum(a.filed), lbl: t('ap_card_filed'), href: '#/approval', testid: 'card-approval-filed', tone: a.filed ? 'amber' : '' }) },
    { kind: 'card', rank: { approver: 0.6, leader: 1.5, admin: 9, default: null },
      el: card({ num: fmtNum(a.in_review), lbl: t('ap_card_review'), href: '#/approval/ledger', testid: 'card-approval-review',
        tone: a.overdue ? 'red' : '', sub: t('ap_card_sub', { o: fmtNum(a.overdue), a: fmtNum(a.approved) }), subTone: a.overdue ? 'red' : 'muted' }) },
  ];
}
