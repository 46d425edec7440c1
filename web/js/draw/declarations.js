// Declared relationships (利害关系申报): an inspector declares a relationship with an
// enterprise and is recused from it in every draw while it stands; leaders and admins see and
// declare for everyone.
import { get, post, del, qs } from '../api.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, btn, dataTable, form, modal, toast, fmtTime, confirmDialog, searchSelect } from '../ui.js';
import { localSource } from './common.js';

async function searchEnterprises(q) {
  const r = await get(`/api/v1/enterprises${qs({ q, limit: 10 })}`);
  return (r.items || []).map((e) => ({ value: e.id, label: e.name, hint: e.uscc }));
}

async function declareDialog(done) {
  let m;
  const enterprise = searchSelect({ name: 'enterprise_id', id: 'f-enterprise_id', testid: 'decl-enterprise', labelMode: true,
    placeholder: t('draw_decl_search'), search: searchEnterprises });
  const planner = can('draw.plan');
  const inspectors = planner ? (await get('/api/v1/draw/inspectors')).items || [] : [];
  const f = form({
    cols: 2,
    testid: 'decl-form',
    fields: [
      { name: 'enterprise_id', label: t('draw_decl_enterprise'), type: 'custom', component: enterprise, required: true },
      planner ? { name: 'user_id', label: t('draw_decl_user'), type: 'select', testid: 'decl-user', placeholder: t('draw_decl_self'),
        options: inspectors.map((u) => [u.id, u.org_unit_name ? `${u.display_name}（${u.org_unit_name}）` : u.display_name]) } : null,
      { name: 'reason', label: t('draw_decl_reason'), type: 'textarea', required: true, maxlength: 1000, span: 2, testid: 'decl-reason' },
    ],
    submitTestid: 'decl-save',
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const body = { enterprise_id: Number(v.enterprise_id), reason: v.reason };
      if (v.user_id) body.user_id = Number(v.user_id);
      await post('/api/v1/draw/declarations', body);
      m.close();
      toast(t('saved'));
      done();
    },
  });
  m = modal({ title: t('draw_decl_new'), body: f.el, wide: true, dismissable: false, testid: 'decl-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('draw_declarations'));
  let all = null;
  const table = dataTable({
    testid: 'draw-declarations',
    sort: '-id',
    fetch: localSource(async () => { if (!all) all = (await get('/api/v1/draw/declarations')).items || []; return all; }),
    columns: [
      { key: 'id', label: '#', sort: 'id', cls: 'num' },
      { key: 'user_name', label: t('draw_decl_user'), sort: 'user_name' },
      { key: 'enterprise_name', label: t('draw_decl_enterprise'), sort: 'enterprise_name', primary: true,
        render: (d) => h('a', { href: `#/enterprises/${d.enterprise_id}` }, d.enterprise_name) },
      { key: 'reason', label: t('draw_decl_reason') },
      { key: 'declared_at', label: t('draw_decl_at'), sort: 'declared_at', cls: 'nowrap', render: (d) => fmtTime(d.declared_at) },
      { key: 'withdrawn_at', label: t('draw_state'), render: (d) => (d.withdrawn_at
        ? h('span', { class: 'badge grey' }, t('draw_decl_withdrawn'))
        : h('span', {}, h('span', { class: 'badge green' }, t('draw_decl_standing')), ' ',
          btn(t('draw_decl_withdraw'), async () => {
            if (!(await confirmDialog(t('draw_decl_withdraw')))) return;
            await del(`/api/v1/draw/declarations/${d.id}`);
            all = null;
            table.reload();
          }, { small: true, testid: `withdraw-${d.id}` }))) },
    ],
  });
  main.replaceChildren(
    pageHead(t('draw_declarations'), btn(t('draw_decl_new'), () => declareDialog(() => { all = null; table.reload(); }), { primary: true, testid: 'decl-new' })),
    h('p', { class: 'muted small' }, t('draw_decl_help')),
    table.el);
}
