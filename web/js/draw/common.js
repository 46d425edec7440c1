// Shared bits of the draw pages: state, category and outcome labels.
import { t, label } from '../i18n.js';
import { h } from '../ui.js';

export const CATEGORIES = ['key', 'special', 'general'];
export const catLabel = (c) => label('draw_category', c);
export const outcomeLabel = (o) => (o ? label('draw_outcome', o) : t('draw_out_pending'));
const STATE_CLASS = { draft: 'grey', committed: 'blue', drawn: 'amber', revealed: 'green', published: 'green' };
export const stateBadge = (s) => h('span', { class: `badge ${STATE_CLASS[s] || ''}`, 'data-testid': 'plan-state', dataset: { state: s } }, label('draw_state', s));
export const mono = (s) => h('code', { class: 'mono', style: { wordBreak: 'break-all' } }, s || '—');

// A client-side source for dataTable over a fully loaded list: sort by params.sort, page by an
// offset carried as the cursor.
export function localSource(getRows) {
  return async (params) => {
    let rows = [...(await getRows())];
    const s = params.sort || '';
    if (s) {
      const key = s.replace(/^-/, ''), dir = s.startsWith('-') ? -1 : 1;
      rows.sort((a, b) => (a[key] > b[key] ? dir : a[key] < b[key] ? -dir : 0));
    }
    const off = Number(params.cursor || 0), lim = params.limit || 20;
    const items = rows.slice(off, off + lim);
    return { items, total: rows.length, next_cursor: off + lim < rows.length ? String(off + lim) : null };
  };
}
