/*
** PostgreSQL backend of store.h (see backend.h), on libpq.
**
** SQL: the q_*.c statements are written with ?N placeholders; they are rewritten once per
** statement to $N (outside quotes), and LIKE to ILIKE, which is what SQLite's LIKE means for
** the ASCII letters in codes and names. Each statement is prepared on the server the first
** time it runs with a given signature of bound types (int8, float8, text; NULL as unknown, so
** the server takes the column's type — or text when it cannot tell, as in "?1 IS NULL OR
** col = ?1" filters); parameters and results travel as text.
**
** Transactions: store.c serialises this process's writers on one connection; BEGIN also
** takes a transaction-scoped advisory lock, so writers of several envgov processes sharing
** the database are serialised too — the same one-writer semantics as SQLite, which the
** read-then-write code (draws, rate limits, alarm state, webhook leases) relies on.
**
** A broken connection (server restart) is reset before the next use; a statement that finds
** its reader connection broken is retried once on the reset connection. A write transaction
** in flight is lost and reported as an error, so nothing it did was acknowledged.
*/
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "store/backend.h"

#define CACHE_SLOTS 512 /* power of two; statements per connection */
#define MAX_PARAMS 4096 /* parameters of one statement (multi-row inserts) */
#define MAX_VARIANTS 4
#define OID_UNKNOWN 0
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_OID 26
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700
#define OID_BYTEA 17
#define OID_TEXT 25
#define WRITE_LOCK_KEY 212212 /* pg_advisory_xact_lock key of the one writer */

struct variant {
    Oid *types;   /* n_params, owned */
    unsigned gen; /* connection generation the statement was prepared in */
    char name[24];
};

struct pg_stmt {
    struct db_stmt base;
    char *sql; /* cache key (the ?N text), owned */
    char *pgsql;
    unsigned hash;
    int n_params;
    struct variant var[MAX_VARIANTS];
    int n_var;
    /* bound values (text), owned */
    char **vals; /* n_params, owned */
    Oid *types;
    /* the result being stepped */
    PGresult *res;
    int row, n_rows;
    bool ran;
};

struct pg_db {
    struct db base;
    PGconn *c;
    bool reader;
    unsigned gen;   /* bumped on every reset: server-side statements are gone */
    unsigned n_seq; /* statement names */
    int64_t changes;
    char err[512];
    struct pg_stmt *cache[CACHE_SLOTS];
    size_t n_cached;
};

#define PG(db) ((struct pg_db *)(db))
#define ST(st) ((struct pg_stmt *)(st))

char *pg_translate(const char *sql, int *max_param)
{
    struct buf b;
    buf_init(&b, 0);
    int maxp = 0;
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            const char *e = p + 1;
            while (*e && !(*e == q && e[1] != q)) {
                e += *e == q ? 2 : 1;
            }
            if (*e) {
                e++;
            }
            buf_append(&b, p, (size_t)(e - p));
            p = e;
        } else if (*p == '?' && p[1] >= '0' && p[1] <= '9') {
            int n = 0;
            p++;
            while (*p >= '0' && *p <= '9') {
                n = n * 10 + (*p++ - '0');
            }
            maxp = n > maxp ? n : maxp;
            buf_printf(&b, "$%d", n);
        } else if ((p == sql || p[-1] == ' ' || p[-1] == ')') && !strncmp(p, "LIKE ", 5)) {
            buf_append(&b, "ILIKE ", 6);
            p += 5;
        } else {
            buf_append(&b, p, 1);
            p++;
        }
    }
    *max_param = maxp;
    buf_putc(&b, 0);
    return buf_steal(&b, NULL);
}

static int map_state(const char *state)
{
    if (!state) {
        return ERR_DB;
    }
    if (!strcmp(state, "23505")) {
        return ERR_CONFLICT; /* unique_violation */
    }
    if (!strncmp(state, "23", 2) || !strcmp(state, "22001") || !strcmp(state, "22003") ||
        !strcmp(state, "22P02")) {
        return ERR_INPUT; /* other integrity violations, too long, out of range, bad number */
    }
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03")) {
        return ERR_BUSY; /* serialization failure, deadlock, lock not available */
    }
    if (!strcmp(state, "54000") || !strcmp(state, "54001")) {
        return ERR_TOOBIG;
    }
    return ERR_DB;
}

