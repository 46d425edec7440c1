/*
** The registry module's descriptor: its routes and `envgov demo | import | export`.
*/
#include "core/util.h"
#include "platform/cli.h"
#include "registry/registry.h"
#include "store/q_registry.h"
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

static const struct entity_def *const attachables[] = {
    &ENTITY_ENTERPRISE, &ENTITY_OUTLET, &ENTITY_POINT, &ENTITY_PERMIT, &ENTITY_AGENCY, NULL};

const struct module registry_module = {
    .name = "registry",
    .routes = registry_routes,
    .commands = commands,
    .n_commands = ARRAY_LEN(commands),
    .dashboard = registry_dashboard,
    .audit_kinds = registry_audit_kinds,
    .attachables = attachables,
};
