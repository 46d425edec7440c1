// The alarm list at a centre's scale: filters by region (GB/T 2260 prefix), enterprise and
// China-time dates; the filtered list exported as CSV and XLSX with Chinese headers and China
// times, within the export cap; many open alarms acknowledged with one note, all or nothing;
// and the leader, who reads alarms but does not handle them (decision 30).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { startServer, loginAs, sql } from './lib.mjs';

let srv, admin, A, B, ids = {};

// Alarms written straight into the database, at chosen times (UTC ISO, as the server keeps them).
function addAlarm(p, kind, first, last, status = 'open') {
  return Number(sql(srv.dir, `INSERT INTO alarms (point_id, enterprise_id, kind, factor, status, first_at, last_at,
    data_time, value, limit_value) VALUES (${p.id}, ${p.ent}, '${kind}', 'w01018', '${status}', '${first}', '${last}',
    '2026-12-01 08:00:00', 80.5, 50) RETURNING id`));
}

async function listIds(client, q) {
  const r = await client.get(`/api/v1/alarms?limit=100&status=open,acknowledged,closed${q}`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.items.map((a) => a.id).sort((x, y) => x - y);
}
const sorted = (...xs) => xs.sort((x, y) => x - y);

// The entries of a zip file (XLSX), inflated.
function unzip(buf) {
  const files = {};
  let eocd = buf.length - 22;
  while (buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = buf.readUInt16LE(eocd + 10); n > 0; n--) {
    const method = buf.readUInt16LE(p + 10), size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28), extra = buf.readUInt16LE(p + 30), comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString();
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files[name] = (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    p += 46 + nameLen + extra + comment;
  }
  return files;
}

before(async () => {
  srv = await startServer({ enterprises: 60, env: { ENVGOV_EXPORT_MAX_ROWS: '3' } });
  admin = await loginAs(srv.base, 'admin');
  assert.equal(sql(srv.dir, 'SELECT COUNT(*) FROM alarms'), '0', 'the demo opens no alarms');
  const points = sql(srv.dir, `SELECT p.id, p.enterprise_id, e.region_code FROM points p JOIN enterprises e
    ON e.id = p.enterprise_id WHERE p.status = 'active' ORDER BY p.id`).split('\n')
    .map((l) => { const [id, ent, region] = l.split('|'); return { id: Number(id), ent: Number(ent), region }; });
  A = points.find((p) => p.region === '330522'); // 长兴县, the inspector's area
  B = points.find((p) => p.region.startsWith('3305') && p.region !== '330522');
  assert.ok(A && B, 'points in 长兴 and elsewhere');
  // China time (UTC+8): a1 falls on 11-30, a2 on 12-01 although both are 11-30 in UTC.
  ids.a1 = addAlarm(A, 'exceed', '2026-11-30T15:30:00Z', '2026-11-30T15:50:00Z');
  ids.a2 = addAlarm(A, 'early_warning', '2026-11-30T16:10:00Z', '2026-11-30T16:10:00Z');
  ids.a3 = addAlarm(B, 'exceed', '2026-12-01T03:00:00Z', '2026-12-02T03:00:00Z');
  ids.a4 = addAlarm(B, 'flag', '2026-11-20T01:00:00Z', '2026-11-20T02:00:00Z', 'closed');
});
after(async () => { await srv?.stop(); });

describe('alarm list filters', () => {
  test('region prefix, enterprise and China-time dates filter the list', async () => {
    const { a1, a2, a3, a4 } = ids;
    assert.deepEqual(await listIds(admin, ''), sorted(a1, a2, a3, a4));
    assert.deepEqual(await listIds(admin, '&region_code=330522'), sorted(a1, a2));
    assert.deepEqual(await listIds(admin, '&region_code=3305'), sorted(a1, a2, a3, a4));
    assert.deepEqual(await listIds(admin, `&enterprise_id=${B.ent}`), sorted(a3, a4));
    // A date is a China day: 2026-12-01 runs from 11-30T16:00Z to 12-01T15:59:59Z.
    assert.deepEqual(await listIds(admin, '&from=2026-12-01&to=2026-12-01'), sorted(a2, a3));
    assert.deepEqual(await listIds(admin, '&to=2026-11-30'), sorted(a1, a4));
    // An alarm counts on every day it was active (first to latest trigger).
    assert.deepEqual(await listIds(admin, '&from=2026-12-02'), [a3]);
    assert.deepEqual(await listIds(admin, '&region_code=330522&from=2026-12-01'), [a2]);
    const r = await admin.get('/api/v1/alarms?region_code=330522&total=1');
    assert.equal(r.json.total, 2);
    assert.equal(r.json.items[0].region_name, '长兴县');
  });

  test('bad filters are refused naming the parameter; the region stays inside the scope', async () => {
    for (const [q, field] of [['from=2026-13-01', 'from'], ['to=20261201', 'to'], ['region_code=33x', 'region_code'],
      ['region_code=3', 'region_code'], ['from=2026-12-02&to=2026-12-01', 'to'], ['enterprise_id=abc', 'enterprise_id'],
      ['point_id=-1', 'point_id']]) {
      const r = await admin.get(`/api/v1/alarms?${q}`);
      assert.equal(r.status, 422, q);
      assert.equal(r.json.error.field, field, q);
    }
    const inspector = await loginAs(srv.base, 'inspector'); // 长兴 only
    assert.deepEqual(await listIds(inspector, ''), sorted(ids.a1, ids.a2));
    assert.deepEqual(await listIds(inspector, `&region_code=${B.region}`), []);
  });

  // Review of issue 12: "active in the span" is first_at <= to (index of schema 7) and last_at >=
  // from, which had none (schema 16 adds alarms_last_at; its undo is in dashboard.test.mjs).
  test('the from filter and the last_at order use an index', async (t) => {
    if (process.env.ENVGOV_TEST_PG) return t.skip('SQLite query plan');
    const plan = sql(srv.dir, "EXPLAIN QUERY PLAN SELECT t.id FROM alarms t WHERE t.last_at >= '2026-12-02T00:00:00Z' ORDER BY t.last_at DESC, t.id DESC LIMIT 51");
    assert.match(plan, /USING (COVERING )?INDEX alarms_last_at/, plan);
    const r = await admin.get('/api/v1/alarms?from=2026-12-01&sort=-last_at&limit=100');
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const last = r.json.items.map((a) => a.last_at);
    assert.deepEqual(last, [...last].sort().reverse());
  });
});

describe('alarm export', () => {
  test('CSV: the filtered rows, Chinese headers and labels, times in China time', async () => {
    const r = await admin.get('/api/v1/alarms/export?format=csv&region_code=330522&sort=first_at');
    assert.equal(r.status, 200, r.body.toString());
    assert.match(r.headers.get('content-type'), /text\/csv/);
    assert.match(r.headers.get('content-disposition'), /filename="alarms-\d{4}-\d\d-\d\d\.csv"/);
    const text = r.body.toString('utf8');
    assert.equal(text.charCodeAt(0), 0xfeff, 'BOM for Excel');
    const rows = text.slice(1).trim().split('\r\n').map((l) => l.split(','));
    const head = rows[0];
    assert.deepEqual(head.slice(0, 3), ['报警编号', '状态', '报警类型']);
    assert.equal(rows.length, 3, 'header and the two alarms of 长兴');
    const col = (name) => head.indexOf(name);
    const a1 = rows.find((x) => Number(x[0]) === ids.a1), a2 = rows.find((x) => Number(x[0]) === ids.a2);
    assert.equal(a1[col('状态')], '未处理');
    assert.equal(a1[col('报警类型')], '超标');
    assert.equal(a2[col('报警类型')], '超标预警');
    assert.equal(a1[col('首次报警时间')], '2026-11-30 23:30:00');
    assert.equal(a2[col('首次报警时间')], '2026-12-01 00:10:00');
    assert.equal(a1[col('行政区划')], '长兴县');
    assert.equal(a1[col('监测值')], '80.5');
  });

  test('XLSX: a zip whose sheet holds the rows; over the cap the export is refused', async () => {
    const r = await admin.get(`/api/v1/alarms/export?format=xlsx&enterprise_id=${B.ent}`);
    assert.equal(r.status, 200, r.body.toString());
    assert.match(r.headers.get('content-type'), /spreadsheetml/);
    assert.equal(r.body.subarray(0, 2).toString(), 'PK');
    const files = unzip(r.body);
    const sheet = files['xl/worksheets/sheet1.xml'];
    const strings = files['xl/sharedStrings.xml'] || '';
    assert.equal((sheet.match(/<row /g) || []).length, 3, 'header and two rows');
    for (const s of ['报警编号', '首次报警时间', '数据标记异常', '已关闭', '2026-12-01 11:00:00']) {
      assert.ok((strings + sheet).includes(s), s);
    }
    // Four alarms, cap 3 (ENVGOV_EXPORT_MAX_ROWS): refused with a message, not cut short.
    const big = await admin.get('/api/v1/alarms/export?format=csv&status=open,acknowledged,closed');
    assert.equal(big.status, 413);
    assert.match(big.json.error.message, /导出行数超过上限/);
    const bad = await admin.get('/api/v1/alarms/export?format=pdf');
    assert.equal(bad.status, 422);
    assert.equal(bad.json.error.field, 'format');
  });
});

describe('bulk acknowledge', () => {
  const status = (id) => sql(srv.dir, `SELECT status FROM alarms WHERE id = ${id}`);

  test('bad requests are refused naming the field, and change nothing', async () => {
    const cases = [
      [{ ids: [ids.a1] }, 'note'],
      [{ ids: [], note: 'x' }, 'ids'],
      [{ note: 'x' }, 'ids'],
      [{ ids: [ids.a1, 'x'], note: 'x' }, 'ids[1]'],
      [{ ids: [ids.a1, ids.a1], note: 'x' }, 'ids[1]'],
      [{ ids: Array.from({ length: 201 }, (_, i) => i + 1), note: 'x' }, 'ids'],
    ];
    for (const [body, field] of cases) {
      const r = await admin.post('/api/v1/alarms/acknowledge', body);
      assert.equal(r.status, 422, JSON.stringify(body));
      assert.equal(r.json.error.field, field, JSON.stringify(body));
    }
    assert.equal(status(ids.a1), 'open');
  });

  test('one alarm that cannot be acknowledged stops them all; then all are acknowledged', async () => {
    // a4 is closed: nothing is acknowledged, and the answer names a4.
    let r = await admin.post('/api/v1/alarms/acknowledge', { ids: [ids.a1, ids.a2, ids.a4], note: '已通知企业' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.code, 'not_open');
    assert.equal(r.json.error.field, 'ids[2]');
    assert.match(r.json.error.message, new RegExp(`报警 ${ids.a4} `));
    assert.equal(status(ids.a1), 'open');
    assert.equal(status(ids.a2), 'open');
    r = await admin.post('/api/v1/alarms/acknowledge', { ids: [ids.a1, 999999], note: '已通知企业' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.code, 'not_found');
    assert.equal(status(ids.a1), 'open');
    // Out of the inspector's area (长兴 only): as if it did not exist.
    const inspector = await loginAs(srv.base, 'inspector');
    r = await inspector.post('/api/v1/alarms/acknowledge', { ids: [ids.a1, ids.a3], note: '已通知企业' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'ids[1]');
    assert.equal(status(ids.a1), 'open');
    // Every alarm open: all acknowledged with the one note, one audit row each.
    r = await inspector.post('/api/v1/alarms/acknowledge', { ids: [ids.a1, ids.a2], note: '已电话通知企业核查' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.acknowledged, 2);
    assert.deepEqual(r.json.items.map((a) => [a.id, a.status, a.ack_note]),
      [[ids.a1, 'acknowledged', '已电话通知企业核查'], [ids.a2, 'acknowledged', '已电话通知企业核查']]);
    for (const id of [ids.a1, ids.a2]) {
      const au = await admin.get(`/api/v1/audit?entity=alarm&entity_id=${id}`);
      assert.equal(au.json.items.filter((e) => e.action === 'acknowledge').length, 1);
    }
    const enterprise = await loginAs(srv.base, 'enterprise');
    r = await enterprise.post('/api/v1/alarms/acknowledge', { ids: [ids.a3], note: 'x' });
    assert.equal(r.status, 403);
  });
});

describe('leader', () => {
  test('reads alarms and exports them, but neither acknowledges nor closes (decision 30)', async () => {
    const leader = await loginAs(srv.base, 'leader');
    assert.ok((await listIds(leader, '')).includes(ids.a3));
    assert.equal((await leader.get(`/api/v1/alarms/export?enterprise_id=${B.ent}`)).status, 200);
    assert.equal((await leader.post(`/api/v1/alarms/${ids.a3}/acknowledge`, { note: '阅' })).status, 403);
    assert.equal((await leader.post(`/api/v1/alarms/${ids.a3}/close`, {})).status, 403);
    assert.equal((await leader.post('/api/v1/alarms/acknowledge', { ids: [ids.a3], note: '阅' })).status, 403);
    assert.equal(sql(srv.dir, `SELECT status FROM alarms WHERE id = ${ids.a3}`), 'open');
    // The monitoring centre handles it.
    const monitor = await loginAs(srv.base, 'monitor');
    const r = await monitor.post(`/api/v1/alarms/${ids.a3}/acknowledge`, { note: '已核实' });
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'acknowledged');
  });
});
