// One EIA application: the project, the site check and the route with its reasons, the class
// (staff may override it before acceptance, with a reason), the checklist with an upload per
// item (the enterprise or the window), the 容缺 items with their due dates, the clock (deadline,
// working days used and left, the pauses for experts, hearing and notice), the steps that pause
// it, acceptance (or 容缺), the one-time notice, the decision (conditions or reasons), the
// documents (decision, reminder card, notice, receipt) and the obligations after approval,
// which the enterprise marks done.
import { get, post, upload } from '../api.js';
import { t, fl, label, enumOptions } from '../i18n.js';
import { can, session } from '../session.js';
import { h, pageHead, sectionHead, kvGrid, form, modal, toast, btn, fmtTime, errorBanner, simpleTable, confirmDialog } from '../ui.js';
import { stateBadge, classLabel, routeLabel, clockBadge, assessment } from './common.js';

function dialog(title, testid, fields, submitLabel, onSubmit) {
  let m;
  const f = form({ cols: 1, testid: `${testid}-form`, submitLabel, submitTestid: `${testid}-submit`, fields,
    onCancel: () => m.close(), onSubmit: async (v) => { await onSubmit(v); m.close(); } });
  m = modal({ title, dismissable: false, testid, body: f.el });
  m.el.querySelector('.modal-foot').hidden = true;
}

function checklist(a, reload) {
  const writable = ['filed', 'notice', 'accepted'].includes(a.state) && (session.user?.role === 'enterprise' || can('approval.accept'));
  const rows = a.checklist || [];
  return simpleTable({
    testid: 'approval-checklist', rows, cards: false,
    columns: [
      { key: 'name', label: t('ap_checklist') },
      { key: 'required', label: '', render: (c) => h('span', { class: `badge ${c.required ? 'blue' : 'gray'}` }, c.required ? (c.essential ? t('ap_essential') : t('ap_required')) : t('ap_optional')) },
      { key: 'attachment_id', label: '', render: (c) => {
        const done = c.attachment_id > 0 ? h('a', { href: `/api/v1/attachments/${c.attachment_id}/content`, target: '_blank', rel: 'noopener', 'data-testid': `doc-${c.code}` }, t('ap_uploaded')) : null;
        if (!writable) return done || '—';
        const input = h('input', { type: 'file', accept: 'application/pdf,image/png,image/jpeg', style: { display: 'none' }, 'data-testid': `upload-${c.code}` });
        input.addEventListener('change', async () => {
          if (!input.files[0]) return;
          const fd = new FormData();
          fd.append('file', input.files[0]);
          try {
            const att = await upload(`/api/v1/attachments?entity=eia_application&entity_id=${a.id}`, fd);
            await post(`/api/v1/approval/applications/${a.id}/documents`, { code: c.code, attachment_id: att.id });
            toast(t('ap_saved'));
            reload();
          } catch (e) { toast(e, 'error'); }
        });
        return h('span', {}, done, ' ', input, btn(t('ap_upload'), () => input.click(), { small: true, testid: `upload-btn-${c.code}` }));
      } },
    ],
  });
}

