/*
** The registry module's descriptor: its routes and `envgov demo | import | export`.
*/
#include "core/util.h"
#include "platform/cli.h"
#include "registry/registry.h"
#include "store/store.h"

static const char *const demo_opts[] = {"enterprises", "seed", NULL};
static const char *const import_opts[] = {"dry_run", NULL};

static const struct module_command commands[] = {
    {"demo", cmd_demo, "create a demo database (a fictional county) and print its accounts",
     "envgov demo [--data DIR] [--enterprises N] [--seed N]", demo_opts},
    {"import", cmd_import, "import enterprises from a CSV or XLSX file (all-or-nothing)",
     "envgov import enterprises FILE [--data DIR] [--dry-run]", import_opts},
    {"export", cmd_export, "export enterprises to CSV or XLSX",
     "envgov export enterprises FILE.csv|FILE.xlsx [--data DIR]", NULL},
};

static const struct module_record records[] = {
    {"enterprise", "(SELECT name FROM enterprises WHERE id = ?5)", &ENTITY_ENTERPRISE},
    {"outlet",
     "(SELECT e.name || ' · ' || o.code || ' ' || o.name FROM outlets o JOIN enterprises e ON"
     " e.id = o.enterprise_id WHERE o.id = ?5)",
     &ENTITY_OUTLET},
    {"point",
     "(SELECT e.name || ' · ' || p.name FROM points p JOIN enterprises e ON e.id = p.enterprise_id"
     " WHERE p.id = ?5)",
     &ENTITY_POINT},
    {"limit",
     "(SELECT e.name || ' · ' || o.code || ' ' || COALESCE(c.name, l.pollutant_code) FROM"
     " emission_limits l JOIN outlets o ON o.id = l.outlet_id JOIN enterprises e ON e.id ="
     " l.enterprise_id LEFT JOIN pollutants c ON c.code = l.pollutant_code WHERE l.id = ?5)",
     NULL},
    {"permit",
     "(SELECT e.name || ' · ' || p.number FROM permits p JOIN enterprises e ON e.id ="
     " p.enterprise_id WHERE p.id = ?5)",
     &ENTITY_PERMIT},
    {"agency", "(SELECT name FROM agencies WHERE id = ?5)", &ENTITY_AGENCY},
};

const struct module registry_module = {
    .name = "registry",
    .routes = registry_routes,
    .commands = commands,
    .n_commands = ARRAY_LEN(commands),
    .records = records,
    .n_records = ARRAY_LEN(records),
};
