/*
** HTTP routes of the positive list (/api/v1/positive/…, /api/v1/enterprises/{id}/positive…).
** Who may do what (docs/internals/positive.md):
**   see the list, candidates, nominations, requests, an enterprise's history: staff (their area);
**   admit from the candidates, remove, ask for an on-site approval: admin, leader, inspector;
**   nominate: any staff role (a leader then decides on the nomination's case);
**   decide a nomination or an on-site request: leader (the head of enforcement);
**   record an off-site check: admin, leader, inspector, monitor;
**   an enterprise user: only /positive/mine — whether its own firm is listed and its term.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "cases/cases.h"
#include "core/err.h"
#include "core/settings.h"
#include "core/table.h"
#include "core/util.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/entity.h"
#include "positive/positive_int.h"
#include "store/q_positive.h"

#define OFFICERS (ROLE_ADMIN | ROLE_LEADER | ROLE_INSPECTOR)
#define RECORDERS (OFFICERS | ROLE_MONITOR)
#define REASON_MAX 1000
#define CANDIDATES_MAX 20000 /* enterprises judged per candidates request */

static void today_cn(char out[11])
{
    date_cn(wall_ms() / 1000, out);
}

static void now_iso(char out[32])
{
    time_iso(wall_ms() / 1000, out);
}

static struct positive_actor actor_of(struct req *r)
{
    return (struct positive_actor){r->who->user_id, r->who->display_name, r->request_id, r->ip};
}

static int refused(struct req *r, const struct positive_refusal *why)
{
    return resp_error(r, why->status, why->code, why->msg, why->field);
}

/* A positive integer member; 422 naming it otherwise. */
static int json_id(struct req *r, json_t *in, const char *key, int64_t *out)
{
    json_t *v = json_object_get(in, key);
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        resp_error(r, 422, "required", "须为正整数 / must be a positive integer", key);
        return ERR_INPUT;
    }
    *out = json_integer_value(v);
    return 0;
}

/* A required non-empty text member of at most max bytes. */
static int json_text(struct req *r, json_t *in, const char *key, size_t max, const char **out)
{
    int rc = json_get_str(r, in, key, max, true, out);
    if (!rc && !**out) {
        resp_error(r, 422, "required", "必填 / required", key);
        return ERR_INPUT;
    }
    return rc;
}

/* An integer query parameter within [lo, hi], def when absent; -1 when malformed. */
static int64_t query_int(struct req *r, const char *name, int64_t def, int64_t lo, int64_t hi)
{
    const char *v = req_query(r, name);
    int64_t x;
    if (!v || !*v) {
        return def;
    }
    return parse_i64(v, strlen(v), &x) || x < lo || x > hi ? -1 : x;
}

/* ---------------- the list ---------------- */

static int list_query(struct req *r, struct positive_list_query *q, char today[11])
{
    static const char *const STATUS[] = {"listed", "removed", "expired", "future", "all"};
    static const char *const SORT[] = {"name", "region", "listed_from", "listed_to"};
    today_cn(today);
    *q = (struct positive_list_query){.status = req_query(r, "status"),
                                      .q = req_query(r, "q"),
                                      .region = req_query(r, "region"),
                                      .basis = req_query(r, "basis"),
                                      .sort = req_query(r, "sort"),
                                      .desc = req_query(r, "order") &&
                                              !strcmp(req_query(r, "order"), "desc"),
                                      .today = today};
    bool ok = !q->status;
    for (size_t i = 0; !ok && i < ARRAY_LEN(STATUS); i++) {
        ok = !strcmp(q->status, STATUS[i]);
    }
    if (!ok) {
        return resp_error(r, 422, "invalid", "status 须为 listed、removed、expired、future 或 all",
                          "status"),
               ERR_INPUT;
    }
    ok = !q->sort;
    for (size_t i = 0; !ok && i < ARRAY_LEN(SORT); i++) {
        ok = !strcmp(q->sort, SORT[i]);
    }
    if (!ok) {
        return resp_error(r, 422, "invalid", "sort 须为 name、region、listed_from 或 listed_to",
                          "sort"),
               ERR_INPUT;
    }
    if (q->basis && *q->basis && strcmp(q->basis, "criteria") && strcmp(q->basis, "nomination")) {
        return resp_error(r, 422, "invalid", "basis 须为 criteria 或 nomination", "basis"),
               ERR_INPUT;
    }
    if ((q->q && strlen(q->q) > 100) || (q->region && strlen(q->region) > 6)) {
        return resp_error(r, 422, "too_long", "查询条件过长 / the filter is too long",
                          q->q && strlen(q->q) > 100 ? "q" : "region"),
               ERR_INPUT;
    }
    q->limit = query_int(r, "limit", 50, 1, 500);
    q->offset = query_int(r, "offset", 0, 0, 10000000);
    if (q->limit < 0 || q->offset < 0) {
        return resp_error(r, 422, "invalid", "limit 为 1–500，offset 为非负整数",
                          q->limit < 0 ? "limit" : "offset"),
               ERR_INPUT;
    }
    return 0;
}

