/*
** Queries of the rectification workflow on the hub's orders (q_rectify_flow.c): an order with
** its problem and case, the evidence submissions and their verdicts, the order's status moves,
** closing a problem whose orders are all verified, and the rectification board (orders by
** state and clock, with the counts). The hub's own queries (problems, opening orders) are in
** q_rectify.c.
*/
#ifndef ENVGOV_STORE_Q_RECTIFY_FLOW_H
#define ENVGOV_STORE_Q_RECTIFY_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct rectify_order_row {
    int64_t id, enterprise_id, problem_id, origin_id, verifier_user_id, case_id;
    int64_t workdays;
    char region_code[16], origin[16], status[16], due_on[11], verified_on[11];
    char requirement[2048];
};
/* ERR_NOTFOUND when there is no such order. */
int store_rectify_order_row(struct db *db, int64_t id, struct rectify_order_row *out);
/* The order of a case (its subject): ERR_NOTFOUND when none. */
int store_rectify_order_of_case(struct db *db, int64_t case_id, int64_t *order_id);
/* Move the order to status (verified_on NULL unless given). */
int store_rectify_order_set_status(struct db *db, int64_t id, const char *status,
                                   const char *verified_on, const char *now);

/* Add the next submission of an order; *seq gets its number. */
int store_rectify_submission_add(struct db *db, int64_t order_id, const char *evidence,
                                 int64_t by, const char *by_name, bool late, const char *now,
                                 int64_t *id, int64_t *seq);
/* The verdict on the order's latest submission still waiting: ERR_CONFLICT when none waits. */
int store_rectify_submission_verdict(struct db *db, int64_t order_id, const char *verdict,
                                     const char *reason, int64_t by, const char *by_name,
                                     const char *now);

/* Close problem id on closed_on (status closed) unless closed already; *changed says whether. */
int store_rectify_problem_close(struct db *db, int64_t id, const char *closed_on, const char *now,
                                bool *changed);

/* One order as JSON within sc, with its problem, case clock and submissions (newest last);
   ERR_NOTFOUND when absent or out of scope. now (UTC ISO) gives the clock state. */
int store_rectify_order_json(struct db *db, const struct scope *sc, int64_t id, const char *now,
                             struct buf *out);

struct rectify_board_query {
    const char *status;  /* issued | submitted | returned | verified | overdue_closed | open | NULL */
    const char *level;   /* enterprise | local | enforcement | NULL */
    const char *clock;   /* overdue | due_soon | on_track | stopped | NULL */
    const char *region;  /* region prefix */
    const char *q;       /* enterprise name contains */
    int64_t enterprise_id, problem_id; /* 0 = any */
    const char *sort;    /* due_on | enterprise | status | created (NULL = due_on) */
    bool desc;
    int64_t limit, offset;
    const char *now;     /* UTC ISO */
};
/* {"items":[…],"total":n,"summary":{"by_status":{…},"by_clock":{…}}} within sc; the summary
   counts the orders the filters other than status and clock select. */
int store_rectify_board(struct db *db, const struct scope *sc, const struct rectify_board_query *q,
                        struct buf *out);

/* Orders take attachments (the evidence): entity "rectify_order", owned by its enterprise. */
extern const struct entity_def ENTITY_RECTIFY_ORDER;

#endif
