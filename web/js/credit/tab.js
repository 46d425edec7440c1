// The 信用 tab of the enterprise page, for staff and for the enterprise itself: the grade in force
// with the rule-set version that made it, why it changed (each change with the events that began
// or stopped counting), the events with their effect and state, and the objections. The legal
// section files events (with evidence) and revokes them; the enterprise signs its credit
// commitment and objects to an event or a change (the objection runs as a case).
import { get, post, upload } from '../api.js';
import { t, label } from '../i18n.js';
import { can, session } from '../session.js';
import { h, simpleTable, sectionHead, kvGrid, btn, form, modal, toast, todayISO, fmtTime } from '../ui.js';
import { gradeBadge, evName, fmtPts, changeStory } from './shared.js';

const isEnterprise = () => session.user?.role === 'enterprise';

function dialog(title, fields, values, submit, testid) {
  let m;
  const f = form({ cols: 1, testid: `${testid}-form`, values, fields, onCancel: () => m.close(),
    onSubmit: async (v) => { await submit(v); m.close(); } });
  m = modal({ title, body: f.el, dismissable: false, testid });
  m.el.querySelector('.modal-foot').hidden = true;
  return f;
}

function fileInput() {
  const input = h('input', { type: 'file', accept: 'application/pdf,image/png,image/jpeg', 'data-testid': 'credit-evidence-file' });
  return { el: input, input, get: () => input.files[0] || null, set: () => {}, focus: () => input.focus() };
}

function addEventDialog(kind, e, rule, reload) {
  const types = rule?.body?.events || [];
  const file = fileInput();
  const fields = [
    { name: 'type', label: t('cr_type'), type: 'select', required: true, options: types.map((x) => [x.type, evName(x.type)]), testid: 'credit-type' },
    { name: 'occurred_on', label: t('cr_occurred'), type: 'date', required: true, testid: 'credit-occurred' },
    { name: 'points', label: t('cr_points'), type: 'number', testid: 'credit-points',
      hint: types.filter((x) => x.variable).map((x) => `${evName(x.type)}：${t('cr_points_hint', { a: x.min_points, b: x.max_points })}`).join('；') },
    { name: 'reason', label: t('cr_reason'), type: 'textarea', required: true, maxlength: 2000, testid: 'credit-reason' },
    { name: 'evidence', label: t('cr_evidence'), maxlength: 2000, testid: 'credit-evidence' },
    { name: 'file', label: t('cr_attachment'), type: 'custom', component: file },
  ];
  dialog(t('cr_add_event'), fields, { occurred_on: todayISO() }, async (v) => {
    const body = { subject_kind: kind, subject_id: e.id, type: v.type, occurred_on: v.occurred_on, reason: v.reason };
    if (v.evidence) body.evidence = v.evidence;
    if (v.points !== '' && v.points !== undefined && v.points !== null) body.points = Number(v.points);
    const f = file.get();
    if (f) {
      const fd = new FormData();
      fd.append('file', f);
      body.evidence_attachment_id = (await upload(`/api/v1/attachments?entity=${kind}&entity_id=${e.id}`, fd)).id;
    }
    await post('/api/v1/credit/events', body);
    toast(t('cr_added_ok'));
    reload();
  }, 'credit-event-dialog');
}

function revokeDialog(ev, reload) {
  dialog(`${t('cr_revoke')} · ${evName(ev.type)} ${ev.occurred_on}`,
    [{ name: 'reason', label: t('cr_revoke_reason'), type: 'textarea', required: true, maxlength: 2000, testid: 'credit-revoke-reason' }], {},
    async (v) => { await post(`/api/v1/credit/events/${ev.id}/revoke`, { reason: v.reason }); toast(t('cr_revoked_ok')); reload(); },
    'credit-revoke-dialog');
}

function objectDialog(target, title, reload) {
  dialog(`${t('cr_object')} · ${title}`,
    [{ name: 'reason', label: t('cr_object_reason'), type: 'textarea', required: true, maxlength: 2000, testid: 'credit-object-reason' }], {},
    async (v) => { await post('/api/v1/credit/objections', { ...target, reason: v.reason }); toast(t('cr_objected')); reload(); },
    'credit-object-dialog');
}

function commitDialog(reload) {
  dialog(t('cr_commit'), [{ name: 'text', label: t('cr_commit_text'), type: 'textarea', required: true, maxlength: 2000, rows: 5, testid: 'credit-commit-text' }],
    { text: t('cr_commit_default') },
    async (v) => { await post('/api/v1/credit/commitments', { text: v.text }); toast(t('cr_committed')); reload(); },
    'credit-commit-dialog');
}

function eventState(ev, counted) {
  if (ev.revoked_at) return h('span', { class: 'badge grey' }, t('cr_revoked'));
  const c = counted.get(ev.id);
  if (c) return h('span', { class: 'badge green' }, t('cr_counting'));
  return h('span', { class: 'badge plain' }, t('cr_no_effect'));
}

