/*
** The discretion calculator, pure, on the shipped penalty.discretion: the advisory amount from
** the levels (mildest → the minimum, gravest → the maximum, a middle case worked by hand), the
** reasoning written out line by line (range, each factor, share, rounding, the amount), clamping
** (a range that rounding overshoots; 减轻 kept below the minimum), 从轻 within the range, 减轻
** below it only with a ground that allows it and a type that may be reduced, a multiple-based
** range needing its base, and the officer's departure needing a written reason.
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

static json_t *body;
static struct pen_discretion D;

static int setup(void **state)
{
    body = rules_shipped_body("penalty.discretion");
    assert_non_null(body);
    const char *field = "x";
    assert_int_equal(pen_discretion_parse(body, &D, &field), 0);
    assert_null(field);
    return 0;
}

static int teardown(void **state)
{
    json_decref(body);
    return 0;
}

/* Every factor at its level of index i (clamped to the factor's count). */
static struct pen_calc_input at(int i)
{
    struct pen_calc_input in = {.mitigation = PM_NONE};
    for (int k = 0; k < D.n_factors; k++) {
        int j = i < D.factors[k].n_levels ? i : D.factors[k].n_levels - 1;
        in.levels[k] = D.factors[k].levels[j].code;
    }
    return in;
}

static int factor_index(const char *code)
{
    for (int k = 0; k < D.n_factors; k++) {
        if (!strcmp(D.factors[k].code, code)) {
            return k;
        }
    }
    fail_msg("no factor %s", code);
    return -1;
}

static bool has_line(const struct pen_calc_result *r, const char *needle)
{
    for (int i = 0; i < r->n_lines; i++) {
        if (strstr(r->lines[i].zh, needle) || strstr(r->lines[i].en, needle)) {
            return true;
        }
    }
    return false;
}

static void test_extremes(void **state)
{
    struct pen_violation v;
    assert_int_equal(pen_violation_find(&D, "air_exceed", &v), 0);
    struct pen_calc_result r;
    const char *field;
    char why[256];
    /* every factor at its mildest level: harm none, … coefficient 0 except fault/means/object
       (0.2): the share is above zero, so the amount is above the minimum */
    struct pen_calc_input in = at(0);
    assert_int_equal(pen_calculate(&D, &v, &in, &r, &field, why, sizeof why), 0);
    assert_int_equal(r.min_yuan, 100000);
    assert_int_equal(r.max_yuan, 1000000);
    assert_true(r.advisory_yuan >= 100000 && r.advisory_yuan < 1000000);
    assert_false(r.clamped);
    /* every factor at its gravest: coefficient 1 everywhere → the maximum */
    in = at(4);
    assert_int_equal(pen_calculate(&D, &v, &in, &r, &field, why, sizeof why), 0);
    assert_int_equal(r.advisory_yuan, 1000000);
    assert_true(r.share > 0.999);
}

static void test_worked_case_and_reasoning(void **state)
{
    struct pen_violation v;
    assert_int_equal(pen_violation_find(&D, "water_exceed", &v), 0);
    struct pen_calc_input in = at(0);
    /* harm general (0.5 × 0.30), fault gross (0.6 × 0.20), means ordinary (0.2 × 0.15), object
       ordinary (0.2 × 0.15), repetition first (0), rectification on_time (0.3 × 0.10):
       0.15 + 0.12 + 0.03 + 0.03 + 0 + 0.03 = 0.36 of weight 1.00 → 100000 + 900000 × 0.36
       = 424000 */
    in.levels[factor_index("harm")] = "general";
    in.levels[factor_index("fault")] = "gross";
    in.levels[factor_index("rectification")] = "on_time";
    struct pen_calc_result r;
    const char *field;
    char why[256];
    assert_int_equal(pen_calculate(&D, &v, &in, &r, &field, why, sizeof why), 0);
    assert_int_equal(r.advisory_yuan, 424000);
    assert_true(r.share > 0.359 && r.share < 0.361);
    /* the reasoning: basis, range, one line per factor, the share, the computation, the
       rounding and the amount */
    assert_int_equal(r.n_lines, 2 + D.n_factors + 1 + 1 + 1 + 1);
    assert_non_null(strstr(r.lines[0].zh, "水污染防治法"));
    assert_true(has_line(&r, "法定幅度：100000–1000000 元"));
    assert_true(has_line(&r, "危害后果：一般（系数 0.50 × 权重 0.30 = 0.150）"));
    assert_true(has_line(&r, "裁量比例 = 0.360 ÷ 1.00 = 0.360"));
    assert_true(has_line(&r, "建议罚款金额：424000 元"));
    assert_true(has_line(&r, "Advisory fine: 424000 yuan"));
    /* a level missing names the factor */
    in.levels[factor_index("means")] = NULL;
    assert_int_equal(pen_calculate(&D, &v, &in, &r, &field, why, sizeof why), ERR_INPUT);
    assert_string_equal(field, "levels.means");
    in.levels[factor_index("means")] = "no_such_level";
    assert_int_equal(pen_calculate(&D, &v, &in, &r, &field, why, sizeof why), ERR_INPUT);
    assert_string_equal(field, "levels.means");
}

