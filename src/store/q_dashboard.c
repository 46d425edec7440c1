/*
** The dashboard's figures (工作台), each within the caller's scope: enterprises by category,
** county and industry; outlets and points; permits due and expired; monitoring points by live
** status (the board's rule, see point_status_sql); open and unhandled alarms by kind, alarms
** opened today by kind and county, the oldest unhandled ones; quarantined devices. Every
** figure is one grouped, indexed query: nothing here runs a query per row.
*/
#include "store/q_dashboard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/scope.h"

/* The scope condition on an enterprises alias e (store/scope.c, as the entity lists), its
   parameters from ?10 upward. */
static void scope_sql(const struct scope *sc, struct buf *sql)
{
    store_scope_sql(sql, sc, "e.id", "e.region_code", 10);
}

static void scope_bind(struct db_stmt *st, const struct scope *sc)
{
    for (int i = 0, n = store_scope_n_params(sc); i < n; i++) {
        struct db_value v;
        char pat[40];
        store_scope_param(sc, i, &v, pat);
        v.type == DB_INT ? db_bind_int(st, 10 + i, v.i) : db_bind_text(st, 10 + i, v.s, v.n);
    }
}

/* A statement built from fmt (one %s for the scope condition), with text parameters ?1..?n
   (NULL ends the list early) and the scope's parameters bound. Finish with scoped_done. */
struct scoped {
    struct buf cond, sql;
    struct db_stmt *st;
};

static int scoped_open(struct db *db, const struct scope *sc, const char *fmt,
                       const char *const *texts, size_t n_texts, struct scoped *q)
{
    buf_init(&q->cond, 1 << 14);
    buf_init(&q->sql, 1 << 16);
    q->st = NULL;
    scope_sql(sc, &q->cond);
    buf_printf(&q->sql, fmt, q->cond.p);
    int rc = db_prepare(db, q->sql.p, &q->st);
    for (size_t i = 0; !rc && i < n_texts && texts[i]; i++) {
        db_bind_text(q->st, (int)i + 1, texts[i], (size_t)-1);
    }
    if (!rc) {
        scope_bind(q->st, sc);
    }
    return rc;
}

static void scoped_done(struct scoped *q)
{
    if (q->st) {
        db_done(q->st);
    }
    buf_release(&q->cond);
    buf_release(&q->sql);
}

/* "key":"value" (value JSON-escaped). */
static void json_str_kv(struct buf *out, const char *key, const char *v)
{
    buf_putc(out, '"');
    buf_puts(out, key);
    buf_puts(out, "\":");
    buf_json_str(out, v, strlen(v));
}

/* The rows of a scoped query as a JSON array (single: the first column of the one row). */
static int scoped_json(struct db *db, const struct scope *sc, const char *fmt, const char *p1,
                       const char *p2, bool single, struct buf *out)
{
    const char *texts[] = {p1, p2};
    struct scoped q;
    int rc = scoped_open(db, sc, fmt, texts, 2, &q);
    if (!rc && single) {
        int s = db_step(q.st);
        buf_printf(out, "%lld", s == DB_ROW ? (long long)db_column_int(q.st, 0) : 0LL);
        rc = s < 0 ? s : 0;
    } else if (!rc) {
        rc = db_rows_json(q.st, 1, 0, out, NULL);
    }
    scoped_done(&q);
    return rc;
}

static int registry_figures(struct db *db, const struct dashboard_query *dq, struct buf *out)
{
    const struct scope *sc = dq->sc;
    int rc;
    buf_puts(out, "{\"enterprises\":{\"total\":");
    rc = scoped_json(db, sc, "SELECT COUNT(*) FROM enterprises e WHERE e.status = 'active' AND %s",
                     NULL, NULL, true, out);
    buf_puts(out, ",\"by_category\":");
    rc = rc ? rc
            : scoped_json(db, sc,
                          "SELECT e.category, COUNT(*) AS n FROM enterprises e WHERE"
                          " e.status = 'active' AND %s GROUP BY e.category ORDER BY n DESC",
                          NULL, NULL, false, out);
    buf_puts(out, ",\"by_region\":");
    rc = rc ? rc
            : scoped_json(
                  db, sc,
                  "SELECT e.region_code, r.name AS region_name, COUNT(*) AS n FROM"
                  " enterprises e LEFT JOIN regions r ON r.code = e.region_code WHERE"
                  " e.status = 'active' AND %s GROUP BY e.region_code, r.name ORDER BY n DESC",
                  NULL, NULL, false, out);
    buf_puts(out, ",\"by_industry\":");
    rc = rc ? rc
            : scoped_json(
                  db, sc,
                  "SELECT substr(e.industry_code, 1, 2) AS division, i.name AS"
                  " division_name, COUNT(*) AS n FROM enterprises e LEFT JOIN industries i"
                  " ON i.code = substr(e.industry_code, 1, 2) WHERE e.status = 'active' AND"
                  " %s GROUP BY substr(e.industry_code, 1, 2), i.name ORDER BY n DESC LIMIT 10",
                  NULL, NULL, false, out);
    buf_puts(out, "},\"outlets\":{\"total\":");
    rc = rc ? rc
            : scoped_json(
                  db, sc,
                  "SELECT COUNT(*) FROM outlets o JOIN enterprises e ON e.id = o.enterprise_id"
                  " WHERE o.status = 'active' AND %s",
                  NULL, NULL, true, out);
    buf_puts(out, "},\"points\":{\"total\":");
    rc = rc ? rc
            : scoped_json(
                  db, sc,
                  "SELECT COUNT(*) FROM points p JOIN enterprises e ON e.id = p.enterprise_id"
                  " WHERE p.status = 'active' AND %s",
                  NULL, NULL, true, out);
    buf_putc(out, '}');
    return rc;
}