function eventsTable(data, counted, reload) {
  const mine = isEnterprise();
  const open = new Set((data.objections || []).filter((o) => o.state === 'open' && o.event_id).map((o) => o.event_id));
  return simpleTable({
    testid: 'credit-events',
    empty: t('cr_no_events'),
    columns: [
      { key: 'occurred_on', label: t('cr_occurred'), cls: 'nowrap' },
      { key: 'type', label: t('cr_type'), primary: true, render: (r) => evName(r.type) },
      { key: 'effect', label: t('cr_effect'), cls: 'nowrap', render: (r) => { const c = counted.get(r.id); return c ? `${fmtPts(c.effect)}${c.veto ? ` · ${t('cr_veto')}` : ''}` : ''; } },
      { key: 'until', label: t('cr_until'), cls: 'nowrap', render: (r) => counted.get(r.id)?.until || '' },
      { key: 'reason', label: t('cr_reason'), render: (r) => [r.reason, r.revoke_reason ? h('div', { class: 'muted' }, `${t('cr_revoke_reason')}：${r.revoke_reason}`) : null] },
      { key: 'evidence', label: t('cr_evidence'), render: (r) => [r.evidence,
        r.evidence_attachment_id ? h('div', {}, h('a', { href: `/api/v1/attachments/${r.evidence_attachment_id}/content`, target: '_blank', rel: 'noopener' }, r.evidence_name || '附件')) : null] },
      { key: 'source', label: t('cr_source'), cls: 'nowrap', render: (r) => { const k = `cr_src_${r.source}`; const s = t(k); return s === k ? r.source : s; } },
      { key: 'state', label: t('cr_state'), cls: 'nowrap', render: (r) => eventState(r, counted) },
      { key: 'act', label: t('actions'), cls: 'actions nowrap', render: (r) => {
        if (r.revoked_at) return null;
        if (can('credit.write')) return btn(t('cr_revoke'), () => revokeDialog(r, reload), { small: true, danger: true, testid: `credit-revoke-${r.id}` });
        if (mine && !open.has(r.id) && r.type !== 'commitment') return btn(t('cr_object'), () => objectDialog({ event_id: r.id }, `${evName(r.type)} ${r.occurred_on}`, reload), { small: true, testid: `credit-object-${r.id}` });
        return null;
      } },
    ],
    rows: data.events || [],
  });
}

function objectionsTable(data) {
  return simpleTable({
    testid: 'credit-objections',
    empty: t('cr_no_objections'),
    columns: [
      { key: 'filed_at', label: t('cr_occurred'), cls: 'nowrap', render: (r) => fmtTime(r.filed_at) },
      { key: 'event_type', label: t('cr_type'), render: (r) => (r.event_type ? evName(r.event_type) : t('cr_history')) },
      { key: 'reason', label: t('cr_object_reason'), primary: true },
      { key: 'state', label: t('cr_state'), cls: 'nowrap', render: (r) => h('span', { 'data-testid': `objection-state-${r.id}` }, label('credit_objection_state', r.state)) },
      { key: 'due_at', label: t('cr_due'), cls: 'nowrap', render: (r) => (r.state === 'open' && r.due_at ? fmtTime(r.due_at) : '') },
      { key: 'decision_reason', label: t('cr_decision') },
      { key: 'case', label: t('cr_case'), cls: 'nowrap', render: (r) => (r.case_id ? h('a', { href: `#/cases/${r.case_id}` }, `#${r.case_id}`) : '') },
    ],
    rows: data.objections || [],
  });
}

// The credit of one subject (kind 'enterprise' or 'agency') into box.
// onChange (optional) runs after each write, for a view that shows the grade elsewhere.
export async function renderCredit(kind, e, box, alive, onChange) {
  const data = await get(`/api/v1/credit/${kind === 'agency' ? 'agencies' : 'enterprises'}/${e.id}`);
  if (!alive()) return;
  const reload = () => { onChange?.(); return renderCredit(kind, e, box, alive, onChange); };
  const s = data.subject, rule = data.rule;
  const last = (data.history || [])[0];
  const counted = new Map((last?.counted || []).map((c) => [c.id, c]));
  const byId = new Map((data.events || []).map((x) => [x.id, x]));
  const actions = [];
  if (can('credit.write')) actions.push(btn(`+ ${t('cr_add_event')}`, () => addEventDialog(kind, e, rule, reload), { primary: true, testid: 'credit-add-event' }));
  if (isEnterprise()) actions.push(btn(t('cr_commit'), () => commitDialog(reload), { testid: 'credit-commit' }));
  const ruleText = rule ? t('cr_rule_v', { k: rule.kind, v: rule.version, r: rule.region || t('cr_everywhere') }) : '—';
  const head = kvGrid([
    [t('cr_grade'), gradeBadge(s.grade, rule, 'credit-grade')],
    [t('cr_score'), s.score === null || s.score === undefined ? null : h('span', { 'data-testid': 'credit-score' }, String(s.score))],
    [t('cr_since'), s.since],
    [t('cr_rule'), rule ? h('a', { href: `#/admin/rules/${rule.id}` }, ruleText) : ruleText],
    s.veto ? [t('cr_veto'), h('span', { class: 'badge red' }, t('cr_veto'))] : null,
  ], 'credit-head');
  const story = (data.history || []).map((row) => {
    const el = changeStory(row, rule, byId);
    if (isEnterprise() && row.prev_grade) {
      el.firstChild.append(' ', btn(t('cr_object'), () => objectDialog({ grade_id: row.id }, `${row.since}`, reload), { small: true, testid: `credit-object-change-${row.id}` }));
    }
    return el;
  });
  box.replaceChildren(
    sectionHead(t('cr_title'), ...actions), head,
    sectionHead(t('cr_why'), h('span', { class: 'muted' }, t('cr_why_hint'))),
    h('div', { class: 'credit-history', 'data-testid': 'credit-history' }, story.length ? story : h('p', { class: 'muted' }, t('cr_no_history'))),
    sectionHead(`${t('cr_events')}（${(data.events || []).length}）`), eventsTable(data, counted, reload),
    ...(kind === 'enterprise' ? [sectionHead(`${t('cr_objections')}（${(data.objections || []).length}）`), objectionsTable(data)] : []));
}

export function renderTab(e, box, ctx, alive) {
  return renderCredit('enterprise', e, box, alive);
}
