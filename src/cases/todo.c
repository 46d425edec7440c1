/*
** 待办: one to-do list for every staff member and enterprise user, gathered from sources.
** A source (struct todo_source) writes the items waiting on a principal as JSON objects with
** at least "source", "id", "title" and, when it has one, "due_at" (UTC ISO) and "clock"
** ("on_track", "due_soon", "overdue", …), and counts them. Cases are the first source (the
** user's, their unit's unassigned ones their role acts on, a leader's escalated ones); the
** unread notifications of an enterprise are the second. A later module adds a row to SOURCES
** (docs/internals/cases.md). Items are merged by due date, those without one last.
*/
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "core/err.h"
#include "core/util.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/module.h"
#include "store/q_cases.h"

#define TODO_LIMIT 50 /* items per source, and on the page (the first by deadline) */

static void who_of(const struct principal *p, struct todo_who *w)
{
    *w = (struct todo_who){.user_id = p->user_id,
                           .org_unit_id = p->org_unit_id,
                           .enterprise_id = p->role == ROLE_ENTERPRISE ? p->enterprise_id : 0,
                           .role = p->role,
                           .leader = p->role == ROLE_LEADER || p->role == ROLE_ADMIN};
}

static int cases_list(struct db *db, const struct principal *p, const char *now, size_t limit,
                      struct buf *out, size_t *n)
{
    struct todo_who w;
    who_of(p, &w);
    return store_todo_cases(db, &w, now, limit, out, n);
}

static int cases_count(struct db *db, const struct principal *p, const char *now,
                       struct todo_counts *c)
{
    struct todo_who w;
    who_of(p, &w);
    int64_t t, o, s;
    int rc = store_todo_case_counts(db, &w, now, &t, &o, &s);
    if (!rc) {
        c->total += t;
        c->overdue += o;
        c->due_soon += s;
    }
    return rc;
}

static int notices_list(struct db *db, const struct principal *p, const char *now, size_t limit,
                        struct buf *out, size_t *n)
{
    (void)now;
    int64_t total;
    if (p->role != ROLE_ENTERPRISE) {
        buf_puts(out, "[]");
        *n = 0;
        return 0;
    }
    return store_todo_notices(db, p->user_id, p->enterprise_id, limit, out, n, &total);
}

static int notices_count(struct db *db, const struct principal *p, const char *now,
                         struct todo_counts *c)
{
    (void)now;
    if (p->role != ROLE_ENTERPRISE) {
        return 0;
    }
    struct buf tmp;
    buf_init(&tmp, 1 << 16);
    size_t n;
    int64_t total = 0;
    int rc = store_todo_notices(db, p->user_id, p->enterprise_id, 1, &tmp, &n, &total);
    buf_release(&tmp);
    c->total += total;
    return rc;
}

const struct todo_source cases_todo_sources[] = {
    {"case", cases_list, cases_count},
    {"notice", notices_list, notices_count},
};
const size_t cases_n_todo_sources = ARRAY_LEN(cases_todo_sources);

/* Call fn for every module's sources, in module order (the cases module lists its own). */
#define EACH_SOURCE(i, j, src)                                                                     \
    for (size_t i = 0; i < app_n_modules; i++)                                                     \
        for (size_t j = 0; j < app_modules[i]->n_todo_sources; j++)                                \
            for (const struct todo_source *src = &app_modules[i]->todo_sources[j]; src; src = NULL)

/* ---------------- merging ---------------- */

struct item {
    json_t *v;
    const char *due; /* "" when none */
};

static int by_due(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    if (!*x->due != !*y->due) {
        return *x->due ? -1 : 1;
    }
    return strcmp(x->due, y->due);
}

