// The 排污权 tab of an enterprise: its holdings per pollutant (held, pledged, free, soonest expiry)
// and a link to its full rights page (lots, movements, pledges, emissions).
import { get } from '../api.js';
import { t, fl, label } from '../i18n.js';
import { h, simpleTable, sectionHead } from '../ui.js';
import { PN, tons } from './common.js';

export async function renderTab(e, box) {
  const r = await get(`/api/v1/quota/holdings?enterprise_id=${e.id}`);
  box.replaceChildren(
    sectionHead(t('qt_holdings'), h('a', { href: `#/quota/enterprises/${e.id}`, 'data-testid': 'quota-tab-more' }, `${t('qt_lots_title')} ›`)),
    simpleTable({
      testid: 'quota-tab', rows: r.items || [], empty: t('qt_no_holdings'),
      columns: [
        { key: 'pollutant', label: fl('pollutant', 'quota_lot'), primary: true, render: (x) => `${label('quota_pollutant', x.pollutant)} ${PN[x.pollutant]}` },
        { key: 'amount_kg', label: t('qt_held'), cls: 'num', render: (x) => tons(x.amount_kg) },
        { key: 'pledged_kg', label: t('qt_pledged'), cls: 'num', render: (x) => tons(x.pledged_kg) },
        { key: 'free', label: t('qt_free'), cls: 'num', render: (x) => tons(x.amount_kg - x.pledged_kg) },
        { key: 'valid_to', label: fl('valid_to', 'quota_lot') },
      ],
    }));
}
