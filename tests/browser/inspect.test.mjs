// Inspections in the browser, on a 390-pixel-wide phone: the inspector opens 我的检查任务 (rows
// as cards), opens a task, answers half the checklist, reloads (the answers come back from the
// device), loses the connection (the page says it is offline), answers the rest and records a
// finding, submits (kept on the device), gets the connection back and the visit is sent by
// itself — once: one visit row, one problem. Then the finding's rectification order is issued
// from the visit page. Screenshots at 390 and 1280 px; the campaign page at 1280.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, sql, chinaToday } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, taskId, firm;
before(async () => {
  srv = await startServer({ enterprises: 40 });
  b = await openBrowser();
  const listed = new Set(sql(srv.dir, 'SELECT enterprise_id FROM positive_list').split('\n').filter(Boolean).map(Number));
  firm = sql(srv.dir, "SELECT id FROM enterprises WHERE region_code = '330522' ORDER BY id").split('\n').map(Number).find((id) => !listed.has(id));
  const inspector = await loginAs(srv.base, 'inspector');
  const r = await inspector.post('/api/v1/inspect/tasks', { enterprise_id: firm, planned_on: chinaToday(), source_kind: 'manual' });
  assert.equal(r.status, 201, String(r.body));
  taskId = r.json.id;
});
after(async () => { await b?.close(); await srv?.stop(); });

test('an inspector completes the checklist on a phone with the connection dropped and restored', async () => {
  const { page, ctx, errors } = b;
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, srv.base, 'inspector');
  await page.waitForSelector('[data-testid=app]', { state: 'attached' }).catch(() => {});
  await page.goto(`${srv.base}/#/inspect`);
  const row = page.locator(`[data-testid=task-${taskId}]`);
  await row.waitFor();
  await b.shot('inspect-mine-390');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 392, `no sideways scrolling on the phone (${width}px)`);
  await row.locator('a').first().click();
  await page.waitForSelector('[data-testid=checklist]');
  const items = await page.$$eval('[data-testid^=item-]', (els) => els.map((e) => e.dataset.testid.slice(5)));
  assert.ok(items.length >= 15, `the integrated checklist has its items (${items.length})`);
  const half = Math.floor(items.length / 2);
  for (const id of items.slice(0, half)) await page.click(`[data-testid="answer-${id}-yes"]`);
  // A reload keeps what was answered.
  await page.reload();
  await page.waitForSelector('[data-testid=checklist]');
  assert.match(await page.textContent('[data-testid=draft-state]'), /已恢复/);
  for (const id of items.slice(0, half)) assert.equal(await page.isChecked(`[data-testid="answer-${id}-yes"]`), true, id);
  const uuid = await page.getAttribute('[data-testid=checklist]', 'data-uuid');

  // The connection drops mid-form.
  await ctx.setOffline(true);
  await page.waitForSelector('[data-testid=offline-banner]:not([hidden])');
  await b.shot('inspect-offline-390');
  const bad = items.find((id) => id.startsWith('hw.')) || items[half];
  for (const id of items.slice(half)) await page.click(`[data-testid="answer-${id}-${id === bad ? 'no' : 'yes'}"]`);
  await page.fill(`[data-testid="finding-desc-${bad}-0"]`, '危险废物贮存间未设置识别标志');
  assert.match(await page.textContent('[data-testid=checklist-progress]'), new RegExp(`${items.length} / ${items.length}|${items.length} of`));
  await page.click('[data-testid=visit-submit]');
  await page.waitForSelector('[data-testid=draft-state]:has-text("联网后自动提交")');
  assert.equal(Number(sql(srv.dir, `SELECT COUNT(*) FROM inspect_visits WHERE task_id = ${taskId}`)), 0, 'nothing sent while offline');
  // The draft survives on the device, with its uuid.
  const kept = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), `envgov.inspect.draft.${taskId}`);
  assert.equal(kept.uuid, uuid);
  assert.equal(kept.pending, true);

  // Back online: the visit goes by itself, once.
  await ctx.setOffline(false);
  await page.waitForSelector('[data-testid=visit-done]', { timeout: 15000 });
  await page.waitForSelector('[data-testid=findings]');
  assert.equal(Number(sql(srv.dir, `SELECT COUNT(*) FROM inspect_visits WHERE task_id = ${taskId}`)), 1);
  assert.equal(sql(srv.dir, `SELECT client_uuid FROM inspect_visits WHERE task_id = ${taskId}`), uuid);
  assert.equal(Number(sql(srv.dir, `SELECT COUNT(*) FROM problems WHERE source_kind = 'inspect_task' AND source_id = ${taskId}`)), 1);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), `envgov.inspect.draft.${taskId}`), null, 'the draft is gone once sent');
  await b.shot('inspect-visit-390');

  // The finding's rectification order, from the visit page.
  const pid = Number(sql(srv.dir, `SELECT id FROM problems WHERE source_id = ${taskId}`));
  await page.click(`[data-testid=order-${pid}]`);
  await page.fill('[data-testid=order-requirement]', '设置危险废物识别标志并规范贮存');
  await page.click('[data-testid=order-ok]');
  await page.waitForSelector('[data-testid=findings] .badge.green');
  assert.equal(Number(sql(srv.dir, `SELECT COUNT(*) FROM rectify_orders WHERE problem_id = ${pid}`)), 1);
  await page.setViewportSize({ width: 1280, height: 900 });
  await b.shot('inspect-visit-1280');
  // The task's case page links back to the checklist.
  const caseId = Number(sql(srv.dir, `SELECT case_id FROM inspect_tasks WHERE id = ${taskId}`));
  await page.goto(`${srv.base}/#/cases/${caseId}`);
  await page.click('[data-testid=case-open-task]');
  await page.waitForSelector('[data-testid=visit]');
  assert.match(page.url(), new RegExp(`#/inspect/tasks/${taskId}$`));
  assert.deepEqual(errors, []);
});

test('the campaign page shows the five steps', async () => {
  const { page, errors } = b;
  const leader = await loginAs(srv.base, 'leader');
  const today = chinaToday();
  const r = await leader.post('/api/v1/inspect/campaigns', { title: '涉危险废物企业专项检查', region_prefix: '330522', plan: '一、检查对象：长兴县涉危废企业\n二、企业自查', selfcheck_due: today, visit_from: today, visit_to: today, enterprise_ids: [firm] });
  assert.equal(r.status, 201, String(r.body));
  assert.equal((await leader.post(`/api/v1/inspect/campaigns/${r.json.id}/publish`, {})).status, 200);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${srv.base}/#/inspect/campaigns/${r.json.id}`);
  await page.waitForSelector('[data-testid=campaign-steps]');
  assert.equal(await page.textContent('[data-testid=step-targets] b'), '1');
  await page.waitForSelector('[data-testid=campaign-chart] canvas');
  await b.shot('inspect-campaign-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await b.shot('inspect-campaign-390');
  assert.deepEqual(errors, []);
});
