/*
** Named queries of online monitoring: device identity, message de-duplication, readings,
** quarantine, deviation counters and the raw-frame log.
*/
#include "store/q_monitor.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/scope.h"

/* Statements of many rows come in 8 shapes, of 1, 2, 4 ... 128 rows: the shape for the next
   rows is the largest that fits what is left (*k of them), so a batch takes few statements and
   each connection caches at most eight. */
#define SHAPES 8
static int shape_for(size_t left, size_t *k)
{
    int e = SHAPES - 1;
    while ((size_t)1 << e > left) {
        e--;
    }
    *k = (size_t)1 << e;
    return e;
}

#define POINT_AUTH_COLUMNS "id, password, protocol, status, enterprise_id, st, mn"

static void point_auth_read(struct db_stmt *st, struct point_auth *out)
{
    out->point_id = db_column_int(st, 0);
    db_column_copy(st, 1, out->password, sizeof out->password);
    db_column_copy(st, 2, out->protocol, sizeof out->protocol);
    db_column_copy(st, 3, out->status, sizeof out->status);
    out->enterprise_id = db_column_int(st, 4);
    db_column_copy(st, 5, out->st, sizeof out->st);
}

int store_point_by_mn(struct db *db, const char *mn, struct point_auth *out)
{
    struct db_stmt *st;
    int rc = db_prepare(db, "SELECT " POINT_AUTH_COLUMNS " FROM points WHERE mn = ?1", &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, mn, (size_t)-1);
    int s = db_step(st);
    if (s == DB_ROW) {
        point_auth_read(st, out);
    }
    db_done(st);
    return s == DB_ROW ? 0 : (s < 0 ? s : ERR_NOTFOUND);
}

/* WHERE mn IN (?1 … ?k), one per shape, built once. */
static char *mn_shape_sql[SHAPES];
static pthread_once_t mn_shapes_once = PTHREAD_ONCE_INIT;

static void build_mn_shapes(void)
{
    for (int e = 0; e < SHAPES; e++) {
        struct buf b;
        buf_init(&b, 0);
        buf_puts(&b, "SELECT " POINT_AUTH_COLUMNS " FROM points WHERE mn IN (");
        for (int k = 0; k < 1 << e; k++) {
            buf_printf(&b, k ? ", ?%d" : "?%d", k + 1);
        }
        buf_puts(&b, ")");
        buf_putc(&b, 0);
        mn_shape_sql[e] = buf_steal(&b, NULL);
    }
}

int store_points_by_mns(struct db *db, const char *const *mns, size_t n,
                        void (*fn)(const char *mn, const struct point_auth *pa, void *ctx),
                        void *ctx)
{
    pthread_once(&mn_shapes_once, build_mn_shapes);
    for (size_t at = 0, k; at < n; at += k) {
        struct db_stmt *st;
        int rc = db_prepare(db, mn_shape_sql[shape_for(n - at, &k)], &st);
        if (rc) {
            return rc;
        }
        for (size_t i = 0; i < k; i++) {
            db_bind_text(st, 1 + (int)i, mns[at + i], (size_t)-1);
        }
        int s;
        while ((s = db_step(st)) == DB_ROW) {
            struct point_auth pa;
            point_auth_read(st, &pa);
            fn(db_column_text(st, 6, NULL), &pa, ctx);
        }
        db_done(st);
        if (s < 0) {
            return s;
        }
    }
    return 0;
}

int store_points_sim_list(struct db *db, size_t limit,
                          void (*fn)(const struct sim_point_row *r, void *ctx), void *ctx)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "SELECT p.mn, p.password, p.st, l.pollutant_code, l.value FROM (SELECT id,"
                        " mn, password, st, outlet_id FROM points WHERE status = 'active' ORDER"
                        " BY id LIMIT ?1) p LEFT JOIN emission_limits l ON l.outlet_id ="
                        " p.outlet_id AND l.status = 'active' ORDER BY p.id, l.pollutant_code,"
                        " l.value",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_int(st, 1, (int64_t)limit);
    int s;
    while ((s = db_step(st)) == DB_ROW) {
        struct sim_point_row r = {db_column_text(st, 0, NULL), db_column_text(st, 1, NULL),
                                  db_column_text(st, 2, NULL), db_column_text(st, 3, NULL),
                                  db_column_real(st, 4)};
        fn(&r, ctx);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

int store_hj212_message(struct db *db, const char *mn, const char *qn, const char *now,
                        bool *is_new)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO hj212_messages (mn, qn, received_at) VALUES (?1, ?2, ?3)"
                        " ON CONFLICT DO NOTHING",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, mn, (size_t)-1);
    db_bind_text(st, 2, qn, (size_t)-1);
    db_bind_text(st, 3, now, (size_t)-1);
    int s = db_step(st);
    db_done(st);
    *is_new = db_changes(db) > 0;
    return s < 0 ? s : 0;
}

