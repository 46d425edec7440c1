/*
** The backend-independent half of store.h: the public db_* functions dispatch to the
** connection's backend; one writer connection behind a mutex and a pool of reader connections;
** migrations (the backend's own files, in one transaction); opening by URL — empty or
** sqlite:PATH for SQLite, postgresql://... or postgres://... for PostgreSQL.
*/
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "store/backend.h"

/* ---- statements: dispatch to the backend ---- */

int db_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
    return db->ops->prepare(db, sql, out);
}

void db_done(struct db_stmt *st)
{
    st->db->ops->done(st);
}

int db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
    return st->db->ops->bind_int(st, idx, v);
}

int db_bind_real(struct db_stmt *st, int idx, double v)
{
    return st->db->ops->bind_real(st, idx, v);
}

int db_bind_text(struct db_stmt *st, int idx, const char *p, size_t n)
{
    return st->db->ops->bind_text(st, idx, p, n);
}

int db_bind_text_kept(struct db_stmt *st, int idx, const char *p, size_t n)
{
    return st->db->ops->bind_text_kept(st, idx, p, n);
}

int db_bind_null(struct db_stmt *st, int idx)
{
    return st->db->ops->bind_null(st, idx);
}

int db_step(struct db_stmt *st)
{
    return st->db->ops->step(st);
}

int db_column_count(struct db_stmt *st)
{
    return st->db->ops->column_count(st);
}

const char *db_column_name(struct db_stmt *st, int i)
{
    return st->db->ops->column_name(st, i);
}

enum db_type db_column_type(struct db_stmt *st, int i)
{
    return st->db->ops->column_type(st, i);
}

int64_t db_column_int(struct db_stmt *st, int i)
{
    return st->db->ops->column_int(st, i);
}

double db_column_real(struct db_stmt *st, int i)
{
    return st->db->ops->column_real(st, i);
}

const char *db_column_text(struct db_stmt *st, int i, size_t *len)
{
    return st->db->ops->column_text(st, i, len);
}

int db_exec(struct db *db, const char *sql)
{
    return db->ops->exec(db, sql);
}

const char *db_errmsg(struct db *db)
{
    return db->ops->errmsg(db);
}

int64_t db_changes(struct db *db)
{
    return db->ops->changes(db);
}

const char *store_backend_name(struct store *s)
{
    return s->be->name;
}

/* ---- transactions and the reader pool ---- */

int store_begin(struct store *s, struct db **out)
{
    pthread_mutex_lock(&s->write_lock);
    int rc = s->writer->ops->begin(s->writer);
    if (rc) {
        pthread_mutex_unlock(&s->write_lock);
        return rc;
    }
    *out = s->writer;
    return 0;
}

int store_commit(struct store *s, struct db *db)
{
    int rc = db_exec(db, "COMMIT");
    if (rc) {
        if (db->ops->in_transaction(db)) {
            db_exec(db, "ROLLBACK");
        }
    } else {
        __atomic_add_fetch(&s->tx_total, 1, __ATOMIC_RELAXED);
    }
    pthread_mutex_unlock(&s->write_lock);
    return rc;
}

