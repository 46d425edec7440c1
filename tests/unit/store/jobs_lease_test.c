/*
** The job lease queries (src/store/q_jobs.c) on a fresh SQLite database: a held lease keeps a
** second owner out, an expired one (its holder crashed) is taken over, a stale holder's result
** neither frees nor moves the new holder's lease, a run by hand ignores the schedule but not the
** lease, the schedule is only ever moved earlier, and the history keeps the newest runs.
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
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "store/q_jobs.h"
#include "store/store.h"

struct fx {
    char dir[64];
    struct store *s;
    struct db *db;
};

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/envgov-jobs-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    char err[256] = "";
    if (store_open(fx->dir, "", &fx->s, err, sizeof err)) {
        fail_msg("store_open: %s", err);
    }
    assert_int_equal(store_begin(fx->s, &fx->db), 0);
    assert_int_equal(store_job_ensure(fx->db, "t.job", 1000), 0);
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

static bool acquire(struct fx *fx, const char *owner, int64_t now, bool manual, int64_t *slot)
{
    bool got;
    int64_t s;
    assert_int_equal(store_job_acquire(fx->db, "t.job", owner, now, now + 60000, manual, &got, &s),
                     0);
    if (slot) {
        *slot = s;
    }
    return got;
}

static void finish(struct fx *fx, const char *owner, bool manual, int64_t at, int64_t next)
{
    struct job_result res = {
        "t.job", owner, manual ? "cli" : "", manual, 1000, at, at + 5, 5, true, "", "", next};
    assert_int_equal(store_job_finish(fx->db, &res, 3), 0);
}

struct row {
    int64_t next_run_ms, lease_until_ms, run_count;
    char owner[64];
};

static void on_row(struct db_stmt *st, void *ctx)
{
    struct row *r = ctx;
    r->next_run_ms = db_column_int(st, 1);
    str_copy(r->owner, sizeof r->owner, db_column_text(st, 2, NULL));
    r->lease_until_ms = db_column_int(st, 3);
    r->run_count = db_column_int(st, 10);
}

static struct row job_row(struct fx *fx)
{
    struct row r = {0};
    assert_int_equal(store_jobs_each(fx->db, on_row, &r), 0);
    return r;
}

static void count_run(struct db_stmt *st, void *ctx)
{
    (void)st;
    ++*(int *)ctx;
}

static void held_lease_keeps_others_out(void **state)
{
    struct fx *fx = *state;
    int64_t slot;
    assert_false(acquire(fx, "A", 999, false, NULL)); /* not due yet */
    assert_true(acquire(fx, "A", 1000, false, &slot));
    assert_int_equal(slot, 1000);
    assert_false(acquire(fx, "B", 2000, false, NULL));
    assert_false(acquire(fx, "B", 2000, true, NULL)); /* by hand: still not while it runs */
    finish(fx, "A", false, 1000, 5000);
    struct row r = job_row(fx);
    assert_int_equal(r.next_run_ms, 5000);
    assert_string_equal(r.owner, "");
    assert_int_equal(r.run_count, 1);
    assert_false(acquire(fx, "B", 2000, false, NULL)); /* the slot ran; the next is at 5000 */
    assert_true(acquire(fx, "B", 5000, false, &slot));
    assert_int_equal(slot, 5000);
}

static void crashed_holder_loses_the_lease(void **state)
{
    struct fx *fx = *state;
    assert_true(acquire(fx, "A", 1000, false, NULL)); /* lease until 61000; A then dies */
    assert_false(acquire(fx, "B", 61000, false, NULL));
    int64_t slot;
    assert_true(acquire(fx, "B", 61001, false, &slot));
    assert_int_equal(slot, 1000); /* the slot A never finished runs again */
    /* A comes back and reports: counted, but B's lease and schedule stay. */
    finish(fx, "A", false, 1000, 9000);
    struct row r = job_row(fx);
    assert_string_equal(r.owner, "B");
    assert_int_equal(r.lease_until_ms, 121001);
    assert_int_equal(r.next_run_ms, 1000);
    finish(fx, "B", false, 61001, 62000);
    r = job_row(fx);
    assert_string_equal(r.owner, "");
    assert_int_equal(r.next_run_ms, 62000);
    assert_int_equal(r.run_count, 2);
}

static void manual_run_keeps_the_schedule(void **state)
{
    struct fx *fx = *state;
    assert_true(acquire(fx, "A", 500, true, NULL)); /* not due, but by hand */
    finish(fx, "A", true, 500, 77777);
    struct row r = job_row(fx);
    assert_int_equal(r.next_run_ms, 1000);
    assert_string_equal(r.owner, "");
    bool got;
    int64_t slot;
    assert_int_equal(store_job_acquire(fx->db, "no.job", "A", 0, 1, true, &got, &slot),
                     ERR_NOTFOUND);
}

static void ensure_moves_the_schedule_only_earlier(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(store_job_ensure(fx->db, "t.job", 4000), 0);
    assert_int_equal(job_row(fx).next_run_ms, 1000);
    assert_int_equal(store_job_ensure(fx->db, "t.job", 800), 0);
    assert_int_equal(job_row(fx).next_run_ms, 800);
    assert_true(acquire(fx, "A", 800, false, NULL));
    assert_int_equal(store_job_ensure(fx->db, "t.job", 10), 0); /* leased: left alone */
    assert_int_equal(job_row(fx).next_run_ms, 800);
}

static void history_keeps_the_newest_runs(void **state)
{
    struct fx *fx = *state;
    for (int i = 0; i < 5; i++) {
        assert_true(acquire(fx, "A", 100000 + i, true, NULL));
        finish(fx, "A", true, 100000 + i, 0);
    }
    int n = 0;
    assert_int_equal(store_job_runs_each(fx->db, "t.job", 100, count_run, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(job_row(fx).run_count, 5);
}

int main(void)
{
    if (util_init()) {
        return 1;
    }
    settings_init();
    log_set_level(LOG_WARN);
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(held_lease_keeps_others_out),   T(crashed_holder_loses_the_lease),
        T(manual_run_keeps_the_schedule), T(ensure_moves_the_schedule_only_earlier),
        T(history_keeps_the_newest_runs),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
