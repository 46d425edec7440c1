/*
** Legal clocks (办理期限), pure arithmetic over the working-day calendar: the deadline of a
** limit in working days, calendar days rolled to the next workday, working hours (09:00–17:00
** China time on workdays, decision 48) or elapsed time; pauses (暂停计时) left out; approved
** extensions (延期) added. Times are unix seconds; China time is UTC+8 all year.
*/
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "cases/cases.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/util.h"

#define CHINA_OFFSET_S (8 * 3600)
#define WORK_FROM_S (9 * 3600) /* 09:00 China time */
#define WORK_TO_S (17 * 3600)  /* 17:00 */
#define MAX_SPAN_DAYS 3660     /* no clock runs ten years; a longer walk is a bad input */

static const char *const UNIT_NAMES[] = {"workdays", "days",    "work_hours",
                                         "hours",    "minutes", "seconds"};

int case_unit_parse(const char *s)
{
    for (size_t i = 0; s && i < ARRAY_LEN(UNIT_NAMES); i++) {
        if (!strcmp(UNIT_NAMES[i], s)) {
            return (int)i;
        }
    }
    return -1;
}

const char *case_unit_name(enum case_unit u)
{
    return (size_t)u < ARRAY_LEN(UNIT_NAMES) ? UNIT_NAMES[u] : NULL;
}

const char *case_clock_state_name(enum case_clock_state s)
{
    static const char *const names[] = {"on_track", "due_soon", "overdue",
                                        "paused",   "stopped",  "none"};
    return names[s];
}

/* The China-time day of t, and the UTC second that day starts. */
static int32_t china_day(int64_t t)
{
    int64_t s = t + CHINA_OFFSET_S;
    return (int32_t)((s >= 0 ? s : s - 86399) / 86400);
}

static int64_t day_start(int32_t day)
{
    return (int64_t)day * 86400 - CHINA_OFFSET_S;
}

int case_work_seconds(const struct calendar *c, int64_t from, int64_t to, int64_t *out,
                      int *missing_year)
{
    *out = 0;
    if (to <= from) {
        return 0;
    }
    int32_t d0 = china_day(from), d1 = china_day(to);
    if (d1 - d0 > MAX_SPAN_DAYS) {
        return ERR_INPUT;
    }
    for (int32_t d = d0; d <= d1; d++) {
        bool work;
        int rc = calendar_is_workday(c, d, &work, missing_year);
        if (rc) {
            return rc;
        }
        int64_t lo = day_start(d) + WORK_FROM_S, hi = day_start(d) + WORK_TO_S;
        lo = lo > from ? lo : from;
        hi = hi < to ? hi : to;
        *out += work && hi > lo ? hi - lo : 0;
    }
    return 0;
}

int case_work_add(const struct calendar *c, int64_t from, int64_t seconds, int64_t *out,
                  int *missing_year)
{
    if (seconds < 0) {
        return ERR_INPUT;
    }
    int64_t left = seconds;
    for (int32_t d = china_day(from), n = 0; n <= MAX_SPAN_DAYS; d++, n++) {
        if (!left) {
            *out = from;
            return 0;
        }
        bool work;
        int rc = calendar_is_workday(c, d, &work, missing_year);
        if (rc) {
            return rc;
        }
        int64_t lo = day_start(d) + WORK_FROM_S, hi = day_start(d) + WORK_TO_S;
        lo = lo > from ? lo : from;
        if (!work || hi <= lo) {
            continue;
        }
        if (left <= hi - lo) {
            *out = lo + left;
            return 0;
        }
        left -= hi - lo;
    }
    return ERR_INPUT;
}

/* Elapsed seconds per unit of the elapsed-time units. */
static int64_t unit_seconds(enum case_unit u)
{
    return u == CU_HOURS ? 3600 : u == CU_MINUTES ? 60 : 1;
}

/* Day units: the days after the day a pause began, to the day it ended, are left out. */
static int due_days(const struct calendar *c, const struct case_clock *k, int64_t n,
                    int32_t *due_day, int *missing_year)
{
    int32_t start = china_day(k->started_at);
    struct calendar_pause p[CASE_MAX_PAUSES];
    size_t np = 0;
    int64_t paused_days = 0;
    for (size_t i = 0; i < k->n_pauses; i++) {
        int32_t a = china_day(k->pauses[i].from) + 1, b = china_day(k->pauses[i].to);
        if (a <= b) {
            p[np++] = (struct calendar_pause){a, b};
            paused_days += b - a + 1;
        }
    }
    if (n + paused_days > MAX_SPAN_DAYS) {
        return ERR_INPUT;
    }
    if (k->unit == CU_WORKDAYS) {
        return calendar_deadline_paused(c, start, (int)n, p, np, due_day, missing_year);
    }
    return calendar_add_days_rolled(c, start, (int)(n + paused_days), due_day, missing_year);
}

