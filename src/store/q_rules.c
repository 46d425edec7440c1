/*
** Rule-set queries: resolution of the version in force, versions written and frozen, lists and
** the alarms' link to the version that judged them. The region match is a prefix test written
** as substr(code, 1, length(prefix)) = prefix, the same on SQLite and PostgreSQL.
*/
#include "store/q_rules.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"

#define RULE_COLS                                                                                  \
    "id, kind, region_prefix, version, effective_from, source, note, body_sha256, body,"           \
    " created_at, COALESCE(used_at, '')"

static int one_row(struct db_stmt *st, rule_row_fn fn, void *ctx)
{
    int s = db_step(st);
    if (s != DB_ROW) {
        db_done(st);
        return s < 0 ? s : ERR_NOTFOUND;
    }
    struct rule_row r = {
        db_column_int(st, 0),        (int)db_column_int(st, 3),    db_column_text(st, 1, NULL),
        db_column_text(st, 2, NULL), db_column_text(st, 4, NULL),  db_column_text(st, 5, NULL),
        db_column_text(st, 6, NULL), db_column_text(st, 7, NULL),  db_column_text(st, 8, NULL),
        db_column_text(st, 9, NULL), db_column_text(st, 10, NULL),
    };
    int rc = fn(&r, ctx);
    db_done(st);
    return rc;
}

int store_rule_resolve(struct db *db, const char *kind, const char *region_code, const char *date,
                       rule_row_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT " RULE_COLS " FROM rule_sets WHERE kind = ?1 AND effective_from <="
                       " ?3 AND substr(?2, 1, length(region_prefix)) = region_prefix ORDER BY"
                       " length(region_prefix) DESC, effective_from DESC, version DESC LIMIT 1",
                       "ttt", kind, region_code, date);
    return rc ? rc : one_row(st, fn, ctx);
}

int store_rule_get(struct db *db, int64_t id, rule_row_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT " RULE_COLS " FROM rule_sets WHERE id = ?1", "i", id);
    return rc ? rc : one_row(st, fn, ctx);
}

int store_rule_insert(struct db *db, const struct rule_new *n, const char *now, int64_t *id,
                      int *version)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO rule_sets (kind, region_prefix, version, effective_from,"
                       " source, note, body, body_sha256, created_by, created_at, updated_at)"
                       " SELECT ?1, ?2, COALESCE(MAX(version), 0) + 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                       " ?9 FROM rule_sets WHERE kind = ?1 AND region_prefix = ?2"
                       " RETURNING id, version",
                       "ttttttt", n->kind, n->region_prefix, n->effective_from, n->source,
                       n->note ? n->note : "", n->body, n->sha256);
    if (rc) {
        return rc;
    }
    if (n->created_by) {
        db_bind_int(st, 8, n->created_by);
    } else {
        db_bind_null(st, 8);
    }
    db_bind_text(st, 9, now, (size_t)-1);
    int s = db_step(st);
    if (s == DB_ROW) {
        *id = db_column_int(st, 0);
        *version = (int)db_column_int(st, 1);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_DB;
}

/* After a guarded write changed nothing: absent, or used. */
static int why_unchanged(struct db *db, int64_t id)
{
    struct db_stmt *st;
    int64_t found = 0;
    int rc = db_queryf(db, &st, "SELECT id FROM rule_sets WHERE id = ?1", "i", id);
    if (!rc) {
        rc = db_step_id(st, &found);
    }
    return rc ? rc : found ? ERR_CONFLICT : ERR_NOTFOUND;
}

int store_rule_update(struct db *db, int64_t id, const struct rule_new *n, const char *now)
{
    int rc =
        db_runf(db,
                "UPDATE rule_sets SET effective_from = ?2, source = ?3, note = ?4, body = ?5,"
                " body_sha256 = ?6, updated_at = ?7 WHERE id = ?1 AND used_at IS NULL",
                "ittttt"
                "t",
                id, n->effective_from, n->source, n->note ? n->note : "", n->body, n->sha256, now);
    return rc ? rc : db_changes(db) ? 0 : why_unchanged(db, id);
}

int store_rule_delete(struct db *db, int64_t id)
{
    int rc = db_runf(db, "DELETE FROM rule_sets WHERE id = ?1 AND used_at IS NULL", "i", id);
    return rc ? rc : db_changes(db) ? 0 : why_unchanged(db, id);
}

/* Only the first use writes: every alarm marks its version, and an UPDATE of the same row by
   each one would queue every writer batch that opens an alarm behind that row's lock on
   PostgreSQL. Later uses only read that the version (with this body) is still there. */
