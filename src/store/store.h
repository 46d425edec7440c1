/*
** The one interface to the database. Modules see connections (struct db) lent for one
** request or one transaction, named queries (store_<module>_<verb>) and a small generic
** statement API used by the named queries in src/store/q_*.c. The SQL in q_*.c is the common
** subset of SQLite and PostgreSQL with ?N placeholders; dialect work stays in the backend
** (sqlite.c, pg.c; store.c dispatches).
**
** This header holds the store's own interface (opening, schema, backup, upkeep, pool figures,
** transactions, the statement API) and the queries of the platform layer that every module
** builds on: the entities described as data with their scope (q_entity.c, used through
** platform/entity.c), the audit log (q_entity.c, q_audit.c), the code tables and calendar
** years (q_codes.c), attachments (q_attach.c) and the whole-database copy (q_dbcopy.c). A
** module's own queries are declared in store/q_<module>.h beside its q_<module>.c
** (q_accounts.h, q_registry.h, q_monitor.h, q_alarm.h, q_rules.h, ...) and
** only the files that call them include it; scripts/lint refuses a function declared here that
** a q_<name>.c with its own q_<name>.h defines.
**
** Concurrency: one writer connection guarded by a mutex (store_begin/commit/rollback) and a
** pool of reader connections (store_read/store_release). Reads that must see their own
** writes use the writer connection they hold.
*/
#ifndef ENVGOV_STORE_STORE_H
#define ENVGOV_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct store;
struct db;
struct db_stmt;

/* Open (creating if needed) the database named by url ("" = SQLite at data_dir/envgov.db),
   apply pending migrations in one transaction. A database newer than the binary, or a
   failure, returns an error with a message in err. The store owns its connections. */
int store_open(const char *data_dir, const char *url, struct store **out, char *err, size_t errcap);
void store_close(struct store *s);
/* Schema version in the database and the newest one this binary knows. */
int store_schema_version(struct store *s);
int store_schema_latest(void);
/* Online, consistent copy of the database to path (SQLite backup API; on PostgreSQL an
   error pointing to pg_dump). */
int store_backup(struct store *s, const char *path, char *err, size_t errcap);
/* Periodic upkeep, run at open and by the job store.maintain (hourly by default): on
   PostgreSQL, monthly readings partitions ahead of now_china ("YYYY-MM-DD HH:MM:SS") and
   retention. */
int store_maintain(struct store *s, const char *now_china);
/* "sqlite" or "postgresql". */
const char *store_backend_name(struct store *s);
/* Pool figures for /metrics. */
void store_stats(struct store *s, int *readers_total, int *readers_busy, int64_t *tx_total);

/* Borrow a reader connection (blocks while all are busy). Always release it. */
struct db *store_read(struct store *s);
void store_release(struct store *s, struct db *db);
/* Take the writer connection and BEGIN IMMEDIATE. On 0 the caller must commit or roll back. */
int store_begin(struct store *s, struct db **out);
int store_commit(struct store *s, struct db *db);
void store_rollback(struct store *s, struct db *db);

/* ---- generic statements (used by q_*.c; modules call named queries instead) ---- */
enum { DB_DONE = 0, DB_ROW = 1 };
enum db_type { DB_NULL, DB_INT, DB_REAL, DB_TEXT, DB_BLOB };

/* Prepare (or fetch from the connection's cache) sql. The statement belongs to db; finish
   it with db_done before the next use of the same SQL. */
int db_prepare(struct db *db, const char *sql, struct db_stmt **out);
void db_done(struct db_stmt *st);
int db_bind_int(struct db_stmt *st, int idx, int64_t v);
int db_bind_real(struct db_stmt *st, int idx, double v);
/* n == (size_t)-1: strlen. NULL p binds NULL. The text is copied. */
int db_bind_text(struct db_stmt *st, int idx, const char *p, size_t n);
/* As db_bind_text, but the caller keeps p unchanged until db_done (SQLite does not copy it):
   for the ingest path's many-row INSERTs. */
