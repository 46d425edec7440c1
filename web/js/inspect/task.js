// 检查任务 page: what the task is (firm, source, day, inspectors, the positive list's approval),
// the integrated checklist (体检式检查表) for its inspector — every answer kept on the device as
// it is given (localStorage, keyed by task), so a lost connection or a reload loses nothing; a
// banner says when the phone is offline; a submit made offline waits and goes when the
// connection returns, under the uuid the draft was given, so a retried submit never records
// twice — and after the visit its answers and findings, each finding with its photos
// (attachments on the problem) and a rectification order to issue.
import { get, post, upload } from '../api.js';
import { t, getLang, label } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, kvGrid, btn, busy, modal, toast, errorBanner, okBanner, fmtTime, isNetworkError, apiMessage, simpleTable } from '../ui.js';
import { L, statusBadge } from './common.js';

const KEY = (id) => `envgov.inspect.draft.${id}`;
const newUuid = () => (crypto.randomUUID ? crypto.randomUUID()
  : 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => ((c === 'x' ? Math.random() * 16 : (Math.random() * 4) + 8) | 0).toString(16)));

export function loadDraft(id) {
  try { return JSON.parse(localStorage.getItem(KEY(id)) || 'null'); } catch { return null; }
}
function saveDraft(id, d) {
  d.saved_at = new Date().toISOString();
  try { localStorage.setItem(KEY(id), JSON.stringify(d)); } catch { /* storage full: the form still holds it */ }
}
function dropDraft(id) { try { localStorage.removeItem(KEY(id)); } catch { /* nothing kept */ } }

const zh = () => getLang() === 'zh';
const q = (it) => (zh() ? it.question : it.question_en || it.question);
const stitle = (s) => (zh() ? s.title : s.title_en || s.title);

function facts(task) {
  const appr = task.approvals?.[0];
  return kvGrid([
    [t('insp_enterprise'), h('a', { href: `#/enterprises/${task.enterprise_id}` }, task.enterprise_name)],
    [t('insp_task'), statusBadge(task.status, 'task-status')],
    [t('insp_source'), L('source', task.source_kind)],
    [t('insp_planned'), task.planned_on],
    [t('insp_inspectors'), (task.inspectors || []).map((i) => i.name).join('、') || '—'],
    appr ? [t('insp_approval'), h('span', { 'data-testid': 'task-approval', 'data-state': appr.state },
      t(`insp_approval_${appr.state}`), appr.decided_by_name ? ` · ${appr.decided_by_name} ${fmtTime(appr.decided_at)}` : '',
      appr.decision_note ? ` · ${appr.decision_note}` : '')] : null,
    task.case_id && task.status !== undefined && !task.enterprise_only ? [t('insp_case'), h('a', { href: `#/cases/${task.case_id}`, 'data-testid': 'task-case' }, `#${task.case_id}`)] : null,
    task.outcome ? [t('insp_visit'), h('span', { 'data-testid': 'task-outcome' }, L('outcome', task.outcome))] : null,
  ], 'task-facts');
}

