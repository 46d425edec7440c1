/*
** Casework engine, pure parts: the clock across the 2026 Spring Festival and National Day with
** their make-up workdays, calendar days rolled to a workday, working hours, pauses, extensions,
** a year missing from the calendar; the clock's state; and the alarm case type's transition
** table, every (state, action, role) checked against an independent list of the legal ones.
** Run from the repository root (reads data/calendar/2025.json and 2026.json).
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
#include "core/buf.h"
#include "core/err.h"
#include "core/util.h"
#include "http/http.h"

static struct calendar cal;

static int setup(void **state)
{
    (void)state;
    calendar_init(&cal);
    for (int y = 2025; y <= 2026; y++) {
        char path[64], err[256] = "";
        static char buf[1 << 16];
        snprintf(path, sizeof path, "data/calendar/%d.json", y);
        FILE *f = fopen(path, "rb");
        if (!f) {
            fail_msg("cannot open %s (run from the repository root)", path);
        }
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        if (calendar_load_json(&cal, buf, n, NULL, err, sizeof err)) {
            fail_msg("%s: %s", path, err);
        }
    }
    cases_alarm_register();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    calendar_free(&cal);
    return 0;
}

/* China time "YYYY-MM-DD HH:MM" as unix seconds. */
static int64_t T(const char *s)
{
    int32_t day;
    int64_t hh, mm;
    assert_int_equal(calendar_date_parse(s, 10, &day), 0);
    assert_int_equal(parse_i64(s + 11, 2, &hh), 0);
    assert_int_equal(parse_i64(s + 14, 2, &mm), 0);
    return (int64_t)day * 86400 + hh * 3600 + mm * 60 - 8 * 3600;
}

/* The deadline of k in China time "YYYY-MM-DD HH:MM" ("24:00" is written as the next day's
   00:00: the end of a due day). */
static void expect_due(const struct case_clock *k, const char *want)
{
    int64_t due, soon;
    int missing = 0;
    assert_int_equal(case_clock_due(&cal, k, &due, &soon, &missing), 0);
    assert_int_equal(due, T(want));
    assert_true(soon > k->started_at && soon < due);
}

static struct case_clock clock_of(enum case_unit u, int64_t limit, const char *start)
{
    return (struct case_clock){.unit = u, .limit = limit, .started_at = T(start)};
}

/* 春节 2026: holidays Feb 15–23, make-up workdays Sat Feb 14 and Sat Feb 28. */
static void test_workdays_spring_festival(void **state)
{
    (void)state;
    /* Fri Feb 13: 14 (make-up) is 1, 24–27 are 2–5, 28 (make-up) 6, Mar 2–5 are 7–10. */
    struct case_clock k = clock_of(CU_WORKDAYS, 10, "2026-02-13 10:00");
    expect_due(&k, "2026-03-06 00:00");
    k = clock_of(CU_WORKDAYS, 1, "2026-02-13 10:00");
    expect_due(&k, "2026-02-15 00:00"); /* the make-up Saturday itself */
    k = clock_of(CU_WORKDAYS, 2, "2026-02-14 10:00");
    expect_due(&k, "2026-02-26 00:00"); /* Feb 24 and 25: the holiday week counts nothing */
}

/* 国庆 2026 (data/calendar/2026.json): holidays Oct 1–7, make-up Sun Sep 20 and Sat Oct 10. */
static void test_workdays_national_day(void **state)
{
    (void)state;
    /* Wed Sep 30: Oct 8 is 1, 9 is 2, 10 (make-up Saturday) 3, 12 is 4, 13 is 5. */
    struct case_clock k = clock_of(CU_WORKDAYS, 5, "2026-09-30 09:00");
    expect_due(&k, "2026-10-14 00:00");
    /* Fri Sep 18: Sun Sep 20 is a make-up workday, so 1 workday later is Sep 20. */
    k = clock_of(CU_WORKDAYS, 1, "2026-09-18 09:00");
    expect_due(&k, "2026-09-21 00:00");
}

