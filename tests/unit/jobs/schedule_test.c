/*
** Schedule arithmetic of jobs (src/jobs/schedule.c): slots of "every", "daily" and "monthly"
** in China time, across day, month and year ends and February of leap and common years.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "jobs/jobs.h"

/* Unix seconds of a China-time wall clock (UTC+8). */
static int64_t cn(int y, int mo, int d, int h, int mi, int s)
{
    /* days from civil, as the module does, but written independently via a month table */
    static const int cum[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    int64_t days = 0;
    for (int yy = 1970; yy < y; yy++) {
        days += (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0 ? 366 : 365;
    }
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    days += cum[mo - 1] + (leap && mo > 2) + d - 1;
    return days * 86400 + h * 3600 + mi * 60 + s - 8 * 3600;
}

static struct job_schedule parse(const char *text)
{
    struct job_schedule s;
    char err[200];
    assert_int_equal(job_schedule_parse(text, &s, err, sizeof err), 0);
    return s;
}

static void test_every(void **state)
{
    (void)state;
    struct job_schedule s = parse("every 60");
    assert_int_equal(job_schedule_next(&s, 120), 180);
    assert_int_equal(job_schedule_next(&s, 121), 180);
    assert_int_equal(job_schedule_next(&s, 179), 180);
    s = parse("every 1");
    assert_int_equal(job_schedule_next(&s, 1000), 1001);
    /* an hourly job falls on the hour, whatever the process start time */
    s = parse("every 3600");
    assert_int_equal(job_schedule_next(&s, cn(2026, 12, 3, 21, 5, 7)), cn(2026, 12, 3, 22, 0, 0));
}

static void test_daily(void **state)
{
    (void)state;
    struct job_schedule s = parse("daily 02:30");
    /* before, at and after the slot; 02:30 China time is 18:30 UTC the day before */
    assert_int_equal(job_schedule_next(&s, cn(2026, 12, 3, 1, 0, 0)), cn(2026, 12, 3, 2, 30, 0));
    assert_int_equal(job_schedule_next(&s, cn(2026, 12, 3, 2, 30, 0)), cn(2026, 12, 4, 2, 30, 0));
    assert_int_equal(job_schedule_next(&s, cn(2026, 12, 3, 23, 59, 59)), cn(2026, 12, 4, 2, 30, 0));
    /* across the year end */
    assert_int_equal(job_schedule_next(&s, cn(2026, 12, 31, 3, 0, 0)), cn(2027, 1, 1, 2, 30, 0));
    s = parse("daily 23:45");
    assert_int_equal(job_schedule_next(&s, cn(2027, 2, 28, 23, 50, 0)), cn(2027, 3, 1, 23, 45, 0));
    assert_int_equal(job_schedule_next(&s, cn(2028, 2, 28, 23, 50, 0)), cn(2028, 2, 29, 23, 45, 0));
    s = parse("daily 00:00");
    assert_int_equal(job_schedule_next(&s, cn(2026, 12, 3, 12, 0, 0)), cn(2026, 12, 4, 0, 0, 0));
}

static void test_monthly(void **state)
{
    (void)state;
    struct job_schedule s = parse("monthly 1 03:00");
    assert_int_equal(job_schedule_next(&s, cn(2026, 12, 3, 0, 0, 0)), cn(2027, 1, 1, 3, 0, 0));
    assert_int_equal(job_schedule_next(&s, cn(2027, 1, 1, 2, 59, 59)), cn(2027, 1, 1, 3, 0, 0));
    assert_int_equal(job_schedule_next(&s, cn(2027, 1, 1, 3, 0, 0)), cn(2027, 2, 1, 3, 0, 0));
    /* day 31 runs on the last day of shorter months */
    s = parse("monthly 31 08:00");
    assert_int_equal(job_schedule_next(&s, cn(2027, 1, 31, 9, 0, 0)), cn(2027, 2, 28, 8, 0, 0));
    assert_int_equal(job_schedule_next(&s, cn(2028, 1, 31, 9, 0, 0)), cn(2028, 2, 29, 8, 0, 0));
    assert_int_equal(job_schedule_next(&s, cn(2027, 2, 28, 8, 0, 0)), cn(2027, 3, 31, 8, 0, 0));
    assert_int_equal(job_schedule_next(&s, cn(2027, 4, 2, 0, 0, 0)), cn(2027, 4, 30, 8, 0, 0));
    /* the China-time month: 1 Dec 00:30 China time is still 30 Nov in UTC */
    s = parse("monthly 1 00:30");
    assert_int_equal(job_schedule_next(&s, cn(2026, 11, 30, 23, 0, 0)), cn(2026, 12, 1, 0, 30, 0));
    assert_int_equal(job_schedule_next(&s, cn(2026, 12, 31, 23, 0, 0)), cn(2027, 1, 1, 0, 30, 0));
}

static void test_parse_errors(void **state)
{
    (void)state;
    const char *bad[] = {"",
                         "every",
                         "every 0",
                         "every -5",
                         "every 1s",
                         "daily 24:00",
                         "daily 2:30",
                         "daily 02:60",
                         "weekly 1",
                         "monthly 0 03:00",
                         "monthly 32 03:00",
                         "monthly 1",
                         "daily 02:30 extra"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct job_schedule s;
        char err[200] = "";
        assert_int_equal(job_schedule_parse(bad[i], &s, err, sizeof err), ERR_INPUT);
        assert_non_null(strstr(err, "daily HH:MM"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every),
        cmocka_unit_test(test_daily),
        cmocka_unit_test(test_monthly),
        cmocka_unit_test(test_parse_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
