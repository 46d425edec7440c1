/*
** Queries of the 双随机一公开 draws: plans, the pool (registry × credit_current ×
** positive_list on a day), the roster, recusal pairs, targets and their inspectors, outcomes,
** declarations and the inspectors' to-do. Region matches are substr(code, 1, length(prefix)) =
** prefix, the same on SQLite and PostgreSQL.
*/
#include "store/q_draw.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"

/* The audit log names a plan by its title (or period), a target and a declaration by the
   enterprise. None shows in an enterprise's change history (a target is secret until its visit
   day, and the enterprise sees its history). */
const struct audit_kind draw_audit_kinds[] = {
    {"draw_plan",
     "(SELECT CASE WHEN title <> '' THEN title ELSE period END FROM draw_plans WHERE id = ?5)",
     NULL},
    {"draw_target",
     "(SELECT e.name FROM draw_targets t JOIN enterprises e ON e.id = t.enterprise_id WHERE t.id"
     " = ?5)",
     NULL},
    {"draw_declaration",
     "(SELECT e.name FROM draw_declarations d JOIN enterprises e ON e.id = d.enterprise_id WHERE"
     " d.id = ?5)",
     NULL},
    {NULL, NULL, NULL},
};

static int rows_json(struct db_stmt *st, size_t max, struct buf *out)
{
    size_t got = 0;
    int rc = db_rows_json(st, 1, max, out, &got);
    db_done(st);
    return rc < 0 ? rc : 0;
}

static int one_json(struct db_stmt *st, struct buf *out)
{
    int s = db_step(st);
    if (s == DB_ROW) {
        db_row_json(st, out);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_draw_plan_insert(struct db *db, const struct draw_plan_new *p, const char *now,
                           int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO draw_plans (title, period, region_prefix, categories,"
                       " org_unit_id, visit_from, visit_to, state, created_by, created_at,"
                       " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'draft', ?8, ?9, ?9)"
                       " RETURNING id",
                       "ttttittit", p->title, p->period, p->region_prefix, p->categories,
                       p->org_unit_id, p->visit_from, p->visit_to, p->created_by, now);
    if (!rc && !p->org_unit_id) {
        db_bind_null(st, 5);
    }
    return rc ? rc : db_step_id(st, id);
}

static char *col_dup(struct db_stmt *st, int i, size_t *len)
{
    size_t n;
    const char *s = db_column_text(st, i, &n);
    if (len) {
        *len = n;
    }
    return xstrndup(s, n);
}

int store_draw_plan_get(struct db *db, int64_t id, struct draw_plan_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, COALESCE(org_unit_id, 0), rule_set_id, rule_version, n_pool,"
                       " n_targets, COALESCE(created_by, 0), title, period, region_prefix,"
                       " categories, visit_from, visit_to, state, seed_hex, seed_sha256,"
                       " snapshot, snapshot_sha256, COALESCE(publish_due, '')"
                       " FROM draw_plans WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        int64_t *ints[] = {&out->id,     &out->org_unit_id, &out->rule_set_id, &out->rule_version,
                           &out->n_pool, &out->n_targets,   &out->created_by};
        for (int i = 0; i < 7; i++) {
            *ints[i] = db_column_int(st, i);
        }
        char **strs[] = {&out->title,      &out->period,          &out->region_prefix,
                         &out->categories, &out->visit_from,      &out->visit_to,
                         &out->state,      &out->seed_hex,        &out->seed_sha256,
                         &out->snapshot,   &out->snapshot_sha256, &out->publish_due};
        for (int i = 0; i < 12; i++) {
            *strs[i] = col_dup(st, 7 + i, i == 9 ? &out->snapshot_len : NULL);
        }
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

void store_draw_plan_free(struct draw_plan_row *p)
{
    char *strs[] = {p->title,       p->period,   p->region_prefix,   p->categories,
                    p->visit_from,  p->visit_to, p->state,           p->seed_hex,
                    p->seed_sha256, p->snapshot, p->snapshot_sha256, p->publish_due};
    for (size_t i = 0; i < ARRAY_LEN(strs); i++) {
        free(strs[i]);
    }
    memset(p, 0, sizeof *p);
}

#define PLAN_COLS                                                                                  \
    "p.id, p.title, p.period, p.region_prefix, p.categories AS categories_list, p.org_unit_id,"    \
    " (SELECT name FROM org_units WHERE id = p.org_unit_id) AS org_unit_name, p.visit_from,"       \
    " p.visit_to, p.state, p.rule_set_id, p.rule_version, p.seed_sha256, p.snapshot_sha256,"       \
    " CASE WHEN p.state IN ('revealed', 'published') THEN p.seed_hex ELSE NULL END AS seed,"       \
    " p.n_pool, p.n_targets, p.n_short, p.publish_due, p.created_by, (SELECT display_name FROM"    \
    " users WHERE id = p.created_by) AS created_by_name, p.created_at, p.committed_at,"            \
    " p.drawn_at, p.revealed_at, p.published_at"

int store_draw_plan_json(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT " PLAN_COLS " FROM draw_plans p WHERE p.id = ?1", "i", id);
    return rc ? rc : one_json(st, out);
}

int store_draw_plans_json(struct db *db, size_t limit, struct buf *out)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st, "SELECT " PLAN_COLS " FROM draw_plans p ORDER BY p.id DESC LIMIT ?1",
                  "i", (int64_t)limit);
    return rc ? rc : rows_json(st, limit, out);
}

