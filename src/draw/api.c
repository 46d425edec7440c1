/*
** Draws over HTTP. Staff: plans (list, create, view with targets, remove a draft), the steps
** (commit, draw, reveal, publish: leaders and admins), the pool's counts, the snapshot,
** outcomes (the drawn inspectors), declarations of relationships (an inspector declares their
** own; leaders and admins for anyone). Targets are shown to inspectors, leaders and admins;
** other staff see a target only from its visit day. Public (no login): the plans past draft
** with their commitment, the snapshot, the seed once revealed, the results once published, and
** a server-side replay. Every write is one transaction with its audit row.
*/
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "core/util.h"
#include "draw/internal.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/entity.h"
#include "store/q_draw.h"

#define ENFORCEMENT (ROLE_ADMIN | ROLE_LEADER | ROLE_INSPECTOR)
#define PLANNERS (ROLE_ADMIN | ROLE_LEADER)
#define DRAW_LIST_MAX 500

static void now_iso(char out[32])
{
    time_iso(wall_ms() / 1000, out);
}

static struct draw_actor actor_of(struct req *r)
{
    return (struct draw_actor){r->who->user_id, r->who->username, r->request_id, r->ip,
                               r->who->role};
}

static int plan_not_found(struct req *r)
{
    return resp_error(r, 404, "not_found", "抽查计划不存在 / no such draw plan", "id");
}

static int api_plans(struct req *r)
{
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":");
    int rc = store_draw_plans_json(db, DRAW_LIST_MAX, &r->out);
    buf_putc(&r->out, '}');
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static bool is_date(const char *s)
{
    int32_t d;
    return s && strlen(s) == 10 && !calendar_date_parse(s, 10, &d);
}

static bool is_category(const char *s)
{
    return !strcmp(s, "key") || !strcmp(s, "special") || !strcmp(s, "general");
}

/* categories: an array of "key" | "special" | "general", into a comma list. */
static int read_categories(struct req *r, json_t *j, struct buf *out)
{
    json_t *a = json_object_get(j, "categories");
    if (!json_is_array(a) || !json_array_size(a) || json_array_size(a) > 3) {
        resp_error(r, 422, "invalid",
                   "请选择监管类别（重点、特殊、一般）/ choose the supervision categories",
                   "categories");
        return ERR_INPUT;
    }
    for (size_t i = 0; i < json_array_size(a); i++) {
        const char *c = json_string_value(json_array_get(a, i));
        if (!c || !is_category(c) || strstr(out->p ? out->p : "", c)) {
            resp_error(r, 422, "invalid",
                       "监管类别应为 key、special、general 且不重复 / categories are key, "
                       "special, general without repeats",
                       "categories");
            return ERR_INPUT;
        }
        buf_printf(out, "%s%s", i ? "," : "", c);
    }
    return 0;
}

