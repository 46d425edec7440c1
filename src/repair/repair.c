/*
** Credit repair applications: the facts of an event's conditions gathered from the database
** (the credit.repair rule set in force, earlier granted repairs, the veto items in force under
** the credit.scoring rule set, the rectification), filing an application with its case, and
** the decision — by the legal section on the module's page or on the case page (the case
** type's on_move), or the enterprise's withdrawal. A grant re-checks the conditions and revokes
** the event with cause "repair" (credit recomputes the grade; the penalty's public decision
** drops out of the list by the revoked event). Every decision notifies the enterprise.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "credit/credit.h"
#include "repair/internal.h"
#include "rules/rules.h"
#include "store/q_credit.h"

#define DECIDERS (ROLE_LEGAL | ROLE_ADMIN)
#define EVENTS_SCANNED 2000 /* an enterprise's events looked at for veto items */

/* ---------------- facts ---------------- */

static void prior_add(int64_t id, const char *key, const char *decided_on, void *ctx)
{
    struct repair_context *cx = ctx;
    if (cx->n_prior < REPAIR_MAX_PRIOR) {
        struct repair_prior *p = &cx->prior[cx->n_prior++];
        p->id = id;
        snprintf(p->key, sizeof p->key, "%s", key);
        snprintf(p->decided_on, sizeof p->decided_on, "%s", decided_on);
    }
}

struct veto_scan {
    struct repair_context *cx;
    const struct credit_model *m;
};

/* An event of a veto type still counting today is serious dishonesty in force. */
static void veto_add(const struct repair_event_row *e, void *ctx)
{
    struct veto_scan *v = ctx;
    const struct credit_type_rule *t = credit_model_type(v->m, e->type);
    if (!t || !t->veto || strcmp(e->occurred_on, v->cx->today) > 0) {
        return;
    }
    char until[11] = "";
    if (t->valid_months) {
        credit_add_months(e->occurred_on, t->valid_months, until);
        if (strcmp(v->cx->today, until) >= 0) {
            return;
        }
    }
    if (v->cx->n_veto < REPAIR_MAX_VETO) {
        struct repair_veto *x = &v->cx->veto[v->cx->n_veto++];
        x->event_id = e->id;
        snprintf(x->type, sizeof x->type, "%s", e->type);
        snprintf(x->occurred_on, sizeof x->occurred_on, "%s", e->occurred_on);
        snprintf(x->until, sizeof x->until, "%s", until);
    }
}

static int load_vetoes(struct db *db, struct repair_context *cx)
{
    json_t *body = NULL;
    struct rule_ref ref;
    int rc = rules_resolve(db, "credit.scoring", cx->region_code, cx->today, &body, &ref);
    if (rc) {
        return rc == ERR_NOTFOUND ? 0 : rc; /* no scoring rule set: nothing is a veto item */
    }
    static _Thread_local struct credit_model m;
    char err[200];
    rc = credit_model_parse(body, &m, err, sizeof err);
    json_decref(body);
    if (rc) {
        return 0;
    }
    struct veto_scan v = {cx, &m};
    return store_repair_events_each(db, cx->enterprise_id, EVENTS_SCANNED, veto_add, &v);
}

int repair_context_load(struct db *db, int64_t enterprise_id, int64_t except_id, const char *today,
                        struct repair_context *cx)
{
    memset(cx, 0, sizeof *cx);
    cx->enterprise_id = enterprise_id;
    snprintf(cx->today, sizeof cx->today, "%s", today);
    struct credit_subject_row s;
    int rc = store_credit_subject(db, "enterprise", enterprise_id, &s);
    if (rc) {
        return rc;
    }
    snprintf(cx->region_code, sizeof cx->region_code, "%s", s.region_code);
    json_t *body = NULL;
    rc = rules_resolve(db, "credit.repair", s.region_code, today, &body, &cx->ref);
    if (rc) {
        return rc == ERR_NOTFOUND ? ERR_CONFLICT : rc;
    }
    char err[200];
    rc = repair_rules_parse(body, &cx->rules, err, sizeof err);
    json_decref(body);
    if (rc) {
        return ERR_CONFLICT;
    }
    rc = store_repair_priors_each(db, enterprise_id, except_id, prior_add, cx);
    return rc ? rc : load_vetoes(db, cx);
}

