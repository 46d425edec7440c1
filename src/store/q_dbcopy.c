/*
** Whole-database copy for export-db / import-db (platform/dbcopy.c): the application tables as
** the database's own catalog lists them, ordered parents first by their foreign keys; scans
** in key order, paged so a PostgreSQL result (which libpq holds whole) stays small; generic
** inserts; and, on PostgreSQL, identity sequences moved past imported ids.
**
** The catalog queries are the one place outside the backends where SQL differs by dialect
** (the backends have no catalog hook); everything else is the common subset. Identifiers in
** the SQL built here come only from the catalog and are checked to be plain names, so they
** are quoted but never need escaping; every value is bound.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/backend.h"

#define PAGE_ROWS 5000
#define TREE_DEPTH_MAX 1000

/* ---- catalog ---- */

/* schema_version and collation_versions describe the database itself (its migrations, the ICU
   order of its indexes), not data: each database keeps its own. */
static const char SQ_TABLES[] =
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_version',"
    " 'collation_versions') AND substr(name, 1, 7) <> 'sqlite_' ORDER BY name";
/* Partitioned tables are listed once: their partitions (relispartition) are skipped. */
static const char PG_TABLES[] =
    "SELECT t.table_name FROM information_schema.tables t"
    " JOIN pg_namespace n ON n.nspname = t.table_schema"
    " JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.table_name"
    " WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'"
    " AND NOT c.relispartition AND t.table_name NOT IN ('schema_version', 'collation_versions')"
    " ORDER BY 1";

/* Rows: name, position in the primary key (0 = not in it), 1 when a sequence fills it. */
static const char SQ_COLUMNS[] = "SELECT name, pk, 0 FROM pragma_table_info(?1) ORDER BY cid";
static const char PG_COLUMNS[] =
    "SELECT c.column_name, COALESCE(k.ordinal_position, 0),"
    " CASE WHEN c.is_identity = 'YES' OR c.column_default LIKE 'nextval(%' THEN 1 ELSE 0 END"
    " FROM information_schema.columns c"
    " LEFT JOIN information_schema.table_constraints p ON p.table_schema = c.table_schema"
    " AND p.table_name = c.table_name AND p.constraint_type = 'PRIMARY KEY'"
    " LEFT JOIN information_schema.key_column_usage k ON k.constraint_schema = p.constraint_schema"
    " AND k.constraint_name = p.constraint_name AND k.table_name = c.table_name"
    " AND k.column_name = c.column_name"
    " WHERE c.table_schema = current_schema() AND c.table_name = ?1 ORDER BY c.ordinal_position";

/* Rows per foreign key: referenced table, first column, first referenced column (NULL when
   SQLite leaves it implicit), number of columns. */
static const char SQ_FKEYS[] =
    "SELECT \"table\", MIN(CASE WHEN seq = 0 THEN \"from\" END),"
    " MIN(CASE WHEN seq = 0 THEN \"to\" END), COUNT(*) FROM pragma_foreign_key_list(?1)"
    " GROUP BY id ORDER BY id";
static const char PG_FKEYS[] =
    "SELECT p.relname, a.attname, f.attname, cardinality(c.conkey) FROM pg_constraint c"
    " JOIN pg_class r ON r.oid = c.conrelid"
    " JOIN pg_namespace n ON n.oid = r.relnamespace"
    " JOIN pg_class p ON p.oid = c.confrelid"
    " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
    " JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]"
    " WHERE c.contype = 'f' AND n.nspname = current_schema() AND r.relname = ?1"
    " ORDER BY c.conname";

static bool plain_name(const char *s, size_t n)
{
    if (n == 0 || n >= STORE_NAME_MAX || (s[0] >= '0' && s[0] <= '9')) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9'))) {
            return false;
        }
    }
    return true;
}

static int col_index(const struct store_table *t, const char *name)
{
    for (int i = 0; i < t->n_cols; i++) {
        if (!strcmp(t->cols[i], name)) {
            return i;
        }
    }
    return -1;
}

