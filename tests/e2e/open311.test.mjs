// Open311 GeoReport v2 conformance, written from the spec (http://wiki.open311.org/GeoReport_v2):
// every endpoint in XML and JSON with the same content, ISO-8601 times with a time zone, errors
// as a list of {code, description} with 400 / 403 / 404, the 90-day window of GET requests, the
// confidential ("blackbox") service hidden, POST → GET round trip, a bad api_key → 403.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs } from './lib.mjs';
import { nextYearCalendar } from './request_lib.mjs';

let srv, admin, key;

before(async () => {
  srv = await startServer({ enterprises: 20 });
  admin = await loginAs(srv.base, 'admin');
  const k = await admin.post('/api/v1/open311/keys', { name: 'e2e app', per_minute: 1000 });
  assert.equal(k.status, 201);
  key = k.json.api_key;
  assert.ok(key && key.length >= 20);
  await nextYearCalendar(admin);
});
after(async () => { await srv.stop(); });

const get = (p) => fetch(srv.base + p).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), text: await r.text() }));
function post(fmt, fields) {
  return fetch(`${srv.base}/open311/v2/requests.${fmt}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  }).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), text: await r.text() }));
}

// A minimal XML reader for the documents Open311 returns: elements, text, no attributes.
function parseXml(s) {
  s = s.replace(/^<\?xml[^>]*\?>/, '');
  let i = 0;
  function node() {
    const m = /^<([A-Za-z_][\w.-]*)>/.exec(s.slice(i));
    assert.ok(m, `element expected at ${s.slice(i, i + 40)}`);
    i += m[0].length;
    const name = m[1];
    const kids = [];
    let text = '';
    for (;;) {
      if (s.startsWith(`</${name}>`, i)) { i += name.length + 3; break; }
      if (s[i] === '<') kids.push(node());
      else { const j = s.indexOf('<', i); text += s.slice(i, j); i = j; }
    }
    return { name, kids, text: text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&') };
  }
  const root = node();
  assert.equal(i, s.length, 'one root element');
  return root;
}

// The JSON a list/obj element stands for, by the spec's shapes: a list of same-named children
// is an array; an element with children is an object; a leaf is its text.
const LISTS = new Set(['services', 'service_requests', 'errors', 'attributes', 'values', 'endpoints', 'formats']);
function toJson(n) {
  if (LISTS.has(n.name)) return n.kids.map(toJson);
  if (!n.kids.length) return n.text;
  const o = {};
  for (const k of n.kids) o[k.name] = toJson(k);
  return o;
}
// JSON values as the XML shows them (numbers and booleans as text, null as empty).
function flat(v) {
  if (Array.isArray(v)) return v.map(flat);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, flat(x)]));
  return v === null ? '' : String(v);
}
async function same(path) {
  const [p, q] = path.split('?');
  const j = await get(`${p}.json${q ? `?${q}` : ''}`);
  const x = await get(`${p}.xml${q ? `?${q}` : ''}`);
  assert.equal(j.status, x.status, path);
  assert.match(j.type, /application\/json/);
  assert.match(x.type, /text\/xml/);
  const json = JSON.parse(j.text);
  assert.deepEqual(toJson(parseXml(x.text)), flat(json), `${path}: XML and JSON differ`);
  return { status: j.status, json };
}
const ISO_TZ = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

test('discovery lists the v2 endpoint in both formats', async () => {
  const { status, json } = await same('/open311/v2/discovery');
  assert.equal(status, 200);
  assert.equal(json.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.deepEqual(json.endpoints[0].formats, ['text/xml', 'application/json']);
  assert.match(json.changeset, ISO_TZ);
});

test('services: the public ones, never the confidential (blackbox) one', async () => {
  const { status, json } = await same('/open311/v2/services');
  assert.equal(status, 200);
  const codes = json.map((s) => s.service_code);
  assert.ok(codes.includes('noise') && codes.includes('air'));
  assert.ok(!codes.includes('confidential'), 'blackbox service listed');
  for (const s of json) {
    assert.equal(s.metadata, true);
    assert.equal(s.type, 'realtime');
    assert.ok(s.service_name);
  }
});

test('service definition with attributes; unknown and blackbox codes are 404 lists of errors', async () => {
  const { status, json } = await same('/open311/v2/services/noise');
  assert.equal(status, 200);
  assert.equal(json.service_code, 'noise');
  assert.ok(json.attributes.length >= 1);
  const a = json.attributes[0];
  for (const k of ['variable', 'code', 'datatype', 'required', 'order', 'description', 'values']) assert.ok(k in a, k);
  assert.ok(a.values.every((v) => v.key && v.name));
  for (const code of ['nosuch', 'confidential']) {
    const e = await same(`/open311/v2/services/${code}`);
    assert.equal(e.status, 404);
    assert.equal(e.json[0].code, 404);
    assert.ok(e.json[0].description);
  }
});

test('POST requests: api_key required and checked (403), service_code (400 / 404), a location (400)', async () => {
  for (const fmt of ['json', 'xml']) {
    const none = await post(fmt, { service_code: 'noise', lat: '30.9', long: '119.9' });
    assert.equal(none.status, 403);
    const bad = await post(fmt, { api_key: 'not-a-key', service_code: 'noise', lat: '30.9', long: '119.9' });
    assert.equal(bad.status, 403);
    if (fmt === 'json') assert.equal(JSON.parse(bad.text)[0].code, 403);
    else assert.equal(toJson(parseXml(bad.text))[0].code, '403');
  }
  assert.equal((await post('json', { api_key: key, lat: '30.9', long: '119.9' })).status, 400);
  assert.equal((await post('json', { api_key: key, service_code: 'nosuch', lat: '30.9', long: '119.9' })).status, 404);
  assert.equal((await post('json', { api_key: key, service_code: 'noise', description: 'x' })).status, 400);
  assert.equal((await post('json', { api_key: key, service_code: 'noise', lat: '91', long: '119.9' })).status, 400);
  assert.equal((await post('json', { api_key: key, service_code: 'noise', lat: '30.9' })).status, 400);
});

test('a deactivated key is refused', async () => {
  const k = await admin.post('/api/v1/open311/keys', { name: 'old app' });
  assert.equal(k.status, 201);
  assert.equal((await post('json', { api_key: k.json.api_key, service_code: 'odor', address_string: '某路' })).status, 201);
  assert.equal((await admin.post(`/api/v1/open311/keys/${k.json.id}/deactivate`, {})).status, 200);
  assert.equal((await post('json', { api_key: k.json.api_key, service_code: 'odor', address_string: '某路' })).status, 403);
  const list = await admin.get('/api/v1/open311/keys');
  assert.ok(list.json.items.every((x) => !('key_hash' in x) && !('api_key' in x)), 'the key is shown once only');
});

test('POST → token → GET round trip, in both formats, with times in a time zone', async () => {
  const made = await post('json', { api_key: key, service_code: 'noise', lat: '30.95', long: '119.95',
    description: '夜间 <施工> & 噪声', address_string: '长兴县某路 1 号', email: 'a@example.com',
    first_name: '明', last_name: '王', phone: '13800000001', 'attribute[time_of_day]': 'night' });
  assert.equal(made.status, 201, made.text);
  const [r0] = JSON.parse(made.text);
  assert.ok(r0.service_request_id && r0.token);
  const t = await same(`/open311/v2/tokens/${r0.token}`);
  assert.equal(t.status, 200);
  assert.equal(t.json[0].service_request_id, r0.service_request_id);
  const one = await same(`/open311/v2/requests/${r0.service_request_id}`);
  assert.equal(one.status, 200);
  const r = one.json[0];
  assert.equal(r.service_code, 'noise');
  assert.equal(r.status, 'open');
  assert.match(r.description, /夜间 <施工> & 噪声/);
  assert.match(r.requested_datetime, ISO_TZ);
  assert.match(r.updated_datetime, ISO_TZ);
  assert.equal(r.lat, 30.95);
  assert.equal(r.long, 119.95);
  const text = JSON.stringify(one.json);
  assert.ok(!text.includes('13800000001') && !text.includes('a@example.com') && !text.includes('王'),
    'contact details must not be published');
  const xmlPost = await post('xml', { api_key: key, service_code: 'air', address_string: '长兴县某厂' });
  assert.equal(xmlPost.status, 201);
  const xr = toJson(parseXml(xmlPost.text));
  assert.ok(xr[0].service_request_id);
  const list = await same('/open311/v2/requests');
  assert.ok(list.json.some((x) => x.service_request_id === r0.service_request_id));
  assert.ok(list.json.some((x) => x.service_request_id === xr[0].service_request_id));
  const ids = await same(`/open311/v2/requests?service_request_id=${r0.service_request_id},${xr[0].service_request_id}`);
  assert.equal(ids.json.length, 2);
  const byCode = await same('/open311/v2/requests?service_code=air');
  assert.ok(byCode.json.every((x) => x.service_code === 'air') && byCode.json.length >= 1);
});

test('blackbox: a confidential report is taken but never shown', async () => {
  const made = await post('json', { api_key: key, service_code: 'confidential', address_string: '某企业暗管' });
  assert.equal(made.status, 201);
  const [r] = JSON.parse(made.text);
  assert.equal((await get(`/open311/v2/requests/${r.service_request_id}.json`)).status, 404);
  assert.equal((await get(`/open311/v2/tokens/${r.token}.json`)).status, 404);
  const all = JSON.parse((await get('/open311/v2/requests.json')).text);
  assert.ok(!all.some((x) => x.service_request_id === r.service_request_id || x.service_code === 'confidential'));
  assert.equal((await get('/open311/v2/requests.json?service_code=confidential')).status, 404);
});

test('states map to open / closed with the detail in status_notes', async () => {
  const made = await post('json', { api_key: key, service_code: 'water', lat: '30.90', long: '119.90' });
  const [r] = JSON.parse(made.text);
  const list = await admin.get(`/api/v1/requests?q=${r.service_request_id}`);
  const id = list.json.items[0].id;
  for (const [action, extra] of [['accept', {}], ['dispatch', {}], ['close', { answer: '经查，排污口已封堵。' }]]) {
    const m = await admin.post(`/api/v1/requests/${id}/actions`, { action, ...extra });
    assert.equal(m.status, 200, JSON.stringify(m.json));
  }
  const one = await same(`/open311/v2/requests/${r.service_request_id}`);
  assert.equal(one.json[0].status, 'closed');
  assert.match(one.json[0].status_notes, /排污口已封堵/);
  const open = JSON.parse((await get('/open311/v2/requests.json?status=open')).text);
  assert.ok(!open.some((x) => x.service_request_id === r.service_request_id));
  const closed = JSON.parse((await get('/open311/v2/requests.json?status=closed')).text);
  assert.ok(closed.some((x) => x.service_request_id === r.service_request_id));
  assert.equal((await get('/open311/v2/requests.json?status=maybe')).status, 400);
});

test('GET requests: the 90-day window, dates need a time zone, errors are 400 lists', async () => {
  const now = Date.now();
  const iso = (t) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
  const ok = await get(`/open311/v2/requests.json?start_date=${iso(now - 89 * 86400e3)}&end_date=${encodeURIComponent(iso(now + 60e3))}`);
  assert.equal(ok.status, 200);
  assert.ok(JSON.parse(ok.text).length >= 1);
  const wide = await get(`/open311/v2/requests.json?start_date=${iso(now - 91 * 86400e3)}&end_date=${iso(now)}`);
  assert.equal(wide.status, 400);
  assert.equal(JSON.parse(wide.text)[0].code, 400);
  const wideXml = await get(`/open311/v2/requests.xml?start_date=${iso(now - 91 * 86400e3)}`);
  assert.equal(wideXml.status, 400);
  assert.equal(toJson(parseXml(wideXml.text))[0].code, '400');
  assert.equal((await get('/open311/v2/requests.json?start_date=2026-12-01T00:00:00')).status, 400, 'no time zone');
  assert.equal((await get('/open311/v2/requests.json?start_date=yesterday')).status, 400);
  const reversed = await get(`/open311/v2/requests.json?start_date=${iso(now)}&end_date=${iso(now - 86400e3)}`);
  assert.equal(reversed.status, 400);
  // a window in the past holds none of today's requests; an offset time zone is understood
  const past = await get('/open311/v2/requests.json?start_date=2020-01-01T00:00:00%2B08:00&end_date=2020-03-01T00:00:00%2B08:00');
  assert.equal(past.status, 200);
  assert.deepEqual(JSON.parse(past.text), []);
  assert.equal((await get('/open311/v2/requests/TS2222222222.json')).status, 404);
  assert.equal((await get('/open311/v2/requests/1.json')).status, 404);
  assert.equal((await get('/open311/v2/requests.json?service_request_id=bad')).status, 400);
});
