// 正面清单, the staff page: the list (status, search, region and basis filters, sort, pages,
// export), the candidates judged against the criteria in force for their region with every
// criterion's reason (admit the qualifying ones, nominate the others), the nominations waiting
// for a leader and the on-site inspection approvals. The API pages by offset; the table's
// cursor is that offset.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get, qs } from '../api.js';
import { t, fl } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, dataTable, simpleTable, selectEl, searchBox, btn, downloadLink, fmtTime, fmtNum, watchCharts } from '../ui.js';
import { L, gradeText, statusBadge, checkChips, admitDialog, nominateDialog, removeDialog, decideDialog } from './common.js';

const TABS = ['entries', 'candidates', 'nominations', 'onsite'];

// fetch(params) for dataTable over an offset-paged route.
function offsetFetch(path, extra) {
  return async (p) => {
    const offset = Number(p.cursor || 0);
    const sort = p.sort ? p.sort.replace(/^-/, '') : undefined;
    const r = await get(`${path}${qs({ ...extra(), limit: p.limit, offset, sort, order: p.sort?.startsWith('-') ? 'desc' : undefined })}`);
    const next = offset + (r.items || []).length;
    return { items: r.items || [], total: r.total, next_cursor: next < r.total ? String(next) : null, raw: r };
  };
}

function entriesTab(ctx, box) {
  const status = selectEl({ name: 'status', testid: 'filter-status', value: ctx.query.get('status') || 'listed',
    options: [['listed', L('status', 'listed')], ['removed', L('status', 'removed')], ['expired', L('status', 'expired')], ['all', t('pos_all')]], onChange: () => table.reload() });
  const basis = selectEl({ name: 'basis', testid: 'filter-basis', placeholder: t('pos_all_basis'), value: '',
    options: [['criteria', L('basis', 'criteria')], ['nomination', L('basis', 'nomination')]], onChange: () => table.reload() });
  let q = '';
  const search = searchBox({ placeholder: t('pos_search'), testid: 'entries-search', onSearch: (v) => { q = v; table.reload(); } });
  const region = h('input', { type: 'search', name: 'region', placeholder: t('pos_region_ph'), maxlength: 6, inputmode: 'numeric', 'data-testid': 'filter-region' });
  region.addEventListener('change', () => table.reload());
  const params = () => ({ status: status.value, basis: basis.value || undefined, q: q || undefined, region: region.value.trim() || undefined });
  const exp = downloadLink({ label: t('pos_export'), href: () => `/api/v1/positive/entries/export${qs(params())}`, testid: 'entries-export' });
  const table = dataTable({
    testid: 'entries-table',
    toolbar: [status, basis, search, region, exp.el],
    sort: '-listed_from',
    fetch: async (p) => { exp.update(`/api/v1/positive/entries/export${qs(params())}`); return offsetFetch('/api/v1/positive/entries', params)(p); },
    rowTestid: (r) => `entry-${r.enterprise_id}`,
    columns: [
      { key: 'enterprise_name', label: t('pos_enterprise'), sort: 'name', primary: true,
        render: (r) => h('a', { href: `#/enterprises/${r.enterprise_id}?tab=positive` }, r.enterprise_name) },
      { key: 'region_name', label: t('pos_region'), sort: 'region' },
      { key: 'basis', label: fl('basis', 'positive_entry'), render: (r) => L('basis', r.basis) },
      { key: 'listed_from', label: fl('listed_from', 'positive_entry'), sort: 'listed_from', cls: 'nowrap' },
      { key: 'listed_to', label: fl('listed_to', 'positive_entry'), sort: 'listed_to', cls: 'nowrap' },
      { key: 'status', label: t('pos_state'), render: (r) => h('span', {}, statusBadge(r.status, r.malicious),
        r.removed_on ? h('span', { class: 'muted small' }, ` ${r.removed_on} ${r.removed_reason || ''}`) : null) },
      { key: 'rule', label: t('pos_rule'), render: (r) => (r.rule_set_id ? h('a', { href: `#/admin/rules/${r.rule_set_id}` }, t('pos_rule_v', { v: r.rule_version })) : '—') },
      { key: 'actions', label: t('pos_actions'), render: (r) => (r.status === 'listed' && can('positive.admit')
        ? btn(t('pos_remove'), () => removeDialog(r, r.enterprise_name, () => table.refresh()), { small: true, danger: true, testid: `remove-${r.enterprise_id}` }) : null) },
    ],
  });
  box.replaceChildren(table.el);
}

