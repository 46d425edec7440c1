/*
** Queries of service to enterprises (see q_service.h).
*/
#include "store/q_service.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "store/backend.h"
#include "store/scope.h"

static const char *const TIERS[] = {"leader", "manager", "staff", NULL};
static const char *const ACTIVE[] = {"active", "inactive", NULL};
static const char *const SESSION_KINDS[] = {"service_day", "consultation", "training", NULL};
static const char *const SESSION_STATES[] = {"planned", "held", NULL};
static const char *const RECORD_KINDS[] = {"visit", "training", "problem_solved", "consultation",
                                           NULL};
static const char *const RISK_CATEGORIES[] = {"environmental", "social", NULL};
static const char *const RISK_LEVELS[] = {"low", "medium", "high", NULL};
static const char *const RISK_STATES[] = {"open", "closed", NULL};

#define N(a) (sizeof a / sizeof a[0])

static const struct field_def pairing_fields[] = {
    {"user_id", FK_REF, FF_REQUIRED | FF_FILTER | FF_CREATE_ONLY, 0, NULL, 0, 0},
    {"enterprise_id", FK_REF, FF_REQUIRED | FF_FILTER | FF_CREATE_ONLY, 0, NULL, 0, 0},
    {"tier", FK_ENUM, FF_REQUIRED | FF_FILTER | FF_SORT, 16, TIERS, 0, 0},
    {"project_name", FK_TEXT, FF_SEARCH, 200, NULL, 0, 0},
    {"note", FK_TEXT, 0, 1000, NULL, 0, 0},
    {"region_code", FK_REGION, FF_SERVER | FF_FILTER | FF_PREFIX, 16, NULL, 0, 0},
    {"status", FK_ENUM, FF_SERVER | FF_FILTER, 16, ACTIVE, 0, 0},
};

const struct entity_def ENTITY_SERVICE_PAIRING = {
    "service_pairing",
    "service_pairings",
    "t.id, t.user_id, (SELECT display_name FROM users WHERE id = t.user_id) AS user_name,"
    " (SELECT role FROM users WHERE id = t.user_id) AS user_role, t.enterprise_id, (SELECT name"
    " FROM enterprises WHERE id = t.enterprise_id) AS enterprise_name, (SELECT category FROM"
    " enterprises WHERE id = t.enterprise_id) AS enterprise_category, t.tier, t.project_name,"
    " t.region_code, (SELECT name FROM regions WHERE code = t.region_code) AS region_name, t.note,"
    " t.status, t.created_at, t.updated_at",
    pairing_fields,
    N(pairing_fields),
    "enterprise_id",
    NULL,
    "-id",
    NULL,
    NULL};

static const struct field_def session_fields[] = {
    {"kind", FK_ENUM, FF_REQUIRED | FF_FILTER | FF_SORT | FF_CREATE_ONLY, 16, SESSION_KINDS, 0, 0},
    {"title", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_SORT | FF_ZH, 200, NULL, 0, 0},
    {"held_on", FK_DATE, FF_REQUIRED | FF_FILTER | FF_SORT, 10, NULL, 0, 0},
    {"org_unit_id", FK_REF, FF_FILTER, 0, NULL, 0, 0},
    {"place", FK_TEXT, 0, 200, NULL, 0, 0},
    {"state", FK_ENUM, FF_FILTER | FF_SORT, 16, SESSION_STATES, 0, 0},
    {"outcome", FK_TEXT, FF_SEARCH, 4000, NULL, 0, 0},
};

const struct entity_def ENTITY_SERVICE_SESSION = {
    "service_session",
    "service_sessions",
    "t.id, t.kind, t.title, t.held_on, t.org_unit_id, (SELECT name FROM org_units WHERE id ="
    " t.org_unit_id) AS org_unit_name, t.place, t.state, t.outcome, (SELECT COUNT(*) FROM"
    " service_items i WHERE i.session_id = t.id) AS n_items, (SELECT COUNT(*) FROM service_items i"
    " WHERE i.session_id = t.id AND i.resolved = 1) AS n_resolved, (SELECT COUNT(*) FROM"
    " service_attendance a WHERE a.session_id = t.id) AS n_firms, (SELECT CAST(COALESCE(SUM("
    "a.people), 0) AS BIGINT) FROM service_attendance a WHERE a.session_id = t.id) AS n_people,"
    " t.created_at, t.updated_at",
    session_fields,
    N(session_fields),
    NULL,
    NULL,
    "-held_on",
    NULL,
    "org_unit_id"};

