// What the staff's firm page and the enterprise's own page share: a table over rows already
// loaded (sorted, filtered and paged in the page), the 一企一策 sheet with its line form (the
// API replaces the whole sheet, so a line's save or removal sends every line with that one
// changed; an error on lines[i].x shows under the form's field x) and the grade's evidence
// files (attachments of entity emergency_grade).
import { get, put, upload, getAll } from '../api.js';
import { t, label, enumOptions } from '../i18n.js';
import { h, dataTable, searchBox, sectionHead, modal, form, toast, btn, busy, confirmDialog, fmtSize, fmtTime, zhCompare } from '../ui.js';

export const P = ['so2', 'nox', 'pm', 'vocs'];
export const PN = { so2: 'SO₂', nox: 'NOx', pm: 'PM', vocs: 'VOCs' };
export const LEVELS = ['blue', 'yellow', 'orange', 'red'];

function cmp(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return zhCompare(String(a ?? ''), String(b ?? ''));
}

// A dataTable over rows in memory: columns sort by their key (value(row) when given), text(row)
// is what the search box filters on, pages by offset.
export function localTable({ rows, columns, text, testid, placeholder, ...opts }) {
  let q = '';
  const search = text ? searchBox({ placeholder: placeholder || t('em_filter'), testid: `${testid}-search`, onSearch: (v) => { q = v.toLowerCase(); table.reload(); } }) : null;
  const table = dataTable({
    ...opts, testid, toolbar: search,
    columns: columns.map((c) => (c.sort === false ? { ...c, sort: undefined } : { ...c, sort: c.key })),
    fetch: async (p) => {
      let list = q ? rows.filter((r) => text(r).toLowerCase().includes(q)) : rows;
      if (p.sort) {
        const k = p.sort.replace(/^-/, ''), dir = p.sort.startsWith('-') ? -1 : 1;
        const col = columns.find((c) => c.key === k);
        const val = col?.value || ((r) => r[k]);
        list = [...list].sort((a, b) => dir * cmp(val(a), val(b)));
      }
      const off = Number(p.cursor || 0);
      return { items: list.slice(off, off + p.limit), total: list.length, next_cursor: off + p.limit < list.length ? String(off + p.limit) : null };
    },
  });
  return table;
}

// The body the API takes for one line as the sheet returns it.
function lineBody(l) {
  const plan = typeof l.plan_json === 'string' ? JSON.parse(l.plan_json || '{}') : (l.plan || {});
  return {
    name: l.name, process: l.process || '', point_id: l.point_id || null, normal_flow: l.normal_flow || 0,
    baseline: { so2: l.base_so2 ?? l.baseline?.so2 ?? 0, nox: l.base_nox ?? l.baseline?.nox ?? 0, pm: l.base_pm ?? l.baseline?.pm ?? 0, vocs: l.base_vocs ?? l.baseline?.vocs ?? 0 },
    plan: Object.fromEntries(LEVELS.map((k) => [k, { action: 'none', so2: 0, nox: 0, pm: 0, vocs: 0, ...(plan[k] || {}) }])),
  };
}
export const linesOf = (sheet) => (sheet.lines || []).map(lineBody);

// The form's flat values of a line body, and back.
function flat(b) {
  const v = { name: b.name, process: b.process, point_id: b.point_id ? String(b.point_id) : '', normal_flow: b.normal_flow };
  for (const p of P) v[`baseline.${p}`] = b.baseline[p];
  for (const k of LEVELS) {
    v[`plan.${k}.action`] = b.plan[k].action;
    for (const p of P) v[`plan.${k}.${p}`] = b.plan[k][p];
  }
  return v;
}
function unflat(v) {
  const num = (x) => (x === null || x === '' ? 0 : Number(x));
  return {
    name: v.name, process: v.process, point_id: v.point_id ? Number(v.point_id) : null, normal_flow: num(v.normal_flow),
    baseline: Object.fromEntries(P.map((p) => [p, num(v[`baseline.${p}`])])),
    plan: Object.fromEntries(LEVELS.map((k) => [k, { action: v[`plan.${k}.action`] || 'none', ...Object.fromEntries(P.map((p) => [p, num(v[`plan.${k}.${p}`])])) }])),
  };
}

// Send the sheet with lines; an error naming lines[i].x is re-pointed at the form's field x.
async function saveLines(entId, lines, index) {
  try {
    return await put(`/api/v1/emergency/control-plans/${entId}`, { lines });
  } catch (e) {
    const m = /^lines\[(\d+)\]\.?(.*)$/.exec(e.field || '');
    if (m && Number(m[1]) === index) e.field = m[2] || 'name';
    throw e;
  }
}

