// The positive list in the browser: an inspector opens 正面清单 → 候选企业, sees a qualifying
// firm with every criterion ticked, admits it through the dialog, finds it on the list, and
// removes it for a malicious violation; the enterprise tab then shows the bar and the history.
// The enterprise user's own page says whether its firm is listed; the leader opens an on-site
// request from the to-do list and approves it. The credit grade comes from
// credit_current, the credit module's contract table, filled by SQL as that module would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, sql, chinaToday } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, ent, name;
before(async () => {
  srv = await startServer({ enterprises: 40 });
  b = await openBrowser();
  const listed = new Set(sql(srv.dir, 'SELECT enterprise_id FROM positive_list').split('\n').map(Number));
  const row = sql(srv.dir, "SELECT id, name FROM enterprises WHERE region_code = '330522' ORDER BY id").split('\n')
    .map((l) => l.split('|')).find(([id]) => !listed.has(Number(id)));
  ent = Number(row[0]);
  name = row[1];
  sql(srv.dir, `UPDATE enterprises SET tags = 'key_enterprise' WHERE id = ${ent}`);
  sql(srv.dir, `INSERT INTO credit_current (subject_kind, subject_id, grade, score, rule_set_id, rule_version, since) VALUES ('enterprise', ${ent}, 'green', 98, 1, 1, '2026-01-01') ON CONFLICT (subject_kind, subject_id) DO UPDATE SET grade = excluded.grade, score = excluded.score`);
});
after(async () => { await b?.close(); await srv?.stop(); });

test('an inspector admits a candidate and removes it', async () => {
  const { page, errors } = b;
  await login(page, srv.base, 'inspector');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.click('nav.nav a[href="#/positive"]');
  await page.waitForSelector('[data-testid=chart-positive-regions] canvas');
  const listedBefore = Number(await page.textContent('[data-testid=card-listed] .num'));
  await page.click('[data-testid=pos-tab-candidates]');
  await page.fill('[data-testid=candidates-search]', name);
  await page.press('[data-testid=candidates-search]', 'Enter');
  const row = page.locator(`[data-testid=candidate-${ent}]`);
  await row.waitFor();
  assert.equal(await row.locator('[data-criterion]').count(), 6);
  assert.equal(await row.locator('[data-ok="1"]').count(), 6);
  assert.match(await row.textContent(), /环保诚信/);
  await b.shot('positive-candidates');
  await page.click(`[data-testid=admit-${ent}]`);
  await page.fill('[data-testid=admit-note]', '重点服务企业，信用良好');
  await page.click('[data-testid=admit-ok]');
  await page.waitForSelector('[data-testid=admit-dialog]', { state: 'detached' });
  await page.waitForSelector('.toast:has-text("已纳入")');
  const inspector = await loginAs(srv.base, 'inspector');
  assert.equal((await inspector.get('/api/v1/positive/summary')).json.by_status.listed, listedBefore + 1);

  await page.click('[data-testid=pos-tab-entries]');
  await page.fill('[data-testid=entries-search]', name);
  await page.press('[data-testid=entries-search]', 'Enter');
  const entry = page.locator(`[data-testid=entry-${ent}]`);
  await entry.waitFor();
  assert.equal(await entry.locator('[data-testid=positive-status]').getAttribute('data-status'), 'listed');
  await b.shot('positive-list');
  await page.click(`[data-testid=remove-${ent}]`);
  await page.fill('[data-testid=remove-reason]', '私设暗管偷排（恶意违法）');
  await page.check('[data-testid=remove-malicious]');
  await page.click('[data-testid=remove-ok]');
  await page.waitForSelector('[data-testid=remove-dialog]', { state: 'detached' });
  await page.waitForSelector(`[data-testid=entry-${ent}]`, { state: 'detached' });

  const bar = `${Number(chinaToday().slice(0, 4)) + 3}${chinaToday().slice(4)}`;
  await page.goto(`${srv.base}/#/enterprises/${ent}?tab=positive`);
  await page.waitForSelector('[data-testid=positive-tab]');
  assert.equal(await page.getAttribute('[data-testid=positive-now]', 'data-listed'), '0');
  assert.match(await page.textContent('[data-testid=positive-barred]'), new RegExp(bar));
  const hist = await page.textContent('[data-testid=positive-history]');
  assert.match(hist, /已移出/);
  assert.match(hist, /私设暗管偷排/);
  assert.equal(await page.locator('[data-testid=tab-checks] [data-criterion=not_barred][data-ok="0"]').count(), 1);
  assert.equal(await page.locator('[data-testid=tab-admit]').count(), 0, 'no admit while barred');
  await b.shot('positive-enterprise-tab');
  assert.deepEqual(errors, []);
});

test("the enterprise user's own page shows whether its firm is listed", async () => {
  const { page } = b;
  const c = await loginAs(srv.base, 'enterprise');
  const mine = (await c.get('/api/v1/positive/mine')).json;
  await page.evaluate(() => document.querySelector('[data-testid=user-menu]')?.click());
  await page.click('[data-testid=logout]');
  await login(page, srv.base, 'enterprise');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.click('nav.nav a[href="#/positive/mine"]');
  await page.waitForSelector('[data-testid=positive-mine]');
  assert.equal(await page.getAttribute('[data-testid=positive-mine]', 'data-listed'), mine.listed ? '1' : '0');
  if (mine.listed) assert.match(await page.textContent('[data-testid=positive-mine-term]'), new RegExp(mine.listed_to));
  await b.shot('positive-mine');
});

test('the leader finds an on-site request in the to-do list and approves it', async () => {
  const { page } = b;
  const officer = await loginAs(srv.base, 'admin');
  const listed = (await officer.get('/api/v1/positive/entries?status=listed&limit=5')).json.items;
  assert.ok(listed.length > 0, 'the demo lists firms');
  const r = await officer.post('/api/v1/positive/onsite-requests', { enterprise_id: listed[0].enterprise_id, purpose: 'draw', visit_date: chinaToday(), reason: '双随机抽中' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  await page.evaluate(() => document.querySelector('[data-testid=user-menu]')?.click());
  await page.click('[data-testid=logout]');
  await login(page, srv.base, 'leader');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.goto(`${srv.base}/#/todo`);
  await page.click(`[data-testid=todo-item-${r.json.id}]`);
  await page.waitForSelector(`[data-testid=decide-onsite-${r.json.id}]`);
  await page.click(`[data-testid=decide-onsite-${r.json.id}]`);
  await page.fill('[data-testid=decide-note]', '同意，注意减少对企业生产的影响');
  await page.click('[data-testid=decide-approve]');
  await page.waitForSelector('[data-testid=decide-dialog]', { state: 'detached' });
  const check = (await officer.get(`/api/v1/positive/onsite-check?enterprise_id=${listed[0].enterprise_id}&purpose=draw`)).json;
  assert.equal(check.needs_approval, false);
  assert.equal(check.approved_request_id, r.json.id);
});
