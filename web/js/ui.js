// Small DOM toolkit: h() builds elements (text is always set as text, never parsed as HTML),
// and the reusable pieces every page uses — data tables with server-side sort, filters and
// cursor paging; forms that show the server's 422 message beside the field it names; toasts,
// dialogs and a progress bar.
import { t, label } from './i18n.js';
import { ApiError } from './api.js';

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function toast(msg, error = false) {
  const el = h('div', { class: error ? 'toast error' : 'toast', role: 'status' }, msg);
  document.body.append(el);
  setTimeout(() => el.remove(), error ? 6000 : 2500);
}

export function modal(title, body, buttons = []) {
  const back = h('div', { class: 'modal-back' });
  const close = () => back.remove();
  const box = h('div', { class: 'modal', role: 'dialog', 'aria-label': title }, h('h2', {}, title), body,
    h('div', { class: 'actions' }, buttons.map((b) => h('button', {
      class: `btn ${b.primary ? 'primary' : ''}`, 'data-testid': b.testid,
      onclick: async () => { if ((await b.onclick?.()) !== false) close(); },
    }, b.label)), h('button', { class: 'btn', onclick: close }, t('close'))));
  back.append(box);
  back.addEventListener('click', (e) => { if (e.target === back) close(); });
  document.body.append(back);
  return close;
}

export function confirmDialog(message) {
  return new Promise((resolve) => {
    const close = modal(message, h('div'), [{ label: t('yes'), primary: true, testid: 'confirm-yes', onclick: () => resolve(true) }]);
    void close;
  });
}

export function progress() { return h('div', { class: 'progress' }, h('div')); }

export function tagList(kind, values) {
  return (values || []).map((v) => h('span', { class: `tag ${v === 'key_enterprise' ? 'key' : ''}` }, label(kind, v)));
}

export function badge(kind, value) {
  const cls = kind === 'category' ? value : kind === 'status' && value === 'inactive' ? 'inactive' : '';
  return h('span', { class: `tag ${cls}` }, label(kind, value));
}

export function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString('zh-CN', { hour12: false });
}

// A server-paged table. opts: columns [{key,label,sort,render}], fetch(params) → page,
// filters: [elements], params() → filter values, onRow(row), testid.
export function dataTable(opts) {
  const state = { sort: opts.sort || '', cursors: [''], page: 0, total: null };
  const tbody = h('tbody');
  const head = h('tr', {}, opts.columns.map((c) => {
    const th = h('th', { class: c.sort ? 'sortable' : '', dataset: { key: c.key } }, c.label);
    if (c.sort) th.addEventListener('click', () => {
      state.sort = state.sort === c.sort ? `-${c.sort}` : c.sort;
      reload();
    });
    return th;
  }));
  const info = h('span');
  const prev = h('button', { class: 'btn', onclick: () => { state.page--; load(); } }, t('prev'));
  const next = h('button', { class: 'btn', 'data-testid': 'next-page', onclick: () => { state.page++; load(); } }, t('next'));
  const table = h('table', { class: 'data', 'data-testid': opts.testid || 'table' }, h('thead', {}, head), tbody);
  const el = h('div', {}, opts.filters ? h('div', { class: 'toolbar' }, opts.filters) : null, table,
    opts.paged === false ? null : h('div', { class: 'pager' }, prev, next, info));

  function markSort() {
    for (const th of head.children) {
      const c = opts.columns.find((x) => x.key === th.dataset.key);
      th.classList.toggle('sorted', !!c?.sort && state.sort.replace(/^-/, '') === c.sort);
      th.classList.toggle('desc', state.sort.startsWith('-'));
    }
  }

  async function load() {
    tbody.replaceChildren(h('tr', {}, h('td', { class: 'empty', colspan: opts.columns.length }, t('loading'))));
    const params = { ...(opts.params ? opts.params() : {}), limit: opts.limit || 20, sort: state.sort || undefined };
    if (state.cursors[state.page]) params.cursor = state.cursors[state.page];
    if (state.page === 0) params.total = 1;
    try {
      const page = await opts.fetch(params);
      if (state.page === 0 && page.total !== undefined) state.total = page.total;
      state.cursors[state.page + 1] = page.next_cursor || null;
      const rows = page.items || [];
      tbody.replaceChildren(...(rows.length ? rows.map((row) => {
        const tr = h('tr', { class: opts.onRow ? 'clickable' : '' }, opts.columns.map((c) =>
          h('td', {}, c.render ? c.render(row) : row[c.key] ?? '')));
        if (opts.onRow) tr.addEventListener('click', (e) => { if (e.target.tagName !== 'A' && e.target.tagName !== 'BUTTON') opts.onRow(row); });
        return tr;
      }) : [h('tr', {}, h('td', { class: 'empty', colspan: opts.columns.length }, t('none')))]));
      prev.disabled = state.page === 0;
      next.disabled = !page.next_cursor;
      info.textContent = `${t('page', { n: state.page + 1 })}${state.total !== null ? ' · ' + t('total', { n: state.total }) : ''}`;
      markSort();
    } catch (e) {
      tbody.replaceChildren(h('tr', {}, h('td', { class: 'empty', colspan: opts.columns.length }, e.message)));
    }
  }
  function reload() { state.cursors = ['']; state.page = 0; state.total = null; load(); }
  load();
  return { el, reload };
}

