// Differentiated supervision across its modules, end to end, the way a case runs in a bureau:
// an online-monitoring alarm → an inspection task to verify it on site → the visit's checklist
// with a finding (a problem in the hub, on the alarm's point) → a rectification order the
// enterprise answers with evidence and the inspector verifies → a penalty case from the problem
// → the no-penalty list measured from the monitoring data (a first minor exceedance, corrected
// the same day) → a no-penalty decision, which still opens a follow-up rectification check
// (免罚不免责) that the inspector verifies — and the firm's credit is not lowered by it. The
// modules' own suites (inspect, rectify, penalty, repair) test each step's refusals; this one
// tests that the steps meet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, loginAs, sql, chinaToday, usccWithCheck, Client } from './lib.mjs';

const today = chinaToday();
let srv, admin, monitor, inspector, leader, owner;
let firm, point;

function ok(r, status = 200) {
  assert.equal(r.status, status, JSON.stringify(r.json ?? r.body).slice(0, 600));
  return r.json;
}

before(async () => {
  srv = await startServer({ enterprises: 30 });
  [admin, monitor, leader] = await Promise.all(['admin', 'monitor', 'leader'].map((u) => loginAs(srv.base, u)));
  inspector = await loginAs(srv.base, 'zf07'); // 吴兴分局: the firm below is in 吴兴区
  // The penalty case's 90-day decision clock reaches into next year: a test calendar for it when
  // the shipped files stop at this year.
  const next = Number(today.slice(0, 4)) + 1;
  if ((await admin.get(`/api/v1/calendar/${next}`)).status !== 200) {
    ok(await admin.put(`/api/v1/calendar/${next}`, { year: next, source: 'e2e test (weekends and New Year only)', holidays: [{ name: '元旦', from: `${next}-01-01`, to: `${next}-01-01` }], workdays: [] }));
  }
  // A 吴兴 boiler with one air outlet, its SO2 limit and an online monitoring point.
  firm = ok(await admin.post('/api/v1/enterprises', { name: '吴兴区监管链测试热电有限公司', uscc: usccWithCheck('91330502MA7CHAMN1'), region_code: '330502', industry_code: '4411', category: 'key' }), 201);
  const outlet = ok(await admin.post(`/api/v1/enterprises/${firm.id}/outlets`, { code: 'DA001', name: '锅炉废气排口', kind: 'air' }), 201);
  ok(await admin.post(`/api/v1/outlets/${outlet.id}/limits`, { pollutant_code: 'a21026', value: 100, unit: 'mg/m3', basis: 'hour' }), 201);
  point = ok(await admin.post(`/api/v1/enterprises/${firm.id}/points`, { outlet_id: outlet.id, mn: '33050200000000CHAM0001', name: '锅炉在线监测', password: '654321' }), 201);
  // Its own user, who answers the rectification order.
  const u = ok(await admin.post('/api/v1/users', { username: 'chainfirm', display_name: '热电公司环保专员', role: 'enterprise', enterprise_id: firm.id }), 201);
  owner = new Client(srv.base);
  assert.equal((await owner.login('chainfirm', u.one_time_password)).status, 200);
  assert.equal((await owner.post('/api/v1/session/password', { old_password: u.one_time_password, new_password: 'Chain#firm2026x' })).status, 204);
});

after(async () => { await srv?.stop(); });

