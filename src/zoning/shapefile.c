/*
** Shapefile import: a zip holding one layer (NAME.shp, .shx, .dbf and .prj — the .prj is
** required and must be geographic CGCS2000 or WGS 84) and optionally items.csv, the access lists.
** The DBF attributes give each unit (CODE, NAME, KIND, REGION, SENSITIVE, NOTE; any case), their
** text decoded by the optional .cpg (GBK / GB18030 … through iconv) or refused when it is not;
** items.csv has the header unit_code,number,dimension,effect,industries,text (industries a
** space- or semicolon-separated list of prefixes). Read with shapelib from a private temporary
** directory (removed afterwards), the layer becomes a GeoJSON FeatureCollection and goes through
** the same checks as a GeoJSON import (zoning_features_parse): one set of rules, one set of
** messages. Rings: shapelib's outer rings run clockwise, holes counter-clockwise; a hole belongs
** to the outer ring before it.
*/
#include <ctype.h>
#include <dirent.h>
#include <iconv.h>
#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/table.h"
#include "core/util.h"
#include "zoning/internal.h"

#define MEMBER_MAX ((zip_uint64_t)256 << 20)
#define TEXT_MAX 8192 /* a DBF text field is at most 254 bytes; 4 UTF-8 bytes each at worst */

static int say(struct zoning_import *im, const char *field, int rc, const char *msg)
{
    im->field = field;
    snprintf(im->why, sizeof im->why, "%s", msg);
    return rc;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcasecmp(s + n - k, suffix);
}

/* Unpack the members we read into dir as layer.shp … items.csv. */
static int unpack(const void *data, size_t len, const char *dir, struct zoning_import *im,
                  bool *has_items)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!z) {
        if (src) {
            zip_source_free(src);
        }
        zip_error_fini(&ze);
        return say(im, "file", ERR_INPUT, "不是有效的 zip 压缩包 / not a valid zip file");
    }
    static const char *const EXT[] = {".shp", ".shx", ".dbf", ".prj", "items.csv", ".cpg"};
    static const char *const LOCAL[] = {"layer.shp", "layer.shx", "layer.dbf",
                                        "layer.prj", "items.csv", "layer.cpg"};
    int found[6] = {0}, rc = 0;
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; !rc && i < n; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        zip_stat_t zs;
        int k = -1;
        for (int e = 0; name && e < 6; e++) {
            k = k < 0 && ends_with(name, EXT[e]) && !strstr(name, "__MACOSX") ? e : k;
        }
        if (k < 0 || zip_stat_index(z, (zip_uint64_t)i, 0, &zs)) {
            continue;
        }
        if (found[k]++) {
            rc = say(im, "file", ERR_INPUT,
                     "压缩包中只能有一个图层（一组 .shp/.shx/.dbf/.prj） / the zip must hold one "
                     "layer (one .shp/.shx/.dbf/.prj)");
            break;
        }
        if (zs.size > MEMBER_MAX) {
            rc = say(im, "file", ERR_TOOBIG, "压缩包内文件过大 / a file in the zip is too big");
            break;
        }
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, LOCAL[k]);
        zip_file_t *zf = zip_fopen_index(z, (zip_uint64_t)i, 0);
        FILE *out = zf ? fopen(path, "wb") : NULL;
        char buf[65536];
        zip_int64_t got;
        zip_uint64_t total = 0;
        while (out && (got = zip_fread(zf, buf, sizeof buf)) > 0 && total <= MEMBER_MAX) {
            total += (zip_uint64_t)got;
            fwrite(buf, 1, (size_t)got, out);
        }
        if (!out || total != zs.size) {
            rc = say(im, "file", ERR_INPUT, "无法解压压缩包 / the zip cannot be unpacked");
        }
        if (out) {
            fclose(out);
        }
        if (zf) {
            zip_fclose(zf);
        }
    }
    zip_close(z);
    zip_error_fini(&ze);
    if (!rc && (!found[0] || !found[1] || !found[2])) {
        rc = say(im, "file", ERR_INPUT,
                 "压缩包须包含 .shp、.shx 和 .dbf 文件 / the zip must hold the .shp, .shx and .dbf "
                 "files");
    }
    if (!rc && !found[3]) {
        rc = say(im, "crs", ERR_INPUT,
                 "缺少 .prj 坐标系文件：须为 CGCS2000 或 WGS 84 经纬度 / the .prj file is missing: "
                 "the layer must be in CGCS2000 or WGS 84 lon/lat");
    }
    *has_items = found[4] > 0;
    return rc;
}

