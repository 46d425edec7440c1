// Hazardous waste (危险废物) end to end, on SQLite and (ENVGOV_TEST_PG) PostgreSQL: the code table;
// a generator registers its site (class from the declared amount), a licensed receiver's site; the
// HJ 1259 ledger through a producing batch (each stage takes only what the one before left, the
// refusal names the field); a smart-scale device posts weighings and store-ins with its token,
// idempotent by event id, bad input refused with the field; the year's plan generated from last
// year's ledger and filed; a transfer manifest (14-digit number) checked against the filed plan,
// shipped (委外 records), arrived (confirmation due in 5 working days of the platform calendar),
// partly accepted with the discrepancy and closed; the warnings job raises over-capacity for the
// site and it reaches the firm's to-do; relay carriers (a leg per handover, only while shipped);
// the paper fallback within 10 working days of the shipment (refused past it, and for a year the
// calendar lacks); a cross-province manifest that cannot ship until bureau staff approve the
// firm's application on a waste_transfer case (refused with a reason, applied again, approved).
// Roles and enterprise scoping on the way.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, usccWithCheck, chinaToday, sql, Client } from './lib.mjs';

let srv, admin, inspector;
const firms = {};
const year = Number(chinaToday().slice(0, 4));

async function firm(key, name, uscc17, region = '330503') {
  let r = await admin.post('/api/v1/enterprises', { name, uscc: usccWithCheck(uscc17), region_code: region, industry_code: '3360', category: 'key' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const ent = r.json;
  const username = `hw${key}${Date.now().toString(36)}`;
  r = await admin.post('/api/v1/users', { username, display_name: `${name}联系人`, role: 'enterprise', enterprise_id: ent.id });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const u = new Client(srv.base);
  assert.equal((await u.login(username, r.json.one_time_password)).status, 200);
  assert.equal((await u.post('/api/v1/session/password', { old_password: r.json.one_time_password, new_password: 'Waste#e2e2026x' })).status, 204);
  firms[key] = { ...ent, user: u };
  return firms[key];
}

// Queue a run of the warnings job and wait for it to finish.
async function runWarnings() {
  const r = await admin.post('/api/v1/jobs/waste.warnings/run', {});
  assert.equal(r.status, 202, JSON.stringify(r.json));
  for (let i = 0; i < 100; i++) {
    await new Promise((res) => setTimeout(res, 100));
    const run = (await admin.get('/api/v1/jobs/waste.warnings/runs?limit=10')).json.items.find((x) => x.id === r.json.run_id);
    if (run && run.status !== 'queued' && run.status !== 'running') {
      assert.equal(run.status, 'ok', JSON.stringify(run));
      return run;
    }
  }
  throw new Error('the waste.warnings run did not finish');
}

async function device(base, token, body) {
  const res = await fetch(base + '/api/v1/waste/device/events', {
    method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Device ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

before(async () => {
  srv = await startServer({ enterprises: 40 });
  admin = await loginAs(srv.base, 'admin');
  inspector = await loginAs(srv.base, 'inspector');
  await firm('g', '南浔危废测试电镀有限公司', '91330503MA2HW0001');
  await firm('r', '南浔危废测试处置有限公司', '91330503MA2HW0002');
  await firm('o', '吴兴危废测试机械有限公司', '91330502MA2HW0003', '330502');
});

after(async () => { await srv?.stop(); });

// The China date n days before today (negative: after).
function daysAgo(n) {
  const d = new Date(Date.parse(chinaToday() + 'T12:00:00Z') - n * 86400000);
  return d.toISOString().slice(0, 10);
}

describe('waste', () => {
  test('the code table of the 2021 list, filtered', async () => {
    let r = await firms.g.user.get('/api/v1/waste/codes?q=900-249');
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, 1);
    assert.equal(r.json.items[0].category, 'HW08');
    assert.equal(r.json.items[0].traits, 'T/I');
    r = await firms.g.user.get('/api/v1/waste/codes?category=HW49');
    assert.ok(r.json.items.length >= 5 && r.json.items.every((c) => c.code.endsWith('-49')));
    r = await firms.g.user.get('/api/v1/waste/codes?edition=2016');
    assert.equal(r.json.items.length, 0);
  });

  test('sites: class from the amount, bad input names the field, scoping', async () => {
    let r = await firms.g.user.post('/api/v1/waste/sites', { name: '' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'name');
    r = await firms.g.user.post('/api/v1/waste/sites', { name: '一号危废库', declared_t: -1 });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'declared_t');
    r = await firms.g.user.post('/api/v1/waste/sites', { name: '一号危废库', declared_t: 12, capacity_t: 1, enterprise_id: firms.o.id });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.enterprise_id, firms.g.id, 'an enterprise registers only its own site');
    assert.equal(r.json.class, 'simplified');
    firms.g.site = r.json.id;
    r = await admin.post('/api/v1/waste/sites', { name: '处置中心', enterprise_id: firms.r.id, licensed: true, capacity_t: 800 });
    assert.equal(r.status, 201);
    assert.equal(r.json.class, 'key');
    firms.r.site = r.json.id;
    r = await admin.post('/api/v1/waste/sites', { name: '二号库', enterprise_id: firms.o.id, declared_t: 3 });
    assert.equal(r.json.class, 'registered');
    firms.o.site = r.json.id;
    assert.equal((await firms.o.user.get(`/api/v1/waste/sites/${firms.g.site}`)).status, 404);
    r = await firms.o.user.get('/api/v1/waste/sites');
    assert.deepEqual(r.json.items.map((s) => s.id), [firms.o.site]);
    r = await admin.get('/api/v1/waste/sites');
    assert.ok(r.json.items.some((s) => s.id === firms.g.site && s.class === 'simplified'));
  });

  test('ledger: each stage takes only what the one before left; links back to the batch', async () => {
    const base = `/api/v1/waste/sites/${firms.g.site}/records`;
    let r = await firms.g.user.post(base, { kind: 'generate', waste_code: '900-999-99', amount_t: 1 });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'waste_code');
    r = await firms.g.user.post(base, { kind: 'generate', waste_code: '336-064-17', amount_t: 'x' });
    assert.equal(r.json.error.field, 'amount_t');
    r = await firms.g.user.post(base, { kind: 'generate', waste_code: '336-064-17', amount_t: 1, occurred_at: '2026-13-01' });
    assert.equal(r.json.error.field, 'occurred_at');
    r = await firms.g.user.post(base, { kind: 'outsource', source_batch: 'X', amount_t: 1 });
    assert.equal(r.json.error.field, 'kind');
    r = await firms.g.user.post(base, { kind: 'generate', waste_code: '336-064-17', amount_t: 2.5, container: '1 m³ 吨袋' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const batch = r.json.batch_no;
    assert.match(batch, /^HWCS\d{8}\d{3,}$/);
    assert.equal(r.json.source_batch, batch);
    r = await firms.g.user.post(base, { kind: 'store_in', source_batch: 'HWCS19990101001', amount_t: 1 });
    assert.equal(r.json.error.field, 'source_batch');
    r = await firms.g.user.post(base, { kind: 'store_in', source_batch: batch, amount_t: 3 });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, 'amount_t');
    r = await firms.g.user.post(base, { kind: 'store_in', source_batch: batch, amount_t: 2.5 });
    assert.equal(r.status, 201);
    assert.match(r.json.batch_no, /^HWRK/);
    r = await firms.g.user.post(base, { kind: 'self_dispose', source_batch: batch, amount_t: 0.1 });
    assert.equal(r.status, 409, 'nothing is disposed of before it left the store');
    r = await firms.g.user.post(base, { kind: 'store_out', source_batch: batch, amount_t: 1 });
    assert.equal(r.status, 201);
    r = await firms.g.user.post(base, { kind: 'self_dispose', source_batch: batch, amount_t: 0.4, batch_no: 'HWZXCZ-OWN-1' });
    assert.equal(r.status, 201);
    assert.equal(r.json.batch_no, 'HWZXCZ-OWN-1');
    r = await firms.g.user.post(base, { kind: 'self_use', source_batch: batch, amount_t: 0.1, batch_no: 'HWZXCZ-OWN-1' });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, 'batch_no');
    r = await firms.g.user.get(`${base}?batch=${batch}`);
    assert.deepEqual(r.json.items.map((x) => x.kind).sort(), ['generate', 'self_dispose', 'store_in', 'store_out']);
    assert.ok(r.json.items.every((x) => x.source_batch === batch && x.waste_code === '336-064-17'));
    r = await firms.g.user.get(`/api/v1/waste/sites/${firms.g.site}`);
    assert.ok(Math.abs(r.json.in_store_t - 1.5) < 1e-6, JSON.stringify(r.json));
    assert.equal(r.json.batches.length, 1);
    assert.equal(r.json.batches[0].source_batch, batch);
    assert.ok(r.json.months.some((m) => m.kind === 'generate' && Math.abs(m.amount_t - 2.5) < 1e-6));
    assert.equal((await firms.o.user.post(base, { kind: 'generate', waste_code: '336-064-17', amount_t: 1 })).status, 404);
    assert.equal((await inspector.post(base, { kind: 'generate', waste_code: '336-064-17', amount_t: 1 })).status, 403);
    r = await admin.get(`/api/v1/audit?entity=waste_record`);
    assert.equal(r.status, 200);
    assert.ok(r.json.items.length >= 4);
  });

  test('device events: token, idempotent by event id, bad input names the field', async () => {
    let r = await firms.g.user.post(`/api/v1/waste/sites/${firms.g.site}/devices`, { name: '1号智能地磅' });
    assert.equal(r.status, 201);
    const token = r.json.token;
    assert.ok(token.length >= 20);
    r = await device(srv.base, null, { event_id: 'e1', kind: 'generate', waste_code: '900-041-49', weight_kg: 120 });
    assert.equal(r.status, 401);
    assert.equal(r.json.error.field, 'Authorization');
    r = await device(srv.base, token + 'x', { event_id: 'e1', kind: 'generate', waste_code: '900-041-49', weight_kg: 120 });
    assert.equal(r.status, 401);
    r = await device(srv.base, token, '{"event_id":');
    assert.equal(r.status, 400);
    r = await device(srv.base, token, { kind: 'generate', waste_code: '900-041-49', weight_kg: 120 });
    assert.equal(r.json.error.field, 'event_id');
    r = await device(srv.base, token, { event_id: 'e1', kind: 'self_use', source_batch: 'x', weight_kg: 1 });
    assert.equal(r.json.error.field, 'kind');
    r = await device(srv.base, token, { event_id: 'e1', kind: 'generate', waste_code: '900-041-49', weight_kg: '120' });
    assert.equal(r.json.error.field, 'weight_kg');
    r = await device(srv.base, token, { event_id: 'e 1', kind: 'generate', waste_code: '900-041-49', weight_kg: 120 });
    assert.equal(r.json.error.field, 'event_id');
    const before = (await firms.g.user.get(`/api/v1/waste/sites/${firms.g.site}/records`)).json.items.length;
    r = await device(srv.base, token, { event_id: 'e1', kind: 'generate', waste_code: '900-041-49', weight_kg: 120 });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const first = r.json;
    assert.ok(Math.abs(first.amount_t - 0.12) < 1e-9);
    r = await device(srv.base, token, { event_id: 'e1', kind: 'generate', waste_code: '900-041-49', weight_kg: 999 });
    assert.equal(r.status, 200);
    assert.equal(r.json.duplicate, true);
    assert.equal(r.json.record_id, first.record_id);
    assert.equal(r.json.batch_no, first.batch_no);
    r = await device(srv.base, token, { event_id: 'e2', kind: 'store_in', source_batch: first.batch_no, weight_kg: 200 });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, 'amount_t');
    r = await device(srv.base, token, { event_id: 'e2', kind: 'store_in', source_batch: first.batch_no, weight_kg: 120 });
    assert.equal(r.status, 201);
    const items = (await firms.g.user.get(`/api/v1/waste/sites/${firms.g.site}/records`)).json.items;
    assert.equal(items.length, before + 2, 'the repeated event added nothing');
    assert.ok(items.filter((x) => x.device_id).length === 2);
    r = await firms.g.user.get(`/api/v1/waste/sites/${firms.g.site}`);
    assert.equal(r.json.devices[0].events, 2);
    assert.ok(!JSON.stringify(r.json.devices).includes(token), 'the token is never shown again');
    const dev = r.json.devices[0].id;
    assert.equal((await firms.o.user.post(`/api/v1/waste/devices/${dev}/deactivate`, {})).status, 404);
    r = await firms.g.user.post(`/api/v1/waste/devices/${dev}/deactivate`, {});
    assert.equal(r.status, 200);
    r = await device(srv.base, token, { event_id: 'e3', kind: 'generate', waste_code: '900-041-49', weight_kg: 50 });
    assert.equal(r.status, 401, 'the token of a deactivated device no longer works');
  });

  test('plan from last year\'s ledger, filed; the manifest follows it through its states', async () => {
    const base = `/api/v1/waste/sites/${firms.g.site}/records`;
    const last = `${year - 1}-06-10 09:00`;
    let r = await firms.g.user.post(base, { kind: 'generate', waste_code: '900-249-08', amount_t: 4, occurred_at: last });
    assert.equal(r.status, 201);
    const oil = r.json.batch_no;
    assert.match(oil, new RegExp(`^HWCS${year - 1}0610`));
    await firms.g.user.post(base, { kind: 'store_in', source_batch: oil, amount_t: 4, occurred_at: last });
    r = await firms.g.user.post(`/api/v1/waste/sites/${firms.g.site}/plans`, { year: 2019 });
    assert.equal(r.json.error.field, 'year');
    r = await firms.g.user.post(`/api/v1/waste/sites/${firms.g.site}/plans`, { year });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.class, 'simplified');
    assert.equal(r.json.due_on, `${year}-03-31`);
    assert.deepEqual(Object.keys(r.json.tables).sort(), ['basic', 'generation', 'reduction', 'storage', 'transfer']);
    assert.deepEqual(r.json.tables.transfer.map((x) => [x.waste_code, x.planned_t]), [['900-249-08', 4]]);
    const plan = r.json.id;
    // a manifest needs the filed plan
    r = await firms.g.user.post('/api/v1/waste/manifests', { site_id: firms.g.site, receiver_id: firms.r.id, lines: [{ source_batch: oil, amount_t: 1 }] });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'no_plan');
    r = await firms.g.user.post(`/api/v1/waste/plans/${plan}/file`, {});
    assert.equal(r.status, 200);
    assert.match(r.json.filing_no, new RegExp(`^HWGL${year}3305\\d{5}$`));
    assert.equal((await firms.g.user.post(`/api/v1/waste/plans/${plan}/file`, {})).status, 409);
    assert.equal((await firms.g.user.post(`/api/v1/waste/sites/${firms.g.site}/plans`, { year })).status, 409);

    const body = { site_id: firms.g.site, receiver_id: firms.r.id, lines: [{ source_batch: oil, amount_t: 3 }] };
    r = await firms.g.user.post('/api/v1/waste/manifests', { ...body, receiver_id: firms.o.id });
    assert.equal(r.json.error.field, 'receiver_id', 'the receiver must hold a licence');
    r = await firms.g.user.post('/api/v1/waste/manifests', body);
    assert.equal(r.status, 409, 'nothing left the store yet');
    assert.equal(r.json.error.field, 'lines[0].amount_t');
    await firms.g.user.post(base, { kind: 'store_out', source_batch: oil, amount_t: 3 });
    const pkg = (await firms.g.user.get(`${base}?kind=generate`)).json.items.find((x) => x.waste_code === '336-064-17').batch_no;
    r = await firms.g.user.post('/api/v1/waste/manifests', { ...body, lines: [{ source_batch: pkg, amount_t: 0.1 }] });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'not_in_plan');
    assert.equal(r.json.error.field, 'lines[0].source_batch');
    r = await firms.g.user.post('/api/v1/waste/manifests', body);
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const m = r.json;
    assert.match(m.number, new RegExp(`^${year}3305\\d{6}$`));
    assert.equal(m.state, 'draft');
    assert.equal(m.plan_id, plan);
    assert.equal((await firms.r.user.post(`/api/v1/waste/manifests/${m.id}/ship`, {})).status, 403);
    r = await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/ship`, {});
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'carrier_name');
    r = await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/ship`, { carrier_name: '湖州危运公司', vehicle_no: '浙E12345', carrier_licence: '330500001' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'shipped');
    r = await firms.g.user.get(`${base}?kind=outsource`);
    assert.deepEqual(r.json.items.map((x) => [x.source_batch, x.amount_t, x.manifest_id]), [[oil, 3, m.id]]);
    assert.match(r.json.items[0].batch_no, /^HWWW/);
    assert.equal((await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/arrive`, {})).status, 403);
    r = await firms.r.user.post(`/api/v1/waste/manifests/${m.id}/arrive`, {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'arrived');
    const d = await admin.get(`/api/v1/calendar/deadline?from=${r.json.arrived_on}&workdays=5`);
    assert.equal(r.json.confirm_due, d.json.deadline, 'due 5 working days after the arrival');
    r = await firms.r.user.post(`/api/v1/waste/manifests/${m.id}/accept`, { lines: [{ accepted_t: 3.5 }], method: 'R9' });
    assert.equal(r.json.error.field, 'lines[0].accepted_t');
    r = await firms.r.user.post(`/api/v1/waste/manifests/${m.id}/accept`, { lines: [{ accepted_t: 2.8 }], method: 'R9' });
    assert.equal(r.json.error.field, 'discrepancy');
    r = await firms.r.user.post(`/api/v1/waste/manifests/${m.id}/accept`, { lines: [{ accepted_t: 2.8 }], method: 'R9 再提炼', discrepancy: '过磅少 0.2 吨' });
    assert.equal(r.status, 200);
    assert.equal(r.json.state, 'partly_accepted');
    assert.equal(r.json.late, false);
    // the 0.2 t not taken is back in the shipper's store, linked to its batch and the manifest
    r = await firms.g.user.get(`${base}?kind=returned`);
    assert.deepEqual(r.json.items.map((x) => [x.source_batch, Math.round(x.amount_t * 1000) / 1000, x.manifest_id]), [[oil, 0.2, m.id]]);
    assert.match(r.json.items[0].batch_no, /^HWTH/);
    r = await firms.g.user.get(`/api/v1/waste/sites/${firms.g.site}`);
    assert.ok(Math.abs(r.json.batches.find((x) => x.source_batch === oil).in_store_t - 1.2) < 1e-6, JSON.stringify(r.json.batches));
    assert.equal((await firms.r.user.post(`/api/v1/waste/manifests/${m.id}/close`, {})).json.error.field, 'disposal_result');
    r = await firms.r.user.post(`/api/v1/waste/manifests/${m.id}/close`, { disposal_result: '已再生利用 2.8 吨' });
    assert.equal(r.json.state, 'closed');
    r = await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/ship`, {});
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, 'state');
    // both parties see it; another firm does not
    assert.ok((await firms.r.user.get('/api/v1/waste/manifests')).json.items.some((x) => x.id === m.id));
    assert.equal((await firms.o.user.get('/api/v1/waste/manifests')).json.items.length, 0);
    assert.equal((await firms.o.user.get(`/api/v1/waste/manifests/${m.id}`)).status, 404);
  });

  test('reports by class: the period\'s sums per code and the stock at its end', async () => {
    const month = chinaToday().slice(0, 7);
    let r = await firms.g.user.get(`/api/v1/waste/sites/${firms.g.site}/reports?period=${month}`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.class, 'simplified');
    assert.equal(r.json.required, false, 'a simplified site reports by quarter, not month');
    const row = r.json.rows.find((x) => x.waste_code === '336-064-17');
    assert.deepEqual([row.generated_t, row.stored_in_t, row.disposed_t], [2.5, 2.5, 0.4]);
    const q = Math.floor((Number(month.slice(5)) - 1) / 3) + 1;
    r = await firms.g.user.get(`/api/v1/waste/sites/${firms.g.site}/reports?period=${year}-Q${q}`);
    assert.equal(r.json.required, true);
    assert.match(r.json.due_on, /-15$/);
    r = await firms.g.user.get(`/api/v1/waste/sites/${firms.g.site}/reports?period=${year - 1}`);
    const oil = r.json.rows.find((x) => x.waste_code === '900-249-08');
    assert.deepEqual([oil.generated_t, oil.end_store_t], [4, 4], 'last year: 4 t generated and still in store at its end');
    assert.equal(r.json.due_on, `${year}-03-31`);
    r = await firms.g.user.get(`/api/v1/waste/sites/${firms.g.site}/reports?period=${year}-Q5`);
    assert.equal(r.json.error.field, 'period');
    assert.equal((await firms.o.user.get(`/api/v1/waste/sites/${firms.g.site}/reports?period=${year}`)).status, 404);
  });

  test('warnings: over capacity reaches the firm\'s to-do; resolved when no longer true', async () => {
    // 2 t more of 900-249-08 handed over this year: 4.8 t (3 - 0.2 returned + 2) against the plan's 4 t
    const base0 = `/api/v1/waste/sites/${firms.g.site}/records`;
    let r = await firms.g.user.post(base0, { kind: 'generate', waste_code: '900-249-08', amount_t: 1 });
    const fresh = r.json.batch_no;
    await firms.g.user.post(base0, { kind: 'store_in', source_batch: fresh, amount_t: 1 });
    await firms.g.user.post(base0, { kind: 'store_out', source_batch: fresh, amount_t: 1 });
    const oil = (await firms.g.user.get(`${base0}?kind=generate`)).json.items.find((x) => x.occurred_at.startsWith(String(year - 1))).batch_no;
    await firms.g.user.post(base0, { kind: 'store_out', source_batch: oil, amount_t: 1 });
    r = await firms.g.user.post('/api/v1/waste/manifests', { site_id: firms.g.site, receiver_id: firms.r.id, carrier_name: '湖州危运公司', vehicle_no: '浙E12345', carrier_licence: '330500001',
      lines: [{ source_batch: fresh, amount_t: 1 }, { source_batch: oil, amount_t: 1 }] });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const late = r.json;
    assert.equal((await firms.g.user.post(`/api/v1/waste/manifests/${late.id}/ship`, {})).status, 200);
    assert.equal((await firms.r.user.post(`/api/v1/waste/manifests/${late.id}/arrive`, {})).status, 200);
    // its confirmation fell due long ago (the clock itself is checked above)
    sql(srv.dir, `UPDATE waste_manifests SET confirm_due = '2020-01-02' WHERE id = ${late.id}`);
    // generated five days ago and never stored in: a gap in the ledger
    const ago = new Date(Date.now() + 8 * 3600e3 - 5 * 86400e3).toISOString().slice(0, 10);
    r = await firms.g.user.post(base0, { kind: 'generate', waste_code: '900-041-49', amount_t: 0.2, occurred_at: `${ago} 10:00` });
    const lying = r.json.batch_no;
    const run = await runWarnings();
    assert.match(run.note, /open/);
    r = await firms.g.user.get('/api/v1/waste/warnings');
    const off = r.json.items.find((x) => x.kind === 'off_plan');
    assert.ok(off && off.ref === '900-249-08' && off.detail.includes('4.800'), JSON.stringify(r.json));
    const gap = r.json.items.find((x) => x.kind === 'ledger_gap');
    assert.ok(gap && gap.ref === lying, JSON.stringify(r.json));
    const unc = r.json.items.find((x) => x.kind === 'unconfirmed');
    assert.ok(unc && unc.ref === late.number, JSON.stringify(r.json));
    // the receiver sees it too; confirming late is accepted, marked late, and the warning resolves
    assert.ok((await firms.r.user.get('/api/v1/waste/manifests')).json.items.some((x) => x.id === late.id));
    const acc = await firms.r.user.post(`/api/v1/waste/manifests/${late.id}/accept`, { lines: [{ accepted_t: 1 }, { accepted_t: 1 }], method: 'R9' });
    assert.equal(acc.json.state, 'accepted');
    assert.equal(acc.json.late, true);
    const w = r.json.items.find((x) => x.kind === 'over_capacity');
    assert.ok(w, JSON.stringify(r.json));
    assert.equal(w.site_id, firms.g.site);
    assert.ok(r.json.items.every((x) => x.enterprise_id === firms.g.id));
    r = await firms.g.user.get('/api/v1/todo');
    assert.ok(JSON.stringify(r.json).includes('"source":"waste"'), JSON.stringify(r.json).slice(0, 400));
    assert.equal((await firms.o.user.get('/api/v1/waste/warnings')).json.items.length, 0);
    // take the stock down below the 1 t capacity: the warning resolves on the next run
    const base = `/api/v1/waste/sites/${firms.g.site}/records`;
    const site = (await firms.g.user.get(`/api/v1/waste/sites/${firms.g.site}`)).json;
    for (const b of site.batches) {
      r = await firms.g.user.post(base, { kind: 'store_out', source_batch: b.source_batch, amount_t: b.in_store_t });
      assert.equal(r.status, 201, JSON.stringify(r.json));
    }
    await runWarnings();
    r = await firms.g.user.get('/api/v1/waste/warnings');
    assert.equal(r.json.items.filter((x) => x.kind === 'over_capacity').length, 0);
    assert.equal(r.json.items.filter((x) => x.kind === 'unconfirmed').length, 0);
  });

  test('relay carriers: each handover a leg, only while shipped, recorded by the shipper', async () => {
    const base = `/api/v1/waste/sites/${firms.g.site}/records`;
    const when = daysAgo(20) + ' 08:00';
    let r = await firms.g.user.post(base, { kind: 'generate', waste_code: '900-249-08', amount_t: 6, occurred_at: when });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const b = r.json.batch_no;
    await firms.g.user.post(base, { kind: 'store_in', source_batch: b, amount_t: 6, occurred_at: when });
    assert.equal((await firms.g.user.post(base, { kind: 'store_out', source_batch: b, amount_t: 6 })).status, 201);
    firms.g.relayBatch = b;
    r = await firms.g.user.post('/api/v1/waste/manifests', { site_id: firms.g.site, receiver_id: firms.r.id, carrier_name: '湖州危运公司', vehicle_no: '浙E12345', carrier_licence: '330500001', lines: [{ source_batch: b, amount_t: 1 }] });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const m = r.json;
    assert.equal(m.cross_province, 0);
    const leg = { carrier_name: '嘉兴危运公司', vehicle_no: '浙F54321', carrier_licence: '330400002', handover_place: '嘉兴中转站' };
    r = await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/handover`, leg);
    assert.equal(r.status, 409, 'a draft has no carrier to hand over from');
    assert.equal(r.json.error.field, 'state');
    assert.equal((await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/ship`, {})).status, 200);
    r = await firms.g.user.get(`/api/v1/waste/manifests/${m.id}`);
    assert.deepEqual(r.json.legs.map((l) => [l.leg_no, l.vehicle_no]), [[1, '浙E12345']]);
    assert.equal((await firms.r.user.post(`/api/v1/waste/manifests/${m.id}/handover`, leg)).status, 403, 'the receiver does not record handovers');
    r = await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/handover`, { ...leg, handover_place: '' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'handover_place');
    r = await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/handover`, { ...leg, handed_over_at: '2099-01-01 08:00' });
    assert.equal(r.json.error.field, 'handed_over_at', 'not in the future');
    r = await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/handover`, { ...leg, handed_over_at: '2021-01-04 08:00' });
    assert.equal(r.status, 409, 'not before the last leg began');
    assert.equal(r.json.error.field, 'handed_over_at');
    r = await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/handover`, leg);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'shipped', 'a relay keeps the manifest shipped');
    assert.equal(r.json.vehicle_no, '浙F54321', 'the current carrier is the last leg\'s');
    assert.deepEqual(r.json.legs.map((l) => [l.leg_no, l.vehicle_no, l.handover_place]), [[1, '浙E12345', ''], [2, '浙F54321', '嘉兴中转站']]);
    const audit = await admin.get(`/api/v1/audit?entity=waste_manifest&entity_id=${m.id}`);
    assert.ok(audit.json.items.some((a) => a.action === 'waste_handover'), JSON.stringify(audit.json));
    assert.equal((await firms.r.user.post(`/api/v1/waste/manifests/${m.id}/arrive`, {})).status, 200);
    r = await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/handover`, leg);
    assert.equal(r.status, 409, 'arrived: no more relays');
  });

  test('paper fallback: within 10 working days of the shipment, on the platform calendar', async () => {
    const b = firms.g.relayBatch;
    const body = { site_id: firms.g.site, receiver_id: firms.r.id, paper_no: `ZZ${Date.now()}`, carrier_name: '湖州危运公司', vehicle_no: '浙E12345', reason: '系统故障，现场使用纸质联单', shipped_on: daysAgo(2), lines: [{ source_batch: b, amount_t: 1.5 }] };
    let r = await firms.g.user.post('/api/v1/waste/paper-manifests', { ...body, paper_no: '' });
    assert.equal(r.json.error.field, 'paper_no');
    r = await firms.g.user.post('/api/v1/waste/paper-manifests', { ...body, shipped_on: '2026-02-30x' });
    assert.equal(r.json.error.field, 'shipped_on');
    r = await firms.g.user.post('/api/v1/waste/paper-manifests', { ...body, shipped_on: daysAgo(-3) });
    assert.equal(r.status, 422, 'not a shipment in the future');
    assert.equal(r.json.error.field, 'shipped_on');
    // past the 10th working day after the shipment
    const old = daysAgo(40);
    const d = await admin.get(`/api/v1/calendar/deadline?from=${old}&workdays=10`);
    assert.ok(d.json.deadline < chinaToday());
    r = await firms.g.user.post('/api/v1/waste/paper-manifests', { ...body, shipped_on: old });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'past_limit');
    assert.equal(r.json.error.field, 'shipped_on');
    assert.ok(r.json.error.message.includes(d.json.deadline), r.json.error.message);
    // a year the calendar lacks answers as the 5-day clock does
    r = await firms.g.user.post('/api/v1/waste/paper-manifests', { ...body, shipped_on: '2019-06-03' });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'no_calendar');
    assert.equal(r.json.error.field, 'shipped_on');
    r = await firms.g.user.post('/api/v1/waste/paper-manifests', { ...body, lines: [{ source_batch: b, amount_t: 99 }] });
    assert.equal(r.json.error.field, 'lines[0].amount_t');
    r = await firms.g.user.post('/api/v1/waste/paper-manifests', { ...body, receiver_id: firms.o.id });
    assert.equal(r.json.error.field, 'receiver_id');
    r = await firms.o.user.post('/api/v1/waste/paper-manifests', body);
    assert.equal(r.json.error.field, 'site_id', 'another firm cannot enter for this site');
    r = await firms.g.user.post('/api/v1/waste/paper-manifests', body);
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const p = r.json;
    const due = await admin.get(`/api/v1/calendar/deadline?from=${body.shipped_on}&workdays=10`);
    assert.equal(p.entry_due, due.json.deadline);
    assert.equal(p.amount_t, 1.5);
    assert.deepEqual(p.lines.map((l) => [l.source_batch, l.waste_code, l.amount_t]), [[b, '900-249-08', 1.5]]);
    r = await firms.g.user.post('/api/v1/waste/paper-manifests', body);
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, 'paper_no');
    // the lines left the store as 委外 records of the batch on the shipment's day
    r = await firms.g.user.get(`/api/v1/waste/sites/${firms.g.site}/records?kind=outsource`);
    const rec = r.json.items.find((x) => x.source_batch === b && x.note === `纸质联单 ${body.paper_no}`);
    assert.ok(rec, JSON.stringify(r.json.items));
    assert.equal(rec.amount_t, 1.5);
    assert.equal(String(rec.occurred_at).slice(0, 10), body.shipped_on);
    // listed for the shipper and the receiver, not another firm
    assert.ok((await firms.g.user.get('/api/v1/waste/paper-manifests')).json.items.some((x) => x.id === p.id));
    assert.ok((await firms.r.user.get('/api/v1/waste/paper-manifests')).json.items.some((x) => x.id === p.id));
    assert.equal((await firms.o.user.get('/api/v1/waste/paper-manifests')).json.items.length, 0);
  });

  test('cross-province: no shipping before the approval on a case; refused with a reason, then approved', async () => {
    const x = await firm('x', '苏州危废测试处置有限公司', '91330503MA2HW0009');
    let r = await admin.post('/api/v1/waste/sites', { name: '苏州处置中心', enterprise_id: x.id, licensed: true, capacity_t: 500 });
    assert.equal(r.status, 201);
    // the receiver is in 江苏 (32): the platform knows it by its region code
    sql(srv.dir, `INSERT INTO regions (code, name, parent_code, level) VALUES ('320505', '苏州市虎丘区', NULL, 3)`);
    sql(srv.dir, `UPDATE enterprises SET region_code = '320505' WHERE id = ${x.id}`);
    const b = firms.g.relayBatch;
    const carrier = { carrier_name: '湖州危运公司', vehicle_no: '浙E12345', carrier_licence: '330500001' };
    r = await firms.g.user.post('/api/v1/waste/manifests', { site_id: firms.g.site, receiver_id: x.id, ...carrier, lines: [{ source_batch: b, amount_t: 1 }] });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const m = r.json;
    assert.equal(m.cross_province, 1);
    assert.equal(m.approval_state, '');
    r = await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/ship`, {});
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'approval_required');
    assert.equal(r.json.error.field, 'approval_state');
    r = await firms.g.user.post(`/api/v1/waste/paper-manifests`, { site_id: firms.g.site, receiver_id: x.id, paper_no: `ZX${Date.now()}`, carrier_name: 'a', vehicle_no: 'b', reason: 'c', shipped_on: daysAgo(1), lines: [{ source_batch: b, amount_t: 0.1 }] });
    assert.equal(r.json.error.code, 'cross_province', 'no paper way around the approval');
    // a same-province manifest needs none
    const local = (await firms.g.user.post('/api/v1/waste/manifests', { site_id: firms.g.site, receiver_id: firms.r.id, ...carrier, lines: [{ source_batch: b, amount_t: 0.5 }] })).json;
    r = await firms.g.user.post(`/api/v1/waste/manifests/${local.id}/approval`, {});
    assert.equal(r.json.error.code, 'not_cross_province');
    assert.equal((await x.user.post(`/api/v1/waste/manifests/${m.id}/approval`, {})).status, 403, 'the receiver does not apply');
    r = await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/approval`, {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.approval_state, 'applied');
    const caseId = r.json.approval_case_id;
    assert.ok(caseId > 0);
    assert.equal((await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/approval`, {})).json.error.field, 'approval_state');
    assert.equal((await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/ship`, {})).json.error.code, 'approval_required', 'applied is not approved');
    const approver = await loginAs(srv.base, 'approver');
    let c = await approver.get(`/api/v1/cases/${caseId}`);
    assert.equal(c.status, 200, JSON.stringify(c.json));
    assert.equal(c.json.type, 'waste_transfer');
    assert.equal(c.json.state, 'submitted');
    // the clock: 20 working days from the rule set (arts. 25-27), its source named
    assert.equal(c.json.limit_n, 20, JSON.stringify(c.json));
    assert.equal(c.json.unit, 'workdays');
    assert.ok(String(c.json.limit_source).includes('crossprov_workdays'), JSON.stringify(c.json));
    // the firm cannot approve its own transfer
    r = await firms.g.user.post(`/api/v1/cases/${caseId}/transitions`, { action: 'approve' });
    assert.ok(r.status === 403 || r.status === 404, String(r.status));
    r = await approver.post(`/api/v1/cases/${caseId}/transitions`, { action: 'refuse' });
    assert.equal(r.status, 422, 'a refusal needs its reason');
    assert.equal(r.json.error.field, 'note');
    r = await approver.post(`/api/v1/cases/${caseId}/transitions`, { action: 'refuse', note: '接受单位许可证经营类别不含 HW08' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    r = await firms.g.user.get(`/api/v1/waste/manifests/${m.id}`);
    assert.equal(r.json.approval_state, 'refused');
    assert.equal(r.json.approval_note, '接受单位许可证经营类别不含 HW08');
    assert.equal((await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/ship`, {})).status, 409);
    // apply again: a new case; approved, it ships
    r = await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/approval`, {});
    assert.equal(r.status, 200);
    const second = r.json.approval_case_id;
    assert.notEqual(second, caseId);
    r = await approver.post(`/api/v1/cases/${second}/transitions`, { action: 'approve' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    r = await firms.g.user.get(`/api/v1/waste/manifests/${m.id}`);
    assert.equal(r.json.approval_state, 'approved');
    const au = await admin.get(`/api/v1/audit?entity=waste_manifest&entity_id=${m.id}`);
    assert.deepEqual(['approval_apply', 'approval_refused', 'approval_granted'].filter((a) => au.json.items.some((e) => e.action === a)), ['approval_apply', 'approval_refused', 'approval_granted']);
    r = await firms.g.user.post(`/api/v1/waste/manifests/${m.id}/ship`, {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'shipped');
  });

  test('the server still answers after malformed input', async () => {
    const r = await device(srv.base, 'nonsense', '\u0000\u0001');
    assert.ok(r.status >= 400);
    assert.equal((await admin.get('/api/v1/waste/sites')).status, 200);
  });
});
