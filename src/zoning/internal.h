/*
** Inside the zoning module: units and items in memory (an import's parse, the spatial index),
** the geometry rules (geom.c: GeoJSON geometry → GEOS with the lon/lat range, ring and validity
** checks), the per-process spatial index of an edition and the site check over it (index.c),
** the imports (import.c GeoJSON, shapefile.c Shapefile zips), pre-consultations (consult.c) and
** the routes (api.c).
*/
#ifndef ENVGOV_ZONING_INTERNAL_H
#define ENVGOV_ZONING_INTERNAL_H

#include <geos_c.h>
#include <jansson.h>

#include "zoning/zoning.h"

#define ZONING_CODE_MAX 32
#define ZONING_ERR_MAX 600

struct zoning_item {
    char number[24], dimension[12], effect[12];
    char *industries; /* comma list of code prefixes, "" = all (malloc'd) */
    char *text;       /* malloc'd */
};

/* A unit as an import reads it and as the index holds it; strings malloc'd, owned by the
   array's owner (zoning_units_free). */
struct zoning_unit {
    int64_t id;
    char code[ZONING_CODE_MAX + 1], kind[12], region_code[16];
    char *name, *note;
    char *geometry; /* GeoJSON geometry text (Polygon / MultiPolygon) */
    bool sensitive;
    double min_lon, min_lat, max_lon, max_lat;
    struct zoning_item *items;
    size_t n_items;
    /* index only */
    GEOSGeometry *g;
    const GEOSPreparedGeometry *pg;
};
void zoning_units_free(struct zoning_unit *u, size_t n);

/* ---- geom.c ---- */
/* GeoJSON geometry g → a GEOS geometry in ctx (*out, caller destroys). site: Point, Polygon or
   MultiPolygon, else only Polygon / MultiPolygon. Coordinates must be lon/lat (|lon| ≤ 180,
   |lat| ≤ 90) and numbers, rings closed with 4+ positions, the geometry valid (GEOS's reason
   in why). ERR_INPUT with why, or ERR_TOOBIG over max_vertices. */
int zoning_geom_from_json(GEOSContextHandle_t ctx, json_t *g, bool site, size_t max_vertices,
                          GEOSGeometry **out, char *why, size_t cap);
/* Bounding box of a GEOS geometry. */
int zoning_geom_bbox(GEOSContextHandle_t ctx, const GEOSGeometry *g, double bbox[4]);
/* GB/T 4754-2017 industry codes come in two forms: the registry's (data/codes/industries.csv:
   sections "A".."T", divisions "26", groups "261", classes "2614") and with the section letter
   ("C26", "C2614"). zoning_industry_norm turns s[0..len) (spaces ignored, any case) into the
   one form compared here, the section letter and the digits ("2614" and "c2614" → "C2614",
   "26" → "C26", "C" → "C"), the section found from the division's range; "" stays "". false
   for anything else (an unknown section or division, a letter that is not the division's, more
   than 4 digits). */
#define ZONING_INDUSTRY_MAX 8
bool zoning_industry_norm(const char *s, size_t len, char out[ZONING_INDUSTRY_MAX]);
/* Whether industry (either form) falls under the comma list of codes (either form: "C26" and
   "26" hold "2614", "C" every manufacturing code; empty = all; NULL or "" industry = every item
   applies). */
bool zoning_industry_matches(const char *list, const char *industry);
/* Whether s is "" or a GB/T 4754 code in either form (zoning_industry_norm). */
bool zoning_industry_valid(const char *s);
/* Verdict from the strongest effect among the applying items: forbid > condition > allow. */
enum zoning_verdict zoning_verdict_of(bool any_unit, bool any_forbid, bool any_condition);
/* "forbid" | "condition" | "allow" and the four dimensions (Chinese accepted: 禁止 / 限制 …). */
const char *zoning_effect_norm(const char *s);
const char *zoning_dimension_norm(const char *s);
const char *zoning_kind_norm(const char *s);

/* ---- index.c ---- */
/* An edition's units in memory with an STRtree over their boxes and prepared geometries. */
struct zoning_index;
/* Build from units (taking them over: the index frees them). NULL and why on a geometry that
   does not parse (a database edited by hand). */
