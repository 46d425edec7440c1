/*
** Penalty-case queries (q_penalty.h). Lists are built with their parameters numbered in the
** order they appear (PostgreSQL types each number it sees; none is left out), the scope
** condition on the enterprise alias e among them.
*/
#include "store/q_penalty.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/qb.h"
#include "store/scope.h"

#define ROW_COLS                                                                                   \
    "p.id, p.enterprise_id, COALESCE(p.problem_id, 0), COALESCE(p.case_id, 0),"                    \
    " p.hearing_requested, p.advisory_yuan, p.amount_yuan, p.discretion_rule_set_id,"              \
    " p.discretion_rule_version, p.exempt_rule_set_id, p.exempt_rule_version,"                     \
    " COALESCE(p.notice_document_id, 0), COALESCE(p.decision_document_id, 0),"                     \
    " COALESCE(p.rectify_order_id, 0), COALESCE(p.credit_event_id, 0), p.published,"               \
    " p.region_code, p.violation_type, p.status, p.found_on, p.filed_on,"                          \
    " COALESCE(p.noticed_on, ''), COALESCE(p.decided_on, ''), COALESCE(p.executed_on, ''),"        \
    " COALESCE(p.closed_on, ''), p.outcome, p.mitigation, p.mitigation_basis, p.exempt_item,"      \
    " p.decision_no, e.name, e.industry_code, COALESCE(c.state, ''), COALESCE(c.org_unit_id, 0)"

int store_penalty_get(struct db *db, int64_t id, struct pen_row *o)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT " ROW_COLS " FROM penalty_cases p JOIN enterprises e ON e.id ="
                       " p.enterprise_id LEFT JOIN cases c ON c.id = p.case_id WHERE p.id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc != DB_ROW) {
        db_done(st);
        return rc < 0 ? rc : ERR_NOTFOUND;
    }
    memset(o, 0, sizeof *o);
    int64_t *ints[] = {&o->id,
                       &o->enterprise_id,
                       &o->problem_id,
                       &o->case_id,
                       &o->hearing_requested,
                       &o->advisory_yuan,
                       &o->amount_yuan,
                       &o->discretion_rule_set_id,
                       &o->discretion_rule_version,
                       &o->exempt_rule_set_id,
                       &o->exempt_rule_version,
                       &o->notice_document_id,
                       &o->decision_document_id,
                       &o->rectify_order_id,
                       &o->credit_event_id,
                       &o->published};
    int i = 0;
    for (; i < (int)ARRAY_LEN(ints); i++) {
        *ints[i] = db_column_int(st, i);
    }
    struct {
        char *p;
        size_t n;
    } txt[] = {{o->region_code, sizeof o->region_code},
               {o->violation_type, sizeof o->violation_type},
               {o->status, sizeof o->status},
               {o->found_on, sizeof o->found_on},
               {o->filed_on, sizeof o->filed_on},
               {o->noticed_on, sizeof o->noticed_on},
               {o->decided_on, sizeof o->decided_on},
               {o->executed_on, sizeof o->executed_on},
               {o->closed_on, sizeof o->closed_on},
               {o->outcome, sizeof o->outcome},
               {o->mitigation, sizeof o->mitigation},
               {o->mitigation_basis, sizeof o->mitigation_basis},
               {o->exempt_item, sizeof o->exempt_item},
               {o->decision_no, sizeof o->decision_no},
               {o->enterprise_name, sizeof o->enterprise_name},
               {o->industry_code, sizeof o->industry_code},
               {o->case_state, sizeof o->case_state}};
    for (size_t k = 0; k < ARRAY_LEN(txt); k++, i++) {
        db_column_copy(st, i, txt[k].p, txt[k].n);
    }
    o->org_unit_id = db_column_int(st, i);
    db_done(st);
    return 0;
}

