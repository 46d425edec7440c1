/* libFuzzer driver: what the zoning module reads from outside — an admin's import (a GeoJSON
   FeatureCollection, or a zip starting "PK" read as a Shapefile layer with shapelib) and a
   user's site geometry, checked over a small edition built once from the first import that
   parses. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/settings.h"
#include "core/util.h"
#include "platform/module.h"
#include "zoning/internal.h"

static const char *EDITION =
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":"
    "\"Polygon\",\"coordinates\":[[[120,30],[120.1,30],[120.1,30.1],[120,30.1],[120,30]]]},"
    "\"properties\":{\"code\":\"ZHA\",\"name\":\"A\",\"kind\":\"key\",\"items\":[{\"number\":\"1\","
    "\"dimension\":\"spatial\",\"effect\":\"forbid\",\"industries\":\"C26\",\"text\":\"x\"}]}}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct zoning_index *ix;
    if (!ix) {
        modules_register();
        settings_init();
        struct zoning_import im = {0};
        if (zoning_geojson_parse(EDITION, strlen(EDITION), &im)) {
            abort();
        }
        char why[ZONING_ERR_MAX];
        ix = zoning_index_build(im.units, im.n, "F", why, sizeof why);
    }
    const char *p = (const char *)data;
    struct zoning_import im = {0};
    if (size >= 2 && p[0] == 'P' && p[1] == 'K') {
        zoning_shapefile_parse(data, size, &im);
        zoning_import_free(&im);
        return 0;
    }
    zoning_geojson_parse(p, size, &im);
    zoning_import_free(&im);
    char *site = malloc(size + 1);
    memcpy(site, data, size);
    site[size] = 0;
    struct zoning_answer ans;
    struct buf out;
    buf_init(&out, 1 << 20);
    const char *field;
    char why[ZONING_ERR_MAX];
    zoning_index_check(ix, site, size > 3 ? site + size - 3 : "", 1000, &ans, &out, &field, why,
                       sizeof why);
    buf_release(&out);
    free(site);
    return 0;
}