int store_draw_public_plans_json(struct db *db, size_t limit, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT p.id, p.title, p.period, p.region_prefix, p.categories AS"
                       " categories_list, p.state, p.seed_sha256, p.snapshot_sha256, p.n_pool,"
                       " p.n_targets, p.committed_at, p.revealed_at, p.published_at FROM"
                       " draw_plans p WHERE p.state <> 'draft' ORDER BY p.id DESC LIMIT ?1",
                       "i", (int64_t)limit);
    return rc ? rc : rows_json(st, limit, out);
}

/* Enterprises listed on ?3: one row each (a derived table, not a correlated subquery per
   enterprise: the pool is read in one pass). */
#define LISTED(d)                                                                                  \
    "(SELECT DISTINCT enterprise_id FROM positive_list WHERE listed_from <= " d " AND " d " <"     \
    " listed_to AND (removed_on IS NULL OR " d " < removed_on))"

int store_draw_pool_each(struct db *db, const char *region_prefix, const char *category,
                         const char *date, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "SELECT e.id, e.category, e.region_code, e.uscc, e.name,"
        " COALESCE(c.grade, ''), CASE WHEN l.enterprise_id IS NULL THEN 0 ELSE 1"
        " END FROM enterprises e LEFT JOIN credit_current c ON c.subject_kind ="
        " 'enterprise' AND c.subject_id = e.id LEFT JOIN " LISTED(
            "?3") " l ON l.enterprise_id = e.id WHERE e.status = 'active' AND e.category ="
                  " ?2 AND substr(e.region_code, 1, length(?1)) = ?1 ORDER BY e.id",
        "ttt", region_prefix, category, date);
    return rc ? rc : db_each(st, row, ctx);
}

int store_draw_pool_counts_json(struct db *db, const char *region_prefix, const char *date,
                                struct buf *out)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st,
                  "SELECT e.category, COALESCE(c.grade, '') AS grade, CASE WHEN"
                  " l.enterprise_id IS NULL THEN 0 ELSE 1 END AS positive, COUNT(*) AS n"
                  " FROM enterprises e LEFT JOIN credit_current c ON c.subject_kind ="
                  " 'enterprise' AND c.subject_id = e.id LEFT JOIN " LISTED(
                      "?2") " l ON l.enterprise_id = e.id WHERE e.status = 'active' AND"
                            " substr(e.region_code, 1, length(?1)) = ?1 GROUP BY"
                            " e.category, COALESCE(c.grade, ''), CASE WHEN l.enterprise_id IS NULL"
                            " THEN 0 ELSE 1 END ORDER BY 1, 2, 3",
                  "tt", region_prefix, date);
    return rc ? rc : rows_json(st, 0, out);
}

