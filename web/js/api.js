// REST client for /api/v1: JSON in and out, cookies (same-origin), the X-CSRF-Token header on
// every write, and failures as ApiError {status, code, message, messageZh, messageEn, field,
// errors, body} (errors: every problem the server listed, [{field, code, message, message_zh,
// message_en}], or the one it named; status 0 and code "network" when no answer came). A 401 anywhere but
// the login call, or a 403 password_change_required, is handed to the handler the shell installs
// (it sends the user to the login page and remembers where they were).
//
// The CSRF token lives only in memory: it comes from the login response or GET /api/v1/session.

let csrfToken = null;
let authHandler = null;

export function setCsrf(token) { csrfToken = token || null; }
export function setAuthHandler(fn) { authHandler = fn; }

export class ApiError extends Error {
  constructor(status, body, fallback) {
    const e = (body && typeof body === 'object' && body.error) || {};
    super(e.message || fallback || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = e.code || (status === 0 ? 'network' : 'http_' + status);
    this.field = e.field || null;
    this.messageZh = e.message_zh || null;
    this.messageEn = e.message_en || null;
    this.errors = Array.isArray(e.errors) && e.errors.length ? e.errors
      : e.message ? [{ field: this.field, code: this.code, message: e.message, message_zh: e.message_zh, message_en: e.message_en }] : [];
    this.requestId = e.request_id || null;
    this.body = body;
  }
}

// Query string from an object; empty values are left out. Arrays repeat the key.
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => u.append(k, x));
    else u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function headersFor(method, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined && !(body instanceof FormData) && !(body instanceof Blob)) {
    headers['content-type'] = 'application/json';
  }
  if (WRITE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  return headers;
}

function isLogin(method, path) { return method === 'POST' && path.startsWith('/api/v1/session'); }

function failed(method, path, status, data) {
  const err = new ApiError(status, data);
  if (authHandler && !isLogin(method, path) &&
      (status === 401 || (status === 403 && err.code === 'password_change_required'))) {
    authHandler(err);
  }
  return err;
}

async function parse(res) {
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') || '';
  if (type.includes('json')) return res.json().catch(() => null);
  return res.text();
}

// One API call. body: a plain object (sent as JSON), FormData or Blob. Returns the parsed JSON
// (null for 204). opts.signal aborts.
export async function api(method, path, body, opts = {}) {
  let payload;
  if (body instanceof FormData || body instanceof Blob) payload = body;
  else if (body !== undefined) payload = JSON.stringify(body);
  let res;
  try {
    res = await fetch(path, { method, headers: headersFor(method, body), body: payload,
      credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null, '网络错误，请检查连接后重试 / network error, check the connection and retry');
  }
  const data = await parse(res);
  if (!res.ok) throw failed(method, path, res.status, data);
  return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const patch = (path, body) => api('PATCH', path, body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);

// Multipart upload with progress (fetch cannot report upload progress, XHR can).
// onProgress(fraction 0..1) is called as bytes go out. Resolves with the parsed JSON body.
export function upload(path, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    if (onProgress) {
      xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); });
    }
    xhr.addEventListener('load', () => {
      let data = null;
      try { data = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { data = xhr.responseText; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(failed('POST', path, xhr.status, data));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, null,
      '网络错误，请检查连接后重试 / network error, check the connection and retry')));
    xhr.send(formData);
  });
}

// Every page of a list (for small lists such as an enterprise's outlets); stops at max rows.
export async function getAll(path, params = {}, max = 2000) {
  const items = [];
  let cursor = '';
  for (;;) {
    const page = await get(path + qs({ ...params, limit: 500, cursor }));
    items.push(...(page.items || []));
    if (!page.next_cursor || items.length >= max) return items;
    cursor = page.next_cursor;
  }
}