/* Multi-row INSERTs: per row the row's placeholders then, for the kinds that take it, ?1 (the
   shared time), one statement per shape. The SQL of every shape is built once. */
enum { ROWS_READINGS, ROWS_FRAMES, ROWS_MESSAGES, ROWS_SEEN, ROW_KINDS };
static const struct {
    const char *head, *tail;
    int per_row;
    bool no_now; /* rows carry their own time: no ?1 */
} ROWS[ROW_KINDS] = {
    [ROWS_READINGS] = {.head = "INSERT INTO readings (point_id, cn, data_time, factor, kind, value,"
                               " flag, received_at) VALUES",
                       .tail = " ON CONFLICT (point_id, cn, data_time, factor, kind) DO UPDATE SET"
                               " value = excluded.value, flag = excluded.flag, received_at ="
                               " excluded.received_at, derived = 0 WHERE readings.derived = 1",
                       .per_row = 7},
    [ROWS_FRAMES] = {.head = "INSERT INTO hj212_frames (point_id, mn, raw, received_at) VALUES",
                     .tail = "",
                     .per_row = 3},
    [ROWS_MESSAGES] = {.head = "INSERT INTO hj212_messages (mn, qn, received_at) VALUES",
                       .tail = " ON CONFLICT DO NOTHING RETURNING mn, qn",
                       .per_row = 2},
    [ROWS_SEEN] = {.head = "INSERT INTO point_status (point_id, last_seen_at, last_data_time,"
                           " maintenance, live_values) VALUES",
                   .tail = " ON CONFLICT (point_id) DO UPDATE SET last_seen_at ="
                           " excluded.last_seen_at, last_data_time = CASE WHEN"
                           " excluded.last_data_time = '' THEN point_status.last_data_time ELSE"
                           " excluded.last_data_time END, maintenance = excluded.maintenance,"
                           " live_values = CASE WHEN excluded.live_values = '' THEN"
                           " point_status.live_values ELSE excluded.live_values END",
                   .per_row = 5,
                   .no_now = true},
};
static char *shape_sql[ROW_KINDS][SHAPES];
static pthread_once_t shapes_once = PTHREAD_ONCE_INIT;

static void build_shapes(void)
{
    for (int w = 0; w < ROW_KINDS; w++) {
        for (int e = 0; e < SHAPES; e++) {
            struct buf b;
            buf_init(&b, 0);
            buf_puts(&b, ROWS[w].head);
            int first = ROWS[w].no_now ? 1 : 2;
            for (int r = 0; r < 1 << e; r++) {
                buf_puts(&b, r ? ", (" : " (");
                for (int c = 0; c < ROWS[w].per_row; c++) {
                    buf_printf(&b, c ? ", ?%d" : "?%d", first + r * ROWS[w].per_row + c);
                }
                buf_puts(&b, ROWS[w].no_now ? ")" : ", ?1)");
            }
            buf_puts(&b, ROWS[w].tail);
            buf_putc(&b, 0);
            shape_sql[w][e] = buf_steal(&b, NULL);
        }
    }
}

/* The statement for the next rows of kind w: *k gets how many of the left ones it takes. */
static int multi_row(struct db *db, int w, size_t left, size_t *k, struct db_stmt **st)
{
    pthread_once(&shapes_once, build_shapes);
    return db_prepare(db, shape_sql[w][shape_for(left, k)], st);
}

/* Bind row i of rows at the parameters from b on. */
typedef void (*bind_row_fn)(struct db_stmt *st, int b, const void *rows, size_t i);

/* Insert n rows of kind w, up to 128 per statement (after ?1 = now, unless the kind has no
   ?1); each row a statement returns goes to on_row when given. */
