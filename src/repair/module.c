/*
** The repair module's descriptor: its routes, the registration of the credit_repair case type
** (at store open, before any thread looks a type up), its audit-log kinds and the entity that
** takes the applications' attachments (credit_repair). The rule set it reads (credit.repair) is
** seeded by the rules module from data/rules/.
*/
#include <stdio.h>

#include "core/util.h"
#include "repair/internal.h"

static int seed(struct store *s, char *err, size_t errcap)
{
    (void)s;
    (void)err;
    (void)errcap;
    repair_case_register();
    return 0;
}

static void routes(struct router *rt)
{
    repair_case_register();
    repair_api_routes(rt);
}

/* The 工作台's figures for staff within their area: applications waiting for a decision, those
   past their deadline, and those granted this year. */
static int dashboard(struct req *r, struct db *db, struct buf *out)
{
    if (r->who->role == ROLE_ENTERPRISE) {
        return 0;
    }
    char now[32], today[11], year[11];
    time_iso(wall_ms() / 1000, now);
    date_cn(wall_ms() / 1000, today);
    snprintf(year, sizeof year, "%.4s-01-01", today);
    return store_repair_dashboard(db, &r->who->scope, now, year, out);
}

static const struct entity_def *const attachables[] = {&ENTITY_CREDIT_REPAIR, NULL};

const struct module repair_module = {
    .name = "repair",
    .routes = routes,
    .seed = seed,
    .audit_kinds = repair_audit_kinds,
    .attachables = attachables,
    .dashboard = dashboard,
};
