/*
** The rectification workflow (整改): the `rectification` case type of every order the hub opens
** — issued → submitted (the enterprise's evidence) → verified, or → returned with a reason →
** submitted again; an order still not rectified may be closed by a leader (overdue_closed) for
** the penalty route. The clock (working days from issue, the hub's) runs until verification;
** an overdue order's case escalates (督办) through the engine's sweep like any other. On
** verification: the credit event (rectification_verified, late_rectification when verified
** after the due date) and, when every order of the problem is verified, the problem closed.
** The same code runs whether the action comes through the order's routes (orders_api.c) or
** the case page (on_move).
*/
#include "rectify/workflow.h"

#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "core/util.h"
#include "credit/credit.h"
#include "rectify/rectify.h"
#include "store/q_rectify.h"
#include "store/q_rectify_flow.h"

#define VERIFIERS (ROLE_INSPECTOR | ROLE_LEADER)

static const char *const STATES[] = {"issued",   "submitted",      "returned",
                                     "verified", "overdue_closed", NULL};
static const char *const FINAL[] = {"verified", "overdue_closed", NULL};
static const char *const NOTE[] = {"note", NULL};

static const struct case_transition T[] = {
    {"issued", "submitted", "submit", ROLE_ENTERPRISE, NOTE, CLOCK_NONE, "提交整改材料",
     "Submit evidence"},
    {"returned", "submitted", "submit", ROLE_ENTERPRISE, NOTE, CLOCK_NONE, "重新提交整改材料",
     "Resubmit evidence"},
    {"submitted", "verified", "verify", VERIFIERS, NULL, CLOCK_STOP, "验收通过", "Verify"},
    {"issued", "verified", "verify", VERIFIERS, NULL, CLOCK_STOP, "现场核查通过", "Verify on site"},
    {"submitted", "returned", "return", VERIFIERS, NOTE, CLOCK_NONE, "退回整改", "Return"},
    {"issued", "overdue_closed", "close_overdue", ROLE_LEADER, NOTE, CLOCK_STOP, "逾期未整改结案",
     "Close as not rectified"},
    {"returned", "overdue_closed", "close_overdue", ROLE_LEADER, NOTE, CLOCK_STOP, "逾期未整改结案",
     "Close as not rectified"},
};

static int on_move(struct db *db, int64_t subject_id, const struct case_transition *tr,
                   const struct case_actor *who, const char *note, const char *now);

const struct case_type RECTIFY_CASE_TYPE = {.name = "rectification",
                                            .label_zh = "整改",
                                            .label_en = "Rectification",
                                            .states = STATES,
                                            .final = FINAL,
                                            .transitions = T,
                                            .n_transitions = ARRAY_LEN(T),
                                            .on_move = on_move};

void rectify_workflow_register(void)
{
    if (cases_type_find("rectification") != &RECTIFY_CASE_TYPE) {
        cases_type_register(&RECTIFY_CASE_TYPE);
    }
}

int rectify_deadline(const struct calendar *c, const char *issued_on, int workdays, char out[11],
                     int *missing_year)
{
    int32_t day, due;
    out[0] = 0;
    if (!issued_on || strlen(issued_on) != 10 || calendar_date_parse(issued_on, 10, &day) ||
        workdays < 1) {
        return ERR_INPUT;
    }
    int rc = calendar_add_workdays(c, day, workdays, &due, missing_year);
    if (!rc) {
        calendar_date_format(due, out);
    }
    return rc;
}

bool rectify_verified_late(const char *due_on, const char *verified_on)
{
    return due_on && *due_on && verified_on && strcmp(verified_on, due_on) > 0;
}

static int audit(struct db *db, const struct case_actor *who, const char *entity, int64_t id,
                 const char *action, const char *after)
{
    struct audit_entry a = {who->user_id, who->user_id ? who->name : "system",
                            entity,       id,
                            action,       NULL,
                            after,        who->request_id,
                            who->ip};
    return store_audit_add(db, &a);
}

/* The order verified (the hub's rectify_order_mark_verified: the row, and the problem closed
   once every order of it is), the credit event, and the problem's close in the audit log. */
static int verified(struct db *db, const struct rectify_order_row *o, const struct case_actor *who,
                    const char *today, const char *now)
{
    bool late = rectify_verified_late(o->due_on, today);
    char reason[160], key[48];
    snprintf(reason, sizeof reason, "整改通知 #%lld 验收通过%s / rectification order verified%s",
             (long long)o->id, late ? "（逾期）" : "", late ? " (late)" : "");
    snprintf(key, sizeof key, "rectify_order:%lld", (long long)o->id);
    struct credit_event_input ev = {.subject_kind = "enterprise",
                                    .subject_id = o->enterprise_id,
                                    .type = late ? "late_rectification" : "rectification_verified",
                                    .occurred_on = today,
                                    .reason = reason,
                                    .source = "rectify_order",
                                    .source_id = o->id,
                                    .dedupe_key = key,
                                    .actor_id = who->user_id,
                                    .actor = who->user_id ? who->name : "system",
                                    .request_id = who->request_id,
                                    .ip = who->ip};
    struct rectify_problem before = {0}, after = {0};
    int rc = o->problem_id ? rectify_problem_get(db, o->problem_id, &before) : 0;
    rc = rc ? rc : rectify_order_mark_verified(db, o->id, today, now);
    int64_t ev_id = 0;
    rc = rc ? rc : credit_event_add(db, &ev, now, &ev_id);
    if (rc || !o->problem_id) {
        return rc;
    }
    rc = rectify_problem_get(db, o->problem_id, &after);
    if (!rc && strcmp(before.status, "closed") && !strcmp(after.status, "closed")) {
        char a[64];
        snprintf(a, sizeof a, "{\"status\":\"closed\",\"closed_on\":\"%s\"}", after.closed_on);
        rc = audit(db, who, "problem", o->problem_id, "close_problem", a);
    }
    return rc;
}

