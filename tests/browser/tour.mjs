// Manual helper (not a test): `ENVGOV_BIN=build/envgov node tests/browser/tour.mjs [user] [/path,...]` logs in and screenshots each page into test-output/browser/tour-*.png.
import { startServer } from '../e2e/lib.mjs';
import { openBrowser, login } from './lib.mjs';
const srv = await startServer();
const b = await openBrowser();
await login(b.page, srv.base, process.argv[2] || 'admin');
await b.page.waitForTimeout(800);
for (const p of (process.argv[3] || '/dashboard,/enterprises,/enterprises/1,/permits,/agencies,/admin/users,/admin/org-units,/admin/calendar,/admin/audit,/admin/tokens').split(',')) {
  await b.page.goto(`${srv.base}/#${p}`);
  await b.page.waitForTimeout(1200);
  await b.shot('tour' + p.replace(/\//g, '-'));
}
console.log('errors:', b.errors);
await b.close(); await srv.stop();
