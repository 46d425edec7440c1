// Penalties in the browser: an inspector opens a case page, chooses each factor's level and sees
// the advisory amount and its reasoning worked out live, is refused a departure without a
// reason and saves one with it; the no-penalty check shows each item condition by condition;
// the public decisions page and the risk-point list open without signing in (1280 and 390 px).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, sql, chinaToday } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, caseId, decidedId, entId;
const today = chinaToday();

function problem(ent, vt, found) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return Number(sql(srv.dir, `INSERT INTO problems (enterprise_id, region_code, level, source_kind, category, description, violation_type, found_on, created_at, updated_at)
    VALUES (${ent.id}, '${ent.region_code}', 'enforcement', 'manual', 'ledger', '环境管理台账缺记生产设施运行记录', '${vt}', '${found}', '${now}', '${now}') RETURNING id`).split('\n')[0]);
}

before(async () => {
  srv = await startServer({ enterprises: 30 });
  const admin = await loginAs(srv.base, 'admin');
  const leader = await loginAs(srv.base, 'leader');
  const next = Number(today.slice(0, 4)) + 1;
  if ((await admin.get(`/api/v1/calendar/${next}`)).status !== 200) {
    await admin.put(`/api/v1/calendar/${next}`, { year: next, source: 'browser test', holidays: [{ name: '元旦', from: `${next}-01-01`, to: `${next}-01-01` }], workdays: [] });
  }
  const ents = (await admin.get('/api/v1/enterprises?limit=5')).json.items;
  entId = ents[0].id;
  let r = await admin.post(`/api/v1/problems/${problem(ents[0], 'ledger', today)}/penalty`, {});
  assert.equal(r.status, 201, JSON.stringify(r.json));
  caseId = r.json.id;
  // a decided, published case for the public page
  r = await admin.post(`/api/v1/problems/${problem(ents[1], 'ledger', today)}/penalty`, {});
  decidedId = r.json.id;
  const levels = { harm: 'minor', fault: 'negligent', means: 'ordinary', object: 'ordinary', repetition: 'first', rectification: 'on_time' };
  await admin.post(`/api/v1/penalty/cases/${decidedId}/transitions`, { action: 'investigate' });
  await admin.put(`/api/v1/penalty/cases/${decidedId}/discretion`, { levels });
  await admin.post(`/api/v1/penalty/cases/${decidedId}/transitions`, { action: 'notify' });
  r = await leader.post(`/api/v1/penalty/cases/${decidedId}/transitions`, { action: 'decide', waived: true, publish: true });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  b = await openBrowser();
});
after(async () => { await b?.close(); await srv?.stop(); });

