/*
** The rectify hub on a fresh SQLite store: a problem is recorded with its audit row and refused
** with the field on bad input; an order of it opens a rectification case and moves the problem
** to rectifying; the case's verify closes the problem only when every order of it is verified;
** rectify_orders_verified answers per origin.
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

#include "calendar/calendar.h"
#include "core/err.h"
#include "platform/app.h"
#include "rectify/rectify.h"
#include "store/store.h"

struct fx {
    char dir[64];
    struct store *s;
    struct db *db;
};

static const char *NOW = "2026-03-02T01:00:00Z";
static const struct case_actor INSPECTOR = {3, "执法员", ROLE_INSPECTOR, NULL, NULL, false};

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static struct calendar cal;

/* The deadlines come from the working-day calendar the server would hold (data/calendar). */
static int load_calendar(void **state)
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
    app.cal = &cal;
    return 0;
}

static int free_calendar(void **state)
{
    (void)state;
    app.cal = NULL;
    calendar_free(&cal);
    return 0;
}

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/envgov-rectify-XXXXXX");
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
    assert_int_equal(
        db_runf(fx->db,
                "INSERT INTO users (id, username, display_name, role, password_hash,"
                " password_changed_at, created_at, updated_at) VALUES (3, 'zf', '执法员',"
                " 'inspector', 'x', 'x', 'x', 'x')",
                ""),
        0);
    rectify_case_register();
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

static int64_t scalar(struct db *db, const char *sql)
{
    struct db_stmt *st;
    int64_t v = -1;
    assert_int_equal(db_queryf(db, &st, sql, ""), 0);
    assert_int_equal(db_step_id(st, &v), 0);
    return v;
}

static int64_t add_problem(struct fx *fx)
{
    struct rectify_problem_input in = {.enterprise_id = 7,
                                       .level = "enforcement",
                                       .source_kind = "manual",
                                       .category = "ledger",
                                       .description = "危废台账缺 10 月记录",
                                       .clause = "许可证 第八条",
                                       .found_on = "2026-03-02",
                                       .found_by = 3};
    int64_t id = 0;
    const char *field = "x";
    assert_int_equal(rectify_problem_add(fx->db, &in, &INSPECTOR, NOW, &id, &field), 0);
    assert_null(field);
    assert_true(id > 0);
    return id;
}