static const struct field_def record_fields[] = {
    {"kind", FK_ENUM, FF_REQUIRED | FF_FILTER | FF_SORT, 16, RECORD_KINDS, 0, 0},
    {"occurred_on", FK_DATE, FF_REQUIRED | FF_FILTER | FF_SORT, 10, NULL, 0, 0},
    {"summary", FK_TEXT, FF_REQUIRED | FF_SEARCH, 2000, NULL, 0, 0},
    {"enterprise_id", FK_REF, FF_FILTER, 0, NULL, 0, 0},
    {"session_id", FK_REF, FF_FILTER, 0, NULL, 0, 0},
    {"user_id", FK_REF, FF_SERVER | FF_FILTER, 0, NULL, 0, 0},
    {"org_unit_id", FK_REF, FF_SERVER | FF_FILTER, 0, NULL, 0, 0},
};

const struct entity_def ENTITY_SERVICE_RECORD = {
    "service_record",
    "service_records",
    "t.id, t.user_id, (SELECT display_name FROM users WHERE id = t.user_id) AS user_name,"
    " t.org_unit_id, (SELECT name FROM org_units WHERE id = t.org_unit_id) AS org_unit_name,"
    " t.enterprise_id, (SELECT name FROM enterprises WHERE id = t.enterprise_id) AS"
    " enterprise_name, t.kind, t.occurred_on, t.summary, t.session_id, t.created_at",
    record_fields,
    N(record_fields),
    NULL,
    NULL,
    "-occurred_on",
    NULL,
    "org_unit_id"};

static const struct field_def risk_fields[] = {
    {"project_name", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_SORT | FF_ZH, 200, NULL, 0, 0},
    {"enterprise_id", FK_REF, FF_FILTER, 0, NULL, 0, 0},
    {"region_code", FK_REGION, FF_REQUIRED | FF_FILTER | FF_PREFIX, 16, NULL, 0, 0},
    {"lat", FK_REAL, 0, 0, NULL, -90, 90},
    {"lng", FK_REAL, 0, 0, NULL, -180, 180},
    {"category", FK_ENUM, FF_REQUIRED | FF_FILTER | FF_SORT, 16, RISK_CATEGORIES, 0, 0},
    {"risk", FK_TEXT, FF_REQUIRED | FF_SEARCH, 2000, NULL, 0, 0},
    {"level", FK_ENUM, FF_FILTER | FF_SORT, 16, RISK_LEVELS, 0, 0},
    {"owner_user_id", FK_REF, FF_REQUIRED | FF_FILTER, 0, NULL, 0, 0},
    {"measures", FK_TEXT, 0, 2000, NULL, 0, 0},
    {"deadline", FK_DATE, FF_REQUIRED | FF_SORT | FF_CREATE_ONLY, 10, NULL, 0, 0},
    {"state", FK_ENUM, FF_SERVER | FF_FILTER | FF_SORT, 16, RISK_STATES, 0, 0},
};

const struct entity_def ENTITY_SERVICE_RISK = {
    "service_risk",
    "service_risks",
    "t.id, t.project_name, t.enterprise_id, (SELECT name FROM enterprises WHERE id ="
    " t.enterprise_id) AS enterprise_name, t.region_code, (SELECT name FROM regions WHERE code ="
    " t.region_code) AS region_name, t.lat, t.lng, t.category, t.risk, t.level, t.owner_user_id,"
    " (SELECT display_name FROM users WHERE id = t.owner_user_id) AS owner_name, t.measures,"
    " t.deadline, t.state, t.result, t.closed_on, t.case_id, (SELECT due_at FROM cases WHERE id ="
    " t.case_id) AS due_at, (SELECT escalated_at FROM cases WHERE id = t.case_id) AS"
    " escalated_at, t.overdue_sent, t.created_at, t.updated_at",
    risk_fields,
    N(risk_fields),
    NULL,
    NULL,
    "deadline",
    "region_code",
    NULL};

