// The map of complaints (#/requests/map): every located complaint in the user's area drawn on an
// SVG in WGS 84 (an equirectangular projection scaled by the cosine of the middle latitude, with
// a graticule; no external tiles), coloured by state; a dot opens its request. The region
// outlines are not in the code tables yet, so the frame is the points' own extent.
import { get, qs } from '../api.js';
import { t, enumOptions } from '../i18n.js';
import { h, pageHead, selectEl } from '../ui.js';
import { L } from './common.js';

const COLORS = { received: '#d97706', accepted: '#2563eb', handling: '#2563eb', closed: '#16a34a', rated: '#16a34a', rejected: '#6b7280', referred: '#6b7280' };
const NS = 'http://www.w3.org/2000/svg';
const s = (tag, attrs, ...kids) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const k of kids) el.append(k);
  return el;
};

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('rq_map'));
  const cat = selectEl({ name: 'category', testid: 'map-category', value: '', placeholder: t('rq_all_categories'), options: enumOptions('request_category').slice(0, 9), onChange: () => draw() });
  const box = h('div', { 'data-testid': 'rq-map', style: { background: '#fff', borderRadius: '8px', padding: '8px' } });
  main.replaceChildren(pageHead(t('rq_map'), cat, h('a', { class: 'btn', href: '#/requests' }, t('rq_title'))), h('p', { class: 'muted' }, t('rq_map_hint')), box);
  async function draw() {
    const r = await get(`/api/v1/requests${qs({ kind: 'complaint', category: cat.value || undefined, limit: 500 })}`);
    const pts = r.items.filter((x) => x.lat !== null && x.lng !== null);
    if (!pts.length) { box.replaceChildren(h('p', { class: 'muted', 'data-testid': 'map-empty' }, t('rq_map_none'))); return; }
    let [n, so, e, w] = [-90, 90, -180, 180];
    for (const p of pts) { n = Math.max(n, p.lat); so = Math.min(so, p.lat); e = Math.max(e, p.lng); w = Math.min(w, p.lng); }
    const pad = Math.max(0.01, (n - so) * 0.08, (e - w) * 0.08);
    n += pad; so -= pad; e += pad; w -= pad;
    const k = Math.cos(((n + so) / 2) * Math.PI / 180);
    const W = 900, H = Math.max(240, Math.min(900, Math.round(W * (n - so) / ((e - w) * k))));
    const x = (lng) => ((lng - w) / (e - w)) * W, y = (lat) => ((n - lat) / (n - so)) * H;
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': t('rq_map') });
    svg.append(s('rect', { x: 0, y: 0, width: W, height: H, fill: '#f8fafc', stroke: '#cbd5e1' }));
    const step = (e - w) > 1 ? 0.5 : (e - w) > 0.2 ? 0.1 : 0.02;
    for (let g = Math.ceil(w / step) * step; g < e; g += step) svg.append(s('line', { x1: x(g), x2: x(g), y1: 0, y2: H, stroke: '#e2e8f0' }), s('text', { x: x(g) + 2, y: H - 4, 'font-size': 10, fill: '#64748b' }, `${g.toFixed(2)}°E`));
    for (let g = Math.ceil(so / step) * step; g < n; g += step) svg.append(s('line', { y1: y(g), y2: y(g), x1: 0, x2: W, stroke: '#e2e8f0' }), s('text', { x: 2, y: y(g) - 2, 'font-size': 10, fill: '#64748b' }, `${g.toFixed(2)}°N`));
    for (const p of pts) {
      const a = s('a', { href: `#/requests/${p.id}`, 'data-testid': `map-dot-${p.id}` },
        s('circle', { cx: x(p.lng).toFixed(1), cy: y(p.lat).toFixed(1), r: p.repeat_of ? 5 : 7, fill: COLORS[p.state] || '#334155', 'fill-opacity': 0.8, stroke: '#fff' },
          s('title', {}, `${p.tracking_code} · ${L('request_category', p.category)} · ${L('request_state', p.state)}`)));
      svg.append(a);
    }
    const legend = h('div', { style: { display: 'flex', gap: '12px', flexWrap: 'wrap', marginTop: '6px' } },
      ['received', 'handling', 'closed', 'rejected'].map((st) => h('span', {}, h('span', { style: { display: 'inline-block', width: '10px', height: '10px', borderRadius: '50%', background: COLORS[st], marginRight: '4px' } }), L('request_state', st))));
    box.replaceChildren(svg, legend);
  }
  await draw();
}
