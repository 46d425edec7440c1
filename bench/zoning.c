/*
** The zoning benchmark's measuring part (bench/zoning.sh builds it against libenvgov_lib.a):
** N_UNITS (40,000) units generated as a grid of irregular 12-sided cells over 湖州 with shared
** edges (each with 4 access-list items, half for an industry prefix) are imported into a fresh
** database through the import's own parse and store, then, over the cached index:
**   check — zoning_site_check for N_CHECKS random points (exact geometry, items, the JSON);
**   bbox  — the STRtree lookup alone for the same points (which boxes hold the point);
** and the check over the held index without the edition's row read (what a check costs
** besides the one query that keeps it multi-process safe);
** each the best of RUNS runs, printed as checks per second with the ratio bbox / check. Also
** the import and the index build (the first check after an import pays for it).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"
#include "platform/module.h"
#include "store/q_zoning.h"
#include "zoning/internal.h"

#define RUNS 3

static double rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (double)((*s >> 8) & 0xFFFFFF) / (double)0x1000000;
}

/* The cell (i, j) of a side × side grid over [119.5, 120.7] × [30.4, 31.2]: its square with a
   point pushed out or in at the middle of each edge — the same point for the two cells sharing
   the edge (seeded by the edge), so neighbours still share their border exactly. */
static void cell(struct buf *b, int i, int j, int side)
{
    double w = 1.2 / side, hgt = 0.8 / side, x0 = 119.5 + i * w, y0 = 30.4 + j * hgt;
    unsigned sh = (unsigned)(i * 7919 + j * 104729 + 1), sv = (unsigned)(i * 104729 + j * 7919 + 3);
    unsigned sh2 = (unsigned)(i * 7919 + (j + 1) * 104729 + 1),
             sv2 = (unsigned)((i + 1) * 104729 + j * 7919 + 3);
    double bottom = (rnd(&sh) - .5) * hgt * .3, top = (rnd(&sh2) - .5) * hgt * .3;
    double left = (rnd(&sv) - .5) * w * .3, right = (rnd(&sv2) - .5) * w * .3;
    buf_printf(b,
               "{\"type\":\"Polygon\",\"coordinates\":[[[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],"
               "[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f]]]}",
               x0, y0, x0 + w / 2, y0 + bottom, x0 + w, y0, x0 + w + right, y0 + hgt / 2, x0 + w,
               y0 + hgt, x0 + w / 2, y0 + hgt + top, x0, y0 + hgt, x0 + left, y0 + hgt / 2, x0, y0);
}

