/*
** The watch: alarms and liveness, run by the gateway's writer thread inside its batch
** transactions (so an alarm and the data that raised it commit together). Per value it checks
** the outlet's limits (hourly/daily averages against their basis, real-time values as early
** warning), abnormal data flags, stuck values and working-condition anomalies; per sweep it
** raises offline alarms, closes alarms that stayed normal long enough, derives hour and day
** values from minute data, times out unanswered commands and flushes liveness. State that must
** be fast (open alarms, last values, last frame per point) lives here in memory and is rebuilt
** from the database at start.
*/
#include "monitor/watch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases/cases.h"
#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "credit/credit.h"
#include "monitor/alarm_rules.h"
#include "store/q_alarm.h"
#include "store/q_monitor.h"
#include "store/q_rules.h"

/* ---------------- small string-keyed table ---------------- */

/* The table doubles when three quarters full, from SLOTS_MIN up to SLOTS_MAX slots (56 bytes
   each: 224 MiB at most, some 3 million keys). A full SLOTS_MAX table makes the caller reset it. */
#define SLOTS_MIN (1u << 12)
#define SLOTS_MAX (1u << 22)
struct slot {
    char key[40];
    int state; /* alarms: 0 none, 1 open, 2 open and normal again */
    int count; /* stuck: repeats of value */
    double value;
};
struct table {
    struct slot *s;
    size_t used, cap;
};

/* Where key is, or the empty slot where it would go; NULL after 64 probes. */
static struct slot *slot_probe(const struct table *t, const char *key)
{
    for (unsigned h = str_hash(key), k = 0; k < 64; k++) {
        struct slot *s = &t->s[(h + k) & (t->cap - 1)];
        if (!s->key[0] || !strcmp(s->key, key)) {
            return s;
        }
    }
    return NULL;
}

/* Double the table (false when it is at SLOTS_MAX, or a key finds no slot in the new one). */
static bool table_grow(struct table *t)
{
    if (t->cap >= SLOTS_MAX) {
        return false;
    }
    struct table n = {xcalloc(t->cap * 2, sizeof *t->s), t->used, t->cap * 2};
    for (size_t i = 0; i < t->cap; i++) {
        if (t->s[i].key[0]) {
            struct slot *to = slot_probe(&n, t->s[i].key);
            if (!to) {
                free(n.s);
                return false;
            }
            *to = t->s[i];
        }
    }
    free(t->s);
    t->s = n.s;
    t->cap = n.cap;
    return true;
}

/* The slot for key, created empty when create is set; NULL when it is not there, or when the
   table cannot take it (the caller resets the table). */
static struct slot *slot_lookup(struct table *t, const char *key, bool create)
{
    if (!t->s) {
        if (!create) {
            return NULL;
        }
        t->cap = SLOTS_MIN;
        t->s = xcalloc(t->cap, sizeof *t->s);
    }
    struct slot *s = slot_probe(t, key);
    if (s && s->key[0]) {
        return s;
    }
    if (!create) {
        return NULL;
    }
    if (!s || t->used >= t->cap * 3 / 4) {
        if (!table_grow(t) || !(s = slot_probe(t, key))) {
            return NULL;
        }
    }
    snprintf(s->key, sizeof s->key, "%s", key);
    __atomic_add_fetch(&t->used, 1, __ATOMIC_RELAXED); /* read by /metrics */
    return s;
}

static struct slot *slot_get(struct table *t, const char *key)
{
    return slot_lookup(t, key, true);
}

/* The key "point:a" or "point:a:b" (b NULL) of a slot; cut at 39 bytes like snprintf would. */
static void slot_key(char out[40], int64_t point, const char *a, const char *b)
{
    char digits[24];
    int n = 0;
    uint64_t v = point < 0 ? (uint64_t)0 - (uint64_t)point : (uint64_t)point;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    size_t at = 0;
    if (point < 0) {
        out[at++] = '-';
    }
    while (n) {
        out[at++] = digits[--n];
    }
    const char *parts[2] = {a, b};
    for (int i = 0; i < 2 && parts[i]; i++) {
        if (at < 39) {
            out[at++] = ':';
        }
        for (const char *p = parts[i]; *p && at < 39; p++) {
            out[at++] = *p;
        }
    }
    out[at] = 0;
}

static void table_clear(struct table *t)
{
    if (t->s) {
        memset(t->s, 0, t->cap * sizeof *t->s);
    }
    __atomic_store_n(&t->used, 0, __ATOMIC_RELAXED);
}

/* ---------------- state ---------------- */