static char *slurp(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    char *p = xmalloc(max + 1);
    *len = fread(p, 1, max, f);
    p[*len] = 0;
    fclose(f);
    return p;
}

/* The .prj's WKT must be a geographic CRS on CGCS2000 or WGS 84 (no PROJCS). */
static int prj_check(const char *dir, struct zoning_import *im)
{
    char path[512];
    snprintf(path, sizeof path, "%s/layer.prj", dir);
    size_t n = 0;
    char *w = slurp(path, 65536, &n);
    for (size_t i = 0; w && i < n; i++) {
        w[i] = (char)toupper((unsigned char)w[i]);
    }
    bool geo = w && !strncmp(w, "GEOGCS", 6) && !strstr(w, "PROJCS");
    bool datum = w && (strstr(w, "CGCS2000") || strstr(w, "CGCS_2000") || strstr(w, "CHINA_2000") ||
                       strstr(w, "WGS_1984") || strstr(w, "WGS 84") || strstr(w, "WGS84"));
    int rc = 0;
    if (!geo || !datum) {
        char what[ZONING_ERR_MAX];
        snprintf(what, sizeof what,
                 ".prj 坐标系 %.80s… 不是 CGCS2000 或 WGS 84 经纬度（投影坐标须先转换） / the .prj "
                 "CRS %.80s… is not CGCS2000 / WGS 84 lon/lat (reproject projected data first)",
                 w ? w : "?", w ? w : "?");
        rc = say(im, "crs", ERR_INPUT, what);
    }
    free(w);
    return rc;
}

/* The DBF's text encoding: the .cpg's name ("UTF-8", "GBK", "936", "ANSI 936" …), else the
   DBF header's language driver (LDID 77 is GBK, 80 Big5), else UTF-8. */
struct text_enc {
    char name[64]; /* as the file names it, for messages */
    iconv_t cd;    /* (iconv_t)-1 for UTF-8 */
};

static bool names(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcasecmp(s, list[i])) {
            return true;
        }
    }
    return false;
}

static int enc_open(const char *dir, DBFHandle dbf, struct text_enc *enc, struct zoning_import *im)
{
    char path[512], raw[64] = "";
    snprintf(path, sizeof path, "%s/layer.cpg", dir);
    size_t n = 0;
    char *cpg = slurp(path, sizeof raw - 1, &n);
    if (cpg) {
        size_t a = 0;
        while (a < n && isspace((unsigned char)cpg[a])) {
            a++;
        }
        while (n > a && isspace((unsigned char)cpg[n - 1])) {
            n--;
        }
        snprintf(raw, sizeof raw, "%.*s", (int)(n - a), cpg + a);
        free(cpg);
    } else if (DBFGetCodePage(dbf) && !strncmp(DBFGetCodePage(dbf), "LDID/", 5)) {
        long ldid = strtol(DBFGetCodePage(dbf) + 5, NULL, 10);
        snprintf(raw, sizeof raw, "%s", ldid == 77 ? "GBK" : ldid == 80 ? "BIG5" : "");
    }
    const char *name = raw;
    if (!strncasecmp(name, "ANSI ", 5) || !strncasecmp(name, "CP", 2)) {
        name += !strncasecmp(name, "ANSI ", 5) ? 5 : 2;
    }
    static const char *const UTF8[] = {"", "UTF-8", "UTF8", "65001"};
    static const char *const GB[] = {"GBK", "GB2312", "GB18030", "936", "EUC-CN"};
    snprintf(enc->name, sizeof enc->name, "%s", raw[0] ? raw : "UTF-8");
    enc->cd = (iconv_t)-1;
    if (names(name, UTF8, ARRAY_LEN(UTF8))) {
        return 0;
    }
    enc->cd = iconv_open("UTF-8", names(name, GB, ARRAY_LEN(GB)) ? "GB18030"
                                  : !strcasecmp(name, "950")     ? "BIG5"
                                  : !strcasecmp(name, "1252")    ? "WINDOWS-1252"
                                  : !strcasecmp(name, "437")     ? "CP437"
                                                                 : name);
    if (enc->cd == (iconv_t)-1) {
        char what[ZONING_ERR_MAX];
        snprintf(what, sizeof what,
                 ".cpg 所写的编码 %.60s 无法识别（可用 UTF-8 或 GBK） / the .cpg names an "
                 "encoding that cannot be read: %.60s (use UTF-8 or GBK)",
                 raw, raw);
        return say(im, "file", ERR_INPUT, what);
    }
    return 0;
}

static void enc_close(struct text_enc *enc)
{
    if (enc->cd != (iconv_t)-1) {
        iconv_close(enc->cd);
    }
}

