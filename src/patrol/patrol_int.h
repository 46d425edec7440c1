/*
** The patrol module's internals, shared by its files (api.c, module.c, demo.c, selfcheck.c).
*/
#ifndef ENVGOV_PATROL_PATROL_INT_H
#define ENVGOV_PATROL_PATROL_INT_H

#include "patrol/patrol.h"

struct router;
struct buf;
struct req;

#include "store/q_patrol.h"

/* A month's generation parameters (selfcheck.c): the periods, the due date, the warning when
   the calendar lacks the year. g points into the struct: do not copy it. */
struct patrol_month {
    char month[16], quarter[16], year[16], due[11], start[16], warn[256];
    struct patrol_gen g;
};
int patrol_month_prepare(const char *month, const char *now, struct patrol_month *pm);
/* The tasks of enterprises ids[0..n) in the caller's transaction, an audit row each. */
int patrol_selfcheck_generate_in(struct db *db, const struct patrol_gen *g, const int64_t *ids,
                                 size_t n, int64_t *n_created);

/* The routes (api.c). */
void patrol_routes(struct router *rt);
/* `envgov demo`: clauses on the demo's permits and this month's self-check tasks (demo.c). */
int patrol_demo(struct db *db, const char *today, struct buf *summary);
/* The 工作台 figures (demo.c … module.c). */
int patrol_dashboard(struct req *r, struct db *db, struct buf *out);

#endif
