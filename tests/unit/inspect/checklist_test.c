/*
** The inspection checklist, pure: picking an enterprise type's checklist by the longest industry
** prefix (else the default); the shipped rule set passes its schema, covers the seven sections
** in every checklist and has unique item ids; a visit's answers and findings are checked item
** by item, each refusal naming the JSON path of the member at fault; the inspect_task case
** table against an independent list of legal (state, action, role) triples.
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
#include "inspect/inspect.h"
#include "rules/rules.h"

static const char *BODY =
    "{\"checklists\":["
    "{\"key\":\"general\",\"title\":\"通用\",\"default\":true,\"industries\":[],\"sections\":["
    "{\"key\":\"permit\",\"title\":\"许可\",\"items\":["
    "{\"id\":\"permit.valid\",\"question\":\"持证\",\"basis\":\"条例第二条\"},"
    "{\"id\":\"permit.report\",\"question\":\"执行报告\",\"basis\":\"条例第二十二条\"}]},"
    "{\"key\":\"ledger\",\"title\":\"台账\",\"items\":["
    "{\"id\":\"ledger.kept\",\"question\":\"台账\",\"basis\":\"条例第二十一条\"}]}]},"
    "{\"key\":\"chem\",\"title\":\"化工\",\"industries\":[\"26\"],\"sections\":["
    "{\"key\":\"facility\",\"title\":\"设施\",\"items\":["
    "{\"id\":\"facility.vocs\",\"question\":\"VOCs\",\"basis\":\"GB 37822\"}]}]},"
    "{\"key\":\"coating\",\"title\":\"涂料\",\"industries\":[\"2641\"],\"sections\":["
    "{\"key\":\"facility\",\"title\":\"设施\",\"items\":["
    "{\"id\":\"facility.paint\",\"question\":\"喷涂\",\"basis\":\"GB 37824\"}]}]}]}";

static json_t *body(void)
{
    json_error_t e;
    json_t *b = json_loads(BODY, 0, &e);
    if (!b) {
        fail_msg("%s", e.text);
    }
    return b;
}

static const char *key_of(const json_t *cl)
{
    return json_string_value(json_object_get(cl, "key"));
}

static void the_longest_industry_prefix_wins_else_the_default(void **state)
{
    (void)state;
    json_t *b = body();
    assert_string_equal(key_of(inspect_checklist_pick(b, "2614")), "chem");
    assert_string_equal(key_of(inspect_checklist_pick(b, "2641")), "coating");
    assert_string_equal(key_of(inspect_checklist_pick(b, "1713")), "general");
    assert_string_equal(key_of(inspect_checklist_pick(b, "")), "general");
    assert_string_equal(key_of(inspect_checklist_pick(b, NULL)), "general");
    json_t *none = json_loads("{\"checklists\":[]}", 0, NULL);
    assert_null(inspect_checklist_pick(none, "2614"));
    json_decref(none);
    /* No default: the first. */
    json_t *nd = json_loads("{\"checklists\":[{\"key\":\"a\",\"industries\":[\"9\"]},"
                            "{\"key\":\"b\",\"industries\":[\"8\"]}]}",
                            0, NULL);
    assert_string_equal(key_of(inspect_checklist_pick(nd, "7")), "a");
    assert_string_equal(key_of(inspect_checklist_pick(nd, "81")), "b");
    json_decref(nd);
    const json_t *g = inspect_checklist_pick(b, "1713");
    assert_int_equal((int)inspect_checklist_count(g), 3);
    const json_t *sec = NULL;
    assert_non_null(inspect_checklist_item(g, "ledger.kept", &sec));
    assert_string_equal(json_string_value(json_object_get(sec, "key")), "ledger");
    assert_null(inspect_checklist_item(g, "facility.vocs", NULL));
    json_decref(b);
}

