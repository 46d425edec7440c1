/*
** The rectify hub: problems, rectification orders and the rectification case type.
*/
#include "rectify/rectify.h"

#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"
#include "rectify/workflow.h"
#include "store/q_cases.h"
#include "store/q_rectify.h"

static bool in_list(const char *s, const char *const *list)
{
    for (; s && *list; list++) {
        if (!strcmp(s, *list)) {
            return true;
        }
    }
    return false;
}

static const char *const LEVELS[] = {"enterprise", "local", "enforcement", NULL};
static const char *const SOURCES[] = {"inspect_task", "selfcheck", "patrol", "alarm",
                                      "complaint",    "campaign",  "manual", NULL};
static const char *const CATEGORIES[] = {
    "permit", "facility", "ledger", "hazardous_waste", "online_monitoring", "emergency_plan",
    "eia",    "other",    NULL};
static const char *const ORIGINS[] = {"problem", "penalty", "exempt", "campaign", NULL};

bool rectify_level_valid(const char *s)
{
    return in_list(s, LEVELS);
}
bool rectify_source_valid(const char *s)
{
    return in_list(s, SOURCES);
}
bool rectify_category_valid(const char *s)
{
    return in_list(s, CATEGORIES);
}

/* A real calendar date YYYY-MM-DD (2026-02-30 is not). */
static bool date_ok(const char *s)
{
    int32_t day;
    return s && strlen(s) == 10 && !calendar_date_parse(s, 10, &day);
}

static int audit(struct db *db, const struct case_actor *who, const char *entity, int64_t id,
                 const char *action, const char *after)
{
    struct audit_entry a = {.actor_id = who ? who->user_id : 0,
                            .actor = who && who->name ? who->name : "system",
                            .entity = entity,
                            .entity_id = id,
                            .action = action,
                            .after_json = after,
                            .request_id = who ? who->request_id : NULL,
                            .ip = who ? who->ip : NULL};
    return store_audit_add(db, &a);
}

/* The China date of now (UTC ISO), or of the clock when now is malformed. */
static void today_cn(const char *now, char out[11])
{
    char cn[20];
    if (now && iso_utc_to_china(now, cn)) {
        snprintf(out, 11, "%.10s", cn);
    } else {
        date_cn(wall_ms() / 1000, out);
    }
}

int rectify_problem_add(struct db *db, const struct rectify_problem_input *in,
                        const struct case_actor *who, const char *now, int64_t *id,
                        const char **field)
{
    *field = NULL;
    if (in->enterprise_id <= 0) {
        *field = "enterprise_id";
        return ERR_INPUT;
    }
    if (!rectify_level_valid(in->level)) {
        *field = "level";
        return ERR_INPUT;
    }
    if (!rectify_source_valid(in->source_kind)) {
        *field = "source_kind";
        return ERR_INPUT;
    }
    if (!rectify_category_valid(in->category)) {
        *field = "category";
        return ERR_INPUT;
    }
    if (!in->description || !*in->description || strlen(in->description) > 2000) {
        *field = "description";
        return ERR_INPUT;
    }
    if (in->clause && strlen(in->clause) > 500) {
        *field = "clause";
        return ERR_INPUT;
    }
    if (in->violation_type && strlen(in->violation_type) > 60) {
        *field = "violation_type";
        return ERR_INPUT;
    }
    if (in->found_on && !date_ok(in->found_on)) {
        *field = "found_on";
        return ERR_INPUT;
    }
    struct rectify_problem_row p;
    memset(&p, 0, sizeof p);
    int rc =
        store_rectify_enterprise_region(db, in->enterprise_id, p.region_code, sizeof p.region_code);
    if (rc) {
        if (rc == ERR_NOTFOUND) {
            *field = "enterprise_id";
        }
        return rc;
    }
    p.enterprise_id = in->enterprise_id;
    p.source_id = in->source_id;
    p.point_id = in->point_id;
    p.alarm_id = in->alarm_id;
    /* a problem an alarm showed concerns the alarm's point (the no-penalty list measures the
       exceedance there); an alarm of another enterprise is refused */
    if (p.alarm_id && !p.point_id) {
        rc = store_rectify_alarm_point(db, p.alarm_id, p.enterprise_id, &p.point_id);
        if (rc) {
            *field = "alarm_id";
            return rc == ERR_NOTFOUND ? ERR_INPUT : rc;
        }
    }
    p.found_by = in->found_by;
    snprintf(p.level, sizeof p.level, "%s", in->level);
    snprintf(p.source_kind, sizeof p.source_kind, "%s", in->source_kind);
    snprintf(p.category, sizeof p.category, "%s", in->category);
    snprintf(p.description, sizeof p.description, "%s", in->description);
    snprintf(p.clause, sizeof p.clause, "%s", in->clause ? in->clause : "");
    snprintf(p.violation_type, sizeof p.violation_type, "%s",
             in->violation_type ? in->violation_type : "");
    if (in->found_on) {
        snprintf(p.found_on, sizeof p.found_on, "%s", in->found_on);
    } else {
        today_cn(now, p.found_on);
    }
    rc = store_rectify_problem_insert(db, &p, now, id);
    if (rc) {
        return rc;
    }
    struct buf a;
    buf_init(&a, 4096);
    buf_printf(&a, "{\"enterprise_id\":%lld,\"level\":\"%s\",\"source_kind\":\"%s\",",
               (long long)p.enterprise_id, p.level, p.source_kind);
    buf_printf(&a, "\"category\":\"%s\",\"found_on\":\"%s\",\"description\":", p.category,
               p.found_on);
    buf_json_str(&a, p.description, strlen(p.description));
    buf_puts(&a, ",\"clause\":");
    buf_json_str(&a, p.clause, strlen(p.clause));
    buf_puts(&a, ",\"violation_type\":");
    buf_json_str(&a, p.violation_type, strlen(p.violation_type));
    buf_putc(&a, '}');
    rc = audit(db, who, "problem", *id, "create", a.p);
    buf_release(&a);
    return rc;
}

