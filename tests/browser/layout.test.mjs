// Phone and narrow-screen layout (issue 19): for each kind of user, at 390 × 844 (a phone) and
// 1100 × 800 (a small laptop), every page of their navigation plus an enterprise's detail, a
// monitoring point's page and (staff) a firm's emergency grade and sheet: the page never scrolls
// sideways, the top bar's items and a page's heading, actions, filters and table headers do not
// overlap, search placeholders fit their boxes, charts fill their boxes after a resize. At 390
// the navigation is a drawer behind the menu button and the user's controls a menu under the
// avatar. The pager shows the total, "page N of M" and jumps to a page. Screenshots go to
// test-output/browser/layout-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startServer, BIN } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1100, height: 800 };
const TABLET = { width: 768, height: 1024 };

let srv, b;
before(async () => { srv = await startServer(); b = await openBrowser(); });
after(async () => { await b?.close(); await srv?.stop(); });

// Wait until the page's data is drawn: a heading, no spinner, no table still loading, and two
// frames for charts to follow their boxes.
async function settle(page) {
  await page.waitForSelector('main h1, main .banner.error');
  await page.waitForFunction(() => !document.querySelector('main .loading-block, main td.loading, main .table-wrap.busy'));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

// Everything wrong with the layout of the page on screen, as a list of messages (empty: fine).
async function layoutProblems() {
  const out = [];
  const de = document.documentElement;
  if (de.scrollWidth > de.clientWidth) out.push(`page scrolls sideways: scrollWidth ${de.scrollWidth} > ${de.clientWidth}`);
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const name = (el) => el.dataset.testid || el.className || el.tagName;
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const apart = (where, els) => {
    const rs = els.filter(shown).map((el) => [el, el.getBoundingClientRect()]);
    for (let i = 0; i < rs.length; i++) {
      for (let j = i + 1; j < rs.length; j++) {
        if (hit(rs[i][1], rs[j][1])) out.push(`${where}: ${name(rs[i][0])} overlaps ${name(rs[j][0])}`);
      }
    }
  };
  const top = document.querySelector('.topbar');
  if (top) {
    const items = [...top.children].flatMap((el) => (getComputedStyle(el).display === 'contents' ? [...el.children] : [el]))
      .filter((el) => !el.classList.contains('spacer'));
    apart('top bar', items);
    for (const el of items.filter(shown)) {
      const r = el.getBoundingClientRect();
      if (r.left < 0 || r.right > innerWidth) out.push(`top bar: ${name(el)} off screen (${r.left}..${r.right})`);
    }
    const h1 = document.querySelector('main h1');
    if (h1 && scrollY === 0 && !document.querySelector('.modal-back')) {
      const r = h1.getBoundingClientRect();
      if (r.top < top.getBoundingClientRect().bottom) out.push('heading under the top bar');
      const at = document.elementFromPoint(Math.min(r.left + 8, innerWidth - 1), r.top + r.height / 2);
      if (!h1.contains(at)) out.push(`heading covered by ${at && name(at)}`);
    }
  }
  for (const el of document.querySelectorAll('main .page-head, main .toolbar, main .pager, main .section-head, main .panel-head')) {
    apart(name(el), [...el.children].filter((c) => !c.classList.contains('spacer')));
  }
  for (const grid of document.querySelectorAll('.form .grid')) apart('form', [...grid.children]);
  for (const el of document.querySelectorAll('.form-actions, .modal-head, .modal-foot')) apart(name(el), [...el.children]);
  for (const m of document.querySelectorAll('.modal')) {
    const r = m.getBoundingClientRect();
    if (r.left < 0 || r.right > innerWidth) out.push(`dialog ${name(m)} off screen (${r.left}..${r.right})`);
    const body = m.querySelector('.modal-body');
    if (body.scrollWidth > body.clientWidth) out.push(`dialog ${name(m)} scrolls sideways`);
  }
  for (const table of document.querySelectorAll('main table.data')) {
    if (shown(table)) apart(`${table.dataset.testid || 'table'} header`, [...table.querySelectorAll('thead th')]);
  }
  // A placeholder must fit the box it is in: put its text in as the value (so a search box's
  // clear button takes its place too) and see whether the text overflows.
  for (const input of document.querySelectorAll('main input[placeholder]')) {
    if (!shown(input) || input.value) continue;
    input.value = input.placeholder;
    if (input.scrollWidth > input.clientWidth) out.push(`placeholder "${input.placeholder}" does not fit its ${input.clientWidth} px box`);
    input.value = '';
  }
  // Charts fill their boxes, and their texts (axis labels, values, legends) neither overlap nor
  // leave the canvas. ECharts draws them on the canvas; its scene graph knows where.
  const charts = [...document.querySelectorAll('main [_echarts_instance_]')].filter(shown);
  const echarts = charts.length ? await import('/vendor/echarts.esm.min.js') : null;
  for (const el of charts) {
    const c = el.querySelector('canvas');
    if (c && Math.abs(c.getBoundingClientRect().width - el.clientWidth) > 2) {
      out.push(`chart ${name(el)} is ${c.getBoundingClientRect().width} px wide in a ${el.clientWidth} px box`);
    }
    const texts = [];
    for (const d of echarts.getInstanceByDom(el)?.getZr().storage.getDisplayList(true) || []) {
      if (d.type !== 'tspan' || d.ignore || d.invisible || !d.style.text) continue;
      const r = d.getBoundingRect().clone();
      r.applyTransform(d.getComputedTransform());
      texts.push({ text: d.style.text, owner: d.parent, left: r.x, top: r.y, right: r.x + r.width, bottom: r.y + r.height });
    }
    for (let i = 0; i < texts.length; i++) {
      const a = texts[i];
      if (a.left < -3 || a.right > el.clientWidth + 3) out.push(`chart ${name(el)}: "${a.text}" leaves the chart`);
      for (let j = i + 1; j < texts.length; j++) {
        // (the lines of one label may touch)
        if ((!a.owner || a.owner !== texts[j].owner) && hit(a, texts[j])) out.push(`chart ${name(el)}: "${a.text}" overlaps "${texts[j].text}"`);
      }
    }
  }
  return out;
}

async function check(page, what) {
  const problems = await page.evaluate(layoutProblems);
  assert.deepEqual(problems, [], `${what}: ${problems.join('; ')}`);
}

async function setLang(page, lang) {
  await page.evaluate((l) => localStorage.setItem('envgov.lang', l), lang);
  await page.reload();
}

// The pages a user reaches from the navigation, plus an enterprise's detail and a point's page.
async function pagesOf(page) {
  const nav = await page.$$eval('nav.nav a', (as) => as.map((a) => a.getAttribute('href').slice(1)));
  const extra = await page.evaluate(async () => {
    const j = async (u) => (await fetch(u, { credentials: 'same-origin' })).json();
    const board = await j('/api/v1/monitor/board').catch(() => null);
    const pt = board?.items?.[0]?.id;
    const ents = await j('/api/v1/enterprises?limit=1').catch(() => null);
    const grade = (await j('/api/v1/emergency/performance-grades').catch(() => null))?.items?.[0]?.enterprise_id;
    return [ents?.items?.[0] ? `/enterprises/${ents.items[0].id}` : null, pt ? `/monitor/points/${pt}` : null,
      grade ? `/emergency/grades/${grade}` : null];
  });
  return [...new Set([...nav, ...extra.filter(Boolean)])];
}

// One user through every page at both sizes; `shots` keeps a screenshot of each page.
async function tour(user, { lang = 'zh', shots = true, sizes = [PHONE, LAPTOP] } = {}) {
  const { page } = b;
  await fresh(page, user);
  if (lang !== 'zh') await setLang(page, lang);
  const paths = await pagesOf(page);
  // The demo's enterprise user has no monitoring points; staff reach one from the board.
  if (user !== 'enterprise') assert.ok(paths.some((p) => p.startsWith('/monitor/points/')), `${user} reaches a point page: ${paths}`);
  assert.ok(paths.some((p) => /^\/enterprises\/\d+$/.test(p)), `${user} reaches an enterprise: ${paths}`);
  for (const size of sizes) {
    await page.setViewportSize(size);
    for (const p of paths) {
      await page.goto(`${srv.base}/#${p}`);
      await settle(page);
      if (shots) await b.shot(`layout-${user}-${lang}-${size.width}${p.replace(/[/?=&]+/g, '-')}`);
      await check(page, `${user} ${lang} ${size.width} px ${p}`);
    }
  }
  await logout(page);
  if (lang !== 'zh') await setLang(page, 'zh');
}

// Log in afresh (whatever an earlier test left behind).
async function fresh(page, user, size = LAPTOP) {
  await b.ctx.clearCookies();
  await page.goto('about:blank');
  await page.setViewportSize(size);
  await login(page, srv.base, user);
  await page.waitForSelector('nav.nav a', { state: 'attached' });
}

async function logout(page) {
  if (await page.isVisible('[data-testid=user-menu]')) await page.click('[data-testid=user-menu]');
  await page.click('[data-testid=logout]');
  await page.waitForSelector('input[name=username]');
}

test('login page fits a phone with the brand and the language switch in view', async () => {
  const { page } = b;
  for (const lang of ['zh', 'en']) {
    await page.setViewportSize(PHONE);
    await page.goto(`${srv.base}/#/login`);
    await setLang(page, lang);
    await page.waitForSelector('[data-testid=login-card] input[name=username]');
    await b.shot(`layout-login-${lang}-390`);
    const r = await page.evaluate(() => {
      const box = (s) => document.querySelector(s).getBoundingClientRect().toJSON();
      return { sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,
        brand: box('.login-app'), lang: box('[data-testid=lang]'), card: box('[data-testid=login-card]') };
    });
    assert.ok(r.sw <= r.cw, `${lang}: login page scrolls sideways (${r.sw} > ${r.cw})`);
    for (const k of ['brand', 'lang', 'card']) {
      assert.ok(r[k].left >= 0 && r[k].right <= PHONE.width && r[k].top >= 0 && r[k].bottom <= PHONE.height, `${lang}: ${k} on screen ${JSON.stringify(r[k])}`);
    }
    assert.ok(r.lang.bottom <= r.card.top || r.lang.right <= r.card.left, `${lang}: language switch clear of the card`);
  }
  await page.evaluate(() => localStorage.setItem('envgov.lang', 'zh'));
});

test('at 390 px the navigation is a drawer and the user menu holds password, language, logout', async () => {
  const { page } = b;
  await fresh(page, 'admin', PHONE);
  await settle(page);
  const navShown = () => page.evaluate(() => {
    const r = document.querySelector('nav.nav').getBoundingClientRect();
    return getComputedStyle(document.querySelector('nav.nav')).visibility !== 'hidden' && r.left >= 0 && r.right > 100;
  });
  const expanded = () => page.getAttribute('[data-testid=nav-toggle]', 'aria-expanded');
  assert.equal(await navShown(), false, 'drawer closed at first');
  assert.equal(await page.isVisible('[data-testid=logout]'), false, 'logout is in the user menu');
  await page.click('[data-testid=nav-toggle]');
  await page.waitForFunction(() => getComputedStyle(document.querySelector('nav.nav')).transform === 'none');
  assert.equal(await navShown(), true);
  assert.equal(await expanded(), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'nav-dashboard', 'focus on the current page\'s link');
  await b.shot('layout-admin-zh-390-drawer');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => getComputedStyle(document.querySelector('nav.nav')).visibility === 'hidden');
  assert.equal(await expanded(), 'false');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'nav-toggle', 'focus back on the menu button');
  // A click outside closes it; picking a page navigates and closes it.
  await page.click('[data-testid=nav-toggle]');
  await page.waitForFunction(() => getComputedStyle(document.querySelector('nav.nav')).transform === 'none');
  await page.mouse.click(370, 600);
  await page.waitForFunction(() => getComputedStyle(document.querySelector('nav.nav')).visibility === 'hidden');
  await page.click('[data-testid=nav-toggle]');
  await page.click('[data-testid=nav-enterprises]');
  await page.waitForSelector('[data-testid=enterprise-table] tbody tr td.primary a');
  assert.equal(await expanded(), 'false');
  await page.waitForFunction(() => getComputedStyle(document.querySelector('nav.nav')).visibility === 'hidden');
  // The user menu: password change, language and logout, inside the screen.
  await page.click('[data-testid=user-menu]');
  for (const id of ['change-password', 'lang', 'logout']) {
    const r = await page.locator(`[data-testid=${id}]`).boundingBox();
    assert.ok(r && r.x >= 0 && r.x + r.width <= PHONE.width, `${id} reachable and on screen`);
  }
  assert.equal(await page.getAttribute('[data-testid=user-menu]', 'aria-expanded'), 'true');
  await b.shot('layout-admin-zh-390-usermenu');
  await page.click('[data-testid=change-password]');
  await page.waitForSelector('[data-testid=password-dialog]');
  const d = await page.locator('[data-testid=password-dialog]').boundingBox();
  assert.ok(d.x >= 0 && d.x + d.width <= PHONE.width, `password dialog fits: ${JSON.stringify(d)}`);
  await check(page, 'password dialog');
  await page.click('[data-testid=password-dialog] [data-testid=dialog-close]');
  // The bell's panel fits the screen.
  await page.click('[data-testid=bell]');
  await page.waitForSelector('.bell-panel:not([hidden])');
  const bp = await page.locator('.bell-panel').boundingBox();
  assert.ok(bp.x >= 0 && bp.x + bp.width <= PHONE.width, `bell panel fits: ${JSON.stringify(bp)}`);
  await page.keyboard.press('Escape');
  // Language from the user menu.
  await page.click('[data-testid=user-menu]');
  await page.click('[data-testid=lang]');
  await page.waitForSelector('h1:has-text("Enterprises")');
  await settle(page);
  await check(page, 'enterprises in English');
  await page.click('[data-testid=user-menu]');
  await page.click('[data-testid=lang]');
  await page.waitForSelector('h1:has-text("企业档案")');
  // At 1100 px the navigation is on the page and the menu button is gone.
  await page.setViewportSize(LAPTOP);
  assert.equal(await page.isVisible('[data-testid=nav-toggle]'), false);
  assert.equal(await navShown(), true);
  await logout(page);
  assert.deepEqual(b.errors, []);
});

