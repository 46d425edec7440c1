// 待办: everything waiting on the signed-in user (their cases, their unit's unassigned ones
// their role acts on, for a leader the escalated ones; for an enterprise user their
// enterprise's items and unread notices), by deadline, with the counts; the leader also sees
// overdue counts per org unit.
import { get } from '../api.js';
import { t } from '../i18n.js';
import { h, pageHead, simpleTable, fmtTime, spinner, errorBanner, btn } from '../ui.js';
import { clockBadge, stateLabel } from './shared.js';

function chip(text, tone, testid) {
  return h('span', { class: `badge ${tone}`, 'data-testid': testid }, text);
}

export async function render(ctx) {
  const { main, setTitle, navigate } = ctx;
  setTitle(t('todo_title'));
  main.replaceChildren(pageHead(t('todo_title'), btn(t('refresh'), () => render(ctx), { testid: 'todo-refresh' })), spinner());
  let data;
  try {
    data = await get('/api/v1/todo');
  } catch (e) {
    main.replaceChildren(pageHead(t('todo_title')), errorBanner(e));
    return;
  }
  const c = data.counts;
  // A source's item may name its own page (href) and the string key of its kind (kind_key), as
  // the positive list's on-site approvals do.
  const path = (i) => i.href || (i.source === 'case' ? `/cases/${i.id}` : '/monitor/alarms');
  const open = (i) => navigate(path(i));
  const parts = [pageHead(t('todo_title'), btn(t('refresh'), () => render(ctx), { testid: 'todo-refresh' })),
    h('div', { class: 'todo-counts', 'data-testid': 'todo-counts' },
      chip(t('todo_total', { n: c.total }), 'plain', 'todo-total'), ' ',
      chip(t('todo_overdue', { n: c.overdue }), c.overdue ? 'red' : 'plain', 'todo-overdue'), ' ',
      chip(t('todo_due_soon', { n: c.due_soon }), c.due_soon ? 'amber' : 'plain', 'todo-due-soon'))];
  parts.push(simpleTable({
    testid: 'todo-table', empty: t('todo_empty'), onRow: open,
    columns: [
      { label: t('todo_clock'), render: (i) => (i.source === 'case' ? clockBadge(i.clock, `todo-clock-${i.id}`) : chip(t(i.kind_key || 'todo_notice'), 'blue')) },
      { label: t('todo_title_col'), primary: true, render: (i) => h('a', { href: `#${path(i)}`, 'data-testid': `todo-item-${i.id}` }, i.title) },
      { label: t('todo_state'), render: (i) => (i.source === 'case' ? stateLabel(i.state) : '') },
      { label: t('todo_due'), render: (i) => (i.due_at ? fmtTime(i.due_at, true) : '—') },
      { label: t('todo_unit_col'), render: (i) => [i.org_unit_name || '', i.escalated_at ? h('span', { class: 'badge red', style: { marginLeft: '4px' } }, t('todo_escalated')) : null] },
    ],
    rows: data.items,
  }));
  if (c.units) {
    parts.push(h('h2', {}, t('todo_units')), simpleTable({
      testid: 'todo-units', columns: [
        { label: t('todo_unit'), key: 'name', primary: true },
        { label: t('todo_open'), key: 'n_open' },
        { label: t('todo_overdue_col'), render: (u) => (u.n_overdue ? h('span', { class: 'badge red' }, String(u.n_overdue)) : '0') },
      ],
      rows: c.units,
    }));
  }
  main.replaceChildren(...parts);
}
