// Alarms, notifications, webhooks, commands and derived values, end to end over real TCP:
// a registered device sends values above its outlet's limit and an alarm opens (merged while it
// lasts), is acknowledged, and closes itself once values stay normal; flags, stuck values,
// silence (offline) and a stopped treatment facility raise their own alarms; the org unit's
// webhook receives the notifications after a failed first attempt; platform commands travel to
// the device and its 9011/9012 answers are tracked; minute data becomes hour and day values;
// quarantined frames of a newly registered device are adopted; enterprise users see only theirs.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { startServer, loginAs, usccWithCheck, sql, alarmRules } from './lib.mjs';
import { frame, device, until } from './hj212.mjs';

let srv, admin, hjPort, ent, point, hook, hookLog = [];
const PW = '654321';
const MN = '33050000000000E2EA1A0001';
let qn = 0;
const nextQn = () => `20261130${String(++qn).padStart(9, '0')}`;
const rtd = (cp, mn = MN, pw = PW) => frame(`QN=${nextQn()};ST=32;CN=2011;PW=${pw};MN=${mn};Flag=5;CP=&&DataTime=20261130100000;${cp}&&`);

async function alarms(q = '') {
  const r = await admin.get(`/api/v1/alarms?point_id=${point.id}&limit=100${q}`);
  assert.equal(r.status, 200);
  return r.json.items;
}