/* The board's live values: a point's latest real-time value of each limited factor. */
#define LIVE_MAX 6
#define LIVE_JSON 512 /* LIVE_MAX entries of {"factor":…,"value":…,"limit":…} fit */
struct live {
    char factor[12];
    double value;
};

struct point {
    int64_t enterprise_id;
    int64_t last_seen_ms;
    /* Several gateways may share the database: a newer last_seen_at found there (refreshed at
       each sweep) means another process hears the device. */
    int64_t seen_elsewhere_ms;
    char data_time[20];
    bool dirty, maintenance, offline_open;
    bool heard_here;    /* a frame arrived at this process since it started */
    int64_t command_ms; /* when the platform last sent this point a command */
    bool live_dirty;    /* live values changed since the last flush */
    unsigned char n_live;
    struct live live[LIVE_MAX];
    char region[8]; /* its enterprise's region code: which alarm.handling applies */
    const struct alarm_rules *rules; /* valid while rules_epoch is alarm_rules_epoch() */
    uint64_t rules_epoch;
};

struct limit {
    int64_t point_id;
    char factor[12];
    char basis; /* 'r' rtd, 'h' hour, 'd' day */
    double value;
};

struct period {
    int64_t point_id;
    char start[20]; /* "YYYY-MM-DD HH:00:00" or "YYYY-MM-DD 00:00:00" */
    bool day;
};

static struct {
    struct table alarms, stuck;
    struct point *points;
    size_t n_points;
    int64_t *flow_ms; /* by enterprise id: last time a flow value > 0 arrived */
    size_t n_flow;
    struct limit *limits;
    size_t n_limits;
    int64_t limits_at, flushed_at, swept_at;
    size_t flush_from; /* the point the next liveness flush starts at */
    struct period *periods;
    size_t n_periods, cap_periods;
    bool loaded;
    /* Settings read on the hot path, taken once per load (the alarm thresholds are rule sets:
       rules_of). */
    int64_t idle_ms, command_window_ms;
} W;

/* Element id of a zero-filled array indexed by id, grown on demand; NULL for ids out of range. */
static void *slot_of(void **arr, size_t *n, size_t size, int64_t id)
{
    if (id <= 0 || id > 16 * 1024 * 1024) {
        return NULL;
    }
    if ((size_t)id >= *n) {
        size_t m = (size_t)id * 2 + 64;
        *arr = xrealloc(*arr, m * size);
        memset((char *)*arr + *n * size, 0, (m - *n) * size);
        *n = m;
    }
    return (char *)*arr + (size_t)id * size;
}

static struct point *point_at(int64_t id)
{
    return slot_of((void **)&W.points, &W.n_points, sizeof *W.points, id);
}

/* The alarm.handling thresholds in force for the point's region (cached; see alarm_rules.h). */
static const struct alarm_rules *rules_of(struct db *db, int64_t point_id)
{
    struct point *p = point_at(point_id);
    if (!p) {
        return alarm_rules_for(db, "");
    }
    uint64_t epoch = alarm_rules_epoch();
    if (!p->rules || p->rules_epoch != epoch) {
        p->rules = alarm_rules_for(db, p->region);
        /* A database error gave the shipped defaults for this batch only: ask again next time
           rather than judge the point by them until the next rule change. */
        p->rules_epoch = alarm_rules_cached(p->rules) ? epoch : epoch - 1;
    }
    return p->rules;
}

static int64_t *flow_at(int64_t ent)
{
    return slot_of((void **)&W.flow_ms, &W.n_flow, sizeof *W.flow_ms, ent);
}

