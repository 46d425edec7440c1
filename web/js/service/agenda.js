// The enterprise's own service-day agenda: its items on service days and consultation days (the
// last 90 days and to come), each with the session, its outcome and whether the firm attended.
import { get } from '../api.js';
import { t, label } from '../i18n.js';
import { h, pageHead, simpleTable } from '../ui.js';

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('sv_my_agenda'));
  const d = await get('/api/v1/service/agenda');
  main.replaceChildren(pageHead(t('sv_my_agenda')), h('p', { class: 'muted' }, t('sv_my_agenda_hint')), simpleTable({
    testid: 'agenda-table', empty: t('sv_agenda_none'),
    columns: [
      { key: 'held_on', label: label('service_session_kind', 'service_day'), cls: 'nowrap', render: (r) => `${r.held_on} ${r.title}` },
      { key: 'item_title', label: t('sv_items'), primary: true },
      { key: 'outcome', label: t('sv_outcome') },
      { key: 'resolved', label: t('sv_resolved'), render: (r) => (r.resolved ? '✓' : '—') },
      { key: 'attended', label: t('sv_attended'), render: (r) => (r.attended ? '✓' : '—') },
    ],
    rows: d.items,
  }));
}
