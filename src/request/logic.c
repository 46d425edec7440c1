/*
** The pure parts of requests and complaints: the distance that decides a possible repeat,
** tracking codes, the Open311 status of a state, XML escaping and the Open311 date window.
** Nothing here touches the database (tests/unit/request/).
*/
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "request/request.h"

#define EARTH_M 6371008.8
#define DAY_S 86400
#define WINDOW_DAYS 90

double request_distance_m(double lat1, double lng1, double lat2, double lng2)
{
    double r = M_PI / 180.0;
    double dlat = (lat2 - lat1) * r, dlng = (lng2 - lng1) * r;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * r) * cos(lat2 * r) * sin(dlng / 2) * sin(dlng / 2);
    return 2 * EARTH_M * asin(sqrt(a < 1 ? a : 1));
}

bool request_point_valid(double lat, double lng)
{
    return isfinite(lat) && isfinite(lng) && lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180;
}

static const char ALPHABET[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; /* 32: no 0/O, 1/I */

void request_tracking_code(const unsigned char rnd[10], char out[13])
{
    out[0] = 'T';
    out[1] = 'S';
    for (int i = 0; i < 10; i++) {
        out[2 + i] = ALPHABET[rnd[i] & 31];
    }
    out[12] = 0;
}

bool request_tracking_code_valid(const char *s)
{
    if (!s || strlen(s) != 12 || s[0] != 'T' || s[1] != 'S') {
        return false;
    }
    for (int i = 2; i < 12; i++) {
        if (!strchr(ALPHABET, s[i]) || !s[i]) {
            return false;
        }
    }
    return true;
}

const char *request_open311_status(const char *state)
{
    return !strcmp(state, "received") || !strcmp(state, "accepted") || !strcmp(state, "handling")
               ? "open"
               : "closed";
}

void request_xml_escape(struct buf *out, const char *s, size_t n)
{
    size_t run = 0; /* bytes s[run..i) are copied as they are, in one append */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = c == '&'                                          ? "&amp;"
                          : c == '<'                                        ? "&lt;"
                          : c == '>'                                        ? "&gt;"
                          : c == '"'                                        ? "&quot;"
                          : c == '\''                                       ? "&apos;"
                          : c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? "" /* not XML 1.0 */
                                                                            : NULL;
        if (rep) {
            buf_append(out, s + run, i - run);
            buf_puts(out, rep);
            run = i + 1;
        }
    }
    buf_append(out, s + run, n - run);
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return ERR_INPUT;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Days from 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int iso_seconds(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, se;
    size_t n = strlen(s);
    if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se)) {
        return ERR_INPUT;
    }
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
        h > 23 || mi > 59 || se > 60) {
        return ERR_INPUT;
    }
    const char *z = s + 19;
    if (*z == '.') { /* fractions of a second are allowed and dropped */
        z++;
        while (*z >= '0' && *z <= '9') {
            z++;
        }
    }
    int64_t off = 0;
    if (!strcmp(z, "Z")) {
        off = 0;
    } else if ((*z == '+' || *z == '-') && strlen(z) == 6 && z[3] == ':') {
        int oh, om;
        if (digits(z + 1, 2, &oh) || digits(z + 4, 2, &om) || oh > 14 || om > 59) {
            return ERR_INPUT;
        }
        off = (oh * 3600 + om * 60) * (*z == '-' ? -1 : 1);
    } else {
        return ERR_INPUT; /* no time zone: the spec asks for one */
    }
    *out = days_from_civil(y, mo, d) * DAY_S + h * 3600 + mi * 60 + se - off;
    return 0;
}

static void utc_iso(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int request_iso_to_utc(const char *s, char out[32])
{
    int64_t t;
    int rc = iso_seconds(s, &t);
    if (!rc) {
        utc_iso(t, out);
    }
    return rc;
}

int request_open311_window(const char *start, const char *end, int64_t now, char from[32],
                           char to[32], const char **field)
{
    int64_t s = 0, e = now;
    *field = NULL;
    if (end && iso_seconds(end, &e)) {
        *field = "end_date";
        return ERR_INPUT;
    }
    if (start && iso_seconds(start, &s)) {
        *field = "start_date";
        return ERR_INPUT;
    }
    if (!start) {
        s = e - WINDOW_DAYS * DAY_S;
    }
    if (s > e) {
        *field = "start_date";
        return ERR_INPUT;
    }
    if (e - s > WINDOW_DAYS * DAY_S) {
        *field = end ? "end_date" : "start_date";
        return ERR_INPUT;
    }
    utc_iso(s, from);
    utc_iso(e + (end ? 0 : 1), to); /* the default end takes in the present second */
    return 0;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decode s[0..n) into out; -1 on a bad escape, a NUL or no room. */
static int form_decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= n) {
                return -1;
            }
            int a = hexval(s[i + 1]), b = hexval(s[i + 2]);
            if (a < 0 || b < 0) {
                return -1;
            }
            c = (char)(a * 16 + b);
            i += 2;
        }
        if (!c || j + 1 >= cap) {
            return -1;
        }
        out[j++] = c;
    }
    out[j] = 0;
    return (int)j;
}

int request_form_value(const char *body, size_t n, const char *key, char *out, size_t cap)
{
    size_t klen = strlen(key);
    char name[128];
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && body[e] != '&') {
            e++;
        }
        const char *eq = memchr(body + i, '=', e - i);
        size_t nl = eq ? (size_t)(eq - (body + i)) : e - i;
        int k = form_decode(body + i, nl, name, sizeof name);
        if (k == (int)klen && !memcmp(name, key, klen)) {
            return eq ? form_decode(eq + 1, (size_t)(body + e - (eq + 1)), out, cap)
                      : (cap ? (out[0] = 0, 0) : -1);
        }
        i = e + 1;
    }
    return -1;
}
