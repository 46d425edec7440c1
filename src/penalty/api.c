/*
** HTTP routes of penalties (/api/v1/penalty/…, /api/v1/problems/{id}/penalty, and the public
** /api/v1/public/penalty/…). Who may do what (docs/internals/penalty.md):
**   open a case from a problem, investigate, work out the discretion, serve the prior notice,
**   record a hearing, execution and closing: admin, leader, inspector, legal;
**   decide (a penalty or no penalty), extend the limit, dismiss, publish: admin, leader;
**   request a hearing: the enterprise (its own case) or an officer recording its request;
**   see cases: staff within their area, an enterprise user its own;
**   the public: published decisions not withdrawn by credit repair, the risk-point list.
*/
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/util.h"
#include "credit/credit.h"
#include "documents/documents.h"
#include "http/json.h"
#include "penalty/internal.h"
#include "platform/app.h"
#include "platform/entity.h"
#include "rectify/rectify.h"

#define OFFICERS (ROLE_ADMIN | ROLE_LEADER | ROLE_INSPECTOR | ROLE_LEGAL)
#define DECIDERS (ROLE_ADMIN | ROLE_LEADER)
#define TEXT_MAX 4000

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
    return (struct case_actor){.user_id = r->who->user_id,
                               .name = r->who->display_name,
                               .role = r->who->role,
                               .request_id = r->request_id,
                               .ip = r->ip,
                               .from_subject = true};
}

static int audit(struct req *r, struct db *db, int64_t id, const char *action, const char *after)
{
    struct audit_entry a = {.actor_id = r->who->user_id,
                            .actor = r->who->display_name,
                            .entity = "penalty_case",
                            .entity_id = id,
                            .action = action,
                            .after_json = after,
                            .request_id = r->request_id,
                            .ip = r->ip};
    return store_audit_add(db, &a);
}