void store_rollback(struct store *s, struct db *db)
{
    if (db->ops->in_transaction(db)) {
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
    if (db == s->writer) {
        return;
    }
    pthread_mutex_lock(&s->pool_lock);
    s->free_readers[s->n_free++] = db;
    pthread_cond_signal(&s->pool_cond);
    pthread_mutex_unlock(&s->pool_lock);
}

int store_read_snapshot(struct db *db)
{
    return db_exec(db, db->owner->be->snapshot_begin);
}

int store_read_end(struct db *db)
{
    if (!db->ops->in_transaction(db)) {
        return ERR_DB; /* reset on the way (PostgreSQL retries a reader's query outside it) */
    }
    return db_exec(db, "COMMIT");
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

/* A migration of the given backend: SQLite's are NNN_name.sql, PostgreSQL's NNN_name.pg.sql. */
static bool is_migration(const struct embed_file *f, const char *suffix)
{
    if (strncmp(f->path, "src/store/migrations/", 21) || !strstr(f->path, ".sql")) {
        return false;
    }
    return *suffix ? strstr(f->path, suffix) != NULL : strstr(f->path, ".pg.sql") == NULL;
}

int store_schema_latest(void)
{
    int latest = 0;
    for (unsigned i = 0; i < embed_count; i++) {
        if (is_migration(&embed_files[i], "")) {
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

int store_db_schema_version(struct db *db, int *out)
{
    int v = current_version(db);
    if (v < 0) {
        return ERR_DB;
    }
    *out = v;
    return 0;
}

int store_schema_version(struct store *s)
{
    struct db *db = store_read(s);
    int v = current_version(db);
    store_release(s, db);
    return v;
}

static bool migration_applied(struct db *db, int v)
{
    struct db_stmt *st;
    if (db_prepare(db, "SELECT 1 FROM schema_version WHERE version = ?1", &st)) {
        return true; /* cannot tell: leave it (the schema table was read just before) */
    }
    db_bind_int(st, 1, v);
    bool applied = db_step(st) == DB_ROW;
    db_done(st);
    return applied;
}

static int apply_migrations(struct store *s, char *err, size_t errcap)
{
    struct db *db;
    int rc = store_begin(s, &db);
    if (rc) {
        snprintf(err, errcap, "cannot lock database for migration: %s", db_errmsg(s->writer));
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
    /* Every migration of the binary not applied yet, by number. Numbers are handed out to
       branches worked on in parallel, so a number may have no file yet (skipped) and a database
       may hold a later number than one merged after it (applied then; decision 65). */
    for (int v = 1; v <= latest; v++) {
        const struct embed_file *f = NULL;
        for (unsigned i = 0; i < embed_count; i++) {
            if (is_migration(&embed_files[i], s->be->migration_suffix) &&
                migration_number(embed_files[i].path) == v) {
                f = &embed_files[i];
            }
        }
        if (!f || (v <= have && migration_applied(db, v))) {
            continue;
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

int store_open(const char *data_dir, const char *url, struct store **out, char *err, size_t errcap)
{
    const struct backend *be = &SQLITE_BACKEND;
    struct store *s = xcalloc(1, sizeof *s);
    if (url && (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))) {
        be = &PG_BACKEND;
        snprintf(s->target, sizeof s->target, "%s", url);
    } else if (url && !strncmp(url, "sqlite:", 7)) {
        snprintf(s->target, sizeof s->target, "%s", url + 7);
    } else if (url && *url) {
        snprintf(err, errcap, "unsupported database URL '%s' (use sqlite:PATH or postgresql://...)",
                 url);
        free(s);
        return ERR_UNSUPPORTED;
    } else {
        mkdir(data_dir, 0750);
        snprintf(s->target, sizeof s->target, "%s/envgov.db", data_dir);
    }
    s->be = be;
    pthread_mutex_init(&s->write_lock, NULL);
    pthread_mutex_init(&s->pool_lock, NULL);
    pthread_cond_init(&s->pool_cond, NULL);
    int rc = be->connect(s, false, &s->writer, err, errcap);
    if (rc == 0) {
        rc = apply_migrations(s, err, errcap);
    }
    if (rc == 0 && be->check_collation(s)) {
        snprintf(err, errcap, "cannot check the zh collation's indexes: %s", db_errmsg(s->writer));
        rc = ERR_DB;
    }
    int n = (int)settings_int("db_readers");
    s->n_readers = n < 1 ? 1 : n;
    s->readers = xcalloc((size_t)s->n_readers, sizeof *s->readers);
    s->free_readers = xcalloc((size_t)s->n_readers, sizeof *s->free_readers);
    for (int i = 0; rc == 0 && i < s->n_readers; i++) {
        rc = be->connect(s, true, &s->readers[i], err, errcap);
        s->free_readers[s->n_free++] = s->readers[i];
    }
    if (rc == 0 && be->maintain) {
        char now[32];
        china_time(wall_ms() / 1000, now);
        rc = store_maintain(s, now);
        if (rc) {
            snprintf(err, errcap, "database upkeep failed: %s", db_errmsg(s->writer));
        }
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
        if (s->readers[i]) {
            s->readers[i]->ops->close(s->readers[i]);
        }
    }
    if (s->writer) {
        s->writer->ops->close(s->writer);
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
    return s->be->backup(s, path, err, errcap);
}

int store_maintain(struct store *s, const char *now_china)
{
    return s->be->maintain ? s->be->maintain(s, now_china) : 0;
}