/* Attribute name of record row as UTF-8 in out (NULL when absent or NULL); *bad when its bytes
   are not text in the layer's encoding. */
static const char *attr(DBFHandle d, int row, const char *name, struct text_enc *enc, char *out,
                        size_t cap, bool *bad)
{
    int k = DBFGetFieldIndex(d, name); /* case-insensitive in shapelib */
    const char *v =
        k < 0 || DBFIsAttributeNULL(d, row, k) ? NULL : DBFReadStringAttribute(d, row, k);
    if (!v) {
        return NULL;
    }
    if (enc->cd == (iconv_t)-1) {
        json_t *j = json_string(v); /* NULL when v is not UTF-8 */
        *bad |= !j;
        json_decref(j);
        snprintf(out, cap, "%s", j ? v : "");
        return out;
    }
    iconv(enc->cd, NULL, NULL, NULL, NULL);
    char *in = (char *)v, *o = out;
    size_t in_left = strlen(v), out_left = cap - 1;
    if (iconv(enc->cd, &in, &in_left, &o, &out_left) == (size_t)-1) {
        *bad = true;
        o = out;
    }
    *o = 0;
    return out;
}

static double ring_area2(const SHPObject *o, int from, int to)
{
    double a = 0;
    for (int i = from; i + 1 < to; i++) {
        a += o->padfX[i] * o->padfY[i + 1] - o->padfX[i + 1] * o->padfY[i];
    }
    return a; /* > 0 counter-clockwise */
}

static json_t *geometry_of(const SHPObject *o)
{
    json_t *polys = json_array(), *cur = NULL;
    for (int p = 0; p < o->nParts; p++) {
        int from = o->panPartStart[p],
            to = p + 1 < o->nParts ? o->panPartStart[p + 1] : o->nVertices;
        json_t *ring = json_array();
        for (int i = from; i < to; i++) {
            json_t *pos = json_array();
            json_array_append_new(pos, json_real(o->padfX[i]));
            json_array_append_new(pos, json_real(o->padfY[i]));
            json_array_append_new(ring, pos);
        }
        if (!cur || ring_area2(o, from, to) <= 0) {
            cur = json_array(); /* clockwise: an outer ring */
            json_array_append_new(polys, cur);
        }
        json_array_append_new(cur, ring);
    }
    json_t *g = json_object();
    if (json_array_size(polys) == 1) {
        json_object_set_new(g, "type", json_string("Polygon"));
        json_object_set(g, "coordinates", json_array_get(polys, 0));
        json_decref(polys);
    } else {
        json_object_set_new(g, "type", json_string("MultiPolygon"));
        json_object_set_new(g, "coordinates", polys);
    }
    return g;
}

static int read_items(const char *dir, json_t *features, struct zoning_import *im)
{
    char path[512];
    snprintf(path, sizeof path, "%s/items.csv", dir);
    size_t n = 0;
    char *text = slurp(path, 32u << 20, &n);
    if (!text) {
        return say(im, "file", ERR_IO, "无法读取 items.csv / items.csv cannot be read");
    }
    struct arena a;
    arena_init(&a, 1 << 16);
    struct table t;
    char err[256];
    int rc = csv_parse(text, n, &a, 1000000, 8, &t, err, sizeof err);
    free(text);
    if (rc || t.n_rows < 1 || t.n_cols < 6 || strcmp(t.cells[0][0], "unit_code")) {
        arena_free(&a);
        return say(
            im, "file", ERR_INPUT,
            "items.csv 表头应为 unit_code,number,dimension,effect,industries,text / items.csv "
            "needs the header unit_code,number,dimension,effect,industries,text");
    }
    for (size_t r = 1; !rc && r < t.n_rows; r++) {
        char **c = t.cells[r];
        json_t *props = NULL;
        size_t i;
        json_t *f;
        json_array_foreach (features, i, f) {
            json_t *p = json_object_get(f, "properties");
            const char *code = json_string_value(json_object_get(p, "code"));
            if (code && !strcmp(code, c[0])) { /* a record without CODE fails its own check */
                props = p;
            }
        }
        if (!props) {
            char what[300];
            snprintf(
                what, sizeof what,
                "items.csv 第 %zu 行的单元 %.40s 不在图层中 / items.csv line %zu: unit %.40s is "
                "not in the layer",
                r + 1, c[0], r + 1, c[0]);
            rc = say(im, "file", ERR_INPUT, what);
            break;
        }
        for (char *q = c[4]; *q; q++) {
            *q = *q == ';' || *q == ' ' ? ',' : *q;
        }
        json_t *it = json_pack("{s:s,s:s,s:s,s:s,s:s}", "number", c[1], "dimension", c[2], "effect",
                               c[3], "industries", c[4], "text", c[5]);
        json_array_append_new(json_object_get(props, "items"), it);
    }
    arena_free(&a);
    return rc;
}