static void test_clamping(void **state)
{
    /* a rule set whose rounding overshoots the range: 5000–20000 rounded to 30000 */
    json_t *b = json_deep_copy(body);
    json_object_set_new(b, "round_yuan", json_integer(30000));
    struct pen_discretion d;
    const char *field;
    assert_int_equal(pen_discretion_parse(b, &d, &field), 0);
    struct pen_violation v;
    assert_int_equal(pen_violation_find(&d, "ledger", &v), 0);
    struct pen_calc_input in = at(4);
    struct pen_calc_result r;
    char why[256];
    assert_int_equal(pen_calculate(&d, &v, &in, &r, &field, why, sizeof why), 0);
    assert_int_equal(r.advisory_yuan, 20000);
    assert_true(r.clamped);
    assert_true(has_line(&r, "超出可处罚幅度 5000–20000 元，限定为 20000 元"));
    in = at(0); /* 6500 rounds to 0, below the minimum: clamped up */
    assert_int_equal(pen_calculate(&d, &v, &in, &r, &field, why, sizeof why), 0);
    assert_int_equal(r.advisory_yuan, 5000);
    assert_true(r.clamped);
    json_decref(b);
}

static void test_lighter(void **state)
{
    struct pen_violation v;
    assert_int_equal(pen_violation_find(&D, "air_exceed", &v), 0);
    struct pen_calc_input in = at(4);
    struct pen_calc_result plain, light;
    const char *field;
    char why[256];
    assert_int_equal(pen_calculate(&D, &v, &in, &plain, &field, why, sizeof why), 0);
    in.mitigation = PM_LIGHTER;
    /* a ground is required */
    assert_int_equal(pen_calculate(&D, &v, &in, &light, &field, why, sizeof why), ERR_INPUT);
    assert_string_equal(field, "ground");
    in.ground = "cooperative";
    assert_int_equal(pen_calculate(&D, &v, &in, &light, &field, why, sizeof why), 0);
    /* share 1 × 0.5 → 550000: lower than without, still within the range */
    assert_int_equal(light.advisory_yuan, 550000);
    assert_true(light.advisory_yuan < plain.advisory_yuan);
    assert_int_equal(light.floor_yuan, 100000);
    assert_int_equal(light.ceil_yuan, 1000000);
    assert_true(has_line(&light, "从轻处罚"));
    /* a lighter-only ground cannot reduce */
    in.mitigation = PM_REDUCED;
    assert_int_equal(pen_calculate(&D, &v, &in, &light, &field, why, sizeof why), ERR_INPUT);
    assert_string_equal(field, "ground");
}

