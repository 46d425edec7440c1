// Hazardous waste in the browser: staff open the waste page (the demo generator's site with its
// class and warnings), its ledger page (the 12-month chart drawn, batches in store, records) and
// the demo manifest waiting for the receiver, and accept it (an admin may act for the receiver);
// the enterprise registers its own site, adds a generate record through the dialog and sees it in
// its ledger, and enters a paper manifest (refused past the 10 working days first); a relay carrier's handover recorded on a shipped manifest's page (the legs table).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, admin;

before(async () => {
  srv = await startServer({ enterprises: 30 });
  b = await openBrowser();
  admin = await loginAs(srv.base, 'admin');
});

after(async () => { await b?.close(); await srv?.stop(); });

test('staff: sites, a site\'s ledger with its chart, the waiting manifest accepted', async () => {
  const { page } = b;
  await login(page, srv.base, 'admin');
  await page.waitForSelector('.nav, nav');
  await page.goto(`${srv.base}/#/waste`);
  const row = page.locator('[data-testid=hw-sites] tbody tr', { hasText: '危险废物贮存库' });
  await row.waitFor();
  assert.ok((await row.innerText()).includes('简化管理'));
  assert.ok((await page.locator('[data-testid=hw-warnings]').innerText()).includes('贮存期限预警'));
  await b.shot('waste-sites');
  await row.click();
  await page.waitForSelector('[data-testid=hw-chart] canvas');
  await page.waitForSelector('[data-testid=hw-batches] tbody tr');
  assert.ok((await page.locator('[data-testid=hw-records]').innerText()).includes('HWCS'));
  // a simplified site reports by quarter: this quarter's sums, 900-249-08 among them
  await page.locator('[data-testid=hw-report-table] tbody tr', { hasText: '900-249-08' }).waitFor();
  assert.match(await page.locator('[data-testid=hw-report-period]').inputValue(), /^\d{4}-Q[1-4]$/);
  await b.shot('waste-site');
  const m = (await admin.get('/api/v1/waste/manifests?state=arrived')).json.items[0];
  assert.ok(m, 'the demo has a manifest waiting for the receiver');
  await page.goto(`${srv.base}/#/waste/manifests/${m.id}`);
  await page.click('[data-testid=hw-accept]');
  await page.fill('[data-testid=hw-method]', 'R9 废油再提炼');
  await page.click('[data-testid=hw-accept-dialog] button[type=submit]');
  await page.waitForSelector('[data-testid=hw-close]');
  assert.ok((await page.locator('[data-testid=hw-state]').innerText()).includes('已接受'));
  await b.shot('waste-manifest');
  // a phone: the ledger page and the manifest do not scroll sideways
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of [`/waste/manifests/${m.id}`, `/waste/sites/${m.site_id}`]) {
    await page.goto(`${srv.base}/#${path}`);
    await page.waitForSelector('main h1');
    await page.waitForTimeout(300);
    const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(sw <= cw, `${path} scrolls sideways at 390 px: ${sw} > ${cw}`);
  }
  await page.waitForSelector('[data-testid=hw-chart] canvas');
  await b.shot('waste-site-390');
  await page.setViewportSize({ width: 1400, height: 900 });
  assert.deepEqual(b.errors, []);
});

