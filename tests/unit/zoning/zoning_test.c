/*
** The zoning rules without a database: a small edition parsed from GeoJSON (as an import reads
** it) and indexed as the site check holds it, then sites inside, outside, on the border two
** units share, and across two units; industry prefixes; the verdict's strength; GeoJSON import
** errors (bad JSON, a self-intersecting bowtie, a CRS that is not lon/lat, projected
** coordinates, duplicate codes) each naming the feature and importing nothing; and Shapefile
** zips written here with shapelib and libzip (a good layer with items.csv, a bowtie, a projected
** .prj, a missing .prj).
*/
#include <jansson.h>
#include <setjmp.h>
#include <shapefil.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/settings.h"
#include "http/http.h"
#include "zoning/internal.h"

/* Two key units side by side sharing the line lon = 120.1, and a priority unit north of A. */
static const char *EDITION =
    "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
    "\"EPSG:4490\"}},\"edition\":{\"code\":\"T1\",\"name\":\"test\"},\"features\":["
    "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[120.0,30.0],"
    "[120.1,30.0],[120.1,30.1],[120.0,30.1],[120.0,30.0]]]},\"properties\":{\"code\":\"ZHA\","
    "\"name\":\"A 园区\",\"kind\":\"key\",\"region\":\"330502\",\"items\":["
    "{\"number\":\"1.1\",\"dimension\":\"spatial\",\"effect\":\"forbid\",\"industries\":[\"C26\"],"
    "\"text\":\"禁止化工\"},{\"number\":\"2.1\",\"dimension\":\"emission\",\"effect\":"
    "\"condition\","
    "\"industries\":\"\",\"text\":\"总量替代\"}]}},"
    "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[120.1,30.0],"
    "[120.2,30.0],[120.2,30.1],[120.1,30.1],[120.1,30.0]]]},\"properties\":{\"code\":\"ZHB\","
    "\"name\":\"B 园区\",\"kind\":\"重点管控\",\"region\":\"330503\",\"items\":["
    "{\"number\":\"1.1\",\"dimension\":\"空间布局约束\",\"effect\":\"allow\",\"industries\":["
    "\"C39\"],"
    "\"text\":\"鼓励电子\"}]}},"
    "{\"type\":\"Feature\",\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[120.0,30.1],"
    "[120.1,30.1],[120.1,30.2],[120.0,30.2],[120.0,30.1]]]]},\"properties\":{\"code\":\"ZHP\","
    "\"name\":\"水源保护区\",\"kind\":\"priority\",\"region\":\"330502\",\"sensitive\":true,"
    "\"items\":[{\"number\":1,\"dimension\":\"risk\",\"effect\":\"forbid\",\"text\":\"禁止排污\"}]}"
    "}]}";

static struct zoning_index *IX;

static const struct setting_def SETTINGS[] = {
    {"zoning_import_max_units", "100", true, ""},
    {"zoning_unit_max_vertices", "1000", true, ""},
};

static int setup(void **state)
{
    (void)state;
    settings_register(SETTINGS, 2);
    settings_init();
    struct zoning_import im = {0};
    assert_int_equal(zoning_geojson_parse(EDITION, strlen(EDITION), &im), 0);
    assert_int_equal(im.n, 3);
    assert_int_equal(im.n_items, 4);
    assert_string_equal(im.edition, "T1");
    assert_string_equal(im.units[1].kind, "key");
    assert_string_equal(im.units[1].items[0].dimension, "spatial");
    assert_string_equal(im.units[2].items[0].number, "1");
    char why[ZONING_ERR_MAX];
    IX = zoning_index_build(im.units, im.n, "T1", why, sizeof why);
    assert_non_null(IX);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    zoning_index_free(IX);
    return 0;
}

struct result {
    struct zoning_answer ans;
    json_t *j;
    int rc;
};

static struct result check(const char *geometry, const char *industry)
{
    struct result r = {0};
    struct buf out;
    buf_init(&out, 1 << 20);
    const char *field = NULL;
    char why[ZONING_ERR_MAX];
    r.rc = zoning_index_check(IX, geometry, industry, 100, &r.ans, &out, &field, why, sizeof why);
    if (!r.rc) {
        r.j = json_loadb(out.p, out.len, 0, NULL);
        assert_non_null(r.j);
    }
    buf_release(&out);
    return r;
}

static const char *unit_rel(json_t *j, size_t i, const char **code)
{
    json_t *u = json_array_get(json_object_get(j, "units"), i);
    *code = json_string_value(json_object_get(u, "code"));
    return json_string_value(json_object_get(u, "relation"));
}

