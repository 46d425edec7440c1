// The public 违法风险点及防控措施清单 (#/public/risk-points, no login): per industry, each common
// violation with its risk point, how to avoid it, its legal basis and range and the no-penalty
// items that cover it; filtered by industry; the same list as a PDF.
import { get, qs } from '../api.js';
import { t, getLang } from '../i18n.js';
import { h, selectEl } from '../ui.js';
import { frame, card } from './public.js';

export async function render(ctx) {
  const { root, query } = ctx;
  const rerender = () => render(ctx);
  const industry = query.get('industry') || '';
  const all = await get('/api/v1/public/penalty/risk-points');
  const r = industry ? await get(`/api/v1/public/penalty/risk-points${qs({ industry })}`) : all;
  document.title = t('pen_risk_title');
  const zh = getLang() === 'zh';
  const pick = selectEl({ name: 'industry', testid: 'risk-industry', placeholder: t('pen_all_industries'), value: industry,
    options: all.industries.filter((i) => i.code !== '*').map((i) => [i.code, `${i.code} ${i.name}`]),
    onChange: () => { location.hash = `#/public/risk-points${pick.value ? `?industry=${pick.value}` : ''}`; } });
  const pdf = h('a', { class: 'btn', href: `/api/v1/public/penalty/risk-points/pdf${qs({ industry: industry || undefined })}`, 'data-testid': 'risk-pdf', download: 'risk-points.pdf' }, t('pen_risk_pdf'));
  const sections = r.industries.map((ind) => card(
    h('h2', { 'data-testid': `risk-industry-${ind.code}` }, ind.code === '*' ? (zh ? ind.name : ind.name_en) : `${ind.name}（${ind.code}）`),
    h('ol', {}, ind.items.map((v) => h('li', { 'data-testid': `risk-${ind.code}-${v.code}`, style: { marginBottom: '12px' } },
      h('strong', {}, zh ? v.zh : v.en),
      h('div', {}, h('span', { class: 'badge amber' }, t('pen_risk_point')), ' ', zh ? v.risk_zh : v.risk_en),
      h('div', {}, h('span', { class: 'badge green' }, t('pen_prevent')), ' ', zh ? v.prevent_zh : v.prevent_en),
      h('div', { class: 'muted small' }, `${v.legal_basis} · ${v.range}`),
      v.exempt.length ? h('div', { class: 'small' }, h('span', { class: 'badge blue' }, t('pen_exempt_items')), ' ',
        v.exempt.map((e) => `${zh ? e.zh : e.en}：${e.conditions.join('；')}`).join(' / ')) : null)))));
  frame(root, t('pen_risk_title'), [card(h('p', { class: 'muted' }, t('pen_risk_intro')), h('div', { style: { display: 'flex', gap: '12px', flexWrap: 'wrap' } }, pick, pdf)), ...sections], rerender);
}
