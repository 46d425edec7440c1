/*
** The HJ 212 gateway: a libuv event loop owns the device connections (framing with the stream
** reassembler, idle timeouts, caps, garbage floods); a writer thread owns the database side.
** Frames travel loop → writer through a queue; the writer commits a batch in one transaction
** (synchronous=FULL) and only then hands the batch back with its replies (9014 …), which the
** loop writes to the devices. So an acknowledged frame is always durably stored, and a crash
** between commit and ack only makes the device retry — which de-duplication absorbs.
*/
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <uv.h>

#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "http/server.h"
#include "monitor/hj212.h"
#include "monitor/monitor.h"
#include "monitor/watch.h"
#include "platform/app.h"
#include "store/q_alarm.h"
#include "store/q_monitor.h"

struct conn;

struct job {
    struct job *next;
    struct conn *conn; /* NULL for a platform command going out to point_id */
    int64_t point_id;  /* the authenticated point (set by the writer), or the target */
    size_t len;
    signed char fresh;    /* writer: 1 new, 0 a re-sent message, -1 decided in handle_job */
    struct hj212_frame f; /* as the loop parsed it, slices into raw */
    char raw[HJ212_MAX_FRAME + 1];
    char reply[2][256];
    size_t reply_len[2];
};

struct conn {
    uv_tcp_t tcp;
    uv_timer_t idle;
    struct gateway *g;
    struct hj212_stream stream;
    int pending; /* jobs in flight: the struct lives until they come back */
    int handles_open;
    bool closing, paused;
    struct conn *next_paused;
    int64_t point_id; /* learned from the first authenticated frame */
};

struct gateway {
    uv_loop_t loop;
    uv_tcp_t server;
    uv_async_t wake, stop;
    uv_thread_t loop_thread;
    pthread_t writer;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct job *in_head, *in_tail, *done_head, *done_tail;
    bool stopping, writer_done, kicked;
    int n_conns;
    /* Loop-thread only: frames handed to the writer and not yet back. Above queue_max the
       loop stops reading (TCP pushes back on the devices); below half it resumes. */
    int64_t in_flight, queue_max;
    struct conn *paused;
    int64_t idle_ms, batch_ms, garbage_max;
    size_t batch_max;
    bool lf_only;
    /* Loop-thread only: the open connection of each point (by point id), for commands. */
    struct conn **by_point;
    size_t n_by_point;
};

/* Where the writer's time goes, per batch: de-duplication (with the device lookups), each frame
   (checks, alarms, commands), the values and raw frames in bulk, pruning, the commit. */
enum { PHASES = 5 };
static const char *const PHASE_NAMES[PHASES] = {"dedup", "frames", "store", "prune", "commit"};
static struct {
    uint64_t frames, acks, quarantined, duplicates, readings, garbage_closes, bad_frames, conns;
    uint64_t pauses, queue_peak; /* reading stopped above hj212_queue_max; most in flight */
    uint64_t batches, batch_frames;
    uint64_t phase_us[PHASES]; /* writer time per phase, PHASE_NAMES */
} stats;
#define STAT_ADD(f, n) __atomic_add_fetch(&stats.f, (n), __ATOMIC_RELAXED)

/* ---------------- writer thread ---------------- */

static void now_iso(char out[32])
{
    time_iso(wall_ms() / 1000, out);
}

/* "20160801085857[zzz]" → "2016-08-01 08:58:57" (China time, as devices send it). */
static bool data_time(struct str v, char out[20])
{
    if (v.len < 14) {
        return false;
    }
    for (size_t i = 0; i < 14; i++) {
        if (v.p[i] < '0' || v.p[i] > '9') {
            return false;
        }
    }
    /* YYYYMMDDhhmmss → "YYYY-MM-DD hh:mm:ss" */
    static const signed char from[19] = {0,    1, 2, 3,    -'-', 4,  5,    -'-', 6, 7,
                                         -' ', 8, 9, -':', 10,   11, -':', 12,   13};
    for (int i = 0; i < 19; i++) {
        out[i] = from[i] < 0 ? (char)-from[i] : v.p[from[i]];
    }
    out[19] = 0;
    return true;
}

static bool is_value_kind(struct str k)
{
    static const char *kinds[] = {"Rtd",   "Avg",   "Min",   "Max", "Cou", "ZsRtd",
                                  "ZsAvg", "ZsMin", "ZsMax", "RS",  "RT"};
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
        if (str_eq(k, kinds[i])) {
            return true;
        }
    }
    return false;
}

static bool is_data_cn(struct str cn)
{
    return str_eq(cn, "2011") || str_eq(cn, "2051") || str_eq(cn, "2061") || str_eq(cn, "2031") ||
           str_eq(cn, "2021") || str_eq(cn, "2041");
}

#define MAX_KV 256

/* Does the CP also carry the converted ("Zs" + kind) value of kv's factor? */
static bool has_zs_sibling(const struct hj212_kv *kv, size_t n, const struct hj212_kv *x)
{
    for (size_t j = 0; j < n; j++) {
        if (kv[j].suffix.len == x->suffix.len + 2 && !memcmp(kv[j].suffix.p, "Zs", 2) &&
            !memcmp(kv[j].suffix.p + 2, x->suffix.p, x->suffix.len) &&
            kv[j].code.len == x->code.len && !memcmp(kv[j].code.p, x->code.p, x->code.len)) {
            return true;
        }
    }
    return false;
}

/* What a batch writes in bulk just before its commit: readings (unique by key; the first of a
   repeated point-cn-time-factor-kind wins, as a repeat of a stored one is ignored) and raw
   frames. A few multi-row statements per batch instead of several per frame. */
struct bulk {
    struct reading_row *r;
    size_t n, cap;
    uint32_t *slot; /* open addressing over r by key: index + 1, 0 empty */
    size_t slots;   /* power of two, >= 2 n */
    struct {
        int64_t point_id;
        char mn[40];
        const char *raw; /* the job's, alive until the batch is handed back */
        size_t len;
    } * f;
    size_t nf, capf;
};

static unsigned reading_hash(const struct reading_row *r)
{
    unsigned h = 2166136261u ^ (unsigned)r->point_id;
    const char *parts[4] = {r->cn, r->data_time, r->factor, r->kind};
    for (int i = 0; i < 4; i++) {
        for (const char *p = parts[i]; *p; p++) {
            h = (h ^ (unsigned char)*p) * 16777619u;
        }
        h = (h ^ '|') * 16777619u;
    }
    return h;
}