function candidatesTab(ctx, box) {
  const which = selectEl({ name: 'eligible', testid: 'filter-eligible', value: '1',
    options: [['1', t('pos_eligible_only')], ['0', t('pos_not_eligible_only')], ['all', t('pos_all_firms')]], onChange: () => table.reload() });
  let q = '';
  const search = searchBox({ placeholder: t('pos_search'), testid: 'candidates-search', onSearch: (v) => { q = v; table.reload(); } });
  const params = () => ({ eligible: which.value, q: q || undefined });
  const table = dataTable({
    testid: 'candidates-table',
    toolbar: [which, search],
    total: true,
    fetch: offsetFetch('/api/v1/positive/candidates', params),
    rowTestid: (r) => `candidate-${r.enterprise_id}`,
    columns: [
      { key: 'name', label: t('pos_enterprise'), sort: 'name', primary: true, render: (r) => h('a', { href: `#/enterprises/${r.enterprise_id}?tab=positive` }, r.name) },
      { key: 'region_name', label: t('pos_region'), sort: 'region' },
      { key: 'grade', label: t('pos_grade'), render: (r) => gradeText(r.grade) },
      { key: 'eligible', label: t('pos_state'), render: (r) => h('span', { class: `badge ${r.eligible ? 'green' : 'grey'}`, 'data-testid': `eligible-${r.enterprise_id}` }, r.eligible ? t('pos_eligible') : t('pos_not_eligible')) },
      { key: 'checks', label: t('pos_checks'), render: (r) => (r.no_rule_set ? t('pos_no_rule') : checkChips(r.checks, `checks-${r.enterprise_id}`)) },
      { key: 'actions', label: t('pos_actions'), render: (r) => {
        if (r.eligible && can('positive.admit')) return btn(t('pos_admit'), () => admitDialog(r, () => table.refresh()), { small: true, primary: true, testid: `admit-${r.enterprise_id}` });
        const blocked = r.pending_nomination || (r.barred_to && r.barred_to > ctx.today) || r.listed_to;
        if (!r.eligible && !blocked && r.nomination_allowed && can('positive.nominate')) {
          return btn(t('pos_nominate'), () => nominateDialog(r, () => table.refresh()), { small: true, testid: `nominate-${r.enterprise_id}` });
        }
        return r.pending_nomination ? h('span', { class: 'badge amber' }, t('pos_pending_nom')) : null;
      } },
    ],
  });
  box.replaceChildren(table.el);
}

async function nominationsTab(ctx, box) {
  const state = selectEl({ name: 'state', testid: 'filter-nom-state', value: 'pending',
    options: ['pending', 'approved', 'refused', 'withdrawn'].map((s) => [s, L('nomination_state', s)]), placeholder: t('pos_all'), onChange: () => load() });
  const body = h('div');
  async function load() {
    const rows = (await get(`/api/v1/positive/nominations${qs({ state: state.value || undefined })}`)).items || [];
    body.replaceChildren(simpleTable({ testid: 'nominations-table', rows, empty: t('pos_no_nominations'), columns: [
      { key: 'enterprise_name', label: t('pos_enterprise'), primary: true, render: (r) => h('a', { href: `#/enterprises/${r.enterprise_id}?tab=positive` }, r.enterprise_name) },
      { key: 'reason', label: t('pos_reason') },
      { key: 'state', label: t('pos_state'), render: (r) => L('nomination_state', r.state) },
      { key: 'nominated_by_name', label: t('pos_nominated_by') },
      { key: 'created_at', label: t('pos_created'), cls: 'nowrap', render: (r) => fmtTime(r.created_at) },
      { key: 'case_id', label: t('pos_case'), render: (r) => (r.case_id ? h('a', { href: `#/cases/${r.case_id}` }, `#${r.case_id}`) : '—') },
      { key: 'decision', label: t('pos_decision_note'), render: (r) => (r.decided_by_name ? `${r.decided_by_name}：${r.decision_note || ''}` : '') },
      { key: 'actions', label: t('pos_actions'), render: (r) => (r.state === 'pending' && can('positive.decide')
        ? btn(t('pos_approve'), () => decideDialog(`/api/v1/positive/nominations/${r.id}/decision`, `${t('pos_nominate')} · ${r.enterprise_name}`, load), { small: true, primary: true, testid: `decide-nom-${r.id}` }) : null) },
    ] }));
  }
  box.replaceChildren(h('div', { class: 'toolbar' }, state), body);
  await load();
}

