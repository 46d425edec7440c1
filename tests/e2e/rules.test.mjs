// Rule sets (src/rules/): versions per kind and jurisdiction with an effective date, resolved by
// the most specific jurisdiction (two provinces in one database; a city beating its province),
// bodies checked against the kind's schema with errors naming the JSON path, admin-only
// writes with audit rows, export as a defaults file — and a version used by a decision (an
// alarm judged by the point's region's alarm.handling) cannot be changed or removed any more.
// Runs on SQLite, and on PostgreSQL with ENVGOV_TEST_PG.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, usccWithCheck, chinaToday } from './lib.mjs';
import { frame, device, until } from './hj212.mjs';

let srv, admin, hjPort, point;
const PW = '654321';
const MN = '33050000000000E2ERULE0001';
let qn = 0;
const nextQn = () => `20261201${String(++qn).padStart(9, '0')}`;
const rtd = (cp) => frame(`QN=${nextQn()};ST=32;CN=2011;PW=${PW};MN=${MN};Flag=5;CP=&&DataTime=20261201100000;${cp}&&`);
const permit = (warn) => ({ warn_days: warn, renew_before_days: 60 });

async function version(prefix, kind, body, day = '2026-01-01') {
  const r = await admin.post('/api/v1/rules', { kind, region_prefix: prefix, effective_from: day,
    source: `测试依据 ${prefix || '全国'}`, body });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
}