/* Calendar days: Sep 25 (中秋节) + 7 = Oct 2, a holiday: rolled to Thu Oct 8. */
static void test_days_rolled(void **state)
{
    (void)state;
    struct case_clock k = clock_of(CU_DAYS, 7, "2026-09-25 11:00");
    expect_due(&k, "2026-10-09 00:00");
    k = clock_of(CU_DAYS, 3, "2026-03-02 11:00"); /* Thu Mar 5, a workday: not moved */
    expect_due(&k, "2026-03-06 00:00");
}

/* Working hours 09:00–17:00 on workdays, across both holidays. */
static void test_work_hours(void **state)
{
    (void)state;
    /* Fri Feb 13 16:00: one hour that day, three on the make-up Saturday morning. */
    struct case_clock k = clock_of(CU_WORK_HOURS, 4, "2026-02-13 16:00");
    expect_due(&k, "2026-02-14 12:00");
    /* Half an hour on Sep 30, the rest after the National Day holiday. */
    k = clock_of(CU_WORK_HOURS, 2, "2026-09-30 16:30");
    expect_due(&k, "2026-10-08 10:30");
    /* Opened at night: the clock starts at 09:00. */
    k = clock_of(CU_WORK_HOURS, 1, "2026-03-02 22:00");
    expect_due(&k, "2026-03-03 10:00");
    int64_t w;
    assert_int_equal(
        case_work_seconds(&cal, T("2026-02-13 08:00"), T("2026-02-24 10:00"), &w, NULL), 0);
    assert_int_equal(w, (8 + 8 + 1) * 3600); /* Feb 13, make-up Feb 14, Feb 24 09–10 */
}

/* Pauses are left out: the days after the day a pause began to the day it ended; for hours,
   the working time inside the pause. */
static void test_pauses(void **state)
{
    (void)state;
    struct case_clock k = clock_of(CU_WORKDAYS, 5, "2026-03-02 09:00");
    expect_due(&k, "2026-03-10 00:00"); /* Mar 3, 4, 5, 6, 9 */
    assert_int_equal(case_clock_apply(&k, CLOCK_PAUSE, T("2026-03-03 10:00"), 0), 0);
    int64_t due, soon;
    assert_int_equal(case_clock_due(&cal, &k, &due, &soon, NULL), 0);
    assert_int_equal(due, 0); /* no deadline while paused */
    assert_int_equal(case_clock_state_at(&k, due, soon, T("2026-03-04 10:00")), CS_PAUSED);
    assert_int_equal(case_clock_apply(&k, CLOCK_RESUME, T("2026-03-05 15:00"), 0), 0);
    assert_int_equal(k.n_pauses, 1);
    expect_due(&k, "2026-03-12 00:00"); /* Mar 4 and 5 left out: 3, 6, 9, 10, 11 */

    k = clock_of(CU_WORK_HOURS, 8, "2026-03-02 09:00");
    case_clock_apply(&k, CLOCK_PAUSE, T("2026-03-02 16:00"), 0);
    case_clock_apply(&k, CLOCK_RESUME, T("2026-03-03 10:00"), 0);
    expect_due(&k, "2026-03-03 11:00"); /* two working hours inside the pause */

    /* A pause across the Spring Festival: only its working hours count (Feb 13 16–17, make-up
       Feb 14, Feb 24 09–10). */
    k = clock_of(CU_WORK_HOURS, 4, "2026-02-13 15:00");
    case_clock_apply(&k, CLOCK_PAUSE, T("2026-02-13 16:00"), 0);
    case_clock_apply(&k, CLOCK_RESUME, T("2026-02-24 10:00"), 0);
    expect_due(&k, "2026-02-24 13:00");

    k = clock_of(CU_MINUTES, 30, "2026-03-02 09:00");
    case_clock_apply(&k, CLOCK_PAUSE, T("2026-03-02 09:10"), 0);
    case_clock_apply(&k, CLOCK_RESUME, T("2026-03-02 09:20"), 0);
    expect_due(&k, "2026-03-02 09:40");

    struct buf b;
    buf_init(&b, 4096);
    case_pauses_format(&k, &b);
    struct case_clock back = {0};
    assert_int_equal(case_pauses_parse(b.p, &back), 0);
    assert_int_equal(back.n_pauses, 1);
    assert_int_equal(back.pauses[0].from, T("2026-03-02 09:10"));
    assert_int_equal(back.pauses[0].to, T("2026-03-02 09:20"));
    buf_release(&b);
    assert_int_equal(case_pauses_parse("5-3", &back), ERR_INPUT);
    assert_int_equal(case_pauses_parse("1-2,x", &back), ERR_INPUT);
    assert_int_equal(case_pauses_parse("", &back), 0);
    assert_int_equal(back.n_pauses, 0);
}

