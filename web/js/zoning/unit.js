// One control unit: its facts, its outline drawn, and its access list item by item (number,
// dimension, effect, the industries it applies to, the text).
import { get } from '../api.js';
import { t, fl, label } from '../i18n.js';
import { h, pageHead, kvGrid, simpleTable, btn } from '../ui.js';
import { unitMap, effectBadge, industriesText } from './common.js';

export async function render(ctx) {
  const { main, params } = ctx;
  const u = await get(`/api/v1/zoning/units/${params.id}`);
  ctx.setTitle(t('zn_unit_title', { c: u.code }));
  const map = unitMap({ units: [u], height: 280, testid: 'zoning-unit-map' });
  const [cx, cy] = [(u.min_lon + u.max_lon) / 2, (u.min_lat + u.max_lat) / 2];
  main.replaceChildren(
    pageHead(`${u.name}`, btn(t('zn_check_on_map'), () => ctx.navigate(`/zoning/check?lon=${cx.toFixed(5)}&lat=${cy.toFixed(5)}`), { testid: 'zoning-unit-check' })),
    kvGrid([
      [fl('code', 'control_unit'), u.code],
      [fl('kind', 'control_unit'), label('zoning_kind', u.kind)],
      [fl('region_code', 'control_unit'), u.region_name || u.region_code],
      [fl('sensitive', 'control_unit'), u.sensitive ? '✓' : '—'],
      [fl('edition_id', 'control_unit'), `${u.edition}${u.edition_in_force ? `（${t('zn_in_force')}）` : ''}`],
      [t('zn_bbox'), `${u.min_lon.toFixed(4)}–${u.max_lon.toFixed(4)}°E, ${u.min_lat.toFixed(4)}–${u.max_lat.toFixed(4)}°N`],
      [t('zn_note'), u.note || '—'],
    ], 'zoning-unit-facts'),
    map.el,
    h('h2', {}, t('zn_list_items')),
    simpleTable({
      testid: 'zoning-unit-items', rows: u.items, empty: t('zn_no_reasons'),
      columns: [
        { key: 'number', label: t('zn_item'), cls: 'nowrap' },
        { key: 'dimension', label: t('zn_dimension'), render: (i) => label('zoning_dimension', i.dimension) },
        { key: 'effect', label: t('zn_effect'), render: (i) => effectBadge(i.effect) },
        { key: 'industries', label: fl('industry'), render: (i) => industriesText(i.industries) },
        { key: 'text', label: t('zn_text'), primary: true },
      ],
    }));
}
