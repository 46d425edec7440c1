/*
** HTTP routes of inspections (/api/v1/inspect/…, /api/v1/alarms/{id}/inspect-task). Who may do
** what (docs/internals/inspect.md):
**   list and read tasks: staff in their area (a task's own inspectors wherever it is; a draw's
**     task hidden from other staff until its visit day); an enterprise user its own firm's tasks
**     once visited;
**   create a task (by hand, from an alarm): admin, leader, inspector (an alarm's also monitor);
**   record the visit: the task's inspectors; turn a finding into a rectification order: the
**     task's inspectors, leaders, admins;
**   campaigns: staff read; admin, leader, inspector run the steps; the target firm returns its
**     self-check.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "credit/credit.h"
#include "http/json.h"
#include "inspect/inspect_int.h"
#include "platform/app.h"
#include "platform/entity.h"
#include "rectify/rectify.h"
#include "rules/rules.h"
#include "store/q_inspect.h"

#define OFFICERS (ROLE_ADMIN | ROLE_LEADER | ROLE_INSPECTOR)
#define ALARM_TASKERS (OFFICERS | ROLE_MONITOR)
#define TEXT_MAX 2000
#define UUID_MAX 64

static void today_cn(char out[11])
{
    date_cn(wall_ms() / 1000, out);
}

static void now_iso(char out[32])
{
    time_iso(wall_ms() / 1000, out);
}

static struct case_actor actor_of(struct req *r)
{
    return (struct case_actor){
        r->who->user_id, r->who->display_name, r->who->role, r->request_id, r->ip, false};
}

/* A refusal of the module's functions as the API's answer: 422 / 403 / 409 / 404. */
static void refusal(struct req *r, int rc, const char *field, const char *why)
{
    if (r->status) {
        return;
    }
    const char *msg = why && *why ? arena_strdup(r->a, why) : NULL;
    const char *f = field && *field ? arena_strdup(r->a, field) : NULL;
    switch (rc) {
    case ERR_INPUT: resp_error(r, 422, "invalid", msg ? msg : "输入有误 / invalid input", f); break;
    case ERR_FORBIDDEN:
        resp_error(r, 403, "forbidden", msg ? msg : "无权操作 / forbidden", f);
        break;
    case ERR_CONFLICT:
        resp_error(r, 409, "conflict", msg ? msg : "状态不允许 / conflict", f);
        break;
    case ERR_NOTFOUND: resp_error(r, 404, "not_found", msg ? msg : "不存在 / not found", f); break;
    default: break;
    }
}

static int json_id_opt(struct req *r, json_t *in, const char *key, int64_t *out)
{
    json_t *v = json_object_get(in, key);
    *out = 0;
    if (!v || json_is_null(v)) {
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        resp_error(r, 422, "invalid", "须为正整数 / must be a positive integer", key);
        return ERR_INPUT;
    }
    *out = json_integer_value(v);
    return 0;
}

