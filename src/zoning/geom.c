/*
** Geometry rules of zoning: a GeoJSON geometry (already parsed by jansson) becomes a GEOS
** geometry only when it is the right type, in lon/lat range, with closed rings and valid by
** GEOS (GEOSisValidReason_r gives the reason a user reads). Also the small pure rules the site
** check applies: industry prefixes, the verdict's strength and the names of effects,
** dimensions and kinds.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "zoning/internal.h"

struct geom_ctx {
    GEOSContextHandle_t h;
    size_t vertices, max_vertices;
    char *why;
    size_t cap;
};

static int fail(struct geom_ctx *c, int rc, const char *zh, const char *en)
{
    snprintf(c->why, c->cap, "%s / %s", zh, en);
    return rc;
}

/* One position [lon, lat(, z)] into (x, y). */
static int position(struct geom_ctx *c, json_t *p, double *x, double *y)
{
    if (!json_is_array(p) || json_array_size(p) < 2 || !json_is_number(json_array_get(p, 0)) ||
        !json_is_number(json_array_get(p, 1))) {
        return fail(c, ERR_INPUT, "坐标应为 [经度, 纬度] 数对", "a position must be [lon, lat]");
    }
    *x = json_number_value(json_array_get(p, 0));
    *y = json_number_value(json_array_get(p, 1));
    if (!(*x >= -180 && *x <= 180 && *y >= -90 && *y <= 90)) {
        snprintf(c->why, c->cap,
                 "坐标 [%g, %g] 超出经纬度范围（须为 CGCS2000 或 WGS 84 经纬度） / position [%g, "
                 "%g] is outside the lon/lat range (coordinates must be CGCS2000 / WGS 84 "
                 "longitude and latitude, not projected)",
                 *x, *y, *x, *y);
        return ERR_INPUT;
    }
    if (++c->vertices > c->max_vertices) {
        snprintf(c->why, c->cap, "顶点超过 %zu 个 / more than %zu vertices", c->max_vertices,
                 c->max_vertices);
        return ERR_TOOBIG;
    }
    return 0;
}

static int ring(struct geom_ctx *c, json_t *r, GEOSGeometry **out)
{
    size_t n = json_is_array(r) ? json_array_size(r) : 0;
    if (n < 4) {
        return fail(c, ERR_INPUT, "多边形的环至少需要 4 个坐标（首尾相同）",
                    "a polygon ring needs at least 4 positions (the first repeated last)");
    }
    GEOSCoordSequence *s = GEOSCoordSeq_create_r(c->h, (unsigned)n, 2);
    for (size_t i = 0; i < n; i++) {
        double x, y;
        int rc = position(c, json_array_get(r, i), &x, &y);
        if (rc) {
            GEOSCoordSeq_destroy_r(c->h, s);
            return rc;
        }
        GEOSCoordSeq_setXY_r(c->h, s, (unsigned)i, x, y);
    }
    double x0, y0, x1, y1;
    GEOSCoordSeq_getXY_r(c->h, s, 0, &x0, &y0);
    GEOSCoordSeq_getXY_r(c->h, s, (unsigned)n - 1, &x1, &y1);
    if (x0 != x1 || y0 != y1) {
        GEOSCoordSeq_destroy_r(c->h, s);
        return fail(c, ERR_INPUT, "多边形的环未闭合（首尾坐标应相同）",
                    "a polygon ring is not closed (its last position must repeat the first)");
    }
    *out = GEOSGeom_createLinearRing_r(c->h, s);
    return *out ? 0 : fail(c, ERR_INPUT, "无法构成多边形的环", "the ring is not a linear ring");
}

static int polygon(struct geom_ctx *c, json_t *rings, GEOSGeometry **out)
{
    size_t n = json_is_array(rings) ? json_array_size(rings) : 0;
    if (n < 1 || n > 10000) {
        return fail(c, ERR_INPUT, "多边形至少需要一个外环", "a polygon needs its outer ring");
    }
    GEOSGeometry *shell = NULL, **holes = xcalloc(n, sizeof *holes);
    int rc = ring(c, json_array_get(rings, 0), &shell);
    size_t k = 0;
    for (size_t i = 1; !rc && i < n; i++, k++) {
        rc = ring(c, json_array_get(rings, i), &holes[k]);
    }
    if (rc) {
        for (size_t i = 0; i < k; i++) {
            if (holes[i]) {
                GEOSGeom_destroy_r(c->h, holes[i]);
            }
        }
        if (shell) {
            GEOSGeom_destroy_r(c->h, shell);
        }
        free(holes);
        return rc;
    }
    *out = GEOSGeom_createPolygon_r(c->h, shell, holes, (unsigned)k);
    free(holes);
    return 0;
}

