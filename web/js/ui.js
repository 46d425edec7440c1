// Reusable interface parts. h() builds elements — text always goes in as text, never parsed as
// HTML — and the components every page uses: a server-paged data table (sort, filters, cursor
// paging with the total, "page N of M" and a page jump; cards on phones), forms that put the
// server's 422 message under the field it names, a search-select for code tables, toasts, modal
// and confirm dialogs, a progress bar for long operations, and chart resizing.
import { t, fl, label, localMessage, getLang } from './i18n.js';
import { ApiError } from './api.js';

// ---------------------------------------------------------------------------------------------
// Elements

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else if (k === 'disabled') el.disabled = !!v;
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false || c === '') continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function icon(name) { return h('span', { class: `ico ico-${name}`, 'aria-hidden': 'true' }); }

// ---------------------------------------------------------------------------------------------
// Formatting

const pad2 = (n) => String(n).padStart(2, '0');

// Every time is shown in China time (UTC+8, no daylight saving since 1991), whatever the
// browser's time zone: the bureau, its devices and its deadlines all run on it.
const CN_OFFSET_MS = 8 * 3600 * 1000;
// The fields of a moment in China time (a Date read with getUTC*).
const cnParts = (ms) => new Date(ms + CN_OFFSET_MS);
const cnDate = (d) => `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
// A time without a zone, as devices send it (HJ 212 DataTime) and the server passes it on: it
// is China time already and is shown as it is.
const ZONELESS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?(\.\d+)?$/;

// A server time (ISO-8601 UTC "…Z", or Unix seconds) → China time "YYYY-MM-DD HH:mm[:ss]".
export function fmtTime(iso, withSeconds = false) {
  if (!iso) return '';
  if (typeof iso === 'string') {
    const m = ZONELESS.exec(iso);
    if (m) return `${m[1]} ${m[2]}${withSeconds ? m[3] || ':00' : ''}`;
  }
  const ms = typeof iso === 'number' ? iso * 1000 : Date.parse(iso);
  if (isNaN(ms)) return String(iso);
  const d = cnParts(ms);
  const s = `${cnDate(d)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  return withSeconds ? `${s}:${pad2(d.getUTCSeconds())}` : s;
}

// Today's date in China, YYYY-MM-DD.
export function todayISO() {
  return cnDate(cnParts(Date.now()));
}

// Whole days from today (in China) to a YYYY-MM-DD date (negative when past).
export function daysUntil(date) {
  if (!date) return null;
  const [y, m, d] = date.split('-').map(Number);
  const [ty, tm, td] = todayISO().split('-').map(Number);
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(ty, tm - 1, td)) / 86400000);
}

// A China date (YYYY-MM-DD) at the start or end of the day, as the UTC ISO string the API uses.
export function localDayToUTC(date, endOfDay) {
  const d = new Date(`${date}T${endOfDay ? '23:59:59' : '00:00:00'}+08:00`);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Names in pinyin order, as the server sorts them: ICU's Chinese collation with 长 read cháng
// (长兴, 长江) rather than ICU's zhǎng (decision 28).
const zhCollator = new Intl.Collator('zh');
export function zhCompare(a, b) {
  return zhCollator.compare(a.replaceAll('长', '常'), b.replaceAll('长', '常'));
}

export function fmtSize(n) {
  if (n === null || n === undefined) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

export function fmtNum(n) {
  if (n === null || n === undefined || n === '') return '';
  return Number(n).toLocaleString(getLang() === 'en' ? 'en-US' : 'zh-CN');
}

// ---------------------------------------------------------------------------------------------
// Badges

const BADGE = {
  category: { key: 'red', special: 'amber', general: 'green' },
  status: { active: 'green', inactive: 'grey' },
  tags: { key_enterprise: 'red', high_growth: 'blue', livelihood: 'amber', industrial_park: 'teal' },
  permit_class: { key: 'red', simplified: 'amber', registration: 'blue' },
};

export function badge(kind, value, extra) {
  if (!value && value !== 0) return null;
  const color = BADGE[kind]?.[value] || 'plain';
  return h('span', { class: `badge ${color}`, ...(extra || {}) }, label(kind, value));
}

export function tagList(values) {
  return h('span', { class: 'tags' }, (values || []).map((v) => badge('tags', v)));
}

// Permit validity badge: expired / due soon (≤ 60 days) / nothing.
export function expiryBadge(validTo, within = 60) {
  const d = daysUntil(validTo);
  if (d === null) return null;
  if (d < 0) return h('span', { class: 'badge red', 'data-testid': 'badge-expired' }, t('expired'));
  if (d <= within) return h('span', { class: 'badge amber', 'data-testid': 'badge-expiring', title: d === 0 ? t('due_today') : t('days_left', { n: d }) }, t('expiring_soon'));
  return null;
}

// ---------------------------------------------------------------------------------------------
// Messages

// What went wrong, in the interface language only. A network failure (fetch, or a page module
// that could not be loaded) and a 5xx get a message of our own; an API refusal its message in
// the chosen language (message_zh / message_en, or the matching half of "中文 / English");
// a programming error a general message (the detail goes to the console).
const NETWORK_RE = /Failed to fetch|dynamically imported module|Importing a module script failed|error loading dynamically|NetworkError|Load failed/i;

export function isNetworkError(err) {
  return (err instanceof ApiError && err.status === 0) || (err instanceof TypeError && NETWORK_RE.test(err.message || ''));
}

// Worth retrying as it is: the network, or the server failing (not a refusal of the input).
export function isRetryable(err) {
  return isNetworkError(err) || (err instanceof ApiError && err.status >= 500);
}

export function apiMessage(e) {
  const m = getLang() === 'en' ? e.message_en ?? e.messageEn : e.message_zh ?? e.messageZh;
  return m || localMessage(e.message);
}

export function errorText(err) {
  if (!err) return '';
  if (isNetworkError(err)) return t('err_network');
  if (err instanceof ApiError) return err.status >= 500 ? t('err_server', { s: err.status }) : apiMessage(err);
  if (typeof err === 'string') return err;
  if (err.name && err.name !== 'Error') { console.error(err); return t('err_unexpected'); }
  return err.message || String(err);
}

// What to do when a retry button is pressed without a retry of its own: the shell sets it to
// render the page again; until then, reload.
let retryPage = () => location.reload();
export function setRetryHandler(fn) { retryPage = fn; }

// An error banner; a retryable error (network, 5xx) gets a 重试 button that runs opts.retry,
// or renders the page again (opts.retry false: no button, e.g. in a dialog the user re-runs).
export function errorBanner(err, testid = 'error', opts = {}) {
  const reqId = err instanceof ApiError && err.requestId;
  const retry = opts.retry === false ? null : opts.retry || (isRetryable(err) ? retryPage : null);
  return h('div', { class: 'banner error', role: 'alert', 'data-testid': testid },
    h('span', {}, errorText(err)),
    reqId ? h('span', { class: 'reqid' }, `${t('request_id')}: ${reqId}`) : null,
    retry ? h('button', { type: 'button', class: 'btn small retry', 'data-testid': 'retry', onclick: () => retry() }, t('retry')) : null);
}

export function okBanner(text, testid) {
  return h('div', { class: 'banner ok', role: 'status', 'data-testid': testid }, text);
}

let toastBox = null;
export function toast(msg, kind = 'ok') {
  if (!toastBox || !toastBox.isConnected) {
    toastBox = h('div', { class: 'toasts', 'aria-live': 'polite' });
    document.body.append(toastBox);
  }
  const el = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': 'toast' },
    typeof msg === 'string' ? msg : errorText(msg));
  toastBox.append(el);
  setTimeout(() => { el.classList.add('out'); setTimeout(() => el.remove(), 300); }, kind === 'error' ? 7000 : 3000);
}

export async function copyText(text) {
  try { await navigator.clipboard.writeText(text); toast(t('copied')); } catch { toast(t('copy_failed'), 'error'); }
}

// ---------------------------------------------------------------------------------------------
// Dialogs

const openModals = [];
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && openModals.length) openModals[openModals.length - 1].ask();
});