int repair_violation_key(struct db *db, const struct repair_event_row *e, char *out, size_t cap)
{
    char vt[64] = "";
    int64_t problem = 0;
    int rc = !strcmp(e->source, "penalty") && e->source_id
                 ? store_repair_penalty_case(db, e->source_id, vt, sizeof vt, &problem)
                 : 0;
    snprintf(out, cap, "%s", *vt ? vt : e->type);
    return rc;
}

int repair_check_in(struct db *db, const struct repair_context *cx,
                    const struct repair_event_row *e, struct repair_check *out,
                    char key[REPAIR_TYPE_MAX + 24])
{
    struct repair_facts f = {.event_type = e->type,
                             .occurred_on = e->occurred_on,
                             .today = cx->today,
                             .violation_key = key,
                             .prior = cx->prior,
                             .n_prior = cx->n_prior,
                             .veto = cx->veto,
                             .n_veto = cx->n_veto};
    int rc = repair_violation_key(db, e, key, REPAIR_TYPE_MAX + 24);
    rc = rc ? rc : repair_rectification_facts(db, e, &f);
    if (!rc) {
        repair_evaluate(&cx->rules, &f, out);
    }
    return rc;
}

/* ---------------- the case type ---------------- */

static const char *const STATES[] = {"filed", "granted", "refused", "withdrawn", NULL};
static const char *const FINAL[] = {"granted", "refused", "withdrawn", NULL};
static const char *const NOTE[] = {"note", NULL};

static const struct case_transition TRANSITIONS[] = {
    {"filed", "granted", "grant", DECIDERS, NULL, CLOCK_STOP, "准予信用修复", "Grant the repair"},
    {"filed", "refused", "refuse", DECIDERS, NOTE, CLOCK_STOP, "不予修复", "Refuse"},
    {"filed", "withdrawn", "withdraw", ROLE_ENTERPRISE, NULL, CLOCK_STOP, "撤回申请", "Withdraw"},
};

/* A transition taken on the case page moves the application (a grant only when the
   conditions hold now: otherwise the transition is refused). */
static int case_follow(struct db *db, int64_t id, const struct case_transition *tr,
                       const struct case_actor *who, const char *note, const char *now)
{
    struct repair_check check;
    int rc = repair_decide(db, id, tr->action, who, note, now, &check);
    return rc == ERR_NOTFOUND ? ERR_CONFLICT : rc;
}

static const struct case_type REPAIR_CASE = {
    .name = "credit_repair",
    .label_zh = "信用修复",
    .label_en = "Credit repair",
    .states = STATES,
    .final = FINAL,
    .transitions = TRANSITIONS,
    .n_transitions = ARRAY_LEN(TRANSITIONS),
    .on_move = case_follow,
};

void repair_case_register(void)
{
    cases_type_register(&REPAIR_CASE);
}

/* ---------------- the decision ---------------- */

static int audit(struct db *db, int64_t id, const char *action, const struct case_actor *who)
{
    struct audit_entry a = {.actor_id = who->user_id,
                            .actor = who->name ? who->name : "system",
                            .entity = "credit_repair",
                            .entity_id = id,
                            .action = action,
                            .request_id = who->request_id,
                            .ip = who->ip};
    return store_audit_add(db, &a);
}

static int notify(struct db *db, const struct repair_row *row, const char *action,
                  const char *reason, const char *now)
{
    char title[700];
    bool granted = !strcmp(action, "grant");
    snprintf(title, sizeof title, "%s（申请 #%lld）%s%s",
             granted ? "信用修复申请已获准予，信用等级已重新评定" : "信用修复申请未获准予",
             (long long)row->id, granted || !reason ? "" : "：", granted || !reason ? "" : reason);
    return store_repair_notify(db, row->enterprise_id,
                               granted ? "repair_granted" : "repair_refused", title, now);
}

