/*
** Three-level patrol queries (q_patrol.h). Lists build their SQL from constant pieces and bind
** every value; the scope condition comes from store/scope.c on the row's enterprise_id and
** region_code (alias t). Dates are YYYY-MM-DD text, months YYYY-MM, compared as text.
*/
#include "store/q_patrol.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/qb.h"

/* ---------------- permit clauses ---------------- */

int store_patrol_enterprise_region(struct db *db, int64_t enterprise_id, char region_code[16])
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st, "SELECT region_code FROM enterprises WHERE id = ?1", "i", enterprise_id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc == DB_ROW) {
        db_column_copy(st, 0, region_code, 16);
        rc = 0;
    } else {
        rc = rc < 0 ? rc : ERR_NOTFOUND;
    }
    db_done(st);
    return rc;
}

int store_patrol_permit_owner(struct db *db, int64_t permit_id, int64_t *enterprise_id,
                              char region_code[16])
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT p.enterprise_id, e.region_code FROM permits p JOIN enterprises e ON"
                       " e.id = p.enterprise_id WHERE p.id = ?1",
                       "i", permit_id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc == DB_ROW) {
        *enterprise_id = db_column_int(st, 0);
        db_column_copy(st, 1, region_code, 16);
        rc = 0;
    } else {
        rc = rc < 0 ? rc : ERR_NOTFOUND;
    }
    db_done(st);
    return rc;
}

int store_patrol_clause_insert(struct db *db, int64_t permit_id, const char *code, const char *text,
                               const char *duty, const char *frequency, const char *now,
                               int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO permit_clauses (permit_id, enterprise_id, code, text, duty,"
                       " frequency, status, created_at, updated_at) SELECT p.id, p.enterprise_id,"
                       " ?2, ?3, ?4, ?5, 'active', ?6, ?6 FROM permits p WHERE p.id = ?1"
                       " RETURNING id",
                       "ittttt", permit_id, code, text, duty, frequency, now);
    *id = 0;
    rc = rc ? rc : db_step_id(st, id);
    return rc ? rc : *id ? 0 : ERR_NOTFOUND;
}

#define CLAUSE_COLS                                                                                \
    "c.id, c.permit_id, c.enterprise_id, e.region_code, c.code, c.duty, c.frequency, c.status,"    \
    " p.number, c.text"

static void clause_row(struct db_stmt *st, struct patrol_clause_row *o)
{
    o->id = db_column_int(st, 0);
    o->permit_id = db_column_int(st, 1);
    o->enterprise_id = db_column_int(st, 2);
    db_column_copy(st, 3, o->region_code, sizeof o->region_code);
    db_column_copy(st, 4, o->code, sizeof o->code);
    db_column_copy(st, 5, o->duty, sizeof o->duty);
    db_column_copy(st, 6, o->frequency, sizeof o->frequency);
    db_column_copy(st, 7, o->status, sizeof o->status);
    db_column_copy(st, 8, o->permit_number, sizeof o->permit_number);
    db_column_copy(st, 9, o->text, sizeof o->text);
}

int store_patrol_clause_get(struct db *db, int64_t id, struct patrol_clause_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT " CLAUSE_COLS " FROM permit_clauses c JOIN permits p ON p.id ="
                       " c.permit_id JOIN enterprises e ON e.id = c.enterprise_id WHERE c.id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc == DB_ROW) {
        clause_row(st, out);
        rc = 0;
    } else {
        rc = rc < 0 ? rc : ERR_NOTFOUND;
    }
    db_done(st);
    return rc;
}

int store_patrol_clause_update(struct db *db, int64_t id, const char *code, const char *text,
                               const char *duty, const char *frequency, const char *status,
                               const char *now)
{
    int rc = db_runf(db,
                     "UPDATE permit_clauses SET code = ?2, text = ?3, duty = ?4, frequency = ?5,"
                     " status = ?6, updated_at = ?7 WHERE id = ?1",
                     "itttttt", id, code, text, duty, frequency, status, now);
    return rc ? rc : db_changes(db) ? 0 : ERR_NOTFOUND;
}

