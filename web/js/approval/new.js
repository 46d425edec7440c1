// Filing an EIA application: the project (name, industry code, site as a point or a pasted
// GeoJSON polygon, investment, capacity, pollutants, park, the EIA preparer, a pre-consultation
// to carry over); "check" shows the zoning verdict, the catalogue class, the route and why a
// simpler route is shut before anything is stored; "submit" files it (an approver picks the
// builder for a walk-in). A 登记表 is filed at once and shows its receipt.
import { get, post, qs } from '../api.js';
import { t, fl, label } from '../i18n.js';
import { session } from '../session.js';
import { h, pageHead, form, toast, searchSelect, sectionHead } from '../ui.js';
import { searchEnterprises } from '../patrol/common.js';
import { assessment } from './common.js';

async function searchAgencies(q) {
  const r = await get(`/api/v1/agencies${qs({ q, limit: 10 })}`);
  return (r.items || []).map((a) => ({ value: a.id, label: a.name, hint: a.kind }));
}

function body(v, ent, agency) {
  let geometry = null;
  const poly = (v.polygon || '').trim();
  if (poly) {
    try { geometry = JSON.parse(poly); } catch { geometry = { type: 'invalid' }; }
  } else if (v.lon !== '' && v.lat !== '') {
    geometry = { type: 'Point', coordinates: [Number(v.lon), Number(v.lat)] };
  }
  const pollutants = (v.pollutants || '').split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => p[0])
    .map(([code, tonnes]) => ({ code, tonnes: Number(tonnes) || 0 }));
  const b = {
    project_name: v.project_name, industry_code: v.industry_code, capacity: v.capacity || undefined, park: v.park || undefined,
    investment: v.investment === '' ? undefined : Number(v.investment), pollutants, commitment_signed: (v.commitment_signed || []).includes('yes'),
    key_project: (v.key_project || []).includes('yes'), assessments: ['eia', ...(v.assessments || [])],
  };
  if (geometry) b.geometry = geometry;
  if (ent && ent.get()) b.enterprise_id = Number(ent.get());
  if (agency.get()) b.preparer_agency_id = Number(agency.get());
  if (v.consult_id) b.consult_id = Number(v.consult_id);
  const bundle = (v.bundle || '').split(/[,，\s]+/).filter(Boolean).map(Number);
  if (bundle.length) b.bundle_enterprise_ids = bundle;
  return b;
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('ap_new_title'));
  const staff = session.user?.role !== 'enterprise';
  const ent = staff ? searchSelect({ name: 'enterprise_id', id: 'f-enterprise_id', testid: 'approval-enterprise', labelMode: true, search: searchEnterprises }) : null;
  const agency = searchSelect({ name: 'preparer_agency_id', id: 'f-preparer_agency_id', testid: 'approval-agency', labelMode: true, search: searchAgencies });
  const result = h('div', { 'data-testid': 'approval-check-result' });
  const f = form({
    cols: 2, testid: 'approval-form', submitLabel: t('ap_submit'), submitTestid: 'approval-submit',
    fields: [
      staff ? { name: 'enterprise_id', label: t('ap_enterprise'), type: 'custom', component: { el: ent.el, get: () => ent.get() ?? '', set: () => {} }, required: true, span: 2 } : null,
      { name: 'project_name', label: fl('project_name', 'eia_application'), required: true, maxlength: 256, testid: 'approval-name', span: 2 },
      { name: 'industry_code', label: fl('industry_code', 'eia_application'), required: true, maxlength: 8, testid: 'approval-industry', placeholder: '1713' },
      { name: 'investment', label: fl('investment', 'eia_application'), type: 'number', min: 0, testid: 'approval-investment' },
      { name: 'lon', label: t('ap_lon'), type: 'number', testid: 'approval-lon', placeholder: '120.0861' },
      { name: 'lat', label: t('ap_lat'), type: 'number', testid: 'approval-lat', placeholder: '30.8931' },
      { name: 'polygon', label: t('ap_polygon'), type: 'textarea', rows: 2, maxlength: 200000, testid: 'approval-polygon', span: 2 },
      { name: 'capacity', label: fl('capacity', 'eia_application'), maxlength: 500, testid: 'approval-capacity', span: 2 },
      { name: 'pollutants', label: `${fl('pollutants', 'eia_application')}（${t('ap_pollutant_hint')}）`, type: 'textarea', rows: 2, maxlength: 2000, testid: 'approval-pollutants', span: 2 },
      { name: 'park', label: fl('park', 'eia_application'), maxlength: 100, testid: 'approval-park' },
      { name: 'consult_id', label: fl('consult_id', 'eia_application'), type: 'integer', min: 1, testid: 'approval-consult' },
      { name: 'preparer_agency_id', label: fl('preparer_agency_id', 'eia_application'), type: 'custom', component: { el: agency.el, get: () => agency.get() ?? '', set: () => {} }, span: 2 },
      { name: 'assessments', label: fl('assessments', 'eia_application'), type: 'checks', options: [['radiation', label('eia_assessment', 'radiation')], ['outfall', label('eia_assessment', 'outfall')]], testid: 'approval-assessments', span: 2 },
      { name: 'commitment_signed', label: fl('commitment_signed', 'eia_application'), type: 'checks', options: [['yes', fl('commitment_signed', 'eia_application')]], testid: 'approval-commitment' },
      staff ? { name: 'bundle', label: `${fl('bundle_enterprise_ids', 'eia_application')}（${t('ap_bundle_hint')}）`, maxlength: 400, testid: 'approval-bundle', span: 2 } : null,
      staff ? { name: 'key_project', label: fl('key_project', 'eia_application'), type: 'checks', options: [['yes', t('ap_key_project')]], testid: 'approval-key' } : null,
    ],
    onSubmit: async (v) => {
      const r = await post('/api/v1/approval/applications', body(v, ent, agency));
      toast(r.state === 'recorded' ? t('ap_recorded_ok', { n: r.receipt_no }) : r.state === 'exempt' ? t('ap_exempt_ok') : t('ap_filed_ok'));
      ctx.navigate(`/approval/applications/${r.id}`);
    },
  });
  const check = h('button', { type: 'button', class: 'btn', 'data-testid': 'approval-check' }, t('ap_check'));
  check.addEventListener('click', async () => {
    const v = {};
    for (const x of f.el.querySelectorAll('[name]')) {
      if (x.type === 'checkbox') v[x.name] = [...(v[x.name] || []), ...(x.checked ? [x.value] : [])];
      else v[x.name] = x.value;
    }
    try {
      const r = await post('/api/v1/approval/check', body(v, ent, agency));
      result.replaceChildren(sectionHead(t('ap_zoning')), assessment(r));
    } catch (e) { toast(e, 'error'); }
  });
  main.replaceChildren(pageHead(t('ap_new_title'), check), h('p', { class: 'muted' }, t('ap_check_hint')), result, f.el);
}
