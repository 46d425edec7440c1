// The public page of penalty decisions (no login, #/public/penalties): the published decisions
// (penalties and no-penalty decisions) not withdrawn by credit repair, searched, filtered by
// outcome, sorted and paged; one decision (?id=N) with its verification page.
import { get, qs } from '../api.js';
import { t, setLang, getLang } from '../i18n.js';
import { h, kvGrid, dataTable, selectEl, searchBox, btn } from '../ui.js';
import { L, outcomeBadge, yuan } from './common.js';

export function frame(root, title, body, rerender) {
  const lang = h('button', { type: 'button', class: 'btn small', 'data-testid': 'lang', onclick: () => { setLang(getLang() === 'zh' ? 'en' : 'zh'); rerender(); } },
    getLang() === 'zh' ? 'English' : '中文');
  root.replaceChildren(h('div', { style: { minHeight: '100vh', background: 'var(--bg, #f4f5f7)' } },
    h('header', { style: { display: 'flex', alignItems: 'center', gap: '12px', padding: '14px 24px', background: 'var(--primary-dd, #0b5a3c)', color: '#fff', flexWrap: 'wrap' } },
      h('span', { class: 'logo', 'aria-hidden': 'true' }), h('strong', { style: { fontSize: '18px' } }, title),
      h('span', { style: { flex: 1 } }),
      h('a', { class: 'btn small', href: '#/public/penalties' }, t('pen_pub_decisions')),
      h('a', { class: 'btn small', href: '#/public/risk-points' }, t('pen_pub_risk')),
      lang, h('a', { class: 'btn small', href: '#/login' }, t('pen_pub_login'))),
    h('main', { style: { maxWidth: '1100px', margin: '20px auto', padding: '0 16px' } }, body)));
}

export const card = (...children) => h('section', { class: 'panel', style: { background: '#fff', padding: '16px 20px', borderRadius: '8px', marginBottom: '16px' } }, ...children);

async function one(root, id, rerender) {
  const p = await get(`/api/v1/public/penalty/decisions/${id}`);
  document.title = `${p.decision_no} · ${t('pen_public_title')}`;
  frame(root, t('pen_public_title'), card(h('h2', {}, `${p.enterprise_name} · ${p.decision_no}`), kvGrid([
    [t('pen_enterprise'), p.enterprise_name], ['统一社会信用代码 / USCC', p.uscc], [t('pen_outcome'), outcomeBadge(p.outcome)],
    [t('pen_amount'), p.outcome === 'penalty' ? yuan(p.amount_yuan) : '—'], [t('pen_decided_on'), p.decided_on],
    [t('pen_facts'), p.facts, { wide: true }],
    p.verify_token ? [t('pen_verify'), h('a', { href: `/verify/${p.verify_token}`, target: '_blank', rel: 'noopener', 'data-testid': 'public-verify' }, t('pen_verify'))] : null,
  ], 'public-decision')), rerender);
}

export async function render(ctx) {
  const { root, query } = ctx;
  const rerender = () => render(ctx);
  const id = Number(query.get('id'));
  if (id) return one(root, id, rerender);
  document.title = t('pen_public_title');
  let q = '';
  const outcome = selectEl({ name: 'outcome', testid: 'public-outcome', placeholder: t('pen_all_outcomes'), value: '',
    options: [['penalty', L('outcome', 'penalty')], ['no_penalty', L('outcome', 'no_penalty')]], onChange: () => table.reload() });
  const search = searchBox({ placeholder: t('pen_search'), testid: 'public-search', onSearch: (v) => { q = v; table.reload(); } });
  const table = dataTable({
    testid: 'public-decisions',
    toolbar: [outcome, search],
    sort: '-decided_on',
    fetch: async (p) => {
      const offset = Number(p.cursor || 0);
      const r = await get(`/api/v1/public/penalty/decisions${qs({ q: q || undefined, outcome: outcome.value || undefined, limit: p.limit, offset,
        sort: p.sort ? p.sort.replace(/^-/, '') : undefined, order: p.sort?.startsWith('-') ? 'desc' : 'asc' })}`);
      const next = offset + r.items.length;
      return { items: r.items, total: r.total, next_cursor: next < r.total ? String(next) : null };
    },
    rowTestid: (p) => `public-${p.id}`,
    columns: [
      { key: 'enterprise_name', label: t('pen_enterprise'), sort: 'enterprise', primary: true, render: (p) => h('a', { href: `#/public/penalties?id=${p.id}` }, p.enterprise_name) },
      { key: 'decision_no', label: t('pen_decision_no'), cls: 'nowrap' },
      { key: 'outcome', label: t('pen_outcome'), render: (p) => outcomeBadge(p.outcome) },
      { key: 'amount_yuan', label: t('pen_amount'), sort: 'amount_yuan', cls: 'num', render: (p) => (p.outcome === 'penalty' ? yuan(p.amount_yuan) : '—') },
      { key: 'decided_on', label: t('pen_decided_on'), sort: 'decided_on', cls: 'nowrap' },
      { key: 'region_name', label: '地区 / Region' },
    ],
  });
  frame(root, t('pen_public_title'), card(h('p', { class: 'muted' }, t('pen_pub_intro')), table.el), rerender);
}