static void test_inside(void **state)
{
    (void)state;
    struct result r = check("{\"type\":\"Point\",\"coordinates\":[120.05,30.05]}", "C2614");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.ans.n_units, 1);
    const char *code;
    assert_string_equal(unit_rel(r.j, 0, &code), "inside");
    assert_string_equal(code, "ZHA");
    assert_int_equal(r.ans.verdict, ZV_FORBIDDEN);
    assert_false(r.ans.sensitive);
    json_t *reasons = json_object_get(r.j, "reasons");
    assert_int_equal(json_array_size(reasons), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(reasons, 0), "item")),
                        "1.1");
    assert_string_equal(json_string_value(json_object_get(r.j, "verdict")), "forbidden");
    json_decref(r.j);
}

static void test_outside(void **state)
{
    (void)state;
    struct result r = check("{\"type\":\"Point\",\"coordinates\":[121.0,31.0]}", "C2614");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.ans.n_units, 0);
    assert_int_equal(r.ans.verdict, ZV_NO_UNIT);
    assert_string_equal(json_string_value(json_object_get(r.j, "verdict")), "no_unit");
    assert_int_equal(json_array_size(json_object_get(r.j, "reasons")), 0);
    json_decref(r.j);
    /* inside A's box corner region but outside every polygon's box: still nothing */
    r = check("{\"type\":\"Point\",\"coordinates\":[119.99,30.05]}", NULL);
    assert_int_equal(r.ans.n_units, 0);
    json_decref(r.j);
}

static void test_shared_border(void **state)
{
    (void)state;
    struct result r = check("{\"type\":\"Point\",\"coordinates\":[120.1,30.05]}", "C3911");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.ans.n_units, 2);
    const char *code;
    assert_string_equal(unit_rel(r.j, 0, &code), "border");
    assert_string_equal(code, "ZHA");
    assert_string_equal(unit_rel(r.j, 1, &code), "border");
    assert_string_equal(code, "ZHB");
    /* A's condition applies to every industry; B allows C39; A's C26 ban does not apply */
    assert_int_equal(r.ans.verdict, ZV_CONDITIONAL);
    assert_int_equal(json_array_size(json_object_get(r.j, "reasons")), 2);
    json_decref(r.j);
    /* the corner three units share */
    r = check("{\"type\":\"Point\",\"coordinates\":[120.1,30.1]}", "C3911");
    assert_int_equal(r.ans.n_units, 3);
    assert_true(r.ans.sensitive);
    assert_int_equal(r.ans.verdict, ZV_FORBIDDEN); /* the priority unit forbids every industry */
    json_decref(r.j);
}

static void test_across_two_units(void **state)
{
    (void)state;
    struct result r = check("{\"type\":\"Polygon\",\"coordinates\":[[[120.08,30.02],[120.12,30.02],"
                            "[120.12,30.04],[120.08,30.04],[120.08,30.02]]]}",
                            "C3911");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.ans.n_units, 2);
    const char *code;
    assert_string_equal(unit_rel(r.j, 0, &code), "overlaps");
    assert_string_equal(unit_rel(r.j, 1, &code), "overlaps");
    json_decref(r.j);
    /* a polygon wholly inside B */
    r = check(
        "{\"type\":\"Polygon\",\"coordinates\":[[[120.12,30.02],[120.14,30.02],[120.14,30.04],"
        "[120.12,30.04],[120.12,30.02]]]}",
        "C3911");
    assert_int_equal(r.ans.n_units, 1);
    assert_string_equal(unit_rel(r.j, 0, &code), "inside");
    assert_string_equal(code, "ZHB");
    assert_int_equal(r.ans.verdict, ZV_ALLOWED);
    json_decref(r.j);
}

static void test_bad_sites(void **state)
{
    (void)state;
    struct result r =
        check("{\"type\":\"Polygon\",\"coordinates\":[[[120,30],[120.1,30.1],[120.1,30],"
              "[120,30.1],[120,30]]]}",
              "");
    assert_int_equal(r.rc, ERR_INPUT); /* bowtie */
    r = check("{\"type\":\"Point\",\"coordinates\":[500000,3300000]}", "");
    assert_int_equal(r.rc, ERR_INPUT);
    r = check("{\"type\":\"LineString\",\"coordinates\":[[120,30],[121,31]]}", "");
    assert_int_equal(r.rc, ERR_INPUT);
    r = check("not json", "");
    assert_int_equal(r.rc, ERR_INPUT);
    /* 101 vertices over the cap of 100 */
    char g[8192] = "{\"type\":\"Polygon\",\"coordinates\":[[";
    for (int i = 0; i < 100; i++) {
        snprintf(g + strlen(g), sizeof g - strlen(g), "[%f,%f],", 120.0 + 0.001 * i,
                 30.0 + (i % 2 ? 0.001 : 0));
    }
    strcat(g, "[120.0,30.0]]]}");
    r = check(g, "");
    assert_int_equal(r.rc, ERR_TOOBIG);
}

