/*
** Importing an edition's units. The GeoJSON format (docs/internals/zoning.md): a
** FeatureCollection whose features are the units — geometry Polygon or MultiPolygon in lon/lat
** (CGCS2000 / WGS 84; a "crs" member, when present, must name CRS84, EPSG:4326 or EPSG:4490) —
** with properties code, name, kind (priority | key | general, or 优先保护 / 重点管控 / 一般管控),
** region (county code), sensitive (bool), note and items: [{number, dimension, effect,
** industries (array or comma list of GB/T 4754 prefixes), text}]. The whole file is checked
** before anything is written; the first problem names its feature (1-based, with its code) and
** the reason, and nothing is imported. zoning_import_store writes it in the caller's
** transaction: the edition is created or emptied and refilled, and audited.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"
#include "store/q_zoning.h"
#include "zoning/internal.h"

#define TEXT_MAX 4000
#define ITEMS_MAX 200

void zoning_import_free(struct zoning_import *im)
{
    zoning_units_free(im->units, im->n);
    im->units = NULL;
    im->n = im->cap = 0;
}

static int bad(struct zoning_import *im, const char *field, int rc, size_t feature,
               const char *code, const char *what)
{
    im->field = field;
    if (!feature) {
        snprintf(im->why, sizeof im->why, "%s", what);
        return rc;
    }
    /* what is "中文 / English": each half goes with its language's feature name */
    const char *slash = strstr(what, " / ");
    int zh_len = slash ? (int)(slash - what) : (int)strlen(what);
    const char *en = slash ? slash + 3 : what;
    bool named = code && *code;
    snprintf(im->why, sizeof im->why, "第 %zu 个要素%s%s%s：%.*s / feature %zu%s%s%s: %s", feature,
             named ? "（" : "", named ? code : "", named ? "）" : "", zh_len, what, feature,
             named ? " (" : "", named ? code : "", named ? ")" : "", en);
    return rc;
}

static bool crs_ok(json_t *crs)
{
    const char *name =
        json_string_value(json_object_get(json_object_get(crs, "properties"), "name"));
    static const char *const OK[] = {"urn:ogc:def:crs:OGC:1.3:CRS84",
                                     "urn:ogc:def:crs:OGC::CRS84",
                                     "urn:ogc:def:crs:EPSG::4326",
                                     "urn:ogc:def:crs:EPSG::4490",
                                     "EPSG:4326",
                                     "EPSG:4490",
                                     "CRS84"};
    for (size_t i = 0; name && i < ARRAY_LEN(OK); i++) {
        if (!strcmp(name, OK[i])) {
            return true;
        }
    }
    return false;
}

static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_') {
            return false;
        }
    }
    return n > 0 && n <= ZONING_CODE_MAX;
}

/* One code of an item's industries, either form, appended to b in the compared form. */
static void industry_add(struct buf *b, const char *s, size_t n, bool *ok)
{
    char code[ZONING_INDUSTRY_MAX];
    if (!zoning_industry_norm(s, n, code) || !*code) {
        *ok = false;
        return;
    }
    buf_printf(b, "%s%s", b->len ? "," : "", code);
}

/* industries as an array of codes or a comma list (GB/T 4754, with or without the section
   letter) → a comma list in the compared form ("C26,C2614", zoning_industry_norm; malloc'd). */
static char *industries_of(json_t *v, bool *ok)
{
    struct buf b;
    buf_init(&b, 4096);
    *ok = true;
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach (v, i, x) {
            const char *s = json_string_value(x);
            if (!s) {
                *ok = false;
                continue;
            }
            industry_add(&b, s, strlen(s), ok);
        }
    } else if (json_is_string(v)) {
        const char *p = json_string_value(v);
        while (*p) {
            while (*p == ',' || *p == ' ') {
                p++;
            }
            size_t n = strcspn(p, ", ");
            if (n) {
                industry_add(&b, p, n, ok);
            }
            p += n;
        }
    } else if (v && !json_is_null(v)) {
        *ok = false;
    }
    *ok &= !b.overflow;
    char *s = xstrdup(b.len ? b.p : "");
    buf_release(&b);
    return s;
}

