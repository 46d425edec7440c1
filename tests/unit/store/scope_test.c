/*
** Who may see a row, in SQL (store_scope_sql, behind the entity lists and the dashboard) and in
** C (store_scope_allows, behind the case page and the monitoring board), on a fresh SQLite
** database: for every kind of scope both say the same about every enterprise. Regression
** (review of issue 12): the dashboard (scope_sql), the entity lists (where_scope), the case page
** (case_visible) and the board (in_scope) each had a copy of the rule.
*/
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "store/scope.h"
#include "store/store.h"

struct fx {
    char dir[64];
    struct store *s;
    struct db *db;
};

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void run(struct db *db, const char *sql)
{
    if (db_exec(db, sql)) {
        fail_msg("%s: %s", sql, db_errmsg(db));
    }
}

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/envgov-scope-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    char err[256] = "";
    if (store_open(fx->dir, "", &fx->s, err, sizeof err)) {
        fail_msg("store_open: %s", err);
    }
    assert_int_equal(store_begin(fx->s, &fx->db), 0);
    run(fx->db, "INSERT INTO regions (code, name, parent_code, level) VALUES"
                " ('330522', '长兴县', NULL, 3), ('330502', '吴兴区', NULL, 3),"
                " ('330110', '余杭区', NULL, 3), ('331102', '莲都区', NULL, 3)");
    run(fx->db,
        "INSERT INTO industries (code, name, parent_code, level) VALUES ('1713', 'x', NULL, 4)");
    run(fx->db,
        "INSERT INTO enterprises (id, uscc, name, region_code, industry_code, created_at,"
        " updated_at) VALUES (1, 'a', 'A', '330522', '1713', 'x', 'x'),"
        " (2, 'b', 'B', '330502', '1713', 'x', 'x'), (3, 'c', 'C', '330110', '1713', 'x', 'x'),"
        " (4, 'd', 'D', '331102', '1713', 'x', 'x'), (5, 'e', 'E', '330522', '1713', 'x', 'x')");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    store_rollback(fx->s, fx->db);
    store_close(fx->s);
    nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return 0;
}

/* The enterprises the SQL condition admits, as a bit set (bit id), checked against the C
   predicate row by row; direct: the condition on the row's own columns, else the subquery by
   enterprise id that the entities owned by an enterprise use. */
static unsigned visible(struct fx *fx, const struct scope *sc, bool direct)
{
    struct buf sql;
    buf_init(&sql, 4096);
    buf_puts(&sql, "SELECT t.id, t.region_code FROM enterprises t WHERE ");
    int n = store_scope_sql(&sql, sc, "t.id", direct ? "t.region_code" : NULL, 3);
    buf_puts(&sql, " AND ?1 = ?2 ORDER BY t.id");
    assert_int_equal(n, store_scope_n_params(sc));
    struct db_stmt *st;
    assert_int_equal(db_prepare(fx->db, sql.p, &st), 0);
    db_bind_int(st, 1, 7); /* parameters below `first` stay the caller's */
    db_bind_int(st, 2, 7);
    char pats[8][40];
    for (int i = 0; i < n; i++) {
        struct db_value v;
        store_scope_param(sc, i, &v, pats[i]);
        v.type == DB_INT ? db_bind_int(st, 3 + i, v.i) : db_bind_text(st, 3 + i, v.s, v.n);
    }
    unsigned set = 0, all = 0;
    while (db_step(st) == DB_ROW) {
        set |= 1u << db_column_int(st, 0);
    }
    db_done(st);
    buf_release(&sql);
    assert_int_equal(db_queryf(fx->db, &st, "SELECT id, region_code FROM enterprises", ""), 0);
    while (db_step(st) == DB_ROW) {
        int64_t id = db_column_int(st, 0);
        all |= 1u << id;
        bool in_c = store_scope_allows(sc, id, db_column_text(st, 1, NULL));
        if (in_c != !!(set & (1u << id))) {
            fail_msg("enterprise %lld: SQL %d, C %d", (long long)id, !!(set & (1u << id)), in_c);
        }
    }
    db_done(st);
    assert_int_equal(all, 0x3e);
    return set;
}