static int permit_figures(struct db *db, const struct dashboard_query *dq, struct buf *out)
{
    const struct scope *sc = dq->sc;
    buf_puts(out, ",\"permits_expiring\":");
    int rc = scoped_json(db, sc,
                         "SELECT p.id, p.enterprise_id, e.name AS enterprise_name, p.number,"
                         " p.class, p.valid_from, p.valid_to FROM permits p JOIN enterprises e ON"
                         " e.id = p.enterprise_id WHERE p.status = 'active' AND p.valid_to >= ?1"
                         " AND p.valid_to <= ?2 AND %s ORDER BY p.valid_to, p.id LIMIT 100",
                         dq->today, dq->expiry_limit, false, out);
    /* The list stops at 100; the count does not. */
    buf_puts(out, ",\"permits_expiring_total\":");
    rc = rc ? rc
            : scoped_json(
                  db, sc,
                  "SELECT COUNT(*) FROM permits p JOIN enterprises e ON e.id = p.enterprise_id"
                  " WHERE p.status = 'active' AND p.valid_to >= ?1 AND p.valid_to <= ?2 AND %s",
                  dq->today, dq->expiry_limit, true, out);
    buf_puts(out, ",\"permits_expired\":");
    rc = rc ? rc
            : scoped_json(
                  db, sc,
                  "SELECT COUNT(*) FROM permits p JOIN enterprises e ON e.id = p.enterprise_id"
                  " WHERE p.status = 'active' AND p.valid_to < ?1 AND %s",
                  dq->today, NULL, true, out);
    return rc;
}

/*
** A point's live status by the board's rule (board_status in src/monitor/api.c), in SQL so that
** a province's 20,000 points are counted in one grouped query: never sent a frame → nodata; an
** open exceedance or early warning → alarm (whatever its link does); an open offline alarm or no
** frame since ?1 (now − alarm.handling offline_after_s) → offline; the device said it is in
** maintenance → maintenance; an open alarm of another kind → alarm; else online. The two must
** change together. Beside it, whether the device is connected (heard since ?1, no offline
** alarm open), which is what 在线 on the 工作台 counts, as the board's counts.connected does.
*/
static const char POINT_STATUS_SQL[] =
    "SELECT st, conn, COUNT(*) FROM (SELECT CASE WHEN COALESCE(s.last_seen_at, '') = '' THEN"
    " 'nodata' WHEN EXISTS (SELECT 1 FROM alarms a WHERE a.point_id = p.id AND a.status <>"
    " 'closed' AND a.kind IN ('exceed', 'early_warning')) THEN 'alarm' WHEN s.last_seen_at < ?1"
    " OR o.point_id IS NOT NULL THEN 'offline' WHEN COALESCE(s.maintenance, 0) <> 0 THEN"
    " 'maintenance' WHEN EXISTS (SELECT 1 FROM alarms a WHERE a.point_id = p.id AND a.status <>"
    " 'closed' AND a.kind <> 'offline') THEN 'alarm' ELSE 'online' END AS st, CASE WHEN"
    " COALESCE(s.last_seen_at, '') = '' THEN 'nodata' WHEN s.last_seen_at < ?1 OR o.point_id IS"
    " NOT NULL THEN 'offline' ELSE 'on' END AS conn FROM points p JOIN enterprises e ON e.id ="
    " p.enterprise_id LEFT JOIN point_status s ON s.point_id = p.id LEFT JOIN (SELECT DISTINCT"
    " point_id FROM alarms WHERE status <> 'closed' AND kind = 'offline') o ON o.point_id = p.id"
    " WHERE p.status = 'active' AND %s) x GROUP BY st, conn";

