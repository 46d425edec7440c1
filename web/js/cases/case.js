// 办件: one case — what it is about, its state and clock (on track / due soon / overdue, the
// paused spans), the actions the signed-in user may take as buttons (a dialog asks for their
// required fields), the timeline and the attachments.
import { get, post, upload } from '../api.js';
import { t, getLang, label } from '../i18n.js';
import { h, pageHead, kvGrid, fmtTime, spinner, errorBanner, btn, modal, toast, simpleTable, fmtSize } from '../ui.js';
import { clockBadge, stateLabel } from './shared.js';
import { MODULES } from '../modules.js';

// Where a case's subject is shown, when its module names the page (module.js entityLinks).
const SUBJECT_LINKS = Object.assign({}, ...MODULES.map((m) => m.entityLinks || {}));

function limitText(c) {
  if (!c.limit_n) return t('clock_none');
  const s = `${c.limit_n}${t(`unit_${c.unit}`)}`;
  return c.extended_n ? `${s}（${t('case_extended')} ${c.extended_n}${t(`unit_${c.unit}`)}）` : s;
}

function duration(s) {
  if (s < 120) return `${s} ${t('unit_seconds').trim()}`;
  if (s < 7200) return `${Math.round(s / 60)} ${t('unit_minutes').trim()}`;
  return `${(s / 3600).toFixed(1)} ${t('unit_hours').trim()}`;
}

function actionDialog(c, a, done) {
  const zh = getLang() === 'zh';
  const title = zh ? a.label_zh : a.label_en;
  const needs = new Set(a.required);
  const note = h('textarea', { name: 'note', rows: 3, maxlength: 500, 'data-testid': 'case-note', placeholder: t('case_note') });
  const ext = h('input', { type: 'number', name: 'extension', min: 1, step: 1, 'data-testid': 'case-extension' });
  const msg = h('div', { class: 'field-error err', 'data-testid': 'case-error' });
  const fields = [h('div', { class: `field ${needs.has('note') ? 'required' : ''}` }, h('label', {}, t('case_note')), note)];
  if (needs.has('extension') || a.clock === 'extend') {
    fields.push(h('div', { class: `field ${needs.has('extension') ? 'required' : ''}` },
      h('label', {}, `${t('case_extension')}（${t(`unit_${c.unit}`).trim()}）`), ext));
  }
  modal({ title, testid: 'case-dialog', body: h('div', {}, ...fields, msg), actions: [{ label: title, primary: true, testid: 'case-ok', onClick: async () => {
    if (needs.has('note') && !note.value.trim()) { msg.textContent = `${t('case_note')}：${t('required')}`; return false; }
    if (needs.has('extension') && !(Number(ext.value) > 0)) { msg.textContent = `${t('case_extension')}：${t('required')}`; return false; }
    const body = { action: a.action };
    if (note.value.trim()) body.note = note.value.trim();
    if (ext.value) body.extension = Number(ext.value);
    try {
      await post(`/api/v1/cases/${c.id}/transitions`, body);
    } catch (e) { msg.textContent = e.message; return false; }
    toast(t('case_done'));
    done();
    return true;
  } }] });
}

// Add a file to the case (the attachment routes, entity=case).
function attachButton(c, done) {
  const input = h('input', { type: 'file', hidden: true, 'data-testid': 'case-file' });
  input.addEventListener('change', async () => {
    if (!input.files.length) return;
    const fd = new FormData();
    fd.append('entity', 'case');
    fd.append('entity_id', String(c.id));
    fd.append('file', input.files[0]);
    try { await upload('/api/v1/attachments', fd); toast(t('saved')); done(); } catch (e) { toast(e, 'error'); }
  });
  return h('span', {}, btn(t('upload'), () => input.click(), { small: true, testid: 'case-upload' }), input);
}

