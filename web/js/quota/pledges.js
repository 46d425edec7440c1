// 排污权抵押贷款: the applications (staff within their area; a bank user only its bank's, on
// #/quota/bank) with the step each role takes: the bureau's check (holdings, over quota last
// year, credit grade, a major incident), the bank's decision within 70 % of the appraised value,
// the bureau's registration that encumbers the rights, and the release on repayment.
import { get, post, put } from '../api.js';
import { t, fl, label } from '../i18n.js';
import { can, role } from '../session.js';
import { h, pageHead, sectionHead, simpleTable, dataTable, btn, form, modal, toast, selectEl, fmtTime, errorBanner } from '../ui.js';
import { PN, tons, yuan, badge, localSource, yesNo } from './common.js';

function stepDialog(title, testid, fields, submit, done) {
  let m;
  const f = form({
    cols: 2, testid: `${testid}-form`, submitTestid: `${testid}-save`, fields,
    onCancel: () => m.close(),
    onSubmit: async (v) => { await submit(v); m.close(); toast(t('qt_done')); done(); },
  });
  m = modal({ title, body: f.el, wide: true, dismissable: false, testid: `${testid}-dialog` });
  m.el.querySelector('.modal-foot').hidden = true;
}

export function actions(p, done) {
  const out = [];
  const path = `/api/v1/quota/pledges/${p.id}`;
  if (p.state === 'applied' && can('quota.manage')) {
    out.push(btn(t('qt_check'), () => stepDialog(t('qt_check'), 'qt-check', [
      { name: 'major_incident', label: fl('major_incident'), type: 'select', options: yesNo(), testid: 'qt-incident' },
    ], (v) => post(`${path}/check`, { major_incident: v.major_incident === 'true' }), done), { small: true, testid: `qt-check-${p.id}` }));
  }
  if (p.state === 'checked' && can('quota.decide')) {
    out.push(btn(t('qt_decide'), () => stepDialog(t('qt_decide'), 'qt-decide', [
      { name: 'approve', label: t('qt_decide'), type: 'select', required: true, options: [['true', t('qt_approve')], ['false', t('qt_decline')]], testid: 'qt-approve' },
      { name: 'loan_yuan', label: fl('loan_yuan', 'quota_pledge'), type: 'number', min: 1, hint: t('qt_cap'), testid: 'qt-loan' },
      { name: 'rate_percent', label: fl('rate_percent', 'quota_pledge'), type: 'number', min: 0, testid: 'qt-rate' },
      { name: 'note', label: t('qt_note'), type: 'textarea', maxlength: 2000, span: 2 },
    ], (v) => post(`${path}/decide`, { approve: v.approve === 'true', loan_yuan: v.loan_yuan ?? undefined, rate_percent: v.rate_percent ?? undefined, note: v.note || '' }), done),
    { small: true, primary: true, testid: `qt-decide-${p.id}` }));
  }
  if (p.state === 'approved' && can('quota.manage')) {
    out.push(btn(t('qt_register'), async () => { await post(`${path}/register`, {}); toast(t('qt_done')); done(); }, { small: true, primary: true, testid: `qt-register-${p.id}` }));
  }
  if (p.state === 'registered' && can('quota.release')) {
    out.push(btn(t('qt_release'), async () => { await post(`${path}/release`, {}); toast(t('qt_done')); done(); }, { small: true, testid: `qt-release-${p.id}` }));
  }
  return out;
}

