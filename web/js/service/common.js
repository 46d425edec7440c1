// What the service pages share: badges for states and the small forms in a modal.
import { label, t } from '../i18n.js';
import { h, modal, form, toast } from '../ui.js';

const TONE = { open: 'amber', closed: 'green', planned: 'amber', held: 'green', pending: 'amber', sent: 'green', failed: 'red', active: 'green', inactive: 'grey' };
export function badgeOf(set, v, testid) {
  return h('span', { class: `badge ${TONE[v] || 'plain'}`, 'data-testid': testid, 'data-state': v }, label(set, v));
}

// A form in a modal: fields as ui.js form(), submit(v) posts; done() after success.
export function formDialog({ title, fields, values, submit, done, testid }) {
  let m;
  const f = form({
    cols: 2, fields, values, testid: `${testid}-form`,
    onCancel: () => m.close(),
    onSubmit: async (v) => { await submit(v); toast(t('sv_saved')); m.close(); done?.(); },
  });
  m = modal({ title, body: f.el, dismissable: false, wide: true, testid });
  m.el.querySelector('.modal-foot').hidden = true;
  return m;
}
