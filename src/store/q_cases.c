/*
** Named queries of casework: cases and their timeline, the org unit of a region and the leader
** a case escalates to, and the to-do list. See q_cases.h.
*/
#include "store/q_cases.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "store/backend.h"

/* sort_at of a case without a deadline: after every real one. */
#define CASE_NO_DUE "9999-12-31T23:59:59Z"

#define CASE_COLS                                                                                  \
    "id, subject_id, COALESCE(enterprise_id, 0), COALESCE(org_unit_id, 0),"                        \
    " COALESCE(assignee_user_id, 0), limit_n, extended_n, started_at, paused_at, stopped_at,"      \
    " paused_s, rule_set_id, rule_version, actor_roles, is_open, type, subject_kind, state, unit," \
    " region_code, opened_at, COALESCE(due_at, ''), COALESCE(soon_at, ''), pauses, clock_error"

static const struct field_def case_fields[] = {
    {"state", FK_TEXT, FF_SERVER | FF_FILTER, 32, NULL, 0, 0},
};

const struct entity_def ENTITY_CASE = {
    "case",      "cases", "t.id, t.type, t.state, t.title, t.enterprise_id",
    case_fields, 1,       "enterprise_id",
    NULL,        "id",    NULL,
    NULL};

static void case_from_row(struct db_stmt *st, struct case_row *c)
{
    memset(c, 0, sizeof *c);
    int64_t *ints[] = {
        &c->id,       &c->subject_id,  &c->enterprise_id, &c->org_unit_id, &c->assignee_user_id,
        &c->limit_n,  &c->extended_n,  &c->started_at,    &c->paused_at,   &c->stopped_at,
        &c->paused_s, &c->rule_set_id, &c->rule_version};
    int i = 0;
    for (; i < (int)(sizeof ints / sizeof ints[0]); i++) {
        *ints[i] = db_column_int(st, i);
    }
    c->actor_roles = (unsigned)db_column_int(st, i++);
    c->is_open = db_column_int(st, i++) != 0;
    db_column_copy(st, i++, c->type, sizeof c->type);
    db_column_copy(st, i++, c->subject_kind, sizeof c->subject_kind);
    db_column_copy(st, i++, c->state, sizeof c->state);
    db_column_copy(st, i++, c->unit, sizeof c->unit);
    db_column_copy(st, i++, c->region_code, sizeof c->region_code);
    db_column_copy(st, i++, c->opened_at, sizeof c->opened_at);
    db_column_copy(st, i++, c->due_at, sizeof c->due_at);
    db_column_copy(st, i++, c->soon_at, sizeof c->soon_at);
    db_column_copy(st, i++, c->pauses, sizeof c->pauses);
    db_column_copy(st, i++, c->clock_error, sizeof c->clock_error);
}

static int bind_opt_id(struct db_stmt *st, int idx, int64_t v)
{
    return v ? db_bind_int(st, idx, v) : db_bind_null(st, idx);
}

static int bind_opt_text(struct db_stmt *st, int idx, const char *v)
{
    return v && *v ? db_bind_text(st, idx, v, (size_t)-1) : db_bind_null(st, idx);
}

int store_case_insert(struct db *db, const struct case_row *c, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "INSERT INTO cases (type, subject_kind, subject_id, title, region_code, state, is_open,"
        " actor_roles, opened_at, unit, limit_n, started_at, rule_set_id, rule_version,"
        " limit_source, clock_error, updated_at, enterprise_id, org_unit_id, due_at, soon_at,"
        " sort_at, assignee_user_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?9, ?10, ?11, ?12,"
        " ?13, ?14, ?15, ?8, ?16, ?17, ?18, ?19, COALESCE(?18, '" CASE_NO_DUE
        "'), ?20) RETURNING id",
        "ttitttittiiiitt", c->type, c->subject_kind, c->subject_id, c->title ? c->title : "",
        c->region_code, c->state, (int64_t)c->actor_roles, now, c->unit, c->limit_n, c->started_at,
        c->rule_set_id, c->rule_version, c->limit_source ? c->limit_source : "", c->clock_error);
    if (rc) {
        return rc;
    }
    bind_opt_id(st, 16, c->enterprise_id);
    bind_opt_id(st, 17, c->org_unit_id);
    bind_opt_text(st, 18, c->due_at);
    bind_opt_text(st, 19, c->soon_at);
    bind_opt_id(st, 20, c->assignee_user_id);
    return db_step_id(st, id);
}

