// 提前介入咨询: the pre-consultations (an enterprise user: its own; staff: within their area),
// filtered by verdict, searched, sorted and paged, and the form that records one: the project,
// its builder, industry and investment, the site (a point typed or placed on the drawing) and,
// for staff, an optional registered enterprise. Recording checks the site at once.
import { get, post, qs } from '../api.js';
import { t, fl, label, enumOptions } from '../i18n.js';
import { h, pageHead, dataTable, selectEl, searchBox, btn, form, modal, toast, fmtTime } from '../ui.js';
import { can, role } from '../session.js';
import { unitMap, verdictBadge } from './common.js';

function openForm(ctx, done) {
  let m, map;
  const lon = h('input', { type: 'number', step: 'any', 'data-testid': 'consult-lon' });
  const lat = h('input', { type: 'number', step: 'any', 'data-testid': 'consult-lat' });
  const sitePick = { el: h('div', { class: 'zn-site-pick' }, h('label', {}, t('zn_lon'), ' ', lon), ' ', h('label', {}, t('zn_lat'), ' ', lat)),
    get: () => (lon.value !== '' && lat.value !== '' ? { type: 'Point', coordinates: [Number(lon.value), Number(lat.value)] } : undefined),
    set: () => {}, focus: () => lon.focus() };
  const staff = role() !== 'enterprise';
  const f = form({
    cols: 2, testid: 'consult-form', submitLabel: t('zn_new_consult'), submitTestid: 'consult-submit',
    fields: [
      { name: 'project_name', label: fl('project_name', 'zoning_consult'), required: true, maxlength: 200, span: 2, testid: 'consult-project' },
      { name: 'builder', label: fl('builder', 'zoning_consult'), required: true, maxlength: 200, testid: 'consult-builder' },
      { name: 'industry', label: fl('industry', 'zoning_consult'), maxlength: 8, placeholder: t('zn_industry_ph'), testid: 'consult-industry' },
      { name: 'investment', label: fl('investment', 'zoning_consult'), type: 'number', testid: 'consult-investment' },
      staff ? { name: 'enterprise_id', label: fl('enterprise_id', 'zoning_consult'), type: 'integer', hint: t('zn_enterprise_id_hint'), testid: 'consult-enterprise' } : null,
      { name: 'geometry', label: fl('geometry', 'zoning_consult'), type: 'custom', required: true, span: 2, component: sitePick },
    ],
    omitEmpty: true,
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const c = await post('/api/v1/zoning/consults', v);
      m.close();
      toast(t('zn_consult_ok', { v: label('zoning_verdict', c.verdict) }));
      done(c);
    },
  });
  const mapBox = h('div', { class: 'zn-form-map' });
  m = modal({ title: t('zn_new_consult'), body: h('div', {}, h('p', { class: 'muted' }, t('zn_consult_hint')), f.el, mapBox), wide: true, testid: 'consult-dialog' });
  get('/api/v1/zoning/map').then((d) => {
    map = unitMap({ units: d.units, height: 300, testid: 'consult-map', onClick: ([x, y]) => { lon.value = x; lat.value = y; map.setSite({ type: 'Point', coordinates: [x, y] }); } });
    mapBox.replaceChildren(map.el);
  }).catch(() => {});
}

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('zn_consults_title'));
  const verdict = selectEl({ name: 'verdict', testid: 'filter-verdict', value: query.get('verdict') || '', placeholder: t('zn_all_verdicts'),
    options: enumOptions('zoning_verdict'), onChange: () => { ctx.setQuery({ verdict: verdict.value }); table.reload(); } });
  let q = '';
  const search = searchBox({ placeholder: t('zn_search_consults'), testid: 'consult-search', onSearch: (v) => { q = v; table.reload(); } });
  const params = () => ({ verdict: verdict.value || undefined, q: q || undefined });
  const table = dataTable({
    testid: 'consult-table',
    toolbar: [verdict, search],
    sort: '-id',
    fetch: (p) => get(`/api/v1/zoning/consults${qs({ ...params(), ...p })}`),
    onRow: (r) => ctx.navigate(`/zoning/consults/${r.id}`),
    rowTestid: (r) => `consult-row-${r.id}`,
    columns: [
      { key: 'id', label: '#', render: (r) => h('a', { href: `#/zoning/consults/${r.id}` }, `#${r.id}`) },
      { key: 'project_name', label: fl('project_name', 'zoning_consult'), sort: 'project_name', primary: true },
      { key: 'builder', label: fl('builder', 'zoning_consult') },
      { key: 'enterprise_name', label: fl('enterprise_id', 'zoning_consult'), render: (r) => r.enterprise_name || t('zn_prospect') },
      { key: 'industry', label: fl('industry', 'zoning_consult'), sort: 'industry' },
      { key: 'verdict', label: fl('verdict', 'zoning_consult'), sort: 'verdict', render: (r) => verdictBadge(r.verdict, `consult-verdict-${r.id}`) },
      { key: 'created_at', label: fl('created_at', 'zoning_consult'), sort: 'created_at', cls: 'nowrap', render: (r) => fmtTime(r.created_at) },
    ],
  });
  main.replaceChildren(
    pageHead(t('zn_consults_title'), can('zoning.consult') ? btn(t('zn_new_consult'), () => openForm(ctx, (c) => ctx.navigate(`/zoning/consults/${c.id}`)), { primary: true, testid: 'consult-new' }) : null),
    table.el);
}
