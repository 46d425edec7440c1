/*
** The emergency module's queries (q_emergency.h).
*/
#include "store/q_emergency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/qb.h"
#include "store/scope.h"

const struct audit_kind emergency_audit_kinds[] = {
    {"emergency_grade", "(SELECT name FROM enterprises WHERE id = ?5)",
     "SELECT enterprise_id FROM emergency_grades WHERE enterprise_id = ?1"},
    {"emergency_alert",
     "(SELECT level || ' ' || starts_at || ' – ' || ends_at FROM emergency_alerts WHERE id = ?5)",
     NULL},
    {0},
};

/* A grade's evidence files: attachments of entity emergency_grade, id the enterprise's (the
   table has no id column of its own, so the visible hook scopes them, not enterprise_col). */
static const struct field_def grade_fields[] = {
    {"grade", FK_TEXT, FF_SERVER, 16, NULL, 0, 0},
};
const struct entity_def ENTITY_EMERGENCY_GRADE = {
    "emergency_grade",
    "emergency_grades",
    "t.enterprise_id AS id, t.enterprise_id, t.grade, t.livelihood, t.low_voc, t.sheet_state,"
    " t.updated_at",
    grade_fields,
    sizeof grade_fields / sizeof grade_fields[0],
    NULL, /* scoped by store_emergency_grade_attach_visible */
    NULL,
    "enterprise_id",
    NULL,
    NULL};

int store_emergency_grade_attach_visible(struct db *db, const struct scope *sc, int64_t id,
                                         int64_t *enterprise_id)
{
    struct db_stmt *st;
    *enterprise_id = 0;
    int rc = db_queryf(db, &st,
                       "SELECT e.region_code FROM emergency_grades g JOIN enterprises e ON e.id ="
                       " g.enterprise_id WHERE g.enterprise_id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    char region[16] = "";
    rc = db_step(st);
    if (rc == DB_ROW) {
        db_column_copy(st, 0, region, sizeof region);
        rc = store_scope_allows(sc, id, region) ? 0 : ERR_NOTFOUND;
    } else {
        rc = rc == DB_DONE ? ERR_NOTFOUND : ERR_DB;
    }
    db_done(st);
    *enterprise_id = rc ? 0 : id;
    return rc;
}

static int done_rc(int rc)
{
    return rc == DB_DONE || rc == DB_ROW ? 0 : rc < 0 ? rc : ERR_DB;
}

int store_emergency_enterprise(struct db *db, int64_t id, char region[16], char *name, size_t cap)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT region_code, name FROM enterprises WHERE id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc == DB_ROW) {
        db_column_copy(st, 0, region, 16);
        if (name) {
            db_column_copy(st, 1, name, cap);
        }
        rc = 0;
    } else {
        rc = rc == DB_DONE ? ERR_NOTFOUND : ERR_DB;
    }
    db_done(st);
    return rc;
}

int store_emergency_grade_put(struct db *db, int64_t ent, const char *grade, bool livelihood,
                              bool low_voc, const char *evidence, const char *now)
{
    return db_runf(
        db,
        "INSERT INTO emergency_grades (enterprise_id, grade, livelihood, low_voc, evidence,"
        " updated_at) VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT (enterprise_id) DO UPDATE"
        " SET grade = excluded.grade, livelihood = excluded.livelihood, low_voc ="
        " excluded.low_voc, evidence = excluded.evidence, updated_at = excluded.updated_at",
        "itiitt", ent, grade, (int64_t)livelihood, (int64_t)low_voc, evidence, now);
}

