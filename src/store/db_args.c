/*
** Statements with their parameters in one call: types is one letter per parameter —
** i int64_t, r double, t const char * (NULL binds NULL), n NULL.
*/
#include <stdarg.h>
#include <string.h>

#include "store/store.h"

static int bind_va(struct db_stmt *st, const char *types, va_list ap)
{
    int rc = 0;
    for (int i = 0; types[i] && !rc; i++) {
        switch (types[i]) {
        case 'i': rc = db_bind_int(st, i + 1, va_arg(ap, int64_t)); break;
        case 'r': rc = db_bind_real(st, i + 1, va_arg(ap, double)); break;
        case 't': rc = db_bind_text(st, i + 1, va_arg(ap, const char *), (size_t)-1); break;
        default: rc = db_bind_null(st, i + 1); break;
        }
    }
    return rc;
}

int db_queryf(struct db *db, struct db_stmt **st, const char *sql, const char *types, ...)
{
    int rc = db_prepare(db, sql, st);
    if (rc) {
        return rc;
    }
    va_list ap;
    va_start(ap, types);
    rc = bind_va(*st, types, ap);
    va_end(ap);
    if (rc) {
        db_done(*st);
    }
    return rc;
}

int db_runf(struct db *db, const char *sql, const char *types, ...)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st);
    if (rc) {
        return rc;
    }
    va_list ap;
    va_start(ap, types);
    rc = bind_va(st, types, ap);
    va_end(ap);
    int s = rc ? rc : db_step(st);
    db_done(st);
    return s < 0 ? s : 0;
}

int db_step_id(struct db_stmt *st, int64_t *id)
{
    int s = db_step(st);
    *id = s == DB_ROW ? db_column_int(st, 0) : 0;
    if (s == DB_ROW) {
        s = db_step(st);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

int db_each(struct db_stmt *st, db_row_fn row, void *ctx)
{
    int s;
    while ((s = db_step(st)) == DB_ROW) {
        row(st, ctx);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

void db_column_copy(struct db_stmt *st, int i, char *dst, size_t cap)
{
    size_t n = 0;
    const char *p = db_column_text(st, i, &n);
    n = n < cap - 1 ? n : cap - 1;
    memcpy(dst, p, n);
    dst[n] = 0;
}
