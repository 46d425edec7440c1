/*
** EIA approval without a database: the eia case type's state machine (every legal transition
** taken by its roles, every other pair of state and action refused with a reason, the wrong
** role refused, a required note asked for); the limits (ceil of statutory × compression:
** 30 × 0.1 → 3, 60 × 0.2 → 12, 30 × 0.15 → 5) and the deadlines on the 2026 calendar across
** the National Day (Oct 1–7, make-up workdays Sep 20 and Oct 10) with pauses, matching the
** cases engine's clock, and a missing year refused by name; the class from the shipped
** catalogue items (keywords, investment, a sensitive site raises one level, no item = none);
** the route on the shipped approval.routes body — each route and each ineligibility reason.
** Run from the repository root (reads data/calendar/2025.json and 2026.json).
*/
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "approval/approval.h"
#include "calendar/calendar.h"
#include "cases/cases.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/err.h"
#include "http/http.h"

static struct calendar cal;
static struct eia_rules R;
static json_t *BODY;

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
    const struct embed_file *f = embed_find("data/rules/approval.routes.json");
    assert_non_null(f);
    json_t *doc = json_loadb((const char *)f->data, f->size, 0, NULL);
    assert_non_null(doc);
    BODY = json_deep_copy(
        json_object_get(json_array_get(json_object_get(doc, "versions"), 0), "body"));
    json_decref(doc);
    char err[200];
    assert_int_equal(eia_rules_parse(BODY, &R, err, sizeof err), 0);
    approval_case_register();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    calendar_free(&cal);
    json_decref(BODY);
    return 0;
}

/* ---------------- the state machine ---------------- */

static const char *const STATES[] = {"accepted", "pending_items", "expert_review",
                                     "hearing",  "public_notice", "approved",
                                     "rejected", "withdrawn"};
static const char *const ACTIONS[] = {"await_items",    "items_received", "send_experts",
                                      "experts_done",   "hold_hearing",   "hearing_done",
                                      "publish_notice", "notice_done",    "approve",
                                      "reject",         "withdraw"};
static const unsigned ROLES[] = {ROLE_ADMIN,     ROLE_LEADER,     ROLE_APPROVER,
                                 ROLE_INSPECTOR, ROLE_LEGAL,      ROLE_MONITOR,
                                 ROLE_SERVICE,   ROLE_ENTERPRISE, CASE_ROLE_SYSTEM};

/* The expected table: from, action → to and who. */
static const struct {
    const char *from, *action, *to;
    unsigned roles;
    bool note;
} LEGAL[] = {
    {"accepted", "await_items", "pending_items", CASE_ROLE_SYSTEM, false},
    {"pending_items", "items_received", "accepted", CASE_ROLE_SYSTEM, false},
    {"accepted", "send_experts", "expert_review", ROLE_APPROVER | ROLE_ADMIN, false},
    {"expert_review", "experts_done", "accepted", ROLE_APPROVER | ROLE_ADMIN, false},
    {"accepted", "hold_hearing", "hearing", ROLE_APPROVER | ROLE_ADMIN, true},
    {"hearing", "hearing_done", "accepted", ROLE_APPROVER | ROLE_ADMIN, false},
    {"accepted", "publish_notice", "public_notice", ROLE_APPROVER | ROLE_ADMIN, false},
    {"public_notice", "notice_done", "accepted", ROLE_APPROVER | ROLE_ADMIN, false},
    {"accepted", "approve", "approved", ROLE_APPROVER | ROLE_LEADER | ROLE_ADMIN, false},
    {"accepted", "reject", "rejected", ROLE_APPROVER | ROLE_LEADER | ROLE_ADMIN, true},
    {"accepted", "withdraw", "withdrawn", ROLE_ENTERPRISE, false},
    {"pending_items", "withdraw", "withdrawn", ROLE_ENTERPRISE, false},
};

static int legal_of(const char *state, const char *action)
{
    for (size_t i = 0; i < sizeof LEGAL / sizeof LEGAL[0]; i++) {
        if (!strcmp(LEGAL[i].from, state) && !strcmp(LEGAL[i].action, action)) {
            return (int)i;
        }
    }
    return -1;
}

