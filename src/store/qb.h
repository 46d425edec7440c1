/*
** A statement built from constant pieces with its parameters collected in order (?1 …), for the
** store's list queries with optional filters (q_patrol.c, q_rectify_flow.c): qb_text / qb_int
** add a parameter and return its number; qb_scope appends the scope condition of store/scope.c;
** qb_page runs the count and one page as {"items":[…],"total":n}. Included only by src/store/.
*/
#ifndef ENVGOV_STORE_QB_H
#define ENVGOV_STORE_QB_H

#include <stdbool.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/scope.h"
#include "store/store.h"

/* A statement under construction: its SQL and its parameters in order (?1 …). */
/* Enough for five scoped parts of HTTP_MAX_PREFIXES (32) region prefixes each and their
   filters; a statement that would need more is refused when prepared (ERR_TOOBIG), never
   written past the arrays (the checks are not asserts: release builds keep them). */
#define QP_MAX 256
struct qb {
    struct buf sql;
    struct db_value v[QP_MAX];
    char pats[QP_MAX][40];
    int n;
    bool over; /* a parameter did not fit */
};

static inline void qb_init(struct qb *b)
{
    buf_init(&b->sql, 1 << 15);
    b->n = 0;
    b->over = false;
}

static inline int qb_text(struct qb *b, const char *s)
{
    if (b->n >= QP_MAX) {
        b->over = true;
        return b->n;
    }
    b->v[b->n] = (struct db_value){.type = s ? DB_TEXT : DB_NULL, .s = s, .n = s ? strlen(s) : 0};
    return ++b->n;
}

static inline int qb_int(struct qb *b, int64_t i)
{
    if (b->n >= QP_MAX) {
        b->over = true;
        return b->n;
    }
    b->v[b->n] = (struct db_value){.type = DB_INT, .i = i};
    return ++b->n;
}

/* " AND <scope on t>" with its parameters. */
static inline void qb_scope(struct qb *b, const struct scope *sc, const char *ent,
                            const char *region)
{
    buf_puts(&b->sql, " AND ");
    int k = store_scope_sql(&b->sql, sc, ent, region, b->n + 1);
    for (int i = 0; i < k; i++) {
        if (b->n >= QP_MAX) {
            b->over = true;
            return;
        }
        store_scope_param(sc, i, &b->v[b->n], b->pats[b->n]);
        if (b->v[b->n].type == DB_TEXT) {
            b->v[b->n].s = b->pats[b->n];
            b->v[b->n].n = strlen(b->pats[b->n]);
        }
        b->n++;
    }
}

/* "%s%" with LIKE's specials escaped (prefix), or "%s%" around (contains). */
static inline const char *like_pat(const char *s, bool prefix, char *out, size_t cap)
{
    size_t j = 0;
    if (!prefix && j + 1 < cap) {
        out[j++] = '%';
    }
    for (; *s && j + 3 < cap; s++) {
        if (*s == '%' || *s == '_' || *s == '\\') {
            out[j++] = '\\';
        }
        out[j++] = *s;
    }
    out[j++] = '%';
    out[j] = 0;
    return out;
}

static inline int qb_prepare(struct db *db, struct qb *b, struct db_stmt **st)
{
    *st = NULL;
    if (b->over) {
        return ERR_TOOBIG;
    }
    int rc = db_prepare(db, b->sql.p, st);
    for (int i = 0; !rc && i < b->n; i++) {
        const struct db_value *v = &b->v[i];
        rc = v->type == DB_INT    ? db_bind_int(*st, i + 1, v->i)
             : v->type == DB_TEXT ? db_bind_text(*st, i + 1, v->s, v->n)
                                  : db_bind_null(*st, i + 1);
    }
    if (rc && *st) {
        db_done(*st);
        *st = NULL;
    }
    return rc;
}

/* dst gets src's parameters (a scope pattern pointing into dst's own copy). */
static inline void qb_copy(struct qb *dst, const struct qb *src)
{
    memcpy(dst->v, src->v, sizeof src->v);
    memcpy(dst->pats, src->pats, sizeof src->pats);
    dst->n = src->n;
    dst->over = src->over;
    for (int i = 0; i < dst->n; i++) {
        if (dst->v[i].type == DB_TEXT && dst->v[i].s == src->pats[i]) {
            dst->v[i].s = dst->pats[i];
        }
    }
}

/* {"items":[rows],"total":n}: b holds FROM … WHERE …; the count and the page share it. */
static inline int qb_page(struct db *db, struct qb *b, const char *cols, const char *order,
                          int64_t limit, int64_t offset, struct buf *out)
{
    struct qb c;
    qb_init(&c);
    buf_printf(&c.sql, "SELECT COUNT(*) %s", b->sql.p);
    qb_copy(&c, b);
    struct db_stmt *st = NULL;
    int64_t total = 0;
    int rc = qb_prepare(db, &c, &st);
    rc = rc ? rc : db_step_id(st, &total);
    buf_release(&c.sql);
    if (rc) {
        return rc;
    }
    struct qb l;
    qb_init(&l);
    buf_printf(&l.sql, "SELECT %s %s ORDER BY %s LIMIT ?%d OFFSET ?%d", cols, b->sql.p, order,
               b->n + 1, b->n + 2);
    qb_copy(&l, b);
    qb_int(&l, limit);
    qb_int(&l, offset);
    size_t n = 0;
    rc = qb_prepare(db, &l, &st);
    if (!rc) {
        buf_puts(out, "{\"items\":");
        rc = db_rows_json(st, 1, 0, out, &n);
        db_done(st);
        buf_printf(out, ",\"total\":%lld}", (long long)total);
    }
    buf_release(&l.sql);
    return rc;
}

#endif
