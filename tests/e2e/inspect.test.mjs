// Inspections (src/inspect/) end to end: a task from an alarm → the visit's checklist with a
// finding → a problem recorded in the hub (and a rectification order from it); a retried
// submission (same uuid) records nothing twice; a positive-list firm's on-site task waits for
// the head of enforcement's approval (one approval path: the positive list's request, decided
// there or on the case page) while a complaint-verification task does not; a draw target is one
// task whose visit records the draw's outcome; a campaign's five steps and their counts; roles,
// scope and the enterprise's view (its tasks only once visited); bad input names the field.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, loginAs, sql, chinaToday } from './lib.mjs';

const today = chinaToday();
let srv, admin, leader, inspector, monitor, approver, ent, service;
const firms = {};

// Every item of the checklist answered yes, but the ones in `no` (item id → description).
function answersFor(checklist, no = {}) {
  const answers = {};
  const findings = [];
  for (const s of checklist.sections) {
    for (const it of s.items) {
      answers[it.id] = it.id in no ? 'no' : 'yes';
      if (it.id in no) findings.push({ item_id: it.id, description: no[it.id] });
    }
  }
  return { answers, findings };
}

async function visit(c, taskId, no = {}, uuid = randomUUID()) {
  const t = (await c.get(`/api/v1/inspect/tasks/${taskId}`)).json;
  assert.ok(t.checklist, 'the task carries its checklist');
  const { answers, findings } = answersFor(t.checklist, no);
  return c.post(`/api/v1/inspect/tasks/${taskId}/visit`, { uuid, outcome: 'done', answers, findings, note: '' });
}

