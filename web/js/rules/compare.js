// Two rule-set versions side by side (?a=ID&b=ID): what they are, then every field of their
// bodies by JSON path with both values, the differing ones marked (optionally only those), and
// both bodies in full.
import { get } from '../api.js';
import { t } from '../i18n.js';
import { h, pageHead, simpleTable } from '../ui.js';
import { kinds, kindTitle, regionText, usedBadge, leaves, fieldTitle, pretty } from './common.js';

const show = (x) => (x === undefined ? '—' : JSON.stringify(x));

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('rule_compare_title'));
  const [list, a, b] = await Promise.all([kinds(), get(`/api/v1/rules/${query.get('a')}`), get(`/api/v1/rules/${query.get('b')}`)]);
  const schema = list.find((k) => k.kind === b.kind)?.schema || list.find((k) => k.kind === a.kind)?.schema;
  const la = leaves(a.body), lb = leaves(b.body);
  const paths = [...new Set([...Object.keys(la), ...Object.keys(lb)])];
  const rows = paths.map((p) => ({ path: p, a: la[p], b: lb[p], diff: JSON.stringify(la[p]) !== JSON.stringify(lb[p]) }));
  const meta = (key, f) => ({ path: key, label: true, a: f(a), b: f(b), diff: f(a) !== f(b) });
  const head = [
    meta(t('rule_kind'), (v) => kindTitle(list, v.kind)),
    meta(t('rule_region'), regionText),
    meta(t('rule_version'), (v) => `v${v.version}`),
    meta(t('rule_effective'), (v) => v.effective_from),
    meta(t('rule_source'), (v) => v.source),
  ];
  const onlyDiff = h('input', { type: 'checkbox', 'data-testid': 'rule-only-diff' });
  const box = h('div');
  const title = (v) => h('span', {}, `${regionText(v)} v${v.version}`, ' ', usedBadge(v));
  const draw = () => box.replaceChildren(simpleTable({
    testid: 'rule-compare',
    cards: false,
    rows: [...head, ...rows.filter((r) => !onlyDiff.checked || r.diff)],
    columns: [
      { key: 'path', label: t('rule_path'), render: (r) => h('span', { class: r.diff ? 'cmp-diff' : '', 'data-testid': r.diff ? 'rule-diff' : undefined,
        'data-path': r.label ? undefined : r.path },
        r.label ? h('b', {}, r.path) : h('code', {}, r.path), r.label ? null : h('div', { class: 'muted small' }, fieldTitle(schema, r.path))) },
      { key: 'a', label: title(a), render: (r) => h('span', { class: r.diff ? 'cmp-old' : '' }, r.label ? r.a : show(r.a)) },
      { key: 'b', label: title(b), render: (r) => h('span', { class: r.diff ? 'cmp-new' : '' }, r.label ? r.b : show(r.b)) },
    ],
  }));
  onlyDiff.addEventListener('change', draw);
  draw();
  const n = rows.filter((r) => r.diff).length;
  main.replaceChildren(
    pageHead(t('rule_compare_title')),
    h('div', { class: 'toolbar' }, h('span', { class: n ? 'badge amber' : 'badge green', 'data-testid': 'rule-n-diff' }, n ? t('rule_n_diff', { n }) : t('rule_same')),
      h('label', { class: 'check' }, onlyDiff, t('rule_only_diff'))),
    box,
    h('div', { class: 'cmp-pair' }, h('div', {}, h('h3', {}, title(a)), pretty(a.body)), h('div', {}, h('h3', {}, title(b)), pretty(b.body))));
}
