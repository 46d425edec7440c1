/*
** The spatial index of an edition and the site check over it. Each process keeps the indexes
** of the editions it checked (at most CACHE_MAX): the units with their prepared geometries and
** an STRtree over their boxes, built from the database on first use. Every check reads the
** edition's row (code, generation) first, so an import by another process (which bumps the
** generation) makes the next check here rebuild: nothing is invalidated by messages. One mutex
** serialises checks and builds: GEOS prepared geometries build their own indexes lazily and are
** not safe to share between threads, and a check takes microseconds.
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "store/q_zoning.h"
#include "zoning/internal.h"

struct zoning_index {
    GEOSContextHandle_t h;
    char edition[32];
    int64_t edition_id, generation;
    struct zoning_unit *units;
    size_t n;
    GEOSSTRtree *tree;
    bool built; /* the tree is queried once at build, so that later queries only read it */
};

static void geos_notice(const char *fmt, ...)
{
    (void)fmt; /* GEOS reports invalid input through its return values as well */
}

void zoning_index_free(struct zoning_index *ix)
{
    if (!ix) {
        return;
    }
    if (ix->tree) {
        GEOSSTRtree_destroy_r(ix->h, ix->tree);
    }
    for (size_t i = 0; i < ix->n; i++) {
        if (ix->units[i].pg) {
            GEOSPreparedGeom_destroy_r(ix->h, ix->units[i].pg);
        }
        if (ix->units[i].g) {
            GEOSGeom_destroy_r(ix->h, ix->units[i].g);
        }
    }
    zoning_units_free(ix->units, ix->n);
    GEOS_finish_r(ix->h);
    free(ix);
}

static void nothing(void *item, void *ud)
{
    (void)item;
    (void)ud;
}

struct zoning_index *zoning_index_build(struct zoning_unit *units, size_t n, const char *edition,
                                        char *why, size_t cap)
{
    struct zoning_index *ix = xcalloc(1, sizeof *ix);
    ix->h = GEOS_init_r();
    GEOSContext_setNoticeHandler_r(ix->h, geos_notice);
    GEOSContext_setErrorHandler_r(ix->h, geos_notice);
    str_copy(ix->edition, sizeof ix->edition, edition);
    ix->units = units;
    ix->n = n;
    ix->tree = GEOSSTRtree_create_r(ix->h, 10);
    for (size_t i = 0; i < n; i++) {
        struct zoning_unit *u = &units[i];
        json_error_t je;
        json_t *g = json_loads(u->geometry, 0, &je);
        char reason[ZONING_ERR_MAX];
        int rc = g ? zoning_geom_from_json(ix->h, g, false, SIZE_MAX, &u->g, reason, sizeof reason)
                   : ERR_INPUT;
        json_decref(g);
        if (rc) {
            snprintf(why, cap, "unit %s: %s", u->code, g ? reason : je.text);
            zoning_index_free(ix);
            return NULL;
        }
        u->pg = GEOSPrepare_r(ix->h, u->g);
        GEOSSTRtree_insert_r(ix->h, ix->tree, u->g, u);
    }
    /* The first query builds the tree: do it now, so no check pays for it. */
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(ix->h, 0, 0);
    GEOSSTRtree_query_r(ix->h, ix->tree, p, nothing, NULL);
    GEOSGeom_destroy_r(ix->h, p);
    ix->built = true;
    return ix;
}

struct hits {
    struct zoning_unit **u;
    size_t n, cap;
};

static void collect(void *item, void *ud)
{
    struct hits *h = ud;
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 16;
        h->u = xrealloc(h->u, h->cap * sizeof *h->u);
    }
    h->u[h->n++] = item;
}

size_t zoning_index_bbox_count(struct zoning_index *ix, double lon, double lat)
{
    struct hits h = {0};
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(ix->h, lon, lat);
    GEOSSTRtree_query_r(ix->h, ix->tree, p, collect, &h);
    GEOSGeom_destroy_r(ix->h, p);
    free(h.u);
    return h.n;
}

enum relation { REL_NONE, REL_INSIDE, REL_BORDER, REL_OVERLAPS };
static const char *const REL_NAMES[] = {"", "inside", "border", "overlaps"};

static enum relation relate(struct zoning_index *ix, const struct zoning_unit *u,
                            const GEOSGeometry *site, bool point)
{
    if (GEOSPreparedIntersects_r(ix->h, u->pg, site) != 1) {
        return REL_NONE;
    }
    if (GEOSPreparedTouches_r(ix->h, u->pg, site) == 1) {
        return REL_BORDER; /* boundaries meet, interiors do not (a point on the line) */
    }
    if (point || GEOSPreparedCovers_r(ix->h, u->pg, site) == 1) {
        return REL_INSIDE;
    }
    return REL_OVERLAPS;
}

