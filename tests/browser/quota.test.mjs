// Emission rights in the browser: staff see the holdings chart and table and record a retirement
// through the ledger's dialog (a pledged part refused, the field named); the reserve serves the
// demo's waiting reviews by priority; the bank user sees only its bank's applications and
// decides one the bureau checked; the firm sees its lots, its emissions and applies for a loan.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, admin, entId, entName, pledgeId;

before(async () => {
  srv = await startServer({ enterprises: 30 });
  b = await openBrowser();
  admin = await loginAs(srv.base, 'admin');
  const me = await loginAs(srv.base, 'enterprise');
  entId = me.user.enterprise_id;
  entName = (await admin.get(`/api/v1/enterprises/${entId}`)).json.name;
  // a checked application waiting for the demo bank
  const banks = (await admin.get('/api/v1/quota/banks')).json.items;
  let r = await me.post('/api/v1/quota/pledges', { bank_id: banks[0].id, pollutant: 'so2', amount_t: 2, appraised_yuan: 50000, requested_yuan: 30000 });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  pledgeId = r.json.id;
  r = await admin.post(`/api/v1/quota/pledges/${pledgeId}/check`, { major_incident: false });
  assert.equal(r.json.state, 'checked', JSON.stringify(r.json));
});

after(async () => { await b?.close(); await srv?.stop(); });

test('staff: holdings chart and table; a retirement of a pledged part is refused naming the amount', async () => {
  const { page } = b;
  await login(page, srv.base, 'approver');
  await page.waitForSelector('.nav, nav');
  await page.goto(`${srv.base}/#/quota`);
  await page.waitForSelector('[data-testid=qt-chart] canvas');
  await page.locator('[data-testid=qt-holdings] tbody tr').first().waitFor();
  await page.fill('[data-testid=qt-search]', entName);
  await page.press('[data-testid=qt-search]', 'Enter');
  await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid=qt-holdings] tbody tr')].every((tr) => tr.innerText.includes(n)), entName);
  await page.waitForSelector('[data-testid=qt-emissions]');
  await b.shot('quota-holdings');
  // the enterprise page's 排污权 tab
  await page.goto(`${srv.base}/#/enterprises/${entId}`);
  await page.click('[data-testid=tab-quota]');
  await page.locator('[data-testid=quota-tab] tbody tr', { hasText: 'COD' }).first().waitFor();
  await page.goto(`${srv.base}/#/quota/ledger`);
  await page.waitForSelector('[data-testid=qt-moves] tbody tr');
  await page.click('[data-testid=qt-retire]');
  await page.fill('[data-testid=qt-enterprise]', entName.slice(0, 4));
  await page.locator('.ss-list li', { hasText: entName }).first().click();
  await page.selectOption('[data-testid=qt-pollutant]', 'cod');
  const lots = (await admin.get(`/api/v1/quota/enterprises/${entId}`)).json.lots.filter((l) => l.pollutant === 'cod');
  const free = lots.reduce((s, l) => s + l.amount_kg - l.pledged_kg, 0);
  await page.fill('[data-testid=qt-amount]', String(free / 1000 + 1));
  await page.fill('[data-testid=qt-note]', '浏览器测试注销');
  await page.click('[data-testid=qt-retire-save]');
  await page.waitForFunction(() => document.querySelector('[data-testid=err-amount_t]')?.textContent.includes('已质押'));
  await page.fill('[data-testid=qt-amount]', '0.5');
  await page.click('[data-testid=qt-retire-save]');
  await page.waitForSelector('[data-testid=qt-retire-dialog]', { state: 'detached' });
  await page.locator('[data-testid=qt-moves] tbody tr', { hasText: '注销' }).first().waitFor();
  await page.goto(`${srv.base}/#/quota/reviews`);
  await page.locator('[data-testid=qt-reviews] tbody tr').first().waitFor();
  await page.click('[data-testid=qt-serve]');
  await page.waitForSelector('.toast');
  await page.locator('[data-testid=qt-reviews] [data-state=served]').first().waitFor();
  await b.shot('quota-reviews');
  assert.deepEqual(b.errors, []);
});

