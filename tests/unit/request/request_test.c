/*
** Requests and complaints without a database: the request case type against an independent
** list of legal (state, action, role) steps with their clock effects and required fields; the
** distance that decides a repeat (50 m either side of the line); tracking codes; the Open311
** status of each state; the Open311 date window (defaults, 90 days, time zones required,
** offsets, bad dates) and form-encoded values; XML escaping.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cases/cases.h"
#include "core/buf.h"
#include "core/err.h"
#include "request/request.h"

#define STAFF (ROLE_ADMIN | ROLE_LEADER | ROLE_SERVICE | ROLE_INSPECTOR | ROLE_APPROVER)
#define LEAD (ROLE_LEADER | ROLE_ADMIN)

static const char *const STATES[] = {"received", "accepted", "handling", "extension_requested",
                                     "closed",   "rated",    "rejected", "referred",
                                     "reopened"};
static const char *const ACTIONS[] = {"accept",
                                      "reject",
                                      "refer",
                                      "dispatch",
                                      "note",
                                      "site_visit",
                                      "request_extension",
                                      "approve_extension",
                                      "deny_extension",
                                      "close",
                                      "follow_up",
                                      "reopen"};
static const unsigned ROLES[] = {ROLE_ADMIN,     ROLE_LEADER,     ROLE_APPROVER,
                                 ROLE_INSPECTOR, ROLE_LEGAL,      ROLE_MONITOR,
                                 ROLE_SERVICE,   ROLE_ENTERPRISE, CASE_ROLE_SYSTEM};

struct legal {
    const char *from, *action, *to;
    unsigned roles;
    enum case_clock_effect clock;
    const char *field; /* the one required field, or NULL */
};
/* Written from the workflow of the contract, not copied from request.c. */
static const struct legal LEGAL[] = {
    {"received", "accept", "accepted", STAFF, CLOCK_NONE, NULL},
    {"received", "reject", "rejected", STAFF, CLOCK_STOP, "note"},
    {"received", "refer", "referred", STAFF, CLOCK_STOP, "referred_to"},
    {"accepted", "dispatch", "handling", STAFF, CLOCK_NONE, NULL},
    {"handling", "dispatch", "handling", STAFF, CLOCK_NONE, NULL},
    {"handling", "note", "handling", STAFF, CLOCK_NONE, "note"},
    {"handling", "site_visit", "handling", STAFF, CLOCK_NONE, NULL},
    {"handling", "request_extension", "extension_requested", STAFF, CLOCK_NONE, "note"},
    {"extension_requested", "approve_extension", "handling", LEAD, CLOCK_EXTEND, "extension"},
    {"extension_requested", "deny_extension", "handling", LEAD, CLOCK_NONE, "note"},
    {"handling", "close", "closed", STAFF, CLOCK_STOP, "answer"},
    {"closed", "follow_up", "rated", STAFF, CLOCK_NONE, "satisfaction"},
    {"closed", "reopen", "reopened", STAFF, CLOCK_NONE, "note"},
};

static const struct legal *legal_of(const char *from, const char *action)
{
    for (size_t i = 0; i < sizeof LEGAL / sizeof LEGAL[0]; i++) {
        if (!strcmp(LEGAL[i].from, from) && !strcmp(LEGAL[i].action, action)) {
            return &LEGAL[i];
        }
    }
    return NULL;
}

