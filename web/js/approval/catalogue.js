// The classification catalogue (分类管理名录, representative items of the 2021 edition): item
// number, category, project type, the condition per class as the 名录 reads, and what the
// proposal evaluates (industry code prefixes, the default class, the keywords and the investment
// that make a 报告书). Everyone reads it; the admin adds and edits items (audited).
import { get, post, put, qs } from '../api.js';
import { t, fl, enumOptions } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, dataTable, form, modal, toast, btn, searchBox } from '../ui.js';
import { classLabel } from './common.js';

const FIELDS = ['item_no', 'category', 'project_type', 'industry_prefixes', 'default_class', 'report_cond', 'form_cond', 'registration_cond', 'report_keywords', 'report_min_investment'];

function itemDialog(item, reload) {
  let m;
  const f = form({
    cols: 2, testid: 'catalogue-form', values: item || { default_class: 'form' }, submitLabel: t('save'), submitTestid: 'catalogue-save',
    fields: FIELDS.map((k) => ({ name: k, label: fl(k, 'eia_catalogue'), testid: `cat-${k}`,
      type: k === 'default_class' ? 'select' : k === 'report_min_investment' ? 'number' : k.endsWith('_cond') ? 'textarea' : 'text',
      options: k === 'default_class' ? enumOptions('eia_class') : undefined, required: ['item_no', 'category', 'project_type', 'industry_prefixes', 'default_class'].includes(k),
      span: k.endsWith('_cond') || k === 'project_type' ? 2 : 1 })),
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const body = { ...v, report_min_investment: v.report_min_investment === '' ? 0 : Number(v.report_min_investment) };
      if (item) await put(`/api/v1/approval/catalogue/${item.id}`, body); else await post('/api/v1/approval/catalogue', body);
      m.close();
      toast(t('ap_saved'));
      reload();
    },
  });
  m = modal({ title: item ? t('ap_edit_item') : t('ap_new_item'), dismissable: false, wide: true, testid: 'catalogue-dialog', body: f.el });
  m.el.querySelector('.modal-foot').hidden = true;
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('ap_catalogue_title'));
  let q = '';
  const search = searchBox({ placeholder: t('ap_search'), testid: 'catalogue-search', onSearch: (v) => { q = v; table.reload(); } });
  const admin = can('approval.catalogue');
  const table = dataTable({
    testid: 'catalogue-table', toolbar: [search], sort: 'item_no',
    fetch: (p) => get(`/api/v1/approval/catalogue${qs({ q: q || undefined, ...p })}`),
    onRow: admin ? (r) => itemDialog(r, () => table.reload()) : undefined,
    rowTestid: (r) => `catalogue-row-${r.id}`,
    columns: [
      { key: 'item_no', label: fl('item_no', 'eia_catalogue'), sort: 'item_no', cls: 'nowrap' },
      { key: 'category', label: fl('category', 'eia_catalogue'), sort: 'category' },
      { key: 'project_type', label: fl('project_type', 'eia_catalogue'), primary: true },
      { key: 'report_cond', label: fl('report_cond', 'eia_catalogue') },
      { key: 'form_cond', label: fl('form_cond', 'eia_catalogue') },
      { key: 'registration_cond', label: fl('registration_cond', 'eia_catalogue') },
      { key: 'default_class', label: fl('default_class', 'eia_catalogue'), sort: 'default_class', render: (r) => classLabel(r.default_class) },
    ],
  });
  main.replaceChildren(pageHead(t('ap_catalogue_title'), ...(admin ? [btn(t('ap_new_item'), () => itemDialog(null, () => table.reload()), { primary: true, testid: 'catalogue-new' })] : [])), table.el);
}