static int item_parse(struct zoning_import *im, size_t feature, const char *code, json_t *j,
                      size_t k, struct zoning_item *it)
{
    char what[600];
    const char *number = json_string_value(json_object_get(j, "number"));
    json_t *num = json_object_get(j, "number");
    char numbuf[24] = "";
    if (json_is_integer(num)) {
        snprintf(numbuf, sizeof numbuf, "%lld", (long long)json_integer_value(num));
        number = numbuf;
    }
    const char *dim = zoning_dimension_norm(json_string_value(json_object_get(j, "dimension")));
    const char *eff = zoning_effect_norm(json_string_value(json_object_get(j, "effect")));
    const char *text = json_string_value(json_object_get(j, "text"));
    const char *msg = !json_is_object(j) ? "清单条目应为对象 / an item must be an object"
                      : !number || !*number || strlen(number) >= sizeof it->number
                          ? "条目缺少编号 number / an item needs its number"
                      : !dim ? "条目的维度 dimension 应为 spatial、emission、risk 或 resource / an "
                               "item's dimension must be spatial, emission, risk or resource"
                      : !eff ? "条目的效力 effect 应为 forbid、condition 或 allow / an item's "
                               "effect must be forbid, condition or allow"
                      : !text || !*text || strlen(text) > TEXT_MAX
                          ? "条目缺少内容 text（至多 4000 字节） / an item needs its text (at most "
                            "4000 bytes)"
                          : NULL;
    if (msg) {
        const char *slash = strstr(msg, " / ");
        snprintf(what, sizeof what, "清单第 %zu 条：%.*s / item %zu: %s", k + 1, (int)(slash - msg),
                 msg, k + 1, slash + 3);
        return bad(im, "file", ERR_INPUT, feature, code, what);
    }
    bool ok;
    it->industries = industries_of(json_object_get(j, "industries"), &ok);
    if (!ok) {
        free(it->industries); /* the item is not counted: its unit will not free it */
        it->industries = NULL;
        snprintf(what, sizeof what,
                 "清单第 %zu 条的行业 industries 应为国民经济行业代码（如 C26 或 26） / item %zu: "
                 "industries must be GB/T 4754 codes (C26 or 26)",
                 k + 1, k + 1);
        return bad(im, "file", ERR_INPUT, feature, code, what);
    }
    str_copy(it->number, sizeof it->number, number);
    str_copy(it->dimension, sizeof it->dimension, dim);
    str_copy(it->effect, sizeof it->effect, eff);
    it->text = xstrdup(text);
    return 0;
}

static int props_parse(struct zoning_import *im, size_t feature, json_t *p, struct zoning_unit *u)
{
    const char *code = json_string_value(json_object_get(p, "code"));
    const char *name = json_string_value(json_object_get(p, "name"));
    const char *kind = zoning_kind_norm(json_string_value(json_object_get(p, "kind")));
    const char *region = json_string_value(json_object_get(p, "region"));
    const char *note = json_string_value(json_object_get(p, "note"));
    json_t *items = json_object_get(p, "items");
    const char *msg =
        !json_is_object(p) ? "缺少属性 properties / the feature has no properties"
        : !code || !code_ok(code)
            ? "单元编码 code 缺失或含非法字符（字母数字，至多 32 位） / code is missing or not "
              "letters and digits (at most 32)"
        : !name || !*name || strlen(name) > 200
            ? "单元名称 name 缺失或过长 / name is missing or longer than 200 bytes"
        : !kind ? "单元类别 kind 应为 priority、key 或 general / kind must be priority, key or "
                  "general"
        : note && strlen(note) > 2000 ? "说明 note 至多 2000 字节 / note is longer than 2000 bytes"
        : region && strlen(region) >= sizeof u->region_code
            ? "区划代码 region 过长 / region is too long"
        : items && (!json_is_array(items) || json_array_size(items) > ITEMS_MAX)
            ? "准入清单 items 应为至多 200 条的数组 / items must be an array of at most 200"
            : NULL;
    if (msg) {
        return bad(im, "file", ERR_INPUT, feature, code, msg);
    }
    str_copy(u->code, sizeof u->code, code);
    str_copy(u->kind, sizeof u->kind, kind);
    str_copy(u->region_code, sizeof u->region_code, region ? region : "");
    u->name = xstrdup(name);
    u->note = xstrdup(note ? note : "");
    u->sensitive = json_is_true(json_object_get(p, "sensitive"));
    size_t n = items ? json_array_size(items) : 0;
    u->items = xcalloc(n ? n : 1, sizeof *u->items);
    for (size_t k = 0; k < n; k++) {
        int rc = item_parse(im, feature, code, json_array_get(items, k), k, &u->items[k]);
        u->n_items = k + (rc == 0);
        if (rc) {
            return rc;
        }
    }
    im->n_items += n;
    return 0;
}

