/*
** Labels of fields and enumerated values in Chinese and English. The one source is each
** module's web/js/<module>/labels.json (embedded in the binary), which the UI imports too:
**   { "fields":   { "uscc": ["统一社会信用代码", "Credit code (USCC)"],
**                   "enterprise.name": ["企业名称", "Enterprise name"] },   entity-specific
**     "enums":    { "category": { "key": ["重点排污单位", "Key discharger"] } },
**     "columns":  { "kind": ["outlet_kind", "agency_kind"],      sets labelling a column's values
**                   "alarm.status": ["alarm_status"] },            (entity-specific first)
**     "previous": { "fields": { "valid_to": ["有效期止"] }, "enums": { … } } }  still accepted
** Exports write the labels, imports accept labels, previous labels and stored names, so an
** exported file re-imports unchanged. docs/internals/modules.md: labels.
*/
#ifndef ENVGOV_PLATFORM_LABELS_H
#define ENVGOV_PLATFORM_LABELS_H

#include <stdbool.h>

#include "core/arena.h"

struct buf;

/* Header label of a column ("uscc" → "统一社会信用代码"); the column name when unknown. */
const char *label_column(const char *col);
/* Column name for a header cell given either the label or the column name; NULL if unknown. */
const char *label_column_parse(const char *header);
/* Label of entity's field in Chinese or English: "entity.field", else "field", else field
   itself. entity may be NULL. */
const char *label_field(const char *entity, const char *field, bool en);
/* Label of value in set ("alarm_kind", "exceed"); NULL when the set has no such value. */
const char *label_enum(const char *set, const char *value, bool en);
/* Display value of an enumerated column (category "key" → "重点排污单位"); tags lists are
   joined with "、". Returns v itself when the column is not enumerated. Allocates in a. */
const char *label_value(struct arena *a, const char *col, const char *v);
/* Stored value for a display or stored value; NULL when not a known value of col. For tags,
   returns the comma list. Returns s when the column is not enumerated. */
const char *label_value_parse(struct arena *a, const char *col, const char *s);
/* The same for a column of entity ("alarm", "status" → the sets of "alarm.status" in
   "columns", else as above); entity may be NULL. */
const char *label_entity_value(struct arena *a, const char *entity, const char *col, const char *v);
const char *label_entity_value_parse(struct arena *a, const char *entity, const char *col,
                                     const char *s);
/* Problems found loading the labels files (a malformed file, a key two modules label
   differently), one per line; NULL when there are none. */
const char *labels_problems(void);
/* Every current label as JSON: {"fields":{key:{zh,en,module}},"enums":{set:{value:{…}}},
   "columns":{col:[sets]}} (`envgov labels`). */
void labels_json(struct buf *out);

#endif