static void test_industry_prefixes(void **state)
{
    (void)state;
    assert_true(zoning_industry_matches("C26,C27", "C2614"));
    assert_true(zoning_industry_matches("C26, C27", "C2710"));
    assert_false(zoning_industry_matches("C26,C27", "C2814"));
    assert_false(zoning_industry_matches("C2614", "C26")); /* a longer prefix than the code */
    assert_true(zoning_industry_matches("c26", "C2614"));
    assert_true(zoning_industry_matches("", "C2614")); /* every industry */
    assert_true(zoning_industry_matches("C26", ""));   /* no industry: every item applies */
    assert_true(zoning_industry_matches("C", "C3911"));
    assert_false(zoning_industry_matches("C", "A0311"));
    assert_true(zoning_industry_valid("C2614"));
    assert_true(zoning_industry_valid(""));
    assert_true(zoning_industry_valid("C"));
    assert_true(zoning_industry_valid("2614")); /* the registry's form */
    assert_false(zoning_industry_valid("C26145"));
    assert_false(zoning_industry_valid("C26;"));
}

/* zoning_consult_visible: the routes' rule, for the approval module. */
static void test_consult_visible(void **state)
{
    (void)state;
    static const char *const COUNTY[] = {"330522"};
    struct principal ent = {.role = ROLE_ENTERPRISE,
                            .enterprise_id = 7,
                            .scope = {.kind = SCOPE_ENTERPRISE, .enterprise_id = 7}};
    struct principal county = {
        .role = ROLE_SERVICE,
        .scope = {.kind = SCOPE_REGIONS, .prefixes = COUNTY, .n_prefixes = 1}};
    struct principal bureau = {.role = ROLE_ADMIN, .scope = {.kind = SCOPE_ALL}};
    struct zoning_consult own = {.enterprise_id = 7, .region_code = "330522"};
    struct zoning_consult other = {.enterprise_id = 8, .region_code = "330502"};
    struct zoning_consult investor = {.enterprise_id = 0, .region_code = "330522"};
    assert_true(zoning_consult_visible(&own, &ent));
    assert_false(zoning_consult_visible(&other, &ent));
    assert_false(zoning_consult_visible(&investor, &ent)); /* no enterprise: staff only */
    assert_true(zoning_consult_visible(&own, &county));
    assert_false(zoning_consult_visible(&other, &county)); /* another county */
    assert_true(zoning_consult_visible(&investor, &county));
    assert_true(zoning_consult_visible(&other, &bureau));
    assert_true(zoning_consult_visible(&investor, &bureau));
    assert_false(zoning_consult_visible(&own, NULL));
}

/* An answer over the caller's buffer is ERR_TOOBIG, never truncated JSON that gets stored. */
static void test_answer_overflow(void **state)
{
    (void)state;
    struct zoning_answer ans;
    const char *field = NULL;
    char why[ZONING_ERR_MAX];
    struct buf out;
    buf_init(&out, 64);
    int rc = zoning_index_check(IX, "{\"type\":\"Point\",\"coordinates\":[120.05,30.05]}", "C2614",
                                100, &ans, &out, &field, why, sizeof why);
    assert_int_equal(rc, ERR_TOOBIG);
    assert_string_equal(field, "geometry");
    buf_release(&out);
}

/* The registry's codes (industries.csv: "2614", "26", "C") and the lettered ones compare. */
static void test_industry_forms(void **state)
{
    (void)state;
    char c[ZONING_INDUSTRY_MAX];
    assert_true(zoning_industry_norm("2614", 4, c));
    assert_string_equal(c, "C2614");
    assert_true(zoning_industry_norm(" c26 ", 5, c));
    assert_string_equal(c, "C26");
    assert_true(zoning_industry_norm("261", 3, c));
    assert_string_equal(c, "C261");
    assert_true(zoning_industry_norm("0311", 4, c));
    assert_string_equal(c, "A0311");
    assert_true(zoning_industry_norm("4411", 4, c));
    assert_string_equal(c, "D4411");
    assert_true(zoning_industry_norm("T", 1, c));
    assert_string_equal(c, "T");
    assert_true(zoning_industry_norm("", 0, c));
    assert_string_equal(c, "");
    assert_false(zoning_industry_norm("A2614", 5, c)); /* 26 is manufacturing, not A */
    assert_false(zoning_industry_norm("99", 2, c));    /* no division 99 */
    assert_false(zoning_industry_norm("U", 1, c));     /* no section U */
    assert_false(zoning_industry_norm("2", 1, c));
    assert_false(zoning_industry_norm("26145", 5, c));
    /* a list item "C26" holds the registry's "2614"; "26" holds "C2614"; "C" every C code */
    assert_true(zoning_industry_matches("C26", "2614"));
    assert_true(zoning_industry_matches("26,27", "C2614"));
    assert_true(zoning_industry_matches("C", "3911"));
    assert_false(zoning_industry_matches("C", "0311"));
    assert_false(zoning_industry_matches("C26", "2710"));
    assert_false(zoning_industry_matches("C26", "99")); /* an unknown code matches nothing */
    /* the check takes the registry's form and answers in the compared one */
    struct result r = check("{\"type\":\"Point\",\"coordinates\":[120.05,30.05]}", "2614");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.ans.verdict, ZV_FORBIDDEN);
    assert_string_equal(json_string_value(json_object_get(r.j, "industry")), "C2614");
    json_decref(r.j);
    r = check("{\"type\":\"Point\",\"coordinates\":[120.05,30.05]}", "9999");
    assert_int_equal(r.rc, ERR_INPUT);
    /* an import's item industries in either form are stored in the compared form */
    struct zoning_import im = {0};
    char *text = strdup(EDITION);
    char *at = strstr(text, "[\"C26\"]");
    memcpy(at, "[\"26\" ]", 7);
    assert_int_equal(zoning_geojson_parse(text, strlen(text), &im), 0);
    assert_string_equal(im.units[0].items[0].industries, "C26");
    zoning_import_free(&im);
    free(text);
}

