/*
** envgov: the working platform of an Ecology and Environment Bureau. This file only
** dispatches subcommands; each lives with its module (platform/serve.c, platform/cli.c,
** platform/dbcopy.c, registry/demo.c, registry/io.c).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "platform/cli.h"

#ifndef ENVGOV_VERSION
#define ENVGOV_VERSION "0.1.0"
#endif

struct command {
    const char *name;
    int (*fn)(const struct cli *c);
    const char *summary;
    const char *usage;
};

static int cmd_version(const struct cli *c);

static const struct command commands[] = {
    {"serve", cmd_serve, "run the HTTP server (UI + API) and the HJ 212 gateway",
     "envgov serve [--data DIR] [--http [ADDR:]PORT] [--hj212 [ADDR:]PORT] [--print-config]\n"
     "             [--config FILE] [--<setting> VALUE ...]"},
    {"init", cmd_init, "create a new database and the first admin (password printed once)",
     "envgov init [--data DIR] [--admin NAME]"},
    {"demo", cmd_demo, "create a demo database (a fictional county) and print its accounts",
     "envgov demo [--data DIR] [--enterprises N] [--seed N]"},
    {"user", cmd_user, "manage users: add, list, disable, enable, reset-password",
     "envgov user add --username NAME --role ROLE [--display-name TEXT] [--org-unit ID]\n"
     "                [--enterprise ID] [--password PW]\n"
     "envgov user list | disable NAME | enable NAME | reset-password NAME   [--data DIR]"},
    {"import", cmd_import, "import enterprises from a CSV or XLSX file (all-or-nothing)",
     "envgov import enterprises FILE [--data DIR] [--dry-run]"},
    {"export", cmd_export, "export enterprises to CSV or XLSX",
     "envgov export enterprises FILE.csv|FILE.xlsx [--data DIR]"},
    {"hj212", cmd_hj212, "HJ 212 tools: replay frames from a file; simulate devices",
     "envgov hj212 send FILE [--target [ADDR:]PORT] [--wait-ms N]\n"
     "  FILE: one frame per line, complete (##LLLL...CCCC) or just the data segment (QN=...)\n"
     "envgov hj212 sim [--target [ADDR:]PORT] [--devices N] [--rate FRAMES_PER_S_PER_DEVICE]\n"
     "                 [--seconds N] [--data DIR (registered points: their MN/PW, and their\n"
     "                  outlet's limited factors, valued around half the limit)]\n"
     "                 [--bad-crc PCT] [--split] [--sticky] [--exceed] [--stuck]\n"
     "                 [--idle (one frame per device, then hold the connection open)]\n"
     "                 [--history HOURS (first the past hours' 10-minute, hourly and daily data)]\n"
     "                 [--from YYYYMMDDhhmmss (data time of the first frames; default now)]"},
    {"backup", cmd_backup, "online, consistent copy of the database",
     "envgov backup FILE [--data DIR]"},
    {"export-db", cmd_export_db,
     "write every table to one file, read in one snapshot (to move to another database)",
     "envgov export-db FILE [--data DIR]\n"
     "  FILE: JSON Lines, gzip-compressed when it ends in .gz; it must not exist yet. The file\n"
     "  holds password hashes and session keys: keep it as private as the database."},
    {"import-db", cmd_import_db,
     "load an export-db file into a new, empty database (all-or-nothing, counts checked)",
     "envgov import-db FILE [--data DIR] [--db postgresql://...]\n"
     "  The target (DIR/envgov.db, or db = ... in DIR/envgov.ini, or --db) must hold no data\n"
     "  and be at the schema version of the export; stop the server first."},
    {"routes", cmd_routes, "print the HTTP route table (method, path, roles)",
     "envgov routes [--json]"},
    {"version", cmd_version, "print the version", "envgov version"},
};

static int cmd_version(const struct cli *c)
{
    (void)c;
    printf("envgov %s\n", ENVGOV_VERSION);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
            "envgov %s — 生态环境局工作平台 / Ecology and Environment Bureau platform\n\n"
            "usage: envgov COMMAND [options]   (envgov COMMAND --help for details)\n\n",
            ENVGOV_VERSION);
    for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(f, "\nEvery command takes --data DIR (default ./envgov-data). Settings come from\n"
               "defaults, DIR/envgov.ini (or --config FILE), ENVGOV_* variables, then flags.\n");
}

/* Split argv into settings flags, other options and positional arguments. */
static int parse(int argc, char **argv, struct cli *c)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            c->help = true;
            continue;
        }
        if (strncmp(a, "--", 2)) {
            if (c->n_args < CLI_MAX) {
                c->args[c->n_args++] = a;
            }
            continue;
        }
        const char *name = a + 2, *eq = strchr(name, '='), *value;
        char *key;
        if (eq) {
            key = xstrndup(name, (size_t)(eq - name));
            value = eq + 1;
        } else {
            key = xstrdup(name);
            value = (i + 1 < argc && strncmp(argv[i + 1], "--", 2)) ? argv[++i] : "";
        }
        for (char *p = key; *p; p++) {
            *p = *p == '-' ? '_' : *p;
        }
        if (c->n_opts >= CLI_MAX) {
            fprintf(stderr, "envgov: too many options\n");
            return 2;
        }
        c->opt_name[c->n_opts] = key;
        c->opt_value[c->n_opts++] = value;
    }
    return 0;
}

