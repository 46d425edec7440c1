/*
** Inspection queries (q_inspect.h). Optional user and campaign ids are bound as integers and
** written through NULLIF(?, 0), so 0 means none. Scopes are written on the alias e
** (enterprises) with their parameters right after the statement's own (PostgreSQL cannot type
** a parameter number the statement leaves out).
*/
#include "store/q_inspect.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/scope.h"

/* The scope condition on the enterprises alias e, its parameters from ?p0 (store/scope.c). */
static void scope_sql(const struct scope *sc, struct buf *sql, int p0)
{
    store_scope_sql(sql, sc, "e.id", "e.region_code", p0);
}

int store_inspect_enterprise(struct db *db, int64_t id, struct inspect_ent *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, name, region_code, industry_code FROM enterprises WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        out->id = db_column_int(st, 0);
        db_column_copy(st, 1, out->name, sizeof out->name);
        db_column_copy(st, 2, out->region_code, sizeof out->region_code);
        db_column_copy(st, 3, out->industry_code, sizeof out->industry_code);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_inspect_task_insert(struct db *db, const struct inspect_task_new *n, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "INSERT INTO inspect_tasks (enterprise_id, region_code, title, source_kind, source_id,"
        " purpose, level, planned_on, lead_user_id, campaign_id, case_id, status, created_by,"
        " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, NULLIF(?5, 0), ?6, ?7, ?8, NULLIF(?9,"
        " 0), NULLIF(?10, 0), NULLIF(?11, 0), ?12, NULLIF(?13, 0), ?14, ?14) RETURNING id",
        "ittti"
        "tttiiitit",
        n->enterprise_id, n->region_code, n->title, n->source_kind, n->source_id, n->purpose,
        n->level, n->planned_on, n->lead_user_id, n->campaign_id, n->case_id,
        n->status ? n->status : "scheduled", n->created_by, n->now);
    return rc ? rc : db_step_id(st, id);
}

int store_inspect_task_set_case(struct db *db, int64_t id, int64_t case_id, const char *status,
                                const char *now)
{
    return db_runf(db,
                   "UPDATE inspect_tasks SET case_id = ?2, status = ?3, updated_at = ?4 WHERE"
                   " id = ?1",
                   "iitt", id, case_id, status, now);
}

int store_inspect_task_inspector_add(struct db *db, int64_t task_id, int64_t user_id)
{
    return db_runf(db,
                   "INSERT INTO inspect_task_inspectors (task_id, user_id, seq) SELECT ?1, ?2,"
                   " COALESCE(MAX(seq), 0) + 1 FROM inspect_task_inspectors WHERE task_id = ?1"
                   " ON CONFLICT (task_id, user_id) DO NOTHING",
                   "ii", task_id, user_id);
}

int store_inspect_task_get(struct db *db, int64_t id, struct inspect_task_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "SELECT t.id, t.enterprise_id, COALESCE(t.source_id, 0), COALESCE(t.lead_user_id, 0),"
        " COALESCE(t.campaign_id, 0), COALESCE(t.case_id, 0), t.region_code, t.source_kind,"
        " t.purpose, t.level, t.planned_on, t.status, t.outcome, COALESCE(t.done_on, ''),"
        " e.industry_code, t.title FROM inspect_tasks t JOIN enterprises e ON e.id ="
        " t.enterprise_id WHERE t.id = ?1",
        "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        out->id = db_column_int(st, 0);
        out->enterprise_id = db_column_int(st, 1);
        out->source_id = db_column_int(st, 2);
        out->lead_user_id = db_column_int(st, 3);
        out->campaign_id = db_column_int(st, 4);
        out->case_id = db_column_int(st, 5);
        db_column_copy(st, 6, out->region_code, sizeof out->region_code);
        db_column_copy(st, 7, out->source_kind, sizeof out->source_kind);
        db_column_copy(st, 8, out->purpose, sizeof out->purpose);
        db_column_copy(st, 9, out->level, sizeof out->level);
        db_column_copy(st, 10, out->planned_on, sizeof out->planned_on);
        db_column_copy(st, 11, out->status, sizeof out->status);
        db_column_copy(st, 12, out->outcome, sizeof out->outcome);
        db_column_copy(st, 13, out->done_on, sizeof out->done_on);
        db_column_copy(st, 14, out->industry_code, sizeof out->industry_code);
        db_column_copy(st, 15, out->title, sizeof out->title);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_inspect_task_of_source(struct db *db, const char *kind, int64_t source_id, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT MAX(id) FROM inspect_tasks WHERE source_kind = ?1 AND source_id ="
                       " ?2",
                       "ti", kind, source_id);
    return rc ? rc : db_step_id(st, id);
}

int store_inspect_task_status(struct db *db, int64_t id, const char *status, const char *outcome,
                              const char *done_on, const char *now)
{
    return db_runf(db,
                   "UPDATE inspect_tasks SET status = COALESCE(?2, status), outcome ="
                   " COALESCE(?3, outcome), done_on = COALESCE(?4, done_on), updated_at = ?5"
                   " WHERE id = ?1",
                   "ittt"
                   "t",
                   id, status, outcome, done_on, now);
}

