/*
** XLSX: a reader of the first worksheet (libzip + expat; no Debian C library reads XLSX) and
** a writer over libxlsxwriter. The reader resolves the first sheet through the workbook
** relationships, reads shared strings (with rich-text runs) and inline strings, places cells
** by their references, and caps every entry's size and the cell count.
*/
#include <expat.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "core/err.h"
#include "core/table.h"
#include "core/util.h"

#define ENTRY_MAX ((zip_uint64_t)64 << 20)

/* Read a whole zip entry (NUL-terminated, heap) within ENTRY_MAX. */
static int read_entry(zip_t *z, const char *name, char **out, size_t *len, char *err, size_t errcap)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, name, 0, &st) || !(st.valid & ZIP_STAT_SIZE)) {
        snprintf(err, errcap, "the workbook has no %s", name);
        return ERR_NOTFOUND;
    }
    if (st.size > ENTRY_MAX) {
        snprintf(err, errcap, "%s is too large", name);
        return ERR_TOOBIG;
    }
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f) {
        snprintf(err, errcap, "cannot open %s in the workbook", name);
        return ERR_INPUT;
    }
    char *buf = xmalloc((size_t)st.size + 1);
    zip_int64_t n = zip_fread(f, buf, st.size);
    zip_fclose(f);
    if (n < 0 || (zip_uint64_t)n != st.size) {
        free(buf);
        snprintf(err, errcap, "%s is damaged", name);
        return ERR_INPUT;
    }
    buf[n] = 0;
    *out = buf;
    *len = (size_t)n;
    return 0;
}

/* ---- generic expat driver state ---- */
struct xml {
    struct buf text;
    bool in_text;
    int depth_rph; /* inside <rPh> phonetic runs: ignore their text */
    /* shared strings */
    char **strings;
    size_t n_strings, cap_strings;
    /* workbook / rels */
    char first_rid[64];
    char target[256];
    const char *want_rid;
    /* sheet */
    struct cell {
        size_t row, col;
        char *value;
    } * cells;
    size_t n_cells, cap_cells, max_row, max_col, cur_row, cur_col, next_col;
    char cell_type[16];
    bool in_cell, have_value;
    size_t max_rows, max_cols;
    int error;
    char *err;
    size_t errcap;
};

static const char *local_name(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2) {
        if (!strcmp(local_name(atts[i]), name)) {
            return atts[i + 1];
        }
    }
    return NULL;
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    struct xml *x = ud;
    if (x->in_text && !x->depth_rph) {
        buf_append(&x->text, s, (size_t)len);
    }
}

static int parse_xml(struct xml *x, const char *data, size_t len, XML_StartElementHandler start,
                     XML_EndElementHandler end)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p) {
        return ERR_IO;
    }
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, on_text);
    int ok = XML_Parse(p, data, (int)len, 1) != XML_STATUS_ERROR;
    if (!ok && !x->error) {
        snprintf(x->err, x->errcap, "malformed XML: %s", XML_ErrorString(XML_GetErrorCode(p)));
        x->error = ERR_INPUT;
    }
    XML_ParserFree(p);
    return x->error;
}

/* ---- sharedStrings.xml ---- */
static void ss_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xml *x = ud;
    const char *n = local_name(name);
    (void)atts;
    if (!strcmp(n, "si")) {
        buf_reset(&x->text);
    } else if (!strcmp(n, "t")) {
        x->in_text = true;
    } else if (!strcmp(n, "rPh")) {
        x->depth_rph++;
    }
}

static void ss_end(void *ud, const XML_Char *name)
{
    struct xml *x = ud;
    const char *n = local_name(name);
    if (!strcmp(n, "t")) {
        x->in_text = false;
    } else if (!strcmp(n, "rPh")) {
        x->depth_rph--;
    } else if (!strcmp(n, "si")) {
        if (x->n_strings == x->cap_strings) {
            x->cap_strings = x->cap_strings ? x->cap_strings * 2 : 256;
            x->strings = xrealloc(x->strings, x->cap_strings * sizeof *x->strings);
        }
        x->strings[x->n_strings++] = xstrndup(x->text.p ? x->text.p : "", x->text.len);
    }
}

/* ---- workbook.xml and its rels ---- */
static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xml *x = ud;
    const char *id = attr(atts, "id");
    if (!strcmp(local_name(name), "sheet") && !x->first_rid[0] && id) {
        snprintf(x->first_rid, sizeof x->first_rid, "%s", id);
    }
}

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xml *x = ud;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    if (!strcmp(local_name(name), "Relationship") && id && target && x->want_rid &&
        !strcmp(id, x->want_rid)) {
        if (target[0] == '/') {
            snprintf(x->target, sizeof x->target, "%s", target + 1);
        } else {
            snprintf(x->target, sizeof x->target, "xl/%s", target);
        }
    }
}