static bool same_reading(const struct reading_row *a, const struct reading_row *b)
{
    return a->point_id == b->point_id && !strcmp(a->cn, b->cn) &&
           !strcmp(a->data_time, b->data_time) && !strcmp(a->factor, b->factor) &&
           !strcmp(a->kind, b->kind);
}

static void bulk_rehash(struct bulk *b, size_t slots)
{
    free(b->slot);
    b->slots = slots;
    b->slot = xcalloc(slots, sizeof *b->slot);
    for (size_t i = 0; i < b->n; i++) {
        size_t k = reading_hash(&b->r[i]) & (slots - 1);
        while (b->slot[k]) {
            k = (k + 1) & (slots - 1);
        }
        b->slot[k] = (uint32_t)i + 1;
    }
}

/* Add a reading; false when the batch already has one with its key. */
static bool bulk_reading(struct bulk *b, const struct reading_row *r)
{
    if ((b->n + 1) * 2 > b->slots) {
        bulk_rehash(b, b->slots ? b->slots * 2 : 4096);
    }
    size_t k = reading_hash(r) & (b->slots - 1);
    for (; b->slot[k]; k = (k + 1) & (b->slots - 1)) {
        if (same_reading(&b->r[b->slot[k] - 1], r)) {
            return false;
        }
    }
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 4096;
        b->r = xrealloc(b->r, b->cap * sizeof *b->r);
    }
    b->r[b->n++] = *r;
    b->slot[k] = (uint32_t)b->n;
    return true;
}

static void bulk_frame(struct bulk *b, int64_t point_id, const char *mn, const char *raw,
                       size_t len)
{
    if (b->nf == b->capf) {
        b->capf = b->capf ? b->capf * 2 : 1024;
        b->f = xrealloc(b->f, b->capf * sizeof *b->f);
    }
    b->f[b->nf].point_id = point_id;
    str_copy(b->f[b->nf].mn, sizeof b->f[b->nf].mn, mn);
    b->f[b->nf].raw = raw;
    b->f[b->nf].len = len;
    b->nf++;
}

static void bulk_clear(struct bulk *b)
{
    if (b->slot && b->n) {
        memset(b->slot, 0, b->slots * sizeof *b->slot);
    }
    b->n = b->nf = 0;
}

/* Write what the batch gathered, then empty it (also on failure: the batch rolls back). */
static int bulk_flush(struct db *db, struct bulk *b, const char *now)
{
    int rc = store_readings_put(db, b->r, b->n, now);
    if (!rc && b->nf) {
        /* The log shows frames to staff: with the device's PW masked. */
        struct frame_row *rows = xcalloc(b->nf, sizeof *rows);
        size_t total = 0;
        for (size_t i = 0; i < b->nf; i++) {
            total += b->f[i].len + 1;
        }
        char *masked = xmalloc(total), *at = masked;
        for (size_t i = 0; i < b->nf; i++) {
            rows[i] = (struct frame_row){b->f[i].point_id, b->f[i].mn, at};
            at += hj212_mask_pw(b->f[i].raw, b->f[i].len, at) + 1;
        }
        rc = store_frames_log(db, rows, b->nf, now);
        free(masked);
        free(rows);
    }
    bulk_clear(b);
    return rc;
}

static void bulk_free(struct bulk *b)
{
    free(b->r);
    free(b->slot);
    free(b->f);
    memset(b, 0, sizeof *b);
}

/* Store the CP's values with their flags (2005 codes mapped to 2017 codes) and let the watch
   judge each. *when gets the frame's data time; *maint 1 when a value is flagged M or C,
   0 when values are flagged otherwise, -1 without flags. */
static int store_values(struct db *db, struct bulk *bulk, const struct point_auth *pa,
                        const struct hj212_frame *f, const char *now, unsigned *dev, char when[20],
                        int *maint, bool judge)
{
    static __thread struct hj212_kv kv[MAX_KV];
    struct hj212_cp_iter it;
    size_t n = 0;
    char cn[8];
    when[0] = 0;
    hj212_cp_begin(&it, f->cp);
    while (n < MAX_KV && hj212_cp_next(&it, &kv[n])) {
        if (str_eq(kv[n].code, "DataTime")) {
            data_time(kv[n].value, when);
        }
        n++;
    }
    *dev |= it.deviations;
    if (!when[0] && !data_time(f->qn, when)) {
        china_time(wall_ms() / 1000, when);
    }
    str_slice_copy(cn, sizeof cn, f->cn);
    struct reading_row shared = {.point_id = pa->point_id}; /* what the values have in common */
    str_copy(shared.cn, sizeof shared.cn, cn);
    str_copy(shared.data_time, sizeof shared.data_time, when);
    /* Gather the frame's values into the batch (a repeated key is neither stored nor judged
       again), then judge the new ones. */
    static __thread struct hj212_kv *src[MAX_KV];
    static __thread size_t at[MAX_KV];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!kv[i].suffix.len || !is_value_kind(kv[i].suffix)) {
            continue;
        }
        struct reading_row r = shared;
        str_slice_copy(r.factor, sizeof r.factor, kv[i].code);
        str_slice_copy(r.kind, sizeof r.kind, kv[i].suffix);
        for (size_t j = 0; j < n; j++) {
            if (str_eq(kv[j].suffix, "Flag") && kv[j].code.len == kv[i].code.len &&
                !memcmp(kv[j].code.p, kv[i].code.p, kv[i].code.len)) {
                str_slice_copy(r.flag, sizeof r.flag, kv[j].value);
            }
        }
        if (!r.factor[0]) {
            continue; /* "-Rtd" without a code: nothing to file it under */
        }
        if (r.factor[0] < 'a' || r.factor[0] > 'z') {
            char mapped[16];
            if (store_pollutant_by_2005(db, r.factor, mapped) == 0) {
                str_copy(r.factor, sizeof r.factor, mapped);
            }
        }
        r.has_value = parse_f64(kv[i].value.p, kv[i].value.len, &r.value) == 0;
        if (!bulk_reading(bulk, &r)) {
            continue;
        }
        if (r.flag[0]) {
            bool mt = (r.flag[0] == 'M' || r.flag[0] == 'C') && !r.flag[1];
            *maint = *maint == 1 || mt ? 1 : 0;
        }
        src[m] = &kv[i];
        at[m++] = bulk->n - 1;
    }
    STAT_ADD(readings, m);
    int rc = 0;
    for (size_t i = 0; !rc && judge && i < m; i++) {
        const struct reading_row *r = &bulk->r[at[i]];
        struct watch_value w = {cn,
                                when,
                                r->factor,
                                r->kind,
                                r->flag,
                                r->has_value,
                                r->value,
                                !memcmp(r->kind, "Zs", 2),
                                has_zs_sibling(kv, n, src[i])};
        rc = watch_value(db, pa, &w, now);
    }
    return rc;
}