static int plan_input(struct req *r, json_t *j, struct draw_plan_new *p, struct buf *cats)
{
    const char *keys[] = {"title", "period", "region_prefix", "visit_from", "visit_to"};
    const char **dst[] = {&p->title, &p->period, &p->region_prefix, &p->visit_from, &p->visit_to};
    const bool required[] = {false, true, false, true, true};
    for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
        if (json_get_str(r, j, keys[i], i ? 16 : 200, required[i], dst[i])) {
            return ERR_INPUT;
        }
    }
    p->title = p->title ? p->title : "";
    p->region_prefix = p->region_prefix ? p->region_prefix : "";
    size_t pl = strlen(p->period);
    bool period_ok = (pl == 4 || (pl == 6 && p->period[4] == 'Q' && p->period[5] >= '1' &&
                                  p->period[5] <= '4')) &&
                     strspn(p->period, "0123456789") == 4;
    if (!period_ok) {
        resp_error(r, 422, "invalid", "周期应为 2026Q4 或 2026 / period like 2026Q4 or 2026",
                   "period");
        return ERR_INPUT;
    }
    size_t rl = strlen(p->region_prefix);
    if (strspn(p->region_prefix, "0123456789") != rl || rl % 2 || rl > 6) {
        resp_error(r, 422, "invalid",
                   "区划前缀应为 0、2、4 或 6 位数字 / region prefix: 0, 2, 4 or 6 digits",
                   "region_prefix");
        return ERR_INPUT;
    }
    if (!is_date(p->visit_from) || !is_date(p->visit_to) ||
        strcmp(p->visit_from, p->visit_to) > 0) {
        resp_error(r, 422, "invalid",
                   "检查日期应为 YYYY-MM-DD，且起始不晚于截止 / visit dates YYYY-MM-DD, from <= to",
                   strcmp(p->visit_from ? p->visit_from : "", "") && is_date(p->visit_from)
                       ? "visit_to"
                       : "visit_from");
        return ERR_INPUT;
    }
    int32_t a = 0, b = 0;
    calendar_date_parse(p->visit_from, 10, &a);
    calendar_date_parse(p->visit_to, 10, &b);
    if (b - a > 366) {
        resp_error(r, 422, "invalid", "检查期限不超过一年 / the visit window is at most a year",
                   "visit_to");
        return ERR_INPUT;
    }
    json_t *unit = json_object_get(j, "org_unit_id");
    if (unit && !json_is_null(unit) && (!json_is_integer(unit) || json_integer_value(unit) < 0)) {
        resp_error(r, 422, "invalid", "org_unit_id 应为整数 / org_unit_id must be an integer",
                   "org_unit_id");
        return ERR_INPUT;
    }
    p->org_unit_id = json_is_integer(unit) ? json_integer_value(unit) : 0;
    if (read_categories(r, j, cats)) {
        return ERR_INPUT;
    }
    p->categories = cats->p;
    return 0;
}

static int plan_json_answer(struct req *r, int64_t id, int status)
{
    struct db *db = store_read(app.store);
    int rc = store_draw_plan_json(db, id, &r->out);
    store_release(app.store, db);
    if (rc == ERR_NOTFOUND) {
        buf_reset(&r->out);
        return plan_not_found(r);
    }
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, status);
}

static int api_plan_create(struct req *r)
{
    json_t *j;
    if (req_json_object(r, &j)) {
        return 0;
    }
    struct draw_plan_new p = {0};
    struct buf cats;
    buf_init(&cats, 64);
    int rc = plan_input(r, j, &p, &cats);
    int64_t id = 0;
    if (!rc) {
        p.created_by = r->who->user_id;
        char now[32];
        now_iso(now);
        struct db *db;
        rc = store_begin(app.store, &db);
        bool unit = true;
        if (!rc) {
            rc = p.org_unit_id ? store_draw_org_unit_exists(db, p.org_unit_id, &unit) : 0;
            rc = rc ? rc : !unit ? ERR_INPUT : store_draw_plan_insert(db, &p, now, &id);
            rc = rc ? rc : audit_write(r, db, "draw_plan", id, "create", NULL, NULL);
            rc = rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
        }
        if (rc == ERR_INPUT) {
            rc = resp_error(r, 422, "invalid", "组织机构不存在 / no such org unit", "org_unit_id");
        } else {
            rc = rc ? resp_err(r, rc, NULL, NULL) : plan_json_answer(r, id, 201);
        }
    } else {
        rc = 0; /* answered */
    }
    buf_release(&cats);
    json_decref(j);
    return rc;
}

static bool enforcement(const struct req *r)
{
    return (r->who->role & ENFORCEMENT) != 0;
}

