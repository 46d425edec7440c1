// Shared bits of the approval pages: the badges of a state, class, route and clock, and the site
// check's panel (zoning verdict, class proposal, route with the reasons a simpler one is shut).
import { t, label, getLang } from '../i18n.js';
import { h, kvGrid, simpleTable } from '../ui.js';

const TONE = { filed: 'amber', notice: 'amber', accepted: 'blue', approved: 'green', rejected: 'red', recorded: 'green', exempt: 'gray', withdrawn: 'gray', revoked: 'red' };
const CLOCK_TONE = { on_track: 'green', due_soon: 'amber', overdue: 'red', paused: 'gray', stopped: 'gray', none: 'gray' };

export const stateBadge = (s, testid) => h('span', { class: `badge ${TONE[s] || ''}`, 'data-testid': testid }, label('eia_state', s));
export const classLabel = (c) => label('eia_class', c);
export const routeLabel = (r) => label('eia_route', r);
export const clockBadge = (c, testid) => (c ? h('span', { class: `badge ${CLOCK_TONE[c] || ''}`, 'data-testid': testid }, label('eia_clock', c)) : '—');

// The reasons [{code, text_zh, text_en}] as a list.
export function reasonList(reasons, testid) {
  if (!reasons || !reasons.length) return h('p', { class: 'muted', 'data-testid': testid }, t('ap_no_reasons'));
  const zh = getLang() === 'zh';
  return h('ul', { 'data-testid': testid }, reasons.map((r) => h('li', { 'data-code': r.code }, zh ? r.text_zh : r.text_en)));
}

// The answer of POST /approval/check (or an application's stored check) as a block.
export function assessment(a, testid = 'approval-assess') {
  const z = a.zoning || {};
  const units = z.units || [];
  const zh = getLang() === 'zh';
  const limit = a.limit_days ? (a.statutory_days && a.route !== 'commitment'
    ? t('ap_limit_v', { n: a.limit_days, s: a.statutory_days, c: a.compression ?? a.ratio })
    : t('ap_limit_c', { n: a.limit_days })) : '—';
  return h('div', { 'data-testid': testid },
    kvGrid([
      [t('ap_verdict'), h('span', { 'data-testid': `${testid}-verdict`, 'data-verdict': z.verdict || '' }, z.verdict ? label('eia_verdict', z.verdict) : '—')],
      [t('ap_sensitive'), z.sensitive ? h('span', { class: 'badge red' }, '是 / yes') : '否 / no'],
      [t('ap_units'), units.length ? units.map((u) => `${u.code} ${u.name}`).join('；') : t('ap_no_units')],
      [t('ap_proposal'), h('span', { 'data-testid': `${testid}-class` }, `${classLabel(a.class)}${a.proposal ? ` — ${zh ? a.proposal.why_zh : a.proposal.why_en}` : ''}`)],
      [t('ap_route_basis'), h('span', { 'data-testid': `${testid}-route` }, `${routeLabel(a.route)}${a.basis ? `（${a.basis === 'park' ? fl2('park') : a.basis}）` : ''}`)],
      [t('ap_limit'), h('span', { 'data-testid': `${testid}-limit` }, limit)],
    ]),
    h('h3', {}, t('ap_reasons')), reasonList(a.reasons, `${testid}-reasons`),
    (z.reasons || []).length ? h('h3', {}, t('ap_zoning_items')) : null,
    (z.reasons || []).length ? simpleTable({ testid: `${testid}-zoning`, rows: z.reasons, cards: false, columns: [
      { key: 'unit', label: t('ap_zoning_unit') }, { key: 'item', label: t('ap_zoning_item') },
      { key: 'effect', label: t('ap_zoning_eff'), render: (r) => h('span', { class: `badge ${r.effect === 'forbid' ? 'red' : r.effect === 'condition' ? 'amber' : 'green'}` }, label('eia_zoning_effect', r.effect)) },
      { key: 'text', label: t('ap_zoning_text') }] }) : null);
}

function fl2(k) { return k === 'park' ? (getLang() === 'zh' ? '规划环评园区' : 'park with a plan EIA') : k; }