int store_patrol_clauses_json(struct db *db, const struct scope *sc, int64_t permit_id,
                              int64_t enterprise_id, struct buf *out)
{
    struct qb b;
    qb_init(&b);
    buf_puts(&b.sql,
             "SELECT c.id, c.permit_id, p.number AS permit_number, c.enterprise_id, c.code,"
             " c.text, c.duty, c.frequency, c.status, c.updated_at FROM permit_clauses c JOIN"
             " permits p ON p.id = c.permit_id JOIN enterprises t ON t.id = c.enterprise_id"
             " WHERE ");
    if (permit_id > 0) {
        buf_printf(&b.sql, "c.permit_id = ?%d", qb_int(&b, permit_id));
    } else {
        buf_printf(&b.sql, "c.enterprise_id = ?%d", qb_int(&b, enterprise_id));
    }
    qb_scope(&b, sc, "t.id", "t.region_code");
    buf_puts(&b.sql, " ORDER BY c.permit_id, c.status, c.id");
    struct db_stmt *st;
    size_t n = 0;
    int rc = qb_prepare(db, &b, &st);
    if (!rc) {
        buf_puts(out, "{\"items\":");
        rc = db_rows_json(st, 1, 0, out, &n);
        db_done(st);
        buf_putc(out, '}');
    }
    buf_release(&b.sql);
    return rc;
}

struct id_list {
    int64_t *ids;
    size_t n, max;
};

static void id_row(struct db_stmt *st, void *ctx)
{
    struct id_list *l = ctx;
    if (l->n < l->max) {
        l->ids[l->n++] = db_column_int(st, 0);
    }
}

int store_patrol_permits(struct db *db, size_t max, int64_t *permit_ids, size_t *n)
{
    struct db_stmt *st;
    struct id_list l = {permit_ids, 0, max};
    int rc =
        db_queryf(db, &st, "SELECT id FROM permits WHERE status = 'active' ORDER BY id LIMIT ?1",
                  "i", (int64_t)max);
    rc = rc ? rc : db_each(st, id_row, &l);
    *n = l.n;
    return rc;
}

/* ---------------- self-check tasks ---------------- */

int store_patrol_selfcheck_targets(struct db *db, int64_t after_id, size_t max, int64_t *ids,
                                   size_t *n)
{
    struct db_stmt *st;
    struct id_list l = {ids, 0, max};
    int rc = db_queryf(
        db, &st,
        "SELECT e.id FROM enterprises e WHERE e.id > ?1 AND e.status = 'active' AND (EXISTS"
        " (SELECT 1 FROM permit_clauses c WHERE c.enterprise_id = e.id AND c.status = 'active')"
        " OR EXISTS (SELECT 1 FROM points pt WHERE pt.enterprise_id = e.id AND pt.status ="
        " 'active')) ORDER BY e.id LIMIT ?2",
        "ii", after_id, (int64_t)max);
    rc = rc ? rc : db_each(st, id_row, &l);
    *n = l.n;
    return rc;
}

/* The clauses due this month: monthly always, quarterly and yearly when the month is theirs. */
static const char GEN_CLAUSES[] =
    "INSERT INTO selfcheck_tasks (enterprise_id, region_code, period, month, duty_key,"
    " clause_id, point_id, duty, title, due_on, status, created_at, updated_at)"
    " SELECT c.enterprise_id, e.region_code, CASE c.frequency WHEN 'monthly' THEN ?2 WHEN"
    " 'quarterly' THEN ?3 ELSE ?4 END, ?2, 'clause:' || CAST(c.id AS TEXT), c.id, NULL, c.duty,"
    " p.number || ' ' || c.code, ?5, 'open', ?6, ?6 FROM permit_clauses c JOIN permits p ON p.id"
    " = c.permit_id JOIN enterprises e ON e.id = c.enterprise_id WHERE c.enterprise_id = ?1 AND"
    " c.status = 'active' AND p.status = 'active' AND p.valid_to >= ?7 AND (c.frequency ="
    " 'monthly' OR (c.frequency = 'quarterly' AND ?8 = 1) OR (c.frequency = 'yearly' AND ?9 ="
    " 1)) ON CONFLICT (enterprise_id, period, duty_key) DO NOTHING";