int db_bind_text_kept(struct db_stmt *st, int idx, const char *p, size_t n);
int db_bind_null(struct db_stmt *st, int idx);
/* DB_ROW, DB_DONE or a negative ERR_* (ERR_CONFLICT on a unique violation). */
int db_step(struct db_stmt *st);
int db_column_count(struct db_stmt *st);
const char *db_column_name(struct db_stmt *st, int i);
enum db_type db_column_type(struct db_stmt *st, int i);
int64_t db_column_int(struct db_stmt *st, int i);
double db_column_real(struct db_stmt *st, int i);
/* Valid until the next step/done; "" for NULL. */
const char *db_column_text(struct db_stmt *st, int i, size_t *len);
/* Run SQL without parameters or results (may hold several statements). */
int db_exec(struct db *db, const char *sql);
const char *db_errmsg(struct db *db);
/* Rows changed by the last statement. */
int64_t db_changes(struct db *db);

/* Prepare sql and bind parameters by type letters (i int64_t, r double, t text or NULL, n NULL);
   db_queryf leaves the statement for the caller to step and finish; db_runf steps it once and
   finishes it (0 or a negative ERR_*). */
int db_queryf(struct db *db, struct db_stmt **st, const char *sql, const char *types, ...);
int db_runf(struct db *db, const char *sql, const char *types, ...);
/* Step a statement of at most one row (INSERT/UPDATE ... RETURNING id, or a SELECT of one
   integer) to its end and finish it; *id gets the row's first column, 0 when no row. */
int db_step_id(struct db_stmt *st, int64_t *id);

/* Write the current and remaining rows as a JSON array of objects into out; columns named
   *_json are embedded raw (key without the suffix), *_list are comma lists turned into
   string arrays. Stops after max_rows (0 = no cap); *n_rows gets the count written. The
   statement is left positioned after the last written row (not finished). */
int db_rows_json(struct db_stmt *st, int first_step, size_t max_rows, struct buf *out,
                 size_t *n_rows);
/* Write the current row as one JSON object. */
void db_row_json(struct db_stmt *st, struct buf *out);
/* A row callback: the statement positioned on one row, columns as the query lists them (text
   valid during the call only). */
typedef void (*db_row_fn)(struct db_stmt *st, void *ctx);
/* Step st to its end, calling row for each row, then finish it: 0, or the step's error. */
int db_each(struct db_stmt *st, db_row_fn row, void *ctx);
/* Column i of the current row as text into dst[0..cap), cut to fit and NUL-terminated (NULL
   gives ""). */
void db_column_copy(struct db_stmt *st, int i, char *dst, size_t cap);

/* ---- entities: tables described as data, with generic list/get/insert/update ----
** The descriptions live in store/entities.c (they are schema). Field kinds are semantic so
** the platform layer can validate them (platform/entity.c); identifiers in generated SQL
** come only from these constant descriptions, never from input. */
enum field_kind {
    FK_TEXT,
    FK_INT,
    FK_REAL,
    FK_DATE,
    FK_ENUM,
    FK_TAGS,
    FK_REF,
    FK_USCC,
    FK_REGION,
    FK_INDUSTRY,
    FK_POLLUTANT,
    FK_PHONE,
    FK_SECRET,
};
#define FF_REQUIRED 1u     /* must be present and non-empty on create */
#define FF_FILTER 2u       /* exact-match list filter ?name=value */
#define FF_SORT 4u         /* list sort key (column must be NOT NULL) */
#define FF_SEARCH 8u       /* matched by ?q= (substring) */
#define FF_CREATE_ONLY 16u /* cannot change after create */
#define FF_SERVER 32u      /* set by the server, never from input */
#define FF_HIDDEN 64u      /* never returned by reads */
#define FF_PREFIX 128u     /* filter matches a code prefix (region 3305 → 3305xx) */
#define FF_ZH 256u         /* a name: sorted by the zh collation (pinyin), not byte-wise */

struct field_def {
    const char *name;
    enum field_kind kind;
    unsigned flags;
    unsigned max_len;          /* text bytes; 0 = 200 */
    const char *const *values; /* FK_ENUM / FK_TAGS allowed values, NULL-terminated */
    double min, max;           /* numeric range when min < max; labels: platform/labels.h */
};

