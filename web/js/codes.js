// Code tables the forms and filters need — regions (GB/T 2260), industries (GB/T 4754),
// pollutants (HJ 212 factors), org units — fetched once per login and kept in memory.
import { get, qs, getAll } from './api.js';
import { session } from './session.js';
import { t } from './i18n.js';

let cache = {};
export function clearCodes() { cache = {}; }

function once(key, fn) {
  if (!cache[key]) cache[key] = fn().catch((e) => { delete cache[key]; throw e; });
  return cache[key];
}

export function allRegions() {
  return once('regions', async () => {
    const items = (await get('/api/v1/regions')).items || [];
    return { items, byCode: new Map(items.map((r) => [r.code, r])) };
  });
}

export function orgUnits() {
  return once('orgs', () => getAll('/api/v1/org-units', { sort: 'name' }));
}

// "330500" → "3305", "330000" → "33": the prefix a region code stands for.
export function regionPrefix(code) {
  let c = String(code || '');
  while (c.length > 2 && c.endsWith('00')) c = c.slice(0, -2);
  return c;
}

// The region prefixes the user works in: their own scope, or for an admin (who sees
// everything) the area of the bureau's top-level org units; [] means "all".
async function scopePrefixes() {
  const u = session.user;
  if (u?.region_prefixes?.length) return u.region_prefixes;
  if (u?.role !== 'admin') return [];
  try {
    const roots = (await orgUnits()).filter((o) => !o.parent_id && o.status !== 'inactive');
    return [...new Set(roots.flatMap((o) => o.regions || []).map(regionPrefix))];
  } catch { return []; }
}

// Options for a region <select>: counties grouped under their city, within the user's area
// (all: every region, for records that are not scoped such as agencies). forFilter offers the
// city itself as "湖州市（全部）" (list filters match by prefix); forms list it as a choice too.
export async function regionOptions({ forFilter = false, all = false } = {}) {
  const { items, byCode } = await allRegions();
  const prefixes = all ? [] : await scopePrefixes();
  const inScope = (c) => !prefixes.length || prefixes.some((p) => c.startsWith(p));
  const rows = items.filter((r) => r.level >= 2 && inScope(r.code))
    .sort((a, b) => a.code.localeCompare(b.code));
  const out = [];
  for (const r of rows) {
    const city = r.level === 2 ? r : byCode.get(r.parent_code);
    const group = city ? city.name : undefined;
    if (r.level === 2) {
      out.push({ value: forFilter ? regionPrefix(r.code) : r.code, label: forFilter ? t('region_all', { name: r.name }) : `${r.name}（${r.code}）`, group });
    } else {
      out.push({ value: r.code, label: `${r.name}（${r.code}）`, group });
    }
  }
  return out;
}

export async function regionName(code) {
  const { byCode } = await allRegions();
  return byCode.get(code)?.name || '';
}

// Every region, grouped for the org-unit editor.
export async function regionTree() {
  const { items } = await allRegions();
  return items.slice().sort((a, b) => a.code.localeCompare(b.code));
}

export async function searchIndustries(q) {
  const items = (await get(`/api/v1/industries${qs({ q })}`)).items || [];
  return items.filter((i) => /^\d/.test(i.code)).map((i) => ({ value: i.code, label: i.name, hint: t(`ind_level_${i.level}`) }));
}

export async function industryName(code) {
  if (!code) return '';
  const items = (await get(`/api/v1/industries${qs({ q: code })}`)).items || [];
  return items.find((i) => i.code === code)?.name || '';
}

export function pollutants(medium) {
  return once(`pollutants-${medium || ''}`, async () => (await get(`/api/v1/pollutants${qs({ medium })}`)).items || []);
}

export async function searchPollutants(q, medium) {
  const items = (await get(`/api/v1/pollutants${qs({ q, medium })}`)).items || [];
  return items.map((p) => ({ value: p.code, label: p.name, hint: p.unit || '', unit: p.unit }));
}
