// Official documents (PostgreSQL under ENVGOV_TEST_PG, else SQLite): the permit-expiry reminder
// letter is issued as a PDF whose text (pdftotext) carries the enterprise, the number
// 湖环函〔YYYY〕N号, the date and the permit number, with an embedded CJK font (pdffonts); the
// download's SHA-256 is the stored one and the public page confirms it (扫码验真). Numbers stay
// 1..N without gaps or duplicates under 8 concurrent issuers on two processes, and a failed
// issue gives its number back. Enterprise users get only their own letters; the nightly run
// (envgov documents remind) is idempotent.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync, renameSync, rmSync, mkdtempSync, mkdirSync, utimesSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, loginAs, sql, freePort, BIN } from './lib.mjs';

let srv, other, admin, approver, approverB, ent, due;
const year = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4);
const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const dateCn = (d) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
const NUMBER = new RegExp(`^湖环函〔${year}〕(\\d+)号$`);

function pdfText(buf) {
  const dir = mkdtempSync(join(tmpdir(), 'envgov-doc-'));
  const file = join(dir, 'letter.pdf');
  writeFileSync(file, buf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  return { text, flat: text.replace(/\s+/g, ''), fonts };
}

// A second envgov process on the same database (as behind a load balancer).
async function second(dir) {
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--data', dir, '--http', `127.0.0.1:${port}`, '--hj212', `127.0.0.1:${await freePort()}`],
    { env: { ...process.env, ENVGOV_ACCESS_LOG: 'off' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { base, stop: () => new Promise((r) => { proc.on('exit', r); proc.kill('SIGTERM'); }) };
}

before(async () => {
  srv = await startServer({ enterprises: 300 });
  other = await second(srv.dir);
  admin = await loginAs(srv.base, 'admin');
  approver = await loginAs(srv.base, 'approver');
  approverB = await loginAs(other.base, 'approver');
  ent = await loginAs(srv.base, 'enterprise');
  const r = await approver.get('/api/v1/permits?expiring_within_days=60&limit=100');
  assert.equal(r.status, 200);
  due = r.json.items.filter((p) => p.valid_to >= today && p.enterprise_id !== ent.user.enterprise_id);
  assert.ok(due.length >= 14, `demo has ${due.length} permits due`);
});
after(async () => { await other?.stop(); await srv?.stop(); });

describe('permit-expiry reminder letter', () => {
  let letter, permit, pdf;

  test('approver issues it: a numbered PDF with the enterprise, number, date, permit and an embedded CJK font', async () => {
    permit = due[0];
    const r = await approver.post(`/api/v1/permits/${permit.id}/reminder`);
    assert.equal(r.status, 201, JSON.stringify(r.json));
    letter = r.json;
    assert.match(letter.number, NUMBER);
    assert.match(letter.sha256, /^[0-9a-f]{64}$/);
    const dl = await approver.get(letter.download_url);
    assert.equal(dl.status, 200);
    assert.equal(dl.headers.get('content-type'), 'application/pdf');
    pdf = dl.body;
    assert.equal(createHash('sha256').update(pdf).digest('hex'), letter.sha256, 'download hash = stored hash');
    const e = (await approver.get(`/api/v1/enterprises/${permit.enterprise_id}`)).json;
    const { text, flat, fonts } = pdfText(pdf);
    assert.ok(flat.includes(`${e.name}：`), text);
    assert.ok(flat.includes(letter.number), text);
    assert.ok(flat.includes(dateCn(today)), text);
    assert.ok(flat.includes(permit.number), `permit number in ${text}`);
    assert.ok(flat.includes(`有效期至${dateCn(permit.valid_to)}`), text);
    assert.ok(flat.includes('《排污许可管理条例》第十四条'), text);
    assert.ok(flat.includes(`/verify/${letter.verify_token}`), 'the verify URL is printed under the QR code');
    assert.match(fonts, /NotoSerifCJK\S*\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/, fonts);
    const audit = sql(srv.dir, `SELECT action || '|' || record_name FROM audit_log WHERE entity = 'document' AND entity_id = ${letter.id}`);
    assert.equal(audit, `issue|${e.name} · ${letter.number}`);
  });

  test('the public page confirms it, without a login; an unknown token does not', async () => {
    let r = await fetch(`${srv.base}/api/v1/public/documents/${letter.verify_token}`);
    assert.equal(r.status, 200);
    const v = await r.json();
    const e = (await approver.get(`/api/v1/enterprises/${permit.enterprise_id}`)).json;
    assert.deepEqual([v.valid, v.number, v.enterprise, v.sha256, v.issue_date, v.org_unit],
      [true, letter.number, e.name, letter.sha256, today, '湖州市生态环境局']);
    r = await fetch(`${srv.base}/verify/${letter.verify_token}`);
    assert.equal(r.status, 200);
    const html = await r.text();
    for (const s of ['真实有效', letter.number, e.name, letter.sha256, dateCn(today)]) assert.ok(html.includes(s), s);
    r = await fetch(`${srv.base}/api/v1/public/documents/AAAAAAAAAAAAAAAAAAAAAA`);
    assert.equal(r.status, 404);
    assert.match((await r.json()).error.message, /未查到该文书/);
    r = await fetch(`${srv.base}/verify/${'x'.repeat(300)}`);
    assert.equal(r.status, 404);
    assert.match(await r.text(), /未查到该文书/);
  });

  test('one letter per permit per validity period: a second is refused with the first number', async () => {
    const r = await approverB.post(`/api/v1/permits/${permit.id}/reminder`);
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'already_issued');
    assert.ok(r.json.error.message.includes(letter.number));
  });

  test('refusals: a permit not due, an unknown permit, a role that may not issue', async () => {
    const far = (await approver.get('/api/v1/permits?limit=200')).json.items.find((p) => p.valid_to > '2027-12-31');
    let r = await approver.post(`/api/v1/permits/${far.id}/reminder`);
    assert.equal(r.status, 422);
    assert.match(r.json.error.message, /提醒期/);
    r = await approver.post('/api/v1/permits/999999/reminder');
    assert.equal(r.status, 404);
    r = await ent.post(`/api/v1/permits/${due[1].id}/reminder`);
    assert.equal(r.status, 403);
    r = await (await loginAs(srv.base, 'inspector')).post(`/api/v1/permits/${due[1].id}/reminder`);
    assert.equal(r.status, 403);
  });

  test('8 concurrent issuers on two processes: numbers run on without gaps or duplicates', async () => {
    const first = Number(NUMBER.exec(letter.number)[1]);
    const batch = due.slice(1, 9);
    const rs = await Promise.all(batch.map((p, i) => (i % 2 ? approverB : approver).post(`/api/v1/permits/${p.id}/reminder`)));
    for (const r of rs) assert.equal(r.status, 201, JSON.stringify(r.json));
    const seqs = rs.map((r) => Number(NUMBER.exec(r.json.number)[1])).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: 8 }, (_, i) => first + 1 + i));
    assert.equal(new Set(rs.map((r) => r.json.verify_token)).size, 8);
    assert.equal(sql(srv.dir, `SELECT last FROM doc_sequences WHERE series = '函' AND year = ${year} AND org_unit_id = 1`), String(first + 8));
  });

  test('a failed issue gives its number back', async () => {
    const last = Number(sql(srv.dir, `SELECT last FROM doc_sequences WHERE series = '函' AND year = ${year} AND org_unit_id = 1`));
    // The attachment store cannot be written (a file where its directory should be).
    const dir = join(srv.dir, 'attachments');
    renameSync(dir, `${dir}.away`);
    writeFileSync(dir, 'not a directory');
    let r;
    try {
      r = await approver.post(`/api/v1/permits/${due[9].id}/reminder`);
    } finally {
      rmSync(dir);
      renameSync(`${dir}.away`, dir);
    }
    assert.equal(r.status, 500, JSON.stringify(r.json));
    assert.equal(sql(srv.dir, `SELECT COUNT(*) FROM documents WHERE subject_id = ${due[9].id}`), '0');
    r = await approver.post(`/api/v1/permits/${due[9].id}/reminder`);
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.number, `湖环函〔${year}〕${last + 1}号`);
  });

  test('an org unit without a document-number prefix cannot issue, and says what to set', async () => {
    const units = (await admin.get('/api/v1/org-units?limit=50')).json.items;
    const city = units.find((u) => u.name === '湖州市生态环境局');
    assert.equal(city.doc_prefix, '湖环');
    let r = await admin.patch(`/api/v1/org-units/${city.id}`, { doc_prefix: '' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    r = await approver.post(`/api/v1/permits/${due[10].id}/reminder`);
    assert.equal(r.status, 422);
    assert.match(r.json.error.message, /doc_prefix/);
    r = await admin.patch(`/api/v1/org-units/${city.id}`, { doc_prefix: '湖环' });
    assert.equal(r.status, 200);
    // Regression: another unit could take the same prefix, and its letters then drew numbers
    // that were already issued (a 500 on the unique number, the whole nightly run rolled back).
    const other = units.find((u) => u.id !== city.id && u.doc_prefix && u.doc_prefix !== '湖环');
    r = await admin.patch(`/api/v1/org-units/${other.id}`, { doc_prefix: '湖环' });
    assert.equal(r.status, 422, JSON.stringify(r.json));
    assert.equal(r.json.error.field, 'doc_prefix');
    assert.equal(r.json.error.code, 'taken');
  });
});