static void test_transition_table(void **state)
{
    (void)state;
    request_case_register();
    const struct case_type *t = cases_type_find("request");
    assert_non_null(t);
    assert_string_equal(t->states[0], "received");
    const char *all[] = {"note", "answer", "referred_to", "satisfaction", "extension"};
    for (size_t s = 0; s < sizeof STATES / sizeof STATES[0]; s++) {
        for (size_t a = 0; a < sizeof ACTIONS / sizeof ACTIONS[0]; a++) {
            for (size_t r = 0; r < sizeof ROLES / sizeof ROLES[0]; r++) {
                const struct legal *l = legal_of(STATES[s], ACTIONS[a]);
                const struct case_transition *tr = NULL;
                const char *field = NULL;
                char why[256];
                int rc = case_check(t, STATES[s], ACTIONS[a], ROLES[r], all, 5, &tr, &field, why,
                                    sizeof why);
                bool allowed = l && (l->roles & ROLES[r]);
                if (allowed != (rc == 0)) {
                    fail_msg("%s %s by role %u: rc %d", STATES[s], ACTIONS[a], ROLES[r], rc);
                }
                if (!allowed) {
                    continue;
                }
                assert_int_equal(tr->clock, l->clock);
                assert_string_equal(tr->to, l->to);
                if (l->field) {
                    rc = case_check(t, STATES[s], ACTIONS[a], ROLES[r], NULL, 0, &tr, &field, why,
                                    sizeof why);
                    assert_int_equal(rc, ERR_INPUT);
                    assert_string_equal(field, l->field);
                }
            }
        }
    }
    /* the final states: nothing moves a rated, rejected, referred or reopened case */
    const char *final[] = {"rated", "rejected", "referred", "reopened"};
    for (int i = 0; i < 4; i++) {
        assert_true(cases_state_final(t, final[i]));
    }
    assert_false(cases_state_final(t, "closed")); /* the follow-up is still to do */
}

static void test_distance(void **state)
{
    (void)state;
    /* one thousandth of a degree of latitude is about 111 m anywhere */
    double d = request_distance_m(30.0, 120.0, 30.001, 120.0);
    assert_true(d > 110.5 && d < 111.7);
    /* 0.0004° north is ~44 m (a repeat), 0.0005° ~56 m (not) */
    assert_true(request_distance_m(30.9, 119.9, 30.9004, 119.9) < 50);
    assert_true(request_distance_m(30.9, 119.9, 30.9005, 119.9) > 50);
    /* a degree of longitude shrinks with cos(latitude): at 60° it is half */
    double eq = request_distance_m(0, 0, 0, 1), n60 = request_distance_m(60, 0, 60, 1);
    assert_true(n60 > eq * 0.49 && n60 < eq * 0.51);
    assert_true(request_distance_m(30, 120, 30, 120) == 0);
    assert_true(request_point_valid(30.9, 119.9));
    assert_false(request_point_valid(91, 0));
    assert_false(request_point_valid(0, -181));
    assert_false(request_point_valid(0.0 / 0.0, 0));
}

static void test_tracking_code(void **state)
{
    (void)state;
    unsigned char rnd[10] = {0, 1, 2, 31, 32, 255, 8, 9, 10, 200};
    char code[13];
    request_tracking_code(rnd, code);
    assert_int_equal(strlen(code), 12);
    assert_true(request_tracking_code_valid(code));
    assert_memory_equal(code, "TS234Z", 6);
    assert_null(strpbrk(code + 2, "01OI"));
    assert_false(request_tracking_code_valid("TS234567890"));   /* 0 and 1 are not used */
    assert_false(request_tracking_code_valid("TS23456789AB7")); /* too long */
    assert_false(request_tracking_code_valid("XX23456789AB"));
    assert_false(request_tracking_code_valid("ts23456789ab"));
    assert_false(request_tracking_code_valid(NULL));
}

static void test_open311_status(void **state)
{
    (void)state;
    const char *open[] = {"received", "accepted", "handling"};
    const char *closed[] = {"closed", "rated", "rejected", "referred"};
    for (int i = 0; i < 3; i++) {
        assert_string_equal(request_open311_status(open[i]), "open");
    }
    for (int i = 0; i < 4; i++) {
        assert_string_equal(request_open311_status(closed[i]), "closed");
    }
}