static int load_names(struct db *db, struct store_table **out, size_t *n, char *err, size_t errcap)
{
    struct db_stmt *st;
    int rc = db_prepare(db, db_is_pg(db) ? PG_TABLES : SQ_TABLES, &st);
    if (rc) {
        snprintf(err, errcap, "cannot list the tables: %s", db_errmsg(db));
        return rc;
    }
    struct store_table *t = NULL;
    size_t nt = 0;
    int s;
    while ((s = db_step(st)) == DB_ROW) {
        size_t len;
        const char *name = db_column_text(st, 0, &len);
        if (!plain_name(name, len)) {
            snprintf(err, errcap, "table '%s' has a name envgov cannot copy (letters, digits, _)",
                     name);
            s = ERR_UNSUPPORTED;
            break;
        }
        t = xrealloc(t, (nt + 1) * sizeof *t);
        memset(&t[nt], 0, sizeof *t);
        memcpy(t[nt].name, name, len + 1);
        t[nt].identity = t[nt].self_col = t[nt].self_ref = -1;
        nt++;
    }
    db_done(st);
    if (s < 0) {
        if (s != ERR_UNSUPPORTED) {
            snprintf(err, errcap, "cannot list the tables: %s", db_errmsg(db));
        }
        free(t);
        return s;
    }
    *out = t;
    *n = nt;
    return 0;
}

static int load_columns(struct db *db, struct store_table *t, char *err, size_t errcap)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, db_is_pg(db) ? PG_COLUMNS : SQ_COLUMNS, "t", t->name);
    if (rc) {
        snprintf(err, errcap, "cannot list the columns of %s: %s", t->name, db_errmsg(db));
        return rc;
    }
    int pk_pos[STORE_COLS_MAX], s;
    while ((s = db_step(st)) == DB_ROW) {
        size_t len;
        const char *name = db_column_text(st, 0, &len);
        if (t->n_cols == STORE_COLS_MAX || !plain_name(name, len)) {
            snprintf(err, errcap,
                     "table %s: column '%s' cannot be copied (more than %d columns, or a name "
                     "that is not letters, digits and _)",
                     t->name, name, STORE_COLS_MAX);
            s = ERR_UNSUPPORTED;
            break;
        }
        int i = t->n_cols++;
        memcpy(t->cols[i], name, len + 1);
        pk_pos[i] = (int)db_column_int(st, 1);
        if (db_column_int(st, 2)) {
            t->identity = i;
        }
    }
    db_done(st);
    if (s < 0) {
        if (s != ERR_UNSUPPORTED) {
            snprintf(err, errcap, "cannot list the columns of %s: %s", t->name, db_errmsg(db));
        }
        return s;
    }
    for (int k = 1; k <= t->n_cols; k++) {
        for (int i = 0; i < t->n_cols; i++) {
            if (pk_pos[i] == k) {
                t->pk[t->n_pk++] = i;
            }
        }
    }
    return 0;
}

/* Foreign keys of all[me]: dep[me * n + j] when it references all[j]; a one-column reference
   to itself is noted in self_col/self_ref (rows are then ordered parents first). */
static int load_fkeys(struct db *db, struct store_table *all, size_t n, size_t me, bool *dep,
                      char *err, size_t errcap)
{
    struct store_table *t = &all[me];
    struct db_stmt *st;
    int rc = db_queryf(db, &st, db_is_pg(db) ? PG_FKEYS : SQ_FKEYS, "t", t->name);
    if (rc) {
        snprintf(err, errcap, "cannot list the foreign keys of %s: %s", t->name, db_errmsg(db));
        return rc;
    }
    int s;
    while ((s = db_step(st)) == DB_ROW) {
        const char *parent = db_column_text(st, 0, NULL);
        for (size_t j = 0; j < n; j++) {
            if (strcmp(all[j].name, parent)) {
                continue;
            }
            if (j != me) {
                dep[me * n + j] = true;
            } else if (db_column_int(st, 3) == 1) {
                t->self_col = col_index(t, db_column_text(st, 1, NULL));
                t->self_ref = col_index(t, db_column_text(st, 2, NULL));
                if (t->self_ref < 0 && t->n_pk == 1) {
                    t->self_ref = t->pk[0]; /* SQLite: REFERENCES t without a column */
                }
                if (t->self_col < 0 || t->self_ref < 0) {
                    t->self_col = t->self_ref = -1;
                }
            }
        }
    }
    db_done(st);
    if (s < 0) {
        snprintf(err, errcap, "cannot list the foreign keys of %s: %s", t->name, db_errmsg(db));
    }
    return s < 0 ? s : 0;
}

