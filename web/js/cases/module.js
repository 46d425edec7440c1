// Casework and the to-do list (待办): the to-do page with its counts, a case page with its
// timeline, clock state, paused spans, the caller's actions and attachments; the navigation
// entry with its badge (the to-do counts: total, overdue in red).
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

// The to-do counts for the navigation badge (loaded on use: a module.js imports nothing of the
// shell at load time).
const todoBadge = () => import('../api.js').then(({ get }) => get('/api/v1/todo/counts'))
  .then((c) => ({ count: c.total, alert: c.overdue }));

export default {
  name: 'cases',
  strings, labels,
  routes: [
    { path: '/todo', page: () => import('./todo.js'), perm: 'any' },
    { path: '/cases/:id', page: () => import('./case.js'), perm: 'any' },
  ],
  nav: [
    { group: 'nav_work', path: '/todo', label: 'todo', perm: 'any', icon: 'log', order: 0, badge: todoBadge },
    { group: 'nav_own', who: 'enterprise', path: '/todo', label: 'todo', perm: 'any', icon: 'log', order: -10, badge: todoBadge },
  ],
  perms: {},
};
