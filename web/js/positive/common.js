// What the positive-list pages share: enumeration labels, the per-criterion chips, and the
// dialogs that admit, nominate, remove, ask for an on-site inspection and decide a request.
// Each dialog posts to /api/v1/positive/… and calls done() after the write; a refusal (409
// barred, 422 criteria not met …) shows inside the dialog with the server's message.
import { post } from '../api.js';
import { t, getLang, fl, label } from '../i18n.js';
import { h, modal, toast, todayISO } from '../ui.js';

// A value of one of labels.json's enums (positive_<set>).
export function L(set, v) {
  return label(`positive_${set}`, v) || '—';
}

// A credit grade code: the national colours in words, other codes (A–D) as they are.
export function gradeText(g) {
  if (!g) return h('span', { class: 'muted' }, t('pos_no_grade'));
  const k = `pos_grade_${g}`;
  return t(k) === k ? g : t(k);
}

const STATUS_COLOR = { listed: 'green', removed: 'grey', expired: 'amber', future: 'blue' };
export function statusBadge(s, malicious) {
  return h('span', { class: `badge ${malicious ? 'red' : STATUS_COLOR[s] || 'plain'}`, 'data-testid': 'positive-status', 'data-status': s },
    L('status', s), malicious ? ` · ${fl('malicious', 'positive_entry')}` : '');
}

// The criteria as judged: one chip per criterion, ✓ or ✗, its reason as the title and in text.
export function checkChips(checks, testid) {
  const zh = getLang() === 'zh';
  return h('ul', { class: 'pos-checks', 'data-testid': testid, style: { listStyle: 'none', margin: 0, padding: 0 } }, (checks || []).map((c) => h('li', {
    class: c.ok ? 'ok' : 'no', style: { margin: '2px 0' }, 'data-criterion': c.criterion, 'data-ok': c.ok ? '1' : '0', title: zh ? c.zh : c.en,
  }, h('span', { class: `badge ${c.ok ? 'green' : 'red'}` }, `${c.ok ? '✓' : '✗'} ${L('criterion', c.criterion)}`), ' ', h('span', { class: 'muted small' }, zh ? c.zh : c.en))));
}

function textArea(name, testid, required) {
  return h('textarea', { name, rows: 3, maxlength: 1000, 'data-testid': testid, required, style: { width: '100%' } });
}

function field(label, input) {
  return h('label', { class: 'field', style: { display: 'block', marginBottom: '12px' } }, h('span', { class: 'label', style: { display: 'block', marginBottom: '4px' } }, label), input);
}

// Admit a candidate (entry in force from today for the term of the rule set).
export function admitDialog(c, done) {
  const note = textArea('note', 'admit-note', false);
  modal({
    title: t('pos_admit_title'), testid: 'admit-dialog',
    body: h('div', {}, h('p', {}, t('pos_admit_confirm', { n: c.name, y: 3 })), field(t('pos_note'), note)),
    actions: [{ label: t('pos_admit'), primary: true, testid: 'admit-ok', onClick: async () => {
      await post('/api/v1/positive/entries', { enterprise_id: c.enterprise_id, note: note.value.trim() });
      toast(t('pos_admitted'));
      done?.();
    } }],
  });
}

// Nominate any firm with a reason: a case for a leader.
export function nominateDialog(ent, done) {
  const reason = textArea('reason', 'nominate-reason', true);
  modal({
    title: t('pos_nominate_title', { n: ent.name }), testid: 'nominate-dialog',
    body: h('div', {}, h('p', { class: 'muted' }, t('pos_nominate_hint')), field(t('pos_reason'), reason)),
    actions: [{ label: t('pos_nominate'), primary: true, testid: 'nominate-ok', onClick: async () => {
      const r = await post('/api/v1/positive/nominations', { enterprise_id: ent.enterprise_id, reason: reason.value.trim() });
      toast(t('pos_nominated'));
      done?.(r);
    } }],
  });
}

// Remove an entry with a reason; the malicious box bars re-entry.
export function removeDialog(entry, name, done) {
  const reason = textArea('reason', 'remove-reason', true);
  const mal = h('input', { type: 'checkbox', name: 'malicious', 'data-testid': 'remove-malicious' });
  modal({
    title: t('pos_remove_title', { n: name }), testid: 'remove-dialog',
    body: h('div', {}, field(t('pos_reason'), reason), h('label', { class: 'check' }, mal, ' ', t('pos_malicious', { y: 3 }))),
    actions: [{ label: t('pos_remove'), danger: true, testid: 'remove-ok', onClick: async () => {
      const r = await post(`/api/v1/positive/entries/${entry.id}/removal`, { reason: reason.value.trim(), malicious: mal.checked });
      toast(r.barred_to ? `${t('pos_removed')} · ${t('pos_barred_until', { d: r.barred_to })}` : t('pos_removed'));
      done?.(r);
    } }],
  });
}

// Ask the head of enforcement to approve an on-site inspection of a listed firm.
export function onsiteDialog(ent, done) {
  const purpose = h('select', { name: 'purpose', 'data-testid': 'onsite-purpose' },
    ['draw', 'routine', 'campaign', 'other'].map((p) => h('option', { value: p }, L('purpose', p))));
  const date = h('input', { type: 'date', name: 'visit_date', value: todayISO(), 'data-testid': 'onsite-date' });
  const reason = textArea('reason', 'onsite-reason', true);
  modal({
    title: t('pos_onsite_title', { n: ent.name }), testid: 'onsite-dialog',
    body: h('div', {}, h('p', { class: 'muted' }, t('pos_onsite_hint')), field(fl('purpose', 'positive_onsite'), purpose), field(fl('visit_date', 'positive_onsite'), date), field(t('pos_reason'), reason)),
    actions: [{ label: t('pos_onsite_request'), primary: true, testid: 'onsite-ok', onClick: async () => {
      await post('/api/v1/positive/onsite-requests', { enterprise_id: ent.enterprise_id, purpose: purpose.value, visit_date: date.value, reason: reason.value.trim() });
      toast(t('pos_onsite_sent'));
      done?.();
    } }],
  });
}

// A leader's decision on a nomination or an on-site request (path: …/{id}/decision).
export function decideDialog(path, title, done) {
  const note = textArea('note', 'decide-note', false);
  const go = (decision) => async () => {
    await post(path, { decision, note: note.value.trim() });
    toast(t('pos_decided'));
    done?.();
  };
  modal({
    title, testid: 'decide-dialog',
    body: h('div', {}, field(`${t('pos_decision_note')}（${t('pos_refuse_note')}）`, note)),
    actions: [{ label: t('pos_refuse'), danger: true, testid: 'decide-refuse', onClick: go('refuse') },
      { label: t('pos_approve'), primary: true, testid: 'decide-approve', onClick: go('approve') }],
  });
}
