// 三线一单 zoning end to end over the demo edition (HZ-2024, data/zoning/huzhou-demo.geojson):
// site checks through the API (inside a key unit, on the border two units share, across units,
// outside every unit, bad and projected geometries naming the field), imports by the admin — a
// GeoJSON edition and a zipped Shapefile (tests/fixtures/zoning/) — where a self-intersecting
// bowtie or a wrong CRS gives a clear error naming the feature and imports nothing, putting an
// edition in force, a second process noticing another's import (its cached index rebuilt), and
// pre-consultations: recorded by service staff and by an enterprise user for its own
// enterprise, the notice PDF (pdftotext finds the project name), role checks (an enterprise
// user cannot import and sees only its own consults). SQLite, or PostgreSQL with ENVGOV_TEST_PG.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, loginAs, sql, BIN } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = (name) => readFileSync(join(root, 'tests', 'fixtures', 'zoning', name));
let srv, admin, service, ent, other;

const pt = (lon, lat) => ({ type: 'Point', coordinates: [lon, lat] });
const box = (x0, y0, x1, y1) => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });

function upload(client, body, query = '', name = 'units.geojson') {
  const fd = new FormData();
  fd.append('file', new Blob([body]), name);
  return client.post(`/api/v1/zoning/editions/import${query}`, fd);
}

function edition(code, features) {
  return JSON.stringify({ type: 'FeatureCollection', edition: { code, name: `测试版 ${code}` }, features });
}
const feature = (code, kind, geometry, items = []) => ({ type: 'Feature', geometry, properties: { code, name: `单元 ${code}`, kind, region: '330522', items } });

before(async () => {
  // small import caps, so the 413s are reached with small files
  srv = await startServer({ enterprises: 20, env: { ENVGOV_ZONING_IMPORT_MAX_BYTES: '200000', ENVGOV_ZONING_IMPORT_MAX_UNITS: '50' } });
  admin = await loginAs(srv.base, 'admin');
  service = await loginAs(srv.base, 'service');
  ent = await loginAs(srv.base, 'enterprise');
  const list = await service.get('/api/v1/enterprises?limit=5'); // within the service user's area
  other = list.json.items.find((e) => e.id !== ent.user.enterprise_id);
  assert.ok(other);
});
after(async () => { await srv?.stop(); });