static const char *const POINT_STATUS[] = {"online", "alarm", "offline", "maintenance", "nodata"};

static int monitoring_figures(struct db *db, const struct dashboard_query *dq, struct buf *out)
{
    const char *texts[] = {dq->offline_before};
    struct scoped q;
    int64_t n[5] = {0}, online = 0, offline = 0, never = 0;
    int rc = scoped_open(db, dq->sc, POINT_STATUS_SQL, texts, 1, &q);
    int s = DB_DONE;
    while (!rc && (s = db_step(q.st)) == DB_ROW) {
        const char *st = db_column_text(q.st, 0, NULL), *conn = db_column_text(q.st, 1, NULL);
        int64_t k = db_column_int(q.st, 2);
        for (size_t i = 0; i < ARRAY_LEN(POINT_STATUS); i++) {
            n[i] += strcmp(st, POINT_STATUS[i]) ? 0 : k;
        }
        online += strcmp(conn, "on") ? 0 : k;
        offline += strcmp(conn, "offline") ? 0 : k;
        never += strcmp(conn, "nodata") ? 0 : k;
    }
    scoped_done(&q);
    rc = rc ? rc : s < 0 ? s : 0;
    int64_t registered = online + offline + never;
    buf_printf(out,
               ",\"monitoring\":{\"registered\":%lld,\"online\":%lld,\"offline\":%lld,"
               "\"never_connected\":%lld,\"online_rate\":",
               (long long)registered, (long long)online, (long long)offline, (long long)never);
    if (registered) {
        buf_printf(out, "%.4f", (double)online / (double)registered);
    } else {
        buf_puts(out, "null");
    }
    buf_puts(out, ",\"by_status\":{");
    for (size_t i = 0; i < ARRAY_LEN(POINT_STATUS); i++) {
        buf_printf(out, "%s\"%s\":%lld", i ? "," : "", POINT_STATUS[i], (long long)n[i]);
    }
    buf_puts(out, "}}");
    return rc;
}

/* Open (not closed) alarms by kind: {"kind":..,"open":n,"unhandled":n}, and the totals. */
static int alarms_open(struct db *db, const struct dashboard_query *dq, struct buf *out)
{
    struct scoped q;
    int rc = scoped_open(db, dq->sc,
                         "SELECT a.kind, COUNT(*), SUM(CASE WHEN a.status = 'open' THEN 1 ELSE 0"
                         " END) FROM alarms a JOIN enterprises e ON e.id = a.enterprise_id WHERE"
                         " a.status IN ('open', 'acknowledged') AND %s GROUP BY a.kind ORDER BY"
                         " COUNT(*) DESC, a.kind",
                         NULL, 0, &q);
    int64_t open = 0, unhandled = 0;
    int s = DB_DONE;
    buf_puts(out, ",\"alarms\":{\"by_kind\":[");
    for (size_t i = 0; !rc && (s = db_step(q.st)) == DB_ROW; i++) {
        int64_t o = db_column_int(q.st, 1), u = db_column_int(q.st, 2);
        buf_puts(out, i ? ",{" : "{");
        json_str_kv(out, "kind", db_column_text(q.st, 0, NULL));
        buf_printf(out, ",\"open\":%lld,\"unhandled\":%lld}", (long long)o, (long long)u);
        open += o;
        unhandled += u;
    }
    scoped_done(&q);
    buf_printf(out, "],\"open\":%lld,\"unhandled\":%lld", (long long)open, (long long)unhandled);
    return rc ? rc : s < 0 ? s : 0;
}

/* Alarms opened today, by kind and by county, from one grouped query: the totals are sums of
   its rows. */
struct kind_count {
    char kind[24];
    int64_t n;
};

static void kind_add(struct kind_count *k, size_t *n_k, size_t cap, const char *kind, int64_t n)
{
    size_t i = 0;
    while (i < *n_k && strcmp(k[i].kind, kind)) {
        i++;
    }
    if (i == *n_k && *n_k < cap) {
        snprintf(k[(*n_k)++].kind, sizeof k->kind, "%s", kind);
    }
    if (i < *n_k) {
        k[i].n += n;
    }
}

static int by_n_desc(const void *a, const void *b)
{
    const struct kind_count *x = a, *y = b;
    return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->kind, y->kind);
}

