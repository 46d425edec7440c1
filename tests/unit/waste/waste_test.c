/*
** The hazardous-waste module's pure part: the HJ 1259 class thresholds, a producing batch's ledger
** arithmetic (each stage takes only what the stage before left, a refused record changes
** nothing), batch and manifest numbers, the manifest states and the decision from accepted
** amounts, the plan's tables per class from a known ledger, and the shipped waste.rules and code
** table. No database.
*/
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cases/cases.h"
#include "core/embed.h"
#include "core/err.h"
#include "waste/internal.h"
#include "waste/waste.h"

static void test_class(void **state)
{
    (void)state;
    assert_int_equal(waste_class_of(100, false, false), WC_KEY);
    assert_int_equal(waste_class_of(99.999, false, false), WC_SIMPLIFIED);
    assert_int_equal(waste_class_of(10, false, false), WC_SIMPLIFIED);
    assert_int_equal(waste_class_of(9.99, false, false), WC_REGISTERED);
    assert_int_equal(waste_class_of(0.5, true, false), WC_KEY);
    assert_int_equal(waste_class_of(0.5, false, true), WC_KEY);
}

static void test_batch_flow(void **state)
{
    (void)state;
    struct waste_batch b = {0};
    char err[200];
    /* nothing stored before it was generated */
    assert_int_equal(waste_batch_apply(&b, WK_STORE_IN, 1, err, sizeof err), ERR_CONFLICT);
    assert_int_equal(waste_batch_apply(&b, WK_GENERATE, 2.5, err, sizeof err), 0);
    assert_int_equal(waste_batch_apply(&b, WK_GENERATE, 1, err, sizeof err), ERR_CONFLICT);
    assert_int_equal(waste_batch_apply(&b, WK_STORE_IN, 2, err, sizeof err), 0);
    assert_int_equal(waste_batch_apply(&b, WK_STORE_IN, 0.6, err, sizeof err), ERR_CONFLICT);
    assert_non_null(strstr(err, "0.500"));
    assert_int_equal(waste_batch_apply(&b, WK_STORE_IN, 0.5, err, sizeof err), 0);
    assert_true(waste_batch_in_store(&b) > 2.4999 && waste_batch_in_store(&b) < 2.5001);
    /* nothing handed over before it left the store */
    assert_int_equal(waste_batch_apply(&b, WK_OUTSOURCE, 0.1, err, sizeof err), ERR_CONFLICT);
    assert_int_equal(waste_batch_apply(&b, WK_STORE_OUT, 2, err, sizeof err), 0);
    assert_int_equal(waste_batch_apply(&b, WK_SELF_USE, 0.5, err, sizeof err), 0);
    assert_int_equal(waste_batch_apply(&b, WK_SELF_DISPOSE, 0.5, err, sizeof err), 0);
    struct waste_batch before = b;
    assert_int_equal(waste_batch_apply(&b, WK_OUTSOURCE, 1.2, err, sizeof err), ERR_CONFLICT);
    assert_memory_equal(&b, &before, sizeof b);
    assert_int_equal(waste_batch_apply(&b, WK_OUTSOURCE, 1.0, err, sizeof err), 0);
    assert_true(waste_batch_in_store(&b) > 0.4999 && waste_batch_in_store(&b) < 0.5001);
    /* a receiver took 0.7 of the 1.0: 0.3 comes back into the store, no more than went out */
    assert_int_equal(waste_batch_apply(&b, WK_RETURNED, 1.1, err, sizeof err), ERR_CONFLICT);
    assert_int_equal(waste_batch_apply(&b, WK_RETURNED, 0.3, err, sizeof err), 0);
    assert_true(waste_batch_in_store(&b) > 0.7999 && waste_batch_in_store(&b) < 0.8001);
    assert_true(b.outsourced > 0.6999 && b.outsourced < 0.7001);
    assert_int_equal(waste_batch_apply(&b, WK_STORE_OUT, 0.3, err, sizeof err), 0);
    assert_int_equal(waste_batch_apply(&b, WK_STORE_OUT, 0.6, err, sizeof err), ERR_CONFLICT);
    /* a kilogram's rounding is not a refusal */
    assert_int_equal(waste_batch_apply(&b, WK_STORE_OUT, 0.5004, err, sizeof err), 0);
    assert_int_equal(waste_batch_apply(&b, WK_STORE_OUT, 0, err, sizeof err), ERR_INPUT);
    assert_int_equal(waste_batch_apply(&b, WK_STORE_OUT, -1, err, sizeof err), ERR_INPUT);
    assert_int_equal(waste_batch_apply(&b, WK_GENERATE, 2e6, err, sizeof err), ERR_INPUT);
}