static int api_list(struct req *r)
{
    struct positive_list_query q;
    char today[11];
    if (list_query(r, &q, today)) {
        return 0;
    }
    struct db *db = store_read(app.store);
    int rc = store_positive_list(db, &r->who->scope, &q, &r->out);
    return entity_finish_read(r, db, rc);
}

struct export_rows {
    struct arena *a;
    char ***cells;
    size_t n, cap;
};

static const char *const STATUS_ZH[][2] = {
    {"listed", "在清单中"}, {"removed", "已移出"}, {"expired", "已期满"}, {"future", "待生效"}};

static void export_row(struct db_stmt *st, void *ctx)
{
    struct export_rows *x = ctx;
    if (x->n >= x->cap) {
        return;
    }
    char **row = arena_alloc(x->a, sizeof *row * 10);
    const char *status = db_column_text(st, 8, NULL);
    for (size_t i = 0; i < ARRAY_LEN(STATUS_ZH); i++) {
        status = !strcmp(status, STATUS_ZH[i][0]) ? STATUS_ZH[i][1] : status;
    }
    row[0] = arena_strdup(x->a, db_column_text(st, 1, NULL));
    row[1] = arena_strdup(x->a, db_column_text(st, 2, NULL));
    row[2] = arena_strdup(x->a, db_column_text(st, 3, NULL));
    row[3] = arena_strdup(x->a, strcmp(db_column_text(st, 4, NULL), "criteria") ? "推荐纳入"
                                                                                : "符合条件");
    row[4] = arena_strdup(x->a, db_column_text(st, 5, NULL));
    row[5] = arena_strdup(x->a, db_column_text(st, 6, NULL));
    row[6] = arena_strdup(x->a, db_column_text(st, 7, NULL));
    row[7] = arena_strdup(x->a, status);
    row[8] = arena_strdup(x->a, db_column_text(st, 9, NULL));
    row[9] = arena_strdup(x->a, db_column_int(st, 10) ? "是" : "");
    x->cells[++x->n] = row;
}