test('pager: total, page N of M, jump to a page, back', async () => {
  const { page } = b;
  await fresh(page, 'admin');
  await page.goto(`${srv.base}/#/enterprises`);
  await settle(page);
  const names = await page.evaluate(async () => (await (await fetch('/api/v1/enterprises?sort=name&limit=300')).json()).items.map((e) => e.name));
  assert.equal(names.length, 300);
  const first = () => page.textContent('[data-testid=enterprise-table] tbody tr td.primary a');
  assert.equal(await page.textContent('[data-testid=table-total]'), '共 300 条');
  assert.equal(await page.textContent('[data-testid=page-no]'), '第 1 / 15 页');
  await page.fill('[data-testid=page-jump]', '7');
  await page.press('[data-testid=page-jump]', 'Enter');
  await page.waitForSelector('[data-testid=page-no]:has-text("第 7 / 15 页")');
  await settle(page);
  assert.equal(await first(), names[120]);
  await page.click('[data-testid=prev-page]');
  await page.waitForSelector('[data-testid=page-no]:has-text("第 6 / 15 页")');
  await settle(page);
  assert.equal(await first(), names[100]);
  await page.click('[data-testid=next-page]');
  await page.waitForSelector('[data-testid=page-no]:has-text("第 7 / 15 页")');
  // Beyond the last page: the last page.
  await page.fill('[data-testid=page-jump]', '99');
  await page.click('[data-testid=page-go]');
  await page.waitForSelector('[data-testid=page-no]:has-text("第 15 / 15 页")');
  await settle(page);
  assert.equal(await first(), names[280]);
  assert.equal(await page.isDisabled('[data-testid=next-page]'), true);
  assert.equal(await page.locator('[data-testid=enterprise-table] tbody tr').count(), 20);
  // Page 3 of 6 at 50 a page, then the pager on a phone.
  await page.selectOption('.pager select', '50');
  await page.waitForSelector('[data-testid=page-no]:has-text("第 1 / 6 页")');
  await page.fill('[data-testid=page-jump]', '3');
  await page.press('[data-testid=page-jump]', 'Enter');
  await page.waitForSelector('[data-testid=page-no]:has-text("第 3 / 6 页")');
  await settle(page);
  assert.equal(await first(), names[100]);
  await page.setViewportSize(PHONE);
  await page.locator('.pager').scrollIntoViewIfNeeded();
  await b.shot('layout-admin-zh-390-pager');
  await check(page, 'pager at 390');
  // The audit log has no total: page N, and a jump still lands on that page.
  await page.setViewportSize(LAPTOP);
  await page.goto(`${srv.base}/#/admin/audit`);
  await settle(page);
  assert.match(await page.textContent('[data-testid=page-no]'), /^第 1 页$/);
  assert.deepEqual(b.errors, []);
});

