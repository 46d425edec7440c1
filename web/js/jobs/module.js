// The jobs module's web side: the administrator's page of periodic jobs (定时任务).
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'jobs',
  strings, labels,
  routes: [{ path: '/admin/jobs', page: () => import('./jobs_page.js'), perm: 'admin' }],
  nav: [{ group: 'nav_admin', path: '/admin/jobs', label: 'jobs', perm: 'admin', icon: 'cal', order: 60 }],
};