const struct audit_kind service_audit_kinds[] = {
    {"service_pairing",
     "(SELECT (SELECT display_name FROM users WHERE id = p.user_id) || ' · ' || (SELECT name FROM"
     " enterprises WHERE id = p.enterprise_id) FROM service_pairings p WHERE p.id = ?5)",
     "SELECT id FROM service_pairings WHERE enterprise_id = ?1"},
    {"service_session", "(SELECT title || ' ' || held_on FROM service_sessions WHERE id = ?5)",
     NULL},
    {"service_record", "(SELECT kind || ' ' || occurred_on FROM service_records WHERE id = ?5)",
     NULL},
    {"service_risk", "(SELECT project_name FROM service_risks WHERE id = ?5)", NULL},
    {"outbound_message",
     "(SELECT event || ' → ' || recipient FROM outbound_messages WHERE id = ?5)", NULL},
    {0},
};

int store_service_user(struct db *db, int64_t id, struct service_user *out)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, COALESCE(org_unit_id, 0), role, display_name, phone, status"
                       " FROM users WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        out->id = db_column_int(st, 0);
        out->org_unit_id = db_column_int(st, 1);
        db_column_copy(st, 2, out->role, sizeof out->role);
        db_column_copy(st, 3, out->name, sizeof out->name);
        db_column_copy(st, 4, out->phone, sizeof out->phone);
        out->active = !strcmp(db_column_text(st, 5, NULL), "active");
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_service_enterprise(struct db *db, int64_t id, char region[16], char *name, size_t cap,
                             char phone[32])
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st, "SELECT region_code, name, contact_phone FROM enterprises WHERE id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_column_copy(st, 0, region, 16);
        db_column_copy(st, 1, name, cap);
        db_column_copy(st, 2, phone, 32);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_service_tbq_rows(struct db *db, const struct scope *sc, service_tbq_row_fn fn, void *ctx)
{
    struct store_scoped q;
    int rc = store_scoped_open(
        db, sc,
        "SELECT DISTINCT substr(p.region_code, 1, 6), COALESCE((SELECT name FROM regions WHERE"
        " code = substr(p.region_code, 1, 6)), ''), p.tier, p.enterprise_id FROM service_pairings"
        " p JOIN enterprises e ON e.id = p.enterprise_id WHERE p.status = 'active' AND %s ORDER BY"
        " 1, 4, 3",
        NULL, 0, &q);
    if (rc) {
        return rc;
    }
    int s;
    while ((s = db_step(q.st)) == DB_ROW) {
        fn(db_column_text(q.st, 0, NULL), db_column_text(q.st, 1, NULL),
           db_column_text(q.st, 2, NULL), db_column_int(q.st, 3), ctx);
    }
    store_scoped_done(&q);
    return s < 0 ? s : 0;
}

/* The statement's rows as a JSON array, then finish it. */
static int rows_json(int rc, struct db_stmt *st, struct buf *out)
{
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 0, out, &n);
    db_done(st);
    return rc;
}

static int ids_each(struct db_stmt *st, service_id_fn fn, void *ctx)
{
    int s;
    while ((s = db_step(st)) == DB_ROW) {
        fn(db_column_int(st, 0), ctx);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

int store_service_paired_units(struct db *db, service_id_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT DISTINCT u.org_unit_id FROM service_pairings p JOIN users u ON u.id"
                       " = p.user_id WHERE p.status = 'active' AND u.org_unit_id IS NOT NULL"
                       " ORDER BY 1",
                       "");
    return rc ? rc : ids_each(st, fn, ctx);
}

int store_service_unit_enterprises(struct db *db, int64_t org_unit_id, service_id_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT DISTINCT p.enterprise_id FROM service_pairings p JOIN users u ON"
                       " u.id = p.user_id WHERE p.status = 'active' AND u.org_unit_id = ?1 ORDER"
                       " BY 1",
                       "i", org_unit_id);
    return rc ? rc : ids_each(st, fn, ctx);
}

int store_service_day_find(struct db *db, int64_t org_unit_id, const char *held_on, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id FROM service_sessions WHERE kind = 'service_day' AND org_unit_id"
                       " = ?1 AND held_on = ?2",
                       "it", org_unit_id, held_on);
    return rc ? rc : db_step_id(st, id);
}

int store_service_session_insert(struct db *db, const char *kind, const char *title,
                                 const char *held_on, int64_t org_unit_id, int64_t created_by,
                                 const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO service_sessions (kind, title, held_on, org_unit_id,"
                       " created_by, created_at, updated_at) VALUES (?1, ?2, ?3, CASE WHEN ?4 > 0"
                       " THEN ?4 END, CASE WHEN ?5 > 0 THEN ?5 END, ?6, ?6) RETURNING id",
                       "tttiit", kind, title, held_on, org_unit_id, created_by, now);
    return rc ? rc : db_step_id(st, id);
}

