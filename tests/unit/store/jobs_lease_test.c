/*
** The job lease queries (src/store/q_jobs.c) on a fresh SQLite database: a held lease keeps a
** second owner out, an expired one (its holder crashed) is taken over, a stale holder's result
** neither frees nor moves the new holder's lease, a run by hand ignores the schedule but not the
** lease, the schedule is only ever moved earlier, and the history keeps the newest runs; the
** lease belongs to an acquisition (its token), not to an owner; queued runs by hand.
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

/* Take the lease as owner with this acquisition's token. */
static bool acquire_as(struct fx *fx, const char *owner, const char *token, int64_t now,
                       bool manual, int64_t *slot)
{
    bool got;
    int64_t s;
    assert_int_equal(
        store_job_acquire(fx->db, "t.job", owner, token, now, now + 60000, manual, &got, &s), 0);
    if (slot) {
        *slot = s;
    }
    return got;
}

/* Owners that take the lease once each: the owner's name is the token too. */
static bool acquire(struct fx *fx, const char *owner, int64_t now, bool manual, int64_t *slot)
{
    return acquire_as(fx, owner, owner, now, manual, slot);
}

static void finish_as(struct fx *fx, const char *owner, const char *token, bool manual, int64_t at,
                      int64_t next)
{
    struct job_result res = {.job = "t.job",
                             .owner = owner,
                             .token = token,
                             .actor = manual ? "cli" : "",
                             .manual = manual,
                             .slot_ms = 1000,
                             .started_ms = at,
                             .finished_ms = at + 5,
                             .duration_ms = 5,
                             .ok = true,
                             .error = "",
                             .note = "",
                             .next_run_ms = next};
    assert_int_equal(store_job_finish(fx->db, &res, 3), 0);
}

static void finish(struct fx *fx, const char *owner, bool manual, int64_t at, int64_t next)
{
    finish_as(fx, owner, owner, manual, at, next);
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
    assert_int_equal(store_job_acquire(fx->db, "no.job", "A", "a1", 0, 1, true, &got, &slot),
                     ERR_NOTFOUND);
}

/* Regression (review of issue 12): the lease was released per owner, so within one process
   (the admin page's run and the scheduler share the owner id) a run that overran its lease
   freed the lease of the run that took the job over. The token of the acquisition decides. */
static void stale_acquisition_of_the_same_owner_keeps_the_new_lease(void **state)
{
    struct fx *fx = *state;
    assert_true(acquire_as(fx, "P", "first", 1000, false, NULL));  /* lease until 61000 */
    assert_true(acquire_as(fx, "P", "second", 61001, true, NULL)); /* it overran: taken over */
    finish_as(fx, "P", "first", false, 1000, 9000);                /* the first one reports */
    struct row r = job_row(fx);
    assert_string_equal(r.owner, "P");
    assert_int_equal(r.lease_until_ms, 121001);
    assert_int_equal(r.next_run_ms, 1000);
    assert_false(acquire_as(fx, "Q", "third", 62000, true, NULL)); /* still held */
    finish_as(fx, "P", "second", true, 61001, 0);
    assert_string_equal(job_row(fx).owner, "");
    assert_true(acquire_as(fx, "Q", "third", 62000, true, NULL));
}

/* A run by hand queued from the admin page: one at a time per job; a scheduler claims it once;
   its result completes the same row; a run left running by a dead holder is marked failed by
   the next acquisition. */
static void queued_run_is_claimed_once_and_completed(void **state)
{
    struct fx *fx = *state;
    int64_t id = 0, again = 0;
    assert_int_equal(store_job_run_queue(fx->db, "t.job", "admin", 500, &id), 0);
    assert_true(id > 0);
    assert_int_equal(store_job_run_queue(fx->db, "t.job", "admin", 501, &again), ERR_CONFLICT);
    assert_int_equal(again, id);
    bool got;
    assert_true(acquire(fx, "A", 600, true, NULL));
    assert_int_equal(store_job_run_claim(fx->db, id, "A", 600, &got), 0);
    assert_true(got);
    assert_int_equal(store_job_run_claim(fx->db, id, "B", 600, &got), 0);
    assert_false(got);
    struct job_result res = {.job = "t.job",
                             .owner = "A",
                             .token = "A",
                             .actor = "admin",
                             .run_id = id,
                             .manual = true,
                             .started_ms = 600,
                             .finished_ms = 610,
                             .duration_ms = 10,
                             .ok = true,
                             .error = "",
                             .note = "done"};
    assert_int_equal(store_job_finish(fx->db, &res, 3), 0);
    int n = 0;
    assert_int_equal(store_job_runs_each(fx->db, "t.job", 100, count_run, &n), 0);
    assert_int_equal(n, 1); /* completed in place, no second row */
    struct db_stmt *st;
    assert_int_equal(db_queryf(fx->db, &st,
                               "SELECT status || ':' || actor || ':' || note FROM"
                               " job_runs WHERE id = ?1",
                               "i", id),
                     0);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_column_text(st, 0, NULL), "ok:admin:done");
    db_done(st);
    /* Queued again, claimed by B, whose process dies: the next holder marks it failed. */
    assert_int_equal(store_job_run_queue(fx->db, "t.job", "admin", 700, &id), 0);
    assert_true(acquire(fx, "B", 700, true, NULL));
    assert_int_equal(store_job_run_claim(fx->db, id, "B", 700, &got), 0);
    assert_true(acquire(fx, "C", 60701, true, NULL));
    assert_int_equal(db_queryf(fx->db, &st, "SELECT status FROM job_runs WHERE id = ?1", "i", id),
                     0);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_column_text(st, 0, NULL), "failed");
    db_done(st);
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
        T(held_lease_keeps_others_out),
        T(crashed_holder_loses_the_lease),
        T(manual_run_keeps_the_schedule),
        T(ensure_moves_the_schedule_only_earlier),
        T(history_keeps_the_newest_runs),
        T(stale_acquisition_of_the_same_owner_keeps_the_new_lease),
        T(queued_run_is_claimed_once_and_completed),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
