/*
** The positive list's criteria, pure: each criterion (grade, no penalty in N years, category,
** tag, bar, already listed) holds or fails on its own and says why; the boundaries of the
** penalty window and of the bar; a Shaanxi-style rule set (grade A, no tag needed); the shipped
** bodies read and pass their schema; year arithmetic over 29 February.
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
#include "core/err.h"
#include "http/http.h"
#include "positive/positive.h"
#include "rules/rules.h"

static struct positive_criteria national(void)
{
    json_t *b = json_loads("{\"grades\":[\"green\",\"blue\"],\"no_penalty_years\":2,"
                           "\"categories\":[\"key\",\"general\",\"special\"],"
                           "\"qualifying_tags\":[\"livelihood\",\"key_enterprise\"],"
                           "\"term_years\":3,\"bar_years\":3,\"nomination_allowed\":true,"
                           "\"nomination_workdays\":5}",
                           0, NULL);
    struct positive_criteria c;
    const char *field = "x";
    assert_int_equal(positive_criteria_parse(b, &c, &field), 0);
    assert_null(field);
    json_decref(b);
    return c;
}

/* A firm meeting everything, to change one fact at a time. */
static struct positive_facts good(void)
{
    return (struct positive_facts){.grade = "green",
                                   .category = "general",
                                   .tags = "high_growth,livelihood",
                                   .last_penalty = "",
                                   .barred_to = "",
                                   .listed_to = ""};
}

/* The keys of the failing criteria, comma-joined. */
static const char *failing(const struct positive_criteria *c, const struct positive_facts *f,
                           const char *date)
{
    static char out[200];
    struct positive_eval e;
    assert_int_equal(positive_evaluate(c, f, date, &e), 0);
    out[0] = 0;
    for (int i = 0; i < PC_N; i++) {
        assert_non_null(e.checks[i].key);
        assert_true(strlen(e.checks[i].zh) > 0 && strlen(e.checks[i].en) > 0);
        if (!e.checks[i].ok) {
            snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", *out ? "," : "",
                     e.checks[i].key);
        }
    }
    bool none = !*out;
    assert_true(e.eligible == none);
    return out;
}

static void a_good_firm_qualifies_on_every_criterion(void **state)
{
    (void)state;
    struct positive_criteria c = national();
    struct positive_facts f = good();
    assert_string_equal(failing(&c, &f, "2026-12-05"), "");
    struct positive_eval e;
    positive_evaluate(&c, &f, "2026-12-05", &e);
    assert_string_equal(e.checks[PC_GRADE].key, "grade");
    assert_non_null(strstr(e.checks[PC_GRADE].zh, "环保诚信"));
    assert_non_null(strstr(e.checks[PC_TAG].zh, "民生保障"));
    assert_non_null(strstr(e.checks[PC_TAG].en, "livelihood"));
}

static void grade(void **state)
{
    (void)state;
    struct positive_criteria c = national();
    struct positive_facts f = good();
    f.grade = "blue";
    assert_string_equal(failing(&c, &f, "2026-12-05"), "");
    f.grade = "yellow";
    assert_string_equal(failing(&c, &f, "2026-12-05"), "grade");
    f.grade = "";
    assert_string_equal(failing(&c, &f, "2026-12-05"), "grade");
    struct positive_eval e;
    positive_evaluate(&c, &f, "2026-12-05", &e);
    assert_non_null(strstr(e.checks[PC_GRADE].en, "No credit grade yet"));
    f.grade = "greenish"; /* exact codes, no prefixes */
    assert_string_equal(failing(&c, &f, "2026-12-05"), "grade");
}

static void penalties_count_within_n_years(void **state)
{
    (void)state;
    struct positive_criteria c = national();
    struct positive_facts f = good();
    f.last_penalty = "2024-12-05"; /* exactly two years before: counts */
    assert_string_equal(failing(&c, &f, "2026-12-05"), "no_penalty");
    f.last_penalty = "2024-12-04"; /* a day earlier: out of the window */
    assert_string_equal(failing(&c, &f, "2026-12-05"), "");
    f.last_penalty = "2026-12-01";
    struct positive_eval e;
    positive_evaluate(&c, &f, "2026-12-05", &e);
    assert_false(e.checks[PC_PENALTY].ok);
    assert_non_null(strstr(e.checks[PC_PENALTY].en, "Penalised on 2026-12-01"));
    c.no_penalty_years = 0; /* not checked */
    assert_string_equal(failing(&c, &f, "2026-12-05"), "");
}

