// Casework on legal clocks, end to end over real TCP: an alarm opened by the monitor becomes a
// case with a handling deadline in the same transaction; it shows in the monitoring officer's
// to-do list (待办) and in its counts; the deadline passes (a 3-second limit from the
// case_alarm_limit setting, so no sleep beyond seconds), the case is overdue, the job
// cases.escalate (every second here) escalates it (督办) to the leader of its org unit's parent (长兴分局 has no leader; the city
// bureau has), and it reaches the leader's to-do with per-unit overdue counts. The case page
// offers the actions of the officer's role; illegal transitions are refused with a reason;
// pausing stops the clock; acknowledging the alarm through the alarm API moves its case; an
// enterprise user sees only their own enterprise's items.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, usccWithCheck, Client } from './lib.mjs';
import { frame, device, until } from './hj212.mjs';

let srv, admin, monitor, leader, inspector, hjPort, ent, point;
const PW = '654321';
const MN = '33050000000000E2ECAAE001';
let qn = 0;
const nextQn = () => `20261201${String(++qn).padStart(9, '0')}`;
const rtd = (cp) => frame(`QN=${nextQn()};ST=32;CN=2011;PW=${PW};MN=${MN};Flag=5;CP=&&DataTime=20261201100000;${cp}&&`);

async function alarmCase(kind) {
  const r = await admin.get(`/api/v1/alarms?point_id=${point.id}&kind=${kind}&limit=10`);
  assert.equal(r.status, 200);
  const a = r.json.items[0];
  if (!a) return null;
  const t = await monitor.get('/api/v1/todo');
  assert.equal(t.status, 200, JSON.stringify(t.json));
  for (const i of t.json.items.filter((x) => x.source === 'case' && x.title.includes('报警测试'))) {
    const c = await monitor.get(`/api/v1/cases/${i.id}`);
    if (c.json.subject_id === a.id) return { alarm: a, item: i };
  }
  return null;
}

