/*
** The cases module's descriptor: the case and to-do routes, the alarm handling-limit
** override setting, the module's to-do sources and its job cases.escalate (督办 of overdue
** cases, once across processes by the job lease). The case types (today the alarm type) are
** registered on first use (engine.c).
*/
#include <stdio.h>

#include "cases/cases.h"
#include "core/err.h"
#include "core/util.h"
#include "jobs/jobs.h"
#include "store/q_cases.h"

static const struct setting_def settings[] = {
    {"case_alarm_limit", "", false,
     "alarm case deadline overriding the alarm.handling rule set: \"4 work_hours\" or per kind "
     "\"offline=8 work_hours;2 hours\" (units workdays, days, work_hours, hours, minutes, "
     "seconds); empty = the rule set in force"},
    {"cases_escalate_schedule", "", false,
     "schedule of the job cases.escalate (default \"every 60\"; \"every N\" seconds, "
     "\"daily HH:MM\", \"monthly D HH:MM\", China time)"},
};

/* The job cases.escalate: every open case overdue now and not yet escalated goes to the
   leader up its org-unit tree, a batch of cases_escalate (500) per transaction so the writer
   is not held for the whole run. */
static int job_escalate(struct job_run *jr)
{
    char now[32];
    time_iso(jr->now_ms / 1000, now);
    int total = 0, n = 0, rc = 0;
    do {
        struct db *db;
        rc = store_begin(jr->store, &db);
        if (rc) {
            break;
        }
        rc = cases_sweep(db, now, &n);
        rc = rc ? (store_rollback(jr->store, db), rc) : store_commit(jr->store, db);
        total += rc ? 0 : n;
    } while (!rc && n >= CASES_ESCALATE_BATCH);
    snprintf(jr->note, sizeof jr->note, "督办 %d 件 / %d escalated", total, total);
    if (rc) {
        snprintf(jr->error, sizeof jr->error, "督办失败 / escalation failed (%s)", err_name(rc));
    }
    return rc;
}

static const struct job_def jobs[] = {
    {"cases.escalate", "every 60", "cases_escalate_schedule", job_escalate, 300,
     "逾期办件督办至单位负责人 / Escalate overdue cases to the unit's leader"},
};

static void routes(struct router *rt)
{
    cases_case_routes(rt);
    cases_todo_routes(rt);
}

static const struct entity_def *const attachables[] = {&ENTITY_CASE, NULL};

const struct module cases_module = {
    .name = "cases",
    .routes = routes,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .todo_sources = cases_todo_sources,
    .n_todo_sources = 2, /* cases_n_todo_sources (todo.c), which is not a constant */
    .audit_kinds = cases_audit_kinds,
    .attachables = attachables,
    .jobs = jobs,
    .n_jobs = ARRAY_LEN(jobs),
};
