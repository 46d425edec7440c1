/*
** Audit-log reads (the writes are store_audit_add in q_entity.c) and the dashboard figures.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/store.h"

#define AUDIT_COLS                                                                                 \
    "a.id, a.at, a.actor_id, a.actor, a.entity, a.entity_id, a.action, a.before_json,"             \
    " a.after_json, a.request_id, a.ip"

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
    int rc =
        db_prepare(db, "SELECT " AUDIT_COLS " FROM audit_log a ORDER BY a.id DESC LIMIT ?1", &st);
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

/* Scope condition on an enterprises alias e, as SQL with parameters from ?10 upward. */
static void scope_sql(const struct scope *sc, struct buf *sql)
{
    if (!sc || sc->kind == SCOPE_ALL) {
        buf_puts(sql, "1=1");
    } else if (sc->kind == SCOPE_ENTERPRISE) {
        buf_puts(sql, "e.id = ?10");
    } else if (sc->kind == SCOPE_NONE || sc->n_prefixes == 0) {
        buf_puts(sql, "1=0");
    } else {
        buf_putc(sql, '(');
        for (size_t i = 0; i < sc->n_prefixes; i++) {
            buf_printf(sql, "%se.region_code LIKE ?%zu", i ? " OR " : "", 11 + i);
        }
        buf_putc(sql, ')');
    }
}

static int scope_bind(struct db_stmt *st, const struct scope *sc)
{
    if (sc && sc->kind == SCOPE_ENTERPRISE) {
        return db_bind_int(st, 10, sc->enterprise_id);
    }
    for (size_t i = 0; sc && sc->kind == SCOPE_REGIONS && i < sc->n_prefixes; i++) {
        char pat[16];
        snprintf(pat, sizeof pat, "%s%%", sc->prefixes[i]);
        db_bind_text(st, (int)(11 + i), pat, (size_t)-1);
    }
    return 0;
}

/* Run "SELECT ... WHERE <scope>" built from fmt (with one %s for the scope) into out. */
static int scoped_json(struct db *db, const struct scope *sc, const char *fmt, const char *p1,
                       const char *p2, bool single, struct buf *out)
{
    struct buf cond, sql;
    buf_init(&cond, 1 << 14);
    buf_init(&sql, 1 << 16);
    scope_sql(sc, &cond);
    buf_printf(&sql, fmt, cond.p);
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    if (!rc) {
        if (p1) {
            db_bind_text(st, 1, p1, (size_t)-1);
        }
        if (p2) {
            db_bind_text(st, 2, p2, (size_t)-1);
        }
        scope_bind(st, sc);
        if (single) {
            int s = db_step(st);
            buf_printf(out, "%lld", s == DB_ROW ? (long long)db_column_int(st, 0) : 0LL);
        } else {
            rc = db_rows_json(st, 1, 0, out, NULL);
        }
        db_done(st);
    }
    buf_release(&cond);
    buf_release(&sql);
    return rc;
}

int store_dashboard(struct db *db, const struct scope *sc, const char *today,
                    const char *expiry_limit, struct buf *out)
{
    int rc;
    buf_puts(out, "{\"enterprises\":{\"total\":");
    rc = scoped_json(db, sc, "SELECT COUNT(*) FROM enterprises e WHERE e.status = 'active' AND %s",
                     NULL, NULL, true, out);
    buf_puts(out, ",\"by_category\":");
    rc = rc ? rc
            : scoped_json(db, sc,
                          "SELECT e.category, COUNT(*) AS n FROM enterprises e WHERE"
                          " e.status = 'active' AND %s GROUP BY e.category ORDER BY n DESC",
                          NULL, NULL, false, out);
    buf_puts(out, ",\"by_region\":");
    rc = rc ? rc
            : scoped_json(
                  db, sc,
                  "SELECT e.region_code, r.name AS region_name, COUNT(*) AS n FROM"
                  " enterprises e LEFT JOIN regions r ON r.code = e.region_code WHERE"
                  " e.status = 'active' AND %s GROUP BY e.region_code, r.name ORDER BY n DESC",
                  NULL, NULL, false, out);
    buf_puts(out, ",\"by_industry\":");
    rc = rc ? rc
            : scoped_json(
                  db, sc,
                  "SELECT substr(e.industry_code, 1, 2) AS division, i.name AS"
                  " division_name, COUNT(*) AS n FROM enterprises e LEFT JOIN industries i"
                  " ON i.code = substr(e.industry_code, 1, 2) WHERE e.status = 'active' AND"
                  " %s GROUP BY substr(e.industry_code, 1, 2), i.name ORDER BY n DESC LIMIT 10",
                  NULL, NULL, false, out);
    buf_puts(out, "},\"outlets\":{\"total\":");
    rc = rc ? rc
            : scoped_json(
                  db, sc,
                  "SELECT COUNT(*) FROM outlets o JOIN enterprises e ON e.id = o.enterprise_id"
                  " WHERE o.status = 'active' AND %s",
                  NULL, NULL, true, out);
    buf_puts(out, "},\"points\":{\"total\":");
    rc = rc ? rc
            : scoped_json(
                  db, sc,
                  "SELECT COUNT(*) FROM points p JOIN enterprises e ON e.id = p.enterprise_id"
                  " WHERE p.status = 'active' AND %s",
                  NULL, NULL, true, out);
    buf_puts(out, "},\"permits_expiring\":");
    rc = rc ? rc
            : scoped_json(db, sc,
                          "SELECT p.id, p.enterprise_id, e.name AS enterprise_name, p.number,"
                          " p.class, p.valid_from, p.valid_to FROM permits p JOIN enterprises e ON"
                          " e.id = p.enterprise_id WHERE p.status = 'active' AND p.valid_to >= ?1"
                          " AND p.valid_to <= ?2 AND %s ORDER BY p.valid_to, p.id LIMIT 100",
                          today, expiry_limit, false, out);
    buf_puts(out, ",\"permits_expired\":");
    rc = rc ? rc
            : scoped_json(
                  db, sc,
                  "SELECT COUNT(*) FROM permits p JOIN enterprises e ON e.id = p.enterprise_id"
                  " WHERE p.status = 'active' AND p.valid_to < ?1 AND %s",
                  today, NULL, true, out);
    buf_putc(out, '}');
    return rc;
}
