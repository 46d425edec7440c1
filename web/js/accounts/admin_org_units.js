// Org units and their areas (单位与辖区, admin only): the bureau, sub-bureaus, brigades,
// sections and centres, each with the region codes it covers — staff see the records of those
// regions. Create and edit; `regions` replaces the unit's area.
import { get, post, patch, qs } from '../api.js';
import { t, fl, label, enumOptions } from '../i18n.js';
import { clearCodes, regionTree, allRegions } from '../codes.js';
import { h, dataTable, selectEl, searchBox, badge, pageHead, btn, form, modal, toast, fmtTime } from '../ui.js';

// Region checklist grouped province → city → counties. Ticking a city covers its counties, so
// they are shown ticked and locked.
function regionPicker(regions, selected, home) {
  const chosen = new Set(selected || []);
  const filter = h('input', { type: 'search', placeholder: t('regions_filter'), class: 'rp-filter' });
  const count = h('span', { class: 'muted' });
  const body = h('div', { class: 'rp-body', 'data-testid': 'region-picker' });
  const boxes = new Map();
  const byParent = new Map();
  for (const r of regions) {
    if (!byParent.has(r.parent_code)) byParent.set(r.parent_code, []);
    byParent.get(r.parent_code).push(r);
  }
  const check = (r, cls) => {
    const cb = h('input', { type: 'checkbox', value: r.code, checked: chosen.has(r.code), 'data-testid': `region-${r.code}` });
    cb.addEventListener('change', () => { if (cb.checked) chosen.add(r.code); else chosen.delete(r.code); sync(); });
    boxes.set(r.code, cb);
    return h('label', { class: `rp-item ${cls || ''}`, dataset: { text: `${r.code} ${r.name}` } }, cb, r.name, h('span', { class: 'code' }, r.code));
  };
  for (const p of regions.filter((r) => r.level === 1)) {
    body.append(h('div', { class: 'rp-province' }, check(p, 'strong')));
    for (const c of byParent.get(p.code) || []) {
      body.append(h('div', { class: 'rp-city' }, h('div', { class: 'rp-city-head' }, check(c, 'strong')),
        h('div', { class: 'rp-counties' }, (byParent.get(c.code) || []).map((x) => check(x)))));
    }
  }
  function sync() {
    const regionsByCode = new Map(regions.map((r) => [r.code, r]));
    for (const [code, cb] of boxes) {
      const r = regionsByCode.get(code);
      const covered = [r.parent_code, regionsByCode.get(r.parent_code)?.parent_code].some((p) => p && chosen.has(p));
      cb.disabled = covered;
      cb.checked = covered || chosen.has(code);
      cb.closest('label').classList.toggle('covered', covered);
    }
    count.textContent = t('n_regions', { n: chosen.size });
  }
  filter.addEventListener('input', () => {
    const q = filter.value.trim();
    for (const lab of body.querySelectorAll('.rp-item')) lab.classList.toggle('dim', !!q && !lab.dataset.text.includes(q));
  });
  sync();
  // Open at the first region ticked, or at the given home area.
  setTimeout(() => {
    const target = body.querySelector('input:checked') || (home && boxes.get(home));
    const row = target?.closest('.rp-city') || target?.closest('.rp-province');
    if (row) body.scrollTop = row.offsetTop - body.offsetTop;
  }, 0);
  const el = h('div', { class: 'rp' }, h('div', { class: 'rp-bar' }, filter, count), body);
  return {
    el,
    get: () => [...chosen].sort(),
    set: (v) => { chosen.clear(); (v || []).forEach((c) => chosen.add(c)); sync(); },
    focus: () => filter.focus(),
  };
}

