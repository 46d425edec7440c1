/*
** Growable, bounded byte buffer. The cap (max) comes from settings; an append past it
** sets .overflow and is dropped, so output code can append freely and check once.
** Memory is heap-owned by the buf (buf_release frees it). Always NUL-terminated.
*/
#ifndef ENVGOV_CORE_BUF_H
#define ENVGOV_CORE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *p;
    size_t len, cap, max;
    bool overflow;
};

/* max == 0 means 64 MiB. */
void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
/* Detach the storage: caller owns the returned pointer (free()), the buf is empty. */
char *buf_steal(struct buf *b, size_t *len);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Append s[0..n) as a JSON string literal with quotes; invalid UTF-8 becomes U+FFFD. */
void buf_json_str(struct buf *b, const char *s, size_t n);
/* Length of the valid UTF-8 sequence at s (1..4; shortest form, no surrogates, at most
   U+10FFFF), or 0 when invalid or n is 0. */
size_t utf8_seq_len(const char *s, size_t n);
/* Whether s[0..n) is valid UTF-8 throughout. */
bool utf8_valid(const char *s, size_t n);
/* The byte length of the first max_chars characters of the NUL-terminated s (an invalid byte
   counts as one character), so that "%.*s" never cuts a character in two. */
size_t utf8_prefix(const char *s, size_t max_chars);
/* Append s[0..n) with CSV quoting when needed (RFC 4180). */
void buf_csv_field(struct buf *b, const char *s, size_t n);
/* Append a finite double as a JSON number (up to 9 decimals for ordinary magnitudes). */
void buf_number(struct buf *b, double v);
/* Append s HTML-escaped. */
void buf_html(struct buf *b, const char *s, size_t n);

#endif
