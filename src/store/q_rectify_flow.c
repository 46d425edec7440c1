/*
** Rectification workflow queries (q_rectify_flow.h). An order's clock state is read from its
** case (cases.due_at / soon_at / is_open against now, UTC ISO text compared as text); the board
** filters on the same expression it shows.
*/
#include "store/q_rectify_flow.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/qb.h"

int store_rectify_submission_add(struct db *db, int64_t order_id, const char *evidence, int64_t by,
                                 const char *by_name, bool late, const char *now, int64_t *id,
                                 int64_t *seq)
{
    struct db_stmt *st;
    *seq = 0;
    int rc = db_queryf(db, &st,
                       "SELECT COALESCE(MAX(seq), 0) + 1 FROM rectify_submissions WHERE order_id ="
                       " ?1",
                       "i", order_id);
    rc = rc ? rc : db_step_id(st, seq);
    rc = rc ? rc
            : db_queryf(db, &st,
                        "INSERT INTO rectify_submissions (order_id, seq, evidence, submitted_by,"
                        " submitted_by_name, submitted_at, late) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
                        " ?7) RETURNING id",
                        "iititti", order_id, *seq, evidence, by, by_name, now, (int64_t)late);
    if (!rc && !by) {
        db_bind_null(st, 4);
    }
    return rc ? rc : db_step_id(st, id);
}

int store_rectify_submission_verdict(struct db *db, int64_t order_id, const char *verdict,
                                     const char *reason, int64_t by, const char *by_name,
                                     const char *now)
{
    int rc = db_runf(db,
                     "UPDATE rectify_submissions SET verdict = ?2, verdict_reason = ?3, verdict_by"
                     " = ?4, verdict_by_name = ?5, verdict_at = ?6 WHERE order_id = ?1 AND verdict"
                     " = '' AND seq = (SELECT MAX(seq) FROM rectify_submissions WHERE order_id ="
                     " ?1)",
                     "ittitt", order_id, verdict, reason, by, by_name, now);
    return rc ? rc : db_changes(db) ? 0 : ERR_CONFLICT;
}

/* The clock state of the order's case at ?N. */
static void clock_expr(struct buf *sql, int now)
{
    buf_printf(sql,
               "(CASE WHEN c.id IS NULL THEN 'none' WHEN c.is_open = 0 THEN 'stopped' WHEN c.due_at"
               " IS NULL THEN 'none' WHEN c.due_at < ?%d THEN 'overdue' WHEN c.soon_at <= ?%d THEN"
               " 'due_soon' ELSE 'on_track' END)",
               now, now);
}

#define BOARD_FROM                                                                                 \
    " FROM rectify_orders t JOIN enterprises e ON e.id = t.enterprise_id LEFT JOIN problems p ON"  \
    " p.id = t.problem_id LEFT JOIN cases c ON c.id = t.case_id LEFT JOIN users u ON u.id ="       \
    " t.verifier_user_id WHERE 1=1"

static void board_cols(struct buf *b, int now)
{
    buf_puts(b, "t.id, t.enterprise_id, e.name AS enterprise_name, t.region_code, COALESCE((SELECT"
                " name FROM regions WHERE code = t.region_code), '') AS region_name, t.problem_id,"
                " COALESCE(p.level, '') AS level, COALESCE(p.category, '') AS category,"
                " COALESCE(p.description, '') AS problem_description, t.origin, t.requirement,"
                " t.workdays, t.due_on, t.status, t.verifier_user_id, COALESCE(u.display_name, '')"
                " AS verifier_name, t.case_id, c.due_at, c.escalated_at, t.verified_on,"
                " t.created_at, (SELECT COUNT(*) FROM rectify_submissions s WHERE s.order_id ="
                " t.id) AS n_submissions, ");
    clock_expr(b, now);
    buf_puts(b, " AS clock");
}

