/*
** The platform's own descriptor: health, metrics, OpenAPI, dashboard, code tables, audit log
** and attachments (routes); `envgov serve | init | backup | export-db | import-db | routes |
** labels`;
** the HTTP server's and the database's /metrics lines.
*/
#include "core/util.h"
#include "http/server.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/cli.h"
#include "platform/platform.h"
#include "store/store.h"

static void routes(struct router *rt)
{
    platform_routes(rt);
    audit_routes(rt);
    attach_routes(rt);
}

static void metrics(struct buf *out)
{
    http_metrics_write(out);
    int total, busy;
    int64_t tx;
    store_stats(app.store, &total, &busy, &tx);
    buf_printf(out,
               "# HELP envgov_db_readers Reader connections in the pool.\n"
               "# TYPE envgov_db_readers gauge\nenvgov_db_readers %d\n"
               "# HELP envgov_db_readers_busy Reader connections lent out.\n"
               "# TYPE envgov_db_readers_busy gauge\nenvgov_db_readers_busy %d\n"
               "# HELP envgov_db_transactions_total Committed write transactions.\n"
               "# TYPE envgov_db_transactions_total counter\nenvgov_db_transactions_total %lld\n",
               total, busy, (long long)tx);
}

static const char *const serve_opts[] = {"print_config", NULL};
static const char *const init_opts[] = {"admin", NULL};
static const char *const routes_opts[] = {"json", NULL};

static const struct module_command commands[] = {
    {"serve", cmd_serve, "run the HTTP server (UI + API) and the HJ 212 gateway",
     "envgov serve [--data DIR] [--http [ADDR:]PORT] [--hj212 [ADDR:]PORT] [--print-config]\n"
     "             [--config FILE] [--<setting> VALUE ...]",
     serve_opts},
    {"init", cmd_init, "create a new database and the first admin (password printed once)",
     "envgov init [--data DIR] [--admin NAME]", init_opts},
    {"backup", cmd_backup, "online, consistent copy of the database",
     "envgov backup FILE [--data DIR]", NULL},
    {"export-db", cmd_export_db,
     "write every table to one file, read in one snapshot (to move to another database)",
     "envgov export-db FILE [--data DIR]\n"
     "  FILE: JSON Lines, gzip-compressed when it ends in .gz; it must not exist yet. The file\n"
     "  holds password hashes and session keys: keep it as private as the database.",
     NULL},
    {"import-db", cmd_import_db,
     "load an export-db file into a new, empty database (all-or-nothing, counts checked)",
     "envgov import-db FILE [--data DIR] [--db postgresql://...]\n"
     "  The target (DIR/envgov.db, or db = ... in DIR/envgov.ini, or --db) must hold no data\n"
     "  and be at the schema version of the export; stop the server first.",
     NULL},
    {"routes", cmd_routes, "print the HTTP route table (method, path, roles)",
     "envgov routes [--json]", routes_opts},
    {"labels", cmd_labels,
     "print every module's field and value labels as JSON (web/js/<module>/labels.json)",
     "envgov labels", NULL},
};

const struct module platform_module = {
    .name = "platform",
    .routes = routes,
    .commands = commands,
    .n_commands = ARRAY_LEN(commands),
    .metrics = metrics,
    .audit_kinds = platform_audit_kinds,
};
