/*
** `envgov hj212 sim`: N simulated data loggers on one libuv loop. Each device sends real-time
** (2011) frames with Flag=5 at a fixed rate and measures the time to its 9014; faults on request
** (bad CRC, split writes, sticky writes, exceedances, stuck values, silence). Devices take MN/PW
** from the registry (--data) so the gateway accepts them, or invent them (quarantined).
** The run starts once all devices are connected and keeps a fixed schedule, so the rate offered
** is the rate asked for. Prints the rate offered, frames sent, acknowledged, throughput over the
** sending window and p50/p99 acknowledgement latency.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "core/err.h"
#include "core/settings.h"
#include "http/server.h"
#include "monitor/hj212.h"
#include "monitor/watch.h"
#include "platform/app.h"
#include "platform/cli.h"
#include "store/q_monitor.h"
#include "store/store.h"

#define RING 125 /* divides 1000: acks are matched by the QN's last three digits */
/* A device whose connection holds this many bytes not yet taken by the kernel (the gateway has
   stopped reading) skips its due frames instead of queueing them without bound. */
#define WRITE_BACKLOG 65536

struct sim;

/* A factor the device measures, with its outlet's limit (the lowest when it has several). */
#define MAX_FACTORS 8
struct factor {
    char code[8];
    double limit;
};

struct device {
    uv_tcp_t tcp;
    uv_connect_t conn;
    uv_timer_t tick;
    struct sim *sim;
    char mn[32], pw[16], st[4];
    int idx, nf;
    struct factor f[MAX_FACTORS];
    uint32_t history_acks; /* acks still due for the history frames, which come back first */
    int64_t t0;            /* data time of the first real-time frame (unix s) */
    uint64_t seq;
    uint64_t due_us;        /* when the next frame is due (a fixed schedule: no drift) */
    uint64_t sent_at[RING]; /* by seq % RING, microseconds */
    char rbuf[512];
    size_t rlen;
    bool connected;
};

struct sim {
    uv_loop_t *loop;
    struct device *dev;
    int n;
    double rate;        /* frames per second per device */
    uint64_t period_us; /* 1 / rate */
    int bad_crc_pct, split, sticky, exceed, stuck, idle;
    uint64_t sent, acked, errors;
    uint64_t skipped; /* frames due while the connection still held WRITE_BACKLOG unsent bytes */
    uint64_t values;  /* factor values in the frames sent */
    int64_t history_h, step_s;
    uint64_t history_sent, history_acked;
    uint32_t *lat_us;
    size_t n_lat, cap_lat;
    int connecting; /* connections not yet established or failed */
    bool started;
    uv_timer_t stop, patience; /* the run's length; the wait for the connections */
    int64_t seconds;
    uint64_t first_us, stop_us, last_ack_us; /* first frame sent, end of sending, last ack */
    int64_t epoch_s;                         /* wall clock at start: data times count from here */
};

static uint64_t now_us(void)
{
    return uv_hrtime() / 1000;
}

static void on_write(uv_write_t *w, int status)
{
    (void)status;
    free(w);
}

static void send_bytes(struct device *d, const char *p, size_t n)
{
    uv_write_t *w = xmalloc(sizeof *w + n);
    memcpy((char *)(w + 1), p, n);
    uv_buf_t b = uv_buf_init((char *)(w + 1), (unsigned)n);
    if (uv_write(w, (uv_stream_t *)&d->tcp, &b, 1, on_write)) {
        free(w);
        d->sim->errors++;
    }
}

/* Devices without limits in the registry (or not in it) measure these, as a wastewater outlet. */
static const struct factor WATER[] = {{"w01018", 80}, {"w21003", 10}, {"w21011", 0.5}};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

/* The device's level at unix time t, as a share of factor k's limit: a daily cycle around half
   the limit (each device in its own phase) and a little noise, the same for the same device,
   time and factor. With --exceed every fifth device has a two-hour episode at 1.6 times the
   limit each day (its history); with --stuck the level never moves. */