static void test_numbers(void **state)
{
    (void)state;
    char out[32], m[15];
    assert_int_equal(waste_batch_no(WK_GENERATE, "2021-10-31", 1, out, sizeof out), 0);
    assert_string_equal(out, "HWCS20211031001");
    assert_int_equal(waste_batch_no(WK_SELF_USE, "2026-12-01", 12, out, sizeof out), 0);
    assert_string_equal(out, "HWZXLY20261201012");
    assert_int_equal(waste_batch_no(WK_STORE_IN, "2026-12-01", 1234, out, sizeof out), 0);
    assert_string_equal(out, "HWRK202612011234");
    assert_int_equal(waste_batch_no(WK_STORE_IN, "2026-02-30", 1, out, sizeof out), ERR_INPUT);
    assert_int_equal(waste_batch_no(WK_STORE_IN, "2026-02-01", 0, out, sizeof out), ERR_INPUT);
    assert_int_equal(waste_manifest_number(2026, "330502", 42, m), 0);
    assert_string_equal(m, "20263305000042");
    assert_true(waste_manifest_number_valid(m));
    assert_int_equal(waste_manifest_number(2026, "33a5", 1, m), ERR_INPUT);
    assert_int_equal(waste_manifest_number(2026, "3305", 1000000, m), ERR_INPUT);
    assert_int_equal(waste_manifest_number(2026, "3305", 0, m), ERR_INPUT);
    assert_false(waste_manifest_number_valid("2026330500004"));
    assert_false(waste_manifest_number_valid("20263305000000"));
    assert_false(waste_manifest_number_valid("2026330500004x"));
}

static void test_transfer(void **state)
{
    (void)state;
    assert_false(waste_cross_province("330503", "330502"));
    assert_false(waste_cross_province("330503", "330100"));
    assert_true(waste_cross_province("330503", "320581"));
    assert_true(waste_cross_province("110101", "330503"));
    assert_false(waste_cross_province("3", "320581"));
    assert_false(waste_cross_province(NULL, "320581"));
    /* the paper entry: due the 10th workday after the shipment, inclusive */
    assert_int_equal(waste_paper_check("2026-03-02", "2026-03-16", "2026-03-16"), 0);
    assert_int_equal(waste_paper_check("2026-03-02", "2026-03-16", "2026-03-02"), 0);
    assert_int_equal(waste_paper_check("2026-03-02", "2026-03-16", "2026-03-17"), ERR_CONFLICT);
    assert_int_equal(waste_paper_check("2026-03-18", "2026-04-01", "2026-03-17"), ERR_INPUT);
    assert_int_equal(waste_paper_check("2026-13-02", "2026-03-16", "2026-03-17"), ERR_INPUT);
    assert_int_equal(waste_paper_check("2026-03-02", "2026-03-01", "2026-03-02"), ERR_INPUT);
    assert_int_equal(waste_paper_check("", "2026-03-16", "2026-03-02"), ERR_INPUT);
}

/* Every (state, action, role) of the cross-province approval against the legal ones: only a
   submitted case moves, only approvers, leaders and admins move it, a refusal needs its note. */
static void test_transfer_case(void **state)
{
    (void)state;
    const struct case_type *t = waste_transfer_case();
    const char *states[] = {"submitted", "approved", "refused"};
    const char *actions[] = {"approve", "refuse", "ship"};
    const unsigned roles[] = {ROLE_ADMIN,     ROLE_LEADER,     ROLE_APPROVER,
                              ROLE_INSPECTOR, ROLE_LEGAL,      ROLE_MONITOR,
                              ROLE_SERVICE,   ROLE_ENTERPRISE, ROLE_BANK};
    const char *note[] = {"note"};
    for (size_t s = 0; s < 3; s++) {
        for (size_t a = 0; a < 3; a++) {
            for (size_t k = 0; k < ARRAY_LEN(roles); k++) {
                const struct case_transition *tr = NULL;
                const char *field = NULL;
                char why[300];
                int rc = case_check(t, states[s], actions[a], roles[k], note, 1, &tr, &field, why,
                                    sizeof why);
                bool legal = s == 0 && a < 2 &&
                             (roles[k] == ROLE_ADMIN || roles[k] == ROLE_LEADER ||
                              roles[k] == ROLE_APPROVER);
                if (legal) {
                    assert_int_equal(rc, 0);
                    assert_string_equal(tr->to, a == 0 ? "approved" : "refused");
                } else {
                    assert_int_not_equal(rc, 0);
                }
            }
        }
    }
    const struct case_transition *tr = NULL;
    const char *field = NULL;
    char why[300];
    assert_int_equal(
        case_check(t, "submitted", "refuse", ROLE_APPROVER, NULL, 0, &tr, &field, why, sizeof why),
        ERR_INPUT);
    assert_string_equal(field, "note");
    assert_true(cases_state_final(t, "approved") && cases_state_final(t, "refused"));
    assert_false(cases_state_final(t, "submitted"));
}