async function onsiteTab(ctx, box) {
  const state = selectEl({ name: 'state', testid: 'filter-onsite-state', value: 'pending',
    options: ['pending', 'approved', 'refused'].map((s) => [s, L('onsite_state', s)]), placeholder: t('pos_all'), onChange: () => load() });
  const body = h('div');
  async function load() {
    const rows = (await get(`/api/v1/positive/onsite-requests${qs({ state: state.value || undefined })}`)).items || [];
    body.replaceChildren(simpleTable({ testid: 'onsite-table', rows, empty: t('pos_no_requests'), columns: [
      { key: 'enterprise_name', label: t('pos_enterprise'), primary: true, render: (r) => h('a', { href: `#/enterprises/${r.enterprise_id}?tab=positive` }, r.enterprise_name) },
      { key: 'visit_date', label: fl('visit_date', 'positive_onsite'), cls: 'nowrap' },
      { key: 'purpose', label: fl('purpose', 'positive_onsite'), render: (r) => L('purpose', r.purpose) },
      { key: 'reason', label: t('pos_reason') },
      { key: 'requested_by_name', label: t('pos_requested_by') },
      { key: 'state', label: t('pos_state'), render: (r) => L('onsite_state', r.state) },
      { key: 'decision', label: t('pos_decision_note'), render: (r) => (r.decided_by_name ? `${r.decided_by_name}：${r.decision_note || ''}` : '') },
      { key: 'actions', label: t('pos_actions'), render: (r) => (r.state === 'pending' && can('positive.decide')
        ? btn(t('pos_approve'), () => decideDialog(`/api/v1/positive/onsite-requests/${r.id}/decision`, `${t('pos_onsite_request')} · ${r.enterprise_name}`, load), { small: true, primary: true, testid: `decide-onsite-${r.id}` }) : null) },
    ] }));
  }
  box.replaceChildren(h('div', { class: 'toolbar' }, state), body);
  await load();
}

const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

// The figures above the tabs: listed now, pending nominations and on-site requests (links to
// their tabs), and the firms in force by county and basis (ECharts, stacked bars).
async function summary(ctx, open) {
  const s = await get('/api/v1/positive/summary');
  const card = (num, lbl, testid, tab, tone) => h('a', { class: `card ${tone || ''}`, href: `#/positive?tab=${tab}`, 'data-testid': testid,
    onclick: (e) => { e.preventDefault(); open(tab); } }, h('div', { class: 'num' }, fmtNum(num)), h('div', { class: 'lbl' }, lbl));
  const st = s.by_status || {};
  const chartEl = h('div', { class: 'chart', 'data-testid': 'chart-positive-regions', style: { height: '200px' } });
  const box = h('div', { style: { marginBottom: '12px' } },
    h('div', { class: 'cards dash-cards', 'data-testid': 'positive-cards' },
      card(st.listed || 0, t('pos_card_listed'), 'card-listed', 'entries'),
      card(s.pending_nominations, t('pos_card_nominations'), 'card-nominations', 'nominations', s.pending_nominations ? 'amber' : ''),
      card(s.pending_onsite, t('pos_card_onsite'), 'card-onsite', 'onsite', s.pending_onsite ? 'amber' : ''),
      card((st.removed || 0) + (st.expired || 0), t('pos_card_ended'), 'card-ended', 'entries')),
    h('section', { class: 'panel', style: { marginTop: '12px' } }, h('div', { class: 'panel-head' }, h('h2', {}, t('pos_chart_regions'))), chartEl));
  const rows = s.by_region || [];
  const ch = echarts.init(chartEl, null, { renderer: 'canvas' });
  ch.setOption({
    animationDuration: 300, textStyle: { fontFamily: FONT },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, right: 0 },
    grid: { left: 8, right: 8, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => r.region_name || r.region_code), axisTick: { show: false }, axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#eef1f0' } } },
    graphic: rows.length ? [] : [{ type: 'text', left: 'center', top: 'middle', style: { text: t('pos_chart_empty'), fill: '#8a9691', fontSize: 13 } }],
    series: [['criteria', '#1a7f5a'], ['nomination', '#2f6fae']].map(([k, color]) => ({
      name: L('basis', k), type: 'bar', stack: 'basis', barMaxWidth: 36, itemStyle: { color }, data: rows.map((r) => r[k]),
    })),
  });
  watchCharts(ctx, [ch]);
  ctx.onLeave(() => ch.dispose());
  return box;
}

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('pos_title'));
  ctx.today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const box = h('div', { class: 'tab-body', role: 'tabpanel' });
  const bar = h('div', { class: 'tabs', role: 'tablist' });
  let current = TABS.includes(query.get('tab')) ? query.get('tab') : 'entries';
  const open = async (key) => {
    current = key;
    for (const b of bar.children) {
      b.classList.toggle('active', b.dataset.tab === key);
      b.setAttribute('aria-selected', b.dataset.tab === key ? 'true' : 'false');
    }
    ctx.setQuery(key === 'entries' ? {} : { tab: key });
    const run = { entries: entriesTab, candidates: candidatesTab, nominations: nominationsTab, onsite: onsiteTab }[key];
    await run(ctx, box);
  };
  for (const key of TABS) {
    bar.append(h('button', { type: 'button', role: 'tab', dataset: { tab: key }, 'data-testid': `pos-tab-${key}`, onclick: () => open(key) }, t(`pos_tab_${key}`)));
  }
  const figures = h('div');
  main.replaceChildren(pageHead(t('pos_title')), h('p', { class: 'muted small' }, t('pos_hint')), figures, bar, box);
  figures.replaceChildren(await summary(ctx, open));
  await open(current);
}