// A form. fields: [{name,label,type,options,required,hint,full,placeholder}]; onSubmit(values)
// returns a promise; an ApiError naming a field is shown under that field.
export function form(opts) {
  const inputs = {};
  const errors = {};
  const banner = h('div');
  const fieldEls = opts.fields.map((f) => {
    let input;
    const v = opts.values?.[f.name];
    if (f.type === 'select') {
      input = h('select', { name: f.name, id: `f-${f.name}` },
        f.required ? null : h('option', { value: '' }, t('choose')),
        (f.options || []).map(([val, lab]) => h('option', { value: val }, lab)));
      input.value = v ?? (f.required && f.options?.length ? f.options[0][0] : '');
    } else if (f.type === 'checks') {
      input = h('div', { class: 'checks', id: `f-${f.name}` }, (f.options || []).map(([val, lab]) =>
        h('label', {}, h('input', { type: 'checkbox', name: f.name, value: val, checked: (v || []).includes(val) }), lab)));
    } else if (f.type === 'textarea') {
      input = h('textarea', { name: f.name, id: `f-${f.name}`, rows: f.rows || 4 }, v ?? '');
    } else {
      input = h('input', { name: f.name, id: `f-${f.name}`, type: f.type || 'text', value: v ?? '',
        placeholder: f.placeholder, step: f.type === 'number' ? 'any' : undefined, list: f.list,
        autocomplete: f.type === 'password' ? 'new-password' : 'off' });
    }
    inputs[f.name] = input;
    errors[f.name] = h('div', { class: 'err', 'data-testid': `err-${f.name}` });
    return h('div', { class: 'field', style: f.full ? 'grid-column: 1 / 3' : undefined },
      h('label', { for: `f-${f.name}` }, f.label, f.required ? h('span', { class: 'req' }, '*') : null),
      input, f.hint ? h('div', { class: 'hint' }, f.hint) : null, errors[f.name]);
  });
  const submit = h('button', { class: 'btn primary', type: 'submit', 'data-testid': 'save' }, opts.submitLabel || t('save'));
  const el = h('form', { class: 'form', novalidate: true }, banner, h('div', { class: 'grid' }, fieldEls),
    h('div', { class: 'actions' }, submit, opts.onCancel ? h('button', { class: 'btn', type: 'button', onclick: opts.onCancel }, t('cancel')) : null));

  function values() {
    const out = {};
    for (const f of opts.fields) {
      const input = inputs[f.name];
      if (f.type === 'checks') out[f.name] = [...input.querySelectorAll('input:checked')].map((c) => c.value);
      else if (f.type === 'number') out[f.name] = input.value === '' ? null : Number(input.value);
      else out[f.name] = input.value.trim();
      if (f.omitEmpty && (out[f.name] === '' || out[f.name] === null)) delete out[f.name];
    }
    return out;
  }
  function clear() {
    banner.replaceChildren();
    for (const f of opts.fields) { errors[f.name].textContent = ''; errors[f.name].parentElement.classList.remove('invalid'); }
  }
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear();
    submit.disabled = true;
    try {
      await opts.onSubmit(values());
    } catch (err) {
      if (err instanceof ApiError && err.field && errors[err.field]) {
        errors[err.field].textContent = err.message;
        errors[err.field].parentElement.classList.add('invalid');
        inputs[err.field].focus?.();
      } else {
        banner.replaceChildren(h('div', { class: 'banner error', 'data-testid': 'form-error' }, err.message));
      }
    } finally {
      submit.disabled = false;
    }
  });
  return { el, inputs, values };
}

export function errorBox(e) {
  return h('div', { class: 'banner error' }, e.message || String(e));
}
