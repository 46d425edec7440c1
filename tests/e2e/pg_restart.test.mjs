// PostgreSQL only (ENVGOV_TEST_PG set): the database server restarts while a device uploads and
// people use the site. envgov reconnects by itself; every frame it acknowledged is stored, and
// the API answers again once the server is back. Runs its own throwaway cluster, since it stops
// it (the shared one serves the other suites meanwhile).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, freePort, loginAs, sql } from './lib.mjs';
import { frame, device, until } from './hj212.mjs';

const PG = !!process.env.ENVGOV_TEST_PG;
const cluster = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'pg-cluster');
let pgdir, dir, proc, log = '', base, hj;

before(async () => {
  if (!PG) return;
  pgdir = mkdtempSync('/tmp/envgov-pgr-');
  dir = mkdtempSync(join(tmpdir(), 'envgov-pgr-'));
  const url = execFileSync(cluster, ['start', pgdir], { encoding: 'utf8' }).trim();
  writeFileSync(join(dir, 'envgov.ini'), `db = ${url}\n`);
  execFileSync(BIN, ['demo', '--data', dir, '--enterprises', '5'], { stdio: 'pipe' });
  const port = await freePort();
  hj = await freePort();
  proc = spawn(BIN, ['serve', '--data', dir, '--http', `127.0.0.1:${port}`, '--hj212', `127.0.0.1:${hj}`],
    { env: { ...process.env, ENVGOV_ACCESS_LOG: 'off' }, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stderr.on('data', (d) => { log += d; });
  base = `http://127.0.0.1:${port}`;
  await until(async () => { try { return (await fetch(`${base}/healthz`)).ok; } catch { return false; } }, 10000, 'server');
});
after(async () => {
  if (!PG) return;
  if (process.env.ENVGOV_SHOW_LOG) process.stderr.write(`--- envgov serve log\n${log}`);
  if (proc && proc.exitCode === null) await new Promise((r) => { proc.on('exit', r); proc.kill('SIGTERM'); });
  try { execFileSync(cluster, ['stop', pgdir]); } catch { /* already stopped */ }
  rmSync(pgdir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

test('a database restart loses no acknowledged frame and the API recovers', { skip: !PG && 'needs ENVGOV_TEST_PG' }, async () => {
  const [id, mn, pw] = sql(dir, 'SELECT id, mn, password FROM points ORDER BY id LIMIT 1').split('|');
  const d = await device(hj);
  const acked = new Set();
  let n = 0, stop = false;
  // One frame at a time, waiting up to 1.5 s for its 9014 (none while the database is down).
  const pump = (async () => {
    while (!stop) {
      const q = `20261130${String(++n).padStart(9, '0')}`;
      d.send(frame(`QN=${q};ST=32;CN=2011;PW=${pw};MN=${mn};Flag=5;CP=&&DataTime=20261130${String(100000 + n).slice(-6)};w01018-Rtd=${n},w01018-Flag=N&&`));
      const r = await d.reply(1500).catch(() => '');
      const m = /QN=(\d+);ST=91;CN=9014/.exec(r);
      if (m) acked.add(m[1]);
    }
  })();
  await until(() => acked.size >= 10, 10000, 'acks before the restart');
  execFileSync(cluster, ['stop', pgdir]);
  await new Promise((r) => setTimeout(r, 1500));
  execFileSync(cluster, ['start', pgdir]);
  const before = acked.size;
  await until(() => acked.size >= before + 10, 20000, 'acks after the restart');
  stop = true;
  await pump;
  d.close();
  const stored = new Set(sql(dir, `SELECT qn FROM hj212_messages WHERE mn = '${mn}'`).split('\n'));
  for (const q of acked) assert.ok(stored.has(q), `acknowledged frame ${q} is stored`);
  const values = Number(sql(dir, `SELECT COUNT(*) FROM readings WHERE point_id = ${id} AND factor = 'w01018'`));
  assert.ok(values >= acked.size, `${values} values for ${acked.size} acknowledged frames`);
  // The site works again: a fresh login (a write) and a list (a read).
  const admin = await loginAs(base, 'admin');
  const r = await admin.get('/api/v1/enterprises?limit=5');
  assert.equal(r.status, 200);
  assert.equal(r.json.items.length, 5);
  assert.equal(proc.exitCode, null, 'the server kept running');
  assert.match(log, /connection re-established/);
  assert.doesNotMatch(log, /ERROR: (Address|Leak)Sanitizer|runtime error:/);
});