int store_draw_roster_each(struct db *db, int64_t org_unit_id, const char *region_prefix,
                           db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc =
        org_unit_id
            ? db_queryf(db, &st,
                        "WITH RECURSIVE t(id) AS (SELECT CAST(?1 AS BIGINT) UNION SELECT o.id"
                        " FROM org_units o JOIN t ON o.parent_id = t.id) SELECT u.id,"
                        " u.display_name, COALESCE(u.org_unit_id, 0) FROM users u WHERE u.role ="
                        " 'inspector' AND u.status = 'active' AND u.org_unit_id IN (SELECT id"
                        " FROM t) ORDER BY u.id",
                        "i", org_unit_id)
            : db_queryf(db, &st,
                        "SELECT u.id, u.display_name, COALESCE(u.org_unit_id, 0) FROM users u"
                        " WHERE u.role = 'inspector' AND u.status = 'active' AND EXISTS (SELECT"
                        " 1 FROM org_unit_regions r WHERE r.org_unit_id = u.org_unit_id AND"
                        " (substr(r.region_code, 1, length(?1)) = ?1 OR substr(?1, 1,"
                        " length(r.region_code)) = r.region_code)) ORDER BY u.id",
                        "t", region_prefix);
    return rc ? rc : db_each(st, row, ctx);
}

int store_draw_unit_regions_each(struct db *db, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT org_unit_id, region_code FROM org_unit_regions ORDER BY"
                       " org_unit_id, region_code",
                       "");
    return rc ? rc : db_each(st, row, ctx);
}

int store_draw_declared_each(struct db *db, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT DISTINCT user_id, enterprise_id FROM draw_declarations WHERE"
                       " withdrawn_at IS NULL",
                       "");
    return rc ? rc : db_each(st, row, ctx);
}

int store_draw_last_each(struct db *db, int64_t plan_id, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT ti.user_id, t.enterprise_id FROM (SELECT enterprise_id,"
                       " MAX(plan_id) AS plan_id FROM draw_targets WHERE plan_id < ?1 GROUP BY"
                       " enterprise_id) m JOIN draw_targets t ON t.enterprise_id ="
                       " m.enterprise_id AND t.plan_id = m.plan_id JOIN draw_target_inspectors"
                       " ti ON ti.target_id = t.id",
                       "i", plan_id);
    return rc ? rc : db_each(st, row, ctx);
}

static int changed_or_conflict(struct db *db, int rc)
{
    return rc ? rc : db_changes(db) ? 0 : ERR_CONFLICT;
}

int store_draw_plan_commit(struct db *db, int64_t id, const struct draw_commit *c, const char *now)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "UPDATE draw_plans SET state = 'committed', seed_hex = ?2, seed_sha256 ="
                       " ?3, snapshot = ?4, snapshot_sha256 = ?5, n_pool = ?6, rule_set_id = ?7,"
                       " rule_version = ?8, committed_at = ?9, updated_at = ?9 WHERE id = ?1 AND"
                       " state = 'draft'",
                       "ittitiiit", id, c->seed_hex, c->seed_sha256, (int64_t)0, c->snapshot_sha256,
                       c->n_pool, c->rule_set_id, c->rule_version, now);
    if (rc) {
        return rc;
    }
    rc = db_bind_text_kept(st, 4, c->snapshot, c->snapshot_len);
    int s = rc ? rc : db_step(st);
    db_done(st);
    return s < 0 ? s : db_changes(db) ? 0 : ERR_CONFLICT;
}