int case_clock_due(const struct calendar *c, const struct case_clock *k, int64_t *due,
                   int64_t *soon, int *missing_year)
{
    *due = *soon = 0;
    int64_t n = k->limit + k->extended;
    if (k->limit < 0 || k->extended < 0) {
        return ERR_INPUT;
    }
    if (k->paused_at && !k->stopped_at) {
        return 0;
    }
    int rc = 0;
    if (k->unit == CU_WORKDAYS || k->unit == CU_DAYS) {
        int32_t day;
        rc = due_days(c, k, n, &day, missing_year);
        *due = rc ? 0 : day_start(day + 1); /* the end of the due day, China time */
    } else if (k->unit == CU_WORK_HOURS) {
        int64_t secs = n * 3600;
        for (size_t i = 0; !rc && i < k->n_pauses; i++) {
            int64_t w;
            rc = case_work_seconds(c, k->pauses[i].from, k->pauses[i].to, &w, missing_year);
            secs += w;
        }
        rc = rc ? rc : case_work_add(c, k->started_at, secs, due, missing_year);
    } else {
        int64_t secs = n * unit_seconds(k->unit);
        for (size_t i = 0; i < k->n_pauses; i++) {
            secs += k->pauses[i].to - k->pauses[i].from;
        }
        *due = k->started_at + secs;
    }
    if (rc) {
        *due = 0;
        return rc;
    }
    *soon = *due - (*due - k->started_at) / 4;
    return 0;
}

enum case_clock_state case_clock_state_at(const struct case_clock *k, int64_t due, int64_t soon,
                                          int64_t now)
{
    if (k->stopped_at) {
        return CS_STOPPED;
    }
    if (k->paused_at) {
        return CS_PAUSED;
    }
    if (!due) {
        return CS_NONE;
    }
    return now >= due ? CS_OVERDUE : now >= soon ? CS_DUE_SOON : CS_ON_TRACK;
}

int case_clock_apply(struct case_clock *k, enum case_clock_effect e, int64_t now, int64_t extension)
{
    if (e == CLOCK_NONE || (e == CLOCK_STOP && k->stopped_at)) {
        return 0;
    }
    if (k->stopped_at) {
        return ERR_CONFLICT;
    }
    switch (e) {
    case CLOCK_PAUSE:
        if (k->paused_at || k->n_pauses >= CASE_MAX_PAUSES) {
            return ERR_CONFLICT;
        }
        k->paused_at = now;
        return 0;
    case CLOCK_RESUME:
    case CLOCK_STOP:
        if (k->paused_at) {
            k->pauses[k->n_pauses++] = (struct case_span){k->paused_at, now};
            k->paused_at = 0;
        } else if (e == CLOCK_RESUME) {
            return ERR_CONFLICT;
        }
        k->stopped_at = e == CLOCK_STOP ? now : 0;
        return 0;
    case CLOCK_EXTEND:
        if (extension <= 0) {
            return ERR_INPUT;
        }
        k->extended += extension;
        return 0;
    default: return 0;
    }
}

void case_pauses_format(const struct case_clock *k, struct buf *out)
{
    for (size_t i = 0; i < k->n_pauses; i++) {
        buf_printf(out, "%s%lld-%lld", i ? "," : "", (long long)k->pauses[i].from,
                   (long long)k->pauses[i].to);
    }
}

int case_pauses_parse(const char *s, struct case_clock *k)
{
    k->n_pauses = 0;
    while (s && *s) {
        const char *dash = strchr(s, '-'), *end = strchr(s, ',');
        end = end ? end : s + strlen(s);
        struct case_span sp;
        if (!dash || dash > end || k->n_pauses >= CASE_MAX_PAUSES ||
            parse_i64(s, (size_t)(dash - s), &sp.from) ||
            parse_i64(dash + 1, (size_t)(end - dash - 1), &sp.to) || sp.to < sp.from) {
            return ERR_INPUT;
        }
        k->pauses[k->n_pauses++] = sp;
        s = *end ? end + 1 : end;
    }
    return 0;
}

int64_t case_iso_seconds(const char *iso)
{
    int32_t day;
    int64_t hh, mm, ss;
    if (!iso || strlen(iso) != 20 || iso[10] != 'T' || iso[19] != 'Z' ||
        calendar_date_parse(iso, 10, &day) || parse_i64(iso + 11, 2, &hh) ||
        parse_i64(iso + 14, 2, &mm) || parse_i64(iso + 17, 2, &ss)) {
        return 0;
    }
    return (int64_t)day * 86400 + hh * 3600 + mm * 60 + ss;
}