/* An error result → ERR_*, with the message kept for db_errmsg. */
static int result_error(struct pg_db *db, PGresult *r, const char *what)
{
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(db->c);
    snprintf(db->err, sizeof db->err, "%s", msg && *msg ? msg : PQerrorMessage(db->c));
    size_t n = strlen(db->err);
    while (n && (db->err[n - 1] == '\n' || db->err[n - 1] == ' ')) {
        db->err[--n] = 0;
    }
    int e = map_state(r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL);
    if (e == ERR_DB) {
        log_error("postgresql %s failed: %s", what, db->err);
    }
    return e;
}

/* The connection is broken (server restart, network): reset it. 0 when usable again. */
static int revive(struct pg_db *db)
{
    if (PQstatus(db->c) == CONNECTION_OK) {
        return 0;
    }
    PQreset(db->c);
    db->gen++;
    if (PQstatus(db->c) != CONNECTION_OK) {
        snprintf(db->err, sizeof db->err, "%s", PQerrorMessage(db->c));
        return ERR_DB;
    }
    log_warn("postgresql connection re-established");
    return 0;
}

static void free_stmt(struct pg_stmt *st)
{
    PQclear(st->res);
    for (int i = 0; st->vals && i < st->n_params; i++) {
        free(st->vals[i]);
    }
    free(st->vals);
    free(st->types);
    for (int i = 0; i < MAX_VARIANTS; i++) {
        free(st->var[i].types);
    }
    free(st->sql);
    free(st->pgsql);
    free(st);
}

/* A prepared variant takes the bound values when every non-NULL one has its type (a NULL fits
   any type), so NULLs in different columns do not multiply the server-side statements. */
static bool fits(const struct variant *v, const struct pg_stmt *st)
{
    for (int i = 0; i < st->n_params; i++) {
        if (st->types[i] != OID_UNKNOWN && st->types[i] != v->types[i]) {
            return false;
        }
    }
    return true;
}

/* Drop a variant's server-side statement (a replaced variant, an evicted cache entry). */
static void forget(struct pg_db *db, struct variant *v)
{
    if (v->gen == db->gen && v->name[0] && PQstatus(db->c) == CONNECTION_OK) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", v->name);
        PQclear(PQexec(db->c, sql)); /* fails only in an aborted transaction: then it stays */
    }
    v->gen = 0;
}

static int pg_prepare(struct db *dbb, const char *sql, struct db_stmt **out)
{
    struct pg_db *db = PG(dbb);
    unsigned h = str_hash(sql);
    size_t slot = h & (CACHE_SLOTS - 1);
    for (size_t probe = 0; probe < CACHE_SLOTS; probe++) {
        struct pg_stmt *st = db->cache[(slot + probe) & (CACHE_SLOTS - 1)];
        if (!st) {
            slot = (slot + probe) & (CACHE_SLOTS - 1);
            break;
        }
        if (st->hash == h && !strcmp(st->sql, sql)) {
            *out = &st->base;
            return 0;
        }
    }
    struct pg_stmt *st = xcalloc(1, sizeof *st);
    st->base.db = dbb;
    st->sql = xstrdup(sql);
    st->hash = h;
    st->pgsql = pg_translate(sql, &st->n_params);
    if (st->n_params > MAX_PARAMS) {
        log_error("too many parameters (%d) in: %.200s", st->n_params, sql);
        free_stmt(st);
        return ERR_DB;
    }
    size_t np = st->n_params ? (size_t)st->n_params : 1;
    st->vals = xcalloc(np, sizeof *st->vals);
    st->types = xcalloc(np, sizeof *st->types);
    for (int i = 0; i < MAX_VARIANTS; i++) {
        st->var[i].types = xcalloc(np, sizeof *st->var[i].types);
    }
    if (db->cache[slot] && db->n_cached >= CACHE_SLOTS / 2) {
        /* Cache full: evict whatever sits in the slot, with its server-side statements. Rare
           (dynamic SQL variety). */
        for (int i = 0; i < db->cache[slot]->n_var; i++) {
            forget(db, &db->cache[slot]->var[i]);
        }
        free_stmt(db->cache[slot]);
        db->n_cached--;
    }
    db->cache[slot] = st;
    db->n_cached++;
    *out = &st->base;
    return 0;
}

