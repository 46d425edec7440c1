// 三线一单 zoning in the browser: the enterprise user opens 选址准入研判 from its menu, sees the
// demo edition's units drawn, clicks the map inside the 长兴 development zone, gives a chemical
// industry code and sees the verdict with each reason citing its unit and item; typing a point
// on the line the zone shares with the 太湖 shore lists both units and the sensitive-area notice;
// it records a pre-consultation for its own enterprise and opens it (the notice and the PDF
// link); the admin imports a GeoJSON edition with a bowtie and reads the error naming the
// feature, then a good one, and finds the enterprise's consultation in the enterprise page's
// 提前介入 tab. Screenshots at 1400 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, loginAs } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

let srv, b, tmp, entId;

before(async () => {
  srv = await startServer({ enterprises: 20 });
  b = await openBrowser();
  tmp = mkdtempSync(join(tmpdir(), 'zoning-browser-'));
  entId = (await loginAs(srv.base, 'enterprise')).user.enterprise_id;
});
after(async () => { await b?.close(); await srv?.stop(); if (tmp) rmSync(tmp, { recursive: true, force: true }); });

// The page position of a lon/lat on the drawing (the SVG's own projection: viewBox scaled).
async function mapPoint(page, testid, lon, lat) {
  return page.evaluate(({ testid, lon, lat }) => {
    const svg = document.querySelector(`[data-testid=${testid}]`);
    const [, , W, H] = svg.getAttribute('viewBox').split(' ').map(Number);
    const ext = JSON.parse(svg.dataset.extent);
    const pt = svg.createSVGPoint();
    pt.x = ((lon - ext[0]) / (ext[2] - ext[0])) * W;
    pt.y = H - ((lat - ext[1]) / (ext[3] - ext[1])) * H;
    const s = pt.matrixTransform(svg.getScreenCTM());
    return { x: s.x, y: s.y };
  }, { testid, lon, lat });
}

test('an enterprise user checks a site and sees the verdict and its reasons', async () => {
  const { page } = b;
  await login(page, srv.base, 'enterprise');
  await page.waitForSelector('nav');
  await page.click('nav a[href="#/zoning/check"]');
  await page.waitForSelector('[data-testid=zoning-map] path.zn-unit');
  assert.equal(await page.locator('[data-testid=zoning-map] path.zn-unit').count(), 15);
  await page.fill('[data-testid=zoning-industry]', 'C2614');
  const p = await mapPoint(page, 'zoning-map', 119.965, 31.0);
  await page.mouse.click(p.x, p.y);
  await page.waitForSelector('[data-testid=zoning-verdict]');
  assert.equal(await page.textContent('[data-testid=zoning-verdict]'), '有条件准入');
  const units = await page.textContent('[data-testid=zoning-units-touched]');
  assert.match(units, /ZH33052220001/);
  assert.match(units, /长兴经济技术开发区/);
  const reasons = await page.textContent('[data-testid=zoning-reasons]');
  assert.match(reasons, /ZH33052220001 · 条目 1\.3/);
  assert.match(reasons, /化工集聚区/);
  assert.equal(await page.locator('path.zn-unit.zn-hit').count(), 1);
  await b.shot('zoning-check-inside');

  await page.fill('[data-testid=zoning-lon]', '119.96');
  await page.fill('[data-testid=zoning-lat]', '31.04');
  await page.click('[data-testid=zoning-check]');
  await page.waitForFunction(() => document.querySelector('[data-testid=zoning-verdict]')?.textContent === '禁止准入');
  const both = await page.textContent('[data-testid=zoning-units-touched]');
  assert.match(both, /ZH33052210001[\s\S]*位于边界上[\s\S]*ZH33052220001[\s\S]*位于边界上/);
  assert.ok(await page.isVisible('[data-testid=zoning-sensitive]'));
  await b.shot('zoning-check-border');

  // a drawn polygon across the zone and the shore: both overlap
  await page.selectOption('[data-testid=zoning-mode]', 'polygon');
  for (const [x, y] of [[119.95, 31.03], [119.97, 31.03], [119.97, 31.05], [119.95, 31.05]]) {
    const q = await mapPoint(page, 'zoning-map', x, y);
    await page.mouse.click(q.x, q.y);
  }
  await page.click('[data-testid=zoning-check]');
  await page.waitForFunction(() => /部分涉及[\s\S]*部分涉及/.test(document.querySelector('[data-testid=zoning-units-touched]')?.textContent || ''));
  assert.equal(await page.locator('[data-testid=zoning-site]').count(), 1);
  assert.equal(await page.locator('path.zn-unit.zn-hit').count(), 2);
  await b.shot('zoning-check-polygon');
  await page.selectOption('[data-testid=zoning-mode]', 'point');
  await page.setViewportSize({ width: 390, height: 844 });
  await b.shot('zoning-check-390');
  await page.setViewportSize({ width: 1400, height: 900 });
  assert.deepEqual(b.errors, []);
});