static int build(struct geom_ctx *c, json_t *g, bool site, GEOSGeometry **out)
{
    const char *type = json_string_value(json_object_get(g, "type"));
    json_t *coords = json_object_get(g, "coordinates");
    if (!json_is_object(g) || !type) {
        return fail(c, ERR_INPUT, "几何图形应为带 type 的 GeoJSON 对象",
                    "the geometry must be a GeoJSON object with a type");
    }
    if (site && !strcmp(type, "Point")) {
        double x, y;
        int rc = position(c, coords, &x, &y);
        *out = rc ? NULL : GEOSGeom_createPointFromXY_r(c->h, x, y);
        return rc;
    }
    if (!strcmp(type, "Polygon")) {
        return polygon(c, coords, out);
    }
    if (!strcmp(type, "MultiPolygon")) {
        size_t n = json_is_array(coords) ? json_array_size(coords) : 0;
        if (n < 1 || n > 10000) {
            return fail(c, ERR_INPUT, "MultiPolygon 至少需要一个多边形",
                        "a MultiPolygon needs a polygon");
        }
        GEOSGeometry **parts = xcalloc(n, sizeof *parts);
        int rc = 0;
        size_t k = 0;
        for (; !rc && k < n; k++) {
            rc = polygon(c, json_array_get(coords, k), &parts[k]);
        }
        if (rc) {
            for (size_t i = 0; i + 1 < k; i++) {
                GEOSGeom_destroy_r(c->h, parts[i]);
            }
            free(parts);
            return rc;
        }
        *out = GEOSGeom_createCollection_r(c->h, GEOS_MULTIPOLYGON, parts, (unsigned)n);
        free(parts);
        return 0;
    }
    snprintf(c->why, c->cap, "不支持的几何类型 %s（应为 %s） / unsupported geometry type %s (%s)",
             type, site ? "Point、Polygon 或 MultiPolygon" : "Polygon 或 MultiPolygon", type,
             site ? "Point, Polygon or MultiPolygon" : "Polygon or MultiPolygon");
    return ERR_INPUT;
}

int zoning_geom_from_json(GEOSContextHandle_t ctx, json_t *g, bool site, size_t max_vertices,
                          GEOSGeometry **out, char *why, size_t cap)
{
    struct geom_ctx c = {ctx, 0, max_vertices, why, cap};
    *out = NULL;
    int rc = build(&c, g, site, out);
    if (rc) {
        return rc;
    }
    if (GEOSisValid_r(ctx, *out) != 1) {
        char *reason = GEOSisValidReason_r(ctx, *out);
        snprintf(why, cap, "几何图形无效：%s / invalid geometry: %s", reason ? reason : "?",
                 reason ? reason : "?");
        GEOSFree_r(ctx, reason);
        GEOSGeom_destroy_r(ctx, *out);
        *out = NULL;
        return ERR_INPUT;
    }
    return 0;
}

int zoning_geom_bbox(GEOSContextHandle_t ctx, const GEOSGeometry *g, double bbox[4])
{
    int ok = GEOSGeom_getXMin_r(ctx, g, &bbox[0]) && GEOSGeom_getYMin_r(ctx, g, &bbox[1]) &&
             GEOSGeom_getXMax_r(ctx, g, &bbox[2]) && GEOSGeom_getYMax_r(ctx, g, &bbox[3]);
    return ok ? 0 : ERR_INPUT;
}

/* GB/T 4754-2017: the sections and the first and last of their divisions. */
static const struct {
    char section;
    int from, to;
} SECTIONS[] = {{'A', 1, 5},   {'B', 6, 12},  {'C', 13, 43}, {'D', 44, 46}, {'E', 47, 50},
                {'F', 51, 52}, {'G', 53, 60}, {'H', 61, 62}, {'I', 63, 65}, {'J', 66, 69},
                {'K', 70, 70}, {'L', 71, 72}, {'M', 73, 75}, {'N', 76, 79}, {'O', 80, 82},
                {'P', 83, 83}, {'Q', 84, 85}, {'R', 86, 90}, {'S', 91, 97}, {'T', 98, 98}};

static char section_of(int division)
{
    for (size_t i = 0; i < sizeof SECTIONS / sizeof SECTIONS[0]; i++) {
        if (division >= SECTIONS[i].from && division <= SECTIONS[i].to) {
            return SECTIONS[i].section;
        }
    }
    return 0;
}

