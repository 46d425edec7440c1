/*
** Named queries of the registry that the generic entity queries do not cover.
*/
#include "store/q_registry.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/scope.h"

int store_enterprise_id_by_uscc(struct db *db, const char *uscc, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_prepare(db, "SELECT id FROM enterprises WHERE uscc = ?1", &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, uscc, (size_t)-1);
    int s = db_step(st);
    if (s == DB_ROW) {
        *id = db_column_int(st, 0);
    }
    db_done(st);
    return s == DB_ROW ? 0 : (s < 0 ? s : ERR_NOTFOUND);
}

/* ---- the 工作台's figures of the registry (GET /api/v1/dashboard), within a scope ---- */

static int registry_figures(struct db *db, const struct scope *sc, struct buf *out)
{
    int rc;
    buf_puts(out, ",\"enterprises\":{\"total\":");
    rc = store_scoped_json(db, sc,
                           "SELECT COUNT(*) FROM enterprises e WHERE e.status = 'active' AND %s",
                           NULL, NULL, true, out);
    buf_puts(out, ",\"by_category\":");
    rc = rc ? rc
            : store_scoped_json(db, sc,
                                "SELECT e.category, COUNT(*) AS n FROM enterprises e WHERE"
                                " e.status = 'active' AND %s GROUP BY e.category ORDER BY n DESC",
                                NULL, NULL, false, out);
    buf_puts(out, ",\"by_region\":");
    rc = rc ? rc
            : store_scoped_json(
                  db, sc,
                  "SELECT e.region_code, r.name AS region_name, COUNT(*) AS n FROM"
                  " enterprises e LEFT JOIN regions r ON r.code = e.region_code WHERE"
                  " e.status = 'active' AND %s GROUP BY e.region_code, r.name ORDER BY n DESC",
                  NULL, NULL, false, out);
    buf_puts(out, ",\"by_industry\":");
    rc = rc ? rc
            : store_scoped_json(
                  db, sc,
                  "SELECT substr(e.industry_code, 1, 2) AS division, i.name AS"
                  " division_name, COUNT(*) AS n FROM enterprises e LEFT JOIN industries i"
                  " ON i.code = substr(e.industry_code, 1, 2) WHERE e.status = 'active' AND"
                  " %s GROUP BY substr(e.industry_code, 1, 2), i.name ORDER BY n DESC LIMIT 10",
                  NULL, NULL, false, out);
    buf_puts(out, "},\"outlets\":{\"total\":");
    rc = rc ? rc
            : store_scoped_json(
                  db, sc,
                  "SELECT COUNT(*) FROM outlets o JOIN enterprises e ON e.id = o.enterprise_id"
                  " WHERE o.status = 'active' AND %s",
                  NULL, NULL, true, out);
    buf_puts(out, "},\"points\":{\"total\":");
    rc = rc ? rc
            : store_scoped_json(
                  db, sc,
                  "SELECT COUNT(*) FROM points p JOIN enterprises e ON e.id = p.enterprise_id"
                  " WHERE p.status = 'active' AND %s",
                  NULL, NULL, true, out);
    buf_putc(out, '}');
    return rc;
}

static int permit_figures(struct db *db, const struct scope *sc, const char *today,
                          const char *expiry_limit, struct buf *out)
{
    buf_puts(out, ",\"permits_expiring\":");
    int rc =
        store_scoped_json(db, sc,
                          "SELECT p.id, p.enterprise_id, e.name AS enterprise_name, p.number,"
                          " p.class, p.valid_from, p.valid_to FROM permits p JOIN enterprises e ON"
                          " e.id = p.enterprise_id WHERE p.status = 'active' AND p.valid_to >= ?1"
                          " AND p.valid_to <= ?2 AND %s ORDER BY p.valid_to, p.id LIMIT 100",
                          today, expiry_limit, false, out);
    /* The list stops at 100; the count does not. */
    buf_puts(out, ",\"permits_expiring_total\":");
    rc = rc ? rc
            : store_scoped_json(
                  db, sc,
                  "SELECT COUNT(*) FROM permits p JOIN enterprises e ON e.id = p.enterprise_id"
                  " WHERE p.status = 'active' AND p.valid_to >= ?1 AND p.valid_to <= ?2 AND %s",
                  today, expiry_limit, true, out);
    buf_puts(out, ",\"permits_expired\":");
    rc = rc ? rc
            : store_scoped_json(
                  db, sc,
                  "SELECT COUNT(*) FROM permits p JOIN enterprises e ON e.id = p.enterprise_id"
                  " WHERE p.status = 'active' AND p.valid_to < ?1 AND %s",
                  today, NULL, true, out);
    return rc;
}

int store_dashboard_registry(struct db *db, const struct scope *sc, const char *today,
                             const char *expiry_limit, struct buf *out)
{
    int rc = registry_figures(db, sc, out);
    return rc ? rc : permit_figures(db, sc, today, expiry_limit, out);
}

/* The kinds of record the registry module writes to the audit log (store.h struct audit_kind). */
const struct audit_kind registry_audit_kinds[] = {
    {"enterprise", "(SELECT name FROM enterprises WHERE id = ?5)", "SELECT ?1"},
    {"outlet",
     "(SELECT e.name || ' · ' || o.code || ' ' || o.name FROM outlets o JOIN enterprises e ON"
     " e.id = o.enterprise_id WHERE o.id = ?5)",
     "SELECT id FROM outlets WHERE enterprise_id = ?1"},
    {"point",
     "(SELECT e.name || ' · ' || p.name FROM points p JOIN enterprises e ON e.id = p.enterprise_id"
     " WHERE p.id = ?5)",
     "SELECT id FROM points WHERE enterprise_id = ?1"},
    {"limit",
     "(SELECT e.name || ' · ' || o.code || ' ' || COALESCE(c.name, l.pollutant_code) FROM"
     " emission_limits l JOIN outlets o ON o.id = l.outlet_id JOIN enterprises e ON e.id ="
     " l.enterprise_id LEFT JOIN pollutants c ON c.code = l.pollutant_code WHERE l.id = ?5)",
     "SELECT id FROM emission_limits WHERE enterprise_id = ?1"},
    {"permit",
     "(SELECT e.name || ' · ' || p.number FROM permits p JOIN enterprises e ON e.id ="
     " p.enterprise_id WHERE p.id = ?5)",
     "SELECT id FROM permits WHERE enterprise_id = ?1"},
    {"agency", "(SELECT name FROM agencies WHERE id = ?5)", NULL},
    {0},
};
