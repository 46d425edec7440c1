// The three-level patrol (src/patrol/): a permit's clauses edited by staff (bad input names the
// field, duplicate numbers refused, retiring stops generation); the month's self-check tasks
// generated from the active clauses and the monitoring points — quarterly and yearly duties only
// in their month, idempotent per enterprise × period × duty, due in working days over the
// National Day holiday; the enterprise answers each (done, or a problem → a problem of level
// enterprise in the rectify hub); overdue self-checks reach the enterprise's and the local
// unit's to-do; local patrol rounds by the unit's inspector with problems of level local, out
// of scope refused; the counts by level; another enterprise can neither see nor answer.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, sql, chinaToday, Client } from './lib.mjs';

let srv, admin, inspector, ent, other, approver, monitor;
const today = chinaToday();
const thisMonth = today.slice(0, 7);
const pick = {};

async function enterpriseUser(entId, name) {
  const r = await admin.post('/api/v1/users', { username: name, display_name: `自查测试 ${name}`, role: 'enterprise', enterprise_id: entId });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const u = new Client(srv.base);
  assert.equal((await u.login(name, r.json.one_time_password)).status, 200);
  assert.equal((await u.post('/api/v1/session/password', { old_password: r.json.one_time_password, new_password: 'Patrol#e2e2026x' })).status, 204);
  return u;
}

const count = (q) => Number(sql(srv.dir, q));