/* Stable topological order: repeatedly the first table (by name) whose referenced tables are
   all placed; tables in a cycle go last in name order, where the database will name any
   foreign key the order breaks. */
static void order_by_fkeys(struct store_table *t, size_t n, const bool *dep)
{
    struct store_table *sorted = xmalloc(n * sizeof *t);
    bool *placed = xcalloc(n, sizeof *placed);
    for (size_t k = 0; k < n; k++) {
        size_t pick = n;
        for (size_t i = 0; i < n && pick == n; i++) {
            bool ready = !placed[i];
            for (size_t j = 0; j < n && ready; j++) {
                ready = placed[j] || !dep[i * n + j];
            }
            pick = ready ? i : n;
        }
        for (size_t i = 0; i < n && pick == n; i++) {
            pick = placed[i] ? n : i;
        }
        placed[pick] = true;
        sorted[k] = t[pick];
    }
    memcpy(t, sorted, n * sizeof *t);
    free(sorted);
    free(placed);
}

int store_tables(struct db *db, struct store_table **out, size_t *n, char *err, size_t errcap)
{
    struct store_table *t;
    size_t nt;
    int rc = load_names(db, &t, &nt, err, errcap);
    if (rc) {
        return rc;
    }
    for (size_t i = 0; !rc && i < nt; i++) {
        rc = load_columns(db, &t[i], err, errcap);
    }
    bool *dep = xcalloc(nt * nt + 1, sizeof *dep);
    for (size_t i = 0; !rc && i < nt; i++) {
        rc = load_fkeys(db, t, nt, i, dep, err, errcap);
    }
    if (!rc) {
        order_by_fkeys(t, nt, dep);
    }
    free(dep);
    if (rc) {
        free(t);
        return rc;
    }
    *out = t;
    *n = nt;
    return 0;
}

/* ---- rows ---- */

int store_table_count(struct db *db, const struct store_table *t, int64_t *n)
{
    char sql[STORE_NAME_MAX + 32];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%s\"", t->name);
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    *n = s == DB_ROW ? db_column_int(st, 0) : 0;
    db_done(st);
    return s < 0 ? s : 0;
}

/* "a"."c1", "a"."c2", ... for the columns at idx[0..n) (alias a may be empty). */
static void put_cols(struct buf *b, const struct store_table *t, const char *alias, const int *idx,
                     int n)
{
    for (int i = 0; i < n; i++) {
        buf_printf(b, "%s%s%s\"%s\"", i ? ", " : "", alias, *alias ? "." : "",
                   t->cols[idx ? idx[i] : i]);
    }
}

static void fill_row(struct db_stmt *st, int n, struct db_value *v)
{
    for (int i = 0; i < n; i++) {
        v[i].type = db_column_type(st, i);
        switch (v[i].type) {
        case DB_INT: v[i].i = db_column_int(st, i); break;
        case DB_REAL: v[i].r = db_column_real(st, i); break;
        case DB_TEXT:
        case DB_BLOB: v[i].s = db_column_text(st, i, &v[i].n); break;
        default: break;
        }
    }
}

static int bind_value(struct db_stmt *st, int idx, const struct db_value *v)
{
    switch (v->type) {
    case DB_NULL: return db_bind_null(st, idx);
    case DB_INT: return db_bind_int(st, idx, v->i);
    case DB_REAL: return db_bind_real(st, idx, v->r);
    case DB_TEXT: return db_bind_text(st, idx, v->s ? v->s : "", v->n);
    default: return ERR_INPUT;
    }
}