int store_draw_plan_move(struct db *db, int64_t id, const char *from, const char *to,
                         const char *at_col, const char *now)
{
    /* at_col is one of three constants of the draw module, never input. */
    const char *sql = !strcmp(at_col, "revealed_at")
                          ? "UPDATE draw_plans SET state = ?3, revealed_at = ?4, updated_at = ?4"
                            " WHERE id = ?1 AND state = ?2"
                          : "UPDATE draw_plans SET state = ?3, published_at = ?4, updated_at = ?4"
                            " WHERE id = ?1 AND state = ?2";
    return changed_or_conflict(db, db_runf(db, sql, "ittt", id, from, to, now));
}

int store_draw_plan_drawn(struct db *db, int64_t id, int64_t n_targets, int64_t n_short,
                          const char *publish_due, const char *now)
{
    int rc = db_runf(db,
                     "UPDATE draw_plans SET state = 'drawn', n_targets = ?2, n_short = ?3,"
                     " publish_due = ?4, drawn_at = ?5, updated_at = ?5 WHERE id = ?1 AND state ="
                     " 'committed'",
                     "iiitt", id, n_targets, n_short, publish_due, now);
    return changed_or_conflict(db, rc);
}

int store_draw_plan_delete(struct db *db, int64_t id)
{
    return changed_or_conflict(
        db, db_runf(db, "DELETE FROM draw_plans WHERE id = ?1 AND state = 'draft'", "i", id));
}

int store_draw_target_insert(struct db *db, const struct draw_target_new *t, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO draw_targets (plan_id, seq, enterprise_id, category, weight,"
                       " positive, visit_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                       "iiitiit", t->plan_id, t->seq, t->enterprise_id, t->category, t->weight,
                       (int64_t)t->positive, t->visit_date);
    return rc ? rc : db_step_id(st, id);
}

int store_draw_target_inspector_insert(struct db *db, int64_t target_id, int64_t user_id,
                                       int64_t seq)
{
    return db_runf(db,
                   "INSERT INTO draw_target_inspectors (target_id, user_id, seq) VALUES (?1, ?2,"
                   " ?3)",
                   "iii", target_id, user_id, seq);
}

int store_draw_target_set_case(struct db *db, int64_t target_id, int64_t case_id)
{
    return db_runf(db, "UPDATE draw_targets SET case_id = ?2 WHERE id = ?1", "ii", target_id,
                   case_id);
}

int store_draw_enterprise_brief(struct db *db, int64_t enterprise_id, char *name, size_t name_cap,
                                char *region, size_t region_cap)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT name, region_code FROM enterprises WHERE id = ?1", "i",
                       enterprise_id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        str_copy(name, name_cap, db_column_text(st, 0, NULL));
        str_copy(region, region_cap, db_column_text(st, 1, NULL));
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_draw_targets_json(struct db *db, int64_t plan_id, const char *visible_to, struct buf *out)
{
    struct db_stmt *st;
    buf_puts(out, "\"targets\":");
    int rc = db_queryf(db, &st,
                       "SELECT t.id, t.seq, t.enterprise_id, e.name AS enterprise_name, e.uscc,"
                       " e.region_code, t.category, t.weight, t.positive, t.visit_date,"
                       " t.case_id, c.state AS case_state, t.outcome, t.outcome_note,"
                       " t.outcome_at FROM draw_targets t JOIN enterprises e ON e.id ="
                       " t.enterprise_id LEFT JOIN cases c ON c.id = t.case_id WHERE t.plan_id"
                       " = ?1 AND t.visit_date <= ?2 ORDER BY t.seq",
                       "it", plan_id, visible_to);
    rc = rc ? rc : rows_json(st, 0, out);
    if (rc) {
        return rc;
    }
    buf_puts(out, ",\"inspectors\":");
    rc = db_queryf(db, &st,
                   "SELECT ti.target_id, ti.user_id, ti.seq, u.display_name FROM draw_targets t"
                   " JOIN draw_target_inspectors ti ON ti.target_id = t.id JOIN users u ON u.id ="
                   " ti.user_id WHERE t.plan_id = ?1 AND t.visit_date <= ?2 ORDER BY t.seq,"
                   " ti.seq",
                   "it", plan_id, visible_to);
    return rc ? rc : rows_json(st, 0, out);
}

