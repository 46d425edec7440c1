/*
** Named queries of credit repair (src/repair/): applications (credit_repairs, migration 021),
** the facts their conditions read (the event, earlier granted repairs, the events that may be
** veto items in force), the enterprise's in-app notice, and the reads of the API. Rows come to
** callbacks with text valid during the call only.
*/
#ifndef ENVGOV_STORE_Q_REPAIR_H
#define ENVGOV_STORE_Q_REPAIR_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

/* The applications as an entity: the list (sort, filter, page, scope) and attachments. */
extern const struct entity_def ENTITY_CREDIT_REPAIR;

/* A credit event as repair reads it. ERR_NOTFOUND when there is none. */
struct repair_event_row {
    int64_t id, subject_id, source_id;
    char subject_kind[16], type[41], occurred_on[11], source[32];
    bool revoked;
};
int store_repair_event(struct db *db, int64_t event_id, struct repair_event_row *out);
/* Events not revoked of enterprise_id, newest first, at most limit: fn per row. */
typedef void (*repair_event_fn)(const struct repair_event_row *e, void *ctx);
int store_repair_events_each(struct db *db, int64_t enterprise_id, int64_t limit,
                             repair_event_fn fn, void *ctx);

/* Granted repairs of enterprise_id (other than except_id): id, violation_key, decided_on. */
typedef void (*repair_prior_fn)(int64_t id, const char *key, const char *decided_on, void *ctx);
int store_repair_priors_each(struct db *db, int64_t enterprise_id, int64_t except_id,
                             repair_prior_fn fn, void *ctx);

/* The violation type and problem of penalty case case_id (penalty_cases, migration 020): ""
   and 0 when there is no such case. */
int store_repair_penalty_case(struct db *db, int64_t case_id, char *violation_type, size_t cap,
                              int64_t *problem_id);

/* How many rectification orders (rectify_orders, migration 017) origin/origin_id has. */
int store_repair_orders_count(struct db *db, const char *origin, int64_t origin_id, int64_t *n);
/* The problems (problems, migration 017) of enterprise_id that kind names: "problem" the one
   of that id, "alarm" those the alarm id showed. fn per problem id. */
typedef void (*repair_problem_fn)(int64_t problem_id, void *ctx);
int store_repair_problems_each(struct db *db, const char *kind, int64_t id, int64_t enterprise_id,
                               repair_problem_fn fn, void *ctx);

/* The application open (state filed) for event_id: *id, 0 when none. */
int store_repair_open_of_event(struct db *db, int64_t event_id, int64_t *id);

struct repair_new {
    int64_t enterprise_id, event_id, source_id, rule_set_id, filed_by;
    int rule_version;
    const char *region_code, *event_type, *event_occurred_on, *source, *violation_key;
    const char *statement, *conditions_json, *filed_on;
    bool conditions_ok;
};
int store_repair_insert(struct db *db, const struct repair_new *n, const char *now, int64_t *id);
int store_repair_set_case(struct db *db, int64_t id, int64_t case_id);

struct repair_row {
    int64_t id, enterprise_id, event_id, case_id;
    char state[16], event_type[48], region_code[16];
};
int store_repair_get(struct db *db, int64_t id, struct repair_row *out); /* ERR_NOTFOUND */
/* Move a filed application to state (granted | refused | withdrawn) with the reason and the
   check at the decision (conditions_json "" = keep the last); ERR_CONFLICT when it is not filed any
   more. */
int store_repair_decide(struct db *db, int64_t id, const char *state, const char *reason,
                        int64_t by, const char *decided_on, const char *conditions_json,
                        bool conditions_ok, const char *now);

/* An in-app notice to the enterprise (notifications, no alarm): the to-do list's notices. */
int store_repair_notify(struct db *db, int64_t enterprise_id, const char *event, const char *title,
                        const char *now);

/* One application as an object: its columns, the enterprise's name, the event, its case's
   state and deadline. ERR_NOTFOUND. */
int store_repair_json(struct db *db, int64_t id, struct buf *out);
/* The applications of event_id, newest first, as an array. */
int store_repair_of_event_json(struct db *db, int64_t event_id, struct buf *out);

/* The 工作台's repair figures within sc, as a member after a comma:
   ,"repair":{"filed":n,"overdue":n,"granted_this_year":n} (overdue: filed, past the case's
   deadline at now; granted since year_start, YYYY-MM-DD). */
int store_repair_dashboard(struct db *db, const struct scope *sc, const char *now,
                           const char *year_start, struct buf *out);

/* The audit-log kinds of the module (its descriptor's audit_kinds). */
extern const struct audit_kind repair_audit_kinds[];

#endif