static void pg_done(struct db_stmt *sb)
{
    struct pg_stmt *st = ST(sb);
    PQclear(st->res);
    st->res = NULL;
    st->ran = false;
    st->row = st->n_rows = 0;
    for (int i = 0; i < st->n_params; i++) {
        free(st->vals[i]);
        st->vals[i] = NULL;
        st->types[i] = OID_UNKNOWN;
    }
}

static int bind(struct db_stmt *sb, int idx, char *val, Oid type)
{
    struct pg_stmt *st = ST(sb);
    if (idx < 1 || idx > st->n_params) {
        free(val);
        return ERR_INPUT;
    }
    free(st->vals[idx - 1]);
    st->vals[idx - 1] = val;
    st->types[idx - 1] = type;
    return 0;
}

static int pg_bind_int(struct db_stmt *st, int idx, int64_t v)
{
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    return bind(st, idx, xstrdup(tmp), OID_INT8);
}

static int pg_bind_real(struct db_stmt *st, int idx, double v)
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.17g", v);
    return bind(st, idx, xstrdup(tmp), OID_FLOAT8);
}

static int pg_bind_text(struct db_stmt *st, int idx, const char *p, size_t n)
{
    if (!p) {
        return bind(st, idx, NULL, OID_UNKNOWN);
    }
    if (n == (size_t)-1) {
        n = strlen(p);
    }
    if (memchr(p, 0, n)) {
        return ERR_INPUT; /* PostgreSQL text cannot hold NUL */
    }
    char *v = xmalloc(n + 1);
    memcpy(v, p, n);
    v[n] = 0;
    return bind(st, idx, v, OID_TEXT);
}

static int pg_bind_null(struct db_stmt *st, int idx)
{
    return bind(st, idx, NULL, OID_UNKNOWN);
}

/* The server-side statement for the bound types, prepared on first use. */
static int variant_for(struct pg_stmt *st, const char **name)
{
    struct pg_db *db = PG(st->base.db);
    size_t tbytes = (size_t)st->n_params * sizeof(Oid);
    for (int i = 0; i < st->n_var; i++) {
        struct variant *v = &st->var[i];
        if (v->gen == db->gen && fits(v, st)) {
            *name = v->name;
            return 0;
        }
    }
    struct variant *v = NULL;
    for (int i = 0; i < st->n_var && !v; i++) {
        if (st->var[i].gen != db->gen) {
            v = &st->var[i]; /* from before a reset: reuse the slot */
        }
    }
    if (!v) {
        v = &st->var[st->n_var < MAX_VARIANTS ? st->n_var++ : MAX_VARIANTS - 1];
        forget(db, v); /* all slots taken: replace the last one */
    }
    memcpy(v->types, st->types, tbytes);
    v->gen = db->gen;
    snprintf(v->name, sizeof v->name, "e%u", ++db->n_seq);
    PGresult *r = PQprepare(db->c, v->name, st->pgsql, st->n_params, v->types);
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && state &&
        (!strcmp(state, "42P08") || !strcmp(state, "42P18"))) {
        /* "could not determine data type": a NULL only tested with IS NULL; say text. */
        Oid *types = xcalloc((size_t)st->n_params, sizeof *types);
        for (int i = 0; i < st->n_params; i++) {
            types[i] = v->types[i] == OID_UNKNOWN ? OID_TEXT : v->types[i];
        }
        PQclear(r);
        r = PQprepare(db->c, v->name, st->pgsql, st->n_params, types);
        free(types);
    }
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        int e = result_error(db, r, "prepare");
        if (e == ERR_DB) {
            log_error("in: %.300s", st->pgsql);
        }
        PQclear(r);
        v->gen = db->gen - 1; /* not prepared */
        return e;
    }
    PQclear(r);
    *name = v->name;
    return 0;
}

