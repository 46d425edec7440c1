/*
** export-db and import-db: move a deployment between database backends (typically SQLite to
** PostgreSQL) through one JSON Lines file, gzip-compressed when its name ends in .gz:
**
**   {"envgov_export":1,"schema_version":4,"backend":"sqlite","created_at":"2026-..."}
**   {"table":"regions","columns":["code","name","parent_code","level"],"rows":132}
**   ["330000","浙江省",null,1]                     one array per row, values typed
**   ...
**   {"end":true,"tables":30,"rows":1234}
**
** Export reads every application table (store_tables: from the catalog, parents first by
** foreign key) inside one read snapshot and writes FILE.partial, renamed to FILE only when
** complete. Import fills an empty database of the same schema version in one write
** transaction, in file order with every foreign key checked, re-counts every table against
** the file before commit and rolls everything back on any error: a failed import leaves
** nothing. The file holds password hashes and session keys: it is created mode 0600.
*/
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/err.h"
#include "core/util.h"
#include "platform/app.h"
#include "platform/cli.h"
#include "platform/module.h"

#define LINE_MAX_BYTES ((size_t)16 << 20) /* one row or header line */
#define FLUSH_BYTES ((size_t)1 << 20)
#define READ_CHUNK 65536
#define FORMAT_VERSION 1

/* Tables filled at every open: platform/refdata.c's code tables (when empty) and shipped calendar
   years, the rules module's shipped rule sets, and each module's seeded_tables: a new target
   already holds them, so import replaces their rows. */
static const char *const RESEEDED[] = {"regions", "industries", "pollutants", "calendar_years",
                                       "rule_sets"};

static bool reseeded(const char *table)
{
    if (modules_table_seeded(table)) {
        return true;
    }
    for (size_t i = 0; i < ARRAY_LEN(RESEEDED); i++) {
        if (!strcmp(RESEEDED[i], table)) {
            return true;
        }
    }
    return false;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

/* ---- export ---- */

/* Buffered output to a file descriptor, through gzip when gz is set. */
struct sink {
    int fd;
    gzFile gz;
    struct buf b;
    bool failed;
};

static int sink_open(struct sink *k, const char *path, bool gzip)
{
    memset(k, 0, sizeof *k);
    buf_init(&k->b, FLUSH_BYTES + LINE_MAX_BYTES + 64);
    k->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (k->fd < 0) {
        return ERR_IO;
    }
    if (gzip) {
        int fd2 = dup(k->fd); /* gzclose closes its own; ours stays for fsync */
        k->gz = fd2 < 0 ? NULL : gzdopen(fd2, "wb6");
        if (!k->gz) {
            if (fd2 >= 0) {
                close(fd2);
            }
            close(k->fd);
            return ERR_IO;
        }
    }
    return 0;
}

static void sink_flush(struct sink *k)
{
    size_t off = 0;
    if (k->gz && k->b.len) {
        k->failed = k->failed || gzwrite(k->gz, k->b.p, (unsigned)k->b.len) != (int)k->b.len;
        off = k->b.len;
    }
    while (!k->failed && off < k->b.len) {
        ssize_t n = write(k->fd, k->b.p + off, k->b.len - off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        k->failed = n <= 0;
        off += n > 0 ? (size_t)n : 0;
    }
    buf_reset(&k->b);
}

static void sink_put(struct sink *k, const char *p, size_t n)
{
    buf_append(&k->b, p, n);
    if (k->b.len >= FLUSH_BYTES) {
        sink_flush(k);
    }
}

/* Flush, finish the gzip stream, fsync and close; ERR_IO when any write failed. */
static int sink_close(struct sink *k)
{
    sink_flush(k);
    if (k->gz && gzclose(k->gz) != Z_OK) {
        k->failed = true;
    }
    if (fsync(k->fd) || close(k->fd)) {
        k->failed = true;
    }
    buf_release(&k->b);
    return k->failed ? ERR_IO : 0;
}

struct export
{
    struct sink out;
    struct buf line; /* the row being written, capped at LINE_MAX_BYTES */
    const struct store_table *t;
    int64_t rows; /* of the current table */
    char err[2048];
};

/* Shortest "%g" that reads back as the same double, always with a '.' or an exponent so it
   comes back as a real (12.0 stays a real, not the integer 12). */
static void put_real(struct buf *b, double r)
{
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, r);
        if (strtod(tmp, NULL) == r) {
            break;
        }
    }
    buf_puts(b, tmp);
    if (!strpbrk(tmp, ".e")) {
        buf_puts(b, ".0");
    }
}

