/*
** Queries of credit repair (see q_repair.h): credit_repairs, and the reads of credit_events,
** cases and notifications its conditions, decisions and pages need.
*/
#include "store/q_repair.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "store/backend.h"
#include "store/scope.h"

static const char *const STATES[] = {"filed", "granted", "refused", "withdrawn", NULL};

static const struct field_def repair_fields[] = {
    {"enterprise_name", FK_TEXT, FF_SERVER | FF_SORT | FF_SEARCH | FF_ZH, 200, NULL, 0, 0},
    {"state", FK_ENUM, FF_SERVER | FF_FILTER | FF_SORT, 16, STATES, 0, 0},
    {"event_type", FK_TEXT, FF_SERVER | FF_FILTER | FF_SORT, 48, NULL, 0, 0},
    {"event_occurred_on", FK_DATE, FF_SERVER | FF_SORT, 10, NULL, 0, 0},
    {"filed_on", FK_DATE, FF_SERVER | FF_SORT, 10, NULL, 0, 0},
    {"enterprise_id", FK_INT, FF_SERVER | FF_FILTER, 0, NULL, 0, 0},
    {"statement", FK_TEXT, FF_SERVER | FF_SEARCH, 4000, NULL, 0, 0},
};

/* The list's columns: the row, its case's deadline and the deciding user's name. */
const struct entity_def ENTITY_CREDIT_REPAIR = {
    "credit_repair",
    "credit_repairs",
    "t.id, t.enterprise_id, t.enterprise_name, t.region_code, (SELECT name FROM regions WHERE"
    " code = t.region_code) AS region_name, t.event_id, t.event_type, t.event_occurred_on,"
    " t.source, t.source_id, t.state, t.conditions_ok, t.filed_on, t.decided_on, t.case_id,"
    " (SELECT due_at FROM cases WHERE id = t.case_id) AS due_at, (SELECT display_name FROM users"
    " WHERE id = t.decided_by) AS decided_by_name, t.decision_reason, t.created_at",
    repair_fields,
    sizeof repair_fields / sizeof repair_fields[0],
    "enterprise_id",
    NULL,
    "-id",
    NULL,
    NULL};

#define EVENT_COLS                                                                                 \
    "SELECT id, subject_kind, subject_id, type, occurred_on, source, source_id,"                   \
    " CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END FROM credit_events"

static void event_of_row(struct db_stmt *st, struct repair_event_row *e)
{
    memset(e, 0, sizeof *e);
    e->id = db_column_int(st, 0);
    db_column_copy(st, 1, e->subject_kind, sizeof e->subject_kind);
    e->subject_id = db_column_int(st, 2);
    db_column_copy(st, 3, e->type, sizeof e->type);
    db_column_copy(st, 4, e->occurred_on, sizeof e->occurred_on);
    db_column_copy(st, 5, e->source, sizeof e->source);
    e->source_id = db_column_int(st, 6);
    e->revoked = db_column_int(st, 7) != 0;
}

int store_repair_event(struct db *db, int64_t event_id, struct repair_event_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, EVENT_COLS " WHERE id = ?1", "i", event_id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        event_of_row(st, out);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

struct each_ctx {
    repair_event_fn fn;
    void *ctx;
};

static void event_row(struct db_stmt *st, void *ctx)
{
    struct each_ctx *c = ctx;
    struct repair_event_row e;
    event_of_row(st, &e);
    c->fn(&e, c->ctx);
}

int store_repair_events_each(struct db *db, int64_t enterprise_id, int64_t limit,
                             repair_event_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       EVENT_COLS " WHERE subject_kind = 'enterprise' AND subject_id = ?1 AND"
                                  " revoked_at IS NULL ORDER BY occurred_on DESC, id DESC LIMIT ?2",
                       "ii", enterprise_id, limit);
    struct each_ctx c = {fn, ctx};
    return rc ? rc : db_each(st, event_row, &c);
}

struct prior_ctx {
    repair_prior_fn fn;
    void *ctx;
};

static void prior_row(struct db_stmt *st, void *ctx)
{
    struct prior_ctx *c = ctx;
    char key[96], on[11];
    db_column_copy(st, 1, key, sizeof key);
    db_column_copy(st, 2, on, sizeof on);
    c->fn(db_column_int(st, 0), key, on, c->ctx);
}

