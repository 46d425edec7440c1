/*
** The HTTP contract for modules: a request (struct req) with its arena, the authenticated
** principal, path parameters, body and query, and response helpers. Handlers are plain
** functions in a route table; the server (server.c, the only includer of microhttpd.h)
** matches routes, checks roles and CSRF, enforces size caps and runs the handler.
*/
#ifndef ENVGOV_HTTP_HTTP_H
#define ENVGOV_HTTP_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/util.h"
#include "store/store.h"

enum role_bit {
    ROLE_ADMIN = 1u << 0,
    ROLE_LEADER = 1u << 1,
    ROLE_APPROVER = 1u << 2,
    ROLE_INSPECTOR = 1u << 3,
    ROLE_LEGAL = 1u << 4,
    ROLE_MONITOR = 1u << 5,
    ROLE_SERVICE = 1u << 6,
    ROLE_ENTERPRISE = 1u << 7,
    ROLE_BANK = 1u << 8, /* a pledge-loan bank (quota): only its own applications */
};
#define ROLES_STAFF                                                                                \
    (ROLE_ADMIN | ROLE_LEADER | ROLE_APPROVER | ROLE_INSPECTOR | ROLE_LEGAL | ROLE_MONITOR |       \
     ROLE_SERVICE)
#define ROLES_ANY (ROLES_STAFF | ROLE_ENTERPRISE)

/* Role name <-> bit ("admin" -> ROLE_ADMIN); 0 / NULL when unknown. */
unsigned http_role_bit(const char *name);
const char *http_role_name(unsigned bit);

#define HTTP_MAX_PREFIXES 32
struct principal {
    int64_t user_id;
    const char *username;     /* arena */
    const char *display_name; /* arena */
    unsigned role;            /* one ROLE_* bit */
    int64_t org_unit_id;
    int64_t enterprise_id;
    struct scope scope; /* what the principal may see */
    const char *prefixes[HTTP_MAX_PREFIXES];
    bool via_token;
    const char *csrf_token; /* cookie sessions only */
    char session_hash[65];
    bool must_change_password;
};

struct req_file {
    const char *name; /* client file name (arena) */
    const char *content_type;
    struct buf data;
    bool present;
};

#define REQ_MAX_PARAMS 4
struct req {
    struct arena *a;
    const char *method;
    const char *path;
    const char *params[REQ_MAX_PARAMS]; /* path parameters in pattern order */
    struct str body;
    const char *content_type;
    const struct principal *who; /* NULL on public routes without a session */
    char request_id[24];
    const char *ip;
    bool tls;             /* request arrived over TLS (or a TLS proxy said so) */
    struct req_file file; /* multipart upload field "file" */
    void *conn;           /* server internals */
    /* response */
    int status;
    struct buf out;
    const char *resp_type;
    const char *resp_headers[16]; /* name, value pairs */
    int n_resp_headers;
    const void *resp_static; /* when set, the body is this static block (not out) */
    void *resp_cached;       /* server internals: a prepared response for an embedded file */
    size_t resp_static_len;
    /* Asynchronous handlers set these and return HTTP_ASYNC; the server suspends the
       connection and then calls async_start, whose work ends with req_resume(r). */
    void (*async_start)(struct req *r, void *arg);
    void *async_arg;
};

/* Handlers return 0 once the response is set, or HTTP_ASYNC after req_suspend(). */
#define HTTP_ASYNC 1
typedef int (*route_fn)(struct req *r);

#define RF_PUBLIC 1u  /* no login needed (a session is still read when present) */
#define RF_NO_CSRF 2u /* exempt from the CSRF check (login itself) */
#define RF_UPLOAD 4u  /* body cap is upload_max_bytes; multipart allowed */
#define RF_NO_LOG 8u  /* keep out of the access log (metrics scrapes) */

struct route {
    const char *method;
    const char *pattern; /* "/api/v1/enterprises/{id}" */
    unsigned roles;      /* allowed ROLE_* bits; ignored with RF_PUBLIC */
    route_fn fn;
    unsigned flags;
    const char *summary; /* one line for docs and OpenAPI checks */
};

struct router;
void router_add(struct router *rt, const struct route *routes, size_t n);
/* Every registered route, in order (for `envgov routes` and the OpenAPI test). */
size_t router_count(const struct router *rt);
const struct route *router_get(const struct router *rt, size_t i);

/* ---- request helpers ---- */
/* Query string value (decoded) or NULL. */
const char *req_query(struct req *r, const char *name);
const char *req_header(struct req *r, const char *name);
const char *req_cookie(struct req *r, const char *name);
/* Path parameter i as a positive id; -1 when not a number. */
int64_t req_id(struct req *r, int i);
/* Called from any thread once an asynchronous handler's response is set. */
void req_resume(struct req *r);

/* ---- response helpers ---- */
void resp_header(struct req *r, const char *name, const char *value);
/* JSON body already written to r->out. */
int resp_json(struct req *r, int status);
/* {"error":{"code","message","field"}} with status. Returns 0. */
int resp_error(struct req *r, int status, const char *code, const char *message, const char *field);
/* Map an ERR_* to a status and error code; message and field may be NULL. */
int resp_err(struct req *r, int err, const char *message, const char *field);
/* 204 No Content. */
int resp_empty(struct req *r);

#endif