/* The n-th workday after day; ERR_NOTFOUND when the calendar lacks the year. */
static int workdays_after(const char *day, int n, char out[11])
{
    int32_t d, o;
    int missing = 0;
    if (calendar_date_parse(day, strlen(day), &d)) {
        return ERR_INPUT;
    }
    pthread_rwlock_rdlock(&app.cal_lock);
    int rc = app.cal ? calendar_add_workdays(app.cal, d, n, &o, &missing) : ERR_NOTFOUND;
    pthread_rwlock_unlock(&app.cal_lock);
    if (!rc) {
        calendar_date_format(o, out);
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

/* The case id of the path, loaded and within the principal's scope (404 otherwise). */
static int load_case(struct req *r, struct db *db, struct pen_row *row)
{
    int64_t id = req_id(r, 0);
    int rc = id > 0 ? store_penalty_get(db, id, row) : ERR_NOTFOUND;
    if (!rc) {
        rc = entity_enterprise_visible(r, db, row->enterprise_id);
    }
    if (rc == ERR_NOTFOUND || rc == ERR_FORBIDDEN) {
        resp_error(r, 404, "not_found", "处罚案件不存在 / no such penalty case", NULL);
        return ERR_NOTFOUND;
    }
    return rc;
}

static int rules_or_refuse(struct req *r, struct db *db, const char *region, const char *date,
                           struct pen_rules *pr)
{
    const char *kind = "";
    int rc = pen_rules_load(db, region, date, pr, &kind);
    if (rc) {
        char msg[200];
        snprintf(msg, sizeof msg, "本地区没有有效的规则集 %s / no %s rule set in force here", kind,
                 kind);
        resp_error(r, 422, "no_rule_set", msg, "rule_set");
    }
    return rc;
}

/* ---------------- the calculator ---------------- */

/* Read the calculator's request (levels, mitigation, ground, base_yuan) into in. Strings stay
   in body. 422 naming the field. */
static int calc_input(struct req *r, json_t *body, const struct pen_discretion *d,
                      struct pen_calc_input *in)
{
    memset(in, 0, sizeof *in);
    json_t *levels = json_object_get(body, "levels");
    if (levels && !json_is_object(levels)) {
        return resp_error(r, 422, "invalid", "levels 须为对象 / levels must be an object",
                          "levels"),
               ERR_INPUT;
    }
    for (int i = 0; i < d->n_factors; i++) {
        json_t *v = json_object_get(levels, d->factors[i].code);
        in->levels[i] = json_string_value(v);
    }
    const char *m = NULL;
    if (json_get_str(r, body, "mitigation", 16, false, &m) ||
        json_get_str(r, body, "ground", 64, false, &in->ground)) {
        return ERR_INPUT;
    }
    int mi = m && *m ? pen_mitigation_parse(m) : PM_NONE;
    if (mi < 0) {
        return resp_error(r, 422, "invalid",
                          "mitigation 须为 none、lighter 或 reduced / must be none, lighter or "
                          "reduced",
                          "mitigation"),
               ERR_INPUT;
    }
    in->mitigation = (enum pen_mitigation)mi;
    json_t *b = json_object_get(body, "base_yuan");
    if (b && !json_is_null(b)) {
        if (!json_is_number(b) || json_number_value(b) <= 0 || json_number_value(b) > 1e13) {
            return resp_error(r, 422, "invalid", "base_yuan 须为正数 / must be a positive number",
                              "base_yuan"),
                   ERR_INPUT;
        }
        in->base_yuan = json_number_value(b);
    }
    return 0;
}

static void calc_json(const struct pen_calc_result *c, struct buf *out)
{
    buf_printf(out,
               "{\"min_yuan\":%lld,\"max_yuan\":%lld,\"floor_yuan\":%lld,\"ceil_yuan\":%lld,"
               "\"share\":",
               (long long)c->min_yuan, (long long)c->max_yuan, (long long)c->floor_yuan,
               (long long)c->ceil_yuan);
    buf_number(out, round(c->share * 1000) / 1000);
    buf_printf(out,
               ",\"advisory_yuan\":%lld,\"clamped\":%s,\"reasoning\":", (long long)c->advisory_yuan,
               c->clamped ? "true" : "false");
    buf_putc(out, '[');
    for (int i = 0; i < c->n_lines; i++) {
        buf_puts(out, i ? ",{" : "{");
        json_kv_str(out, "zh", c->lines[i].zh, false);
        json_kv_str(out, "en", c->lines[i].en, true);
        buf_putc(out, '}');
    }
    buf_puts(out, "]}");
}

static void reasoning_array(const struct pen_calc_result *c, struct buf *out)
{
    buf_putc(out, '[');
    for (int i = 0; i < c->n_lines; i++) {
        buf_puts(out, i ? ",{" : "{");
        json_kv_str(out, "zh", c->lines[i].zh, false);
        json_kv_str(out, "en", c->lines[i].en, true);
        buf_putc(out, '}');
    }
    buf_putc(out, ']');
}

/* Calculate for row from body; the response on refusal. */
static int calculate(struct req *r, json_t *body, const struct pen_rules *pr,
                     const struct pen_row *row, struct pen_calc_input *in,
                     struct pen_calc_result *res)
{
    struct pen_violation v;
    if (pen_violation_find(&pr->disc, row->violation_type, &v)) {
        return resp_error(r, 409, "unknown_violation_type",
                          "违法类型不在现行裁量基准中 / the violation type is not in the rule set",
                          "violation_type"),
               ERR_CONFLICT;
    }
    if (calc_input(r, body, &pr->disc, in)) {
        return ERR_INPUT;
    }
    const char *field;
    char why[400];
    if (pen_calculate(&pr->disc, &v, in, res, &field, why, sizeof why)) {
        return resp_error(r, 422, "invalid", why, field), ERR_INPUT;
    }
    return 0;
}

static int api_calculate(struct req *r)
{
    json_t *body;
    if (req_json_object(r, &body)) {
        return 0;
    }
    struct db *db = store_read(app.store);
    struct pen_row row;
    struct pen_rules pr = {0};
    char today[11];
    today_cn(today);
    int rc = load_case(r, db, &row);
    rc = rc ? rc : rules_or_refuse(r, db, row.region_code, row.filed_on, &pr);
    struct pen_calc_input in;
    struct pen_calc_result res;
    rc = rc ? rc : calculate(r, body, &pr, &row, &in, &res);
    if (!rc) {
        calc_json(&res, &r->out);
    }
    pen_rules_free(&pr);
    json_decref(body);
    return entity_finish_read(r, db, rc);
}

static int api_discretion(struct req *r)
{
    json_t *body;
    if (req_json_object(r, &body)) {
        return 0;
    }
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(body);
        return resp_err(r, rc, NULL, NULL);
    }
    struct pen_row row;
    struct pen_rules pr = {0};
    rc = load_case(r, db, &row);
    if (!rc && strcmp(row.status, "filed") && strcmp(row.status, "investigating")) {
        rc = (resp_error(r, 409, "state",
                         "事先告知后不能再修改裁量 / the discretion is fixed once the notice is "
                         "served",
                         "status"),
              ERR_CONFLICT);
    }
    rc = rc ? rc : rules_or_refuse(r, db, row.region_code, row.filed_on, &pr);
    struct pen_calc_input in;
    struct pen_calc_result res;
    rc = rc ? rc : calculate(r, body, &pr, &row, &in, &res);
    const char *reason = NULL;
    int64_t amount = 0;
    if (!rc && json_get_str(r, body, "departure_reason", TEXT_MAX, false, &reason)) {
        rc = ERR_INPUT;
    }
    if (!rc) {
        json_t *a = json_object_get(body, "amount_yuan");
        if (a && !json_is_null(a) && !json_is_integer(a)) {
            rc = (resp_error(r, 422, "invalid", "amount_yuan 须为整数（元） / must be whole yuan",
                             "amount_yuan"),
                  ERR_INPUT);
        }
        amount = a && json_is_integer(a) ? json_integer_value(a) : res.advisory_yuan;
    }
    if (!rc) {
        const char *field;
        char why[400];
        if (pen_check_amount(&res, amount, reason, &field, why, sizeof why)) {
            rc = (resp_error(r, 422, "invalid", why, field), ERR_INPUT);
        }
    }
    if (!rc) {
        struct buf factors, reasoning;
        buf_init(&factors, 1 << 14);
        buf_init(&reasoning, 1 << 18);
        buf_putc(&factors, '{');
        for (int i = 0; i < pr.disc.n_factors; i++) {
            buf_printf(&factors, "%s\"%s\":", i ? "," : "", pr.disc.factors[i].code);
            buf_json_str(&factors, in.levels[i], strlen(in.levels[i]));
        }
        if (in.base_yuan > 0) {
            buf_puts(&factors, ",\"base_yuan\":");
            buf_number(&factors, in.base_yuan);
        }
        buf_putc(&factors, '}');
        reasoning_array(&res, &reasoning);
        struct pen_discretion_save s = {
            .factors_json = factors.p,
            .mitigation = pen_mitigation_name(in.mitigation),
            .mitigation_basis = in.mitigation != PM_NONE && in.ground ? in.ground : "",
            .reasoning_json = reasoning.p,
            .departure_reason = amount != res.advisory_yuan && reason ? reason : "",
            .advisory_yuan = res.advisory_yuan,
            .amount_yuan = amount,
            .rule_set_id = pr.disc_ref.id,
            .rule_version = pr.disc_ref.version};
        rc = store_penalty_save_discretion(db, row.id, &s, now);
        rc = rc ? rc : rules_mark_used(db, &pr.disc_ref);
        if (!rc) {
            struct buf after;
            buf_init(&after, 1 << 18);
            buf_printf(&after,
                       "{\"factors\":%s,\"mitigation\":\"%s\",\"advisory_yuan\":%lld,"
                       "\"amount_yuan\":%lld,\"departure_reason\":",
                       factors.p, s.mitigation, (long long)s.advisory_yuan, (long long)amount);
            buf_json_str(&after, s.departure_reason, strlen(s.departure_reason));
            buf_putc(&after, '}');
            rc = audit(r, db, row.id, "penalty_discretion", after.p);
            buf_release(&after);
        }
        if (!rc) {
            buf_printf(&r->out,
                       "{\"id\":%lld,\"amount_yuan\":%lld,\"calculation\":", (long long)row.id,
                       (long long)amount);
            calc_json(&res, &r->out);
            buf_putc(&r->out, '}');
        }
        buf_release(&factors);
        buf_release(&reasoning);
    }
    pen_rules_free(&pr);
    json_decref(body);
    return entity_finish_write(r, db, rc, 200);
}

/* ---------------- opening a case ---------------- */

static int api_open(struct req *r)
{
    json_t *body;
    if (req_json_object(r, &body)) {
        return 0;
    }
    const char *vt = NULL, *title = NULL, *facts = NULL, *filed_on = NULL, *late = NULL;
    if (json_get_str(r, body, "violation_type", 48, false, &vt) ||
        json_get_str(r, body, "title", 200, false, &title) ||
        json_get_str(r, body, "facts", TEXT_MAX, false, &facts) ||
        json_get_str(r, body, "filed_on", 10, false, &filed_on) ||
        json_get_str(r, body, "late_reason", TEXT_MAX, false, &late)) {
        json_decref(body);
        return 0;
    }
    char today[11], now[32];
    today_cn(today);
    now_iso(now);
    if (!filed_on || !*filed_on) {
        filed_on = today;
    }
    int d;
    if (pen_days_between(filed_on, today, &d) || d < 0) {
        json_decref(body);
        return resp_error(r, 422, "invalid",
                          "立案日期须为不晚于今天的 YYYY-MM-DD / filed_on must be a date not after "
                          "today",
                          "filed_on");
    }
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(body);
        return resp_err(r, rc, NULL, NULL);
    }
    struct rectify_problem *p = arena_zalloc(r->a, sizeof *p);
    int64_t pid = req_id(r, 0);
    rc = pid > 0 ? rectify_problem_get(db, pid, p) : ERR_NOTFOUND;
    rc = rc ? rc : entity_enterprise_visible(r, db, p->enterprise_id);
    if (rc == ERR_NOTFOUND || rc == ERR_FORBIDDEN) {
        rc = (resp_error(r, 404, "not_found", "问题不存在 / no such problem", NULL), ERR_NOTFOUND);
    }
    int64_t existing = 0;
    rc = rc ? rc : store_penalty_of_problem(db, pid, &existing);
    if (!rc && existing) {
        char msg[160];
        snprintf(msg, sizeof msg, "该问题已立案（案件 %lld） / the problem already has case %lld",
                 (long long)existing, (long long)existing);
        rc = (resp_error(r, 409, "exists", msg, "problem_id"), ERR_CONFLICT);
    }
    if (!rc && (!vt || !*vt)) {
        vt = p->violation_type;
    }
    /* a complaint's description may name the complainant: the facts a decision publishes are
       then written by the officer, never copied from it */
    if (!rc && (!facts || !*facts) && !strcmp(p->source_kind, "complaint")) {
        rc = (resp_error(r, 422, "invalid",
                         "投诉来源的问题须另行写明违法事实 / write the facts for a problem from a "
                         "complaint",
                         "facts"),
              ERR_INPUT);
    }
    struct pen_rules pr = {0};
    bool have_rules = false;
    if (!rc) {
        rc = rules_or_refuse(r, db, p->region_code, filed_on, &pr);
        have_rules = !rc;
    }
    struct pen_violation v;
    if (!rc && (!*vt || pen_violation_find(&pr.disc, vt, &v))) {
        rc = (resp_error(r, 422, "invalid",
                         "请选择裁量基准中的违法类型 / choose a violation type of the discretion "
                         "rule set",
                         "violation_type"),
              ERR_INPUT);
    }
    /* the filing clock: within filing_days of discovery, else a written reason */
    char filing_due[11] = "";
    bool late_filed = false;
    if (!rc) {
        if (pen_days_between(p->found_on, filed_on, &d) || d < 0) {
            rc = (resp_error(r, 422, "invalid",
                             "立案日期不能早于发现日期 / filed_on cannot be before the problem was "
                             "found",
                             "filed_on"),
                  ERR_INPUT);
        } else {
            int64_t days = rules_int(pr.clocks_body, "filing_days", 15) +
                           rules_int(pr.clocks_body, "filing_extension_days", 0);
            pen_date_add(p->found_on, (int)rules_int(pr.clocks_body, "filing_days", 15),
                         filing_due);
            late_filed = d > days;
            if (late_filed && (!late || !*late)) {
                char msg[300];
                snprintf(msg, sizeof msg,
                         "发现后 %lld 日内未立案（应于 %s 前），须说明逾期理由 / filed after the "
                         "%lld-day limit: give the reason",
                         (long long)days, filing_due, (long long)days);
                rc = (resp_error(r, 422, "required", msg, "late_reason"), ERR_INPUT);
            }
        }
    }
    int64_t id = 0, case_id = 0;
    if (!rc) {
        char t[400];
        if (!title || !*title) {
            snprintf(t, sizeof t, "%s", v.zh);
            title = t;
        }
        struct pen_new n = {.enterprise_id = p->enterprise_id,
                            .problem_id = pid,
                            .created_by = r->who->user_id,
                            .region_code = p->region_code,
                            .violation_type = vt,
                            .title = title,
                            .facts = facts && *facts ? facts : p->description,
                            .found_on = p->found_on,
                            .filed_on = filed_on,
                            .created_by_name = r->who->display_name};
        rc = store_penalty_insert(db, &n, now, &id);
        char ctitle[600];
        snprintf(ctitle, sizeof ctitle, "行政处罚：%s", title);
        penalty_case_register();
        struct case_open o = {.type = "penalty",
                              .subject_kind = "penalty_case",
                              .subject_id = id,
                              .enterprise_id = p->enterprise_id,
                              .region_code = p->region_code,
                              .assignee_user_id =
                                  r->who->role == ROLE_INSPECTOR ? r->who->user_id : 0,
                              .title = ctitle,
                              .unit = CU_DAYS,
                              .limit = rules_int(pr.clocks_body, "decision_days", 90),
                              .rule_set_id = pr.clocks_ref.id,
                              .rule_version = pr.clocks_ref.version,
                              .limit_source = "rules penalty.clocks decision_days"};
        rc = rc ? rc : cases_open(db, &o, r->who->user_id, r->who->display_name, now, &case_id);
        rc = rc ? rc : store_penalty_set_case(db, id, case_id);
        rc = rc ? rc : rules_mark_used(db, &pr.clocks_ref);
        if (!rc) {
            struct buf after;
            buf_init(&after, 1 << 16);
            buf_printf(&after,
                       "{\"problem_id\":%lld,\"case_id\":%lld,\"violation_type\":", (long long)pid,
                       (long long)case_id);
            buf_json_str(&after, vt, strlen(vt));
            buf_printf(&after,
                       ",\"filed_on\":\"%s\",\"filing_due\":\"%s\",\"late_reason\":", filed_on,
                       filing_due);
            buf_json_str(&after, late_filed && late ? late : "",
                         late_filed && late ? strlen(late) : 0);
            buf_putc(&after, '}');
            rc = audit(r, db, id, "create", after.p);
            buf_release(&after);
        }
        if (!rc) {
            buf_printf(&r->out, "{\"id\":%lld,\"case_id\":%lld,\"filing_due\":\"%s\",\"late\":%s}",
                       (long long)id, (long long)case_id, filing_due,
                       late_filed ? "true" : "false");
        }
    }
    if (have_rules) {
        pen_rules_free(&pr);
    }
    json_decref(body);
    return entity_finish_write(r, db, rc, 201);
}

