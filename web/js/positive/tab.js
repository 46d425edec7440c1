// The 正面清单 tab of an enterprise (staff): listed or not and the term, the criteria in force
// judged one by one, the actions the user's role allows (admit, nominate, remove, ask for an
// on-site inspection), the listing history and nominations, and the off-site supervision record
// — the alarms of the firm's points since listing, read from the alarms, and the checks staff
// recorded (data reviewed, video checked, power use checked).
import { get, post } from '../api.js';
import { t, label, fl } from '../i18n.js';
import { can } from '../session.js';
import { h, simpleTable, sectionHead, btn, toast, fmtTime, todayISO } from '../ui.js';
import { L, statusBadge, checkChips, admitDialog, nominateDialog, removeDialog, onsiteDialog } from './common.js';

function offsiteForm(e, reload) {
  const kind = h('select', { name: 'kind', 'data-testid': 'offsite-kind' },
    ['data_review', 'video_check', 'power_check'].map((k) => h('option', { value: k }, L('offsite_kind', k))));
  const date = h('input', { type: 'date', name: 'seen_on', value: todayISO(), max: todayISO(), 'data-testid': 'offsite-date' });
  const note = h('input', { type: 'text', name: 'note', maxlength: 1000, placeholder: t('pos_note'), 'data-testid': 'offsite-note', style: { minWidth: '16rem' } });
  const save = btn(t('pos_offsite_add'), async () => {
    try {
      await post(`/api/v1/enterprises/${e.id}/positive/offsite`, { kind: kind.value, seen_on: date.value, note: note.value.trim() });
      toast(t('pos_offsite_saved'));
      reload();
    } catch (err) {
      toast(err, 'error');
    }
  }, { primary: true, small: true, testid: 'offsite-save' });
  return h('div', { class: 'toolbar', 'data-testid': 'offsite-form' }, kind, date, note, save);
}

