/*
** The credit engine on the two shipped credit.scoring versions (national four grades from 100,
** Jiangsu's 12-point five colours) and the agencies' credit.agency, read from the embedded
** data/rules files as the seed loads them: golden scores and grades for a clean firm, deductions
** and their expiry, caps, veto items, a new firm, a commitment, variable manual points, and the
** month arithmetic validity periods rest on. No database.
*/
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/embed.h"
#include "core/err.h"
#include "credit/credit.h"

/* Version i of the shipped file of kind, parsed into *m. */
static void shipped(const char *kind, size_t i, struct credit_model *m)
{
    char path[96];
    snprintf(path, sizeof path, "data/rules/%s.json", kind);
    const struct embed_file *f = embed_find(path);
    assert_non_null(f);
    json_t *doc = json_loadb((const char *)f->data, f->size, 0, NULL);
    assert_non_null(doc);
    const json_t *v = json_array_get(json_object_get(doc, "versions"), i);
    char err[200];
    assert_int_equal(credit_model_parse(json_object_get(v, "body"), m, err, sizeof err), 0);
    json_decref(doc);
}

static struct credit_model NAT, JS, AG;

static int setup(void **state)
{
    (void)state;
    shipped("credit.scoring", 0, &NAT);
    shipped("credit.scoring", 1, &JS);
    shipped("credit.agency", 0, &AG);
    return 0;
}

static struct credit_event E(int64_t id, const char *type, const char *on) {
    struct credit_event e = {.id = id, .type = type};
    snprintf(e.occurred_on, sizeof e.occurred_on, "%.10s", on);
    return e;
}

static struct credit_result
score(const struct credit_model *m, const struct credit_event *ev, size_t n, const char *date,
      const char *registered)
{
    struct credit_result r;
    struct credit_effect eff[64];
    credit_score(m, ev, n, date, registered, &r, eff, 64);
    return r;
}

static void national_clean_and_deductions(void **state)
{
    (void)state;
    struct credit_result r = score(&NAT, NULL, 0, "2026-12-01", "2020-01-01");
    assert_true(r.score == 100);
    assert_string_equal(r.grade, "green");
    /* two exceedance days (-2 each) and a penalty (-10): 86, blue */
    struct credit_event ev[] = {E(1, "exceedance_day", "2026-03-01"),
                                E(2, "exceedance_day", "2026-03-02"),
                                E(3, "penalty", "2026-05-10")};
    r = score(&NAT, ev, 3, "2026-12-01", "2020-01-01");
    assert_true(r.score == 86);
    assert_string_equal(r.grade, "blue");
    assert_int_equal(r.n_counted, 3);
    /* a year on, the exceedances of March have expired; the penalty of May still counts */
    r = score(&NAT, ev, 3, "2027-04-01", "2020-01-01");
    assert_true(r.score == 90);
    assert_int_equal(r.n_counted, 1);
    /* valid 12 months: the last day it counts is the day before the anniversary */
    r = score(&NAT, ev, 3, "2027-05-09", "2020-01-01");
    assert_true(r.score == 90);
    r = score(&NAT, ev, 3, "2027-05-10", "2020-01-01");
    assert_true(r.score == 100);
    /* an event after the date does not count yet */
    r = score(&NAT, ev, 3, "2026-02-28", "2020-01-01");
    assert_true(r.score == 100);
}

static void national_bands_and_cap(void **state)
{
    (void)state;
    /* four penalties: 60 is still yellow (>= 60); a fifth: 50, red */
    struct credit_event ev[] = {E(1, "penalty", "2026-06-01"), E(2, "penalty", "2026-06-02"),
                                E(3, "penalty", "2026-06-03"), E(4, "penalty", "2026-06-04"),
                                E(5, "penalty", "2026-06-05")};
    struct credit_result r = score(&NAT, ev, 4, "2026-07-01", "");
    assert_true(r.score == 60);
    assert_string_equal(r.grade, "yellow");
    r = score(&NAT, ev, 5, "2026-07-01", "");
    assert_true(r.score == 50);
    assert_string_equal(r.grade, "red");
    /* exceedance days are capped at 30 points: 40 days take 30, not 80 */
    struct credit_event days[40];
    char on[40][11];
    for (int i = 0; i < 40; i++) {
        snprintf(on[i], sizeof on[i], "2026-%02d-%02d", 1 + i / 28, 1 + i % 28);
        days[i] = E(i + 1, "exceedance_day", on[i]);
    }
    struct credit_effect eff[64];
    credit_score(&NAT, days, 40, "2026-06-01", "", &r, eff, 64);
    assert_true(r.score == 70);
    assert_true(eff[14].effect == -2);
    assert_true(eff[15].effect == 0); /* past the cap it is listed, with no effect */
}

