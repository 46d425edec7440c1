/*
** Small helpers every layer uses: checked allocation, safe number parsing, time, hex,
** hashing and randomness (libsodium), and {ptr,len} string slices.
*/
#ifndef ENVGOV_CORE_UTIL_H
#define ENVGOV_CORE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

struct str {
    const char *p;
    size_t len;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that never returns NULL: logs and aborts on exhaustion. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

struct str str_from(const char *s);
bool str_eq(struct str a, const char *b);
/* FNV-1a of a NUL-terminated string (hash tables: statement caches, device and alarm keys). */
unsigned str_hash(const char *s);
/* Copy src into dst[cap] (cap > 0), cut to fit and NUL-terminated: snprintf "%s" without the
   formatting, for hot paths. */
void str_copy(char *dst, size_t cap, const char *src);
/* The same for a slice (an absent one, {NULL, 0}, gives ""). */
void str_slice_copy(char *dst, size_t cap, struct str s);
struct str str_trim(struct str s);

/* Parse all of s[0..n) as a base-10 integer; ERR_INPUT on junk, overflow or empty. */
int parse_i64(const char *s, size_t n, int64_t *out);
/* Parse all of s as a finite double. */
int parse_f64(const char *s, size_t n, double *out);

/* Milliseconds: monotonic clock and wall clock (Unix epoch); microseconds, monotonic. */
int64_t mono_ms(void);
int64_t mono_us(void);
int64_t wall_ms(void);
/* ISO-8601 UTC timestamp "2026-11-22T09:03:40Z" into out (>= 21 bytes). */
void time_iso(int64_t unix_s, char out[32]);
/* Unix seconds → "YYYY-MM-DD HH:MM:SS" in China time (UTC+8), as HJ 212 devices send it. */
void china_time(int64_t unix_s, char out[20]);
/* Local date "YYYY-MM-DD" for a Unix time in the China time zone (UTC+8). */
void date_cn(int64_t unix_s, char out[11]);
/* When s is a UTC timestamp as the server stores them ("2026-11-22T09:03:40Z", fractions of a
   second allowed), write it in China time as "YYYY-MM-DD HH:MM:SS" and return true; any
   other text (a date, a device's China-time data time, a name) returns false. */
bool iso_utc_to_china(const char *s, char out[20]);

/* Lower-case hex of p[0..n) into out (2n+1 bytes). */
void hex_encode(const unsigned char *p, size_t n, char *out);
/* SHA-256 of p[0..n) as 64 hex chars + NUL. */
void sha256_hex(const void *p, size_t n, char out[65]);
/* n cryptographically random bytes, as URL-safe base64 without padding into out. */
void random_token(size_t n_bytes, char *out, size_t out_cap);
/* Constant-time comparison of equal-length strings. */
bool ct_equal(const char *a, const char *b);

/* Initialise libsodium; call once at start. Returns 0 or ERR_UNSUPPORTED. */
int util_init(void);

#endif
