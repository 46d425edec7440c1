// An enterprise's own requests (#/requests/mine): its consultations, problems, policy questions
// and approval help with their progress and answers, and a new request linked to it.
import { get, post, qs } from '../api.js';
import { t, fl } from '../i18n.js';
import { h, pageHead, dataTable, btn, modal, form, toast, fmtTime } from '../ui.js';
import { L, stateBadge, clockBadge, REQUEST_CATEGORIES } from './common.js';

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('rq_mine_title'));
  const table = dataTable({
    testid: 'mine-table',
    fetch: async (p) => {
      const offset = Number(p.cursor || 0);
      const r = await get(`/api/v1/requests${qs({ limit: p.limit, offset })}`);
      const next = offset + r.items.length;
      return { items: r.items, total: r.total, next_cursor: next < r.total ? String(next) : null };
    },
    onRow: (r) => ctx.navigate(`/requests/${r.id}`),
    rowTestid: (r) => `mine-row-${r.id}`,
    columns: [
      { key: 'tracking_code', label: fl('tracking_code', 'request'), cls: 'nowrap' },
      { key: 'title', label: fl('title', 'request'), primary: true },
      { key: 'category', label: fl('category', 'request'), render: (r) => L('request_category', r.category) },
      { key: 'received_at', label: fl('received_at', 'request'), cls: 'nowrap', render: (r) => fmtTime(r.received_at) },
      { key: 'state', label: fl('state', 'request'), render: (r) => stateBadge(r.state, `mine-state-${r.id}`) },
      { key: 'due_at', label: t('rq_due'), cls: 'nowrap', render: (r) => [r.due_at ? fmtTime(r.due_at) : '', ' ', clockBadge(r.clock)] },
    ],
  });
  const add = btn(t('rq_mine_new'), () => {
    let m;
    const f = form({ cols: 1, idPrefix: 'mine-', fields: [
      { name: 'category', label: fl('category', 'request'), type: 'select', required: true, options: REQUEST_CATEGORIES.map((c) => [c, L('request_category', c)]), testid: 'mine-category' },
      { name: 'title', label: fl('title', 'request'), maxlength: 200, testid: 'mine-title' },
      { name: 'description', label: fl('description', 'request'), type: 'textarea', required: true, maxlength: 4000, testid: 'mine-description' },
    ], omitEmpty: true, onCancel: () => m.close(), onSubmit: async (v) => { await post('/api/v1/requests', v); m.close(); toast(t('rq_done')); table.reload(); } });
    m = modal({ title: t('rq_mine_new'), body: f.el, testid: 'mine-dialog', dismissable: false });
    m.el.querySelector('.modal-foot').hidden = true;
  }, { primary: true, testid: 'mine-new' });
  main.replaceChildren(pageHead(t('rq_mine_title'), add), h('p', { class: 'muted' }, t('rq_mine_hint')), table.el);
}
