/*
** Named queries of what follows the readings: point liveness, alarms (trigger/merge, normal,
** auto-close), notifications and their webhook deliveries, hour/day values derived from
** minute data, limits for the gateway's cache, and platform-initiated HJ 212 commands.
*/
#include "store/q_alarm.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/backend.h"

/* ---------------- liveness ---------------- */

int store_point_status_each(struct db *db, void (*row)(struct db_stmt *st, void *ctx), void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT s.point_id, s.last_seen_at, p.enterprise_id, s.last_data_time"
                       " FROM point_status s"
                       " JOIN points p ON p.id = s.point_id WHERE p.status = 'active'",
                       "");
    return rc ? rc : db_each(st, row, ctx);
}

/* ---------------- alarms ---------------- */

int store_alarm_trigger(struct db *db, const struct alarm_signal *a, const char *now, int64_t *id,
                        bool *opened)
{
    struct db_stmt *st;
    *opened = false;
    int rc = db_queryf(db, &st,
                       "UPDATE alarms SET last_at = ?4, count = count + 1, data_time = ?5,"
                       " value = ?6, limit_value = ?7, detail = ?8, normal_since = NULL"
                       " WHERE point_id = ?1 AND kind = ?2 AND factor = ?3 AND status <> 'closed'"
                       " RETURNING id",
                       "itttt", a->point_id, a->kind, a->factor, now, a->data_time);
    if (rc) {
        return rc;
    }
    a->has_value ? db_bind_real(st, 6, a->value) : db_bind_null(st, 6);
    a->has_limit ? db_bind_real(st, 7, a->limit) : db_bind_null(st, 7);
    db_bind_text(st, 8, a->detail ? a->detail : "", (size_t)-1);
    *id = 0;
    rc = db_step_id(st, id);
    if (rc || *id) {
        return rc;
    }
    rc = db_queryf(db, &st,
                   "INSERT INTO alarms (point_id, enterprise_id, kind, factor, first_at, last_at,"
                   " data_time, value, limit_value, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6,"
                   " ?7, ?8, ?9) RETURNING id",
                   "iittttnnt", a->point_id, a->enterprise_id, a->kind, a->factor, now,
                   a->data_time, a->detail ? a->detail : "");
    if (rc) {
        return rc;
    }
    if (a->has_value) {
        db_bind_real(st, 7, a->value);
    }
    if (a->has_limit) {
        db_bind_real(st, 8, a->limit);
    }
    rc = db_step_id(st, id);
    *opened = !rc && *id;
    return rc;
}

int store_alarm_normal(struct db *db, int64_t point_id, const char *kind, const char *factor,
                       const char *now)
{
    return db_runf(db,
                   "UPDATE alarms SET normal_since = ?4 WHERE point_id = ?1 AND kind = ?2 AND"
                   " factor = ?3 AND status <> 'closed' AND normal_since IS NULL",
                   "itt"
                   "t",
                   point_id, kind, factor, now);
}

int store_alarm_close_offline(struct db *db, int64_t point_id, const char *now,
                              void (*row)(struct db_stmt *st, void *ctx), void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "UPDATE alarms SET status = 'closed', closed_at = ?2, close_reason = 'auto',"
                       " normal_since = COALESCE(normal_since, ?2) WHERE point_id = ?1 AND kind ="
                       " 'offline' AND status <> 'closed' RETURNING id, point_id, enterprise_id,"
                       " kind, factor",
                       "it", point_id, now);
    return rc ? rc : db_each(st, row, ctx);
}

int store_alarm_open_each(struct db *db, void (*row)(struct db_stmt *st, void *ctx), void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT point_id, kind, factor, normal_since IS NOT NULL FROM alarms"
                       " WHERE status <> 'closed'",
                       "");
    return rc ? rc : db_each(st, row, ctx);
}

