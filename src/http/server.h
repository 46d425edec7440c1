/*
** The HTTP server: libmicrohttpd in epoll mode with a thread pool. Owns connections, per-
** request arenas, body accumulation with caps, multipart parsing, route dispatch, the static
** UI (embedded, ETag + gzip), security headers, the access log and request metrics.
*/
#ifndef ENVGOV_HTTP_SERVER_H
#define ENVGOV_HTTP_SERVER_H

#include <stddef.h>

#include "http/http.h"

struct http_server;

struct http_hooks {
    /* Fill *p from the request's session cookie or bearer token. 0 when authenticated,
       ERR_AUTH without valid credentials. Runs on the request thread. */
    int (*authenticate)(struct req *r, struct principal *p);
};

struct router *router_new(void);
void router_free(struct router *rt);

/* Listen on "[ADDR:]PORT" and serve rt. The router and hooks must outlive the server. */
int http_server_start(const char *listen, struct router *rt, const struct http_hooks *hooks,
                      struct http_server **out, char *err, size_t errcap);
void http_server_stop(struct http_server *s);
/* Prometheus text for requests, latency and connections of the running server. */
void http_metrics_write(struct buf *out);

/* Split "[ADDR:]PORT" (also "[::1]:PORT"); addr defaults to 127.0.0.1. */
int http_parse_listen(const char *s, char *addr, size_t addr_cap, int *port);

#endif
