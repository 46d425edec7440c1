// Validation reports every problem of a write at once (issue 19): a body with several bad
// fields answers with all of them in error.errors, each naming its field, with a stable code
// and a message in Chinese and in English; error.code/message/field stay the first problem.
// Before, validation stopped at the first problem: an empty name with a bad USCC showed only
// the name.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, usccWithCheck } from './lib.mjs';

let srv, admin, inspector;
let seq = 0;
const code = (region = '330522') => usccWithCheck(`91${region}MA${String(200000 + ++seq * 7919).slice(-6)}X`);
const ent = (over = {}) => ({ name: `长兴县校验测试${++seq}号有限公司`, uscc: code(), region_code: '330522', industry_code: '1713', category: 'general', ...over });
const CJK = /[\u3400-\u9fff\uff00-\uffef]/;

before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.base, 'admin');
  inspector = await loginAs(srv.base, 'inspector');
});
after(async () => { await srv?.stop(); });

function byField(r) {
  assert.ok(Array.isArray(r.json.error.errors), JSON.stringify(r.json));
  return Object.fromEntries(r.json.error.errors.map((e) => [e.field, e]));
}

describe('every problem at once', () => {
  test('empty name and a bad USCC: both errors, first one kept in error.field', async () => {
    const good = code();
    const want = good[17];
    const got = want === '0' ? '1' : '0';
    const r = await admin.post('/api/v1/enterprises', ent({ name: '', uscc: good.slice(0, 17) + got }));
    assert.equal(r.status, 422);
    const e = byField(r);
    assert.deepEqual(Object.keys(e).sort(), ['name', 'uscc']);
    assert.equal(e.name.code, 'required');
    assert.equal(e.uscc.code, 'invalid_uscc');
    // The first problem is still where clients of the old shape look for it.
    assert.equal(r.json.error.field, r.json.error.errors[0].field);
    assert.equal(r.json.error.code, r.json.error.errors[0].code);
    assert.equal(r.json.error.message, r.json.error.errors[0].message);
    // English names the field in words and carries the Chinese message's detail.
    assert.equal(e.uscc.message_en, `Unified social credit code: check character should be ${want} (got ${got})`);
    assert.equal(e.uscc.message_zh, `统一社会信用代码无效：校验码错误，第18位应为 ${want}（现为 ${got}）`);
    assert.equal(e.name.message_en, 'Enterprise name: required');
    assert.equal(e.name.message_zh, '企业名称为必填项');
    for (const x of r.json.error.errors) {
      assert.ok(!CJK.test(x.message_en), x.message_en);
      assert.ok(CJK.test(x.message_zh), x.message_zh);
      assert.equal(x.message, `${x.message_zh} / ${x.message_en}`);
    }
  });

  test('many kinds of bad field in one body, plus missing required ones', async () => {
    const r = await admin.post('/api/v1/enterprises', {
      uscc: '12345', region_code: '999999', lat: 123, category: 'vip', tags: ['vip'],
      contact_phone: 'call me', color: 'red',
    });
    assert.equal(r.status, 422);
    const e = byField(r);
    assert.deepEqual(Object.keys(e).sort(), ['category', 'color', 'contact_phone', 'industry_code', 'lat',
      'name', 'region_code', 'tags', 'uscc']);
    assert.equal(e.color.code, 'unknown_field');
    assert.equal(e.industry_code.code, 'required');
    assert.equal(e.region_code.code, 'unknown_code');
    assert.equal(e.lat.code, 'range');
    assert.equal(e.uscc.message_en, 'Unified social credit code: must be 18 characters (has 5)');
    assert.equal(e.lat.message_en, 'Latitude: must be between -90 and 90');
    assert.equal(e.region_code.message_en, 'Region: 999999 is not a known region code (GB/T 2260)');
  });

  test("an entity's own checks are reported with the field errors (outlet, permit)", async () => {
    const c = await admin.post('/api/v1/enterprises', ent());
    assert.equal(c.status, 201);
    const o = await admin.post(`/api/v1/enterprises/${c.json.id}/outlets`, { code: 'DA001', name: '', kind: 'water' });
    assert.equal(o.status, 422);
    const oe = byField(o);
    assert.deepEqual(Object.keys(oe).sort(), ['code', 'name']);
    assert.equal(oe.code.message_en, 'Outlet code: must be DW followed by 3 digits, e.g. DW001');
    const p = await admin.post(`/api/v1/enterprises/${c.json.id}/permits`,
      { number: '', class: 'key', valid_from: '2026-03-01', valid_to: '2025-01-01' });
    assert.equal(p.status, 422);
    const pe = byField(p);
    assert.deepEqual(Object.keys(pe).sort(), ['number', 'valid_to']);
    assert.equal(pe.valid_to.message_zh, '有效期至不能早于有效期起');
    // Nothing was written by the refused requests.
    const outlets = await admin.get(`/api/v1/enterprises/${c.json.id}/outlets`);
    assert.equal(outlets.json.items.length, 0);
  });

  test('a user with a bad name, no org unit and a bad e-mail length: all reported', async () => {
    const r = await admin.post('/api/v1/users', { username: 'bad name!', display_name: '', role: 'inspector', email: 'x'.repeat(300) });
    assert.equal(r.status, 422);
    const e = byField(r);
    assert.deepEqual(Object.keys(e).sort(), ['display_name', 'email', 'org_unit_id', 'username']);
    assert.equal(e.username.message_en, 'User name: letters, digits and . _ - @ only');
    assert.equal(e.org_unit_id.code, 'required');
  });

  test('an API token with no name, a bad role, no user and a bad lifetime: all reported', async () => {
    const r = await admin.post('/api/v1/tokens', { name: '', role: 'boss', expires_days: 0 });
    assert.equal(r.status, 422);
    const e = byField(r);
    assert.deepEqual(Object.keys(e).sort(), ['expires_days', 'name', 'role', 'user_id']);
    assert.equal(e.role.message_en, 'Role: unknown role');
    assert.equal(e.expires_days.message_zh, '有效天数应为 1–3650');
  });

  test('update: one PATCH with several bad fields answers all of them', async () => {
    const c = await admin.post('/api/v1/enterprises', ent());
    const r = await admin.patch(`/api/v1/enterprises/${c.json.id}`, { name: '', lng: 500, industry_code: '9999' });
    assert.equal(r.status, 422);
    assert.deepEqual(Object.keys(byField(r)).sort(), ['industry_code', 'lng', 'name']);
    assert.equal((await admin.get(`/api/v1/enterprises/${c.json.id}`)).json.name, c.json.name);
  });

  test('out of area alone is 403; with field errors it is listed among them', async () => {
    const alone = await inspector.post('/api/v1/enterprises', ent({ region_code: '330502' }));
    assert.equal(alone.status, 403);
    assert.equal(alone.json.error.field, 'region_code');
    assert.equal(alone.json.error.code, 'out_of_scope');
    const both = await inspector.post('/api/v1/enterprises', ent({ region_code: '330502', name: '' }));
    assert.equal(both.status, 422);
    assert.deepEqual(Object.keys(byField(both)).sort(), ['name', 'region_code']);
  });

  test('import: a row with several problems reports each of them', async () => {
    const csv = '统一社会信用代码,名称,行政区划代码,行业代码,监管类别\r\n' +
      `${code().slice(0, 17)}Z,,999999,1713,一般\r\n`;
    const fd = new FormData();
    fd.append('file', new Blob([csv], { type: 'text/csv' }), 'x.csv');
    const r = await admin.req('POST', '/api/v1/enterprises/import?dry_run=1', fd);
    assert.equal(r.status, 422);
    assert.deepEqual(r.json.rows.map((x) => x.field).sort(), ['name', 'region_code', 'uscc']);
    // Each in either language alone too, for the import dialog's table.
    const uscc = r.json.rows.find((x) => x.field === 'uscc');
    assert.equal(uscc.message_en, "Unified social credit code: character 18 ('Z') is not used in these codes (no I O S V Z)");
    assert.ok(CJK.test(uscc.message_zh));
  });
});