describe('enterprise users and their letters', () => {
  let own, foreign;

  before(async () => {
    // Bring the enterprise user's own permit into the reminder window, then issue its letter.
    const eid = ent.user.enterprise_id;
    const permits = (await admin.get(`/api/v1/enterprises/${eid}/permits`)).json.items;
    const soon = new Date(Date.now() + 8 * 3600e3 + 20 * 86400e3).toISOString().slice(0, 10);
    let r = await admin.patch(`/api/v1/permits/${permits[0].id}`, { valid_to: soon });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    r = await approver.post(`/api/v1/permits/${permits[0].id}/reminder`);
    assert.equal(r.status, 201, JSON.stringify(r.json));
    own = r.json;
    foreign = (await approver.get(`/api/v1/enterprises/${due[0].enterprise_id}/documents`)).json.items[0];
  });

  test('the enterprise lists and downloads its own letter', async () => {
    const r = await ent.get(`/api/v1/enterprises/${ent.user.enterprise_id}/documents`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.items.map((d) => d.number), [own.number]);
    assert.equal(r.json.items[0].title, '关于排污许可证即将到期的提醒函');
    const dl = await ent.get(`/api/v1/attachments/${r.json.items[0].attachment_id}/content`);
    assert.equal(dl.status, 200);
    assert.equal(createHash('sha256').update(dl.body).digest('hex'), own.sha256);
    assert.equal((await ent.get(`/api/v1/documents/${own.id}`)).status, 200);
  });

  test("another enterprise's documents stay hidden", async () => {
    assert.ok(foreign);
    assert.equal((await ent.get(`/api/v1/enterprises/${due[0].enterprise_id}/documents`)).status, 404);
    assert.equal((await ent.get(`/api/v1/documents/${foreign.id}`)).status, 404);
    assert.equal((await ent.get(`/api/v1/attachments/${foreign.attachment_id}/content`)).status, 404);
  });
});

