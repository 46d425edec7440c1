// The dashboard (工作台, GET /api/v1/dashboard) and the names in the audit log, end to end:
// registered devices report over HJ 212 and the figures follow — points online by the board's
// rule, alarms open and unhandled by kind, alarms opened today by county, the oldest unhandled
// ones, quarantined devices for the roles that see the quarantine, permits due; every figure
// within the caller's scope (the inspector sees 长兴县 only, the enterprise user its own
// enterprise); the latest operations leave out sign-ins; audit rows carry the name their record
// had when they were written, and a database of the previous schema gets its names filled in.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { startServer, loginAs, sql, usePostgres, BIN } from './lib.mjs';
import { frame, device, until } from './hj212.mjs';

let srv, admin, hjPort;
const PW = '246810';
let qn = 0;
const nextQn = () => `20261201${String(++qn).padStart(9, '0')}`;
const rtd = (mn, cp) => frame(`QN=${nextQn()};ST=32;CN=2011;PW=${PW};MN=${mn};Flag=5;CP=&&DataTime=20261201100000;${cp}&&`);
// Devices: A in 长兴县 above its limit, B (the demo enterprise user's enterprise) normal, C in
// 长兴县 registered but silent.
const dev = { A: { mn: '33052200000000DASHB00001' }, B: { mn: '33050000000000DASHB00002' }, C: { mn: '33052200000000DASHB00003' } };