static int alarms_today(struct db *db, const struct dashboard_query *dq, struct buf *out)
{
    const char *texts[] = {dq->day_start};
    struct scoped q;
    /* By the enterprise's county (the first six digits of its region code). */
    int rc = scoped_open(db, dq->sc,
                         "SELECT substr(e.region_code, 1, 6), r.name, a.kind, COUNT(*) FROM"
                         " alarms a JOIN enterprises e ON e.id = a.enterprise_id LEFT JOIN"
                         " regions r ON r.code = substr(e.region_code, 1, 6) WHERE a.first_at >="
                         " ?1 AND %s GROUP BY substr(e.region_code, 1, 6), r.name, a.kind ORDER BY"
                         " 1, 3",
                         texts, 1, &q);
    struct kind_count kinds[32] = {0};
    size_t n_kinds = 0;
    int64_t total = 0;
    int s = DB_DONE;
    buf_puts(out, ",\"today\":{\"by_county\":[");
    for (size_t i = 0; !rc && (s = db_step(q.st)) == DB_ROW; i++) {
        const char *name = db_column_text(q.st, 1, NULL), *kind = db_column_text(q.st, 2, NULL);
        int64_t n = db_column_int(q.st, 3);
        buf_puts(out, i ? ",{" : "{");
        json_str_kv(out, "region_code", db_column_text(q.st, 0, NULL));
        buf_putc(out, ',');
        if (db_column_type(q.st, 1) == DB_NULL) {
            buf_puts(out, "\"region_name\":null");
        } else {
            json_str_kv(out, "region_name", name);
        }
        buf_putc(out, ',');
        json_str_kv(out, "kind", kind);
        buf_printf(out, ",\"n\":%lld}", (long long)n);
        kind_add(kinds, &n_kinds, ARRAY_LEN(kinds), kind, n);
        total += n;
    }
    scoped_done(&q);
    qsort(kinds, n_kinds, sizeof *kinds, by_n_desc);
    buf_puts(out, "],\"by_kind\":[");
    for (size_t i = 0; i < n_kinds; i++) {
        buf_puts(out, i ? ",{" : "{");
        json_str_kv(out, "kind", kinds[i].kind);
        buf_printf(out, ",\"n\":%lld}", (long long)kinds[i].n);
    }
    buf_printf(out, "],\"total\":%lld,", (long long)total);
    json_str_kv(out, "since", dq->day_start);
    buf_putc(out, '}');
    return rc ? rc : s < 0 ? s : 0;
}

static int alarms_oldest(struct db *db, const struct dashboard_query *dq, struct buf *out)
{
    char lim[24];
    snprintf(lim, sizeof lim, "%zu", dq->oldest_limit ? dq->oldest_limit : 10);
    buf_puts(out, ",\"oldest_unhandled\":");
    return scoped_json(db, dq->sc,
                       "SELECT a.id, a.kind, a.factor, (SELECT name FROM pollutants WHERE code ="
                       " a.factor) AS factor_name, a.first_at, a.last_at, a.count, a.point_id,"
                       " p.name AS point_name, a.enterprise_id, e.name AS enterprise_name,"
                       " e.region_code, (SELECT name FROM regions WHERE code = e.region_code) AS"
                       " region_name FROM alarms a JOIN enterprises e ON e.id = a.enterprise_id"
                       " JOIN points p ON p.id = a.point_id WHERE a.status = 'open' AND %s ORDER"
                       " BY a.first_at, a.id LIMIT CAST(?1 AS INTEGER)",
                       lim, NULL, false, out);
}

static int quarantine_figures(struct db *db, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT COUNT(DISTINCT mn), COUNT(*) FROM hj212_quarantine", "");
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    buf_printf(out, ",\"quarantine\":{\"devices\":%lld,\"frames\":%lld}",
               s == DB_ROW ? (long long)db_column_int(st, 0) : 0LL,
               s == DB_ROW ? (long long)db_column_int(st, 1) : 0LL);
    db_done(st);
    return s < 0 ? s : 0;
}

int store_dashboard(struct db *db, const struct dashboard_query *dq, struct buf *out)
{
    int rc = registry_figures(db, dq, out);
    rc = rc ? rc : permit_figures(db, dq, out);
    rc = rc ? rc : monitoring_figures(db, dq, out);
    rc = rc ? rc : alarms_open(db, dq, out);
    rc = rc ? rc : alarms_today(db, dq, out);
    rc = rc ? rc : alarms_oldest(db, dq, out);
    if (!rc) {
        buf_putc(out, '}');
    }
    rc = rc || !dq->quarantine ? rc : quarantine_figures(db, out);
    if (!rc) {
        buf_putc(out, '}');
    }
    return rc;
}
