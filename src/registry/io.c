/*
** Enterprise import and the import/export subcommands. Import reads CSV or XLSX, maps header
** cells (Chinese labels or field names) to fields, validates every row exactly as the API does,
** upserts by USCC inside one transaction and reports every bad row; any bad row rolls the
** whole file back. An exported file re-imports with every row "unchanged". The import
** template (header row and one example row) is built from the same field list.
*/
#include "registry/io.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/settings.h"
#include "core/table.h"
#include "core/uscc.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/cli.h"
#include "platform/labels.h"
#include "store/q_registry.h"

/* Columns an export writes that an import ignores (derived or server-owned). */
static const char *const IGNORED[] = {
    "id", "region_name", "industry_name", "status", "created_at", "updated_at", NULL};

struct import_state {
    struct req *r;
    struct db *db;
    const char **cols; /* field per column, NULL = ignored */
    size_t n_cols;
    struct buf errors; /* JSON array body */
    size_t n_errors, created, updated, unchanged;
    /* USCCs met so far in the file, with their row (open addressing; NULL uscc: empty) */
    struct seen_uscc {
        const char *uscc;
        size_t row;
    } * seen;
    size_t seen_slots; /* power of two, more than twice the rows */
};

/* The row where uscc first appeared in the file, or 0 (then recorded as appearing at row). */
static size_t first_row_of(struct import_state *st, const char *uscc, size_t row)
{
    size_t k = str_hash(uscc) & (st->seen_slots - 1);
    for (; st->seen[k].uscc; k = (k + 1) & (st->seen_slots - 1)) {
        if (!strcmp(st->seen[k].uscc, uscc)) {
            return st->seen[k].row;
        }
    }
    st->seen[k] = (struct seen_uscc){uscc, row};
    return 0;
}

static bool listed(const char *const *l, const char *s)
{
    for (; *l; l++) {
        if (!strcmp(*l, s)) {
            return true;
        }
    }
    return false;
}

/* One problem of the report; zh and en (each language alone) may be NULL. */
static void row_problem(struct import_state *st, size_t row, const char *field, const char *msg,
                        const char *zh, const char *en)
{
    if (st->n_errors < 1000) {
        buf_printf(&st->errors, "%s{\"row\":%zu,\"field\":", st->n_errors ? "," : "", row);
        if (field) {
            buf_json_str(&st->errors, field, strlen(field));
        } else {
            buf_puts(&st->errors, "null");
        }
        buf_puts(&st->errors, ",\"message\":");
        buf_json_str(&st->errors, msg, strlen(msg));
        if (zh && en) {
            buf_puts(&st->errors, ",\"message_zh\":");
            buf_json_str(&st->errors, zh, strlen(zh));
            buf_puts(&st->errors, ",\"message_en\":");
            buf_json_str(&st->errors, en, strlen(en));
        }
        buf_putc(&st->errors, '}');
    }
    st->n_errors++;
}

static void row_error(struct import_state *st, size_t row, const char *field, const char *msg)
{
    row_problem(st, row, field, msg, NULL, NULL);
}

/* Move the error response that validation left on r into the row report: every problem it
   lists (error.errors), or the one it names. */
static void take_error(struct import_state *st, size_t row)
{
    struct req *r = st->r;
    json_t *j = json_loadb(r->out.p ? r->out.p : "", r->out.len, 0, NULL);
    json_t *e = json_object_get(j, "error");
    json_t *list = json_object_get(e, "errors");
    size_t i;
    json_t *x;
    if (!json_array_size(list)) {
        list = NULL;
    }
    json_array_foreach (list, i, x) {
        row_problem(st, row, json_string_value(json_object_get(x, "field")),
                    json_string_value(json_object_get(x, "message")) ?: "无效 / invalid",
                    json_string_value(json_object_get(x, "message_zh")),
                    json_string_value(json_object_get(x, "message_en")));
    }
    if (!list) {
        row_error(st, row, json_string_value(json_object_get(e, "field")),
                  json_string_value(json_object_get(e, "message")) ?: "无效 / invalid");
    }
    json_decref(j);
    buf_reset(&r->out);
    r->status = 0;
}

