/*
** Rule sets: the schema subset's errors name the JSON path of the bad value; the version in
** force is the most specific jurisdiction, then the latest effective date not after the day,
** then the highest version (two provinces in one database, a city beating its province); a
** used version cannot be changed or removed; the shipped defaults load once and pass their
** schemas. Resolution runs on a fresh SQLite store per test.
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

#include <cmocka.h>

#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "rules/rules.h"
#include "store/q_rules.h"
#include "store/store.h"

/* ---------------- schema checks ---------------- */

static const char SCHEMA[] =
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"name\",\"thresholds\"],"
    "\"properties\":{\"name\":{\"type\":\"string\",\"minLength\":2,\"pattern\":\"^[a-z]+$\"},"
    "\"mode\":{\"enum\":[\"strict\",\"lax\"]},"
    "\"thresholds\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":3,\"items\":{\"type\":"
    "\"object\",\"required\":[\"minutes\"],\"properties\":{\"minutes\":{\"type\":\"integer\","
    "\"minimum\":1,\"maximum\":60},\"ratio\":{\"type\":\"number\"}}}}}}";

/* Check body against SCHEMA: the return code, and the path and message it gave. */
static int check(const char *body, char path[128], char msg[256])
{
    json_t *s = json_loads(SCHEMA, 0, NULL), *b = json_loads(body, 0, NULL);
    assert_non_null(s);
    assert_non_null(b);
    int rc = rules_schema_check(s, b, path, 128, msg, 256);
    json_decref(s);
    json_decref(b);
    return rc;
}

static void schema_accepts_a_good_body(void **state)
{
    (void)state;
    char path[128], msg[256];
    assert_int_equal(check("{\"name\":\"ok\",\"mode\":\"lax\",\"thresholds\":[{\"minutes\":5,"
                           "\"ratio\":0.5},{\"minutes\":60.0}]}",
                           path, msg),
                     0);
}

static void expect_error(const char *body, const char *want_path, const char *want_msg)
{
    char path[128], msg[256];
    assert_int_equal(check(body, path, msg), ERR_INPUT);
    assert_string_equal(path, want_path);
    if (!strstr(msg, want_msg)) {
        fail_msg("message for %s is \"%s\", expected it to contain \"%s\"", want_path, msg,
                 want_msg);
    }
}

static void schema_errors_name_the_json_path(void **state)
{
    (void)state;
    expect_error("{\"name\":\"ok\",\"thresholds\":[{\"minutes\":5},{\"minutes\":9},"
                 "{\"minutes\":0}]}",
                 "$.thresholds[2].minutes", "at least 1");
    expect_error("{\"name\":\"ok\",\"thresholds\":[{\"minutes\":61}]}", "$.thresholds[0].minutes",
                 "at most 60");
    expect_error("{\"name\":\"ok\",\"thresholds\":[{\"minutes\":1.5}]}", "$.thresholds[0].minutes",
                 "integer");
    expect_error("{\"name\":\"ok\",\"thresholds\":[{\"ratio\":1}]}", "$.thresholds[0].minutes",
                 "required");
    expect_error("{\"name\":\"ok\"}", "$.thresholds", "required");
    expect_error("{\"name\":\"ok\",\"thresholds\":[]}", "$.thresholds", "at least 1 items");
    expect_error("{\"name\":\"ok\",\"thresholds\":[{\"minutes\":1},{\"minutes\":1},{\"minutes\":1},"
                 "{\"minutes\":1}]}",
                 "$.thresholds", "at most 3 items");
    expect_error("{\"name\":\"ok\",\"thresholds\":{\"minutes\":1}}", "$.thresholds", "array");
    expect_error("{\"name\":\"OK\",\"thresholds\":[{\"minutes\":1}]}", "$.name", "must match");
    expect_error("{\"name\":\"o\",\"thresholds\":[{\"minutes\":1}]}", "$.name", "at least 2");
    expect_error("{\"name\":\"ok\",\"mode\":\"loose\",\"thresholds\":[{\"minutes\":1}]}", "$.mode",
                 "one of [\"strict\",\"lax\"]");
    expect_error("{\"name\":\"ok\",\"thresholds\":[{\"minutes\":1}],\"extra\":1}", "$.extra",
                 "not an allowed field");
    expect_error("{\"name\":\"ok\",\"thresholds\":[{\"minutes\":1}],\"a b\":1}", "$[\"a b\"]",
                 "not an allowed field");
    expect_error("[1]", "$", "object");
}