int store_case_get(struct db *db, int64_t id, struct case_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT " CASE_COLS " FROM cases WHERE id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        case_from_row(st, out);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_case_update(struct db *db, const struct case_row *c, const char *now)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "UPDATE cases SET state = ?2, is_open = ?3, actor_roles = ?4, extended_n ="
        " ?5, paused_at = ?6, stopped_at = ?7, pauses = ?8, paused_s = ?9,"
        " clock_error = ?10, updated_at = ?11, closed_at = CASE WHEN ?3 = 0 THEN"
        " COALESCE(closed_at, ?11) END, due_at = ?12, soon_at = ?13, stopped_due_at ="
        " COALESCE(stopped_due_at, ?14), sort_at = "
        "COALESCE(?12, '" CASE_NO_DUE "') WHERE id = ?1",
        "itiiiiititt", c->id, c->state, (int64_t)c->is_open, (int64_t)c->actor_roles, c->extended_n,
        c->paused_at, c->stopped_at, c->pauses, c->paused_s, c->clock_error, now);
    if (rc) {
        return rc;
    }
    bind_opt_text(st, 12, c->due_at);
    bind_opt_text(st, 13, c->soon_at);
    bind_opt_text(st, 14, c->stopped_due_at);
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : 0;
}

int store_case_event_add(struct db *db, int64_t case_id, const char *at, int64_t actor_id,
                         const char *actor, const char *action, const char *from, const char *to,
                         const char *fields_json, const char *note)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO case_events (case_id, at, actor, action, from_state,"
                       " to_state, fields, note, actor_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                       " ?8, ?9)",
                       "itttttt"
                       "t",
                       case_id, at, actor ? actor : "", action, from ? from : "", to ? to : "",
                       fields_json && *fields_json ? fields_json : "{}", note ? note : "");
    if (rc) {
        return rc;
    }
    bind_opt_id(st, 9, actor_id);
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : 0;
}

int store_case_by_subject(struct db *db, const char *kind, int64_t subject_id, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id FROM cases WHERE subject_kind = ?1 AND subject_id = ?2 ORDER BY"
                       " is_open DESC, id DESC LIMIT 1",
                       "ti", kind, subject_id);
    if (rc) {
        return rc;
    }
    *id = 0;
    rc = db_step_id(st, id);
    return rc ? rc : *id ? 0 : ERR_NOTFOUND;
}

/* The prefix an org unit's region covers (GB/T 2260 zeros in pairs). */
#define UNIT_PREFIX SQL_REGION_PREFIX("r.region_code")

int store_org_unit_for_region(struct db *db, const char *region_code, int64_t *unit)
{
    static const char sql[] =
        "SELECT r.org_unit_id FROM org_unit_regions r JOIN org_units o ON o.id = r.org_unit_id"
        " WHERE o.status = 'active' AND substr(?1, 1, length(" UNIT_PREFIX ")) = " UNIT_PREFIX
        " ORDER BY length(" UNIT_PREFIX ") DESC, r.org_unit_id LIMIT 1";
    struct db_stmt *st;
    int rc = db_queryf(db, &st, sql, "t", region_code);
    if (rc) {
        return rc;
    }
    *unit = 0;
    return db_step_id(st, unit);
}

int store_leader_unit(struct db *db, int64_t unit, int64_t *out)
{
    *out = 0;
    for (int depth = 0; unit && depth < 16; depth++) {
        struct db_stmt *st;
        int64_t found = 0;
        int rc = db_queryf(db, &st,
                           "SELECT 1 FROM users WHERE org_unit_id = ?1 AND role = 'leader' AND"
                           " status = 'active' LIMIT 1",
                           "i", unit);
        rc = rc ? rc : db_step_id(st, &found);
        if (rc || found) {
            *out = found ? unit : 0;
            return rc;
        }
        rc = db_queryf(db, &st, "SELECT COALESCE(parent_id, 0) FROM org_units WHERE id = ?1", "i",
                       unit);
        rc = rc ? rc : db_step_id(st, &unit);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

int store_cases_overdue_each(struct db *db, const char *now, int64_t limit, db_row_fn row,
                             void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, COALESCE(org_unit_id, 0) FROM cases WHERE is_open = 1 AND"
                       " due_at < ?1 AND escalated_at IS NULL ORDER BY due_at, id LIMIT ?2",
                       "ti", now, limit);
    return rc ? rc : db_each(st, row, ctx);
}

int store_case_escalate(struct db *db, int64_t id, int64_t unit, const char *now)
{
    /* No leader up the tree: escalated all the same (the timeline says so), to no unit. */
    return db_runf(db,
                   "UPDATE cases SET escalated_at = ?2, escalated_unit_id = CASE WHEN ?3 > 0 THEN"
                   " ?3 END, updated_at = ?2 WHERE id = ?1",
                   "iti", id, now, unit);
}

int store_alarm_case_subject(struct db *db, int64_t alarm_id, const char *label,
                             struct alarm_case_subject *out)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st,
                  "SELECT a.enterprise_id, e.region_code, e.name || ' · ' || p.name || ' · ' ||"
                  " ?2 FROM alarms a JOIN points p ON p.id = a.point_id JOIN enterprises e ON"
                  " e.id = a.enterprise_id WHERE a.id = ?1",
                  "it", alarm_id, label);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        out->enterprise_id = db_column_int(st, 0);
        db_column_copy(st, 1, out->region_code, sizeof out->region_code);
        db_column_copy(st, 2, out->title, sizeof out->title);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