static int by_code(const void *a, const void *b)
{
    const struct zoning_unit *const *x = a, *const *y = b;
    return strcmp((*x)->code, (*y)->code);
}

static void str_member(struct buf *out, const char *key, const char *v)
{
    buf_printf(out, "\"%s\":", key);
    buf_json_str(out, v ? v : "", v ? strlen(v) : 0);
}

static void unit_json(struct buf *out, const struct zoning_unit *u, enum relation rel)
{
    buf_putc(out, '{');
    str_member(out, "code", u->code);
    buf_putc(out, ',');
    str_member(out, "name", u->name);
    buf_printf(out, ",\"kind\":\"%s\",", u->kind);
    str_member(out, "region_code", u->region_code);
    buf_printf(out, ",\"sensitive\":%s,\"relation\":\"%s\"}", u->sensitive ? "true" : "false",
               REL_NAMES[rel]);
}

/* The reasons of unit u for industry, appended; the strongest effects seen are set. */
static void unit_reasons(struct buf *out, const struct zoning_unit *u, const char *industry,
                         size_t *n_reasons, bool *forbid, bool *condition)
{
    for (size_t k = 0; k < u->n_items; k++) {
        const struct zoning_item *it = &u->items[k];
        if (!zoning_industry_matches(it->industries, industry)) {
            continue;
        }
        *forbid |= !strcmp(it->effect, "forbid");
        *condition |= !strcmp(it->effect, "condition");
        buf_puts(out, (*n_reasons)++ ? ",{" : "{");
        str_member(out, "unit", u->code);
        buf_printf(out, ",\"dimension\":\"%s\",", it->dimension);
        str_member(out, "item", it->number);
        buf_printf(out, ",\"effect\":\"%s\",", it->effect);
        str_member(out, "text", it->text);
        buf_puts(out, ",\"industries\":");
        buf_json_str(out, it->industries, strlen(it->industries));
        buf_putc(out, '}');
    }
}

static int parse_site(struct zoning_index *ix, const char *geometry, size_t max_vertices,
                      GEOSGeometry **site, char *why, size_t cap)
{
    json_error_t je;
    json_t *g = geometry ? json_loads(geometry, 0, &je) : NULL;
    if (!g) {
        snprintf(why, cap, "选址应为 GeoJSON 几何图形 / the site must be a GeoJSON geometry%s%s",
                 geometry ? ": " : "", geometry ? je.text : "");
        return ERR_INPUT;
    }
    int rc = zoning_geom_from_json(ix->h, g, true, max_vertices, site, why, cap);
    json_decref(g);
    return rc;
}

int zoning_index_check(struct zoning_index *ix, const char *geometry, const char *industry,
                       size_t max_vertices, struct zoning_answer *ans, struct buf *out,
                       const char **field, char *why, size_t cap)
{
    memset(ans, 0, sizeof *ans);
    str_copy(ans->edition, sizeof ans->edition, ix->edition);
    char ind[ZONING_INDUSTRY_MAX];
    if (!zoning_industry_norm(industry, industry ? strlen(industry) : 0, ind)) {
        *field = "industry";
        snprintf(why, cap,
                 "行业代码应为国民经济行业代码（如 C2614 或 2614） / industry must be a GB/T 4754 "
                 "code (C2614 or 2614)");
        return ERR_INPUT;
    }
    industry = ind;
    GEOSGeometry *site = NULL;
    int rc = parse_site(ix, geometry, max_vertices, &site, why, cap);
    if (rc) {
        *field = "geometry";
        return rc;
    }
    bool point = GEOSGeomTypeId_r(ix->h, site) == GEOS_POINT;
    struct hits h = {0};
    GEOSSTRtree_query_r(ix->h, ix->tree, site, collect, &h);
    if (h.n > 1) {
        qsort(h.u, h.n, sizeof *h.u, by_code);
    }
    enum relation *rel = xcalloc(h.n ? h.n : 1, sizeof *rel);
    for (size_t i = 0; i < h.n; i++) {
        rel[i] = relate(ix, h.u[i], site, point);
        ans->n_units += rel[i] != REL_NONE;
        ans->sensitive |=
            rel[i] != REL_NONE && (h.u[i]->sensitive || !strcmp(h.u[i]->kind, "priority"));
    }
    GEOSGeom_destroy_r(ix->h, site);
    /* units and reasons first: the verdict that heads the answer comes from the reasons */
    struct buf body;
    buf_init(&body, out->max ? out->max : (size_t)1 << 24);
    buf_puts(&body, ",\"units\":[");
    for (size_t i = 0, k = 0; i < h.n; i++) {
        if (rel[i] != REL_NONE) {
            buf_puts(&body, k++ ? "," : "");
            unit_json(&body, h.u[i], rel[i]);
        }
    }
    buf_puts(&body, "],\"reasons\":[");
    size_t n_reasons = 0;
    bool forbid = false, condition = false;
    for (size_t i = 0; i < h.n; i++) {
        if (rel[i] != REL_NONE) {
            unit_reasons(&body, h.u[i], industry, &n_reasons, &forbid, &condition);
        }
    }
    buf_puts(&body, "]}");
    ans->verdict = zoning_verdict_of(ans->n_units > 0, forbid, condition);
    buf_putc(out, '{');
    str_member(out, "edition", ix->edition);
    buf_printf(out, ",\"verdict\":\"%s\",\"sensitive\":%s,", zoning_verdict_name(ans->verdict),
               ans->sensitive ? "true" : "false");
    str_member(out, "industry", industry);
    buf_append(out, body.p, body.len);
    bool overflow = body.overflow || out->overflow;
    buf_release(&body);
    free(rel);
    free(h.u);
    if (overflow) { /* never a truncated answer: the callers store it */
        *field = "geometry";
        snprintf(why, cap,
                 "研判结果过大（选址涉及的单元和条款过多） / the answer is too big (the site "
                 "touches too many units and items)");
        return ERR_TOOBIG;
    }
    return 0;
}

