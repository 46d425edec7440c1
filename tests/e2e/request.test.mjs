// Requests and complaints end to end: the public form (token, abuse limits, anonymity, repeats
// linked not merged), staff entry of hotline calls, an enterprise's own requests, every
// transition of the request case type with its refusals, the extension's approval, a site visit
// that becomes an inspection task, closing with the answer, the follow-up, reopening on a new
// case, the overdue list and escalation, role and enterprise scoping, and what the tracking page
// shows (and does not).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, sql } from './lib.mjs';
import { nextYearCalendar, formToken, fileComplaint } from './request_lib.mjs';

let srv, admin, leader, inspector, service, ent, approver;
// 长兴县 (the inspector's and service officer's area), 吴兴区 elsewhere in 湖州
const CX = '330522', WX = '330502';

before(async () => {
  srv = await startServer({ enterprises: 30, env: { ENVGOV_REQUEST_FORM_BURST: '500' } });
  [admin, leader, inspector, service, ent, approver] = await Promise.all(
    ['admin', 'leader', 'inspector', 'service', 'enterprise', 'approver'].map((u) => loginAs(srv.base, u)));
  await nextYearCalendar(admin);
});
after(async () => { await srv.stop(); });

const act = (c, id, action, extra = {}) => c.post(`/api/v1/requests/${id}/actions`, { action, ...extra });
async function staffId(code) {
  const l = await admin.get(`/api/v1/requests?q=${code}`);
  assert.equal(l.json.items.length, 1, JSON.stringify(l.json));
  return l.json.items[0].id;
}

test('the public form: a token old enough, a location, the tracking code; the tracking page hides contact and names', async () => {
  const tok = (await fetch(`${srv.base}/api/v1/public/requests/form`).then((r) => r.json())).form_token;
  const fast = await fileComplaint(srv.base, { category: 'noise', description: '太快', address: '某路' }, tok);
  assert.equal(fast.status, 429, 'a form posted within 2 s of issue');
  assert.equal(fast.json.error.field, 'form_token');
  const forged = await fileComplaint(srv.base, { category: 'noise', description: 'x', address: 'y' }, `${tok.slice(0, -2)}00`);
  assert.equal(forged.status, 422);
  const t = await formToken(srv.base);
  const noPlace = await fileComplaint(srv.base, { category: 'noise', description: '噪声' }, t);
  assert.equal(noPlace.status, 422);
  assert.equal(noPlace.json.error.field, 'address');
  const noRegion = await fileComplaint(srv.base, { category: 'noise', description: '噪声', address: '某路' }, t);
  assert.equal(noRegion.json.error.field, 'region_code', 'a staff unit must see it: the county is asked');
  const badCat = await fileComplaint(srv.base, { category: 'nosuch', description: 'x', address: 'y' }, t);
  assert.equal(badCat.json.error.field, 'category');
  const badPoint = await fileComplaint(srv.base, { category: 'air', description: 'x', lat: 95, lng: 120 }, t);
  assert.equal(badPoint.json.error.field, 'lat');
  const ok = await fileComplaint(srv.base, { category: 'odor', description: '化工厂夜间异味', lat: 31.01, lng: 119.91,
    region_code: CX, contact_name: '张三', contact_phone: '13900000000' }, t);
  assert.equal(ok.status, 201, JSON.stringify(ok.json));
  assert.match(ok.json.tracking_code, /^TS[2-9A-HJ-NP-Z]{10}$/);
  const again = await fileComplaint(srv.base, { category: 'odor', description: '再交一次', address: 'y', region_code: CX }, t);
  assert.equal(again.status, 409, 'a form token is taken once');
  const pub = await fetch(`${srv.base}/api/v1/public/requests/${ok.json.tracking_code}`).then((r) => r.json());
  assert.equal(pub.state, 'received');
  assert.equal(pub.category, 'odor');
  const s = JSON.stringify(pub);
  assert.ok(!s.includes('13900000000') && !s.includes('张三'), 'no contact on the tracking page');
  assert.equal((await fetch(`${srv.base}/api/v1/public/requests/TS2222222222`)).status, 404);
  assert.equal((await fetch(`${srv.base}/api/v1/public/requests/nonsense`)).status, 404);
  const staff = await admin.get(`/api/v1/requests/${await staffId(ok.json.tracking_code)}`);
  assert.equal(staff.json.request.contact_phone, '13900000000');
  assert.equal(staff.json.request.channel, 'online');
});

