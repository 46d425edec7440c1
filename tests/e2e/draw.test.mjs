// 双随机一公开 draws end to end: a plan over the demo county, commit (seed hash + snapshot),
// draw, the secrecy of targets before the visit day, reveal, replay by the CLI, by the Python
// reference (tests/draw_reference.py) and by the public API, outcomes and publication, and the
// snapshot changing when an input does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, loginAs, Client, BIN, sql, chinaToday } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 864e5).toISOString().slice(0, 10);

async function draw(leader, plan) {
  for (const step of ['commit', 'draw']) {
    const r = await leader.post(`/api/v1/draw/plans/${plan.id}/${step}`, {});
    assert.equal(r.status, 200, `${step}: ${r.body}`);
  }
  return (await leader.get(`/api/v1/draw/plans/${plan.id}`)).json;
}

test('plan, commit, draw, secrecy, reveal, verify (CLI, Python, public API), publish', async () => {
  const s = await startServer({ enterprises: 300 });
  try {
    const admin = await loginAs(s.base, 'admin');
    const leader = await loginAs(s.base, 'leader');
    const inspector = await loginAs(s.base, 'inspector');
    const approver = await loginAs(s.base, 'approver');
    const enterprise = await loginAs(s.base, 'enterprise');
    const me = inspector.user;
    // A second inspector in the same unit: the roster is the two of them (the demo's county
    // rosters, zf01 …, stand aside), so every target gets both.
    sql(s.dir, "UPDATE users SET status = 'inactive' WHERE username LIKE 'zf%'");
    const u2 = await admin.post('/api/v1/users', { username: 'inspector2', display_name: '执法大队 张伟', role: 'inspector', org_unit_id: me.org_unit_id });
    assert.equal(u2.status, 201, String(u2.body));
    const second = new Client(s.base);
    assert.equal((await second.login('inspector2', u2.json.one_time_password)).status, 200);
    assert.equal((await second.post('/api/v1/session/password', { old_password: u2.json.one_time_password, new_password: 'Draw#second2026x' })).status, 204);
    assert.equal((await second.login('inspector2', 'Draw#second2026x')).status, 200);
    const today = chinaToday();

    // Bad input names its field.
    let r = await leader.post('/api/v1/draw/plans', { period: '2026-4', visit_from: today, visit_to: today, categories: ['key'] });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'period');
    r = await leader.post('/api/v1/draw/plans', { period: '2026Q4', visit_from: today, visit_to: today, categories: ['vip'] });
    assert.equal(r.json.error.field, 'categories');
    r = await leader.post('/api/v1/draw/plans', { period: '2026Q4', visit_from: today, visit_to: today, categories: ['key'], org_unit_id: 9999 });
    assert.equal(r.json.error.field, 'org_unit_id');
    r = await leader.post('/api/v1/draw/plans', { period: '2026Q4', visit_from: today, visit_to: '2020-01-01', categories: ['key'] });
    assert.equal(r.json.error.field, 'visit_to');
    r = await inspector.post('/api/v1/draw/plans', { period: '2026Q4', visit_from: today, visit_to: today, categories: ['key'] });
    assert.equal(r.status, 403);

    // A positive-list firm is excluded (weight 0) under the shipped rule set.
    // (The demo lists a few firms itself: these two are not among them.)
    const unlisted = "status = 'active' AND id NOT IN (SELECT enterprise_id FROM positive_list)";
    const firm = Number(sql(s.dir, `SELECT id FROM enterprises WHERE category = 'key' AND ${unlisted} ORDER BY id LIMIT 1`));
    sql(s.dir, `INSERT INTO positive_list (enterprise_id, listed_from, listed_to, admitted_at) VALUES (${firm}, '2020-01-01', '2099-01-01', '2020-01-01T00:00:00Z')`);
    sql(s.dir, `INSERT INTO credit_current (subject_kind, subject_id, grade, score, rule_set_id, rule_version, since) SELECT 'enterprise', id, 'red', 40, 0, 0, '2026-01-01' FROM enterprises WHERE category = 'key' AND id <> ${firm} AND id % 3 = 0 ON CONFLICT (subject_kind, subject_id) DO UPDATE SET grade = excluded.grade`);
    // A declared relationship: recused in the snapshot.
    const other = Number(sql(s.dir, `SELECT id FROM enterprises WHERE category = 'key' AND ${unlisted} AND id <> ${firm} ORDER BY id LIMIT 1`));
    r = await inspector.post('/api/v1/draw/declarations', { enterprise_id: other, reason: '配偶在该企业任职' });
    assert.equal(r.status, 201, String(r.body));
    r = await inspector.post('/api/v1/draw/declarations', { enterprise_id: other, reason: '' });
    assert.equal(r.json.error.field, 'reason');
    r = await inspector.post('/api/v1/draw/declarations', { enterprise_id: other, user_id: u2.json.id, reason: '代他人申报' });
    assert.equal(r.json.error.field, 'user_id', 'an inspector declares only their own');
    const roster = (await leader.get('/api/v1/draw/inspectors')).json.items;
    assert.ok(roster.some((u) => u.id === u2.json.id));
    assert.equal((await approver.get('/api/v1/draw/inspectors')).status, 403);

    const pool = (await leader.get('/api/v1/draw/pool')).json.items;
    assert.ok(pool.some((x) => x.category === 'key' && x.grade === 'red' && x.n > 0));
    assert.ok(pool.some((x) => x.positive === 1));

    r = await leader.post('/api/v1/draw/plans', { title: '2026年第四季度双随机抽查', period: '2026Q4', region_prefix: '', categories: ['key', 'general'], visit_from: today, visit_to: today });
    assert.equal(r.status, 201, String(r.body));
    const plan = r.json;
    assert.equal(plan.state, 'draft');
    r = await leader.get(`/api/v1/public/draw/plans/${plan.id}`);
    assert.equal(r.status, 404, 'a draft is not public');

    r = await leader.post(`/api/v1/draw/plans/${plan.id}/commit`, {});
    assert.equal(r.status, 200, String(r.body));
    const committed = r.json;
    assert.match(committed.seed_sha256, /^[0-9a-f]{64}$/);
    assert.equal(committed.seed, null, 'the seed stays secret until revealed');
    r = await leader.post(`/api/v1/draw/plans/${plan.id}/commit`, {});
    assert.equal(r.status, 409);

    const snap = await new Client(s.base).get(`/api/v1/public/draw/plans/${plan.id}/snapshot`);
    assert.equal(snap.status, 200);
    assert.equal(sha256(snap.body), committed.snapshot_sha256);
    const text = snap.body.toString('utf8');
    assert.match(text, new RegExp(`^target\\t${firm}\\tkey\\t\\d+\\t0\\t`, 'm'), 'the positive-list firm has weight 0');
    assert.match(text, new RegExp(`^recuse\\t${me.id}\\t${other}\\tdeclared$`, 'm'));
    assert.match(text, /^stratum\tgeneral\t\d+\t\d+$/m);

    r = await leader.post(`/api/v1/draw/plans/${plan.id}/draw`, {});
    assert.equal(r.status, 200, String(r.body));
    const drawn = (await leader.get(`/api/v1/draw/plans/${plan.id}`)).json;
    assert.ok(drawn.targets.length > 0);
    assert.equal(drawn.targets.length, drawn.n_targets);
    assert.ok(!drawn.targets.some((t) => t.enterprise_id === firm));
    for (const t of drawn.targets) {
      const names = drawn.inspectors.filter((i) => i.target_id === t.id);
      if (t.enterprise_id === other) assert.ok(!names.some((i) => i.user_id === me.id), 'recusal honoured');
      else assert.equal(names.length, 2);
      assert.ok(t.case_id > 0);
    }

    // Secrecy: a plan visited next month hides its targets from the approver, not from the inspector.
    r = await leader.post('/api/v1/draw/plans', { period: '2026Q4', categories: ['key'], visit_from: addDays(today, 30), visit_to: addDays(today, 40) });
    const later = await draw(leader, r.json);
    assert.ok(later.targets.length > 0);
    const seen = (await approver.get(`/api/v1/draw/plans/${later.id}`)).json;
    assert.equal(seen.targets.length, 0);
    assert.equal(seen.targets_hidden_until_visit, true);
    assert.ok((await inspector.get(`/api/v1/draw/plans/${later.id}`)).json.targets.length > 0);
    assert.equal((await enterprise.get(`/api/v1/draw/plans/${later.id}`)).status, 403);
    // Nor through the inspection case: the approver and the enterprise itself are told there is none.
    const hidden = later.targets.find((t) => later.inspectors.some((i) => i.target_id === t.id && i.user_id === me.id));
    assert.equal((await approver.get(`/api/v1/cases/${hidden.case_id}`)).status, 404);
    const own = await new Client(s.base);
    await admin.patch(`/api/v1/users/${enterprise.user.id}`, { enterprise_id: hidden.enterprise_id });
    assert.equal((await own.login('enterprise')).status, 200);
    assert.equal((await own.get(`/api/v1/cases/${hidden.case_id}`)).status, 404);
    assert.equal((await inspector.get(`/api/v1/cases/${hidden.case_id}`)).status, 200, 'a drawn inspector sees it, wherever it is');
    r = await leader.post(`/api/v1/draw/plans/${later.id}/reveal`, {});
    assert.equal(r.status, 409, 'no reveal before the last visit day');
    assert.equal((await new Client(s.base).get(`/api/v1/public/draw/plans/${later.id}`)).json.seed, null);
    // Visited today: the approver sees them.
    assert.equal((await approver.get(`/api/v1/draw/plans/${plan.id}`)).json.targets.length, drawn.targets.length);
    // The 工作台: the inspector's drawn visits (today's plan due, next month's later), the plans
    // under way for the planner; nothing of the draws for the approver.
    const mine = (p) => p.targets.filter((t) => p.inspectors.some((i) => i.target_id === t.id && i.user_id === me.id)).length;
    const dash = (await inspector.get('/api/v1/dashboard')).json.draw;
    assert.equal(dash.my_visits_due, mine(drawn));
    assert.equal(dash.my_visits_open, mine(drawn) + mine(later));
    assert.equal(dash.plans_running, undefined, 'plan figures are the planners\'');
    const lead = (await leader.get('/api/v1/dashboard')).json.draw;
    assert.ok(lead.plans_running >= 2, JSON.stringify(lead));
    assert.equal((await approver.get('/api/v1/dashboard')).json.draw, undefined);

    // The inspection tasks: in the inspectors' to-do (the second inspector through the draw source).
    for (const c of [inspector, second]) {
      const todo = (await c.get('/api/v1/todo')).json;
      const items = todo.items || todo;
      assert.ok(items.some((i) => /双随机检查/.test(i.title)), `the inspection shows in ${c.user.username}'s 待办`);
    }

    // Reveal and verify.
    r = await leader.post(`/api/v1/draw/plans/${plan.id}/reveal`, {});
    assert.equal(r.status, 200, String(r.body));
    const pub = (await new Client(s.base).get(`/api/v1/public/draw/plans/${plan.id}`)).json;
    assert.equal(sha256(Buffer.from(pub.seed, 'hex')), pub.seed_sha256);
    assert.equal(pub.results, null, 'results only once published');
    const dir = mkdtempSync(join(tmpdir(), 'envgov-draw-'));
    const file = join(dir, 'snapshot.tsv');
    writeFileSync(file, snap.body);
    const cli = execFileSync(BIN, ['draw', 'verify', file, pub.seed, '--commitment', pub.seed_sha256], { encoding: 'utf8' });
    const lines = cli.trim().split('\n').filter((l) => /^\d/.test(l));
    const expect = drawn.targets.map((t) => `${t.seq}\t${t.enterprise_id}\t${t.category}\t${drawn.inspectors.filter((i) => i.target_id === t.id).map((i) => i.user_id).join(',')}`);
    assert.deepEqual(lines, expect);
    const py = execFileSync('python3', [join(root, 'tests', 'draw_reference.py'), file, pub.seed, pub.seed_sha256], { encoding: 'utf8' });
    assert.deepEqual(py.trim().split('\n'), expect);
    let bad = '0'.repeat(64);
    assert.throws(() => execFileSync(BIN, ['draw', 'verify', file, pub.seed, '--commitment', bad], { stdio: 'pipe' }));
    const replay = (await new Client(s.base).get(`/api/v1/public/draw/plans/${plan.id}/replay`)).json;
    assert.deepEqual(replay.targets.map((t) => `${t.seq}\t${t.enterprise_id}\t${t.category}\t${t.inspectors.join(',')}`), expect);

    // Outcomes, then publication.
    r = await leader.post(`/api/v1/draw/plans/${plan.id}/publish`, {});
    assert.equal(r.status, 409, 'not before every outcome is in');
    for (const t of drawn.targets) {
      const who = t.enterprise_id === other ? second : inspector;
      r = await who.post(`/api/v1/draw/targets/${t.id}/outcome`, t.seq % 2 ? { outcome: 'no_problem' } : { outcome: 'problems_found', note: '危废台账不全' });
      assert.equal(r.status, 200, String(r.body));
    }
    r = await inspector.post(`/api/v1/draw/targets/${drawn.targets[0].id}/outcome`, { outcome: 'no_problem' });
    assert.equal(r.status, 409);
    r = await leader.post(`/api/v1/draw/plans/${plan.id}/publish`, {});
    assert.equal(r.status, 200, String(r.body));
    const done = (await new Client(s.base).get(`/api/v1/public/draw/plans/${plan.id}`)).json;
    assert.equal(done.results.length, drawn.targets.length);
    assert.ok(done.results.every((x) => ['no_problem', 'problems_found'].includes(x.outcome)));
    const c = (await leader.get(`/api/v1/cases/${drawn.targets[0].case_id}`)).json;
    assert.equal(c.state, 'done');
    bad = (await admin.get('/api/v1/audit?entity=draw_plan&limit=50')).json.items.map((a) => a.action);
    for (const a of ['create', 'commit', 'draw', 'reveal', 'publish']) assert.ok(bad.includes(a), a);

    // A changed input changes the snapshot: one more firm on the positive list.
    const again = (await leader.post('/api/v1/draw/plans', { period: '2026Q4', categories: ['key', 'general'], visit_from: today, visit_to: today })).json;
    sql(s.dir, `INSERT INTO positive_list (enterprise_id, listed_from, listed_to, admitted_at) VALUES (${other}, '2020-01-01', '2099-01-01', '2020-01-01T00:00:00Z')`);
    const c2 = (await leader.post(`/api/v1/draw/plans/${again.id}/commit`, {})).json;
    assert.notEqual(c2.snapshot_sha256, committed.snapshot_sha256);
    const text2 = (await leader.get(`/api/v1/draw/plans/${again.id}/snapshot`)).body.toString('utf8');
    const body = (t) => t.split('\n').filter((l) => !/^(plan|recuse)\t/.test(l));
    const changed = body(text2).filter((l, i) => l !== body(text)[i]);
    assert.ok(changed.some((l) => l.startsWith(`target\t${other}\tkey\t`) && l.split('\t')[4] === '0' && l.split('\t')[6] === '1'), 'the newly listed firm is excluded');
    assert.ok(changed.some((l) => l.startsWith('stratum\tkey\t')), 'and the key stratum has one candidate fewer');
  } finally {
    await s.stop();
  }
});