int store_draw_public_results_json(struct db *db, int64_t plan_id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT t.seq, e.name AS enterprise_name, e.uscc, t.category,"
                       " t.visit_date, t.outcome FROM draw_targets t JOIN enterprises e ON e.id"
                       " = t.enterprise_id WHERE t.plan_id = ?1 AND t.outcome IS NOT NULL ORDER"
                       " BY t.seq",
                       "i", plan_id);
    return rc ? rc : rows_json(st, 0, out);
}

int store_draw_target_get(struct db *db, int64_t id, struct draw_target_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT t.id, t.plan_id, t.enterprise_id, COALESCE(t.case_id, 0),"
                       " COALESCE(t.outcome, ''), t.visit_date, p.state FROM draw_targets t JOIN"
                       " draw_plans p ON p.id = t.plan_id WHERE t.id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        out->id = db_column_int(st, 0);
        out->plan_id = db_column_int(st, 1);
        out->enterprise_id = db_column_int(st, 2);
        out->case_id = db_column_int(st, 3);
        str_copy(out->outcome, sizeof out->outcome, db_column_text(st, 4, NULL));
        str_copy(out->visit_date, sizeof out->visit_date, db_column_text(st, 5, NULL));
        str_copy(out->plan_state, sizeof out->plan_state, db_column_text(st, 6, NULL));
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_draw_target_has_inspector(struct db *db, int64_t target_id, int64_t user_id, bool *yes)
{
    struct db_stmt *st;
    int64_t n = 0;
    int rc = db_queryf(db, &st,
                       "SELECT COUNT(*) FROM draw_target_inspectors WHERE target_id = ?1 AND"
                       " user_id = ?2",
                       "ii", target_id, user_id);
    rc = rc ? rc : db_step_id(st, &n);
    *yes = n > 0;
    return rc;
}

int store_draw_target_outcome(struct db *db, int64_t id, const char *outcome, const char *note,
                              int64_t user_id, const char *now)
{
    int rc = db_runf(db,
                     "UPDATE draw_targets SET outcome = ?2, outcome_note = ?3, outcome_by = ?4,"
                     " outcome_at = ?5 WHERE id = ?1 AND outcome IS NULL",
                     "ittit", id, outcome, note, user_id, now);
    return changed_or_conflict(db, rc);
}

int store_draw_listed_on(struct db *db, int64_t enterprise_id, const char *date, bool *listed)
{
    struct db_stmt *st;
    int64_t n = 0;
    int rc = db_queryf(db, &st,
                       "SELECT COUNT(*) FROM positive_list WHERE enterprise_id = ?1 AND"
                       " listed_from <= ?2 AND ?2 < listed_to AND (removed_on IS NULL OR ?2 <"
                       " removed_on)",
                       "it", enterprise_id, date);
    rc = rc ? rc : db_step_id(st, &n);
    *listed = n > 0;
    return rc;
}

int store_draw_outcome_stats(struct db *db, int64_t plan_id, char last[32], int64_t *missing)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT COALESCE(MAX(outcome_at), ''), SUM(CASE WHEN outcome IS NULL THEN"
                       " 1 ELSE 0 END) FROM draw_targets WHERE plan_id = ?1",
                       "i", plan_id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    last[0] = 0;
    *missing = 0;
    if (s == DB_ROW) {
        str_copy(last, 32, db_column_text(st, 0, NULL));
        *missing = db_column_int(st, 1);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

int store_draw_declaration_insert(struct db *db, int64_t user_id, int64_t enterprise_id,
                                  const char *reason, int64_t by, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO draw_declarations (user_id, enterprise_id, reason,"
                       " declared_by, declared_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                       "iitit", user_id, enterprise_id, reason, by, now);
    return rc ? rc : db_step_id(st, id);
}

int store_draw_declaration_withdraw(struct db *db, int64_t id, int64_t only_user, int64_t by,
                                    const char *now)
{
    int rc = db_runf(db,
                     "UPDATE draw_declarations SET withdrawn_at = ?3, withdrawn_by = ?4 WHERE id ="
                     " ?1 AND withdrawn_at IS NULL AND (?2 = 0 OR user_id = ?2)",
                     "iiti", id, only_user, now, by);
    return rc ? rc : db_changes(db) ? 0 : ERR_NOTFOUND;
}

int store_draw_declarations_json(struct db *db, int64_t user_id, size_t limit, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT d.id, d.user_id, u.display_name AS user_name, d.enterprise_id,"
                       " e.name AS enterprise_name, d.reason, d.declared_at, d.withdrawn_at"
                       " FROM draw_declarations d JOIN users u ON u.id = d.user_id JOIN"
                       " enterprises e ON e.id = d.enterprise_id WHERE ?1 = 0 OR d.user_id = ?1"
                       " ORDER BY d.id DESC LIMIT ?2",
                       "ii", user_id, (int64_t)limit);
    return rc ? rc : rows_json(st, limit, out);
}

int store_draw_inspectors_json(struct db *db, size_t limit, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT u.id, u.display_name, u.org_unit_id, o.name AS org_unit_name FROM"
                       " users u LEFT JOIN org_units o ON o.id = u.org_unit_id WHERE u.role ="
                       " 'inspector' AND u.status = 'active' ORDER BY u.id LIMIT ?1",
                       "i", (int64_t)limit);
    return rc ? rc : rows_json(st, limit, out);
}

int store_draw_user_role(struct db *db, int64_t user_id, char role[24])
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT role FROM users WHERE id = ?1 AND status = 'active'", "i",
                       user_id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        str_copy(role, 24, db_column_text(st, 0, NULL));
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_draw_org_unit_exists(struct db *db, int64_t id, bool *yes)
{
    struct db_stmt *st;
    int64_t n = 0;
    int rc = db_queryf(db, &st, "SELECT COUNT(*) FROM org_units WHERE id = ?1", "i", id);
    rc = rc ? rc : db_step_id(st, &n);
    *yes = n > 0;
    return rc;
}

int store_draw_enterprise_exists(struct db *db, int64_t id, bool *yes)
{
    struct db_stmt *st;
    int64_t n = 0;
    int rc = db_queryf(db, &st, "SELECT COUNT(*) FROM enterprises WHERE id = ?1", "i", id);
    rc = rc ? rc : db_step_id(st, &n);
    *yes = n > 0;
    return rc;
}

/* What waits on a user: as a drawn inspector who is not the case's assignee (the assignee sees
   it through the cases source), or, with approve set (leaders, admins), a positive-list visit
   waiting for approval. */
/* What waits on a user (?1): as a drawn inspector who is not the case's assignee (the
   assignee sees it through the cases source), or, with ?2 = 1 (leaders, admins), a
   positive-list visit waiting for approval. */
#define TODO_FROM                                                                                  \
    " FROM cases c JOIN draw_targets t ON t.case_id = c.id WHERE c.is_open = 1 AND ((?2 = 0 AND"   \
    " COALESCE(c.assignee_user_id, 0) <> ?1 AND EXISTS (SELECT 1 FROM draw_target_inspectors ti"   \
    " WHERE ti.target_id = t.id AND ti.user_id = ?1)) OR (?2 = 1 AND c.type = 'inspection' AND"    \
    " c.state = 'awaiting_approval'))"

int store_draw_todo_json(struct db *db, int64_t user_id, bool approve, const char *now,
                         size_t limit, struct buf *out, size_t *n)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st,
                  "SELECT 'case' AS source, c.id, c.title, c.due_at, CASE WHEN c.due_at IS"
                  " NULL THEN 'none' WHEN c.due_at <= ?4 THEN 'overdue' WHEN c.soon_at <= ?4"
                  " THEN 'due_soon' ELSE 'on_track' END AS clock, c.state, t.visit_date" TODO_FROM
                  " ORDER BY c.sort_at, c.id LIMIT ?3",
                  "iiit", user_id, (int64_t)approve, (int64_t)limit, now);
    if (rc) {
        return rc;
    }
    rc = db_rows_json(st, 1, limit, out, n);
    db_done(st);
    return rc < 0 ? rc : 0;
}