int store_emergency_sheet_json(struct db *db, int64_t ent, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT e.id AS enterprise_id, e.name AS enterprise_name, e.region_code,"
                       " g.grade, COALESCE(g.livelihood,0) AS livelihood, COALESCE(g.low_voc,0)"
                       " AS low_voc, COALESCE(g.evidence,'') AS evidence, COALESCE(g.sheet_state,"
                       "'draft') AS sheet_state, g.confirmed_at, g.updated_at FROM enterprises e"
                       " LEFT JOIN emergency_grades g ON g.enterprise_id = e.id WHERE e.id = ?1",
                       "i", ent);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc != DB_ROW) {
        db_done(st);
        return rc == DB_DONE ? ERR_NOTFOUND : ERR_DB;
    }
    db_row_json(st, out);
    db_done(st);
    out->len--; /* reopen the object */
    buf_puts(out, ",\"lines\":");
    rc =
        db_queryf(db, &st,
                  "SELECT id, name, process, point_id, normal_flow, base_so2, base_nox, base_pm,"
                  " base_vocs, plan_json FROM emergency_lines WHERE enterprise_id = ?1 ORDER BY id",
                  "i", ent);
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 0, out, &n);
    db_done(st);
    buf_putc(out, '}');
    return rc;
}

int store_emergency_grades_json(struct db *db, const struct scope *sc, struct buf *out)
{
    return store_scoped_json(
        db, sc,
        "SELECT e.id AS enterprise_id, e.name AS enterprise_name,"
        " e.region_code, g.grade, g.livelihood, g.low_voc, g.sheet_state,"
        " (SELECT COUNT(*) FROM emergency_lines l WHERE l.enterprise_id = e.id)"
        " AS lines, g.updated_at FROM emergency_grades g JOIN enterprises e"
        " ON e.id = g.enterprise_id WHERE %s ORDER BY e.region_code, e.id",
        NULL, NULL, false, out);
}

int store_emergency_lines_replace(struct db *db, int64_t ent, const struct emergency_line_row *l,
                                  size_t n, const char *now)
{
    int rc = db_runf(db, "DELETE FROM emergency_lines WHERE enterprise_id = ?1", "i", ent);
    for (size_t i = 0; !rc && i < n; i++) {
        struct db_stmt *st;
        rc =
            db_queryf(db, &st,
                      "INSERT INTO emergency_lines (enterprise_id, name, process, point_id,"
                      " normal_flow, base_so2, base_nox, base_pm, base_vocs, plan_json, updated_at)"
                      " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
                      "ittnrrrrrtt", ent, l[i].name, l[i].process, l[i].normal_flow, l[i].base[0],
                      l[i].base[1], l[i].base[2], l[i].base[3], l[i].plan_json, now);
        if (!rc && l[i].point_id) {
            rc = db_bind_int(st, 4, l[i].point_id);
        }
        rc = rc ? rc : done_rc(db_step(st));
        db_done(st);
    }
    rc = rc ? rc
            : db_runf(db,
                      "UPDATE emergency_grades SET sheet_state = 'draft', confirmed_by = NULL,"
                      " confirmed_at = NULL, updated_at = ?2 WHERE enterprise_id = ?1",
                      "it", ent, now);
    return rc;
}

int store_emergency_sheet_confirm(struct db *db, int64_t ent, int64_t user, const char *now)
{
    int rc = db_runf(db,
                     "UPDATE emergency_grades SET sheet_state = 'confirmed', confirmed_by = ?2,"
                     " confirmed_at = ?3, updated_at = ?3 WHERE enterprise_id = ?1",
                     "iit", ent, user, now);
    return rc ? rc : db_changes(db) ? 0 : ERR_NOTFOUND;
}

bool store_emergency_point_of(struct db *db, int64_t point_id, int64_t ent)
{
    struct db_stmt *st;
    if (db_queryf(db, &st, "SELECT 1 FROM points WHERE id = ?1 AND enterprise_id = ?2", "ii",
                  point_id, ent)) {
        return false;
    }
    bool ok = db_step(st) == DB_ROW;
    db_done(st);
    return ok;
}

int store_emergency_alert_insert(struct db *db, const struct emergency_alert_row *a,
                                 const char *note, int64_t user, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO emergency_alerts (level, regions, starts_at, ends_at, note,"
                       " rule_set_id, issued_by, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)"
                       " RETURNING id",
                       "tttttiit", a->level, a->regions, a->starts_at, a->ends_at, note,
                       a->rule_set_id, user, now);
    return rc ? rc : db_step_id(st, id);
}