struct entity_def {
    const char *name;   /* audit entity and messages: "enterprise" */
    const char *table;  /* "enterprises" */
    const char *select; /* column list for reads, table alias t */
    const struct field_def *fields;
    size_t n_fields;
    const char *enterprise_col; /* column of t naming the owning enterprise ("id" for
                                   enterprises), NULL when the entity is not scoped */
    const char *parent_col;     /* column set from the URL on nested create, or NULL */
    const char *default_sort;
    /* For rows with no owning enterprise (enterprise_col NULL), what scopes them instead: the
       column of t holding the row's own region code, or the column naming the org unit the row
       belongs to (a regional user sees it when one of the unit's regions is within their
       prefixes). NULL: the entity is not scoped. */
    const char *region_col;
    const char *unit_col;
};

extern const struct entity_def ENTITY_ENTERPRISE, ENTITY_OUTLET, ENTITY_POINT, ENTITY_LIMIT,
    ENTITY_PERMIT, ENTITY_AGENCY, ENTITY_USER, ENTITY_ORG_UNIT, ENTITY_ALARM, ENTITY_COMMAND,
    ENTITY_NOTIFICATION, ENTITY_DELIVERY;

/* Who may see what: every read and write of a scoped entity is filtered by one. */
enum scope_kind { SCOPE_ALL, SCOPE_REGIONS, SCOPE_ENTERPRISE, SCOPE_NONE };
struct scope {
    enum scope_kind kind;
    const char *const *prefixes; /* region code prefixes ("3305", "330522") */
    size_t n_prefixes;
    int64_t enterprise_id;
};
/* Whether a row of enterprise_id in region_code is within sc (NULL: everything): the same rule
   as the store's queries apply (store/scope.c), for a module that holds the row already. */
bool store_scope_allows(const struct scope *sc, int64_t enterprise_id, const char *region_code);

struct db_value {
    enum db_type type;
    int64_t i;
    double r;
    const char *s;
    size_t n;
};

#define LIST_MAX_FILTERS 16
struct list_query {
    const char *q;                              /* substring search, NULL = none */
    const char *filter_field[LIST_MAX_FILTERS]; /* validated FF_FILTER fields */
    const char *filter_value[LIST_MAX_FILTERS];
    size_t n_filters;
    const char *parent_col; /* nested list: parent_col = parent_id */
    int64_t parent_id;
    const char *sort; /* FF_SORT field or "id" */
    bool desc;
    size_t limit;       /* rows per page, > 0 */
    const char *cursor; /* opaque, from a previous page's next_cursor */
    bool with_total;
    const char *valid_to_before; /* permits: valid_to <= this date */
    const char *region_prefix;   /* rows of enterprises whose region_code starts with this */
    /* Alarms active in a span (UTC ISO times): first_at <= active_to, last_at >= active_from. */
    const char *active_from, *active_to;
};

/* Write {"items":[...],"next_cursor":"..."|null[,"total":n]} for one page. ERR_INPUT for a bad
   cursor. All strings are bound parameters. */
int store_entity_list(struct db *db, const struct entity_def *e, const struct scope *sc,
                      const struct list_query *q, struct buf *out);
/* Write the visible row as a JSON object; ERR_NOTFOUND when absent or out of scope. */
int store_entity_get(struct db *db, const struct entity_def *e, const struct scope *sc, int64_t id,
                     struct buf *out);
/* The owning enterprise of a row (for scope checks on nested writes), ERR_NOTFOUND. */
int store_entity_owner(struct db *db, const struct entity_def *e, int64_t id, int64_t *ent_id);
/* Insert columns cols[0..n) with vals (created_at/updated_at are added); *id gets the new id.
   ERR_CONFLICT on a unique violation, ERR_INPUT on a foreign key or check violation. */
int store_entity_insert(struct db *db, const struct entity_def *e, const char *const *cols,
                        const struct db_value *vals, size_t n, int64_t *id);
