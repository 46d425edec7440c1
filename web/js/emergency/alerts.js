// 重污染天气, the staff page: the alerts (newest first, each opening its control list), the form
// that issues one (level, regions, start, end in China time) and the graded enterprises.
import { get, post } from '../api.js';
import { t, fl, label, enumOptions } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, sectionHead, simpleTable, form, toast, errorBanner } from '../ui.js';

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
    sectionHead(t('em_grades')),
    simpleTable({
      testid: 'em-grades', empty: t('em_no_grades'), rows: grades.items,
      columns: [
        { key: 'enterprise_name', label: t('em_firm'), primary: true },
        { key: 'region_code', label: fl('regions', 'emergency_alert') },
        { key: 'grade', label: fl('grade', 'emergency_grade') },
        { key: 'livelihood', label: fl('livelihood', 'emergency_grade'), render: (r) => (r.livelihood ? '✓' : '') },
        { key: 'lines', label: fl('lines', 'emergency_grade') },
        { key: 'sheet_state', label: fl('sheet_state', 'emergency_grade'), render: (r) => label('emergency_sheet_state', r.sheet_state) },
      ],
    }));
}
