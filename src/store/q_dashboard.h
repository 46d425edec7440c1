/*
** Named query of the dashboard (GET /api/v1/dashboard in platform/api.c): figures over
** several modules' tables within a scope, written as one JSON object. SQL in q_dashboard.c.
*/
#ifndef ENVGOV_STORE_Q_DASHBOARD_H
#define ENVGOV_STORE_Q_DASHBOARD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "store/store.h"

/* Dashboard figures within dq->sc, written as one JSON object. */
struct dashboard_query {
    const struct scope *sc;
    const char *today;          /* China date "YYYY-MM-DD" */
    const char *expiry_limit;   /* last day of the permits' warning window */
    const char *day_start;      /* today's China midnight as UTC ISO: alarms opened today */
    const char *offline_before; /* UTC ISO: no frame since → offline (the board's rule) */
    size_t oldest_limit;        /* oldest unhandled alarms listed (0 = 10) */
    bool quarantine;            /* add the quarantined devices (not region-scoped) */
};
int store_dashboard(struct db *db, const struct dashboard_query *dq, struct buf *out);

#endif