describe('the nightly run', () => {
  test('envgov documents remind issues the letters still due, once', () => {
    const before = Number(sql(srv.dir, "SELECT COUNT(*) FROM documents WHERE kind = 'permit_reminder'"));
    const out = execFileSync(BIN, ['documents', 'remind', '--data', srv.dir], { encoding: 'utf8' });
    const n = Number(/(\d+) permit-expiry reminder/.exec(out)[1]);
    assert.equal(n, due.length - 10, out);
    const after = Number(sql(srv.dir, "SELECT COUNT(*) FROM documents WHERE kind = 'permit_reminder'"));
    assert.equal(after, before + n);
    const again = execFileSync(BIN, ['documents', 'remind', '--data', srv.dir], { encoding: 'utf8' });
    assert.match(again, /: 0 permit-expiry reminder/);
    // Job letters come from the unit responsible for the enterprise's region (属地).
    const units = sql(srv.dir, "SELECT DISTINCT substr(number, 1, 3) FROM documents WHERE issued_by IS NULL").split('\n');
    assert.ok(units.some((u) => u.startsWith('湖环') && u !== '湖环函'), units.join(','));
    const dupes = sql(srv.dir, 'SELECT COUNT(*) FROM (SELECT org_unit_id, year, series, seq FROM documents GROUP BY 1, 2, 3, 4 HAVING COUNT(*) > 1) x');
    assert.equal(dupes, '0');
    const gaps = sql(srv.dir, 'SELECT COUNT(*) FROM doc_sequences s WHERE s.last <> (SELECT COUNT(*) FROM documents d WHERE d.org_unit_id = s.org_unit_id AND d.year = s.year AND d.series = s.series)');
    assert.equal(gaps, '0');
  });

  test('the scheduled job documents.remind is the same run: nothing left to issue, and it says so', () => {
    const out = execFileSync(BIN, ['job', 'run', 'documents.remind', '--data', srv.dir], { encoding: 'utf8' });
    assert.match(out, /documents\.remind: ok .*发出到期提醒函 0 份/, out);
    const runs = sql(srv.dir, "SELECT COUNT(*) FROM job_runs WHERE job = 'documents.remind' AND status = 'ok'");
    assert.equal(runs, '1');
  });

  // Regression (review of issue 12): the window was the setting permit_reminder_days (60 for
  // every region) and the letter recorded no rule set. It is the permit.expiry version in force
  // for the enterprise's region; the letter records it and the version is marked used.
  test('the window is the permit.expiry rule set of the region; the letter records the version', async () => {
    const first = (await approver.get(`/api/v1/enterprises/${due[0].enterprise_id}/documents`)).json.items.at(-1);
    const national = (await admin.get(`/api/v1/rules/${first.rule_set_id}`)).json;
    assert.equal(national.kind, 'permit.expiry');
    assert.equal(first.rule_kind, 'permit.expiry');
    assert.equal(first.rule_version, national.version);
    assert.ok(national.used_at, 'the version a letter used is marked used');
    const pub = await (await fetch(`${srv.base}/api/v1/public/documents/${first.verify_token}`)).json();
    assert.deepEqual([pub.rule_kind, pub.rule_set_id, pub.rule_version], ['permit.expiry', national.id, national.version]);
    const html = await (await fetch(`${srv.base}/verify/${first.verify_token}`)).text();
    assert.ok(html.includes(`permit.expiry 第 ${national.version} 版`), html);

    // 长兴县 warns 120 days ahead from today on; elsewhere the national 60 days stay.
    const r = await admin.post('/api/v1/rules', { kind: 'permit.expiry', region_prefix: '330522', effective_from: today,
      source: '测试：长兴县提前 120 日提醒', body: { warn_days: 120, renew_before_days: 60 } });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const local = r.json;
    const ents = (await admin.get('/api/v1/enterprises?limit=300')).json.items.filter((e) => e.id !== ent.user.enterprise_id);
    const in90 = new Date(Date.now() + 8 * 3600e3 + 90 * 86400e3).toISOString().slice(0, 10);
    const permitOf = async (e) => {
      const p = (await admin.get(`/api/v1/enterprises/${e.id}/permits`)).json.items.find((x) => x.status === 'active');
      if (!p) return null;
      assert.equal((await admin.patch(`/api/v1/permits/${p.id}`, { valid_to: in90 })).status, 200);
      return p;
    };
    let cx = null, elsewhere = null;
    for (const e of ents.filter((x) => x.region_code.startsWith('330522'))) if (!cx) cx = await permitOf(e);
    for (const e of ents.filter((x) => !x.region_code.startsWith('330522'))) if (!elsewhere) elsewhere = await permitOf(e);
    assert.ok(cx && elsewhere);
    let q = await approver.post(`/api/v1/permits/${elsewhere.id}/reminder`);
    assert.equal(q.status, 422, JSON.stringify(q.json));
    assert.match(q.json.error.message, /90 日后到期，尚未进入 60 日提醒期（规则集 permit.expiry）/);
    q = await approver.post(`/api/v1/permits/${cx.id}/reminder`);
    assert.equal(q.status, 201, JSON.stringify(q.json));
    assert.deepEqual([q.json.rule_set_id, q.json.rule_version], [local.id, local.version]);
    const doc = (await approver.get(`/api/v1/documents/${q.json.id}`)).json;
    assert.deepEqual([doc.rule_set_id, doc.rule_kind, doc.rule_region], [local.id, 'permit.expiry', '330522']);
    assert.ok((await admin.get(`/api/v1/rules/${local.id}`)).json.used_at);
    // A used version cannot change any more: the letter's basis stays what it was.
    assert.equal((await admin.put(`/api/v1/rules/${local.id}`, { effective_from: today, source: 'x', body: { warn_days: 30, renew_before_days: 60 } })).status, 409);
  });

  // Review of issue 12: the bytes of an upload or letter whose transaction rolled back stayed in
  // the blob store for ever. store.maintain removes the files no attachment row names once
  // nobody wrote or reused them for a day; named ones, and young ones, stay.
  test('store.maintain sweeps orphaned blobs and leftover .tmp files, and nothing else', async () => {
    const sha = sql(srv.dir, "SELECT a.sha256 FROM attachments a JOIN documents d ON d.attachment_id = a.id ORDER BY d.id LIMIT 1");
    const blob = (h) => join(srv.dir, 'attachments', h.slice(0, 2), h);
    const old = new Date(Date.now() - 2 * 86400e3);
    utimesSync(blob(sha), old, old); // named by its row: kept however old
    const orphan = 'ab'.repeat(32), young = 'cd'.repeat(32), tmp = `${'ef'.repeat(32)}.4242.tmp`;
    for (const h of [orphan, young, tmp]) {
      mkdirSync(join(srv.dir, 'attachments', h.slice(0, 2)), { recursive: true });
      writeFileSync(blob(h), 'bytes of a rolled-back issue');
    }
    utimesSync(blob(orphan), old, old);
    utimesSync(blob(tmp), old, old);
    const out = execFileSync(BIN, ['job', 'run', 'store.maintain', '--data', srv.dir], { encoding: 'utf8' });
    assert.match(out, /store\.maintain: ok .*2 orphaned attachment files removed/, out);
    assert.ok(!existsSync(blob(orphan)) && !existsSync(blob(tmp)));
    assert.ok(existsSync(blob(young)) && existsSync(blob(sha)));
    const id = sql(srv.dir, `SELECT id FROM attachments WHERE sha256 = '${sha}' LIMIT 1`);
    const dl = await admin.get(`/api/v1/attachments/${id}/content`);
    assert.equal(dl.status, 200);
    assert.equal(createHash('sha256').update(dl.body).digest('hex'), sha);
    const again = execFileSync(BIN, ['job', 'run', 'store.maintain', '--data', srv.dir], { encoding: 'utf8' });
    assert.doesNotMatch(again, /orphaned/, again);
  });

  test('the server still answers', async () => {
    assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
  });
});