static int feature_parse(struct zoning_import *im, GEOSContextHandle_t h, size_t feature, json_t *f,
                         size_t max_vertices)
{
    if (im->n == im->cap) {
        im->cap = im->cap ? im->cap * 2 : 64;
        im->units = xrealloc(im->units, im->cap * sizeof *im->units);
    }
    struct zoning_unit *u = &im->units[im->n++];
    memset(u, 0, sizeof *u);
    if (!json_is_object(f) || !json_is_string(json_object_get(f, "type")) ||
        strcmp(json_string_value(json_object_get(f, "type")), "Feature")) {
        return bad(im, "file", ERR_INPUT, feature, NULL, "不是 Feature / not a Feature");
    }
    int rc = props_parse(im, feature, json_object_get(f, "properties"), u);
    if (rc) {
        return rc;
    }
    for (size_t i = 0; i + 1 < im->n; i++) {
        if (!strcmp(im->units[i].code, u->code)) {
            return bad(im, "file", ERR_INPUT, feature, u->code,
                       "单元编码重复 / the code appears twice");
        }
    }
    json_t *g = json_object_get(f, "geometry");
    GEOSGeometry *geo = NULL;
    char why[ZONING_ERR_MAX - 100];
    rc = zoning_geom_from_json(h, g, false, max_vertices, &geo, why, sizeof why);
    if (rc) {
        return bad(im, "file", rc, feature, u->code, why);
    }
    double bb[4];
    zoning_geom_bbox(h, geo, bb);
    u->min_lon = bb[0], u->min_lat = bb[1], u->max_lon = bb[2], u->max_lat = bb[3];
    GEOSGeom_destroy_r(h, geo);
    u->geometry = json_dumps(g, JSON_COMPACT | JSON_REAL_PRECISION(15));
    return 0;
}

int zoning_features_parse(json_t *fc, struct zoning_import *im)
{
    const char *type = json_string_value(json_object_get(fc, "type"));
    json_t *features = json_object_get(fc, "features");
    if (!json_is_object(fc) || !type || strcmp(type, "FeatureCollection") ||
        !json_is_array(features)) {
        return bad(im, "file", ERR_INPUT, 0, NULL,
                   "文件应为 GeoJSON FeatureCollection / the file must be a GeoJSON "
                   "FeatureCollection");
    }
    json_t *crs = json_object_get(fc, "crs");
    if (crs && !crs_ok(crs)) {
        const char *name =
            json_string_value(json_object_get(json_object_get(crs, "properties"), "name"));
        char what[600];
        snprintf(what, sizeof what,
                 "坐标系 %s 不是 CGCS2000 或 WGS 84 经纬度（EPSG:4490、4326）：请先转换 / the CRS "
                 "%s is not CGCS2000 / WGS 84 lon/lat (EPSG:4490 / 4326): reproject first",
                 name ? name : "?", name ? name : "?");
        return bad(im, "crs", ERR_INPUT, 0, NULL, what);
    }
    size_t n = json_array_size(features);
    size_t max_units = (size_t)settings_int("zoning_import_max_units");
    if (n == 0 || n > max_units) {
        char what[200];
        snprintf(what, sizeof what, "要素数应为 1 至 %zu 个（实有 %zu） / 1 to %zu features (%zu)",
                 max_units, n, max_units, n);
        return bad(im, "file", n ? ERR_TOOBIG : ERR_INPUT, 0, NULL, what);
    }
    GEOSContextHandle_t h = GEOS_init_r();
    size_t max_vertices = (size_t)settings_int("zoning_unit_max_vertices");
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        rc = feature_parse(im, h, i + 1, json_array_get(features, i), max_vertices);
    }
    GEOS_finish_r(h);
    return rc;
}