/* Run sql (parameters key[0..n_key)) and call row for each result; *n_rows counts them. */
static int scan_query(struct db *db, const struct store_table *t, const char *sql,
                      const struct db_value *key, int n_key,
                      int (*row)(const struct db_value *vals, void *ctx), void *ctx,
                      struct db_value *vals, struct buf *last, int64_t *n_rows)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare(db, sql, &st);
    for (int k = 0; !rc && k < n_key; k++) {
        rc = bind_value(st, k + 1, &key[k]);
    }
    int s = DB_DONE;
    while (!rc && (s = db_step(st)) == DB_ROW) {
        fill_row(st, t->n_cols, vals);
        rc = row(vals, ctx);
        (*n_rows)++;
        for (int k = 0; last && k < t->n_pk; k++) {
            /* Keep this row's key for the next page (its text dies with the next step). */
            const struct db_value *v = &vals[t->pk[k]];
            buf_reset(&last[k]);
            if (v->type == DB_TEXT || v->type == DB_BLOB) {
                buf_append(&last[k], v->s, v->n);
            }
        }
    }
    if (st) {
        db_done(st);
    }
    return rc ? rc : s < 0 ? s : 0;
}

/* Keyset pages: WHERE (pk) > (last key) ORDER BY pk LIMIT PAGE_ROWS. */
static int scan_paged(struct db *db, const struct store_table *t,
                      int (*row)(const struct db_value *vals, void *ctx), void *ctx)
{
    struct buf first, next;
    buf_init(&first, 1 << 16);
    buf_init(&next, 1 << 16);
    buf_puts(&first, "SELECT ");
    put_cols(&first, t, "", NULL, t->n_cols);
    buf_printf(&first, " FROM \"%s\"", t->name);
    buf_append(&next, first.p, first.len);
    buf_puts(&next, " WHERE (");
    put_cols(&next, t, "", t->pk, t->n_pk);
    buf_puts(&next, ") > (");
    for (int k = 0; k < t->n_pk; k++) {
        buf_printf(&next, "%s?%d", k ? ", " : "", k + 1);
    }
    buf_puts(&next, ")");
    for (struct buf *b = &first; b; b = b == &first ? &next : NULL) {
        buf_puts(b, " ORDER BY ");
        put_cols(b, t, "", t->pk, t->n_pk);
        buf_printf(b, " LIMIT %d", PAGE_ROWS);
    }
    struct db_value vals[STORE_COLS_MAX], key[STORE_COLS_MAX];
    struct buf last[STORE_COLS_MAX];
    for (int k = 0; k < t->n_pk; k++) {
        buf_init(&last[k], 0);
    }
    int rc;
    int64_t n;
    bool first_page = true;
    do {
        n = 0;
        rc = scan_query(db, t, first_page ? first.p : next.p, key, first_page ? 0 : t->n_pk, row,
                        ctx, vals, last, &n);
        /* The last row's key: numbers are still in vals, text was copied into last. */
        for (int k = 0; n > 0 && k < t->n_pk; k++) {
            key[k] = vals[t->pk[k]];
            if (key[k].type == DB_TEXT || key[k].type == DB_BLOB) {
                key[k].s = last[k].p ? last[k].p : "";
                key[k].n = last[k].len;
            }
        }
        first_page = false;
    } while (!rc && n == PAGE_ROWS);
    for (int k = 0; k < t->n_pk; k++) {
        buf_release(&last[k]);
    }
    buf_release(&first);
    buf_release(&next);
    return rc;
}

/* A self-referencing table in one query, each row after the row it references: breadth-first
   depth from the rows that reference none; rows no root reaches (a reference cycle, or deeper
   than TREE_DEPTH_MAX) come last. */