static int json_text(struct req *r, json_t *in, const char *key, size_t max, bool required,
                     const char **out)
{
    int rc = json_get_str(r, in, key, max, required, out);
    if (!rc && required && !**out) {
        resp_error(r, 422, "required", "必填 / required", key);
        return ERR_INPUT;
    }
    if (!rc && *out) {
        *out = arena_strdup(r->a, *out); /* outlives the request's JSON */
    }
    return rc;
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

/* A staff user in scope of the enterprise, or the task's own inspector. */
static int task_visible(struct req *r, struct db *db, const struct inspect_task_row *t)
{
    bool scope_ok = store_scope_allows(&r->who->scope, t->enterprise_id, t->region_code);
    return inspect_task_visible(db, t->id, r->who, scope_ok) ? 0 : ERR_NOTFOUND;
}

/* ---------------- tasks ---------------- */

static int api_tasks(struct req *r)
{
    static const char *const STATUS[] = {"scheduled", "awaiting_approval", "done", "not_approved"};
    const char *status = req_query(r, "status"), *source = req_query(r, "source_kind");
    bool ok = !status || !*status;
    for (size_t i = 0; !ok && i < ARRAY_LEN(STATUS); i++) {
        ok = !strcmp(status, STATUS[i]);
    }
    if (!ok) {
        return resp_error(r, 422, "invalid",
                          "status 须为 scheduled、awaiting_approval、done 或 not_approved",
                          "status");
    }
    if (source && *source && !inspect_source_valid(source)) {
        return resp_error(r, 422, "invalid",
                          "source_kind 须为 draw、alarm、complaint、campaign、manual 或 patrol",
                          "source_kind");
    }
    int64_t limit = query_int(r, "limit", 50, 1, 500),
            offset = query_int(r, "offset", 0, 0, 1000000);
    int64_t campaign = query_int(r, "campaign_id", 0, 1, INT64_MAX);
    int64_t ent = query_int(r, "enterprise_id", 0, 1, INT64_MAX);
    int64_t case_id = query_int(r, "case_id", 0, 1, INT64_MAX);
    if (limit < 0 || offset < 0 || campaign < 0 || ent < 0 || case_id < 0) {
        const char *f = limit < 0      ? "limit"
                        : offset < 0   ? "offset"
                        : campaign < 0 ? "campaign_id"
                        : ent < 0      ? "enterprise_id"
                                       : "case_id";
        return resp_error(r, 422, "invalid", "须为范围内的整数 / an integer in range", f);
    }
    char today[11];
    today_cn(today);
    const char *mine = req_query(r, "mine");
    unsigned role = r->who->role;
    struct inspect_task_query q = {
        .sc = &r->who->scope,
        .user_id = r->who->user_id,
        .mine = mine && !strcmp(mine, "1"),
        .only_done = role == ROLE_ENTERPRISE,
        .hide_future_draw = !(role & (ROLE_INSPECTOR | ROLE_LEADER | ROLE_ADMIN)),
        .status = status,
        .source_kind = source,
        .today = today,
        .campaign_id = campaign,
        .enterprise_id = ent,
        .case_id = case_id,
        .limit = (size_t)limit,
        .offset = (size_t)offset,
    };
    struct db *db = store_read(app.store);
    int rc = store_inspect_tasks_json(db, &q, &r->out);
    return entity_finish_read(r, db, rc);
}

static int create_common(struct req *r, struct db *db, struct inspect_task_input *in,
                         json_t *inspectors, int64_t *task_id, int64_t *case_id)
{
    struct case_actor who = actor_of(r);
    char now[32], why[600] = "";
    now_iso(now);
    const char *field = NULL;
    int rc = entity_enterprise_visible(r, db, in->enterprise_id);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "企业不存在 / no such enterprise", "enterprise_id");
        return rc;
    }
    rc =
        rc ? rc : inspect_task_create(db, in, &who, now, task_id, case_id, &field, why, sizeof why);
    if (rc) {
        refusal(r, rc, field, why);
        return rc;
    }
    size_t i;
    json_t *v;
    if (json_array_size(inspectors) > 20) {
        resp_error(r, 422, "invalid", "检查人员最多 20 名 / at most 20 inspectors",
                   "inspector_ids");
        return ERR_INPUT;
    }
    json_array_foreach (inspectors, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) <= 0) {
            resp_error(r, 422, "invalid", "须为用户编号 / user ids", "inspector_ids");
            return ERR_INPUT;
        }
        rc = inspect_task_add_inspector(db, *task_id, json_integer_value(v));
        if (rc) {
            resp_error(r, 422, "invalid", "须为在岗的执法人员 / must be active inspectors",
                       "inspector_ids");
            return ERR_INPUT;
        }
    }
    return 0;
}

static int task_created(struct req *r, struct db *db, int64_t task_id, int64_t case_id)
{
    struct inspect_task_row t;
    int rc = store_inspect_task_get(db, task_id, &t);
    if (!rc) {
        buf_printf(&r->out, "{\"id\":%lld,\"case_id\":%lld,\"status\":\"%s\"}", (long long)task_id,
                   (long long)case_id, t.status);
    }
    return rc;
}

static int api_task_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct inspect_task_input ti = {0};
    const char *src = NULL;
    int64_t ent = 0;
    json_t *insp = json_object_get(in, "inspector_ids");
    int bad = json_id_opt(r, in, "enterprise_id", &ent) ||
              json_text(r, in, "source_kind", 16, false, &src) ||
              json_id_opt(r, in, "source_id", &ti.source_id) ||
              json_text(r, in, "purpose", 31, false, &ti.purpose) ||
              json_text(r, in, "level", 16, false, &ti.level) ||
              json_text(r, in, "planned_on", 10, true, &ti.planned_on) ||
              json_id_opt(r, in, "lead_user_id", &ti.lead_user_id) ||
              json_id_opt(r, in, "campaign_id", &ti.campaign_id) ||
              json_text(r, in, "title", 300, false, &ti.title);
    if (!bad && ent <= 0) {
        bad =
            resp_error(r, 422, "required", "须为正整数 / a positive integer", "enterprise_id") || 1;
    }
    if (!bad && insp && !json_is_array(insp)) {
        bad = resp_error(r, 422, "invalid", "须为用户编号数组 / an array of user ids",
                         "inspector_ids") ||
              1;
    }
    src = src && *src ? src : "manual";
    if (!bad && (!strcmp(src, "draw") || !strcmp(src, "alarm") || !strcmp(src, "campaign"))) {
        bad = resp_error(r, 422, "invalid",
                         "双随机、报警和专项行动的任务由其页面生成 / draw, alarm and campaign "
                         "tasks come from their own pages",
                         "source_kind") ||
              1;
    }
    if (bad) {
        json_decref(in);
        return 0;
    }
    ti.enterprise_id = ent;
    ti.source_kind = src;
    if (!ti.purpose || !*ti.purpose) {
        ti.purpose = !strcmp(src, "complaint") ? "complaint" : "routine";
    }
    ti.level = ti.level && *ti.level ? ti.level : "enforcement";
    if (!ti.lead_user_id && r->who->role == ROLE_INSPECTOR) {
        ti.lead_user_id = r->who->user_id;
    }
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t task_id = 0, case_id = 0;
    rc = create_common(r, db, &ti, insp, &task_id, &case_id);
    json_decref(in);
    rc = rc ? rc : task_created(r, db, task_id, case_id);
    return entity_finish_write(r, db, rc, 201);
}