static int export_value(struct export *x, const struct db_value *v, int col)
{
    switch (v->type) {
    case DB_NULL: buf_puts(&x->line, "null"); return 0;
    case DB_INT: buf_printf(&x->line, "%lld", (long long)v->i); return 0;
    case DB_TEXT: buf_json_str(&x->line, v->s, v->n); return 0;
    case DB_REAL:
        if (isfinite(v->r)) {
            put_real(&x->line, v->r);
            return 0;
        }
        snprintf(x->err, sizeof x->err,
                 "table %s, column %s holds %g, which JSON cannot carry; correct that row first",
                 x->t->name, x->t->cols[col], v->r);
        return ERR_UNSUPPORTED;
    default:
        snprintf(x->err, sizeof x->err,
                 "table %s, column %s holds binary data (a BLOB), which envgov never writes; "
                 "correct that row first",
                 x->t->name, x->t->cols[col]);
        return ERR_UNSUPPORTED;
    }
}

static int export_row(const struct db_value *vals, void *ctx)
{
    struct export *x = ctx;
    buf_reset(&x->line);
    buf_putc(&x->line, '[');
    for (int i = 0; i < x->t->n_cols; i++) {
        if (i) {
            buf_putc(&x->line, ',');
        }
        int rc = export_value(x, &vals[i], i);
        if (rc) {
            return rc;
        }
    }
    buf_puts(&x->line, "]\n");
    if (x->line.overflow) {
        snprintf(x->err, sizeof x->err,
                 "table %s: row %lld is larger than %zu MB, more than import-db accepts",
                 x->t->name, (long long)x->rows + 1, LINE_MAX_BYTES >> 20);
        return ERR_TOOBIG;
    }
    sink_put(&x->out, x->line.p, x->line.len);
    x->rows++;
    return x->out.failed ? ERR_IO : 0;
}

/* One table: its header line (the count read in the snapshot), then its rows. */
static int export_table(struct export *x, struct db *db, const struct store_table *t,
                        int64_t *count)
{
    int rc = store_table_count(db, t, count);
    if (rc) {
        snprintf(x->err, sizeof x->err, "cannot count %s: %s", t->name, db_errmsg(db));
        return rc;
    }
    buf_reset(&x->line);
    buf_puts(&x->line, "{\"table\":");
    buf_json_str(&x->line, t->name, strlen(t->name));
    buf_puts(&x->line, ",\"columns\":[");
    for (int i = 0; i < t->n_cols; i++) {
        buf_puts(&x->line, i ? "," : "");
        buf_json_str(&x->line, t->cols[i], strlen(t->cols[i]));
    }
    buf_printf(&x->line, "],\"rows\":%lld}\n", (long long)*count);
    sink_put(&x->out, x->line.p, x->line.len);
    x->t = t;
    x->rows = 0;
    rc = store_table_scan(db, t, export_row, x);
    if (rc && !x->err[0]) {
        snprintf(x->err, sizeof x->err, "cannot read %s: %s", t->name, db_errmsg(db));
    } else if (!rc && x->rows != *count) {
        /* Not in a snapshot, or keys the paging cannot follow (a NULL in a primary key). */
        snprintf(x->err, sizeof x->err, "table %s: counted %lld rows but read %lld", t->name,
                 (long long)*count, (long long)x->rows);
        rc = ERR_DB;
    }
    return rc;
}

static void print_counts(const struct store_table *t, size_t n, const int64_t *counts)
{
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (counts[i] >= 0) {
            printf("  %-24s %12lld\n", t[i].name, (long long)counts[i]);
            total += counts[i];
        }
    }
    printf("  %-24s %12lld\n", "total", (long long)total);
}

