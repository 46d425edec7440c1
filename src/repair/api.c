/*
** Credit repair routes under /api/v1/repair: an enterprise's repairable events with the
** conditions checked now, one event's check, filing an application (the enterprise, for its
** own events), the applications (an enterprise user only its own, staff within their regions;
** sort, filter, page), one application with its conditions at filing and now, the legal
** section's decision and the enterprise's withdrawal. Every write is one transaction with its
** audit rows.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/entity.h"
#include "repair/internal.h"
#include "store/q_credit.h"

#define DECIDERS (ROLE_LEGAL | ROLE_ADMIN)
#define TEXT_MAX 4000
#define EVENTS_LISTED 500

static const struct entity_api REPAIRS = {
    .def = &ENTITY_CREDIT_REPAIR, .read_roles = ROLES_ANY, .write_roles = 0};

static void now_and_today(char now[32], char today[11])
{
    time_iso(wall_ms() / 1000, now);
    date_cn(wall_ms() / 1000, today);
}

/* The enterprise a read is about: an enterprise user's own, else ?enterprise_id= (which staff
   must give and may see). 0 with the response set when not. */
static int64_t enterprise_of(struct req *r, struct db *db)
{
    if (r->who->role == ROLE_ENTERPRISE) {
        return r->who->enterprise_id;
    }
    const char *e = req_query(r, "enterprise_id");
    int64_t id = 0;
    if (!e || parse_i64(e, strlen(e), &id) || id < 1) {
        resp_error(r, 422, "required", "请指明企业 / enterprise_id is required", "enterprise_id");
        return 0;
    }
    struct credit_subject_row s;
    if (store_credit_subject(db, "enterprise", id, &s) ||
        !store_scope_allows(&r->who->scope, id, s.region_code)) {
        resp_error(r, 404, "not_found", "没有该企业 / no such enterprise", "enterprise_id");
        return 0;
    }
    return id;
}

static int context_fail(struct req *r, int rc)
{
    buf_reset(&r->out);
    if (rc == ERR_CONFLICT) {
        return resp_error(r, 409, "no_rule_set",
                          "该地区没有生效的信用修复规则 / no credit.repair rule set is in force "
                          "for the region",
                          "enterprise_id");
    }
    return resp_err(r, rc, rc == ERR_NOTFOUND ? "没有该企业 / no such enterprise" : NULL, NULL);
}

static void rule_json(const struct repair_context *cx, struct buf *out)
{
    buf_printf(out,
               "\"rule\":{\"id\":%lld,\"version\":%d,\"region\":\"%s\",\"file_when_failing\":%s,"
               "\"decide_workdays\":%d,\"repeat_window_months\":%d}",
               (long long)cx->ref.id, cx->ref.version, cx->ref.region,
               cx->rules.file_when_failing ? "true" : "false", cx->rules.decide_workdays,
               cx->rules.repeat_window_months);
}

/* ---------------- reads ---------------- */

struct event_list {
    struct arena *a;
    struct repair_event_row *rows;
    size_t n, cap;
    const struct repair_rules *rules;
};

static void event_collect(const struct repair_event_row *e, void *ctx)
{
    struct event_list *l = ctx;
    if (!repair_rules_type(l->rules, e->type) || l->n == l->cap) {
        return; /* the rule set does not repair this type (a commitment, a veto item) */
    }
    l->rows[l->n++] = *e;
}

static void event_json(struct buf *out, const struct repair_event_row *e)
{
    buf_printf(out, "\"id\":%lld,\"type\":", (long long)e->id);
    buf_json_str(out, e->type, strlen(e->type));
    buf_printf(out, ",\"occurred_on\":\"%s\",\"source\":", e->occurred_on);
    buf_json_str(out, e->source, strlen(e->source));
    buf_printf(out, ",\"source_id\":%lld,\"revoked\":%s", (long long)e->source_id,
               e->revoked ? "true" : "false");
}