static int api_export(struct req *r)
{
    struct positive_list_query q;
    char today[11];
    bool xlsx;
    if (list_query(r, &q, today) || entity_export_format(r, &xlsx)) {
        return 0;
    }
    static const char *HEAD[] = {"企业名称", "统一社会信用代码", "行政区划", "纳入方式",
                                 "纳入日期", "期满日期",         "移出日期", "状态",
                                 "移出原因", "恶意违法"};
    int64_t max = settings_int("export_max_rows");
    struct export_rows x = {.a = r->a, .cap = (size_t)(max > 0 ? max : 50000)};
    x.cells = arena_alloc(r->a, sizeof *x.cells * (x.cap + 2));
    x.cells[0] = (char **)HEAD;
    struct db *db = store_read(app.store);
    int rc = store_positive_list_scan(db, &r->who->scope, &q, x.cap + 1, export_row, &x);
    store_release(app.store, db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    if (x.n >= x.cap) {
        return entity_export_too_big(r);
    }
    struct table t = {.n_rows = x.n + 1, .n_cols = ARRAY_LEN(HEAD), .cells = x.cells};
    return entity_export_send(r, &t, xlsx, "正面清单");
}

/* ---------------- candidates ---------------- */

/* The rule sets in force, by region code, for the rows of one request. */
struct crit_cache {
    char region[64][16];
    int rc[64];
    struct positive_criteria c[64];
    struct rule_ref ref[64];
    size_t n;
};

struct cand_ctx {
    struct db *db;
    const char *today;
    int which; /* 1 eligible only, 0 not eligible only, 2 all */
    int64_t offset, limit, total, eligible, judged;
    struct buf *out;
    struct crit_cache *cache;
    int rc;
};

static size_t criteria_for(struct cand_ctx *x, const char *region)
{
    struct crit_cache *k = x->cache;
    for (size_t i = 0; i < k->n; i++) {
        if (!strcmp(k->region[i], region)) {
            return i;
        }
    }
    size_t i = k->n < ARRAY_LEN(k->region) ? k->n++ : ARRAY_LEN(k->region) - 1;
    str_copy(k->region[i], sizeof k->region[i], region);
    k->rc[i] = positive_criteria_in_force(x->db, region, x->today, &k->c[i], &k->ref[i]);
    return i;
}

static void cand_row(const struct positive_fact_row *f, void *ctx)
{
    struct cand_ctx *x = ctx;
    size_t i = criteria_for(x, f->region_code);
    struct positive_eval ev = {0};
    struct positive_facts facts = {f->grade,        f->category,  f->tags,
                                   f->last_penalty, f->barred_to, f->listed_to};
    bool have = x->cache->rc[i] == 0 && !positive_evaluate(&x->cache->c[i], &facts, x->today, &ev);
    x->eligible += have && ev.eligible;
    x->judged++;
    if (x->which != 2 && (have && ev.eligible) != (x->which == 1)) {
        return;
    }
    int64_t k = x->total++;
    if (k < x->offset || k >= x->offset + x->limit) {
        return;
    }
    struct buf *b = x->out;
    buf_puts(b, k > x->offset ? ",{" : "{");
    json_kv_int(b, "enterprise_id", f->id, false);
    json_kv_str(b, "name", f->name, true);
    json_kv_str(b, "region_code", f->region_code, true);
    json_kv_str(b, "region_name", f->region_name, true);
    json_kv_str(b, "category", f->category, true);
    json_kv_str(b, "tags", f->tags, true);
    json_kv_str(b, "grade", f->grade, true);
    json_kv_str(b, "last_penalty", f->last_penalty, true);
    json_kv_str(b, "barred_to", f->barred_to, true);
    json_kv_str(b, "listed_to", f->listed_to, true);
    json_kv_int(b, "pending_nomination", f->pending_nomination, true);
    buf_printf(b, ",\"eligible\":%s", have && ev.eligible ? "true" : "false");
    if (have) {
        buf_printf(
            b, ",\"rule_set_id\":%lld,\"rule_version\":%d,\"nomination_allowed\":%s,\"checks\":",
            (long long)x->cache->ref[i].id, x->cache->ref[i].version,
            x->cache->c[i].nomination_allowed ? "true" : "false");
        positive_eval_json(&ev, b);
    } else {
        buf_puts(b, ",\"rule_set_id\":null,\"rule_version\":null,\"nomination_allowed\":false,"
                    "\"checks\":[],\"no_rule_set\":true");
    }
    buf_putc(b, '}');
}

static int api_candidates(struct req *r)
{
    const char *which = req_query(r, "eligible"), *q = req_query(r, "q");
    const char *region = req_query(r, "region"), *sort = req_query(r, "sort");
    const char *order = req_query(r, "order");
    if (sort && strcmp(sort, "name") && strcmp(sort, "region")) {
        return resp_error(r, 422, "invalid", "sort 须为 name 或 region", "sort");
    }
    int w = !which || !strcmp(which, "1") ? 1
            : !strcmp(which, "0")         ? 0
            : !strcmp(which, "all")       ? 2
                                          : -1;
    if (w < 0) {
        return resp_error(r, 422, "invalid", "eligible 须为 1、0 或 all", "eligible");
    }
    if ((q && strlen(q) > 100) || (region && strlen(region) > 6)) {
        return resp_error(r, 422, "too_long", "查询条件过长 / the filter is too long",
                          q && strlen(q) > 100 ? "q" : "region");
    }
    int64_t limit = query_int(r, "limit", 50, 1, 500),
            offset = query_int(r, "offset", 0, 0, 10000000);
    if (limit < 0 || offset < 0) {
        return resp_error(r, 422, "invalid", "limit 为 1–500，offset 为非负整数",
                          limit < 0 ? "limit" : "offset");
    }
    char today[11];
    today_cn(today);
    struct crit_cache *cache = arena_zalloc(r->a, sizeof *cache);
    struct db *db = store_read(app.store);
    struct cand_ctx x = {.db = db,
                         .today = today,
                         .which = w,
                         .offset = offset,
                         .limit = limit,
                         .out = &r->out,
                         .cache = cache};
    buf_puts(&r->out, "{\"items\":[");
    int rc = store_positive_candidates(db, &r->who->scope, q, region, sort,
                                       order && !strcmp(order, "desc"), today, CANDIDATES_MAX,
                                       cand_row, &x);
    /* judged counts every enterprise read; at CANDIDATES_MAX the view stops (truncated) */
    buf_printf(&r->out,
               "],\"total\":%lld,\"eligible_total\":%lld,\"judged\":%lld,\"truncated\":%s,"
               "\"date\":\"%s\"}",
               (long long)x.total, (long long)x.eligible, (long long)x.judged,
               x.judged >= CANDIDATES_MAX ? "true" : "false", today);
    return entity_finish_read(r, db, rc);
}

/* ---------------- admission, nomination, removal ---------------- */

static int api_admit(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    int64_t ent;
    const char *note = NULL;
    if (json_id(r, in, "enterprise_id", &ent) ||
        json_get_str(r, in, "note", REASON_MAX, false, &note)) {
        json_decref(in);
        return 0;
    }
    char today[11], now[32];
    today_cn(today);
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    rc = entity_enterprise_visible(r, db, ent);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "企业不存在 / no such enterprise", "enterprise_id");
    }
    struct positive_actor who = actor_of(r);
    struct positive_refusal why = {0};
    int64_t id = 0;
    rc = rc ? rc : positive_admit(db, ent, note, &who, today, now, &id, &why);
    if (rc && why.status) {
        refused(r, &why);
    }
    json_decref(in);
    if (!rc) {
        buf_printf(&r->out, "{\"id\":%lld,\"enterprise_id\":%lld,\"listed_from\":\"%s\"}",
                   (long long)id, (long long)ent, today);
    }
    return entity_finish_write(r, db, rc, 201);
}