/* ---------------- reading ---------------- */

static int api_list(struct req *r)
{
    static const char *const SORT[] = {"filed_on",    "decided_on", "enterprise",
                                       "amount_yuan", "status",     "violation_type"};
    struct pen_list_query q = {.status = req_query(r, "status"),
                               .outcome = req_query(r, "outcome"),
                               .violation_type = req_query(r, "violation_type"),
                               .q = req_query(r, "q"),
                               .sort = req_query(r, "sort"),
                               .desc = !req_query(r, "order") ||
                                       !strcmp(req_query(r, "order"), "desc")};
    bool ok = !q.sort || !*q.sort;
    for (size_t i = 0; !ok && i < ARRAY_LEN(SORT); i++) {
        ok = !strcmp(q.sort, SORT[i]);
    }
    if (!ok) {
        return resp_error(r, 422, "invalid",
                          "sort 须为 filed_on、decided_on、enterprise、amount_yuan、status 或 "
                          "violation_type",
                          "sort");
    }
    static const char *const STATUS[] = {"open",    "filed",   "investigating", "noticed",
                                         "hearing", "decided", "executed",      "closed"};
    ok = !q.status || !*q.status;
    for (size_t i = 0; !ok && i < ARRAY_LEN(STATUS); i++) {
        ok = !strcmp(q.status, STATUS[i]);
    }
    if (!ok) {
        return resp_error(r, 422, "invalid", "status 不是有效的案件状态 / unknown status",
                          "status");
    }
    if (q.outcome && *q.outcome && strcmp(q.outcome, "penalty") &&
        strcmp(q.outcome, "no_penalty") && strcmp(q.outcome, "none")) {
        return resp_error(r, 422, "invalid", "outcome 须为 penalty、no_penalty 或 none", "outcome");
    }
    if ((q.q && strlen(q.q) > 100) || (q.violation_type && strlen(q.violation_type) > 48)) {
        return resp_error(r, 422, "too_long", "查询条件过长 / the filter is too long",
                          q.q && strlen(q.q) > 100 ? "q" : "violation_type");
    }
    q.limit = query_int(r, "limit", 50, 1, 500);
    q.offset = query_int(r, "offset", 0, 0, 10000000);
    q.enterprise_id = query_int(r, "enterprise_id", 0, 1, INT64_MAX);
    if (q.limit < 0 || q.offset < 0 || q.enterprise_id < 0) {
        return resp_error(r, 422, "invalid", "limit 为 1–500，offset 为非负整数",
                          q.limit < 0    ? "limit"
                          : q.offset < 0 ? "offset"
                                         : "enterprise_id");
    }
    struct db *db = store_read(app.store);
    int rc = store_penalty_list(db, &r->who->scope, &q, &r->out);
    return entity_finish_read(r, db, rc);
}