/* The value of a plain key ("QnRtn") in the CP, or an empty slice. */
static struct str cp_get(const struct hj212_frame *f, const char *key)
{
    struct hj212_cp_iter it;
    struct hj212_kv kv;
    hj212_cp_begin(&it, f->cp);
    while (hj212_cp_next(&it, &kv)) {
        if (!kv.suffix.len && str_eq(kv.code, key)) {
            return kv.value;
        }
    }
    return (struct str){"", 0};
}

static void count_deviations(struct db *db, const char *mn, unsigned dev, const char *now)
{
    for (unsigned i = 0; i < HJ212_N_DEVIATIONS; i++) {
        if (dev & (1u << i)) {
            store_deviation_add(db, mn, hj212_deviation_name(1u << i), now);
        }
    }
}

/* Time calibration (1013): notify reply 9013, then the platform's 1012 with its clock. */
static void time_replies(struct job *j, const struct hj212_frame *f, const char *pw, const char *mn)
{
    char qn[24], cp[64], sys[16];
    str_slice_copy(qn, sizeof qn, f->qn);
    j->reply_len[0] = hj212_frame_build(j->reply[0], sizeof j->reply[0], f->qn.len ? qn : NULL,
                                        "91", "9013", pw, mn, 4, "");
    int64_t t = wall_ms();
    time_t s = (time_t)(t / 1000 + 8 * 3600);
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(sys, sizeof sys, "%Y%m%d%H%M%S", &tm);
    snprintf(qn, sizeof qn, "%s%03d", sys, (int)(t % 1000));
    snprintf(cp, sizeof cp, "SystemTime=%s", sys);
    j->reply_len[1] =
        hj212_frame_build(j->reply[1], sizeof j->reply[1], qn, "32", "1012", pw, mn, 5, cp);
}

/* Writer-thread cache of registered devices (MN → point, PW), emptied every 10 s so edits in
   the registry take effect; misses are not cached, so a newly registered device is seen at
   once. Each batch first fetches its devices missing from the cache in bulk (auth_prefetch),
   so that refilling the cache costs a statement per 128 devices, not one per device. */
#define AUTH_SLOTS 65536
#define AUTH_PROBES 8
struct auth_slot {
    char mn[32];
    struct point_auth pa;
};
static struct auth_slot *auth_cache;
static int64_t auth_cache_born;

static void auth_expire(void)
{
    if (!auth_cache || wall_ms() - auth_cache_born > 10000) {
        free(auth_cache);
        auth_cache = xcalloc(AUTH_SLOTS, sizeof *auth_cache);
        auth_cache_born = wall_ms();
    }
}

/* The slot holding mn, else the free slot it would take (mn[0] == 0), else NULL (its probe
   run is full, or mn too long to cache). */
static struct auth_slot *auth_slot(const char *mn)
{
    if (strlen(mn) >= sizeof auth_cache->mn) {
        return NULL;
    }
    unsigned h = str_hash(mn);
    for (unsigned k = 0; k < AUTH_PROBES; k++) {
        struct auth_slot *s = &auth_cache[(h + k) & (AUTH_SLOTS - 1)];
        if (!s->mn[0] || !strcmp(s->mn, mn)) {
            return s;
        }
    }
    return NULL;
}

static void auth_put(const char *mn, const struct point_auth *pa, void *ctx)
{
    (void)ctx;
    struct auth_slot *s = auth_slot(mn);
    if (s) {
        memcpy(s->mn, mn, strlen(mn) + 1); /* auth_slot checked the length */
        s->pa = *pa;
    }
}

static int point_lookup(struct db *db, const char *mn, struct point_auth *out)
{
    auth_expire();
    struct auth_slot *s = auth_slot(mn);
    if (s && s->mn[0]) {
        *out = s->pa;
        return 0;
    }
    int rc = store_point_by_mn(db, mn, out);
    if (!rc) {
        auth_put(mn, out, NULL);
    }
    return rc;
}

/* Fetch the batch's devices that are not in the cache, in bulk. */
static int auth_prefetch(struct db *db, struct job *batch, size_t n)
{
    auth_expire();
    char(*mn)[32] = xmalloc(n * sizeof *mn);
    const char **missing = xmalloc(n * sizeof *missing);
    size_t m = 0;
    for (struct job *j = batch; j; j = j->next) {
        struct auth_slot *s;
        if (j->f.mn.len && j->f.mn.len < sizeof *mn) {
            str_slice_copy(mn[m], sizeof *mn, j->f.mn);
            if ((s = auth_slot(mn[m])) && !s->mn[0]) {
                missing[m] = mn[m];
                m++;
            }
        }
    }
    int rc = store_points_by_mns(db, missing, m, auth_put, NULL);
    free(missing);
    free(mn);
    return rc;
}

