/*
** Named queries of the registry (src/registry/) beyond the generic entity reads and writes
** of store.h: today only the import's lookup by USCC. SQL in q_registry.c.
*/
#ifndef ENVGOV_STORE_Q_REGISTRY_H
#define ENVGOV_STORE_Q_REGISTRY_H

#include <stdint.h>

#include "store/store.h"

/* Id of the enterprise with this USCC (any status); ERR_NOTFOUND. */
int store_enterprise_id_by_uscc(struct db *db, const char *uscc, int64_t *id);

/* The kinds of record the registry module writes to the audit log (store.h struct audit_kind). */
extern const struct audit_kind registry_audit_kinds[];

/* The registry's figures on the 工作台 within sc, as members of the answer's object (each after a
   comma): enterprises (total, by category, county, industry division), outlets and points
   (totals), permits due in [today, expiry_limit] (the first 100 and the count) and expired. */
int store_dashboard_registry(struct db *db, const struct scope *sc, const char *today,
                             const char *expiry_limit, struct buf *out);

#endif