static void category_and_tags(void **state)
{
    (void)state;
    struct positive_criteria c = national();
    struct positive_facts f = good();
    c.n_categories = 1; /* key only */
    assert_string_equal(failing(&c, &f, "2026-12-05"), "category");
    f.category = "key";
    assert_string_equal(failing(&c, &f, "2026-12-05"), "");
    f.tags = "high_growth";
    assert_string_equal(failing(&c, &f, "2026-12-05"), "tag");
    f.tags = "";
    assert_string_equal(failing(&c, &f, "2026-12-05"), "tag");
    f.tags = "key_enterprise";
    assert_string_equal(failing(&c, &f, "2026-12-05"), "");
    f.tags = "key_enterprises"; /* whole items only */
    assert_string_equal(failing(&c, &f, "2026-12-05"), "tag");
    c.n_tags = 0; /* none required */
    assert_string_equal(failing(&c, &f, "2026-12-05"), "");
}

static void a_bar_holds_until_its_end_date(void **state)
{
    (void)state;
    struct positive_criteria c = national();
    struct positive_facts f = good();
    f.barred_to = "2029-03-01";
    assert_string_equal(failing(&c, &f, "2029-02-28"), "not_barred");
    struct positive_eval e;
    positive_evaluate(&c, &f, "2029-02-28", &e);
    assert_non_null(strstr(e.checks[PC_BAR].zh, "2029-03-01 前不得再次纳入"));
    assert_string_equal(failing(&c, &f, "2029-03-01"), "");
    f.listed_to = "2027-01-01";
    f.grade = "red";
    assert_string_equal(failing(&c, &f, "2026-12-05"), "grade,not_barred,not_listed");
    assert_string_equal(failing(&c, &f, "2029-03-01"), "grade");
}

static void shaanxi_style_grade_a(void **state)
{
    (void)state;
    json_t *b = json_loads("{\"grades\":[\"A\"],\"no_penalty_years\":2,\"categories\":[\"key\","
                           "\"general\"],\"qualifying_tags\":[],\"term_years\":3,\"bar_years\":3,"
                           "\"nomination_allowed\":false,\"nomination_workdays\":5}",
                           0, NULL);
    struct positive_criteria c;
    const char *field;
    assert_int_equal(positive_criteria_parse(b, &c, &field), 0);
    json_decref(b);
    assert_false(c.nomination_allowed);
    struct positive_facts f = good();
    f.tags = "";
    f.grade = "A";
    assert_string_equal(failing(&c, &f, "2026-12-05"), "");
    f.grade = "B";
    assert_string_equal(failing(&c, &f, "2026-12-05"), "grade");
    f.grade = "green";
    assert_string_equal(failing(&c, &f, "2026-12-05"), "grade");
}

static void bodies_that_do_not_read_name_the_member(void **state)
{
    (void)state;
    struct positive_criteria c;
    const char *field = NULL;
    json_t *b = json_loads("{\"grades\":[\"A\"],\"categories\":[\"key\"],\"qualifying_tags\":[],"
                           "\"nomination_allowed\":true,\"no_penalty_years\":2,\"term_years\":3,"
                           "\"bar_years\":3}",
                           0, NULL);
    assert_int_equal(positive_criteria_parse(b, &c, &field), ERR_INPUT);
    assert_string_equal(field, "nomination_workdays");
    json_object_set_new(b, "nomination_workdays", json_integer(5));
    json_object_set_new(b, "grades", json_string("A"));
    assert_int_equal(positive_criteria_parse(b, &c, &field), ERR_INPUT);
    assert_string_equal(field, "grades");
    json_decref(b);
    struct positive_eval e;
    struct positive_facts f = good();
    assert_int_equal(positive_evaluate(&c, &f, "2026-13-01", &e), ERR_INPUT);
}

static void the_shipped_bodies_read_and_pass_their_schema(void **state)
{
    (void)state;
    json_t *file = rules_shipped_body("positive.criteria");
    assert_non_null(file);
    char path[128], msg[256];
    assert_int_equal(rules_schema_check(rules_kind_schema("positive.criteria"), file, path,
                                        sizeof path, msg, sizeof msg),
                     0);
    struct positive_criteria c;
    const char *field;
    assert_int_equal(positive_criteria_parse(file, &c, &field), 0);
    assert_int_equal(c.term_years, 3);
    assert_int_equal(c.bar_years, 3);
    assert_int_equal(c.no_penalty_years, 2);
    assert_int_equal((int)c.n_grades, 2);
    json_decref(file);
}