static int api_nominate(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    int64_t ent;
    const char *reason;
    if (json_id(r, in, "enterprise_id", &ent) || json_text(r, in, "reason", REASON_MAX, &reason)) {
        json_decref(in);
        return 0;
    }
    char today[11], now[32];
    today_cn(today);
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    rc = entity_enterprise_visible(r, db, ent);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "企业不存在 / no such enterprise", "enterprise_id");
    }
    struct positive_actor who = actor_of(r);
    struct positive_refusal why = {0};
    int64_t id = 0, case_id = 0;
    rc = rc ? rc : positive_nominate(db, ent, reason, &who, today, now, &id, &case_id, &why);
    if (rc && why.status) {
        refused(r, &why);
    }
    json_decref(in);
    if (!rc) {
        buf_printf(&r->out,
                   "{\"id\":%lld,\"enterprise_id\":%lld,\"case_id\":%lld,\"state\":"
                   "\"pending\"}",
                   (long long)id, (long long)ent, (long long)case_id);
    }
    return entity_finish_write(r, db, rc, 201);
}

/* The leader's decision on a nomination, as the transition of its case (the same as on the
   case page). */
static int api_nomination_decide(struct req *r)
{
    int64_t id = req_id(r, 0);
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *decision, *note = NULL;
    if (json_text(r, in, "decision", 16, &decision) ||
        json_get_str(r, in, "note", REASON_MAX, false, &note)) {
        json_decref(in);
        return 0;
    }
    if (strcmp(decision, "approve") && strcmp(decision, "refuse")) {
        json_decref(in);
        return resp_error(r, 422, "invalid", "决定须为 approve 或 refuse", "decision");
    }
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    struct positive_nomination_row n;
    rc = id > 0 ? store_positive_nomination_get(db, id, &n) : ERR_NOTFOUND;
    rc = rc ? rc : entity_enterprise_visible(r, db, n.enterprise_id);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "推荐不存在 / no such nomination", "id");
    } else if (!rc && (strcmp(n.state, "pending") || !n.case_id)) {
        resp_error(r, 409, "decided", "该推荐已办结 / the nomination was decided already", "id");
        rc = ERR_CONFLICT;
    }
    if (!rc) {
        struct case_actor who = {
            r->who->user_id, r->who->display_name, r->who->role, r->request_id, r->ip, false};
        const char *present[] = {"note"};
        const char *field = NULL;
        char why[400] = "";
        struct buf f;
        buf_init(&f, 4096);
        buf_puts(&f, "{\"note\":");
        buf_json_str(&f, note ? note : "", note ? strlen(note) : 0);
        buf_putc(&f, '}');
        rc = cases_transition(db, n.case_id, decision, &who, present, note && *note ? 1 : 0, f.p,
                              note ? note : "", 0, now, &field, why, sizeof why);
        buf_release(&f);
        if (rc == ERR_CONFLICT && !*why) {
            snprintf(why, sizeof why,
                     "该企业现已在清单中或处于禁入期，不能批准 / the firm is listed or barred now");
        }
        if (rc == ERR_INPUT || rc == ERR_CONFLICT || rc == ERR_FORBIDDEN) {
            resp_error(r,
                       rc == ERR_INPUT      ? 422
                       : rc == ERR_CONFLICT ? 409
                                            : 403,
                       rc == ERR_INPUT      ? "required"
                       : rc == ERR_CONFLICT ? "conflict"
                                            : "forbidden",
                       why, field ? field : "decision");
        }
    }
    json_decref(in);
    if (!rc) {
        store_positive_nomination_get(db, id, &n);
        buf_printf(&r->out, "{\"id\":%lld,\"state\":\"%s\",\"case_id\":%lld}", (long long)id,
                   n.state, (long long)n.case_id);
    }
    return entity_finish_write(r, db, rc, 200);
}