before(async () => {
  srv = await startServer({ enterprises: 5, env: { ENVGOV_ALARM_SWEEP_S: '1' } });
  hjPort = Number(/--hj212 127\.0\.0\.1:(\d+)/.exec(srv.proc.spawnargs.join(' '))[1]);
  admin = await loginAs(srv.base, 'admin');
  let r = await admin.post('/api/v1/enterprises', { name: '长兴县规则集测试有限公司',
    uscc: usccWithCheck('91330522MA7RULE10'), region_code: '330522', industry_code: '1713', category: 'key' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const ent = r.json;
  r = await admin.post(`/api/v1/enterprises/${ent.id}/outlets`, { code: 'DW001', name: '废水总排口', kind: 'water' });
  r = await admin.post(`/api/v1/enterprises/${ent.id}/points`, { outlet_id: r.json.id, mn: MN, name: '总排口', password: PW });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  point = r.json;
});
after(async () => { await srv?.stop(); });

describe('rule sets', () => {
  test('the shipped defaults are loaded, with their sources', async () => {
    const r = await admin.get('/api/v1/rules');
    assert.equal(r.status, 200);
    // Every shipped default is version 1 (other modules ship kinds of their own).
    const kinds = r.json.items.map((v) => `${v.kind}:${v.region_prefix}:${v.version}`);
    assert.ok(kinds.includes('alarm.handling::1') && kinds.includes('permit.expiry::1'), kinds.join());
    assert.ok(r.json.items.every((v) => v.version === 1 && !v.created_by_name));
    // Each kind has its default for everywhere; a kind may ship regional variants beside it
    // (positive.criteria: the Shaanxi-style grade A for 61).
    for (const kind of new Set(r.json.items.map((v) => v.kind))) {
      assert.ok(r.json.items.some((v) => v.kind === kind && v.region_prefix === ''), kind);
    }
    const p = r.json.items.find((v) => v.kind === 'permit.expiry');
    assert.match(p.source, /排污许可管理条例.*第十四条/);
    const k = await admin.get('/api/v1/rules/kinds');
    const names = k.json.items.map((x) => x.kind);
    assert.deepEqual(names, [...names].sort());
    assert.equal(k.json.items.find((x) => x.kind === 'permit.expiry').schema.properties.warn_days.type, 'integer');
    const d = await admin.get('/api/v1/dashboard');
    assert.equal(d.json.permit_warn_days, 60);
  });

  test('two provinces in one database each resolve their own; a city beats its province', async () => {
    const js = await version('32', 'permit.expiry', permit(90));
    const zj = await version('33', 'permit.expiry', permit(45));
    const hz = await version('3305', 'permit.expiry', permit(30));
    const zjLater = await version('33', 'permit.expiry', permit(40), '2099-01-01');
    assert.equal(zjLater.version, 2);
    const at = async (region, date = '2026-12-01') =>
      (await admin.get(`/api/v1/rules/resolve?kind=permit.expiry&region=${region}&date=${date}`)).json;
    assert.equal((await at('320106')).id, js.id);
    assert.equal((await at('330106')).id, zj.id);
    assert.equal((await at('330522')).id, hz.id);
    assert.equal((await at('330522')).body.warn_days, 30);
    assert.equal((await at('330106', '2099-01-01')).id, zjLater.id);
    assert.equal((await at('110101')).region_prefix, '');
    const none = await admin.get('/api/v1/rules/resolve?kind=permit.expiry&region=330522&date=2000-01-01');
    assert.equal(none.status, 404);
    // The leader's area is 湖州 (3305): the dashboard's window is 湖州's.
    const leader = await loginAs(srv.base, 'leader');
    assert.equal((await leader.get('/api/v1/dashboard')).json.permit_warn_days, 30);
  });

  test('a bad body is a 422 naming the JSON path; other fields are named too', async () => {
    const good = (await admin.get('/api/v1/rules/resolve?kind=alarm.handling&region=')).json.body;
    const bad = structuredClone(good);
    bad.handling[2].respond_hours = 0;
    let r = await admin.post('/api/v1/rules', { kind: 'alarm.handling', region_prefix: '3305',
      effective_from: '2026-01-01', source: 's', body: bad });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.code, 'invalid_body');
    assert.equal(r.json.error.field, '$.handling[2].respond_hours');
    assert.match(r.json.error.message, /at least 1/);
    r = await admin.post('/api/v1/rules', { kind: 'alarm.handling', region_prefix: '3305',
      effective_from: '2026-01-01', source: 's', body: { ...good, flags: 'XYZ' } });
    assert.equal(r.json.error.field, '$.flags');
    r = await admin.post('/api/v1/rules', { kind: 'alarm.handling', region_prefix: '3305',
      effective_from: '2026-01-01', source: 's', body: '{"offline_after_s": 1,' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'body');
    for (const [field, over] of [['kind', { kind: 'nope' }], ['region_prefix', { region_prefix: '330' }],
      ['effective_from', { effective_from: '2026-02-30' }], ['source', { source: '' }]]) {
      r = await admin.post('/api/v1/rules', { kind: 'permit.expiry', region_prefix: '33',
        effective_from: '2026-01-01', source: 's', body: permit(10), ...over });
      assert.equal(r.status, 422, field);
      assert.equal(r.json.error.field, field);
    }
    const monitor = await loginAs(srv.base, 'monitor');
    r = await monitor.post('/api/v1/rules', { kind: 'permit.expiry', region_prefix: '33',
      effective_from: '2026-01-01', source: 's', body: permit(10) });
    assert.equal(r.status, 403);
    assert.equal((await monitor.get('/api/v1/rules')).status, 200);
    const ent = await loginAs(srv.base, 'enterprise');
    assert.equal((await ent.get('/api/v1/rules')).status, 403);
  });

  test('an alarm records the version of its region that judged it, and that version cannot change', async () => {
    // 湖州's own alarm.handling: only D (fault) raises a flag alarm, not M (maintenance).
    const base = (await admin.get('/api/v1/rules/resolve?kind=alarm.handling&region=')).json.body;
    const hz = await version('3305', 'alarm.handling', { ...base, flags: 'D' }, chinaToday());
    const d = await device(hjPort);
    d.send(rtd('w01018-Rtd=20,w01018-Flag=M'));
    await d.reply();
    d.send(rtd('w01001-Rtd=7,w01001-Flag=D'));
    await d.reply();
    const list = await until(async () => {
      const x = (await admin.get(`/api/v1/alarms?point_id=${point.id}&kind=flag`)).json.items;
      return x.length && x;
    }, 8000, 'flag alarm');
    d.close();
    assert.deepEqual(list.map((a) => a.factor), ['w01001'], 'M is not an abnormal flag in 湖州');
    const alarm = (await admin.get(`/api/v1/alarms/${list[0].id}`)).json;
    assert.equal(alarm.rule_set_id, hz.id);
    assert.equal(alarm.rule_set_version, hz.version);
    assert.equal(alarm.rule_set_region, '3305');

    let r = await admin.get(`/api/v1/rules/${hz.id}`);
    assert.ok(r.json.used_at, 'used by the alarm');
    assert.equal(r.json.alarms, 1);
    r = await admin.put(`/api/v1/rules/${hz.id}`, { effective_from: hz.effective_from, source: 'x',
      body: { ...base, flags: 'DM' } });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'rule_set_used');
    r = await admin.del(`/api/v1/rules/${hz.id}`);
    assert.equal(r.status, 409);
    r = await admin.get(`/api/v1/rules/${hz.id}`);
    assert.equal(r.json.body.flags, 'D', 'unchanged');

    // A version no decision used may be corrected and removed; both are audited.
    const draft = await version('3305', 'alarm.handling', { ...base, flags: 'DT' }, '2099-01-01');
    r = await admin.put(`/api/v1/rules/${draft.id}`, { effective_from: '2098-01-01', source: '更正',
      body: { ...base, flags: 'DTC' } });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.body.flags, 'DTC');
    assert.equal(r.json.version, draft.version);
    assert.notEqual(r.json.sha256, draft.sha256);
    r = await admin.del(`/api/v1/rules/${draft.id}`);
    assert.equal(r.status, 204);
    assert.equal((await admin.get(`/api/v1/rules/${draft.id}`)).status, 404);
    const audit = (await admin.get('/api/v1/audit?entity=rule_set&limit=100')).json.items;
    assert.deepEqual(audit.filter((e) => e.entity_id === draft.id).map((e) => e.action).sort(),
      ['create', 'delete', 'update']);
    // Each row names the version as it was (the delete's too, written before the row went).
    assert.ok(audit.filter((e) => e.entity_id === draft.id).every((e) => e.record_name === `alarm.handling · 3305 · v${draft.version}`),
      JSON.stringify(audit.filter((e) => e.entity_id === draft.id).map((e) => e.record_name)));
  });

  test('a version exports as a defaults file', async () => {
    const list = (await admin.get('/api/v1/rules?kind=permit.expiry&region_prefix=32')).json.items;
    assert.equal(list.length, 1);
    const r = await admin.get(`/api/v1/rules/${list[0].id}/export`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-disposition'), /permit\.expiry-32-v1\.json/);
    const f = JSON.parse(r.body.toString());
    assert.equal(f.kind, 'permit.expiry');
    assert.deepEqual(f.versions[0].body, permit(90));
    assert.equal(f.versions[0].region_prefix, '32');
  });
});
