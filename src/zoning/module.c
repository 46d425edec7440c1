/*
** The zoning module's descriptor: its settings (size caps of imports and sites), routes, audit
** kinds, demo data and the stop that frees the process's spatial indexes.
*/
#include <stdio.h>

#include "core/util.h"
#include "http/http.h"
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

static const char *const zoning_opts[] = {"edition", "name", "no_enact", NULL};
static const struct module_command commands[] = {
    {"zoning", zoning_cmd, "import a 三线一单 edition from GeoJSON or a zipped Shapefile",
     "envgov zoning import FILE [--edition CODE] [--name NAME] [--no-enact] [--data DIR]\n"
     "  all-or-nothing; the first bad feature is named with its reason",
     zoning_opts},
};

/* The 工作台's figures for staff within their area: pre-consultations this year, how many were
   forbidden, the edition in force. */
static int dashboard(struct req *r, struct db *db, struct buf *out)
{
    if (r->who->role == ROLE_ENTERPRISE) {
        return 0;
    }
    char today[11], year[48];
    date_cn(wall_ms() / 1000, today);
    /* the China year begins at 16:00 UTC on 31 December */
    int64_t y = 0;
    parse_i64(today, 4, &y);
    snprintf(year, sizeof year, "%04lld-12-31T16:00:00Z", (long long)y - 1);
    return store_zoning_dashboard(db, &r->who->scope, year, out);
}

static void stop(void)
{
    zoning_cache_clear();
}

const struct module zoning_module = {
    .name = "zoning",
    .routes = zoning_api_routes,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .commands = commands,
    .n_commands = ARRAY_LEN(commands),
    .stop = stop,
    .audit_kinds = zoning_audit_kinds,
    .demo = zoning_demo,
    .dashboard = dashboard,
};
