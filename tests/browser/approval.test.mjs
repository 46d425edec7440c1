// EIA approval in the browser: the demo enterprise checks a site and files a 报告表 under 告知承诺
// on 申报环评 (the check shows the route before anything is stored), uploads the checklist's
// documents on the application page; the approver accepts it and approves it with conditions;
// the enterprise sees the reminder card and the obligations and downloads the card (a PDF). A
// 容缺 acceptance from the page pauses the clock and lists the missing item; an overdue case is
// on the ledger (督办) and on the leader's to-do page; the figures draw their charts and the
// public page lists the decision. Screenshots at 1400 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, loginAs, sql } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, admin, approver, tmp, entId;
const SITE = { type: 'Point', coordinates: [120.17, 30.88] }; // 湖州南太湖新区产业集聚区（吴兴）, a key unit and a park with a plan EIA

before(async () => {
  srv = await startServer({ enterprises: 30 });
  b = await openBrowser();
  admin = await loginAs(srv.base, 'admin');
  approver = await loginAs(srv.base, 'approver');
  entId = (await loginAs(srv.base, 'enterprise')).user.enterprise_id;
  tmp = mkdtempSync(join(tmpdir(), 'envgov-eia-'));
  writeFileSync(join(tmp, '材料.pdf'), '%PDF-1.4\n% 环评申报材料（浏览器测试）\n');
});
after(async () => { await b?.close(); await srv?.stop(); if (tmp) rmSync(tmp, { recursive: true, force: true }); });

async function logout(page) {
  await page.evaluate(() => document.querySelector('[data-testid=user-menu]')?.click());
  await page.click('[data-testid=logout]');
  await page.waitForSelector('input[name=username]');
}

test('an enterprise files a 报告表 under 告知承诺, the approver approves it, the enterprise downloads the reminder card', async () => {
  const { page } = b;
  await login(page, srv.base, 'enterprise');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.goto(`${srv.base}/#/approval/new`);
  await page.fill('[data-testid=approval-name]', '年产 1500 万米面料织造项目');
  await page.fill('[data-testid=approval-industry]', '1713');
  await page.fill('[data-testid=approval-investment]', '5200');
  await page.fill('[data-testid=approval-lon]', '120.17');
  await page.fill('[data-testid=approval-lat]', '30.88');
  await page.check('[data-testid=approval-commitment] input[type=checkbox]');
  await page.click('[data-testid=approval-check]');
  await page.waitForSelector('[data-testid=approval-assess-route]');
  assert.match(await page.textContent('[data-testid=approval-assess-route]'), /告知承诺/);
  assert.match(await page.textContent('[data-testid=approval-assess-class]'), /报告表/);
  await b.shot('approval-new');
  await page.click('[data-testid=approval-submit]');
  await page.waitForSelector('[data-testid=approval-state]');
  assert.match(await page.textContent('[data-testid=approval-state]'), /待受理/);
  const id = Number(page.url().split('/').pop());
  assert.ok(id > 0);
  const a = (await approver.get(`/api/v1/approval/applications/${id}`)).json;
  for (const c of a.checklist.filter((x) => x.required)) {
    await page.setInputFiles(`[data-testid=upload-${c.code}]`, join(tmp, '材料.pdf'));
    await page.waitForSelector(`[data-testid=doc-${c.code}]`);
  }
  await b.shot('approval-application-filed');
  await logout(page);

  await login(page, srv.base, 'approver');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.goto(`${srv.base}/#/approval`);
  await page.waitForSelector(`[data-testid=approval-row-${id}]`);
  await page.click(`[data-testid=approval-row-${id}]`);
  await page.click('[data-testid=approval-accept]');
  await page.waitForSelector('[data-testid=approval-clock]');
  assert.match(await page.textContent('[data-testid=approval-state]'), /审查中/);
  assert.match(await page.textContent('[data-testid=approval-clock]'), /正常/);
  await page.click('[data-testid=approval-approve-btn]');
  await page.fill('[data-testid=approval-conditions]', '废水经预处理后纳管排放，落实总量替代');
  await page.click('[data-testid=approval-approve-submit]');
  await page.waitForSelector('[data-testid=approval-doc-eia_card]');
  assert.match(await page.textContent('[data-testid=approval-state]'), /已批准/);
  await b.shot('approval-application-approved');
  await logout(page);

  await login(page, srv.base, 'enterprise');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.goto(`${srv.base}/#/approval/applications/${id}`);
  await page.waitForSelector('[data-testid=approval-doc-eia_card]');
  assert.equal(await page.locator('[data-testid=approval-obligations] tbody tr').count(), 3);
  const href = await page.getAttribute('[data-testid=approval-doc-eia_card]', 'href');
  const head = await page.evaluate(async (u) => {
    const r = await fetch(u);
    const buf = new Uint8Array(await r.arrayBuffer());
    return String.fromCharCode(...buf.slice(0, 5));
  }, href);
  assert.equal(head, '%PDF-');
  // one obligation marked done from the page
  const first = page.locator('[data-testid^=obligation-done-]').first();
  await first.click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid^=obligation-done-]').length === 2);
  await page.setViewportSize({ width: 390, height: 844 });
  await b.shot('approval-enterprise-390');
  await page.setViewportSize({ width: 1400, height: 900 });
  await logout(page);
  assert.deepEqual(b.errors, []);
});

