// 环评审批, the list: applications within the user's regions (an enterprise: its own), filtered
// by state, class and route, searched by project or builder, sorted and paged; a row opens the
// application. Staff and enterprises with the right file new ones here.
import { get, qs } from '../api.js';
import { t, fl, enumOptions } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, dataTable, selectEl, searchBox, fmtTime, btn } from '../ui.js';
import { stateBadge, classLabel, routeLabel } from './common.js';

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('ap_title'));
  const state = selectEl({ name: 'state', testid: 'filter-state', value: '', placeholder: t('ap_all_states'), options: enumOptions('eia_state'), onChange: () => table.reload() });
  const cls = selectEl({ name: 'class', testid: 'filter-class', value: '', placeholder: t('ap_all_classes'), options: enumOptions('eia_class'), onChange: () => table.reload() });
  const route = selectEl({ name: 'route', testid: 'filter-route', value: '', placeholder: t('ap_all_routes'), options: enumOptions('eia_route'), onChange: () => table.reload() });
  let q = '';
  const search = searchBox({ placeholder: t('ap_search'), testid: 'approval-search', onSearch: (v) => { q = v; table.reload(); } });
  const table = dataTable({
    testid: 'approval-table',
    toolbar: [state, cls, route, search],
    sort: '-filed_on',
    fetch: (p) => get(`/api/v1/approval/applications${qs({ state: state.value || undefined, class: cls.value || undefined, route: route.value || undefined, q: q || undefined, ...p })}`),
    onRow: (r) => ctx.navigate(`/approval/applications/${r.id}`),
    rowTestid: (r) => `approval-row-${r.id}`,
    columns: [
      { key: 'id', label: '#', render: (r) => h('a', { href: `#/approval/applications/${r.id}` }, `#${r.id}`) },
      { key: 'project_name', label: fl('project_name', 'eia_application'), sort: 'project_name', primary: true },
      { key: 'enterprise_name', label: fl('enterprise_name', 'eia_application'), sort: 'enterprise_name' },
      { key: 'class', label: fl('class', 'eia_application'), sort: 'class', render: (r) => classLabel(r.class) },
      { key: 'route', label: fl('route', 'eia_application'), sort: 'route', render: (r) => routeLabel(r.route) },
      { key: 'filed_on', label: fl('filed_on', 'eia_application'), sort: 'filed_on', cls: 'nowrap' },
      { key: 'state', label: fl('state', 'eia_application'), sort: 'state', render: (r) => stateBadge(r.state, `approval-state-${r.id}`) },
      { key: 'due_at', label: t('ap_due'), cls: 'nowrap', render: (r) => (r.state === 'accepted' && r.due_at ? fmtTime(r.due_at) : (r.decided_on || r.receipt_no || '')) },
    ],
  });
  const actions = can('approval.file') ? [btn(t('ap_new'), () => ctx.navigate('/approval/new'), { primary: true, testid: 'approval-new' })] : [];
  main.replaceChildren(pageHead(t('ap_title'), ...actions), table.el);
}