static void test_verdict_strength(void **state)
{
    (void)state;
    assert_int_equal(zoning_verdict_of(false, true, true), ZV_NO_UNIT);
    assert_int_equal(zoning_verdict_of(true, true, true), ZV_FORBIDDEN);
    assert_int_equal(zoning_verdict_of(true, false, true), ZV_CONDITIONAL);
    assert_int_equal(zoning_verdict_of(true, false, false), ZV_ALLOWED);
    assert_string_equal(zoning_verdict_name(ZV_CONDITIONAL), "conditional");
    /* inside A: C26 forbidden beats the condition for all; C39 only conditioned */
    struct result r = check("{\"type\":\"Point\",\"coordinates\":[120.05,30.05]}", "C3911");
    assert_int_equal(r.ans.verdict, ZV_CONDITIONAL);
    json_decref(r.j);
    r = check("{\"type\":\"Point\",\"coordinates\":[120.15,30.05]}", "C2614");
    assert_int_equal(r.ans.verdict, ZV_ALLOWED); /* B's only item is for C39 */
    assert_int_equal(json_array_size(json_object_get(r.j, "reasons")), 0);
    json_decref(r.j);
}

/* Replace the first occurrence of from in EDITION by to, parse, expect rc and a message. */
static void parse_fails(const char *from, const char *to, int rc, const char *field,
                        const char *needle)
{
    const char *at = strstr(EDITION, from);
    assert_non_null(at);
    char *text = malloc(strlen(EDITION) + strlen(to) + 1);
    memcpy(text, EDITION, (size_t)(at - EDITION));
    strcpy(text + (at - EDITION), to);
    strcat(text, at + strlen(from));
    struct zoning_import im = {0};
    assert_int_equal(zoning_geojson_parse(text, strlen(text), &im), rc);
    assert_string_equal(im.field, field);
    if (!strstr(im.why, needle)) {
        fail_msg("'%s' not in '%s'", needle, im.why);
    }
    zoning_import_free(&im);
    free(text);
}

static void test_geojson_errors(void **state)
{
    (void)state;
    parse_fails("{\"type\":\"FeatureCollection\"", "{\"type\":", ERR_INPUT, "file",
                "not valid JSON");
    /* B as a bowtie */
    parse_fails("[[[120.1,30.0],[120.2,30.0],[120.2,30.1],[120.1,30.1],[120.1,30.0]]]",
                "[[[120.1,30.0],[120.2,30.1],[120.2,30.0],[120.1,30.1],[120.1,30.0]]]", ERR_INPUT,
                "file", "feature 2 (ZHB): invalid geometry: Self-intersection");
    parse_fails("EPSG:4490", "EPSG:4549", ERR_INPUT, "crs", "EPSG:4549");
    parse_fails("[120.2,30.0]", "[40500000.0,3320000.0]", ERR_INPUT, "file",
                "feature 2 (ZHB): position [4.05e+07, 3.32e+06] is outside the lon/lat range");
    parse_fails("\"ZHB\"", "\"ZHA\"", ERR_INPUT, "file", "feature 2 (ZHA): the code appears twice");
    parse_fails("\"kind\":\"priority\"", "\"kind\":\"red\"", ERR_INPUT, "file",
                "feature 3 (ZHP): kind must be");
    parse_fails("\"effect\":\"allow\"", "\"effect\":\"maybe\"", ERR_INPUT, "file",
                "feature 2 (ZHB): item 1: an item's effect");
    parse_fails("[120.0,30.1],[120.0,30.0]]]}", "[120.0,30.1]]]}", ERR_INPUT, "file", "not closed");
    char longnote[2100] = "\"name\":\"A 园区\",\"note\":\"";
    memset(longnote + strlen(longnote), 'x', 2001);
    strcpy(longnote + strlen(longnote), "\"");
    parse_fails("\"name\":\"A 园区\"", longnote, ERR_INPUT, "file",
                "feature 1 (ZHA): note is longer than 2000 bytes");
    /* regression (zoning_fuzz): a refused industries list leaked its copy */
    parse_fails("\"industries\":[\"C39\"]", "\"industries\":[\"C39!\"]", ERR_INPUT, "file",
                "feature 2 (ZHB): item 1: industries must be GB/T 4754 codes");
}

