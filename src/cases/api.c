/*
** Case routes: one case with its timeline, clock state, paused spans and the actions the
** caller may take (buttons with their required fields), and a transition. Who may see a case:
** staff whose regions cover its region (all for city-wide roles), an enterprise user only the
** cases of their enterprise.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "cases/cases.h"
#include "core/err.h"
#include "core/util.h"
#include "http/json.h"
#include "platform/app.h"
#include "store/q_cases.h"

#define FIELDS_MAX 8192 /* bytes of a transition's fields as JSON */

static const char *clock_state(const struct case_row *c, int64_t now)
{
    struct case_clock k = {.paused_at = c->paused_at, .stopped_at = c->stopped_at};
    return case_clock_state_name(
        case_clock_state_at(&k, case_iso_seconds(c->due_at), case_iso_seconds(c->soon_at), now));
}

static void put_actions(struct buf *b, const struct case_type *t, const struct case_row *c,
                        unsigned role)
{
    static const char *const EFFECT[] = {"none", "pause", "resume", "stop", "extend"};
    buf_puts(b, ",\"actions\":[");
    bool first = true;
    for (size_t i = 0; c->is_open && i < t->n_transitions; i++) {
        const struct case_transition *tr = &t->transitions[i];
        if (strcmp(tr->from, c->state) || !(tr->roles & role)) {
            continue;
        }
        buf_puts(b, first ? "{" : ",{");
        first = false;
        json_kv_str(b, "action", tr->action, false);
        json_kv_str(b, "to", tr->to, true);
        json_kv_str(b, "clock", EFFECT[tr->clock], true);
        json_kv_str(b, "label_zh", tr->label_zh, true);
        json_kv_str(b, "label_en", tr->label_en, true);
        buf_puts(b, ",\"required\":[");
        for (size_t j = 0; tr->required && tr->required[j]; j++) {
            buf_puts(b, j ? "," : "");
            buf_json_str(b, tr->required[j], strlen(tr->required[j]));
        }
        buf_puts(b, "]}");
    }
    buf_putc(b, ']');
}

/* Every action of the type with its labels, for the timeline: {"acknowledge":["确认",
   "Acknowledge"],...}. */
static void put_labels(struct buf *b, const struct case_type *t)
{
    buf_puts(b, ",\"action_labels\":{");
    for (size_t i = 0; i < t->n_transitions; i++) {
        const struct case_transition *tr = &t->transitions[i];
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++) {
            seen = !strcmp(t->transitions[j].action, tr->action);
        }
        if (seen) {
            continue;
        }
        buf_puts(b, i ? "," : "");
        buf_json_str(b, tr->action, strlen(tr->action));
        buf_puts(b, ":[");
        buf_json_str(b, tr->label_zh, strlen(tr->label_zh));
        buf_putc(b, ',');
        buf_json_str(b, tr->label_en, strlen(tr->label_en));
        buf_puts(b, "]");
    }
    buf_putc(b, '}');
}

/* The closed pauses and the open one as [{"from","to"}] (UTC ISO; to null while paused). */
static void put_pauses(struct buf *b, const struct case_row *c)
{
    struct case_clock k = {0};
    case_pauses_parse(c->pauses, &k);
    buf_puts(b, ",\"pause_spans\":[");
    for (size_t i = 0; i < k.n_pauses; i++) {
        char f[32], t[32];
        time_iso(k.pauses[i].from, f);
        time_iso(k.pauses[i].to, t);
        buf_printf(b, "%s{\"from\":\"%s\",\"to\":\"%s\"}", i ? "," : "", f, t);
    }
    if (c->paused_at) {
        char f[32];
        time_iso(c->paused_at, f);
        buf_printf(b, "%s{\"from\":\"%s\",\"to\":null}", k.n_pauses ? "," : "", f);
    }
    buf_putc(b, ']');
}

static int api_case_get(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct case_row c;
    struct db *db = store_read(app.store);
    int rc = id > 0 ? store_case_get(db, id, &c) : ERR_NOTFOUND;
    if (!rc && !store_scope_allows(&r->who->scope, c.enterprise_id, c.region_code)) {
        rc = ERR_NOTFOUND;
    }
    rc = rc ? rc : store_case_json(db, id, &r->out);
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, rc == ERR_NOTFOUND ? "办件不存在 / no such case" : NULL, NULL);
    }
    const struct case_type *t = cases_type_find(c.type);
    r->out.len--; /* reopen the object */
    json_kv_str(&r->out, "clock_state", clock_state(&c, wall_ms() / 1000), true);
    json_kv_str(&r->out, "type_label_zh", t ? t->label_zh : c.type, true);
    json_kv_str(&r->out, "type_label_en", t ? t->label_en : c.type, true);
    put_pauses(&r->out, &c);
    if (t) {
        put_actions(&r->out, t, &c, r->who->role);
        put_labels(&r->out, t);
    }
    buf_putc(&r->out, '}');
    return resp_json(r, 200);
}