static void problem_recorded_and_refused(void **state)
{
    struct fx *fx = *state;
    int64_t id = add_problem(fx);
    struct rectify_problem p;
    assert_int_equal(rectify_problem_get(fx->db, id, &p), 0);
    assert_string_equal(p.region_code, "330522");
    assert_string_equal(p.status, "open");
    assert_string_equal(p.clause, "许可证 第八条");
    assert_int_equal(scalar(fx->db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'problem'"), 1);

    struct rectify_problem_input bad = {.enterprise_id = 7,
                                        .level = "county",
                                        .source_kind = "manual",
                                        .category = "ledger",
                                        .description = "x"};
    const char *field = NULL;
    int64_t nid = 0;
    assert_int_equal(rectify_problem_add(fx->db, &bad, &INSPECTOR, NOW, &nid, &field), ERR_INPUT);
    assert_string_equal(field, "level");
    bad.level = "local";
    bad.category = "noise";
    assert_int_equal(rectify_problem_add(fx->db, &bad, &INSPECTOR, NOW, &nid, &field), ERR_INPUT);
    assert_string_equal(field, "category");
    bad.category = "other";
    bad.found_on = "2026-02-30";
    assert_int_equal(rectify_problem_add(fx->db, &bad, &INSPECTOR, NOW, &nid, &field), ERR_INPUT);
    assert_string_equal(field, "found_on");
    bad.found_on = "2026\"-02-3";
    assert_int_equal(rectify_problem_add(fx->db, &bad, &INSPECTOR, NOW, &nid, &field), ERR_INPUT);
    assert_string_equal(field, "found_on");
    bad.found_on = NULL;
    bad.enterprise_id = 99;
    assert_int_equal(rectify_problem_add(fx->db, &bad, &INSPECTOR, NOW, &nid, &field),
                     ERR_NOTFOUND);
    assert_string_equal(field, "enterprise_id");
    assert_int_equal(scalar(fx->db, "SELECT COUNT(*) FROM problems"), 1);
}

static void verify(struct fx *fx, int64_t case_id)
{
    const char *field = NULL;
    char why[256] = "";
    int rc = cases_transition(fx->db, case_id, "verify", &INSPECTOR, NULL, 0, "{}", "", 0, NOW,
                              &field, why, sizeof why);
    if (rc) {
        fail_msg("verify: %d %s (%s)", rc, why, field ? field : "");
    }
}

static void orders_close_the_problem(void **state)
{
    struct fx *fx = *state;
    int64_t pid = add_problem(fx);
    struct rectify_order_input in = {
        .problem_id = pid, .origin = "problem", .requirement = "补齐台账", .workdays = 10};
    int64_t o1, c1, o2, c2;
    const char *field = NULL;
    assert_int_equal(rectify_order_open(fx->db, &in, &INSPECTOR, NOW, &o1, &c1, &field), 0);
    /* 10 working days from Monday 2 March 2026: counting starts the next day */
    assert_int_equal(
        scalar(fx->db, "SELECT COUNT(*) FROM rectify_orders WHERE due_on = '2026-03-16'"), 1);
    in.requirement = "建立台账复核制度";
    assert_int_equal(rectify_order_open(fx->db, &in, &INSPECTOR, NOW, &o2, &c2, &field), 0);
    struct rectify_problem p;
    assert_int_equal(rectify_problem_get(fx->db, pid, &p), 0);
    assert_string_equal(p.status, "rectifying");

    bool all = true;
    char last[11];
    assert_int_equal(rectify_problem_verified(fx->db, pid, &all, last), 0);
    assert_false(all);
    verify(fx, c1);
    assert_int_equal(rectify_problem_verified(fx->db, pid, &all, last), 0);
    assert_false(all);
    assert_int_equal(rectify_problem_get(fx->db, pid, &p), 0);
    assert_string_equal(p.status, "rectifying");
    verify(fx, c2);
    assert_int_equal(rectify_problem_verified(fx->db, pid, &all, last), 0);
    assert_true(all);
    assert_string_equal(last, "2026-03-02");
    assert_int_equal(rectify_problem_get(fx->db, pid, &p), 0);
    assert_string_equal(p.status, "closed");
    assert_string_equal(p.closed_on, "2026-03-02");
    /* a closed problem takes no new order */
    assert_int_equal(rectify_order_open(fx->db, &in, &INSPECTOR, NOW, &o2, &c2, &field),
                     ERR_CONFLICT);
    assert_string_equal(field, "problem_id");
}

static void orders_by_origin(void **state)
{
    struct fx *fx = *state;
    bool all = true;
    char last[11];
    assert_int_equal(rectify_orders_verified(fx->db, "exempt", 41, &all, last), 0);
    assert_false(all); /* no order at all is not "all verified" */
    struct rectify_order_input in = {.enterprise_id = 7,
                                     .origin = "exempt",
                                     .origin_id = 41,
                                     .requirement = "整改后报送自查报告",
                                     .workdays = 5};
    int64_t o, c;
    const char *field = NULL;
    assert_int_equal(rectify_order_open(fx->db, &in, &INSPECTOR, NOW, &o, &c, &field), 0);
    assert_int_equal(rectify_orders_verified(fx->db, "exempt", 41, &all, last), 0);
    assert_false(all);
    verify(fx, c);
    assert_int_equal(rectify_orders_verified(fx->db, "exempt", 41, &all, last), 0);
    assert_true(all);
    assert_int_equal(rectify_orders_verified(fx->db, "penalty", 41, &all, last), 0);
    assert_false(all);

    in.requirement = "";
    assert_int_equal(rectify_order_open(fx->db, &in, &INSPECTOR, NOW, &o, &c, &field), ERR_INPUT);
    assert_string_equal(field, "requirement");
    in.requirement = "x";
    in.origin = "whim";
    assert_int_equal(rectify_order_open(fx->db, &in, &INSPECTOR, NOW, &o, &c, &field), ERR_INPUT);
    assert_string_equal(field, "origin");
    assert_int_equal(scalar(fx->db,
                            "SELECT COUNT(*) FROM audit_log WHERE entity = 'rectify_order' AND"
                            " action = 'create'"),
                     1); /* the refused opens wrote nothing (the verify has its own row) */
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(problem_recorded_and_refused),
        T(orders_close_the_problem),
        T(orders_by_origin),
    };
    return cmocka_run_group_tests(tests, load_calendar, free_calendar);
}
