// 信用修复, the enterprise user's own page: its grade now, the credit events the rule set in force
// lets it repair, each with the conditions checked now (met or not, with their values); the
// apply dialog shows them item by item and takes a statement and evidence files (attachments of
// the application); then its applications and their state.
import { get, post, upload, qs } from '../api.js';
import { t, fl } from '../i18n.js';
import { session } from '../session.js';
import { h, pageHead, sectionHead, simpleTable, dataTable, form, modal, toast, btn, fmtTime, errorBanner } from '../ui.js';
import { gradeBadge } from '../credit/shared.js';
import { conditionList, summaryChips, stateBadge, evLabel } from './common.js';

function applyDialog(item, rule, reload) {
  let m;
  const check = item.check;
  const may = check.all_ok || rule.file_when_failing;
  const files = h('input', { type: 'file', multiple: true, accept: 'application/pdf,image/png,image/jpeg', 'data-testid': 'repair-files' });
  const fileField = { el: files, input: files, get: () => [...files.files], set: () => {}, focus: () => files.focus() };
  const f = form({
    cols: 1, testid: 'repair-apply-form', submitLabel: t('rp_apply'), submitTestid: 'repair-submit',
    fields: [
      { name: 'statement', label: fl('statement', 'credit_repair'), type: 'textarea', required: true, maxlength: 4000, rows: 5, testid: 'repair-statement' },
      { name: 'files', label: t('rp_files'), type: 'custom', component: fileField },
    ],
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const app = await post('/api/v1/repair/applications', { event_id: item.id, statement: v.statement });
      for (const file of v.files || []) {
        const fd = new FormData();
        fd.append('file', file);
        await upload(`/api/v1/attachments?entity=credit_repair&entity_id=${app.id}`, fd);
      }
      m.close();
      toast(t('rp_filed_ok', { n: rule.decide_workdays }));
      reload();
    },
  });
  const verdict = h('p', { class: check.all_ok ? 'ok' : 'notice warn', 'data-testid': 'repair-verdict' },
    check.all_ok ? t('rp_all_ok') : may ? t('rp_not_all_ok_may') : t('rp_not_all_ok'));
  const body = h('div', {},
    h('p', {}, h('strong', {}, `${evLabel(item.type)} · ${item.occurred_on}`)),
    h('h3', {}, t('rp_conditions')), conditionList(check.conditions, 'repair-conditions'), verdict,
    may ? f.el : null);
  m = modal({ title: t('rp_apply_title'), body, wide: true, dismissable: false, testid: 'repair-apply-dialog' });
  if (may) m.el.querySelector('.modal-foot').hidden = true;
}

function eventsTable(data, reload) {
  return simpleTable({
    testid: 'repair-events', empty: t('rp_no_events'),
    columns: [
      { key: 'occurred_on', label: fl('event_occurred_on', 'credit_repair'), cls: 'nowrap' },
      { key: 'type', label: fl('event_type', 'credit_repair'), primary: true, render: (r) => evLabel(r.type) },
      { key: 'check', label: t('rp_conditions'), render: (r) => summaryChips(r.check, `repair-chips-${r.id}`) },
      { key: 'min_until', label: t('rp_min_until'), cls: 'nowrap', render: (r) => (r.check.min_until ? `≥ ${r.check.min_until}` : '') },
      { key: 'apps', label: t('rp_apps'), render: (r) => {
        const last = (r.applications || [])[0];
        return last ? h('a', { href: `#/repair/${last.id}` }, t('rp_last_app', { id: last.id, s: '' }), stateBadge(last.state)) : '';
      } },
      { key: 'act', label: t('actions'), cls: 'actions nowrap', render: (r) => {
        const open = (r.applications || []).find((a) => a.state === 'filed');
        if (open) return h('span', { class: 'muted' }, t('rp_open_app', { id: open.id }));
        return btn(r.check.all_ok ? t('rp_apply') : t('rp_check'), () => applyDialog(r, data.rule, reload),
          { small: true, primary: r.check.all_ok, testid: `repair-apply-${r.id}` });
      } },
    ],
    rows: data.items || [],
  });
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('rp_mine_title'));
  const ent = session.user?.enterprise_id;
  const reload = () => render(ctx);
  let data, credit;
  try {
    [data, credit] = await Promise.all([get('/api/v1/repair/events'), get(`/api/v1/credit/enterprises/${ent}`)]);
  } catch (e) {
    main.replaceChildren(pageHead(t('rp_mine_title')), errorBanner(e));
    return;
  }
  const apps = dataTable({
    testid: 'repair-apps', sort: '-filed_on',
    fetch: (p) => get(`/api/v1/repair/applications${qs(p)}`),
    onRow: (r) => ctx.navigate(`/repair/${r.id}`),
    rowTestid: (r) => `repair-app-${r.id}`,
    columns: [
      { key: 'id', label: t('rp_app_no'), render: (r) => h('a', { href: `#/repair/${r.id}` }, `#${r.id}`) },
      { key: 'event_type', label: fl('event_type', 'credit_repair'), sort: 'event_type', primary: true, render: (r) => evLabel(r.event_type) },
      { key: 'event_occurred_on', label: fl('event_occurred_on', 'credit_repair'), sort: 'event_occurred_on', cls: 'nowrap' },
      { key: 'filed_on', label: fl('filed_on', 'credit_repair'), sort: 'filed_on', cls: 'nowrap' },
      { key: 'state', label: fl('state', 'credit_repair'), sort: 'state', render: (r) => stateBadge(r.state, `repair-app-state-${r.id}`) },
      { key: 'due_at', label: t('rp_due'), cls: 'nowrap', render: (r) => (r.state === 'filed' && r.due_at ? fmtTime(r.due_at) : '') },
      { key: 'decision_reason', label: fl('decision_reason', 'credit_repair') },
    ],
  });
  const s = credit.subject;
  main.replaceChildren(
    pageHead(t('rp_mine_title'), h('a', { class: 'btn', href: `#/enterprises/${ent}?tab=credit`, 'data-testid': 'repair-credit-link' }, t('rp_view_credit'))),
    h('p', { class: 'muted small' }, t('rp_mine_hint')),
    h('div', { class: 'card', 'data-testid': 'repair-grade' }, h('span', {}, `${t('rp_grade_now')}：`), gradeBadge(s.grade, credit.rule, 'repair-grade-badge'),
      s.score === null || s.score === undefined ? null : h('span', { class: 'muted', style: { marginLeft: '8px' } }, String(s.score))),
    sectionHead(`${t('rp_events')}（${(data.items || []).length}）`), eventsTable(data, reload),
    sectionHead(t('rp_apps')), apps.el);
}