/* A monitoring duty of every active point: key, duty, title suffix; period ?3. */
static const char GEN_POINTS[] =
    "INSERT INTO selfcheck_tasks (enterprise_id, region_code, period, month, duty_key,"
    " clause_id, point_id, duty, title, due_on, status, created_at, updated_at)"
    " SELECT pt.enterprise_id, e.region_code, ?3, ?2, 'point:' || CAST(pt.id AS TEXT) || ':' ||"
    " ?4, NULL, pt.id, ?4, pt.name || ' ' || ?5, ?6, 'open', ?7, ?7 FROM points pt JOIN"
    " enterprises e ON e.id = pt.enterprise_id WHERE pt.enterprise_id = ?1 AND pt.status ="
    " 'active' ON CONFLICT (enterprise_id, period, duty_key) DO NOTHING";

int store_patrol_selfcheck_generate(struct db *db, int64_t enterprise_id,
                                    const struct patrol_gen *g, int64_t *created)
{
    *created = 0;
    int rc = db_runf(db, GEN_CLAUSES, "ittttttii", enterprise_id, g->month, g->quarter, g->year,
                     g->due_on, g->now, g->month_start, (int64_t)g->quarterly_due,
                     (int64_t)g->yearly_due);
    *created += rc ? 0 : db_changes(db);
    /* 在线监测设施正常运行 every month; 校准、比对记录 each quarter */
    if (!rc) {
        rc = db_runf(db, GEN_POINTS, "itttttt", enterprise_id, g->month, g->month,
                     "online_monitoring", "在线监测设施正常运行、数据有效传输", g->due_on, g->now);
        *created += rc ? 0 : db_changes(db);
    }
    if (!rc && g->quarterly_due) {
        rc = db_runf(db, GEN_POINTS, "itttttt", enterprise_id, g->month, g->quarter, "calibration",
                     "在线监测设备校准、比对记录", g->due_on, g->now);
        *created += rc ? 0 : db_changes(db);
    }
    return rc;
}

int store_patrol_selfcheck_get(struct db *db, int64_t id, struct patrol_task_row *o)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, enterprise_id, COALESCE(clause_id, 0), COALESCE(point_id, 0),"
                       " COALESCE(problem_id, 0), region_code, period, month, duty_key, duty,"
                       " status, due_on, title FROM selfcheck_tasks WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc == DB_ROW) {
        o->id = db_column_int(st, 0);
        o->enterprise_id = db_column_int(st, 1);
        o->clause_id = db_column_int(st, 2);
        o->point_id = db_column_int(st, 3);
        o->problem_id = db_column_int(st, 4);
        db_column_copy(st, 5, o->region_code, sizeof o->region_code);
        db_column_copy(st, 6, o->period, sizeof o->period);
        db_column_copy(st, 7, o->month, sizeof o->month);
        db_column_copy(st, 8, o->duty_key, sizeof o->duty_key);
        db_column_copy(st, 9, o->duty, sizeof o->duty);
        db_column_copy(st, 10, o->status, sizeof o->status);
        db_column_copy(st, 11, o->due_on, sizeof o->due_on);
        db_column_copy(st, 12, o->title, sizeof o->title);
        rc = 0;
    } else {
        rc = rc < 0 ? rc : ERR_NOTFOUND;
    }
    db_done(st);
    return rc;
}

int store_patrol_selfcheck_answer(struct db *db, int64_t id, const char *status, const char *answer,
                                  int64_t by, int64_t problem_id, const char *now)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "UPDATE selfcheck_tasks SET status = ?2, answer = ?3, answered_by = ?4,"
                       " answered_at = ?5, problem_id = ?6, updated_at = ?5 WHERE id = ?1 AND"
                       " status = 'open'",
                       "ittit", id, status, answer, by, now);
    if (!rc) {
        rc = problem_id ? db_bind_int(st, 6, problem_id) : db_bind_null(st, 6);
        rc = rc ? rc : db_step(st);
        db_done(st);
        rc = rc < 0 ? rc : 0;
    }
    return rc ? rc : db_changes(db) ? 0 : ERR_CONFLICT;
}