function orgDialog(current, orgs, regions, done) {
  let m;
  const root = orgs.find((o) => !o.parent_id);
  const picker = regionPicker(regions, current?.regions, root?.regions?.[0]);
  const f = form({
    cols: 3,
    testid: 'org-form',
    values: current ? { ...current, parent_id: current.parent_id ?? '' } : { kind: 'sub_bureau', parent_id: orgs.find((o) => !o.parent_id)?.id ?? '', regions: [] },
    fields: [
      { name: 'name', label: fl('name'), required: true, maxlength: 100, testid: 'org-name' },
      { name: 'kind', label: fl('kind'), type: 'select', required: true, noPlaceholder: true, options: enumOptions('org_kind'), testid: 'org-kind' },
      { name: 'parent_id', label: fl('parent_id'), type: 'select', options: orgs.filter((o) => o.id !== current?.id).map((o) => [o.id, o.name]), testid: 'org-parent' },
      // The documents module's number prefix (发文机关代字: 湖环, 湖环长).
      { name: 'doc_prefix', label: t('doc_prefix'), maxlength: 20, hint: t('doc_prefix_hint'), testid: 'org-doc-prefix' },
      { name: 'regions', label: fl('regions'), type: 'custom', component: picker, span: 3, hint: t('regions_hint') },
    ],
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const norm = (x) => (x === '' || x === null ? null : Number(x));
      if (current) {
        const body = f.changed();
        if ('parent_id' in body) body.parent_id = norm(body.parent_id);
        if (Object.keys(body).length) await patch(`/api/v1/org-units/${current.id}`, body);
        toast(t('saved'));
      } else {
        await post('/api/v1/org-units', { ...v, parent_id: norm(v.parent_id) });
        toast(t('created_ok'));
      }
      clearCodes();
      m.close();
      done();
    },
  });
  m = modal({ title: current ? `${t('edit_org')} · ${current.name}` : t('new_org'), body: f.el, wide: true, dismissable: false, testid: 'org-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('org_units'));
  const [regions, { byCode }] = await Promise.all([regionTree(), allRegions()]);
  if (!ctx.isCurrent()) return;
  let orgs = [];
  const q = searchBox({ placeholder: fl('name'), value: query.get('q') || '', width: '200px', onSearch: () => changed() });
  const kind = selectEl({ name: 'kind', testid: 'filter-kind', options: enumOptions('org_kind'), value: query.get('kind') || '',
    placeholder: t('filter_all', { f: fl('kind') }), onChange: () => changed() });
  const params = () => ({ q: q.value.trim(), kind: kind.value });
  function changed() { ctx.setQuery(params()); table.reload(); }
  const loadAll = async () => { orgs = (await get(`/api/v1/org-units${qs({ limit: 500, sort: 'name' })}`)).items || []; };
  await loadAll();
  const regionText = (codes) => (codes || []).map((c) => byCode.get(c)?.name || c).join('、');
  const table = dataTable({
    testid: 'org-table',
    sort: 'name',
    columns: [
      { key: 'name', label: fl('name'), sort: 'name' },
      { key: 'kind', label: fl('kind'), cls: 'nowrap', render: (r) => label('org_kind', r.kind) },
      { key: 'parent', label: fl('parent_id'), render: (r) => orgs.find((o) => o.id === r.parent_id)?.name || '' },
      { key: 'regions', label: fl('regions'), render: (r) => (r.regions?.length ? h('span', { title: (r.regions || []).join(', ') }, regionText(r.regions)) : h('span', { class: 'muted' }, '—')) },
      { key: 'status', label: fl('status'), cls: 'nowrap', render: (r) => badge('status', r.status) },
      { key: 'updated_at', label: fl('updated_at'), cls: 'nowrap muted', render: (r) => fmtTime(r.updated_at) },
      { key: 'act', label: t('actions'), cls: 'actions nowrap', render: (r) => btn(t('edit'), () => orgDialog(r, orgs, regions, async () => { await loadAll(); table.refresh(); }), { small: true, testid: `edit-org-${r.id}` }) },
    ],
    fetch: (p) => get(`/api/v1/org-units${qs(p)}`),
    params,
    toolbar: [q, kind],
  });
  main.replaceChildren(pageHead(t('org_units'), btn(`+ ${t('new_org')}`, () => orgDialog(null, orgs, regions, async () => { await loadAll(); table.reload(); }), { primary: true, testid: 'new-org' })), table.el);
}