/* One JSON array of a statement's rows ("[]" when none). */
static int rows_json(struct db_stmt *st, size_t max, struct buf *out, size_t *n)
{
    size_t got = 0;
    int rc = db_rows_json(st, 1, max, out, &got);
    db_done(st);
    if (n) {
        *n = got;
    }
    return rc < 0 ? rc : 0;
}

#define CASE_JSON_COLS                                                                             \
    "c.id, c.type, c.subject_kind, c.subject_id, c.title, c.enterprise_id, (SELECT name FROM"      \
    " enterprises WHERE id = c.enterprise_id) AS enterprise_name, c.region_code, c.org_unit_id,"   \
    " (SELECT name FROM org_units WHERE id = c.org_unit_id) AS org_unit_name,"                     \
    " c.assignee_user_id, c.state, c.is_open, c.actor_roles, c.opened_at, c.closed_at, c.unit,"    \
    " c.limit_n, c.extended_n, c.started_at, c.paused_at, c.stopped_at, c.pauses, c.paused_s,"     \
    " c.due_at, c.soon_at, c.stopped_due_at, c.clock_error, c.rule_set_id, c.rule_version, "       \
    "c.limit_source,"                                                                              \
    " c.escalated_at, c.escalated_unit_id, (SELECT name FROM org_units WHERE id ="                 \
    " c.escalated_unit_id) AS escalated_unit_name"

int store_case_json(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT " CASE_JSON_COLS " FROM cases c WHERE c.id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s != DB_ROW) {
        db_done(st);
        return s < 0 ? s : ERR_NOTFOUND;
    }
    db_row_json(st, out);
    db_done(st);
    out->len--; /* reopen the object */
    buf_puts(out, ",\"events\":");
    rc = db_queryf(db, &st,
                   "SELECT id, at, actor_id, actor, action, from_state, to_state, fields AS"
                   " fields_json, note FROM case_events WHERE case_id = ?1 ORDER BY id",
                   "i", id);
    rc = rc ? rc : rows_json(st, 1000, out, NULL);
    buf_puts(out, ",\"attachments\":");
    rc = rc ? rc
            : db_queryf(db, &st,
                        "SELECT id, name, content_type, size, created_at FROM attachments WHERE"
                        " status = 'active' AND (case_id = ?1 OR (entity = 'case' AND entity_id"
                        " = ?1)) ORDER BY id",
                        "i", id);
    rc = rc ? rc : rows_json(st, 200, out, NULL);
    buf_putc(out, '}');
    return rc;
}

/* ---------------- the to-do list ---------------- */

/* The user's unit and the units below it: looked up first (store_org_unit_subtree) and bound
   as ?8..?71, a list each database plans with the unit index; a recursive CTE in the query made
   PostgreSQL scan every open case. Unused places hold NULL, which no row matches and which adds
   nothing to the planner's estimate (58 places of -1 made PostgreSQL expect 60,000 rows); a
   NOT IN over the list would be NULL, hence COALESCE(x IN (...), FALSE) where it is negated. */
#define UNIT_MAX 64
#define UNIT_IDS                                                                                   \
    " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,"               \
    " ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39,"             \
    " ?40, ?41, ?42, ?43, ?44, ?45, ?46, ?47, ?48, ?49, ?50, ?51, ?52, ?53, ?54, ?55,"             \
    " ?56, ?57, ?58, ?59, ?60, ?61, ?62, ?63, ?64, ?65, ?66, ?67, ?68, ?69, ?70, ?71"

