/*
** Named queries of the HJ 212 ingest path (src/monitor/: gateway, watch, simulator, API
** lists): device authentication by MN, message de-duplication, readings, quarantine and
** deviations, raw frames, the points' liveness rows, pruning. SQL in q_monitor.c; alarms,
** commands and deliveries are in q_alarm.h.
*/
#ifndef ENVGOV_STORE_Q_MONITOR_H
#define ENVGOV_STORE_Q_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

struct point_auth {
    int64_t point_id, enterprise_id;
    char password[16], protocol[8], status[16], st[8];
};
/* The registered point with this MN (ERR_NOTFOUND). */
int store_point_by_mn(struct db *db, const char *mn, struct point_auth *out);
/* The registered points among n MNs, up to 128 per statement: fn for each one found. */
int store_points_by_mns(struct db *db, const char *const *mns, size_t n,
                        void (*fn)(const char *mn, const struct point_auth *pa, void *ctx),
                        void *ctx);
/* Up to limit active points in id order, for the simulator: fn once per limit of the point's
   outlet (active ones; code "" and value 0 when it has none), a point's rows one after the
   other. */
struct sim_point_row {
    const char *mn, *pw, *st, *code; /* st: the point's system code (32 water, 31 air, ...) */
    double value;
};
int store_points_sim_list(struct db *db, size_t limit,
                          void (*fn)(const struct sim_point_row *r, void *ctx), void *ctx);
/* Record (mn, qn); *is_new is false when the message was already stored (a retry). */
int store_hj212_message(struct db *db, const char *mn, const char *qn, const char *now,
                        bool *is_new);
/* Record many (mn, qn), unique among themselves, one INSERT per up to 128; fn gets each that
   was not stored before. */
struct message_key {
    const char *mn, *qn;
};
int store_hj212_messages_put(struct db *db, const struct message_key *keys, size_t n,
                             const char *now, void (*fn)(const char *mn, const char *qn, void *ctx),
                             void *ctx);
/* Readings, many frames' worth: one INSERT per up to 128 rows. Rows must be unique by (point,
   cn, data_time, factor, kind) among themselves (PostgreSQL refuses one statement touching a
   row twice); a repeat of a stored row is ignored unless the stored value was derived. */
struct reading_row {
    int64_t point_id;
    char cn[8], data_time[20], factor[16], kind[8], flag[8];
    bool has_value;
    double value;
};
int store_readings_put(struct db *db, const struct reading_row *rows, size_t n, const char *now);
/* The 2017 code for a 2005 factor code (Appendix B mapping); ERR_NOTFOUND. */
int store_pollutant_by_2005(struct db *db, const char *code_2005, char out[16]);
int store_quarantine_add(struct db *db, const char *mn, const char *pw, const char *reason,
                         const char *raw, const char *peer, const char *now);
int store_deviation_add(struct db *db, const char *mn, const char *deviation, const char *now);
/* Raw frames of authenticated devices (point_id 0: none), one INSERT per up to 128. */
struct frame_row {
    int64_t point_id;
    const char *mn, *raw;
};
int store_frames_log(struct db *db, const struct frame_row *rows, size_t n, const char *now);
/* Liveness of points: last frame time (UTC ISO), last data time ("" keeps the stored one),
   maintenance, the board's live values ("" keeps them); upserted up to 128 per statement
   (q_monitor.c, with the other many-row writes). */
struct point_seen {
    int64_t point_id;
    char seen_at[32];
    const char *data_time;
    bool maintenance;
    const char *live_values; /* JSON array for the board; NULL or "" leaves the stored one */
};
int store_points_seen(struct db *db, const struct point_seen *rows, size_t n);
/* Delete the oldest raw frames received before frames_before and de-duplication keys (MN, QN)
   received before messages_before, at most limit of each, so that one call stays short however
   much has piled up; *more is set when either kind hit the limit. */
int store_hj212_prune(struct db *db, const char *frames_before, const char *messages_before,
                      int64_t limit, bool *more);
/* Readings of a point as {"items":[...]} (newest first), filtered when args are non-NULL. */
int store_readings_list(struct db *db, int64_t point_id, const char *factor, const char *kind,
                        const char *cn, const char *from, const char *to, size_t limit,
                        struct buf *out);
int store_quarantine_list(struct db *db, size_t limit, struct buf *out);
int store_deviations_list(struct db *db, const char *mn, struct buf *out);
int store_frames_list(struct db *db, int64_t point_id, size_t limit, struct buf *out);

/* The kinds of record the monitor module writes to the audit log (store.h struct audit_kind). */
extern const struct audit_kind monitor_audit_kinds[];

/* Online monitoring's figures on the 工作台 within sc, as members of the answer's object (each
   after a comma): monitoring (points by live status, by the board's rule), alarms (open and
   unhandled by kind, opened today by kind and county, the oldest unhandled) and, when asked,
   quarantine (not region-scoped). */
struct monitor_dashboard_query {
    const struct scope *sc;
    const char *day_start;      /* today's China midnight as UTC ISO: alarms opened today */
    const char *offline_before; /* UTC ISO: no frame since → offline (the board's rule) */
    size_t oldest_limit;        /* oldest unhandled alarms listed (0 = 10) */
    bool quarantine;            /* add the quarantined devices */
};
int store_dashboard_monitor(struct db *db, const struct monitor_dashboard_query *dq,
                            struct buf *out);

#endif