int store_inspect_is_inspector(struct db *db, int64_t task_id, int64_t user_id, bool *yes)
{
    struct db_stmt *st;
    int64_t n = 0;
    int rc = db_queryf(db, &st,
                       "SELECT COUNT(*) FROM inspect_tasks t WHERE t.id = ?1 AND (t.lead_user_id ="
                       " ?2 OR EXISTS (SELECT 1 FROM inspect_task_inspectors i WHERE i.task_id ="
                       " t.id AND i.user_id = ?2))",
                       "ii", task_id, user_id);
    rc = rc ? rc : db_step_id(st, &n);
    *yes = n > 0;
    return rc;
}

int store_inspect_draw_target(struct db *db, int64_t target_id, int64_t case_id,
                              struct inspect_draw_target *out)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "SELECT t.enterprise_id, COALESCE((SELECT user_id FROM draw_target_inspectors i WHERE"
        " i.target_id = t.id ORDER BY seq LIMIT 1), 0), COALESCE(t.case_id, 0), t.visit_date,"
        " COALESCE(c.state, 'scheduled') FROM draw_targets t LEFT JOIN cases c ON c.id ="
        " COALESCE(NULLIF(?2, 0), t.case_id) WHERE t.id = ?1",
        "ii", target_id, case_id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        out->enterprise_id = db_column_int(st, 0);
        out->lead_user_id = db_column_int(st, 1);
        out->case_id = db_column_int(st, 2);
        db_column_copy(st, 3, out->visit_date, sizeof out->visit_date);
        db_column_copy(st, 4, out->state, sizeof out->state);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_inspect_copy_draw_inspectors(struct db *db, int64_t task_id, int64_t target_id)
{
    return db_runf(db,
                   "INSERT INTO inspect_task_inspectors (task_id, user_id, seq) SELECT ?1,"
                   " user_id, seq FROM draw_target_inspectors WHERE target_id = ?2",
                   "ii", task_id, target_id);
}

int store_inspect_sync_draw(struct db *db, int64_t target_id, const char *today, const char *now)
{
    return db_runf(
        db,
        "UPDATE inspect_tasks SET status = COALESCE((SELECT c.state FROM cases c WHERE c.id ="
        " inspect_tasks.case_id), status), outcome = COALESCE((SELECT d.outcome FROM draw_targets"
        " d WHERE d.id = ?1), ''), done_on = CASE WHEN (SELECT d.outcome FROM draw_targets d"
        " WHERE d.id = ?1) IN ('no_problem', 'problems_found', 'could_not_inspect') THEN"
        " COALESCE(done_on, ?2) ELSE done_on END, updated_at = ?3 WHERE source_kind = 'draw' AND"
        " source_id = ?1",
        "itt", target_id, today, now);
}

int store_inspect_alarm(struct db *db, int64_t alarm_id, int64_t *enterprise_id, char kind[32],
                        char point[128])
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT a.enterprise_id, a.kind, p.name FROM alarms a JOIN points p ON"
                       " p.id = a.point_id WHERE a.id = ?1",
                       "i", alarm_id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        *enterprise_id = db_column_int(st, 0);
        db_column_copy(st, 1, kind, 32);
        db_column_copy(st, 2, point, 128);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

#define TASK_COLS                                                                                  \
    "t.id, t.enterprise_id, e.name AS enterprise_name, t.region_code, t.title, t.source_kind,"     \
    " t.source_id, t.purpose, t.level, t.planned_on, t.lead_user_id, COALESCE((SELECT"             \
    " u.display_name FROM users u WHERE u.id = t.lead_user_id), '') AS lead_name,"                 \
    " t.campaign_id, t.case_id, t.status, t.outcome, t.done_on, t.created_at, COALESCE((SELECT"    \
    " c.due_at FROM cases c WHERE c.id = t.case_id), '') AS due_at"

