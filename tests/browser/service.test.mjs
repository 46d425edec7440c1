// Service to enterprises in the browser: the leader opens 包联台账 (the 十百千 chart and table
// agree with the API, the ledger pages), pairs an officer with a firm through the form (a wrong
// tier answered beside the field); the service officer records a training's attendance on the
// session page; the approver closes (销号) an overdue key-project risk with its result; the admin
// sees a failed SMS in 外发消息 and resends it; the enterprise user sees its own agenda. Screenshots
// at 1280 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, loginAs, sql } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, admin, sms, smsOk = false;

before(async () => {
  sms = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.statusCode = smsOk ? 200 : 500; res.end(); }); });
  await new Promise((r) => sms.listen(0, '127.0.0.1', r));
  srv = await startServer({ enterprises: 30, env: { ENVGOV_SMS_GATEWAY_URL: `http://127.0.0.1:${sms.address().port}/sms`, ENVGOV_WEBHOOK_RETRY_S: '1', ENVGOV_WEBHOOK_MAX_ATTEMPTS: '1' } });
  b = await openBrowser();
  admin = await loginAs(srv.base, 'admin');
});
after(async () => { await b?.close(); await srv?.stop(); sms?.close(); });

async function logout(page) {
  await page.evaluate(() => document.querySelector('[data-testid=user-menu]')?.click());
  await page.click('[data-testid=logout]');
  await page.waitForSelector('input[name=username]');
}

