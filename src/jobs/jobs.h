/*
** Periodic jobs: work that runs on a schedule (every N seconds, daily or monthly at a China
** time) from the scheduler thread of `envgov serve`, exactly once across every process that
** shares the database, or by hand (`envgov job run NAME`, the admin page's "run now").
**
** A module declares its jobs as a constant array of struct job_def in its module descriptor
** (struct module's jobs / n_jobs); the scheduler loops over the modules' jobs and names none.
** Before a run the process takes the job's lease in the database (table jobs, one conditional
** UPDATE: the job is due and no unexpired lease is held), runs the job on its own thread and
** records the result (job_runs), which releases the lease and sets the next run. A process
** that dies holding a lease loses it when lease_s passes; the slot then runs again elsewhere.
** See docs/internals/jobs.md.
*/
#ifndef ENVGOV_JOBS_JOBS_H
#define ENVGOV_JOBS_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

enum job_kind { JOB_EVERY, JOB_DAILY, JOB_MONTHLY };

/* When a job runs. JOB_EVERY: at the multiples of every_s seconds since the Unix epoch (so
   every process computes the same slots); JOB_DAILY: each day at hour:minute China time
   (UTC+8, no daylight saving); JOB_MONTHLY: on day `day` (1-31; a shorter month runs on its
   last day) at hour:minute China time. */
struct job_schedule {
    enum job_kind kind;
    int64_t every_s;
    int day, hour, minute;
};

/* Parse "every N" (seconds, N >= 1), "daily HH:MM" or "monthly D HH:MM" into *out.
   ERR_INPUT with a message in err (what the text should look like) otherwise. */
int job_schedule_parse(const char *text, struct job_schedule *out, char *err, size_t errcap);
/* The first slot strictly after after_s (Unix seconds). Pure; no allocation. */
int64_t job_schedule_next(const struct job_schedule *s, int64_t after_s);

/* What a running job gets. It does its work in its own transactions on store (one per unit
   of work; store_begin/commit), writes a short human note ("3 sessions removed") into note,
   and on failure returns a negative ERR_* with the reason in error (shown on the admin
   page and by `envgov job run`). */
struct job_run {
    struct store *store;
    const struct job_def *def;
    int64_t now_ms;  /* when the run started (Unix ms) */
    int64_t slot_ms; /* the scheduled slot (0 for a run by hand) */
    bool manual;
    char note[256];
    char error[512];
};

struct job_def {
    const char *name;     /* "sessions.prune": module prefix, dot, verb */
    const char *schedule; /* default schedule text (job_schedule_parse) */
    /* A string setting (declared by the same module) whose value, when set, replaces
       schedule; NULL when the schedule is fixed. */
    const char *schedule_setting;
    int (*run)(struct job_run *jr);
    int lease_s; /* longer than any run can take: a run past it may start again elsewhere */
    const char *description; /* "清理过期会话 / Remove expired sessions" */
};

/* The jobs module's descriptor (src/jobs/module.c) with its own upkeep jobs. */
struct module;
extern const struct module jobs_module;

/* Look a job up among every module's jobs; NULL when unknown. */
const struct job_def *jobs_find(const char *name);
/* The job's schedule now (its setting, or its default); ERR_INPUT with err for a bad
   setting value. */
int jobs_schedule_of(const struct job_def *def, struct job_schedule *out, char *err, size_t errcap);

enum job_outcome { JOB_RAN, JOB_BUSY, JOB_NOT_DUE };
struct job_report {
    enum job_outcome outcome;
    bool ok;
    int64_t duration_ms;
    char note[256], error[512];
};
/* Take the lease of def and run it now (manual: whether or not it is due) in the calling
   thread, then record the run (the CLI's `envgov job run`; the admin page queues its runs for
   the scheduler instead, see api.c); actor names who asked ("cli", a user name). JOB_BUSY when
   another run holds the lease. 0, or a negative ERR_* when the database failed (the run's own
   failure is rep->ok false, not an error). */
int jobs_run_now(struct store *s, const struct job_def *def, bool manual, const char *actor,
                 struct job_report *rep);

/* The scheduler thread of envgov serve (jobs_enabled off: none is started). */
int jobs_start(char *err, size_t errcap);
void jobs_stop(void);
/* Wake this process's scheduler to look at the job table now (a run by hand was queued). */
void jobs_wake(void);
/* Whether this process runs a scheduler (queued runs by hand wait for one, here or elsewhere). */
bool jobs_scheduler_here(void);
/* Prometheus lines from the jobs table (figures of every process, not only this one). */
void jobs_metrics(struct buf *out);

#endif
