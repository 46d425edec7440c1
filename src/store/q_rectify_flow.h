/*
** Queries of the rectification workflow on the hub's orders (q_rectify_flow.c): the evidence
** submissions and their verdicts, an order with its problem, case clock and submissions, and
** the rectification board (orders by state and clock, with the counts). The hub's own queries
** (problems, orders, their status) are in q_rectify.c.
*/
#ifndef ENVGOV_STORE_Q_RECTIFY_FLOW_H
#define ENVGOV_STORE_Q_RECTIFY_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* Add the next submission of an order; *seq gets its number. */
int store_rectify_submission_add(struct db *db, int64_t order_id, const char *evidence, int64_t by,
                                 const char *by_name, bool late, const char *now, int64_t *id,
                                 int64_t *seq);
/* The verdict on the order's latest submission still waiting: ERR_CONFLICT when none waits. */
int store_rectify_submission_verdict(struct db *db, int64_t order_id, const char *verdict,
                                     const char *reason, int64_t by, const char *by_name,
                                     const char *now);

/* One order as JSON within sc, with its problem, case clock and submissions (newest last);
   ERR_NOTFOUND when absent or out of scope. now (UTC ISO) gives the clock state. */
int store_rectify_order_json(struct db *db, const struct scope *sc, int64_t id, const char *now,
                             struct buf *out);

struct rectify_board_query {
    const char
        *status;       /* issued | submitted | returned | verified | overdue_closed | open | NULL */
    const char *level; /* enterprise | local | enforcement | NULL */
    const char *clock; /* overdue | due_soon | on_track | stopped | NULL */
    const char *region;                /* region prefix */
    const char *q;                     /* enterprise name contains */
    int64_t enterprise_id, problem_id; /* 0 = any */
    const char *sort;                  /* due_on | enterprise | status | created (NULL = due_on) */
    bool desc;
    int64_t limit, offset;
    const char *now; /* UTC ISO */
};
/* {"items":[…],"total":n,"summary":{"by_status":{…},"by_clock":{…}}} within sc; the summary
   counts the orders the filters other than status and clock select. */
int store_rectify_board(struct db *db, const struct scope *sc, const struct rectify_board_query *q,
                        struct buf *out);

struct rectify_problem_query {
    const char *status, *level, *source_kind, *region, *q; /* NULL = any */
    int64_t enterprise_id, source_id;                      /* 0 = any */
    int64_t limit, offset;
};
/* {"items":[…],"total":n} of the problems within sc, newest first, each with its enterprise's
   name and how many orders it has (and how many verified). */
int store_rectify_problems_list(struct db *db, const struct scope *sc,
                                const struct rectify_problem_query *q, struct buf *out);

#endif
