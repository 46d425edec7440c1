/*
** The positive-list module's descriptor: its routes, the nomination case type (registered at
** start and on first use), the job positive.expire and the to-do source of on-site inspection
** approval requests for leaders. Nominations reach a leader's to-do list through the cases
** source (their case's actor_roles is the leader's), so this module adds only the requests,
** which are not cases.
*/
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "core/util.h"
#include "jobs/jobs.h"
#include "positive/positive_int.h"
#include "store/q_positive.h"

static int start(char *err, size_t errcap)
{
    (void)err;
    (void)errcap;
    positive_case_register();
    return 0;
}

/* positive.expire: the entries whose term ended are marked, each with an audit row. Whether a
   firm is listed never waits for this job (positive_listed compares the dates), so a missed run
   only delays the marks and their audit rows. */
static int job_expire(struct job_run *jr)
{
    char today[11];
    date_cn(jr->now_ms / 1000, today);
    int n = 0;
    int rc = positive_expire_run(jr->store, today, &n);
    snprintf(jr->note, sizeof jr->note, "正面清单期满 %d 家 / listings expired: %d", n, n);
    if (rc) {
        snprintf(jr->error, sizeof jr->error, "标记期满失败 / marking expiries failed (%d)", rc);
    }
    return rc;
}

static const struct job_def jobs[] = {
    {"positive.expire", "daily 00:20", "positive_expire_schedule", job_expire, 600,
     "标记正面清单期满的企业 / Mark positive-list entries whose term ended"},
};

static const struct setting_def settings[] = {
    {"positive_expire_schedule", "", false,
     "schedule of the job positive.expire (default \"daily 00:20\"; \"every N\", \"daily HH:MM\" "
     "or \"monthly D HH:MM\", China time)"},
};

static bool leader(const struct principal *p)
{
    return p->role == ROLE_LEADER;
}

static int todo_list(struct db *db, const struct principal *p, const char *now, size_t limit,
                     struct buf *out, size_t *n)
{
    (void)now;
    int64_t total = 0;
    if (!leader(p)) {
        buf_puts(out, "[]");
        *n = 0;
        return 0;
    }
    return store_positive_onsite_todo(db, &p->scope, limit, out, n, &total);
}

static int todo_count(struct db *db, const struct principal *p, const char *now,
                      struct todo_counts *c)
{
    (void)now;
    if (!leader(p)) {
        return 0;
    }
    struct buf tmp;
    buf_init(&tmp, 1 << 16);
    size_t n;
    int64_t total = 0;
    int rc = store_positive_onsite_todo(db, &p->scope, 1, &tmp, &n, &total);
    buf_release(&tmp);
    c->total += total;
    return rc;
}

/* `envgov demo`: a few firms on the list (positive_demo_seed). */
static int positive_demo(struct db *db, const char *today, struct buf *summary)
{
    int n = 0;
    int rc = positive_demo_seed(db, today, &n);
    buf_printf(summary, ", %d on the positive list", n);
    return rc;
}

const struct todo_source positive_todo_sources[] = {
    {"positive_onsite", todo_list, todo_count},
};

const struct module positive_module = {
    .name = "positive",
    .routes = positive_routes,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .start = start,
    .jobs = jobs,
    .n_jobs = ARRAY_LEN(jobs),
    .demo = positive_demo,
    .todo_sources = positive_todo_sources,
    .n_todo_sources = 1,
    .audit_kinds = positive_audit_kinds,
};
