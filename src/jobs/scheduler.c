/*
** The job scheduler: one thread in `envgov serve` that wakes when the earliest job is due (or
** every jobs_poll_s to see what other processes did), takes the lease of each due job in the
** database and runs the job itself, one at a time — there is no queue because there is no
** second thread: the scheduler thread is the only one that runs scheduled jobs (STYLE.md,
** threads). A run by hand takes the same lease, so it never overlaps a scheduled run of the
** same job in any process: `envgov job run` runs it in the CLI process (jobs_run_now); the
** admin page queues it (a job_runs row, status queued) and the scheduler — this process's,
** woken at once, or another's — claims and runs it. Every acquisition of a lease carries its
** own token, and only that token releases it.
**
** Owns: the owner id of this process ("host:pid:random"), the thread and its stop flag.
*/
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "jobs/jobs.h"
#include "jobs/registry.h"
#include "platform/app.h"
#include "store/q_jobs.h"

static char g_owner[128];
static pthread_once_t g_owner_once = PTHREAD_ONCE_INIT;

static void owner_init(void)
{
    char host[64] = "host", rnd[16];
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = 0;
    random_token(6, rnd, sizeof rnd);
    snprintf(g_owner, sizeof g_owner, "%s:%ld:%s", host, (long)getpid(), rnd);
}

static const char *owner_id(void)
{
    pthread_once(&g_owner_once, owner_init);
    return g_owner;
}

int jobs_schedule_of(const struct job_def *def, struct job_schedule *out, char *err, size_t errcap)
{
    const char *text = def->schedule;
    if (def->schedule_setting && settings_get(def->schedule_setting)[0]) {
        text = settings_get(def->schedule_setting);
    }
    return job_schedule_parse(text, out, err, errcap);
}

/* The job's row (added when missing) and its lease under a new token, in one transaction;
   with run_id (a queued run by hand) the run is claimed in the same transaction, and when
   another scheduler claimed it first nothing is taken. */
static int take_lease(struct store *s, const struct job_def *def, int64_t first_ms, int64_t now_ms,
                      bool manual, int64_t run_id, char token[24], bool *got, int64_t *slot_ms)
{
    random_token(9, token, 24);
    struct db *db;
    int rc = store_begin(s, &db);
    if (rc) {
        return rc;
    }
    rc = store_job_ensure(db, def->name, first_ms);
    if (!rc) {
        rc = store_job_acquire(db, def->name, owner_id(), token, now_ms,
                               now_ms + def->lease_s * 1000LL, manual, got, slot_ms);
    }
    if (!rc && *got && run_id) {
        rc = store_job_run_claim(db, run_id, owner_id(), now_ms, got);
        if (!rc && !*got) {
            store_rollback(s, db);
            return 0;
        }
    }
    return rc ? (store_rollback(s, db), rc) : store_commit(s, db);
}

static int record(struct store *s, const struct job_result *res)
{
    struct db *db;
    int rc = store_begin(s, &db);
    if (!rc) {
        rc = store_job_finish(db, res, settings_int("jobs_keep_runs"));
        rc = rc ? (store_rollback(s, db), rc) : store_commit(s, db);
    }
    if (rc) {
        log_error("job %s: result not recorded (%s); the slot runs again once the lease expires",
                  res->job, err_name(rc));
    }
    return rc;
}

/* Lease, run, record: a scheduled run (manual false), a run by hand in this thread (run_id 0)
   or the queued run by hand run_id. */