#define JSON_COLS                                                                                  \
    "p.id, p.enterprise_id, e.name AS enterprise_name, e.uscc, e.industry_code, p.region_code,"    \
    " COALESCE((SELECT name FROM regions WHERE code = p.region_code), '') AS region_name,"         \
    " p.problem_id, p.case_id, p.violation_type, p.status, p.title, p.facts, p.found_on,"          \
    " p.filed_on, p.noticed_on, p.hearing_requested, p.factors AS factors_json, p.mitigation,"     \
    " p.mitigation_basis, p.advisory_yuan, p.reasoning AS reasoning_json, p.amount_yuan,"          \
    " p.departure_reason, p.discretion_rule_set_id, p.discretion_rule_version, p.exempt_item,"     \
    " p.exempt_eval AS exempt_eval_json, p.exempt_rule_set_id, p.exempt_rule_version, p.outcome,"  \
    " p.decided_on, p.decision_no, p.notice_document_id, p.decision_document_id, p.education,"     \
    " p.rectify_order_id, p.credit_event_id, p.executed_on, p.closed_on, p.published,"             \
    " p.published_at, p.created_by_name, p.created_at, p.updated_at, c.state AS case_state,"       \
    " c.due_at AS case_due_at, (SELECT d.attachment_id FROM documents d WHERE d.id ="              \
    " p.notice_document_id) AS notice_attachment_id, (SELECT d.attachment_id FROM documents d"     \
    " WHERE d.id = p.decision_document_id) AS decision_attachment_id, (SELECT d.verify_token"      \
    " FROM documents d WHERE d.id = p.decision_document_id) AS decision_verify_token,"             \
    " (SELECT d.number FROM documents d WHERE d.id = p.notice_document_id) AS notice_no"

int store_penalty_json(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT " JSON_COLS " FROM penalty_cases p JOIN enterprises e ON e.id ="
                       " p.enterprise_id LEFT JOIN cases c ON c.id = p.case_id WHERE p.id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc == DB_ROW) {
        db_row_json(st, out);
        rc = 0;
    } else {
        rc = rc < 0 ? rc : ERR_NOTFOUND;
    }
    db_done(st);
    return rc;
}

int store_penalty_insert(struct db *db, const struct pen_new *n, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "INSERT INTO penalty_cases (enterprise_id, region_code, problem_id, violation_type,"
        " status, title, facts, found_on, filed_on, created_by, created_by_name, created_at,"
        " updated_at) VALUES (?1, ?2, ?3, ?4, 'filed', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)"
        " RETURNING id",
        "ititttttitt", n->enterprise_id, n->region_code, n->problem_id, n->violation_type, n->title,
        n->facts, n->found_on, n->filed_on, n->created_by, n->created_by_name, now);
    if (n->problem_id <= 0 && !rc) {
        db_bind_null(st, 3);
    }
    if (n->created_by <= 0 && !rc) {
        db_bind_null(st, 9);
    }
    return rc ? rc : db_step_id(st, id);
}

int store_penalty_set_case(struct db *db, int64_t id, int64_t case_id)
{
    return db_runf(db, "UPDATE penalty_cases SET case_id = ?2 WHERE id = ?1", "ii", id, case_id);
}

int store_penalty_of_problem(struct db *db, int64_t problem_id, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id FROM penalty_cases WHERE problem_id = ?1 AND NOT (status ="
                       " 'closed' AND outcome = 'none') ORDER BY id LIMIT 1",
                       "i", problem_id);
    return rc ? rc : db_step_id(st, id);
}

int store_penalty_status(struct db *db, int64_t id, const char *status, const char *now)
{
    return db_runf(db, "UPDATE penalty_cases SET status = ?2, updated_at = ?3 WHERE id = ?1", "itt",
                   id, status, now);
}