/* ---- Shapefiles ---- */

struct zipped {
    zip_source_t *src;
    zip_t *z;
    void *data;
    size_t len;
};

/* The units' NAME bytes as written to the DBF (NULL: "单元" in UTF-8) and the .cpg beside the
   layer (NULL: none), for the encoding tests. */
static const char *DBF_NAME, *CPG;

static void shp_write(const char *dir, const double (*rings)[10], int n, const char *const *codes)
{
    char path[256];
    snprintf(path, sizeof path, "%s/units", dir);
    SHPHandle s = SHPCreate(path, SHPT_POLYGON);
    DBFHandle d = DBFCreate(path);
    DBFAddField(d, "CODE", FTString, 32, 0);
    DBFAddField(d, "NAME", FTString, 80, 0);
    DBFAddField(d, "KIND", FTString, 16, 0);
    DBFAddField(d, "REGION", FTString, 12, 0);
    DBFAddField(d, "SENSITIVE", FTInteger, 1, 0);
    for (int i = 0; i < n; i++) {
        double x[5], y[5];
        for (int k = 0; k < 5; k++) {
            x[k] = rings[i][2 * k];
            y[k] = rings[i][2 * k + 1];
        }
        SHPObject *o = SHPCreateSimpleObject(SHPT_POLYGON, 5, x, y, NULL);
        SHPWriteObject(s, -1, o);
        SHPDestroyObject(o);
        DBFWriteStringAttribute(d, i, 0, codes[i]);
        DBFWriteStringAttribute(d, i, 1, DBF_NAME ? DBF_NAME : "单元");
        DBFWriteStringAttribute(d, i, 2, i ? "general" : "key");
        DBFWriteStringAttribute(d, i, 3, "330522");
        DBFWriteIntegerAttribute(d, i, 4, i);
    }
    SHPClose(s);
    DBFClose(d);
}

static void zip_add_file(zip_t *z, const char *dir, const char *file, const char *as)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    zip_source_t *f = zip_source_file(z, path, 0, -1);
    assert_non_null(f);
    assert_true(zip_file_add(z, as, f, ZIP_FL_OVERWRITE) >= 0);
}

static const char *GEOG = "GEOGCS[\"China Geodetic Coordinate System 2000\",DATUM[\"China_2000\","
                          "SPHEROID[\"CGCS2000\",6378137,298.257222101]],PRIMEM[\"Greenwich\",0],"
                          "UNIT[\"degree\",0.0174532925199433]]";
static const char *PROJ =
    "PROJCS[\"CGCS2000 / 3-degree Gauss-Kruger CM 120E\",GEOGCS[\"China "
    "Geodetic Coordinate System 2000\",DATUM[\"China_2000\",SPHEROID["
    "\"CGCS2000\",6378137,298.257222101]]],PROJECTION[\"Transverse_Mercator\"]]";

/* A zip of the layer (rings clockwise as shapelib writes outer rings), prj (NULL: none) and
   items.csv (NULL: none); *len and the bytes in a malloc'd block. */
