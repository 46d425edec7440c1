// Shared pieces of the zoning pages: the drawing of unit outlines (an SVG plot in lon/lat,
// shrunk east-west by the latitude's cosine so shapes keep their look; no tiles exist offline)
// with the site on it, the verdict badge and the lists of units touched and items that apply.
import { t, fl, label } from '../i18n.js';
import { h, simpleTable } from '../ui.js';

const NS = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}, ...kids) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, v);
  el.append(...kids.filter(Boolean));
  return el;
};
const KIND_CLASS = { priority: 'zn-priority', key: 'zn-key', general: 'zn-general' };

function rings(g) {
  if (!g) return [];
  if (g.type === 'Polygon') return [g.coordinates];
  if (g.type === 'MultiPolygon') return g.coordinates;
  return [];
}

function extent(units, site) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const add = ([x, y]) => { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); };
  for (const u of units) for (const p of rings(u.geometry)) for (const r of p) r.forEach(add);
  if (site?.type === 'Point') add(site.coordinates);
  for (const p of rings(site)) for (const r of p) r.forEach(add);
  if (!Number.isFinite(x0)) return [119.5, 30.4, 120.6, 31.2];
  const pad = Math.max(x1 - x0, y1 - y0) * 0.04 || 0.01;
  return [x0 - pad, y0 - pad, x1 + pad, y1 + pad];
}

// The map: units [{code, name, kind, geometry}], optional onClick([lon, lat]). Returns {el,
// setSite(geometry | {draft: [[lon, lat]…]}), highlight(codes)}.
export function unitMap({ units, onClick, testid = 'zoning-map', height = 460 }) {
  const [x0, y0, x1, y1] = extent(units);
  const k = Math.cos(((y0 + y1) / 2) * Math.PI / 180);
  const W = 1000, H = Math.max(200, Math.round(W * (y1 - y0) / ((x1 - x0) * k)));
  const px = ([x, y]) => [((x - x0) / (x1 - x0)) * W, H - ((y - y0) / (y1 - y0)) * H];
  const path = (g) => rings(g).map((p) => p.map((r) => `M${r.map((c) => px(c).map((v) => v.toFixed(1)).join(',')).join('L')}Z`).join('')).join('');
  const shapes = new Map();
  const layer = svg('g', { class: 'zn-units' });
  for (const u of units) {
    const el = svg('path', { d: path(u.geometry), class: `zn-unit ${KIND_CLASS[u.kind] || ''}`, 'data-code': u.code },
      svg('title', {}, `${u.code} ${u.name}（${label('zoning_kind', u.kind)}）`));
    shapes.set(u.code, el);
    layer.append(el);
  }
  const siteLayer = svg('g', { class: 'zn-site' });
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'zn-map', 'data-testid': testid, role: 'img', style: `max-height:${height}px`,
    'data-extent': JSON.stringify([x0, y0, x1, y1]) }, layer, siteLayer);
  root.addEventListener('click', (e) => {
    if (!onClick) return;
    // through the SVG's own transform: the drawing keeps its aspect inside a wider box
    const pt = root.createSVGPoint();
    pt.x = e.clientX; pt.y = e.clientY;
    const { x: sx, y: sy } = pt.matrixTransform(root.getScreenCTM().inverse());
    const lon = x0 + (sx / W) * (x1 - x0), lat = y0 + ((H - sy) / H) * (y1 - y0);
    onClick([Math.round(lon * 1e5) / 1e5, Math.round(lat * 1e5) / 1e5]);
  });
  const legend = h('div', { class: 'zn-legend' }, ['priority', 'key', 'general'].map((kind) =>
    h('span', { class: 'zn-legend-item' }, h('span', { class: `zn-swatch ${KIND_CLASS[kind]}` }), label('zoning_kind', kind))));
  return {
    el: h('div', { class: 'zn-map-box' }, root, legend),
    setSite(g) {
      siteLayer.replaceChildren();
      if (!g) return;
      if (g.draft) {
        if (g.draft.length > 1) siteLayer.append(svg('polyline', { points: g.draft.map((c) => px(c).join(',')).join(' '), class: 'zn-draft' }));
        for (const c of g.draft) { const [x, y] = px(c); siteLayer.append(svg('circle', { cx: x, cy: y, r: 4, class: 'zn-vertex' })); }
      } else if (g.type === 'Point') {
        const [x, y] = px(g.coordinates);
        siteLayer.append(svg('circle', { cx: x, cy: y, r: 7, class: 'zn-point', 'data-testid': 'zoning-site' }));
      } else {
        siteLayer.append(svg('path', { d: path(g), class: 'zn-site-shape', 'data-testid': 'zoning-site' }));
      }
    },
    highlight(codes) {
      for (const [c, el] of shapes) el.classList.toggle('zn-hit', codes.includes(c));
    },
  };
}

const VERDICT_CLASS = { forbidden: 'red', conditional: 'amber', allowed: 'green', no_unit: 'grey' };
export function verdictBadge(v, testid) {
  return h('span', { class: `badge ${VERDICT_CLASS[v] || ''}`, 'data-testid': testid }, label('zoning_verdict', v));
}

const EFFECT_CLASS = { forbid: 'red', condition: 'amber', allow: 'green' };
export function effectBadge(e) {
  return h('span', { class: `badge ${EFFECT_CLASS[e] || ''}` }, label('zoning_effect', e));
}

export function industriesText(v) {
  const list = Array.isArray(v) ? v : String(v || '').split(',').filter(Boolean);
  return list.length ? list.join('、') : t('zn_applies_all');
}

// The answer of a site check: verdict, sensitivity, units and reasons.
export function answerView(a, testid = 'zoning-answer') {
  return h('div', { class: 'zn-answer', 'data-testid': testid },
    h('p', { class: 'zn-verdict' }, h('strong', {}, t('zn_verdict_is')), verdictBadge(a.verdict, 'zoning-verdict'),
      a.edition ? h('span', { class: 'muted' }, ` · ${t('zn_edition_now', { e: a.edition })}`) : null),
    a.sensitive ? h('p', { class: 'notice warn', 'data-testid': 'zoning-sensitive' }, t('zn_sensitive')) : null,
    h('h3', {}, t('zn_units_touched')),
    simpleTable({
      testid: 'zoning-units-touched', empty: label('zoning_verdict', 'no_unit'), rows: a.units,
      columns: [
        { key: 'code', label: fl('code', 'control_unit'), render: (u) => u.code },
        { key: 'name', label: fl('name', 'control_unit'), render: (u) => u.name },
        { key: 'kind', label: fl('kind', 'control_unit'), render: (u) => label('zoning_kind', u.kind) },
        { key: 'relation', label: t('zn_relation'), render: (u) => label('zoning_relation', u.relation) },
      ],
    }),
    h('h3', {}, t('zn_reasons')),
    a.reasons.length
      ? h('ol', { class: 'zn-reasons', 'data-testid': 'zoning-reasons' }, a.reasons.map((r) => h('li', { 'data-effect': r.effect },
        effectBadge(r.effect), ' ', h('strong', {}, `${r.unit} · ${t('zn_item')} ${r.item}`), ` · ${label('zoning_dimension', r.dimension)} · ${industriesText(r.industries)}`,
        h('div', {}, r.text))))
      : h('p', { class: 'muted' }, t('zn_no_reasons')));
}
