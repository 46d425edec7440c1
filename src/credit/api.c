/*
** Credit routes under /api/v1/credit: the overview and the list of subjects with their grade
** (staff), one subject's grade, rule set in force, history, events and objections (an
** enterprise user only its own), filing and revoking events (the legal section), an
** enterprise's own credit commitment, and objections. Every write is one transaction with its
** audit rows; staff with regions see only the subjects of their regions.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "credit/credit.h"
#include "http/json.h"
#include "platform/app.h"
#include "rules/rules.h"
#include "store/q_credit.h"

#define WRITERS (ROLE_LEGAL | ROLE_ADMIN)
#define TEXT_MAX 2000

static bool kind_ok(const char *k)
{
    return k && (!strcmp(k, "enterprise") || !strcmp(k, "agency"));
}

static bool valid_date(const char *s)
{
    int y, m, d;
    char tail;
    return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 &&
           s[4] == '-' && s[7] == '-' && m >= 1 && m <= 12 && d >= 1 && d <= 31 && y >= 1990 &&
           y <= 2100;
}

static void now_and_today(char now[32], char today[11])
{
    time_iso(wall_ms() / 1000, now);
    date_cn(wall_ms() / 1000, today);
}

/* Whether the principal may see subject (kind, id) whose region is region. */
static bool visible(const struct principal *p, const char *kind, int64_t id, const char *region)
{
    const struct scope *s = &p->scope;
    if (!strcmp(kind, "agency") && s->kind != SCOPE_ENTERPRISE && s->kind != SCOPE_NONE) {
        return true; /* agencies are not region-scoped (the agency register shows every one) */
    }
    switch (s->kind) {
    case SCOPE_ALL: return true;
    case SCOPE_ENTERPRISE: return !strcmp(kind, "enterprise") && id == s->enterprise_id;
    case SCOPE_REGIONS:
        for (size_t i = 0; i < s->n_prefixes; i++) {
            if (!strncmp(region, s->prefixes[i], strlen(s->prefixes[i]))) {
                return true;
            }
        }
        return false;
    default: return false;
    }
}

/* The subject if it exists and is visible, else ERR_NOTFOUND. */
static int subject_check(struct req *r, struct db *db, const char *kind, int64_t id,
                         struct credit_subject_row *s)
{
    int rc = id > 0 ? store_credit_subject(db, kind, id, s) : ERR_NOTFOUND;
    return rc ? rc : visible(r->who, kind, id, s->region_code) ? 0 : ERR_NOTFOUND;
}

/* The caller's one region prefix for overviews and objection lists: "" = everywhere (a
   city-wide role), a region scope's first prefix, or one no code has (no regions at all). */
static const char *scope_prefix(const struct principal *p)
{
    if (p->scope.kind == SCOPE_ALL || p->scope.kind == SCOPE_ENTERPRISE) {
        return "";
    }
    return p->scope.kind == SCOPE_REGIONS && p->scope.n_prefixes ? p->scope.prefixes[0] : "#";
}

/* ---------------- reads ---------------- */

static int api_overview(struct req *r)
{
    const char *kind = req_query(r, "kind");
    kind = kind && *kind ? kind : "enterprise";
    if (!kind_ok(kind)) {
        return resp_error(r, 422, "invalid",
                          "kind 应为 enterprise 或 agency / kind must be "
                          "enterprise or agency",
                          "kind");
    }
    const char *region = req_query(r, "region");
    const char *prefix = strcmp(kind, "agency") ? scope_prefix(r->who) : "";
    if (region && *region) {
        if (strlen(region) > 12 || (*prefix && strncmp(region, prefix, strlen(prefix)))) {
            return resp_error(r, 422, "invalid", "地区不在您的辖区内 / the region is outside yours",
                              "region");
        }
        prefix = region;
    }
    char now[32], today[11], month[11];
    now_and_today(now, today);
    snprintf(month, sizeof month, "%.8s01", today);
    struct db *db = store_read(app.store);
    int rc = store_credit_overview_json(db, kind, prefix, month, &r->out);
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    r->out.len--;
    buf_printf(&r->out, ",\"month_start\":\"%s\",\"today\":\"%s\"}", month, today);
    return resp_json(r, 200);
}

