// What the repair pages share: the conditions item by item (met or not, the sentence in the
// page's language and the values it rests on), the state badge and the applications table.
import { getLang, label, t } from '../i18n.js';
import { h } from '../ui.js';
import { evName } from '../credit/shared.js';

export const L = (set, v) => label(set, v);
export const evLabel = evName;

const TONE = { filed: 'amber', granted: 'green', refused: 'red', withdrawn: 'grey' };
export function stateBadge(s, testid) {
  return h('span', { class: `badge ${TONE[s] || 'plain'}`, 'data-testid': testid, 'data-state': s }, L('credit_repair_state', s));
}

function valuesText(v) {
  if (!v || typeof v !== 'object') return '';
  return Object.entries(v).filter(([, x]) => x !== '' && x !== null && !(Array.isArray(x) && !x.length))
    .map(([k, x]) => `${k}=${typeof x === 'object' ? JSON.stringify(x) : x}`).join('，');
}

// The four conditions as a list; testid names the list, each item `${testid}-${code}`.
export function conditionList(conds, testid) {
  const en = getLang() === 'en';
  return h('ol', { class: 'repair-conditions', 'data-testid': testid, style: { padding: '0' } }, (conds || []).map((c) => h('li', {
    class: c.ok ? 'ok' : 'fail', 'data-testid': `${testid}-${c.code}`, 'data-ok': c.ok ? '1' : '0',
    style: { margin: '6px 0', listStyle: 'none' },
  },
  h('span', { class: `badge ${c.ok ? 'green' : 'red'}`, style: { marginRight: '8px' } }, `${c.ok ? '✓' : '✗'} ${c.ok ? t('rp_ok') : t('rp_not_ok')}`),
  h('strong', {}, L('repair_condition', c.code)), '：', en ? c.text_en : c.text_zh,
  valuesText(c.values) ? h('details', { class: 'muted small', style: { marginLeft: '4px' } }, h('summary', {}, t('rp_values')), valuesText(c.values)) : null)));
}

export function summaryChips(check, testid) {
  const n = (check?.conditions || []).filter((c) => c.ok).length;
  return h('span', { 'data-testid': testid, 'data-all-ok': check?.all_ok ? '1' : '0' },
    (check?.conditions || []).map((c) => h('span', { class: `badge ${c.ok ? 'green' : 'red'}`, title: L('repair_condition', c.code), style: { marginRight: '3px' } }, c.ok ? '✓' : '✗')),
    h('span', { class: 'muted small' }, ` ${t('rp_cond_summary', { n })}`));
}
