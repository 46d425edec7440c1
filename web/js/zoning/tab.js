// The 提前介入 tab of an enterprise: its pre-consultations (project, industry, verdict, when),
// newest first, each linking to its page with the notice.
import { get, qs } from '../api.js';
import { t, fl } from '../i18n.js';
import { h, simpleTable, sectionHead, fmtTime } from '../ui.js';
import { verdictBadge } from './common.js';

export async function renderTab(e, box) {
  const r = await get(`/api/v1/zoning/consults${qs({ enterprise_id: e.id, limit: 200, sort: '-id' })}`);
  box.replaceChildren(sectionHead(t('zn_consults_title')), simpleTable({
    testid: 'zoning-tab',
    rows: r.items || [],
    empty: t('zn_no_consults'),
    columns: [
      { key: 'project_name', label: fl('project_name', 'zoning_consult'), primary: true, render: (c) => h('a', { href: `#/zoning/consults/${c.id}` }, c.project_name) },
      { key: 'industry', label: fl('industry', 'zoning_consult') },
      { key: 'verdict', label: fl('verdict', 'zoning_consult'), render: (c) => verdictBadge(c.verdict) },
      { key: 'created_at', label: fl('created_at', 'zoning_consult'), render: (c) => fmtTime(c.created_at) },
    ],
  }));
}
