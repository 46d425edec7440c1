/*
** What a database backend (sqlite.c, pg.c) provides to store.c. store.c owns the parts that
** are the same on every backend — the reader pool, the writer mutex, migrations — and the
** public db_* functions dispatch through the connection's ops. A backend's connection and
** statement structs start with struct db / struct db_stmt.
*/
#ifndef ENVGOV_STORE_BACKEND_H
#define ENVGOV_STORE_BACKEND_H

#include <pthread.h>
#include <stdbool.h>

#include "store/store.h"

struct db_ops {
    int (*prepare)(struct db *db, const char *sql, struct db_stmt **out);
    void (*done)(struct db_stmt *st);
    int (*bind_int)(struct db_stmt *st, int idx, int64_t v);
    int (*bind_real)(struct db_stmt *st, int idx, double v);
    int (*bind_text)(struct db_stmt *st, int idx, const char *p, size_t n);
    /* The same without a copy where the backend can (db_bind_text_kept). */
    int (*bind_text_kept)(struct db_stmt *st, int idx, const char *p, size_t n);
    int (*bind_null)(struct db_stmt *st, int idx);
    int (*step)(struct db_stmt *st);
    int (*column_count)(struct db_stmt *st);
    const char *(*column_name)(struct db_stmt *st, int i);
    enum db_type (*column_type)(struct db_stmt *st, int i);
    int64_t (*column_int)(struct db_stmt *st, int i);
    double (*column_real)(struct db_stmt *st, int i);
    const char *(*column_text)(struct db_stmt *st, int i, size_t *len);
    int (*exec)(struct db *db, const char *sql);
    const char *(*errmsg)(struct db *db);
    int64_t (*changes)(struct db *db);
    /* Start the write transaction (the store holds the writer mutex). */
    int (*begin)(struct db *db);
    bool (*in_transaction)(struct db *db);
    void (*close)(struct db *db);
};

struct db {
    const struct db_ops *ops;
    struct store *owner;
};

struct db_stmt {
    struct db *db;
};

struct backend {
    const char *name;
    /* Migration files of this backend end with this ("" = plain .sql, not .pg.sql). */
    const char *migration_suffix;
    /* Starts a read transaction that sees one snapshot throughout (store_read_snapshot). */
    const char *snapshot_begin;
    /* Open one connection to s->target. */
    int (*connect)(struct store *s, bool reader, struct db **out, char *err, size_t errcap);
    int (*backup)(struct store *s, const char *path, char *err, size_t errcap);
    /* Periodic upkeep (partitions, retention); may be NULL. */
    int (*maintain)(struct store *s, const char *now_china);
    /* After the migrations: rebuild the indexes in the zh collation when the ICU order they
       were built in is not the one in use (a libicu upgrade may change it). */
    int (*check_collation)(struct store *s);
};

struct store {
    const struct backend *be;
    char target[1024]; /* SQLite file path or PostgreSQL URL */
    struct db *writer;
    pthread_mutex_t write_lock;
    struct db **readers;
    int n_readers;
    struct db **free_readers;
    int n_free;
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_cond;
    int64_t tx_total;
};

/* PostgreSQL: the SQL text for the server — ?N → $N and LIKE → ILIKE outside quoted text and
   identifiers; *max_param gets the highest N. Heap-allocated. */
char *pg_translate(const char *sql, int *max_param);

extern const struct backend SQLITE_BACKEND;
extern const struct backend PG_BACKEND;

/* Whether db is a PostgreSQL connection (for the few statements that differ). */
static inline bool db_is_pg(const struct db *db)
{
    return db->owner->be == &PG_BACKEND;
}

/* The prefix a GB/T 2260 code covers, in SQL: 330000 → 33, 330500 → 3305, 330522 → 330522.
   Zeros go in pairs, as accounts_region_prefix does: rtrim(code, '0') took 331000 (台州市) for
   331, which 3311xx (丽水) also starts with. col is a SQL expression. */
#define SQL_REGION_PREFIX(col)                                                                     \
    "(CASE WHEN substr(" col ", 3, 4) = '0000' THEN substr(" col ", 1, 2) WHEN substr(" col        \
    ", 5, 2) = '00' THEN substr(" col ", 1, 4) ELSE " col " END)"

/* Build the query of an enterprise's change history from the kinds with a history_sql
   (q_audit.c; called by store_audit_kinds). */
void audit_history_build(const struct audit_kind *const *kinds, size_t n);

#endif
