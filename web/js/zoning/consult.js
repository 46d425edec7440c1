// One pre-consultation: the project, its site drawn over the units, the site check as recorded
// (verdict, units, items that apply), the notice of concerns paragraph by paragraph and its PDF.
import { get } from '../api.js';
import { t, fl } from '../i18n.js';
import { h, pageHead, kvGrid, downloadLink, fmtTime, fmtNum } from '../ui.js';
import { unitMap, answerView } from './common.js';

export async function render(ctx) {
  const { main, params } = ctx;
  const c = await get(`/api/v1/zoning/consults/${params.id}`);
  ctx.setTitle(t('zn_consult_title', { id: c.id }));
  const m = await get(`/api/v1/zoning/map${c.edition ? `?edition=${encodeURIComponent(c.edition)}` : ''}`).catch(() => ({ units: [] }));
  const touched = new Set(c.check.units.map((u) => u.code));
  const map = unitMap({ units: m.units, height: 300, testid: 'consult-map' });
  map.setSite(c.geometry);
  map.highlight([...touched]);
  const pdf = downloadLink({ label: t('zn_pdf'), href: `/api/v1/zoning/consults/${c.id}/notice.pdf`, testid: 'consult-pdf', cls: 'btn primary' });
  main.replaceChildren(
    pageHead(c.project_name, pdf.el),
    kvGrid([
      [fl('builder', 'zoning_consult'), c.builder],
      [fl('enterprise_id', 'zoning_consult'), c.enterprise_name || t('zn_prospect')],
      [fl('industry', 'zoning_consult'), c.industry || '—'],
      [fl('investment', 'zoning_consult'), c.investment ? fmtNum(c.investment) : '—'],
      [fl('region_code', 'zoning_consult'), c.region_code || '—'],
      [fl('created_at', 'zoning_consult'), fmtTime(c.created_at)],
      [t('zn_recorded_by'), c.created_by_name || '—'],
    ], 'consult-facts'),
    touched.size ? map.el : null,
    answerView(c.check, 'consult-answer'),
    h('h2', {}, t('zn_notice')),
    h('div', { class: 'zn-notice', 'data-testid': 'consult-notice' }, c.notice.map((p) => h('p', {}, p))));
}
