/*
** The draw benchmark's measuring part (bench/draw.sh builds it against libenvgov_lib.a and
** fills the database): over the data directory's database, times
**   read   — the pool read alone: store_draw_pool_each per category, every column touched;
**   build  — the snapshot as commit builds it: the same read plus weights from draw.ratios,
**            the roster, the recusal pairs (declared and last time), the canonical text;
**   replay — parsing that snapshot and drawing targets and inspectors (draw_run);
** each the best of RUNS (3) runs, and prints them with the ratio (build + replay) / read and
** replay / read. No writes.
*/
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"
#include "draw/internal.h"
#include "platform/module.h"
#include "rules/rules.h"
#include "store/q_draw.h"

struct touch {
    int64_t rows, sum;
};

static void touch_row(struct db_stmt *st, void *ctx)
{
    struct touch *t = ctx;
    t->rows++;
    t->sum += db_column_int(st, 0) + db_column_int(st, 6);
    for (int i = 1; i <= 5; i++) {
        size_t n;
        db_column_text(st, i, &n);
        t->sum += (int64_t)n;
    }
}

#define RUNS 3

static double secs(int64_t us)
{
    return (double)us / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: draw DATA_DIR [DATABASE_URL]\n");
        return 2;
    }
    util_init();
    modules_register();
    settings_init();
    struct store *s;
    char err[600] = "";
    if (store_open(argv[1], argc > 2 ? argv[2] : "", &s, err, sizeof err)) {
        fprintf(stderr, "store: %s\n", err);
        return 1;
    }
    char today[11];
    draw_today(today);
    const char *cats[] = {"general", "key", "special"};
    struct db *db = store_read(s);

    /* Warm the page cache once so neither measurement pays for the first read from disk. */
    struct touch warm = {0};
    for (size_t i = 0; i < 3; i++) {
        store_draw_pool_each(db, "", cats[i], today, touch_row, &warm);
    }
    struct touch t = {0};
    int64_t t_read = INT64_MAX, t_build = INT64_MAX, t_replay = INT64_MAX;
    for (int run = 0; run < RUNS; run++) {
        t.rows = 0;
        int64_t t0 = mono_us();
        for (size_t i = 0; i < 3; i++) {
            store_draw_pool_each(db, "", cats[i], today, touch_row, &t);
        }
        int64_t d = mono_us() - t0;
        t_read = d < t_read ? d : t_read;
    }

    struct draw_plan_row p = {.id = 1 << 30,
                              .period = "2026Q4",
                              .region_prefix = "",
                              .categories = "general,key,special",
                              .visit_from = "2026-12-07",
                              .visit_to = "2026-12-31"};
    struct buf snap;
    struct rule_ref ref;
    int64_t n_pool = 0;
    int rc = 0;
    for (int run = 0; !rc && run < RUNS; run++) {
        if (run) {
            buf_release(&snap);
        }
        buf_init(&snap, DRAW_SNAPSHOT_MAX);
        int64_t t0 = mono_us();
        rc = draw_snapshot_build(db, &p, today, &snap, &ref, &n_pool, err, sizeof err);
        int64_t d = mono_us() - t0;
        t_build = d < t_build ? d : t_build;
    }
    store_release(s, db);
    if (rc) {
        fprintf(stderr, "build: %s\n", err);
        return 1;
    }
    unsigned char seed[32] = {7}, sha[32];
    char hex[65];
    sha256_hex(snap.p, snap.len, hex);
    draw_hex32(hex, sha);
    struct draw_input in;
    struct draw_result res;
    char *copy = xmalloc(snap.len + 1);
    for (int run = 0; !rc && run < RUNS; run++) {
        if (run) {
            draw_result_free(&res);
            draw_input_free(&in);
        }
        memcpy(copy, snap.p, snap.len); /* parsing cuts the text in place */
        int64_t t0 = mono_us();
        rc = draw_snapshot_parse(copy, snap.len, &in, err, sizeof err);
        rc = rc ? rc : draw_run(&in, seed, sha, &res, err, sizeof err);
        int64_t d = mono_us() - t0;
        t_replay = d < t_replay ? d : t_replay;
    }
    if (rc) {
        fprintf(stderr, "replay: %s\n", err);
        return 1;
    }
    printf("pool: %lld enterprises read (%lld in the snapshot), roster %zu inspectors, %zu "
           "recusal pairs, snapshot %.1f MB\n",
           (long long)t.rows, (long long)n_pool, in.n_roster, in.n_recusals,
           (double)snap.len / 1e6);
    printf("drawn: %zu targets, %zu inspector assignments, %zu short\n", res.n_targets,
           res.insp_off[res.n_targets], res.n_short);
    printf("read the pool from the database:           %7.3f s\n", secs(t_read));
    printf("build the snapshot (read, weights, recusal): %7.3f s\n", secs(t_build));
    printf("replay (parse + draw targets, inspectors):   %7.3f s\n", secs(t_replay));
    printf("ratio (build + replay) / read: %.2f   replay / read: %.2f   (target: draw <= 2x the "
           "read)\n",
           secs(t_build + t_replay) / secs(t_read), secs(t_replay) / secs(t_read));
    draw_result_free(&res);
    draw_input_free(&in);
    free(copy);
    buf_release(&snap);
    store_close(s);
    return 0;
}
