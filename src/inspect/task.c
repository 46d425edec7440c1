/*
** Inspection tasks as cases (type "inspect_task", subject_kind "inspect_task"), the approval of
** a positive-list firm's on-site visit through the positive list's one request (decision 69),
** the draw target's task made from its case (decision 70), and the visit: the checklist once,
** idempotent by the phone's uuid (decision 71), findings recorded as problems of the hub.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "core/util.h"
#include "draw/draw.h"
#include "inspect/inspect_int.h"
#include "positive/positive.h"
#include "rectify/rectify.h"
#include "rules/rules.h"
#include "store/q_inspect.h"

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
    /* The outcomes come with the visit's checklist (POST /inspect/tasks/{id}/visit): taken on
       the case page they are refused (on_move). */
    {"scheduled", "done", "no_problem", INSPECTORS, NULL, CLOCK_STOP, "未发现问题",
     "No problem found"},
    {"scheduled", "done", "problems_found", INSPECTORS, NULL, CLOCK_STOP, "发现问题",
     "Problems found"},
    {"scheduled", "done", "could_not_inspect", INSPECTORS, NOTE, CLOCK_STOP, "无法检查",
     "Could not inspect"},
};

static struct positive_actor pos_actor(const struct case_actor *who)
{
    return (struct positive_actor){who ? who->user_id : 0, who ? who->name : "system",
                                   who ? who->request_id : NULL, who ? who->ip : NULL};
}

static void today_cn(char out[11])
{
    date_cn(wall_ms() / 1000, out);
}

/* A transition taken on the case page: approval settles the positive list's request and the
   task follows; outcomes only come with the checklist. */
static int follow(struct db *db, int64_t task_id, const struct case_transition *tr,
                  const struct case_actor *who, const char *note, const char *now)
{
    bool approve = !strcmp(tr->action, "approve"), refuse = !strcmp(tr->action, "refuse");
    if (!approve && !refuse) {
        return ERR_CONFLICT;
    }
    struct positive_actor pa = pos_actor(who);
    int rc = positive_onsite_settle(db, "inspect_task", task_id, approve, note, &pa, now);
    if (rc && rc != ERR_NOTFOUND) {
        return rc;
    }
    return store_inspect_task_status(db, task_id, tr->to, refuse ? "not_approved" : NULL, NULL,
                                     now);
}

/* The task's inspectors see it wherever it is; the enterprise only once the visit happened
   (unannounced); a draw's task is secret from other staff until the visit day (the draw's
   rule); everyone else as the scope decides. */
bool inspect_task_visible(struct db *db, int64_t task_id, const struct principal *p, bool scope_ok)
{
    bool mine = false;
    if (p->role == ROLE_INSPECTOR && !store_inspect_is_inspector(db, task_id, p->user_id, &mine) &&
        mine) {
        return true;
    }
    if (!scope_ok) {
        return false;
    }
    struct inspect_task_row t;
    if (store_inspect_task_get(db, task_id, &t)) {
        return false;
    }
    if (p->role == ROLE_ENTERPRISE) {
        return !strcmp(t.status, "done");
    }
    if (p->role & (ROLE_INSPECTOR | ROLE_LEADER | ROLE_ADMIN)) {
        return true;
    }
    char today[11];
    today_cn(today);
    return strcmp(t.source_kind, "draw") || strcmp(t.planned_on, today) <= 0;
}

static const struct case_type TASK = {
    .name = "inspect_task",
    .label_zh = "检查任务",
    .label_en = "Inspection task",
    .states = STATES,
    .final = FINAL,
    .transitions = TRANSITIONS,
    .n_transitions = ARRAY_LEN(TRANSITIONS),
    .on_move = follow,
    .visible = inspect_task_visible,
};

/* The leader decided the task's request on the positive list's page: the case follows. */
static int onsite_decided(struct db *db, int64_t task_id, bool approved, const char *note,
                          const struct positive_actor *pa, const char *now)
{
    struct inspect_task_row t;
    int rc = store_inspect_task_get(db, task_id, &t);
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
    return rc ? rc
              : store_inspect_task_status(db, task_id, approved ? "scheduled" : "not_approved",
                                          approved ? NULL : "not_approved", NULL, now);
}