static int insert_rows(struct db *db, int w, const void *rows, size_t n, const char *now,
                       bind_row_fn bind, void (*on_row)(struct db_stmt *st, void *ctx), void *ctx)
{
    for (size_t at = 0, k; at < n; at += k) {
        struct db_stmt *st;
        int rc = multi_row(db, w, n - at, &k, &st);
        if (rc) {
            return rc;
        }
        int first = ROWS[w].no_now ? 1 : 2;
        if (!ROWS[w].no_now) {
            db_bind_text(st, 1, now, (size_t)-1);
        }
        for (size_t r = 0; r < k; r++) {
            bind(st, first + (int)r * ROWS[w].per_row, rows, at + r);
        }
        int s;
        while ((s = db_step(st)) == DB_ROW) {
            if (on_row) {
                on_row(st, ctx);
            }
        }
        db_done(st);
        if (s < 0) {
            return s;
        }
    }
    return 0;
}

static void bind_reading(struct db_stmt *st, int b, const void *rows, size_t i)
{
    const struct reading_row *x = (const struct reading_row *)rows + i;
    db_bind_int(st, b, x->point_id);
    db_bind_text_kept(st, b + 1, x->cn, (size_t)-1);
    db_bind_text_kept(st, b + 2, x->data_time, (size_t)-1);
    db_bind_text_kept(st, b + 3, x->factor, (size_t)-1);
    db_bind_text_kept(st, b + 4, x->kind, (size_t)-1);
    if (x->has_value) {
        db_bind_real(st, b + 5, x->value);
    } else {
        db_bind_null(st, b + 5);
    }
    db_bind_text_kept(st, b + 6, x->flag, (size_t)-1);
}

int store_readings_put(struct db *db, const struct reading_row *rows, size_t n, const char *now)
{
    return insert_rows(db, ROWS_READINGS, rows, n, now, bind_reading, NULL, NULL);
}

static void bind_message(struct db_stmt *st, int b, const void *rows, size_t i)
{
    const struct message_key *x = (const struct message_key *)rows + i;
    db_bind_text_kept(st, b, x->mn, (size_t)-1);
    db_bind_text_kept(st, b + 1, x->qn, (size_t)-1);
}

struct fresh_fn {
    void (*fn)(const char *mn, const char *qn, void *ctx);
    void *ctx;
};

static void on_fresh_row(struct db_stmt *st, void *ctx)
{
    const struct fresh_fn *f = ctx;
    f->fn(db_column_text(st, 0, NULL), db_column_text(st, 1, NULL), f->ctx);
}

int store_hj212_messages_put(struct db *db, const struct message_key *keys, size_t n,
                             const char *now, void (*fn)(const char *mn, const char *qn, void *ctx),
                             void *ctx)
{
    struct fresh_fn f = {fn, ctx};
    return insert_rows(db, ROWS_MESSAGES, keys, n, now, bind_message, on_fresh_row, &f);
}

int store_pollutant_by_2005(struct db *db, const char *code_2005, char out[16])
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "SELECT code FROM pollutants WHERE code_2005 = ?1 AND code_2005 <> '' "
                        "ORDER BY code LIMIT 1",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, code_2005, (size_t)-1);
    int s = db_step(st);
    if (s == DB_ROW) {
        db_column_copy(st, 0, out, 16);
    }
    db_done(st);
    return s == DB_ROW ? 0 : (s < 0 ? s : ERR_NOTFOUND);
}

int store_quarantine_add(struct db *db, const char *mn, const char *pw, const char *reason,
                         const char *raw, const char *peer, const char *now)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO hj212_quarantine (mn, pw, reason, raw, peer, received_at)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        &st);
    if (rc) {
        return rc;
    }
    const char *v[] = {mn, pw, reason, raw, peer, now};
    for (int i = 0; i < 6; i++) {
        db_bind_text(st, i + 1, v[i], (size_t)-1);
    }
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : 0;
}

int store_deviation_add(struct db *db, const char *mn, const char *deviation, const char *now)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO hj212_deviations (mn, deviation, count, last_at) VALUES"
                        " (?1, ?2, 1, ?3) ON CONFLICT (mn, deviation) DO UPDATE SET"
                        " count = hj212_deviations.count + 1, last_at = ?3",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, mn, (size_t)-1);
    db_bind_text(st, 2, deviation, (size_t)-1);
    db_bind_text(st, 3, now, (size_t)-1);
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : 0;
}

static void bind_frame(struct db_stmt *st, int b, const void *rows, size_t i)
{
    const struct frame_row *x = (const struct frame_row *)rows + i;
    if (x->point_id) {
        db_bind_int(st, b, x->point_id);
    } else {
        db_bind_null(st, b);
    }
    db_bind_text_kept(st, b + 1, x->mn, (size_t)-1);
    db_bind_text_kept(st, b + 2, x->raw, (size_t)-1);
}

