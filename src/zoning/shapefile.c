/*
** Shapefile import: filled in by the next commit.
*/
#include <stdio.h>

#include "core/err.h"
#include "zoning/internal.h"

int zoning_shapefile_parse(const void *zip, size_t len, struct zoning_import *im)
{
    (void)zip, (void)len;
    im->field = "file";
    snprintf(im->why, sizeof im->why, "Shapefile import is not built yet");
    return ERR_UNSUPPORTED;
}
