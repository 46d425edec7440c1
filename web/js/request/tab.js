// The 诉求与投诉 tab of an enterprise: its requests and the complaints that name it, newest
// first, with state and deadline, each linking to its page.
import { get, qs } from '../api.js';
import { t, fl } from '../i18n.js';
import { h, simpleTable, sectionHead, fmtTime } from '../ui.js';
import { L, stateBadge, clockBadge } from './common.js';

export async function renderTab(e, box) {
  const r = await get(`/api/v1/requests${qs({ enterprise_id: e.id, limit: 200 })}`);
  box.replaceChildren(sectionHead(t('rq_nav')), simpleTable({
    testid: 'request-tab',
    rows: r.items || [],
    empty: t('rq_tab_none'),
    columns: [
      { key: 'title', label: fl('title', 'request'), primary: true, render: (x) => h('a', { href: `#/requests/${x.id}` }, `${x.tracking_code} · ${x.title}`) },
      { key: 'kind', label: fl('kind', 'request'), render: (x) => L('request_kind', x.kind) },
      { key: 'category', label: fl('category', 'request'), render: (x) => L('request_category', x.category) },
      { key: 'received_at', label: fl('received_at', 'request'), render: (x) => fmtTime(x.received_at) },
      { key: 'state', label: fl('state', 'request'), render: (x) => stateBadge(x.state) },
      { key: 'due_at', label: t('rq_due'), render: (x) => [x.due_at ? fmtTime(x.due_at) : '', ' ', clockBadge(x.clock)] },
    ],
  }));
}