static void *make_zip(const double (*rings)[10], int n, const char *const *codes, const char *prj,
                      const char *items, size_t *len)
{
    char dir[] = "/tmp/zoning-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    shp_write(dir, rings, n, codes);
    char path[256];
    if (prj) {
        snprintf(path, sizeof path, "%s/units.prj", dir);
        FILE *f = fopen(path, "w");
        fputs(prj, f);
        fclose(f);
    }
    if (items) {
        snprintf(path, sizeof path, "%s/items.csv", dir);
        FILE *f = fopen(path, "w");
        fputs(items, f);
        fclose(f);
    }
    if (CPG) {
        snprintf(path, sizeof path, "%s/units.cpg", dir);
        FILE *f = fopen(path, "w");
        fputs(CPG, f);
        fclose(f);
    }
    char zpath[300];
    snprintf(zpath, sizeof zpath, "%s/layer.zip", dir);
    int ze;
    zip_t *z = zip_open(zpath, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    assert_non_null(z);
    zip_add_file(z, dir, "units.shp", "huzhou/units.shp");
    zip_add_file(z, dir, "units.shx", "huzhou/units.shx");
    zip_add_file(z, dir, "units.dbf", "huzhou/units.dbf");
    if (prj) {
        zip_add_file(z, dir, "units.prj", "huzhou/units.prj");
    }
    if (items) {
        zip_add_file(z, dir, "items.csv", "huzhou/items.csv");
    }
    if (CPG) {
        zip_add_file(z, dir, "units.cpg", "huzhou/units.cpg");
    }
    assert_int_equal(zip_close(z), 0);
    FILE *f = fopen(zpath, "rb");
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    void *data = malloc(*len);
    assert_int_equal(fread(data, 1, *len, f), *len);
    fclose(f);
    static const char *const FILES[] = {"units.shp", "units.shx", "units.dbf", "units.prj",
                                        "items.csv", "units.cpg", "layer.zip"};
    for (size_t i = 0; i < 7; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, FILES[i]);
        unlink(path);
    }
    rmdir(dir);
    return data;
}

/* Clockwise squares (outer rings as the Shapefile spec orders them). */
static const double GOOD[2][10] = {
    {119.9, 31.0, 119.9, 31.1, 120.0, 31.1, 120.0, 31.0, 119.9, 31.0},
    {120.0, 31.0, 120.0, 31.1, 120.1, 31.1, 120.1, 31.0, 120.0, 31.0},
};
static const double BOWTIE[2][10] = {
    {119.9, 31.0, 119.9, 31.1, 120.0, 31.1, 120.0, 31.0, 119.9, 31.0},
    {120.0, 31.0, 120.1, 31.1, 120.0, 31.1, 120.1, 31.0, 120.0, 31.0},
};
static const char *const CODES[] = {"ZH33052220009", "ZH33052230009"};
static const char *ITEMS = "unit_code,number,dimension,effect,industries,text\r\n"
                           "ZH33052220009,1.1,spatial,forbid,C26;C27,禁止新建化工项目\r\n"
                           "ZH33052230009,1.1,emission,condition,,总量替代\r\n";

static void test_shapefile_good(void **state)
{
    (void)state;
    size_t len;
    void *zip = make_zip(GOOD, 2, CODES, GEOG, ITEMS, &len);
    struct zoning_import im = {0};
    int rc = zoning_shapefile_parse(zip, len, &im);
    if (rc) {
        fail_msg("%s", im.why);
    }
    assert_int_equal(im.n, 2);
    assert_string_equal(im.source, "shapefile");
    assert_string_equal(im.units[0].code, "ZH33052220009");
    assert_string_equal(im.units[0].kind, "key");
    assert_true(im.units[1].sensitive);
    assert_int_equal(im.units[0].n_items, 1);
    assert_string_equal(im.units[0].items[0].industries, "C26,C27");
    assert_true(im.units[0].min_lon > 119.89 && im.units[0].max_lon < 120.01);
    zoning_import_free(&im);
    free(zip);
}

/* A unit with a hole (its outer ring clockwise, the hole counter-clockwise, as the Shapefile
   spec orders them) and a second part: one MultiPolygon whose hole is outside the unit. */
