/*
** HTTP routes of the rectification workflow (docs/internals/rectify.md):
**   issue an order from a problem: admin, leader, inspector (their area);
**   the board and an order: staff in their area, the enterprise its own orders;
**   submit evidence (text; attachments on entity rectify_order): the enterprise, its own;
**   verify or return with a reason: the order's verifier (an inspector) or a leader;
**   close an order not rectified: a leader.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/entity.h"
#include "rectify/rectify.h"
#include "rectify/workflow.h"
#include "store/q_rectify.h"
#include "store/q_rectify_flow.h"

#define ISSUERS (ROLE_ADMIN | ROLE_LEADER | ROLE_INSPECTOR)
#define VERIFIERS (ROLE_INSPECTOR | ROLE_LEADER)
#define TEXT_MAX 4000

static void now_iso(char out[32])
{
    time_iso(wall_ms() / 1000, out);
}

static struct case_actor actor_of(struct req *r)
{
    return (struct case_actor){.user_id = r->who->user_id,
                               .name = r->who->display_name,
                               .role = r->who->role,
                               .request_id = r->request_id,
                               .ip = r->ip};
}

static bool one_of(const char *v, const char *const *set)
{
    for (; v && *set; set++) {
        if (!strcmp(v, *set)) {
            return true;
        }
    }
    return false;
}

static int64_t query_int(struct req *r, const char *name, int64_t def, int64_t lo, int64_t hi)
{
    const char *v = req_query(r, name);
    int64_t x;
    if (!v || !*v) {
        return def;
    }
    return parse_i64(v, strlen(v), &x) || x < lo || x > hi ? -1 : x;
}

/* A refused action: the engine's reason and field, with the status of its code. */
static void refuse(struct req *r, int rc, const char *field, const char *why)
{
    const char *msg = *why ? arena_strdup(r->a, why) : NULL;
    const char *f = field ? arena_strdup(r->a, field) : NULL;
    if (rc == ERR_FORBIDDEN) {
        resp_error(r, 403, "forbidden", msg ? msg : "无权操作 / not allowed", f);
    } else if (rc == ERR_CONFLICT) {
        resp_error(r, 409, "conflict", msg ? msg : "当前状态不能这样操作 / not in this state", f);
    } else if (rc == ERR_INPUT) {
        resp_error(r, 422, "required", msg ? msg : "缺少必填项 / a field is missing", f);
    }
}

/* ---------------- issue an order from a problem ---------------- */

static int api_order_issue(struct req *r)
{
    int64_t pid = req_id(r, 0);
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *req_text = NULL;
    json_t *wd = json_object_get(in, "workdays"), *vu = json_object_get(in, "verifier_user_id");
    int bad = json_get_str(r, in, "requirement", TEXT_MAX, true, &req_text);
    if (!bad && (!req_text || !*req_text)) {
        bad = resp_error(r, 422, "required", "必填：整改要求 / required: what must be done",
                         "requirement") == 0;
    }
    if (!bad && wd && !json_is_null(wd) &&
        (!json_is_integer(wd) || json_integer_value(wd) < 1 || json_integer_value(wd) > 365)) {
        bad = resp_error(r, 422, "range", "整改期限为 1–365 个工作日 / 1 to 365 working days",
                         "workdays") == 0;
    }
    if (!bad && vu && !json_is_null(vu) && (!json_is_integer(vu) || json_integer_value(vu) < 1)) {
        bad = resp_error(r, 422, "invalid", "须为用户编号 / a user id", "verifier_user_id") == 0;
    }
    const char *requirement = bad ? NULL : arena_strdup(r->a, req_text);
    int workdays = wd && json_is_integer(wd) ? (int)json_integer_value(wd) : 0;
    int64_t verifier = vu && json_is_integer(vu) ? json_integer_value(vu) : 0;
    json_decref(in);
    if (bad) {
        return 0;
    }
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct rectify_problem p;
    rc = pid > 0 ? rectify_problem_get(db, pid, &p) : ERR_NOTFOUND;
    rc = rc ? rc : entity_enterprise_visible(r, db, p.enterprise_id);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "问题不存在 / no such problem", "id");
    }
    if (!rc && !strcmp(p.status, "closed")) {
        rc = ERR_CONFLICT;
        resp_error(r, 409, "closed", "问题已销号 / the problem is closed", "id");
    }
    struct rectify_order_input oi = {.enterprise_id = p.enterprise_id,
                                     .problem_id = pid,
                                     .origin = "problem",
                                     .requirement = requirement,
                                     .workdays = workdays,
                                     .verifier_user_id = verifier ? verifier : r->who->user_id};
    struct case_actor who = actor_of(r);
    int64_t oid = 0, cid = 0;
    const char *field = NULL;
    rc = rc ? rc : rectify_order_open(db, &oi, &who, now, &oid, &cid, &field);
    if (rc == ERR_INPUT || (rc == ERR_NOTFOUND && field)) {
        resp_error(r, 422, "invalid", "整改通知无效 / the order is invalid",
                   field ? arena_strdup(r->a, field) : NULL);
    }
    rc = rc ? rc : store_rectify_order_json(db, NULL, oid, now, &r->out);
    return entity_finish_write(r, db, rc, 201);
}

