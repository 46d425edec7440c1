// An alert's control list: per firm and line the action required (never above what the grade
// allows), the sums by region and pollutant against the required cut with the shortfall (an
// ECharts bar chart), each firm's confirmation and compliance, and the compliance check.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get, post } from '../api.js';
import { t, fl, label } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, sectionHead, simpleTable, btn, busy, toast, watchCharts, errorBanner } from '../ui.js';

const P = ['so2', 'nox', 'pm', 'vocs'];
const PN = { so2: 'SO₂', nox: 'NOx', pm: 'PM', vocs: 'VOCs' };

export async function render(ctx) {
  const { main } = ctx;
  const id = ctx.params.id;
  let c;
  try { c = await get(`/api/v1/emergency/alerts/${id}/control`); } catch (e) { main.replaceChildren(pageHead(t('em_control')), errorBanner(e)); return; }
  const title = `${t('em_control')} · ${label('emergency_level', c.alert.level)} ${c.alert.starts_at} – ${c.alert.ends_at}`;
  ctx.setTitle(title);
  const check = can('emergency.check') ? btn(t('em_check'), (e) => busy(e.currentTarget, async () => {
    const r = await post(`/api/v1/emergency/alerts/${id}/compliance`, {});
    toast(t('em_checked', { n: r.tasks_filed }));
    render(ctx);
  }), { primary: true, testid: 'em-check' }) : '';
  const chart = h('div', { class: 'chart', style: { height: '280px' }, 'data-testid': 'em-chart' });
  const rows = [];
  for (const f of c.firms) for (const l of f.lines) rows.push({ ...l, firm: f });
  main.replaceChildren(
    pageHead(title, check),
    h('section', { class: 'panel' }, sectionHead(t('em_chart')), chart),
    sectionHead(t('em_sums')),
    simpleTable({
      testid: 'em-sums', rows: [...c.sums, { ...c.total, region_code: '∑' }],
      columns: [{ key: 'region_code', label: t('em_region'), primary: true },
        ...P.flatMap((p) => [
          { key: `${p}b`, label: `${PN[p]} ${t('em_baseline')}`, render: (r) => r.baseline[p].toFixed(1) },
          { key: `${p}r`, label: `${PN[p]} ${t('em_reduction')} / ${t('em_required')}`, render: (r) => `${r.reduction[p].toFixed(1)} / ${r.required[p].toFixed(1)}` },
          { key: `${p}s`, label: `${PN[p]} ${t('em_shortfall')}`, render: (r) => h('span', { class: r.shortfall[p] > 0 ? 'neg' : '' }, r.shortfall[p].toFixed(1)) },
        ])],
    }),
    sectionHead(t('em_control')),
    simpleTable({
      testid: 'em-control', rows,
      columns: [
        { key: 'firm', label: t('em_firm'), primary: true, render: (r) => r.firm.enterprise_name || r.firm.enterprise_id },
        { key: 'grade', label: fl('grade', 'emergency_grade'), render: (r) => r.firm.grade + (r.firm.livelihood ? ' · 保障类' : '') },
        { key: 'name', label: t('em_line') },
        { key: 'sheet_action', label: t('em_sheet_action'), render: (r) => label('emergency_action', r.sheet_action) },
        { key: 'action', label: t('em_action'), render: (r) => h('span', { title: r.capped ? t('em_capped') : '' }, label('emergency_action', r.action), r.capped ? ' ⚠' : '') },
        { key: 'confirmed', label: t('em_confirmed'), render: (r) => (r.firm.confirmed_at ? '✓' : '') },
        { key: 'compliance', label: t('em_compliance'), render: (r) => label('emergency_compliance', r.firm.compliance || 'unknown') },
        { key: 'task', label: t('em_task'), render: (r) => (r.firm.task_id ? h('a', { href: `#/inspect/tasks/${r.firm.task_id}` }, `#${r.firm.task_id}`) : '') },
      ],
    }));
  const charts = watchCharts(ctx);
  charts.add(echarts.init(chart)).setOption({
    tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { top: 40, left: 60, right: 20, bottom: 30 },
    xAxis: { type: 'category', data: P.map((p) => PN[p]) }, yAxis: { type: 'value', name: 'kg/d' },
    series: [
      { name: t('em_required'), type: 'bar', data: P.map((p) => +c.total.required[p].toFixed(1)) },
      { name: t('em_reduction'), type: 'bar', data: P.map((p) => +c.total.reduction[p].toFixed(1)) },
      { name: t('em_shortfall'), type: 'bar', data: P.map((p) => +c.total.shortfall[p].toFixed(1)) },
    ],
  });
}
