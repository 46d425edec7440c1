// Create or edit an enterprise: every writable field of the Enterprise shape, a region select
// limited to the user's area, an industry search-select over GB/T 4754, category, tags and
// coordinates. Every problem is shown at once under its field (a wrong USCC check character
// under 统一社会信用代码, checked here and again by the server). Edits send only the fields
// that changed (PATCH); leaving with unsaved edits asks first.
import { get, post, patch } from '../api.js';
import { t, fl, enumOptions } from '../i18n.js';
import { regionOptions, searchIndustries, industryName } from '../codes.js';
import { h, form, searchSelect, pageHead, toast } from '../ui.js';
import { usccProblem } from '../uscc.js';

export async function render(ctx) {
  const { main, params } = ctx;
  const id = params.id || null;
  const [regions, current] = await Promise.all([regionOptions(), id ? get(`/api/v1/enterprises/${encodeURIComponent(id)}`) : null]);
  if (!ctx.isCurrent()) return;
  const title = id ? `${t('edit_enterprise')} · ${current.name}` : t('new_enterprise');
  ctx.setTitle(title);
  if (current && !regions.some((r) => r.value === current.region_code)) {
    regions.unshift({ value: current.region_code, label: `${current.region_name || ''}（${current.region_code}）` });
  }

  const industry = searchSelect({ name: 'industry_code', id: 'f-industry_code', testid: 'industry-code', maxlength: 4,
    placeholder: t('industry_search'), search: searchIndustries, describe: industryName });

  const values = current || { category: 'general', tags: [], region_code: regions.length === 1 ? regions[0].value : '' };
  const f = form({
    cols: 3,
    testid: 'enterprise-form',
    values,
    fields: [
      { type: 'section', label: t('tab_basic') },
      { name: 'name', label: fl('name'), required: true, span: 2, maxlength: 200, testid: 'name' },
      { name: 'uscc', label: fl('uscc'), required: true, maxlength: 18, hint: t('uscc_hint'), testid: 'uscc', placeholder: '91330522MA2XXXXXXX',
        validate: (v) => usccProblem(v.toUpperCase()) },
      { name: 'region_code', label: fl('region_name'), type: 'select', required: true, options: regions, testid: 'region', hint: t('region_hint') },
      { name: 'industry_code', label: fl('industry_name'), type: 'custom', component: industry, required: true },
      { name: 'category', label: fl('category'), type: 'select', required: true, noPlaceholder: true, options: enumOptions('category'), testid: 'category' },
      { name: 'tags', label: fl('tags'), type: 'checks', span: 3, options: enumOptions('tags'), testid: 'tags' },
      { type: 'section', label: t('location_section') },
      { name: 'address', label: fl('address'), span: 3, maxlength: 300 },
      { name: 'lat', label: fl('lat'), type: 'number', hint: t('lat_hint'), min: -90, max: 90 },
      { name: 'lng', label: fl('lng'), type: 'number', hint: t('lng_hint'), min: -180, max: 180 },
      { type: 'section', label: t('contact_section') },
      { name: 'legal_rep', label: fl('legal_rep'), maxlength: 100 },
      { name: 'contact_name', label: fl('contact_name'), maxlength: 100 },
      { name: 'contact_phone', label: fl('contact_phone'), type: 'tel', maxlength: 40 },
    ],
    onCancel: () => ctx.navigate(id ? `/enterprises/${id}` : '/enterprises'),
    onSubmit: async () => {
      let saved;
      if (id) {
        const body = f.changed();
        if (!Object.keys(body).length) { ctx.navigate(`/enterprises/${id}`); return; }
        saved = await patch(`/api/v1/enterprises/${id}`, body);
        toast(t('saved'));
      } else {
        const v = f.values();
        const body = {};
        for (const [k, x] of Object.entries(v)) if (x !== '' && x !== null) body[k] = x;
        body.uscc = (body.uscc || '').toUpperCase();
        saved = await post('/api/v1/enterprises', body);
        toast(t('created_ok'));
      }
      ctx.navigate(`/enterprises/${saved.id}`);
    },
  });
  f.inputs.uscc.addEventListener('input', () => {
    const el = f.inputs.uscc, pos = el.selectionStart;
    el.value = el.value.toUpperCase().replace(/\s+/g, '');
    el.setSelectionRange(pos, pos);
  });
  ctx.guardLeave?.(f.dirty);
  main.replaceChildren(pageHead(title), h('div', { class: 'form-page' }, f.el));
  f.inputs.name.focus();
}