static void test_state_machine(void **state)
{
    (void)state;
    const struct case_type *t = cases_type_find("eia");
    assert_non_null(t);
    assert_string_equal(t->states[0], "accepted");
    const char *note[] = {"note"};
    size_t legal = 0, refused = 0;
    for (size_t s = 0; s < sizeof STATES / sizeof STATES[0]; s++) {
        for (size_t a = 0; a < sizeof ACTIONS / sizeof ACTIONS[0]; a++) {
            int k = legal_of(STATES[s], ACTIONS[a]);
            for (size_t r = 0; r < sizeof ROLES / sizeof ROLES[0]; r++) {
                const struct case_transition *tr = NULL;
                const char *field = NULL;
                char why[256] = "";
                int rc = case_check(t, STATES[s], ACTIONS[a], ROLES[r], note, 1, &tr, &field, why,
                                    sizeof why);
                if (k >= 0 && (LEGAL[k].roles & ROLES[r])) {
                    assert_int_equal(rc, 0);
                    assert_string_equal(tr->to, LEGAL[k].to);
                    legal++;
                    if (LEGAL[k].note) { /* without its note it is refused, naming the field */
                        rc = case_check(t, STATES[s], ACTIONS[a], ROLES[r], NULL, 0, &tr, &field,
                                        why, sizeof why);
                        assert_int_equal(rc, ERR_INPUT);
                        assert_string_equal(field, "note");
                    }
                } else {
                    assert_true(rc == ERR_CONFLICT || rc == ERR_FORBIDDEN || rc == ERR_INPUT);
                    assert_true(strlen(why) > 0); /* a reason, in two languages */
                    assert_non_null(strstr(why, " / "));
                    if (k >= 0) {
                        assert_int_equal(rc, ERR_FORBIDDEN); /* the right step, the wrong role */
                    }
                    refused++;
                }
            }
        }
    }
    assert_true(legal >= sizeof LEGAL / sizeof LEGAL[0]);
    assert_true(refused > 500);
    /* the final states */
    assert_true(cases_state_final(t, "approved"));
    assert_true(cases_state_final(t, "rejected"));
    assert_true(cases_state_final(t, "withdrawn"));
    assert_false(cases_state_final(t, "expert_review"));
    /* the pauses and the stop */
    for (size_t i = 0; i < t->n_transitions; i++) {
        const struct case_transition *x = &t->transitions[i];
        enum case_clock_effect want =
            !strcmp(x->to, "approved") || !strcmp(x->to, "rejected") || !strcmp(x->to, "withdrawn")
                ? CLOCK_STOP
            : !strcmp(x->from, "accepted") ? CLOCK_PAUSE
                                           : CLOCK_RESUME;
        assert_int_equal(x->clock, want);
    }
    const struct case_type *v = cases_type_find("eia_verify");
    assert_non_null(v);
    const struct case_transition *tr;
    const char *field;
    char why[256];
    assert_int_equal(
        case_check(v, "open", "verify", ROLE_APPROVER, NULL, 0, &tr, &field, why, sizeof why), 0);
    assert_int_equal(
        case_check(v, "open", "find_false", ROLE_INSPECTOR, NULL, 0, &tr, &field, why, sizeof why),
        ERR_INPUT);
    assert_int_equal(
        case_check(v, "verified", "verify", ROLE_APPROVER, NULL, 0, &tr, &field, why, sizeof why),
        ERR_CONFLICT);
    assert_int_equal(
        case_check(v, "open", "verify", ROLE_ENTERPRISE, NULL, 0, &tr, &field, why, sizeof why),
        ERR_FORBIDDEN);
}

/* ---------------- limits and deadlines ---------------- */