static int api_subjects(struct req *r)
{
    struct credit_list_query q = {0};
    q.kind = req_query(r, "kind");
    q.kind = q.kind && *q.kind ? q.kind : "enterprise";
    if (!kind_ok(q.kind)) {
        return resp_error(r, 422, "invalid",
                          "kind 应为 enterprise 或 agency / kind must be "
                          "enterprise or agency",
                          "kind");
    }
    q.grade = req_query(r, "grade");
    q.region_prefix = req_query(r, "region");
    q.q = req_query(r, "q");
    if ((q.grade && strlen(q.grade) > 16) || (q.region_prefix && strlen(q.region_prefix) > 12) ||
        (q.q && strlen(q.q) > 200)) {
        return resp_error(r, 422, "too_long", "筛选条件过长 / a filter is too long", "q");
    }
    const char *sort = req_query(r, "sort");
    q.desc = sort && *sort == '-';
    q.sort = sort ? sort + q.desc : NULL;
    const char *lim = req_query(r, "limit"), *cur = req_query(r, "cursor");
    int64_t limit = 20, offset = 0;
    if ((lim && (parse_i64(lim, strlen(lim), &limit) || limit < 1 || limit > 500)) ||
        (cur && *cur && (parse_i64(cur, strlen(cur), &offset) || offset < 0))) {
        return resp_error(r, 422, "invalid",
                          "limit 应为 1–500，cursor 为上一页给出的值 / limit "
                          "must be 1..500 and cursor a value from the previous page",
                          lim ? "limit" : "cursor");
    }
    q.limit = limit;
    q.offset = offset;
    const char *tot = req_query(r, "total");
    q.with_total = tot && !strcmp(tot, "1");
    if (!strcmp(q.kind, "agency")) {
        /* agencies are not region-scoped: every staff member sees them all */
    } else if (r->who->scope.kind == SCOPE_NONE ||
               (r->who->scope.kind == SCOPE_REGIONS && !r->who->scope.n_prefixes)) {
        q.n_prefixes = 1; /* no regions: a prefix no code has */
        q.prefixes[0] = "#";
    } else if (r->who->scope.kind == SCOPE_REGIONS) {
        q.n_prefixes = r->who->scope.n_prefixes < CREDIT_LIST_PREFIXES ? r->who->scope.n_prefixes
                                                                       : CREDIT_LIST_PREFIXES;
        for (size_t i = 0; i < q.n_prefixes; i++) {
            q.prefixes[i] = r->who->scope.prefixes[i];
        }
    }
    struct db *db = store_read(app.store);
    int rc = store_credit_list_json(db, &q, &r->out);
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

/* The rule set in force for the subject's region: its version and what the UI shows of it. */
static void put_rule(struct db *db, const char *kind, const char *region, const char *today,
                     struct buf *out)
{
    json_t *body = NULL;
    struct rule_ref ref;
    int rc = rules_resolve(db, !strcmp(kind, "agency") ? "credit.agency" : "credit.scoring", region,
                           today, &body, &ref);
    if (rc) {
        buf_puts(out, ",\"rule\":null");
        return;
    }
    buf_printf(out, ",\"rule\":{\"id\":%lld,\"version\":%d,\"kind\":\"%s\",\"region\":",
               (long long)ref.id, ref.version, ref.kind);
    buf_json_str(out, ref.region, strlen(ref.region));
    char *s = json_dumps(body, JSON_COMPACT);
    buf_puts(out, ",\"body\":");
    buf_puts(out, s ? s : "null");
    free(s);
    buf_putc(out, '}');
    json_decref(body);
}

static int subject_get(struct req *r, const char *kind)
{
    int64_t id = req_id(r, 0);
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db = store_read(app.store);
    struct credit_subject_row s;
    int rc = subject_check(r, db, kind, id, &s);
    buf_puts(&r->out, "{\"subject\":");
    rc = rc ? rc : store_credit_current_json(db, kind, id, &r->out);
    if (!rc) {
        put_rule(db, kind, s.region_code, today, &r->out);
        buf_puts(&r->out, ",\"history\":");
        rc = store_credit_history_json(db, kind, id, 200, &r->out);
    }
    if (!rc) {
        buf_puts(&r->out, ",\"events\":");
        rc = store_credit_events_json(db, kind, id, 500, &r->out);
    }
    if (!rc) {
        buf_puts(&r->out, ",\"objections\":");
        rc = !strcmp(kind, "enterprise") ? store_credit_objections_json(db, id, "", 100, &r->out)
                                         : (buf_puts(&r->out, "[]"), 0);
    }
    buf_putc(&r->out, '}');
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, rc == ERR_NOTFOUND ? "没有该对象 / no such subject" : NULL, NULL);
    }
    return resp_json(r, 200);
}