int store_alarm_set_status(struct db *db, int64_t id, const char *status, int64_t user_id,
                           const char *note, const char *now)
{
    int rc;
    if (!strcmp(status, "acknowledged")) {
        rc = db_runf(db,
                     "UPDATE alarms SET status = 'acknowledged', ack_by = ?2, ack_at = ?3,"
                     " ack_note = ?4 WHERE id = ?1 AND status = 'open'",
                     "iitt", id, user_id, now, note);
    } else {
        rc = db_runf(db,
                     "UPDATE alarms SET status = 'closed', closed_by = ?2, closed_at = ?3,"
                     " close_reason = ?4 WHERE id = ?1 AND status <> 'closed'",
                     "iitt", id, user_id, now, note);
    }
    return rc ? rc : (db_changes(db) ? 0 : ERR_CONFLICT);
}

int store_notify(struct db *db, int64_t alarm_id, const char *event, const char *label,
                 const char *now)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO notifications (alarm_id, enterprise_id, event, title,"
                       " created_at) SELECT a.id, a.enterprise_id, ?2, e.name || ' · ' || p.name"
                       " || ' · ' || ?3 || COALESCE(' ' || (SELECT name FROM pollutants WHERE"
                       " code = a.factor), CASE WHEN a.factor = '' THEN '' ELSE ' ' || a.factor"
                       " END), ?4 FROM alarms a JOIN points p ON p.id = a.point_id JOIN"
                       " enterprises e ON e.id = a.enterprise_id WHERE a.id = ?1 RETURNING id",
                       "ittt", alarm_id, event, label, now);
    if (rc) {
        return rc;
    }
    int64_t nid;
    rc = db_step_id(st, &nid);
    if (rc || !nid) {
        return rc;
    }
    /* Every enabled webhook of an org unit whose regions cover the enterprise's region. */
#define COVERS SQL_REGION_PREFIX("r.region_code")
    static const char sql[] =
        "INSERT INTO webhook_deliveries (org_unit_id, notification_id, url, next_at, created_at)"
        " SELECT w.org_unit_id, ?1, w.url, ?2, ?2 FROM webhooks w WHERE w.enabled = 1 AND EXISTS"
        " (SELECT 1 FROM org_unit_regions r, notifications n JOIN enterprises e ON e.id ="
        " n.enterprise_id WHERE n.id = ?1 AND r.org_unit_id = w.org_unit_id AND"
        " substr(e.region_code, 1, length(" COVERS ")) = " COVERS ")";
#undef COVERS
    return db_runf(db, sql, "it", nid, now);
}

/* ---------------- derived hour and day values ---------------- */

/* Flag of an aggregate: wastewater, any abnormal value marks the period; flue gas, at least
   75 % normal values keep it N (HJ 212 practice). */
#define AGG_FLAG                                                                                   \
    " CASE WHEN SUM(CASE WHEN flag IN ('N', '') THEN 0 ELSE 1 END) = 0 THEN 'N' WHEN factor LIKE"  \
    " 'a%' AND SUM(CASE WHEN flag IN ('N', '') THEN 1 ELSE 0 END) * 4 >= COUNT(*) * 3 THEN 'N'"    \
    " ELSE MAX(CASE WHEN flag IN ('N', '') THEN '' ELSE flag END) END"

int store_derive(struct db *db, int64_t point_id, const char *from_cn, const char *to_cn,
                 const char *start, const char *end, const char *now)
{
    return db_runf(db,
                   "INSERT INTO readings (point_id, cn, data_time, factor, kind, value, flag,"
                   " received_at, derived) SELECT ?1, ?3, ?4, factor, kind, CASE WHEN kind IN"
                   " ('Min', 'ZsMin') THEN MIN(value) WHEN kind IN ('Max', 'ZsMax') THEN"
                   " MAX(value) WHEN kind = 'Cou' THEN SUM(value) ELSE AVG(value) END," AGG_FLAG
                   ", ?6, 1 FROM readings WHERE point_id = ?1 AND cn = ?2 AND data_time >= ?4 AND"
                   " data_time < ?5 AND kind IN ('Avg', 'Min', 'Max', 'Cou', 'ZsAvg', 'ZsMin',"
                   " 'ZsMax') AND value IS NOT NULL GROUP BY factor, kind ON CONFLICT (point_id,"
                   " cn, data_time, factor, kind) DO UPDATE SET value = excluded.value, flag ="
                   " excluded.flag, received_at = excluded.received_at WHERE readings.derived = 1",
                   "itttt"
                   "t",
                   point_id, from_cn, to_cn, start, end, now);
}