static int api_alarm_task(struct req *r)
{
    int64_t alarm = req_id(r, 0);
    json_t *in = NULL;
    if (r->body.len && req_json_object(r, &in)) {
        return 0;
    }
    struct inspect_task_input ti = {
        .source_kind = "alarm", .source_id = alarm, .purpose = "alarm", .level = "enforcement"};
    char today[11];
    today_cn(today);
    json_t *insp = in ? json_object_get(in, "inspector_ids") : NULL;
    if (in && (json_text(r, in, "planned_on", 10, false, &ti.planned_on) ||
               json_id_opt(r, in, "lead_user_id", &ti.lead_user_id) ||
               json_text(r, in, "title", 300, false, &ti.title))) {
        json_decref(in);
        return 0;
    }
    if (insp && !json_is_array(insp)) {
        json_decref(in);
        return resp_error(r, 422, "invalid", "须为用户编号数组 / an array of user ids",
                          "inspector_ids");
    }
    ti.planned_on = ti.planned_on && *ti.planned_on ? ti.planned_on : arena_strdup(r->a, today);
    if (!ti.lead_user_id && r->who->role == ROLE_INSPECTOR) {
        ti.lead_user_id = r->who->user_id;
    }
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    char kind[32], point[128], title[400];
    rc = alarm > 0 ? store_inspect_alarm(db, alarm, &ti.enterprise_id, kind, point) : ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "报警不存在 / no such alarm", "id");
    }
    if (!rc && (!ti.title || !*ti.title)) {
        snprintf(title, sizeof title, "报警核查 · %s · 报警 #%lld", point, (long long)alarm);
        ti.title = title;
    }
    int64_t task_id = 0, case_id = 0;
    rc = rc ? rc : create_common(r, db, &ti, insp, &task_id, &case_id);
    json_decref(in);
    rc = rc ? rc : task_created(r, db, task_id, case_id);
    return entity_finish_write(r, db, rc, 201);
}

/* The checklist of the task's enterprise type in force, with its rule-set version. */
static int checklist_json(struct db *db, const struct inspect_task_row *t, struct buf *out)
{
    char today[11];
    today_cn(today);
    json_t *body = NULL;
    const json_t *cl = NULL;
    struct rule_ref ref = {0};
    int rc = inspect_checklist_for(db, t->region_code, t->industry_code, today, &body, &cl, &ref);
    if (rc == ERR_NOTFOUND) {
        buf_puts(out, ",\"checklist\":null");
        return 0;
    }
    if (rc) {
        return rc;
    }
    char *s = json_dumps(cl, JSON_COMPACT);
    buf_printf(out, ",\"checklist\":%s,\"checklist_rule\":{\"id\":%lld,\"version\":%d}",
               s ? s : "null", (long long)ref.id, ref.version);
    free(s);
    json_decref(body);
    return 0;
}

static int api_task(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db = store_read(app.store);
    struct inspect_task_row t;
    int rc = id > 0 ? store_inspect_task_get(db, id, &t) : ERR_NOTFOUND;
    rc = rc ? rc : task_visible(r, db, &t);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "检查任务不存在 / no such task", "id");
    }
    bool mine = false;
    rc = rc ? rc : store_inspect_is_inspector(db, id, r->who->user_id, &mine);
    rc = rc ? rc : store_inspect_task_json(db, id, r->who->role != ROLE_ENTERPRISE, &r->out);
    if (!rc && r->who->role != ROLE_ENTERPRISE) {
        rc = checklist_json(db, &t, &r->out);
    }
    rc = rc ? rc : store_inspect_visit_json(db, id, &r->out);
    if (!rc) {
        bool can = r->who->role == ROLE_INSPECTOR && (mine || !t.lead_user_id) &&
                   !strcmp(t.status, "scheduled");
        buf_printf(&r->out, ",\"can_visit\":%s,\"is_inspector\":%s}", can ? "true" : "false",
                   mine ? "true" : "false");
    }
    return entity_finish_read(r, db, rc);
}

