// 重点项目风险台账: the key-project risks (state, category and level filters, search, sort by
// deadline, pages), overdue and escalated (督办) ones marked; 销号 with the result; the complaints
// near a project (request module).
import { get, post, qs } from '../api.js';
import { t, fl, enumOptions, label } from '../i18n.js';
import { h, pageHead, dataTable, selectEl, searchBox, btn, todayISO, daysUntil, modal, simpleTable } from '../ui.js';
import { can } from '../session.js';
import { badgeOf, formDialog } from './common.js';

function deadlineCell(r) {
  const left = daysUntil(r.deadline);
  const over = r.state === 'open' && left < 0;
  return h('span', { class: 'nowrap', 'data-testid': `deadline-${r.id}` }, r.deadline,
    over ? h('span', { class: 'badge red', style: { marginLeft: '4px' }, 'data-testid': `overdue-${r.id}` }, t('sv_overdue')) : null,
    r.escalated_at && r.state === 'open' ? h('span', { class: 'badge amber', style: { marginLeft: '4px' } }, t('sv_escalated')) : null);
}

async function nearDialog(r) {
  const d = await get(`/api/v1/service/risks/${r.id}/complaints`);
  modal({ title: `${t('sv_near')}：${r.project_name}`, testid: 'near-dialog', body: simpleTable({
    testid: 'near-table', empty: t('sv_near_none'),
    columns: [{ key: 'tracking_code', label: '#' }, { key: 'category', label: fl('category', 'service_risk') }, { key: 'state', label: fl('state', 'service_risk') },
      { key: 'received_at', label: fl('created_at', 'outbound_message') }, { key: 'distance_m', label: 'm', cls: 'num', render: (x) => String(Math.round(x.distance_m)) }],
    rows: d.items,
  }) });
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('sv_risks_title'));
  const state = selectEl({ name: 'state', testid: 'filter-state', value: 'open', options: enumOptions('service_risk_state'), placeholder: t('sv_all_kinds'), onChange: () => table.reload() });
  const cat = selectEl({ name: 'category', testid: 'filter-category', value: '', placeholder: t('sv_all_kinds'), options: enumOptions('service_risk_category'), onChange: () => table.reload() });
  let q = '';
  const search = searchBox({ placeholder: fl('project_name', 'service_risk'), testid: 'risk-search', onSearch: (v) => { q = v; table.reload(); } });
  const w = can('service.risk');
  const table = dataTable({
    testid: 'risk-table',
    toolbar: [state, cat, search],
    sort: 'deadline',
    fetch: (p) => get(`/api/v1/service/risks${qs({ state: state.value || undefined, category: cat.value || undefined, q: q || undefined, ...p })}`),
    rowTestid: (r) => `risk-${r.id}`,
    columns: [
      { key: 'project_name', label: fl('project_name', 'service_risk'), sort: 'project_name', primary: true },
      { key: 'region_name', label: fl('region_code', 'service_risk') },
      { key: 'category', label: fl('category', 'service_risk'), render: (r) => label('service_risk_category', r.category) },
      { key: 'level', label: fl('level', 'service_risk'), sort: 'level', render: (r) => label('service_risk_level', r.level) },
      { key: 'risk', label: fl('risk', 'service_risk') },
      { key: 'measures', label: fl('measures', 'service_risk') },
      { key: 'owner_name', label: fl('owner_user_id', 'service_risk') },
      { key: 'deadline', label: fl('deadline', 'service_risk'), sort: 'deadline', render: deadlineCell },
      { key: 'state', label: fl('state', 'service_risk'), render: (r) => h('span', {}, badgeOf('service_risk_state', r.state, `risk-state-${r.id}`), r.result ? h('div', { class: 'muted small' }, r.result) : null) },
      { key: 'act', label: '', render: (r) => h('span', { class: 'nowrap' },
        r.lat !== null ? btn(t('sv_near'), () => nearDialog(r), { small: true, testid: `near-${r.id}` }) : null,
        w && r.state === 'open' ? btn(t('sv_close'), () => formDialog({
          title: `${t('sv_close_title')}：${r.project_name}`, testid: 'close-dialog',
          fields: [{ name: 'result', label: t('sv_result'), type: 'textarea', required: true, span: 2, maxlength: 4000 }],
          submit: (v) => post(`/api/v1/service/risks/${r.id}/close`, v), done: () => table.refresh(),
        }), { small: true, primary: true, testid: `close-${r.id}` }) : null) },
    ],
  });
  const add = w ? btn(t('sv_risk_add'), () => formDialog({
    title: t('sv_risk_add'), testid: 'risk-dialog', values: { category: 'environmental', level: 'medium', deadline: todayISO() },
    fields: [
      { name: 'project_name', label: fl('project_name', 'service_risk'), required: true, span: 2, maxlength: 200 },
      { name: 'region_code', label: fl('region_code', 'service_risk'), required: true, maxlength: 6 },
      { name: 'category', label: fl('category', 'service_risk'), type: 'select', required: true, noPlaceholder: true, options: enumOptions('service_risk_category') },
      { name: 'level', label: fl('level', 'service_risk'), type: 'select', noPlaceholder: true, options: enumOptions('service_risk_level') },
      { name: 'owner_user_id', label: fl('owner_user_id', 'service_risk'), type: 'integer', required: true },
      { name: 'deadline', label: fl('deadline', 'service_risk'), type: 'date', required: true },
      { name: 'lat', label: fl('lat', 'service_risk'), type: 'number', omitEmpty: true },
      { name: 'lng', label: fl('lng', 'service_risk'), type: 'number', omitEmpty: true },
      { name: 'risk', label: fl('risk', 'service_risk'), type: 'textarea', required: true, span: 2, maxlength: 2000 },
      { name: 'measures', label: fl('measures', 'service_risk'), type: 'textarea', span: 2, maxlength: 2000 },
    ],
    submit: (v) => post('/api/v1/service/risks', v), done: () => table.reload(),
  }), { primary: true, testid: 'risk-add' }) : null;
  main.replaceChildren(pageHead(t('sv_risks_title'), add), table.el);
}
