/*
** The inspection task (检查任务) as a case: type "inspection", subject_kind "draw_target", one
** case per drawn target, assigned to its first drawn inspector; the others see it through this
** module's to-do source. A target on the positive list on its visit day opens waiting for the
** approval of the head of enforcement (a leader) before the visit. The inspector records the
** outcome (no problem / problems found / could not inspect), which closes the case and feeds
** publication (一公开). Issue 14's inspections take these cases up: the inspect module sets
** draw_hooks so each target's case is also its inspection task (one visit, one checklist), and
** the approval is the positive list's on-site request filed for the target (decision 69).
*/
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "core/util.h"
#include "draw/internal.h"
#include "positive/positive.h"
#include "store/q_draw.h"

#define INSPECTORS ROLE_INSPECTOR
#define APPROVERS (ROLE_LEADER | ROLE_ADMIN)

static const char *const STATES[] = {"scheduled", "awaiting_approval", "done", "not_approved",
                                     NULL};
static const char *const FINAL[] = {"done", "not_approved", NULL};
static const char *const NOTE[] = {"note", NULL};

static const struct case_transition TRANSITIONS[] = {
    {"scheduled", "awaiting_approval", "require_approval", CASE_ROLE_SYSTEM, NULL, CLOCK_NONE,
     "需负责人批准（正面清单）", "Needs approval (positive list)"},
    {"awaiting_approval", "scheduled", "approve", APPROVERS, NULL, CLOCK_NONE, "批准现场检查",
     "Approve the on-site visit"},
    {"awaiting_approval", "not_approved", "refuse", APPROVERS, NOTE, CLOCK_STOP, "不予批准",
     "Refuse the visit"},
    {"scheduled", "done", "no_problem", INSPECTORS, NULL, CLOCK_STOP, "未发现问题",
     "No problem found"},
    {"scheduled", "done", "problems_found", INSPECTORS, NOTE, CLOCK_STOP, "发现问题",
     "Problems found"},
    {"scheduled", "done", "could_not_inspect", INSPECTORS, NOTE, CLOCK_STOP, "无法检查",
     "Could not inspect"},
};

bool draw_outcome_valid(const char *s)
{
    return s && (!strcmp(s, "no_problem") || !strcmp(s, "problems_found") ||
                 !strcmp(s, "could_not_inspect"));
}

static struct draw_hooks hooks;

void draw_hooks_set(const struct draw_hooks *h)
{
    hooks = *h;
}

static int moved(struct db *db, int64_t target_id, const char *now)
{
    return hooks.moved ? hooks.moved(db, target_id, now) : 0;
}

static struct positive_actor pos_actor(const struct case_actor *who)
{
    return (struct positive_actor){who ? who->user_id : 0, who ? who->name : "system",
                                   who ? who->request_id : NULL, who ? who->ip : NULL};
}

static int outcome_audit(struct db *db, int64_t target_id, const char *outcome, int64_t user,
                         const char *name, const char *request_id, const char *ip)
{
    char after[80];
    snprintf(after, sizeof after, "{\"outcome\":\"%s\"}", outcome);
    struct audit_entry a = {.actor_id = user,
                            .actor = name,
                            .entity = "draw_target",
                            .entity_id = target_id,
                            .action = "outcome",
                            .after_json = after,
                            .request_id = request_id,
                            .ip = ip};
    return store_audit_add(db, &a);
}

/* A transition taken on the case page: the target records the outcome (only a drawn
   inspector of it may), or 'not_approved' when the leader refused the visit. */
static int follow(struct db *db, int64_t target_id, const struct case_transition *tr,
                  const struct case_actor *who, const char *note, const char *now)
{
    bool refuse = !strcmp(tr->action, "refuse");
    if (!strcmp(tr->action, "approve") || refuse) {
        /* The one approval path: the positive list's request of this target follows. */
        struct positive_actor pa = pos_actor(who);
        int rc = positive_onsite_settle(db, "draw_target", target_id, !refuse, note, &pa, now);
        if (rc && rc != ERR_NOTFOUND) {
            return rc;
        }
    }
    if (!refuse && !draw_outcome_valid(tr->action)) {
        return moved(db, target_id, now);
    }
    if (!refuse) {
        bool mine = false;
        int rc = store_draw_target_has_inspector(db, target_id, who->user_id, &mine);
        if (rc || !mine) {
            return rc ? rc : ERR_CONFLICT;
        }
    }
    const char *outcome = refuse ? "not_approved" : tr->action;
    int rc = store_draw_target_outcome(db, target_id, outcome, note ? note : "", who->user_id, now);
    rc = rc ? rc
            : outcome_audit(db, target_id, outcome, who->user_id, who->name, who->request_id,
                            who->ip);
    return rc ? rc : moved(db, target_id, now);
}

