/*
** SQLite backend of store.h: WAL mode, foreign keys on, busy timeout, one writer connection
** behind a mutex and a pool of query-only reader connections, a per-connection cache of
** prepared statements, embedded migrations applied at open in one transaction.
*/
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "store/store.h"

#define CACHE_SLOTS 512 /* power of two; prepared statements per connection */

struct db_stmt {
    sqlite3_stmt *s;
    struct db *db;
    char *sql; /* cache key, owned */
    unsigned hash;
};

struct db {
    sqlite3 *h;
    struct store *owner;
    struct db_stmt *cache[CACHE_SLOTS];
    size_t n_cached;
};

struct store {
    struct db writer;
    pthread_mutex_t write_lock;
    struct db *readers;
    int n_readers;
    struct db **free_readers;
    int n_free;
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_cond;
    int64_t tx_total;
    char path[1024];
};

static unsigned hash_str(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 16777619u;
    }
    return h;
}

static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK: return 0;
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
            return ERR_CONFLICT;
        }
        return ERR_INPUT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ERR_BUSY;
    case SQLITE_TOOBIG: return ERR_TOOBIG;
    default: return ERR_DB;
    }
}

static int conn_open(struct store *s, struct db *db, bool reader, char *err, size_t errcap)
{
    memset(db, 0, sizeof *db);
    db->owner = s;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(s->path, &db->h, flags, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errcap, "cannot open database %s: %s", s->path,
                 db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
        sqlite3_close(db->h);
        db->h = NULL;
        return ERR_IO;
    }
    sqlite3_busy_timeout(db->h, (int)settings_int("db_busy_timeout_ms"));
    sqlite3_extended_result_codes(db->h, 1);
    /* FULL: a committed transaction survives power loss, which the HJ 212 acks promise. */
    const char *pragmas = reader ? "PRAGMA foreign_keys=ON; PRAGMA query_only=1;"
                                 : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                   "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
    char *msg = NULL;
    if (sqlite3_exec(db->h, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errcap, "cannot configure database %s: %s", s->path, msg ? msg : "?");
        sqlite3_free(msg);
        return ERR_DB;
    }
    return 0;
}

static void conn_close(struct db *db)
{
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        struct db_stmt *st = db->cache[i];
        if (st) {
            sqlite3_finalize(st->s);
            free(st->sql);
            free(st);
        }
    }
    sqlite3_close(db->h);
    db->h = NULL;
}

int db_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
    unsigned h = hash_str(sql);
    size_t slot = h & (CACHE_SLOTS - 1);
    for (size_t probe = 0; probe < CACHE_SLOTS; probe++) {
        struct db_stmt *st = db->cache[(slot + probe) & (CACHE_SLOTS - 1)];
        if (!st) {
            slot = (slot + probe) & (CACHE_SLOTS - 1);
            break;
        }
        if (st->hash == h && !strcmp(st->sql, sql)) {
            *out = st;
            return 0;
        }
    }
    sqlite3_stmt *s = NULL;
    bool cacheable = db->n_cached < CACHE_SLOTS / 2 && !db->cache[slot];
    int rc =
        sqlite3_prepare_v3(db->h, sql, -1, cacheable ? SQLITE_PREPARE_PERSISTENT : 0, &s, NULL);
    if (rc != SQLITE_OK) {
        log_error("prepare failed: %s in: %.200s", sqlite3_errmsg(db->h), sql);
        return ERR_DB;
    }
    struct db_stmt *st = xcalloc(1, sizeof *st);
    st->s = s;
    st->db = db;
    st->sql = xstrdup(sql);
    st->hash = h;
    if (cacheable) {
        db->cache[slot] = st;
        db->n_cached++;
    } else {
        /* Cache full: evict whatever sits in the slot. Rare (dynamic SQL variety). */
        struct db_stmt *old = db->cache[slot];
        if (old) {
            sqlite3_finalize(old->s);
            free(old->sql);
            free(old);
        } else {
            db->n_cached++;
        }
        db->cache[slot] = st;
    }
    *out = st;
    return 0;
}