static void test_states(void **state)
{
    (void)state;
    assert_int_equal(waste_manifest_step(MS_DRAFT, MA_SHIP, 0), MS_SHIPPED);
    assert_int_equal(waste_manifest_step(MS_DRAFT, MA_ARRIVE, 0), -1);
    assert_int_equal(waste_manifest_step(MS_SHIPPED, MA_ARRIVE, 0), MS_ARRIVED);
    assert_int_equal(waste_manifest_step(MS_SHIPPED, MA_ACCEPT, MS_ACCEPTED), -1);
    assert_int_equal(waste_manifest_step(MS_ARRIVED, MA_ACCEPT, MS_PARTLY), MS_PARTLY);
    assert_int_equal(waste_manifest_step(MS_ARRIVED, MA_ACCEPT, MS_CLOSED), -1);
    assert_int_equal(waste_manifest_step(MS_ARRIVED, MA_CLOSE, 0), -1);
    assert_int_equal(waste_manifest_step(MS_REFUSED, MA_CLOSE, 0), MS_CLOSED);
    assert_int_equal(waste_manifest_step(MS_CLOSED, MA_SHIP, 0), -1);
    /* a relay handover keeps a shipped manifest shipped; nothing else takes one */
    assert_int_equal(waste_manifest_step(MS_SHIPPED, MA_HANDOVER, 0), MS_SHIPPED);
    assert_int_equal(waste_manifest_step(MS_DRAFT, MA_HANDOVER, 0), -1);
    assert_int_equal(waste_manifest_step(MS_ARRIVED, MA_HANDOVER, 0), -1);
    assert_int_equal(waste_manifest_step(MS_CLOSED, MA_HANDOVER, 0), -1);
    assert_string_equal(waste_maction_code[MA_HANDOVER], "handover");
    double shipped[] = {1.2, 0.8}, all[] = {1.2, 0.8}, part[] = {1.2, 0.5}, none[] = {0, 0},
           over[] = {1.3, 0.8}, round[] = {1.1996, 0.8};
    assert_int_equal(waste_manifest_decision(shipped, all, 2), MS_ACCEPTED);
    assert_int_equal(waste_manifest_decision(shipped, round, 2), MS_ACCEPTED);
    assert_int_equal(waste_manifest_decision(shipped, part, 2), MS_PARTLY);
    assert_int_equal(waste_manifest_decision(shipped, none, 2), MS_REFUSED);
    assert_int_equal(waste_manifest_decision(shipped, over, 2), -1);
    assert_int_equal(waste_manifest_decision(shipped, all, 0), -1);
    assert_int_equal(waste_days_between("2025-12-08", "2026-12-08"), 365);
    assert_int_equal(waste_days_between("2026-13-01", "2026-12-08"), -1);
}

static void test_plan(void **state)
{
    (void)state;
    struct waste_plan_row rows[] = {
        {"900-249-08", "HW08", "废矿物油", "T/I", 12.5, 12.5, 0, 0, 10, 2.5},
        {"900-041-49", "HW49", "废包装物", "T/In", 3, 3, 1, 0, 0, 2},
    };
    json_t *p = waste_plan_tables(WC_KEY, "一厂", "测试公司", 15.5, 2027, rows, 2);
    json_t *t = json_object_get(p, "tables");
    assert_string_equal(json_string_value(json_object_get(p, "class")), "key");
    assert_int_equal(json_object_size(t), 7);
    assert_int_equal(json_array_size(json_object_get(t, "generation")), 2);
    /* the transfer table plans what generation leaves after own use and disposal; only codes used
       or disposed of on site are in the own-disposal table */
    json_t *tr = json_object_get(t, "transfer");
    assert_int_equal(json_array_size(tr), 2);
    assert_float_equal(json_real_value(json_object_get(json_array_get(tr, 0), "planned_t")), 12.5,
                       1e-9);
    assert_float_equal(json_real_value(json_object_get(json_array_get(tr, 1), "planned_t")), 2,
                       1e-9);
    assert_int_equal(json_array_size(json_object_get(t, "own_disposal")), 1);
    json_t *g0 = json_array_get(json_object_get(t, "generation"), 0);
    assert_float_equal(json_real_value(json_object_get(g0, "planned_t")), 12.5, 1e-9);
    json_t *s1 = json_array_get(json_object_get(t, "storage"), 1);
    assert_float_equal(json_real_value(json_object_get(s1, "year_end_t")), 2, 1e-9);
    json_decref(p);
    p = waste_plan_tables(WC_SIMPLIFIED, "一厂", "测试公司", 15.5, 2027, rows, 2);
    t = json_object_get(p, "tables");
    assert_int_equal(json_object_size(t), 5);
    assert_null(json_object_get(t, "facilities"));
    assert_null(json_object_get(t, "own_disposal"));
    json_decref(p);
    p = waste_plan_tables(WC_REGISTERED, "一厂", "测试公司", 5, 2027, rows, 2);
    t = json_object_get(p, "tables");
    assert_int_equal(json_object_size(t), 3);
    assert_non_null(json_object_get(t, "transfer"));
    assert_null(json_object_get(t, "storage"));
    json_decref(p);
}