static void test_reduced(void **state)
{
    struct pen_violation v;
    assert_int_equal(pen_violation_find(&D, "air_exceed", &v), 0);
    struct pen_calc_input in = at(2);
    in.mitigation = PM_REDUCED;
    in.ground = "art32_1";
    struct pen_calc_result r;
    const char *field;
    char why[256];
    assert_int_equal(pen_calculate(&D, &v, &in, &r, &field, why, sizeof why), 0);
    /* below the statutory minimum: 100000 × 0.5 */
    assert_int_equal(r.advisory_yuan, 50000);
    assert_true(r.advisory_yuan < r.min_yuan);
    assert_int_equal(r.ceil_yuan, 99999);
    assert_true(has_line(&r, "减轻处罚"));
    /* the decided amount must stay below the minimum and at or above the floor */
    assert_int_equal(
        pen_check_amount(&r, 100000, "按第三十二条减轻处罚的理由充分", &field, why, sizeof why),
        ERR_INPUT);
    assert_string_equal(field, "amount_yuan");
    assert_int_equal(pen_check_amount(&r, 50000, NULL, &field, why, sizeof why), 0);
    /* a type the law does not let reduce */
    assert_int_equal(pen_violation_find(&D, "bypass_discharge", &v), 0);
    assert_int_equal(pen_calculate(&D, &v, &in, &r, &field, why, sizeof why), ERR_INPUT);
    assert_string_equal(field, "mitigation");
    /* lighter is still possible for it */
    in.mitigation = PM_LIGHTER;
    assert_int_equal(pen_calculate(&D, &v, &in, &r, &field, why, sizeof why), 0);
    assert_true(r.advisory_yuan >= 100000);
}

static void test_multiple_basis(void **state)
{
    struct pen_violation v;
    assert_int_equal(pen_violation_find(&D, "built_before_approval", &v), 0);
    struct pen_calc_input in = at(4);
    struct pen_calc_result r;
    const char *field;
    char why[256];
    assert_int_equal(pen_calculate(&D, &v, &in, &r, &field, why, sizeof why), ERR_INPUT);
    assert_string_equal(field, "base_yuan");
    in.base_yuan = 20000000; /* 2000 万元 investment: 1 %–5 % = 200000–1000000 */
    assert_int_equal(pen_calculate(&D, &v, &in, &r, &field, why, sizeof why), 0);
    assert_int_equal(r.min_yuan, 200000);
    assert_int_equal(r.max_yuan, 1000000);
    assert_int_equal(r.advisory_yuan, 1000000);
    assert_true(has_line(&r, "建设项目总投资额"));
}

static void test_departure(void **state)
{
    struct pen_violation v;
    assert_int_equal(pen_violation_find(&D, "ledger", &v), 0);
    struct pen_calc_input in = at(1);
    struct pen_calc_result r;
    const char *field;
    char why[256];
    assert_int_equal(pen_calculate(&D, &v, &in, &r, &field, why, sizeof why), 0);
    assert_int_equal(pen_check_amount(&r, r.advisory_yuan, NULL, &field, why, sizeof why), 0);
    int64_t other = r.advisory_yuan == 5000 ? 6000 : 5000;
    assert_int_equal(pen_check_amount(&r, other, "", &field, why, sizeof why), ERR_INPUT);
    assert_string_equal(field, "departure_reason");
    assert_int_equal(pen_check_amount(&r, other, "太少", &field, why, sizeof why), ERR_INPUT);
    assert_int_equal(pen_check_amount(&r, other, "当事人已主动停产整改，危害较小，故酌减", &field,
                                      why, sizeof why),
                     0);
    assert_int_equal(
        pen_check_amount(&r, 30000, "超出幅度也要有理由但仍然不允许", &field, why, sizeof why),
        ERR_INPUT);
    assert_string_equal(field, "amount_yuan");
}

static void test_parse_errors(void **state)
{
    json_t *b = json_deep_copy(body);
    json_object_set_new(b, "lighter_ratio", json_real(1.5));
    struct pen_discretion d;
    const char *field;
    assert_int_equal(pen_discretion_parse(b, &d, &field), ERR_INPUT);
    assert_string_equal(field, "lighter_ratio");
    json_decref(b);
    assert_int_equal(pen_mitigation_parse("reduced"), PM_REDUCED);
    assert_int_equal(pen_mitigation_parse("more"), -1);
    struct pen_violation v;
    assert_int_equal(pen_violation_find(&D, "nope", &v), ERR_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extremes),  cmocka_unit_test(test_worked_case_and_reasoning),
        cmocka_unit_test(test_clamping),  cmocka_unit_test(test_lighter),
        cmocka_unit_test(test_reduced),   cmocka_unit_test(test_multiple_basis),
        cmocka_unit_test(test_departure), cmocka_unit_test(test_parse_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
