// 许可证条款: the 条款 button of a permit row (permitAction) opens the permit's clauses (duty,
// frequency, status), editable by the staff who may (add, edit, retire). Self-check tasks are
// generated from the active clauses each month.
import { get, post, patch } from '../api.js';
import { t, fl } from '../i18n.js';
import { can } from '../session.js';
import { h, simpleTable, btn, modal, toast, selectEl } from '../ui.js';
import { L, statusBadge } from './common.js';

const DUTIES = ['self_monitoring', 'ledger', 'report', 'facility', 'other'];
const FREQS = ['monthly', 'quarterly', 'yearly'];

function clauseDialog(permitId, clause, done) {
  const code = h('input', { type: 'text', name: 'code', maxlength: 60, value: clause?.code || '', 'data-testid': 'clause-code' });
  const text = h('textarea', { name: 'text', rows: 4, maxlength: 2000, 'data-testid': 'clause-text' }, clause?.text || '');
  const duty = selectEl({ name: 'duty', testid: 'clause-duty', value: clause?.duty || 'self_monitoring', options: DUTIES.map((d) => [d, L('clause_duty', d)]) });
  const freq = selectEl({ name: 'frequency', testid: 'clause-frequency', value: clause?.frequency || 'monthly', options: FREQS.map((f) => [f, L('clause_frequency', f)]) });
  const f = (name, el) => h('label', { class: 'field' }, h('span', {}, fl(name, 'permit_clause')), el);
  modal({
    title: clause ? t('pt_clause_edit') : t('pt_clause_add'), testid: 'clause-dialog',
    body: h('div', { class: 'stack' }, f('code', code), f('text', text), f('duty', duty), f('frequency', freq)),
    actions: [{ label: t('save'), primary: true, testid: 'clause-ok', onClick: async () => {
      const body = { code: code.value.trim(), text: text.value.trim(), duty: duty.value, frequency: freq.value };
      if (clause) await patch(`/api/v1/permit-clauses/${clause.id}`, body);
      else await post(`/api/v1/permits/${permitId}/clauses`, body);
      toast(t('pt_clause_saved'));
      done?.();
    } }],
  });
}

function clauseTable(rows, reload, withPermit) {
  const edit = can('patrol.clause');
  return simpleTable({
    testid: 'clauses-table',
    empty: t('pt_clauses_none'),
    columns: [
      withPermit ? { key: 'permit_number', label: t('pt_permit'), cls: 'nowrap' } : null,
      { key: 'code', label: fl('code', 'permit_clause'), cls: 'nowrap' },
      { key: 'text', label: fl('text', 'permit_clause') },
      { key: 'duty', label: fl('duty', 'permit_clause'), render: (r) => L('clause_duty', r.duty) },
      { key: 'frequency', label: fl('frequency', 'permit_clause'), render: (r) => L('clause_frequency', r.frequency) },
      { key: 'status', label: fl('status', 'permit_clause'), render: (r) => statusBadge('clause_status', r.status) },
      edit ? { key: 'actions', label: t('pt_actions'), render: (r) => h('span', { class: 'nowrap' },
        btn(t('edit'), () => clauseDialog(r.permit_id, r, reload), { small: true, testid: `clause-edit-${r.id}` }), ' ',
        btn(r.status === 'active' ? t('pt_retire') : t('pt_activate'), async () => {
          await patch(`/api/v1/permit-clauses/${r.id}`, { status: r.status === 'active' ? 'retired' : 'active' });
          reload();
        }, { small: true, testid: `clause-status-${r.id}` })) } : null,
    ].filter(Boolean),
    rows,
  });
}

// The 条款 button of a permit row: the permit's clauses in a dialog, with add / edit / retire.
export function permitAction(permit) {
  return btn(t('pt_clauses_btn'), async () => {
    const box = h('div');
    const load = async () => {
      const rows = (await get(`/api/v1/permits/${permit.id}/clauses`)).items || [];
      box.replaceChildren(clauseTable(rows, load, false),
        can('patrol.clause') ? btn(t('pt_clause_add'), () => clauseDialog(permit.id, null, load), { small: true, primary: true, testid: 'clause-add' }) : null);
    };
    await load();
    modal({ title: t('pt_clauses_of', { n: permit.number }), body: box, wide: true, testid: 'clauses-dialog' });
  }, { small: true, testid: `clauses-${permit.id}` });
}
