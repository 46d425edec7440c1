/*
** The penalty module's descriptor: its routes (api.c, risk.c), the penalty case type and the
** document kinds (registered at start and before use), its audit kind and its figures on the
** 工作台 (open cases, penalties and no-penalty decisions this year within the user's scope).
*/
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "http/json.h"
#include "penalty/internal.h"
#include "store/q_penalty.h"

void penalty_routes(struct router *rt);

static int start(char *err, size_t errcap)
{
    (void)err;
    (void)errcap;
    penalty_case_register();
    penalty_documents_register();
    return 0;
}

static int dashboard(struct req *r, struct db *db, struct buf *out)
{
    if (!r->who) {
        return 0;
    }
    char today[11], from[11];
    date_cn(wall_ms() / 1000, today);
    snprintf(from, sizeof from, "%.4s-01-01", today);
    int64_t open = 0, pen = 0, ex = 0;
    int rc = store_penalty_counts(db, &r->who->scope, from, &open, &pen, &ex);
    if (!rc) {
        buf_printf(out,
                   ",\"penalty\":{\"open\":%lld,\"penalties_this_year\":%lld,"
                   "\"no_penalty_this_year\":%lld}",
                   (long long)open, (long long)pen, (long long)ex);
    }
    return rc;
}

const struct module penalty_module = {
    .name = "penalty",
    .routes = penalty_routes,
    .start = start,
    .audit_kinds = penalty_audit_kinds,
    .dashboard = dashboard,
};