// A modal dialog. actions: [{label, primary, danger, testid, onClick, disabled()}] — onClick may return
// false (or a promise of false) to keep the dialog open; a thrown error is shown in the dialog.
export function modal({ title, body, actions = [], wide = false, testid = 'dialog', dismissable = true, cancelLabel }) {
  const back = h('div', { class: 'modal-back' });
  const err = h('div');
  const buttons = actions.map((a) => {
    const b = h('button', { type: 'button', class: `btn ${a.primary ? 'primary' : ''} ${a.danger ? 'danger' : ''}`, 'data-testid': a.testid }, a.label);
    b.disabled = !!a.disabled?.();
    b.addEventListener('click', async () => {
      err.replaceChildren();
      buttons.forEach((x) => { x.disabled = true; });
      closeBtn.disabled = true;
      try {
        if ((await a.onClick?.()) !== false) close();
      } catch (e) {
        err.replaceChildren(errorBanner(e, 'error', isRetryable(e) ? { retry: () => b.click() } : {}));
      } finally {
        buttons.forEach((x, i) => { x.disabled = !!actions[i].disabled?.(); });
        closeBtn.disabled = false;
      }
    });
    return b;
  });
  const closeBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'dialog-close' }, cancelLabel || (actions.length ? t('cancel') : t('close')));
  // Closed by the user (×, cancel, Escape, a click outside) with unsaved edits in a form: ask.
  async function ask() {
    if (formsDirty(box) && !(await confirmDialog(t('unsaved'), { title: t('unsaved_title'), okLabel: t('leave'), danger: true }))) return;
    close();
  }
  const box = h('div', { class: `modal ${wide ? 'wide' : ''}`, role: 'dialog', 'aria-modal': 'true', 'aria-label': title, 'data-testid': testid },
    h('div', { class: 'modal-head' }, h('h2', {}, title),
      h('button', { type: 'button', class: 'x', 'aria-label': t('close'), onclick: () => ask() }, '×')),
    h('div', { class: 'modal-body' }, body, err),
    h('div', { class: 'modal-foot' }, buttons, closeBtn));
  back.append(box);
  const entry = { close, ask, box };
  function close() {
    const i = openModals.indexOf(entry);
    if (i >= 0) openModals.splice(i, 1);
    back.remove();
    entry.onclose?.();
  }
  closeBtn.addEventListener('click', ask);
  if (dismissable) back.addEventListener('mousedown', (e) => { if (e.target === back) ask(); });
  document.body.append(back);
  openModals.push(entry);
  const first = box.querySelector('input:not([type=hidden]), select, textarea') || buttons[buttons.length - 1] || closeBtn;
  setTimeout(() => first?.focus(), 0);
  return { close, el: box, set onclose(fn) { entry.onclose = fn; } };
}

// Whether a form under el has edits not saved yet.
export function formsDirty(el) { return [...el.querySelectorAll('form')].some((f) => f.envgovForm?.dirty()); }
// Whether an open dialog holds a form with unsaved edits (the router asks before leaving).
export function modalsDirty() { return openModals.some((m) => formsDirty(m.box)); }

export function closeAllModals() { while (openModals.length) openModals[openModals.length - 1].close(); }