static int map_header(struct import_state *st, const struct table *t)
{
    st->n_cols = t->n_cols;
    st->cols = arena_zalloc(st->r->a, sizeof(char *) * (t->n_cols + 1));
    bool have_uscc = false;
    for (size_t c = 0; c < t->n_cols; c++) {
        const char *h = t->cells[0][c];
        const char *col = label_column_parse(h);
        if (!*h) {
            continue;
        }
        if (!col) {
            row_error(st, 1, h,
                      arena_printf(st->r->a, "未知的列“%s” / unknown column \"%s\"", h, h));
            continue;
        }
        if (listed(IGNORED, col)) {
            continue;
        }
        st->cols[c] = col;
        have_uscc = have_uscc || !strcmp(col, "uscc");
    }
    if (!have_uscc) {
        row_error(st, 1, "uscc", "缺少“统一社会信用代码”列 / the uscc column is missing");
    }
    return st->n_errors ? ERR_INPUT : 0;
}

/* JSON object of one row's cells; enumerations accept labels or codes. */
static json_t *row_object(struct import_state *st, char **cells, size_t row, const char **uscc)
{
    json_t *o = json_object();
    *uscc = "";
    for (size_t c = 0; c < st->n_cols; c++) {
        const char *col = st->cols[c];
        if (!col) {
            continue;
        }
        struct str v = str_trim(str_from(cells[c]));
        char *s = arena_strndup(st->r->a, v.p, v.len);
        if (!strcmp(col, "uscc")) {
            *uscc = s;
        }
        if (!strcmp(col, "lat") || !strcmp(col, "lng")) {
            double d;
            if (!*s) {
                json_object_set_new(o, col, json_null());
            } else if (parse_f64(s, strlen(s), &d)) {
                row_error(st, row, col, arena_printf(st->r->a, "“%s”不是数字 / not a number", s));
            } else {
                json_object_set_new(o, col, json_real(d));
            }
            continue;
        }
        const char *val = label_value_parse(st->r->a, col, s);
        if (!val) {
            row_error(st, row, col, arena_printf(st->r->a, "取值“%s”无效 / invalid value", s));
            continue;
        }
        if (!strcmp(col, "tags")) {
            json_t *arr = json_array();
            for (const char *p = val; *p;) {
                const char *end = strchr(p, ',');
                size_t n = end ? (size_t)(end - p) : strlen(p);
                json_array_append_new(arr, json_stringn(p, n));
                p += n + (end ? 1 : 0);
            }
            json_object_set_new(o, col, arr);
        } else {
            json_object_set_new(o, col, json_string(val));
        }
    }
    return o;
}

/* True when every written column already holds the written value. */
static bool same_as(const char *before_json, const struct entity_write *w)
{
    json_t *b = json_loads(before_json, 0, NULL);
    bool same = b != NULL;
    for (size_t i = 0; same && i < w->n; i++) {
        json_t *v = json_object_get(b, w->cols[i]);
        const struct db_value *x = &w->vals[i];
        if (json_is_array(v)) {
            struct buf joined;
            buf_init(&joined, 4096);
            size_t k;
            json_t *e;
            json_array_foreach (v, k, e) {
                buf_printf(&joined, "%s%s", k ? "," : "", json_string_value(e));
            }
            same = x->type == DB_TEXT && !strcmp(joined.p ? joined.p : "", x->s);
            buf_release(&joined);
        } else if (x->type == DB_TEXT) {
            same = json_is_string(v) && !strcmp(json_string_value(v), x->s);
        } else if (x->type == DB_REAL) {
            /* Exports print 15 significant digits and JSON 9 decimals: equal within 1e-9. */
            double a = json_is_number(v) ? json_number_value(v) : 0, d = a - x->r;
            same = json_is_number(v) && (d < 0 ? -d : d) <= 1e-9 * (1 + (a < 0 ? -a : a));
        } else if (x->type == DB_NULL) {
            same = !v || json_is_null(v);
        } else {
            same = json_is_integer(v) && json_integer_value(v) == x->i;
        }
    }
    json_decref(b);
    return same;
}

static char *snapshot(struct import_state *st, int64_t id)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    store_entity_get(st->db, &ENTITY_ENTERPRISE, NULL, id, &b);
    char *s = arena_strdup(st->r->a, b.p ? b.p : "{}");
    buf_release(&b);
    return s;
}

