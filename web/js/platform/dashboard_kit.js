// What a module's part of the 工作台 is made of (its module.js `dashboard` loads a file whose
// items(d, kit) returns them): number cards and panels, each ranked per role — the page shows
// a role's five best-ranked cards and its ranked panels in order; a rank of null (or no rank
// for the role and no `default`) leaves the item out for that role.
//   { kind: 'card', el, rank: { leader: 1, admin: 1, monitor: 1, default: 4 } }
//   { kind: 'panel', make: (cls) => element, rank: {…}, cls: { leader: 'span2', default: '' } }
// kit gives the builders below, the page's chart registry (chartEl) and navigate/can.
import { h } from '../ui.js';
import { t } from '../i18n.js';

export const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

export function card({ num, lbl, sub, href, testid, tone, subTone }) {
  const body = [h('div', { class: 'num' }, num), h('div', { class: 'lbl' }, lbl),
    sub ? h('div', { class: `sub ${subTone || ''}` }, sub) : null];
  return href ? h('a', { class: `card ${tone || ''}`, href, 'data-testid': testid }, body)
    : h('div', { class: `card ${tone || ''}`, 'data-testid': testid }, body);
}

export function panel(title, testid, body, { cls = '', badgeEl = null, more = null } = {}) {
  return h('section', { class: `panel ${cls}`, 'data-testid': testid },
    h('div', { class: 'panel-head' }, h('h2', {}, title), badgeEl, h('span', { class: 'spacer' }), more), body);
}

export const viewAll = (href) => h('a', { href }, `${t('view_all')} ›`);

// A narrow pie (a phone, a 1100 px laptop's panel) takes less radius, so its outside labels are
// not cut short.
export const pieRadius = (wide, w) => (w && w < 340 ? ['36%', '58%'] : wide);

// The rank of an item for a role (null: not shown).
export function rankFor(item, r) {
  const v = item.rank?.[r];
  return v === undefined ? item.rank?.default ?? null : v;
}
