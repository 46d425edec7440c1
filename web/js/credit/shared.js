// What the credit pages share: the grade badge in its colour (names from the rule set in force
// when given, else the module's labels), event-type names, and the story of one grade change
// (the events that began or stopped counting).
import { t, getLang, label } from '../i18n.js';
import { h } from '../ui.js';

const COLOURS = { green: '#2e7d32', blue: '#1565c0', yellow: '#f9a825', red: '#c62828', black: '#212121',
  A: '#2e7d32', B: '#1565c0', C: '#f9a825', D: '#c62828' };
export const gradeColour = (g) => COLOURS[g] || '#757575';

const NAMES = {
  green: ['环保诚信', 'Trustworthy (green)'], blue: ['环保良好', 'Good (blue)'], yellow: ['环保警示', 'Warning (yellow)'],
  red: ['环保不良', 'Poor (red)'], black: ['黑色', 'Black'], A: ['A 守信', 'A'], B: ['B 基本守信', 'B'], C: ['C 失信', 'C'], D: ['D 严重失信', 'D'],
};

// The grade's name: from the rule body's grades when it has the code, else the defaults.
export function gradeName(code, rule) {
  if (!code) return t('cr_none');
  const g = rule?.body?.grades?.find((x) => x.code === code);
  const en = getLang() === 'en';
  if (g) return en ? g.name_en : g.name;
  const n = NAMES[code];
  return n ? n[en ? 1 : 0] : code;
}

export function gradeBadge(code, rule, testid) {
  if (!code) return h('span', { class: 'badge plain', 'data-testid': testid }, t('cr_none'));
  return h('span', { class: 'badge', 'data-testid': testid, 'data-grade': code,
    style: { background: gradeColour(code), color: code === 'yellow' || code === 'C' ? '#212121' : '#fff' } }, gradeName(code, rule));
}

export const evName = (type) => label('credit_event_type', type);
export const fmtPts = (n) => (n > 0 ? `+${n}` : String(n));

// One change of the history: from → to, why, and the events behind it.
export function changeStory(row, rule, eventsById) {
  const cause = t(`cr_cause_${row.cause}`);
  const line = (e) => {
    const ev = eventsById.get(e.id);
    const type = e.type || ev?.type;
    return h('li', { 'data-testid': `change-event-${e.id}` }, `${evName(type)}${ev ? ` · ${ev.occurred_on}` : ''}`,
      e.effect !== undefined ? h('span', { class: 'muted' }, ` ${fmtPts(e.effect)}${e.veto ? ` · ${t('cr_veto')}` : ''}`) : null,
      ev?.reason ? h('span', { class: 'muted' }, ` · ${ev.reason}`) : null);
  };
  const added = row.added || [], removed = row.removed || [];
  return h('div', { class: 'credit-change', 'data-testid': `change-${row.id}` },
    h('div', {},
      h('strong', {}, row.since), ' ',
      row.prev_grade ? [gradeBadge(row.prev_grade, rule), ' → '] : h('span', { class: 'muted' }, `${t('cr_first')} `),
      gradeBadge(row.grade, rule), ' ',
      h('span', {}, row.prev_grade ? `${row.prev_score} → ${row.score}` : String(row.score)), ' ',
      h('span', { class: 'muted' }, `· ${cause} · ${t('cr_rule')} v${row.rule_version}`)),
    added.length ? h('div', {}, h('span', { class: 'muted' }, `${t('cr_added')}：`), h('ul', { class: 'plain' }, added.map(line))) : null,
    removed.length ? h('div', {}, h('span', { class: 'muted' }, `${t('cr_removed')}：`), h('ul', { class: 'plain' }, removed.map(line))) : null);
}
