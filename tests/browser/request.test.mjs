// Requests and complaints in the browser: a member of the public files a complaint with a photo
// on a phone-sized screen (390 px) and gets a tracking code; an officer of 长兴分局 finds it in
// the queue, accepts, dispatches and closes it with the answer; the complainant looks the code up
// and reads the answer (and no officer's name). Also the map, the statistics and the
// enterprise's own requests. Screenshots under test-output/browser/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, loginAs } from '../e2e/lib.mjs';
import { nextYearCalendar } from '../e2e/request_lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, tmp, code;
const ANSWER = '经现场核查，工地已停止夜间施工，施工单位已被责令整改。';

before(async () => {
  srv = await startServer({ enterprises: 30 });
  await nextYearCalendar(await loginAs(srv.base, 'admin'));
  b = await openBrowser();
  tmp = mkdtempSync(join(tmpdir(), 'envgov-request-'));
  // a 1×1 PNG
  writeFileSync(join(tmp, '现场.png'), Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c30000000049454e44ae426082', 'hex'));
});
after(async () => {
  await b?.close();
  rmSync(tmp, { recursive: true, force: true });
  await srv?.stop();
});

test('a member of the public files a complaint with a photo on a phone', async () => {
  const { page } = b;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${srv.base}/#/public/complaint`);
  await page.selectOption('[data-testid=pub-category]', 'noise');
  await page.fill('[data-testid=pub-description]', '长兴县明珠路工地每天夜里施工到凌晨两点，噪声很大');
  await page.selectOption('[data-testid=pub-region]', '330522');
  await page.fill('[data-testid=pub-address]', '长兴县雉城街道明珠路');
  await page.fill('[data-testid=pub-lat]', '31.0243');
  await page.fill('[data-testid=pub-lng]', '119.9101');
  await page.setInputFiles('[data-testid=pub-photos]', join(tmp, '现场.png'));
  await page.fill('[data-testid=pub-contact-phone]', '13912345678');
  // no horizontal scrolling at 390 px
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `page is ${wide}px wide`);
  await b.shot('request-public-form-390');
  await page.click('[data-testid=pub-submit]');
  await page.waitForSelector('[data-testid=pub-code]', { timeout: 15000 });
  code = (await page.textContent('[data-testid=pub-code]')).trim();
  assert.match(code, /^TS[2-9A-HJ-NP-Z]{10}$/);
  assert.equal(await page.locator('[data-testid=pub-photo-failed]').count(), 0, 'the photo went up');
  await b.shot('request-public-done-390');
});

test('an officer accepts, dispatches and closes it with the answer', async () => {
  const { page } = b;
  await page.setViewportSize({ width: 1400, height: 900 });
  await login(page, srv.base, 'inspector');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.goto(`${srv.base}/#/requests`);
  await page.fill('input[data-testid=request-search]', code);
  await page.press('input[data-testid=request-search]', 'Enter');
  const link = page.locator('a', { hasText: code });
  await link.first().waitFor({ timeout: 10000 });
  await b.shot('request-queue');
  await link.first().click();
  await page.waitForSelector('[data-testid=rq-state]');
  assert.ok(await page.locator('[data-testid=rq-files] li').count() >= 1, 'the photo is on the request');
  await page.click('[data-testid=act-accept]');
  await page.waitForSelector('[data-testid=act-dispatch]');
  await page.click('[data-testid=act-dispatch]');
  await page.waitForSelector('[data-testid=act-dialog]');
  await page.click('[data-testid=act-submit]');
  await page.waitForSelector('[data-testid=act-close]');
  await page.click('[data-testid=act-close]');
  await page.fill('[data-testid=act-answer]', ANSWER);
  await page.click('[data-testid=act-submit]');
  await page.waitForSelector('[data-testid=rq-answer]');
  assert.match(await page.textContent('[data-testid=rq-state]'), /已办结/);
  assert.match(await page.textContent('[data-testid=rq-timeline]'), /转办/);
  await b.shot('request-page-closed');
  await page.goto(`${srv.base}/#/requests/map`);
  await page.waitForSelector('[data-testid=rq-map] svg circle');
  await b.shot('request-map');
  await page.goto(`${srv.base}/#/requests/stats`);
  await page.waitForSelector('[data-testid=stats-category] canvas');
  await b.shot('request-stats');
});

test('the complainant reads the answer by tracking code, without names', async () => {
  const { page } = b;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${srv.base}/#/public/track`);
  await page.fill('[data-testid=track-code]', code);
  await page.click('[data-testid=track-go]');
  await page.waitForSelector('[data-testid=track-answer]');
  assert.equal((await page.textContent('[data-testid=track-answer]')).trim(), ANSWER);
  const text = await page.textContent('[data-testid=track-result]');
  assert.ok(!text.includes('李强') && !text.includes('13912345678'), 'no officer or contact shown');
  assert.match(text, /已办结/);
  await b.shot('request-track-390');
  await page.goto(`${srv.base}/#/public/track?code=TS2222222222`);
  await page.waitForSelector('[data-testid=track-none]');
});

test('an enterprise files a request and sees its progress', async () => {
  const { page } = b;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${srv.base}/#/requests`);
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.evaluate(() => document.querySelector('[data-testid=user-menu]')?.click());
  await page.click('[data-testid=logout]');
  await page.waitForSelector('input[name=username]');
  await login(page, srv.base, 'enterprise');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.goto(`${srv.base}/#/requests/mine`);
  await page.click('[data-testid=mine-new]');
  await page.selectOption('[data-testid=mine-category]', 'policy');
  await page.fill('[data-testid=mine-description]', '扩产后排污许可证是否需要重新申领？');
  await page.click('[data-testid=mine-dialog] button[type=submit]');
  await page.locator('[data-testid=mine-table] tbody tr', { hasText: '扩产后排污许可证' }).first().waitFor();
  await b.shot('request-mine');
  // the enterprise page's tab lists it too
  const eid = (await loginAs(srv.base, 'enterprise')).user.enterprise_id;
  await page.goto(`${srv.base}/#/enterprises/${eid}`);
  await page.click('[data-testid=tab-requests]');
  await page.locator('[data-testid=request-tab]', { hasText: '扩产后排污许可证' }).waitFor();
  assert.deepEqual(b.errors, []);
});
