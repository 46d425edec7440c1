// The 行政处罚 tab of an enterprise: its penalty cases (state, outcome, fine, dates, number),
// newest first, each linking to its case page.
import { get, qs } from '../api.js';
import { t } from '../i18n.js';
import { h, simpleTable, sectionHead } from '../ui.js';
import { statusBadge, outcomeBadge, yuan } from './common.js';

export async function renderTab(e, box) {
  const r = await get(`/api/v1/penalty/cases${qs({ enterprise_id: e.id, limit: 200, sort: 'filed_on', order: 'desc' })}`);
  box.replaceChildren(sectionHead(t('pen_cases')), simpleTable({
    testid: 'penalty-tab',
    rows: r.items || [],
    empty: t('pen_none'),
    columns: [
      { key: 'title', label: t('pen_type'), primary: true, render: (c) => h('a', { href: `#/penalty/cases/${c.id}` }, c.title || c.violation_type) },
      { key: 'status', label: t('pen_status'), render: (c) => statusBadge(c.status) },
      { key: 'outcome', label: t('pen_outcome'), render: (c) => outcomeBadge(c.outcome) },
      { key: 'amount_yuan', label: t('pen_amount'), cls: 'num', render: (c) => (c.outcome === 'penalty' ? yuan(c.amount_yuan) : '—') },
      { key: 'filed_on', label: t('pen_filed_on') },
      { key: 'decided_on', label: t('pen_decided_on') },
      { key: 'decision_no', label: t('pen_decision_no') },
    ],
  }));
}
