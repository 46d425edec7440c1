// One firm's performance grade and 一企一策 sheet, for staff (#/emergency/grades/:id): the grade
// form (grade, the exempt types 保障类 and low-VOC, the evidence text; PUT performance-grades),
// the evidence files (attachments of the grade), the sheet's lines with their form, and the
// sheet's confirmation.
import { get, put, post } from '../api.js';
import { t, fl, label } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, sectionHead, kvGrid, form, toast, btn, busy, errorBanner } from '../ui.js';
import { sheetSection, evidenceSection } from './sheet.js';

const GRADES = ['leading', 'A', 'B', 'B-', 'C', 'D'];

export async function render(ctx) {
  const { main } = ctx;
  const id = ctx.params.id;
  const again = () => render(ctx);
  let sheet;
  try { sheet = await get(`/api/v1/emergency/control-plans/${id}`); } catch (e) { main.replaceChildren(pageHead(t('em_grades')), errorBanner(e)); return; }
  const title = `${sheet.enterprise_name} · ${t('em_sheet')}`;
  ctx.setTitle(title);
  const grading = can('emergency.grade');
  const yes = (name, text) => ({ name, label: fl(name, 'emergency_grade'), type: 'checks', options: [['1', text]], testid: `em-${name.replace('_', '-')}` });
  const gradeForm = grading ? form({
    cols: 2, testid: 'em-grade-form', submitTestid: 'em-grade-save', submitLabel: t('save'),
    values: { grade: sheet.grade || '', livelihood: sheet.livelihood ? ['1'] : [], low_voc: sheet.low_voc ? ['1'] : [], evidence: sheet.evidence || '' },
    fields: [
      { name: 'grade', label: fl('grade', 'emergency_grade'), type: 'select', required: true, options: GRADES.map((g) => [g, label('grade', g)]), testid: 'em-grade' },
      { type: 'section', label: t('em_exempt') },
      yes('livelihood', t('em_yes')),
      yes('low_voc', t('em_yes')),
      { name: 'evidence', label: fl('evidence', 'emergency_grade'), type: 'textarea', maxlength: 2000, span: 2, rows: 3, testid: 'em-evidence-text' },
    ],
    onSubmit: async (v) => {
      await put(`/api/v1/emergency/performance-grades/${id}`, { grade: v.grade, evidence: v.evidence, livelihood: v.livelihood.includes('1'), low_voc: v.low_voc.includes('1') });
      toast(t('em_saved'));
      again();
    },
  }) : null;
  const confirm = grading && sheet.grade && sheet.sheet_state !== 'confirmed'
    ? btn(t('em_sheet_confirm'), (e) => busy(e.currentTarget, async () => {
      await post(`/api/v1/emergency/control-plans/${id}/confirm`, {});
      toast(t('em_sheet_confirmed'));
      again();
    }), { primary: true, small: true, testid: 'em-sheet-confirm' }) : null;
  const [sheetEl, evidence] = await Promise.all([
    sheetSection(id, sheet, { canEdit: grading, reload: again, head: confirm ? [confirm] : [] }),
    sheet.grade ? evidenceSection(id, { canUpload: grading, reload: again }) : null,
  ]);
  main.replaceChildren(
    pageHead(title, btn(t('em_back'), () => ctx.navigate('/emergency'), { small: true })),
    h('section', { class: 'panel' }, sectionHead(t('em_grade_head')),
      gradeForm ? gradeForm.el : kvGrid([
        [fl('grade', 'emergency_grade'), sheet.grade ? label('grade', sheet.grade) : ''],
        [t('em_exempt'), [sheet.livelihood ? t('em_livelihood_yes') : '', sheet.low_voc ? t('em_low_voc_yes') : ''].filter(Boolean).join('；')],
        [fl('evidence', 'emergency_grade'), sheet.evidence, { wide: true }],
      ], 'em-grade-kv')),
    evidence || h('p', { class: 'muted' }, t('em_evidence_none_grade')),
    sheetEl);
}
