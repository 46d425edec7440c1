/*
** Chinese labels for columns and enumerated values, used by exports (staff read Chinese in
** Excel) and accepted back by imports, so an exported file re-imports unchanged.
*/
#ifndef ENVGOV_PLATFORM_LABELS_H
#define ENVGOV_PLATFORM_LABELS_H

#include "core/arena.h"

/* Header label of a column ("uscc" → "统一社会信用代码"); the column name when unknown. */
const char *label_column(const char *col);
/* Column name for a header cell given either the label or the column name; NULL if unknown. */
const char *label_column_parse(const char *header);
/* Display value of an enumerated column (category "key" → "重点"); tags lists are joined
   with "、". Returns v itself when the column is not enumerated. Allocates in a. */
const char *label_value(struct arena *a, const char *col, const char *v);
/* Stored value for a display or stored value; NULL when not a known value of col. For tags,
   returns the comma list. Returns s when the column is not enumerated. */
const char *label_value_parse(struct arena *a, const char *col, const char *s);

#endif