static void test_shapefile_hole(void **state)
{
    (void)state;
    char dir[] = "/tmp/zoning-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/units", dir);
    SHPHandle s = SHPCreate(path, SHPT_POLYGON);
    DBFHandle d = DBFCreate(path);
    DBFAddField(d, "CODE", FTString, 32, 0);
    DBFAddField(d, "NAME", FTString, 80, 0);
    DBFAddField(d, "KIND", FTString, 16, 0);
    /* outer cw, hole ccw, then a second outer cw */
    double x[] = {120.0, 120.0, 120.3, 120.3, 120.0, 120.1, 120.2, 120.2,
                  120.1, 120.1, 121.0, 121.0, 121.1, 121.1, 121.0};
    double y[] = {30.0, 30.3, 30.3, 30.0, 30.0, 30.1, 30.1, 30.2,
                  30.2, 30.1, 30.0, 30.1, 30.1, 30.0, 30.0};
    int starts[] = {0, 5, 10};
    SHPObject *o = SHPCreateObject(SHPT_POLYGON, -1, 3, starts, NULL, 15, x, y, NULL, NULL);
    SHPWriteObject(s, -1, o);
    SHPDestroyObject(o);
    DBFWriteStringAttribute(d, 0, 0, "ZHH1");
    DBFWriteStringAttribute(d, 0, 1, "带孔单元");
    DBFWriteStringAttribute(d, 0, 2, "general");
    SHPClose(s);
    DBFClose(d);
    snprintf(path, sizeof path, "%s/units.prj", dir);
    FILE *f = fopen(path, "w");
    fputs(GEOG, f);
    fclose(f);
    char zpath[300];
    snprintf(zpath, sizeof zpath, "%s/layer.zip", dir);
    int ze;
    zip_t *z = zip_open(zpath, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    zip_add_file(z, dir, "units.shp", "units.shp");
    zip_add_file(z, dir, "units.shx", "units.shx");
    zip_add_file(z, dir, "units.dbf", "units.dbf");
    zip_add_file(z, dir, "units.prj", "units.prj");
    assert_int_equal(zip_close(z), 0);
    f = fopen(zpath, "rb");
    fseek(f, 0, SEEK_END);
    size_t len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc(len);
    assert_int_equal(fread(data, 1, len, f), len);
    fclose(f);
    static const char *const FILES[] = {"units.shp", "units.shx", "units.dbf", "units.prj",
                                        "layer.zip"};
    for (size_t i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, FILES[i]);
        unlink(path);
    }
    rmdir(dir);

    struct zoning_import im = {0};
    int rc = zoning_shapefile_parse(data, len, &im);
    free(data);
    if (rc) {
        fail_msg("%s", im.why);
    }
    assert_int_equal(im.n, 1);
    assert_non_null(strstr(im.units[0].geometry, "\"MultiPolygon\""));
    char why[ZONING_ERR_MAX];
    struct zoning_index *ix = zoning_index_build(im.units, im.n, "H", why, sizeof why);
    assert_non_null(ix);
    struct zoning_answer ans;
    struct buf out;
    buf_init(&out, 1 << 20);
    const char *field;
    static const char *const SITES[] = {"[120.05,30.05]", "[120.15,30.15]", "[121.05,30.05]",
                                        "[120.1,30.15]"};
    static const size_t TOUCHED[] = {1, 0, 1, 1}; /* ring, hole, second part, the hole's edge */
    for (size_t i = 0; i < 4; i++) {
        char g[96];
        snprintf(g, sizeof g, "{\"type\":\"Point\",\"coordinates\":%s}", SITES[i]);
        buf_reset(&out);
        assert_int_equal(zoning_index_check(ix, g, "", 100, &ans, &out, &field, why, sizeof why),
                         0);
        assert_int_equal(ans.n_units, TOUCHED[i]);
    }
    buf_release(&out);
    zoning_index_free(ix);
}

static void test_shapefile_errors(void **state)
{
    (void)state;
    size_t len;
    struct zoning_import im = {0};
    void *zip = make_zip(BOWTIE, 2, CODES, GEOG, NULL, &len);
    assert_int_equal(zoning_shapefile_parse(zip, len, &im), ERR_INPUT);
    assert_non_null(
        strstr(im.why, "feature 2 (ZH33052230009): invalid geometry: Self-intersection"));
    assert_int_equal(im.n, 0 + im.n); /* whatever was parsed is freed below; nothing is stored */
    zoning_import_free(&im);
    free(zip);

    memset(&im, 0, sizeof im);
    zip = make_zip(GOOD, 2, CODES, PROJ, NULL, &len);
    assert_int_equal(zoning_shapefile_parse(zip, len, &im), ERR_INPUT);
    assert_string_equal(im.field, "crs");
    assert_non_null(strstr(im.why, "is not CGCS2000 / WGS 84 lon/lat"));
    zoning_import_free(&im);
    free(zip);

    memset(&im, 0, sizeof im);
    zip = make_zip(GOOD, 2, CODES, NULL, NULL, &len);
    assert_int_equal(zoning_shapefile_parse(zip, len, &im), ERR_INPUT);
    assert_string_equal(im.field, "crs");
    assert_non_null(strstr(im.why, ".prj file is missing"));
    zoning_import_free(&im);
    free(zip);

    /* regression (zoning_fuzz): a record without CODE beside items.csv crashed the items' match */
    memset(&im, 0, sizeof im);
    static const char *const NO_CODE[] = {"", "ZH33052230009"};
    zip = make_zip(GOOD, 2, NO_CODE, GEOG, ITEMS, &len);
    assert_int_equal(zoning_shapefile_parse(zip, len, &im), ERR_INPUT);
    assert_non_null(strstr(im.why, "unit ZH33052220009 is not in the layer"));
    zoning_import_free(&im);
    free(zip);

    memset(&im, 0, sizeof im);
    assert_int_equal(zoning_shapefile_parse("PK\3\4garbage", 11, &im), ERR_INPUT);
    assert_non_null(strstr(im.why, "not a valid zip"));
}