/* The leader decided the target's on-site request on the positive list's page: the case
   follows (approved: scheduled; refused: not_approved, the outcome recorded). */
static int onsite_decided(struct db *db, int64_t target_id, bool approved, const char *note,
                          const struct positive_actor *pa, const char *now)
{
    struct draw_target_row t;
    int rc = store_draw_target_get(db, target_id, &t);
    if (rc) {
        return rc;
    }
    struct case_actor ca = {pa->user_id, pa->name, ROLE_LEADER, pa->request_id, pa->ip, true};
    const char *present[] = {"note"};
    char why[300];
    const char *field = NULL;
    struct buf f;
    buf_init(&f, 4096);
    buf_puts(&f, "{\"note\":");
    buf_json_str(&f, note ? note : "", note ? strlen(note) : 0);
    buf_putc(&f, '}');
    rc = cases_transition(db, t.case_id, approved ? "approve" : "refuse", &ca, present,
                          note && *note ? 1 : 0, f.p, note, 0, now, &field, why, sizeof why);
    buf_release(&f);
    if (!rc && !approved) {
        rc = store_draw_target_outcome(db, target_id, "not_approved", note ? note : "", pa->user_id,
                                       now);
        rc = rc ? rc
                : outcome_audit(db, target_id, "not_approved", pa->user_id, pa->name,
                                pa->request_id, pa->ip);
    }
    return rc ? rc : moved(db, target_id, now);
}

/* A drawn inspector of the target sees its case wherever the target is (the roster may cross
   areas); other inspectors, leaders and admins as their scope allows; anyone else (other staff, the
   enterprise itself) only from the visit day: a random inspection is unannounced. */
static bool visible(struct db *db, int64_t target_id, const struct principal *p, bool scope_ok)
{
    bool drawn = false;
    if (p->role == ROLE_INSPECTOR &&
        !store_draw_target_has_inspector(db, target_id, p->user_id, &drawn) && drawn) {
        return true;
    }
    if (!scope_ok || (p->role & (ROLE_INSPECTOR | ROLE_LEADER | ROLE_ADMIN))) {
        return scope_ok;
    }
    struct draw_target_row t;
    char today[11];
    draw_today(today);
    return !store_draw_target_get(db, target_id, &t) && strcmp(t.visit_date, today) <= 0;
}

static const struct case_type INSPECTION = {
    .name = "inspection",
    .label_zh = "双随机检查",
    .label_en = "Random inspection",
    .states = STATES,
    .final = FINAL,
    .transitions = TRANSITIONS,
    .n_transitions = ARRAY_LEN(TRANSITIONS),
    .on_move = follow,
    .visible = visible,
};

void draw_inspection_register(void)
{
    cases_type_register(&INSPECTION);
    positive_onsite_hook_add("draw_target", onsite_decided);
}

