/*
** Tables of text cells as staff keep them in Excel: CSV (RFC 4180, UTF-8 or GB18030 from
** Excel) and the first sheet of XLSX, read into memory; CSV and XLSX written back. Cells are
** NUL-terminated UTF-8 allocated in the caller's arena; row 0 is the header. Readers are
** bounded (rows, columns, uncompressed bytes) and never crash on malformed input (fuzzed).
*/
#ifndef ENVGOV_CORE_TABLE_H
#define ENVGOV_CORE_TABLE_H

#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"

struct table {
    size_t n_rows, n_cols;
    char ***cells; /* [row][col]; every row has n_cols cells ("" when empty) */
};

/* Parse CSV data[0..len). More than max_rows rows → ERR_TOOBIG; a row with more fields than
   max_cols, or than the header, → ERR_INPUT with the line named in err. */
int csv_parse(const char *data, size_t len, struct arena *a, size_t max_rows, size_t max_cols,
              struct table *out, char *err, size_t errcap);
/* Append one CRLF-terminated CSV row. */
void csv_write_row(struct buf *b, const char *const *fields, size_t n);
/* UTF-8 byte-order mark, so Excel opens Chinese text correctly. */
void csv_write_bom(struct buf *b);

/* Read the first worksheet of an XLSX file held in memory. Same bounds as csv_parse. */
int xlsx_read(const void *data, size_t len, struct arena *a, size_t max_rows, size_t max_cols,
              struct table *out, char *err, size_t errcap);
/* Write t as an XLSX file at path: every cell as text (codes keep leading zeros), bold frozen
   header, fitted column widths. */
int xlsx_write(const struct table *t, const char *sheet_name, const char *path, char *err,
               size_t errcap);
/* The same into memory (through a temporary file, removed afterwards). */
int xlsx_write_mem(const struct table *t, const char *sheet_name, struct buf *out, char *err,
                   size_t errcap);

#endif
