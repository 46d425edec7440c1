/*
** Named queries of the 双随机一公开 draws (src/draw/): plans, the pool read from the registry
** with each enterprise's credit grade (credit_current) and positive-list standing
** (positive_list) on a day, the roster of inspectors, recusal pairs (declarations, the last
** draw's inspectors), targets with their inspectors, and the public view. SQL in q_draw.c.
*/
#ifndef ENVGOV_STORE_Q_DRAW_H
#define ENVGOV_STORE_Q_DRAW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

/* The draw's kinds of audit record (draw_module.audit_kinds), ending with a zero row. */
extern const struct audit_kind draw_audit_kinds[];

/* A plan as the draw module reads it; strings owned (store_draw_plan_free). */
struct draw_plan_row {
    int64_t id, org_unit_id, rule_set_id, rule_version, n_pool, n_targets, created_by;
    char *title, *period, *region_prefix, *categories, *visit_from, *visit_to, *state;
    char *seed_hex, *seed_sha256, *snapshot, *snapshot_sha256, *publish_due;
    size_t snapshot_len;
};
struct draw_plan_new {
    const char *title, *period, *region_prefix, *categories, *visit_from, *visit_to;
    int64_t org_unit_id, created_by;
};
int store_draw_plan_insert(struct db *db, const struct draw_plan_new *p, const char *now,
                           int64_t *id);
/* ERR_NOTFOUND when absent. */
int store_draw_plan_get(struct db *db, int64_t id, struct draw_plan_row *out);
void store_draw_plan_free(struct draw_plan_row *p);
/* The plan as JSON (no snapshot text; the seed only once revealed). ERR_NOTFOUND. */
int store_draw_plan_json(struct db *db, int64_t id, struct buf *out);
/* Plans, newest first, as a JSON array (at most limit). */
int store_draw_plans_json(struct db *db, size_t limit, struct buf *out);
/* Published and revealed plans (the public list) as a JSON array. */
int store_draw_public_plans_json(struct db *db, size_t limit, struct buf *out);

/* Rows of the pool of one category: e.id, e.category, e.region_code, e.uscc, e.name, the
   credit grade ("" when none), 1 when on the positive list on date (else 0); active
   enterprises of the region prefix, by id. */
int store_draw_pool_each(struct db *db, const char *region_prefix, const char *category,
                         const char *date, db_row_fn row, void *ctx);
/* Counts of the pool by category and grade: [{"category","grade","positive","n"}]. */
int store_draw_pool_counts_json(struct db *db, const char *region_prefix, const char *date,
                                struct buf *out);
/* Rows of the roster: u.id, u.display_name, u.org_unit_id — active inspectors of org unit
   org_unit_id and the units below it, or (org_unit_id 0) of the units whose regions overlap
   region_prefix; by id. */
int store_draw_roster_each(struct db *db, int64_t org_unit_id, const char *region_prefix,
                           db_row_fn row, void *ctx);
/* Rows: org_unit_id, region_code of every unit's regions. */
int store_draw_unit_regions_each(struct db *db, db_row_fn row, void *ctx);
/* Rows: user_id, enterprise_id of standing declarations. */
int store_draw_declared_each(struct db *db, db_row_fn row, void *ctx);
/* Rows: user_id, enterprise_id: the inspectors of each enterprise's last draw before plan_id. */
int store_draw_last_each(struct db *db, int64_t plan_id, db_row_fn row, void *ctx);

/* draft → committed with the seed, its hash, the snapshot and its hash. ERR_CONFLICT when the
   plan is no longer a draft. */
struct draw_commit {
    const char *seed_hex, *seed_sha256, *snapshot, *snapshot_sha256;
    size_t snapshot_len;
    int64_t n_pool, rule_set_id, rule_version;
};
int store_draw_plan_commit(struct db *db, int64_t id, const struct draw_commit *c, const char *now);
/* from → to, stamping the column at_col ("drawn_at", "revealed_at", "published_at") with now;
   ERR_CONFLICT when the plan is not in from. */
int store_draw_plan_move(struct db *db, int64_t id, const char *from, const char *to,
                         const char *at_col, const char *now);
int store_draw_plan_drawn(struct db *db, int64_t id, int64_t n_targets, int64_t n_short,
                          const char *publish_due, const char *now);