#define TASK_FROM                                                                                  \
    "FROM selfcheck_tasks t JOIN enterprises e ON e.id = t.enterprise_id LEFT JOIN"                \
    " permit_clauses c ON c.id = t.clause_id WHERE 1=1"

int store_patrol_selfcheck_list(struct db *db, const struct scope *sc,
                                const struct patrol_task_query *q, struct buf *out)
{
    struct qb b;
    qb_init(&b);
    char pat[256], rp[40];
    int today = qb_text(&b, q->today);
    buf_puts(&b.sql, TASK_FROM);
    if (q->enterprise_id > 0) {
        buf_printf(&b.sql, " AND t.enterprise_id = ?%d", qb_int(&b, q->enterprise_id));
    }
    if (q->status && !strcmp(q->status, "overdue")) {
        buf_printf(&b.sql, " AND t.status = 'open' AND t.due_on < ?%d", today);
    } else if (q->status && *q->status) {
        buf_printf(&b.sql, " AND t.status = ?%d", qb_text(&b, q->status));
    }
    if (q->month && *q->month) {
        buf_printf(&b.sql, " AND t.month = ?%d", qb_text(&b, q->month));
    }
    if (q->region && *q->region) {
        buf_printf(&b.sql, " AND t.region_code LIKE ?%d ESCAPE '\\'",
                   qb_text(&b, like_pat(q->region, true, rp, sizeof rp)));
    }
    if (q->q && *q->q) {
        int k = qb_text(&b, like_pat(q->q, false, pat, sizeof pat));
        buf_printf(&b.sql, " AND (e.name LIKE ?%d ESCAPE '\\' OR t.title LIKE ?%d ESCAPE '\\')", k,
                   k);
    }
    qb_scope(&b, sc, "t.enterprise_id", "t.region_code");
    const char *order = "t.due_on, t.id";
    if (q->sort && !strcmp(q->sort, "enterprise")) {
        order = q->desc ? "e.name DESC, t.id" : "e.name, t.id";
    } else if (q->sort && !strcmp(q->sort, "status")) {
        order = q->desc ? "t.status DESC, t.id" : "t.status, t.id";
    } else if (q->sort && !strcmp(q->sort, "month")) {
        order = q->desc ? "t.month DESC, t.id DESC" : "t.month, t.id";
    } else if (q->desc) {
        order = "t.due_on DESC, t.id DESC";
    }
    char cols[900];
    snprintf(cols, sizeof cols,
             "t.id, t.enterprise_id, e.name AS enterprise_name, t.region_code, t.period, t.month,"
             " t.duty_key, t.clause_id, t.point_id, t.duty, t.title, COALESCE(c.text, '') AS"
             " clause_text, t.due_on, t.status, t.answer, t.answered_at, t.problem_id, CASE WHEN"
             " t.status = 'open' AND t.due_on < ?%d THEN 1 ELSE 0 END AS overdue",
             today);
    int rc = qb_page(db, &b, cols, order, q->limit, q->offset, out);
    buf_release(&b.sql);
    return rc;
}

int store_patrol_selfcheck_todo_own(struct db *db, int64_t enterprise_id, const char *today,
                                    const char *soon, size_t limit, struct buf *out, size_t *n,
                                    int64_t *total, int64_t *overdue)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_on < ?2 THEN 1 ELSE 0 END),"
                       " 0) FROM selfcheck_tasks WHERE enterprise_id = ?1 AND status = 'open' AND"
                       " due_on <= ?3",
                       "itt", enterprise_id, today, soon);
    if (rc) {
        return rc;
    }
    if ((rc = db_step(st)) == DB_ROW) {
        *total = db_column_int(st, 0);
        *overdue = db_column_int(st, 1);
        rc = 0;
    }
    db_done(st);
    if (rc < 0 || !out) {
        return rc < 0 ? rc : 0;
    }
    rc =
        db_queryf(db, &st,
                  "SELECT 'selfcheck' AS source, id, '企业自查：' || title AS title, enterprise_id,"
                  " due_on, CASE WHEN due_on < ?2 THEN 'overdue' ELSE 'due_soon' END AS clock,"
                  " '/patrol/selfchecks' AS href, 'pt_kind_selfcheck' AS kind_key FROM"
                  " selfcheck_tasks WHERE enterprise_id = ?1 AND status = 'open' AND due_on <= ?3"
                  " ORDER BY due_on, id LIMIT ?4",
                  "itti", enterprise_id, today, soon, (int64_t)limit);
    if (!rc) {
        rc = db_rows_json(st, 1, 0, out, n);
        db_done(st);
    }
    return rc;
}