/* Update the given columns of row id (updated_at is set). ERR_NOTFOUND when absent. */
int store_entity_update(struct db *db, const struct entity_def *e, int64_t id,
                        const char *const *cols, const struct db_value *vals, size_t n);
/* 1 when table `code table` ("regions", "industries", "pollutants") has code, else 0. */
int store_code_exists(struct db *db, const char *table, const char *code, size_t n);
/* Visible-export: run the list query without paging (cap max_rows), calling row(...) with
   the statement positioned on each row. */
int store_entity_scan(struct db *db, const struct entity_def *e, const struct scope *sc,
                      const struct list_query *q, size_t max_rows,
                      int (*row)(struct db_stmt *st, void *ctx), void *ctx);

/* ---- audit log ---- */
struct audit_entry {
    int64_t actor_id; /* 0 = system */
    const char *actor;
    const char *entity;
    int64_t entity_id;
    const char *action;                   /* create, update, deactivate, login, ... */
    const char *before_json, *after_json; /* may be NULL */
    const char *request_id, *ip;
};
/* Insert one audit row; its record_name is resolved from the record itself as it is in this
   transaction (store_audit_kinds), so a write that removes a row records its
   audit row before the DELETE. */
int store_audit_add(struct db *db, const struct audit_entry *a);
/* A kind of record in the audit log (audit_log.entity): how its rows are named (scalar SQL on
   the record id ?5, NULL = no name) and, when history_sql gives the ids of enterprise ?1's
   records, that its rows show in the enterprise's change history (变更记录). Each module's
   list is in its store queries (q_<module>.c), ends with a zero row, and is named by its
   descriptor (platform/module.h audit_kinds). */
struct audit_kind {
    const char *entity, *name_sql, *history_sql;
};
/* Register the kinds (platform's modules_register, once, before threads start; until then rows
   get no name and an enterprise's history is empty). The strings must outlive the process. */
void store_audit_kinds(const struct audit_kind *const *kinds, size_t n);
/* The platform's own kinds (attachments, the whole database) and the calendar's. */
extern const struct audit_kind platform_audit_kinds[], calendar_audit_kinds[];

struct audit_query {
    const char *entity, *action, *from, *to; /* from/to: ISO timestamps (prefix compare) */
    int64_t entity_id, actor_id, before_id;  /* 0 = any */
    size_t limit;
};
/* {"items":[...],"next_cursor":"<id>"|null}, newest first. */
int store_audit_list(struct db *db, const struct audit_query *q, struct buf *out);
/* The newest audit rows as a JSON array, leaving out sign-ins and sign-outs (entity session),
   notification read marks and what the system did by itself (actor system: an alarm's case
   opened, escalated): the latest operations of people on records. */
int store_audit_recent(struct db *db, size_t limit, struct buf *out);
/* Audit rows of an enterprise and of its records of every kind with a history_sql. */
int store_audit_enterprise(struct db *db, int64_t enterprise_id, size_t limit, struct buf *out);

/* ---- reference code tables and calendar years ---- */
/* "regions", "industries" or "pollutants": row count. */
int store_codes_count(struct db *db, const char *table, int64_t *n);
/* Insert one code row; fields in the table's column order after code (regions and
   industries: name, parent_code, level; pollutants: name, unit, amount_unit, code_2005,
   medium, table_name). */
int store_code_insert(struct db *db, const char *table, const char *const *fields, size_t n);
/* List codes matching q (code prefix or name substring) and/or parent, as {"items":[...]}. */
int store_codes_list(struct db *db, const char *table, const char *q, const char *parent,
                     size_t limit, struct buf *out);
int store_calendar_put(struct db *db, int year, const char *source, const char *body,
                       const char *by);
/* Call fn for each stored year (ascending) with its JSON body. */
int store_calendar_scan(struct db *db, int (*fn)(int year, const char *body, void *ctx), void *ctx);
int store_calendar_get(struct db *db, int year, struct buf *out);

