// Audit log viewer (操作日志, admin and leader): every write and login, newest first, filtered
// by record type, record id, actor, action and date range; each row shows a readable
// before → after. Paged by cursor (the audit id); the API gives no total.
import { get, qs, getAll } from '../api.js';
import { t, fl, label, enumOptions, actionLabel } from '../i18n.js';
import { can } from '../session.js';
import { changeList } from '../diff.js';
import { h, dataTable, selectEl, pageHead, btn, fmtTime, localDayToUTC } from '../ui.js';

const LINKS = { enterprise: (id) => `#/enterprises/${id}`, point: (id) => `#/monitor/points/${id}`, user: () => '#/admin/users', org_unit: () => '#/admin/org-units',
  calendar: (id) => `#/admin/calendar?year=${id}`, agency: () => '#/agencies' };

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('audit'));
  // Only admins may list users; a leader filters by actor id from a row instead.
  const users = can('admin') ? await getAll('/api/v1/users', { sort: 'username' }).catch(() => []) : [];
  if (!ctx.isCurrent()) return;

  const entity = selectEl({ name: 'entity', testid: 'filter-entity', options: enumOptions('entity'), value: query.get('entity') || '',
    placeholder: t('entity_all'), onChange: () => changed() });
  const entityId = h('input', { type: 'number', name: 'entity_id', min: 1, class: 'narrow', placeholder: fl('entity_id'), 'data-testid': 'filter-entity-id', value: query.get('entity_id') || '' });
  const action = selectEl({ name: 'action', testid: 'filter-action', options: enumOptions('action'), value: query.get('action') || '',
    placeholder: t('action_all'), onChange: () => changed() });
  const actor = users.length
    ? selectEl({ name: 'actor_id', testid: 'filter-actor', options: users.map((u) => [u.id, `${u.username} ${u.display_name || ''}`]),
      value: query.get('actor_id') || '', placeholder: t('actor_all'), onChange: () => changed() })
    : h('input', { type: 'number', name: 'actor_id', min: 1, class: 'narrow', placeholder: fl('actor_id'), 'data-testid': 'filter-actor', value: query.get('actor_id') || '' });
  const from = h('input', { type: 'date', name: 'from', 'data-testid': 'filter-from', value: query.get('from') || '', title: t('audit_from') });
  const to = h('input', { type: 'date', name: 'to', 'data-testid': 'filter-to', value: query.get('to') || '', title: t('audit_to') });
  for (const el of [entityId, from, to, ...(users.length ? [] : [actor])]) el.addEventListener('change', () => changed());

  const raw = () => ({ entity: entity.value, entity_id: entityId.value, action: action.value, actor_id: actor.value, from: from.value, to: to.value });
  const params = () => {
    const r = raw();
    return { ...r, from: r.from ? localDayToUTC(r.from, false) : '', to: r.to ? localDayToUTC(r.to, true) : '' };
  };
  function changed() { ctx.setQuery(raw()); table.reload(); }

  const table = dataTable({
    testid: 'audit-table',
    total: false,
    limit: 50,
    pageSizes: [50, 100, 200],
    columns: [
      { key: 'at', label: fl('at'), cls: 'nowrap', width: '150px', render: (r) => fmtTime(r.at, true) },
      { key: 'actor', label: fl('actor'), cls: 'nowrap', render: (r) => (r.actor_id
        ? h('a', { href: '#', title: `${fl('actor_id')} ${r.actor_id}`, onclick: (e) => { e.preventDefault(); setActor(r.actor_id); } }, r.actor)
        : h('span', { class: 'muted' }, r.actor || '—')) },
      { key: 'action', label: fl('action'), cls: 'nowrap', render: (r) => h('span', { class: `act act-${r.action}` }, actionLabel(r.entity, r.action)) },
      // The record by the name it had when the row was written (record_name), its id beside it.
      { key: 'entity', label: fl('entity'), render: (r) => {
        const id = r.entity_id !== null && r.entity_id !== undefined ? `#${r.entity_id}` : '';
        const text = r.record_name || id;
        const link = LINKS[r.entity];
        return h('span', { 'data-testid': 'audit-record' }, h('span', { class: 'muted' }, label('entity', r.entity)), ' ',
          link && r.entity_id ? h('a', { href: link(r.entity_id) }, text) : text,
          r.record_name && id ? h('span', { class: 'muted small' }, ` ${id}`) : null);
      } },
      { key: 'change', label: `${fl('before')} → ${fl('after')}`, render: (r) => changeList(r.entity, r.before, r.after, 4) || h('span', { class: 'muted' }, t('no_detail')) },
      { key: 'ip', label: `${fl('ip')} / ${fl('request_id')}`, cls: 'nowrap muted small', render: (r) => [r.ip || '', r.request_id ? h('div', { class: 'mono' }, r.request_id) : null] },
    ],
    fetch: (p) => get(`/api/v1/audit${qs(p)}`),
    params,
    toolbar: [entity, entityId, action, actor, h('span', { class: 'range' }, from, '–', to),
      btn(t('reset_filters'), () => {
        entity.value = ''; entityId.value = ''; action.value = ''; actor.value = ''; from.value = ''; to.value = '';
        changed();
      }, { small: true })],
  });
  function setActor(id) { actor.value = String(id); changed(); }
  main.replaceChildren(pageHead(t('audit')), table.el);
}