int store_patrol_selfcheck_todo_staff(struct db *db, const struct scope *sc, const char *today,
                                      size_t limit, struct buf *out, size_t *n, int64_t *total)
{
    struct qb b;
    qb_init(&b);
    int t = qb_text(&b, today);
    buf_printf(&b.sql,
               "FROM selfcheck_tasks t JOIN enterprises e ON e.id = t.enterprise_id WHERE"
               " t.status = 'open' AND t.due_on < ?%d",
               t);
    qb_scope(&b, sc, "t.enterprise_id", "t.region_code");
    struct qb c;
    qb_init(&c);
    buf_printf(&c.sql, "SELECT COUNT(DISTINCT t.enterprise_id) %s", b.sql.p);
    qb_copy(&c, &b);
    struct db_stmt *st = NULL;
    int rc = qb_prepare(db, &c, &st);
    rc = rc ? rc : db_step_id(st, total);
    buf_release(&c.sql);
    if (!rc && out) {
        struct qb l;
        qb_init(&l);
        buf_printf(
            &l.sql,
            "SELECT 'selfcheck_overdue' AS source, t.enterprise_id AS id, '企业自查逾期：' ||"
            " e.name || '（' || CAST(COUNT(*) AS TEXT) || '项）' AS title, t.enterprise_id,"
            " MIN(t.due_on) AS due_on, 'overdue' AS clock, '/patrol/selfchecks?enterprise='"
            " || CAST(t.enterprise_id AS TEXT) || '&status=overdue' AS href,"
            " 'pt_kind_selfcheck' AS kind_key %s GROUP BY t.enterprise_id, e.name ORDER BY"
            " MIN(t.due_on), t.enterprise_id LIMIT ?%d",
            b.sql.p, b.n + 1);
        qb_copy(&l, &b);
        qb_int(&l, (int64_t)limit);
        rc = qb_prepare(db, &l, &st);
        if (!rc) {
            rc = db_rows_json(st, 1, 0, out, n);
            db_done(st);
        }
        buf_release(&l.sql);
    }
    buf_release(&b.sql);
    return rc;
}

/* ---------------- local patrol rounds ---------------- */

int store_patrol_round_insert(struct db *db, const struct patrol_round_new *in, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO patrol_rounds (enterprise_id, region_code, org_unit_id,"
                       " patrolled_on, patroller_id, patroller_name, note, outcome, n_problems,"
                       " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                       " ?10) RETURNING id",
                       "itititttit", in->enterprise_id, in->region_code, in->org_unit_id,
                       in->patrolled_on, in->patroller_id, in->patroller_name, in->note,
                       in->outcome, in->n_problems, in->now);
    if (!rc && !in->org_unit_id) {
        db_bind_null(st, 3);
    }
    if (!rc && !in->patroller_id) {
        db_bind_null(st, 5);
    }
    return rc ? rc : db_step_id(st, id);
}

#define ROUND_COLS                                                                                 \
    "t.id, t.enterprise_id, e.name AS enterprise_name, t.region_code, COALESCE((SELECT name FROM"  \
    " regions WHERE code = t.region_code), '') AS region_name, t.org_unit_id, COALESCE((SELECT"    \
    " name FROM org_units WHERE id = t.org_unit_id), '') AS org_unit_name, t.patrolled_on,"        \
    " t.patroller_id, t.patroller_name, t.note, t.outcome, t.n_problems, t.created_at"

