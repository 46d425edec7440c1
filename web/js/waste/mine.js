// The enterprise's own waste page: its sites (class, stock; register one), the open warnings on
// them, its manifests (shipped or received) and a new manifest from a site's batches to a
// licensed receiver; the paper manifests it entered (and a new one, within 10 working days).
import { get, post } from '../api.js';
import { t, fl } from '../i18n.js';
import { h, pageHead, sectionHead, btn, toast, modal, form, errorBanner } from '../ui.js';
import { sitesTable, warningsTable } from './sites.js';
import { manifestsTable, papersTable, tonnes } from './common.js';

function dialog(title, testid, fields, values, submit) {
  let m;
  const f = form({ cols: 2, fields, values, testid: `${testid}-form`, onCancel: () => m.close(),
    onSubmit: async (v) => { await submit(v); m.close(); } });
  m = modal({ title, body: f.el, dismissable: false, wide: true, testid });
  m.el.querySelector('.modal-foot').hidden = true;
}

async function manifestDialog(ctx, sites) {
  const rec = (await get('/api/v1/waste/receivers')).items.filter((e) => e.id !== sites[0]?.enterprise_id);
  const site = sites[0];
  const stock = site ? (await get(`/api/v1/waste/sites/${site.id}`)).batches : [];
  dialog(t('hw_new_manifest'), 'hw-manifest-dialog', [
    { name: 'site_id', label: fl('site_name', 'waste_manifest'), type: 'select', required: true, noPlaceholder: true, options: sites.map((s) => [s.id, s.name]), testid: 'hw-m-site' },
    { name: 'receiver_id', label: fl('receiver_name', 'waste_manifest'), type: 'select', required: true, options: rec.map((e) => [e.id, e.name]), testid: 'hw-m-receiver' },
    { name: 'source_batch', label: fl('source_batch', 'waste_record'), type: 'select', required: true, testid: 'hw-m-batch',
      options: stock.map((b) => [b.source_batch, `${b.source_batch} · ${b.waste_code} · ${tonnes(b.in_store_t)}`]) },
    { name: 'amount_t', label: fl('amount_t', 'waste_manifest'), type: 'number', required: true, testid: 'hw-m-amount' },
    { name: 'carrier_name', label: fl('carrier_name', 'waste_manifest'), maxlength: 200 },
    { name: 'vehicle_no', label: fl('vehicle_no', 'waste_manifest'), maxlength: 20 },
  ], {}, async (v) => {
    const m = await post('/api/v1/waste/manifests', { site_id: Number(v.site_id), receiver_id: Number(v.receiver_id),
      carrier_name: v.carrier_name || '', vehicle_no: v.vehicle_no || '', lines: [{ source_batch: v.source_batch, amount_t: Number(v.amount_t) }] });
    toast(t('hw_created', { n: m.number }));
    ctx.navigate(`/waste/manifests/${m.id}`);
  });
}

