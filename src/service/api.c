/*
** Service routes under /api/v1/service: pairings (the ledger: sort, filter, page; an enterprise
** user sees its own firm's), each paired firm's open requests (request.h), the 十百千 counts per
** county, sessions (service days, consultation days, trainings) with their agenda items,
** attendance and outcomes, an enterprise's agenda, service records and their totals. Every write
** is one transaction with its audit row.
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
#include "request/request.h"
#include "service/internal.h"
#include "store/q_service.h"

#define OPEN_REQUESTS_MAX_FIRMS 100
#define OPEN_REQUESTS_PER_FIRM 20
#define TBQ_MAX_COUNTIES 64

int service_json_int(struct req *r, json_t *in, const char *key, bool required, int64_t min,
                     int64_t max, int64_t *out)
{
    json_t *v = json_object_get(in, key);
    if (!v || json_is_null(v)) {
        if (required) {
            resp_error(r, 422, "required", arena_printf(r->a, "缺少 %s / %s is required", key, key),
                       key);
            return ERR_INPUT;
        }
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        resp_error(r, 422, "invalid",
                   arena_printf(r->a,
                                "%s 应为 %lld 至 %lld 的整数 / %s must be an integer from %lld "
                                "to %lld",
                                key, (long long)min, (long long)max, key, (long long)min,
                                (long long)max),
                   key);
        return ERR_INPUT;
    }
    *out = json_integer_value(v);
    return 0;
}

static void now_and_today(char now[32], char today[11])
{
    time_iso(wall_ms() / 1000, now);
    date_cn(wall_ms() / 1000, today);
}

/* ---------------- pairings ---------------- */

static int pairing_check(struct req *r, struct db *db, json_t *in, bool create, int64_t id,
                         int64_t parent_id, struct entity_write *w)
{
    (void)in, (void)id, (void)parent_id;
    char now[32], today[11];
    now_and_today(now, today);
    if (!create) {
        return 0;
    }
    int bad = 0;
    const struct db_value *u = entity_write_get(w, "user_id");
    const struct db_value *e = entity_write_get(w, "enterprise_id");
    const struct db_value *t = entity_write_get(w, "tier");
    if (u) {
        struct service_user su;
        int rc = store_service_user(db, u->i, &su);
        if (rc == ERR_NOTFOUND || (!rc && (!su.active || !strcmp(su.role, "enterprise")))) {
            bad = entity_error_add(w, 422, "user_id", "invalid", "包联人员应为在职的局内工作人员",
                                   "the officer must be an active member of staff");
        } else if (rc) {
            return rc;
        } else if (t && t->s && !strcmp(t->s, "leader") && strcmp(su.role, "leader") &&
                   strcmp(su.role, "admin")) {
            bad = entity_error_add(w, 422, "tier", "tier_role", "领导包联须由领导角色担任",
                                   "a leader pairing needs a user with the leader role");
        }
    }
    if (e) {
        char region[16], name[8], phone[32];
        int rc = store_service_enterprise(db, e->i, region, name, sizeof name, phone);
        if (rc == ERR_NOTFOUND || (!rc && !store_scope_allows(&r->who->scope, e->i, region))) {
            bad = entity_error_add(w, 422, "enterprise_id", "not_found", "没有该企业",
                                   "no such enterprise");
        } else if (rc) {
            return rc;
        } else {
            entity_write_text(w, "region_code", arena_strdup(r->a, region));
        }
    }
    entity_write_text(w, "status", "active");
    return bad ? ERR_INPUT : 0;
}

static const struct entity_api PAIRINGS = {.def = &ENTITY_SERVICE_PAIRING,
                                           .read_roles = ROLES_ANY,
                                           .write_roles = PAIRING_WRITERS,
                                           .check = pairing_check};

static int api_pairings(struct req *r)
{
    return entity_list(r, &PAIRINGS, 0);
}

static int api_pairing_create(struct req *r)
{
    return entity_create(r, &PAIRINGS, 0);
}

static int api_pairing_update(struct req *r)
{
    return entity_update(r, &PAIRINGS, req_id(r, 0));
}

static int api_pairing_end(struct req *r)
{
    return entity_set_status(r, &PAIRINGS, req_id(r, 0), "inactive");
}

/* Each listed firm's open requests: ?enterprise_ids=1,2,3 (at most 100; firms out of the
   caller's scope are left out) → {"items":{"<id>":{"count":n,"requests":[…]}}}. */
