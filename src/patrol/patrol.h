/*
** The three-level patrol (三级巡查: 企业自查、属地巡查、执法监察 after 桐乡): a permit's clauses
** (许可证条款) with the duty each sets and how often; enterprise self-check tasks generated each
** month from the clauses and the enterprise's monitoring duties (job patrol.selfcheck); local
** (town/street) patrol rounds by the staff of the local org unit; and the counts by level the
** seeds report (tasks sent, problems found, problems closed). Problems found at any level go to
** the rectify hub (rectify_problem_add). See docs/internals/patrol.md.
**
** The pure parts (which duties fall due in a month, a task's due date) need no database:
** tests/unit/patrol/.
*/
#ifndef ENVGOV_PATROL_PATROL_H
#define ENVGOV_PATROL_PATROL_H

#include <stddef.h>
#include <stdint.h>

#include "platform/module.h"
#include "store/store.h"

struct calendar;

/* The duty kinds of a clause, and of a monitoring point's duties (online_monitoring,
   calibration), NULL-terminated. */
extern const char *const PATROL_CLAUSE_DUTIES[];
extern const char *const PATROL_FREQUENCIES[];

/*
** Whether a duty of frequency ("monthly", "quarterly", "yearly") falls due in month (1–12) of
** year, and the period its task belongs to: monthly every month ("2026-12"), quarterly in the
** quarter's last month ("2026Q4"), yearly in December ("2026"). 0 with period set when due,
** 1 when not this month (period ""), ERR_INPUT for an unknown frequency or month. Pure.
*/
int patrol_period_due(const char *frequency, int year, int month, char period[8]);

/* The due date of a self-check task generated in month of year: the workdays-th workday after
   the month's first day (calendar_add_workdays). ERR_NOTFOUND with *missing_year when the
   calendar lacks the year, ERR_INPUT for a bad month or workdays < 1. Pure. */
int patrol_selfcheck_due(const struct calendar *c, int year, int month, int workdays, char out[11],
                         int *missing_year);

/*
** Generate month (YYYY-MM) 's self-check tasks of every enterprise with an active clause or
** monitoring point, in transactions of PATROL_GEN_BATCH enterprises, each enterprise's new
** tasks with one audit row (entity enterprise, action selfcheck_generate). Idempotent: a task
** exists once per enterprise × period × duty. *n_enterprises / *n_created get the counts; a
** year missing from the calendar leaves due_on NULL and says so in warn (cap bytes, may be
** NULL). The job patrol.selfcheck and the benchmark call it.
*/
#define PATROL_GEN_BATCH 200
int patrol_selfcheck_generate(struct store *s, const char *month, const char *now,
                              int64_t *n_enterprises, int64_t *n_created, char *warn, size_t cap);

extern const struct module patrol_module;

#endif
