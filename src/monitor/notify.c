/*
** Outbound webhooks: a thread that delivers pending notifications to each org unit's URL
** (libcurl), signs the body with the unit's secret (HMAC-SHA256), retries with doubling delays
** and records every attempt in webhook_deliveries, which the admin UI shows. A delivery is
** leased (next_at moved ahead) in a transaction before it is sent, so a second process never
** sends the same one at the same time. The same thread sends the outbound messages other
** modules queue (outbound.h, outbound_messages): webhooks the same way, SMS through the
** gateway adapter (the sms_gateway_url endpoint), with the same retries and lease.
*/
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "http/json.h"
#include "monitor/monitor.h"
#include "monitor/outbound.h"
#include "platform/app.h"
#include "store/q_alarm.h"
#include "store/q_outbound.h"

#define LEASE_S 120

struct delivery {
    int64_t id;
    int attempts;
    bool outbound; /* an outbound_messages row (else webhook_deliveries) */
    bool sms;
    char url[512], secret[256], event[48];
    struct buf body;
};

struct due {
    /* up to 20 alarm deliveries (as many as before outbound messages) and 20 outbound ones */
    struct delivery d[40];
    size_t n;
};

static void kv_real(struct buf *b, const char *key, struct db_stmt *st, int col)
{
    buf_printf(b, ",\"%s\":", key);
    if (db_column_type(st, col) == DB_NULL) {
        buf_puts(b, "null");
    } else {
        buf_printf(b, "%.10g", db_column_real(st, col));
    }
}

static void on_due(struct db_stmt *st, void *ctx)
{
    struct due *due = ctx;
    if (due->n == ARRAY_LEN(due->d)) {
        return;
    }
    struct delivery *d = &due->d[due->n++];
    d->id = db_column_int(st, 0);
    snprintf(d->url, sizeof d->url, "%s", db_column_text(st, 1, NULL));
    snprintf(d->secret, sizeof d->secret, "%s", db_column_text(st, 2, NULL));
    d->attempts = (int)db_column_int(st, 3);
    snprintf(d->event, sizeof d->event, "alarm.%s", db_column_text(st, 5, NULL));
    struct buf *b = &d->body;
    buf_init(b, 1 << 16);
    buf_putc(b, '{');
    json_kv_int(b, "id", db_column_int(st, 4), false);
    json_kv_str(b, "event", d->event, true);
    json_kv_str(b, "title", db_column_text(st, 6, NULL), true);
    json_kv_str(b, "created_at", db_column_text(st, 7, NULL), true);
    buf_puts(b, ",\"alarm\":{");
    json_kv_int(b, "id", db_column_int(st, 8), false);
    json_kv_str(b, "kind", db_column_text(st, 9, NULL), true);
    json_kv_str(b, "factor", db_column_text(st, 10, NULL), true);
    json_kv_str(b, "status", db_column_text(st, 11, NULL), true);
    kv_real(b, "value", st, 12);
    kv_real(b, "limit", st, 13);
    json_kv_str(b, "data_time", db_column_text(st, 14, NULL), true);
    buf_puts(b, "},\"enterprise\":{");
    json_kv_int(b, "id", db_column_int(st, 15), false);
    json_kv_str(b, "name", db_column_text(st, 16, NULL), true);
    json_kv_str(b, "uscc", db_column_text(st, 17, NULL), true);
    buf_puts(b, "},\"point\":{");
    json_kv_int(b, "id", db_column_int(st, 18), false);
    json_kv_str(b, "name", db_column_text(st, 19, NULL), true);
    json_kv_str(b, "mn", db_column_text(st, 20, NULL), true);
    buf_puts(b, "}}");
}

/* An outbound message: a webhook's body as queued, an SMS as the gateway's payload. */
static void on_outbound_due(struct db_stmt *st, void *ctx)
{
    struct due *due = ctx;
    if (due->n == ARRAY_LEN(due->d)) {
        return;
    }
    struct delivery *d = &due->d[due->n++];
    memset(d, 0, sizeof *d);
    d->id = db_column_int(st, 0);
    d->outbound = true;
    d->sms = !strcmp(db_column_text(st, 1, NULL), "sms");
    snprintf(d->event, sizeof d->event, "%s", db_column_text(st, 2, NULL));
    d->attempts = (int)db_column_int(st, 5);
    buf_init(&d->body, 1 << 16);
    if (d->sms) {
        snprintf(d->url, sizeof d->url, "%s", settings_get("sms_gateway_url"));
        outbound_sms_payload(&d->body, d->id, db_column_text(st, 3, NULL),
                             db_column_text(st, 4, NULL), settings_get("sms_sign"));
    } else {
        snprintf(d->url, sizeof d->url, "%s", db_column_text(st, 3, NULL));
        snprintf(d->secret, sizeof d->secret, "%s", db_column_text(st, 6, NULL));
        buf_puts(&d->body, db_column_text(st, 4, NULL));
    }
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p, (void)ctx;
    return size * n;
}