static int api_open_requests(struct req *r)
{
    const char *ids = req_query(r, "enterprise_ids");
    if (!ids || !*ids || strlen(ids) > 2000) {
        return resp_error(r, 422, "required",
                          "请给出企业编号列表 / enterprise_ids (a comma list) is required",
                          "enterprise_ids");
    }
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":{");
    int rc = 0, n = 0;
    for (const char *p = ids; *p && !rc;) {
        char *end;
        long long id = strtoll(p, &end, 10);
        if (end == p || id < 1 || (*end && *end != ',') || n == OPEN_REQUESTS_MAX_FIRMS) {
            store_release(app.store, db);
            buf_reset(&r->out);
            return resp_error(
                r, 422, "invalid",
                "enterprise_ids 应为至多 100 个以逗号分隔的编号 / enterprise_ids must "
                "be at most 100 comma-separated ids",
                "enterprise_ids");
        }
        p = *end ? end + 1 : end;
        char region[16], name[8], phone[32];
        if (store_service_enterprise(db, id, region, name, sizeof name, phone) ||
            !store_scope_allows(&r->who->scope, id, region)) {
            continue;
        }
        int64_t count = 0;
        rc = request_open_count(db, id, &count);
        buf_printf(&r->out, "%s\"%lld\":{\"count\":%lld,\"requests\":", n++ ? "," : "", id,
                   (long long)count);
        rc = rc ? rc : request_open_for_enterprise(db, id, OPEN_REQUESTS_PER_FIRM, &r->out);
        buf_putc(&r->out, '}');
    }
    buf_puts(&r->out, "}}");
    if (rc) {
        buf_reset(&r->out);
    }
    return entity_finish_read(r, db, rc);
}

/* ---------------- 十百千 ---------------- */

struct tbq_rows {
    struct arena *a;
    struct service_tbq_row *rows;
    size_t n, cap;
};

static void tbq_collect(const char *county, const char *county_name, const char *tier,
                        int64_t enterprise_id, void *ctx)
{
    struct tbq_rows *t = ctx;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        struct service_tbq_row *rows = arena_alloc(t->a, cap * sizeof *rows);
        if (t->n) {
            memcpy(rows, t->rows, t->n * sizeof *rows);
        }
        t->rows = rows;
        t->cap = cap;
    }
    t->rows[t->n++] =
        (struct service_tbq_row){arena_strdup(t->a, county), arena_strdup(t->a, county_name),
                                 arena_strdup(t->a, tier), enterprise_id};
}

static int api_tbq(struct req *r)
{
    struct db *db = store_read(app.store);
    struct tbq_rows t = {.a = r->a};
    int rc = store_service_tbq_rows(db, &r->who->scope, tbq_collect, &t);
    if (!rc) {
        struct service_tbq *c = arena_zalloc(r->a, TBQ_MAX_COUNTIES * sizeof *c);
        size_t k = service_tbq_tally(t.rows, t.n, c, TBQ_MAX_COUNTIES);
        int64_t shi = 0, bai = 0, qian = 0;
        buf_puts(&r->out, "{\"items\":[");
        for (size_t i = 0; i < k; i++) {
            buf_printf(&r->out, "%s{", i ? "," : "");
            json_kv_str(&r->out, "county", c[i].county, false);
            json_kv_str(&r->out, "county_name", c[i].county_name, true);
            buf_printf(&r->out, ",\"shi\":%lld,\"bai\":%lld,\"qian\":%lld}", (long long)c[i].shi,
                       (long long)c[i].bai, (long long)c[i].qian);
            shi += c[i].shi, bai += c[i].bai, qian += c[i].qian;
        }
        buf_printf(&r->out, "],\"total\":{\"shi\":%lld,\"bai\":%lld,\"qian\":%lld}}",
                   (long long)shi, (long long)bai, (long long)qian);
    }
    return entity_finish_read(r, db, rc);
}

/* ---------------- sessions ---------------- */

static int session_check(struct req *r, struct db *db, json_t *in, bool create, int64_t id,
                         int64_t parent_id, struct entity_write *w)
{
    (void)db, (void)in, (void)id, (void)parent_id;
    char now[32], today[11];
    now_and_today(now, today);
    if (create) {
        entity_write_int(w, "created_by", r->who->user_id);
        if (!entity_write_get(w, "org_unit_id") && r->who->org_unit_id > 0) {
            entity_write_int(w, "org_unit_id", r->who->org_unit_id);
        }
    }
    return 0;
}

static const struct entity_api SESSIONS = {.def = &ENTITY_SERVICE_SESSION,
                                           .read_roles = ROLES_STAFF,
                                           .write_roles = SERVICE_WRITERS,
                                           .check = session_check};

