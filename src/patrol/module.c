/*
** The patrol module's descriptor: its routes, settings, the job patrol.selfcheck (the month's
** self-check tasks, monthly), the to-do sources (an enterprise's self-checks falling due; the
** local unit's enterprises with overdue self-checks), the 工作台 figures and the demo hook.
*/
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "core/util.h"
#include "jobs/jobs.h"
#include "patrol/patrol_int.h"
#include "store/q_patrol.h"

/* patrol.selfcheck: this month's tasks (China date of the run). Idempotent, so a run again
   after a crash, or by hand, adds only what is missing. */
static int job_selfcheck(struct job_run *jr)
{
    char today[11], now[32], month[8], warn[256];
    date_cn(jr->now_ms / 1000, today);
    time_iso(jr->now_ms / 1000, now);
    snprintf(month, sizeof month, "%.7s", today);
    int64_t n_ent = 0, n_new = 0;
    int rc = patrol_selfcheck_generate(jr->store, month, now, &n_ent, &n_new, warn, sizeof warn);
    snprintf(jr->note, sizeof jr->note,
             "%s 自查任务 %lld 项（%lld 家）/ %lld tasks for %lld firms%s%s", month,
             (long long)n_new, (long long)n_ent, (long long)n_new, (long long)n_ent,
             *warn ? "; " : "", *warn ? "no due date (calendar)" : "");
    if (rc) {
        snprintf(jr->error, sizeof jr->error,
                 "生成自查任务失败 / generating self-checks failed (%d)", rc);
    }
    return rc;
}

static const struct job_def jobs[] = {
    {"patrol.selfcheck", "monthly 1 00:30", "patrol_selfcheck_schedule", job_selfcheck, 1800,
     "生成本月企业自查任务 / Generate this month's enterprise self-check tasks"},
};

static const struct setting_def settings[] = {
    {"patrol_selfcheck_schedule", "", false,
     "schedule of the job patrol.selfcheck (default \"monthly 1 00:30\"; \"every N\", \"daily "
     "HH:MM\" or \"monthly D HH:MM\", China time)"},
    {"patrol_selfcheck_workdays", "10", false,
     "working days after the first of the month by which a self-check task is due"},
    {"patrol_selfcheck_soon_days", "5", false,
     "calendar days before its due date a self-check shows on the enterprise's to-do list"},
};

static void today_of(const char *now, char today[11])
{
    int64_t s = case_iso_seconds(now);
    date_cn(s ? s : wall_ms() / 1000, today);
}

static void soon_of(const char *now, char soon[11])
{
    int64_t s = case_iso_seconds(now);
    date_cn((s ? s : wall_ms() / 1000) + settings_int("patrol_selfcheck_soon_days") * 86400, soon);
}

/* The enterprise: its open tasks due within patrol_selfcheck_soon_days. */
static int own_list(struct db *db, const struct principal *p, const char *now, size_t limit,
                    struct buf *out, size_t *n)
{
    char today[11], soon[11];
    int64_t total = 0, overdue = 0;
    *n = 0;
    if (p->role != ROLE_ENTERPRISE || !p->enterprise_id) {
        buf_puts(out, "[]");
        return 0;
    }
    today_of(now, today);
    soon_of(now, soon);
    return store_patrol_selfcheck_todo_own(db, p->enterprise_id, today, soon, limit, out, n, &total,
                                           &overdue);
}

static int own_count(struct db *db, const struct principal *p, const char *now,
                     struct todo_counts *c)
{
    char today[11], soon[11];
    int64_t total = 0, overdue = 0;
    if (p->role != ROLE_ENTERPRISE || !p->enterprise_id) {
        return 0;
    }
    today_of(now, today);
    soon_of(now, soon);
    size_t n;
    int rc = store_patrol_selfcheck_todo_own(db, p->enterprise_id, today, soon, 0, NULL, &n, &total,
                                             &overdue);
    c->total += total;
    c->overdue += overdue;
    c->due_soon += total - overdue;
    return rc;
}

/* The local unit (its inspectors and leaders): enterprises in their scope whose self-checks
   are overdue, one item each. */
static bool local_staff(const struct principal *p)
{
    return p->role == ROLE_INSPECTOR || p->role == ROLE_LEADER;
}

static int staff_list(struct db *db, const struct principal *p, const char *now, size_t limit,
                      struct buf *out, size_t *n)
{
    char today[11];
    int64_t total = 0;
    *n = 0;
    if (!local_staff(p)) {
        buf_puts(out, "[]");
        return 0;
    }
    today_of(now, today);
    return store_patrol_selfcheck_todo_staff(db, &p->scope, today, limit, out, n, &total);
}

static int staff_count(struct db *db, const struct principal *p, const char *now,
                       struct todo_counts *c)
{
    char today[11];
    int64_t total = 0;
    size_t n;
    if (!local_staff(p)) {
        return 0;
    }
    today_of(now, today);
    int rc = store_patrol_selfcheck_todo_staff(db, &p->scope, today, 0, NULL, &n, &total);
    c->total += total;
    c->overdue += total;
    return rc;
}

const struct todo_source patrol_todo_sources[] = {
    {"selfcheck", own_list, own_count},
    {"selfcheck_overdue", staff_list, staff_count},
};

static const struct entity_def *const attachables[] = {&ENTITY_SELFCHECK_TASK, NULL};

const struct module patrol_module = {
    .name = "patrol",
    .routes = patrol_routes,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .jobs = jobs,
    .n_jobs = ARRAY_LEN(jobs),
    .todo_sources = patrol_todo_sources,
    .n_todo_sources = ARRAY_LEN(patrol_todo_sources),
    .audit_kinds = patrol_audit_kinds,
    .dashboard = patrol_dashboard,
    .demo = patrol_demo,
    .attachables = attachables,
};