/* ---------------- the draw's targets ---------------- */

static int draw_opened(struct db *db, int64_t target_id, int64_t case_id, const char *now)
{
    struct inspect_draw_target d;
    struct inspect_ent e;
    int rc = store_inspect_draw_target(db, target_id, case_id, &d);
    rc = rc ? rc : store_inspect_enterprise(db, d.enterprise_id, &e);
    if (rc) {
        return rc;
    }
    char title[400];
    snprintf(title, sizeof title, "双随机检查 · %s · %s", e.name, d.visit_date);
    struct inspect_task_new n = {.enterprise_id = d.enterprise_id,
                                 .source_id = target_id,
                                 .lead_user_id = d.lead_user_id,
                                 .case_id = case_id,
                                 .region_code = e.region_code,
                                 .title = title,
                                 .source_kind = "draw",
                                 .purpose = "draw",
                                 .level = "enforcement",
                                 .planned_on = d.visit_date,
                                 .status = d.state,
                                 .now = now};
    int64_t id = 0;
    rc = store_inspect_task_insert(db, &n, &id);
    return rc ? rc : store_inspect_copy_draw_inspectors(db, id, target_id);
}

static int draw_moved(struct db *db, int64_t target_id, const char *now)
{
    char today[11];
    today_cn(today);
    return store_inspect_sync_draw(db, target_id, today, now);
}

void inspect_register(void)
{
    cases_type_register(&TASK);
    positive_onsite_hook_add("inspect_task", onsite_decided);
    draw_hooks_set(&(struct draw_hooks){.opened = draw_opened, .moved = draw_moved});
}

/* ---------------- creating a task ---------------- */

static int bad(const char **field, const char *f, char *why, size_t cap, const char *msg)
{
    *field = f;
    snprintf(why, cap, "%s", msg);
    return ERR_INPUT;
}

static bool date_ok(const char *s)
{
    int y, m, d;
    char tail;
    return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 &&
           m <= 12 && d >= 1 && d <= 31 && s[4] == '-' && s[7] == '-';
}

static const char *source_label(const char *k)
{
    return !strcmp(k, "alarm")       ? "报警核查"
           : !strcmp(k, "complaint") ? "投诉核查"
           : !strcmp(k, "campaign")  ? "专项行动"
           : !strcmp(k, "patrol")    ? "巡查"
           : !strcmp(k, "draw")      ? "双随机检查"
                                     : "现场检查";
}

