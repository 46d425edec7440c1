// 整改看板, the rectification board: every order in the user's area (an enterprise: its own, as
// 我的整改) by state and clock — two charts of the counts, filters by status, level, clock and
// region, search, sortable and paged (GET /api/v1/rectify/orders); each row opens the order page.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get, post, qs } from '../api.js';
import { t, label } from '../i18n.js';
import { role, can } from '../session.js';
import { h, pageHead, dataTable, selectEl, searchBox, watchCharts, daysUntil, modal, toast, sectionHead, btn } from '../ui.js';
import { clockBadge } from '../cases/shared.js';

const STATUS = ['issued', 'submitted', 'returned', 'verified', 'overdue_closed'];
const CLOCKS = ['overdue', 'due_soon', 'on_track'];
const CLOCK_COLOUR = { overdue: '#d64545', due_soon: '#e0a030', on_track: '#3c9a5f' };
const LEVELS = ['enterprise', 'local', 'enforcement'];

export const statusLabel = (s) => label('rectify_status', s);

export function dueCell(r) {
  if (!r.due_on) return '—';
  const left = daysUntil(r.due_on);
  const open = ['issued', 'submitted', 'returned'].includes(r.status);
  return h('span', { class: 'nowrap' }, r.due_on, open ? h('span', { class: `small ${left < 0 ? 'bad' : 'muted'}` },
    ` ${left < 0 ? t('rf_days_over', { n: -left }) : t('rf_days_left', { n: left })}`) : null);
}

function statusOption(s) {
  return {
    tooltip: { trigger: 'item' },
    grid: { left: 8, right: 32, top: 8, bottom: 24, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: STATUS.map(statusLabel), inverse: true },
    series: [{ type: 'bar', barMaxWidth: 22, label: { show: true, position: 'right' }, data: STATUS.map((k) => s.by_status?.[k] || 0) }],
  };
}

function clockOption(s) {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, icon: 'circle' },
    series: [{ type: 'pie', radius: ['40%', '65%'], center: ['50%', '45%'], label: { formatter: '{b}\n{c}' },
      data: CLOCKS.map((k) => ({ name: t(`clock_${k}`), value: s.by_clock?.[k] || 0, clock: k, itemStyle: { color: CLOCK_COLOUR[k] } })) }],
  };
}

// Issue an order for a problem: the requirement and the working days (default 15).
export function issueDialog(p, done) {
  const req = h('textarea', { name: 'requirement', rows: 4, maxlength: 2000, 'data-testid': 'issue-requirement' });
  const days = h('input', { type: 'number', name: 'workdays', min: 1, max: 365, placeholder: t('rf_workdays_ph'), 'data-testid': 'issue-workdays' });
  modal({
    title: t('rf_issue_title', { id: p.id }), testid: 'issue-dialog',
    body: h('div', { class: 'stack' }, h('p', { class: 'muted' }, `${p.enterprise_name}：${p.description}`),
      h('label', { class: 'field' }, h('span', {}, t('rf_requirement')), req),
      h('label', { class: 'field' }, h('span', {}, t('rf_workdays')), days)),
    actions: [{ label: t('rf_issue'), primary: true, testid: 'issue-ok', onClick: async () => {
      const body = { requirement: req.value.trim() };
      if (days.value) body.workdays = Number(days.value);
      const o = await post(`/api/v1/problems/${p.id}/orders`, body);
      toast(t('rf_issued_ok'));
      done?.(o);
    } }],
  });
}

// The problems of the area not yet (fully) rectified, to issue orders for.
function problemsTable(ctx, reloadOrders) {
  const st = selectEl({ name: 'pstatus', testid: 'problems-status', value: 'open',
    options: ['open', 'rectifying', 'closed'].map((s) => [s, label('problem_status', s)]), onChange: () => tbl.reload() });
  const tbl = dataTable({
    testid: 'problems-table',
    toolbar: [st],
    fetch: async (p) => {
      const offset = Number(p.cursor || 0);
      const r = await get(`/api/v1/problems${qs({ status: st.value, limit: p.limit, offset })}`);
      const next = offset + (r.items || []).length;
      return { items: r.items || [], total: r.total, next_cursor: next < r.total ? String(next) : null };
    },
    rowTestid: (r) => `problem-${r.id}`,
    columns: [
      { key: 'id', label: '#', render: (r) => `#${r.id}` },
      { key: 'enterprise_name', label: t('rf_enterprise'), primary: true },
      { key: 'level', label: t('rf_level'), render: (r) => label('problem_level', r.level) },
      { key: 'category', label: t('rf_problem'), render: (r) => h('span', {}, h('span', { class: 'badge plain' }, label('problem_category', r.category)), ' ', r.description.slice(0, 60)) },
      { key: 'found_on', label: t('rf_found_on'), cls: 'nowrap' },
      { key: 'n_orders', label: t('rf_orders'), cls: 'num', render: (r) => `${r.n_verified}/${r.n_orders}` },
      { key: 'actions', label: '', render: (r) => (r.status !== 'closed' && can('rectify.issue')
        ? btn(t('rf_issue'), () => issueDialog(r, () => { tbl.refresh(); reloadOrders(); }), { small: true, primary: true, testid: `issue-${r.id}` }) : null) },
    ],
  });
  return h('div', {}, sectionHead(t('rf_problems')), tbl.el);
}