static int api_sessions(struct req *r)
{
    return entity_list(r, &SESSIONS, 0);
}

static int api_session_create(struct req *r)
{
    return entity_create(r, &SESSIONS, 0);
}

static int api_session_update(struct req *r)
{
    return entity_update(r, &SESSIONS, req_id(r, 0));
}

static int api_session_get(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"session\":");
    int rc = id > 0 ? store_entity_get(db, &ENTITY_SERVICE_SESSION, &r->who->scope, id, &r->out)
                    : ERR_NOTFOUND;
    rc = rc ? rc : store_service_session_parts_json(db, id, 0, &r->out);
    buf_putc(&r->out, '}');
    if (rc) {
        buf_reset(&r->out);
        store_release(app.store, db);
        return resp_err(r, rc, rc == ERR_NOTFOUND ? "没有该活动 / no such session" : NULL, NULL);
    }
    return entity_finish_read(r, db, 0);
}

/* The session's row after a change to its items or attendance, for the audit row. */
static char *session_snapshot(struct req *r, struct db *db, int64_t id)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    buf_puts(&b, "{\"session\":");
    int rc = store_entity_get(db, &ENTITY_SERVICE_SESSION, NULL, id, &b);
    rc = rc ? rc : store_service_session_parts_json(db, id, 0, &b);
    buf_putc(&b, '}');
    char *s = rc ? NULL : arena_strdup(r->a, b.p);
    buf_release(&b);
    return s;
}

/* ERR_NOTFOUND unless the caller's scope holds row id of def (a session of another county's
   unit, a risk in another county). */
int service_visible(struct req *r, struct db *db, const struct entity_def *def, int64_t id)
{
    struct buf b;
    buf_init(&b, 1 << 18);
    int rc = store_entity_get(db, def, &r->who->scope, id, &b);
    buf_release(&b);
    return rc;
}

/* Begin a write on session id; 0 with db, or the response set. */
static int session_begin(struct req *r, int64_t id, struct db **db, char **before)
{
    int rc = store_begin(app.store, db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL), rc;
    }
    char kind[16], state[16];
    rc = id > 0 ? store_service_session_kind(*db, id, kind, state) : ERR_NOTFOUND;
    rc = rc ? rc : service_visible(r, *db, &ENTITY_SERVICE_SESSION, id);
    if (rc) {
        store_rollback(app.store, *db);
        resp_err(r, rc, rc == ERR_NOTFOUND ? "没有该活动 / no such session" : NULL, "id");
        return rc;
    }
    *before = session_snapshot(r, *db, id);
    return 0;
}

static int session_end(struct req *r, struct db *db, int64_t id, const char *action,
                       const char *before, int rc)
{
    char *after = rc ? NULL : session_snapshot(r, db, id);
    rc = rc ? rc : audit_write(r, db, "service_session", id, action, before, after);
    if (!rc) {
        buf_reset(&r->out);
        buf_puts(&r->out, after);
    }
    return entity_finish_write(r, db, rc, 200);
}

/* An enterprise the caller may see, or the 422 naming field. */
static int enterprise_in_scope(struct req *r, struct db *db, int64_t id, const char *field)
{
    char region[16], name[8], phone[32];
    int rc = store_service_enterprise(db, id, region, name, sizeof name, phone);
    if (rc == ERR_NOTFOUND || (!rc && !store_scope_allows(&r->who->scope, id, region))) {
        resp_error(r, 422, "not_found", "没有该企业 / no such enterprise", field);
        return ERR_INPUT;
    }
    return rc;
}

static int api_item_add(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    int64_t ent = 0;
    const char *title = NULL;
    int rc = service_json_int(r, in, "enterprise_id", true, 1, INT64_MAX, &ent);
    rc = rc ? rc : json_get_str(r, in, "title", 500, true, &title);
    title = title ? arena_strdup(r->a, title) : NULL;
    json_decref(in);
    if (rc) {
        return 0;
    }
    if (!*title) {
        return resp_error(r, 422, "required", "请填写议题 / title is required", "title");
    }
    int64_t id = req_id(r, 0), item = 0;
    struct db *db;
    char *before;
    if (session_begin(r, id, &db, &before)) {
        return 0;
    }
    char now[32], today[11];
    now_and_today(now, today);
    rc = enterprise_in_scope(r, db, ent, "enterprise_id");
    rc = rc ? rc : store_service_item_insert(db, id, ent, 0, title, now, &item);
    return session_end(r, db, id, "add_item", before, rc);
}