/* "YYYY-MM-DD HH:MM:SS" (China time) → Unix seconds; -1 when malformed. */
static int64_t china_parse(const char *t)
{
    struct tm tm = {0};
    if (strlen(t) < 19 || sscanf(t, "%4d-%2d-%2d %2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                                 &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
        return -1;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm) - 8 * 3600;
}

static void iso_now(int64_t ms, char out[32])
{
    time_iso(ms / 1000, out);
}

/* The Chinese name of an alarm kind, and the title of its "opened" notification. */
static const struct kind_name {
    const char *kind, *zh, *opened;
} KIND_NAMES[] = {
    {"exceed", "超标", "超标报警"},
    {"early_warning", "超标预警", "超标预警"}, /* a warning already, not a 预警报警 */
    {"flag", "数据标记异常", "数据标记异常报警"},
    {"stuck", "数据恒值", "数据恒值报警"},
    {"offline", "离线", "离线报警"},
    {"condition", "工况异常", "工况异常报警"},
};

static const struct kind_name *kind_name(const char *kind)
{
    for (size_t i = 0; i < ARRAY_LEN(KIND_NAMES); i++) {
        if (!strcmp(KIND_NAMES[i].kind, kind)) {
            return &KIND_NAMES[i];
        }
    }
    return NULL;
}

/* ---------------- alarms ---------------- */

static int alarm_set(struct db *db, const struct alarm_signal *a, bool active, const char *now)
{
    char key[40];
    slot_key(key, a->point_id, a->kind, a->factor);
    /* Only alarms that are open, or that open now, take a slot: a normal value of a point with
       no open alarm of that kind has nothing to do. (Every value used to take one, so some
       40,000 point-factor-kind keys filled the table and reset it over and over.) */
    struct slot *s = slot_lookup(&W.alarms, key, active);
    if (!s && !active) {
        return 0;
    }
    if (!s) {
        watch_reset();
        return 0; /* rebuilt on the next call to watch_load */
    }
    if (active) {
        int64_t id;
        bool opened;
        int rc = store_alarm_trigger(db, a, now, &id, &opened);
        if (!rc && opened) {
            /* The version that judged it: frozen from now on, shown on the alarm. */
            const struct point *p = point_at(a->point_id);
            rc = alarm_rules_record(db, id, p ? p->region : "", now);
        }
        if (!rc && opened) {
            const struct kind_name *k = kind_name(a->kind);
            rc = store_notify(db, id, "opened", k ? k->opened : a->kind, now);
            /* Per alarm opened (rare), never per frame: its case with the handling deadline. */
            rc = rc ? rc : cases_alarm_opened(db, id, a->kind, k ? k->opened : a->kind, now);
            /* An exceedance is a credit event of the enterprise: one per China date. */
            rc = rc ? rc : credit_alarm_opened(db, id, a->kind, now);
        }
        if (!rc) {
            s->state = 1;
        }
        return rc;
    }
    if (s->state == 1) {
        int rc = store_alarm_normal(db, a->point_id, a->kind, a->factor, now);
        if (!rc) {
            s->state = 2;
        }
        return rc;
    }
    return 0;
}

static void on_open_alarm(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    char key[40];
    slot_key(key, db_column_int(st, 0), db_column_text(st, 1, NULL), db_column_text(st, 2, NULL));
    struct slot *s = slot_get(&W.alarms, key);
    if (s) {
        s->state = db_column_int(st, 3) ? 2 : 1;
    }
    if (!strcmp(db_column_text(st, 1, NULL), "offline")) {
        struct point *p = point_at(db_column_int(st, 0));
        if (p) {
            p->offline_open = true;
        }
    }
}

static void on_status(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    struct point *p = point_at(db_column_int(st, 0));
    if (!p) {
        return;
    }
    char t[32];
    snprintf(t, sizeof t, "%s", db_column_text(st, 1, NULL));
    struct tm tm = {0};
    if (sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) == 6) {
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        int64_t seen = (int64_t)timegm(&tm) * 1000;
        if (!W.loaded) {
            p->last_seen_ms = seen;
        } else if (seen > p->last_seen_ms) {
            /* This process writes its own times truncated to the second, never ahead of its
               memory: a later time was written by another process. */
            p->seen_elsewhere_ms = seen;
        }
    }
    p->enterprise_id = db_column_int(st, 2);
    if (!W.loaded && !p->data_time[0]) { /* the latest data time, kept across restarts */
        snprintf(p->data_time, sizeof p->data_time, "%s", db_column_text(st, 3, NULL));
    }
}

static void on_limit(struct db_stmt *st, void *ctx)
{
    size_t *cap = ctx;
    if (W.n_limits == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        W.limits = xrealloc(W.limits, *cap * sizeof *W.limits);
    }
    struct limit *l = &W.limits[W.n_limits++];
    l->point_id = db_column_int(st, 0);
    snprintf(l->factor, sizeof l->factor, "%s", db_column_text(st, 1, NULL));
    l->basis = db_column_text(st, 2, NULL)[0];
    l->value = db_column_real(st, 3);
}

static void on_point_region(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    struct point *p = point_at(db_column_int(st, 0));
    const char *region = db_column_text(st, 1, NULL);
    if (p && strncmp(p->region, region, sizeof p->region - 1)) {
        snprintf(p->region, sizeof p->region, "%s", region);
        p->rules = NULL; /* moved to another region: its rules again */
    }
}

