// Accounts and security end to end: login, cookies, logout, lockout, disabling, password
// change on first login, CSRF, API tokens, role checks and the two kinds of isolation
// (staff by region, enterprise users by enterprise), and client addresses behind trusted proxies.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, loginAs, DEMO_PASSWORD, usccWithCheck, sql, freshThrottleWindow } from './lib.mjs';

let srv, admin;
before(async () => { srv = await startServer(); admin = await loginAs(srv.base, 'admin'); });
after(async () => { await srv?.stop(); });

async function newUser(role, extra = {}) {
  const name = `u${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
  const r = await admin.post('/api/v1/users', { username: name, display_name: name, role, org_unit_id: 1, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return { id: r.json.id, username: name, password: r.json.one_time_password };
}

describe('login and sessions', () => {
  test('good login sets a strict HttpOnly cookie and returns a CSRF token', async () => {
    const c = new Client(srv.base);
    const r = await c.login('approver');
    assert.equal(r.status, 200);
    const cookie = r.headers.get('set-cookie');
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\//);
    assert.ok(r.json.csrf_token.length >= 20);
    assert.equal(r.json.user.role, 'approver');
    const me = await c.get('/api/v1/session');
    assert.equal(me.json.user.username, 'approver');
  });

  test('bad password and unknown user are both 401 bad_credentials', async () => {
    const c = new Client(srv.base);
    assert.equal((await c.login('approver', 'wrong-password-1')).json.error.code, 'bad_credentials');
    const r = await c.login('nobody-here', 'whatever-123');
    assert.equal(r.status, 401);
  });

  test('logout ends the session', async () => {
    const c = await loginAs(srv.base, 'legal');
    const cookie = c.cookie;
    assert.equal((await c.del('/api/v1/session')).status, 204);
    c.cookie = cookie;
    assert.equal((await c.get('/api/v1/session')).status, 401);
  });

  test('five failures lock the account with 429', async () => {
    const u = await newUser('inspector');
    const c = new Client(srv.base);
    for (let i = 0; i < 5; i++) assert.equal((await c.login(u.username, 'bad-guess-123')).status, 401);
    const r = await c.login(u.username, u.password);
    assert.equal(r.status, 429);
    assert.equal(r.json.error.code, 'locked');
  });

  test('a new user must change the one-time password first', async () => {
    const u = await newUser('monitor');
    const c = new Client(srv.base);
    const r = await c.login(u.username, u.password);
    assert.equal(r.status, 200);
    assert.equal(r.json.user.must_change_password, true);
    const blocked = await c.get('/api/v1/enterprises');
    assert.equal(blocked.status, 403);
    assert.equal(blocked.json.error.code, 'password_change_required');
    const weak = await c.post('/api/v1/session/password', { old_password: u.password, new_password: 'short' });
    assert.equal(weak.status, 422);
    assert.equal(weak.json.error.field, 'new_password');
    const wrong = await c.post('/api/v1/session/password', { old_password: 'not-it-123', new_password: 'Better#pass2026' });
    assert.equal(wrong.json.error.field, 'old_password');
    assert.equal((await c.post('/api/v1/session/password', { old_password: u.password, new_password: 'Better#pass2026' })).status, 204);
    assert.equal((await c.get('/api/v1/enterprises?limit=1')).status, 200);
  });

  test('disabling a user ends its sessions and blocks login', async () => {
    const u = await newUser('service');
    const c = new Client(srv.base);
    await c.login(u.username, u.password);
    assert.equal((await admin.post(`/api/v1/users/${u.id}/disable`)).status, 200);
    assert.equal((await c.get('/api/v1/session')).status, 401);
    assert.equal((await new Client(srv.base).login(u.username, u.password)).status, 401);
    const audit = await admin.get(`/api/v1/audit?entity=user&entity_id=${u.id}&action=disable`);
    assert.equal(audit.json.items.length, 1);
  });
});

describe('CSRF', () => {
  test('cookie writes need the token; tokens need none', async () => {
    const c = await loginAs(srv.base, 'approver');
    const body = { name: 'CSRF 测试机构', uscc: usccWithCheck('91330502MA0000000'), kind: 'eia', region_code: '330502' };
    const none = await c.post('/api/v1/agencies', body, { 'x-csrf-token': '' });
    assert.equal(none.status, 403);
    assert.equal(none.json.error.code, 'csrf');
    const wrong = await c.post('/api/v1/agencies', body, { 'x-csrf-token': 'x'.repeat(32) });
    assert.equal(wrong.status, 403);
    const tok = await admin.post('/api/v1/tokens', { name: 'ci', user_id: 1, role: 'admin' });
    assert.equal(tok.status, 201);
    const listed = async () => (await admin.get('/api/v1/tokens')).json.items.find((t) => t.id === tok.json.id);
    assert.equal((await listed()).last_used, 0);
    const t0 = Math.floor(Date.now() / 1000);
    const bearer = await fetch(`${srv.base}/api/v1/enterprises?limit=1`, { headers: { authorization: `Bearer ${tok.json.token}` } });
    assert.equal(bearer.status, 200);
    assert.ok((await listed()).last_used >= t0 - 1, 'the token list shows when it was last used');
    const write = await fetch(`${srv.base}/api/v1/enterprises/1/deactivate`, { method: 'POST', headers: { authorization: `Bearer ${tok.json.token}` } });
    assert.equal(write.status, 200);
    await admin.post('/api/v1/enterprises/1/activate');
    assert.equal((await admin.del(`/api/v1/tokens/${tok.json.id}`)).status, 204);
    const revoked = await fetch(`${srv.base}/api/v1/enterprises?limit=1`, { headers: { authorization: `Bearer ${tok.json.token}` } });
    assert.equal(revoked.status, 401);
  });
});

describe('roles', () => {
  const cases = [
    ['enterprise', 'GET', '/api/v1/users', 403], ['enterprise', 'GET', '/api/v1/agencies', 403],
    ['monitor', 'POST', '/api/v1/enterprises', 403], ['legal', 'POST', '/api/v1/agencies', 403],
    ['approver', 'GET', '/api/v1/audit', 403], ['leader', 'GET', '/api/v1/audit', 200],
    ['admin', 'GET', '/api/v1/users', 200], ['inspector', 'GET', '/api/v1/enterprises', 200],
    ['service', 'PUT', '/api/v1/calendar/2026', 403], ['monitor', 'GET', '/api/v1/points', 200],
  ];
  for (const [role, method, path, want] of cases) {
    test(`${role} ${method} ${path} → ${want}`, async () => {
      const c = await loginAs(srv.base, role);
      const r = await c.req(method, path, method === 'GET' ? undefined : {});
      assert.equal(r.status, want, JSON.stringify(r.json));
    });
  }
  test('anonymous: 401 on the API, 200 on /healthz', async () => {
    assert.equal((await fetch(`${srv.base}/api/v1/enterprises`)).status, 401);
    assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
  });
});

describe('isolation', () => {
  test('county staff see only their county', async () => {
    const c = await loginAs(srv.base, 'inspector');
    const all = await c.get('/api/v1/enterprises?limit=500&total=1');
    assert.ok(all.json.items.length > 10);
    assert.ok(all.json.items.every((e) => e.region_code === '330522'));
    const other = await admin.get('/api/v1/enterprises?region_code=330523&limit=1');
    const id = other.json.items[0].id;
    assert.equal((await c.get(`/api/v1/enterprises/${id}`)).status, 404);
    assert.equal((await c.get(`/api/v1/enterprises/${id}/outlets`)).status, 404);
    const create = await c.post('/api/v1/enterprises', { name: '越界企业', uscc: usccWithCheck('91330523MA0000000'), region_code: '330523', industry_code: '1713', category: 'general' });
    assert.equal(create.status, 403);
    assert.equal(create.json.error.field, 'region_code');
  });

  test('an enterprise user reads only its own enterprise', async () => {
    const c = await loginAs(srv.base, 'enterprise');
    const own = c.user.enterprise_id;
    assert.ok(own > 0);
    const list = await c.get('/api/v1/enterprises?limit=50');
    assert.deepEqual(list.json.items.map((e) => e.id), [own]);
    assert.equal((await c.get(`/api/v1/enterprises/${own}`)).status, 200);
    const otherId = own === 2 ? 3 : 2;
    for (const p of [`/api/v1/enterprises/${otherId}`, `/api/v1/enterprises/${otherId}/outlets`,
      `/api/v1/enterprises/${otherId}/points`, `/api/v1/enterprises/${otherId}/permits`,
      `/api/v1/enterprises/${otherId}/history`, `/api/v1/attachments?entity=enterprise&entity_id=${otherId}`]) {
      assert.equal((await c.get(p)).status, 404, p);
    }
    const outlets = await admin.get(`/api/v1/enterprises/${otherId}/outlets`);
    if (outlets.json.items.length) {
      assert.equal((await c.get(`/api/v1/outlets/${outlets.json.items[0].id}`)).status, 404);
    }
    assert.equal((await c.patch(`/api/v1/enterprises/${own}`, { address: 'x' })).status, 403);
  });
});

test('the demo password works for every role', async () => {
  for (const u of ['admin', 'leader', 'approver', 'inspector', 'legal', 'monitor', 'service', 'enterprise']) {
    assert.equal((await new Client(srv.base).login(u, DEMO_PASSWORD)).status, 200, u);
  }
});

describe('client address behind a reverse proxy', () => {
  // The address a login records on its session (found by a User-Agent of its own).
  let logins = 0;
  const loginFrom = async (base, dir, xff) => {
    const c = new Client(base);
    const agent = `proxy-test-${++logins}`;
    const r = await c.req('POST', '/api/v1/session', { username: 'leader', password: DEMO_PASSWORD },
      { 'user-agent': agent, ...(xff === undefined ? {} : { 'x-forwarded-for': xff }) });
    assert.equal(r.status, 200);
    return sql(dir, `SELECT ip FROM sessions WHERE user_agent = '${agent}'`);
  };

  test('without trusted_proxies X-Forwarded-For is ignored', async () => {
    assert.equal(await loginFrom(srv.base, srv.dir, '203.0.113.9'), '127.0.0.1');
  });

  test('from a trusted proxy the client is the last address it did not add itself', async () => {
    const p = await startServer({ env: { ENVGOV_TRUSTED_PROXIES: '127.0.0.1, ::1' } });
    try {
      assert.equal(await loginFrom(p.base, p.dir, '198.51.100.7, 203.0.113.9'), '203.0.113.9');
      assert.equal(await loginFrom(p.base, p.dir, '203.0.113.9 , 127.0.0.1'), '203.0.113.9');
      assert.equal(await loginFrom(p.base, p.dir, '2001:db8:0::1'), '2001:db8::1');
      assert.equal(await loginFrom(p.base, p.dir, 'evil, 203.0.113.9'), '203.0.113.9');
      assert.equal(await loginFrom(p.base, p.dir, '203.0.113.9, not-an-ip'), '127.0.0.1');
      assert.equal(await loginFrom(p.base, p.dir, undefined), '127.0.0.1');
      // The per-address login throttle now counts each client, not the proxy.
      await freshThrottleWindow();
      const c = new Client(p.base);
      const from = (ip) => ({ 'x-forwarded-for': ip });
      for (let i = 0; i < 30; i++) {
        const r = await c.req('POST', '/api/v1/session', { username: `nobody${i}`, password: 'bad-guess-123' }, from('203.0.113.50'));
        assert.equal(r.status, 401);
      }
      const blocked = await c.req('POST', '/api/v1/session', { username: 'leader', password: DEMO_PASSWORD }, from('203.0.113.50'));
      assert.equal(blocked.status, 429);
      const other = await c.req('POST', '/api/v1/session', { username: 'leader', password: DEMO_PASSWORD }, from('203.0.113.51'));
      assert.equal(other.status, 200);
      // /metrics is for loopback: a client forwarded from elsewhere is not loopback.
      assert.equal((await fetch(`${p.base}/metrics`, { headers: from('203.0.113.51') })).status, 403);
      assert.equal((await fetch(`${p.base}/metrics`)).status, 200);
    } finally {
      await p.stop();
    }
  });

  test('a bad trusted_proxies entry stops the server with the value', async () => {
    const { spawnSync } = await import('node:child_process');
    const { BIN } = await import('./lib.mjs');
    const r = spawnSync(BIN, ['serve', '--data', srv.dir, '--http', '127.0.0.1:0', '--hj212', '127.0.0.1:0',
      '--trusted-proxies', '10.0.0.0/8'], { encoding: 'utf8', timeout: 10000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /trusted_proxies: '10\.0\.0\.0\/8' is not an IP address/);
  });
});