static int api_item_update(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *outcome = NULL;
    int64_t resolved = 0;
    int rc = json_get_str(r, in, "outcome", 4000, false, &outcome);
    json_t *jr = json_object_get(in, "resolved");
    if (json_is_boolean(jr)) {
        resolved = json_is_true(jr);
    } else {
        rc = rc ? rc : service_json_int(r, in, "resolved", false, 0, 1, &resolved);
    }
    outcome = outcome ? arena_strdup(r->a, outcome) : NULL;
    json_decref(in);
    if (rc) {
        return 0;
    }
    int64_t id = req_id(r, 0), item = req_id(r, 1);
    struct db *db;
    char *before;
    if (session_begin(r, id, &db, &before)) {
        return 0;
    }
    rc = store_service_item_update(db, id, item, outcome, (int)resolved);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "该活动没有此议题 / no such item on the session", "item");
    }
    return session_end(r, db, id, "update_item", before, rc);
}

static int api_attendance(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    int64_t ent = 0, people = 1;
    int rc = service_json_int(r, in, "enterprise_id", true, 1, INT64_MAX, &ent);
    rc = rc ? rc : service_json_int(r, in, "people", false, 0, 10000, &people);
    json_decref(in);
    if (rc) {
        return 0;
    }
    int64_t id = req_id(r, 0);
    struct db *db;
    char *before;
    if (session_begin(r, id, &db, &before)) {
        return 0;
    }
    rc = enterprise_in_scope(r, db, ent, "enterprise_id");
    rc = rc ? rc : store_service_attendance_set(db, id, ent, people);
    return session_end(r, db, id, "attendance", before, rc);
}

/* An enterprise's agenda: its items on sessions held in the last 90 days and later (an
   enterprise user its own; staff ?enterprise_id=). */
static int api_agenda(struct req *r)
{
    int64_t ent = r->who->role == ROLE_ENTERPRISE ? r->who->enterprise_id : 0;
    struct db *db = store_read(app.store);
    if (!ent) {
        const char *e = req_query(r, "enterprise_id");
        if (!e || parse_i64(e, strlen(e), &ent) || ent < 1) {
            store_release(app.store, db);
            return resp_error(r, 422, "required", "请指明企业 / enterprise_id is required",
                              "enterprise_id");
        }
        if (enterprise_in_scope(r, db, ent, "enterprise_id")) {
            store_release(app.store, db);
            return 0;
        }
    }
    char since[11];
    date_cn(wall_ms() / 1000 - 90 * 86400, since);
    buf_printf(&r->out, "{\"enterprise_id\":%lld,\"items\":", (long long)ent);
    int rc = store_service_agenda_json(db, ent, since, &r->out);
    buf_putc(&r->out, '}');
    return entity_finish_read(r, db, rc);
}

/* ---------------- service records ---------------- */

static int record_check(struct req *r, struct db *db, json_t *in, bool create, int64_t id,
                        int64_t parent_id, struct entity_write *w)
{
    (void)in, (void)id, (void)parent_id;
    char now[32], today[11];
    now_and_today(now, today);
    int bad = 0;
    if (create) {
        entity_write_int(w, "user_id", r->who->user_id);
        if (r->who->org_unit_id > 0) {
            entity_write_int(w, "org_unit_id", r->who->org_unit_id);
        }
    }
    const struct db_value *on = entity_write_get(w, "occurred_on");
    if (on && on->s && strcmp(on->s, today) > 0) {
        bad = entity_error_add(w, 422, "occurred_on", "future", "服务日期不能晚于今天",
                               "the date cannot be after today");
    }
    const struct db_value *e = entity_write_get(w, "enterprise_id");
    if (e && e->type != DB_NULL) {
        char region[16], name[8], phone[32];
        int rc = store_service_enterprise(db, e->i, region, name, sizeof name, phone);
        if (rc == ERR_NOTFOUND || (!rc && !store_scope_allows(&r->who->scope, e->i, region))) {
            bad = entity_error_add(w, 422, "enterprise_id", "not_found", "没有该企业",
                                   "no such enterprise");
        } else if (rc) {
            return rc;
        }
    }
    const struct db_value *s = entity_write_get(w, "session_id");
    if (s && s->type != DB_NULL) {
        char kind[16], state[16];
        int rc = store_service_session_kind(db, s->i, kind, state);
        if (rc == ERR_NOTFOUND) {
            bad = entity_error_add(w, 422, "session_id", "not_found", "没有该活动",
                                   "no such session");
        } else if (rc) {
            return rc;
        }
    }
    return bad ? ERR_INPUT : 0;
}

static const struct entity_api RECORDS = {.def = &ENTITY_SERVICE_RECORD,
                                          .read_roles = ROLES_STAFF,
                                          .write_roles = ROLES_STAFF,
                                          .check = record_check};

