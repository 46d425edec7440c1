/*
** The jobs module's descriptor: the scheduler inside `envgov serve` (start/stop), its routes
** (the admin page's API), its settings, `envgov job`, the /metrics lines, and the platform's
** upkeep jobs (upkeep.c). Other modules' jobs come from their own descriptors.
*/
#include "platform/module.h"

#include "core/util.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "jobs/registry.h"
#include "jobs/upkeep.h"
#include "store/q_jobs.h"

static const struct setting_def settings[] = {
    {"jobs_enabled", "on", false,
     "run the job scheduler in this process (on/off; the lease keeps runs once across processes)"},
    {"jobs_poll_s", "5", true,
     "longest the scheduler sleeps before looking at the job table again"},
    {"jobs_keep_runs", "100", true, "runs of each job kept in the history (job_runs)"},
    {"store_maintain_schedule", "", false,
     "schedule of store.maintain (default \"every 3600\"; \"every N\", \"daily HH:MM\", "
     "\"monthly D HH:MM\", China time)"},
    {"backup_schedule", "", false, "schedule of backup.nightly (default \"daily 02:30\")"},
    {"backup_dir", "", false,
     "directory for backup.nightly's SQLite copies (envgov-backup-1..7.db); empty = no backup"},
};

static const struct job_def jobs[] = {
    {"store.maintain", "every 3600", "store_maintain_schedule", upkeep_store_maintain, 600,
     "数据库维护（PostgreSQL 分区与保留期） / Database upkeep (PostgreSQL partitions, retention)"},
    {"backup.nightly", "daily 02:30", "backup_schedule", upkeep_backup, 3600,
     "SQLite 数据库备份到 backup_dir / SQLite backup into backup_dir"},
};

static void routes(struct router *rt)
{
    router_add(rt, JOBS_ROUTES, N_JOBS_ROUTES);
}

static const char *const job_opts[] = {NULL};

static const struct module_command commands[] = {
    {"job", jobs_cmd, "periodic jobs: list them, or run one now (exit 1 when it fails)",
     "envgov job list [--data DIR]\n"
     "envgov job run NAME [--data DIR]   takes the job's lease: never overlaps a scheduled run",
     job_opts},
};

const struct module jobs_module = {
    .name = "jobs",
    .routes = routes,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .commands = commands,
    .n_commands = ARRAY_LEN(commands),
    .start = jobs_start,
    .stop = jobs_stop,
    .metrics = jobs_metrics,
    .jobs = jobs,
    .n_jobs = ARRAY_LEN(jobs),
    .audit_kinds = jobs_audit_kinds,
};
