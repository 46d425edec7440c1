// Rule sets (规则集): every version, filtered by kind and jurisdiction, newest version first per
// (kind, jurisdiction); which one is in force today for each, and whether a decision used it.
// Ticking two rows compares them; admins start a new version from here.
import { get, qs } from '../api.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, selectEl, simpleTable, btn, fmtTime, todayISO } from '../ui.js';
import { kinds, kindTitle, regionText, usedBadge } from './common.js';

// The version in force today of each (kind, jurisdiction) among rows (newest version first).
function inForce(rows, today) {
  const best = new Map();
  for (const v of rows) {
    const key = `${v.kind}|${v.region_prefix}`;
    if (v.effective_from > today) continue;
    const b = best.get(key);
    if (!b || v.effective_from > b.effective_from || (v.effective_from === b.effective_from && v.version > b.version)) best.set(key, v);
  }
  return new Set([...best.values()].map((v) => v.id));
}

export async function render(ctx) {
  const { main, query, navigate } = ctx;
  ctx.setTitle(t('rule_sets'));
  const list = await kinds();
  const kind = selectEl({ name: 'kind', testid: 'filter-kind', value: query.get('kind') || '', placeholder: t('rule_all_kinds'),
    options: list.map((k) => [k.kind, kindTitle(list, k.kind)]), onChange: () => load() });
  const prefix = h('input', { type: 'search', name: 'region_prefix', 'data-testid': 'filter-region', placeholder: t('rule_prefix_filter_ph'),
    value: query.get('region_prefix') || '', maxlength: 6, inputmode: 'numeric' });
  prefix.addEventListener('change', () => load());
  const picked = new Set();
  const compare = btn(t('rule_compare'), () => {
    const [a, b] = [...picked];
    navigate(`/admin/rules/compare?a=${a}&b=${b}`);
  }, { testid: 'rules-compare' });
  compare.disabled = true;
  compare.title = t('rule_pick_two');
  const box = h('div');

  async function load() {
    ctx.setQuery({ kind: kind.value, region_prefix: prefix.value.trim() });
    const r = await get(`/api/v1/rules${qs({ kind: kind.value, region_prefix: prefix.value.trim() || undefined })}`);
    const rows = r.items || [];
    const now = inForce(rows, todayISO());
    picked.clear();
    compare.disabled = true;
    const pick = (v) => {
      const c = h('input', { type: 'checkbox', 'data-testid': `pick-${v.id}`, 'aria-label': `${t('rule_compare')} v${v.version}` });
      c.addEventListener('change', () => {
        if (c.checked) picked.add(v.id); else picked.delete(v.id);
        if (picked.size > 2) { const first = [...picked][0]; picked.delete(first); box.querySelector(`[data-testid="pick-${first}"]`).checked = false; }
        compare.disabled = picked.size !== 2;
      });
      return c;
    };
    box.replaceChildren(simpleTable({
      testid: 'rules-table',
      rows,
      onRow: (v) => navigate(`/admin/rules/${v.id}`),
      columns: [
        { key: 'pick', label: t('rule_compare'), cls: 'nowrap', render: pick },
        { key: 'kind', label: t('rule_kind'), primary: true, render: (v) => h('a', { href: `#/admin/rules/${v.id}` }, kindTitle(list, v.kind)) },
        { key: 'region', label: t('rule_region'), render: regionText },
        { key: 'version', label: t('rule_version'), cls: 'num', render: (v) => h('span', {}, `v${v.version}`,
          now.has(v.id) ? h('span', { class: 'badge green', 'data-testid': 'rule-in-force' }, t('rule_in_force')) : null) },
        { key: 'effective_from', label: t('rule_effective'), cls: 'nowrap' },
        { key: 'source', label: t('rule_source'), render: (v) => h('span', { class: 'clip', title: v.source }, v.source.length > 60 ? `${v.source.slice(0, 60)}…` : v.source) },
        { key: 'used', label: t('rule_used'), cls: 'nowrap', render: usedBadge },
        { key: 'created_at', label: t('rule_created_by'), cls: 'nowrap muted', render: (v) => `${v.created_by_name || t('rule_system')} ${fmtTime(v.created_at)}` },
      ],
    }));
  }

  main.replaceChildren(
    pageHead(t('rule_sets'), compare, can('rules.write') ? btn(t('rule_new'), () => navigate(`/admin/rules/new${kind.value ? `?kind=${kind.value}` : ''}`), { primary: true, testid: 'rule-new' }) : null),
    h('p', { class: 'muted small' }, t('rule_unconfirmed')),
    h('div', { class: 'toolbar' }, kind, prefix),
    box);
  await load();
}