static int api_records(struct req *r)
{
    return entity_list(r, &RECORDS, 0);
}

static int api_record_create(struct req *r)
{
    return entity_create(r, &RECORDS, 0);
}

static int date_param(struct req *r, const char *name, const char **out)
{
    const char *v = req_query(r, name);
    *out = NULL;
    if (!v || !*v) {
        return 0;
    }
    int y, m, d;
    char tail;
    if (strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) {
        resp_error(r, 422, "invalid",
                   arena_printf(r->a, "%s 应为 YYYY-MM-DD / %s must be YYYY-MM-DD", name, name),
                   name);
        return ERR_INPUT;
    }
    *out = v;
    return 0;
}

/* Totals of service records per officer (?by=officer, the default) or org unit (?by=unit),
   ?from= / ?to= dates. */
static int api_record_totals(struct req *r)
{
    const char *by = req_query(r, "by");
    if (by && strcmp(by, "officer") && strcmp(by, "unit")) {
        return resp_error(r, 422, "invalid", "by 应为 officer 或 unit / by must be officer or unit",
                          "by");
    }
    const char *from, *to;
    if (date_param(r, "from", &from) || date_param(r, "to", &to)) {
        return 0;
    }
    bool unit = by && !strcmp(by, "unit");
    struct db *db = store_read(app.store);
    buf_printf(&r->out, "{\"by\":\"%s\",\"items\":", unit ? "unit" : "officer");
    int rc = store_service_record_totals(db, &r->who->scope, unit, from, to, &r->out);
    buf_putc(&r->out, '}');
    return entity_finish_read(r, db, rc);
}

static const struct route routes[] = {
    {"GET", "/api/v1/service/pairings", ROLES_ANY, api_pairings, 0,
     "The pairing ledger (分包): officers and their firms (sort, filter, page; an enterprise user: "
     "its own)"},
    {"POST", "/api/v1/service/pairings", PAIRING_WRITERS, api_pairing_create, 0,
     "Pair an officer with an enterprise (leader / manager / staff tier)"},
    {"PUT", "/api/v1/service/pairings/{id}", PAIRING_WRITERS, api_pairing_update, 0,
     "Change a pairing's tier, project or note"},
    {"POST", "/api/v1/service/pairings/{id}/end", PAIRING_WRITERS, api_pairing_end, 0,
     "End a pairing"},
    {"GET", "/api/v1/service/open-requests", ROLES_STAFF, api_open_requests, 0,
     "Open requests of the listed firms (the ledger's column)"},
    {"GET", "/api/v1/service/tbq", ROLES_STAFF, api_tbq, 0,
     "十百千 counts per county: firms paired with leaders, middle managers, and all paired firms"},
    {"GET", "/api/v1/service/sessions", ROLES_STAFF, api_sessions, 0,
     "Service days, consultation days and trainings (sort, filter, page)"},
    {"POST", "/api/v1/service/sessions", SERVICE_WRITERS, api_session_create, 0,
     "Record a service day, consultation day or training"},
    {"GET", "/api/v1/service/sessions/{id}", ROLES_STAFF, api_session_get, 0,
     "One session with its agenda items and attendance"},
    {"PUT", "/api/v1/service/sessions/{id}", SERVICE_WRITERS, api_session_update, 0,
     "Change a session (held, outcome, place)"},
    {"POST", "/api/v1/service/sessions/{id}/items", SERVICE_WRITERS, api_item_add, 0,
     "Add an agenda item for an enterprise"},
    {"PUT", "/api/v1/service/sessions/{id}/items/{item}", SERVICE_WRITERS, api_item_update, 0,
     "Record an agenda item's outcome"},
    {"PUT", "/api/v1/service/sessions/{id}/attendance", SERVICE_WRITERS, api_attendance, 0,
     "Record an enterprise's attendance (people; 0 removes it)"},
    {"GET", "/api/v1/service/agenda", ROLES_ANY, api_agenda, 0,
     "An enterprise's service-day agenda items (an enterprise user: its own)"},
    {"GET", "/api/v1/service/records", ROLES_STAFF, api_records, 0,
     "Service records: visits, trainings, problems solved, consultations (sort, filter, page)"},
    {"POST", "/api/v1/service/records", ROLES_STAFF, api_record_create, 0,
     "Record a service given (by the signed-in officer)"},
    {"GET", "/api/v1/service/records/totals", ROLES_STAFF, api_record_totals, 0,
     "Service record totals per officer or org unit"},
};

void service_api_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
