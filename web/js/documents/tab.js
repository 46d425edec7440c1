// 文书 (official documents) of one enterprise, for the enterprise page: the letters issued to it
// with their number, date and issuing unit, each downloadable (PDF) and with its public
// verification page (扫码验真) — renderTab; and the action on a permit row that issues its
// expiry reminder letter — permitAction (module.js: enterpriseTabs, permitActions).
import { get, post } from '../api.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import { h, simpleTable, sectionHead, toast, btn, confirmDialog, daysUntil } from '../ui.js';

// Permits due within the warn_days of the permit.expiry rule set in force for the enterprise's
// region may get the letter (the server decides the same way); looked up once per enterprise.
// Before the answer comes, and for permits outside the schema's 365-day maximum, no button.
const WINDOW_MAX = 365;
const windows = new Map();
function warnDays(enterpriseId) {
  if (!windows.has(enterpriseId)) {
    windows.set(enterpriseId, get(`/api/v1/enterprises/${enterpriseId}`)
      .then((e) => get(`/api/v1/rules/resolve?kind=permit.expiry&region=${encodeURIComponent(e.region_code || '')}`))
      .then((v) => Number(v.body?.warn_days) || 0)
      .catch(() => 0));
  }
  return windows.get(enterpriseId);
}

// "permit.expiry 第 3 版" of a document that records its rule set (a link for staff).
function ruleCell(r) {
  if (!r.rule_set_id) return '—';
  const text = t('doc_rule_ref', { kind: r.rule_kind, v: r.rule_version });
  return can('staff') ? h('a', { href: `#/admin/rules/${r.rule_set_id}`, 'data-testid': `doc-rule-${r.id}` }, text)
    : h('span', { 'data-testid': `doc-rule-${r.id}` }, text);
}

export async function renderTab(e, box, ctx, alive) {
  const rows = (await get(`/api/v1/enterprises/${e.id}/documents`)).items || [];
  if (!alive()) return;
  const table = simpleTable({
    testid: 'documents-table',
    empty: t('doc_none'),
    columns: [
      { key: 'number', label: t('doc_number'), cls: 'nowrap' },
      {
        key: 'title', label: t('doc_title'),
        render: (r) => h('a', { href: `/api/v1/attachments/${r.attachment_id}/content`, download: `${r.number}.pdf`, 'data-testid': `document-${r.id}` }, r.title),
      },
      { key: 'issue_date', label: t('doc_issue_date'), cls: 'nowrap' },
      { key: 'org_unit_name', label: t('doc_org_unit') },
      { key: 'rule_set_id', label: t('doc_rule'), cls: 'nowrap', render: ruleCell },
      {
        key: 'verify', label: t('doc_verify'), cls: 'nowrap',
        render: (r) => h('a', { href: `/verify/${r.verify_token}`, target: '_blank', rel: 'noopener', 'data-testid': `verify-${r.id}` }, t('doc_verify_link')),
      },
    ],
    rows,
  });
  box.replaceChildren(sectionHead(`${t('tab_documents')}（${rows.length}）`, h('span', { class: 'muted' }, t('doc_hint'))), table);
}

// The "发提醒函" button of a permit row, for the roles that may issue it, while the permit is
// active and due; null otherwise. done() runs after the letter was issued.
export function permitAction(permit, done) {
  const left = daysUntil(permit.valid_to);
  if (!can('document.issue') || permit.status !== 'active' || left < 0 || left > WINDOW_MAX) return null;
  const b = btn(t('doc_remind'), async () => {
    if (!(await confirmDialog(t('doc_remind_confirm', { n: permit.number }), { okLabel: t('doc_remind') }))) return;
    try {
      const r = await post(`/api/v1/permits/${permit.id}/reminder`);
      toast(t('doc_reminded', { n: r.number }));
      done?.();
    } catch (err) {
      toast(err, 'error');
    }
  }, { small: true, testid: `remind-${permit.id}` });
  b.hidden = true;
  warnDays(permit.enterprise_id).then((days) => { b.hidden = left > days; });
  return b;
}
