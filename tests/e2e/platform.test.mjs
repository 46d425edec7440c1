// Platform end to end: working-day calendar API, static UI caching and compression, metrics,
// health, the command line (init, backup, help, version) and refusing a newer database.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, loginAs, BIN, usePostgres, sql } from './lib.mjs';
import { until } from './hj212.mjs';

let srv, admin;
before(async () => { srv = await startServer({ enterprises: 20 }); admin = await loginAs(srv.base, 'admin'); });
after(async () => { await srv?.stop(); });

describe('calendar', () => {
  test('years 2020-2026 ship loaded', async () => {
    const r = await admin.get('/api/v1/calendar');
    for (let y = 2020; y <= 2026; y++) assert.ok(r.json.years.includes(y), String(y));
  });
  const golden = [['2026-09-30', 'workdays', 10, '2026-10-20'], ['2026-02-10', 'workdays', 20, '2026-03-16'],
    ['2026-09-28', 'calendar_days', 5, '2026-10-08'], ['2026-10-09', 'workdays', 1, '2026-10-10']];
  for (const [from, kind, n, want] of golden) {
    test(`${n} ${kind} after ${from} → ${want}`, async () => {
      const r = await admin.get(`/api/v1/calendar/deadline?from=${from}&${kind}=${n}`);
      assert.equal(r.json.deadline, want);
    });
  }
  test('a year not loaded is an error naming it, until an admin loads it', async () => {
    const r = await admin.get('/api/v1/calendar/deadline?from=2026-12-20&workdays=20');
    assert.equal(r.status, 422);
    assert.equal(r.json.error.code, 'year_not_loaded');
    assert.match(r.json.error.message, /2027/);
    const body = { year: 2027, source: 'test', holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
      workdays: [{ date: '2026-12-26', name: 'x' }] };
    assert.equal((await admin.put('/api/v1/calendar/2027', body)).status, 422, 'a 2026 date in the 2027 file');
    const wed = { ...body, workdays: [{ date: '2027-01-06', name: '周三' }] };
    assert.equal((await admin.put('/api/v1/calendar/2027', wed)).json.error.code, 'invalid_calendar');
    const good = { ...body, workdays: [] };
    const monitor = await loginAs(srv.base, 'monitor');
    assert.equal((await monitor.put('/api/v1/calendar/2027', good)).status, 403);
    assert.equal((await admin.put('/api/v1/calendar/2027', good)).status, 200);
    const ok = await admin.get('/api/v1/calendar/deadline?from=2026-12-20&workdays=20');
    assert.equal(ok.status, 200);
    assert.equal(ok.json.deadline, '2027-01-18');
    const audit = await admin.get('/api/v1/audit?entity=calendar&entity_id=2027');
    assert.equal(audit.json.items[0].action, 'load');
  });
});