/* ---------------- the process's cache ---------------- */

#define CACHE_MAX 3
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct zoning_index *cache[CACHE_MAX];
static int64_t cache_used[CACHE_MAX], cache_clock;

struct load {
    struct zoning_unit *u;
    size_t n, cap;
    size_t at; /* items: the unit being filled */
    int err;
};

static void unit_row(struct db_stmt *st, void *ctx)
{
    struct load *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->u = xrealloc(l->u, l->cap * sizeof *l->u);
    }
    struct zoning_unit *u = &l->u[l->n++];
    memset(u, 0, sizeof *u);
    u->id = db_column_int(st, 0);
    db_column_copy(st, 1, u->code, sizeof u->code);
    u->name = xstrdup(db_column_text(st, 2, NULL));
    db_column_copy(st, 3, u->kind, sizeof u->kind);
    db_column_copy(st, 4, u->region_code, sizeof u->region_code);
    u->sensitive = db_column_int(st, 5) != 0;
    u->geometry = xstrdup(db_column_text(st, 6, NULL));
    u->min_lon = db_column_real(st, 7);
    u->min_lat = db_column_real(st, 8);
    u->max_lon = db_column_real(st, 9);
    u->max_lat = db_column_real(st, 10);
}

static void item_row(struct db_stmt *st, void *ctx)
{
    struct load *l = ctx;
    int64_t unit_id = db_column_int(st, 0);
    while (l->at < l->n && l->u[l->at].id < unit_id) {
        l->at++; /* both are in id order */
    }
    if (l->at == l->n || l->u[l->at].id != unit_id) {
        return;
    }
    struct zoning_unit *u = &l->u[l->at];
    u->items = xrealloc(u->items, (u->n_items + 1) * sizeof *u->items);
    struct zoning_item *it = &u->items[u->n_items++];
    memset(it, 0, sizeof *it);
    db_column_copy(st, 1, it->number, sizeof it->number);
    db_column_copy(st, 2, it->dimension, sizeof it->dimension);
    db_column_copy(st, 3, it->effect, sizeof it->effect);
    it->industries = xstrdup(db_column_text(st, 4, NULL));
    it->text = xstrdup(db_column_text(st, 5, NULL));
}

void (*zoning_load_hook)(struct db *db);

/* Units and items are two statements (and the edition's row a third, before them): an import
   committed by another process in between would give units without their items under the old
   generation. The caller's db may be the writer inside its transaction, where no snapshot can
   begin, so the generation is read again after the load instead, and the load repeated while it
   moved. */
static int load(struct db *db, const struct zoning_edition_row *e0, struct zoning_index **out)
{
    struct zoning_edition_row e = *e0;
    for (int attempt = 0; attempt < 5; attempt++) {
        struct load l = {0};
        int rc = store_zoning_units_each(db, e.id, unit_row, &l);
        if (!rc && zoning_load_hook) {
            zoning_load_hook(db);
        }
        rc = rc ? rc : store_zoning_items_each(db, e.id, item_row, &l);
        struct zoning_edition_row now;
        rc = rc ? rc : store_zoning_edition(db, e.code, &now);
        if (rc) {
            zoning_units_free(l.u, l.n);
            return rc;
        }
        if (now.id != e.id || now.generation != e.generation) {
            zoning_units_free(l.u, l.n); /* imported again while it was read */
            e = now;
            continue;
        }
        char why[ZONING_ERR_MAX];
        *out = zoning_index_build(l.u, l.n, e.code, why, sizeof why);
        if (!*out) {
            log_warn("zoning: edition %s cannot be indexed: %s", e.code, why);
            return ERR_DB;
        }
        (*out)->edition_id = e.id;
        (*out)->generation = e.generation;
        return 0;
    }
    log_warn("zoning: edition %s kept changing while it was read", e.code);
    return ERR_BUSY;
}