test('容缺 from the page pauses the clock; an overdue case is on the ledger and the leader\'s to-do', async () => {
  const { page } = b;
  let r = await approver.post('/api/v1/approval/applications', { enterprise_id: entId, project_name: '容缺受理测试项目', industry_code: '1713', geometry: SITE, commitment_signed: true });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const a = r.json;
  for (const c of a.checklist.filter((x) => x.required && x.code !== 'land_use')) {
    const fd = new FormData();
    fd.append('file', new Blob(['%PDF-1.4\nx'], { type: 'application/pdf' }), `${c.code}.pdf`);
    const up = await approver.post(`/api/v1/attachments?entity=eia_application&entity_id=${a.id}`, fd);
    await approver.post(`/api/v1/approval/applications/${a.id}/documents`, { code: c.code, attachment_id: up.json.id });
  }
  // an overdue one: a 报告书 accepted, its deadline passed, the sweep run
  r = await approver.post('/api/v1/approval/applications', { enterprise_id: entId, project_name: '超期化学品项目', industry_code: '2614', geometry: SITE });
  const o = r.json;
  for (const c of o.checklist.filter((x) => x.required)) {
    const fd = new FormData();
    fd.append('file', new Blob(['%PDF-1.4\nx'], { type: 'application/pdf' }), `${c.code}.pdf`);
    const up = await approver.post(`/api/v1/attachments?entity=eia_application&entity_id=${o.id}`, fd);
    await approver.post(`/api/v1/approval/applications/${o.id}/documents`, { code: c.code, attachment_id: up.json.id });
  }
  r = await approver.post(`/api/v1/approval/applications/${o.id}/accept`, {});
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const caseId = r.json.case_id;
  sql(srv.dir, `UPDATE cases SET due_at = '2026-01-05T16:00:00Z', soon_at = '2026-01-04T16:00:00Z', sort_at = '2026-01-05T16:00:00Z' WHERE id = ${r.json.case_id}`);
  assert.equal((await admin.post('/api/v1/jobs/cases.escalate/run', {})).status, 202);
  for (let i = 0; i < 100 && !sql(srv.dir, `SELECT COALESCE(escalated_at, '') FROM cases WHERE id = ${r.json.case_id}`); i++) {
    await new Promise((res) => setTimeout(res, 100));
  }

  await login(page, srv.base, 'approver');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.goto(`${srv.base}/#/approval/applications/${a.id}`);
  await page.click('[data-testid=approval-accept]');
  await page.click('[data-testid=confirm-yes]');
  await page.waitForSelector('[data-testid=approval-missing]');
  assert.match(await page.textContent('[data-testid=approval-clock]'), /暂停/);
  assert.match(await page.textContent('[data-testid=approval-missing]'), /待补正/);
  assert.equal(await page.locator('[data-testid=approval-approve-btn]').count(), 0, 'the approval waits for the missing item');
  await b.shot('approval-missing');
  await page.goto(`${srv.base}/#/approval/ledger?clock=overdue`);
  await page.waitForSelector(`[data-testid=ledger-row-${o.id}]`);
  assert.match(await page.textContent(`[data-testid=ledger-row-${o.id}]`), /督办/);
  assert.match(await page.textContent(`[data-testid=ledger-clock-${o.id}]`), /已超期/);
  await b.shot('approval-ledger');
  await page.goto(`${srv.base}/#/approval/stats`);
  await page.waitForSelector('[data-testid=chart-route] canvas');
  await page.waitForSelector('[data-testid=chart-month] canvas');
  await b.shot('approval-stats');
  await logout(page);

  await login(page, srv.base, 'leader');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.goto(`${srv.base}/#/todo`);
  await page.waitForSelector(`[data-testid=todo-item-${caseId}]`);
  assert.match(await page.textContent(`[data-testid=todo-item-${caseId}]`), /超期化学品项目/);
  await b.shot('approval-leader-todo');
  await logout(page);

  await page.goto(`${srv.base}/#/public/approval`);
  await page.waitForSelector('[data-testid=public-approval]');
  assert.match(await page.textContent('[data-testid=public-approval]'), /年产 1500 万米面料织造项目/);
  await b.shot('approval-public');
  assert.deepEqual(b.errors, []);
});

