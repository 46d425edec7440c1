/*
** The parts of a transfer 027's manifests left out (转移管理办法): relay carriers (art. 17: each
** handover with its carrier, vehicle, licence, place and time, recorded by the shipper while the
** manifest is shipped; the first leg is the carrier at shipping), the cross-province approval
** (arts. 23-28: a manifest whose receiver is in another province ships only once bureau staff
** approved the firm's application, a case of type waste_transfer on the rule set's workday
** clock), and the paper fallback (art. 20: when the electronic manifest could not be used, the
** shipper enters the paper manifest's data within the rule set's 10 workdays of the shipment;
** its lines become 委外 records of their batches as a shipped manifest's do).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/entity.h"
#include "rules/rules.h"
#include "store/q_waste.h"
#include "waste/internal.h"

#define SHIPPERS (ROLE_ADMIN | ROLE_ENTERPRISE)
#define APPROVERS (ROLE_APPROVER | ROLE_LEADER | ROLE_ADMIN)

/* ---------------- the cross-province approval as a case ---------------- */

static const char *const STATES[] = {"submitted", "approved", "refused", NULL};
static const char *const FINAL[] = {"approved", "refused", NULL};
static const char *const NOTE[] = {"note", NULL};
static const struct case_transition TRANSITIONS[] = {
    {"submitted", "approved", "approve", APPROVERS, NULL, CLOCK_STOP, "同意跨省转移",
     "Approve the transfer"},
    {"submitted", "refused", "refuse", APPROVERS, NOTE, CLOCK_STOP, "不予同意",
     "Refuse the transfer"},
};

/* A decision on the case page: the manifest's approval follows, with its audit row. */
static int follow(struct db *db, int64_t manifest_id, const struct case_transition *tr,
                  const struct case_actor *who, const char *note, const char *now)
{
    int rc = store_waste_manifest_approval(db, manifest_id, tr->to, 0, note ? note : "", now);
    char after[300];
    snprintf(after, sizeof after, "{\"approval_state\":\"%s\"}", tr->to);
    struct audit_entry a = {.actor_id = who ? who->user_id : 0,
                            .actor = who ? who->name : "system",
                            .entity = "waste_manifest",
                            .entity_id = manifest_id,
                            .action = !strcmp(tr->to, "approved") ? "approval_granted"
                                                                  : "approval_refused",
                            .after_json = after,
                            .request_id = who ? who->request_id : NULL,
                            .ip = who ? who->ip : NULL};
    return rc ? rc : store_audit_add(db, &a);
}

static const struct case_type TRANSFER_CASE = {
    .name = "waste_transfer",
    .label_zh = "危险废物跨省转移审批",
    .label_en = "Cross-province hazardous-waste transfer",
    .states = STATES,
    .final = FINAL,
    .transitions = TRANSITIONS,
    .n_transitions = ARRAY_LEN(TRANSITIONS),
    .on_move = follow,
};

const struct case_type *waste_transfer_case(void)
{
    return &TRANSFER_CASE;
}

void waste_transfer_register(void)
{
    cases_type_register(&TRANSFER_CASE);
}

static int begin(struct req *r, json_t **in, struct db **db)
{
    if (req_json_object(r, in)) {
        return ERR_INPUT;
    }
    int rc = store_begin(app.store, db);
    if (rc) {
        json_decref(*in);
        resp_err(r, rc, NULL, NULL);
    }
    return rc;
}

