/*
** Online monitoring: the HJ 212 gateway (libuv, beside the HTTP server), the writer that
** commits frames in batches and only then releases their acknowledgements, and the HTTP
** routes over readings, quarantine and device deviations.
*/
#ifndef ENVGOV_MONITOR_MONITOR_H
#define ENVGOV_MONITOR_MONITOR_H

#include <stddef.h>

#include "http/http.h"

struct gateway;

/* Listen on "[ADDR:]PORT" and run the gateway on its own threads (event loop + writer). */
int gateway_start(const char *listen, struct gateway **out, char *err, size_t errcap);
/* Stop accepting, commit what is queued, close every connection, join the threads. */
void gateway_stop(struct gateway *g);
int gateway_port(struct gateway *g);
/* Prometheus lines for /metrics. */
void gateway_metrics_write(struct buf *out);

void monitor_routes(struct router *rt);

#endif
