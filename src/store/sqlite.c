/*
** SQLite backend of store.h (see backend.h): WAL mode, foreign keys on, busy timeout,
** query-only reader connections, a per-connection cache of prepared statements, online backup.
*/
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/ucol.h>
#include <unicode/uversion.h>

#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "store/backend.h"

#define CACHE_SLOTS 512 /* power of two; prepared statements per connection */

struct sq_stmt {
    struct db_stmt base;
    sqlite3_stmt *s;
    char *sql; /* cache key, owned */
    unsigned hash;
};

struct ckpt;

struct sq_db {
    struct db base;
    sqlite3 *h;
    struct sq_stmt *cache[CACHE_SLOTS];
    size_t n_cached;
    struct ckpt *ckpt; /* the writer's checkpointer; NULL on readers */
};

#define SQ(db) ((struct sq_db *)(db))
#define ST(st) (((struct sq_stmt *)(st))->s)

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

static void free_stmt(struct sq_stmt *st)
{
    sqlite3_finalize(st->s);
    free(st->sql);
    free(st);
}

static int sq_prepare(struct db *dbb, const char *sql, struct db_stmt **out)
{
    struct sq_db *db = SQ(dbb);
    unsigned h = str_hash(sql);
    size_t slot = h & (CACHE_SLOTS - 1);
    for (size_t probe = 0; probe < CACHE_SLOTS; probe++) {
        struct sq_stmt *st = db->cache[(slot + probe) & (CACHE_SLOTS - 1)];
        if (!st) {
            slot = (slot + probe) & (CACHE_SLOTS - 1);
            break;
        }
        if (st->hash == h && !strcmp(st->sql, sql)) {
            *out = &st->base;
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
    struct sq_stmt *st = xcalloc(1, sizeof *st);
    st->s = s;
    st->base.db = dbb;
    st->sql = xstrdup(sql);
    st->hash = h;
    if (cacheable) {
        db->cache[slot] = st;
        db->n_cached++;
    } else {
        /* Cache full: evict whatever sits in the slot. Rare (dynamic SQL variety). */
        if (db->cache[slot]) {
            free_stmt(db->cache[slot]);
        } else {
            db->n_cached++;
        }
        db->cache[slot] = st;
    }
    *out = &st->base;
    return 0;
}

static void sq_done(struct db_stmt *st)
{
    sqlite3_reset(ST(st));
    sqlite3_clear_bindings(ST(st));
}

static int sq_bind_int(struct db_stmt *st, int idx, int64_t v)
{
    return map_rc(sqlite3_bind_int64(ST(st), idx, v));
}

static int sq_bind_real(struct db_stmt *st, int idx, double v)
{
    return map_rc(sqlite3_bind_double(ST(st), idx, v));
}

/* Text bound with SQLite's copy (SQLITE_TRANSIENT) or without (SQLITE_STATIC). */
static int bind_text(struct db_stmt *st, int idx, const char *p, size_t n, void (*keep)(void *))
{
    if (!p) {
        return map_rc(sqlite3_bind_null(ST(st), idx));
    }
    if (n == (size_t)-1) {
        n = strlen(p);
    }
    return map_rc(sqlite3_bind_text64(ST(st), idx, p, n, keep, SQLITE_UTF8));
}

static int sq_bind_text(struct db_stmt *st, int idx, const char *p, size_t n)
{
    return bind_text(st, idx, p, n, SQLITE_TRANSIENT);
}

static int sq_bind_text_kept(struct db_stmt *st, int idx, const char *p, size_t n)
{
    return bind_text(st, idx, p, n, SQLITE_STATIC);
}

static int sq_bind_null(struct db_stmt *st, int idx)
{
    return map_rc(sqlite3_bind_null(ST(st), idx));
}

static int sq_step(struct db_stmt *st)
{
    int rc = sqlite3_step(ST(st));
    if (rc == SQLITE_ROW) {
        return DB_ROW;
    }
    if (rc == SQLITE_DONE) {
        return DB_DONE;
    }
    sqlite3 *h = SQ(st->db)->h;
    int e = map_rc(sqlite3_extended_errcode(h));
    if (e == ERR_DB) {
        log_error("sql step failed: %s", sqlite3_errmsg(h));
    }
    return e ? e : ERR_DB;
}

static int sq_column_count(struct db_stmt *st)
{
    return sqlite3_column_count(ST(st));
}

static const char *sq_column_name(struct db_stmt *st, int i)
{
    return sqlite3_column_name(ST(st), i);
}

static enum db_type sq_column_type(struct db_stmt *st, int i)
{
    switch (sqlite3_column_type(ST(st), i)) {
    case SQLITE_INTEGER: return DB_INT;
    case SQLITE_FLOAT: return DB_REAL;
    case SQLITE_TEXT: return DB_TEXT;
    case SQLITE_BLOB: return DB_BLOB;
    default: return DB_NULL;
    }
}

static int64_t sq_column_int(struct db_stmt *st, int i)
{
    return sqlite3_column_int64(ST(st), i);
}

static double sq_column_real(struct db_stmt *st, int i)
{
    return sqlite3_column_double(ST(st), i);
}

static const char *sq_column_text(struct db_stmt *st, int i, size_t *len)
{
    const char *p = (const char *)sqlite3_column_text(ST(st), i);
    if (len) {
        *len = p ? (size_t)sqlite3_column_bytes(ST(st), i) : 0;
    }
    return p ? p : "";
}

static int sq_exec(struct db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(SQ(db)->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("sql exec failed: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return map_rc(sqlite3_extended_errcode(SQ(db)->h));
    }
    return 0;
}

static const char *sq_errmsg(struct db *db)
{
    return sqlite3_errmsg(SQ(db)->h);
}

static int64_t sq_changes(struct db *db)
{
    return sqlite3_changes64(SQ(db)->h);
}

static int sq_begin(struct db *db)
{
    return sq_exec(db, "BEGIN IMMEDIATE");
}

static bool sq_in_transaction(struct db *db)
{
    return !sqlite3_get_autocommit(SQ(db)->h);
}

/* ---- checkpoints off the writer's path ----
   SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold (1,000 pages),
   so the writer — and the HJ 212 acks waiting on it — would stall while pages are copied back
   into the database, and a page written by every batch is copied back every batch or two.
   Instead the writer's WAL hook wakes a thread with its own connection once the log holds
   sqlite_checkpoint_mb (a page rewritten meanwhile is copied once), and that thread runs a PASSIVE
   checkpoint, which never waits for the writer or readers. The log can only start over from
   its beginning once every frame is copied, which a thread racing a busy writer never sees;
   so the thread runs again while each run still finds many new frames, and then the writer's
   next commit copies the few frames written meanwhile itself (its own PASSIVE checkpoint,
   between transactions) and the next transaction starts the log over. Should the thread fall
   behind (the log at 4 times the size), the writer checkpoints itself, so the log stays
   bounded. */

struct ckpt {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool due, stop, ran;
    int pages; /* the log size that starts a checkpoint */
    sqlite3 *h;
};

static void *ckpt_main(void *arg)
{
    struct ckpt *c = arg;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (!c->due && !c->stop) {
            pthread_cond_wait(&c->cond, &c->lock);
        }
        if (c->stop) {
            break;
        }
        c->due = false;
        pthread_mutex_unlock(&c->lock);
        /* Again while a run still found many frames to copy (written during the one before),
           so that the writer's own share at the end stays small. */
        int before = -1, copied = 0;
        for (int run = 0; run < 8 && (run == 0 || copied - before > 256); run++) {
            before = copied;
            int rc =
                sqlite3_wal_checkpoint_v2(c->h, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, &copied);
            if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
                log_warn("sqlite checkpoint: %s", sqlite3_errmsg(c->h));
                break;
            }
        }
        pthread_mutex_lock(&c->lock);
        c->ran = true;
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

static int on_wal(void *arg, sqlite3 *h, const char *name, int pages)
{
    struct ckpt *c = arg;
    if (pages < c->pages) {
        return SQLITE_OK;
    }
    pthread_mutex_lock(&c->lock);
    bool self = c->ran || pages >= 4 * c->pages;
    c->ran = false;
    if (!self) {
        c->due = true;
        pthread_cond_signal(&c->cond);
    }
    pthread_mutex_unlock(&c->lock);
    if (self) {
        sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
    return SQLITE_OK;
}

/* Start the checkpointer of writer connection db; without it (a failure is logged), SQLite's
   automatic checkpoint stays in place. */
static void ckpt_start(struct sq_db *db, const char *target)
{
    struct ckpt *c = xcalloc(1, sizeof *c);
    int page_size = 4096;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->h, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0) {
            page_size = sqlite3_column_int(st, 0);
        }
        sqlite3_finalize(st);
    }
    int64_t pages = settings_int("sqlite_checkpoint_mb") * 1024 * 1024 / page_size;
    c->pages = pages < 16 ? 16 : pages > (1 << 24) ? (1 << 24) : (int)pages;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(target, &c->h, flags, NULL) != SQLITE_OK) {
        log_warn("sqlite checkpointer: cannot open %s: %s", target,
                 c->h ? sqlite3_errmsg(c->h) : "out of memory");
        sqlite3_close(c->h);
        free(c);
        return;
    }
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->cond, NULL);
    if (pthread_create(&c->thread, NULL, ckpt_main, c)) {
        log_warn("sqlite checkpointer: cannot start a thread");
        pthread_mutex_destroy(&c->lock);
        pthread_cond_destroy(&c->cond);
        sqlite3_close(c->h);
        free(c);
        return;
    }
    db->ckpt = c;
    sqlite3_wal_hook(db->h, on_wal, c); /* replaces the automatic checkpoint */
}