static int api_visit(struct req *r)
{
    int64_t id = req_id(r, 0);
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct inspect_visit_in v = {.task_id = id};
    if (json_text(r, in, "uuid", UUID_MAX, true, &v.uuid) ||
        json_text(r, in, "outcome", 24, true, &v.outcome) ||
        json_text(r, in, "note", TEXT_MAX, false, &v.note)) {
        json_decref(in);
        return 0;
    }
    for (const char *p = v.uuid; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              *p == '-')) {
            json_decref(in);
            return resp_error(r, 422, "invalid", "须为字母、数字和连字符 / letters, digits, -",
                              "uuid");
        }
    }
    v.answers = json_object_get(in, "answers");
    v.findings = json_object_get(in, "findings");
    char now[32], why[600] = "", field[160] = "";
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    struct inspect_task_row t;
    rc = id > 0 ? store_inspect_task_get(db, id, &t) : ERR_NOTFOUND;
    rc = rc ? rc : task_visible(r, db, &t);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "检查任务不存在 / no such task", "id");
    }
    struct case_actor who = actor_of(r);
    struct inspect_visit_out out;
    rc = rc ? rc
            : inspect_visit_submit(db, &v, &who, now, &out, field, sizeof field, why, sizeof why);
    json_decref(in); /* the visit copied what it keeps */
    if (rc) {
        refusal(r, rc, field, why);
    } else {
        buf_printf(&r->out, "{\"visit_id\":%lld,\"replayed\":%s", (long long)out.visit_id,
                   out.replayed ? "true" : "false");
        if (!out.replayed) {
            buf_printf(&r->out, ",\"outcome\":\"%s\",\"problems\":%zu", out.outcome,
                       out.n_problems);
        }
        buf_putc(&r->out, '}');
    }
    return entity_finish_write(r, db, rc, rc ? 0 : out.replayed ? 200 : 201);
}

/* A finding of the visit turned into a rectification order (整改通知). */
static int api_task_order(struct req *r)
{
    int64_t id = req_id(r, 0);
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    int64_t problem = 0, workdays = 0, verifier = 0;
    const char *requirement;
    json_t *wd = json_object_get(in, "workdays");
    if (json_id_opt(r, in, "problem_id", &problem) ||
        json_text(r, in, "requirement", TEXT_MAX, true, &requirement) ||
        json_id_opt(r, in, "verifier_user_id", &verifier)) {
        json_decref(in);
        return 0;
    }
    if (wd && !json_is_null(wd)) {
        if (!json_is_integer(wd) || json_integer_value(wd) <= 0 || json_integer_value(wd) > 365) {
            json_decref(in);
            return resp_error(r, 422, "invalid", "须为 1–365 的工作日数 / 1–365 working days",
                              "workdays");
        }
        workdays = json_integer_value(wd);
    }
    json_decref(in);
    if (problem <= 0) {
        return resp_error(r, 422, "required", "须为正整数 / a positive integer", "problem_id");
    }
    char now[32], why[600] = "";
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct inspect_task_row t;
    rc = id > 0 ? store_inspect_task_get(db, id, &t) : ERR_NOTFOUND;
    rc = rc ? rc : task_visible(r, db, &t);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "检查任务不存在 / no such task", "id");
    }
    bool mine = false, of = false;
    rc = rc ? rc : store_inspect_is_inspector(db, id, r->who->user_id, &mine);
    if (!rc && r->who->role == ROLE_INSPECTOR && !mine) {
        rc = ERR_FORBIDDEN;
        resp_error(r, 403, "forbidden",
                   "只有本任务的检查人员可以下达整改 / only the task's inspectors may order "
                   "rectification",
                   "id");
    }
    rc = rc ? rc : store_inspect_finding_of(db, id, problem, &of);
    if (!rc && !of) {
        rc = ERR_INPUT;
        resp_error(r, 422, "invalid", "不是本次检查发现的问题 / not a finding of this visit",
                   "problem_id");
    }
    struct case_actor who = actor_of(r);
    struct rectify_order_input oi = {.enterprise_id = t.enterprise_id,
                                     .problem_id = problem,
                                     .origin = "problem",
                                     .requirement = requirement,
                                     .workdays = (int)workdays,
                                     .verifier_user_id = verifier ? verifier : r->who->user_id};
    int64_t order_id = 0, case_id = 0;
    const char *field = NULL;
    rc = rc ? rc : rectify_order_open(db, &oi, &who, now, &order_id, &case_id, &field);
    if (rc) {
        refusal(r, rc, field, why[0] ? why : NULL);
    } else {
        buf_printf(&r->out, "{\"order_id\":%lld,\"case_id\":%lld}", (long long)order_id,
                   (long long)case_id);
    }
    return entity_finish_write(r, db, rc, 201);
}

/* ---------------- campaigns (专项行动, 五步工作法) ---------------- */

static int campaign_audit(struct db *db, struct req *r, int64_t id, const char *action,
                          const char *after)
{
    struct audit_entry a = {.actor_id = r->who->user_id,
                            .actor = r->who->display_name,
                            .entity = "inspect_campaign",
                            .entity_id = id,
                            .action = action,
                            .after_json = after,
                            .request_id = r->request_id,
                            .ip = r->ip};
    return store_audit_add(db, &a);
}

