// A new rule-set version (admins): kind, jurisdiction, effective date, source and the body as
// JSON, prefilled from the version it starts from (?from=ID) or from the one in force for the
// kind (?kind=K); the body may be typed or uploaded (a body, or an exported rule-set file).
// The server checks the body against the kind's schema; an error names the JSON path.
import { get, post, qs } from '../api.js';
import { t } from '../i18n.js';
import { h, pageHead, form, toast, todayISO } from '../ui.js';
import { kinds, kindTitle } from './common.js';

// What to start from: the version ?from names, else the kind's version in force everywhere.
async function startFrom(query, list) {
  const from = query.get('from');
  if (from) return get(`/api/v1/rules/${from}`);
  const kind = query.get('kind') || list[0]?.kind;
  return kind ? get(`/api/v1/rules/resolve${qs({ kind, region: '' })}`).catch(() => ({ kind, region_prefix: '', body: {} })) : {};
}

// An uploaded file: an exported rule-set file fills every field; anything else is the body.
function fromFile(f, text) {
  let j;
  try { j = JSON.parse(text); } catch { f.inputs.body.value = text; return; }
  const v = j && Array.isArray(j.versions) && j.versions[0];
  if (!v) { f.inputs.body.value = JSON.stringify(j, null, 2); return; }
  if (j.kind) f.inputs.kind.value = j.kind;
  f.inputs.region_prefix.value = v.region_prefix || '';
  if (v.effective_from) f.inputs.effective_from.value = v.effective_from;
  if (v.source) f.inputs.source.value = v.source;
  f.inputs.note.value = v.note || '';
  f.inputs.body.value = JSON.stringify(v.body ?? {}, null, 2);
}

export async function render(ctx) {
  const { main, query, navigate } = ctx;
  ctx.setTitle(t('rule_new'));
  const list = await kinds();
  const base = await startFrom(query, list);
  const file = h('input', { type: 'file', accept: '.json,application/json', 'data-testid': 'rule-file' });
  const f = form({
    cols: 2, testid: 'rule-form',
    values: { kind: base.kind || '', region_prefix: base.region_prefix || '', effective_from: todayISO(),
      source: base.source || '', note: '', body: JSON.stringify(base.body ?? {}, null, 2) },
    fields: [
      { name: 'kind', label: t('rule_kind'), type: 'select', required: true, noPlaceholder: true, testid: 'rule-kind',
        options: list.map((k) => [k.kind, kindTitle(list, k.kind)]) },
      { name: 'region_prefix', label: t('rule_region'), placeholder: t('rule_prefix_ph'), maxlength: 6, testid: 'rule-region',
        validate: (v) => (/^(\d\d){0,3}$/.test(v) ? null : `${t('rule_region')}${t('colon')}${t('rule_prefix_ph')}`) },
      { name: 'effective_from', label: t('rule_effective'), type: 'date', required: true, testid: 'rule-effective' },
      { name: 'note', label: t('rule_note'), maxlength: 1000, testid: 'rule-note' },
      { name: 'source', label: t('rule_source'), type: 'textarea', rows: 2, required: true, span: 2, maxlength: 500, testid: 'rule-source' },
      { name: 'body', label: t('rule_body'), type: 'textarea', rows: 18, required: true, span: 2, testid: 'rule-body' },
    ],
    submitLabel: t('rule_new'),
    submitTestid: 'rule-save',
    onCancel: () => history.back(),
    onSubmit: async (v) => {
      let body;
      try { body = JSON.parse(v.body); } catch (e) { f.setError('body', t('bad_json', { m: e.message })); return; }
      let created;
      try {
        created = await post('/api/v1/rules', { kind: v.kind, region_prefix: v.region_prefix.trim(), effective_from: v.effective_from,
          source: v.source, note: v.note, body });
      } catch (e) {
        // A body error names its JSON path ($.handling[2].respond_hours): it belongs to the JSON box.
        if (e.field && e.field.startsWith('$')) e.field = 'body';
        throw e;
      }
      f.markClean();
      toast(t('rule_created', { v: created.version }));
      navigate(`/admin/rules/${created.id}`);
    },
    extraActions: h('span', { class: 'file-pick' }, t('rule_upload'), ' ', file),
  });
  file.addEventListener('change', async () => {
    if (file.files[0]) fromFile(f, await file.files[0].text());
  });
  ctx.guardLeave?.(() => f.dirty());
  main.replaceChildren(pageHead(t('rule_new')), h('p', { class: 'muted small' }, t('rule_body_help'), ' ', t('rule_upload_help')), f.el);
}
