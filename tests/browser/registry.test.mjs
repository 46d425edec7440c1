// The registry as a bureau officer uses it: log in, search with a 2-character Chinese term,
// open an enterprise, create one with a bad USCC and see the message at the field, fix it and
// save; switch the language. Screenshots go to test-output/browser/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, usccWithCheck } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b;
before(async () => { srv = await startServer(); b = await openBrowser(); });
after(async () => { await b?.close(); await srv?.stop(); });

test('approver logs in and sees the dashboard with figures and charts', async () => {
  const { page } = b;
  await login(page, srv.base, 'approver');
  await page.waitForSelector('[data-testid=card-enterprises] .num');
  const n = Number(await page.textContent('[data-testid=card-enterprises] .num'));
  assert.equal(n, 300);
  await page.waitForSelector('[data-testid=chart-category] canvas');
  await b.shot('dashboard');
});

test('search by a 2-character Chinese term and open the enterprise', async () => {
  const { page } = b;
  await page.goto(`${srv.base}/#/enterprises`);
  await page.waitForSelector('[data-testid=enterprise-table] tbody tr td a');
  await page.fill('[data-testid=search]', '印染');
  await page.waitForFunction(() => {
    const links = [...document.querySelectorAll('[data-testid=enterprise-table] tbody td a')];
    return links.length > 0 && links.every((a) => a.textContent.includes('印染'));
  });
  const name = await page.textContent('[data-testid=enterprise-table] tbody tr td a');
  await b.shot('search');
  await page.click('[data-testid=enterprise-table] tbody tr td a');
  await page.waitForSelector('[data-testid=enterprise-name]');
  assert.equal(await page.textContent('[data-testid=enterprise-name]'), name);
  await page.click('[data-testid=tab-history]');
  await page.waitForSelector('[data-testid=history-table] tbody tr');
  await b.shot('enterprise');
});

test('create an enterprise: bad USCC is refused at the field, fixed, saved', async () => {
  const { page } = b;
  await page.goto(`${srv.base}/#/enterprises/new`);
  await page.waitForSelector('input[name=uscc]');
  const good = usccWithCheck('91330522MA7TE9701');
  const bad = good.slice(0, 17) + (good[17] === 'A' ? 'B' : 'A');
  await page.fill('input[name=name]', '长兴县测试绿能印染有限公司');
  await page.fill('input[name=uscc]', bad);
  await page.selectOption('select[name=region_code]', '330522');
  await page.fill('input[name=industry_code]', '1713');
  await page.selectOption('select[name=category]', 'key');
  await page.click('[data-testid=save]');
  await page.waitForSelector('[data-testid=err-uscc]:not(:empty)');
  const msg = await page.textContent('[data-testid=err-uscc]');
  assert.match(msg, /校验码/);
  assert.ok(msg.includes(good[17]), `message names the right check character ${good[17]}: ${msg}`);
  await b.shot('create-bad-uscc');
  await page.fill('input[name=uscc]', good);
  await page.click('[data-testid=save]');
  await page.waitForSelector('[data-testid=enterprise-name]');
  assert.equal(await page.textContent('[data-testid=enterprise-name]'), '长兴县测试绿能印染有限公司');
  await b.shot('created');
});

test('language switch shows English labels', async () => {
  const { page } = b;
  await page.goto(`${srv.base}/#/enterprises`);
  await page.waitForSelector('[data-testid=lang]');
  await page.click('[data-testid=lang]');
  await page.waitForSelector('h1:has-text("Enterprises")');
  await b.shot('english');
  await page.click('[data-testid=lang]');
  await page.waitForSelector('h1:has-text("企业档案")');
  assert.deepEqual(b.errors, []);
});

test('enterprise user sees only their own enterprise', async () => {
  const { page } = b;
  await page.click('[data-testid=logout]');
  await login(page, srv.base, 'enterprise');
  await page.waitForSelector('[data-testid=enterprise-name]');
  const nav = await page.$$eval('nav a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(!nav.includes('#/enterprises'), 'no registry list for enterprise users');
  await page.goto(`${srv.base}/#/enterprises/2`);
  await page.waitForSelector('.banner.error');
  await b.shot('enterprise-user');
});