describe('HTTP platform', () => {
  test('static UI: ETag revalidation and gzip', async () => {
    const r = await fetch(`${srv.base}/`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /text\/html/);
    const etag = r.headers.get('etag');
    assert.ok(etag);
    assert.equal((await fetch(`${srv.base}/`, { headers: { 'if-none-match': etag } })).status, 304);
    const js = await fetch(`${srv.base}/js/app.js`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(js.headers.get('content-encoding'), 'gzip');
    const ec = await fetch(`${srv.base}/vendor/echarts.esm.min.js`, { method: 'HEAD' });
    assert.equal(ec.status, 200);
    assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  });

  test('large JSON and CSV responses go gzip-compressed to clients that accept it; the session never', async () => {
    const big = await startServer({ enterprises: 200 });
    const who = await loginAs(big.base, 'admin');
    try {
      const { request } = await import('node:http');
      const { gunzipSync } = await import('node:zlib');
      // A raw request (fetch would decompress out of sight).
      const raw = (path, enc) => new Promise((resolve, reject) => {
        const req = request(`${big.base}${path}`, { headers: { cookie: who.cookie, ...(enc ? { 'accept-encoding': enc } : {}) } }, (res) => {
          const parts = [];
          res.on('data', (c) => parts.push(c));
          res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
        });
        req.on('error', reject);
        req.end();
      });
      const plain = await raw('/api/v1/enterprises?limit=200');
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(plain.headers.vary, 'Accept-Encoding');
      assert.ok(plain.body.length > 32768, `${plain.body.length} bytes`);
      const gz = await raw('/api/v1/enterprises?limit=200', 'gzip, deflate, br');
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.ok(gz.body.length < plain.body.length / 3, `${gz.body.length} of ${plain.body.length}`);
      assert.deepEqual(JSON.parse(gunzipSync(gz.body)), JSON.parse(plain.body));
      const csv = await raw('/api/v1/enterprises/export?format=csv', 'gzip');
      assert.equal(csv.headers['content-encoding'], 'gzip');
      assert.match(gunzipSync(csv.body).toString('utf8'), /统一社会信用代码/);
      // Answers under 32 KiB go as they are. (The session, which carries the CSRF token, is
      // also left out by its route.)
      const fifty = await raw('/api/v1/enterprises?limit=50', 'gzip');
      assert.ok(fifty.body.length < 32768, `${fifty.body.length} bytes`);
      assert.equal(fifty.headers['content-encoding'], undefined);
      assert.equal(fifty.headers.vary, undefined);
      const me = await raw('/api/v1/session', 'gzip');
      assert.equal(me.headers['content-encoding'], undefined);
      assert.ok(JSON.parse(me.body).csrf_token);
    } finally {
      await big.stop();
    }
  });

  test('unknown API path 404 JSON, wrong method 405', async () => {
    const a = await admin.get('/api/v1/nothing-here');
    assert.equal(a.status, 404);
    assert.equal(a.json.error.code, 'not_found');
    assert.equal((await admin.req('PUT', '/api/v1/enterprises', {})).status, 405);
  });

  test('metrics from loopback count requests by route and status', async () => {
    await admin.get('/api/v1/enterprises?limit=1');
    // A request is counted when libmicrohttpd reports it complete, which can be just after the
    // client has the response (seen under ASan): poll briefly.
    const counted = /envgov_http_requests_total\{method="GET",route="\/api\/v1\/enterprises",status="200"\} \d+/;
    const m = await until(async () => {
      const text = await (await fetch(`${srv.base}/metrics`)).text();
      return counted.test(text) && text;
    }, 5000, 'the request counted');
    assert.match(m, /envgov_http_request_duration_seconds_bucket\{le="\+Inf"\}/);
    assert.match(m, /envgov_db_readers \d+/);
    assert.match(m, /envgov_http_open_connections \d+/);
  });

  test('healthz and the OpenAPI document', async () => {
    const h = await (await fetch(`${srv.base}/healthz`)).json();
    assert.equal(h.status, 'ok');
    const doc = await (await fetch(`${srv.base}/api/v1/openapi.json`)).json();
    assert.equal(doc.openapi.slice(0, 2), '3.');
  });
});

describe('command line', () => {
  test('every subcommand has --help; version prints', () => {
    for (const c of ['serve', 'init', 'demo', 'user', 'import', 'export', 'backup', 'version', 'routes', 'hj212']) {
      const r = spawnSync(BIN, [c, '--help'], { encoding: 'utf8' });
      assert.equal(r.status, 0, c);
      assert.match(r.stdout, /envgov/);
    }
    assert.match(execFileSync(BIN, ['version'], { encoding: 'utf8' }), /^envgov \d/);
    assert.match(execFileSync(BIN, ['serve', '--print-config', '--http', '0.0.0.0:1234'], { encoding: 'utf8' }), /http\s+= 0\.0\.0\.0:1234.*\(flag\)/);
  });

  test('an unknown option or a missing database stops the command before it acts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envgov-typo-'));
    const file = join(dir, 'b.db');
    // --dat is not --data: before, the backup ran against the default data directory.
    const r = spawnSync(BIN, ['backup', file, '--dat', srv.dir], { encoding: 'utf8', cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /envgov backup: unknown option --dat/);
    assert.ok(!existsSync(file) && !existsSync(join(dir, 'envgov-data')));
    const s = spawnSync(BIN, ['serve', '--data', dir, '--http-threds', '4'], { encoding: 'utf8', cwd: dir, timeout: 10000 });
    assert.equal(s.status, 2);
    assert.match(s.stderr, /unknown option --http_threds/);
    // A bad number in the environment stops the program too (before, it was silently ignored).
    const e = spawnSync(BIN, ['serve', '--data', dir, '--print-config'],
      { encoding: 'utf8', cwd: dir, timeout: 10000, env: { ...process.env, ENVGOV_HTTP_THREADS: 'four' } });
    assert.equal(e.status, 2);
    assert.match(e.stderr, /ENVGOV_HTTP_THREADS needs a non-negative integer/);
    // A data directory without a database: backup, export and user refuse instead of creating
    // an empty one (only init, demo, serve and import-db start a database).
    const none = join(dir, 'nowhere');
    for (const args of [['backup', file], ['export', 'enterprises', join(dir, 'e.csv')], ['user', 'list']]) {
      const m = spawnSync(BIN, [...args, '--data', none], { encoding: 'utf8' });
      assert.equal(m.status, 1, args.join(' '));
      assert.match(m.stderr, /no database at .*nowhere\/envgov\.db/);
    }
    assert.ok(!existsSync(none) && !existsSync(file));
    // Settings and each command's own options are accepted.
    assert.equal(spawnSync(BIN, ['routes', '--json', '--log-level', 'warn'], { encoding: 'utf8' }).status, 0);
    rmSync(dir, { recursive: true, force: true });
  });

  test('user add applies the API\'s rules: unit for staff, enterprise for enterprise users', () => {
    const add = (...a) => spawnSync(BIN, ['user', 'add', ...a, '--data', srv.dir], { encoding: 'utf8' });
    let r = add('--username', 'cli.staff', '--role', 'inspector');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /staff users need --org-unit/);
    r = add('--username', 'cli.ent', '--role', 'enterprise');
    assert.match(r.stderr, /enterprise users need --enterprise/);
    r = add('--username', 'cli.ent', '--role', 'inspector', '--org-unit', '1', '--enterprise', '1');
    assert.match(r.stderr, /only enterprise users take --enterprise/);
    r = add('--username', 'cli.weak', '--role', 'inspector', '--org-unit', '1', '--password', 'short');
    assert.equal(r.status, 1);
    assert.equal(sql(srv.dir, "SELECT COUNT(*) FROM users WHERE username LIKE 'cli.%'"), '0');
    r = add('--username', 'cli.staff', '--role', 'inspector', '--org-unit', '1');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /one-time password: \S{10,}/);
  });

  test('the command line\'s user writes are audited with the row before and after', async () => {
    const run = (...a) => spawnSync(BIN, ['user', ...a, '--data', srv.dir], { encoding: 'utf8' });
    const r = run('add', '--username', 'cli.audit', '--role', 'inspector', '--org-unit', '1');
    assert.equal(r.status, 0, r.stderr);
    const id = Number(/id (\d+)/.exec(r.stdout)[1]);
    assert.equal(run('disable', 'cli.audit').status, 0);
    assert.equal(run('reset-password', 'cli.audit').status, 0);
    const items = (await admin.get(`/api/v1/audit?entity=user&entity_id=${id}`)).json.items;
    const by = Object.fromEntries(items.map((a) => [a.action, a]));
    assert.deepEqual(Object.keys(by).sort(), ['create', 'disable', 'reset_password']);
    for (const a of items) assert.equal(a.actor, 'cli');
    assert.equal(by.create.before, null);
    assert.equal(by.create.after.username, 'cli.audit');
    assert.equal(by.disable.before.status, 'active');
    assert.equal(by.disable.after.status, 'inactive');
    assert.equal(by.reset_password.after.must_change_password, 1);
    // A snapshot is what the API shows: never the password hash.
    assert.doesNotMatch(JSON.stringify(items), /argon2|password_hash/);
  });

  test('init prints a one-time admin password; a second init refuses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envgov-init-'));
    usePostgres(dir);
    const out = execFileSync(BIN, ['init', '--data', dir], { encoding: 'utf8' });
    assert.match(out, /Password .*: \S{10,}/);
    assert.notEqual(spawnSync(BIN, ['init', '--data', dir]).status, 0);
    const users = execFileSync(BIN, ['user', 'list', '--data', dir], { encoding: 'utf8' });
    assert.match(users, /"must_change_password":1/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('online backup of a running server opens as a database', async () => {
    const file = join(srv.dir, 'backup.db');
    if (process.env.ENVGOV_TEST_PG) {
      const r = spawnSync(BIN, ['backup', file, '--data', srv.dir], { encoding: 'utf8' });
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /pg_dump/);
      return;
    }
    execFileSync(BIN, ['backup', file, '--data', srv.dir]);
    assert.ok(existsSync(file));
    const dir = mkdtempSync(join(tmpdir(), 'envgov-restore-'));
    execFileSync('cp', [file, join(dir, 'envgov.db')]);
    const list = execFileSync(BIN, ['user', 'list', '--data', dir], { encoding: 'utf8' });
    assert.match(list, /"username":"admin"/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a database newer than the binary is refused with a clear message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envgov-newer-'));
    usePostgres(dir);
    execFileSync(BIN, ['demo', '--data', dir, '--enterprises', '2']);
    sql(dir, "INSERT INTO schema_version VALUES (999, 'future.sql', 'x')");
    const r = spawnSync(BIN, ['serve', '--data', dir, '--http', '127.0.0.1:0'], { encoding: 'utf8', timeout: 10000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /newer than this envgov binary/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('upload limits', () => {
  test('an attachment over upload_max_bytes is refused with 413 and the server keeps serving', async () => {
    const small = await startServer({ enterprises: 2, env: { ENVGOV_UPLOAD_MAX_BYTES: '10000' } });
    try {
      const c = await loginAs(small.base, 'admin');
      const fd = new FormData();
      fd.append('entity', 'enterprise');
      fd.append('entity_id', '1');
      fd.append('file', new Blob([Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20000, 32)])], { type: 'application/pdf' }), 'big.pdf');
      const r = await c.post('/api/v1/attachments', fd);
      assert.equal(r.status, 413);
      const ok = new FormData();
      ok.append('entity', 'enterprise');
      ok.append('entity_id', '1');
      ok.append('file', new Blob([Buffer.from('%PDF-1.4\nsmall\n')], { type: 'application/pdf' }), 'small.pdf');
      assert.equal((await c.post('/api/v1/attachments', ok)).status, 201);
    } finally {
      await small.stop();
    }
  });
});

describe('org units', () => {
  test('a unit and its regions are written in one transaction with one audit row', async () => {
    const count = () => sql(srv.dir, 'SELECT COUNT(*) FROM org_units');
    const before = count();
    // A bad code anywhere in the list: refused, naming the field, and no unit is created.
    const bad = await admin.post('/api/v1/org-units', { name: '测试中队', kind: 'brigade', parent_id: 1, regions: ['330522', '999999'] });
    assert.equal(bad.status, 422);
    assert.equal(bad.json.error.field, 'regions');
    assert.equal(count(), before);

    const r = await admin.post('/api/v1/org-units', { name: '测试中队', kind: 'brigade', parent_id: 1, regions: ['330522'] });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.deepEqual(r.json.regions, ['330522']);
    const audit = (await admin.get(`/api/v1/audit?entity=org_unit&entity_id=${r.json.id}`)).json.items;
    assert.deepEqual(audit.map((a) => a.action), ['create']);
    assert.deepEqual(audit[0].after.regions, ['330522']);

    // Changing only the regions is an audited update with before and after.
    const u = await admin.patch(`/api/v1/org-units/${r.json.id}`, { regions: ['330500'] });
    assert.equal(u.status, 200, JSON.stringify(u.json));
    assert.deepEqual(u.json.regions, ['330500']);
    const again = (await admin.get(`/api/v1/audit?entity=org_unit&entity_id=${r.json.id}`)).json.items;
    assert.equal(again[0].action, 'update');
    assert.deepEqual(again[0].before.regions, ['330522']);
    assert.deepEqual(again[0].after.regions, ['330500']);
  });
});
