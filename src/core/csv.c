/*
** CSV reader and writer (RFC 4180). Input that is not valid UTF-8 is taken as GB18030 (what
** Excel on Chinese Windows saves) and converted with iconv.
*/
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/table.h"
#include "core/util.h"

/* Convert GB18030 to UTF-8 into the arena; NULL when the bytes are not GB18030 either. */
static char *from_gb18030(const char *s, size_t n, struct arena *a, size_t *out_len)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        return NULL;
    }
    size_t cap = n * 2 + 16;
    char *out = arena_alloc(a, cap);
    char *in = (char *)s, *o = out;
    size_t in_left = n, out_left = cap;
    size_t r = iconv(cd, &in, &in_left, &o, &out_left);
    iconv_close(cd);
    if (r == (size_t)-1) {
        return NULL;
    }
    *out_len = cap - out_left;
    return out;
}

struct rows {
    struct arena *a;
    char ***cells;
    size_t n, cap, max_rows, max_cols, n_cols;
};

static int add_row(struct rows *rs, char **fields, size_t n, size_t line, char *err, size_t errcap)
{
    if (rs->n >= rs->max_rows) {
        snprintf(err, errcap, "more than %zu rows", rs->max_rows - 1);
        return ERR_TOOBIG;
    }
    if (rs->n == 0) {
        rs->n_cols = n;
    } else if (n > rs->n_cols) {
        snprintf(err, errcap, "line %zu has %zu fields but the header has %zu", line, n,
                 rs->n_cols);
        return ERR_INPUT;
    }
    char **row = arena_alloc(rs->a, sizeof(char *) * (rs->n_cols ? rs->n_cols : 1));
    for (size_t i = 0; i < rs->n_cols; i++) {
        row[i] = i < n ? fields[i] : "";
    }
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 64;
        char ***cells = arena_alloc(rs->a, sizeof(char **) * rs->cap);
        if (rs->n) {
            memcpy(cells, rs->cells, sizeof(char **) * rs->n);
        }
        rs->cells = cells;
    }
    rs->cells[rs->n++] = row;
    return 0;
}

int csv_parse(const char *data, size_t len, struct arena *a, size_t max_rows, size_t max_cols,
              struct table *out, char *err, size_t errcap)
{
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
        data += 3, len -= 3;
    }
    if (!utf8_valid(data, len)) {
        size_t n;
        char *conv = from_gb18030(data, len, a, &n);
        if (!conv) {
            snprintf(err, errcap, "the file is neither UTF-8 nor GB18030 text");
            return ERR_INPUT;
        }
        data = conv, len = n;
    }
    struct rows rs = {a, NULL, 0, 0, max_rows, max_cols, 0};
    char **fields = arena_alloc(a, sizeof(char *) * (max_cols + 1));
    size_t nf = 0, line = 1, row_line = 1, i = 0;
    struct buf field;
    buf_init(&field, len + 1);
    int rc = 0;
    bool quoted = false, was_quoted = false, any = false;
    while (!rc && i <= len) {
        char c = i < len ? data[i] : '\n';
        bool at_end = i == len;
        if (quoted && !at_end) {
            if (c == '"' && i + 1 < len && data[i + 1] == '"') {
                buf_putc(&field, '"');
                i += 2;
                continue;
            }
            if (c == '"') {
                quoted = false;
            } else {
                line += c == '\n';
                buf_putc(&field, c);
            }
            i++;
            continue;
        }
        if (quoted && at_end) {
            snprintf(err, errcap, "line %zu: a quoted field is not closed", row_line);
            rc = ERR_INPUT;
            break;
        }
        if (c == '"' && field.len == 0 && !was_quoted) {
            quoted = was_quoted = any = true;
        } else if (c == ',' || c == '\n' || (c == '\r' && i + 1 < len && data[i + 1] == '\n')) {
            if (nf >= max_cols) {
                snprintf(err, errcap, "line %zu has more than %zu fields", row_line, max_cols);
                rc = ERR_INPUT;
                break;
            }
            fields[nf++] = arena_strndup(a, field.p ? field.p : "", field.len);
            buf_reset(&field);
            was_quoted = false;
            if (c == '\r') {
                i++;
            }
            if (c != ',') {
                bool empty_line = nf == 1 && !fields[0][0] && !any;
                if (!(at_end && empty_line) && !empty_line) {
                    rc = add_row(&rs, fields, nf, row_line, err, errcap);
                }
                nf = 0;
                any = false;
                line += !at_end;
                row_line = line;
            }
        } else {
            buf_putc(&field, c);
            any = true;
        }
        i++;
    }
    buf_release(&field);
    if (rc) {
        return rc;
    }
    out->n_rows = rs.n;
    out->n_cols = rs.n_cols;
    out->cells = rs.cells;
    return 0;
}

void csv_write_bom(struct buf *b)
{
    buf_append(b, "\xEF\xBB\xBF", 3);
}

void csv_write_row(struct buf *b, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) {
            buf_putc(b, ',');
        }
        buf_csv_field(b, fields[i], strlen(fields[i]));
    }
    buf_puts(b, "\r\n");
}
