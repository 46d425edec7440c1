// One request (#/requests/:id): what was reported, by which channel, where, the contact (staff
// only; none when anonymous), a possible repeat's original, photos and evidence, the case's
// deadline and escalation, the timeline with every step and note, and the workflow actions the
// user's role may take in this state — each a dialog asking for what the step needs (the reason,
// the competent body, the unit and officer, the answer for the complainant, the rating).
import { get, post, upload } from '../api.js';
import { t, fl } from '../i18n.js';
import { can, session } from '../session.js';
import { h, pageHead, sectionHead, kvGrid, form, modal, toast, btn, fmtTime, fmtSize, errorBanner } from '../ui.js';
import { L, stateBadge, clockBadge } from './common.js';
import { orgUnits } from '../codes.js';

// The actions out of each state (src/request/request.c's table) and what each asks for.
const STEPS = {
  received: ['accept', 'reject', 'refer'],
  accepted: ['dispatch'],
  handling: ['note', 'site_visit', 'dispatch', 'request_extension', 'close'],
  extension_requested: ['approve_extension', 'deny_extension'],
  closed: ['follow_up', 'reopen'],
  rated: ['reopen'],
};
const LEADER_ONLY = new Set(['approve_extension', 'deny_extension']);

async function fieldsOf(action, req) {
  const note = (required) => ({ name: 'note', label: fl('note', 'request'), type: 'textarea', required, maxlength: 4000, testid: 'act-note' });
  switch (action) {
    case 'reject': case 'request_extension': case 'deny_extension': case 'reopen': case 'note': return [note(true)];
    case 'refer': return [{ name: 'referred_to', label: fl('referred_to', 'request'), required: true, maxlength: 200, testid: 'act-referred-to' }, note(false)];
    case 'dispatch': {
      const units = (await orgUnits()).filter((u) => u.status !== 'inactive');
      return [{ name: 'org_unit_id', label: t('rq_unit_auto'), type: 'select', options: units.map((u) => [u.id, u.name]), testid: 'act-unit' },
        { name: 'assignee_user_id', label: t('rq_officer_auto'), type: 'integer', min: 1, testid: 'act-officer' }, note(false)];
    }
    case 'site_visit': return [note(false), ...(req.enterprise_id ? [{ name: 'inspect', label: t('rq_make_task'), type: 'checks', options: [['1', t('rq_make_task')]], testid: 'act-inspect' }] : [])];
    case 'approve_extension': return [{ name: 'extension', label: t('rq_ext_days'), type: 'integer', required: true, min: 1, max: 365, testid: 'act-extension' }, note(false)];
    case 'close': return [{ name: 'answer', label: t('rq_answer_public'), type: 'textarea', required: true, rows: 6, maxlength: 4000, testid: 'act-answer' }, note(false)];
    case 'follow_up': return [{ name: 'satisfaction', label: t('rq_rating'), type: 'select', required: true, options: [5, 4, 3, 2, 1].map((n) => [n, '★'.repeat(n)]), testid: 'act-rating' }, note(false)];
    default: return [];
  }
}

async function actDialog(req, action, reload) {
  const fields = await fieldsOf(action, req);
  const send = async (v) => {
    const body = { action };
    for (const [k, x] of Object.entries(v)) {
      if (x === '' || x === undefined || x === null || (Array.isArray(x) && !x.length)) continue;
      body[k] = ['org_unit_id', 'assignee_user_id', 'extension', 'satisfaction'].includes(k) ? Number(x) : k === 'inspect' ? true : x;
    }
    await post(`/api/v1/requests/${req.id}/actions`, body);
    toast(t('rq_done'));
    reload();
  };
  if (!fields.length) return send({});
  let m;
  const f = form({ cols: 1, fields, submitLabel: t(`rq_act_${action}`), submitTestid: 'act-submit', onCancel: () => m.close(),
    onSubmit: async (v) => { await send(v); m.close(); } });
  m = modal({ title: t(`rq_act_${action}`), body: f.el, testid: 'act-dialog', dismissable: false });
  m.el.querySelector('.modal-foot').hidden = true;
}

function files(items, req, reload) {
  const input = h('input', { type: 'file', accept: 'application/pdf,image/png,image/jpeg', 'data-testid': 'rq-add-file', style: { display: 'none' } });
  input.addEventListener('change', async () => {
    if (!input.files[0]) return;
    const fd = new FormData();
    fd.append('file', input.files[0]);
    try { await upload(`/api/v1/attachments?entity=request&entity_id=${req.id}`, fd); toast(t('rq_done')); reload(); } catch (e) { toast(e, 'error'); }
  });
  return h('div', {},
    items.length ? h('ul', { 'data-testid': 'rq-files' }, items.map((a) => h('li', {},
      h('a', { href: `/api/v1/attachments/${a.id}/content`, target: '_blank', rel: 'noopener' }, a.name), ` (${fmtSize(a.size)})`)))
      : h('p', { class: 'muted' }, t('rq_no_files')),
    can('request.act') ? [input, btn(`+ ${t('rq_upload')}`, () => input.click(), { small: true, testid: 'rq-add-file-btn' })] : null);
}