static int api_enterprise_get(struct req *r)
{
    return subject_get(r, "enterprise");
}

static int api_agency_get(struct req *r)
{
    return subject_get(r, "agency");
}

static int grade_at(struct req *r, const char *kind)
{
    int64_t id = req_id(r, 0);
    const char *date = req_query(r, "date");
    char now[32], today[11];
    now_and_today(now, today);
    if (date && !valid_date(date)) {
        return resp_error(r, 422, "invalid", "日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD",
                          "date");
    }
    struct db *db = store_read(app.store);
    struct credit_subject_row s;
    struct credit_grade g;
    int rc = subject_check(r, db, kind, id, &s);
    rc = rc ? rc : credit_grade_at(db, kind, id, date ? date : today, &g);
    store_release(app.store, db);
    if (rc) {
        return resp_err(r, rc, rc == ERR_NOTFOUND ? "该日无信用等级 / no grade on that date" : NULL,
                        NULL);
    }
    buf_printf(&r->out,
               "{\"grade\":\"%s\",\"score\":%g,\"rule_set_id\":%lld,\"rule_version\":%d,"
               "\"since\":\"%s\",\"date\":\"%s\"}",
               g.grade, g.score, (long long)g.rule_set_id, g.rule_version, g.since,
               date ? date : today);
    return resp_json(r, 200);
}

static int api_enterprise_grade_at(struct req *r)
{
    return grade_at(r, "enterprise");
}

static int api_agency_grade_at(struct req *r)
{
    return grade_at(r, "agency");
}

/* ---------------- writes ---------------- */

