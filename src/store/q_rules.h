/*
** Named queries of the rule sets (src/rules/) and of the alarms' link to the rule set that
** judged them. Rows come to callbacks with text valid during the call only.
*/
#ifndef ENVGOV_STORE_Q_RULES_H
#define ENVGOV_STORE_Q_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

/* One version as stored; body points into the statement (valid during the callback). */
struct rule_row {
    int64_t id;
    int version;
    const char *kind, *region_prefix, *effective_from, *source, *note, *sha256, *body;
    const char *created_at, *used_at; /* used_at "" while unused */
};
typedef int (*rule_row_fn)(const struct rule_row *r, void *ctx);

/* The version of kind in force for region_code on date (YYYY-MM-DD): the longest matching
   region prefix among versions effective on or before date, then the latest effective date,
   then the highest version. fn is called once; ERR_NOTFOUND when none is in force. */
int store_rule_resolve(struct db *db, const char *kind, const char *region_code, const char *date,
                       rule_row_fn fn, void *ctx);
/* Version id; ERR_NOTFOUND. */
int store_rule_get(struct db *db, int64_t id, rule_row_fn fn, void *ctx);
/* New version (one more than the highest of (kind, region_prefix)); *id, *version get it. */
struct rule_new {
    const char *kind, *region_prefix, *effective_from, *source, *note, *body, *sha256;
    int64_t created_by; /* 0 = the system (shipped defaults) */
};
int store_rule_insert(struct db *db, const struct rule_new *n, const char *now, int64_t *id,
                      int *version);
/* Replace effective date, source, note and body of an unused version: ERR_CONFLICT when a
   decision has used it, ERR_NOTFOUND when absent. */
int store_rule_update(struct db *db, int64_t id, const struct rule_new *n, const char *now);
/* Remove an unused version: ERR_CONFLICT when used, ERR_NOTFOUND when absent. */
int store_rule_delete(struct db *db, int64_t id);
/* A decision used version id as read (sha256 of its body): set used_at once. ERR_CONFLICT when
   the version changed or went away since it was read. */
int store_rule_mark_used(struct db *db, int64_t id, const char *sha256, const char *now);
/* Versions of (kind, region_prefix), any date. */
int store_rule_count(struct db *db, const char *kind, const char *region_prefix, int64_t *n);
/* {"items":[...]} of the versions (no bodies), filtered when kind / region_prefix are non-NULL,
   newest first per (kind, region_prefix). */
int store_rule_list(struct db *db, const char *kind, const char *region_prefix, size_t limit,
                    struct buf *out);
/* The version as one JSON object with "body" embedded; ERR_NOTFOUND. */
int store_rule_json(struct db *db, int64_t id, struct buf *out);
/* What changes with every write of kind's versions, to refresh a cache cheaply. */
int store_rule_stamp(struct db *db, const char *kind, char out[64]);

/* ---- alarms and their rule set ---- */
/* Rows: point id, region code of its enterprise (active points). */
int store_rule_point_regions_each(struct db *db, db_row_fn row, void *ctx);
int store_alarm_rule_set(struct db *db, int64_t alarm_id, int64_t rule_set_id);
/* Rows: rule_set_id (0 for none) of alarms not closed and normal again. */
int store_alarm_normal_rules_each(struct db *db, db_row_fn row, void *ctx);
/* Close the alarms judged by rule_set_id (0: by none) that are normal since before (that
   version's close_after_normal_s ago); rows: id, point_id, enterprise_id, kind, factor. */
int store_alarm_autoclose_rule(struct db *db, int64_t rule_set_id, const char *before,
                               const char *now, db_row_fn row, void *ctx);

/* The kinds of record the rules module writes to the audit log (store.h struct audit_kind). */
extern const struct audit_kind rules_audit_kinds[];

#endif
