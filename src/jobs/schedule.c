/*
** Schedule text and arithmetic of jobs (see jobs.h): "every N", "daily HH:MM", "monthly D
** HH:MM", in China time (UTC+8 all year). Pure functions over Unix seconds, unit-tested in
** tests/unit/jobs/schedule_test.c.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "jobs/jobs.h"

#define CHINA_OFFSET_S (8 * 3600)
#define DAY_S 86400

/* Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dim[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* China-local seconds of the monthly slot in month (y, m). */
static int64_t monthly_slot(const struct job_schedule *s, int64_t y, int m)
{
    int day = s->day < days_in_month(y, m) ? s->day : days_in_month(y, m);
    return days_from_civil(y, m, day) * DAY_S + s->hour * 3600 + s->minute * 60;
}

int64_t job_schedule_next(const struct job_schedule *s, int64_t after_s)
{
    if (s->kind == JOB_EVERY) {
        return (floor_div(after_s, s->every_s) + 1) * s->every_s;
    }
    int64_t local = after_s + CHINA_OFFSET_S;
    int64_t day = floor_div(local, DAY_S);
    if (s->kind == JOB_DAILY) {
        int64_t t = day * DAY_S + s->hour * 3600 + s->minute * 60;
        return (t > local ? t : t + DAY_S) - CHINA_OFFSET_S;
    }
    int64_t y;
    int m, d;
    civil_from_days(day, &y, &m, &d);
    int64_t t = monthly_slot(s, y, m);
    if (t <= local) {
        y += m == 12;
        m = m == 12 ? 1 : m + 1;
        t = monthly_slot(s, y, m);
    }
    return t - CHINA_OFFSET_S;
}

/* "HH:MM" with 00 <= HH <= 23 and 00 <= MM <= 59. */
static bool parse_hhmm(const char *p, int *h, int *m)
{
    int n = 0;
    if (sscanf(p, "%2d:%2d%n", h, m, &n) != 2 || p[n] || n != 5) {
        return false;
    }
    return *h >= 0 && *h <= 23 && *m >= 0 && *m <= 59;
}

int job_schedule_parse(const char *text, struct job_schedule *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    char word[16];
    int n = 0;
    if (sscanf(text, " %15s %n", word, &n) == 1) {
        const char *rest = text + n;
        if (!strcmp(word, "every")) {
            out->kind = JOB_EVERY;
            if (!parse_i64(rest, strlen(rest), &out->every_s) && out->every_s >= 1 &&
                out->every_s <= 366 * DAY_S) {
                return 0;
            }
        } else if (!strcmp(word, "daily")) {
            out->kind = JOB_DAILY;
            if (parse_hhmm(rest, &out->hour, &out->minute)) {
                return 0;
            }
        } else if (!strcmp(word, "monthly")) {
            out->kind = JOB_MONTHLY;
            int k = 0;
            if (sscanf(rest, "%2d %n", &out->day, &k) == 1 && out->day >= 1 && out->day <= 31 &&
                parse_hhmm(rest + k, &out->hour, &out->minute)) {
                return 0;
            }
        }
    }
    snprintf(err, errcap,
             "schedule \"%s\": expected \"every SECONDS\", \"daily HH:MM\" or \"monthly DAY HH:MM\""
             " (China time)",
             text);
    return ERR_INPUT;
}