static void test_limits_round_up(void **state)
{
    (void)state;
    assert_int_equal(eia_limit_days(30, 100), 3);
    assert_int_equal(eia_limit_days(60, 200), 12);
    assert_int_equal(eia_limit_days(30, 150), 5); /* 4.5 → 5 */
    assert_int_equal(eia_limit_days(60, 100), 6);
    assert_int_equal(eia_limit_days(30, 1000), 30);
    assert_int_equal(eia_limit_days(7, 10), 1); /* never below one day */
    assert_int_equal(eia_limit_days(0, 200), 0);
    int st = 0;
    assert_int_equal(R.compression_permille, 200);
    assert_int_equal(eia_route_limit(&R, ER_NORMAL, EC_REPORT, &st), 12);
    assert_int_equal(st, 60);
    assert_int_equal(eia_route_limit(&R, ER_DIRECT, EC_FORM, &st), 6);
    assert_int_equal(st, 30);
    assert_int_equal(eia_route_limit(&R, ER_COMMITMENT, EC_FORM, &st), 2);
    assert_int_equal(eia_route_limit(&R, ER_RECORD, EC_REGISTRATION, &st), 0);
    assert_int_equal(eia_route_limit(&R, ER_EXEMPT, EC_FORM, &st), 0);
}

static void expect_deadline(const char *start, int days, const struct calendar_pause *p, size_t n,
                            const char *want)
{
    char out[11];
    int missing = 0;
    assert_int_equal(eia_deadline(&cal, start, days, p, n, out, &missing), 0);
    assert_string_equal(out, want);
}

static int32_t D(const char *s)
{
    int32_t d;
    assert_int_equal(calendar_date_parse(s, 10, &d), 0);
    return d;
}

static void test_deadlines_national_day(void **state)
{
    (void)state;
    /* 30 × 0.2 = 6 from Mon Sep 28: Sep 29, 30, Oct 8, 9, 10 (make-up Saturday), 12 */
    expect_deadline("2026-09-28", 6, NULL, 0, "2026-10-12");
    /* 30 × 0.1 = 3 from Wed Sep 30: Oct 8, 9, 10 */
    expect_deadline("2026-09-30", 3, NULL, 0, "2026-10-10");
    /* from Fri Sep 18: the make-up Sunday Sep 20 is the first working day */
    expect_deadline("2026-09-18", 1, NULL, 0, "2026-09-20");
    /* 60 × 0.2 = 12 from Tue Sep 1: Sep 2–4, 7–11, 14–17 */
    expect_deadline("2026-09-01", 12, NULL, 0, "2026-09-17");
    /* expert review Sep 7–11 left out: Sep 2–4, 14–18, 20 (make-up), 21–23 (25 is 中秋) */
    struct calendar_pause p = {D("2026-09-07"), D("2026-09-11")};
    expect_deadline("2026-09-01", 12, &p, 1, "2026-09-23");
    /* a hearing and a public notice: two pauses, one across the holiday week */
    struct calendar_pause two[] = {{D("2026-09-29"), D("2026-09-30")},
                                   {D("2026-10-08"), D("2026-10-09")}};
    expect_deadline("2026-09-28", 6, two, 2, "2026-10-16"); /* Oct 10, 12, 13, 14, 15, 16 */
    /* 30 × 0.15 = 5 from Thu Oct 1 (a holiday): Oct 8, 9, 10, 12, 13 */
    expect_deadline("2026-10-01", eia_limit_days(30, 150), NULL, 0, "2026-10-13");
}

/* The same limit on the cases engine's clock ends at the end of that day. */
static void test_deadline_matches_the_case_clock(void **state)
{
    (void)state;
    int32_t start = D("2026-09-28");
    struct case_clock k = {.unit = CU_WORKDAYS,
                           .limit = 6,
                           .started_at = (int64_t)start * 86400 + 10 * 3600 - 8 * 3600};
    int64_t due, soon;
    int missing = 0;
    assert_int_equal(case_clock_due(&cal, &k, &due, &soon, &missing), 0);
    assert_int_equal(due, (int64_t)D("2026-10-13") * 86400 - 8 * 3600); /* Oct 12, 24:00 */
}