int store_service_session_kind(struct db *db, int64_t id, char kind[16], char state[16])
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT kind, state FROM service_sessions WHERE id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_column_copy(st, 0, kind, 16);
        db_column_copy(st, 1, state, 16);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_service_item_requests(struct db *db, int64_t session_id, service_id_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT request_id FROM service_items WHERE session_id = ?1 AND request_id"
                       " IS NOT NULL ORDER BY 1",
                       "i", session_id);
    return rc ? rc : ids_each(st, fn, ctx);
}

int store_service_item_insert(struct db *db, int64_t session_id, int64_t enterprise_id,
                              int64_t request_id, const char *title, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO service_items (session_id, enterprise_id, request_id, title,"
                       " created_at) VALUES (?1, ?2, CASE WHEN ?3 > 0 THEN ?3 END, ?4, ?5)"
                       " RETURNING id",
                       "iiitt", session_id, enterprise_id, request_id, title, now);
    return rc ? rc : db_step_id(st, id);
}

int store_service_item_update(struct db *db, int64_t session_id, int64_t item_id,
                              const char *outcome, int resolved)
{
    int rc = db_runf(db,
                     "UPDATE service_items SET outcome = COALESCE(?3, outcome), resolved = ?4"
                     " WHERE id = ?2 AND session_id = ?1",
                     "iiti", session_id, item_id, outcome, (int64_t)resolved);
    return rc ? rc : db_changes(db) ? 0 : ERR_NOTFOUND;
}

int store_service_attendance_set(struct db *db, int64_t session_id, int64_t enterprise_id,
                                 int64_t people)
{
    int rc =
        db_runf(db, "DELETE FROM service_attendance WHERE session_id = ?1 AND enterprise_id = ?2",
                "ii", session_id, enterprise_id);
    if (rc || people < 1) {
        return rc;
    }
    return db_runf(db,
                   "INSERT INTO service_attendance (session_id, enterprise_id, people) VALUES (?1,"
                   " ?2, ?3)",
                   "iii", session_id, enterprise_id, people);
}

int store_service_session_parts_json(struct db *db, int64_t session_id, int64_t enterprise_id,
                                     struct buf *out)
{
    struct db_stmt *st;
    buf_puts(out, ",\"items\":");
    int rc = db_queryf(db, &st,
                       "SELECT i.id, i.enterprise_id, e.name AS enterprise_name, i.request_id,"
                       " i.title, i.outcome, i.resolved, EXISTS (SELECT 1 FROM service_attendance"
                       " a WHERE a.session_id = i.session_id AND a.enterprise_id = i.enterprise_id)"
                       " AS attended FROM service_items i JOIN enterprises e ON e.id ="
                       " i.enterprise_id WHERE i.session_id = ?1 AND (?2 = 0 OR i.enterprise_id ="
                       " ?2) ORDER BY e.name, i.id",
                       "ii", session_id, enterprise_id);
    rc = rows_json(rc, st, out);
    if (rc) {
        return rc;
    }
    buf_puts(out, ",\"attendance\":");
    rc = db_queryf(db, &st,
                   "SELECT a.enterprise_id, e.name AS enterprise_name, a.people FROM"
                   " service_attendance a JOIN enterprises e ON e.id = a.enterprise_id WHERE"
                   " a.session_id = ?1 AND (?2 = 0 OR a.enterprise_id = ?2) ORDER BY e.name",
                   "ii", session_id, enterprise_id);
    rc = rows_json(rc, st, out);
    return rc;
}

int store_service_agenda_json(struct db *db, int64_t enterprise_id, const char *since,
                              struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT s.id AS session_id, s.kind, s.title, s.held_on, s.place, s.state,"
                       " i.id AS item_id, i.title AS item_title, i.outcome, i.resolved, EXISTS"
                       " (SELECT 1 FROM service_attendance a WHERE a.session_id = s.id AND"
                       " a.enterprise_id = i.enterprise_id) AS attended FROM service_items i JOIN"
                       " service_sessions s ON s.id = i.session_id WHERE i.enterprise_id = ?1 AND"
                       " s.held_on >= ?2 ORDER BY s.held_on DESC, i.id LIMIT 500",
                       "it", enterprise_id, since);
    rc = rows_json(rc, st, out);
    return rc;
}

