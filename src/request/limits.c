/*
** The public form's abuse limits (decision 101). A token bucket per client address: a generous
** burst (request_form_burst, default 30) refilled at request_form_per_hour (default 120) so a
** shared NAT (a school, a village, a mobile carrier) is not locked out by one sender, kept in
** memory per process in a fixed table (the oldest bucket is reused). And a per-form proof: the
** form fetches a token "issued.nonce.mac" (MAC = SHA-256 over the secret shared by every process
** through the database); a submission needs a token at least 2 seconds and at most 2 hours old,
** and each nonce is taken once (requests.form_nonce is UNIQUE), so a replayed or scripted post
** fails without a captcha or a login.
*/
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"
#include "request/internal.h"

#define BUCKETS 4096
#define TOKEN_MIN_AGE_S 2
#define TOKEN_MAX_AGE_S 7200

struct bucket {
    unsigned hash;
    char ip[48];
    double tokens;
    int64_t at_ms;
};

static struct bucket buckets[BUCKETS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char secret[80];

int request_limits_init(struct db *db)
{
    char cand[64], now[32];
    random_token(32, cand, sizeof cand);
    time_iso(wall_ms() / 1000, now);
    return store_request_secret(db, cand, secret, sizeof secret, now);
}

static int64_t setting_int(const char *name, int64_t def)
{
    const char *v = settings_get(name);
    int64_t x;
    return v && !parse_i64(v, strlen(v), &x) && x > 0 ? x : def;
}

bool request_bucket_take(const char *ip, int64_t now_ms)
{
    double burst = (double)setting_int("request_form_burst", 30);
    double per_ms = (double)setting_int("request_form_per_hour", 120) / 3600000.0;
    unsigned h = str_hash(ip ? ip : "");
    pthread_mutex_lock(&lock);
    struct bucket *b = &buckets[h % BUCKETS];
    if (b->hash != h || strncmp(b->ip, ip ? ip : "", sizeof b->ip - 1)) {
        /* a new address (or a collision: the newcomer gets a full bucket, which errs on the
           side of letting a complaint through) */
        b->hash = h;
        snprintf(b->ip, sizeof b->ip, "%s", ip ? ip : "");
        b->tokens = burst;
        b->at_ms = now_ms;
    }
    b->tokens += (double)(now_ms - b->at_ms) * per_ms;
    if (b->tokens > burst) {
        b->tokens = burst;
    }
    b->at_ms = now_ms;
    bool ok = b->tokens >= 1;
    if (ok) {
        b->tokens -= 1;
    }
    pthread_mutex_unlock(&lock);
    return ok;
}

static void mac_of(const char *issued, const char *nonce, char out[65])
{
    char msg[256];
    int n = snprintf(msg, sizeof msg, "%s|%s.%s|%s", secret, issued, nonce, secret);
    char inner[65];
    sha256_hex(msg, (size_t)n, inner);
    n = snprintf(msg, sizeof msg, "%s%s", secret, inner);
    sha256_hex(msg, (size_t)n, out);
}

void request_form_token(int64_t now_s, char *out, size_t cap)
{
    char nonce[32], issued[24], mac[65];
    random_token(16, nonce, sizeof nonce);
    snprintf(issued, sizeof issued, "%lld", (long long)now_s);
    mac_of(issued, nonce, mac);
    snprintf(out, cap, "%s.%s.%.32s", issued, nonce, mac);
}

int request_form_token_check(const char *token, int64_t now_s, char *nonce, size_t cap)
{
    char copy[160];
    if (!token || strlen(token) >= sizeof copy) {
        return ERR_INPUT;
    }
    snprintf(copy, sizeof copy, "%s", token);
    char *d1 = strchr(copy, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d1 || !d2) {
        return ERR_INPUT;
    }
    *d1 = *d2 = 0;
    int64_t issued;
    if (parse_i64(copy, strlen(copy), &issued)) {
        return ERR_INPUT;
    }
    char mac[65];
    mac_of(copy, d1 + 1, mac);
    mac[32] = 0;
    if (strlen(d2 + 1) != 32 || !ct_equal(mac, d2 + 1)) {
        return ERR_INPUT;
    }
    if (now_s - issued > TOKEN_MAX_AGE_S || issued > now_s + 60) {
        return ERR_INPUT;
    }
    if (now_s - issued < TOKEN_MIN_AGE_S) {
        return ERR_AGAIN;
    }
    snprintf(nonce, cap, "%s", d1 + 1);
    return 0;
}