static void test_missing_year_refused(void **state)
{
    (void)state;
    char out[11];
    int missing = 0;
    assert_int_equal(eia_deadline(&cal, "2026-12-20", 12, NULL, 0, out, &missing), ERR_NOTFOUND);
    assert_int_equal(missing, 2027);
    assert_int_equal(eia_deadline(&cal, "2026-02-30", 3, NULL, 0, out, &missing), ERR_INPUT);
    assert_int_equal(eia_deadline(&cal, "2026-09-01", -1, NULL, 0, out, &missing), ERR_INPUT);
}

/* ---------------- the class ---------------- */

static const struct eia_catalogue_item ITEMS[] = {
    {1, "十四、19", "17", EC_FORM, "洗毛,脱胶", 0}, {2, "二十三、44", "261,263", EC_REPORT, "", 0},
    {3, "四十三、95", "462", EC_FORM, "", 50000},   {4, "一、1", "031", EC_REGISTRATION, "", 0},
    {5, "二十三、45", "26", EC_FORM, "合成", 0},
};
#define N_ITEMS (sizeof ITEMS / sizeof ITEMS[0])

/* Prefix lists split on ',' and the whole "，" only: a list holding other multi-byte text
   (whose bytes include 0x8c or 0xbc, e.g. "化" e5 8c 96) ends instead of looping forever, and
   the catalogue refuses such a list. */
static void test_prefix_lists(void **state)
{
    (void)state;
    static const struct eia_catalogue_item odd[] = {
        {1, "一", "化学,99", EC_FORM, "", 0},
        {2, "二", "17，2710", EC_REPORT, "", 0},
        {3, "三", "31, 336 ,", EC_FORM, "", 0},
        {4, "四", "\xef\xbc", EC_FORM, "", 0}, /* a cut "，" at the end */
    };
    struct eia_class_proposal p;
    struct eia_project x = {"9901", "", "", 0};
    eia_classify(odd, 4, &x, false, &p);
    assert_int_equal(p.item, 0);
    x.industry = "2710";
    eia_classify(odd, 4, &x, false, &p);
    assert_int_equal(p.item, 1);
    assert_int_equal(p.cls, EC_REPORT);
    x.industry = "3361";
    eia_classify(odd, 4, &x, false, &p);
    assert_int_equal(p.item, 2);
    x.industry = "5211";
    eia_classify(odd, 4, &x, false, &p);
    assert_int_equal(p.item, -1);
    assert_true(eia_prefixes_valid("26,2710"));
    assert_true(eia_prefixes_valid("26，2710"));
    assert_true(eia_prefixes_valid("031, 032"));
    assert_true(eia_prefixes_valid("C"));
    assert_false(eia_prefixes_valid(""));
    assert_false(eia_prefixes_valid("化学"));
    assert_false(eia_prefixes_valid("26,,27"));
    assert_false(eia_prefixes_valid("26,"));
    assert_false(eia_prefixes_valid("123456"));
    assert_false(eia_prefixes_valid("2 6"));
    assert_false(eia_prefixes_valid("c26"));
    assert_false(eia_prefixes_valid("26;27"));
}