struct zoning_index *zoning_index_build(struct zoning_unit *units, size_t n, const char *edition,
                                        char *why, size_t cap);
void zoning_index_free(struct zoning_index *ix);
/* The site check over ix (not locked: the caller serialises), as zoning_site_check. */
int zoning_index_check(struct zoning_index *ix, const char *geometry, const char *industry,
                       size_t max_vertices, struct zoning_answer *ans, struct buf *out,
                       const char **field, char *why, size_t cap);
/* How many units' boxes hold the point (the STRtree alone, no exact geometry): the benchmark's
   baseline. */
size_t zoning_index_bbox_count(struct zoning_index *ix, double lon, double lat);
/* The cached index of edition e for the process, rebuilt when the edition's generation moved
   (another process's import). Locks the cache: release with zoning_cache_release. */
struct zoning_edition_row;
int zoning_cache_acquire(struct db *db, const struct zoning_edition_row *e,
                         struct zoning_index **out);
void zoning_cache_release(void);
/* Tests only (NULL otherwise): called while an edition is loaded, between reading its units
   and its items, so a test can commit another import there. */
extern void (*zoning_load_hook)(struct db *db);
/* Drop every cached index (stop, tests). */
void zoning_cache_clear(void);

/* ---- import.c ---- */
struct zoning_import {
    char edition[32], name[128], source[16];
    struct zoning_unit *units;
    size_t n, cap;
    size_t n_items;
    /* error */
    const char *field;
    char why[ZONING_ERR_MAX];
};
void zoning_import_free(struct zoning_import *im);
/* Set im's edition code and name (either NULL: left as it is) after checking them: the code
   letters, digits, - and _ (it is a path segment) and shorter than im->edition, the name UTF-8
   and shorter than im->name. ERR_INPUT with im->field "edition" or "name" and im->why;
   nothing is ever cut short. */
int zoning_import_edition(struct zoning_import *im, const char *code, const char *name);
/* Parse a GeoJSON FeatureCollection (docs/internals/zoning.md) into im: every feature checked
   (properties, items, CRS, geometry). ERR_INPUT / ERR_TOOBIG with im->why naming the feature. */
int zoning_geojson_parse(const char *text, size_t len, struct zoning_import *im);
/* The same from a parsed FeatureCollection (the Shapefile import builds one). */
int zoning_features_parse(json_t *fc, struct zoning_import *im);
/* Parse a zip of .shp/.shx/.dbf/.prj (and optional items.csv) into im (shapefile.c). */
int zoning_shapefile_parse(const void *zip, size_t len, struct zoning_import *im);
/* Write im as edition im->edition (created or replaced) in the caller's transaction, put it in
   force when enact, and audit it. *edition_id gets its id. Replacing the edition in force
   without enact is ERR_CONFLICT (its new units would be in force at once): the caller answers
   ZONING_IN_FORCE_MSG. */
#define ZONING_IN_FORCE_MSG                                                                                                  \
    "该版本现行有效，重新导入须同时生效（enact=1），或以新的版本编号导入 / the edition is in " \
    "force: import it again with enact=1, or under a new edition code"
int zoning_import_store(struct db *db, const struct zoning_import *im, bool enact, int64_t user_id,
                        const char *actor, const char *request_id, const char *ip, const char *now,
                        int64_t *edition_id);

/* ---- cli.c ---- */
struct cli;
/* `envgov zoning import FILE …` */
int zoning_cmd(const struct cli *c);

/* ---- demo.c / consult.c / api.c ---- */
int zoning_demo(struct db *db, const char *today, struct buf *summary);
void zoning_api_routes(struct router *rt);
void zoning_consult_routes(struct router *rt);
/* The demo's pre-consultations over the demo edition, in the demo's transaction. */
int zoning_consult_demo(struct db *db, const char *today, const char *now, size_t *n);
/* The notice of concerns of a check (paragraphs as a JSON array of strings) into out. */
void zoning_notice_json(const char *project_name, const char *builder, const char *industry,
                        json_t *check, struct buf *out);

#endif