int store_penalty_save_discretion(struct db *db, int64_t id, const struct pen_discretion_save *d,
                                  const char *now)
{
    return db_runf(db,
                   "UPDATE penalty_cases SET factors = ?2, mitigation = ?3, mitigation_basis = ?4,"
                   " reasoning = ?5, departure_reason = ?6, advisory_yuan = ?7, amount_yuan = ?8,"
                   " discretion_rule_set_id = ?9, discretion_rule_version = ?10, updated_at = ?11"
                   " WHERE id = ?1",
                   "itttttiiiit", id, d->factors_json, d->mitigation, d->mitigation_basis,
                   d->reasoning_json, d->departure_reason, d->advisory_yuan, d->amount_yuan,
                   d->rule_set_id, d->rule_version, now);
}

int store_penalty_noticed(struct db *db, int64_t id, const char *noticed_on, int64_t document_id,
                          const char *now)
{
    return db_runf(db,
                   "UPDATE penalty_cases SET noticed_on = ?2, notice_document_id = ?3, status ="
                   " 'noticed', updated_at = ?4 WHERE id = ?1",
                   "itit", id, noticed_on, document_id, now);
}

int store_penalty_hearing(struct db *db, int64_t id, const char *now)
{
    return db_runf(db,
                   "UPDATE penalty_cases SET hearing_requested = 1, status = 'hearing', updated_at"
                   " = ?2 WHERE id = ?1",
                   "it", id, now);
}

int store_penalty_decide(struct db *db, int64_t id, const struct pen_decision *d, const char *now)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "UPDATE penalty_cases SET outcome = ?2, decided_on = ?3, decision_no = ?4, education = ?5,"
        " exempt_item = ?6, exempt_eval = ?7, decision_document_id = ?8, rectify_order_id = ?9,"
        " credit_event_id = ?10, published = ?11, published_at = CASE WHEN ?11 = 1 THEN ?12 ELSE"
        " NULL END, exempt_rule_set_id = ?13, exempt_rule_version = ?14, status = 'decided',"
        " updated_at = ?12 WHERE id = ?1",
        "ittttttiiiitii", id, d->outcome, d->decided_on, d->decision_no, d->education,
        d->exempt_item, d->exempt_eval_json, d->document_id, d->rectify_order_id,
        d->credit_event_id, d->published, now, d->exempt_rule_set_id, d->exempt_rule_version);
    if (!rc) {
        if (d->document_id <= 0) {
            db_bind_null(st, 8);
        }
        if (d->rectify_order_id <= 0) {
            db_bind_null(st, 9);
        }
        if (d->credit_event_id <= 0) {
            db_bind_null(st, 10);
        }
        rc = db_step(st);
        db_done(st);
        rc = rc < 0 ? rc : 0;
    }
    return rc;
}

int store_penalty_mark(struct db *db, int64_t id, const char *column, const char *day,
                       const char *now)
{
    /* column is one of two constants of the caller, never input */
    const char *sql =
        !strcmp(column, "executed_on")
            ? "UPDATE penalty_cases SET executed_on = ?2, updated_at = ?3 WHERE id = ?1"
            : "UPDATE penalty_cases SET closed_on = ?2, updated_at = ?3 WHERE id = ?1";
    return db_runf(db, sql, "itt", id, day, now);
}

int store_penalty_publish(struct db *db, int64_t id, bool published, const char *now)
{
    return db_runf(db,
                   "UPDATE penalty_cases SET published = ?2, published_at = CASE WHEN ?2 = 1 THEN"
                   " ?3 ELSE NULL END, updated_at = ?3 WHERE id = ?1",
                   "iit", id, (int64_t)published, now);
}

