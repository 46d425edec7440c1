// 待办 in the browser: a monitoring officer works an alarm from the to-do list — the navigation
// badge counts it, the list shows its clock and deadline, the case page offers the officer's
// actions, acknowledging asks for the required note (refused without it), the alarm itself is
// acknowledged, a file is attached to the case, and closing from the case page takes it off the list. Screenshots go to
// test-output/browser/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, usccWithCheck } from '../e2e/lib.mjs';
import { frame, device, until } from '../e2e/hj212.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, admin, point;
const MN = '33052200000000E2ETODO001';
let qn = 0;
const rtd = () => frame(`QN=20261202${String(++qn).padStart(9, '0')};ST=32;CN=2011;PW=123456;MN=${MN};Flag=5;CP=&&DataTime=20261202100000;w01018-Rtd=${90 + (qn % 7)},w01018-Flag=N&&`); // varied: no stuck-value alarm

before(async () => {
  srv = await startServer({ enterprises: 20, env: { ENVGOV_ALARM_SWEEP_S: '1' } });
  const hjPort = Number(/--hj212 127\.0\.0\.1:(\d+)/.exec(srv.proc.spawnargs.join(' '))[1]);
  admin = await loginAs(srv.base, 'admin');
  let r = await admin.post('/api/v1/enterprises', { name: '长兴县待办测试纺织有限公司',
    uscc: usccWithCheck('91330522MA7TDDB00'), region_code: '330522', industry_code: '1713', category: 'key' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const ent = r.json;
  r = await admin.post(`/api/v1/enterprises/${ent.id}/outlets`, { code: 'DW001', name: '废水总排口', kind: 'water' });
  const outlet = r.json;
  r = await admin.post(`/api/v1/outlets/${outlet.id}/limits`, { pollutant_code: 'w01018', value: 50, unit: 'mg/L', basis: 'hour' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await admin.post(`/api/v1/enterprises/${ent.id}/points`, { outlet_id: outlet.id, mn: MN, name: '待办测试监测点', password: '123456' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  point = r.json;
  // The gateway's limits cache reloads every 10 s: send until the alarm opens.
  const d = await device(hjPort);
  await until(async () => {
    d.send(rtd());
    await d.reply();
    const a = await admin.get(`/api/v1/alarms?point_id=${point.id}`);
    return a.json.items.length > 0;
  }, 20000, 'the alarm');
  d.close();
  b = await openBrowser();
});
after(async () => { await b?.close(); await srv?.stop(); });

test('a monitor officer works an alarm from the to-do list', async () => {
  const { page } = b;
  await login(page, srv.base, 'monitor');
  await page.waitForSelector('[data-testid=nav-todo]');
  const badge = page.locator('[data-testid=nav-count-todo]');
  await badge.waitFor({ state: 'visible' });
  assert.ok(Number(await badge.textContent()) >= 1);
  await page.click('[data-testid=nav-todo]');
  const row = page.locator('[data-testid=todo-table] tr', { hasText: '长兴县待办测试纺织有限公司 · 待办测试监测点 · 超标预警' });
  await row.waitFor();
  assert.match(await row.textContent(), /超标预警/);
  assert.match(await row.textContent(), /待处理/);
  assert.match(await row.locator('[data-clock]').getAttribute('data-clock'), /^(on_track|due_soon|overdue)$/);
  await b.shot('todo-list');

  await row.locator('a').click();
  await page.waitForSelector('[data-testid=case-actions]');
  assert.equal(await page.getAttribute('[data-testid=case-state]', 'data-state'), 'open');
  assert.ok(await page.isVisible('[data-testid=case-action-pause]'));
  assert.ok(!(await page.isVisible('[data-testid=case-action-approve_extension]')));
  await b.shot('case-open');

  // Acknowledge: the note is required.
  await page.click('[data-testid=case-action-acknowledge]');
  await page.click('[data-testid=case-ok]');
  assert.match(await page.textContent('[data-testid=case-error]'), /必填/);
  await page.fill('[data-testid=case-note]', '已电话通知企业排查废水处理设施');
  await page.click('[data-testid=case-ok]');
  await page.waitForSelector('[data-testid=case-state][data-state=acknowledged]');
  assert.equal(await page.getAttribute('[data-testid=case-clock]', 'data-clock'), 'stopped');
  assert.match(await page.textContent('[data-testid=case-timeline]'), /已电话通知企业排查/);
  const a = await admin.get(`/api/v1/alarms?point_id=${point.id}&kind=early_warning`);
  assert.equal(a.json.items[0].status, 'acknowledged');
  assert.equal(a.json.items[0].ack_note, '已电话通知企业排查废水处理设施');
  // A file on the case.
  await page.setInputFiles('[data-testid=case-file]', { name: '现场照片说明.txt', mimeType: 'text/plain', buffer: Buffer.from('排口现场检查\n') });
  await page.waitForSelector('[data-testid=case-attachments] >> text=现场照片说明.txt');
  await b.shot('case-acknowledged');

  // Close from the case page: off the to-do list.
  await page.click('[data-testid=case-action-close]');
  await page.fill('[data-testid=case-note]', '企业已完成整改');
  await page.click('[data-testid=case-ok]');
  await page.waitForSelector('[data-testid=case-state][data-state=closed]');
  assert.equal(await page.textContent('[data-testid=case-actions]'), '当前没有您可执行的操作');
  await page.click('[data-testid=nav-todo]');
  await page.waitForSelector('[data-testid=todo-table]');
  assert.equal(await page.locator('[data-testid=todo-table] tr', { hasText: '长兴县待办测试纺织有限公司 · 待办测试监测点 · 超标预警' }).count(), 0);
  assert.deepEqual(b.errors, []);
});
