/*
** The working-day calendar (工作日): official holidays and make-up workdays (调休) per year,
** loaded from data/calendar/YYYY.json or an admin's upload, and the arithmetic every legal
** clock uses — is_workday, add_workdays, workdays_between, calendar-day deadlines rolled to the
** next workday, and clocks with paused intervals. A computation that needs a year that is not
** loaded fails with ERR_NOTFOUND and names the year; it never guesses.
** Days are int32_t day numbers since 1970-01-01. Pure: no I/O, no locks (callers lock).
*/
#ifndef ENVGOV_CALENDAR_CALENDAR_H
#define ENVGOV_CALENDAR_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CALENDAR_FIRST_YEAR 1970
#define CALENDAR_LAST_YEAR 2199

struct calendar_year {
    bool loaded;
    uint8_t kind[366];   /* per day of year: 0 normal, 1 holiday, 2 make-up workday */
    char names[366][16]; /* holiday name (UTF-8, truncated) for UI */
};

struct calendar {
    struct calendar_year *years[CALENDAR_LAST_YEAR - CALENDAR_FIRST_YEAR + 1];
};

struct calendar_pause {
    int32_t from, to; /* inclusive days during which the clock stops */
};

/* "YYYY-MM-DD" (exactly 10 bytes) → day number; ERR_INPUT for malformed or impossible dates. */
int calendar_date_parse(const char *s, size_t n, int32_t *day);
void calendar_date_format(int32_t day, char out[11]);
/* 0 = Monday … 6 = Sunday. */
int calendar_weekday(int32_t day);
int calendar_year_of(int32_t day);

void calendar_init(struct calendar *c);
void calendar_free(struct calendar *c);
/* Load one year from its JSON file (format in docs/internals/calendar.md), replacing that
   year. Validates dates inside the year, make-up days on weekends, no day both holiday and
   make-up. *year_out gets the year. ERR_INPUT with a message in err. */
int calendar_load_json(struct calendar *c, const char *json, size_t len, int *year_out, char *err,
                       size_t errcap);
bool calendar_has_year(const struct calendar *c, int year);
/* Loaded years ascending into years[0..cap); returns the count. */
size_t calendar_years(const struct calendar *c, int *years, size_t cap);

/* Each of these returns 0, or ERR_NOTFOUND with *missing_year (if not NULL) set. */
int calendar_is_workday(const struct calendar *c, int32_t day, bool *out, int *missing_year);
/* The n-th workday after day (counting starts the next day); n == 0 gives day. */
int calendar_add_workdays(const struct calendar *c, int32_t day, int n, int32_t *out,
                          int *missing_year);
/* Workdays in (from, to]; negative when to < from. */
int calendar_workdays_between(const struct calendar *c, int32_t from, int32_t to, int *out,
                              int *missing_year);
/* day itself when a workday, else the next workday. */
int calendar_roll_to_workday(const struct calendar *c, int32_t day, int32_t *out,
                             int *missing_year);
/* day + n calendar days, rolled to the next workday. */
int calendar_add_days_rolled(const struct calendar *c, int32_t day, int n, int32_t *out,
                             int *missing_year);
/* The n-th workday after start, not counting workdays inside any pause. */
int calendar_deadline_paused(const struct calendar *c, int32_t start, int n,
                             const struct calendar_pause *pauses, size_t n_pauses, int32_t *out,
                             int *missing_year);
/* Holiday or make-up name of day, or NULL. */
const char *calendar_holiday_name(const struct calendar *c, int32_t day);

#endif