int store_emergency_alert_get(struct db *db, int64_t id, struct emergency_alert_row *a)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, rule_set_id, level, regions, starts_at, ends_at FROM"
                       " emergency_alerts WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc == DB_ROW) {
        a->id = db_column_int(st, 0);
        a->rule_set_id = db_column_int(st, 1);
        db_column_copy(st, 2, a->level, sizeof a->level);
        db_column_copy(st, 3, a->regions, sizeof a->regions);
        db_column_copy(st, 4, a->starts_at, sizeof a->starts_at);
        db_column_copy(st, 5, a->ends_at, sizeof a->ends_at);
        rc = 0;
    } else {
        rc = rc == DB_DONE ? ERR_NOTFOUND : ERR_DB;
    }
    db_done(st);
    return rc;
}

int store_emergency_alerts_json(struct db *db, const char *region, const char *at, struct buf *out)
{
    struct db_stmt *st;
    /* regions is a comma list of region prefixes: an alert covers region when one prefixes it */
    int rc =
        db_queryf(db, &st,
                  "SELECT a.id, a.level, a.regions AS regions_list, a.starts_at, a.ends_at,"
                  " a.note, a.rule_set_id, a.created_at FROM emergency_alerts a WHERE"
                  " (?1 = '' OR (',' || a.regions || ',') LIKE ('%,' || SUBSTR(?1,1,2) || ',%') OR"
                  " (',' || a.regions || ',') LIKE ('%,' || SUBSTR(?1,1,4) || ',%') OR"
                  " (',' || a.regions || ',') LIKE ('%,' || ?1 || ',%'))"
                  " AND (?2 IS NULL OR (a.starts_at <= ?2 AND a.ends_at > ?2))"
                  " ORDER BY a.starts_at DESC, a.id DESC LIMIT 200",
                  "tt", region, at);
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 0, out, &n);
    db_done(st);
    return rc;
}

int store_emergency_control_each(struct db *db, int64_t alert_id, const char *regions,
                                 const struct scope *sc, emergency_line_fn fn, void *ctx)
{
    struct qb *q = xcalloc(1, sizeof *q);
    qb_init(q);
    qb_text(q, regions); /* ?1 */
    qb_int(q, alert_id); /* ?2 */
    buf_puts(
        &q->sql,
        "SELECT e.id, COALESCE(l.id,0), COALESCE(l.point_id,0), e.name, e.region_code, g.grade,"
        " l.name, COALESCE(l.plan_json,'{}'), g.livelihood, g.low_voc,"
        " COALESCE(l.normal_flow,0), COALESCE(l.base_so2,0), COALESCE(l.base_nox,0),"
        " COALESCE(l.base_pm,0), COALESCE(l.base_vocs,0), x.confirmed_at,"
        " COALESCE(x.compliance,'unknown'), COALESCE(x.task_id,0) FROM emergency_grades g JOIN"
        " enterprises e ON e.id = g.enterprise_id LEFT JOIN emergency_lines l ON"
        " l.enterprise_id = e.id LEFT JOIN emergency_executions x ON x.enterprise_id = e.id"
        " AND x.alert_id = ?2 WHERE e.status = 'active' AND ((',' || ?1 || ',') LIKE ('%,' ||"
        " SUBSTR(e.region_code,1,2) || ',%') OR (',' || ?1 || ',') LIKE ('%,' ||"
        " SUBSTR(e.region_code,1,4) || ',%') OR (',' || ?1 || ',') LIKE ('%,' || e.region_code"
        " || ',%'))");
    qb_scope(q, sc, "e.id", "e.region_code");
    buf_puts(&q->sql, " ORDER BY e.region_code, e.id, l.id");
    struct db_stmt *st;
    int rc = qb_prepare(db, q, &st);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        rc = 0;
        struct emergency_firm_line l = {
            .ent = db_column_int(st, 0),
            .line_id = db_column_int(st, 1),
            .point_id = db_column_int(st, 2),
            .name = db_column_text(st, 3, NULL),
            .region = db_column_text(st, 4, NULL),
            .grade = db_column_text(st, 5, NULL),
            .line_name = db_column_text(st, 6, NULL),
            .plan_json = db_column_text(st, 7, NULL),
            .livelihood = db_column_int(st, 8) != 0,
            .low_voc = db_column_int(st, 9) != 0,
            .normal_flow = db_column_real(st, 10),
            .confirmed_at = db_column_text(st, 15, NULL),
            .compliance = db_column_text(st, 16, NULL),
            .task_id = db_column_int(st, 17),
        };
        for (int p = 0; p < 4; p++) {
            l.base[p] = db_column_real(st, 11 + p);
        }
        fn(&l, ctx);
    }
    if (st) {
        db_done(st);
    }
    buf_release(&q->sql);
    free(q);
    return rc == DB_DONE || rc == 0 ? 0 : rc < 0 ? rc : ERR_DB;
}

