/*
** Named queries of monitoring's alarms (src/monitor/, and the alarm cases of src/cases/):
** liveness, alarms, notifications and webhook deliveries, derived values, device commands,
** the board and series, quarantine review. Row callbacks (db_row_fn) get the statement
** positioned on a row; columns as the function's SQL lists. SQL in q_alarm.c.
*/
#ifndef ENVGOV_STORE_Q_ALARM_H
#define ENVGOV_STORE_Q_ALARM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

/* Rows: point_id, last_seen_at, enterprise_id, last_data_time (active points that ever sent a
   frame). */
int store_point_status_each(struct db *db, db_row_fn row, void *ctx);
struct alarm_signal {
    int64_t point_id, enterprise_id;
    const char *kind, *factor, *data_time, *detail;
    bool has_value, has_limit;
    double value, limit;
};
/* Merge into the open alarm of (point, kind, factor) or open a new one (*opened). */
int store_alarm_trigger(struct db *db, const struct alarm_signal *a, const char *now, int64_t *id,
                        bool *opened);
/* Values are normal again: start the normal period of the open alarm (once). */
int store_alarm_normal(struct db *db, int64_t point_id, const char *kind, const char *factor,
                       const char *now);
/* The point's device was heard again: close its offline alarm at once (close_reason 'auto',
   normal_since now). Rows: id, point_id, enterprise_id, kind, factor of what closed (none when
   no offline alarm was open). */
int store_alarm_close_offline(struct db *db, int64_t point_id, const char *now, db_row_fn row,
                              void *ctx);
/* Rows: point_id, kind, factor, normal (0/1) of every alarm not closed. */
int store_alarm_open_each(struct db *db, db_row_fn row, void *ctx);
/* "acknowledged" (from open) or "closed" (from open/acknowledged) by a user; ERR_CONFLICT when
   the alarm is not in a state that allows it. */
int store_alarm_set_status(struct db *db, int64_t id, const char *status, int64_t user_id,
                           const char *note, const char *now);
/* An in-app notification about the alarm, and a pending delivery per matching webhook. */
int store_notify(struct db *db, int64_t alarm_id, const char *event, const char *label,
                 const char *now);
/* Aggregate a point's from_cn values in [start, end) into to_cn at start (derived rows; a
   device's own upload is never overwritten). */
int store_derive(struct db *db, int64_t point_id, const char *from_cn, const char *to_cn,
                 const char *start, const char *end, const char *now);
/* Rows: factor, kind, value, flag of a period's Avg/ZsAvg values. */
int store_period_values(struct db *db, int64_t point_id, const char *cn, const char *data_time,
                        db_row_fn row, void *ctx);
/* Rows: point_id, pollutant_code, basis, value of active limits of active points. */
int store_limits_each(struct db *db, db_row_fn row, void *ctx);
/* Rows: id, point_id, cn, params, mn, password, st, protocol of queued commands. */
int store_commands_queued(struct db *db, db_row_fn row, void *ctx);
int store_command_sent(struct db *db, int64_t id, const char *status, const char *qn,
                       const char *now);
/* A device's 9011/9012 or data answer to a command (matched by point and QN). */
int store_command_answer(struct db *db, int64_t point_id, const char *qn, const char *cn,
                         const char *rtn, const char *cp, const char *now, bool *matched);
int store_command_open(struct db *db, int64_t point_id, const char *qn, bool *open);
int store_commands_timeout(struct db *db, const char *before, const char *now);
/* Rows: d.id, url, secret, attempts, notification id, event, title, created_at, alarm id,
   kind, factor, status, value, limit_value, data_time, enterprise id, name, uscc, point id,
   name, mn. */
int store_deliveries_due(struct db *db, const char *now, size_t limit, db_row_fn row, void *ctx);
/* Rows: id, name, mn, enterprise_id, enterprise name, region_code, region name, outlet code,
   outlet kind, last_seen_at, last_data_time, maintenance, open alarms (not offline), open
   offline alarms, protocol, then the open alarms of each kind: exceed, early_warning, flag,
   stuck, condition, then live_values (JSON array or "") — every active point, or only
   point_id when it is not 0. */
int store_board_each(struct db *db, int64_t point_id, db_row_fn row, void *ctx);
/* Rows: code, name, unit of every pollutant some active limit is on (the factors of the
   board's live values). */
int store_board_factors(struct db *db, db_row_fn row, void *ctx);
/* "items" (bucketed avg/min/max), "flags" (abnormal values) and "limits" members. */
int store_series(struct db *db, int64_t point_id, const char *cn, const char *factor,
                 const char *kind, const char *from, const char *to, int buckets, struct buf *out);
/* {"items": factors seen since, "latest": the last real-time values with limits}. */
int store_point_factors(struct db *db, int64_t point_id, const char *since, struct buf *out);
/* Rows: enterprise_id, region_code, kind, status, count of alarms open or opened since. */
int store_alarm_counts_each(struct db *db, const char *since, db_row_fn row, void *ctx);
int store_command_insert(struct db *db, int64_t point_id, const char *cn, const char *params,
                         int64_t user_id, const char *now, int64_t *id);
int store_notification_last_read(struct db *db, int64_t user_id, int64_t *last);
int store_notification_mark_read(struct db *db, int64_t user_id, int64_t up_to);
/* The org unit's webhook as JSON (secret shown only as has_secret); ERR_NOTFOUND. */
int store_webhook_json(struct db *db, int64_t unit, struct buf *out);
/* Upsert; a NULL secret keeps the stored one. */
int store_webhook_set(struct db *db, int64_t unit, const char *url, const char *secret,
                      bool enabled, const char *now);
int store_quarantine_summary(struct db *db, struct buf *out);
/* Rows: id, pw, raw of an MN's quarantined frames, oldest first. */
int store_quarantine_of_mn(struct db *db, const char *mn, db_row_fn row, void *ctx);
int store_quarantine_delete(struct db *db, int64_t id);
/* Move a delivery's next_at ahead while this process sends it. */
int store_delivery_lease(struct db *db, int64_t id, const char *until);
int store_delivery_result(struct db *db, int64_t id, const char *status, int code,
                          const char *error, const char *next_at, const char *now);

#endif