static void national_veto_and_commitment(void **state)
{
    (void)state;
    struct credit_event ev[] = {E(1, "bypass_discharge", "2026-06-01")};
    struct credit_result r = score(&NAT, ev, 1, "2026-07-01", "");
    assert_true(r.veto);
    assert_true(r.score == 100); /* the score stands; the grade is forced to the lowest */
    assert_string_equal(r.grade, "red");
    r = score(&NAT, ev, 1, "2027-06-01", ""); /* valid 12 months: gone */
    assert_false(r.veto);
    assert_string_equal(r.grade, "green");
    /* a commitment (+2, at most 2) lifts 94 (blue) to 96 (green); a second one adds nothing */
    struct credit_event c[] = {E(1, "exceedance_day", "2026-06-01"),
                               E(2, "exceedance_day", "2026-06-02"),
                               E(3, "exceedance_day", "2026-06-03"),
                               E(4, "commitment", "2026-06-05"), E(5, "commitment", "2026-06-06")};
    r = score(&NAT, c, 3, "2026-07-01", "");
    assert_string_equal(r.grade, "blue");
    r = score(&NAT, c, 5, "2026-07-01", "");
    assert_true(r.score == 96);
    assert_string_equal(r.grade, "green");
    /* the score never passes the maximum */
    struct credit_event only[] = {E(1, "commitment", "2026-06-05")};
    r = score(&NAT, only, 1, "2026-07-01", "");
    assert_true(r.score == 100);
}

static void jiangsu_dynamic(void **state)
{
    (void)state;
    struct credit_result r = score(&JS, NULL, 0, "2026-12-01", "2020-01-01");
    assert_true(r.score == 12);
    assert_string_equal(r.grade, "green");
    /* a new firm (registered fewer than 12 months before) starts at 9: blue; its commitment +1 */
    r = score(&JS, NULL, 0, "2026-12-01", "2026-05-01");
    assert_true(r.score == 9);
    assert_string_equal(r.grade, "blue");
    struct credit_event c[] = {E(1, "commitment", "2026-06-01")};
    r = score(&JS, c, 1, "2026-12-01", "2026-05-01");
    assert_true(r.score == 10);
    /* 12 months on it is no longer new: 12, the commitment capped at the maximum */
    r = score(&JS, NULL, 0, "2027-05-01", "2026-05-01");
    assert_true(r.score == 12);
    /* a fine (-3) and a seizure (-3) expire after 6 months, a suspension (-6) after 12 */
    struct credit_event ev[] = {E(1, "penalty", "2026-01-10"), E(2, "seizure", "2026-01-10"),
                                E(3, "suspension", "2026-01-10")};
    r = score(&JS, ev, 3, "2026-03-01", "2020-01-01");
    assert_true(r.score == 0);
    assert_string_equal(r.grade, "black");
    r = score(&JS, ev, 3, "2026-07-09", "2020-01-01");
    assert_true(r.score == 0);
    r = score(&JS, ev, 3, "2026-07-10", "2020-01-01");
    assert_true(r.score == 6);
    assert_string_equal(r.grade, "yellow");
    r = score(&JS, ev, 3, "2027-01-10", "2020-01-01");
    assert_true(r.score == 12);
    /* bands: 11 green, 10 blue, 8 yellow, 5 red */
    struct credit_event d[] = {E(1, "exceedance_day", "2026-06-01"),
                               E(2, "exceedance_day", "2026-06-02"),
                               E(3, "exceedance_day", "2026-06-03"),
                               E(4, "exceedance_day", "2026-06-04"), E(5, "penalty", "2026-06-05")};
    static const char *const G[] = {"green", "blue", "yellow", "yellow", "red"};
    static const double S[] = {11, 10, 9 - 0, 8, 5};
    for (size_t n = 1; n <= 5; n++) {
        r = score(&JS, d, n, "2026-07-01", "2020-01-01");
        assert_true(r.score == (n == 3 ? 9 : S[n - 1]));
        assert_string_equal(r.grade, n == 3 ? "blue" : G[n - 1]);
    }
    /* a veto item is black whatever the score */
    struct credit_event v[] = {E(1, "illegal_hazardous_waste", "2026-06-01")};
    r = score(&JS, v, 1, "2026-07-01", "2020-01-01");
    assert_string_equal(r.grade, "black");
}

