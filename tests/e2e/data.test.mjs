// Issue 19, "data and the demo", end to end: the complete GB/T 4754 table (a bamboo firm in 安吉
// registers under 2041; a database made with the old table gains the missing codes at start),
// exports named in Chinese with China times inside, the import template (which imports as it
// is), and the demo's enterprise user, whose firm has monitoring points and whose name is the
// firm's 环保联系人.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, usccWithCheck, sql } from './lib.mjs';

let srv, admin;
let seq = 0;
const code = (region) => usccWithCheck(`91${region}MA7${String(100000 + ++seq * 7919).slice(-5)}X`);

// "YYYY-MM-DD HH:MM:SS" in China time of a UTC ISO timestamp.
const china = (iso) => new Date(Date.parse(iso) + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');

before(async () => { srv = await startServer({ enterprises: 40 }); admin = await loginAs(srv.base, 'admin'); });
after(async () => { await srv?.stop(); });

function upload(path, bytes, name, type) {
  const fd = new FormData();
  fd.append('file', new Blob([bytes], { type }), name);
  return admin.post(path, fd);
}

describe('GB/T 4754 industries', () => {
  test('division 20 has its classes: a bamboo-products firm in 安吉 is saved under 2041', async () => {
    const kids = await admin.get('/api/v1/industries?parent=204');
    assert.equal(kids.status, 200);
    assert.deepEqual(kids.json.items.map((i) => i.code), ['2041', '2042', '2043', '2049']);
    const r = await admin.post('/api/v1/enterprises', {
      name: '安吉县竹乡竹制品有限公司', uscc: code('330523'), region_code: '330523', industry_code: '2041', category: 'general',
    });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const got = await admin.get(`/api/v1/enterprises/${r.json.id}`);
    assert.equal(got.json.industry_code, '2041');
    assert.equal(got.json.industry_name, '竹制品制造');
    // 2051 is no GB/T 4754-2017 code (division 20 ends at group 204): still refused.
    const bad = await admin.post('/api/v1/enterprises', {
      name: '安吉县错码木业有限公司', uscc: code('330523'), region_code: '330523', industry_code: '2051', category: 'general',
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.json.error.field, 'industry_code');
  });

  test('a database loaded with the old, shorter table gains the missing codes when served', async () => {
    const s = await startServer({ enterprises: 5 });
    let dir = s.dir;
    try {
      sql(dir, "DELETE FROM industries WHERE code LIKE '20%' AND level > 2");
      assert.equal(sql(dir, "SELECT COUNT(*) FROM industries WHERE code LIKE '204%'"), '0');
      s.proc.kill('SIGTERM');
      await new Promise((r) => (s.proc.exitCode !== null || s.proc.signalCode !== null ? r() : s.proc.on('exit', r)));
      const again = await startServer({ dir });
      dir = null;
      try {
        const c = await loginAs(again.base, 'admin');
        const kids = await c.get('/api/v1/industries?parent=204');
        assert.deepEqual(kids.json.items.map((i) => i.code), ['2041', '2042', '2043', '2049']);
        assert.equal(sql(again.dir, 'SELECT COUNT(*) FROM industries WHERE level = 4'), '1381');
      } finally {
        await again.stop();
      }
    } finally {
      if (dir) await s.stop();
    }
  });
});

describe('exports', () => {
  test('the file is named in Chinese with the China date, and times inside are China time', async () => {
    const e = await admin.post('/api/v1/enterprises', {
      name: '安吉县导出时间测试有限公司', uscc: code('330523'), region_code: '330523', industry_code: '2041', category: 'key',
    });
    assert.equal(e.status, 201);
    for (const format of ['xlsx', 'csv']) {
      const days = [Date.now(), Date.now() + 60e3].map((ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10));
      const r = await admin.get(`/api/v1/enterprises/export?format=${format}&category=key`);
      assert.equal(r.status, 200);
      const cd = r.headers.get('content-disposition');
      const m = /^attachment; filename="([ -~]+)"; filename\*=UTF-8''(\S+)$/.exec(cd);
      assert.ok(m, cd);
      const name = decodeURIComponent(m[2]);
      assert.ok(days.some((d) => name === `企业档案-${d}.${format}`), name);
      assert.ok(days.some((d) => m[1] === `enterprises-${d}.${format}`), m[1]);
    }
    const csv = (await admin.get('/api/v1/enterprises/export?format=csv&category=key')).body.toString('utf8');
    const header = csv.replace(/^\uFEFF/, '').split('\r\n')[0].split(',');
    const row = csv.split('\r\n').find((l) => l.includes('安吉县导出时间测试有限公司')).split(',');
    const at = header.indexOf('更新时间');
    assert.ok(at > 0, header.join(','));
    assert.equal(row[at], china(e.json.updated_at));
    assert.doesNotMatch(csv, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  });

  test('every export route names its file in Chinese', async () => {
    const names = { points: '监测点', permits: '排污许可证', agencies: '环境服务机构' };
    for (const [path, title] of Object.entries(names)) {
      const r = await admin.get(`/api/v1/${path}/export?format=csv`);
      assert.equal(r.status, 200, path);
      const m = /filename\*=UTF-8''(\S+)$/.exec(r.headers.get('content-disposition'));
      assert.match(decodeURIComponent(m[1]), new RegExp(`^${title}-\\d{4}-\\d\\d-\\d\\d\\.csv$`));
    }
  });
});

describe('import template', () => {
  test('CSV and XLSX templates hold the importable columns and an example row that imports', async () => {
    const csv = await admin.get('/api/v1/enterprises/import-template?format=csv');
    assert.equal(csv.status, 200);
    assert.match(decodeURIComponent(/filename\*=UTF-8''(\S+)$/.exec(csv.headers.get('content-disposition'))[1]), /^企业档案导入模板\.csv$/);
    const lines = csv.body.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines.length, 2);
    const header = lines[0].split(',');
    for (const label of ['统一社会信用代码', '名称', '行政区划代码', '行业代码', '环保联系人', '监管类别', '标签']) {
      assert.ok(header.includes(label), label);
    }
    for (const serverOwned of ['ID', '状态', '创建时间', '更新时间', '行业名称']) assert.ok(!header.includes(serverOwned), serverOwned);
    const dry = await upload('/api/v1/enterprises/import?dry_run=1', csv.body, 'template.csv', 'text/csv');
    assert.equal(dry.status, 200, JSON.stringify(dry.json));
    assert.deepEqual([dry.json.created, dry.json.updated, dry.json.dry_run], [1, 0, true]);

    const xlsx = await admin.get('/api/v1/enterprises/import-template?format=xlsx');
    assert.equal(xlsx.status, 200);
    assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK');
    const real = await upload('/api/v1/enterprises/import', xlsx.body, 'template.xlsx', 'application/octet-stream');
    assert.equal(real.status, 200, JSON.stringify(real.json));
    assert.equal(real.json.created, 1);
    const uscc = lines[1].split(',')[0];
    const got = (await admin.get(`/api/v1/enterprises?uscc=${uscc}`)).json.items[0];
    assert.equal(got.industry_code, '2041');
    assert.equal(got.region_code, '330523');
    assert.equal((await admin.get('/api/v1/enterprises/import-template?format=pdf')).status, 422);
    const legal = await loginAs(srv.base, 'legal');
    assert.equal((await legal.get('/api/v1/enterprises/import-template')).status, 403);
  });
});

describe('demo enterprise user', () => {
  test('its firm has monitoring points and its 环保联系人 is the user', async () => {
    const e = await loginAs(srv.base, 'enterprise');
    const own = e.user.enterprise_id;
    const ent = await e.get(`/api/v1/enterprises/${own}`);
    assert.equal(ent.status, 200);
    assert.ok(ent.json.contact_name.length >= 2);
    assert.equal(e.user.display_name, ent.json.contact_name);
    const points = await e.get(`/api/v1/enterprises/${own}/points`);
    assert.ok(points.json.items.length >= 2, JSON.stringify(points.json));
    const board = await e.get('/api/v1/monitor/board');
    assert.ok(board.json.items.length >= 2);
    assert.ok(board.json.items.every((p) => p.enterprise_id === own));
  });
});