static void test_classify(void **state)
{
    (void)state;
    struct eia_class_proposal p;
    struct eia_project x = {"1713", "面料织造项目", "织造 2000 万米/年", 6800};
    eia_classify(ITEMS, N_ITEMS, &x, false, &p);
    assert_int_equal(p.item, 0);
    assert_int_equal(p.cls, EC_FORM);
    assert_false(p.raised);
    x.capacity = "含洗毛工段"; /* a keyword of the item */
    eia_classify(ITEMS, N_ITEMS, &x, false, &p);
    assert_int_equal(p.cls, EC_REPORT);
    assert_non_null(strstr(p.why_zh, "洗毛"));
    /* a sensitive site raises one level */
    x.capacity = "";
    eia_classify(ITEMS, N_ITEMS, &x, true, &p);
    assert_int_equal(p.base, EC_FORM);
    assert_int_equal(p.cls, EC_REPORT);
    assert_true(p.raised);
    struct eia_project farm = {"C0313", "养殖场", "", 100}; /* the section letter is ignored */
    eia_classify(ITEMS, N_ITEMS, &farm, true, &p);
    assert_int_equal(p.base, EC_REGISTRATION);
    assert_int_equal(p.cls, EC_FORM);
    /* a 报告书 stays one */
    struct eia_project chem = {"2614", "化学品", "", 1};
    eia_classify(ITEMS, N_ITEMS, &chem, true, &p);
    assert_int_equal(p.item, 1); /* "261" is longer than "26" */
    assert_int_equal(p.cls, EC_REPORT);
    assert_false(p.raised);
    /* the investment threshold */
    struct eia_project water = {"4620", "污水处理厂", "", 49999};
    eia_classify(ITEMS, N_ITEMS, &water, false, &p);
    assert_int_equal(p.cls, EC_FORM);
    water.investment = 50000;
    eia_classify(ITEMS, N_ITEMS, &water, false, &p);
    assert_int_equal(p.cls, EC_REPORT);
    /* no item: not under EIA management, and a sensitive site does not change that */
    struct eia_project shop = {"5211", "超市", "", 10};
    eia_classify(ITEMS, N_ITEMS, &shop, true, &p);
    assert_int_equal(p.item, -1);
    assert_int_equal(p.cls, EC_NONE);
    assert_int_equal(eia_class_raise(EC_NONE), EC_NONE);
    assert_int_equal(eia_class_parse("form"), EC_FORM);
    assert_int_equal(eia_class_parse("bogus"), -1);
}

/* ---------------- the route ---------------- */

static struct eia_route_facts facts(enum eia_class c, const char *industry)
{
    return (struct eia_route_facts){
        .cls = c, .industry = industry, .zoning_verdict = "allowed", .grade = "blue", .park = ""};
}

static bool has_reason(const struct eia_route_answer *a, const char *code)
{
    for (size_t i = 0; i < a->n_reasons; i++) {
        if (!strcmp(a->reasons[i].code, code)) {
            return true;
        }
    }
    return false;
}

static void test_routes(void **state)
{
    (void)state;
    struct eia_route_answer a;
    struct eia_route_facts f = facts(EC_FORM, "1713");
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_COMMITMENT);
    assert_int_equal(a.n_reasons, 0);
    f = facts(EC_FORM, "4810");
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_EXEMPT);
    f = facts(EC_FORM, "3011");
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_DIRECT);
    f = facts(EC_REPORT, "1713"); /* the lists take 报告表 only */
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_NORMAL);
    assert_true(has_reason(&a, "not_listed"));
    f = facts(EC_REGISTRATION, "0313");
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_RECORD);
    f = facts(EC_NONE, "5211");
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_EXEMPT);
    /* a park with a plan EIA: the rule set's simplified route */
    f = facts(EC_FORM, "4620");
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_NORMAL);
    f.park = "长兴经济技术开发区";
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_DIRECT);
    assert_string_equal(a.basis, "park");
    f.park = "不存在的园区";
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_NORMAL);
    assert_true(has_reason(&a, "not_listed"));
}

static void test_ineligibility_reasons(void **state)
{
    (void)state;
    struct eia_route_answer a;
    struct eia_route_facts f = facts(EC_FORM, "1713");
    f.sensitive = true;
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_NORMAL);
    assert_true(has_reason(&a, "sensitive"));
    f = facts(EC_FORM, "1713");
    f.zoning_verdict = "forbidden";
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_NORMAL);
    assert_true(has_reason(&a, "zoning_forbidden"));
    f.zoning_verdict = "conditional";
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_NORMAL);
    assert_true(has_reason(&a, "zoning_conditional"));
    f.zoning_verdict = "no_unit"; /* outside every unit: no reason */
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_COMMITMENT);
    /* a refused credit grade shuts the commitment route only */
    f = facts(EC_FORM, "1713");
    f.grade = "red";
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_NORMAL);
    assert_true(has_reason(&a, "credit_grade"));
    f.park = "长兴经济技术开发区"; /* the park's direct route is still open */
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_DIRECT);
    assert_true(has_reason(&a, "credit_grade"));
    f = facts(EC_FORM, "3011");
    f.grade = "red";
    eia_route_decide(&R, &f, &a);
    assert_int_equal(a.route, ER_DIRECT);
    /* an excluded industry, even on a list */
    json_t *b = json_deep_copy(BODY);
    json_array_append_new(json_object_get(b, "excluded_industries"), json_string("3011"));
    static struct eia_rules r2;
    char err[200];
    assert_int_equal(eia_rules_parse(b, &r2, err, sizeof err), 0);
    json_decref(b);
    f = facts(EC_FORM, "3011");
    eia_route_decide(&r2, &f, &a);
    assert_int_equal(a.route, ER_NORMAL);
    assert_true(has_reason(&a, "excluded_industry"));
    /* the reasons as JSON */
    struct buf out;
    buf_init(&out, 1 << 14);
    eia_reasons_json(&a, &out);
    json_t *doc = json_loads(out.p, 0, NULL);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(json_array_get(doc, 0), "code")),
                        "excluded_industry");
    json_decref(doc);
    buf_release(&out);
}

