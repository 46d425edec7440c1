// Forms and errors as a bureau officer meets them (issue 19): a save with several bad fields
// shows every problem at once beside its field with a summary on top, and editing a field
// clears its message; leaving a form with unsaved edits asks first and "cancel" stays; in
// English no Chinese error text; a network failure or a 500 shows a message in the user's
// language with a 重试 that works; the table's busy caption never covers its header.
// Screenshots go to test-output/browser/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, usccWithCheck } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b;
const CJK = /[\u3400-\u9fff\uff00-\uffef]/;
const good = usccWithCheck('91330522MA7FM0901');
const badCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');

before(async () => { srv = await startServer(); b = await openBrowser(); await login(b.page, srv.base, 'approver'); await b.page.waitForSelector('[data-testid=who]'); });
after(async () => { await b?.close(); await srv?.stop(); });

const errText = (name) => b.page.textContent(`[data-testid=err-${name}]`);

async function openNewForm() {
  const { page } = b;
  await page.goto(`${srv.base}/#/enterprises/new`);
  await page.waitForSelector('input[name=uscc]');
}

test('an empty name and a wrong USCC: both shown at once, beside their fields', async () => {
  const { page } = b;
  await openNewForm();
  await page.fill('input[name=uscc]', badCheck);
  await page.selectOption('select[name=region_code]', '330522');
  await page.fill('input[name=industry_code]', '1713');
  await page.click('[data-testid=save]');
  await page.waitForSelector('[data-testid=err-uscc]:not(:empty)');
  assert.ok((await errText('name')).length > 0, 'the name has its message too');
  assert.match(await errText('uscc'), new RegExp(`第18位应为 ${good[17]}（现为 ${badCheck[17]}）`));
  assert.equal(await page.locator('[data-testid=form-error] li').count(), 2);
  await b.shot('form-two-errors');
  // Editing a field takes its message (and its line in the summary) away.
  await page.fill('input[name=name]', '长兴县表单测试印染有限公司');
  assert.equal(await errText('name'), '');
  assert.equal(await page.locator('[data-testid=form-error] li').count(), 1);
});

test("the server's problems: every one beside its field (unknown industry, latitude out of range)", async () => {
  const { page } = b;
  await openNewForm();
  await page.fill('input[name=name]', '长兴县表单测试二号有限公司');
  await page.fill('input[name=uscc]', good);
  await page.selectOption('select[name=region_code]', '330522');
  await page.fill('input[name=industry_code]', '9999');
  await page.fill('input[name=lat]', '123');
  await page.click('[data-testid=save]');
  await page.waitForSelector('[data-testid=err-lat]:not(:empty)');
  assert.match(await errText('industry_code'), /9999/);
  assert.match(await errText('lat'), /纬度应在 -90 到 90 之间/);
  assert.equal(await page.locator('[data-testid=form-error] li').count(), 2);
  // The first problem has the focus.
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'industry_code');
  await b.shot('form-server-errors');
});

