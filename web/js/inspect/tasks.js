// 我的检查任务: an inspector's tasks (mine), or every task of the area, filtered by status and
// source, sorted and paged; on a phone each row is a card. An enterprise user sees its own
// firm's tasks once visited (random and other inspections are unannounced).
import { get, qs } from '../api.js';
import { t } from '../i18n.js';
import { can, role } from '../session.js';
import { h, pageHead, dataTable, selectEl, btn } from '../ui.js';
import { L, statusBadge, newTaskDialog } from './common.js';

export async function render(ctx) {
  const { main, query, navigate } = ctx;
  const own = role() === 'enterprise';
  const title = t(own ? 'insp_own_title' : role() === 'inspector' ? 'insp_mine_title' : 'insp_all_title');
  ctx.setTitle(title);
  const scope = selectEl({ name: 'scope', testid: 'filter-scope', value: query.get('scope') || (role() === 'inspector' ? 'mine' : 'all'),
    options: [['mine', t('insp_scope_mine')], ['all', t('insp_scope_all')]], onChange: () => changed() });
  const status = selectEl({ name: 'status', testid: 'filter-status', value: query.get('status') || '', placeholder: t('insp_all_status'),
    options: ['scheduled', 'awaiting_approval', 'done', 'not_approved'].map((s) => [s, L('status', s)]), onChange: () => changed() });
  const source = selectEl({ name: 'source_kind', testid: 'filter-source', value: query.get('source_kind') || '', placeholder: t('insp_all_sources'),
    options: ['draw', 'alarm', 'complaint', 'campaign', 'manual', 'patrol'].map((s) => [s, L('source', s)]), onChange: () => changed() });
  const params = () => ({ mine: !own && scope.value === 'mine' ? 1 : undefined, status: status.value || undefined, source_kind: source.value || undefined });
  function changed() { ctx.setQuery({ scope: scope.value, status: status.value, source_kind: source.value }); table.reload(); }
  const table = dataTable({
    testid: 'inspect-tasks',
    toolbar: own ? [] : [scope, status, source],
    fetch: async (p) => {
      const offset = Number(p.cursor || 0);
      const r = await get(`/api/v1/inspect/tasks${qs({ ...params(), limit: p.limit, offset })}`);
      const next = offset + r.items.length;
      return { items: r.items, total: r.total, next_cursor: next < r.total ? String(next) : null };
    },
    onRow: (r) => navigate(`/inspect/tasks/${r.id}`),
    rowTestid: (r) => `task-${r.id}`,
    columns: [
      { key: 'enterprise_name', label: t('insp_enterprise'), primary: true, render: (r) => h('a', { href: `#/inspect/tasks/${r.id}` }, r.enterprise_name) },
      { key: 'status', label: t('insp_task'), render: (r) => statusBadge(r.status, `status-${r.id}`) },
      { key: 'planned_on', label: t('insp_planned'), cls: 'nowrap' },
      { key: 'source_kind', label: t('insp_source'), render: (r) => L('source', r.source_kind) },
      { key: 'outcome', label: t('insp_visit'), render: (r) => (r.outcome ? L('outcome', r.outcome) : '—') },
      own ? null : { key: 'lead_name', label: t('insp_lead'), render: (r) => r.lead_name || '—' },
    ].filter(Boolean),
  });
  main.replaceChildren(...[
    pageHead(title, !own && can('inspect.create') ? btn(t('insp_new'), () => newTaskDialog((r) => navigate(`/inspect/tasks/${r.id}`)), { primary: true, testid: 'task-new' }) : null),
    own ? h('p', { class: 'muted' }, t('insp_own_hint')) : null,
    table.el].filter(Boolean));
}