/* n characters of a 3-byte Chinese character. */
static json_t *zh(size_t n)
{
    static char s[4 * 300 + 1];
    s[0] = 0;
    for (size_t i = 0; i < n; i++) {
        strcat(s, "环");
    }
    return json_string(s);
}

/* The schema counts characters: the longest Chinese strings it allows parse whole. */
static void test_parse_long_chinese_strings(void **state)
{
    (void)state;
    static struct eia_rules r2;
    char err[200];
    json_t *b = json_deep_copy(BODY);
    json_object_set_new(json_array_get(json_object_get(b, "routes"), 0), "name", zh(200));
    json_array_append_new(json_object_get(b, "plan_eia_parks"), zh(100));
    json_object_set_new(json_array_get(json_object_get(b, "checklist"), 0), "name", zh(100));
    json_object_set_new(json_array_get(json_object_get(b, "obligations"), 0), "title", zh(300));
    json_array_append_new(json_object_get(b, "commitment_refused_grades"), zh(16));
    err[0] = 0;
    assert_int_equal(eia_rules_parse(b, &r2, err, sizeof err), 0);
    assert_int_equal(strlen(r2.lists[0].name), 600);
    assert_int_equal(strlen(r2.parks[r2.n_parks - 1]), 300);
    assert_int_equal(strlen(r2.checklist[0].name), 300);
    assert_int_equal(strlen(r2.obligations[0].title), 900);
    assert_int_equal(strlen(r2.refused_grades[r2.n_refused_grades - 1]), 48);
    /* a park of 100 characters is found among a site's units */
    char park[EIA_PARK_BYTES];
    char z[2048];
    snprintf(z, sizeof z, "{\"verdict\":\"allowed\",\"units\":[{\"name\":\"%s\"}]}",
             r2.parks[r2.n_parks - 1]);
    eia_zoning_effect(&r2, z, park);
    assert_string_equal(park, r2.parks[r2.n_parks - 1]);
    /* past the buffer (the schema refuses it before: over 200 characters) is refused, with the
       reason */
    json_object_set_new(json_array_get(json_object_get(b, "routes"), 0), "name", zh(267));
    assert_int_equal(eia_rules_parse(b, &r2, err, sizeof err), ERR_INPUT);
    assert_non_null(strstr(err, "routes"));
    json_decref(b);
}

static void test_parse_refuses_bad_bodies(void **state)
{
    (void)state;
    static struct eia_rules r2;
    char err[200];
    json_t *b = json_deep_copy(BODY);
    json_object_set_new(b, "compression", json_real(1.5));
    assert_int_equal(eia_rules_parse(b, &r2, err, sizeof err), ERR_INPUT);
    assert_non_null(strstr(err, "compression"));
    json_object_set_new(b, "compression", json_real(0.15));
    assert_int_equal(eia_rules_parse(b, &r2, err, sizeof err), 0);
    assert_int_equal(r2.compression_permille, 150);
    json_object_set_new(b, "park_route", json_string("exempt"));
    assert_int_equal(eia_rules_parse(b, &r2, err, sizeof err), ERR_INPUT);
    json_decref(b);
    assert_true(R.n_checklist >= 7);
    assert_int_equal(R.n_obligations, 3);
    assert_false(R.clock_runs_while_missing);
    assert_int_equal(R.notice_workdays, 5);
}

