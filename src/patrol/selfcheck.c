/*
** Enterprise self-check tasks (企业自查): which duties fall due in a month (pure), a task's due
** date over the working-day calendar (pure), and the monthly generation over every enterprise
** (patrol_selfcheck_generate: INSERT … SELECT per enterprise from its clauses and points, one
** audit row per enterprise that got tasks, PATROL_GEN_BATCH enterprises per transaction).
*/
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"
#include "patrol/patrol_int.h"
#include "platform/app.h"
#include "store/q_patrol.h"

const char *const PATROL_CLAUSE_DUTIES[] = {"self_monitoring", "ledger", "report",
                                            "facility",        "other",  NULL};
const char *const PATROL_FREQUENCIES[] = {"monthly", "quarterly", "yearly", NULL};

int patrol_period_due(const char *frequency, int year, int month, char period[8])
{
    period[0] = 0;
    if (!frequency || month < 1 || month > 12 || year < 1970 || year > 9999) {
        return ERR_INPUT;
    }
    if (!strcmp(frequency, "monthly")) {
        snprintf(period, 8, "%04d-%02d", year, month);
        return 0;
    }
    if (!strcmp(frequency, "quarterly")) {
        if (month % 3) {
            return 1;
        }
        snprintf(period, 8, "%04dQ%d", year, month / 3);
        return 0;
    }
    if (!strcmp(frequency, "yearly")) {
        if (month != 12) {
            return 1;
        }
        snprintf(period, 8, "%04d", year);
        return 0;
    }
    return ERR_INPUT;
}

int patrol_selfcheck_due(const struct calendar *c, int year, int month, int workdays, char out[11],
                         int *missing_year)
{
    out[0] = 0;
    char first[11];
    int32_t day, due;
    if (month < 1 || month > 12 || workdays < 1 || year < 1970 || year > 9999) {
        return ERR_INPUT;
    }
    snprintf(first, sizeof first, "%04d-%02d-01", year, month);
    if (calendar_date_parse(first, 10, &day)) {
        return ERR_INPUT;
    }
    int rc = calendar_add_workdays(c, day, workdays, &due, missing_year);
    if (!rc) {
        calendar_date_format(due, out);
    }
    return rc;
}

int patrol_selfcheck_generate_in(struct db *db, const struct patrol_gen *g, const int64_t *ids,
                                 size_t n, int64_t *n_created)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        int64_t created = 0;
        rc = store_patrol_selfcheck_generate(db, ids[i], g, &created);
        if (!rc && created > 0) {
            char after[96];
            snprintf(after, sizeof after, "{\"month\":\"%s\",\"created\":%lld}", g->month,
                     (long long)created);
            struct audit_entry a = {0,    "system", "enterprise", ids[i], "selfcheck_generate",
                                    NULL, after,    NULL,         NULL};
            rc = store_audit_add(db, &a);
        }
        *n_created += created;
    }
    return rc;
}

/* One batch of enterprises in one transaction. */
static int generate_batch(struct store *s, const struct patrol_gen *g, const int64_t *ids, size_t n,
                          int64_t *n_created)
{
    struct db *db;
    int rc = store_begin(s, &db);
    if (rc) {
        return rc;
    }
    rc = patrol_selfcheck_generate_in(db, g, ids, n, n_created);
    if (rc) {
        store_rollback(s, db);
        return rc;
    }
    return store_commit(s, db);
}

int patrol_month_prepare(const char *month, const char *now, struct patrol_month *pm)
{
    memset(pm, 0, sizeof *pm);
    int64_t y, m;
    if (!month || strlen(month) != 7 || month[4] != '-' || parse_i64(month, 4, &y) ||
        parse_i64(month + 5, 2, &m) || m < 1 || m > 12 || y < 1970 || y > 9999) {
        return ERR_INPUT;
    }
    bool q_due = patrol_period_due("quarterly", (int)y, (int)m, pm->quarter) == 0;
    bool y_due = patrol_period_due("yearly", (int)y, (int)m, pm->year) == 0;
    patrol_period_due("monthly", (int)y, (int)m, pm->month);
    if (!q_due) { /* bound all the same: the statement names the parameter */
        snprintf(pm->quarter, sizeof pm->quarter, "%04dQ%d", (int)y, (int)(m + 2) / 3);
    }
    if (!y_due) {
        snprintf(pm->year, sizeof pm->year, "%04d", (int)y);
    }
    snprintf(pm->start, sizeof pm->start, "%.7s-01", pm->month);
    int workdays = (int)settings_int("patrol_selfcheck_workdays");
    int missing = 0;
    pthread_rwlock_rdlock(&app.cal_lock);
    int rc = app.cal ? patrol_selfcheck_due(app.cal, (int)y, (int)m, workdays, pm->due, &missing)
                     : ERR_NOTFOUND;
    pthread_rwlock_unlock(&app.cal_lock);
    if (rc == ERR_NOTFOUND) {
        missing = missing ? missing : (int)y;
        snprintf(pm->warn, sizeof pm->warn,
                 "工作日历缺少 %d 年，自查任务无截止日期 / the calendar has no year %d: the tasks "
                 "have no due date",
                 missing, missing);
    } else if (rc) {
        return rc;
    }
    pm->g = (struct patrol_gen){.month = pm->month,
                                .quarter = pm->quarter,
                                .year = pm->year,
                                .quarterly_due = q_due,
                                .yearly_due = y_due,
                                .due_on = rc ? NULL : pm->due,
                                .month_start = pm->start,
                                .now = now};
    return 0;
}

int patrol_selfcheck_generate(struct store *s, const char *month, const char *now,
                              int64_t *n_enterprises, int64_t *n_created, char *warn, size_t cap)
{
    *n_enterprises = *n_created = 0;
    struct patrol_month pm;
    int rc = patrol_month_prepare(month, now, &pm);
    if (warn && cap) {
        snprintf(warn, cap, "%s", pm.warn);
    }
    int64_t ids[PATROL_GEN_BATCH], after = 0;
    size_t n = 0;
    while (!rc) {
        struct db *db = store_read(s);
        rc = store_patrol_selfcheck_targets(db, after, PATROL_GEN_BATCH, ids, &n);
        store_release(s, db);
        if (rc || !n) {
            break;
        }
        rc = generate_batch(s, &pm.g, ids, n, n_created);
        after = ids[n - 1];
        *n_enterprises += (int64_t)n;
        if (n < PATROL_GEN_BATCH) {
            break;
        }
    }
    return rc;
}
