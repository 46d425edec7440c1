// 建设项目总量审核: each project's indicators with the replacement ratio (2:1 where the area
// missed its quality target), the sources of the replaced quantity and its priority tier (≥ 5 bn
// fully guaranteed, ≥ 1 bn first in line, livelihood, the rest); the managers file a review and
// let the reserve serve the waiting ones in that order.
import { get, post } from '../api.js';
import { t, fl, label } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, dataTable, btn, busy, form, modal, toast, selectEl, fmtTime, errorBanner } from '../ui.js';
import { PN, tons, yuan, badge, localSource, pollutantOptions, enterpriseField, yesNo } from './common.js';

const SRC = ['reserve', 'reduction', 'closure', 'trade'];

function reviewDialog(done) {
  let m;
  const f = form({
    cols: 2, testid: 'qt-review-form', submitTestid: 'qt-review-save',
    fields: [
      { name: 'enterprise_id', label: t('qt_enterprise_id'), type: 'custom', component: enterpriseField('enterprise_id', 'qt-review-enterprise'), required: true, span: 2 },
      { name: 'project', label: fl('project', 'quota_review'), required: true, maxlength: 200, span: 2, testid: 'qt-project' },
      { name: 'approval_ref', label: fl('approval_ref', 'quota_review'), maxlength: 200, testid: 'qt-approval' },
      { name: 'investment_yuan', label: fl('investment_yuan', 'quota_review'), type: 'number', required: true, min: 0, testid: 'qt-investment' },
      { name: 'livelihood', label: fl('livelihood', 'quota_review'), type: 'select', options: yesNo(), testid: 'qt-livelihood' },
      { name: 'pollutant', label: fl('pollutant', 'quota_lot'), type: 'select', required: true, options: pollutantOptions(), testid: 'qt-review-pollutant' },
      { name: 'amount_t', label: t('qt_new_amount'), type: 'number', required: true, min: 0, testid: 'qt-new-amount' },
      { name: 'missed_target', label: fl('missed_target'), type: 'select', options: yesNo(), testid: 'qt-missed' },
      ...SRC.map((s) => ({ name: `src_${s}`, label: t(`qt_src_${s}`), type: 'number', min: 0, testid: `qt-src-${s}` })),
    ],
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const sources = SRC.filter((s) => v[`src_${s}`] > 0).map((s) => ({ kind: s, amount_t: v[`src_${s}`] }));
      await post('/api/v1/quota/reviews', {
        enterprise_id: Number(v.enterprise_id), project: v.project, approval_ref: v.approval_ref || '', investment_yuan: v.investment_yuan,
        livelihood: v.livelihood === 'true',
        items: [{ pollutant: v.pollutant, amount_t: v.amount_t, missed_target: v.missed_target === 'true', sources }],
      });
      m.close();
      toast(t('qt_done'));
      done();
    },
  });
  m = modal({ title: t('qt_new_review'), body: f.el, wide: true, dismissable: false, testid: 'qt-review-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('qt_reviews'));
  let data;
  try { data = await get('/api/v1/quota/reviews'); } catch (e) { main.replaceChildren(pageHead(t('qt_reviews')), errorBanner(e)); return; }
  let st = '';
  const table = dataTable({
    testid: 'qt-reviews', sort: '-id',
    fetch: localSource(async () => data.items, (r) => !st || r.state === st),
    toolbar: [selectEl({ options: [['', t('qt_all')], ['waiting', label('quota_review_state', 'waiting')], ['served', label('quota_review_state', 'served')]], testid: 'qt-review-state', onChange: (v) => { st = v; table.reload(); } })],
    columns: [
      { key: 'id', label: '#', sort: 'id', cls: 'num' },
      { key: 'project', label: fl('project', 'quota_review'), sort: 'project', primary: true },
      { key: 'enterprise_name', label: t('qt_firm'), sort: 'enterprise_name', render: (r) => h('a', { href: `#/quota/enterprises/${r.enterprise_id}` }, r.enterprise_name) },
      { key: 'investment_yuan', label: fl('investment_yuan', 'quota_review'), sort: 'investment_yuan', cls: 'num', render: (r) => yuan(r.investment_yuan) },
      { key: 'tier', label: fl('tier', 'quota_review'), sort: 'tier', render: (r) => label('quota_tier', r.tier) },
      { key: 'items', label: t('qt_items'), render: (r) => h('div', {}, r.items.map((i) => h('div', { class: 'small' },
        `${PN[i.pollutant]} ${tons(i.new_kg)} → ${t('qt_required', { r: tons(i.required_kg), x: i.ratio })}`,
        ' · ', i.sources.map((s) => `${label('quota_source', s.kind)} ${tons(s.amount_kg)}`).join('，')))) },
      { key: 'state', label: fl('state', 'quota_review'), sort: 'state', render: (r) => badge('quota_review_state', r.state, `qt-review-state-${r.id}`) },
      { key: 'submitted_at', label: fl('submitted_at', 'quota_review'), sort: 'submitted_at', cls: 'nowrap', render: (r) => fmtTime(r.submitted_at) },
    ],
  });
  const manage = can('quota.manage');
  main.replaceChildren(
    pageHead(t('qt_reviews'), ...(manage ? [
      btn(t('qt_new_review'), () => reviewDialog(() => render(ctx)), { primary: true, testid: 'qt-review-new' }),
      btn(t('qt_serve'), (e) => busy(e.currentTarget, async () => {
        const r = await post('/api/v1/quota/reserve/serve', {});
        toast(t('qt_served', { n: r.served, w: r.waiting }));
        render(ctx);
      }), { testid: 'qt-serve' }),
    ] : [])),
    table.el);
}