static double level(const struct device *d, int64_t t, int k)
{
    const struct sim *s = d->sim;
    if (s->stuck) {
        return 0.5;
    }
    int64_t day_s = (t + 8 * 3600) % 86400; /* China time */
    double hour = (double)day_s / 3600.0;
    if (s->exceed && d->idx % 5 == 0 && k == 0) {
        int h0 = 8 + d->idx / 5 % 10;
        if (hour >= h0 && hour < h0 + 2) {
            return 1.6;
        }
    }
    uint64_t h = mix((uint64_t)d->idx * 1000003u ^ (uint64_t)t * 31u ^ (uint64_t)k << 56);
    double noise = ((double)(h % 1000) / 1000.0 - 0.5) * 0.1;
    return 0.45 + 0.12 * sin(2 * M_PI * (hour + (double)(d->idx % 24)) / 24.0) + noise;
}

/* A value with the precision its limit suggests. */
static int put_value(char *out, size_t cap, double v, double limit)
{
    return snprintf(out, cap, "%.*f", limit >= 10 ? 1 : limit >= 1 ? 2 : 3, v);
}

static void hj_time(int64_t unix_s, char out[15])
{
    char w[20];
    china_time(unix_s, w);
    snprintf(out, 15, "%.4s%.2s%.2s%.2s%.2s%.2s", w, w + 5, w + 8, w + 11, w + 14, w + 17);
}

