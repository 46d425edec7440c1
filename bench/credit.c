/*
** Credit recompute benchmark helper (bench/credit.sh): opens the store of DIR (its envgov.ini
** names a PostgreSQL database, else DIR/envgov.db), optionally runs a SQL file in one
** transaction (the bench data: the zh collation the enterprises' name index needs exists only
** inside the store), then times one scan of the events table through the store's statement API
** (the rows the recompute reads, in its order) and two full recomputes (credit_recompute_all:
** the first grades every subject, the second finds nothing changed), and prints the figures.
**   credit_bench DIR [SQLFILE]
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/settings.h"
#include "core/util.h"
#include "credit/credit.h"
#include "platform/app.h"
#include "platform/module.h"
#include "store/store.h"

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

static int scan(struct store *s, int64_t *rows)
{
    struct db *db = store_read(s);
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "SELECT id, subject_id, type, occurred_on, points FROM credit_events"
                        " WHERE subject_kind = 'enterprise' AND revoked_at IS NULL"
                        " ORDER BY subject_id, occurred_on, id",
                        &st);
    int64_t n = 0, sum = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        sum += db_column_int(st, 1) + (int64_t)strlen(db_column_text(st, 2, NULL)) +
               (int64_t)strlen(db_column_text(st, 3, NULL)) + (int64_t)db_column_real(st, 4);
        n++;
        rc = 0;
    }
    if (!rc) {
        db_done(st);
    }
    store_release(s, db);
    *rows = n + (sum == -1); /* sum keeps the reads from being optimised away */
    return rc < 0 ? rc : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: credit_bench DIR [SQLFILE]\n");
        return 2;
    }
    modules_register_settings();
    settings_init();
    char ini[1100];
    snprintf(ini, sizeof ini, "%s/envgov.ini", argv[1]);
    int bad = 0;
    settings_load_file(ini, 1, &bad);
    char err[512];
    struct store *s;
    if (store_open(argv[1], settings_get("db"), &s, err, sizeof err) ||
        modules_seed(s, err, sizeof err)) {
        fprintf(stderr, "credit_bench: %s\n", err);
        return 1;
    }
    app.store = s;
    if (argc > 2) {
        char *sql = slurp(argv[2]);
        struct db *db;
        double t = now();
        int rc = sql ? store_begin(s, &db) : -1;
        rc = rc ? rc : db_exec(db, sql);
        if (rc) {
            fprintf(stderr, "credit_bench: %s\n", db_errmsg(db));
            store_rollback(s, db);
        } else {
            rc = store_commit(s, db);
        }
        free(sql);
        if (rc) {
            fprintf(stderr, "credit_bench: the bench data failed (%d)\n", rc);
            return 1;
        }
        printf("bench data loaded in %.2f s\n", now() - t);
    }
    int64_t rows = 0, n1 = 0, c1 = 0, n2 = 0, c2 = 0;
    scan(s, &rows); /* warm the cache: every run reads from memory */
    double t0 = now();
    int rc = scan(s, &rows);
    double t1 = now();
    char iso[32];
    time_iso(wall_ms() / 1000, iso);
    rc = rc ? rc : credit_recompute_all(s, iso, &n1, &c1, err, sizeof err);
    double t2 = now();
    rc = rc ? rc : credit_recompute_all(s, iso, &n2, &c2, err, sizeof err);
    double t3 = now();
    int64_t rows2 = 0;
    rc = rc ? rc : scan(s, &rows2);
    double t4 = now();
    if (rc) {
        fprintf(stderr, "credit_bench: failed (%d) %s\n", rc, err);
        return 1;
    }
    double sc = (t1 - t0) < (t4 - t3) ? t1 - t0 : t4 - t3;
    printf("scan %lld events: %.2f s\n", (long long)rows, sc);
    printf("recompute first: %.2f s (%lld subjects, %lld changed) = %.2fx the scan\n", t2 - t1,
           (long long)n1, (long long)c1, (t2 - t1) / sc);
    printf("recompute nightly: %.2f s (%lld subjects, %lld changed) = %.2fx the scan\n", t3 - t2,
           (long long)n2, (long long)c2, (t3 - t2) / sc);
    store_close(s);
    return 0;
}