export function confirmDialog(message, { okLabel, danger = false, title } = {}) {
  return new Promise((resolve) => {
    let answered = false;
    const m = modal({
      title: title || t('confirm'),
      body: h('p', { class: 'confirm-text' }, message),
      testid: 'confirm-dialog',
      actions: [{ label: okLabel || t('confirm'), primary: !danger, danger, testid: 'confirm-yes',
        onClick: () => { answered = true; resolve(true); } }],
    });
    m.onclose = () => { if (!answered) resolve(false); };
  });
}

// A dialog showing a secret once (one-time password, API token) with a copy button.
export function secretDialog(title, help, secret, testid) {
  modal({
    title, testid: 'secret-dialog', dismissable: false,
    body: h('div', {}, h('p', {}, help),
      h('div', { class: 'secret' }, h('code', { 'data-testid': testid }, secret),
        h('button', { type: 'button', class: 'btn small', onclick: () => copyText(secret) }, t('copy')))),
  });
}

// ---------------------------------------------------------------------------------------------
// Progress

// A progress bar: set(fraction) for a known share, set(null) for "working…".
export function progressBar(text) {
  const bar = h('div', { class: 'bar' });
  const caption = h('span', { class: 'caption' }, text || t('processing'));
  const el = h('div', { class: 'progress indeterminate', role: 'progressbar', 'data-testid': 'progress' }, h('div', { class: 'track' }, bar), caption);
  return {
    el,
    set(fraction, newText) {
      if (fraction === null || fraction === undefined) { el.classList.add('indeterminate'); bar.style.width = ''; } else {
        el.classList.remove('indeterminate');
        bar.style.width = `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`;
        el.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
      }
      if (newText) caption.textContent = newText;
    },
  };
}

export function spinner(text) { return h('div', { class: 'loading-block' }, h('span', { class: 'spin' }), text || t('loading')); }

// ---------------------------------------------------------------------------------------------
// Inputs

// <select>. options: [[value, label]] or [{value,label,group}]; placeholder adds an empty option.
export function selectEl({ name, options = [], value, placeholder, testid, id, required, onChange, cls }) {
  const sel = h('select', { name, id: id || undefined, 'data-testid': testid, required: required || undefined, class: cls });
  if (placeholder !== undefined) sel.append(h('option', { value: '' }, placeholder));
  let group = null, groupName = null;
  for (const o of options) {
    const [v, l, g] = Array.isArray(o) ? o : [o.value, o.label, o.group];
    const opt = h('option', { value: v }, l);
    if (g) {
      if (g !== groupName) { group = h('optgroup', { label: g }); sel.append(group); groupName = g; }
      group.append(opt);
    } else { sel.append(opt); groupName = null; }
  }
  if (value !== undefined && value !== null) sel.value = String(value);
  if (onChange) sel.addEventListener('change', () => onChange(sel.value));
  return sel;
}

// The width in px that shows `text` whole in a search box: 13.5 px text, 28 px icon padding on the
// left, 8 on the right, the clear button Chromium keeps room for (18), borders and some slack.
let measureCtx = null;
function searchWidth(text) {
  measureCtx = measureCtx || document.createElement('canvas').getContext('2d');
  measureCtx.font = `13.5px ${getComputedStyle(document.documentElement).fontFamily}`;
  return Math.ceil(measureCtx.measureText(text || '').width) + 28 + 8 + 18 + 2 + 6;
}

// A search box that calls onSearch(value) after typing pauses (and at once on Enter). It is at
// least `width` wide and wide enough for its placeholder; CSS caps it at the width of its row.
export function searchBox({ placeholder, testid = 'search', value = '', onSearch, width }) {
  const px = Math.max(parseFloat(width) || 0, searchWidth(placeholder));
  const input = h('input', { type: 'search', class: 'search', placeholder, 'data-testid': testid, value, 'aria-label': placeholder, style: { width: `${px}px` } });
  let timer, last = value;
  const fire = () => { clearTimeout(timer); const v = input.value.trim(); if (v !== last) { last = v; onSearch(v); } };
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(fire, 300); });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); fire(); } });
  input.addEventListener('search', fire);
  return input;
}

