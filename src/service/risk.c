/*
** The key-project environmental and social risk ledger (重点项目环境和社会风险台账): a risk
** found on a key project, with its owner, measures and deadline, is a case of type
** service_risk whose clock runs to the end of the deadline day (China time); the engine's sweep
** (cases.escalate) escalates it (督办) to the leader's to-do once overdue, as it does the
** rectification orders. 销号 closes it with a result (here or from the case page). Complaints
** near a project (request_near) link to it. The job service.risks queues the overdue notice
** (webhook to the owner's unit, SMS to the owner) once per risk.
*/
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cases/cases.h"
#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "http/json.h"
#include "monitor/outbound.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/entity.h"
#include "request/request.h"
#include "service/internal.h"
#include "store/q_service.h"

static const char *const STATES[] = {"open", "closed", NULL};
static const char *const FINAL[] = {"closed", NULL};
static const char *const NOTE[] = {"note", NULL};

static const struct case_transition T[] = {
    {"open", "closed", "close", SERVICE_WRITERS, NOTE, CLOCK_STOP, "销号", "Close (销号)"},
};

static int on_move(struct db *db, int64_t subject_id, const struct case_transition *tr,
                   const struct case_actor *who, const char *note, const char *now)
{
    (void)tr, (void)who;
    char today[11];
    date_cn(wall_ms() / 1000, today);
    int rc = store_service_risk_close(db, subject_id, note ? note : "", today, now);
    return rc ? rc : db_changes(db) ? 0 : ERR_CONFLICT;
}

static const struct case_type RISK_CASE = {.name = "service_risk",
                                           .label_zh = "重点项目风险",
                                           .label_en = "Key-project risk",
                                           .states = STATES,
                                           .final = FINAL,
                                           .transitions = T,
                                           .n_transitions = ARRAY_LEN(T),
                                           .on_move = on_move};

void service_risk_register(void)
{
    if (cases_type_find("service_risk") != &RISK_CASE) {
        cases_type_register(&RISK_CASE);
    }
}

/* The end of a China date (24:00 +08:00) in Unix seconds; 0 for a bad date. */
static int64_t day_end_s(const char *date)
{
    int y, m, d;
    if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3) {
        return 0;
    }
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 16};
    return (int64_t)timegm(&tm);
}

static int risk_check(struct req *r, struct db *db, json_t *in, bool create, int64_t id,
                      int64_t parent_id, struct entity_write *w)
{
    (void)in, (void)id, (void)parent_id;
    char now[32];
    time_iso(wall_ms() / 1000, now);
    int bad = 0;
    if (create) {
        entity_write_int(w, "created_by", r->who->user_id);
    }
    const struct db_value *o = entity_write_get(w, "owner_user_id");
    if (o && o->type != DB_NULL) {
        struct service_user su;
        int rc = store_service_user(db, o->i, &su);
        if (rc == ERR_NOTFOUND || (!rc && (!su.active || !strcmp(su.role, "enterprise")))) {
            bad =
                entity_error_add(w, 422, "owner_user_id", "invalid", "责任人应为在职的局内工作人员",
                                 "the owner must be an active member of staff");
        } else if (rc) {
            return rc;
        }
    }
    const struct db_value *lat = entity_write_get(w, "lat"), *lng = entity_write_get(w, "lng");
    if (create && (!lat || lat->type == DB_NULL) != (!lng || lng->type == DB_NULL)) {
        bad = entity_error_add(w, 422, lat && lat->type != DB_NULL ? "lng" : "lat", "required",
                               "经纬度须同时填写", "give both latitude and longitude");
    }
    return bad ? ERR_INPUT : 0;
}

int service_risk_open_case(struct db *db, int64_t id, int64_t actor_id, const char *actor)
{
    struct service_risk_row k;
    struct service_user su;
    int rc = store_service_risk(db, id, &k);
    rc = rc ? rc : store_service_user(db, k.owner_user_id, &su);
    if (rc) {
        return rc;
    }
    if (k.case_id) {
        /* a new owner takes the open case over: their to-do, their unit's escalation path */
        return store_service_risk_case_owner(db, k.case_id, k.owner_user_id, su.org_unit_id);
    }
    char now[32], title[300], source[48];
    int64_t t = wall_ms() / 1000;
    time_iso(t, now);
    int64_t limit = day_end_s(k.deadline) - t;
    snprintf(title, sizeof title, "重点项目风险销号：%s", k.project_name);
    snprintf(source, sizeof source, "risk deadline %s", k.deadline);
    struct case_open co = {.type = "service_risk",
                           .subject_kind = "service_risk",
                           .subject_id = id,
                           .region_code = k.region_code,
                           .org_unit_id = su.org_unit_id,
                           .assignee_user_id = k.owner_user_id,
                           .title = title,
                           .unit = CU_SECONDS,
                           .limit = limit > 0 ? limit : 1,
                           .limit_source = source};
    int64_t case_id = 0;
    rc = cases_open(db, &co, actor_id, actor, now, &case_id);
    return rc ? rc : store_service_risk_set_case(db, id, case_id);
}