static void the_shipped_checklists_pass_their_schema_and_cover_every_section(void **state)
{
    (void)state;
    json_t *file = rules_shipped_body("inspect.checklists");
    assert_non_null(file);
    char path[128], msg[256];
    if (rules_schema_check(rules_kind_schema("inspect.checklists"), file, path, sizeof path, msg,
                           sizeof msg)) {
        fail_msg("%s: %s", path, msg);
    }
    static const char *const SECTIONS[] = {
        "permit",         "facility", "ledger", "hazardous_waste", "online_monitoring",
        "emergency_plan", "eia"};
    size_t i, j, k;
    const json_t *cl, *s, *it;
    json_array_foreach (json_object_get(file, "checklists"), i, cl) {
        const json_t *secs = json_object_get(cl, "sections");
        assert_int_equal((int)json_array_size(secs), 7);
        json_array_foreach (secs, j, s) {
            assert_string_equal(json_string_value(json_object_get(s, "key")), SECTIONS[j]);
            json_array_foreach (json_object_get(s, "items"), k, it) {
                const char *id = json_string_value(json_object_get(it, "id"));
                assert_non_null(id);
                assert_true(strlen(json_string_value(json_object_get(it, "basis"))) > 0);
                /* Unique within the checklist: the item found by id is this one. */
                assert_ptr_equal(inspect_checklist_item(cl, id, NULL), it);
            }
        }
    }
    /* A chemical firm (2614) gets its own list; a dye works (1713) the general one. */
    assert_string_equal(key_of(inspect_checklist_pick(file, "2614")), "chemical");
    assert_string_equal(key_of(inspect_checklist_pick(file, "3360")), "plating");
    assert_string_equal(key_of(inspect_checklist_pick(file, "1713")), "general");
    json_decref(file);
}

/* Check a submission given as JSON text; returns the code, field in f. */
static int check(const json_t *cl, const char *outcome, const char *answers, const char *findings,
                 const char *note, char *f, size_t *n)
{
    json_t *a = answers ? json_loads(answers, JSON_DECODE_ANY, NULL) : NULL;
    json_t *x = findings ? json_loads(findings, JSON_DECODE_ANY, NULL) : NULL;
    char why[300];
    f[0] = 0;
    int rc = inspect_visit_check(cl, outcome, a, x, note, n, f, 160, why, sizeof why);
    if (rc) {
        assert_non_null(strstr(why, " / ")); /* both languages */
    }
    json_decref(a);
    json_decref(x);
    return rc;
}