static void shipped_kinds_have_schemas(void **state)
{
    (void)state;
    assert_true(rules_kind_count() >= 2);
    assert_non_null(rules_kind_schema("alarm.handling"));
    assert_non_null(rules_kind_schema("permit.expiry"));
    assert_null(rules_kind_schema("no.such.kind"));
    for (size_t i = 1; i < rules_kind_count(); i++) {
        assert_true(strcmp(rules_kind_name(i - 1), rules_kind_name(i)) < 0);
    }
}

static void getters_follow_paths(void **state)
{
    (void)state;
    json_t *b = json_loads("{\"a\":{\"b\":[{\"c\":2.5},{\"c\":7}]},\"s\":\"x\",\"n\":3}", 0, NULL);
    assert_true(rules_number(b, "a.b[0].c", 0) == 2.5);
    assert_int_equal(rules_int(b, "$.a.b[1].c", 0), 7);
    assert_int_equal(rules_int(b, "n", 0), 3);
    assert_string_equal(rules_string(b, "s", "d"), "x");
    assert_string_equal(rules_string(b, "n", "d"), "d");
    assert_int_equal(rules_int(b, "a.b[5].c", -1), -1);
    assert_int_equal(rules_int(b, "a.x", -1), -1);
    assert_null(rules_at(b, "s[0]"));
    json_decref(b);
}

/* ---------------- store-backed ---------------- */

struct fx {
    char dir[64];
    struct store *s;
};

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/envgov-rules-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    char err[256] = "";
    if (store_open(fx->dir, "", &fx->s, err, sizeof err)) {
        fail_msg("store_open: %s", err);
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    store_close(fx->s);
    nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return 0;
}

/* A permit.expiry version of region_prefix effective from day warning warn days; its id. */
static int64_t add(struct db *db, const char *prefix, const char *day, int warn)
{
    json_t *body = json_pack("{s:i, s:i}", "warn_days", warn, "renew_before_days", 60);
    struct rule_input in = {"permit.expiry", prefix, day, "测试依据", NULL, body};
    struct rule_ref ref;
    struct rule_error err;
    int rc = rules_create(db, &in, 0, &ref, &err);
    json_decref(body);
    if (rc) {
        fail_msg("rules_create(%s, %s): %d %s %s", prefix, day, rc, err.field, err.msg);
    }
    return ref.id;
}

/* The warn_days in force for region on day, -1 when none; *ref gets the version. */
static int warn_in_force(struct db *db, const char *region, const char *day, struct rule_ref *ref)
{
    json_t *body = NULL;
    int rc = rules_resolve(db, "permit.expiry", region, day, &body, ref);
    int v = rc ? -1 : (int)rules_int(body, "warn_days", -2);
    assert_true(rc == 0 || rc == ERR_NOTFOUND);
    json_decref(body);
    return v;
}