/* POST /manifests/{id}/approval: the shipper applies for its cross-province draft. */
static int api_apply(struct req *r)
{
    json_t *in;
    struct db *db;
    if (begin(r, &in, &db)) {
        return 0;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct waste_manifest_row m;
    enum party who = P_STAFF;
    int rc = waste_manifest_visible(r, db, req_id(r, 0), &m, &who);
    if (!rc && who != P_SHIPPER && r->who->role != ROLE_ADMIN) {
        rc = waste_refuse(r, 403, "forbidden", "只有移出人可以申请 / only the shipper applies",
                          "id");
    }
    if (!rc && !m.cross_province) {
        rc = waste_refuse(r, 409, "not_cross_province",
                          "接受单位在本省，无需跨省转移审批 / the receiver is in the same "
                          "province: no approval is needed",
                          "receiver_id");
    }
    if (!rc && strcmp(m.state, "draft")) {
        rc = waste_refuse(r, 409, "bad_state",
                          "只有草稿联单可以申请 / only a draft manifest may apply", "state");
    }
    if (!rc && (!strcmp(m.approval_state, "applied") || !strcmp(m.approval_state, "approved"))) {
        rc = waste_refuse(r, 409, "already_applied",
                          arena_printf(r->a, "审批已%s / the approval is already %s",
                                       !strcmp(m.approval_state, "applied") ? "在办" : "同意",
                                       m.approval_state),
                          "approval_state");
    }
    char region[16] = "", name[200] = "";
    rc = rc ? rc : store_waste_enterprise(db, m.enterprise_id, region, name, sizeof name);
    struct waste_rules wr;
    struct rule_ref ref = {0};
    rc = rc ? rc : waste_rules_load(db, region, &wr, &ref);
    rc = rc ? rc : ref.id ? rules_mark_used(db, &ref) : 0;
    int64_t case_id = 0;
    if (!rc) {
        struct case_open o = {.type = TRANSFER_CASE.name,
                              .subject_kind = "waste_manifest",
                              .subject_id = m.id,
                              .enterprise_id = m.enterprise_id,
                              .region_code = region,
                              .title = arena_printf(r->a, "跨省转移审批：%s %s", m.number, name),
                              .unit = CU_WORKDAYS,
                              .limit = wr.crossprov_workdays,
                              .rule_set_id = ref.id,
                              .rule_version = ref.version,
                              .limit_source = ref.id ? "rules waste.rules crossprov_workdays"
                                                     : "default crossprov_workdays 20"};
        rc = cases_open(db, &o, r->who->user_id, r->who->display_name, now, &case_id);
    }
    rc = rc ? rc : store_waste_manifest_approval(db, m.id, "applied", case_id, "", now);
    rc = rc ? rc : store_waste_manifest_json(db, m.id, &r->out);
    rc = rc ? rc : audit_write(r, db, "waste_manifest", m.id, "approval_apply", NULL, r->out.p);
    json_decref(in);
    return entity_finish_write(r, db, rc, 200);
}

/* POST /manifests/{id}/handover: a relay carrier takes over a shipped manifest. */
static int api_handover(struct req *r)
{
    json_t *in;
    struct db *db;
    if (begin(r, &in, &db)) {
        return 0;
    }
    char now[32], nowc[20];
    time_iso(wall_ms() / 1000, now);
    china_time(wall_ms() / 1000, nowc);
    struct waste_manifest_row m;
    enum party who = P_STAFF;
    int rc = waste_manifest_visible(r, db, req_id(r, 0), &m, &who);
    if (!rc && who != P_SHIPPER && r->who->role != ROLE_ADMIN) {
        rc = waste_refuse(r, 403, "forbidden",
                          "只有移出人可以登记交接 / only the shipper records a handover", "id");
    }
    int state = rc ? -1 : waste_code_index(waste_mstate_code, MS_N, m.state);
    if (!rc && waste_manifest_step(state, MA_HANDOVER, 0) < 0) {
        rc = waste_refuse(r, 409, "bad_state",
                          arena_printf(r->a,
                                       "联单处于 %s 状态，只有运输中的联单可以交接 / the manifest "
                                       "is %s: only a shipped one changes carrier",
                                       m.state, m.state),
                          "state");
    }
    struct waste_leg l = {0};
    const char *at = NULL;
    rc = rc ? rc : json_get_str(r, in, "carrier_name", 200, true, &l.carrier_name);
    rc = rc ? rc : json_get_str(r, in, "vehicle_no", 20, true, &l.vehicle_no);
    rc = rc ? rc : json_get_str(r, in, "carrier_licence", 40, true, &l.carrier_licence);
    rc = rc ? rc : json_get_str(r, in, "handover_place", 200, true, &l.handover_place);
    rc = rc ? rc : json_get_str(r, in, "handed_over_at", 25, false, &at);
    char t[20];
    if (!rc && at && *at && (waste_china_time(at, t) || strcmp(t, nowc) > 0)) {
        rc = waste_refuse(r, 422, "invalid",
                          "交接时间须为不晚于现在的时间 / handed_over_at must be a time not in "
                          "the future",
                          "handed_over_at");
    }
    l.handed_over_at = at && *at ? t : nowc;
    int64_t leg = 0;
    rc = rc ? rc : store_waste_leg_add(db, m.id, &l, r->who->user_id, now, &leg);
    if (rc == ERR_CONFLICT && !r->status) {
        rc = waste_refuse(r, 409, "before_last_leg",
                          "交接时间早于上一段运输的开始 / handed_over_at is before the last leg "
                          "began",
                          "handed_over_at");
    }
    rc = rc ? rc : store_waste_manifest_json(db, m.id, &r->out);
    rc = rc ? rc : audit_write(r, db, "waste_manifest", m.id, "waste_handover", NULL, r->out.p);
    json_decref(in);
    return entity_finish_write(r, db, rc, 200);
}

/* ---------------- paper manifests ---------------- */

static bool is_date(const char *s)
{
    char t[20];
    return s && strlen(s) == 10 && !waste_china_time(s, t);
}

static int api_paper_create(struct req *r)
{
    json_t *in;
    struct db *db;
    if (begin(r, &in, &db)) {
        return 0;
    }
    char now[32], today[11], nowc[20];
    time_iso(wall_ms() / 1000, now);
    date_cn(wall_ms() / 1000, today);
    china_time(wall_ms() / 1000, nowc);
    struct waste_paper_row p = {0};
    json_t *site = json_object_get(in, "site_id"), *recv = json_object_get(in, "receiver_id");
    int rc = json_get_str(r, in, "paper_no", 40, true, &p.paper_no);
    rc = rc ? rc : json_get_str(r, in, "carrier_name", 200, true, &p.carrier_name);
    rc = rc ? rc : json_get_str(r, in, "vehicle_no", 20, true, &p.vehicle_no);
    rc = rc ? rc : json_get_str(r, in, "shipped_on", 10, true, &p.shipped_on);
    rc = rc ? rc : json_get_str(r, in, "received_on", 10, false, &p.received_on);
    rc = rc ? rc : json_get_str(r, in, "reason", 2000, true, &p.reason);
    if (!rc && !is_date(p.shipped_on)) {
        rc = waste_refuse(r, 422, "invalid",
                          "shipped_on 须为日期 YYYY-MM-DD / shipped_on must be a date",
                          "shipped_on");
    }
    if (!rc && p.received_on && *p.received_on &&
        (!is_date(p.received_on) || strcmp(p.received_on, p.shipped_on) < 0 ||
         strcmp(p.received_on, today) > 0)) {
        rc = waste_refuse(r, 422, "invalid",
                          "接收日期须在运输日期与今天之间 / received_on must lie between "
                          "shipped_on and today",
                          "received_on");
    }
    p.received_on = p.received_on && *p.received_on ? p.received_on : NULL;
    if (!rc && !json_is_integer(site)) {
        rc = waste_refuse(r, 422, "required", "请选择移出场所 / site_id is required", "site_id");
    }
    if (!rc && !json_is_integer(recv)) {
        rc = waste_refuse(r, 422, "required", "请选择接受单位 / receiver_id is required",
                          "receiver_id");
    }
    struct waste_site_row s;
    if (!rc) {
        rc = store_waste_site_get(db, json_integer_value(site), &s);
        if (!rc && (r->who->role == ROLE_ENTERPRISE
                        ? s.enterprise_id != r->who->enterprise_id
                        : !store_scope_allows(&r->who->scope, s.enterprise_id, s.region))) {
            rc = ERR_NOTFOUND;
        }
        if (rc == ERR_NOTFOUND) {
            rc = waste_refuse(r, 422, "invalid", "没有该场所 / no such site", "site_id");
        }
    }
    p.site_id = rc ? 0 : s.id;
    p.enterprise_id = rc ? 0 : s.enterprise_id;
    p.receiver_id = json_integer_value(recv);
    if (!rc && (p.receiver_id == p.enterprise_id || !store_waste_licensed(db, p.receiver_id))) {
        rc = waste_refuse(r, 422, "invalid",
                          "接受单位须为另一家持危险废物经营许可证的单位 / the receiver must be "
                          "another enterprise with a licensed site",
                          "receiver_id");
    }
    char rregion[16] = "";
    rc = rc ? rc : store_waste_enterprise(db, p.receiver_id, rregion, NULL, 0);
    if (!rc && waste_cross_province(s.region, rregion)) {
        rc = waste_refuse(r, 409, "cross_province",
                          "跨省转移须在电子联单上申请审批，不能补录纸质联单 / a cross-province "
                          "transfer needs its approval on an electronic manifest",
                          "receiver_id");
    }
    /* the 10 workdays of art. 20 on the platform's calendar, as the 5-day confirmation's */
    struct waste_rules wr;
    rc = rc ? rc : waste_rules_load(db, s.region, &wr, NULL);
    char due[11] = "";
    int wrc = rc ? 0 : waste_workdays_after(p.shipped_on, wr.paper_workdays, due);
    if (!rc && wrc == ERR_NOTFOUND) {
        rc = waste_refuse(r, 409, "no_calendar",
                          "工作日历缺少所需年份 / the working-day calendar lacks the year",
                          "shipped_on");
    } else if (!rc && wrc) {
        rc = waste_refuse(r, 422, "invalid", "shipped_on 须为日期 / shipped_on must be a date",
                          "shipped_on");
    }
    int chk = rc ? 0 : waste_paper_check(p.shipped_on, due, today);
    if (!rc && chk == ERR_INPUT) {
        rc = waste_refuse(r, 422, "invalid",
                          "运输日期不能晚于今天 / shipped_on cannot be after today", "shipped_on");
    } else if (!rc && chk) {
        rc = waste_refuse(r, 409, "past_limit",
                          arena_printf(r->a,
                                       "纸质联单须在运输后 %d 个工作日内（%s 前）补录 / a paper "
                                       "manifest is entered within %d working days of the "
                                       "shipment (by %s)",
                                       wr.paper_workdays, due, wr.paper_workdays, due),
                          "shipped_on");
    }
    p.entry_due = due;
    int year = rc ? 0 : atoi_year(p.shipped_on);
    int64_t plan = 0;
    const char *tables = NULL;
    rc = rc ? rc : store_waste_plan_filed(db, r->a, s.id, year, &plan, &tables);
    if (rc == ERR_NOTFOUND) {
        rc = waste_refuse(
            r, 409, "no_plan",
            arena_printf(r->a, "该场所 %d 年度管理计划尚未备案 / the site has no filed plan for %d",
                         year, year),
            "site_id");
    }
    struct waste_mline lines[LINES_MAX];
    size_t n = 0;
    rc = rc ? rc : waste_lines_check(r, db, s.id, json_object_get(in, "lines"), tables, lines, &n);
    struct buf lj;
    buf_init(&lj, 4096);
    buf_putc(&lj, '[');
    for (size_t i = 0; !rc && i < n; i++) {
        buf_printf(&lj, "%s{\"line_no\":%zu,\"source_batch\":", i ? "," : "", i + 1);
        buf_json_str(&lj, lines[i].source_batch, strlen(lines[i].source_batch));
        buf_printf(&lj, ",\"waste_code\":\"%s\",\"amount_t\":%.4f}", lines[i].waste_code,
                   lines[i].amount_t);
        p.amount_t += lines[i].amount_t;
    }
    buf_putc(&lj, ']');
    p.lines_json = lj.p;
    int64_t id = 0;
    rc = rc ? rc : store_waste_paper_insert(db, &p, r->who->user_id, now, &id);
    if (rc == ERR_CONFLICT && !r->status) {
        rc = waste_refuse(r, 409, "duplicate", "该纸质联单编号已补录 / the paper number is taken",
                          "paper_no");
    }
    /* each line leaves the store as a shipped manifest's does: a 委外 record of its batch, on
       the shipment's day (the time now when shipped today) */
    char occurred[20];
    snprintf(occurred, sizeof occurred, "%.10s 23:59:59", p.shipped_on ? p.shipped_on : "");
    if (!rc && !strcmp(p.shipped_on, today)) {
        str_copy(occurred, sizeof occurred, nowc);
    }
    const char *note = rc ? NULL : arena_printf(r->a, "纸质联单 %s", p.paper_no);
    for (size_t i = 0; !rc && i < n; i++) {
        struct waste_record_in ri = {.kind = WK_OUTSOURCE,
                                     .source_batch = lines[i].source_batch,
                                     .amount_t = lines[i].amount_t,
                                     .note = note,
                                     .created_by = r->who->user_id};
        str_copy(ri.occurred_at, sizeof ri.occurred_at, occurred);
        const char *field = NULL;
        char err[300] = "";
        int64_t rid;
        rc = waste_record_add(db, r->a, s.id, &ri, now, &rid, &field, err, sizeof err);
        if (rc) {
            resp_error(r, rc == ERR_CONFLICT ? 409 : 422, "over_balance", arena_strdup(r->a, err),
                       arena_printf(r->a, "lines[%zu].amount_t", i));
        }
    }
    buf_release(&lj);
    rc = rc ? rc : store_waste_paper_json(db, id, &r->out);
    rc = rc ? rc : audit_write(r, db, "waste_paper", id, "create", NULL, r->out.p);
    json_decref(in);
    return entity_finish_write(r, db, rc, 201);
}

static int api_papers(struct req *r)
{
    const char *site = req_query(r, "site_id");
    int64_t sid = 0;
    if (site && *site && (parse_i64(site, strlen(site), &sid) || sid < 0)) {
        return resp_error(r, 422, "invalid", "site_id 须为正整数 / site_id must be an id",
                          "site_id");
    }
    struct db *db = store_read(app.store);
    int rc = store_waste_papers_json(db, &r->who->scope, sid, &r->out);
    return entity_finish_read(r, db, rc);
}

static const struct route routes[] = {
    {"POST", "/api/v1/waste/manifests/{id}/handover", SHIPPERS, api_handover, 0,
     "The shipper records a relay carrier's handover of a shipped manifest (art. 17)"},
    {"POST", "/api/v1/waste/manifests/{id}/approval", SHIPPERS, api_apply, 0,
     "The shipper applies for a cross-province transfer's approval: a waste_transfer case"},
    {"GET", "/api/v1/waste/paper-manifests", ROLES_ANY, api_papers, 0,
     "Paper manifests entered within the caller's area (an enterprise: its own and received)"},
    {"POST", "/api/v1/waste/paper-manifests", SHIPPERS, api_paper_create, 0,
     "Enter a paper manifest within the rule set's working days of the shipment (art. 20)"},
};

void waste_transfer_routes(struct router *rt)
{
    waste_transfer_register(); /* once, before threads start, as the routes are */
    router_add(rt, routes, ARRAY_LEN(routes));
}
