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