/* Extensions add to the limit; the clock refuses what does not fit its state. */
static void test_extensions_and_refusals(void **state)
{
    (void)state;
    struct case_clock k = clock_of(CU_WORKDAYS, 5, "2026-09-24 09:00");
    /* Sep 25 is 中秋节: Sep 28, 29, 30, Oct 8, 9. */
    expect_due(&k, "2026-10-10 00:00");
    assert_int_equal(case_clock_apply(&k, CLOCK_EXTEND, T("2026-09-29 09:00"), 2), 0);
    expect_due(&k, "2026-10-13 00:00"); /* + Sat Oct 10 (make-up) and Mon Oct 12 */
    assert_int_equal(case_clock_apply(&k, CLOCK_EXTEND, 0, 0), ERR_INPUT);
    assert_int_equal(case_clock_apply(&k, CLOCK_RESUME, T("2026-09-29 10:00"), 0), ERR_CONFLICT);
    assert_int_equal(case_clock_apply(&k, CLOCK_PAUSE, T("2026-09-29 10:00"), 0), 0);
    assert_int_equal(case_clock_apply(&k, CLOCK_PAUSE, T("2026-09-29 11:00"), 0), ERR_CONFLICT);
    assert_int_equal(case_clock_apply(&k, CLOCK_STOP, T("2026-09-30 10:00"), 0), 0);
    assert_int_equal(k.n_pauses, 1); /* stopping closes the open pause */
    assert_int_equal(case_clock_apply(&k, CLOCK_STOP, T("2026-09-30 11:00"), 0), 0);
    assert_int_equal(case_clock_apply(&k, CLOCK_PAUSE, T("2026-09-30 11:00"), 0), ERR_CONFLICT);
    assert_int_equal(case_clock_apply(&k, CLOCK_EXTEND, T("2026-09-30 11:00"), 1), ERR_CONFLICT);
    assert_int_equal(case_clock_state_at(&k, 1, 1, 2), CS_STOPPED);
}

/* A year missing from the calendar is an error that names it, never a guess. */
static void test_missing_year(void **state)
{
    (void)state;
    int64_t due = -1, soon;
    int missing = 0;
    struct case_clock k = clock_of(CU_WORK_HOURS, 4, "2026-12-31 16:00");
    assert_int_equal(case_clock_due(&cal, &k, &due, &soon, &missing), ERR_NOTFOUND);
    assert_int_equal(missing, 2027);
    assert_int_equal(due, 0);
    missing = 0;
    k = clock_of(CU_WORKDAYS, 3, "2026-12-30 10:00");
    assert_int_equal(case_clock_due(&cal, &k, &due, &soon, &missing), ERR_NOTFOUND);
    assert_int_equal(missing, 2027);
    k = clock_of(CU_HOURS, 48, "2026-12-31 16:00"); /* elapsed time needs no calendar */
    expect_due(&k, "2027-01-02 16:00");
}

