/*
** The zoning site check over a fresh SQLite store: an edition imported (zoning_import_store),
** then, while a reader loads it into the process's index, another connection replaces it and
** commits between the units' read and the items' read (zoning_load_hook). The index must be
** the new edition with its items — never the old units without items under the old generation,
** which would report a forbidden site as allowed.
*/
#include <ftw.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/settings.h"
#include "store/q_zoning.h"
#include "store/store.h"
#include "zoning/internal.h"

static const char *NOW = "2026-03-02T01:00:00Z";

/* A unit far away without items, read first when present (the ids of the others move). */
static const char *EXTRA =
    "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[110.0,20.0],"
    "[110.1,20.0],[110.1,20.1],[110.0,20.1],[110.0,20.0]]]},\"properties\":{\"code\":\"ZHA\","
    "\"name\":\"A\",\"kind\":\"general\",\"region\":\"330502\",\"items\":[]}},";

/* One key unit around (120.05, 30.05) with one item of effect for C26 (text names it). */
static char *edition_text(const char *effect, const char *text, bool extra)
{
    char *s = malloc(2048);
    int n = snprintf(
        s, 2048,
        "{\"type\":\"FeatureCollection\",\"edition\":{\"code\":\"RACE\",\"name\":\"race\"},"
        "\"features\":[%s{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
        "[[[120.0,30.0],[120.1,30.0],[120.1,30.1],[120.0,30.1],[120.0,30.0]]]},\"properties\":"
        "{\"code\":\"ZHR\",\"name\":\"R\",\"kind\":\"key\",\"region\":\"330502\",\"items\":["
        "{\"number\":\"1\",\"dimension\":\"spatial\",\"effect\":\"%s\",\"industries\":[\"C26\"],"
        "\"text\":\"%s\"}]}}]}",
        extra ? EXTRA : "", effect, text);
    assert_true(n > 0 && n < 2048);
    return s;
}

static struct store *S;
static char DIR_[64];
static int hook_calls;

static void import(const char *effect, const char *text, bool extra)
{
    char *t = edition_text(effect, text, extra);
    struct zoning_import im = {0};
    assert_int_equal(zoning_geojson_parse(t, strlen(t), &im), 0);
    free(t);
    struct db *db;
    assert_int_equal(store_begin(S, &db), 0);
    int64_t id = 0;
    assert_int_equal(zoning_import_store(db, &im, true, 0, "test", NULL, NULL, NOW, &id), 0);
    assert_int_equal(store_commit(S, db), 0);
    zoning_import_free(&im);
}

/* Another process's import, committed in the middle of the load. */
static void replace_midway(struct db *db)
{
    (void)db;
    if (hook_calls++ == 0) {
        import("forbid", "second", true);
    }
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static const struct setting_def SETTINGS[] = {
    {"zoning_import_max_units", "100", true, ""},
    {"zoning_unit_max_vertices", "1000", true, ""},
    {"zoning_site_max_vertices", "1000", true, ""},
};

static int setup(void **state)
{
    (void)state;
    settings_register(SETTINGS, 3);
    settings_init();
    snprintf(DIR_, sizeof DIR_, "/tmp/envgov-zoning-XXXXXX");
    assert_non_null(mkdtemp(DIR_));
    char err[256] = "";
    if (store_open(DIR_, "", &S, err, sizeof err)) {
        fail_msg("store_open: %s", err);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    zoning_cache_clear();
    store_close(S);
    nftw(DIR_, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static void test_import_during_load(void **state)
{
    (void)state;
    import("forbid", "first", false);
    zoning_load_hook = replace_midway;
    struct db *db = store_read(S);
    struct buf out;
    buf_init(&out, 1 << 20);
    struct zoning_answer ans;
    const char *field = NULL;
    struct zoning_check_req q = {"{\"type\":\"Point\",\"coordinates\":[120.05,30.05]}", "2614",
                                 "RACE"};
    int rc = zoning_site_check(db, &q, &ans, &out, &field);
    zoning_load_hook = NULL;
    assert_int_equal(rc, 0);
    assert_int_equal(ans.n_units, 1);
    assert_int_equal(ans.verdict, ZV_FORBIDDEN);
    json_t *j = json_loadb(out.p, out.len, 0, NULL);
    assert_non_null(j);
    json_t *reason = json_array_get(json_object_get(j, "reasons"), 0);
    assert_string_equal(json_string_value(json_object_get(reason, "text")), "second");
    json_decref(j);
    assert_true(hook_calls >= 2); /* the load went again after the import it saw */
    /* the index held is the new generation's: the next check does not rebuild it */
    struct zoning_edition_row e;
    assert_int_equal(store_zoning_edition(db, "RACE", &e), 0);
    struct zoning_index *ix;
    hook_calls = 100;
    zoning_load_hook = replace_midway;
    assert_int_equal(zoning_cache_acquire(db, &e, &ix), 0);
    zoning_cache_release();
    zoning_load_hook = NULL;
    assert_int_equal(hook_calls, 100);
    buf_release(&out);
    store_release(S, db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_during_load),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