static void no_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

/* ---- the worksheet ---- */
/* "AB12" → col 28 (1-based), row 12. */
static bool cell_ref(const char *r, size_t *row, size_t *col)
{
    size_t c = 0, n = 0;
    for (; *r >= 'A' && *r <= 'Z'; r++) {
        c = c * 26 + (size_t)(*r - 'A' + 1);
        if (c > 16384) {
            return false;
        }
    }
    for (; *r >= '0' && *r <= '9'; r++) {
        n = n * 10 + (size_t)(*r - '0');
        if (n > 1048576) {
            return false;
        }
    }
    if (*r || !c || !n) {
        return false;
    }
    *row = n;
    *col = c;
    return true;
}

static void sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xml *x = ud;
    const char *n = local_name(name);
    if (x->error) {
        return;
    }
    if (!strcmp(n, "row")) {
        const char *r = attr(atts, "r");
        int64_t v;
        x->cur_row = r && !parse_i64(r, strlen(r), &v) && v > 0 ? (size_t)v : x->cur_row + 1;
        x->next_col = 1;
    } else if (!strcmp(n, "c")) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        size_t row = x->cur_row, col = x->next_col;
        if (r && !cell_ref(r, &row, &col)) {
            snprintf(x->err, x->errcap, "bad cell reference '%.20s'", r);
            x->error = ERR_INPUT;
            return;
        }
        x->cur_row = row ? row : 1;
        x->cur_col = col;
        x->next_col = col + 1;
        snprintf(x->cell_type, sizeof x->cell_type, "%s", t ? t : "n");
        x->in_cell = true;
        x->have_value = false;
        buf_reset(&x->text);
    } else if (x->in_cell && (!strcmp(n, "v") || !strcmp(n, "t"))) {
        x->in_text = true;
    } else if (!strcmp(n, "rPh")) {
        x->depth_rph++;
    }
}

static void add_cell(struct xml *x, char *value)
{
    if (x->cur_row > x->max_rows) {
        snprintf(x->err, x->errcap, "more than %zu rows", x->max_rows - 1);
        x->error = ERR_TOOBIG;
    } else if (x->cur_col > x->max_cols) {
        snprintf(x->err, x->errcap, "row %zu has more than %zu columns", x->cur_row, x->max_cols);
        x->error = ERR_INPUT;
    }
    if (x->error) {
        free(value);
        return;
    }
    if (x->n_cells == x->cap_cells) {
        x->cap_cells = x->cap_cells ? x->cap_cells * 2 : 1024;
        x->cells = xrealloc(x->cells, x->cap_cells * sizeof *x->cells);
    }
    x->cells[x->n_cells++] = (struct cell){x->cur_row, x->cur_col, value};
    x->max_row = x->cur_row > x->max_row ? x->cur_row : x->max_row;
    x->max_col = x->cur_col > x->max_col ? x->cur_col : x->max_col;
}

static void sh_end(void *ud, const XML_Char *name)
{
    struct xml *x = ud;
    const char *n = local_name(name);
    if (!strcmp(n, "v") || !strcmp(n, "t")) {
        x->in_text = false;
        x->have_value = true;
    } else if (!strcmp(n, "rPh")) {
        x->depth_rph--;
    } else if (!strcmp(n, "c") && x->in_cell) {
        x->in_cell = false;
        const char *v = x->text.p ? x->text.p : "";
        char *value = NULL;
        if (!strcmp(x->cell_type, "s")) {
            int64_t i;
            if (x->have_value && !parse_i64(v, strlen(v), &i) && i >= 0 &&
                (size_t)i < x->n_strings) {
                value = xstrdup(x->strings[i]);
            } else if (x->have_value) {
                snprintf(x->err, x->errcap, "cell refers to a missing shared string");
                x->error = ERR_INPUT;
                return;
            }
        } else if (!strcmp(x->cell_type, "b")) {
            value = xstrdup(!strcmp(v, "1") ? "TRUE" : "FALSE");
        } else if (x->have_value) {
            value = xstrndup(v, x->text.len);
        }
        if (value && *value) {
            add_cell(x, value);
        } else {
            free(value);
        }
    }
}

static void xml_free(struct xml *x)
{
    for (size_t i = 0; i < x->n_strings; i++) {
        free(x->strings[i]);
    }
    free(x->strings);
    for (size_t i = 0; i < x->n_cells; i++) {
        free(x->cells[i].value);
    }
    free(x->cells);
    buf_release(&x->text);
}

