/*
** Service to enterprises (服务企业): pairings of officers with enterprises (分包: leaders with key
** firms, middle managers with high-growth ones, approval and service staff with key projects)
** and the pairing ledger with each firm's open requests; the 十百千 counts per county; sessions
** — the monthly enterprise service day (企业服务日, agenda built by the job service.day from the
** paired firms' open requests), consultation days (企业环保咨询日) and trainings (大学堂) — with
** attendance and outcomes; service records per officer and org unit with totals; the
** key-project environmental and social risk ledger (closed loop 销号 on a case whose overdue
** escalates to the leader's to-do); outbound notices (monitor/outbound.h). The pure parts
** below are tested in tests/unit/service/. See docs/internals/service.md.
*/
#ifndef ENVGOV_SERVICE_SERVICE_H
#define ENVGOV_SERVICE_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "platform/module.h"

extern const struct module service_module;

/* ---------------- 十百千 (pure) ---------------- */

/* One active pairing row: county (6-digit region code), tier (leader | manager | staff), firm. */
struct service_tbq_row {
    const char *county, *county_name, *tier;
    int64_t enterprise_id;
};
/* One county's counts (decision 111): 十 shi = firms paired with a leader, 百 bai = firms
   paired with a middle manager, 千 qian = every paired firm (any tier). A firm counts once in
   each figure however many pairings it has. */
struct service_tbq {
    char county[8], county_name[64];
    int64_t shi, bai, qian;
};
/* Tally rows (sorted by county, then enterprise) into out[0..cap) per county, in order;
   returns the number of counties (rows past cap's counties are dropped). */
size_t service_tbq_tally(const struct service_tbq_row *rows, size_t n, struct service_tbq *out,
                         size_t cap);

/* ---------------- the service day's agenda (pure) ---------------- */

/* An open request as the agenda builder reads it (request.h's JSON). */
struct service_agenda_req {
    int64_t id;
    const char *clock;       /* overdue | due_soon | on_track | paused | stopped | none */
    const char *due_at;      /* UTC ISO or NULL */
    const char *received_at; /* UTC ISO */
};
/* Choose and order the requests for an agenda: those not on it yet (existing[0..n_existing),
   sorted ascending), overdue first, then due soon, then the rest; within a rank by deadline
   (none last), then by when received, then id. order[0..cap) gets indexes into reqs; returns
   how many. */
size_t service_agenda_plan(const struct service_agenda_req *reqs, size_t n, const int64_t *existing,
                           size_t n_existing, size_t *order, size_t cap);
/* The service day on or after today (YYYY-MM-DD): day `day` (1..28) of today's month when it is
   not past, else of the next month. ERR_INPUT for a bad date or day. */
int service_day_next(const char *today, int day, char out[11]);

#endif
