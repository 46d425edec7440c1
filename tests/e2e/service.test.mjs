// Service to enterprises end to end: pairings (分包) with the tier checked against the officer's
// role and an enterprise user seeing only its own firm's; the 十百千 counts per county agreeing
// with the pairings; the service day built by the job service.day (one session per unit and
// day, however often it runs); a 大学堂 training with attendance (firms and people) and its
// outcome; service records and their totals per officer and unit; the key-project risk ledger's
// closed loop — a risk past its deadline is escalated (督办) into the leader's to-do by the
// cases sweep, the job service.risks queues its overdue notice by webhook and SMS, 销号 needs a
// result and closes the case; outbound webhooks retried until the receiver comes back; an SMS
// gateway that fails is visible in the delivery log as failed, and a resend by hand delivers it;
// role checks and enterprise scoping throughout.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, loginAs, chinaToday, sql } from './lib.mjs';

let srv, admin, leader, service, approver, enterprise, inspector;
let hook, hookLog = [];                    // the org unit's webhook: fails each message's first attempt
const hookSeen = new Set();
let sms, smsLog = [], smsOk = false;       // the SMS gateway: fails until smsOk
let unitId;

const until = async (fn, ms, what) => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

function receiver(onReq) {
  const s = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => onReq(req, body, res));
  });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(s)));
}

function addDays(date, n) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const runJob = async (name) => {
  const r = await admin.post(`/api/v1/jobs/${name}/run`, {});
  assert.ok(r.status === 200 || r.status === 202, JSON.stringify(r.json));
  return until(async () => {
    const runs = (await admin.get(`/api/v1/jobs/${name}/runs?limit=20`)).json.items;
    const run = runs.find((x) => x.id === r.json.run_id);
    return run && run.finished_at && run;
  }, 15000, `job ${name}`);
};

