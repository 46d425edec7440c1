// The enforcement positive list (监督执法正面清单, src/positive/): the candidates view judges
// every criterion from data (the credit grade in credit_current, penalties in credit_events —
// the credit module's contract tables, filled here by SQL as that module would); an officer
// admits a candidate under the rule set in force (recorded and frozen); a firm that does not
// meet the criteria is nominated and listed when a leader approves the nomination's case; a
// malicious removal bars re-entry until a date both admission and nomination name; on-site
// inspections of listed firms need a leader's approval except complaint verification; the
// off-site record; the expiry job; enterprise users see only their own listing and term; roles
// outside the rules are refused.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, sql, chinaToday } from './lib.mjs';
import { until } from './hj212.mjs';

let srv, admin, leader, inspector, service, monitor, approver, ent;
const today = chinaToday();
const plusYears = (d, n) => `${Number(d.slice(0, 4)) + n}${d.slice(4)}`;

// Firms of 长兴县 (330522, the inspector's area) not on the list, set up as the test needs.
const pick = {};

async function candidate(c, id) {
  const name = pick.names[id];
  const r = await c.get(`/api/v1/positive/candidates?eligible=all&q=${encodeURIComponent(name)}&limit=500`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.items.find((i) => i.enterprise_id === id);
}

describe('positive list', () => {
  before(async () => {
    srv = await startServer({ enterprises: 60 });
    [admin, leader, inspector, service, monitor, approver] = await Promise.all(
      ['admin', 'leader', 'inspector', 'service', 'monitor', 'approver'].map((u) => loginAs(srv.base, u)));
    ent = await loginAs(srv.base, 'enterprise');
    const listed = new Set(sql(srv.dir, 'SELECT enterprise_id FROM positive_list').split('\n').map(Number));
    const rows = sql(srv.dir, "SELECT id, name FROM enterprises WHERE region_code = '330522' AND status = 'active' ORDER BY id")
      .split('\n').map((l) => l.split('|')).filter(([id]) => !listed.has(Number(id)));
    assert.ok(rows.length >= 4, 'four unlisted firms in 长兴县');
    pick.names = Object.fromEntries(rows.map(([id, name]) => [Number(id), name]));
    [pick.good, pick.yellow, pick.penalised, pick.untagged] = rows.slice(0, 4).map(([id]) => Number(id));
    pick.outside = Number(sql(srv.dir, "SELECT id FROM enterprises WHERE region_code <> '330522' AND region_code LIKE '3305%' ORDER BY id LIMIT 1"));
    pick.names[pick.outside] = sql(srv.dir, `SELECT name FROM enterprises WHERE id = ${pick.outside}`);
    for (const id of [pick.good, pick.yellow, pick.penalised, pick.outside]) {
      sql(srv.dir, `UPDATE enterprises SET tags = 'livelihood', category = 'general' WHERE id = ${id}`);
    }
    sql(srv.dir, `UPDATE enterprises SET tags = '' WHERE id = ${pick.untagged}`);
    // The demo gives firms credit events (the credit module's); these start with none.
    sql(srv.dir, `DELETE FROM credit_events WHERE subject_kind = 'enterprise' AND subject_id IN (${[pick.good, pick.yellow, pick.penalised, pick.untagged, pick.outside].join(', ')})`);
    const grade = (id, g) => sql(srv.dir, `INSERT INTO credit_current (subject_kind, subject_id, grade, score, rule_set_id, rule_version, since) VALUES ('enterprise', ${id}, '${g}', 90, 1, 1, '2026-01-01') ON CONFLICT (subject_kind, subject_id) DO UPDATE SET grade = excluded.grade, score = excluded.score`);
    grade(pick.good, 'green');
    grade(pick.yellow, 'yellow');
    grade(pick.penalised, 'blue');
    grade(pick.untagged, 'green');
    grade(pick.outside, 'green');
    const oneYearAgo = plusYears(today, -1);
    sql(srv.dir, `INSERT INTO credit_events (subject_kind, subject_id, type, occurred_on) VALUES ('enterprise', ${pick.penalised}, 'penalty', '${oneYearAgo}')`);
    // A revoked penalty does not count.
    sql(srv.dir, `INSERT INTO credit_events (subject_kind, subject_id, type, occurred_on, revoked_at) VALUES ('enterprise', ${pick.good}, 'penalty', '${oneYearAgo}', '2026-06-01T00:00:00Z')`);
  });
  after(async () => { await srv?.stop(); });

  test('the candidates view judges every criterion from data, with its reason', async () => {
    const good = await candidate(admin, pick.good);
    assert.equal(good.eligible, true, JSON.stringify(good));
    assert.deepEqual(good.checks.map((c) => c.criterion), ['grade', 'no_penalty', 'category', 'tag', 'not_barred', 'not_listed']);
    assert.ok(good.checks.every((c) => c.ok));
    assert.match(good.checks[0].zh, /环保诚信/);
    assert.ok(good.rule_set_id > 0 && good.rule_version >= 1);
    const yellow = await candidate(admin, pick.yellow);
    assert.equal(yellow.eligible, false);
    assert.deepEqual(yellow.checks.filter((c) => !c.ok).map((c) => c.criterion), ['grade']);
    assert.match(yellow.checks[0].en, /Credit grade yellow: not admissible \(needs green, blue\)/);
    const pen = await candidate(admin, pick.penalised);
    assert.deepEqual(pen.checks.filter((c) => !c.ok).map((c) => c.criterion), ['no_penalty']);
    assert.match(pen.checks[1].zh, new RegExp(plusYears(today, -1)));
    const untagged = await candidate(admin, pick.untagged);
    assert.deepEqual(untagged.checks.filter((c) => !c.ok).map((c) => c.criterion), ['tag']);
    // The default view lists the eligible only; the inspector sees only 长兴县.
    const def = (await admin.get('/api/v1/positive/candidates?limit=500&sort=name&order=desc')).json;
    assert.ok(def.items.every((i) => i.eligible));
    assert.equal(def.truncated, false);
    assert.ok(def.judged >= def.total);
    assert.equal((await admin.get('/api/v1/positive/candidates?sort=grade')).json.error.field, 'sort');
    assert.ok(def.items.some((i) => i.enterprise_id === pick.good));
    const mine = (await inspector.get('/api/v1/positive/candidates?eligible=all&limit=500')).json;
    assert.ok(mine.items.length > 0 && mine.items.every((i) => i.region_code === '330522'));
    assert.equal((await inspector.get(`/api/v1/positive/candidates?eligible=all&q=${encodeURIComponent(pick.names[pick.outside])}`)).json.items.length, 0);
  });

  test('an officer admits a candidate under the rule set in force; refusals name the reason', async () => {
    let r = await inspector.post('/api/v1/positive/entries', { enterprise_id: pick.good, note: '符合条件' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    pick.goodEntry = r.json.id;
    const list = (await admin.get(`/api/v1/positive/entries?q=${encodeURIComponent(pick.names[pick.good])}`)).json;
    const e = list.items.find((i) => i.id === pick.goodEntry);
    assert.equal(e.status, 'listed');
    assert.equal(e.basis, 'criteria');
    assert.equal(e.listed_from, today);
    assert.equal(e.listed_to, plusYears(today, 3));
    assert.ok(sql(srv.dir, `SELECT used_at FROM rule_sets WHERE id = ${e.rule_set_id}`).length > 0, 'the rule set is frozen');
    r = await inspector.post('/api/v1/positive/entries', { enterprise_id: pick.good });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'already_listed');
    r = await admin.post('/api/v1/positive/entries', { enterprise_id: pick.yellow });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.code, 'criteria_not_met');
    assert.equal(r.json.error.field, 'enterprise_id');
    assert.match(r.json.error.message, /yellow/);
    r = await admin.post('/api/v1/positive/entries', { enterprise_id: 'x' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'enterprise_id');
    // Out of the inspector's area: not found.
    r = await inspector.post('/api/v1/positive/entries', { enterprise_id: pick.outside });
    assert.equal(r.status, 404);
    const hist = (await admin.get(`/api/v1/enterprises/${pick.good}/positive`)).json;
    assert.equal(hist.listed, true);
    assert.equal(hist.history.entries[0].reasons.length, 6);
    // The figures: the inspector's county counts the new entry by basis.
    const sum = (await inspector.get('/api/v1/positive/summary')).json;
    const cx = sum.by_region.find((x) => x.region_code === '330522');
    assert.ok(cx.criteria >= 1);
    assert.ok(sum.by_region.every((x) => x.region_code.startsWith('330522')));
    assert.equal(sum.by_status.listed, sum.by_region.reduce((a, x) => a + x.criteria + x.nomination, 0));
    const audit = (await admin.get(`/api/v1/audit?entity=positive_entry&action=positive_admit&entity_id=${pick.goodEntry}`)).json.items;
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor, '执法大队 李强');
    assert.equal(audit[0].record_name, `${pick.names[pick.good]} · ${today}`);
  });

  test('a nomination runs as a case; the leader approves it and the firm is listed', async () => {
    let r = await service.post('/api/v1/positive/nominations', { enterprise_id: pick.yellow });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'reason');
    r = await service.post('/api/v1/positive/nominations', { enterprise_id: pick.yellow, reason: '城市供水民生保障企业' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const { id, case_id: caseId } = r.json;
    r = await service.post('/api/v1/positive/nominations', { enterprise_id: pick.yellow, reason: '再次推荐' });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'nomination_pending');
    const c = (await leader.get(`/api/v1/cases/${caseId}`)).json;
    assert.equal(c.type, 'positive_nomination');
    assert.equal(c.state, 'submitted');
    assert.equal(c.unit, 'workdays');
    assert.ok(c.due_at, 'a deadline from the rule set');
    assert.deepEqual(c.actions.map((a) => a.action).sort(), ['approve', 'refuse']);
    const todo = (await leader.get('/api/v1/todo')).json.items;
    assert.ok(todo.some((i) => i.source === 'case' && i.id === caseId), 'in the leader\'s to-do list');
    // Only a leader decides.
    r = await inspector.post(`/api/v1/cases/${caseId}/transitions`, { action: 'approve' });
    assert.equal(r.status, 403);
    r = await approver.post(`/api/v1/positive/nominations/${id}/decision`, { decision: 'approve' });
    assert.equal(r.status, 403);
    r = await leader.post(`/api/v1/cases/${caseId}/transitions`, { action: 'approve', note: '同意' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const hist = (await admin.get(`/api/v1/enterprises/${pick.yellow}/positive`)).json;
    assert.equal(hist.listed, true);
    assert.equal(hist.history.entries[0].basis, 'nomination');
    assert.equal(hist.history.entries[0].nomination_id, id);
    assert.equal(hist.history.nominations[0].state, 'approved');
    assert.equal(hist.history.nominations[0].entry_id, hist.history.entries[0].id);
    // A refused nomination lists nothing (through the module's own route).
    r = await service.post('/api/v1/positive/nominations', { enterprise_id: pick.untagged, reason: '重点服务企业' });
    assert.equal(r.status, 201);
    r = await leader.post(`/api/v1/positive/nominations/${r.json.id}/decision`, { decision: 'refuse' });
    assert.equal(r.status, 422, 'a refusal needs a note');
    const nom = (await admin.get('/api/v1/positive/nominations?state=pending')).json.items.find((n) => n.enterprise_id === pick.untagged);
    r = await leader.post(`/api/v1/positive/nominations/${nom.id}/decision`, { decision: 'refuse', note: '理由不充分' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'refused');
    assert.equal((await admin.get(`/api/v1/enterprises/${pick.untagged}/positive`)).json.listed, false);
  });

  test('on-site inspections of a listed firm need the leader\'s approval, except complaint verification', async () => {
    let r = await inspector.get(`/api/v1/positive/onsite-check?enterprise_id=${pick.good}&date=${today}&purpose=draw`);
    assert.equal(r.status, 200);
    assert.equal(r.json.listed, true);
    assert.equal(r.json.needs_approval, true);
    r = await inspector.get(`/api/v1/positive/onsite-check?enterprise_id=${pick.good}&date=${today}&purpose=complaint`);
    assert.equal(r.json.needs_approval, false);
    r = await inspector.get(`/api/v1/positive/onsite-check?enterprise_id=${pick.untagged}&date=${today}&purpose=draw`);
    assert.equal(r.json.needs_approval, false, 'an unlisted firm needs none');
    r = await inspector.post('/api/v1/positive/onsite-requests', { enterprise_id: pick.good, purpose: 'complaint', visit_date: today, reason: '核查投诉' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'purpose');
    r = await inspector.post('/api/v1/positive/onsite-requests', { enterprise_id: pick.untagged, purpose: 'draw', visit_date: today, reason: '双随机' });
    assert.equal(r.status, 409);
    r = await inspector.post('/api/v1/positive/onsite-requests', { enterprise_id: pick.good, purpose: 'draw', visit_date: today, reason: '双随机抽中' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const reqId = r.json.id;
    const todo = (await leader.get('/api/v1/todo')).json.items;
    assert.ok(todo.some((i) => i.source === 'positive_onsite' && i.id === reqId));
    r = await inspector.post(`/api/v1/positive/onsite-requests/${reqId}/decision`, { decision: 'approve' });
    assert.equal(r.status, 403);
    r = await leader.post(`/api/v1/positive/onsite-requests/${reqId}/decision`, { decision: 'approve', note: '同意' });
    assert.equal(r.status, 200);
    r = await leader.post(`/api/v1/positive/onsite-requests/${reqId}/decision`, { decision: 'refuse', note: 'x' });
    assert.equal(r.status, 409);
    r = await inspector.get(`/api/v1/positive/onsite-check?enterprise_id=${pick.good}&date=${today}&purpose=draw`);
    assert.equal(r.json.needs_approval, false);
    assert.equal(r.json.approved_request_id, reqId);
    const reqs = (await admin.get(`/api/v1/positive/onsite-requests?enterprise_id=${pick.good}`)).json.items;
    assert.equal(reqs[0].state, 'approved');
    assert.equal(reqs[0].decided_by_name, '局长 沈建国');
  });

  test('the off-site record: checks by staff and the alarms since listing', async () => {
    let r = await monitor.post(`/api/v1/enterprises/${pick.good}/positive/offsite`, { kind: 'video_check', note: '视频巡查正常' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    r = await monitor.post(`/api/v1/enterprises/${pick.good}/positive/offsite`, { kind: 'smell', note: 'x' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'kind');
    r = await monitor.post(`/api/v1/enterprises/${pick.untagged}/positive/offsite`, { kind: 'data_review', note: '数据正常' });
    assert.equal(r.status, 409);
    r = await approver.post(`/api/v1/enterprises/${pick.good}/positive/offsite`, { kind: 'data_review', note: 'x' });
    assert.equal(r.status, 403);
    const off = (await admin.get(`/api/v1/enterprises/${pick.good}/positive/offsite`)).json;
    assert.equal(off.entry.id, pick.goodEntry);
    assert.equal(off.offsite.records.length, 1);
    assert.equal(off.offsite.records[0].kind, 'video_check');
    assert.equal(off.offsite.records[0].seen_on, today);
    assert.ok(Array.isArray(off.offsite.alarms));
  });

  test('a malicious removal bars re-entry; admission and nomination name the end of the bar', async () => {
    let r = await approver.post(`/api/v1/positive/entries/${pick.goodEntry}/removal`, { reason: 'x', malicious: true });
    assert.equal(r.status, 403);
    r = await inspector.post(`/api/v1/positive/entries/${pick.goodEntry}/removal`, { malicious: true });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'reason');
    r = await inspector.post(`/api/v1/positive/entries/${pick.goodEntry}/removal`, { reason: '偷排废水（恶意违法）', malicious: true });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const bar = plusYears(today, 3);
    assert.equal(r.json.barred_to, bar);
    r = await inspector.post(`/api/v1/positive/entries/${pick.goodEntry}/removal`, { reason: 'again' });
    assert.equal(r.status, 409);
    r = await inspector.post('/api/v1/positive/entries', { enterprise_id: pick.good });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'barred');
    assert.match(r.json.error.message, new RegExp(bar));
    r = await service.post('/api/v1/positive/nominations', { enterprise_id: pick.good, reason: '再推荐' });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'barred');
    const c = await candidate(admin, pick.good);
    assert.equal(c.eligible, false);
    assert.deepEqual(c.checks.filter((k) => !k.ok).map((k) => k.criterion), ['not_barred']);
    assert.equal(c.barred_to, bar);
    const removed = (await admin.get('/api/v1/positive/entries?status=removed&limit=500')).json.items.find((i) => i.id === pick.goodEntry);
    assert.equal(removed.malicious, 1);
    assert.equal(removed.removed_on, today);
    const csv = await admin.get('/api/v1/positive/entries/export?status=all');
    assert.equal(csv.status, 200);
    assert.match(csv.body.toString('utf8'), new RegExp(pick.names[pick.good]));
  });

  test('the expiry job marks the entries whose term ended, with their audit rows', async () => {
    const e = (await admin.get(`/api/v1/enterprises/${pick.yellow}/positive`)).json.history.entries[0];
    sql(srv.dir, `UPDATE positive_list SET listed_from = '${plusYears(today, -3)}', listed_to = '${today}' WHERE id = ${e.id}`);
    assert.equal((await admin.get(`/api/v1/enterprises/${pick.yellow}/positive`)).json.listed, false, 'the term is derived from the dates');
    const r = await admin.post('/api/v1/jobs/positive.expire/run');
    assert.equal(r.status, 202, JSON.stringify(r.json));
    let run;
    await until(async () => {
      run = (await admin.get('/api/v1/jobs/positive.expire/runs')).json.items.find((x) => x.id === r.json.run_id);
      return run && run.status === 'ok';
    }, 10000, 'the queued run of positive.expire');
    assert.match(run.note, /listings expired: 1$/);
    assert.ok(sql(srv.dir, `SELECT expired_at FROM positive_list WHERE id = ${e.id}`).length > 0);
    const audit = (await admin.get(`/api/v1/audit?entity=positive_entry&action=positive_expire&entity_id=${e.id}`)).json.items;
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor, 'system');
    const st = (await admin.get(`/api/v1/positive/entries?status=expired&limit=500`)).json.items.find((i) => i.id === e.id);
    assert.equal(st.status, 'expired');
  });

  test('enterprise users see only their own listing and term; other roles are refused', async () => {
    const own = ent.user.enterprise_id;
    const all = (await admin.get('/api/v1/positive/entries?status=listed&limit=500')).json.items;
    const listedOwn = all.find((i) => i.enterprise_id === own);
    const mine = await ent.get('/api/v1/positive/mine');
    assert.equal(mine.status, 200);
    assert.equal(mine.json.enterprise_id, own);
    assert.equal(mine.json.listed, Boolean(listedOwn));
    if (listedOwn) assert.equal(mine.json.listed_to, listedOwn.listed_to);
    assert.deepEqual(Object.keys(mine.json).sort(), ['enterprise_id', 'listed', 'listed_from', 'listed_to']);
    for (const p of ['/api/v1/positive/entries', '/api/v1/positive/candidates', '/api/v1/positive/nominations',
      `/api/v1/enterprises/${own}/positive`, `/api/v1/enterprises/${own}/positive/offsite`, '/api/v1/positive/onsite-requests']) {
      assert.equal((await ent.get(p)).status, 403, p);
    }
    assert.equal((await ent.post('/api/v1/positive/nominations', { enterprise_id: own, reason: '自荐' })).status, 403);
    // Nothing of the list reaches the enterprise through its change history or its cases, not
    // even a nomination of its own firm.
    const ownState = (await admin.get(`/api/v1/enterprises/${own}/positive`)).json;
    if (!ownState.listed && !ownState.history.nominations.some((n) => n.state === 'pending')) {
      assert.equal((await service.post('/api/v1/positive/nominations', { enterprise_id: own, reason: '民生保障企业' })).status, 201);
    }
    assert.ok(sql(srv.dir, `SELECT COUNT(*) FROM positive_nominations WHERE enterprise_id = ${own}`) > 0);
    const hist = (await ent.get(`/api/v1/enterprises/${own}/history?limit=200`)).json.items;
    assert.ok(hist.length > 0, 'the history is there (the creation at least)');
    assert.ok(hist.every((a) => !a.action.startsWith('positive_')), JSON.stringify(hist.map((a) => a.action)));
    for (const n of (await admin.get('/api/v1/positive/nominations')).json.items) {
      assert.equal((await ent.get(`/api/v1/cases/${n.case_id}`)).status, 404);
    }
    assert.equal((await admin.get('/api/v1/positive/mine')).status, 403);
    assert.equal((await monitor.post('/api/v1/positive/entries', { enterprise_id: pick.untagged })).status, 403);
    assert.equal((await service.post('/api/v1/positive/onsite-requests', { enterprise_id: pick.yellow, purpose: 'draw', visit_date: today, reason: 'x' })).status, 403);
    assert.equal((await admin.get('/api/v1/positive/entries?status=bogus')).json.error.field, 'status');
    assert.equal((await admin.get('/api/v1/positive/entries?sort=uscc')).json.error.field, 'sort');
  });
});
