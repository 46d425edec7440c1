// The public page of 双随机一公开 (no login): the committed plans; for one plan (?id=N) its
// commitment (SHA-256 of the secret seed), the input snapshot to download with its SHA-256,
// the seed once revealed, the results once published, and a verification that runs in the
// browser (replay.js: the algorithm of docs/internals/draw.md on crypto.subtle's SHA-256).
import { get } from '../api.js';
import { t, setLang, getLang } from '../i18n.js';
import { h, kvGrid, simpleTable, btn, busy, errorBanner, fmtTime } from '../ui.js';
import { catLabel, outcomeLabel, stateBadge, mono } from './common.js';
import { verify } from './replay.js';

function frame(root, body, rerender) {
  const lang = h('button', { type: 'button', class: 'btn small', 'data-testid': 'lang', onclick: () => { setLang(getLang() === 'zh' ? 'en' : 'zh'); rerender(); } },
    getLang() === 'zh' ? 'English' : '中文');
  root.replaceChildren(h('div', { style: { minHeight: '100vh', background: 'var(--bg, #f4f5f7)' } },
    h('header', { style: { display: 'flex', alignItems: 'center', gap: '12px', padding: '14px 24px', background: 'var(--primary-dd, #0b5a3c)', color: '#fff' } },
      h('span', { class: 'logo', 'aria-hidden': 'true' }), h('strong', { style: { fontSize: '18px' } }, t('draw_pub_title')),
      h('span', { style: { flex: 1 } }), lang, h('a', { class: 'btn small', href: '#/login' }, t('draw_pub_login'))),
    h('main', { style: { maxWidth: '1100px', margin: '20px auto', padding: '0 16px' } }, body)));
}

const card = (...children) => h('section', { class: 'panel', style: { background: '#fff', padding: '16px 20px', borderRadius: '8px', marginBottom: '16px' } }, ...children);

async function planList(root, rerender) {
  const r = await get('/api/v1/public/draw/plans');
  frame(root, card(h('h2', {}, t('draw_pub_list')), simpleTable({
    testid: 'public-plans',
    rows: r.items || [],
    columns: [
      { key: 'title', label: t('draw_title'), primary: true, render: (p) => h('a', { href: `#/public/draw?id=${p.id}` }, p.title || `${p.period} ${t('draw_plan')}`) },
      { key: 'period', label: t('draw_period') },
      { key: 'categories', label: t('draw_categories'), render: (p) => (p.categories || []).map(catLabel).join('、') },
      { key: 'state', label: t('draw_state'), render: (p) => stateBadge(p.state) },
      { key: 'n_targets', label: t('draw_n_targets'), cls: 'num' },
      { key: 'committed_at', label: t('draw_commit'), render: (p) => fmtTime(p.committed_at) },
    ],
  })), rerender);
}

export async function render(ctx) {
  const { root, query } = ctx;
  const rerender = () => render(ctx);
  const id = Number(query.get('id'));
  if (!id) return planList(root, rerender);
  const p = await get(`/api/v1/public/draw/plans/${id}`);
  document.title = `${p.title || p.period} · ${t('draw_pub_title')}`;
  const snapUrl = `/api/v1/public/draw/plans/${id}/snapshot`;
  const out = h('div', { 'data-testid': 'verify-result' });
  const run = btn(t('draw_pub_verify'), () => busy(run, async () => {
    out.replaceChildren();
    try {
      const bytes = new Uint8Array(await (await fetch(snapUrl)).arrayBuffer());
      const v = await verify(bytes, p.seed, p.seed_sha256, p.snapshot_sha256);
      const published = new Map((p.results || []).map((x) => [x.seq, x]));
      const matches = !p.results || v.rows.every((row, i) => !published.has(i + 1) || published.get(i + 1).uscc === row.target.uscc || published.get(i + 1).enterprise_name === row.target.name);
      const ok = v.snapshotOk && v.seedOk && matches && v.rows.length === p.n_targets;
      out.append(
        h('p', { class: ok ? 'ok' : 'error', style: { fontWeight: 'bold', color: ok ? '#0a7d32' : '#c1272d' }, 'data-testid': 'verify-verdict', dataset: { ok: String(ok) } }, ok ? t('draw_pub_ok') : t('draw_pub_bad')),
        h('p', { class: 'small muted' }, `${v.snapshotOk ? '✓' : '✗'} ${t('draw_pub_snapshot_ok')} · ${v.seedOk ? '✓' : '✗'} ${t('draw_pub_seed_ok')} · ${t('draw_pub_replayed', { n: v.rows.length })}`),
        simpleTable({
          testid: 'verify-rows',
          rows: v.rows.map((x, i) => ({ seq: i + 1, ...x })),
          columns: [
            { key: 'seq', label: t('draw_seq'), cls: 'num' },
            { key: 'name', label: t('draw_enterprise'), primary: true, render: (x) => x.target.name },
            { key: 'category', label: t('draw_category'), render: (x) => catLabel(x.target.category) },
            { key: 'inspectors', label: t('draw_inspectors'), render: (x) => x.inspectors.map((u) => u.name).join('、') },
          ],
        }));
    } catch (e) {
      out.append(errorBanner(e));
    }
  }), { primary: true, testid: 'verify-run' });
  const results = p.results
    ? simpleTable({
      testid: 'public-results',
      rows: p.results,
      columns: [
        { key: 'seq', label: t('draw_seq'), cls: 'num' },
        { key: 'enterprise_name', label: t('draw_enterprise'), primary: true },
        { key: 'category', label: t('draw_category'), render: (x) => catLabel(x.category) },
        { key: 'visit_date', label: t('draw_visit') },
        { key: 'outcome', label: t('draw_outcome'), render: (x) => outcomeLabel(x.outcome) },
      ],
    })
    : h('p', { class: 'muted' }, t('draw_pub_results_later', { d: p.publish_due || p.visit_to }));
  frame(root, h('div', {},
    h('p', {}, h('a', { href: '#/public/draw' }, `‹ ${t('draw_pub_back')}`)),
    card(h('h2', {}, p.title || `${p.period} ${t('draw_plan')}`),
      kvGrid([
        [t('draw_state'), stateBadge(p.state)],
        [t('draw_period'), p.period],
        [t('draw_categories'), (p.categories || '').split(',').map(catLabel).join('、')],
        [t('draw_visit'), `${p.visit_from} – ${p.visit_to}`],
        [t('draw_n_pool'), String(p.n_pool)],
        [t('draw_n_targets'), String(p.n_targets)],
        [t('draw_commitment'), h('span', { 'data-testid': 'pub-seed-sha' }, mono(p.seed_sha256))],
        [t('draw_snapshot_sha'), h('span', { 'data-testid': 'pub-snapshot-sha' }, mono(p.snapshot_sha256))],
        [t('draw_snapshot'), h('a', { class: 'btn small', href: snapUrl, download: `draw-plan-${id}-snapshot.tsv`, 'data-testid': 'pub-snapshot' }, t('draw_download'))],
        [t('draw_seed'), p.seed ? h('span', { 'data-testid': 'pub-seed' }, mono(p.seed)) : h('span', { class: 'muted' }, t('draw_seed_secret'))],
      ], 'public-plan')),
    card(h('h3', {}, t('draw_pub_verify')), h('p', { class: 'small muted' }, t('draw_pub_verify_help')),
      p.seed ? h('div', {}, run, out) : h('p', { class: 'muted', 'data-testid': 'pub-not-revealed' }, t('draw_pub_not_revealed'))),
    card(h('h3', {}, t('draw_pub_results')), results)), rerender);
}
