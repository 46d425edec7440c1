// Penalties end to end (SQLite, and PostgreSQL with ENVGOV_TEST_PG): a problem becomes a penalty
// case (立案, the filing clock, one case per problem), is investigated, its discretion worked out
// (the advisory amount and reasoning; a departure needs a written reason; bad input names the
// field), the prior notice served as a PDF, a hearing asked by the enterprise (the clock pauses)
// and held, the penalty decided (the decision PDF, a credit event lowering the grade), published
// and visible on the public page without login, withdrawn from it when the credit event is
// revoked (credit repair); a minor first air exceedance measured from the monitoring data passes
// the no-penalty list and its decision opens a rectification order of origin exempt (免罚不免责);
// an unpublished decision is not public; roles and the enterprise's scope hold; the risk-point
// list is public as JSON and PDF.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, usccWithCheck, chinaToday, sql } from './lib.mjs';

let srv, admin, inspector, leader, legal, entUser;
let own; // the demo enterprise user's firm
let air; // a firm with an air outlet, an hourly SO2 limit and a monitoring point

const today = chinaToday();
function addDays(d, n) {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}
const esc = (s) => s.replace(/'/g, "''");

// A problem row of the rectify hub (its own API lands on main; SQL keeps this test about
// penalties).
function problem(ent, { violation_type, category = 'permit', found_on, point_id = null, closed_on = null, description = '现场检查发现问题' }) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const id = sql(srv.dir, `INSERT INTO problems (enterprise_id, region_code, level, source_kind, point_id, category, description, clause, violation_type, found_on, status, closed_on, created_at, updated_at)
    VALUES (${ent.id}, '${ent.region_code}', 'enforcement', 'manual', ${point_id ?? 'NULL'}, '${category}', '${esc(description)}', '', '${violation_type}', '${found_on}', '${closed_on ? 'closed' : 'open'}', ${closed_on ? `'${closed_on}'` : 'NULL'}, '${now}', '${now}') RETURNING id`);
  return Number(id.split('\n')[0]);
}

