// Rule sets in the browser: the admin opens the list, starts a new version from the national
// permit-expiry one, is told which JSON path is wrong, saves a 湖州 version, then compares it
// with the old one side by side (the one differing field marked); an alarm shows the version
// that judged it, linked to that version's page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql } from '../e2e/lib.mjs';
import { frame, device, until } from '../e2e/hj212.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b;
before(async () => {
  srv = await startServer({ enterprises: 10 });
  b = await openBrowser();
});
after(async () => { await b?.close(); await srv?.stop(); });

test('the admin creates a rule-set version and compares it with the old one', async () => {
  const { page } = b;
  await login(page, srv.base, 'admin');
  await page.waitForSelector('[data-testid=nav]', { state: 'attached' }).catch(() => {});
  await page.goto(`${srv.base}/#/admin/rules`);
  const table = page.locator('[data-testid=rules-table]');
  await table.waitFor();
  assert.ok(await table.locator('tbody tr').count() >= 2, 'the shipped defaults');
  await table.locator('tbody tr', { hasText: 'permit.expiry' }).locator('a').click();
  await page.waitForSelector('[data-testid=rule-meta]');
  assert.match(await page.textContent('[data-testid=rule-source]'), /排污许可管理条例/);
  await page.click('[data-testid=rule-new-from]');

  // The form starts from the version it came from.
  const body = page.locator('[data-testid=rule-body]');
  await body.waitFor();
  assert.deepEqual(JSON.parse(await body.inputValue()), { renew_before_days: 60, warn_days: 60 });
  await page.fill('[data-testid=rule-region]', '3305');
  await page.fill('[data-testid=rule-effective]', '2026-01-01');
  await page.fill('[data-testid=rule-source]', '湖州市生态环境局关于排污许可证到期提醒的通知（测试）');
  await body.fill('{"warn_days": 0, "renew_before_days": 60}');
  await page.click('[data-testid=rule-save]');
  const err = page.locator('[data-testid=err-body]');
  await err.waitFor({ state: 'visible' });
  assert.match(await err.textContent(), /\$\.warn_days/);
  await b.shot('rules-error');
  await body.fill('{"warn_days": 30, "renew_before_days": 60}');
  await page.click('[data-testid=rule-save]');

  // Saved: the new version's page.
  await page.waitForFunction(() => /#\/admin\/rules\/\d+$/.test(location.hash));
  await page.waitForSelector('[data-testid=rule-meta]');
  assert.equal(await page.textContent('[data-testid=rule-version]'), 'v1');
  assert.match(await page.textContent('[data-testid=rule-json]'), /"warn_days": 30/);
  assert.match(await page.textContent('[data-testid=rule-used]'), /未被采用/);

  // Compared with the national version: only warn_days differs.
  const national = await page.locator('[data-testid=rule-compare-with] option', { hasText: '全部' }).getAttribute('value');
  await page.selectOption('[data-testid=rule-compare-with]', national);
  const cmp = page.locator('[data-testid=rule-compare]');
  await cmp.waitFor();
  assert.equal(await page.textContent('[data-testid=rule-n-diff]'), '1 处不同');
  const diff = cmp.locator('tr', { has: page.locator('[data-path="$.warn_days"]') });
  assert.match(await diff.textContent(), /60.*30/);
  await page.check('[data-testid=rule-only-diff]');
  assert.equal(await cmp.locator('[data-path]').count(), 1, 'only the differing field');
  await b.shot('rules-compare');

  // Back on the list, the new version is in force for 湖州.
  await page.goto(`${srv.base}/#/admin/rules?kind=permit.expiry`);
  await table.waitFor();
  const row = table.locator('tbody tr', { hasText: '3305' });
  assert.match(await row.textContent(), /现行/);
  await b.shot('rules-list');

  // The leader's area is 湖州: the dashboard's permit window is 湖州's 30 days.
  await page.click('[data-testid=logout]');
  await page.waitForSelector('input[name=username]');
  await login(page, srv.base, 'leader');
  const card = page.locator('[data-testid=card-expiring]');
  await card.waitFor();
  assert.match(await card.textContent(), /30 天内到期许可证/);
  assert.match(await card.getAttribute('href'), /expiring=30/);
  await page.click('[data-testid=logout]');
  await page.waitForSelector('input[name=username]');
  await login(page, srv.base, 'admin');
  await page.waitForSelector('[data-testid=card-expiring]');
  assert.deepEqual(b.errors, []);
});

test('an alarm shows the rule-set version that judged it', async () => {
  const { page } = b;
  const [id, mn, pw] = sql(srv.dir, "SELECT id, mn, password FROM points WHERE status = 'active' ORDER BY id LIMIT 1").split('|');
  const hj = Number(/--hj212 127\.0\.0\.1:(\d+)/.exec(srv.proc.spawnargs.join(' '))[1]);
  const d = await device(hj);
  d.send(frame(`QN=20261201000000001;ST=32;CN=2011;PW=${pw};MN=${mn};Flag=5;CP=&&DataTime=20261201100000;w01018-Rtd=20,w01018-Flag=D&&`));
  await d.reply();
  d.close();
  await until(async () => sql(srv.dir, `SELECT COUNT(*) FROM alarms WHERE point_id = ${id} AND rule_set_id IS NOT NULL`) === '1', 8000, 'alarm');
  await page.goto(`${srv.base}/#/monitor/alarms?status=`);
  const ref = page.locator('[data-testid=alarm-rule]').first();
  await ref.waitFor();
  assert.match(await ref.textContent(), /报警规则 v1（全部（全国））/);
  await ref.locator('a').click();
  await page.waitForSelector('[data-testid=rule-meta]');
  assert.match(await page.textContent('[data-testid=rule-frozen]'), /不能修改或删除/);
  assert.equal(await page.locator('[data-testid=rule-delete]').count(), 0, 'no delete for a used version');
  await b.shot('rules-used');
  assert.deepEqual(b.errors, []);
});
