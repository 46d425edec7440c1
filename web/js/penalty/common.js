// What the penalty pages share: enumeration labels and badges, money.
import { label, getLang } from '../i18n.js';
import { h, fmtNum } from '../ui.js';

export const L = (set, v) => label(`penalty_${set}`, v) || v || '—';
const STATUS_COLOR = { filed: 'blue', investigating: 'blue', noticed: 'amber', hearing: 'amber', decided: 'green', executed: 'green', closed: 'grey' };
export function statusBadge(s) {
  return h('span', { class: `badge ${STATUS_COLOR[s] || 'plain'}`, 'data-testid': 'penalty-status', 'data-status': s }, L('status', s));
}
export function outcomeBadge(o) {
  return h('span', { class: `badge ${o === 'penalty' ? 'red' : o === 'no_penalty' ? 'green' : 'grey'}`, 'data-outcome': o }, L('outcome', o));
}
export const yuan = (n) => (n === null || n === undefined ? '—' : `${fmtNum(n)} ${getLang() === 'zh' ? '元' : 'yuan'}`);
export const zhen = (o) => (o ? (getLang() === 'zh' ? o.zh : o.en || o.zh) : '');
