/*
** Online monitoring: the HJ 212 gateway (libuv, beside the HTTP server), the writer that
** commits frames in batches and only then releases their acknowledgements, and the HTTP
** routes over readings, quarantine and device deviations.
*/
#ifndef ENVGOV_MONITOR_MONITOR_H
#define ENVGOV_MONITOR_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "http/http.h"
#include "platform/module.h"

struct gateway;

/* Listen on "[ADDR:]PORT" and run the gateway on its own threads (event loop + writer). */
int gateway_start(const char *listen, struct gateway **out, char *err, size_t errcap);
/* Stop accepting, commit what is queued, close every connection, join the threads. */
void gateway_stop(struct gateway *g);
/* Queued commands are waiting: wake the writer (any thread). */
void gateway_kick(void);
/* Prometheus lines for /metrics. */
void gateway_metrics_write(struct buf *out);

/* The webhook delivery thread (retries, delivery log). */
void notify_start(void);
void notify_stop(void);
void notify_metrics_write(struct buf *out);

struct db;
struct point_auth;
/* Store a now-registered device's quarantined frames (same PW) as readings, without alarms,
   and remove them from the quarantine; inside the caller's transaction. */
int gateway_adopt(struct db *db, const struct point_auth *pa, const char *mn, const char *now,
                  int64_t *adopted, int64_t *skipped, int64_t *values);

void monitor_routes(struct router *rt);
/* Online monitoring's figures on the 工作台 (the descriptor's dashboard; api.c). */
int monitor_dashboard(struct req *r, struct db *db, struct buf *out);
/* The alarm list, export and handling routes (alarms.c); monitor_routes adds them. */
void monitor_alarm_routes(struct router *rt);

/* The module's descriptor (src/app/modules.c lists it). */
extern const struct module monitor_module;

struct cli;
int cmd_hj212(const struct cli *c);

#endif