async function credit(id) {
  const r = await admin.get(`/api/v1/credit/enterprises/${id}`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

async function move(c, id, body, status = 200) {
  const r = await c.post(`/api/v1/penalty/cases/${id}/transitions`, body);
  assert.equal(r.status, status, `${body.action}: ${JSON.stringify(r.json)}`);
  return r.json;
}

const LEVELS = { harm: 'general', fault: 'gross', means: 'ordinary', object: 'ordinary', repetition: 'first', rectification: 'on_time' };

before(async () => {
  srv = await startServer({ enterprises: 30 });
  admin = await loginAs(srv.base, 'admin');
  inspector = await loginAs(srv.base, 'zf07'); // 吴兴分局: the firms below are in 吴兴区
  leader = await loginAs(srv.base, 'leader');
  legal = await loginAs(srv.base, 'legal');
  entUser = await loginAs(srv.base, 'enterprise');
  const eid = Number(sql(srv.dir, "SELECT enterprise_id FROM users WHERE username = 'enterprise'"));
  own = (await admin.get(`/api/v1/enterprises/${eid}`)).json;
  // the 90-day decision clock reaches into next year: a test calendar for it when the shipped
  // files stop at this year (an admin loads the State Council's schedule when it is published)
  const next = Number(today.slice(0, 4)) + 1;
  if ((await admin.get(`/api/v1/calendar/${next}`)).status !== 200) {
    const cal = await admin.put(`/api/v1/calendar/${next}`, { year: next, source: 'e2e test (weekends and New Year only)', holidays: [{ name: '元旦', from: `${next}-01-01`, to: `${next}-01-01` }], workdays: [] });
    assert.equal(cal.status, 200, JSON.stringify(cal.json));
  }
  let r = await admin.post('/api/v1/enterprises', { name: '吴兴区处罚测试热电有限公司', uscc: usccWithCheck('91330502MA7PENA01'), region_code: '330502', industry_code: '4411', category: 'key' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  air = r.json;
  r = await admin.post(`/api/v1/enterprises/${air.id}/outlets`, { code: 'DA001', name: '锅炉废气排口', kind: 'air' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const outlet = r.json;
  r = await admin.post(`/api/v1/outlets/${outlet.id}/limits`, { pollutant_code: 'a21026', value: 100, unit: 'mg/m3', basis: 'hour' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await admin.post(`/api/v1/enterprises/${air.id}/points`, { outlet_id: outlet.id, mn: '33050200000000PENA0001', name: '锅炉在线监测', password: '654321' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  air.point = r.json;
});

after(async () => { await srv?.stop(); });

describe('penalties', () => {
  let pid, caseId;

  test('a problem is filed as a case: the filing clock, one case per problem, bad input names the field', async () => {
    const found = addDays(today, -2);
    pid = problem(own, { violation_type: 'water_exceed', category: 'online_monitoring', found_on: found, description: '废水总排口化学需氧量超标排放' });
    for (const [body, field] of [[{ violation_type: 'no_such_type' }, 'violation_type'], [{ filed_on: addDays(found, -1) }, 'filed_on'],
      [{ filed_on: '2026-13-40' }, 'filed_on'], [{ filed_on: addDays(today, 1) }, 'filed_on']]) {
      const r = await inspector.post(`/api/v1/problems/${pid}/penalty`, body);
      assert.equal(r.status, 422, JSON.stringify(r.json));
      assert.equal(r.json.error.field, field);
    }
    // a problem found 40 days ago filed today is late (15 days, extendable by 15): it needs a reason
    const old = problem(own, { violation_type: 'ledger', found_on: addDays(today, -40) });
    let r = await inspector.post(`/api/v1/problems/${old}/penalty`, {});
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'late_reason');
    r = await inspector.post(`/api/v1/problems/${old}/penalty`, { late_reason: '线索移送滞后，经负责人批准延长核查' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.late, true);
    // the enterprise and the monitoring centre may not file
    assert.equal((await entUser.post(`/api/v1/problems/${pid}/penalty`, {})).status, 403);
    assert.equal((await (await loginAs(srv.base, 'monitor')).post(`/api/v1/problems/${pid}/penalty`, {})).status, 403);
    assert.equal((await inspector.post('/api/v1/problems/999999/penalty', {})).status, 404);
    r = await inspector.post(`/api/v1/problems/${pid}/penalty`, {});
    assert.equal(r.status, 201, JSON.stringify(r.json));
    caseId = r.json.id;
    assert.equal(r.json.filing_due, addDays(found, 15));
    assert.equal(r.json.late, false);
    r = await inspector.post(`/api/v1/problems/${pid}/penalty`, {});
    assert.equal(r.status, 409);
    const d = (await inspector.get(`/api/v1/penalty/cases/${caseId}`)).json;
    assert.equal(d.case.status, 'filed');
    assert.equal(d.case.violation_type, 'water_exceed');
    assert.equal(d.case.title, '超过水污染物排放标准排放水污染物');
    assert.equal(d.case.facts, '废水总排口化学需氧量超标排放');
    assert.equal(d.deadlines.filing_due, addDays(found, 15));
    assert.equal(d.deadlines.decision_days, 90);
    assert.deepEqual(d.actions.map((a) => a.action).sort(), ['investigate']);
    const k = (await inspector.get(`/api/v1/cases/${d.case.case_id}`)).json;
    assert.equal(k.type, 'penalty');
    assert.equal(k.state, 'filed');
  });

  test('the discretion: the advisory amount with its reasoning; a departure needs a reason', async () => {
    await move(inspector, caseId, { action: 'investigate' });
    // the notice needs the discretion first
    let r = await inspector.post(`/api/v1/penalty/cases/${caseId}/transitions`, { action: 'notify' });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, 'amount_yuan');
    const { means, ...partial } = LEVELS;
    r = await inspector.post(`/api/v1/penalty/cases/${caseId}/calculate`, { levels: partial });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'levels.means');
    r = await inspector.post(`/api/v1/penalty/cases/${caseId}/calculate`, { levels: LEVELS, mitigation: 'much' });
    assert.equal(r.json.error.field, 'mitigation');
    r = await inspector.post(`/api/v1/penalty/cases/${caseId}/calculate`, { levels: LEVELS, mitigation: 'reduced', ground: 'cooperative' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'ground');
    r = await inspector.post(`/api/v1/penalty/cases/${caseId}/calculate`, { levels: LEVELS });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.advisory_yuan, 424000);
    assert.equal(r.json.min_yuan, 100000);
    assert.ok(r.json.reasoning.some((l) => l.zh.includes('水污染防治法')));
    assert.ok(r.json.reasoning.some((l) => l.zh === '建议罚款金额：424000 元'));
    // 减轻 below the minimum with an art. 32 ground
    r = await inspector.post(`/api/v1/penalty/cases/${caseId}/calculate`, { levels: LEVELS, mitigation: 'reduced', ground: 'art32_1' });
    assert.equal(r.json.advisory_yuan, 50000);
    // the enterprise may not use the calculator
    assert.equal((await entUser.post(`/api/v1/penalty/cases/${caseId}/calculate`, { levels: LEVELS })).status, 403);
    r = await inspector.put(`/api/v1/penalty/cases/${caseId}/discretion`, { levels: LEVELS, amount_yuan: 400000 });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'departure_reason');
    r = await inspector.put(`/api/v1/penalty/cases/${caseId}/discretion`, { levels: LEVELS, amount_yuan: 2000000, departure_reason: '超出法定幅度的金额不被接受' });
    assert.equal(r.json.error.field, 'amount_yuan');
    r = await inspector.put(`/api/v1/penalty/cases/${caseId}/discretion`, { levels: LEVELS, amount_yuan: 400000, departure_reason: '当事人超标后立即停产并主动报告，酌情下调' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const d = (await inspector.get(`/api/v1/penalty/cases/${caseId}`)).json;
    assert.equal(d.case.amount_yuan, 400000);
    assert.equal(d.case.advisory_yuan, 424000);
    assert.equal(d.case.factors.harm, 'general');
    assert.match(d.case.departure_reason, /主动报告/);
  });

  test('notice, a hearing the enterprise asks for (the clock pauses), the decision lowers credit', async () => {
    const c0 = await credit(own.id);
    let r = await move(inspector, caseId, { action: 'notify' });
    assert.ok(r.document_id > 0);
    assert.match(r.document_number, /罚告/);
    let d = (await inspector.get(`/api/v1/penalty/cases/${caseId}`)).json;
    assert.equal(d.case.status, 'noticed');
    assert.equal(d.case.noticed_on, today);
    assert.ok(d.deadlines.hearing_request_due > today);
    // the discretion is fixed once the notice is out
    r = await inspector.put(`/api/v1/penalty/cases/${caseId}/discretion`, { levels: LEVELS });
    assert.equal(r.status, 409);
    // deciding within the statement period needs the party's waiver
    r = await leader.post(`/api/v1/penalty/cases/${caseId}/transitions`, { action: 'decide' });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, 'waived');
    // the enterprise sees its case and asks for a hearing
    const mine = (await entUser.get('/api/v1/penalty/cases')).json;
    assert.ok(mine.items.some((x) => x.id === caseId));
    assert.ok(mine.items.every((x) => x.enterprise_id === own.id));
    await move(entUser, caseId, { action: 'request_hearing', note: '要求举行听证' });
    const k = (await inspector.get(`/api/v1/cases/${d.case.case_id}`)).json;
    assert.equal(k.state, 'hearing');
    assert.equal(k.clock_state, 'paused');
    r = await leader.post(`/api/v1/penalty/cases/${caseId}/transitions`, { action: 'decide', waived: true });
    assert.equal(r.status, 409, 'no decision during the hearing');
    r = await legal.post(`/api/v1/penalty/cases/${caseId}/transitions`, { action: 'hearing_done' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'note');
    await move(legal, caseId, { action: 'hearing_done', note: '听证会已举行，当事人陈述意见已记录' });
    // an inspector may not decide; the leader does
    r = await inspector.post(`/api/v1/penalty/cases/${caseId}/transitions`, { action: 'decide' });
    assert.equal(r.status, 403);
    r = await move(leader, caseId, { action: 'decide', publish: true });
    assert.match(r.decision_no, /罚/);
    assert.ok(r.credit_event_id > 0);
    d = (await inspector.get(`/api/v1/penalty/cases/${caseId}`)).json;
    assert.equal(d.case.status, 'decided');
    assert.equal(d.case.outcome, 'penalty');
    assert.equal(d.case.decided_on, today);
    assert.equal(d.deadlines.payment_due, addDays(today, 15));
    assert.ok(d.case.decision_attachment_id > 0);
    const c1 = await credit(own.id);
    assert.ok(c1.events.some((e) => e.source === 'penalty' && e.source_id === caseId && e.type === 'penalty'));
    assert.ok(c1.subject.score < c0.subject.score, `score ${c0.subject.score} → ${c1.subject.score}`);
    // the decision PDF is a PDF
    const pdf = await inspector.get(`/api/v1/attachments/${d.case.decision_attachment_id}/content`);
    assert.equal(pdf.status, 200);
    assert.match(pdf.headers.get('content-type'), /pdf/);
  });

  test('a published decision is public without login; a revoked credit event withdraws it', async () => {
    let r = await fetch(`${srv.base}/api/v1/public/penalty/decisions`);
    assert.equal(r.status, 200);
    let list = await r.json();
    const item = list.items.find((x) => x.id === caseId);
    assert.ok(item, JSON.stringify(list));
    assert.equal(item.amount_yuan, 400000);
    assert.equal(item.outcome, 'penalty');
    r = await fetch(`${srv.base}/api/v1/public/penalty/decisions/${caseId}`);
    assert.equal(r.status, 200);
    assert.ok((await r.json()).verify_token);
    // execution and closing
    r = await legal.post(`/api/v1/penalty/cases/${caseId}/transitions`, { action: 'execute' });
    assert.equal(r.json.error.field, 'note');
    await move(legal, caseId, { action: 'execute', note: '罚款已缴纳' });
    await move(legal, caseId, { action: 'close' });
    // credit repair revokes the event: the publication is withdrawn
    const ev = (await credit(own.id)).events.find((e) => e.source === 'penalty' && e.source_id === caseId);
    r = await legal.post(`/api/v1/credit/events/${ev.id}/revoke`, { reason: '信用修复：已完成整改并公示期满' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    list = await (await fetch(`${srv.base}/api/v1/public/penalty/decisions`)).json();
    assert.ok(!list.items.some((x) => x.id === caseId), 'withdrawn');
    assert.equal((await fetch(`${srv.base}/api/v1/public/penalty/decisions/${caseId}`)).status, 404);
  });

  test('a minor first air exceedance measured from the data passes the no-penalty list; its decision opens a rectification order', async () => {
    const found = addDays(today, -3);
    const day = addDays(found, 0);
    // hourly SO2 averages on found_on: two hours 5 % over the limit of 100, the rest under
    const rows = [];
    for (let hr = 0; hr < 24; hr++) {
      const v = hr === 9 || hr === 10 ? 105 : 80;
      rows.push(`(${air.point.id}, '2061', '${day} ${String(hr).padStart(2, '0')}:00:00', 'a21026', 'Avg', ${v}, 'N', '${new Date().toISOString()}')`);
    }
    sql(srv.dir, `INSERT INTO readings (point_id, cn, data_time, factor, kind, value, flag, received_at) VALUES ${rows.join(',')}`);
    const p2 = problem(air, { violation_type: 'air_exceed', category: 'online_monitoring', found_on: found, point_id: air.point.id, closed_on: addDays(found, 2), description: '锅炉废气二氧化硫小时均值超标' });
    let r = await inspector.post(`/api/v1/problems/${p2}/penalty`, {});
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const id = r.json.id;
    await move(inspector, id, { action: 'investigate' });
    let d = (await inspector.get(`/api/v1/penalty/cases/${id}`)).json;
    let item = d.exempt.items.find((i) => i.code === 'first_air_exceed');
    assert.equal(item.applies, true);
    assert.equal(item.passed, false, 'harm not assessed yet');
    assert.equal(item.conditions.find((c) => c.fact === 'harm_level').verdict, 'unknown');
    const mult = item.conditions.find((c) => c.fact === 'exceed_multiple');
    assert.equal(mult.verdict, 'pass');
    assert.match(mult.zh, /实测 0\.05 倍/);
    assert.equal(item.conditions.find((c) => c.fact === 'exceed_hours').verdict, 'pass');
    assert.equal(d.exempt.facts.exceed_hours, 2);
    assert.equal(d.exempt.facts.corrected_days, 2);
    assert.equal(d.exempt.items.find((i) => i.code === 'ledger_minor').applies, false);
    r = await inspector.put(`/api/v1/penalty/cases/${id}/discretion`, { levels: { ...LEVELS, harm: 'minor', fault: 'negligent' } });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    d = (await inspector.get(`/api/v1/penalty/cases/${id}`)).json;
    item = d.exempt.items.find((i) => i.code === 'first_air_exceed');
    assert.equal(item.passed, true, JSON.stringify(item.conditions));
    assert.equal(d.exempt.passed_item, 'first_air_exceed');
    assert.ok(!d.actions.some((a) => a.action === 'decide_no_penalty'), 'an inspector does not decide');
    assert.ok((await leader.get(`/api/v1/penalty/cases/${id}`)).json.actions.some((a) => a.action === 'decide_no_penalty'));
    // 免罚不免责: education and a requirement are required; the item must be met
    r = await leader.post(`/api/v1/penalty/cases/${id}/transitions`, { action: 'decide_no_penalty', item: 'first_air_exceed', requirement: '完善脱硫设施运行管理' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'education');
    r = await leader.post(`/api/v1/penalty/cases/${id}/transitions`, { action: 'decide_no_penalty', item: 'ledger_minor', education: '约谈并普法', requirement: '完善台账' });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, 'item');
    r = await leader.post(`/api/v1/penalty/cases/${id}/transitions`, { action: 'decide_no_penalty', item: 'nope', education: '约谈', requirement: '整改' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'item');
    r = await move(leader, id, { action: 'decide_no_penalty', item: 'first_air_exceed', education: '约谈企业负责人，讲解大气污染防治法有关规定', requirement: '完善脱硫设施运行管理并设置在线监测预警值', workdays: 10, publish: false });
    assert.ok(r.rectify_order_id > 0);
    assert.match(r.decision_no, /不罚/);
    const order = sql(srv.dir, `SELECT origin, origin_id, enterprise_id, workdays FROM rectify_orders WHERE id = ${r.rectify_order_id}`);
    assert.equal(order, `exempt|${id}|${air.id}|10`);
    d = (await inspector.get(`/api/v1/penalty/cases/${id}`)).json;
    assert.equal(d.case.outcome, 'no_penalty');
    assert.equal(d.case.exempt_item, 'first_air_exceed');
    assert.match(d.case.education, /约谈/);
    assert.ok(Array.isArray(d.case.exempt_eval) && d.case.exempt_eval.length >= 5, JSON.stringify(d.case.exempt_eval).slice(0, 300));
    // no credit event for a no-penalty decision
    assert.ok(!(await credit(air.id)).events.some((e) => e.source === 'penalty'));
    // unpublished: not public; published: public
    let list = await (await fetch(`${srv.base}/api/v1/public/penalty/decisions`)).json();
    assert.ok(!list.items.some((x) => x.id === id));
    assert.equal((await inspector.post(`/api/v1/penalty/cases/${id}/publish`, { published: true })).status, 403);
    r = await leader.post(`/api/v1/penalty/cases/${id}/publish`, { published: true });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    list = await (await fetch(`${srv.base}/api/v1/public/penalty/decisions?outcome=no_penalty`)).json();
    assert.ok(list.items.some((x) => x.id === id && x.outcome === 'no_penalty'));
    // it cannot close before the rectification is verified
    await move(legal, id, { action: 'execute', note: '已教育' });
    r = await legal.post(`/api/v1/penalty/cases/${id}/transitions`, { action: 'close' });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'rectification_open');
    // a second air exceedance of the same firm is no longer a first violation
    const p3 = problem(air, { violation_type: 'air_exceed', found_on: today, point_id: air.point.id });
    r = await inspector.post(`/api/v1/problems/${p3}/penalty`, {});
    const d3 = (await inspector.get(`/api/v1/penalty/cases/${r.json.id}`)).json;
    const first = d3.exempt.items.find((i) => i.code === 'first_air_exceed').conditions.find((c) => c.fact === 'first_violation');
    assert.equal(first.verdict, 'fail');
  });

  test('the hazardous-waste item reads the amount entered', async () => {
    const p = problem(air, { violation_type: 'hw_label', category: 'hazardous_waste', found_on: addDays(today, -4), closed_on: addDays(today, -1) });
    const id = (await inspector.post(`/api/v1/problems/${p}/penalty`, {})).json.id;
    await inspector.put(`/api/v1/penalty/cases/${id}/discretion`, { levels: { ...LEVELS, harm: 'none' } });
    const cond = async (q) => (await inspector.get(`/api/v1/penalty/cases/${id}${q}`)).json.exempt.items.find((i) => i.code === 'hw_label_missing');
    assert.equal((await cond('')).conditions.find((c) => c.fact === 'hw_tonnes_year').verdict, 'unknown');
    assert.equal((await cond('?hw_tonnes_year=0.6')).passed, true);
    assert.equal((await cond('?hw_tonnes_year=3')).passed, false);
    const r = await inspector.get(`/api/v1/penalty/cases/${id}?hw_tonnes_year=-1`);
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'hw_tonnes_year');
  });

  test('scope and roles: an enterprise sees only its own cases; the list sorts, filters and pages', async () => {
    const other = (await admin.get('/api/v1/penalty/cases?limit=500')).json.items.find((x) => x.enterprise_id !== own.id);
    assert.ok(other);
    assert.equal((await entUser.get(`/api/v1/penalty/cases/${other.id}`)).status, 404);
    assert.equal((await entUser.post(`/api/v1/penalty/cases/${other.id}/transitions`, { action: 'request_hearing' })).status, 404);
    const all = (await admin.get('/api/v1/penalty/cases?sort=filed_on&order=asc&limit=2')).json;
    assert.equal(all.items.length, 2);
    assert.ok(all.total >= 5);
    const page2 = (await admin.get('/api/v1/penalty/cases?sort=filed_on&order=asc&limit=2&offset=2')).json;
    assert.ok(!page2.items.some((x) => all.items.some((y) => y.id === x.id)));
    const decided = (await admin.get('/api/v1/penalty/cases?outcome=penalty')).json;
    assert.ok(decided.items.length >= 1 && decided.items.every((x) => x.outcome === 'penalty'));
    const air1 = (await admin.get('/api/v1/penalty/cases?violation_type=air_exceed')).json;
    assert.ok(air1.items.every((x) => x.violation_type === 'air_exceed'));
    for (const [q, field] of [['sort=price', 'sort'], ['status=lost', 'status'], ['outcome=maybe', 'outcome'], ['limit=0', 'limit']]) {
      const r = await admin.get(`/api/v1/penalty/cases?${q}`);
      assert.equal(r.status, 422, q);
      assert.equal(r.json.error.field, field);
    }
    assert.equal((await fetch(`${srv.base}/api/v1/penalty/cases`)).status, 401);
  });

  test('the risk-point list is public as JSON and as a PDF', async () => {
    let r = await fetch(`${srv.base}/api/v1/public/penalty/risk-points`);
    assert.equal(r.status, 200);
    const j = await r.json();
    const common = j.industries.find((i) => i.code === '*');
    assert.ok(common.items.some((v) => v.code === 'hw_label' && v.exempt.some((e) => e.code === 'hw_label_missing')));
    const paper = (await (await fetch(`${srv.base}/api/v1/public/penalty/risk-points?industry=2211`)).json()).industries;
    assert.ok(paper.some((i) => i.code === '22' && i.items.some((v) => v.code === 'air_exceed')));
    assert.ok(!paper.some((i) => i.code === '13'), 'only the industry asked and the common items');
    r = await fetch(`${srv.base}/api/v1/public/penalty/risk-points/pdf`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /pdf/);
    const bytes = Buffer.from(await r.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  });

  test('the audit log has a row for each step', async () => {
    const n = Number(sql(srv.dir, `SELECT COUNT(*) FROM audit_log WHERE entity = 'penalty_case' AND entity_id = ${caseId}`));
    // create, discretion ×1 saved, investigate, notify, request_hearing, hearing_done, decide, execute, close
    assert.ok(n >= 9, String(n));
  });
});
