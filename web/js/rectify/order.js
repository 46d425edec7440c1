// The rectification order page: the problem and the order (requirement, deadline, clock,
// verifier, its case), the submissions with their verdicts, the evidence attachments, and the
// actions the user may take now — the enterprise submits (or resubmits) its evidence with
// files; the verifier verifies or returns it with a reason; a leader closes an order not
// rectified (POST /api/v1/rectify/orders/{id}/…).
import { get, post, upload } from '../api.js';
import { t, label } from '../i18n.js';
import { role, session } from '../session.js';
import { h, pageHead, kvGrid, btn, toast, fmtTime, fmtSize, simpleTable, errorBanner } from '../ui.js';
import { clockBadge } from '../cases/shared.js';
import { statusLabel, dueCell } from './board.js';

async function uploadFiles(id, files) {
  for (const f of files) {
    const fd = new FormData();
    fd.append('entity', 'rectify_order');
    fd.append('entity_id', String(id));
    fd.append('file', f, f.name);
    await upload('/api/v1/attachments', fd);
  }
}

function actionBox(o, reload) {
  const me = session.user || {};
  const r = role();
  const err = h('div');
  const guard = (fn) => async () => {
    err.replaceChildren();
    try { await fn(); } catch (e) { err.replaceChildren(errorBanner(e, 'action-error')); }
  };
  if (r === 'enterprise' && ['issued', 'returned'].includes(o.status)) {
    const text = h('textarea', { name: 'evidence', rows: 5, maxlength: 4000, placeholder: t('rf_evidence_ph'), 'data-testid': 'evidence-text' });
    const files = h('input', { type: 'file', multiple: true, accept: 'image/*,application/pdf', 'data-testid': 'evidence-files', 'aria-label': t('rf_files') });
    return h('section', { class: 'panel', 'data-testid': 'submit-box' }, h('h2', {}, o.status === 'returned' ? t('rf_resubmit') : t('rf_submit')),
      h('label', { class: 'field' }, h('span', {}, t('rf_evidence')), text),
      h('label', { class: 'field' }, h('span', {}, t('rf_files')), files), err,
      btn(o.status === 'returned' ? t('rf_resubmit') : t('rf_submit'), guard(async () => {
        const picked = [...files.files];
        if (picked.length) await uploadFiles(o.id, picked);
        await post(`/api/v1/rectify/orders/${o.id}/submit`, { evidence: text.value.trim() });
        toast(t('rf_submitted'));
        reload();
      }), { primary: true, testid: 'evidence-submit' }));
  }
  const verifier = r === 'leader' || (r === 'inspector' && (!o.verifier_user_id || o.verifier_user_id === me.id));
  if (verifier && o.status === 'submitted') {
    const note = h('textarea', { name: 'note', rows: 3, maxlength: 4000, placeholder: t('rf_verify_note'), 'data-testid': 'verdict-text' });
    return h('section', { class: 'panel', 'data-testid': 'verify-box' }, h('h2', {}, t('rf_verify')),
      h('p', { class: 'muted small' }, t('rf_credit_note')), note, err,
      h('div', { class: 'toolbar' },
        btn(t('rf_verify'), guard(async () => {
          await post(`/api/v1/rectify/orders/${o.id}/verify`, { note: note.value.trim() || undefined });
          toast(t('rf_verified'));
          reload();
        }), { primary: true, testid: 'order-verify' }),
        btn(t('rf_return'), guard(async () => {
          await post(`/api/v1/rectify/orders/${o.id}/return`, { reason: note.value.trim() });
          toast(t('rf_returned'));
          reload();
        }), { danger: true, testid: 'order-return' })));
  }
  if (r === 'leader' && ['issued', 'returned'].includes(o.status)) {
    const reason = h('input', { type: 'text', name: 'reason', maxlength: 4000, placeholder: t('rf_close_reason'), 'data-testid': 'close-reason' });
    return h('section', { class: 'panel' }, h('h2', {}, t('rf_close')), reason, err,
      btn(t('rf_close'), guard(async () => {
        await post(`/api/v1/rectify/orders/${o.id}/close`, { reason: reason.value.trim() });
        toast(t('rf_closed'));
        reload();
      }), { danger: true, testid: 'order-close' }));
  }
  return null;
}

