/*
** Working-day calendar: the shipped year files (they parse, make-up days fall on weekends, each
** year's workday count matches the statutory holidays), golden deadlines from rules.md, rolling,
** paused clocks, missing years named by every function, names, date parsing, and rejected
** year files that leave the calendar untouched. Run from the repository root (reads
** data/calendar/YYYY.json).
*/
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "calendar/calendar.h"
#include "core/err.h"

#define FIRST_SHIPPED 2020
#define LAST_SHIPPED 2026

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

/* The shipped file of year into a static buffer (valid until the next call). */
static const char *year_file(int year, size_t *len)
{
    static char buf[1 << 16];
    char path[64];
    snprintf(path, sizeof path, "data/calendar/%d.json", year);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail_msg("cannot open %s (run the test from the repository root)", path);
    }
    *len = fread(buf, 1, sizeof buf - 1, f);
    assert_true(feof(f));
    fclose(f);
    buf[*len] = 0;
    return buf;
}

static int load_str(struct calendar *c, const char *json, char *err, size_t errcap)
{
    int year = 0;
    return calendar_load_json(c, json, strlen(json), &year, err, errcap);
}

static int setup(void **state)
{
    (void)state;
    calendar_init(&cal);
    for (int y = FIRST_SHIPPED; y <= LAST_SHIPPED; y++) {
        char err[256] = "";
        size_t len;
        const char *json = year_file(y, &len);
        int year = 0;
        if (calendar_load_json(&cal, json, len, &year, err, sizeof err)) {
            fail_msg("data/calendar/%d.json: %s", y, err);
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

/* Checked with jansson alone, not through the loader, so a loader bug cannot hide a data bug. */
static void check_year_file(int y)
{
    size_t len;
    const char *text = year_file(y, &len);
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    assert_non_null(root);
    assert_int_equal(json_integer_value(json_object_get(root, "year")), y);
    assert_non_null(strstr(json_string_value(json_object_get(root, "source")), "国务院办公厅"));
    size_t i;
    json_t *v;
    json_array_foreach (json_object_get(root, "workdays"), i, v) {
        int32_t d = D(json_string_value(json_object_get(v, "date")));
        assert_in_range(calendar_weekday(d), 5, 6); /* every make-up workday is Sat or Sun */
        assert_int_equal(calendar_year_of(d), y);
    }
    json_array_foreach (json_object_get(root, "holidays"), i, v) {
        int32_t a = D(json_string_value(json_object_get(v, "from")));
        int32_t b = D(json_string_value(json_object_get(v, "to")));
        assert_in_range(b - a, 0, 10); /* longest so far: 2020 Spring Festival, 10 days */
        assert_non_null(json_string_value(json_object_get(v, "name")));
    }
    json_decref(root);
}

static void shipped_files_are_sound(void **state)
{
    (void)state;
    for (int y = FIRST_SHIPPED; y <= LAST_SHIPPED; y++) {
        check_year_file(y);
        assert_true(calendar_has_year(&cal, y));
    }
    int years[16];
    assert_int_equal(calendar_years(&cal, years, 16), 7);
    assert_int_equal(years[0], 2020);
    assert_int_equal(years[6], 2026);
    assert_int_equal(calendar_years(&cal, years, 2), 2);
}

/*
** 调休 only moves days, so a year has (days - weekend days - statutory holidays) workdays:
** 11 statutory days until 2024, 13 from 2025; in 2020 the Spring Festival extension took two
** more (Friday 01-31 and the cancelled make-up Saturday 02-01).
*/
static void workday_count_matches_statutory_days(void **state)
{
    (void)state;
    for (int y = FIRST_SHIPPED; y <= LAST_SHIPPED; y++) {
        char a[16], b[16];
        snprintf(a, sizeof a, "%d-01-01", y);
        snprintf(b, sizeof b, "%d-12-31", y);
        int weekend = 0, n = 0;
        for (int32_t d = D(a); d <= D(b); d++) {
            weekend += calendar_weekday(d) >= 5;
        }
        int statutory = (y >= 2025 ? 13 : 11) + (y == 2020 ? 2 : 0);
        assert_int_equal(calendar_workdays_between(&cal, D(a) - 1, D(b), &n, NULL), 0);
        if (n != D(b) - D(a) + 1 - weekend - statutory) {
            fail_msg("%d: %d workdays, want %d", y, n, D(b) - D(a) + 1 - weekend - statutory);
        }
    }
}

static void golden_deadlines(void **state)
{
    (void)state;
    int32_t out;
    assert_int_equal(calendar_add_workdays(&cal, D("2026-09-30"), 10, &out, NULL), 0);
    expect_date(out, "2026-10-20");
    assert_int_equal(calendar_add_workdays(&cal, D("2026-02-10"), 20, &out, NULL), 0);
    expect_date(out, "2026-03-16");
    assert_int_equal(calendar_add_workdays(&cal, D("2026-10-09"), 1, &out, NULL), 0);
    expect_date(out, "2026-10-10"); /* the make-up Saturday counts */
    assert_int_equal(calendar_add_workdays(&cal, D("2026-05-06"), 0, &out, NULL), 0);
    expect_date(out, "2026-05-06");
    assert_int_equal(calendar_add_workdays(&cal, D("2026-10-03"), 0, &out, NULL), 0);
    expect_date(out, "2026-10-03"); /* n == 0 is the day itself, even a holiday */
    assert_int_equal(calendar_add_workdays(&cal, D("2019-12-31"), 1, &out, NULL), 0);
    expect_date(out, "2020-01-02"); /* the start day's year need not be loaded */
}

static void workday_rules(void **state)
{
    (void)state;
    struct {
        const char *day;
        bool work;
    } cases[] = {
        {"2026-10-10", true},  /* Saturday make-up day */
        {"2026-10-05", false}, /* National Day, a Monday */
        {"2026-11-21", false}, /* ordinary Saturday */
        {"2026-11-20", true},  /* ordinary Friday */
        {"2026-01-04", true},  /* Sunday make-up day for 元旦 */
        {"2020-01-19", true},  /* Sunday make-up day for the 2020 Spring Festival */
        {"2020-01-31", false}, /* Friday added by the 2020 extension */
        {"2020-02-01", false}, /* make-up Saturday the 2020 extension cancelled */
        {"2020-02-03", true},  /* first day back in 2020 */
        {"2023-01-02", false}, /* New Year range that began on 2022-12-31 */
        {"2022-12-30", true},  /* the Friday before it */
        {"2024-02-09", true},  /* 除夕 2024 was not a statutory holiday */
        {"2025-01-28", false}, /* 除夕 2025 is, since the 2024 revision */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool w = !cases[i].work;
        assert_int_equal(calendar_is_workday(&cal, D(cases[i].day), &w, NULL), 0);
        if (w != cases[i].work) {
            fail_msg("%s: workday %d, want %d", cases[i].day, w, cases[i].work);
        }
    }
}

static void rolling_and_between(void **state)
{
    (void)state;
    int32_t out;
    int n = 99;
    assert_int_equal(calendar_roll_to_workday(&cal, D("2026-10-03"), &out, NULL), 0);
    expect_date(out, "2026-10-08");
    assert_int_equal(calendar_roll_to_workday(&cal, D("2026-10-10"), &out, NULL), 0);
    expect_date(out, "2026-10-10");
    assert_int_equal(calendar_roll_to_workday(&cal, D("2026-11-21"), &out, NULL), 0);
    expect_date(out, "2026-11-23");
    assert_int_equal(calendar_add_days_rolled(&cal, D("2026-09-28"), 5, &out, NULL), 0);
    expect_date(out, "2026-10-08");
    assert_int_equal(calendar_add_days_rolled(&cal, D("2026-09-28"), 0, &out, NULL), 0);
    expect_date(out, "2026-09-28");
    assert_int_equal(calendar_workdays_between(&cal, D("2026-09-30"), D("2026-10-20"), &n, NULL),
                     0);
    assert_int_equal(n, 10);
    assert_int_equal(calendar_workdays_between(&cal, D("2026-10-20"), D("2026-09-30"), &n, NULL),
                     0);
    assert_int_equal(n, -10);
    assert_int_equal(calendar_workdays_between(&cal, D("2026-10-01"), D("2026-10-01"), &n, NULL),
                     0);
    assert_int_equal(n, 0);
    assert_int_equal(calendar_workdays_between(&cal, D("2026-10-02"), D("2026-10-10"), &n, NULL),
                     0);
    assert_int_equal(n, 3); /* 10-08, 10-09 and the make-up Saturday 10-10 */
}

static void paused_clock(void **state)
{
    (void)state;
    int32_t out;
    /* Expert review stops the clock for a working week (2026-03-02..06): five days later. */
    struct calendar_pause week = {D("2026-03-02"), D("2026-03-06")};
    assert_int_equal(calendar_deadline_paused(&cal, D("2026-02-10"), 20, &week, 1, &out, NULL), 0);
    expect_date(out, "2026-03-23");
    /* A pause over non-workdays only (the Spring Festival) changes nothing. */
    struct calendar_pause festival = {D("2026-02-15"), D("2026-02-22")};
    assert_int_equal(calendar_deadline_paused(&cal, D("2026-02-10"), 20, &festival, 1, &out, NULL),
                     0);
    expect_date(out, "2026-03-16");
    /* Overlapping pauses count each day once. */
    struct calendar_pause overlap[] = {{D("2026-03-02"), D("2026-03-04")},
                                       {D("2026-03-03"), D("2026-03-06")}};
    assert_int_equal(calendar_deadline_paused(&cal, D("2026-02-10"), 20, overlap, 2, &out, NULL),
                     0);
    expect_date(out, "2026-03-23");
    /* A pause over the make-up Saturday 02-14 stops the clock on that workday too. */
    struct calendar_pause makeup[] = {{D("2026-02-14"), D("2026-02-14")},
                                      {D("2026-03-02"), D("2026-03-06")}};
    assert_int_equal(calendar_deadline_paused(&cal, D("2026-02-10"), 20, makeup, 2, &out, NULL), 0);
    expect_date(out, "2026-03-24");
    assert_int_equal(calendar_deadline_paused(&cal, D("2026-02-10"), 20, NULL, 0, &out, NULL), 0);
    expect_date(out, "2026-03-16");
    struct calendar_pause backwards = {D("2026-03-06"), D("2026-03-02")};
    assert_int_equal(calendar_deadline_paused(&cal, D("2026-02-10"), 20, &backwards, 1, &out, NULL),
                     ERR_INPUT);
}

static void missing_year_is_named(void **state)
{
    (void)state;
    int32_t out;
    int missing = 0, n;
    bool w;
    assert_int_equal(calendar_is_workday(&cal, D("2019-06-03"), &w, &missing), ERR_NOTFOUND);
    assert_int_equal(missing, 2019);
    missing = 0;
    assert_int_equal(calendar_add_workdays(&cal, D("2026-12-25"), 10, &out, &missing),
                     ERR_NOTFOUND);
    assert_int_equal(missing, 2027);
    missing = 0;
    assert_int_equal(
        calendar_workdays_between(&cal, D("2019-12-20"), D("2020-01-10"), &n, &missing),
        ERR_NOTFOUND);
    assert_int_equal(missing, 2019);
    missing = 0;
    assert_int_equal(calendar_roll_to_workday(&cal, D("2027-01-01"), &out, &missing), ERR_NOTFOUND);
    assert_int_equal(missing, 2027);
    missing = 0;
    assert_int_equal(calendar_add_days_rolled(&cal, D("2026-12-20"), 30, &out, &missing),
                     ERR_NOTFOUND);
    assert_int_equal(missing, 2027);
    missing = 0;
    struct calendar_pause p = {D("2026-12-01"), D("2026-12-31")};
    assert_int_equal(calendar_deadline_paused(&cal, D("2026-11-30"), 1, &p, 1, &out, &missing),
                     ERR_NOTFOUND);
    assert_int_equal(missing, 2027);
    /* NULL is allowed for missing_year. */
    assert_int_equal(calendar_is_workday(&cal, D("2030-01-02"), &w, NULL), ERR_NOTFOUND);
}

static void bad_arguments(void **state)
{
    (void)state;
    int32_t out;
    bool w;
    assert_int_equal(calendar_add_workdays(&cal, D("2026-03-02"), -1, &out, NULL), ERR_INPUT);
    assert_int_equal(calendar_add_days_rolled(&cal, D("2026-03-02"), -1, &out, NULL), ERR_INPUT);
    assert_int_equal(calendar_add_days_rolled(&cal, D("2026-03-02"), INT32_MAX, &out, NULL),
                     ERR_INPUT);
    assert_int_equal(calendar_is_workday(&cal, INT32_MAX, &w, NULL), ERR_INPUT);
    assert_int_equal(calendar_roll_to_workday(&cal, INT32_MIN, &out, NULL), ERR_INPUT);
    assert_null(calendar_holiday_name(&cal, INT32_MAX));
}

static void holiday_names(void **state)
{
    (void)state;
    /* Regression: names were cut to 15 bytes, giving "国庆节、中" for this one. */
    assert_string_equal(calendar_holiday_name(&cal, D("2025-10-08")), "国庆节、中秋节");
    assert_string_equal(calendar_holiday_name(&cal, D("2026-10-10")), "国庆节调休");
    assert_string_equal(calendar_holiday_name(&cal, D("2022-12-31")), "元旦");
    assert_null(calendar_holiday_name(&cal, D("2026-11-20")));
    assert_null(calendar_holiday_name(&cal, D("2019-10-01")));
}

static void date_parsing(void **state)
{
    (void)state;
    int32_t d = 0;
    const char *bad[] = {"2026-02-30", "2026-13-01", "2026-1-01",  "20260101",   "2026/01/01",
                         "2025-02-29", "abcd-ef-gh", "2026-00-10", "2100-02-29", "0000-01-01",
                         "+026-01-01", "2026-+1-01", "2026-01- 1", "2026-01-1 ", " 2026-01-1",
                         "2026-04-31", "",           "2026-01-011"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (calendar_date_parse(bad[i], strlen(bad[i]), &d) != ERR_INPUT) {
            fail_msg("accepted \"%s\"", bad[i]);
        }
    }
    assert_int_equal(calendar_date_parse("2026-01-01xyz", 10, &d), 0); /* n bytes, not NUL */
    expect_date(d, "2026-01-01");
    assert_int_equal(calendar_date_parse("2024-02-29", 10, &d), 0);
    expect_date(d, "2024-02-29");
    assert_int_equal(D("1970-01-01"), 0);
    assert_int_equal(D("1969-12-31"), -1);
    assert_int_equal(D("2000-03-01") - D("2000-02-28"), 2);
    assert_int_equal(calendar_weekday(D("2026-11-22")), 6); /* Sunday */
    assert_int_equal(calendar_weekday(D("1969-12-29")), 0); /* Monday, before day 0 */
    assert_int_equal(calendar_year_of(D("2026-12-31")), 2026);
    assert_int_equal(calendar_year_of(D("2027-01-01")), 2027);
    char out[11];
    calendar_date_format(INT32_MAX, out);
    assert_string_equal(out, "0000-00-00");
}

/* format and parse are inverse over the loadable years, and weekdays cycle. */
static void date_round_trip(void **state)
{
    (void)state;
    char iso[11];
    for (int32_t d = D("1970-01-01"); d <= D("2199-12-31"); d++) {
        int32_t back = -1;
        calendar_date_format(d, iso);
        if (calendar_date_parse(iso, 10, &back) || back != d) {
            fail_msg("day %d formats as %s, parses as %d", d, iso, back);
        }
        assert_int_equal(calendar_weekday(d), (calendar_weekday(d - 1) + 1) % 7);
    }
}

static void invalid_year_files(void **state)
{
    (void)state;
    struct {
        const char *json, *msg;
    } cases[] = {
        {"{\"year\":2027,\"source\":\"s\",\"holidays\":[],\"workdays\":[{\"date\":\"2027-01-06\","
         "\"name\":\"x\"}]}",
         "weekday"},
        {"{\"year\":2027,\"source\":\"s\",\"holidays\":[],\"workdays\":[{\"date\":\"2026-12-26\","
         "\"name\":\"x\"}]}",
         "not in 2027"},
        {"{\"year\":2027,\"source\":\"s\",\"holidays\":[{\"name\":\"h\",\"from\":\"2027-01-02\","
         "\"to\":\"2027-01-03\"}],\"workdays\":[{\"date\":\"2027-01-02\",\"name\":\"m\"}]}",
         "both a holiday and a make-up"},
        {"{\"year\":2027,\"source\":\"s\",\"holidays\":[{\"name\":\"a\",\"from\":\"2027-01-01\","
         "\"to\":\"2027-01-03\"},{\"name\":\"b\",\"from\":\"2027-01-03\",\"to\":\"2027-01-04\"}],"
         "\"workdays\":[]}",
         "listed twice"},
        {"{\"year\":2027,\"source\":\"s\",\"holidays\":[{\"name\":\"h\",\"from\":\"2027-10-07\","
         "\"to\":\"2027-10-01\"}],\"workdays\":[]}",
         "forwards"},
        {"{\"year\":2027,\"source\":\"s\",\"holidays\":[{\"name\":\"h\",\"from\":\"2027-01-01\","
         "\"to\":\"2027-02-01\"}],\"workdays\":[]}",
         "at most 20 days"},
        {"{\"year\":2027,\"source\":\"s\",\"holidays\":[{\"name\":\"h\",\"from\":\"2026-10-01\","
         "\"to\":\"2026-10-07\"}],\"workdays\":[]}",
         "include days of 2027"},
        {"{\"year\":2027,\"source\":\"s\",\"holidays\":[{\"name\":\"h\",\"from\":\"2027-02-30\","
         "\"to\":\"2027-03-01\"}],\"workdays\":[]}",
         "holidays[0]"},
        {"{\"year\":2027,\"source\":\"s\",\"holidays\":[{\"from\":\"2027-01-01\",\"to\":"
         "\"2027-01-01\"}],\"workdays\":[]}",
         "\"name\""},
        {"{\"year\":2027,\"holidays\":[],\"workdays\":[]}", "\"source\""},
        {"{\"year\":2027,\"source\":\"s\",\"holidays\":[]}", "arrays"},
        {"{\"year\":\"2027\",\"source\":\"s\",\"holidays\":[],\"workdays\":[]}", "\"year\""},
        {"{\"year\":1969,\"source\":\"s\",\"holidays\":[],\"workdays\":[]}", "1970"},
        {"{\"year\":2027,\"year\":2028,\"source\":\"s\",\"holidays\":[],\"workdays\":[]}",
         "duplicate"},
        {"{\"year\":2027,\"source\":\"s\",\"holidays\":[],\"workdays\":[\"2027-01-09\"]}",
         "workdays[0]"},
        {"[]", "JSON object"},
        {"{\"year\":2027", "JSON object"},
    };
    struct calendar c;
    calendar_init(&c);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "";
        if (load_str(&c, cases[i].json, err, sizeof err) != ERR_INPUT ||
            !strstr(err, cases[i].msg)) {
            fail_msg("case %zu: want ERR_INPUT with \"%s\", got \"%s\"", i, cases[i].msg, err);
        }
    }
    assert_int_equal(calendar_years(&c, (int[4]){0}, 4), 0);
    /* A name of 63 bytes fits; 64 does not (no silent truncation). */
    char json[512], name[80];
    memset(name, 'n', 64);
    name[64] = 0;
    snprintf(json, sizeof json,
             "{\"year\":2027,\"source\":\"s\",\"holidays\":[{\"name\":\"%s\",\"from\":"
             "\"2027-01-01\",\"to\":\"2027-01-01\"}],\"workdays\":[]}",
             name);
    assert_int_equal(load_str(&c, json, NULL, 0), ERR_INPUT);
    name[63] = 0;
    snprintf(json, sizeof json,
             "{\"year\":2027,\"source\":\"s\",\"holidays\":[{\"name\":\"%s\",\"from\":"
             "\"2027-01-01\",\"to\":\"2027-01-01\"}],\"workdays\":[]}",
             name);
    assert_int_equal(load_str(&c, json, NULL, 0), 0);
    assert_string_equal(calendar_holiday_name(&c, D("2027-01-01")), name);
    calendar_free(&c);
}

/* A rejected file leaves the loaded year as it was; an accepted one replaces it whole. */
static void replace_is_atomic(void **state)
{
    (void)state;
    struct calendar c;
    calendar_init(&c);
    char err[256];
    bool w = true;
    const char *v1 = "{\"year\":2027,\"source\":\"s\",\"holidays\":[{\"name\":\"元旦\",\"from\":"
                     "\"2026-12-31\",\"to\":\"2027-01-03\"}],\"workdays\":[]}";
    assert_int_equal(load_str(&c, v1, err, sizeof err), 0);
    assert_false(calendar_has_year(&c, 2026)); /* only the days inside 2027 are taken */
    assert_int_equal(calendar_is_workday(&c, D("2027-01-01"), &w, NULL), 0);
    assert_false(w);
    const char *bad = "{\"year\":2027,\"source\":\"s\",\"holidays\":[{\"name\":\"x\",\"from\":"
                      "\"2027-01-05\",\"to\":\"2027-01-05\"}],\"workdays\":[{\"date\":"
                      "\"2027-01-06\",\"name\":\"y\"}]}";
    assert_int_equal(load_str(&c, bad, err, sizeof err), ERR_INPUT);
    assert_int_equal(calendar_is_workday(&c, D("2027-01-05"), &w, NULL), 0);
    assert_true(w); /* the rejected file's holiday did not leak in */
    assert_int_equal(calendar_is_workday(&c, D("2027-01-01"), &w, NULL), 0);
    assert_false(w);
    const char *v2 = "{\"year\":2027,\"source\":\"s\",\"holidays\":[],\"workdays\":[{\"date\":"
                     "\"2027-01-09\",\"name\":\"调休\"}]}";
    assert_int_equal(load_str(&c, v2, err, sizeof err), 0);
    assert_int_equal(calendar_is_workday(&c, D("2027-01-01"), &w, NULL), 0);
    assert_true(w); /* v1's holiday is gone */
    assert_int_equal(calendar_is_workday(&c, D("2027-01-09"), &w, NULL), 0);
    assert_true(w);
    calendar_free(&c);
    assert_false(calendar_has_year(&c, 2027));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_files_are_sound),
        cmocka_unit_test(workday_count_matches_statutory_days),
        cmocka_unit_test(golden_deadlines),
        cmocka_unit_test(workday_rules),
        cmocka_unit_test(rolling_and_between),
        cmocka_unit_test(paused_clock),
        cmocka_unit_test(missing_year_is_named),
        cmocka_unit_test(bad_arguments),
        cmocka_unit_test(holiday_names),
        cmocka_unit_test(date_parsing),
        cmocka_unit_test(date_round_trip),
        cmocka_unit_test(invalid_year_files),
        cmocka_unit_test(replace_is_atomic),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