/* One frame inside the batch transaction. Fills the job's replies. */
static int handle_job(struct db *db, struct bulk *bulk, struct job *j, const char *now)
{
    const struct hj212_frame f = j->f;
    char mn[40], pw[16], qn[24];
    str_slice_copy(mn, sizeof mn, f.mn);
    str_slice_copy(pw, sizeof pw, f.pw);
    str_slice_copy(qn, sizeof qn, f.qn);
    struct point_auth pa;
    int rc = point_lookup(db, mn, &pa);
    unsigned dev = f.deviations;
    const char *why = rc == ERR_NOTFOUND            ? "unknown_mn"
                      : rc                          ? NULL
                      : strcmp(pa.password, pw)     ? "bad_password"
                      : strcmp(pa.status, "active") ? "inactive_point"
                                                    : NULL;
    if (why) {
        STAT_ADD(quarantined, 1);
        rc = store_quarantine_add(db, mn, pw, why, j->raw, "", now);
    } else if (!rc) {
        j->point_id = pa.point_id;
        char cn[8], when[20] = "";
        int maint = -1;
        str_slice_copy(cn, sizeof cn, f.cn);
        /* Answers to the platform's commands: 9011/9012 and data carrying the request's QN
           (history uploads share one QN, so they bypass message de-duplication). */
        bool answer = false;
        if (f.qn.len && watch_command_pending(pa.point_id)) {
            rc = store_command_open(db, pa.point_id, qn, &answer);
        }
        if (!rc && (answer || str_eq(f.cn, "9011") || str_eq(f.cn, "9012"))) {
            char rtn[8], cp[1100];
            str_slice_copy(rtn, sizeof rtn, cp_get(&f, str_eq(f.cn, "9011") ? "QnRtn" : "ExeRtn"));
            str_slice_copy(cp, sizeof cp, f.cp);
            bool matched;
            rc = store_command_answer(db, pa.point_id, qn, cn, rtn, cp, now, &matched);
        }
        bool fresh = j->fresh != 0;
        if (!rc && f.qn.len && !answer && j->fresh < 0) {
            rc = store_hj212_message(db, mn, qn, now, &fresh);
        }
        if (!rc && fresh && is_data_cn(f.cn)) {
            rc = store_values(db, bulk, &pa, &f, now, &dev, when, &maint, true);
        }
        if (!rc && !fresh) {
            STAT_ADD(duplicates, 1);
        }
        if (!rc && fresh) {
            bulk_frame(bulk, pa.point_id, mn, j->raw, j->len);
            count_deviations(db, mn, dev, now);
        }
        if (!rc) {
            watch_frame(&pa, when[0] ? when : NULL, maint);
            rc = watch_frame_alarms(db, &pa, now);
        }
    }
    if (!rc && str_eq(f.cn, "1013")) {
        time_replies(j, &f, pw, mn);
    } else if (!rc && f.ack_wanted) {
        j->reply_len[0] = hj212_reply_9014(j->reply[0], sizeof j->reply[0], &f);
    }
    return rc;
}

static size_t count_upto(const struct job *j, size_t max)
{
    size_t n = 0;
    for (; j && n < max; j = j->next) {
        n++;
    }
    return n;
}

/* Message de-duplication for a whole batch, one statement per up to 128 frames: the frames with
   a QN from authenticated devices without a command in flight (answers to commands bypass it;
   those, and everything else, are left to handle_job with fresh -1). A message repeated inside
   the batch is a re-send of its first. */
struct dedup {
    struct dedup_slot {
        char mn[40], qn[24];
        struct job *first; /* NULL: empty */
    } * slot;
    size_t slots; /* power of two */
    struct message_key *keys;
    size_t n, cap;
};

static struct dedup_slot *dedup_find(struct dedup *d, const char *mn, const char *qn)
{
    size_t k = (str_hash(mn) ^ str_hash(qn) * 31u) & (d->slots - 1);
    for (; d->slot[k].first; k = (k + 1) & (d->slots - 1)) {
        if (!strcmp(d->slot[k].qn, qn) && !strcmp(d->slot[k].mn, mn)) {
            break;
        }
    }
    return &d->slot[k];
}

static void on_fresh(const char *mn, const char *qn, void *ctx)
{
    struct dedup_slot *s = dedup_find(ctx, mn, qn);
    if (s->first) {
        s->first->fresh = 1;
    }
}

static int dedup_batch(struct db *db, struct dedup *d, struct job *batch, size_t n, const char *now)
{
    if (d->slots < 2 * n) {
        free(d->slot);
        for (d->slots = 1024; d->slots < 2 * n; d->slots *= 2) {
        }
        d->slot = xcalloc(d->slots, sizeof *d->slot);
    }
    if (d->cap < n) {
        d->cap = n;
        d->keys = xrealloc(d->keys, n * sizeof *d->keys);
    }
    d->n = 0;
    int rc = auth_prefetch(db, batch, n);
    for (struct job *j = batch; !rc && j; j = j->next) {
        j->fresh = -1;
        const struct hj212_frame f = j->f;
        if (!f.qn.len) {
            continue;
        }
        char mn[40], pw[16], qn[24];
        str_slice_copy(mn, sizeof mn, f.mn);
        str_slice_copy(pw, sizeof pw, f.pw);
        str_slice_copy(qn, sizeof qn, f.qn);
        struct point_auth pa;
        rc = point_lookup(db, mn, &pa);
        if (rc) {
            rc = rc == ERR_NOTFOUND ? 0 : rc;
            continue;
        }
        if (strcmp(pa.password, pw) || strcmp(pa.status, "active") ||
            watch_command_pending(pa.point_id)) {
            continue;
        }
        struct dedup_slot *s = dedup_find(d, mn, qn);
        j->fresh = 0;
        if (s->first) {
            continue; /* re-sent within the batch */
        }
        memcpy(s->mn, mn, sizeof mn);
        memcpy(s->qn, qn, sizeof qn);
        s->first = j;
        d->keys[d->n++] = (struct message_key){s->mn, s->qn};
    }
    if (!rc) {
        rc = store_hj212_messages_put(db, d->keys, d->n, now, on_fresh, d);
    }
    memset(d->slot, 0, d->slots * sizeof *d->slot);
    return rc;
}

struct backlog {
    struct {
        int64_t id;
        char pw[16];
        char *raw;
    } * rows;
    size_t n, cap;
};

static void on_backlog(struct db_stmt *st, void *ctx)
{
    struct backlog *b = ctx;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 256;
        b->rows = xrealloc(b->rows, b->cap * sizeof *b->rows);
    }
    size_t len;
    const char *raw = db_column_text(st, 2, &len);
    b->rows[b->n].id = db_column_int(st, 0);
    snprintf(b->rows[b->n].pw, sizeof b->rows[0].pw, "%s", db_column_text(st, 1, NULL));
    b->rows[b->n].raw = xmalloc(len + 1);
    memcpy(b->rows[b->n].raw, raw, len + 1);
    b->n++;
}