static void resolution_by_region_and_date(void **state)
{
    struct fx *fx = *state;
    struct db *db;
    assert_int_equal(store_begin(fx->s, &db), 0);
    int64_t all = add(db, "", "2020-01-01", 60);
    int64_t zj = add(db, "33", "2024-01-01", 45);
    int64_t zj2 = add(db, "33", "2026-07-01", 40);
    int64_t js = add(db, "32", "2024-01-01", 90);
    int64_t hz = add(db, "3305", "2025-01-01", 30);
    int64_t hz_same_day = add(db, "3305", "2025-01-01", 31);
    assert_int_equal(store_commit(fx->s, db), 0);
    (void)all, (void)zj, (void)zj2, (void)js, (void)hz;

    db = store_read(fx->s);
    struct rule_ref ref;
    /* Huzhou's own version beats Zhejiang's; of two on one day the later version wins. */
    assert_int_equal(warn_in_force(db, "330522", "2026-03-01", &ref), 31);
    assert_int_equal(ref.id, hz_same_day);
    assert_int_equal(ref.version, 2);
    assert_string_equal(ref.region, "3305");
    assert_string_equal(ref.kind, "permit.expiry");
    assert_string_equal(ref.effective, "2025-01-01");
    /* Hangzhou has none of its own: Zhejiang's, the one effective on the day. */
    assert_int_equal(warn_in_force(db, "330106", "2026-06-30", &ref), 45);
    assert_int_equal(ref.id, zj);
    assert_int_equal(warn_in_force(db, "330106", "2026-07-01", &ref), 40);
    assert_int_equal(ref.id, zj2);
    assert_int_equal(ref.version, 2);
    /* Jiangsu's lives beside Zhejiang's in the same database. */
    assert_int_equal(warn_in_force(db, "320106", "2026-07-01", &ref), 90);
    assert_int_equal(ref.id, js);
    assert_int_equal(ref.version, 1);
    /* Before Huzhou's takes effect, Zhejiang's is in force there. */
    assert_int_equal(warn_in_force(db, "330522", "2024-12-31", &ref), 45);
    /* Elsewhere, and before any province's, the national one. */
    assert_int_equal(warn_in_force(db, "110101", "2026-07-01", &ref), 60);
    assert_string_equal(ref.region, "");
    assert_int_equal(warn_in_force(db, "330522", "2023-12-31", &ref), 60);
    /* A region whose code merely starts like a prefix's digits elsewhere does not match. */
    assert_int_equal(warn_in_force(db, "", "2026-07-01", &ref), 60);
    /* Before anything is effective: none. */
    assert_int_equal(warn_in_force(db, "330522", "2019-12-31", &ref), -1);
    store_release(fx->s, db);
}

static void used_version_cannot_change(void **state)
{
    struct fx *fx = *state;
    struct db *db;
    assert_int_equal(store_begin(fx->s, &db), 0);
    int64_t a = add(db, "33", "2024-01-01", 45);
    int64_t b = add(db, "33", "2025-01-01", 50);
    struct rule_ref ref;
    assert_int_equal(rules_get(db, a, NULL, &ref), 0);

    /* An unused version may still be corrected: same id and version, new body and hash. */
    json_t *body = json_pack("{s:i, s:i}", "warn_days", 44, "renew_before_days", 60);
    struct rule_input in = {"permit.expiry", "33", "2024-01-01", "更正后的依据", NULL, body};
    struct rule_error err;
    uint64_t gen = rules_generation();
    assert_int_equal(rules_update(db, a, &in, &err), 0);
    assert_true(rules_generation() > gen);
    /* A decision that read the version before the correction is told so. */
    assert_int_equal(rules_mark_used(db, &ref), ERR_CONFLICT);
    assert_int_equal(rules_get(db, a, NULL, &ref), 0);
    assert_int_equal(ref.version, 1);
    assert_int_equal(rules_mark_used(db, &ref), 0);
    assert_int_equal(rules_mark_used(db, &ref), 0); /* again: still used, no error */

    /* Used: neither corrected nor removed. */
    assert_int_equal(rules_update(db, a, &in, &err), ERR_CONFLICT);
    assert_int_equal(rules_delete(db, a), ERR_CONFLICT);
    assert_int_equal(rules_delete(db, 999999), ERR_NOTFOUND);
    assert_int_equal(rules_update(db, 999999, &in, &err), ERR_NOTFOUND);
    /* The unused one can go. */
    assert_int_equal(rules_delete(db, b), 0);
    json_t *got = NULL;
    assert_int_equal(rules_get(db, a, &got, NULL), 0);
    assert_int_equal(rules_int(got, "warn_days", 0), 44);
    json_decref(got);
    json_decref(body);
    assert_int_equal(store_commit(fx->s, db), 0);
}

