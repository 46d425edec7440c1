// Issue 19 in a browser whose time zone is UTC: the demo's enterprise user gets its own menu
// (本企业 / 在线监测, not the bureau's 企业监管) and a board of its own points without a region
// filter; after its devices report, 最近通讯 (a server UTC time) and 数据时间 (the device's China
// time) agree and are China time — in a UTC browser one row read 08:43 and 16:43. The import
// dialog offers the template, downloaded under its Chinese name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startServer, BIN } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b;
before(async () => { srv = await startServer({ enterprises: 40 }); b = await openBrowser({ timezoneId: 'UTC' }); });
after(async () => { await b?.close(); await srv?.stop(); });

const chinaHour = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 13).replace('T', ' ');

test('the enterprise user has its own menu and a board of its points without a region filter', async () => {
  const { page } = b;
  assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), 'UTC');
  await login(page, srv.base, 'enterprise');
  await page.waitForSelector('[data-testid=nav-own_points]');
  const groups = await page.$$eval('.nav-group', (els) => els.map((e) => e.textContent));
  assert.deepEqual(groups, ['本企业', '在线监测']);
  for (const key of ['my_enterprise', 'own_permits', 'own_outlets', 'own_points', 'own_alarms']) {
    assert.ok(await page.$(`[data-testid=nav-${key}]`), key);
  }
  await page.click('[data-testid=nav-own_permits]');
  await page.waitForSelector('[data-testid=permits-table]');
  // The menu marks the entry of the tab shown, not the enterprise's first entry.
  assert.equal(await page.$eval('.nav a.active', (a) => a.dataset.testid), 'nav-own_permits');
  // Its alarms: titled as its record, without the bureau's region and enterprise filters.
  await page.click('[data-testid=nav-own_alarms]');
  await page.waitForSelector('[data-testid=filter-status]');
  assert.equal(await page.$eval('.page-head h1', (e) => e.textContent), '报警记录');
  assert.equal(await page.$('[data-testid=filter-region]'), null);
  assert.equal(await page.$('[data-testid=filter-enterprise]'), null);
  await page.click('[data-testid=nav-own_points]');
  await page.waitForSelector('[data-testid=board-table] tbody tr td a[data-testid^=point-]');
  assert.equal(await page.$('[data-testid=filter-region]'), null);
  await b.shot('enterprise-own-board');
});

test('最近通讯 and 数据时间 of a fresh frame agree, in China time, in a UTC browser', async () => {
  const { page } = b;
  const hj = /--hj212 127\.0\.0\.1:(\d+)/.exec(srv.proc.spawnargs.join(' '))[1];
  const from = Date.now();
  // The first three points include the enterprise user's two.
  await promisify(execFile)(BIN, ['hj212', 'sim', '--target', `127.0.0.1:${hj}`, '--devices', '3', '--rate', '1',
    '--seconds', '3', '--data', srv.dir]);
  const to = Date.now();
  // The board shows today's times as HH:MM:SS, the whole time in the cell's title.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=board-table] tbody td [title]')]
    .some((x) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(x.title)), null, { timeout: 15000 });
  const rows = await page.$$eval('[data-testid=board-table]', ([table]) => {
    const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
    const seen = heads.indexOf('最近通讯'), data = heads.indexOf('数据时间');
    const full = (td) => td.querySelector('[title]')?.title || td.textContent;
    return [...table.querySelectorAll('tbody tr')].map((tr) => [full(tr.children[seen]), full(tr.children[data])]);
  });
  const fresh = rows.filter(([seen, data]) => seen && data);
  assert.ok(fresh.length >= 2, JSON.stringify(rows));
  const hours = new Set([chinaHour(from), chinaHour(to)]);
  for (const [seen, data] of fresh) {
    assert.ok(hours.has(seen.slice(0, 13)), `最近通讯 ${seen} is not China time (${[...hours]})`);
    assert.ok(hours.has(data.slice(0, 13)), `数据时间 ${data} is not China time (${[...hours]})`);
    // The device's clock is the simulator's: within a minute of the server's receipt.
    assert.ok(Math.abs(Date.parse(seen.replace(' ', 'T')) - Date.parse(data.replace(' ', 'T'))) < 60e3, `${seen} / ${data}`);
  }
  await b.shot('enterprise-board-utc-browser');
});

test('the import dialog offers the template, saved under its Chinese name', async () => {
  const { page } = b;
  await page.click('[data-testid=logout]');
  await login(page, srv.base, 'approver');
  await page.waitForSelector('[data-testid=nav-enterprises]');
  await page.click('[data-testid=nav-enterprises]');
  await page.waitForSelector('[data-testid=enterprise-table] tbody tr td a');
  await page.click('[data-testid=import]');
  await page.waitForSelector('[data-testid=import-template-xlsx]');
  for (const format of ['csv', 'xlsx']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=import-template-${format}]`)]);
    assert.equal(download.suggestedFilename(), `企业档案导入模板.${format}`);
  }
  await b.shot('import-template');
});