int store_penalty_last_same(struct db *db, int64_t enterprise_id, const char *violation_type,
                            int64_t except_id, const char *before, char out[11])
{
    struct db_stmt *st;
    out[0] = 0;
    int rc = db_queryf(db, &st,
                       "SELECT COALESCE(MAX(decided_on), '') FROM penalty_cases WHERE"
                       " enterprise_id = ?1 AND violation_type = ?2 AND id <> ?3 AND outcome IN"
                       " ('penalty', 'no_penalty') AND decided_on <= ?4",
                       "itit", enterprise_id, violation_type, except_id, before);
    if (rc) {
        return rc;
    }
    if ((rc = db_step(st)) == DB_ROW) {
        db_column_copy(st, 0, out, 11);
        rc = 0;
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

int store_penalty_hourly(struct db *db, int64_t point_id, const char *from, const char *to,
                         void (*row)(void *ctx, const char *factor, const char *day, int hour,
                                     double value, double limit),
                         void *ctx)
{
    struct db_stmt *st;
    char lo[24], hi[24];
    snprintf(lo, sizeof lo, "%s 00:00:00", from);
    snprintf(hi, sizeof hi, "%s 23:59:59", to);
    int rc = db_queryf(
        db, &st,
        "SELECT r.factor, r.data_time, r.value, COALESCE((SELECT l.value FROM emission_limits l"
        " WHERE l.outlet_id = pt.outlet_id AND l.pollutant_code = r.factor AND l.status ="
        " 'active' ORDER BY CASE l.basis WHEN 'hour' THEN 0 ELSE 1 END, l.id LIMIT 1), 0)"
        " FROM readings r JOIN points pt ON pt.id = r.point_id WHERE r.point_id = ?1 AND r.cn ="
        " '2061' AND r.kind IN ('Avg', 'ZsAvg') AND r.data_time >= ?2 AND r.data_time <= ?3 AND"
        " r.value IS NOT NULL ORDER BY r.data_time LIMIT 5000",
        "itt", point_id, lo, hi);
    if (rc) {
        return rc;
    }
    while ((rc = db_step(st)) == DB_ROW) {
        const char *dt = db_column_text(st, 1, NULL);
        char day[11] = "";
        int hour = -1;
        if (strlen(dt) >= 13) {
            memcpy(day, dt, 10);
            hour = (dt[11] - '0') * 10 + (dt[12] - '0');
        }
        row(ctx, db_column_text(st, 0, NULL), day, hour, db_column_real(st, 2),
            db_column_real(st, 3));
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

int store_penalty_alarm(struct db *db, int64_t alarm_id, struct pen_alarm *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT point_id, factor, data_time, first_at, last_at, COALESCE(value, 0),"
                       " COALESCE(limit_value, 0) FROM alarms WHERE id = ?1",
                       "i", alarm_id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc == DB_ROW) {
        out->point_id = db_column_int(st, 0);
        db_column_copy(st, 1, out->factor, sizeof out->factor);
        db_column_copy(st, 2, out->data_time, sizeof out->data_time);
        db_column_copy(st, 3, out->first_at, sizeof out->first_at);
        db_column_copy(st, 4, out->last_at, sizeof out->last_at);
        out->value = db_column_real(st, 5);
        out->limit = db_column_real(st, 6);
        rc = 0;
    } else {
        rc = rc < 0 ? rc : ERR_NOTFOUND;
    }
    db_done(st);
    return rc;
}

/* ---------------- lists ---------------- */

static void filters(const struct pen_list_query *q, struct qb *b, char like[256])
{
    if (q->status && *q->status) {
        if (!strcmp(q->status, "open")) {
            buf_puts(&b->sql, " AND p.status <> 'closed'");
        } else {
            buf_printf(&b->sql, " AND p.status = ?%d", qb_text(b, q->status));
        }
    }
    if (q->outcome && *q->outcome) {
        buf_printf(&b->sql, " AND p.outcome = ?%d", qb_text(b, q->outcome));
    }
    if (q->violation_type && *q->violation_type) {
        buf_printf(&b->sql, " AND p.violation_type = ?%d", qb_text(b, q->violation_type));
    }
    if (q->enterprise_id > 0) {
        buf_printf(&b->sql, " AND p.enterprise_id = ?%d", qb_int(b, q->enterprise_id));
    }
    if (q->q && *q->q) {
        int k = qb_text(b, like_pat(q->q, false, like, 256));
        buf_printf(&b->sql,
                   " AND (e.name LIKE ?%d ESCAPE '\\' OR p.decision_no LIKE ?%d ESCAPE '\\')", k,
                   k);
    }
}

static const char *order_by(const struct pen_list_query *q)
{
    static const char *const SORT[][2] = {{"filed_on", "p.filed_on"},
                                          {"decided_on", "p.decided_on"},
                                          {"enterprise", "e.name COLLATE zh"},
                                          {"amount_yuan", "p.amount_yuan"},
                                          {"status", "p.status"},
                                          {"violation_type", "p.violation_type"}};
    for (size_t i = 0; q->sort && i < ARRAY_LEN(SORT); i++) {
        if (!strcmp(q->sort, SORT[i][0])) {
            return SORT[i][1];
        }
    }
    return "p.id";
}

static int run_list(struct db *db, const char *sel, struct qb *b, const struct pen_list_query *q,
                    struct buf *out)
{
    char order[96];
    snprintf(order, sizeof order, "%s %s, p.id %s", order_by(q), q->desc ? "DESC" : "ASC",
             q->desc ? "DESC" : "ASC");
    int rc = qb_page(db, b, sel, order, q->limit > 0 ? q->limit : 50, q->offset, out);
    buf_release(&b->sql);
    return rc;
}

#define LIST_COLS                                                                                  \
    "p.id, p.enterprise_id, e.name AS enterprise_name, p.region_code, p.problem_id, p.case_id,"    \
    " p.violation_type, p.status, p.title, p.found_on, p.filed_on, p.noticed_on, p.outcome,"       \
    " p.amount_yuan, p.decided_on, p.decision_no, p.published, c.state AS case_state, c.due_at"    \
    " AS case_due_at"

int store_penalty_list(struct db *db, const struct scope *sc, const struct pen_list_query *q,
                       struct buf *out)
{
    struct qb b;
    qb_init(&b);
    buf_puts(&b.sql, "FROM penalty_cases p JOIN enterprises e ON e.id = p.enterprise_id LEFT JOIN"
                     " cases c ON c.id = p.case_id WHERE 1=1");
    qb_scope(&b, sc, "e.id", "e.region_code");
    char like[256];
    filters(q, &b, like);
    return run_list(db, LIST_COLS, &b, q, out);
}

/* Published and not withdrawn: a decision with a revoked credit event (credit repair) is not
   public. */
#define PUBLIC_WHERE                                                                               \
    " p.published = 1 AND p.outcome IN ('penalty', 'no_penalty') AND NOT EXISTS (SELECT 1 FROM"    \
    " credit_events v WHERE v.source = 'penalty' AND v.source_id = p.id AND v.revoked_at IS NOT"   \
    " NULL)"

#define PUBLIC_COLS                                                                                \
    "p.id, e.name AS enterprise_name, e.uscc, p.region_code, COALESCE((SELECT name FROM regions"   \
    " WHERE code = p.region_code), '') AS region_name, p.violation_type, p.outcome,"               \
    " p.amount_yuan, p.decided_on, p.decision_no, p.facts, p.exempt_item"

int store_penalty_public_list(struct db *db, const struct pen_list_query *q, struct buf *out)
{
    struct qb b;
    qb_init(&b);
    buf_puts(&b.sql, "FROM penalty_cases p JOIN enterprises e ON e.id = p.enterprise_id LEFT JOIN"
                     " cases c ON c.id = p.case_id WHERE" PUBLIC_WHERE);
    char like[256];
    struct pen_list_query f = {
        .outcome = q->outcome, .violation_type = q->violation_type, .q = q->q};
    filters(&f, &b, like);
    return run_list(db, PUBLIC_COLS, &b, q, out);
}

int store_penalty_public_get(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT " PUBLIC_COLS ", p.decision_document_id, (SELECT d.verify_token"
                       " FROM documents d WHERE d.id = p.decision_document_id) AS verify_token"
                       " FROM penalty_cases p JOIN enterprises e ON e.id = p.enterprise_id WHERE"
                       " p.id = ?1 AND" PUBLIC_WHERE,
                       "i", id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc == DB_ROW) {
        db_row_json(st, out);
        rc = 0;
    } else {
        rc = rc < 0 ? rc : ERR_NOTFOUND;
    }
    db_done(st);
    return rc;
}

int store_penalty_counts(struct db *db, const struct scope *sc, const char *year_from,
                         int64_t *open, int64_t *penalties, int64_t *exempt)
{
    struct qb b;
    qb_init(&b);
    int y = qb_text(&b, year_from);
    buf_printf(&b.sql,
               "SELECT COALESCE(SUM(CASE WHEN p.status <> 'closed' THEN 1 ELSE 0 END), 0),"
               " COALESCE(SUM(CASE WHEN p.outcome = 'penalty' AND p.decided_on >= ?%d THEN 1"
               " ELSE 0 END), 0), COALESCE(SUM(CASE WHEN p.outcome = 'no_penalty' AND"
               " p.decided_on >= ?%d THEN 1 ELSE 0 END), 0) FROM penalty_cases p JOIN enterprises"
               " e ON e.id = p.enterprise_id WHERE 1=1",
               y, y);
    qb_scope(&b, sc, "e.id", "e.region_code");
    struct db_stmt *st = NULL;
    int rc = qb_prepare(db, &b, &st);
    if (!rc && (rc = db_step(st)) == DB_ROW) {
        *open = db_column_int(st, 0);
        *penalties = db_column_int(st, 1);
        *exempt = db_column_int(st, 2);
        rc = 0;
    }
    if (st) {
        db_done(st);
    }
    buf_release(&b.sql);
    return rc < 0 ? rc : 0;
}

int store_penalty_enterprise(struct db *db, int64_t id, char *name, size_t ncap, char *uscc,
                             size_t ucap, char *address, size_t acap)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st, "SELECT name, uscc, address FROM enterprises WHERE id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc == DB_ROW) {
        db_column_copy(st, 0, name, ncap);
        db_column_copy(st, 1, uscc, ucap);
        db_column_copy(st, 2, address, acap);
        rc = 0;
    } else {
        rc = rc < 0 ? rc : ERR_NOTFOUND;
    }
    db_done(st);
    return rc;
}

int store_penalty_industry_name(struct db *db, const char *code, char *out, size_t cap)
{
    struct db_stmt *st;
    out[0] = 0;
    int rc = db_queryf(db, &st, "SELECT name FROM industries WHERE code = ?1", "t", code);
    if (rc) {
        return rc;
    }
    if ((rc = db_step(st)) == DB_ROW) {
        db_column_copy(st, 0, out, cap);
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

int store_penalty_demo_firms(struct db *db, int64_t *ids, int n, int *got)
{
    struct db_stmt *st;
    *got = 0;
    int rc =
        db_queryf(db, &st,
                  "SELECT e.id FROM enterprises e WHERE e.status = 'active' AND EXISTS (SELECT 1"
                  " FROM points p WHERE p.enterprise_id = e.id) ORDER BY e.id LIMIT ?1",
                  "i", (int64_t)n);
    if (rc) {
        return rc;
    }
    while ((rc = db_step(st)) == DB_ROW && *got < n) {
        ids[(*got)++] = db_column_int(st, 0);
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

const struct audit_kind penalty_audit_kinds[] = {
    {"penalty_case",
     "(SELECT e.name || ' · ' || p.filed_on FROM penalty_cases p JOIN enterprises e ON e.id ="
     " p.enterprise_id WHERE p.id = ?5)",
     "SELECT id FROM penalty_cases WHERE enterprise_id = ?1"},
    {0},
};
