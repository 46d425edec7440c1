/*
** The no-penalty list, pure, on the shipped penalty.exempt: every shipped item passes on facts
** that meet it and fails when one condition fails (each failing condition named, its value
** shown); the first-violation window from history; unknown facts (no monitoring data) fail as
** unknown; an item applies only to its violation types; the exceedance summary from hourly
** readings (max multiple, hours in a day, one factor, toxic); the date helpers.
*/
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "penalty/penalty.h"
#include "rules/rules.h"

static json_t *disc_body, *body;
static struct pen_discretion D;

static int setup(void **state)
{
    disc_body = rules_shipped_body("penalty.discretion");
    body = rules_shipped_body("penalty.exempt");
    assert_non_null(disc_body);
    assert_non_null(body);
    const char *field;
    assert_int_equal(pen_discretion_parse(disc_body, &D, &field), 0);
    assert_int_equal(pen_exempt_check(body, &field), 0);
    return 0;
}

static int teardown(void **state)
{
    json_decref(body);
    json_decref(disc_body);
    return 0;
}

static const json_t *item(const char *code)
{
    size_t i;
    const json_t *it;
    json_array_foreach (json_object_get(body, "items"), i, it) {
        if (!strcmp(json_string_value(json_object_get(it, "code")), code)) {
            return it;
        }
    }
    fail_msg("no item %s", code);
    return NULL;
}

/* Facts meeting every shipped item's conditions for violation type vt. */
static struct pen_facts good(const char *vt)
{
    return (struct pen_facts){.violation_type = vt,
                              .found_on = "2026-11-10",
                              .last_same_type = "",
                              .harm_level = 0,
                              .harm_factor = "harm",
                              .discretion = &D,
                              .corrected_days = 3,
                              .have_monitoring = true,
                              .exceed_multiple = 0.05,
                              .exceed_hours = 2,
                              .exceed_factors = 1,
                              .toxic = false,
                              .have_hw = true,
                              .hw_tonnes_year = 0.5};
}

/* The facts of the failing conditions, comma-joined ("" when it passed). */
static const char *failing(const char *code, const struct pen_facts *f, bool *passed)
{
    static char out[200];
    struct pen_item_eval e;
    const char *field = "x";
    assert_int_equal(pen_exempt_eval_item(item(code), f, &e, &field), 0);
    assert_true(e.applies);
    out[0] = 0;
    for (int i = 0; i < e.n_conds; i++) {
        assert_true(strlen(e.conds[i].zh) > 0 && strlen(e.conds[i].en) > 0);
        if (e.conds[i].verdict != PV_PASS) {
            snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", out[0] ? "," : "",
                     e.conds[i].fact);
        }
    }
    *passed = e.passed;
    return out;
}

static void test_first_air_exceed(void **state)
{
    struct pen_facts f = good("air_exceed");
    bool ok;
    assert_string_equal(failing("first_air_exceed", &f, &ok), "");
    assert_true(ok);
    f.exceed_multiple = 0.25; /* 0.25× over the limit: above 0.1 */
    assert_string_equal(failing("first_air_exceed", &f, &ok), "exceed_multiple");
    assert_false(ok);
    f = good("air_exceed");
    f.exceed_hours = 5;
    assert_string_equal(failing("first_air_exceed", &f, &ok), "exceed_hours");
    f = good("air_exceed");
    f.toxic = true;
    f.exceed_factors = 2;
    assert_string_equal(failing("first_air_exceed", &f, &ok), "toxic,exceed_factors");
    f = good("air_exceed");
    f.last_same_type = "2025-12-01"; /* within 24 months of 2026-11-10 */
    assert_string_equal(failing("first_air_exceed", &f, &ok), "first_violation");
    f.last_same_type = "2024-11-09"; /* one day before the window */
    assert_string_equal(failing("first_air_exceed", &f, &ok), "");
    f.last_same_type = "2024-11-10"; /* the window's first day counts */
    assert_string_equal(failing("first_air_exceed", &f, &ok), "first_violation");
    f = good("air_exceed");
    f.have_monitoring = false; /* no data: the monitoring conditions are not met */
    assert_string_equal(failing("first_air_exceed", &f, &ok),
                        "toxic,exceed_factors,exceed_multiple,exceed_hours");
    assert_false(ok);
}

static void test_first_water_exceed(void **state)
{
    struct pen_facts f = good("water_exceed");
    bool ok;
    assert_string_equal(failing("first_water_exceed", &f, &ok), "");
    assert_true(ok);
    f.corrected_days = -1; /* not yet corrected */
    assert_string_equal(failing("first_water_exceed", &f, &ok), "corrected_days");
    assert_false(ok);
    f = good("water_exceed");
    f.harm_level = 2; /* "general" harm */
    assert_string_equal(failing("first_water_exceed", &f, &ok), "harm_level");
}

static void test_hw_label_missing(void **state)
{
    struct pen_facts f = good("hw_label");
    bool ok;
    assert_string_equal(failing("hw_label_missing", &f, &ok), "");
    assert_true(ok);
    f.hw_tonnes_year = 1.5;
    f.corrected_days = 6;
    assert_string_equal(failing("hw_label_missing", &f, &ok), "hw_tonnes_year,corrected_days");
    f = good("hw_label");
    f.have_hw = false; /* amount not entered */
    assert_string_equal(failing("hw_label_missing", &f, &ok), "hw_tonnes_year");
    f = good("hw_label");
    f.harm_level = 1; /* minor harm is not "no harm" */
    assert_string_equal(failing("hw_label_missing", &f, &ok), "harm_level");
    assert_false(ok);
}