test('leaving a form with unsaved edits asks; cancel stays, leave goes', async () => {
  const { page } = b;
  await openNewForm();
  await page.fill('input[name=name]', '未保存的企业名称');
  await page.click('[data-testid=nav-enterprises]');
  await page.waitForSelector('[data-testid=confirm-dialog]');
  await b.shot('form-unsaved-ask');
  await page.click('[data-testid=confirm-dialog] [data-testid=dialog-close]');
  await page.waitForSelector('[data-testid=confirm-dialog]', { state: 'detached' });
  assert.match(page.url(), /#\/enterprises\/new$/);
  assert.equal(await page.inputValue('input[name=name]'), '未保存的企业名称');
  await page.click('[data-testid=nav-enterprises]');
  await page.click('[data-testid=confirm-yes]');
  await page.waitForSelector('[data-testid=enterprise-table]');
  assert.match(page.url(), /#\/enterprises$/);
  // Without edits nothing is asked.
  await openNewForm();
  await page.click('[data-testid=nav-enterprises]');
  await page.waitForSelector('[data-testid=enterprise-table]');
  assert.equal(await page.locator('[data-testid=confirm-dialog]').count(), 0);
});

test('a dialog with unsaved edits asks before it closes (Escape, cancel)', async () => {
  const { page } = b;
  const dlg = '[data-testid=agency-dialog]';
  await page.goto(`${srv.base}/#/agencies`);
  await page.click('[data-testid=new-agency]');
  await page.waitForSelector(`${dlg} input[name=name]`);
  await page.fill(`${dlg} input[name=name]`, '未保存的机构');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=confirm-dialog]');
  await page.click('[data-testid=confirm-dialog] [data-testid=dialog-close]');
  await page.waitForSelector('[data-testid=confirm-dialog]', { state: 'detached' });
  assert.equal(await page.inputValue(`${dlg} input[name=name]`), '未保存的机构');
  await page.click(`${dlg} [data-testid=cancel]`);
  await page.click('[data-testid=confirm-yes]');
  await page.waitForSelector(dlg, { state: 'detached' });
  assert.equal(await page.locator('[data-testid=confirm-dialog]').count(), 0);
});

test('a half-filled add form on the enterprise page asks before a tab switch', async () => {
  const { page } = b;
  await page.goto(`${srv.base}/#/enterprises/1?tab=outlets`);
  await page.click('[data-testid=add-outlet]');
  await page.fill('[data-testid=add-outlet-panel] input[name=name]', '未保存的排放口');
  await page.click('[data-testid=tab-points]');
  await page.waitForSelector('[data-testid=confirm-dialog]');
  await page.click('[data-testid=confirm-dialog] [data-testid=dialog-close]');
  assert.equal(await page.inputValue('[data-testid=add-outlet-panel] input[name=name]'), '未保存的排放口');
  await page.click('[data-testid=tab-points]');
  await page.click('[data-testid=confirm-yes]');
  await page.waitForSelector('[data-testid=add-outlet-panel]', { state: 'detached' });
});

test('in English the errors are English only and name the field in words', async () => {
  const { page } = b;
  await page.goto(`${srv.base}/#/enterprises`);
  await page.click('[data-testid=lang]');
  await page.waitForSelector('h1:has-text("Enterprises")');
  await openNewForm();
  await page.fill('input[name=uscc]', badCheck);
  await page.click('[data-testid=save]');
  await page.waitForSelector('[data-testid=err-uscc]:not(:empty)');
  assert.equal(await errText('uscc'), `Unified social credit code: check character should be ${good[17]} (got ${badCheck[17]})`);
  await page.fill('input[name=name]', 'Test Dyeing Co');
  await page.fill('input[name=uscc]', good);
  await page.selectOption('select[name=region_code]', '330522');
  await page.fill('input[name=industry_code]', '9999');
  await page.fill('input[name=lng]', '500');
  await page.click('[data-testid=save]');
  await page.waitForSelector('[data-testid=err-lng]:not(:empty)');
  assert.equal(await errText('lng'), 'Longitude: must be between -180 and 180');
  const all = await page.textContent('[data-testid=enterprise-form]');
  const errs = await page.$$eval('.err, [data-testid=form-error]', (els) => els.map((e) => e.textContent).join(' | '));
  assert.ok(!CJK.test(errs), `Chinese in English error text: ${errs}`);
  assert.ok(all.length > 0);
  await b.shot('form-errors-english');
  await page.click('[data-testid=lang]');
  await page.waitForSelector('[data-testid=confirm-dialog]');
  await page.click('[data-testid=confirm-yes]');
  await page.waitForSelector('h1:has-text("新建企业")');
});

test('a network failure shows the message in the user’s language, and 重试 works', async () => {
  const { page } = b;
  await page.route('**/api/v1/enterprises/1', (route) => route.abort('internetdisconnected'));
  await page.goto(`${srv.base}/#/enterprises/1`);
  await page.waitForSelector('[data-testid=error]');
  assert.match(await page.textContent('[data-testid=error]'), /网络连接失败，请检查网络后重试/);
  await b.shot('network-error');
  await page.unroute('**/api/v1/enterprises/1');
  await page.click('[data-testid=error] [data-testid=retry]');
  await page.waitForSelector('[data-testid=enterprise-name]');
});

test('a 500 shows a message of our own with 重试', async () => {
  const { page } = b;
  await page.route('**/api/v1/enterprises/2', (route) => route.fulfill({ status: 500, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'internal', message: '服务器内部错误 / internal error', field: null, request_id: 'r-1' } }) }));
  await page.goto(`${srv.base}/#/enterprises/2`);
  await page.waitForSelector('[data-testid=error]');
  assert.match(await page.textContent('[data-testid=error]'), /服务器出错（500），请稍后重试/);
  await page.unroute('**/api/v1/enterprises/2');
  await page.click('[data-testid=error] [data-testid=retry]');
  await page.waitForSelector('[data-testid=enterprise-name]');
});

test('a page module that fails to load: the network message and a retry that loads it', async () => {
  const { page } = b;
  await page.route('**/js/registry/permits.js', (route) => route.abort('internetdisconnected'));
  await page.goto(`${srv.base}/#/permits`);
  await page.waitForSelector('[data-testid=error]');
  const text = await page.textContent('[data-testid=error]');
  assert.match(text, /网络连接失败，请检查网络后重试/);
  assert.ok(!/dynamically imported module/.test(text), text);
  await page.unroute('**/js/registry/permits.js');
  await page.click('[data-testid=error] [data-testid=retry]');
  await page.waitForSelector('h1:has-text("排污许可证")');
  assert.deepEqual(b.errors, []);
});

test('the import confirmation has a real title', async () => {
  const { page } = b;
  await page.goto(`${srv.base}/#/enterprises`);
  await page.click('[data-testid=import]');
  const csv = `统一社会信用代码,名称,行政区划代码,行业代码,监管类别\r\n${usccWithCheck('91330522MA7FM0902')},导入标题测试有限公司,330522,1713,一般\r\n`;
  await page.setInputFiles('[data-testid=import-file]', { name: 'one.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.click('[data-testid=import-dry]');
  await page.waitForSelector('[data-testid=import-result]');
  await page.click('[data-testid=import-go]');
  await page.waitForSelector('[data-testid=confirm-dialog]');
  assert.equal(await page.textContent('[data-testid=confirm-dialog] h2'), '确认导入企业');
  await page.click('[data-testid=confirm-dialog] [data-testid=dialog-close]');
});

test("the table's busy caption is not drawn over its header", async () => {
  const { page } = b;
  await page.goto(`${srv.base}/#/enterprises`);
  await page.waitForSelector('[data-testid=enterprise-table] tbody tr td a');
  const display = await page.$eval('.table-progress .caption', (el) => getComputedStyle(el).display);
  assert.equal(display, 'none');
});
