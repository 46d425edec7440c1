/*
** The penalty case type against an independent list of the legal steps: every (state, action,
** role) is allowed exactly when the list says so, a missing note is refused naming it, and the
** clock effects are where the law puts them (the hearing pauses and resumes the decision clock,
** the decisions stop it, extend extends it).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cases/cases.h"
#include "core/err.h"
#include "http/http.h"
#include "penalty/internal.h"

#define OFF (ROLE_ADMIN | ROLE_LEADER | ROLE_INSPECTOR | ROLE_LEGAL)
#define DEC (ROLE_ADMIN | ROLE_LEADER)

struct legal {
    const char *state, *action;
    unsigned roles;
    bool note;
    enum case_clock_effect clock;
};

static const struct legal LEGAL[] = {
    {"filed", "investigate", OFF, false, CLOCK_NONE},
    {"filed", "extend", DEC, true, CLOCK_EXTEND},
    {"filed", "dismiss", DEC, true, CLOCK_STOP},
    {"investigating", "notify", OFF, false, CLOCK_NONE},
    {"investigating", "decide_no_penalty", DEC, false, CLOCK_STOP},
    {"investigating", "extend", DEC, true, CLOCK_EXTEND},
    {"investigating", "dismiss", DEC, true, CLOCK_STOP},
    {"noticed", "request_hearing", OFF | ROLE_ENTERPRISE, false, CLOCK_PAUSE},
    {"noticed", "decide", DEC, false, CLOCK_STOP},
    {"noticed", "decide_no_penalty", DEC, false, CLOCK_STOP},
    {"noticed", "extend", DEC, true, CLOCK_EXTEND},
    {"hearing", "hearing_done", OFF, true, CLOCK_RESUME},
    {"decided", "execute", OFF, true, CLOCK_NONE},
    {"executed", "close", OFF, false, CLOCK_NONE},
};

static const char *const STATES[] = {"filed",   "investigating", "noticed", "hearing",
                                     "decided", "executed",      "closed"};
static const char *const ACTIONS[] = {
    "investigate",       "notify", "request_hearing", "hearing_done", "decide",
    "decide_no_penalty", "extend", "execute",         "close",        "dismiss"};
static const unsigned ROLES[] = {ROLE_ADMIN, ROLE_LEADER,  ROLE_APPROVER, ROLE_INSPECTOR,
                                 ROLE_LEGAL, ROLE_MONITOR, ROLE_SERVICE,  ROLE_ENTERPRISE};

static void test_transition_table(void **state)
{
    (void)state;
    penalty_case_register();
    const struct case_type *t = cases_type_find("penalty");
    assert_non_null(t);
    assert_string_equal(t->states[0], "filed");
    assert_true(cases_state_final(t, "closed"));
    assert_false(cases_state_final(t, "decided"));
    const char *note[] = {"note"};
    for (size_t s = 0; s < sizeof STATES / sizeof *STATES; s++) {
        for (size_t a = 0; a < sizeof ACTIONS / sizeof *ACTIONS; a++) {
            const struct legal *l = NULL;
            for (size_t k = 0; k < sizeof LEGAL / sizeof *LEGAL; k++) {
                if (!strcmp(LEGAL[k].state, STATES[s]) && !strcmp(LEGAL[k].action, ACTIONS[a])) {
                    l = &LEGAL[k];
                }
            }
            for (size_t r = 0; r < sizeof ROLES / sizeof *ROLES; r++) {
                const struct case_transition *tr = NULL;
                const char *field = NULL;
                char why[256];
                int rc = case_check(t, STATES[s], ACTIONS[a], ROLES[r], note, 1, &tr, &field, why,
                                    sizeof why);
                bool allowed = l && (l->roles & ROLES[r]);
                if (allowed != (rc == 0)) {
                    fail_msg("%s %s by role %u: rc %d", STATES[s], ACTIONS[a], ROLES[r], rc);
                }
                if (allowed) {
                    assert_int_equal(tr->clock, l->clock);
                    if (l->note) {
                        rc = case_check(t, STATES[s], ACTIONS[a], ROLES[r], NULL, 0, &tr, &field,
                                        why, sizeof why);
                        assert_int_equal(rc, ERR_INPUT);
                        assert_string_equal(field, "note");
                    }
                }
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_transition_table)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
