/*
** The rectification workflow's pure parts: the case type's table — every (state, action, role)
** against an independent list of the legal ones (the enterprise submits and resubmits, the
** inspector or leader verifies (also on site, straight from issued) and returns, only a leader
*closes an order not rectified,
** nothing leaves verified); an order's deadline in working days over the 2026 holidays
** (国庆节 1–7 October with the make-up workday on Saturday 10 October, 劳动节 1–5 May with
** Saturday 9 May) and a missing year; lateness of a verification against the due date.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "calendar/calendar.h"
#include "cases/cases.h"
#include "core/err.h"
#include "core/util.h"
#include "rectify/workflow.h"

static struct calendar cal;

static int setup(void **state)
{
    (void)state;
    calendar_init(&cal);
    char err[256] = "";
    static char buf[1 << 16];
    FILE *f = fopen("data/calendar/2026.json", "rb");
    if (!f) {
        fail_msg("cannot open data/calendar/2026.json (run from the repository root)");
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    if (calendar_load_json(&cal, buf, n, NULL, err, sizeof err)) {
        fail_msg("%s", err);
    }
    rectify_workflow_register();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    calendar_free(&cal);
    return 0;
}

static const char *const STATES[] = {"issued", "submitted", "returned", "verified",
                                     "overdue_closed"};
static const char *const ACTIONS[] = {"submit", "verify", "return", "close_overdue", "reopen"};
static const struct {
    const char *from, *action, *to;
    unsigned roles;
} LEGAL[] = {
    {"issued", "submit", "submitted", ROLE_ENTERPRISE},
    {"returned", "submit", "submitted", ROLE_ENTERPRISE},
    {"submitted", "verify", "verified", ROLE_INSPECTOR | ROLE_LEADER},
    {"issued", "verify", "verified", ROLE_INSPECTOR | ROLE_LEADER}, /* on site */
    {"submitted", "return", "returned", ROLE_INSPECTOR | ROLE_LEADER},
    {"issued", "close_overdue", "overdue_closed", ROLE_LEADER},
    {"returned", "close_overdue", "overdue_closed", ROLE_LEADER},
};

static void test_transition_table(void **state)
{
    (void)state;
    const struct case_type *t = cases_type_find("rectification");
    assert_ptr_equal(t, &RECTIFY_CASE_TYPE);
    const char *all[] = {"note"};
    unsigned roles[] = {ROLE_ADMIN,   ROLE_LEADER,  ROLE_APPROVER,   ROLE_INSPECTOR,  ROLE_LEGAL,
                        ROLE_MONITOR, ROLE_SERVICE, ROLE_ENTERPRISE, CASE_ROLE_SYSTEM};
    size_t seen = 0, want = 0;
    for (size_t s = 0; s < ARRAY_LEN(STATES); s++) {
        for (size_t a = 0; a < ARRAY_LEN(ACTIONS); a++) {
            int legal = -1;
            for (size_t i = 0; i < ARRAY_LEN(LEGAL); i++) {
                if (!strcmp(LEGAL[i].from, STATES[s]) && !strcmp(LEGAL[i].action, ACTIONS[a])) {
                    legal = (int)i;
                }
            }
            bool known = strcmp(ACTIONS[a], "reopen") != 0;
            for (size_t r = 0; r < ARRAY_LEN(roles); r++) {
                const struct case_transition *tr = NULL;
                char why[256] = "";
                int rc = case_check(t, STATES[s], ACTIONS[a], roles[r], all, 1, &tr, NULL, why,
                                    sizeof why);
                if (legal >= 0 && (LEGAL[legal].roles & roles[r])) {
                    assert_int_equal(rc, 0);
                    assert_string_equal(tr->to, LEGAL[legal].to);
                    seen++;
                } else if (!known) {
                    assert_int_equal(rc, ERR_INPUT);
                } else {
                    assert_int_equal(rc, legal >= 0 ? ERR_FORBIDDEN : ERR_CONFLICT);
                    assert_true(strstr(why, " / ") != NULL);
                }
            }
        }
    }
    for (size_t i = 0; i < ARRAY_LEN(LEGAL); i++) {
        want += (size_t)__builtin_popcount(LEGAL[i].roles);
    }
    assert_int_equal(seen, want);
    assert_int_equal(t->n_transitions, ARRAY_LEN(LEGAL));
    assert_true(cases_state_final(t, "verified"));
    assert_true(cases_state_final(t, "overdue_closed"));
    assert_false(cases_state_final(t, "returned"));
}

