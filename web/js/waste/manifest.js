// A transfer manifest (危险废物转移联单): number, parties, carrier, its lines (shipped and
// accepted tonnes) and dates, and the next step of whoever may take it: the shipper ships (the
// carrier's name, vehicle and licence), the receiver records the arrival, accepts (per line,
// with the method and any discrepancy) and reports the disposal result. While it is shipped the
// shipper records each relay carrier's handover (the legs table); a cross-province draft shows
// its approval's state and the shipper applies for it before it can ship.
import { get, post } from '../api.js';
import { t, fl, label } from '../i18n.js';
import { can, session } from '../session.js';
import { h, pageHead, sectionHead, simpleTable, kvGrid, btn, busy, toast, modal, form, errorBanner, fmtTime } from '../ui.js';
import { tonnes, stateBadge } from './common.js';

function dialog(title, testid, fields, values, submit) {
  let m;
  const f = form({ cols: 2, fields, values, testid: `${testid}-form`, onCancel: () => m.close(),
    onSubmit: async (v) => { await submit(v); m.close(); } });
  m = modal({ title, body: f.el, dismissable: false, wide: true, testid });
  m.el.querySelector('.modal-foot').hidden = true;
}

function nextStep(ctx, m) {
  if (!can('waste.ship')) return null;
  const me = session.user.enterprise_id, admin = session.user.role === 'admin';
  const shipper = admin || me === m.enterprise_id, receiver = admin || me === m.receiver_id;
  const go = (path, body) => post(`/api/v1/waste/manifests/${m.id}/${path}`, body).then(() => { toast(t('hw_done')); render(ctx); });
  if (m.state === 'draft' && shipper && m.cross_province && m.approval_state !== 'approved') {
    return ['applied'].includes(m.approval_state) ? null
      : btn(t('hw_apply'), (e) => busy(e.currentTarget, () => go('approval', {})), { primary: true, testid: 'hw-apply' });
  }
  if (m.state === 'draft' && shipper) {
    return btn(t('hw_ship'), () => dialog(t('hw_ship'), 'hw-ship-dialog', [
      { name: 'carrier_name', label: fl('carrier_name', 'waste_manifest'), required: true, maxlength: 200, span: 2, testid: 'hw-carrier' },
      { name: 'vehicle_no', label: fl('vehicle_no', 'waste_manifest'), required: true, maxlength: 20, testid: 'hw-vehicle' },
      { name: 'carrier_licence', label: fl('carrier_licence', 'waste_manifest'), required: true, maxlength: 40, testid: 'hw-licence' },
    ], { carrier_name: m.carrier_name, vehicle_no: m.vehicle_no, carrier_licence: m.carrier_licence }, (v) => go('ship', v)), { primary: true, testid: 'hw-ship' });
  }
  if (m.state === 'shipped' && (receiver || shipper)) {
    const relay = shipper ? btn(t('hw_handover'), () => dialog(t('hw_handover'), 'hw-handover-dialog', [
      { name: 'carrier_name', label: fl('carrier_name', 'waste_manifest'), required: true, maxlength: 200, span: 2, testid: 'hw-leg-carrier' },
      { name: 'vehicle_no', label: fl('vehicle_no', 'waste_manifest'), required: true, maxlength: 20, testid: 'hw-leg-vehicle' },
      { name: 'carrier_licence', label: fl('carrier_licence', 'waste_manifest'), required: true, maxlength: 40, testid: 'hw-leg-licence' },
      { name: 'handover_place', label: fl('handover_place', 'waste_manifest'), required: true, maxlength: 200, span: 2, testid: 'hw-leg-place' },
    ], {}, (v) => go('handover', v)), { testid: 'hw-handover' }) : null;
    const arrive = receiver ? btn(t('hw_arrive'), (e) => busy(e.currentTarget, () => go('arrive', {})), { primary: true, testid: 'hw-arrive' }) : null;
    return [relay, arrive].filter(Boolean);
  }
  if (m.state === 'arrived' && receiver) {
    return btn(t('hw_accept'), () => dialog(t('hw_accept'), 'hw-accept-dialog', [
      ...m.lines.map((l, i) => ({ name: `l${i}`, label: `${t('hw_line', { n: i + 1 })} ${l.waste_code} (${tonnes(l.amount_t)})`, type: 'number', required: true, testid: `hw-accepted-${i}` })),
      { name: 'method', label: fl('method', 'waste_manifest'), required: true, maxlength: 40, testid: 'hw-method' },
      { name: 'discrepancy', label: fl('discrepancy', 'waste_manifest'), type: 'textarea', span: 2, maxlength: 2000, testid: 'hw-discrepancy' },
    ], Object.fromEntries(m.lines.map((l, i) => [`l${i}`, l.amount_t])),
    (v) => go('accept', { lines: m.lines.map((l, i) => ({ accepted_t: Number(v[`l${i}`]) })), method: v.method, discrepancy: v.discrepancy || '' })),
    { primary: true, testid: 'hw-accept' });
  }
  if (['accepted', 'partly_accepted', 'refused'].includes(m.state) && receiver) {
    return btn(t('hw_close'), () => dialog(t('hw_close'), 'hw-close-dialog', [
      { name: 'disposal_result', label: fl('disposal_result', 'waste_manifest'), type: 'textarea', required: true, span: 2, maxlength: 2000, testid: 'hw-result' },
    ], {}, (v) => go('close', v)), { primary: true, testid: 'hw-close' });
  }
  return null;
}