export async function render(ctx) {
  const { main } = ctx;
  const own = role() === 'enterprise';
  ctx.setTitle(own ? t('rf_mine') : t('rf_board'));
  const status = selectEl({ name: 'status', testid: 'filter-status', placeholder: t('rf_all_status'), value: ctx.query.get('status') || '',
    options: [['open', t('rf_open')], ...STATUS.map((s) => [s, statusLabel(s)])], onChange: () => table.reload() });
  const level = own ? null : selectEl({ name: 'level', testid: 'filter-level', placeholder: t('rf_all_levels'), value: ctx.query.get('level') || '',
    options: LEVELS.map((l) => [l, label('problem_level', l)]), onChange: () => table.reload() });
  const clock = selectEl({ name: 'clock', testid: 'filter-clock', placeholder: t('rf_all_clocks'), value: ctx.query.get('clock') || '',
    options: [...CLOCKS, 'stopped'].map((c) => [c, t(`clock_${c}`)]), onChange: () => table.reload() });
  const region = own ? null : h('input', { type: 'search', name: 'region', maxlength: 6, inputmode: 'numeric', placeholder: t('rf_region'), 'data-testid': 'filter-region', value: ctx.query.get('region') || '' });
  region?.addEventListener('change', () => table.reload());
  let q = '';
  const search = own ? null : searchBox({ placeholder: t('rf_search'), testid: 'board-search', onSearch: (v) => { q = v; table.reload(); } });
  const problem = ctx.query.get('problem') || undefined;
  const params = () => ({ status: status.value || undefined, level: level?.value || undefined, clock: clock.value || undefined,
    region: region?.value.trim() || undefined, q: q || undefined, problem });
  const statusBox = h('div', { class: 'chart', style: { height: '220px' }, 'data-testid': 'board-chart-status' });
  const clockBox = h('div', { class: 'chart', style: { height: '220px' }, 'data-testid': 'board-chart-clock' });
  const charts = watchCharts(ctx);
  let cs = null, cc = null;
  const table = dataTable({
    testid: 'board-table',
    toolbar: [status, level, clock, region, search].filter(Boolean),
    sort: 'due_on',
    fetch: async (p) => {
      const offset = Number(p.cursor || 0);
      const sort = p.sort ? p.sort.replace(/^-/, '') : undefined;
      const r = await get(`/api/v1/rectify/orders${qs({ ...params(), limit: p.limit, offset, sort, order: p.sort?.startsWith('-') ? 'desc' : 'asc' })}`);
      if (ctx.isCurrent()) {
        if (!cs) { cs = charts.add(echarts.init(statusBox)); cc = charts.add(echarts.init(clockBox)); cc.on('click', (e) => { clock.value = e.data.clock; table.reload(); }); }
        cs.setOption(statusOption(r.summary || {}), true);
        cc.setOption(clockOption(r.summary || {}), true);
      }
      const next = offset + (r.items || []).length;
      return { items: r.items || [], total: r.total, next_cursor: next < r.total ? String(next) : null };
    },
    rowTestid: (r) => `order-${r.id}`,
    onRow: (r) => ctx.navigate(`/rectify/orders/${r.id}`),
    columns: [
      { key: 'id', label: '#', cls: 'nowrap', render: (r) => h('a', { href: `#/rectify/orders/${r.id}` }, `#${r.id}`) },
      own ? null : { key: 'enterprise_name', label: t('rf_enterprise'), sort: 'enterprise', primary: true },
      { key: 'problem', label: t('rf_problem'), primary: own, render: (r) => h('span', {},
        r.level ? h('span', { class: 'badge plain' }, label('problem_level', r.level)) : null, ' ',
        (r.problem_description || r.requirement || '').slice(0, 60)) },
      { key: 'requirement', label: t('rf_requirement'), render: (r) => h('span', { class: 'small' }, (r.requirement || '').slice(0, 60)) },
      { key: 'due_on', label: t('rf_due'), sort: 'due_on', render: dueCell },
      { key: 'clock', label: t('rf_clock'), render: (r) => h('span', {}, clockBadge(r.clock, `clock-${r.id}`),
        r.escalated_at ? h('span', { class: 'badge red small', 'data-testid': `escalated-${r.id}` }, ` ${t('rf_escalated')}`) : null) },
      { key: 'status', label: t('rf_status'), sort: 'status', render: (r) => h('span', { 'data-testid': `status-${r.id}` }, statusLabel(r.status)) },
      own ? null : { key: 'verifier_name', label: t('rf_verifier') },
      { key: 'n_submissions', label: t('rf_submissions'), cls: 'num' },
    ].filter(Boolean),
  });
  main.replaceChildren(
    pageHead(own ? t('rf_mine') : t('rf_board')),
    h('p', { class: 'muted' }, own ? t('rf_mine_hint') : t('rf_board_hint')),
    h('div', { class: 'panels' },
      h('section', { class: 'panel span2' }, h('div', { class: 'panel-head' }, h('h2', {}, t('rf_chart_status'))), statusBox),
      h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, t('rf_chart_clock'))), clockBox)),
    table.el,
    own ? '' : problemsTable(ctx, () => table.reload()));
}