static void test_periods(void **state)
{
    (void)state;
    struct waste_period p;
    assert_int_equal(waste_period_parse("2026-11", &p), 0);
    assert_int_equal(p.kind, WP_MONTH);
    assert_string_equal(p.from, "2026-11-01");
    assert_string_equal(p.to, "2026-12-01");
    assert_string_equal(p.due, "2026-12-15");
    assert_int_equal(waste_period_parse("2026-12", &p), 0);
    assert_string_equal(p.to, "2027-01-01");
    assert_string_equal(p.due, "2027-01-15");
    assert_int_equal(waste_period_parse("2026-Q4", &p), 0);
    assert_int_equal(p.kind, WP_QUARTER);
    assert_string_equal(p.from, "2026-10-01");
    assert_string_equal(p.due, "2027-01-15");
    assert_int_equal(waste_period_parse("2026-Q2", &p), 0);
    assert_string_equal(p.to, "2026-07-01");
    assert_int_equal(waste_period_parse("2026", &p), 0);
    assert_string_equal(p.due, "2027-03-31");
    assert_int_equal(waste_period_parse("2026-13", &p), ERR_INPUT);
    assert_int_equal(waste_period_parse("2026-Q5", &p), ERR_INPUT);
    assert_int_equal(waste_period_parse("26-01", &p), ERR_INPUT);
    assert_true(waste_class_reports(WC_KEY, WP_MONTH));
    assert_false(waste_class_reports(WC_KEY, WP_QUARTER));
    assert_true(waste_class_reports(WC_SIMPLIFIED, WP_QUARTER));
    assert_false(waste_class_reports(WC_SIMPLIFIED, WP_MONTH));
    assert_false(waste_class_reports(WC_REGISTERED, WP_QUARTER));
    assert_true(waste_class_reports(WC_REGISTERED, WP_YEAR));
}

static void test_shipped(void **state)
{
    (void)state;
    const struct embed_file *f = embed_find("data/rules/waste.rules.json");
    assert_non_null(f);
    json_t *doc = json_loadb((const char *)f->data, f->size, 0, NULL);
    assert_non_null(doc);
    json_t *body = json_object_get(json_array_get(json_object_get(doc, "versions"), 0), "body");
    struct waste_rules r = {0};
    char err[200];
    assert_int_equal(waste_rules_parse(body, &r, err, sizeof err), 0);
    assert_int_equal(r.licensed_storage_days, 365);
    assert_int_equal(r.confirm_workdays, 5);
    assert_int_equal(r.ledger_gap_days, 2);
    assert_int_equal(r.paper_workdays, 10);
    assert_int_equal(r.crossprov_workdays, 20);
    json_t *bad = json_pack("{s:i}", "confirm_workdays", 0);
    assert_int_equal(waste_rules_parse(bad, &r, err, sizeof err), ERR_INPUT);
    json_decref(bad);
    json_decref(doc);
    f = embed_find("data/codes/waste_codes_2021.csv");
    assert_non_null(f);
    /* every row: edition 2021, an 8-digit code whose last two digits are its HW category */
    const char *p = (const char *)f->data, *end = p + f->size;
    p = memchr(p, '\n', (size_t)(end - p)) + 1;
    int rows = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        assert_non_null(nl);
        assert_memory_equal(p, "2021,", 5);
        const char *code = p + 5;
        assert_true(code[3] == '-' && code[7] == '-' && code[10] == ',');
        assert_memory_equal(code + 11, "HW", 2);
        assert_memory_equal(code + 13, code + 8, 2);
        rows++;
        p = nl + 1;
    }
    assert_true(rows >= 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class),    cmocka_unit_test(test_batch_flow),
        cmocka_unit_test(test_numbers),  cmocka_unit_test(test_states),
        cmocka_unit_test(test_transfer), cmocka_unit_test(test_transfer_case),
        cmocka_unit_test(test_plan),     cmocka_unit_test(test_periods),
        cmocka_unit_test(test_shipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