/* POST the body; returns the HTTP status (0 on a transport error, described in err). */
static long post(const struct delivery *d, char *err, size_t errcap)
{
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(err, errcap, "curl init failed");
        return 0;
    }
    struct curl_slist *h = NULL;
    char line[160], sig[crypto_auth_hmacsha256_BYTES * 2 + 1];
    h = curl_slist_append(h, "Content-Type: application/json; charset=utf-8");
    snprintf(line, sizeof line, "X-Envgov-Event: %s", d->event);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof line, "X-Envgov-Delivery: %s%lld", d->outbound ? "m" : "",
             (long long)d->id);
    h = curl_slist_append(h, line);
    if (d->sms && *settings_get("sms_gateway_token")) {
        char auth[300];
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", settings_get("sms_gateway_token"));
        h = curl_slist_append(h, auth);
    }
    if (!d->url[0]) {
        curl_slist_free_all(h);
        curl_easy_cleanup(c);
        snprintf(err, errcap, "no endpoint configured (sms_gateway_url)");
        return 0;
    }
    if (d->secret[0]) {
        unsigned char mac[crypto_auth_hmacsha256_BYTES];
        crypto_auth_hmacsha256_state s;
        crypto_auth_hmacsha256_init(&s, (const unsigned char *)d->secret, strlen(d->secret));
        crypto_auth_hmacsha256_update(&s, (const unsigned char *)d->body.p, d->body.len);
        crypto_auth_hmacsha256_final(&s, mac);
        sodium_bin2hex(sig, sizeof sig, mac, sizeof mac);
        snprintf(line, sizeof line, "X-Envgov-Signature: sha256=%s", sig);
        h = curl_slist_append(h, line);
    }
    char ebuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, d->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, d->body.p);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)d->body.len);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)settings_int("webhook_timeout_s"));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "envgov-webhook/1");
    long code = 0;
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        snprintf(err, errcap, "%s", code >= 200 && code < 300 ? "" : "non-2xx response");
    } else {
        snprintf(err, errcap, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return code;
}

static struct {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool stopping, running;
} N = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static int64_t g_sent, g_failed, g_retried;

/* Take up to 20 due alarm deliveries and up to 20 outbound messages, and lease them. */
static int claim(struct due *due)
{
    char now[32], lease[32];
    time_iso(wall_ms() / 1000, now);
    time_iso(wall_ms() / 1000 + LEASE_S, lease);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return rc;
    }
    rc = store_deliveries_due(db, now, ARRAY_LEN(due->d) / 2, on_due, due);
    rc = rc ? rc : store_outbound_due(db, now, ARRAY_LEN(due->d) - due->n, on_outbound_due, due);
    for (size_t i = 0; !rc && i < due->n; i++) {
        rc = due->d[i].outbound ? store_outbound_lease(db, due->d[i].id, lease)
                                : store_delivery_lease(db, due->d[i].id, lease);
    }
    if (rc) {
        store_rollback(app.store, db);
        for (size_t i = 0; i < due->n; i++) {
            buf_release(&due->d[i].body);
        }
        due->n = 0;
        return rc;
    }
    return store_commit(app.store, db);
}

static void record(const struct delivery *d, long code, const char *err)
{
    char now[32], next[32];
    int64_t t = wall_ms() / 1000;
    time_iso(t, now);
    bool ok = code >= 200 && code < 300;
    const char *status =
        notify_status_after(ok, d->attempts, (int)settings_int("webhook_max_attempts"));
    bool last = !strcmp(status, "failed");
    int64_t delay = notify_retry_delay(settings_int("webhook_retry_s"), d->attempts);
    time_iso(t + delay, next);
    __atomic_add_fetch(ok ? &g_sent : last ? &g_failed : &g_retried, 1, __ATOMIC_RELAXED);
    struct db *db;
    if (store_begin(app.store, &db) == 0) {
        int rc =
            d->outbound
                ? store_outbound_result(db, d->id, status, (int)code, err, ok ? NULL : next, now)
                : store_delivery_result(db, d->id, status, (int)code, err, ok ? NULL : next, now);
        rc ? store_rollback(app.store, db) : (void)store_commit(app.store, db);
    }
    if (!ok) {
        log_warn("%s delivery %s%lld to %s: %s (HTTP %ld), %s", d->sms ? "sms" : "webhook",
                 d->outbound ? "m" : "", (long long)d->id, d->url, err, code, status);
    }
}

static void *notify_main(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&N.lock);
        if (!N.stopping) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 1;
            pthread_cond_timedwait(&N.cond, &N.lock, &ts);
        }
        bool stop = N.stopping;
        pthread_mutex_unlock(&N.lock);
        if (stop) {
            break;
        }
        struct due *due = xcalloc(1, sizeof *due);
        if (claim(due) == 0) {
            for (size_t i = 0; i < due->n; i++) {
                char err[CURL_ERROR_SIZE + 32];
                long code = post(&due->d[i], err, sizeof err);
                record(&due->d[i], code, err);
            }
        }
        for (size_t i = 0; i < due->n; i++) {
            buf_release(&due->d[i].body);
        }
        free(due);
    }
    return NULL;
}

void notify_start(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    N.stopping = false;
    N.running = pthread_create(&N.thread, NULL, notify_main, NULL) == 0;
}

void notify_stop(void)
{
    if (!N.running) {
        return;
    }
    pthread_mutex_lock(&N.lock);
    N.stopping = true;
    pthread_cond_signal(&N.cond);
    pthread_mutex_unlock(&N.lock);
    pthread_join(N.thread, NULL);
    N.running = false;
    curl_global_cleanup();
}

void notify_metrics_write(struct buf *out)
{
    buf_printf(out,
               "# HELP envgov_webhook_deliveries_total Webhook delivery attempts by outcome.\n"
               "# TYPE envgov_webhook_deliveries_total counter\n"
               "envgov_webhook_deliveries_total{outcome=\"sent\"} %lld\n"
               "envgov_webhook_deliveries_total{outcome=\"retry\"} %lld\n"
               "envgov_webhook_deliveries_total{outcome=\"failed\"} %lld\n",
               (long long)__atomic_load_n(&g_sent, __ATOMIC_RELAXED),
               (long long)__atomic_load_n(&g_retried, __ATOMIC_RELAXED),
               (long long)__atomic_load_n(&g_failed, __ATOMIC_RELAXED));
}
