/*
** 统一社会信用代码 check character (GB 32100-2015) and the reference code tables shipped in
** data/codes/.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/table.h"
#include "registry/uscc.h"

static void valid_codes(void **state)
{
    (void)state;
    char why[200];
    /* The example code printed in GB 32100-2015 itself. */
    assert_int_equal(registry_uscc_check("91350100M000100Y43", 18, why, sizeof why), 0);
    /* Worked by hand: sum of value*weight = 2101, 2101 % 31 = 24, 31 - 24 = 7 → '7'. */
    assert_int_equal(registry_uscc_check_char("91330522MA2B3C4D5"), '7');
    char made[19];
    registry_uscc_make("91330522MA2B3C4D5", made);
    assert_string_equal(made, "91330522MA2B3C4D57");
}

static void wrong_check_char_names_the_right_one(void **state)
{
    (void)state;
    char why[200];
    assert_int_equal(registry_uscc_check("91330522MA2B3C4D5N", 18, why, sizeof why), ERR_INPUT);
    assert_non_null(strstr(why, "7"));
    assert_non_null(strstr(why, "校验码"));
}

static void malformed(void **state)
{
    (void)state;
    char why[200];
    assert_int_equal(registry_uscc_check("91330522MA2B3C4D5", 17, why, sizeof why), ERR_INPUT);
    assert_non_null(strstr(why, "18"));
    assert_int_equal(registry_uscc_check("91330522MA2B3C4DI7", 18, why, sizeof why), ERR_INPUT);
    assert_int_equal(registry_uscc_check("91330522ma2b3c4d57", 18, why, sizeof why), ERR_INPUT);
    assert_int_equal(registry_uscc_check("91A30522MA2B3C4D57", 18, why, sizeof why), ERR_INPUT);
    assert_int_equal(registry_uscc_check("91330522MO2B3C4D57", 18, why, sizeof why), ERR_INPUT);
    assert_int_equal(registry_uscc_check_char("9133052 MA2B3C4D5"), 0);
}

static struct table load(struct arena *a, const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    struct table t;
    char err[200];
    assert_int_equal(csv_parse(buf, len, a, 100000, 16, &t, err, sizeof err), 0);
    return t;
}

static int find(const struct table *t, const char *code)
{
    for (size_t r = 1; r < t->n_rows; r++) {
        if (!strcmp(t->cells[r][0], code)) {
            return (int)r;
        }
    }
    return -1;
}

static void code_tables(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 0);
    struct table reg = load(&a, "data/codes/regions.csv");
    struct table ind = load(&a, "data/codes/industries.csv");
    struct table pol = load(&a, "data/codes/pollutants.csv");
    assert_string_equal(reg.cells[0][0], "code");
    int r = find(&reg, "330522");
    assert_true(r > 0);
    assert_string_equal(reg.cells[r][1], "长兴县");
    int divisions = 0;
    for (size_t i = 1; i < ind.n_rows; i++) {
        divisions += strlen(ind.cells[i][0]) == 2;
        /* every parent exists */
        if (ind.cells[i][2][0]) {
            assert_true(find(&ind, ind.cells[i][2]) > 0);
        }
        assert_int_equal(find(&ind, ind.cells[i][0]), (int)i); /* unique */
    }
    assert_int_equal(divisions, 97);
    assert_true(find(&ind, "4412") > 0);
    for (size_t i = 1; i < reg.n_rows; i++) {
        assert_int_equal(strlen(reg.cells[i][0]), 6);
        if (reg.cells[i][2][0]) {
            assert_true(find(&reg, reg.cells[i][2]) > 0);
        }
    }
    int cod = find(&pol, "w01018"), so2 = find(&pol, "a21026");
    assert_true(cod > 0 && so2 > 0);
    assert_string_equal(pol.cells[cod][4], "011");
    assert_string_equal(pol.cells[so2][4], "02");
    for (size_t i = 1; i < pol.n_rows; i++) {
        assert_int_equal(find(&pol, pol.cells[i][0]), (int)i);
    }
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_codes),
        cmocka_unit_test(wrong_check_char_names_the_right_one),
        cmocka_unit_test(malformed),
        cmocka_unit_test(code_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
