// Readable before/after of an audit row: "联系电话：13578071819 → 13500000000", with field
// names and enumerated values in the interface language. Used by the enterprise history and
// the audit log viewer.
import { t, fl, label } from './i18n.js';
import { h } from './ui.js';

// Keys that are bookkeeping or echo another key.
const SKIP = new Set(['id', 'created_at', 'updated_at', 'enterprise_id', 'enterprise_name', 'region_name', 'industry_name',
  'pollutant_name', 'outlet_code', 'org_unit_name', 'password_hash', 'password_changed_at', 'sha256']);

// Which enum a field's values belong to, by entity.
function enumKind(entity, key) {
  if (key === 'kind') return entity === 'agency' ? 'agency_kind' : entity === 'org_unit' ? 'org_kind' : 'outlet_kind';
  if (key === 'type') return 'outlet_type';
  if (key === 'class') return 'permit_class';
  return { category: 'category', tags: 'tags', status: 'status', basis: 'basis', role: 'role', protocol: 'protocol', st: 'st' }[key];
}

// One value as text; code fields carry their name from the same snapshot.
export function showValue(entity, key, value, snap) {
  if (value === null || value === undefined || value === '') return '∅';
  const kind = enumKind(entity, key);
  if (Array.isArray(value)) return value.length ? value.map((v) => (kind ? label(kind, v) : String(v))).join('、') : '∅';
  if (kind) return label(kind, value);
  if (typeof value === 'boolean') return value ? t('yes') : t('no');
  const names = { region_code: 'region_name', industry_code: 'industry_name', pollutant_code: 'pollutant_name',
    org_unit_id: 'org_unit_name', enterprise_id: 'enterprise_name', outlet_id: 'outlet_code' };
  if (names[key] && snap && snap[names[key]]) return `${snap[names[key]]}（${value}）`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// A user's enterprise matters; on registry records enterprise_id only repeats the page's own.
const skip = (entity, k) => SKIP.has(k) && !(entity === 'user' && k === 'enterprise_id');

function same(a, b) { return JSON.stringify(a ?? null) === JSON.stringify(b ?? null); }

// The changed keys of an update, or the content of a create, as a list of elements.
export function changeList(entity, before, after, max = 8) {
  const b = before && typeof before === 'object' ? before : null;
  const a = after && typeof after === 'object' ? after : null;
  if (!a && !b) return null;
  const items = [];
  if (a && b) {
    for (const k of Object.keys({ ...b, ...a })) {
      if (skip(entity, k) || same(b[k], a[k])) continue;
      items.push(h('li', {}, h('span', { class: 'dk' }, fl(k)), '：',
        h('del', {}, showValue(entity, k, b[k], b)), ' → ', h('ins', {}, showValue(entity, k, a[k], a))));
    }
    if (!items.length) return h('span', { class: 'muted' }, t('no_changes'));
  } else {
    const snap = a || b;
    for (const k of Object.keys(snap)) {
      if (skip(entity, k) || snap[k] === null || snap[k] === '' || (Array.isArray(snap[k]) && !snap[k].length)) continue;
      items.push(h('li', {}, h('span', { class: 'dk' }, fl(k)), '：', showValue(entity, k, snap[k], snap)));
    }
  }
  // A new record is summarised on one line; an update lists each change.
  const limit = a && b ? max : Math.min(max, 4);
  const shown = items.slice(0, limit);
  const rest = items.length - shown.length;
  const list = h('ul', { class: a && b ? 'diff' : 'diff inline' }, shown);
  if (rest > 0) {
    const more = h('li', { class: 'more' }, h('button', { type: 'button', class: 'linkish' }, t('more_fields', { n: rest })));
    more.querySelector('button').addEventListener('click', () => { more.replaceWith(...items.slice(limit)); });
    list.append(more);
  }
  return list;
}
