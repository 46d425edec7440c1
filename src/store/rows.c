/*
** Rows to JSON, backend independent: db_rows_json / db_row_json write query results
** straight into a buf without building a JSON tree (list endpoints are hot paths).
*/
#include <stdio.h>
#include <string.h>

#include "store/store.h"

static bool has_suffix(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n > k && !memcmp(s + n - k, suf, k);
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

void db_row_json(struct db_stmt *st, struct buf *out)
{
    int n = db_column_count(st);
    buf_putc(out, '{');
    bool first = true;
    for (int i = 0; i < n; i++) {
        const char *name = db_column_name(st, i);
        if (name[0] == '_') {
            continue; /* internal columns (sort keys) are not part of the API */
        }
        size_t nl = strlen(name);
        bool raw = has_suffix(name, nl, "_json"), list = has_suffix(name, nl, "_list");
        if (!first) {
            buf_putc(out, ',');
        }
        first = false;
        buf_json_str(out, name, raw || list ? nl - 5 : nl);
        buf_putc(out, ':');
        enum db_type t = db_column_type(st, i);
        size_t len;
        const char *p;
        char num[32];
        switch (t) {
        case DB_NULL:
            buf_puts(out, list ? "[]" : "null");
            break;
        case DB_INT:
            snprintf(num, sizeof num, "%lld", (long long)db_column_int(st, i));
            buf_puts(out, num);
            break;
        case DB_REAL:
            snprintf(num, sizeof num, "%.15g", db_column_real(st, i));
            buf_puts(out, num);
            break;
        default:
            p = db_column_text(st, i, &len);
            if (raw) {
                buf_append(out, len ? p : "null", len ? len : 4);
            } else if (list) {
                write_list(out, p, len);
            } else {
                buf_json_str(out, p, len);
            }
        }
    }
    buf_putc(out, '}');
}

int db_rows_json(struct db_stmt *st, int first_step, size_t max_rows, struct buf *out,
                 size_t *n_rows)
{
    size_t n = 0;
    buf_putc(out, '[');
    int rc = first_step ? db_step(st) : DB_ROW;
    while (rc == DB_ROW && (max_rows == 0 || n < max_rows)) {
        if (n) {
            buf_putc(out, ',');
        }
        db_row_json(st, out);
        n++;
        if (max_rows && n == max_rows) {
            break;
        }
        rc = db_step(st);
    }
    buf_putc(out, ']');
    if (n_rows) {
        *n_rows = n;
    }
    return rc < 0 ? rc : 0;
}
