/*
** Queries of the job scheduler (src/jobs/): the lease row of each job (table jobs) and its
** recent runs (job_runs), schemas 11 and 16. Times are Unix milliseconds. Callers hold the
** transaction (store_begin) for the writes; reads work on a reader or the writer.
*/
#ifndef ENVGOV_STORE_Q_JOBS_H
#define ENVGOV_STORE_Q_JOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* Add the job's row, due at next_run_ms, when it has none; when it has one that nobody
   holds and that is due later than next_run_ms (the schedule was shortened), move it
   earlier. */
int store_job_ensure(struct db *db, const char *name, int64_t next_run_ms);

/* Take the lease of job name for owner (shown) with token (this acquisition's, unique: only
   it releases the lease) until lease_until_ms when nobody holds an unexpired one
   (lease_until_ms < now_ms counts as expired) and — unless manual — the job is due
   (next_run_ms <= now_ms). One conditional UPDATE: *got tells whether this call took it, and
   then *slot_ms is the next_run_ms that was due; runs of the job still marked running belong
   to holders whose lease expired and are marked failed. ERR_NOTFOUND when the job has no
   row. */
int store_job_acquire(struct db *db, const char *name, const char *owner, const char *token,
                      int64_t now_ms, int64_t lease_until_ms, bool manual, bool *got,
                      int64_t *slot_ms);

/* Queue a run by hand of job name for a scheduler: a job_runs row (manual, status queued,
   actor, requested_ms); *run_id gets its id. ERR_CONFLICT (with *run_id the queued one) when
   the job already has a queued run. */
int store_job_run_queue(struct db *db, const char *name, const char *actor, int64_t now_ms,
                        int64_t *run_id);
/* Rows: id, job, actor — the queued runs, oldest first, at most limit. */
int store_job_runs_queued_each(struct db *db, int64_t limit, db_row_fn row, void *ctx);
/* Claim queued run run_id for owner, started at started_ms (status running); *got false when
   it is no longer queued (another scheduler took it). */
int store_job_run_claim(struct db *db, int64_t run_id, const char *owner, int64_t started_ms,
                        bool *got);

struct job_result {
    const char *job, *owner, *token, *actor; /* actor: "" for scheduled runs */
    int64_t run_id;                          /* the queued run's row to complete; 0: insert a row */
    bool manual;
    int64_t slot_ms; /* scheduled runs */
    int64_t started_ms, finished_ms, duration_ms;
    bool ok;
    const char *error, *note;
    int64_t next_run_ms; /* scheduled runs: the next slot; ignored for manual runs */
};
/* Record a finished run: the job's last-run columns and counters, a job_runs row (or the
   queued one, run_id, completed; keeping the newest keep_runs finished runs of the job), and —
   when the lease still carries this run's token — release it (and for a scheduled run set
   next_run_ms). */
int store_job_finish(struct db *db, const struct job_result *res, int64_t keep_runs);

/* Rows: name, next_run_ms, lease_owner, lease_until_ms, last_started_ms, last_finished_ms,
   last_duration_ms, last_status, last_error, last_success_ms, run_count, fail_count, id — every
   job row, by name. NULL columns read as 0 / "". */
int store_jobs_each(struct db *db, db_row_fn row, void *ctx);
/* Rows: id, kind, slot_ms, owner, actor, started_ms, finished_ms, duration_ms, status, error,
   note, requested_ms of job name, newest first, at most limit. */
int store_job_runs_each(struct db *db, const char *name, int64_t limit, db_row_fn row, void *ctx);
/* The id of the job's row; ERR_NOTFOUND. */
int store_job_id(struct db *db, const char *name, int64_t *id);

/* The kinds of record the jobs module writes to the audit log (store.h struct audit_kind). */
extern const struct audit_kind jobs_audit_kinds[];

#endif
