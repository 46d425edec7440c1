/*
** The waste.warnings job and the to-do source it feeds. Daily, per site, in one transaction with
** an audit row: a producing batch whose stock has been stored longer than the waste.rules limit
** less its early warning (the licensed operators' limit for a licensed site, the generators'
** otherwise), a store over its capacity, and an arrived manifest whose confirmation is past due
** each raise one warning (once per site, kind and batch / manifest); the warnings no longer true
** are resolved. The open warnings are to-do items of the enterprise and of the staff whose area
** covers it.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "cases/cases.h"
#include "core/err.h"
#include "core/util.h"
#include "jobs/jobs.h"
#include "store/q_waste.h"
#include "waste/internal.h"

#define STOCK_MAX 2000

static int raise(struct db *db, const struct waste_site_row *s, const char *kind, const char *ref,
                 const char *detail, const char *now, struct buf *keep, struct tally *t)
{
    int fresh = 0;
    int rc = store_waste_warning_raise(db, s->id, s->enterprise_id, kind, ref, detail, now, &fresh);
    buf_printf(keep, "%s%s", keep->len ? "," : "", ref);
    t->raised += fresh;
    t->open++;
    return rc;
}

/* Generated and not stored in after ledger_gap_days: a gap in the ledger (a 入库 record missing,
   or waste left lying outside the store). */
static int ledger_gaps(struct db *db, const struct waste_site_row *s, const struct waste_rules *wr,
                       const char *today, const char *now, struct buf *keep, struct tally *t)
{
    int32_t d;
    char before[11];
    if (calendar_date_parse(today, 10, &d)) {
        return ERR_INPUT;
    }
    calendar_date_format(d - wr->ledger_gap_days + 1, before);
    struct waste_stock_row *rows = xcalloc(STOCK_MAX, sizeof *rows);
    size_t n = 0;
    int rc = store_waste_unstored(db, s->id, before, rows, STOCK_MAX, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        char msg[400];
        snprintf(
            msg, sizeof msg,
            "批次 %s（%s）产生于 %.10s，尚有 %.3f 吨未入库 / batch %s (%s) generated on %.10s: "
            "%.3f t not stored in",
            rows[i].batch, rows[i].code, rows[i].first_in, rows[i].in_store_t, rows[i].batch,
            rows[i].code, rows[i].first_in, rows[i].in_store_t);
        rc = raise(db, s, "ledger_gap", rows[i].batch, msg, now, keep, t);
    }
    free(rows);
    return rc;
}

/* This year's 委外 per code against the transfer table of the year's filed plan: more than the
   planned amount by over OFF_PLAN_PCT percent raises off_plan for the code. No filed plan: none
   (a manifest needs one, so nothing was handed over against it). */
#define OFF_PLAN_PCT 10
static int off_plan(struct db *db, const struct waste_site_row *s, const char *today,
                    const char *now, struct buf *keep, struct tally *t)
{
    struct arena a;
    arena_init(&a, 1 << 14);
    int year = atoi_year(today);
    int64_t plan = 0;
    const char *tables = NULL;
    struct waste_plan_row *rows = NULL;
    size_t n = 0;
    int rc = store_waste_plan_filed(db, &a, s->id, year, &plan, &tables);
    if (rc == ERR_NOTFOUND) {
        arena_free(&a);
        return 0;
    }
    rc = rc ? rc : waste_year_rows(db, &a, s->id, year, &rows, &n);
    json_t *tj = rc ? NULL : json_loads(tables, 0, NULL);
    json_t *tr = json_object_get(tj, "transfer");
    for (size_t i = 0; !rc && i < n; i++) {
        double planned = 0;
        for (size_t k = 0; k < json_array_size(tr); k++) {
            json_t *o = json_array_get(tr, k);
            const char *c = json_string_value(json_object_get(o, "waste_code"));
            if (c && !strcmp(c, rows[i].code)) {
                planned = json_number_value(json_object_get(o, "planned_t"));
            }
        }
        if (rows[i].outsourced > planned * (1 + OFF_PLAN_PCT / 100.0) + 0.0005) {
            char d[400];
            snprintf(d, sizeof d,
                     "%s 今年已委外 %.3f 吨，超过管理计划 %.3f 吨 / %s: %.3f t handed over this "
                     "year, the plan has %.3f t",
                     rows[i].code, rows[i].outsourced, planned, rows[i].code, rows[i].outsourced,
                     planned);
            rc = raise(db, s, "off_plan", rows[i].code, d, now, keep, t);
        }
    }
    json_decref(tj);
    arena_free(&a);
    return rc;
}

