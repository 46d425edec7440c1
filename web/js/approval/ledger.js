// 挂账销号 ledger: every application on the clock (under review and decided) with its owner, the
// promised limit, working days used and left, the pauses and the clock state; filtered by clock,
// route, class and state, searched, paged. An overdue row has been escalated to the leader.
import { get, qs } from '../api.js';
import { t, fl, enumOptions } from '../i18n.js';
import { h, pageHead, dataTable, selectEl, searchBox, fmtTime } from '../ui.js';
import { stateBadge, classLabel, routeLabel, clockBadge } from './common.js';

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('ap_ledger_title'));
  const mk = (name, set, ph, v = '') => selectEl({ name, testid: `ledger-${name}`, value: v, placeholder: ph, options: enumOptions(set), onChange: () => table.reload() });
  const clock = mk('clock', 'eia_clock', t('ap_all_clocks'), query.get('clock') || '');
  const route = mk('route', 'eia_route', t('ap_all_routes'));
  const cls = mk('class', 'eia_class', t('ap_all_classes'));
  const state = mk('state', 'eia_state', t('ap_all_states'));
  let q = '';
  const search = searchBox({ placeholder: t('ap_search'), testid: 'ledger-search', onSearch: (v) => { q = v; table.reload(); } });
  const summary = h('div', { class: 'toolbar', 'data-testid': 'ledger-summary' });
  const table = dataTable({
    testid: 'ledger-table',
    toolbar: [clock, route, cls, state, search],
    fetch: async (p) => {
      const offset = Number(p.cursor || 0);
      const r = await get(`/api/v1/approval/ledger${qs({ clock: clock.value || undefined, route: route.value || undefined, class: cls.value || undefined,
        state: state.value || undefined, q: q || undefined, limit: p.limit, offset })}`);
      summary.replaceChildren(...Object.entries(r.summary?.by_clock || {}).map(([k, n]) => h('span', {}, clockBadge(k), ` ${n}`)));
      const next = offset + r.items.length;
      return { items: r.items, total: r.total, next_cursor: next < r.total ? String(next) : null };
    },
    onRow: (r) => ctx.navigate(`/approval/applications/${r.id}`),
    rowTestid: (r) => `ledger-row-${r.id}`,
    columns: [
      { key: 'project_name', label: fl('project_name', 'eia_application'), primary: true },
      { key: 'enterprise_name', label: fl('enterprise_name', 'eia_application') },
      { key: 'class', label: fl('class', 'eia_application'), render: (r) => classLabel(r.class) },
      { key: 'route', label: fl('route', 'eia_application'), render: (r) => routeLabel(r.route) },
      { key: 'owner', label: t('ap_owner') },
      { key: 'limit_days', label: fl('limit_days', 'eia_application') },
      { key: 'days_used', label: t('ap_days_used'), render: (r) => String(r.days_used ?? '—') },
      { key: 'days_left', label: t('ap_days_left'), render: (r) => (r.state !== 'accepted' || r.days_left === undefined ? '—'
        : r.days_left < 0 ? h('span', { class: 'badge red' }, `${t('ap_over_by')} ${-r.days_left}`) : String(r.days_left)) },
      { key: 'due_at', label: t('ap_due'), cls: 'nowrap', render: (r) => (r.due_at ? fmtTime(r.due_at) : '—') },
      { key: 'clock', label: t('ap_clock'), render: (r) => h('span', {}, clockBadge(r.clock, `ledger-clock-${r.id}`), r.escalated_at ? h('span', { class: 'badge red', style: { marginLeft: '4px' } }, '督办') : null) },
      { key: 'state', label: fl('state', 'eia_application'), render: (r) => stateBadge(r.state) },
    ],
  });
  main.replaceChildren(pageHead(t('ap_ledger_title')), summary, table.el);
}