int store_repair_priors_each(struct db *db, int64_t enterprise_id, int64_t except_id,
                             repair_prior_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, violation_key, decided_on FROM credit_repairs WHERE"
                       " enterprise_id = ?1 AND state = 'granted' AND id <> ?2 AND decided_on IS"
                       " NOT NULL ORDER BY decided_on DESC, id DESC LIMIT 64",
                       "ii", enterprise_id, except_id);
    struct prior_ctx c = {fn, ctx};
    return rc ? rc : db_each(st, prior_row, &c);
}

int store_repair_penalty_case(struct db *db, int64_t case_id, char *violation_type, size_t cap,
                              int64_t *problem_id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT violation_type, COALESCE(problem_id, 0) FROM penalty_cases WHERE"
                       " id = ?1",
                       "i", case_id);
    violation_type[0] = 0;
    *problem_id = 0;
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_column_copy(st, 0, violation_type, cap);
        *problem_id = db_column_int(st, 1);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

int store_repair_orders_count(struct db *db, const char *origin, int64_t origin_id, int64_t *n)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT COUNT(*) FROM rectify_orders WHERE origin = ?1 AND origin_id = ?2",
                       "ti", origin, origin_id);
    *n = 0;
    return rc ? rc : db_step_id(st, n);
}

struct problem_ctx {
    repair_problem_fn fn;
    void *ctx;
};

static void problem_row(struct db_stmt *st, void *ctx)
{
    struct problem_ctx *c = ctx;
    c->fn(db_column_int(st, 0), c->ctx);
}

int store_repair_problems_each(struct db *db, const char *kind, int64_t id, int64_t enterprise_id,
                               repair_problem_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       strcmp(kind, "alarm")
                           ? "SELECT id FROM problems WHERE id = ?1 AND enterprise_id = ?2"
                           : "SELECT id FROM problems WHERE alarm_id = ?1 AND enterprise_id = ?2"
                             " ORDER BY id LIMIT 100",
                       "ii", id, enterprise_id);
    struct problem_ctx c = {fn, ctx};
    return rc ? rc : db_each(st, problem_row, &c);
}

int store_repair_open_of_event(struct db *db, int64_t event_id, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id FROM credit_repairs WHERE event_id = ?1 AND state = 'filed'"
                       " ORDER BY id DESC LIMIT 1",
                       "i", event_id);
    *id = 0;
    return rc ? rc : db_step_id(st, id);
}

int store_repair_insert(struct db *db, const struct repair_new *n, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "INSERT INTO credit_repairs (enterprise_id, enterprise_name, region_code, event_id,"
        " event_type, event_occurred_on, source, source_id, violation_key, statement,"
        " conditions_json, conditions_ok, rule_set_id, rule_version, filed_by, filed_on,"
        " created_at, updated_at) SELECT ?1, e.name, e.region_code, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
        " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15 FROM enterprises e WHERE e.id = ?1 RETURNING id",
        "iitttitttiiiitt", n->enterprise_id, n->event_id, n->event_type, n->event_occurred_on,
        n->source, n->source_id, n->violation_key, n->statement, n->conditions_json,
        (int64_t)n->conditions_ok, n->rule_set_id, (int64_t)n->rule_version, n->filed_by,
        n->filed_on, now);
    *id = 0;
    rc = rc ? rc : db_step_id(st, id);
    return rc ? rc : *id ? 0 : ERR_NOTFOUND;
}

int store_repair_set_case(struct db *db, int64_t id, int64_t case_id)
{
    return db_runf(db, "UPDATE credit_repairs SET case_id = ?2 WHERE id = ?1", "ii", id, case_id);
}

int store_repair_get(struct db *db, int64_t id, struct repair_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, enterprise_id, event_id, COALESCE(case_id, 0), state,"
                       " event_type, region_code FROM credit_repairs WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_column_int(st, 0);
        out->enterprise_id = db_column_int(st, 1);
        out->event_id = db_column_int(st, 2);
        out->case_id = db_column_int(st, 3);
        db_column_copy(st, 4, out->state, sizeof out->state);
        db_column_copy(st, 5, out->event_type, sizeof out->event_type);
        db_column_copy(st, 6, out->region_code, sizeof out->region_code);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_repair_decide(struct db *db, int64_t id, const char *state, const char *reason,
                        int64_t by, const char *decided_on, const char *conditions_json,
                        bool conditions_ok, const char *now)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "UPDATE credit_repairs SET state = ?2, decision_reason = ?3, decided_by ="
                       " ?4, decided_on = ?5, conditions_json = CASE WHEN ?6 = '' THEN"
                       " conditions_json ELSE ?6 END, conditions_ok = CASE WHEN ?6 = '' THEN"
                       " conditions_ok ELSE ?7 END,"
                       " updated_at = ?8 WHERE id = ?1 AND state = 'filed' RETURNING id",
                       "ittittit", id, state, reason ? reason : "", by, decided_on, conditions_json,
                       (int64_t)conditions_ok, now);
    int64_t got = 0;
    rc = rc ? rc : db_step_id(st, &got);
    return rc ? rc : got ? 0 : ERR_CONFLICT;
}