/* Everything inside the snapshot of db: header, tables, trailer into x->out. */
static int export_all(struct export *x, struct db *db, struct store_table **tables, size_t *n,
                      int64_t **counts)
{
    int version = 0;
    int rc = store_db_schema_version(db, &version);
    if (rc) {
        snprintf(x->err, sizeof x->err, "cannot read the schema version: %s", db_errmsg(db));
        return rc;
    }
    rc = store_tables(db, tables, n, x->err, sizeof x->err);
    if (rc) {
        return rc;
    }
    *counts = xcalloc(*n + 1, sizeof **counts);
    char now[32];
    time_iso(wall_ms() / 1000, now);
    buf_reset(&x->line);
    buf_printf(&x->line,
               "{\"envgov_export\":%d,\"schema_version\":%d,\"backend\":\"%s\","
               "\"created_at\":\"%s\"}\n",
               FORMAT_VERSION, version, store_backend_name(app.store), now);
    sink_put(&x->out, x->line.p, x->line.len);
    int64_t total = 0;
    for (size_t i = 0; !rc && i < *n; i++) {
        rc = export_table(x, db, &(*tables)[i], &(*counts)[i]);
        total += (*counts)[i];
    }
    if (!rc) {
        buf_reset(&x->line);
        buf_printf(&x->line, "{\"end\":true,\"tables\":%zu,\"rows\":%lld}\n", *n, (long long)total);
        sink_put(&x->out, x->line.p, x->line.len);
    }
    return rc;
}

int cmd_export_db(const struct cli *c)
{
    if (c->n_args != 1) {
        fprintf(stderr, "usage: envgov export-db FILE[.gz] [--data DIR]\n");
        return 2;
    }
    const char *path = c->args[0];
    if (access(path, F_OK) == 0) {
        fprintf(stderr, "envgov export-db: %s exists; choose a new file name\n", path);
        return 1;
    }
    if (cli_open_store(false)) {
        return 1;
    }
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.partial", path);
    struct export x = {.err = ""};
    buf_init(&x.line, LINE_MAX_BYTES);
    struct store_table *tables = NULL;
    int64_t *counts = NULL;
    size_t n = 0;
    int rc = sink_open(&x.out, tmp, ends_with(path, ".gz"));
    if (rc) {
        snprintf(x.err, sizeof x.err, "cannot create %s: %s", tmp, strerror(errno));
    } else {
        struct db *db = store_read(app.store);
        rc = store_read_snapshot(db);
        if (rc) {
            snprintf(x.err, sizeof x.err, "cannot start a read snapshot: %s", db_errmsg(db));
        } else {
            rc = export_all(&x, db, &tables, &n, &counts);
            int end = store_read_end(db);
            if (!rc && end) {
                snprintf(x.err, sizeof x.err,
                         "the database connection was reset during the export, so it is not one "
                         "consistent snapshot; run export-db again");
                rc = end;
            }
        }
        store_release(app.store, db);
        int closed = sink_close(&x.out);
        if (!rc && closed) {
            snprintf(x.err, sizeof x.err, "cannot write %s (disk full?)", tmp);
            rc = closed;
        }
        /* link() will not replace a file that appeared meanwhile, unlike rename(), which is
           only the fallback for file systems without hard links. */
        if (!rc && link(tmp, path) && (errno == EEXIST || rename(tmp, path))) {
            snprintf(x.err, sizeof x.err, "cannot create %s: %s", path, strerror(errno));
            rc = ERR_IO;
        }
        unlink(tmp);
    }
    if (rc) {
        fprintf(stderr, "envgov export-db: %s\n", x.err[0] ? x.err : err_name(rc));
    } else {
        printf("exported %zu tables of the %s database (schema version %d) to %s:\n", n,
               store_backend_name(app.store), store_schema_version(app.store), path);
        print_counts(tables, n, counts);
    }
    free(tables);
    free(counts);
    buf_release(&x.line);
    cli_close_store();
    return rc ? 1 : 0;
}

/* ---- import ---- */

/* Lines of a file read through zlib (which passes plain files through unchanged). */
struct source {
    gzFile gz;
    char chunk[READ_CHUNK];
    size_t pos, len;
    bool eof;
    struct buf line; /* the current line without its newline; NUL-terminated */
    int64_t line_no;
};

struct import {
    struct source src;
    const char *path;
    struct db *db;
    struct store_table *t; /* the target's tables */
    size_t n;
    int64_t *file_rows; /* per target table: rows the file declared, -1 = not in the file */
    size_t *order;      /* target table indexes in file order */
    size_t n_seen;
    int64_t total;
    char backend[32], created_at[40];
    char err[2048];
};

