/*
** The store: migrations applied once and refused when the database is newer, generic entity
** insert/get/list with scopes and keyset cursors, unique conflicts, audit rows, JSON rows.
*/
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"
#include "store/store.h"

static char dir[64];
static struct store *S;

static int setup(void **state)
{
    (void)state;
    util_init();
    settings_init();
    snprintf(dir, sizeof dir, "/tmp/envgov-store-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char err[256];
    if (store_open(dir, "", &S, err, sizeof err)) {
        fail_msg("%s", err);
    }
    struct db *db;
    assert_int_equal(store_begin(S, &db), 0);
    const char *r1[] = {"330500", "湖州市", "330000", "2"},
               *r2[] = {"330522", "长兴县", "330500", "3"};
    const char *r3[] = {"330100", "杭州市", "330000", "2"},
               *i1[] = {"1713", "棉印染精加工", "171", "4"};
    assert_int_equal(store_code_insert(db, "regions", r1, 4), 0);
    assert_int_equal(store_code_insert(db, "regions", r2, 4), 0);
    assert_int_equal(store_code_insert(db, "regions", r3, 4), 0);
    assert_int_equal(store_code_insert(db, "industries", i1, 4), 0);
    assert_int_equal(store_commit(S, db), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(S);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static int64_t insert_enterprise(struct db *db, const char *uscc, const char *name,
                                 const char *region, int expect)
{
    const char *cols[] = {"uscc", "name", "region_code", "industry_code", "tags"};
    struct db_value v[] = {{DB_TEXT, 0, 0, uscc, strlen(uscc)},
                           {DB_TEXT, 0, 0, name, strlen(name)},
                           {DB_TEXT, 0, 0, region, 6},
                           {DB_TEXT, 0, 0, "1713", 4},
                           {DB_TEXT, 0, 0, "high_growth,livelihood", 22}};
    int64_t id = 0;
    assert_int_equal(store_entity_insert(db, &ENTITY_ENTERPRISE, cols, v, 5, &id), expect);
    return id;
}

static void migrations(void **state)
{
    (void)state;
    assert_true(store_schema_latest() >= 1);
    assert_int_equal(store_schema_version(S), store_schema_latest());
    /* Reopening applies nothing and succeeds. */
    struct store *again;
    char err[256];
    assert_int_equal(store_open(dir, "", &again, err, sizeof err), 0);
    store_close(again);
}

static void entities_scopes_and_cursors(void **state)
{
    (void)state;
    struct db *db;
    assert_int_equal(store_begin(S, &db), 0);
    int64_t first = insert_enterprise(db, "91330522MA2B3C4D57", "湖州甲印染有限公司", "330522", 0);
    for (int i = 0; i < 4; i++) {
        char uscc[19], name[64];
        snprintf(uscc, sizeof uscc, "9133010%011d", i);
        snprintf(name, sizeof name, "杭州%d号印染有限公司", i);
        insert_enterprise(db, uscc, name, "330100", 0);
    }
    insert_enterprise(db, "91330522MA2B3C4D57", "重复", "330522", ERR_CONFLICT);
    struct audit_entry a = {0, "test", "enterprise", first, "create", NULL, "{}", "r1", ""};
    assert_int_equal(store_audit_add(db, &a), 0);
    assert_int_equal(store_commit(S, db), 0);

    db = store_read(S);
    struct buf out;
    buf_init(&out, 0);
    assert_int_equal(store_entity_get(db, &ENTITY_ENTERPRISE, NULL, first, &out), 0);
    json_t *j = json_loads(out.p, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "region_name")), "长兴县");
    assert_int_equal(json_array_size(json_object_get(j, "tags")), 2);
    json_decref(j);

    const char *hz[] = {"3301"};
    struct scope sc = {SCOPE_REGIONS, hz, 1, 0};
    buf_reset(&out);
    assert_int_equal(store_entity_get(db, &ENTITY_ENTERPRISE, &sc, first, &out), ERR_NOTFOUND);
    struct scope own = {SCOPE_ENTERPRISE, NULL, 0, first};
    assert_int_equal(store_entity_get(db, &ENTITY_ENTERPRISE, &own, first, &out), 0);

    /* Page through the Hangzhou scope two at a time: 4 rows, each seen once. */
    int seen = 0;
    char cursor[512] = "";
    for (int page = 0; page < 5; page++) {
        struct list_query q = {.limit = 2, .cursor = cursor[0] ? cursor : NULL, .with_total = true};
        buf_reset(&out);
        assert_int_equal(store_entity_list(db, &ENTITY_ENTERPRISE, &sc, &q, &out), 0);
        j = json_loads(out.p, 0, NULL);
        assert_non_null(j);
        assert_int_equal(json_integer_value(json_object_get(j, "total")), 4);
        seen += (int)json_array_size(json_object_get(j, "items"));
        const char *next = json_string_value(json_object_get(j, "next_cursor"));
        snprintf(cursor, sizeof cursor, "%s", next ? next : "");
        json_decref(j);
        if (!next) {
            break;
        }
    }
    assert_int_equal(seen, 4);
    struct list_query bad = {.limit = 2, .cursor = "!!!"};
    buf_reset(&out);
    assert_int_equal(store_entity_list(db, &ENTITY_ENTERPRISE, NULL, &bad, &out), ERR_INPUT);

    struct audit_query aq = {.entity = "enterprise", .entity_id = first, .limit = 10};
    buf_reset(&out);
    assert_int_equal(store_audit_list(db, &aq, &out), 0);
    assert_non_null(strstr(out.p, "\"after\":{}"));
    store_release(S, db);
    buf_release(&out);
}

static void newer_database_is_refused(void **state)
{
    (void)state;
    struct db *db;
    assert_int_equal(store_begin(S, &db), 0);
    struct db_stmt *st;
    assert_int_equal(db_prepare(db, "INSERT INTO schema_version VALUES (999, 'future', 'x')", &st),
                     0);
    assert_int_equal(db_step(st), DB_DONE);
    db_done(st);
    assert_int_equal(store_commit(S, db), 0);
    struct store *again = NULL;
    char err[256];
    assert_int_equal(store_open(dir, "", &again, err, sizeof err), ERR_UNSUPPORTED);
    assert_non_null(strstr(err, "newer"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrations),
        cmocka_unit_test(entities_scopes_and_cursors),
        cmocka_unit_test(newer_database_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
