/*
** Queries of the job scheduler (see q_jobs.h): the lease row of each job and its recent runs.
** The lease is taken by one conditional UPDATE whose changed-row count says who won, the same
** statement on SQLite (writers serialised by BEGIN IMMEDIATE) and PostgreSQL (the row lock
** makes a second UPDATE wait, then re-check its WHERE against the committed lease).
*/
#include "store/q_jobs.h"

#include "core/err.h"

int store_job_ensure(struct db *db, const char *name, int64_t next_run_ms)
{
    int rc = db_runf(db,
                     "INSERT INTO jobs (name, next_run_ms) VALUES (?1, ?2)"
                     " ON CONFLICT (name) DO NOTHING",
                     "ti", name, next_run_ms);
    if (!rc) {
        rc = db_runf(db,
                     "UPDATE jobs SET next_run_ms = ?2"
                     " WHERE name = ?1 AND next_run_ms > ?2 AND lease_owner IS NULL",
                     "ti", name, next_run_ms);
    }
    return rc;
}

static int job_exists(struct db *db, const char *name)
{
    int64_t id;
    return store_job_id(db, name, &id);
}

int store_job_acquire(struct db *db, const char *name, const char *owner, const char *token,
                      int64_t now_ms, int64_t lease_until_ms, bool manual, bool *got,
                      int64_t *slot_ms)
{
    *got = false;
    *slot_ms = 0;
    int rc = db_runf(db,
                     "UPDATE jobs SET lease_owner = ?2, lease_token = ?6, lease_until_ms = ?3"
                     " WHERE name = ?1 AND (lease_until_ms IS NULL OR lease_until_ms < ?4)"
                     " AND (?5 = 1 OR next_run_ms <= ?4)",
                     "ttiiit", name, owner, lease_until_ms, now_ms, (int64_t)manual, token);
    if (rc) {
        return rc;
    }
    if (db_changes(db) != 1) {
        return job_exists(db, name);
    }
    *got = true;
    /* Nobody else holds the lease now: a run still marked running lost its holder. */
    rc = db_runf(db,
                 "UPDATE job_runs SET status = 'failed', error = '运行它的进程已停止（租约过期）"
                 " / the process running it stopped (lease expired)' WHERE job = ?1 AND status"
                 " = 'running'",
                 "t", name);
    struct db_stmt *st;
    rc = rc ? rc : db_queryf(db, &st, "SELECT next_run_ms FROM jobs WHERE name = ?1", "t", name);
    return rc ? rc : db_step_id(st, slot_ms);
}

int store_job_run_queue(struct db *db, const char *name, const char *actor, int64_t now_ms,
                        int64_t *run_id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id FROM job_runs WHERE job = ?1 AND status = 'queued'"
                       " ORDER BY id LIMIT 1",
                       "t", name);
    rc = rc ? rc : db_step_id(st, run_id);
    if (rc || *run_id) {
        return rc ? rc : ERR_CONFLICT;
    }
    rc = db_queryf(db, &st,
                   "INSERT INTO job_runs (job, kind, owner, actor, status, requested_ms)"
                   " VALUES (?1, 'manual', '', ?2, 'queued', ?3) RETURNING id",
                   "tti", name, actor, now_ms);
    return rc ? rc : db_step_id(st, run_id);
}

int store_job_runs_queued_each(struct db *db, int64_t limit, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, job, actor FROM job_runs WHERE status = 'queued'"
                       " ORDER BY id LIMIT ?1",
                       "i", limit);
    return rc ? rc : db_each(st, row, ctx);
}

int store_job_run_claim(struct db *db, int64_t run_id, const char *owner, int64_t started_ms,
                        bool *got)
{
    int rc = db_runf(db,
                     "UPDATE job_runs SET status = 'running', owner = ?2, started_ms = ?3"
                     " WHERE id = ?1 AND status = 'queued'",
                     "iti", run_id, owner, started_ms);
    *got = !rc && db_changes(db) == 1;
    return rc;
}

