// The monitoring centre's alarm page and a point's chart and commands, in the browser: the
// region, enterprise and date filters narrow the list and stay in the address; ticked alarms
// are acknowledged at once with one note; the leader sees no handling controls; the chart
// breaks its line at a gap in the data, the day view has day ticks and the daily limit, the
// date range picker asks the API for that period; the command dialog shows only the fields of
// the chosen command, times through a date-time picker. Screenshots go to test-output/browser/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, usccWithCheck, sql } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, point, ent, other;
const pad = (n) => String(n).padStart(2, '0');
// China time "YYYY-MM-DD HH:MM:SS" of a Unix millisecond time.
const cst = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

before(async () => {
  srv = await startServer({ enterprises: 40 });
  const admin = await loginAs(srv.base, 'admin');
  let r = await admin.post('/api/v1/enterprises', { name: '长兴县报警页测试纺织有限公司',
    uscc: usccWithCheck('91330522MA7ALPG00'), region_code: '330522', industry_code: '1713', category: 'key' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  ent = r.json;
  r = await admin.post(`/api/v1/enterprises/${ent.id}/outlets`, { code: 'DW001', name: '废水总排口', kind: 'water' });
  const outlet = r.json;
  // The hourly and the daily limit differ: each view must use its own.
  for (const [basis, value] of [['hour', 100], ['day', 60]]) {
    r = await admin.post(`/api/v1/outlets/${outlet.id}/limits`, { pollutant_code: 'w01018', value, unit: 'mg/L', basis });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  r = await admin.post(`/api/v1/enterprises/${ent.id}/points`, { outlet_id: outlet.id, mn: '33052200000000E2EA1B0001',
    name: '报警页测试监测点', password: '123456', rtd_interval_s: 60 });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  point = r.json;
  // Real-time values every minute from 10 h to 6 h ago and from 3 h ago to now: a 3-hour gap.
  const now = Date.now();
  const rows = [];
  for (let m = 600; m >= 0; m--) {
    if (m < 360 && m > 180) continue;
    rows.push(`(${point.id}, '2011', '${cst(now - m * 60e3)}', 'w01018', 'Rtd', ${40 + (m % 7)}, 'N', '${iso(now)}')`);
  }
  // Daily averages of the last 10 days.
  const today = Date.parse(`${cst(now).slice(0, 10)}T00:00:00+08:00`);
  for (let d = 10; d >= 1; d--) {
    rows.push(`(${point.id}, '2031', '${cst(today - d * 86400e3)}', 'w01018', 'Avg', ${45 + d}, 'N', '${iso(now)}')`);
  }
  sql(srv.dir, `INSERT INTO readings (point_id, cn, data_time, factor, kind, value, flag, received_at) VALUES ${rows.join(',')}`);
  // Three open alarms of this point (长兴), one of a point elsewhere.
  for (const kind of ['exceed', 'early_warning', 'stuck']) {
    sql(srv.dir, `INSERT INTO alarms (point_id, enterprise_id, kind, factor, first_at, last_at, data_time, value,
      limit_value) VALUES (${point.id}, ${ent.id}, '${kind}', 'w01018', '${iso(now - 3600e3)}', '${iso(now)}',
      '${cst(now)}', 120, 100)`);
  }
  other = sql(srv.dir, `SELECT p.id || '|' || p.enterprise_id FROM points p JOIN enterprises e ON e.id = p.enterprise_id
    WHERE e.region_code NOT LIKE '330522%' ORDER BY p.id LIMIT 1`).split('|').map(Number);
  sql(srv.dir, `INSERT INTO alarms (point_id, enterprise_id, kind, factor, first_at, last_at) VALUES (${other[0]},
    ${other[1]}, 'offline', '', '${iso(now - 7200e3)}', '${iso(now)}')`);
  b = await openBrowser();
});
after(async () => { await b?.close(); await srv?.stop(); });

const rowCount = (page) => page.locator('[data-testid=alarm-table] tbody tr [data-testid=alarm-status]').count();

test('the region, enterprise and date filters narrow the alarm list and stay in the address', async () => {
  const { page } = b;
  await login(page, srv.base, 'monitor');
  await page.waitForSelector('[data-testid=nav-monitor_board]');
  await page.goto(`${srv.base}/#/monitor/alarms`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=alarm-table] [data-testid=alarm-status]').length === 4);
  await page.selectOption('[data-testid=filter-region]', '330522');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=alarm-table] [data-testid=alarm-status]').length === 3);
  assert.match(page.url(), /region_code=330522/);
  await page.selectOption('[data-testid=filter-region]', '');
  await page.fill('[data-testid=filter-enterprise]', '报警页测试');
  await page.click('.ss-list li >> text=长兴县报警页测试纺织有限公司');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=alarm-table] [data-testid=alarm-status]').length === 3);
  assert.match(page.url(), new RegExp(`enterprise_id=${ent.id}`));
  // A date after today: no alarm was active then.
  await page.fill('[data-testid=filter-from]', '2099-01-01');
  await page.waitForFunction(() => !document.querySelector('[data-testid=alarm-table] [data-testid=alarm-status]'));
  assert.match(page.url(), /from=2099-01-01/);
  // The address restores the filters; the export links carry them.
  await page.reload();
  await page.waitForSelector('[data-testid=alarm-table] tbody td.empty:not(.loading)');
  assert.equal(await page.inputValue('[data-testid=filter-from]'), '2099-01-01');
  assert.equal(await page.inputValue('[data-testid=filter-enterprise]'), '长兴县报警页测试纺织有限公司');
  assert.match(await page.getAttribute('[data-testid=export-xlsx]', 'href'), new RegExp(`/api/v1/alarms/export\\?.*enterprise_id=${ent.id}.*from=2099-01-01.*format=xlsx`));
  await page.fill('[data-testid=filter-from]', '');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=alarm-table] [data-testid=alarm-status]').length === 3);
  assert.deepEqual(b.errors, []);
});