int store_period_values(struct db *db, int64_t point_id, const char *cn, const char *data_time,
                        void (*row)(struct db_stmt *st, void *ctx), void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT factor, kind, value, flag FROM readings WHERE point_id = ?1 AND"
                       " cn = ?2 AND data_time = ?3 AND kind IN ('Avg', 'ZsAvg') AND value IS NOT"
                       " NULL",
                       "itt", point_id, cn, data_time);
    return rc ? rc : db_each(st, row, ctx);
}

int store_limits_each(struct db *db, void (*row)(struct db_stmt *st, void *ctx), void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT p.id, l.pollutant_code, l.basis, l.value FROM points p JOIN"
                       " emission_limits l ON l.outlet_id = p.outlet_id WHERE l.status = 'active'"
                       " AND p.status = 'active' ORDER BY p.id",
                       "");
    return rc ? rc : db_each(st, row, ctx);
}

/* ---------------- commands ---------------- */

int store_commands_queued(struct db *db, void (*row)(struct db_stmt *st, void *ctx), void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT c.id, c.point_id, c.cn, c.params, p.mn, p.password, p.st,"
                       " p.protocol, c.created_at FROM hj212_commands c JOIN points p ON p.id ="
                       " c.point_id"
                       " WHERE c.status = 'queued' ORDER BY c.id LIMIT 200",
                       "");
    return rc ? rc : db_each(st, row, ctx);
}

int store_command_sent(struct db *db, int64_t id, const char *status, const char *qn,
                       const char *now)
{
    return db_runf(db,
                   "UPDATE hj212_commands SET status = ?2, qn = ?3, sent_at = ?4 WHERE id = ?1"
                   " AND status = 'queued'",
                   "itt"
                   "t",
                   id, status, qn, now);
}

int store_command_answer(struct db *db, int64_t point_id, const char *qn, const char *cn,
                         const char *rtn, const char *cp, const char *now, bool *matched)
{
    int rc;
    if (!strcmp(cn, "9011")) {
        rc = db_runf(db,
                     "UPDATE hj212_commands SET status = CASE WHEN ?3 = '1' THEN 'accepted'"
                     " ELSE 'refused' END, qn_rtn = ?3, answered_at = ?4 WHERE point_id = ?1"
                     " AND qn = ?2 AND status IN ('sent', 'accepted')",
                     "itt"
                     "t",
                     point_id, qn, rtn, now);
    } else if (!strcmp(cn, "9012")) {
        rc = db_runf(db,
                     "UPDATE hj212_commands SET status = CASE WHEN ?3 = '1' THEN 'done' ELSE"
                     " 'failed' END, exe_rtn = ?3, answered_at = ?4 WHERE point_id = ?1 AND"
                     " qn = ?2 AND status IN ('sent', 'accepted')",
                     "itt"
                     "t",
                     point_id, qn, rtn, now);
    } else {
        /* A data answer (1011 SystemTime, 1061 RtdInterval, history frames): keep its CP. */
        rc = db_runf(db,
                     "UPDATE hj212_commands SET result = substr(CASE WHEN result = '' THEN ''"
                     " ELSE result || '\n' END || ?3 || ': ' || ?4, 1, 4000), answered_at ="
                     " ?5 WHERE point_id = ?1 AND qn = ?2 AND status IN ('sent', 'accepted')",
                     "ittt"
                     "t",
                     point_id, qn, cn, cp, now);
    }
    *matched = !rc && db_changes(db) > 0;
    return rc;
}

int store_command_open(struct db *db, int64_t point_id, const char *qn, bool *open)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT 1 FROM hj212_commands WHERE point_id = ?1 AND qn = ?2 AND status IN"
                       " ('sent', 'accepted')",
                       "it", point_id, qn);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    db_done(st);
    *open = s == DB_ROW;
    return s < 0 ? s : 0;
}

int store_commands_timeout(struct db *db, const char *before, const char *now)
{
    (void)now;
    return db_runf(db,
                   "UPDATE hj212_commands SET status = 'timeout' WHERE status IN ('sent',"
                   " 'accepted') AND sent_at < ?1",
                   "t", before);
}

