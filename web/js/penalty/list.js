// 行政处罚案件: every case in the user's area (an enterprise user: its own), filtered by state,
// outcome and violation type, searched by enterprise or document number, sorted and paged on the
// server; officers file a new case from a problem (its number, the violation type of the
// discretion rule set, the filing date and, when late, the reason).
import { get, post, qs } from '../api.js';
import { t, getLang, enumOptions } from '../i18n.js';
import { can, role } from '../session.js';
import { h, pageHead, btn, dataTable, selectEl, searchBox, form, modal, todayISO } from '../ui.js';
import { statusBadge, outcomeBadge, yuan } from './common.js';

function offsetFetch(path, extra) {
  return async (p) => {
    const offset = Number(p.cursor || 0);
    const sort = p.sort ? p.sort.replace(/^-/, '') : undefined;
    const r = await get(`${path}${qs({ ...extra(), limit: p.limit, offset, sort, order: p.sort?.startsWith('-') ? 'desc' : 'asc' })}`);
    const next = offset + (r.items || []).length;
    return { items: r.items || [], total: r.total, next_cursor: next < r.total ? String(next) : null };
  };
}

async function openDialog(navigate, types) {
  let m;
  const f = form({
    cols: 2,
    testid: 'penalty-open-form',
    values: { problem_id: '', violation_type: '', filed_on: todayISO(), late_reason: '' },
    fields: [
      { name: 'problem_id', label: t('pen_problem_id'), type: 'integer', required: true, min: 1, testid: 'pen-problem' },
      { name: 'violation_type', label: t('pen_type'), type: 'select', options: types.map((v) => [v.code, getLang() === 'zh' ? v.zh : v.en]), testid: 'pen-type' },
      { name: 'filed_on', label: t('pen_filed_on'), type: 'date', required: true, testid: 'pen-filed-on' },
      { name: 'late_reason', label: t('pen_note'), type: 'textarea', span: 2, maxlength: 4000, testid: 'pen-late' },
    ],
    submitLabel: t('pen_open'),
    submitTestid: 'pen-open-submit',
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const body = { filed_on: v.filed_on };
      if (v.violation_type) body.violation_type = v.violation_type;
      if (v.late_reason) body.late_reason = v.late_reason;
      const r = await post(`/api/v1/problems/${Number(v.problem_id)}/penalty`, body);
      m.close();
      navigate(`/penalty/cases/${r.id}`);
    },
  });
  m = modal({ title: t('pen_new'), body: f.el, wide: true, dismissable: false, testid: 'penalty-open-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}

export async function render(ctx) {
  const { main, navigate, query } = ctx;
  const mine = role() === 'enterprise';
  ctx.setTitle(mine ? t('pen_my_cases') : t('pen_cases'));
  const types = mine ? [] : ((await get('/api/v1/penalty/violation-types').catch(() => ({ items: [] }))).items || []);
  const typeName = (c) => { const v = types.find((x) => x.code === c); return v ? (getLang() === 'zh' ? v.zh : v.en) : c; };
  const status = selectEl({ name: 'status', testid: 'filter-status', value: query.get('status') || '', placeholder: t('pen_all_status'),
    options: [['open', `${t('pen_all_status')}（未结案）`], ...enumOptions('penalty_status')], onChange: () => table.reload() });
  const outcome = selectEl({ name: 'outcome', testid: 'filter-outcome', value: '', placeholder: t('pen_all_outcomes'),
    options: enumOptions('penalty_outcome'), onChange: () => table.reload() });
  const vtype = mine ? null : selectEl({ name: 'violation_type', testid: 'filter-type', value: '', placeholder: t('pen_all_types'),
    options: types.map((v) => [v.code, getLang() === 'zh' ? v.zh : v.en]), onChange: () => table.reload() });
  let q = '';
  const search = searchBox({ placeholder: t('pen_search'), testid: 'penalty-search', onSearch: (v) => { q = v; table.reload(); } });
  const params = () => ({ status: status.value || undefined, outcome: outcome.value || undefined, violation_type: vtype?.value || undefined, q: q || undefined });
  const table = dataTable({
    testid: 'penalty-cases',
    toolbar: [status, outcome, vtype, search].filter(Boolean),
    sort: '-filed_on',
    fetch: offsetFetch('/api/v1/penalty/cases', params),
    onRow: (c) => navigate(`/penalty/cases/${c.id}`),
    rowTestid: (c) => `penalty-${c.id}`,
    columns: [
      { key: 'id', label: '#', cls: 'num' },
      { key: 'enterprise_name', label: t('pen_enterprise'), sort: 'enterprise', primary: true, render: (c) => h('a', { href: `#/penalty/cases/${c.id}` }, c.enterprise_name) },
      { key: 'violation_type', label: t('pen_type'), sort: 'violation_type', render: (c) => c.title || typeName(c.violation_type) },
      { key: 'status', label: t('pen_status'), sort: 'status', render: (c) => statusBadge(c.status) },
      { key: 'outcome', label: t('pen_outcome'), render: (c) => outcomeBadge(c.outcome) },
      { key: 'amount_yuan', label: t('pen_amount'), sort: 'amount_yuan', cls: 'num', render: (c) => (c.outcome === 'penalty' ? yuan(c.amount_yuan) : '—') },
      { key: 'filed_on', label: t('pen_filed_on'), sort: 'filed_on', cls: 'nowrap' },
      { key: 'decided_on', label: t('pen_decided_on'), sort: 'decided_on', cls: 'nowrap' },
      { key: 'decision_no', label: t('pen_decision_no'), cls: 'nowrap muted' },
    ],
  });
  main.replaceChildren(
    pageHead(mine ? t('pen_my_cases') : t('pen_cases'),
      h('a', { class: 'btn', href: '#/public/penalties', 'data-testid': 'penalty-public-link' }, t('pen_pub_decisions')),
      h('a', { class: 'btn', href: '#/public/risk-points', 'data-testid': 'penalty-risk-link' }, t('pen_pub_risk')),
      can('penalty.open') ? btn(t('pen_new'), () => openDialog(navigate, types), { primary: true, testid: 'penalty-new' }) : null),
    table.el);
}
