/*
** Queries of the inspect module (src/inspect/): tasks, their inspectors, visits and findings,
** campaigns and their targets (migration 018). Lists are scoped by the enterprise's region on
** an enterprises alias e, the scope's parameters from ?20 on.
*/
#ifndef ENVGOV_STORE_Q_INSPECT_H
#define ENVGOV_STORE_Q_INSPECT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

struct inspect_ent {
    int64_t id;
    char name[256], region_code[16], industry_code[16];
};
/* ERR_NOTFOUND for no such enterprise. */
int store_inspect_enterprise(struct db *db, int64_t id, struct inspect_ent *out);

struct inspect_task_new {
    int64_t enterprise_id, source_id, lead_user_id, campaign_id, created_by, case_id;
    const char *region_code, *title, *source_kind, *purpose, *level, *planned_on, *status, *now;
};
int store_inspect_task_insert(struct db *db, const struct inspect_task_new *n, int64_t *id);
int store_inspect_task_set_case(struct db *db, int64_t id, int64_t case_id, const char *status,
                                const char *now);
int store_inspect_task_inspector_add(struct db *db, int64_t task_id, int64_t user_id);

struct inspect_task_row {
    int64_t id, enterprise_id, source_id, lead_user_id, campaign_id, case_id;
    char region_code[16], source_kind[16], purpose[32], level[16], planned_on[11], status[24],
        outcome[24], done_on[11], industry_code[16];
    char title[400];
};
int store_inspect_task_get(struct db *db, int64_t id, struct inspect_task_row *out);
/* The task of a source record (the newest), 0 in *id when none. */
int store_inspect_task_of_source(struct db *db, const char *kind, int64_t source_id, int64_t *id);
/* The task's status, outcome and done day (NULL keeps). */
int store_inspect_task_status(struct db *db, int64_t id, const char *status, const char *outcome,
                              const char *done_on, const char *now);
/* Whether user is an inspector of the task (the lead or another). */
int store_inspect_is_inspector(struct db *db, int64_t task_id, int64_t user_id, bool *yes);

/* A draw target's task made from the target (hook of draw): its enterprise, visit day, lead
   inspector, case and the case's state. */
struct inspect_draw_target {
    int64_t enterprise_id, lead_user_id, case_id;
    char visit_date[11], state[24];
};
/* case_id 0: the target's own. */
int store_inspect_draw_target(struct db *db, int64_t target_id, int64_t case_id,
                              struct inspect_draw_target *out);
/* Copy a draw target's inspectors to the task. */
int store_inspect_copy_draw_inspectors(struct db *db, int64_t task_id, int64_t target_id);
/* The draw target's task follows its case: status = the case's state, outcome and done day
   from the target's outcome. */
int store_inspect_sync_draw(struct db *db, int64_t target_id, const char *today, const char *now);

/* The alarm's enterprise and region, its kind and point name (ERR_NOTFOUND). */
int store_inspect_alarm(struct db *db, int64_t alarm_id, int64_t *enterprise_id, char kind[32],
                        char point[128]);

struct inspect_task_query {
    const struct scope *sc;
    int64_t user_id;
    bool mine, only_done, hide_future_draw;
    const char *status, *source_kind, *today;
    int64_t campaign_id, enterprise_id, case_id;
    size_t limit, offset;
};
/* {"items":[…],"total":n} */
int store_inspect_tasks_json(struct db *db, const struct inspect_task_query *q, struct buf *out);
/* The task as a JSON object with its inspectors and, when approvals, the positive list's
   requests it filed (without the closing brace). */
int store_inspect_task_json(struct db *db, int64_t id, bool approvals, struct buf *out);

/* ---- visits ---- */
int store_inspect_visit_by_uuid(struct db *db, const char *uuid, int64_t *visit_id,
                                int64_t *task_id);
int store_inspect_visit_of_task(struct db *db, int64_t task_id, int64_t *visit_id);
struct inspect_visit_new {
    int64_t task_id, rule_set_id, rule_version, by_user;
    const char *uuid, *checklist_key, *answers_json, *outcome, *note, *visited_on, *now;
};
int store_inspect_visit_insert(struct db *db, const struct inspect_visit_new *n, int64_t *id);
int store_inspect_finding_insert(struct db *db, int64_t visit_id, int64_t task_id,
                                 const char *item_id, int64_t problem_id);