static int api_nominations(struct req *r)
{
    const char *state = req_query(r, "state");
    if (state && strcmp(state, "pending") && strcmp(state, "approved") &&
        strcmp(state, "refused") && strcmp(state, "withdrawn")) {
        return resp_error(r, 422, "invalid", "state 须为 pending、approved、refused 或 withdrawn",
                          "state");
    }
    struct db *db = store_read(app.store);
    int rc = store_positive_nominations(db, &r->who->scope, state, &r->out);
    return entity_finish_read(r, db, rc);
}

static int api_remove(struct req *r)
{
    int64_t id = req_id(r, 0);
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *reason;
    json_t *mal = json_object_get(in, "malicious");
    if (json_text(r, in, "reason", REASON_MAX, &reason)) {
        json_decref(in);
        return 0;
    }
    if (mal && !json_is_boolean(mal)) {
        json_decref(in);
        return resp_error(r, 422, "invalid", "须为 true 或 false / true or false", "malicious");
    }
    char today[11], now[32], bar[11];
    today_cn(today);
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    struct positive_entry_row e;
    rc = id > 0 ? store_positive_entry_get(db, id, &e) : ERR_NOTFOUND;
    rc = rc ? rc : entity_enterprise_visible(r, db, e.enterprise_id);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "清单记录不存在 / no such entry", "id");
    }
    struct positive_actor who = actor_of(r);
    struct positive_refusal why = {0};
    rc = rc ? rc : positive_remove(db, id, reason, json_is_true(mal), &who, today, now, bar, &why);
    if (rc && why.status) {
        refused(r, &why);
    }
    json_decref(in);
    if (!rc) {
        buf_printf(&r->out, "{\"id\":%lld,\"removed_on\":\"%s\",\"malicious\":%s,\"barred_to\":",
                   (long long)id, today, json_is_true(mal) ? "true" : "false");
        if (*bar) {
            buf_printf(&r->out, "\"%s\"}", bar);
        } else {
            buf_puts(&r->out, "null}");
        }
    }
    return entity_finish_write(r, db, rc, 200);
}

/* ---------------- an enterprise's history, its own view ---------------- */