/* Open the risk's case once its row exists (in the create's transaction). */
static int risk_after(struct req *r, struct db *db, json_t *in, int64_t id, bool *changed)
{
    (void)in, (void)changed;
    return service_risk_open_case(db, id, r->who->user_id, r->who->display_name);
}

static const struct entity_api RISKS = {.def = &ENTITY_SERVICE_RISK,
                                        .read_roles = ROLES_STAFF,
                                        .write_roles = SERVICE_WRITERS,
                                        .check = risk_check,
                                        .after = risk_after};

static int api_risks(struct req *r)
{
    return entity_list(r, &RISKS, 0);
}

static int api_risk_get(struct req *r)
{
    return entity_get(r, &RISKS, req_id(r, 0));
}

static int api_risk_create(struct req *r)
{
    return entity_create(r, &RISKS, 0);
}

static int api_risk_update(struct req *r)
{
    return entity_update(r, &RISKS, req_id(r, 0));
}

static char *risk_snapshot(struct req *r, struct db *db, int64_t id)
{
    struct buf b;
    buf_init(&b, 1 << 18);
    int rc = store_entity_get(db, &ENTITY_SERVICE_RISK, NULL, id, &b);
    char *s = rc ? NULL : arena_strdup(r->a, b.p);
    buf_release(&b);
    return s;
}

/* 销号: close an open risk with its result. */
static int api_risk_close(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *result = NULL;
    int rc = json_get_str(r, in, "result", 4000, true, &result);
    result = result ? arena_strdup(r->a, result) : NULL;
    json_decref(in);
    if (rc) {
        return 0;
    }
    if (!*result) {
        return resp_error(r, 422, "required", "销号须写明处置结果 / closing needs the result",
                          "result");
    }
    int64_t id = req_id(r, 0);
    struct db *db;
    rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct service_risk_row k;
    rc = id > 0 ? store_service_risk(db, id, &k) : ERR_NOTFOUND;
    rc = rc ? rc : service_visible(r, db, &ENTITY_SERVICE_RISK, id);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该风险 / no such risk", "id");
        return entity_finish_write(r, db, rc, 200);
    }
    if (!rc && strcmp(k.state, "open")) {
        resp_error(r, 409, "conflict", "该风险已销号 / the risk is already closed", "result");
        return entity_finish_write(r, db, ERR_CONFLICT, 200);
    }
    char *before = rc ? NULL : risk_snapshot(r, db, id);
    char now[32], today[11];
    time_iso(wall_ms() / 1000, now);
    date_cn(wall_ms() / 1000, today);
    if (!rc && k.case_id) {
        struct case_actor who = {
            r->who->user_id, r->who->display_name, r->who->role, r->request_id, r->ip, true};
        const char *present[] = {"note"}, *field = NULL;
        char why[256] = "";
        struct buf f;
        buf_init(&f, 16384);
        buf_puts(&f, "{\"note\":");
        buf_json_str(&f, result, strlen(result));
        buf_putc(&f, '}');
        rc = cases_transition(db, k.case_id, "close", &who, present, 1, f.p, result, 0, now, &field,
                              why, sizeof why);
        buf_release(&f);
        if (rc == ERR_FORBIDDEN || rc == ERR_INPUT || rc == ERR_CONFLICT) {
            resp_error(r,
                       rc == ERR_FORBIDDEN ? 403
                       : rc == ERR_INPUT   ? 422
                                           : 409,
                       rc == ERR_FORBIDDEN ? "forbidden" : "conflict",
                       why[0] ? arena_strdup(r->a, why) : "不能销号 / cannot close", "result");
            return entity_finish_write(r, db, rc, 200);
        }
    }
    rc = rc ? rc : store_service_risk_close(db, id, result, today, now);
    char *after = rc ? NULL : risk_snapshot(r, db, id);
    rc = rc ? rc : audit_write(r, db, "service_risk", id, "close", before, after);
    if (!rc) {
        buf_puts(&r->out, after);
    }
    return entity_finish_write(r, db, rc, 200);
}

/* Complaints within ?radius_m= (default service_risk_radius_m) of the project's point. */
static int api_risk_complaints(struct req *r)
{
    int64_t id = req_id(r, 0);
    double radius = (double)settings_int("service_risk_radius_m");
    const char *rq = req_query(r, "radius_m");
    int64_t v;
    if (rq && (parse_i64(rq, strlen(rq), &v) || v < 1 || v > 50000)) {
        return resp_error(r, 422, "invalid",
                          "radius_m 应为 1 至 50000 / radius_m must be 1 to 50000", "radius_m");
    }
    if (rq) {
        radius = (double)v;
    }
    struct db *db = store_read(app.store);
    struct service_risk_row k;
    int rc = id > 0 ? store_service_risk(db, id, &k) : ERR_NOTFOUND;
    rc = rc ? rc : service_visible(r, db, &ENTITY_SERVICE_RISK, id);
    if (rc) {
        store_release(app.store, db);
        return resp_err(r, rc, rc == ERR_NOTFOUND ? "没有该风险 / no such risk" : NULL, "id");
    }
    buf_printf(&r->out, "{\"risk_id\":%lld,\"radius_m\":%g,\"items\":", (long long)id, radius);
    if (k.has_point) {
        rc = request_near(db, k.lat, k.lng, radius, NULL, 100, &r->out);
    } else {
        buf_puts(&r->out, "[]");
    }
    buf_putc(&r->out, '}');
    if (rc) {
        buf_reset(&r->out);
    }
    return entity_finish_read(r, db, rc);
}