/* The deadlines of the legal clocks for row. */
static void deadlines_json(const struct pen_row *row, const struct pen_rules *pr, struct buf *out)
{
    char d[11] = "";
    buf_putc(out, '{');
    pen_date_add(row->found_on, (int)rules_int(pr->clocks_body, "filing_days", 15), d);
    json_kv_str(out, "filing_due", d, false);
    buf_printf(out, ",\"decision_days\":%lld,\"decision_extension_days\":%lld",
               (long long)rules_int(pr->clocks_body, "decision_days", 90),
               (long long)rules_int(pr->clocks_body, "decision_extension_days", 30));
    if (row->noticed_on[0]) {
        int rc = workdays_after(row->noticed_on,
                                (int)rules_int(pr->clocks_body, "hearing_request_workdays", 5), d);
        json_kv_str(out, "hearing_request_due", rc ? "" : d, true);
    }
    if (row->decided_on[0]) {
        if (!strcmp(row->outcome, "penalty")) {
            pen_date_add(row->decided_on, (int)rules_int(pr->clocks_body, "payment_days", 15), d);
            json_kv_str(out, "payment_due", d, true);
        }
        int rc = workdays_after(row->decided_on,
                                (int)rules_int(pr->clocks_body, "publish_workdays", 7), d);
        json_kv_str(out, "publish_due", rc ? "" : d, true);
    }
    buf_printf(out, ",\"hearing_min_yuan\":%lld}",
               (long long)rules_int(pr->clocks_body, "hearing_min_yuan", 200000));
}

/* hw_tonnes_year of the query or body: -1 when absent, -2 when malformed. */
static double hw_of(const char *s)
{
    if (!s || !*s) {
        return -1;
    }
    double x;
    return parse_f64(s, strlen(s), &x) || x < 0 || x > 1e7 ? -2 : x;
}

static int api_get(struct req *r)
{
    double hw = hw_of(req_query(r, "hw_tonnes_year"));
    if (hw < -1.5) {
        return resp_error(r, 422, "invalid", "hw_tonnes_year 须为非负数 / must be a number >= 0",
                          "hw_tonnes_year");
    }
    struct db *db = store_read(app.store);
    struct pen_row row;
    struct pen_rules pr = {0};
    int rc = load_case(r, db, &row);
    bool have = false;
    if (!rc) {
        rc = rules_or_refuse(r, db, row.region_code, row.filed_on, &pr);
        have = !rc;
    }
    if (!rc) {
        buf_puts(&r->out, "{\"case\":");
        rc = store_penalty_json(db, row.id, &r->out);
    }
    if (!rc) {
        buf_puts(&r->out, ",\"deadlines\":");
        deadlines_json(&row, &pr, &r->out);
        /* the calculator's choices: the factors and grounds, the violation type */
        buf_puts(&r->out, ",\"discretion\":{\"factors\":");
        char *s = json_dumps(json_object_get(pr.disc_body, "factors"), JSON_COMPACT);
        buf_puts(&r->out, s ? s : "[]");
        free(s);
        s = json_dumps(json_object_get(pr.disc_body, "grounds"), JSON_COMPACT);
        buf_puts(&r->out, ",\"grounds\":");
        buf_puts(&r->out, s ? s : "[]");
        free(s);
        size_t i;
        const json_t *v;
        buf_puts(&r->out, ",\"violation\":");
        bool found = false;
        json_array_foreach (pr.disc.violations, i, v) {
            if (!found &&
                !strcmp(json_string_value(json_object_get(v, "code")), row.violation_type)) {
                s = json_dumps(v, JSON_COMPACT);
                buf_puts(&r->out, s ? s : "null");
                free(s);
                found = true;
            }
        }
        if (!found) {
            buf_puts(&r->out, "null");
        }
        buf_printf(&r->out, ",\"rule_set_id\":%lld,\"rule_version\":%d}", (long long)pr.disc_ref.id,
                   pr.disc_ref.version);
        /* the no-penalty check on the case's data now */
        struct pen_facts f;
        struct pen_fact_store fs;
        rc = pen_case_facts(db, &row, &pr, hw, &f, &fs);
        if (!rc) {
            char passed[64];
            buf_puts(&r->out, ",\"exempt\":{\"items\":");
            pen_exempt_json(&pr, &f, &r->out, passed);
            json_kv_str(&r->out, "passed_item", passed, true);
            buf_puts(&r->out, ",\"facts\":{");
            json_kv_str(&r->out, "found_on", fs.found_on, false);
            json_kv_str(&r->out, "last_same_type", fs.last_same, true);
            json_kv_str(&r->out, "corrected_on", fs.corrected_on, true);
            buf_printf(&r->out, ",\"corrected_days\":%d,\"harm_level\":%d,\"point_id\":%lld",
                       f.corrected_days, f.harm_level, (long long)fs.point_id);
            json_kv_str(&r->out, "monitoring_from", fs.mon_from, true);
            json_kv_str(&r->out, "monitoring_to", fs.mon_to, true);
            buf_printf(&r->out, ",\"have_monitoring\":%s,\"exceed_multiple\":",
                       f.have_monitoring ? "true" : "false");
            buf_number(&r->out, round(f.exceed_multiple * 1000) / 1000);
            buf_printf(&r->out,
                       ",\"exceed_hours\":%g,\"exceed_factors\":%d,\"toxic\":%s,"
                       "\"hw_tonnes_year\":",
                       f.exceed_hours, f.exceed_factors, f.toxic ? "true" : "false");
            if (f.have_hw) {
                buf_number(&r->out, f.hw_tonnes_year);
            } else {
                buf_puts(&r->out, "null");
            }
            buf_printf(&r->out, "},\"rule_set_id\":%lld,\"rule_version\":%d}",
                       (long long)pr.exempt_ref.id, pr.exempt_ref.version);
        }
        /* the actions this user may take now */
        const struct case_type *t = cases_type_find("penalty");
        buf_puts(&r->out, ",\"actions\":[");
        int k = 0;
        for (size_t j = 0; rc == 0 && t && j < t->n_transitions; j++) {
            const struct case_transition *tr = &t->transitions[j];
            if (!strcmp(tr->from, row.case_state) && (tr->roles & r->who->role)) {
                buf_puts(&r->out, k++ ? ",{" : "{");
                json_kv_str(&r->out, "action", tr->action, false);
                json_kv_str(&r->out, "to", tr->to, true);
                json_kv_str(&r->out, "label_zh", tr->label_zh, true);
                json_kv_str(&r->out, "label_en", tr->label_en, true);
                buf_printf(&r->out, ",\"needs_note\":%s}",
                           tr->required && tr->required[0] ? "true" : "false");
            }
        }
        buf_puts(&r->out, "]}");
    }
    if (have) {
        pen_rules_free(&pr);
    }
    return entity_finish_read(r, db, rc);
}

static int api_violation_types(struct req *r)
{
    const char *region = req_query(r, "region");
    if (region && strlen(region) > 12) {
        return resp_error(r, 422, "too_long", "region 过长 / region too long", "region");
    }
    char today[11];
    today_cn(today);
    struct db *db = store_read(app.store);
    json_t *body = NULL;
    struct rule_ref ref;
    int rc = rules_resolve(db, "penalty.discretion", region ? region : "", today, &body, &ref);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 422, "no_rule_set", "没有有效的裁量基准 / no discretion rule set in force",
                   "rule_set");
    }
    if (!rc) {
        buf_puts(&r->out, "{\"items\":[");
        size_t i;
        const json_t *v;
        json_array_foreach (json_object_get(body, "violations"), i, v) {
            buf_puts(&r->out, i ? ",{" : "{");
            json_kv_str(&r->out, "code", json_string_value(json_object_get(v, "code")), false);
            json_kv_str(&r->out, "zh", json_string_value(json_object_get(v, "zh")), true);
            json_kv_str(&r->out, "en", json_string_value(json_object_get(v, "en")), true);
            buf_putc(&r->out, '}');
        }
        buf_printf(&r->out, "],\"rule_set_id\":%lld,\"rule_version\":%d}", (long long)ref.id,
                   ref.version);
        json_decref(body);
    }
    return entity_finish_read(r, db, rc);
}

