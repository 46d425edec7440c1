/*
** Generic queries over the entity descriptions in entities.c: paged lists with filters,
** search, sort and keyset cursors; single-row reads; inserts and updates; all scoped by
** struct scope. SQL text is assembled from constant identifiers only; every value is bound.
*/
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/backend.h"
#include "store/scope.h"
#include "store/store.h"

#define MAX_PARAMS 64

struct sqlb {
    struct buf sql;
    struct db_value params[MAX_PARAMS];
    char *owned[MAX_PARAMS]; /* heap strings built here (LIKE patterns) */
    int n;
};

static void sqlb_init(struct sqlb *b)
{
    buf_init(&b->sql, 1 << 16);
    b->n = 0;
    memset(b->owned, 0, sizeof b->owned);
}

static void sqlb_free(struct sqlb *b)
{
    buf_release(&b->sql);
    for (int i = 0; i < MAX_PARAMS; i++) {
        free(b->owned[i]);
    }
}

/* Add a text parameter and return its number (for ?N), or 0 when full. */
static int param_text(struct sqlb *b, const char *s, size_t n, bool own)
{
    if (b->n >= MAX_PARAMS) {
        return 0;
    }
    struct db_value *v = &b->params[b->n];
    v->type = DB_TEXT;
    v->s = s;
    v->n = n;
    if (own) {
        b->owned[b->n] = (char *)s;
    }
    return ++b->n;
}

static int param_int(struct sqlb *b, int64_t i)
{
    if (b->n >= MAX_PARAMS) {
        return 0;
    }
    b->params[b->n].type = DB_INT;
    b->params[b->n].i = i;
    return ++b->n;
}

/* "%" pre + escaped(s) + post "%" pattern for LIKE ... ESCAPE '\'. Heap-owned. */
static char *like_pattern(const char *pre, const char *s, const char *post)
{
    struct buf b;
    buf_init(&b, 4096);
    buf_puts(&b, pre);
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\') {
            buf_putc(&b, '\\');
        }
        buf_putc(&b, *s);
    }
    buf_puts(&b, post);
    return buf_steal(&b, NULL);
}

static const struct field_def *field(const struct entity_def *e, const char *name)
{
    for (size_t i = 0; i < e->n_fields; i++) {
        if (!strcmp(e->fields[i].name, name)) {
            return &e->fields[i];
        }
    }
    return NULL;
}

static int bind_all(struct db_stmt *st, const struct db_value *v, int n)
{
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        switch (v[i].type) {
        case DB_INT: rc = db_bind_int(st, i + 1, v[i].i); break;
        case DB_REAL: rc = db_bind_real(st, i + 1, v[i].r); break;
        case DB_TEXT: rc = db_bind_text(st, i + 1, v[i].s, v[i].n); break;
        default: rc = db_bind_null(st, i + 1); break;
        }
    }
    return rc;
}

static int where_scope(struct sqlb *b, const struct entity_def *e, const struct scope *sc)
{
    if (!sc || sc->kind == SCOPE_ALL || (!e->enterprise_col && !e->region_col && !e->unit_col)) {
        return 0;
    }
    bool direct = e->enterprise_col && !strcmp(e->enterprise_col, "id");
    char ent[80], reg[80];
    snprintf(ent, sizeof ent, "t.%s", e->enterprise_col ? e->enterprise_col : "id");
    snprintf(reg, sizeof reg, "t.%s", e->region_col ? e->region_col : "region_code");
    buf_puts(&b->sql, " AND ");
    int n;
    if (e->enterprise_col) {
        n = store_scope_sql(&b->sql, sc, ent, direct ? reg : NULL, b->n + 1);
    } else if (e->region_col) {
        /* rows of no enterprise: no enterprise user's id is -1, so they see none */
        n = store_scope_sql(&b->sql, sc, "-1", reg, b->n + 1);
    } else {
        snprintf(ent, sizeof ent, "t.%s", e->unit_col);
        n = store_scope_sql_unit(&b->sql, sc, ent, b->n + 1);
    }
    for (int i = 0; i < n; i++) {
        struct db_value v;
        char pat[40];
        store_scope_param(sc, i, &v, pat);
        char *own = v.type == DB_TEXT ? xstrdup(pat) : NULL;
        if (!(own ? param_text(b, own, v.n, true) : param_int(b, v.i))) {
            free(own); /* more parameters than a query takes */
            return ERR_INPUT;
        }
    }
    return 0;
}