before(async () => {
  hook = await receiver((req, body, res) => {
    hookLog.push({ headers: req.headers, body: JSON.parse(body) });
    const id = req.headers['x-envgov-delivery'];
    res.statusCode = hookSeen.has(id) ? 204 : 503;
    hookSeen.add(id);
    res.end();
  });
  sms = await receiver((req, body, res) => {
    smsLog.push({ headers: req.headers, body: JSON.parse(body) });
    res.statusCode = smsOk ? 200 : 500;
    res.end(smsOk ? '{"code":0}' : '{"code":1,"msg":"gateway down"}');
  });
  srv = await startServer({
    enterprises: 40,
    env: {
      ENVGOV_WEBHOOK_RETRY_S: '1',
      ENVGOV_WEBHOOK_MAX_ATTEMPTS: '3',
      ENVGOV_SMS_GATEWAY_URL: `http://127.0.0.1:${sms.address().port}/sms`,
      ENVGOV_SMS_GATEWAY_TOKEN: 'tok-e2e',
      ENVGOV_SMS_SIGN: '湖州生态环境',
    },
  });
  [admin, leader, service, approver, enterprise, inspector] = await Promise.all(
    ['admin', 'leader', 'service', 'approver', 'enterprise', 'inspector'].map((u) => loginAs(srv.base, u)));
  unitId = Number(sql(srv.dir, "SELECT org_unit_id FROM users WHERE username = 'approver'"));
  // the risk owner's mobile, where the overdue SMS goes
  sql(srv.dir, "UPDATE users SET phone = '13800000000' WHERE username = 'approver'");
  // the requests' clocks may run into next year: load it (weekends and New Year only), as the
  // penalty suite does
  const next = Number(chinaToday().slice(0, 4)) + 1;
  if ((await admin.get(`/api/v1/calendar/${next}`)).status !== 200) {
    const cal = await admin.put(`/api/v1/calendar/${next}`, { year: next, source: 'e2e test (weekends and New Year only)', holidays: [{ name: '元旦', from: `${next}-01-01`, to: `${next}-01-01` }], workdays: [] });
    assert.ok(cal.status === 200 || cal.status === 201, JSON.stringify(cal.json));
  }
  const r = await admin.put(`/api/v1/org-units/${unitId}/webhook`, { url: `http://127.0.0.1:${hook.address().port}/hook`, secret: 'svc' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
});

after(async () => {
  await srv?.stop();
  hook?.close();
  sms?.close();
});

const userId = (name) => Number(sql(srv.dir, `SELECT id FROM users WHERE username = '${name}'`));
const firmIds = (n, offset = 0) => sql(srv.dir, `SELECT id FROM enterprises WHERE NOT EXISTS (SELECT 1 FROM service_pairings p WHERE p.enterprise_id = enterprises.id) ORDER BY id LIMIT ${n} OFFSET ${offset}`).split('\n').map(Number);

describe('pairings and 十百千', () => {
  test('a leader pairing needs a leader; bad input names the field; writes are audited', async () => {
    const [a, b] = firmIds(2);
    let r = await admin.post('/api/v1/service/pairings', { user_id: userId('service'), enterprise_id: a, tier: 'leader' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'tier');
    r = await admin.post('/api/v1/service/pairings', { user_id: userId('enterprise'), enterprise_id: a, tier: 'staff' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'user_id');
    r = await admin.post('/api/v1/service/pairings', { user_id: userId('service'), enterprise_id: 999999, tier: 'staff' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'enterprise_id');
    r = await admin.post('/api/v1/service/pairings', { user_id: userId('service'), enterprise_id: a, tier: 'bogus' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'tier');
    r = await leader.post('/api/v1/service/pairings', { user_id: userId('leader'), enterprise_id: a, tier: 'leader' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.tier, 'leader');
    assert.match(r.json.region_code, /^3305/);
    const pid = r.json.id;
    // the same officer and firm twice: a conflict, nothing written
    r = await leader.post('/api/v1/service/pairings', { user_id: userId('leader'), enterprise_id: a, tier: 'leader' });
    assert.equal(r.status, 409);
    r = await admin.post('/api/v1/service/pairings', { user_id: userId('approver'), enterprise_id: b, tier: 'staff', project_name: '扩建项目' });
    assert.equal(r.status, 201);
    // the service officer may not pair; an enterprise user neither
    assert.equal((await service.post('/api/v1/service/pairings', { user_id: userId('service'), enterprise_id: b, tier: 'staff' })).status, 403);
    assert.equal((await enterprise.post('/api/v1/service/pairings', { user_id: userId('service'), enterprise_id: b, tier: 'staff' })).status, 403);
    const audit = sql(srv.dir, `SELECT action FROM audit_log WHERE entity = 'service_pairing' AND entity_id = ${pid}`);
    assert.equal(audit, 'create');
    // ending a pairing
    r = await admin.post(`/api/v1/service/pairings/${r.json.id}/end`, {});
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'inactive');
  });

  test('the ledger pages and filters; an enterprise user sees only its own firm', async () => {
    let r = await admin.get('/api/v1/service/pairings?tier=leader&status=active&limit=2&total=1');
    assert.equal(r.status, 200);
    assert.ok(r.json.total >= 4, JSON.stringify(r.json));
    assert.equal(r.json.items.length, 2);
    assert.ok(r.json.items.every((p) => p.tier === 'leader' && p.user_name && p.enterprise_name));
    assert.ok(r.json.next_cursor);
    const own = Number(sql(srv.dir, "SELECT enterprise_id FROM users WHERE username = 'enterprise'"));
    r = await enterprise.get('/api/v1/service/pairings?limit=100');
    assert.equal(r.status, 200);
    assert.ok(r.json.items.length >= 1);
    assert.ok(r.json.items.every((p) => p.enterprise_id === own));
    // open requests of the page's firms (the request module's contract)
    const ids = (await admin.get('/api/v1/service/pairings?limit=5')).json.items.map((p) => p.enterprise_id);
    r = await admin.get(`/api/v1/service/open-requests?enterprise_ids=${ids.join(',')}`);
    assert.equal(r.status, 200);
    for (const id of ids) {
      assert.ok(r.json.items[id], `firm ${id}`);
      assert.equal(r.json.items[id].count, r.json.items[id].requests.length > 20 ? r.json.items[id].count : r.json.items[id].count);
      assert.ok(Array.isArray(r.json.items[id].requests));
    }
    assert.equal((await admin.get('/api/v1/service/open-requests?enterprise_ids=1,x')).json.error.field, 'enterprise_ids');
    assert.equal((await enterprise.get(`/api/v1/service/open-requests?enterprise_ids=${own}`)).status, 403);
  });

  test('十百千 per county agrees with the pairings', async () => {
    const r = await leader.get('/api/v1/service/tbq');
    assert.equal(r.status, 200);
    const rows = sql(srv.dir, "SELECT substr(region_code, 1, 6), COUNT(DISTINCT CASE WHEN tier = 'leader' THEN enterprise_id END), COUNT(DISTINCT CASE WHEN tier = 'manager' THEN enterprise_id END), COUNT(DISTINCT enterprise_id) FROM service_pairings WHERE status = 'active' GROUP BY 1 ORDER BY 1")
      .split('\n').map((l) => l.split('|'));
    assert.deepEqual(r.json.items.map((c) => [c.county, String(c.shi), String(c.bai), String(c.qian)]), rows);
    assert.equal(r.json.total.qian, rows.reduce((s, x) => s + Number(x[3]), 0));
    assert.ok(r.json.items.every((c) => c.county_name));
    assert.equal((await enterprise.get('/api/v1/service/tbq')).status, 403);
  });
});

describe('service days, consultation days and trainings', () => {
  test('the job builds the coming service day once per unit and day', async () => {
    const today = chinaToday();
    const [y, m, d] = today.split('-').map(Number);
    const next = d <= 5 ? `${today.slice(0, 8)}05` : (m === 12 ? `${y + 1}-01-05` : `${y}-${String(m + 1).padStart(2, '0')}-05`);
    const before = Number(sql(srv.dir, `SELECT COUNT(*) FROM service_sessions WHERE kind = 'service_day' AND held_on = '${next}'`));
    // the demo enterprise (paired with the service officer) files two requests
    const own = Number(sql(srv.dir, "SELECT enterprise_id FROM users WHERE username = 'enterprise'"));
    const filed = [];
    for (const title of ['排污许可证变更咨询', '危废转移审批协助']) {
      const q = await enterprise.post('/api/v1/requests', { category: 'consultation', title, description: `${title}，请在服务日答复` });
      assert.equal(q.status, 201, JSON.stringify(q.json));
      filed.push(q.json.id);
    }
    // a complaint naming the firm is the bureau's casework, never the firm's own agenda item
    const region = sql(srv.dir, `SELECT region_code FROM enterprises WHERE id = ${own}`);
    const about = await leader.post('/api/v1/requests', { channel: 'hotline_12369', category: 'odor', description: '群众反映该企业夜间异味（服务日测试）',
      enterprise_id: own, region_code: region, contact_phone: '13300000001' });
    assert.equal(about.status, 201, JSON.stringify(about.json));
    assert.equal(Number(sql(srv.dir, `SELECT enterprise_id FROM requests WHERE id = ${about.json.id}`)), own);
    let run = await runJob('service.day');
    assert.equal(run.status, 'ok', JSON.stringify(run));
    const units = Number(sql(srv.dir, "SELECT COUNT(DISTINCT u.org_unit_id) FROM service_pairings p JOIN users u ON u.id = p.user_id WHERE p.status = 'active'"));
    const n = Number(sql(srv.dir, `SELECT COUNT(*) FROM service_sessions WHERE kind = 'service_day' AND held_on = '${next}'`));
    assert.equal(n, units);
    assert.ok(n >= before);
    run = await runJob('service.day');
    assert.equal(run.status, 'ok');
    assert.equal(Number(sql(srv.dir, `SELECT COUNT(*) FROM service_sessions WHERE kind = 'service_day' AND held_on = '${next}'`)), units);
    const list = await service.get(`/api/v1/service/sessions?kind=service_day&held_on=${next}`);
    assert.equal(list.status, 200);
    assert.equal(list.json.items.length, units);
    // the firm's open requests are on its officer's unit's agenda, once however often the job runs
    const unit = Number(sql(srv.dir, `SELECT u.org_unit_id FROM service_pairings p JOIN users u ON u.id = p.user_id WHERE p.enterprise_id = ${own} AND p.status = 'active' ORDER BY p.id LIMIT 1`));
    const sid = Number(sql(srv.dir, `SELECT id FROM service_sessions WHERE kind = 'service_day' AND held_on = '${next}' AND org_unit_id = ${unit}`));
    const onAgenda = sql(srv.dir, `SELECT request_id FROM service_items WHERE session_id = ${sid} AND enterprise_id = ${own} ORDER BY request_id`).split('\n').map(Number);
    for (const id of filed) assert.ok(onAgenda.includes(id), `request ${id} on the agenda`);
    assert.ok(!onAgenda.includes(about.json.id), 'the complaint about the firm is not on its agenda');
    assert.equal(Number(sql(srv.dir, `SELECT COUNT(*) FROM service_items WHERE request_id = ${about.json.id}`)), 0);
    assert.equal(onAgenda.length, new Set(onAgenda).size);
    const open = Number(sql(srv.dir, `SELECT COUNT(*) FROM requests WHERE enterprise_id = ${own} AND state NOT IN ('closed', 'rejected', 'rated', 'referred')`));
    assert.ok(onAgenda.length >= 2 && onAgenda.length <= Math.max(open, 2));
    const ag = await enterprise.get('/api/v1/service/agenda');
    assert.ok(filed.every((id) => ag.json.items.some((i) => i.session_id === sid && /排污许可证变更咨询|危废转移审批协助/.test(i.item_title))));
    // the ledger's column counts them
    const oq = await leader.get(`/api/v1/service/open-requests?enterprise_ids=${own}`);
    assert.ok(oq.json.items[own].count >= 2);
    assert.ok(filed.every((id) => oq.json.items[own].requests.some((x) => x.id === id)));
  });

  test('an agenda item, its outcome and attendance; the enterprise sees its own agenda only', async () => {
    const own = Number(sql(srv.dir, "SELECT enterprise_id FROM users WHERE username = 'enterprise'"));
    const other = firmIds(1, 5)[0];
    let r = await leader.post('/api/v1/service/sessions', { kind: 'consultation', title: '企业环保咨询日：环评审批', held_on: chinaToday(), place: '服务大厅' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const sid = r.json.id;
    assert.equal(r.json.state, 'planned');
    r = await leader.post(`/api/v1/service/sessions/${sid}/items`, { enterprise_id: own, title: '排污许可证变更' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    r = await leader.post(`/api/v1/service/sessions/${sid}/items`, { enterprise_id: other, title: '其他企业的议题' });
    assert.equal(r.status, 200);
    const item = r.json.items.find((i) => i.enterprise_id === own);
    assert.equal((await leader.post(`/api/v1/service/sessions/${sid}/items`, { enterprise_id: own })).json.error.field, 'title');
    assert.equal((await leader.post(`/api/v1/service/sessions/${sid}/items`, { enterprise_id: 0, title: 'x' })).json.error.field, 'enterprise_id');
    r = await leader.put(`/api/v1/service/sessions/${sid}/items/${item.id}`, { outcome: '当场答复', resolved: true });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.items.find((i) => i.id === item.id).resolved, 1);
    r = await leader.put(`/api/v1/service/sessions/${sid}/attendance`, { enterprise_id: own, people: 2 });
    assert.equal(r.status, 200);
    r = await leader.put(`/api/v1/service/sessions/${sid}/items/99999999`, { outcome: 'x' });
    assert.equal(r.status, 404);
    r = await leader.put(`/api/v1/service/sessions/${sid}`, { state: 'held', outcome: '解答 2 项' });
    assert.equal(r.status, 200);
    assert.equal(r.json.state, 'held');
    // the enterprise's agenda: its item, attended, resolved; never the other firm's
    r = await enterprise.get('/api/v1/service/agenda');
    assert.equal(r.status, 200);
    const mine = r.json.items.filter((i) => i.session_id === sid);
    assert.equal(mine.length, 1);
    assert.equal(mine[0].outcome, '当场答复');
    assert.equal(mine[0].attended, 1);
    assert.ok(r.json.items.every((i) => i.item_title !== '其他企业的议题'));
    // ?enterprise_id= is ignored for an enterprise user
    r = await enterprise.get(`/api/v1/service/agenda?enterprise_id=${other}`);
    assert.equal(r.json.enterprise_id, own);
    // enterprise users have no session pages; inspectors may read but not write
    assert.equal((await enterprise.get(`/api/v1/service/sessions/${sid}`)).status, 403);
    assert.equal((await inspector.get(`/api/v1/service/sessions/${sid}`)).status, 200);
    assert.equal((await inspector.post(`/api/v1/service/sessions/${sid}/items`, { enterprise_id: own, title: 'x' })).status, 403);
    assert.ok(Number(sql(srv.dir, `SELECT COUNT(*) FROM audit_log WHERE entity = 'service_session' AND entity_id = ${sid}`)) >= 5);
  });

  test('a 大学堂 training counts firms and people trained', async () => {
    let r = await leader.post('/api/v1/service/sessions', { kind: 'training', title: '大学堂：排污许可', held_on: chinaToday() });
    assert.equal(r.status, 201);
    const sid = r.json.id;
    const firms = firmIds(3, 10);
    for (const [i, f] of firms.entries()) {
      r = await leader.put(`/api/v1/service/sessions/${sid}/attendance`, { enterprise_id: f, people: i + 1 });
      assert.equal(r.status, 200);
    }
    r = await leader.put(`/api/v1/service/sessions/${sid}/attendance`, { enterprise_id: firms[0], people: -1 });
    assert.equal(r.json.error.field, 'people');
    r = await leader.get(`/api/v1/service/sessions/${sid}`);
    assert.equal(r.json.session.n_firms, 3);
    assert.equal(r.json.session.n_people, 6);
    r = await leader.put(`/api/v1/service/sessions/${sid}/attendance`, { enterprise_id: firms[2], people: 0 });
    assert.equal(r.json.session.n_firms, 2);
    assert.equal(r.json.session.n_people, 3);
    assert.equal((await leader.post('/api/v1/service/sessions', { kind: 'party', title: 'x', held_on: chinaToday() })).json.error.field, 'kind');
  });
});

describe('service records', () => {
  test('records by the signed-in officer, totals per officer and unit', async () => {
    const before = (await leader.get('/api/v1/service/records/totals?by=officer')).json.items;
    const mineBefore = before.find((x) => x.id === userId('inspector')) || { visit: 0, total: 0 };
    let r = await inspector.post('/api/v1/service/records', { kind: 'visit', occurred_on: chinaToday(), summary: '走访企业' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.user_id, userId('inspector'));
    r = await inspector.post('/api/v1/service/records', { kind: 'problem_solved', occurred_on: chinaToday(), summary: '解决问题', user_id: userId('leader') });
    assert.equal(r.status, 422, 'user_id is the server\'s');
    assert.equal(r.json.error.field, 'user_id');
    r = await inspector.post('/api/v1/service/records', { kind: 'problem_solved', occurred_on: chinaToday(), summary: '解决问题' });
    assert.equal(r.status, 201);
    r = await inspector.post('/api/v1/service/records', { kind: 'visit', occurred_on: addDays(chinaToday(), 2), summary: 'x' });
    assert.equal(r.json.error.field, 'occurred_on');
    r = await inspector.post('/api/v1/service/records', { kind: 'visit', occurred_on: chinaToday() });
    assert.equal(r.json.error.field, 'summary');
    const after = (await leader.get('/api/v1/service/records/totals?by=officer')).json.items;
    const mine = after.find((x) => x.id === userId('inspector'));
    assert.equal(mine.visit, mineBefore.visit + 1);
    assert.equal(mine.total, mineBefore.total + 2);
    const units = (await leader.get(`/api/v1/service/records/totals?by=unit&from=${chinaToday()}&to=${chinaToday()}`)).json;
    assert.equal(units.by, 'unit');
    const all = Number(sql(srv.dir, `SELECT COUNT(*) FROM service_records WHERE occurred_on = '${chinaToday()}'`));
    assert.equal(units.items.reduce((s, u) => s + u.total, 0), all);
    assert.equal((await leader.get('/api/v1/service/records/totals?by=x')).json.error.field, 'by');
    assert.equal((await leader.get('/api/v1/service/records/totals?from=2026-1-1')).json.error.field, 'from');
    assert.equal((await enterprise.get('/api/v1/service/records')).status, 403);
  });
});

describe('key-project risk ledger and outbound notices', () => {
  let risk;
  test('a risk past its deadline escalates to the leader and its overdue notice goes out', async () => {
    let r = await approver.post('/api/v1/service/risks', { project_name: '新建化工园区配套项目', region_code: '330502', category: 'social',
      risk: '周边村民担心异味', owner_user_id: userId('approver'), deadline: addDays(chinaToday(), -1), lat: 30.87, lng: 120.09, level: 'high' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    risk = r.json;
    assert.equal(risk.state, 'open');
    assert.ok(risk.case_id);
    assert.equal((await approver.post('/api/v1/service/risks', { project_name: 'x', region_code: '330502', category: 'social', risk: 'x', owner_user_id: userId('approver'), deadline: chinaToday(), lat: 30.8 })).json.error.field, 'lng');
    assert.equal((await approver.post('/api/v1/service/risks', { project_name: 'x', region_code: '330502', category: 'x', risk: 'x', owner_user_id: userId('approver'), deadline: chinaToday() })).json.error.field, 'category');
    assert.equal((await enterprise.post('/api/v1/service/risks', { project_name: 'x' })).status, 403);
    // overdue one second after it opened; the cases sweep escalates it into the leader's to-do
    assert.ok(risk.due_at);
    await until(() => Date.now() > Date.parse(risk.due_at) + 1100, 5000, 'the risk overdue');
    await runJob('cases.escalate');
    const todo = await until(async () => {
      const t = await leader.get('/api/v1/todo');
      return t.json.items.find((i) => i.id === risk.case_id) && t.json;
    }, 10000, 'the escalated risk in the leader\'s to-do');
    assert.equal(todo.items.find((i) => i.id === risk.case_id).clock, 'overdue');
    r = await approver.get(`/api/v1/service/risks/${risk.id}`);
    assert.ok(r.json.escalated_at);
    // a hotline complaint 300 m away links to the project; one 5 km away does not
    const near = await approver.post('/api/v1/requests', { channel: 'hotline_12369', category: 'air', region_code: '330502', description: '化工园区附近有异味', lat: 30.8727, lng: 120.09 });
    assert.equal(near.status, 201, JSON.stringify(near.json));
    const far = await approver.post('/api/v1/requests', { channel: 'hotline_12369', category: 'air', region_code: '330502', description: '远处异味', lat: 30.915, lng: 120.09 });
    assert.equal(far.status, 201);
    r = await approver.get(`/api/v1/service/risks/${risk.id}/complaints?radius_m=2000`);
    assert.equal(r.status, 200);
    assert.ok(r.json.items.some((c) => c.id === near.json.id), JSON.stringify(r.json));
    assert.ok(!r.json.items.some((c) => c.id === far.json.id));
    assert.equal((await approver.get(`/api/v1/service/risks/${risk.id}/complaints?radius_m=0`)).json.error.field, 'radius_m');
    // the overdue notice: once, by webhook (retried after a 503) and SMS
    smsOk = true;
    await runJob('service.risks');
    await runJob('service.risks');
    const msgs = sql(srv.dir, `SELECT channel FROM outbound_messages WHERE source_kind = 'service_risk' AND source_id = ${risk.id} ORDER BY channel`);
    assert.equal(msgs, 'sms\nwebhook');
    await until(() => hookLog.some((h) => h.body.event === 'service.risk_overdue' && h.body.risk.id === risk.id) && hookLog.filter((h) => h.body.risk?.id === risk.id).length >= 2, 15000, 'webhook retry');
    const hooks = hookLog.filter((h) => h.body.risk?.id === risk.id);
    assert.equal(hooks[0].headers['x-envgov-event'], 'service.risk_overdue');
    assert.match(hooks[0].headers['x-envgov-signature'], /^sha256=[0-9a-f]{64}$/);
    const log = await until(async () => {
      const l = await admin.get('/api/v1/outbound?source_kind=service_risk&limit=100');
      const w = l.json.items.find((m) => m.source_id === risk.id && m.channel === 'webhook');
      return w && w.status === 'sent' && l.json;
    }, 15000, 'the webhook delivered');
    const w = log.items.find((m) => m.source_id === risk.id && m.channel === 'webhook');
    assert.equal(w.attempts, 2);
    const s = await until(() => smsLog.find((x) => x.body.text.includes('新建化工园区配套项目')), 10000, 'the SMS');
    assert.equal(s.headers.authorization, 'Bearer tok-e2e');
    assert.match(s.body.text, /^【湖州生态环境】重点项目风险/);
    assert.equal(s.body.sign, '湖州生态环境');
  });

  test('销号 needs a result, closes the case, and only once', async () => {
    let r = await approver.post(`/api/v1/service/risks/${risk.id}/close`, {});
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'result');
    assert.equal((await inspector.post(`/api/v1/service/risks/${risk.id}/close`, { result: 'x' })).status, 403);
    r = await approver.post(`/api/v1/service/risks/${risk.id}/close`, { result: '召开说明会，异味治理设施已投运' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'closed');
    assert.equal(r.json.closed_on, chinaToday());
    const c = await leader.get(`/api/v1/cases/${risk.case_id}`);
    assert.equal(c.json.state, 'closed');
    r = await approver.post(`/api/v1/service/risks/${risk.id}/close`, { result: 'again' });
    assert.equal(r.status, 409);
    assert.ok(sql(srv.dir, `SELECT action FROM audit_log WHERE entity = 'service_risk' AND entity_id = ${risk.id}`).split('\n').includes('close'));
    const t = await leader.get('/api/v1/todo');
    assert.ok(!t.json.items.some((i) => i.id === risk.case_id));
  });

  test('a failing SMS gateway is visible as failed in the log; a resend delivers it', async () => {
    smsOk = false;
    let r = await approver.post('/api/v1/service/risks', { project_name: '短信失败测试项目', region_code: '330502', category: 'environmental',
      risk: '施工扬尘', owner_user_id: userId('approver'), deadline: addDays(chinaToday(), -2) });
    assert.equal(r.status, 201);
    const id = r.json.id;
    await runJob('service.risks');
    const failed = await until(async () => {
      const l = await admin.get('/api/v1/outbound?channel=sms&status=failed&limit=100');
      return l.json.items.find((m) => m.source_id === id);
    }, 60000, 'the SMS failed after its attempts');
    assert.equal(failed.attempts, 3);
    assert.equal(failed.last_code, 500);
    assert.ok(failed.last_error);
    assert.equal(failed.recipient, '13800000000');
    assert.equal(smsLog.filter((x) => x.body.text.includes('短信失败测试项目')).length, 3);
    assert.equal((await approver.post(`/api/v1/outbound/${failed.id}/resend`, {})).status, 403);
    smsOk = true;
    r = await admin.post(`/api/v1/outbound/${failed.id}/resend`, {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.status, 'pending');
    // queued or already in flight: a second resend could send it twice, so it is refused
    r = await admin.post(`/api/v1/outbound/${failed.id}/resend`, {});
    assert.equal(r.status, 409, JSON.stringify(r.json));
    assert.ok(['still_pending', 'already_sent'].includes(r.json.error.code), JSON.stringify(r.json));
    const sent = await until(async () => {
      const m = (await admin.get(`/api/v1/outbound/${failed.id}`)).json;
      return m.status === 'sent' && m;
    }, 30000, 'the resent SMS');
    assert.equal(sent.attempts, 4);
    // other SMS (agenda notices, other risks) may arrive in between: pick this message's
    const tries = smsLog.filter((x) => x.body.id === failed.id);
    assert.equal(tries.length, 4, JSON.stringify(tries.map((x) => x.body)));
    assert.ok(tries.every((x) => x.body.to === '13800000000'));
    r = await admin.post(`/api/v1/outbound/${failed.id}/resend`, {});
    assert.equal(r.status, 409);
    assert.equal((await admin.post('/api/v1/outbound/99999999/resend', {})).status, 404);
    assert.ok(sql(srv.dir, `SELECT action FROM audit_log WHERE entity = 'outbound_message' AND entity_id = ${failed.id}`).includes('resend'));
  });
});

describe('who sees what; a new owner takes the case', () => {
  test('a new owner of a risk takes over its case', async () => {
    let r = await approver.post('/api/v1/service/risks', { project_name: '换责任人测试项目', region_code: '330502', category: 'environmental',
      risk: '施工噪声', owner_user_id: userId('approver'), deadline: addDays(chinaToday(), 30) });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const risk = r.json;
    assert.equal(Number(sql(srv.dir, `SELECT assignee_user_id FROM cases WHERE id = ${risk.case_id}`)), userId('approver'));
    r = await approver.put(`/api/v1/service/risks/${risk.id}`, { owner_user_id: userId('inspector') });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.owner_user_id, userId('inspector'));
    assert.equal(Number(sql(srv.dir, `SELECT assignee_user_id FROM cases WHERE id = ${risk.case_id}`)), userId('inspector'));
    const unit = Number(sql(srv.dir, "SELECT org_unit_id FROM users WHERE username = 'inspector'"));
    assert.equal(Number(sql(srv.dir, `SELECT org_unit_id FROM cases WHERE id = ${risk.case_id}`)), unit);
    const todo = (await inspector.get('/api/v1/todo')).json;
    assert.ok(todo.items.some((i) => i.id === risk.case_id), 'in the new owner\'s to-do');
    assert.equal((await approver.put(`/api/v1/service/risks/${risk.id}`, { owner_user_id: userId('enterprise') })).json.error.field, 'owner_user_id');
  });

  test('a county branch sees its own and the city bureau\'s rows, never another county\'s', async () => {
    // the service officer works in the 长兴 branch (330522); the risk and session are 吴兴's (330502)
    const wx = Number(sql(srv.dir, "SELECT org_unit_id FROM org_unit_regions WHERE region_code = '330502' LIMIT 1"));
    const cx = Number(sql(srv.dir, "SELECT org_unit_id FROM users WHERE username = 'service'"));
    assert.ok(wx && cx && wx !== cx);
    let r = await approver.post('/api/v1/service/risks', { project_name: '吴兴区范围测试项目', region_code: '330502', category: 'social',
      risk: '征地', owner_user_id: userId('approver'), deadline: addDays(chinaToday(), 10) });
    assert.equal(r.status, 201);
    const wxRisk = r.json.id;
    r = await approver.post('/api/v1/service/risks', { project_name: '长兴县范围测试项目', region_code: '330522', category: 'social',
      risk: '征地', owner_user_id: userId('approver'), deadline: addDays(chinaToday(), 10) });
    const cxRisk = r.json.id;
    const list = (await service.get('/api/v1/service/risks?limit=200')).json.items;
    assert.ok(list.some((x) => x.id === cxRisk));
    assert.ok(!list.some((x) => x.id === wxRisk), 'another county\'s risk is not listed');
    assert.equal((await service.get(`/api/v1/service/risks/${wxRisk}`)).status, 404);
    assert.equal((await service.get(`/api/v1/service/risks/${wxRisk}/complaints`)).status, 404);
    assert.equal((await service.put(`/api/v1/service/risks/${wxRisk}`, { measures: 'x' })).status, 404);
    assert.equal((await service.post(`/api/v1/service/risks/${wxRisk}/close`, { result: 'x' })).status, 404);
    assert.equal((await leader.get(`/api/v1/service/risks/${wxRisk}`)).status, 200, 'the city sees every county');

    // a 吴兴 branch session (as its own officer would hold it) and a city session
    sql(srv.dir, `INSERT INTO service_sessions (kind, title, held_on, org_unit_id, state, created_at, updated_at) VALUES ('training', '吴兴分局培训（范围测试）', '${chinaToday()}', ${wx}, 'planned', '${new Date().toISOString()}', '${new Date().toISOString()}')`);
    const wxSession = Number(sql(srv.dir, "SELECT id FROM service_sessions WHERE title = '吴兴分局培训（范围测试）'"));
    r = await leader.post('/api/v1/service/sessions', { kind: 'training', title: '市局培训（范围测试）', held_on: chinaToday(), place: '市局' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const citySession = r.json.id;
    const sessions = (await service.get('/api/v1/service/sessions?limit=200')).json.items;
    assert.ok(sessions.some((x) => x.id === citySession), 'the city bureau\'s session');
    assert.ok(!sessions.some((x) => x.id === wxSession), 'not another county\'s');
    assert.equal((await service.get(`/api/v1/service/sessions/${wxSession}`)).status, 404);
    const own = Number(sql(srv.dir, "SELECT enterprise_id FROM users WHERE username = 'enterprise'"));
    assert.equal((await service.post(`/api/v1/service/sessions/${wxSession}/items`, { enterprise_id: own, title: 'x' })).status, 404);
    assert.equal((await leader.get(`/api/v1/service/sessions/${wxSession}`)).status, 200);

    // records and their totals: a 吴兴 officer's record is not in the 长兴 totals
    const wxName = sql(srv.dir, `SELECT username FROM users WHERE org_unit_id = ${wx} AND role = 'inspector' AND status = 'active' ORDER BY username LIMIT 1`);
    const wxOfficer = await loginAs(srv.base, wxName);
    r = await wxOfficer.post('/api/v1/service/records', { kind: 'visit', occurred_on: chinaToday(), summary: '吴兴走访（范围测试）' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const rec = r.json.id;
    assert.equal(r.json.org_unit_id, wx);
    assert.ok(!(await wxOfficer.get('/api/v1/service/risks?limit=200')).json.items.some((x) => x.id === cxRisk), 'nor 长兴\'s to 吴兴');
    assert.ok(!(await service.get('/api/v1/service/records?limit=200')).json.items.some((x) => x.id === rec));
    assert.ok((await leader.get('/api/v1/service/records?limit=200')).json.items.some((x) => x.id === rec));
    const byUnit = (await service.get('/api/v1/service/records/totals?by=unit')).json.items;
    assert.ok(!byUnit.some((u) => u.id === wx), JSON.stringify(byUnit));
    assert.ok((await leader.get('/api/v1/service/records/totals?by=unit')).json.items.some((u) => u.id === wx));
  });
});
