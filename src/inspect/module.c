/*
** The inspect module's descriptor: routes, the inspect_task case type and the hooks into draw
** and positive (registered at start, and whenever a command opens the store, so a draw made by
** any command makes its tasks), the to-do source (leaders: tasks waiting for their approval;
** inspectors: tasks they are on but do not lead) and the audit kinds.
*/
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "inspect/inspect_int.h"
#include "store/q_inspect.h"

static int start(char *err, size_t errcap)
{
    (void)err;
    (void)errcap;
    inspect_register();
    return 0;
}

static int seed(struct store *s, char *err, size_t cap)
{
    (void)s;
    (void)err;
    (void)cap;
    inspect_register();
    return 0;
}

static bool todo_for(const struct principal *p, bool *approve)
{
    *approve = p->role == ROLE_LEADER || p->role == ROLE_ADMIN;
    return *approve || p->role == ROLE_INSPECTOR;
}

static int todo_list(struct db *db, const struct principal *p, const char *now, size_t limit,
                     struct buf *out, size_t *n)
{
    (void)now;
    bool approve;
    int64_t total = 0;
    *n = 0;
    if (!todo_for(p, &approve)) {
        buf_puts(out, "[]");
        return 0;
    }
    return store_inspect_todo(db, &p->scope, p->user_id, approve, limit, out, n, &total);
}

static int todo_count(struct db *db, const struct principal *p, const char *now,
                      struct todo_counts *c)
{
    (void)now;
    bool approve;
    if (!todo_for(p, &approve)) {
        return 0;
    }
    struct buf tmp;
    buf_init(&tmp, 1 << 16);
    size_t n;
    int64_t total = 0;
    int rc = store_inspect_todo(db, &p->scope, p->user_id, approve, 1, &tmp, &n, &total);
    buf_release(&tmp);
    c->total += total;
    return rc;
}

static const struct todo_source todo_sources[] = {{"inspect", todo_list, todo_count}};

const struct module inspect_module = {
    .name = "inspect",
    .routes = inspect_routes,
    .start = start,
    .seed = seed,
    .todo_sources = todo_sources,
    .n_todo_sources = ARRAY_LEN(todo_sources),
    .audit_kinds = inspect_audit_kinds,
};
