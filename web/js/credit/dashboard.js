// Environmental credit on the 工作台: enterprises at a warning grade or worse, the grade changes
// this month, the objections waiting for a decision, and the grades as a pie. First for the
// legal section (which files events and decides objections); after the others for the leader.
// See platform/dashboard_kit.js for how items are ranked.
import { t } from '../i18n.js';
import { h, fmtNum } from '../ui.js';
import { card, panel, viewAll, pieRadius } from '../platform/dashboard_kit.js';
import { gradeColour, gradeName } from './shared.js';

// Grades that call for attention under the shipped rule sets (national, Jiangsu, Shaanxi-style).
const POOR = new Set(['yellow', 'red', 'black', 'C', 'D']);
const ORDER = ['green', 'blue', 'yellow', 'red', 'black', 'A', 'B', 'C', 'D'];
const PIE = ['42%', '68%'];

function gradeOption(rows) {
  const sorted = [...rows].sort((a, b) => ORDER.indexOf(a.grade) - ORDER.indexOf(b.grade));
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, icon: 'circle' },
    series: [{
      type: 'pie', radius: pieRadius(PIE), center: ['50%', '45%'], avoidLabelOverlap: true,
      label: { formatter: '{b}\n{c}', fontSize: 12 },
      data: sorted.map((g) => ({ name: gradeName(g.grade), value: g.n, grade: g.grade, itemStyle: { color: gradeColour(g.grade) } })),
    }],
  };
}

export function items(d, kit) {
  const c = d.credit;
  if (!c) return [];
  const rows = c.by_grade || [];
  const poor = rows.filter((g) => POOR.has(g.grade)).reduce((s, g) => s + g.n, 0);
  return [
    { kind: 'card', rank: { legal: 0, default: null },
      el: card({ num: fmtNum(poor), lbl: t('cr_card_poor'), href: '#/credit', testid: 'card-credit-poor', tone: poor ? 'amber' : '',
        sub: t('cr_card_changed', { n: fmtNum(c.changed_this_month || 0) }), subTone: 'muted' }) },
    { kind: 'card', rank: { legal: 0.5, default: null },
      el: card({ num: fmtNum(c.objections_open || 0), lbl: t('cr_card_objections'), href: '#/todo', testid: 'card-credit-objections',
        tone: c.objections_open ? 'red' : '' }) },
    { kind: 'panel', rank: { legal: 0, leader: 7, admin: 7, default: null },
      make: (cls) => panel(t('cr_dash_grades'), 'panel-credit', kit.chartEl('chart-credit-grades', gradeOption(rows),
        (p) => p.data?.grade && kit.navigate(`/credit?grade=${p.data.grade}`), '',
        (ch, el) => ch.setOption({ series: [{ radius: pieRadius(PIE, el.clientWidth) }] })), { cls, more: viewAll('#/credit') }) },
  ];
}
