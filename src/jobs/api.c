/*
** The jobs module's outside: HTTP routes for the admin page (the jobs with their state, a
** job's recent runs, "run now" — queued for the scheduler), /metrics lines, and the `envgov job
*list|run` commands. The
** state shown is the database's (table jobs), so every process shows the same figures.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/settings.h"
#include "http/json.h"
#include "jobs/jobs.h"
#include "jobs/registry.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/cli.h"
#include "store/q_jobs.h"

/* One job's row as read from the jobs table (0 / "" for NULL columns). */
struct job_state {
    bool present;
    int64_t id, next_run_ms, lease_until_ms, last_started_ms, last_finished_ms, last_duration_ms,
        last_success_ms, run_count, fail_count;
    char lease_owner[128], last_status[8], last_error[512];
};

struct states {
    struct job_state *s; /* indexed like jobs_at() */
    int64_t now_ms;
};

static void on_state(struct db_stmt *st, void *ctx)
{
    struct states *ss = ctx;
    const char *name = db_column_text(st, 0, NULL);
    for (size_t i = 0; i < jobs_count(); i++) {
        if (strcmp(jobs_at(i)->name, name)) {
            continue;
        }
        struct job_state *j = &ss->s[i];
        j->present = true;
        j->next_run_ms = db_column_int(st, 1);
        bool leased = db_column_type(st, 2) != DB_NULL && db_column_int(st, 3) >= ss->now_ms;
        str_copy(j->lease_owner, sizeof j->lease_owner, leased ? db_column_text(st, 2, NULL) : "");
        j->lease_until_ms = leased ? db_column_int(st, 3) : 0;
        j->last_started_ms = db_column_int(st, 4);
        j->last_finished_ms = db_column_int(st, 5);
        j->last_duration_ms = db_column_int(st, 6);
        str_copy(j->last_status, sizeof j->last_status, db_column_text(st, 7, NULL));
        str_copy(j->last_error, sizeof j->last_error, db_column_text(st, 8, NULL));
        j->last_success_ms = db_column_int(st, 9);
        j->run_count = db_column_int(st, 10);
        j->fail_count = db_column_int(st, 11);
        j->id = db_column_int(st, 12);
    }
}

/* The state of every declared job; *out is heap-allocated (free() it). */
static int load_states(struct db *db, struct job_state **out)
{
    struct states ss = {xcalloc(jobs_count() + 1, sizeof *ss.s), wall_ms()};
    int rc = store_jobs_each(db, on_state, &ss);
    *out = ss.s;
    return rc;
}

static void kv_time(struct buf *b, const char *key, int64_t ms)
{
    if (!ms) {
        buf_printf(b, ",\"%s\":null", key);
        return;
    }
    char iso[32];
    time_iso(ms / 1000, iso);
    json_kv_str(b, key, iso, true);
}

static void job_json(struct buf *b, const struct job_def *def, const struct job_state *j)
{
    struct job_schedule sch;
    char err[256];
    const char *schedule = def->schedule;
    if (def->schedule_setting && settings_get(def->schedule_setting)[0]) {
        schedule = settings_get(def->schedule_setting);
    }
    buf_putc(b, '{');
    json_kv_str(b, "name", def->name, false);
    json_kv_str(b, "description", def->description, true);
    json_kv_str(b, "schedule", schedule, true);
    buf_printf(b, ",\"schedule_valid\":%s",
               jobs_schedule_of(def, &sch, err, sizeof err) ? "false" : "true");
    buf_printf(b, ",\"lease_s\":%d,\"running\":%s", def->lease_s,
               j->lease_owner[0] ? "true" : "false");
    json_kv_str(b, "lease_owner", j->lease_owner, true);
    kv_time(b, "next_run_at", j->next_run_ms);
    kv_time(b, "last_started_at", j->last_started_ms);
    kv_time(b, "last_finished_at", j->last_finished_ms);
    kv_time(b, "last_success_at", j->last_success_ms);
    if (j->last_status[0]) {
        json_kv_int(b, "last_duration_ms", j->last_duration_ms, true);
        json_kv_str(b, "last_status", j->last_status, true);
    } else {
        buf_puts(b, ",\"last_duration_ms\":null,\"last_status\":null");
    }
    json_kv_str(b, "last_error", j->last_error, true);
    json_kv_int(b, "run_count", j->run_count, true);
    json_kv_int(b, "fail_count", j->fail_count, true);
    buf_putc(b, '}');
}

