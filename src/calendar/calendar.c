/*
** Working-day calendar; the contract is in calendar.h. Each loaded year is one heap block
** owned by its struct calendar slot: a per-day table (ordinary, or an index into the year's
** named holiday and make-up entries). Dates use Howard Hinnant's civil-from-days algorithm,
** so no time zone or libc time function is involved.
**
** Walks (add_workdays, roll, between) need no iteration cap: each step looks its day up and
** the first day of a year that is not loaded ends the walk with ERR_NOTFOUND, and loaded years
** end at 2199.
*/
#include "calendar/calendar.h"

#include <assert.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"

enum { KIND_HOLIDAY = 1, KIND_MAKEUP = 2 };

#define ENTRIES_MAX 64 /* holidays + make-up days in one file; a real year has about 15 */
#define NAME_CAP 64    /* bytes of a name with its NUL: 21 Chinese characters */
/* Longest holiday range accepted. The longest national one so far is the 2020 Spring Festival
   as extended (10 days); the cap catches a mistyped month without refusing a real schedule. */
#define HOLIDAY_SPAN_MAX 20
#define DAY_MIN (-719162) /* 0001-01-01 */
#define DAY_MAX 2932896   /* 9999-12-31 */

struct calendar_year {
    int year;
    int32_t first_day, last_day;
    uint8_t entry[366]; /* by day of year: 0 ordinary, else 1 + index into kind and name */
    int n_entries;
    uint8_t kind[ENTRIES_MAX];
    char name[ENTRIES_MAX][NAME_CAP];
};

/* ---- dates ---- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return mdays[m - 1] + (m == 2 && leap);
}

/* All of s[0..n) as decimal digits (no sign, no space) into *v. */
static bool digits(const char *s, size_t n, int *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

int calendar_date_parse(const char *s, size_t n, int32_t *day)
{
    int y, m, d;
    if (n != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
        !digits(s + 8, 2, &d)) {
        return ERR_INPUT;
    }
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) {
        return ERR_INPUT;
    }
    *day = (int32_t)days_from_civil(y, (unsigned)m, (unsigned)d);
    return 0;
}

static void put_digits(char *out, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10) {
        out[i] = (char)('0' + v % 10);
    }
}

void calendar_date_format(int32_t day, char out[11])
{
    int64_t y = 0;
    unsigned m = 0, d = 0;
    if (day >= DAY_MIN && day <= DAY_MAX) {
        civil_from_days(day, &y, &m, &d);
    }
    put_digits(out, (unsigned)y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = 0;
}

int calendar_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (3 with Monday = 0); the + 7 keeps earlier days positive. */
    return (int)((day % 7 + 7 + 3) % 7);
}

int calendar_year_of(int32_t day)
{
    int64_t y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    return (int)y;
}

/* ---- the set of loaded years ---- */

void calendar_init(struct calendar *c)
{
    memset(c, 0, sizeof *c);
}

void calendar_free(struct calendar *c)
{
    for (size_t i = 0; i < ARRAY_LEN(c->years); i++) {
        free(c->years[i]);
        c->years[i] = NULL;
    }
}

bool calendar_has_year(const struct calendar *c, int year)
{
    return year >= CALENDAR_FIRST_YEAR && year <= CALENDAR_LAST_YEAR &&
           c->years[year - CALENDAR_FIRST_YEAR] != NULL;
}

size_t calendar_years(const struct calendar *c, int *years, size_t cap)
{
    size_t n = 0;
    for (int y = CALENDAR_FIRST_YEAR; y <= CALENDAR_LAST_YEAR && n < cap; y++) {
        if (calendar_has_year(c, y)) {
            years[n++] = y;
        }
    }
    return n;
}

/* ---- loading a year file ---- */

/* Write a message for the admin into err (when there is room) and return ERR_INPUT. */
static int bad(char *err, size_t errcap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t errcap, const char *fmt, ...)
{
    if (err && errcap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errcap, fmt, ap);
        va_end(ap);
    }
    return ERR_INPUT;
}

static int date_field(json_t *obj, const char *key, int32_t *day)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v)) {
        return ERR_INPUT;
    }
    return calendar_date_parse(json_string_value(v), json_string_length(v), day);
}

/* Check "year", "source" and the two lists; set up cy for that year. */
static int load_header(json_t *root, struct calendar_year *cy, char *err, size_t errcap)
{
    json_t *y = json_object_get(root, "year");
    if (!json_is_integer(y) || json_integer_value(y) < CALENDAR_FIRST_YEAR ||
        json_integer_value(y) > CALENDAR_LAST_YEAR) {
        return bad(err, errcap, "\"year\" must be an integer from %d to %d", CALENDAR_FIRST_YEAR,
                   CALENDAR_LAST_YEAR);
    }
    cy->year = (int)json_integer_value(y);
    const char *src = json_string_value(json_object_get(root, "source"));
    if (!src || !*src) {
        return bad(err, errcap, "\"source\" must name the notice the schedule comes from (%s)",
                   "国务院办公厅关于…年部分节假日安排的通知");
    }
    if (!json_is_array(json_object_get(root, "holidays")) ||
        !json_is_array(json_object_get(root, "workdays"))) {
        return bad(err, errcap, "\"holidays\" and \"workdays\" must both be arrays (may be empty)");
    }
    cy->first_day = (int32_t)days_from_civil(cy->year, 1, 1);
    cy->last_day = (int32_t)days_from_civil(cy->year, 12, 31);
    return 0;
}