int store_inspect_tasks_json(struct db *db, const struct inspect_task_query *q, struct buf *out)
{
    struct buf w, sql;
    buf_init(&w, 1 << 14);
    buf_init(&sql, 1 << 14);
    /* ?1 user ?2 mine ?3 only_done ?4 hide_future_draw ?5 today ?6 status ?7 source_kind
       ?8 campaign ?9 enterprise ?10 limit ?11 offset */
    /* Mine: driven by the user's rows of inspect_task_inspectors (the lead is one of them), which
       a task's own inspectors see wherever it is. Else the scope, or the user's own. */
    buf_puts(&w, q->mine
                     ? " FROM inspect_tasks t WHERE "
                     : " FROM inspect_tasks t JOIN enterprises e ON e.id = t.enterprise_id WHERE ");
    if (q->mine) {
        buf_puts(&w, "t.id IN (SELECT i.task_id FROM inspect_task_inspectors i WHERE i.user_id ="
                     " ?1) AND ?2 = 1");
    } else {
        buf_puts(&w, "((");
        scope_sql(q->sc, &w, 13);
        buf_puts(&w, ") OR EXISTS (SELECT 1 FROM inspect_task_inspectors i WHERE i.task_id = t.id"
                     " AND i.user_id = ?1)) AND ?2 = 0");
    }
    buf_puts(&w, " AND (?3 = 0"
                 " OR t.status = 'done') AND (?4 = 0 OR t.source_kind <> 'draw' OR t.planned_on <="
                 " ?5) AND (?6 = '' OR t.status = ?6) AND (?7 = '' OR t.source_kind = ?7) AND (?8 ="
                 " 0 OR t.campaign_id = ?8) AND (?9 = 0 OR t.enterprise_id = ?9) AND (?12 = 0 OR "
                 "t.case_id = ?12)");
    int rc = 0;
    for (int pass = 0; !rc && pass < 2; pass++) {
        buf_reset(&sql);
        if (pass == 0) {
            buf_puts(&sql, "SELECT COUNT(*)");
            buf_puts(&sql, w.p);
            buf_puts(&sql, " AND (?10 = ?10) AND (?11 = ?11)");
        } else {
            /* The page's ids first, sorted on the task's own columns; the names and deadlines
               only for those (computed before the sort, they cost every matching row). */
            buf_puts(&sql, "SELECT " TASK_COLS " FROM (SELECT t.id AS tid, CASE WHEN t.status IN"
                           " ('scheduled', 'awaiting_approval') THEN 0 ELSE 1 END AS o1,"
                           " t.planned_on AS o2");
            buf_puts(&sql, w.p);
            buf_puts(&sql, " ORDER BY o1, o2, t.id LIMIT ?10 OFFSET ?11) x JOIN inspect_tasks t ON"
                           " t.id = x.tid JOIN enterprises e ON e.id = t.enterprise_id ORDER BY"
                           " x.o1, x.o2, t.id");
        }
        struct db_stmt *st;
        rc = db_prepare(db, sql.p, &st);
        if (rc) {
            break;
        }
        db_bind_int(st, 1, q->user_id);
        db_bind_int(st, 2, q->mine);
        db_bind_int(st, 3, q->only_done);
        db_bind_int(st, 4, q->hide_future_draw);
        db_bind_text(st, 5, q->today, (size_t)-1);
        db_bind_text(st, 6, q->status ? q->status : "", (size_t)-1);
        db_bind_text(st, 7, q->source_kind ? q->source_kind : "", (size_t)-1);
        db_bind_int(st, 8, q->campaign_id);
        db_bind_int(st, 9, q->enterprise_id);
        db_bind_int(st, 10, (int64_t)(q->limit ? q->limit : 50));
        db_bind_int(st, 11, (int64_t)q->offset);
        db_bind_int(st, 12, q->case_id);
        if (!q->mine) {
            store_scope_bind(st, q->sc, 13);
        }
        if (pass == 0) {
            int64_t total = 0;
            rc = db_step_id(st, &total);
            buf_printf(out, "{\"total\":%lld,\"items\":", (long long)total);
        } else {
            rc = db_rows_json(st, 1, 0, out, NULL);
            db_done(st);
            buf_putc(out, '}');
        }
    }
    buf_release(&w);
    buf_release(&sql);
    return rc;
}

int store_inspect_task_json(struct db *db, int64_t id, bool approvals, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT " TASK_COLS ", e.industry_code, e.address FROM inspect_tasks t JOIN"
                       " enterprises e ON e.id = t.enterprise_id WHERE t.id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s != DB_ROW) {
        db_done(st);
        return s < 0 ? s : ERR_NOTFOUND;
    }
    struct buf row;
    buf_init(&row, 4096);
    db_row_json(st, &row);
    db_done(st);
    buf_append(out, row.p, row.len - 1); /* without the closing brace */
    buf_release(&row);
    rc = db_queryf(db, &st,
                   "SELECT i.user_id, u.display_name AS name, i.seq FROM inspect_task_inspectors i"
                   " JOIN users u ON u.id = i.user_id WHERE i.task_id = ?1 ORDER BY i.seq",
                   "i", id);
    if (!rc) {
        buf_puts(out, ",\"inspectors\":");
        rc = db_rows_json(st, 1, 0, out, NULL);
        db_done(st);
    }
    if (!approvals) {
        return rc;
    }
    rc = rc ? rc
            : db_queryf(db, &st,
                        "SELECT id, state, purpose, visit_date, decided_by_name, decided_at,"
                        " decision_note FROM positive_onsite_requests WHERE (source_kind ="
                        " 'inspect_task' AND source_id = ?1) OR (source_kind = 'draw_target' AND"
                        " source_id = (SELECT source_id FROM inspect_tasks WHERE id = ?1 AND"
                        " source_kind = 'draw')) ORDER BY id DESC",
                        "i", id);
    if (!rc) {
        buf_puts(out, ",\"approvals\":");
        rc = db_rows_json(st, 1, 0, out, NULL);
        db_done(st);
    }
    return rc;
}

/* ---- visits ---- */