int gateway_adopt(struct db *db, const struct point_auth *pa, const char *mn, const char *now,
                  int64_t *adopted, int64_t *skipped, int64_t *values)
{
    struct backlog b = {0};
    struct bulk bulk = {0};
    int rc = store_quarantine_of_mn(db, mn, on_backlog, &b);
    uint64_t before = __atomic_load_n(&stats.readings, __ATOMIC_RELAXED);
    for (size_t i = 0; !rc && i < b.n; i++) {
        if (strcmp(b.rows[i].pw, pa->password)) {
            (*skipped)++; /* a wrong password stays in quarantine */
            continue;
        }
        struct hj212_frame f;
        size_t used;
        const char *raw = b.rows[i].raw;
        if (!hj212_frame_parse(raw, strlen(raw), true, &f, &used)) {
            char qn[24], when[20];
            unsigned dev = 0;
            int maint = -1;
            bool fresh = true;
            str_slice_copy(qn, sizeof qn, f.qn);
            if (f.qn.len) {
                rc = store_hj212_message(db, mn, qn, now, &fresh);
            }
            if (!rc && fresh && is_data_cn(f.cn)) {
                rc = store_values(db, &bulk, pa, &f, now, &dev, when, &maint, false);
            }
        }
        if (!rc) {
            rc = store_quarantine_delete(db, b.rows[i].id);
            (*adopted)++;
        }
    }
    if (!rc) {
        rc = bulk_flush(db, &bulk, now);
    }
    bulk_free(&bulk);
    *values = (int64_t)(__atomic_load_n(&stats.readings, __ATOMIC_RELAXED) - before);
    for (size_t i = 0; i < b.n; i++) {
        free(b.rows[i].raw);
    }
    free(b.rows);
    return rc;
}

/* The next batch (NULL when none), *n its length. */
static struct job *take_batch(struct gateway *g, size_t *n_out)
{
    pthread_mutex_lock(&g->lock);
    /* Wake at least once a second for the watch's periodic work and queued commands. */
    if (!g->in_head && !g->stopping && !g->kicked) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&g->cond, &g->lock, &ts);
    }
    if (!g->in_head) {
        pthread_mutex_unlock(&g->lock);
        return NULL;
    }
    /* Let a batch gather for up to batch_ms: bounded latency, fewer fsyncs. */
    int64_t deadline = wall_ms() + g->batch_ms;
    size_t n = count_upto(g->in_head, g->batch_max);
    while (!g->stopping && n < g->batch_max && wall_ms() < deadline) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 2000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++, ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&g->cond, &g->lock, &ts);
        n = count_upto(g->in_head, g->batch_max);
    }
    /* At most batch_max frames: under a backlog, transactions (and the wait for their acks)
       stay bounded instead of growing with the queue. */
    struct job *batch = g->in_head, *last = batch;
    size_t k = 1;
    for (; k < g->batch_max && last->next; k++) {
        last = last->next;
    }
    *n_out = k;
    g->in_head = last->next;
    if (!g->in_head) {
        g->in_tail = NULL;
    }
    last->next = NULL;
    pthread_mutex_unlock(&g->lock);
    return batch;
}

/* Hand jobs (replies, or outbound commands) to the loop. */
static void hand_back(struct gateway *g, struct job *batch)
{
    if (!batch) {
        return;
    }
    pthread_mutex_lock(&g->lock);
    struct job *last = batch;
    while (last->next) {
        last = last->next;
    }
    if (g->done_tail) {
        g->done_tail->next = batch;
    } else {
        g->done_head = batch;
    }
    g->done_tail = last;
    pthread_mutex_unlock(&g->lock);
    uv_async_send(&g->wake);
}

struct dispatch {
    struct db *db;
    const char *now;
    const char *stale; /* commands queued before this are not left to other gateways */
    struct job *out;
    int rc;
    int n;
};

/* A queued command: build the request frame for an online device, or mark it offline. */
static void on_queued(struct db_stmt *st, void *ctx)
{
    struct dispatch *d = ctx;
    if (d->rc) {
        return;
    }
    int64_t id = db_column_int(st, 0), point = db_column_int(st, 1);
    char cn[8], params[200], mn[40], pw[16], sys[8], proto[8], qn[24];
    snprintf(cn, sizeof cn, "%s", db_column_text(st, 2, NULL));
    snprintf(params, sizeof params, "%s", db_column_text(st, 3, NULL));
    snprintf(mn, sizeof mn, "%s", db_column_text(st, 4, NULL));
    snprintf(pw, sizeof pw, "%s", db_column_text(st, 5, NULL));
    snprintf(sys, sizeof sys, "%s", db_column_text(st, 6, NULL));
    snprintf(proto, sizeof proto, "%s", db_column_text(st, 7, NULL));
    int64_t t = wall_ms();
    char when[20];
    china_time(t / 1000, when);
    /* QN: China time to the millisecond, made unique per command by its id. */
    snprintf(qn, sizeof qn, "%.4s%.2s%.2s%.2s%.2s%.2s%03d", when, when + 5, when + 8, when + 11,
             when + 14, when + 17, (int)((t + id) % 1000));
    struct job *j = xcalloc(1, sizeof *j);
    j->point_id = point;
    int flag = strcmp(proto, "2005") ? 5 : 1;
    j->reply_len[0] =
        hj212_frame_build(j->reply[0], sizeof j->reply[0], qn, sys, cn, pw, mn, flag, params);
    bool online = watch_online(point) && j->reply_len[0];
    if (!online && watch_heard_elsewhere(point) &&
        strcmp(db_column_text(st, 8, NULL), d->stale) > 0) {
        free(j); /* another gateway holds the device: leave the command to it for a while */
        return;
    }
    d->rc = store_command_sent(d->db, id, online ? "sent" : "offline", qn, d->now);
    if (online && !d->rc) {
        watch_command_sent(point);
    }
    if (!online || d->rc) {
        free(j);
        return;
    }
    j->next = d->out;
    d->out = j;
    d->n++;
}

/* Periodic work in its own transaction: the watch's sweep, then queued commands. */
static void writer_tick(struct gateway *g, bool commands)
{
    static int64_t last_cmd_poll, last_tick;
    if (!commands && wall_ms() - last_tick < 1000) {
        return; /* at most once a second unless commands were queued */
    }
    last_tick = wall_ms();
    /* Database upkeep (PostgreSQL partitions, retention) is the job store.maintain now
       (src/jobs/), run once across processes instead of hourly in every gateway. */
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return;
    }
    rc = watch_tick(db, false);
    struct dispatch d = {db, NULL, NULL, NULL, 0, 0};
    char now[32], stale[32];
    now_iso(now);
    time_iso(wall_ms() / 1000 - settings_int("command_timeout_s"), stale);
    d.now = now;
    d.stale = stale;
    if (!rc && (commands || wall_ms() - last_cmd_poll > 2000)) {
        last_cmd_poll = wall_ms();
        rc = store_commands_queued(db, on_queued, &d);
        rc = rc ? rc : d.rc;
    }
    if (rc) {
        log_error("hj212: periodic work failed (%s: %s)", err_name(rc), db_errmsg(db));
        store_rollback(app.store, db);
        watch_reset();
    } else {
        rc = store_commit(app.store, db);
    }
    if (!rc && d.n) {
        hand_back(g, d.out);
    } else {
        while (d.out) {
            struct job *n = d.out->next;
            free(d.out);
            d.out = n;
        }
    }
}

