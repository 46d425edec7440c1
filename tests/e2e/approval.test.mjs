// EIA approval (环评审批) end to end against the real binary: an enterprise checks a site and
// files a 报告表 under 告知承诺 with its checklist's documents, an approver accepts it (a case on
// the promised 2-working-day limit) and approves it with conditions — the decision and the
// reminder card (温馨提示卡) are PDFs naming the project, the obligations are the enterprise's
// to-do items, the approval is on the public page and a verification case follows; a 容缺 case
// (accepted with non-essential items missing: the clock pauses until they arrive, the approval
// waits for them); the one-time notice lists every missing item (pdftotext); a 登记表 is filed
// at once with a receipt; an overdue case reaches the 挂账销号 ledger and the leader's to-do.
// Roles, scope and bad input are checked, and each write leaves an audit row.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, loginAs, usccWithCheck, sql, chinaToday, Client } from './lib.mjs';

let srv, admin, approver, leader;
const firms = {};
const SITE = { type: 'Point', coordinates: [120.17, 30.88] }; // 湖州南太湖新区产业集聚区（吴兴）, a key unit and a park with a plan EIA

function pdfText(buf) {
  const dir = mkdtempSync(join(tmpdir(), 'envgov-eia-'));
  const file = join(dir, 'doc.pdf');
  writeFileSync(file, buf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  return text.replace(/\s+/g, '');
}

async function firm(key, name, uscc17, industry) {
  let r = await admin.post('/api/v1/enterprises', { name, uscc: usccWithCheck(uscc17), region_code: '330502', industry_code: industry, category: 'key' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const ent = r.json;
  const username = `eia${key}${Date.now().toString(36)}`;
  r = await admin.post('/api/v1/users', { username, display_name: `${name}环保负责人`, role: 'enterprise', enterprise_id: ent.id });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const u = new Client(srv.base);
  assert.equal((await u.login(username, r.json.one_time_password)).status, 200);
  assert.equal((await u.post('/api/v1/session/password', { old_password: r.json.one_time_password, new_password: 'Approval#e2e2026x' })).status, 204);
  firms[key] = { ...ent, user: u };
  return firms[key];
}

// Upload a PDF to the application and link it to checklist item code.
async function attach(client, id, code) {
  const fd = new FormData();
  fd.append('file', new Blob([`%PDF-1.4\n${code}`], { type: 'application/pdf' }), `${code}.pdf`);
  let r = await client.post(`/api/v1/attachments?entity=eia_application&entity_id=${id}`, fd);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await client.post(`/api/v1/approval/applications/${id}/documents`, { code, attachment_id: r.json.id });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

async function download(client, attachmentId) {
  const r = await client.get(`/api/v1/attachments/${attachmentId}/content`);
  assert.equal(r.status, 200);
  assert.equal(r.body.subarray(0, 5).toString(), '%PDF-');
  return pdfText(r.body);
}

function audits(id) {
  return sql(srv.dir, `SELECT action FROM audit_log WHERE entity = 'eia_application' AND entity_id = ${id} ORDER BY id`).split('\n');
}

describe('EIA approval', () => {
  before(async () => {
    srv = await startServer({ enterprises: 60 });
    admin = await loginAs(srv.base, 'admin');
    approver = await loginAs(srv.base, 'approver');
    leader = await loginAs(srv.base, 'leader');
    await firm('tex', '湖州环评纺织有限公司', '91330502MA2E00001', '1713');
    await firm('chem', '湖州环评化工有限公司', '91330502MA2E00002', '2614');
    await firm('farm', '湖州环评生态农业有限公司', '91330502MA2E00003', '0313');
  });
  after(async () => { await srv?.stop(); });

  const pick = {};

  test('an enterprise checks a site: the class and route it would get, with the checklist', async () => {
    const r = await firms.tex.user.post('/api/v1/approval/check', { geometry: SITE, industry_code: '1713', project_name: '年产 2000 万米面料织造项目', capacity: '织造 2000 万米/年' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.class, 'form');
    assert.equal(r.json.route, 'commitment');
    assert.equal(r.json.limit_days, 2);
    assert.equal(r.json.proposal.item_no, '十四、19');
    assert.ok(r.json.checklist.some((c) => c.code === 'eia_document' && c.essential));
    assert.ok(r.json.zoning && 'verdict' in r.json.zoning);
    // a process the catalogue names makes it a 报告书, which no positive list takes
    // (outside the park, whose plan EIA would give it the park's route)
    const dye = await firms.tex.user.post('/api/v1/approval/check', { geometry: { type: 'Point', coordinates: [120.06, 30.85] }, industry_code: '1713', project_name: '印染项目', capacity: '含洗毛、染整工段' });
    assert.equal(dye.json.class, 'report');
    assert.equal(dye.json.route, 'normal');
    assert.ok(dye.json.reasons.some((x) => x.code === 'not_listed'));
    // an excluded industry is told why
    const chem = await firms.chem.user.post('/api/v1/approval/check', { geometry: SITE, industry_code: '2614', project_name: '化学品项目' });
    assert.equal(chem.json.class, 'report');
    assert.ok(chem.json.reasons.some((x) => x.code === 'excluded_industry'), JSON.stringify(chem.json.reasons));
  });

  test('the zoning demo units decide: a sensitive area raises the class and shuts the simple routes; a park gives its route', async () => {
    // 太湖南岸生态保护区（吴兴）: priority protection, sensitive; its list forbids 印染 (C17)
    let r = await firms.tex.user.post('/api/v1/approval/check', { geometry: { type: 'Point', coordinates: [120.17, 30.95] }, industry_code: '1713', project_name: '湖边织造项目' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.zoning.sensitive, true);
    assert.equal(r.json.zoning.verdict, 'forbidden');
    assert.equal(r.json.proposal.base, 'form');
    assert.equal(r.json.class, 'report', 'raised one level');
    assert.equal(r.json.route, 'normal');
    const codes = r.json.reasons.map((x) => x.code);
    assert.ok(codes.includes('sensitive') && codes.includes('zoning_forbidden'), codes.join());
    // 吴兴区一般管控单元: new industry belongs in an industrial zone (a condition naming C)
    r = await firms.tex.user.post('/api/v1/approval/check', { geometry: { type: 'Point', coordinates: [120.06, 30.85] }, industry_code: '1713', project_name: '区外织造项目' });
    assert.equal(r.json.route, 'normal');
    assert.ok(r.json.reasons.some((x) => x.code === 'zoning_conditional'));
    // inside the 南太湖 park (a plan EIA): a 报告表 no list names gets the park's route
    r = await firms.tex.user.post('/api/v1/approval/check', { geometry: SITE, industry_code: '4620', project_name: '园区污水处理站' });
    assert.equal(r.json.class, 'form');
    assert.equal(r.json.route, 'direct');
    assert.equal(r.json.basis, 'park');
    // a polygon site works as a point does
    const poly = { type: 'Polygon', coordinates: [[[120.165, 30.875], [120.175, 30.875], [120.175, 30.885], [120.165, 30.885], [120.165, 30.875]]] };
    r = await firms.tex.user.post('/api/v1/approval/check', { geometry: poly, industry_code: '1713', project_name: '面状选址' });
    assert.equal(r.json.route, 'commitment');
    assert.ok(r.json.zoning.units.some((u) => /南太湖/.test(u.name)));
  });

  test('a pre-consultation carries over — to whom it belongs only', async () => {
    const consult = (name) => Number(sql(srv.dir, `SELECT id FROM zoning_consults WHERE project_name = '${name}'`));
    // the demo's consults are prospective investors' (no enterprise): 长兴 and 太湖度假区
    const lithium = consult('年产 5 万吨锂电池正极材料项目');
    const resort = consult('太湖度假区精细化工中间体项目');
    assert.ok(lithium > 0 && resort > 0);
    // an approver (the bureau) carries the investor's consult into the firm's application:
    // name, industry and site from the record, and the real zoning verdict of its site
    let r = await approver.post('/api/v1/approval/applications', { enterprise_id: firms.chem.id, consult_id: resort, investment: 32000 });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    let a = (await approver.get(`/api/v1/approval/applications/${r.json.id}`)).json;
    assert.equal(a.project_name, '太湖度假区精细化工中间体项目');
    assert.equal(a.consult_id, resort);
    assert.match(a.industry_code, /^C?2614$/);
    assert.equal(a.zoning_verdict, 'forbidden', 'the consult\'s site, checked again');
    assert.equal(a.route, 'normal');
    // a firm's user may not carry an investor's consult, nor another firm's
    r = await firms.tex.user.post('/api/v1/approval/check', { consult_id: resort });
    assert.equal(r.status, 422, JSON.stringify(r.json));
    assert.equal(r.json.error.field, 'consult_id');
    r = await firms.tex.user.post('/api/v1/approval/applications', { consult_id: lithium });
    assert.equal(r.status, 422, JSON.stringify(r.json));
    assert.equal(r.json.error.field, 'consult_id');
    r = await firms.chem.user.post('/api/v1/zoning/consults', { project_name: '化工新材料扩建项目', builder: firms.chem.name, industry: '2614', geometry: SITE });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const own = r.json.id;
    r = await firms.tex.user.post('/api/v1/approval/check', { consult_id: own, enterprise_id: firms.chem.id });
    assert.equal(r.status, 422, 'another firm\'s consult, whatever enterprise_id says');
    assert.equal(r.json.error.field, 'consult_id');
    r = await firms.tex.user.post('/api/v1/approval/applications', { consult_id: own, enterprise_id: firms.chem.id });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'consult_id');
    // an approver filing for another firm may not carry a firm's consult either
    r = await approver.post('/api/v1/approval/applications', { enterprise_id: firms.tex.id, consult_id: own });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'consult_id');
    // the firm carries its own
    r = await firms.chem.user.post('/api/v1/approval/check', { consult_id: own });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.class, 'report');
    assert.ok(r.json.reasons.some((x) => x.code === 'excluded_industry'));
    r = await firms.chem.user.post('/api/v1/approval/applications', { consult_id: own });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    a = (await firms.chem.user.get(`/api/v1/approval/applications/${r.json.id}`)).json;
    assert.equal(a.project_name, '化工新材料扩建项目');
    assert.equal(a.consult_id, own);
    // staff within a region: the 长兴 sub-bureau sees 长兴's consult, not 吴兴's
    const service = await loginAs(srv.base, 'service');
    r = await service.post('/api/v1/approval/check', { consult_id: resort });
    assert.equal(r.status, 422, JSON.stringify(r.json));
    assert.equal(r.json.error.field, 'consult_id');
    r = await service.post('/api/v1/approval/check', { consult_id: lithium });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.zoning.verdict, 'conditional');
  });

  test('bad input names the field; roles and scope are checked', async () => {
    let r = await firms.tex.user.post('/api/v1/approval/applications', { industry_code: '1713', geometry: SITE });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'project_name');
    r = await firms.tex.user.post('/api/v1/approval/applications', { project_name: 'x', industry_code: '1713', geometry: { type: 'Point' } });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'geometry');
    r = await firms.tex.user.post('/api/v1/approval/applications', { project_name: 'x', industry_code: '1713', geometry: SITE, investment: -5 });
    assert.equal(r.json.error.field, 'investment');
    r = await firms.tex.user.post('/api/v1/approval/applications', { project_name: 'x', industry_code: '1713', geometry: SITE, preparer_agency_id: 999999 });
    assert.equal(r.json.error.field, 'preparer_agency_id');
    r = await firms.tex.user.post('/api/v1/approval/applications', { project_name: 'x', industry_code: '1713', geometry: SITE, consult_id: 987654 });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'consult_id');
    r = await firms.tex.user.post('/api/v1/approval/applications', { project_name: 'x', industry_code: '1713', geometry: SITE, class: 'report', class_reason: 'x' });
    assert.equal(r.status, 403, 'an enterprise does not set the class');
    r = await firms.tex.user.post('/api/v1/approval/applications', { project_name: 'x'.repeat(300), industry_code: '1713', geometry: SITE });
    assert.equal(r.status, 422);
    r = await leader.post('/api/v1/approval/applications', { project_name: 'x', industry_code: '1713', geometry: SITE, enterprise_id: firms.tex.id });
    assert.equal(r.status, 403, 'a leader does not file');
    assert.equal(Number(sql(srv.dir, `SELECT COUNT(*) FROM eia_applications WHERE enterprise_id = ${firms.tex.id}`)), 0, 'no partial rows');
  });

  test('告知承诺: filed, accepted on the 2-day limit, approved; PDFs, obligations, public page, verification', async () => {
    let r = await firms.tex.user.post('/api/v1/approval/applications', {
      project_name: '年产 2000 万米高档面料织造项目', industry_code: '1713', geometry: SITE, investment: 6800,
      capacity: '织造 2000 万米/年', pollutants: [{ code: 'w01018', tonnes: 1.5 }], commitment_signed: true,
    });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const a = r.json;
    assert.equal(a.state, 'filed');
    assert.equal(a.route, 'commitment');
    assert.equal(a.class, 'form');
    assert.equal(a.geometry.type, 'Point');
    // other enterprises do not see it; the approver's to-do has it
    assert.equal((await firms.chem.user.get(`/api/v1/approval/applications/${a.id}`)).status, 404);
    const list = await firms.chem.user.get('/api/v1/approval/applications');
    assert.ok(!list.json.items.some((x) => x.id === a.id));
    const todo = await approver.get('/api/v1/todo');
    const item = todo.json.items.find((i) => i.source === 'eia_intake' && i.id === a.id);
    assert.ok(item, JSON.stringify(todo.json.items.slice(0, 3)));
    assert.match(item.due_at, /^\d{4}-\d{2}-\d{2}T16:00:00Z$/, 'the one-time notice is due within 5 working days');
    assert.ok(item.due_at > `${a.filed_on}T16:00:00Z`);
    assert.equal(item.clock, 'on_track');
    // the enterprise cannot accept its own application
    assert.equal((await firms.tex.user.post(`/api/v1/approval/applications/${a.id}/accept`, {})).status, 403);
    for (const c of a.checklist.filter((x) => x.required)) await attach(firms.tex.user, a.id, c.code);
    r = await approver.post(`/api/v1/approval/applications/${a.id}/accept`, {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'accepted');
    assert.equal(r.json.limit_days, 2);
    assert.equal(r.json.clock, 'on_track');
    assert.ok(r.json.due_at);
    // an approval needs its conditions
    r = await approver.post(`/api/v1/approval/applications/${a.id}/decision`, { decision: 'approve' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'conditions');
    r = await approver.post(`/api/v1/approval/applications/${a.id}/decision`, { decision: 'approve', conditions: '废水经预处理后纳管排放，COD 总量控制在 1.5 吨/年以内' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'approved');
    assert.ok(r.json.verify_case_id > 0, 'a verification case follows the commitment route');
    assert.equal(r.json.obligations.length, 3);
    const decision = r.json.documents.find((d) => d.kind === 'eia_decision');
    const card = r.json.documents.find((d) => d.kind === 'eia_card');
    assert.ok(decision && card);
    // the enterprise downloads the reminder card: it names the project and the obligations
    const text = await download(firms.tex.user, card.attachment_id);
    assert.match(text, /年产2000万米高档面料织造项目/);
    assert.match(text, /竣工环境保护验收/);
    assert.match(text, /排污许可证/);
    assert.match(await download(firms.tex.user, decision.attachment_id), /告知承诺制/);
    // the obligations are its to-do items, one marked done
    const t = await firms.tex.user.get('/api/v1/todo');
    const items = t.json.items.filter((i) => i.source === 'eia_obligation');
    assert.equal(items.length, 3, JSON.stringify(t.json.items));
    r = await firms.tex.user.post(`/api/v1/approval/obligations/${items[0].id}/done`, {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal((await firms.tex.user.post(`/api/v1/approval/obligations/${items[0].id}/done`, {})).status, 409);
    assert.equal((await firms.chem.user.post(`/api/v1/approval/obligations/${items[1].id}/done`, {})).status, 404);
    // on the public page without a login
    const pub = await (await fetch(`${srv.base}/api/v1/public/approval/notices`)).json();
    const row = pub.items.find((x) => x.id === a.id);
    assert.equal(row.notice, 'decision');
    assert.ok(row.comment_until);
    assert.deepEqual(audits(a.id).filter((x) => ['create', 'accept', 'approve'].includes(x)), ['create', 'accept', 'approve']);
    pick.commitment = a;
    // the verification finds the commitment false: the approval is revoked and credit hit
    const vc = r.json.verify_case_id;
    const grade0 = (await leader.get(`/api/v1/credit/enterprises/${firms.tex.id}`)).json.subject.score;
    r = await approver.post(`/api/v1/cases/${vc}/transitions`, { action: 'find_false' });
    assert.equal(r.status, 422, 'a finding needs its note');
    r = await approver.post(`/api/v1/cases/${vc}/transitions`, { action: 'find_false', note: '现场核查：废水预处理设施未建设，与承诺不符' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const after = (await firms.tex.user.get(`/api/v1/approval/applications/${a.id}`)).json;
    assert.equal(after.state, 'revoked');
    assert.match(after.decision_reason, /与承诺不符/);
    const ev = sql(srv.dir, `SELECT type || '|' || points FROM credit_events WHERE source = 'approval' AND source_id = ${a.id}`);
    assert.match(ev, /^manual\|-10/);
    const grade1 = (await leader.get(`/api/v1/credit/enterprises/${firms.tex.id}`)).json.subject.score;
    assert.ok(grade1 < (grade0 ?? 100), `${grade1} < ${grade0}`);
    assert.ok(audits(a.id).includes('revoke_approval'));
  });

  test('容缺: accepted with a non-essential item missing, the clock waits, the approval waits for it', async () => {
    let r = await firms.tex.user.post('/api/v1/approval/applications', { project_name: '面料仓储及整理车间项目', industry_code: '1713', geometry: SITE, investment: 900, commitment_signed: true });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const a = r.json;
    for (const c of a.checklist.filter((x) => x.required && x.code !== 'land_use')) await attach(firms.tex.user, a.id, c.code);
    r = await approver.post(`/api/v1/approval/applications/${a.id}/accept`, {});
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'items_missing');
    r = await approver.post(`/api/v1/approval/applications/${a.id}/accept`, { accept_missing: true });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.missing.length, 1);
    assert.equal(r.json.missing[0].code, 'land_use');
    assert.match(r.json.missing[0].due_on, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(r.json.clock, 'paused', 'the rule set pauses the clock while items are missing');
    r = await approver.post(`/api/v1/approval/applications/${a.id}/decision`, { decision: 'approve', conditions: '按报告表要求落实' });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'items_outstanding');
    const after = await attach(firms.tex.user, a.id, 'land_use');
    assert.equal(after.missing[0].received_on.length, 10);
    assert.equal(after.clock, 'on_track', 'the clock runs again');
    r = await approver.post(`/api/v1/approval/applications/${a.id}/decision`, { decision: 'approve', conditions: '按报告表要求落实' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.ok(audits(a.id).includes('accept_missing'));
  });

  test('a long checklist (32 items with long names) is read whole: nothing outstanding is never assumed', async () => {
    let r = await firms.tex.user.post('/api/v1/approval/applications', { project_name: '长清单织造项目', industry_code: '1713', geometry: SITE, investment: 900, commitment_signed: true });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const a = r.json;
    for (const c of a.checklist.filter((x) => x.required)) await attach(firms.tex.user, a.id, c.code);
    // the checklist a rule set of 32 items with 100-character names gives (over 8 KiB, as the
    // row's columns once were cut): the extra items required, not essential, none linked
    const cl = JSON.parse(sql(srv.dir, `SELECT checklist_json FROM eia_applications WHERE id = ${a.id}`));
    for (let i = cl.length; i < 32; i++) cl.push({ code: `extra_${i}`, name: `补充材料${i}：${'环境影响专项说明'.repeat(12)}`, required: true, essential: false, attachment_id: 0 });
    const text = JSON.stringify(cl);
    assert.ok(Buffer.byteLength(text) > 8192);
    sql(srv.dir, `UPDATE eia_applications SET checklist_json = '${text}' WHERE id = ${a.id}`);
    const extra = cl.length - a.checklist.length;
    r = await approver.post(`/api/v1/approval/applications/${a.id}/accept`, {});
    assert.equal(r.status, 409, JSON.stringify(r.json));
    assert.equal(r.json.error.code, 'items_missing');
    r = await approver.post(`/api/v1/approval/applications/${a.id}/accept`, { accept_missing: true });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.missing.length, extra, 'every item missing, from the whole column');
    assert.ok(Buffer.byteLength(sql(srv.dir, `SELECT missing_json FROM eia_applications WHERE id = ${a.id}`)) > 4096);
    r = await approver.post(`/api/v1/approval/applications/${a.id}/decision`, { decision: 'approve', conditions: '按报告表要求落实' });
    assert.equal(r.status, 409, 'the missing items are outstanding');
    assert.equal(r.json.error.code, 'items_outstanding');
    assert.match(r.json.error.message, new RegExp(`${extra} 项`));
    const after = await attach(firms.tex.user, a.id, 'extra_31');
    assert.equal(after.checklist.length, 32);
    assert.ok(after.checklist.find((x) => x.code === 'extra_31').attachment_id > 0);
    assert.equal(after.missing.find((x) => x.code === 'extra_31').received_on.length, 10);
    // a column that does not parse is an error, never "nothing outstanding"
    sql(srv.dir, `UPDATE eia_applications SET missing_json = '[{"code":' WHERE id = ${a.id}`);
    r = await approver.post(`/api/v1/approval/applications/${a.id}/decision`, { decision: 'approve', conditions: '按报告表要求落实' });
    assert.equal(r.status, 500);
    assert.equal(r.json.error.field, 'missing_json');
    assert.equal(sql(srv.dir, `SELECT state FROM eia_applications WHERE id = ${a.id}`), 'accepted');
  });

  test('the one-time notice lists every missing item in its PDF; the enterprise resubmits', async () => {
    let r = await firms.tex.user.post('/api/v1/approval/applications', { project_name: '家纺后整理技改项目', industry_code: '1713', geometry: SITE });
    const a = r.json;
    r = await approver.post(`/api/v1/approval/applications/${a.id}/accept`, { accept_missing: true });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'essential_missing');
    r = await approver.post(`/api/v1/approval/applications/${a.id}/notice`, { note: '请补充项目平面布置图' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'notice');
    assert.equal(r.json.notice_late, false);
    const doc = r.json.documents.find((d) => d.kind === 'eia_notice');
    const text = await download(firms.tex.user, doc.attachment_id);
    assert.match(text, /家纺后整理技改项目/);
    for (const c of a.checklist.filter((x) => x.required)) assert.ok(text.includes(c.name.replace(/\s+/g, '')), c.name);
    assert.match(text, /平面布置图/);
    assert.equal((await approver.post(`/api/v1/approval/applications/${a.id}/accept`, {})).status, 409);
    r = await firms.tex.user.post(`/api/v1/approval/applications/${a.id}/resubmit`, {});
    assert.equal(r.status, 200);
    assert.equal(r.json.state, 'filed');
  });

  test('a 登记表 is filed at once with its receipt', async () => {
    const r = await firms.farm.user.post('/api/v1/approval/applications', { project_name: '生态养殖场改造项目', industry_code: '0313', geometry: SITE, capacity: '年出栏生猪 600 头' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.class, 'registration');
    assert.equal(r.json.route, 'record');
    assert.equal(r.json.state, 'recorded');
    assert.match(r.json.receipt_no, /^HJBA\d{4}\d{5}$/);
    const doc = r.json.documents.find((d) => d.kind === 'eia_receipt');
    const text = await download(firms.farm.user, doc.attachment_id);
    assert.match(text, /生态养殖场改造项目/);
    assert.ok(text.includes(r.json.receipt_no));
  });

  test('a walk-in 报告书 on the normal route: a class override, expert review pauses, overdue reaches the ledger and the leader', async () => {
    let r = await approver.post('/api/v1/approval/applications', { enterprise_id: firms.chem.id, project_name: '电子化学品扩建项目', industry_code: '2614', geometry: SITE, investment: 32000, key_project: true });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const a = r.json;
    // green channel: a key project has its named officer and is public from filing
    assert.equal(a.officer_name, '审批科 王丽');
    const pub = await (await fetch(`${srv.base}/api/v1/public/approval/notices`)).json();
    assert.ok(pub.items.some((x) => x.id === a.id && x.notice === 'acceptance' && x.key_project === 1));
    assert.equal(a.class, 'report');
    assert.equal(a.route, 'normal');
    r = await approver.post(`/api/v1/approval/applications/${a.id}/class`, { class: 'form' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'reason');
    // documents linked before an override stay linked to the items both classes ask for
    const doc = (await attach(approver, a.id, 'eia_document')).checklist.find((x) => x.code === 'eia_document').attachment_id;
    const pp = (await attach(approver, a.id, 'public_participation')).checklist.find((x) => x.code === 'public_participation').attachment_id;
    assert.ok(doc > 0 && pp > 0);
    r = await approver.post(`/api/v1/approval/applications/${a.id}/class`, { class: 'form', reason: '仅物理混合，核定为报告表' });
    assert.equal(r.status, 200);
    assert.equal(r.json.class, 'form');
    assert.equal(r.json.proposed_class, 'report');
    assert.equal(r.json.checklist.find((x) => x.code === 'eia_document').attachment_id, doc, 'still linked');
    assert.ok(!r.json.checklist.some((x) => x.code === 'public_participation'), 'a 报告表 does not ask for it');
    assert.equal(r.json.checklist.find((x) => x.code === 'commitment').attachment_id, 0);
    r = await approver.post(`/api/v1/approval/applications/${a.id}/class`, { class: 'report', reason: '经复核含化学反应' });
    assert.equal(r.json.class, 'report');
    assert.equal(r.json.checklist.find((x) => x.code === 'eia_document').attachment_id, doc);
    for (const c of r.json.checklist.filter((x) => x.required)) await attach(approver, a.id, c.code);
    r = await approver.post(`/api/v1/approval/applications/${a.id}/accept`, {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.limit_days, 12, '60 working days × 0.2');
    assert.equal(r.json.statutory_days, 60);
    r = await approver.post(`/api/v1/approval/applications/${a.id}/step`, { action: 'send_experts' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.clock, 'paused');
    assert.equal((await approver.post(`/api/v1/approval/applications/${a.id}/step`, { action: 'send_experts' })).status, 409);
    assert.equal((await approver.post(`/api/v1/approval/applications/${a.id}/step`, { action: 'fly' })).status, 422);
    r = await approver.post(`/api/v1/approval/applications/${a.id}/step`, { action: 'experts_done' });
    assert.equal(r.json.clock, 'on_track');
    assert.ok(r.json.pauses);
    // the deadline passes: the sweep escalates it
    sql(srv.dir, `UPDATE cases SET due_at = '2026-01-05T16:00:00Z', soon_at = '2026-01-04T16:00:00Z', sort_at = '2026-01-05T16:00:00Z' WHERE id = ${r.json.case_id}`);
    r = await admin.post('/api/v1/jobs/cases.escalate/run', {});
    assert.equal(r.status, 202, JSON.stringify(r.json));
    let esc = '';
    for (let i = 0; i < 100 && !esc; i++) {
      await new Promise((res) => setTimeout(res, 100));
      esc = sql(srv.dir, `SELECT COALESCE(escalated_at, '') FROM cases WHERE id = ${a.case_id ?? r.json?.case_id ?? 0} OR subject_id = ${a.id} AND subject_kind = 'eia_application' AND type = 'eia'`);
    }
    assert.ok(esc, 'escalated');
    const ledger = await approver.get('/api/v1/approval/ledger?clock=overdue');
    assert.equal(ledger.status, 200, JSON.stringify(ledger.json));
    const row = ledger.json.items.find((x) => x.id === a.id);
    assert.ok(row, JSON.stringify(ledger.json));
    assert.equal(row.clock, 'overdue');
    assert.equal(row.owner, '审批科 王丽', 'the named officer owns the case');
    assert.ok(row.escalated_at);
    assert.equal(typeof row.days_used, 'number');
    assert.ok(ledger.json.summary.by_clock.overdue >= 1);
    const t = await leader.get('/api/v1/todo');
    assert.ok(t.json.items.some((i) => i.subject_id === a.id || (i.title || '').includes('电子化学品扩建项目')), JSON.stringify(t.json.items.slice(0, 5)));
    // the enterprise sees no ledger; a refusal needs its reasons
    assert.equal((await firms.chem.user.get('/api/v1/approval/ledger')).status, 403);
    r = await leader.post(`/api/v1/approval/applications/${a.id}/decision`, { decision: 'reject' });
    assert.equal(r.json.error.field, 'reason');
    r = await leader.post(`/api/v1/approval/applications/${a.id}/decision`, { decision: 'reject', reason: '项目位于化工园区外，不符合园区规划' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'rejected');
    assert.match(await download(firms.chem.user, r.json.documents.find((d) => d.kind === 'eia_reject').attachment_id), /不符合园区规划/);
  });

  test('the enterprise withdraws before the decision; the case stops', async () => {
    let r = await firms.tex.user.post('/api/v1/approval/applications', { project_name: '拟撤回项目', industry_code: '1713', geometry: SITE, commitment_signed: true });
    const a = r.json;
    assert.equal((await approver.post(`/api/v1/approval/applications/${a.id}/withdraw`, {})).status, 403);
    for (const c of a.checklist.filter((x) => x.required)) await attach(firms.tex.user, a.id, c.code);
    r = await approver.post(`/api/v1/approval/applications/${a.id}/accept`, {});
    assert.equal(r.status, 200);
    r = await firms.tex.user.post(`/api/v1/approval/applications/${a.id}/withdraw`, {});
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.state, 'withdrawn');
    assert.equal(r.json.clock, 'stopped');
    assert.equal((await firms.tex.user.post(`/api/v1/approval/applications/${a.id}/withdraw`, {})).status, 409);
    assert.equal((await firms.chem.user.post(`/api/v1/approval/applications/${a.id}/withdraw`, {})).status, 404);
    assert.ok(audits(a.id).includes('withdraw'));
  });

  test('多评合一: radiation and outfall in one application, their items on the checklist, one decision', async () => {
    let r = await firms.tex.user.post('/api/v1/approval/applications', { project_name: '印染废水排口及辐射探伤项目', industry_code: '1713', geometry: SITE, commitment_signed: true, assessments: ['radiation', 'outfall'] });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const a = r.json;
    assert.deepEqual(a.assessments, ['eia', 'radiation', 'outfall']);
    const codes = a.checklist.map((c) => c.code);
    assert.ok(codes.includes('radiation_report') && codes.includes('outfall_report'), codes.join());
    r = await firms.tex.user.post('/api/v1/approval/applications', { project_name: 'x', industry_code: '1713', geometry: SITE, assessments: ['noise'] });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'assessments');
    const plain = await firms.tex.user.post('/api/v1/approval/check', { geometry: SITE, industry_code: '1713', project_name: 'y' });
    assert.ok(!plain.json.checklist.some((c) => c.code === 'radiation_report'), 'only a combined application lists them');
    for (const c of a.checklist.filter((x) => x.required)) await attach(firms.tex.user, a.id, c.code);
    assert.equal((await approver.post(`/api/v1/approval/applications/${a.id}/accept`, {})).status, 200);
    r = await approver.post(`/api/v1/approval/applications/${a.id}/decision`, { decision: 'approve', conditions: '排口设置于园区污水管网接管口' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const text = await download(firms.tex.user, r.json.documents.find((d) => d.kind === 'eia_decision').attachment_id);
    assert.match(text, /辐射环境影响评价文件、入河排污口设置的审批意见/);
  });

  test('a classified collective review session pauses each application\'s clock and records the experts', async () => {
    const ids = [];
    for (const name of ['集中评审甲项目', '集中评审乙项目']) {
      const r = await approver.post('/api/v1/approval/applications', { enterprise_id: firms.chem.id, project_name: name, industry_code: '2614', geometry: SITE });
      for (const c of r.json.checklist.filter((x) => x.required)) await attach(approver, r.json.id, c.code);
      assert.equal((await approver.post(`/api/v1/approval/applications/${r.json.id}/accept`, {})).status, 200);
      ids.push(r.json.id);
    }
    const experts = [{ name: '张教授', title: '正高级工程师', org: '浙江大学' }, { name: '李工', title: '高级工程师', org: '省环科院' }];
    let r = await approver.post('/api/v1/approval/sessions', { title: '化工类报告书集中评审', kind: 'report', held_on: '2026-12-09', experts: [], application_ids: ids });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'experts');
    r = await approver.post('/api/v1/approval/sessions', { title: '化工类报告书集中评审', kind: 'form', held_on: '2026-12-09', experts, application_ids: ids });
    assert.equal(r.status, 409, 'the session reviews one class');
    r = await approver.post('/api/v1/approval/sessions', { title: '化工类报告书集中评审', kind: 'report', held_on: '2026-12-09', experts, application_ids: ids });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const s = r.json;
    assert.equal(s.experts.length, 2);
    assert.equal(s.applications.length, 2);
    assert.equal(s.region_code, '330502', 'the region its applications share');
    // staff of another region (the 长兴 sub-bureau) do not see 吴兴's session
    const service = await loginAs(srv.base, 'service');
    const seen = await service.get('/api/v1/approval/sessions');
    assert.equal(seen.status, 200, JSON.stringify(seen.json));
    assert.ok(!seen.json.items.some((x) => x.id === s.id), 'out of scope');
    assert.ok((await leader.get('/api/v1/approval/sessions')).json.items.some((x) => x.id === s.id));
    for (const id of ids) {
      const a = (await approver.get(`/api/v1/approval/applications/${id}`)).json;
      assert.equal(a.clock, 'paused');
      assert.equal(a.case_state, 'expert_review');
    }
    assert.equal((await approver.post('/api/v1/approval/sessions', { title: '重复', kind: 'report', held_on: '2026-12-09', experts, application_ids: [ids[0]] })).status, 409, 'already in review');
    assert.equal((await leader.post(`/api/v1/approval/sessions/${s.id}/close`, { opinion: 'x' })).status, 403);
    r = await approver.post(`/api/v1/approval/sessions/${s.id}/close`, { opinion: '原则通过，按专家意见修改完善后报批' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.items[0].state, 'closed');
    for (const id of ids) {
      const a = (await approver.get(`/api/v1/approval/applications/${id}`)).json;
      assert.equal(a.clock, 'on_track');
      assert.ok(a.pauses);
    }
    assert.equal((await approver.post(`/api/v1/approval/sessions/${s.id}/close`, { opinion: 'again' })).status, 409);
    const list = await leader.get('/api/v1/approval/sessions');
    assert.ok(list.json.items.some((x) => x.id === s.id && x.opinion.startsWith('原则通过')));
    assert.equal((await firms.chem.user.get('/api/v1/approval/sessions')).status, 403);
  });

  test('打捆审批: small firms of one type in one park as one project, the saving per firm shown', async () => {
    const mk = async (k, name, ind) => (await admin.post('/api/v1/enterprises', { name, uscc: usccWithCheck(`91330502MA2E0010${k}`), region_code: '330502', industry_code: ind, category: 'general' })).json;
    const b1 = await mk(1, '湖州打捆家具一厂', '2110'), b2 = await mk(2, '湖州打捆家具二厂（#2 车间）', '2120'), other = await mk(3, '湖州打捆食品厂', '1351');
    const lead = await mk(4, '湖州打捆家具总厂', '2110');
    const body = { enterprise_id: lead.id, project_name: '家具产业园小微企业打捆项目', industry_code: '2110', geometry: SITE, park: '湖州南太湖新区产业园' };
    let r = await approver.post('/api/v1/approval/check', { ...body, bundle_enterprise_ids: [b1.id, b2.id] });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.bundle_firms, 3);
    r = await firms.tex.user.post('/api/v1/approval/applications', { ...body, enterprise_id: undefined, bundle_enterprise_ids: [b1.id] });
    assert.equal(r.status, 403, 'an enterprise does not file a bundle');
    r = await approver.post('/api/v1/approval/applications', { ...body, park: '', bundle_enterprise_ids: [b1.id] });
    assert.equal(r.json.error.field, 'park');
    r = await approver.post('/api/v1/approval/applications', { ...body, bundle_enterprise_ids: [b1.id, other.id] });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'bundle_enterprise_ids');
    r = await approver.post('/api/v1/approval/applications', { ...body, bundle_enterprise_ids: [b1.id, b1.id] });
    assert.equal(r.status, 422);
    r = await approver.post('/api/v1/approval/applications', { ...body, class: 'form', class_reason: '打捆核定报告表', bundle_enterprise_ids: [b1.id, b2.id] });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.bundle.length, 2);
    assert.deepEqual(r.json.bundle.map((x) => x.enterprise_id), [b1.id, b2.id]);
    assert.equal(r.json.bundle[0].saving_yuan, 40000, '60,000 yuan shared by 3: each saves 40,000');
    assert.equal(r.json.bundle[1].name, '湖州打捆家具二厂（#2 车间）', 'a # in a name is the name\'s');
    assert.equal(r.json.bundle[1].saving_yuan, 40000);
  });

  test('acceptance is refused, naming the year, when the limit needs a calendar year not loaded', async () => {
    // a region whose rule set promises the whole statutory time: 60 working days from December 2026
    const body = JSON.parse(sql(srv.dir, "SELECT body FROM rule_sets WHERE kind = 'approval.routes' ORDER BY id LIMIT 1"));
    let r = await admin.post('/api/v1/rules', { kind: 'approval.routes', region_prefix: '330503', effective_from: '2026-01-01',
      source: '测试：不压缩法定时限', body: { ...body, compression: 1 } });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const f = (await admin.post('/api/v1/enterprises', { name: '南浔日历测试化工有限公司', uscc: usccWithCheck('91330503MA2E00201'), region_code: '330503', industry_code: '2614', category: 'key' })).json;
    r = await approver.post('/api/v1/approval/applications', { enterprise_id: f.id, project_name: '跨年时限项目', industry_code: '2614', geometry: SITE });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.rule_set_id, Number(sql(srv.dir, "SELECT MAX(id) FROM rule_sets WHERE kind = 'approval.routes' AND region_prefix = '330503'")));
    for (const c of r.json.checklist.filter((x) => x.required)) await attach(approver, r.json.id, c.code);
    const acc = await approver.post(`/api/v1/approval/applications/${r.json.id}/accept`, {});
    if (chinaToday() < '2026-10-01') return; // 60 working days still end inside 2026
    assert.equal(acc.status, 409, JSON.stringify(acc.json));
    assert.equal(acc.json.error.code, 'calendar_missing');
    assert.match(acc.json.error.message, /2027/);
    assert.equal((await approver.get(`/api/v1/approval/applications/${r.json.id}`)).json.state, 'filed', 'nothing half done');
  });

  test('a rule set with the longest Chinese strings its schema allows is in force, not "no rule set"', async () => {
    const body = JSON.parse(sql(srv.dir, "SELECT body FROM rule_sets WHERE kind = 'approval.routes' ORDER BY id LIMIT 1"));
    const long = '告'.repeat(200);
    body.routes = body.routes.map((l, i) => (i === 0 ? { ...l, name: long } : l));
    body.plan_eia_parks = [...body.plan_eia_parks, '园'.repeat(100)];
    body.obligations = body.obligations.map((o, i) => (i === 0 ? { ...o, title: '义'.repeat(300) } : o));
    let r = await admin.post('/api/v1/rules', { kind: 'approval.routes', region_prefix: '330521', effective_from: '2026-01-01', source: '测试：长名称', body });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const f = (await admin.post('/api/v1/enterprises', { name: '德清长名称纺织有限公司', uscc: usccWithCheck('91330521MA2E00301'), region_code: '330521', industry_code: '1713', category: 'general' })).json;
    r = await approver.post('/api/v1/approval/check', { enterprise_id: f.id, geometry: SITE, industry_code: '1713', project_name: '织造项目' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.rule.id > 0, true);
    const lists = body.routes.filter((l) => l.route === r.json.route);
    if (r.json.basis !== 'park') assert.ok(lists.some((l) => l.name === r.json.basis));
    // a version in force that does not parse says why, not only "no rule set"
    sql(srv.dir, `UPDATE rule_sets SET body = replace(body, '"compression":', '"compression":5, "x":') WHERE region_prefix = '330521' AND kind = 'approval.routes'`);
    r = await approver.post('/api/v1/approval/check', { enterprise_id: f.id, geometry: SITE, industry_code: '1713', project_name: '织造项目' });
    assert.equal(r.status, 409, JSON.stringify(r.json));
    assert.equal(r.json.error.code, 'rule_set_invalid');
    assert.match(r.json.error.message, /compression/);
  });

  test('the catalogue is the admin\'s to edit; the figures add up', async () => {
    const list = await approver.get('/api/v1/approval/catalogue?limit=100');
    assert.equal(list.status, 200);
    const item = list.json.items.find((x) => x.item_no === '十四、19');
    assert.equal((await approver.put(`/api/v1/approval/catalogue/${item.id}`, { report_keywords: '洗毛' })).status, 403);
    let r = await admin.put(`/api/v1/approval/catalogue/${item.id}`, { report_keywords: '洗毛,脱胶,缫丝,精炼,织造' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    r = await firms.tex.user.post('/api/v1/approval/check', { geometry: SITE, industry_code: '1713', project_name: '织造项目' });
    assert.equal(r.json.class, 'report', 'the edited item decides');
    r = await admin.post('/api/v1/approval/catalogue', { item_no: '九十九、1', category: '测试', project_type: '测试', industry_prefixes: '99', default_class: 'bogus' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'default_class');
    // prefixes are codes: text with multi-byte characters (whose bytes once looped the split
    // forever, holding filing's write transaction) is refused on create and update
    r = await admin.post('/api/v1/approval/catalogue', { item_no: '九十九、2', category: '测试', project_type: '测试', industry_prefixes: '化学,99', default_class: 'form' });
    assert.equal(r.status, 422, JSON.stringify(r.json));
    assert.equal(r.json.error.field, 'industry_prefixes');
    r = await admin.put(`/api/v1/approval/catalogue/${item.id}`, { industry_prefixes: '17,纺织' });
    assert.equal(r.status, 422, JSON.stringify(r.json));
    assert.equal(r.json.error.field, 'industry_prefixes');
    r = await admin.put(`/api/v1/approval/catalogue/${item.id}`, { industry_prefixes: '17，1713' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    r = await firms.tex.user.post('/api/v1/approval/check', { geometry: SITE, industry_code: '1713', project_name: '织造项目' });
    assert.equal(r.status, 200, 'a full-width comma separates prefixes');
    assert.equal(r.json.proposal.item_no, '十四、19');
    const s = await leader.get('/api/v1/approval/stats');
    assert.equal(s.status, 200, JSON.stringify(s.json));
    const total = s.json.by_route_class.reduce((n, x) => n + x.n, 0);
    assert.equal(total, Number(sql(srv.dir, 'SELECT COUNT(*) FROM eia_applications')));
    const d = await leader.get('/api/v1/dashboard');
    assert.ok(d.json.approval && typeof d.json.approval.in_review === 'number');
  });
});

describe('EIA approval: the site-check answer over its cap', () => {
  let small;
  before(async () => { small = await startServer({ enterprises: 5, env: { ENVGOV_APPROVAL_ZONING_ANSWER_MAX_BYTES: '300' } }); });
  after(async () => { await small?.stop(); });

  test('is refused by name (413, geometry), never stored cut', async () => {
    const ap = await loginAs(small.base, 'approver');
    const site = { type: 'Point', coordinates: [120.17, 30.88] };
    let r = await ap.post('/api/v1/approval/check', { geometry: site, industry_code: '1713', project_name: '织造项目' });
    assert.equal(r.status, 413, JSON.stringify(r.json));
    assert.equal(r.json.error.code, 'too_big');
    assert.equal(r.json.error.field, 'geometry');
    assert.match(r.json.error.message, /过大/);
    const ent = Number(sql(small.dir, 'SELECT id FROM enterprises ORDER BY id LIMIT 1'));
    const before = sql(small.dir, 'SELECT COUNT(*) FROM eia_applications');
    r = await ap.post('/api/v1/approval/applications', { enterprise_id: ent, geometry: site, industry_code: '1713', project_name: '织造项目' });
    assert.equal(r.status, 413, JSON.stringify(r.json));
    assert.equal(r.json.error.field, 'geometry');
    assert.equal(sql(small.dir, 'SELECT COUNT(*) FROM eia_applications'), before, 'nothing stored');
    // a site touching no unit has a short answer and passes
    r = await ap.post('/api/v1/approval/check', { geometry: { type: 'Point', coordinates: [100, 20] }, industry_code: '1713', project_name: '织造项目' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.zoning.verdict, 'no_unit');
  });
});
