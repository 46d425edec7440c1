/*
** The alarm.handling rule set (src/rules/) as the watch uses it: thresholds per region, resolved
** once per region and kept for the writer thread until the rule sets change — a write in this
** process (rules_generation), in another process sharing the database (a stamp read at each
** sweep) — or the day changes (effective dates). The hot path never queries. Not thread-safe:
** only the gateway's writer thread calls these.
*/
#ifndef ENVGOV_MONITOR_ALARM_RULES_H
#define ENVGOV_MONITOR_ALARM_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "rules/rules.h"

struct alarm_rules {
    struct rule_ref ref; /* ref.id 0: none in force, the shipped default applies */
    char region[8];
    int64_t offline_ms, close_ms, stuck_count, warn_pct;
    char flags[16];
};

/* Changes whenever the cached entries are dropped: a pointer from alarm_rules_for stays valid
   while this returns the same value. */
uint64_t alarm_rules_epoch(void);
/* The thresholds in force for region (a 6-digit code; "" = the national ones); resolves on the
   first use of a region in an epoch. Never NULL. */
const struct alarm_rules *alarm_rules_for(struct db *db, const char *region);
/* False for the shipped defaults alarm_rules_for gave after a database error (nothing was
   cached: the caller asks again next time). */
bool alarm_rules_cached(const struct alarm_rules *r);
/* The thresholds of version id (0: the national ones in force), for alarms it judged. */
int alarm_rules_of_id(struct db *db, int64_t id, struct alarm_rules *out);
/* At each sweep: drop the entries when another process wrote rule sets or the day changed. */
int alarm_rules_refresh(struct db *db);
/* An alarm opened under r: freeze the version (rules_mark_used) and record it on the alarm. A
   version corrected since it was cached is resolved again first. */
int alarm_rules_record(struct db *db, int64_t alarm_id, const char *region, const char *now);
void alarm_rules_free(void);

#endif
