/*
** Platform routes: health, Prometheus metrics (every module's lines, platform/module.h), the
** OpenAPI description, the dashboard (each module's figures) and the reference code tables.
*/
#include <stdio.h>
#include <string.h>

#include "core/embed.h"
#include "core/err.h"
#include "core/settings.h"
#include "http/server.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/module.h"
#include "platform/platform.h"

static int api_healthz(struct req *r)
{
    int v = store_schema_version(app.store);
    int rc = v > 0 ? 0 : ERR_DB;
    buf_printf(&r->out, "{\"status\":\"%s\",\"schema_version\":%d}", rc ? "degraded" : "ok", v);
    return resp_json(r, rc ? 503 : 200);
}

static bool loopback(const char *ip)
{
    return !strncmp(ip, "127.", 4) || !strcmp(ip, "::1");
}

static int api_metrics(struct req *r)
{
    if (!loopback(r->ip) && !(r->who && r->who->role == ROLE_ADMIN)) {
        return resp_err(r, ERR_FORBIDDEN,
                        "指标仅对本机或管理员开放 / metrics are for loopback or admins", NULL);
    }
    modules_metrics(&r->out);
    r->status = 200;
    r->resp_type = "text/plain; version=0.0.4; charset=utf-8";
    return 0;
}

static int api_openapi(struct req *r)
{
    const struct embed_file *f = embed_find("docs/api/openapi.json");
    if (!f) {
        return resp_err(r, ERR_NOTFOUND, NULL, NULL);
    }
    r->resp_static = f->data;
    r->resp_static_len = f->size;
    return resp_json(r, 200);
}

/* The dashboard (工作台): what is waiting for the caller, within their scope — each module's
   figures (its descriptor's dashboard), then the latest operations. */
static int api_dashboard(struct req *r)
{
    char today[11];
    date_cn(wall_ms() / 1000, today);
    struct db *db = store_read(app.store);
    buf_printf(&r->out, "{\"today\":\"%s\"", today);
    int rc = 0;
    for (size_t i = 0; !rc && i < app_n_modules; i++) {
        if (app_modules[i]->dashboard) {
            rc = app_modules[i]->dashboard(r, db, &r->out);
        }
    }
    /* Recent audit events span every region: only for roles that may read the audit log
       (admin, leader); everyone else would see records outside their area. */
    unsigned role = r->who->role;
    buf_puts(&r->out, ",\"recent_audit\":");
    if (role != ROLE_ADMIN && role != ROLE_LEADER) {
        buf_puts(&r->out, "[]");
    } else if (!rc) {
        rc = store_audit_recent(db, 10, &r->out);
    }
    buf_putc(&r->out, '}');
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
    }
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int codes(struct req *r, const char *table)
{
    const char *q = req_query(r, "q"), *parent = req_query(r, "parent");
    const char *medium = req_query(r, "medium");
    if ((q && strlen(q) > 100) || (parent && strlen(parent) > 20) ||
        (medium && strlen(medium) > 20)) {
        return resp_error(r, 422, "too_long", "查询条件过长 / query too long", "q");
    }
    struct db *db = store_read(app.store);
    int rc = store_codes_list(db, table, q, medium ? medium : parent, 2000, &r->out);
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int api_regions(struct req *r)
{
    return codes(r, "regions");
}

static int api_industries(struct req *r)
{
    return codes(r, "industries");
}

static int api_pollutants(struct req *r)
{
    return codes(r, "pollutants");
}

static const struct route routes[] = {
    {"GET", "/healthz", 0, api_healthz, RF_PUBLIC | RF_NO_LOG, "Liveness and database check"},
    {"GET", "/metrics", 0, api_metrics, RF_PUBLIC | RF_NO_LOG, "Prometheus metrics"},
    {"GET", "/api/v1/openapi.json", 0, api_openapi, RF_PUBLIC, "OpenAPI description"},
    {"GET", "/api/v1/dashboard", ROLES_ANY, api_dashboard, 0,
     "Dashboard: registry, permits due, monitoring points online, alarms, quarantine and latest "
     "operations in scope"},
    {"GET", "/api/v1/regions", ROLES_ANY, api_regions, 0, "GB/T 2260 regions"},
    {"GET", "/api/v1/industries", ROLES_ANY, api_industries, 0, "GB/T 4754 industries"},
    {"GET", "/api/v1/pollutants", ROLES_ANY, api_pollutants, 0, "HJ 212 pollutant codes"},
};

void platform_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