static void import_row(struct import_state *st, char **cells, size_t row)
{
    struct req *r = st->r;
    const char *uscc;
    size_t before_errors = st->n_errors;
    json_t *o = row_object(st, cells, row, &uscc);
    size_t first = *uscc ? first_row_of(st, uscc, row) : 0;
    if (first) { /* the earlier row would be overwritten without a word */
        row_error(st, row, "uscc",
                  arena_printf(r->a, "统一社会信用代码与第 %zu 行重复 / the same USCC as row %zu",
                               first, first));
        json_decref(o);
        return;
    }
    int64_t id = 0;
    bool exists = *uscc && store_enterprise_id_by_uscc(st->db, uscc, &id) == 0;
    if (exists) {
        json_object_del(o, "uscc");
        if (entity_enterprise_visible(r, st->db, id)) {
            row_error(st, row, "uscc",
                      "该企业不在您的管辖范围内 / this enterprise is outside your area");
        }
    }
    struct entity_write *w = arena_zalloc(r->a, sizeof *w);
    if (st->n_errors == before_errors &&
        entity_validate(r, st->db, &registry_enterprise_api, o, !exists, w)) {
        take_error(st, row);
    }
    json_decref(o);
    if (st->n_errors != before_errors) {
        return;
    }
    int rc;
    if (!exists) {
        rc = store_entity_insert(st->db, &ENTITY_ENTERPRISE, w->cols, w->vals, w->n, &id);
        if (!rc) {
            rc = audit_write(r, st->db, "enterprise", id, "import_create", NULL, snapshot(st, id));
        }
        st->created += rc ? 0 : 1;
    } else {
        char *before = snapshot(st, id);
        if (same_as(before, w)) {
            st->unchanged++;
            return;
        }
        rc = store_entity_update(st->db, &ENTITY_ENTERPRISE, id, w->cols, w->vals, w->n);
        if (!rc) {
            rc =
                audit_write(r, st->db, "enterprise", id, "import_update", before, snapshot(st, id));
        }
        st->updated += rc ? 0 : 1;
    }
    if (rc) {
        row_error(st, row, rc == ERR_CONFLICT ? "uscc" : NULL,
                  rc == ERR_CONFLICT ? "统一社会信用代码在文件中重复 / duplicate USCC in the file"
                                     : "无法写入 / could not be written");
    }
}

static bool blank_row(char **cells, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        if (*str_trim(str_from(cells[c])).p && str_trim(str_from(cells[c])).len) {
            return false;
        }
    }
    return true;
}

static int import_respond(struct import_state *st, bool dry_run, int rc)
{
    struct req *r = st->r;
    buf_reset(&r->out);
    if (st->n_errors) {
        buf_printf(
            &r->out,
            "{\"error\":{\"code\":\"import_failed\",\"message\":\"%zu 处错误，未导入任何数据 / "
            "%zu problems; nothing was imported\",\"field\":\"file\",\"request_id\":\"%s\"},"
            "\"rows\":[%s]}",
            st->n_errors, st->n_errors, r->request_id, st->errors.p ? st->errors.p : "");
        return resp_json(r, 422);
    }
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    buf_printf(&r->out,
               "{\"created\":%zu,\"updated\":%zu,\"unchanged\":%zu,\"dry_run\":%s,\"rows\":[]}",
               st->created, st->updated, st->unchanged, dry_run ? "true" : "false");
    return resp_json(r, 200);
}