static void sheet_path(zip_t *z, struct xml *x)
{
    char *data;
    size_t len;
    char tmp[8];
    snprintf(x->target, sizeof x->target, "xl/worksheets/sheet1.xml");
    if (read_entry(z, "xl/workbook.xml", &data, &len, tmp, sizeof tmp) == 0) {
        parse_xml(x, data, len, wb_start, no_end);
        free(data);
    }
    x->error = 0;
    if (x->first_rid[0] &&
        read_entry(z, "xl/_rels/workbook.xml.rels", &data, &len, tmp, sizeof tmp) == 0) {
        x->want_rid = x->first_rid;
        parse_xml(x, data, len, rels_start, no_end);
        free(data);
    }
    x->error = 0;
}

static void to_table(struct xml *x, struct arena *a, struct table *out)
{
    out->n_rows = x->max_row;
    out->n_cols = x->max_col;
    out->cells = arena_alloc(a, sizeof(char **) * (out->n_rows ? out->n_rows : 1));
    for (size_t r = 0; r < out->n_rows; r++) {
        out->cells[r] = arena_alloc(a, sizeof(char *) * (out->n_cols ? out->n_cols : 1));
        for (size_t c = 0; c < out->n_cols; c++) {
            out->cells[r][c] = "";
        }
    }
    for (size_t i = 0; i < x->n_cells; i++) {
        out->cells[x->cells[i].row - 1][x->cells[i].col - 1] = arena_strdup(a, x->cells[i].value);
    }
}

int xlsx_read(const void *data, size_t len, struct arena *a, size_t max_rows, size_t max_cols,
              struct table *out, char *err, size_t errcap)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!z) {
        if (src) {
            zip_source_free(src);
        }
        zip_error_fini(&ze);
        snprintf(err, errcap, "not an XLSX (zip) file");
        return ERR_INPUT;
    }
    struct xml x = {0};
    buf_init(&x.text, 1 << 20);
    x.err = err;
    x.errcap = errcap;
    x.max_rows = max_rows;
    x.max_cols = max_cols;
    char *xmlbuf = NULL;
    size_t xl;
    int rc = 0;
    if (read_entry(z, "xl/sharedStrings.xml", &xmlbuf, &xl, err, errcap) == 0) {
        rc = parse_xml(&x, xmlbuf, xl, ss_start, ss_end);
        free(xmlbuf);
    }
    if (!rc) {
        sheet_path(z, &x);
        rc = read_entry(z, x.target, &xmlbuf, &xl, err, errcap);
    }
    if (!rc) {
        rc = parse_xml(&x, xmlbuf, xl, sh_start, sh_end);
        free(xmlbuf);
    }
    if (!rc) {
        to_table(&x, a, out);
    }
    xml_free(&x);
    zip_close(z);
    zip_error_fini(&ze);
    return rc;
}

/* ---- writer ---- */

/* Display width: CJK and other wide characters count double. */
static double text_width(const char *s)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80) {
            w += 1;
        } else if ((*p & 0xC0) != 0x80) {
            w += 2;
        }
    }
    return w;
}

int xlsx_write(const struct table *t, const char *sheet_name, const char *path, char *err,
               size_t errcap)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        snprintf(err, errcap, "cannot create %s", path);
        return ERR_IO;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet_name);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *text = workbook_add_format(wb);
    format_set_num_format(text, "@");
    for (size_t c = 0; c < t->n_cols && c < 16384; c++) {
        double w = 8;
        for (size_t r = 0; r < t->n_rows && r < 200; r++) {
            double tw = text_width(t->cells[r][c]) + 2;
            w = tw > w ? tw : w;
        }
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w > 60 ? 60 : w, text);
    }
    for (size_t r = 0; r < t->n_rows && r < 1048576; r++) {
        for (size_t c = 0; c < t->n_cols && c < 16384; c++) {
            const char *v = t->cells[r][c];
            if (*v) {
                worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, v, r == 0 ? bold : text);
            }
        }
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        snprintf(err, errcap, "cannot write %s: %s", path, lxw_strerror(e));
        return ERR_IO;
    }
    return 0;
}

int xlsx_write_mem(const struct table *t, const char *sheet_name, struct buf *out, char *err,
                   size_t errcap)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/envgov-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(err, errcap, "cannot create a temporary file");
        return ERR_IO;
    }
    close(fd);
    int rc = xlsx_write(t, sheet_name, path, err, errcap);
    FILE *f = rc ? NULL : fopen(path, "rb");
    if (f) {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
            buf_append(out, chunk, n);
        }
        fclose(f);
    } else if (!rc) {
        rc = ERR_IO;
    }
    unlink(path);
    return rc;
}