int store_draw_todo_count(struct db *db, int64_t user_id, bool approve, const char *now,
                          int64_t *total, int64_t *overdue, int64_t *soon)
{
    struct db_stmt *st;
    *total = *overdue = *soon = 0;
    int rc = db_queryf(db, &st,
                       "SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.due_at <= ?3 THEN 1 ELSE 0 END),"
                       " 0), COALESCE(SUM(CASE WHEN c.soon_at <= ?3 AND c.due_at > ?3 THEN 1 ELSE 0"
                       " END), 0)" TODO_FROM,
                       "iit", user_id, (int64_t)approve, now);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        *total = db_column_int(st, 0);
        *overdue = db_column_int(st, 1);
        *soon = db_column_int(st, 2);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

int store_draw_dashboard(struct db *db, int64_t user_id, const char *today, const char *soon,
                         bool plans, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT COALESCE(SUM(CASE WHEN t.visit_date <= ?2 THEN 1 ELSE 0 END), 0),"
                       " COALESCE(SUM(CASE WHEN t.visit_date > ?2 AND t.visit_date <= ?3 THEN 1"
                       " ELSE 0 END), 0), COUNT(*) FROM draw_target_inspectors i JOIN draw_targets"
                       " t ON t.id = i.target_id JOIN draw_plans p ON p.id = t.plan_id WHERE"
                       " i.user_id = ?1 AND t.outcome IS NULL AND p.state IN ('drawn', 'revealed')",
                       "itt", user_id, today, soon);
    int64_t due = 0, upcoming = 0, open = 0;
    int s = rc ? rc : db_step(st);
    if (s == DB_ROW) {
        due = db_column_int(st, 0);
        upcoming = db_column_int(st, 1);
        open = db_column_int(st, 2);
    }
    if (!rc) {
        db_done(st);
    }
    rc = rc ? rc : s < 0 ? s : 0;
    buf_printf(out,
               ",\"draw\":{\"my_visits_due\":%lld,\"my_visits_soon\":%lld,\"my_visits_open\":%lld",
               (long long)due, (long long)upcoming, (long long)open);
    if (!rc && plans) {
        rc = db_queryf(db, &st,
                       "SELECT COALESCE(SUM(CASE WHEN state <> 'draft' THEN 1 ELSE 0 END), 0),"
                       " COALESCE(SUM(CASE WHEN publish_due IS NOT NULL AND publish_due <= ?1 THEN"
                       " 1 ELSE 0 END), 0) FROM draw_plans WHERE state <> 'published'",
                       "t", soon);
        int64_t running = 0, publish = 0;
        s = rc ? rc : db_step(st);
        if (s == DB_ROW) {
            running = db_column_int(st, 0);
            publish = db_column_int(st, 1);
        }
        if (!rc) {
            db_done(st);
        }
        rc = rc ? rc : s < 0 ? s : 0;
        buf_printf(out, ",\"plans_running\":%lld,\"plans_publish_soon\":%lld", (long long)running,
                   (long long)publish);
    }
    buf_putc(out, '}');
    return rc;
}
