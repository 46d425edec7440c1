// The rectification workflow on the rectify hub (src/rectify/workflow.c, orders_api.c): staff
// issue an order from a problem (bad input names the field) with a working-day deadline on the
// calendar (over the 2027 New Year holiday once that year is loaded); the enterprise submits
// evidence (text and attachments on the order), the verifier returns it with a reason, the
// enterprise resubmits, the verifier verifies: a credit event rectification_verified, and the
// problem closes when all its orders are verified; verified after the due date is
// late_rectification; an overdue order's case escalates through the engine's sweep; another
// enterprise can neither see nor submit; another inspector may not verify; the board filters,
// sorts and pages.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, sql, chinaToday, Client } from './lib.mjs';

let srv, admin, inspector, leader, zf, ent, own;
const pick = {};
const today = chinaToday();

async function enterpriseUser(entId, name) {
  const r = await admin.post('/api/v1/users', { username: name, display_name: `整改测试 ${name}`, role: 'enterprise', enterprise_id: entId });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const u = new Client(srv.base);
  assert.equal((await u.login(name, r.json.one_time_password)).status, 200);
  assert.equal((await u.post('/api/v1/session/password', { old_password: r.json.one_time_password, new_password: 'Rectify#e2e2026x' })).status, 204);
  return u;
}

// A problem at the firm through a local patrol round (the patrol module), its id.
async function problem(desc) {
  const r = await inspector.post('/api/v1/patrol/rounds', { enterprise_id: pick.firm, problems: [{ category: 'facility', description: desc }] });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json.problem_ids[0];
}

async function issue(pid, body = {}) {
  const r = await inspector.post(`/api/v1/problems/${pid}/orders`, { requirement: '修复废气收集罩并提交照片', workdays: 5, ...body });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
}

// The n-th working day after day (YYYY-MM-DD) over weekends and the given holidays / make-up days.
function addWorkdays(day, n, holidays, makeup) {
  const d = new Date(`${day}T00:00:00Z`);
  while (n > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const s = d.toISOString().slice(0, 10);
    const wd = d.getUTCDay();
    if (makeup.has(s) || (wd !== 0 && wd !== 6 && !holidays.has(s))) n--;
  }
  return d.toISOString().slice(0, 10);
}

const credit = (oid) => sql(srv.dir, `SELECT type FROM credit_events WHERE source = 'rectify_order' AND source_id = ${oid}`);