static char *edition(int side)
{
    struct buf b;
    buf_init(&b, (size_t)1 << 30);
    buf_puts(&b, "{\"type\":\"FeatureCollection\",\"edition\":{\"code\":\"BENCH\"},\"features\":[");
    static const char *const KINDS[] = {"priority", "key", "general"};
    for (int i = 0; i < side; i++) {
        for (int j = 0; j < side; j++) {
            buf_printf(
                &b,
                "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"ZHB%06d\",\"name\":\"单元 "
                "%d\",\"kind\":\"%s\",\"region\":\"330502\",\"items\":["
                "{\"number\":\"1.1\",\"dimension\":\"spatial\",\"effect\":\"forbid\","
                "\"industries\":[\"C26\"],\"text\":\"禁止新建化工项目\"},"
                "{\"number\":\"1.2\",\"dimension\":\"spatial\",\"effect\":\"allow\","
                "\"industries\":[\"C39\"],\"text\":\"鼓励电子信息\"},"
                "{\"number\":\"2.1\",\"dimension\":\"emission\",\"effect\":\"condition\","
                "\"text\":\"新增排放须取得总量指标\"},"
                "{\"number\":\"3.1\",\"dimension\":\"risk\",\"effect\":\"condition\","
                "\"industries\":\"C32,C33\",\"text\":\"重金属等量置换\"}]},\"geometry\":",
                i || j ? "," : "", i * side + j, i * side + j, KINDS[(i + j) % 3]);
            cell(&b, i, j, side);
            buf_putc(&b, '}');
        }
    }
    buf_puts(&b, "]}");
    return b.overflow ? NULL : b.p;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: zoning DATA_DIR N_UNITS N_CHECKS [DATABASE_URL]\n");
        return 2;
    }
    util_init();
    modules_register();
    settings_init();
    int side = (int)ceil(sqrt(atof(argv[2])));
    int n_checks = atoi(argv[3]);
    struct store *s;
    char err[600] = "";
    if (store_open(argv[1], argc > 4 ? argv[4] : "", &s, err, sizeof err)) {
        fprintf(stderr, "store: %s\n", err);
        return 1;
    }
    char *text = edition(side);
    int64_t t0 = mono_us();
    struct zoning_import im = {0};
    int rc = zoning_geojson_parse(text, strlen(text), &im);
    int64_t t_parse = mono_us() - t0;
    struct db *db;
    char now[32];
    time_iso(wall_ms() / 1000, now);
    int64_t id = 0;
    rc = rc ? rc : store_begin(s, &db);
    rc = rc ? rc : zoning_import_store(db, &im, true, 0, "bench", NULL, NULL, now, &id);
    rc = rc ? rc : store_commit(s, db);
    int64_t t_import = mono_us() - t0;
    free(text);
    if (rc) {
        fprintf(stderr, "import: %s (%s)\n", im.why, err_name(rc));
        return 1;
    }
    size_t n_units = im.n;
    zoning_import_free(&im);

    db = store_read(s);
    double *pts = malloc(sizeof *pts * 2 * (size_t)n_checks);
    unsigned seed = 42;
    for (int i = 0; i < n_checks; i++) {
        pts[2 * i] = 119.5 + rnd(&seed) * 1.2;
        pts[2 * i + 1] = 30.4 + rnd(&seed) * 0.8;
    }
    struct zoning_edition_row e;
    store_zoning_edition(db, NULL, &e);
    struct zoning_index *ix;
    t0 = mono_us();
    rc = zoning_cache_acquire(db, &e, &ix); /* the build the first check after an import pays */
    int64_t t_index = mono_us() - t0;
    zoning_cache_release();
    if (rc) {
        fprintf(stderr, "index: %s\n", err_name(rc));
        return 1;
    }
    int64_t t_check = INT64_MAX, t_bbox = INT64_MAX, t_index_only = INT64_MAX;
    size_t touched = 0, boxes = 0;
    struct buf out;
    buf_init(&out, 1 << 20);
    for (int run = 0; run < RUNS; run++) {
        touched = 0;
        t0 = mono_us();
        for (int i = 0; i < n_checks; i++) {
            char g[96];
            snprintf(g, sizeof g, "{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]}", pts[2 * i],
                     pts[2 * i + 1]);
            struct zoning_check_req q = {g, i % 2 ? "C2614" : "C3911", NULL};
            struct zoning_answer ans;
            const char *field;
            buf_reset(&out);
            if (zoning_site_check(db, &q, &ans, &out, &field)) {
                fprintf(stderr, "check failed\n");
                return 1;
            }
            touched += ans.n_units;
        }
        int64_t d = mono_us() - t0;
        t_check = d < t_check ? d : t_check;
        boxes = 0;
        t0 = mono_us();
        rc = zoning_cache_acquire(db, &e, &ix);
        for (int i = 0; !rc && i < n_checks; i++) {
            boxes += zoning_index_bbox_count(ix, pts[2 * i], pts[2 * i + 1]);
        }
        zoning_cache_release();
        d = mono_us() - t0;
        t_bbox = d < t_bbox ? d : t_bbox;
        /* the same checks over the index held, without the edition's row read per check */
        t0 = mono_us();
        rc = zoning_cache_acquire(db, &e, &ix);
        for (int i = 0; !rc && i < n_checks; i++) {
            char g[96], why[ZONING_ERR_MAX];
            snprintf(g, sizeof g, "{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]}", pts[2 * i],
                     pts[2 * i + 1]);
            struct zoning_answer ans;
            const char *field;
            buf_reset(&out);
            rc = zoning_index_check(ix, g, i % 2 ? "C2614" : "C3911", 5000, &ans, &out, &field, why,
                                    sizeof why);
        }
        zoning_cache_release();
        d = mono_us() - t0;
        t_index_only = d < t_index_only ? d : t_index_only;
    }
    store_release(s, db);
    printf("units          %zu (4 items each), %d points\n", n_units, n_checks);
    printf("import         %.2f s (parse and checks %.2f s)\n", t_import / 1e6, t_parse / 1e6);
    printf("index build    %.2f s\n", t_index / 1e6);
    printf("site check     %.0f checks/s (%.1f us each; %.2f units touched on average)\n",
           n_checks / (t_check / 1e6), (double)t_check / n_checks, (double)touched / n_checks);
    printf("  of which     %.1f us the check over the index (parse, exact relations, items, JSON),"
           " the rest the edition's row read\n",
           (double)t_index_only / n_checks);
    printf("bbox lookup    %.0f lookups/s (%.1f us each; %.2f boxes hold a point)\n",
           n_checks / (t_bbox / 1e6), (double)t_bbox / n_checks, (double)boxes / n_checks);
    printf("ratio          check/bbox time %.1f\n", (double)t_check / (double)t_bbox);
    buf_release(&out);
    free(pts);
    zoning_cache_clear();
    store_close(s);
    return 0;
}
