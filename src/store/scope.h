/*
** The scope condition in SQL, for the store's own queries (entity lists, the dashboard): one
** text for "rows the principal may see", so the lists and the dashboard's figures cannot drift
** apart. Included only by src/store/; the C form of the same rule is store_scope_allows
** (store.h).
*/
#ifndef ENVGOV_STORE_SCOPE_H
#define ENVGOV_STORE_SCOPE_H

#include "core/buf.h"
#include "store/store.h"

/* Append to sql the condition (no leading AND) that a row is within sc: its enterprise id is
   ent_col, its region code region_col (NULL: looked up in enterprises by ent_col). Parameters
   are numbered from first on; returns how many there are (store_scope_param gives each).
   sc NULL or SCOPE_ALL: "1=1"; no region or SCOPE_NONE: "1=0". Allocates nothing. */
int store_scope_sql(struct buf *sql, const struct scope *sc, const char *ent_col,
                    const char *region_col, int first);
/* The same condition for a row that belongs to an org unit (unit_col): within sc when one of
   the unit's regions (org_unit_regions) starts with one of sc's prefixes, or is a region above
   one (a county branch's user sees the city bureau's rows, never another county's); an
   enterprise user sees none. Takes store_scope_n_params(sc) parameters from first on, as
   store_scope_sql. */
int store_scope_sql_unit(struct buf *sql, const struct scope *sc, const char *unit_col, int first);
/* How many parameters sc's condition has (what store_scope_sql returns). */
int store_scope_n_params(const struct scope *sc);
/* Parameter i (from 0) of sc's condition: the enterprise id, or the LIKE pattern of region
   prefix i ("3305%", escaped) written into pat, which *v then points into. */
void store_scope_param(const struct scope *sc, int i, struct db_value *v, char pat[40]);
/* Bind sc's parameters into st from ?first on (as store_scope_sql numbered them). */
int store_scope_bind(struct db_stmt *st, const struct scope *sc, int first);

/* A statement built from fmt (one %s for the scope condition on an enterprises alias e), with
   text parameters ?1..?n (NULL ends the list early) and the scope's parameters bound from ?10
   on. Finish with store_scoped_done. For the 工作台's figures of each module. */
struct store_scoped {
    struct buf cond, sql;
    struct db_stmt *st;
};
int store_scoped_open(struct db *db, const struct scope *sc, const char *fmt,
                      const char *const *texts, size_t n_texts, struct store_scoped *q);
void store_scoped_done(struct store_scoped *q);
/* The rows of a scoped query as a JSON array (single: the first column of the one row, an
   integer), with up to two text parameters. */
int store_scoped_json(struct db *db, const struct scope *sc, const char *fmt, const char *p1,
                      const char *p2, bool single, struct buf *out);
/* "key":"value" (value JSON-escaped). */
void store_json_str_kv(struct buf *out, const char *key, const char *v);

#endif