void db_done(struct db_stmt *st)
{
    sqlite3_reset(st->s);
    sqlite3_clear_bindings(st->s);
}

int db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
    return map_rc(sqlite3_bind_int64(st->s, idx, v));
}

int db_bind_real(struct db_stmt *st, int idx, double v)
{
    return map_rc(sqlite3_bind_double(st->s, idx, v));
}

int db_bind_text(struct db_stmt *st, int idx, const char *p, size_t n)
{
    if (!p) {
        return map_rc(sqlite3_bind_null(st->s, idx));
    }
    if (n == (size_t)-1) {
        n = strlen(p);
    }
    return map_rc(sqlite3_bind_text64(st->s, idx, p, n, SQLITE_TRANSIENT, SQLITE_UTF8));
}

int db_bind_null(struct db_stmt *st, int idx)
{
    return map_rc(sqlite3_bind_null(st->s, idx));
}

int db_step(struct db_stmt *st)
{
    int rc = sqlite3_step(st->s);
    if (rc == SQLITE_ROW) {
        return DB_ROW;
    }
    if (rc == SQLITE_DONE) {
        return DB_DONE;
    }
    rc = sqlite3_extended_errcode(st->db->h);
    int e = map_rc(rc);
    if (e == ERR_DB) {
        log_error("sql step failed: %s", sqlite3_errmsg(st->db->h));
    }
    return e ? e : ERR_DB;
}

int db_column_count(struct db_stmt *st)
{
    return sqlite3_column_count(st->s);
}

const char *db_column_name(struct db_stmt *st, int i)
{
    return sqlite3_column_name(st->s, i);
}

enum db_type db_column_type(struct db_stmt *st, int i)
{
    switch (sqlite3_column_type(st->s, i)) {
    case SQLITE_INTEGER: return DB_INT;
    case SQLITE_FLOAT: return DB_REAL;
    case SQLITE_TEXT: return DB_TEXT;
    case SQLITE_BLOB: return DB_BLOB;
    default: return DB_NULL;
    }
}

int64_t db_column_int(struct db_stmt *st, int i)
{
    return sqlite3_column_int64(st->s, i);
}

double db_column_real(struct db_stmt *st, int i)
{
    return sqlite3_column_double(st->s, i);
}

const char *db_column_text(struct db_stmt *st, int i, size_t *len)
{
    const char *p = (const char *)sqlite3_column_text(st->s, i);
    if (len) {
        *len = p ? (size_t)sqlite3_column_bytes(st->s, i) : 0;
    }
    return p ? p : "";
}

int db_exec(struct db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("sql exec failed: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return map_rc(sqlite3_extended_errcode(db->h));
    }
    return 0;
}

const char *db_errmsg(struct db *db)
{
    return sqlite3_errmsg(db->h);
}

int64_t db_changes(struct db *db)
{
    return sqlite3_changes64(db->h);
}

/* ---- transactions and the reader pool ---- */

int store_begin(struct store *s, struct db **out)
{
    pthread_mutex_lock(&s->write_lock);
    int rc = db_exec(&s->writer, "BEGIN IMMEDIATE");
    if (rc) {
        pthread_mutex_unlock(&s->write_lock);
        return rc;
    }
    *out = &s->writer;
    return 0;
}

int store_commit(struct store *s, struct db *db)
{
    int rc = db_exec(db, "COMMIT");
    if (rc) {
        db_exec(db, "ROLLBACK");
    } else {
        __atomic_add_fetch(&s->tx_total, 1, __ATOMIC_RELAXED);
    }
    pthread_mutex_unlock(&s->write_lock);
    return rc;
}

void store_rollback(struct store *s, struct db *db)
{
    if (!sqlite3_get_autocommit(db->h)) {
        db_exec(db, "ROLLBACK");
    }
    pthread_mutex_unlock(&s->write_lock);
}

