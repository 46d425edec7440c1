// export-db / import-db end to end: a demo county on SQLite, with readings (more than one page of
// the export's keyset scan), awkward text, whole-number reals, NULLs and an org unit whose parent
// has a higher id, is exported to one gzip file and imported into a new database — PostgreSQL
// when ENVGOV_TEST_PG is set (make test runs the suite a second time that way), else SQLite. Then:
// every table has the same rows (exported again and compared line by line), a server on the copy
// lets the demo admin in and creates an enterprise with the next id (sequences were reset), and
// non-empty targets, truncated, damaged and mismatched files are refused with nothing written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, sql, usePostgres, startServer, loginAs, usccWithCheck } from './lib.mjs';

const env = { ...process.env, ENVGOV_ACCESS_LOG: 'off' };
const dirs = [];
let src, work, file, lines, dst;

// A new data directory; with pg (and ENVGOV_TEST_PG set) its own PostgreSQL database.
function newDir(pg) {
  const d = mkdtempSync(join(tmpdir(), 'envgov-dbcopy-'));
  dirs.push(d);
  if (pg) usePostgres(d);
  return d;
}

function envgov(...args) {
  const r = spawnSync(BIN, args, { env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const count = (dir, table) => Number(sql(dir, `SELECT COUNT(*) FROM ${table}`));

// The file's sections: { header, tables: [{ name, columns, rows, lines: [row line text] }], end }.
function sections(text) {
  const ls = text.split('\n').filter((l) => l !== '');
  const out = { header: JSON.parse(ls[0]), tables: [], end: JSON.parse(ls[ls.length - 1]) };
  for (let i = 1; i < ls.length - 1;) {
    const h = JSON.parse(ls[i++]);
    out.tables.push({ name: h.table, columns: h.columns, rows: h.rows, lines: ls.slice(i, i + h.rows) });
    i += h.rows;
  }
  return out;
}

before(() => {
  src = newDir(false); // the source is SQLite either way
  const demo = envgov('demo', '--data', src, '--enterprises', '20');
  assert.equal(demo.code, 0, demo.err);
  sql(src, `
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 11999)
    INSERT INTO readings (point_id, cn, data_time, factor, kind, value, flag, received_at)
    SELECT (SELECT MIN(id) FROM points) + i % 3, '2051',
           datetime('2026-01-01 00:00:00', '+' || (i * 37) || ' minutes'),
           CASE i % 2 WHEN 0 THEN 'a21026' ELSE 'w01018' END, 'Avg',
           CASE WHEN i % 97 = 0 THEN NULL WHEN i % 5 = 0 THEN i ELSE i / 7.0 END, 'N',
           '2026-11-22T10:00:00Z' FROM n;
    INSERT INTO org_units (name, parent_id, kind, status, created_at, updated_at)
    VALUES ('湖州市生态环境局 "直属" 单位', NULL, 'bureau', 'active', '2026-11-22T10:00:00Z', '2026-11-22T10:00:00Z');
    UPDATE org_units SET parent_id = (SELECT MAX(id) FROM org_units)
    WHERE id = (SELECT MIN(id) FROM org_units WHERE parent_id IS NOT NULL);
    INSERT INTO hj212_frames (point_id, mn, raw, received_at)
    VALUES (NULL, 'MN-X', '##0101QN=1;' || char(13, 10) || '"q" \\ 中文 ✓ ' || char(1), '2026-11-22T10:00:00Z');
    INSERT INTO hj212_messages (mn, qn, received_at) VALUES ('MN-X', '20261122100000001', '2026-11-22T10:00:00Z');
    INSERT INTO alarms (point_id, enterprise_id, kind, factor, first_at, last_at, value, limit_value)
    SELECT id, enterprise_id, 'exceed', 'a21026', '2026-11-22 10:00:00', '2026-11-22 10:05:00', 123.456, 100
    FROM points ORDER BY id LIMIT 1;
    INSERT INTO notifications (alarm_id, enterprise_id, event, title, created_at)
    SELECT id, enterprise_id, 'opened', '超标', '2026-11-22T10:05:00Z' FROM alarms;`);
  work = newDir(false);
  file = join(work, 'county.jsonl.gz');
});

after(() => {
  if (!process.env.ENVGOV_KEEP) for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('export-db writes every table, parents first, in one private gzip file', () => {
  const r = envgov('export-db', file, '--data', src);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /readings\s+12000\n/);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  lines = sections(text);
  assert.equal(lines.header.envgov_export, 1);
  assert.equal(lines.header.backend, 'sqlite');
  assert.equal(lines.header.schema_version, Number(sql(src, 'SELECT MAX(version) FROM schema_version')));
  // Discovered from the catalog: every table but the database's own bookkeeping
  // (schema_version, collation_versions), each with its count.
  const all = sql(src, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_version', 'collation_versions') ORDER BY name").split('\n');
  assert.deepEqual(lines.tables.map((t) => t.name).sort(), all);
  for (const t of lines.tables) assert.equal(t.rows, count(src, t.name), t.name);
  assert.deepEqual(lines.end, { end: true, tables: all.length, rows: lines.tables.reduce((s, t) => s + t.rows, 0) });
  // Foreign-key order, so import can insert in file order.
  const pos = new Map(lines.tables.map((t, i) => [t.name, i]));
  const fks = sql(src, "SELECT m.name, p.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) p WHERE m.type = 'table'");
  for (const [child, parent] of fks.split('\n').map((l) => l.split('|'))) {
    if (child !== parent) assert.ok(pos.get(parent) < pos.get(child), `${parent} before ${child}`);
  }
  // Typed values: a whole-number real stays a real, NULL is null, text is exact.
  const readings = lines.tables.find((t) => t.name === 'readings');
  assert.ok(readings.lines.some((l) => /,5\.0,"N"/.test(l)), 'whole-number real written as 5.0');
  assert.ok(readings.lines.some((l) => /,null,"N"/.test(l)));
  const frame = JSON.parse(lines.tables.find((t) => t.name === 'hj212_frames').lines[0]);
  assert.equal(frame[3], '##0101QN=1;\r\n"q" \\ 中文 ✓ \u0001');
  // The org unit that became a parent comes before its child although its id is higher.
  const units = lines.tables.find((t) => t.name === 'org_units').lines.map((l) => JSON.parse(l));
  const at = new Map(units.map((u, i) => [u[0], i]));
  for (const u of units) if (u[2] !== null) assert.ok(at.get(u[2]) < at.get(u[0]), `org unit ${u[0]}`);
  // An existing file is never overwritten.
  const again = envgov('export-db', file, '--data', src);
  assert.equal(again.code, 1);
  assert.match(again.err, /exists/);
});

test('import-db fills a new database with the same rows, counts checked', () => {
  dst = newDir(true);
  const r = envgov('import-db', file, '--data', dst);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`total\\s+${lines.end.rows}\\n`));
  assert.match(r.out, new RegExp(`into the ${process.env.ENVGOV_TEST_PG ? 'postgresql' : 'sqlite'} database`));
  for (const t of lines.tables) {
    assert.equal(count(dst, t.name), t.rows + (t.name === 'audit_log' ? 1 : 0), t.name);
  }
  assert.equal(sql(dst, 'SELECT id, uscc, name FROM enterprises ORDER BY id'),
    sql(src, 'SELECT id, uscc, name FROM enterprises ORDER BY id'));
  assert.equal(sql(dst, "SELECT actor || ' ' || action FROM audit_log ORDER BY id DESC LIMIT 1"), 'cli import_db');
  // Exported again from the copy, every row comes back byte for byte (the import's audit row
  // is the one addition).
  const copy = join(work, 'copy.jsonl');
  const e = envgov('export-db', copy, '--data', dst);
  assert.equal(e.code, 0, e.err);
  const back = sections(readFileSync(copy, 'utf8'));
  assert.equal(back.header.backend, process.env.ENVGOV_TEST_PG ? 'postgresql' : 'sqlite');
  assert.deepEqual(back.tables.map((t) => t.name), lines.tables.map((t) => t.name));
  for (const [i, t] of lines.tables.entries()) {
    const got = back.tables[i].lines;
    if (t.name === 'audit_log') {
      assert.deepEqual(got.slice(0, -1), t.lines);
      assert.match(got[got.length - 1], /"import_db"/);
    } else {
      assert.deepEqual(got, t.lines, t.name);
    }
  }
});

test('the imported database serves the demo and takes new rows (sequences reset)', async () => {
  const maxId = Number(sql(dst, 'SELECT MAX(id) FROM enterprises'));
  const maxAudit = Number(sql(dst, 'SELECT MAX(id) FROM audit_log'));
  const srv = await startServer({ dir: dst });
  try {
    const admin = await loginAs(srv.base, 'admin');
    const list = await admin.get('/api/v1/enterprises?limit=100&sort=id');
    assert.equal(list.status, 200);
    assert.deepEqual(list.json.items.map((x) => `${x.id}|${x.name}`).join('\n'),
      sql(src, 'SELECT id, name FROM enterprises ORDER BY id'));
    const c = await admin.post('/api/v1/enterprises', {
      name: '长兴县迁移测试印染有限公司', uscc: usccWithCheck('91330522MA987654X'),
      region_code: '330522', industry_code: '1713', category: 'general',
    });
    assert.equal(c.status, 201, JSON.stringify(c.json));
    assert.equal(c.json.id, maxId + 1);
    assert.ok(Number(sql(dst, 'SELECT MAX(id) FROM audit_log')) > maxAudit);
  } finally {
    await srv.stop(); // removes dst
  }
});

test('a database that holds data is refused, and left as it was', () => {
  const demo = newDir(true);
  assert.equal(envgov('demo', '--data', demo, '--enterprises', '3').code, 0);
  const before = count(demo, 'enterprises');
  const r = envgov('import-db', file, '--data', demo);
  assert.equal(r.code, 1);
  const named = /not empty \(([a-z0-9_]+) has (\d+) rows?/.exec(r.err);
  assert.ok(named, r.err);
  assert.equal(count(demo, named[1]), Number(named[2]));
  assert.match(r.err, /nothing was imported/);
  assert.equal(count(demo, 'enterprises'), before);
  assert.equal(count(demo, 'readings'), 0);
});

test('truncated, damaged or mismatched files are refused with nothing written', () => {
  const target = newDir(true);
  // import-db starts the database (migrated, code tables loaded) even when the file is refused.
  writeFileSync(join(work, 'first.jsonl'), 'not an export\n');
  assert.equal(envgov('import-db', join(work, 'first.jsonl'), '--data', target).code, 1);
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const ls = text.split('\n');
  const readingsAt = ls.findIndex((l) => l.startsWith('{"table":"readings"'));
  const cases = [
    ['truncated.jsonl', ls.slice(0, readingsAt + 7000).join('\n') + '\n', /ends where a row should follow: it is truncated/],
    ['cut.jsonl', text.slice(0, text.length - 30), /not valid JSON|truncated/],
    ['damaged.jsonl', ls.map((l, i) => (i === readingsAt + 6000 ? l.slice(0, 20) : l)).join('\n'),
      new RegExp(`line ${readingsAt + 6001}: not valid JSON`)],
    ['short.jsonl', ls.filter((_, i) => i !== readingsAt + 3).join('\n'), /readings has 11999 rows where its header announces more/],
    ['dup.jsonl', ls.map((l, i) => (i === readingsAt + 2 ? ls[readingsAt + 1] : l)).join('\n'), /the database refused it/],
    ['version.jsonl', text.replace(/"schema_version":\d+/, '"schema_version":999'), /schema version 999/],
    ['other.jsonl', 'id,name\n1,x\n', /not an envgov export-db file/],
    ['long.jsonl', ls[0] + '\n' + 'x'.repeat(17 << 20) + '\n', /longer than 16 MB/],
  ];
  const gz = readFileSync(file);
  writeFileSync(join(work, 'cut.jsonl.gz'), gz.subarray(0, Math.floor(gz.length * 0.6)));
  for (const [name, body, why] of cases) {
    writeFileSync(join(work, name), body);
  }
  cases.push(['cut.jsonl.gz', null, /gzip data ends early|truncated/]);
  const seeded = count(target, 'regions');
  for (const [name, , why] of cases) {
    const r = envgov('import-db', join(work, name), '--data', target);
    assert.equal(r.code, 1, `${name}: ${r.out}`);
    assert.match(r.err, why, name);
    assert.match(r.err, /nothing was imported/, name);
  }
  for (const t of ['users', 'enterprises', 'readings', 'audit_log', 'org_units']) assert.equal(count(target, t), 0, t);
  assert.equal(count(target, 'regions'), seeded); // the code tables emptied by the import are back
  // and the same target still takes the good file.
  const ok = envgov('import-db', file, '--data', target);
  assert.equal(ok.code, 0, ok.err);
  assert.equal(count(target, 'readings'), 12000);
});