describe('three-level patrol', () => {
  before(async () => {
    srv = await startServer({ enterprises: 40 });
    [admin, inspector, ent, approver, monitor] = await Promise.all(['admin', 'inspector', 'enterprise', 'approver', 'monitor'].map((u) => loginAs(srv.base, u)));
    pick.own = ent.user.enterprise_id;
    pick.ownPermit = Number(sql(srv.dir, `SELECT id FROM permits WHERE enterprise_id = ${pick.own} AND status = 'active' ORDER BY id LIMIT 1`));
    const me = (await inspector.get('/api/v1/session')).json.user || inspector.user;
    pick.scopeRegion = sql(srv.dir, `SELECT region_code FROM org_unit_regions WHERE org_unit_id = ${me.org_unit_id} LIMIT 1`);
    // a firm with a permit in the inspector's county and one outside it
    pick.local = Number(sql(srv.dir, `SELECT e.id FROM enterprises e JOIN permits p ON p.enterprise_id = e.id WHERE e.region_code LIKE '${pick.scopeRegion}%' AND e.id <> ${pick.own} AND p.status = 'active' ORDER BY e.id LIMIT 1`));
    pick.localPermit = Number(sql(srv.dir, `SELECT id FROM permits WHERE enterprise_id = ${pick.local} AND status = 'active' ORDER BY id LIMIT 1`));
    pick.outside = Number(sql(srv.dir, `SELECT id FROM enterprises WHERE region_code NOT LIKE '${pick.scopeRegion}%' AND region_code LIKE '3305%' ORDER BY id LIMIT 1`));
    sql(srv.dir, `UPDATE permits SET valid_to = '2030-12-31' WHERE id = ${pick.localPermit}`);
    other = await enterpriseUser(pick.local, `pt${Date.now().toString(36)}`);
  });
  after(async () => { await srv?.stop(); });

  test('the demo gave permits clauses and this month self-check tasks', async () => {
    const r = await ent.get(`/api/v1/permits/${pick.ownPermit}/clauses`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.ok(r.json.items.length >= 5);
    assert.ok(r.json.items.every((c) => c.enterprise_id === pick.own));
    const mine = await ent.get(`/api/v1/selfchecks?month=${thisMonth}&limit=500`);
    assert.equal(mine.status, 200);
    assert.ok(mine.json.total > 0);
    assert.ok(mine.json.items.every((t) => t.enterprise_id === pick.own), 'only its own');
    // the monitoring duties of its points
    assert.ok(mine.json.items.some((t) => t.duty === 'online_monitoring' && t.point_id > 0));
  });

  test('clauses: staff add and edit, bad input names the field, enterprises may not write', async () => {
    let r = await approver.post(`/api/v1/permits/${pick.localPermit}/clauses`, { code: '第二十条', text: '季度自行监测报告', duty: 'nonsense', frequency: 'quarterly' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'duty');
    r = await approver.post(`/api/v1/permits/${pick.localPermit}/clauses`, { code: '第二十条', duty: 'report', frequency: 'quarterly' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'text');
    r = await approver.post(`/api/v1/permits/${pick.localPermit}/clauses`, { code: '第二十条', text: '季度自行监测报告', duty: 'report', frequency: 'hourly' });
    assert.equal(r.json.error.field, 'frequency');
    r = await approver.post(`/api/v1/permits/${pick.localPermit}/clauses`, { code: '第二十条', text: '按季度报送自行监测报告', duty: 'report', frequency: 'quarterly' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    pick.quarterly = r.json.id;
    r = await approver.post(`/api/v1/permits/${pick.localPermit}/clauses`, { code: '第二十条', text: 'x', duty: 'report', frequency: 'monthly' });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, 'code');
    r = await approver.post(`/api/v1/permits/${pick.localPermit}/clauses`, { code: '第二十一条', text: '每年报送年度执行报告', duty: 'report', frequency: 'yearly' });
    pick.yearly = r.json.id;
    r = await approver.post(`/api/v1/permits/${pick.localPermit}/clauses`, { code: '第二十二条', text: '每月记录危废台账', duty: 'ledger', frequency: 'monthly' });
    pick.monthly = r.json.id;
    r = await approver.post(`/api/v1/permits/${pick.localPermit}/clauses`, { code: '第二十三条', text: '停用的条款', duty: 'other', frequency: 'monthly' });
    pick.retired = r.json.id;
    r = await approver.patch(`/api/v1/permit-clauses/${pick.retired}`, { status: 'retired' });
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'retired');
    assert.equal(r.json.text, '停用的条款');
    assert.ok(count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'permit_clause' AND entity_id = ${pick.retired} AND action = 'update'`) === 1);
    r = await ent.post(`/api/v1/permits/${pick.ownPermit}/clauses`, { code: '第九十条', text: 'x', duty: 'other', frequency: 'monthly' });
    assert.equal(r.status, 403);
    r = await monitor.post(`/api/v1/permits/${pick.ownPermit}/clauses`, { code: '第九十条', text: 'x', duty: 'other', frequency: 'monthly' });
    assert.equal(r.status, 403);
    // another enterprise cannot read this firm's clauses
    r = await ent.get(`/api/v1/permits/${pick.localPermit}/clauses`);
    assert.equal(r.status, 404);
    r = await ent.get(`/api/v1/enterprises/${pick.local}/clauses`);
    assert.equal(r.status, 404);
  });

  test('generation: quarterly and yearly only in their month, retired never, idempotent, due over the holiday', async () => {
    const tasks = (m) => sql(srv.dir, `SELECT duty_key FROM selfcheck_tasks WHERE enterprise_id = ${pick.local} AND month = '${m}' AND clause_id IN (${pick.quarterly}, ${pick.yearly}, ${pick.monthly}, ${pick.retired}) ORDER BY clause_id`).split('\n').filter(Boolean);
    let r = await admin.post('/api/v1/selfchecks/generate', { month: '2026-11' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.ok(r.json.created > 0);
    assert.deepEqual(tasks('2026-11'), [`clause:${pick.monthly}`]);
    r = await admin.post('/api/v1/selfchecks/generate', { month: '2026-12' });
    assert.deepEqual(tasks('2026-12'), [`clause:${pick.quarterly}`, `clause:${pick.yearly}`, `clause:${pick.monthly}`]);
    assert.equal(sql(srv.dir, `SELECT period FROM selfcheck_tasks WHERE clause_id = ${pick.quarterly}`), '2026Q4');
    assert.equal(sql(srv.dir, `SELECT period FROM selfcheck_tasks WHERE clause_id = ${pick.yearly}`), '2026');
    // 10 working days after 1 December
    assert.equal(sql(srv.dir, `SELECT due_on FROM selfcheck_tasks WHERE clause_id = ${pick.monthly} AND month = '2026-12'`), '2026-12-15');
    const before = count('SELECT COUNT(*) FROM selfcheck_tasks');
    r = await admin.post('/api/v1/selfchecks/generate', { month: '2026-12' });
    assert.equal(r.status, 200);
    assert.equal(r.json.created, 0, 'a second run adds nothing');
    assert.equal(count('SELECT COUNT(*) FROM selfcheck_tasks'), before);
    // October: 1–7 are holidays, 10 October a make-up workday → the 10th workday is 20 October
    r = await admin.post('/api/v1/selfchecks/generate', { month: '2026-10' });
    assert.equal(sql(srv.dir, `SELECT due_on FROM selfcheck_tasks WHERE clause_id = ${pick.monthly} AND month = '2026-10'`), '2026-10-20');
    // a year the calendar lacks: tasks without a due date, and a warning
    r = await admin.post('/api/v1/selfchecks/generate', { month: '2029-01' });
    assert.equal(r.status, 200);
    assert.match(r.json.warning, /2029/);
    assert.equal(sql(srv.dir, `SELECT COALESCE(due_on, 'none') FROM selfcheck_tasks WHERE clause_id = ${pick.monthly} AND month = '2029-01'`), 'none');
    r = await admin.post('/api/v1/selfchecks/generate', { month: '2026-13' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'month');
    r = await inspector.post('/api/v1/selfchecks/generate', { month: '2026-12' });
    assert.equal(r.status, 403);
    assert.ok(count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'enterprise' AND entity_id = ${pick.local} AND action = 'selfcheck_generate'`) >= 3);
  });

  test('the enterprise answers: done, or a problem that goes to the rectify hub; answered once', async () => {
    const list = (await other.get('/api/v1/selfchecks?status=open&limit=500&month=2026-12')).json.items;
    assert.ok(list.length >= 3);
    assert.ok(list.every((t) => t.enterprise_id === pick.local));
    const [a, b] = list;
    let r = await other.post(`/api/v1/selfchecks/${a.id}/answer`, {});
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'status');
    r = await other.post(`/api/v1/selfchecks/${a.id}/answer`, { status: 'problem' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'answer');
    r = await other.post(`/api/v1/selfchecks/${a.id}/answer`, { status: 'done', answer: '已按月监测' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.problem_id, null);
    r = await other.post(`/api/v1/selfchecks/${a.id}/answer`, { status: 'done' });
    assert.equal(r.status, 409);
    // another enterprise cannot see or answer it
    r = await ent.post(`/api/v1/selfchecks/${b.id}/answer`, { status: 'done' });
    assert.equal(r.status, 404);
    const seen = (await ent.get(`/api/v1/selfchecks?limit=500&enterprise=${pick.local}`)).json;
    assert.ok(seen.items.every((t) => t.enterprise_id === pick.own));
    r = await inspector.post(`/api/v1/selfchecks/${b.id}/answer`, { status: 'done' });
    assert.equal(r.status, 403);
    r = await other.post(`/api/v1/selfchecks/${b.id}/answer`, { status: 'problem', answer: '危废台账 11 月未记录', category: 'hazardous_waste' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.ok(r.json.problem_id > 0);
    const p = sql(srv.dir, `SELECT level || '|' || source_kind || '|' || source_id || '|' || category || '|' || status FROM problems WHERE id = ${r.json.problem_id}`);
    assert.equal(p, `enterprise|selfcheck|${b.id}|hazardous_waste|open`);
    const row = (await other.get(`/api/v1/selfchecks?status=problem&limit=50`)).json.items.find((t) => t.id === b.id);
    assert.equal(row.problem_id, r.json.problem_id);
  });

  test('overdue self-checks reach the enterprise and the local unit', async () => {
    const open = (await other.get('/api/v1/selfchecks?status=open&limit=50&month=2026-12')).json.items[0];
    sql(srv.dir, `UPDATE selfcheck_tasks SET due_on = '2026-01-05' WHERE id = ${open.id}`);
    const t = (await other.get('/api/v1/todo')).json;
    const mine = t.items.filter((i) => i.source === 'selfcheck');
    assert.ok(mine.some((i) => i.id === open.id && i.clock === 'overdue'), JSON.stringify(t.items));
    assert.ok(t.counts.overdue >= 1);
    const over = (await other.get('/api/v1/selfchecks?status=overdue&limit=50')).json.items;
    assert.ok(over.some((x) => x.id === open.id && x.overdue === 1));
    const staff = (await inspector.get('/api/v1/todo')).json.items.filter((i) => i.source === 'selfcheck_overdue');
    assert.ok(staff.some((i) => i.id === pick.local), JSON.stringify(staff));
    // the approver is not the local unit's patrol staff
    const appr = (await approver.get('/api/v1/todo')).json.items.filter((i) => i.source === 'selfcheck_overdue');
    assert.equal(appr.length, 0);
  });

  test('local patrol rounds record problems of level local; scope and input checked', async () => {
    let r = await inspector.post('/api/v1/patrol/rounds', { enterprise_id: pick.local, note: '例行巡查', problems: [
      { category: 'facility', description: '废气收集罩破损', clause: '许可证 第九条' },
      { category: 'ledger', description: '运行台账缺 11 月' }] });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.outcome, 'problems_found');
    assert.equal(r.json.problem_ids.length, 2);
    const levels = sql(srv.dir, `SELECT level || '|' || source_kind || '|' || source_id FROM problems WHERE id IN (${r.json.problem_ids.join(',')}) ORDER BY id`).split('\n');
    assert.deepEqual(levels, [`local|patrol|${r.json.id}`, `local|patrol|${r.json.id}`]);
    pick.round = r.json.id;
    r = await inspector.post('/api/v1/patrol/rounds', { enterprise_id: pick.local });
    assert.equal(r.status, 201);
    assert.equal(r.json.outcome, 'no_problem');
    r = await inspector.post('/api/v1/patrol/rounds', { enterprise_id: pick.outside });
    assert.equal(r.status, 404);
    assert.equal(r.json.error.field, 'enterprise_id', 'the refusal is the whole body');
    // A problem the hub refuses: the error names it, and the round is not kept.
    const rounds = Number(sql(srv.dir, 'SELECT COUNT(*) FROM patrol_rounds'));
    r = await inspector.post('/api/v1/patrol/rounds', { enterprise_id: pick.local, problems: [{ category: 'facility', description: '废气收集罩破损', found_on: 'x' }, { category: 'bogus', description: '类别不对' }] });
    assert.ok(r.json?.error, String(r.body));
    assert.match(r.json.error.field, /^problems\[1\]\.category$|^category$/);
    assert.equal(Number(sql(srv.dir, 'SELECT COUNT(*) FROM patrol_rounds')), rounds);
    r = await inspector.post('/api/v1/patrol/rounds', {});
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'enterprise_id');
    r = await inspector.post('/api/v1/patrol/rounds', { enterprise_id: pick.local, problems: [{ category: 'facility' }] });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'description');
    r = await inspector.post('/api/v1/patrol/rounds', { enterprise_id: pick.local, patrolled_on: '2099-01-01' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'patrolled_on');
    r = await ent.post('/api/v1/patrol/rounds', { enterprise_id: pick.own });
    assert.equal(r.status, 403);
    const list = (await inspector.get('/api/v1/patrol/rounds?limit=50')).json;
    assert.ok(list.items.some((x) => x.id === pick.round && x.n_problems === 2 && x.org_unit_name));
    assert.equal((await inspector.get(`/api/v1/patrol/rounds/${pick.round}`)).json.enterprise_id, pick.local);
    r = await inspector.get('/api/v1/patrol/rounds?sort=bogus');
    assert.equal(r.json.error.field, 'sort');
  });

  test('counts by level: tasks sent, problems found and closed per county and month', async () => {
    const r = await admin.get(`/api/v1/patrol/counts?from=2026-10&to=${thisMonth > '2026-12' ? thisMonth : '2026-12'}`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const rows = r.json.rows.filter((x) => x.region_code === sql(srv.dir, `SELECT region_code FROM enterprises WHERE id = ${pick.local}`));
    const at = (m, lv) => rows.find((x) => x.month === m && x.level === lv) || { sent: 0, found: 0, closed: 0 };
    assert.ok(at('2026-12', 'enterprise').sent >= 3);
    assert.ok(at(today.slice(0, 7), 'local').sent >= 2);
    assert.ok(at(today.slice(0, 7), 'local').found >= 2);
    assert.ok(at(today.slice(0, 7), 'enterprise').found >= 1);
    const sentDec = count(`SELECT COUNT(*) FROM selfcheck_tasks WHERE month = '2026-12' AND region_code = '${rows[0].region_code}'`);
    assert.equal(at('2026-12', 'enterprise').sent, sentDec);
    assert.equal((await admin.get('/api/v1/patrol/counts?from=2026-13')).json.error.field, 'from');
    assert.equal((await admin.get('/api/v1/patrol/counts?from=2026-12&to=2026-01')).json.error.field, 'from');
    // the inspector sees only their county
    const mine = (await inspector.get('/api/v1/patrol/counts?from=2026-10&to=2026-12')).json.rows;
    assert.ok(mine.every((x) => x.region_code.startsWith(pick.scopeRegion)));
    assert.equal((await ent.get('/api/v1/patrol/counts')).status, 403);
    const d = (await admin.get('/api/v1/dashboard')).json;
    assert.equal(d.patrol.month, today.slice(0, 7));
  });
});
