// 重污染天气, the staff page: the alerts (newest first, each opening its control list), the form
// that issues one (level, regions, start, end in China time) and the graded enterprises (each
// opening its grade and sheet; a firm not yet graded is picked by name and graded there).
import { get, post, qs } from '../api.js';
import { t, fl, label, enumOptions } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, sectionHead, simpleTable, form, modal, btn, searchSelect, toast, errorBanner } from '../ui.js';
import { localTable } from './sheet.js';

// Pick an enterprise to grade: its page opens with the grade form.
function gradeNew(ctx) {
  let m;
  const ent = searchSelect({ name: 'enterprise_id', id: 'f-em-enterprise', testid: 'em-new-enterprise', labelMode: true, placeholder: t('em_pick_hint'),
    search: async (q) => ((await get(`/api/v1/enterprises${qs({ q, limit: 10 })}`)).items || []).map((e) => ({ value: e.id, label: e.name, hint: e.uscc })) });
  const f = form({
    cols: 1, testid: 'em-new-form', submitLabel: t('em_open'), submitTestid: 'em-new-open',
    fields: [{ name: 'enterprise_id', label: t('em_firm'), type: 'custom', component: ent, required: true }],
    onCancel: () => m.close(),
    onSubmit: async (v) => { m.close(); ctx.navigate(`/emergency/grades/${v.enterprise_id}`); },
  });
  m = modal({ title: t('em_grade_new'), body: f.el, dismissable: false, testid: 'em-new-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('em_nav'));
  let alerts, grades;
  try {
    [alerts, grades] = await Promise.all([get('/api/v1/emergency/alerts'), get('/api/v1/emergency/performance-grades')]);
  } catch (e) { main.replaceChildren(pageHead(t('em_nav')), errorBanner(e)); return; }
  const issue = can('emergency.issue') ? form({
    cols: 2, testid: 'em-issue-form', submitLabel: t('em_issue'), submitTestid: 'em-issue',
    fields: [
      { name: 'level', label: fl('level', 'emergency_alert'), type: 'select', required: true, options: enumOptions('emergency_level'), testid: 'em-level' },
      { name: 'regions', label: fl('regions', 'emergency_alert'), required: true, placeholder: t('em_regions_hint'), testid: 'em-regions' },
      { name: 'starts_at', label: fl('starts_at', 'emergency_alert'), type: 'datetime-local', required: true, testid: 'em-starts' },
      { name: 'ends_at', label: fl('ends_at', 'emergency_alert'), type: 'datetime-local', required: true, testid: 'em-ends' },
    ],
    onSubmit: async (v) => {
      const a = await post('/api/v1/emergency/alerts', { ...v, regions: String(v.regions).split(/[,，\s]+/).filter(Boolean) });
      toast(t('em_issued'));
      ctx.navigate(`/emergency/alerts/${a.id}`);
    },
  }) : null;
  main.replaceChildren(
    pageHead(t('em_nav')),
    issue ? h('section', { class: 'panel' }, sectionHead(t('em_issue')), issue.el) : '',
    sectionHead(t('em_alerts')),
    simpleTable({
      testid: 'em-alerts', empty: t('em_no_alerts'), rows: alerts.items,
      onRow: (r) => ctx.navigate(`/emergency/alerts/${r.id}`),
      columns: [
        { key: 'level', label: fl('level', 'emergency_alert'), primary: true, render: (r) => h('span', { class: `badge em-${r.level}` }, label('emergency_level', r.level)) },
        { key: 'regions', label: fl('regions', 'emergency_alert'), render: (r) => (r.regions || []).join(', ') },
        { key: 'starts_at', label: fl('starts_at', 'emergency_alert'), cls: 'nowrap' },
        { key: 'ends_at', label: fl('ends_at', 'emergency_alert'), cls: 'nowrap' },
      ],
    }),
    sectionHead(t('em_grades'), can('emergency.grade') ? btn(t('em_grade_new'), () => gradeNew(ctx), { small: true, testid: 'em-grade-new' }) : ''),
    localTable({
      testid: 'em-grades', empty: t('em_no_grades'), rows: grades.items, text: (r) => `${r.enterprise_name} ${r.region_code} ${r.grade}`,
      placeholder: t('em_filter_firm'),
      onRow: (r) => ctx.navigate(`/emergency/grades/${r.enterprise_id}`), rowTestid: (r) => `em-grade-row-${r.enterprise_id}`,
      columns: [
        { key: 'enterprise_name', label: t('em_firm'), primary: true },
        { key: 'region_code', label: t('em_region') },
        { key: 'grade', label: fl('grade', 'emergency_grade'), render: (r) => label('grade', r.grade) },
        { key: 'livelihood', label: t('em_exempt'), render: (r) => [r.livelihood ? t('em_livelihood_short') : '', r.low_voc ? t('em_low_voc_short') : ''].filter(Boolean).join(' · ') },
        { key: 'lines', label: fl('lines', 'emergency_grade') },
        { key: 'sheet_state', label: fl('sheet_state', 'emergency_grade'), render: (r) => label('emergency_sheet_state', r.sheet_state) },
      ],
    }).el);
}