static int run_one(struct store *s, const struct job_def *def, bool manual, int64_t run_id,
                   const char *actor, struct job_report *rep)
{
    memset(rep, 0, sizeof *rep);
    struct job_schedule sch;
    if (jobs_schedule_of(def, &sch, rep->error, sizeof rep->error)) {
        return ERR_INPUT;
    }
    int64_t now_ms = wall_ms(), slot_ms;
    bool got;
    char token[24];
    int rc = take_lease(s, def, job_schedule_next(&sch, now_ms / 1000) * 1000, now_ms, manual,
                        run_id, token, &got, &slot_ms);
    if (rc || !got) {
        rep->outcome = manual ? JOB_BUSY : JOB_NOT_DUE;
        return rc;
    }
    rep->outcome = JOB_RAN;
    struct job_run jr = {s, def, now_ms, manual ? 0 : slot_ms, manual, "", ""};
    int64_t t0 = mono_ms();
    int run_rc = def->run(&jr);
    rep->duration_ms = mono_ms() - t0;
    rep->ok = run_rc == 0;
    if (!rep->ok && !jr.error[0]) {
        snprintf(jr.error, sizeof jr.error, "failed (%s)", err_name(run_rc));
    }
    str_copy(rep->note, sizeof rep->note, jr.note);
    str_copy(rep->error, sizeof rep->error, rep->ok ? "" : jr.error);
    int64_t done_ms = wall_ms();
    /* The next slot after the later of the slot and the end of the run: a run longer than the
       interval skips the slots it overran instead of running them back to back. */
    int64_t after_s = (slot_ms > done_ms ? slot_ms : done_ms) / 1000;
    struct job_result res = {.job = def->name,
                             .owner = owner_id(),
                             .token = token,
                             .actor = actor ? actor : "",
                             .run_id = run_id,
                             .manual = manual,
                             .slot_ms = slot_ms,
                             .started_ms = now_ms,
                             .finished_ms = done_ms,
                             .duration_ms = rep->duration_ms,
                             .ok = rep->ok,
                             .error = rep->error,
                             .note = rep->note,
                             .next_run_ms = job_schedule_next(&sch, after_s) * 1000};
    if (!rep->ok) {
        log_warn("job %s failed after %lld ms: %s", def->name, (long long)rep->duration_ms,
                 rep->error);
    }
    return record(s, &res);
}

int jobs_run_now(struct store *s, const struct job_def *def, bool manual, const char *actor,
                 struct job_report *rep)
{
    return run_one(s, def, manual, 0, actor, rep);
}

/* ---- the thread ---- */

static struct {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool stopping, running, woken; /* woken: a run was queued while a tick was going on */
} S = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

struct due_scan {
    int64_t now_ms, wake_ms;
    const struct job_def *due[64];
    size_t n_due;
};

/* One job row: due (and not leased by anyone) → run it; else note when to look again. */
static void on_row(struct db_stmt *st, void *ctx)
{
    struct due_scan *d = ctx;
    int64_t next = db_column_int(st, 1), lease_until = db_column_int(st, 3);
    bool leased = db_column_type(st, 3) != DB_NULL && lease_until >= d->now_ms;
    int64_t when = leased ? (lease_until > next ? lease_until : next) : next;
    const struct job_def *def = jobs_find(db_column_text(st, 0, NULL));
    if (!def) {
        return; /* a job no module declares any longer (or not in this binary) */
    }
    if (!leased && next <= d->now_ms && d->n_due < ARRAY_LEN(d->due)) {
        d->due[d->n_due++] = def;
    } else if (when < d->wake_ms) {
        d->wake_ms = when;
    }
}

/* Rows for every declared job (once per start; again after a database error). */
static int ensure_all(void)
{
    struct db *db;
    int rc = store_begin(app.store, &db);
    for (size_t i = 0; !rc && i < jobs_count(); i++) {
        const struct job_def *def = jobs_at(i);
        struct job_schedule sch;
        char err[256];
        if (jobs_schedule_of(def, &sch, err, sizeof err)) {
            log_error("job %s: %s; not scheduled", def->name, err);
            continue;
        }
        rc = store_job_ensure(db, def->name, job_schedule_next(&sch, wall_ms() / 1000) * 1000);
    }
    return rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
}

struct queued_scan {
    int64_t id[16];
    const struct job_def *def[16];
    char actor[16][64];
    size_t n;
};

static void on_queued(struct db_stmt *st, void *ctx)
{
    struct queued_scan *q = ctx;
    const struct job_def *def = jobs_find(db_column_text(st, 1, NULL));
    if (def && q->n < ARRAY_LEN(q->id)) { /* a job not in this binary: left to another process */
        q->id[q->n] = db_column_int(st, 0);
        q->def[q->n] = def;
        str_copy(q->actor[q->n++], sizeof q->actor[0], db_column_text(st, 2, NULL));
    }
}