// A text input with suggestions fetched as the user types (industry codes, pollutants,
// enterprises). search(q) returns [{value, label, hint}].
//   Code mode (default): the input holds what was typed or the picked item's value (a code the
//   user may also type directly); describe(value) gives the text shown under the input.
//   Label mode (labelMode: true): the input shows the picked item's label and get() returns its
//   value (an id), or '' while nothing is picked; `text` is the label of the initial value.
export function searchSelect({ name, id, value = '', text = '', placeholder, testid, search, describe, onPick, minChars = 1, maxlength, labelMode = false }) {
  const input = h('input', { type: 'text', name, id, placeholder, autocomplete: 'off', 'data-testid': testid,
    role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', maxlength });
  const list = h('ul', { class: 'ss-list', role: 'listbox', hidden: true });
  const note = h('div', { class: 'ss-note' });
  const el = h('div', { class: 'ss' }, input, list, note);
  let items = [], active = -1, timer, seq = 0;
  let picked = labelMode ? (value === '' || value === null || value === undefined ? null : value) : null;
  input.value = labelMode ? (text || '') : (value ?? '');

  function hide() { list.hidden = true; input.setAttribute('aria-expanded', 'false'); active = -1; }
  function show() { list.hidden = false; input.setAttribute('aria-expanded', 'true'); }
  function mark() { [...list.children].forEach((li, i) => li.classList.toggle('active', i === active)); }
  function pick(item) {
    if (labelMode) { input.value = item.label; picked = item.value; note.textContent = item.hint || ''; } else {
      input.value = item.value;
      note.textContent = item.label || '';
    }
    hide();
    onPick?.(item);
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }
  async function refresh() {
    const q = input.value.trim();
    const my = ++seq;
    if (q.length < minChars) { hide(); return; }
    let found = [];
    try { found = await search(q); } catch { found = []; }
    if (my !== seq || document.activeElement !== input) return;
    items = found.slice(0, 50);
    list.replaceChildren(...(items.length ? items.map((it) => h('li', { role: 'option',
      onmousedown: (e) => { e.preventDefault(); pick(it); } },
    labelMode ? null : h('b', {}, it.value), labelMode ? null : ' ', it.label || '', it.hint ? h('span', { class: 'muted' }, ` ${it.hint}`) : null))
      : [h('li', { class: 'empty' }, t('no_match'))]));
    active = -1;
    show();
  }
  async function describeNow() {
    if (labelMode) return;
    const v = input.value.trim();
    if (!describe || !v) { note.textContent = ''; return; }
    try { note.textContent = (await describe(v)) || ''; } catch { note.textContent = ''; }
  }
  input.addEventListener('input', () => {
    note.textContent = '';
    if (labelMode) picked = null;
    clearTimeout(timer);
    timer = setTimeout(refresh, 200);
  });
  input.addEventListener('focus', () => { if (input.value.trim().length >= minChars && !input.readOnly && !(labelMode && picked !== null)) { clearTimeout(timer); timer = setTimeout(refresh, 200); } });
  input.addEventListener('blur', () => { clearTimeout(timer); seq++; setTimeout(hide, 100); describeNow(); });
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown') { active = Math.min(items.length - 1, active + 1); mark(); e.preventDefault(); }
    else if (e.key === 'ArrowUp') { active = Math.max(0, active - 1); mark(); e.preventDefault(); }
    else if (e.key === 'Enter' && active >= 0 && items[active]) { e.preventDefault(); pick(items[active]); }
    else if (e.key === 'Escape') { e.stopPropagation(); hide(); }
  });
  describeNow();
  return {
    el, input,
    get: () => (labelMode ? (picked ?? '') : input.value.trim()),
    set: (v, lab) => {
      if (labelMode) {
        const same = v === picked;
        picked = v === '' || v === null || v === undefined ? null : v;
        if (lab !== undefined) input.value = lab; else if (!same) input.value = '';
        return;
      }
      input.value = v ?? '';
      describeNow();
    },
    focus: () => input.focus(),
  };
}

// ---------------------------------------------------------------------------------------------
// Data table

// On screens up to 600 px wide a table shows each row as a card: the row's primary column (the
// one marked `primary: true`, else the first) as its title, the other cells as "label: value"
// lines (CSS reads the label from data-label); only the sortable headers stay, as sort buttons.
// Wider screens keep the table, which scrolls inside its own box with the primary column held at
// the left. `cards: false` keeps a small table a table on phones too.
function primaryIndex(cols) {
  const i = cols.findIndex((c) => c.primary);
  return i >= 0 ? i : 0;
}

function cellAttrs(c, i, primary) {
  const text = typeof c.label === 'string' ? c.label : c.label?.textContent;
  return { class: [c.cls || '', i === primary ? 'primary' : ''].join(' ').trim() || undefined, 'data-label': text || undefined };
}

