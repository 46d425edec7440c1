/*
** Named queries of the registry that the generic entity queries do not cover.
*/
#include "store/q_registry.h"

#include "core/err.h"

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