int store_service_record_totals(struct db *db, const struct scope *sc, bool by_unit,
                                const char *from, const char *to, struct buf *out)
{
    struct buf cond;
    buf_init(&cond, 1 << 14);
    store_scope_sql_unit(&cond, sc, "r.org_unit_id", 3);
    char sql[4096];
    snprintf(sql, sizeof sql,
             "SELECT %s AS id, %s AS name, COUNT(CASE WHEN r.kind = 'visit' THEN 1 END) AS visit,"
             " COUNT(CASE WHEN r.kind = 'training' THEN 1 END) AS training, COUNT(CASE WHEN"
             " r.kind = 'problem_solved' THEN 1 END) AS problem_solved, COUNT(CASE WHEN r.kind ="
             " 'consultation' THEN 1 END) AS consultation, COUNT(*) AS total FROM service_records"
             " r WHERE (?1 IS NULL OR r.occurred_on >= ?1) AND (?2 IS NULL OR r.occurred_on <="
             " ?2) AND %s GROUP BY %s ORDER BY COUNT(*) DESC, 1 LIMIT 1000",
             by_unit ? "COALESCE(r.org_unit_id, 0)" : "r.user_id",
             by_unit ? "COALESCE((SELECT name FROM org_units WHERE id = r.org_unit_id), '')"
                     : "(SELECT display_name FROM users WHERE id = r.user_id)",
             cond.p, by_unit ? "COALESCE(r.org_unit_id, 0), r.org_unit_id" : "r.user_id");
    buf_release(&cond);
    struct db_stmt *st;
    int rc = db_queryf(db, &st, sql, "tt", from, to);
    if (!rc && (rc = store_scope_bind(st, sc, 3)) != 0) {
        db_done(st);
    }
    rc = rows_json(rc, st, out);
    return rc;
}

int store_service_risk(struct db *db, int64_t id, struct service_risk_row *out)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, owner_user_id, COALESCE(case_id, 0), COALESCE(enterprise_id,"
                       " 0), state, deadline, project_name, region_code, lat, lng FROM"
                       " service_risks WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        out->id = db_column_int(st, 0);
        out->owner_user_id = db_column_int(st, 1);
        out->case_id = db_column_int(st, 2);
        out->enterprise_id = db_column_int(st, 3);
        db_column_copy(st, 4, out->state, sizeof out->state);
        db_column_copy(st, 5, out->deadline, sizeof out->deadline);
        db_column_copy(st, 6, out->project_name, sizeof out->project_name);
        db_column_copy(st, 7, out->region_code, sizeof out->region_code);
        out->has_point = db_column_type(st, 8) != DB_NULL && db_column_type(st, 9) != DB_NULL;
        out->lat = db_column_real(st, 8);
        out->lng = db_column_real(st, 9);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_service_risk_case_owner(struct db *db, int64_t case_id, int64_t user_id,
                                  int64_t org_unit_id)
{
    return db_runf(db,
                   "UPDATE cases SET assignee_user_id = ?2, org_unit_id = CASE WHEN ?3 > 0 THEN ?3"
                   " ELSE org_unit_id END WHERE id = ?1 AND is_open = 1",
                   "iii", case_id, user_id, org_unit_id);
}

int store_service_risk_set_case(struct db *db, int64_t id, int64_t case_id)
{
    return db_runf(db, "UPDATE service_risks SET case_id = ?2 WHERE id = ?1", "ii", id, case_id);
}

int store_service_risk_close(struct db *db, int64_t id, const char *result, const char *today,
                             const char *now)
{
    return db_runf(db,
                   "UPDATE service_risks SET state = 'closed', result = ?2, closed_on = ?3,"
                   " updated_at = ?4 WHERE id = ?1 AND state = 'open'",
                   "ittt", id, result, today, now);
}

int store_service_risks_overdue(struct db *db, const char *today, service_id_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id FROM service_risks WHERE state = 'open' AND deadline < ?1 AND"
                       " overdue_sent = 0 ORDER BY id LIMIT 500",
                       "t", today);
    return rc ? rc : ids_each(st, fn, ctx);
}

int store_service_risk_mark_sent(struct db *db, int64_t id)
{
    return db_runf(db, "UPDATE service_risks SET overdue_sent = 1 WHERE id = ?1", "i", id);
}