/* The filters other than status and clock. */
static void board_where(struct qb *b, const struct scope *sc, const struct rectify_board_query *q,
                        char *pat, size_t patcap, char *rp, size_t rpcap)
{
    if (q->level && *q->level) {
        buf_printf(&b->sql, " AND p.level = ?%d", qb_text(b, q->level));
    }
    if (q->region && *q->region) {
        buf_printf(&b->sql, " AND t.region_code LIKE ?%d ESCAPE '\\'",
                   qb_text(b, like_pat(q->region, true, rp, rpcap)));
    }
    if (q->q && *q->q) {
        buf_printf(&b->sql, " AND e.name LIKE ?%d ESCAPE '\\'",
                   qb_text(b, like_pat(q->q, false, pat, patcap)));
    }
    if (q->enterprise_id > 0) {
        buf_printf(&b->sql, " AND t.enterprise_id = ?%d", qb_int(b, q->enterprise_id));
    }
    if (q->problem_id > 0) {
        buf_printf(&b->sql, " AND t.problem_id = ?%d", qb_int(b, q->problem_id));
    }
    qb_scope(b, sc, "t.enterprise_id", "t.region_code");
}

static int board_summary(struct db *db, const struct scope *sc, const struct rectify_board_query *q,
                         struct buf *out)
{
    struct qb b;
    qb_init(&b);
    char pat[256], rp[40];
    int now = qb_text(&b, q->now);
    buf_puts(&b.sql, "SELECT t.status, ");
    clock_expr(&b.sql, now);
    buf_puts(&b.sql, " AS clock, COUNT(*)" BOARD_FROM);
    board_where(&b, sc, q, pat, sizeof pat, rp, sizeof rp);
    buf_puts(&b.sql, " GROUP BY t.status, 2");
    struct db_stmt *st = NULL;
    int rc = qb_prepare(db, &b, &st);
    static const char *const STATUS[] = {"issued", "submitted", "returned", "verified",
                                         "overdue_closed"};
    static const char *const CLOCK[] = {"overdue", "due_soon", "on_track", "stopped", "none"};
    int64_t ns[5] = {0}, nc[5] = {0};
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        const char *s = db_column_text(st, 0, NULL), *c = db_column_text(st, 1, NULL);
        int64_t n = db_column_int(st, 2);
        for (size_t i = 0; i < 5; i++) {
            ns[i] += strcmp(s, STATUS[i]) ? 0 : n;
            nc[i] += strcmp(c, CLOCK[i]) ? 0 : n;
        }
        rc = 0;
    }
    if (rc >= 0 && st) {
        db_done(st);
    }
    buf_release(&b.sql);
    if (rc < 0) {
        return rc;
    }
    buf_puts(out, ",\"summary\":{\"by_status\":{");
    for (size_t i = 0; i < 5; i++) {
        buf_printf(out, "%s\"%s\":%lld", i ? "," : "", STATUS[i], (long long)ns[i]);
    }
    buf_puts(out, "},\"by_clock\":{");
    for (size_t i = 0; i < 5; i++) {
        buf_printf(out, "%s\"%s\":%lld", i ? "," : "", CLOCK[i], (long long)nc[i]);
    }
    buf_puts(out, "}}");
    return 0;
}

int store_rectify_board(struct db *db, const struct scope *sc, const struct rectify_board_query *q,
                        struct buf *out)
{
    struct qb b;
    qb_init(&b);
    char pat[256], rp[40];
    int now = qb_text(&b, q->now);
    buf_puts(&b.sql, BOARD_FROM);
    board_where(&b, sc, q, pat, sizeof pat, rp, sizeof rp);
    if (q->status && !strcmp(q->status, "open")) {
        buf_puts(&b.sql, " AND t.status IN ('issued', 'submitted', 'returned')");
    } else if (q->status && *q->status) {
        buf_printf(&b.sql, " AND t.status = ?%d", qb_text(&b, q->status));
    }
    if (q->clock && *q->clock) {
        buf_puts(&b.sql, " AND ");
        clock_expr(&b.sql, now);
        buf_printf(&b.sql, " = ?%d", qb_text(&b, q->clock));
    }
    const char *order =
        q->desc ? "COALESCE(t.due_on, '9999') DESC, t.id DESC" : "COALESCE(t.due_on, '9999'), t.id";
    if (q->sort && !strcmp(q->sort, "enterprise")) {
        order = q->desc ? "e.name DESC, t.id" : "e.name, t.id";
    } else if (q->sort && !strcmp(q->sort, "status")) {
        order = q->desc ? "t.status DESC, t.id" : "t.status, t.id";
    } else if (q->sort && !strcmp(q->sort, "created")) {
        order = q->desc ? "t.id DESC" : "t.id";
    }
    struct buf cols;
    buf_init(&cols, 1 << 12);
    board_cols(&cols, now);
    /* qb_page ends the object; the summary goes in before its closing brace */
    int rc = qb_page(db, &b, cols.p, order, q->limit, q->offset, out);
    buf_release(&cols);
    buf_release(&b.sql);
    if (!rc && out->len && out->p[out->len - 1] == '}') {
        out->len--;
        rc = board_summary(db, sc, q, out);
        buf_putc(out, '}');
    }
    return rc;
}

