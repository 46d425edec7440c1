// 双随机 in the browser: the leader plans a draw, commits it (the seed's hash and the snapshot
// appear), draws (targets with two inspectors each), reveals the seed; the public page — opened
// without signing in — shows the commitment and verifies the draw in the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, sql } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, pub;
before(async () => {
  srv = await startServer({ enterprises: 120 });
  const admin = await loginAs(srv.base, 'admin');
  const me = (await loginAs(srv.base, 'inspector')).user;
  sql(srv.dir, "UPDATE users SET status = 'inactive' WHERE username LIKE 'zf%'"); // the roster: inspector and inspector2
  const r = await admin.post('/api/v1/users', { username: 'inspector2', display_name: '执法大队 张伟', role: 'inspector', org_unit_id: me.org_unit_id });
  assert.equal(r.status, 201);
  // Grades (the credit module's table) and a few positive-list firms, so the pool chart has colours.
  sql(srv.dir, "INSERT INTO credit_current (subject_kind, subject_id, grade, score, rule_set_id, rule_version, since) SELECT 'enterprise', id, CASE id % 4 WHEN 0 THEN 'green' WHEN 1 THEN 'blue' WHEN 2 THEN 'yellow' ELSE 'red' END, 80, 0, 0, '2026-01-01' FROM enterprises WHERE id % 5 <> 0 ON CONFLICT (subject_kind, subject_id) DO UPDATE SET grade = excluded.grade");
  sql(srv.dir, "INSERT INTO positive_list (enterprise_id, listed_from, listed_to, admitted_at) SELECT id, '2025-01-01', '2028-01-01', '2020-01-01T00:00:00Z' FROM enterprises WHERE id % 17 = 3");
  b = await openBrowser();
});
after(async () => { await pub?.close(); await b?.close(); await srv?.stop(); });

async function step(page, name) {
  await page.click(`[data-testid=step-${name}]`);
  await page.click('[data-testid=confirm-yes]');
}