/* ---------------- webhook deliveries ---------------- */

int store_deliveries_due(struct db *db, const char *now, size_t limit,
                         void (*row)(struct db_stmt *st, void *ctx), void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT d.id, d.url, w.secret, d.attempts, n.id, n.event, n.title,"
                       " n.created_at, a.id, a.kind, a.factor, a.status, a.value, a.limit_value,"
                       " a.data_time, e.id, e.name, e.uscc, p.id, p.name, p.mn FROM"
                       " webhook_deliveries d JOIN notifications n ON n.id = d.notification_id"
                       " JOIN webhooks w ON w.org_unit_id = d.org_unit_id JOIN enterprises e ON"
                       " e.id = n.enterprise_id LEFT JOIN alarms a ON a.id = n.alarm_id LEFT JOIN"
                       " points p ON p.id = a.point_id WHERE d.status = 'pending' AND d.next_at"
                       " <= ?1 ORDER BY d.next_at, d.id LIMIT ?2",
                       "ti", now, (int64_t)limit);
    return rc ? rc : db_each(st, row, ctx);
}

int store_delivery_result(struct db *db, int64_t id, const char *status, int code,
                          const char *error, const char *next_at, const char *now)
{
    return db_runf(db,
                   "UPDATE webhook_deliveries SET status = ?2, attempts = attempts + 1,"
                   " last_code = ?3, last_error = ?4, next_at = COALESCE(?5, next_at), done_at ="
                   " CASE WHEN ?2 = 'pending' THEN NULL ELSE ?6 END WHERE id = ?1",
                   "itittt", id, status, (int64_t)code, error, next_at, now);
}

/* ---------------- board and charts ---------------- */

int store_board_each(struct db *db, int64_t point_id, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    /* The open alarms by point and kind in one pass over the partial index of open alarms
       (a correlated count per kind and row cost 5,000 points six lookups each). */
    int rc = db_queryf(
        db, &st,
        "SELECT p.id, p.name, p.mn, p.enterprise_id, e.name, e.region_code, (SELECT name FROM"
        " regions WHERE code = e.region_code), o.code, o.kind, COALESCE(s.last_seen_at, ''),"
        " COALESCE(s.last_data_time, ''), COALESCE(s.maintenance, 0), COALESCE(a.n - a.offline,"
        " 0), COALESCE(a.offline, 0), p.protocol, COALESCE(a.exceed, 0),"
        " COALESCE(a.early_warning, 0), COALESCE(a.flag, 0), COALESCE(a.stuck, 0),"
        " COALESCE(a.cond, 0), COALESCE(s.live_values, '') FROM points p JOIN enterprises e ON "
        "e.id = p.enterprise_id LEFT"
        " JOIN outlets o ON o.id = p.outlet_id LEFT JOIN point_status s ON s.point_id = p.id"
        " LEFT JOIN (SELECT point_id, COUNT(*) AS n, SUM(CASE WHEN kind = 'offline' THEN 1 ELSE"
        " 0 END) AS offline, SUM(CASE WHEN kind = 'exceed' THEN 1 ELSE 0 END) AS exceed,"
        " SUM(CASE WHEN kind = 'early_warning' THEN 1 ELSE 0 END) AS early_warning, SUM(CASE"
        " WHEN kind = 'flag' THEN 1 ELSE 0 END) AS flag, SUM(CASE WHEN kind = 'stuck' THEN 1"
        " ELSE 0 END) AS stuck, SUM(CASE WHEN kind = 'condition' THEN 1 ELSE 0 END) AS cond"
        " FROM alarms WHERE status <> 'closed' AND (?1 = 0 OR point_id = ?1) GROUP BY point_id) a"
        " ON a.point_id = p.id WHERE p.status = 'active' AND (?1 = 0 OR p.id = ?1) ORDER BY"
        " e.region_code, e.name COLLATE zh, p.name COLLATE zh",
        "i", point_id);
    return rc ? rc : db_each(st, row, ctx);
}

int store_board_factors(struct db *db, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT code, name, unit FROM pollutants WHERE code IN (SELECT"
                       " pollutant_code FROM emission_limits WHERE status = 'active') ORDER BY"
                       " code LIMIT 200",
                       "");
    return rc ? rc : db_each(st, row, ctx);
}