test('ledger, pairing, attendance, 销号, a failed SMS resent, the enterprise agenda', async () => {
  const { page } = b;
  await page.setViewportSize({ width: 1280, height: 900 });
  await login(page, srv.base, 'leader');
  await page.goto(`${srv.base}/#/service`);
  await page.waitForSelector('[data-testid=tbq-table]');
  const tbq = (await admin.get('/api/v1/service/tbq')).json;
  const lastRow = page.locator('[data-testid=tbq-table] tbody tr').last();
  assert.match(await lastRow.innerText(), new RegExp(`${tbq.total.shi}\\s+${tbq.total.bai}\\s+${tbq.total.qian}`));
  await page.waitForSelector('[data-testid=tbq-chart] canvas');
  await page.waitForSelector('[data-testid=pairing-table] tbody tr[data-testid^=pairing-]');
  await page.screenshot({ path: '/tmp/service-ledger-1280.png', fullPage: true });

  // a new pairing: the service officer as "leader" is refused beside the tier field, then staff
  const firm = Number(sql(srv.dir, 'SELECT id FROM enterprises WHERE NOT EXISTS (SELECT 1 FROM service_pairings p WHERE p.enterprise_id = enterprises.id) ORDER BY id LIMIT 1'));
  const svc = Number(sql(srv.dir, "SELECT id FROM users WHERE username = 'service'"));
  await page.click('[data-testid=pairing-add]');
  await page.fill('[data-testid=pairing-dialog] [name=user_id]', String(svc));
  await page.fill('[data-testid=pairing-dialog] [name=enterprise_id]', String(firm));
  await page.selectOption('[data-testid=pairing-dialog] [name=tier]', 'leader');
  await page.click('[data-testid=pairing-dialog] [data-testid=save]');
  await page.waitForFunction(() => document.querySelector('[data-testid=err-tier]')?.textContent.trim().length > 0);
  await page.selectOption('[data-testid=pairing-dialog] [name=tier]', 'staff');
  await page.click('[data-testid=pairing-dialog] [data-testid=save]');
  await page.waitForSelector('[data-testid=pairing-dialog]', { state: 'detached' });
  assert.equal(sql(srv.dir, `SELECT tier FROM service_pairings WHERE enterprise_id = ${firm} AND user_id = ${svc}`), 'staff');

  // a training's attendance on the session page
  const train = Number(sql(srv.dir, "SELECT id FROM service_sessions WHERE kind = 'training' ORDER BY id LIMIT 1"));
  await page.goto(`${srv.base}/#/service/sessions`);
  await page.waitForSelector(`[data-testid=session-${train}]`);
  await page.click(`[data-testid=session-${train}] a`);
  await page.waitForSelector('[data-testid=attendance-table]');
  const firm2 = Number(sql(srv.dir, `SELECT id FROM enterprises WHERE id NOT IN (SELECT enterprise_id FROM service_attendance WHERE session_id = ${train}) ORDER BY id LIMIT 1`));
  const n0 = await page.locator('[data-testid=attendance-table] tbody tr').count();
  await page.click('[data-testid=attend-add]');
  await page.fill('[data-testid=attend-dialog] [name=enterprise_id]', String(firm2));
  await page.fill('[data-testid=attend-dialog] [name=people]', '4');
  await page.click('[data-testid=attend-dialog] [data-testid=save]');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=attendance-table] tbody tr').length === n + 1, n0);
  assert.equal(sql(srv.dir, `SELECT people FROM service_attendance WHERE session_id = ${train} AND enterprise_id = ${firm2}`), '4');
  await logout(page);

  // the approver closes the overdue demo risk
  await login(page, srv.base, 'approver');
  await page.goto(`${srv.base}/#/service/risks`);
  const risk = Number(sql(srv.dir, "SELECT id FROM service_risks WHERE state = 'open' ORDER BY deadline LIMIT 1"));
  await page.waitForSelector(`[data-testid=overdue-${risk}]`);
  await page.screenshot({ path: '/tmp/service-risks-1280.png', fullPage: true });
  await page.click(`[data-testid=close-${risk}]`);
  await page.click('[data-testid=close-dialog] [data-testid=save]');
  await page.waitForFunction(() => document.querySelector('[data-testid=err-result]')?.textContent.trim().length > 0);
  await page.fill('[data-testid=close-dialog] [name=result]', '说明会已召开，异味治理设施投运');
  await page.click('[data-testid=close-dialog] [data-testid=save]');
  await page.waitForSelector('[data-testid=close-dialog]', { state: 'detached' });
  assert.equal(sql(srv.dir, `SELECT state FROM service_risks WHERE id = ${risk}`), 'closed');
  await logout(page);

  // a failed SMS in the delivery log, resent by the admin
  sql(srv.dir, "UPDATE users SET phone = '13900000000' WHERE username = 'approver'");
  const r = await admin.post('/api/v1/service/risks', { project_name: '浏览器短信项目', region_code: '330502', category: 'social', risk: '信访风险', owner_user_id: Number(sql(srv.dir, "SELECT id FROM users WHERE username = 'approver'")), deadline: '2026-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const run = await admin.post('/api/v1/jobs/service.risks/run', {});
  assert.equal(run.status, 202);
  let msg;
  for (let i = 0; i < 100 && !msg; i++) {
    await new Promise((res) => setTimeout(res, 100));
    msg = (await admin.get('/api/v1/outbound?channel=sms&status=failed&limit=100')).json.items.find((m) => m.source_id === r.json.id);
  }
  assert.ok(msg, 'the failed SMS');
  await login(page, srv.base, 'admin');
  await page.goto(`${srv.base}/#/service/outbound`);
  await page.waitForSelector(`[data-testid=outbound-status-${msg.id}][data-state=failed]`);
  await page.screenshot({ path: '/tmp/service-outbound-1280.png', fullPage: true });
  smsOk = true;
  await page.click(`[data-testid=resend-${msg.id}]`);
  for (let i = 0; i < 100; i++) {
    if ((await admin.get(`/api/v1/outbound/${msg.id}`)).json.status === 'sent') break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal((await admin.get(`/api/v1/outbound/${msg.id}`)).json.status, 'sent');
  await logout(page);

  // the enterprise's own agenda, on a phone
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, srv.base, 'enterprise');
  await page.goto(`${srv.base}/#/service/agenda`);
  await page.waitForSelector('[data-testid=agenda-table]');
  const own = (await loginAs(srv.base, 'enterprise')).user.enterprise_id;
  const n = Number(sql(srv.dir, `SELECT COUNT(*) FROM service_items i JOIN service_sessions s ON s.id = i.session_id WHERE i.enterprise_id = ${own}`));
  assert.ok(n >= 1);
  assert.equal(await page.locator('[data-testid=agenda-table] tbody tr').count(), n);
  await page.screenshot({ path: '/tmp/service-agenda-390.png', fullPage: true });
});
