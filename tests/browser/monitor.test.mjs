// Online monitoring as the monitoring centre uses it: simulated devices send values above the
// limit; the live board shows the alarm within seconds; the point page draws the trend with the
// limit line and lists the raw frames with the device's PW masked; the alarm is acknowledged with
// a note. Screenshots go to test-output/browser/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startServer, BIN } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b;
before(async () => {
  srv = await startServer({ enterprises: 40, env: { ENVGOV_ALARM_SWEEP_S: '1' } });
  b = await openBrowser();
});
after(async () => { await b?.close(); await srv?.stop(); });

test('a simulated exceedance shows on the live board as an alarm within seconds', async () => {
  const { page } = b;
  await login(page, srv.base, 'monitor');
  await page.waitForSelector('[data-testid=nav-monitor_board]');
  await page.click('[data-testid=nav-monitor_board]');
  await page.waitForSelector('[data-testid=count-total] .num');
  assert.equal(await page.textContent('[data-testid=count-alarm] .num'), '0');
  const hj = /--hj212 127\.0\.0\.1:(\d+)/.exec(srv.proc.spawnargs.join(' '))[1];
  await promisify(execFile)(BIN, ['hj212', 'sim', '--target', `127.0.0.1:${hj}`, '--devices', '4', '--rate', '2',
    '--seconds', '6', '--data', srv.dir, '--exceed']);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=count-alarm] .num')?.textContent) > 0, null, { timeout: 15000 });
  await page.click('[data-testid=count-alarm]');
  await page.waitForSelector('[data-testid=board-table] [data-status=alarm]');
  await b.shot('monitor-board');
});

test('the point page draws the trend with the limit line; the alarm is acknowledged', async () => {
  const { page } = b;
  await page.click('[data-testid=board-table] tbody tr td a[data-testid^=point-]');
  await page.waitForSelector('[data-testid=point-name]');
  await page.waitForSelector('[data-testid=trend-chart] canvas');
  // The chart opens on a factor with a limit (the simulator sends the outlet's limited factors
  // and the flow, which has none).
  assert.doesNotMatch(await page.inputValue('[data-testid=chart-factor]'), /^[wa]00000$/);
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid=trend-chart]');
    return el && el.dataset.limit && Number(el.dataset.points) > 0;
  });
  const limit = await page.getAttribute('[data-testid=trend-chart]', 'data-limit');
  assert.ok(Number(limit) > 0, `limit line at ${limit}`);
  await page.waitForSelector('[data-testid=alarm-table] button[data-testid^=ack-]');
  // Each alarm shows the data time it judged, beside the value.
  assert.match(await page.textContent('[data-testid=alarm-table] [data-testid=alarm-data-time]'), /^数据时间 \d{4}-\d\d-\d\d \d\d:\d\d$/);
  await b.shot('monitor-point');
  // The raw frames of the last hour, with the device's PW (its credential) masked.
  await page.waitForSelector('[data-testid=frames-table] tbody tr');
  await page.locator('[data-testid=frames-table]').scrollIntoViewIfNeeded();
  const raw = await page.textContent('[data-testid=frames-table] tbody');
  assert.match(raw, /;PW=\*+;MN=/);
  assert.doesNotMatch(raw, /;PW=[^*;]/);
  await b.shot('monitor-frames');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.click('[data-testid=alarm-table] button[data-testid^=ack-]');
  await page.click('[data-testid=alarm-ok]');
  await page.waitForSelector('[data-testid=err-note]:not(:empty)');
  await page.fill('[data-testid=alarm-note]', '已通知企业排查预处理设施');
  await page.click('[data-testid=alarm-ok]');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=alarm-status]')].some((e) => e.textContent === '已确认'));
  await page.goto(`${srv.base}/#/monitor/alarms?status=acknowledged`);
  await page.waitForSelector('[data-testid=alarm-table] tbody tr [data-testid=alarm-status]');
  assert.match(await page.textContent('[data-testid=alarm-table] tbody'), /已通知企业排查预处理设施/);
  await b.shot('monitor-alarms');
  assert.deepEqual(b.errors, []);
});

test('the bell counts unread alarm notifications, lists them and marks them read', async () => {
  const { page } = b;
  await page.goto(`${srv.base}/#/monitor`);
  await page.reload();
  await page.waitForSelector('[data-testid=bell-count]:not([hidden])');
  assert.ok(Number.parseInt(await page.textContent('[data-testid=bell-count]'), 10) > 0);
  await page.click('[data-testid=bell]');
  await page.waitForSelector('[data-testid=bell-item].unread');
  assert.match(await page.textContent('[data-testid=bell-list]'), /报警/);
  await b.shot('monitor-bell');
  await page.click('[data-testid=bell-read-all]');
  await page.waitForSelector('[data-testid=bell-count][hidden]', { state: 'attached' });
  assert.equal(await page.locator('[data-testid=bell-item].unread').count(), 0);
  await page.click('[data-testid=bell-item] >> nth=0');
  await page.waitForSelector('[data-testid=point-name]');
  await page.reload();
  await page.waitForSelector('[data-testid=bell][data-loaded="1"]');
  assert.equal(await page.isHidden('[data-testid=bell-count]'), true);
  assert.deepEqual(b.errors, []);
});

test('a point that has sent nothing shows why its chart is empty', async () => {
  const { page } = b;
  await page.goto(`${srv.base}/#/monitor?status=nodata`);
  await page.waitForSelector('[data-testid=board-table] [data-status=nodata]');
  await page.click('[data-testid=board-table] tbody tr td a[data-testid^=point-]');
  await page.waitForSelector('[data-testid=trend-empty]:not([hidden])');
  assert.match(await page.textContent('[data-testid=trend-empty]'), /近 7 天没有上传数据/);
  assert.equal(await page.isHidden('[data-testid=trend-chart]'), true);
  assert.equal(await page.isHidden('[data-testid=chart-factor]'), true);
  assert.deepEqual(b.errors, []);
});