static int where_filter(struct sqlb *b, const struct field_def *f, const char *v)
{
    int k;
    if (f->kind == FK_TAGS) {
        char *pat = like_pattern("%,", v, ",%");
        k = param_text(b, pat, strlen(pat), true);
        buf_printf(&b->sql, " AND (',' || t.%s || ',') LIKE ?%d ESCAPE '\\'", f->name, k);
    } else if (f->flags & FF_PREFIX) {
        char *pat = like_pattern("", v, "%");
        k = param_text(b, pat, strlen(pat), true);
        buf_printf(&b->sql, " AND t.%s LIKE ?%d ESCAPE '\\'", f->name, k);
    } else if (f->kind == FK_REF || f->kind == FK_INT) {
        int64_t i;
        if (parse_i64(v, strlen(v), &i)) {
            return ERR_INPUT;
        }
        k = param_int(b, i);
        buf_printf(&b->sql, " AND t.%s = ?%d", f->name, k);
    } else if (f->kind == FK_ENUM && strchr(v, ',')) {
        /* "open,acknowledged": any of the listed values */
        buf_printf(&b->sql, " AND t.%s IN (", f->name);
        k = 1;
        for (const char *p = v; k && *p;) {
            size_t n = strcspn(p, ",");
            k = param_text(b, p, n, false);
            buf_printf(&b->sql, "%s?%d", p == v ? "" : ", ", k);
            p += n + (p[n] == ',');
        }
        buf_putc(&b->sql, ')');
    } else {
        k = param_text(b, v, strlen(v), false);
        buf_printf(&b->sql, " AND t.%s = ?%d", f->name, k);
    }
    return k ? 0 : ERR_INPUT;
}

static int where_search(struct sqlb *b, const struct entity_def *e, const char *q)
{
    bool searchable = false;
    for (size_t i = 0; i < e->n_fields; i++) {
        searchable = searchable || (e->fields[i].flags & FF_SEARCH);
    }
    if (!searchable) {
        buf_puts(&b->sql, " AND 1=0"); /* nothing to search in: no match, no unused parameter */
        return 0;
    }
    char *pat = like_pattern("%", q, "%");
    int k = param_text(b, pat, strlen(pat), true);
    if (!k) {
        free(pat);
        return ERR_INPUT;
    }
    const char *sep = " AND (";
    for (size_t i = 0; i < e->n_fields; i++) {
        if (e->fields[i].flags & FF_SEARCH) {
            buf_printf(&b->sql, "%st.%s LIKE ?%d ESCAPE '\\'", sep, e->fields[i].name, k);
            sep = " OR ";
        }
    }
    buf_puts(&b->sql, strcmp(sep, " OR ") ? "" : ")");
    return 0;
}

/* Rows whose enterprise's region code starts with prefix (within the scope already added). */
static int where_region(struct sqlb *b, const struct entity_def *e, const char *prefix)
{
    char *pat = like_pattern("", prefix, "%");
    int k = param_text(b, pat, strlen(pat), true);
    if (!k) {
        free(pat);
        return ERR_INPUT;
    }
    if (!strcmp(e->enterprise_col, "id")) {
        buf_printf(&b->sql, " AND t.region_code LIKE ?%d ESCAPE '\\'", k);
    } else {
        buf_printf(&b->sql,
                   " AND t.%s IN (SELECT id FROM enterprises WHERE region_code LIKE ?%d"
                   " ESCAPE '\\')",
                   e->enterprise_col, k);
    }
    return 0;
}