static int finish_job_row(struct db *db, const struct job_result *res)
{
    return db_runf(db,
                   "UPDATE jobs SET last_started_ms = ?2, last_finished_ms = ?3,"
                   " last_duration_ms = ?4, last_status = ?5, last_error = ?6,"
                   " last_success_ms = CASE WHEN ?5 = 'ok' THEN ?3 ELSE last_success_ms END,"
                   " run_count = run_count + 1,"
                   " fail_count = fail_count + CASE WHEN ?5 = 'ok' THEN 0 ELSE 1 END,"
                   " next_run_ms = CASE WHEN lease_token = ?7 AND ?8 = 0 THEN ?9"
                   " ELSE next_run_ms END,"
                   " lease_until_ms = CASE WHEN lease_token = ?7 THEN NULL ELSE lease_until_ms END,"
                   " lease_owner = CASE WHEN lease_token = ?7 THEN NULL ELSE lease_owner END,"
                   " lease_token = CASE WHEN lease_token = ?7 THEN NULL ELSE lease_token END"
                   " WHERE name = ?1",
                   "tiiitttii", res->job, res->started_ms, res->finished_ms, res->duration_ms,
                   res->ok ? "ok" : "failed", res->error ? res->error : "",
                   res->token ? res->token : "", (int64_t)res->manual, res->next_run_ms);
}

static int insert_run(struct db *db, const struct job_result *res)
{
    if (res->run_id) {
        return db_runf(db,
                       "UPDATE job_runs SET owner = ?2, started_ms = ?3, finished_ms = ?4,"
                       " duration_ms = ?5, status = ?6, error = ?7, note = ?8 WHERE id = ?1",
                       "itiiittt", res->run_id, res->owner, res->started_ms, res->finished_ms,
                       res->duration_ms, res->ok ? "ok" : "failed", res->error ? res->error : "",
                       res->note ? res->note : "");
    }
    if (res->manual) {
        return db_runf(db,
                       "INSERT INTO job_runs (job, kind, slot_ms, owner, actor, started_ms,"
                       " finished_ms, duration_ms, status, error, note)"
                       " VALUES (?1, 'manual', NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                       "tttiiittt", res->job, res->owner, res->actor ? res->actor : "",
                       res->started_ms, res->finished_ms, res->duration_ms,
                       res->ok ? "ok" : "failed", res->error ? res->error : "",
                       res->note ? res->note : "");
    }
    return db_runf(db,
                   "INSERT INTO job_runs (job, kind, slot_ms, owner, actor, started_ms,"
                   " finished_ms, duration_ms, status, error, note)"
                   " VALUES (?1, 'scheduled', ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9)",
                   "titiiittt", res->job, res->slot_ms, res->owner, res->started_ms,
                   res->finished_ms, res->duration_ms, res->ok ? "ok" : "failed",
                   res->error ? res->error : "", res->note ? res->note : "");
}

int store_job_finish(struct db *db, const struct job_result *res, int64_t keep_runs)
{
    int rc = finish_job_row(db, res);
    if (!rc) {
        rc = insert_run(db, res);
    }
    if (!rc) {
        rc = db_runf(db,
                     "DELETE FROM job_runs WHERE job = ?1 AND status IN ('ok', 'failed') AND id <="
                     " (SELECT id FROM job_runs WHERE job = ?1 AND status IN ('ok', 'failed')"
                     " ORDER BY id DESC LIMIT 1 OFFSET ?2)",
                     "ti", res->job, keep_runs > 0 ? keep_runs : 1);
    }
    return rc;
}

int store_jobs_each(struct db *db, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT name, next_run_ms, lease_owner, lease_until_ms, last_started_ms,"
                       " last_finished_ms, last_duration_ms, last_status, last_error,"
                       " last_success_ms, run_count, fail_count, id FROM jobs ORDER BY name",
                       "");
    return rc ? rc : db_each(st, row, ctx);
}

int store_job_runs_each(struct db *db, const char *name, int64_t limit, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st,
                  "SELECT id, kind, slot_ms, owner, actor, started_ms, finished_ms,"
                  " duration_ms, status, error, note, requested_ms FROM job_runs WHERE job = ?1"
                  " ORDER BY id DESC LIMIT ?2",
                  "ti", name, limit);
    return rc ? rc : db_each(st, row, ctx);
}

int store_job_id(struct db *db, const char *name, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT id FROM jobs WHERE name = ?1", "t", name);
    if (!rc) {
        rc = db_step_id(st, id);
    }
    return rc ? rc : *id ? 0 : ERR_NOTFOUND;
}

/* The kinds of record the jobs module writes to the audit log (store.h struct audit_kind). */
const struct audit_kind jobs_audit_kinds[] = {
    {"job", "(SELECT name FROM jobs WHERE id = ?5)", NULL},
    {0},
};