int zoning_cache_acquire(struct db *db, const struct zoning_edition_row *e,
                         struct zoning_index **out)
{
    pthread_mutex_lock(&cache_lock);
    int slot = -1, oldest = 0;
    for (int i = 0; i < CACHE_MAX; i++) {
        if (cache[i] && cache[i]->edition_id == e->id) {
            slot = i;
        }
        if (cache_used[i] < cache_used[oldest]) {
            oldest = i;
        }
    }
    if (slot >= 0 && cache[slot]->generation != e->generation) {
        zoning_index_free(cache[slot]); /* imported again, here or by another process */
        cache[slot] = NULL;
    }
    if (slot < 0 || !cache[slot]) {
        slot = slot >= 0 ? slot : oldest;
        zoning_index_free(cache[slot]);
        cache[slot] = NULL;
        int rc = load(db, e, &cache[slot]);
        if (rc) {
            pthread_mutex_unlock(&cache_lock);
            return rc;
        }
    }
    cache_used[slot] = ++cache_clock;
    *out = cache[slot];
    return 0;
}

void zoning_cache_release(void)
{
    pthread_mutex_unlock(&cache_lock);
}

void zoning_cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    for (int i = 0; i < CACHE_MAX; i++) {
        zoning_index_free(cache[i]);
        cache[i] = NULL;
    }
    pthread_mutex_unlock(&cache_lock);
}

int zoning_site_check(struct db *db, const struct zoning_check_req *q, struct zoning_answer *ans,
                      struct buf *out, const char **field)
{
    char why[ZONING_ERR_MAX];
    return zoning_site_check_why(db, q, ans, out, field, why, sizeof why);
}

int zoning_site_check_why(struct db *db, const struct zoning_check_req *q,
                          struct zoning_answer *ans, struct buf *out, const char **field, char *why,
                          size_t cap)
{
    size_t max_vertices = (size_t)settings_int("zoning_site_max_vertices");
    *why = 0;
    memset(ans, 0, sizeof *ans);
    *field = NULL;
    char ind[ZONING_INDUSTRY_MAX];
    if (!zoning_industry_norm(q->industry, q->industry ? strlen(q->industry) : 0, ind)) {
        *field = "industry";
        snprintf(why, cap,
                 "行业代码应为国民经济行业代码（如 C2614 或 2614） / industry must be a GB/T 4754 "
                 "code (C2614 or 2614)");
        return ERR_INPUT;
    }
    /* the registry's industries table holds it without the section letter ("C" stays "C");
       a store without the table's rows (a bare test store) takes the code's shape alone */
    const char *reg = ind[0] && ind[1] ? ind + 1 : ind;
    int64_t n_codes = 0;
    if (*reg && !store_code_exists(db, "industries", reg, strlen(reg)) &&
        !store_codes_count(db, "industries", &n_codes) && n_codes > 0) {
        *field = "industry";
        snprintf(why, cap, "没有行业代码 %s / no industry code %s (GB/T 4754-2017)", ind, ind);
        return ERR_INPUT;
    }
    struct zoning_edition_row e;
    bool named = q->edition && *q->edition;
    int rc = store_zoning_edition(db, named ? q->edition : NULL, &e);
    if (rc == ERR_NOTFOUND && named) {
        *field = "edition";
        snprintf(why, cap, "没有版本 %s / no edition %s", q->edition, q->edition);
        return ERR_INPUT;
    }
    if (rc == ERR_NOTFOUND) {
        /* no edition in force: the site is still checked for shape, and touches nothing */
        struct zoning_index *empty = zoning_index_build(NULL, 0, "", NULL, 0);
        rc = zoning_index_check(empty, q->geometry, q->industry, max_vertices, ans, out, field, why,
                                cap);
        zoning_index_free(empty);
        return rc;
    }
    if (rc) {
        return rc;
    }
    struct zoning_index *ix;
    rc = zoning_cache_acquire(db, &e, &ix);
    if (rc) {
        return rc;
    }
    rc = zoning_index_check(ix, q->geometry, q->industry, max_vertices, ans, out, field, why, cap);
    zoning_cache_release();
    return rc;
}