/* The ids of unit and the units below it (at most cap; *n may exceed cap: then not all fit). */
static int unit_subtree(struct db *db, int64_t unit, int64_t *ids, size_t cap, size_t *n)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_queryf(db, &st,
                       "WITH RECURSIVE u(id) AS (SELECT id FROM org_units WHERE id = ?1 UNION ALL"
                       " SELECT o.id FROM org_units o JOIN u ON o.parent_id = u.id) SELECT id FROM"
                       " u ORDER BY id",
                       "i", unit);
    if (rc) {
        return rc;
    }
    int s;
    while ((s = db_step(st)) == DB_ROW) {
        if (*n < cap) {
            ids[*n] = db_column_int(st, 0);
        }
        (*n)++;
    }
    db_done(st);
    return s < 0 ? s : 0;
}

/* Waiting on the user, in four disjoint branches, each on an index of its own that also covers
   what the counts read: (1) assigned to them; (2) unassigned in their units and theirs to act
   on; (3) for an enterprise user, unassigned of their enterprise and theirs to act on (outside
   their units); (4) for a leader, escalated to their units and not already in (1) or (2).
   Branches are UNION ALL, never an OR, which would scan every open case. */
#define B_MINE " x.assignee_user_id = ?1 AND x.is_open = 1"
#define B_MINE_TO_ACT " COALESCE(x.assignee_user_id, 0) = 0 AND (x.actor_roles & ?2) <> 0"
#define B_UNIT " x.org_unit_id IN (" UNIT_IDS ") AND x.is_open = 1 AND" B_MINE_TO_ACT
#define B_ENTERPRISE                                                                               \
    " ?5 > 0 AND x.enterprise_id = ?5 AND x.is_open = 1 AND" B_MINE_TO_ACT                         \
    " AND NOT COALESCE(x.org_unit_id IN (" UNIT_IDS "), FALSE)"
#define B_ESCALATED                                                                                \
    " ?4 = 1 AND x.escalated_unit_id IN (" UNIT_IDS ") AND x.is_open = 1 AND"                      \
    " COALESCE(x.assignee_user_id, 0) <> ?1 AND NOT (" B_MINE_TO_ACT                               \
    " AND COALESCE(x.org_unit_id IN (" UNIT_IDS "), FALSE))"
/* The first ?7 ids of a branch by deadline (sort_at: due_at, or far ahead when none). */
#define B_FIRST(cond, name)                                                                        \
    " SELECT id FROM (SELECT x.id FROM cases x WHERE" cond " ORDER BY x.sort_at LIMIT ?7) " name
/* The counts of a branch: total, overdue, due soon. */
#define B_COUNT(cond)                                                                              \
    " SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN x.due_at <= ?6 THEN 1 ELSE 0 END), 0) AS o,"    \
    " COALESCE(SUM(CASE WHEN x.soon_at <= ?6 AND x.due_at > ?6 THEN 1 ELSE 0 END), 0) AS s FROM"   \
    " cases x WHERE" cond

static int todo_bind(struct db *db, struct db_stmt *st, const struct todo_who *w)
{
    int64_t ids[UNIT_MAX];
    size_t n = 0;
    int rc = w->org_unit_id ? unit_subtree(db, w->org_unit_id, ids, UNIT_MAX, &n) : 0;
    if (rc || n > UNIT_MAX) {
        return rc ? rc : ERR_TOOBIG; /* more units under one than a bureau has */
    }
    for (size_t i = 0; i < UNIT_MAX; i++) {
        i < n ? db_bind_int(st, 8 + (int)i, ids[i]) : db_bind_null(st, 8 + (int)i);
    }
    db_bind_int(st, 1, w->user_id);
    db_bind_int(st, 2, (int64_t)w->role);
    db_bind_int(st, 3, w->org_unit_id);
    db_bind_int(st, 4, w->leader ? 1 : 0);
    return db_bind_int(st, 5, w->enterprise_id ? w->enterprise_id : -1);
}