int store_emergency_confirm(struct db *db, int64_t alert_id, int64_t ent, int64_t user,
                            const char *note, const char *now)
{
    return db_runf(db,
                   "INSERT INTO emergency_executions (alert_id, enterprise_id, confirmed_at,"
                   " confirmed_by, note) VALUES (?1,?2,?3,?4,?5) ON CONFLICT (alert_id,"
                   " enterprise_id) DO UPDATE SET confirmed_at = excluded.confirmed_at,"
                   " confirmed_by = excluded.confirmed_by, note = excluded.note",
                   "iitit", alert_id, ent, now, user, note);
}

int store_emergency_compliance_set(struct db *db, int64_t alert_id, int64_t ent,
                                   const char *compliance, int64_t task_id, const char *now)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO emergency_executions (alert_id, enterprise_id, compliance,"
                       " checked_at, task_id) VALUES (?1,?2,?3,?4,?5) ON CONFLICT (alert_id,"
                       " enterprise_id) DO UPDATE SET compliance = excluded.compliance, checked_at"
                       " = excluded.checked_at, task_id = COALESCE(excluded.task_id,"
                       " emergency_executions.task_id)",
                       "iittn", alert_id, ent, compliance, now);
    if (!rc && task_id) {
        rc = db_bind_int(st, 5, task_id);
    }
    rc = rc ? rc : done_rc(db_step(st));
    db_done(st);
    return rc;
}

int store_emergency_flow(struct db *db, int64_t point_id, const char *factor, const char *from,
                         const char *to, double *avg, size_t *n)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT COALESCE(AVG(value),0), COUNT(value) FROM readings WHERE point_id ="
                       " ?1 AND factor = ?2 AND kind IN ('Avg','Rtd') AND data_time >= ?3 AND"
                       " data_time < ?4",
                       "ittt", point_id, factor, from, to);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    *avg = rc == DB_ROW ? db_column_real(st, 0) : 0;
    *n = rc == DB_ROW ? (size_t)db_column_int(st, 1) : 0;
    db_done(st);
    return rc == DB_ROW ? 0 : ERR_DB;
}

int store_emergency_current_level(struct db *db, const char *region, const char *at, char level[8])
{
    struct db_stmt *st;
    level[0] = 0;
    int rc = db_queryf(
        db, &st,
        "SELECT level FROM emergency_alerts a WHERE a.starts_at <= ?2 AND a.ends_at > ?2 AND ("
        "(',' || a.regions || ',') LIKE ('%,' || SUBSTR(?1,1,2) || ',%') OR (',' || a.regions ||"
        " ',') LIKE ('%,' || SUBSTR(?1,1,4) || ',%') OR (',' || a.regions || ',') LIKE ('%,' ||"
        " ?1 || ',%')) ORDER BY CASE level WHEN 'red' THEN 0 WHEN 'orange' THEN 1 WHEN 'yellow'"
        " THEN 2 ELSE 3 END LIMIT 1",
        "tt", region, at);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc == DB_ROW) {
        db_column_copy(st, 0, level, 8);
    }
    db_done(st);
    return rc == DB_ROW || rc == DB_DONE ? 0 : ERR_DB;
}