// A server-paged table.
//   columns: [{key, label, sort (API sort field), render(row) → node|text, cls, width, primary}]
//   fetch(params) → {items, next_cursor, total}; params() → current filter values
//   toolbar: elements above the table; onRow(row): row click; rowTestid(row)
//   sort: initial sort ('name' or '-updated_at'); limit: page size; total: ask total=1
//   paged: false loads one page of up to `limit` rows without a pager; cards: false (see above).
// Paging is by keyset cursor: state.pages[i] is the cursor of page i + 1 where known. The pager
// shows the total, "page N of M" and a page box; a jump walks forward from the nearest known
// page in steps of the largest page size, reading only next_cursor (decision in docs/decisions.md).
export function dataTable(opts) {
  const pageSizes = opts.pageSizes || [20, 50, 100];
  const state = { sort: opts.sort || '', pages: [''], page: 0, limit: opts.limit || pageSizes[0], total: null, next: null, rows: [] };
  const cols = opts.columns;
  const primary = primaryIndex(cols);
  const tbody = h('tbody');
  const headRow = h('tr', {}, cols.map((c, i) => {
    const th = h('th', { class: [c.sort ? 'sortable' : '', c.cls || '', i === primary ? 'primary' : ''].join(' '), style: c.width ? { width: c.width } : undefined,
      dataset: { key: c.key }, scope: 'col', title: c.sort ? t('sort_hint') : undefined }, c.label);
    if (c.sort) {
      th.tabIndex = 0;
      const toggle = () => {
        state.sort = state.sort === c.sort ? `-${c.sort}` : c.sort;
        opts.onSort?.(state.sort);
        reload();
      };
      th.addEventListener('click', toggle);
      th.addEventListener('keydown', (e) => { if (e.key === 'Enter') toggle(); });
    }
    return th;
  }));
  const bar = progressBar();
  bar.el.classList.add('table-progress');
  const table = h('table', { class: `data${opts.cards === false ? ' no-cards' : ''}`, 'data-testid': opts.testid || 'table' }, h('thead', {}, headRow), tbody);
  const wrap = h('div', { class: 'table-wrap' }, bar.el, table);
  const info = h('span', { class: 'pager-info', 'data-testid': 'table-total' });
  const prev = h('button', { type: 'button', class: 'btn small', 'data-testid': 'prev-page' }, `‹ ${t('prev')}`);
  const next = h('button', { type: 'button', class: 'btn small', 'data-testid': 'next-page' }, `${t('next')} ›`);
  const sizeSel = selectEl({ options: pageSizes.map((n) => [n, t('page_size', { n })]), value: state.limit, cls: 'small' });
  const jumpIn = h('input', { type: 'number', class: 'page-jump', min: 1, step: 1, inputmode: 'numeric', 'data-testid': 'page-jump',
    'aria-label': t('jump_page') });
  const jumpGo = h('button', { type: 'button', class: 'btn small', 'data-testid': 'page-go' }, t('go'));
  const jump = () => {
    const n = Math.floor(Number(jumpIn.value));
    jumpIn.value = '';
    if (!Number.isFinite(n) || n < 1) return;
    goTo(n - 1);
  };
  prev.addEventListener('click', () => { if (state.page > 0) goTo(state.page - 1); });
  next.addEventListener('click', () => { if (state.next) { state.pages[state.page + 1] = state.next; goTo(state.page + 1); } });
  jumpGo.addEventListener('click', jump);
  jumpIn.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); jump(); } });
  sizeSel.addEventListener('change', () => { state.limit = Number(sizeSel.value); reload(); });
  const pager = opts.paged === false ? null : h('div', { class: 'pager' }, info, h('span', { class: 'spacer' }), sizeSel, prev,
    h('span', { class: 'page-no', 'data-testid': 'page-no' }), next,
    h('label', { class: 'page-jump-box' }, t('jump_to'), jumpIn, t('page_unit')), jumpGo);
  const el = h('div', { class: 'dtable' }, opts.toolbar ? h('div', { class: 'toolbar' }, opts.toolbar) : null, wrap, pager);
  let seq = 0;

  function markSort() {
    for (const th of headRow.children) {
      const c = cols.find((x) => x.key === th.dataset.key);
      const on = !!c?.sort && state.sort.replace(/^-/, '') === c.sort;
      th.classList.toggle('sorted', on);
      th.classList.toggle('desc', on && state.sort.startsWith('-'));
      if (c?.sort) th.setAttribute('aria-sort', on ? (state.sort.startsWith('-') ? 'descending' : 'ascending') : 'none');
    }
  }
  function message(text, cls = 'empty') {
    tbody.replaceChildren(h('tr', {}, h('td', { class: cls, colspan: cols.length }, text)));
  }
  function renderRows(rows) {
    if (!rows.length) { message(opts.empty || t('none')); return; }
    tbody.replaceChildren(...rows.map((row) => {
      const tr = h('tr', { class: [opts.onRow ? 'clickable' : '', opts.rowClass ? opts.rowClass(row) : ''].join(' '),
        'data-testid': opts.rowTestid ? opts.rowTestid(row) : undefined },
      cols.map((c, i) => h('td', cellAttrs(c, i, primary), c.render ? c.render(row) : (row[c.key] ?? ''))));
      if (opts.onRow) {
        tr.tabIndex = 0;
        tr.addEventListener('click', (e) => { if (!e.target.closest('a,button,input,select,label,details')) opts.onRow(row, e); });
        tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.target === tr) opts.onRow(row, e); });
      }
      return tr;
    }));
  }
  function baseParams(limit) {
    const params = { ...(opts.params ? opts.params() : {}), limit };
    if (state.sort) params.sort = state.sort;
    return params;
  }
  const pageCount = () => (state.total !== null ? Math.max(1, Math.ceil(state.total / state.limit)) : null);
  // The page index at or before `target` whose cursor is now known, fetching forward as needed.
  async function seek(target, my) {
    let k = target;
    while (state.pages[k] === undefined) k--;
    const perStep = Math.max(1, Math.floor(Math.max(...pageSizes) / state.limit));
    while (k < target) {
      const step = Math.min(target - k, perStep);
      const params = baseParams(step * state.limit);
      if (state.pages[k]) params.cursor = state.pages[k];
      const page = await opts.fetch(params);
      if (my !== seq) return -1;
      if (!page.next_cursor) {
        // The end lies inside this step: the last page starts `last` pages after page k.
        const last = Math.ceil((page.items || []).length / state.limit) - 1;
        if (last > 0) {
          const p2 = baseParams(last * state.limit);
          if (state.pages[k]) p2.cursor = state.pages[k];
          const page2 = await opts.fetch(p2);
          if (my !== seq) return -1;
          if (page2.next_cursor) { state.pages[k + last] = page2.next_cursor; k += last; }
        }
        break;
      }
      state.pages[k + step] = page.next_cursor;
      k += step;
    }
    return k;
  }
  function goTo(index) {
    const m = pageCount();
    state.page = Math.max(0, m !== null ? Math.min(index, m - 1) : index);
    return load();
  }
  async function load() {
    const my = ++seq;
    wrap.classList.add('busy');
    bar.set(null);
    if (!state.rows.length) message(t('loading'), 'empty loading');
    const params = baseParams(state.limit);
    if (opts.total !== false && (state.page === 0 || state.total === null)) params.total = 1;
    try {
      if (state.pages[state.page] === undefined) {
        const k = await seek(state.page, my);
        if (k < 0) return;
        state.page = k;
      }
      const cursor = state.pages[state.page];
      if (cursor) params.cursor = cursor;
      const page = await opts.fetch(params);
      if (my !== seq) return;
      if (page.total !== undefined && page.total !== null) state.total = page.total;
      state.next = page.next_cursor || null;
      if (state.next) state.pages[state.page + 1] = state.next;
      state.rows = page.items || [];
      renderRows(state.rows);
      if (pager) {
        const m = pageCount();
        prev.disabled = state.page === 0;
        next.disabled = !state.next;
        pager.querySelector('.page-no').textContent = m !== null ? t('page_of', { n: fmtNum(state.page + 1), m: fmtNum(m) }) : t('page', { n: state.page + 1 });
        info.textContent = state.total !== null ? t('total', { n: fmtNum(state.total) }) : '';
        if (m !== null) jumpIn.max = String(m); else jumpIn.removeAttribute('max');
        pager.classList.toggle('one-page', state.page === 0 && !state.next);
      }
      markSort();
      opts.onLoad?.(page);
    } catch (e) {
      if (my !== seq) return;
      state.rows = [];
      tbody.replaceChildren(h('tr', {}, h('td', { class: 'empty error', colspan: cols.length }, errorText(e))));
    } finally {
      if (my === seq) wrap.classList.remove('busy');
    }
  }
  function reload() { state.pages = ['']; state.page = 0; state.total = null; state.next = null; load(); }
  markSort();
  load();
  return { el, reload, refresh: load, state };
}

