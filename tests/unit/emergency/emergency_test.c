/*
** The emergency module's pure part on the shipped emergency.levels body (read from the embedded
** data/rules file as the seed loads it): the grade → action mapping with the livelihood cap, a
** known control list's reductions summed by region and pollutant against the required cut with
** the shortfall, no line asked more than its grade allows (no 一刀切), the low-VOC exemption and
** the compliance verdict of a line from its flow. No database.
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
#include "emergency/emergency.h"

static struct em_rules R;

static int setup(void **state)
{
    (void)state;
    const struct embed_file *f = embed_find("data/rules/emergency.levels.json");
    assert_non_null(f);
    json_t *doc = json_loadb((const char *)f->data, f->size, 0, NULL);
    assert_non_null(doc);
    const json_t *v = json_array_get(json_object_get(doc, "versions"), 0);
    char err[200];
    assert_int_equal(emergency_rules_parse(json_object_get(v, "body"), &R, err, sizeof err), 0);
    json_decref(doc);
    return 0;
}

static void grade_actions(void **state)
{
    (void)state;
    assert_int_equal(emergency_grade_action(&R, EG_A, false, EL_RED), EA_SELF);
    assert_int_equal(emergency_grade_action(&R, EG_LEADING, false, EL_RED), EA_SELF);
    assert_int_equal(emergency_grade_action(&R, EG_B, false, EL_ORANGE), EA_LIMIT);
    assert_int_equal(emergency_grade_action(&R, EG_C, false, EL_ORANGE), EA_STOP_PART);
    assert_int_equal(emergency_grade_action(&R, EG_D, false, EL_ORANGE), EA_STOP);
    assert_int_equal(emergency_grade_action(&R, EG_D, false, EL_YELLOW), EA_STOP_PART);
    /* ungraded is taken as D; a livelihood firm is never asked more than self */
    assert_int_equal(emergency_grade_action(&R, -1, false, EL_RED), EA_STOP);
    assert_int_equal(emergency_grade_action(&R, EG_D, true, EL_RED), EA_SELF);
    assert_int_equal(emergency_grade_action(&R, EG_A, true, EL_BLUE), EA_NONE);
    assert_true(R.cut[EL_YELLOW][EM_SO2] == 10 && R.cut[EL_ORANGE][EM_NOX] == 20 &&
                R.cut[EL_RED][EM_VOCS] == 30);
}

static struct em_line line(int64_t id, double so2, double nox, double pm, double vocs, int act,
                           double share)
{
    struct em_line l = {.id = id, .baseline = {so2, nox, pm, vocs}};
    for (int k = 0; k < EL_N; k++) {
        l.action[k] = act;
        for (int p = 0; p < EM_NP; p++) {
            l.reduction[k][p] = l.baseline[p] * share;
        }
    }
    return l;
}

/* Region 330100: a D firm stopping its line (100 so2), a B firm limiting by 10 % (200 so2, 100
   vocs). Region 330200: an A firm whose sheet says stop (capped to self, not counted) and a
   livelihood D firm whose sheet says stop (capped), a low-VOC C firm (vocs exempt). */
