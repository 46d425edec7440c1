/*
** Audit-log reads (the writes are store_audit_add in q_entity.c). Each row carries record_name,
** the name its record had when the row was written.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/backend.h"
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

/* An enterprise's change history: the audit rows of every kind with a history_sql. */
static const char *g_history_sql;

void audit_history_build(const struct audit_kind *const *kinds, size_t n)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    buf_puts(&b, "SELECT " AUDIT_COLS " FROM audit_log a WHERE");
    size_t hist = 0;
    for (size_t i = 0; i < n; i++) {
        if (kinds[i]->history_sql) {
            buf_printf(&b, "%s (a.entity = '%s' AND a.entity_id IN (%s))", hist++ ? " OR" : "",
                       kinds[i]->entity, kinds[i]->history_sql);
        }
    }
    buf_puts(&b, " ORDER BY a.id DESC LIMIT ?2");
    if (hist) {
        g_history_sql = xstrdup(b.p); /* kept for the process: built once, before threads */
    }
    buf_release(&b);
}

int store_audit_enterprise(struct db *db, int64_t enterprise_id, size_t limit, struct buf *out)
{
    if (!g_history_sql) {
        buf_puts(out, "{\"items\":[],\"next_cursor\":null}");
        return 0;
    }
    struct db_stmt *st;
    int rc = db_prepare(db, g_history_sql, &st);
    if (rc) {
        return rc;
    }
    db_bind_int(st, 1, enterprise_id);
    db_bind_int(st, 2, (int64_t)limit + 1);
    rc = page_out(st, limit, out);
    db_done(st);
    return rc;
}

const struct audit_kind platform_audit_kinds[] = {
    {"attachment",
     "(SELECT COALESCE(e.name || ' · ', '') || a.name FROM attachments a LEFT JOIN enterprises e"
     " ON e.id = a.enterprise_id WHERE a.id = ?5)",
     "SELECT id FROM attachments WHERE enterprise_id = ?1"},
    {"database", NULL, NULL}, /* import-db, demo data: the whole database */
    {0},
};

const struct audit_kind calendar_audit_kinds[] = {
    {"calendar", NULL, NULL}, /* a year's holidays and make-up workdays */
    {0},
};