/* The options of each command that are not settings (any command takes --config and every
   setting). A flag that is neither stops the command before it runs: a mistyped --data would
   otherwise act on the default data directory. */
static const struct {
    const char *cmd, *const opts[16];
} OPTIONS[] = {
    {"serve", {"print_config"}},
    {"init", {"admin"}},
    {"demo", {"enterprises", "seed"}},
    {"user", {"username", "role", "display_name", "org_unit", "enterprise", "password"}},
    {"import", {"dry_run"}},
    {"hj212",
     {"target", "wait_ms", "devices", "rate", "seconds", "bad_crc", "split", "sticky", "exceed",
      "stuck", "idle", "from", "history"}},
    {"routes", {"json"}},
};

static bool command_option(const char *cmd, const char *name)
{
    if (!strcmp(name, "config")) {
        return true;
    }
    for (size_t i = 0; i < ARRAY_LEN(OPTIONS); i++) {
        for (size_t k = 0; !strcmp(OPTIONS[i].cmd, cmd) && OPTIONS[i].opts[k]; k++) {
            if (!strcmp(OPTIONS[i].opts[k], name)) {
                return true;
            }
        }
    }
    return false;
}

/* Settings layers: defaults, file, environment, then flags that name a setting. */
static int apply_settings(struct cli *c)
{
    settings_init();
    for (int i = 0; i < c->n_opts; i++) {
        if (!strcmp(c->opt_name[i], "data")) {
            settings_set("data", c->opt_value[i], SRC_FLAG);
        }
    }
    const char *config = cli_opt(c, "config");
    char path[1024];
    snprintf(path, sizeof path, "%s/envgov.ini", settings_get("data"));
    int bad_line = 0;
    if (settings_load_file(config ? config : path, config == NULL, &bad_line)) {
        fprintf(stderr, "envgov: cannot read settings file %s%s%d\n", config ? config : path,
                bad_line ? ": bad line " : "", bad_line);
        return 2;
    }
    const char *bad_env;
    if (settings_load_env(&bad_env)) {
        fprintf(stderr, "envgov: %s needs a non-negative integer\n", bad_env);
        return 2;
    }
    for (int i = 0; i < c->n_opts; i++) {
        int rc = settings_set(c->opt_name[i], c->opt_value[i], SRC_FLAG);
        if (rc == ERR_INPUT) {
            fprintf(stderr, "envgov: --%s needs a non-negative integer\n", c->opt_name[i]);
            return 2;
        }
        if (rc == ERR_NOTFOUND && !command_option(c->cmd, c->opt_name[i])) {
            fprintf(stderr, "envgov %s: unknown option --%s (see envgov %s --help)\n", c->cmd,
                    c->opt_name[i], c->cmd);
            return 2;
        }
    }
    log_set_level(log_level_from_name(settings_get("log_level")));
    return 0;
}

/* Thousands of device connections need more descriptors than the usual soft limit of 1024:
   take the hard limit (the gateway's own cap, hj212_max_connections, still applies). */
static void raise_nofile(void)
{
    struct rlimit r;
    if (!getrlimit(RLIMIT_NOFILE, &r) && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}

int main(int argc, char **argv)
{
    raise_nofile();
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "--version")) {
        return cmd_version(NULL);
    }
    for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
        if (strcmp(argv[1], commands[i].name)) {
            continue;
        }
        struct cli c = {.cmd = commands[i].name};
        if (parse(argc, argv, &c)) {
            return 2;
        }
        if (c.help) {
            printf("%s\n\n%s\n", commands[i].summary, commands[i].usage);
            for (int k = 0; k < c.n_opts; k++) {
                free((char *)c.opt_name[k]);
            }
            return 0;
        }
        int rc = util_init() || apply_settings(&c) ? 2 : commands[i].fn(&c);
        for (int k = 0; k < c.n_opts; k++) {
            free((char *)c.opt_name[k]);
        }
        settings_init(); /* frees the values */
        return rc;
    }
    fprintf(stderr, "envgov: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
