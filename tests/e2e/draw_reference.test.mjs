// Three implementations of the draw agree (docs/internals/draw.md): the C one (`envgov draw
// verify`), the Python reference (tests/draw_reference.py) and the browser's
// (web/js/draw/replay.js), on random snapshots — weights with zeros, recusal pairs, recusal by
// region prefix, balance on and off, 2 or 3 inspectors — and several seeds each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN } from './lib.mjs';
import { verify, sha256Hex } from '../../web/js/draw/replay.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// A small deterministic generator, so a failure can be replayed.
function rng(seed) {
  let x = seed >>> 0;
  return (n) => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x % n; };
}

function snapshot(k) {
  const r = rng(k + 1);
  const cats = ['general', 'key', 'special'];
  const pool = [];
  let id = 100;
  for (const c of cats) for (let i = 0, n = 5 + r(40); i < n; i++) pool.push({ id: (id += 1 + r(5)), c, region: `3305${String(21 + r(3))}`, w: [0, 500, 1000, 2000, 3000, 1][r(6)] });
  // Snapshots 0-11: small rosters, some inspectors recused by region prefix (the server's plain
  // scan); 12 and later: bigger rosters, no prefixes, many pairs (its Fenwick-tree picks).
  const big = k >= 12;
  const roster = [];
  let uid = 10;
  for (let i = 0, n = big ? 20 + r(60) : 4 + r(8); i < n; i++) roster.push({ id: (uid += 1 + r(3)), prefixes: !big && r(4) === 0 ? `3305${21 + r(3)}` : '-' });
  const pairs = new Set();
  for (let i = 0, n = big ? 50 + r(400) : r(30); i < n; i++) pairs.add(`${pool[r(pool.length)].id}\t${roster[r(roster.length)].id}`);
  const perTarget = 2 + r(2);
  const lines = ['envgov-draw-snapshot\t1', `plan\t${k}\t2026Q4\t3305\t2026-12-04`, 'rule_set\t1\t1', `inspectors_per_target\t${perTarget}`, `balance_load\t${r(2)}`];
  for (const c of cats) {
    const n = pool.filter((p) => p.c === c && p.w > 0).length;
    lines.push(`stratum\t${c}\t${n}\t${Math.min(n, r(n + 1))}`);
  }
  for (const c of cats) for (const p of pool.filter((q) => q.c === c)) lines.push(`target\t${p.id}\t${c}\t${p.region}\t${p.w}\t-\t0\tU${p.id}\t企业 ${p.id}`);
  for (const u of roster) lines.push(`inspector\t${u.id}\t${u.prefixes}\t执法 ${u.id}`);
  const sorted = [...pairs].map((s) => s.split('\t').map(Number)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [e, u] of sorted) lines.push(`recuse\t${u}\t${e}\tdeclared`);
  return Buffer.from(lines.join('\n') + '\n');
}

test('C, Python and JavaScript replay the same targets and inspectors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envgov-drawref-'));
  let compared = 0;
  for (let k = 0; k < 24; k++) {
    const bytes = snapshot(k);
    const file = join(dir, `s${k}.tsv`);
    writeFileSync(file, bytes);
    for (let j = 0; j < 3; j++) {
      const seed = randomBytes(32).toString('hex');
      const c = execFileSync(BIN, ['draw', 'verify', file, seed], { encoding: 'utf8' }).split('\n').filter((l) => /^\d/.test(l));
      const py = execFileSync('python3', [join(root, 'tests', 'draw_reference.py'), file, seed], { encoding: 'utf8' }).split('\n').filter(Boolean);
      const commitment = await sha256Hex(Buffer.from(seed, 'hex'));
      const js = await verify(readFileSync(file), seed, commitment, await sha256Hex(bytes));
      assert.ok(js.seedOk && js.snapshotOk);
      const jsLines = js.rows.map((x, i) => `${i + 1}\t${x.target.id}\t${x.target.category}\t${x.inspectors.map((u) => u.id).join(',')}`);
      assert.deepEqual(py, c, `python vs C, snapshot ${k}, seed ${seed}`);
      assert.deepEqual(jsLines, c, `javascript vs C, snapshot ${k}, seed ${seed}`);
      compared += c.length;
    }
  }
  assert.ok(compared > 100, `compared ${compared} targets`);
});

test('verify refuses a seed that does not match the commitment and a malformed snapshot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envgov-drawref-'));
  const file = join(dir, 's.tsv');
  writeFileSync(file, snapshot(3));
  const seed = '11'.repeat(32);
  assert.throws(() => execFileSync(BIN, ['draw', 'verify', file, seed, '--commitment', '00'.repeat(32)], { stdio: 'pipe' }), /not the commitment/);
  writeFileSync(file, Buffer.concat([snapshot(3), Buffer.from('target\tx\n')]));
  assert.throws(() => execFileSync(BIN, ['draw', 'verify', file, seed], { stdio: 'pipe' }), /malformed/);
  assert.throws(() => execFileSync(BIN, ['draw', 'verify', file, 'abc'], { stdio: 'pipe' }), /64 hex/);
});