before(async () => {
  srv = await startServer({
    enterprises: 20,
    env: { ENVGOV_ALARM_SWEEP_S: '1', ENVGOV_CASES_ESCALATE_SCHEDULE: 'every 1', ENVGOV_JOBS_POLL_S: '1',
      ENVGOV_CASE_ALARM_LIMIT: 'offline=8 work_hours;3 seconds' },
  });
  hjPort = Number(/--hj212 127\.0\.0\.1:(\d+)/.exec(srv.proc.spawnargs.join(' '))[1]);
  admin = await loginAs(srv.base, 'admin');
  monitor = await loginAs(srv.base, 'monitor');
  leader = await loginAs(srv.base, 'leader');
  inspector = await loginAs(srv.base, 'inspector');
  let r = await admin.post('/api/v1/enterprises', { name: '长兴县报警测试办件有限公司',
    uscc: usccWithCheck('91330522MA7CAAE00'), region_code: '330522', industry_code: '1713', category: 'key' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  ent = r.json;
  r = await admin.post(`/api/v1/enterprises/${ent.id}/outlets`, { code: 'DW001', name: '废水总排口', kind: 'water' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const outlet = r.json;
  r = await admin.post(`/api/v1/outlets/${outlet.id}/limits`, { pollutant_code: 'w01018', value: 50, unit: 'mg/L', basis: 'hour' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await admin.post(`/api/v1/enterprises/${ent.id}/points`, { outlet_id: outlet.id, mn: MN, name: '总排口在线监测', password: PW });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  point = r.json;
});
after(async () => { await srv?.stop(); });

describe('cases', () => {
  test('an alarm case goes overdue and reaches the leader\'s to-do', async () => {
    const before = await leader.get('/api/v1/todo/counts');
    assert.equal(before.status, 200);
    // The gateway's limits cache reloads every 10 s: send until the new limit is known.
    const d = await device(hjPort);
    const { alarm, item } = await until(async () => {
      d.send(rtd(`w01018-Rtd=${80 + (qn % 7)}.5,w01018-Flag=N`)); // varied: no stuck-value alarm
      assert.match(await d.reply(), /CN=9014/);
      return alarmCase('early_warning');
    }, 20000, 'the alarm case');
    d.close();
    assert.equal(item.state, 'open');
    assert.ok(item.due_at, 'a deadline');
    assert.ok(['on_track', 'due_soon', 'overdue'].includes(item.clock), item.clock);
    assert.match(item.org_unit_name, /长兴/);

    // The case page: 3 seconds from the setting, the monitor officer's actions with their fields.
    let c = await monitor.get(`/api/v1/cases/${item.id}`);
    assert.equal(c.status, 200, JSON.stringify(c.json));
    assert.equal(c.json.subject_kind, 'alarm');
    assert.equal(c.json.subject_id, alarm.id);
    assert.equal(c.json.unit, 'seconds');
    assert.equal(c.json.limit_n, 3);
    assert.equal(c.json.limit_source, 'setting case_alarm_limit');
    assert.equal(c.json.events[0].action, 'open');
    const actions = c.json.actions.map((a) => a.action).sort();
    assert.deepEqual(actions, ['acknowledge', 'close', 'pause', 'request_extension']);
    assert.deepEqual(c.json.actions.find((a) => a.action === 'acknowledge').required, ['note']);
    // The leader may not acknowledge; nothing waits on them yet.
    const lc = await leader.get(`/api/v1/cases/${item.id}`);
    assert.deepEqual(lc.json.actions, []);
    assert.equal(lc.json.escalated_at, null);

    // Overdue after 3 s; the job cases.escalate (every second) escalates to the city bureau's leader.
    const esc = await until(async () => {
      const t = await leader.get('/api/v1/todo');
      return t.json.items.find((i) => i.id === item.id) && t.json;
    }, 10000, 'the escalated case in the leader\'s to-do');
    const li = esc.items.find((i) => i.id === item.id);
    assert.equal(li.clock, 'overdue');
    assert.ok(li.escalated_at);
    assert.ok(esc.counts.overdue >= 1);
    const unit = esc.counts.units.find((u) => /长兴/.test(u.name));
    assert.ok(unit && unit.n_overdue >= 1, JSON.stringify(esc.counts.units));
    c = await monitor.get(`/api/v1/cases/${item.id}`);
    assert.equal(c.json.clock_state, 'overdue');
    assert.match(c.json.escalated_unit_name, /湖州市生态环境局/);
    assert.ok(c.json.events.some((e) => e.action === 'escalate'));
    const mc = await monitor.get('/api/v1/todo/counts');
    assert.ok(mc.json.overdue >= 1 && mc.json.total >= 1);
    // Regression (review of issue 12): escalation ran inside the monitor's sweep (watch_tick), so
    // a deployment without monitoring never escalated. It is the job cases.escalate now.
    const runs = (await admin.get('/api/v1/jobs/cases.escalate/runs?limit=1000')).json.items;
    assert.ok(runs.some((x) => x.status === 'ok' && /[1-9]\d* escalated/.test(x.note)), JSON.stringify(runs.slice(0, 3)));

    // An illegal transition is refused with the reason; nothing changes.
    let r = await monitor.post(`/api/v1/cases/${item.id}/transitions`, { action: 'resume' });
    assert.equal(r.status, 409, JSON.stringify(r.json));
    assert.match(r.json.error.message, / \/ /);
    r = await monitor.post(`/api/v1/cases/${item.id}/transitions`, { action: 'acknowledge' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'note');
    r = await leader.post(`/api/v1/cases/${item.id}/transitions`, { action: 'acknowledge', note: 'x' });
    assert.equal(r.status, 403);
    r = await monitor.post(`/api/v1/cases/${item.id}/transitions`, { action: 'fly' });
    assert.equal(r.status, 422);

    // Acknowledging through the alarm API moves the case (and stops its clock).
    r = await monitor.post(`/api/v1/alarms/${alarm.id}/acknowledge`, { note: '已通知企业排查' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    c = await monitor.get(`/api/v1/cases/${item.id}`);
    assert.equal(c.json.state, 'acknowledged');
    assert.equal(c.json.clock_state, 'stopped');
    assert.equal(c.json.due_at, null);
    assert.ok(c.json.stopped_due_at < new Date(c.json.stopped_at * 1000).toISOString(), 'acknowledged after its deadline');
    assert.deepEqual(c.json.actions.map((a) => a.action), ['close']);
    // Closing from the case page closes the alarm.
    r = await monitor.post(`/api/v1/cases/${item.id}/transitions`, { action: 'close', note: '企业已整改' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'closed');
    assert.equal(r.json.is_open, 0);
    const a = await admin.get(`/api/v1/alarms/${alarm.id}`);
    assert.equal(a.json.status, 'closed');
    const t = await monitor.get('/api/v1/todo');
    assert.ok(!t.json.items.some((i) => i.id === item.id));
    const audit = await admin.get(`/api/v1/audit?entity=case&entity_id=${item.id}`);
    assert.equal(audit.status, 200);
    assert.deepEqual(audit.json.items.map((x) => x.action).sort(), ['acknowledge', 'close', 'escalate', 'open']);
  });

  test('a paused clock has no deadline; resuming gives one; an extension needs the leader', async () => {
    const d = await device(hjPort);
    d.send(rtd('w01018-Rtd=20,w01018-Flag=D'));
    assert.match(await d.reply(), /CN=9014/);
    const { item } = await until(() => alarmCase('flag'), 5000, 'the flag case');
    d.close();
    let r = await monitor.post(`/api/v1/cases/${item.id}/transitions`, { action: 'pause', note: '等待运维单位到场' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'waiting');
    assert.equal(r.json.due_at, null);
    let c = await monitor.get(`/api/v1/cases/${item.id}`);
    assert.equal(c.json.clock_state, 'paused');
    assert.equal(c.json.pause_spans.length, 1);
    assert.equal(c.json.pause_spans[0].to, null);
    // The alarm API refuses to acknowledge while the case waits, with the engine's reason.
    r = await monitor.post(`/api/v1/alarms/${c.json.subject_id}/acknowledge`, { note: 'x' });
    assert.equal(r.status, 409);
    assert.match(r.json.error.message, /waiting/);
    r = await monitor.post(`/api/v1/cases/${item.id}/transitions`, { action: 'resume' });
    assert.equal(r.status, 200);
    assert.ok(r.json.due_at);
    assert.ok(r.json.paused_s >= 0);
    c = await monitor.get(`/api/v1/cases/${item.id}`);
    assert.ok(c.json.pause_spans[0].to);
    r = await monitor.post(`/api/v1/cases/${item.id}/transitions`, { action: 'request_extension', note: '需采样复核', extension: 60 });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'extension_requested');
    const due = r.json.due_at;
    r = await monitor.post(`/api/v1/cases/${item.id}/transitions`, { action: 'approve_extension' });
    assert.equal(r.status, 403);
    // Regression: an extension of 2^62 overflowed the clock and committed the case with no
    // deadline at all (never overdue, never escalated).
    for (const extension of [2 ** 62, 0, -5, 1001]) {
      r = await leader.post(`/api/v1/cases/${item.id}/transitions`, { action: 'approve_extension', extension });
      assert.equal(r.status, 422, `extension ${extension}: ${JSON.stringify(r.json)}`);
      assert.equal(r.json.error.field, 'extension');
    }
    r = await leader.post(`/api/v1/cases/${item.id}/transitions`, { action: 'approve_extension', extension: 60 });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'open');
    assert.equal(r.json.extended_n, 60);
    assert.ok(r.json.due_at > due, `${r.json.due_at} after ${due}`);

    // Attachments hang on the case; an enterprise user of another enterprise cannot add one.
    const fd = () => {
      const f = new FormData();
      f.append('entity', 'case');
      f.append('entity_id', String(item.id));
      f.append('file', new Blob(['现场检查记录\n'], { type: 'text/plain' }), '现场检查记录.txt');
      return f;
    };
    r = await monitor.post('/api/v1/attachments', fd());
    assert.equal(r.status, 201, JSON.stringify(r.json));
    c = await monitor.get(`/api/v1/cases/${item.id}`);
    assert.deepEqual(c.json.attachments.map((x) => x.name), ['现场检查记录.txt']);
    const e = await loginAs(srv.base, 'enterprise');
    r = await e.post('/api/v1/attachments', fd());
    assert.equal(r.status, 404);
  });

  test('an enterprise user\'s to-do holds their enterprise\'s open alarm cases, and they may explain', async () => {
    const name = `ent${Date.now().toString(36)}`;
    let r = await admin.post('/api/v1/users', { username: name, display_name: '办件测试企业用户', role: 'enterprise', enterprise_id: ent.id });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const u = new Client(srv.base);
    assert.equal((await u.login(name, r.json.one_time_password)).status, 200);
    assert.equal((await u.post('/api/v1/session/password', { old_password: r.json.one_time_password, new_password: 'Case#todo2026x' })).status, 204);
    const t = await u.get('/api/v1/todo');
    assert.equal(t.status, 200, JSON.stringify(t.json));
    const open = t.json.items.filter((i) => i.source === 'case');
    assert.ok(open.length >= 1, JSON.stringify(t.json));
    assert.ok(open.every((i) => i.enterprise_id === ent.id));
    assert.equal(t.json.counts.total, t.json.items.length);
    const c = await u.get(`/api/v1/cases/${open[0].id}`);
    assert.deepEqual(c.json.actions.map((a) => a.action), ['explain']);
    r = await u.post(`/api/v1/cases/${open[0].id}/transitions`, { action: 'explain', note: '设备校准中，已联系运维' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.events.at(-1).action, 'explain');
    r = await u.post(`/api/v1/cases/${open[0].id}/transitions`, { action: 'close' });
    assert.equal(r.status, 403);
  });

  test('enterprise users see only their own enterprise; cases are scoped', async () => {
    const e = await loginAs(srv.base, 'enterprise');
    const t = await e.get('/api/v1/todo');
    assert.equal(t.status, 200);
    assert.ok(!t.json.items.some((i) => i.source === 'case' && i.enterprise_id === ent.id));
    assert.ok(t.json.items.every((i) => i.source !== 'case' || i.enterprise_id === e.user.enterprise_id));
    const mine = await monitor.get('/api/v1/todo');
    const other = mine.json.items.find((i) => i.source === 'case');
    if (other) {
      const r = await e.get(`/api/v1/cases/${other.id}`);
      assert.equal(r.status, 404);
    }
    // 长兴 is the inspector's area: the 长兴 enterprise's case is visible, not actionable by
    // acknowledgement rules beyond their role's.
    const r = await inspector.get('/api/v1/todo/counts');
    assert.equal(r.status, 200);
    assert.equal(typeof r.json.total, 'number');
    assert.equal(r.json.units, undefined);
  });
});