test('ticked alarms are acknowledged at once with one note', async () => {
  const { page } = b;
  assert.equal(await page.isDisabled('[data-testid=bulk-ack]'), true);
  await page.check('[data-testid=select-all]');
  assert.equal(await page.locator('[data-testid=alarm-table] input[data-alarm]:checked').count(), 3);
  assert.match(await page.textContent('[data-testid=bulk-ack]'), /批量确认（3）/);
  await page.click('[data-testid=bulk-ack]');
  await page.click('[data-testid=alarm-ok]');
  await page.waitForSelector('[data-testid=err-note]:not(:empty)');
  await page.fill('[data-testid=alarm-note]', '已电话通知企业核查排放情况');
  await b.shot('alarms-bulk-ack');
  await page.click('[data-testid=alarm-ok]');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=alarm-status]')].filter((e) => e.textContent === '已确认').length === 3);
  assert.equal(sql(srv.dir, `SELECT COUNT(*) FROM alarms WHERE enterprise_id = ${ent.id} AND status = 'acknowledged'
    AND ack_note = '已电话通知企业核查排放情况'`), '3');
  assert.equal(sql(srv.dir, `SELECT status FROM alarms WHERE point_id = ${other[0]}`), 'open');
  // Nothing left to tick: the acknowledged rows have no box.
  assert.equal(await page.locator('[data-testid=alarm-table] input[data-alarm]').count(), 0);
  assert.equal(await page.isDisabled('[data-testid=bulk-ack]'), true);
  await b.shot('alarms-filtered');
  assert.deepEqual(b.errors, []);
});

test('the leader reads the alarms without handling controls', async () => {
  const lb = await openBrowser();
  try {
    await login(lb.page, srv.base, 'leader');
    await lb.page.waitForSelector('[data-testid=nav-monitor_board]');
    await lb.page.goto(`${srv.base}/#/monitor/alarms`);
    await lb.page.waitForSelector('[data-testid=alarm-table] [data-testid=alarm-status]');
    assert.equal(await lb.page.locator('[data-testid=bulk-ack], [data-testid=select-all], [data-testid^=ack-], [data-testid^=close-]').count(), 0);
    assert.equal(await lb.page.locator('[data-testid=export-csv]').count(), 1);
    assert.deepEqual(lb.errors, []);
  } finally {
    await lb.close();
  }
});

async function chartOption(page) {
  return page.evaluate(async () => {
    const ec = await import('/vendor/echarts.esm.min.js');
    const o = ec.getInstanceByDom(document.querySelector('[data-testid=trend-chart]')).getOption();
    return { data: o.series[0].data, xAxis: o.xAxis[0], markLine: o.series[0].markLine };
  });
}

