// The draw replayed in the browser (docs/internals/draw.md), independent of the server: parse a
// snapshot file, check its SHA-256 and the seed's against the published ones, and draw the
// targets and inspectors again with crypto.subtle's SHA-256 as the random stream. BigInt keeps
// the 64-bit integer arithmetic exact. Imports nothing, so node can run it too (tests/e2e).

const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join('');
export const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
export const sha256Hex = async (bytes) => hex(await sha256(bytes));

export function fromHex(s) {
  if (!/^[0-9a-fA-F]{64}$/.test(s)) throw new Error('seed: 64 hex digits');
  return Uint8Array.from(s.match(/../g), (b) => parseInt(b, 16));
}

export function parseSnapshot(bytes) {
  const text = new TextDecoder().decode(bytes);
  const lines = text.split('\n');
  if (lines[0] !== 'envgov-draw-snapshot\t1' || lines[lines.length - 1] !== '') throw new Error('not a draw snapshot');
  const s = { strata: [], pool: [], roster: [], recuse: new Set(), perTarget: 2, balance: false };
  for (const line of lines.slice(1, -1)) {
    const f = line.split('\t');
    if (f[0] === 'stratum') s.strata.push({ category: f[1], count: Number(f[3]) });
    else if (f[0] === 'target') s.pool.push({ id: Number(f[1]), category: f[2], region: f[3], weight: BigInt(f[4]), uscc: f[7] || '', name: f[8] || '' });
    else if (f[0] === 'inspector') s.roster.push({ id: Number(f[1]), prefixes: f[2] === '-' ? [] : f[2].split(',').filter(Boolean), name: f[3] || '' });
    else if (f[0] === 'recuse') s.recuse.add(`${f[1]}:${f[2]}`);
    else if (f[0] === 'inspectors_per_target') s.perTarget = Number(f[1]);
    else if (f[0] === 'balance_load') s.balance = f[1] === '1';
  }
  return s;
}

const TWO64 = 1n << 64n;

class Stream {
  constructor(seed, snapSha) {
    this.key = new Uint8Array(72);
    this.key.set(seed, 0);
    this.key.set(snapSha, 32);
    this.counter = 0n;
    this.words = [];
  }

  async word() {
    if (!this.words.length) {
      new DataView(this.key.buffer).setBigUint64(64, this.counter);
      this.counter += 1n;
      const b = new DataView((await sha256(this.key)).buffer);
      this.words = [0, 8, 16, 24].map((o) => b.getBigUint64(o));
    }
    return this.words.shift();
  }

  async uniform(n) {
    const limit = TWO64 - (TWO64 % n);
    for (;;) {
      const v = await this.word();
      if (v < limit) return v % n;
    }
  }
}

// [{ target, inspectors: [roster entries] }] in selection order.
export async function replay(snap, seed, snapSha) {
  const s = new Stream(seed, snapSha);
  const targets = [];
  for (const st of snap.strata) {
    const cands = snap.pool.filter((c) => c.category === st.category && c.weight > 0n);
    let total = cands.reduce((a, c) => a + c.weight, 0n);
    for (let k = 0; k < st.count; k++) {
      const r = await s.uniform(total);
      let acc = 0n;
      const i = cands.findIndex((c) => (acc += c.weight) > r);
      targets.push(cands[i]);
      total -= cands[i].weight;
      cands.splice(i, 1);
    }
  }
  const load = new Map(snap.roster.map((u) => [u.id, 0]));
  const out = [];
  for (const t of targets) {
    const eligible = snap.roster.filter((u) => !snap.recuse.has(`${u.id}:${t.id}`) && !u.prefixes.some((p) => t.region.startsWith(p)));
    const chosen = [];
    for (let m = 0; m < snap.perTarget; m++) {
      let left = eligible.filter((u) => !chosen.includes(u));
      if (snap.balance && left.length) {
        const least = Math.min(...left.map((u) => load.get(u.id)));
        left = left.filter((u) => load.get(u.id) === least);
      }
      if (!left.length) break;
      const u = left[Number(await s.uniform(BigInt(left.length)))];
      chosen.push(u);
      load.set(u.id, load.get(u.id) + 1);
    }
    out.push({ target: t, inspectors: chosen });
  }
  return out;
}

// The whole check: { snapshotOk, seedOk, rows } for the file bytes, the revealed seed and the
// published hashes.
export async function verify(bytes, seedHex, seedSha, snapshotSha) {
  const seed = fromHex(seedHex);
  const snapSha = await sha256(bytes);
  const snapshotOk = hex(snapSha) === snapshotSha;
  const seedOk = (await sha256Hex(seed)) === seedSha;
  const rows = await replay(parseSnapshot(bytes), seed, snapSha);
  return { snapshotOk, seedOk, rows };
}