static bool date_ok(const char *s)
{
    int y, m, d;
    return s && strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
           sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int api_campaigns(struct req *r)
{
    struct db *db = store_read(app.store);
    int rc =
        store_inspect_campaigns_json(db, &r->who->scope, r->who->role == ROLE_ENTERPRISE, &r->out);
    return entity_finish_read(r, db, rc);
}

static int api_campaign_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct inspect_campaign_new n = {.created_by = r->who->user_id};
    const char *category = NULL;
    json_t *ents = json_object_get(in, "enterprise_ids");
    if (json_text(r, in, "title", 200, true, &n.title) ||
        json_text(r, in, "region_prefix", 12, false, &n.region_prefix) ||
        json_text(r, in, "plan", 20000, true, &n.plan) ||
        json_text(r, in, "selfcheck_due", 10, true, &n.selfcheck_due) ||
        json_text(r, in, "visit_from", 10, true, &n.visit_from) ||
        json_text(r, in, "visit_to", 10, true, &n.visit_to) ||
        json_text(r, in, "category", 16, false, &category)) {
        json_decref(in);
        return 0;
    }
    const char *bad = !date_ok(n.selfcheck_due) ? "selfcheck_due"
                      : !date_ok(n.visit_from)  ? "visit_from"
                      : !date_ok(n.visit_to) || strcmp(n.visit_to, n.visit_from) < 0 ? "visit_to"
                      : ents && !json_is_array(ents) ? "enterprise_ids"
                                                     : NULL;
    if (!bad && category && *category && strcmp(category, "key") && strcmp(category, "general") &&
        strcmp(category, "special")) {
        bad = "category";
    }
    n.region_prefix = n.region_prefix ? n.region_prefix : "";
    for (const char *p = n.region_prefix; !bad && *p; p++) {
        bad = *p < '0' || *p > '9' ? "region_prefix" : NULL;
    }
    if (bad) {
        json_decref(in);
        return resp_error(r, 422, "invalid",
                          "日期须为 YYYY-MM-DD（检查止日不早于起日）、地区为数字前缀、类别为"
                          " key/general/special / dates YYYY-MM-DD (to not before from), region"
                          " a digit prefix, category key/general/special",
                          bad);
    }
    /* The region must lie within the user's area. */
    const struct scope *sc = &r->who->scope;
    bool inside = sc->kind == SCOPE_ALL;
    for (size_t i = 0; !inside && sc->kind == SCOPE_REGIONS && i < sc->n_prefixes; i++) {
        inside = !strncmp(n.region_prefix, sc->prefixes[i], strlen(sc->prefixes[i]));
    }
    if (!inside) {
        json_decref(in);
        return resp_error(r, 403, "forbidden", "地区不在本单位辖区 / region outside your area",
                          "region_prefix");
    }
    char now[32];
    now_iso(now);
    n.now = now;
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t id = 0, added = 0;
    rc = store_inspect_campaign_insert(db, &n, &id);
    size_t i;
    json_t *v;
    json_array_foreach (ents, i, v) {
        if (rc) {
            break;
        }
        int64_t e = json_is_integer(v) ? json_integer_value(v) : 0;
        rc = e > 0 ? entity_enterprise_visible(r, db, e) : ERR_NOTFOUND;
        if (rc == ERR_NOTFOUND) {
            resp_error(r, 422, "invalid", "企业不存在或不在辖区 / no such enterprise in your area",
                       "enterprise_ids");
            rc = ERR_INPUT;
            break;
        }
        rc = rc ? rc : store_inspect_campaign_target_add(db, id, e);
        if (rc == ERR_CONFLICT) {
            rc = 0; /* listed twice */
        } else if (!rc) {
            added++;
        }
    }
    if (!rc && (!ents || json_array_size(ents) == 0)) {
        rc = store_inspect_campaign_targets_by_region(db, id, n.region_prefix,
                                                      category ? category : "", &added);
    }
    if (!rc && added == 0) {
        rc = ERR_INPUT;
        resp_error(r, 422, "invalid", "没有检查对象 / the campaign has no targets",
                   "enterprise_ids");
    }
    json_decref(in);
    if (!rc) {
        char after[160];
        snprintf(after, sizeof after, "{\"targets\":%lld}", (long long)added);
        rc = campaign_audit(db, r, id, "create", after);
        buf_printf(&r->out, "{\"id\":%lld,\"targets\":%lld}", (long long)id, (long long)added);
    }
    return entity_finish_write(r, db, rc, 201);
}

/* The campaign of the route's id as the caller may see it; for a staff write step (write), only
   a campaign wholly within the caller's area: its steps make tasks, orders and credit events for
   every target, so an overlap is not enough (a city-wide campaign is run by city-wide staff). */