/* Append to cp (cap bytes, *n used), cut at the end instead of overrunning it. */
static void cp_add(char *cp, size_t cap, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void cp_add(char *cp, size_t cap, size_t *n, const char *fmt, ...)
{
    if (*n >= cap) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(cp + *n, cap - *n, fmt, ap);
    va_end(ap);
    *n = k < 0 ? cap : *n + (size_t)k;
}

/* The CP of a frame at data time t: for real-time data (span 0) each factor's Rtd, else its
   Avg/Min/Max over the span (and the flow's Cou); the flow last. */
static void make_cp(const struct device *d, int64_t t, int64_t span, bool exceed, char *cp,
                    size_t cap)
{
    char when[15];
    hj_time(t, when);
    size_t n = 0;
    cp_add(cp, cap, &n, "DataTime=%s", when);
    for (int k = 0; k <= d->nf; k++) {
        bool flow = k == d->nf;
        const char *code = flow ? (d->f[0].code[0] == 'a' ? "a00000" : "w00000") : d->f[k].code;
        double limit = flow ? 0 : d->f[k].limit;
        double lv = span ? level(d, t + span / 2, k) : level(d, t, k);
        double v = flow ? (code[0] == 'a' ? 25.0 : 12.0) * (0.9 + 0.2 * lv)
                        : limit * (exceed && k == 0 ? 3.0 : lv);
        char num[32];
        put_value(num, sizeof num, v, flow ? 10 : limit);
        if (!span) {
            cp_add(cp, cap, &n, ";%s-Rtd=%s,%s-Flag=N", code, num, code);
            continue;
        }
        char lo[32], hi[32];
        put_value(lo, sizeof lo, v * 0.85, flow ? 10 : limit);
        put_value(hi, sizeof hi, v * 1.15, flow ? 10 : limit);
        cp_add(cp, cap, &n, ";%s-Avg=%s,%s-Min=%s,%s-Max=%s", code, num, code, lo, code, hi);
        if (flow) { /* L/s or m³/s over the span, in m³ */
            double m3 = v * (double)span / (code[0] == 'w' ? 1000.0 : 1.0);
            cp_add(cp, cap, &n, ",%s-Cou=%.1f", code, m3);
        }
        cp_add(cp, cap, &n, ",%s-Flag=N", code);
    }
}

static size_t make(struct device *d, char *out, size_t cap)
{
    struct sim *s = d->sim;
    uint64_t q = ++d->seq;
    /* Data time: the simulator's clock, from when the device's first frame falls due and
       advancing one period per frame, at least one second, so values are unique (and at one
       frame a second or slower, the data time is the time the frame falls due). */
    int64_t t = d->t0 + (int64_t)(q - 1) * s->step_s;
    char cp[900], when[15], qn[24];
    make_cp(d, t, 0, s->exceed && q % 10 == 0, cp, sizeof cp);
    /* QN: the data time and the frame number's last three digits, so runs with other --from
       times never repeat a QN (a repeat is a retry: acknowledged, not stored). */
    hj_time(t, when);
    snprintf(qn, sizeof qn, "%s%03llu", when, (unsigned long long)(q % 1000));
    d->sent_at[q % RING] = now_us();
    s->values += (uint64_t)d->nf + 1;
    size_t n = hj212_frame_build(out, cap, qn, d->st, "2011", d->pw, d->mn, 5, cp);
    if (n && s->bad_crc_pct && (int)(q % 100) < s->bad_crc_pct) {
        out[n - 3] = out[n - 3] == '0' ? '1' : '0'; /* corrupt the CRC */
    }
    return n;
}

/* --history H: before its real-time data, the device uploads the past H hours as a logger does
   after an outage: 10-minute (2051), hourly (2061) and daily (2031) data, oldest first. Their
   QNs end in the CN's last three digits, apart from the real-time frames'. */
static void history_frame(struct device *d, const char *cn, int64_t t, int64_t span)
{
    char cp[900], qn[24], out[HJ212_MAX_FRAME + 1];
    make_cp(d, t, span, false, cp, sizeof cp);
    hj_time(t, qn);
    snprintf(qn + 14, sizeof qn - 14, "%s", cn + 1);
    size_t n = hj212_frame_build(out, sizeof out, qn, d->st, cn, d->pw, d->mn, 5, cp);
    send_bytes(d, out, n);
    d->history_acks++;
    d->sim->history_sent++;
}

static void send_history(struct device *d)
{
    struct sim *s = d->sim;
    int64_t end = s->epoch_s, from = end - s->history_h * 3600;
    for (int64_t t = from - from % 600; t + 600 <= end; t += 600) {
        if (t >= from) {
            history_frame(d, "2051", t, 600);
        }
    }
    for (int64_t t = from - from % 3600; t + 3600 <= end; t += 3600) {
        if (t >= from) {
            history_frame(d, "2061", t, 3600);
        }
    }
    int64_t day0 = from - (from + 8 * 3600) % 86400; /* China midnight */
    for (int64_t t = day0; t + 86400 <= end; t += 86400) {
        if (t >= from) {
            history_frame(d, "2031", t, 86400);
        }
    }
}

static void send_frame(struct device *d)
{
    char a[HJ212_MAX_FRAME + 1], b[HJ212_MAX_FRAME + 1];
    size_t n = make(d, a, sizeof a);
    if (d->sim->sticky) {
        size_t m = make(d, b, sizeof b);
        memcpy(a + n, b, m);
        n += m;
        d->sim->sent++;
    }
    if (d->sim->split && n > 10) {
        send_bytes(d, a, n / 2);
        send_bytes(d, a + n / 2, n - n / 2);
    } else {
        send_bytes(d, a, n);
    }
    d->sim->sent++;
    if (!d->sim->first_us) {
        d->sim->first_us = now_us();
    }
}

/* Every frame due by now, then the timer for the next one. The schedule is fixed (start +
   k / rate): a tick that runs late sends what fell due meanwhile, so the rate offered is the
   rate asked for even when the loop is slow. (A timer re-armed after each tick drifted by the
   loop's lateness: under load the simulator offered about a sixth less than asked.) */
static void on_tick(uv_timer_t *t)
{
    struct device *d = t->data;
    if (!d->connected) {
        return;
    }
    struct sim *s = d->sim;
    uint64_t now = now_us();
    while (d->due_us <= now) {
        if (uv_stream_get_write_queue_size((uv_stream_t *)&d->tcp) > WRITE_BACKLOG) {
            s->skipped++;
        } else {
            send_frame(d);
        }
        d->due_us += s->period_us;
    }
    uv_timer_start(&d->tick, on_tick, (d->due_us - now + 999) / 1000, 0);
}

static void record(struct sim *s, uint64_t us)
{
    if (s->n_lat == s->cap_lat) {
        s->cap_lat = s->cap_lat ? s->cap_lat * 2 : 65536;
        s->lat_us = xrealloc(s->lat_us, s->cap_lat * sizeof *s->lat_us);
    }
    s->lat_us[s->n_lat++] = (uint32_t)(us > UINT32_MAX ? UINT32_MAX : us);
}

static void on_alloc(uv_handle_t *h, size_t size, uv_buf_t *b)
{
    struct device *d = h->data;
    (void)size;
    *b = uv_buf_init(d->rbuf + d->rlen, (unsigned)(sizeof d->rbuf - d->rlen));
}

/* A platform request (1011/1012/1061-1064/history): answer as a data logger does — 9011
   QnRtn=1, the data the request asks for, then 9012 ExeRtn=1, all with the request's QN. */
static void answer_request(struct device *d, const char *line, size_t len)
{
    struct hj212_frame f;
    size_t used;
    if (hj212_frame_parse(line, len, true, &f, &used) || str_eq(f.st, "91")) {
        return;
    }
    char qn[24], cn[8], cp[256], out[HJ212_MAX_FRAME + 1];
    str_slice_copy(qn, sizeof qn, f.qn);
    str_slice_copy(cn, sizeof cn, f.cn);
    size_t n = hj212_frame_build(out, sizeof out, qn, "91", "9011", d->pw, d->mn, 4, "QnRtn=1");
    send_bytes(d, out, n);
    cp[0] = 0;
    if (!strcmp(cn, "1011")) {
        snprintf(cp, sizeof cp, "SystemTime=20261122120000");
    } else if (!strcmp(cn, "1061")) {
        snprintf(cp, sizeof cp, "RtdInterval=30");
    } else if (!strcmp(cn, "1063")) {
        snprintf(cp, sizeof cp, "MinInterval=10");
    } else if (!strcmp(cn, "2031") || !strcmp(cn, "2051") || !strcmp(cn, "2061")) {
        struct hj212_cp_iter it;
        struct hj212_kv kv;
        char begin[16] = "20261122000000";
        hj212_cp_begin(&it, f.cp);
        while (hj212_cp_next(&it, &kv)) {
            if (str_eq(kv.code, "BeginTime") && kv.value.len == 14) {
                memcpy(begin, kv.value.p, 14);
            }
        }
        snprintf(cp, sizeof cp,
                 "DataTime=%s;w01018-Avg=41.0,w01018-Min=38.0,w01018-Max=44.0,w01018-Flag=N;"
                 "w00000-Cou=1250.5,w00000-Flag=N",
                 begin);
    }
    if (cp[0]) {
        n = hj212_frame_build(out, sizeof out, qn, "32", cn, d->pw, d->mn, 4, cp);
        send_bytes(d, out, n);
    }
    n = hj212_frame_build(out, sizeof out, qn, "91", "9012", d->pw, d->mn, 4, "ExeRtn=1");
    send_bytes(d, out, n);
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b)
{
    struct device *d = st->data;
    (void)b;
    if (n <= 0) {
        if (n < 0) {
            d->connected = false;
        }
        return;
    }
    d->rlen += (size_t)n;
    char *end;
    while ((end = memchr(d->rbuf, '\n', d->rlen))) {
        size_t line = (size_t)(end - d->rbuf) + 1;
        char *qn = memmem(d->rbuf, line, "QN=", 3);
        if (qn && memmem(d->rbuf, line, "CN=9014", 7)) {
            if (d->history_acks) { /* the gateway answers a connection's frames in order */
                d->history_acks--;
                d->sim->history_acked++;
            } else {
                uint64_t q = strtoull(qn + 3 + 14, NULL, 10) % 1000;
                d->sim->acked++;
                d->sim->last_ack_us = now_us();
                record(d->sim, d->sim->last_ack_us - d->sent_at[q % RING]);
            }
        } else if (!memmem(d->rbuf, line, "ST=91", 5)) {
            answer_request(d, d->rbuf, line);
        }
        memmove(d->rbuf, d->rbuf + line, d->rlen - line);
        d->rlen -= line;
    }
    if (d->rlen == sizeof d->rbuf) {
        d->rlen = 0;
    }
}

static void on_stop(uv_timer_t *t)
{
    struct sim *s = t->data;
    s->stop_us = now_us();
    uv_stop(t->loop);
}

/* The run starts once every device is connected (or after CONNECT_WAIT_MS): the devices' first
   frames spread over one period, and the run lasts --seconds from there, so the rate offered
   is the rate asked for from its first second (connecting thousands of devices takes a while). */
#define CONNECT_WAIT_MS 10000
static void start_run(struct sim *s)
{
    if (s->started) {
        return;
    }
    s->started = true;
    uv_timer_stop(&s->patience);
    s->stop.data = s;
    uv_timer_start(&s->stop, on_stop, (uint64_t)s->seconds * 1000, 0);
    for (int i = 0; i < s->n; i++) {
        struct device *d = &s->dev[i];
        if (!d->connected) {
            continue;
        }
        d->t0 = s->epoch_s;
        if (s->history_h) {
            send_history(d);
        }
        if (s->idle) { /* one frame to be known, then silence: the connection stays open */
            send_frame(d);
            continue;
        }
        uint64_t offset = (uint64_t)rand() % s->period_us + 1;
        d->due_us = now_us() + offset;
        d->t0 += (int64_t)(offset / 1000000);
        on_tick(&d->tick);
    }
}

static void on_patience(uv_timer_t *t)
{
    start_run(t->data);
}

static void on_connect(uv_connect_t *c, int status)
{
    struct device *d = c->data;
    struct sim *s = d->sim;
    if (status) {
        s->errors++;
    } else {
        d->connected = true;
        uv_read_start((uv_stream_t *)&d->tcp, on_alloc, on_read);
    }
    if (--s->connecting == 0) {
        start_run(s);
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

struct load_ctx {
    struct device *dev;
    int n, got;
};

static void add_row(const struct sim_point_row *r, void *arg)
{
    struct load_ctx *c = arg;
    struct device *d = c->got ? &c->dev[c->got - 1] : NULL;
    if (!d || strcmp(d->mn, r->mn)) { /* the point's first row */
        if (c->got == c->n) {
            return;
        }
        d = &c->dev[c->got++];
        snprintf(d->mn, sizeof d->mn, "%s", r->mn);
        snprintf(d->pw, sizeof d->pw, "%s", r->pw);
        snprintf(d->st, sizeof d->st, "%s", r->st);
    }
    bool known = false;
    for (int k = 0; k < d->nf; k++) {
        known |= !strcmp(d->f[k].code, r->code); /* rows by value: the lowest came first */
    }
    if (r->code[0] && !known && d->nf < MAX_FACTORS && strlen(r->code) < sizeof d->f[0].code) {
        snprintf(d->f[d->nf].code, sizeof d->f[0].code, "%s", r->code);
        d->f[d->nf++].limit = r->value;
    }
}

/* Registered active points first, measuring their outlet's limited factors; devices beyond them
   get invented MNs (quarantined). Devices without limits measure WATER. */
static int load_devices(struct device *dev, int n)
{
    struct load_ctx c = {dev, n, 0};
    struct db *db = store_read(app.store);
    store_points_sim_list(db, (size_t)n, add_row, &c);
    store_release(app.store, db);
    return c.got;
}

static int64_t opt_int(const struct cli *c, const char *name, int64_t def)
{
    const char *v = cli_opt(c, name);
    int64_t n;
    return v && !parse_i64(v, strlen(v), &n) ? n : (v ? -1 : def);
}

int cmd_hj212_sim(const struct cli *c)
{
    struct sim s = {0};
    const char *target = cli_opt(c, "target"), *rate = cli_opt(c, "rate");
    int64_t n = opt_int(c, "devices", 100), seconds = opt_int(c, "seconds", 10);
    s.rate = 1.0;
    if (rate && parse_f64(rate, strlen(rate), &s.rate)) {
        s.rate = -1;
    }
    s.bad_crc_pct = (int)opt_int(c, "bad_crc", 0);
    s.split = cli_opt(c, "split") != NULL;
    s.sticky = cli_opt(c, "sticky") != NULL;
    s.exceed = cli_opt(c, "exceed") != NULL;
    s.stuck = cli_opt(c, "stuck") != NULL;
    s.idle = cli_opt(c, "idle") != NULL;
    s.history_h = opt_int(c, "history", 0);
    int64_t from = -1; /* --from YYYYMMDDhhmmss (China time): data time of the first frames */
    const char *from_s = cli_opt(c, "from");
    if (from_s) {
        struct tm tm = {0};
        if (strlen(from_s) != 14 || sscanf(from_s, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon,
                                           &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
            fprintf(stderr, "envgov hj212 sim: --from YYYYMMDDhhmmss\n");
            return 2;
        }
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        from = (int64_t)timegm(&tm) - 8 * 3600;
    }
    if (n < 1 || n > 60000 || s.rate <= 0 || s.rate > 1000 || seconds < 1 || s.history_h < 0 ||
        s.history_h > 720) {
        fprintf(stderr, "envgov hj212 sim: --devices 1..60000, --rate 0..1000 per device, "
                        "--seconds >= 1, --history 0..720 (hours)\n");
        return 2;
    }
    char addr[128];
    int port;
    if (http_parse_listen(target ? target : settings_get("hj212"), addr, sizeof addr, &port)) {
        fprintf(stderr, "envgov hj212 sim: bad --target\n");
        return 2;
    }
    s.n = (int)n;
    s.period_us = (uint64_t)(1e6 / s.rate);
    s.period_us += !s.period_us;
    s.step_s = s.period_us >= 1000000 ? (int64_t)(s.period_us / 1000000) : 1;
    s.dev = xcalloc((size_t)n, sizeof *s.dev);
    int registered = cli_open_store(false) == 0 ? load_devices(s.dev, s.n) : 0;
    for (int i = 0; i < s.n; i++) {
        struct device *d = &s.dev[i];
        d->idx = i;
        if (i >= registered) {
            snprintf(d->mn, sizeof d->mn, "F1A0%020d", i);
            snprintf(d->pw, sizeof d->pw, "123456");
        }
        if (!d->st[0]) {
            snprintf(d->st, sizeof d->st, "32");
        }
        if (!d->nf) {
            memcpy(d->f, WATER, sizeof WATER);
            d->nf = (int)ARRAY_LEN(WATER);
        }
    }
    if (app.store) {
        cli_close_store();
    }
    s.loop = uv_default_loop();
    s.seconds = seconds;
    s.epoch_s = from >= 0 ? from : wall_ms() / 1000;
    uv_timer_init(s.loop, &s.stop); /* armed by start_run: the run's length */
    uv_timer_init(s.loop, &s.patience);
    s.patience.data = &s;
    uv_timer_start(&s.patience, on_patience, CONNECT_WAIT_MS, 0);
    struct sockaddr_in sa;
    uv_ip4_addr(addr, port, &sa);
    for (int i = 0; i < s.n; i++) {
        struct device *d = &s.dev[i];
        d->sim = &s;
        uv_tcp_init(s.loop, &d->tcp);
        d->tcp.data = d;
        uv_timer_init(s.loop, &d->tick);
        d->tick.data = d;
        d->conn.data = d;
        s.connecting++;
        if (uv_tcp_connect(&d->conn, &d->tcp, (const struct sockaddr *)&sa, on_connect)) {
            s.connecting--;
            s.errors++;
        }
    }
    if (!s.connecting) {
        start_run(&s); /* no connection under way: the run still lasts --seconds */
    }
    uv_run(s.loop, UV_RUN_DEFAULT);
    for (int i = 0; i < s.n; i++) {
        uv_timer_stop(&s.dev[i].tick);
    }
    uint64_t drain = now_us() + 2000000; /* let acks of the last frames arrive */
    while (now_us() < drain && s.acked + s.history_acked < s.sent + s.history_sent) {
        uv_run(s.loop, UV_RUN_NOWAIT);
    }
    /* Rates over the sending window (from the first frame, after the devices connected), the
       acked one to the last ack when that came later (a saturated server's backlog). */
    uint64_t first = s.first_us ? s.first_us : s.stop_us;
    double window = (double)(s.stop_us - first) / 1e6;
    double el = (double)((s.last_ack_us > s.stop_us ? s.last_ack_us : s.stop_us) - first) / 1e6;
    el = el > 0 ? el : 1;
    qsort(s.lat_us, s.n_lat, sizeof *s.lat_us, cmp_u32);
    double p50 = s.n_lat ? s.lat_us[s.n_lat / 2] / 1000.0 : 0;
    double p99 = s.n_lat ? s.lat_us[s.n_lat * 99 / 100] / 1000.0 : 0;
    double per_frame = s.sent ? (double)s.values / (double)s.sent : 0;
    if (s.history_h) {
        printf("history: %lld hours, %llu frames sent, %llu acked\n", (long long)s.history_h,
               (unsigned long long)s.history_sent, (unsigned long long)s.history_acked);
    }
    printf("devices %d (%d registered), offered %.0f frames/s, sent %llu (%.0f frames/s over "
           "%.1f s), acked %llu, %.0f frames/s, %.0f values/s, ack p50 %.1f ms p99 %.1f ms, "
           "skipped %llu, errors %llu\n",
           s.n, registered, s.idle ? 0.0 : 1e6 / (double)s.period_us * s.n,
           (unsigned long long)s.sent, window > 0 ? (double)s.sent / window : 0.0, window,
           (unsigned long long)s.acked, (double)s.acked / el, (double)s.acked * per_frame / el, p50,
           p99, (unsigned long long)s.skipped, (unsigned long long)s.errors);
    free(s.lat_us);
    free(s.dev); /* the process ends here; the loop's handles go with it */
    return 0;
}
