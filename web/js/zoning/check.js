// 选址准入研判: the edition's unit outlines drawn; the user places a point (a click) or draws a
// polygon (clicks, then Check), or types the coordinates, gives the industry code and checks: the
// verdict, the units touched (inside / on the border / overlapping, highlighted on the drawing)
// and each access-list item that applies, citing its unit and number.
import { get, post } from '../api.js';
import { t, fl } from '../i18n.js';
import { h, pageHead, btn, busy, errorBanner, selectEl, spinner } from '../ui.js';
import { unitMap, answerView } from './common.js';

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('zn_check_title'));
  main.replaceChildren(pageHead(t('zn_check_title')), spinner());
  const data = await get('/api/v1/zoning/map');
  let mode = 'point', draft = [], site = null;
  const lon = h('input', { type: 'number', step: 'any', name: 'lon', 'data-testid': 'zoning-lon', placeholder: t('zn_lon'), value: query.get('lon') || '' });
  const lat = h('input', { type: 'number', step: 'any', name: 'lat', 'data-testid': 'zoning-lat', placeholder: t('zn_lat'), value: query.get('lat') || '' });
  const industry = h('input', { type: 'text', name: 'industry', maxlength: 8, 'data-testid': 'zoning-industry', placeholder: t('zn_industry_ph'), value: query.get('industry') || '' });
  const result = h('div', { class: 'zn-result', 'aria-live': 'polite' });
  const map = unitMap({
    units: data.units,
    onClick: (c) => {
      if (mode === 'point') {
        site = { type: 'Point', coordinates: c };
        lon.value = c[0]; lat.value = c[1];
        map.setSite(site);
        run();
      } else {
        draft.push(c);
        site = null;
        map.setSite({ draft });
      }
    },
  });
  const modeSel = selectEl({ name: 'mode', testid: 'zoning-mode', value: 'point',
    options: [['point', t('zn_mode_point')], ['polygon', t('zn_mode_polygon')]],
    onChange: () => {
      mode = modeSel.value; draft = []; site = null; map.setSite(null);
      lon.disabled = lat.disabled = mode === 'polygon'; // a polygon is drawn, not typed
      if (mode === 'polygon') { lon.value = ''; lat.value = ''; }
    } });
  const typed = () => {
    const x = Number(lon.value), y = Number(lat.value);
    return lon.value !== '' && lat.value !== '' && Number.isFinite(x) && Number.isFinite(y) ? { type: 'Point', coordinates: [x, y] } : null;
  };
  async function run() {
    if (mode === 'polygon' && draft.length) {
      if (draft.length < 3) { result.replaceChildren(errorBanner(new Error(t('zn_draw_more')))); return; }
      site = { type: 'Polygon', coordinates: [[...draft, draft[0]]] };
    } else if (mode === 'point') {
      site = typed() || site;
    }
    if (!site) { result.replaceChildren(errorBanner(new Error(t('zn_pick_site')))); return; }
    map.setSite(site);
    try {
      const a = await post('/api/v1/zoning/check', { geometry: site, industry: industry.value.trim() || undefined });
      map.highlight(a.units.map((u) => u.code));
      result.replaceChildren(answerView(a));
      if (site.type === 'Point') ctx.setQuery({ lon: site.coordinates[0], lat: site.coordinates[1], industry: industry.value.trim() });
    } catch (err) {
      result.replaceChildren(errorBanner(err, 'zoning-error'));
    }
  }
  const checkBtn = btn(t('zn_check'), () => busy(checkBtn, run), { primary: true, testid: 'zoning-check' });
  const clearBtn = btn(t('zn_clear'), () => { draft = []; site = null; lon.value = ''; lat.value = ''; map.setSite(null); map.highlight([]); result.replaceChildren(); }, { testid: 'zoning-clear' });
  const bar = h('div', { class: 'toolbar zn-toolbar' },
    h('label', {}, t('zn_site'), ' ', modeSel), h('label', {}, t('zn_lon'), ' ', lon), h('label', {}, t('zn_lat'), ' ', lat),
    h('label', {}, fl('industry'), ' ', industry), checkBtn, clearBtn);
  main.replaceChildren(pageHead(t('zn_check_title')),
    h('p', { class: 'muted' }, data.edition ? `${t('zn_check_hint')} ${t('zn_edition_now', { e: data.edition })}` : t('zn_no_edition')),
    bar, h('div', { class: 'zn-layout' }, map.el, result));
  if (typed()) { site = typed(); run(); }
}