/* ,"visit":{…}|null,"findings":[…] (findings with their problem's status and orders). */
int store_inspect_visit_json(struct db *db, int64_t task_id, struct buf *out);
/* Whether problem_id is a finding of task_id. */
int store_inspect_finding_of(struct db *db, int64_t task_id, int64_t problem_id, bool *yes);

/* ---- campaigns ---- */
struct inspect_campaign_new {
    const char *title, *region_prefix, *plan, *selfcheck_due, *visit_from, *visit_to, *now;
    int64_t created_by;
};
int store_inspect_campaign_insert(struct db *db, const struct inspect_campaign_new *n, int64_t *id);
struct inspect_campaign_row {
    int64_t id;
    char title[256], region_prefix[16], status[16], selfcheck_due[11], visit_from[11], visit_to[11];
};
int store_inspect_campaign_get(struct db *db, int64_t id, struct inspect_campaign_row *out);
int store_inspect_campaign_status(struct db *db, int64_t id, const char *status,
                                  const char *results_note, const char *now);
/* Add the enterprise as a target (its region copied); ERR_CONFLICT when it is one already. */
int store_inspect_campaign_target_add(struct db *db, int64_t campaign_id, int64_t enterprise_id);
/* The active enterprises of region_prefix (and category, "" = any) as targets; *n added. */
int store_inspect_campaign_targets_by_region(struct db *db, int64_t campaign_id,
                                             const char *region_prefix, const char *category,
                                             int64_t *n);
struct inspect_target_row {
    int64_t id, enterprise_id, task_id;
    char region_code[16], selfcheck_at[32];
};
int store_inspect_campaign_target_get(struct db *db, int64_t campaign_id, int64_t enterprise_id,
                                      struct inspect_target_row *out);
int store_inspect_campaign_selfcheck(struct db *db, int64_t target_id, const char *note, int64_t by,
                                     const char *now);
/* Target ids and enterprises without a task of the campaign (at most max). */
int store_inspect_campaign_untasked(struct db *db, int64_t campaign_id, int64_t *ents, size_t max,
                                    size_t *n);
/* Whether the problem came from a task of the campaign. */
int store_inspect_campaign_problem(struct db *db, int64_t campaign_id, int64_t problem_id,
                                   bool *yes);
/* {"items":[…]} of the campaigns within sc (an enterprise: those it is a target of, published). */
int store_inspect_campaigns_json(struct db *db, const struct scope *sc, bool enterprise,
                                 struct buf *out);
/* The campaign object with "steps" (the five steps' counts), "targets" and "problems" (within
   sc); no closing brace. */
int store_inspect_campaign_json(struct db *db, int64_t id, const struct scope *sc, struct buf *out);

/* ---- the to-do source ---- */
/* Leaders (approve): non-draw tasks awaiting approval within sc; inspectors: non-draw tasks they
   are a non-lead inspector of, not done; each item with its case's clock at now. The count gives
   the same items' total, overdue and due soon. */
int store_inspect_todo(struct db *db, const struct scope *sc, int64_t user_id, bool approve,
                       const char *now, size_t limit, struct buf *out, size_t *n);
int store_inspect_todo_count(struct db *db, const struct scope *sc, int64_t user_id, bool approve,
                             const char *now, int64_t *total, int64_t *overdue, int64_t *soon);

extern const struct audit_kind inspect_audit_kinds[];

/* What step 5 feeds to credit: the campaign's permit problems (id, enterprise) and its targets
   that returned a self-check and whose problems are all closed (enterprise). At most max each. */
int store_inspect_campaign_feed(struct db *db, int64_t campaign_id, int64_t *permit_problems,
                                int64_t *permit_ents, size_t *n_problems, int64_t *kept_ents,
                                size_t *n_kept, size_t max);

/* `envgov demo`: the demo's inspector and leader (0 when missing) and up to max active firms of
   region (by id). */
int store_inspect_demo_picks(struct db *db, const char *region, int64_t *inspector, int64_t *leader,
                             int64_t *ents, size_t max, size_t *n);

/* Whether user id is active with role (text, "inspector"). */
int store_inspect_user_is(struct db *db, int64_t id, const char *role, bool *yes);

#endif