test('bank: only its own applications; it approves one within the cap', async () => {
  const { page } = b;
  await page.context().clearCookies();
  await login(page, srv.base, 'bank');
  await page.waitForSelector(`[data-testid=qt-pledges] [data-testid=qt-decide-${pledgeId}]`);
  const mine = (await (await loginAs(srv.base, 'bank')).get('/api/v1/quota/pledges')).json.items;
  assert.equal(await page.locator('[data-testid=qt-pledges] tbody tr').count(), mine.length);
  await page.click(`[data-testid=qt-decide-${pledgeId}]`);
  await page.selectOption('[data-testid=qt-approve]', 'true');
  await page.fill('[data-testid=qt-loan]', '35001');
  await page.fill('[data-testid=qt-rate]', '4.1');
  await page.click('[data-testid=qt-decide-save]');
  await page.waitForFunction(() => document.querySelector('[data-testid=err-loan_yuan]')?.textContent.includes('70%'));
  await page.fill('[data-testid=qt-loan]', '30000');
  await page.click('[data-testid=qt-decide-save]');
  await page.waitForSelector(`[data-testid=qt-pledge-state-${pledgeId}][data-state=approved]`);
  await b.shot('quota-bank');
  assert.deepEqual(b.errors, []);
});

test('enterprise: its lots and pledges, and a pledge application over the cap refused', async () => {
  const { page } = b;
  await page.context().clearCookies();
  await login(page, srv.base, 'enterprise');
  await page.waitForSelector('.nav, nav');
  await page.goto(`${srv.base}/#/quota/mine`);
  await page.locator('[data-testid=qt-lots] tbody tr').first().waitFor();
  await page.locator('[data-testid=qt-own-pledges] tbody tr', { hasText: 'PWZY-' }).first().waitFor();
  await page.click('[data-testid=qt-apply]');
  await page.selectOption('[data-testid=qt-bank]', { index: 1 });
  await page.selectOption('[data-testid=qt-pollutant]', 'nox');
  await page.fill('[data-testid=qt-amount]', '1');
  await page.fill('[data-testid=qt-appraised]', '10000');
  await page.fill('[data-testid=qt-requested]', '9000');
  await page.click('[data-testid=qt-apply-save]');
  await page.waitForFunction(() => document.querySelector('[data-testid=err-requested_yuan]')?.textContent.includes('70%'));
  await page.fill('[data-testid=qt-requested]', '7000');
  await page.click('[data-testid=qt-apply-save]');
  await page.waitForSelector('[data-testid=qt-apply-dialog]', { state: 'detached' });
  await page.locator('[data-testid=qt-own-pledges] [data-state=applied]').first().waitFor();
  await b.shot('quota-mine');
  assert.deepEqual(b.errors, []);
});

test('admin: the banks, a new bank, a bank user linked to it', async () => {
  const { page } = b;
  await page.context().clearCookies();
  await login(page, srv.base, 'admin');
  await page.waitForTimeout(500);
  await page.goto(`${srv.base}/#/quota/pledges`);
  await page.locator('[data-testid=qt-banks] tbody tr').first().waitFor();
  await page.click('[data-testid=qt-bank-add]');
  await page.fill('[data-testid=qt-bank-name]', '浏览器测试银行');
  await page.click('[data-testid=qt-bank-new-save]');
  const row = page.locator('[data-testid=qt-banks] tbody tr', { hasText: '浏览器测试银行' });
  await row.waitFor();
  await row.locator('button').click();
  await page.selectOption('[data-testid=qt-bank-user]', { index: 1 });
  await page.click('[data-testid=qt-bank-link-save]');
  await page.waitForSelector('[data-testid=qt-bank-link-dialog]', { state: 'detached' });
  const banks = (await admin.get('/api/v1/quota/banks')).json.items;
  assert.equal(banks.find((x) => x.name === '浏览器测试银行').users, 1);
  assert.deepEqual(b.errors, []);
});