int store_series(struct db *db, int64_t point_id, const char *cn, const char *factor,
                 const char *kind, const char *from, const char *to, int buckets, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "WITH r AS (SELECT data_time, value FROM readings WHERE point_id = ?1 AND"
                       " cn = ?2 AND factor = ?3 AND kind = ?4 AND data_time >= ?5 AND data_time"
                       " < ?6 AND value IS NOT NULL), e AS (SELECT MIN(epoch_s(data_time))"
                       " AS lo, MAX(epoch_s(data_time)) AS hi FROM r) SELECT"
                       " MIN(data_time) AS t, AVG(value) AS avg, MIN(value) AS min, MAX(value) AS"
                       " max, COUNT(*) AS n FROM r, e GROUP BY CAST((epoch_s(data_time) -"
                       " e.lo) * ?7 / (e.hi - e.lo + 1) AS INTEGER) ORDER BY t",
                       "ittttti", point_id, cn, factor, kind, from, to, (int64_t)buckets);
    if (rc) {
        return rc;
    }
    buf_puts(out, "\"items\":");
    rc = db_rows_json(st, 1, 0, out, NULL);
    db_done(st);
    if (rc) {
        return rc;
    }
    rc = db_queryf(db, &st,
                   "SELECT data_time AS t, value, flag FROM readings WHERE point_id = ?1 AND cn ="
                   " ?2 AND factor = ?3 AND kind = ?4 AND data_time >= ?5 AND data_time < ?6 AND"
                   " flag NOT IN ('N', '') ORDER BY data_time LIMIT 500",
                   "itttt"
                   "t",
                   point_id, cn, factor, kind, from, to);
    if (rc) {
        return rc;
    }
    buf_puts(out, ",\"flags\":");
    rc = db_rows_json(st, 1, 0, out, NULL);
    db_done(st);
    if (rc) {
        return rc;
    }
    rc = db_queryf(db, &st,
                   "SELECT l.basis, l.value, l.unit, l.standard FROM emission_limits l JOIN points"
                   " p ON p.outlet_id = l.outlet_id WHERE p.id = ?1 AND l.pollutant_code = ?2 AND"
                   " l.status = 'active' ORDER BY l.basis",
                   "it", point_id, factor);
    if (rc) {
        return rc;
    }
    buf_puts(out, ",\"limits\":");
    rc = db_rows_json(st, 1, 0, out, NULL);
    db_done(st);
    return rc;
}

int store_point_factors(struct db *db, int64_t point_id, const char *since, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "SELECT r.factor, p.name, p.unit, r.cn, r.kind, COUNT(*) AS n, MAX(r.data_time) AS last"
        " FROM readings r LEFT JOIN pollutants p ON p.code = r.factor WHERE r.point_id = ?1 AND"
        " r.data_time >= ?2 GROUP BY r.factor, p.name, p.unit, r.cn, r.kind ORDER BY r.factor,"
        " r.cn, r.kind",
        "it", point_id, since);
    if (rc) {
        return rc;
    }
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, 0, out, NULL);
    db_done(st);
    if (rc) {
        return rc;
    }
    /* The latest real-time values with their limits, for the point's current-value table. */
    rc = db_queryf(
        db, &st,
        "SELECT r.factor, p.name, p.unit, r.kind, r.value, r.flag, r.data_time, (SELECT value"
        " FROM emission_limits l JOIN points q ON q.outlet_id = l.outlet_id WHERE q.id ="
        " r.point_id AND l.pollutant_code = r.factor AND l.status = 'active' ORDER BY l.basis ="
        " 'hour' DESC LIMIT 1) AS limit_value FROM readings r LEFT JOIN pollutants p ON p.code ="
        " r.factor WHERE r.point_id = ?1 AND r.cn = '2011' AND r.data_time = (SELECT"
        " MAX(data_time) FROM readings WHERE point_id = ?1 AND cn = '2011') ORDER BY r.factor,"
        " r.kind",
        "i", point_id);
    if (rc) {
        return rc;
    }
    buf_puts(out, ",\"latest\":");
    rc = db_rows_json(st, 1, 0, out, NULL);
    buf_putc(out, '}');
    db_done(st);
    return rc;
}