static void answers_and_findings_are_checked_naming_the_member(void **state)
{
    (void)state;
    json_t *b = body();
    const json_t *cl = inspect_checklist_pick(b, "1713");
    char f[160];
    size_t n = 99;
    /* All yes: fine, no finding. */
    assert_int_equal(check(cl, "done",
                           "{\"permit.valid\":\"yes\",\"permit.report\":\"na\",\"ledger.kept\":"
                           "\"yes\"}",
                           "[]", NULL, f, &n),
                     0);
    assert_int_equal((int)n, 0);
    /* One no with its finding (two findings of one item are fine too). */
    assert_int_equal(
        check(cl, "done",
              "{\"permit.valid\":\"yes\",\"permit.report\":\"no\",\"ledger.kept\":\"yes\"}",
              "[{\"item_id\":\"permit.report\",\"description\":\"未提交季度执行报告\"},"
              "{\"item_id\":\"permit.report\",\"description\":\"年报缺项\",\"clause\":"
              "\"第二十二条\"}]",
              NULL, f, &n),
        0);
    assert_int_equal((int)n, 2);
    /* A no without a finding. */
    assert_int_equal(
        check(cl, "done",
              "{\"permit.valid\":\"yes\",\"permit.report\":\"no\",\"ledger.kept\":\"yes\"}", "[]",
              NULL, f, &n),
        ERR_INPUT);
    assert_string_equal(f, "answers.permit.report");
    /* An unanswered item. */
    assert_int_equal(
        check(cl, "done", "{\"permit.valid\":\"yes\",\"ledger.kept\":\"yes\"}", NULL, NULL, f, &n),
        ERR_INPUT);
    assert_string_equal(f, "answers.permit.report");
    /* A bad answer; an item not of the checklist. */
    assert_int_equal(check(cl, "done",
                           "{\"permit.valid\":\"maybe\",\"permit.report\":\"yes\",\"ledger.kept\":"
                           "\"yes\"}",
                           NULL, NULL, f, &n),
                     ERR_INPUT);
    assert_string_equal(f, "answers.permit.valid");
    assert_int_equal(check(cl, "done",
                           "{\"permit.valid\":\"yes\",\"permit.report\":\"yes\",\"ledger.kept\":"
                           "\"yes\",\"facility.vocs\":\"yes\"}",
                           NULL, NULL, f, &n),
                     ERR_INPUT);
    assert_string_equal(f, "answers.facility.vocs");
    /* Findings: an item answered yes, an unknown item, an empty or too long description, a
       clause that is not text. */
    const char *all = "{\"permit.valid\":\"yes\",\"permit.report\":\"no\",\"ledger.kept\":\"yes\"}";
    assert_int_equal(check(cl, "done", all,
                           "[{\"item_id\":\"permit.report\",\"description\":\"x\"},"
                           "{\"item_id\":\"permit.valid\",\"description\":\"y\"}]",
                           NULL, f, &n),
                     ERR_INPUT);
    assert_string_equal(f, "findings[1].item_id");
    assert_int_equal(
        check(cl, "done", all, "[{\"item_id\":\"nope.x\",\"description\":\"y\"}]", NULL, f, &n),
        ERR_INPUT);
    assert_string_equal(f, "findings[0].item_id");
    assert_int_equal(check(cl, "done", all,
                           "[{\"item_id\":\"permit.report\",\"description\":\" \\n\"}]", NULL, f,
                           &n),
                     ERR_INPUT);
    assert_string_equal(f, "findings[0].description");
    char longer[2400];
    memset(longer, 'a', 2001);
    longer[2001] = 0;
    char fj[2600];
    snprintf(fj, sizeof fj, "[{\"item_id\":\"permit.report\",\"description\":\"%s\"}]", longer);
    assert_int_equal(check(cl, "done", all, fj, NULL, f, &n), ERR_INPUT);
    assert_string_equal(f, "findings[0].description");
    assert_int_equal(check(cl, "done", all,
                           "[{\"item_id\":\"permit.report\",\"description\":\"x\",\"clause\":7}]",
                           NULL, f, &n),
                     ERR_INPUT);
    assert_string_equal(f, "findings[0].clause");
    assert_int_equal(check(cl, "done", all, "[\"x\"]", NULL, f, &n), ERR_INPUT);
    assert_string_equal(f, "findings[0]");
    /* Shapes and the outcome. */
    assert_int_equal(check(cl, "done", "[]", NULL, NULL, f, &n), ERR_INPUT);
    assert_string_equal(f, "answers");
    assert_int_equal(check(cl, "done", all, "{}", NULL, f, &n), ERR_INPUT);
    assert_string_equal(f, "findings");
    assert_int_equal(check(cl, "finished", all, NULL, NULL, f, &n), ERR_INPUT);
    assert_string_equal(f, "outcome");
    assert_int_equal(check(cl, NULL, all, NULL, NULL, f, &n), ERR_INPUT);
    assert_string_equal(f, "outcome");
    /* Could not inspect: a note says why, no findings. */
    assert_int_equal(check(cl, "could_not_inspect", NULL, NULL, "  ", f, &n), ERR_INPUT);
    assert_string_equal(f, "note");
    assert_int_equal(check(cl, "could_not_inspect", NULL,
                           "[{\"item_id\":\"permit.report\",\"description\":\"x\"}]", "停产", f,
                           &n),
                     ERR_INPUT);
    assert_string_equal(f, "findings");
    assert_int_equal(check(cl, "could_not_inspect", NULL, NULL, "企业停产，大门紧闭", f, &n), 0);
    assert_int_equal((int)n, 0);
    json_decref(b);
}

