// Credit in the browser: the legal section files a deduction on an enterprise's 信用 tab (the
// grade falls), the enterprise user opens 本企业信用 and sees why its grade changed — the change
// with the event behind it and its reason — and files an objection to that event, which then
// shows as 办理中 with its case; the staff overview draws its charts and lists the grades; the
// agency register shows the agencies' grades, and the legal section rates an agency from there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, admin, entId;
before(async () => {
  srv = await startServer({ enterprises: 40 });
  b = await openBrowser();
  admin = await loginAs(srv.base, 'admin');
  entId = (await loginAs(srv.base, 'enterprise')).user.enterprise_id;
});
after(async () => { await b?.close(); await srv?.stop(); });

async function logout(page) {
  await page.evaluate(() => document.querySelector('[data-testid=user-menu]')?.click());
  await page.click('[data-testid=logout]');
  await page.waitForSelector('input[name=username]');
}

const REASON = '危险废物台账记录不全（浏览器测试）';

test('the legal section files a deduction on the enterprise\'s credit tab', async () => {
  const { page } = b;
  const before = (await admin.get(`/api/v1/credit/enterprises/${entId}`)).json.subject;
  await login(page, srv.base, 'legal');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.goto(`${srv.base}/#/enterprises/${entId}?tab=credit`);
  await page.waitForSelector('[data-testid=credit-grade]');
  await page.click('[data-testid=credit-add-event]');
  const dlg = page.locator('[data-testid=credit-event-dialog]');
  await dlg.locator('[data-testid=credit-type]').selectOption('manual');
  await dlg.locator('[data-testid=credit-points]').fill('-20');
  await dlg.locator('[data-testid=credit-reason]').fill(REASON);
  await dlg.locator('[data-testid=save]').click();
  await page.waitForSelector('[data-testid=credit-event-dialog]', { state: 'detached' });
  await page.waitForSelector(`[data-testid=credit-events] :text("${REASON}")`);
  const after = (await admin.get(`/api/v1/credit/enterprises/${entId}`)).json.subject;
  assert.equal(after.score, Math.max(0, Math.min(100, before.score - 20)));
  assert.equal(await page.locator('[data-testid=credit-score]').textContent(), String(after.score));
  await b.shot('credit-legal-tab');
  await logout(page);
});

test('the enterprise sees why its grade changed and objects to the event', async () => {
  const { page } = b;
  await login(page, srv.base, 'enterprise');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.click('nav.nav a:has-text("本企业信用")');
  await page.waitForSelector('[data-testid=credit-history]');
  const data = (await admin.get(`/api/v1/credit/enterprises/${entId}`)).json;
  const ev = data.events.find((e) => e.reason === REASON);
  const change = data.history[0];
  assert.deepEqual(change.added.map((x) => x.id), [ev.id]);
  // the latest change names the event behind it, with its reason and effect
  const story = page.locator(`[data-testid=change-${change.id}]`);
  const text = await story.textContent();
  assert.match(text, /其他（法规科认定）/);
  assert.match(text, new RegExp(REASON.replace(/[()（）]/g, '.')));
  assert.match(text, /-20/);
  assert.equal(await story.locator(`[data-testid=change-event-${ev.id}]`).count(), 1);
  await b.shot('credit-enterprise-why');
  // the enterprise cannot revoke; it objects
  assert.equal(await page.locator(`[data-testid=credit-revoke-${ev.id}]`).count(), 0);
  await page.click(`[data-testid=credit-object-${ev.id}]`);
  const dlg = page.locator('[data-testid=credit-object-dialog]');
  await dlg.locator('[data-testid=credit-object-reason]').fill('台账已补齐，附整改记录');
  await dlg.locator('[data-testid=save]').click();
  await page.waitForSelector('[data-testid=credit-object-dialog]', { state: 'detached' });
  const o = (await admin.get(`/api/v1/credit/objections?enterprise_id=${entId}`)).json.items[0];
  assert.equal(o.event_id, ev.id);
  await page.waitForSelector(`[data-testid=objection-state-${o.id}]:has-text("办理中")`);
  assert.equal(await page.locator(`[data-testid=credit-object-${ev.id}]`).count(), 0, 'one open objection per event');
  await b.shot('credit-enterprise-objection');
  await logout(page);
});

test('the staff overview draws its charts and lists grades; agencies show theirs', async () => {
  const { page } = b;
  await login(page, srv.base, 'leader');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.goto(`${srv.base}/#/credit`);
  await page.waitForSelector('[data-testid=chart-credit-grades] canvas');
  await page.waitForSelector('[data-testid=chart-credit-regions] canvas');
  await page.waitForSelector('[data-testid=credit-list] tbody tr [data-grade]');
  assert.ok(await page.locator('[data-testid=credit-cards] [data-testid^=credit-card-]').count() >= 2);
  await page.locator('[data-testid=credit-filter-grade]').selectOption('blue');
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid=credit-list] tbody tr [data-grade]')];
    return rows.length && rows.every((r) => r.dataset.grade === 'blue');
  });
  await b.shot('credit-overview');
  await page.goto(`${srv.base}/#/agencies`);
  await page.waitForSelector('[data-testid=agencies-list] [data-testid^=agency-grade-]');
  await b.shot('credit-agencies');
  await logout(page);
});

test('the legal section rates an agency from the register: a quality finding lowers its grade', async () => {
  const { page } = b;
  const ag = (await admin.get('/api/v1/credit/subjects?kind=agency&sort=-score&limit=1')).json.items[0];
  await login(page, srv.base, 'legal');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.goto(`${srv.base}/#/agencies`);
  await page.click(`[data-testid=agency-credit-${ag.id}]`);
  const dlg = page.locator('[data-testid=agency-credit-dialog]');
  await dlg.locator('[data-testid=credit-grade]').waitFor();
  await dlg.locator('[data-testid=credit-add-event]').click();
  const form = page.locator('[data-testid=credit-event-dialog]');
  await form.locator('[data-testid=credit-type]').selectOption('quality_finding_major');
  await form.locator('[data-testid=credit-reason]').fill('环评报告存在重大质量问题（浏览器测试）');
  await form.locator('[data-testid=save]').click();
  await page.waitForSelector('[data-testid=credit-event-dialog]', { state: 'detached' });
  await dlg.locator('[data-testid=credit-events] :text("环评报告存在重大质量问题")').waitFor();
  const after = (await admin.get(`/api/v1/credit/agencies/${ag.id}`)).json.subject;
  assert.equal(after.score, ag.score - 15);
  assert.equal(await dlg.locator('[data-testid=credit-score]').textContent(), String(after.score));
  await b.shot('credit-agency-dialog');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=agency-credit-dialog]', { state: 'detached' });
  await page.waitForSelector(`[data-testid=agency-credit-${ag.id}]:has-text("${after.score}")`); // the register follows
  await logout(page);
});
