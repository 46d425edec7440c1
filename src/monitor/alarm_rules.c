/*
** The alarm.handling thresholds per region for the watch (alarm_rules.h). Entries live in one
** array of fixed capacity so pointers to them stay valid until the epoch changes.
*/
#include "monitor/alarm_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/util.h"
#include "store/q_rules.h"

#define KIND "alarm.handling"
#define ENTRIES_MAX 4096

static struct {
    struct alarm_rules *v;
    size_t n;
    uint64_t epoch, gen;
    char stamp[64], day[11];
    struct alarm_rules fallback; /* the shipped default, when nothing is in force */
    bool have_fallback;
} C;

static void drop(void)
{
    C.n = 0;
    C.epoch++;
}

uint64_t alarm_rules_epoch(void)
{
    uint64_t g = rules_generation();
    if (g != C.gen) {
        C.gen = g;
        drop();
    }
    return C.epoch;
}

/* Thresholds from a body; what the schema requires is there, the defaults only guard. */
static void from_body(const json_t *body, struct alarm_rules *out)
{
    out->offline_ms = rules_int(body, "offline_after_s", 1800) * 1000;
    out->close_ms = rules_int(body, "close_after_normal_s", 1800) * 1000;
    out->stuck_count = rules_int(body, "stuck_count", 30);
    out->warn_pct = rules_int(body, "early_warning_pct", 100);
    snprintf(out->flags, sizeof out->flags, "%s", rules_string(body, "flags", "FMDCTB"));
}

bool alarm_rules_cached(const struct alarm_rules *r)
{
    return r != &C.fallback;
}

static const struct alarm_rules *fallback(void)
{
    if (!C.have_fallback) {
        json_t *body = rules_shipped_body(KIND);
        from_body(body, &C.fallback);
        json_decref(body);
        C.have_fallback = true;
    }
    return &C.fallback;
}

static void today(char out[11])
{
    date_cn(wall_ms() / 1000, out);
}

const struct alarm_rules *alarm_rules_for(struct db *db, const char *region)
{
    alarm_rules_epoch();
    for (size_t i = 0; i < C.n; i++) {
        if (!strcmp(C.v[i].region, region)) {
            return &C.v[i];
        }
    }
    if (!C.v) {
        C.v = xcalloc(ENTRIES_MAX, sizeof *C.v);
    }
    if (C.n == ENTRIES_MAX) {
        drop();
    }
    struct alarm_rules *e = &C.v[C.n];
    memset(e, 0, sizeof *e);
    char day[11];
    today(day);
    json_t *body = NULL;
    int rc = rules_resolve(db, KIND, region, day, &body, &e->ref);
    if (rc == ERR_NOTFOUND) {
        *e = *fallback();
    } else if (rc) {
        return fallback(); /* the batch fails on the database anyway; cache nothing */
    } else {
        from_body(body, e);
    }
    json_decref(body);
    snprintf(e->region, sizeof e->region, "%s", region);
    C.n++;
    return e;
}

int alarm_rules_of_id(struct db *db, int64_t id, struct alarm_rules *out)
{
    if (!id) {
        *out = *alarm_rules_for(db, "");
        return 0;
    }
    json_t *body = NULL;
    memset(out, 0, sizeof *out);
    int rc = rules_get(db, id, &body, &out->ref);
    if (rc == ERR_NOTFOUND) {
        *out = *fallback();
        return 0;
    }
    if (!rc) {
        from_body(body, out);
    }
    json_decref(body);
    return rc;
}

int alarm_rules_refresh(struct db *db)
{
    char stamp[64] = "", day[11];
    today(day);
    int rc = store_rule_stamp(db, KIND, stamp);
    if (!rc && (strcmp(stamp, C.stamp) || strcmp(day, C.day))) {
        snprintf(C.stamp, sizeof C.stamp, "%s", stamp);
        snprintf(C.day, sizeof C.day, "%s", day);
        drop();
    }
    return rc;
}

int alarm_rules_record(struct db *db, int64_t alarm_id, const char *region, const char *now)
{
    (void)now;
    const struct alarm_rules *r = alarm_rules_for(db, region);
    if (!r->ref.id) {
        return 0;
    }
    int rc = rules_mark_used(db, &r->ref);
    if (rc == ERR_CONFLICT) {
        /* Corrected or removed by another process since it was cached: judge by what is in
           force now from here on, and record that. */
        log_info("monitor: alarm.handling v%d changed since it was read; resolving again",
                 r->ref.version);
        drop();
        r = alarm_rules_for(db, region);
        rc = r->ref.id ? rules_mark_used(db, &r->ref) : 0;
    }
    if (!rc && r->ref.id) {
        rc = store_alarm_rule_set(db, alarm_id, r->ref.id);
    }
    return rc;
}

void alarm_rules_free(void)
{
    free(C.v);
    memset(&C, 0, sizeof C);
}