// The checklist form, its draft and its queue.
function checklistForm(ctx, task, reload) {
  const id = task.id;
  const cl = task.checklist;
  const items = cl.sections.flatMap((s) => s.items.map((it) => ({ ...it, section: s })));
  let d = loadDraft(id);
  const restored = !!d;
  if (!d) d = { uuid: newUuid(), answers: {}, findings: {}, note: '', could_not: false, pending: false };

  const offline = h('div', { class: 'banner warn', 'data-testid': 'offline-banner', hidden: navigator.onLine }, t('insp_offline'));
  const state = h('p', { class: 'muted small', 'data-testid': 'draft-state' },
    restored ? t('insp_draft_restored', { t: fmtTime(d.saved_at, true) }) : '');
  const progress = h('p', { class: 'small', 'data-testid': 'checklist-progress' });
  const errBox = h('div', { 'data-testid': 'visit-error' });
  const save = () => { saveDraft(id, d); state.textContent = t('insp_draft_saved', { t: fmtTime(d.saved_at, true) }); showProgress(); };
  const showProgress = () => {
    const answered = items.filter((it) => d.answers[it.id]).length;
    const p = Object.values(d.findings).reduce((n, l) => n + l.filter((f) => f.description.trim()).length, 0);
    progress.textContent = t('insp_progress', { a: answered, n: items.length, p });
  };

  function findingsBox(it) {
    const box = h('div', { class: 'findings', 'data-testid': `findings-${it.id}` });
    const draw = () => {
      const list = d.findings[it.id] || (d.findings[it.id] = [{ description: '', clause: it.basis }]);
      box.replaceChildren(...list.map((f, k) => h('div', { class: 'finding card', 'data-field': `finding-${it.id}-${k}` },
        h('label', {}, t('insp_finding_desc'),
          h('textarea', { rows: 2, maxlength: 2000, 'data-testid': `finding-desc-${it.id}-${k}`, value: f.description,
            oninput: (e) => { f.description = e.target.value; save(); } })),
        h('label', {}, t('insp_finding_clause'),
          h('input', { type: 'text', maxlength: 500, 'data-testid': `finding-clause-${it.id}-${k}`, value: f.clause,
            oninput: (e) => { f.clause = e.target.value; save(); } })),
        list.length > 1 ? btn(t('insp_remove_finding'), () => { list.splice(k, 1); save(); draw(); }, { small: true }) : null)),
      btn(t('insp_add_finding'), () => { list.push({ description: '', clause: it.basis }); save(); draw(); }, { small: true, testid: `finding-add-${it.id}` }));
    };
    draw();
    return box;
  }

  const itemEls = {};
  const sections = cl.sections.map((s) => h('fieldset', { class: 'card checklist-section', 'data-testid': `section-${s.key}` },
    h('legend', {}, stitle(s)),
    s.items.map((it) => {
      const slot = h('div');
      const setSlot = () => {
        if (d.answers[it.id] === 'no') { if (!slot.firstChild) slot.append(findingsBox(it)); } else { slot.replaceChildren(); delete d.findings[it.id]; }
      };
      const radios = ['yes', 'no', 'na'].map((v) => h('label', { class: `choice ${v}` },
        h('input', { type: 'radio', name: `a-${it.id}`, value: v, checked: d.answers[it.id] === v, 'data-testid': `answer-${it.id}-${v}`,
          onchange: () => { d.answers[it.id] = v; setSlot(); save(); } }),
        t(`insp_${v}`)));
      const el = h('div', { class: 'checklist-item', 'data-field': `answers.${it.id}`, 'data-testid': `item-${it.id}` },
        h('div', { class: 'q' }, q(it)),
        h('div', { class: 'muted small' }, `${t('insp_basis')}：${it.basis}`),
        h('div', { class: 'choices' }, radios), slot);
      itemEls[it.id] = el;
      if (d.answers[it.id] === 'no') slot.append(findingsBox(it));
      return el;
    })));
  const note = h('textarea', { rows: 3, maxlength: 2000, 'data-testid': 'visit-note', value: d.note, oninput: (e) => { d.note = e.target.value; save(); } });
  const couldNot = h('input', { type: 'checkbox', 'data-testid': 'visit-could-not', checked: d.could_not, onchange: (e) => { d.could_not = e.target.checked; save(); } });

  function payload() {
    const findings = [];
    for (const it of items) {
      if (d.answers[it.id] !== 'no') continue;
      for (const f of d.findings[it.id] || []) findings.push({ item_id: it.id, description: f.description, clause: f.clause || undefined });
    }
    return d.could_not ? { uuid: d.uuid, outcome: 'could_not_inspect', note: d.note, answers: {}, findings: [] }
      : { uuid: d.uuid, outcome: 'done', answers: d.answers, findings, note: d.note };
  }
  function showError(e) {
    for (const el of Object.values(itemEls)) el.classList.remove('invalid');
    const f = e.field || '';
    const m = /^answers\.(.+)$/.exec(f) || /^findings\[(\d+)\]/.exec(f);
    let target = null;
    if (m && f.startsWith('answers.')) target = itemEls[m[1]];
    else if (m) target = itemEls[payload().findings[Number(m[1])]?.item_id];
    if (target) { target.classList.add('invalid'); target.scrollIntoView({ block: 'center' }); }
    errBox.replaceChildren(errorBanner(e, 'visit-error-banner'));
  }
  let sending = false;
  async function send() {
    if (sending) return;
    if (!navigator.onLine) { d.pending = true; save(); state.textContent = t('insp_queued'); return; }
    sending = true;
    state.textContent = t('insp_sending');
    try {
      await post(`/api/v1/inspect/tasks/${id}/visit`, payload());
      dropDraft(id);
      toast(t('insp_sent'));
      reload();
    } catch (e) {
      if (isNetworkError(e)) { d.pending = true; save(); state.textContent = t('insp_queued'); } else {
        d.pending = false; save(); showError(e);
      }
    } finally { sending = false; }
  }
  const submit = btn(t('insp_submit'), () => { d.pending = true; save(); send(); }, { primary: true, testid: 'visit-submit' });
  const onOnline = () => { offline.hidden = true; if (d.pending) send(); };
  const onOffline = () => { offline.hidden = false; };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  ctx.onLeave(() => { window.removeEventListener('online', onOnline); window.removeEventListener('offline', onOffline); });
  showProgress();
  if (d.pending && navigator.onLine) setTimeout(send, 0);
  else if (d.pending) state.textContent = t('insp_queued');
  return h('div', { class: 'checklist', 'data-testid': 'checklist', 'data-uuid': d.uuid },
    offline,
    h('h2', {}, t('insp_checklist'), ' ', h('span', { class: 'muted small' }, t('insp_checklist_rule', { v: task.checklist_rule.version }))),
    progress, ...sections,
    h('div', { class: 'card' },
      h('label', {}, t('insp_note'), note),
      h('label', { class: 'check' }, couldNot, ' ', t('insp_could_not'))),
    errBox, h('div', { class: 'actions sticky-actions' }, submit), state);
}