static int fail(struct import *im, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Set the message (prefixed with the current line) and return rc. */
static int fail(struct import *im, int rc, const char *fmt, ...)
{
    int k = im->src.line_no ? snprintf(im->err, sizeof im->err, "%s line %lld: ", im->path,
                                       (long long)im->src.line_no)
                            : snprintf(im->err, sizeof im->err, "%s: ", im->path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(im->err + k, sizeof im->err - (size_t)k, fmt, ap);
    va_end(ap);
    return rc;
}

/* The next line into im->src.line: 1, or 0 at the end of the file, or an error. */
static int next_line(struct import *im)
{
    struct source *s = &im->src;
    buf_reset(&s->line);
    for (;;) {
        if (s->pos == s->len) {
            if (s->eof) {
                s->line_no += s->line.len > 0;
                return s->line.len > 0;
            }
            int n = gzread(s->gz, s->chunk, sizeof s->chunk);
            int zerr = Z_OK;
            const char *msg = n <= 0 ? gzerror(s->gz, &zerr) : "";
            if (n < 0 || (n == 0 && zerr != Z_OK)) {
                s->line_no++;
                return fail(im, ERR_INPUT, "unreadable (%s): the file is damaged or truncated",
                            zerr == Z_BUF_ERROR ? "the gzip data ends early" : msg);
            }
            s->eof = n == 0;
            s->pos = 0;
            s->len = (size_t)n;
            continue;
        }
        const char *p = s->chunk + s->pos;
        const char *nl = memchr(p, '\n', s->len - s->pos);
        size_t take = nl ? (size_t)(nl - p) : s->len - s->pos;
        buf_append(&s->line, p, take);
        s->pos += take + (nl != NULL);
        if (s->line.overflow) {
            s->line_no++;
            return fail(im, ERR_TOOBIG, "longer than %zu MB: not an export-db file, or damaged",
                        LINE_MAX_BYTES >> 20);
        }
        if (nl) {
            s->line_no++;
            return 1;
        }
    }
}

/* Parse the current line as a JSON object or array. */
static int parse_line(struct import *im, json_t **out)
{
    json_error_t e;
    *out = json_loadb(im->src.line.p ? im->src.line.p : "", im->src.line.len,
                      JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);
    if (!*out) {
        return fail(im, ERR_INPUT, "not valid JSON (%s at column %d): the file is damaged", e.text,
                    e.column);
    }
    return 0;
}

/* The next line, parsed; "what" names what the line should have been when the file ends. */
static int next_json(struct import *im, json_t **out, const char *what)
{
    *out = NULL;
    int rc = next_line(im);
    if (rc == 0) {
        im->src.line_no++;
        return fail(im, ERR_INPUT, "the file ends where %s should follow: it is truncated", what);
    }
    return rc < 0 ? rc : parse_line(im, out);
}

static int read_header(struct import *im, int *version)
{
    int rc = next_line(im);
    if (rc <= 0) {
        return rc < 0 ? rc : fail(im, ERR_INPUT, "the file is empty");
    }
    json_t *h = json_loadb(im->src.line.p, im->src.line.len, 0, NULL);
    json_t *v = json_object_get(h, "schema_version");
    const char *be = json_string_value(json_object_get(h, "backend"));
    const char *at = json_string_value(json_object_get(h, "created_at"));
    rc = 0;
    if (json_integer_value(json_object_get(h, "envgov_export")) != FORMAT_VERSION ||
        !json_is_integer(v)) {
        rc = fail(im, ERR_INPUT,
                  "not an envgov export-db file of format %d (the first line must be "
                  "{\"envgov_export\":%d,\"schema_version\":N,...})",
                  FORMAT_VERSION, FORMAT_VERSION);
    } else {
        *version = (int)json_integer_value(v);
        snprintf(im->backend, sizeof im->backend, "%s", be ? be : "?");
        snprintf(im->created_at, sizeof im->created_at, "%s", at ? at : "?");
    }
    json_decref(h);
    return rc;
}

/* Map the header's column names onto t's columns: col[i] for the i-th value of each row. */
static int map_columns(struct import *im, const struct store_table *t, json_t *cols, int *col)
{
    size_t n = json_array_size(cols);
    if (!json_is_array(cols) || n != (size_t)t->n_cols) {
        return fail(im, ERR_INPUT,
                    "table %s has %zu columns in the file but %d in the target database: the "
                    "export comes from another schema",
                    t->name, n, t->n_cols);
    }
    bool used[STORE_COLS_MAX] = {false};
    for (size_t i = 0; i < n; i++) {
        const char *name = json_string_value(json_array_get(cols, i));
        int k = -1;
        for (int j = 0; name && j < t->n_cols && k < 0; j++) {
            k = strcmp(t->cols[j], name) ? -1 : j;
        }
        if (k < 0 || used[k]) {
            return fail(im, ERR_INPUT,
                        "column %s of table %s is %s in the target database: the export comes "
                        "from another schema",
                        name ? name : "(not a string)", t->name, k < 0 ? "unknown" : "repeated");
        }
        used[k] = true;
        col[i] = k;
    }
    return 0;
}

/* One row line: an array of n values, each null, an integer, a number or a string. */
static int import_row(struct import *im, const struct store_table *t, const int *col, size_t n,
                      int64_t row)
{
    json_t *a;
    int rc = next_json(im, &a, "a row");
    if (rc) {
        return rc;
    }
    struct db_value v[STORE_COLS_MAX];
    if (json_is_object(a)) {
        rc = fail(im, ERR_INPUT,
                  "table %s has %lld rows where its header announces more: the file is damaged",
                  t->name, (long long)row - 1);
    } else if (!json_is_array(a) || json_array_size(a) != n) {
        rc = fail(im, ERR_INPUT, "row %lld of table %s is not an array of %zu values",
                  (long long)row, t->name, n);
    }
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *j = json_array_get(a, i);
        memset(&v[i], 0, sizeof v[i]);
        if (json_is_integer(j)) {
            v[i].type = DB_INT, v[i].i = json_integer_value(j);
        } else if (json_is_real(j)) {
            v[i].type = DB_REAL, v[i].r = json_real_value(j);
        } else if (json_is_string(j)) {
            v[i].type = DB_TEXT, v[i].s = json_string_value(j), v[i].n = json_string_length(j);
        } else if (!json_is_null(j)) {
            rc = fail(im, ERR_INPUT, "table %s row %lld, column %s: not a number, string or null",
                      t->name, (long long)row, t->cols[col[i]]);
        }
    }
    bool pg = !strcmp(store_backend_name(app.store), "postgresql");
    for (size_t i = 0; !rc && pg && i < n; i++) {
        if (v[i].type == DB_TEXT && memchr(v[i].s, 0, v[i].n)) {
            rc = fail(im, ERR_INPUT,
                      "table %s row %lld, column %s: text with a NUL character, which "
                      "PostgreSQL cannot store; correct it in the source database",
                      t->name, (long long)row, t->cols[col[i]]);
        }
    }
    if (!rc) {
        rc = store_table_insert(im->db, t, col, v, n);
        if (rc) {
            fail(im, rc, "table %s row %lld: the database refused it: %s", t->name, (long long)row,
                 db_errmsg(im->db));
        }
    }
    json_decref(a);
    return rc;
}

/* A table header line (parsed in hdr) and the rows it announces. */
static int import_table(struct import *im, json_t *hdr)
{
    const char *name = json_string_value(json_object_get(hdr, "table"));
    json_t *rows = json_object_get(hdr, "rows");
    if (!name || !json_is_integer(rows) || json_integer_value(rows) < 0) {
        return fail(im, ERR_INPUT, "a table header needs \"table\", \"columns\" and \"rows\"");
    }
    size_t k = 0;
    while (k < im->n && strcmp(im->t[k].name, name)) {
        k++;
    }
    if (k == im->n) {
        return fail(im, ERR_INPUT,
                    "table %s is not in the target database: the export comes from another "
                    "schema",
                    name);
    }
    if (im->file_rows[k] >= 0) {
        return fail(im, ERR_INPUT, "table %s appears twice", name);
    }
    const struct store_table *t = &im->t[k];
    int col[STORE_COLS_MAX];
    int rc = map_columns(im, t, json_object_get(hdr, "columns"), col);
    int64_t want = json_integer_value(rows);
    for (int64_t r = 1; !rc && r <= want; r++) {
        rc = import_row(im, t, col, (size_t)t->n_cols, r);
    }
    im->file_rows[k] = want;
    im->order[im->n_seen++] = k;
    im->total += want;
    return rc;
}

/* Table sections up to the end line, whose totals must match; nothing may follow it. */
static int import_sections(struct import *im)
{
    for (;;) {
        json_t *j;
        int rc = next_json(im, &j, "a table header or the end line {\"end\":true,...}");
        if (rc) {
            return rc;
        }
        if (json_is_object(j) && json_object_get(j, "table")) {
            rc = import_table(im, j);
        } else if (json_is_object(j) && json_is_true(json_object_get(j, "end"))) {
            json_int_t tables = json_integer_value(json_object_get(j, "tables"));
            json_int_t rows = json_integer_value(json_object_get(j, "rows"));
            if (tables != (json_int_t)im->n_seen || rows != im->total) {
                rc = fail(im, ERR_INPUT,
                          "the end line counts %lld tables and %lld rows, the file holds %zu "
                          "and %lld: the file is damaged",
                          (long long)tables, (long long)rows, im->n_seen, (long long)im->total);
            }
            json_decref(j);
            if (!rc && (rc = next_line(im)) > 0) {
                rc = fail(im, ERR_INPUT, "data after the end line: the file is damaged");
            }
            return rc;
        } else {
            rc = fail(im, ERR_INPUT,
                      "expected a table header or the end line, found %s: more rows than the "
                      "table header announced, or a damaged file",
                      json_is_array(j) ? "a row" : "something else");
        }
        json_decref(j);
        if (rc) {
            return rc;
        }
    }
}

/* The target must hold no application data; code tables loaded at open are emptied. */
static int check_empty(struct import *im)
{
    struct buf full;
    buf_init(&full, 1 << 16);
    int n_full = 0;
    for (size_t i = 0; i < im->n; i++) {
        int64_t have = 0;
        int rc = store_table_count(im->db, &im->t[i], &have);
        if (rc) {
            snprintf(im->err, sizeof im->err, "cannot count %s: %s", im->t[i].name,
                     db_errmsg(im->db));
            buf_release(&full);
            return rc;
        }
        if (have > 0 && !reseeded(im->t[i].name) && n_full++ < 4) {
            buf_printf(&full, "%s%s has %lld row%s", n_full > 1 ? ", " : "", im->t[i].name,
                       (long long)have, have > 1 ? "s" : "");
        }
    }
    if (n_full) {
        snprintf(im->err, sizeof im->err,
                 "the target database is not empty (%s%s); import-db only fills a new database: "
                 "use a new data directory or an empty PostgreSQL database",
                 full.p, n_full > 4 ? ", ..." : "");
        buf_release(&full);
        return ERR_CONFLICT;
    }
    buf_release(&full);
    for (size_t i = im->n; i-- > 0;) {
        if (reseeded(im->t[i].name) && store_table_clear(im->db, &im->t[i])) {
            snprintf(im->err, sizeof im->err, "cannot empty %s: %s", im->t[i].name,
                     db_errmsg(im->db));
            return ERR_DB;
        }
    }
    return 0;
}

/* After the rows: identity sequences past the imported ids, then every table re-counted
   inside the transaction against the file. */
static int verify(struct import *im)
{
    for (size_t i = 0; i < im->n; i++) {
        const struct store_table *t = &im->t[i];
        int64_t have = 0, want = im->file_rows[i] < 0 ? 0 : im->file_rows[i];
        int rc = store_table_reset_identity(im->db, t);
        if (rc) {
            snprintf(im->err, sizeof im->err, "cannot reset the id sequence of %s: %s", t->name,
                     db_errmsg(im->db));
            return rc;
        }
        rc = store_table_count(im->db, t, &have);
        if (rc || have != want) {
            snprintf(im->err, sizeof im->err,
                     "table %s holds %lld rows after the import but the file has %lld; nothing "
                     "was imported",
                     t->name, (long long)have, (long long)want);
            return rc ? rc : ERR_DB;
        }
    }
    return 0;
}

static int audit_import(struct import *im, int version)
{
    struct buf after;
    buf_init(&after, 1 << 16);
    char *full = realpath(im->path, NULL); /* libc-allocated */
    const char *file = full ? full : im->path;
    buf_puts(&after, "{\"file\":");
    buf_json_str(&after, file, strlen(file));
    free(full);
    buf_puts(&after, ",\"backend\":");
    buf_json_str(&after, im->backend, strlen(im->backend));
    buf_puts(&after, ",\"created_at\":");
    buf_json_str(&after, im->created_at, strlen(im->created_at));
    buf_printf(&after, ",\"schema_version\":%d,\"tables\":%zu,\"rows\":%lld}", version, im->n_seen,
               (long long)im->total);
    struct audit_entry a = {0, "cli", "database", 0, "import_db", NULL, after.p, "", ""};
    int rc = store_audit_add(im->db, &a);
    if (rc) {
        snprintf(im->err, sizeof im->err, "cannot write the audit row: %s", db_errmsg(im->db));
    }
    buf_release(&after);
    return rc;
}

/* Header check, then everything in one write transaction. */
static int import_run(struct import *im)
{
    int version = 0, have = 0;
    int rc = read_header(im, &version);
    if (rc) {
        return rc;
    }
    rc = store_begin(app.store, &im->db);
    if (rc) {
        snprintf(im->err, sizeof im->err, "cannot open a write transaction (server running?)");
        return rc;
    }
    rc = store_db_schema_version(im->db, &have);
    if (!rc && have != version) {
        snprintf(im->err, sizeof im->err,
                 "%s was exported at schema version %d but the target database is at version "
                 "%d: import with the envgov version that made the export, then upgrade",
                 im->path, version, have);
        rc = ERR_UNSUPPORTED;
    }
    if (!rc) {
        rc = store_tables(im->db, &im->t, &im->n, im->err, sizeof im->err);
    }
    if (!rc) {
        im->file_rows = xmalloc((im->n + 1) * sizeof *im->file_rows);
        im->order = xcalloc(im->n + 1, sizeof *im->order);
        for (size_t i = 0; i < im->n; i++) {
            im->file_rows[i] = -1;
        }
        rc = check_empty(im);
    }
    rc = rc ? rc : import_sections(im);
    rc = rc ? rc : verify(im);
    rc = rc ? rc : audit_import(im, version);
    if (rc) {
        store_rollback(app.store, im->db);
        return rc;
    }
    rc = store_commit(app.store, im->db);
    if (rc) {
        snprintf(im->err, sizeof im->err, "commit failed: %s", db_errmsg(im->db));
    }
    return rc;
}

int cmd_import_db(const struct cli *c)
{
    if (c->n_args != 1) {
        fprintf(stderr, "usage: envgov import-db FILE[.gz] [--data DIR]\n");
        return 2;
    }
    struct import im = {.path = c->args[0]};
    im.src.gz = gzopen(im.path, "rb");
    if (!im.src.gz) {
        fprintf(stderr, "envgov import-db: cannot open %s: %s\n", im.path, strerror(errno));
        return 1;
    }
    buf_init(&im.src.line, LINE_MAX_BYTES + 1);
    int rc = cli_open_store(true) ? ERR_DB : 0;
    if (!rc) {
        rc = import_run(&im);
        if (rc) {
            fprintf(stderr, "envgov import-db: %s\nnothing was imported\n",
                    im.err[0] ? im.err : err_name(rc));
        } else {
            printf("imported %zu tables from %s (exported %s from %s) into the %s database:\n",
                   im.n_seen, im.path, im.created_at, im.backend, store_backend_name(app.store));
            int64_t *counts = xmalloc((im.n + 1) * sizeof *counts);
            struct store_table *shown = xcalloc(im.n + 1, sizeof *shown);
            for (size_t i = 0; i < im.n_seen; i++) {
                shown[i] = im.t[im.order[i]];
                counts[i] = im.file_rows[im.order[i]];
            }
            print_counts(shown, im.n_seen, counts);
            free(shown);
            free(counts);
        }
        cli_close_store();
    }
    gzclose(im.src.gz);
    buf_release(&im.src.line);
    free(im.t);
    free(im.file_rows);
    free(im.order);
    return rc ? 1 : 0;
}
