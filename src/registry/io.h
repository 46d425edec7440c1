/*
** Enterprise import (CSV or XLSX, all-or-nothing, per-row error report, upsert by USCC) and
** the import/export subcommands.
*/
#ifndef ENVGOV_REGISTRY_IO_H
#define ENVGOV_REGISTRY_IO_H

#include <stdbool.h>

#include "http/http.h"
#include "platform/entity.h"

extern const struct entity_api registry_enterprise_api;

/* Import data[0..len) (XLSX when it starts with PK, else CSV) as the principal r->who, in one
   transaction (rolled back on any row error or when dry_run). Writes the JSON response into
   r (200 with counts, or 422 with rows). Uses only r's arena, principal and response. */
int registry_import(struct req *r, const void *data, size_t len, bool dry_run);
int api_enterprises_import(struct req *r);
/* GET import-template?format=csv|xlsx: the columns an import reads, with one example row. */
int api_enterprises_import_template(struct req *r);

#endif
