/*
** Who may see a row, in SQL (scope.h, the store's queries) and in C (store_scope_allows, for
** modules that hold a row already): an enterprise user their enterprise's rows, a regional
** user the rows of enterprises whose region code starts with one of their prefixes, the
** bureau everything, nobody nothing.
*/
#include "store/scope.h"

#include <stdio.h>
#include <string.h>

bool store_scope_allows(const struct scope *sc, int64_t enterprise_id, const char *region_code)
{
    switch (sc ? sc->kind : SCOPE_ALL) {
    case SCOPE_ALL: return true;
    case SCOPE_ENTERPRISE: return enterprise_id && enterprise_id == sc->enterprise_id;
    case SCOPE_REGIONS:
        for (size_t i = 0; region_code && i < sc->n_prefixes; i++) {
            if (!strncmp(region_code, sc->prefixes[i], strlen(sc->prefixes[i]))) {
                return true;
            }
        }
        return false;
    default: return false;
    }
}

int store_scope_sql(struct buf *sql, const struct scope *sc, const char *ent_col,
                    const char *region_col, int first)
{
    if (!sc || sc->kind == SCOPE_ALL) {
        buf_puts(sql, "1=1");
        return 0;
    }
    if (sc->kind == SCOPE_ENTERPRISE) {
        buf_printf(sql, "%s = ?%d", ent_col, first);
        return 1;
    }
    if (sc->kind != SCOPE_REGIONS || sc->n_prefixes == 0) {
        buf_puts(sql, "1=0");
        return 0;
    }
    if (region_col) {
        buf_putc(sql, '(');
    } else {
        buf_printf(sql, "%s IN (SELECT id FROM enterprises WHERE ", ent_col);
    }
    for (size_t i = 0; i < sc->n_prefixes; i++) {
        buf_printf(sql, "%s%s LIKE ?%d ESCAPE '\\'", i ? " OR " : "",
                   region_col ? region_col : "region_code", first + (int)i);
    }
    buf_putc(sql, ')');
    return store_scope_n_params(sc);
}

int store_scope_sql_unit(struct buf *sql, const struct scope *sc, const char *unit_col, int first)
{
    if (!sc || sc->kind == SCOPE_ALL) {
        buf_puts(sql, "1=1");
        return 0;
    }
    if (sc->kind == SCOPE_ENTERPRISE) {
        buf_printf(sql, "?%d < 0", first); /* an enterprise id is positive: never */
        return 1;
    }
    if (sc->kind != SCOPE_REGIONS || sc->n_prefixes == 0) {
        buf_puts(sql, "1=0");
        return 0;
    }
    buf_printf(sql, "EXISTS (SELECT 1 FROM org_unit_regions s WHERE s.org_unit_id = %s AND (",
               unit_col);
    for (size_t i = 0; i < sc->n_prefixes; i++) {
        buf_printf(sql, "%ss.region_code LIKE ?%d ESCAPE '\\'", i ? " OR " : "", first + (int)i);
    }
    /* A unit above the user's (the city bureau over a county's branch) is visible too: its
       region is an ancestor of a prefix, written out in full (prefix 330522: 330500, 330000).
       Prefixes are digits (region codes); anything else adds nothing. */
    for (size_t i = 0; i < sc->n_prefixes; i++) {
        const char *p = sc->prefixes[i];
        size_t len = strlen(p);
        if (len > 12 || strspn(p, "0123456789") != len) {
            continue;
        }
        for (size_t k = 2; k < len && k <= 6; k += 2) {
            buf_printf(sql, " OR s.region_code = '%.*s%.*s'", (int)k, p, (int)(6 - k), "0000");
        }
    }
    buf_puts(sql, "))");
    return store_scope_n_params(sc);
}

int store_scope_n_params(const struct scope *sc)
{
    if (!sc || sc->kind == SCOPE_ALL) {
        return 0;
    }
    return sc->kind == SCOPE_ENTERPRISE ? 1 : sc->kind == SCOPE_REGIONS ? (int)sc->n_prefixes : 0;
}

void store_scope_param(const struct scope *sc, int i, struct db_value *v, char pat[40])
{
    memset(v, 0, sizeof *v);
    if (sc->kind == SCOPE_ENTERPRISE) {
        v->type = DB_INT;
        v->i = sc->enterprise_id;
        return;
    }
    size_t n = 0;
    for (const char *p = sc->prefixes[i]; *p && n < 37; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') {
            pat[n++] = '\\';
        }
        pat[n++] = *p;
    }
    pat[n++] = '%';
    pat[n] = 0;
    v->type = DB_TEXT;
    v->s = pat;
    v->n = n;
}

/* The scope condition on an enterprises alias e (store/scope.c, as the entity lists), its
   parameters from ?10 upward. */
static void scoped_cond(const struct scope *sc, struct buf *sql)
{
    store_scope_sql(sql, sc, "e.id", "e.region_code", 10);
}

int store_scope_bind(struct db_stmt *st, const struct scope *sc, int first)
{
    int rc = 0;
    for (int i = 0, n = store_scope_n_params(sc); i < n && !rc; i++) {
        struct db_value v;
        char pat[40];
        store_scope_param(sc, i, &v, pat);
        rc = v.type == DB_INT ? db_bind_int(st, first + i, v.i)
                              : db_bind_text(st, first + i, v.s, v.n);
    }
    return rc;
}

int store_scoped_open(struct db *db, const struct scope *sc, const char *fmt,
                      const char *const *texts, size_t n_texts, struct store_scoped *q)
{
    buf_init(&q->cond, 1 << 14);
    buf_init(&q->sql, 1 << 16);
    q->st = NULL;
    scoped_cond(sc, &q->cond);
    buf_printf(&q->sql, fmt, q->cond.p);
    int rc = db_prepare(db, q->sql.p, &q->st);
    for (size_t i = 0; !rc && i < n_texts && texts[i]; i++) {
        db_bind_text(q->st, (int)i + 1, texts[i], (size_t)-1);
    }
    if (!rc) {
        rc = store_scope_bind(q->st, sc, 10);
    }
    return rc;
}

void store_scoped_done(struct store_scoped *q)
{
    if (q->st) {
        db_done(q->st);
    }
    buf_release(&q->cond);
    buf_release(&q->sql);
}

void store_json_str_kv(struct buf *out, const char *key, const char *v)
{
    buf_putc(out, '"');
    buf_puts(out, key);
    buf_puts(out, "\":");
    buf_json_str(out, v, strlen(v));
}

int store_scoped_json(struct db *db, const struct scope *sc, const char *fmt, const char *p1,
                      const char *p2, bool single, struct buf *out)
{
    const char *texts[] = {p1, p2};
    struct store_scoped q;
    int rc = store_scoped_open(db, sc, fmt, texts, 2, &q);
    if (!rc && single) {
        int s = db_step(q.st);
        buf_printf(out, "%lld", s == DB_ROW ? (long long)db_column_int(q.st, 0) : 0LL);
        rc = s < 0 ? s : 0;
    } else if (!rc) {
        rc = db_rows_json(q.st, 1, 0, out, NULL);
    }
    store_scoped_done(&q);
    return rc;
}