describe('rectification workflow', () => {
  before(async () => {
    srv = await startServer({ enterprises: 40 });
    [admin, inspector, leader, ent] = await Promise.all(['admin', 'inspector', 'leader', 'enterprise'].map((u) => loginAs(srv.base, u)));
    zf = await loginAs(srv.base, 'zf01');
    const me = inspector.user;
    const region = sql(srv.dir, `SELECT region_code FROM org_unit_regions WHERE org_unit_id = ${me.org_unit_id} LIMIT 1`);
    pick.firm = Number(sql(srv.dir, `SELECT id FROM enterprises WHERE region_code LIKE '${region}%' AND id <> ${ent.user.enterprise_id} AND status = 'active' ORDER BY id LIMIT 1`));
    own = await enterpriseUser(pick.firm, `rf${Date.now().toString(36)}`);
    assert.equal(Number(sql(srv.dir, `SELECT org_unit_id FROM users WHERE username = 'zf01'`)), me.org_unit_id, 'zf01 is in the inspector\'s unit');
  });
  after(async () => { await srv?.stop(); });

  test('issue: bad input names the field; the order opens a case with a working-day deadline', async () => {
    const pid = await problem('废气收集罩破损');
    let r = await inspector.post(`/api/v1/problems/${pid}/orders`, { workdays: 5 });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'requirement');
    r = await inspector.post(`/api/v1/problems/${pid}/orders`, { requirement: 'x', workdays: 0 });
    assert.equal(r.json.error.field, 'workdays');
    r = await inspector.post(`/api/v1/problems/${pid}/orders`, { requirement: 'x', workdays: 'five' });
    assert.equal(r.json.error.field, 'workdays');
    r = await own.post(`/api/v1/problems/${pid}/orders`, { requirement: 'x' });
    assert.equal(r.status, 403);
    r = await inspector.post('/api/v1/problems/999999/orders', { requirement: 'x' });
    assert.equal(r.status, 404);
    const o = await issue(pid);
    assert.equal(o.status, 'issued');
    assert.equal(o.problem_id, pid);
    assert.ok(o.case_id > 0);
    assert.equal(o.verifier_user_id, inspector.user.id);
    const holidays = new Set(), makeup = new Set();
    assert.equal(o.due_on, addWorkdays(today, 5, holidays, makeup));
    assert.equal(sql(srv.dir, `SELECT type || '|' || state FROM cases WHERE id = ${o.case_id}`), 'rectification|issued');
    assert.equal(sql(srv.dir, `SELECT status FROM problems WHERE id = ${pid}`), 'rectifying');
    pick.order = o;
    pick.problem = pid;
  });

  test('another enterprise can neither see nor submit; the enterprise sees its own', async () => {
    const o = pick.order;
    const mine = (await own.get('/api/v1/rectify/orders?limit=100')).json;
    assert.ok(mine.items.some((x) => x.id === o.id));
    assert.ok(mine.items.every((x) => x.enterprise_id === pick.firm));
    const theirs = (await ent.get('/api/v1/rectify/orders?limit=100')).json;
    assert.ok(!theirs.items.some((x) => x.id === o.id));
    assert.equal((await ent.get(`/api/v1/rectify/orders/${o.id}`)).status, 404);
    assert.equal((await ent.post(`/api/v1/rectify/orders/${o.id}/submit`, { evidence: '已整改' })).status, 404);
    const fd = new FormData();
    fd.append('entity', 'rectify_order');
    fd.append('entity_id', String(o.id));
    fd.append('file', new Blob([Buffer.from('%PDF-1.4 test')], { type: 'application/pdf' }), 'x.pdf');
    assert.equal((await ent.post('/api/v1/attachments', fd)).status, 404);
  });

  test('submit → return → resubmit → verify: credit event, problem closed', async () => {
    const o = pick.order;
    let r = await own.post(`/api/v1/rectify/orders/${o.id}/submit`, {});
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'evidence');
    r = await inspector.post(`/api/v1/rectify/orders/${o.id}/return`, { reason: 'x' });
    assert.equal(r.status, 409, 'nothing submitted to return');
    const fd = new FormData();
    fd.append('entity', 'rectify_order');
    fd.append('entity_id', String(o.id));
    fd.append('file', new Blob([Buffer.from('%PDF-1.4 evidence')], { type: 'application/pdf' }), '整改照片.pdf');
    r = await own.post('/api/v1/attachments', fd);
    assert.equal(r.status, 201, JSON.stringify(r.json));
    r = await own.post(`/api/v1/rectify/orders/${o.id}/submit`, { evidence: '已更换收集罩，附照片' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.status, 'submitted');
    assert.equal(r.json.submissions.length, 1);
    r = await own.post(`/api/v1/rectify/orders/${o.id}/submit`, { evidence: 'again' });
    assert.equal(r.status, 409);
    r = await inspector.post(`/api/v1/rectify/orders/${o.id}/return`, {});
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'reason');
    r = await own.post(`/api/v1/rectify/orders/${o.id}/verify`, {});
    assert.equal(r.status, 403);
    r = await zf.post(`/api/v1/rectify/orders/${o.id}/verify`, {});
    assert.equal(r.status, 403, 'not the order\'s verifier');
    r = await inspector.post(`/api/v1/rectify/orders/${o.id}/return`, { reason: '照片看不清收集罩' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.status, 'returned');
    assert.equal(r.json.submissions[0].verdict, 'returned');
    assert.equal(r.json.submissions[0].verdict_reason, '照片看不清收集罩');
    assert.equal(credit(o.id), '');
    r = await own.post(`/api/v1/rectify/orders/${o.id}/submit`, { evidence: '补充清晰照片' });
    assert.equal(r.json.status, 'submitted');
    assert.equal(r.json.submissions[1].seq, 2);
    r = await inspector.post(`/api/v1/rectify/orders/${o.id}/verify`, { note: '现场核实已整改' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.status, 'verified');
    assert.equal(r.json.verified_on, today);
    assert.equal(r.json.problem_status, 'closed');
    assert.equal(credit(o.id), 'rectification_verified');
    assert.equal(sql(srv.dir, `SELECT status || '|' || closed_on FROM problems WHERE id = ${pick.problem}`), `closed|${today}`);
    assert.equal(sql(srv.dir, `SELECT state || '|' || is_open FROM cases WHERE id = ${o.case_id}`), 'verified|0');
    const actions = sql(srv.dir, `SELECT action FROM audit_log WHERE entity = 'rectify_order' AND entity_id = ${o.id} ORDER BY id`).split('\n');
    for (const a of ['submit', 'return', 'verify']) assert.ok(actions.includes(a), actions.join());
    r = await inspector.post(`/api/v1/rectify/orders/${o.id}/verify`, {});
    assert.equal(r.status, 409);
    r = await inspector.post(`/api/v1/problems/${pick.problem}/orders`, { requirement: 'x' });
    assert.equal(r.status, 409, 'a closed problem takes no order');
  });

  test('a problem closes only when every order is verified; verified late is late_rectification', async () => {
    const pid = await problem('台账缺失');
    const a = await issue(pid, { requirement: '补齐台账' });
    const b = await issue(pid, { requirement: '建立台账制度' });
    sql(srv.dir, `UPDATE rectify_orders SET due_on = '2026-11-02' WHERE id = ${b.id}`);
    assert.equal((await own.post(`/api/v1/rectify/orders/${b.id}/submit`, { evidence: '已补齐' })).status, 200);
    // a is verified on site, nothing submitted
    let r = await inspector.post(`/api/v1/rectify/orders/${a.id}/verify`, { note: '现场核查台账已补齐' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.status, 'verified');
    assert.equal(r.json.submissions.length, 0);
    assert.equal(r.json.problem_status, 'rectifying');
    r = await leader.post(`/api/v1/rectify/orders/${b.id}/verify`, {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.problem_status, 'closed');
    assert.equal(credit(a.id), 'rectification_verified');
    assert.equal(credit(b.id), 'late_rectification');
  });

  test('an overdue order escalates through the cases engine and shows on the board', async () => {
    const pid = await problem('危废贮存间标识缺失');
    const o = await issue(pid, { workdays: 3 });
    sql(srv.dir, `UPDATE cases SET due_at = '2026-01-05T16:00:00Z', soon_at = '2026-01-04T16:00:00Z', sort_at = '2026-01-05T16:00:00Z' WHERE id = ${o.case_id}`);
    const r = await admin.post('/api/v1/jobs/cases.escalate/run', {});
    assert.equal(r.status, 202, JSON.stringify(r.json));
    let esc = '';
    for (let i = 0; i < 100 && !esc; i++) {
      await new Promise((res) => setTimeout(res, 100));
      esc = sql(srv.dir, `SELECT COALESCE(escalated_at, '') FROM cases WHERE id = ${o.case_id}`);
    }
    assert.ok(esc, 'escalated');
    const board = (await inspector.get('/api/v1/rectify/orders?clock=overdue&limit=100')).json;
    const row = board.items.find((x) => x.id === o.id);
    assert.ok(row, JSON.stringify(board.items.map((x) => [x.id, x.clock])));
    assert.equal(row.clock, 'overdue');
    assert.ok(row.escalated_at);
    assert.ok(board.summary.by_clock.overdue >= 1);
    assert.ok(board.items.every((x) => x.clock === 'overdue'));
    pick.overdue = o;
  });

  test('the deadline counts working days over the New Year holiday of a loaded year', async () => {
    const cal = { year: 2027, source: 'e2e: 2027 元旦', holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }], workdays: [] };
    const put = await admin.put('/api/v1/calendar/2027', cal);
    assert.equal(put.status, 200, JSON.stringify(put.json));
    const pid = await problem('雨污分流不彻底');
    const n = 40; // reaches past 1 January 2027 from any day of December 2026
    const o = await issue(pid, { workdays: n });
    const want = addWorkdays(today, n, new Set(['2027-01-01']), new Set());
    assert.equal(o.due_on, want);
    assert.notEqual(o.due_on, addWorkdays(today, n, new Set(), new Set()), 'the holiday moved it');
  });

  test('the board filters, sorts and pages; bad filters name the field', async () => {
    let r = await inspector.get('/api/v1/rectify/orders?status=verified&level=local&limit=2&sort=due_on&order=desc');
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.ok(r.json.items.length <= 2);
    assert.ok(r.json.items.every((x) => x.status === 'verified' && x.level === 'local'));
    assert.ok(r.json.total >= 3);
    const p2 = (await inspector.get('/api/v1/rectify/orders?status=verified&level=local&limit=2&offset=2&sort=due_on&order=desc')).json;
    assert.ok(!p2.items.some((x) => r.json.items.some((y) => y.id === x.id)));
    r = await inspector.get('/api/v1/rectify/orders?status=open');
    assert.ok(r.json.items.every((x) => ['issued', 'submitted', 'returned'].includes(x.status)));
    r = await inspector.get(`/api/v1/rectify/orders?problem=${pick.problem}`);
    assert.ok(r.json.items.length === 1 && r.json.items[0].problem_id === pick.problem);
    for (const [k, v] of [['status', 'bogus'], ['level', 'x'], ['clock', 'late'], ['sort', 'x'], ['limit', '0']]) {
      r = await inspector.get(`/api/v1/rectify/orders?${k}=${v}`);
      assert.equal(r.status, 422);
      assert.equal(r.json.error.field, k);
    }
    r = await leader.post(`/api/v1/rectify/orders/${pick.overdue.id}/close`, {});
    assert.equal(r.json.error.field, 'reason');
    r = await leader.post(`/api/v1/rectify/orders/${pick.overdue.id}/close`, { reason: '逾期未整改，移送立案' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.status, 'overdue_closed');
    assert.equal(credit(pick.overdue.id), '');
  });
});
