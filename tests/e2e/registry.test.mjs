// The enterprise registry end to end: validation answers with the field, writes are audited,
// search/filter/sort/paging, nested records, permits, import/export round trips and
// attachments — and the server keeps answering after malformed input.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, usccWithCheck } from './lib.mjs';

let srv, admin;
let seq = 0;
const code = (region = '330522') => usccWithCheck(`91${region}MA${String(100000 + ++seq * 7919).slice(-6)}X`);
const ent = (over = {}) => ({ name: `长兴县测试${++seq}号印染有限公司`, uscc: code(), region_code: '330522', industry_code: '1713', category: 'general', ...over });

before(async () => { srv = await startServer(); admin = await loginAs(srv.base, 'admin'); });
after(async () => { await srv?.stop(); });

describe('validation', () => {
  test('malformed bodies get 400 with a code', async () => {
    const r = await admin.req('POST', '/api/v1/enterprises', '{"name": ', { 'content-type': 'application/json' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'invalid_json');
    assert.equal((await admin.req('POST', '/api/v1/enterprises', '[1,2]', { 'content-type': 'application/json' })).status, 400);
  });

  const bad = [
    [{ name: 5 }, 'name', 422], [{ uscc: '91330522MA2B3C4D5N' }, 'uscc', 422], [{ uscc: '12345' }, 'uscc', 422],
    [{ region_code: '999999' }, 'region_code', 422], [{ industry_code: '9999' }, 'industry_code', 422],
    [{ category: 'vip' }, 'category', 422], [{ lat: 123 }, 'lat', 422], [{ tags: ['vip'] }, 'tags', 422],
    [{ status: 'inactive' }, 'status', 422], [{ color: 'red' }, 'color', 422], [{ name: '' }, 'name', 422],
    [{ contact_phone: 'call me' }, 'contact_phone', 422], [{ name: 'x'.repeat(500) }, 'name', 422],
  ];
  for (const [over, field, status] of bad) {
    test(`bad ${field}: ${JSON.stringify(over).slice(0, 40)} → ${status} naming ${field}`, async () => {
      const r = await admin.post('/api/v1/enterprises', ent(over));
      assert.equal(r.status, status, JSON.stringify(r.json));
      assert.equal(r.json.error.field, field);
      assert.ok(r.json.error.message.length > 5);
    });
  }

  test('a bad check character names the right one', async () => {
    const good = code();
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const r = await admin.post('/api/v1/enterprises', ent({ uscc: wrong }));
    assert.match(r.json.error.message, /校验码/);
    assert.ok(r.json.error.message.includes(good[17]));
  });

  test('duplicate USCC → 409; oversize body → 413; list parameters checked', async () => {
    const e = ent();
    assert.equal((await admin.post('/api/v1/enterprises', e)).status, 201);
    assert.equal((await admin.post('/api/v1/enterprises', { ...e, name: '另一个名字' })).status, 409);
    const big = { ...ent(), address: 'x'.repeat(1100000) };
    assert.equal((await admin.post('/api/v1/enterprises', big)).status, 413);
    for (const p of ['limit=0', 'limit=100000', 'cursor=@@@', 'sort=password']) {
      const r = await admin.get(`/api/v1/enterprises?${p}`);
      assert.equal(r.status, 422, p);
    }
    // Headers past the cap: refused with 413/431, or the connection is closed; never served.
    const huge = await fetch(`${srv.base}/api/v1/enterprises`, { headers: { 'x-junk': 'y'.repeat(40000) } }).catch(() => null);
    assert.ok(huge === null || [413, 431].includes(huge.status), String(huge?.status));
    assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
  });
});

describe('writes and reads', () => {
  test('create, update, deactivate: each audited with before and after', async () => {
    const c = await admin.post('/api/v1/enterprises', ent({ tags: ['high_growth', 'industrial_park'] }));
    assert.equal(c.status, 201);
    const id = c.json.id;
    assert.deepEqual(c.json.tags, ['high_growth', 'industrial_park']);
    assert.equal(c.json.region_name, '长兴县');
    const u = await admin.patch(`/api/v1/enterprises/${id}`, { address: '浙江省湖州市长兴县太湖街道1号', category: 'key' });
    assert.equal(u.status, 200);
    assert.equal(u.json.category, 'key');
    assert.equal((await admin.post(`/api/v1/enterprises/${id}/deactivate`)).json.status, 'inactive');
    const audit = await admin.get(`/api/v1/audit?entity=enterprise&entity_id=${id}`);
    assert.deepEqual(audit.json.items.map((a) => a.action), ['deactivate', 'update', 'create']);
    const upd = audit.json.items[1];
    assert.equal(upd.before.category, 'general');
    assert.equal(upd.after.category, 'key');
    assert.equal(upd.actor, 'admin');
  });

  test('2-character Chinese search, filters and sort', async () => {
    const r = await admin.get(`/api/v1/enterprises?q=${encodeURIComponent('印染')}&limit=200`);
    assert.ok(r.json.items.length > 0);
    assert.ok(r.json.items.every((e) => e.name.includes('印染') || e.address.includes('印染')));
    const key = await admin.get('/api/v1/enterprises?category=key&limit=500');
    assert.ok(key.json.items.length > 0 && key.json.items.every((e) => e.category === 'key'));
    const pre = await admin.get('/api/v1/enterprises?region_code=3305&limit=500');
    assert.ok(pre.json.items.every((e) => e.region_code.startsWith('3305')));
    const hg = await admin.get('/api/v1/enterprises?tags=high_growth&limit=500');
    assert.ok(hg.json.items.length > 0 && hg.json.items.every((e) => e.tags.includes('high_growth')));
    const asc = (await admin.get('/api/v1/enterprises?sort=uscc&limit=50')).json.items.map((e) => e.uscc);
    assert.deepEqual(asc, [...asc].sort());
    const desc = (await admin.get('/api/v1/enterprises?sort=-uscc&limit=50')).json.items.map((e) => e.uscc);
    assert.deepEqual(desc, [...desc].sort().reverse());
  });

  test('names sort by pinyin, across pages and in both directions', async () => {
    // Code-point order would put 北 (U+5317) before 安 (U+5B89) and 重 (U+91CD) last; 长 sorts
    // as cháng (ICU alone reads it zhǎng and would put 长兴 after 南浔).
    const pinyin = ['安吉', '北京', '长兴', '常州', '重庆', '杭州', '湖州', '南浔'].map((c) => `${c}拼音序测试公司`);
    for (const name of [3, 1, 6, 0, 7, 4, 2, 5].map((i) => pinyin[i])) {
      assert.equal((await admin.post('/api/v1/enterprises', ent({ name }))).status, 201);
    }
    const walk = async (sort) => {
      const names = [];
      let cursor = '';
      do {
        const p = await admin.get(`/api/v1/enterprises?q=${encodeURIComponent('拼音序')}&sort=${sort}&limit=3${cursor && `&cursor=${encodeURIComponent(cursor)}`}`);
        names.push(...p.json.items.map((e) => e.name));
        cursor = p.json.next_cursor;
      } while (cursor);
      return names;
    };
    assert.deepEqual(await walk('name'), pinyin);
    assert.deepEqual(await walk('-name'), [...pinyin].reverse());
  });

  test('cursor paging visits every enterprise exactly once', async () => {
    const first = await admin.get('/api/v1/enterprises?limit=37&total=1&sort=name');
    const total = first.json.total;
    const seen = new Set(first.json.items.map((e) => e.id));
    let cursor = first.json.next_cursor, pages = 1;
    while (cursor) {
      const p = await admin.get(`/api/v1/enterprises?limit=37&sort=name&cursor=${encodeURIComponent(cursor)}`);
      for (const e of p.json.items) { assert.ok(!seen.has(e.id), `id ${e.id} twice`); seen.add(e.id); }
      cursor = p.json.next_cursor;
      assert.ok(++pages < 100);
    }
    assert.equal(seen.size, total);
  });

  test('outlets, points, limits and permits nest under an enterprise', async () => {
    const id = (await admin.post('/api/v1/enterprises', ent())).json.id;
    const bad = await admin.post(`/api/v1/enterprises/${id}/outlets`, { code: 'DA001', name: '总排口', kind: 'water' });
    assert.equal(bad.json.error.field, 'code');
    const o = await admin.post(`/api/v1/enterprises/${id}/outlets`, { code: 'DW001', name: '废水总排口', kind: 'water', type: 'main' });
    assert.equal(o.status, 201);
    const p = await admin.post(`/api/v1/enterprises/${id}/points`, { mn: `33052200${seq}ABCDEF0123456`.slice(0, 24), name: '在线监测', password: 'Pw9x7z', outlet_id: o.json.id });
    assert.equal(p.status, 201, JSON.stringify(p.json));
    assert.equal(p.json.password, undefined);
    assert.ok(!JSON.stringify((await admin.get(`/api/v1/points/${p.json.id}`)).json).includes('Pw9x7z'));
    const l = await admin.post(`/api/v1/outlets/${o.json.id}/limits`, { pollutant_code: 'w01018', value: 80, unit: 'mg/L', basis: 'day', standard: 'GB 4287-2012' });
    assert.equal(l.status, 201);
    assert.equal(l.json.pollutant_name, '化学需氧量');
    assert.equal((await admin.post(`/api/v1/outlets/${o.json.id}/limits`, { pollutant_code: 'x99999', value: 1, unit: 'mg/L', basis: 'day' })).json.error.field, 'pollutant_code');
    const pm = await admin.post(`/api/v1/enterprises/${id}/permits`, { number: `${code()}001P`, class: 'key', valid_from: '2026-03-01' });
    assert.equal(pm.status, 201);
    assert.equal(pm.json.valid_to, '2031-02-28');
    const hist = await admin.get(`/api/v1/enterprises/${id}/history`);
    assert.deepEqual(new Set(hist.json.items.map((a) => a.entity)), new Set(['enterprise', 'outlet', 'point', 'limit', 'permit']));
  });

  test('permits due within 60 days and the dashboard agree', async () => {
    const r = await admin.get('/api/v1/permits?expiring_within_days=60&limit=500');
    const limit = new Date(Date.now() + 61 * 86400e3).toISOString().slice(0, 10);
    assert.ok(r.json.items.length > 0);
    assert.ok(r.json.items.every((p) => p.valid_to <= limit));
    const d = await admin.get('/api/v1/dashboard');
    assert.equal(d.json.permits_expiring.length, r.json.items.filter((p) => p.valid_to >= new Date().toISOString().slice(0, 10)).length);
    const total = await admin.get('/api/v1/enterprises?status=active&limit=1&total=1');
    assert.equal(d.json.enterprises.total, total.json.total);
  });
});

describe('import and export', () => {
  async function upload(path, bytes, name, type) {
    const fd = new FormData();
    fd.append('file', new Blob([bytes], { type }), name);
    return admin.post(path, fd);
  }

  test('CSV and XLSX exports re-import unchanged', async () => {
    const csv = await admin.get('/api/v1/enterprises/export?format=csv&category=key');
    assert.equal(csv.status, 200);
    assert.deepEqual([...csv.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = csv.body.toString('utf8');
    assert.match(text, /统一社会信用代码/);
    const rows = text.trim().split('\r\n').length - 1;
    const keyCount = (await admin.get('/api/v1/enterprises?category=key&limit=1&total=1')).json.total;
    assert.equal(rows, keyCount);
    const r1 = await upload('/api/v1/enterprises/import?dry_run=1', csv.body, 'key.csv', 'text/csv');
    assert.equal(r1.status, 200, JSON.stringify(r1.json));
    assert.deepEqual([r1.json.created, r1.json.updated, r1.json.unchanged], [0, 0, rows]);
    const xlsx = await admin.get('/api/v1/enterprises/export?format=xlsx');
    assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK');
    assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
    const r2 = await upload('/api/v1/enterprises/import', xlsx.body, 'all.xlsx', 'application/octet-stream');
    assert.equal(r2.status, 200, JSON.stringify(r2.json));
    assert.equal(r2.json.created + r2.json.updated, 0);
  });

  test('one bad row rejects the whole file and names row and field', async () => {
    const before = (await admin.get('/api/v1/enterprises?limit=1&total=1')).json.total;
    const a = ent(), b = ent(), c = ent();
    const csv = `统一社会信用代码,名称,行政区划代码,行业代码,监管类别,标签\r\n${a.uscc},${a.name},330522,1713,重点,重点企业、高成长\r\n` +
      `${b.uscc.slice(0, 17)}${b.uscc[17] === '0' ? '1' : '0'},${b.name},330522,1713,一般,\r\n${c.uscc},${c.name},330522,1713,general,\r\n`;
    const r = await upload('/api/v1/enterprises/import', Buffer.from(csv), 'x.csv', 'text/csv');
    assert.equal(r.status, 422);
    assert.equal(r.json.rows.length, 1);
    assert.equal(r.json.rows[0].row, 3);
    assert.equal(r.json.rows[0].field, 'uscc');
    assert.equal((await admin.get('/api/v1/enterprises?limit=1&total=1')).json.total, before);
    const fixed = csv.replace(/\r\n[^\r]*\r\n(?=[^\r]*\r\n$)/, `\r\n${b.uscc},${b.name},330522,1713,一般,\r\n`);
    const ok = await upload('/api/v1/enterprises/import', Buffer.from(fixed), 'x.csv', 'text/csv');
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    assert.equal(ok.json.created, 3);
    const got = (await admin.get(`/api/v1/enterprises?uscc=${a.uscc}`)).json.items[0];
    assert.deepEqual(got.tags, ['key_enterprise', 'high_growth']);
    assert.equal(got.category, 'key');
  });

  test('the same USCC twice in one file is refused naming both rows', async () => {
    const before = (await admin.get('/api/v1/enterprises?limit=1&total=1')).json.total;
    const a = ent(), b = ent();
    const csv = `统一社会信用代码,名称,行政区划代码,行业代码,监管类别\r\n${a.uscc},${a.name},330522,1713,重点\r\n` +
      `${b.uscc},${b.name},330522,1713,一般\r\n${a.uscc},${a.name}（改）,330522,1713,一般\r\n`;
    const r = await upload('/api/v1/enterprises/import', Buffer.from(csv), 'x.csv', 'text/csv');
    assert.equal(r.status, 422, JSON.stringify(r.json));
    assert.deepEqual(r.json.rows.map((x) => [x.row, x.field]), [[4, 'uscc']]);
    assert.match(r.json.rows[0].message, /第 2 行.*row 2/);
    assert.equal((await admin.get('/api/v1/enterprises?limit=1&total=1')).json.total, before);
  });

  test('unknown columns and garbage are refused', async () => {
    const r = await upload('/api/v1/enterprises/import', Buffer.from('统一社会信用代码,颜色\r\n1,2\r\n'), 'x.csv', 'text/csv');
    assert.equal(r.status, 422);
    assert.equal(r.json.rows[0].field, '颜色');
    const g = await upload('/api/v1/enterprises/import', Buffer.from('PK\x03\x04garbage'), 'x.xlsx', 'application/octet-stream');
    assert.equal(g.status, 422);
  });
});

describe('attachments', () => {
  test('upload, list, download; types checked', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const fd = new FormData();
    fd.append('entity', 'enterprise');
    fd.append('entity_id', '1');
    fd.append('file', new Blob([pdf], { type: 'application/pdf' }), '环评批复.pdf');
    const up = await admin.post('/api/v1/attachments', fd);
    assert.equal(up.status, 201, JSON.stringify(up.json));
    assert.equal(up.json.size, pdf.length);
    const list = await admin.get('/api/v1/attachments?entity=enterprise&entity_id=1');
    assert.ok(list.json.items.some((a) => a.id === up.json.id));
    const dl = await admin.get(`/api/v1/attachments/${up.json.id}/content`);
    assert.deepEqual(dl.body, pdf);
    assert.equal(dl.headers.get('content-type'), 'application/pdf');
    assert.match(dl.headers.get('content-disposition'), /filename\*=UTF-8''/);
    const html = new FormData();
    html.append('entity', 'enterprise'); html.append('entity_id', '1');
    html.append('file', new Blob(['<script>alert(1)</script>'], { type: 'text/html' }), 'x.html');
    assert.equal((await admin.post('/api/v1/attachments', html)).json.error.code, 'type_not_allowed');
    const fake = new FormData();
    fake.append('entity', 'enterprise'); fake.append('entity_id', '1');
    fake.append('file', new Blob([Buffer.from('\x89PNG\r\n\x1a\n')], { type: 'application/pdf' }), 'x.pdf');
    assert.equal((await admin.post('/api/v1/attachments', fake)).json.error.code, 'type_mismatch');
    const e = await loginAs(srv.base, 'enterprise');
    if (e.user.enterprise_id !== 1) {
      assert.equal((await e.get(`/api/v1/attachments/${up.json.id}/content`)).status, 404);
    }
  });
});