/* Most raw frames, and most de-duplication keys, one batch deletes. */
#define PRUNE_MAX 10000

static void *writer_main(void *arg)
{
    struct gateway *g = arg;
    uint64_t batches = 0;
    bool prune_more = false;
    struct bulk bulk = {0};
    struct dedup dedup = {0};
    for (;;) {
        size_t n_batch = 0;
        struct job *batch = take_batch(g, &n_batch);
        pthread_mutex_lock(&g->lock);
        bool stopping = g->stopping, kicked = g->kicked;
        g->kicked = false;
        pthread_mutex_unlock(&g->lock);
        if (!batch) {
            if (stopping) {
                break; /* stopping and drained */
            }
            writer_tick(g, kicked);
            continue;
        }
        char now[32];
        now_iso(now);
        struct db *db;
        int64_t t[PHASES + 1];
        t[0] = mono_us();
        int rc = store_begin(app.store, &db);
        bool begin_failed = rc != 0; /* no transaction: nothing to roll back */
        if (!rc) {
            rc = watch_load(db);
        }
        if (!rc) {
            rc = dedup_batch(db, &dedup, batch, n_batch, now);
        }
        t[1] = mono_us();
        for (struct job *j = batch; !rc && j; j = j->next) {
            rc = handle_job(db, &bulk, j, now);
        }
        t[2] = t[3] = t[4] = mono_us();
        if (begin_failed) {
            bulk_clear(&bulk);
        } else {
            rc = rc ? (bulk_clear(&bulk), rc) : bulk_flush(db, &bulk, now);
            t[3] = t[4] = mono_us();
            /* The raw-frame log keeps an hour, the de-duplication keys hj212_dedup_hours:
               pruned every 64 batches, PRUNE_MAX rows of each at a time, and in every batch
               while more is left (a backlog, such as the keys of months before schema 5). */
            if (!rc && (++batches % 64 == 0 || prune_more)) {
                char frames[32], messages[32];
                time_iso(wall_ms() / 1000 - 3600, frames);
                time_iso(wall_ms() / 1000 - settings_int("hj212_dedup_hours") * 3600, messages);
                rc = store_hj212_prune(db, frames, messages, PRUNE_MAX, &prune_more);
                t[4] = mono_us();
            }
            rc = rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
        }
        t[PHASES] = mono_us();
        for (int p = 0; p < PHASES; p++) {
            STAT_ADD(phase_us[p], (uint64_t)(t[p + 1] - t[p]));
        }
        STAT_ADD(batches, 1);
        STAT_ADD(batch_frames, n_batch);
        if (rc) {
            log_error("hj212: batch not stored (%s); devices will retry", err_name(rc));
            watch_reset(); /* in-memory alarm state may be ahead of the rolled-back rows */
        }
        for (struct job *j = batch; j; j = j->next) {
            if (rc) {
                j->reply_len[0] = j->reply_len[1] = 0; /* no ack for what is not stored */
            }
        }
        hand_back(g, batch);
        writer_tick(g, kicked);
    }
    free(auth_cache);
    auth_cache = NULL;
    watch_free();
    bulk_free(&bulk);
    free(dedup.slot);
    free(dedup.keys);
    pthread_mutex_lock(&g->lock);
    g->writer_done = true;
    pthread_mutex_unlock(&g->lock);
    uv_async_send(&g->wake);
    return NULL;
}

/* ---------------- event loop ---------------- */

static void resume_paused(struct gateway *g);

static void conn_free_if_done(struct conn *c)
{
    if (c->closing && c->handles_open == 0 && c->pending == 0) {
        struct gateway *g = c->g;
        if (c->point_id > 0 && (size_t)c->point_id < g->n_by_point &&
            g->by_point[c->point_id] == c) {
            g->by_point[c->point_id] = NULL;
        }
        g->n_conns--;
        free(c);
    }
}

/* Remember which connection speaks for a point (the latest one wins). */
static void conn_learn(struct conn *c, int64_t point_id)
{
    struct gateway *g = c->g;
    if (c->closing || point_id <= 0 || point_id > 16 * 1024 * 1024 || c->point_id == point_id) {
        return;
    }
    if ((size_t)point_id >= g->n_by_point) {
        size_t n = (size_t)point_id * 2 + 64;
        g->by_point = xrealloc(g->by_point, n * sizeof *g->by_point);
        memset(g->by_point + g->n_by_point, 0, (n - g->n_by_point) * sizeof *g->by_point);
        g->n_by_point = n;
    }
    if (c->point_id > 0 && (size_t)c->point_id < g->n_by_point && g->by_point[c->point_id] == c) {
        g->by_point[c->point_id] = NULL;
    }
    c->point_id = point_id;
    g->by_point[point_id] = c;
}

static void on_handle_closed(uv_handle_t *h)
{
    struct conn *c = h->data;
    c->handles_open--;
    conn_free_if_done(c);
}

static void conn_close(struct conn *c)
{
    if (c->closing) {
        return;
    }
    c->closing = true;
    uv_read_stop((uv_stream_t *)&c->tcp);
    uv_close((uv_handle_t *)&c->idle, on_handle_closed);
    uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
}

static void on_idle(uv_timer_t *t)
{
    conn_close(t->data);
}

struct write_req {
    uv_write_t req;
    char data[256];
};

static void on_written(uv_write_t *w, int status)
{
    (void)status;
    free(w);
}

static void send_reply(struct conn *c, const char *data, size_t len)
{
    if (c->closing || !len || len > sizeof(((struct write_req *)0)->data)) {
        return;
    }
    struct write_req *w = xmalloc(sizeof *w);
    memcpy(w->data, data, len);
    uv_buf_t b = uv_buf_init(w->data, (unsigned)len);
    if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_written)) {
        free(w);
    } else {
        STAT_ADD(acks, 1);
    }
}