static int api_jobs_list(struct req *r)
{
    struct db *db = store_read(app.store);
    struct job_state *s;
    int rc = load_states(db, &s);
    store_release(app.store, db);
    if (!rc) {
        buf_puts(&r->out, "{\"items\":[");
        for (size_t i = 0; i < jobs_count(); i++) {
            if (i) {
                buf_putc(&r->out, ',');
            }
            job_json(&r->out, jobs_at(i), &s[i]);
        }
        buf_puts(&r->out, "]}");
    }
    free(s);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static const struct job_def *job_of(struct req *r)
{
    const struct job_def *def = jobs_find(r->params[0]);
    if (!def) {
        resp_error(r, 404, "not_found", "没有这个任务 / no such job", "name");
    }
    return def;
}

struct runs_out {
    struct buf *b;
    size_t n;
};

static void on_run(struct db_stmt *st, void *ctx)
{
    struct runs_out *o = ctx;
    struct buf *b = o->b;
    buf_puts(b, o->n++ ? ",{" : "{");
    json_kv_int(b, "id", db_column_int(st, 0), false);
    json_kv_str(b, "kind", db_column_text(st, 1, NULL), true);
    kv_time(b, "slot_at", db_column_int(st, 2));
    json_kv_str(b, "owner", db_column_text(st, 3, NULL), true);
    json_kv_str(b, "actor", db_column_text(st, 4, NULL), true);
    kv_time(b, "started_at", db_column_int(st, 5));
    kv_time(b, "finished_at", db_column_int(st, 6));
    json_kv_int(b, "started_ms", db_column_int(st, 5), true);
    json_kv_int(b, "finished_ms", db_column_int(st, 6), true);
    json_kv_int(b, "slot_ms", db_column_int(st, 2), true);
    if (db_column_type(st, 7) == DB_NULL) { /* queued or running */
        buf_puts(b, ",\"duration_ms\":null");
    } else {
        json_kv_int(b, "duration_ms", db_column_int(st, 7), true);
    }
    json_kv_str(b, "status", db_column_text(st, 8, NULL), true);
    json_kv_str(b, "error", db_column_text(st, 9, NULL), true);
    json_kv_str(b, "note", db_column_text(st, 10, NULL), true);
    kv_time(b, "requested_at", db_column_int(st, 11));
    buf_putc(b, '}');
}

static int api_job_runs(struct req *r)
{
    const struct job_def *def = job_of(r);
    if (!def) {
        return 0;
    }
    int64_t limit = 50;
    const char *l = req_query(r, "limit");
    if (l && (parse_i64(l, strlen(l), &limit) || limit < 1 || limit > 1000)) {
        return resp_error(r, 422, "invalid", "limit 应为 1–1000 / limit must be 1-1000", "limit");
    }
    struct db *db = store_read(app.store);
    struct runs_out o = {&r->out, 0};
    buf_puts(&r->out, "{\"items\":[");
    int rc = store_job_runs_each(db, def->name, limit, on_run, &o);
    store_release(app.store, db);
    buf_puts(&r->out, "]}");
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

/* Queue the run by hand, with its audit row (the asking user), in one transaction. */
static int queue_run(struct req *r, const struct job_def *def, int64_t first_ms, int64_t *run_id)
{
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return rc;
    }
    int64_t id = 0;
    rc = store_job_ensure(db, def->name, first_ms);
    rc = rc ? rc : store_job_id(db, def->name, &id);
    rc = rc ? rc : store_job_run_queue(db, def->name, r->who->username, wall_ms(), run_id);
    if (!rc) {
        char after[160];
        snprintf(after, sizeof after, "{\"run_id\":%lld,\"status\":\"queued\"}",
                 (long long)*run_id);
        rc = audit_write(r, db, "job", id, "run", NULL, after);
    }
    return rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
}

/* "Run now" from the admin page: the run is queued for a scheduler (this process's, woken
   now, or another's) and the request returns 202 with the run's id at once; the page follows
   the run in GET /jobs/{name}/runs. No HTTP thread waits for a job. */
static int api_job_run(struct req *r)
{
    const struct job_def *def = job_of(r);
    if (!def) {
        return 0;
    }
    struct job_schedule sch;
    char err[256];
    if (jobs_schedule_of(def, &sch, err, sizeof err)) {
        return resp_error(r, 422, "invalid_schedule", err, def->schedule_setting);
    }
    int64_t run_id = 0;
    int rc = queue_run(r, def, job_schedule_next(&sch, wall_ms() / 1000) * 1000, &run_id);
    if (rc == ERR_CONFLICT) {
        return resp_error(r, 409, "queued",
                          "这个任务已在排队等待运行 / a run of this job is already queued", "name");
    }
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    jobs_wake();
    buf_putc(&r->out, '{');
    json_kv_str(&r->out, "name", def->name, false);
    json_kv_int(&r->out, "run_id", run_id, true);
    json_kv_str(&r->out, "status", "queued", true);
    buf_printf(&r->out, ",\"scheduler_here\":%s}", jobs_scheduler_here() ? "true" : "false");
    return resp_json(r, 202);
}

const struct route JOBS_ROUTES[] = {
    {"GET", "/api/v1/jobs", ROLE_ADMIN, api_jobs_list, 0,
     "Periodic jobs: schedule, last and next run, failures"},
    {"GET", "/api/v1/jobs/{name}/runs", ROLE_ADMIN, api_job_runs, 0,
     "Recent runs of a job (newest first)"},
    {"POST", "/api/v1/jobs/{name}/run", ROLE_ADMIN, api_job_run, 0,
     "Queue a run of the job now for the scheduler (202 with the run id; 409 when one is queued)"},
};
const size_t N_JOBS_ROUTES = ARRAY_LEN(JOBS_ROUTES);

/* ---- /metrics ---- */

static void metric_head(struct buf *out, const char *name, const char *type, const char *help)
{
    buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void jobs_metrics(struct buf *out)
{
    if (!app.store) {
        return;
    }
    struct db *db = store_read(app.store);
    struct job_state *s;
    int rc = load_states(db, &s);
    store_release(app.store, db);
    if (rc) {
        free(s);
        return;
    }
    metric_head(out, "envgov_job_runs_total", "counter",
                "Runs of each job by result, in every process on this database.");
    for (size_t i = 0; i < jobs_count(); i++) {
        const char *n = jobs_at(i)->name;
        buf_printf(out, "envgov_job_runs_total{job=\"%s\",status=\"ok\"} %lld\n", n,
                   (long long)(s[i].run_count - s[i].fail_count));
        buf_printf(out, "envgov_job_runs_total{job=\"%s\",status=\"failed\"} %lld\n", n,
                   (long long)s[i].fail_count);
    }
    metric_head(out, "envgov_job_last_duration_seconds", "gauge", "Duration of the last run.");
    for (size_t i = 0; i < jobs_count(); i++) {
        if (s[i].last_status[0]) {
            buf_printf(out, "envgov_job_last_duration_seconds{job=\"%s\"} %.3f\n", jobs_at(i)->name,
                       (double)s[i].last_duration_ms / 1000.0);
        }
    }
    metric_head(out, "envgov_job_last_success_timestamp_seconds", "gauge",
                "End of the last successful run (Unix seconds).");
    for (size_t i = 0; i < jobs_count(); i++) {
        if (s[i].last_success_ms) {
            buf_printf(out, "envgov_job_last_success_timestamp_seconds{job=\"%s\"} %.3f\n",
                       jobs_at(i)->name, (double)s[i].last_success_ms / 1000.0);
        }
    }
    metric_head(out, "envgov_job_next_run_timestamp_seconds", "gauge",
                "When the job is due next (Unix seconds).");
    for (size_t i = 0; i < jobs_count(); i++) {
        if (s[i].present) {
            buf_printf(out, "envgov_job_next_run_timestamp_seconds{job=\"%s\"} %.3f\n",
                       jobs_at(i)->name, (double)s[i].next_run_ms / 1000.0);
        }
    }
    free(s);
}

/* ---- envgov job list | run NAME ---- */

static void print_time(const char *label, int64_t ms)
{
    char when[20] = "-";
    if (ms) {
        china_time(ms / 1000, when);
    }
    printf("  %-12s %s\n", label, when);
}

static int job_list(void)
{
    struct db *db = store_read(app.store);
    struct job_state *s;
    int rc = load_states(db, &s);
    store_release(app.store, db);
    for (size_t i = 0; !rc && i < jobs_count(); i++) {
        const struct job_def *def = jobs_at(i);
        const char *sched = def->schedule_setting && settings_get(def->schedule_setting)[0]
                                ? settings_get(def->schedule_setting)
                                : def->schedule;
        printf("%s  (%s)  %s\n", def->name, sched, def->description);
        print_time("next run", s[i].next_run_ms);
        print_time("last run", s[i].last_started_ms);
        if (s[i].last_status[0]) {
            printf("  %-12s %s in %lld ms%s%s\n", "result", s[i].last_status,
                   (long long)s[i].last_duration_ms, s[i].last_error[0] ? ": " : "",
                   s[i].last_error);
        }
        printf("  %-12s %lld (%lld failed)%s%s\n", "runs", (long long)s[i].run_count,
               (long long)s[i].fail_count, s[i].lease_owner[0] ? ", running in " : "",
               s[i].lease_owner);
    }
    free(s);
    if (rc) {
        fprintf(stderr, "envgov job list: cannot read the job table (%s)\n", err_name(rc));
    }
    return rc ? 1 : 0;
}

static int job_run(const char *name)
{
    const struct job_def *def = jobs_find(name);
    if (!def) {
        fprintf(stderr, "envgov job run: no job \"%s\"; envgov job list shows them\n", name);
        return 2;
    }
    struct job_report rep;
    int rc = jobs_run_now(app.store, def, true, "cli", &rep);
    if (rc) {
        fprintf(stderr, "envgov job run %s: %s\n", name, rep.error[0] ? rep.error : err_name(rc));
        return 1;
    }
    if (rep.outcome == JOB_BUSY) {
        fprintf(stderr, "envgov job run %s: running now (here or in another process); try later\n",
                name);
        return 1;
    }
    if (!rep.ok) {
        fprintf(stderr, "%s: failed in %lld ms: %s\n", name, (long long)rep.duration_ms, rep.error);
        return 1;
    }
    printf("%s: ok in %lld ms%s%s\n", name, (long long)rep.duration_ms, rep.note[0] ? ": " : "",
           rep.note);
    return 0;
}

int jobs_cmd(const struct cli *c)
{
    const char *sub = c->n_args > 0 ? c->args[0] : "";
    bool list = !strcmp(sub, "list"), run = !strcmp(sub, "run") && c->n_args == 2;
    if (!list && !run) {
        fprintf(stderr, "usage: envgov job list | run NAME [--data DIR]\n");
        return 2;
    }
    if (cli_open_store(false)) {
        return 1;
    }
    int rc = list ? job_list() : job_run(c->args[1]);
    cli_close_store();
    return rc;
}