test('photos of a complaint just filed: PNG or JPEG only, five at most, only for the form\'s complaints', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c30000000049454e44ae426082', 'hex');
  const f = await fileComplaint(srv.base, { category: 'air', description: '烟囱冒黑烟', address: '长兴某厂', region_code: CX });
  const up = (type, bytes, code = f.json.tracking_code) => {
    const fd = new FormData();
    fd.append('file', new Blob([bytes], { type }), 'p.png');
    return fetch(`${srv.base}/api/v1/public/requests/${code}/photos`, { method: 'POST', body: fd }).then(async (r) => ({ status: r.status, json: await r.json() }));
  };
  const ok = await up('image/png', png);
  assert.equal(ok.status, 201, JSON.stringify(ok.json));
  assert.equal((await up('image/png', Buffer.from('<html>not a png</html>'))).status, 422);
  assert.equal((await up('application/pdf', Buffer.from('%PDF-1.4'))).status, 422);
  assert.equal((await up('image/png', png, 'TS2222222222')).status, 404);
  for (let i = 0; i < 4; i++) assert.equal((await up('image/png', png)).status, 201);
  assert.equal((await up('image/png', png)).status, 409, 'five at most');
  const hot = await inspector.post('/api/v1/requests', { channel: 'hotline_12369', category: 'air', description: '来电', address: 'x', region_code: CX });
  assert.equal((await up('image/png', png, hot.json.tracking_code)).status, 404, 'not a form complaint');
  const id = await staffId(f.json.tracking_code);
  const list = await inspector.get(`/api/v1/attachments?entity=request&entity_id=${id}`);
  assert.equal(list.status, 200, JSON.stringify(list.json));
  assert.equal(list.json.items.length, 5);
});

test('anonymity is honoured: the contact is not stored', async () => {
  const r = await fileComplaint(srv.base, { category: 'water', description: '河道发黑', address: '长兴某河', region_code: CX,
    anonymous: true, contact_phone: '13700000000', contact_name: '李四' });
  assert.equal(r.status, 201);
  const id = await staffId(r.json.tracking_code);
  const row = sql(srv.dir, `SELECT contact_phone || '|' || contact_name || '|' || anonymous FROM requests WHERE id = ${id}`);
  assert.equal(row, '||1');
});

test('a complaint of the same category within 50 m is linked to the original, never merged', async () => {
  const a = await fileComplaint(srv.base, { category: 'noise', description: '工地夜间施工', lat: 30.9, lng: 119.9, region_code: CX });
  const b = await fileComplaint(srv.base, { category: 'noise', description: '还是那个工地', lat: 30.9003, lng: 119.9001, region_code: CX });
  const c = await fileComplaint(srv.base, { category: 'air', description: '同一地点的烟尘', lat: 30.9003, lng: 119.9001, region_code: CX });
  const d = await fileComplaint(srv.base, { category: 'noise', description: '远处另一工地', lat: 30.901, lng: 119.9, region_code: CX });
  for (const x of [a, b, c, d]) assert.equal(x.status, 201);
  const ida = await staffId(a.json.tracking_code);
  const rb = (await admin.get(`/api/v1/requests/${await staffId(b.json.tracking_code)}`)).json.request;
  assert.equal(rb.repeat_of, ida, '33 m away, same category');
  assert.equal(rb.repeat_of_code, a.json.tracking_code);
  assert.equal(rb.state, 'received', 'a repeat is its own request');
  assert.equal((await admin.get(`/api/v1/requests/${await staffId(c.json.tracking_code)}`)).json.request.repeat_of, null, 'another category');
  assert.equal((await admin.get(`/api/v1/requests/${await staffId(d.json.tracking_code)}`)).json.request.repeat_of, null, '111 m away');
  const near = await admin.get('/api/v1/requests/near?lat=30.9&lng=119.9&radius_m=60');
  const codes = near.json.items.map((x) => x.tracking_code);
  assert.ok(codes.includes(a.json.tracking_code) && codes.includes(b.json.tracking_code) && !codes.includes(d.json.tracking_code));
  assert.ok(near.json.items.every((x) => x.distance_m <= 60));
});

