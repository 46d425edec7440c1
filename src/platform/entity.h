/*
** Generic REST handlers over store entity descriptions: list (search, filters, sort, cursor
** paging), get, create, update, activate/deactivate, history and export — each write in one
** transaction with an audit row holding before and after. Modules declare a struct
** entity_api and call these from their thin route handlers.
*/
#ifndef ENVGOV_PLATFORM_ENTITY_H
#define ENVGOV_PLATFORM_ENTITY_H

#include <jansson.h>

#include "http/http.h"

/* One problem with a request body: the field it names (NULL for the record as a whole), a
   stable code ("required", "invalid_uscc" …), the message in Chinese and in English (each a
   whole sentence naming the field in words) and the HTTP status it answers with. */
struct entity_error {
    const char *field, *code, *zh, *en;
    int status;
};

enum { ENTITY_MAX_ERRORS = 32 };

/* The columns a write sets, and the problems validation found on the way: validation goes on
   past the first problem so that a form can show every one beside its field at once. */
struct entity_write {
    const char *entity; /* the entity's name, for field labels in messages */
    const char *cols[48];
    struct db_value vals[48];
    size_t n;
    struct entity_error errors[ENTITY_MAX_ERRORS];
    size_t n_errors;
};

struct entity_api {
    const struct entity_def *def;
    unsigned read_roles, write_roles;
    const struct entity_def *parent; /* entity named by the parent id on nested routes */
    const char *const *extra_keys;   /* body keys that are not columns, left to check() */
    /* Extra checks and derived columns after field validation, inside the write transaction.
       It runs even when fields were refused (those are absent from w), so that its problems
       are reported with theirs: record each with entity_error_add and return ERR_INPUT, or
       return another ERR_* (ERR_NOTFOUND …) without a response. Setting a response itself
       with resp_error still works; it is merged with the field errors. */
    int (*check)(struct req *r, struct db *db, json_t *in, bool create, int64_t id,
                 int64_t parent_id, struct entity_write *w);
    /* Writes beyond the row (e.g. a link table) once the row exists, in the same transaction
       and before the audit snapshot; *changed true makes an update with no column changes
       audited too. May be NULL. */
    int (*after)(struct req *r, struct db *db, json_t *in, int64_t id, bool *changed);
};

int entity_list(struct req *r, const struct entity_api *api, int64_t parent_id);
int entity_get(struct req *r, const struct entity_api *api, int64_t id);
int entity_create(struct req *r, const struct entity_api *api, int64_t parent_id);
int entity_update(struct req *r, const struct entity_api *api, int64_t id);
int entity_set_status(struct req *r, const struct entity_api *api, int64_t id, const char *status);
/* Export the filtered list as CSV or XLSX (format query parameter), named in Chinese with
   the China-time date (企业档案-2026-12-03.xlsx); stored UTC timestamps are written in China
   time as "YYYY-MM-DD HH:MM:SS". */
int entity_export(struct req *r, const struct entity_api *api);
/* Content-Disposition value (in r's arena) for a download named name (UTF-8, sent as RFC 5987
   filename*) with ascii_name as the plain filename= for clients that ignore filename*. */
char *entity_disposition(struct req *r, const char *name, const char *ascii_name);
struct table;
/* The format query parameter: csv (default) or xlsx; else a 422 is set and ERR_INPUT returned. */
int entity_export_format(struct req *r, bool *xlsx);
/* Send t as the download "<name>-<China date>.csv|xlsx" (200), or the error response. */
int entity_export_send(struct req *r, const struct table *t, bool xlsx, const char *name);
/* The 413 answer of an export over export_max_rows. */
int entity_export_too_big(struct req *r);
/* Rows of the filtered list as a table (header labels, display values) in r's arena. */
int entity_export_table(struct req *r, const struct entity_api *api, const struct list_query *q,
                        struct table *t);
/* Validate a JSON object as a create (or update) of api's entity into w; on failure the
   error response is set on r (status 422, every problem in error.errors, the first also in
   error.code / message / field). */
int entity_validate(struct req *r, struct db *db, const struct entity_api *api, json_t *in,
                    bool create, struct entity_write *w);
/* Parse list query parameters into q (shared by list and export). Sets a 422 on error. */
int entity_list_query(struct req *r, const struct entity_def *def, struct list_query *q);
/* Record a problem for field (NULL: the record) in w; zh and en are whole messages (in r's
   arena or static). A second problem with a field that already has one is dropped, and
   problems past ENTITY_MAX_ERRORS are counted but not kept. Returns ERR_INPUT. */
int entity_error_add(struct entity_write *w, int status, const char *field, const char *code,
                     const char *zh, const char *en);
/* Answer with every problem recorded in w (at least one): status of the first, body
   {"error":{"code","message","message_zh","message_en","field","request_id",
   "errors":[{"field","code","message","message_zh","message_en"}…]}}, where message is
   "中文 / English". Returns ERR_INPUT, or ERR_FORBIDDEN when the first answers 403. */
int entity_errors_respond(struct req *r, const struct entity_write *w);
/* Add a column to a write set (for check hooks). */
void entity_write_text(struct entity_write *w, const char *col, const char *v);
void entity_write_int(struct entity_write *w, const char *col, int64_t v);
/* The value written for col, or NULL. */
const struct db_value *entity_write_get(const struct entity_write *w, const char *col);
/* Whether the principal may see enterprise ent_id (scope check for nested writes). */
int entity_enterprise_visible(struct req *r, struct db *db, int64_t ent_id);
/* End a module's write handler on its transaction db: roll back on rc (a refusal already
   written into r stays the answer, anything else answers resp_err), else commit and answer the
   JSON in r->out with status. */
int entity_finish_write(struct req *r, struct db *db, int rc, int status);
/* End a read handler: release db; a refusal already written stays, else rc's error or 200. */
int entity_finish_read(struct req *r, struct db *db, int rc);

#endif
