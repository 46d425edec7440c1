/*
** Queries of the rectify hub (q_rectify.c): problems found at enterprises and the rectification
** orders that close them (migration 017). Text is copied into the callers' fixed buffers.
*/
#ifndef ENVGOV_STORE_Q_RECTIFY_H
#define ENVGOV_STORE_Q_RECTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* The enterprise's region into region[0..cap); ERR_NOTFOUND when there is no such enterprise. */
int store_rectify_enterprise_region(struct db *db, int64_t enterprise_id, char *region,
                                    size_t cap);

struct rectify_problem_row {
    int64_t id, enterprise_id, source_id, point_id, alarm_id, found_by;
    char region_code[16], level[16], source_kind[16], category[24], status[16];
    char found_on[11], closed_on[11];
    char description[2048], clause[512], violation_type[64];
};
/* Insert a problem (id ignored; 0 in source_id / point_id / alarm_id / found_by is NULL). */
int store_rectify_problem_insert(struct db *db, const struct rectify_problem_row *p,
                                 const char *now, int64_t *id);
int store_rectify_problem_get(struct db *db, int64_t id, struct rectify_problem_row *out);
/* Set a problem's status; closed_on NULL clears it. */
int store_rectify_problem_status(struct db *db, int64_t id, const char *status,
                                 const char *closed_on, const char *now);

struct rectify_order_row {
    int64_t id, enterprise_id, problem_id, origin_id, verifier_user_id, case_id;
    int workdays;
    char region_code[16], origin[16], status[16], due_on[11], verified_on[11];
    char requirement[2048];
};
/* Insert an order in status issued (0 ids are NULL). */
int store_rectify_order_insert(struct db *db, const struct rectify_order_row *o, const char *now,
                               int64_t *id);
int store_rectify_order_get(struct db *db, int64_t id, struct rectify_order_row *out);
/* Link the order to its case and set its due date (due_on NULL: unknown). */
int store_rectify_order_set_case(struct db *db, int64_t id, int64_t case_id, const char *due_on,
                                 const char *now);
/* Set an order's status; verified_on given (not NULL) with "verified". */
int store_rectify_order_status(struct db *db, int64_t id, const char *status,
                               const char *verified_on, const char *now);
/* How many orders origin/origin_id (origin NULL: of problem origin_id) has, how many of them
   are verified, and the latest verified_on ("" when none). */
int store_rectify_orders_tally(struct db *db, const char *origin, int64_t origin_id, int64_t *n,
                               int64_t *n_verified, char last_verified_on[11]);

extern const struct audit_kind rectify_audit_kinds[];
extern const struct entity_def ENTITY_PROBLEM, ENTITY_RECTIFY_ORDER;

#endif