static int api_enterprise(struct req *r)
{
    int64_t id = req_id(r, 0);
    char today[11];
    today_cn(today);
    struct db *db = store_read(app.store);
    int rc = id > 0 ? entity_enterprise_visible(r, db, id) : ERR_NOTFOUND;
    bool listed = false;
    rc = rc ? rc : positive_listed(db, id, today, &listed);
    struct positive_fact_row f;
    rc = rc ? rc : store_positive_facts(db, id, today, &f);
    if (!rc) {
        buf_printf(&r->out, "{\"enterprise_id\":%lld,\"date\":\"%s\",\"listed\":%s,\"barred_to\":",
                   (long long)id, today, listed ? "true" : "false");
        buf_json_str(&r->out, f.barred_to, strlen(f.barred_to));
        struct positive_criteria c;
        struct rule_ref ref;
        struct positive_facts facts = {f.grade,        f.category,  f.tags,
                                       f.last_penalty, f.barred_to, f.listed_to};
        struct positive_eval ev;
        if (!positive_criteria_in_force(db, f.region_code, today, &c, &ref) &&
            !positive_evaluate(&c, &facts, today, &ev)) {
            buf_printf(&r->out,
                       ",\"criteria\":{\"rule_set_id\":%lld,\"rule_version\":%d,\"eligible\":%s,"
                       "\"nomination_allowed\":%s,\"checks\":",
                       (long long)ref.id, ref.version, ev.eligible ? "true" : "false",
                       c.nomination_allowed ? "true" : "false");
            positive_eval_json(&ev, &r->out);
            buf_putc(&r->out, '}');
        }
        buf_puts(&r->out, ",\"history\":");
        rc = store_positive_history(db, id, today, &r->out);
        buf_putc(&r->out, '}');
    }
    if (rc == ERR_NOTFOUND && !r->status) {
        store_release(app.store, db);
        return resp_error(r, 404, "not_found", "企业不存在 / no such enterprise", "id");
    }
    return entity_finish_read(r, db, rc);
}

/* An enterprise user: whether its own firm is listed today and the term; nothing else. */
static int api_mine(struct req *r)
{
    char today[11];
    today_cn(today);
    struct db *db = store_read(app.store);
    struct positive_entry_row e;
    int rc = store_positive_entry_latest(db, r->who->enterprise_id, &e);
    bool listed = false;
    if (rc == ERR_NOTFOUND) {
        rc = 0;
        buf_printf(&r->out,
                   "{\"enterprise_id\":%lld,\"listed\":false,\"listed_from\":null,"
                   "\"listed_to\":null}",
                   (long long)r->who->enterprise_id);
    } else if (!rc) {
        rc = positive_listed(db, r->who->enterprise_id, today, &listed);
        if (listed) {
            buf_printf(&r->out,
                       "{\"enterprise_id\":%lld,\"listed\":true,\"listed_from\":\"%s\","
                       "\"listed_to\":\"%s\"}",
                       (long long)r->who->enterprise_id, e.listed_from, e.listed_to);
        } else {
            buf_printf(&r->out,
                       "{\"enterprise_id\":%lld,\"listed\":false,\"listed_from\":null,"
                       "\"listed_to\":null}",
                       (long long)r->who->enterprise_id);
        }
    }
    return entity_finish_read(r, db, rc);
}

/* ---------------- the off-site supervision record ---------------- */

static int api_offsite(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db = store_read(app.store);
    int rc = id > 0 ? entity_enterprise_visible(r, db, id) : ERR_NOTFOUND;
    struct positive_entry_row e;
    int have = rc ? rc : store_positive_entry_latest(db, id, &e);
    if (!rc && have == ERR_NOTFOUND) {
        buf_puts(&r->out, "{\"entry\":null,\"records\":[],\"alarms\":[]}");
    } else if (!rc && have) {
        rc = have;
    } else if (!rc) {
        /* listed_from is a China date: its first instant is 16:00 UTC the day before */
        char since[32];
        int32_t day;
        calendar_date_parse(e.listed_from, 10, &day);
        time_iso((int64_t)day * 86400 - 8 * 3600, since);
        buf_printf(&r->out,
                   "{\"entry\":{\"id\":%lld,\"listed_from\":\"%s\",\"listed_to\":\"%s\","
                   "\"removed_on\":",
                   (long long)e.id, e.listed_from, e.listed_to);
        if (*e.removed_on) {
            buf_printf(&r->out, "\"%s\"}", e.removed_on);
        } else {
            buf_puts(&r->out, "null}");
        }
        buf_puts(&r->out, ",\"offsite\":");
        rc = store_positive_offsite(db, id, e.listed_from, since, &r->out);
        buf_putc(&r->out, '}');
    }
    return entity_finish_read(r, db, rc);
}