static int scan_tree(struct db *db, const struct store_table *t,
                     int (*row)(const struct db_value *vals, void *ctx), void *ctx)
{
    const char *name = t->name, *key = t->cols[t->self_ref], *up = t->cols[t->self_col];
    struct buf sql;
    buf_init(&sql, 1 << 16);
    buf_printf(&sql,
               "WITH RECURSIVE envgov_tree(k, depth) AS (SELECT \"%s\", 0 FROM \"%s\" WHERE"
               " \"%s\" IS NULL UNION ALL SELECT c.\"%s\", d.depth + 1 FROM \"%s\" c JOIN"
               " envgov_tree d ON c.\"%s\" = d.k WHERE d.depth < %d) SELECT ",
               key, name, up, key, name, up, TREE_DEPTH_MAX);
    put_cols(&sql, t, "t", NULL, t->n_cols);
    buf_printf(&sql,
               " FROM \"%s\" t LEFT JOIN envgov_tree d ON d.k = t.\"%s\""
               " ORDER BY d.depth IS NULL, d.depth",
               name, key);
    if (t->n_pk) {
        buf_puts(&sql, ", ");
        put_cols(&sql, t, "t", t->pk, t->n_pk);
    }
    struct db_value vals[STORE_COLS_MAX];
    int64_t n = 0;
    int rc = scan_query(db, t, sql.p, NULL, 0, row, ctx, vals, NULL, &n);
    buf_release(&sql);
    return rc;
}

int store_table_scan(struct db *db, const struct store_table *t,
                     int (*row)(const struct db_value *vals, void *ctx), void *ctx)
{
    if (t->self_col >= 0) {
        return scan_tree(db, t, row, ctx);
    }
    if (t->n_pk > 0) {
        return scan_paged(db, t, row, ctx);
    }
    struct buf sql;
    buf_init(&sql, 1 << 16);
    buf_puts(&sql, "SELECT ");
    put_cols(&sql, t, "", NULL, t->n_cols);
    buf_printf(&sql, " FROM \"%s\"", t->name);
    struct db_value vals[STORE_COLS_MAX];
    int64_t n = 0;
    int rc = scan_query(db, t, sql.p, NULL, 0, row, ctx, vals, NULL, &n);
    buf_release(&sql);
    return rc;
}

int store_table_insert(struct db *db, const struct store_table *t, const int *col,
                       const struct db_value *vals, size_t n)
{
    if (n == 0 || n > (size_t)t->n_cols) {
        return ERR_INPUT;
    }
    struct buf sql;
    buf_init(&sql, 1 << 16);
    buf_printf(&sql, "INSERT INTO \"%s\" (", t->name);
    put_cols(&sql, t, "", col, (int)n);
    buf_puts(&sql, ") VALUES (");
    for (size_t i = 0; i < n; i++) {
        buf_printf(&sql, "%s?%zu", i ? ", " : "", i + 1);
    }
    buf_puts(&sql, ")");
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    buf_release(&sql);
    if (rc) {
        return rc;
    }
    for (size_t i = 0; !rc && i < n; i++) {
        rc = bind_value(st, (int)i + 1, &vals[i]);
    }
    int s = rc ? rc : db_step(st);
    db_done(st);
    return s < 0 ? s : 0;
}

int store_table_clear(struct db *db, const struct store_table *t)
{
    char sql[STORE_NAME_MAX + 32];
    snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", t->name);
    return db_runf(db, sql, "");
}

int store_table_reset_identity(struct db *db, const struct store_table *t)
{
    if (!db_is_pg(db) || t->identity < 0) {
        return 0;
    }
    const char *col = t->cols[t->identity];
    char sql[4 * STORE_NAME_MAX + 160], quoted[STORE_NAME_MAX + 2];
    /* setval(seq, MAX, true): the next id is MAX+1; setval(seq, 1, false) on an empty table:
       the next id is 1. pg_get_serial_sequence parses its first argument as SQL (quoted). */
    snprintf(sql, sizeof sql,
             "SELECT setval(pg_get_serial_sequence(?1, ?2), COALESCE(MAX(\"%s\"), 1),"
             " MAX(\"%s\") IS NOT NULL) FROM \"%s\"",
             col, col, t->name);
    snprintf(quoted, sizeof quoted, "\"%s\"", t->name);
    return db_runf(db, sql, "tt", quoted, col);
}