int waste_site_warnings(struct db *db, int64_t site, const char *today, const char *now,
                        struct tally *t)
{
    struct waste_site_row s;
    struct waste_rules wr;
    int rc = store_waste_site_get(db, site, &s);
    rc = rc ? rc : waste_rules_load(db, s.region, &wr, NULL);
    if (rc) {
        return rc;
    }
    int limit = s.licensed ? wr.licensed_storage_days : wr.generator_storage_days;
    struct waste_stock_row *rows = xcalloc(STOCK_MAX, sizeof *rows);
    size_t n = 0;
    double total = 0;
    struct buf keep;
    buf_init(&keep, 1 << 20);
    rc = store_waste_stock(db, site, rows, STOCK_MAX, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        total += rows[i].in_store_t;
        int days = waste_days_between(rows[i].first_in, today);
        if (days >= 0 && days > limit - wr.warn_before_days) {
            char d[400];
            snprintf(
                d, sizeof d,
                "批次 %s（%s，%.3f 吨）已贮存 %d 天，期限 %d 天 / batch %s (%s, %.3f t) stored %d "
                "days, the limit is %d",
                rows[i].batch, rows[i].code, rows[i].in_store_t, days, limit, rows[i].batch,
                rows[i].code, rows[i].in_store_t, days, limit);
            rc = raise(db, &s, "storage_time", rows[i].batch, d, now, &keep, t);
        }
    }
    rc =
        rc ? rc : store_waste_warnings_resolve(db, site, "storage_time", keep.p ? keep.p : "", now);
    buf_reset(&keep);
    if (!rc && s.capacity_t > 0 && total > s.capacity_t + 0.0005) {
        char d[400];
        snprintf(d, sizeof d,
                 "贮存量 %.3f 吨超过贮存能力 %.3f 吨 / %.3f t stored over a %.3f t capacity", total,
                 s.capacity_t, total, s.capacity_t);
        rc = raise(db, &s, "over_capacity", "site", d, now, &keep, t);
    }
    rc = rc ? rc
            : store_waste_warnings_resolve(db, site, "over_capacity", keep.p ? keep.p : "", now);
    buf_reset(&keep);
    struct waste_due_row due[200];
    size_t nd = 0;
    rc = rc ? rc : store_waste_unconfirmed(db, site, due, ARRAY_LEN(due), &nd);
    for (size_t i = 0; !rc && i < nd; i++) {
        if (strcmp(today, due[i].due) > 0) {
            char d[400];
            snprintf(d, sizeof d,
                     "联单 %s 接受人逾期未确认（应于 %s 前） / manifest %s not confirmed by %s",
                     due[i].number, due[i].due, due[i].number, due[i].due);
            rc = raise(db, &s, "unconfirmed", due[i].number, d, now, &keep, t);
        }
    }
    rc = rc ? rc : store_waste_warnings_resolve(db, site, "unconfirmed", keep.p ? keep.p : "", now);
    buf_reset(&keep);
    rc = rc ? rc : ledger_gaps(db, &s, &wr, today, now, &keep, t);
    rc = rc ? rc : store_waste_warnings_resolve(db, site, "ledger_gap", keep.p ? keep.p : "", now);
    buf_reset(&keep);
    rc = rc ? rc : off_plan(db, &s, today, now, &keep, t);
    rc = rc ? rc : store_waste_warnings_resolve(db, site, "off_plan", keep.p ? keep.p : "", now);
    buf_release(&keep);
    free(rows);
    return rc;
}

int waste_warnings_run(struct store *st, int64_t now_ms, int *raised, int *open)
{
    char today[11], now[32];
    date_cn(now_ms / 1000, today);
    time_iso(now_ms / 1000, now);
    struct db *db;
    int rc = store_begin(st, &db);
    if (rc) {
        return rc;
    }
    int64_t *ids = NULL;
    size_t n = 0;
    struct tally t = {0, 0};
    rc = store_waste_site_ids(db, &ids, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        rc = waste_site_warnings(db, ids[i], today, now, &t);
    }
    free(ids);
    if (!rc) {
        char after[128];
        snprintf(after, sizeof after, "{\"sites\":%zu,\"raised\":%d,\"open\":%d}", n, t.raised,
                 t.open);
        struct audit_entry a = {0,    "system", "waste_site", 0, "waste_warnings",
                                NULL, after,    "",           ""};
        rc = store_audit_add(db, &a);
    }
    if (rc) {
        store_rollback(st, db);
        return rc;
    }
    *raised = t.raised;
    *open = t.open;
    return store_commit(st, db);
}

static int job_warnings(struct job_run *jr)
{
    int raised = 0, open = 0;
    int rc = waste_warnings_run(jr->store, jr->now_ms, &raised, &open);
    snprintf(jr->note, sizeof jr->note, "新预警 %d 条，未解除 %d 条 / %d new warnings, %d open",
             raised, open, raised, open);
    if (rc) {
        snprintf(jr->error, sizeof jr->error, "危废预警失败 / waste warnings failed (%d)", rc);
    }
    return rc;
}

const struct job_def waste_jobs[] = {
    {"waste.warnings", "daily 02:10", "waste_warnings_schedule", job_warnings, 1800,
     "危险废物贮存期限、超贮存能力与联单逾期确认预警 / Hazardous-waste warnings: storage time, "
     "capacity, unconfirmed manifests"},
};
const size_t waste_n_jobs = ARRAY_LEN(waste_jobs);

static int todo_list(struct db *db, const struct principal *p, const char *now, size_t limit,
                     struct buf *out, size_t *n)
{
    (void)now;
    return store_waste_todo_json(db, p, limit, out, n);
}

static int todo_count(struct db *db, const struct principal *p, const char *now,
                      struct todo_counts *c)
{
    (void)now;
    int64_t n = 0;
    int rc = store_waste_todo_count(db, p, &n);
    c->total += n;
    return rc;
}

const struct todo_source waste_todo_sources[] = {{"waste", todo_list, todo_count}};
const size_t waste_n_todo_sources = ARRAY_LEN(waste_todo_sources);