/* The enterprise's events the rule set repairs, each with its check now and its applications. */
static int api_events(struct req *r)
{
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db = store_read(app.store);
    int64_t ent = enterprise_of(r, db);
    if (!ent) {
        store_release(app.store, db);
        return 0;
    }
    struct repair_context *cx = arena_zalloc(r->a, sizeof *cx);
    int rc = repair_context_load(db, ent, 0, today, cx);
    struct event_list l = {r->a, arena_alloc(r->a, EVENTS_LISTED * sizeof *l.rows), 0,
                           EVENTS_LISTED, &cx->rules};
    rc = rc ? rc : store_repair_events_each(db, ent, EVENTS_LISTED * 4, event_collect, &l);
    if (!rc) {
        buf_printf(&r->out, "{\"enterprise_id\":%lld,\"today\":\"%s\",", (long long)ent, today);
        rule_json(cx, &r->out);
        buf_puts(&r->out, ",\"items\":[");
    }
    for (size_t i = 0; !rc && i < l.n; i++) {
        struct repair_check check;
        char key[REPAIR_TYPE_MAX + 24];
        rc = repair_check_in(db, cx, &l.rows[i], &check, key);
        buf_puts(&r->out, i ? ",{" : "{");
        event_json(&r->out, &l.rows[i]);
        buf_puts(&r->out, ",\"check\":");
        repair_check_json(&check, &r->out);
        buf_puts(&r->out, ",\"applications\":");
        rc = rc ? rc : store_repair_of_event_json(db, l.rows[i].id, &r->out);
        buf_putc(&r->out, '}');
    }
    buf_puts(&r->out, "]}");
    store_release(app.store, db);
    return rc ? context_fail(r, rc) : resp_json(r, 200);
}

/* The event if it is a visible enterprise's and not revoked; else the response is set. */
static int event_visible(struct req *r, struct db *db, int64_t id, struct repair_event_row *e,
                         const char *field)
{
    struct credit_subject_row s;
    int rc = id > 0 ? store_repair_event(db, id, e) : ERR_NOTFOUND;
    rc = rc                                                                  ? rc
         : strcmp(e->subject_kind, "enterprise")                             ? ERR_NOTFOUND
         : store_credit_subject(db, "enterprise", e->subject_id, &s)         ? ERR_NOTFOUND
         : !store_scope_allows(&r->who->scope, e->subject_id, s.region_code) ? ERR_NOTFOUND
                                                                             : 0;
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该信用事件 / no such credit event", field);
    } else if (rc) {
        resp_err(r, rc, NULL, NULL);
    } else if (e->revoked) {
        resp_error(r, 409, "revoked", "该事件已撤销 / the event is already revoked", field);
        rc = ERR_CONFLICT;
    }
    return rc;
}

static int api_event_check(struct req *r)
{
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db = store_read(app.store);
    struct repair_event_row e;
    if (event_visible(r, db, req_id(r, 0), &e, "id")) {
        store_release(app.store, db);
        return 0;
    }
    struct repair_context *cx = arena_zalloc(r->a, sizeof *cx);
    struct repair_check check;
    char key[REPAIR_TYPE_MAX + 24];
    int rc = repair_context_load(db, e.subject_id, 0, today, cx);
    rc = rc ? rc : repair_check_in(db, cx, &e, &check, key);
    if (!rc) {
        buf_puts(&r->out, "{\"event\":{");
        event_json(&r->out, &e);
        buf_printf(&r->out, "},\"enterprise_id\":%lld,\"violation_key\":", (long long)e.subject_id);
        buf_json_str(&r->out, key, strlen(key));
        buf_printf(&r->out, ",\"today\":\"%s\",", today);
        rule_json(cx, &r->out);
        buf_puts(&r->out, ",\"check\":");
        repair_check_json(&check, &r->out);
        buf_puts(&r->out, ",\"applications\":");
        rc = store_repair_of_event_json(db, e.id, &r->out);
        buf_putc(&r->out, '}');
    }
    store_release(app.store, db);
    return rc ? context_fail(r, rc) : resp_json(r, 200);
}

static int api_list(struct req *r)
{
    return entity_list(r, &REPAIRS, 0);
}