static int write_fail(struct req *r, struct db *db, int rc, const char *msg, const char *field)
{
    store_rollback(app.store, db);
    buf_reset(&r->out);
    if (rc == ERR_DB) {
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_error(r,
                      rc == ERR_NOTFOUND    ? 404
                      : rc == ERR_CONFLICT  ? 409
                      : rc == ERR_FORBIDDEN ? 403
                                            : 422,
                      rc == ERR_NOTFOUND   ? "not_found"
                      : rc == ERR_CONFLICT ? "conflict"
                                           : "invalid",
                      msg, field);
}

struct event_body {
    const char *kind, *type, *occurred_on, *reason, *evidence;
    int64_t subject_id, attachment_id;
    bool has_points;
    double points;
};

/* Read and check the body of a new event (shape only; the rule set is checked after). */
static int event_body(struct req *r, json_t *in, struct event_body *b)
{
    memset(b, 0, sizeof *b);
    if (json_get_str(r, in, "subject_kind", 16, false, &b->kind) ||
        json_get_str(r, in, "type", CREDIT_TYPE_MAX, true, &b->type) ||
        json_get_str(r, in, "occurred_on", 10, true, &b->occurred_on) ||
        json_get_str(r, in, "reason", TEXT_MAX, true, &b->reason) ||
        json_get_str(r, in, "evidence", TEXT_MAX, false, &b->evidence)) {
        return ERR_INPUT;
    }
    b->kind = b->kind ? b->kind : "enterprise";
    json_t *sid = json_object_get(in, "subject_id"),
           *att = json_object_get(in, "evidence_attachment_id"),
           *pts = json_object_get(in, "points");
    if (!kind_ok(b->kind)) {
        resp_error(r, 422, "invalid",
                   "subject_kind 应为 enterprise 或 agency / subject_kind must "
                   "be enterprise or agency",
                   "subject_kind");
        return ERR_INPUT;
    }
    if (!json_is_integer(sid) || json_integer_value(sid) < 1) {
        resp_error(r, 422, "required", "缺少对象 / subject_id is required", "subject_id");
        return ERR_INPUT;
    }
    if (!valid_date(b->occurred_on)) {
        resp_error(r, 422, "invalid", "日期格式应为 YYYY-MM-DD / occurred_on must be YYYY-MM-DD",
                   "occurred_on");
        return ERR_INPUT;
    }
    if ((att && !json_is_null(att) && (!json_is_integer(att) || json_integer_value(att) < 1)) ||
        (pts && !json_is_null(pts) && !json_is_number(pts))) {
        resp_error(r, 422, "type", "应为数字 / must be a number",
                   pts && !json_is_number(pts) && !json_is_null(pts) ? "points"
                                                                     : "evidence_attachment_id");
        return ERR_INPUT;
    }
    b->subject_id = json_integer_value(sid);
    b->attachment_id = json_is_integer(att) ? json_integer_value(att) : 0;
    b->has_points = json_is_number(pts);
    b->points = b->has_points ? json_number_value(pts) : 0;
    return 0;
}

/* The rule set in force must score the type; a variable type needs points in its range, a fixed
   one none. */
static int check_type(struct db *db, const struct event_body *b, const char *region,
                      const char *today, const char **msg, const char **field)
{
    json_t *body = NULL;
    struct rule_ref ref;
    int rc = rules_resolve(db, !strcmp(b->kind, "agency") ? "credit.agency" : "credit.scoring",
                           region, today, &body, &ref);
    if (rc) {
        *msg = "该地区没有生效的信用评价规则 / no credit rule set is in force for the region";
        *field = "subject_id";
        return rc == ERR_NOTFOUND ? ERR_CONFLICT : rc;
    }
    static _Thread_local struct credit_model m;
    char err[200];
    rc = credit_model_parse(body, &m, err, sizeof err);
    json_decref(body);
    const struct credit_type_rule *t = rc ? NULL : credit_model_type(&m, b->type);
    *field = "type";
    if (!t) {
        *msg = "现行规则没有该事件类型 / the rule set in force has no such event type";
        return ERR_INPUT;
    }
    *field = "points";
    if (t->variable && (!b->has_points || b->points < t->min_points || b->points > t->max_points)) {
        *msg = "分值应在规则允许的范围内 / points must be within the range the rule set allows";
        return ERR_INPUT;
    }
    if (!t->variable && b->has_points) {
        *msg = "该类型的分值由规则确定，不能录入 / the rule set fixes this type's points";
        return ERR_INPUT;
    }
    return 0;
}

static int add_event(struct req *r, const struct event_body *b, const char *source)
{
    char now[32], today[11];
    now_and_today(now, today);
    if (strcmp(b->occurred_on, today) > 0) {
        return resp_error(r, 422, "invalid",
                          "日期不能晚于今天 / occurred_on cannot be in the future", "occurred_on");
    }
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct credit_subject_row s;
    const char *msg = NULL, *field = "subject_id";
    rc = subject_check(r, db, b->kind, b->subject_id, &s);
    if (rc) {
        return write_fail(r, db, rc, "没有该对象 / no such subject", "subject_id");
    }
    rc = check_type(db, b, s.region_code, today, &msg, &field);
    if (!rc && b->attachment_id &&
        store_credit_attachment_of(db, b->attachment_id, b->kind, b->subject_id)) {
        rc = ERR_INPUT;
        msg = "证据附件应属于该对象 / the evidence must be an attachment of the subject";
        field = "evidence_attachment_id";
    }
    if (rc) {
        return write_fail(r, db, rc, msg, field);
    }
    struct credit_event_input in = {.subject_kind = b->kind,
                                    .subject_id = b->subject_id,
                                    .type = b->type,
                                    .occurred_on = b->occurred_on,
                                    .has_points = b->has_points,
                                    .points = b->points,
                                    .reason = b->reason,
                                    .evidence = b->evidence,
                                    .evidence_attachment_id = b->attachment_id,
                                    .source = source,
                                    .actor_id = r->who->user_id,
                                    .actor = r->who->display_name,
                                    .request_id = r->request_id,
                                    .ip = r->ip};
    int64_t id = 0;
    rc = credit_event_add(db, &in, now, &id);
    rc = rc ? rc : store_credit_event_json(db, id, &r->out);
    if (rc) {
        return write_fail(r, db, rc, "事件无法保存 / the event could not be saved", "subject_id");
    }
    rc = store_commit(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 201);
}

static int api_event_post(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct event_body b;
    int rc = event_body(r, in, &b);
    if (!rc) {
        /* copy out of the JSON before it goes */
        b.type = arena_strdup(r->a, b.type);
        b.kind = arena_strdup(r->a, b.kind);
        b.occurred_on = arena_strdup(r->a, b.occurred_on);
        b.reason = arena_strdup(r->a, b.reason);
        b.evidence = arena_strdup(r->a, b.evidence ? b.evidence : "");
    }
    json_decref(in);
    return rc ? 0 : add_event(r, &b, "manual");
}

/* An enterprise signs its credit commitment (信用承诺): an event of its own. */
static int api_commitment_post(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *text = NULL;
    int rc = json_get_str(r, in, "text", TEXT_MAX, true, &text);
    struct event_body b = {.kind = "enterprise", .type = "commitment"};
    if (!rc) {
        b.reason = arena_strdup(r->a, text);
    }
    json_decref(in);
    if (rc) {
        return 0;
    }
    char now[32], today[11];
    now_and_today(now, today);
    b.subject_id = r->who->role == ROLE_ENTERPRISE ? r->who->enterprise_id : 0;
    b.occurred_on = arena_strdup(r->a, today);
    b.evidence = "企业在线签署 / signed online by the enterprise";
    if (!b.subject_id) {
        return resp_error(r, 403, "forbidden",
                          "仅企业用户可签署承诺 / only an enterprise user signs", NULL);
    }
    return add_event(r, &b, "enterprise");
}

static int api_event_revoke(struct req *r)
{
    int64_t id = req_id(r, 0);
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *reason = NULL;
    if (json_get_str(r, in, "reason", TEXT_MAX, true, &reason)) {
        json_decref(in);
        return 0;
    }
    reason = arena_strdup(r->a, reason);
    json_decref(in);
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    char kind[16];
    int64_t subject = 0;
    bool revoked;
    struct credit_subject_row s;
    rc = id > 0 ? store_credit_event_subject(db, id, kind, &subject, &revoked) : ERR_NOTFOUND;
    rc = rc ? rc : subject_check(r, db, kind, subject, &s);
    if (rc) {
        return write_fail(r, db, rc, "没有该事件 / no such event", "id");
    }
    rc = credit_event_revoke(db, id, reason, r->who->user_id, r->who->display_name, "revoke", now);
    rc = rc ? rc : store_credit_event_json(db, id, &r->out);
    if (rc) {
        return write_fail(r, db, rc,
                          rc == ERR_CONFLICT ? "该事件已撤销 / the event is already revoked"
                                             : "撤销失败 / the event could not be revoked",
                          "id");
    }
    rc = store_commit(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

/* ---------------- objections ---------------- */

static int api_objections(struct req *r)
{
    int64_t ent = r->who->role == ROLE_ENTERPRISE ? r->who->enterprise_id : 0;
    const char *e = req_query(r, "enterprise_id");
    int64_t want = 0;
    if (e && *e && (parse_i64(e, strlen(e), &want) || want < 1)) {
        return resp_error(r, 422, "invalid",
                          "enterprise_id 应为正整数 / enterprise_id must be a "
                          "positive number",
                          "enterprise_id");
    }
    if (r->who->role == ROLE_ENTERPRISE && !ent) {
        return resp_error(r, 403, "forbidden", "无企业 / no enterprise", NULL);
    }
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":");
    int rc = store_credit_objections_json(db, ent ? ent : want, scope_prefix(r->who), 200, &r->out);
    buf_putc(&r->out, '}');
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

static int api_objection_post(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *reason = NULL;
    if (json_get_str(r, in, "reason", TEXT_MAX, true, &reason)) {
        json_decref(in);
        return 0;
    }
    reason = arena_strdup(r->a, reason);
    json_t *ev = json_object_get(in, "event_id"), *gr = json_object_get(in, "grade_id");
    int64_t event_id = json_is_integer(ev) ? json_integer_value(ev) : 0;
    int64_t grade_id = json_is_integer(gr) ? json_integer_value(gr) : 0;
    bool bad =
        (ev && !json_is_null(ev) && event_id < 1) || (gr && !json_is_null(gr) && grade_id < 1);
    json_decref(in);
    if (bad || (!event_id == !grade_id)) {
        return resp_error(r, 422, "invalid",
                          "请指明一个事件或一次等级变动 / give one event_id or one "
                          "grade_id",
                          "event_id");
    }
    int64_t ent = r->who->enterprise_id;
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    char kind[16] = "";
    int64_t subject = 0;
    bool revoked = false;
    if (event_id) {
        rc = store_credit_event_subject(db, event_id, kind, &subject, &revoked);
        rc = rc ? rc : strcmp(kind, "enterprise") || subject != ent ? ERR_NOTFOUND : 0;
        if (!rc && revoked) {
            return write_fail(r, db, ERR_CONFLICT, "该事件已撤销 / the event is already revoked",
                              "event_id");
        }
    } else {
        rc = store_credit_grade_of(db, grade_id, "enterprise", ent);
    }
    if (rc) {
        return write_fail(r, db, rc, "没有该事件或等级记录 / no such event or grade change",
                          event_id ? "event_id" : "grade_id");
    }
    int64_t id, case_id;
    rc = credit_objection_file(db, ent, event_id, grade_id, reason, r->who->user_id,
                               r->who->display_name, now, &id, &case_id);
    if (rc) {
        return write_fail(r, db, rc, "异议无法提交 / the objection could not be filed", "reason");
    }
    rc = store_commit(app.store, db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    buf_printf(&r->out, "{\"id\":%lld,\"case_id\":%lld,\"state\":\"open\"}", (long long)id,
               (long long)case_id);
    return resp_json(r, 201);
}

static const struct route routes[] = {
    {"GET", "/api/v1/credit/overview", ROLES_STAFF, api_overview, 0,
     "Credit overview: subjects by grade and by region, grade changes this month"},
    {"GET", "/api/v1/credit/subjects", ROLES_STAFF, api_subjects, 0,
     "Enterprises or agencies with their grade (filter, sort, page)"},
    {"GET", "/api/v1/credit/enterprises/{id}", ROLES_ANY, api_enterprise_get, 0,
     "An enterprise's grade, rule set in force, history, events and objections"},
    {"GET", "/api/v1/credit/enterprises/{id}/grade-at", ROLES_ANY, api_enterprise_grade_at, 0,
     "An enterprise's grade on a date, with the rule-set version that made it"},
    {"GET", "/api/v1/credit/agencies/{id}", ROLES_STAFF, api_agency_get, 0,
     "An agency's grade, rule set in force, history and events"},
    {"GET", "/api/v1/credit/agencies/{id}/grade-at", ROLES_STAFF, api_agency_grade_at, 0,
     "An agency's grade on a date, with the rule-set version that made it"},
    {"POST", "/api/v1/credit/events", WRITERS, api_event_post, 0,
     "File a credit event (legal section) and recompute the subject's grade"},
    {"POST", "/api/v1/credit/events/{id}/revoke", WRITERS, api_event_revoke, 0,
     "Revoke a credit event with a reason and recompute the grade"},
    {"POST", "/api/v1/credit/commitments", ROLE_ENTERPRISE, api_commitment_post, 0,
     "The signed-in enterprise signs its credit commitment"},
    {"GET", "/api/v1/credit/objections", ROLES_ANY, api_objections, 0,
     "Objections (an enterprise user: its own)"},
    {"POST", "/api/v1/credit/objections", ROLE_ENTERPRISE, api_objection_post, 0,
     "File an objection against an event or a grade change (opens a case)"},
};

void credit_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}

/* The 工作台's credit figures for staff, within their area: enterprises by grade, the grade
   changes this month and the objections waiting for a decision. */
int credit_dashboard(struct req *r, struct db *db, struct buf *out)
{
    if (r->who->role == ROLE_ENTERPRISE) {
        return 0;
    }
    char now[32], today[11], month[11];
    now_and_today(now, today);
    snprintf(month, sizeof month, "%.8s01", today);
    return store_credit_dashboard(db, scope_prefix(r->who), month, out);
}