test('the chart breaks at a gap; the day view has day ticks and the daily limit; the date range is asked for', async () => {
  const { page } = b;
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/series?')) asked.push(new URL(r.url()).searchParams); });
  await page.goto(`${srv.base}/#/monitor/points/${point.id}`);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=trend-chart]')?.dataset.points) > 0);
  let o = await chartOption(page);
  const gaps = o.data.filter((p) => p[1] === null);
  assert.equal(gaps.length, 1, 'one null where the 3-hour gap is');
  assert.equal(await page.getAttribute('[data-testid=trend-chart]', 'data-basis'), 'hour');
  assert.equal(o.markLine.label.position, 'insideEndTop');
  assert.match(await page.textContent('[data-testid=chart-note]'), /· \d+ 个数据 · 小时均值限值 100 mg\/L/);
  await b.shot('point-chart-gap');
  await page.click('[data-testid=chart-cn] [data-cn="2031"]');
  await page.waitForFunction(() => document.querySelector('[data-testid=trend-chart]').dataset.basis === 'day');
  assert.equal(await page.getAttribute('[data-testid=trend-chart]', 'data-limit'), '60');
  o = await chartOption(page);
  assert.equal(o.xAxis.minInterval, 86400e3);
  assert.equal(o.xAxis.axisLabel.formatter, '{MM}-{dd}');
  assert.equal(o.data.filter((p) => p[1] === null).length, 0, 'daily values a day apart are no gap');
  assert.match(await page.textContent('[data-testid=chart-note]'), /10 个数据 · 日均值限值 60 mg\/L/);
  await b.shot('point-chart-day');
  // The range picker: from and to (inclusive, so the API gets the next day as its end).
  asked.length = 0;
  await page.fill('[data-testid=chart-from]', '2026-11-01');
  await page.fill('[data-testid=chart-to]', '2026-11-30');
  await page.waitForFunction(() => document.querySelector('[data-testid=trend-chart]').dataset.to === '2026-12-01');
  const last = asked[asked.length - 1];
  assert.equal(last.get('from'), '2026-11-01');
  assert.equal(last.get('to'), '2026-12-01');
  assert.equal(last.get('cn'), '2031');
  assert.deepEqual(b.errors, []);
});

test('the command dialog shows only the fields of the chosen command; times through a date-time picker', async () => {
  const { page } = b;
  await page.click('[data-testid=send-command]');
  await page.waitForSelector('[data-testid=command-dialog]');
  const shown = () => page.evaluate(() => ['SystemTime', 'RtdInterval', 'MinInterval', 'BeginTime', 'EndTime']
    .filter((k) => document.querySelector(`[data-testid=cmd-${k}]`).closest('.field').offsetParent !== null));
  for (const [cn, fields] of [['1011', []], ['1012', ['SystemTime']], ['1062', ['RtdInterval']], ['1063', []],
    ['1064', ['MinInterval']], ['2051', ['BeginTime', 'EndTime']]]) {
    await page.selectOption('[data-testid=cmd-cn]', cn);
    assert.deepEqual(await shown(), fields, cn);
    assert.equal(await page.isVisible('[data-testid=cmd-no-params]'), fields.length === 0, cn);
  }
  assert.equal(await page.getAttribute('[data-testid=cmd-BeginTime]', 'type'), 'datetime-local');
  await page.selectOption('[data-testid=cmd-cn]', '2061');
  await page.click('[data-testid=command-dialog] [data-testid=save]');
  await page.waitForSelector('[data-testid=err-BeginTime]:not(:empty)');
  await page.fill('[data-testid=cmd-BeginTime]', '2026-12-01T08:00');
  await page.fill('[data-testid=cmd-EndTime]', '2026-12-01T10:30:15');
  await b.shot('point-command-dialog');
  await page.click('[data-testid=command-dialog] [data-testid=save]');
  await page.waitForSelector('[data-testid=command-dialog]', { state: 'detached' });
  assert.equal(sql(srv.dir, `SELECT cn || ' ' || params FROM hj212_commands WHERE point_id = ${point.id}`),
    '2061 BeginTime=20261201080000;EndTime=20261201103015');
  assert.deepEqual(b.errors, []);
});