static int campaign_load_for(struct req *r, struct db *db, struct inspect_campaign_row *c,
                             bool write)
{
    int64_t id = req_id(r, 0);
    int rc = id > 0 ? store_inspect_campaign_get(db, id, c) : ERR_NOTFOUND;
    if (!rc && r->who->role == ROLE_ENTERPRISE) {
        struct inspect_target_row t;
        rc = !strcmp(c->status, "draft")
                 ? ERR_NOTFOUND
                 : store_inspect_campaign_target_get(db, id, r->who->enterprise_id, &t);
    } else if (!rc && r->who->scope.kind == SCOPE_REGIONS) {
        bool overlap = false, within = false;
        for (size_t i = 0; i < r->who->scope.n_prefixes; i++) {
            const char *p = r->who->scope.prefixes[i];
            bool in = !strncmp(c->region_prefix, p, strlen(p));
            within = within || in;
            overlap = overlap || in || !strncmp(p, c->region_prefix, strlen(c->region_prefix));
        }
        rc = !overlap ? ERR_NOTFOUND : write && !within ? ERR_FORBIDDEN : 0;
        if (rc == ERR_FORBIDDEN) {
            resp_error(
                r, 403, "forbidden",
                "专项行动范围超出本人辖区，由上级组织 / the campaign reaches beyond your area",
                "id");
        }
    } else if (!rc && r->who->scope.kind == SCOPE_NONE) {
        rc = ERR_NOTFOUND;
    }
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "专项行动不存在 / no such campaign", "id");
    }
    return rc;
}

static int campaign_load(struct req *r, struct db *db, struct inspect_campaign_row *c)
{
    return campaign_load_for(r, db, c, false);
}

static int campaign_load_write(struct req *r, struct db *db, struct inspect_campaign_row *c)
{
    return campaign_load_for(r, db, c, r->who->role != ROLE_ENTERPRISE);
}

static int api_campaign(struct req *r)
{
    struct db *db = store_read(app.store);
    struct inspect_campaign_row c;
    int rc = campaign_load(r, db, &c);
    rc = rc ? rc : store_inspect_campaign_json(db, c.id, &r->who->scope, &r->out);
    if (!rc) {
        buf_putc(&r->out, '}');
    }
    return entity_finish_read(r, db, rc);
}

/* Step 1: publish the plan and ask the targets for self-checks. */
static int api_campaign_publish(struct req *r)
{
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct inspect_campaign_row c;
    rc = campaign_load_write(r, db, &c);
    if (!rc && strcmp(c.status, "draft")) {
        rc = ERR_CONFLICT;
        resp_error(r, 409, "conflict", "方案已发布 / the plan is published already", "status");
    }
    rc = rc ? rc : store_inspect_campaign_status(db, c.id, "published", NULL, now);
    rc = rc ? rc : campaign_audit(db, r, c.id, "campaign_publish", "{\"status\":\"published\"}");
    if (!rc) {
        buf_printf(&r->out, "{\"id\":%lld,\"status\":\"published\"}", (long long)c.id);
    }
    return entity_finish_write(r, db, rc, 200);
}

/* Step 1, the firm's part: its self-check returned. */
static int api_campaign_selfcheck(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *note;
    if (json_text(r, in, "note", TEXT_MAX, true, &note)) {
        json_decref(in);
        return 0;
    }
    json_decref(in);
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct inspect_campaign_row c;
    struct inspect_target_row t;
    rc = campaign_load(r, db, &c);
    if (!rc && strcmp(c.status, "published")) {
        rc = ERR_CONFLICT;
        resp_error(r, 409, "conflict", "专项行动未在进行 / the campaign is not under way",
                   "status");
    }
    rc = rc ? rc : store_inspect_campaign_target_get(db, c.id, r->who->enterprise_id, &t);
    if (!rc && t.selfcheck_at[0]) {
        rc = ERR_CONFLICT;
        resp_error(r, 409, "conflict", "自查已提交 / the self-check was returned already", "note");
    }
    rc = rc ? rc : store_inspect_campaign_selfcheck(db, t.id, note, r->who->user_id, now);
    if (!rc) {
        struct buf after;
        buf_init(&after, 8192);
        buf_printf(&after, "{\"enterprise_id\":%lld,\"selfcheck\":", (long long)t.enterprise_id);
        buf_json_str(&after, note, strlen(note));
        buf_putc(&after, '}');
        rc = campaign_audit(db, r, c.id, "campaign_selfcheck", after.p);
        buf_release(&after);
    }
    if (!rc) {
        buf_printf(&r->out, "{\"id\":%lld,\"selfcheck_at\":\"%s\"}", (long long)c.id, now);
    }
    return entity_finish_write(r, db, rc, 200);
}

