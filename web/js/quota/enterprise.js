// One enterprise's emission rights: its lots (serial, origin, validity, price, the pledged part),
// its pledge loans (the firm applies here; each role's step as on the pledge page), its movements
// and this year's actual emissions against its holdings. The firm's own page (#/quota/mine) is
// the same for its own enterprise.
import { get, qs } from '../api.js';
import { t, fl, label } from '../i18n.js';
import { can, session } from '../session.js';
import { h, pageHead, sectionHead, dataTable, btn, fmtTime, errorBanner } from '../ui.js';
import { PN, tons, yuan, badge, localSource } from './common.js';
import { applyDialog } from './forms.js';
import { pledgeColumns } from './pledges.js';

export async function render(ctx) {
  const { main } = ctx;
  const id = Number(ctx.params.id || session.user.enterprise_id);
  const year = String(new Date(Date.now() + 8 * 3600e3).getUTCFullYear());
  let d, em, ent;
  try {
    [d, em, ent] = await Promise.all([get(`/api/v1/quota/enterprises/${id}`), get(`/api/v1/quota/emissions${qs({ year, enterprise_id: id })}`),
      get(`/api/v1/enterprises/${id}`).catch(() => null)]);
  } catch (e) { main.replaceChildren(pageHead(t('qt_nav')), errorBanner(e)); return; }
  const title = `${t('qt_nav')} · ${ent?.name || `#${id}`}`;
  ctx.setTitle(title);
  const again = () => render(ctx);
  const lots = dataTable({
    testid: 'qt-lots', sort: '-id', paged: d.lots.length > 20,
    fetch: localSource(async () => d.lots.filter((l) => l.amount_kg > 0)),
    columns: [
      { key: 'serial', label: fl('serial', 'quota_lot'), sort: 'serial', primary: true, cls: 'mono' },
      { key: 'pollutant', label: fl('pollutant', 'quota_lot'), sort: 'pollutant', render: (l) => PN[l.pollutant] },
      { key: 'amount_kg', label: fl('amount_kg', 'quota_lot'), sort: 'amount_kg', cls: 'num', render: (l) => tons(l.amount_kg) },
      { key: 'pledged_kg', label: fl('pledged_kg', 'quota_lot'), sort: 'pledged_kg', cls: 'num', render: (l) => (l.pledged_kg ? h('span', { class: 'badge amber' }, tons(l.pledged_kg)) : '0') },
      { key: 'origin', label: fl('origin', 'quota_lot'), sort: 'origin', render: (l) => label('quota_origin', l.origin) },
      { key: 'valid_to', label: fl('valid_to', 'quota_lot'), sort: 'valid_to', cls: 'nowrap', render: (l) => `${l.valid_from} – ${l.valid_to}` },
      { key: 'price', label: fl('price', 'quota_lot'), sort: 'price', cls: 'num', render: (l) => (l.price ? yuan(l.price) : '') },
    ],
  });
  const pledges = dataTable({ testid: 'qt-own-pledges', sort: '-id', fetch: localSource(async () => d.pledges), columns: pledgeColumns(again) });
  const moves = dataTable({
    testid: 'qt-own-moves', sort: '-id', fetch: localSource(async () => d.movements),
    columns: [
      { key: 'kind', label: t('qt_kind'), sort: 'kind', primary: true, render: (m) => label('quota_move', m.kind) },
      { key: 'pollutant', label: fl('pollutant', 'quota_lot'), sort: 'pollutant', render: (m) => PN[m.pollutant] },
      { key: 'amount_kg', label: fl('amount_t'), sort: 'amount_kg', cls: 'num', render: (m) => (m.from_enterprise_id === id && m.kind !== 'pledge' ? '−' : '') + tons(m.amount_kg) },
      { key: 'other', label: `${t('qt_from')} / ${t('qt_to')}`, render: (m) => (m.from_enterprise_id === id ? m.to_name : m.from_name) || '—' },
      { key: 'created_at', label: t('qt_time'), sort: 'created_at', cls: 'nowrap', render: (m) => fmtTime(m.created_at) },
    ],
  });
  const emis = dataTable({
    testid: 'qt-own-emissions', paged: false, fetch: localSource(async () => em.items),
    columns: [
      { key: 'pollutant', label: fl('pollutant', 'quota_lot'), primary: true, render: (r) => `${label('quota_pollutant', r.pollutant)} ${PN[r.pollutant]}` },
      { key: 'actual_kg', label: fl('actual_kg'), cls: 'num', render: (r) => tons(r.actual_kg) },
      { key: 'held_kg', label: fl('held_kg'), cls: 'num', render: (r) => tons(r.held_kg) },
      { key: 'points', label: t('qt_points'), render: (r) => r.points.map((p) => `${p.name} ${tons(p.kg)}`).join('、') || '—' },
      { key: 'state', label: t('qt_state'), render: (r) => badge('quota_usage', r.state, `qt-usage-${r.pollutant}`) },
    ],
  });
  const mayApply = can('quota.apply') && (session.user.role !== 'enterprise' || session.user.enterprise_id === id);
  main.replaceChildren(
    pageHead(title, mayApply ? btn(t('qt_apply'), () => applyDialog(id, again), { primary: true, testid: 'qt-apply' }) : ''),
    sectionHead(t('qt_lots_title')), lots.el,
    sectionHead(`${t('qt_emissions')} · ${year}`), em.items.length ? emis.el : h('p', { class: 'muted' }, t('qt_no_emissions')),
    sectionHead(t('qt_pledges')), pledges.el,
    sectionHead(t('qt_moves')), moves.el);
}