// A plain, client-side table for small, fully loaded lists (an enterprise's outlets).
export function simpleTable({ columns, rows, testid, empty, onRow, cards = true }) {
  const primary = primaryIndex(columns);
  return h('div', { class: 'table-wrap' }, h('table', { class: `data${cards ? '' : ' no-cards'}`, 'data-testid': testid },
    h('thead', {}, h('tr', {}, columns.map((c, i) => h('th', { class: [c.cls || '', i === primary ? 'primary' : ''].join(' ').trim() || undefined,
      style: c.width ? { width: c.width } : undefined }, c.label)))),
    h('tbody', {}, rows.length ? rows.map((r) => {
      const tr = h('tr', { class: onRow ? 'clickable' : '' }, columns.map((c, i) => h('td', cellAttrs(c, i, primary), c.render ? c.render(r) : (r[c.key] ?? ''))));
      if (onRow) tr.addEventListener('click', (e) => { if (!e.target.closest('a,button,input,select')) onRow(r); });
      return tr;
    }) : h('tr', {}, h('td', { class: 'empty', colspan: columns.length }, empty || t('none'))))));
}

// ---------------------------------------------------------------------------------------------
// Charts

// Keep ECharts instances sized to their boxes: each resizes when its box changes size (window
// resize, a phone turned, the navigation collapsing, a grid reflowing), after adjust(chart) has
// had a chance to change width-dependent options. Add charts created later with the returned
// add(chart); watching stops when the page is left (ctx.onLeave). Nothing is disposed here.
export function watchCharts(ctx, charts = [], adjust) {
  const all = new Set();
  let frame = 0;
  const ro = new ResizeObserver(() => {
    // A frame later, so a resize never runs inside the observer's own notification.
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      for (const c of all) {
        if (c.isDisposed()) continue;
        adjust?.(c);
        c.resize();
      }
    });
  });
  const add = (c) => { if (c && !all.has(c)) { all.add(c); ro.observe(c.getDom()); } return c; };
  charts.forEach(add);
  ctx.onLeave(() => { cancelAnimationFrame(frame); ro.disconnect(); all.clear(); });
  return { add };
}

// The height a plain ECharts legend of these names takes in a box this wide (12 px text, 25 px
// icons, 10 px gaps, 5 px padding, items wrapping onto new rows as ECharts wraps them): a grid
// leaves this much room at the bottom so a legend that wraps on a phone never covers the axis.
export function legendHeight(names, width) {
  measureCtx = measureCtx || document.createElement('canvas').getContext('2d');
  measureCtx.font = '12px sans-serif';
  let rows = 1, x = 0;
  const avail = Math.max(1, width - 10);
  for (const n of names) {
    const w = 25 + 5 + measureCtx.measureText(String(n)).width;
    if (x > 0 && x + w > avail) { rows += 1; x = 0; }
    x += w + 10;
  }
  return rows * 14 + (rows - 1) * 10 + 10;
}

// ---------------------------------------------------------------------------------------------
// Forms