test('charts follow their boxes when the window narrows; their labels do not overlap', async () => {
  const { page } = b;
  await fresh(page, 'admin');
  await page.goto(`${srv.base}/#/dashboard`);
  await settle(page);
  await page.waitForSelector('[data-testid=chart-category] canvas');
  await page.setViewportSize(PHONE);
  await page.waitForFunction(() => [...document.querySelectorAll('main [_echarts_instance_]')].every((el) =>
    Math.abs(el.querySelector('canvas').getBoundingClientRect().width - el.clientWidth) <= 2));
  await check(page, 'dashboard narrowed to 390');
  await page.setViewportSize(LAPTOP);
  await page.waitForFunction(() => [...document.querySelectorAll('main [_echarts_instance_]')].every((el) =>
    Math.abs(el.querySelector('canvas').getBoundingClientRect().width - el.clientWidth) <= 2));
  await check(page, 'dashboard widened to 1100');
  // A point's trend, with data from two simulated devices, at both sizes.
  const hj = /--hj212 127\.0\.0\.1:(\d+)/.exec(srv.proc.spawnargs.join(' '))[1];
  await promisify(execFile)(BIN, ['hj212', 'sim', '--target', `127.0.0.1:${hj}`, '--devices', '2', '--rate', '2',
    '--seconds', '2', '--history', '6', '--data', srv.dir]);
  const id = await page.evaluate(async () => (await (await fetch('/api/v1/monitor/board')).json()).items.find((p) => p.status !== 'nodata').id);
  for (const size of [PHONE, LAPTOP]) {
    await page.setViewportSize(size);
    await page.goto(`${srv.base}/#/monitor/points/${id}`);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=trend-chart]')?.dataset.points) > 0);
    await settle(page);
    await b.shot(`layout-admin-zh-${size.width}-point-trend`);
    await check(page, `point trend at ${size.width}`);
  }
  await page.setViewportSize(PHONE);
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid=trend-chart]');
    return Math.abs(el.querySelector('canvas').getBoundingClientRect().width - el.clientWidth) <= 2;
  });
  await check(page, 'point trend narrowed to 390');
  await logout(page);
  assert.deepEqual(b.errors, []);
});