static int api_get(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db = store_read(app.store);
    struct repair_row row;
    struct credit_subject_row s;
    int rc = id > 0 ? store_repair_get(db, id, &row) : ERR_NOTFOUND;
    rc = rc ? rc : store_credit_subject(db, "enterprise", row.enterprise_id, &s);
    rc = rc                                                                     ? rc
         : store_scope_allows(&r->who->scope, row.enterprise_id, s.region_code) ? 0
                                                                                : ERR_NOTFOUND;
    buf_puts(&r->out, "{\"application\":");
    rc = rc ? rc : store_repair_json(db, id, &r->out);
    if (!rc && !strcmp(row.state, "filed")) {
        /* the conditions as they stand today, which a grant needs */
        char now[32], today[11];
        now_and_today(now, today);
        struct repair_context *cx = arena_zalloc(r->a, sizeof *cx);
        struct repair_event_row e;
        struct repair_check check;
        char key[REPAIR_TYPE_MAX + 24];
        int k = repair_context_load(db, row.enterprise_id, id, today, cx);
        k = k ? k : store_repair_event(db, row.event_id, &e);
        k = k ? k : repair_check_in(db, cx, &e, &check, key);
        buf_puts(&r->out, ",\"check_now\":");
        if (k) {
            buf_puts(&r->out, "null");
        } else {
            repair_check_json(&check, &r->out);
        }
        rc = k == ERR_DB ? k : 0;
    }
    buf_putc(&r->out, '}');
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, rc == ERR_NOTFOUND ? "没有该申请 / no such application" : NULL,
                        NULL);
    }
    return resp_json(r, 200);
}

/* ---------------- writes ---------------- */

static int write_fail(struct req *r, struct db *db, int status, const char *code, const char *msg,
                      const char *field)
{
    store_rollback(app.store, db);
    buf_reset(&r->out);
    return resp_error(r, status, code, msg, field);
}

/* 422 (filing) or 409 (granting) naming the failing conditions, with the whole check. */
static int conditions_fail(struct req *r, struct db *db, int status, const struct repair_check *c,
                           const char *field)
{
    store_rollback(app.store, db);
    buf_reset(&r->out);
    char *text = arena_alloc(r->a, 2200);
    repair_failing_text(c, text, 2200);
    buf_puts(&r->out, "{\"error\":{\"code\":\"conditions_not_met\",\"message\":");
    char *msg =
        arena_printf(r->a, "信用修复条件不满足 / the repair conditions are not met: %s", text);
    buf_json_str(&r->out, msg, strlen(msg));
    buf_printf(&r->out, ",\"field\":\"%s\",\"failing\":[", field);
    for (int i = 0, n = 0; i < RC_N; i++) {
        if (!c->c[i].ok) {
            buf_printf(&r->out, "%s\"%s\"", n++ ? "," : "", c->c[i].code);
        }
    }
    buf_puts(&r->out, "],\"check\":");
    repair_check_json(c, &r->out);
    buf_puts(&r->out, "}}");
    return resp_json(r, status);
}

