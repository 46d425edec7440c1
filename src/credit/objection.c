/*
** Objections (异议): an enterprise contests an event or a grade change; each objection runs as a
** case of type credit_objection on the casework engine, with a deadline in working days from
** the rule set in force (objection_workdays). The legal section decides on the case page:
** uphold revokes the event (and recomputes the grade) in the transition's transaction, reject
** keeps it with the reason written down. The enterprise may add an explanation or withdraw.
** While open the case is on the to-do list of the legal section of the enterprise's org unit
** and of the enterprise (its state's actors include both).
*/
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "core/err.h"
#include "core/util.h"
#include "credit/credit.h"
#include "http/http.h"
#include "rules/rules.h"
#include "store/q_credit.h"

#define DECIDERS (ROLE_LEGAL | ROLE_ADMIN)

static const char *const STATES[] = {"filed", "upheld", "rejected", "withdrawn", NULL};
static const char *const FINAL[] = {"upheld", "rejected", "withdrawn", NULL};
static const char *const NOTE[] = {"note", NULL};

static const struct case_transition TRANSITIONS[] = {
    {"filed", "upheld", "uphold", DECIDERS, NOTE, CLOCK_STOP, "异议成立（撤销事件）",
     "Uphold (revoke the event)"},
    {"filed", "rejected", "reject", DECIDERS, NOTE, CLOCK_STOP, "异议不成立", "Reject"},
    {"filed", "filed", "supplement", ROLE_ENTERPRISE, NOTE, CLOCK_NONE, "陈述异议理由",
     "State the grounds"},
    {"filed", "withdrawn", "withdraw", ROLE_ENTERPRISE, NULL, CLOCK_STOP, "撤回异议", "Withdraw"},
};

/* The decision taken on the case moves the objection (and, upheld, revokes its event). */
static int objection_follow(struct db *db, int64_t id, const struct case_transition *tr,
                            const struct case_actor *who, const char *note, const char *now)
{
    if (!strcmp(tr->action, "supplement")) {
        return 0;
    }
    struct credit_objection_row o;
    int rc = store_credit_objection_get(db, id, &o);
    if (rc) {
        return rc == ERR_NOTFOUND ? ERR_CONFLICT : rc;
    }
    if (!strcmp(tr->action, "uphold")) {
        if (o.event_id) {
            rc = credit_event_revoke(db, o.event_id, note, who->user_id, who->name, "objection",
                                     now);
            rc = rc == ERR_CONFLICT ? 0 : rc; /* revoked meanwhile: the objection still holds */
        } else {
            rc = credit_recompute_one(db, o.subject_kind, o.subject_id, "objection", now);
            rc = rc == ERR_NOTFOUND ? 0 : rc;
        }
    }
    rc = rc ? rc : store_credit_objection_decide(db, id, tr->to, note, now);
    if (!rc) {
        struct audit_entry a = {.actor_id = who->user_id,
                                .actor = who->name ? who->name : "system",
                                .entity = "credit_objection",
                                .entity_id = id,
                                .action = tr->action,
                                .request_id = who->request_id,
                                .ip = who->ip};
        rc = store_audit_add(db, &a);
    }
    return rc;
}

static const struct case_type OBJECTION_CASE = {
    .name = "credit_objection",
    .label_zh = "信用评价异议",
    .label_en = "Credit objection",
    .states = STATES,
    .final = FINAL,
    .transitions = TRANSITIONS,
    .n_transitions = ARRAY_LEN(TRANSITIONS),
    .on_move = objection_follow,
};

void credit_objection_register(void)
{
    cases_type_register(&OBJECTION_CASE);
}

/* File an objection of enterprise_id (against event_id or grade_id, one of them) and open its
   case, in the caller's transaction. */
int credit_objection_file(struct db *db, int64_t enterprise_id, int64_t event_id, int64_t grade_id,
                          const char *reason, int64_t actor_id, const char *actor, const char *now,
                          int64_t *id, int64_t *case_id)
{
    struct credit_subject_row subj;
    int rc = store_credit_subject(db, "enterprise", enterprise_id, &subj);
    rc = rc ? rc
            : store_credit_objection_insert(db, enterprise_id, event_id, grade_id, reason, actor_id,
                                            now, id);
    if (rc) {
        return rc;
    }
    char title[400], date[11], cn[20];
    snprintf(title, sizeof title, "信用评价异议：%s", subj.name);
    snprintf(date, sizeof date, "%.10s", iso_utc_to_china(now, cn) ? cn : now);
    struct case_open o = {.type = "credit_objection",
                          .subject_kind = "credit_objection",
                          .subject_id = *id,
                          .enterprise_id = enterprise_id,
                          .region_code = subj.region_code,
                          .title = title,
                          .unit = CU_WORKDAYS,
                          .limit = 15,
                          .limit_source = "default 15 workdays"};
    json_t *body = NULL;
    struct rule_ref ref;
    rc = rules_resolve(db, "credit.scoring", subj.region_code, date, &body, &ref);
    if (!rc) {
        o.limit = rules_int(body, "objection_workdays", 15);
        o.rule_set_id = ref.id;
        o.rule_version = ref.version;
        o.limit_source = "rules credit.scoring objection_workdays";
        json_decref(body);
        rc = rules_mark_used(db, &ref);
    } else if (rc == ERR_NOTFOUND) {
        rc = 0;
    }
    rc = rc ? rc : cases_open(db, &o, actor_id, actor, now, case_id);
    rc = rc ? rc : store_credit_objection_set_case(db, *id, *case_id);
    /* the grounds on the case's timeline, where the legal section decides */
    if (!rc) {
        struct case_actor who = {actor_id, actor, ROLE_ENTERPRISE, NULL, NULL, true};
        const char *present[] = {"note"};
        struct buf f;
        buf_init(&f, 8192);
        buf_puts(&f, "{\"note\":");
        buf_json_str(&f, reason, strlen(reason));
        buf_putc(&f, '}');
        const char *field = NULL;
        char why[256];
        rc = cases_transition(db, *case_id, "supplement", &who, present, 1, f.p, reason, 0, now,
                              &field, why, sizeof why);
        buf_release(&f);
    }
    if (!rc) {
        struct audit_entry a = {.actor_id = actor_id,
                                .actor = actor,
                                .entity = "credit_objection",
                                .entity_id = *id,
                                .action = "create"};
        rc = store_audit_add(db, &a);
    }
    return rc;
}
