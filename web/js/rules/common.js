// Shared by the rule-set pages: the kinds with their schemas (cached per page load), names of
// kinds, jurisdictions and fields in the interface language, and leaf paths of a body.
import { get } from '../api.js';
import { t, getLang } from '../i18n.js';
import { h } from '../ui.js';

let kindsP = null;
export function kinds() {
  kindsP = kindsP || get('/api/v1/rules/kinds').then((r) => r.items || []).catch((e) => { kindsP = null; throw e; });
  return kindsP;
}

export function kindTitle(list, kind) {
  const k = list.find((x) => x.kind === kind);
  const s = k && k.schema;
  const title = s && (getLang() === 'en' ? s.title_en || s.title : s.title);
  return title ? `${title}（${kind}）` : kind;
}

export function regionText(v) {
  return v.region_prefix ? `${v.region_name || ''}（${v.region_prefix}）` : t('rule_all_regions');
}

export function usedBadge(v) {
  return v.used_at
    ? h('span', { class: 'badge amber', 'data-testid': 'rule-used' }, t('rule_used_yes'))
    : h('span', { class: 'badge plain', 'data-testid': 'rule-used' }, t('rule_used_no'));
}

// The schema node at a leaf path ("$.handling[0].respond_hours"), for its title.
export function schemaAt(schema, path) {
  let s = schema;
  for (const part of path.replace(/^\$\.?/, '').split(/\.|(?=\[)/).filter(Boolean)) {
    if (!s) return null;
    s = part.startsWith('[') ? s.items : (s.properties || {})[part];
  }
  return s;
}

export function fieldTitle(schema, path) {
  const s = schemaAt(schema, path);
  return s ? (getLang() === 'en' ? s.title_en || s.title : s.title) || '' : '';
}

// Leaf values of a JSON value by path: {"$.a": 1, "$.b[0].c": "x"}; empty arrays and objects
// are leaves of their own.
export function leaves(v, path = '$', out = {}) {
  if (Array.isArray(v) && v.length) v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object' && Object.keys(v).length) {
    for (const k of Object.keys(v)) leaves(v[k], /^\w+$/.test(k) ? `${path}.${k}` : `${path}["${k}"]`, out);
  } else out[path] = v;
  return out;
}

export const pretty = (body) => h('pre', { class: 'json-block', 'data-testid': 'rule-json' }, JSON.stringify(body, null, 2));