/* Limits, and the regions of the points (for their rule sets), refreshed together. */
static int load_limits(struct db *db)
{
    free(W.limits);
    W.limits = NULL;
    W.n_limits = 0;
    size_t cap = 0;
    W.limits_at = wall_ms();
    int rc = store_limits_each(db, on_limit, &cap);
    return rc ? rc : store_rule_point_regions_each(db, on_point_region, NULL);
}

void watch_reset(void)
{
    table_clear(&W.alarms);
    W.loaded = false;
}

int watch_load(struct db *db)
{
    if (W.loaded) {
        return 0;
    }
    table_clear(&W.alarms);
    W.idle_ms = settings_int("hj212_idle_s") * 1000;
    W.command_window_ms = (settings_int("command_timeout_s") + 60) * 1000;
    int rc = store_alarm_open_each(db, on_open_alarm, NULL);
    if (!rc) {
        rc = store_point_status_each(db, on_status, NULL);
    }
    if (!rc) {
        rc = load_limits(db);
    }
    W.loaded = !rc;
    return rc;
}

void watch_free(void)
{
    free(W.alarms.s);
    free(W.stuck.s);
    free(W.points);
    free(W.flow_ms);
    free(W.limits);
    free(W.periods);
    memset(&W, 0, sizeof W);
    alarm_rules_free();
}

static const struct limit *find_limit(int64_t point, const char *factor, char basis)
{
    size_t lo = 0, hi = W.n_limits;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (W.limits[mid].point_id < point) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (size_t i = lo; i < W.n_limits && W.limits[i].point_id == point; i++) {
        if (W.limits[i].basis == basis && !strcmp(W.limits[i].factor, factor)) {
            return &W.limits[i];
        }
    }
    return NULL;
}

static void mark_period(int64_t point, const char *data_time, bool day)
{
    char start[20];
    if (strlen(data_time) < 19) {
        return;
    }
    snprintf(start, sizeof start, day ? "%.10s 00:00:00" : "%.13s:00:00", data_time);
    for (size_t i = W.n_periods; i-- > 0 && i + 64 >= W.n_periods;) {
        if (W.periods[i].point_id == point && W.periods[i].day == day &&
            !strcmp(W.periods[i].start, start)) {
            return; /* the recent entries catch the usual run of minutes of one hour */
        }
    }
    if (W.n_periods >= 200000) {
        log_warn("hj212: too many periods waiting for derivation; dropping one");
        return;
    }
    if (W.n_periods == W.cap_periods) {
        W.cap_periods = W.cap_periods ? W.cap_periods * 2 : 1024;
        W.periods = xrealloc(W.periods, W.cap_periods * sizeof *W.periods);
    }
    struct period *p = &W.periods[W.n_periods++];
    p->point_id = point;
    p->day = day;
    memcpy(p->start, start, sizeof start);
}

static int exceed_check(struct db *db, const struct point_auth *pa, const char *cn,
                        const char *data_time, const char *factor, double v, const char *now)
{
    struct alarm_signal a = {
        pa->point_id, pa->enterprise_id, "exceed", factor, data_time, "", true, true, v, 0};
    char basis = !strcmp(cn, "2061") ? 'h' : !strcmp(cn, "2031") ? 'd' : 'r';
    const struct limit *l = find_limit(pa->point_id, factor, basis);
    int rc = 0;
    if (l) {
        a.limit = l->value;
        a.detail = basis == 'h' ? "hour" : basis == 'd' ? "day" : "rtd";
        rc = alarm_set(db, &a, v > l->value, now);
    }
    if (!rc && basis == 'r') {
        /* Real-time values against the hourly (else daily) limit: early warning. */
        const struct limit *h = find_limit(pa->point_id, factor, 'h');
        h = h ? h : find_limit(pa->point_id, factor, 'd');
        if (h) {
            a.kind = "early_warning";
            a.limit = h->value * (double)rules_of(db, pa->point_id)->warn_pct / 100.0;
            a.detail = h->basis == 'h' ? "rtd_vs_hour" : "rtd_vs_day";
            rc = alarm_set(db, &a, v > a.limit, now);
        }
    }
    return rc;
}

/* The limit the board shows a factor's real-time value against: the hourly one, else the
   daily, else the real-time one (as early warning and the point page do); NULL when the outlet
   has none for it (flow, working condition: not the board's). */
static const struct limit *board_limit(int64_t point_id, const char *factor)
{
    const struct limit *l = find_limit(point_id, factor, 'h');
    l = l ? l : find_limit(point_id, factor, 'd');
    return l ? l : find_limit(point_id, factor, 'r');
}

