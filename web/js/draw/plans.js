// 双随机抽查计划: every plan with its state, filtered by state, sorted and paged; leaders and
// admins create a draft (period, region, categories, visit window).
import { get, post } from '../api.js';
import { t, enumOptions } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, btn, dataTable, selectEl, form, modal, fmtTime, fmtNum, todayISO } from '../ui.js';
import { CATEGORIES, catLabel, stateBadge, localSource } from './common.js';

function createDialog(navigate) {
  let m;
  const today = todayISO();
  const q = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const f = form({
    cols: 2,
    testid: 'draw-form',
    values: { period: `${today.slice(0, 4)}Q${q}`, region_prefix: '', categories: ['key', 'general'], visit_from: today, visit_to: today, title: '' },
    fields: [
      { name: 'title', label: t('draw_title'), maxlength: 200, span: 2, testid: 'draw-title' },
      { name: 'period', label: t('draw_period'), required: true, maxlength: 6, placeholder: t('draw_period_ph'), testid: 'draw-period' },
      { name: 'region_prefix', label: t('draw_region'), maxlength: 6, placeholder: t('draw_region_ph'), testid: 'draw-region' },
      { name: 'categories', label: t('draw_categories'), type: 'checks', options: CATEGORIES.map((c) => [c, catLabel(c)]), span: 2, testid: 'draw-categories' },
      { name: 'visit_from', label: t('draw_visit_from'), type: 'date', required: true, testid: 'draw-visit-from' },
      { name: 'visit_to', label: t('draw_visit_to'), type: 'date', required: true, testid: 'draw-visit-to' },
    ],
    submitTestid: 'draw-create',
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const plan = await post('/api/v1/draw/plans', { ...v, region_prefix: (v.region_prefix || '').trim() });
      m.close();
      navigate(`/draw/plans/${plan.id}`);
    },
  });
  m = modal({ title: t('draw_new'), body: f.el, wide: true, dismissable: false, testid: 'draw-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}

export async function render(ctx) {
  const { main, navigate, query } = ctx;
  ctx.setTitle(t('draw_plans'));
  let all = null;
  const rows = async () => {
    if (!all) all = (await get('/api/v1/draw/plans')).items || [];
    return all.filter((p) => !state.value || p.state === state.value);
  };
  const state = selectEl({ name: 'state', testid: 'filter-state', value: query.get('state') || '', placeholder: t('draw_all_states'),
    options: enumOptions('draw_state'),
    onChange: () => { ctx.setQuery({ state: state.value }); table.reload(); } });
  const table = dataTable({
    testid: 'draw-plans',
    toolbar: [state],
    sort: '-id',
    fetch: localSource(rows),
    onRow: (p) => navigate(`/draw/plans/${p.id}`),
    rowTestid: (p) => `plan-${p.id}`,
    columns: [
      { key: 'id', label: '#', sort: 'id', cls: 'num' },
      { key: 'title', label: t('draw_title'), primary: true, render: (p) => h('a', { href: `#/draw/plans/${p.id}` }, p.title || `${p.period} ${t('draw_plan')}`) },
      { key: 'period', label: t('draw_period'), sort: 'period', cls: 'nowrap' },
      { key: 'categories', label: t('draw_categories'), render: (p) => (p.categories || []).map(catLabel).join('、') },
      { key: 'visit_from', label: t('draw_visit'), sort: 'visit_from', cls: 'nowrap', render: (p) => `${p.visit_from} – ${p.visit_to}` },
      { key: 'state', label: t('draw_state'), sort: 'state', render: (p) => stateBadge(p.state) },
      { key: 'n_pool', label: t('draw_n_pool'), sort: 'n_pool', cls: 'num', render: (p) => fmtNum(p.n_pool) },
      { key: 'n_targets', label: t('draw_n_targets'), sort: 'n_targets', cls: 'num', render: (p) => fmtNum(p.n_targets) },
      { key: 'created_at', label: t('draw_created'), sort: 'created_at', cls: 'nowrap muted', render: (p) => `${p.created_by_name || ''} ${fmtTime(p.created_at)}` },
    ],
  });
  main.replaceChildren(
    pageHead(t('draw_plans'),
      h('a', { class: 'btn', href: '#/public/draw', 'data-testid': 'draw-public-list' }, t('draw_public_page')),
      can('draw.plan') ? btn(t('draw_new'), () => createDialog(navigate), { primary: true, testid: 'draw-new' }) : null),
    h('p', { class: 'muted small' }, t('draw_step_hint')),
    table.el);
}