test('the leader plans and runs a draw, reveals it, the public page verifies it; outcomes recorded and published', async () => {
  const { page } = b;
  await login(page, srv.base, 'leader');
  await page.waitForSelector('[data-testid=nav]', { state: 'attached' }).catch(() => {});
  await page.goto(`${srv.base}/#/draw`);
  await page.waitForSelector('[data-testid=draw-plans]');
  await page.click('[data-testid=draw-new]');
  await page.fill('[data-testid=draw-title]', '2026年第四季度双随机抽查（浏览器）');
  await page.click('[data-testid=draw-create]');
  await page.waitForFunction(() => /#\/draw\/plans\/\d+$/.test(location.hash));
  await page.waitForSelector('[data-testid=plan-state][data-state=draft]');
  await page.waitForSelector('[data-testid=pool-chart] canvas');
  await b.shot('draw-draft');

  await step(page, 'commit');
  await page.waitForSelector('[data-testid=plan-state][data-state=committed]');
  const seedSha = (await page.textContent('[data-testid=seed-sha]')).trim();
  assert.match(seedSha, /^[0-9a-f]{64}$/);
  assert.equal(await page.locator('[data-testid=seed]').count(), 0, 'the seed stays secret');

  await step(page, 'draw');
  await page.waitForSelector('[data-testid=plan-state][data-state=drawn]');
  const rows = page.locator('[data-testid=draw-targets] tbody tr');
  await rows.first().waitFor();
  assert.ok(await rows.count() > 0);
  assert.match(await rows.first().textContent(), /李强|张伟/);
  await b.shot('draw-drawn');

  await step(page, 'reveal');
  await page.waitForSelector('[data-testid=plan-state][data-state=revealed]');
  const seed = (await page.textContent('[data-testid=seed]')).trim();
  assert.match(seed, /^[0-9a-f]{64}$/);
  const id = /plans\/(\d+)/.exec(page.url())[1];

  // The public page, in a browser that never signed in.
  pub = await openBrowser();
  await pub.page.goto(`${srv.base}/#/public/draw?id=${id}`);
  await pub.page.waitForSelector('[data-testid=public-plan]');
  assert.equal((await pub.page.textContent('[data-testid=pub-seed-sha]')).trim(), seedSha);
  assert.equal((await pub.page.textContent('[data-testid=pub-seed]')).trim(), seed);
  await pub.page.click('[data-testid=verify-run]');
  await pub.page.waitForSelector('[data-testid=verify-verdict]');
  assert.equal(await pub.page.getAttribute('[data-testid=verify-verdict]', 'data-ok'), 'true');
  assert.equal(await pub.page.locator('[data-testid=verify-rows] tbody tr').count(), await rows.count());
  await pub.shot('draw-public-verify');
  // The inspector records each outcome on the plan page; the leader publishes; the public page
  // shows the results.
  const n = await rows.count();
  await page.click('[data-testid=logout]').catch(() => {});
  await login(page, srv.base, 'inspector');
  await page.waitForSelector('[data-testid=nav]', { state: 'attached' }).catch(() => {});
  await page.goto(`${srv.base}/#/draw/plans/${id}`);
  await page.waitForSelector('[data-testid=draw-targets] tbody tr');
  for (let k = 1; k <= n; k++) {
    await page.click(`[data-testid=record-${k}]`);
    await page.waitForSelector('[data-testid=outcome-dialog]');
    if (k === 1) {
      await page.selectOption('[data-testid=outcome-select]', 'problems_found');
      await page.fill('[data-testid=outcome-note]', '危险废物台账记录不全');
    }
    await page.click('[data-testid=outcome-save]');
    await page.waitForSelector(`[data-testid=target-${k}] [data-testid=target-outcome]:not(:has-text("待检查"))`);
  }
  await b.shot('draw-outcomes');
  await page.click('[data-testid=logout]').catch(() => {});
  await login(page, srv.base, 'leader');
  await page.waitForSelector('[data-testid=nav]', { state: 'attached' }).catch(() => {});
  await page.goto(`${srv.base}/#/draw/plans/${id}`);
  await step(page, 'publish');
  await page.waitForSelector('[data-testid=plan-state][data-state=published]');
  await pub.page.reload();
  await pub.page.waitForSelector('[data-testid=public-results] tbody tr');
  assert.equal(await pub.page.locator('[data-testid=public-results] tbody tr').count(), n);
  assert.match(await pub.page.textContent('[data-testid=public-results]'), /发现问题/);
  await pub.page.click('[data-testid=verify-run]');
  await pub.page.waitForSelector('[data-testid=verify-verdict]');
  assert.equal(await pub.page.getAttribute('[data-testid=verify-verdict]', 'data-ok'), 'true');
  await pub.shot('draw-public-results');

  // The list of public plans links to it.
  await pub.page.goto(`${srv.base}/#/public/draw`);
  await pub.page.waitForSelector('[data-testid=public-plans]');
  assert.ok(await pub.page.locator('[data-testid=public-plans] tbody tr').count() >= 1);
  assert.deepEqual([...b.errors, ...pub.errors], []);
});

test('an inspector declares a relationship, found by searching the enterprise, and withdraws it', async () => {
  const { page } = b;
  await page.click('[data-testid=logout]').catch(() => {});
  await login(page, srv.base, 'inspector');
  await page.waitForSelector('[data-testid=nav]', { state: 'attached' }).catch(() => {});
  await page.goto(`${srv.base}/#/draw/declarations`);
  await page.waitForSelector('[data-testid=draw-declarations]');
  await page.click('[data-testid=decl-new]');
  await page.fill('[data-testid=decl-enterprise]', '湖州');
  await page.locator('.ss-list li').first().click();
  await page.fill('[data-testid=decl-reason]', '配偶在该企业任职');
  await page.click('[data-testid=decl-save]');
  const row = page.locator('[data-testid=draw-declarations] tbody tr', { hasText: '配偶在该企业任职' });
  await row.waitFor();
  await b.shot('draw-declaration');
  await row.locator('button[data-testid^=withdraw-]').click();
  await page.click('[data-testid=confirm-yes]');
  await page.locator('[data-testid=draw-declarations] tbody tr', { hasText: '已撤回' }).waitFor();
  assert.deepEqual(b.errors, []);
});
