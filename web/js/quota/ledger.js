// 排污权交易台账: every movement of rights (allocations, purchases, trades, reserve sales,
// buybacks, retirements, pledges and releases, into the reserve), newest first, filtered by kind
// and enterprise name, with the reserve per pollutant and the managers' dialogs.
import { get } from '../api.js';
import { t, fl, label, enumOptions } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, sectionHead, dataTable, btn, searchBox, selectEl, fmtTime, kvGrid, errorBanner } from '../ui.js';
import { P, PN, tons, yuan, localSource } from './common.js';
import { tradeDialog, outDialog, reserveDialog } from './forms.js';

// The side of a movement that is no enterprise: the government (allocations, paid use), the
// reserve, or nobody (a retirement, a pledge, a release).
const FROM = { allocate: 'qt_gov', purchase: 'qt_gov', reserve_sale: 'qt_reserve', reserve_add: 'qt_gov' };
const TO = { buyback: 'qt_reserve', reserve_add: 'qt_reserve' };
const side = (id, name, key) => (id ? h('a', { href: `#/quota/enterprises/${id}` }, name) : key ? t(key) : '—');

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('qt_ledger_nav'));
  let moves, reserve;
  try {
    [moves, reserve] = await Promise.all([get('/api/v1/quota/movements'), get('/api/v1/quota/reserve')]);
  } catch (e) { main.replaceChildren(pageHead(t('qt_ledger_nav')), errorBanner(e)); return; }
  let q = '', kind = '';
  const keep = (m) => (!kind || m.kind === kind) && (!q || `${m.from_name || ''} ${m.to_name || ''}`.includes(q));
  const table = dataTable({
    testid: 'qt-moves', sort: '-id',
    fetch: localSource(async () => moves.items, keep),
    toolbar: [
      searchBox({ placeholder: t('qt_search'), testid: 'qt-move-search', onSearch: (v) => { q = v.trim(); table.reload(); } }),
      selectEl({ options: [['', t('qt_all')], ...enumOptions('quota_move')], testid: 'qt-move-kind', onChange: (v) => { kind = v; table.reload(); } }),
    ],
    columns: [
      { key: 'id', label: '#', sort: 'id', cls: 'num' },
      { key: 'kind', label: t('qt_kind'), sort: 'kind', primary: true, render: (m) => label('quota_move', m.kind) },
      { key: 'pollutant', label: fl('pollutant', 'quota_lot'), sort: 'pollutant', render: (m) => PN[m.pollutant] || m.pollutant },
      { key: 'amount_kg', label: fl('amount_t'), sort: 'amount_kg', cls: 'num', render: (m) => tons(m.amount_kg) },
      { key: 'from_name', label: t('qt_from'), sort: 'from_name', render: (m) => side(m.from_enterprise_id, m.from_name, FROM[m.kind]) },
      { key: 'to_name', label: t('qt_to'), sort: 'to_name', render: (m) => side(m.to_enterprise_id, m.to_name, TO[m.kind]) },
      { key: 'serial', label: fl('serial', 'quota_lot'), cls: 'mono' },
      { key: 'price', label: fl('price', 'quota_lot'), sort: 'price', cls: 'num', render: (m) => (m.price ? yuan(m.price) : '') },
      { key: 'created_at', label: t('qt_time'), sort: 'created_at', cls: 'nowrap', render: (m) => fmtTime(m.created_at) },
    ],
  });
  const manage = can('quota.manage');
  const again = () => render(ctx);
  main.replaceChildren(
    pageHead(t('qt_ledger_nav'), ...(manage ? [
      btn(t('qt_trade'), () => tradeDialog(again), { primary: true, testid: 'qt-trade' }),
      btn(t('qt_sale'), () => outDialog('sale', again), { testid: 'qt-sale' }),
      btn(t('qt_buyback'), () => outDialog('buyback', again), { testid: 'qt-buyback' }),
      btn(t('qt_retire'), () => outDialog('retire', again), { testid: 'qt-retire' }),
      btn(t('qt_reserve_add'), () => reserveDialog(again), { testid: 'qt-reserve-add' }),
    ] : [])),
    sectionHead(t('qt_reserve')),
    kvGrid(reserve.items.filter((r) => P.includes(r.pollutant)).map((r) => [`${label('quota_pollutant', r.pollutant)} ${PN[r.pollutant]}`, t('qt_t', { v: tons(r.amount_kg) })]), 'qt-reserve'),
    sectionHead(t('qt_moves')), table.el);
}
