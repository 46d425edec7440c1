/*
** The rules module's descriptor: its routes, and the shipped defaults (data/rules/) loaded each
** time a command opens the store, for the (kind, jurisdiction) pairs that have no version yet.
*/
#include <stdio.h>

#include "core/err.h"
#include "core/util.h"
#include "rules/rules.h"
#include "store/q_rules.h"

static int seed(struct store *s, char *err, size_t errcap)
{
    struct db *db;
    int rc = store_begin(s, &db);
    if (rc) {
        snprintf(err, errcap, "rules: cannot start the transaction loading the shipped rule sets");
        return rc;
    }
    rc = rules_seed(db, err, errcap);
    if (rc == ERR_CONFLICT) {
        /* Another process sharing the database stored the same defaults first. */
        store_rollback(s, db);
        err[0] = 0;
        return 0;
    }
    return rc ? (store_rollback(s, db), rc) : store_commit(s, db);
}

const struct module rules_module = {
    .name = "rules",
    .routes = rules_routes,
    .seed = seed,
    .audit_kinds = rules_audit_kinds,
};