/* ---------------- the overdue notices (job service.risks) ---------------- */

/* One run notifies up to 500 overdue risks in one transaction; the rest (marked unsent
   still) are the next run's, and the run's note says how many wait. */
struct id_list {
    int64_t ids[500];
    size_t n, seen;
};

static void id_collect(int64_t id, void *ctx)
{
    struct id_list *l = ctx;
    l->seen++;
    if (l->n < ARRAY_LEN(l->ids)) {
        l->ids[l->n++] = id;
    }
}

static int risk_overdue_notice(struct db *db, int64_t id, const char *now)
{
    struct service_risk_row k;
    struct service_user su;
    int rc = store_service_risk(db, id, &k);
    rc = rc ? rc : store_service_user(db, k.owner_user_id, &su);
    if (rc) {
        return rc;
    }
    struct buf b;
    buf_init(&b, 8192);
    buf_putc(&b, '{');
    json_kv_str(&b, "event", "service.risk_overdue", false);
    buf_printf(&b, ",\"risk\":{\"id\":%lld", (long long)id);
    json_kv_str(&b, "project_name", k.project_name, true);
    json_kv_str(&b, "deadline", k.deadline, true);
    json_kv_str(&b, "region_code", k.region_code, true);
    json_kv_str(&b, "owner", su.name, true);
    buf_printf(&b, ",\"case_id\":%lld}", (long long)k.case_id);
    json_kv_str(&b, "created_at", now, true);
    buf_putc(&b, '}');
    int64_t mid;
    rc = outbound_enqueue(db, "webhook", "service.risk_overdue", su.org_unit_id, NULL, b.p,
                          "service_risk", id, now, &mid);
    buf_reset(&b);
    size_t cut = utf8_prefix(k.project_name, 30);
    buf_printf(&b, "重点项目风险“%.*s%s”已逾期（销号期限 %s），请尽快处置并销号。", (int)cut,
               k.project_name, k.project_name[cut] ? "…" : "", k.deadline);
    rc = rc ? rc
            : outbound_enqueue(db, "sms", "service.risk_overdue", su.org_unit_id, su.phone, b.p,
                               "service_risk", id, now, &mid);
    buf_release(&b);
    return rc ? rc : store_service_risk_mark_sent(db, id);
}

int service_job_risks(struct job_run *jr)
{
    char now[32], today[11];
    time_iso(jr->now_ms / 1000, now);
    date_cn(jr->now_ms / 1000, today);
    struct id_list *l = xcalloc(1, sizeof *l);
    struct db *db = NULL;
    int rc = store_begin(jr->store, &db);
    rc = rc ? rc : store_service_risks_overdue(db, today, id_collect, l);
    for (size_t i = 0; !rc && i < l->n; i++) {
        rc = risk_overdue_notice(db, l->ids[i], now);
    }
    if (db) {
        rc = rc ? (store_rollback(jr->store, db), rc) : store_commit(jr->store, db);
    }
    if (rc) {
        snprintf(jr->error, sizeof jr->error, "overdue notices failed (%d)", rc);
    } else {
        snprintf(jr->note, sizeof jr->note,
                 "%zu 项逾期风险已通知，%zu 项待下次 / %zu overdue risks notified, %zu left for "
                 "the next run",
                 l->n, l->seen - l->n, l->n, l->seen - l->n);
    }
    free(l);
    return rc;
}

static const struct route routes[] = {
    {"GET", "/api/v1/service/risks", ROLES_STAFF, api_risks, 0,
     "The key-project risk ledger (sort, filter, page)"},
    {"POST", "/api/v1/service/risks", SERVICE_WRITERS, api_risk_create, 0,
     "Record a key-project risk (opens its case, due at the end of the deadline day)"},
    {"GET", "/api/v1/service/risks/{id}", ROLES_STAFF, api_risk_get, 0, "One risk"},
    {"PUT", "/api/v1/service/risks/{id}", SERVICE_WRITERS, api_risk_update, 0,
     "Change a risk's measures, owner or level"},
    {"POST", "/api/v1/service/risks/{id}/close", SERVICE_WRITERS, api_risk_close, 0,
     "Close a risk (销号) with its result"},
    {"GET", "/api/v1/service/risks/{id}/complaints", ROLES_STAFF, api_risk_complaints, 0,
     "Complaints near the project"},
};

void service_risk_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