/* 多评合一: the assessments' list, and the checklist items only a combined application gets. */
static void test_assessments(void **state)
{
    (void)state;
    assert_int_equal(eia_assessments_parse("eia"), 0);
    assert_int_equal(eia_assessments_parse(""), 0);
    assert_int_equal(eia_assessments_parse("eia,radiation"), EA_RADIATION);
    assert_int_equal(eia_assessments_parse("outfall,eia,radiation"), EA_RADIATION | EA_OUTFALL);
    assert_int_equal(eia_assessments_parse("eia,noise"), -1);
    assert_int_equal(eia_assessments_parse("radiationx"), -1);
    bool rad = false, out = false;
    for (size_t i = 0; i < R.n_checklist; i++) {
        rad = rad || (!strcmp(R.checklist[i].code, "radiation_report") &&
                      R.checklist[i].assessments == EA_RADIATION);
        out = out || (!strcmp(R.checklist[i].code, "outfall_report") &&
                      R.checklist[i].assessments == EA_OUTFALL);
        if (!strcmp(R.checklist[i].code, "eia_document")) {
            assert_int_equal(R.checklist[i].assessments, 0);
        }
    }
    assert_true(rad && out);
}

/* 打捆审批: one document shared by the firms of a bundle. */
static void test_bundle_saving(void **state)
{
    (void)state;
    assert_int_equal(R.cost_form, 60000);
    assert_int_equal(R.cost_report, 300000);
    assert_int_equal(R.bundle_max_firms, 20);
    assert_int_equal(eia_bundle_saving(&R, EC_FORM, 3), 40000);
    assert_int_equal(eia_bundle_saving(&R, EC_REPORT, 7), 300000 - 42858); /* ceil(300000 / 7) */
    assert_int_equal(eia_bundle_saving(&R, EC_FORM, 1), 0);
    assert_int_equal(eia_bundle_saving(&R, EC_REGISTRATION, 5), 0);
}

/* What a zoning answer means for the route. */
static void test_zoning_effect(void **state)
{
    (void)state;
    char park[EIA_PARK_BYTES];
    /* conditions for every industry only: allowed; the unit is a listed park */
    const char *general =
        "{\"verdict\":\"conditional\",\"units\":[{\"name\":\"长兴经济技术开发区\"}],"
        "\"reasons\":[{\"effect\":\"condition\",\"industries\":\"\"}]}";
    assert_string_equal(eia_zoning_effect(&R, general, park), "allowed");
    assert_string_equal(park, "长兴经济技术开发区");
    const char *named = "{\"verdict\":\"conditional\",\"units\":[{\"name\":\"某一般单元\"}],"
                        "\"reasons\":[{\"effect\":\"condition\",\"industries\":\"C\"}]}";
    assert_string_equal(eia_zoning_effect(&R, named, park), "conditional");
    assert_string_equal(park, "");
    assert_string_equal(eia_zoning_effect(&R, "{\"verdict\":\"forbidden\"}", park), "forbidden");
    assert_string_equal(eia_zoning_effect(&R, "{\"verdict\":\"no_unit\"}", park), "no_unit");
    assert_string_equal(eia_zoning_effect(&R, "not json", park), "no_unit");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_machine),
        cmocka_unit_test(test_limits_round_up),
        cmocka_unit_test(test_deadlines_national_day),
        cmocka_unit_test(test_deadline_matches_the_case_clock),
        cmocka_unit_test(test_missing_year_refused),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_prefix_lists),
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_ineligibility_reasons),
        cmocka_unit_test(test_parse_refuses_bad_bodies),
        cmocka_unit_test(test_parse_long_chinese_strings),
        cmocka_unit_test(test_assessments),
        cmocka_unit_test(test_bundle_saving),
        cmocka_unit_test(test_zoning_effect),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