static int api_offsite_add(struct req *r)
{
    int64_t ent = req_id(r, 0);
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *kind, *seen_on = NULL, *note;
    if (json_text(r, in, "kind", 32, &kind) ||
        json_get_str(r, in, "seen_on", 10, false, &seen_on) ||
        json_text(r, in, "note", REASON_MAX, &note)) {
        json_decref(in);
        return 0;
    }
    char today[11], now[32];
    today_cn(today);
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    rc = ent > 0 ? entity_enterprise_visible(r, db, ent) : ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "企业不存在 / no such enterprise", "id");
    }
    struct positive_actor who = actor_of(r);
    struct positive_refusal why = {0};
    int64_t id = 0;
    rc = rc ? rc
            : positive_offsite_add(db, ent, kind, seen_on && *seen_on ? seen_on : today, note, &who,
                                   today, now, &id, &why);
    if (rc && why.status) {
        refused(r, &why);
    }
    json_decref(in);
    if (!rc) {
        buf_printf(&r->out, "{\"id\":%lld}", (long long)id);
    }
    return entity_finish_write(r, db, rc, 201);
}

/* ---------------- on-site inspection approval ---------------- */

static int api_onsite_check(struct req *r)
{
    const char *date = req_query(r, "date"), *purpose = req_query(r, "purpose");
    int64_t ent = query_int(r, "enterprise_id", 0, 1, INT64_MAX);
    if (ent <= 0) {
        return resp_error(r, 422, "required", "须为正整数 / a positive integer", "enterprise_id");
    }
    char today[11];
    today_cn(today);
    struct db *db = store_read(app.store);
    int rc = entity_enterprise_visible(r, db, ent);
    bool needs = false, listed = false;
    int64_t req_id_ = 0;
    const char *d = date && *date ? date : today;
    if (!rc) {
        rc = positive_onsite_check(db, ent, d, purpose && *purpose ? purpose : "routine", &needs,
                                   &req_id_);
        if (rc == ERR_INPUT) {
            store_release(app.store, db);
            return resp_error(r, 422, "invalid", "日期须为 YYYY-MM-DD / date: YYYY-MM-DD", "date");
        }
    }
    rc = rc ? rc : positive_listed(db, ent, d, &listed);
    if (!rc) {
        buf_printf(&r->out,
                   "{\"enterprise_id\":%lld,\"date\":\"%s\",\"listed\":%s,\"needs_approval\":%s,"
                   "\"approved_request_id\":%lld}",
                   (long long)ent, d, listed ? "true" : "false", needs ? "true" : "false",
                   (long long)req_id_);
    }
    return entity_finish_read(r, db, rc);
}

static int api_onsite_request(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    int64_t ent;
    const char *purpose, *visit, *reason;
    if (json_id(r, in, "enterprise_id", &ent) || json_text(r, in, "purpose", 32, &purpose) ||
        json_text(r, in, "visit_date", 10, &visit) ||
        json_text(r, in, "reason", REASON_MAX, &reason)) {
        json_decref(in);
        return 0;
    }
    char now[32], why[400] = "";
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    rc = entity_enterprise_visible(r, db, ent);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "企业不存在 / no such enterprise", "enterprise_id");
    }
    struct positive_actor who = actor_of(r);
    int64_t id = 0;
    rc = rc ? rc
            : positive_onsite_request(db, ent, purpose, visit, reason, "", 0, &who, now, &id, why,
                                      sizeof why);
    if (rc == ERR_INPUT || rc == ERR_CONFLICT) {
        const char *field = strstr(why, "complaint") ? "purpose" : "visit_date";
        resp_error(r, rc == ERR_INPUT ? 422 : 409, rc == ERR_INPUT ? "invalid" : "not_listed", why,
                   field);
    }
    json_decref(in);
    if (!rc) {
        buf_printf(&r->out, "{\"id\":%lld,\"state\":\"pending\"}", (long long)id);
    }
    return entity_finish_write(r, db, rc, 201);
}

static int api_onsite_decide(struct req *r)
{
    int64_t id = req_id(r, 0);
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *decision, *note = NULL;
    if (json_text(r, in, "decision", 16, &decision) ||
        json_get_str(r, in, "note", REASON_MAX, false, &note)) {
        json_decref(in);
        return 0;
    }
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    struct positive_onsite_row o;
    rc = id > 0 ? store_positive_onsite_get(db, id, &o) : ERR_NOTFOUND;
    rc = rc ? rc : entity_enterprise_visible(r, db, o.enterprise_id);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "审批申请不存在 / no such request", "id");
    }
    struct positive_actor who = actor_of(r);
    struct positive_refusal why = {0};
    rc = rc ? rc : positive_onsite_decide(db, id, decision, note, &who, now, &why);
    if (rc && why.status) {
        refused(r, &why);
    }
    bool approved = !rc && !strcmp(decision, "approve");
    json_decref(in);
    if (!rc) {
        buf_printf(&r->out, "{\"id\":%lld,\"state\":\"%s\"}", (long long)id,
                   approved ? "approved" : "refused");
    }
    return entity_finish_write(r, db, rc, 200);
}

