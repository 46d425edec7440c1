// Emission rights (排污权) and total quantity (总量) end to end, on SQLite and (ENVGOV_TEST_PG)
// PostgreSQL: staff allocate rights to three firms (bad input naming the field, an ineligible
// pollutant refused), a trade moves free rights from one firm to another; a firm applies for a
// pledge loan (over 70 % of the appraised value refused), the bureau checks it, its bank decides
// (the cap again) and the bureau registers it: the pledged part then cannot be traded or retired
// (409), a buyback takes only the free part, release frees it. Another bank's user sees none of
// it. The reserve serves waiting total-quantity reviews in priority order (≥ 5 bn, ≥ 1 bn, then
// the rest; none overtakes the first it cannot serve), with the 2:1 ratio where the area missed
// its target; daily -Cou readings of a firm's point give its actual emissions against its
// holdings (over quota), flow × concentration where a point reports no -Cou, and a firm over
// quota last year is refused a pledge.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, usccWithCheck, sql, Client, chinaToday } from './lib.mjs';

let srv, admin, approver, leader, bank1, bank2;
const firms = {};
const banks = {};
const tag = Date.now().toString(36);

async function user(role, extra = {}) {
  const username = `q${role}${Object.keys(firms).length}${Object.keys(banks).length}${tag}`;
  const r = await admin.post('/api/v1/users', { username, display_name: `${role} 用户`, role, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const u = new Client(srv.base);
  assert.equal((await u.login(username, r.json.one_time_password)).status, 200);
  assert.equal((await u.post('/api/v1/session/password', { old_password: r.json.one_time_password, new_password: 'Quota#e2e2026x' })).status, 204);
  return { id: r.json.id, client: u };
}

async function firm(key, name, uscc17) {
  const r = await admin.post('/api/v1/enterprises', { name, uscc: usccWithCheck(uscc17), region_code: '330503', industry_code: '2614', category: 'key' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  firms[key] = { ...r.json };
  firms[key].user = (await user('enterprise', { enterprise_id: r.json.id })).client;
  return firms[key];
}

const year = chinaToday().slice(0, 4);
const lastYear = String(Number(year) - 1);

async function alloc(ent, pollutant, amount_t, extra = {}) {
  const r = await approver.post('/api/v1/quota/allocations', { enterprise_id: ent, pollutant, amount_t, origin: 'initial', valid_from: `${lastYear}-01-01`, valid_to: '2030-12-31', ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
}

async function held(ent, pollutant) {
  const r = await admin.get(`/api/v1/quota/holdings?enterprise_id=${ent}`);
  assert.equal(r.status, 200);
  const row = r.json.items.find((x) => x.pollutant === pollutant);
  return row ? { amount: row.amount_kg, pledged: row.pledged_kg } : { amount: 0, pledged: 0 };
}

before(async () => {
  srv = await startServer({ enterprises: 40 });
  admin = await loginAs(srv.base, 'admin');
  approver = await loginAs(srv.base, 'approver');
  leader = await loginAs(srv.base, 'leader');
  await firm('a', '南浔排污权测试印染有限公司', '91330503MA2QT0001');
  await firm('b', '南浔排污权测试造纸有限公司', '91330503MA2QT0002');
  await firm('c', '南浔排污权测试化工有限公司', '91330503MA2QT0003');
  for (const [k, name] of [['one', `排污权测试银行甲${tag}`], ['two', `排污权测试银行乙${tag}`]]) {
    const r = await admin.post('/api/v1/quota/banks', { name });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const u = await user('bank');
    assert.equal((await admin.put(`/api/v1/quota/banks/${r.json.id}/users/${u.id}`)).status, 200);
    banks[k] = { id: r.json.id, user: u.client };
  }
  bank1 = banks.one.user;
  bank2 = banks.two.user;
});

after(async () => { await srv?.stop(); });

describe('quota', () => {
  test('allocations: managers only, bad input names the field', async () => {
    const base = { enterprise_id: firms.a.id, pollutant: 'cod', amount_t: 10, origin: 'initial', valid_to: '2030-12-31' };
    for (const [patch, field] of [[{ pollutant: 'pm25' }, 'pollutant'], [{ pollutant: 'vocs' }, 'pollutant'], [{ amount_t: -1 }, 'amount_t'],
      [{ amount_t: 0.0001 }, 'amount_t'], [{ origin: 'gift' }, 'origin'], [{ valid_to: '2030-02-30' }, 'valid_to'], [{ enterprise_id: 99999999 }, 'enterprise_id']]) {
      const r = await approver.post('/api/v1/quota/allocations', { ...base, ...patch });
      assert.ok(r.status === 422 || r.status === 404, `${JSON.stringify(patch)} ${r.status}`);
      assert.equal(r.json.error.field, field, JSON.stringify(patch));
    }
    assert.equal((await firms.a.user.post('/api/v1/quota/allocations', base)).status, 403);
    assert.equal((await leader.post('/api/v1/quota/allocations', base)).status, 403);
    assert.equal((await bank1.post('/api/v1/quota/allocations', base)).status, 403);
    await alloc(firms.a.id, 'cod', 10);
    await alloc(firms.a.id, 'nox', 5, { origin: 'purchase', price: 4000 });
    await alloc(firms.c.id, 'cod', 3);
    assert.deepEqual(await held(firms.a.id, 'cod'), { amount: 10000, pledged: 0 });
    const lots = await admin.get(`/api/v1/quota/enterprises/${firms.a.id}`);
    assert.equal(lots.status, 200);
    assert.match(lots.json.lots[0].serial, new RegExp(`^PW-${lastYear}-${firms.a.id}-(cod|nox)-\\d{6}$`));
    const audit = sql(srv.dir, `SELECT COUNT(*) FROM audit_log WHERE entity = 'quota_lot' AND action = 'quota_allocate' AND entity_id IN (SELECT id FROM quota_lots WHERE enterprise_id = ${firms.a.id})`);
    assert.equal(Number(audit), 2);
  });

  test('trade: free rights move, the buyer gets a lot of the same term; short is 409', async () => {
    let r = await approver.post('/api/v1/quota/trades', { seller_id: firms.a.id, buyer_id: firms.a.id, pollutant: 'cod', amount_t: 1, price: 5000 });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'buyer_id');
    r = await approver.post('/api/v1/quota/trades', { seller_id: firms.a.id, buyer_id: firms.b.id, pollutant: 'cod', amount_t: 10.5, price: 5000 });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, 'amount_t');
    r = await approver.post('/api/v1/quota/trades', { seller_id: firms.a.id, buyer_id: firms.b.id, pollutant: 'cod', amount_t: 4, price: 5000 });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.new_lots.length, 1);
    assert.deepEqual(await held(firms.a.id, 'cod'), { amount: 6000, pledged: 0 });
    assert.deepEqual(await held(firms.b.id, 'cod'), { amount: 4000, pledged: 0 });
    const b = await firms.b.user.get(`/api/v1/quota/enterprises/${firms.b.id}`);
    assert.equal(b.status, 200);
    assert.equal(b.json.lots[0].origin, 'trade');
    assert.equal(b.json.lots[0].valid_to, '2030-12-31');
    assert.ok(b.json.movements.some((m) => m.kind === 'trade' && m.amount_kg === 4000 && m.from_enterprise_id === firms.a.id));
    // the firm sees only itself
    assert.equal((await firms.b.user.get(`/api/v1/quota/enterprises/${firms.a.id}`)).status, 404);
    const own = await firms.b.user.get('/api/v1/quota/holdings');
    assert.ok(own.json.items.length > 0 && own.json.items.every((x) => x.enterprise_id === firms.b.id));
  });

  let pledgeId;
  test('pledge: apply within 70 %, the bureau checks, only its bank decides, registration encumbers', async () => {
    const body = { bank_id: banks.one.id, pollutant: 'cod', amount_t: 5, appraised_yuan: 100000, requested_yuan: 80000 };
    let r = await firms.a.user.post('/api/v1/quota/pledges', body);
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'requested_yuan');
    r = await firms.a.user.post('/api/v1/quota/pledges', { ...body, bank_id: 99999999, requested_yuan: 60000 });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'bank_id');
    r = await firms.a.user.post('/api/v1/quota/pledges', { ...body, requested_yuan: 60000, enterprise_id: firms.b.id });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.enterprise_id, firms.a.id, 'a firm applies only for itself');
    assert.equal(r.json.state, 'applied');
    pledgeId = r.json.id;
    // the bank may not decide before the bureau's check, nor may the firm check
    assert.equal((await bank1.post(`/api/v1/quota/pledges/${pledgeId}/decide`, { approve: true, loan_yuan: 60000, rate_percent: 3.9 })).status, 409);
    assert.equal((await firms.a.user.post(`/api/v1/quota/pledges/${pledgeId}/check`, {})).status, 403);
    r = await approver.post(`/api/v1/quota/pledges/${pledgeId}/check`, { major_incident: false });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'checked');
    assert.deepEqual(r.json.reasons, []);
    // another bank sees nothing of it
    const other = await bank2.get('/api/v1/quota/pledges');
    assert.equal(other.status, 200);
    assert.equal(other.json.items.filter((p) => p.id === pledgeId).length, 0);
    assert.equal((await bank2.get(`/api/v1/quota/pledges/${pledgeId}`)).status, 404);
    assert.equal((await bank2.post(`/api/v1/quota/pledges/${pledgeId}/decide`, { approve: false })).status, 404);
    assert.equal((await bank2.get('/api/v1/quota/holdings')).status, 403);
    assert.equal((await bank2.get('/api/v1/enterprises')).status, 403);
    const mine = await bank1.get('/api/v1/quota/pledges');
    assert.ok(mine.json.items.some((p) => p.id === pledgeId));
    assert.ok(mine.json.items.every((p) => p.bank_id === banks.one.id));
    // the bank's decision within 70 % of the appraised value
    r = await bank1.post(`/api/v1/quota/pledges/${pledgeId}/decide`, { approve: true, loan_yuan: 70001, rate_percent: 3.9 });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'loan_yuan');
    r = await bank1.post(`/api/v1/quota/pledges/${pledgeId}/decide`, { approve: true, loan_yuan: 60000, rate_percent: 3.9 });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'approved');
    r = await approver.post(`/api/v1/quota/pledges/${pledgeId}/register`, {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'registered');
    assert.match(r.json.registration_no, /^PWZY-\d{4}-\d{6}$/);
    assert.deepEqual(await held(firms.a.id, 'cod'), { amount: 6000, pledged: 5000 });
  });

  test('encumbrance: a pledged right cannot be traded, retired or sold back; release frees it', async () => {
    let r = await approver.post('/api/v1/quota/trades', { seller_id: firms.a.id, buyer_id: firms.b.id, pollutant: 'cod', amount_t: 2, price: 5000 });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, 'amount_t');
    r = await approver.post('/api/v1/quota/retirements', { enterprise_id: firms.a.id, pollutant: 'cod', amount_t: 1.5, note: '关停' });
    assert.equal(r.status, 409);
    const before = (await admin.get('/api/v1/quota/reserve')).json.items.find((x) => x.pollutant === 'cod').amount_kg;
    r = await approver.post('/api/v1/quota/buybacks', { enterprise_id: firms.a.id, pollutant: 'cod', amount_t: 1, price: 4500 });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const afterRes = (await admin.get('/api/v1/quota/reserve')).json.items.find((x) => x.pollutant === 'cod').amount_kg;
    assert.equal(afterRes - before, 1000);
    assert.deepEqual(await held(firms.a.id, 'cod'), { amount: 5000, pledged: 5000 });
    r = await approver.post('/api/v1/quota/buybacks', { enterprise_id: firms.a.id, pollutant: 'cod', amount_t: 0.001, price: 1 });
    assert.equal(r.status, 409);
    // release on repayment (the bank may release too)
    r = await bank1.post(`/api/v1/quota/pledges/${pledgeId}/release`, {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'released');
    assert.deepEqual(await held(firms.a.id, 'cod'), { amount: 5000, pledged: 0 });
    assert.equal((await bank1.post(`/api/v1/quota/pledges/${pledgeId}/release`, {})).status, 409);
    r = await approver.post('/api/v1/quota/retirements', { enterprise_id: firms.a.id, pollutant: 'cod', amount_t: 1, note: '关停生产线' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.deepEqual(await held(firms.a.id, 'cod'), { amount: 4000, pledged: 0 });
    const kinds = (await admin.get(`/api/v1/quota/movements?enterprise_id=${firms.a.id}`)).json.items.map((m) => m.kind);
    for (const k of ['allocate', 'purchase', 'trade', 'pledge', 'buyback', 'release', 'retire']) assert.ok(kinds.includes(k), k);
  });

  test('reviews: ratio 2:1 where the target was missed, sources must add up, the reserve serves by priority', async () => {
    // clear what the demo left waiting
    let r = await approver.post('/api/v1/quota/reserve/serve', {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const cod = r.json.reserve.items.find((x) => x.pollutant === 'cod').amount_kg;
    assert.ok(cod > 1000, `reserve ${cod}`);
    const review = (ent, project, inv, items, extra = {}) => approver.post('/api/v1/quota/reviews', { enterprise_id: ent, project, investment_yuan: inv, items, ...extra });
    r = await review(firms.c.id, '扩建项目', 2e8, [{ pollutant: 'nox', amount_t: 1, missed_target: true, sources: [{ kind: 'reduction', amount_t: 1 }] }]);
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'items[0].sources');
    r = await review(firms.c.id, '扩建项目', 2e8, [{ pollutant: 'nox', amount_t: 1, sources: [{ kind: 'gift', amount_t: 1 }] }]);
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'items[0].sources[0]');
    r = await review(firms.c.id, '', 2e8, [{ pollutant: 'nox', amount_t: 1, sources: [{ kind: 'reserve', amount_t: 1 }] }]);
    assert.equal(r.json.error.field, 'project');
    // submitted first: an ordinary project that would fit in what the others leave
    const normal = await review(firms.c.id, '一般技改项目', 2e8, [{ pollutant: 'cod', amount_t: 0.1, sources: [{ kind: 'reserve', amount_t: 0.1 }] }]);
    assert.equal(normal.status, 201, JSON.stringify(normal.json));
    assert.equal(normal.json.tier, 'normal');
    const firstKg = cod - 400;
    const first = await review(firms.b.id, '十亿级项目', 1.5e9, [{ pollutant: 'cod', amount_t: firstKg / 1000, sources: [{ kind: 'reserve', amount_t: firstKg / 1000 }] }]);
    assert.equal(first.status, 201, JSON.stringify(first.json));
    assert.equal(first.json.tier, 'first');
    const full = await review(firms.a.id, '五十亿级项目', 6e9, [
      { pollutant: 'cod', amount_t: 0.4, sources: [{ kind: 'reserve', amount_t: 0.4 }] },
      { pollutant: 'nox', amount_t: 1, missed_target: true, sources: [{ kind: 'reduction', amount_t: 1.5, note: '锅炉超低排放改造' }, { kind: 'closure', amount_t: 0.5 }] },
    ]);
    assert.equal(full.status, 201, JSON.stringify(full.json));
    assert.equal(full.json.tier, 'full');
    const nox = full.json.items.find((i) => i.pollutant === 'nox');
    assert.equal(nox.ratio, 2);
    assert.equal(nox.required_kg, 2000);
    assert.equal(nox.reserve_kg, 0);
    r = await approver.post('/api/v1/quota/reserve/serve', {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(r.json.order.map((o) => [o.review_id, o.served]), [[full.json.id, true], [first.json.id, true], [normal.json.id, false]]);
    assert.equal(r.json.reserve.items.find((x) => x.pollutant === 'cod').amount_kg, 0);
    const got = await admin.get(`/api/v1/quota/reviews/${full.json.id}`);
    assert.equal(got.json.state, 'served');
    assert.ok(got.json.items.find((i) => i.pollutant === 'cod').lot_id > 0);
    assert.equal((await admin.get(`/api/v1/quota/reviews/${normal.json.id}`)).json.state, 'waiting');
    assert.equal((await firms.a.user.get(`/api/v1/quota/reviews/${first.json.id}`)).status, 404);
    // a reserve sale when the reserve is empty
    r = await approver.post('/api/v1/quota/reserve-sales', { enterprise_id: firms.c.id, pollutant: 'cod', amount_t: 0.1, price: 6000, valid_to: '2030-12-31' });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, 'amount_t');
    r = await approver.post('/api/v1/quota/reserve', { pollutant: 'cod', amount_t: 1, note: '关停企业收回' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    r = await approver.post('/api/v1/quota/reserve-sales', { enterprise_id: firms.c.id, pollutant: 'cod', amount_t: 0.1, price: 6000, valid_to: '2030-12-31' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  });

  test('emissions: daily -Cou totals against holdings; over quota last year refuses a pledge', async () => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const point = (ent, mn) => Number(sql(srv.dir, `INSERT INTO points (enterprise_id, mn, name, password, created_at, updated_at)
      VALUES (${ent}, '${mn}', '废水总排口', 'pw123456', '${now}', '${now}') RETURNING id`));
    const pa = point(firms.a.id, `QTA${tag}`);
    const pc = point(firms.c.id, `QTC${tag}`);
    const day = (y, d) => `${y}-01-${String(d).padStart(2, '0')} 00:00:00`;
    for (let d = 1; d <= 3; d++) {
      sql(srv.dir, `INSERT INTO readings (point_id, cn, data_time, factor, kind, value, received_at) VALUES (${pa}, '2031', '${day(year, d)}', 'w01018', 'Cou', 2000, '${now}')`);
      sql(srv.dir, `INSERT INTO readings (point_id, cn, data_time, factor, kind, value, received_at) VALUES (${pc}, '2031', '${day(lastYear, d)}', 'w01018', 'Cou', 1500, '${now}')`);
    }
    // firm b's point reports no COD -Cou: its daily Avg (mg/L) × the day's flow Cou (m³) / 1000;
    // a day with both takes the -Cou
    const pb = point(firms.b.id, `QTB${tag}`);
    const ins = (pt, dt, factor, kind, v) => sql(srv.dir, `INSERT INTO readings (point_id, cn, data_time, factor, kind, value, received_at) VALUES (${pt}, '2031', '${dt}', '${factor}', '${kind}', ${v}, '${now}')`);
    ins(pb, day(year, 1), 'w01018', 'Avg', 50); ins(pb, day(year, 1), 'w00000', 'Cou', 1000);
    ins(pb, day(year, 2), 'w01018', 'Avg', 40); ins(pb, day(year, 2), 'w00000', 'Cou', 500);
    ins(pb, day(year, 3), 'w01018', 'Avg', 99); ins(pb, day(year, 3), 'w00000', 'Cou', 1000); ins(pb, day(year, 3), 'w01018', 'Cou', 7);
    ins(pb, day(year, 4), 'w01018', 'Avg', 99); // no flow that day: not counted
    const bEm = (await admin.get(`/api/v1/quota/emissions?year=${year}&enterprise_id=${firms.b.id}`)).json.items.find((x) => x.pollutant === 'cod');
    assert.equal(bEm.actual_kg, 50 + 20 + 7);
    assert.equal(bEm.points[0].days, 3);
    let r = await firms.a.user.get(`/api/v1/quota/emissions?year=${year}`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const a = r.json.items.find((x) => x.enterprise_id === firms.a.id && x.pollutant === 'cod');
    assert.equal(a.actual_kg, 6000);
    assert.equal(a.points[0].point_id, pa);
    assert.equal(a.state, 'over'); // 6 t emitted, 4.4 t held
    assert.ok(r.json.items.every((x) => x.enterprise_id === firms.a.id));
    r = await admin.get(`/api/v1/quota/emissions?year=${lastYear}&enterprise_id=${firms.c.id}`);
    const c = r.json.items.find((x) => x.pollutant === 'cod');
    assert.equal(c.actual_kg, 4500);
    assert.equal(c.state, 'over'); // 4.5 t against 3 t
    assert.equal((await admin.get('/api/v1/quota/emissions?year=20x6')).json.error.field, 'year');
    // the 工作台 counts this year's rows over quota within the caller's scope
    const dash = await firms.a.user.get('/api/v1/dashboard');
    assert.equal(dash.status, 200);
    assert.deepEqual(dash.json.quota, { warnings: 1, over: 1, own: true });
    assert.ok((await admin.get('/api/v1/dashboard')).json.quota.over >= 1);
    r = await firms.c.user.post('/api/v1/quota/pledges', { bank_id: banks.one.id, pollutant: 'cod', amount_t: 1, appraised_yuan: 20000, requested_yuan: 10000 });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    r = await approver.post(`/api/v1/quota/pledges/${r.json.id}/check`, { major_incident: true });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'refused');
    assert.deepEqual(r.json.reasons.sort(), ['incident', 'over_quota']);
  });

  test('demo: the bank user sees its bank\'s registered pledge, the firm its holdings', async () => {
    const b = await loginAs(srv.base, 'bank');
    const r = await b.get('/api/v1/quota/pledges');
    assert.equal(r.status, 200);
    assert.ok(r.json.items.some((p) => p.state === 'registered'));
    const e = await loginAs(srv.base, 'enterprise');
    const h = await e.get('/api/v1/quota/holdings');
    assert.ok(h.json.items.some((x) => x.pledged_kg > 0));
  });
});