static void at_most_fifty_findings(void **state)
{
    (void)state;
    json_t *b = body();
    const json_t *cl = inspect_checklist_pick(b, "1713");
    char f[160];
    size_t n;
    char fj[8192] = "[";
    for (int i = 0; i < 51; i++) {
        strcat(fj, i ? ",{\"item_id\":\"ledger.kept\",\"description\":\"x\"}"
                     : "{\"item_id\":\"ledger.kept\",\"description\":\"x\"}");
    }
    strcat(fj, "]");
    const char *all = "{\"permit.valid\":\"yes\",\"permit.report\":\"yes\",\"ledger.kept\":\"no\"}";
    assert_int_equal(check(cl, "done", all, fj, NULL, f, &n), ERR_INPUT);
    assert_string_equal(f, "findings");
    json_decref(b);
}

static void sources_and_levels(void **state)
{
    (void)state;
    assert_true(inspect_source_valid("draw") && inspect_source_valid("alarm") &&
                inspect_source_valid("complaint") && inspect_source_valid("campaign") &&
                inspect_source_valid("manual") && inspect_source_valid("patrol"));
    assert_false(inspect_source_valid("") || inspect_source_valid(NULL) ||
                 inspect_source_valid("Draw"));
    assert_true(inspect_level_valid("enforcement") && inspect_level_valid("local"));
    assert_false(inspect_level_valid("enterprise") || inspect_level_valid(NULL));
}

static void the_task_case_table(void **state)
{
    (void)state;
    inspect_register();
    const struct case_type *t = cases_type_find("inspect_task");
    assert_non_null(t);
    static const char *const STATES[] = {"scheduled", "awaiting_approval", "done", "not_approved"};
    static const char *const ACTIONS[] = {"require_approval", "approve",
                                          "refuse",           "no_problem",
                                          "problems_found",   "could_not_inspect"};
    const char *present[] = {"note"};
    for (size_t s = 0; s < 4; s++) {
        for (size_t a = 0; a < 6; a++) {
            for (unsigned bit = 1; bit <= CASE_ROLE_SYSTEM; bit <<= 1) {
                if (bit > ROLE_ENTERPRISE && bit != CASE_ROLE_SYSTEM) {
                    continue;
                }
                const char *st = STATES[s], *ac = ACTIONS[a];
                bool legal = (!strcmp(st, "scheduled") && !strcmp(ac, "require_approval") &&
                              bit == CASE_ROLE_SYSTEM) ||
                             (!strcmp(st, "awaiting_approval") &&
                              (!strcmp(ac, "approve") || !strcmp(ac, "refuse")) &&
                              (bit == ROLE_LEADER || bit == ROLE_ADMIN)) ||
                             (!strcmp(st, "scheduled") &&
                              (!strcmp(ac, "no_problem") || !strcmp(ac, "problems_found") ||
                               !strcmp(ac, "could_not_inspect")) &&
                              bit == ROLE_INSPECTOR);
                const struct case_transition *tr;
                const char *field;
                char why[256];
                int rc = case_check(t, st, ac, bit, present, 1, &tr, &field, why, sizeof why);
                if (legal != (rc == 0)) {
                    fail_msg("%s from %s by %u: %d", ac, st, bit, rc);
                }
            }
        }
    }
    assert_true(cases_state_final(t, "done") && cases_state_final(t, "not_approved"));
    assert_false(cases_state_final(t, "scheduled") || cases_state_final(t, "awaiting_approval"));
    /* Refusing needs the note. */
    const struct case_transition *tr;
    const char *field = NULL;
    char why[256];
    assert_int_equal(case_check(t, "awaiting_approval", "refuse", ROLE_LEADER, NULL, 0, &tr, &field,
                                why, sizeof why),
                     ERR_INPUT);
    assert_string_equal(field, "note");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_longest_industry_prefix_wins_else_the_default),
        cmocka_unit_test(the_shipped_checklists_pass_their_schema_and_cover_every_section),
        cmocka_unit_test(answers_and_findings_are_checked_naming_the_member),
        cmocka_unit_test(at_most_fifty_findings),
        cmocka_unit_test(sources_and_levels),
        cmocka_unit_test(the_task_case_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