int zoning_import_edition(struct zoning_import *im, const char *code, const char *name)
{
    if (code && (strlen(code) >= sizeof im->edition || !code_ok(code))) {
        im->field = "edition";
        snprintf(im->why, sizeof im->why,
                 "版本编号应为字母、数字、- 或 _，至多 %zu 个字符 / the edition code must be "
                 "letters, digits, - or _, at most %zu characters",
                 sizeof im->edition - 1, sizeof im->edition - 1);
        return ERR_INPUT;
    }
    json_t *utf8 = name ? json_string(name) : NULL; /* NULL for text that is not UTF-8 */
    bool name_ok = !name || (utf8 && strlen(name) < sizeof im->name);
    json_decref(utf8);
    if (!name_ok) {
        im->field = "name";
        snprintf(im->why, sizeof im->why,
                 "版本名称应为 UTF-8 文字，至多 %zu 字节 / the edition name must be UTF-8 text "
                 "of at most %zu bytes",
                 sizeof im->name - 1, sizeof im->name - 1);
        return ERR_INPUT;
    }
    if (code) {
        str_copy(im->edition, sizeof im->edition, code);
    }
    if (name) {
        str_copy(im->name, sizeof im->name, name);
    }
    return 0;
}

int zoning_geojson_parse(const char *text, size_t len, struct zoning_import *im)
{
    json_error_t je;
    json_t *fc = json_loadb(text, len, 0, &je);
    if (!fc) {
        char what[600];
        snprintf(what, sizeof what,
                 "不是有效的 JSON（第 %d 行）：%s / not valid JSON (line %d): %s", je.line, je.text,
                 je.line, je.text);
        return bad(im, "file", ERR_INPUT, 0, NULL, what);
    }
    json_t *ed = json_object_get(fc, "edition");
    const char *code = json_string_value(json_object_get(ed, "code"));
    const char *name = json_string_value(json_object_get(ed, "name"));
    int rc = zoning_import_edition(im, im->edition[0] ? NULL : code, im->name[0] ? NULL : name);
    str_copy(im->source, sizeof im->source, "geojson");
    rc = rc ? rc : zoning_features_parse(fc, im);
    json_decref(fc);
    return rc;
}

int zoning_import_store(struct db *db, const struct zoning_import *im, bool enact, int64_t user_id,
                        const char *actor, const char *request_id, const char *ip, const char *now,
                        int64_t *edition_id)
{
    struct zoning_edition_row e;
    int rc = enact ? ERR_NOTFOUND : store_zoning_edition(db, im->edition, &e);
    if (rc == 0 && e.in_force) {
        return ERR_CONFLICT; /* replacing it would put the new units in force at once */
    }
    if (rc && rc != ERR_NOTFOUND) {
        return rc;
    }
    bool replaced;
    rc = store_zoning_edition_begin(db, im->edition, im->name[0] ? im->name : im->edition,
                                    im->source, user_id, now, edition_id, &replaced);
    for (size_t i = 0; !rc && i < im->n; i++) {
        const struct zoning_unit *u = &im->units[i];
        struct zoning_unit_new nu = {*edition_id,    u->code,    u->name,     u->kind,
                                     u->region_code, u->note,    u->geometry, u->sensitive,
                                     u->min_lon,     u->min_lat, u->max_lon,  u->max_lat};
        int64_t unit_id = 0;
        rc = store_zoning_unit_insert(db, &nu, now, &unit_id);
        for (size_t k = 0; !rc && k < u->n_items; k++) {
            const struct zoning_item *it = &u->items[k];
            struct zoning_item_new ni = {unit_id,    (int)k + 1,     it->number, it->dimension,
                                         it->effect, it->industries, it->text};
            rc = store_zoning_item_insert(db, &ni);
        }
    }
    rc = rc ? rc : store_zoning_edition_count(db, *edition_id);
    rc = rc || !enact ? rc : store_zoning_edition_enact(db, *edition_id, now);
    if (!rc) {
        char after[256];
        snprintf(after, sizeof after,
                 "{\"units\":%zu,\"items\":%zu,\"source\":\"%s\",\"in_force\":%s}", im->n,
                 im->n_items, im->source, enact ? "true" : "false");
        struct audit_entry a = {.actor_id = user_id,
                                .actor = actor,
                                .entity = "zoning_edition",
                                .entity_id = *edition_id,
                                .action = replaced ? "replace" : "import",
                                .after_json = after,
                                .request_id = request_id,
                                .ip = ip};
        rc = store_audit_add(db, &a);
    }
    return rc;
}