/* Replies of committed batches go back to their devices. */
static void on_wake(uv_async_t *a)
{
    struct gateway *g = a->data;
    pthread_mutex_lock(&g->lock);
    struct job *j = g->done_head;
    g->done_head = g->done_tail = NULL;
    bool writer_done = g->writer_done;
    pthread_mutex_unlock(&g->lock);
    while (j) {
        struct job *next = j->next;
        struct conn *c = j->conn;
        if (!c) {
            /* A platform command for a point: to its connection, if it is still open. */
            struct conn *to = (size_t)j->point_id < g->n_by_point ? g->by_point[j->point_id] : NULL;
            if (to) {
                send_reply(to, j->reply[0], j->reply_len[0]);
            }
            free(j);
            j = next;
            continue;
        }
        conn_learn(c, j->point_id);
        send_reply(c, j->reply[0], j->reply_len[0]);
        send_reply(c, j->reply[1], j->reply_len[1]);
        c->pending--;
        g->in_flight--;
        conn_free_if_done(c);
        free(j);
        j = next;
    }
    if (g->paused && g->in_flight < g->queue_max / 2) {
        resume_paused(g);
    }
    if (writer_done && g->stopping) {
        uv_stop(&g->loop);
    }
}

static void enqueue(struct gateway *g, struct job *j)
{
    pthread_mutex_lock(&g->lock);
    if (g->in_tail) {
        g->in_tail->next = j;
    } else {
        g->in_head = j;
    }
    g->in_tail = j;
    pthread_cond_signal(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

static void on_frame(void *ctx, const struct hj212_frame *f, const char *raw, size_t len)
{
    struct conn *c = ctx;
    STAT_ADD(frames, 1);
    struct job *j = xcalloc(1, sizeof *j);
    j->conn = c;
    j->len = len;
    memcpy(j->raw, raw, len);
    /* The parsed frame moves with its bytes: the writer does not parse it again. */
    j->f = *f;
    struct str *slices[] = {&j->f.qn, &j->f.st, &j->f.cn, &j->f.pw, &j->f.mn, &j->f.cp, &j->f.data};
    for (size_t i = 0; i < ARRAY_LEN(slices); i++) {
        if (slices[i]->p) {
            slices[i]->p = j->raw + (slices[i]->p - raw);
        }
    }
    c->pending++;
    c->g->in_flight++;
    if ((uint64_t)c->g->in_flight > stats.queue_peak) { /* written by the loop thread only */
        __atomic_store_n(&stats.queue_peak, (uint64_t)c->g->in_flight, __ATOMIC_RELAXED);
    }
    enqueue(c->g, j);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    static __thread char chunk[65536];
    (void)h, (void)suggested;
    *buf = uv_buf_init(chunk, sizeof chunk);
}

/* Stop reading from c until resume_paused (the list holds a reference). */
static void pause_conn(struct conn *c)
{
    if (c->paused || c->closing) {
        return;
    }
    uv_read_stop((uv_stream_t *)&c->tcp);
    c->paused = true;
    c->pending++;
    c->next_paused = c->g->paused;
    c->g->paused = c;
}

static void pause_walk(uv_handle_t *h, void *arg)
{
    struct gateway *g = arg;
    if (h->type == UV_TCP && h->data && h != (uv_handle_t *)&g->server && !uv_is_closing(h)) {
        pause_conn(h->data);
    }
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct conn *c = s->data;
    if (n < 0) {
        conn_close(c);
        return;
    }
    if (n == 0) {
        return;
    }
    uv_timer_again(&c->idle);
    uint64_t bad = c->stream.bad_frames;
    hj212_stream_feed(&c->stream, buf->base, (size_t)n, on_frame, c);
    STAT_ADD(bad_frames, c->stream.bad_frames - bad);
    /* A device that floods garbage loses its connection; others are unaffected. */
    if (c->stream.garbage_bytes > (uint64_t)c->g->garbage_max) {
        log_warn("hj212: closing a connection after %llu bytes of garbage",
                 (unsigned long long)c->stream.garbage_bytes);
        STAT_ADD(garbage_closes, 1);
        conn_close(c);
        return;
    }
    /* Above queue_max every connection stops reading, not only this one: one read can carry
       hundreds of frames, so 5,000 devices each sending one more read would queue far more. */
    struct gateway *g = c->g;
    if (g->in_flight > g->queue_max) {
        if (g->paused) {
            pause_conn(c);
        } else {
            STAT_ADD(pauses, 1);
            uv_walk(&g->loop, pause_walk, g);
        }
    }
}

static void on_connection(uv_stream_t *server, int status)
{
    struct gateway *g = server->data;
    if (status < 0 || g->stopping) {
        return;
    }
    struct conn *c = xcalloc(1, sizeof *c);
    c->g = g;
    uv_tcp_init(&g->loop, &c->tcp);
    c->tcp.data = c;
    c->handles_open = 1;
    if (uv_accept(server, (uv_stream_t *)&c->tcp) ||
        g->n_conns >= (int)settings_int("hj212_max_connections")) {
        c->closing = true;
        g->n_conns++;
        uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
        return;
    }
    g->n_conns++;
    STAT_ADD(conns, 1);
    hj212_stream_init(&c->stream, g->lf_only);
    uv_timer_init(&g->loop, &c->idle);
    c->idle.data = c;
    c->handles_open = 2;
    uv_timer_start(&c->idle, on_idle, (uint64_t)g->idle_ms, (uint64_t)g->idle_ms);
    uv_tcp_nodelay(&c->tcp, 1);
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
    if (g->paused) {
        pause_conn(c); /* the gateway is above queue_max: this one waits like the others */
    }
}

static void close_walk(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (h->type == UV_TCP && h->data && h != (uv_handle_t *)&((struct gateway *)arg)->server) {
        conn_close(h->data);
    }
}

/* Stop: no new connections; the writer drains and commits; then the loop ends. */
static void resume_paused(struct gateway *g)
{
    while (g->paused) {
        struct conn *c = g->paused;
        g->paused = c->next_paused;
        c->paused = false;
        c->next_paused = NULL;
        if (!c->closing) {
            uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
        }
        c->pending--; /* the pause held a reference */
        conn_free_if_done(c);
    }
}

static void on_stop(uv_async_t *a)
{
    struct gateway *g = a->data;
    uv_close((uv_handle_t *)&g->server, NULL);
    uv_walk(&g->loop, close_walk, g);
    resume_paused(g);
    pthread_mutex_lock(&g->lock);
    g->stopping = true;
    pthread_cond_signal(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

static void loop_main(void *arg)
{
    struct gateway *g = arg;
    uv_run(&g->loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&g->wake, NULL);
    uv_close((uv_handle_t *)&g->stop, NULL);
    uv_run(&g->loop, UV_RUN_DEFAULT); /* let every close callback run */
}

static struct gateway *running;

int gateway_start(const char *listen, struct gateway **out, char *err, size_t errcap)
{
    char addr[128];
    int port;
    if (http_parse_listen(listen, addr, sizeof addr, &port)) {
        snprintf(err, errcap, "bad --hj212 value '%s' (expected [ADDR:]PORT)", listen);
        return ERR_INPUT;
    }
    struct gateway *g = xcalloc(1, sizeof *g);
    g->idle_ms = settings_int("hj212_idle_s") * 1000;
    g->batch_ms = settings_int("hj212_batch_ms");
    g->batch_max = (size_t)settings_int("hj212_batch_max");
    g->garbage_max = settings_int("hj212_garbage_max");
    g->queue_max = settings_int("hj212_queue_max");
    g->lf_only = !strcmp(settings_get("hj212_lf_only"), "on");
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->cond, NULL);
    uv_loop_init(&g->loop);
    uv_tcp_init(&g->loop, &g->server);
    g->server.data = g;
    struct sockaddr_storage sa;
    int rc = strchr(addr, ':') ? uv_ip6_addr(addr, port, (struct sockaddr_in6 *)&sa)
                               : uv_ip4_addr(addr, port, (struct sockaddr_in *)&sa);
    if (!rc) {
        rc = uv_tcp_bind(&g->server, (const struct sockaddr *)&sa, 0);
    }
    if (!rc) {
        rc = uv_listen((uv_stream_t *)&g->server, 1024, on_connection);
    }
    if (rc) {
        snprintf(err, errcap, "HJ 212 gateway cannot listen on %s:%d: %s", addr, port,
                 uv_strerror(rc));
        uv_close((uv_handle_t *)&g->server, NULL);
        uv_run(&g->loop, UV_RUN_DEFAULT);
        uv_loop_close(&g->loop);
        free(g);
        return ERR_IO;
    }
    uv_async_init(&g->loop, &g->wake, on_wake);
    g->wake.data = g;
    uv_async_init(&g->loop, &g->stop, on_stop);
    g->stop.data = g;
    pthread_create(&g->writer, NULL, writer_main, g);
    uv_thread_create(&g->loop_thread, loop_main, g);
    running = g;
    *out = g;
    return 0;
}

void gateway_kick(void)
{
    struct gateway *g = running;
    if (!g) {
        return;
    }
    pthread_mutex_lock(&g->lock);
    g->kicked = true;
    pthread_cond_signal(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

void gateway_stop(struct gateway *g)
{
    if (!g) {
        return;
    }
    uv_async_send(&g->stop);
    pthread_join(g->writer, NULL);
    uv_thread_join(&g->loop_thread);
    uv_loop_close(&g->loop);
    free(g->by_point);
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->cond);
    if (running == g) {
        running = NULL;
    }
    free(g);
}

void gateway_metrics_write(struct buf *out)
{
    struct {
        const char *name, *help;
        uint64_t *v;
    } m[] = {
        {"envgov_hj212_frames_total", "Valid HJ 212 frames received.", &stats.frames},
        {"envgov_hj212_acks_total", "Replies sent after commit.", &stats.acks},
        {"envgov_hj212_quarantined_total", "Frames from unknown MN or wrong PW.",
         &stats.quarantined},
        {"envgov_hj212_duplicates_total", "Retried messages acknowledged again.",
         &stats.duplicates},
        {"envgov_hj212_readings_total", "Factor values stored.", &stats.readings},
        {"envgov_hj212_bad_frames_total", "Malformed frames skipped.", &stats.bad_frames},
        {"envgov_hj212_garbage_closes_total", "Connections closed for garbage.",
         &stats.garbage_closes},
        {"envgov_hj212_connections_total", "Device connections accepted.", &stats.conns},
        {"envgov_hj212_pauses_total", "Times every device connection stopped reading (queue full).",
         &stats.pauses},
        {"envgov_hj212_batches_total", "Transactions the writer ran for received frames.",
         &stats.batches},
        {"envgov_hj212_batch_frames_total", "Frames in those transactions.", &stats.batch_frames},
    };
    for (size_t i = 0; i < ARRAY_LEN(m); i++) {
        buf_printf(out, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", m[i].name, m[i].help,
                   m[i].name, m[i].name,
                   (unsigned long long)__atomic_load_n(m[i].v, __ATOMIC_RELAXED));
    }
    buf_puts(out, "# HELP envgov_hj212_writer_seconds_total Writer time per phase of its batches"
                  " (dedup, frames, store, prune, commit).\n"
                  "# TYPE envgov_hj212_writer_seconds_total counter\n");
    for (int p = 0; p < PHASES; p++) {
        uint64_t us = __atomic_load_n(&stats.phase_us[p], __ATOMIC_RELAXED);
        buf_printf(out, "envgov_hj212_writer_seconds_total{phase=\"%s\"} %llu.%06llu\n",
                   PHASE_NAMES[p], (unsigned long long)(us / 1000000),
                   (unsigned long long)(us % 1000000));
    }
    buf_printf(out,
               "# HELP envgov_hj212_queue_peak Most frames in flight (received, not yet "
               "acknowledged) since start.\n"
               "# TYPE envgov_hj212_queue_peak gauge\nenvgov_hj212_queue_peak %llu\n",
               (unsigned long long)__atomic_load_n(&stats.queue_peak, __ATOMIC_RELAXED));
    if (running) {
        buf_printf(out,
                   "# HELP envgov_hj212_open_connections Open device connections.\n"
                   "# TYPE envgov_hj212_open_connections gauge\n"
                   "envgov_hj212_open_connections %d\n",
                   __atomic_load_n(&running->n_conns, __ATOMIC_RELAXED));
        buf_printf(out,
                   "# HELP envgov_hj212_alarm_states Alarm states the writer holds in memory.\n"
                   "# TYPE envgov_hj212_alarm_states gauge\n"
                   "envgov_hj212_alarm_states %zu\n",
                   watch_alarm_states());
    }
}