static json_t *read_layer(const char *dir, struct zoning_import *im, int *rc)
{
    char path[512];
    snprintf(path, sizeof path, "%s/layer", dir);
    SHPHandle shp = SHPOpen(path, "rb");
    DBFHandle dbf = shp ? DBFOpen(path, "rb") : NULL;
    if (!shp || !dbf) {
        *rc = say(im, "file", ERR_INPUT, "无法读取 Shapefile / the Shapefile cannot be read");
        if (shp) {
            SHPClose(shp);
        }
        return NULL;
    }
    int n = 0, type = 0;
    SHPGetInfo(shp, &n, &type, NULL, NULL);
    json_t *features = json_array();
    if (type != SHPT_POLYGON && type != SHPT_POLYGONZ && type != SHPT_POLYGONM) {
        *rc = say(im, "file", ERR_INPUT, "图层应为面（Polygon） / the layer must be of polygons");
    }
    struct text_enc enc = {.cd = (iconv_t)-1};
    if (!*rc) {
        *rc = enc_open(dir, dbf, &enc, im);
    }
    char *text = xmalloc(TEXT_MAX);
    for (int i = 0; !*rc && i < n; i++) {
        SHPObject *o = SHPReadObject(shp, i);
        json_t *props = json_object();
        static const char *const KEYS[] = {"code", "name", "kind", "region", "note"};
        for (size_t k = 0; !*rc && k < ARRAY_LEN(KEYS); k++) {
            bool bad = false;
            const char *v = attr(dbf, i, KEYS[k], &enc, text, TEXT_MAX, &bad);
            if (bad) {
                char what[ZONING_ERR_MAX];
                snprintf(what, sizeof what,
                         "第 %d 条记录的 %s 不是 %s 编码的文字：请附 .cpg 文件写明 DBF 的编码（如 "
                         "GBK） / record %d: %s is not text in %s: add a .cpg file naming the "
                         "DBF's encoding (e.g. GBK)",
                         i + 1, KEYS[k], enc.name, i + 1, KEYS[k], enc.name);
                *rc = say(im, "file", ERR_INPUT, what);
            } else if (v) {
                json_object_set_new(props, KEYS[k], json_string(v));
            }
        }
        bool bad = false;
        const char *s = attr(dbf, i, "sensitive", &enc, text, TEXT_MAX, &bad);
        json_object_set_new(
            props, "sensitive",
            json_boolean(s && (*s == '1' || *s == 'T' || *s == 't' || *s == 'Y' || *s == 'y')));
        json_object_set_new(props, "items", json_array());
        json_t *f = json_pack("{s:s,s:o,s:o}", "type", "Feature", "properties", props, "geometry",
                              o && o->nVertices ? geometry_of(o) : json_null());
        json_array_append_new(features, f);
        SHPDestroyObject(o);
    }
    free(text);
    enc_close(&enc);
    SHPClose(shp);
    DBFClose(dbf);
    return features;
}

static void remove_dir(const char *dir)
{
    static const char *const LOCAL[] = {"layer.shp", "layer.shx", "layer.dbf",
                                        "layer.prj", "items.csv", "layer.cpg"};
    char path[512];
    for (size_t i = 0; i < ARRAY_LEN(LOCAL); i++) {
        snprintf(path, sizeof path, "%s/%s", dir, LOCAL[i]);
        unlink(path);
    }
    rmdir(dir);
}

int zoning_shapefile_parse(const void *zip, size_t len, struct zoning_import *im)
{
    char dir[] = "/tmp/envgov-shp-XXXXXX";
    if (!mkdtemp(dir)) {
        return say(im, "file", ERR_IO, "无法创建临时目录 / no temporary directory");
    }
    bool has_items = false;
    int rc = unpack(zip, len, dir, im, &has_items);
    rc = rc ? rc : prj_check(dir, im);
    json_t *features = rc ? NULL : read_layer(dir, im, &rc);
    rc = rc || !has_items ? rc : read_items(dir, features, im);
    remove_dir(dir);
    if (rc) {
        json_decref(features);
        return rc;
    }
    str_copy(im->source, sizeof im->source, "shapefile");
    json_t *fc = json_pack("{s:s,s:o}", "type", "FeatureCollection", "features", features);
    rc = zoning_features_parse(fc, im);
    json_decref(fc);
    return rc;
}
