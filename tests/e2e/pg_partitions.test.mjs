// PostgreSQL only (ENVGOV_TEST_PG set): readings live in monthly partitions that envgov keeps
// ready ahead of time when it opens the database (and hourly), and drops whole when they fall
// out of readings_retention_months; a reading from a device with a wrong clock lands in the
// default partition and moves into its month's partition once that exists.
// Also at open: indexes in the zh collation are rebuilt when the ICU order changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, usePostgres, sql } from './lib.mjs';

const PG = !!process.env.ENVGOV_TEST_PG;

// Months as partition names, relative to this month in China time.
function month(delta) {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + delta, 1));
  return { name: `readings_${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`,
    time: `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-15 08:00:00` };
}
const partitions = (dir) => sql(dir, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'readings' ORDER BY 1").split('\n');

test('monthly partitions ahead, retention by whole months, the default partition emptied', { skip: !PG && 'needs ENVGOV_TEST_PG' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'envgov-part-'));
  try {
    usePostgres(dir);
    execFileSync(BIN, ['demo', '--data', dir, '--enterprises', '20'], { stdio: 'pipe' });
    // Opened with the defaults: last month to three months ahead.
    let have = partitions(dir);
    for (const d of [-1, 0, 1, 2, 3]) assert.ok(have.includes(month(d).name), `${month(d).name} in ${have}`);
    assert.ok(!have.includes(month(4).name));
    assert.ok(have.includes('readings_default'));
    const point = sql(dir, 'SELECT id FROM points ORDER BY id LIMIT 1');
    const put = (t) => sql(dir, `INSERT INTO readings (point_id, cn, data_time, factor, kind, value, flag, received_at) VALUES (${point}, '2011', '${t}', 'w01018', 'Rtd', 1, 'N', '2026-01-01T00:00:00Z')`);
    // Old data (an import, say) and a clock five months ahead: both in the default partition.
    sql(dir, `SELECT envgov_ensure_partitions(0, '${month(-6).time}')`);
    put(month(-6).time);
    put(month(5).time);
    assert.equal(sql(dir, 'SELECT COUNT(*) FROM readings_default'), '1');
    // The next open with six months ahead creates the month and moves the row out of default;
    // retention of three months drops the old partitions with their rows.
    execFileSync(BIN, ['user', 'list', '--data', dir], {
      stdio: 'pipe', env: { ...process.env, ENVGOV_PG_PARTITIONS_AHEAD: '6', ENVGOV_READINGS_RETENTION_MONTHS: '3' } });
    have = partitions(dir);
    assert.ok(have.includes(month(5).name));
    assert.ok(have.includes(month(6).name));
    assert.ok(!have.includes(month(-6).name), 'older than the retention: dropped');
    assert.ok(!have.includes(month(-7).name));
    assert.equal(sql(dir, 'SELECT COUNT(*) FROM readings_default'), '0');
    assert.equal(sql(dir, `SELECT COUNT(*) FROM readings WHERE data_time = '${month(5).time}'`), '1');
    assert.equal(sql(dir, `SELECT COUNT(*) FROM readings WHERE data_time = '${month(-6).time}'`), '0');
    // BRIN on time in every partition.
    assert.match(sql(dir, `SELECT indexdef FROM pg_indexes WHERE tablename = '${month(5).name}'`), /USING brin \(data_time\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an index built in an older ICU order is rebuilt at open, and the collation refreshed', { skip: !PG && 'needs ENVGOV_TEST_PG' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'envgov-coll-'));
  try {
    usePostgres(dir);
    execFileSync(BIN, ['demo', '--data', dir, '--enterprises', '5'], { stdio: 'pipe' });
    const version = "SELECT collversion = pg_collation_actual_version(oid) FROM pg_collation WHERE collname = 'zh' AND collnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())";
    assert.equal(sql(dir, version), 't');
    // As after a libicu upgrade: PostgreSQL recorded another version than the library reports.
    sql(dir, "UPDATE pg_collation SET collversion = '0' WHERE collname = 'zh' AND collnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())");
    assert.equal(sql(dir, version), 'f');
    const r = spawnSync(BIN, ['user', 'list', '--data', dir], { encoding: 'utf8', env: { ...process.env, ENVGOV_LOG_LEVEL: 'info' } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /zh collation: the ICU order changed: enterprises_name rebuilt/);
    assert.equal(sql(dir, version), 't');
    const again = spawnSync(BIN, ['user', 'list', '--data', dir], { encoding: 'utf8', env: { ...process.env, ENVGOV_LOG_LEVEL: 'info' } });
    assert.doesNotMatch(again.stderr, /rebuilt/); // once only
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