async function addPoint(entId, code, mn, name) {
  let r = await admin.post(`/api/v1/enterprises/${entId}/outlets`, { code, name: `${name}排口`, kind: 'water' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const outlet = r.json;
  r = await admin.post(`/api/v1/outlets/${outlet.id}/limits`, { pollutant_code: 'w01018', value: 50, unit: 'mg/L', basis: 'hour' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await admin.post(`/api/v1/enterprises/${entId}/points`, { outlet_id: outlet.id, mn, name, password: PW });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
}

async function dashboard(c) {
  const r = await c.get('/api/v1/dashboard');
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

describe('dashboard', () => {
  before(async () => {
    srv = await startServer({ enterprises: 60, env: { ENVGOV_ALARM_SWEEP_S: '1' } });
    hjPort = Number(/--hj212 127\.0\.0\.1:(\d+)/.exec(srv.proc.spawnargs.join(' '))[1]);
    admin = await loginAs(srv.base, 'admin');
    const cx = (await admin.get('/api/v1/enterprises?region_code=330522&limit=1')).json.items[0];
    const ours = (await loginAs(srv.base, 'enterprise')).user.enterprise_id;
    assert.ok(cx && ours);
    dev.A.ent = cx; dev.C.ent = cx;
    dev.B.ent = (await admin.get(`/api/v1/enterprises/${ours}`)).json;
    assert.ok(!dev.B.ent.region_code.startsWith('330522'), 'the enterprise user is outside 长兴县');
    dev.A.point = await addPoint(cx.id, 'DW901', dev.A.mn, '工作台测试A点');
    dev.B.point = await addPoint(ours, 'DW902', dev.B.mn, '工作台测试B点');
    dev.C.point = await addPoint(cx.id, 'DW903', dev.C.mn, '工作台测试C点');
  });
  after(async () => { await srv?.stop(); });

  test('before any device reports: every registered point is never connected', async () => {
    const d = await dashboard(admin);
    const n = Number(sql(srv.dir, "SELECT COUNT(*) FROM points WHERE status = 'active'"));
    assert.equal(d.monitoring.registered, n);
    assert.equal(d.points.total, n);
    assert.equal(d.monitoring.never_connected, n);
    assert.equal(d.monitoring.online, 0);
    assert.equal(d.monitoring.online_rate, 0);
    assert.equal(d.alarms.open, 0);
    assert.deepEqual(d.alarms.today.by_county, []);
  });

  test('devices report: online, alarms by kind and county, the oldest unhandled, matching the board', async () => {
    const a = await device(hjPort);
    a.send(rtd(dev.A.mn, 'w01018-Rtd=88.5,w01018-Flag=N'));
    assert.match(await a.reply(), /CN=9014/);
    const b = await device(hjPort);
    b.send(rtd(dev.B.mn, 'w01018-Rtd=20.1,w01018-Flag=N'));
    assert.match(await b.reply(), /CN=9014/);
    // A device the platform does not know: quarantined.
    const q = await device(hjPort);
    q.send(rtd('33059900000000UNKNOWN001', 'w01018-Rtd=1,w01018-Flag=N'));
    await until(async () => Number(sql(srv.dir, 'SELECT COUNT(*) FROM hj212_quarantine')) > 0, 15000, 'quarantine');
    const alarm = (await until(async () => {
      const r = await admin.get(`/api/v1/alarms?point_id=${dev.A.point.id}&status=open`);
      return r.json.items[0];
    }, 15000, 'alarm'));
    await until(async () => (await dashboard(admin)).monitoring.online === 2, 15000, 'liveness flushed');

    const d = await dashboard(admin);
    const board = (await admin.get('/api/v1/monitor/board')).json.counts;
    // The board's rule, one definition: the same counts by status.
    assert.deepEqual(d.monitoring.by_status, { online: board.online, alarm: board.alarm, offline: board.offline,
      maintenance: board.maintenance, nodata: board.nodata });
    assert.equal(d.monitoring.registered, board.total);
    assert.equal(d.monitoring.online, 2);
    assert.equal(d.monitoring.by_status.alarm, 1);
    assert.equal(d.monitoring.never_connected, board.total - 2);
    assert.equal(d.monitoring.online_rate, Number((2 / board.total).toFixed(4)));
    // Alarms: one early warning, open and unhandled; opened today in 长兴县.
    assert.equal(alarm.kind, 'early_warning');
    assert.deepEqual(d.alarms.by_kind, [{ kind: 'early_warning', open: 1, unhandled: 1 }]);
    assert.equal(d.alarms.open, 1);
    assert.equal(d.alarms.unhandled, 1);
    assert.equal(d.alarms.today.total, 1);
    assert.deepEqual(d.alarms.today.by_kind, [{ kind: 'early_warning', n: 1 }]);
    assert.deepEqual(d.alarms.today.by_county, [{ region_code: '330522', region_name: '长兴县', kind: 'early_warning', n: 1 }]);
    assert.equal(d.alarms.oldest_unhandled.length, 1);
    const o = d.alarms.oldest_unhandled[0];
    assert.equal(o.id, alarm.id);
    assert.equal(o.point_name, '工作台测试A点');
    assert.equal(o.enterprise_name, dev.A.ent.name);
    assert.equal(o.region_name, '长兴县');
    assert.deepEqual(d.quarantine, { devices: 1, frames: Number(sql(srv.dir, 'SELECT COUNT(*) FROM hj212_quarantine')) });

    // Acknowledged: still open, no longer unhandled.
    const r = await admin.post(`/api/v1/alarms/${alarm.id}/acknowledge`, { note: '已通知企业核查' });
    assert.equal(r.status, 200);
    const d2 = await dashboard(admin);
    assert.deepEqual(d2.alarms.by_kind, [{ kind: 'early_warning', open: 1, unhandled: 0 }]);
    assert.equal(d2.alarms.unhandled, 0);
    assert.deepEqual(d2.alarms.oldest_unhandled, []);
    assert.equal(d2.alarms.today.total, 1, 'still opened today');
    for (const x of [a, b, q]) x.close();
  });

  test('scope: the inspector sees 长兴县 only, the enterprise user its own enterprise', async () => {
    const insp = await loginAs(srv.base, 'inspector');
    const d = await dashboard(insp);
    const n = Number(sql(srv.dir, "SELECT COUNT(*) FROM points p JOIN enterprises e ON e.id = p.enterprise_id WHERE p.status = 'active' AND e.region_code LIKE '330522%'"));
    assert.equal(d.monitoring.registered, n);
    assert.equal((await insp.get('/api/v1/monitor/board')).json.counts.total, n);
    assert.equal(d.monitoring.online, 1, 'A only; B is outside 长兴县');
    assert.equal(d.alarms.open, 1);
    assert.ok(d.enterprises.by_region.every((x) => x.region_code.startsWith('330522')));
    assert.equal(d.quarantine, undefined, 'the inspector does not see the quarantine');
    assert.deepEqual(d.recent_audit, [], 'nor the audit log');

    const ent = await loginAs(srv.base, 'enterprise');
    const e = await dashboard(ent);
    const own = Number(sql(srv.dir, `SELECT COUNT(*) FROM points WHERE status = 'active' AND enterprise_id = ${dev.B.ent.id}`));
    assert.equal(e.enterprises.total, 1);
    assert.equal(e.monitoring.registered, own);
    assert.equal(e.monitoring.online, 1);
    assert.equal(e.alarms.open, 0, 'the 长兴 alarm is not theirs');
    assert.deepEqual(e.alarms.today.by_county, []);
    assert.equal(e.quarantine, undefined);

    const mon = await loginAs(srv.base, 'monitor');
    assert.equal((await dashboard(mon)).quarantine.devices, 1);
  });

  test('permits due: the count is not capped by the list, and matches the permits list', async () => {
    const d = await dashboard(admin);
    assert.equal(d.permit_warn_days, 60);
    const all = await admin.get('/api/v1/permits?expiring_within_days=60&status=active&limit=1&total=1');
    assert.equal(all.status, 200);
    // The list's "due within" includes the expired ones.
    assert.equal(d.permits_expiring_total + d.permits_expired, all.json.total);
    assert.ok(d.permits_expiring_total > 0, 'the demo has permits due');
    assert.equal(d.permits_expiring.length, Math.min(d.permits_expiring_total, 100));
  });

  test('latest operations leave out sign-ins and read marks; audit rows name their records', async () => {
    await loginAs(srv.base, 'leader');
    const leader = await loginAs(srv.base, 'leader');
    await leader.post('/api/v1/notifications/read', { up_to_id: 1 });
    const d = await dashboard(leader);
    assert.equal(d.recent_audit.length, 10);
    assert.ok(d.recent_audit.every((a) => a.entity !== 'session' && !['login', 'logout', 'read'].includes(a.action)), JSON.stringify(d.recent_audit.map((a) => a.action)));
    // Nor what the system did by itself (an alarm's case opened): those are not operations.
    assert.ok(Number(sql(srv.dir, "SELECT COUNT(*) FROM audit_log WHERE actor = 'system'")) > 0);
    assert.ok(d.recent_audit.every((a) => a.actor !== 'system'), JSON.stringify(d.recent_audit.map((a) => a.actor)));
    assert.equal(d.recent_audit[0].entity, 'alarm');
    assert.equal(d.recent_audit[0].action, 'acknowledge');
    assert.equal(d.recent_audit[0].record_name, `${dev.A.ent.name} · 工作台测试A点`);
    // The audit log and the enterprise's history (变更记录) name the records.
    const pts = (await admin.get(`/api/v1/audit?entity=point&entity_id=${dev.B.point.id}`)).json.items;
    assert.equal(pts[0].record_name, `${dev.B.ent.name} · 工作台测试B点`);
    const logins = (await admin.get('/api/v1/audit?action=login&limit=1')).json.items;
    assert.match(logins[0].record_name, /\(leader\)$/);
    const hist = (await admin.get(`/api/v1/enterprises/${dev.B.ent.id}/history`)).json.items;
    const lim = hist.find((h) => h.entity === 'limit');
    assert.equal(lim.record_name, `${dev.B.ent.name} · DW902 化学需氧量`);
    // A rename: the older rows keep the name the record had when they were written.
    const r = await admin.patch(`/api/v1/enterprises/${dev.B.ent.id}`, { name: `${dev.B.ent.name}（更名）` });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const rows = (await admin.get(`/api/v1/audit?entity=enterprise&entity_id=${dev.B.ent.id}`)).json.items;
    assert.equal(rows[0].record_name, `${dev.B.ent.name}（更名）`);
    assert.equal(rows.at(-1).record_name, dev.B.ent.name);
  });
});

test('a database of the previous schema gets its audit rows named by the migration', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envgov-e2e-'));
  usePostgres(dir);
  execFileSync(BIN, ['demo', '--data', dir, '--enterprises', '10'], { stdio: 'pipe' });
  // Back to schema 6: every migration after 6 says how it is undone ("-- undo:" lines, read
  // newest first), so a module adding a migration adds its undo there, not here. The sqlite3
  // shell cannot touch a table while an index in the zh collation exists, so that index goes
  // first (the test does not need it).
  sql(dir, 'DROP INDEX enterprises_name');
  const migrations = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'store', 'migrations');
  const pg = !!process.env.ENVGOV_TEST_PG;
  const files = readdirSync(migrations).filter((f) => (pg ? /^\d+_.*\.pg\.sql$/ : /^\d+_(?!.*\.pg\.sql$).*\.sql$/).test(f))
    .filter((f) => Number(f.slice(0, f.indexOf('_'))) > 6).sort().reverse();
  for (const f of files) {
    const undo = readFileSync(join(migrations, f), 'utf8').split('\n').filter((l) => l.startsWith('-- undo: '));
    assert.ok(undo.length, `${f} says how it is undone ("-- undo: …" lines)`);
    for (const l of undo) sql(dir, l.slice('-- undo: '.length));
  }
  sql(dir, 'DELETE FROM schema_version WHERE version >= 7');
  const s = await startServer({ dir });
  try {
    const c = await loginAs(s.base, 'admin');
    // the demo's creations (later modules add rows of their own on enterprises: selfcheck_generate)
    const rows = (await c.get('/api/v1/audit?entity=enterprise&action=create&limit=20')).json.items;
    assert.equal(rows.length, 10);
    for (const a of rows) {
      const name = (await c.get(`/api/v1/enterprises/${a.entity_id}`)).json.name;
      assert.equal(a.record_name, name);
    }
    const users = (await c.get('/api/v1/audit?entity=user&limit=1')).json.items;
    assert.ok(users.length === 0 || /\(.+\)$/.test(users[0].record_name));
  } finally {
    await s.stop();
  }
});