static int api_plan_get(struct req *r)
{
    int64_t id = req_id(r, 0);
    char today[11];
    draw_today(today);
    struct db *db = store_read(app.store);
    int rc = id > 0 ? store_draw_plan_json(db, id, &r->out) : ERR_NOTFOUND;
    if (!rc) {
        r->out.len--; /* reopen the object */
        buf_printf(&r->out, ",\"targets_hidden_until_visit\":%s,",
                   enforcement(r) ? "false" : "true");
        rc = store_draw_targets_json(db, id, enforcement(r) ? "9999-12-31" : today, &r->out);
        buf_putc(&r->out, '}');
    }
    store_release(app.store, db);
    if (rc == ERR_NOTFOUND) {
        buf_reset(&r->out);
        return plan_not_found(r);
    }
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int api_plan_delete(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct buf before;
    buf_init(&before, 1 << 16);
    rc = id > 0 ? store_draw_plan_json(db, id, &before) : ERR_NOTFOUND;
    rc = rc ? rc : audit_write(r, db, "draw_plan", id, "delete", before.p, NULL);
    rc = rc ? rc : store_draw_plan_delete(db, id);
    buf_release(&before);
    if (rc) {
        store_rollback(app.store, db);
        return rc == ERR_NOTFOUND ? plan_not_found(r)
               : rc == ERR_CONFLICT
                   ? resp_error(r, 409, "not_draft",
                                "只能删除草稿计划 / only a draft plan can be removed", "state")
                   : resp_err(r, rc, NULL, NULL);
    }
    rc = store_commit(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_empty(r);
}

typedef int (*step_fn)(struct db *db, int64_t id, const struct draw_actor *who, const char *now,
                       char *err, size_t cap);

static int run_step(struct req *r, step_fn fn)
{
    int64_t id = req_id(r, 0);
    char now[32], err[600] = "";
    now_iso(now);
    struct draw_actor who = actor_of(r);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    rc = id > 0 ? fn(db, id, &who, now, err, sizeof err) : ERR_NOTFOUND;
    rc = rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
    if (rc == ERR_NOTFOUND && !err[0]) {
        return plan_not_found(r);
    }
    if (rc == ERR_CONFLICT) {
        return resp_error(r, 409, "wrong_state", err[0] ? err : "状态已变化 / state changed",
                          "state");
    }
    if (rc == ERR_INPUT || rc == ERR_NOTFOUND) {
        return resp_error(r, 422, "invalid", err, "plan");
    }
    return rc ? resp_err(r, rc, NULL, NULL) : plan_json_answer(r, id, 200);
}

static int api_plan_commit(struct req *r)
{
    return run_step(r, draw_plan_commit);
}
static int api_plan_draw(struct req *r)
{
    return run_step(r, draw_plan_draw);
}
static int api_plan_reveal(struct req *r)
{
    return run_step(r, draw_plan_reveal);
}
static int api_plan_publish(struct req *r)
{
    return run_step(r, draw_plan_publish);
}

/* The snapshot file, for staff and the public alike once committed. */
static int snapshot_answer(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct draw_plan_row p = {0};
    struct db *db = store_read(app.store);
    int rc = id > 0 ? store_draw_plan_get(db, id, &p) : ERR_NOTFOUND;
    store_release(app.store, db);
    if (!rc && !strcmp(p.state, "draft")) {
        rc = ERR_NOTFOUND;
    }
    if (!rc) {
        buf_append(&r->out, p.snapshot, p.snapshot_len);
        r->status = 200;
        r->resp_type = "text/plain; charset=utf-8";
        char *name = arena_printf(r->a, "draw-plan-%lld-snapshot.tsv", (long long)id);
        resp_header(r, "Content-Disposition", entity_disposition(r, name, name));
        resp_header(r, "X-Snapshot-SHA256", arena_strdup(r->a, p.snapshot_sha256));
    }
    store_draw_plan_free(&p);
    if (rc == ERR_NOTFOUND) {
        return resp_error(r, 404, "not_found",
                          "该计划尚未提交承诺，没有快照 / no snapshot: the plan is not committed",
                          "id");
    }
    return rc ? resp_err(r, rc, NULL, NULL) : 0;
}

static int api_pool(struct req *r)
{
    const char *prefix = req_query(r, "region_prefix");
    prefix = prefix ? prefix : "";
    if (strlen(prefix) > 6 || strspn(prefix, "0123456789") != strlen(prefix)) {
        return resp_error(r, 422, "invalid", "区划前缀应为数字 / region prefix: digits",
                          "region_prefix");
    }
    char today[11];
    draw_today(today);
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":");
    int rc = store_draw_pool_counts_json(db, prefix, today, &r->out);
    buf_putc(&r->out, '}');
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int api_outcome(struct req *r)
{
    int64_t id = req_id(r, 0);
    json_t *j;
    if (req_json_object(r, &j)) {
        return 0;
    }
    const char *outcome = NULL, *note = NULL;
    if (json_get_str(r, j, "outcome", 32, true, &outcome) ||
        json_get_str(r, j, "note", 4000, false, &note)) {
        json_decref(j);
        return 0;
    }
    if (!draw_outcome_valid(outcome)) {
        json_decref(j);
        return resp_error(r, 422, "invalid",
                          "结果应为 no_problem、problems_found 或 could_not_inspect / outcome "
                          "is no_problem, problems_found or could_not_inspect",
                          "outcome");
    }
    /* The request's JSON is released below; the answer still names the outcome. */
    outcome = arena_strdup(r->a, outcome);
    note = note ? arena_strdup(r->a, note) : "";
    char now[32], err[600] = "";
    now_iso(now);
    struct draw_actor who = actor_of(r);
    const char *field = NULL;
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (!rc) {
        rc = id > 0 ? draw_outcome_record(db, id, outcome, note, &who, now, &field, err, sizeof err)
                    : ERR_NOTFOUND;
        rc = rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
    }
    json_decref(j);
    if (rc == ERR_NOTFOUND && !err[0]) {
        return resp_error(r, 404, "not_found", "抽中对象不存在 / no such target", "id");
    }
    if (rc == ERR_INPUT || rc == ERR_CONFLICT || rc == ERR_FORBIDDEN || rc == ERR_NOTFOUND) {
        int status = rc == ERR_INPUT       ? 422
                     : rc == ERR_CONFLICT  ? 409
                     : rc == ERR_FORBIDDEN ? 403
                                           : 422;
        return resp_error(r, status, status == 403 ? "forbidden" : "invalid", err,
                          field ? field : "outcome");
    }
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    buf_printf(&r->out, "{\"id\":%lld,\"outcome\":\"%s\"}", (long long)id, outcome);
    return resp_json(r, 200);
}

/* ---------------- declarations ---------------- */

static int api_declarations(struct req *r)
{
    bool all = (r->who->role & PLANNERS) != 0;
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":");
    int rc = store_draw_declarations_json(db, all ? 0 : r->who->user_id, DRAW_LIST_MAX, &r->out);
    buf_putc(&r->out, '}');
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

/* The active inspectors, for declaring on someone's behalf (leaders may not list users). */
static int api_inspectors(struct req *r)
{
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":");
    int rc = store_draw_inspectors_json(db, 5000, &r->out);
    buf_putc(&r->out, '}');
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int api_declaration_create(struct req *r)
{
    json_t *j;
    if (req_json_object(r, &j)) {
        return 0;
    }
    const char *reason = NULL;
    json_t *ju = json_object_get(j, "user_id"), *je = json_object_get(j, "enterprise_id");
    int64_t user = json_is_integer(ju) ? json_integer_value(ju) : r->who->user_id;
    int64_t ent = json_is_integer(je) ? json_integer_value(je) : 0;
    int rc = json_get_str(r, j, "reason", 1000, true, &reason);
    if (rc) {
        json_decref(j);
        return 0;
    }
    const char *bad = NULL, *msg = NULL;
    if (!reason[0]) {
        bad = "reason", msg = "请说明关系 / say what the relationship is";
    } else if (user != r->who->user_id && !(r->who->role & PLANNERS)) {
        bad = "user_id", msg = "只能申报本人的关系 / you may declare only your own relationships";
    }
    char role[24] = "", now[32];
    bool exists = false;
    struct db *db = NULL;
    int64_t id = 0;
    now_iso(now);
    if (!bad && !(rc = store_begin(app.store, &db))) {
        rc = store_draw_user_role(db, user, role);
        if (rc == ERR_NOTFOUND || (!rc && strcmp(role, "inspector"))) {
            bad = "user_id", msg = "不是在职的执法人员 / not an active inspector", rc = 0;
        }
        rc = rc || bad ? rc : store_draw_enterprise_exists(db, ent, &exists);
        if (!rc && !bad && !exists) {
            bad = "enterprise_id", msg = "企业不存在 / no such enterprise";
        }
        rc = rc || bad
                 ? rc
                 : store_draw_declaration_insert(db, user, ent, reason, r->who->user_id, now, &id);
        rc = rc || bad ? rc : audit_write(r, db, "draw_declaration", id, "create", NULL, NULL);
        rc = rc || bad ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
    }
    json_decref(j);
    if (bad) {
        return resp_error(r, 422, "invalid", msg, bad);
    }
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    buf_printf(&r->out, "{\"id\":%lld,\"user_id\":%lld,\"enterprise_id\":%lld}", (long long)id,
               (long long)user, (long long)ent);
    return resp_json(r, 201);
}

static int api_declaration_withdraw(struct req *r)
{
    int64_t id = req_id(r, 0);
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    rc = id > 0 ? store_draw_declaration_withdraw(
                      db, id, (r->who->role & PLANNERS) ? 0 : r->who->user_id, r->who->user_id, now)
                : ERR_NOTFOUND;
    rc = rc ? rc : audit_write(r, db, "draw_declaration", id, "withdraw", NULL, NULL);
    rc = rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
    if (rc == ERR_NOTFOUND) {
        return resp_error(r, 404, "not_found",
                          "没有该项有效申报 / no standing declaration with that id", "id");
    }
    return rc ? resp_err(r, rc, NULL, NULL) : resp_empty(r);
}

/* ---------------- public ---------------- */

static int api_public_plans(struct req *r)
{
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":");
    int rc = store_draw_public_plans_json(db, DRAW_LIST_MAX, &r->out);
    buf_putc(&r->out, '}');
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

/* The public view of a plan: commitment, seed once revealed, results once published. */
static int api_public_plan(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db = store_read(app.store);
    struct draw_plan_row p = {0};
    int rc = id > 0 ? store_draw_plan_get(db, id, &p) : ERR_NOTFOUND;
    if (!rc && !strcmp(p.state, "draft")) {
        rc = ERR_NOTFOUND;
    }
    if (!rc) {
        bool revealed = !strcmp(p.state, "revealed") || !strcmp(p.state, "published");
        buf_printf(&r->out, "{\"id\":%lld", (long long)p.id);
        const char *keys[] = {"title",           "period",     "region_prefix", "categories",
                              "state",           "visit_from", "visit_to",      "seed_sha256",
                              "snapshot_sha256", "publish_due"};
        const char *vals[] = {p.title,           p.period,     p.region_prefix, p.categories,
                              p.state,           p.visit_from, p.visit_to,      p.seed_sha256,
                              p.snapshot_sha256, p.publish_due};
        for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
            json_kv_str(&r->out, keys[i], vals[i], true);
        }
        json_kv_str(&r->out, "seed", revealed ? p.seed_hex : NULL, true);
        json_kv_int(&r->out, "n_pool", p.n_pool, true);
        json_kv_int(&r->out, "n_targets", p.n_targets, true);
        buf_puts(&r->out, ",\"results\":");
        rc = !strcmp(p.state, "published") ? store_draw_public_results_json(db, id, &r->out)
                                           : (buf_puts(&r->out, "null"), 0);
        buf_putc(&r->out, '}');
    }
    store_release(app.store, db);
    store_draw_plan_free(&p);
    if (rc == ERR_NOTFOUND) {
        buf_reset(&r->out);
        return resp_error(r, 404, "not_found", "没有已提交的该抽查计划 / no such committed plan",
                          "id");
    }
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

/* Server-side replay of a revealed plan from its stored snapshot and seed. */
static int api_public_replay(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db = store_read(app.store);
    struct draw_plan_row p = {0};
    int rc = id > 0 ? store_draw_plan_get(db, id, &p) : ERR_NOTFOUND;
    store_release(app.store, db);
    bool revealed = !rc && (!strcmp(p.state, "revealed") || !strcmp(p.state, "published"));
    if (!rc && !revealed) {
        store_draw_plan_free(&p);
        return resp_error(r, 409, "not_revealed", "种子尚未公开 / the seed is not revealed yet",
                          "state");
    }
    struct buf lines;
    buf_init(&lines, 64 << 20);
    char err[400] = "";
    rc =
        rc ? rc : draw_replay_text(p.snapshot, p.snapshot_len, p.seed_hex, &lines, err, sizeof err);
    if (!rc) {
        buf_puts(&r->out, "{\"targets\":[");
        size_t n = 0;
        for (char *s = lines.p, *line; s && (line = strsep(&s, "\n")) && *line; n++) {
            long long seq, ent;
            char cat[16] = "", insp[400] = "";
            sscanf(line, "%lld\t%lld\t%15[^\t]\t%399[^\n]", &seq, &ent, cat, insp);
            buf_printf(&r->out,
                       "%s{\"seq\":%lld,\"enterprise_id\":%lld,\"category\":\"%s\","
                       "\"inspectors\":[%s]}",
                       n ? "," : "", seq, ent, cat, insp);
        }
        buf_puts(&r->out, "]}");
    }
    buf_release(&lines);
    store_draw_plan_free(&p);
    if (rc == ERR_NOTFOUND) {
        return resp_error(r, 404, "not_found", "抽查计划不存在 / no such draw plan", "id");
    }
    return rc ? resp_error(r, 500, "replay_failed", err, NULL) : resp_json(r, 200);
}

static const struct route routes[] = {
    {"GET", "/api/v1/draw/plans", ROLES_STAFF, api_plans, 0, "Draw plans (双随机抽查计划)"},
    {"POST", "/api/v1/draw/plans", PLANNERS, api_plan_create, 0, "Create a draw plan (draft)"},
    {"GET", "/api/v1/draw/plans/{id}", ROLES_STAFF, api_plan_get, 0,
     "A draw plan with its targets (hidden from non-enforcement roles until the visit day)"},
    {"DELETE", "/api/v1/draw/plans/{id}", PLANNERS, api_plan_delete, 0, "Remove a draft plan"},
    {"POST", "/api/v1/draw/plans/{id}/commit", PLANNERS, api_plan_commit, 0,
     "Commit: secret seed, its SHA-256 and the input snapshot"},
    {"POST", "/api/v1/draw/plans/{id}/draw", PLANNERS, api_plan_draw, 0,
     "Draw targets and inspectors; open the inspection cases"},
    {"POST", "/api/v1/draw/plans/{id}/reveal", PLANNERS, api_plan_reveal, 0,
     "Reveal the seed (from the last visit day)"},
    {"POST", "/api/v1/draw/plans/{id}/publish", PLANNERS, api_plan_publish, 0,
     "Publish the results (一公开)"},
    {"GET", "/api/v1/draw/plans/{id}/snapshot", ROLES_STAFF, snapshot_answer, 0,
     "The plan's input snapshot (text)"},
    {"GET", "/api/v1/draw/pool", ROLES_STAFF, api_pool, 0,
     "Pool counts by category, credit grade and positive list"},
    {"POST", "/api/v1/draw/targets/{id}/outcome", ROLE_INSPECTOR, api_outcome, 0,
     "Record an inspection's outcome (a drawn inspector)"},
    {"GET", "/api/v1/draw/inspectors", PLANNERS, api_inspectors, 0,
     "Active inspectors (for declarations on their behalf)"},
    {"GET", "/api/v1/draw/declarations", ENFORCEMENT, api_declarations, 0,
     "Declared inspector–enterprise relationships (recusal)"},
    {"POST", "/api/v1/draw/declarations", ENFORCEMENT, api_declaration_create, 0,
     "Declare a relationship with an enterprise"},
    {"DELETE", "/api/v1/draw/declarations/{id}", ENFORCEMENT, api_declaration_withdraw, 0,
     "Withdraw a declaration"},
    {"GET", "/api/v1/public/draw/plans", 0, api_public_plans, RF_PUBLIC,
     "Public: committed draw plans"},
    {"GET", "/api/v1/public/draw/plans/{id}", 0, api_public_plan, RF_PUBLIC,
     "Public: a plan's commitment, revealed seed and published results"},
    {"GET", "/api/v1/public/draw/plans/{id}/snapshot", 0, snapshot_answer, RF_PUBLIC,
     "Public: a plan's input snapshot (text)"},
    {"GET", "/api/v1/public/draw/plans/{id}/replay", 0, api_public_replay, RF_PUBLIC,
     "Public: the server's replay of a revealed plan"},
};

void draw_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}

/* The 工作台's draw figures for the enforcement roles: the caller's drawn visits without an
   outcome (due today or before, due within a week) and, for the planners, the plans under way
   and those whose results must be published within a week. The targets themselves stay on
   the plan and case pages, which keep them from other roles until the visit day. */
int draw_dashboard(struct req *r, struct db *db, struct buf *out)
{
    if (!(r->who->role & ENFORCEMENT)) {
        return 0;
    }
    int64_t now = wall_ms() / 1000;
    char today[11], soon[11];
    date_cn(now, today);
    date_cn(now + 7 * 86400, soon);
    return store_draw_dashboard(db, r->who->user_id, today, soon, (r->who->role & PLANNERS) != 0,
                                out);
}
