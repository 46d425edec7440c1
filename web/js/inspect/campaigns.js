// 专项行动: the campaigns of the area (an enterprise: those it is a target of), with their
// status and progress; officers start one with its plan, dates and targets (listed firms, or
// every active firm of the region and category).
import { get, post } from '../api.js';
import { t, fl, enumOptions } from '../i18n.js';
import { can, role } from '../session.js';
import { h, pageHead, dataTable, btn, form, modal, todayISO, searchSelect } from '../ui.js';
import { L, searchEnterprises } from './common.js';

function createDialog(navigate) {
  let m;
  const picked = [];
  const list = h('ul', { class: 'small', 'data-testid': 'campaign-targets' });
  const ent = searchSelect({ name: 'pick', testid: 'campaign-enterprise', labelMode: true, placeholder: t('insp_enterprise'), search: searchEnterprises,
    onPick: (v, lab) => {
      const id = Number(v ?? ent.get());
      if (id && !picked.some((p) => p.id === id)) picked.push({ id, name: lab?.label || lab || ent.input.value });
      ent.set('', '');
      list.replaceChildren(...picked.map((p) => h('li', {}, p.name)));
    } });
  const today = todayISO();
  const f = form({
    cols: 2,
    testid: 'campaign-form',
    values: { title: '', region_prefix: '', plan: '', selfcheck_due: today, visit_from: today, visit_to: today, category: '' },
    fields: [
      { name: 'title', label: fl('title', 'inspect_task'), required: true, maxlength: 200, span: 2, testid: 'campaign-title' },
      { name: 'region_prefix', label: fl('region_prefix', 'inspect_campaign'), maxlength: 12, testid: 'campaign-region' },
      { name: 'category', label: fl('category', 'inspect_campaign'), type: 'select', options: [['', '—'], ...enumOptions('category')], testid: 'campaign-category' },
      { name: 'plan', label: fl('plan', 'inspect_campaign'), type: 'textarea', required: true, span: 2, testid: 'campaign-plan' },
      { name: 'selfcheck_due', label: fl('selfcheck_due', 'inspect_campaign'), type: 'date', required: true },
      { name: 'visit_from', label: fl('visit_from', 'inspect_campaign'), type: 'date', required: true },
      { name: 'visit_to', label: fl('visit_to', 'inspect_campaign'), type: 'date', required: true },
      { name: 'enterprise_ids', label: t('insp_enterprise_ids'), type: 'custom', span: 2, hint: t('insp_all_firms_region'),
        component: { el: h('div', {}, ent.el, list), get: () => picked.map((p) => p.id), set: () => {}, focus: () => ent.focus() } },
    ],
    submitTestid: 'campaign-create',
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const r = await post('/api/v1/inspect/campaigns', { ...v, category: v.category || undefined, region_prefix: (v.region_prefix || '').trim() });
      m.close();
      navigate(`/inspect/campaigns/${r.id}`);
    },
  });
  m = modal({ title: t('insp_campaign_new'), body: f.el, wide: true, dismissable: false, testid: 'campaign-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}

export async function render(ctx) {
  const { main, navigate } = ctx;
  ctx.setTitle(t('insp_campaigns_title'));
  let all = null;
  const table = dataTable({
    testid: 'campaigns',
    paged: false,
    limit: 500,
    fetch: async () => {
      if (!all) all = (await get('/api/v1/inspect/campaigns')).items;
      return { items: all, total: all.length, next_cursor: null };
    },
    onRow: (c) => navigate(`/inspect/campaigns/${c.id}`),
    rowTestid: (c) => `campaign-${c.id}`,
    columns: [
      { key: 'title', label: fl('title', 'inspect_task'), primary: true, render: (c) => h('a', { href: `#/inspect/campaigns/${c.id}` }, c.title) },
      { key: 'status', label: t('insp_task'), render: (c) => h('span', { class: 'badge plain' }, label2(c.status)) },
      { key: 'region_prefix', label: fl('region_prefix', 'inspect_campaign') },
      { key: 'visit_from', label: t('insp_planned'), cls: 'nowrap', render: (c) => `${c.visit_from} – ${c.visit_to}` },
      { key: 'targets', label: t('insp_c_targets'), cls: 'num' },
      { key: 'inspected', label: t('insp_c_inspected'), cls: 'num' },
    ],
  });
  main.replaceChildren(
    pageHead(t('insp_campaigns_title'), role() !== 'enterprise' && can('inspect.campaign') ? btn(t('insp_campaign_new'), () => createDialog(navigate), { primary: true, testid: 'campaign-new' }) : null),
    table.el);
}

const label2 = (s) => L('campaign_status', s);