/* DBF text in GBK (as Chinese GIS desktops write it): read by the .cpg, or refused clearly. */
static void test_shapefile_encoding(void **state)
{
    (void)state;
    size_t len;
    struct zoning_import im = {0};
    DBF_NAME = "\xb3\xa4\xd0\xcb\xbf\xaa\xb7\xa2\xc7\xf8"; /* 长兴开发区 in GBK */
    CPG = "GBK\r\n";
    void *zip = make_zip(GOOD, 2, CODES, GEOG, ITEMS, &len);
    assert_int_equal(zoning_shapefile_parse(zip, len, &im), 0);
    assert_string_equal(im.units[0].name, "长兴开发区");
    assert_int_equal(im.n_items, 2);
    zoning_import_free(&im);
    free(zip);

    memset(&im, 0, sizeof im);
    CPG = "ANSI 936";
    zip = make_zip(GOOD, 2, CODES, GEOG, NULL, &len);
    assert_int_equal(zoning_shapefile_parse(zip, len, &im), 0);
    assert_string_equal(im.units[1].name, "长兴开发区");
    zoning_import_free(&im);
    free(zip);

    memset(&im, 0, sizeof im); /* GBK without a .cpg: not UTF-8, refused naming the fix */
    CPG = NULL;
    zip = make_zip(GOOD, 2, CODES, GEOG, NULL, &len);
    assert_int_equal(zoning_shapefile_parse(zip, len, &im), ERR_INPUT);
    assert_string_equal(im.field, "file");
    if (!strstr(im.why, "record 1: name is not text in UTF-8: add a .cpg file")) {
        fail_msg("%s", im.why);
    }
    zoning_import_free(&im);
    free(zip);

    memset(&im, 0, sizeof im); /* GBK CODE bytes without a .cpg beside items.csv: no crash */
    static const char *const GBK_CODE[] = {"\xb3\xa4\xd0\xcb", "ZH33052230009"};
    DBF_NAME = NULL;
    zip = make_zip(GOOD, 2, GBK_CODE, GEOG, ITEMS, &len);
    assert_int_equal(zoning_shapefile_parse(zip, len, &im), ERR_INPUT);
    assert_non_null(strstr(im.why, "record 1: code is not text in UTF-8"));
    zoning_import_free(&im);
    free(zip);

    memset(&im, 0, sizeof im);
    CPG = "KLINGON-9";
    zip = make_zip(GOOD, 2, CODES, GEOG, NULL, &len);
    assert_int_equal(zoning_shapefile_parse(zip, len, &im), ERR_INPUT);
    assert_non_null(strstr(im.why, "the .cpg names an encoding that cannot be read: KLINGON-9"));
    zoning_import_free(&im);
    free(zip);
    CPG = NULL;
}

/* The notice of a pre-consultation: composed from a check (the corner three units share). */
static void test_notice(void **state)
{
    (void)state;
    struct result r = check("{\"type\":\"Point\",\"coordinates\":[120.1,30.1]}", "C2614");
    struct buf out;
    buf_init(&out, 1 << 20);
    zoning_notice_json("年产 1 万吨树脂项目", "某公司", "C2614", r.j, &out);
    json_t *paras = json_loadb(out.p, out.len, 0, NULL);
    assert_non_null(paras);
    const char *first = json_string_value(json_array_get(paras, 0));
    assert_non_null(
        strstr(first, "“年产 1 万吨树脂项目”（国民经济行业代码 C2614）")); /* no 项目项目 */
    char *all = json_dumps(paras, 0);
    assert_non_null(strstr(all, "ZHA 第 1.1 条"));
    assert_non_null(strstr(all, "禁止类"));
    assert_non_null(strstr(all, "不适用告知承诺制"));       /* the priority unit */
    assert_non_null(strstr(all, "污染物排放总量指标来源")); /* an emission item applied */
    assert_non_null(strstr(all, "环境风险评价"));           /* the priority unit's risk item */
    assert_null(strstr(all, "资源利用效率"));               /* no resource item */
    free(all);
    json_decref(paras);
    json_decref(r.j);
    buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inside),           cmocka_unit_test(test_outside),
        cmocka_unit_test(test_shared_border),    cmocka_unit_test(test_across_two_units),
        cmocka_unit_test(test_bad_sites),        cmocka_unit_test(test_industry_prefixes),
        cmocka_unit_test(test_verdict_strength), cmocka_unit_test(test_geojson_errors),
        cmocka_unit_test(test_shapefile_good),   cmocka_unit_test(test_shapefile_errors),
        cmocka_unit_test(test_notice),           cmocka_unit_test(test_shapefile_hole),
        cmocka_unit_test(test_industry_forms),   cmocka_unit_test(test_answer_overflow),
        cmocka_unit_test(test_consult_visible),  cmocka_unit_test(test_shapefile_encoding),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