test('staff enter hotline calls and visits with the channel; an enterprise may not, nor name a channel', async () => {
  const r = await inspector.post('/api/v1/requests', { channel: 'hotline_12369', category: 'air', description: '来电反映锅炉冒黑烟', address: '长兴县画溪街道', region_code: CX, contact_phone: '13600000000' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.channel, 'hotline_12369');
  assert.equal(r.json.kind, 'complaint');
  const bad = await inspector.post('/api/v1/requests', { channel: 'fax', category: 'air', description: 'x', address: 'y', region_code: CX });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'channel');
  const out = await inspector.post('/api/v1/requests', { channel: 'visit', category: 'air', description: 'x', address: 'y', region_code: WX });
  assert.equal(out.status, 403, 'a region outside the inspector\'s area');
  assert.equal((await inspector.post('/api/v1/requests', { channel: 'visit', category: 'air', description: '', address: 'y', region_code: CX })).json.error.field, 'description');
});

test('an enterprise files its requests and sees only its own', async () => {
  const r = await ent.post('/api/v1/requests', { category: 'policy', title: '排污许可变更', description: '扩产后排污许可证是否需要重新申领？' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.kind, 'request');
  assert.equal(r.json.channel, 'enterprise');
  assert.equal(r.json.enterprise_id, ent.user.enterprise_id);
  assert.equal((await ent.post('/api/v1/requests', { category: 'noise', description: 'x' })).json.error.field, 'category');
  const mine = await ent.get('/api/v1/requests');
  assert.ok(mine.json.items.length >= 1);
  assert.ok(mine.json.items.every((x) => x.enterprise_id === ent.user.enterprise_id), 'only its own');
  const other = await fileComplaint(srv.base, { category: 'noise', description: '别人的投诉', address: 'z', region_code: CX });
  assert.equal((await ent.get(`/api/v1/requests/${await staffId(other.json.tracking_code)}`)).status, 404);
  assert.equal((await act(ent, r.json.id, 'accept')).status, 403, 'an enterprise takes no step');
  // a complaint that names the enterprise is not the enterprise's to read (contact, facts)
  const about = await inspector.post('/api/v1/requests', { channel: 'hotline_12369', category: 'odor', description: '该企业夜间排放异味',
    enterprise_id: ent.user.enterprise_id, contact_phone: '13300000000' });
  if (about.status === 201) {
    assert.equal((await ent.get(`/api/v1/requests/${about.json.id}`)).status, 404);
    assert.equal((await ent.get(`/api/v1/cases/${about.json.case_id}`)).status, 404, 'nor its case');
    assert.ok(!(await ent.get('/api/v1/requests?limit=500')).json.items.some((x) => x.id === about.json.id));
  } else {
    assert.equal(about.status, 404, 'the demo enterprise is outside the inspector\'s county');
    const byAdmin = await admin.post('/api/v1/requests', { channel: 'hotline_12369', category: 'odor', description: '该企业夜间排放异味',
      enterprise_id: ent.user.enterprise_id, contact_phone: '13300000000' });
    assert.equal(byAdmin.status, 201, JSON.stringify(byAdmin.json));
    assert.equal((await ent.get(`/api/v1/requests/${byAdmin.json.id}`)).status, 404);
    assert.equal((await ent.get(`/api/v1/cases/${byAdmin.json.case_id}`)).status, 404, 'nor its case');
    assert.equal((await ent.get(`/api/v1/cases/${r.json.case_id}`)).status, 200, 'the case of its own request');
    assert.ok(!(await ent.get('/api/v1/requests?limit=500')).json.items.some((x) => x.id === byAdmin.json.id));
  }
  assert.equal((await inspector.post('/api/v1/requests', { channel: 'visit', category: 'air', description: 'x', address: 'y' })).json.error.field, 'region_code');
});

test('the whole way: accept, dispatch (automatic unit and officer), note, site visit, extension approved, close with the answer, follow-up', async () => {
  const f = await fileComplaint(srv.base, { category: 'waste', description: '河边倾倒固废', lat: 31.0, lng: 119.8, region_code: CX, contact_phone: '13500000000' });
  const id = await staffId(f.json.tracking_code);
  assert.equal((await act(inspector, id, 'close', { answer: 'x' })).status, 409, 'not from received');
  assert.equal((await act(inspector, id, 'nosuch')).status, 422);
  assert.equal((await act(inspector, id, 'accept')).status, 200);
  const d = await act(inspector, id, 'dispatch');
  assert.equal(d.status, 200, JSON.stringify(d.json));
  assert.ok(d.json.request.org_unit_name, 'a unit by region');
  assert.ok(d.json.request.assignee_user_id, 'an officer of that unit');
  assert.equal(d.json.request.state, 'handling');
  assert.equal((await act(inspector, id, 'note')).json.error.field, 'note');
  assert.equal((await act(inspector, id, 'note', { note: '已联系属地镇街' })).status, 200);
  assert.equal((await act(inspector, id, 'site_visit', { note: '现场查看' })).status, 200);
  assert.equal((await act(inspector, id, 'request_extension', { note: '需要检测报告' })).status, 200);
  assert.equal((await act(inspector, id, 'approve_extension', { extension: 15 })).status, 403, 'only a leader approves');
  assert.equal((await act(inspector, id, 'close', { answer: 'x' })).status, 409, 'not while the extension waits');
  const before = (await admin.get(`/api/v1/requests/${id}`)).json.request.due_at;
  const tooLong = await act(leader, id, 'approve_extension', { extension: 31 });
  assert.equal(tooLong.status, 422, 'at most close_extension_days (30)');
  assert.equal(tooLong.json.error.field, 'extension');
  const ap = await act(leader, id, 'approve_extension', { extension: 15 });
  assert.equal(ap.status, 200, JSON.stringify(ap.json));
  const afterDue = ap.json.request.due_at;
  assert.ok(afterDue > before, `${afterDue} later than ${before}`);
  assert.equal(ap.json.request.extended_n, 15);
  assert.equal((await act(inspector, id, 'close', {})).json.error.field, 'answer');
  const c = await act(inspector, id, 'close', { answer: '经核查，倾倒固废已清运，责任人已处理。' });
  assert.equal(c.status, 200);
  assert.equal(c.json.request.state, 'closed');
  assert.equal(c.json.request.clock, 'stopped');
  assert.equal((await act(inspector, id, 'follow_up', { satisfaction: 9 })).json.error.field, 'satisfaction');
  const fu = await act(inspector, id, 'follow_up', { satisfaction: 5, note: '来电回访，满意' });
  assert.equal(fu.status, 200);
  assert.equal(fu.json.request.satisfaction, 5);
  assert.equal(fu.json.request.state, 'rated');
  const pub = await fetch(`${srv.base}/api/v1/public/requests/${f.json.tracking_code}`).then((r) => r.json());
  assert.equal(pub.answer, '经核查，倾倒固废已清运，责任人已处理。');
  assert.deepEqual(pub.timeline.map((e) => e.action),
    ['open', 'accept', 'dispatch', 'note', 'site_visit', 'request_extension', 'approve_extension', 'close', 'follow_up']);
  const s = JSON.stringify(pub);
  assert.ok(!s.includes('13500000000') && !s.includes('李强') && !s.includes('actor') && !s.includes('已联系属地镇街'),
    'no contact, officer names or internal notes');
  const audit = sql(srv.dir, `SELECT group_concat(action) FROM audit_log WHERE entity = 'request' AND entity_id = ${id}`);
  for (const a of ['create', 'accept', 'dispatch', 'close', 'follow_up']) assert.ok(audit.includes(a), audit);
});

test('a site visit on a complaint about an enterprise becomes an inspection task (source complaint, purpose complaint)', async () => {
  const eid = ent.user.enterprise_id;
  const c = await admin.post('/api/v1/requests', { channel: 'hotline_12369', category: 'water', description: '企业雨水口排放黄色废水', enterprise_id: eid });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  for (const a of ['accept', 'dispatch']) assert.equal((await act(admin, c.json.id, a)).status, 200);
  const v = await act(admin, c.json.id, 'site_visit', { note: '安排现场检查', inspect: true });
  assert.equal(v.status, 200, JSON.stringify(v.json));
  const task = v.json.request.inspect_task_id;
  assert.ok(task, 'a task id on the request');
  assert.equal(sql(srv.dir, `SELECT source_kind || '|' || source_id || '|' || purpose || '|' || enterprise_id FROM inspect_tasks WHERE id = ${task}`),
    `complaint|${c.json.id}|complaint|${eid}`);
  // a complaint naming no enterprise cannot become a task
  const f = await fileComplaint(srv.base, { category: 'noise', description: '无企业', address: '某路', region_code: CX });
  const id = await staffId(f.json.tracking_code);
  for (const a of ['accept', 'dispatch']) assert.equal((await act(inspector, id, a)).status, 200);
  const no = await act(inspector, id, 'site_visit', { inspect: true });
  assert.equal(no.status, 422);
  assert.equal(no.json.error.field, 'inspect');
});

test('automatic dispatch by region and category: a policy question goes to a service officer or an approver', async () => {
  const r = await ent.post('/api/v1/requests', { category: 'consultation', description: '固废贮存规范咨询' });
  assert.equal(r.status, 201);
  assert.equal((await act(admin, r.json.id, 'accept')).status, 200);
  const d = await act(admin, r.json.id, 'dispatch');
  assert.equal(d.status, 200, JSON.stringify(d.json));
  const unit = sql(srv.dir, `SELECT org_unit_id FROM cases WHERE id = ${d.json.request.case_id}`);
  const who = d.json.request.assignee_user_id;
  if (who) {
    assert.ok(['service', 'approver'].includes(sql(srv.dir, `SELECT role FROM users WHERE id = ${who}`)));
    assert.equal(sql(srv.dir, `SELECT org_unit_id FROM users WHERE id = ${who}`), unit);
  } else {
    assert.equal(sql(srv.dir, `SELECT COUNT(*) FROM users WHERE org_unit_id = ${unit} AND role IN ('service','approver') AND status = 'active'`), '0');
  }
  // a noise complaint in 长兴 goes to an inspector or service officer of 长兴分局
  const f = await fileComplaint(srv.base, { category: 'noise', description: '夜间噪声', address: '长兴某路', region_code: CX });
  const id = await staffId(f.json.tracking_code);
  assert.equal((await act(inspector, id, 'accept')).status, 200);
  const n = await act(inspector, id, 'dispatch');
  assert.ok(['inspector', 'service'].includes(sql(srv.dir, `SELECT role FROM users WHERE id = ${n.json.request.assignee_user_id}`)));
});

test('reject needs a reason, refer needs the competent body; both end the case', async () => {
  const a = await fileComplaint(srv.base, { category: 'other', description: '邻居装修', address: '某小区', region_code: CX });
  const ida = await staffId(a.json.tracking_code);
  assert.equal((await act(inspector, ida, 'reject')).json.error.field, 'note');
  assert.equal((await act(inspector, ida, 'reject', { note: '不属于生态环境部门职责' })).status, 200);
  assert.equal((await act(inspector, ida, 'accept')).status, 409);
  const b = await fileComplaint(srv.base, { category: 'noise', description: '社会生活噪声', address: '某广场', region_code: CX });
  const idb = await staffId(b.json.tracking_code);
  assert.equal((await act(inspector, idb, 'refer')).json.error.field, 'referred_to');
  const r = await act(inspector, idb, 'refer', { referred_to: '长兴县公安局' });
  assert.equal(r.status, 200);
  assert.equal(r.json.request.state, 'referred');
  const o = JSON.parse(await fetch(`${srv.base}/open311/v2/requests/${b.json.tracking_code}.json`).then((x) => x.text()));
  assert.equal(o[0].status, 'closed');
  assert.match(o[0].status_notes, /长兴县公安局/);
  const pa = await fetch(`${srv.base}/api/v1/public/requests/${a.json.tracking_code}`).then((x) => x.json());
  assert.equal(pa.reject_reason, '不属于生态环境部门职责');
});

test('reopen: a closed request goes back to handling on a new case', async () => {
  const f = await fileComplaint(srv.base, { category: 'odor', description: '异味', address: '某厂', region_code: CX });
  const id = await staffId(f.json.tracking_code);
  for (const [a, x] of [['accept', {}], ['dispatch', {}], ['close', { answer: '已整改' }]]) assert.equal((await act(inspector, id, a, x)).status, 200);
  const first = (await admin.get(`/api/v1/requests/${id}`)).json.request.case_id;
  assert.equal((await act(inspector, id, 'reopen')).json.error.field, 'note');
  const r = await act(inspector, id, 'reopen', { note: '投诉人反映仍有异味' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.request.state, 'handling');
  assert.notEqual(r.json.request.case_id, first);
  assert.equal(r.json.request.closed_at, null);
  assert.equal(sql(srv.dir, `SELECT state FROM cases WHERE id = ${first}`), 'reopened');
  assert.equal((await act(inspector, id, 'close', { answer: '再次整改完毕' })).status, 200);
  assert.equal((await act(inspector, id, 'follow_up', { satisfaction: 2 })).status, 200);
  const again = await act(inspector, id, 'reopen', { note: '仍不满意' });
  assert.equal(again.status, 200, 'a rated request reopens too');
  assert.equal((await act(inspector, id, 'reopen', { note: 'x' })).status, 409, 'only a closed one');
});

test('scope: staff of another county do not see a request; the overdue list and escalation to the leader', async () => {
  const wx = await fileComplaint(srv.base, { category: 'air', description: '吴兴区的投诉', address: '吴兴某路', region_code: WX });
  const idw = await staffId(wx.json.tracking_code);
  assert.equal((await inspector.get(`/api/v1/requests/${idw}`)).status, 404);
  assert.equal((await act(inspector, idw, 'accept')).status, 404);
  assert.ok((await inspector.get('/api/v1/requests?limit=500')).json.items.every((x) => x.region_code.startsWith(CX)));
  assert.ok((await leader.get(`/api/v1/requests/${idw}`)).status === 200, 'the city sees it');
  const f = await fileComplaint(srv.base, { category: 'water', description: '逾期的投诉', address: '长兴某河', region_code: CX });
  const id = await staffId(f.json.tracking_code);
  const caseId = (await admin.get(`/api/v1/requests/${id}`)).json.request.case_id;
  sql(srv.dir, `UPDATE cases SET due_at = '2026-01-05T16:00:00Z', soon_at = '2026-01-04T16:00:00Z', sort_at = '2026-01-05T16:00:00Z' WHERE id = ${caseId}`);
  const over = await inspector.get('/api/v1/requests?clock=overdue&limit=500');
  assert.ok(over.json.items.some((x) => x.id === id));
  assert.ok(over.json.items.every((x) => x.clock === 'overdue'));
  assert.equal((await admin.post('/api/v1/jobs/cases.escalate/run', {})).status, 202);
  let esc = '';
  for (let i = 0; i < 100 && !esc; i++) {
    await new Promise((res) => setTimeout(res, 100));
    esc = sql(srv.dir, `SELECT COALESCE(escalated_at, '') FROM cases WHERE id = ${caseId}`);
  }
  assert.ok(esc, 'escalated');
  const todo = await leader.get('/api/v1/todo');
  assert.ok(JSON.stringify(todo.json).includes(`"id":${caseId}`), 'on the leader\'s to-do list');
  assert.ok((await admin.get(`/api/v1/requests/${id}`)).json.request.escalated_at);
});

test('the header contract: an enterprise\'s open requests and complaints with their clocks, and the count', async () => {
  const eid = ent.user.enterprise_id;
  const r = await admin.get(`/api/v1/enterprises/${eid}/requests/open`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const n = Number(sql(srv.dir, `SELECT COUNT(*) FROM requests WHERE enterprise_id = ${eid} AND state NOT IN ('closed','rated','rejected','referred')`));
  assert.ok(n >= 2, 'the enterprise\'s request and the complaint about it');
  assert.equal(r.json.count, n);
  assert.equal(r.json.items.length, n);
  assert.ok(r.json.items.some((x) => x.kind === 'complaint') && r.json.items.some((x) => x.kind === 'request'));
  for (const x of r.json.items) {
    for (const k of ['id', 'tracking_code', 'kind', 'category', 'title', 'state', 'channel', 'received_at', 'due_at', 'clock']) assert.ok(k in x, k);
    assert.ok(['on_track', 'due_soon', 'overdue', 'paused', 'stopped', 'none'].includes(x.clock));
  }
  const times = r.json.items.map((x) => x.received_at);
  assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
  assert.equal((await ent.get(`/api/v1/enterprises/${eid}/requests/open`)).status, 403);
  const mine = await ent.get('/api/v1/requests?open=1');
  assert.ok(mine.json.items.every((x) => x.kind === 'request' && !['closed', 'rated', 'rejected', 'referred'].includes(x.state)));
});

test('the 工作台 counts in scope: waiting to be accepted, overdue, open', async () => {
  const d = (await inspector.get('/api/v1/dashboard')).json.requests;
  const n = (await inspector.get('/api/v1/requests?state=received&limit=1')).json.total;
  assert.equal(d.to_accept, n);
  const open = (await inspector.get('/api/v1/requests?open=1&limit=1')).json.total;
  assert.equal(d.open, open);
  assert.ok(d.overdue >= 1, 'the escalated one above');
  assert.equal((await ent.get('/api/v1/dashboard')).json.requests, undefined);
});

test('the queue sorts, filters and pages', async () => {
  const asc = (await admin.get('/api/v1/requests?sort=received_at&limit=500')).json.items.map((x) => x.received_at);
  assert.deepEqual(asc, [...asc].sort());
  const cats = (await admin.get('/api/v1/requests?sort=-category&limit=500')).json.items.map((x) => x.category);
  assert.deepEqual(cats, [...cats].sort().reverse());
  assert.equal((await admin.get('/api/v1/requests?sort=contact_phone')).json.error.field, 'sort');
  const p1 = (await admin.get('/api/v1/requests?limit=3&offset=0')).json, p2 = (await admin.get('/api/v1/requests?limit=3&offset=3')).json;
  assert.equal(p1.items.length, 3);
  assert.ok(p2.items.every((x) => !p1.items.some((y) => y.id === x.id)), 'pages do not overlap');
  assert.equal(p1.total, p2.total);
  const noise = (await admin.get('/api/v1/requests?category=noise&channel=online&limit=500')).json.items;
  assert.ok(noise.length && noise.every((x) => x.category === 'noise' && x.channel === 'online'));
});

test('statistics by category, region and state', async () => {
  const s = await leader.get('/api/v1/requests/stats');
  assert.equal(s.status, 200);
  assert.ok(s.json.by_category.some((x) => x.category === 'noise' && x.n >= 3));
  assert.ok(s.json.by_region.some((x) => x.region_code === CX));
  assert.ok(s.json.by_category.some((x) => x.days_to_close >= 0));
  assert.equal((await ent.get('/api/v1/requests/stats')).status, 403);
});

test('the per-address bucket: a burst passes, then 429 until it refills', async () => {
  const small = await startServer({ demo: false, env: { ENVGOV_REQUEST_FORM_BURST: '3', ENVGOV_REQUEST_FORM_PER_HOUR: '1' } });
  try {
    const codes = [];
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${small.base}/api/v1/public/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      codes.push(r.status);
      if (r.status === 429) assert.equal(r.headers.get('retry-after'), '60');
    }
    assert.deepEqual(codes, [422, 422, 422, 429, 429], 'three pass (refused for their content), then the address waits');
  } finally { await small.stop(); }
});