function orderDialog(task, f, done) {
  const req = h('textarea', { rows: 3, maxlength: 2000, 'data-testid': 'order-requirement', value: `${f.description}：限期整改` });
  const days = h('input', { type: 'number', min: 1, max: 365, value: 15, 'data-testid': 'order-workdays' });
  const msg = h('div', { class: 'field-error err', 'data-testid': 'order-error' });
  modal({ title: t('insp_order_title'), testid: 'order-dialog',
    body: h('div', {}, h('p', { class: 'muted' }, f.description),
      h('label', {}, t('insp_order'), req), h('label', {}, `${t('insp_due')}（${getLang() === 'zh' ? '工作日' : 'working days'}）`, days), msg),
    actions: [{ label: t('insp_order'), primary: true, testid: 'order-ok', onClick: async () => {
      try {
        await post(`/api/v1/inspect/tasks/${task.id}/orders`, { problem_id: f.problem_id, requirement: req.value, workdays: Number(days.value) });
        toast(t('insp_ordered'));
        done();
        return true;
      } catch (e) { msg.textContent = apiMessage(e); return false; }
    } }] });
}

function photoButton(f, done) {
  const input = h('input', { type: 'file', accept: 'image/*', capture: 'environment', hidden: true, 'data-testid': `photo-${f.problem_id}`,
    onchange: async () => {
      const file = input.files[0];
      if (!file) return;
      const fd = new FormData();
      fd.append('file', file);
      try { await upload(`/api/v1/attachments?entity=problem&entity_id=${f.problem_id}`, fd); toast(t('insp_photo_added')); done(); } catch (e) { toast(e, 'error'); }
    } });
  return h('span', {}, input, btn(t('insp_add_photo'), () => input.click(), { small: true }));
}

function visitView(task, reload) {
  const v = task.visit;
  if (!v) return null;
  const answers = v.answers || {};
  const rows = task.checklist ? task.checklist.sections.flatMap((s) => s.items.map((it) => ({ s, it, a: answers[it.id] }))) : [];
  return h('div', { 'data-testid': 'visit' },
    h('h2', {}, t('insp_visit')),
    kvGrid([[t('insp_visited_on'), v.visited_on], [t('insp_visited_by'), v.by_name], [t('insp_note'), v.note || '—']], 'visit-facts'),
    h('h3', {}, t('insp_findings')),
    task.findings.length ? simpleTable({ testid: 'findings', rows: task.findings, columns: [
      { label: t('insp_finding_desc'), render: (f) => h('span', {}, f.description, h('div', { class: 'muted small' }, L('level', f.level))) },
      { label: t('insp_finding_clause'), render: (f) => f.clause },
      { label: t('insp_problem_status'), render: (f) => h('span', { 'data-testid': `problem-status-${f.problem_id}`, 'data-status': f.status }, label('problem_status', f.status)) },
      { label: t('insp_photos'), render: (f) => h('span', {}, `${f.photos} `, can('inspect.order') ? photoButton(f, reload) : null) },
      { label: t('insp_order'), render: (f) => (f.orders ? h('span', { class: 'badge green' }, t('insp_order_done'))
        : can('inspect.order') ? btn(t('insp_order'), () => orderDialog(task, f, reload), { small: true, testid: `order-${f.problem_id}` }) : '—') },
    ] }) : h('p', { class: 'muted' }, t('insp_no_findings')),
    rows.length ? h('details', {}, h('summary', {}, t('insp_answers')),
      simpleTable({ testid: 'visit-answers', cards: false, rows, columns: [
        { label: t('insp_item'), render: (r) => `${stitle(r.s)} · ${q(r.it)}` },
        { label: t('insp_answer'), render: (r) => (r.a ? t(`insp_${r.a}`) : '—') },
      ] })) : null);
}

export async function render(ctx) {
  const { main, params } = ctx;
  let task;
  try {
    task = await get(`/api/v1/inspect/tasks/${params.id}`);
  } catch (e) {
    main.replaceChildren(pageHead(t('insp_task')), errorBanner(e));
    return;
  }
  ctx.setTitle(task.title);
  const reload = () => render(ctx);
  let body = null;
  if (task.status === 'scheduled' && task.can_visit && task.checklist) body = checklistForm(ctx, task, reload);
  else if (task.status === 'scheduled' && task.can_visit) body = errorBanner(new Error(t('insp_no_checklist')));
  else if (task.status === 'awaiting_approval') body = h('p', { class: 'banner warn', 'data-testid': 'wait-approval' }, t('insp_wait_approval'));
  else if (task.status === 'scheduled' && can('inspect.visit')) body = h('p', { class: 'muted' }, t('insp_not_yours'));
  main.replaceChildren(...[
    pageHead(task.title),
    facts(task),
    task.visit ? okBanner(L('outcome', task.outcome), 'visit-done') : null,
    body,
    visitView(task, reload)].filter(Boolean));
}
