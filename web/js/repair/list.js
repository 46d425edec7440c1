// 信用修复, the staff page: the repair applications within the user's regions (state and event-type
// filters, search by enterprise or statement, sort by any date, the enterprise or the state,
// pages); a row opens the application page, where the legal section decides.
import { get, qs } from '../api.js';
import { t, fl, enumOptions } from '../i18n.js';
import { h, pageHead, dataTable, selectEl, searchBox, fmtTime } from '../ui.js';
import { stateBadge, evLabel } from './common.js';

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('rp_title'));
  const s0 = query.get('state');
  const state = selectEl({ name: 'state', testid: 'filter-state', value: s0 === 'all' ? '' : (s0 || 'filed'), placeholder: t('rp_all_states'),
    options: enumOptions('credit_repair_state'), onChange: () => { ctx.setQuery({ state: state.value || 'all' }); table.reload(); } });
  const type = selectEl({ name: 'event_type', testid: 'filter-type', value: '', placeholder: t('rp_all_types'),
    options: ['penalty', 'permit_violation', 'seizure', 'suspension', 'late_rectification', 'complaint_substantiated', 'exceedance_day', 'manual']
      .map((x) => [x, evLabel(x)]), onChange: () => table.reload() });
  let q = '';
  const search = searchBox({ placeholder: t('rp_search'), testid: 'repair-search', onSearch: (v) => { q = v; table.reload(); } });
  const params = () => ({ state: state.value || undefined, event_type: type.value || undefined, q: q || undefined });
  const table = dataTable({
    testid: 'repair-table',
    toolbar: [state, type, search],
    sort: '-filed_on',
    fetch: (p) => get(`/api/v1/repair/applications${qs({ ...params(), ...p })}`),
    onRow: (r) => ctx.navigate(`/repair/${r.id}`),
    rowTestid: (r) => `repair-row-${r.id}`,
    columns: [
      { key: 'id', label: t('rp_app_no'), render: (r) => h('a', { href: `#/repair/${r.id}`, 'data-testid': `repair-open-${r.id}` }, `#${r.id}`) },
      { key: 'enterprise_name', label: fl('enterprise_name', 'credit_repair'), sort: 'enterprise_name', primary: true },
      { key: 'region_name', label: fl('region_name') },
      { key: 'event_type', label: fl('event_type', 'credit_repair'), sort: 'event_type', render: (r) => evLabel(r.event_type) },
      { key: 'event_occurred_on', label: fl('event_occurred_on', 'credit_repair'), sort: 'event_occurred_on', cls: 'nowrap' },
      { key: 'filed_on', label: fl('filed_on', 'credit_repair'), sort: 'filed_on', cls: 'nowrap' },
      { key: 'conditions_ok', label: fl('conditions_ok', 'credit_repair'), render: (r) => h('span', { class: `badge ${r.conditions_ok ? 'green' : 'red'}` }, r.conditions_ok ? t('rp_ok') : t('rp_not_ok')) },
      { key: 'state', label: fl('state', 'credit_repair'), sort: 'state', render: (r) => stateBadge(r.state, `repair-state-${r.id}`) },
      { key: 'due_at', label: t('rp_due'), cls: 'nowrap', render: (r) => (r.state === 'filed' && r.due_at ? fmtTime(r.due_at) : (r.decided_on || '')) },
    ],
  });
  main.replaceChildren(pageHead(t('rp_title')), table.el);
}