/* ---------------- transitions ---------------- */

struct step {
    struct req *r;
    struct db *db;
    struct pen_row *row;
    struct pen_rules *pr;
    json_t *body;
    const char *action, *note, *today, *now;
    struct case_actor who;
};

static const char *money(int64_t yuan, char out[32])
{
    snprintf(out, 32, "%lld", (long long)yuan);
    return out;
}

/* The reasoning lines of the saved discretion, joined for a document. */
static void reasoning_text(struct db *db, int64_t id, struct buf *out, char *departure, size_t dcap,
                           char *facts, size_t fcap)
{
    struct buf tmp;
    buf_init(&tmp, 1 << 20);
    departure[0] = facts[0] = 0;
    if (!store_penalty_json(db, id, &tmp)) {
        json_t *o = json_loads(tmp.p, 0, NULL);
        size_t i;
        const json_t *l;
        json_array_foreach (json_object_get(o, "reasoning"), i, l) {
            buf_printf(out, "%s%s", i ? "；" : "", json_string_value(json_object_get(l, "zh")));
        }
        buf_puts(out, "。");
        const char *dr = json_string_value(json_object_get(o, "departure_reason"));
        if (dr && *dr) {
            snprintf(departure, dcap, "决定金额与建议金额不同，理由：%s。", dr);
        }
        const char *f = json_string_value(json_object_get(o, "facts"));
        size_t n = f ? strlen(f) : 0;
        /* a sentence: the facts end with 。 in the document */
        bool ends = n >= 3 && (!strcmp(f + n - 3, "。") || !strcmp(f + n - 3, "；"));
        snprintf(facts, fcap, "%s%s", f ? f : "", ends ? "" : "。");
        json_decref(o);
    }
    buf_release(&tmp);
}

static int issue(struct step *s, const char *kind, const struct doc_field *f, size_t n,
                 struct doc_issued *out)
{
    char err[400], key[64];
    snprintf(key, sizeof key, "%s:%lld", kind, (long long)s->row->id);
    struct doc_issue in = {.kind = kind,
                           .org_unit_id = s->row->org_unit_id,
                           .enterprise_id = s->row->enterprise_id,
                           .subject_kind = "penalty_case",
                           .subject_id = s->row->id,
                           .dedup_key = key,
                           .case_id = s->row->case_id,
                           .fields = f,
                           .n_fields = n,
                           .today = s->today,
                           .issued_by = s->who.user_id,
                           .actor = s->who.name,
                           .request_id = s->who.request_id,
                           .ip = s->who.ip};
    int rc = documents_issue(s->db, &in, out, err, sizeof err);
    if (rc) {
        resp_error(s->r, rc == ERR_CONFLICT ? 409 : 422, "document", err, "org_unit");
    }
    return rc;
}

/* The violation's name and legal basis of row. */
static void basis_of(struct step *s, struct pen_violation *v)
{
    if (pen_violation_find(&s->pr->disc, s->row->violation_type, v)) {
        memset(v, 0, sizeof *v);
        v->zh = v->legal_basis = v->credit_type = "";
    }
}

static int step_notify(struct step *s)
{
    struct pen_row *row = s->row;
    if (row->amount_yuan <= 0 || row->discretion_rule_set_id <= 0) {
        return resp_error(s->r, 409, "no_discretion",
                          "请先完成裁量计算并保存罚款金额 / work out and save the discretion first",
                          "amount_yuan"),
               ERR_CONFLICT;
    }
    struct pen_violation v;
    basis_of(s, &v);
    struct buf reasoning;
    buf_init(&reasoning, 1 << 18);
    char departure[TEXT_MAX + 100], facts[TEXT_MAX + 10], amount[32], due[11] = "", basis[1000],
                                                                      hearing[600];
    reasoning_text(s->db, row->id, &reasoning, departure, sizeof departure, facts, sizeof facts);
    int n = (int)rules_int(s->pr->clocks_body, "hearing_request_workdays", 5);
    int rc = workdays_after(s->today, n, due);
    if (rc) {
        buf_release(&reasoning);
        return resp_error(
                   s->r, 422, "calendar",
                   "工作日历缺少所需年份，无法计算听证申请期限 / the calendar lacks the year "
                   "of the hearing-request deadline",
                   "calendar"),
               ERR_INPUT;
    }
    snprintf(basis, sizeof basis, "%s", v.legal_basis);
    snprintf(
        hearing, sizeof hearing,
        "你单位可在收到本告知书之日起%d个工作日内（%s前）向本机关提出陈述、申辩意见；如要求听证，"
        "应当在此期限内提出（《中华人民共和国行政处罚法》第六十三条、第六十四条）。",
        n, due);
    struct doc_field f[] = {{"facts", facts},
                            {"legal_basis", basis},
                            {"reasoning", reasoning.p},
                            {"amount", money(row->amount_yuan, amount)},
                            {"hearing", hearing}};
    struct doc_issued d;
    rc = issue(s, "penalty_notice", f, ARRAY_LEN(f), &d);
    buf_release(&reasoning);
    rc = rc ? rc : store_penalty_noticed(s->db, row->id, s->today, d.id, s->now);
    if (!rc) {
        buf_printf(&s->r->out, ",\"document_id\":%lld,\"document_number\":", (long long)d.id);
        buf_json_str(&s->r->out, d.number, strlen(d.number));
        json_kv_str(&s->r->out, "hearing_request_due", due, true);
    }
    return rc;
}

static int hearing_due(struct step *s, char due[11])
{
    int rc = workdays_after(s->row->noticed_on,
                            (int)rules_int(s->pr->clocks_body, "hearing_request_workdays", 5), due);
    if (rc) {
        resp_error(s->r, 422, "calendar",
                   "工作日历缺少所需年份 / the calendar lacks a year the deadline needs",
                   "calendar");
    }
    return rc;
}

static int step_request_hearing(struct step *s)
{
    char due[11];
    int rc = hearing_due(s, due);
    if (!rc && strcmp(s->today, due) > 0) {
        char msg[240];
        snprintf(msg, sizeof msg,
                 "听证申请期限已于 %s 届满（告知后 %lld 个工作日） / the hearing request period "
                 "ended on %s",
                 due, (long long)rules_int(s->pr->clocks_body, "hearing_request_workdays", 5), due);
        rc = (resp_error(s->r, 409, "hearing_window_closed", msg, "action"), ERR_CONFLICT);
    }
    return rc ? rc : store_penalty_hearing(s->db, s->row->id, s->now);
}

static int open_order(struct step *s, const char *origin, const char *requirement, int workdays,
                      int64_t *order_id)
{
    int64_t case_id = 0;
    const char *field = NULL;
    /* an order hangs on the problem while it is open; a problem already closed (corrected and
       verified) takes no new order: the check then belongs to the case alone (origin_id) */
    int64_t problem_id = s->row->problem_id;
    struct rectify_problem p;
    if (problem_id > 0 &&
        (rectify_problem_get(s->db, problem_id, &p) || !strcmp(p.status, "closed"))) {
        problem_id = 0;
    }
    struct rectify_order_input in = {.enterprise_id = s->row->enterprise_id,
                                     .problem_id = problem_id,
                                     .origin = origin,
                                     .origin_id = s->row->id,
                                     .requirement = requirement,
                                     .workdays = workdays,
                                     .verifier_user_id = 0};
    struct case_actor who = s->who;
    who.from_subject = false;
    int rc = rectify_order_open(s->db, &in, &who, s->now, order_id, &case_id, &field);
    if (rc == ERR_INPUT || rc == ERR_CONFLICT) {
        resp_error(s->r, rc == ERR_INPUT ? 422 : 409, rc == ERR_INPUT ? "invalid" : "conflict",
                   "整改通知无法下达 / the rectification order was refused",
                   field && !strcmp(field, "workdays") ? "workdays" : "requirement");
    }
    return rc;
}