int rectify_problem_get(struct db *db, int64_t id, struct rectify_problem *out)
{
    struct rectify_problem_row r;
    int rc = store_rectify_problem_get(db, id, &r);
    if (rc) {
        return rc;
    }
    memset(out, 0, sizeof *out);
    out->id = r.id;
    out->enterprise_id = r.enterprise_id;
    out->source_id = r.source_id;
    out->point_id = r.point_id;
    out->alarm_id = r.alarm_id;
    out->found_by = r.found_by;
    memcpy(out->region_code, r.region_code, sizeof out->region_code);
    memcpy(out->level, r.level, sizeof out->level);
    memcpy(out->source_kind, r.source_kind, sizeof out->source_kind);
    memcpy(out->category, r.category, sizeof out->category);
    memcpy(out->status, r.status, sizeof out->status);
    memcpy(out->found_on, r.found_on, sizeof out->found_on);
    memcpy(out->closed_on, r.closed_on, sizeof out->closed_on);
    memcpy(out->description, r.description, sizeof out->description);
    memcpy(out->clause, r.clause, sizeof out->clause);
    memcpy(out->violation_type, r.violation_type, sizeof out->violation_type);
    return 0;
}

int rectify_order_open(struct db *db, const struct rectify_order_input *in,
                       const struct case_actor *who, const char *now, int64_t *order_id,
                       int64_t *case_id, const char **field)
{
    *field = NULL;
    rectify_case_register(); /* commands open orders without `serve`'s start */
    if (!in_list(in->origin, ORIGINS)) {
        *field = "origin";
        return ERR_INPUT;
    }
    if (!in->requirement || !*in->requirement || strlen(in->requirement) > 2000) {
        *field = "requirement";
        return ERR_INPUT;
    }
    int workdays = in->workdays ? in->workdays : (int)settings_int("rectify_default_workdays");
    if (workdays <= 0 || workdays > 365) {
        *field = "workdays";
        return ERR_INPUT;
    }
    struct rectify_order_row o;
    memset(&o, 0, sizeof o);
    struct rectify_problem_row p;
    int rc = 0;
    if (in->problem_id) {
        rc = store_rectify_problem_get(db, in->problem_id, &p);
        if (rc) {
            *field = "problem_id";
            return rc;
        }
        if (in->enterprise_id && in->enterprise_id != p.enterprise_id) {
            *field = "enterprise_id";
            return ERR_INPUT;
        }
        if (!strcmp(p.status, "closed")) {
            *field = "problem_id";
            return ERR_CONFLICT;
        }
        o.enterprise_id = p.enterprise_id;
        memcpy(o.region_code, p.region_code, sizeof o.region_code);
        o.verifier_user_id = in->verifier_user_id ? in->verifier_user_id : p.found_by;
    } else {
        if (in->enterprise_id <= 0) {
            *field = "enterprise_id";
            return ERR_INPUT;
        }
        rc = store_rectify_enterprise_region(db, in->enterprise_id, o.region_code,
                                             sizeof o.region_code);
        if (rc) {
            *field = "enterprise_id";
            return rc;
        }
        o.enterprise_id = in->enterprise_id;
        o.verifier_user_id = in->verifier_user_id;
    }
    o.problem_id = in->problem_id;
    o.origin_id = in->origin_id;
    o.workdays = workdays;
    snprintf(o.origin, sizeof o.origin, "%s", in->origin);
    snprintf(o.requirement, sizeof o.requirement, "%s", in->requirement);
    rc = store_rectify_order_insert(db, &o, now, order_id);
    if (rc) {
        return rc;
    }
    char title[400];
    snprintf(title, sizeof title, "整改：%.300s", in->requirement);
    struct case_open co = {.type = "rectification",
                           .subject_kind = "rectify_order",
                           .subject_id = *order_id,
                           .enterprise_id = o.enterprise_id,
                           .region_code = o.region_code,
                           .assignee_user_id = o.verifier_user_id,
                           .title = title,
                           .unit = CU_WORKDAYS,
                           .limit = workdays,
                           .limit_source = in->workdays ? "order workdays"
                                                        : "setting rectify_default_workdays"};
    rc = cases_open(db, &co, who ? who->user_id : 0, who && who->name ? who->name : "system", now,
                    case_id);
    struct case_row c;
    rc = rc ? rc : store_case_get(db, *case_id, &c);
    if (rc) {
        return rc;
    }
    /* the clock is due at 24:00 China time of the due day: the day is the second before */
    char due[11] = "";
    int64_t due_s = c.due_at[0] ? case_iso_seconds(c.due_at) : 0;
    if (due_s > 0) {
        date_cn(due_s - 1, due);
    }
    rc = store_rectify_order_set_case(db, *order_id, *case_id, due[0] ? due : NULL, now);
    if (!rc && o.problem_id) {
        rc = store_rectify_problem_status(db, o.problem_id, "rectifying", NULL, now);
    }
    if (rc) {
        return rc;
    }
    struct buf a;
    buf_init(&a, 4096);
    buf_printf(&a, "{\"enterprise_id\":%lld,\"problem_id\":%lld,\"origin\":\"%s\",",
               (long long)o.enterprise_id, (long long)o.problem_id, o.origin);
    buf_printf(&a, "\"origin_id\":%lld,\"workdays\":%d,\"due_on\":\"%s\",\"requirement\":",
               (long long)o.origin_id, workdays, due);
    buf_json_str(&a, o.requirement, strlen(o.requirement));
    buf_putc(&a, '}');
    rc = audit(db, who, "rectify_order", *order_id, "create", a.p);
    buf_release(&a);
    return rc;
}

