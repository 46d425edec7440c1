// The live board at a monitoring centre's scale (issue 19): each row names the kinds of its open
// alarms and shows the point's latest real-time values of its limited factors (red above the
// limit); rows sort by severity first (exceedance, early warning, offline, … online, never
// connected), a column head sorts by its column; and after an alarm is acknowledged the rows
// keep their layout: long names stay on one line (ellipsis, the whole name on hover) instead of
// wrapping into four.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, usccWithCheck, alarmRules } from '../e2e/lib.mjs';
import { frame, device, until } from '../e2e/hj212.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, admin, hjPort;
const PW = '135790';
const LONG = '湖州市德清县莫干山经济开发区恒信新材料科技股份有限公司第一分公司';
const pts = {}; // exceed, warn, offline, normal → { id, mn, name }
const devs = {};
let qn = 0, keep;
const rtd = (mn, cp) => frame(`QN=20261203${String(++qn).padStart(9, '0')};ST=32;CN=2011;PW=${PW};MN=${mn};Flag=5;CP=&&DataTime=20261203100000;${cp}&&`);
const VALUES = { exceed: 'w01018-Rtd=20,w01018-Flag=N,w21003-Rtd=15,w21003-Flag=N',
  warn: 'w01018-Rtd=80,w01018-Flag=N,w21003-Rtd=3,w21003-Flag=N',
  offline: 'w01018-Rtd=20,w01018-Flag=N,w21003-Rtd=3,w21003-Flag=N',
  normal: 'w01018-Rtd=20.5,w01018-Flag=N,w21003-Rtd=3.2,w21003-Flag=N' };

async function send(k) {
  devs[k].send(rtd(pts[k].mn, VALUES[k]));
  await devs[k].reply();
}

