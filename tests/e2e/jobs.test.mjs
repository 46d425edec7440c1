// Periodic jobs (src/jobs/): two envgov processes on one database (PostgreSQL under
// ENVGOV_TEST_PG, else one SQLite file) run a job due every second exactly once per slot and
// never at the same time; `envgov job run` by hand takes the same lease; a failing job records
// its failure and error; the admin API runs a job now (audit row), and /metrics shows the jobs.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, loginAs, freePort, BIN, sql } from './lib.mjs';
import { until } from './hj212.mjs';

// sessions.prune is a real job (expired sessions out) whose schedule is a setting: every second.
const ENV = { ENVGOV_SESSION_PRUNE_SCHEDULE: 'every 1', ENVGOV_JOBS_POLL_S: '1' };
const PG = !!process.env.ENVGOV_TEST_PG;
let a, b, admin;

// A second process on the same data directory (and so the same database).
async function second(dir, env = {}) {
  const port = await freePort();
  const hj = await freePort();
  const proc = spawn(BIN, ['serve', '--data', dir, '--http', `127.0.0.1:${port}`, '--hj212', `127.0.0.1:${hj}`],
    { env: { ...process.env, ENVGOV_ACCESS_LOG: 'off', ...ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  await until(async () => { try { return (await fetch(`${base}/healthz`)).ok; } catch { return false; } }, 10000, 'second process');
  return { base, pid: proc.pid, log: () => log, stop: () => new Promise((r) => { proc.on('exit', r); proc.kill('SIGTERM'); }) };
}

// `envgov job ...` against the test database, with extra settings in env.
function cli(args, env = {}) {
  return spawnSync(BIN, ['job', ...args, '--data', a.dir], { env: { ...process.env, ...ENV, ...env }, encoding: 'utf8' });
}

const runsOf = async (name) => (await admin.get(`/api/v1/jobs/${name}/runs?limit=1000`)).json.items;
const jobOf = async (name) => (await admin.get('/api/v1/jobs')).json.items.find((j) => j.name === name);

before(async () => {
  a = await startServer({ enterprises: 3, env: ENV });
  b = await second(a.dir);
  admin = await loginAs(a.base, 'admin');
});
after(async () => { await b?.stop(); await a?.stop(); });

describe('two processes, one database', () => {
  test('a job due every second runs once per slot, never twice and never overlapping', async () => {
    const runs = await until(async () => {
      const r = (await runsOf('sessions.prune')).filter((x) => x.kind === 'scheduled');
      return r.length >= 8 && r;
    }, 30000, 'eight scheduled runs');
    const slots = runs.map((r) => r.slot_ms);
    assert.equal(new Set(slots).size, slots.length, `a slot ran twice: ${slots.join(' ')}`);
    for (const r of runs) {
      assert.equal(r.slot_ms % 1000, 0, 'slots fall on whole seconds');
      assert.ok(r.started_ms >= r.slot_ms, 'no run before its slot');
      assert.equal(r.status, 'ok', r.error);
    }
    const byStart = [...runs].sort((x, y) => x.started_ms - y.started_ms);
    for (let i = 1; i < byStart.length; i++) {
      assert.ok(byStart[i].started_ms >= byStart[i - 1].finished_ms,
        `runs ${byStart[i - 1].id} and ${byStart[i].id} overlap`);
    }
    // Both processes compete for each slot; whichever wins, the owners are these two.
    const owners = new Set(runs.map((r) => r.owner));
    assert.ok(owners.size >= 1 && owners.size <= 2, [...owners].join(' '));
    const j = await jobOf('sessions.prune');
    assert.equal(j.schedule, 'every 1');
    assert.ok(j.run_count >= runs.length);
    assert.equal(j.fail_count, 0);
    assert.equal(j.last_status, 'ok');
    assert.ok(Date.parse(j.next_run_at) > Date.parse(j.last_started_at));
  });

  test('the job does its work: an expired session is removed by the next run', async () => {
    const leader = await loginAs(b.base, 'leader');
    const count = () => Number(sql(a.dir, "SELECT COUNT(*) FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'leader')"));
    assert.ok(count() >= 1);
    sql(a.dir, "UPDATE sessions SET last_seen = 1, created_at = 1 WHERE user_id = (SELECT id FROM users WHERE username = 'leader')");
    await until(() => count() === 0, 15000, 'the expired session removed');
    const noted = (await runsOf('sessions.prune')).find((r) => /[1-9]\d* expired sessions removed/.test(r.note));
    assert.ok(noted, 'a run says it removed the session');
    assert.equal((await leader.get('/api/v1/session')).status, 401);
  });

  test('envgov job run by hand: takes the lease, records a manual run, prints the result', async () => {
    const r = cli(['run', 'sessions.prune']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^sessions\.prune: ok in \d+ ms: .*expired sessions removed/);
    const manual = (await runsOf('sessions.prune')).find((x) => x.kind === 'manual');
    assert.ok(manual, 'a manual run is listed');
    assert.equal(manual.actor, 'cli');
    assert.equal(manual.slot_at, null);
    const list = cli(['list']);
    assert.equal(list.status, 0, list.stderr);
    for (const n of ['sessions.prune', 'store.maintain', 'backup.nightly']) assert.match(list.stdout, new RegExp(`^${n.replace('.', '\\.')} `, 'm'));
    assert.equal(cli(['run', 'no.such.job']).status, 2);
    assert.equal(cli(['frobnicate']).status, 2);
  });

  test('a failing job records the failure and its error; exit status 1', async () => {
    const before = (await jobOf('backup.nightly')).fail_count;
    const r = cli(['run', 'backup.nightly'], { ENVGOV_BACKUP_DIR: '/nonexistent/envgov-backups' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /backup\.nightly: failed in \d+ ms: backup_dir \/nonexistent\/envgov-backups: No such file or directory/);
    const j = await jobOf('backup.nightly');
    assert.equal(j.last_status, 'failed');
    assert.equal(j.fail_count, before + 1);
    assert.match(j.last_error, /No such file or directory/);
    const run = (await runsOf('backup.nightly'))[0];
    assert.equal(run.status, 'failed');
    assert.match(run.error, /backup_dir/);
    const m = await (await fetch(`${a.base}/metrics`)).text();
    assert.match(m, new RegExp(`^envgov_job_runs_total\\{job="backup.nightly",status="failed"\\} ${before + 1}$`, 'm'));
  });

  test('backup.nightly with a backup directory: a copy on SQLite, the pg_dump advice on PostgreSQL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'envgov-backups-'));
    try {
      const r = cli(['run', 'backup.nightly'], { ENVGOV_BACKUP_DIR: dir });
      if (PG) {
        assert.equal(r.status, 1);
        assert.match(r.stderr, /pg_dump/);
      } else {
        assert.equal(r.status, 0, r.stderr);
        const file = /: ok in \d+ ms: (.*envgov-backup-[1-7]\.db)$/m.exec(r.stdout)?.[1];
        assert.ok(file && existsSync(file), r.stdout);
        assert.ok(!existsSync(`${file}.tmp`));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('settings', () => {
  test('jobs_enabled = off: a third process serves but never runs a scheduled job', async () => {
    const c = await second(a.dir, { ENVGOV_JOBS_ENABLED: 'off' });
    try {
      assert.match(c.log(), /scheduler off in this process/);
      const seen = (await runsOf('sessions.prune')).length;
      const runs = await until(async () => {
        const r = await runsOf('sessions.prune');
        return r.length >= seen + 4 && r;
      }, 20000, 'four more runs');
      assert.ok(runs.every((r) => !r.owner.includes(`:${c.pid}:`)), 'the process with jobs off ran a job');
    } finally {
      await c.stop();
    }
  });

  test('a bad jobs_enabled stops serve; a bad schedule setting is refused with what it should be', async () => {
    const port = await freePort();
    const r = spawnSync(BIN, ['serve', '--data', a.dir, '--http', `127.0.0.1:${port}`, '--hj212', `127.0.0.1:${await freePort()}`],
      { env: { ...process.env, ENVGOV_JOBS_ENABLED: 'maybe' }, encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /jobs_enabled must be on or off/);
    const bad = cli(['run', 'sessions.prune'], { ENVGOV_SESSION_PRUNE_SCHEDULE: 'hourly' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /schedule "hourly": expected "every SECONDS", "daily HH:MM" or "monthly DAY HH:MM"/);
  });
});

describe('admin API and metrics', () => {
  test('GET /api/v1/jobs lists every job with its schedule and state; admin only', async () => {
    const items = (await admin.get('/api/v1/jobs')).json.items;
    assert.deepEqual(items.map((j) => j.name).sort(), ['backup.nightly', 'cases.escalate', 'credit.recompute', 'documents.remind', 'patrol.selfcheck', 'positive.expire', 'service.day', 'service.risks', 'sessions.prune', 'store.maintain', 'waste.warnings']);
    const esc = items.find((j) => j.name === 'cases.escalate');
    assert.equal(esc.schedule, 'every 60');
    assert.match(esc.description, /督办/);
    const m = items.find((j) => j.name === 'store.maintain');
    assert.equal(m.schedule, 'every 3600');
    assert.ok(m.next_run_at, 'the scheduler added its row');
    assert.match(m.description, /数据库维护/);
    const leader = await loginAs(a.base, 'leader');
    assert.equal((await leader.get('/api/v1/jobs')).status, 403);
    assert.equal((await leader.post('/api/v1/jobs/store.maintain/run', {})).status, 403);
    assert.equal((await leader.get('/api/v1/jobs/store.maintain/runs')).status, 403);
  });

  test('POST /api/v1/jobs/{name}/run queues the run for the scheduler: 202 with its id, actor and audit row', async () => {
    const r = await admin.post('/api/v1/jobs/store.maintain/run', {});
    assert.equal(r.status, 202, JSON.stringify(r.json));
    assert.equal(r.json.status, 'queued');
    assert.ok(r.json.run_id > 0);
    assert.equal(r.json.scheduler_here, true);
    let run;
    await until(async () => {
      run = (await runsOf('store.maintain')).find((x) => x.id === r.json.run_id);
      return run && run.status === 'ok';
    }, 10000, 'the queued run done by the scheduler');
    assert.equal(run.note, PG ? 'postgresql' : 'sqlite');
    assert.equal(run.kind, 'manual');
    assert.equal(run.actor, 'admin');
    assert.ok(run.requested_at && run.started_at && run.finished_at);
    const j = await jobOf('store.maintain');
    const audit = (await admin.get('/api/v1/audit?entity=job')).json.items;
    assert.equal(audit[0].action, 'run');
    assert.equal(audit[0].record_name, 'store.maintain');
    assert.equal(audit[0].actor, 'admin');
    assert.equal(audit[0].after.run_id, r.json.run_id);
    assert.equal(j.last_status, 'ok');
    const missing = await admin.post('/api/v1/jobs/no.such/run', {});
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.field, 'name');
    assert.equal((await admin.get('/api/v1/jobs/sessions.prune/runs?limit=0')).json.error.field, 'limit');
  });

  // Regression (review of issue 12): "run now" ran the job in the HTTP request, holding its
  // thread, and answered 409 while the job ran anywhere. Now a held lease only delays the run.
  test('run now while the job runs elsewhere: answered at once, queued, run when the lease is free', async () => {
    const far = Date.now() + 600000;
    sql(a.dir, `UPDATE jobs SET lease_owner = 'elsewhere:1:x', lease_token = 'held', lease_until_ms = ${far} WHERE name = 'store.maintain'`);
    const t0 = Date.now();
    const r = await admin.post('/api/v1/jobs/store.maintain/run', {});
    assert.equal(r.status, 202, JSON.stringify(r.json));
    const again = await admin.post('/api/v1/jobs/store.maintain/run', {});
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'queued');
    await new Promise((res) => setTimeout(res, 2500)); // two scheduler polls: still waiting
    let run = (await runsOf('store.maintain')).find((x) => x.id === r.json.run_id);
    assert.equal(run.status, 'queued');
    assert.equal(run.actor, 'admin');
    assert.equal(run.started_at, null);
    assert.equal(run.duration_ms, null);
    assert.equal((await jobOf('store.maintain')).lease_owner, 'elsewhere:1:x');
    sql(a.dir, "UPDATE jobs SET lease_owner = NULL, lease_token = NULL, lease_until_ms = NULL WHERE name = 'store.maintain'");
    await until(async () => {
      run = (await runsOf('store.maintain')).find((x) => x.id === r.json.run_id);
      return run.status === 'ok';
    }, 10000, 'the queued run after the lease was freed');
    assert.ok(run.started_ms > t0);
    assert.equal(run.actor, 'admin');
  });

  test('/metrics: runs by status, last duration, last success and next run of each job', async () => {
    const m = await (await fetch(`${a.base}/metrics`)).text();
    assert.match(m, /^envgov_job_runs_total\{job="sessions.prune",status="ok"\} [1-9]\d*$/m);
    assert.match(m, /^envgov_job_last_duration_seconds\{job="sessions.prune"\} \d+\.\d{3}$/m);
    assert.match(m, /^envgov_job_last_success_timestamp_seconds\{job="sessions.prune"\} \d+\.\d{3}$/m);
    assert.match(m, /^envgov_job_next_run_timestamp_seconds\{job="backup.nightly"\} \d+\.\d{3}$/m);
  });
});
