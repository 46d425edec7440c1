// One rule-set version: what it is (kind, jurisdiction, version, effective date, source), its
// body as JSON, whether a decision used it (then it is frozen), and from here: compare with
// another version, export, start a new version from it, or remove it while unused (admins).
import { get, del, qs } from '../api.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, kvGrid, btn, toast, confirmDialog, fmtTime, downloadLink, selectEl, sectionHead } from '../ui.js';
import { kinds, kindTitle, regionText, usedBadge, pretty } from './common.js';

export async function render(ctx) {
  const { main, params, navigate } = ctx;
  const [list, v] = await Promise.all([kinds(), get(`/api/v1/rules/${params.id}`)]);
  const title = `${kindTitle(list, v.kind)} · v${v.version}`;
  ctx.setTitle(title);
  const others = ((await get(`/api/v1/rules${qs({ kind: v.kind })}`)).items || []).filter((x) => x.id !== v.id);
  const cmp = selectEl({ name: 'compare', testid: 'rule-compare-with', placeholder: t('rule_compare_with'),
    options: others.map((x) => [String(x.id), `${regionText(x)} v${x.version} · ${x.effective_from}`]),
    onChange: () => { if (cmp.value) navigate(`/admin/rules/compare?a=${cmp.value}&b=${v.id}`); } });
  const write = can('rules.write');
  const actions = [
    others.length ? cmp : null,
    downloadLink({ label: t('rule_export'), href: `/api/v1/rules/${v.id}/export`, testid: 'rule-export' }).el,
    write ? btn(t('rule_new_from'), () => navigate(`/admin/rules/new?from=${v.id}`), { primary: true, testid: 'rule-new-from' }) : null,
    write && !v.used_at ? btn(t('rule_delete'), async () => {
      if (!(await confirmDialog(t('rule_delete_confirm', { v: v.version }), { danger: true }))) return;
      await del(`/api/v1/rules/${v.id}`);
      toast(t('rule_deleted'));
      navigate(`/admin/rules?kind=${v.kind}`);
    }, { danger: true, testid: 'rule-delete' }) : null,
  ];
  main.replaceChildren(
    pageHead(title, ...actions),
    h('p', { class: v.used_at ? 'notice warn' : 'muted small', 'data-testid': 'rule-frozen' }, v.used_at ? t('rule_frozen') : t('rule_editable')),
    kvGrid([
      [t('rule_kind'), kindTitle(list, v.kind)],
      [t('rule_region'), regionText(v)],
      [t('rule_version'), h('span', { 'data-testid': 'rule-version' }, `v${v.version}`)],
      [t('rule_effective'), h('span', { 'data-testid': 'rule-effective' }, v.effective_from)],
      [t('rule_used'), h('span', {}, usedBadge(v), v.used_at ? t('rule_used_at', { at: fmtTime(v.used_at) }) : '')],
      [t('rule_alarms'), String(v.alarms ?? 0)],
      [t('rule_created_by'), `${v.created_by_name || t('rule_system')} · ${fmtTime(v.created_at)}`],
      [t('rule_sha'), h('code', { class: 'small' }, v.sha256.slice(0, 16))],
      [t('rule_source'), h('span', { 'data-testid': 'rule-source' }, v.source), { wide: true }],
      v.note ? [t('rule_note'), v.note, { wide: true }] : null,
    ], 'rule-meta'),
    sectionHead(t('rule_body')),
    pretty(v.body));
}