export async function render(ctx) {
  const { main, params, setTitle } = ctx;
  main.replaceChildren(spinner());
  let c;
  try {
    c = await get(`/api/v1/cases/${params.id}`);
  } catch (e) {
    main.replaceChildren(pageHead(t('case_title')), errorBanner(e));
    return;
  }
  const zh = getLang() === 'zh';
  setTitle(c.title || t('case_title'));
  const again = () => render(ctx);
  const actions = c.actions.length
    ? h('div', { class: 'actions', 'data-testid': 'case-actions' }, c.actions.map((a) => btn(zh ? a.label_zh : a.label_en, () => actionDialog(c, a, again),
      { primary: a.clock === 'stop', testid: `case-action-${a.action}` })))
    : h('p', { class: 'muted', 'data-testid': 'case-actions' }, t('case_no_actions'));
  const subject = c.subject_kind === 'alarm' ? h('a', { href: `#/monitor/alarms?status=`, 'data-testid': 'case-subject' }, `${t('case_view_alarm')} #${c.subject_id}`)
    : c.subject_kind === 'credit_objection' && c.enterprise_id ? h('a', { href: `#/enterprises/${c.enterprise_id}?tab=credit`, 'data-testid': 'case-subject' }, `${t('case_view_credit')} #${c.subject_id}`)
      : SUBJECT_LINKS[c.subject_kind] ? h('a', { href: SUBJECT_LINKS[c.subject_kind](c.subject_id), 'data-testid': 'case-subject' }, `${label('entity', c.subject_kind)} #${c.subject_id}`)
        : `${c.subject_kind} #${c.subject_id}`;
  const pauses = c.pause_spans.length ? h('ul', { 'data-testid': 'case-pauses' }, c.pause_spans.map((p) => h('li', {},
    `${fmtTime(p.from, true)} — ${p.to ? fmtTime(p.to, true) : t('case_pause_open')}`))) : '—';
  main.replaceChildren(
    pageHead(c.title || t('case_title'), clockBadge(c.clock_state, 'case-clock')),
    kvGrid([
      [t('case_type'), zh ? c.type_label_zh : c.type_label_en],
      [t('case_state'), h('span', { 'data-testid': 'case-state', 'data-state': c.state }, stateLabel(c.state))],
      [t('case_subject'), subject],
      [t('case_enterprise'), c.enterprise_name],
      [t('case_unit'), c.org_unit_name],
      [t('case_opened'), fmtTime(c.opened_at, true)],
      [t('case_limit'), limitText(c)],
      [t('case_due'), c.due_at ? h('span', { 'data-testid': 'case-due' }, fmtTime(c.due_at, true))
        : c.stopped_due_at ? h('span', { 'data-testid': 'case-due' }, fmtTime(c.stopped_due_at, true), ' ',
          h('span', { class: `badge ${c.stopped_at > Date.parse(c.stopped_due_at) / 1000 ? 'red' : 'green'}`, 'data-testid': 'case-done-in-time' },
            t(c.stopped_at > Date.parse(c.stopped_due_at) / 1000 ? 'case_done_late' : 'case_done_on_time'))) : '—'],
      [t('case_paused_total'), c.paused_s ? duration(c.paused_s) : '—'],
      [t('case_pauses'), pauses],
      [t('case_rule'), c.rule_set_id ? h('span', { 'data-testid': 'case-rule' }, t('case_src_rules', { id: c.rule_set_id, v: c.rule_version }))
        : c.limit_source === 'setting case_alarm_limit' ? t('case_src_setting') : c.limit_source || '—'],
      c.escalated_at ? [t('case_escalated'), h('span', { class: 'badge red', 'data-testid': 'case-escalated' }, t('case_escalated_to', { t: fmtTime(c.escalated_at), u: c.escalated_unit_name || '—' }))] : null,
      c.clock_error ? [t('case_clock_error'), h('span', { class: 'err' }, c.clock_error)] : null,
    ], 'case-facts'),
    h('h2', {}, t('case_actions')), actions,
    h('h2', {}, t('case_timeline')),
    simpleTable({ testid: 'case-timeline', cards: false, columns: [
      { label: t('case_time'), render: (e) => fmtTime(e.at, true) },
      { label: t('case_by'), render: (e) => (e.actor === 'system' || !e.actor ? t('case_system') : e.actor) },
      { label: t('case_action'), render: (e) => { const k = `caction_${e.action}`; const v = t(k); return v === k ? (c.action_labels?.[e.action]?.[zh ? 0 : 1] || e.action) : v; } },
      { label: t('case_state'), render: (e) => (e.to_state ? `${e.from_state ? `${stateLabel(e.from_state)} → ` : ''}${stateLabel(e.to_state)}` : '') },
      { label: t('case_note'), render: (e) => e.note || '' },
    ], rows: c.events }),
    h('h2', {}, t('case_attachments'), ' ', attachButton(c, again)),
    c.attachments.length ? h('ul', { 'data-testid': 'case-attachments' }, c.attachments.map((a) => h('li', {},
      h('a', { href: `/api/v1/attachments/${a.id}/content` }, a.name), ` (${fmtSize(a.size)})`))) : h('p', { class: 'muted' }, t('case_no_attachments')),
  );
}