describe('inspections', () => {
  before(async () => {
    srv = await startServer({ enterprises: 60 });
    [admin, leader, inspector, monitor, approver, ent, service] = await Promise.all(
      ['admin', 'leader', 'inspector', 'monitor', 'approver', 'enterprise', 'service'].map((u) => loginAs(srv.base, u)));
    const listed = new Set(sql(srv.dir, 'SELECT enterprise_id FROM positive_list').split('\n').filter(Boolean).map(Number));
    const rows = sql(srv.dir, "SELECT id FROM enterprises WHERE region_code = '330522' AND status = 'active' ORDER BY id")
      .split('\n').map(Number).filter((id) => !listed.has(id));
    assert.ok(rows.length >= 5, 'five unlisted firms in 长兴县');
    const withPoint = new Set(sql(srv.dir, 'SELECT DISTINCT enterprise_id FROM points').split('\n').filter(Boolean).map(Number));
    firms.alarm = rows.find((id) => withPoint.has(id));
    assert.ok(firms.alarm, 'an unlisted 长兴 firm with a monitoring point');
    [firms.listed, firms.c1, firms.c2, firms.manual] = rows.filter((id) => id !== firms.alarm);
    sql(srv.dir, `INSERT INTO positive_list (enterprise_id, listed_from, listed_to, admitted_at) VALUES (${firms.listed}, '2020-01-01', '2099-01-01', '2020-01-01T00:00:00Z')`);
    firms.outside = Number(sql(srv.dir, "SELECT id FROM enterprises WHERE region_code = '330523' ORDER BY id LIMIT 1"));
    firms.own = ent.user.enterprise_id;
  });
  after(async () => { await srv?.stop(); });

  test('bad input names the field; roles outside the rules are refused', async () => {
    const base = { enterprise_id: firms.manual, planned_on: today };
    const before = Number(sql(srv.dir, 'SELECT COUNT(*) FROM inspect_tasks'));
    let r = await inspector.post('/api/v1/inspect/tasks', { enterprise_id: firms.manual });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'planned_on');
    r = await inspector.post('/api/v1/inspect/tasks', { ...base, planned_on: '2026-13-01' });
    assert.equal(r.json.error.field, 'planned_on');
    r = await inspector.post('/api/v1/inspect/tasks', { ...base, level: 'province' });
    assert.equal(r.json.error.field, 'level');
    r = await inspector.post('/api/v1/inspect/tasks', { ...base, source_kind: 'draw' });
    assert.equal(r.json.error.field, 'source_kind');
    r = await inspector.post('/api/v1/inspect/tasks', { planned_on: today });
    assert.equal(r.json.error.field, 'enterprise_id');
    r = await inspector.post('/api/v1/inspect/tasks', { ...base, enterprise_id: 999999 });
    assert.equal(r.status, 404);
    assert.equal(r.json.error.field, 'enterprise_id');
    r = await inspector.post('/api/v1/inspect/tasks', { ...base, inspector_ids: 'x' });
    assert.equal(r.json.error.field, 'inspector_ids');
    r = await inspector.post('/api/v1/inspect/tasks', { ...base, inspector_ids: [monitor.user.id] });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'inspector_ids');
    r = await inspector.post('/api/v1/inspect/tasks', { ...base, lead_user_id: approver.user.id });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'lead_user_id');
    assert.equal(Number(sql(srv.dir, 'SELECT COUNT(*) FROM inspect_tasks')), before, 'no partial task');
    for (const c of [approver, service, ent]) {
      assert.equal((await c.post('/api/v1/inspect/tasks', base)).status, 403, c.user.username);
      assert.equal((await c.post('/api/v1/inspect/campaigns', {})).status, 403, c.user.username);
    }
    // Scope: the 长兴 inspector cannot make a task for an 安吉 firm.
    r = await inspector.post('/api/v1/inspect/tasks', { ...base, enterprise_id: firms.outside });
    assert.equal(r.status, 404);
    r = await inspector.get('/api/v1/inspect/tasks?status=open');
    assert.equal(r.json.error.field, 'status');
  });

  test('alarm → task → visit with a finding → problem recorded, once; an order from it', async () => {
    const point = Number(sql(srv.dir, `SELECT id FROM points WHERE enterprise_id = ${firms.alarm} ORDER BY id LIMIT 1`));
    assert.ok(point > 0, 'the firm has a monitoring point');
    const alarm = Number(sql(srv.dir, `INSERT INTO alarms (point_id, enterprise_id, kind, factor, status, first_at, last_at, value, limit_value)
      VALUES (${point}, ${firms.alarm}, 'exceed', 'w01018', 'open', '2026-12-01T01:00:00Z', '2026-12-01T02:00:00Z', 120, 80) RETURNING id`));
    assert.equal((await approver.post(`/api/v1/alarms/${alarm}/inspect-task`, {})).status, 403);
    assert.equal((await monitor.post('/api/v1/alarms/999999/inspect-task', {})).status, 404);
    let r = await monitor.post(`/api/v1/alarms/${alarm}/inspect-task`, { lead_user_id: inspector.user.id, planned_on: 'tomorrow' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'planned_on');
    r = await monitor.post(`/api/v1/alarms/${alarm}/inspect-task`, { lead_user_id: inspector.user.id });
    assert.equal(r.status, 201, String(r.body));
    assert.equal(r.json.status, 'scheduled');
    const taskId = r.json.id;
    // In the inspector's list (mine), with the alarm as its source.
    const mine = (await inspector.get('/api/v1/inspect/tasks?mine=1')).json;
    const row = mine.items.find((i) => i.id === taskId);
    assert.ok(row, 'the task is in 我的检查任务');
    assert.equal(row.source_kind, 'alarm');
    assert.equal(row.source_id, alarm);
    const t = (await inspector.get(`/api/v1/inspect/tasks/${taskId}`)).json;
    assert.equal(t.can_visit, true);
    assert.deepEqual(t.checklist.sections.map((s) => s.key),
      ['permit', 'facility', 'ledger', 'hazardous_waste', 'online_monitoring', 'emergency_plan', 'eia']);
    assert.ok(t.checklist_rule.id > 0);

    // Bad submissions name the field and record nothing.
    const { answers } = answersFor(t.checklist);
    r = await inspector.post(`/api/v1/inspect/tasks/${taskId}/visit`, { uuid: randomUUID(), outcome: 'done', answers: { ...answers, 'om.normal': 'no' }, findings: [] });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'answers.om.normal');
    const partial = { ...answers };
    delete partial['permit.valid'];
    r = await inspector.post(`/api/v1/inspect/tasks/${taskId}/visit`, { uuid: randomUUID(), outcome: 'done', answers: partial });
    assert.equal(r.json.error.field, 'answers.permit.valid');
    r = await inspector.post(`/api/v1/inspect/tasks/${taskId}/visit`, { uuid: randomUUID(), outcome: 'done', answers: { ...answers, 'om.normal': 'no' }, findings: [{ item_id: 'om.normal', description: '  ' }] });
    assert.equal(r.json.error.field, 'findings[0].description');
    r = await inspector.post(`/api/v1/inspect/tasks/${taskId}/visit`, { uuid: 'not a uuid!', outcome: 'done', answers });
    assert.equal(r.json.error.field, 'uuid');
    r = await inspector.post(`/api/v1/inspect/tasks/${taskId}/visit`, { uuid: randomUUID(), outcome: 'could_not_inspect' });
    assert.equal(r.json.error.field, 'note');
    // Another inspector (not on the task) may not record it.
    const zf = await loginAs(srv.base, 'zf01');
    r = await zf.post(`/api/v1/inspect/tasks/${taskId}/visit`, { uuid: randomUUID(), outcome: 'done', answers });
    assert.equal(r.status, 403);
    assert.equal(Number(sql(srv.dir, `SELECT COUNT(*) FROM inspect_visits WHERE task_id = ${taskId}`)), 0);

    const uuid = randomUUID();
    r = await visit(inspector, taskId, { 'om.normal': 'COD 在线监测数据超标，设备比对记录缺失' }, uuid);
    assert.equal(r.status, 201, String(r.body));
    assert.equal(r.json.outcome, 'problems_found');
    assert.equal(r.json.problems, 1);
    // The retried submit (the phone did not hear the answer) records nothing new.
    r = await visit(inspector, taskId, { 'om.normal': 'COD 在线监测数据超标，设备比对记录缺失' }, uuid);
    assert.equal(r.status, 200, String(r.body));
    assert.equal(r.json.replayed, true);
    // A second visit of the same task is refused.
    r = await visit(inspector, taskId, {});
    assert.equal(r.status, 409);
    assert.equal(Number(sql(srv.dir, `SELECT COUNT(*) FROM inspect_visits WHERE task_id = ${taskId}`)), 1);
    const probs = sql(srv.dir, `SELECT level, category, alarm_id, clause FROM problems WHERE source_kind = 'inspect_task' AND source_id = ${taskId}`).split('\n');
    assert.equal(probs.length, 1, 'one problem, not two');
    const [level, category, alarmId, clause] = probs[0].split('|');
    assert.equal(level, 'enforcement');
    assert.equal(category, 'online_monitoring');
    assert.equal(Number(alarmId), alarm);
    assert.match(clause, /环境保护法/);
    const done = (await inspector.get(`/api/v1/inspect/tasks/${taskId}`)).json;
    assert.equal(done.status, 'done');
    assert.equal(done.outcome, 'problems_found');
    assert.equal(done.findings.length, 1);
    assert.equal(done.visit.uuid, uuid);
    const c = (await inspector.get(`/api/v1/cases/${done.case_id}`)).json;
    assert.equal(c.state, 'done');
    assert.ok(Number(sql(srv.dir, `SELECT COUNT(*) FROM audit_log WHERE entity = 'inspect_visit' AND entity_id = ${done.visit.id}`)) === 1);

    // A photo of the finding: an attachment on its problem (the hub's), counted on the visit page.
    const photo = new FormData();
    photo.append('file', new Blob([Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')], { type: 'image/png' }), '现场照片.png');
    r = await inspector.post(`/api/v1/attachments?entity=problem&entity_id=${done.findings[0].problem_id}`, photo);
    assert.equal(r.status, 201, String(r.body));
    assert.equal((await inspector.get(`/api/v1/inspect/tasks/${taskId}`)).json.findings[0].photos, 1);

    // The finding becomes a rectification order from the visit page.
    r = await inspector.post(`/api/v1/inspect/tasks/${taskId}/orders`, { problem_id: done.findings[0].problem_id, requirement: '' });
    assert.equal(r.json.error.field, 'requirement');
    r = await inspector.post(`/api/v1/inspect/tasks/${taskId}/orders`, { problem_id: 999999, requirement: '整改' });
    assert.equal(r.json.error.field, 'problem_id');
    r = await inspector.post(`/api/v1/inspect/tasks/${taskId}/orders`, { problem_id: done.findings[0].problem_id, requirement: '完成比对校验并补齐运维记录', workdays: 10 });
    assert.equal(r.status, 201, String(r.body));
    assert.ok(r.json.order_id > 0 && r.json.case_id > 0);
    const after = (await inspector.get(`/api/v1/inspect/tasks/${taskId}`)).json;
    assert.equal(after.findings[0].orders, 1);
  });

  test("a positive-list firm's on-site task waits for approval; complaint verification does not", async () => {
    let r = await inspector.post('/api/v1/inspect/tasks', { enterprise_id: firms.listed, planned_on: today, purpose: 'routine' });
    assert.equal(r.status, 201, String(r.body));
    assert.equal(r.json.status, 'awaiting_approval');
    const waiting = r.json;
    const c = (await leader.get(`/api/v1/cases/${waiting.case_id}`)).json;
    assert.equal(c.state, 'awaiting_approval');
    r = await visit(inspector, waiting.id);
    assert.equal(r.status, 409, 'no visit before approval');
    assert.equal(r.json.error.field, 'status');
    // One approval path: the positive list's request, filed by the task.
    const reqs = (await leader.get(`/api/v1/positive/onsite-requests?enterprise_id=${firms.listed}&state=pending`)).json.items;
    const mine = reqs.find((q) => q.source_kind === 'inspect_task' && q.source_id === waiting.id);
    assert.ok(mine, 'the task filed its on-site request');
    const todo = (await leader.get('/api/v1/todo')).json;
    const items = todo.items || todo;
    assert.ok(items.some((i) => i.source === 'inspect' && i.href === `/inspect/tasks/${waiting.id}`), "the approval waits in the leader's 待办");
    assert.ok(!items.some((i) => i.source === 'positive_onsite' && i.id === mine.id), 'once, not twice');
    // Decided on the positive list's page, the task follows.
    r = await leader.post(`/api/v1/positive/onsite-requests/${mine.id}/decision`, { decision: 'approve' });
    assert.equal(r.status, 200, String(r.body));
    let t = (await inspector.get(`/api/v1/inspect/tasks/${waiting.id}`)).json;
    assert.equal(t.status, 'scheduled');
    assert.equal((await leader.get(`/api/v1/cases/${waiting.case_id}`)).json.state, 'scheduled');
    assert.equal(t.approvals[0].state, 'approved');
    r = await visit(inspector, waiting.id);
    assert.equal(r.status, 201, String(r.body));
    assert.equal(r.json.outcome, 'no_problem');

    // Refused on the case page: the request is refused too. (Another day: the approval given
    // covers the firm on its day.)
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 864e5).toISOString().slice(0, 10);
    r = await inspector.post('/api/v1/inspect/tasks', { enterprise_id: firms.listed, planned_on: tomorrow, purpose: 'routine' });
    const second = r.json;
    assert.equal(second.status, 'awaiting_approval');
    assert.equal((await inspector.post(`/api/v1/cases/${second.case_id}/transitions`, { action: 'approve' })).status, 403);
    r = await leader.post(`/api/v1/cases/${second.case_id}/transitions`, { action: 'refuse', note: '近期已非现场核查，无需现场检查' });
    assert.equal(r.status, 200, String(r.body));
    t = (await inspector.get(`/api/v1/inspect/tasks/${second.id}`)).json;
    assert.equal(t.status, 'not_approved');
    assert.equal(t.approvals[0].state, 'refused');

    // Complaint verification needs no approval.
    r = await inspector.post('/api/v1/inspect/tasks', { enterprise_id: firms.listed, planned_on: today, source_kind: 'complaint', source_id: 77 });
    assert.equal(r.status, 201, String(r.body));
    assert.equal(r.json.status, 'scheduled');
    assert.equal(Number(sql(srv.dir, `SELECT COUNT(*) FROM positive_onsite_requests WHERE source_kind = 'inspect_task' AND source_id = ${r.json.id}`)), 0);
  });

  test('the enterprise sees its own tasks only once the visit happened', async () => {
    // The enterprise user's firm (吴兴, listed in the demo): a complaint check by the leader with
    // the 长兴 inspector on it, who sees it through the task though it is outside their area.
    let r = await leader.post('/api/v1/inspect/tasks', { enterprise_id: firms.own, planned_on: today, source_kind: 'complaint', lead_user_id: inspector.user.id });
    assert.equal(r.status, 201, String(r.body));
    const id = r.json.id;
    assert.equal((await ent.get(`/api/v1/inspect/tasks/${id}`)).status, 404);
    assert.ok(!(await ent.get('/api/v1/inspect/tasks')).json.items.some((i) => i.id === id));
    assert.equal((await ent.get(`/api/v1/cases/${r.json.case_id}`)).status, 404);
    const zf = await loginAs(srv.base, 'zf03'); // 安吉: neither its area nor its task
    assert.equal((await zf.get(`/api/v1/inspect/tasks/${id}`)).status, 404);
    r = await visit(inspector, id);
    assert.equal(r.status, 201, String(r.body));
    const seen = await ent.get(`/api/v1/inspect/tasks/${id}`);
    assert.equal(seen.status, 200);
    assert.equal(seen.json.checklist, undefined, 'no checklist body for the enterprise');
    assert.equal(seen.json.approvals, undefined, "nor the bureau's internal approvals");
    const list = (await ent.get('/api/v1/inspect/tasks')).json.items;
    assert.ok(list.some((i) => i.id === id));
    assert.ok(list.every((i) => i.enterprise_id === firms.own && i.status === 'done'));
  });

  test('a campaign on the 五步工作法 shows each step\'s counts', async () => {
    let r = await inspector.post('/api/v1/inspect/campaigns', { title: '涉VOCs企业专项检查', region_prefix: '330522', plan: '方案', selfcheck_due: today, visit_from: today, visit_to: '2020-01-01', enterprise_ids: [firms.c1] });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'visit_to');
    r = await inspector.post('/api/v1/inspect/campaigns', { title: 'x', region_prefix: '330523', plan: '方案', selfcheck_due: today, visit_from: today, visit_to: today });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.field, 'region_prefix');
    r = await inspector.post('/api/v1/inspect/campaigns', { title: 'x', region_prefix: '330522', plan: '方案', selfcheck_due: today, visit_from: today, visit_to: today, enterprise_ids: [firms.outside] });
    assert.equal(r.json.error.field, 'enterprise_ids');
    r = await leader.post('/api/v1/inspect/campaigns', { title: '涉VOCs企业专项检查', region_prefix: '3305', plan: '一、检查对象……二、自查要求……', selfcheck_due: today, visit_from: today, visit_to: today, enterprise_ids: [firms.c1, firms.c2, firms.own] });
    assert.equal(r.status, 201, String(r.body));
    assert.equal(r.json.targets, 3);
    const id = r.json.id;
    // Not visible to the firm while a draft; the self-check waits for the plan.
    assert.equal((await ent.get(`/api/v1/inspect/campaigns/${id}`)).status, 404);
    assert.equal((await leader.post(`/api/v1/inspect/campaigns/${id}/tasks`, {})).status, 409);
    // (1) publish, the firm returns its self-check.
    assert.equal((await leader.post(`/api/v1/inspect/campaigns/${id}/publish`, {})).status, 200);
    assert.equal((await leader.post(`/api/v1/inspect/campaigns/${id}/publish`, {})).status, 409);
    assert.ok((await ent.get('/api/v1/inspect/campaigns')).json.items.some((c) => c.id === id));
    r = await ent.post(`/api/v1/inspect/campaigns/${id}/selfcheck`, { note: '' });
    assert.equal(r.json.error.field, 'note');
    r = await ent.post(`/api/v1/inspect/campaigns/${id}/selfcheck`, { note: '已自查：活性炭已更换，台账已补齐；承诺按期整改。' });
    assert.equal(r.status, 200, String(r.body));
    assert.equal((await ent.post(`/api/v1/inspect/campaigns/${id}/selfcheck`, { note: 'again' })).status, 409);
    const mineCampaign = (await ent.get(`/api/v1/inspect/campaigns/${id}`)).json;
    assert.ok(mineCampaign.targets.every((t) => t.enterprise_id === firms.own), 'the firm sees only its own row');
    // (2) a task per target (the listed own firm waits for approval), visits with problems.
    r = await leader.post(`/api/v1/inspect/campaigns/${id}/tasks`, { lead_user_id: inspector.user.id });
    assert.equal(r.status, 200, String(r.body));
    assert.equal(r.json.created, 3);
    assert.equal(r.json.awaiting_approval, 1);
    assert.equal((await leader.post(`/api/v1/inspect/campaigns/${id}/tasks`, {})).json.created, 0, 'not twice');
    // The city-wide campaign is run by city-wide staff: the 长兴 inspector sees it, runs no step.
    assert.equal((await inspector.get(`/api/v1/inspect/campaigns/${id}`)).status, 200);
    r = await inspector.post(`/api/v1/inspect/campaigns/${id}/tasks`, {});
    assert.equal(r.status, 403);
    assert.equal(r.json.error.field, 'id');
    // The firm does not learn of its task before the visit (unannounced).
    const before = (await ent.get(`/api/v1/inspect/campaigns/${id}`)).json.targets[0];
    assert.equal(before.task_id ?? null, null, JSON.stringify(before));
    assert.equal(before.planned_on ?? null, null);
    const tasks = (await leader.get(`/api/v1/inspect/tasks?campaign_id=${id}`)).json.items;
    assert.equal(tasks.length, 3);
    const t1 = tasks.find((t) => t.enterprise_id === firms.c1);
    r = await visit(inspector, t1.id, { 'facility.running': '活性炭吸附装置未运行', 'permit.report': '未按时提交执行报告' });
    assert.equal(r.status, 201, String(r.body));
    let c = (await leader.get(`/api/v1/inspect/campaigns/${id}`)).json;
    assert.deepEqual(c.steps, { targets: 3, selfchecks: 1, tasks: 3, inspected: 1, problems: 2, handed_over: 0, verified: 0, published: 0 });
    // (3) hand a problem to the town with the commitment and a deadline.
    const prob = c.problems.find((p) => p.category === 'facility');
    r = await leader.post(`/api/v1/inspect/campaigns/${id}/handover`, { problem_id: prob.id, commitment: '', workdays: 10 });
    assert.equal(r.json.error.field, 'commitment');
    r = await leader.post(`/api/v1/inspect/campaigns/${id}/handover`, { problem_id: prob.id, commitment: '企业书面承诺10个工作日内恢复运行', workdays: 0 });
    assert.equal(r.json.error.field, 'workdays');
    r = await leader.post(`/api/v1/inspect/campaigns/${id}/handover`, { problem_id: prob.id, commitment: '企业书面承诺10个工作日内恢复运行', workdays: 10, verifier_user_id: inspector.user.id });
    assert.equal(r.status, 201, String(r.body));
    const handed = r.json;
    assert.equal(sql(srv.dir, `SELECT origin || '|' || origin_id || '|' || workdays FROM rectify_orders WHERE id = ${handed.order_id}`), `campaign|${id}|10`);
    c = (await leader.get(`/api/v1/inspect/campaigns/${id}`)).json;
    assert.equal(c.steps.handed_over, 1);
    assert.ok(c.problems.find((p) => p.id === prob.id).order_id > 0);
    // (4) verified: the verifier verifies the order on its case; the problem closes.
    r = await inspector.post(`/api/v1/cases/${handed.case_id}/transitions`, { action: 'verify', note: '现场复核：设施已恢复运行' });
    assert.equal(r.status, 200, String(r.body));
    assert.equal((await leader.get(`/api/v1/inspect/campaigns/${id}`)).json.steps.verified, 1);
    // (5) publish the results: permit problems feed credit.
    r = await leader.post(`/api/v1/inspect/campaigns/${id}/results`, { note: '检查 1 家，发现问题 2 个' });
    assert.equal(r.status, 200, String(r.body));
    assert.equal((await leader.post(`/api/v1/inspect/campaigns/${id}/results`, {})).status, 409);
    c = (await leader.get(`/api/v1/inspect/campaigns/${id}`)).json;
    assert.deepEqual(c.steps, { targets: 3, selfchecks: 1, tasks: 3, inspected: 1, problems: 2, handed_over: 1, verified: 1, published: 3 });
    const permitProblem = c.problems.find((p) => p.category === 'permit');
    assert.equal(Number(sql(srv.dir, `SELECT COUNT(*) FROM credit_events WHERE type = 'permit_violation' AND source = 'inspect' AND source_id = ${permitProblem.id}`)), 1);
    // The firm that returned its self-check and has no open problem kept its commitment.
    assert.equal(Number(sql(srv.dir, `SELECT COUNT(*) FROM credit_events WHERE type = 'commitment' AND source = 'inspect' AND subject_id = ${firms.own}`)), 1);
    assert.equal(Number(sql(srv.dir, `SELECT COUNT(*) FROM credit_events WHERE type = 'commitment' AND source = 'inspect' AND subject_id = ${firms.c1}`)), 0);
  });
});