static int build_where(struct sqlb *b, const struct entity_def *e, const struct scope *sc,
                       const struct list_query *q)
{
    buf_puts(&b->sql, " WHERE 1=1");
    int rc = where_scope(b, e, sc);
    if (!rc && q->parent_col) {
        buf_printf(&b->sql, " AND t.%s = ?%d", q->parent_col, param_int(b, q->parent_id));
    }
    for (size_t i = 0; !rc && i < q->n_filters; i++) {
        const struct field_def *f = field(e, q->filter_field[i]);
        rc = f ? where_filter(b, f, q->filter_value[i]) : ERR_INPUT;
    }
    if (!rc && q->q && *q->q) {
        rc = where_search(b, e, q->q);
    }
    if (!rc && q->valid_to_before && field(e, "valid_to")) {
        int k = param_text(b, q->valid_to_before, strlen(q->valid_to_before), false);
        buf_printf(&b->sql, " AND t.valid_to <= ?%d", k);
    }
    if (!rc && q->region_prefix && e->enterprise_col) {
        rc = where_region(b, e, q->region_prefix);
    }
    if (!rc && q->active_from && field(e, "last_at")) {
        int k = param_text(b, q->active_from, strlen(q->active_from), false);
        buf_printf(&b->sql, " AND t.last_at >= ?%d", k);
    }
    if (!rc && q->active_to && field(e, "first_at")) {
        int k = param_text(b, q->active_to, strlen(q->active_to), false);
        buf_printf(&b->sql, " AND t.first_at <= ?%d", k);
    }
    return rc;
}