/* ---------------- the board and an order ---------------- */

static int api_board(struct req *r)
{
    static const char *const STATUS[] = {"issued",         "submitted", "returned", "verified",
                                         "overdue_closed", "open",      NULL};
    static const char *const LEVEL[] = {"enterprise", "local", "enforcement", NULL};
    static const char *const CLOCK[] = {"overdue", "due_soon", "on_track", "stopped", "none", NULL};
    static const char *const SORT[] = {"due_on", "enterprise", "status", "created", NULL};
    char now[32];
    now_iso(now);
    struct rectify_board_query q = {.status = req_query(r, "status"),
                                    .level = req_query(r, "level"),
                                    .clock = req_query(r, "clock"),
                                    .region = req_query(r, "region"),
                                    .q = req_query(r, "q"),
                                    .sort = req_query(r, "sort"),
                                    .desc = req_query(r, "order") &&
                                            !strcmp(req_query(r, "order"), "desc"),
                                    .now = now};
    q.enterprise_id = query_int(r, "enterprise", 0, 1, INT64_MAX);
    q.problem_id = query_int(r, "problem", 0, 1, INT64_MAX);
    q.limit = query_int(r, "limit", 50, 1, 500);
    q.offset = query_int(r, "offset", 0, 0, 10000000);
    const char *bad = q.status && *q.status && !one_of(q.status, STATUS) ? "status"
                      : q.level && *q.level && !one_of(q.level, LEVEL)   ? "level"
                      : q.clock && *q.clock && !one_of(q.clock, CLOCK)   ? "clock"
                      : q.sort && *q.sort && !one_of(q.sort, SORT)       ? "sort"
                      : q.enterprise_id < 0                              ? "enterprise"
                      : q.problem_id < 0                                 ? "problem"
                      : q.limit < 0                                      ? "limit"
                      : q.offset < 0                                     ? "offset"
                      : (q.q && strlen(q.q) > 100)                       ? "q"
                      : (q.region && strlen(q.region) > 6)               ? "region"
                                                                         : NULL;
    if (bad) {
        return resp_error(r, 422, "invalid", "查询条件无效 / invalid filter", bad);
    }
    struct db *db = store_read(app.store);
    int rc = store_rectify_board(db, &r->who->scope, &q, &r->out);
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

static int api_order(struct req *r)
{
    int64_t id = req_id(r, 0);
    char now[32];
    now_iso(now);
    struct db *db = store_read(app.store);
    int rc = id > 0 ? store_rectify_order_json(db, &r->who->scope, id, now, &r->out) : ERR_NOTFOUND;
    store_release(app.store, db);
    if (rc == ERR_NOTFOUND) {
        buf_reset(&r->out);
        return resp_error(r, 404, "not_found", "整改通知不存在 / no such order", "id");
    }
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

static int api_problems(struct req *r)
{
    static const char *const STATUS[] = {"open", "rectifying", "closed", NULL};
    static const char *const LEVEL[] = {"enterprise", "local", "enforcement", NULL};
    struct rectify_problem_query q = {.status = req_query(r, "status"),
                                      .level = req_query(r, "level"),
                                      .source_kind = req_query(r, "source"),
                                      .region = req_query(r, "region"),
                                      .q = req_query(r, "q")};
    q.enterprise_id = query_int(r, "enterprise", 0, 1, INT64_MAX);
    q.source_id = query_int(r, "source_id", 0, 1, INT64_MAX);
    q.limit = query_int(r, "limit", 50, 1, 500);
    q.offset = query_int(r, "offset", 0, 0, 10000000);
    const char *bad = q.status && *q.status && !one_of(q.status, STATUS) ? "status"
                      : q.level && *q.level && !one_of(q.level, LEVEL)   ? "level"
                      : q.source_kind && strlen(q.source_kind) > 16      ? "source"
                      : q.enterprise_id < 0                              ? "enterprise"
                      : q.source_id < 0                                  ? "source_id"
                      : q.limit < 0                                      ? "limit"
                      : q.offset < 0                                     ? "offset"
                      : (q.q && strlen(q.q) > 100)                       ? "q"
                      : (q.region && strlen(q.region) > 6)               ? "region"
                                                                         : NULL;
    if (bad) {
        return resp_error(r, 422, "invalid", "查询条件无效 / invalid filter", bad);
    }
    struct db *db = store_read(app.store);
    int rc = store_rectify_problems_list(db, &r->who->scope, &q, &r->out);
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

/* ---------------- submit, verify, return, close ---------------- */

/* One action on an order with its text member (key; required when need). */
static int act(struct req *r, const char *action, const char *key, bool need)
{
    int64_t id = req_id(r, 0);
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *v = NULL;
    if (json_get_str(r, in, key, TEXT_MAX, need, &v)) {
        json_decref(in);
        return 0;
    }
    const char *text = v ? arena_strdup(r->a, v) : NULL;
    json_decref(in);
    if (need && (!text || !*text)) {
        return resp_error(r, 422, "required", "必填 / required", key);
    }
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct rectify_order_row o;
    rc = id > 0 ? store_rectify_order_get(db, id, &o) : ERR_NOTFOUND;
    rc = rc ? rc : entity_enterprise_visible(r, db, o.enterprise_id);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "整改通知不存在 / no such order", "id");
    }
    struct case_actor who = actor_of(r);
    const char *field = NULL;
    char why[512] = "";
    if (!rc) {
        rc = rectify_order_act(db, id, action, &who, text, false, now, &field, why, sizeof why);
        if (rc && !r->status) {
            /* the engine names its own field "note": the request's is key */
            refuse(r, rc, field && !strcmp(field, "note") ? key : field, why);
        }
    }
    rc = rc ? rc : store_rectify_order_json(db, NULL, id, now, &r->out);
    return entity_finish_write(r, db, rc, 200);
}

static int api_submit(struct req *r)
{
    return act(r, "submit", "evidence", true);
}

static int api_verify(struct req *r)
{
    return act(r, "verify", "note", false);
}

static int api_return(struct req *r)
{
    return act(r, "return", "reason", true);
}

static int api_close(struct req *r)
{
    return act(r, "close_overdue", "reason", true);
}

static const struct route routes[] = {
    {"GET", "/api/v1/problems", ROLES_ANY, api_problems, 0,
     "Problems found at any level (an enterprise: its own)"},
    {"POST", "/api/v1/problems/{id}/orders", ISSUERS, api_order_issue, 0,
     "Issue a rectification order for a problem"},
    {"GET", "/api/v1/rectify/orders", ROLES_ANY, api_board, 0,
     "The rectification board: orders by state and clock (an enterprise: its own)"},
    {"GET", "/api/v1/rectify/orders/{id}", ROLES_ANY, api_order, 0,
     "A rectification order with its problem, clock and submissions"},
    {"POST", "/api/v1/rectify/orders/{id}/submit", ROLE_ENTERPRISE, api_submit, 0,
     "Submit (or resubmit) the evidence of a rectification"},
    {"POST", "/api/v1/rectify/orders/{id}/verify", VERIFIERS, api_verify, 0,
     "Verify a rectification (a credit event; the problem closes with its last order)"},
    {"POST", "/api/v1/rectify/orders/{id}/return", VERIFIERS, api_return, 0,
     "Return the evidence with a reason"},
    {"POST", "/api/v1/rectify/orders/{id}/close", ROLE_LEADER, api_close, 0,
     "Close an order that was not rectified"},
};

void rectify_flow_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
