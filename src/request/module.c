/*
** The request module's descriptor: its routes (api.c, open311.c), the case type "request"
** (registered at store open), the form secret read at start, the public form's limits as
** settings, its audit kinds, the attachable request (photos, evidence) and the demo.
*/
#include "core/util.h"
#include "platform/app.h"
#include "request/internal.h"

static int seed(struct store *s, char *err, size_t errcap)
{
    (void)s;
    (void)err;
    (void)errcap;
    request_case_register();
    return 0;
}

static void routes(struct router *rt)
{
    request_case_register();
    request_api_routes(rt);
    request_open311_routes(rt);
}

static int start(char *err, size_t cap)
{
    struct db *db;
    int rc = store_begin(app.store, &db);
    rc = rc ? rc : request_limits_init(db);
    if (db) {
        rc = rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
    }
    if (rc) {
        snprintf(err, cap, "request: cannot read the form secret");
    }
    return rc;
}

/* The 工作台's figures for staff within their area: complaints waiting to be accepted (and
   those past the acceptance limit), open requests, overdue and due soon. */
static int dashboard(struct req *r, struct db *db, struct buf *out)
{
    if (r->who->role == ROLE_ENTERPRISE) {
        return 0;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    return store_request_dashboard(db, &r->who->scope, now, out);
}

static const struct setting_def settings[] = {
    {"request_dispatch_roles",
     "radiation=approver,inspector;consultation,policy,approval_help=service,approver;*=inspector,"
     "service",
     false,
     "who takes a category's requests when a dispatch names no officer: category,…=role,…; * for "
     "the rest (the unit's least-busy one)"},
    {"request_form_burst", "30", false,
     "public complaints one client address may file at once (a shared NAT counts as one)"},
    {"request_form_per_hour", "120", false,
     "public complaints a client address regains per hour after the burst"},
};

static const struct entity_def *const attachables[] = {&ENTITY_REQUEST, NULL};

const struct module request_module = {
    .name = "request",
    .routes = routes,
    .seed = seed,
    .start = start,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .audit_kinds = request_audit_kinds,
    .attachables = attachables,
    .demo = request_demo,
    .dashboard = dashboard,
};