int store_todo_cases(struct db *db, const struct todo_who *w, const char *now, size_t limit,
                     struct buf *out, size_t *n)
{
    struct db_stmt *st;
    int rc = db_prepare(
        db,
        "SELECT 'case' AS source, c.id, c.type, c.title, c.state, c.enterprise_id, (SELECT"
        " name FROM enterprises WHERE id = c.enterprise_id) AS enterprise_name,"
        " c.org_unit_id, (SELECT name FROM org_units WHERE id = c.org_unit_id) AS"
        " org_unit_name, c.assignee_user_id, c.opened_at, c.due_at, c.escalated_at, CASE"
        " WHEN c.paused_at <> 0 THEN 'paused' WHEN c.stopped_at <> 0 THEN 'stopped' WHEN"
        " c.due_at IS NULL THEN 'none' WHEN c.due_at <= ?6 THEN 'overdue' WHEN c.soon_at <="
        " ?6 THEN 'due_soon' ELSE 'on_track' END AS clock FROM cases c WHERE c.id IN "
        "(" B_FIRST(B_MINE, "b1") " UNION ALL" B_FIRST(B_UNIT, "b2") " UNION ALL" B_FIRST(
            B_ENTERPRISE, "b3") " UNION ALL" B_FIRST(B_ESCALATED,
                                                     "b4") ") ORDER BY c.sort_at, c.id LIMIT ?7",
        &st);
    if (rc) {
        return rc;
    }
    rc = todo_bind(db, st, w);
    if (rc) {
        db_done(st);
        return rc;
    }
    db_bind_text(st, 6, now, (size_t)-1);
    db_bind_int(st, 7, (int64_t)limit);
    return rows_json(st, limit, out, n);
}

int store_todo_case_counts(struct db *db, const struct todo_who *w, const char *now, int64_t *total,
                           int64_t *overdue, int64_t *soon)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "SELECT COALESCE(SUM(n), 0), COALESCE(SUM(o), 0), COALESCE(SUM(s), 0)"
                        " FROM (" B_COUNT(B_MINE) " UNION ALL" B_COUNT(B_UNIT) " UNION ALL" B_COUNT(
                            B_ENTERPRISE) " UNION ALL" B_COUNT(B_ESCALATED) ") k",
                        &st);
    if (rc) {
        return rc;
    }
    rc = todo_bind(db, st, w);
    if (rc) {
        db_done(st);
        return rc;
    }
    db_bind_text(st, 6, now, (size_t)-1);
    db_bind_int(st, 7, 0); /* unused here: typed, so PostgreSQL knows every parameter of the list */
    int s = db_step(st);
    if (s == DB_ROW) {
        *total = db_column_int(st, 0);
        *overdue = db_column_int(st, 1);
        *soon = db_column_int(st, 2);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

int store_todo_units(struct db *db, int64_t unit, const char *now, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "WITH RECURSIVE u(id) AS (SELECT id FROM org_units WHERE id = ?1 UNION ALL"
                       " SELECT o.id FROM org_units o JOIN u ON o.parent_id = u.id) SELECT o.id AS"
                       " org_unit_id, o.name, COUNT(c.id) AS n_open, COALESCE(SUM(CASE WHEN"
                       " c.paused_at = 0 AND c.stopped_at = 0 AND c.due_at <= ?2 THEN 1 ELSE 0"
                       " END), 0) AS n_overdue FROM u JOIN org_units o ON o.id = u.id LEFT JOIN"
                       " cases c ON c.org_unit_id = o.id AND c.is_open = 1 GROUP BY o.id, o.name"
                       " ORDER BY o.id",
                       "it", unit, now);
    return rc ? rc : rows_json(st, 500, out, NULL);
}

int store_todo_notices(struct db *db, int64_t user_id, int64_t enterprise_id, size_t limit,
                       struct buf *out, size_t *n, int64_t *total)
{
    static const char from[] =
        " FROM notifications n WHERE n.enterprise_id = ?2 AND n.id > COALESCE((SELECT"
        " last_read_id FROM notification_reads WHERE user_id = ?1), 0)";
    struct db_stmt *st;
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", from);
    int rc = db_queryf(db, &st, sql, "ii", user_id, enterprise_id);
    *total = 0;
    rc = rc ? rc : db_step_id(st, total);
    snprintf(sql, sizeof sql,
             "SELECT 'notice' AS source, n.id, n.event, n.title, n.alarm_id, n.created_at AS"
             " opened_at%s ORDER BY n.id DESC LIMIT ?3",
             from);
    rc = rc ? rc : db_queryf(db, &st, sql, "iii", user_id, enterprise_id, (int64_t)limit);
    return rc ? rc : rows_json(st, limit, out, n);
}

/* The kinds of record the cases module writes to the audit log (store.h struct audit_kind). */
const struct audit_kind cases_audit_kinds[] = {
    {"case", "(SELECT title FROM cases WHERE id = ?5)", NULL},
    {0},
};
