// 三线一单版本 (admin imports; staff read): the editions with the one in force, the import form
// (a GeoJSON file or a zipped Shapefile, the edition's code and name, whether to put it in
// force) with the upload's progress and its result or the error naming the feature, and
// putting an earlier edition back in force.
import { get, post, upload, qs } from '../api.js';
import { t } from '../i18n.js';
import { h, pageHead, simpleTable, btn, busy, form, modal, progressBar, errorBanner, okBanner, toast, fmtTime, confirmDialog } from '../ui.js';
import { can } from '../session.js';

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('zn_editions_title'));
  const box = h('div', {});
  const result = h('div', { 'data-testid': 'zoning-import-result' });
  async function load() {
    const items = (await get('/api/v1/zoning/editions')).items;
    box.replaceChildren(simpleTable({
      testid: 'zoning-editions', rows: items, empty: t('zn_no_edition'),
      columns: [
        { key: 'code', label: t('zn_edition_code'), render: (e) => h('a', { href: `#/zoning/units?edition_id=${e.id}` }, e.code) },
        { key: 'name', label: t('zn_edition_name'), primary: true },
        { key: 'in_force', label: '', render: (e) => h('span', { class: `badge ${e.in_force ? 'green' : 'grey'}`, 'data-testid': `zoning-edition-state-${e.code}` }, e.in_force ? t('zn_in_force') : t('zn_old')) },
        { key: 'n_units', label: t('zn_units_n'), cls: 'num' },
        { key: 'n_items', label: t('zn_items_n'), cls: 'num' },
        { key: 'source', label: t('zn_source') },
        { key: 'generation', label: t('zn_generation'), cls: 'num' },
        { key: 'imported_at', label: t('zn_imported_at'), render: (e) => fmtTime(e.imported_at) },
        { key: 'imported_by_name', label: t('zn_imported_by'), render: (e) => e.imported_by_name || '—' },
        { key: 'act', label: '', render: (e) => (!e.in_force && can('zoning.import')
          ? btn(t('zn_enact'), async (ev) => {
            if (!(await confirmDialog(`${t('zn_enact')}：${e.code}？`))) return;
            await busy(ev.target, () => post(`/api/v1/zoning/editions/${encodeURIComponent(e.code)}/enact`));
            toast(t('zn_enacted', { e: e.code }));
            load();
          }, { small: true, testid: `zoning-enact-${e.code}` }) : '') },
      ],
    }));
  }
  function openImport() {
    let m;
    const bar = progressBar();
    bar.el.hidden = true;
    const file = h('input', { type: 'file', name: 'file', accept: '.geojson,.json,.zip', 'data-testid': 'zoning-import-file' });
    const f = form({
      cols: 1, testid: 'zoning-import-form', submitLabel: t('zn_import'), submitTestid: 'zoning-import-submit',
      fields: [
        { name: 'file', label: t('zn_file'), type: 'custom', required: true, component: { el: file, get: () => file.files[0], set: () => {}, focus: () => file.focus() } },
        { name: 'edition', label: t('zn_edition_code'), maxlength: 31, testid: 'zoning-import-edition', hint: 'GeoJSON: edition.code' },
        { name: 'name', label: t('zn_edition_name'), maxlength: 120, testid: 'zoning-import-name' },
        { name: 'enact', label: t('zn_enact_now'), type: 'checks', options: [['1', t('zn_enact_now')]] },
      ],
      values: { enact: ['1'] },
      onCancel: () => m.close(),
      onSubmit: async (v) => {
        const fd = new FormData();
        fd.append('file', v.file);
        bar.el.hidden = false;
        bar.set(0);
        try {
          const r = await upload(`/api/v1/zoning/editions/import${qs({ edition: v.edition || undefined, name: v.name || undefined, enact: (v.enact || []).includes('1') ? '1' : '0' })}`, fd,
            (x) => bar.set(x, x >= 1 ? t('processing') : undefined));
          m.close();
          result.replaceChildren(okBanner(t('zn_imported', { u: r.units, i: r.items, s: `${r.edition} · ${r.source}` }), 'zoning-import-ok'));
          load();
        } catch (err) {
          bar.el.hidden = true;
          throw err;
        }
      },
    });
    m = modal({ title: t('zn_import_title'), body: h('div', {}, h('p', { class: 'muted' }, t('zn_import_hint')), f.el, bar.el), wide: true, testid: 'zoning-import-dialog' });
  }
  main.replaceChildren(
    pageHead(t('zn_editions_title'), can('zoning.import') ? btn(t('zn_import'), openImport, { primary: true, testid: 'zoning-import' }) : null),
    result, box);
  try { await load(); } catch (err) { box.replaceChildren(errorBanner(err)); }
}