int registry_import(struct req *r, const void *data, size_t len, bool dry_run)
{
    struct import_state st = {.r = r};
    buf_init(&st.errors, 1 << 20);
    struct table t;
    char err[256] = "";
    size_t max_rows = (size_t)settings_int("import_max_rows") + 1;
    bool xlsx = len >= 4 && !memcmp(data, "PK\x03\x04", 4);
    int rc = xlsx ? xlsx_read(data, len, r->a, max_rows, 64, &t, err, sizeof err)
                  : csv_parse(data, len, r->a, max_rows, 64, &t, err, sizeof err);
    if (rc) {
        buf_release(&st.errors);
        return resp_error(r, rc == ERR_TOOBIG ? 413 : 422, "unreadable_file",
                          arena_printf(r->a, "无法读取文件 / cannot read the file: %s", err),
                          "file");
    }
    if (t.n_rows < 1 || map_header(&st, &t)) {
        if (t.n_rows < 1) {
            row_error(&st, 1, NULL, "文件为空 / the file is empty");
        }
        rc = import_respond(&st, dry_run, 0);
        buf_release(&st.errors);
        return rc;
    }
    for (st.seen_slots = 64; st.seen_slots < 2 * t.n_rows + 2; st.seen_slots *= 2) {
    }
    st.seen = arena_zalloc(r->a, st.seen_slots * sizeof *st.seen);
    rc = store_begin(app.store, &st.db);
    for (size_t row = 1; !rc && row < t.n_rows; row++) {
        if (!blank_row(t.cells[row], t.n_cols)) {
            import_row(&st, t.cells[row], row + 1);
        }
    }
    if (!rc) {
        if (st.n_errors || dry_run) {
            store_rollback(app.store, st.db);
        } else {
            rc = store_commit(app.store, st.db);
        }
    }
    rc = import_respond(&st, dry_run, rc);
    buf_release(&st.errors);
    return rc;
}

int api_enterprises_import(struct req *r)
{
    const char *dry = req_query(r, "dry_run");
    bool dry_run = dry && (!strcmp(dry, "1") || !strcmp(dry, "true"));
    if (r->file.present) {
        return registry_import(r, r->file.data.p ? r->file.data.p : "", r->file.data.len, dry_run);
    }
    if (r->body.len == 0) {
        return resp_error(r, 422, "required",
                          "请上传 CSV 或 XLSX 文件（字段 file）/ upload a CSV or "
                          "XLSX file in the field \"file\"",
                          "file");
    }
    return registry_import(r, r->body.p, r->body.len, dry_run);
}

/* ---- import template ---- */

/* The example row of the template: a bamboo-products firm in 安吉县 (industry 2041), with a
   valid USCC, so that the template itself imports (the test does so with dry_run). */
static const char *example_value(struct arena *a, const char *col)
{
    static const char *const values[][2] = {
        {"name", "安吉县示例竹木制品有限公司"},
        {"region_code", "330523"},
        {"industry_code", "2041"},
        {"address", "浙江省湖州市安吉县递铺街道示例路1号"},
        {"lat", "30.638"},
        {"lng", "119.681"},
        {"legal_rep", "张三"},
        {"contact_name", "李四"},
        {"contact_phone", "0572-5123456"},
        {"category", "general"},
        {"tags", "industrial_park"},
    };
    if (!strcmp(col, "uscc")) {
        char *code = arena_alloc(a, 19);
        uscc_make("91330523MA2J00001", code);
        return code;
    }
    for (size_t i = 0; i < ARRAY_LEN(values); i++) {
        if (!strcmp(values[i][0], col)) {
            return label_value(a, col, values[i][1]);
        }
    }
    return "";
}

/* Header row of the columns an import reads (every enterprise field the server does not own,
   under the labels the export writes) and one example row, in r's arena. */
static void template_table(struct req *r, struct table *t)
{
    const struct entity_def *e = &ENTITY_ENTERPRISE;
    memset(t, 0, sizeof *t);
    t->cells = arena_alloc(r->a, sizeof(char **) * 2);
    t->cells[0] = arena_alloc(r->a, sizeof(char *) * e->n_fields);
    t->cells[1] = arena_alloc(r->a, sizeof(char *) * e->n_fields);
    for (size_t i = 0; i < e->n_fields; i++) {
        const struct field_def *f = &e->fields[i];
        if (f->flags & FF_SERVER || listed(IGNORED, f->name)) {
            continue;
        }
        t->cells[0][t->n_cols] = (char *)label_column(f->name);
        t->cells[1][t->n_cols] = (char *)example_value(r->a, f->name);
        t->n_cols++;
    }
    t->n_rows = 2;
}