test('enterprise: its own site and a record added through the dialog; a paper manifest entered', async () => {
  const { page } = b;
  await page.context().clearCookies();
  await login(page, srv.base, 'enterprise');
  await page.waitForSelector('.nav, nav');
  await page.goto(`${srv.base}/#/waste/mine`);
  await page.click('[data-testid=hw-new-site]');
  await page.fill('[data-testid=hw-site-name]', '浏览器测试危废库');
  await page.click('[data-testid=hw-site-dialog] button[type=submit]');
  const row = page.locator('[data-testid=hw-my-sites] tbody tr', { hasText: '浏览器测试危废库' });
  await row.waitFor();
  await row.click();
  await page.waitForSelector('[data-testid=hw-add-record]');
  await page.click('[data-testid=hw-add-record]');
  await page.fill('[data-testid=hw-amount]', '0.35');
  await page.fill('[data-testid=hw-code]', '900-041-49');
  await page.click('[data-testid=hw-record-dialog] button[type=submit]');
  await page.waitForSelector('.toast');
  await page.locator('[data-testid=hw-records] tbody tr', { hasText: '900-041-49' }).waitFor();
  assert.ok((await page.locator('[data-testid=hw-in-store]').innerText()).includes('0.000'));
  await b.shot('waste-mine');
  // the paper fallback through the dialog: refused past the 10 working days, then entered
  const gen = (await admin.get('/api/v1/waste/sites')).json.items.find((x) => x.name.includes('危险废物贮存库'));
  const batch = (await admin.get(`/api/v1/waste/sites/${gen.id}`)).json.batches.find((x) => x.waste_code === '900-041-49' && x.in_store_t >= 0.2);
  assert.equal((await admin.post(`/api/v1/waste/sites/${gen.id}/records`, { kind: 'store_out', source_batch: batch.source_batch, amount_t: 0.2 })).status, 201);
  await page.goto(`${srv.base}/#/waste/mine`);
  await page.click('[data-testid=hw-new-paper]');
  await page.waitForSelector('[data-testid=hw-paper-dialog]');
  await page.selectOption('[data-testid=hw-p-site]', String(gen.id));
  await page.selectOption('[data-testid=hw-p-receiver]', { index: 1 });
  await page.selectOption('[data-testid=hw-p-batch]', batch.source_batch);
  const paperNo = `ZZB${Date.now()}`;
  await page.fill('[data-testid=hw-p-no]', paperNo);
  const day = (n) => new Date(Date.now() + 8 * 3600000 - n * 86400000).toISOString().slice(0, 10);
  await page.fill('[data-testid=hw-p-shipped]', day(40));
  await page.fill('[data-testid=hw-p-carrier]', '湖州危运公司');
  await page.fill('[data-testid=hw-p-vehicle]', '浙E12345');
  await page.fill('[data-testid=hw-p-amount]', '0.2');
  await page.fill('[data-testid=hw-p-reason]', '系统故障，现场使用纸质联单');
  await page.click('[data-testid=hw-paper-dialog] button[type=submit]');
  await page.locator('[data-testid=hw-paper-dialog]', { hasText: '10 个工作日' }).waitFor();
  await page.fill('[data-testid=hw-p-shipped]', day(1));
  await page.click('[data-testid=hw-paper-dialog] button[type=submit]');
  await page.locator('[data-testid=hw-my-papers] tbody tr', { hasText: paperNo }).waitFor();
  await b.shot('waste-mine-paper');
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`${srv.base}/#/waste/mine`);
  await page.waitForSelector('[data-testid=hw-my-sites]');
  await b.shot('waste-mine-390');
  assert.deepEqual(b.errors, []);
});

test('staff: a relay handover recorded on the manifest page', async () => {
  const { page } = b;
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.context().clearCookies();
  await login(page, srv.base, 'admin');
  await page.waitForSelector('.nav, nav');
  // a shipped manifest from the demo generator's store (its filed plan transfers 900-041-49)
  const site = (await admin.get('/api/v1/waste/sites')).json.items.find((s) => s.name.includes('危险废物贮存库'));
  const detail = (await admin.get(`/api/v1/waste/sites/${site.id}`)).json;
  const batch = detail.batches.find((x) => x.waste_code === '900-041-49' && x.in_store_t >= 0.3);
  assert.ok(batch, JSON.stringify(detail.batches));
  let r = await admin.post(`/api/v1/waste/sites/${site.id}/records`, { kind: 'store_out', source_batch: batch.source_batch, amount_t: 0.3 });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const recv = (await admin.get('/api/v1/waste/receivers')).json.items.find((e) => e.id !== site.enterprise_id);
  r = await admin.post('/api/v1/waste/manifests', { site_id: site.id, receiver_id: recv.id, carrier_name: '湖州危运公司', vehicle_no: '浙E12345', carrier_licence: '330500001',
    lines: [{ source_batch: batch.source_batch, amount_t: 0.3 }] });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const m = r.json;
  assert.equal((await admin.post(`/api/v1/waste/manifests/${m.id}/ship`, {})).status, 200);
  await page.goto(`${srv.base}/#/waste/manifests/${m.id}`);
  await page.locator('[data-testid=hw-legs] tbody tr', { hasText: '浙E12345' }).waitFor();
  await page.click('[data-testid=hw-handover]');
  await page.fill('[data-testid=hw-leg-carrier]', '嘉兴危运公司');
  await page.fill('[data-testid=hw-leg-vehicle]', '浙F54321');
  await page.fill('[data-testid=hw-leg-licence]', '330400002');
  await page.fill('[data-testid=hw-leg-place]', '嘉兴中转站');
  await page.click('[data-testid=hw-handover-dialog] button[type=submit]');
  await page.locator('[data-testid=hw-legs] tbody tr', { hasText: '嘉兴中转站' }).waitFor();
  assert.equal(await page.locator('[data-testid=hw-legs] tbody tr').count(), 2);
  assert.ok((await page.locator('[data-testid=hw-manifest-kv]').innerText()).includes('浙F54321'), 'the current carrier is the relay');
  assert.ok((await page.locator('[data-testid=hw-state]').innerText()).includes('已发运'));
  await b.shot('waste-manifest-relay');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.locator('[data-testid=hw-legs]').waitFor();
  await page.waitForTimeout(300);
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(sw <= cw, `the manifest scrolls sideways at 390 px: ${sw} > ${cw}`);
  await b.shot('waste-manifest-relay-390');
  await page.setViewportSize({ width: 1400, height: 900 });
  assert.deepEqual(b.errors, []);
});