int store_emergency_demo(struct db *db, const char *today, int *n_firms)
{
    char now[32], from[20], to[20];
    snprintf(now, sizeof now, "%sT00:00:00Z", today);
    snprintf(from, sizeof from, "%s 00:00:00", today);
    snprintf(to, sizeof to, "%s 23:59:59", today);
    int rc = db_runf(
        db,
        "INSERT INTO emergency_grades (enterprise_id, grade, livelihood, low_voc, evidence,"
        " sheet_state, updated_at) SELECT id, CASE id % 6 WHEN 0 THEN 'A' WHEN 1 THEN 'B' WHEN 2"
        " THEN 'B-' WHEN 3 THEN 'C' WHEN 4 THEN 'D' ELSE 'leading' END, CASE WHEN id % 9 = 0 THEN"
        " 1 ELSE 0 END, CASE WHEN id % 7 = 0 THEN 1 ELSE 0 END, '绩效分级评定表（演示）',"
        " 'confirmed', ?1 FROM enterprises WHERE status = 'active' AND region_code = '330502'"
        " AND id NOT IN (SELECT enterprise_id FROM emergency_grades) ORDER BY id LIMIT 40",
        "t", now);
    for (int k = 1; !rc && k <= 2; k++) {
        rc = db_runf(
            db,
            "INSERT INTO emergency_lines (enterprise_id, name, process, point_id, normal_flow,"
            " base_so2, base_nox, base_pm, base_vocs, plan_json, updated_at) SELECT "
            "g.enterprise_id,"
            " CASE WHEN ?2 = 1 THEN '1号生产线' ELSE '2号生产线' END, CASE WHEN ?2 = 1 THEN '窑炉'"
            " ELSE '粉磨' END, CASE WHEN ?2 = 1 THEN (SELECT MIN(p.id) FROM points p WHERE"
            " p.enterprise_id = g.enterprise_id) END, CASE WHEN ?2 = 1 THEN 60000 ELSE 0 END,"
            " 40 + g.enterprise_id % 60, 60 + g.enterprise_id % 80, 15 + g.enterprise_id % 20,"
            " 10 + g.enterprise_id % 30, '{\"blue\":{\"action\":\"self\",\"so2\":2,\"nox\":3,"
            "\"pm\":1,\"vocs\":1},\"yellow\":{\"action\":\"limit\",\"so2\":6,\"nox\":8,\"pm\":2,"
            "\"vocs\":2},\"orange\":{\"action\":\"stop_part\",\"so2\":12,\"nox\":15,\"pm\":4,"
            "\"vocs\":3},\"red\":{\"action\":\"stop\",\"so2\":0,\"nox\":0,\"pm\":0,\"vocs\":0}}', "
            "?1"
            " FROM emergency_grades g WHERE NOT EXISTS (SELECT 1 FROM emergency_lines l WHERE"
            " l.enterprise_id = g.enterprise_id AND l.name = CASE WHEN ?2 = 1 THEN '1号生产线' ELSE"
            " '2号生产线' END)",
            "ti", now, (int64_t)k);
    }
    rc = rc ? rc
            : db_runf(db,
                      "INSERT INTO emergency_alerts (level, regions, starts_at, ends_at, note,"
                      " rule_set_id, created_at) SELECT 'orange', '330502', ?1, ?2,"
                      " '吴兴区重污染天气橙色预警（演示）', MIN(id), ?3 FROM rule_sets WHERE kind ="
                      " 'emergency.levels' HAVING MIN(id) IS NOT NULL",
                      "ttt", from, to, now);
    struct db_stmt *st;
    *n_firms = 0;
    if (!rc && !db_queryf(db, &st, "SELECT COUNT(*) FROM emergency_grades", "")) {
        int64_t n = 0;
        rc = db_step_id(st, &n);
        *n_firms = (int)n;
    }
    return rc;
}