function actionsOf(a, reload) {
  const out = [];
  const staffAccept = can('approval.accept');
  if (a.state === 'filed' && staffAccept) {
    const missing = (a.checklist || []).filter((c) => c.required && !(c.attachment_id > 0));
    out.push(btn(t('ap_accept'), async () => {
      let accept_missing = false;
      if (missing.length) {
        if (!(await confirmDialog(t('ap_accept_missing_confirm', { items: missing.map((c) => c.name).join('、') })))) return;
        accept_missing = true;
      }
      await post(`/api/v1/approval/applications/${a.id}/accept`, { accept_missing });
      toast(t('ap_accepted_ok'));
      reload();
    }, { primary: true, testid: 'approval-accept' }));
    out.push(btn(t('ap_notice'), () => dialog(t('ap_notice'), 'approval-notice', [
      { name: 'note', label: t('ap_notice_note'), type: 'textarea', maxlength: 2000, testid: 'approval-notice-note' }], t('ap_notice'),
    async (v) => { await post(`/api/v1/approval/applications/${a.id}/notice`, { note: v.note || '' }); toast(t('ap_notice_ok')); reload(); }), { testid: 'approval-notice-btn' }));
  }
  if (['filed', 'notice'].includes(a.state) && staffAccept) {
    out.push(btn(t('ap_class_override'), () => dialog(t('ap_class_override'), 'approval-class', [
      { name: 'class', label: fl('class', 'eia_application'), type: 'select', required: true, options: enumOptions('eia_class').filter(([v]) => v === 'report' || v === 'form'), testid: 'approval-class-select' },
      { name: 'reason', label: fl('class_reason', 'eia_application'), type: 'textarea', required: true, maxlength: 2000, testid: 'approval-class-reason' }], t('ap_class_override'),
    async (v) => { await post(`/api/v1/approval/applications/${a.id}/class`, v); toast(t('ap_saved')); reload(); }), { testid: 'approval-class-btn' }));
  }
  if (a.state === 'notice') {
    out.push(btn(t('ap_resubmit'), async () => { await post(`/api/v1/approval/applications/${a.id}/resubmit`, {}); toast(t('ap_saved')); reload(); }, { testid: 'approval-resubmit' }));
  }
  if (['filed', 'notice', 'accepted'].includes(a.state) && can('approval.withdraw')) {
    out.push(btn(t('ap_withdraw'), async () => {
      if (!(await confirmDialog(t('ap_withdraw_confirm'), { danger: true }))) return;
      await post(`/api/v1/approval/applications/${a.id}/withdraw`, {});
      toast(t('ap_saved'));
      reload();
    }, { testid: 'approval-withdraw' }));
  }
  if (a.state === 'accepted' && can('approval.step')) {
    const steps = { accepted: ['send_experts', 'hold_hearing', 'publish_notice'], expert_review: ['experts_done'], hearing: ['hearing_done'], public_notice: ['notice_done'] }[a.case_state] || [];
    for (const s of steps) {
      out.push(btn(label('eia_step', s), () => (s === 'hold_hearing'
        ? dialog(label('eia_step', s), 'approval-step', [{ name: 'note', label: fl('note', 'eia_application'), type: 'textarea', required: true, maxlength: 2000 }], label('eia_step', s),
          async (v) => { await post(`/api/v1/approval/applications/${a.id}/step`, { action: s, note: v.note }); reload(); })
        : post(`/api/v1/approval/applications/${a.id}/step`, { action: s }).then(reload, (e) => toast(e, 'error'))), { testid: `approval-step-${s}` }));
    }
  }
  if (a.state === 'accepted' && a.case_state === 'accepted' && can('approval.decide')) {
    out.push(btn(t('ap_approve'), () => dialog(t('ap_approve'), 'approval-approve', [
      { name: 'conditions', label: t('ap_conditions'), type: 'textarea', required: true, maxlength: 4000, rows: 5, testid: 'approval-conditions' }], t('ap_approve'),
    async (v) => { await post(`/api/v1/approval/applications/${a.id}/decision`, { decision: 'approve', conditions: v.conditions }); toast(t('ap_decided_ok')); reload(); }), { primary: true, testid: 'approval-approve-btn' }));
    out.push(btn(t('ap_reject'), () => dialog(t('ap_reject'), 'approval-reject', [
      { name: 'reason', label: t('ap_reason'), type: 'textarea', required: true, maxlength: 4000, rows: 4, testid: 'approval-reason' }], t('ap_reject'),
    async (v) => { await post(`/api/v1/approval/applications/${a.id}/decision`, { decision: 'reject', reason: v.reason }); toast(t('ap_decided_ok')); reload(); }), { danger: true, testid: 'approval-reject-btn' }));
  }
  return out;
}

const DOC_NAME = { eia_decision: '审批意见 / Approval', eia_reject: '不予批准决定书 / Refusal', eia_card: '温馨提示卡 / Reminder card', eia_notice: '一次性告知书 / One-time notice', eia_receipt: '备案回执 / Receipt' };

