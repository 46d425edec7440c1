/*
** The rectification a credit event rests on, read from the rectify hub (rectify/rectify.h): the
** orders of a penalty case (origin "penalty") or, when the case has none, its problem's; the
** problems an alarm showed; a problem's own orders; for any other source the orders of that
** origin. The verdict is the hub's (every order verified, at least one); the counts shown beside
** it come from the same tables.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "rectify/rectify.h"
#include "repair/internal.h"

static void take(struct repair_facts *f, const char *basis, int n, bool all, const char *last)
{
    f->rect_basis = basis;
    f->rect_orders = n;
    f->rect_all = n > 0 && all;
    snprintf(f->rect_last, sizeof f->rect_last, "%s", last ? last : "");
}

/* Every order of origin/id, through the hub. */
static int by_origin(struct db *db, const char *basis, const char *origin, int64_t id,
                     struct repair_facts *f)
{
    int64_t n = 0;
    bool all = false;
    char last[11] = "";
    int rc = store_repair_orders_count(db, origin, id, &n);
    rc = rc || !n ? rc : rectify_orders_verified(db, origin, id, &all, last);
    if (!rc) {
        take(f, basis, (int)n, all, last);
    }
    return rc;
}

struct problems {
    struct db *db;
    int n, rc;
    bool all;
    char last[11];
};

/* One problem: every order of it verified; the latest verification over all of them. */
static void problem_one(int64_t problem_id, void *ctx)
{
    struct problems *p = ctx;
    bool all = false;
    char last[11] = "";
    if (p->rc) {
        return;
    }
    p->rc = rectify_problem_verified(p->db, problem_id, &all, last);
    p->n++;
    p->all = p->all && all;
    if (strcmp(last, p->last) > 0) {
        snprintf(p->last, sizeof p->last, "%s", last);
    }
}

static int by_problems(struct db *db, const char *basis, const char *kind, int64_t id,
                       int64_t enterprise_id, struct repair_facts *f)
{
    struct problems p = {.db = db, .all = true};
    int rc = store_repair_problems_each(db, kind, id, enterprise_id, problem_one, &p);
    rc = rc ? rc : p.rc;
    if (!rc) {
        take(f, basis, p.n, p.all, p.last);
    }
    return rc;
}

int repair_rectification_facts(struct db *db, const struct repair_event_row *e,
                               struct repair_facts *f)
{
    take(f, e->source, 0, false, "");
    if (!e->source_id) {
        return 0; /* a fact of no record (manual): nothing to look at */
    }
    if (!strcmp(e->source, "penalty")) {
        int rc = by_origin(db, "penalty", "penalty", e->source_id, f);
        char vt[64];
        int64_t problem = 0;
        rc = rc || f->rect_orders
                 ? rc
                 : store_repair_penalty_case(db, e->source_id, vt, sizeof vt, &problem);
        return rc || !problem ? rc
                              : by_problems(db, "problem", "problem", problem, e->subject_id, f);
    }
    if (!strcmp(e->source, "alarm")) {
        return by_problems(db, "alarm", "alarm", e->source_id, e->subject_id, f);
    }
    if (!strcmp(e->source, "problem")) {
        return by_problems(db, "problem", "problem", e->source_id, e->subject_id, f);
    }
    return by_origin(db, "source", e->source, e->source_id, f);
}