/* Keep a point's latest real-time value of a factor with a limit. */
static void live_set(int64_t point_id, const char *factor, double v)
{
    struct point *p = point_at(point_id);
    if (!p || !isfinite(v) || !board_limit(point_id, factor)) {
        return;
    }
    size_t i = 0;
    while (i < p->n_live && strcmp(p->live[i].factor, factor)) {
        i++;
    }
    if (i == LIVE_MAX) {
        return;
    }
    if (i == p->n_live) {
        p->n_live++;
        snprintf(p->live[i].factor, sizeof p->live[i].factor, "%s", factor);
    }
    p->live[i].value = v;
    p->live_dirty = true;
}

/* A point's live values as the board's JSON array, into out[LIVE_JSON], each with the limit it
   is shown against as the limits stand now (a factor whose limit went is left out). */
static void live_json(int64_t point_id, const struct point *p, char *out)
{
    size_t at = (size_t)snprintf(out, LIVE_JSON, "[");
    for (int i = 0; i < p->n_live && at < LIVE_JSON; i++) {
        const struct live *x = &p->live[i];
        const struct limit *l = board_limit(point_id, x->factor);
        if (!l) {
            continue;
        }
        at += (size_t)snprintf(out + at, LIVE_JSON - at, "%s{\"factor\":\"%s\",\"value\":%.10g",
                               at > 1 ? "," : "", x->factor, x->value);
        if (isfinite(l->value) && at < LIVE_JSON) {
            at += (size_t)snprintf(out + at, LIVE_JSON - at, ",\"limit\":%.10g", l->value);
        }
        if (at < LIVE_JSON) {
            at += (size_t)snprintf(out + at, LIVE_JSON - at, "}");
        }
    }
    if (at + 1 >= LIVE_JSON) {
        snprintf(out, LIVE_JSON, "[]"); /* cannot happen: LIVE_MAX entries take under 500 bytes */
        return;
    }
    snprintf(out + at, LIVE_JSON - at, "]");
}

int watch_value(struct db *db, const struct point_auth *pa, const struct watch_value *w,
                const char *now)
{
    struct alarm_signal a = {pa->point_id, pa->enterprise_id, "flag", w->factor, w->data_time,
                             w->flag,      w->has_value,      false,  w->value,  0};
    int rc = 0;
    bool rtd = !strcmp(w->cn, "2011");
    /* Minute and hour data feed the derivation of hours and days. */
    if (!strcmp(w->cn, "2051")) {
        mark_period(pa->point_id, w->data_time, false);
    } else if (!strcmp(w->cn, "2061")) {
        mark_period(pa->point_id, w->data_time, true);
    }
    /* Working condition: a treatment facility reported closed while production runs. */
    if (!strcmp(w->kind, "RS")) {
        int64_t *flow = flow_at(pa->enterprise_id);
        bool producing = flow && *flow && wall_ms() - *flow < 15 * 60 * 1000;
        a.kind = "condition";
        a.detail = "facility_stopped";
        return alarm_set(db, &a, w->has_value && w->value == 0 && producing, now);
    }
    if ((!strcmp(w->factor, "w00000") || !strcmp(w->factor, "a00000")) && w->has_value &&
        w->value > 0) {
        int64_t *flow = flow_at(pa->enterprise_id);
        if (flow) {
            *flow = wall_ms();
        }
    }
    /* Abnormal data flags (F/M/D/C/T/B by default; 2005's F means the source stopped). */
    if (w->flag[0]) {
        bool bad = strcmp(w->flag, "N") != 0 &&
                   strchr(rules_of(db, pa->point_id)->flags, w->flag[0]) &&
                   !(w->flag[0] == 'F' && !strcmp(pa->protocol, "2005"));
        if (!w->zs) {
            rc = alarm_set(db, &a, bad, now);
        }
        if (rc || bad) {
            return rc;
        }
    }
    if (!w->has_value) {
        return 0;
    }
    /* Stuck values: the same non-zero real-time value N times in a row (a zero flow while
       nothing is discharged is not a stuck instrument). */
    if (rtd && !w->zs && w->value != 0) {
        char key[40];
        slot_key(key, pa->point_id, w->factor, NULL);
        struct slot *s = slot_get(&W.stuck, key);
        if (!s) {
            table_clear(&W.stuck);
            s = slot_get(&W.stuck, key);
        }
        if (s) {
            s->count = s->count && s->value == w->value ? s->count + 1 : 1;
            s->value = w->value;
            a.kind = "stuck";
            a.detail = "";
            int64_t n = rules_of(db, pa->point_id)->stuck_count;
            if (s->count >= n || s->count == 1) {
                rc = alarm_set(db, &a, s->count >= n, now);
            }
        }
    }
    /* Exceedance on the limit's basis; a converted (Zs) value, when sent, is what counts. */
    bool avg = !strcmp(w->kind, "Avg") || !strcmp(w->kind, "ZsAvg");
    bool rtdk = !strcmp(w->kind, "Rtd") || !strcmp(w->kind, "ZsRtd");
    bool counts = w->zs || !w->has_zs;
    if (rtd && rtdk && counts) {
        live_set(pa->point_id, w->factor, w->value);
    }
    if (!rc && counts &&
        ((rtd && rtdk) || (avg && (!strcmp(w->cn, "2061") || !strcmp(w->cn, "2031"))))) {
        rc = exceed_check(db, pa, w->cn, w->data_time, w->factor, w->value, now);
    }
    return rc;
}