static void sql_and_c_agree_for_every_scope(void **state)
{
    struct fx *fx = *state;
    static const char *const changxing[] = {"330522"}, *const huzhou_lishui[] = {"3305", "3311"},
                             *const wild[] = {"33%"};
    const struct scope all = {SCOPE_ALL, NULL, 0, 0}, ent = {SCOPE_ENTERPRISE, NULL, 0, 2},
                       county = {SCOPE_REGIONS, changxing, 1, 0},
                       two = {SCOPE_REGIONS, huzhou_lishui, 2, 0},
                       none_listed = {SCOPE_REGIONS, NULL, 0, 0},
                       wildcard = {SCOPE_REGIONS, wild, 1, 0}, nobody = {SCOPE_NONE, NULL, 0, 0};
    for (int direct = 0; direct < 2; direct++) {
        assert_int_equal(visible(fx, &all, direct), 0x3e);
        assert_int_equal(visible(fx, NULL, direct), 0x3e);
        assert_int_equal(visible(fx, &ent, direct), 1u << 2);
        assert_int_equal(visible(fx, &county, direct), (1u << 1) | (1u << 5));
        assert_int_equal(visible(fx, &two, direct), (1u << 1) | (1u << 2) | (1u << 4) | (1u << 5));
        assert_int_equal(visible(fx, &none_listed, direct), 0);
        assert_int_equal(visible(fx, &wildcard, direct),
                         0); /* "%" is a character, not a wildcard */
        assert_int_equal(visible(fx, &nobody, direct), 0);
    }
    assert_false(store_scope_allows(&ent, 0, "330502")); /* a row of no enterprise */
    assert_false(store_scope_allows(&county, 1, NULL));
}

/* The org units whose rows a scope admits (store_scope_sql_unit), as a bit set (bit id): a
   unit within the prefixes, or one above them (the city over its county branch), never a
   sibling county's. */
static unsigned units_visible(struct fx *fx, const struct scope *sc)
{
    struct buf sql;
    buf_init(&sql, 4096);
    buf_puts(&sql, "SELECT t.id FROM org_units t WHERE ");
    int n = store_scope_sql_unit(&sql, sc, "t.id", 1);
    assert_int_equal(n, store_scope_n_params(sc));
    struct db_stmt *st;
    if (db_prepare(fx->db, sql.p, &st)) {
        fail_msg("%s: %s", sql.p, db_errmsg(fx->db));
    }
    assert_int_equal(store_scope_bind(st, sc, 1), 0);
    unsigned set = 0;
    while (db_step(st) == DB_ROW) {
        set |= 1u << db_column_int(st, 0);
    }
    db_done(st);
    buf_release(&sql);
    return set;
}

static void org_unit_rows_by_region(void **state)
{
    struct fx *fx = *state;
    run(fx->db, "INSERT INTO org_units (id, name, created_at, updated_at) VALUES"
                " (1, '市局', 'x', 'x'), (2, '长兴分局', 'x', 'x'), (3, '吴兴分局', 'x', 'x'),"
                " (4, '省厅', 'x', 'x'), (5, '无区划', 'x', 'x'), (6, '丽水', 'x', 'x')");
    run(fx->db, "INSERT INTO regions (code, name, parent_code, level) VALUES ('330500', '湖州市',"
                " NULL, 2), ('330000', '浙江省', NULL, 1), ('331100', '丽水市', NULL, 2)");
    run(fx->db, "INSERT INTO org_unit_regions (org_unit_id, region_code) VALUES (1, '330500'),"
                " (2, '330522'), (3, '330502'), (4, '330000'), (6, '331100')");
    static const char *const changxing[] = {"330522"}, *const huzhou[] = {"3305"},
                             *const odd[] = {"33'05"};
    const struct scope all = {SCOPE_ALL, NULL, 0, 0}, ent = {SCOPE_ENTERPRISE, NULL, 0, 2},
                       county = {SCOPE_REGIONS, changxing, 1, 0},
                       city = {SCOPE_REGIONS, huzhou, 1, 0}, quote = {SCOPE_REGIONS, odd, 1, 0},
                       nobody = {SCOPE_NONE, NULL, 0, 0};
    assert_int_equal(units_visible(fx, &all), 0x7e);
    assert_int_equal(units_visible(fx, &ent), 0);
    assert_int_equal(units_visible(fx, &county), (1u << 1) | (1u << 2) | (1u << 4));
    assert_int_equal(units_visible(fx, &city), (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4));
    assert_int_equal(units_visible(fx, &quote), 0); /* no literal from a non-digit prefix */
    assert_int_equal(units_visible(fx, &nobody), 0);
}

int main(void)
{
    if (util_init()) {
        return 1;
    }
    settings_init();
    log_set_level(LOG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sql_and_c_agree_for_every_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(org_unit_rows_by_region, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