int draw_inspection_open(struct db *db, int64_t target_id, int64_t enterprise_id, int64_t assignee,
                         const char *visit_date, bool needs_approval, const char *now,
                         int64_t *case_id)
{
    char name[300], region[16], title[400], today[11];
    int rc =
        store_draw_enterprise_brief(db, enterprise_id, name, sizeof name, region, sizeof region);
    if (rc) {
        return rc;
    }
    snprintf(title, sizeof title, "双随机检查 · %s · %s", name, visit_date);
    /* The clock: calendar days to the visit day (at least one). */
    draw_today(today);
    int32_t from = 0, to = 0;
    calendar_date_parse(today, 10, &from);
    calendar_date_parse(visit_date, 10, &to);
    struct case_open o = {.type = "inspection",
                          .subject_kind = "draw_target",
                          .subject_id = target_id,
                          .enterprise_id = enterprise_id,
                          .region_code = region,
                          .assignee_user_id = assignee,
                          .title = title,
                          .unit = CU_DAYS,
                          .limit = to > from ? to - from : 1,
                          .limit_source = "draw visit date"};
    rc = cases_open(db, &o, 0, "system", now, case_id);
    if (!rc && needs_approval) {
        static const struct case_actor SYSTEM = {0, "system", CASE_ROLE_SYSTEM, NULL, NULL, true};
        char why[300];
        const char *field = NULL;
        rc = cases_transition(db, *case_id, "require_approval", &SYSTEM, NULL, 0, "{}",
                              "正面清单企业：现场检查需执法负责人批准", 0, now, &field, why,
                              sizeof why);
        /* The one approval path: the request the leader decides, here or on the list. */
        struct positive_actor pa = {0, "system", NULL, NULL};
        int64_t req = 0;
        rc =
            rc ? rc
               : positive_onsite_request(db, enterprise_id, "draw", visit_date,
                                         "双随机抽查抽中正面清单企业 / a random draw drew a "
                                         "positive-list firm",
                                         "draw_target", target_id, &pa, now, &req, why, sizeof why);
    }
    return rc ? rc : hooks.opened ? hooks.opened(db, target_id, *case_id, now) : 0;
}

int draw_outcome_record(struct db *db, int64_t target_id, const char *outcome, const char *note,
                        const struct draw_actor *who, const char *now, const char **field,
                        char *err, size_t cap)
{
    struct draw_target_row t;
    int rc = store_draw_target_get(db, target_id, &t);
    if (rc) {
        return rc;
    }
    bool mine = false;
    rc = store_draw_target_has_inspector(db, target_id, who->user_id, &mine);
    if (!rc && !mine) {
        snprintf(err, cap, "只有抽中的执法人员可以登记结果 / only a drawn inspector may record it");
        return ERR_FORBIDDEN;
    }
    if (!rc && t.outcome[0]) {
        snprintf(err, cap, "结果已登记 / the outcome is already recorded");
        return ERR_CONFLICT;
    }
    struct case_actor ca = {who->user_id, who->name, who->role, who->request_id, who->ip, true};
    const char *present[] = {"note"};
    struct buf f;
    buf_init(&f, 8192);
    buf_puts(&f, "{\"note\":");
    buf_json_str(&f, note, strlen(note));
    buf_putc(&f, '}');
    rc = rc ? rc
            : cases_transition(db, t.case_id, outcome, &ca, present, note[0] ? 1 : 0, f.p, note, 0,
                               now, field, err, cap);
    buf_release(&f);
    rc = rc ? rc : store_draw_target_outcome(db, target_id, outcome, note, who->user_id, now);
    rc = rc ? rc
            : outcome_audit(db, target_id, outcome, who->user_id, who->name, who->request_id,
                            who->ip);
    return rc ? rc : moved(db, target_id, now);
}

int draw_target_visit(struct db *db, int64_t target_id, const char *outcome, const char *note,
                      const struct case_actor *who, const char *now, const char **field, char *err,
                      size_t cap)
{
    struct draw_actor da = {who->user_id, who->name, who->request_id, who->ip, who->role};
    return draw_outcome_record(db, target_id, outcome, note ? note : "", &da, now, field, err, cap);
}

/* ---------------- the to-do source ---------------- */

/* Inspectors: the targets they were drawn for but do not lead; leaders and admins: the
   positive-list visits waiting for their approval (the case is assigned to the lead inspector,
   so the cases source shows it to nobody who may approve). */
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
    return store_draw_todo_json(db, p->user_id, approve, now, limit, out, n);
}

static int todo_count(struct db *db, const struct principal *p, const char *now,
                      struct todo_counts *c)
{
    bool approve;
    int64_t total = 0, overdue = 0, soon = 0;
    int rc = todo_for(p, &approve)
                 ? store_draw_todo_count(db, p->user_id, approve, now, &total, &overdue, &soon)
                 : 0;
    /* The same clock states as the list's items: overdue and due soon count in the badge. */
    c->total += total;
    c->overdue += overdue;
    c->due_soon += soon;
    return rc;
}

const struct todo_source draw_todo_sources[] = {{"draw", todo_list, todo_count}};
const size_t draw_n_todo_sources = ARRAY_LEN(draw_todo_sources);
