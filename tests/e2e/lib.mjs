// Shared harness for the end-to-end suites: start the real envgov binary on a free port with a
// fresh demo database, log in as the demo users, and talk HTTP to it.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.ENVGOV_BIN || join(root, 'build', 'envgov');
export const DEMO_PASSWORD = 'Huzhou#2026demo';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// With ENVGOV_TEST_PG=DIR (a cluster started by scripts/pg-cluster), every data directory gets
// its own fresh PostgreSQL database, named in DIR/envgov.ini, so the server and any command
// run with --data DIR use it.
export function usePostgres(dir) {
  const cluster = process.env.ENVGOV_TEST_PG;
  if (!cluster) return null;
  const name = `t_${dir.replace(/.*envgov-[a-z0-9]*-/, '').toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
  const url = execFileSync(join(root, 'scripts', 'pg-cluster'), ['createdb', cluster, name], { encoding: 'utf8' }).trim();
  writeFileSync(join(dir, 'envgov.ini'), `db = ${url}\n`);
  return url;
}

// Run SQL directly against the database of a data directory (for checks the API does not
// expose); rows come back as lines of |-separated fields.
export function sql(dir, query) {
  const m = /^db = (.*)$/m.exec(readFileSafe(join(dir, 'envgov.ini')));
  return m
    ? execFileSync('psql', ['-X', '-q', '-At', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-d', m[1], '-c', query], { encoding: 'utf8' }).trim()
    : execFileSync('sqlite3', [join(dir, 'envgov.db'), query], { encoding: 'utf8' }).trim();
}

function readFileSafe(path) {
  try { return readFileSync(path, 'utf8'); } catch { return ''; }
}

// Start a server over a fresh data directory. opts.demo (default true) fills it with the demo
// county; opts.env adds environment (ENVGOV_* settings). opts.dir serves an existing data
// directory instead, as it is (no demo, no new database); stop() still removes it.
export async function startServer(opts = {}) {
  const dir = opts.dir || mkdtempSync(join(tmpdir(), 'envgov-e2e-'));
  if (!opts.dir) usePostgres(dir);
  const env = { ...process.env, ENVGOV_ACCESS_LOG: 'off', ...(opts.env || {}) };
  if (opts.demo !== false && !opts.dir) {
    execFileSync(BIN, ['demo', '--data', dir, '--enterprises', String(opts.enterprises || 300)],
      { env, stdio: 'pipe' });
  }
  const port = await freePort();
  const hj = await freePort();
  const proc = spawn(BIN, ['serve', '--data', dir, '--http', `127.0.0.1:${port}`,
    '--hj212', `127.0.0.1:${hj}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (proc.exitCode !== null) throw new Error(`envgov exited: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base, dir, proc, port,
    log: () => log,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r() : proc.on('exit', r)));
      if (!process.env.ENVGOV_KEEP) rmSync(dir, { recursive: true, force: true });
      if (process.env.ENVGOV_SHOW_LOG) process.stderr.write(`--- envgov serve log (${dir})\n${log}`);
      // Under ASan/UBSan a report in the server's log fails the suite, even if every request
      // looked fine from outside (leaks are only reported at exit).
      const m = /(ERROR: (Address|Leak)Sanitizer|runtime error:)[^\n]*/.exec(log);
      if (m) throw new Error(`sanitizer report from envgov serve: ${m[0]}\n${log.slice(m.index, m.index + 3000)}`);
      const died = proc.signalCode && proc.signalCode !== 'SIGTERM' && proc.signalCode !== 'SIGKILL';
      if ((proc.exitCode !== 0 && proc.signalCode === null) || died) {
        throw new Error(`envgov serve ended with ${proc.exitCode ?? proc.signalCode}:\n${log.slice(-2000)}`);
      }
    },
  };
}

// A logged-in client: keeps the session cookie and sends the CSRF token on writes.
export class Client {
  constructor(base) { this.base = base; this.cookie = null; this.csrf = null; this.user = null; }

  async login(username, password = DEMO_PASSWORD) {
    const r = await this.req('POST', '/api/v1/session', { username, password });
    if (r.status === 200) {
      this.csrf = r.json.csrf_token;
      this.user = r.json.user;
    }
    return r;
  }

  // Send a request; body objects are JSON-encoded, FormData and strings are sent as they are.
  async req(method, path, body, headers = {}) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    let payload = body;
    if (body !== undefined && !(body instanceof FormData) && typeof body !== 'string' &&
        !(body instanceof Uint8Array)) {
      payload = JSON.stringify(body);
      h['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) {
      const m = /envgov_session=([^;]*)/.exec(set);
      if (m) this.cookie = m[1] ? `envgov_session=${m[1]}` : null;
    }
    const buf = Buffer.from(await res.arrayBuffer());
    let json = null;
    if ((res.headers.get('content-type') || '').includes('json')) {
      try { json = JSON.parse(buf.toString('utf8')); } catch { json = null; }
    }
    return { status: res.status, headers: res.headers, json, body: buf };
  }

  get(p, h) { return this.req('GET', p, undefined, h); }
  post(p, b, h) { return this.req('POST', p, b, h); }
  patch(p, b, h) { return this.req('PATCH', p, b, h); }
  put(p, b, h) { return this.req('PUT', p, b, h); }
  del(p, h) { return this.req('DELETE', p, undefined, h); }
}

// Today in China time (YYYY-MM-DD), the day rule-set effective dates are compared with.
export function chinaToday() {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

// The alarm thresholds are a rule set (kind alarm.handling, src/rules/): a suite that needs
// short ones makes a version for everywhere in force from today, from the one in force now with
// overrides ({ offline_after_s: 3, ... }), as an admin would. Returns the new version.
export async function alarmRules(admin, overrides) {
  const cur = await admin.get('/api/v1/rules/resolve?kind=alarm.handling&region=');
  if (cur.status !== 200) throw new Error(`alarm.handling in force: ${cur.status} ${cur.body}`);
  const r = await admin.post('/api/v1/rules', { kind: 'alarm.handling', region_prefix: '',
    effective_from: chinaToday(), source: 'e2e', body: { ...cur.json.body, ...overrides } });
  if (r.status !== 201) throw new Error(`alarm.handling version: ${r.status} ${r.body}`);
  return r.json;
}

export async function loginAs(base, username) {
  const c = new Client(base);
  const r = await c.login(username);
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.body}`);
  return c;
}

// GB 32100-2015 check character, for building valid codes in tests.
export function usccWithCheck(first17) {
  const cs = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += cs.indexOf(first17[i]) * w[i];
  return first17 + cs[(31 - (sum % 31)) % 31];
}

// The per-address login limit counts failures in fixed 300-second windows (src/accounts/auth.c
// IP_WINDOW_S): a test that makes 30 failures starts them early in a window, so a slow machine
// does not split them over two (which left the 31st attempt at 401, not 429).
export async function freshThrottleWindow(needS = 90) {
  const left = 300 - (Math.floor(Date.now() / 1000) % 300);
  if (left < needS) await new Promise((r) => setTimeout(r, (left + 1) * 1000));
}
