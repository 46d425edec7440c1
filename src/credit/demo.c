/*
** Demo credit data for `envgov demo`: six months of events for the demo enterprises and
** agencies (exceedance days, complaints, penalties, commitments, verified rectification, now
** and then a veto item), each month graded on its last day so the history shows changes with
** the events behind them. Deterministic (its own generator, seeded by the subject id) and quick:
** one recompute per subject and month inside the demo's transaction.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/util.h"
#include "credit/credit.h"
#include "store/q_credit.h"

#define MONTHS 6

struct ids {
    int64_t *v;
    size_t n, cap;
};

static void id_push(const struct credit_subject_row *s, void *ctx)
{
    struct ids *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 512;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = s->id;
}

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int chance(uint64_t *s, int per_mille)
{
    return (int)(next(s) % 1000) < per_mille;
}

struct ev_kind {
    const char *type;
    int per_mille; /* per subject and month */
    const char *reason;
};

static const struct ev_kind ENTERPRISE_EVENTS[] = {
    {"exceedance_day", 120, "在线监测超标（演示数据）"},
    {"complaint_substantiated", 30, "信访投诉经核实（演示数据）"},
    {"penalty", 25, "行政处罚决定（演示数据）"},
    {"late_rectification", 15, "逾期未完成整改（演示数据）"},
    {"commitment", 60, "签署信用承诺书（演示数据）"},
    {"rectification_verified", 40, "整改经核查完成（演示数据）"},
    {"bypass_discharge", 2, "通过暗管偷排（演示数据）"},
};
static const struct ev_kind AGENCY_EVENTS[] = {
    {"report_late", 150, "未按时提交报告（演示数据）"},
    {"quality_finding_minor", 80, "报告质量一般问题（演示数据）"},
    {"quality_finding_major", 20, "报告质量严重问题（演示数据）"},
};

static int add(struct db *db, const char *kind, int64_t id, const char *type, const char *day,
               const char *reason, const char *now)
{
    struct credit_event_new e = {.kind = kind,
                                 .subject_id = id,
                                 .type = type,
                                 .occurred_on = day,
                                 .reason = reason,
                                 .evidence = "演示数据",
                                 .source = "demo"};
    int64_t eid;
    return store_credit_event_insert(db, &e, now, &eid);
}

/* Events of one subject in month m (days back from today: [m*30+29, m*30]). */
static int month_events(struct db *db, const char *kind, int64_t id, int m, int64_t today_s,
                        bool own, int *n)
{
    uint64_t s = (uint64_t)id * 0x9E3779B97F4A7C15ULL + (uint64_t)m * 7919 + 1;
    bool ag = !strcmp(kind, "agency");
    const struct ev_kind *k = ag ? AGENCY_EVENTS : ENTERPRISE_EVENTS;
    size_t nk = ag ? ARRAY_LEN(AGENCY_EVENTS) : ARRAY_LEN(ENTERPRISE_EVENTS);
    char now[32];
    time_iso(today_s, now);
    int rc = 0;
    for (size_t i = 0; !rc && i < nk; i++) {
        /* the demo user's firm: exceedances three months ago, a penalty, then a commitment */
        bool forced = own && ((m == 3 && !strcmp(k[i].type, "exceedance_day")) ||
                              (m == 2 && !strcmp(k[i].type, "penalty")) ||
                              (m == 1 && !strcmp(k[i].type, "commitment")));
        if (!forced && (own || !chance(&s, k[i].per_mille))) {
            continue;
        }
        int days = !strcmp(k[i].type, "exceedance_day") ? 1 + (int)(next(&s) % 3) : 1;
        for (int d = 0; !rc && d < days; d++) {
            char day[11];
            date_cn(today_s - (int64_t)(m * 30 + 29 - (int)(next(&s) % 30)) * 86400, day);
            rc = add(db, kind, id, k[i].type, day, k[i].reason, now);
            (*n)++;
        }
    }
    return rc;
}

int credit_demo(struct db *db, const char *today, struct buf *summary)
{
    struct tm tm = {0};
    if (sscanf(today, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
        return ERR_INPUT;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = 4; /* 12:00 China time: the China date is today's */
    int64_t today_s = (int64_t)timegm(&tm), own_enterprise = 0;
    int n = 0, *n_events = &n;
    int rc0 = store_credit_demo_enterprise(db, &own_enterprise);
    if (rc0) {
        return rc0;
    }
    static const char *const KINDS[] = {"enterprise", "agency"};
    int rc = 0;
    for (size_t k = 0; !rc && k < ARRAY_LEN(KINDS); k++) {
        struct ids l = {0};
        rc = store_credit_subjects_each(db, KINDS[k], 0, 1000000, id_push, &l);
        for (int m = MONTHS - 1; !rc && m >= 0; m--) {
            char at[32];
            time_iso(today_s - (int64_t)m * 30 * 86400, at);
            for (size_t i = 0; !rc && i < l.n; i++) {
                bool own = k == 0 && l.v[i] == own_enterprise;
                rc = month_events(db, KINDS[k], l.v[i], m, today_s, own, n_events);
                rc = rc ? rc : credit_recompute_one(db, KINDS[k], l.v[i], "recompute", at);
                rc = rc == ERR_NOTFOUND ? 0 : rc;
            }
        }
        free(l.v);
    }
    buf_printf(summary, ", %d credit events", n);
    return rc;
}
