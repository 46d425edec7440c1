// Shared by the waste pages: a client-side page of a list the API answers whole (filter, sort
// and page in dataTable's contract: {items, next_cursor, total}, the cursor being the offset),
// tonnes as text, and the manifests table.
import { qs, get } from '../api.js';
import { t, fl, label } from '../i18n.js';
import { h, dataTable, selectEl } from '../ui.js';

export function localPage(items, p, match) {
  let rows = match ? items.filter(match) : items.slice();
  if (p.sort) {
    const desc = p.sort.startsWith('-'), k = desc ? p.sort.slice(1) : p.sort;
    rows.sort((a, b) => {
      const x = a[k] ?? '', y = b[k] ?? '';
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh');
      return desc ? -c : c;
    });
  }
  const from = Number(p.cursor || 0), limit = Number(p.limit || 20);
  const page = rows.slice(from, from + limit);
  return { items: page, total: rows.length, next_cursor: from + limit < rows.length ? String(from + limit) : null };
}

export const tonnes = (v) => (v === null || v === undefined ? '' : Number(v).toFixed(3));

export function stateBadge(s) {
  const tone = { draft: '', shipped: 'amber', arrived: 'amber', accepted: 'green', partly_accepted: 'amber', refused: 'red', closed: 'green' }[s] || '';
  return h('span', { class: `badge ${tone}`.trim() }, label('waste_manifest_state', s));
}

// The manifests the caller sees (site: one site's), state filter, sortable, paged.
export function manifestsTable(ctx, { site, testid = 'hw-manifests' } = {}) {
  let all = null;
  const state = selectEl({ name: 'state', testid: 'hw-manifest-state', placeholder: t('hw_all'),
    options: Object.keys({ draft: 1, shipped: 1, arrived: 1, accepted: 1, partly_accepted: 1, refused: 1, closed: 1 }).map((s) => [s, label('waste_manifest_state', s)]),
    onChange: () => table.reload() });
  const table = dataTable({
    testid, toolbar: [state], sort: '-id', limit: 20,
    fetch: async (p) => {
      all = all || (await get(`/api/v1/waste/manifests${qs({ site_id: site || undefined })}`)).items;
      return localPage(all, p, (m) => !state.value || m.state === state.value);
    },
    onRow: (m) => ctx.navigate(`/waste/manifests/${m.id}`),
    rowTestid: (m) => `hw-manifest-${m.id}`,
    columns: [
      { key: 'number', label: fl('number', 'waste_manifest'), sort: 'number', primary: true, cls: 'nowrap' },
      { key: 'state', label: fl('state', 'waste_manifest'), sort: 'state', render: (m) => stateBadge(m.state) },
      { key: 'enterprise_name', label: fl('enterprise_name', 'waste_manifest'), sort: 'enterprise_name' },
      { key: 'receiver_name', label: fl('receiver_name', 'waste_manifest'), sort: 'receiver_name' },
      { key: 'amount_t', label: fl('amount_t', 'waste_manifest'), sort: 'amount_t', cls: 'num', render: (m) => tonnes(m.amount_t) },
      { key: 'confirm_due', label: fl('confirm_due', 'waste_manifest'), sort: 'confirm_due', cls: 'nowrap' },
    ],
  });
  return table;
}

// The paper manifests the caller sees (entered after the shipment, art. 20): sortable, paged.
export function papersTable({ testid = 'hw-papers' } = {}) {
  let all = null;
  return dataTable({
    testid, sort: '-id', limit: 20, empty: t('hw_no_papers'),
    fetch: async (p) => {
      all = all || (await get('/api/v1/waste/paper-manifests')).items;
      return localPage(all, p, () => true);
    },
    rowTestid: (x) => `hw-paper-${x.id}`,
    columns: [
      { key: 'paper_no', label: fl('paper_no', 'waste_paper'), sort: 'paper_no', primary: true, cls: 'nowrap' },
      { key: 'site_name', label: fl('site_name', 'waste_paper'), sort: 'site_name' },
      { key: 'receiver_name', label: fl('receiver_name', 'waste_paper'), sort: 'receiver_name' },
      { key: 'shipped_on', label: fl('shipped_on', 'waste_paper'), sort: 'shipped_on', cls: 'nowrap' },
      { key: 'entry_due', label: fl('entry_due', 'waste_paper'), sort: 'entry_due', cls: 'nowrap' },
      { key: 'amount_t', label: fl('amount_t', 'waste_paper'), sort: 'amount_t', cls: 'num', render: (x) => tonnes(x.amount_t) },
      { key: 'reason', label: fl('reason', 'waste_paper') },
    ],
  });
}