export async function render(ctx) {
  const { main } = ctx;
  const id = Number(ctx.params.id);
  const load = async () => {
    const [o, att] = await Promise.all([get(`/api/v1/rectify/orders/${id}`),
      get(`/api/v1/attachments?entity=rectify_order&entity_id=${id}`).catch(() => ({ items: [] }))]);
    if (!ctx.isCurrent()) return;
    ctx.setTitle(t('rf_order_title', { id }));
    const files = att.items || [];
    main.replaceChildren(
      pageHead(t('rf_order_title', { id }), o.case_id && role() !== 'enterprise' ? h('a', { class: 'btn', href: `#/cases/${o.case_id}` }, t('rf_case')) : null),
      h('div', { class: 'card', 'data-testid': 'order-summary', 'data-status': o.status },
        kvGrid([
          [t('rf_enterprise'), o.enterprise_name],
          [t('rf_problem'), o.problem_description || '—'],
          [t('rf_level'), o.level ? label('problem_level', o.level) : '—'],
          [t('rf_clause'), o.clause || '—'],
          [t('rf_found_on'), o.found_on || '—'],
          [t('rf_requirement'), o.requirement],
          [t('rf_issued'), fmtTime(o.created_at)],
          [t('rf_workdays'), String(o.workdays)],
          [t('rf_due'), dueCell(o)],
          [t('rf_clock'), h('span', {}, clockBadge(o.clock, 'order-clock'), o.escalated_at ? h('span', { class: 'badge red' }, ` ${t('rf_escalated')}`) : null)],
          [t('rf_status'), h('strong', { 'data-testid': 'order-status' }, statusLabel(o.status))],
          [t('rf_verifier'), o.verifier_name || '—'],
          [t('rf_problem_status'), o.problem_status ? label('problem_status', o.problem_status) : '—'],
        ], 'order-kv')),
      actionBox(o, load) || '',
      h('section', { class: 'panel' }, h('h2', {}, t('rf_history')),
        o.submissions.length ? simpleTable({
          testid: 'submissions-table',
          columns: [
            { key: 'seq', label: '#', render: (s) => t('rf_seq', { n: s.seq }) },
            { key: 'evidence', label: t('rf_evidence') },
            { key: 'submitted_at', label: t('rf_submitted_at'), render: (s) => h('span', {}, fmtTime(s.submitted_at), ' ', s.submitted_by_name, s.late ? h('span', { class: 'badge amber' }, t('rf_late')) : null) },
            { key: 'verdict', label: t('rf_status'), render: (s) => h('span', { 'data-testid': `verdict-${s.seq}` }, s.verdict ? label('rectify_verdict', s.verdict) : t('rf_verdict_wait'),
              s.verdict_reason ? h('div', { class: 'small muted' }, s.verdict_reason) : null, s.verdict_at ? h('div', { class: 'small muted' }, `${s.verdict_by_name} ${fmtTime(s.verdict_at)}`) : null) },
          ],
          rows: o.submissions,
        }) : h('p', { class: 'muted' }, t('rf_no_submissions'))),
      h('section', { class: 'panel' }, h('h2', {}, t('rf_attachments')),
        files.length ? h('ul', { 'data-testid': 'order-attachments' }, files.map((a) => h('li', {},
          h('a', { href: `/api/v1/attachments/${a.id}/content` }, a.name), ` (${fmtSize(a.size)}) `, h('span', { class: 'muted small' }, a.uploaded_by || ''))))
          : h('p', { class: 'muted' }, t('rf_no_attachments'))));
  };
  await load();
}