test('an approver holds a collective review session from its page and closes it', async () => {
  const { page } = b;
  let r = await approver.post('/api/v1/approval/applications', { enterprise_id: entId, project_name: '集中评审浏览器项目', industry_code: '2614', geometry: SITE });
  const a = r.json;
  for (const c of a.checklist.filter((x) => x.required)) {
    const fd = new FormData();
    fd.append('file', new Blob(['%PDF-1.4\nx'], { type: 'application/pdf' }), `${c.code}.pdf`);
    const up = await approver.post(`/api/v1/attachments?entity=eia_application&entity_id=${a.id}`, fd);
    await approver.post(`/api/v1/approval/applications/${a.id}/documents`, { code: c.code, attachment_id: up.json.id });
  }
  assert.equal((await approver.post(`/api/v1/approval/applications/${a.id}/accept`, {})).status, 200);
  await login(page, srv.base, 'approver');
  await page.waitForSelector('nav.nav a', { state: 'attached' });
  await page.goto(`${srv.base}/#/approval/sessions`);
  await page.click('[data-testid=session-new]');
  await page.fill('[data-testid=session-title]', '化工类报告书分类集中评审');
  await page.fill('[data-testid=session-experts]', '张教授 正高级工程师 浙江大学\n李工 高级工程师 省环科院');
  await page.check(`[data-testid=session-apps] input[value="${a.id}"]`);
  await page.click('[data-testid=session-submit]');
  await page.waitForSelector('[data-testid^=session-state-]');
  assert.match(await page.textContent('[data-testid=sessions-table]'), /张教授/);
  assert.equal((await approver.get(`/api/v1/approval/applications/${a.id}`)).json.clock, 'paused');
  await b.shot('approval-sessions');
  await page.click('[data-testid^=session-close-]');
  await page.fill('[data-testid=session-opinion]', '原则通过');
  await page.click('[data-testid=session-close-submit]');
  await page.waitForFunction(() => /已结束/.test(document.querySelector('[data-testid^=session-state-]')?.textContent || ''));
  assert.equal((await approver.get(`/api/v1/approval/applications/${a.id}`)).json.clock, 'on_track');
  await logout(page);
  assert.deepEqual(b.errors, []);
});