// A form.
//   fields: [{name, label, type: text|number|integer|select|checks|textarea|date|password|custom|section,
//             options, required, hint, span (columns to take), placeholder, testid, maxlength,
//             readOnly, component (for custom: {el, get, set, focus})}]
//   values: initial values; onSubmit(values, form) → promise. A refusal shows every problem at
//   once: each under the field it names (error.errors of the API, or the fields' own checks:
//   required, number, validate(value) → a message naming the field, or null), with a summary at the top that
//   lists them and scrolls to the first; editing a field clears its message. Anything else
//   shows in the banner at the top (a network failure with a 重试 that submits again).
//   dirty() tells whether the values differ from those shown first or last saved (the router
//   and dialogs ask before leaving such a form).
//   cols: grid columns (default 2); submitLabel; onCancel; omitEmpty: drop blank values.
export function form(opts) {
  const inputs = {}, errs = {}, wraps = {};
  const banner = h('div', { class: 'form-banner' });
  const cols = opts.cols || 2;
  const initial = { ...(opts.values || {}) };
  const real = opts.fields.filter((f) => f && f.type !== 'section');
  const fieldEls = opts.fields.filter(Boolean).map((f) => {
    if (f.type === 'section') return h('h3', { class: 'form-section' }, f.label);
    const id = `f-${opts.idPrefix || ''}${f.name}`;
    const v = initial[f.name];
    let input, control;
    if (f.type === 'select') {
      input = selectEl({ name: f.name, id, options: f.options || [], placeholder: f.required && f.noPlaceholder ? undefined : (f.placeholder ?? t('choose')), testid: f.testid });
      input.value = v === undefined || v === null ? '' : String(v);
      if (f.required && input.value === '' && f.noPlaceholder && input.options.length) input.selectedIndex = 0;
    } else if (f.type === 'checks') {
      input = h('div', { class: 'checks', id, role: 'group', 'data-testid': f.testid }, (f.options || []).map(([val, lab]) =>
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: f.name, value: val, checked: (v || []).includes(val) }), lab)));
    } else if (f.type === 'textarea') {
      input = h('textarea', { name: f.name, id, rows: f.rows || 4, placeholder: f.placeholder, 'data-testid': f.testid, maxlength: f.maxlength });
      input.value = v ?? '';
    } else if (f.type === 'custom') {
      input = f.component.input || f.component.el;
      control = f.component.el;
      if (v !== undefined) f.component.set(v);
    } else {
      const type = f.type === 'integer' ? 'number' : (f.type || 'text');
      input = h('input', { name: f.name, id, type, placeholder: f.placeholder, 'data-testid': f.testid, maxlength: f.maxlength,
        step: f.type === 'number' ? 'any' : f.type === 'integer' ? '1' : undefined, min: f.min, max: f.max,
        autocomplete: f.type === 'password' ? 'new-password' : (f.autocomplete || 'off'), readonly: f.readOnly || undefined });
      input.value = v === undefined || v === null ? '' : String(v);
    }
    inputs[f.name] = input;
    errs[f.name] = h('div', { class: 'err', 'data-testid': `err-${f.name}`, id: `${id}-err`, 'aria-live': 'polite' });
    if (input.setAttribute && f.type !== 'checks') input.setAttribute('aria-describedby', `${id}-err`);
    const span = Math.min(f.span || 1, cols);
    wraps[f.name] = h('div', { class: `field ${f.required ? 'required' : ''}`, style: span > 1 ? { gridColumn: `span ${span}` } : undefined },
      h('label', { for: f.type === 'checks' ? undefined : id }, f.label),
      control || input, f.hint ? h('div', { class: 'hint' }, f.hint) : null, errs[f.name]);
    return wraps[f.name];
  });
  const submit = h('button', { class: 'btn primary', type: 'submit', 'data-testid': opts.submitTestid || 'save' }, opts.submitLabel || t('save'));
  const el = h('form', { class: `form ${opts.compact ? 'compact' : ''} ${opts.cls || ''}`, novalidate: true, 'data-testid': opts.testid },
    banner, h('div', { class: `grid cols-${cols}` }, fieldEls),
    h('div', { class: 'form-actions' }, submit,
      opts.onCancel ? h('button', { class: 'btn', type: 'button', 'data-testid': 'cancel', onclick: () => cancel() }, t('cancel')) : null,
      opts.extraActions || null));

  function value(f) {
    const input = inputs[f.name];
    if (f.type === 'checks') return [...input.querySelectorAll('input:checked')].map((c) => c.value);
    if (f.type === 'custom') return f.component.get();
    const raw = input.value.trim();
    if (f.type === 'number' || f.type === 'integer') return raw === '' ? null : Number(raw);
    return f.type === 'password' ? input.value : raw;
  }
  function values() {
    const out = {};
    for (const f of real) {
      const v = value(f);
      if ((opts.omitEmpty || f.omitEmpty) && (v === '' || v === null)) continue;
      out[f.name] = v;
    }
    return out;
  }
  // Keys whose value differs from the initial values (for PATCH).
  function changed() {
    const v = values(), out = {};
    for (const [k, x] of Object.entries(v)) {
      const a = initial[k];
      const same = Array.isArray(x) ? JSON.stringify([...x].sort()) === JSON.stringify([...(a || [])].sort())
        : String(x ?? '') === String(a ?? '');
      if (!same) out[k] = x;
    }
    return out;
  }
  function clearErrors() {
    banner.replaceChildren();
    for (const k of Object.keys(errs)) { errs[k].textContent = ''; wraps[k].classList.remove('invalid'); }
  }
  function setError(name, msg) {
    if (errs[name]) {
      errs[name].textContent = msg;
      wraps[name].classList.add('invalid');
      return true;
    }
    return false;
  }
  function focusField(name) {
    const input = inputs[name];
    const target = input?.focus && !(input instanceof HTMLDivElement) ? input : input?.querySelector?.('input, select, textarea');
    wraps[name]?.scrollIntoView({ block: 'center' });
    target?.focus({ preventScroll: true });
  }
  // Every problem beside its field, the list at the top; problems without a field of this form
  // are listed at the top only.
  function showProblems(list) {
    const shown = [];
    for (const p of list) {
      const onField = p.field && setError(p.field, p.text);
      // The server's messages name the field already; the form's own ("required") do not.
      const text = p.named ? p.text : `${fieldLabel(p.field)}${t('colon')}${p.text}`;
      shown.push(h('li', { 'data-field': p.field || undefined }, onField
        ? h('a', { href: '#', onclick: (e) => { e.preventDefault(); focusField(p.field); } }, text) : text));
    }
    banner.replaceChildren(h('div', { class: 'banner error form-summary', role: 'alert', 'data-testid': 'form-error' },
      h('div', {}, h('b', {}, t('errors_summary', { n: list.length })), h('ul', {}, shown))));
    const first = list.find((p) => p.field && errs[p.field]);
    if (first) focusField(first.field); else banner.scrollIntoView({ block: 'nearest' });
  }
  function showError(err) {
    let list = err instanceof ApiError && err.status < 500 ? (err.errors || []) : [];
    // One problem: the field as the page may have re-pointed it (err.field).
    if (list.length === 1) list = [{ ...list[0], field: err.field }];
    if (list.length > 1 || list.some((e) => e.field && errs[e.field])) {
      showProblems(list.map((e) => ({ field: e.field, text: apiMessage(e), named: true })));
      return;
    }
    banner.replaceChildren(errorBanner(err, 'form-error', isRetryable(err) ? { retry: () => el.requestSubmit() } : {}));
  }
  function localCheck() {
    const list = [];
    for (const f of real) {
      const v = value(f);
      let msg = null, named = false;
      if (f.required && (v === '' || v === null)) msg = t('required');
      else if ((f.type === 'number' || f.type === 'integer') && v !== null && Number.isNaN(v)) msg = t('invalid_number');
      else if (f.validate && v !== '' && v !== null) { msg = f.validate(v); named = true; }
      if (msg) list.push({ field: f.name, text: msg, named });
    }
    if (list.length) showProblems(list);
    return !list.length;
  }
  const fieldLabel = (name) => real.find((f) => f.name === name)?.label || name;
  // Editing a field takes its message away (and its line in the summary).
  for (const f of real) {
    const clear = () => {
      if (!wraps[f.name].classList.contains('invalid')) return;
      errs[f.name].textContent = '';
      wraps[f.name].classList.remove('invalid');
      const ul = banner.querySelector('ul');
      ul?.querySelector(`li[data-field="${CSS.escape(f.name)}"]`)?.remove();
      if (ul && !ul.children.length) banner.replaceChildren();
    };
    wraps[f.name].addEventListener('input', clear);
    wraps[f.name].addEventListener('change', clear);
  }
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.disabled) return;
    clearErrors();
    if (!localCheck()) return;
    const label0 = submit.textContent;
    submit.disabled = true;
    submit.textContent = opts.busyLabel || t('saving');
    el.classList.add('busy');
    try {
      await opts.onSubmit(values(), self);
      // Saved, unless onSubmit refused the values itself (setError: the edits are still unsaved).
      if (!el.querySelector('.field.invalid')) markClean();
    } catch (err) {
      if (err?.name === 'AbortError') return;
      showError(err);
    } finally {
      submit.disabled = false;
      submit.textContent = label0;
      el.classList.remove('busy');
    }
  });
  // Cancel with unsaved edits asks first; once answered, nothing else asks again.
  async function cancel() {
    if (dirty() && !(await confirmDialog(t('unsaved'), { title: t('unsaved_title'), okLabel: t('leave'), danger: true }))) return;
    markClean();
    opts.onCancel();
  }
  // Unsaved edits: the values now against those first shown or last saved.
  const snapshot = () => JSON.stringify(real.filter((f) => f.type !== 'password').map((f) => value(f)));
  let clean = snapshot();
  function markClean() { clean = snapshot(); }
  const dirty = () => el.isConnected && el.getClientRects().length > 0 && snapshot() !== clean; // shown, and changed
  const self = { el, inputs, values, changed, setError, clearErrors, showError, submit, initial, banner, dirty, markClean,
    set(name, v) { const i = inputs[name]; if (i && 'value' in i) i.value = v ?? ''; } };
  el.envgovForm = self;
  return self;
}