static int api_onsite_list(struct req *r)
{
    const char *state = req_query(r, "state");
    if (state && strcmp(state, "pending") && strcmp(state, "approved") &&
        strcmp(state, "refused")) {
        return resp_error(r, 422, "invalid", "state 须为 pending、approved 或 refused", "state");
    }
    int64_t ent = query_int(r, "enterprise_id", 0, 1, INT64_MAX);
    if (ent < 0) {
        return resp_error(r, 422, "invalid", "须为正整数 / a positive integer", "enterprise_id");
    }
    struct db *db = store_read(app.store);
    int rc = store_positive_onsite_list(db, &r->who->scope, state, ent, &r->out);
    return entity_finish_read(r, db, rc);
}

static int api_summary(struct req *r)
{
    char today[11];
    today_cn(today);
    struct db *db = store_read(app.store);
    int rc = store_positive_summary(db, &r->who->scope, today, &r->out);
    return entity_finish_read(r, db, rc);
}

static const struct route routes[] = {
    {"GET", "/api/v1/positive/summary", ROLES_STAFF, api_summary, 0,
     "Counts of the positive list: by status, listed firms by county and basis, pending work"},
    {"GET", "/api/v1/positive/entries", ROLES_STAFF, api_list, 0,
     "The positive list (监督执法正面清单): entries with status, sort, filter and paging"},
    {"GET", "/api/v1/positive/entries/export", ROLES_STAFF, api_export, 0,
     "The positive list as CSV or XLSX (the same filters)"},
    {"POST", "/api/v1/positive/entries", OFFICERS, api_admit, 0,
     "Admit an enterprise that meets the criteria in force"},
    {"POST", "/api/v1/positive/entries/{id}/removal", OFFICERS, api_remove, 0,
     "Remove an entry with a reason (malicious: bars re-entry)"},
    {"GET", "/api/v1/positive/candidates", ROLES_STAFF, api_candidates, 0,
     "Enterprises judged against the criteria in force, each criterion with its reason"},
    {"GET", "/api/v1/positive/nominations", ROLES_STAFF, api_nominations, 0,
     "Nominations to the positive list"},
    {"POST", "/api/v1/positive/nominations", ROLES_STAFF, api_nominate, 0,
     "Nominate an enterprise with a reason (a case a leader decides)"},
    {"POST", "/api/v1/positive/nominations/{id}/decision", ROLE_LEADER, api_nomination_decide, 0,
     "Approve or refuse a nomination (its case's transition)"},
    {"GET", "/api/v1/positive/onsite-check", ROLES_STAFF, api_onsite_check, 0,
     "Whether an on-site inspection of an enterprise on a date needs approval"},
    {"GET", "/api/v1/positive/onsite-requests", ROLES_STAFF, api_onsite_list, 0,
     "On-site inspection approval requests for listed firms"},
    {"POST", "/api/v1/positive/onsite-requests", OFFICERS, api_onsite_request, 0,
     "Ask the head of enforcement to approve an on-site inspection of a listed firm"},
    {"POST", "/api/v1/positive/onsite-requests/{id}/decision", ROLE_LEADER, api_onsite_decide, 0,
     "Approve or refuse an on-site inspection request"},
    {"GET", "/api/v1/positive/mine", ROLE_ENTERPRISE, api_mine, 0,
     "Whether the enterprise user's own firm is on the positive list, and its term"},
    {"GET", "/api/v1/enterprises/{id}/positive", ROLES_STAFF, api_enterprise, 0,
     "An enterprise's positive-list status, criteria and history"},
    {"GET", "/api/v1/enterprises/{id}/positive/offsite", ROLES_STAFF, api_offsite, 0,
     "The off-site supervision record of a listed enterprise (alarms since listing, checks)"},
    {"POST", "/api/v1/enterprises/{id}/positive/offsite", RECORDERS, api_offsite_add, 0,
     "Record an off-site check of a listed enterprise"},
};

void positive_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
