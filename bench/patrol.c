/*
** Self-check generation benchmark helper (bench/patrol.sh): opens the store of DIR (its
** envgov.ini names a PostgreSQL database, else DIR/envgov.db), runs the bench data SQL in one
** transaction, loads the calendar, then times the monthly generation for MONTH
** (patrol_selfcheck_generate: the job's own code) and a second run (idempotent: nothing new),
** reads the generated rows back, deletes them and times inserting the same rows plainly (one
** prepared INSERT per row, the generation's batch of rows per transaction), and prints the
** figures.
**   patrol_bench DIR SQLFILE MONTH
*/
#include "patrol/patrol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/settings.h"
#include "core/util.h"
#include "platform/app.h"
#include "platform/module.h"
#include "platform/platform.h"
#include "store/store.h"

#define NCOL 13

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = xmalloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = 0;
    fclose(f);
    return s;
}

struct rows {
    char **cell; /* NCOL per row, NULL = SQL NULL */
    size_t n, cap;
};

static int snapshot(struct store *s, const char *month, struct rows *out)
{
    struct db *db = store_read(s);
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT enterprise_id, region_code, period, month, duty_key, clause_id,"
                       " point_id, duty, title, due_on, status, created_at, updated_at FROM"
                       " selfcheck_tasks WHERE month = ?1 ORDER BY id",
                       "t", month);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 1 << 16;
            out->cell = xrealloc(out->cell, out->cap * NCOL * sizeof *out->cell);
        }
        for (int i = 0; i < NCOL; i++) {
            out->cell[out->n * NCOL + i] =
                db_column_type(st, i) == DB_NULL ? NULL : xstrdup(db_column_text(st, i, NULL));
        }
        out->n++;
        rc = 0;
    }
    if (rc >= 0) {
        db_done(st);
    }
    store_release(s, db);
    return rc < 0 ? rc : 0;
}

static int run_sql(struct store *s, const char *sql)
{
    struct db *db;
    int rc = store_begin(s, &db);
    if (rc) {
        return rc;
    }
    rc = db_exec(db, sql);
    if (rc) {
        fprintf(stderr, "patrol_bench: %s\n", db_errmsg(db));
        store_rollback(s, db);
        return rc;
    }
    return store_commit(s, db);
}

static int plain_insert(struct store *s, const struct rows *r, size_t batch)
{
    int rc = 0;
    for (size_t at = 0; !rc && at < r->n; at += batch) {
        struct db *db;
        rc = store_begin(s, &db);
        for (size_t k = at; !rc && k < r->n && k < at + batch; k++) {
            struct db_stmt *st;
            rc =
                db_prepare(db,
                           "INSERT INTO selfcheck_tasks (enterprise_id, region_code, period, month,"
                           " duty_key, clause_id, point_id, duty, title, due_on, status,"
                           " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                           " ?10, ?11, ?12, ?13)",
                           &st);
            for (int i = 0; !rc && i < NCOL; i++) {
                const char *v = r->cell[k * NCOL + i];
                if (!v) {
                    db_bind_null(st, i + 1);
                } else if (i == 0 || i == 5 || i == 6) {
                    db_bind_int(st, i + 1, strtoll(v, NULL, 10));
                } else {
                    db_bind_text(st, i + 1, v, (size_t)-1);
                }
            }
            if (!rc) {
                rc = db_step(st);
                rc = rc < 0 ? rc : 0;
                db_done(st);
            }
        }
        if (rc) {
            store_rollback(s, db);
        } else {
            rc = store_commit(s, db);
        }
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: patrol_bench DIR SQLFILE MONTH\n");
        return 2;
    }
    modules_register();
    settings_init();
    char ini[1100];
    snprintf(ini, sizeof ini, "%s/envgov.ini", argv[1]);
    int bad = 0;
    settings_load_file(ini, 1, &bad);
    char err[512];
    struct store *s;
    if (store_open(argv[1], settings_get("db"), &s, err, sizeof err) ||
        modules_seed(s, err, sizeof err) || refdata_load_calendar(s, err, sizeof err)) {
        fprintf(stderr, "patrol_bench: %s\n", err);
        return 1;
    }
    app.store = s;
    char *sql = slurp(argv[2]);
    double t = now();
    if (!sql || run_sql(s, sql)) {
        fprintf(stderr, "patrol_bench: the bench data failed\n");
        return 1;
    }
    free(sql);
    printf("bench data loaded in %.2f s\n", now() - t);
    const char *month = argv[3];
    char iso[32], warn[256];
    time_iso(wall_ms() / 1000, iso);
    int64_t ne1 = 0, nc1 = 0, ne2 = 0, nc2 = 0;
    double t0 = now();
    int rc = patrol_selfcheck_generate(s, month, iso, &ne1, &nc1, warn, sizeof warn);
    double t1 = now();
    rc = rc ? rc : patrol_selfcheck_generate(s, month, iso, &ne2, &nc2, warn, sizeof warn);
    double t2 = now();
    struct rows r = {0};
    rc = rc ? rc : snapshot(s, month, &r);
    char del[128];
    snprintf(del, sizeof del, "DELETE FROM selfcheck_tasks WHERE month = '%.7s'", month);
    rc = rc ? rc : run_sql(s, del);
    double t3 = now();
    rc = rc ? rc : plain_insert(s, &r, (size_t)PATROL_GEN_BATCH * 20);
    double t4 = now();
    if (rc) {
        fprintf(stderr, "patrol_bench: failed (%d)\n", rc);
        return 1;
    }
    if (*warn) {
        printf("warning: %s\n", warn);
    }
    printf("generate: %.2f s (%lld enterprises, %lld tasks)\n", t1 - t0, (long long)ne1,
           (long long)nc1);
    printf("generate again: %.2f s (%lld enterprises, %lld new)\n", t2 - t1, (long long)ne2,
           (long long)nc2);
    printf("plain insert: %.2f s (%zu rows)\n", t4 - t3, r.n);
    printf("ratio: %.2fx\n", (t1 - t0) / (t4 - t3 > 0.001 ? t4 - t3 : 0.001));
    store_close(s);
    return 0;
}
