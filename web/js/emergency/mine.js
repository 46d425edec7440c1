// The enterprise's own page: today's alert covering it and what each of its lines must do, the
// confirmation of execution, its 一企一策 sheet (it edits the lines; a change goes back to 待确认
// for staff to confirm) and its grade's evidence files.
import { get, post } from '../api.js';
import { t, fl, label } from '../i18n.js';
import { session } from '../session.js';
import { h, pageHead, sectionHead, simpleTable, btn, busy, toast, kvGrid, errorBanner } from '../ui.js';
import { sheetSection, evidenceSection } from './sheet.js';

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('em_own_nav'));
  const ent = session.user.enterprise_id;
  let alerts, sheet;
  try {
    [alerts, sheet] = await Promise.all([get('/api/v1/emergency/alerts?current=1'), get(`/api/v1/emergency/control-plans/${ent}`)]);
  } catch (e) { main.replaceChildren(pageHead(t('em_own_nav')), errorBanner(e)); return; }
  const parts = [pageHead(t('em_own_nav')), sectionHead(t('em_today'))];
  const a = alerts.items[0];
  if (!a) {
    parts.push(h('p', { class: 'muted', 'data-testid': 'em-no-today' }, t('em_no_today')));
  } else {
    const c = await get(`/api/v1/emergency/alerts/${a.id}/control`);
    const me = c.firms[0];
    parts.push(h('p', { 'data-testid': 'em-today' }, h('strong', {}, label('emergency_level', a.level)), ` ${a.starts_at} – ${a.ends_at}`),
      simpleTable({ testid: 'em-my-lines', rows: me ? me.lines : [], columns: [
        { key: 'name', label: t('em_line'), primary: true },
        { key: 'action', label: t('em_action'), render: (r) => label('emergency_action', r.action) },
      ] }),
      me && me.confirmed_at ? h('p', { class: 'ok' }, t('em_confirm_ok')) : btn(t('em_confirm'), (e) => busy(e.currentTarget, async () => {
        await post(`/api/v1/emergency/alerts/${a.id}/confirm`, {});
        toast(t('em_confirm_ok'));
        render(ctx);
      }), { primary: true, testid: 'em-confirm' }));
  }
  const again = () => render(ctx);
  const [sheetEl, evidence] = await Promise.all([
    sheetSection(ent, sheet, { canEdit: true, reload: again }),
    sheet.grade ? evidenceSection(ent, { canUpload: false, reload: again }) : null,
  ]);
  parts.push(sectionHead(t('em_grade_head')),
    kvGrid([
      [fl('grade', 'emergency_grade'), sheet.grade ? label('grade', sheet.grade) : t('em_ungraded')],
      [t('em_exempt'), [sheet.livelihood ? t('em_livelihood_yes') : '', sheet.low_voc ? t('em_low_voc_yes') : ''].filter(Boolean).join('；')],
      [fl('evidence', 'emergency_grade'), sheet.evidence, { wide: true }],
    ], 'em-my-grade'),
    evidence || '',
    h('p', { class: 'muted small' }, t('em_sheet_hint')),
    sheetEl);
  main.replaceChildren(...parts);
}