static void ckpt_stop(struct sq_db *db)
{
    struct ckpt *c = db->ckpt;
    if (!c) {
        return;
    }
    sqlite3_wal_hook(db->h, NULL, NULL);
    pthread_mutex_lock(&c->lock);
    c->stop = true;
    pthread_cond_signal(&c->cond);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    sqlite3_close(c->h);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->cond);
    free(c);
    db->ckpt = NULL;
}

static void sq_close(struct db *dbb)
{
    struct sq_db *db = SQ(dbb);
    ckpt_stop(db);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        if (db->cache[i]) {
            free_stmt(db->cache[i]);
        }
    }
    sqlite3_close(db->h);
    free(db);
}

static const struct db_ops SQ_OPS = {
    .prepare = sq_prepare,
    .done = sq_done,
    .bind_int = sq_bind_int,
    .bind_real = sq_bind_real,
    .bind_text = sq_bind_text,
    .bind_text_kept = sq_bind_text_kept,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .column_count = sq_column_count,
    .column_name = sq_column_name,
    .column_type = sq_column_type,
    .column_int = sq_column_int,
    .column_real = sq_column_real,
    .column_text = sq_column_text,
    .exec = sq_exec,
    .errmsg = sq_errmsg,
    .changes = sq_changes,
    .begin = sq_begin,
    .in_transaction = sq_in_transaction,
    .close = sq_close,
};