/* Re-check the application's event on today (the earlier repairs without this one). */
static int recheck(struct db *db, const struct repair_row *row, const char *now,
                   struct repair_check *check)
{
    char today[11], cn[20];
    snprintf(today, sizeof today, "%.10s", iso_utc_to_china(now, cn) ? cn : now);
    static _Thread_local struct repair_context cx;
    struct repair_event_row e;
    char key[REPAIR_TYPE_MAX + 24];
    int rc = repair_context_load(db, row->enterprise_id, row->id, today, &cx);
    rc = rc ? rc : store_repair_event(db, row->event_id, &e);
    return rc ? rc : repair_check_in(db, &cx, &e, check, key);
}

int repair_decide(struct db *db, int64_t id, const char *action, const struct case_actor *who,
                  const char *reason, const char *now, struct repair_check *check)
{
    memset(check, 0, sizeof *check);
    struct repair_row row;
    int rc = store_repair_get(db, id, &row);
    if (rc) {
        return rc;
    }
    if (strcmp(row.state, "filed")) {
        return ERR_CONFLICT;
    }
    char today[11], cn[20];
    snprintf(today, sizeof today, "%.10s", iso_utc_to_china(now, cn) ? cn : now);
    const char *state = !strcmp(action, "grant")      ? "granted"
                        : !strcmp(action, "refuse")   ? "refused"
                        : !strcmp(action, "withdraw") ? "withdrawn"
                                                      : NULL;
    if (!state) {
        return ERR_INPUT;
    }
    bool grant = !strcmp(action, "grant");
    rc = recheck(db, &row, now, check);
    if (rc && !grant && rc != ERR_DB) {
        rc = 0; /* refusing or withdrawing needs no check (no rule set in force any more) */
        check->all_ok = false;
        check->c[0].code = NULL;
    }
    if (!rc && grant && !check->all_ok) {
        return ERR_CONFLICT; /* the conditions must hold when the repair is granted */
    }
    struct buf conds;
    buf_init(&conds, 1 << 16);
    if (!rc && check->c[0].code) {
        repair_conditions_json(check, &conds);
    } else {
        buf_puts(&conds, "");
    }
    char why[600];
    snprintf(why, sizeof why, "信用修复 #%lld 准予%s%s / credit repair #%lld granted",
             (long long)id, reason && *reason ? "：" : "", reason && *reason ? reason : "",
             (long long)id);
    if (!rc && grant) {
        rc = credit_event_revoke(db, row.event_id, why, who->user_id, who->name, "repair", now);
    }
    rc = rc ? rc
            : store_repair_decide(db, id, state, reason, who->user_id, today,
                                  conds.p ? conds.p : "", check->all_ok, now);
    buf_release(&conds);
    rc = rc ? rc : audit(db, id, action, who);
    if (!rc && strcmp(action, "withdraw")) {
        rc = notify(db, &row, action, reason, now);
    }
    return rc;
}

/* ---------------- filing ---------------- */

/* Open the application's case: deadline decide_workdays of the rule set (marked used by the
   caller), on the legal section's to-do list of the enterprise's org unit. */
int repair_case_open(struct db *db, int64_t id, const struct repair_context *cx,
                     const char *enterprise_name, int64_t actor_id, const char *actor,
                     const char *now, int64_t *case_id)
{
    char title[400];
    snprintf(title, sizeof title, "信用修复申请：%s", enterprise_name);
    struct case_open o = {.type = "credit_repair",
                          .subject_kind = "credit_repair",
                          .subject_id = id,
                          .enterprise_id = cx->enterprise_id,
                          .region_code = cx->region_code,
                          .title = title,
                          .unit = CU_WORKDAYS,
                          .limit = cx->rules.decide_workdays,
                          .rule_set_id = cx->ref.id,
                          .rule_version = cx->ref.version,
                          .limit_source = "rules credit.repair decide_workdays"};
    int rc = cases_open(db, &o, actor_id, actor, now, case_id);
    return rc ? rc : store_repair_set_case(db, id, *case_id);
}
