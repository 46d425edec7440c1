/*
** The rectify hub (问题与整改): every problem found at an enterprise, at any of the three levels
** of supervision (企业自查 enterprise self-checks, 属地巡查 local patrols, 执法监察 enforcement
** inspections) and from any source, and the rectification orders (整改通知 / 责令改正) that
** close it. An order is a case of type "rectification" on the casework engine with a deadline
** in working days; when every order of a problem is verified the problem is closed. Other
** modules record problems and issue orders through this header, in their own transaction; the
** penalty module's no-penalty decisions (免罚不免责) and credit repair read whether the orders of a
** record are verified. See docs/internals/rectify.md.
*/
#ifndef ENVGOV_RECTIFY_RECTIFY_H
#define ENVGOV_RECTIFY_RECTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cases/cases.h"
#include "platform/module.h"
#include "store/store.h"

/* A problem to record. */
struct rectify_problem_input {
    int64_t enterprise_id;
    const char *level;       /* "enterprise" | "local" | "enforcement" */
    const char *source_kind; /* inspect_task | selfcheck | patrol | alarm | complaint | campaign
                                | manual */
    int64_t source_id, point_id, alarm_id; /* 0 = none */
    const char *category; /* permit | facility | ledger | hazardous_waste | online_monitoring |
                             emergency_plan | eia | other */
    const char *description;
    const char *clause;         /* the permit clause or rule breached; NULL = "" */
    const char *violation_type; /* a penalty.discretion code; NULL = "" */
    const char *found_on;       /* YYYY-MM-DD; NULL = today (China) */
    int64_t found_by;           /* 0 = none (the enterprise itself, the system) */
};

/* Whether s is one of the levels / source kinds / categories above. */
bool rectify_level_valid(const char *s);
bool rectify_source_valid(const char *s);
bool rectify_category_valid(const char *s);

/* Record a problem in the caller's transaction (db the writer) with its audit row (entity
   "problem", action "create"). ERR_INPUT with *field naming the bad field; ERR_NOTFOUND (field
   "enterprise_id") for an unknown enterprise. */
int rectify_problem_add(struct db *db, const struct rectify_problem_input *in,
                        const struct case_actor *who, const char *now, int64_t *id,
                        const char **field);

struct rectify_problem {
    int64_t id, enterprise_id, source_id, point_id, alarm_id, found_by;
    char region_code[16], level[16], source_kind[16], category[24], status[16];
    char found_on[11], closed_on[11];
    char description[2048], clause[512], violation_type[64];
};
/* ERR_NOTFOUND when there is no such problem. Reads through db. */
int rectify_problem_get(struct db *db, int64_t id, struct rectify_problem *out);

/* An order to issue. */
struct rectify_order_input {
    int64_t enterprise_id; /* must equal the problem's when problem_id != 0 */
    int64_t problem_id;    /* 0 = none */
    const char *origin;    /* "problem" | "penalty" | "exempt" | "campaign" */
    int64_t origin_id;     /* 0 = none */
    const char *requirement;
    int workdays;             /* > 0; 0 = the setting rectify_default_workdays */
    int64_t verifier_user_id; /* 0 = the problem's found_by, else none */
};
/* Issue an order in the caller's transaction: the row, its case (type "rectification", a clock
   of workdays working days, assigned to the verifier), the audit row (entity "rectify_order");
   the problem moves to "rectifying". *order_id, *case_id get them. ERR_INPUT with *field,
   ERR_NOTFOUND for an unknown problem or enterprise. */
int rectify_order_open(struct db *db, const struct rectify_order_input *in,
                       const struct case_actor *who, const char *now, int64_t *order_id,
                       int64_t *case_id, const char **field);

/* The order was verified (the case's "verify" transition, in its transaction): the row, and
   the problem closed when every order of it is verified. today is the China date. */
int rectify_order_mark_verified(struct db *db, int64_t order_id, const char *today,
                                const char *now);

/* Whether every order of origin/origin_id (e.g. "penalty", a case id) is verified: *all true
   when there is at least one order and all are verified; last_verified_on the latest
   verified_on ("" when none). Reads through db. */
int rectify_orders_verified(struct db *db, const char *origin, int64_t origin_id, bool *all,
                            char last_verified_on[11]);
/* The same for the orders of problem_id. */
int rectify_problem_verified(struct db *db, int64_t problem_id, bool *all,
                             char last_verified_on[11]);

/* Register the rectification case type (idempotent). */
void rectify_case_register(void);

/* The module's descriptor (src/app/modules.c lists it). */
extern const struct module rectify_module;

#endif