int store_inspect_visit_by_uuid(struct db *db, const char *uuid, int64_t *visit_id,
                                int64_t *task_id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT id, task_id FROM inspect_visits WHERE client_uuid = ?1",
                       "t", uuid);
    if (rc) {
        return rc;
    }
    *visit_id = *task_id = 0;
    int s = db_step(st);
    if (s == DB_ROW) {
        *visit_id = db_column_int(st, 0);
        *task_id = db_column_int(st, 1);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

int store_inspect_visit_of_task(struct db *db, int64_t task_id, int64_t *visit_id)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st, "SELECT MAX(id) FROM inspect_visits WHERE task_id = ?1", "i", task_id);
    return rc ? rc : db_step_id(st, visit_id);
}

int store_inspect_visit_insert(struct db *db, const struct inspect_visit_new *n, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO inspect_visits (task_id, client_uuid, rule_set_id,"
                       " rule_version, checklist_key, answers_json, outcome, note, visited_on,"
                       " by_user, created_at) VALUES (?1, ?2, NULLIF(?3, 0), ?4, ?5, ?6, ?7, ?8,"
                       " ?9, NULLIF(?10, 0), ?11) RETURNING id",
                       "itiitttttit", n->task_id, n->uuid, n->rule_set_id, n->rule_version,
                       n->checklist_key, n->answers_json, n->outcome, n->note, n->visited_on,
                       n->by_user, n->now);
    return rc ? rc : db_step_id(st, id);
}

int store_inspect_finding_insert(struct db *db, int64_t visit_id, int64_t task_id,
                                 const char *item_id, int64_t problem_id)
{
    return db_runf(db,
                   "INSERT INTO inspect_findings (visit_id, task_id, item_id, problem_id) VALUES"
                   " (?1, ?2, ?3, ?4)",
                   "iiti", visit_id, task_id, item_id, problem_id);
}

int store_inspect_visit_json(struct db *db, int64_t task_id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT v.id, v.client_uuid AS uuid, v.rule_set_id, v.rule_version,"
                       " v.checklist_key, v.answers_json, v.outcome, v.note, v.visited_on,"
                       " COALESCE(u.display_name, '') AS by_name, v.created_at FROM"
                       " inspect_visits v LEFT JOIN users u ON u.id = v.by_user WHERE v.task_id ="
                       " ?1",
                       "i", task_id);
    if (rc) {
        return rc;
    }
    buf_puts(out, ",\"visit\":");
    int s = db_step(st);
    if (s == DB_ROW) {
        db_row_json(st, out);
    } else {
        buf_puts(out, "null");
    }
    db_done(st);
    if (s < 0) {
        return s;
    }
    rc = db_queryf(db, &st,
                   "SELECT f.id, f.item_id, f.problem_id, p.category, p.description, p.clause,"
                   " p.status, p.level, p.found_on, (SELECT COUNT(*) FROM attachments a WHERE"
                   " a.entity = 'problem' AND a.entity_id = p.id) AS photos, (SELECT COUNT(*)"
                   " FROM rectify_orders o WHERE o.problem_id = p.id) AS orders, COALESCE((SELECT"
                   " MAX(o.id) FROM rectify_orders o WHERE o.problem_id = p.id), 0) AS order_id"
                   " FROM inspect_findings f JOIN problems p ON p.id = f.problem_id WHERE"
                   " f.task_id = ?1 ORDER BY f.id",
                   "i", task_id);
    if (!rc) {
        buf_puts(out, ",\"findings\":");
        rc = db_rows_json(st, 1, 0, out, NULL);
        db_done(st);
    }
    return rc;
}

int store_inspect_finding_of(struct db *db, int64_t task_id, int64_t problem_id, bool *yes)
{
    struct db_stmt *st;
    int64_t n = 0;
    int rc = db_queryf(db, &st,
                       "SELECT COUNT(*) FROM inspect_findings WHERE task_id = ?1 AND problem_id ="
                       " ?2",
                       "ii", task_id, problem_id);
    rc = rc ? rc : db_step_id(st, &n);
    *yes = n > 0;
    return rc;
}

/* ---- campaigns ---- */

int store_inspect_campaign_insert(struct db *db, const struct inspect_campaign_new *n, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO inspect_campaigns (title, region_prefix, plan, selfcheck_due,"
                       " visit_from, visit_to, created_by, created_at, updated_at) VALUES (?1, ?2,"
                       " ?3, ?4, ?5, ?6, NULLIF(?7, 0), ?8, ?8) RETURNING id",
                       "ttttttit", n->title, n->region_prefix, n->plan, n->selfcheck_due,
                       n->visit_from, n->visit_to, n->created_by, n->now);
    return rc ? rc : db_step_id(st, id);
}

