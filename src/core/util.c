/*
** Implementation of core/util.h. The only place besides arena/buf that may call raw malloc.
*/
#include "core/util.h"

#include <errno.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/log.h"

static void oom(size_t n)
{
    log_error("out of memory allocating %zu bytes", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        oom(n);
    }
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        oom(n * size);
    }
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        oom(n);
    }
    return q;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

struct str str_from(const char *s)
{
    return (struct str){s, s ? strlen(s) : 0};
}

void str_copy(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = 0;
}

void str_slice_copy(char *dst, size_t cap, struct str s)
{
    size_t n = s.p ? (s.len < cap ? s.len : cap - 1) : 0;
    if (n) {
        memcpy(dst, s.p, n);
    }
    dst[n] = 0;
}

unsigned str_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 16777619u;
    }
    return h;
}

bool str_eq(struct str a, const char *b)
{
    size_t n = strlen(b);
    return a.len == n && (n == 0 || memcmp(a.p, b, n) == 0);
}

struct str str_trim(struct str s)
{
    while (s.len && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\r' || s.p[0] == '\n')) {
        s.p++, s.len--;
    }
    while (s.len && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t' || s.p[s.len - 1] == '\r' ||
                     s.p[s.len - 1] == '\n')) {
        s.len--;
    }
    return s;
}

int parse_i64(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 20) {
        return ERR_INPUT;
    }
    size_t i = 0;
    bool neg = false;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
        if (n == 1) {
            return ERR_INPUT;
        }
    }
    uint64_t v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return ERR_INPUT;
        }
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            return ERR_INPUT;
        }
        v = v * 10 + d;
    }
    if ((!neg && v > (uint64_t)INT64_MAX) || (neg && v > (uint64_t)INT64_MAX + 1)) {
        return ERR_INPUT;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

int parse_f64(const char *s, size_t n, double *out)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp) {
        return ERR_INPUT;
    }
    memcpy(tmp, s, n);
    tmp[n] = 0;
    for (size_t i = 0; i < n; i++) {
        char c = tmp[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
            return ERR_INPUT;
        }
    }
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (end != tmp + n || errno || !isfinite(v)) {
        return ERR_INPUT;
    }
    *out = v;
    return 0;
}

int64_t mono_ms(void)
{
    return mono_us() / 1000;
}

int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void time_iso(int64_t unix_s, char out[32])
{
    time_t t = (time_t)unix_s;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void china_time(int64_t unix_s, char out[20])
{
    time_t s = (time_t)(unix_s + 8 * 3600);
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

void date_cn(int64_t unix_s, char out[11])
{
    time_t t = (time_t)(unix_s + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

bool iso_utc_to_china(const char *s, char out[20])
{
    /* positions of the digits in "YYYY-MM-DDTHH:MM:SS" */
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    size_t n = strlen(s);
    if (n < 20) {
        return false;
    }
    for (size_t i = 0; i < 19; i++) {
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i]) {
            return false;
        }
    }
    size_t k = 19;
    if (s[k] == '.') {
        for (k++; k < n && s[k] >= '0' && s[k] <= '9'; k++) {
        }
    }
    if (k != n - 1 || s[k] != 'Z') {
        return false;
    }
    struct tm tm = {0};
    int64_t v[6];
    static const int at[6] = {0, 5, 8, 11, 14, 17}, len[6] = {4, 2, 2, 2, 2, 2};
    for (int i = 0; i < 6; i++) {
        parse_i64(s + at[i], (size_t)len[i], &v[i]);
    }
    tm.tm_year = (int)v[0] - 1900;
    tm.tm_mon = (int)v[1] - 1;
    tm.tm_mday = (int)v[2];
    tm.tm_hour = (int)v[3];
    tm.tm_min = (int)v[4];
    tm.tm_sec = (int)v[5];
    china_time((int64_t)timegm(&tm), out);
    return true;
}

void hex_encode(const unsigned char *p, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[p[i] >> 4];
        out[2 * i + 1] = hex[p[i] & 15];
    }
    out[2 * n] = 0;
}

void sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, p, n);
    hex_encode(h, sizeof h, out);
}

void random_token(size_t n_bytes, char *out, size_t out_cap)
{
    unsigned char raw[64];
    if (n_bytes > sizeof raw) {
        n_bytes = sizeof raw;
    }
    randombytes_buf(raw, n_bytes);
    sodium_bin2base64(out, out_cap, raw, n_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool ct_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b)) {
        return false;
    }
    return sodium_memcmp(a, b, n) == 0;
}

int util_init(void)
{
    return sodium_init() < 0 ? ERR_UNSUPPORTED : 0;
}

const char *err_name(int err)
{
    switch (err) {
    case ERR_OK: return "ok";
    case ERR_INPUT: return "invalid";
    case ERR_NOTFOUND: return "not_found";
    case ERR_CONFLICT: return "conflict";
    case ERR_FORBIDDEN: return "forbidden";
    case ERR_AUTH: return "unauthenticated";
    case ERR_TOOBIG: return "too_large";
    case ERR_IO: return "io";
    case ERR_DB: return "database";
    case ERR_AGAIN: return "again";
    case ERR_PROTO: return "protocol";
    case ERR_BUSY: return "busy";
    case ERR_UNSUPPORTED: return "unsupported";
    default: return "error";
    }
}
