/*
** `envgov zoning import FILE [--edition CODE] [--name NAME] [--no-enact]`: an edition from a
** GeoJSON file or a zipped Shapefile, for an edition larger than the HTTP upload cap
** (upload_max_bytes) or a scripted refresh. The same parse, checks, single transaction and
** audit row (actor "cli") as the admin's upload; a running server notices the new generation on
** its next check.
*/
#include "platform/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "platform/app.h"
#include "zoning/internal.h"

#define CLI_FILE_MAX ((size_t)1 << 30)

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    struct buf b;
    buf_init(&b, CLI_FILE_MAX);
    char chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_append(&b, chunk, n);
    }
    fclose(f);
    if (b.overflow) {
        buf_release(&b);
        return NULL;
    }
    return buf_steal(&b, len);
}

int zoning_cmd(const struct cli *c)
{
    if (c->n_args != 2 || strcmp(c->args[0], "import")) {
        fprintf(stderr, "usage: envgov zoning import FILE [--edition CODE] [--name NAME] "
                        "[--no-enact] [--data DIR]\n");
        return 2;
    }
    size_t len = 0;
    char *data = read_file(c->args[1], &len);
    if (!data) {
        fprintf(stderr, "envgov zoning: cannot read %s (missing, or over 1 GiB)\n", c->args[1]);
        return 1;
    }
    struct zoning_import im = {0};
    const char *edition = cli_opt(c, "edition"), *name = cli_opt(c, "name");
    bool zip = len >= 4 && !memcmp(data, "PK\3\4", 4);
    int rc = zoning_import_edition(&im, edition && *edition ? edition : NULL,
                                   name && *name ? name : NULL);
    rc = rc    ? rc
         : zip ? zoning_shapefile_parse(data, len, &im)
               : zoning_geojson_parse(data, len, &im);
    free(data);
    if (!rc && !im.edition[0]) {
        rc = ERR_INPUT;
        str_copy(im.why, sizeof im.why, "the edition code is required (--edition or edition.code)");
    }
    if (rc) {
        fprintf(stderr, "envgov zoning: %s\n", im.why);
        zoning_import_free(&im);
        return 1;
    }
    if (cli_open_store(false)) {
        zoning_import_free(&im);
        return 1;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct db *db;
    int64_t id = 0;
    rc = store_begin(app.store, &db);
    rc = rc ? rc
            : zoning_import_store(db, &im, !cli_opt(c, "no_enact"), 0, "cli", NULL, NULL, now, &id);
    if (!rc) {
        rc = store_commit(app.store, db);
    } else if (db) {
        store_rollback(app.store, db);
    }
    if (rc == ERR_CONFLICT) {
        fprintf(stderr, "envgov zoning: %s (without --no-enact); nothing was written\n",
                ZONING_IN_FORCE_MSG);
    } else if (rc) {
        fprintf(stderr, "envgov zoning: the import failed (%s); nothing was written\n",
                err_name(rc));
    } else {
        printf("edition %s: %zu units, %zu list items (%s)%s\n", im.edition, im.n, im.n_items,
               im.source, cli_opt(c, "no_enact") ? "" : ", in force");
    }
    zoning_import_free(&im);
    cli_close_store();
    return rc ? 1 : 0;
}
