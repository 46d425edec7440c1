// Shared by the inspection pages: labels, badges, the enterprise search and the new-task dialog.
import { get, post, qs } from '../api.js';
import { t, label, fl } from '../i18n.js';
import { h, form, modal, searchSelect, todayISO, toast } from '../ui.js';

export const L = (set, v) => (v ? label(`inspect_${set}`, v) : '');
const TONE = { scheduled: 'blue', awaiting_approval: 'amber', done: 'green', not_approved: 'grey' };
export function statusBadge(s, testid) {
  return h('span', { class: `badge ${TONE[s] || 'plain'}`, 'data-testid': testid, 'data-status': s }, L('status', s));
}

export async function searchEnterprises(q) {
  const items = (await get(`/api/v1/enterprises${qs({ q, limit: 20, sort: 'name' })}`)).items || [];
  return items.map((e) => ({ value: String(e.id), label: e.name, hint: e.region_name || '' }));
}

// A new task by hand (日常检查) or to verify a complaint (投诉核查: no approval needed).
export function newTaskDialog(onDone) {
  let m;
  const ent = searchSelect({ name: 'enterprise_id', testid: 'task-enterprise', labelMode: true, placeholder: t('insp_enterprise'), search: searchEnterprises });
  const f = form({
    cols: 2,
    testid: 'task-form',
    values: { source_kind: 'manual', planned_on: todayISO(), level: 'enforcement', title: '' },
    fields: [
      { name: 'enterprise_id', label: fl('enterprise_id', 'inspect_task'), type: 'custom', required: true, span: 2, component: ent },
      { name: 'source_kind', label: fl('source_kind', 'inspect_task'), type: 'select', testid: 'task-source',
        options: [['manual', L('source', 'manual')], ['complaint', L('source', 'complaint')], ['patrol', L('source', 'patrol')]] },
      { name: 'level', label: fl('level', 'inspect_task'), type: 'select', testid: 'task-level',
        options: [['enforcement', L('level', 'enforcement')], ['local', L('level', 'local')]] },
      { name: 'planned_on', label: fl('planned_on', 'inspect_task'), type: 'date', required: true, testid: 'task-planned' },
      { name: 'title', label: fl('title', 'inspect_task'), maxlength: 300, testid: 'task-title' },
    ],
    submitTestid: 'task-create',
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const body = { ...v, enterprise_id: Number(v.enterprise_id) || undefined, title: v.title || undefined };
      const r = await post('/api/v1/inspect/tasks', body);
      m.close();
      toast(r.status === 'awaiting_approval' ? t('insp_waits') : t('insp_created'));
      onDone(r);
    },
  });
  m = modal({ title: t('insp_new'), body: f.el, wide: true, dismissable: false, testid: 'task-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}