describe('site check', () => {
  test('inside the 长兴 development zone: a chemical plant is conditioned, each reason citing its item', async () => {
    const r = await ent.post('/api/v1/zoning/check', { geometry: pt(119.965, 31.0), industry: 'C2614' });
    assert.equal(r.status, 200, r.body.toString());
    assert.equal(r.json.edition, 'HZ-2024');
    assert.equal(r.json.verdict, 'conditional');
    assert.deepEqual(r.json.units.map((u) => [u.code, u.relation]), [['ZH33052220001', 'inside']]);
    assert.ok(r.json.reasons.length >= 2);
    for (const x of r.json.reasons) {
      assert.equal(x.unit, 'ZH33052220001');
      assert.ok(x.item && x.text && ['spatial', 'emission', 'risk', 'resource'].includes(x.dimension));
    }
    assert.ok(r.json.reasons.some((x) => x.item === '1.3' && x.effect === 'condition'));
    assert.ok(!r.json.reasons.some((x) => x.item === '1.2'), 'the C2211 ban does not apply to C2614');
  });

  test('the registry\'s industry codes ("2614", "26", "C") check like the lettered ones; an unknown code is refused', async () => {
    const lettered = await ent.post('/api/v1/zoning/check', { geometry: pt(119.96, 31.04), industry: 'C2614' });
    assert.ok(lettered.json.reasons.some((x) => x.industries), 'an item for named industries applies');
    for (const industry of ['2614', 'c2614']) {
      const r = await ent.post('/api/v1/zoning/check', { geometry: pt(119.96, 31.04), industry });
      assert.equal(r.status, 200, industry);
      assert.deepEqual(r.json.reasons, lettered.json.reasons, industry);
    }
    const division = await ent.post('/api/v1/zoning/check', { geometry: pt(119.96, 31.04), industry: '26' });
    assert.equal(division.json.verdict, 'forbidden');
    const r = await ent.post('/api/v1/zoning/check', { geometry: pt(119.96, 31.04), industry: '2614' });
    assert.equal(r.json.industry, 'C2614');
    for (const industry of ['9999', 'A2614', 'U', '2699', 'C2699']) { // 2699: division 26, no such class
      const bad = await ent.post('/api/v1/zoning/check', { geometry: pt(119.96, 31.04), industry });
      assert.equal(bad.status, 422, industry);
      assert.equal(bad.json.error.field, 'industry');
    }
    const c = await service.post('/api/v1/zoning/consults', { project_name: '登记库行业代码项目', builder: '某公司（筹）', industry: '2614', geometry: pt(119.96, 31.04) });
    assert.equal(c.status, 201, c.body.toString());
    assert.equal(c.json.industry, 'C2614');
    assert.equal(c.json.verdict, 'forbidden');
    for (const industry of ['9999', '2699']) {
      const bad = await service.post('/api/v1/zoning/consults', { project_name: 'p', builder: 'x', industry, geometry: pt(119.96, 31.04) });
      assert.equal(bad.status, 422, industry);
      assert.equal(bad.json.error.field, 'industry');
    }
  });

  test('a point on the line the zone shares with the 太湖 shore touches both; the shore forbids it', async () => {
    const r = await service.post('/api/v1/zoning/check', { geometry: pt(119.96, 31.04), industry: 'C2614' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.units.map((u) => [u.code, u.relation]), [['ZH33052210001', 'border'], ['ZH33052220001', 'border']]);
    assert.equal(r.json.verdict, 'forbidden');
    assert.equal(r.json.sensitive, true);
  });

  test('a drawn site across two units overlaps both; outside every unit is no_unit', async () => {
    let r = await ent.post('/api/v1/zoning/check', { geometry: box(119.95, 31.03, 119.97, 31.05), industry: 'C3911' });
    assert.deepEqual(r.json.units.map((u) => u.relation), ['overlaps', 'overlaps']);
    r = await ent.post('/api/v1/zoning/check', { geometry: pt(110, 25), industry: 'C3911' });
    assert.equal(r.json.verdict, 'no_unit');
    assert.deepEqual(r.json.units, []);
  });

  test('bad sites name the geometry field', async () => {
    let r = await ent.post('/api/v1/zoning/check', { geometry: { type: 'Polygon', coordinates: [[[120, 30], [120.1, 30.1], [120.1, 30], [120, 30.1], [120, 30]]] } });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'geometry');
    assert.match(r.json.error.message, /Self-intersection/);
    r = await ent.post('/api/v1/zoning/check', { geometry: pt(40500000, 3400000) });
    assert.equal(r.status, 422);
    assert.match(r.json.error.message, /outside the lon\/lat range/);
    r = await ent.post('/api/v1/zoning/check', { geometry: pt(119.96, 31.0), industry: "C26'; --" });
    assert.equal(r.json.error.field, 'industry');
    r = await ent.post('/api/v1/zoning/check', { industry: 'C26' });
    assert.equal(r.json.error.field, 'geometry');
    r = await ent.post('/api/v1/zoning/check', { geometry: pt(119.96, 31.0), edition: 'NOPE' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'edition');
    const ring = Array.from({ length: 6000 }, (_, i) => [119 + i * 1e-5, 30 + (i % 2) * 1e-5]);
    ring.push(ring[0]);
    r = await ent.post('/api/v1/zoning/check', { geometry: { type: 'Polygon', coordinates: [ring] } });
    assert.equal(r.status, 413);
  });
});

describe('units and editions', () => {
  test('the units list sorts, filters and pages; a unit shows its access list', async () => {
    let r = await ent.get('/api/v1/zoning/units?kind=priority&sort=code&limit=2&total=1');
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, 2);
    assert.ok(r.json.items.every((u) => u.kind === 'priority'));
    assert.ok(r.json.next_cursor);
    r = await ent.get('/api/v1/zoning/units?sort=name&limit=50');
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, 15);
    r = await ent.get('/api/v1/zoning/units?sort=-n_items&region_code=3305&limit=50');
    assert.equal(r.status, 200);
    assert.ok(r.json.items[0].n_items >= r.json.items.at(-1).n_items);
    r = await ent.get('/api/v1/zoning/units?q=长兴经济技术开发区');
    const u = r.json.items[0];
    assert.equal(u.code, 'ZH33052220001');
    r = await ent.get(`/api/v1/zoning/units/${u.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.geometry.type, 'Polygon');
    assert.ok(r.json.items.length >= 5);
    assert.deepEqual(r.json.items.find((i) => i.number === '1.3').industries, ['C26', 'C27']);
    r = await ent.get('/api/v1/zoning/map');
    assert.equal(r.json.edition, 'HZ-2024');
    assert.equal(r.json.units.length, 15);
  });

  test('an enterprise user cannot import or put an edition in force', async () => {
    let r = await upload(ent, edition('E1', [feature('ZHX1', 'key', box(119, 30, 119.1, 30.1))]));
    assert.equal(r.status, 403);
    r = await ent.post('/api/v1/zoning/editions/HZ-2024/enact', {});
    assert.equal(r.status, 403);
  });

  test('a bowtie, a projected CRS, projected coordinates: a clear error and nothing imported', async () => {
    const before = (await admin.get('/api/v1/zoning/editions')).json.items.length;
    const units = () => Number(sql(srv.dir, 'SELECT COUNT(*) FROM control_units'));
    const n0 = units();
    const good = feature('ZHT1', 'key', box(121, 31, 121.1, 31.1));
    let r = await upload(admin, edition('BAD', [good, feature('ZHT2', 'general', { type: 'Polygon', coordinates: [[[121.1, 31], [121.2, 31.1], [121.2, 31], [121.1, 31.1], [121.1, 31]]] })]));
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'file');
    assert.match(r.json.error.message, /feature 2 \(ZHT2\): invalid geometry: Self-intersection/);
    const fc = JSON.parse(edition('BAD', [good]));
    fc.crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4549' } };
    r = await upload(admin, JSON.stringify(fc));
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'crs');
    assert.match(r.json.error.message, /EPSG::4549/);
    r = await upload(admin, edition('BAD', [good, feature('ZHT3', 'key', box(40500000, 3400000, 40501000, 3401000))]));
    assert.equal(r.status, 422);
    assert.match(r.json.error.message, /feature 2 \(ZHT3\).*outside the lon\/lat range/);
    r = await upload(admin, fixture('bowtie.zip'), '?edition=SHPBAD', 'units.zip');
    assert.equal(r.status, 422);
    assert.match(r.json.error.message, /feature 2 \(ZH33052210901\): invalid geometry: Self-intersection/);
    r = await upload(admin, fixture('projected.zip'), '?edition=SHPBAD', 'units.zip');
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'crs');
    assert.match(r.json.error.message, /not CGCS2000 \/ WGS 84 lon\/lat/);
    assert.equal((await admin.get('/api/v1/zoning/editions')).json.items.length, before);
    assert.equal(units(), n0);
  });

  test('imports over the size caps answer 413 and import nothing', async () => {
    const n0 = sql(srv.dir, 'SELECT COUNT(*) FROM zoning_editions');
    const big = { ...feature('ZHBIG', 'key', box(121, 31, 121.1, 31.1)) };
    big.properties.note = 'x'.repeat(210000);
    let r = await upload(admin, edition('BIG', [big]));
    assert.equal(r.status, 413);
    assert.equal(r.json.error.field, 'file');
    const many = Array.from({ length: 51 }, (_, i) => feature(`ZHN${i}`, 'general', box(121 + i * 0.01, 31, 121.005 + i * 0.01, 31.005)));
    r = await upload(admin, edition('MANY', many));
    assert.equal(r.status, 413);
    assert.match(r.json.error.message, /1 to 50 features \(51\)/);
    assert.equal(sql(srv.dir, 'SELECT COUNT(*) FROM zoning_editions'), n0);
  });

  test('an edition code or name too long, or a code that is no path segment, is refused, never cut short', async () => {
    const n0 = sql(srv.dir, 'SELECT COUNT(*) FROM zoning_editions');
    const one = [feature('ZHL1', 'key', box(117, 28, 117.1, 28.1))];
    const long = 'L'.repeat(31);
    let r = await upload(admin, edition(long + 'X', one));
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'edition');
    r = await upload(admin, edition('OK-1', one), `?edition=${long}XYZ`);
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'edition');
    for (const bad of ['a/b', '..', 'a b', '%E7%89%88']) {
      r = await upload(admin, edition('OK-1', one), `?edition=${bad}`);
      assert.equal(r.status, 422, bad);
      assert.equal(r.json.error.field, 'edition', bad);
    }
    r = await upload(admin, edition('OK-1', one), `?name=${'%E7%89%88'.repeat(43)}`);
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'name');
    assert.equal(sql(srv.dir, 'SELECT COUNT(*) FROM zoning_editions'), n0);
    let failed;
    try {
      execFileSync(BIN, ['zoning', 'import', join(root, 'tests', 'fixtures', 'zoning', 'good.zip'), '--edition', long + 'X', '--no-enact', '--data', srv.dir], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) { failed = e; }
    assert.equal(failed?.status, 1);
    assert.match(failed.stderr, /edition code must be letters, digits, - or _, at most 31/);
    assert.equal(sql(srv.dir, 'SELECT COUNT(*) FROM zoning_editions'), n0);
  });

  test('a Shapefile edition imports with its items.csv, not in force until enacted', async () => {
    let r = await upload(admin, fixture('good.zip'), '?edition=SHP-1&name=%E6%B5%8B%E8%AF%95&enact=0', 'units.zip');
    assert.equal(r.status, 201, r.body.toString());
    assert.deepEqual([r.json.source, r.json.units, r.json.items, r.json.in_force], ['shapefile', 2, 3, false]);
    r = await ent.post('/api/v1/zoning/check', { geometry: pt(119.97, 30.96), industry: 'C2614', edition: 'SHP-1' });
    assert.equal(r.json.verdict, 'forbidden');
    assert.deepEqual(r.json.units.map((u) => u.code), ['ZH33052220901']);
    r = await ent.post('/api/v1/zoning/check', { geometry: pt(119.97, 30.96), industry: 'C2614' });
    assert.equal(r.json.edition, 'HZ-2024', 'the edition in force is still the demo one');
    const audit = sql(srv.dir, "SELECT action FROM audit_log WHERE entity = 'zoning_edition' ORDER BY id DESC LIMIT 1");
    assert.equal(audit, 'import');
  });

  test('another process\'s import is noticed by this one\'s cached index', async () => {
    const code = 'MP-1';
    let r = await upload(admin, edition(code, [feature('ZHM1', 'key', box(118, 29, 118.1, 29.1), [{ number: '1', dimension: 'spatial', effect: 'allow', text: '允许' }])]), '?enact=0');
    assert.equal(r.status, 201);
    r = await ent.post('/api/v1/zoning/check', { geometry: pt(118.05, 29.05), edition: code });
    assert.equal(r.json.verdict, 'allowed'); // this process has indexed MP-1 now
    const second = await startServer({ dir: srv.dir });
    try {
      const admin2 = await loginAs(second.base, 'admin');
      r = await upload(admin2, edition(code, [feature('ZHM1', 'key', box(118, 29, 118.1, 29.1), [{ number: '1', dimension: 'spatial', effect: 'forbid', text: '禁止' }])]), '?enact=0');
      assert.equal(r.status, 201);
      r = await ent.post('/api/v1/zoning/check', { geometry: pt(118.05, 29.05), edition: code });
      assert.equal(r.json.verdict, 'forbidden');
    } finally {
      second.proc.kill('SIGTERM');
      await new Promise((res) => (second.proc.exitCode !== null ? res() : second.proc.on('exit', res)));
    }
    assert.equal(sql(srv.dir, "SELECT action FROM audit_log WHERE entity = 'zoning_edition' ORDER BY id DESC LIMIT 1"), 'replace');
  });

  test('envgov zoning import: the same checks from the command line, noticed by the server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zoning-cli-'));
    try {
      const file = join(dir, 'mp.geojson');
      writeFileSync(file, edition('MP-1', [feature('ZHM1', 'key', box(118, 29, 118.1, 29.1), [{ number: '1', dimension: 'spatial', effect: 'condition', text: '限制' }])]));
      const out = execFileSync(BIN, ['zoning', 'import', file, '--no-enact', '--data', srv.dir], { encoding: 'utf8' });
      assert.match(out, /edition MP-1: 1 units, 1 list items \(geojson\)/);
      const r = await ent.post('/api/v1/zoning/check', { geometry: pt(118.05, 29.05), edition: 'MP-1' });
      assert.equal(r.json.verdict, 'conditional');
      let failed;
      try {
        execFileSync(BIN, ['zoning', 'import', join(root, 'tests', 'fixtures', 'zoning', 'bowtie.zip'), '--edition', 'MP-1', '--data', srv.dir], { encoding: 'utf8', stdio: 'pipe' });
      } catch (e) { failed = e; }
      assert.equal(failed?.status, 1);
      assert.match(failed.stderr, /feature 2 \(ZH33052210901\): invalid geometry/);
      assert.equal((await ent.post('/api/v1/zoning/check', { geometry: pt(118.05, 29.05), edition: 'MP-1' })).json.verdict, 'conditional');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('putting an edition in force', async () => {
    let r = await admin.post('/api/v1/zoning/editions/SHP-1/enact', {});
    assert.equal(r.status, 200);
    r = await ent.post('/api/v1/zoning/check', { geometry: pt(119.97, 30.96) });
    assert.equal(r.json.edition, 'SHP-1');
    r = await admin.post('/api/v1/zoning/editions/HZ-2024/enact', {});
    assert.equal(r.status, 200);
    const eds = (await ent.get('/api/v1/zoning/editions')).json.items;
    assert.deepEqual(eds.filter((e) => e.in_force).map((e) => e.code), ['HZ-2024']);
    r = await admin.post('/api/v1/zoning/editions/NOPE/enact', {});
    assert.equal(r.status, 404);
  });

  test('importing the edition in force again with enact=0 is refused (409) and changes nothing', async () => {
    const before = sql(srv.dir, "SELECT generation || '/' || n_units FROM zoning_editions WHERE code = 'HZ-2024'");
    const audits = sql(srv.dir, "SELECT COUNT(*) FROM audit_log WHERE entity = 'zoning_edition'");
    let r = await upload(admin, edition('HZ-2024', [feature('ZHR1', 'general', box(119.9, 30.9, 120.2, 31.2))]), '?enact=0');
    assert.equal(r.status, 409, r.body.toString());
    assert.equal(r.json.error.field, 'enact');
    assert.match(r.json.error.message, /in force/);
    assert.equal(sql(srv.dir, "SELECT generation || '/' || n_units FROM zoning_editions WHERE code = 'HZ-2024'"), before);
    assert.equal(sql(srv.dir, "SELECT COUNT(*) FROM audit_log WHERE entity = 'zoning_edition'"), audits);
    r = await ent.post('/api/v1/zoning/check', { geometry: pt(119.965, 31.0), industry: 'C2614' });
    assert.deepEqual([r.json.edition, r.json.units[0].code], ['HZ-2024', 'ZH33052220001']);
    const dir = mkdtempSync(join(tmpdir(), 'zoning-cli-'));
    try {
      const file = join(dir, 'hz.geojson');
      writeFileSync(file, edition('HZ-2024', [feature('ZHR1', 'general', box(119.9, 30.9, 120.2, 31.2))]));
      let failed;
      try {
        execFileSync(BIN, ['zoning', 'import', file, '--no-enact', '--data', srv.dir], { encoding: 'utf8', stdio: 'pipe' });
      } catch (e) { failed = e; }
      assert.equal(failed?.status, 1);
      assert.match(failed.stderr, /the edition is in force/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(sql(srv.dir, "SELECT generation || '/' || n_units FROM zoning_editions WHERE code = 'HZ-2024'"), before);
  });
});

describe('pre-consultation', () => {
  let mine, theirs;
  test('service staff record a prospective investor\'s project; the notice PDF names it', async () => {
    const r = await service.post('/api/v1/zoning/consults', { project_name: '年产 2 万吨电子化学品项目', builder: '某新材料有限公司（筹）', industry: 'C2664', investment: 50000, geometry: pt(119.965, 31.0) });
    assert.equal(r.status, 201, r.body.toString());
    assert.equal(r.json.verdict, 'conditional');
    assert.equal(r.json.region_code, '330522');
    assert.equal(r.json.check.units[0].code, 'ZH33052220001');
    assert.ok(r.json.notice.some((p) => p.includes('ZH33052220001')));
    const pdf = await service.get(`/api/v1/zoning/consults/${r.json.id}/notice.pdf`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'zoning-pdf-'));
    writeFileSync(join(dir, 'n.pdf'), pdf.body);
    const text = execFileSync('pdftotext', [join(dir, 'n.pdf'), '-'], { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    assert.match(text.replace(/\s+/g, ''), /年产2万吨电子化学品项目/);
    assert.match(text.replace(/\s+/g, ''), /提前介入/);
    theirs = r.json.id;
    // listed for the service user by its county, though no enterprise owns it
    const l = await service.get('/api/v1/zoning/consults?verdict=conditional&q=%E7%94%B5%E5%AD%90%E5%8C%96%E5%AD%A6&total=1');
    assert.equal(l.status, 200);
    assert.deepEqual(l.json.items.map((c) => c.id), [theirs]);
    assert.equal(l.json.total, 1);
    assert.equal(l.json.items[0].enterprise_id, 0);
  });

  test('the list sorts and pages; a county user sees the investors\' consultations of its county only', async () => {
    let r = await admin.get('/api/v1/zoning/consults?sort=project_name&limit=2&total=1');
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, 2);
    assert.ok(r.json.next_cursor);
    assert.ok(r.json.items[0].project_name <= r.json.items[1].project_name);
    const all = r.json.total;
    const seen = [...r.json.items];
    while (r.json.next_cursor) {
      r = await admin.get(`/api/v1/zoning/consults?sort=project_name&limit=2&cursor=${r.json.next_cursor}`);
      seen.push(...r.json.items);
    }
    assert.equal(seen.length, all);
    assert.equal(new Set(seen.map((c) => c.id)).size, all);
    // a user of the 安吉 sub-bureau: the demo's 安吉 consultation, not the 长兴 or 吴兴 ones
    r = await admin.post('/api/v1/org-units', { name: `安吉分局测试${Date.now() % 100000}`, kind: 'sub_bureau', regions: ['330523'] });
    if (r.status === 201) {
      const u = await admin.post('/api/v1/users', { username: `znanji${Date.now().toString(36)}`, display_name: '安吉服务专员', role: 'service', org_unit_id: r.json.id });
      assert.equal(u.status, 201, u.body.toString());
      const c = new (await import('./lib.mjs')).Client(srv.base);
      assert.equal((await c.login(u.json.username, u.json.one_time_password)).status, 200);
      assert.equal((await c.post('/api/v1/session/password', { old_password: u.json.one_time_password, new_password: 'Zoning#e2e2026x' })).status, 204);
      const l = await c.get('/api/v1/zoning/consults?limit=100');
      assert.equal(l.status, 200, l.body.toString());
      assert.ok(l.json.items.length >= 1);
      assert.ok(l.json.items.every((x) => x.region_code.startsWith('330523')), JSON.stringify(l.json.items));
      assert.ok(l.json.items.some((x) => x.project_name.includes('竹制品')));
      assert.equal((await c.get(`/api/v1/zoning/consults/${theirs}`)).status, 404);
    } else {
      assert.fail(`org unit: ${r.status} ${r.body}`);
    }
  });

  test('an enterprise user records one for its own enterprise only and sees only its own', async () => {
    let r = await ent.post('/api/v1/zoning/consults', { project_name: '扩建涂装线', builder: '本企业', industry: 'C3360', geometry: pt(119.98, 31.02), enterprise_id: other.id });
    assert.equal(r.status, 201);
    assert.equal(r.json.enterprise_id, ent.user.enterprise_id, 'its own, whatever the body said');
    mine = r.json.id;
    r = await service.post('/api/v1/zoning/consults', { project_name: '他企项目', builder: other.name, industry: 'C3360', geometry: pt(119.98, 31.02), enterprise_id: other.id });
    assert.equal(r.status, 201);
    const otherConsult = r.json.id;
    r = await ent.get('/api/v1/zoning/consults');
    assert.deepEqual(r.json.items.map((c) => c.id), [mine]);
    assert.equal((await ent.get(`/api/v1/zoning/consults/${otherConsult}`)).status, 404);
    assert.equal((await ent.get(`/api/v1/zoning/consults/${theirs}`)).status, 404);
    assert.equal((await ent.get(`/api/v1/zoning/consults/${theirs}/notice.pdf`)).status, 404);
    assert.equal((await ent.get(`/api/v1/zoning/consults/${mine}/notice.pdf`)).status, 200);
    r = await admin.get('/api/v1/zoning/consults?limit=50');
    assert.ok(r.json.items.some((c) => c.id === otherConsult) && r.json.items.some((c) => c.id === mine));
    assert.equal(sql(srv.dir, `SELECT COUNT(*) FROM audit_log WHERE entity = 'zoning_consult' AND entity_id = ${mine}`), '1');
  });

  test('bad input names the field and writes nothing', async () => {
    const n0 = sql(srv.dir, 'SELECT COUNT(*) FROM zoning_consults');
    let r = await service.post('/api/v1/zoning/consults', { builder: 'x', geometry: pt(119.9, 31) });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'project_name');
    r = await service.post('/api/v1/zoning/consults', { project_name: 'p', builder: 'x', geometry: pt(400, 31) });
    assert.equal(r.json.error.field, 'geometry');
    r = await service.post('/api/v1/zoning/consults', { project_name: 'p', builder: 'x', region_code: '999999', geometry: pt(119.9, 31) });
    assert.equal(r.json.error.field, 'region_code');
    r = await service.post('/api/v1/zoning/consults', { project_name: 'p', builder: 'x', industry: 'chemicals', geometry: pt(119.9, 31) });
    assert.equal(r.json.error.field, 'industry');
    r = await service.post('/api/v1/zoning/consults', { project_name: 'p', builder: 'x', investment: -1, geometry: pt(119.9, 31) });
    assert.equal(r.json.error.field, 'investment');
    r = await service.post('/api/v1/zoning/consults', { project_name: 'p', builder: 'x', geometry: pt(119.9, 31), enterprise_id: 999999 });
    assert.equal(r.status, 404);
    assert.equal(r.json.error.field, 'enterprise_id');
    const inspector = await loginAs(srv.base, 'inspector');
    r = await inspector.post('/api/v1/zoning/consults', { project_name: 'p', builder: 'x', geometry: pt(119.9, 31) });
    assert.equal(r.status, 403);
    assert.equal(sql(srv.dir, 'SELECT COUNT(*) FROM zoning_consults'), n0);
  });

  test('the demo holds pre-consultations; the 工作台 counts them for staff, not for enterprises', async () => {
    const r = await admin.get('/api/v1/zoning/consults?verdict=forbidden');
    assert.ok(r.json.items.some((c) => c.project_name.includes('精细化工')));
    const d = await admin.get('/api/v1/dashboard');
    assert.equal(d.status, 200);
    const all = Number(sql(srv.dir, 'SELECT COUNT(*) FROM zoning_consults'));
    const forbidden = Number(sql(srv.dir, "SELECT COUNT(*) FROM zoning_consults WHERE verdict = 'forbidden'"));
    assert.deepEqual(d.json.zoning, { consults_year: all, forbidden_year: forbidden, edition: 'HZ-2024' });
    assert.equal((await ent.get('/api/v1/dashboard')).json.zoning, undefined);
  });
});