int store_patrol_rounds_list(struct db *db, const struct scope *sc,
                             const struct patrol_round_query *q, struct buf *out)
{
    struct qb b;
    qb_init(&b);
    char pat[256], rp[40];
    buf_puts(&b.sql, "FROM patrol_rounds t JOIN enterprises e ON e.id = t.enterprise_id WHERE 1=1");
    if (q->enterprise_id > 0) {
        buf_printf(&b.sql, " AND t.enterprise_id = ?%d", qb_int(&b, q->enterprise_id));
    }
    if (q->from && *q->from) {
        buf_printf(&b.sql, " AND t.patrolled_on >= ?%d", qb_text(&b, q->from));
    }
    if (q->to && *q->to) {
        buf_printf(&b.sql, " AND t.patrolled_on <= ?%d", qb_text(&b, q->to));
    }
    if (q->outcome && *q->outcome) {
        buf_printf(&b.sql, " AND t.outcome = ?%d", qb_text(&b, q->outcome));
    }
    if (q->region && *q->region) {
        buf_printf(&b.sql, " AND t.region_code LIKE ?%d ESCAPE '\\'",
                   qb_text(&b, like_pat(q->region, true, rp, sizeof rp)));
    }
    if (q->q && *q->q) {
        buf_printf(&b.sql, " AND e.name LIKE ?%d ESCAPE '\\'",
                   qb_text(&b, like_pat(q->q, false, pat, sizeof pat)));
    }
    qb_scope(&b, sc, "t.enterprise_id", "t.region_code");
    const char *order = q->desc ? "t.patrolled_on DESC, t.id DESC" : "t.patrolled_on, t.id";
    if (q->sort && !strcmp(q->sort, "enterprise")) {
        order = q->desc ? "e.name DESC, t.id" : "e.name, t.id";
    } else if (q->sort && !strcmp(q->sort, "outcome")) {
        order = q->desc ? "t.outcome DESC, t.id" : "t.outcome, t.id";
    }
    int rc = qb_page(db, &b, ROUND_COLS, order, q->limit, q->offset, out);
    buf_release(&b.sql);
    return rc;
}

int store_patrol_round_json(struct db *db, const struct scope *sc, int64_t id, struct buf *out)
{
    struct qb b;
    qb_init(&b);
    buf_printf(&b.sql,
               "SELECT " ROUND_COLS " FROM patrol_rounds t JOIN enterprises e ON e.id ="
               " t.enterprise_id WHERE t.id = ?%d",
               qb_int(&b, id));
    qb_scope(&b, sc, "t.enterprise_id", "t.region_code");
    struct db_stmt *st;
    int rc = qb_prepare(db, &b, &st);
    if (!rc) {
        rc = db_step(st);
        if (rc == DB_ROW) {
            db_row_json(st, out);
            rc = 0;
        } else {
            rc = rc < 0 ? rc : ERR_NOTFOUND;
        }
        db_done(st);
    }
    buf_release(&b.sql);
    return rc;
}

/* ---------------- counts by level ---------------- */

/* Each part gives (month, region_code, level, sent, found, closed) rows; the scope applies to
   t.enterprise_id / t.region_code of each part. Enforcement tasks are the inspection cases
   (their month: opened_at's first seven characters, UTC — the day boundary is off by eight
   hours, which a monthly count tolerates). */
