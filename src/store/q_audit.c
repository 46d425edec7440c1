/*
** Audit-log reads (the writes are store_audit_add in q_entity.c). Each row carries record_name,
** the name its record had when the row was written.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/store.h"

#define AUDIT_COLS                                                                                 \
    "a.id, a.at, a.actor_id, a.actor, a.entity, a.entity_id, a.action, a.before_json,"             \
    " a.after_json, a.request_id, a.ip, a.record_name"

static int page_out(struct db_stmt *st, size_t limit, struct buf *out)
{
    buf_puts(out, "{\"items\":");
    size_t n = 0;
    int rc = db_rows_json(st, 1, limit, out, &n);
    buf_puts(out, ",\"next_cursor\":");
    if (!rc && n == limit && db_step(st) == DB_ROW) {
        buf_printf(out, "\"%lld\"", (long long)db_column_int(st, 0));
    } else {
        buf_puts(out, "null");
    }
    buf_putc(out, '}');
    return rc;
}

int store_audit_list(struct db *db, const struct audit_query *q, struct buf *out)
{
    static const char sql[] =
        "SELECT " AUDIT_COLS " FROM audit_log a WHERE (?1 IS NULL OR a.entity = ?1)"
        " AND (?2 = 0 OR a.entity_id = ?2) AND (?3 = 0 OR a.actor_id = ?3)"
        " AND (?4 IS NULL OR a.action = ?4) AND (?5 IS NULL OR a.at >= ?5)"
        " AND (?6 IS NULL OR a.at < ?6) AND (?7 = 0 OR a.id <= ?7)"
        " ORDER BY a.id DESC LIMIT ?8";
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, q->entity, (size_t)-1);
    db_bind_int(st, 2, q->entity_id);
    db_bind_int(st, 3, q->actor_id);
    db_bind_text(st, 4, q->action, (size_t)-1);
    db_bind_text(st, 5, q->from, (size_t)-1);
    db_bind_text(st, 6, q->to, (size_t)-1);
    db_bind_int(st, 7, q->before_id);
    db_bind_int(st, 8, (int64_t)q->limit + 1);
    rc = page_out(st, q->limit, out);
    db_done(st);
    return rc;
}

int store_audit_recent(struct db *db, size_t limit, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "SELECT " AUDIT_COLS " FROM audit_log a WHERE a.entity <> 'session' AND"
                        " a.action NOT IN ('login', 'logout', 'login_failed', 'read') AND a.actor"
                        " <> 'system' ORDER BY a.id DESC LIMIT ?1",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_int(st, 1, (int64_t)limit);
    rc = db_rows_json(st, 1, 0, out, NULL);
    db_done(st);
    return rc;
}

int store_audit_enterprise(struct db *db, int64_t enterprise_id, size_t limit, struct buf *out)
{
    static const char sql[] = "SELECT " AUDIT_COLS " FROM audit_log a WHERE"
                              " (a.entity = 'enterprise' AND a.entity_id = ?1)"
                              " OR (a.entity = 'outlet' AND a.entity_id IN (SELECT id FROM outlets "
                              "WHERE enterprise_id = ?1))"
                              " OR (a.entity = 'point' AND a.entity_id IN (SELECT id FROM points "
                              "WHERE enterprise_id = ?1))"
                              " OR (a.entity = 'limit' AND a.entity_id IN"
                              "     (SELECT id FROM emission_limits WHERE enterprise_id = ?1))"
                              " OR (a.entity = 'permit' AND a.entity_id IN (SELECT id FROM permits "
                              "WHERE enterprise_id = ?1))"
                              " OR (a.entity = 'attachment' AND a.entity_id IN"
                              "     (SELECT id FROM attachments WHERE enterprise_id = ?1))"
                              " ORDER BY a.id DESC LIMIT ?2";
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st);
    if (rc) {
        return rc;
    }
    db_bind_int(st, 1, enterprise_id);
    db_bind_int(st, 2, (int64_t)limit + 1);
    rc = page_out(st, limit, out);
    db_done(st);
    return rc;
}