static void test_ledger_minor(void **state)
{
    struct pen_facts f = good("ledger");
    bool ok;
    assert_string_equal(failing("ledger_minor", &f, &ok), "");
    assert_true(ok);
    f.last_same_type = "2026-03-01"; /* within 12 months */
    f.harm_level = -1;               /* not assessed */
    assert_string_equal(failing("ledger_minor", &f, &ok), "first_violation,harm_level");
    assert_false(ok);
}

static void test_self_monitoring_first(void **state)
{
    struct pen_facts f = good("self_monitoring");
    bool ok;
    f.corrected_days = 15;
    assert_string_equal(failing("self_monitoring_first", &f, &ok), "");
    assert_true(ok);
    f.corrected_days = 16;
    assert_string_equal(failing("self_monitoring_first", &f, &ok), "corrected_days");
    assert_false(ok);
}

static void test_every_item_tested(void **state)
{
    /* the tests above cover every shipped item: a new item needs its own test */
    static const char *const covered[] = {"first_air_exceed", "first_water_exceed",
                                          "hw_label_missing", "ledger_minor",
                                          "self_monitoring_first"};
    size_t i;
    const json_t *it;
    json_array_foreach (json_object_get(body, "items"), i, it) {
        const char *code = json_string_value(json_object_get(it, "code"));
        bool found = false;
        for (size_t k = 0; k < sizeof covered / sizeof *covered; k++) {
            found |= !strcmp(covered[k], code);
        }
        assert_true(found);
        /* and each item names violation types the discretion rule set has */
        size_t j;
        const json_t *t;
        json_array_foreach (json_object_get(it, "violation_types"), j, t) {
            struct pen_violation v;
            assert_int_equal(pen_violation_find(&D, json_string_value(t), &v), 0);
        }
    }
}

static void test_applies_and_text(void **state)
{
    struct pen_facts f = good("water_exceed");
    struct pen_item_eval e;
    const char *field;
    assert_int_equal(pen_exempt_eval_item(item("first_air_exceed"), &f, &e, &field), 0);
    assert_false(e.applies);
    assert_false(e.passed); /* all conditions hold, but the item is not for water */
    f = good("air_exceed");
    f.exceed_multiple = 0.3;
    assert_int_equal(pen_exempt_eval_item(item("first_air_exceed"), &f, &e, &field), 0);
    bool saw = false;
    for (int i = 0; i < e.n_conds; i++) {
        if (!strcmp(e.conds[i].fact, "exceed_multiple")) {
            assert_string_equal(e.conds[i].zh, "小时均值超标倍数不超过 0.1 倍：实测 0.3 倍");
            saw = true;
        }
    }
    assert_true(saw);
    /* a malformed item names its field */
    json_t *bad = json_loads("{\"code\":\"x\",\"violation_types\":[\"ledger\"],"
                             "\"conditions\":[{\"fact\":\"weather\",\"max\":1}]}",
                             0, NULL);
    assert_int_equal(pen_exempt_eval_item(bad, &f, &e, &field), ERR_INPUT);
    assert_string_equal(field, "items.conditions.fact");
    json_decref(bad);
}

static void test_exceed_summary(void **state)
{
    json_t *toxic = json_object_get(body, "toxic_factors");
    struct pen_reading r[] = {
        {"a21026", "2026-11-10", 8, 30, 35},  /* SO2 +16.7 % */
        {"a21026", "2026-11-10", 9, 31, 35},  /* below */
        {"a21026", "2026-11-10", 10, 36, 35}, /* +2.9 % */
        {"a21002", "2026-11-10", 10, 40, 50}, /* NOx below */
        {"a21026", "2026-11-11", 3, 36, 35},  /* the next day, one hour */
        {"a21026", "2026-11-10", 11, 20, 0},  /* no limit: ignored */
    };
    r[0].value = 40.85;
    struct pen_facts f = {0};
    pen_exceed_summarize(r, 6, toxic, &f);
    assert_true(f.have_monitoring);
    assert_int_equal(f.exceed_factors, 1);
    assert_true(f.exceed_multiple > 0.166 && f.exceed_multiple < 0.168);
    assert_true(f.exceed_hours == 2);
    assert_false(f.toxic);
    struct pen_reading t[] = {{"w20111", "2026-11-10", 1, 0.002, 0.001}};
    pen_exceed_summarize(t, 1, toxic, &f);
    assert_true(f.toxic);
    struct pen_reading none[] = {{"a21026", "2026-11-10", 1, 20, 0}};
    pen_exceed_summarize(none, 1, toxic, &f);
    assert_false(f.have_monitoring);
}

static void test_dates(void **state)
{
    char out[11];
    assert_int_equal(pen_date_add("2026-12-30", 3, out), 0);
    assert_string_equal(out, "2027-01-02");
    int n;
    assert_int_equal(pen_days_between("2026-02-27", "2026-03-02", &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(pen_date_minus_months("2026-03-31", 1, out), 0);
    assert_string_equal(out, "2026-02-28");
    assert_int_equal(pen_date_minus_months("2026-01-15", 24, out), 0);
    assert_string_equal(out, "2024-01-15");
    assert_int_equal(pen_date_add("2026-13-01", 1, out), ERR_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_air_exceed),
        cmocka_unit_test(test_first_water_exceed),
        cmocka_unit_test(test_hw_label_missing),
        cmocka_unit_test(test_ledger_minor),
        cmocka_unit_test(test_self_monitoring_first),
        cmocka_unit_test(test_every_item_tested),
        cmocka_unit_test(test_applies_and_text),
        cmocka_unit_test(test_exceed_summary),
        cmocka_unit_test(test_dates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
