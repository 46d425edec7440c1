/*
** Queries of the rectify hub: problems and rectification orders. See q_rectify.h.
*/
#include "store/q_rectify.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "store/backend.h"

static const struct field_def problem_fields[] = {
    {"status", FK_TEXT, FF_SERVER | FF_FILTER, 16, NULL, 0, 0},
};
/* Photos and documents of a problem hang on it (platform/attach.c), scoped by its enterprise. */
const struct entity_def ENTITY_PROBLEM = {"problem",
                                          "problems",
                                          "t.id, t.enterprise_id, t.level, t.category, t.status",
                                          problem_fields,
                                          1,
                                          "enterprise_id",
                                          NULL,
                                          "id",
                                          NULL,
                                          NULL};

static const struct field_def order_fields[] = {
    {"status", FK_TEXT, FF_SERVER | FF_FILTER, 16, NULL, 0, 0},
};
/* The enterprise's evidence of rectification hangs on its order. */
const struct entity_def ENTITY_RECTIFY_ORDER = {"rectify_order",
                                                "rectify_orders",
                                                "t.id, t.enterprise_id, t.problem_id, t.status",
                                                order_fields,
                                                1,
                                                "enterprise_id",
                                                NULL,
                                                "id",
                                                NULL,
                                                NULL};

static void bind_opt(struct db_stmt *st, int i, int64_t id)
{
    if (id) {
        db_bind_int(st, i, id);
    } else {
        db_bind_null(st, i);
    }
}

int store_rectify_enterprise_region(struct db *db, int64_t enterprise_id, char *region, size_t cap)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st, "SELECT region_code FROM enterprises WHERE id = ?1", "i", enterprise_id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_column_copy(st, 0, region, cap);
    }
    db_done(st);
    return s == DB_ROW ? 0 : s < 0 ? s : ERR_NOTFOUND;
}

int store_rectify_alarm_point(struct db *db, int64_t alarm_id, int64_t enterprise_id,
                              int64_t *point_id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT point_id FROM alarms WHERE id = ?1 AND enterprise_id = ?2",
                       "ii", alarm_id, enterprise_id);
    if (rc) {
        return rc;
    }
    *point_id = 0;
    rc = db_step_id(st, point_id);
    return rc ? rc : *point_id ? 0 : ERR_NOTFOUND;
}

int store_rectify_problem_insert(struct db *db, const struct rectify_problem_row *p,
                                 const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO problems (enterprise_id, region_code, level, source_kind,"
                       " source_id, point_id, alarm_id, category, description, clause,"
                       " violation_type, found_on, found_by, status, created_at, updated_at)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'open',"
                       " ?14, ?14) RETURNING id",
                       "itttnnntttttnt", p->enterprise_id, p->region_code, p->level, p->source_kind,
                       p->category, p->description, p->clause, p->violation_type, p->found_on, now);
    if (rc) {
        return rc;
    }
    bind_opt(st, 5, p->source_id);
    bind_opt(st, 6, p->point_id);
    bind_opt(st, 7, p->alarm_id);
    bind_opt(st, 13, p->found_by);
    return db_step_id(st, id);
}

int store_rectify_problem_get(struct db *db, int64_t id, struct rectify_problem_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, enterprise_id, COALESCE(source_id, 0), COALESCE(point_id, 0),"
                       " COALESCE(alarm_id, 0), COALESCE(found_by, 0), region_code, level,"
                       " source_kind, category, status, found_on, COALESCE(closed_on, ''),"
                       " description, clause, violation_type FROM problems WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_column_int(st, 0);
        out->enterprise_id = db_column_int(st, 1);
        out->source_id = db_column_int(st, 2);
        out->point_id = db_column_int(st, 3);
        out->alarm_id = db_column_int(st, 4);
        out->found_by = db_column_int(st, 5);
        db_column_copy(st, 6, out->region_code, sizeof out->region_code);
        db_column_copy(st, 7, out->level, sizeof out->level);
        db_column_copy(st, 8, out->source_kind, sizeof out->source_kind);
        db_column_copy(st, 9, out->category, sizeof out->category);
        db_column_copy(st, 10, out->status, sizeof out->status);
        db_column_copy(st, 11, out->found_on, sizeof out->found_on);
        db_column_copy(st, 12, out->closed_on, sizeof out->closed_on);
        db_column_copy(st, 13, out->description, sizeof out->description);
        db_column_copy(st, 14, out->clause, sizeof out->clause);
        db_column_copy(st, 15, out->violation_type, sizeof out->violation_type);
    }
    db_done(st);
    return s == DB_ROW ? 0 : s < 0 ? s : ERR_NOTFOUND;
}

