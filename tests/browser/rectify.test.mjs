// Rectification in the browser: the enterprise opens 我的整改, opens its order, writes the
// evidence and attaches a photo, submits; the inspector (the order's verifier) finds it on the
// 整改看板 filtered to submitted, opens it, sees the evidence and the attachment, and verifies
// it — the problem closes and the credit event is filed. Also the enterprise's self-check list
// and the board on a 390-pixel-wide screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, sql, Client } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PASSWORD = 'Rectify#browser2026';
let srv, b, inspector, firm, order, username;

before(async () => {
  srv = await startServer({ enterprises: 30 });
  b = await openBrowser();
  inspector = await loginAs(srv.base, 'inspector');
  const admin = await loginAs(srv.base, 'admin');
  const region = sql(srv.dir, `SELECT region_code FROM org_unit_regions WHERE org_unit_id = ${inspector.user.org_unit_id} LIMIT 1`);
  firm = Number(sql(srv.dir, `SELECT id FROM enterprises WHERE region_code LIKE '${region}%' AND status = 'active' ORDER BY id LIMIT 1`));
  username = `rfb${Date.now().toString(36)}`;
  const u = await admin.post('/api/v1/users', { username, display_name: '整改浏览器测试', role: 'enterprise', enterprise_id: firm });
  assert.equal(u.status, 201);
  const c = new Client(srv.base);
  await c.login(username, u.json.one_time_password);
  assert.equal((await c.post('/api/v1/session/password', { old_password: u.json.one_time_password, new_password: PASSWORD })).status, 204);
  const round = await inspector.post('/api/v1/patrol/rounds', { enterprise_id: firm, problems: [{ category: 'facility', description: '活性炭吸附装置未按期更换' }] });
  assert.equal(round.status, 201, JSON.stringify(round.json));
  const o = await inspector.post(`/api/v1/problems/${round.json.problem_ids[0]}/orders`, { requirement: '更换活性炭并提交更换记录和照片', workdays: 10 });
  assert.equal(o.status, 201, JSON.stringify(o.json));
  order = o.json;
});
after(async () => { await b?.close(); await srv?.stop(); });

test('the enterprise submits evidence with a photo', async () => {
  const { page, errors } = b;
  await login(page, srv.base, username, PASSWORD);
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.click('nav.nav a[href="#/rectify"]');
  const row = page.locator(`[data-testid=order-${order.id}]`);
  await row.waitFor();
  await page.setViewportSize({ width: 1280, height: 900 });
  await b.shot('rectify-mine-1280');
  await row.locator('a').first().click();
  await page.waitForSelector('[data-testid=submit-box]');
  await page.fill('[data-testid=evidence-text]', '已更换活性炭 2 吨，附更换记录和现场照片');
  await page.setInputFiles('[data-testid=evidence-files]', { name: '更换照片.png', mimeType: 'image/png', buffer: PNG });
  await page.click('[data-testid=evidence-submit]');
  await page.waitForSelector('[data-testid=order-summary][data-status=submitted]');
  assert.match(await page.textContent('[data-testid=submissions-table]'), /已更换活性炭/);
  assert.match(await page.textContent('[data-testid=order-attachments]'), /更换照片\.png/);
  await b.shot('rectify-order-submitted');
  await page.goto(`${srv.base}/#/patrol/selfchecks`);
  await page.waitForSelector('[data-testid=selfchecks-table]');
  await page.setViewportSize({ width: 390, height: 844 });
  await b.shot('patrol-selfchecks-390');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.click('[data-testid=logout], a[href="#/logout"]').catch(() => {});
  assert.deepEqual(errors, []);
});

test('the inspector verifies it from the board', async () => {
  const { page, errors } = b;
  await page.context().clearCookies();
  await login(page, srv.base, 'inspector');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.goto(`${srv.base}/#/rectify?status=submitted`);
  const row = page.locator(`[data-testid=order-${order.id}]`);
  await row.waitFor();
  await page.waitForSelector('[data-testid=board-chart-status] canvas');
  await b.shot('rectify-board-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await b.shot('rectify-board-390');
  await page.setViewportSize({ width: 1280, height: 900 });
  await row.locator('a').first().click();
  await page.waitForSelector('[data-testid=verify-box]');
  assert.match(await page.textContent('[data-testid=submissions-table]'), /已更换活性炭/);
  await page.fill('[data-testid=verdict-text]', '现场核实已更换');
  await page.click('[data-testid=order-verify]');
  await page.waitForSelector('[data-testid=order-summary][data-status=verified]');
  await b.shot('rectify-order-verified');
  assert.equal(sql(srv.dir, `SELECT status FROM problems WHERE id = ${order.problem_id}`), 'closed');
  assert.equal(sql(srv.dir, `SELECT type FROM credit_events WHERE source = 'rectify_order' AND source_id = ${order.id}`), 'rectification_verified');
  await page.goto(`${srv.base}/#/patrol`);
  await page.waitForSelector('[data-testid=counts-chart] canvas');
  await b.shot('patrol-counts-1280');
  assert.deepEqual(errors, []);
});

test('the inspector adds a permit clause from the permit row', async () => {
  const { page, errors } = b;
  const permit = Number(sql(srv.dir, `SELECT id FROM permits WHERE enterprise_id = ${firm} AND status = 'active' ORDER BY id LIMIT 1`));
  await page.goto(`${srv.base}/#/enterprises/${firm}?tab=permits`);
  await page.click(`[data-testid=clauses-${permit}]`);
  await page.waitForSelector('[data-testid=clauses-dialog] [data-testid=clauses-table]');
  const before = await page.locator('[data-testid=clauses-dialog] [data-testid=clauses-table] tbody tr').count();
  assert.ok(before >= 5, 'the demo clauses');
  await page.click('[data-testid=clause-add]');
  await page.fill('[data-testid=clause-code]', '第三十条');
  await page.fill('[data-testid=clause-text]', '每季度开展一次土壤隐患排查');
  await page.selectOption('[data-testid=clause-duty]', 'other');
  await page.selectOption('[data-testid=clause-frequency]', 'quarterly');
  await page.click('[data-testid=clause-ok]');
  await page.waitForSelector('[data-testid=clause-dialog]', { state: 'detached' });
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=clauses-dialog] [data-testid=clauses-table] tbody tr').length === n + 1, before);
  await b.shot('patrol-clauses');
  assert.equal(sql(srv.dir, `SELECT frequency FROM permit_clauses WHERE permit_id = ${permit} AND code = '第三十条'`), 'quarterly');
  assert.deepEqual(errors, []);
});