// Label/value pairs as a description grid.
export function kvGrid(pairs, testid) {
  return h('dl', { class: 'kv', 'data-testid': testid }, pairs.filter(Boolean).flatMap(([k, v, opts]) => [
    h('dt', {}, k), h('dd', { class: opts?.wide ? 'wide' : undefined, 'data-field': opts?.field }, v === null || v === undefined || v === '' ? '—' : v)]));
}

// A section heading with optional actions on the right.
export function sectionHead(title, ...actions) {
  return h('div', { class: 'section-head' }, h('h2', {}, title), h('span', { class: 'spacer' }), actions);
}

export function pageHead(title, ...actions) {
  return h('div', { class: 'page-head' }, h('h1', {}, title), h('span', { class: 'spacer' }), actions);
}

export function btn(text, onClick, { primary, danger, testid, small, title, type = 'button' } = {}) {
  return h('button', { type, class: `btn ${primary ? 'primary' : ''} ${danger ? 'danger' : ''} ${small ? 'small' : ''}`,
    'data-testid': testid, title, onclick: onClick }, text);
}

// Run fn with a button disabled (and its label swapped) until fn settles; errors become toasts.
export async function busy(button, fn) {
  const label0 = button.textContent;
  button.disabled = true;
  try { return await fn(); } catch (e) { toast(e, 'error'); return undefined; } finally {
    button.disabled = false; button.textContent = label0;
  }
}

// A link that downloads a file from the API (export). The href is the real URL (so it can be
// copied or opened); a click fetches it instead, so a refusal (413 too many rows, 403) shows as
// a message rather than a JSON page, and a progress indicator runs while the server works.
export function downloadLink({ label: text, href, testid, cls = 'btn' }) {
  const a = h('a', { class: cls, href: typeof href === 'function' ? href() : href, 'data-testid': testid, download: '' }, text);
  a.addEventListener('click', async (e) => {
    e.preventDefault();
    if (a.classList.contains('busy')) return;
    a.classList.add('busy');
    try {
      const res = await fetch(a.href, { credentials: 'same-origin' });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        throw new ApiError(res.status, body);
      }
      const blob = await res.blob();
      const cd = res.headers.get('content-disposition') || '';
      // The UTF-8 name (filename*, RFC 5987) when given: the plain filename= is its ASCII stand-in.
      const star = /filename\*=UTF-8''([^;\s]+)/i.exec(cd);
      const plain = /filename="?([^";]+)"?/i.exec(cd);
      const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : 'export';
      const url = URL.createObjectURL(blob);
      const tmp = h('a', { href: url, download: name, style: { display: 'none' } });
      document.body.append(tmp);
      tmp.click();
      tmp.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) {
      toast(errorText(err), 'error');
    } finally {
      a.classList.remove('busy');
    }
  });
  return { el: a, update: (url) => { a.href = url; } };
}

export { fl };