before(async () => {
  // A webhook receiver that fails its first request, then accepts.
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      hookLog.push({ headers: req.headers, body });
      res.statusCode = hookLog.length === 1 ? 500 : 204;
      res.end();
    });
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  srv = await startServer({
    enterprises: 20,
    env: { ENVGOV_ALARM_SWEEP_S: '1', ENVGOV_WEBHOOK_RETRY_S: '1' },
  });
  hjPort = Number(/--hj212 127\.0\.0\.1:(\d+)/.exec(srv.proc.spawnargs.join(' '))[1]);
  admin = await loginAs(srv.base, 'admin');
  await alarmRules(admin, { close_after_normal_s: 2, offline_after_s: 3, stuck_count: 4 });
  // An enterprise in 长兴 (330522) with a wastewater outlet, an hourly COD limit and a point.
  let r = await admin.post('/api/v1/enterprises', { name: '长兴县报警测试印染有限公司',
    uscc: usccWithCheck('91330522MA7ALARM0'), region_code: '330522', industry_code: '1713', category: 'key' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  ent = r.json;
  r = await admin.post(`/api/v1/enterprises/${ent.id}/outlets`, { code: 'DW001', name: '废水总排口', kind: 'water' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const outlet = r.json;
  r = await admin.post(`/api/v1/outlets/${outlet.id}/limits`, { pollutant_code: 'w01018', value: 50, unit: 'mg/L', basis: 'hour' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await admin.post(`/api/v1/enterprises/${ent.id}/points`, { outlet_id: outlet.id, mn: MN, name: '总排口在线监测', password: PW });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  point = r.json;
  // 长兴分局's webhook.
  const units = await admin.get('/api/v1/org-units?limit=50');
  const unit = units.json.items.find((u) => u.name.includes('长兴'));
  r = await admin.put(`/api/v1/org-units/${unit.id}/webhook`, { url: `http://127.0.0.1:${hook.address().port}/hook`, secret: 's3cret' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.has_secret, 1);
  point.unit = unit.id;
});
after(async () => { await srv?.stop(); hook?.close(); });

describe('alarms', () => {
  test('values above the hourly limit raise an early warning that merges, is acknowledged and closes itself', async () => {
    const d = await device(hjPort);
    d.send(rtd('w01018-Rtd=80.5,w01018-Flag=N'));
    assert.match(await d.reply(), /CN=9014/);
    const [a] = await until(async () => { const x = await alarms('&kind=early_warning'); return x.length && x; }, 5000, 'alarm');
    assert.equal(a.status, 'open');
    assert.equal(a.factor, 'w01018');
    assert.equal(a.value, 80.5);
    assert.equal(a.limit_value, 50);
    d.send(rtd('w01018-Rtd=90,w01018-Flag=N'));
    await d.reply();
    let x = await alarms('&kind=early_warning');
    assert.equal(x.length, 1, 'consecutive triggers merge');
    assert.equal(x[0].count, 2);
    // Board shows the point in alarm.
    const board = await admin.get('/api/v1/monitor/board');
    assert.equal(board.json.items.find((p) => p.id === point.id).status, 'alarm');
    assert.ok(board.json.counts.alarm >= 1);
    // Acknowledge needs a note; then it is acknowledged; a second acknowledge conflicts.
    let r = await admin.post(`/api/v1/alarms/${a.id}/acknowledge`, {});
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'note');
    r = await admin.post(`/api/v1/alarms/${a.id}/acknowledge`, { note: '已电话通知企业核查' });
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'acknowledged');
    assert.equal(r.json.ack_note, '已电话通知企业核查');
    r = await admin.post(`/api/v1/alarms/${a.id}/acknowledge`, { note: 'again' });
    assert.equal(r.status, 409);
    const audit = await admin.get(`/api/v1/audit?entity=alarm&entity_id=${a.id}`);
    assert.ok(audit.json.items.some((e) => e.action === 'acknowledge'));
    // Normal values: closes by itself after the normal period (2 s here).
    d.send(rtd('w01018-Rtd=31.2,w01018-Flag=N'));
    await d.reply();
    await until(async () => (await alarms('&kind=early_warning'))[0].status === 'closed', 8000, 'auto-close');
    x = await alarms('&kind=early_warning');
    assert.equal(x[0].close_reason, 'auto');
    d.close();
  });

  test('abnormal flags, stuck values and a stopped facility while producing raise their alarms', async () => {
    const d = await device(hjPort);
    d.send(rtd('w01018-Rtd=20,w01018-Flag=D'));
    await d.reply();
    for (let i = 0; i < 4; i++) {
      d.send(rtd('w21003-Rtd=3.33,w21003-Flag=N'));
      await d.reply();
    }
    d.send(rtd('w00000-Rtd=12.5,w00000-Flag=N'));
    await d.reply();
    d.send(frame(`QN=${nextQn()};ST=32;CN=2021;PW=${PW};MN=${MN};Flag=5;CP=&&DataTime=20261130100000;SB1-RS=0&&`));
    await d.reply();
    const x = await until(async () => { const y = await alarms('&status=open,acknowledged'); return y.length >= 3 && y; }, 5000, 'three alarms');
    const kinds = x.map((a) => `${a.kind}:${a.factor}`).sort();
    assert.deepEqual(kinds, ['condition:SB1', 'flag:w01018', 'stuck:w21003']);
    assert.equal(x.find((a) => a.kind === 'flag').detail, 'D');
    // Facility running again ends the condition alarm's trigger (normal period starts).
    d.send(frame(`QN=${nextQn()};ST=32;CN=2021;PW=${PW};MN=${MN};Flag=5;CP=&&DataTime=20261130100100;SB1-RS=1&&`));
    await d.reply();
    await until(async () => (await alarms('&kind=condition'))[0].status === 'closed', 8000, 'condition closes');
    d.close();
  });

  test('a silent device gets an offline alarm, which closes when it is heard again', async () => {
    const off = await until(async () => { const y = await alarms('&kind=offline'); return y.length && y[0]; }, 10000, 'offline alarm');
    assert.equal(off.status, 'open');
    const board = await admin.get('/api/v1/monitor/board');
    assert.equal(board.json.items.find((p) => p.id === point.id).status, 'offline');
    const d = await device(hjPort);
    d.send(rtd('w01018-Rtd=20,w01018-Flag=N'));
    await d.reply();
    const closed = await until(async () => { const y = (await alarms('&kind=offline'))[0]; return y.status === 'closed' && y; }, 5000, 'offline closed');
    assert.equal(closed.close_reason, 'auto');
    d.close();
  });

  test('notifications reach the app and the org unit webhook (signed, retried, logged)', async () => {
    const n = await admin.get('/api/v1/notifications?limit=100');
    assert.equal(n.status, 200);
    assert.ok(n.json.items.some((i) => i.event === 'opened' && / · 超标预警 /.test(i.title)));
    assert.ok(!n.json.items.some((i) => i.title.includes('预警报警')), 'a warning is not called 预警报警');
    assert.ok(n.json.items.some((i) => i.event === 'closed'));
    const top = n.json.items[0].id;
    let r = await admin.post('/api/v1/notifications/read', { up_to_id: top });
    assert.equal(r.status, 204);
    r = await admin.get('/api/v1/notifications?limit=1');
    assert.equal(r.json.last_read_id, top);
    await until(() => hookLog.length >= 2, 10000, 'webhook retry');
    const ok = hookLog[1];
    assert.equal(ok.headers['x-envgov-signature'], `sha256=${createHmac('sha256', 's3cret').update(ok.body).digest('hex')}`);
    const body = JSON.parse(ok.body);
    assert.equal(body.enterprise.id, ent.id);
    assert.equal(body.point.mn, MN);
    const log = await until(async () => {
      const l = await admin.get(`/api/v1/org-units/${point.unit}/webhook/deliveries?limit=100`);
      return l.json.items.some((i) => i.status === 'sent' && i.attempts === 2) && l.json.items;
    }, 10000, 'delivery log');
    assert.ok(log.every((i) => i.url.endsWith('/hook')));
    // Other units get nothing: only 长兴分局 has the enterprise's region.
  });

  test('platform commands go to the online device and its 9011/9012 answers are tracked', async () => {
    const d = await device(hjPort);
    d.send(rtd('w01018-Rtd=20,w01018-Flag=N'));
    await d.reply();
    let r = await admin.post(`/api/v1/points/${point.id}/commands`, { cn: '1062', params: { RtdInterval: 10 } });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'params.RtdInterval');
    r = await admin.post(`/api/v1/points/${point.id}/commands`, { cn: '1011' });
    assert.equal(r.status, 201);
    const req = await d.reply();
    const m = /QN=(\d+);ST=32;CN=1011;PW=654321;MN=33050000000000E2EA1A0001;Flag=5;/.exec(req);
    assert.ok(m, req);
    const q = m[1];
    d.send(frame(`QN=${q};ST=91;CN=9011;PW=${PW};MN=${MN};Flag=4;CP=&&QnRtn=1&&`));
    d.send(frame(`QN=${q};ST=32;CN=1011;PW=${PW};MN=${MN};Flag=4;CP=&&SystemTime=20261130101500&&`));
    d.send(frame(`QN=${q};ST=91;CN=9012;PW=${PW};MN=${MN};Flag=4;CP=&&ExeRtn=1&&`));
    const c = await until(async () => {
      const l = await admin.get(`/api/v1/points/${point.id}/commands`);
      return l.json.items[0].status === 'done' && l.json.items[0];
    }, 5000, 'command done');
    assert.equal(c.qn, q);
    assert.equal(c.qn_rtn, '1');
    assert.match(c.result, /SystemTime=20261130101500/);
    // A history request: the device's hour data carries the request's QN and is stored.
    r = await admin.post(`/api/v1/points/${point.id}/commands`, { cn: '2061', params: { BeginTime: '20261120000000', EndTime: '20261120235959' } });
    const hq = /QN=(\d+);/.exec(await d.reply())[1];
    d.send(frame(`QN=${hq};ST=91;CN=9011;PW=${PW};MN=${MN};Flag=4;CP=&&QnRtn=1&&`));
    for (const h of ['00', '01']) {
      d.send(frame(`QN=${hq};ST=32;CN=2061;PW=${PW};MN=${MN};Flag=4;CP=&&DataTime=20261120${h}0000;w01018-Avg=3${h[1]},w01018-Flag=N&&`));
    }
    d.send(frame(`QN=${hq};ST=91;CN=9012;PW=${PW};MN=${MN};Flag=4;CP=&&ExeRtn=1&&`));
    await until(async () => (await admin.get(`/api/v1/points/${point.id}/commands`)).json.items[0].status === 'done', 5000, 'history done');
    const rd = await admin.get(`/api/v1/points/${point.id}/readings?cn=2061&from=2026-11-20&to=2026-11-21`);
    assert.deepEqual(rd.json.items.map((i) => i.value).sort(), [30, 31]);
    // An offline point's command is marked offline, not left waiting.
    const other = await admin.post(`/api/v1/enterprises/${ent.id}/points`, { mn: '33050000000000E2EA1A0002', name: '备用点', password: PW });
    r = await admin.post(`/api/v1/points/${other.json.id}/commands`, { cn: '1061' });
    await until(async () => (await admin.get(`/api/v1/points/${other.json.id}/commands`)).json.items[0].status === 'offline', 5000, 'offline command');
    d.close();
  });

  test('minute data becomes hour and day values; an hourly exceedance is judged on the derived hour', async () => {
    const d = await device(hjPort);
    for (let m = 0; m < 60; m += 10) {
      const t = `20261101${'09'}${String(m).padStart(2, '0')}00`;
      d.send(frame(`QN=${nextQn()};ST=32;CN=2051;PW=${PW};MN=${MN};Flag=5;CP=&&DataTime=${t};w01018-Avg=${m < 30 ? 40 : 80},w01018-Min=1,w01018-Max=${90 + m},w01018-Flag=N;w00000-Cou=10,w00000-Flag=N&&`));
      await d.reply();
    }
    // The sweep may derive the hour while its minutes are still arriving; it derives it again
    // as more come. Wait for the derivation that saw all six (the total flow counts them).
    const hour = await until(async () => {
      const r = await admin.get(`/api/v1/points/${point.id}/readings?cn=2061&from=2026-11-01&to=2026-11-02`);
      return r.json.items.some((i) => i.factor === 'w00000' && i.kind === 'Cou' && i.value === 60) && r.json.items;
    }, 8000, 'derived hour');
    const v = Object.fromEntries(hour.filter((i) => i.data_time === '2026-11-01 09:00:00').map((i) => [`${i.factor}-${i.kind}`, i.value]));
    assert.equal(v['w01018-Avg'], 60);
    assert.equal(v['w01018-Min'], 1);
    assert.equal(v['w01018-Max'], 140);
    assert.equal(v['w00000-Cou'], 60);
    const ex = await until(async () => { const y = await alarms('&kind=exceed'); return y.length && y[0]; }, 5000, 'hourly exceedance');
    assert.equal(ex.value, 60);
    assert.equal(ex.detail, 'hour');
    const day = await until(async () => {
      const r = await admin.get(`/api/v1/points/${point.id}/readings?cn=2031&factor=w01018&kind=Avg&from=2026-11-01&to=2026-11-02`);
      return r.json.items.length && r.json.items[0];
    }, 8000, 'derived day');
    assert.equal(day.value, 60);
    // The chart series of the minute data, with the limit for the line.
    const s = await admin.get(`/api/v1/points/${point.id}/series?factor=w01018&cn=2061&from=2026-11-01&to=2026-11-02`);
    assert.equal(s.status, 200);
    assert.equal(s.json.items.length, 1);
    assert.deepEqual(s.json.limits.map((l) => [l.basis, l.value]), [['hour', 50]]);
    d.close();
  });

  test('quarantined frames of a newly registered device are adopted as readings', async () => {
    const mn = '33050000000000E2EA1A0099';
    const d = await device(hjPort);
    for (const [t, v] of [['20261130110000', 12.5], ['20261130110030', 13.5]]) {
      d.send(frame(`QN=${nextQn()};ST=32;CN=2011;PW=111111;MN=${mn};Flag=5;CP=&&DataTime=${t};w01018-Rtd=${v},w01018-Flag=N&&`));
    }
    await d.reply(); await d.reply();
    const q = await admin.get('/api/v1/monitor/quarantine/summary');
    const row = q.json.items.find((i) => i.mn === mn);
    assert.equal(row.frames, 2);
    assert.equal(row.point_id, null);
    let r = await admin.post('/api/v1/monitor/quarantine/adopt', { mn });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'mn');
    const p = await admin.post(`/api/v1/enterprises/${ent.id}/points`, { mn, name: '新登记点', password: '111111' });
    assert.equal(p.status, 201);
    r = await admin.post('/api/v1/monitor/quarantine/adopt', { mn });
    assert.equal(r.status, 200);
    assert.equal(r.json.adopted, 2);
    assert.equal(r.json.values, 2);
    const rd = await admin.get(`/api/v1/points/${p.json.id}/readings`);
    assert.equal(rd.json.items.length, 2);
    const q2 = await admin.get('/api/v1/monitor/quarantine/summary');
    assert.ok(!q2.json.items.some((i) => i.mn === mn));
    d.close();
  });

  test('enterprise users see only their own points and alarms and cannot handle or command', async () => {
    const e = await loginAs(srv.base, 'enterprise');
    const board = await e.get('/api/v1/monitor/board');
    assert.equal(board.status, 200);
    assert.ok(board.json.items.every((p) => p.enterprise_id !== ent.id));
    const al = await e.get(`/api/v1/alarms?enterprise_id=${ent.id}`);
    assert.equal(al.json.items.length, 0);
    const all = await admin.get(`/api/v1/alarms?point_id=${point.id}&limit=1`);
    let r = await e.get(`/api/v1/alarms/${all.json.items[0].id}`);
    assert.equal(r.status, 404);
    r = await e.post(`/api/v1/alarms/${all.json.items[0].id}/close`, {});
    assert.equal(r.status, 403);
    r = await e.post(`/api/v1/points/${point.id}/commands`, { cn: '1011' });
    assert.equal(r.status, 403);
    r = await e.get(`/api/v1/points/${point.id}/series?factor=w01018`);
    assert.equal(r.status, 404);
    // The inspector of 长兴分局 sees the enterprise in 330522.
    const i = await loginAs(srv.base, 'inspector');
    const ib = await i.get('/api/v1/monitor/board');
    assert.ok(ib.json.items.some((p) => p.id === point.id));
    assert.ok(ib.json.items.every((p) => p.region_code.startsWith('330522')));
  });
});

describe('a sweep that closes many alarms', () => {
  test('notifies every one of them (it stopped at 512)', async () => {
    const s2 = await startServer({ enterprises: 5, env: { ENVGOV_ALARM_SWEEP_S: '1' } });
    try {
      // 600 open alarms of one point, normal again long ago: the next sweep closes them all.
      sql(s2.dir, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 600)
        INSERT INTO alarms (point_id, enterprise_id, kind, factor, status, first_at, last_at, normal_since)
        SELECT p.id, p.enterprise_id, 'exceed', 'x' || i, 'open', '2026-11-01T00:00:00Z',
               '2026-11-01T00:00:00Z', '2000-01-01T00:00:00Z'
        FROM s, (SELECT id, enterprise_id FROM points ORDER BY id LIMIT 1) p`);
      const closed = () => Number(sql(s2.dir, "SELECT COUNT(*) FROM notifications WHERE event = 'closed'"));
      await until(async () => Number(sql(s2.dir, "SELECT COUNT(*) FROM alarms WHERE status = 'closed'")) === 600,
        15000, 'the sweep closing the alarms');
      await until(async () => closed() === 600, 15000, `600 closed notifications (${closed()})`);
      assert.equal(sql(s2.dir, "SELECT COUNT(*) FROM notifications WHERE event = 'closed' AND title NOT LIKE '%超标恢复%'"), '0');
    } finally {
      await s2.stop();
    }
  });
});