static int get_workdays(struct step *s, int *out)
{
    json_t *w = json_object_get(s->body, "workdays");
    *out = 0;
    if (w && !json_is_null(w)) {
        if (!json_is_integer(w) || json_integer_value(w) < 1 || json_integer_value(w) > 365) {
            return resp_error(s->r, 422, "invalid", "workdays 须为 1–365 的整数", "workdays"),
                   ERR_INPUT;
        }
        *out = (int)json_integer_value(w);
    }
    return 0;
}

static int get_publish(struct step *s, int64_t *out)
{
    json_t *p = json_object_get(s->body, "publish");
    if (p && !json_is_boolean(p)) {
        return resp_error(s->r, 422, "invalid", "publish 须为 true 或 false", "publish"), ERR_INPUT;
    }
    *out = !p || json_is_true(p);
    return 0;
}

static int step_decide(struct step *s)
{
    struct pen_row *row = s->row;
    json_t *waived = json_object_get(s->body, "waived");
    if (waived && !json_is_boolean(waived)) {
        return resp_error(s->r, 422, "invalid", "waived 须为 true 或 false", "waived"), ERR_INPUT;
    }
    char due[11];
    int rc = hearing_due(s, due);
    if (!rc && !row->hearing_requested && !json_is_true(waived) && strcmp(s->today, due) <= 0) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "陈述、申辩和听证申请期限至 %s，期满或当事人书面放弃后方可决定 / the party may "
                 "state its case until %s: decide after it, or record that it waived (waived)",
                 due, due);
        rc = (resp_error(s->r, 409, "statement_period", msg, "waived"), ERR_CONFLICT);
    }
    const char *requirement = NULL;
    int workdays = 0;
    int64_t publish = 1;
    if (!rc && (json_get_str(s->r, s->body, "requirement", TEXT_MAX, false, &requirement) ||
                get_workdays(s, &workdays) || get_publish(s, &publish))) {
        rc = ERR_INPUT;
    }
    if (rc) {
        return rc;
    }
    struct pen_violation v;
    basis_of(s, &v);
    /* credit: the violation type's credit event (a veto type where it names one) */
    char reason[300];
    snprintf(reason, sizeof reason, "行政处罚：%s，罚款 %lld 元", v.zh,
             (long long)row->amount_yuan);
    char key[48];
    snprintf(key, sizeof key, "penalty:%lld", (long long)row->id);
    struct credit_event_input ce = {.subject_kind = "enterprise",
                                    .subject_id = row->enterprise_id,
                                    .type =
                                        v.credit_type && *v.credit_type ? v.credit_type : "penalty",
                                    .occurred_on = s->today,
                                    .reason = reason,
                                    .evidence = "",
                                    .source = "penalty",
                                    .source_id = row->id,
                                    .dedupe_key = key,
                                    .actor_id = s->who.user_id,
                                    .actor = s->who.name,
                                    .request_id = s->who.request_id,
                                    .ip = s->who.ip};
    int64_t event_id = 0;
    rc = credit_event_add(s->db, &ce, s->now, &event_id);
    if (rc == ERR_INPUT && strcmp(ce.type, "penalty")) {
        /* the credit rule set in force has no such veto type: an ordinary penalty event */
        ce.type = "penalty";
        rc = credit_event_add(s->db, &ce, s->now, &event_id);
    }
    if (rc) {
        return resp_error(
                   s->r, 422, "credit",
                   "信用事件无法记录（信用评价规则集缺少 penalty 类型？） / the credit event "
                   "was refused",
                   "credit"),
               rc;
    }
    int64_t order_id = 0;
    if (requirement && *requirement) {
        rc = open_order(s, "penalty", requirement, workdays, &order_id);
        if (rc) {
            return rc;
        }
    }
    struct buf reasoning;
    buf_init(&reasoning, 1 << 18);
    char departure[TEXT_MAX + 100], facts[TEXT_MAX + 10], amount[32], basis[1000], noticed[40],
        hearing[200], pdays[16];
    reasoning_text(s->db, row->id, &reasoning, departure, sizeof departure, facts, sizeof facts);
    snprintf(basis, sizeof basis, "%s", v.legal_basis);
    documents_date_cn(row->noticed_on, noticed, sizeof noticed);
    snprintf(hearing, sizeof hearing, "%s",
             row->hearing_requested ? "你单位申请了听证，本机关依法组织了听证。"
             : json_is_true(waived) ? "你单位书面放弃了陈述、申辩和听证的权利。"
                                    : "你单位在规定期限内未提出陈述、申辩或听证申请。");
    snprintf(pdays, sizeof pdays, "%lld",
             (long long)rules_int(s->pr->clocks_body, "payment_days", 15));
    struct doc_field f[] = {{"facts", facts},
                            {"legal_basis", basis},
                            {"noticed_on", noticed},
                            {"hearing", hearing},
                            {"reasoning", reasoning.p},
                            {"departure", departure},
                            {"amount", money(row->amount_yuan, amount)},
                            {"payment_days", pdays}};
    struct doc_issued d;
    rc = issue(s, "penalty_decision", f, ARRAY_LEN(f), &d);
    buf_release(&reasoning);
    if (!rc) {
        struct pen_decision dec = {.outcome = "penalty",
                                   .decided_on = s->today,
                                   .decision_no = d.number,
                                   .education = "",
                                   .exempt_item = "",
                                   .exempt_eval_json = "[]",
                                   .document_id = d.id,
                                   .rectify_order_id = order_id,
                                   .credit_event_id = event_id,
                                   .published = publish};
        rc = store_penalty_decide(s->db, row->id, &dec, s->now);
    }
    if (!rc) {
        buf_printf(&s->r->out,
                   ",\"document_id\":%lld,\"credit_event_id\":%lld,"
                   "\"rectify_order_id\":%lld,\"decision_no\":",
                   (long long)d.id, (long long)event_id, (long long)order_id);
        buf_json_str(&s->r->out, d.number, strlen(d.number));
    }
    return rc;
}

