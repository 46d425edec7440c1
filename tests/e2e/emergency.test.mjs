// Heavy-pollution weather (重污染天气, 一企一策) end to end, on SQLite and (ENVGOV_TEST_PG)
// PostgreSQL: staff grade firms (a D firm, an A firm whose own sheet would stop its line, a
// livelihood firm), the firms fill in their sheets, staff confirm them and issue an orange alert
// for 吴兴; the control list gives per firm and line the action — never above the grade's (no
// 一刀切) — and the sums against the required cut with the shortfall; the firm confirms
// execution; flow readings of its point during the alert show it did not stop, and the
// compliance check files an inspection task. Roles, enterprise scoping and bad input naming the
// field are checked on the way. The grade takes evidence files (attachments of emergency_grade):
// staff upload, the firm sees its own and gets 404 for another firm's; a sheet round-trips
// through PUT and GET with every field of a line kept.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, usccWithCheck, sql, Client } from './lib.mjs';

let srv, admin, inspector, leader;
const firms = {};

async function firm(key, name, uscc17, region = '330503') {
  let r = await admin.post('/api/v1/enterprises', { name, uscc: usccWithCheck(uscc17), region_code: region, industry_code: '3011', category: 'key' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const ent = r.json;
  const username = `em${key}${Date.now().toString(36)}`;
  r = await admin.post('/api/v1/users', { username, display_name: `${name}联系人`, role: 'enterprise', enterprise_id: ent.id });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const u = new Client(srv.base);
  assert.equal((await u.login(username, r.json.one_time_password)).status, 200);
  assert.equal((await u.post('/api/v1/session/password', { old_password: r.json.one_time_password, new_password: 'Emerg#e2e2026x' })).status, 204);
  firms[key] = { ...ent, user: u };
  return firms[key];
}

const plan = (action, so2 = 0, nox = 0, pm = 0) => ({ action, so2, nox, pm, vocs: 0 });
const allLevels = (p) => ({ blue: p, yellow: p, orange: p, red: p });

function chinaNow(offsetMin = 0) {
  const d = new Date(Date.now() + 8 * 3600e3 + offsetMin * 60e3);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

before(async () => {
  srv = await startServer({ enterprises: 40 });
  admin = await loginAs(srv.base, 'admin');
  inspector = await loginAs(srv.base, 'inspector');
  leader = await loginAs(srv.base, 'leader');
  await firm('d', '南浔应急测试水泥有限公司', '91330503MA2EM0001');
  await firm('a', '南浔应急测试玻璃有限公司', '91330503MA2EM0002');
  await firm('l', '南浔应急测试热电有限公司', '91330503MA2EM0003');
  await firm('n', '吴兴应急测试陶瓷有限公司', '91330502MA2EM0004', '330502');
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  firms.d.point = Number(sql(srv.dir, `INSERT INTO points (enterprise_id, mn, name, password, created_at, updated_at)
    VALUES (${firms.d.id}, 'EMTEST${Date.now()}', '窑尾排口', 'pw123456', '${now}', '${now}') RETURNING id`));
});

after(async () => { await srv?.stop(); });

describe('emergency', () => {
  test('grades: staff only, bad input names the field', async () => {
    let r = await admin.put(`/api/v1/emergency/performance-grades/${firms.d.id}`, { grade: 'E' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'grade');
    r = await admin.put(`/api/v1/emergency/performance-grades/${firms.d.id}`, { grade: 'D', livelihood: 'yes' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'livelihood');
    r = await firms.d.user.put(`/api/v1/emergency/performance-grades/${firms.d.id}`, { grade: 'A' });
    assert.equal(r.status, 403);
    for (const [k, g, liv] of [['d', 'D', false], ['a', 'A', false], ['l', 'D', true], ['n', 'C', false]]) {
      r = await admin.put(`/api/v1/emergency/performance-grades/${firms[k].id}`, { grade: g, livelihood: liv, evidence: '绩效分级评定表' });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.grade, g);
    }
    r = await admin.get('/api/v1/audit?entity=emergency_grade&entity_id=' + firms.d.id);
    if (r.status === 200) assert.ok(JSON.stringify(r.json).includes('emergency_grade'));
  });

  test('sheets: the firm edits its own, not another; staff confirm; bad lines name the field', async () => {
    let r = await firms.d.user.put(`/api/v1/emergency/control-plans/${firms.d.id}`, { lines: [{ name: '' }] });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'lines[0].name');
    r = await firms.d.user.put(`/api/v1/emergency/control-plans/${firms.d.id}`, { lines: [{ name: '1号窑', baseline: { so2: 100 }, plan: allLevels(plan('limit', 150)) }] });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'lines[0].plan.blue.so2');
    r = await firms.d.user.put(`/api/v1/emergency/control-plans/${firms.d.id}`, { lines: [{ name: '1号窑', plan: { red: { action: 'explode' } } }] });
    assert.equal(r.json.error.field, 'lines[0].plan.red.action');
    r = await firms.d.user.put(`/api/v1/emergency/control-plans/${firms.a.id}`, { lines: [] });
    assert.equal(r.status, 404);
    r = await firms.d.user.get(`/api/v1/emergency/control-plans/${firms.a.id}`);
    assert.equal(r.status, 404);

    r = await firms.d.user.put(`/api/v1/emergency/control-plans/${firms.d.id}`, { lines: [
      { name: '1号窑', process: '熟料煅烧', point_id: firms.d.point, normal_flow: 100000, baseline: { so2: 100, nox: 200, pm: 50 }, plan: allLevels(plan('stop', 100, 200, 50)) },
      { name: '粉磨线', process: '水泥粉磨', baseline: { pm: 30 }, plan: allLevels(plan('limit', 0, 0, 6)) },
    ] });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.lines.length, 2);
    assert.equal(r.json.sheet_state, 'draft');
    // the A firm's own sheet says stop: the control list must not stop it
    r = await admin.put(`/api/v1/emergency/control-plans/${firms.a.id}`, { lines: [{ name: '浮法线', baseline: { so2: 300, nox: 400 }, plan: allLevels(plan('stop', 300, 400)) }] });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    r = await admin.put(`/api/v1/emergency/control-plans/${firms.l.id}`, { lines: [{ name: '1号锅炉', baseline: { so2: 80, nox: 100 }, plan: allLevels(plan('stop', 80, 100)) }] });
    assert.equal(r.status, 200);
    r = await admin.put(`/api/v1/emergency/control-plans/${firms.n.id}`, { lines: [{ name: '窑炉', baseline: { so2: 50 }, plan: allLevels(plan('stop_part', 25)) }] });
    assert.equal(r.status, 200);

    r = await firms.d.user.post(`/api/v1/emergency/control-plans/${firms.d.id}/confirm`, {});
    assert.equal(r.status, 403);
    r = await admin.post(`/api/v1/emergency/control-plans/${firms.d.id}/confirm`, {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.sheet_state, 'confirmed');
    assert.equal(sql(srv.dir, `SELECT COUNT(*) FROM audit_log WHERE entity = 'emergency_grade' AND entity_id = ${firms.d.id} AND action = 'em_sheet_confirm'`), '1');
  });

  test('grade evidence: staff upload, the firm sees its own only, an ungraded firm has none', async () => {
    const pdf = (name) => {
      const fd = new FormData();
      fd.append('file', new Blob(['%PDF-1.4\n绩效分级评定表'], { type: 'application/pdf' }), name);
      return fd;
    };
    let r = await admin.post(`/api/v1/attachments?entity=emergency_grade&entity_id=${firms.d.id}`, pdf('D级评定表.pdf'));
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const att = r.json;
    assert.equal(att.entity, 'emergency_grade');
    assert.equal(sql(srv.dir, `SELECT enterprise_id FROM attachments WHERE id = ${att.id}`), String(firms.d.id));
    assert.equal(sql(srv.dir, `SELECT COUNT(*) FROM audit_log WHERE entity = 'attachment' AND entity_id = ${att.id} AND action = 'create'`), '1');
    r = await admin.post(`/api/v1/attachments?entity=emergency_grade&entity_id=${firms.a.id}`, pdf('A级评定表.pdf'));
    assert.equal(r.status, 201);
    const other = r.json;
    // the firm: its own grade's files, not another's (404, not an empty list)
    r = await firms.d.user.get(`/api/v1/attachments?entity=emergency_grade&entity_id=${firms.d.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.items.map((a) => a.name), ['D级评定表.pdf']);
    r = await firms.d.user.get(`/api/v1/attachments/${att.id}/content`);
    assert.equal(r.status, 200);
    r = await firms.d.user.get(`/api/v1/attachments?entity=emergency_grade&entity_id=${firms.a.id}`);
    assert.equal(r.status, 404);
    r = await firms.d.user.get(`/api/v1/attachments/${other.id}/content`);
    assert.equal(r.status, 404);
    r = await firms.d.user.post(`/api/v1/attachments?entity=emergency_grade&entity_id=${firms.a.id}`, pdf('x.pdf'));
    assert.equal(r.status, 404);
    // staff of another county do not see a 南浔 firm's grade files (the demo inspector is 长兴's)
    const prefixes = (await inspector.get('/api/v1/session')).json.user.region_prefixes;
    assert.ok(prefixes.length && !prefixes.some((p) => '330503'.startsWith(p)), JSON.stringify(prefixes));
    r = await inspector.get(`/api/v1/attachments?entity=emergency_grade&entity_id=${firms.d.id}`);
    assert.equal(r.status, 404, 'outside the inspector\'s county');
    r = await inspector.get(`/api/v1/attachments/${att.id}/content`);
    assert.equal(r.status, 404);
    // an enterprise with no grade row: nothing to attach to
    const ungraded = Number(sql(srv.dir, `SELECT MIN(id) FROM enterprises WHERE id NOT IN (SELECT enterprise_id FROM emergency_grades)`));
    r = await admin.post(`/api/v1/attachments?entity=emergency_grade&entity_id=${ungraded}`, pdf('x.pdf'));
    assert.equal(r.status, 404);
  });

  test('sheet round trip: every field of a line kept, the state back to draft, audited', async () => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const point = Number(sql(srv.dir, `INSERT INTO points (enterprise_id, mn, name, password, created_at, updated_at)
      VALUES (${firms.l.id}, 'EMTESTL${Date.now()}', '锅炉排口', 'pw123456', '${now}', '${now}') RETURNING id`));
    let r = await admin.put(`/api/v1/emergency/control-plans/${firms.l.id}`, { lines: [{ name: '2号窑', point_id: firms.d.point }] });
    assert.equal(r.status, 422, 'another firm\'s point');
    assert.equal(r.json.error.field, 'lines[0].point_id');
    const lines = [
      { name: '2号窑', process: '熟料煅烧', point_id: point, normal_flow: 80000, baseline: { so2: 40, nox: 90, pm: 12, vocs: 3 },
        plan: { blue: plan('self', 4, 9), yellow: plan('limit', 8, 18, 2), orange: plan('stop_part', 20, 45, 6), red: { action: 'stop', so2: 40, nox: 90, pm: 12, vocs: 3 } } },
    ];
    const before = Number(sql(srv.dir, `SELECT COUNT(*) FROM audit_log WHERE entity = 'emergency_grade' AND entity_id = ${firms.l.id} AND action = 'em_sheet'`));
    r = await admin.put(`/api/v1/emergency/control-plans/${firms.l.id}`, { lines });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    r = await admin.get(`/api/v1/emergency/control-plans/${firms.l.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.sheet_state, 'draft');
    assert.equal(r.json.lines.length, 1);
    const l = r.json.lines[0];
    assert.equal(l.name, '2号窑');
    assert.equal(l.process, '熟料煅烧');
    assert.equal(l.point_id, point);
    assert.equal(l.normal_flow, 80000);
    assert.deepEqual([l.base_so2, l.base_nox, l.base_pm, l.base_vocs], [40, 90, 12, 3]);
    const p = typeof l.plan_json === 'string' ? JSON.parse(l.plan_json) : (l.plan || l.plan_json);
    assert.deepEqual(p, lines[0].plan);
    const after = Number(sql(srv.dir, `SELECT COUNT(*) FROM audit_log WHERE entity = 'emergency_grade' AND entity_id = ${firms.l.id} AND action = 'em_sheet'`));
    assert.equal(after, before + 1);
    // the grade edit keeps the sheet and is audited too
    r = await admin.put(`/api/v1/emergency/performance-grades/${firms.l.id}`, { grade: 'D', livelihood: true, low_voc: true, evidence: '保障类认定文件' });
    assert.equal(r.status, 200);
    assert.equal(r.json.low_voc, 1);
    assert.equal(r.json.evidence, '保障类认定文件');
    assert.equal(r.json.lines.length, 1);
    assert.ok(Number(sql(srv.dir, `SELECT COUNT(*) FROM audit_log WHERE entity = 'emergency_grade' AND entity_id = ${firms.l.id} AND action = 'em_grade'`)) >= 2);
    // the original sheet back, for the control list that follows
    r = await admin.put(`/api/v1/emergency/control-plans/${firms.l.id}`, { lines: [{ name: '1号锅炉', baseline: { so2: 80, nox: 100 }, plan: allLevels(plan('stop', 80, 100)) }] });
    assert.equal(r.status, 200);
    r = await admin.put(`/api/v1/emergency/performance-grades/${firms.l.id}`, { grade: 'D', livelihood: true, evidence: '绩效分级评定表' });
    assert.equal(r.status, 200);
  });

  let alertId;
  test('alerts: staff issue, bad input names the field, an enterprise cannot', async () => {
    const body = { level: 'orange', regions: ['330503'], starts_at: chinaNow(-120), ends_at: chinaNow(600) };
    let r = await firms.d.user.post('/api/v1/emergency/alerts', body);
    assert.equal(r.status, 403);
    r = await admin.post('/api/v1/emergency/alerts', { ...body, level: 'purple' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'level');
    r = await admin.post('/api/v1/emergency/alerts', { ...body, regions: ['33x'] });
    assert.equal(r.json.error.field, 'regions[0]');
    r = await admin.post('/api/v1/emergency/alerts', { ...body, ends_at: body.starts_at });
    assert.equal(r.json.error.field, 'ends_at');
    r = await admin.post('/api/v1/emergency/alerts', { ...body, starts_at: '2026-13-01 00:00' });
    assert.equal(r.json.error.field, 'starts_at');
    r = await admin.post('/api/v1/emergency/alerts', body);
    assert.equal(r.status, 201, JSON.stringify(r.json));
    alertId = r.json.id;
    r = await firms.d.user.get('/api/v1/emergency/alerts?current=1');
    assert.equal(r.status, 200);
    assert.ok(r.json.items.some((a) => a.id === alertId));
    r = await firms.n.user.get('/api/v1/emergency/alerts?current=1');
    assert.ok(!r.json.items.some((a) => a.id === alertId), 'a 吴兴 firm is not covered by a 南浔 alert');
  });

  test('control list: actions within the grade (no 一刀切), sums and shortfall', async () => {
    const r = await admin.get(`/api/v1/emergency/alerts/${alertId}/control`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const by = Object.fromEntries(r.json.firms.map((f) => [f.enterprise_id, f]));
    assert.ok(!by[firms.n.id], 'outside the alert regions');
    assert.equal(by[firms.d.id].allowed, 'stop');
    assert.equal(by[firms.d.id].lines[0].action, 'stop');
    assert.equal(by[firms.a.id].allowed, 'self');
    assert.equal(by[firms.a.id].lines[0].action, 'self');
    assert.equal(by[firms.a.id].lines[0].capped, true);
    assert.equal(by[firms.l.id].lines[0].action, 'self', 'a livelihood firm is not stopped');
    for (const f of r.json.firms) for (const l of f.lines) assert.notEqual(l.action === 'stop' && f.allowed !== 'stop', true);
    const s = r.json.sums.find((x) => x.region_code === '330503');
    // our firms' SO2: base 100 + 300 + 80 (+ demo firms with sheets: none), cut 20 %
    assert.equal(s.baseline.so2, 480);
    assert.equal(s.required.so2, 96);
    assert.equal(s.reduction.so2, 100);
    assert.equal(s.shortfall.so2, 0);
    // NOx: base 700, required 140, reduced 200 → none short; PM: base 80, required 16, reduced 56
    assert.equal(s.reduction.pm, 56);
    assert.equal(r.json.cut_percent.so2, 20);
    // the enterprise sees only itself; a 吴兴 inspector sees it, the list is scoped
    const own = await firms.d.user.get(`/api/v1/emergency/alerts/${alertId}/control`);
    assert.equal(own.status, 200);
    assert.deepEqual(own.json.firms.map((f) => f.enterprise_id), [firms.d.id]);
    assert.equal(own.json.sums, undefined);
  });

  test('confirmation, compliance from the flow, an inspection task', async () => {
    let r = await firms.n.user.post(`/api/v1/emergency/alerts/${alertId}/confirm`, { note: 'x' });
    assert.equal(r.status, 404);
    r = await firms.d.user.post(`/api/v1/emergency/alerts/${alertId}/confirm`, { note: '1号窑已停窑' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    // the kiln kept running: the flow stays at 90 % of normal during the alert
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    for (const m of [-60, -30, -10]) {
      sql(srv.dir, `INSERT INTO readings (point_id, cn, data_time, factor, kind, value, received_at)
        VALUES (${firms.d.point}, '2051', '${chinaNow(m)}', 'a00000', 'Avg', 90000, '${now}')`);
    }
    r = await firms.d.user.post(`/api/v1/emergency/alerts/${alertId}/compliance`, {});
    assert.equal(r.status, 403);
    r = await admin.post(`/api/v1/emergency/alerts/${alertId}/compliance`, {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const d = r.json.items.find((x) => x.enterprise_id === firms.d.id);
    assert.equal(d.compliance, 'not_complied');
    assert.ok(d.task_id > 0);
    assert.equal(r.json.tasks_filed, 1);
    const a = r.json.items.find((x) => x.enterprise_id === firms.a.id);
    assert.equal(a.compliance, 'unknown');
    const task = sql(srv.dir, `SELECT enterprise_id || ':' || source_kind FROM inspect_tasks WHERE id = ${d.task_id}`);
    assert.equal(task, `${firms.d.id}:manual`);
    // checked again: no second task
    r = await admin.post(`/api/v1/emergency/alerts/${alertId}/compliance`, {});
    assert.equal(r.json.tasks_filed, 0);
    const c = await admin.get(`/api/v1/emergency/alerts/${alertId}/control`);
    const f = c.json.firms.find((x) => x.enterprise_id === firms.d.id);
    assert.equal(f.compliance, 'not_complied');
    assert.ok(f.confirmed_at);
    const audit = sql(srv.dir, `SELECT COUNT(*) FROM audit_log WHERE entity = 'emergency_alert' AND entity_id = ${alertId}`);
    assert.ok(Number(audit) >= 4);
  });
});