int store_rule_mark_used(struct db *db, int64_t id, const char *sha256, const char *now)
{
    int rc = db_runf(db,
                     "UPDATE rule_sets SET used_at = ?3 WHERE id = ?1 AND body_sha256 = ?2 AND"
                     " used_at IS NULL",
                     "itt", id, sha256, now);
    if (rc || db_changes(db)) {
        return rc;
    }
    struct db_stmt *st;
    int64_t n = 0;
    rc = db_queryf(db, &st, "SELECT COUNT(*) FROM rule_sets WHERE id = ?1 AND body_sha256 = ?2",
                   "it", id, sha256);
    rc = rc ? rc : db_step_id(st, &n);
    return rc ? rc : n ? 0 : ERR_CONFLICT;
}

int store_rule_count(struct db *db, const char *kind, const char *region_prefix, int64_t *n)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st, "SELECT COUNT(*) FROM rule_sets WHERE kind = ?1 AND region_prefix = ?2",
                  "tt", kind, region_prefix);
    return rc ? rc : db_step_id(st, n);
}

int store_rule_list(struct db *db, const char *kind, const char *region_prefix, size_t limit,
                    struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT r.id, r.kind, r.region_prefix, (SELECT name FROM regions WHERE"
                       " code = substr(r.region_prefix || '000000', 1, 6)) AS region_name,"
                       " r.version, r.effective_from, r.source, r.note, r.body_sha256 AS sha256,"
                       " r.created_at, r.updated_at, r.used_at, (SELECT display_name FROM users"
                       " WHERE id = r.created_by) AS created_by_name FROM rule_sets r WHERE (?1"
                       " IS NULL OR r.kind = ?1) AND (?2 IS NULL OR r.region_prefix = ?2) ORDER"
                       " BY r.kind, r.region_prefix, r.version DESC LIMIT ?3",
                       "tti", kind, region_prefix, (int64_t)limit);
    if (rc) {
        return rc;
    }
    buf_puts(out, "{\"items\":");
    size_t n = 0;
    rc = db_rows_json(st, 1, limit, out, &n);
    db_done(st);
    buf_putc(out, '}');
    return rc;
}

int store_rule_json(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT r.id, r.kind, r.region_prefix, (SELECT name FROM regions WHERE"
                       " code = substr(r.region_prefix || '000000', 1, 6)) AS region_name,"
                       " r.version, r.effective_from, r.source, r.note, r.body_sha256 AS sha256,"
                       " r.body AS body_json, r.created_at, r.updated_at, r.used_at, (SELECT"
                       " display_name FROM users WHERE id = r.created_by) AS created_by_name,"
                       " (SELECT COUNT(*) FROM alarms WHERE rule_set_id = r.id) AS alarms FROM"
                       " rule_sets r WHERE r.id = ?1",
                       "i", id);
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

int store_rule_stamp(struct db *db, const char *kind, char out[64])
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(MAX(updated_at), '') FROM"
                       " rule_sets WHERE kind = ?1",
                       "t", kind);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        snprintf(out, 64, "%lld/%lld/%s", (long long)db_column_int(st, 0),
                 (long long)db_column_int(st, 1), db_column_text(st, 2, NULL));
    }
    db_done(st);
    return s < 0 ? s : 0;
}

int store_rule_point_regions_each(struct db *db, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT p.id, e.region_code FROM points p JOIN enterprises e ON e.id ="
                       " p.enterprise_id WHERE p.status = 'active'",
                       "");
    return rc ? rc : db_each(st, row, ctx);
}

int store_alarm_rule_set(struct db *db, int64_t alarm_id, int64_t rule_set_id)
{
    return db_runf(db, "UPDATE alarms SET rule_set_id = ?2 WHERE id = ?1", "ii", alarm_id,
                   rule_set_id);
}

int store_alarm_normal_rules_each(struct db *db, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT DISTINCT COALESCE(rule_set_id, 0) FROM alarms WHERE status <>"
                       " 'closed' AND normal_since IS NOT NULL",
                       "");
    return rc ? rc : db_each(st, row, ctx);
}

int store_alarm_autoclose_rule(struct db *db, int64_t rule_set_id, const char *before,
                               const char *now, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "UPDATE alarms SET status = 'closed', closed_at = ?2, close_reason ="
                       " 'auto' WHERE status <> 'closed' AND normal_since IS NOT NULL AND"
                       " normal_since <= ?1 AND COALESCE(rule_set_id, 0) = ?3 RETURNING id,"
                       " point_id, enterprise_id, kind, factor",
                       "tti", before, now, rule_set_id);
    return rc ? rc : db_each(st, row, ctx);
}

/* The kinds of record the rules module writes to the audit log (store.h struct audit_kind). */
const struct audit_kind rules_audit_kinds[] = {
    {"rule_set",
     "(SELECT kind || ' · ' || CASE region_prefix WHEN '' THEN '全部' ELSE region_prefix END ||"
     " ' · v' || version FROM rule_sets WHERE id = ?5)",
     NULL},
    {0},
};