export async function renderTab(e, box, ctx, alive) {
  const reload = () => renderTab(e, box, ctx, alive);
  const [p, off] = await Promise.all([get(`/api/v1/enterprises/${e.id}/positive`), get(`/api/v1/enterprises/${e.id}/positive/offsite`)]);
  if (!alive()) return;
  const entries = p.history.entries || [];
  const current = entries.find((x) => x.status === 'listed');
  const me = { enterprise_id: e.id, name: e.name };
  const actions = [];
  const barred = p.barred_to && p.barred_to > p.date;
  if (!current && !barred && p.criteria?.eligible && can('positive.admit')) actions.push(btn(t('pos_admit'), () => admitDialog(me, reload), { primary: true, testid: 'tab-admit' }));
  const pending = (p.history.nominations || []).some((n) => n.state === 'pending');
  if (!current && !barred && !pending && !p.criteria?.eligible && p.criteria?.nomination_allowed && can('positive.nominate')) {
    actions.push(btn(t('pos_nominate'), () => nominateDialog(me, reload), { testid: 'tab-nominate' }));
  }
  if (current && can('positive.admit')) {
    actions.push(btn(t('pos_onsite_request'), () => onsiteDialog(me, reload), { testid: 'tab-onsite' }));
    actions.push(btn(t('pos_remove'), () => removeDialog(current, e.name, reload), { danger: true, testid: 'tab-remove' }));
  }
  const head = h('div', { class: 'section-head' },
    h('h2', { 'data-testid': 'positive-now', 'data-listed': p.listed ? '1' : '0' }, p.listed ? t('pos_listed_now') : t('pos_not_listed_now')),
    current ? h('span', { class: 'muted' }, ` ${t('pos_term', { a: current.listed_from, b: current.listed_to })}`) : null,
    barred ? h('span', { class: 'badge red', 'data-testid': 'positive-barred' }, t('pos_barred_until', { d: p.barred_to })) : null,
    pending ? h('span', { class: 'badge amber' }, t('pos_pending_nom')) : null,
    h('span', { class: 'spacer' }), actions);
  const crit = p.criteria
    ? h('div', {}, h('h3', {}, t('pos_criteria_now', { v: p.criteria.rule_version })), checkChips(p.criteria.checks, 'tab-checks'))
    : h('p', { class: 'muted' }, t('pos_no_rule'));
  const hist = simpleTable({ testid: 'positive-history', rows: entries, empty: t('pos_no_entries'), cards: false, columns: [
    { key: 'listed_from', label: fl('listed_from', 'positive_entry'), cls: 'nowrap' },
    { key: 'listed_to', label: fl('listed_to', 'positive_entry'), cls: 'nowrap' },
    { key: 'basis', label: fl('basis', 'positive_entry'), render: (r) => L('basis', r.basis) },
    { key: 'status', label: t('pos_state'), render: (r) => statusBadge(r.status, r.malicious) },
    { key: 'removed', label: fl('removed_reason', 'positive_entry'), render: (r) => (r.removed_on ? `${r.removed_on} ${r.removed_reason}${r.barred_to ? ` · ${t('pos_barred_until', { d: r.barred_to })}` : ''}` : '') },
    { key: 'rule', label: t('pos_rule'), render: (r) => (r.rule_set_id ? h('a', { href: `#/admin/rules/${r.rule_set_id}` }, t('pos_rule_v', { v: r.rule_version })) : '—') },
    { key: 'admitted_by_name', label: t('pos_admitted_by') },
  ] });
  const noms = simpleTable({ testid: 'positive-nominations', rows: p.history.nominations || [], empty: t('pos_no_nominations'), cards: false, columns: [
    { key: 'created_at', label: t('pos_created'), cls: 'nowrap', render: (r) => fmtTime(r.created_at) },
    { key: 'reason', label: t('pos_reason') },
    { key: 'nominated_by_name', label: t('pos_nominated_by') },
    { key: 'state', label: t('pos_state'), render: (r) => L('nomination_state', r.state) },
    { key: 'case_id', label: t('pos_case'), render: (r) => (r.case_id ? h('a', { href: `#/cases/${r.case_id}` }, `#${r.case_id}`) : '—') },
  ] });
  const parts = [head, crit, h('h3', {}, t('pos_history')), hist, h('h3', {}, t('pos_nominations')), noms];
  if (off.entry) {
    const o = off.offsite;
    parts.push(sectionHead(t('pos_offsite'), h('span', { class: 'muted small' }, t('pos_offsite_hint'))));
    if (current && can('positive.offsite')) parts.push(offsiteForm(e, reload));
    parts.push(simpleTable({ testid: 'offsite-records', rows: o.records, empty: t('pos_no_records'), cards: false, columns: [
      { key: 'seen_on', label: fl('seen_on', 'positive_offsite'), cls: 'nowrap' },
      { key: 'kind', label: t('pos_offsite_kind'), render: (r) => L('offsite_kind', r.kind) },
      { key: 'note', label: t('pos_note') },
      { key: 'by_name', label: t('pos_by') },
    ] }));
    parts.push(h('h3', {}, t('pos_alarms_since')), simpleTable({ testid: 'offsite-alarms', rows: o.alarms, empty: t('pos_no_alarms'), cards: false, columns: [
      { key: 'first_at', label: t('pos_alarm_first'), cls: 'nowrap', render: (r) => fmtTime(r.first_at) },
      { key: 'point_name', label: t('pos_point') },
      { key: 'kind', label: t('pos_alarm_kind'), render: (r) => label('alarm_kind', r.kind) },
      { key: 'factor', label: t('pos_alarm_factor') },
      { key: 'status', label: t('pos_alarm_status'), render: (r) => label('alarm_status', r.status) },
    ] }));
  }
  box.replaceChildren(h('div', { 'data-testid': 'positive-tab' }, h('p', { class: 'muted small' }, t('pos_hint')), ...parts));
}