static void sums_and_shortfall(void **state)
{
    (void)state;
    struct em_line lines[] = {
        line(1, 100, 50, 20, 0, EA_STOP, 0),   line(2, 200, 100, 40, 100, EA_LIMIT, 0.10),
        line(3, 300, 0, 0, 0, EA_STOP, 1.0),   line(4, 400, 0, 0, 0, EA_STOP, 1.0),
        line(5, 0, 0, 10, 500, EA_LIMIT, 0.5),
    };
    struct em_firm firms[] = {
        {.id = 1, .region = "330100", .grade = EG_D, .first_line = 0, .n_lines = 1},
        {.id = 2, .region = "330100", .grade = EG_B, .first_line = 1, .n_lines = 1},
        {.id = 3, .region = "330200", .grade = EG_A, .first_line = 2, .n_lines = 1},
        {.id = 4,
         .region = "330200",
         .grade = EG_D,
         .livelihood = true,
         .first_line = 3,
         .n_lines = 1},
        {.id = 5,
         .region = "330200",
         .grade = EG_C,
         .low_voc = true,
         .first_line = 4,
         .n_lines = 1},
    };
    struct em_line_out out[5];
    struct em_sum sums[4], total;
    size_t n = 0;
    assert_int_equal(emergency_control(&R, EL_ORANGE, firms, 5, lines, out, sums, 4, &n, &total),
                     0);
    assert_int_equal(n, 2);
    assert_string_equal(sums[0].region, "330100");
    /* 330100 SO2: base 300, required 60, reduced 100 + 20 = 120, no shortfall */
    assert_true(sums[0].baseline[EM_SO2] == 300 && sums[0].required[EM_SO2] == 60);
    assert_true(sums[0].reduction[EM_SO2] == 120 && sums[0].shortfall[EM_SO2] == 0);
    /* 330100 VOCs: base 100, required 20, reduced 10: shortfall 10 */
    assert_true(sums[0].reduction[EM_VOCS] == 10 && sums[0].shortfall[EM_VOCS] == 10);
    /* no 一刀切: the A firm and the livelihood firm are not stopped though their sheets say so */
    assert_int_equal(out[2].action, EA_SELF);
    assert_true(out[2].capped);
    assert_int_equal(out[3].action, EA_SELF);
    assert_true(out[3].capped);
    assert_int_equal(out[0].action, EA_STOP);
    assert_false(out[0].capped);
    for (size_t i = 0; i < 5; i++) {
        assert_true(out[i].action <= out[i].allowed);
    }
    /* 330200 SO2: base 700, required 140, nothing counted (both capped): shortfall 140 */
    assert_true(sums[1].baseline[EM_SO2] == 700 && sums[1].reduction[EM_SO2] == 0);
    assert_true(sums[1].shortfall[EM_SO2] == 140);
    /* the low-VOC firm's VOCs are out of the base and the reductions; its PM counted */
    assert_true(sums[1].baseline[EM_VOCS] == 0 && out[4].reduction[EM_VOCS] == 0);
    assert_true(out[4].reduction[EM_PM] == 5 && sums[1].reduction[EM_PM] == 5);
    /* totals */
    assert_true(total.baseline[EM_SO2] == 1000 && total.reduction[EM_SO2] == 120);
    assert_true(total.shortfall[EM_SO2] == 80);
    /* too many regions for the caller's array */
    assert_int_equal(emergency_control(&R, EL_ORANGE, firms, 5, lines, out, sums, 1, &n, &total),
                     ERR_TOOBIG);
    assert_int_equal(emergency_control(&R, 7, firms, 5, lines, out, sums, 4, &n, &total),
                     ERR_INPUT);
}

static void compliance(void **state)
{
    (void)state;
    struct em_line_out stop = {.action = EA_STOP, .baseline = {100}, .reduction = {100}};
    assert_int_equal(emergency_line_complied(&R, &stop, 1000, 50, 3), 1);
    assert_int_equal(emergency_line_complied(&R, &stop, 1000, 400, 3), 0);
    assert_int_equal(emergency_line_complied(&R, &stop, 1000, 50, 0), -1);
    assert_int_equal(emergency_line_complied(&R, &stop, 0, 50, 3), -1);
    /* limited by 30 %: may keep 70 % + 10 % tolerance of the normal flow */
    struct em_line_out lim = {.action = EA_LIMIT, .baseline = {100, 50}, .reduction = {30, 10}};
    assert_int_equal(emergency_line_complied(&R, &lim, 1000, 790, 2), 1);
    assert_int_equal(emergency_line_complied(&R, &lim, 1000, 850, 2), 0);
}

static void bad_rules(void **state)
{
    (void)state;
    struct em_rules r;
    char err[200];
    json_t *b = json_pack("{s:[{s:s}]}", "levels", "level", "purple");
    assert_int_equal(emergency_rules_parse(b, &r, err, sizeof err), ERR_INPUT);
    json_decref(b);
    b = json_pack("{s:[]}", "levels");
    assert_int_equal(emergency_rules_parse(b, &r, err, sizeof err), ERR_INPUT);
    json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grade_actions),
        cmocka_unit_test(sums_and_shortfall),
        cmocka_unit_test(compliance),
        cmocka_unit_test(bad_rules),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