/* Step 2: a task for each target that has none. */
static int api_campaign_tasks(struct req *r)
{
    json_t *in = NULL;
    if (r->body.len && req_json_object(r, &in)) {
        return 0;
    }
    int64_t lead = 0;
    const char *planned = NULL;
    if (in && (json_id_opt(r, in, "lead_user_id", &lead) ||
               json_text(r, in, "planned_on", 10, false, &planned))) {
        json_decref(in);
        return 0;
    }
    json_decref(in);
    if (!lead && r->who->role == ROLE_INSPECTOR) {
        lead = r->who->user_id;
    }
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct inspect_campaign_row c;
    rc = campaign_load_write(r, db, &c);
    if (!rc && strcmp(c.status, "published")) {
        rc = ERR_CONFLICT;
        resp_error(r, 409, "conflict", "须先发布方案 / publish the plan first", "status");
    }
    size_t n = 0;
    int64_t *ents = xcalloc(2000, sizeof *ents);
    rc = rc ? rc : store_inspect_campaign_untasked(db, c.id, ents, 2000, &n);
    struct case_actor who = actor_of(r);
    size_t waiting = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        struct inspect_task_input ti = {.enterprise_id = ents[i],
                                        .source_kind = "campaign",
                                        .source_id = c.id,
                                        .purpose = "campaign",
                                        .level = "enforcement",
                                        .planned_on = planned && *planned ? planned : c.visit_from,
                                        .lead_user_id = lead,
                                        .campaign_id = c.id};
        char title[400], why[600] = "";
        snprintf(title, sizeof title, "专项行动 · %s", c.title);
        ti.title = title;
        int64_t tid = 0, cid = 0;
        const char *field = NULL;
        rc = inspect_task_create(db, &ti, &who, now, &tid, &cid, &field, why, sizeof why);
        if (rc) {
            refusal(r, rc, field, why);
        }
        struct inspect_task_row t;
        if (!rc && !store_inspect_task_get(db, tid, &t) && !strcmp(t.status, "awaiting_approval")) {
            waiting++;
        }
    }
    free(ents);
    if (!rc) {
        char after[120];
        snprintf(after, sizeof after, "{\"tasks\":%zu,\"awaiting_approval\":%zu}", n, waiting);
        rc = campaign_audit(db, r, c.id, "campaign_tasks", after);
        buf_printf(&r->out, "{\"created\":%zu,\"awaiting_approval\":%zu}", n, waiting);
    }
    return entity_finish_write(r, db, rc, 200);
}

/* Step 3: a problem handed to its town with the firm's written commitment and a deadline. */
static int api_campaign_handover(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    int64_t problem = 0, verifier = 0;
    const char *commitment;
    json_t *wd = json_object_get(in, "workdays");
    if (json_id_opt(r, in, "problem_id", &problem) ||
        json_text(r, in, "commitment", TEXT_MAX, true, &commitment) ||
        json_id_opt(r, in, "verifier_user_id", &verifier)) {
        json_decref(in);
        return 0;
    }
    int64_t workdays = 0;
    if (!json_is_integer(wd) || json_integer_value(wd) <= 0 || json_integer_value(wd) > 365) {
        json_decref(in);
        return resp_error(r, 422, "invalid", "须为 1–365 的工作日数 / 1–365 working days",
                          "workdays");
    }
    workdays = json_integer_value(wd);
    json_decref(in);
    if (problem <= 0) {
        return resp_error(r, 422, "required", "须为正整数 / a positive integer", "problem_id");
    }
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct inspect_campaign_row c;
    bool of = false;
    rc = campaign_load_write(r, db, &c);
    rc = rc ? rc : store_inspect_campaign_problem(db, c.id, problem, &of);
    if (!rc && !of) {
        rc = ERR_INPUT;
        resp_error(r, 422, "invalid", "不是本专项行动发现的问题 / not a problem of this campaign",
                   "problem_id");
    }
    struct rectify_problem p;
    rc = rc ? rc : rectify_problem_get(db, problem, &p);
    struct case_actor who = actor_of(r);
    struct rectify_order_input oi = {.enterprise_id = p.enterprise_id,
                                     .problem_id = problem,
                                     .origin = "campaign",
                                     .origin_id = c.id,
                                     .requirement = commitment,
                                     .workdays = (int)workdays,
                                     .verifier_user_id = verifier};
    int64_t order_id = 0, case_id = 0;
    const char *field = NULL;
    rc = rc ? rc : rectify_order_open(db, &oi, &who, now, &order_id, &case_id, &field);
    if (rc) {
        refusal(r, rc, field && !strcmp(field, "requirement") ? "commitment" : field, NULL);
    } else {
        char after[200];
        snprintf(after, sizeof after,
                 "{\"problem_id\":%lld,\"order_id\":%lld,\"workdays\":%lld,\"verifier\":%lld}",
                 (long long)problem, (long long)order_id, (long long)workdays, (long long)verifier);
        rc = campaign_audit(db, r, c.id, "campaign_handover", after);
        buf_printf(&r->out, "{\"order_id\":%lld,\"case_id\":%lld}", (long long)order_id,
                   (long long)case_id);
    }
    return entity_finish_write(r, db, rc, 201);
}

