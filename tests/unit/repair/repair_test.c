/*
** The repair conditions evaluated from facts, on the shipped credit.repair body (read from the
** embedded data/rules file as the seed loads it): the minimum publicity served on the exact day
** (3 months for a penalty, the month's end), rectification verified (none on record, some not
** verified, all verified, not required), a repeat of the same violation inside and outside the
** year after an earlier repair, a veto item in force, a type the rule set does not repair, and
** the JSON the API and the pages read. No database.
*/
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/embed.h"
#include "core/err.h"
#include "repair/repair.h"

static struct repair_rules R;

static int setup(void **state)
{
    (void)state;
    const struct embed_file *f = embed_find("data/rules/credit.repair.json");
    assert_non_null(f);
    json_t *doc = json_loadb((const char *)f->data, f->size, 0, NULL);
    assert_non_null(doc);
    const json_t *v = json_array_get(json_object_get(doc, "versions"), 0);
    char err[200];
    assert_int_equal(repair_rules_parse(json_object_get(v, "body"), &R, err, sizeof err), 0);
    json_decref(doc);
    return 0;
}

/* A penalty of 2026-03-31, rectified (2 orders, all verified), no earlier repair, no veto. */
static struct repair_facts clean(const char *today)
{
    struct repair_facts f = {.event_type = "penalty",
                             .occurred_on = "2026-03-31",
                             .today = today,
                             .violation_key = "wastewater_exceed",
                             .rect_basis = "penalty",
                             .rect_orders = 2,
                             .rect_all = true};
    snprintf(f.rect_last, sizeof f.rect_last, "2026-04-20");
    return f;
}

static void test_shipped_body(void **state)
{
    (void)state;
    const struct repair_type_rule *p = repair_rules_type(&R, "penalty");
    assert_non_null(p);
    assert_int_equal(p->min_months, 3);
    assert_int_equal(p->max_months, 36);
    assert_int_equal(R.repeat_window_months, 12);
    assert_true(R.require_rectification);
    assert_false(R.file_when_failing);
    assert_null(repair_rules_type(&R, "bypass_discharge")); /* a veto item: not repairable */
    assert_null(repair_rules_type(&R, "commitment"));
}

static void test_parse_refuses_bad_bodies(void **state)
{
    (void)state;
    struct repair_rules r;
    char err[200];
    const char *bad[] = {
        "{}",
        "{\"types\":[],\"repeat_window_months\":12,\"require_rectification\":true,"
        "\"file_when_failing\":false,\"decide_workdays\":15}",
        "{\"types\":[{\"type\":\"penalty\",\"min_months\":6,\"max_months\":3}],"
        "\"repeat_window_months\":12,\"require_rectification\":true,\"file_when_failing\":false,"
        "\"decide_workdays\":15}",
        "{\"types\":[{\"type\":\"penalty\",\"min_months\":3,\"max_months\":36}],"
        "\"repeat_window_months\":12,\"require_rectification\":1,\"file_when_failing\":false,"
        "\"decide_workdays\":15}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *b = json_loads(bad[i], 0, NULL);
        assert_non_null(b);
        assert_int_equal(repair_rules_parse(b, &r, err, sizeof err), ERR_INPUT);
        json_decref(b);
    }
}

static void test_publicity_served_on_the_exact_day(void **state)
{
    (void)state;
    struct repair_check c;
    struct repair_facts f = clean("2026-06-29");
    repair_evaluate(&R, &f, &c);
    /* 2026-03-31 + 3 months = 2026-06-30 (June has 30 days) */
    assert_string_equal(c.min_until, "2026-06-30");
    assert_string_equal(c.max_until, "2029-03-31");
    assert_false(c.c[RC_PUBLICITY].ok);
    assert_false(c.all_ok);
    assert_true(c.c[RC_RECTIFIED].ok && c.c[RC_NO_REPEAT].ok && c.c[RC_NO_VETO].ok);
    assert_non_null(strstr(c.c[RC_PUBLICITY].values, "\"min_until\":\"2026-06-30\""));
    assert_non_null(strstr(c.c[RC_PUBLICITY].text_zh, "尚未届满"));
    f = clean("2026-06-30");
    repair_evaluate(&R, &f, &c);
    assert_true(c.c[RC_PUBLICITY].ok);
    assert_true(c.all_ok);
    assert_true(c.repairable);
}

static void test_rectification(void **state)
{
    (void)state;
    struct repair_check c;
    struct repair_facts f = clean("2026-08-01");
    f.rect_orders = 0;
    f.rect_all = false;
    f.rect_last[0] = 0;
    repair_evaluate(&R, &f, &c);
    assert_false(c.c[RC_RECTIFIED].ok);
    assert_false(c.all_ok);
    assert_non_null(strstr(c.c[RC_RECTIFIED].values, "\"orders\":0"));
    f.rect_orders = 3; /* one of three not verified */
    repair_evaluate(&R, &f, &c);
    assert_false(c.c[RC_RECTIFIED].ok);
    f.rect_all = true;
    repair_evaluate(&R, &f, &c);
    assert_true(c.c[RC_RECTIFIED].ok);
    assert_true(c.all_ok);
    /* a rule set that does not require it */
    struct repair_rules r = R;
    r.require_rectification = false;
    f.rect_orders = 0;
    f.rect_all = false;
    repair_evaluate(&r, &f, &c);
    assert_true(c.c[RC_RECTIFIED].ok);
    assert_non_null(strstr(c.c[RC_RECTIFIED].values, "\"required\":false"));
}

