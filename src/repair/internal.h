/*
** Inside the repair module: the facts of one event gathered from the database (repair.c), the
** rectification they rest on (rectification.c, over the rectify hub), the decision shared by
** the module's API and the case page (repair.c), and the routes (api.c).
*/
#ifndef ENVGOV_REPAIR_INTERNAL_H
#define ENVGOV_REPAIR_INTERNAL_H

#include "cases/cases.h"
#include "repair/repair.h"
#include "rules/rules.h"
#include "store/q_repair.h"

/* The rectification of event e: fills f->rect_basis, rect_orders, rect_all, rect_last. The
   event's source decides where to look: a penalty case's orders (origin "penalty") or, with
   none, its problem's; an alarm's problems; a problem's own orders; any other source the orders
   of that origin. Reads through db. */
int repair_rectification_facts(struct db *db, const struct repair_event_row *e,
                               struct repair_facts *f);

/* What "the same violation" is for event e: the penalty case's violation type when the event
   came from a penalty and the case names one, else the event type. */
int repair_violation_key(struct db *db, const struct repair_event_row *e, char *out, size_t cap);

/* Everything one enterprise's checks share (read once for a list of events). */
struct repair_context {
    int64_t enterprise_id;
    char region_code[16], today[11];
    struct repair_rules rules;
    struct rule_ref ref; /* the credit.repair version in force */
    struct repair_prior prior[REPAIR_MAX_PRIOR];
    size_t n_prior;
    struct repair_veto veto[REPAIR_MAX_VETO];
    size_t n_veto;
};

/* Load the context of enterprise_id on today (except_id: an application left out of the earlier
   repairs, 0 = none). ERR_NOTFOUND for no such enterprise, ERR_CONFLICT when no credit.repair
   rule set is in force for its region. */
int repair_context_load(struct db *db, int64_t enterprise_id, int64_t except_id, const char *today,
                        struct repair_context *cx);
/* The check of event e within cx; key gets the violation key. */
int repair_check_in(struct db *db, const struct repair_context *cx,
                    const struct repair_event_row *e, struct repair_check *out,
                    char key[REPAIR_TYPE_MAX + 24]);

/* Decide application id by action ("grant" | "refuse" | "withdraw") in the caller's transaction:
   a grant re-checks the conditions now (ERR_CONFLICT when one fails, *check says which) and
   revokes the event with cause "repair"; the row moves, its audit row and the enterprise's
   notice are written. The case is moved by the caller (or is moving: on_move). */
int repair_decide(struct db *db, int64_t id, const char *action, const struct case_actor *who,
                  const char *reason, const char *now, struct repair_check *check);

/* Open application id's case (deadline: the rule set's decide_workdays, working days) in the
   caller's transaction and link it; *case_id gets it. */
int repair_case_open(struct db *db, int64_t id, const struct repair_context *cx,
                     const char *enterprise_name, int64_t actor_id, const char *actor,
                     const char *now, int64_t *case_id);

void repair_api_routes(struct router *rt);

#endif