struct db *store_read(struct store *s)
{
    pthread_mutex_lock(&s->pool_lock);
    while (s->n_free == 0) {
        pthread_cond_wait(&s->pool_cond, &s->pool_lock);
    }
    struct db *db = s->free_readers[--s->n_free];
    pthread_mutex_unlock(&s->pool_lock);
    return db;
}

void store_release(struct store *s, struct db *db)
{
    if (db == &s->writer) {
        return;
    }
    pthread_mutex_lock(&s->pool_lock);
    s->free_readers[s->n_free++] = db;
    pthread_cond_signal(&s->pool_cond);
    pthread_mutex_unlock(&s->pool_lock);
}

void store_stats(struct store *s, int *readers_total, int *readers_busy, int64_t *tx_total)
{
    pthread_mutex_lock(&s->pool_lock);
    *readers_total = s->n_readers;
    *readers_busy = s->n_readers - s->n_free;
    pthread_mutex_unlock(&s->pool_lock);
    *tx_total = __atomic_load_n(&s->tx_total, __ATOMIC_RELAXED);
}

/* ---- migrations ---- */

static int migration_number(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    int64_t n = 0;
    size_t k = 0;
    while (base[k] >= '0' && base[k] <= '9') {
        k++;
    }
    if (k == 0 || parse_i64(base, k, &n)) {
        return -1;
    }
    return (int)n;
}

static bool is_migration(const struct embed_file *f)
{
    return !strncmp(f->path, "src/store/migrations/", 21) && strstr(f->path, ".sql") &&
           !strstr(f->path, ".pg.sql");
}

int store_schema_latest(void)
{
    int latest = 0;
    for (unsigned i = 0; i < embed_count; i++) {
        if (is_migration(&embed_files[i])) {
            int n = migration_number(embed_files[i].path);
            latest = n > latest ? n : latest;
        }
    }
    return latest;
}

static int current_version(struct db *db)
{
    struct db_stmt *st;
    int v = 0;
    if (db_prepare(db, "SELECT COALESCE(MAX(version),0) FROM schema_version", &st)) {
        return -1;
    }
    if (db_step(st) == DB_ROW) {
        v = (int)db_column_int(st, 0);
    }
    db_done(st);
    return v;
}

int store_schema_version(struct store *s)
{
    struct db *db = store_read(s);
    int v = current_version(db);
    store_release(s, db);
    return v;
}