/* Add a named entry of kind for list[i] (obj's "name"); its index goes to *ix. */
static int add_entry(struct calendar_year *cy, int kind, json_t *obj, const char *list, size_t i,
                     int *ix, char *err, size_t errcap)
{
    json_t *nm = json_object_get(obj, "name");
    const char *s = json_string_value(nm);
    size_t n = json_string_length(nm);
    if (!s || n == 0 || n >= NAME_CAP || memchr(s, 0, n)) {
        return bad(err, errcap, "%s[%zu]: \"name\" must be a text of 1 to %d bytes", list, i,
                   NAME_CAP - 1);
    }
    if (cy->n_entries == ENTRIES_MAX) {
        return bad(err, errcap, "more than %d holidays and make-up workdays in one year",
                   ENTRIES_MAX);
    }
    *ix = cy->n_entries++;
    cy->kind[*ix] = (uint8_t)kind;
    memcpy(cy->name[*ix], s, n + 1);
    return 0;
}

/* Give day (inside cy's year) entry ix, refusing a day that already has one. */
static int mark(struct calendar_year *cy, int32_t day, int ix, char *err, size_t errcap)
{
    uint8_t *e = &cy->entry[day - cy->first_day];
    if (*e) {
        int old = *e - 1;
        char iso[11];
        calendar_date_format(day, iso);
        if (cy->kind[old] != cy->kind[ix]) {
            return bad(err, errcap, "%s is both a holiday and a make-up workday (%s, %s)", iso,
                       cy->name[old], cy->name[ix]);
        }
        return bad(err, errcap, "%s is listed twice (%s, %s); list each day once", iso,
                   cy->name[old], cy->name[ix]);
    }
    *e = (uint8_t)(ix + 1);
    return 0;
}

static int load_holiday(struct calendar_year *cy, json_t *h, size_t i, char *err, size_t errcap)
{
    int32_t a, b;
    if (!json_is_object(h) || date_field(h, "from", &a) || date_field(h, "to", &b)) {
        return bad(err, errcap, "holidays[%zu]: needs \"from\" and \"to\" as valid YYYY-MM-DD", i);
    }
    if (b < a || b - a >= HOLIDAY_SPAN_MAX || b < cy->first_day || a > cy->last_day) {
        char fa[11], fb[11];
        calendar_date_format(a, fa);
        calendar_date_format(b, fb);
        return bad(err, errcap,
                   "holidays[%zu]: %s to %s must run forwards, last at most %d days "
                   "and include days of %d",
                   i, fa, fb, HOLIDAY_SPAN_MAX, cy->year);
    }
    int ix;
    int rc = add_entry(cy, KIND_HOLIDAY, h, "holidays", i, &ix, err, errcap);
    /* A range crossing New Year is listed in both years' files; each takes its own days. */
    int32_t from = a > cy->first_day ? a : cy->first_day, to = b < cy->last_day ? b : cy->last_day;
    for (int32_t d = from; !rc && d <= to; d++) {
        rc = mark(cy, d, ix, err, errcap);
    }
    return rc;
}

static int load_workday(struct calendar_year *cy, json_t *w, size_t i, char *err, size_t errcap)
{
    int32_t d;
    if (!json_is_object(w) || date_field(w, "date", &d)) {
        return bad(err, errcap, "workdays[%zu]: needs \"date\" as a valid YYYY-MM-DD", i);
    }
    char iso[11];
    calendar_date_format(d, iso);
    if (d < cy->first_day || d > cy->last_day) {
        return bad(err, errcap, "workdays[%zu]: %s is not in %d; list it in its own year's file", i,
                   iso, cy->year);
    }
    if (calendar_weekday(d) < 5) {
        return bad(err, errcap,
                   "workdays[%zu]: %s is a weekday; a make-up workday (调休上班) is "
                   "always a Saturday or Sunday",
                   i, iso);
    }
    int ix;
    int rc = add_entry(cy, KIND_MAKEUP, w, "workdays", i, &ix, err, errcap);
    return rc ? rc : mark(cy, d, ix, err, errcap);
}