static void test_window(void **state)
{
    (void)state;
    char from[32], to[32];
    const char *field;
    int64_t now = 1796601600; /* 2026-12-07T00:00:00Z */
    assert_int_equal(request_open311_window(NULL, NULL, now, from, to, &field), 0);
    assert_string_equal(from, "2026-09-08T00:00:00Z"); /* 90 days back */
    assert_string_equal(to, "2026-12-07T00:00:01Z");
    assert_int_equal(request_open311_window("2026-12-01T08:00:00+08:00", "2026-12-02T00:00:00Z",
                                            now, from, to, &field),
                     0);
    assert_string_equal(from, "2026-12-01T00:00:00Z");
    assert_string_equal(to, "2026-12-02T00:00:00Z");
    /* a start alone: the end is now */
    assert_int_equal(
        request_open311_window("2026-11-01T00:00:00-05:00", NULL, now, from, to, &field), 0);
    assert_string_equal(from, "2026-11-01T05:00:00Z");
    /* exactly 90 days is allowed, one second more is not */
    assert_int_equal(request_open311_window("2026-09-08T00:00:00Z", "2026-12-07T00:00:00Z", now,
                                            from, to, &field),
                     0);
    assert_int_equal(request_open311_window("2026-09-07T23:59:59Z", "2026-12-07T00:00:00Z", now,
                                            from, to, &field),
                     ERR_INPUT);
    assert_string_equal(field, "end_date");
    assert_int_equal(request_open311_window("2026-01-01T00:00:00Z", NULL, now, from, to, &field),
                     ERR_INPUT);
    assert_string_equal(field, "start_date");
    /* no time zone, a bad date, start after end */
    assert_int_equal(request_open311_window("2026-12-01T00:00:00", NULL, now, from, to, &field),
                     ERR_INPUT);
    assert_int_equal(request_open311_window("2026-02-30T00:00:00Z", NULL, now, from, to, &field),
                     ERR_INPUT);
    assert_int_equal(request_open311_window(NULL, "yesterday", now, from, to, &field), ERR_INPUT);
    assert_string_equal(field, "end_date");
    assert_int_equal(request_open311_window("2026-12-05T00:00:00Z", "2026-12-04T00:00:00Z", now,
                                            from, to, &field),
                     ERR_INPUT);
    char u[32];
    assert_int_equal(request_iso_to_utc("2026-12-07T08:00:00.123+08:00", u), 0);
    assert_string_equal(u, "2026-12-07T00:00:00Z");
    assert_int_equal(request_iso_to_utc("2028-02-29T00:00:00Z", u), 0);
    assert_int_equal(request_iso_to_utc("2027-02-29T00:00:00Z", u), ERR_INPUT);
    assert_int_equal(request_iso_to_utc("2026-12-07T08:00:00+8", u), ERR_INPUT);
}

static void test_form_values(void **state)
{
    (void)state;
    const char *b = "api_key=abc&service_code=noise&description=%E5%A4%9C+a%26b&lat=30.9&"
                    "attribute%5Btime_of_day%5D=night&empty=&flag";
    char v[64];
    assert_int_equal(request_form_value(b, strlen(b), "api_key", v, sizeof v), 3);
    assert_string_equal(v, "abc");
    assert_true(request_form_value(b, strlen(b), "description", v, sizeof v) > 0);
    assert_string_equal(v, "夜 a&b");
    assert_true(request_form_value(b, strlen(b), "attribute[time_of_day]", v, sizeof v) > 0);
    assert_string_equal(v, "night");
    assert_int_equal(request_form_value(b, strlen(b), "empty", v, sizeof v), 0);
    assert_int_equal(request_form_value(b, strlen(b), "flag", v, sizeof v), 0);
    assert_int_equal(request_form_value(b, strlen(b), "missing", v, sizeof v), -1);
    assert_int_equal(request_form_value(b, strlen(b), "api", v, sizeof v), -1);
    assert_int_equal(request_form_value("a=%4", 4, "a", v, sizeof v), -1);
    assert_int_equal(request_form_value("a=%zz", 5, "a", v, sizeof v), -1);
    assert_int_equal(request_form_value("a=%00", 5, "a", v, sizeof v), -1);
    assert_int_equal(request_form_value("a=abcdef", 8, "a", v, 4), -1); /* does not fit */
}

static void test_xml_escape(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    const char *s = "a<b>&\"c\"'d'\x01\x1f\tz\n";
    request_xml_escape(&b, s, strlen(s));
    buf_putc(&b, 0);
    assert_string_equal(b.p, "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;\tz\n");
    buf_reset(&b);
    request_xml_escape(&b, "噪声", strlen("噪声"));
    buf_putc(&b, 0);
    assert_string_equal(b.p, "噪声");
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transition_table), cmocka_unit_test(test_distance),
        cmocka_unit_test(test_tracking_code),    cmocka_unit_test(test_open311_status),
        cmocka_unit_test(test_window),           cmocka_unit_test(test_form_values),
        cmocka_unit_test(test_xml_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