int store_rectify_order_json(struct db *db, const struct scope *sc, int64_t id, const char *now,
                             struct buf *out)
{
    struct qb b;
    qb_init(&b);
    int n = qb_text(&b, now);
    buf_puts(&b.sql, "SELECT ");
    board_cols(&b.sql, n);
    buf_puts(&b.sql, ", COALESCE(p.clause, '') AS clause, COALESCE(p.found_on, '') AS found_on,"
                     " COALESCE(p.status, '') AS problem_status, COALESCE(p.source_kind, '') AS"
                     " source_kind, c.soon_at, c.state AS case_state" BOARD_FROM);
    buf_printf(&b.sql, " AND t.id = ?%d", qb_int(&b, id));
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
    if (rc) {
        return rc;
    }
    out->len--; /* the object's closing brace: the submissions go in */
    rc = db_queryf(db, &st,
                   "SELECT id, seq, evidence, submitted_by, submitted_by_name, submitted_at, late,"
                   " verdict, verdict_reason, verdict_by_name, verdict_at FROM rectify_submissions"
                   " WHERE order_id = ?1 ORDER BY seq",
                   "i", id);
    size_t k = 0;
    buf_puts(out, ",\"submissions\":");
    if (!rc) {
        rc = db_rows_json(st, 1, 0, out, &k);
        db_done(st);
    }
    buf_putc(out, '}');
    return rc;
}

int store_rectify_problems_list(struct db *db, const struct scope *sc,
                                const struct rectify_problem_query *q, struct buf *out)
{
    struct qb b;
    qb_init(&b);
    char pat[256], rp[40];
    buf_puts(&b.sql, "FROM problems t JOIN enterprises e ON e.id = t.enterprise_id WHERE 1=1");
    const char *const eq[][2] = {
        {"t.status", q->status}, {"t.level", q->level}, {"t.source_kind", q->source_kind}};
    for (size_t i = 0; i < ARRAY_LEN(eq); i++) {
        if (eq[i][1] && *eq[i][1]) {
            buf_printf(&b.sql, " AND %s = ?%d", eq[i][0], qb_text(&b, eq[i][1]));
        }
    }
    if (q->region && *q->region) {
        buf_printf(&b.sql, " AND t.region_code LIKE ?%d ESCAPE '\\'",
                   qb_text(&b, like_pat(q->region, true, rp, sizeof rp)));
    }
    if (q->q && *q->q) {
        int k = qb_text(&b, like_pat(q->q, false, pat, sizeof pat));
        buf_printf(&b.sql,
                   " AND (e.name LIKE ?%d ESCAPE '\\' OR t.description LIKE ?%d ESCAPE '\\')", k,
                   k);
    }
    if (q->enterprise_id > 0) {
        buf_printf(&b.sql, " AND t.enterprise_id = ?%d", qb_int(&b, q->enterprise_id));
    }
    if (q->source_id > 0) {
        buf_printf(&b.sql, " AND t.source_id = ?%d", qb_int(&b, q->source_id));
    }
    qb_scope(&b, sc, "t.enterprise_id", "t.region_code");
    int rc = qb_page(db, &b,
                     "t.id, t.enterprise_id, e.name AS enterprise_name, t.region_code, t.level,"
                     " t.source_kind, t.source_id, t.category, t.description, t.clause,"
                     " t.found_on, t.status, t.closed_on, (SELECT COUNT(*) FROM rectify_orders o"
                     " WHERE o.problem_id = t.id) AS n_orders, (SELECT COUNT(*) FROM"
                     " rectify_orders o WHERE o.problem_id = t.id AND o.status = 'verified') AS"
                     " n_verified",
                     "t.id DESC", q->limit, q->offset, out);
    buf_release(&b.sql);
    return rc;
}