void watch_frame(const struct point_auth *pa, const char *data_time, int maintenance)
{
    struct point *p = point_at(pa->point_id);
    if (!p) {
        return;
    }
    p->enterprise_id = pa->enterprise_id;
    p->last_seen_ms = wall_ms();
    p->heard_here = true;
    /* The latest data time the device reported: an hour's or a day's data (2061, 2031), or a
       backlog, carries an older one and leaves it. One more than 10 minutes ahead (a device
       clock gone wrong) gives way to the next frame. */
    if (data_time && data_time[0]) {
        bool newer = strcmp(data_time, p->data_time) > 0;
        if (!newer) { /* the clock only when an older one comes (rarely, and off the usual path) */
            char soon[20];
            china_time(wall_ms() / 1000 + 600, soon);
            newer = strcmp(p->data_time, soon) > 0;
        }
        if (newer) {
            snprintf(p->data_time, sizeof p->data_time, "%s", data_time);
        }
    }
    if (maintenance >= 0) {
        p->maintenance = maintenance;
    }
    p->dirty = true;
}

void watch_command_sent(int64_t point_id)
{
    struct point *p = point_at(point_id);
    if (p) {
        p->command_ms = wall_ms();
    }
}

bool watch_command_pending(int64_t point_id)
{
    struct point *p = point_at(point_id);
    return p && p->command_ms && wall_ms() - p->command_ms < W.command_window_ms;
}

bool watch_online(int64_t point_id)
{
    struct point *p = point_at(point_id);
    return p && p->heard_here && wall_ms() - p->last_seen_ms < W.idle_ms &&
           p->seen_elsewhere_ms <= p->last_seen_ms;
}

bool watch_heard_elsewhere(int64_t point_id)
{
    struct point *p = point_at(point_id);
    return p && p->seen_elsewhere_ms > p->last_seen_ms &&
           wall_ms() - p->seen_elsewhere_ms < W.idle_ms;
}

/* What other processes sharing the database did since the last sweep: open alarms (opened,
   closed or handled there) and devices heard there. A point's offline mark stays until the
   device is heard here, so an offline alarm closed by hand does not open again at once. */
static int refresh_shared(struct db *db)
{
    table_clear(&W.alarms);
    int rc = store_alarm_open_each(db, on_open_alarm, NULL);
    return rc ? rc : store_point_status_each(db, on_status, NULL);
}

/* ---------------- sweep ---------------- */

/* The alarms one sweep closed, each to be notified (as many as closed: after a wide outage
   thousands of offline alarms close at once). */
struct closed_list {
    struct closed {
        int64_t id;
        char label[64];
    } * v;
    size_t n, cap;
};

static void on_closed_collect(struct db_stmt *st, void *ctx)
{
    struct closed_list *c = ctx;
    char key[40];
    slot_key(key, db_column_int(st, 1), db_column_text(st, 3, NULL), db_column_text(st, 4, NULL));
    struct slot *s = slot_lookup(&W.alarms, key, false);
    if (s) {
        s->state = 0; /* closed: the next trigger opens a new alarm */
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->v = xrealloc(c->v, c->cap * sizeof *c->v);
    }
    c->v[c->n].id = db_column_int(st, 0);
    const char *kind = db_column_text(st, 3, NULL);
    const struct kind_name *k = kind_name(kind);
    snprintf(c->v[c->n].label, sizeof c->v[0].label, "%s恢复", k ? k->zh : kind);
    c->n++;
}

/* Alarms closed by the system (a device back, a normal period waited out): each is notified
   and its case moves as an automatic close, in the caller's transaction. Frees c. */