int api_enterprises_import_template(struct req *r)
{
    const char *format = req_query(r, "format");
    bool xlsx = format && !strcmp(format, "xlsx");
    if (format && !xlsx && strcmp(format, "csv")) {
        return resp_error(r, 422, "invalid", "format 应为 csv 或 xlsx / format must be csv or xlsx",
                          "format");
    }
    struct table t;
    template_table(r, &t);
    char err[256] = "";
    int rc = 0;
    if (xlsx) {
        rc = xlsx_write_mem(&t, "enterprises", &r->out, err, sizeof err);
        r->resp_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    } else {
        csv_write_bom(&r->out);
        for (size_t i = 0; i < t.n_rows; i++) {
            csv_write_row(&r->out, (const char *const *)t.cells[i], t.n_cols);
        }
        r->resp_type = "text/csv; charset=utf-8";
    }
    if (rc || r->out.overflow) {
        return resp_err(r, rc ? rc : ERR_TOOBIG, err[0] ? err : NULL, NULL);
    }
    r->status = 200;
    const char *ext = xlsx ? "xlsx" : "csv";
    resp_header(r, "Content-Disposition",
                entity_disposition(r, arena_printf(r->a, "企业档案导入模板.%s", ext),
                                   arena_printf(r->a, "enterprises-import-template.%s", ext)));
    return 0;
}

/* ---- subcommands ---- */

static void cli_req(struct req *r, struct arena *a, struct principal *p)
{
    memset(r, 0, sizeof *r);
    memset(p, 0, sizeof *p);
    arena_init(a, 1 << 16);
    r->a = a;
    buf_init(&r->out, 0);
    snprintf(r->request_id, sizeof r->request_id, "cli");
    r->ip = "";
    p->username = "cli";
    p->role = ROLE_ADMIN;
    p->scope.kind = SCOPE_ALL;
    r->who = p;
}

static int read_file(const char *path, struct buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return ERR_IO;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_append(out, chunk, n);
    }
    fclose(f);
    return out->overflow ? ERR_TOOBIG : 0;
}

int cmd_import(const struct cli *c)
{
    if (c->n_args < 2 || strcmp(c->args[0], "enterprises")) {
        fprintf(stderr, "usage: envgov import enterprises FILE [--dry-run]\n");
        return 2;
    }
    struct buf data;
    buf_init(&data, (size_t)settings_int("upload_max_bytes"));
    if (read_file(c->args[1], &data)) {
        fprintf(stderr, "envgov import: cannot read %s\n", c->args[1]);
        buf_release(&data);
        return 1;
    }
    if (cli_open_store(false)) {
        buf_release(&data);
        return 1;
    }
    struct req r;
    struct arena a;
    struct principal p;
    cli_req(&r, &a, &p);
    registry_import(&r, data.p ? data.p : "", data.len, cli_opt(c, "dry_run") != NULL);
    printf("%s\n", r.out.p ? r.out.p : "");
    int rc = r.status == 200 ? 0 : 1;
    buf_release(&r.out);
    arena_free(&a);
    buf_release(&data);
    cli_close_store();
    return rc;
}

int cmd_export(const struct cli *c)
{
    if (c->n_args < 2 || strcmp(c->args[0], "enterprises")) {
        fprintf(stderr, "usage: envgov export enterprises FILE.csv|FILE.xlsx\n");
        return 2;
    }
    if (cli_open_store(false)) {
        return 1;
    }
    struct req r;
    struct arena a;
    struct principal p;
    cli_req(&r, &a, &p);
    struct list_query q = {.limit = 1};
    struct table t;
    char err[256] = "";
    const char *path = c->args[1];
    size_t n = strlen(path);
    bool xlsx = n > 5 && !strcmp(path + n - 5, ".xlsx");
    int rc = entity_export_table(&r, &registry_enterprise_api, &q, &t);
    if (!rc && xlsx) {
        rc = xlsx_write(&t, "enterprises", path, err, sizeof err);
    } else if (!rc) {
        csv_write_bom(&r.out);
        for (size_t i = 0; i < t.n_rows; i++) {
            csv_write_row(&r.out, (const char *const *)t.cells[i], t.n_cols);
        }
        FILE *f = fopen(path, "wb");
        rc = !f || fwrite(r.out.p, 1, r.out.len, f) != r.out.len ? ERR_IO : 0;
        if (f) {
            fclose(f);
        }
    }
    if (rc) {
        fprintf(stderr, "envgov export: cannot write %s %s\n", path, err);
    } else {
        printf("exported %zu enterprises to %s\n", t.n_rows ? t.n_rows - 1 : 0, path);
    }
    buf_release(&r.out);
    arena_free(&a);
    cli_close_store();
    return rc ? 1 : 0;
}