static void years_over_29_february(void **state)
{
    (void)state;
    char out[11];
    assert_int_equal(positive_date_add_years("2026-12-05", 3, out), 0);
    assert_string_equal(out, "2029-12-05");
    assert_int_equal(positive_date_add_years("2028-02-29", 3, out), 0);
    assert_string_equal(out, "2031-03-01");
    assert_int_equal(positive_date_add_years("2028-02-29", 4, out), 0);
    assert_string_equal(out, "2032-02-29");
    assert_int_equal(positive_date_add_years("2026-12-05", -2, out), 0);
    assert_string_equal(out, "2024-12-05");
    assert_int_equal(positive_date_add_years("2027-02-29", 1, out), ERR_INPUT);
    assert_int_equal(positive_date_add_years("2026-1-05", 1, out), ERR_INPUT);
    assert_int_equal(positive_date_add_years("9999-01-01", 1, out), ERR_INPUT);
}

static void the_checks_as_json(void **state)
{
    (void)state;
    struct positive_criteria c = national();
    struct positive_facts f = good();
    f.grade = "yellow";
    struct positive_eval e;
    positive_evaluate(&c, &f, "2026-12-05", &e);
    struct buf b;
    buf_init(&b, 1 << 16);
    positive_eval_json(&e, &b);
    json_t *v = json_loadb(b.p, b.len, 0, NULL);
    assert_non_null(v);
    assert_int_equal((int)json_array_size(v), PC_N);
    assert_string_equal(json_string_value(json_object_get(json_array_get(v, 0), "criterion")),
                        "grade");
    assert_true(json_is_false(json_object_get(json_array_get(v, 0), "ok")));
    assert_true(json_is_true(json_object_get(json_array_get(v, 1), "ok")));
    json_decref(v);
    buf_release(&b);
}

/* Every (state, action, role) of the nomination case against the legal ones written out here:
   only a leader (the head of enforcement) approves or refuses, any other staff role may
   withdraw, nothing moves a decided nomination. */
static void the_nomination_case_table(void **state)
{
    (void)state;
    positive_case_register();
    const struct case_type *t = cases_type_find("positive_nomination");
    assert_non_null(t);
    static const char *const STATES[] = {"submitted", "approved", "refused", "withdrawn"};
    static const char *const ACTIONS[] = {"approve", "refuse", "withdraw"};
    const char *present[] = {"note"};
    for (size_t s = 0; s < 4; s++) {
        for (size_t a = 0; a < 3; a++) {
            for (unsigned bit = 1; bit <= ROLE_ENTERPRISE; bit <<= 1) {
                bool legal =
                    !strcmp(STATES[s], "submitted") &&
                    (strcmp(ACTIONS[a], "withdraw") ? bit == ROLE_LEADER
                                                    : (bit & ROLES_STAFF) && bit != ROLE_LEADER);
                const struct case_transition *tr;
                const char *field;
                char why[256];
                int rc = case_check(t, STATES[s], ACTIONS[a], bit, present, 1, &tr, &field, why,
                                    sizeof why);
                if (legal != (rc == 0)) {
                    fail_msg("%s from %s by %s: %d", ACTIONS[a], STATES[s], http_role_name(bit),
                             rc);
                }
            }
        }
    }
    assert_true(cases_state_final(t, "approved") && cases_state_final(t, "refused"));
    const struct case_transition *tr;
    const char *field = NULL;
    char why[256];
    assert_int_equal(
        case_check(t, "submitted", "refuse", ROLE_LEADER, NULL, 0, &tr, &field, why, sizeof why),
        ERR_INPUT);
    assert_string_equal(field, "note");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_good_firm_qualifies_on_every_criterion),
        cmocka_unit_test(grade),
        cmocka_unit_test(penalties_count_within_n_years),
        cmocka_unit_test(category_and_tags),
        cmocka_unit_test(a_bar_holds_until_its_end_date),
        cmocka_unit_test(shaanxi_style_grade_a),
        cmocka_unit_test(bodies_that_do_not_read_name_the_member),
        cmocka_unit_test(the_shipped_bodies_read_and_pass_their_schema),
        cmocka_unit_test(years_over_29_february),
        cmocka_unit_test(the_checks_as_json),
        cmocka_unit_test(the_nomination_case_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