test('a positive-list target opens waiting for the leader, who approves the visit', async () => {
  const s = await startServer({ enterprises: 60 });
  try {
    const leader = await loginAs(s.base, 'leader');
    const admin = await loginAs(s.base, 'admin');
    const inspector = await loginAs(s.base, 'inspector');
    sql(s.dir, "UPDATE users SET status = 'inactive' WHERE username LIKE 'zf%'"); // the roster: the two below
    await admin.post('/api/v1/users', { username: 'inspector2', display_name: '执法大队 张伟', role: 'inspector', org_unit_id: inspector.user.org_unit_id });
    // Down-weight instead of exclude, and list every key firm: whoever is drawn is listed.
    const cur = (await admin.get('/api/v1/rules/resolve?kind=draw.ratios&region=')).json;
    const body = { ...cur.body, positive_list: { mode: 'weight', factor: 0.2 }, ratios: [{ category: 'key', period: 'quarter', percent: 100 }] };
    let r = await admin.post('/api/v1/rules', { kind: 'draw.ratios', region_prefix: '', effective_from: chinaToday(), source: 'e2e', body });
    assert.equal(r.status, 201, String(r.body));
    sql(s.dir, "INSERT INTO positive_list (enterprise_id, listed_from, listed_to, admitted_at) SELECT id, '2020-01-01', '2099-01-01', '2020-01-01T00:00:00Z' FROM enterprises WHERE category = 'key'");
    // Every key firm graded blue (weight 1; the credit module's demo grades them otherwise).
    sql(s.dir, "INSERT INTO credit_current (subject_kind, subject_id, grade, score, rule_set_id, rule_version, since) SELECT 'enterprise', id, 'blue', 80, 0, 0, '2026-01-01' FROM enterprises WHERE category = 'key' ON CONFLICT (subject_kind, subject_id) DO UPDATE SET grade = excluded.grade");
    const today = chinaToday();
    const plan = (await leader.post('/api/v1/draw/plans', { period: '2026Q4', categories: ['key'], visit_from: today, visit_to: today })).json;
    const d = await draw(leader, plan);
    const snap = (await leader.get(`/api/v1/draw/plans/${plan.id}/snapshot`)).body.toString('utf8');
    assert.match(snap, /^target\t\d+\tkey\t\d+\t200\tblue\t1\t/m, 'weight 1 × 0.2 = 200 thousandths');
    const t = d.targets[0];
    let c = (await leader.get(`/api/v1/cases/${t.case_id}`)).json;
    assert.equal(c.state, 'awaiting_approval');
    const waiting = (await leader.get('/api/v1/todo')).json;
    assert.ok((waiting.items || waiting).some((i) => i.id === t.case_id), "the approval waits in the leader's 待办");
    r = await inspector.post(`/api/v1/draw/targets/${t.id}/outcome`, { outcome: 'no_problem' });
    assert.equal(r.status, 409, 'no visit before approval');
    r = await leader.post(`/api/v1/cases/${t.case_id}/transitions`, { action: 'approve' });
    assert.equal(r.status, 200, String(r.body));
    r = await inspector.post(`/api/v1/draw/targets/${t.id}/outcome`, { outcome: 'no_problem' });
    assert.equal(r.status, 200, String(r.body));
    c = (await leader.get(`/api/v1/cases/${t.case_id}`)).json;
    assert.equal(c.state, 'done');
  } finally {
    await s.stop();
  }
});
