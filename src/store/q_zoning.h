/*
** Named queries of 三线一单 zoning (src/zoning/, migration 022): editions, their units and access
** list items (the import writes them, the spatial index reads them whole), the lists and details
** of the API, and pre-consultations. Rows come to callbacks with text valid during the call only.
*/
#ifndef ENVGOV_STORE_Q_ZONING_H
#define ENVGOV_STORE_Q_ZONING_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

/* The units as an entity (list: sort, filter by edition_id / kind / region_code, search), and
   the pre-consultations (scoped by enterprise_id). */
extern const struct entity_def ENTITY_ZONING_UNIT, ENTITY_ZONING_CONSULT;
extern const struct audit_kind zoning_audit_kinds[];

struct zoning_edition_row {
    int64_t id, generation, n_units, n_items;
    char code[32], name[128], source[16];
    bool in_force;
};
/* The edition of that code, or the one in force when code is NULL or "". ERR_NOTFOUND. */
int store_zoning_edition(struct db *db, const char *code, struct zoning_edition_row *out);
/* Create edition code (name, source) or, when it exists, empty it (its items and units go) and
   bump its generation; *id gets it, *replaced whether it existed. */
int store_zoning_edition_begin(struct db *db, const char *code, const char *name,
                               const char *source, int64_t user_id, const char *now, int64_t *id,
                               bool *replaced);
/* Count the edition's units and items into its row. */
int store_zoning_edition_count(struct db *db, int64_t id);
/* Put edition id in force (every other one out of force). */
int store_zoning_edition_enact(struct db *db, int64_t id, const char *now);
/* Every edition as a JSON array, newest first. */
int store_zoning_editions_json(struct db *db, struct buf *out);

struct zoning_unit_new {
    int64_t edition_id;
    const char *code, *name, *kind, *region_code, *note, *geometry;
    bool sensitive;
    double min_lon, min_lat, max_lon, max_lat;
};
int store_zoning_unit_insert(struct db *db, const struct zoning_unit_new *u, const char *now,
                             int64_t *id);
struct zoning_item_new {
    int64_t unit_id;
    int position;
    const char *number, *dimension, *effect, *industries, *text;
};
int store_zoning_item_insert(struct db *db, const struct zoning_item_new *it);

/* The units of edition_id: fn(st) with columns id, code, name, kind, region_code, sensitive,
   geometry, min_lon, min_lat, max_lon, max_lat. */
int store_zoning_units_each(struct db *db, int64_t edition_id, db_row_fn fn, void *ctx);
/* The items of edition_id's units in unit and list order: columns unit_id, number, dimension,
   effect, industries, text. */
int store_zoning_items_each(struct db *db, int64_t edition_id, db_row_fn fn, void *ctx);
/* One unit as a JSON object with its edition code, geometry (raw) and items. ERR_NOTFOUND. */
int store_zoning_unit_json(struct db *db, int64_t id, struct buf *out);
/* The units of edition_id as a JSON array of {id, code, name, kind, sensitive, geometry} for the
   map (at most max; *n gets the count). */
int store_zoning_map_json(struct db *db, int64_t edition_id, size_t max, struct buf *out,
                          size_t *n);

struct zoning_consult_new {
    int64_t enterprise_id, created_by;
    const char *project_name, *builder, *industry, *region_code, *geometry, *edition, *verdict;
    const char *check_json, *notice_json;
    double investment;
    bool sensitive;
};
int store_zoning_consult_insert(struct db *db, const struct zoning_consult_new *c, const char *now,
                                int64_t *id);
/* Columns id, enterprise_id, project_name, builder, industry, region_code, verdict, sensitive,
   created_at, geometry, edition, investment, check_json, notice_json, enterprise_name of
   consult id, the statement positioned on the row (finish with db_done). ERR_NOTFOUND. */
int store_zoning_consult_open(struct db *db, int64_t id, struct db_stmt **st);
/* One consult as a JSON object (check and notice embedded). ERR_NOTFOUND. */
int store_zoning_consult_json(struct db *db, int64_t id, struct buf *out);

/* A page of consultations within sc: the entity scope by enterprise, and a row without
   enterprise within a regional user's area by its own region_code. Search q (project or
   builder), verdict and enterprise_id filters ("" / 0 = any), sort id | project_name | industry
   | verdict | created_at, offset paging: {"items":[…],"next_cursor":"<offset>"|null[,"total":n]}.
 */
struct zoning_consult_query {
    const char *q, *verdict, *sort;
    bool desc, with_total;
    int64_t enterprise_id, offset;
    size_t limit;
};
int store_zoning_consults_list(struct db *db, const struct scope *sc,
                               const struct zoning_consult_query *q, struct buf *out);
/* The 工作台's figures within sc: ,"zoning":{"consults_year":n,"forbidden_year":n,"edition":…}
   (consultations recorded since year_start, an ISO time; the edition in force or null). */
int store_zoning_dashboard(struct db *db, const struct scope *sc, const char *year_start,
                           struct buf *out);
/* The region code of enterprise id. ERR_NOTFOUND. */
int store_zoning_enterprise_region(struct db *db, int64_t id, char *region, size_t cap);

#endif