test('a draw target is one task: its visit records the draw outcome; a listed target is approved on the positive list', async () => {
  const s = await startServer({ enterprises: 60 });
  try {
    const [admin2, leader2, insp] = await Promise.all(['admin', 'leader', 'inspector'].map((u) => loginAs(s.base, u)));
    sql(s.dir, "UPDATE users SET status = 'inactive' WHERE username LIKE 'zf%'"); // the roster: the inspector alone
    const cur = (await admin2.get('/api/v1/rules/resolve?kind=draw.ratios&region=')).json;
    const body = { ...cur.body, positive_list: { mode: 'weight', factor: 0.5 }, ratios: [{ category: 'key', period: 'quarter', percent: 100 }] };
    let r = await admin2.post('/api/v1/rules', { kind: 'draw.ratios', region_prefix: '', effective_from: chinaToday(), source: 'e2e', body });
    assert.equal(r.status, 201, String(r.body));
    sql(s.dir, "INSERT INTO positive_list (enterprise_id, listed_from, listed_to, admitted_at) SELECT id, '2020-01-01', '2099-01-01', '2020-01-01T00:00:00Z' FROM enterprises WHERE category = 'key' AND region_code = '330522' AND id NOT IN (SELECT enterprise_id FROM positive_list) ORDER BY id LIMIT 1");
    const plan = (await leader2.post('/api/v1/draw/plans', { period: '2026Q4', categories: ['key'], region_prefix: '330522', visit_from: today, visit_to: today })).json;
    for (const step of ['commit', 'draw']) {
      r = await leader2.post(`/api/v1/draw/plans/${plan.id}/${step}`, {});
      assert.equal(r.status, 200, `${step}: ${r.body}`);
    }
    const d = (await leader2.get(`/api/v1/draw/plans/${plan.id}`)).json;
    assert.ok(d.targets.length >= 2, 'at least two targets');
    const tasks = (await insp.get('/api/v1/inspect/tasks?mine=1&source_kind=draw&limit=500')).json.items;
    assert.equal(tasks.length, d.targets.length, 'one task per target');
    for (const t of d.targets) {
      const task = tasks.find((x) => x.source_id === t.id);
      assert.ok(task, `target ${t.id} has its task`);
      assert.equal(task.case_id, t.case_id, 'the same case: one visit, not two');
    }
    const listedIds = new Set(sql(s.dir, 'SELECT enterprise_id FROM positive_list').split('\n').filter(Boolean).map(Number));
    const free = d.targets.find((t) => !listedIds.has(t.enterprise_id));
    const task = tasks.find((x) => x.source_id === free.id);
    assert.equal(task.status, 'scheduled');
    r = await visit(insp, task.id);
    assert.equal(r.status, 201, String(r.body));
    assert.equal(r.json.outcome, 'no_problem');
    const after = (await leader2.get(`/api/v1/draw/plans/${plan.id}`)).json.targets.find((t) => t.id === free.id);
    assert.equal(after.outcome, 'no_problem', 'the draw target has its outcome');
    assert.equal((await leader2.get(`/api/v1/cases/${free.case_id}`)).json.state, 'done');
    assert.equal((await insp.get(`/api/v1/inspect/tasks/${task.id}`)).json.status, 'done');
    // Recording it again through the draw is refused: one visit.
    assert.equal((await insp.post(`/api/v1/draw/targets/${free.id}/outcome`, { outcome: 'no_problem' })).status, 409);

    // A listed target waits; the leader approves on the positive list and the task follows.
    const listed = d.targets.find((t) => listedIds.has(t.enterprise_id));
    assert.ok(listed, 'a listed target was drawn');
    {
      const lt = tasks.find((x) => x.source_id === listed.id);
      assert.equal(lt.status, 'awaiting_approval');
      const req = (await leader2.get(`/api/v1/positive/onsite-requests?enterprise_id=${listed.enterprise_id}&state=pending`)).json.items
        .find((q) => q.source_kind === 'draw_target' && q.source_id === listed.id);
      assert.ok(req, 'the draw filed the positive list request');
      r = await leader2.post(`/api/v1/positive/onsite-requests/${req.id}/decision`, { decision: 'approve' });
      assert.equal(r.status, 200, String(r.body));
      assert.equal((await leader2.get(`/api/v1/cases/${listed.case_id}`)).json.state, 'scheduled');
      assert.equal((await insp.get(`/api/v1/inspect/tasks/${lt.id}`)).json.status, 'scheduled');
    }
  } finally {
    await s.stop();
  }
});
