/*
** The pure parts of the service module (service.h): the 十百千 tally, the choice and order of a
** service day's agenda, and the date of the next service day.
*/
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "service/service.h"

size_t service_tbq_tally(const struct service_tbq_row *rows, size_t n, struct service_tbq *out,
                         size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        const char *county = rows[i].county ? rows[i].county : "";
        if (k == 0 || strcmp(out[k - 1].county, county)) {
            if (k == cap) {
                break;
            }
            memset(&out[k], 0, sizeof out[k]);
            snprintf(out[k].county, sizeof out[k].county, "%s", county);
            snprintf(out[k].county_name, sizeof out[k].county_name, "%s",
                     rows[i].county_name ? rows[i].county_name : "");
            k++;
        }
        struct service_tbq *c = &out[k - 1];
        int64_t ent = rows[i].enterprise_id;
        bool leader = false, manager = false;
        for (; i < n && rows[i].enterprise_id == ent &&
               !strcmp(rows[i].county ? rows[i].county : "", county);
             i++) {
            leader |= rows[i].tier && !strcmp(rows[i].tier, "leader");
            manager |= rows[i].tier && !strcmp(rows[i].tier, "manager");
        }
        c->shi += leader;
        c->bai += manager;
        c->qian++;
    }
    return k;
}

static int rank(const char *clock)
{
    return !clock ? 2 : !strcmp(clock, "overdue") ? 0 : !strcmp(clock, "due_soon") ? 1 : 2;
}

static int cmp_req(const struct service_agenda_req *a, const struct service_agenda_req *b)
{
    int ra = rank(a->clock), rb = rank(b->clock);
    if (ra != rb) {
        return ra - rb;
    }
    bool da = a->due_at && *a->due_at, dbb = b->due_at && *b->due_at;
    if (da != dbb) {
        return da ? -1 : 1;
    }
    int c = da ? strcmp(a->due_at, b->due_at) : 0;
    if (c) {
        return c;
    }
    c = strcmp(a->received_at ? a->received_at : "", b->received_at ? b->received_at : "");
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

static bool on_agenda(const int64_t *existing, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (existing[mid] == id) {
            return true;
        }
        if (existing[mid] < id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}

size_t service_agenda_plan(const struct service_agenda_req *reqs, size_t n, const int64_t *existing,
                           size_t n_existing, size_t *order, size_t cap)
{
    if (!n || !cap) {
        return 0;
    }
    size_t *all = xcalloc(n, sizeof *all);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t j = 0; j < m && !dup; j++) {
            dup = reqs[all[j]].id == reqs[i].id;
        }
        if (!dup && !on_agenda(existing, n_existing, reqs[i].id)) {
            all[m++] = i;
        }
    }
    for (size_t i = 1; i < m; i++) { /* insertion sort: an agenda is short */
        size_t v = all[i], j = i;
        for (; j > 0 && cmp_req(&reqs[all[j - 1]], &reqs[v]) > 0; j--) {
            all[j] = all[j - 1];
        }
        all[j] = v;
    }
    size_t k = m < cap ? m : cap;
    memcpy(order, all, k * sizeof *order);
    free(all);
    return k;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int service_day_next(const char *today, int day, char out[11])
{
    int y, m, d;
    char tail;
    if (!today || strlen(today) != 10 || sscanf(today, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        m < 1 || m > 12 || d < 1 || day < 1 || day > 28) {
        return ERR_INPUT;
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d > mdays[m - 1] + (m == 2 && leap(y))) {
        return ERR_INPUT;
    }
    if (d > day) {
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, m % 100, day % 100);
    memcpy(out, tmp, 11);
    return 0;
}
