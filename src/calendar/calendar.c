/*
** Working-day calendar implementation; see calendar.h. Dates use the proleptic Gregorian
** civil-from-days algorithm (Howard Hinnant's), so no time zone or libc time is involved.
*/
#include "calendar/calendar.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int calendar_date_parse(const char *s, size_t n, int32_t *day)
{
    if (n != 10 || s[4] != '-' || s[7] != '-') {
        return ERR_INPUT;
    }
    int64_t y, m, d;
    if (parse_i64(s, 4, &y) || parse_i64(s + 5, 2, &m) || parse_i64(s + 8, 2, &d) || s[0] == '-' ||
        s[5] == '+' || s[5] == '-' || s[8] == '+' || s[8] == '-') {
        return ERR_INPUT;
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < CALENDAR_FIRST_YEAR || y > CALENDAR_LAST_YEAR || m < 1 || m > 12 || d < 1 ||
        d > mdays[m - 1] + (m == 2 && leap((int)y))) {
        return ERR_INPUT;
    }
    *day = (int32_t)days_from_civil(y, (unsigned)m, (unsigned)d);
    return 0;
}

void calendar_date_format(int32_t day, char out[11])
{
    int y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    /* y is within 1970..2199 for every day the parser accepts; clamp for the compiler. */
    unsigned yy = (unsigned)(y < 0 ? 0 : y) % 10000u;
    out[0] = (char)('0' + yy / 1000);
    out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10);
    out[3] = (char)('0' + yy % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = 0;
}

int calendar_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (3 with Monday = 0). */
    int w = (int)((day % 7 + 7 + 3) % 7);
    return w;
}

int calendar_year_of(int32_t day)
{
    int y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    return y;
}

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

/* Mark one day; validates it is inside the year and consistent with earlier marks. */
static int mark(struct calendar_year *cy, int year, const char *date, int kind, const char *name,
                char *err, size_t errcap)
{
    int32_t day;
    if (!date || calendar_date_parse(date, strlen(date), &day) || calendar_year_of(day) != year) {
        snprintf(err, errcap, "bad date '%s' (must be YYYY-MM-DD within %d)", date ? date : "?",
                 year);
        return ERR_INPUT;
    }
    int doy = (int)(day - (int32_t)days_from_civil(year, 1, 1));
    if (kind == 2 && calendar_weekday(day) < 5) {
        snprintf(err, errcap, "make-up workday %s is a weekday, not a weekend day", date);
        return ERR_INPUT;
    }
    if (cy->kind[doy] && cy->kind[doy] != kind) {
        snprintf(err, errcap, "%s is both a holiday and a make-up workday", date);
        return ERR_INPUT;
    }
    cy->kind[doy] = (uint8_t)kind;
    snprintf(cy->names[doy], sizeof cy->names[doy], "%s", name ? name : "");
    return 0;
}

static int load_holidays(struct calendar_year *cy, int year, json_t *list, char *err, size_t errcap)
{
    size_t i;
    json_t *h;
    json_array_foreach (list, i, h) {
        const char *from = json_string_value(json_object_get(h, "from"));
        const char *to = json_string_value(json_object_get(h, "to"));
        const char *name = json_string_value(json_object_get(h, "name"));
        int32_t a, b;
        if (!from || !to || calendar_date_parse(from, strlen(from), &a) ||
            calendar_date_parse(to, strlen(to), &b) || b < a || b - a > 15) {
            snprintf(err, errcap, "holiday %zu: from/to must be dates with from <= to (<= 16 days)",
                     i + 1);
            return ERR_INPUT;
        }
        for (int32_t d = a; d <= b; d++) {
            char iso[11];
            calendar_date_format(d, iso);
            if (calendar_year_of(d) != year) {
                continue; /* a range crossing New Year belongs to both years' files */
            }
            int rc = mark(cy, year, iso, 1, name, err, errcap);
            if (rc) {
                return rc;
            }
        }
    }
    return 0;
}