static void test_clock_states(void **state)
{
    (void)state;
    struct case_clock k = clock_of(CU_HOURS, 4, "2026-03-02 09:00");
    int64_t due, soon;
    assert_int_equal(case_clock_due(&cal, &k, &due, &soon, NULL), 0);
    assert_int_equal(soon, T("2026-03-02 12:00")); /* the last quarter */
    assert_int_equal(case_clock_state_at(&k, due, soon, T("2026-03-02 11:59")), CS_ON_TRACK);
    assert_int_equal(case_clock_state_at(&k, due, soon, T("2026-03-02 12:00")), CS_DUE_SOON);
    assert_int_equal(case_clock_state_at(&k, due, soon, T("2026-03-02 13:00")), CS_OVERDUE);
    assert_string_equal(case_clock_state_name(CS_DUE_SOON), "due_soon");
    assert_int_equal(case_unit_parse("work_hours"), CU_WORK_HOURS);
    assert_int_equal(case_unit_parse("weeks"), -1);
}

/* ---------------- the alarm case type's transition table ---------------- */

#define H (ROLE_ADMIN | ROLE_MONITOR | ROLE_INSPECTOR)
#define L (ROLE_ADMIN | ROLE_LEADER)
#define S CASE_ROLE_SYSTEM

/* The legal transitions, written from the design (docs/internals/cases.md), not the table. */
static const struct {
    const char *from, *action, *to;
    unsigned roles;
    const char *required;
} LEGAL[] = {
    {"open", "acknowledge", "acknowledged", H, "note"},
    {"open", "explain", "open", ROLE_ENTERPRISE, "note"},
    {"open", "pause", "waiting", H, "note"},
    {"waiting", "resume", "open", H, NULL},
    {"open", "request_extension", "extension_requested", H, "extension"},
    {"extension_requested", "approve_extension", "open", L, NULL},
    {"extension_requested", "refuse_extension", "open", L, "note"},
    {"open", "close", "closed", H, NULL},
    {"waiting", "close", "closed", H, NULL},
    {"extension_requested", "close", "closed", H, NULL},
    {"acknowledged", "close", "closed", H, NULL},
    {"open", "autoclose", "closed", S, NULL},
    {"waiting", "autoclose", "closed", S, NULL},
    {"extension_requested", "autoclose", "closed", S, NULL},
    {"acknowledged", "autoclose", "closed", S, NULL},
};

static const char *const STATES[] = {"open", "waiting", "extension_requested", "acknowledged",
                                     "closed"};
static const char *const ACTIONS[] = {
    "acknowledge",       "explain",          "pause", "resume",   "request_extension",
    "approve_extension", "refuse_extension", "close", "autoclose"};

