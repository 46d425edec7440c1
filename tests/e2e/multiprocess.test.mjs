// Two envgov processes serving one database (PostgreSQL under ENVGOV_TEST_PG, else one SQLite
// file), as behind a load balancer: the login throttle counts failures at both; a command
// queued at one is sent by the other, which holds the device; a device that moved to the
// other gateway is not reported offline by the first; when it does fall silent, one offline
// alarm opens (not one per process), the org unit's webhook gets it exactly once, and once
// closed by hand it stays closed.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { startServer, loginAs, usccWithCheck, freePort, BIN, Client, alarmRules, freshThrottleWindow } from './lib.mjs';
import { frame, device, until } from './hj212.mjs';

const PW = '654321';
const MN = '33050000000000E2EA1A0077';
let a, b, admin, adminB, point, hook;
const hits = [];
let qn = 0;
const nextQn = () => `20261130${String(++qn).padStart(9, '0')}`;
const rtd = () => frame(`QN=${nextQn()};ST=32;CN=2011;PW=${PW};MN=${MN};Flag=5;CP=&&DataTime=20261130100000;w01018-Rtd=20,w01018-Flag=N&&`);
const ENV = { ENVGOV_ALARM_SWEEP_S: '1', ENVGOV_WEBHOOK_RETRY_S: '1' };

// A second process on the same data directory (and so the same database).
async function second(dir) {
  const port = await freePort();
  const hj = await freePort();
  const proc = spawn(BIN, ['serve', '--data', dir, '--http', `127.0.0.1:${port}`, '--hj212', `127.0.0.1:${hj}`],
    { env: { ...process.env, ENVGOV_ACCESS_LOG: 'off', ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  await until(async () => { try { return (await fetch(`${base}/healthz`)).ok; } catch { return false; } }, 10000, 'second process');
  return {
    base, hj, log: () => log,
    stop: () => new Promise((r) => { proc.on('exit', r); proc.kill('SIGTERM'); }),
  };
}
const hjOf = (srv) => Number(/--hj212 127\.0\.0\.1:(\d+)/.exec(srv.proc.spawnargs.join(' '))[1]);

before(async () => {
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { hits.push(JSON.parse(body)); res.statusCode = 204; res.end(); });
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  a = await startServer({ enterprises: 5, env: ENV });
  b = await second(a.dir);
  admin = await loginAs(a.base, 'admin');
  adminB = await loginAs(b.base, 'admin');
  // Written through one process, read by both: the other sees it at its next sweep.
  await alarmRules(admin, { offline_after_s: 6 });
  let r = await admin.post('/api/v1/enterprises', { name: '长兴县双进程测试有限公司',
    uscc: usccWithCheck('91330522MA7TWNPR0'), region_code: '330522', industry_code: '1713', category: 'key' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const ent = r.json;
  r = await admin.post(`/api/v1/enterprises/${ent.id}/outlets`, { code: 'DW001', name: '废水总排口', kind: 'water' });
  r = await admin.post(`/api/v1/enterprises/${ent.id}/points`, { outlet_id: r.json.id, mn: MN, name: '总排口', password: PW });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  point = r.json;
  const unit = (await admin.get('/api/v1/org-units?limit=50')).json.items.find((u) => u.name.includes('长兴'));
  r = await adminB.put(`/api/v1/org-units/${unit.id}/webhook`, { url: `http://127.0.0.1:${hook.address().port}/hook`, secret: 'k' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
});
after(async () => { await b?.stop(); await a?.stop(); hook?.close(); });

describe('two processes, one database', () => {
  test('failed logins at either process count toward one per-address limit', async () => {
    await freshThrottleWindow();
    const clients = [new Client(a.base), new Client(b.base)];
    for (let i = 0; i < 30; i++) {
      const r = await clients[i % 2].login('nobody-here', 'Wrong#password1');
      assert.equal(r.status, 401, `attempt ${i + 1}`);
    }
    for (const c of clients) assert.equal((await c.login('nobody-here', 'Wrong#password1')).status, 429);
  });

  test('a device that moved to the other gateway gets its commands there and is not reported offline', async () => {
    const d1 = await device(hjOf(a));
    d1.send(rtd());
    await d1.reply();
    d1.close();
    const d2 = await device(b.hj);
    const keep = setInterval(() => d2.send(rtd()), 500);
    try {
      // Longer than the offline threshold, with sweeps at both processes every second (each
      // process writes the times it heard devices every 2 s).
      await new Promise((r) => setTimeout(r, 9000));
      let r = await admin.get(`/api/v1/alarms?point_id=${point.id}&kind=offline`);
      assert.equal(r.json.items.length, 0, 'process A saw the device go quiet there; B hears it');
      // A command queued through process A reaches the device through process B.
      r = await admin.post(`/api/v1/points/${point.id}/commands`, { cn: '1011' });
      assert.equal(r.status, 201, JSON.stringify(r.json));
      let req = null;
      const end = Date.now() + 8000;
      while (!req && Date.now() < end) {
        const f = await d2.reply(1000).catch(() => '');
        if (f.includes('CN=1011')) req = f;
      }
      assert.ok(req, 'the 1011 request reached the device through process B');
      assert.match(req, /ST=32;CN=1011;PW=654321;MN=33050000000000E2EA1A0077/);
      const c = (await admin.get(`/api/v1/points/${point.id}/commands`)).json.items[0];
      assert.equal(c.status, 'sent');
    } finally {
      clearInterval(keep);
    }
    // Silent everywhere now: one offline alarm, one notification, one webhook delivery.
    const off = await until(async () => {
      const r = await admin.get(`/api/v1/alarms?point_id=${point.id}&kind=offline`);
      return r.json.items.length && r.json.items;
    }, 15000, 'offline alarm');
    await new Promise((r) => setTimeout(r, 3000)); // both sweeps have run several times since
    const again = (await adminB.get(`/api/v1/alarms?point_id=${point.id}&kind=offline`)).json.items;
    assert.equal(again.length, 1);
    assert.equal(again[0].id, off[0].id);
    const notes = (await admin.get('/api/v1/notifications?limit=100')).json.items.filter((n) => n.alarm_id === off[0].id);
    assert.equal(notes.length, 1);
    await until(() => hits.some((h) => h.id === notes[0].id), 8000, 'webhook delivery');
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(hits.filter((h) => h.id === notes[0].id).length, 1);
    // Closed by hand while the device is still silent: neither process opens it again at
    // once (only a device heard again and silent again raises a new one).
    const r = await adminB.post(`/api/v1/alarms/${off[0].id}/close`, { note: '设备停运检修，已电话确认' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    await new Promise((res) => setTimeout(res, 3000));
    const after = (await admin.get(`/api/v1/alarms?point_id=${point.id}&kind=offline`)).json.items;
    assert.deepEqual(after.map((x) => [x.id, x.status]), [[off[0].id, 'closed']]);
    d2.close();
    assert.doesNotMatch(b.log(), /ERROR: (Address|Leak)Sanitizer|runtime error:/);
  });
});