static int load_workdays(struct calendar_year *cy, int year, json_t *list, char *err, size_t errcap)
{
    size_t i;
    json_t *w;
    json_array_foreach (list, i, w) {
        const char *date = json_is_string(w) ? json_string_value(w)
                                             : json_string_value(json_object_get(w, "date"));
        const char *name = json_string_value(json_object_get(w, "name"));
        int rc = mark(cy, year, date, 2, name ? name : "调休上班", err, errcap);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

int calendar_load_json(struct calendar *c, const char *json, size_t len, int *year_out, char *err,
                       size_t errcap)
{
    json_error_t je;
    json_t *root = json_loadb(json, len, 0, &je);
    if (!root || !json_is_object(root)) {
        snprintf(err, errcap, "not a JSON object: %s", root ? "" : je.text);
        json_decref(root);
        return ERR_INPUT;
    }
    json_t *y = json_object_get(root, "year");
    json_t *hol = json_object_get(root, "holidays"), *wd = json_object_get(root, "workdays");
    int rc = 0;
    if (!json_is_integer(y) || json_integer_value(y) < CALENDAR_FIRST_YEAR ||
        json_integer_value(y) > CALENDAR_LAST_YEAR || !json_is_array(hol) ||
        (wd && !json_is_array(wd))) {
        snprintf(err, errcap, "need \"year\" (1970-2199), \"holidays\" [..] and \"workdays\" [..]");
        rc = ERR_INPUT;
    }
    int year = rc ? 0 : (int)json_integer_value(y);
    struct calendar_year *cy = rc ? NULL : xcalloc(1, sizeof *cy);
    if (!rc) {
        rc = load_holidays(cy, year, hol, err, errcap);
    }
    if (!rc && wd) {
        rc = load_workdays(cy, year, wd, err, errcap);
    }
    json_decref(root);
    if (rc) {
        free(cy);
        return rc;
    }
    cy->loaded = true;
    free(c->years[year - CALENDAR_FIRST_YEAR]);
    c->years[year - CALENDAR_FIRST_YEAR] = cy;
    *year_out = year;
    return 0;
}

static const struct calendar_year *year_for(const struct calendar *c, int32_t day, int *doy,
                                            int *missing_year)
{
    int y = calendar_year_of(day);
    if (!calendar_has_year(c, y)) {
        if (missing_year) {
            *missing_year = y;
        }
        return NULL;
    }
    *doy = (int)(day - (int32_t)days_from_civil(y, 1, 1));
    return c->years[y - CALENDAR_FIRST_YEAR];
}

int calendar_is_workday(const struct calendar *c, int32_t day, bool *out, int *missing_year)
{
    int doy;
    const struct calendar_year *cy = year_for(c, day, &doy, missing_year);
    if (!cy) {
        return ERR_NOTFOUND;
    }
    *out = cy->kind[doy] == 2 || (cy->kind[doy] == 0 && calendar_weekday(day) < 5);
    return 0;
}

const char *calendar_holiday_name(const struct calendar *c, int32_t day)
{
    int doy;
    const struct calendar_year *cy = year_for(c, day, &doy, NULL);
    return cy && cy->kind[doy] ? cy->names[doy] : NULL;
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

int calendar_deadline_paused(const struct calendar *c, int32_t start, int n,
                             const struct calendar_pause *pauses, size_t n_pauses, int32_t *out,
                             int *missing_year)
{
    if (n < 0) {
        return ERR_INPUT;
    }
    int32_t day = start;
    /* Bounded: even all-holiday years end; 3650 days of slack per requested workday is ample. */
    for (int left = n, guard = 0; left > 0; guard++) {
        if (guard > 3660 + n * 8) {
            return ERR_INPUT;
        }
        day++;
        bool work;
        int rc = calendar_is_workday(c, day, &work, missing_year);
        if (rc) {
            return rc;
        }
        if (work && !paused(day, pauses, n_pauses)) {
            left--;
        }
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
    int sign = to < from ? -1 : 1, count = 0;
    int32_t a = to < from ? to : from, b = to < from ? from : to;
    for (int32_t d = a + 1; d <= b; d++) {
        bool work;
        int rc = calendar_is_workday(c, d, &work, missing_year);
        if (rc) {
            return rc;
        }
        count += work;
    }
    *out = sign * count;
    return 0;
}

int calendar_roll_to_workday(const struct calendar *c, int32_t day, int32_t *out, int *missing_year)
{
    for (int guard = 0; guard < 400; guard++, day++) {
        bool work;
        int rc = calendar_is_workday(c, day, &work, missing_year);
        if (rc) {
            return rc;
        }
        if (work) {
            *out = day;
            return 0;
        }
    }
    return ERR_INPUT;
}

int calendar_add_days_rolled(const struct calendar *c, int32_t day, int n, int32_t *out,
                             int *missing_year)
{
    return calendar_roll_to_workday(c, day + n, out, missing_year);
}