static int closed_by_system(struct db *db, struct closed_list *c, const char *now)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < c->n; i++) {
        rc = store_notify(db, c->v[i].id, "closed", c->v[i].label, now);
        char why[256];
        const char *field = NULL;
        rc = rc ? rc
                : cases_alarm_moved(db, c->v[i].id, "autoclose", NULL, "", now, &field, why,
                                    sizeof why);
    }
    free(c->v);
    c->v = NULL;
    c->n = c->cap = 0;
    return rc;
}

/* A frame from a point with an offline alarm open closes that alarm at once: the frame itself
   shows the device is back, so there is no normal period to wait out (marking it normal, as
   for a value, left the point 离线 on the board for close_after_normal_s after it reported). */
int watch_frame_alarms(struct db *db, const struct point_auth *pa, const char *now)
{
    struct point *p = point_at(pa->point_id);
    if (!p || !p->offline_open) {
        return 0;
    }
    struct closed_list c = {0};
    int rc = store_alarm_close_offline(db, pa->point_id, now, on_closed_collect, &c);
    rc = rc ? (free(c.v), rc) : closed_by_system(db, &c, now);
    if (!rc) {
        p->offline_open = false;
    }
    return rc;
}

struct derived_ctx {
    struct {
        char factor[12];
        bool zs;
        double value;
    } v[128];
    size_t n;
};

static void on_derived(struct db_stmt *st, void *ctx)
{
    struct derived_ctx *d = ctx;
    const char *flag = db_column_text(st, 3, NULL);
    if ((strcmp(flag, "N") && flag[0]) || d->n == ARRAY_LEN(d->v)) {
        return; /* an abnormal period is not judged against the limit */
    }
    snprintf(d->v[d->n].factor, sizeof d->v[0].factor, "%s", db_column_text(st, 0, NULL));
    d->v[d->n].zs = !strcmp(db_column_text(st, 1, NULL), "ZsAvg");
    d->v[d->n].value = db_column_real(st, 2);
    d->n++;
}

/* Judge a derived period's averages (a converted value wins over the plain one). */
static int judge_period(struct db *db, int64_t point, const char *cn, const char *start,
                        const char *now)
{
    struct point *pt = point_at(point);
    if (!pt || !pt->enterprise_id) {
        return 0;
    }
    struct derived_ctx *d = xcalloc(1, sizeof *d);
    int rc = store_period_values(db, point, cn, start, on_derived, d);
    struct point_auth pa = {point, pt->enterprise_id, "", "", "active", ""};
    for (size_t i = 0; !rc && i < d->n; i++) {
        bool shadowed = false;
        for (size_t j = 0; !d->v[i].zs && j < d->n; j++) {
            shadowed |= d->v[j].zs && !strcmp(d->v[j].factor, d->v[i].factor);
        }
        if (!shadowed) {
            rc = exceed_check(db, &pa, cn, start, d->v[i].factor, d->v[i].value, now);
        }
    }
    free(d);
    return rc;
}

static int derive_due(struct db *db, int64_t now_ms, const char *now)
{
    int64_t now_s = now_ms / 1000;
    int rc = 0;
    /* Take the list: periods not complete yet, and the days that completed hours make due,
       are marked again into a fresh one. */
    struct period *due = W.periods;
    size_t n = W.n_periods;
    W.periods = NULL;
    W.n_periods = W.cap_periods = 0;
    for (size_t i = 0; i < n; i++) {
        const struct period *p = &due[i];
        int64_t start = china_parse(p->start);
        int64_t end = start + (p->day ? 86400 : 3600);
        if (start < 0) {
            continue;
        }
        if (rc || end > now_s) {
            mark_period(p->point_id, p->start, p->day);
            continue;
        }
        char end_s[20];
        china_time(end, end_s);
        rc = store_derive(db, p->point_id, p->day ? "2061" : "2051", p->day ? "2031" : "2061",
                          p->start, end_s, now);
        if (!rc) {
            rc = judge_period(db, p->point_id, p->day ? "2031" : "2061", p->start, now);
        }
        if (!rc && !p->day) {
            mark_period(p->point_id, p->start, true);
        }
    }
    free(due);
    return rc;
}

static void on_rule_id(struct db_stmt *st, void *ctx)
{
    struct {
        int64_t v[64];
        size_t n;
    } *ids = ctx;
    if (ids->n < ARRAY_LEN(ids->v)) {
        ids->v[ids->n++] = db_column_int(st, 0);
    }
}

/* Auto-close what stayed normal long enough: as long as the version that judged the alarm
   says (close_after_normal_s), one statement per version among the alarms normal again. */