int store_inspect_campaign_get(struct db *db, int64_t id, struct inspect_campaign_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, title, region_prefix, status, selfcheck_due, visit_from,"
                       " visit_to FROM inspect_campaigns WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        out->id = db_column_int(st, 0);
        db_column_copy(st, 1, out->title, sizeof out->title);
        db_column_copy(st, 2, out->region_prefix, sizeof out->region_prefix);
        db_column_copy(st, 3, out->status, sizeof out->status);
        db_column_copy(st, 4, out->selfcheck_due, sizeof out->selfcheck_due);
        db_column_copy(st, 5, out->visit_from, sizeof out->visit_from);
        db_column_copy(st, 6, out->visit_to, sizeof out->visit_to);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_inspect_campaign_status(struct db *db, int64_t id, const char *status,
                                  const char *results_note, const char *now)
{
    return db_runf(db,
                   "UPDATE inspect_campaigns SET status = ?2, published_at = CASE WHEN ?2 ="
                   " 'published' THEN ?4 ELSE published_at END, results_at = CASE WHEN ?2 ="
                   " 'closed' THEN ?4 ELSE results_at END, results_note = COALESCE(?3,"
                   " results_note), updated_at = ?4 WHERE id = ?1",
                   "ittt", id, status, results_note, now);
}

int store_inspect_campaign_target_add(struct db *db, int64_t campaign_id, int64_t enterprise_id)
{
    return db_runf(db,
                   "INSERT INTO inspect_campaign_targets (campaign_id, enterprise_id, region_code)"
                   " SELECT ?1, id, region_code FROM enterprises WHERE id = ?2",
                   "ii", campaign_id, enterprise_id);
}

int store_inspect_campaign_targets_by_region(struct db *db, int64_t campaign_id,
                                             const char *region_prefix, const char *category,
                                             int64_t *n)
{
    int rc = db_runf(db,
                     "INSERT INTO inspect_campaign_targets (campaign_id, enterprise_id,"
                     " region_code) SELECT ?1, e.id, e.region_code FROM enterprises e WHERE"
                     " e.status = 'active' AND substr(e.region_code, 1, length(?2)) = ?2 AND (?3"
                     " = '' OR e.category = ?3) AND NOT EXISTS (SELECT 1 FROM"
                     " inspect_campaign_targets x WHERE x.campaign_id = ?1 AND x.enterprise_id ="
                     " e.id)",
                     "itt", campaign_id, region_prefix, category);
    *n = rc ? 0 : db_changes(db);
    return rc;
}

int store_inspect_campaign_target_get(struct db *db, int64_t campaign_id, int64_t enterprise_id,
                                      struct inspect_target_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT x.id, x.enterprise_id, COALESCE((SELECT MAX(t.id) FROM"
                       " inspect_tasks t WHERE t.campaign_id = x.campaign_id AND t.enterprise_id ="
                       " x.enterprise_id), 0), x.region_code, COALESCE(x.selfcheck_at, '') FROM"
                       " inspect_campaign_targets x WHERE x.campaign_id = ?1 AND x.enterprise_id"
                       " = ?2",
                       "ii", campaign_id, enterprise_id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        out->id = db_column_int(st, 0);
        out->enterprise_id = db_column_int(st, 1);
        out->task_id = db_column_int(st, 2);
        db_column_copy(st, 3, out->region_code, sizeof out->region_code);
        db_column_copy(st, 4, out->selfcheck_at, sizeof out->selfcheck_at);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_inspect_campaign_selfcheck(struct db *db, int64_t target_id, const char *note, int64_t by,
                                     const char *now)
{
    return db_runf(db,
                   "UPDATE inspect_campaign_targets SET selfcheck_at = ?3, selfcheck_note = ?2,"
                   " selfcheck_by = NULLIF(?4, 0) WHERE id = ?1",
                   "itti", target_id, note, now, by);
}

int store_inspect_campaign_untasked(struct db *db, int64_t campaign_id, int64_t *ents, size_t max,
                                    size_t *n)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_queryf(db, &st,
                       "SELECT x.enterprise_id FROM inspect_campaign_targets x WHERE"
                       " x.campaign_id = ?1 AND NOT EXISTS (SELECT 1 FROM inspect_tasks t WHERE"
                       " t.campaign_id = ?1 AND t.enterprise_id = x.enterprise_id) ORDER BY x.id"
                       " LIMIT ?2",
                       "ii", campaign_id, (int64_t)max);
    if (rc) {
        return rc;
    }
    int s;
    while ((s = db_step(st)) == DB_ROW && *n < max) {
        ents[(*n)++] = db_column_int(st, 0);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

/* Problems of a campaign: found on its tasks' visits. */
#define CAMPAIGN_PROBLEMS                                                                          \
    "SELECT p.id FROM problems p WHERE p.source_kind = 'inspect_task' AND p.source_id IN (SELECT"  \
    " t.id FROM inspect_tasks t WHERE t.campaign_id = ?1)"

int store_inspect_campaign_problem(struct db *db, int64_t campaign_id, int64_t problem_id,
                                   bool *yes)
{
    struct db_stmt *st;
    int64_t n = 0;
    int rc = db_queryf(db, &st, "SELECT COUNT(*) FROM (" CAMPAIGN_PROBLEMS ") x WHERE x.id = ?2",
                       "ii", campaign_id, problem_id);
    rc = rc ? rc : db_step_id(st, &n);
    *yes = n > 0;
    return rc;
}

int store_inspect_campaigns_json(struct db *db, const struct scope *sc, bool enterprise,
                                 struct buf *out)
{
    struct buf sql;
    buf_init(&sql, 1 << 14);
    buf_puts(&sql,
             "SELECT c.id, c.title, c.region_prefix, c.status, c.selfcheck_due, c.visit_from,"
             " c.visit_to, c.published_at, c.results_at, c.created_at, (SELECT COUNT(*) FROM"
             " inspect_campaign_targets x WHERE x.campaign_id = c.id) AS targets, (SELECT"
             " COUNT(*) FROM inspect_tasks t WHERE t.campaign_id = c.id AND t.status = 'done') AS"
             " inspected FROM inspect_campaigns c WHERE ");
    if (enterprise) {
        buf_puts(&sql, "c.status <> 'draft' AND EXISTS (SELECT 1 FROM inspect_campaign_targets x"
                       " JOIN enterprises e ON e.id = x.enterprise_id WHERE x.campaign_id = c.id"
                       " AND ");
        scope_sql(sc, &sql, 1);
        buf_puts(&sql, ")");
    } else if (sc && sc->kind == SCOPE_REGIONS) {
        /* A campaign is seen by staff whose area overlaps its region. */
        buf_puts(&sql, "(");
        for (size_t i = 0; i < sc->n_prefixes && i < 32; i++) {
            buf_printf(&sql,
                       "%s(substr(c.region_prefix, 1, length(?%zu)) = ?%zu OR substr(?%zu, 1,"
                       " length(c.region_prefix)) = c.region_prefix)",
                       i ? " OR " : "", (size_t)1 + i, (size_t)1 + i, (size_t)1 + i);
        }
        buf_puts(&sql, sc->n_prefixes ? ")" : "1=0)");
    } else {
        buf_puts(&sql, sc && sc->kind == SCOPE_NONE ? "1=0" : "1=1");
    }
    buf_puts(&sql, " ORDER BY c.id DESC LIMIT 500");
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    if (!rc) {
        store_scope_bind(st, sc, 1);
        buf_puts(out, "{\"items\":");
        rc = db_rows_json(st, 1, 0, out, NULL);
        buf_putc(out, '}');
        db_done(st);
    }
    buf_release(&sql);
    return rc;
}

int store_inspect_campaign_json(struct db *db, int64_t id, const struct scope *sc, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, title, region_prefix, plan, status, selfcheck_due, visit_from,"
                       " visit_to, published_at, results_at, results_note, created_at FROM"
                       " inspect_campaigns WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s != DB_ROW) {
        db_done(st);
        return s < 0 ? s : ERR_NOTFOUND;
    }
    struct buf row;
    buf_init(&row, 8192);
    db_row_json(st, &row);
    db_done(st);
    buf_append(out, row.p, row.len - 1);
    buf_release(&row);
    /* The five steps' counts (五步工作法). */
    rc = db_queryf(
        db, &st,
        "SELECT (SELECT COUNT(*) FROM inspect_campaign_targets WHERE campaign_id = ?1) AS"
        " targets, (SELECT COUNT(*) FROM inspect_campaign_targets WHERE campaign_id = ?1 AND"
        " selfcheck_at IS NOT NULL) AS selfchecks, (SELECT COUNT(*) FROM inspect_tasks WHERE"
        " campaign_id = ?1) AS tasks, (SELECT COUNT(*) FROM inspect_tasks WHERE campaign_id = ?1"
        " AND status = 'done') AS inspected, (SELECT COUNT(*) FROM (" CAMPAIGN_PROBLEMS
        ") x) AS problems, (SELECT COUNT(DISTINCT o.problem_id) FROM rectify_orders o WHERE"
        " o.problem_id IN (" CAMPAIGN_PROBLEMS ")) AS handed_over, (SELECT COUNT(*) FROM"
        " problems p WHERE p.id IN (" CAMPAIGN_PROBLEMS ") AND p.status = 'closed') AS verified,"
        " (SELECT COUNT(*) FROM inspect_campaign_targets x JOIN inspect_campaigns c ON c.id ="
        " x.campaign_id WHERE x.campaign_id = ?1 AND c.results_at IS NOT NULL) AS published",
        "i", id);
    if (!rc) {
        buf_puts(out, ",\"steps\":");
        s = db_step(st);
        if (s == DB_ROW) {
            db_row_json(st, out);
        } else {
            buf_puts(out, "null");
        }
        db_done(st);
        rc = s < 0 ? s : 0;
    }
    /* The targets within sc, each with its self-check and task. */
    struct buf sql;
    buf_init(&sql, 8192);
    buf_puts(&sql,
             "SELECT x.enterprise_id, e.name AS enterprise_name, x.region_code, x.selfcheck_at,"
             " x.selfcheck_note, t.id AS task_id, t.status AS task_status, t.outcome,"
             " t.planned_on, (SELECT COUNT(*) FROM inspect_findings f WHERE f.task_id = t.id) AS"
             " problems FROM inspect_campaign_targets x JOIN enterprises e ON e.id ="
             " x.enterprise_id LEFT JOIN inspect_tasks t ON t.id = (SELECT MAX(y.id) FROM"
             " inspect_tasks y WHERE y.campaign_id = x.campaign_id AND y.enterprise_id ="
             " x.enterprise_id");
    /* an enterprise learns of its inspection only once it has happened (unannounced visits) */
    if (sc && sc->kind == SCOPE_ENTERPRISE) {
        buf_puts(&sql, " AND y.status = 'done'");
    }
    buf_puts(&sql, ") WHERE x.campaign_id = ?1 AND ");
    scope_sql(sc, &sql, 2);
    buf_puts(&sql, " ORDER BY e.name, x.id LIMIT 2000");
    rc = rc ? rc : db_prepare(db, sql.p, &st);
    if (!rc) {
        db_bind_int(st, 1, id);
        store_scope_bind(st, sc, 2);
        buf_puts(out, ",\"targets\":");
        rc = db_rows_json(st, 1, 0, out, NULL);
        db_done(st);
    }
    buf_reset(&sql);
    buf_puts(&sql, "SELECT p.id, p.enterprise_id, e.name AS enterprise_name, p.category,"
                   " p.description, p.clause, p.status, p.found_on, p.source_id AS task_id,"
                   " COALESCE((SELECT MAX(o.id) FROM rectify_orders o WHERE o.problem_id ="
                   " p.id), 0) AS order_id, COALESCE((SELECT o.due_on FROM rectify_orders o"
                   " WHERE o.id = (SELECT MAX(o2.id) FROM rectify_orders o2 WHERE o2.problem_id"
                   " = p.id)), '') AS due_on, COALESCE((SELECT o.status FROM rectify_orders o"
                   " WHERE o.id = (SELECT MAX(o2.id) FROM rectify_orders o2 WHERE o2.problem_id"
                   " = p.id)), '') AS order_status FROM problems p JOIN enterprises e ON e.id ="
                   " p.enterprise_id WHERE p.id IN (" CAMPAIGN_PROBLEMS ") AND ");
    scope_sql(sc, &sql, 2);
    buf_puts(&sql, " ORDER BY p.id LIMIT 2000");
    rc = rc ? rc : db_prepare(db, sql.p, &st);
    if (!rc) {
        db_bind_int(st, 1, id);
        store_scope_bind(st, sc, 2);
        buf_puts(out, ",\"problems\":");
        rc = db_rows_json(st, 1, 0, out, NULL);
        db_done(st);
    }
    buf_release(&sql);
    return rc;
}

/* ---- the to-do source ---- */

/* What waits on user ?1: with approve, non-draw tasks waiting for approval within sc (from ?3);
   else non-draw scheduled tasks the user is a non-lead inspector of. The task's case gives the
   clock. */
static void todo_from(const struct scope *sc, bool approve, struct buf *w)
{
    buf_puts(w, " FROM inspect_tasks t JOIN enterprises e ON e.id = t.enterprise_id LEFT JOIN"
                " cases c ON c.id = t.case_id WHERE t.source_kind <> 'draw' AND ");
    if (approve) {
        buf_puts(w, "t.status = 'awaiting_approval' AND ?1 = ?1 AND ");
        scope_sql(sc, w, 3);
    } else {
        buf_puts(w, "t.status = 'scheduled' AND (t.lead_user_id IS NULL OR t.lead_user_id <> ?1)"
                    " AND EXISTS (SELECT 1 FROM inspect_task_inspectors i WHERE i.task_id = t.id"
                    " AND i.user_id = ?1)");
    }
}

/* Prepare sql with user ?1, text ?2 (now) and, for approvals, the scope from ?3. */
static int todo_prepare(struct db *db, const char *sql, const struct scope *sc, bool approve,
                        int64_t user_id, const char *now, struct db_stmt **st)
{
    int rc = db_prepare(db, sql, st);
    rc = rc ? rc : db_bind_int(*st, 1, user_id);
    rc = rc ? rc : db_bind_text(*st, 2, now, (size_t)-1);
    rc = rc || !approve ? rc : store_scope_bind(*st, sc, 3);
    if (rc && *st) {
        db_done(*st);
        *st = NULL;
    }
    return rc;
}

int store_inspect_todo(struct db *db, const struct scope *sc, int64_t user_id, bool approve,
                       const char *now, size_t limit, struct buf *out, size_t *n)
{
    struct buf sql;
    buf_init(&sql, 8192);
    buf_printf(&sql,
               "SELECT 'inspect' AS source, t.case_id AS id, t.title, t.enterprise_id,"
               " COALESCE(c.due_at, '') AS due_at, CASE WHEN c.due_at IS NULL THEN 'none' WHEN"
               " c.due_at <= ?2 THEN 'overdue' WHEN c.soon_at <= ?2 THEN 'due_soon' ELSE"
               " 'on_track' END AS clock, '/inspect/tasks/' || t.id AS href, '%s' AS kind_key",
               approve ? "insp_todo_approve" : "insp_todo_task");
    todo_from(sc, approve, &sql);
    buf_printf(&sql, " ORDER BY t.planned_on, t.id LIMIT %zu", limit);
    struct db_stmt *st = NULL;
    int rc = todo_prepare(db, sql.p, sc, approve, user_id, now, &st);
    if (!rc) {
        rc = db_rows_json(st, 1, 0, out, n);
        db_done(st);
    }
    buf_release(&sql);
    return rc < 0 ? rc : 0;
}

int store_inspect_todo_count(struct db *db, const struct scope *sc, int64_t user_id, bool approve,
                             const char *now, int64_t *total, int64_t *overdue, int64_t *soon)
{
    struct buf sql;
    buf_init(&sql, 8192);
    buf_puts(&sql, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.due_at <= ?2 THEN 1 ELSE 0 END), 0),"
                   " COALESCE(SUM(CASE WHEN c.soon_at <= ?2 AND c.due_at > ?2 THEN 1 ELSE 0 END),"
                   " 0)");
    todo_from(sc, approve, &sql);
    struct db_stmt *st = NULL;
    *total = *overdue = *soon = 0;
    int rc = todo_prepare(db, sql.p, sc, approve, user_id, now, &st);
    int s = rc ? rc : db_step(st);
    if (s == DB_ROW) {
        *total = db_column_int(st, 0);
        *overdue = db_column_int(st, 1);
        *soon = db_column_int(st, 2);
    }
    if (st) {
        db_done(st);
    }
    buf_release(&sql);
    return s < 0 ? s : 0;
}

const struct audit_kind inspect_audit_kinds[] = {
    {"inspect_task",
     "(SELECT e.name || ' · ' || t.planned_on FROM inspect_tasks t JOIN enterprises e ON e.id ="
     " t.enterprise_id WHERE t.id = ?5)",
     "SELECT id FROM inspect_tasks WHERE enterprise_id = ?1 AND status = 'done'"},
    {"inspect_visit",
     "(SELECT e.name || ' · ' || v.visited_on FROM inspect_visits v JOIN inspect_tasks t ON t.id"
     " = v.task_id JOIN enterprises e ON e.id = t.enterprise_id WHERE v.id = ?5)",
     NULL},
    {"inspect_campaign", "(SELECT title FROM inspect_campaigns WHERE id = ?5)", NULL},
    {0},
};

int store_inspect_campaign_feed(struct db *db, int64_t campaign_id, int64_t *permit_problems,
                                int64_t *permit_ents, size_t *n_problems, int64_t *kept_ents,
                                size_t *n_kept, size_t max)
{
    struct db_stmt *st;
    *n_problems = *n_kept = 0;
    int rc =
        db_queryf(db, &st,
                  "SELECT p.id, p.enterprise_id FROM problems p WHERE p.id IN (" CAMPAIGN_PROBLEMS
                  ") AND p.category = 'permit' ORDER BY p.id LIMIT ?2",
                  "ii", campaign_id, (int64_t)max);
    if (rc) {
        return rc;
    }
    int s;
    while ((s = db_step(st)) == DB_ROW && *n_problems < max) {
        permit_problems[*n_problems] = db_column_int(st, 0);
        permit_ents[(*n_problems)++] = db_column_int(st, 1);
    }
    db_done(st);
    if (s < 0) {
        return s;
    }
    rc = db_queryf(db, &st,
                   "SELECT x.enterprise_id FROM inspect_campaign_targets x WHERE x.campaign_id ="
                   " ?1 AND x.selfcheck_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM problems p"
                   " WHERE p.id IN (" CAMPAIGN_PROBLEMS ") AND p.enterprise_id = x.enterprise_id"
                   " AND p.status <> 'closed') ORDER BY x.id LIMIT ?2",
                   "ii", campaign_id, (int64_t)max);
    if (rc) {
        return rc;
    }
    while ((s = db_step(st)) == DB_ROW && *n_kept < max) {
        kept_ents[(*n_kept)++] = db_column_int(st, 0);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

int store_inspect_demo_picks(struct db *db, const char *region, int64_t *inspector, int64_t *leader,
                             int64_t *ents, size_t max, size_t *n)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_queryf(db, &st, "SELECT MAX(id) FROM users WHERE username = 'inspector'", "");
    rc = rc ? rc : db_step_id(st, inspector);
    rc = rc ? rc : db_queryf(db, &st, "SELECT MAX(id) FROM users WHERE username = 'leader'", "");
    rc = rc ? rc : db_step_id(st, leader);
    rc = rc ? rc
            : db_queryf(db, &st,
                        "SELECT id FROM enterprises WHERE region_code = ?1 AND status = 'active'"
                        " ORDER BY id LIMIT ?2",
                        "ti", region, (int64_t)max);
    if (rc) {
        return rc;
    }
    int s;
    while ((s = db_step(st)) == DB_ROW && *n < max) {
        ents[(*n)++] = db_column_int(st, 0);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

int store_inspect_user_is(struct db *db, int64_t id, const char *role, bool *yes)
{
    struct db_stmt *st;
    int64_t n = 0;
    int rc = db_queryf(
        db, &st, "SELECT COUNT(*) FROM users WHERE id = ?1 AND role = ?2 AND status = 'active'",
        "it", id, role);
    rc = rc ? rc : db_step_id(st, &n);
    *yes = n > 0;
    return rc;
}