int rectify_order_mark_verified(struct db *db, int64_t order_id, const char *today, const char *now)
{
    struct rectify_order_row o;
    int rc = store_rectify_order_get(db, order_id, &o);
    rc = rc ? rc : store_rectify_order_status(db, order_id, "verified", today, now);
    if (rc || !o.problem_id) {
        return rc;
    }
    bool all = false;
    char last[11];
    rc = rectify_problem_verified(db, o.problem_id, &all, last);
    return rc || !all ? rc : store_rectify_problem_status(db, o.problem_id, "closed", today, now);
}

static int tally(struct db *db, const char *origin, int64_t id, bool *all, char last[11])
{
    int64_t n = 0, v = 0;
    int rc = store_rectify_orders_tally(db, origin, id, &n, &v, last);
    *all = !rc && n > 0 && v == n;
    return rc;
}

int rectify_orders_verified(struct db *db, const char *origin, int64_t origin_id, bool *all,
                            char last_verified_on[11])
{
    if (!origin) {
        return ERR_INPUT;
    }
    return tally(db, origin, origin_id, all, last_verified_on);
}

int rectify_problem_verified(struct db *db, int64_t problem_id, bool *all,
                             char last_verified_on[11])
{
    return tally(db, NULL, problem_id, all, last_verified_on);
}

/* ---------------- the case type ---------------- */

/* The full workflow's type (workflow.c: submit, verify, return, close; credit events). */
void rectify_case_register(void)
{
    rectify_workflow_register();
}