/* The non-empty members of the body other than "action" (the fields a transition needs). */
static size_t present_fields(struct req *r, json_t *in, const char ***out)
{
    size_t n = 0, cap = json_object_size(in);
    *out = arena_alloc(r->a, sizeof(char *) * (cap ? cap : 1));
    const char *key;
    json_t *v;
    json_object_foreach (in, key, v) {
        bool empty = json_is_null(v) || (json_is_string(v) && !*json_string_value(v));
        if (strcmp(key, "action") && !empty) {
            (*out)[n++] = arena_strdup(r->a, key);
        }
    }
    return n;
}

static int transition_status(int rc)
{
    return rc == ERR_FORBIDDEN ? 403 : rc == ERR_CONFLICT ? 409 : rc == ERR_NOTFOUND ? 404 : 422;
}

static int api_case_transition(struct req *r)
{
    int64_t id = req_id(r, 0);
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *action = NULL, *note = NULL;
    if (json_get_str(r, in, "action", 64, true, &action) ||
        json_get_str(r, in, "note", 500, false, &note)) {
        json_decref(in);
        return 0;
    }
    /* An extension is counted in the case's own unit (days or hours); capped so the clock's
       arithmetic cannot overflow and a deadline cannot be pushed out of sight. */
    json_t *ext = json_object_get(in, "extension");
    json_int_t ev = json_integer_value(ext);
    if (ext && (!json_is_integer(ext) || ev < 1 || ev > 1000)) {
        json_decref(in);
        return resp_error(r, 422, "invalid",
                          "延期应为 1 到 1000 之间的整数 / extension must be a whole number from 1 "
                          "to 1000",
                          "extension");
    }
    int64_t extension = ext ? (int64_t)json_integer_value(ext) : 0;
    const char **present;
    size_t n_present = present_fields(r, in, &present);
    action = arena_strdup(r->a, action);
    note = arena_strdup(r->a, note ? note : "");
    json_object_del(in, "action");
    char *dumped = json_dumps(in, JSON_COMPACT);
    json_decref(in);
    const char *fields = dumped ? arena_strdup(r->a, dumped) : "{}";
    free(dumped);
    if (strlen(fields) > FIELDS_MAX) {
        return resp_error(r, 413, "too_big", "字段过长 / the fields are too long", NULL);
    }
    struct db *db;
    int rc = id > 0 ? store_begin(app.store, &db) : ERR_NOTFOUND;
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct case_row c;
    rc = store_case_get(db, id, &c);
    if (!rc && !store_scope_allows(&r->who->scope, c.enterprise_id, c.region_code)) {
        rc = ERR_NOTFOUND;
    }
    char now[32], why[512] = "";
    const char *field = NULL;
    time_iso(wall_ms() / 1000, now);
    struct case_actor who = {
        r->who->user_id, r->who->display_name, r->who->role, r->request_id, r->ip, false};
    rc = rc ? rc
            : cases_transition(db, id, action, &who, present, n_present, fields, note, extension,
                               now, &field, why, sizeof why);
    rc = rc ? rc : store_case_json(db, id, &r->out);
    if (rc) {
        store_rollback(app.store, db);
        buf_reset(&r->out);
        if (rc == ERR_DB) {
            return resp_err(r, rc, NULL, NULL);
        }
        return resp_error(r, transition_status(rc), rc == ERR_NOTFOUND ? "not_found" : "refused",
                          why[0] ? arena_strdup(r->a, why) : "办件不存在 / no such case",
                          field ? field : "action");
    }
    rc = store_commit(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

static const struct route routes[] = {
    {"GET", "/api/v1/cases/{id}", ROLES_ANY, api_case_get, 0,
     "Get a case with its timeline, clock state and the caller's actions"},
    {"POST", "/api/v1/cases/{id}/transitions", ROLES_ANY, api_case_transition, 0,
     "Take an action on a case (checked against its type's transition table)"},
};

void cases_case_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
