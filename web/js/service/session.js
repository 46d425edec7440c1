// One session: its facts and outcome, the agenda items (an enterprise's open requests put there
// by the job service.day, or added by hand) with their outcomes, and the attendance (firms and
// people). Writers record outcomes, attendance and mark the session held.
import { get, post, put } from '../api.js';
import { t, fl, label } from '../i18n.js';
import { h, pageHead, sectionHead, kvGrid, simpleTable, btn, toast } from '../ui.js';
import { can } from '../session.js';
import { badgeOf, formDialog } from './common.js';

export async function render(ctx) {
  const { main, params } = ctx;
  const id = params.id;
  const d = await get(`/api/v1/service/sessions/${id}`);
  const s = d.session;
  ctx.setTitle(s.title);
  const w = can('service.session');
  const reload = () => render(ctx);
  const items = simpleTable({
    testid: 'items-table', empty: t('sv_no_items'),
    columns: [
      { key: 'enterprise_name', label: fl('enterprise_id', 'service_record'), primary: true },
      { key: 'title', label: fl('title') },
      { key: 'outcome', label: fl('outcome') },
      { key: 'resolved', label: fl('resolved'), render: (r) => h('span', { class: `badge ${r.resolved ? 'green' : 'amber'}`, 'data-testid': `item-resolved-${r.id}` }, r.resolved ? '✓' : '—') },
      { key: 'act', label: '', render: (r) => (w ? btn(t('sv_outcome'), () => formDialog({
        title: t('sv_outcome'), testid: 'outcome-dialog', values: { outcome: r.outcome, resolved: r.resolved ? '1' : '0' },
        fields: [
          { name: 'outcome', label: fl('outcome'), type: 'textarea', span: 2, required: true, maxlength: 4000 },
          { name: 'resolved', label: fl('resolved'), type: 'select', noPlaceholder: true, options: [['1', '✓'], ['0', '—']] },
        ],
        submit: (v) => put(`/api/v1/service/sessions/${id}/items/${r.id}`, { outcome: v.outcome, resolved: v.resolved === '1' }),
        done: reload,
      }), { small: true, testid: `outcome-${r.id}` }) : null) },
    ],
    rows: d.items,
  });
  const attendance = simpleTable({
    testid: 'attendance-table', empty: t('sv_no_attendance'),
    columns: [
      { key: 'enterprise_name', label: fl('enterprise_id', 'service_record'), primary: true },
      { key: 'people', label: t('sv_people'), cls: 'num' },
    ],
    rows: d.attendance,
  });
  const addItem = w ? btn(t('sv_item_add'), () => formDialog({
    title: t('sv_item_add'), testid: 'item-dialog',
    fields: [
      { name: 'enterprise_id', label: t('sv_enterprise_id'), type: 'integer', required: true },
      { name: 'title', label: fl('title'), required: true, span: 2, maxlength: 500 },
    ],
    submit: (v) => post(`/api/v1/service/sessions/${id}/items`, v), done: reload,
  }), { small: true, testid: 'item-add' }) : null;
  const addAtt = w ? btn(t('sv_attend_add'), () => formDialog({
    title: t('sv_attend_add'), testid: 'attend-dialog', values: { people: 1 },
    fields: [
      { name: 'enterprise_id', label: t('sv_enterprise_id'), type: 'integer', required: true },
      { name: 'people', label: t('sv_people'), type: 'integer', min: 0, max: 10000, required: true },
    ],
    submit: (v) => put(`/api/v1/service/sessions/${id}/attendance`, v), done: reload,
  }), { small: true, testid: 'attend-add' }) : null;
  const held = w && s.state !== 'held' ? btn(t('sv_mark_held'), async () => {
    await put(`/api/v1/service/sessions/${id}`, { state: 'held' }); toast(t('sv_saved')); reload();
  }, { primary: true, testid: 'mark-held' }) : null;
  main.replaceChildren(
    pageHead(s.title, held),
    kvGrid([
      [fl('kind', 'service_session'), label('service_session_kind', s.kind)],
      [fl('held_on', 'service_session'), s.held_on],
      [fl('org_unit_id', 'service_session'), s.org_unit_name || ''],
      [fl('place', 'service_session'), s.place || ''],
      [fl('state', 'service_session'), badgeOf('service_session_state', s.state, 'session-state')],
      [t('sv_firms'), `${s.n_firms} / ${t('sv_people')} ${s.n_people}`],
      [fl('outcome', 'service_session'), s.outcome || ''],
    ], 'session-facts'),
    sectionHead(`${t('sv_agenda')}（${d.items.length}）`, addItem), items,
    sectionHead(`${t('sv_attendance')}（${d.attendance.length}）`, addAtt), attendance,
  );
}