export async function render(ctx) {
  const { main, params } = ctx;
  const reload = () => render(ctx);
  let d, att = { items: [] };
  try {
    d = await get(`/api/v1/requests/${params.id}`);
    if (can('request.act')) att = await get(`/api/v1/attachments?entity=request&entity_id=${params.id}`);
  } catch (e) {
    main.replaceChildren(errorBanner(e));
    return;
  }
  const r = d.request;
  ctx.setTitle(`${r.tracking_code} · ${t('rq_title')}`);
  const role = session.user?.role;
  const steps = can('request.act') ? (STEPS[r.case_state] || []).filter((a) => !LEADER_ONLY.has(a) || role === 'leader' || role === 'admin') : [];
  const actions = steps.map((a) => btn(t(`rq_act_${a}`), () => actDialog(r, a, reload), { testid: `act-${a}`, primary: ['accept', 'dispatch', 'close'].includes(a) }));
  const contact = r.anonymous ? t('rq_anonymous_yes') : [r.contact_name, r.contact_phone, r.contact_email].filter(Boolean).join(' · ');
  main.replaceChildren(
    pageHead(`${r.tracking_code} · ${r.title}`, ...actions),
    h('section', { class: 'panel' }, kvGrid([
      [fl('state', 'request'), stateBadge(r.state, 'rq-state')],
      [fl('kind', 'request'), L('request_kind', r.kind)],
      [fl('category', 'request'), L('request_category', r.category)],
      [fl('channel', 'request'), L('request_channel', r.channel)],
      [fl('received_at', 'request'), fmtTime(r.received_at)],
      [t('rq_accept_due'), r.accept_due_at ? fmtTime(r.accept_due_at) : ''],
      [t('rq_due'), h('span', {}, r.due_at ? fmtTime(r.due_at) : '', ' ', clockBadge(r.clock), r.escalated_at ? h('span', { class: 'badge red', 'data-testid': 'rq-escalated' }, t('rq_escalated')) : '')],
      [fl('region_code', 'request'), r.region_name || r.region_code],
      r.enterprise_name ? [fl('enterprise_id', 'request'), h('a', { href: `#/enterprises/${r.enterprise_id}` }, r.enterprise_name)] : null,
      [fl('address', 'request'), r.address],
      r.lat !== null ? ['WGS 84', `${r.lat}, ${r.lng}`] : null,
      r.repeat_of ? [t('rq_repeat'), h('a', { href: `#/requests/${r.repeat_of}`, 'data-testid': 'rq-repeat-of' }, t('rq_repeat_of', { code: r.repeat_of_code }))] : null,
      [t('rq_contact'), contact],
      [fl('org_unit_id', 'request'), r.org_unit_name || ''],
      [fl('assignee_user_id', 'request'), r.assignee_name || ''],
      r.inspect_task_id ? [t('rq_inspect_task', { id: r.inspect_task_id }), h('a', { href: `#/inspect/tasks/${r.inspect_task_id}` }, `#${r.inspect_task_id}`)] : null,
      r.case_id ? [t('rq_case', { id: r.case_id }), h('a', { href: `#/cases/${r.case_id}` }, `#${r.case_id}`)] : null,
      r.rule_set_id ? ['request.clocks', h('a', { href: `#/admin/rules/${r.rule_set_id}` }, t('rq_rule', { v: r.rule_version }))] : null,
      [fl('description', 'request'), h('div', { style: { whiteSpace: 'pre-wrap' } }, r.description), { wide: true }],
      r.answer ? [fl('answer', 'request'), h('div', { style: { whiteSpace: 'pre-wrap' }, 'data-testid': 'rq-answer' }, r.answer), { wide: true }] : null,
      r.reject_reason ? [t('rq_act_reject'), r.reject_reason] : null,
      r.referred_to ? [fl('referred_to', 'request'), r.referred_to] : null,
      r.satisfaction ? [fl('satisfaction', 'request'), '★'.repeat(r.satisfaction)] : null,
    ], 'rq-facts')),
    sectionHead(t('rq_files')), h('section', { class: 'panel' }, files(att.items || [], r, reload)),
    sectionHead(t('rq_timeline')),
    h('section', { class: 'panel' }, h('ol', { class: 'timeline', 'data-testid': 'rq-timeline' }, d.timeline.map((e) => h('li', {},
      h('strong', {}, L('request_action', e.action) || e.action), ` · ${fmtTime(e.at)} · ${e.actor || ''}`,
      e.to_state ? [' → ', L('request_state', e.to_state)] : '', e.note ? h('div', { class: 'muted', style: { whiteSpace: 'pre-wrap' } }, e.note) : '')))));
}
