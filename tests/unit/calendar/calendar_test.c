/*
** Working-day calendar: golden deadlines from rules.md, make-up workdays, rolling, paused
** clocks, missing years named, date parsing, and every shipped year file loading.
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

static struct calendar cal;

static int32_t D(const char *s)
{
    int32_t d = 0;
    assert_int_equal(calendar_date_parse(s, strlen(s), &d), 0);
    return d;
}

static void expect_date(int32_t day, const char *want)
{
    char got[11];
    calendar_date_format(day, got);
    assert_string_equal(got, want);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    *len = fread(buf, 1, sizeof buf - 1, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

static int setup(void **state)
{
    (void)state;
    calendar_init(&cal);
    for (int y = 2020; y <= 2026; y++) {
        char path[64], err[256];
        snprintf(path, sizeof path, "data/calendar/%d.json", y);
        size_t len;
        char *json = slurp(path, &len);
        int year = 0;
        int rc = calendar_load_json(&cal, json, len, &year, err, sizeof err);
        if (rc) {
            fail_msg("%s: %s", path, err);
        }
        assert_int_equal(year, y);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    calendar_free(&cal);
    return 0;
}

static void golden_deadlines(void **state)
{
    (void)state;
    int32_t out;
    assert_int_equal(calendar_add_workdays(&cal, D("2026-09-30"), 10, &out, NULL), 0);
    expect_date(out, "2026-10-20");
    assert_int_equal(calendar_add_workdays(&cal, D("2026-02-10"), 20, &out, NULL), 0);
    expect_date(out, "2026-03-16");
    assert_int_equal(calendar_add_workdays(&cal, D("2026-05-06"), 0, &out, NULL), 0);
    expect_date(out, "2026-05-06");
}

static void workday_rules(void **state)
{
    (void)state;
    bool w;
    assert_int_equal(calendar_is_workday(&cal, D("2026-10-10"), &w, NULL), 0);
    assert_true(w); /* Saturday make-up day */
    assert_int_equal(calendar_is_workday(&cal, D("2026-10-05"), &w, NULL), 0);
    assert_false(w); /* National Day, a Monday */
    assert_int_equal(calendar_is_workday(&cal, D("2026-11-21"), &w, NULL), 0);
    assert_false(w); /* ordinary Saturday */
    assert_int_equal(calendar_is_workday(&cal, D("2020-02-01"), &w, NULL), 0);
    assert_false(w); /* 2020 Spring Festival extension cancelled this make-up day */
    assert_int_equal(calendar_is_workday(&cal, D("2023-01-02"), &w, NULL), 0);
    assert_false(w); /* New Year range that began on 2022-12-31 */
}

static void rolling_and_between(void **state)
{
    (void)state;
    int32_t out;
    int n;
    assert_int_equal(calendar_roll_to_workday(&cal, D("2026-10-03"), &out, NULL), 0);
    expect_date(out, "2026-10-08");
    assert_int_equal(calendar_add_days_rolled(&cal, D("2026-09-28"), 5, &out, NULL), 0);
    expect_date(out, "2026-10-08");
    assert_int_equal(calendar_workdays_between(&cal, D("2026-09-30"), D("2026-10-20"), &n, NULL),
                     0);
    assert_int_equal(n, 10);
    assert_int_equal(calendar_workdays_between(&cal, D("2026-10-20"), D("2026-09-30"), &n, NULL),
                     0);
    assert_int_equal(n, -10);
}

static void paused_clock(void **state)
{
    (void)state;
    int32_t out;
    /* Expert review pauses the clock for a whole working week (2026-03-02..06). */
    struct calendar_pause p = {D("2026-03-02"), D("2026-03-06")};
    assert_int_equal(calendar_deadline_paused(&cal, D("2026-02-10"), 20, &p, 1, &out, NULL), 0);
    expect_date(out, "2026-03-23");
}

static void missing_year_is_named(void **state)
{
    (void)state;
    int32_t out;
    int missing = 0;
    bool w;
    assert_int_equal(calendar_is_workday(&cal, D("2019-06-03"), &w, &missing), ERR_NOTFOUND);
    assert_int_equal(missing, 2019);
    missing = 0;
    assert_int_equal(calendar_add_workdays(&cal, D("2026-12-25"), 10, &out, &missing),
                     ERR_NOTFOUND);
    assert_int_equal(missing, 2027);
}

static void date_parsing(void **state)
{
    (void)state;
    int32_t d;
    const char *bad[] = {"2026-02-30", "2026-13-01", "2026-1-01",  "20260101",   "2026/01/01",
                         "2025-02-29", "abcd-ef-gh", "2026-00-10", "1969-12-31", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(calendar_date_parse(bad[i], strlen(bad[i]), &d), ERR_INPUT);
    }
    assert_int_equal(calendar_date_parse("2024-02-29", 10, &d), 0);
    expect_date(d, "2024-02-29");
    assert_int_equal(calendar_weekday(D("2026-11-22")), 6); /* Sunday */
    assert_int_equal(calendar_year_of(D("2026-12-31")), 2026);
}

static void invalid_year_files(void **state)
{
    (void)state;
    struct calendar c;
    calendar_init(&c);
    char err[256];
    int year;
    const char *weekday_makeup =
        "{\"year\":2027,\"holidays\":[],\"workdays\":[{\"date\":\"2027-01-06\"}]}";
    assert_int_equal(
        calendar_load_json(&c, weekday_makeup, strlen(weekday_makeup), &year, err, sizeof err),
        ERR_INPUT);
    assert_non_null(strstr(err, "weekday"));
    const char *other_year = "{\"year\":2027,\"holidays\":[],\"workdays\":[\"2026-10-10\"]}";
    assert_int_equal(calendar_load_json(&c, other_year, strlen(other_year), &year, err, sizeof err),
                     ERR_INPUT);
    const char *both = "{\"year\":2027,\"holidays\":[{\"name\":\"x\",\"from\":\"2027-01-02\","
                       "\"to\":\"2027-01-03\"}],\"workdays\":[\"2027-01-02\"]}";
    assert_int_equal(calendar_load_json(&c, both, strlen(both), &year, err, sizeof err), ERR_INPUT);
    assert_int_equal(calendar_load_json(&c, "[]", 2, &year, err, sizeof err), ERR_INPUT);
    assert_false(calendar_has_year(&c, 2027));
    calendar_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_deadlines),      cmocka_unit_test(workday_rules),
        cmocka_unit_test(rolling_and_between),   cmocka_unit_test(paused_clock),
        cmocka_unit_test(missing_year_is_named), cmocka_unit_test(date_parsing),
        cmocka_unit_test(invalid_year_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