export async function render(ctx) {
  const { main } = ctx;
  let m;
  try { m = await get(`/api/v1/waste/manifests/${ctx.params.id}`); } catch (e) { main.replaceChildren(pageHead(t('hw_manifests')), errorBanner(e)); return; }
  ctx.setTitle(`${t('hw_manifests')} ${m.number}`);
  const late = m.confirmed_at && m.confirm_due && String(m.confirmed_at).slice(0, 10) > m.confirm_due;
  main.replaceChildren(
    pageHead(`${t('hw_manifests')} ${m.number}`, nextStep(ctx, m)),
    h('p', { class: 'muted small' }, t('hw_party_hint')),
    kvGrid([
      [fl('state', 'waste_manifest'), h('span', { 'data-testid': 'hw-state' }, stateBadge(m.state))],
      [fl('enterprise_name', 'waste_manifest'), m.enterprise_name],
      [fl('site_name', 'waste_manifest'), h('a', { href: `#/waste/sites/${m.site_id}` }, m.site_name)],
      [fl('receiver_name', 'waste_manifest'), m.receiver_name],
      [fl('carrier_name', 'waste_manifest'), m.carrier_name],
      [fl('vehicle_no', 'waste_manifest'), m.vehicle_no],
      [fl('carrier_licence', 'waste_manifest'), m.carrier_licence],
      [fl('shipped_at', 'waste_manifest'), fmtTime(m.shipped_at)],
      [fl('arrived_on', 'waste_manifest'), m.arrived_on],
      [fl('confirm_due', 'waste_manifest'), m.confirm_due ? h('span', { class: late ? 'neg' : '' }, m.confirm_due, late ? ` · ${t('hw_late')}` : '') : ''],
      [fl('method', 'waste_manifest'), m.method],
      [fl('discrepancy', 'waste_manifest'), m.discrepancy],
      [fl('disposal_result', 'waste_manifest'), m.disposal_result],
      m.cross_province ? [fl('approval_state', 'waste_manifest'), h('span', { 'data-testid': 'hw-approval' },
        label('waste_approval_state', m.approval_state),
        m.approval_case_id && session.user.role !== 'enterprise' ? [' · ', h('a', { href: `#/cases/${m.approval_case_id}` }, t('hw_approval_case', { id: m.approval_case_id }))] : '')] : null,
      m.approval_note ? [fl('approval_note', 'waste_manifest'), m.approval_note] : null,
    ].filter(Boolean), 'hw-manifest-kv'),
    m.cross_province && m.approval_state !== 'approved' ? h('p', { class: 'muted small', 'data-testid': 'hw-cross-hint' }, t('hw_cross_hint')) : '',
    sectionHead(t('hw_lines')),
    simpleTable({
      testid: 'hw-lines', rows: m.lines,
      columns: [
        { key: 'line_no', label: '#', primary: true },
        { key: 'source_batch', label: fl('source_batch', 'waste_record'), cls: 'nowrap' },
        { key: 'waste_code', label: fl('waste_code', 'waste_record'), cls: 'nowrap' },
        { key: 'amount_t', label: fl('amount_t', 'waste_manifest'), cls: 'num', render: (l) => tonnes(l.amount_t) },
        { key: 'accepted_t', label: fl('accepted_t', 'waste_manifest'), cls: 'num', render: (l) => tonnes(l.accepted_t) },
      ],
    }),
    sectionHead(t('hw_legs')),
    simpleTable({
      testid: 'hw-legs', rows: m.legs || [], empty: t('hw_no_legs'),
      columns: [
        { key: 'leg_no', label: fl('leg_no', 'waste_manifest'), primary: true },
        { key: 'carrier_name', label: fl('carrier_name', 'waste_manifest') },
        { key: 'vehicle_no', label: fl('vehicle_no', 'waste_manifest'), cls: 'nowrap' },
        { key: 'carrier_licence', label: fl('carrier_licence', 'waste_manifest'), cls: 'nowrap' },
        { key: 'handover_place', label: fl('handover_place', 'waste_manifest'), render: (l) => (l.leg_no === 1 ? m.site_name : l.handover_place) },
        { key: 'handed_over_at', label: fl('handed_over_at', 'waste_manifest'), cls: 'nowrap' },
      ],
    }));
}