int store_frames_log(struct db *db, const struct frame_row *rows, size_t n, const char *now)
{
    return insert_rows(db, ROWS_FRAMES, rows, n, now, bind_frame, NULL, NULL);
}

static void bind_seen(struct db_stmt *st, int b, const void *rows, size_t i)
{
    const struct point_seen *x = (const struct point_seen *)rows + i;
    db_bind_int(st, b, x->point_id);
    db_bind_text_kept(st, b + 1, x->seen_at, (size_t)-1);
    db_bind_text_kept(st, b + 2, x->data_time, (size_t)-1);
    db_bind_int(st, b + 3, x->maintenance);
    db_bind_text_kept(st, b + 4, x->live_values ? x->live_values : "", (size_t)-1);
}

int store_points_seen(struct db *db, const struct point_seen *rows, size_t n)
{
    return insert_rows(db, ROWS_SEEN, rows, n, NULL, bind_seen, NULL, NULL);
}

int store_hj212_prune(struct db *db, const char *frames_before, const char *messages_before,
                      int64_t limit, bool *more)
{
    int rc = db_runf(db,
                     "DELETE FROM hj212_frames WHERE id IN (SELECT id FROM hj212_frames WHERE"
                     " received_at < ?1 ORDER BY received_at LIMIT ?2)",
                     "ti", frames_before, limit);
    int64_t frames = rc ? 0 : db_changes(db);
    if (!rc) {
        rc = db_runf(db,
                     "DELETE FROM hj212_messages WHERE (qn, mn) IN (SELECT qn, mn FROM"
                     " hj212_messages WHERE received_at < ?1 ORDER BY received_at LIMIT ?2)",
                     "ti", messages_before, limit);
    }
    *more = !rc && (frames == limit || db_changes(db) == limit);
    return rc;
}

int store_readings_list(struct db *db, int64_t point_id, const char *factor, const char *kind,
                        const char *cn, const char *from, const char *to, size_t limit,
                        struct buf *out)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "SELECT r.cn, r.data_time, r.factor, p.name AS factor_name, p.unit,"
                        " r.kind, r.value, r.flag, r.received_at FROM readings r LEFT JOIN"
                        " pollutants p ON p.code = r.factor WHERE r.point_id = ?1"
                        " AND (?2 IS NULL OR r.factor = ?2) AND (?3 IS NULL OR r.kind = ?3)"
                        " AND (?4 IS NULL OR r.cn = ?4) AND (?5 IS NULL OR r.data_time >= ?5)"
                        " AND (?6 IS NULL OR r.data_time < ?6)"
                        " ORDER BY r.data_time DESC, r.factor, r.kind LIMIT ?7",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_int(st, 1, point_id);
    db_bind_text(st, 2, factor, (size_t)-1);
    db_bind_text(st, 3, kind, (size_t)-1);
    db_bind_text(st, 4, cn, (size_t)-1);
    db_bind_text(st, 5, from, (size_t)-1);
    db_bind_text(st, 6, to, (size_t)-1);
    db_bind_int(st, 7, (int64_t)limit);
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, 0, out, NULL);
    buf_putc(out, '}');
    db_done(st);
    return rc;
}

static int list_simple(struct db *db, const char *sql, const char *text, int64_t num,
                       struct buf *out)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st);
    if (rc) {
        return rc;
    }
    if (text) {
        db_bind_text(st, 1, text, (size_t)-1);
    } else {
        db_bind_int(st, 1, num);
    }
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, 0, out, NULL);
    buf_putc(out, '}');
    db_done(st);
    return rc;
}

int store_quarantine_list(struct db *db, size_t limit, struct buf *out)
{
    return list_simple(db,
                       "SELECT id, mn, reason, peer, received_at, raw FROM hj212_quarantine"
                       " ORDER BY id DESC LIMIT ?1",
                       NULL, (int64_t)limit, out);
}

int store_deviations_list(struct db *db, const char *mn, struct buf *out)
{
    return list_simple(db,
                       "SELECT deviation, count, last_at FROM hj212_deviations WHERE mn = ?1"
                       " ORDER BY count DESC",
                       mn, 0, out);
}

