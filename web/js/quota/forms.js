// The quota write dialogs: allocation, trade, reserve sale, buyback, retirement, into the reserve
// and the pledge application. Each is a form in a modal; the server names the field of a refusal.
import { get, post } from '../api.js';
import { t, fl, label } from '../i18n.js';
import { form, modal, toast } from '../ui.js';
import { pollutantOptions, enterpriseField } from './common.js';

function dialog(title, testid, fields, submit, done) {
  let m;
  const f = form({
    cols: 2, testid: `${testid}-form`, fields, submitTestid: `${testid}-save`,
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      await submit(v);
      m.close();
      toast(t('qt_done'));
      done?.();
    },
  });
  m = modal({ title, body: f.el, wide: true, dismissable: false, testid: `${testid}-dialog` });
  m.el.querySelector('.modal-foot').hidden = true;
}

const pollutant = () => ({ name: 'pollutant', label: fl('pollutant', 'quota_lot'), type: 'select', required: true, options: pollutantOptions(), testid: 'qt-pollutant' });
const amount = () => ({ name: 'amount_t', label: fl('amount_t'), type: 'number', required: true, min: 0, testid: 'qt-amount' });
const price = (required = true) => ({ name: 'price', label: fl('price', 'quota_lot'), type: 'number', required, min: 0, testid: 'qt-price' });
const note = (required = false) => ({ name: 'note', label: t('qt_note'), type: 'textarea', required, maxlength: 2000, span: 2, testid: 'qt-note' });

export function allocateDialog(done) {
  dialog(t('qt_allocate'), 'qt-allocate', [
    { name: 'enterprise_id', label: t('qt_enterprise_id'), type: 'custom', component: enterpriseField('enterprise_id', 'qt-enterprise'), required: true, span: 2 },
    pollutant(), amount(),
    { name: 'origin', label: fl('origin', 'quota_lot'), type: 'select', required: true, testid: 'qt-origin',
      options: ['initial', 'purchase'].map((v) => [v, label('quota_origin', v)]) },
    price(false),
    { name: 'valid_from', label: fl('valid_from', 'quota_lot'), type: 'date', testid: 'qt-from' },
    { name: 'valid_to', label: fl('valid_to', 'quota_lot'), type: 'date', required: true, testid: 'qt-to' },
    note(),
  ], (v) => post('/api/v1/quota/allocations', { ...v, enterprise_id: Number(v.enterprise_id), valid_from: v.valid_from || undefined, price: v.price ?? undefined }), done);
}

export function tradeDialog(done) {
  dialog(t('qt_trade'), 'qt-trade', [
    { name: 'seller_id', label: fl('seller_id'), type: 'custom', component: enterpriseField('seller_id', 'qt-seller'), required: true },
    { name: 'buyer_id', label: fl('buyer_id'), type: 'custom', component: enterpriseField('buyer_id', 'qt-buyer'), required: true },
    pollutant(), amount(), price(), note(),
  ], (v) => post('/api/v1/quota/trades', { ...v, seller_id: Number(v.seller_id), buyer_id: Number(v.buyer_id) }), done);
}

export function outDialog(kind, done) {
  const path = { sale: 'reserve-sales', buyback: 'buybacks', retire: 'retirements' }[kind];
  dialog(t(`qt_${kind}`), `qt-${kind}`, [
    { name: 'enterprise_id', label: t('qt_enterprise_id'), type: 'custom', component: enterpriseField('enterprise_id', 'qt-enterprise'), required: true, span: 2 },
    pollutant(), amount(),
    kind !== 'retire' ? price() : null,
    kind === 'sale' ? { name: 'valid_to', label: fl('valid_to', 'quota_lot'), type: 'date', required: true, testid: 'qt-to' } : null,
    note(kind === 'retire'),
  ].filter(Boolean), (v) => post(`/api/v1/quota/${path}`, { ...v, enterprise_id: Number(v.enterprise_id) }), done);
}

export function reserveDialog(done) {
  dialog(t('qt_reserve_add'), 'qt-reserve', [pollutant(), amount(), note(true)], (v) => post('/api/v1/quota/reserve', v), done);
}

export async function applyDialog(enterpriseId, done) {
  const banks = (await get('/api/v1/quota/banks')).items || [];
  dialog(t('qt_apply'), 'qt-apply', [
    { name: 'bank_id', label: fl('bank_id', 'quota_pledge'), type: 'select', required: true, options: banks.map((b) => [b.id, b.name]), testid: 'qt-bank' },
    pollutant(), amount(),
    { name: 'appraised_yuan', label: fl('appraised_yuan', 'quota_pledge'), type: 'number', required: true, min: 1, testid: 'qt-appraised' },
    { name: 'requested_yuan', label: fl('requested_yuan', 'quota_pledge'), type: 'number', required: true, min: 1, hint: t('qt_cap'), testid: 'qt-requested' },
    note(),
  ], (v) => post('/api/v1/quota/pledges', { ...v, bank_id: Number(v.bank_id), enterprise_id: enterpriseId }), done);
}