int inspect_task_create(struct db *db, const struct inspect_task_input *in,
                        const struct case_actor *who, const char *now, int64_t *task_id,
                        int64_t *case_id, const char **field, char *why, size_t cap)
{
    *field = NULL;
    if (!inspect_source_valid(in->source_kind)) {
        return bad(field, "source_kind", why, cap,
                   "来源须为 draw、alarm、complaint、campaign、manual 或 patrol / source_kind: "
                   "draw, alarm, complaint, campaign, manual or patrol");
    }
    if (!in->purpose || !*in->purpose || strlen(in->purpose) > 31) {
        return bad(field, "purpose", why, cap, "须填写检查目的 / purpose is required");
    }
    if (!inspect_level_valid(in->level)) {
        return bad(field, "level", why, cap,
                   "层级须为 enforcement 或 local / level: enforcement or local");
    }
    if (!date_ok(in->planned_on)) {
        return bad(field, "planned_on", why, cap, "须为 YYYY-MM-DD / planned_on: YYYY-MM-DD");
    }
    if (in->title && strlen(in->title) > 300) {
        return bad(field, "title", why, cap, "过长（至多 300 字节） / too long");
    }
    bool ok = true;
    int rc = in->lead_user_id ? store_inspect_user_is(db, in->lead_user_id, "inspector", &ok) : 0;
    if (!rc && !ok) {
        return bad(field, "lead_user_id", why, cap,
                   "须为在岗的执法人员 / must be an active inspector");
    }
    struct inspect_ent e;
    rc = rc ? rc : store_inspect_enterprise(db, in->enterprise_id, &e);
    if (rc == ERR_NOTFOUND) {
        *field = "enterprise_id";
        snprintf(why, cap, "企业不存在 / no such enterprise");
    }
    if (rc) {
        return rc;
    }
    bool needs = false;
    rc = positive_onsite_check(db, in->enterprise_id, in->planned_on, in->purpose, &needs, NULL);
    if (rc) {
        return rc == ERR_INPUT ? bad(field, "planned_on", why, cap, "日期有误 / bad date") : rc;
    }
    char title[400];
    if (in->title && *in->title) {
        snprintf(title, sizeof title, "%s", in->title);
    } else {
        snprintf(title, sizeof title, "%s · %s · %s", source_label(in->source_kind), e.name,
                 in->planned_on);
    }
    struct inspect_task_new n = {.enterprise_id = in->enterprise_id,
                                 .source_id = in->source_id,
                                 .lead_user_id = in->lead_user_id,
                                 .campaign_id = in->campaign_id,
                                 .created_by = who ? who->user_id : 0,
                                 .region_code = e.region_code,
                                 .title = title,
                                 .source_kind = in->source_kind,
                                 .purpose = in->purpose,
                                 .level = in->level,
                                 .planned_on = in->planned_on,
                                 .status = "scheduled",
                                 .now = now};
    rc = store_inspect_task_insert(db, &n, task_id);
    rc = rc || !in->lead_user_id ? rc
                                 : store_inspect_task_inspector_add(db, *task_id, in->lead_user_id);
    /* The clock: calendar days to the planned day (at least one), as the draw's. */
    int32_t from = 0, to = 0;
    char today[11];
    today_cn(today);
    calendar_date_parse(today, 10, &from);
    calendar_date_parse(in->planned_on, 10, &to);
    struct case_open o = {.type = "inspect_task",
                          .subject_kind = "inspect_task",
                          .subject_id = *task_id,
                          .enterprise_id = in->enterprise_id,
                          .region_code = e.region_code,
                          .assignee_user_id = in->lead_user_id,
                          .title = title,
                          .unit = CU_DAYS,
                          .limit = to > from ? to - from : 1,
                          .limit_source = "inspect planned_on"};
    rc = rc ? rc
            : cases_open(db, &o, who ? who->user_id : 0, who ? who->name : "system", now, case_id);
    rc = rc ? rc : store_inspect_task_set_case(db, *task_id, *case_id, "scheduled", now);
    if (!rc && needs) {
        static const struct case_actor SYSTEM = {0, "system", CASE_ROLE_SYSTEM, NULL, NULL, true};
        const char *f2 = NULL;
        rc = cases_transition(db, *case_id, "require_approval", &SYSTEM, NULL, 0, "{}",
                              "正面清单企业：现场检查需执法负责人批准", 0, now, &f2, why, cap);
        struct positive_actor pa = pos_actor(who);
        int64_t req = 0;
        char reason[600];
        snprintf(reason, sizeof reason, "%s：%s", source_label(in->source_kind), title);
        rc =
            rc ? rc
               : positive_onsite_request(db, in->enterprise_id, in->purpose, in->planned_on, reason,
                                         "inspect_task", *task_id, &pa, now, &req, why, cap);
        rc =
            rc ? rc : store_inspect_task_status(db, *task_id, "awaiting_approval", NULL, NULL, now);
    }
    if (!rc) {
        struct buf after;
        buf_init(&after, 4096);
        buf_printf(&after,
                   "{\"enterprise_id\":%lld,\"source_kind\":\"%s\",\"source_id\":%lld,"
                   "\"purpose\":",
                   (long long)in->enterprise_id, in->source_kind, (long long)in->source_id);
        buf_json_str(&after, in->purpose, strlen(in->purpose));
        buf_printf(&after,
                   ",\"level\":\"%s\",\"planned_on\":\"%s\",\"lead_user_id\":%lld,"
                   "\"case_id\":%lld,\"needs_approval\":%s}",
                   in->level, in->planned_on, (long long)in->lead_user_id, (long long)*case_id,
                   needs ? "true" : "false");
        struct audit_entry a = {.actor_id = who ? who->user_id : 0,
                                .actor = who ? who->name : "system",
                                .entity = "inspect_task",
                                .entity_id = *task_id,
                                .action = "create",
                                .after_json = after.p,
                                .request_id = who ? who->request_id : NULL,
                                .ip = who ? who->ip : NULL};
        rc = store_audit_add(db, &a);
        buf_release(&after);
    }
    return rc;
}