/* Holidays first, so a make-up day that is also a holiday is reported on the make-up day. */
static int load_days(struct calendar_year *cy, json_t *root, char *err, size_t errcap)
{
    json_t *holidays = json_object_get(root, "holidays");
    json_t *workdays = json_object_get(root, "workdays");
    size_t i;
    json_t *v;
    json_array_foreach (holidays, i, v) {
        int rc = load_holiday(cy, v, i, err, errcap);
        if (rc) {
            return rc;
        }
    }
    json_array_foreach (workdays, i, v) {
        int rc = load_workday(cy, v, i, err, errcap);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

int calendar_load_json(struct calendar *c, const char *json, size_t len, int *year_out, char *err,
                       size_t errcap)
{
    assert(json || len == 0);
    json_error_t je;
    json_t *root = json_loadb(json ? json : "", len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(root)) {
        json_decref(root);
        return bad(err, errcap, "the body must be one JSON object: %s",
                   root ? "found another JSON value" : je.text);
    }
    struct calendar_year *cy = xcalloc(1, sizeof *cy);
    int rc = load_header(root, cy, err, errcap);
    if (!rc) {
        rc = load_days(cy, root, err, errcap);
    }
    json_decref(root);
    if (rc) {
        free(cy);
        return rc;
    }
    /* Swap only now, so a rejected file leaves the loaded year untouched. */
    struct calendar_year **slot = &c->years[cy->year - CALENDAR_FIRST_YEAR];
    free(*slot);
    *slot = cy;
    if (year_out) {
        *year_out = cy->year;
    }
    return 0;
}

/* ---- working-day arithmetic ---- */

static bool day_ok(int64_t day)
{
    return day >= DAY_MIN && day <= DAY_MAX;
}

/* The loaded year holding day, or NULL with *missing_year set. */
static const struct calendar_year *year_table(const struct calendar *c, int32_t day,
                                              int *missing_year)
{
    int y = calendar_year_of(day);
    if (!calendar_has_year(c, y)) {
        if (missing_year) {
            *missing_year = y;
        }
        return NULL;
    }
    return c->years[y - CALENDAR_FIRST_YEAR];
}

/* calendar_is_workday without the range check, for walks that start from a checked day. */
static int workday(const struct calendar *c, int32_t day, bool *out, int *missing_year)
{
    const struct calendar_year *cy = year_table(c, day, missing_year);
    if (!cy) {
        return ERR_NOTFOUND;
    }
    int e = cy->entry[day - cy->first_day];
    *out = e ? cy->kind[e - 1] == KIND_MAKEUP : calendar_weekday(day) < 5;
    return 0;
}

int calendar_is_workday(const struct calendar *c, int32_t day, bool *out, int *missing_year)
{
    return day_ok(day) ? workday(c, day, out, missing_year) : ERR_INPUT;
}

const char *calendar_holiday_name(const struct calendar *c, int32_t day)
{
    const struct calendar_year *cy = day_ok(day) ? year_table(c, day, NULL) : NULL;
    int e = cy ? cy->entry[day - cy->first_day] : 0;
    return e ? cy->name[e - 1] : NULL;
}

static bool paused(int32_t day, const struct calendar_pause *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (day >= p[i].from && day <= p[i].to) {
            return true;
        }
    }
    return false;
}

static bool pauses_ok(const struct calendar_pause *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i].from > p[i].to) {
            return false;
        }
    }
    return true;
}

int calendar_deadline_paused(const struct calendar *c, int32_t start, int n,
                             const struct calendar_pause *pauses, size_t n_pauses, int32_t *out,
                             int *missing_year)
{
    assert(pauses || n_pauses == 0);
    if (!day_ok(start) || n < 0 || !pauses_ok(pauses, n_pauses)) {
        return ERR_INPUT;
    }
    int32_t day = start;
    while (n > 0) {
        bool work;
        int rc = workday(c, ++day, &work, missing_year);
        if (rc) {
            return rc;
        }
        n -= work && !paused(day, pauses, n_pauses);
    }
    *out = day;
    return 0;
}

int calendar_add_workdays(const struct calendar *c, int32_t day, int n, int32_t *out,
                          int *missing_year)
{
    return calendar_deadline_paused(c, day, n, NULL, 0, out, missing_year);
}

int calendar_workdays_between(const struct calendar *c, int32_t from, int32_t to, int *out,
                              int *missing_year)
{
    if (!day_ok(from) || !day_ok(to)) {
        return ERR_INPUT;
    }
    int32_t lo = to < from ? to : from, hi = to < from ? from : to;
    int count = 0;
    for (int32_t d = lo + 1; d <= hi; d++) {
        bool work;
        int rc = workday(c, d, &work, missing_year);
        if (rc) {
            return rc;
        }
        count += work;
    }
    *out = to < from ? -count : count;
    return 0;
}

int calendar_roll_to_workday(const struct calendar *c, int32_t day, int32_t *out, int *missing_year)
{
    if (!day_ok(day)) {
        return ERR_INPUT;
    }
    for (bool work = false;; day++) {
        int rc = workday(c, day, &work, missing_year);
        if (rc) {
            return rc;
        }
        if (work) {
            *out = day;
            return 0;
        }
    }
}

int calendar_add_days_rolled(const struct calendar *c, int32_t day, int n, int32_t *out,
                             int *missing_year)
{
    if (!day_ok(day) || n < 0 || !day_ok((int64_t)day + n)) {
        return ERR_INPUT;
    }
    return calendar_roll_to_workday(c, day + n, out, missing_year);
}
