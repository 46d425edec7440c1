/*
** Who may see a row, in SQL (scope.h, the store's queries) and in C (store_scope_allows, for
** modules that hold a row already): an enterprise user their enterprise's rows, a regional
** user the rows of enterprises whose region code starts with one of their prefixes, the
** bureau everything, nobody nothing.
*/
#include "store/scope.h"

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