static void manual_points_and_unknown_types(void **state)
{
    (void)state;
    struct credit_event ev[] = {E(1, "manual", "2026-06-01"), E(2, "no_such_type", "2026-06-01")};
    ev[0].has_points = true;
    ev[0].points = -12;
    struct credit_result r = score(&NAT, ev, 2, "2026-07-01", "");
    assert_true(r.score == 88);
    assert_int_equal(r.n_counted, 1); /* a type the rule set does not score does not count */
    ev[0].points = -500;              /* clamped to the rule's range (-30) */
    r = score(&NAT, ev, 1, "2026-07-01", "");
    assert_true(r.score == 70);
    const struct credit_type_rule *t = credit_model_type(&NAT, "manual");
    assert_non_null(t);
    assert_true(t->variable);
    assert_null(credit_model_type(&NAT, "seizure")); /* Jiangsu's, not the national one */
}

static void agencies(void **state)
{
    (void)state;
    struct credit_event ev[] = {E(1, "report_late", "2026-06-01"),
                                E(2, "quality_finding_major", "2026-06-02")};
    struct credit_result r = score(&AG, ev, 1, "2026-07-01", "");
    assert_true(r.score == 95);
    assert_string_equal(r.grade, "A");
    r = score(&AG, ev, 2, "2026-07-01", "");
    assert_true(r.score == 80);
    assert_string_equal(r.grade, "B");
    struct credit_event f[] = {E(1, "data_falsified", "2026-06-01")};
    r = score(&AG, f, 1, "2028-05-31", ""); /* 36 months */
    assert_string_equal(r.grade, "D");
}

static void months(void **state)
{
    (void)state;
    char out[11];
    credit_add_months("2026-01-31", 1, out);
    assert_string_equal(out, "2026-02-28");
    credit_add_months("2028-01-31", 1, out);
    assert_string_equal(out, "2028-02-29");
    credit_add_months("2026-11-15", 14, out);
    assert_string_equal(out, "2028-01-15");
    credit_add_months("2026-06-30", 6, out);
    assert_string_equal(out, "2026-12-30");
}

static void bad_bodies(void **state)
{
    (void)state;
    struct credit_model m;
    char err[200];
    json_t *b =
        json_pack("{s:f,s:f,s:f,s:[{s:s,s:f},{s:s,s:f}],s:[]}", "base", 10.0, "min", 0.0, "max",
                  10.0, "grades", "code", "a", "min", 1.0, "code", "b", "min", 5.0, "events");
    assert_int_equal(credit_model_parse(b, &m, err, sizeof err), ERR_INPUT); /* bands rising */
    json_decref(b);
    assert_int_equal(credit_model_parse(NULL, &m, err, sizeof err), ERR_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(national_clean_and_deductions),
        cmocka_unit_test(national_bands_and_cap),
        cmocka_unit_test(national_veto_and_commitment),
        cmocka_unit_test(jiangsu_dynamic),
        cmocka_unit_test(manual_points_and_unknown_types),
        cmocka_unit_test(agencies),
        cmocka_unit_test(months),
        cmocka_unit_test(bad_bodies),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