before(async () => {
  srv = await startServer({ enterprises: 40, env: { ENVGOV_ALARM_SWEEP_S: '1' } });
  hjPort = Number(/--hj212 127\.0\.0\.1:(\d+)/.exec(srv.proc.spawnargs.join(' '))[1]);
  admin = await loginAs(srv.base, 'admin');
  await alarmRules(admin, { offline_after_s: 4, stuck_count: 100000 });
  let r = await admin.post('/api/v1/enterprises', { name: LONG, uscc: usccWithCheck('91330521MA7B0ARD0'),
    region_code: '330521', industry_code: '2614', category: 'key' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const ent = r.json;
  let i = 0;
  for (const k of Object.keys(VALUES)) {
    i++;
    r = await admin.post(`/api/v1/enterprises/${ent.id}/outlets`, { code: `DW00${i}`, name: `废水排口${i}`, kind: 'water' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const outlet = r.json;
    // COD against its hourly limit (above it in real time: early warning), ammonia against a
    // real-time limit (above it: exceedance).
    for (const l of [{ pollutant_code: 'w01018', value: 50, unit: 'mg/L', basis: 'hour' },
      { pollutant_code: 'w21003', value: 10, unit: 'mg/L', basis: 'rtd' }]) {
      r = await admin.post(`/api/v1/outlets/${outlet.id}/limits`, l);
      assert.equal(r.status, 201, JSON.stringify(r.json));
    }
    const mn = `33052100000000B0ARD0000${i}`;
    const name = `${['一号', '二号', '三号', '四号'][i - 1]}废水总排口在线监测点（COD、氨氮、总磷、总氮）`;
    r = await admin.post(`/api/v1/enterprises/${ent.id}/points`, { outlet_id: outlet.id, mn, name, password: PW });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    pts[k] = { id: r.json.id, mn, name };
  }
  // The gateway picks up new limits within 10 s: each device reports until its values show.
  for (const k of Object.keys(VALUES)) {
    devs[k] = await device(hjPort);
    await until(async () => {
      await send(k);
      return (await admin.get(`/api/v1/monitor/board?point_id=${pts[k].id}`)).json.items[0].values.length === 2;
    }, 15000, `values of ${k}`);
  }
  // The offline point's device falls silent; the others keep reporting.
  devs.offline.close();
  keep = setInterval(() => { for (const k of ['exceed', 'warn', 'normal']) devs[k].send(rtd(pts[k].mn, VALUES[k])); }, 1000);
  await until(async () => {
    const x = (await admin.get(`/api/v1/monitor/board?point_id=${pts.offline.id}`)).json.items[0];
    return x.status === 'offline' && x.alarm_kinds.includes('offline');
  }, 15000, 'the silent point offline, its offline alarm open');
  b = await openBrowser();
});
after(async () => {
  clearInterval(keep);
  for (const d of Object.values(devs)) d.close();
  await b?.close();
  await srv?.stop();
});

// What the board's rows show: point id, status, kinds, values text and over-limit factors.
const rowsShown = (page) => page.$$eval('[data-testid=board-table] tbody tr', (trs) => trs.map((tr) => ({
  id: Number(tr.querySelector('a[data-testid^=point-]')?.dataset.testid.slice(6)),
  status: tr.querySelector('[data-status]')?.dataset.status,
  kinds: [...tr.querySelectorAll('[data-kind]')].map((e) => e.textContent),
  values: tr.querySelector('[data-testid=live-values]')?.textContent || '',
  over: [...tr.querySelectorAll('[data-over="1"]')].map((e) => e.dataset.factor),
  enterprise: tr.querySelector('td.c-name a')?.textContent,
})));

// Lines a cell's text takes: its height over its line height.
const nameLines = (page) => page.$$eval('[data-testid=board-table] tbody tr :is(a[data-testid^=point-], a[href^="#/enterprises/"])', (els) => els.map((a) => {
  const lh = parseFloat(getComputedStyle(a).lineHeight) || parseFloat(getComputedStyle(a).fontSize) * 1.5;
  const box = a.parentElement;
  // Lines are the distinct tops of the text's boxes.
  const tops = new Set([...a.getClientRects()].map((r) => Math.round(r.top / (lh / 2))));
  return { text: a.textContent, lines: tops.size,
    clipped: box.scrollWidth > box.clientWidth, title: box.title };
}));

test('rows show the alarm kinds and live values, most severe first', async () => {
  const { page } = b;
  await login(page, srv.base, 'monitor');
  await page.waitForSelector('[data-testid=nav-monitor_board]');
  await page.click('[data-testid=nav-monitor_board]');
  await page.waitForSelector('[data-testid=board-table] [data-kind]');
  const rows = await rowsShown(page);
  const mine = Object.fromEntries(Object.entries(pts).map(([k, p]) => [k, rows.find((r) => r.id === p.id)]));
  assert.deepEqual(rows.slice(0, 4).map((r) => r.id), [pts.exceed.id, pts.warn.id, pts.offline.id, pts.normal.id],
    'exceedance, early warning, offline, online, in that order');
  assert.ok(rows.slice(4).every((r) => r.status === 'nodata'), 'the demo points that never reported come last');
  assert.deepEqual(mine.exceed.kinds, ['超标']);
  assert.deepEqual(mine.warn.kinds, ['超标预警']);
  assert.deepEqual(mine.offline.kinds, ['离线']);
  assert.deepEqual(mine.normal.kinds, []);
  assert.equal(mine.exceed.status, 'alarm');
  assert.equal(mine.offline.status, 'offline');
  assert.equal(mine.normal.status, 'online');
  assert.equal(mine.normal.values, 'COD 20.5 mg/L / 氨氮 3.2 mg/L');
  assert.equal(mine.exceed.values, 'COD 20 mg/L / 氨氮 15 mg/L');
  assert.deepEqual(mine.exceed.over, ['w21003'], 'the value above its limit is marked');
  assert.deepEqual(mine.warn.over, ['w01018']);
  assert.deepEqual(mine.normal.over, []);
  const red = await page.$eval(`[data-testid=point-${pts.exceed.id}]`, (a) => getComputedStyle(a.closest('tr').querySelector('[data-over="1"] b')).color);
  assert.equal(red, 'rgb(192, 57, 43)');
  await b.shot('board-severity');
  assert.deepEqual(b.errors, []);
});

test('a column head sorts by its column, and a third click returns to severity', async () => {
  const { page } = b;
  const head = page.locator('[data-testid=board-table] [data-sort=last_seen_at]');
  await head.click();
  let rows = await rowsShown(page);
  assert.equal(rows[0].status, 'nodata', 'ascending: never heard first');
  await head.click();
  rows = await rowsShown(page);
  assert.notEqual(rows[0].status, 'nodata');
  assert.match(await page.evaluate(() => location.hash), /sort=-last_seen_at/);
  await head.click();
  rows = await rowsShown(page);
  assert.equal(rows[0].id, pts.exceed.id);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /sort=/);
});

test('after an alarm is acknowledged, long names stay on one line', async () => {
  const { page } = b;
  await page.setViewportSize({ width: 1180, height: 900 });
  const alarms = (await admin.get(`/api/v1/alarms?point_id=${pts.exceed.id}&kind=exceed&status=open`)).json.items;
  assert.equal(alarms.length, 1);
  const r = await admin.post(`/api/v1/alarms/${alarms[0].id}/acknowledge`, { note: '已电话通知企业核查氨氮超标原因' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  // The next poll (every 5 s) redraws the rows.
  const stamp = await page.textContent('[data-testid=board-updated]');
  await page.waitForFunction((s) => document.querySelector('[data-testid=board-updated]').textContent !== s, stamp, { timeout: 12000 });
  const rows = await rowsShown(page);
  assert.deepEqual(rows.find((x) => x.id === pts.exceed.id).kinds, ['超标'], 'an acknowledged alarm is still open');
  const names = await nameLines(page);
  assert.ok(names.length >= 16);
  for (const n of names) assert.equal(n.lines, 1, `${n.text} takes ${n.lines} lines`);
  const long = names.find((n) => n.text === LONG);
  assert.ok(long.clipped, 'the long name is cut with an ellipsis');
  assert.equal(long.title, LONG, 'and shown whole on hover');
  // Every row of mine is as tall as the others with values: no row grew past two lines of text.
  const heights = await page.$$eval('[data-testid=board-table] tbody tr', (trs) => trs.slice(0, 4).map((tr) => tr.getBoundingClientRect().height));
  const lh = await page.$eval('[data-testid=board-table] a[data-testid^=point-]', (e) => parseFloat(getComputedStyle(e).lineHeight));
  for (const h of heights) assert.ok(h <= 3 * lh + 20, `row of ${h}px`);
  await b.shot('board-acknowledged');
  assert.deepEqual(b.errors, []);
});