/* The runs by hand queued from the admin page (any process's): each whose job's lease is free
   runs now; one whose job is running waits for a later tick. */
static int run_queued(void)
{
    static struct queued_scan q; /* the scheduler thread's only */
    q.n = 0;
    struct db *db = store_read(app.store);
    int rc = store_job_runs_queued_each(db, ARRAY_LEN(q.id), on_queued, &q);
    store_release(app.store, db);
    for (size_t i = 0; !rc && i < q.n; i++) {
        struct job_report rep;
        rc = run_one(app.store, q.def[i], true, q.id[i], q.actor[i], &rep);
        rc = rc == ERR_INPUT ? 0 : rc; /* a bad schedule setting: shown on the page */
    }
    return rc;
}

/* Run what is due; return when to look again (Unix ms). */
static int64_t tick(bool *ensured)
{
    int64_t poll_ms = settings_int("jobs_poll_s") * 1000;
    struct due_scan d = {wall_ms(), wall_ms() + poll_ms, {0}, 0};
    if (!*ensured) {
        *ensured = ensure_all() == 0;
    }
    struct db *db = store_read(app.store);
    int rc = store_jobs_each(db, on_row, &d);
    store_release(app.store, db);
    for (size_t i = 0; !rc && i < d.n_due; i++) {
        struct job_report rep;
        if (jobs_run_now(app.store, d.due[i], false, "", &rep)) {
            *ensured = false;
        }
        d.wake_ms = wall_ms(); /* a run took time: look again at once */
    }
    if (!rc) {
        rc = run_queued();
    }
    if (rc) {
        log_error("jobs: cannot read the job table (%s); retrying", err_name(rc));
        *ensured = false;
    }
    int64_t floor_ms = wall_ms() + 10;
    return d.wake_ms < floor_ms ? floor_ms : d.wake_ms;
}

static void *scheduler_main(void *arg)
{
    (void)arg;
    bool ensured = false;
    for (;;) {
        int64_t wake_ms = tick(&ensured);
        pthread_mutex_lock(&S.lock);
        if (!S.stopping && !S.woken) {
            struct timespec ts = {wake_ms / 1000, (wake_ms % 1000) * 1000000};
            pthread_cond_timedwait(&S.cond, &S.lock, &ts);
        }
        bool stop = S.stopping;
        S.woken = false;
        pthread_mutex_unlock(&S.lock);
        if (stop) {
            break;
        }
    }
    return NULL;
}

void jobs_wake(void)
{
    pthread_mutex_lock(&S.lock);
    S.woken = true;
    pthread_cond_signal(&S.cond);
    pthread_mutex_unlock(&S.lock);
}

bool jobs_scheduler_here(void)
{
    return __atomic_load_n(&S.running, __ATOMIC_ACQUIRE);
}

int jobs_start(char *err, size_t errcap)
{
    const char *enabled = settings_get("jobs_enabled");
    if (strcmp(enabled, "on") && strcmp(enabled, "off")) {
        snprintf(err, errcap, "jobs_enabled must be on or off (not \"%.40s\")", enabled);
        return ERR_INPUT;
    }
    if (!strcmp(enabled, "off")) {
        log_info("jobs: scheduler off in this process (jobs_enabled = %s)",
                 settings_get("jobs_enabled"));
        return 0;
    }
    if (settings_int("jobs_poll_s") < 1) {
        snprintf(err, errcap, "jobs_poll_s must be at least 1 (seconds)");
        return ERR_INPUT;
    }
    S.stopping = false;
    if (pthread_create(&S.thread, NULL, scheduler_main, NULL)) {
        snprintf(err, errcap, "cannot start the job scheduler thread");
        return ERR_IO;
    }
    __atomic_store_n(&S.running, true, __ATOMIC_RELEASE);
    log_info("jobs: scheduler started as %s (%zu jobs)", owner_id(), jobs_count());
    return 0;
}

void jobs_stop(void)
{
    if (!S.running) {
        return;
    }
    pthread_mutex_lock(&S.lock);
    S.stopping = true;
    pthread_cond_signal(&S.cond);
    pthread_mutex_unlock(&S.lock);
    pthread_join(S.thread, NULL); /* a job in progress finishes first */
    S.running = false;
}
