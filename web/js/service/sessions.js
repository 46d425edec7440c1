// 服务日与培训: service days (the job builds each month's), consultation days and 大学堂 trainings
// (kind and state filters, search, sort, pages) with their items, firms and people; a row opens
// the session's agenda and attendance.
import { get, post, qs } from '../api.js';
import { t, fl, enumOptions, label } from '../i18n.js';
import { h, pageHead, dataTable, selectEl, searchBox, btn, todayISO } from '../ui.js';
import { can } from '../session.js';
import { badgeOf, formDialog } from './common.js';

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('sv_sessions_title'));
  const kind = selectEl({ name: 'kind', testid: 'filter-kind', placeholder: t('sv_all_kinds'), value: ctx.query.get('kind') || '', options: enumOptions('service_session_kind'), onChange: () => table.reload() });
  let q = '';
  const search = searchBox({ placeholder: fl('title', 'service_session'), testid: 'session-search', onSearch: (v) => { q = v; table.reload(); } });
  const table = dataTable({
    testid: 'session-table',
    toolbar: [kind, search],
    sort: '-held_on',
    fetch: (p) => get(`/api/v1/service/sessions${qs({ kind: kind.value || undefined, q: q || undefined, ...p })}`),
    onRow: (r) => ctx.navigate(`/service/sessions/${r.id}`),
    rowTestid: (r) => `session-${r.id}`,
    columns: [
      { key: 'held_on', label: fl('held_on', 'service_session'), sort: 'held_on', cls: 'nowrap' },
      { key: 'title', label: fl('title', 'service_session'), sort: 'title', primary: true, render: (r) => h('a', { href: `#/service/sessions/${r.id}` }, r.title) },
      { key: 'kind', label: fl('kind', 'service_session'), sort: 'kind', render: (r) => label('service_session_kind', r.kind) },
      { key: 'org_unit_name', label: fl('org_unit_id', 'service_session') },
      { key: 'n_items', label: t('sv_items'), cls: 'num', render: (r) => `${r.n_resolved}/${r.n_items}` },
      { key: 'n_firms', label: t('sv_firms'), cls: 'num' },
      { key: 'n_people', label: t('sv_people'), cls: 'num' },
      { key: 'state', label: fl('state', 'service_session'), sort: 'state', render: (r) => badgeOf('service_session_state', r.state, `session-state-${r.id}`) },
    ],
  });
  const add = can('service.session') ? btn(t('sv_session_add'), () => formDialog({
    title: t('sv_session_add'), testid: 'session-dialog', values: { kind: 'training', held_on: todayISO() },
    fields: [
      { name: 'kind', label: fl('kind', 'service_session'), type: 'select', required: true, noPlaceholder: true, options: enumOptions('service_session_kind') },
      { name: 'held_on', label: fl('held_on', 'service_session'), type: 'date', required: true },
      { name: 'title', label: fl('title', 'service_session'), required: true, span: 2, maxlength: 200 },
      { name: 'place', label: fl('place', 'service_session'), span: 2, maxlength: 200 },
    ],
    submit: async (v) => { const s = await post('/api/v1/service/sessions', v); ctx.navigate(`/service/sessions/${s.id}`); },
  }), { primary: true, testid: 'session-add' }) : null;
  main.replaceChildren(pageHead(t('sv_sessions_title'), add), table.el);
}
