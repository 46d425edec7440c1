/*
** The credit module's descriptor: its routes, the nightly recompute job (credit.recompute) and
** the registration of the credit_objection case type (at store open, before any thread looks
** a type up), its audit-log kinds and its demo data. The rule sets it reads (credit.scoring,
*credit.agency) are seeded by the rules
** module from data/rules/.
*/
#include <stdio.h>

#include "core/util.h"
#include "credit/credit.h"
#include "jobs/jobs.h"
#include "store/q_credit.h"

static int job_recompute(struct job_run *jr)
{
    char now[32];
    time_iso(jr->now_ms / 1000, now);
    int64_t n = 0, changed = 0;
    int rc = credit_recompute_all(jr->store, now, &n, &changed, jr->error, sizeof jr->error);
    snprintf(jr->note, sizeof jr->note,
             "%lld 个对象，%lld 个等级或分数变化 / %lld subjects, %lld changed", (long long)n,
             (long long)changed, (long long)n, (long long)changed);
    return rc;
}

static const struct job_def jobs[] = {
    {"credit.recompute", "daily 01:30", "credit_recompute_schedule", job_recompute, 3600,
     "重算全部信用等级（有效期届满的事件不再计分） / Recompute every credit grade (expired events "
     "stop counting)"},
};

static const struct setting_def settings[] = {
    {"credit_recompute_schedule", "", false,
     "when the nightly credit recompute runs (\"daily 01:30\" when empty)"},
};

static int seed(struct store *s, char *err, size_t errcap)
{
    (void)s;
    (void)err;
    (void)errcap;
    credit_objection_register();
    return 0;
}

static void routes(struct router *rt)
{
    credit_objection_register();
    credit_routes(rt);
}

const struct module credit_module = {
    .name = "credit",
    .routes = routes,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .seed = seed,
    .jobs = jobs,
    .n_jobs = ARRAY_LEN(jobs),
    .audit_kinds = credit_audit_kinds,
    .demo = credit_demo,
    .dashboard = credit_dashboard,
};
