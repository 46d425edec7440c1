/*
** Classified collective review sessions (分类集中评审): approvers gather applications of one kind
** (报告书 or 报告表) under review for one expert meeting, with the experts recorded; opening the
** session takes each application's case into expert review (the clock pauses), closing it with
** the meeting's opinion takes them back (the clock runs). One transaction each, audited.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval/internal.h"
#include "calendar/calendar.h"
#include "core/err.h"
#include "core/util.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/entity.h"

#define APPROVERS (ROLE_APPROVER | ROLE_ADMIN)
#define MAX_ITEMS 50
#define MAX_EXPERTS 30

static void now_and_today(char now[32], char today[11])
{
    time_iso(wall_ms() / 1000, now);
    date_cn(wall_ms() / 1000, today);
}

static int audit(struct req *r, struct db *db, const char *entity, int64_t id, const char *action)
{
    struct audit_entry a = {.actor_id = r->who->user_id,
                            .actor = r->who->display_name,
                            .entity = entity,
                            .entity_id = id,
                            .action = action,
                            .request_id = r->request_id,
                            .ip = r->ip};
    return store_audit_add(db, &a);
}

/* Take action on the case of application id (in scope, under review) as r's user. */
static int move_case(struct req *r, struct db *db, int64_t app_id, const char *action,
                     const char *need_state, const char *note, const char *now, bool skip_other)
{
    struct eia_row *row = arena_alloc(r->a, sizeof *row);
    int rc = store_eia_get(db, app_id, r->a, row);
    if (rc == ERR_NOTFOUND ||
        (!rc && !store_scope_allows(&r->who->scope, row->enterprise_id, row->region_code))) {
        resp_error(r, 422, "not_found",
                   arena_printf(r->a, "没有环评申请 #%lld / no application #%lld",
                                (long long)app_id, (long long)app_id),
                   "application_ids");
        return ERR_INPUT;
    }
    char st[32] = "";
    rc = rc ? rc : store_eia_case_state(db, row->case_id, st);
    if (rc) {
        return rc;
    }
    if (strcmp(row->state, "accepted") || strcmp(st, need_state)) {
        if (skip_other) {
            return 0; /* closing: an application decided or moved on meanwhile stays as it is */
        }
        resp_error(r, 409, "conflict",
                   arena_printf(r->a,
                                "申请 #%lld 不在审查中或正在其他环节 / application #%lld is not "
                                "under review or is in another step",
                                (long long)app_id, (long long)app_id),
                   "application_ids");
        return ERR_CONFLICT;
    }
    struct case_actor who = {
        r->who->user_id, r->who->display_name, r->who->role, r->request_id, r->ip, true};
    const char *field = NULL;
    char why[256] = "";
    rc = cases_transition(db, row->case_id, action, &who, NULL, 0, "{}", note, 0, now, &field, why,
                          sizeof why);
    if (rc == ERR_FORBIDDEN || rc == ERR_CONFLICT || rc == ERR_INPUT) {
        resp_error(r, rc == ERR_FORBIDDEN ? 403 : 409, "conflict", why, "application_ids");
    }
    return rc ? rc : audit(r, db, "eia_application", app_id, action);
}

