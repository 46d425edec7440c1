/*
** Inside the service module: the routes (api.c: pairings, 十百千, sessions, records; risk.c:
** the risk ledger; outbound_api.c: the delivery log), the risk case type and the jobs
** (jobs.c), the demo (demo.c), and the helpers they share.
*/
#ifndef ENVGOV_SERVICE_INTERNAL_H
#define ENVGOV_SERVICE_INTERNAL_H

#include <jansson.h>

#include "http/http.h"
#include "jobs/jobs.h"
#include "service/service.h"
#include "store/store.h"

#define SERVICE_WRITERS (ROLE_ADMIN | ROLE_LEADER | ROLE_APPROVER | ROLE_SERVICE)
#define PAIRING_WRITERS (ROLE_ADMIN | ROLE_LEADER)

void service_api_routes(struct router *rt);
void service_risk_routes(struct router *rt);
void service_outbound_routes(struct router *rt);

/* An integer member of in into *out (min..max); missing: required → 422, else *out unchanged.
   On a problem the 422 naming the field is set and ERR_INPUT returned. */
int service_json_int(struct req *r, json_t *in, const char *key, bool required, int64_t min,
                     int64_t max, int64_t *out);

/* The service_risk case type (open → closed), registered once. */
void service_risk_register(void);
/* Open risk id's case (due at the end of its deadline day; overdue ones at once) in the caller's
   transaction and link it. */
/* ERR_NOTFOUND unless the caller's scope holds row id of def. */
int service_visible(struct req *r, struct db *db, const struct entity_def *def, int64_t id);
int service_risk_open_case(struct db *db, int64_t id, int64_t actor_id, const char *actor);

int service_job_day(struct job_run *jr);
int service_job_risks(struct job_run *jr);

int service_demo(struct db *db, const char *today, struct buf *summary);

#endif