static void test_repeat_within_a_year_after_a_repair(void **state)
{
    (void)state;
    struct repair_check c;
    struct repair_prior prior[2] = {{.id = 7}, {.id = 9}};
    snprintf(prior[0].key, sizeof prior[0].key, "noise");
    snprintf(prior[0].decided_on, sizeof prior[0].decided_on, "2025-12-01");
    snprintf(prior[1].key, sizeof prior[1].key, "wastewater_exceed");
    snprintf(prior[1].decided_on, sizeof prior[1].decided_on, "2025-04-01");
    struct repair_facts f = clean("2026-08-01");
    f.prior = prior;
    f.n_prior = 2;
    /* the same violation on 2026-03-31, within the year after 2025-04-01 (to 2026-04-01) */
    repair_evaluate(&R, &f, &c);
    assert_false(c.c[RC_NO_REPEAT].ok);
    assert_false(c.all_ok);
    assert_non_null(strstr(c.c[RC_NO_REPEAT].values, "\"repeat_of\":9"));
    assert_non_null(strstr(c.c[RC_NO_REPEAT].values, "\"window_until\":\"2026-04-01\""));
    /* a year and a day after the repair: no repeat any more */
    snprintf(prior[1].decided_on, sizeof prior[1].decided_on, "2025-03-31");
    repair_evaluate(&R, &f, &c);
    assert_true(c.c[RC_NO_REPEAT].ok);
    /* another violation inside the window does not count */
    snprintf(prior[1].decided_on, sizeof prior[1].decided_on, "2026-01-01");
    snprintf(prior[1].key, sizeof prior[1].key, "noise");
    repair_evaluate(&R, &f, &c);
    assert_true(c.c[RC_NO_REPEAT].ok);
    assert_true(c.all_ok);
    /* a violation before the earlier repair is not a repeat after it */
    snprintf(prior[1].key, sizeof prior[1].key, "wastewater_exceed");
    snprintf(prior[1].decided_on, sizeof prior[1].decided_on, "2026-04-15");
    repair_evaluate(&R, &f, &c);
    assert_true(c.c[RC_NO_REPEAT].ok);
    /* window 0: not checked */
    struct repair_rules r = R;
    r.repeat_window_months = 0;
    snprintf(prior[1].decided_on, sizeof prior[1].decided_on, "2025-04-01");
    repair_evaluate(&r, &f, &c);
    assert_true(c.c[RC_NO_REPEAT].ok);
}

static void test_veto_in_force(void **state)
{
    (void)state;
    struct repair_check c;
    struct repair_veto v = {.event_id = 41};
    snprintf(v.type, sizeof v.type, "bypass_discharge");
    snprintf(v.occurred_on, sizeof v.occurred_on, "2026-05-02");
    snprintf(v.until, sizeof v.until, "2027-05-02");
    struct repair_facts f = clean("2026-08-01");
    f.veto = &v;
    f.n_veto = 1;
    repair_evaluate(&R, &f, &c);
    assert_false(c.c[RC_NO_VETO].ok);
    assert_false(c.all_ok);
    assert_non_null(strstr(c.c[RC_NO_VETO].values, "\"event_id\":41"));
    assert_non_null(strstr(c.c[RC_NO_VETO].text_zh, "bypass_discharge"));
    char text[2200];
    repair_failing_text(&c, text, sizeof text);
    assert_non_null(strstr(text, "veto item bypass_discharge"));
    assert_null(strstr(text, "publicised"));
}

static void test_type_not_repairable(void **state)
{
    (void)state;
    struct repair_check c;
    struct repair_facts f = clean("2026-08-01");
    f.event_type = "environmental_crime";
    repair_evaluate(&R, &f, &c);
    assert_false(c.repairable);
    assert_false(c.all_ok);
    assert_false(c.c[RC_PUBLICITY].ok);
    assert_string_equal(c.min_until, "");
}

static void test_json(void **state)
{
    (void)state;
    struct repair_check c;
    struct repair_facts f = clean("2026-08-01");
    repair_evaluate(&R, &f, &c);
    struct buf b;
    buf_init(&b, 1 << 16);
    repair_check_json(&c, &b);
    json_error_t e;
    json_t *doc = json_loads(b.p, 0, &e);
    assert_non_null(doc);
    assert_true(json_is_true(json_object_get(doc, "all_ok")));
    json_t *conds = json_object_get(doc, "conditions");
    assert_int_equal(json_array_size(conds), 4);
    const char *codes[] = {"publicity_served", "rectification_verified", "no_repeat", "no_veto"};
    for (size_t i = 0; i < 4; i++) {
        json_t *x = json_array_get(conds, i);
        assert_string_equal(json_string_value(json_object_get(x, "code")), codes[i]);
        assert_true(json_is_object(json_object_get(x, "values")));
        assert_true(json_string_length(json_object_get(x, "text_en")) > 0);
    }
    json_decref(doc);
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_body),
        cmocka_unit_test(test_parse_refuses_bad_bodies),
        cmocka_unit_test(test_publicity_served_on_the_exact_day),
        cmocka_unit_test(test_rectification),
        cmocka_unit_test(test_repeat_within_a_year_after_a_repair),
        cmocka_unit_test(test_veto_in_force),
        cmocka_unit_test(test_type_not_repairable),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