int inspect_task_add_inspector(struct db *db, int64_t task_id, int64_t user_id)
{
    bool ok = false;
    int rc = store_inspect_user_is(db, user_id, "inspector", &ok);
    return rc ? rc : ok ? store_inspect_task_inspector_add(db, task_id, user_id) : ERR_INPUT;
}

/* ---------------- the visit ---------------- */

int inspect_checklist_for(struct db *db, const char *region, const char *industry, const char *date,
                          json_t **body, const json_t **checklist, struct rule_ref *ref)
{
    int rc = rules_resolve(db, "inspect.checklists", region, date, body, ref);
    if (rc) {
        return rc;
    }
    *checklist = inspect_checklist_pick(*body, industry);
    if (!*checklist) {
        json_decref(*body);
        *body = NULL;
        return ERR_NOTFOUND;
    }
    return 0;
}

int inspect_visit_submit(struct db *db, const struct inspect_visit_in *v,
                         const struct case_actor *who, const char *now,
                         struct inspect_visit_out *out, char *field, size_t fcap, char *why,
                         size_t cap)
{
    *out = (struct inspect_visit_out){0};
    int64_t vid = 0, vtask = 0;
    int rc = store_inspect_visit_by_uuid(db, v->uuid, &vid, &vtask);
    if (rc) {
        return rc;
    }
    if (vid) {
        if (vtask != v->task_id) {
            snprintf(field, fcap, "uuid");
            snprintf(why, cap, "该提交编号已用于另一检查任务 / the uuid was used for another task");
            return ERR_CONFLICT;
        }
        out->visit_id = vid;
        out->replayed = true;
        return 0;
    }
    struct inspect_task_row t;
    rc = store_inspect_task_get(db, v->task_id, &t);
    if (rc) {
        return rc;
    }
    bool mine = false;
    rc = store_inspect_is_inspector(db, t.id, who->user_id, &mine);
    if (rc) {
        return rc;
    }
    if (!mine && t.lead_user_id) {
        snprintf(field, fcap, "task");
        snprintf(why, cap,
                 "只有本任务的检查人员可以提交检查 / only the task's inspectors may record the "
                 "visit");
        return ERR_FORBIDDEN;
    }
    if (!mine && !strcmp(t.status, "scheduled")) {
        /* An unassigned task (the org unit's): the inspector who visits joins it. */
        rc = store_inspect_task_inspector_add(db, t.id, who->user_id);
        if (rc) {
            return rc;
        }
    }
    if (strcmp(t.status, "scheduled")) {
        snprintf(field, fcap, "status");
        snprintf(why, cap, "%s",
                 !strcmp(t.status, "awaiting_approval")
                     ? "正面清单企业：须经执法负责人批准后检查 / a positive-list firm: the visit "
                       "waits for the head of enforcement's approval"
                 : !strcmp(t.status, "done") ? "该任务已登记检查结果 / the visit is recorded "
                                               "already"
                                             : "该任务未获批准 / the visit was not approved");
        return ERR_CONFLICT;
    }
    char today[11];
    today_cn(today);
    json_t *body = NULL;
    const json_t *cl = NULL;
    struct rule_ref ref = {0};
    rc = inspect_checklist_for(db, t.region_code, t.industry_code, today, &body, &cl, &ref);
    if (rc == ERR_NOTFOUND) {
        snprintf(field, fcap, "checklist");
        snprintf(why, cap, "没有生效的检查表 / no checklist in force (inspect.checklists)");
        return ERR_INPUT;
    }
    if (rc) {
        return rc;
    }
    size_t nf = 0;
    rc = inspect_visit_check(cl, v->outcome, v->answers, v->findings, v->note, &nf, field, fcap,
                             why, cap);
    const char *outcome = !strcmp(v->outcome, "could_not_inspect") ? "could_not_inspect"
                          : nf                                     ? "problems_found"
                                                                   : "no_problem";
    char *answers = NULL;
    if (!rc) {
        answers = v->answers && json_is_object(v->answers)
                      ? json_dumps(v->answers, JSON_COMPACT | JSON_SORT_KEYS)
                      : NULL;
        struct inspect_visit_new n = {.task_id = t.id,
                                      .rule_set_id = ref.id,
                                      .rule_version = ref.version,
                                      .by_user = who->user_id,
                                      .uuid = v->uuid,
                                      .checklist_key =
                                          json_string_value(json_object_get(cl, "key")),
                                      .answers_json = answers ? answers : "{}",
                                      .outcome = outcome,
                                      .note = v->note ? v->note : "",
                                      .visited_on = today,
                                      .now = now};
        rc = store_inspect_visit_insert(db, &n, &vid);
    }
    /* The findings: each a problem of the hub, with the item's section as its category and the
       item's clause unless the inspector named another. */
    for (size_t i = 0; !rc && i < nf; i++) {
        const json_t *x = json_array_get(v->findings, i);
        const char *item = json_string_value(json_object_get(x, "item_id"));
        const json_t *sec = NULL;
        const json_t *it = inspect_checklist_item(cl, item, &sec);
        const char *clause = json_string_value(json_object_get(x, "clause"));
        if (!clause || !*clause) {
            clause = json_string_value(json_object_get(it, "basis"));
        }
        struct rectify_problem_input p = {
            .enterprise_id = t.enterprise_id,
            .level = t.level,
            .source_kind = "inspect_task",
            .source_id = t.id,
            .alarm_id = !strcmp(t.source_kind, "alarm") ? t.source_id : 0,
            .category = json_string_value(json_object_get(sec, "key")),
            .description = json_string_value(json_object_get(x, "description")),
            .clause = clause,
            .found_on = today,
            .found_by = who->user_id,
        };
        int64_t pid = 0;
        const char *pf = NULL;
        rc = rectify_problem_add(db, &p, who, now, &pid, &pf);
        if (rc == ERR_INPUT) {
            snprintf(field, fcap, "findings[%zu].%s", i, pf ? pf : "description");
            snprintf(why, cap, "问题无法登记 / the finding was refused");
        }
        rc = rc ? rc : store_inspect_finding_insert(db, vid, t.id, item, pid);
        out->n_problems += rc ? 0 : 1;
    }
    /* The case: a draw target's through the draw (its outcome, publication); else the task's. */
    const char *cf = NULL;
    if (!rc && !strcmp(t.source_kind, "draw")) {
        rc = draw_target_visit(db, t.source_id, outcome, v->note, who, now, &cf, why, cap);
    } else if (!rc) {
        struct case_actor ca = *who;
        ca.from_subject = true;
        const char *present[] = {"note"};
        struct buf f;
        buf_init(&f, 8192);
        buf_puts(&f, "{\"note\":");
        buf_json_str(&f, v->note ? v->note : "", v->note ? strlen(v->note) : 0);
        buf_printf(&f, ",\"visit_id\":%lld,\"problems\":%zu}", (long long)vid, nf);
        rc = cases_transition(db, t.case_id, outcome, &ca, present, v->note && *v->note ? 1 : 0,
                              f.p, v->note, 0, now, &cf, why, cap);
        buf_release(&f);
        rc = rc ? rc : store_inspect_task_status(db, t.id, "done", outcome, today, now);
    }
    if (cf && rc) {
        snprintf(field, fcap, "%s", cf);
    }
    rc = rc ? rc : rules_mark_used(db, &ref);
    if (!rc) {
        struct buf after;
        buf_init(&after, 1 << 16);
        buf_printf(&after, "{\"task_id\":%lld,\"uuid\":", (long long)t.id);
        buf_json_str(&after, v->uuid, strlen(v->uuid));
        buf_printf(&after,
                   ",\"outcome\":\"%s\",\"problems\":%zu,\"rule_set_id\":%lld,"
                   "\"rule_version\":%d,\"answers\":%s}",
                   outcome, nf, (long long)ref.id, ref.version, answers ? answers : "{}");
        struct audit_entry a = {.actor_id = who->user_id,
                                .actor = who->name,
                                .entity = "inspect_visit",
                                .entity_id = vid,
                                .action = "create",
                                .after_json = after.p,
                                .request_id = who->request_id,
                                .ip = who->ip};
        rc = store_audit_add(db, &a);
        buf_release(&after);
    }
    free(answers);
    json_decref(body);
    out->visit_id = vid;
    out->outcome = outcome;
    return rc;
}