static int file_application(struct req *r, int64_t event_id, const char *statement)
{
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct repair_event_row e;
    if (event_visible(r, db, event_id, &e, "event_id")) {
        store_rollback(app.store, db);
        return 0;
    }
    if (e.subject_id != r->who->enterprise_id) {
        return write_fail(r, db, 404, "not_found", "没有该信用事件 / no such credit event",
                          "event_id");
    }
    int64_t open = 0;
    rc = store_repair_open_of_event(db, e.id, &open);
    if (!rc && open) {
        return write_fail(r, db, 409, "conflict",
                          arena_printf(r->a,
                                       "该事件已有办理中的修复申请 #%lld / application #%lld for "
                                       "this event is still open",
                                       (long long)open, (long long)open),
                          "event_id");
    }
    struct repair_context *cx = arena_zalloc(r->a, sizeof *cx);
    struct repair_check check;
    char key[REPAIR_TYPE_MAX + 24];
    rc = rc ? rc : repair_context_load(db, e.subject_id, 0, today, cx);
    rc = rc ? rc : repair_check_in(db, cx, &e, &check, key);
    if (rc) {
        store_rollback(app.store, db);
        return context_fail(r, rc);
    }
    if (!check.repairable) {
        return write_fail(r, db, 422, "not_repairable",
                          "该类信用事件不可申请修复 / events of this type cannot be repaired",
                          "event_id");
    }
    if (!check.all_ok && !cx->rules.file_when_failing) {
        return conditions_fail(r, db, 422, &check, "event_id");
    }
    struct buf conds;
    buf_init(&conds, 1 << 16);
    repair_conditions_json(&check, &conds);
    struct repair_new n = {.enterprise_id = e.subject_id,
                           .event_id = e.id,
                           .source_id = e.source_id,
                           .rule_set_id = cx->ref.id,
                           .filed_by = r->who->user_id,
                           .rule_version = cx->ref.version,
                           .event_type = e.type,
                           .event_occurred_on = e.occurred_on,
                           .source = e.source,
                           .violation_key = key,
                           .statement = statement,
                           .conditions_json = conds.p,
                           .filed_on = today,
                           .conditions_ok = check.all_ok};
    int64_t id = 0, case_id = 0;
    struct credit_subject_row s;
    rc = rules_mark_used(db, &cx->ref);
    if (rc == ERR_CONFLICT) {
        buf_release(&conds);
        return write_fail(r, db, 409, "rule_changed",
                          "信用修复规则刚被修改，请重新提交 / the credit.repair rule set changed "
                          "meanwhile: submit again",
                          "event_id");
    }
    rc = rc ? rc : store_repair_insert(db, &n, now, &id);
    buf_release(&conds);
    if (rc == ERR_CONFLICT) {
        return write_fail(
            r, db, 409, "conflict",
            "该事件已有办理中的修复申请 / an application for this event is still open", "event_id");
    }
    rc = rc ? rc : store_credit_subject(db, "enterprise", e.subject_id, &s);
    rc = rc ? rc
            : repair_case_open(db, id, cx, s.name, r->who->user_id, r->who->display_name, now,
                               &case_id);
    if (!rc) {
        struct audit_entry a = {.actor_id = r->who->user_id,
                                .actor = r->who->display_name,
                                .entity = "credit_repair",
                                .entity_id = id,
                                .action = "create",
                                .request_id = r->request_id,
                                .ip = r->ip};
        rc = store_audit_add(db, &a);
    }
    rc = rc ? rc : store_repair_json(db, id, &r->out);
    if (rc) {
        store_rollback(app.store, db);
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    rc = store_commit(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 201);
}

static int api_apply(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *statement = NULL;
    json_t *ev = json_object_get(in, "event_id");
    if (!json_is_integer(ev) || json_integer_value(ev) < 1) {
        json_decref(in);
        return resp_error(r, 422, "required",
                          "请选择要修复的信用事件 / event_id (a positive number) is required",
                          "event_id");
    }
    int64_t event_id = json_integer_value(ev);
    int rc = json_get_str(r, in, "statement", TEXT_MAX, true, &statement);
    statement = rc ? NULL : arena_strdup(r->a, statement);
    json_decref(in);
    if (rc) {
        return 0;
    }
    if (!r->who->enterprise_id) {
        return resp_error(r, 403, "forbidden", "仅企业用户可申请 / only an enterprise applies",
                          NULL);
    }
    return file_application(r, event_id, statement);
}

/* The legal section's decision or the enterprise's withdrawal: the application and its case in
   one transaction. */
static int decide(struct req *r, int64_t id, const char *action, const char *reason)
{
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct repair_row row;
    struct credit_subject_row s;
    rc = id > 0 ? store_repair_get(db, id, &row) : ERR_NOTFOUND;
    rc = rc ? rc : store_credit_subject(db, "enterprise", row.enterprise_id, &s);
    if (rc == ERR_DB) {
        store_rollback(app.store, db);
        return resp_err(r, rc, NULL, NULL);
    }
    if (rc || !store_scope_allows(&r->who->scope, row.enterprise_id, s.region_code)) {
        return write_fail(r, db, 404, "not_found", "没有该申请 / no such application", "id");
    }
    if (strcmp(row.state, "filed")) {
        return write_fail(r, db, 409, "conflict",
                          "该申请已办结 / the application is already decided", "decision");
    }
    struct case_actor who = {
        r->who->user_id, r->who->display_name, r->who->role, r->request_id, r->ip, true};
    struct repair_check check;
    rc = repair_decide(db, id, action, &who, reason, now, &check);
    if (rc == ERR_CONFLICT && check.c[0].code && !check.all_ok) {
        return conditions_fail(r, db, 409, &check, "decision");
    }
    if (rc == ERR_CONFLICT) {
        return write_fail(r, db, 409, "conflict",
                          "事件已撤销或申请已办结 / the event is already revoked or the "
                          "application decided",
                          "decision");
    }
    const char *field = NULL;
    char why[256] = "";
    if (!rc && row.case_id) {
        const char *present[] = {"note"};
        struct buf f;
        buf_init(&f, 16384);
        buf_puts(&f, "{\"note\":");
        buf_json_str(&f, reason ? reason : "", reason ? strlen(reason) : 0);
        buf_putc(&f, '}');
        rc = cases_transition(db, row.case_id, action, &who, present, reason && *reason ? 1 : 0,
                              f.p, reason ? reason : "", 0, now, &field, why, sizeof why);
        buf_release(&f);
    }
    if (rc == ERR_FORBIDDEN || rc == ERR_INPUT || rc == ERR_CONFLICT) {
        return write_fail(r, db,
                          rc == ERR_FORBIDDEN ? 403
                          : rc == ERR_INPUT   ? 422
                                              : 409,
                          rc == ERR_FORBIDDEN ? "forbidden" : "invalid", why,
                          field ? field : "decision");
    }
    rc = rc ? rc : store_repair_json(db, id, &r->out);
    if (rc) {
        store_rollback(app.store, db);
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    rc = store_commit(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

static int api_decision(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *d = NULL, *reason = NULL;
    int rc = json_get_str(r, in, "decision", 16, true, &d);
    rc = rc ? rc : json_get_str(r, in, "reason", TEXT_MAX, false, &reason);
    const char *action = !d                     ? NULL
                         : !strcmp(d, "grant")  ? "grant"
                         : !strcmp(d, "refuse") ? "refuse"
                                                : NULL;
    reason = reason ? arena_strdup(r->a, reason) : NULL;
    json_decref(in);
    if (rc) {
        return 0;
    }
    if (!action) {
        return resp_error(r, 422, "invalid",
                          "decision 应为 grant 或 refuse / decision must be grant or refuse",
                          "decision");
    }
    if (!strcmp(action, "refuse") && (!reason || !*reason)) {
        return resp_error(r, 422, "required", "不予修复须写明理由 / a refusal needs its reasons",
                          "reason");
    }
    return decide(r, req_id(r, 0), action, reason);
}

static int api_withdraw(struct req *r)
{
    return decide(r, req_id(r, 0), "withdraw", NULL);
}

static const struct route routes[] = {
    {"GET", "/api/v1/repair/events", ROLES_ANY, api_events, 0,
     "An enterprise's repairable credit events, each with the repair conditions checked now"},
    {"GET", "/api/v1/repair/events/{id}/check", ROLES_ANY, api_event_check, 0,
     "The repair conditions of one credit event, item by item with their values"},
    {"GET", "/api/v1/repair/applications", ROLES_ANY, api_list, 0,
     "Credit repair applications (sort, filter, page; an enterprise user: its own)"},
    {"POST", "/api/v1/repair/applications", ROLE_ENTERPRISE, api_apply, 0,
     "Apply for the repair of one of the enterprise's credit events (opens a case)"},
    {"GET", "/api/v1/repair/applications/{id}", ROLES_ANY, api_get, 0,
     "One repair application with its conditions at filing and now"},
    {"POST", "/api/v1/repair/applications/{id}/decision", DECIDERS, api_decision, 0,
     "Grant (revokes the event, restores the grade) or refuse a repair application"},
    {"POST", "/api/v1/repair/applications/{id}/withdraw", ROLE_ENTERPRISE, api_withdraw, 0,
     "The enterprise withdraws its repair application"},
};

void repair_api_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