/* Remove a draft plan (ERR_CONFLICT once committed). */
int store_draw_plan_delete(struct db *db, int64_t id);

struct draw_target_new {
    int64_t plan_id, seq, enterprise_id, weight;
    const char *category, *visit_date;
    bool positive;
};
int store_draw_target_insert(struct db *db, const struct draw_target_new *t, int64_t *id);
int store_draw_target_inspector_insert(struct db *db, int64_t target_id, int64_t user_id,
                                       int64_t seq);
int store_draw_target_set_case(struct db *db, int64_t target_id, int64_t case_id);
/* What a target's case needs: enterprise name and region. */
int store_draw_enterprise_brief(struct db *db, int64_t enterprise_id, char *name, size_t name_cap,
                                char *region, size_t region_cap);

/* The plan's targets visible on visible_to (visit_date <= it; "9999-12-31" for all) as
   {"targets":[…],"inspectors":[…]} members appended to an open JSON object (no braces). */
int store_draw_targets_json(struct db *db, int64_t plan_id, const char *visible_to,
                            struct buf *out);
/* The published results: targets with an outcome, as a JSON array. */
int store_draw_public_results_json(struct db *db, int64_t plan_id, struct buf *out);

/* A target by its case (subject_kind 'draw_target'): target id, plan id, outcome ("" none). */
struct draw_target_row {
    int64_t id, plan_id, enterprise_id, case_id;
    char outcome[24], visit_date[11], plan_state[16];
};
int store_draw_target_get(struct db *db, int64_t id, struct draw_target_row *out);
/* Whether user_id is one of the target's inspectors. */
int store_draw_target_has_inspector(struct db *db, int64_t target_id, int64_t user_id, bool *yes);
int store_draw_target_outcome(struct db *db, int64_t id, const char *outcome, const char *note,
                              int64_t user_id, const char *now);
/* Whether the enterprise is on the positive list on date (YYYY-MM-DD). */
int store_draw_listed_on(struct db *db, int64_t enterprise_id, const char *date, bool *listed);
/* The latest outcome time of a plan's targets ("" when none), and how many lack one. */
int store_draw_outcome_stats(struct db *db, int64_t plan_id, char last[32], int64_t *missing);

/* Declarations. */
int store_draw_declaration_insert(struct db *db, int64_t user_id, int64_t enterprise_id,
                                  const char *reason, int64_t by, const char *now, int64_t *id);
/* Withdraw a standing declaration: ERR_NOTFOUND when none stands with that id (and, when
   only_user is nonzero, of that user). */
int store_draw_declaration_withdraw(struct db *db, int64_t id, int64_t only_user, int64_t by,
                                    const char *now);
/* Declarations as a JSON array (user_id 0: all), newest first, at most limit. */
int store_draw_declarations_json(struct db *db, int64_t user_id, size_t limit, struct buf *out);
/* Active inspectors (id, display_name, org_unit_id, org_unit_name) as a JSON array by id. */
int store_draw_inspectors_json(struct db *db, size_t limit, struct buf *out);
/* Whether the user is an active inspector / the enterprise exists. */
int store_draw_user_role(struct db *db, int64_t user_id, char role[24]);
int store_draw_enterprise_exists(struct db *db, int64_t id, bool *yes);
int store_draw_org_unit_exists(struct db *db, int64_t id, bool *yes);

/* To-do: open inspection cases where user_id is a drawn inspector but not the case's assignee
   (the assignee sees the case through the cases source), or with approve (leaders, admins) the
   positive-list visits waiting for approval; JSON items, and the count with how many are
   overdue or due soon at now (as the items' clock states). */
int store_draw_todo_json(struct db *db, int64_t user_id, bool approve, const char *now,
                         size_t limit, struct buf *out, size_t *n);
int store_draw_todo_count(struct db *db, int64_t user_id, bool approve, const char *now,
                          int64_t *total, int64_t *overdue, int64_t *soon);
/* The 工作台's draw figures, as a member after a comma: the caller's drawn visits without an
   outcome (due by today, due by soon, all), and with plans, the plans under way (committed or
   later, not yet published) and those whose results must be published by soon. */
int store_draw_dashboard(struct db *db, int64_t user_id, const char *today, const char *soon,
                         bool plans, struct buf *out);

#endif