test('the calculator works the advisory amount out live; a departure needs a reason; the no-penalty check item by item', async () => {
  const { page } = b;
  await page.setViewportSize({ width: 1280, height: 900 });
  await login(page, srv.base, 'admin');
  await page.waitForSelector('[data-testid=nav]', { state: 'attached' }).catch(() => {});
  await page.goto(`${srv.base}/#/penalty`);
  await page.waitForSelector(`[data-testid=penalty-${caseId}]`);
  await b.shot('penalty-list-1280');
  await page.goto(`${srv.base}/#/penalty/cases/${caseId}`);
  await page.waitForSelector('[data-testid=calculator]');
  for (const [f, l] of Object.entries({ harm: 'general', fault: 'gross', means: 'ordinary', object: 'ordinary', repetition: 'first', rectification: 'on_time' })) {
    await page.selectOption(`[data-testid=level-${f}]`, l);
  }
  // ledger: 5000–20000; share 0.36 → 5000 + 15000 × 0.36 = 10400
  await page.waitForSelector('[data-testid=advisory-amount][data-value="10400"]');
  assert.match(await page.textContent('[data-testid=reasoning]'), /裁量比例 = 0\.360/);
  await page.selectOption('[data-testid=mitigation]', 'lighter');
  await page.selectOption('[data-testid=ground]', 'cooperative');
  // share 0.36 × 0.5 = 0.18 → 5000 + 2700 = 7700
  await page.waitForSelector('[data-testid=advisory-amount][data-value="7700"]');
  assert.equal(await page.inputValue('[data-testid=amount-yuan]'), '7700', 'the amount follows the advisory one');
  await page.fill('[data-testid=amount-yuan]', '7000');
  await page.click('[data-testid=save-discretion]');
  await page.waitForSelector('[data-testid=save-error]');
  assert.match(await page.textContent('[data-testid=save-error]'), /理由|reason/);
  await page.fill('[data-testid=departure-reason]', '当事人主动配合调查并当场改正，酌情下调');
  await page.click('[data-testid=save-discretion]');
  await page.waitForFunction(() => !document.querySelector('[data-testid=save-error]'));
  await page.waitForSelector('[data-testid=exempt-check]');
  const d = await (await page.request.get(`${srv.base}/api/v1/penalty/cases/${caseId}`)).json();
  assert.equal(d.case.amount_yuan, 7000);
  assert.equal(d.case.mitigation, 'lighter');
  // the no-penalty check: the ledger item applies, its conditions each with a verdict
  const item = page.locator('[data-testid=exempt-ledger_minor]');
  assert.equal(await item.getAttribute('data-applies'), '1');
  assert.ok(await item.locator('[data-verdict]').count() >= 3);
  assert.equal(await item.locator('[data-fact=corrected_days]').getAttribute('data-verdict'), 'fail');
  assert.equal(await page.locator('[data-testid=exempt-first_air_exceed]').getAttribute('data-applies'), '0');
  await b.shot('penalty-case-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.waitForSelector('[data-testid=calculator]');
  await b.shot('penalty-case-390');
  // the enterprise page's tab lists the firm's cases
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${srv.base}/#/enterprises/${entId}?tab=penalty`);
  await page.waitForSelector('[data-testid=penalty-tab]');
  assert.match(await page.textContent('[data-testid=penalty-tab]'), /未建立环境管理台账/);
  // the engine's case page links back to the penalty case
  await page.goto(`${srv.base}/#/cases/${d.case.case_id}`);
  await page.click('[data-testid=case-subject]');
  await page.waitForFunction((id) => location.hash === `#/penalty/cases/${id}`, caseId);
  assert.deepEqual(b.errors, []);
});

test('the public decisions and the risk-point list without signing in', async () => {
  const ctx = await b.ctx.browser()?.newContext?.() ?? null;
  const page = ctx ? await ctx.newPage() : await b.ctx.newPage();
  await page.context().clearCookies();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${srv.base}/#/public/penalties`);
  await page.waitForSelector(`[data-testid=public-${decidedId}]`);
  assert.equal(await page.locator(`[data-testid=public-${caseId}]`).count(), 0, 'undecided: not public');
  await page.screenshot({ path: 'test-output/browser/penalty-public-1280.png' });
  await page.click(`[data-testid=public-${decidedId}] a`);
  await page.waitForSelector('[data-testid=public-decision]');
  await page.goto(`${srv.base}/#/public/risk-points`);
  await page.waitForSelector('[data-testid="risk-industry-*"]');
  assert.ok(await page.locator('[data-testid="risk-*-hw_label"]').count() === 1);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-output/browser/penalty-risk-390.png' });
  // the list of one industry: its division's items and the common ones, not another division's
  assert.equal(await page.locator('[data-testid=risk-industry-13]').count(), 1);
  await page.selectOption('[data-testid=risk-industry]', '22');
  await page.waitForFunction(() => /industry=22/.test(location.hash) && !document.querySelector('[data-testid=risk-industry-13]'));
  assert.equal(await page.locator('[data-testid=risk-industry-22]').count(), 1);
  assert.equal(await page.locator('[data-testid="risk-industry-*"]').count(), 1);
  await page.close();
});