// The paper fallback (art. 20): a paper manifest's data, within 10 working days of the shipment.
async function paperDialog(ctx, sites) {
  const rec = (await get('/api/v1/waste/receivers')).items.filter((e) => e.id !== sites[0]?.enterprise_id);
  const site = sites[0];
  const stock = site ? (await get(`/api/v1/waste/sites/${site.id}`)).batches : [];
  dialog(t('hw_new_paper'), 'hw-paper-dialog', [
    { name: 'site_id', label: fl('site_id', 'waste_paper'), type: 'select', required: true, noPlaceholder: true, options: sites.map((s) => [s.id, s.name]), testid: 'hw-p-site' },
    { name: 'receiver_id', label: fl('receiver_id', 'waste_paper'), type: 'select', required: true, options: rec.map((e) => [e.id, e.name]), testid: 'hw-p-receiver' },
    { name: 'paper_no', label: fl('paper_no', 'waste_paper'), required: true, maxlength: 40, testid: 'hw-p-no' },
    { name: 'shipped_on', label: fl('shipped_on', 'waste_paper'), type: 'date', required: true, testid: 'hw-p-shipped' },
    { name: 'carrier_name', label: fl('carrier_name', 'waste_paper'), required: true, maxlength: 200, testid: 'hw-p-carrier' },
    { name: 'vehicle_no', label: fl('vehicle_no', 'waste_paper'), required: true, maxlength: 20, testid: 'hw-p-vehicle' },
    { name: 'source_batch', label: fl('source_batch', 'waste_record'), type: 'select', required: true, testid: 'hw-p-batch',
      options: stock.map((b) => [b.source_batch, `${b.source_batch} · ${b.waste_code} · ${tonnes(b.in_store_t)}`]) },
    { name: 'amount_t', label: fl('amount_t', 'waste_paper'), type: 'number', required: true, testid: 'hw-p-amount' },
    { name: 'reason', label: fl('reason', 'waste_paper'), type: 'textarea', required: true, span: 2, maxlength: 2000, testid: 'hw-p-reason' },
  ], {}, async (v) => {
    const p = await post('/api/v1/waste/paper-manifests', { site_id: Number(v.site_id), receiver_id: Number(v.receiver_id), paper_no: v.paper_no,
      shipped_on: v.shipped_on, carrier_name: v.carrier_name, vehicle_no: v.vehicle_no, reason: v.reason,
      lines: [{ source_batch: v.source_batch, amount_t: Number(v.amount_t) }] });
    toast(t('hw_paper_created', { n: p.paper_no }));
    render(ctx);
  });
}

function siteDialog(ctx) {
  dialog(t('hw_new_site'), 'hw-site-dialog', [
    { name: 'name', label: fl('name', 'waste_site'), required: true, maxlength: 200, span: 2, testid: 'hw-site-name' },
    { name: 'address', label: fl('address', 'waste_site'), maxlength: 200, span: 2 },
    { name: 'declared_t', label: fl('declared_t', 'waste_site'), type: 'number' },
    { name: 'capacity_t', label: fl('capacity_t', 'waste_site'), type: 'number' },
    { name: 'flags', label: '', type: 'checks', span: 2, options: [['own_facility', fl('own_facility', 'waste_site')], ['licensed', fl('licensed', 'waste_site')]] },
  ], {}, async (v) => {
    await post('/api/v1/waste/sites', { name: v.name, address: v.address || '', declared_t: Number(v.declared_t || 0), capacity_t: Number(v.capacity_t || 0),
      own_facility: (v.flags || []).includes('own_facility'), licensed: (v.flags || []).includes('licensed') });
    toast(t('hw_site_created'));
    render(ctx);
  });
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('hw_own_nav'));
  let sites, warnings;
  try {
    [sites, warnings] = await Promise.all([get('/api/v1/waste/sites'), get('/api/v1/waste/warnings')]);
  } catch (e) { main.replaceChildren(pageHead(t('hw_own_nav')), errorBanner(e)); return; }
  main.replaceChildren(
    pageHead(t('hw_own_nav'), btn(t('hw_new_site'), () => siteDialog(ctx), { testid: 'hw-new-site' }),
      sites.items.length ? btn(t('hw_new_manifest'), () => manifestDialog(ctx, sites.items), { primary: true, testid: 'hw-new-manifest' }) : null),
    sectionHead(t('hw_warnings')), warningsTable(ctx, warnings.items),
    sectionHead(t('hw_sites')), sitesTable(ctx, sites.items, 'hw-my-sites').el,
    sectionHead(t('hw_manifests')), manifestsTable(ctx, { testid: 'hw-my-manifests' }).el,
    sectionHead(t('hw_papers'), sites.items.length ? btn(t('hw_new_paper'), () => paperDialog(ctx, sites.items), { testid: 'hw-new-paper' }) : null),
    h('p', { class: 'muted small' }, t('hw_paper_hint')),
    papersTable({ testid: 'hw-my-papers' }).el);
}
