// 属地巡查: the local (town/street) patrol rounds in the staff member's area (filters, sortable,
// paged) and, for the local unit's inspectors and leaders, recording a round with the problems
// found (POST /api/v1/patrol/rounds: each problem goes to rectification).
import { post } from '../api.js';
import { t, fl } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, dataTable, selectEl, searchBox, btn, modal, toast, searchSelect, todayISO } from '../ui.js';
import { L, offsetFetch, statusBadge, searchEnterprises, PROBLEM_CATEGORIES } from './common.js';

function problemRow(list) {
  const cat = selectEl({ name: 'category', testid: 'round-problem-category', value: 'facility',
    options: PROBLEM_CATEGORIES.map((c) => [c, L('problem_category', c)]) });
  const desc = h('input', { type: 'text', name: 'description', maxlength: 2000, placeholder: t('pt_problem_desc'), 'data-testid': 'round-problem-desc' });
  const clause = h('input', { type: 'text', name: 'clause', maxlength: 500, placeholder: t('pt_problem_clause'), 'data-testid': 'round-problem-clause' });
  const row = h('div', { class: 'toolbar' }, cat, desc, clause, btn(t('pt_remove'), () => { row.remove(); }, { small: true }));
  row.value = () => ({ category: cat.value, description: desc.value.trim(), clause: clause.value.trim() || undefined });
  list.append(row);
}

function roundDialog(done) {
  const ent = searchSelect({ name: 'enterprise_id', id: 'f-enterprise_id', testid: 'round-enterprise', labelMode: true,
    placeholder: t('pt_pick_enterprise'), search: searchEnterprises });
  const on = h('input', { type: 'date', name: 'patrolled_on', value: todayISO(), max: todayISO(), 'data-testid': 'round-date' });
  const note = h('textarea', { name: 'note', rows: 3, maxlength: 2000, 'data-testid': 'round-note' });
  const list = h('div', { 'data-testid': 'round-problems' });
  modal({
    title: t('pt_round_title'), testid: 'round-dialog', wide: true,
    body: h('div', { class: 'stack' },
      h('label', { class: 'field' }, h('span', {}, fl('enterprise_id', 'patrol_round')), ent.el),
      h('label', { class: 'field' }, h('span', {}, fl('patrolled_on', 'patrol_round')), on),
      h('label', { class: 'field' }, h('span', {}, fl('note', 'patrol_round')), note),
      h('div', { class: 'field' }, h('span', {}, fl('problems', 'patrol_round')), list,
        btn(t('pt_add_problem'), () => problemRow(list), { small: true, testid: 'round-add-problem' }))),
    actions: [{ label: t('pt_round_new'), primary: true, testid: 'round-ok', onClick: async () => {
      const problems = [...list.children].map((r) => r.value());
      const r = await post('/api/v1/patrol/rounds', { enterprise_id: Number(ent.get()) || 0, patrolled_on: on.value, note: note.value.trim(), problems });
      toast(t('pt_round_saved'));
      done?.(r);
    } }],
  });
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('pt_rounds_title'));
  const outcome = selectEl({ name: 'outcome', testid: 'filter-outcome', placeholder: t('pt_all_status'), value: '',
    options: ['no_problem', 'problems_found'].map((s) => [s, L('patrol_outcome', s)]), onChange: () => table.reload() });
  const region = h('input', { type: 'search', name: 'region', maxlength: 6, inputmode: 'numeric', placeholder: t('pt_region'), 'data-testid': 'filter-region' });
  region.addEventListener('change', () => table.reload());
  let q = '';
  const search = searchBox({ placeholder: t('pt_search'), testid: 'rounds-search', onSearch: (v) => { q = v; table.reload(); } });
  const params = () => ({ outcome: outcome.value || undefined, region: region.value.trim() || undefined, q: q || undefined });
  const table = dataTable({
    testid: 'rounds-table',
    toolbar: [outcome, region, search],
    sort: '-patrolled_on',
    fetch: offsetFetch('/api/v1/patrol/rounds', params),
    rowTestid: (r) => `round-${r.id}`,
    columns: [
      { key: 'patrolled_on', label: fl('patrolled_on', 'patrol_round'), sort: 'patrolled_on', cls: 'nowrap' },
      { key: 'enterprise_name', label: t('pt_enterprise'), sort: 'enterprise', primary: true, render: (r) => h('a', { href: `#/enterprises/${r.enterprise_id}` }, r.enterprise_name) },
      { key: 'region_name', label: t('pt_county') },
      { key: 'org_unit_name', label: t('pt_unit') },
      { key: 'patroller_name', label: t('pt_patroller') },
      { key: 'outcome', label: fl('outcome', 'patrol_round'), sort: 'outcome', render: (r) => statusBadge('patrol_outcome', r.outcome) },
      { key: 'n_problems', label: t('pt_problems'), cls: 'num', render: (r) => (r.n_problems ? h('a', { href: `#/rectify?source=patrol&source_id=${r.id}` }, String(r.n_problems)) : '0') },
      { key: 'note', label: fl('note', 'patrol_round'), render: (r) => h('span', { class: 'muted small' }, (r.note || '').slice(0, 80)) },
    ],
  });
  const add = can('patrol.round') ? btn(t('pt_round_new'), () => roundDialog(() => table.reload()), { primary: true, testid: 'round-new' }) : null;
  main.replaceChildren(pageHead(t('pt_rounds_title'), add), h('p', { class: 'muted' }, t('pt_rounds_hint')), table.el);
}
