// Environmental credit end to end: an exceedance alarm (a device's hour value above its limit,
// over real HJ 212 TCP) files an exceedance day and lowers the enterprise's grade under the rule
// set in force for its region — the national four grades in 湖州, Jiangsu's 12-point five colours
// in 江苏 — with a history row naming the event; the legal section files and revokes events
// (checked against the rule set, JSON errors naming the field); the nightly job recomputes; an
// enterprise files objections that run as cases on the legal section's and its own to-do list
// and are upheld (event revoked, grade restored) or rejected; an enterprise user sees only its
// own credit; agencies are graded with their own rule set.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, usccWithCheck, chinaToday } from './lib.mjs';
import { frame, device, until } from './hj212.mjs';

let srv, admin, legal, entUser, hjPort, own, huzhou, jiangsu;
const PW = '654321';
let qn = 0;
const nextQn = () => `20261201${String(++qn).padStart(9, '0')}`;

async function credit(c, id) {
  const r = await c.get(`/api/v1/credit/enterprises/${id}`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

// An enterprise in region with a water outlet (hourly COD limit 50) and a monitoring point.
async function firm(name, uscc17, region, mn) {
  let r = await admin.post('/api/v1/enterprises', { name, uscc: usccWithCheck(uscc17), region_code: region, industry_code: '1713', category: 'key' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const ent = r.json;
  r = await admin.post(`/api/v1/enterprises/${ent.id}/outlets`, { code: 'DW001', name: '废水总排口', kind: 'water' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const outlet = r.json;
  r = await admin.post(`/api/v1/outlets/${outlet.id}/limits`, { pollutant_code: 'w01018', value: 50, unit: 'mg/L', basis: 'hour' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await admin.post(`/api/v1/enterprises/${ent.id}/points`, { outlet_id: outlet.id, mn, name: '总排口在线监测', password: PW });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return { ...ent, point: r.json, mn };
}

// The device sends an hour value of 80 mg/L (limit 50) until an exceedance alarm opens: the
// gateway's judging tables may be rebuilding when the first frame of a new point arrives (the
// watch resets them and judges the point's next frame), so the hour is sent again meanwhile.
async function exceed(f, count = 1) {
  const d = await device(hjPort);
  const n = async () => (await admin.get(`/api/v1/alarms?point_id=${f.point.id}&kind=exceed&limit=5`)).json.items.length;
  await until(async () => {
    d.send(frame(`QN=${nextQn()};ST=32;CN=2061;PW=${PW};MN=${f.mn};Flag=5;CP=&&DataTime=20261201090000;w01018-Avg=80,w01018-Flag=N&&`));
    await d.reply();
    for (let i = 0; i < 10; i++) {
      if (await n() >= count) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }, 8000, 'exceedance alarm');
  d.close();
}

before(async () => {
  srv = await startServer({ enterprises: 20, env: { ENVGOV_ALARM_SWEEP_S: '1' } });
  hjPort = Number(/--hj212 127\.0\.0\.1:(\d+)/.exec(srv.proc.spawnargs.join(' '))[1]);
  admin = await loginAs(srv.base, 'admin');
  legal = await loginAs(srv.base, 'legal');
  entUser = await loginAs(srv.base, 'enterprise');
  own = entUser.user.enterprise_id;
  // made first: the gateway reads new limits at its next refresh (every 10 s)
  huzhou = await firm('吴兴区信用测试化工有限公司', '91330502MA7CRED01', '330502', '33050000000000C0ED170001');
  jiangsu = await firm('江苏信用测试电镀有限公司', '91320000MA7CRED02', '320000', '32000000000000C0ED170002');
});
after(async () => { await srv?.stop(); });

describe('credit', () => {
  test('the 工作台 carries the credit figures for staff within their area, none for an enterprise', async () => {
    const d = (await legal.get('/api/v1/dashboard')).json;
    const ov = (await legal.get('/api/v1/credit/overview')).json;
    assert.deepEqual(d.credit.by_grade, ov.by_grade);
    assert.equal(d.credit.changed_this_month, ov.changes.reduce((s, c) => s + c.n, 0));
    const open = (await legal.get('/api/v1/credit/objections')).json.items.filter((o) => o.state === 'open').length;
    assert.equal(d.credit.objections_open, open);
    assert.equal((await entUser.get('/api/v1/dashboard')).json.credit, undefined);
  });

  test('the demo gives enterprises and agencies grades with a history', async () => {
    const ov = await admin.get('/api/v1/credit/overview');
    assert.equal(ov.status, 200);
    const graded = ov.json.by_grade.reduce((s, g) => s + g.n, 0);
    assert.ok(graded >= 20, JSON.stringify(ov.json));
    const c = await credit(entUser, own);
    assert.ok(c.subject.grade, 'the demo user\'s firm has a grade');
    assert.ok(c.history.length >= 2, 'its history has changes');
    assert.ok(c.history.some((h) => h.added.some((e) => e.type === 'penalty')), 'a change names its penalty');
    const ag = await admin.get('/api/v1/credit/subjects?kind=agency&limit=50');
    assert.equal(ag.status, 200);
    assert.ok(ag.json.items.length > 0 && ag.json.items.every((a) => /^[A-D]$/.test(a.grade)), JSON.stringify(ag.json.items[0]));
  });

  test('an exceedance alarm lowers a grade under the national rule set (湖州)', async () => {
    const f = huzhou;
    // legal: a manual deduction of 4 (96, still 环保诚信 green), within the rule's range
    let r = await legal.post('/api/v1/credit/events', { subject_id: f.id, type: 'manual', occurred_on: chinaToday(), points: -4, reason: '环境管理台账不全' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    let c = await credit(admin, f.id);
    assert.equal(c.subject.score, 96);
    assert.equal(c.subject.grade, 'green');
    assert.equal(c.rule.region, '');
    await exceed(f);
    c = await credit(admin, f.id);
    assert.equal(c.subject.score, 94);
    assert.equal(c.subject.grade, 'blue');
    const ev = c.events.find((e) => e.type === 'exceedance_day');
    assert.ok(ev, 'an exceedance day event');
    assert.equal(ev.source, 'alarm');
    assert.equal(ev.occurred_on, chinaToday());
    const h = c.history[0];
    assert.equal(h.prev_grade, 'green');
    assert.equal(h.grade, 'blue');
    assert.equal(h.cause, 'event');
    assert.deepEqual(h.added.map((e) => e.id), [ev.id]);
    assert.equal(h.rule_set_id, c.rule.id);
    // one exceedance day per enterprise and China date: a second alarm the same day adds none
    await admin.post(`/api/v1/alarms/${(await admin.get(`/api/v1/alarms?point_id=${f.point.id}&kind=exceed`)).json.items[0].id}/close`, { note: 'e2e' });
    await exceed(f, 2);
    c = await credit(admin, f.id);
    assert.equal(c.events.filter((e) => e.type === 'exceedance_day').length, 1);
    assert.equal(c.subject.score, 94);
    // the grade on a date, with the version that made it
    r = await admin.get(`/api/v1/credit/enterprises/${f.id}/grade-at?date=${chinaToday()}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.grade, 'blue');
    assert.equal(r.json.rule_version, c.rule.version);
    r = await admin.get(`/api/v1/credit/enterprises/${f.id}/grade-at?date=2020-01-01`);
    assert.equal(r.status, 404);
    // the version that graded is marked used: it can no longer change
    r = await admin.del(`/api/v1/rules/${c.rule.id}`);
    assert.equal(r.status, 409);
  });

  test('the same alarm lowers a Jiangsu firm under the 12-point rule set (new firm at 9)', async () => {
    const f = jiangsu;
    // the legal section of 湖州 does not see a firm outside its regions
    const r = await legal.post('/api/v1/credit/events', { subject_id: f.id, type: 'penalty', occurred_on: chinaToday(), reason: 'x' });
    assert.equal(r.status, 404);
    assert.equal(r.json.error.field, 'subject_id');
    let c = await credit(admin, f.id);
    assert.equal(c.rule.region, '32');
    await exceed(f);
    c = await credit(admin, f.id);
    // registered today: a new firm starts at 9 (blue); an exceedance day is -1: 8, yellow
    assert.equal(c.subject.score, 8);
    assert.equal(c.subject.grade, 'yellow');
    assert.equal(c.history[0].prev_grade, '');
    assert.ok(c.rule.body.grades.some((g) => g.code === 'black'));
  });

  test('events: the legal section files and revokes; bad input is refused naming the field', async () => {
    // a firm with no events yet: 100
    const made = await admin.post('/api/v1/enterprises', { name: '吴兴区信用事件测试有限公司', uscc: usccWithCheck('91330502MA7CRED03'), region_code: '330502', industry_code: '1713', category: 'general' });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const other = made.json;
    const bad = [
      [{ subject_id: other.id, type: 'penalty', occurred_on: chinaToday() }, 'reason'],
      [{ subject_id: other.id, type: 'no_such', occurred_on: chinaToday(), reason: 'x' }, 'type'],
      [{ subject_id: other.id, type: 'penalty', occurred_on: '2026-13-01', reason: 'x' }, 'occurred_on'],
      [{ subject_id: other.id, type: 'penalty', occurred_on: '2099-01-01', reason: 'x' }, 'occurred_on'],
      [{ subject_id: other.id, type: 'manual', occurred_on: chinaToday(), reason: 'x' }, 'points'],
      [{ subject_id: other.id, type: 'manual', occurred_on: chinaToday(), reason: 'x', points: -99 }, 'points'],
      [{ subject_id: other.id, type: 'penalty', occurred_on: chinaToday(), reason: 'x', points: -3 }, 'points'],
      [{ subject_id: 999999, type: 'penalty', occurred_on: chinaToday(), reason: 'x' }, 'subject_id'],
      [{ subject_id: other.id, type: 'penalty', occurred_on: chinaToday(), reason: 'x', evidence_attachment_id: 999999 }, 'evidence_attachment_id'],
      [{ subject_id: other.id, type: 'penalty', occurred_on: chinaToday(), reason: 'x'.repeat(3000) }, 'reason'],
    ];
    const before = (await credit(admin, other.id)).events.length;
    for (const [body, field] of bad) {
      const r = await legal.post('/api/v1/credit/events', body);
      assert.ok(r.status === 422 || r.status === 404, `${field}: ${r.status}`);
      assert.equal(r.json.error.field, field, JSON.stringify(r.json));
    }
    assert.equal((await credit(admin, other.id)).events.length, before, 'nothing written');
    // an inspector may not file; an enterprise may not either
    assert.equal((await (await loginAs(srv.base, 'inspector')).post('/api/v1/credit/events', bad[0][0])).status, 403);
    assert.equal((await entUser.post('/api/v1/credit/events', bad[0][0])).status, 403);
    // a penalty with evidence: -10; revoked with a reason: back
    const fd = new FormData();
    fd.append('file', new Blob([Buffer.from('%PDF-1.4\n%e2e\n')], { type: 'application/pdf' }), '处罚决定书.pdf');
    let r = await legal.post(`/api/v1/attachments?entity=enterprise&entity_id=${other.id}`, fd);
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const c0 = await credit(admin, other.id);
    r = await legal.post('/api/v1/credit/events', { subject_id: other.id, type: 'penalty', occurred_on: chinaToday(), reason: '超标排放处罚', evidence: '湖环罚〔2026〕1号', evidence_attachment_id: r.json.id });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const ev = r.json;
    assert.equal(ev.evidence_name, '处罚决定书.pdf');
    let c = await credit(admin, other.id);
    assert.equal(c0.subject.grade, null, 'never graded: no grade yet');
    assert.equal(c.subject.score, 90);
    assert.equal(c.subject.grade, 'blue');
    r = await legal.post(`/api/v1/credit/events/${ev.id}/revoke`, {});
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'reason');
    r = await legal.post(`/api/v1/credit/events/${ev.id}/revoke`, { reason: '决定已被撤销' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.ok(r.json.revoked_at);
    c = await credit(admin, other.id);
    assert.equal(c.subject.score, 100);
    assert.equal(c.subject.grade, 'green');
    assert.equal(c.history[0].cause, 'revoke');
    assert.deepEqual(c.history[0].removed.map((e) => e.id), [ev.id]);
    r = await legal.post(`/api/v1/credit/events/${ev.id}/revoke`, { reason: 'again' });
    assert.equal(r.status, 409);
    const audit = await admin.get(`/api/v1/audit?entity=credit_event&entity_id=${ev.id}`);
    assert.deepEqual(audit.json.items.map((a) => a.action).sort(), ['create', 'revoke']);
  });

  test('the nightly job recomputes every subject', async () => {
    const r = await admin.post('/api/v1/jobs/credit.recompute/run', {});
    assert.equal(r.status, 202, JSON.stringify(r.json));
    let run;
    await until(async () => {
      run = (await admin.get('/api/v1/jobs/credit.recompute/runs?limit=10')).json.items.find((x) => x.id === r.json.run_id);
      return run && run.status !== 'queued' && run.status !== 'running' && run;
    }, 10000, 'the recompute run');
    assert.equal(run.status, 'ok', JSON.stringify(run));
    assert.match(run.note, /subjects, 0 changed/, 'every grade was already recomputed with its events');
  });

  test('an enterprise sees only its own credit, signs a commitment and files objections', async () => {
    const other = (await admin.get('/api/v1/enterprises?limit=5')).json.items.find((e) => e.id !== own);
    assert.equal((await entUser.get(`/api/v1/credit/enterprises/${other.id}`)).status, 404);
    assert.equal((await entUser.get(`/api/v1/credit/enterprises/${other.id}/grade-at`)).status, 404);
    assert.equal((await entUser.get('/api/v1/credit/overview')).status, 403);
    assert.equal((await entUser.get('/api/v1/credit/subjects')).status, 403);
    const objs = (await entUser.get('/api/v1/credit/objections')).json.items;
    assert.ok(objs.every((o) => o.enterprise_id === own));
    // a commitment: an event of its own
    let r = await entUser.post('/api/v1/credit/commitments', { text: '本企业承诺依法排污' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.type, 'commitment');
    assert.equal(r.json.subject_id, own);
    // the legal section files two deductions; the enterprise objects to both
    const e1 = (await legal.post('/api/v1/credit/events', { subject_id: own, type: 'late_rectification', occurred_on: chinaToday(), reason: '逾期整改' })).json;
    const e2 = (await legal.post('/api/v1/credit/events', { subject_id: own, type: 'complaint_substantiated', occurred_on: chinaToday(), reason: '投诉属实' })).json;
    const scoreWithBoth = (await credit(entUser, own)).subject.score;
    r = await entUser.post('/api/v1/credit/objections', { event_id: e1.id });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'reason');
    r = await entUser.post('/api/v1/credit/objections', { reason: 'x' });
    assert.equal(r.json.error.field, 'event_id');
    r = await entUser.post('/api/v1/credit/objections', { event_id: (await credit(admin, other.id)).events[0]?.id ?? 999999, reason: '不是我的' });
    assert.equal(r.status, 404, 'another firm\'s event');
    const o1 = await entUser.post('/api/v1/credit/objections', { event_id: e1.id, reason: '整改已按期完成，附验收记录' });
    assert.equal(o1.status, 201, JSON.stringify(o1.json));
    const o2 = await entUser.post('/api/v1/credit/objections', { event_id: e2.id, reason: '投诉内容与本企业无关' });
    assert.equal(o2.status, 201);
    // a case with a deadline in working days, on both to-do lists
    let k = await legal.get(`/api/v1/cases/${o1.json.case_id}`);
    assert.equal(k.status, 200, JSON.stringify(k.json));
    assert.equal(k.json.type, 'credit_objection');
    assert.equal(k.json.unit, 'workdays');
    assert.equal(k.json.limit_n, 15);
    assert.ok(k.json.due_at);
    assert.ok(k.json.actions.some((a) => a.action === 'uphold'));
    assert.ok(JSON.stringify(k.json).includes('整改已按期完成，附验收记录'), 'the grounds are on the case\'s timeline');
    const todoLegal = (await legal.get('/api/v1/todo')).json.items;
    assert.ok(todoLegal.some((i) => i.id === o1.json.case_id), 'on the legal section\'s to-do');
    const todoEnt = (await entUser.get('/api/v1/todo')).json.items;
    assert.ok(todoEnt.some((i) => i.id === o1.json.case_id), 'on the enterprise\'s to-do');
    // the enterprise cannot decide its own objection
    r = await entUser.post(`/api/v1/cases/${o1.json.case_id}/transitions`, { action: 'uphold', note: 'x' });
    assert.equal(r.status, 403);
    // upheld: the event is revoked and the grade recomputed
    r = await legal.post(`/api/v1/cases/${o1.json.case_id}/transitions`, { action: 'uphold', note: '经核查整改按期完成' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    let c = await credit(entUser, own);
    assert.ok(c.events.find((e) => e.id === e1.id).revoked_at);
    assert.equal(c.history[0].cause, 'objection');
    assert.ok(c.subject.score > scoreWithBoth);
    assert.equal(c.objections.find((o) => o.id === o1.json.id).state, 'upheld');
    // rejected: needs a reason; the event stays
    r = await legal.post(`/api/v1/cases/${o2.json.case_id}/transitions`, { action: 'reject' });
    assert.equal(r.status, 422);
    r = await legal.post(`/api/v1/cases/${o2.json.case_id}/transitions`, { action: 'reject', note: '投诉经现场核实属实' });
    assert.equal(r.status, 200);
    c = await credit(entUser, own);
    assert.equal(c.events.find((e) => e.id === e2.id).revoked_at, null);
    const o = c.objections.find((x) => x.id === o2.json.id);
    assert.equal(o.state, 'rejected');
    assert.equal(o.decision_reason, '投诉经现场核实属实');
    // an objection to a revoked event is refused
    r = await entUser.post('/api/v1/credit/objections', { event_id: e1.id, reason: 'again' });
    assert.equal(r.status, 409);
    // an objection to a grade change, withdrawn by the enterprise; another firm's change is refused
    const change = c.history.find((x) => x.prev_grade);
    r = await entUser.post('/api/v1/credit/objections', { grade_id: (await credit(admin, other.id)).history[0]?.id ?? 999999, reason: 'x' });
    assert.equal(r.status, 404);
    r = await entUser.post('/api/v1/credit/objections', { grade_id: change.id, event_id: e2.id, reason: 'x' });
    assert.equal(r.json.error.field, 'event_id', 'one of the two');
    const o3 = await entUser.post('/api/v1/credit/objections', { grade_id: change.id, reason: '等级调整依据不足' });
    assert.equal(o3.status, 201, JSON.stringify(o3.json));
    r = await entUser.post(`/api/v1/cases/${o3.json.case_id}/transitions`, { action: 'withdraw' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    c = await credit(entUser, own);
    assert.equal(c.objections.find((x) => x.id === o3.json.id).state, 'withdrawn');
    const audit = (await admin.get(`/api/v1/audit?entity=credit_objection&entity_id=${o1.json.id}`)).json.items.map((a) => a.action).sort();
    assert.deepEqual(audit, ['create', 'uphold']);
  });

  test('agencies are rated with their own rule set', async () => {
    const ag = (await admin.get('/api/v1/agencies?limit=5')).json.items[0];
    const before = (await admin.get(`/api/v1/credit/agencies/${ag.id}`)).json;
    assert.equal(before.rule.kind, 'credit.agency');
    let r = await legal.post('/api/v1/credit/events', { subject_kind: 'agency', subject_id: ag.id, type: 'quality_finding_major', occurred_on: chinaToday(), reason: '报告存在重大质量问题' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    r = await legal.post('/api/v1/credit/events', { subject_kind: 'agency', subject_id: ag.id, type: 'exceedance_day', occurred_on: chinaToday(), reason: 'x' });
    assert.equal(r.json.error.field, 'type', 'an enterprise type is not an agency type');
    const after = (await admin.get(`/api/v1/credit/agencies/${ag.id}`)).json;
    assert.equal(after.subject.score, Math.max(0, before.subject.score - 15));
    const list = (await admin.get('/api/v1/credit/subjects?kind=agency&sort=score&limit=50')).json.items;
    assert.ok(list.some((a) => a.id === ag.id && a.score === after.subject.score));
    assert.equal((await entUser.get(`/api/v1/credit/agencies/${ag.id}`)).status, 403);
    // agencies are not region-scoped: the 湖州 legal section sees those registered elsewhere too
    const all = (await admin.get('/api/v1/agencies?limit=100&total=1')).json;
    const seen = (await legal.get('/api/v1/credit/subjects?kind=agency&limit=100&total=1')).json;
    assert.equal(seen.total, all.total);
    assert.ok(all.items.some((a) => !a.region_code.startsWith('3305')), 'the demo has agencies outside 湖州');
  });

  test('the list filters, sorts and pages', async () => {
    let r = await admin.get('/api/v1/credit/subjects?limit=5&total=1&sort=-score');
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, 5);
    assert.ok(r.json.total >= 23, JSON.stringify(r.json.total));
    assert.ok(r.json.next_cursor);
    const scores = r.json.items.map((i) => i.score);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    const p2 = await admin.get(`/api/v1/credit/subjects?limit=5&sort=-score&cursor=${r.json.next_cursor}`);
    assert.equal(p2.json.items.length, 5);
    assert.ok(!p2.json.items.some((i) => r.json.items.some((j) => j.id === i.id)));
    r = await admin.get('/api/v1/credit/subjects?grade=yellow&limit=100');
    assert.ok(r.json.items.length >= 1 && r.json.items.every((i) => i.grade === 'yellow'));
    r = await admin.get('/api/v1/credit/subjects?region=32&limit=100');
    assert.deepEqual(r.json.items.map((i) => i.region_code), ['320000']);
    r = await admin.get('/api/v1/credit/subjects?limit=0');
    assert.equal(r.json.error.field, 'limit');
    r = await admin.get('/api/v1/credit/overview?kind=x');
    assert.equal(r.json.error.field, 'kind');
  });
});
