/*
** `envgov demo`: the 湖州 demo edition (data/zoning/huzhou-demo.geojson, shipped so an admin
** sees the import format) imported through the same parse and store as an upload, in force,
** and a few pre-consultations over it (consult.c).
*/
#include <stdio.h>
#include <string.h>

#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "core/util.h"
#include "zoning/internal.h"

#define DEMO_FILE "data/zoning/huzhou-demo.geojson"

int zoning_demo(struct db *db, const char *today, struct buf *summary)
{
    const struct embed_file *f = embed_find(DEMO_FILE);
    if (!f) {
        return ERR_NOTFOUND;
    }
    struct zoning_import im = {0};
    int rc = zoning_geojson_parse((const char *)f->data, f->size, &im);
    if (rc) {
        log_error("zoning demo: %s", im.why);
        zoning_import_free(&im);
        return rc;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    int64_t id = 0;
    rc = zoning_import_store(db, &im, true, 0, "demo", NULL, NULL, now, &id);
    size_t n_consults = 0;
    if (rc) {
        log_error("zoning demo: the import failed (%s)", err_name(rc));
    }
    rc = rc ? rc : zoning_consult_demo(db, today, now, &n_consults);
    if (!rc) {
        buf_printf(summary, ", %zu control units (%s) and %zu pre-consultations", im.n, im.edition,
                   n_consults);
    }
    zoning_import_free(&im);
    return rc;
}