static int autoclose(struct db *db, int64_t now_ms, const char *now)
{
    struct {
        int64_t v[64];
        size_t n;
    } ids = {{0}, 0};
    int rc = store_alarm_normal_rules_each(db, on_rule_id, &ids);
    struct closed_list c = {0};
    for (size_t i = 0; !rc && i < ids.n; i++) {
        struct alarm_rules ar;
        rc = alarm_rules_of_id(db, ids.v[i], &ar);
        if (!rc) {
            char before[32];
            iso_now(now_ms - ar.close_ms, before);
            rc = store_alarm_autoclose_rule(db, ids.v[i], before, now, on_closed_collect, &c);
        }
    }
    return rc ? (free(c.v), rc) : closed_by_system(db, &c, now);
}

int watch_tick(struct db *db, bool force)
{
    int64_t now_ms = wall_ms();
    char now[32];
    iso_now(now_ms, now);
    int rc = watch_load(db);
    /* Liveness to the database (only points that sent something): every second, at most
       FLUSH_MAX points, going round from where the last flush stopped. All 5,000 devices of a
       busy gateway at once took PostgreSQL 40 statements, some 80 ms in which no frame was
       stored; a point now waits at most n / FLUSH_MAX seconds for its turn. */
    enum { FLUSH_MAX = 1024 };
    if (!rc && W.n_points > 1 && (force || now_ms - W.flushed_at >= 1000)) {
        W.flushed_at = now_ms;
        size_t cap = force ? W.n_points : FLUSH_MAX, n = 0;
        size_t rows = cap < W.n_points ? cap : W.n_points;
        struct point_seen *seen = xmalloc(rows * sizeof *seen);
        /* Live values for at most FLUSH_MAX points a flush (a forced one over every point
           leaves the rest marked for the next). */
        size_t live_cap = rows < FLUSH_MAX ? rows : FLUSH_MAX, n_live = 0;
        char(*live)[LIVE_JSON] = xmalloc(live_cap * sizeof *live);
        size_t i = W.flush_from >= 1 && W.flush_from < W.n_points ? W.flush_from : 1;
        for (size_t k = 1; k < W.n_points && n < cap; k++, i = i + 1 < W.n_points ? i + 1 : 1) {
            struct point *p = &W.points[i];
            if (p->dirty || p->live_dirty) {
                const char *lv = "";
                if (p->live_dirty && n_live < live_cap) {
                    live_json((int64_t)i, p, live[n_live]);
                    lv = live[n_live++];
                }
                seen[n] = (struct point_seen){(int64_t)i, "", p->data_time, p->maintenance, lv};
                iso_now(p->last_seen_ms, seen[n++].seen_at);
            }
        }
        W.flush_from = i;
        rc = store_points_seen(db, seen, n);
        for (size_t j = 0; !rc && j < n; j++) {
            struct point *p = &W.points[seen[j].point_id];
            p->dirty = false;
            p->live_dirty = p->live_dirty && !seen[j].live_values[0];
        }
        free(live);
        free(seen);
    }
    if (rc || (!force && now_ms - W.swept_at < settings_int("alarm_sweep_s") * 1000)) {
        return rc;
    }
    W.swept_at = now_ms;
    if (now_ms - W.limits_at > 10000) {
        rc = load_limits(db);
    }
    if (!rc) {
        rc = refresh_shared(db);
    }
    if (!rc) {
        rc = alarm_rules_refresh(db);
    }
    /* Offline: no frame for the rule set's offline_after_s, here or at another gateway. */
    for (size_t i = 1; !rc && i < W.n_points; i++) {
        struct point *p = &W.points[i];
        int64_t last =
            p->last_seen_ms > p->seen_elsewhere_ms ? p->last_seen_ms : p->seen_elsewhere_ms;
        if (last && !p->offline_open && p->enterprise_id &&
            now_ms - last > rules_of(db, (int64_t)i)->offline_ms) {
            char seen[32];
            iso_now(last, seen);
            struct alarm_signal a = {
                (int64_t)i, p->enterprise_id, "offline", "", p->data_time, seen, false, false, 0,
                0};
            rc = alarm_set(db, &a, true, now);
            p->offline_open = rc == 0;
        }
    }
    if (!rc) {
        rc = autoclose(db, now_ms, now);
    }
    if (!rc) {
        rc = derive_due(db, now_ms, now);
    }
    if (!rc) {
        char before[32];
        iso_now(now_ms - settings_int("command_timeout_s") * 1000, before);
        rc = store_commands_timeout(db, before, now);
    }
    return rc;
}

size_t watch_alarm_states(void)
{
    return __atomic_load_n(&W.alarms.used, __ATOMIC_RELAXED);
}
