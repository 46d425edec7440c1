// Credit repair (信用修复) end to end: a penalty lowers an enterprise's grade; its repair, with the
// rectification verified and the minimum publicity served, is filed by the enterprise (a case on
// the legal section's to-do list), granted by the legal section — the event revoked with cause
// "repair", the grade restored, a history row, the enterprise told in-app, audit rows — and the
// refusals name the failing condition: publicity not served, no verified rectification, the same
// violation again within a year after a repair, a veto item in force. An enterprise sees and
// applies only for its own events; roles are checked; bad input names the field; a rule set
// that lets a failing application be filed still keeps the grant to the conditions.
//
// The penalty facts come the way the penalty module files them: a decided, published penalty
// case (penalty_cases) and its credit event of type penalty with source 'penalty' and the case
// id (the legal section's manual route files the event, its source is then set as the penalty
// module sets it), and the rectification orders of that case in the rectify hub's table; the
// granted repair takes the decision off the public page (/api/v1/public/penalty/decisions).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, usccWithCheck, chinaToday, sql, Client } from './lib.mjs';

let srv, admin, legal, inspector;
const firms = {};

// today (China) moved by months (day clamped to the month's end, as the server does)
function monthsAgo(n, from = chinaToday()) {
  const [y, m, d] = from.split('-').map(Number);
  const t = y * 12 + (m - 1) - n;
  const yy = Math.floor(t / 12), mm = (t % 12) + 1;
  const last = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
  return `${yy}-${String(mm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

// A firm in 湖州 with its own enterprise user.
async function firm(key, name, uscc17) {
  let r = await admin.post('/api/v1/enterprises', { name, uscc: usccWithCheck(uscc17), region_code: '330502', industry_code: '1713', category: 'key' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const ent = r.json;
  const username = `rep${key}${Date.now().toString(36)}`;
  r = await admin.post('/api/v1/users', { username, display_name: `${name}环保负责人`, role: 'enterprise', enterprise_id: ent.id });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const u = new Client(srv.base);
  assert.equal((await u.login(username, r.json.one_time_password)).status, 200);
  assert.equal((await u.post('/api/v1/session/password', { old_password: r.json.one_time_password, new_password: 'Repair#e2e2026x' })).status, 204);
  firms[key] = { ...ent, user: u };
  return firms[key];
}

async function credit(id) {
  const r = await legal.get(`/api/v1/credit/enterprises/${id}`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

// A penalty decided on `on` for a violation type: its case (penalty_cases) and its credit event
// (type penalty, source penalty, the case id), as the penalty module files them. Returns
// { event, caseId }.
async function penalty(f, on, reason = '湖环罚〔2026〕废水超标排放', violation = 'water_exceed') {
  const r = await legal.post('/api/v1/credit/events', { subject_id: f.id, type: 'penalty', occurred_on: on, reason });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const caseId = Number(sql(srv.dir, `INSERT INTO penalty_cases (enterprise_id, region_code, violation_type, status, found_on, filed_on, outcome, decided_on, amount_yuan, published, credit_event_id, created_at, updated_at)
    VALUES (${f.id}, '330502', '${violation}', 'executing', '${on}', '${on}', 'penalty', '${on}', 50000, 1, ${r.json.id}, '${now}', '${now}') RETURNING id`));
  assert.ok(caseId > 0);
  sql(srv.dir, `UPDATE credit_events SET source = 'penalty', source_id = ${caseId} WHERE id = ${r.json.id}`);
  return { event: r.json, caseId };
}

// The penalty's rectification order (责令改正) in the hub's table, verified on `on` or still open.
function order(f, caseId, status = 'verified', on = monthsAgo(1)) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  sql(srv.dir, `INSERT INTO rectify_orders (enterprise_id, region_code, origin, origin_id, requirement, workdays, status, verified_on, created_at, updated_at)
    VALUES (${f.id}, '330502', 'penalty', ${caseId}, '停止超标排放，完成污水处理设施改造', 15, '${status}', ${status === 'verified' ? `'${on}'` : 'NULL'}, '${now}', '${now}')`);
}

const failing = (r) => r.json?.error?.failing || [];

before(async () => {
  srv = await startServer({ enterprises: 20 });
  admin = await loginAs(srv.base, 'admin');
  legal = await loginAs(srv.base, 'legal');
  inspector = await loginAs(srv.base, 'inspector');
  await firm('a', '吴兴区修复测试印染有限公司', '91330502MA7REPA01');
  await firm('b', '吴兴区修复测试纸业有限公司', '91330502MA7REPB02');
  await firm('c', '吴兴区修复测试电镀有限公司', '91330502MA7REPC03');
  await firm('d', '吴兴区修复测试化纤有限公司', '91330502MA7REPD04');
  // the penalty module's 90-day decision clock reaches into next year: a test calendar for it
  // when the shipped files stop at this year
  const next = Number(chinaToday().slice(0, 4)) + 1;
  if ((await admin.get(`/api/v1/calendar/${next}`)).status !== 200) {
    const cal = await admin.put(`/api/v1/calendar/${next}`, { year: next, source: 'e2e test (weekends and New Year only)', holidays: [{ name: '元旦', from: `${next}-01-01`, to: `${next}-01-01` }], workdays: [] });
    assert.equal(cal.status, 200, JSON.stringify(cal.json));
  }
});
after(async () => { await srv?.stop(); });

describe('credit repair', () => {
  let granted, other;

  test('a penalty lowers credit; the repair with rectification verified and publicity served is granted and restores the grade', async () => {
    const a = firms.a;
    // a firm never graded has the rule set's start: 100, 环保诚信 (green) under the national rules
    const s0 = (await credit(a.id)).subject;
    const before0 = { grade: s0.grade ?? 'green', score: s0.score ?? 100 };
    const p = await penalty(a, monthsAgo(4));
    const lowered = (await credit(a.id)).subject;
    assert.ok(lowered.score < before0.score, `${lowered.score} < ${before0.score}`);
    assert.notEqual(lowered.grade, before0.grade);
    order(a, p.caseId);

    // the enterprise's repairable events with the conditions item by item
    let r = await a.user.get('/api/v1/repair/events');
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const item = r.json.items.find((i) => i.id === p.event.id);
    assert.ok(item, JSON.stringify(r.json));
    assert.deepEqual(item.check.conditions.map((c) => [c.code, c.ok]),
      [['publicity_served', true], ['rectification_verified', true], ['no_repeat', true], ['no_veto', true]]);
    assert.equal(item.check.conditions[0].values.min_months, 3);
    assert.equal(item.check.conditions[0].values.max_months, 36);
    assert.equal(item.check.conditions[0].values.min_until, monthsAgo(1));
    assert.equal(item.check.conditions[1].values.basis, 'penalty');
    assert.equal(item.check.conditions[1].values.orders, 1);
    r = await a.user.get(`/api/v1/repair/events/${p.event.id}/check`);
    assert.equal(r.status, 200);
    assert.equal(r.json.check.all_ok, true);
    assert.equal(r.json.rule.file_when_failing, false);

    // apply: the application and its case on the legal section's to-do list
    r = await a.user.post('/api/v1/repair/applications', { event_id: p.event.id, statement: '已缴纳罚款，污水站提标改造完成并通过核查' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const app = r.json;
    assert.equal(app.state, 'filed');
    assert.equal(app.conditions_ok, 1);
    assert.ok(app.case_id);
    assert.ok(app.due_at, 'a deadline in working days');
    const todo = (await legal.get('/api/v1/todo')).json.items;
    assert.ok(todo.some((i) => i.source === 'case' && i.id === app.case_id), 'on the legal to-do');
    r = await a.user.post('/api/v1/repair/applications', { event_id: p.event.id, statement: '重复' });
    assert.equal(r.status, 409, 'one open application per event');

    // evidence attachment on the application
    const fd = new FormData();
    fd.append('file', new Blob(['%PDF-1.4\n缴款凭证'], { type: 'application/pdf' }), '罚款缴纳凭证.pdf');
    r = await a.user.post(`/api/v1/attachments?entity=credit_repair&entity_id=${app.id}`, fd);
    assert.equal(r.status, 201, JSON.stringify(r.json));
    r = await legal.get(`/api/v1/attachments?entity=credit_repair&entity_id=${app.id}`);
    assert.equal(r.json.items?.length ?? r.json.length, 1);

    // the decision is on the public page until the repair is granted
    assert.equal((await fetch(`${srv.base}/api/v1/public/penalty/decisions/${p.caseId}`)).status, 200);
    // the legal section grants
    r = await legal.get(`/api/v1/repair/applications/${app.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.check_now.all_ok, true);
    r = await legal.post(`/api/v1/repair/applications/${app.id}/decision`, { decision: 'grant', reason: '整改到位，公示期满' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'granted');
    assert.equal(r.json.case_state, 'granted');
    assert.ok(r.json.event_revoked_at);
    const restored = await credit(a.id);
    assert.equal(restored.subject.grade, before0.grade);
    assert.equal(restored.subject.score, before0.score);
    assert.equal(restored.history[0].cause, 'repair');
    assert.ok(restored.events.find((e) => e.id === p.event.id).revoked_at);
    // the publication is withdrawn
    assert.equal((await fetch(`${srv.base}/api/v1/public/penalty/decisions/${p.caseId}`)).status, 404);
    const pub = await (await fetch(`${srv.base}/api/v1/public/penalty/decisions?limit=100`)).json();
    assert.ok(!(pub.items || []).some((x) => x.id === p.caseId));
    // the enterprise is told, and sees its own grade restored
    const notes = (await a.user.get('/api/v1/todo')).json.items.filter((i) => i.source === 'notice');
    assert.ok(notes.some((n) => n.event === 'repair_granted' && n.title.includes(`#${app.id}`)), JSON.stringify(notes));
    assert.equal((await a.user.get(`/api/v1/credit/enterprises/${a.id}`)).json.subject.grade, before0.grade);
    // audited
    const audit = sql(srv.dir, `SELECT action FROM audit_log WHERE entity = 'credit_repair' AND entity_id = ${app.id} ORDER BY id`);
    assert.deepEqual(audit.split('\n'), ['create', 'grant']);
    assert.equal(sql(srv.dir, `SELECT COUNT(*) FROM audit_log WHERE entity = 'credit_event' AND entity_id = ${p.event.id} AND action = 'revoke'`), '1');
    r = await legal.post(`/api/v1/repair/applications/${app.id}/decision`, { decision: 'refuse', reason: '再议' });
    assert.equal(r.status, 409, 'decided once');
    granted = app;
  });

  test('publicity not served is refused with the failing condition', async () => {
    const a = firms.a;
    const p = await penalty(a, monthsAgo(1), '湖环罚〔2026〕噪声超标');
    order(a, p.caseId);
    const r = await a.user.post('/api/v1/repair/applications', { event_id: p.event.id, statement: '已整改' });
    assert.equal(r.status, 422, JSON.stringify(r.json));
    assert.equal(r.json.error.code, 'conditions_not_met');
    assert.equal(r.json.error.field, 'event_id');
    assert.deepEqual(failing(r), ['publicity_served']);
    assert.match(r.json.error.message, /尚未届满/);
    assert.equal(sql(srv.dir, `SELECT COUNT(*) FROM credit_repairs WHERE event_id = ${p.event.id}`), '0');
  });

  test('no verified rectification is refused with the failing condition', async () => {
    const b = firms.b;
    const p = await penalty(b, monthsAgo(5));
    let r = await b.user.post('/api/v1/repair/applications', { event_id: p.event.id, statement: '已整改' });
    assert.equal(r.status, 422);
    assert.deepEqual(failing(r), ['rectification_verified']);
    assert.equal(r.json.error.check.conditions[1].values.orders, 0);
    order(b, p.caseId, 'submitted');
    r = await b.user.post('/api/v1/repair/applications', { event_id: p.event.id, statement: '已整改' });
    assert.deepEqual(failing(r), ['rectification_verified'], 'an order not yet verified');
    assert.equal(r.json.error.check.conditions[1].values.orders, 1);
    assert.equal(r.json.error.check.conditions[1].values.all_verified, false);
  });

  test('a repeat of the same violation within a year after a repair is refused', async () => {
    const a = firms.a;
    // the earlier repair was granted seven months ago; the same violation recurred five months ago
    sql(srv.dir, `UPDATE credit_repairs SET decided_on = '${monthsAgo(7)}' WHERE id = ${granted.id}`);
    const p = await penalty(a, monthsAgo(5), '湖环罚〔2026〕废水再次超标');
    order(a, p.caseId);
    const r = await a.user.post('/api/v1/repair/applications', { event_id: p.event.id, statement: '已整改' });
    assert.equal(r.status, 422, JSON.stringify(r.json));
    assert.deepEqual(failing(r), ['no_repeat']);
    const c = r.json.error.check.conditions[2];
    assert.equal(c.values.repeat_of, granted.id);
    assert.equal(c.values.window_months, 12);
    assert.equal(c.values.violation, 'water_exceed');
    // another violation in the same window is not a repeat
    other = await penalty(a, monthsAgo(5), '湖环罚〔2026〕危废贮存不规范', 'hazardous_waste_storage');
    order(a, other.caseId);
    const chk = await a.user.get(`/api/v1/repair/events/${other.event.id}/check`);
    assert.equal(chk.json.violation_key, 'hazardous_waste_storage');
    assert.equal(chk.json.check.conditions[2].ok, true);
  });

  test('the legal section may decide on the case page too: the transition moves the application', async () => {
    const a = firms.a;
    let r = await a.user.post('/api/v1/repair/applications', { event_id: other.event.id, statement: '危废贮存间已按规范改造' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const app = r.json;
    const c = (await legal.get(`/api/v1/cases/${app.case_id}`)).json;
    assert.equal(c.type, 'credit_repair');
    assert.deepEqual(c.actions.map((x) => x.action).sort(), ['grant', 'refuse']);
    r = await legal.post(`/api/v1/cases/${app.case_id}/transitions`, { action: 'refuse' });
    assert.equal(r.status, 422, 'a refusal needs its note');
    r = await legal.post(`/api/v1/cases/${app.case_id}/transitions`, { action: 'grant', note: '整改到位' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    r = await legal.get(`/api/v1/repair/applications/${app.id}`);
    assert.equal(r.json.application.state, 'granted');
    assert.ok(r.json.application.event_revoked_at);
    assert.equal(sql(srv.dir, `SELECT COUNT(*) FROM audit_log WHERE entity = 'credit_repair' AND entity_id = ${app.id} AND action = 'grant'`), '1');
  });

  test('a veto item in force is refused (serious dishonesty)', async () => {
    const c = firms.c;
    const p = await penalty(c, monthsAgo(6));
    order(c, p.caseId);
    let r = await legal.post('/api/v1/credit/events', { subject_id: c.id, type: 'bypass_discharge', occurred_on: monthsAgo(2), reason: '暗管偷排' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const veto = r.json;
    r = await c.user.post('/api/v1/repair/applications', { event_id: p.event.id, statement: '已整改' });
    assert.equal(r.status, 422);
    assert.deepEqual(failing(r), ['no_veto']);
    assert.equal(r.json.error.check.conditions[3].values.in_force[0].event_id, veto.id);
    // the veto event itself is not repairable, and is not listed
    r = await c.user.post('/api/v1/repair/applications', { event_id: veto.id, statement: '申请修复' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.code, 'not_repairable');
    const list = (await c.user.get('/api/v1/repair/events')).json.items;
    assert.ok(!list.some((i) => i.id === veto.id));
    assert.ok(list.some((i) => i.id === p.event.id && !i.check.all_ok));
  });

  test('scope: another enterprise cannot see or apply for it', async () => {
    const a = firms.a, b = firms.b;
    const aEvent = granted.event_id;
    assert.equal((await b.user.get(`/api/v1/repair/events/${aEvent}/check`)).status, 404);
    assert.equal((await b.user.get(`/api/v1/repair/applications/${granted.id}`)).status, 404);
    let r = await b.user.post('/api/v1/repair/applications', { event_id: aEvent, statement: '冒名申请' });
    assert.equal(r.status, 404);
    r = await b.user.get('/api/v1/repair/applications?limit=100');
    assert.equal(r.status, 200);
    assert.ok(r.json.items.every((x) => x.enterprise_id === b.id));
    r = await b.user.get(`/api/v1/repair/events?enterprise_id=${a.id}`);
    assert.ok(r.json.items.every((i) => i.id !== aEvent), 'its own events only, whatever it asks');
    r = await b.user.get(`/api/v1/attachments?entity=credit_repair&entity_id=${granted.id}`);
    assert.equal(r.status, 404);
    r = await b.user.post(`/api/v1/repair/applications/${granted.id}/withdraw`, {});
    assert.equal(r.status, 404);
  });

  test('roles: the enterprise applies and withdraws, the legal section decides', async () => {
    const b = firms.b;
    const p = await penalty(b, monthsAgo(8), '湖环罚〔2026〕危废台账');
    order(b, p.caseId);
    assert.equal((await legal.post('/api/v1/repair/applications', { event_id: p.event.id, statement: 'x' })).status, 403);
    let r = await b.user.post('/api/v1/repair/applications', { event_id: p.event.id, statement: '台账已补齐' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const app = r.json;
    assert.equal((await b.user.post(`/api/v1/repair/applications/${app.id}/decision`, { decision: 'grant' })).status, 403);
    assert.equal((await inspector.post(`/api/v1/repair/applications/${app.id}/decision`, { decision: 'grant' })).status, 403);
    assert.equal((await legal.post(`/api/v1/repair/applications/${app.id}/withdraw`, {})).status, 403);
    // the legal list: filter by state, sort, page
    r = await legal.get('/api/v1/repair/applications?state=filed&sort=-filed_on&limit=1&total=1');
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.ok(r.json.items.length === 1 && r.json.items[0].state === 'filed');
    assert.ok(r.json.total >= 1);
    r = await legal.get('/api/v1/repair/applications?state=granted');
    assert.ok(r.json.items.some((x) => x.id === granted.id));
    assert.equal((await legal.get('/api/v1/repair/applications?sort=nope')).status, 422);
    // the 工作台 counts the applications waiting, for staff only
    const dash = (await legal.get('/api/v1/dashboard')).json.repair;
    assert.equal(dash.filed, (await legal.get('/api/v1/repair/applications?state=filed&limit=1&total=1')).json.total);
    assert.equal(dash.granted_this_year, Number(sql(srv.dir, `SELECT COUNT(*) FROM credit_repairs WHERE state = 'granted' AND decided_on >= '${chinaToday().slice(0, 4)}-01-01'`)));
    assert.equal((await b.user.get('/api/v1/dashboard')).json.repair, undefined);
    // refused with reasons: the enterprise is told
    r = await legal.post(`/api/v1/repair/applications/${app.id}/decision`, { decision: 'refuse', reason: '罚款尚未缴清' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'refused');
    assert.equal(r.json.decision_reason, '罚款尚未缴清');
    assert.equal(r.json.event_revoked_at, null);
    const notes = (await b.user.get('/api/v1/todo')).json.items.filter((i) => i.source === 'notice');
    assert.ok(notes.some((n) => n.event === 'repair_refused' && n.title.includes('罚款尚未缴清')));
    // a new application, withdrawn by the enterprise
    r = await b.user.post('/api/v1/repair/applications', { event_id: p.event.id, statement: '罚款已缴清' });
    assert.equal(r.status, 201);
    r = await b.user.post(`/api/v1/repair/applications/${r.json.id}/withdraw`, {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'withdrawn');
  });

  test('bad input names the field', async () => {
    const b = firms.b;
    let r = await b.user.post('/api/v1/repair/applications', { statement: '缺事件' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'event_id');
    r = await b.user.post('/api/v1/repair/applications', { event_id: 'x', statement: '事件编号不是数字' });
    assert.equal(r.json.error.field, 'event_id');
    const ev = (await b.user.get('/api/v1/repair/events')).json.items[0];
    r = await b.user.post('/api/v1/repair/applications', { event_id: ev.id });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'statement');
    r = await b.user.post('/api/v1/repair/applications', { event_id: ev.id, statement: 'x'.repeat(5000) });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'statement');
    r = await b.user.post('/api/v1/repair/applications', { event_id: 999999999, statement: '不存在' });
    assert.equal(r.status, 404);
    assert.equal(r.json.error.field, 'event_id');
    r = await legal.post(`/api/v1/repair/applications/${granted.id}/decision`, { decision: 'maybe' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'decision');
    r = await legal.post(`/api/v1/repair/applications/${granted.id}/decision`, { decision: 'refuse' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'reason');
    r = await legal.get('/api/v1/repair/events');
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'enterprise_id');
  });

  test('with the penalty module and the rectify hub: a decided penalty, its order verified, repaired', async () => {
    const d = firms.d;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const found = monthsAgo(0);
    const pid = Number(sql(srv.dir, `INSERT INTO problems (enterprise_id, region_code, level, source_kind, category, description, clause, violation_type, found_on, status, created_at, updated_at)
      VALUES (${d.id}, '330502', 'enforcement', 'manual', 'online_monitoring', '废水总排口化学需氧量超标排放', '', 'water_exceed', '${found}', 'open', '${now}', '${now}') RETURNING id`).split('\n')[0]);
    const zf = await loginAs(srv.base, 'zf07'); // 吴兴分局's inspector
    const leader = await loginAs(srv.base, 'leader');
    let r = await zf.post(`/api/v1/problems/${pid}/penalty`, {});
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const pc = r.json.id;
    const move = async (c, body) => {
      const x = await c.post(`/api/v1/penalty/cases/${pc}/transitions`, body);
      assert.equal(x.status, 200, `${body.action}: ${JSON.stringify(x.json)}`);
      return x.json;
    };
    await move(zf, { action: 'investigate' });
    r = await zf.put(`/api/v1/penalty/cases/${pc}/discretion`, { levels: { harm: 'general', fault: 'gross', means: 'ordinary', object: 'ordinary', repetition: 'first', rectification: 'on_time' } });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    await move(zf, { action: 'notify' });
    const decided = await move(leader, { action: 'decide', waived: true, publish: true, requirement: '停止超标排放，完成污水处理设施提标改造' });
    assert.ok(decided.credit_event_id > 0);
    const evId = decided.credit_event_id;
    // decided today: publicity not served, the order not yet verified
    r = await d.user.get(`/api/v1/repair/events/${evId}/check`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.event.source, 'penalty');
    assert.equal(r.json.event.source_id, pc);
    assert.equal(r.json.violation_key, 'water_exceed');
    const codes = (c) => c.check.conditions.filter((x) => !x.ok).map((x) => x.code);
    assert.deepEqual(codes(r.json), ['publicity_served', 'rectification_verified']);
    assert.equal(r.json.check.conditions[1].values.basis, 'penalty');
    assert.equal(r.json.check.conditions[1].values.orders, 1);
    // the inspector verifies the order on its case
    const orderCase = Number(sql(srv.dir, `SELECT case_id FROM rectify_orders WHERE origin = 'penalty' AND origin_id = ${pc}`));
    r = await zf.post(`/api/v1/cases/${orderCase}/transitions`, { action: 'verify', note: '现场核查，已完成提标改造' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    r = await d.user.get(`/api/v1/repair/events/${evId}/check`);
    assert.deepEqual(codes(r.json), ['publicity_served']);
    assert.equal(r.json.check.conditions[1].values.all_verified, true);
    // four months on (the decision's date moved back as time would), the repair is granted
    sql(srv.dir, `UPDATE credit_events SET occurred_on = '${monthsAgo(4)}' WHERE id = ${evId}`);
    sql(srv.dir, `UPDATE penalty_cases SET decided_on = '${monthsAgo(4)}' WHERE id = ${pc}`);
    r = await d.user.post('/api/v1/repair/applications', { event_id: evId, statement: '罚款已缴纳，提标改造经核查通过' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal((await fetch(`${srv.base}/api/v1/public/penalty/decisions/${pc}`)).status, 200);
    r = await legal.post(`/api/v1/repair/applications/${r.json.id}/decision`, { decision: 'grant' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal((await fetch(`${srv.base}/api/v1/public/penalty/decisions/${pc}`)).status, 404);
    assert.equal((await credit(d.id)).history[0].cause, 'repair');
  });

  test('a rule set may let a failing application be filed; the grant still needs the conditions', async () => {
    const c = firms.c;
    const cur = (await admin.get('/api/v1/rules/resolve?kind=credit.repair&region=330502')).json;
    let r = await admin.post('/api/v1/rules', { kind: 'credit.repair', region_prefix: '3305', effective_from: chinaToday(),
      source: 'e2e：湖州试行', note: 'e2e', body: { ...cur.body, file_when_failing: true } });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const rule = r.json;
    const ev = (await c.user.get('/api/v1/repair/events')).json.items.find((i) => i.type === 'penalty');
    r = await c.user.post('/api/v1/repair/applications', { event_id: ev.id, statement: '暗管已拆除' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.conditions_ok, 0);
    assert.equal(r.json.rule_set_id, rule.id);
    r = await legal.post(`/api/v1/repair/applications/${r.json.id}/decision`, { decision: 'grant' });
    assert.equal(r.status, 409);
    assert.deepEqual(failing(r), ['no_veto']);
    assert.equal(sql(srv.dir, `SELECT COUNT(*) FROM credit_events WHERE id = ${ev.id} AND revoked_at IS NULL`), '1');
  });
});