test('the enterprise records a pre-consultation for itself and opens its notice', async () => {
  const { page } = b;
  await page.goto(`${srv.base}/#/zoning/consults`);
  await page.click('[data-testid=consult-new]');
  await page.fill('[data-testid=consult-project]', '新建水性涂料生产线');
  await page.fill('[data-testid=consult-builder]', '本企业');
  await page.fill('[data-testid=consult-industry]', 'C2641');
  await page.fill('[data-testid=consult-lon]', '119.965');
  await page.fill('[data-testid=consult-lat]', '31.0');
  await page.click('[data-testid=consult-submit]');
  await page.waitForSelector('[data-testid=consult-notice]');
  assert.match(await page.textContent('[data-testid=consult-notice]'), /新建水性涂料生产线/);
  assert.match(await page.textContent('[data-testid=consult-answer]'), /ZH33052220001/);
  assert.ok(await page.isVisible('[data-testid=consult-pdf]'));
  await b.shot('zoning-consult');
  assert.deepEqual(b.errors, []);
});

test('the admin imports an edition: a bowtie is refused naming the feature, then a good file', async () => {
  const { page } = b;
  await page.click('[data-testid=logout]');
  await page.waitForSelector('input[name=username]');
  await login(page, srv.base, 'admin');
  await page.waitForSelector('nav');
  await page.goto(`${srv.base}/#/zoning/editions`);
  await page.waitForSelector('[data-testid=zoning-editions]');
  const f = (geometry) => ({ type: 'Feature', geometry, properties: { code: 'ZHB1', name: '测试单元', kind: 'general', region: '330522', items: [] } });
  const bowtie = { type: 'FeatureCollection', edition: { code: 'B-1' }, features: [f({ type: 'Polygon', coordinates: [[[120, 30], [120.1, 30.1], [120.1, 30], [120, 30.1], [120, 30]]] })] };
  writeFileSync(join(tmp, 'bad.geojson'), JSON.stringify(bowtie));
  await page.click('[data-testid=zoning-import]');
  await page.setInputFiles('[data-testid=zoning-import-file]', join(tmp, 'bad.geojson'));
  await page.click('[data-testid=zoning-import-submit]');
  await page.waitForFunction(() => /Self-intersection/.test(document.querySelector('[data-testid=zoning-import-dialog]')?.textContent || ''));
  assert.match(await page.textContent('[data-testid=zoning-import-dialog]'), /第 1 个要素（ZHB1）：几何图形无效/);
  await b.shot('zoning-import-error');
  const good = { ...bowtie, features: [f({ type: 'Polygon', coordinates: [[[120, 30], [120.1, 30], [120.1, 30.1], [120, 30.1], [120, 30]]] })] };
  writeFileSync(join(tmp, 'good.geojson'), JSON.stringify(good));
  await page.setInputFiles('[data-testid=zoning-import-file]', join(tmp, 'good.geojson'));
  await page.uncheck('input[name=enact]');
  await page.click('[data-testid=zoning-import-submit]');
  await page.waitForSelector('[data-testid=zoning-import-ok]');
  assert.match(await page.textContent('[data-testid=zoning-import-ok]'), /已导入 1 个单元/);
  await page.waitForSelector('[data-testid=zoning-edition-state-B-1]');
  assert.equal(await page.textContent('[data-testid=zoning-edition-state-B-1]'), '历史');
  assert.equal(await page.textContent('[data-testid=zoning-edition-state-HZ-2024]'), '现行');
  await b.shot('zoning-editions');
  await page.goto(`${srv.base}/#/zoning/units`);
  await page.waitForSelector('[data-testid=zoning-unit-row-ZH33052220001]');
  await page.click('[data-testid=zoning-unit-row-ZH33052220001]');
  await page.waitForSelector('[data-testid=zoning-unit-items]');
  assert.match(await page.textContent('[data-testid=zoning-unit-items]'), /化工集聚区/);
  await b.shot('zoning-unit');
  // the enterprise's page lists the consultation it recorded, in its 提前介入 tab
  await page.goto(`${srv.base}/#/enterprises/${entId}`);
  await page.click('[data-testid=tab-zoning]');
  await page.waitForSelector('[data-testid=zoning-tab]');
  assert.match(await page.textContent('[data-testid=zoning-tab]'), /新建水性涂料生产线[\s\S]*有条件准入/);
  assert.deepEqual(b.errors, []);
});