export async function render(ctx) {
  const { main, params } = ctx;
  const id = params.id;
  ctx.setTitle(`${t('ap_title')} #${id}`);
  const reload = () => render(ctx);
  let a;
  try { a = await get(`/api/v1/approval/applications/${id}`); } catch (e) {
    main.replaceChildren(pageHead(`${t('ap_title')} #${id}`), errorBanner(e));
    return;
  }
  const staff = session.user?.role !== 'enterprise';
  const head = kvGrid([
    [fl('enterprise_name', 'eia_application'), staff ? h('a', { href: `#/enterprises/${a.enterprise_id}` }, a.enterprise_name) : a.enterprise_name],
    [fl('state', 'eia_application'), stateBadge(a.state, 'approval-state')],
    [fl('class', 'eia_application'), h('span', { 'data-testid': 'approval-class' }, `${classLabel(a.class)}${a.class !== a.proposed_class ? `（${fl('proposed_class', 'eia_application')}：${classLabel(a.proposed_class)}；${a.class_reason}）` : ''}`)],
    [fl('route', 'eia_application'), h('span', { 'data-testid': 'approval-route' }, routeLabel(a.route))],
    [fl('industry_code', 'eia_application'), a.industry_code],
    (a.assessments || []).length > 1 ? [fl('assessments', 'eia_application'), h('span', { 'data-testid': 'approval-assessments' }, a.assessments.map((x) => label('eia_assessment', x)).join(' + '))] : null,
    [fl('investment', 'eia_application'), String(a.investment ?? '')],
    [fl('capacity', 'eia_application'), a.capacity || '—'],
    (a.bundle || []).length ? [fl('bundle', 'eia_application'), h('span', { 'data-testid': 'approval-bundle' },
      `${a.bundle.map((x) => x.name).join('、')}（${t('ap_bundle_saving', { n: a.bundle.length + 1, y: a.bundle[0].saving_yuan })}）`), { wide: true }] : null,
    [fl('park', 'eia_application'), a.park || '—'],
    [fl('preparer_agency_id', 'eia_application'), a.preparer_name || '—'],
    [fl('filed_on', 'eia_application'), a.filed_on],
    a.receipt_no ? [fl('receipt_no', 'eia_application'), h('span', { 'data-testid': 'approval-receipt' }, a.receipt_no)] : null,
    a.accepted_on ? [fl('accepted_on', 'eia_application'), a.accepted_on] : null,
    a.decided_on ? [fl('decided_on', 'eia_application'), `${a.decided_on}${a.decided_by_name ? ` · ${a.decided_by_name}` : ''}`] : null,
    a.conditions ? [t('ap_conditions'), h('span', { 'data-testid': 'approval-conditions-text' }, a.conditions), { wide: true }] : null,
    a.decision_reason ? [t('ap_reason'), a.decision_reason, { wide: true }] : null,
    a.rule_set_id ? [t('ap_rule'), h('a', { href: `#/admin/rules/${a.rule_set_id}` }, t('ap_rule_v', { v: a.rule_version }))] : null,
  ], 'approval-head');
  const clock = a.case_id ? kvGrid([
    [t('ap_clock'), clockBadge(a.clock, 'approval-clock')],
    [fl('limit_days', 'eia_application'), a.route === 'commitment' ? t('ap_limit_c', { n: a.limit_days }) : t('ap_limit_v', { n: a.limit_days, s: a.statutory_days, c: a.ratio })],
    [t('ap_due'), a.due_at ? fmtTime(a.due_at) : '—'],
    [t('ap_days_used'), String(a.days_used ?? '—')], [t('ap_days_left'), String(a.days_left ?? '—')], [t('ap_days_paused'), String(a.days_paused ?? 0)],
    [t('ap_pauses'), [...(a.pause_spans || []).map((p) => `${p.from}～${p.to}`),
      ...(a.paused_at ? [t('ap_paused_since', { d: fmtTime(new Date(a.paused_at * 1000).toISOString()) })] : [])].join('；') || '—'],
    [t('ap_case'), h('a', { href: `#/cases/${a.case_id}`, 'data-testid': 'approval-case-link' }, `#${a.case_id}`)],
    a.verify_case_id ? ['批后核查 / Verification', h('a', { href: `#/cases/${a.verify_case_id}` }, `#${a.verify_case_id}`)] : null,
  ], 'approval-clock-grid') : null;
  const missing = (a.missing || []).length ? simpleTable({ testid: 'approval-missing', rows: a.missing, cards: false, columns: [
    { key: 'name', label: t('ap_missing_items') }, { key: 'due_on', label: t('ap_due_on') },
    { key: 'received_on', label: '', render: (m) => (m.received_on ? h('span', { class: 'badge green' }, `${t('ap_received')} ${m.received_on}`) : h('span', { class: 'badge amber' }, t('ap_outstanding'))) }] }) : null;
  const docs = (a.documents || []).length ? h('ul', { 'data-testid': 'approval-documents' }, a.documents.map((d) => h('li', {},
    h('a', { href: `/api/v1/attachments/${d.attachment_id}/content`, download: `${d.number}.pdf`, 'data-testid': `approval-doc-${d.kind}` }, `${DOC_NAME[d.kind] || d.kind} ${d.number}`)))) : h('p', { class: 'muted' }, t('ap_empty'));
  const obligations = (a.obligations || []).length ? simpleTable({ testid: 'approval-obligations', rows: a.obligations, cards: false, columns: [
    { key: 'title', label: t('ap_obligations') }, { key: 'due_on', label: t('ap_due') },
    { key: 'done_on', label: '', render: (o) => (o.done_on ? t('ap_done_on', { d: o.done_on }) : can('approval.obligation')
      ? btn(t('ap_done'), async () => { await post(`/api/v1/approval/obligations/${o.id}/done`, {}); toast(t('ap_saved')); reload(); }, { small: true, testid: `obligation-done-${o.id}` }) : '—') }] }) : h('p', { class: 'muted' }, t('ap_no_obligations'));
  main.replaceChildren(...[
    pageHead(`${a.project_name}`, ...actionsOf(a, reload)), head,
    clock ? sectionHead(t('ap_clock')) : null, clock,
    sectionHead(t('ap_zoning')), assessment({ ...a, zoning: a.zoning, reasons: a.route_reasons, proposal: null, compression: a.ratio }, 'approval-assess'),
    sectionHead(t('ap_checklist')), checklist(a, reload),
    missing ? sectionHead(t('ap_missing_items')) : null, missing,
    a.notice_text ? sectionHead(t('ap_notice')) : null, a.notice_text ? h('p', { 'data-testid': 'approval-notice-text' }, a.notice_text) : null,
    sectionHead(t('ap_documents')), docs,
    sectionHead(t('ap_obligations')), obligations,
  ].filter(Boolean));
}
