/*
** The quota module's descriptor: its routes, its audit-log kinds and the demo (a reserve,
** initial allocations, a trade, reviews, a bank with its user and a registered pledge). The
** rule set it reads (quota.rights) is seeded by the rules module from data/rules/.
*/
#include <stdio.h>

#include "core/buf.h"
#include "quota/quota.h"
#include "store/q_quota.h"

static int demo(struct db *db, const char *today, struct buf *summary)
{
    int n = 0;
    int rc = store_quota_demo(db, today, &n);
    if (rc) {
        fprintf(stderr, "envgov demo: quota: %s\n", db_errmsg(db));
    } else {
        buf_printf(summary, ", %d firms holding emission rights", n);
    }
    return rc;
}

const struct module quota_module = {
    .name = "quota",
    .routes = quota_routes,
    .audit_kinds = quota_audit_kinds,
    .dashboard = quota_dashboard,
    .demo = demo,
};