static int step_decide_no_penalty(struct step *s)
{
    struct pen_row *row = s->row;
    const char *item = NULL, *education = NULL, *requirement = NULL, *hws = NULL;
    int workdays = 0;
    int64_t publish = 1;
    double hw = -1;
    json_t *h = json_object_get(s->body, "hw_tonnes_year");
    if (h && !json_is_null(h)) {
        if (!json_is_number(h) || json_number_value(h) < 0) {
            return resp_error(s->r, 422, "invalid", "hw_tonnes_year 须为非负数", "hw_tonnes_year"),
                   ERR_INPUT;
        }
        hw = json_number_value(h);
    }
    (void)hws;
    if (json_get_str(s->r, s->body, "item", 64, true, &item) ||
        json_get_str(s->r, s->body, "education", TEXT_MAX, true, &education) ||
        json_get_str(s->r, s->body, "requirement", TEXT_MAX, true, &requirement) ||
        get_workdays(s, &workdays) || get_publish(s, &publish)) {
        return ERR_INPUT;
    }
    if (!*education) {
        return resp_error(s->r, 422, "required",
                          "免罚不免责：须记录对当事人的教育 / record the education given",
                          "education"),
               ERR_INPUT;
    }
    if (!*requirement) {
        return resp_error(s->r, 422, "required",
                          "免罚不免责：须写明整改要求 / state what must be corrected",
                          "requirement"),
               ERR_INPUT;
    }
    struct pen_facts f;
    struct pen_fact_store fs;
    int rc = pen_case_facts(s->db, row, s->pr, hw, &f, &fs);
    if (rc) {
        return rc;
    }
    const json_t *it = NULL;
    size_t i;
    const json_t *x;
    json_array_foreach (json_object_get(s->pr->exempt_body, "items"), i, x) {
        if (!strcmp(json_string_value(json_object_get(x, "code")), item)) {
            it = x;
        }
    }
    if (!it) {
        return resp_error(s->r, 422, "invalid", "不予处罚清单中没有该事项 / no such item", "item"),
               ERR_INPUT;
    }
    struct pen_item_eval e;
    const char *field;
    if (pen_exempt_eval_item(it, &f, &e, &field)) {
        return resp_error(s->r, 422, "invalid", "清单事项无法判定 / the item does not read",
                          "item"),
               ERR_INPUT;
    }
    if (!e.passed) {
        struct buf msg;
        buf_init(&msg, 1 << 14);
        buf_printf(&msg, "不符合“%s”：", e.zh);
        int k = 0;
        if (!e.applies) {
            buf_puts(&msg, "该事项不适用于本案违法类型");
            k++;
        }
        for (int c = 0; c < e.n_conds; c++) {
            if (e.conds[c].verdict != PV_PASS) {
                buf_printf(&msg, "%s%s", k++ ? "；" : "", e.conds[c].zh);
            }
        }
        buf_puts(&msg, " / the case does not meet the item");
        resp_error(s->r, 409, "not_exempt", msg.p, "item");
        buf_release(&msg);
        return ERR_CONFLICT;
    }
    /* 免罚不免责: a rectification check */
    int64_t order_id = 0;
    rc = open_order(s, "exempt", requirement, workdays, &order_id);
    if (rc) {
        return rc;
    }
    struct buf evalj, conds;
    buf_init(&evalj, 1 << 18);
    buf_init(&conds, 1 << 16);
    char passed[64];
    pen_exempt_json(s->pr, &f, &evalj, passed);
    for (int c = 0; c < e.n_conds; c++) {
        buf_printf(&conds, "%s%s", c ? "；" : "", e.conds[c].zh);
    }
    buf_puts(&conds, "。");
    struct pen_violation v;
    basis_of(s, &v);
    char basis[1000], facts[TEXT_MAX + 10], departure[8], wd[16];
    struct buf unused;
    buf_init(&unused, 1 << 18);
    reasoning_text(s->db, row->id, &unused, departure, sizeof departure, facts, sizeof facts);
    buf_release(&unused);
    snprintf(basis, sizeof basis, "%s", v.legal_basis);
    snprintf(wd, sizeof wd, "%d", workdays > 0 ? workdays : 15);
    struct doc_field df[] = {{"facts", facts},
                             {"legal_basis", basis},
                             {"item", e.zh},
                             {"conditions", conds.p},
                             {"item_basis", e.legal_basis},
                             {"education", education},
                             {"requirement", requirement},
                             {"workdays", wd}};
    struct doc_issued d;
    rc = issue(s, "penalty_exempt", df, ARRAY_LEN(df), &d);
    if (!rc) {
        struct pen_decision dec = {.outcome = "no_penalty",
                                   .decided_on = s->today,
                                   .decision_no = d.number,
                                   .education = education,
                                   .exempt_item = item,
                                   .exempt_eval_json = evalj.p,
                                   .document_id = d.id,
                                   .rectify_order_id = order_id,
                                   .published = publish,
                                   .exempt_rule_set_id = s->pr->exempt_ref.id,
                                   .exempt_rule_version = s->pr->exempt_ref.version};
        rc = store_penalty_decide(s->db, row->id, &dec, s->now);
        rc = rc ? rc : rules_mark_used(s->db, &s->pr->exempt_ref);
    }
    if (!rc) {
        buf_printf(&s->r->out, ",\"document_id\":%lld,\"rectify_order_id\":%lld,\"decision_no\":",
                   (long long)d.id, (long long)order_id);
        buf_json_str(&s->r->out, d.number, strlen(d.number));
    }
    buf_release(&evalj);
    buf_release(&conds);
    return rc;
}

static int step_close(struct step *s)
{
    const char *origin = !strcmp(s->row->outcome, "no_penalty") ? "exempt" : "penalty";
    if (s->row->rectify_order_id > 0) {
        bool all = false;
        char last[11];
        int rc = rectify_orders_verified(s->db, origin, s->row->id, &all, last);
        if (rc) {
            return rc;
        }
        if (!all) {
            return resp_error(s->r, 409, "rectification_open",
                              "整改尚未核查通过，不能结案（免罚不免责） / the rectification is not "
                              "verified yet",
                              "action"),
                   ERR_CONFLICT;
        }
    }
    return store_penalty_mark(s->db, s->row->id, "closed_on", s->today, s->now);
}