int store_alarm_counts_each(struct db *db, const char *since, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT a.enterprise_id, e.region_code, a.kind, a.status, COUNT(*) FROM"
                       " alarms a JOIN enterprises e ON e.id = a.enterprise_id WHERE a.status <>"
                       " 'closed' OR a.first_at >= ?1 GROUP BY a.enterprise_id, e.region_code,"
                       " a.kind, a.status",
                       "t", since);
    return rc ? rc : db_each(st, row, ctx);
}

int store_command_insert(struct db *db, int64_t point_id, const char *cn, const char *params,
                         int64_t user_id, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO hj212_commands (point_id, cn, qn, params, created_by,"
                       " created_at) VALUES (?1, ?2, '', ?3, ?4, ?5) RETURNING id",
                       "ittit", point_id, cn, params, user_id, now);
    if (rc) {
        return rc;
    }
    return db_step_id(st, id);
}

int store_notification_last_read(struct db *db, int64_t user_id, int64_t *last)
{
    struct db_stmt *st;
    *last = 0; /* also when the query fails */
    int rc = db_queryf(db, &st, "SELECT last_read_id FROM notification_reads WHERE user_id = ?1",
                       "i", user_id);
    return rc ? rc : db_step_id(st, last);
}

int store_notification_mark_read(struct db *db, int64_t user_id, int64_t up_to)
{
    return db_runf(db,
                   "INSERT INTO notification_reads (user_id, last_read_id) VALUES (?1, ?2)"
                   " ON CONFLICT (user_id) DO UPDATE SET last_read_id = CASE WHEN"
                   " notification_reads.last_read_id > ?2 THEN notification_reads.last_read_id"
                   " ELSE ?2 END",
                   "ii", user_id, up_to);
}

int store_webhook_json(struct db *db, int64_t unit, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT org_unit_id, url, secret <> '' AS has_secret, enabled, updated_at"
                       " FROM webhooks WHERE org_unit_id = ?1",
                       "i", unit);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_row_json(st, out);
    }
    db_done(st);
    return s == DB_ROW ? 0 : s < 0 ? s : ERR_NOTFOUND;
}

int store_webhook_set(struct db *db, int64_t unit, const char *url, const char *secret,
                      bool enabled, const char *now)
{
    /* A missing secret keeps the stored one. */
    return db_runf(db,
                   "INSERT INTO webhooks (org_unit_id, url, secret, enabled, updated_at) VALUES"
                   " (?1, ?2, COALESCE(?3, ''), ?4, ?5) ON CONFLICT (org_unit_id) DO UPDATE SET"
                   " url = excluded.url, secret = COALESCE(?3, webhooks.secret), enabled ="
                   " excluded.enabled, updated_at = excluded.updated_at",
                   "ittit", unit, url, secret, (int64_t)enabled, now);
}

int store_quarantine_summary(struct db *db, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT q.mn, COUNT(*) AS frames, MIN(q.received_at) AS first_at,"
                       " MAX(q.received_at) AS last_at, MAX(q.reason) AS reason, MAX(q.pw) AS pw,"
                       " (SELECT id FROM points WHERE mn = q.mn) AS point_id FROM hj212_quarantine"
                       " q GROUP BY q.mn ORDER BY MAX(q.id) DESC LIMIT 500",
                       "");
    if (rc) {
        return rc;
    }
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, 0, out, NULL);
    buf_putc(out, '}');
    db_done(st);
    return rc;
}

int store_quarantine_of_mn(struct db *db, const char *mn, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, pw, raw FROM hj212_quarantine WHERE mn = ?1 ORDER BY id LIMIT"
                       " 100000",
                       "t", mn);
    return rc ? rc : db_each(st, row, ctx);
}

int store_quarantine_delete(struct db *db, int64_t id)
{
    return db_runf(db, "DELETE FROM hj212_quarantine WHERE id = ?1", "i", id);
}

int store_delivery_lease(struct db *db, int64_t id, const char *until)
{
    return db_runf(db, "UPDATE webhook_deliveries SET next_at = ?2 WHERE id = ?1", "it", id, until);
}
