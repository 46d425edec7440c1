/*
** What other modules ask the positive list, on a fresh SQLite store: positive_listed follows the
** contract's condition to the day (listed_from inclusive, listed_to and removed_on exclusive);
** positive_onsite_check needs approval for a listed firm except complaint verification, and no
** longer once a request for that day is approved; positive_onsite_request refuses complaint
** verification and a day the firm is not listed.
*/
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "core/err.h"
#include "positive/positive.h"
#include "store/q_positive.h"
#include "store/store.h"

struct fx {
    char dir[64];
    struct store *s;
    struct db *db; /* the writer, in one transaction per test */
    int64_t entry;
};

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/envgov-positive-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    char err[256] = "";
    if (store_open(fx->dir, "", &fx->s, err, sizeof err)) {
        fail_msg("store_open: %s", err);
    }
    assert_int_equal(store_begin(fx->s, &fx->db), 0);
    assert_int_equal(
        db_runf(fx->db, "INSERT INTO regions (code, name, level) VALUES ('330522', '长兴县', 3)",
                ""),
        0);
    assert_int_equal(
        db_runf(fx->db, "INSERT INTO industries (code, name, level) VALUES ('4610', '自来水', 4)",
                ""),
        0);
    assert_int_equal(db_runf(fx->db,
                             "INSERT INTO enterprises (id, uscc, name, region_code, industry_code,"
                             " created_at, updated_at) VALUES (7, '91330522MA00000007', '长兴水务',"
                             " '330522', '4610', 'x', 'x')",
                             ""),
                     0);
    struct positive_entry_new n = {.enterprise_id = 7,
                                   .listed_from = "2026-03-01",
                                   .listed_to = "2029-03-01",
                                   .basis = "criteria",
                                   .reasons_json = "[]",
                                   .rule_set_id = 1,
                                   .rule_version = 1,
                                   .admitted_by_name = "test",
                                   .now = "2026-03-01T01:00:00Z"};
    assert_int_equal(store_positive_entry_insert(fx->db, &n, &fx->entry), 0);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    store_rollback(fx->s, fx->db);
    store_close(fx->s);
    nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return 0;
}

static bool listed(struct fx *fx, const char *day)
{
    bool l = true;
    assert_int_equal(positive_listed(fx->db, 7, day, &l), 0);
    return l;
}

static void listed_from_inclusive_to_exclusive(void **state)
{
    struct fx *fx = *state;
    assert_false(listed(fx, "2026-02-28"));
    assert_true(listed(fx, "2026-03-01"));
    assert_true(listed(fx, "2029-02-28"));
    assert_false(listed(fx, "2029-03-01"));
    bool l = true;
    assert_int_equal(positive_listed(fx->db, 8, "2027-01-01", &l), 0);
    assert_false(l);
}

static void removal_ends_the_listing_on_its_day(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(store_positive_entry_remove(fx->db, fx->entry, "2027-06-10", "偷排", true,
                                                 "2030-06-10", 0, "test", "2027-06-10T02:00:00Z"),
                     0);
    assert_true(listed(fx, "2027-06-09"));
    assert_false(listed(fx, "2027-06-10"));
    assert_int_equal(store_positive_entry_remove(fx->db, fx->entry, "2027-06-11", "again", false,
                                                 NULL, 0, "test", "2027-06-11T02:00:00Z"),
                     ERR_CONFLICT);
    struct positive_fact_row f;
    assert_int_equal(store_positive_facts(fx->db, 7, "2028-01-01", &f), 0);
    assert_string_equal(f.barred_to, "2030-06-10");
    assert_string_equal(f.listed_to, "");
    assert_int_equal(f.listed_entry, 0);
}

static void onsite_needs_approval_except_complaints(void **state)
{
    struct fx *fx = *state;
    bool needs = false;
    int64_t req = -1;
    assert_int_equal(positive_onsite_check(fx->db, 7, "2027-05-01", "draw", &needs, &req), 0);
    assert_true(needs);
    assert_int_equal(req, 0);
    assert_int_equal(positive_onsite_check(fx->db, 7, "2027-05-01", "complaint", &needs, NULL), 0);
    assert_false(needs);
    assert_int_equal(positive_onsite_check(fx->db, 7, "2027-05-01", "something", &needs, NULL), 0);
    assert_true(needs); /* an unknown purpose needs approval */
    assert_int_equal(positive_onsite_check(fx->db, 7, "2029-03-01", "draw", &needs, NULL), 0);
    assert_false(needs); /* not listed then */
    assert_int_equal(positive_onsite_check(fx->db, 7, "2027-5-01", "draw", &needs, NULL),
                     ERR_INPUT);
    assert_int_equal(positive_onsite_check(fx->db, 7, "2027-05-01", "", &needs, NULL), ERR_INPUT);

    struct positive_actor who = {0, "test", NULL, NULL};
    char why[256];
    int64_t id = 0;
    assert_int_equal(positive_onsite_request(fx->db, 7, "complaint", "2027-05-01", "核查投诉", "",
                                             0, &who, "2027-04-30T02:00:00Z", &id, why, sizeof why),
                     ERR_INPUT);
    assert_non_null(strstr(why, "complaint verification"));
    assert_int_equal(positive_onsite_request(fx->db, 7, "draw", "2029-03-01", "双随机", "", 0, &who,
                                             "2027-04-30T02:00:00Z", &id, why, sizeof why),
                     ERR_CONFLICT);
    assert_int_equal(positive_onsite_request(fx->db, 7, "draw", "2027-05-01", "双随机",
                                             "inspection", 42, &who, "2027-04-30T02:00:00Z", &id,
                                             why, sizeof why),
                     0);
    /* pending: still needs approval; approved: that day only */
    assert_int_equal(positive_onsite_check(fx->db, 7, "2027-05-01", "draw", &needs, &req), 0);
    assert_true(needs);
    assert_int_equal(store_positive_onsite_decide(fx->db, id, "approved", 0, "leader", "同意",
                                                  "2027-04-30T03:00:00Z"),
                     0);
    assert_int_equal(positive_onsite_check(fx->db, 7, "2027-05-01", "draw", &needs, &req), 0);
    assert_false(needs);
    assert_int_equal(req, id);
    assert_int_equal(positive_onsite_check(fx->db, 7, "2027-05-02", "draw", &needs, &req), 0);
    assert_true(needs);
    assert_int_equal(store_positive_onsite_decide(fx->db, id, "refused", 0, "leader", "x",
                                                  "2027-04-30T04:00:00Z"),
                     ERR_CONFLICT);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(listed_from_inclusive_to_exclusive),
        T(removal_ends_the_listing_on_its_day),
        T(onsite_needs_approval_except_complaints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