static int api_transition(struct req *r)
{
    json_t *body;
    if (req_json_object(r, &body)) {
        return 0;
    }
    const char *action = NULL, *note = NULL;
    if (json_get_str(r, body, "action", 32, true, &action) ||
        json_get_str(r, body, "note", TEXT_MAX, false, &note)) {
        json_decref(body);
        return 0;
    }
    int64_t extension = 0;
    json_t *ext = json_object_get(body, "extension");
    if (ext && !json_is_null(ext) &&
        (!json_is_integer(ext) || json_integer_value(ext) < 1 || json_integer_value(ext) > 365)) {
        json_decref(body);
        return resp_error(r, 422, "invalid", "extension 须为 1–365 的整数（日）", "extension");
    }
    extension = ext && json_is_integer(ext) ? json_integer_value(ext) : 0;
    char today[11], now[32];
    today_cn(today);
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(body);
        return resp_err(r, rc, NULL, NULL);
    }
    struct pen_row row;
    struct pen_rules pr = {0};
    bool have = false;
    rc = load_case(r, db, &row);
    if (!rc) {
        rc = rules_or_refuse(r, db, row.region_code, row.filed_on, &pr);
        have = !rc;
    }
    if (!rc && !strcmp(action, "extend") && extension > 0 &&
        extension > rules_int(pr.clocks_body, "decision_extension_days", 30)) {
        char msg[200];
        snprintf(msg, sizeof msg, "每次延长不超过 %lld 日 / at most %lld days at a time",
                 (long long)rules_int(pr.clocks_body, "decision_extension_days", 30),
                 (long long)rules_int(pr.clocks_body, "decision_extension_days", 30));
        rc = (resp_error(r, 422, "invalid", msg, "extension"), ERR_INPUT);
    }
    struct step s = {.r = r,
                     .db = db,
                     .row = &row,
                     .pr = &pr,
                     .body = body,
                     .action = action,
                     .note = note,
                     .today = today,
                     .now = now,
                     .who = actor_of(r)};
    if (!rc) {
        /* the engine first: state, role, required note, the clock */
        const char *present[2];
        size_t np = 0;
        if (note && *note) {
            present[np++] = "note";
        }
        char *fields = json_dumps(body, JSON_COMPACT);
        const char *field = NULL;
        char why[400] = "";
        penalty_case_register();
        rc = cases_transition(db, row.case_id, action, &s.who, present, np, fields,
                              note ? note : "", extension, now, &field, why, sizeof why);
        free(fields);
        if (rc) {
            /* the case exists (loaded above): ERR_NOTFOUND is a calendar year the clock needs */
            int st = rc == ERR_INPUT || rc == ERR_NOTFOUND ? 422
                     : rc == ERR_FORBIDDEN                 ? 403
                     : rc == ERR_CONFLICT                  ? 409
                                                           : 0;
            if (rc == ERR_NOTFOUND && !field) {
                field = "calendar";
            }
            if (st) {
                resp_error(r, st,
                           st == 403   ? "forbidden"
                           : st == 409 ? "state"
                                       : "invalid",
                           why, field ? field : "action");
            }
        }
    }
    if (!rc) {
        const struct case_type *t = cases_type_find("penalty");
        const char *to = row.status;
        for (size_t i = 0; t && i < t->n_transitions; i++) {
            if (!strcmp(t->transitions[i].from, row.case_state) &&
                !strcmp(t->transitions[i].action, action)) {
                to = t->transitions[i].to;
            }
        }
        buf_printf(&r->out, "{\"id\":%lld,\"status\":\"%s\"", (long long)row.id, to);
        if (!strcmp(action, "notify")) {
            rc = step_notify(&s);
        } else if (!strcmp(action, "request_hearing")) {
            rc = step_request_hearing(&s);
        } else if (!strcmp(action, "decide")) {
            rc = step_decide(&s);
        } else if (!strcmp(action, "decide_no_penalty")) {
            rc = step_decide_no_penalty(&s);
        } else if (!strcmp(action, "close")) {
            rc = step_close(&s);
        } else if (!strcmp(action, "dismiss")) {
            rc = store_penalty_mark(db, row.id, "closed_on", today, now);
        } else if (!strcmp(action, "execute")) {
            rc = store_penalty_mark(db, row.id, "executed_on", today, now);
        }
        rc = rc ? rc : store_penalty_status(db, row.id, to, now);
        if (!rc) {
            buf_putc(&r->out, '}');
            struct buf after;
            buf_init(&after, 1 << 16);
            buf_printf(&after, "{\"from\":\"%s\",\"to\":\"%s\",\"note\":", row.status, to);
            buf_json_str(&after, note ? note : "", note ? strlen(note) : 0);
            buf_putc(&after, '}');
            char act[48];
            snprintf(act, sizeof act, "penalty_%s", action);
            rc = audit(r, db, row.id, act, after.p);
            buf_release(&after);
        }
    }
    if (have) {
        pen_rules_free(&pr);
    }
    json_decref(body);
    return entity_finish_write(r, db, rc, 200);
}

static int api_publish(struct req *r)
{
    json_t *body;
    if (req_json_object(r, &body)) {
        return 0;
    }
    json_t *p = json_object_get(body, "published");
    if (!json_is_boolean(p)) {
        json_decref(body);
        return resp_error(r, 422, "required", "published 须为 true 或 false", "published");
    }
    bool pub = json_is_true(p);
    json_decref(body);
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct pen_row row;
    rc = load_case(r, db, &row);
    if (!rc && !strcmp(row.outcome, "none")) {
        rc = (resp_error(r, 409, "not_decided", "尚未作出决定 / not decided yet", "published"),
              ERR_CONFLICT);
    }
    rc = rc ? rc : store_penalty_publish(db, row.id, pub, now);
    rc = rc ? rc : audit(r, db, row.id, pub ? "penalty_publish" : "penalty_unpublish", NULL);
    if (!rc) {
        buf_printf(&r->out, "{\"id\":%lld,\"published\":%s}", (long long)row.id,
                   pub ? "true" : "false");
    }
    return entity_finish_write(r, db, rc, 200);
}

/* ---------------- public ---------------- */

static int api_public_list(struct req *r)
{
    struct pen_list_query q = {.outcome = req_query(r, "outcome"),
                               .violation_type = req_query(r, "violation_type"),
                               .q = req_query(r, "q"),
                               .sort = req_query(r, "sort"),
                               .desc = !req_query(r, "order") ||
                                       !strcmp(req_query(r, "order"), "desc")};
    if (q.sort && *q.sort && strcmp(q.sort, "decided_on") && strcmp(q.sort, "enterprise") &&
        strcmp(q.sort, "amount_yuan")) {
        return resp_error(r, 422, "invalid", "sort 须为 decided_on、enterprise 或 amount_yuan",
                          "sort");
    }
    if (!q.sort || !*q.sort) {
        q.sort = "decided_on";
    }
    if (q.outcome && *q.outcome && strcmp(q.outcome, "penalty") &&
        strcmp(q.outcome, "no_penalty")) {
        return resp_error(r, 422, "invalid", "outcome 须为 penalty 或 no_penalty", "outcome");
    }
    if ((q.q && strlen(q.q) > 100) || (q.violation_type && strlen(q.violation_type) > 48)) {
        return resp_error(r, 422, "too_long", "查询条件过长 / the filter is too long", "q");
    }
    q.limit = query_int(r, "limit", 20, 1, 200);
    q.offset = query_int(r, "offset", 0, 0, 10000000);
    if (q.limit < 0 || q.offset < 0) {
        return resp_error(r, 422, "invalid", "limit 为 1–200，offset 为非负整数",
                          q.limit < 0 ? "limit" : "offset");
    }
    struct db *db = store_read(app.store);
    int rc = store_penalty_public_list(db, &q, &r->out);
    return entity_finish_read(r, db, rc);
}

static int api_public_get(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db = store_read(app.store);
    int rc = id > 0 ? store_penalty_public_get(db, id, &r->out) : ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该公开的处罚决定 / no such published decision", NULL);
    }
    return entity_finish_read(r, db, rc);
}

int penalty_risk_routes_add(struct router *rt);

static const struct route routes[] = {
    {"POST", "/api/v1/problems/{id}/penalty", OFFICERS, api_open, 0,
     "Open a penalty case (立案) from a problem"},
    {"GET", "/api/v1/penalty/cases", ROLES_ANY, api_list, 0, "Penalty cases (sort, filter, page)"},
    {"GET", "/api/v1/penalty/cases/{id}", ROLES_ANY, api_get, 0,
     "A penalty case: deadlines, the calculator's choices, the no-penalty check, actions"},
    {"POST", "/api/v1/penalty/cases/{id}/calculate", OFFICERS, api_calculate, 0,
     "Work out the advisory amount and its reasoning (nothing is saved)"},
    {"PUT", "/api/v1/penalty/cases/{id}/discretion", OFFICERS, api_discretion, 0,
     "Save the discretion: factor levels, mitigation, the amount (a departure needs a reason)"},
    {"POST", "/api/v1/penalty/cases/{id}/transitions", ROLES_ANY, api_transition, 0,
     "Move a penalty case: investigate, notify, request_hearing, decide, decide_no_penalty …"},
    {"POST", "/api/v1/penalty/cases/{id}/publish", DECIDERS, api_publish, 0,
     "Publish or withdraw a decision on the public page"},
    {"GET", "/api/v1/penalty/violation-types", ROLES_STAFF, api_violation_types, 0,
     "The violation types of the discretion rule set in force"},
    {"GET", "/api/v1/public/penalty/decisions", 0, api_public_list, RF_PUBLIC,
     "Published penalty decisions (no login)"},
    {"GET", "/api/v1/public/penalty/decisions/{id}", 0, api_public_get, RF_PUBLIC,
     "One published penalty decision (no login)"},
};

void penalty_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
    penalty_risk_routes_add(rt);
}
