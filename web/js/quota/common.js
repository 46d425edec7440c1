// Shared bits of the quota pages: pollutant names, t/a from kg, a client-side dataTable source
// with a text filter, the enterprise search field and the state badges.
import { get, qs } from '../api.js';
import { t, label } from '../i18n.js';
import { h, searchSelect } from '../ui.js';

export const P = ['cod', 'nh3n', 'so2', 'nox', 'vocs'];
export const PN = { cod: 'COD', nh3n: 'NH₃-N', so2: 'SO₂', nox: 'NOx', vocs: 'VOCs' };
export const pollutantOptions = () => P.map((p) => [p, `${label('quota_pollutant', p)} ${PN[p]}`]);
export const tons = (kg) => (kg === null || kg === undefined ? '—' : (Number(kg) / 1000).toLocaleString(undefined, { maximumFractionDigits: 3 }));
export const yuan = (v) => (v === null || v === undefined ? '—' : Number(v).toLocaleString(undefined, { maximumFractionDigits: 2 }));

const TONE = { applied: 'blue', checked: 'blue', refused: 'red', approved: 'amber', declined: 'grey', registered: 'green', released: 'grey',
  waiting: 'amber', served: 'green', ok: 'green', warning: 'amber', over: 'red', no_rights: 'red' };
export const badge = (set, v, testid) => h('span', { class: `badge ${TONE[v] || ''}`, 'data-testid': testid, dataset: { state: v } }, label(set, v));

// dataTable's fetch over a fully loaded list: filter(row) keeps rows, sort by params.sort, page
// by an offset carried as the cursor.
export function localSource(getRows, filter = () => true) {
  return async (params) => {
    const rows = (await getRows()).filter(filter);
    const s = params.sort || '';
    if (s) {
      const key = s.replace(/^-/, ''), dir = s.startsWith('-') ? -1 : 1;
      rows.sort((a, b) => {
        const x = a[key] ?? '', y = b[key] ?? '';
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh')) * dir;
      });
    }
    const off = Number(params.cursor || 0), lim = params.limit || 20;
    return { items: rows.slice(off, off + lim), total: rows.length, next_cursor: off + lim < rows.length ? String(off + lim) : null };
  };
}

async function searchEnterprises(q) {
  const r = await get(`/api/v1/enterprises${qs({ q, limit: 10 })}`);
  return (r.items || []).map((e) => ({ value: e.id, label: e.name, hint: e.uscc }));
}

// A form field (type custom) that picks an enterprise by name.
export function enterpriseField(name, testid) {
  return searchSelect({ name, id: `f-${name}`, testid, labelMode: true, placeholder: t('qt_search'), search: searchEnterprises });
}

export const yesNo = () => [['false', t('qt_no')], ['true', t('qt_yes')]];