test('forms, dialogs and the enterprise tabs fit a phone', async () => {
  const { page } = b;
  await fresh(page, 'admin', PHONE);
  await page.goto(`${srv.base}/#/enterprises/new`);
  await settle(page);
  await b.shot('layout-admin-zh-390-enterprise-new');
  await check(page, 'new enterprise form');
  for (const [path, button] of [['/admin/users', 'new-user'], ['/admin/org-units', 'new-org'], ['/agencies', 'new-agency'], ['/admin/tokens', 'new-token']]) {
    await page.goto(`${srv.base}/#${path}`);
    await settle(page);
    await page.click(`[data-testid=${button}]`);
    await page.waitForSelector('.modal');
    await b.shot(`layout-admin-zh-390-${button}`);
    await check(page, `${button} dialog`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('.modal', { state: 'detached' });
  }
  const id = await page.evaluate(async () => (await (await fetch('/api/v1/enterprises?limit=1&q=%E7%BA%B8%E4%B8%9A')).json()).items[0].id);
  await page.goto(`${srv.base}/#/enterprises/${id}`);
  await settle(page);
  for (const tab of await page.$$eval('[data-testid^=tab-]', (bs) => bs.map((x) => x.dataset.testid))) {
    await page.click(`[data-testid=${tab}]`);
    await page.waitForFunction(() => !document.querySelector('main .loading-block'));
    await page.evaluate(() => scrollTo(0, 0));
    await b.shot(`layout-admin-zh-390-enterprise-${tab}`);
    await check(page, `enterprise ${tab}`);
  }
  await logout(page);
  assert.deepEqual(b.errors, []);
});

for (const user of ['admin', 'leader', 'monitor', 'inspector', 'enterprise']) {
  test(`${user}: every page at ${user === 'admin' ? '390, 768 and 1100' : '390 and 1100'} px without sideways scroll or overlap`, async () => {
    // The administrator, who sees every page, also on a tablet.
    await tour(user, user === 'admin' ? { sizes: [PHONE, TABLET, LAPTOP] } : {});
    assert.deepEqual(b.errors, []);
  });
}

test('admin in English: every page at 390 and 1100 px', async () => {
  await tour('admin', { lang: 'en' });
  assert.deepEqual(b.errors, []);
});