/* epoch_s(t): "YYYY-MM-DD HH:MM:SS" (or ISO with T/Z) read as UTC → Unix seconds, NULL when
   malformed. The PostgreSQL schema defines the same function, so shared SQL can bucket times. */
static void epoch_s(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *t = (const char *)sqlite3_value_text(argv[0]);
    struct tm tm = {0};
    if (!t || sscanf(t, "%4d-%2d-%2d%*c%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                     &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
        sqlite3_result_null(ctx);
        return;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    sqlite3_result_int64(ctx, (sqlite3_int64)timegm(&tm));
}

static void configure_sqlite(void)
{
    /* Memory statistics take a global mutex on every allocation; envgov never reads them. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Collation zh: ICU's Chinese order (pinyin for Han characters), so that lists of names sort
   as people expect rather than by code point; PostgreSQL's migration 006 defines the same
   collation from the same ICU. Strings ICU finds equal are ordered byte-wise, as PostgreSQL's
   deterministic collations do, so equal means identical on both. One collator per connection:
   a connection is used by one thread at a time. */
static int zh_compare_mapped(void *coll, int na, const char *a, int nb, const char *b)
{
    UErrorCode status = U_ZERO_ERROR;
    UCollationResult r = ucol_strcollUTF8(coll, a, na, b, nb, &status);
    if (U_SUCCESS(status) && r != UCOL_EQUAL) {
        return r == UCOL_LESS ? -1 : 1;
    }
    int c = memcmp(a, b, (size_t)(na < nb ? na : nb));
    return c ? c : (na > nb) - (na < nb);
}

/* Named in collation_versions with the ICU version: change it when zh_map changes. */
#define ZH_MAP_VERSION "chang1"

/* 长 (UTF-8 E9 95 BF) read as 常 (E5 B8 B8, the same length): ICU reads 长 zhǎng, most names
   read it cháng (长兴, 长江). PostgreSQL's lists sort by replace(name, '长', '常') in zh, which
   gives the same order: strings that map to the same text are equal here as there. */
static const char *zh_map(const char *s, int n, char *tmp, int cap, char **heap)
{
    const char *p = memmem(s, (size_t)n, "\xe9\x95\xbf", 3);
    if (!p) {
        return s;
    }
    char *out = n <= cap ? tmp : (*heap = xmalloc((size_t)n));
    memcpy(out, s, (size_t)n);
    for (char *q = out + (p - s); q;
         q = memmem(q + 3, (size_t)(out + n - q - 3), "\xe9\x95\xbf", 3)) {
        memcpy(q, "\xe5\xb8\xb8", 3);
    }
    return out;
}

static int zh_compare(void *coll, int na, const void *a, int nb, const void *b)
{
    char ta[256], tb[256], *ha = NULL, *hb = NULL;
    const char *ma = zh_map(a, na, ta, (int)sizeof ta, &ha);
    const char *mb = zh_map(b, nb, tb, (int)sizeof tb, &hb);
    int c = zh_compare_mapped(coll, na, ma, nb, mb);
    free(ha);
    free(hb);
    return c;
}

static void zh_close(void *coll)
{
    ucol_close(coll);
}

static int add_zh_collation(sqlite3 *h)
{
    UErrorCode status = U_ZERO_ERROR;
    UCollator *coll = ucol_open("zh", &status);
    if (U_FAILURE(status)) {
        return ERR_UNSUPPORTED;
    }
    if (sqlite3_create_collation_v2(h, "zh", SQLITE_UTF8, coll, zh_compare, zh_close)) {
        ucol_close(coll); /* unlike elsewhere, SQLite does not call the destructor on failure */
        return ERR_DB;
    }
    return 0;
}

static int sq_connect(struct store *s, bool reader, struct db **out, char *err, size_t errcap)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_sqlite);
    struct sq_db *db = xcalloc(1, sizeof *db);
    db->base.ops = &SQ_OPS;
    db->base.owner = s;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(s->target, &db->h, flags, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errcap, "cannot open database %s: %s", s->target,
                 db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
        sqlite3_close(db->h);
        free(db);
        return ERR_IO;
    }
    sqlite3_busy_timeout(db->h, (int)settings_int("db_busy_timeout_ms"));
    sqlite3_create_function_v2(db->h, "epoch_s", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                               epoch_s, NULL, NULL, NULL);
    sqlite3_extended_result_codes(db->h, 1);
    if (add_zh_collation(db->h)) {
        snprintf(err, errcap, "cannot set up the zh collation (ICU) for %s", s->target);
        sq_close(&db->base);
        return ERR_UNSUPPORTED;
    }
    /* FULL: a committed transaction survives power loss, which the HJ 212 acks promise. The
       writer's page cache holds a large ingest batch (16 MiB; the default 2 MiB spills dirty
       pages into the log before the commit, which writes them again), and its log is cut back
       to 128 MiB when it starts over (see the checkpointer below). */
    const char *pragmas = reader ? "PRAGMA foreign_keys=ON; PRAGMA query_only=1;"
                                 : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                   "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                                   "PRAGMA cache_size=-16384;"
                                   "PRAGMA journal_size_limit=134217728;";

    char *msg = NULL;
    if (sqlite3_exec(db->h, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errcap, "cannot configure database %s: %s", s->target, msg ? msg : "?");
        sqlite3_free(msg);
        sq_close(&db->base);
        return ERR_DB;
    }
    if (!reader) {
        ckpt_start(db, s->target);
    }
    *out = &db->base;
    return 0;
}

static int sq_backup(struct store *s, const char *path, char *err, size_t errcap)
{
    sqlite3 *dst = NULL;
    int rc = sqlite3_open(path, &dst);
    if (rc != SQLITE_OK) {
        snprintf(err, errcap, "cannot create %s: %s", path, sqlite3_errstr(rc));
        sqlite3_close(dst);
        return ERR_IO;
    }
    struct db *src = store_read(s);
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", SQ(src)->h, "main");
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

/* SQLite does not know which order an index in a collation was built in: the ICU version (and
   zh_map's) is kept in collation_versions, and REINDEX zh rebuilds every index in zh when it
   changed. */
static int sq_check_collation(struct store *s)
{
    UErrorCode status = U_ZERO_ERROR;
    UCollator *coll = ucol_open("zh", &status);
    if (U_FAILURE(status)) {
        return ERR_UNSUPPORTED;
    }
    UVersionInfo v;
    ucol_getVersion(coll, v);
    ucol_close(coll);
    char icu[U_MAX_VERSION_STRING_LENGTH], version[U_MAX_VERSION_STRING_LENGTH + 16];
    u_versionToString(v, icu);
    /* The order is ICU's plus zh_map's: a change to either needs new indexes. */
    snprintf(version, sizeof version, "%s+%s", icu, ZH_MAP_VERSION);
    struct db *db;
    int rc = store_begin(s, &db);
    if (rc) {
        return rc;
    }
    struct db_stmt *st;
    char stored[sizeof version] = "";
    rc = db_queryf(db, &st, "SELECT version FROM collation_versions WHERE name = 'zh'", "");
    if (!rc) {
        if (db_step(st) == DB_ROW) {
            snprintf(stored, sizeof stored, "%s", db_column_text(st, 0, NULL));
        }
        db_done(st);
    }
    if (!rc && strcmp(stored, version)) {
        rc = db_exec(db, "REINDEX zh");
        if (!rc) {
            rc = db_runf(db,
                         "INSERT INTO collation_versions (name, version) VALUES ('zh', ?1)"
                         " ON CONFLICT (name) DO UPDATE SET version = excluded.version",
                         "t", version);
        }
        if (!rc && *stored) {
            log_info("zh collation: ICU order %s (indexes were built in %s): rebuilt", version,
                     stored);
        }
    }
    return rc ? (store_rollback(s, db), rc) : store_commit(s, db);
}

/* A deferred BEGIN keeps the snapshot of its first read. */
const struct backend SQLITE_BACKEND = {
    .name = "sqlite",
    .migration_suffix = "",
    .snapshot_begin = "BEGIN",
    .connect = sq_connect,
    .backup = sq_backup,
    .check_collation = sq_check_collation,
};