/* The order's side of an action the case has taken. */
static int apply(struct db *db, const struct rectify_order_row *o, const char *action,
                 const struct case_actor *who, const char *text, const char *now)
{
    char today[11], after[128];
    int64_t s = case_iso_seconds(now);
    date_cn(s ? s : wall_ms() / 1000, today);
    const char *name = who->user_id ? who->name : "system";
    int rc;
    if (!strcmp(action, "submit")) {
        int64_t sid = 0, seq = 0;
        bool late = o->due_on[0] && strcmp(today, o->due_on) > 0;
        rc = store_rectify_submission_add(db, o->id, text ? text : "", who->user_id, name, late,
                                          now, &sid, &seq);
        rc = rc ? rc : store_rectify_order_status(db, o->id, "submitted", NULL, now);
        snprintf(after, sizeof after, "{\"status\":\"submitted\",\"seq\":%lld}", (long long)seq);
    } else if (!strcmp(action, "return")) {
        rc = store_rectify_submission_verdict(db, o->id, "returned", text ? text : "", who->user_id,
                                              name, now);
        rc = rc ? rc : store_rectify_order_status(db, o->id, "returned", NULL, now);
        snprintf(after, sizeof after, "{\"status\":\"returned\"}");
    } else if (!strcmp(action, "verify")) {
        /* from submitted: the verdict on the evidence; from issued: verified on site, with
           nothing submitted */
        rc = strcmp(o->status, "submitted")
                 ? 0
                 : store_rectify_submission_verdict(db, o->id, "verified", text ? text : "",
                                                    who->user_id, name, now);
        rc = rc ? rc : verified(db, o, who, today, now);
        snprintf(after, sizeof after, "{\"status\":\"verified\",\"on_site\":%s}",
                 strcmp(o->status, "submitted") ? "true" : "false");
    } else if (!strcmp(action, "close_overdue")) {
        rc = store_rectify_order_status(db, o->id, "overdue_closed", NULL, now);
        snprintf(after, sizeof after, "{\"status\":\"overdue_closed\"}");
    } else {
        return ERR_INPUT;
    }
    return rc ? rc : audit(db, who, "rectify_order", o->id, action, after);
}

/* A verifier named on the order acts on it; another inspector may not (a leader may). */
static bool may_verify(const struct rectify_order_row *o, const struct case_actor *who)
{
    return who->role != ROLE_INSPECTOR || !o->verifier_user_id ||
           o->verifier_user_id == who->user_id;
}

static int on_move(struct db *db, int64_t subject_id, const struct case_transition *tr,
                   const struct case_actor *who, const char *note, const char *now)
{
    struct rectify_order_row o;
    int rc = store_rectify_order_get(db, subject_id, &o);
    if (rc) {
        return rc;
    }
    if ((!strcmp(tr->action, "verify") || !strcmp(tr->action, "return")) && !may_verify(&o, who)) {
        return ERR_CONFLICT;
    }
    return apply(db, &o, tr->action, who, note, now);
}

int rectify_order_act(struct db *db, int64_t order_id, const char *action,
                      const struct case_actor *who, const char *text, bool from_case,
                      const char *now, const char **field, char *why, size_t cap)
{
    struct rectify_order_row o;
    int rc = store_rectify_order_get(db, order_id, &o);
    if (rc) {
        return rc;
    }
    if ((!strcmp(action, "verify") || !strcmp(action, "return")) && !may_verify(&o, who)) {
        snprintf(why, cap,
                 "只有指定的验收人可以验收或退回 / only the order's verifier may verify "
                 "or return it");
        return ERR_FORBIDDEN;
    }
    if (!from_case) {
        if (!o.case_id) {
            snprintf(why, cap, "整改通知没有办件 / the order has no case");
            return ERR_CONFLICT;
        }
        static const char *const PRESENT[] = {"note"};
        struct case_actor me = *who;
        me.from_subject = true;
        struct buf fields;
        buf_init(&fields, 1 << 16);
        buf_puts(&fields, "{\"note\":");
        buf_json_str(&fields, text ? text : "", text ? strlen(text) : 0);
        buf_putc(&fields, '}');
        rc = cases_transition(db, o.case_id, action, &me, PRESENT, text && *text ? 1 : 0, fields.p,
                              text, 0, now, field, why, cap);
        buf_release(&fields);
        if (rc) {
            return rc;
        }
    }
    return apply(db, &o, action, who, text, now);
}
