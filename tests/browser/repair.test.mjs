// Credit repair in the browser: a penalty (decided four months ago, its rectification order
// verified) has lowered the demo enterprise's grade; the enterprise user opens 信用修复, checks the
// conditions item by item, applies with a statement and an evidence file; the legal section opens
// the application from 信用修复 (the list), sees the conditions and grants it; the application page
// and the enterprise's 本企业信用 show the grade restored. Screenshots at 1280 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, loginAs, sql, chinaToday } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, admin, legal, entId, before0, ev, tmp;

function monthsAgo(n) {
  const [y, m, d] = chinaToday().split('-').map(Number);
  const t = y * 12 + (m - 1) - n;
  const yy = Math.floor(t / 12), mm = (t % 12) + 1;
  const last = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
  return `${yy}-${String(mm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

before(async () => {
  srv = await startServer({ enterprises: 30 });
  b = await openBrowser();
  admin = await loginAs(srv.base, 'admin');
  legal = await loginAs(srv.base, 'legal');
  entId = (await loginAs(srv.base, 'enterprise')).user.enterprise_id;
  before0 = (await admin.get(`/api/v1/credit/enterprises/${entId}`)).json.subject;
  // the penalty as the penalty module files it, and its verified rectification order
  const r = await legal.post('/api/v1/credit/events', { subject_id: entId, type: 'penalty', occurred_on: monthsAgo(4), reason: '湖环罚〔2026〕浏览器测试 废气超标排放' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  ev = r.json;
  sql(srv.dir, `UPDATE credit_events SET source = 'penalty', source_id = 880001 WHERE id = ${ev.id}`);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  sql(srv.dir, `INSERT INTO rectify_orders (enterprise_id, region_code, origin, origin_id, requirement, workdays, status, verified_on, created_at, updated_at)
    SELECT id, region_code, 'penalty', 880001, '废气处理设施提标改造', 15, 'verified', '${monthsAgo(1)}', '${now}', '${now}' FROM enterprises WHERE id = ${entId}`);
  tmp = mkdtempSync(join(tmpdir(), 'envgov-repair-'));
  writeFileSync(join(tmp, '整改验收报告.pdf'), '%PDF-1.4\n% 整改验收报告（浏览器测试）\n');
});
after(async () => { await b?.close(); await srv?.stop(); if (tmp) rmSync(tmp, { recursive: true, force: true }); });

async function logout(page) {
  await page.evaluate(() => document.querySelector('[data-testid=user-menu]')?.click());
  await page.click('[data-testid=logout]');
  await page.waitForSelector('input[name=username]');
}

test('an enterprise applies for repair and the legal section grants it, the grade shown restored', async () => {
  const { page } = b;
  const lowered = (await admin.get(`/api/v1/credit/enterprises/${entId}`)).json.subject;
  assert.ok(lowered.score < before0.score);

  // the enterprise: 信用修复, the conditions item by item, apply with a statement and a file
  await login(page, srv.base, 'enterprise');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.click('nav.nav a:has-text("信用修复")');
  await page.waitForSelector(`[data-testid=repair-apply-${ev.id}]`);
  assert.equal(await page.locator(`[data-testid=repair-chips-${ev.id}]`).getAttribute('data-all-ok'), '1');
  assert.equal(await page.locator('[data-testid=repair-grade-badge]').getAttribute('data-grade'), lowered.grade);
  await page.setViewportSize({ width: 1280, height: 900 });
  await b.shot('repair-enterprise-events');
  await page.click(`[data-testid=repair-apply-${ev.id}]`);
  const dlg = page.locator('[data-testid=repair-apply-dialog]');
  await dlg.locator('[data-testid=repair-conditions]').waitFor();
  for (const code of ['publicity_served', 'rectification_verified', 'no_repeat', 'no_veto']) {
    assert.equal(await dlg.locator(`[data-testid=repair-conditions-${code}]`).getAttribute('data-ok'), '1', code);
  }
  assert.match(await dlg.locator('[data-testid=repair-conditions-publicity_served]').textContent(), /已届满/);
  await b.shot('repair-enterprise-apply');
  await dlg.locator('[data-testid=repair-statement]').fill('罚款已缴纳，废气处理设施提标改造完成并经核查通过');
  await dlg.locator('[data-testid=repair-files]').setInputFiles(join(tmp, '整改验收报告.pdf'));
  await dlg.locator('[data-testid=repair-submit]').click();
  await page.waitForSelector('[data-testid=repair-apply-dialog]', { state: 'detached' });
  const app = (await legal.get('/api/v1/repair/applications?state=filed')).json.items.find((x) => x.event_id === ev.id);
  assert.ok(app, 'filed');
  await page.waitForSelector(`[data-testid=repair-app-state-${app.id}][data-state=filed]`);
  const files = (await legal.get(`/api/v1/attachments?entity=credit_repair&entity_id=${app.id}`)).json.items;
  assert.deepEqual(files.map((f) => f.name), ['整改验收报告.pdf']);
  await page.setViewportSize({ width: 390, height: 844 });
  await b.shot('repair-enterprise-mine-390');
  await page.setViewportSize({ width: 1400, height: 900 });
  await logout(page);

  // the legal section: the list, the application page with the conditions, grant
  await login(page, srv.base, 'legal');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.click('nav.nav a:has-text("信用修复")');
  await page.waitForSelector(`[data-testid=repair-row-${app.id}]`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await b.shot('repair-legal-list');
  await page.click(`[data-testid=repair-open-${app.id}]`);
  await page.waitForSelector('[data-testid=repair-now]');
  assert.equal(await page.locator('[data-testid=repair-now] [data-ok="1"]').count(), 4);
  assert.equal(await page.locator('[data-testid=repair-attachments] li').count(), 1);
  await b.shot('repair-legal-application');
  await page.click('[data-testid=repair-grant]');
  const d2 = page.locator('[data-testid=repair-decide-dialog]');
  await d2.locator('[data-testid=repair-reason]').fill('整改到位，最短公示期已满');
  await d2.locator('[data-testid=repair-decide-submit]').click();
  await page.waitForSelector('[data-testid=repair-state][data-state=granted]');
  await page.waitForSelector(`[data-testid=repair-grade-badge][data-grade=${before0.grade}]`);
  assert.equal(await page.locator('[data-testid=repair-score]').textContent(), String(before0.score));
  await b.shot('repair-legal-granted');
  await page.setViewportSize({ width: 390, height: 844 });
  await b.shot('repair-legal-granted-390');
  await page.setViewportSize({ width: 1400, height: 900 });
  const after = (await admin.get(`/api/v1/credit/enterprises/${entId}`)).json;
  assert.equal(after.subject.grade, before0.grade);
  assert.equal(after.history[0].cause, 'repair');
  await logout(page);

  // the enterprise's credit page shows the grade restored
  await login(page, srv.base, 'enterprise');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.click('nav.nav a:has-text("本企业信用")');
  await page.waitForSelector(`[data-testid=credit-grade][data-grade=${before0.grade}]`);
  assert.equal(await page.locator('[data-testid=credit-score]').textContent(), String(before0.score));
  await b.shot('repair-enterprise-credit-restored');
  assert.deepEqual(b.errors, []);
  await logout(page);
});
