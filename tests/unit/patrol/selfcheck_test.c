/*
** Self-check generation's pure parts: which duties fall due in a month (monthly every month,
** quarterly in a quarter's last month, yearly in December) and the period each task belongs to;
** a task's due date in working days after the first of the month, over the 2026 holidays
** (国庆节 1–7 October, make-up workday 10 October; 元旦 1–3 January) and a year the calendar
** lacks.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "patrol/patrol.h"

static struct calendar cal;

static int setup(void **state)
{
    (void)state;
    calendar_init(&cal);
    for (int y = 2025; y <= 2026; y++) {
        char path[64], err[256] = "";
        static char buf[1 << 16];
        snprintf(path, sizeof path, "data/calendar/%d.json", y);
        FILE *f = fopen(path, "rb");
        if (!f) {
            fail_msg("cannot open %s (run from the repository root)", path);
        }
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        if (calendar_load_json(&cal, buf, n, NULL, err, sizeof err)) {
            fail_msg("%s: %s", path, err);
        }
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    calendar_free(&cal);
    return 0;
}

static void test_monthly_every_month(void **state)
{
    (void)state;
    char p[8];
    for (int m = 1; m <= 12; m++) {
        char want[8];
        snprintf(want, sizeof want, "2026-%02d", m);
        assert_int_equal(patrol_period_due("monthly", 2026, m, p), 0);
        assert_string_equal(p, want);
    }
}

static void test_quarterly_last_month(void **state)
{
    (void)state;
    char p[8];
    int due = 0;
    for (int m = 1; m <= 12; m++) {
        int rc = patrol_period_due("quarterly", 2026, m, p);
        if (m % 3 == 0) {
            char want[8];
            snprintf(want, sizeof want, "2026Q%d", m / 3);
            assert_int_equal(rc, 0);
            assert_string_equal(p, want);
            due++;
        } else {
            assert_int_equal(rc, 1);
            assert_string_equal(p, "");
        }
    }
    assert_int_equal(due, 4);
}

static void test_yearly_december(void **state)
{
    (void)state;
    char p[8];
    assert_int_equal(patrol_period_due("yearly", 2026, 11, p), 1);
    assert_int_equal(patrol_period_due("yearly", 2026, 1, p), 1);
    assert_int_equal(patrol_period_due("yearly", 2026, 12, p), 0);
    assert_string_equal(p, "2026");
}

static void test_bad_input(void **state)
{
    (void)state;
    char p[8];
    assert_int_equal(patrol_period_due("weekly", 2026, 3, p), ERR_INPUT);
    assert_int_equal(patrol_period_due(NULL, 2026, 3, p), ERR_INPUT);
    assert_int_equal(patrol_period_due("monthly", 2026, 0, p), ERR_INPUT);
    assert_int_equal(patrol_period_due("monthly", 2026, 13, p), ERR_INPUT);
    char d[11];
    assert_int_equal(patrol_selfcheck_due(&cal, 2026, 13, 10, d, NULL), ERR_INPUT);
    assert_int_equal(patrol_selfcheck_due(&cal, 2026, 5, 0, d, NULL), ERR_INPUT);
}

static void test_due_plain_month(void **state)
{
    (void)state;
    char d[11];
    /* 2026-12-01 is a Tuesday: ten workdays later is Tuesday 15 December */
    assert_int_equal(patrol_selfcheck_due(&cal, 2026, 12, 10, d, NULL), 0);
    assert_string_equal(d, "2026-12-15");
}

static void test_due_over_national_day(void **state)
{
    (void)state;
    char d[11];
    /* 1–7 October are holidays; Thursday 8 and Friday 9 work, Saturday 10 is a make-up
       workday: the 1st–3rd workdays after 1 October are the 8th, 9th and 10th */
    assert_int_equal(patrol_selfcheck_due(&cal, 2026, 10, 3, d, NULL), 0);
    assert_string_equal(d, "2026-10-10");
    assert_int_equal(patrol_selfcheck_due(&cal, 2026, 10, 10, d, NULL), 0);
    assert_string_equal(d, "2026-10-20");
}

static void test_due_over_new_year(void **state)
{
    (void)state;
    char d[11];
    /* 1–3 January 2026 are holidays, Sunday 4 January a make-up workday */
    assert_int_equal(patrol_selfcheck_due(&cal, 2026, 1, 1, d, NULL), 0);
    assert_string_equal(d, "2026-01-04");
}

static void test_due_missing_year(void **state)
{
    (void)state;
    char d[11] = "x";
    int missing = 0;
    assert_int_equal(patrol_selfcheck_due(&cal, 2027, 1, 10, d, &missing), ERR_NOTFOUND);
    assert_int_equal(missing, 2027);
    assert_string_equal(d, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_monthly_every_month), cmocka_unit_test(test_quarterly_last_month),
        cmocka_unit_test(test_yearly_december),     cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_due_plain_month),     cmocka_unit_test(test_due_over_national_day),
        cmocka_unit_test(test_due_over_new_year),   cmocka_unit_test(test_due_missing_year),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