/* The arrays of parts[0..n) merged by due date, the first TODO_LIMIT, into out. */
static int merge_items(struct req *r, const struct buf *parts, size_t n_parts, struct buf *out)
{
    json_t *all = json_array();
    int rc = 0;
    for (size_t i = 0; i < n_parts && !rc; i++) {
        json_t *arr = json_loadb(parts[i].p, parts[i].len, 0, NULL);
        rc = arr ? 0 : ERR_DB;
        json_array_extend(all, arr);
        json_decref(arr);
    }
    size_t n = json_array_size(all);
    struct item *v = arena_alloc(r->a, sizeof *v * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        json_t *due = json_object_get(json_array_get(all, i), "due_at");
        v[i] = (struct item){json_array_get(all, i),
                             json_is_string(due) ? json_string_value(due) : ""};
    }
    qsort(v, n, sizeof *v, by_due);
    buf_putc(out, '[');
    for (size_t i = 0; !rc && i < n && i < TODO_LIMIT; i++) {
        char *s = json_dumps(v[i].v, JSON_COMPACT);
        buf_puts(out, i ? "," : "");
        buf_puts(out, s ? s : "null");
        free(s);
    }
    buf_putc(out, ']');
    json_decref(all);
    return rc;
}

/* Every source's items as JSON arrays into parts[0..*n). */
static int source_items(struct req *r, struct db *db, const char *now, struct buf *parts,
                        size_t *counts, size_t cap, size_t *n)
{
    int rc = 0;
    *n = 0;
    EACH_SOURCE(i, j, src)
    {
        if (!rc && *n < cap) {
            buf_init(&parts[*n], 16 << 20);
            rc = src->list(db, r->who, now, TODO_LIMIT, &parts[*n], &counts[*n]);
            (*n)++;
        }
    }
    return rc;
}

/* Every source's items merged by due date (those without one last), the first TODO_LIMIT, into
   out as a JSON array. With one source that has items (the usual case) its array is the
   answer as it is, already in order; only a merge parses and sorts. */
static int todo_items(struct req *r, struct db *db, const char *now, struct buf *out)
{
    struct buf parts[16];
    size_t counts[16], n = 0, with = 0, last = 0;
    int rc = source_items(r, db, now, parts, counts, ARRAY_LEN(parts), &n);
    for (size_t i = 0; i < n; i++) {
        with += counts[i] > 0;
        last = counts[i] > 0 ? i : last;
    }
    if (!rc && with <= 1) {
        buf_append(out, with ? parts[last].p : "[]", with ? parts[last].len : 2);
    } else if (!rc) {
        rc = merge_items(r, parts, n, out);
    }
    for (size_t i = 0; i < n; i++) {
        buf_release(&parts[i]);
    }
    return rc;
}

static int todo_counts(struct req *r, struct db *db, const char *now, struct buf *out)
{
    struct todo_counts c = {0};
    int rc = 0;
    EACH_SOURCE(i, j, src)
    {
        rc = rc ? rc : src->count(db, r->who, now, &c);
    }
    buf_printf(out, "{\"total\":%lld,\"overdue\":%lld,\"due_soon\":%lld", (long long)c.total,
               (long long)c.overdue, (long long)c.due_soon);
    if (!rc && (r->who->role == ROLE_LEADER || r->who->role == ROLE_ADMIN) && r->who->org_unit_id) {
        buf_puts(out, ",\"units\":");
        rc = store_todo_units(db, r->who->org_unit_id, now, out);
    }
    buf_putc(out, '}');
    return rc;
}

static int api_todo(struct req *r)
{
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":");
    int rc = todo_items(r, db, now, &r->out);
    buf_puts(&r->out, ",\"counts\":");
    rc = rc ? rc : todo_counts(r, db, now, &r->out);
    buf_putc(&r->out, '}');
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

static int api_todo_counts(struct req *r)
{
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct db *db = store_read(app.store);
    int rc = todo_counts(r, db, now, &r->out);
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

static const struct route routes[] = {
    {"GET", "/api/v1/todo", ROLES_ANY, api_todo, 0,
     "The to-do list of the signed-in user, by due date, with its counts"},
    {"GET", "/api/v1/todo/counts", ROLES_ANY, api_todo_counts, 0,
     "Counts of the to-do list (total, overdue, due soon; per org unit for a leader)"},
};

void cases_todo_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
