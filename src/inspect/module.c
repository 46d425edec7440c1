/*
** The inspect module's descriptor: routes, the inspect_task case type and the hooks into draw
** and positive (registered at start, and whenever a command opens the store, so a draw made by
** any command makes its tasks), the to-do source (leaders: tasks waiting for their approval;
** inspectors: tasks they are on but do not lead), the audit kinds and the demo's tasks and
** campaign.
*/
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
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
    bool approve;
    *n = 0;
    if (!todo_for(p, &approve)) {
        buf_puts(out, "[]");
        return 0;
    }
    return store_inspect_todo(db, &p->scope, p->user_id, approve, now, limit, out, n);
}

/* The same items as the list, with their clock states in the badge. */
static int todo_count(struct db *db, const struct principal *p, const char *now,
                      struct todo_counts *c)
{
    bool approve;
    int64_t total = 0, overdue = 0, soon = 0;
    int rc = todo_for(p, &approve) ? store_inspect_todo_count(db, &p->scope, p->user_id, approve,
                                                              now, &total, &overdue, &soon)
                                   : 0;
    c->total += total;
    c->overdue += overdue;
    c->due_soon += soon;
    return rc;
}

/* `envgov demo`: for the demo inspector in 长兴县, a routine visit today, a complaint to verify
   tomorrow and a visit of a positive-list firm when one is there (waiting for the leader's
   approval); and a published campaign (专项行动) over five of the county's firms. */
static int demo(struct db *db, const char *today, struct buf *summary)
{
    int64_t insp = 0, leader = 0, ents[8];
    size_t n = 0;
    int rc = store_inspect_demo_picks(db, "330522", &insp, &leader, ents, ARRAY_LEN(ents), &n);
    if (rc || !insp || !leader || n < 5) {
        buf_puts(summary, ", no inspections");
        return rc;
    }
    inspect_register();
    struct case_actor who = {leader, "局领导", ROLE_LEADER, NULL, NULL, false};
    char now[32], tomorrow[11];
    time_iso(wall_ms() / 1000, now);
    int32_t d = 0;
    calendar_date_parse(today, 10, &d);
    calendar_date_format(d + 1, tomorrow);
    static const char *const PURPOSE[] = {"routine", "complaint", "routine"};
    static const char *const SOURCE[] = {"manual", "complaint", "manual"};
    size_t tasks = 0, waiting = 0;
    for (size_t i = 0; !rc && i < 3; i++) {
        struct inspect_task_input ti = {.enterprise_id = ents[i],
                                        .source_kind = SOURCE[i],
                                        .purpose = PURPOSE[i],
                                        .level = "enforcement",
                                        .planned_on = i ? tomorrow : today,
                                        .lead_user_id = insp};
        int64_t tid = 0, cid = 0;
        const char *field = NULL;
        char why[400];
        rc = inspect_task_create(db, &ti, &who, now, &tid, &cid, &field, why, sizeof why);
        struct inspect_task_row t;
        if (!rc && !store_inspect_task_get(db, tid, &t) && !strcmp(t.status, "awaiting_approval")) {
            waiting++;
        }
        tasks += rc ? 0 : 1;
    }
    struct inspect_campaign_new c = {
        .title = "涉挥发性有机物企业专项执法检查",
        .region_prefix = "330522",
        .plan = "一、检查对象：长兴县涉VOCs排放企业\n二、企业对照检查表自查并书面承诺\n"
                "三、逐企现场检查，问题移交属地限期整改\n四、核查销号后公开结果",
        .selfcheck_due = tomorrow,
        .visit_from = tomorrow,
        .visit_to = tomorrow,
        .created_by = leader,
        .now = now};
    int64_t cid = 0;
    rc = rc ? rc : store_inspect_campaign_insert(db, &c, &cid);
    for (size_t i = 0; !rc && i < 5; i++) {
        rc = store_inspect_campaign_target_add(db, cid, ents[i]);
    }
    rc = rc ? rc : store_inspect_campaign_status(db, cid, "published", NULL, now);
    buf_printf(summary, ", %zu inspection tasks (%zu awaiting approval), 1 campaign", tasks,
               waiting);
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
    .demo = demo,
};
