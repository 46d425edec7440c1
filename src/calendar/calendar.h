/*
** The working-day calendar (工作日): the State Council's holidays (法定节假日) and make-up
** workdays (调休) per year, loaded from data/calendar/YYYY.json or an admin's upload, and the
** arithmetic every legal clock uses: is_workday, add_workdays, workdays_between, calendar-day
** deadlines rolled to the next workday, and clocks paused for expert review and the like.
** A computation that needs a year that is not loaded fails with ERR_NOTFOUND and names the
** year through *missing_year; it never guesses.
**
** Days are int32_t day numbers since 1970-01-01 (negative before). A struct calendar owns its
** years; it is pure data (no I/O, no locks): concurrent readers are safe, and a caller that
** loads a year while others read must hold a write lock (see src/calendar/api.c).
*/
#ifndef ENVGOV_CALENDAR_CALENDAR_H
#define ENVGOV_CALENDAR_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Years a calendar can hold. Dates outside them still parse; they are just never loaded. */
#define CALENDAR_FIRST_YEAR 1970
#define CALENDAR_LAST_YEAR 2199

struct calendar_year; /* one loaded year, private to calendar.c */

struct calendar {
    struct calendar_year *years[CALENDAR_LAST_YEAR - CALENDAR_FIRST_YEAR + 1];
};

struct calendar_pause {
    int32_t from, to; /* inclusive days during which the clock does not run */
};

/*
** Parse exactly n bytes "YYYY-MM-DD" (years 0001-9999, proleptic Gregorian) into *day.
** s need not be NUL-terminated. ERR_INPUT for anything else, including impossible dates such
** as 2026-02-30 or 2025-02-29.
*/
int calendar_date_parse(const char *s, size_t n, int32_t *day);
/* Write day as "YYYY-MM-DD" plus NUL into out; a day outside years 0001-9999 gives
   "0000-00-00". Never fails. */
void calendar_date_format(int32_t day, char out[11]);
/* Day of the week: 0 = Monday … 6 = Sunday. */
int calendar_weekday(int32_t day);
/* Gregorian year of day. */
int calendar_year_of(int32_t day);

/* Make c an empty calendar. */
void calendar_init(struct calendar *c);
/* Free every loaded year; c is empty afterwards and may be reused. Does not free c itself. */
void calendar_free(struct calendar *c);
/*
** Load one year file (format in docs/internals/calendar.md) from json[0..len), which the
** caller keeps; the calendar copies what it needs. The file is validated whole: "year" in
** 1970-2199, a "source", every date valid, holiday ranges forwards, at most 20 days and
** touching the year (a range may cross New Year; only its days in the year are taken),
** make-up workdays inside the year and on a Saturday or Sunday, no day listed twice or both
** holiday and make-up day, names 1-63 bytes. Only then is that year replaced, so a bad file
** leaves the calendar as it was. On success set *year_out (if not NULL) and return 0; on a bad
** file return ERR_INPUT with a message in err[0..errcap) saying what to fix.
*/
int calendar_load_json(struct calendar *c, const char *json, size_t len, int *year_out, char *err,
                       size_t errcap);
/* Whether year is loaded. */
bool calendar_has_year(const struct calendar *c, int year);
/* Write up to cap loaded years, ascending, into years; return how many were written. */
size_t calendar_years(const struct calendar *c, int *years, size_t cap);

/*
** Working-day arithmetic. Each function returns 0 with its result in *out; ERR_INPUT when a
** day is outside years 0001-9999, a count is negative or a pause runs backwards; ERR_NOTFOUND
** when it needs a day of a year that is not loaded, with *missing_year (if not NULL) set to
** that year. Nothing is allocated. A workday is a make-up workday, or Monday to Friday and
** not a holiday.
*/
int calendar_is_workday(const struct calendar *c, int32_t day, bool *out, int *missing_year);
/* The n-th workday after day (counting starts the next day); n == 0 gives day itself. */
int calendar_add_workdays(const struct calendar *c, int32_t day, int n, int32_t *out,
                          int *missing_year);
/* Number of workdays in (from, to]; negative (minus those in (to, from]) when to < from. */
int calendar_workdays_between(const struct calendar *c, int32_t from, int32_t to, int *out,
                              int *missing_year);
/* day itself when it is a workday, else the next workday. */
int calendar_roll_to_workday(const struct calendar *c, int32_t day, int32_t *out,
                             int *missing_year);
/* A deadline of n >= 0 calendar days after day, moved to the next workday if it lands on a
   non-workday. */
int calendar_add_days_rolled(const struct calendar *c, int32_t day, int n, int32_t *out,
                             int *missing_year);
/* The n-th workday after start, not counting workdays inside any of pauses[0..n_pauses)
   (which may overlap, and may be NULL when n_pauses is 0); n == 0 gives start. */
int calendar_deadline_paused(const struct calendar *c, int32_t start, int n,
                             const struct calendar_pause *pauses, size_t n_pauses, int32_t *out,
                             int *missing_year);

/* The holiday or make-up workday name of day ("国庆节", "国庆节调休"), or NULL for an ordinary
   day or a year not loaded. The string belongs to c and lives until that year is replaced or
   c is freed. */
const char *calendar_holiday_name(const struct calendar *c, int32_t day);

#endif