// The dialog of one line (index: its place in lines; lines.length for a new one).
export function lineDialog(entId, lines, index, points, done) {
  const b = index < lines.length ? lines[index] : lineBody({ name: '' });
  const numF = (name, lab, testid) => ({ name, label: lab, type: 'number', min: 0, testid });
  const fields = [
    { name: 'name', label: t('em_line'), required: true, maxlength: 200, testid: 'em-line-name' },
    { name: 'process', label: t('em_process'), maxlength: 200, testid: 'em-line-process' },
    { name: 'point_id', label: t('em_point'), type: 'select', options: points.map((p) => [String(p.id), `${p.name || ''} ${p.mn || ''}`.trim()]), placeholder: t('em_no_point'), testid: 'em-line-point' },
    numF('normal_flow', t('em_normal_flow'), 'em-line-flow'),
    { type: 'section', label: t('em_baseline_kg') },
    ...P.map((p) => numF(`baseline.${p}`, PN[p], `em-line-base-${p}`)),
    ...LEVELS.flatMap((k) => [
      { type: 'section', label: `${label('emergency_level', k)} · ${t('em_level_plan')}` },
      { name: `plan.${k}.action`, label: t('em_sheet_action'), type: 'select', options: enumOptions('emergency_action'), noPlaceholder: true, required: true, span: 2, testid: `em-line-${k}-action` },
      ...P.map((p) => numF(`plan.${k}.${p}`, `${PN[p]} ${t('em_reduction')}`, `em-line-${k}-${p}`)),
    ]),
  ];
  let m;
  const f = form({
    cols: 2, idPrefix: 'em-line-', fields, values: flat(b), testid: 'em-line-form', submitTestid: 'em-line-save',
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const next = [...lines];
      next[index] = unflat(v);
      const sheet = await saveLines(entId, next, index);
      toast(t('em_saved'));
      m.close();
      done(sheet);
    },
  });
  m = modal({ title: index < lines.length ? `${t('em_line_edit')} · ${b.name}` : t('em_line_add'), body: f.el, dismissable: false, wide: true, testid: 'em-line-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
  return m;
}

// The sheet's section: its state, the lines with per level the action, and (canEdit) adding,
// editing and removing lines. reload() after a change.
export async function sheetSection(entId, sheet, { canEdit, reload, head = [] }) {
  const points = canEdit ? await getAll(`/api/v1/enterprises/${entId}/points`).catch(() => []) : [];
  const lines = linesOf(sheet);
  const rows = (sheet.lines || []).map((l, i) => ({ ...lineBody(l), id: l.id, i }));
  const edit = (i) => lineDialog(entId, lines, i, points, reload);
  const columns = [
    { key: 'name', label: t('em_line'), primary: true },
    { key: 'process', label: t('em_process') },
    { key: 'base', label: `${t('em_baseline')} (kg/d)`, value: (r) => P.reduce((s, p) => s + r.baseline[p], 0), render: (r) => P.filter((p) => r.baseline[p]).map((p) => `${PN[p]} ${r.baseline[p]}`).join(' · ') },
    ...LEVELS.map((k) => ({ key: k, label: label('emergency_level', k), value: (r) => r.plan[k].action,
      render: (r) => {
        const cut = P.filter((p) => r.plan[k][p]);
        return h('span', { 'data-testid': `em-line-${r.i}-${k}`, title: cut.map((p) => `${PN[p]} −${r.plan[k][p]}`).join(' · ') || undefined },
          label('emergency_action', r.plan[k].action),
          cut.length ? h('span', { class: 'muted small' }, ` −${+cut.reduce((s, p) => s + r.plan[k][p], 0).toFixed(1)} kg/d`) : '');
      } })),
    canEdit ? { key: 'ops', label: '', sort: false, render: (r) => h('span', {},
      btn(t('em_edit'), () => edit(r.i), { small: true, testid: `em-line-edit-${r.i}` }), ' ',
      btn(t('em_remove'), (e) => busy(e.currentTarget, async () => {
        if (!(await confirmDialog(t('em_remove_q', { n: r.name }), { danger: true, okLabel: t('em_remove') }))) return;
        await put(`/api/v1/emergency/control-plans/${entId}`, { lines: lines.filter((_, j) => j !== r.i) });
        toast(t('em_saved'));
        reload();
      }), { small: true, danger: true, testid: `em-line-remove-${r.i}` })) } : null,
  ].filter(Boolean);
  const table = localTable({ rows, columns, testid: 'em-sheet', empty: t('em_no_sheet'), text: (r) => `${r.name} ${r.process}` });
  const add = canEdit && lines.length < 50 ? btn(t('em_line_add'), () => edit(lines.length), { testid: 'em-line-add' }) : null;
  return h('section', { class: 'panel', 'data-testid': 'em-sheet-section' },
    sectionHead(`${t('em_sheet')} · ${label('emergency_sheet_state', sheet.sheet_state)}`, ...head, add),
    sheet.confirmed_at ? h('p', { class: 'muted small' }, t('em_confirmed_at', { at: fmtTime(sheet.confirmed_at) })) : null,
    table.el);
}

// The grade's evidence files: the list and (canUpload) an upload button. Nothing while the firm
// has no grade (the attachments belong to the grade row).
export async function evidenceSection(entId, { canUpload, reload }) {
  let files;
  try { files = (await get(`/api/v1/attachments?entity=emergency_grade&entity_id=${entId}`)).items || []; } catch { files = null; }
  if (files === null) return h('p', { class: 'muted' }, t('em_evidence_none_grade'));
  const input = h('input', { type: 'file', accept: 'application/pdf,image/png,image/jpeg', 'data-testid': 'em-evidence-file', style: { display: 'none' } });
  input.addEventListener('change', async () => {
    if (!input.files[0]) return;
    const fd = new FormData();
    fd.append('file', input.files[0]);
    try { await upload(`/api/v1/attachments?entity=emergency_grade&entity_id=${entId}`, fd); toast(t('em_uploaded')); reload(); } catch (e) { toast(e, 'error'); }
  });
  const pick = canUpload ? [input, btn(t('em_upload'), () => input.click(), { small: true, testid: 'em-evidence-upload' })] : [];
  return h('section', { class: 'panel' }, sectionHead(t('em_evidence_files'), ...pick),
    files.length ? h('ul', { 'data-testid': 'em-evidence' }, files.map((a) => h('li', {},
      h('a', { href: `/api/v1/attachments/${a.id}/content`, target: '_blank', rel: 'noopener' }, a.name), ` (${fmtSize(a.size)})`)))
      : h('p', { class: 'muted', 'data-testid': 'em-evidence-empty' }, t('em_no_evidence')));
}
