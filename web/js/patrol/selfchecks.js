// 企业自查任务: staff see the tasks in their area (filters: status incl. overdue, month, region,
// search; sortable, paged) and the admin may generate the month's tasks now; the enterprise sees
// its own and answers each — 已落实 (done), or 发现问题 with a description and photos, which
// records a problem for rectification (POST /api/v1/selfchecks/{id}/answer, then the photos as
// attachments of the problem, or of the task when it was done).
import { post, upload, qs } from '../api.js';
import { t, fl } from '../i18n.js';
import { can, role } from '../session.js';
import { h, pageHead, dataTable, selectEl, searchBox, btn, modal, toast, todayISO } from '../ui.js';
import { L, offsetFetch, statusBadge, PROBLEM_CATEGORIES } from './common.js';

async function uploadPhotos(entity, id, files) {
  for (const f of files) {
    const fd = new FormData();
    fd.append('entity', entity);
    fd.append('entity_id', String(id));
    fd.append('file', f, f.name);
    await upload('/api/v1/attachments', fd);
  }
}

export function answerDialog(task, done) {
  const kind = selectEl({ name: 'status', testid: 'answer-status', value: 'done',
    options: [['done', t('pt_answer_done')], ['problem', t('pt_problem')]] });
  const text = h('textarea', { name: 'answer', rows: 4, maxlength: 2000, placeholder: t('pt_answer_note_ph'), 'data-testid': 'answer-text' });
  const cat = selectEl({ name: 'category', testid: 'answer-category', placeholder: t('choose'),
    options: PROBLEM_CATEGORIES.map((c) => [c, L('problem_category', c)]) });
  const photos = h('input', { type: 'file', multiple: true, accept: 'image/*,application/pdf', 'data-testid': 'answer-photos', 'aria-label': t('pt_photos') });
  const problemOnly = h('div', { hidden: true }, h('label', { class: 'field' }, h('span', {}, fl('category', 'selfcheck_task')), cat));
  kind.addEventListener('change', () => {
    problemOnly.hidden = kind.value !== 'problem';
    text.placeholder = kind.value === 'problem' ? t('pt_answer_problem_ph') : t('pt_answer_note_ph');
  });
  modal({
    title: t('pt_answer_title', { n: task.title }), testid: 'answer-dialog',
    body: h('div', { class: 'stack' },
      task.clause_text ? h('p', { class: 'muted' }, task.clause_text) : null,
      h('label', { class: 'field' }, h('span', {}, fl('status', 'selfcheck_task')), kind),
      h('label', { class: 'field' }, h('span', {}, fl('answer', 'selfcheck_task')), text),
      problemOnly,
      h('label', { class: 'field' }, h('span', {}, t('pt_photos')), photos)),
    actions: [{ label: t('pt_answer'), primary: true, testid: 'answer-ok', onClick: async () => {
      const body = { status: kind.value, answer: text.value.trim() };
      if (kind.value === 'problem' && cat.value) body.category = cat.value;
      const r = await post(`/api/v1/selfchecks/${task.id}/answer`, body);
      const files = [...photos.files];
      if (files.length) await uploadPhotos(r.problem_id ? 'problem' : 'selfcheck_task', r.problem_id || task.id, files);
      toast(r.problem_id ? t('pt_problem_recorded') : t('pt_answered'));
      done?.(r);
    } }],
  });
}

export async function render(ctx) {
  const { main } = ctx;
  const own = role() === 'enterprise';
  ctx.setTitle(t('pt_sc_title'));
  const status = selectEl({ name: 'status', testid: 'filter-status', placeholder: t('pt_all_status'), value: ctx.query.get('status') || (own ? 'open' : ''),
    options: ['open', 'overdue', 'done', 'problem'].map((s) => [s, L('selfcheck_status', s)]), onChange: () => table.reload() });
  const month = h('input', { type: 'month', name: 'month', value: ctx.query.get('month') || '', 'data-testid': 'filter-month', 'aria-label': fl('month', 'selfcheck_task') });
  month.addEventListener('change', () => table.reload());
  const region = own ? null : h('input', { type: 'search', name: 'region', maxlength: 6, inputmode: 'numeric', placeholder: t('pt_region'), 'data-testid': 'filter-region' });
  region?.addEventListener('change', () => table.reload());
  let q = '';
  const search = searchBox({ placeholder: t('pt_search'), testid: 'selfcheck-search', onSearch: (v) => { q = v; table.reload(); } });
  const enterprise = ctx.query.get('enterprise') || undefined;
  const params = () => ({ status: status.value || undefined, month: month.value || undefined, region: region?.value.trim() || undefined, q: q || undefined, enterprise });
  const today = todayISO();
  const table = dataTable({
    testid: 'selfchecks-table',
    toolbar: [status, month, region, search].filter(Boolean),
    sort: 'due_on',
    fetch: offsetFetch('/api/v1/selfchecks', params),
    rowTestid: (r) => `selfcheck-${r.id}`,
    columns: [
      own ? null : { key: 'enterprise_name', label: t('pt_enterprise'), sort: 'enterprise', render: (r) => h('a', { href: `#/enterprises/${r.enterprise_id}?tab=permits` }, r.enterprise_name) },
      { key: 'title', label: t('pt_task'), primary: true, render: (r) => h('span', { title: r.clause_text || '' }, r.title,
        r.clause_text ? h('div', { class: 'muted small' }, r.clause_text.slice(0, 60)) : null) },
      { key: 'duty', label: t('pt_duty'), render: (r) => L('clause_duty', r.duty) },
      { key: 'period', label: fl('period', 'selfcheck_task'), sort: 'month', cls: 'nowrap' },
      { key: 'due_on', label: t('pt_due'), sort: 'due_on', cls: 'nowrap', render: (r) => h('span', { class: r.overdue ? 'bad' : '' }, r.due_on || '—') },
      { key: 'status', label: t('pt_status'), sort: 'status', render: (r) => h('span', {}, statusBadge('selfcheck_status', r.overdue ? 'overdue' : r.status, `status-${r.id}`),
        r.problem_id ? h('a', { class: 'small', href: `#/rectify?problem=${r.problem_id}` }, ` ${t('pt_problem_link', { id: r.problem_id })}`) : null) },
      { key: 'actions', label: t('pt_actions'), render: (r) => (own && r.status === 'open' && can('patrol.answer')
        ? btn(t('pt_answer'), () => answerDialog(r, () => table.refresh()), { small: true, primary: true, testid: `answer-${r.id}` }) : null) },
    ].filter(Boolean),
  });
  const gen = can('patrol.generate') ? btn(t('pt_generate'), async () => {
    const r = await post('/api/v1/selfchecks/generate', { month: today.slice(0, 7) });
    toast(t('pt_generated', { n: r.created, e: r.enterprises }));
    table.reload();
  }, { testid: 'selfcheck-generate' }) : null;
  main.replaceChildren(pageHead(t('pt_sc_title'), gen), h('p', { class: 'muted' }, own ? t('pt_sc_mine_hint') : t('pt_sc_hint')), table.el);
}