int store_rectify_problem_status(struct db *db, int64_t id, const char *status,
                                 const char *closed_on, const char *now)
{
    return db_runf(db,
                   "UPDATE problems SET status = ?2, closed_on = ?3, updated_at = ?4 WHERE id = ?1",
                   "ittt", id, status, closed_on, now);
}

int store_rectify_order_insert(struct db *db, const struct rectify_order_row *o, const char *now,
                               int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO rectify_orders (enterprise_id, region_code, problem_id,"
                       " origin, origin_id, requirement, workdays, verifier_user_id, status,"
                       " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                       " 'issued', ?9, ?9) RETURNING id",
                       "itntntint", o->enterprise_id, o->region_code, o->origin, o->requirement,
                       (int64_t)o->workdays, now);
    if (rc) {
        return rc;
    }
    bind_opt(st, 3, o->problem_id);
    bind_opt(st, 5, o->origin_id);
    bind_opt(st, 8, o->verifier_user_id);
    return db_step_id(st, id);
}

int store_rectify_order_get(struct db *db, int64_t id, struct rectify_order_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, enterprise_id, COALESCE(problem_id, 0), COALESCE(origin_id, 0),"
                       " COALESCE(verifier_user_id, 0), COALESCE(case_id, 0), workdays,"
                       " region_code, origin, status, COALESCE(due_on, ''),"
                       " COALESCE(verified_on, ''), requirement FROM rectify_orders WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_column_int(st, 0);
        out->enterprise_id = db_column_int(st, 1);
        out->problem_id = db_column_int(st, 2);
        out->origin_id = db_column_int(st, 3);
        out->verifier_user_id = db_column_int(st, 4);
        out->case_id = db_column_int(st, 5);
        out->workdays = (int)db_column_int(st, 6);
        db_column_copy(st, 7, out->region_code, sizeof out->region_code);
        db_column_copy(st, 8, out->origin, sizeof out->origin);
        db_column_copy(st, 9, out->status, sizeof out->status);
        db_column_copy(st, 10, out->due_on, sizeof out->due_on);
        db_column_copy(st, 11, out->verified_on, sizeof out->verified_on);
        db_column_copy(st, 12, out->requirement, sizeof out->requirement);
    }
    db_done(st);
    return s == DB_ROW ? 0 : s < 0 ? s : ERR_NOTFOUND;
}

int store_rectify_order_set_case(struct db *db, int64_t id, int64_t case_id, const char *due_on,
                                 const char *now)
{
    return db_runf(db,
                   "UPDATE rectify_orders SET case_id = ?2, due_on = ?3, updated_at = ?4"
                   " WHERE id = ?1",
                   "iitt", id, case_id, due_on, now);
}

int store_rectify_order_status(struct db *db, int64_t id, const char *status,
                               const char *verified_on, const char *now)
{
    return db_runf(db,
                   "UPDATE rectify_orders SET status = ?2, verified_on = COALESCE(?3, verified_on),"
                   " updated_at = ?4 WHERE id = ?1",
                   "ittt", id, status, verified_on, now);
}

int store_rectify_orders_tally(struct db *db, const char *origin, int64_t origin_id, int64_t *n,
                               int64_t *n_verified, char last_verified_on[11])
{
    struct db_stmt *st;
    int rc = origin ? db_queryf(db, &st,
                                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'verified' THEN"
                                " 1 ELSE 0 END), 0), COALESCE(MAX(verified_on), '') FROM"
                                " rectify_orders WHERE origin = ?1 AND origin_id = ?2",
                                "ti", origin, origin_id)
                    : db_queryf(db, &st,
                                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'verified' THEN"
                                " 1 ELSE 0 END), 0), COALESCE(MAX(verified_on), '') FROM"
                                " rectify_orders WHERE problem_id = ?1",
                                "i", origin_id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    *n = *n_verified = 0;
    last_verified_on[0] = 0;
    if (s == DB_ROW) {
        *n = db_column_int(st, 0);
        *n_verified = db_column_int(st, 1);
        db_column_copy(st, 2, last_verified_on, 11);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

/* The records the hub writes to the audit log: a problem by its enterprise, category and date,
   an order by its enterprise and due date; both in the enterprise's change history. */
const struct audit_kind rectify_audit_kinds[] = {
    {"problem",
     "(SELECT e.name || ' · ' || p.category || ' ' || p.found_on FROM problems p JOIN enterprises"
     " e ON e.id = p.enterprise_id WHERE p.id = ?5)",
     "SELECT id FROM problems WHERE enterprise_id = ?1"},
    {"rectify_order",
     "(SELECT e.name || ' · ' || COALESCE(o.due_on, '') FROM rectify_orders o JOIN enterprises e"
     " ON e.id = o.enterprise_id WHERE o.id = ?5)",
     "SELECT id FROM rectify_orders WHERE enterprise_id = ?1"},
    {0},
};