export function pledgeColumns(done) {
  return [
    { key: 'id', label: '#', sort: 'id', cls: 'num' },
    { key: 'enterprise_name', label: t('qt_firm'), sort: 'enterprise_name', primary: true },
    { key: 'bank_name', label: fl('bank_id', 'quota_pledge'), sort: 'bank_name' },
    { key: 'pollutant', label: fl('pollutant', 'quota_lot'), sort: 'pollutant', render: (p) => `${PN[p.pollutant]} ${tons(p.amount_kg)}` },
    { key: 'appraised_yuan', label: fl('appraised_yuan', 'quota_pledge'), sort: 'appraised_yuan', cls: 'num', render: (p) => yuan(p.appraised_yuan) },
    { key: 'requested_yuan', label: fl('requested_yuan', 'quota_pledge'), sort: 'requested_yuan', cls: 'num', render: (p) => yuan(p.requested_yuan) },
    { key: 'loan_yuan', label: fl('loan_yuan', 'quota_pledge'), sort: 'loan_yuan', cls: 'num', render: (p) => (p.loan_yuan ? `${yuan(p.loan_yuan)} · ${p.rate_percent}%` : '') },
    { key: 'state', label: fl('state', 'quota_pledge'), sort: 'state', render: (p) => h('span', {}, badge('quota_pledge_state', p.state, `qt-pledge-state-${p.id}`),
      p.reasons?.length ? h('div', { class: 'small neg' }, p.reasons.map((x) => label('quota_reason', x)).join('，')) : '',
      p.registration_no ? h('div', { class: 'small mono' }, p.registration_no) : '') },
    { key: 'updated_at', label: t('qt_time'), sort: 'updated_at', cls: 'nowrap', render: (p) => fmtTime(p.updated_at) },
    { key: 'act', label: '', render: (p) => h('span', { class: 'actions' }, actions(p, done)) },
  ];
}

export async function render(ctx) {
  const { main } = ctx;
  const title = role() === 'bank' ? t('qt_bank_nav') : t('qt_pledges_nav');
  ctx.setTitle(title);
  let data;
  try { data = await get('/api/v1/quota/pledges'); } catch (e) { main.replaceChildren(pageHead(title), errorBanner(e)); return; }
  let st = '';
  const states = ['applied', 'checked', 'refused', 'approved', 'declined', 'registered', 'released'];
  const table = dataTable({
    testid: 'qt-pledges', sort: '-id',
    fetch: localSource(async () => data.items, (p) => !st || p.state === st),
    toolbar: [selectEl({ options: [['', t('qt_all')], ...states.map((s) => [s, label('quota_pledge_state', s)])], testid: 'qt-pledge-filter', onChange: (v) => { st = v; table.reload(); } })],
    columns: pledgeColumns(() => render(ctx)),
  });
  main.replaceChildren(pageHead(title), table.el, can('quota.banks') ? await banksSection(() => render(ctx)) : '');
}

// The administrator's banks: the list, a new bank, and linking a user of role bank to one.
async function banksSection(done) {
  const banks = (await get('/api/v1/quota/banks')).items || [];
  const users = (await get('/api/v1/users?role=bank&limit=200').catch(() => ({ items: [] }))).items || [];
  const add = () => stepDialog(t('qt_bank_new'), 'qt-bank-new', [
    { name: 'name', label: t('qt_bank_name'), required: true, maxlength: 200, span: 2, testid: 'qt-bank-name' },
  ], (v) => post('/api/v1/quota/banks', v), done);
  const link = (b) => stepDialog(`${t('qt_bank_link')} · ${b.name}`, 'qt-bank-link', [
    { name: 'user_id', label: t('qt_bank_user'), type: 'select', required: true, options: users.map((u) => [u.id, `${u.display_name}（${u.username}）`]), testid: 'qt-bank-user' },
  ], (v) => put(`/api/v1/quota/banks/${b.id}/users/${v.user_id}`), done);
  return h('section', {},
    sectionHead(t('qt_banks'), btn(t('qt_bank_new'), add, { small: true, testid: 'qt-bank-add' })),
    simpleTable({ testid: 'qt-banks', rows: banks, empty: t('qt_no_banks'), columns: [
      { key: 'name', label: t('qt_bank_name'), primary: true },
      { key: 'users', label: t('qt_bank_users'), cls: 'num' },
      { key: 'act', label: '', render: (b) => btn(t('qt_bank_link'), () => link(b), { small: true, testid: `qt-bank-link-${b.id}` }) },
    ] }));
}