static int run(struct pg_stmt *st)
{
    struct pg_db *db = PG(st->base.db);
    const char *name = NULL;
    int rc = variant_for(st, &name);
    if (rc) {
        return rc;
    }
    st->res =
        PQexecPrepared(db->c, name, st->n_params, (const char *const *)st->vals, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(st->res);
    if (s == PGRES_TUPLES_OK) {
        st->n_rows = PQntuples(st->res);
        db->changes = st->n_rows;
        const char *ct = PQcmdTuples(st->res);
        if (*ct) {
            db->changes = strtoll(ct, NULL, 10); /* INSERT/UPDATE ... RETURNING */
        }
        return 0;
    }
    if (s == PGRES_COMMAND_OK) {
        st->n_rows = 0;
        db->changes = strtoll(PQcmdTuples(st->res), NULL, 10);
        return 0;
    }
    rc = result_error(db, st->res, "statement");
    if (rc == ERR_DB) {
        log_error("in: %.300s", st->pgsql);
    }
    PQclear(st->res);
    st->res = NULL;
    return rc;
}

static int pg_step(struct db_stmt *sb)
{
    struct pg_stmt *st = ST(sb);
    struct pg_db *db = PG(sb->db);
    if (!st->ran) {
        st->ran = true;
        st->row = 0;
        if (revive(db)) {
            return ERR_DB;
        }
        int rc = run(st);
        if (rc && PQstatus(db->c) != CONNECTION_OK && db->reader && !revive(db)) {
            rc = run(st); /* a reader outside any transaction: safe to retry once */
        }
        if (rc) {
            return rc;
        }
    } else {
        st->row++;
    }
    return st->row < st->n_rows ? DB_ROW : DB_DONE;
}

static int pg_column_count(struct db_stmt *sb)
{
    return ST(sb)->res ? PQnfields(ST(sb)->res) : 0;
}

static const char *pg_column_name(struct db_stmt *sb, int i)
{
    return ST(sb)->res ? PQfname(ST(sb)->res, i) : "";
}

static bool null_at(struct pg_stmt *st, int i)
{
    return !st->res || st->row >= st->n_rows || PQgetisnull(st->res, st->row, i);
}

static enum db_type pg_column_type(struct db_stmt *sb, int i)
{
    struct pg_stmt *st = ST(sb);
    if (null_at(st, i)) {
        return DB_NULL;
    }
    switch (PQftype(st->res, i)) {
    case OID_INT8:
    case OID_INT4:
    case OID_INT2:
    case OID_OID:
    case OID_BOOL: return DB_INT;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC: return DB_REAL;
    case OID_BYTEA: return DB_BLOB;
    default: return DB_TEXT;
    }
}

static int64_t pg_column_int(struct db_stmt *sb, int i)
{
    struct pg_stmt *st = ST(sb);
    if (null_at(st, i)) {
        return 0;
    }
    const char *v = PQgetvalue(st->res, st->row, i);
    if (PQftype(st->res, i) == OID_BOOL) {
        return v[0] == 't';
    }
    switch (PQftype(st->res, i)) {
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC: return (int64_t)strtod(v, NULL);
    default: return strtoll(v, NULL, 10);
    }
}

static double pg_column_real(struct db_stmt *sb, int i)
{
    struct pg_stmt *st = ST(sb);
    if (null_at(st, i)) {
        return 0;
    }
    const char *v = PQgetvalue(st->res, st->row, i);
    return PQftype(st->res, i) == OID_BOOL ? (v[0] == 't') : strtod(v, NULL);
}

static const char *pg_column_text(struct db_stmt *sb, int i, size_t *len)
{
    struct pg_stmt *st = ST(sb);
    if (null_at(st, i)) {
        if (len) {
            *len = 0;
        }
        return "";
    }
    const char *v = PQgetvalue(st->res, st->row, i);
    if (PQftype(st->res, i) == OID_BOOL) {
        v = v[0] == 't' ? "1" : "0";
    }
    if (len) {
        *len = strlen(v);
    }
    return v;
}

static int pg_exec(struct db *dbb, const char *sql)
{
    struct pg_db *db = PG(dbb);
    PGresult *r = PQexec(db->c, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = 0;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY) {
        rc = result_error(db, r, "exec");
    } else {
        db->changes = strtoll(PQcmdTuples(r), NULL, 10);
    }
    PQclear(r);
    return rc;
}

static const char *pg_errmsg(struct db *db)
{
    return PG(db)->err[0] ? PG(db)->err : PQerrorMessage(PG(db)->c);
}

static int64_t pg_changes(struct db *db)
{
    return PG(db)->changes;
}

static int pg_begin(struct db *dbb)
{
    struct pg_db *db = PG(dbb);
    if (PQtransactionStatus(db->c) == PQTRANS_INERROR ||
        PQtransactionStatus(db->c) == PQTRANS_INTRANS) {
        pg_exec(dbb, "ROLLBACK"); /* left over by a failure: never build on it */
    }
    if (revive(db)) {
        return ERR_DB;
    }
    char sql[96];
    snprintf(sql, sizeof sql, "BEGIN; SELECT pg_advisory_xact_lock(%d)", WRITE_LOCK_KEY);
    int rc = pg_exec(dbb, sql);
    if (rc && PQstatus(db->c) != CONNECTION_OK && !revive(db)) {
        rc = pg_exec(dbb, sql); /* nothing was done yet: retry on the new connection */
    }
    return rc;
}

static bool pg_in_transaction(struct db *db)
{
    PGTransactionStatusType t = PQtransactionStatus(PG(db)->c);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static void pg_close(struct db *dbb)
{
    struct pg_db *db = PG(dbb);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        if (db->cache[i]) {
            free_stmt(db->cache[i]);
        }
    }
    PQfinish(db->c);
    free(db);
}

static const struct db_ops PG_OPS = {
    .prepare = pg_prepare,
    .done = pg_done,
    .bind_int = pg_bind_int,
    .bind_real = pg_bind_real,
    .bind_text = pg_bind_text,
    .bind_text_kept = pg_bind_text, /* libpq sends from its own copy anyway */
    .bind_null = pg_bind_null,
    .step = pg_step,
    .column_count = pg_column_count,
    .column_name = pg_column_name,
    .column_type = pg_column_type,
    .column_int = pg_column_int,
    .column_real = pg_column_real,
    .column_text = pg_column_text,
    .exec = pg_exec,
    .errmsg = pg_errmsg,
    .changes = pg_changes,
    .begin = pg_begin,
    .in_transaction = pg_in_transaction,
    .close = pg_close,
};

static void quiet_notice(void *arg, const char *msg)
{
    (void)arg, (void)msg; /* "relation already exists, skipping" and the like */
}

static int pg_connect(struct store *s, bool reader, struct db **out, char *err, size_t errcap)
{
    struct pg_db *db = xcalloc(1, sizeof *db);
    db->base.ops = &PG_OPS;
    db->base.owner = s;
    db->reader = reader;
    db->gen = 1;
    db->c = PQconnectdb(s->target);
    if (PQstatus(db->c) != CONNECTION_OK) {
        snprintf(err, errcap, "cannot connect to PostgreSQL: %s", PQerrorMessage(db->c));
        size_t n = strlen(err);
        while (n && err[n - 1] == '\n') {
            err[--n] = 0;
        }
        PQfinish(db->c);
        free(db);
        return ERR_IO;
    }
    PQsetNoticeProcessor(db->c, quiet_notice, NULL);
    /* Text compares byte-wise like SQLite; times are stored as text, so the session zone does
       not matter; readers may not write. */
    const char *setup = reader ? "SET default_transaction_read_only = on" : "SELECT 1";
    int rc = pg_exec(&db->base, setup);
    if (rc) {
        snprintf(err, errcap, "cannot configure PostgreSQL session: %s", db->err);
        pg_close(&db->base);
        return rc;
    }
    *out = &db->base;
    return 0;
}

static int pg_backup(struct store *s, const char *path, char *err, size_t errcap)
{
    (void)s, (void)path;
    snprintf(err, errcap,
             "envgov backup copies SQLite databases; for PostgreSQL use pg_dump -Fc (see "
             "docs/operations.md)");
    return ERR_UNSUPPORTED;
}

/* Monthly readings partitions from last month to pg_partitions_ahead months ahead; with
   readings_retention_months > 0, partitions wholly older than that are dropped. */
static int pg_maintain(struct store *s, const char *now_china)
{
    struct db *db;
    int rc = store_begin(s, &db);
    if (rc) {
        return rc;
    }
    rc = db_runf(db, "SELECT envgov_ensure_partitions(CAST(?1 AS integer), ?2)", "it",
                 settings_int("pg_partitions_ahead"), now_china);
    int64_t keep = settings_int("readings_retention_months");
    if (!rc && keep > 0) {
        int y = 0, m = 0;
        sscanf(now_china, "%4d-%2d", &y, &m);
        int idx = y * 12 + (m - 1) - (int)keep;
        char cutoff[32];
        snprintf(cutoff, sizeof cutoff, "%04d-%02d-01 00:00:00", idx / 12, idx % 12 + 1);
        rc = db_runf(db, "SELECT envgov_drop_partitions_before(?1)", "t", cutoff);
    }
    return rc ? (store_rollback(s, db), rc) : store_commit(s, db);
}

/* PostgreSQL records the ICU version a collation was created (or last refreshed) with; when the
   library in use reports another, every index that uses zh is rebuilt and the version refreshed
   (otherwise PostgreSQL only warns, and an index in the old order may miss rows). */
static int pg_check_collation(struct store *s)
{
    struct db *db;
    int rc = store_begin(s, &db);
    if (rc) {
        return rc;
    }
    struct db_stmt *st;
    struct buf sql, names;
    buf_init(&sql, 0);
    buf_init(&names, 0);
    rc = db_queryf(db, &st,
                   "SELECT quote_ident(i.relname) FROM pg_collation c JOIN pg_index x ON c.oid ="
                   " ANY (CAST(x.indcollation AS oid[])) JOIN pg_class i ON i.oid = x.indexrelid"
                   " WHERE c.collname = 'zh' AND c.collnamespace = (SELECT oid FROM pg_namespace"
                   " WHERE nspname = current_schema()) AND c.collversion IS DISTINCT FROM"
                   " pg_collation_actual_version(c.oid) ORDER BY 1",
                   "");
    if (!rc) {
        int r;
        while ((r = db_step(st)) == DB_ROW) {
            const char *name = db_column_text(st, 0, NULL);
            buf_printf(&sql, "REINDEX INDEX %s;", name);
            buf_printf(&names, "%s%s", names.len ? ", " : "", name);
        }
        db_done(st);
        rc = r < 0 ? r : 0;
    }
    if (!rc && sql.len) {
        rc = db_exec(db, sql.p);
        if (!rc) {
            rc = db_exec(db, "ALTER COLLATION zh REFRESH VERSION");
        }
        if (!rc) {
            log_info("zh collation: the ICU order changed: %s rebuilt", names.p);
        }
    }
    buf_release(&sql);
    buf_release(&names);
    return rc ? (store_rollback(s, db), rc) : store_commit(s, db);
}

/* READ COMMITTED takes a snapshot per statement; REPEATABLE READ keeps the first. */
const struct backend PG_BACKEND = {
    .name = "postgresql",
    .migration_suffix = ".pg.sql",
    .snapshot_begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    .connect = pg_connect,
    .backup = pg_backup,
    .maintain = pg_maintain,
    .check_collation = pg_check_collation,
};