int store_frames_list(struct db *db, int64_t point_id, size_t limit, struct buf *out)
{
    (void)limit;
    return list_simple(db,
                       "SELECT id, received_at, raw FROM hj212_frames WHERE point_id = ?1"
                       " ORDER BY id DESC LIMIT 500",
                       NULL, point_id, out);
}

/* ---- the 工作台's figures of online monitoring (GET /api/v1/dashboard), within a scope ---- */

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

static int monitoring_figures(struct db *db, const struct monitor_dashboard_query *dq,
                              struct buf *out)
{
    const char *texts[] = {dq->offline_before};
    struct store_scoped q;
    int64_t n[5] = {0}, online = 0, offline = 0, never = 0;
    int rc = store_scoped_open(db, dq->sc, POINT_STATUS_SQL, texts, 1, &q);
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
    store_scoped_done(&q);
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
static int alarms_open(struct db *db, const struct monitor_dashboard_query *dq, struct buf *out)
{
    struct store_scoped q;
    int rc =
        store_scoped_open(db, dq->sc,
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
        store_json_str_kv(out, "kind", db_column_text(q.st, 0, NULL));
        buf_printf(out, ",\"open\":%lld,\"unhandled\":%lld}", (long long)o, (long long)u);
        open += o;
        unhandled += u;
    }
    store_scoped_done(&q);
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

static int alarms_today(struct db *db, const struct monitor_dashboard_query *dq, struct buf *out)
{
    const char *texts[] = {dq->day_start};
    struct store_scoped q;
    /* By the enterprise's county (the first six digits of its region code). */
    int rc =
        store_scoped_open(db, dq->sc,
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
        store_json_str_kv(out, "region_code", db_column_text(q.st, 0, NULL));
        buf_putc(out, ',');
        if (db_column_type(q.st, 1) == DB_NULL) {
            buf_puts(out, "\"region_name\":null");
        } else {
            store_json_str_kv(out, "region_name", name);
        }
        buf_putc(out, ',');
        store_json_str_kv(out, "kind", kind);
        buf_printf(out, ",\"n\":%lld}", (long long)n);
        kind_add(kinds, &n_kinds, ARRAY_LEN(kinds), kind, n);
        total += n;
    }
    store_scoped_done(&q);
    qsort(kinds, n_kinds, sizeof *kinds, by_n_desc);
    buf_puts(out, "],\"by_kind\":[");
    for (size_t i = 0; i < n_kinds; i++) {
        buf_puts(out, i ? ",{" : "{");
        store_json_str_kv(out, "kind", kinds[i].kind);
        buf_printf(out, ",\"n\":%lld}", (long long)kinds[i].n);
    }
    buf_printf(out, "],\"total\":%lld,", (long long)total);
    store_json_str_kv(out, "since", dq->day_start);
    buf_putc(out, '}');
    return rc ? rc : s < 0 ? s : 0;
}

static int alarms_oldest(struct db *db, const struct monitor_dashboard_query *dq, struct buf *out)
{
    char lim[24];
    snprintf(lim, sizeof lim, "%zu", dq->oldest_limit ? dq->oldest_limit : 10);
    buf_puts(out, ",\"oldest_unhandled\":");
    return store_scoped_json(
        db, dq->sc,
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

int store_dashboard_monitor(struct db *db, const struct monitor_dashboard_query *dq,
                            struct buf *out)
{
    int rc = monitoring_figures(db, dq, out);
    rc = rc ? rc : alarms_open(db, dq, out);
    rc = rc ? rc : alarms_today(db, dq, out);
    rc = rc ? rc : alarms_oldest(db, dq, out);
    if (!rc) {
        buf_putc(out, '}');
    }
    return rc || !dq->quarantine ? rc : quarantine_figures(db, out);
}

/* The kinds of record the monitor module writes to the audit log (store.h struct audit_kind). */
const struct audit_kind monitor_audit_kinds[] = {
    {"notification", NULL, NULL}, /* read marks */
    {"webhook", "(SELECT name FROM org_units WHERE id = ?5)", NULL},
    {"alarm",
     "(SELECT e.name || ' · ' || p.name FROM alarms a JOIN points p ON p.id = a.point_id JOIN"
     " enterprises e ON e.id = a.enterprise_id WHERE a.id = ?5)",
     NULL},
    {"hj212_command",
     "(SELECT e.name || ' · ' || p.name FROM hj212_commands c JOIN points p ON p.id = c.point_id"
     " JOIN enterprises e ON e.id = p.enterprise_id WHERE c.id = ?5)",
     NULL},
    {0},
};