/* Step 5: publish the results and feed credit (decision 72). */
static int api_campaign_results(struct req *r)
{
    json_t *in = NULL;
    if (r->body.len && req_json_object(r, &in)) {
        return 0;
    }
    const char *note = NULL;
    if (in && json_text(r, in, "note", TEXT_MAX, false, &note)) {
        json_decref(in);
        return 0;
    }
    json_decref(in);
    char now[32], today[11];
    now_iso(now);
    today_cn(today);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct inspect_campaign_row c;
    rc = campaign_load_write(r, db, &c);
    if (!rc && strcmp(c.status, "published")) {
        rc = ERR_CONFLICT;
        resp_error(r, 409, "conflict",
                   !strcmp(c.status, "draft") ? "须先发布方案 / publish the plan first"
                                              : "结果已公开 / the results are published already",
                   "status");
    }
    enum { MAX = 2000 };
    int64_t *pp = xcalloc(MAX, sizeof *pp), *pe = xcalloc(MAX, sizeof *pe),
            *ke = xcalloc(MAX, sizeof *ke);
    size_t np = 0, nk = 0, fed = 0;
    rc = rc ? rc : store_inspect_campaign_feed(db, c.id, pp, pe, &np, ke, &nk, MAX);
    for (size_t i = 0; !rc && i < np + nk; i++) {
        bool permit = i < np;
        char key[80], reason[400];
        if (permit) {
            snprintf(key, sizeof key, "inspect_problem:%lld", (long long)pp[i]);
        } else {
            snprintf(key, sizeof key, "inspect_campaign:%lld:%lld", (long long)c.id,
                     (long long)ke[i - np]);
        }
        snprintf(reason, sizeof reason, "%s：%s",
                 permit ? "专项行动发现违反排污许可" : "专项行动自查并按承诺完成整改", c.title);
        struct credit_event_input ev = {.subject_kind = "enterprise",
                                        .subject_id = permit ? pe[i] : ke[i - np],
                                        .type = permit ? "permit_violation" : "commitment",
                                        .occurred_on = today,
                                        .reason = reason,
                                        .source = "inspect",
                                        .source_id = permit ? pp[i] : c.id,
                                        .dedupe_key = key,
                                        .actor_id = r->who->user_id,
                                        .actor = r->who->display_name,
                                        .request_id = r->request_id,
                                        .ip = r->ip};
        int64_t eid = 0;
        rc = credit_event_add(db, &ev, now, &eid);
        fed += eid ? 1 : 0;
    }
    free(pp);
    free(pe);
    free(ke);
    rc = rc ? rc : store_inspect_campaign_status(db, c.id, "closed", note ? note : "", now);
    if (!rc) {
        char after[200];
        snprintf(after, sizeof after,
                 "{\"status\":\"closed\",\"permit_violations\":%zu,\"commitments_kept\":%zu}", np,
                 nk);
        rc = campaign_audit(db, r, c.id, "campaign_results", after);
        buf_printf(&r->out, "{\"id\":%lld,\"status\":\"closed\",\"credit_events\":%zu}",
                   (long long)c.id, fed);
    }
    return entity_finish_write(r, db, rc, 200);
}

static const struct route routes[] = {
    {"GET", "/api/v1/inspect/tasks", ROLES_ANY, api_tasks, 0,
     "Inspection tasks (检查任务) in the caller's area (mine=1: the caller's own); an enterprise "
     "sees its own once visited"},
    {"POST", "/api/v1/inspect/tasks", OFFICERS, api_task_create, 0,
     "Create an inspection task by hand or to verify a complaint (a positive-list firm's waits "
     "for approval unless it verifies a complaint)"},
    {"GET", "/api/v1/inspect/tasks/{id}", ROLES_ANY, api_task, 0,
     "An inspection task with its checklist, approval, visit and findings"},
    {"POST", "/api/v1/inspect/tasks/{id}/visit", ROLE_INSPECTOR, api_visit, 0,
     "Record the visit: the checklist's answers and findings (idempotent by uuid)"},
    {"POST", "/api/v1/inspect/tasks/{id}/orders", OFFICERS, api_task_order, 0,
     "Turn a finding of the visit into a rectification order"},
    {"POST", "/api/v1/alarms/{id}/inspect-task", ALARM_TASKERS, api_alarm_task, 0,
     "Create an inspection task to verify an alarm on site"},
    {"GET", "/api/v1/inspect/campaigns", ROLES_ANY, api_campaigns, 0,
     "Campaigns (专项行动) in the caller's area; an enterprise those it is a target of"},
    {"POST", "/api/v1/inspect/campaigns", OFFICERS, api_campaign_create, 0,
     "Create a campaign with its plan and targets (listed, or the region's firms)"},
    {"GET", "/api/v1/inspect/campaigns/{id}", ROLES_ANY, api_campaign, 0,
     "A campaign with the counts of its five steps, its targets and problems"},
    {"POST", "/api/v1/inspect/campaigns/{id}/publish", OFFICERS, api_campaign_publish, 0,
     "Step 1: publish the plan and ask the targets for self-checks"},
    {"POST", "/api/v1/inspect/campaigns/{id}/selfcheck", ROLE_ENTERPRISE, api_campaign_selfcheck, 0,
     "Step 1: the target firm returns its self-check"},
    {"POST", "/api/v1/inspect/campaigns/{id}/tasks", OFFICERS, api_campaign_tasks, 0,
     "Step 2: an inspection task for each target that has none"},
    {"POST", "/api/v1/inspect/campaigns/{id}/handover", OFFICERS, api_campaign_handover, 0,
     "Step 3: hand a problem to its town with the written commitment and a deadline"},
    {"POST", "/api/v1/inspect/campaigns/{id}/results", OFFICERS, api_campaign_results, 0,
     "Step 5: publish the results and feed credit"},
};

void inspect_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
