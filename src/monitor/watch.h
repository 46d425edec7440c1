/*
** The watch: alarms, liveness and derived values, driven by the gateway's writer thread inside
** its batch transactions. Not thread-safe: only the writer thread calls these.
*/
#ifndef ENVGOV_MONITOR_WATCH_H
#define ENVGOV_MONITOR_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct point_auth; /* store/q_monitor.h */

struct watch_value {
    const char *cn, *data_time, *factor, *kind, *flag;
    bool has_value;
    double value;
    bool zs;     /* kind is a converted (Zs*) value */
    bool has_zs; /* the frame also carries the converted value of this factor and kind */
};

/* Load open alarms, liveness and limits (once; again after watch_reset). */
int watch_load(struct db *db);
void watch_reset(void);
/* Alarm states held in memory: the open alarms, and those opened since the last sweep. The
   table grows as needed, to some 3 million; past that the writer drops them all and reloads the
   open alarms. */
size_t watch_alarm_states(void);
void watch_free(void);
/* One stored value of an authenticated device: flags, stuck values, working condition,
   exceedance and early warning; marks minute/hour periods for derivation. */
int watch_value(struct db *db, const struct point_auth *pa, const struct watch_value *w,
                const char *now);
/* A frame arrived from the point (liveness; maintenance -1 = unchanged, 0/1). */
void watch_frame(const struct point_auth *pa, const char *data_time, int maintenance);
/* Alarms a frame's arrival ends: an open offline alarm closes (and is notified). */
int watch_frame_alarms(struct db *db, const struct point_auth *pa, const char *now);
/* The writer sent the point a command; answers are matched by QN only for such points. */
void watch_command_sent(int64_t point_id);
/* A command was sent within command_timeout_s (+60 s). */
bool watch_command_pending(int64_t point_id);
/* The point sent a frame to this process within the gateway's idle timeout, and not since to
   another process sharing the database. */
bool watch_online(int64_t point_id);
/* Heard recently by another envgov process sharing the database (as of the last sweep). */
bool watch_heard_elsewhere(int64_t point_id);
/* Periodic work (liveness flush every 2 s; every alarm_sweep_s or when forced: offline alarms,
   auto-close, hour/day derivation and judgement, command timeouts). */
int watch_tick(struct db *db, bool force);

#endif
