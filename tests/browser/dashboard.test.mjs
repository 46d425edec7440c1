// The leader's 工作台 (dashboard): a registered device in 长兴县 reports a value above its limit;
// the leader's cards show the points online out of those registered, the unhandled alarm and
// today's alarm; the chart of today's alarms by county is drawn and follows the window's width;
// the oldest unhandled alarm links to its point; the latest operations name their records and
// leave out sign-ins; the card leads to the open alarms; the audit log and the enterprise's
// 变更记录 name their records. Screenshots at 1440 px go to test-output/browser/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs } from '../e2e/lib.mjs';
import { frame, device, until } from '../e2e/hj212.mjs';
import { openBrowser, login, SHOTS } from './lib.mjs';

let srv, b, point, ent;
const MN = '33052200000000DASHBR0001';
const PW = '135790';

before(async () => {
  srv = await startServer({ enterprises: 60, env: { ENVGOV_ALARM_SWEEP_S: '1' } });
  const admin = await loginAs(srv.base, 'admin');
  ent = (await admin.get('/api/v1/enterprises?region_code=330522&limit=1')).json.items[0];
  let r = await admin.post(`/api/v1/enterprises/${ent.id}/outlets`, { code: 'DW951', name: '工作台浏览器测试排口', kind: 'water' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await admin.post(`/api/v1/outlets/${r.json.id}/limits`, { pollutant_code: 'w01018', value: 50, unit: 'mg/L', basis: 'hour' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await admin.post(`/api/v1/enterprises/${ent.id}/points`, { outlet_id: r.json.outlet_id, mn: MN, name: '工作台浏览器测试点', password: PW });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  point = r.json;
  const hj = Number(/--hj212 127\.0\.0\.1:(\d+)/.exec(srv.proc.spawnargs.join(' '))[1]);
  const d = await device(hj);
  d.send(frame(`QN=20261201100000001;ST=32;CN=2011;PW=${PW};MN=${MN};Flag=5;CP=&&DataTime=20261201100000;w01018-Rtd=96.5,w01018-Flag=N&&`));
  await d.reply();
  d.close();
  await until(async () => (await admin.get('/api/v1/dashboard')).json.monitoring.online === 1 &&
    (await admin.get('/api/v1/dashboard')).json.alarms.unhandled === 1, 8000, 'alarm and liveness');
  b = await openBrowser();
  await b.page.setViewportSize({ width: 1440, height: 900 });
});
after(async () => { await b?.close(); await srv?.stop(); });

test("the leader's 工作台 shows the points online, the alarms and the chart of today's alarms", async () => {
  const { page } = b;
  await login(page, srv.base, 'leader');
  await page.waitForSelector('[data-testid=card-online] .num');
  const total = (await (await loginAs(srv.base, 'leader')).get('/api/v1/monitor/board')).json.counts.total;
  assert.equal(await page.textContent('[data-testid=card-online] .lbl'), '监测点在线率');
  assert.equal(await page.textContent('[data-testid=card-online] .sub'), `监测点 ${total} · 在线 1`);
  assert.equal(await page.textContent('[data-testid=card-online] .num'), `${(100 / total).toFixed(1)}%`);
  assert.equal(await page.textContent('[data-testid=card-unhandled] .num'), '1');
  assert.equal(await page.textContent('[data-testid=card-today] .num'), '1');
  assert.equal(await page.getAttribute('[data-testid=card-unhandled]', 'href'), '#/monitor/alarms?status=open');
  await page.waitForSelector('[data-testid=chart-alarms-today] canvas');
  await page.waitForSelector('[data-testid=chart-open-kinds] canvas');
  // The oldest unhandled alarm, linked to its point.
  const link = page.locator('[data-testid=oldest-unhandled] tbody a');
  assert.equal(await link.count(), 1);
  assert.equal(await link.textContent(), '工作台浏览器测试点');
  assert.equal(await link.getAttribute('href'), `#/monitor/points/${point.id}`);
  // The latest operations: no sign-ins, records by name.
  const recent = await page.textContent('[data-testid=recent-audit] tbody');
  assert.ok(!recent.includes('登录'), recent);
  assert.ok(recent.includes(`${ent.name} · 工作台浏览器测试点`), recent);
  await page.screenshot({ path: `${SHOTS}/dashboard-leader-1440.png`, fullPage: true });
  assert.deepEqual(b.errors, []);
});

test('the chart follows the window width', async () => {
  const { page } = b;
  const width = () => page.$eval('[data-testid=chart-alarms-today] canvas', (c) => c.getBoundingClientRect().width);
  const wide = await width();
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.waitForFunction((w) => {
    const c = document.querySelector('[data-testid=chart-alarms-today] canvas');
    return c && Math.abs(c.getBoundingClientRect().width - w) > 50;
  }, wide);
  const narrow = await width();
  const box = await page.$eval('[data-testid=chart-alarms-today]', (el) => el.getBoundingClientRect().width);
  assert.ok(narrow < wide && Math.abs(narrow - box) < 2, `canvas ${narrow} in a box of ${box}, was ${wide}`);
  await page.setViewportSize({ width: 1440, height: 900 });
});

test('the unhandled card leads to the open alarms', async () => {
  const { page } = b;
  await page.click('[data-testid=card-unhandled]');
  await page.waitForSelector('[data-testid=alarm-table] tbody tr [data-testid=alarm-status]');
  assert.equal(await page.inputValue('[data-testid=filter-status]'), 'open');
  assert.equal(await page.locator('[data-testid=alarm-table] tbody tr').count(), 1);
  assert.equal(await page.textContent('[data-testid=alarm-table] [data-testid=alarm-status]'), '未处理');
});

test('the audit log names the records', async () => {
  const { page } = b;
  await page.goto(`${srv.base}/#/admin/audit?entity=point`);
  await page.waitForSelector('[data-testid=audit-record]');
  assert.equal((await page.textContent('[data-testid=audit-record]')).trim(), `监测点 ${ent.name} · 工作台浏览器测试点 #${point.id}`);
  await page.screenshot({ path: `${SHOTS}/audit-names-1440.png` });
});

test("the enterprise's 变更记录 names the records without repeating the enterprise", async () => {
  const { page } = b;
  await page.goto(`${srv.base}/#/enterprises/${ent.id}?tab=history`);
  await page.waitForSelector('[data-testid=history-record]');
  const records = await page.$$eval('[data-testid=history-record]', (els) => els.map((e) => e.textContent.trim()));
  assert.ok(records.includes('监测点 工作台浏览器测试点'), records.join('\n'));
  assert.ok(records.includes('排放口 DW951 工作台浏览器测试排口'), records.join('\n'));
  assert.ok(records.includes(`企业 ${ent.name}`), records.join('\n'));
});