int store_repair_notify(struct db *db, int64_t enterprise_id, const char *event, const char *title,
                        const char *now)
{
    return db_runf(db,
                   "INSERT INTO notifications (alarm_id, enterprise_id, event, title, created_at)"
                   " VALUES (NULL, ?1, ?2, ?3, ?4)",
                   "ittt", enterprise_id, event, title, now);
}

#define DETAIL_COLS                                                                                \
    "SELECT r.id, r.enterprise_id, r.enterprise_name, r.region_code, (SELECT name FROM regions"    \
    " WHERE code = r.region_code) AS region_name, r.event_id, r.event_type, r.event_occurred_on,"  \
    " r.source, r.source_id, r.violation_key, r.statement, r.state, r.conditions_json,"            \
    " r.conditions_ok, r.rule_set_id, r.rule_version, r.case_id, c.state AS case_state,"           \
    " c.due_at, r.decision_reason, r.filed_on, r.decided_on, (SELECT display_name FROM users"      \
    " WHERE id = r.filed_by) AS filed_by_name, (SELECT display_name FROM users WHERE id ="         \
    " r.decided_by) AS decided_by_name, ev.reason AS event_reason, ev.evidence AS"                 \
    " event_evidence, ev.revoked_at AS event_revoked_at, r.created_at, r.updated_at FROM"          \
    " credit_repairs r JOIN credit_events ev ON ev.id = r.event_id LEFT JOIN cases c ON c.id ="    \
    " r.case_id"

int store_repair_json(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, DETAIL_COLS " WHERE r.id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_row_json(st, out);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_repair_of_event_json(struct db *db, int64_t event_id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, state, filed_on, decided_on, case_id FROM credit_repairs"
                       " WHERE event_id = ?1 ORDER BY id DESC LIMIT 20",
                       "i", event_id);
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 20, out, &n);
    db_done(st);
    return rc;
}

int store_repair_dashboard(struct db *db, const struct scope *sc, const char *now,
                           const char *year_start, struct buf *out)
{
    const char *texts[] = {now, year_start};
    struct store_scoped q;
    int rc = store_scoped_open(
        db, sc,
        "SELECT COALESCE(SUM(CASE WHEN r.state = 'filed' THEN 1 ELSE 0 END), 0),"
        " COALESCE(SUM(CASE WHEN r.state = 'filed' AND c.due_at < ?1 THEN 1 ELSE 0 END), 0),"
        " COALESCE(SUM(CASE WHEN r.state = 'granted' AND r.decided_on >= ?2 THEN 1 ELSE 0 END),"
        " 0) FROM credit_repairs r JOIN enterprises e ON e.id = r.enterprise_id LEFT JOIN cases c"
        " ON c.id = r.case_id WHERE %s",
        texts, 2, &q);
    int64_t v[3] = {0, 0, 0};
    int s = DB_DONE;
    if (!rc && (s = db_step(q.st)) == DB_ROW) {
        for (int i = 0; i < 3; i++) {
            v[i] = db_column_int(q.st, i);
        }
    }
    store_scoped_done(&q);
    buf_printf(out, ",\"repair\":{\"filed\":%lld,\"overdue\":%lld,\"granted_this_year\":%lld}",
               (long long)v[0], (long long)v[1], (long long)v[2]);
    return rc ? rc : s < 0 ? s : 0;
}

/* The kinds of record the module writes to the audit log: an application is named by its
   enterprise and event type, and shows in the enterprise's change history. */
const struct audit_kind repair_audit_kinds[] = {
    {"credit_repair",
     "(SELECT enterprise_name || ' · ' || event_type || ' ' || event_occurred_on FROM"
     " credit_repairs WHERE id = ?5)",
     "SELECT id FROM credit_repairs WHERE enterprise_id = ?1"},
    {0},
};
