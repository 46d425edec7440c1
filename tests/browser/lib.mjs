// Browser harness: Debian chromium through playwright-core, with the flags this machine needs,
// a fresh profile per run, and screenshots under test-output/browser/.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHOTS = join(root, 'test-output', 'browser');

// opts.timezoneId: the browser's time zone (Asia/Shanghai unless a test says otherwise).
export async function openBrowser(opts = {}) {
  mkdirSync(SHOTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'envgov-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    locale: 'zh-CN', timezoneId: opts.timezoneId || 'Asia/Shanghai',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return {
    ctx, page, errors,
    shot: (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false }),
    async close() { await ctx.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}

export async function login(page, base, username, password = 'Huzhou#2026demo') {
  await page.goto(`${base}/#/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('[data-testid=save]');
}