test('alarm → task → finding → order → penalty case → no-penalty decision → follow-up check', async () => {
  // Today's hourly SO2 averages: two hours 5 % over the limit of 100, the rest under it.
  const rows = [];
  for (let hr = 0; hr < 24; hr++) {
    const v = hr === 9 || hr === 10 ? 105 : 80;
    rows.push(`(${point.id}, '2061', '${today} ${String(hr).padStart(2, '0')}:00:00', 'a21026', 'Avg', ${v}, 'N', '${new Date().toISOString()}')`);
  }
  sql(srv.dir, `INSERT INTO readings (point_id, cn, data_time, factor, kind, value, flag, received_at) VALUES ${rows.join(',')}`);
  const alarm = Number(sql(srv.dir, `INSERT INTO alarms (point_id, enterprise_id, kind, factor, status, first_at, last_at, value, limit_value)
    VALUES (${point.id}, ${firm.id}, 'exceed', 'a21026', 'open', '${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}', '${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}', 105, 100) RETURNING id`));

  // The monitoring centre sends the alarm for on-site verification by the 吴兴 inspector.
  const task = ok(await monitor.post(`/api/v1/alarms/${alarm}/inspect-task`, { lead_user_id: inspector.user.id }), 201);
  assert.equal(task.status, 'scheduled');
  const mine = ok(await inspector.get('/api/v1/inspect/tasks?mine=1'));
  assert.ok(mine.items.some((i) => i.id === task.id && i.source_kind === 'alarm'), 'in 我的检查任务');

  // The visit: every checklist item answered, the online-monitoring one with a finding.
  const t = ok(await inspector.get(`/api/v1/inspect/tasks/${task.id}`));
  const answers = {};
  let omItem = null;
  for (const s of t.checklist.sections) {
    for (const it of s.items) {
      answers[it.id] = 'yes';
      if (s.key === 'online_monitoring' && !omItem) omItem = it.id;
    }
  }
  assert.ok(omItem, 'the checklist has an online-monitoring item');
  answers[omItem] = 'no';
  const visit = ok(await inspector.post(`/api/v1/inspect/tasks/${task.id}/visit`, {
    uuid: randomUUID(), outcome: 'done', answers, note: '现场核实超标报警',
    findings: [{ item_id: omItem, description: '锅炉脱硫塔喷淋泵故障，二氧化硫小时均值超标' }],
  }), 201);
  assert.equal(visit.problems, 1);
  const done = ok(await inspector.get(`/api/v1/inspect/tasks/${task.id}`));
  assert.equal(done.outcome, 'problems_found');
  const problemId = done.findings[0].problem_id;
  // The hub's problem: enforcement level, the alarm and the alarm's point.
  assert.equal(sql(srv.dir, `SELECT level, category, alarm_id, point_id, status FROM problems WHERE id = ${problemId}`),
    `enforcement|online_monitoring|${alarm}|${point.id}|open`);

  // A rectification order from the visit page; the firm submits evidence; the inspector verifies.
  const order = ok(await inspector.post(`/api/v1/inspect/tasks/${task.id}/orders`, { problem_id: problemId, requirement: '修复喷淋泵并提交运行记录', workdays: 5 }), 201);
  const orderId = order.order_id ?? order.id;
  assert.ok(orderId > 0, JSON.stringify(order));
  const board = ok(await owner.get('/api/v1/rectify/orders'));
  assert.ok(board.items.some((o) => o.id === orderId), "in the firm's own orders");
  ok(await owner.post(`/api/v1/rectify/orders/${orderId}/submit`, { evidence: '已更换喷淋泵，附运行记录' }));
  ok(await inspector.post(`/api/v1/rectify/orders/${orderId}/verify`, {}));
  assert.equal(sql(srv.dir, `SELECT status, closed_on FROM problems WHERE id = ${problemId}`), `closed|${today}`);
  const creditBefore = ok(await admin.get(`/api/v1/credit/enterprises/${firm.id}`));

  // A penalty case from the problem (立案), investigated; the discretion's harm level is minor.
  const pc = ok(await inspector.post(`/api/v1/problems/${problemId}/penalty`, { violation_type: 'air_exceed' }), 201);
  ok(await inspector.post(`/api/v1/penalty/cases/${pc.id}/transitions`, { action: 'investigate' }));
  ok(await inspector.put(`/api/v1/penalty/cases/${pc.id}/discretion`, {
    levels: { harm: 'minor', fault: 'negligent', means: 'ordinary', object: 'ordinary', repetition: 'first', rectification: 'on_time' },
  }));
  // The no-penalty list, measured from the monitoring data of the alarm's point.
  const d = ok(await leader.get(`/api/v1/penalty/cases/${pc.id}`));
  assert.equal(d.exempt.facts.exceed_hours, 2, JSON.stringify(d.exempt.facts));
  assert.equal(d.exempt.facts.corrected_days, 0);
  const item = d.exempt.items.find((i) => i.code === 'first_air_exceed');
  assert.equal(item.passed, true, JSON.stringify(item.conditions));
  assert.equal(d.exempt.passed_item, 'first_air_exceed');

  // 免罚不免责: the no-penalty decision opens the follow-up check.
  const dec = ok(await leader.post(`/api/v1/penalty/cases/${pc.id}/transitions`, {
    action: 'decide_no_penalty', item: 'first_air_exceed', education: '约谈企业负责人，讲解大气污染防治法', requirement: '一个月内报送脱硫设施运行台账', workdays: 10,
  }));
  assert.ok(dec.rectify_order_id > 0);
  assert.equal(sql(srv.dir, `SELECT origin, origin_id, status FROM rectify_orders WHERE id = ${dec.rectify_order_id}`), `exempt|${pc.id}|issued`);
  const follow = ok(await inspector.get(`/api/v1/rectify/orders/${dec.rectify_order_id}`));
  assert.ok(follow);
  ok(await owner.post(`/api/v1/rectify/orders/${dec.rectify_order_id}/submit`, { evidence: '已报送十二月运行台账' }));
  ok(await inspector.post(`/api/v1/rectify/orders/${dec.rectify_order_id}/verify`, {}));
  assert.equal(sql(srv.dir, `SELECT status FROM rectify_orders WHERE id = ${dec.rectify_order_id}`), 'verified');
  const after = ok(await leader.get(`/api/v1/penalty/cases/${pc.id}`));
  assert.equal(after.case.outcome, 'no_penalty');

  // No penalty: no penalty event in the firm's credit and no lower score; the verified
  // rectifications are credit events of their own.
  const creditAfter = ok(await admin.get(`/api/v1/credit/enterprises/${firm.id}`));
  assert.ok(!creditAfter.events.some((e) => e.source === 'penalty'), 'no penalty event');
  assert.ok(creditAfter.events.some((e) => e.type === 'rectification_verified'), JSON.stringify(creditAfter.events.map((e) => e.type)));
  assert.ok(creditAfter.subject.score >= creditBefore.subject.score, JSON.stringify({ before: creditBefore.subject, after: creditAfter.subject }));
  // Every step left its audit row.
  for (const [entity, id] of [['problem', problemId], ['rectify_order', orderId], ['rectify_order', dec.rectify_order_id]]) {
    assert.ok(Number(sql(srv.dir, `SELECT COUNT(*) FROM audit_log WHERE entity = '${entity}' AND entity_id = ${id}`)) >= 1, `${entity} ${id}`);
  }
});