static void test_transition_table(void **state)
{
    (void)state;
    const struct case_type *t = cases_type_find("alarm");
    assert_non_null(t);
    const char *all[] = {"note", "extension"};
    unsigned roles[] = {ROLE_ADMIN,   ROLE_LEADER,  ROLE_APPROVER,   ROLE_INSPECTOR,  ROLE_LEGAL,
                        ROLE_MONITOR, ROLE_SERVICE, ROLE_ENTERPRISE, CASE_ROLE_SYSTEM};
    size_t legal_seen = 0;
    for (size_t s = 0; s < ARRAY_LEN(STATES); s++) {
        for (size_t a = 0; a < ARRAY_LEN(ACTIONS); a++) {
            int legal = -1;
            for (size_t i = 0; i < ARRAY_LEN(LEGAL); i++) {
                if (!strcmp(LEGAL[i].from, STATES[s]) && !strcmp(LEGAL[i].action, ACTIONS[a])) {
                    legal = (int)i;
                }
            }
            for (size_t r = 0; r < ARRAY_LEN(roles); r++) {
                const struct case_transition *tr;
                char why[256] = "";
                int rc = case_check(t, STATES[s], ACTIONS[a], roles[r], all, 2, &tr, NULL, why,
                                    sizeof why);
                if (legal >= 0 && (LEGAL[legal].roles & roles[r])) {
                    assert_int_equal(rc, 0);
                    assert_string_equal(tr->to, LEGAL[legal].to);
                    legal_seen++;
                } else {
                    assert_int_equal(rc, legal >= 0 ? ERR_FORBIDDEN : ERR_CONFLICT);
                    assert_null(tr);
                    assert_true(strstr(why, " / ") != NULL); /* both languages */
                }
            }
        }
    }
    size_t want = 0;
    for (size_t i = 0; i < ARRAY_LEN(LEGAL); i++) {
        want += (size_t)__builtin_popcount(LEGAL[i].roles);
    }
    assert_int_equal(legal_seen, want);
    /* The table has nothing beyond the list. */
    assert_int_equal(t->n_transitions, ARRAY_LEN(LEGAL));
    /* Required fields: each legal transition refused without its field, naming it. */
    for (size_t i = 0; i < ARRAY_LEN(LEGAL); i++) {
        if (!LEGAL[i].required) {
            continue;
        }
        const struct case_transition *tr;
        const char *field = NULL;
        unsigned role = LEGAL[i].roles & -LEGAL[i].roles;
        int rc = case_check(t, LEGAL[i].from, LEGAL[i].action, role, NULL, 0, &tr, &field, NULL, 0);
        assert_int_equal(rc, ERR_INPUT);
        assert_string_equal(field, LEGAL[i].required);
    }
    /* An action the type does not have. */
    const struct case_transition *tr;
    assert_int_equal(case_check(t, "open", "approve", ROLE_ADMIN, NULL, 0, &tr, NULL, NULL, 0),
                     ERR_INPUT);
    assert_true(cases_state_final(t, "closed"));
    assert_false(cases_state_final(t, "acknowledged"));
    assert_int_equal(cases_state_roles(t, "closed"), 0);
    assert_int_equal(cases_state_roles(t, "extension_requested"), H | L);
    assert_int_equal(cases_state_roles(t, "open"), H | ROLE_ENTERPRISE);
}

static void test_alarm_limit_setting(void **state)
{
    (void)state;
    int64_t n;
    int u;
    assert_int_equal(cases_alarm_limit("4 work_hours", "exceed", &n, &u), 0);
    assert_int_equal(n, 4);
    assert_int_equal(u, CU_WORK_HOURS);
    const char *spec = "offline=8 hours;exceed=30 minutes;2 workdays";
    assert_int_equal(cases_alarm_limit(spec, "exceed", &n, &u), 0);
    assert_true(n == 30 && u == CU_MINUTES);
    assert_int_equal(cases_alarm_limit(spec, "offline", &n, &u), 0);
    assert_true(n == 8 && u == CU_HOURS);
    assert_int_equal(cases_alarm_limit(spec, "flag", &n, &u), 0);
    assert_true(n == 2 && u == CU_WORKDAYS);
    assert_int_equal(cases_alarm_limit("exceed=1 hours", "flag", &n, &u), ERR_NOTFOUND);
    assert_int_equal(cases_alarm_limit("4 fortnights", "flag", &n, &u), ERR_INPUT);
    assert_int_equal(cases_alarm_limit("x work_hours", "flag", &n, &u), ERR_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workdays_spring_festival),
        cmocka_unit_test(test_workdays_national_day),
        cmocka_unit_test(test_days_rolled),
        cmocka_unit_test(test_work_hours),
        cmocka_unit_test(test_pauses),
        cmocka_unit_test(test_extensions_and_refusals),
        cmocka_unit_test(test_missing_year),
        cmocka_unit_test(test_clock_states),
        cmocka_unit_test(test_transition_table),
        cmocka_unit_test(test_alarm_limit_setting),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