/* Cursor: base64url of "<type><value>\n<id>", type i/r/t. */
static void cursor_make(struct db_stmt *st, int sort_col, int id_col, struct buf *out)
{
    struct buf raw;
    buf_init(&raw, 8192);
    enum db_type t = db_column_type(st, sort_col);
    if (t == DB_INT) {
        buf_printf(&raw, "i%lld", (long long)db_column_int(st, sort_col));
    } else if (t == DB_REAL) {
        buf_printf(&raw, "r%.17g", db_column_real(st, sort_col));
    } else {
        size_t n;
        const char *p = db_column_text(st, sort_col, &n);
        buf_putc(&raw, 't');
        buf_append(&raw, p, n);
    }
    buf_printf(&raw, "\n%lld", (long long)db_column_int(st, id_col));
    size_t cap = sodium_base64_ENCODED_LEN(raw.len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *enc = xmalloc(cap);
    sodium_bin2base64(enc, cap, (unsigned char *)raw.p, raw.len,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    buf_json_str(out, enc, strlen(enc));
    free(enc);
    buf_release(&raw);
}

/* What a sort field orders by, for x (its column, or a bound value compared with it): the value
   itself, or for a name (FF_ZH) its pinyin order, the zh collation, with 长 read cháng as in
   most names (长兴, 长江; ICU reads it zhǎng). SQLite's zh collation reads 长 so itself;
   PostgreSQL's cannot be tailored (before version 16), so there the name is compared with 长
   replaced by 常. Either way the enterprise name index (migration 6) is on the same expression. */
static void sort_expr(char out[128], const struct field_def *sf, bool pg, const char *x)
{
    if (sf && (sf->flags & FF_ZH)) {
        snprintf(out, 128, pg ? "replace(%s, '长', '常') COLLATE zh" : "%s COLLATE zh", x);
    } else {
        snprintf(out, 128, "%s", x);
    }
}

static int where_cursor(struct sqlb *b, const char *sort, const struct field_def *sf, bool pg,
                        bool desc, const char *cursor)
{
    size_t n = strlen(cursor);
    if (n > 2048) {
        return ERR_INPUT;
    }
    char *raw = xmalloc(n + 1);
    size_t len = 0;
    if (sodium_base642bin((unsigned char *)raw, n, cursor, n, NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
        len < 3) {
        free(raw);
        return ERR_INPUT;
    }
    raw[len] = 0;
    char *nl = memrchr(raw, '\n', len); /* the sort value itself may hold newlines */
    int64_t id;
    if (!nl || parse_i64(nl + 1, len - (size_t)(nl + 1 - raw), &id)) {
        free(raw);
        return ERR_INPUT;
    }
    *nl = 0;
    int kv;
    if (raw[0] == 'i' || raw[0] == 'r') {
        double d;
        int64_t i;
        if (raw[0] == 'i' && !parse_i64(raw + 1, strlen(raw + 1), &i)) {
            kv = param_int(b, i);
        } else if (!parse_f64(raw + 1, strlen(raw + 1), &d)) {
            kv = b->n < MAX_PARAMS ? (b->params[b->n].type = DB_REAL, b->params[b->n].r = d, ++b->n)
                                   : 0;
        } else {
            free(raw);
            return ERR_INPUT;
        }
        free(raw);
    } else if (raw[0] == 't') {
        char *v = xstrdup(raw + 1);
        free(raw);
        kv = param_text(b, v, strlen(v), true);
    } else {
        free(raw);
        return ERR_INPUT;
    }
    int ki = param_int(b, id);
    const char *op = desc ? "<" : ">";
    char col[64], lhs[128], rhs[128], param[16];
    snprintf(col, sizeof col, "t.%s", sort);
    snprintf(param, sizeof param, "?%d", kv);
    sort_expr(lhs, sf, pg, col);
    sort_expr(rhs, sf, pg, param);
    buf_printf(&b->sql, " AND (%s %s %s OR (%s = %s AND t.id %s= ?%d))", lhs, op, rhs, lhs, rhs, op,
               ki);
    return kv && ki ? 0 : ERR_INPUT;
}

static int count_rows(struct db *db, const struct entity_def *e, struct sqlb *w, int64_t *out)
{
    struct buf sql;
    buf_init(&sql, 1 << 16);
    buf_printf(&sql, "SELECT COUNT(*) FROM %s t%s", e->table, w->sql.p);
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    if (!rc) {
        rc = bind_all(st, w->params, w->n);
        if (!rc && db_step(st) == DB_ROW) {
            *out = db_column_int(st, 0);
        }
        db_done(st);
    }
    buf_release(&sql);
    return rc;
}

static int column_index(struct db_stmt *st, const char *name)
{
    int n = db_column_count(st);
    for (int i = 0; i < n; i++) {
        if (!strcmp(db_column_name(st, i), name)) {
            return i;
        }
    }
    return -1;
}

int store_entity_list(struct db *db, const struct entity_def *e, const struct scope *sc,
                      const struct list_query *q, struct buf *out)
{
    const char *sort = q->sort ? q->sort : e->default_sort;
    bool desc = q->sort ? q->desc : sort[0] == '-'; /* "-id": newest first by default */
    sort += !q->sort && sort[0] == '-';
    const struct field_def *sf = field(e, sort);
    if (strcmp(sort, "id") && (!sf || !(sf->flags & FF_SORT))) {
        return ERR_INPUT;
    }
    struct sqlb w;
    sqlb_init(&w);
    int64_t total = -1;
    int rc = build_where(&w, e, sc, q);
    if (!rc && q->with_total) {
        rc = count_rows(db, e, &w, &total);
    }
    if (!rc && q->cursor && *q->cursor) {
        rc = where_cursor(&w, sort, sf, db_is_pg(db), desc, q->cursor);
    }
    struct buf sql;
    buf_init(&sql, 1 << 16);
    const char *dir = desc ? " DESC" : "";
    char col[64], order[128];
    snprintf(col, sizeof col, "t.%s", sort);
    sort_expr(order, sf, db_is_pg(db), col);
    buf_printf(&sql, "SELECT %s, t.%s AS _sort FROM %s t%s ORDER BY %s%s, t.id%s LIMIT %zu",
               e->select, sort, e->table, w.sql.p ? w.sql.p : "", order, dir, dir, q->limit + 1);
    struct db_stmt *st = NULL;
    if (!rc) {
        rc = db_prepare(db, sql.p, &st);
    }
    if (!rc) {
        rc = bind_all(st, w.params, w.n);
    }
    if (!rc) {
        size_t n = 0;
        buf_puts(out, "{\"items\":");
        rc = db_rows_json(st, 1, q->limit, out, &n);
        buf_puts(out, ",\"next_cursor\":");
        if (!rc && n == q->limit && db_step(st) == DB_ROW) {
            /* The look-ahead row exists: the cursor names it, and the next page starts
               there (inclusive bound in where_cursor). */
            cursor_make(st, column_index(st, "_sort"), column_index(st, "id"), out);
        } else {
            buf_puts(out, "null");
        }
        if (total >= 0) {
            buf_printf(out, ",\"total\":%lld", (long long)total);
        }
        buf_putc(out, '}');
    }
    if (st) {
        db_done(st);
    }
    buf_release(&sql);
    sqlb_free(&w);
    return rc;
}

int store_entity_scan(struct db *db, const struct entity_def *e, const struct scope *sc,
                      const struct list_query *q, size_t max_rows,
                      int (*row)(struct db_stmt *st, void *ctx), void *ctx)
{
    const char *sort = q->sort ? q->sort : e->default_sort;
    bool desc = q->sort ? q->desc : sort[0] == '-';
    sort += !q->sort && sort[0] == '-';
    const struct field_def *sf = field(e, sort);
    if (strcmp(sort, "id") && (!sf || !(sf->flags & FF_SORT))) {
        return ERR_INPUT;
    }
    struct sqlb w;
    sqlb_init(&w);
    int rc = build_where(&w, e, sc, q);
    struct buf sql;
    buf_init(&sql, 1 << 16);
    const char *dir = desc ? " DESC" : "";
    char col[64], order[128];
    snprintf(col, sizeof col, "t.%s", sort);
    sort_expr(order, sf, db_is_pg(db), col);
    buf_printf(&sql, "SELECT %s FROM %s t%s ORDER BY %s%s, t.id%s LIMIT %zu", e->select, e->table,
               w.sql.p ? w.sql.p : "", order, dir, dir, max_rows + 1);
    struct db_stmt *st = NULL;
    if (!rc) {
        rc = db_prepare(db, sql.p, &st);
    }
    if (!rc) {
        rc = bind_all(st, w.params, w.n);
    }
    size_t n = 0;
    while (!rc) {
        int s = db_step(st);
        if (s != DB_ROW) {
            rc = s < 0 ? s : 0;
            break;
        }
        if (++n > max_rows) {
            rc = ERR_TOOBIG;
            break;
        }
        rc = row(st, ctx);
    }
    if (st) {
        db_done(st);
    }
    buf_release(&sql);
    sqlb_free(&w);
    return rc;
}

int store_entity_get(struct db *db, const struct entity_def *e, const struct scope *sc, int64_t id,
                     struct buf *out)
{
    struct sqlb w;
    sqlb_init(&w);
    buf_printf(&w.sql, " WHERE t.id = ?%d", param_int(&w, id));
    int rc = where_scope(&w, e, sc);
    struct buf sql;
    buf_init(&sql, 1 << 16);
    buf_printf(&sql, "SELECT %s FROM %s t%s", e->select, e->table, w.sql.p);
    struct db_stmt *st = NULL;
    if (!rc) {
        rc = db_prepare(db, sql.p, &st);
    }
    if (!rc) {
        rc = bind_all(st, w.params, w.n);
    }
    if (!rc) {
        int s = db_step(st);
        if (s == DB_ROW) {
            db_row_json(st, out);
        } else {
            rc = s < 0 ? s : ERR_NOTFOUND;
        }
    }
    if (st) {
        db_done(st);
    }
    buf_release(&sql);
    sqlb_free(&w);
    return rc;
}

int store_entity_owner(struct db *db, const struct entity_def *e, int64_t id, int64_t *ent_id)
{
    if (!e->enterprise_col) {
        return ERR_INPUT;
    }
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id = ?1", e->enterprise_col, e->table);
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st);
    if (rc) {
        return rc;
    }
    db_bind_int(st, 1, id);
    int s = db_step(st);
    if (s == DB_ROW) {
        *ent_id = db_column_int(st, 0);
        rc = 0;
    } else {
        rc = s < 0 ? s : ERR_NOTFOUND;
    }
    db_done(st);
    return rc;
}

int store_entity_insert(struct db *db, const struct entity_def *e, const char *const *cols,
                        const struct db_value *vals, size_t n, int64_t *id)
{
    if (n + 2 > MAX_PARAMS) {
        return ERR_INPUT;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct buf sql;
    buf_init(&sql, 1 << 16);
    buf_printf(&sql, "INSERT INTO %s (", e->table);
    for (size_t i = 0; i < n; i++) {
        buf_printf(&sql, "%s, ", cols[i]);
    }
    buf_puts(&sql, "created_at, updated_at) VALUES (");
    for (size_t i = 0; i < n; i++) {
        buf_printf(&sql, "?%zu, ", i + 1);
    }
    buf_printf(&sql, "?%zu, ?%zu) RETURNING id", n + 1, n + 1);
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    buf_release(&sql);
    if (rc) {
        return rc;
    }
    rc = bind_all(st, vals, (int)n);
    if (!rc) {
        rc = db_bind_text(st, (int)n + 1, now, (size_t)-1);
    }
    if (!rc) {
        int s = db_step(st);
        if (s == DB_ROW) {
            *id = db_column_int(st, 0);
        } else {
            rc = s < 0 ? s : ERR_DB;
        }
    }
    db_done(st);
    return rc;
}

int store_entity_update(struct db *db, const struct entity_def *e, int64_t id,
                        const char *const *cols, const struct db_value *vals, size_t n)
{
    if (n + 3 > MAX_PARAMS) {
        return ERR_INPUT;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct buf sql;
    buf_init(&sql, 1 << 16);
    buf_printf(&sql, "UPDATE %s SET ", e->table);
    for (size_t i = 0; i < n; i++) {
        buf_printf(&sql, "%s = ?%zu, ", cols[i], i + 1);
    }
    buf_printf(&sql, "updated_at = ?%zu WHERE id = ?%zu", n + 1, n + 2);
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    buf_release(&sql);
    if (rc) {
        return rc;
    }
    rc = bind_all(st, vals, (int)n);
    if (!rc) {
        rc = db_bind_text(st, (int)n + 1, now, (size_t)-1);
    }
    if (!rc) {
        rc = db_bind_int(st, (int)n + 2, id);
    }
    if (!rc) {
        int s = db_step(st);
        rc = s < 0 ? s : (db_changes(db) ? 0 : ERR_NOTFOUND);
    }
    db_done(st);
    return rc;
}

int store_code_exists(struct db *db, const char *table, const char *code, size_t n)
{
    static const char *const allowed[] = {"regions", "industries", "pollutants"};
    bool ok = false;
    for (size_t i = 0; i < ARRAY_LEN(allowed); i++) {
        ok = ok || !strcmp(table, allowed[i]);
    }
    if (!ok) {
        return 0;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE code = ?1", table);
    struct db_stmt *st;
    if (db_prepare(db, sql, &st)) {
        return 0;
    }
    db_bind_text(st, 1, code, n);
    int found = db_step(st) == DB_ROW;
    db_done(st);
    return found;
}

/* The INSERT of an audit row, with the name of its record (?4 the entity, ?5 its id) resolved
   when the row is written, after the change in the same transaction: the log keeps the name the
   record had then. Each module names its records (struct module_record, store_audit_names);
   NULL for kinds without a name (calendar years, notification read marks). The same rule
   backfilled the rows of older versions (migrations/007_audit_names.sql). */
#define AUDIT_INSERT                                                                               \
    "INSERT INTO audit_log (at, actor_id, actor, entity, entity_id, action, before_json,"          \
    " after_json, request_id, ip, record_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
static const char *g_audit_sql = AUDIT_INSERT "NULL)";

void store_audit_kinds(const struct audit_kind *const *kinds, size_t n)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    buf_puts(&b, AUDIT_INSERT "CASE ?4");
    size_t named = 0;
    for (size_t i = 0; i < n; i++) {
        if (kinds[i]->name_sql) {
            buf_printf(&b, " WHEN '%s' THEN %s", kinds[i]->entity, kinds[i]->name_sql);
            named++;
        }
    }
    buf_puts(&b, " END)");
    /* Kept for the process: registered once, before any thread writes. */
    if (named) {
        g_audit_sql = xstrdup(b.p);
    }
    buf_release(&b);
    audit_history_build(kinds, n);
}

int store_audit_add(struct db *db, const struct audit_entry *a)
{
    struct db_stmt *st;
    int rc = db_prepare(db, g_audit_sql, &st);
    if (rc) {
        return rc;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    db_bind_text(st, 1, now, (size_t)-1);
    if (a->actor_id) {
        db_bind_int(st, 2, a->actor_id);
    }
    db_bind_text(st, 3, a->actor ? a->actor : "system", (size_t)-1);
    db_bind_text(st, 4, a->entity, (size_t)-1);
    if (a->entity_id) {
        db_bind_int(st, 5, a->entity_id);
    }
    db_bind_text(st, 6, a->action, (size_t)-1);
    db_bind_text(st, 7, a->before_json, (size_t)-1);
    db_bind_text(st, 8, a->after_json, (size_t)-1);
    db_bind_text(st, 9, a->request_id ? a->request_id : "", (size_t)-1);
    db_bind_text(st, 10, a->ip ? a->ip : "", (size_t)-1);
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : 0;
}
