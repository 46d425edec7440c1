/*
** Bounded growable buffer and the escaping writers (JSON, CSV, HTML) built on it.
*/
#include "core/buf.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

void buf_init(struct buf *b, size_t max)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->max = max ? max : (size_t)64 << 20;
    b->overflow = false;
}

void buf_release(struct buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->overflow = false;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->overflow = false;
    if (b->p) {
        b->p[0] = 0;
    }
}

char *buf_steal(struct buf *b, size_t *len)
{
    char *p = b->p;
    if (len) {
        *len = b->len;
    }
    if (!p) {
        p = xmalloc(1);
        p[0] = 0;
    }
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

static bool reserve(struct buf *b, size_t n)
{
    if (b->overflow) {
        return false;
    }
    if (b->len + n + 1 > b->max) {
        b->overflow = true;
        return false;
    }
    if (b->len + n + 1 <= b->cap) {
        return true;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) {
        cap *= 2;
    }
    if (cap > b->max) {
        cap = b->max;
    }
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
    return true;
}

void buf_append(struct buf *b, const void *p, size_t n)
{
    if (!reserve(b, n)) {
        return;
    }
    if (n) {
        memcpy(b->p + b->len, p, n);
    }
    b->len += n;
    b->p[b->len] = 0;
}

void buf_puts(struct buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
    if (b->len + 2 <= b->cap && !b->overflow) {
        b->p[b->len++] = c;
        b->p[b->len] = 0;
        return;
    }
    buf_append(b, &c, 1);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !reserve(b, (size_t)n)) {
        return;
    }
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

size_t utf8_seq_len(const char *s, size_t n)
{
    return n ? utf8_seq((const unsigned char *)s, n) : 0;
}

bool utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq_len(s + i, n - i);
        if (!k) {
            return false;
        }
        i += k;
    }
    return true;
}

size_t utf8_prefix(const char *s, size_t max_chars)
{
    size_t n = strlen(s), i = 0;
    for (size_t c = 0; c < max_chars && i < n; c++) {
        size_t k = utf8_seq_len(s + i, n - i);
        i += k ? k : 1;
    }
    return i;
}

void buf_json_str(struct buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    /* Reserve the exact escaped size: the worst case (6 bytes per byte) would trip the cap
       for strings that fit and over-allocate large ones. */
    size_t need = 2;
    for (size_t i = 0; i < n;) {
        unsigned c = u[i];
        size_t k = c >= 0x80 ? utf8_seq(u + i, n - i) : 1;
        if (c >= 0x80) {
            need += k ? k : 3;
            i += k ? k : 1;
            continue;
        }
        need += (c >= 0x20 && c != '"' && c != '\\')                             ? 1
                : (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t') ? 2
                                                                                 : 6;
        i++;
    }
    if (!reserve(b, need)) {
        return;
    }
    char *o = b->p + b->len;
    *o++ = '"';
    size_t i = 0;
    while (i < n) {
        unsigned c = u[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            *o++ = (char)c;
            i++;
            continue;
        }
        if (c >= 0x80) {
            size_t k = utf8_seq(u + i, n - i);
            if (k) {
                memcpy(o, u + i, k);
                o += k;
                i += k;
                continue;
            }
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default: *o++ = 'u', *o++ = '0', *o++ = '0', *o++ = hex[c >> 4], *o++ = hex[c & 15];
        }
        i++;
    }
    *o++ = '"';
    b->len = (size_t)(o - b->p);
    b->p[b->len] = 0;
}

void buf_csv_field(struct buf *b, const char *s, size_t n)
{
    bool quote = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') {
            quote = true;
            break;
        }
    }
    /* A leading space or sign would be altered by Excel; quoting keeps it text. */
    if (n && (s[0] == ' ' || s[n - 1] == ' ')) {
        quote = true;
    }
    if (!quote) {
        buf_append(b, s, n);
        return;
    }
    buf_putc(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') {
            buf_append(b, s + start, i - start + 1);
            buf_putc(b, '"');
            start = i + 1;
        }
    }
    buf_append(b, s + start, n - start);
    buf_putc(b, '"');
}

void buf_number(struct buf *b, double v)
{
    char tmp[40];
    double a = v < 0 ? -v : v;
    /* Fast path for the values registries and sensors hold: 9 decimals, trailing zeros cut.
       Anything outside it (huge, tiny, not finite) goes through %.15g. */
    if (a < 1e9 && (a >= 1e-6 || v == 0)) {
        int64_t scaled = (int64_t)(a * 1e9 + 0.5);
        int64_t ip = scaled / 1000000000, fp = scaled % 1000000000;
        int n = snprintf(tmp, sizeof tmp, "%s%lld", v < 0 && scaled ? "-" : "", (long long)ip);
        if (fp) {
            char frac[10];
            for (int i = 8; i >= 0; i--, fp /= 10) {
                frac[i] = (char)('0' + fp % 10);
            }
            int len = 9;
            while (len > 0 && frac[len - 1] == '0') {
                len--;
            }
            tmp[n++] = '.';
            memcpy(tmp + n, frac, (size_t)len);
            n += len;
        }
        buf_append(b, tmp, (size_t)n);
        return;
    }
    if (!isfinite(v)) {
        buf_puts(b, "null");
        return;
    }
    snprintf(tmp, sizeof tmp, "%.15g", v);
    buf_puts(b, tmp);
}

void buf_html(struct buf *b, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = NULL;
        switch (s[i]) {
        case '&': e = "&amp;"; break;
        case '<': e = "&lt;"; break;
        case '>': e = "&gt;"; break;
        case '"': e = "&quot;"; break;
        case '\'': e = "&#39;"; break;
        default: continue;
        }
        buf_append(b, s + start, i - start);
        buf_puts(b, e);
        start = i + 1;
    }
    buf_append(b, s + start, n - start);
}