/* ---- attachments ---- */
struct attachment_row {
    int64_t id, size, entity_id, enterprise_id;
    char sha256[65], name[256], content_type[128], entity[32];
};
int store_attachment_insert(struct db *db, const struct attachment_row *a, int64_t uploaded_by,
                            int64_t *id);
int store_attachment_get(struct db *db, int64_t id, struct attachment_row *out);
/* {"items":[...]} of active attachments of one entity row. */
int store_attachment_list(struct db *db, const char *entity, int64_t entity_id, struct buf *out);
/* Rows: sha256 — the distinct hashes attachment rows name that start with the two hex digits
   bucket (the blob store's subdirectory), in order. */
int store_attachment_shas_each(struct db *db, const char *bucket, db_row_fn row, void *ctx);

/* ---- whole-database copy: export-db / import-db (q_dbcopy.c) ----
** Tables come from the database's own catalog (SQLite sqlite_master and pragmas; PostgreSQL
** information_schema and pg_catalog), so a table a migration adds is never forgotten.
** Identifiers in the generated SQL come only from the catalog and must be plain names. */

/* Start one read snapshot on a borrowed reader: every query on db until store_read_end sees
   the same committed state (SQLite: BEGIN; PostgreSQL: BEGIN ISOLATION LEVEL REPEATABLE READ
   READ ONLY). 0 or a negative ERR_*. */
int store_read_snapshot(struct db *db);
/* End the snapshot. ERR_DB when it was lost on the way (a connection reset ends the
   transaction), so what was read need not be one snapshot. */
int store_read_end(struct db *db);
/* The schema version recorded in the database of db (inside the caller's transaction). */
int store_db_schema_version(struct db *db, int *out);

#define STORE_NAME_MAX 64
#define STORE_COLS_MAX 64
struct store_table {
    char name[STORE_NAME_MAX];
    char cols[STORE_COLS_MAX][STORE_NAME_MAX]; /* in the table's column order */
    int n_cols;
    int pk[STORE_COLS_MAX]; /* primary key as indexes into cols, in key order */
    int n_pk;
    int identity;           /* column filled by a sequence (PostgreSQL identity), or -1 */
    int self_col, self_ref; /* one-column foreign key into the table itself (org_units.parent_id
                               → id) as indexes into cols, or -1 */
};
/* Every application table of db — all but schema_version; on PostgreSQL partitioned tables
   once, never their partitions — ordered so the tables a foreign key references come before
   the table that references them (by name among equals; tables in a reference cycle last).
   *out is heap-allocated (free() it). ERR_UNSUPPORTED with a message in err for a table or
   column name that is not a plain identifier or a table of more than STORE_COLS_MAX columns. */
int store_tables(struct db *db, struct store_table **out, size_t *n, char *err, size_t errcap);
int store_table_count(struct db *db, const struct store_table *t, int64_t *n);
/* Call row(vals, ctx) for every row of t, vals[i] being column t->cols[i] (text valid during
   the call only). Rows come in primary-key order, except that a row of a self-referencing
   table comes after the row it references. Tables are read in pages of keys, so a PostgreSQL
   result never holds a whole large table (a self-referencing one, org_units, is read in one
   query). A nonzero return of row stops the scan and is returned. */
int store_table_scan(struct db *db, const struct store_table *t,
                     int (*row)(const struct db_value *vals, void *ctx), void *ctx);
/* Insert one row: vals[i] into column t->cols[col[i]], bound by its type (DB_BLOB is refused
   with ERR_INPUT). ERR_CONFLICT, ERR_INPUT or ERR_DB as the database answers; db_errmsg says
   why. */
int store_table_insert(struct db *db, const struct store_table *t, const int *col,
                       const struct db_value *vals, size_t n);
/* Delete every row of t (import-db replacing the code tables loaded at open). */
int store_table_clear(struct db *db, const struct store_table *t);
/* After rows were inserted with explicit ids: on PostgreSQL set t's identity sequence to the
   largest id, so the next generated id follows it; nothing to do on SQLite (MAX(rowid)+1). */
int store_table_reset_identity(struct db *db, const struct store_table *t);

#endif
