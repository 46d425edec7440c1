// Shared pieces of the patrol pages: labels, the offset-paged fetch for dataTable, badges.
import { get, qs } from '../api.js';
import { label } from '../i18n.js';
import { h } from '../ui.js';

export const L = (set, v) => label(set, v);

// fetch(params) for dataTable over an offset-paged route ({items,total}).
export function offsetFetch(path, extra) {
  return async (p) => {
    const offset = Number(p.cursor || 0);
    const sort = p.sort ? p.sort.replace(/^-/, '') : undefined;
    const r = await get(`${path}${qs({ ...extra(), limit: p.limit, offset, sort, order: p.sort?.startsWith('-') ? 'desc' : 'asc' })}`);
    const next = offset + (r.items || []).length;
    return { items: r.items || [], total: r.total, next_cursor: next < r.total ? String(next) : null, raw: r };
  };
}

const TONE = { open: 'grey', done: 'green', problem: 'amber', overdue: 'red', no_problem: 'green', problems_found: 'amber' };
export function statusBadge(set, v, testid) {
  return h('span', { class: `badge ${TONE[v] || 'grey'}`, 'data-testid': testid }, L(set, v));
}

export async function searchEnterprises(q) {
  const r = await get(`/api/v1/enterprises${qs({ q, limit: 10 })}`);
  return (r.items || []).map((e) => ({ value: e.id, label: e.name, hint: e.uscc }));
}

export const PROBLEM_CATEGORIES = ['permit', 'facility', 'ledger', 'hazardous_waste', 'online_monitoring', 'emergency_plan', 'eia', 'other'];
