/*
** The org unit responsible for a region (store_org_unit_for_region, which files cases and
** escalates them) on a fresh SQLite database. Regression: the prefix an org unit's region covers
** was rtrim(code, '0'), so 台州市 (331000) covered 331…, the prefix of 丽水市 (331100) too, and
** 余杭区 (330110) covered 33011…, which 330111 would start with. Zeros go in pairs.
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

#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "store/q_cases.h"
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
    snprintf(fx->dir, sizeof fx->dir, "/tmp/envgov-region-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    char err[256] = "";
    if (store_open(fx->dir, "", &fx->s, err, sizeof err)) {
        fail_msg("store_open: %s", err);
    }
    assert_int_equal(store_begin(fx->s, &fx->db), 0);
    run(fx->db, "INSERT INTO regions (code, name, parent_code, level) VALUES"
                " ('330000', '浙江省', NULL, 1), ('330100', '杭州市', '330000', 2),"
                " ('330110', '余杭区', '330100', 3), ('331000', '台州市', '330000', 2),"
                " ('331100', '丽水市', '330000', 2)");
    run(fx->db, "INSERT INTO org_units (id, name, created_at, updated_at) VALUES"
                " (1, '浙江省厅', 'x', 'x'), (2, '台州市局', 'x', 'x'), (3, '丽水市局', 'x', 'x'),"
                " (4, '杭州市局', 'x', 'x'), (5, '余杭分局', 'x', 'x')");
    run(fx->db, "INSERT INTO org_unit_regions (org_unit_id, region_code) VALUES (1, '330000'),"
                " (2, '331000'), (3, '331100'), (4, '330100'), (5, '330110')");
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

static int64_t unit_for(struct fx *fx, const char *code)
{
    int64_t unit = -1;
    assert_int_equal(store_org_unit_for_region(fx->db, code, &unit), 0);
    return unit;
}

static void the_most_specific_unit_whose_region_covers_the_code(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(unit_for(fx, "331102"), 3); /* 莲都区: 丽水, not 台州 (331000 → 33, 10) */
    assert_int_equal(unit_for(fx, "331002"), 2); /* 椒江区: 台州 */
    assert_int_equal(unit_for(fx, "330110"), 5); /* 余杭区 itself */
    assert_int_equal(unit_for(fx, "330111"), 4); /* 富阳区: 杭州, not 余杭 (330110 is a county) */
    assert_int_equal(unit_for(fx, "330522"), 1); /* 长兴县: only the province covers it */
}

int main(void)
{
    if (util_init()) {
        return 1;
    }
    settings_init();
    log_set_level(LOG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_most_specific_unit_whose_region_covers_the_code, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