int store_patrol_counts(struct db *db, const struct scope *sc, const char *from, const char *to,
                        const char *region, struct buf *out)
{
    static const char *const PARTS[] = {
        "SELECT t.month AS month, t.region_code AS region_code, 'enterprise' AS level, 1 AS"
        " sent, 0 AS found, 0 AS closed FROM selfcheck_tasks t WHERE t.month >= ?1 AND"
        " t.month <= ?2 AND t.region_code LIKE ?3 ESCAPE '\\'",
        "SELECT substr(t.patrolled_on, 1, 7), t.region_code, 'local', 1, 0, 0 FROM patrol_rounds"
        " t WHERE substr(t.patrolled_on, 1, 7) >= ?1 AND substr(t.patrolled_on, 1, 7) <= ?2 AND"
        " t.region_code LIKE ?3 ESCAPE '\\'",
        "SELECT substr(t.opened_at, 1, 7), t.region_code, 'enforcement', 1, 0, 0 FROM cases t"
        " WHERE t.type = 'inspection' AND substr(t.opened_at, 1, 7) >= ?1 AND"
        " substr(t.opened_at, 1, 7) <= ?2 AND t.region_code LIKE ?3 ESCAPE '\\'",
        "SELECT substr(t.found_on, 1, 7), t.region_code, t.level, 0, 1, 0 FROM problems t WHERE"
        " substr(t.found_on, 1, 7) >= ?1 AND substr(t.found_on, 1, 7) <= ?2 AND t.region_code"
        " LIKE ?3 ESCAPE '\\'",
        "SELECT substr(t.closed_on, 1, 7), t.region_code, t.level, 0, 0, 1 FROM problems t WHERE"
        " t.status = 'closed' AND substr(t.closed_on, 1, 7) >= ?1 AND substr(t.closed_on, 1, 7)"
        " <= ?2 AND t.region_code LIKE ?3 ESCAPE '\\'",
    };
    struct qb b;
    qb_init(&b);
    char rp[40];
    qb_text(&b, from);
    qb_text(&b, to);
    qb_text(&b, like_pat(region ? region : "", true, rp, sizeof rp));
    buf_puts(&b.sql, "SELECT x.month, x.region_code, COALESCE(r.name, '') AS region_name,"
                     " x.level, SUM(x.sent) AS sent, SUM(x.found) AS found, SUM(x.closed) AS"
                     " closed FROM (");
    for (size_t i = 0; i < ARRAY_LEN(PARTS); i++) {
        buf_printf(&b.sql, "%s%s", i ? " UNION ALL " : "", PARTS[i]);
        qb_scope(&b, sc, "t.enterprise_id", "t.region_code");
    }
    buf_puts(&b.sql, ") x LEFT JOIN regions r ON r.code = x.region_code GROUP BY x.month,"
                     " x.region_code, r.name, x.level ORDER BY x.month, x.region_code, x.level");
    struct db_stmt *st;
    size_t n = 0;
    int rc = qb_prepare(db, &b, &st);
    if (!rc) {
        rc = db_rows_json(st, 1, 0, out, &n);
        db_done(st);
    }
    buf_release(&b.sql);
    return rc;
}

static const struct field_def selfcheck_fields[] = {
    {"status", FK_TEXT, FF_SERVER | FF_FILTER, 16, NULL, 0, 0},
};

const struct entity_def ENTITY_SELFCHECK_TASK = {"selfcheck_task",
                                                 "selfcheck_tasks",
                                                 "t.id, t.enterprise_id, t.title, t.status",
                                                 selfcheck_fields,
                                                 1,
                                                 "enterprise_id",
                                                 NULL,
                                                 "id",
                                                 NULL,
                                                 NULL};

const struct audit_kind patrol_audit_kinds[] = {
    {"permit_clause",
     "(SELECT p.number || ' ' || c.code FROM permit_clauses c JOIN permits p ON p.id ="
     " c.permit_id WHERE c.id = ?5)",
     "SELECT id FROM permit_clauses WHERE enterprise_id = ?1"},
    {"selfcheck_task",
     "(SELECT e.name || ' · ' || t.title || ' · ' || t.period FROM selfcheck_tasks t JOIN"
     " enterprises e ON e.id = t.enterprise_id WHERE t.id = ?5)",
     "SELECT id FROM selfcheck_tasks WHERE enterprise_id = ?1"},
    {"patrol_round",
     "(SELECT e.name || ' · ' || r.patrolled_on FROM patrol_rounds r JOIN enterprises e ON e.id"
     " = r.enterprise_id WHERE r.id = ?5)",
     "SELECT id FROM patrol_rounds WHERE enterprise_id = ?1"},
    {0},
};