static void test_reason_required(void **state)
{
    (void)state;
    const struct case_transition *tr;
    const char *field = NULL;
    char why[256];
    assert_int_equal(case_check(&RECTIFY_CASE_TYPE, "submitted", "return", ROLE_INSPECTOR, NULL, 0,
                                &tr, &field, why, sizeof why),
                     ERR_INPUT);
    assert_string_equal(field, "note");
    assert_int_equal(case_check(&RECTIFY_CASE_TYPE, "issued", "submit", ROLE_ENTERPRISE, NULL, 0,
                                &tr, &field, why, sizeof why),
                     ERR_INPUT);
    /* verifying needs no text */
    assert_int_equal(case_check(&RECTIFY_CASE_TYPE, "submitted", "verify", ROLE_LEADER, NULL, 0,
                                &tr, &field, why, sizeof why),
                     0);
}

static void test_deadline_plain(void **state)
{
    (void)state;
    char d[11];
    /* Monday 7 December 2026 + 15 working days: three weeks later, Monday 28 December */
    assert_int_equal(rectify_deadline(&cal, "2026-12-07", 15, d, NULL), 0);
    assert_string_equal(d, "2026-12-28");
}

static void test_deadline_over_national_day(void **state)
{
    (void)state;
    char d[11];
    /* Issued Monday 28 September: 29, 30 Sep work; 1–7 Oct holidays; 8, 9, 10 (make-up) work */
    assert_int_equal(rectify_deadline(&cal, "2026-09-28", 5, d, NULL), 0);
    assert_string_equal(d, "2026-10-10");
    /* without the holiday it would have been Monday 5 October */
    assert_int_equal(rectify_deadline(&cal, "2026-09-28", 15, d, NULL), 0);
    assert_string_equal(d, "2026-10-23");
}

static void test_deadline_over_labour_day(void **state)
{
    (void)state;
    char d[11];
    /* Issued Thursday 30 April: 1–5 May holidays; Wed 6, Thu 7, Fri 8, Sat 9 (make-up) */
    assert_int_equal(rectify_deadline(&cal, "2026-04-30", 4, d, NULL), 0);
    assert_string_equal(d, "2026-05-09");
}

static void test_deadline_missing_year_and_bad_input(void **state)
{
    (void)state;
    char d[11] = "x";
    int missing = 0;
    assert_int_equal(rectify_deadline(&cal, "2026-12-28", 10, d, &missing), ERR_NOTFOUND);
    assert_int_equal(missing, 2027);
    assert_string_equal(d, "");
    assert_int_equal(rectify_deadline(&cal, "2026-02-30", 5, d, NULL), ERR_INPUT);
    assert_int_equal(rectify_deadline(&cal, "2026-12-01", 0, d, NULL), ERR_INPUT);
    assert_int_equal(rectify_deadline(&cal, NULL, 5, d, NULL), ERR_INPUT);
}

static void test_late(void **state)
{
    (void)state;
    assert_false(rectify_verified_late("2026-10-10", "2026-10-10"));
    assert_false(rectify_verified_late("2026-10-10", "2026-10-09"));
    assert_true(rectify_verified_late("2026-10-10", "2026-10-11"));
    assert_false(rectify_verified_late("", "2026-10-11")); /* no deadline: never late */
    assert_false(rectify_verified_late(NULL, "2026-10-11"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transition_table),
        cmocka_unit_test(test_reason_required),
        cmocka_unit_test(test_deadline_plain),
        cmocka_unit_test(test_deadline_over_national_day),
        cmocka_unit_test(test_deadline_over_labour_day),
        cmocka_unit_test(test_deadline_missing_year_and_bad_input),
        cmocka_unit_test(test_late),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
