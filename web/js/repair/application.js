// One credit repair application: the enterprise, the event and its reason, the statement and the
// evidence files, the conditions when filed and as they stand now (a grant checks them again),
// the case with its deadline; the legal section grants (the event is revoked, the grade
// recomputed — shown here — and the publication withdrawn) or refuses with reasons; the
// enterprise may withdraw while it is under review.
import { get, post, upload } from '../api.js';
import { t, fl } from '../i18n.js';
import { can, session } from '../session.js';
import { h, pageHead, sectionHead, kvGrid, form, modal, toast, btn, fmtTime, fmtSize, confirmDialog, errorBanner } from '../ui.js';
import { gradeBadge } from '../credit/shared.js';
import { conditionList, stateBadge, evLabel } from './common.js';

function decideDialog(app, decision, reload) {
  let m;
  const grant = decision === 'grant';
  const f = form({
    cols: 1, testid: 'repair-decide-form', submitLabel: grant ? t('rp_grant') : t('rp_refuse'), submitTestid: 'repair-decide-submit',
    fields: [{ name: 'reason', label: grant ? t('rp_reason_opt') : t('rp_reason'), type: 'textarea', required: !grant, maxlength: 4000, testid: 'repair-reason' }],
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      await post(`/api/v1/repair/applications/${app.id}/decision`, { decision, ...(v.reason ? { reason: v.reason } : {}) });
      m.close();
      toast(grant ? t('rp_granted_ok') : t('rp_refused_ok'));
      reload();
    },
  });
  m = modal({ title: grant ? t('rp_grant_title') : t('rp_refuse_title'), dismissable: false, testid: 'repair-decide-dialog',
    body: h('div', {}, grant ? h('p', { class: 'notice' }, t('rp_grant_note')) : null, f.el) });
  m.el.querySelector('.modal-foot').hidden = true;
}

function attachmentList(items, app, reload) {
  const mine = session.user?.role === 'enterprise' && app.state === 'filed';
  const input = h('input', { type: 'file', accept: 'application/pdf,image/png,image/jpeg', 'data-testid': 'repair-add-file', style: { display: 'none' } });
  input.addEventListener('change', async () => {
    if (!input.files[0]) return;
    const fd = new FormData();
    fd.append('file', input.files[0]);
    try { await upload(`/api/v1/attachments?entity=credit_repair&entity_id=${app.id}`, fd); toast(t('saved')); reload(); } catch (e) { toast(e, 'error'); }
  });
  return h('div', {},
    items.length ? h('ul', { 'data-testid': 'repair-attachments' }, items.map((a) => h('li', {},
      h('a', { href: `/api/v1/attachments/${a.id}/content`, target: '_blank', rel: 'noopener' }, a.name), ` (${fmtSize(a.size)})`)))
      : h('p', { class: 'muted' }, t('rp_no_attachments')),
    mine ? [input, btn(`+ ${t('rp_files')}`, () => input.click(), { small: true, testid: 'repair-add-file-btn' })] : null);
}

export async function render(ctx) {
  const { main, params } = ctx;
  const id = params.id;
  ctx.setTitle(`${t('rp_title')} #${id}`);
  const reload = () => render(ctx);
  let d, files, credit;
  try {
    d = await get(`/api/v1/repair/applications/${id}`);
    [files, credit] = await Promise.all([
      get(`/api/v1/attachments?entity=credit_repair&entity_id=${id}`),
      get(`/api/v1/credit/enterprises/${d.application.enterprise_id}`),
    ]);
  } catch (e) {
    main.replaceChildren(pageHead(`${t('rp_title')} #${id}`), errorBanner(e));
    return;
  }
  const a = d.application;
  const actions = [];
  if (a.state === 'filed' && can('repair.decide')) {
    actions.push(btn(t('rp_grant'), () => decideDialog(a, 'grant', reload), { primary: true, testid: 'repair-grant' }),
      btn(t('rp_refuse'), () => decideDialog(a, 'refuse', reload), { danger: true, testid: 'repair-refuse' }));
  }
  if (a.state === 'filed' && can('repair.apply')) {
    actions.push(btn(t('rp_withdraw'), async () => {
      if (!(await confirmDialog(t('rp_withdraw_confirm'), { danger: true }))) return;
      await post(`/api/v1/repair/applications/${a.id}/withdraw`, {});
      toast(t('rp_withdrawn_ok'));
      reload();
    }, { testid: 'repair-withdraw' }));
  }
  const s = credit.subject;
  const staff = session.user?.role !== 'enterprise';
  const head = kvGrid([
    [fl('enterprise_name', 'credit_repair'), staff ? h('a', { href: `#/enterprises/${a.enterprise_id}?tab=credit` }, a.enterprise_name) : a.enterprise_name],
    [fl('state', 'credit_repair'), stateBadge(a.state, 'repair-state')],
    [t('rp_event'), `${evLabel(a.event_type)} · ${a.event_occurred_on}${a.event_revoked_at ? ` · ${t('rp_revoked')}` : ''}`],
    [t('rp_event_reason'), a.event_reason],
    [fl('filed_on', 'credit_repair'), `${a.filed_on}${a.filed_by_name ? ` · ${a.filed_by_name}` : ''}`],
    a.state === 'filed' && a.due_at ? [t('rp_due'), fmtTime(a.due_at)] : null,
    a.decided_on ? [fl('decided_on', 'credit_repair'), `${a.decided_on}${a.decided_by_name ? ` · ${a.decided_by_name}` : ''}`] : null,
    a.decision_reason ? [fl('decision_reason', 'credit_repair'), h('span', { 'data-testid': 'repair-decision-reason' }, a.decision_reason)] : null,
    [t('rp_case'), a.case_id ? h('a', { href: `#/cases/${a.case_id}`, 'data-testid': 'repair-case-link' }, `#${a.case_id}`) : '—'],
    [t('rp_rule'), a.rule_set_id ? h('a', { href: `#/admin/rules/${a.rule_set_id}` }, t('rp_rule_v', { v: a.rule_version })) : '—'],
    [a.state === 'granted' ? t('rp_grade_after') : t('rp_grade_now'), h('span', {}, gradeBadge(s.grade, credit.rule, 'repair-grade-badge'),
      s.score === null || s.score === undefined ? null : h('span', { class: 'muted', style: { marginLeft: '6px' }, 'data-testid': 'repair-score' }, String(s.score)))],
  ], 'repair-head');
  main.replaceChildren(...[
    pageHead(`${t('rp_title')} #${a.id}`, ...actions), head,
    sectionHead(t('rp_statement')), h('p', { 'data-testid': 'repair-statement-text', style: { whiteSpace: 'pre-wrap' } }, a.statement),
    sectionHead(t('rp_attachments')), attachmentList(files.items || [], a, reload),
    ...(d.check_now ? [sectionHead(t('rp_conditions_now')), conditionList(d.check_now.conditions, 'repair-now')] : []),
    sectionHead(a.state === 'filed' ? t('rp_conditions_at_filing') : t('rp_conditions')), conditionList(a.conditions, 'repair-filed')]);
}