bool zoning_industry_norm(const char *s, size_t len, char out[ZONING_INDUSTRY_MAX])
{
    char t[ZONING_INDUSTRY_MAX];
    size_t n = 0;
    out[0] = 0;
    for (size_t i = 0; s && i < len && s[i]; i++) {
        if (s[i] == ' ') {
            continue;
        }
        if (n + 1 >= sizeof t) {
            return false;
        }
        t[n++] = (char)toupper((unsigned char)s[i]);
    }
    t[n] = 0;
    if (n == 0) {
        return true;
    }
    const char *d = t;
    char letter = 0;
    if (isalpha((unsigned char)t[0])) {
        letter = t[0];
        d++;
    }
    size_t nd = strlen(d);
    for (size_t i = 0; i < nd; i++) {
        if (!isdigit((unsigned char)d[i])) {
            return false;
        }
    }
    if (nd == 0) { /* a section alone */
        bool known = false;
        for (size_t i = 0; i < sizeof SECTIONS / sizeof SECTIONS[0]; i++) {
            known |= SECTIONS[i].section == letter;
        }
        if (!known) {
            return false;
        }
        out[0] = letter;
        out[1] = 0;
        return true;
    }
    if (nd < 2 || nd > 4) { /* a division (2), a group (3) or a class (4) */
        return false;
    }
    char sec = section_of((d[0] - '0') * 10 + (d[1] - '0'));
    if (!sec || (letter && letter != sec)) {
        return false;
    }
    out[0] = sec; /* nd ≤ 4: the section letter, the digits and the NUL fit */
    memcpy(out + 1, d, nd);
    out[1 + nd] = 0;
    return true;
}

bool zoning_industry_matches(const char *list, const char *industry)
{
    char ind[ZONING_INDUSTRY_MAX];
    if (!list || !*list || !industry || !*industry) {
        return true;
    }
    if (!zoning_industry_norm(industry, strlen(industry), ind)) {
        return false;
    }
    const char *p = list;
    while (*p) {
        while (*p == ',' || *p == ' ') {
            p++;
        }
        size_t n = 0;
        while (p[n] && p[n] != ',' && p[n] != ' ') {
            n++;
        }
        char pre[ZONING_INDUSTRY_MAX];
        if (n > 0 && zoning_industry_norm(p, n, pre) && *pre && !strncmp(ind, pre, strlen(pre))) {
            return true;
        }
        p += n;
    }
    return false;
}

bool zoning_industry_valid(const char *s)
{
    char t[ZONING_INDUSTRY_MAX];
    return zoning_industry_norm(s, s ? strlen(s) : 0, t);
}

enum zoning_verdict zoning_verdict_of(bool any_unit, bool any_forbid, bool any_condition)
{
    return !any_unit       ? ZV_NO_UNIT
           : any_forbid    ? ZV_FORBIDDEN
           : any_condition ? ZV_CONDITIONAL
                           : ZV_ALLOWED;
}

const char *zoning_verdict_name(enum zoning_verdict v)
{
    switch (v) {
    case ZV_NO_UNIT: return "no_unit";
    case ZV_ALLOWED: return "allowed";
    case ZV_CONDITIONAL: return "conditional";
    case ZV_FORBIDDEN: return "forbidden";
    }
    return "no_unit";
}

static const char *norm(const char *s, const char *const (*table)[2], size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        if (!strcmp(s, table[i][0]) || !strcmp(s, table[i][1])) {
            return table[i][0];
        }
    }
    return NULL;
}

const char *zoning_effect_norm(const char *s)
{
    static const char *const t[][2] = {
        {"forbid", "禁止"}, {"condition", "限制"}, {"allow", "允许"}, {"condition", "有条件"}};
    return norm(s, t, ARRAY_LEN(t));
}

const char *zoning_dimension_norm(const char *s)
{
    static const char *const t[][2] = {{"spatial", "空间布局约束"},
                                       {"emission", "污染物排放管控"},
                                       {"risk", "环境风险防控"},
                                       {"resource", "资源开发效率"},
                                       {"resource", "资源开发效率要求"}};
    return norm(s, t, ARRAY_LEN(t));
}

const char *zoning_kind_norm(const char *s)
{
    static const char *const t[][2] = {{"priority", "优先保护"}, {"key", "重点管控"},
                                       {"general", "一般管控"},  {"priority", "优先保护单元"},
                                       {"key", "重点管控单元"},  {"general", "一般管控单元"}};
    return norm(s, t, ARRAY_LEN(t));
}

void zoning_units_free(struct zoning_unit *u, size_t n)
{
    for (size_t i = 0; u && i < n; i++) {
        free(u[i].name);
        free(u[i].note);
        free(u[i].geometry);
        for (size_t k = 0; k < u[i].n_items; k++) {
            free(u[i].items[k].industries);
            free(u[i].items[k].text);
        }
        free(u[i].items);
    }
    free(u);
}
