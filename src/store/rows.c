/*
** Rows to JSON, backend independent: db_rows_json / db_row_json write query results
** straight into a buf without building a JSON tree (list endpoints are hot paths). Column
** names and their suffix rules are worked out once per result set, not once per row.
*/
#include <stdio.h>
#include <string.h>

#include "store/store.h"

#define MAX_COLS 128

enum col_kind { COL_PLAIN, COL_RAW, COL_LIST, COL_SKIP };

struct col_meta {
    int n;
    enum col_kind kind[MAX_COLS];
    struct buf keys; /* "\"name\":" for each column, back to back */
    size_t key_off[MAX_COLS + 1];
};

static bool has_suffix(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n > k && !memcmp(s + n - k, suf, k);
}

static void meta_init(struct db_stmt *st, struct col_meta *m)
{
    m->n = db_column_count(st);
    if (m->n > MAX_COLS) {
        m->n = MAX_COLS;
    }
    buf_init(&m->keys, 1 << 16);
    bool first = true;
    for (int i = 0; i < m->n; i++) {
        const char *name = db_column_name(st, i);
        size_t nl = strlen(name);
        m->key_off[i] = m->keys.len;
        if (name[0] == '_') {
            m->kind[i] = COL_SKIP; /* internal columns (sort keys) are not part of the API */
            continue;
        }
        m->kind[i] = has_suffix(name, nl, "_json")   ? COL_RAW
                     : has_suffix(name, nl, "_list") ? COL_LIST
                                                     : COL_PLAIN;
        if (!first) {
            buf_putc(&m->keys, ',');
        }
        first = false;
        buf_json_str(&m->keys, name, m->kind[i] == COL_PLAIN ? nl : nl - 5);
        buf_putc(&m->keys, ':');
    }
    m->key_off[m->n] = m->keys.len;
}

static void write_list(struct buf *out, const char *p, size_t n)
{
    buf_putc(out, '[');
    size_t start = 0;
    bool first = true;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || p[i] == ',') {
            if (i > start) {
                if (!first) {
                    buf_putc(out, ',');
                }
                buf_json_str(out, p + start, i - start);
                first = false;
            }
            start = i + 1;
        }
    }
    buf_putc(out, ']');
}

static void write_value(struct db_stmt *st, int i, enum col_kind kind, struct buf *out)
{
    size_t len;
    const char *p;
    char num[32];
    switch (db_column_type(st, i)) {
    case DB_NULL: buf_puts(out, kind == COL_LIST ? "[]" : "null"); break;
    case DB_INT:
        len = (size_t)snprintf(num, sizeof num, "%lld", (long long)db_column_int(st, i));
        buf_append(out, num, len);
        break;
    case DB_REAL: buf_number(out, db_column_real(st, i)); break;
    default:
        p = db_column_text(st, i, &len);
        if (kind == COL_RAW) {
            buf_append(out, len ? p : "null", len ? len : 4);
        } else if (kind == COL_LIST) {
            write_list(out, p, len);
        } else {
            buf_json_str(out, p, len);
        }
    }
}

static void row_with(struct db_stmt *st, const struct col_meta *m, struct buf *out)
{
    buf_putc(out, '{');
    for (int i = 0; i < m->n; i++) {
        if (m->kind[i] == COL_SKIP) {
            continue;
        }
        buf_append(out, m->keys.p + m->key_off[i], m->key_off[i + 1] - m->key_off[i]);
        write_value(st, i, m->kind[i], out);
    }
    buf_putc(out, '}');
}

void db_row_json(struct db_stmt *st, struct buf *out)
{
    struct col_meta m;
    meta_init(st, &m);
    row_with(st, &m, out);
    buf_release(&m.keys);
}

int db_rows_json(struct db_stmt *st, int first_step, size_t max_rows, struct buf *out,
                 size_t *n_rows)
{
    size_t n = 0;
    buf_putc(out, '[');
    int rc = first_step ? db_step(st) : DB_ROW;
    struct col_meta m;
    bool have_meta = false;
    while (rc == DB_ROW && (max_rows == 0 || n < max_rows)) {
        if (!have_meta) {
            meta_init(st, &m);
            have_meta = true;
        }
        if (n) {
            buf_putc(out, ',');
        }
        row_with(st, &m, out);
        n++;
        if (max_rows && n == max_rows) {
            break;
        }
        rc = db_step(st);
    }
    buf_putc(out, ']');
    if (have_meta) {
        buf_release(&m.keys);
    }
    if (n_rows) {
        *n_rows = n;
    }
    return rc < 0 ? rc : 0;
}
