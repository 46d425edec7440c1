// The enterprise user's own page: whether its firm is on the positive list and the term — all
// an enterprise sees of the list (GET /api/v1/positive/mine).
import { get } from '../api.js';
import { t, fl } from '../i18n.js';
import { h, pageHead, kvGrid } from '../ui.js';

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('pos_mine_title'));
  const m = await get('/api/v1/positive/mine');
  main.replaceChildren(
    pageHead(t('pos_mine_title')),
    h('div', { class: 'card', 'data-testid': 'positive-mine', 'data-listed': m.listed ? '1' : '0' },
      h('p', { class: m.listed ? 'ok' : 'muted', style: { fontSize: '1.15rem', fontWeight: 600 } }, m.listed ? `✓ ${t('pos_mine_listed')}` : t('pos_mine_not')),
      m.listed ? kvGrid([[fl('listed_from', 'positive_entry'), m.listed_from], [fl('listed_to', 'positive_entry'), m.listed_to]], 'positive-mine-term') : null,
      h('p', { class: 'muted small' }, t('pos_mine_hint'))));
}
