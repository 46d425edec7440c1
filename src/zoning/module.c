/*
** The zoning module's descriptor: its settings (size caps of imports and sites), routes, audit
** kinds, demo data and the stop that frees the process's spatial indexes.
*/
#include "core/util.h"
#include "store/q_zoning.h"
#include "zoning/internal.h"

static const struct setting_def settings[] = {
    {"zoning_import_max_bytes", "67108864", true,
     "largest zoning import file (GeoJSON or zipped Shapefile), bytes"},
    {"zoning_import_max_units", "100000", true, "most units one zoning import may hold"},
    {"zoning_unit_max_vertices", "200000", true, "most vertices of one imported unit's boundary"},
    {"zoning_site_max_vertices", "5000", true, "most vertices of a site to check"},
    {"zoning_map_max_units", "5000", true, "most unit outlines the site-check map draws"},
};

static void stop(void)
{
    zoning_cache_clear();
}

const struct module zoning_module = {
    .name = "zoning",
    .routes = zoning_api_routes,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .stop = stop,
    .audit_kinds = zoning_audit_kinds,
    .demo = zoning_demo,
};