static int apply_migrations(struct store *s, char *err, size_t errcap)
{
    struct db *db;
    int rc = store_begin(s, &db);
    if (rc) {
        snprintf(err, errcap, "cannot lock database for migration: %s", db_errmsg(&s->writer));
        return rc;
    }
    rc = db_exec(db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                     " name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    int have = rc ? -1 : current_version(db);
    int latest = store_schema_latest();
    if (have < 0) {
        snprintf(err, errcap, "cannot read schema_version: %s", db_errmsg(db));
        store_rollback(s, db);
        return ERR_DB;
    }
    if (have > latest) {
        snprintf(err, errcap,
                 "database schema version %d is newer than this envgov binary (knows up to %d); "
                 "run a newer envgov or restore a backup",
                 have, latest);
        store_rollback(s, db);
        return ERR_UNSUPPORTED;
    }
    for (int v = have + 1; v <= latest; v++) {
        const struct embed_file *f = NULL;
        for (unsigned i = 0; i < embed_count; i++) {
            if (is_migration(&embed_files[i]) && migration_number(embed_files[i].path) == v) {
                f = &embed_files[i];
            }
        }
        if (!f) {
            snprintf(err, errcap, "migration %d is missing from the binary", v);
            store_rollback(s, db);
            return ERR_DB;
        }
        if (db_exec(db, (const char *)f->data)) {
            snprintf(err, errcap, "migration %s failed: %s", f->path, db_errmsg(db));
            store_rollback(s, db);
            return ERR_DB;
        }
        struct db_stmt *st;
        char now[32];
        time_iso(wall_ms() / 1000, now);
        if (db_prepare(db,
                       "INSERT INTO schema_version (version, name, applied_at) VALUES (?1,?2,?3)",
                       &st) == 0) {
            db_bind_int(st, 1, v);
            db_bind_text(st, 2, strrchr(f->path, '/') + 1, (size_t)-1);
            db_bind_text(st, 3, now, (size_t)-1);
            rc = db_step(st);
            db_done(st);
        }
        log_info("applied migration %s", f->path);
    }
    rc = store_commit(s, db);
    if (rc) {
        snprintf(err, errcap, "migration commit failed");
    }
    return rc;
}

static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(const char *data_dir, const char *url, struct store **out, char *err, size_t errcap)
{
    if (url && *url && strncmp(url, "sqlite:", 7)) {
        snprintf(err, errcap, "unsupported database URL '%s' (this build speaks SQLite only)", url);
        return ERR_UNSUPPORTED;
    }
    mkdir(data_dir, 0750);
    /* Memory statistics take a global mutex on every allocation; envgov never reads them. */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_sqlite);
    struct store *s = xcalloc(1, sizeof *s);
    if (url && !strncmp(url, "sqlite:", 7)) {
        snprintf(s->path, sizeof s->path, "%s", url + 7);
    } else {
        snprintf(s->path, sizeof s->path, "%s/envgov.db", data_dir);
    }
    pthread_mutex_init(&s->write_lock, NULL);
    pthread_mutex_init(&s->pool_lock, NULL);
    pthread_cond_init(&s->pool_cond, NULL);
    int rc = conn_open(s, &s->writer, false, err, errcap);
    if (rc == 0) {
        rc = apply_migrations(s, err, errcap);
    }
    int n = (int)settings_int("db_readers");
    s->n_readers = n < 1 ? 1 : n;
    s->readers = xcalloc((size_t)s->n_readers, sizeof *s->readers);
    s->free_readers = xcalloc((size_t)s->n_readers, sizeof *s->free_readers);
    for (int i = 0; rc == 0 && i < s->n_readers; i++) {
        rc = conn_open(s, &s->readers[i], true, err, errcap);
        s->free_readers[s->n_free++] = &s->readers[i];
    }
    if (rc) {
        store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void store_close(struct store *s)
{
    if (!s) {
        return;
    }
    for (int i = 0; i < s->n_readers; i++) {
        if (s->readers[i].h) {
            conn_close(&s->readers[i]);
        }
    }
    if (s->writer.h) {
        conn_close(&s->writer);
    }
    free(s->readers);
    free(s->free_readers);
    pthread_mutex_destroy(&s->write_lock);
    pthread_mutex_destroy(&s->pool_lock);
    pthread_cond_destroy(&s->pool_cond);
    free(s);
}

int store_backup(struct store *s, const char *path, char *err, size_t errcap)
{
    sqlite3 *dst = NULL;
    int rc = sqlite3_open(path, &dst);
    if (rc != SQLITE_OK) {
        snprintf(err, errcap, "cannot create %s: %s", path, sqlite3_errstr(rc));
        sqlite3_close(dst);
        return ERR_IO;
    }
    struct db *src = store_read(s);
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src->h, "main");
    if (!b) {
        snprintf(err, errcap, "backup failed: %s", sqlite3_errmsg(dst));
        rc = ERR_DB;
    } else {
        /* One step copies everything inside one read transaction: a consistent snapshot. */
        rc = sqlite3_backup_step(b, -1);
        sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE) {
            snprintf(err, errcap, "backup failed: %s", sqlite3_errstr(rc));
            rc = ERR_DB;
        } else {
            rc = 0;
        }
    }
    store_release(s, src);
    sqlite3_close(dst);
    return rc;
}