/* POST /approval/sessions {title, kind, held_on, experts:[{name,title,org}], application_ids} */
static int api_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *title = NULL, *kind = NULL, *held_on = NULL;
    int rc = json_get_str(r, in, "title", 200, true, &title);
    rc = rc ? rc : json_get_str(r, in, "kind", 16, true, &kind);
    rc = rc ? rc : json_get_str(r, in, "held_on", 10, true, &held_on);
    title = rc ? NULL : arena_strdup(r->a, title);
    kind = rc ? NULL : arena_strdup(r->a, kind);
    held_on = rc ? NULL : arena_strdup(r->a, held_on);
    json_t *experts = json_object_get(in, "experts"), *ids = json_object_get(in, "application_ids");
    char *experts_txt = NULL;
    int64_t app_ids[MAX_ITEMS];
    size_t n_ids = 0;
    if (!rc && (!json_is_array(experts) || !json_array_size(experts) ||
                json_array_size(experts) > MAX_EXPERTS)) {
        resp_error(r, 422, "required", "请填写评审专家（1–30 名） / experts: 1 to 30 are required",
                   "experts");
        rc = ERR_INPUT;
    }
    size_t i;
    json_t *v;
    json_array_foreach (rc ? NULL : experts, i, v) {
        const char *name = json_string_value(json_object_get(v, "name"));
        if (!name || !*name || strlen(name) > 64) {
            resp_error(r, 422, "invalid", "每位专家须有姓名 / each expert needs a name", "experts");
            rc = ERR_INPUT;
            break;
        }
    }
    if (!rc && (!json_is_array(ids) || !json_array_size(ids) || json_array_size(ids) > MAX_ITEMS)) {
        resp_error(r, 422, "required",
                   "请选择评审的环评申请（1–50 件） / application_ids: 1 to 50 are required",
                   "application_ids");
        rc = ERR_INPUT;
    }
    json_array_foreach (rc ? NULL : ids, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) < 1) {
            resp_error(r, 422, "invalid", "申请编号无效 / bad application id", "application_ids");
            rc = ERR_INPUT;
            break;
        }
        app_ids[n_ids++] = json_integer_value(v);
    }
    if (!rc) {
        char *t = json_dumps(experts, JSON_COMPACT);
        experts_txt = arena_strdup(r->a, t ? t : "[]");
        free(t);
    }
    json_decref(in);
    if (rc) {
        return 0;
    }
    int32_t day;
    if (eia_class_parse(kind) != EC_REPORT && eia_class_parse(kind) != EC_FORM) {
        return resp_error(r, 422, "invalid",
                          "kind 应为 report 或 form / kind must be report or form", "kind");
    }
    if (strlen(held_on) != 10 || calendar_date_parse(held_on, 10, &day)) {
        return resp_error(r, 422, "invalid", "评审日期无效 / held_on must be a date", "held_on");
    }
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t id = 0;
    char region[16] = "";
    rc = store_eia_session_insert(db, "", title, kind, held_on, experts_txt, r->who->user_id, now,
                                  &id);
    char note[300];
    snprintf(note, sizeof note, "分类集中评审 #%lld：%s", (long long)id, title);
    for (size_t k = 0; !rc && k < n_ids; k++) {
        struct eia_row *row = arena_alloc(r->a, sizeof *row);
        if (!store_eia_get(db, app_ids[k], r->a, row) && strcmp(row->cls, kind)) {
            resp_error(r, 409, "conflict",
                       arena_printf(r->a,
                                    "申请 #%lld 的类别不同 / application #%lld is of "
                                    "another class",
                                    (long long)app_ids[k], (long long)app_ids[k]),
                       "application_ids");
            rc = ERR_CONFLICT;
            break;
        }
        rc = store_eia_session_item_add(db, id, app_ids[k]);
        if (rc == ERR_CONFLICT) {
            resp_error(r, 422, "invalid", "申请重复 / an application is listed twice",
                       "application_ids");
            break;
        }
        rc = rc ? rc : move_case(r, db, app_ids[k], "send_experts", "accepted", note, now, false);
        /* the session's region: what its applications' regions share (330502, or 3305) */
        if (!rc && !k) {
            snprintf(region, sizeof region, "%s", row->region_code);
        }
        for (size_t c = 0; !rc && region[c]; c++) {
            if (region[c] != row->region_code[c]) {
                region[c] = 0;
                break;
            }
        }
    }
    rc = rc ? rc : store_eia_session_region(db, id, region);
    rc = rc ? rc : audit(r, db, "eia_session", id, "create");
    rc = rc ? rc : store_eia_sessions_json(db, &r->who->scope, id, &r->out);
    if (!rc) { /* the one session, not a list */
        json_t *doc = json_loadb(r->out.p, r->out.len, 0, NULL);
        char *t = json_dumps(json_array_get(json_object_get(doc, "items"), 0), JSON_COMPACT);
        buf_reset(&r->out);
        buf_puts(&r->out, t ? t : "{}");
        free(t);
        json_decref(doc);
    }
    return entity_finish_write(r, db, rc, 201);
}

struct close_ctx {
    int64_t ids[200], cases[200];
    size_t n;
};

static void close_item(int64_t application_id, int64_t case_id, void *ctx)
{
    struct close_ctx *c = ctx;
    if (c->n < 200) {
        c->ids[c->n] = application_id;
        c->cases[c->n++] = case_id;
    }
}

/* POST /approval/sessions/{id}/close {opinion}: the experts' opinion; each application still in
   this review goes back to review (the clock runs). */
static int api_close(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *opinion = NULL;
    int rc = json_get_str(r, in, "opinion", 4000, true, &opinion);
    opinion = rc ? NULL : arena_strdup(r->a, opinion);
    json_decref(in);
    if (rc) {
        return 0;
    }
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t id = req_id(r, 0);
    char state[16] = "";
    rc = id > 0 ? store_eia_session_state(db, id, state) : ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该评审会 / no such session", "id");
    } else if (!rc && strcmp(state, "open")) {
        resp_error(r, 409, "conflict", "评审会已结束 / the session is closed", "id");
        rc = ERR_CONFLICT;
    }
    struct close_ctx *c = arena_zalloc(r->a, sizeof *c);
    rc = rc ? rc : store_eia_session_items_each(db, id, close_item, c);
    for (size_t k = 0; !rc && k < c->n; k++) {
        rc = move_case(r, db, c->ids[k], "experts_done", "expert_review", opinion, now, true);
    }
    rc = rc ? rc : store_eia_session_close(db, id, opinion, now);
    rc = rc ? rc : audit(r, db, "eia_session", id, "session_close");
    rc = rc ? rc : store_eia_sessions_json(db, &r->who->scope, id, &r->out);
    return entity_finish_write(r, db, rc, 200);
}

static int api_list(struct req *r)
{
    struct db *db = store_read(app.store);
    int rc = store_eia_sessions_json(db, &r->who->scope, 0, &r->out);
    return entity_finish_read(r, db, rc);
}

static const struct route routes[] = {
    {"GET", "/api/v1/approval/sessions", ROLES_STAFF, api_list, 0,
     "Classified collective review sessions with their experts and applications"},
    {"POST", "/api/v1/approval/sessions", APPROVERS, api_create, 0,
     "Open a collective review session: its applications go to expert review (clock paused)"},
    {"POST", "/api/v1/approval/sessions/{id}/close", APPROVERS, api_close, 0,
     "Close a session with the experts' opinion: its applications' clocks run again"},
};

void approval_session_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