static void create_checks_its_input(void **state)
{
    struct fx *fx = *state;
    struct db *db;
    assert_int_equal(store_begin(fx->s, &db), 0);
    json_t *good = json_pack("{s:i, s:i}", "warn_days", 30, "renew_before_days", 60);
    json_t *badb = json_pack("{s:i, s:i}", "warn_days", 0, "renew_before_days", 60);
    struct rule_error err;
    struct {
        struct rule_input in;
        const char *field;
    } cases[] = {
        {{"no.such", "", "2026-01-01", "依据", NULL, good}, "kind"},
        {{"permit.expiry", "3", "2026-01-01", "依据", NULL, good}, "region_prefix"},
        {{"permit.expiry", "33a5", "2026-01-01", "依据", NULL, good}, "region_prefix"},
        {{"permit.expiry", "33", "2026-02-30", "依据", NULL, good}, "effective_from"},
        {{"permit.expiry", "33", "2026-1-01", "依据", NULL, good}, "effective_from"},
        {{"permit.expiry", "33", "2026-01-01", "", NULL, good}, "source"},
        {{"permit.expiry", "33", "2026-01-01", "依据", NULL, NULL}, "body"},
        {{"permit.expiry", "33", "2026-01-01", "依据", NULL, badb}, "$.warn_days"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rule_ref ref;
        assert_int_equal(rules_create(db, &cases[i].in, 0, &ref, &err), ERR_INPUT);
        assert_string_equal(err.field, cases[i].field);
        assert_true(err.msg[0]);
    }
    assert_non_null(strstr(err.msg, "$.warn_days"));
    json_decref(good);
    json_decref(badb);
    store_rollback(fx->s, db);
}

static void shipped_defaults_load_once(void **state)
{
    struct fx *fx = *state;
    struct db *db;
    char err[512] = "";
    assert_int_equal(store_begin(fx->s, &db), 0);
    if (rules_seed(db, err, sizeof err)) {
        fail_msg("rules_seed: %s", err);
    }
    assert_int_equal(rules_seed(db, err, sizeof err), 0);
    int64_t n = 0;
    assert_int_equal(store_rule_count(db, "alarm.handling", "", &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_rule_count(db, "permit.expiry", "", &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_commit(fx->s, db), 0);
    db = store_read(fx->s);
    json_t *body = NULL;
    struct rule_ref ref;
    assert_int_equal(rules_resolve(db, "permit.expiry", "330522", "2026-12-03", &body, &ref), 0);
    assert_int_equal(rules_int(body, "warn_days", 0), 60);
    json_decref(body);
    assert_int_equal(rules_resolve(db, "alarm.handling", "330522", "2026-12-03", &body, &ref), 0);
    assert_int_equal(rules_int(body, "offline_after_s", 0), 1800);
    assert_string_equal(rules_string(body, "flags", ""), "FMDCTB");
    assert_int_equal(rules_int(body, "handling[0].respond_hours", 0), 1);
    json_decref(body);
    store_release(fx->s, db);
}

int main(void)
{
    if (util_init()) {
        return 1;
    }
    settings_init();
    log_set_level(LOG_WARN);
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schema_accepts_a_good_body),
        cmocka_unit_test(schema_errors_name_the_json_path),
        cmocka_unit_test(shipped_kinds_have_schemas),
        cmocka_unit_test(getters_follow_paths),
        T(resolution_by_region_and_date),
        T(used_version_cannot_change),
        T(create_checks_its_input),
        T(shipped_defaults_load_once),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
