/*
** Command-line plumbing shared by the subcommands: parsed options (settings flags are applied
** to the settings table; the rest stay here), opening the store for a command, and the
** subcommand entry points that main.c dispatches to.
*/
#ifndef ENVGOV_PLATFORM_CLI_H
#define ENVGOV_PLATFORM_CLI_H

#include <stdbool.h>

#define CLI_MAX 32
struct cli {
    const char *cmd;
    const char *opt_name[CLI_MAX], *opt_value[CLI_MAX];
    int n_opts;
    const char *args[CLI_MAX]; /* positional */
    int n_args;
    bool help;
};

/* Value of --name (not a setting), or NULL; flag options ("--dry-run") give "". */
const char *cli_opt(const struct cli *c, const char *name);
/* Open app.store for the data directory; prints the reason and returns nonzero on failure.
   Without create, a SQLite database that does not exist yet is such a failure. */
int cli_open_store(bool create);
void cli_close_store(void);

int cmd_serve(const struct cli *c);
int cmd_init(const struct cli *c);
int cmd_user(const struct cli *c);
int cmd_backup(const struct cli *c);
int cmd_routes(const struct cli *c);
/* `envgov labels`: every module's labels as JSON (what exports, messages and the UI show). */
int cmd_labels(const struct cli *c);
/* Whole-database copy between backends (platform/dbcopy.c). */
int cmd_export_db(const struct cli *c);
int cmd_import_db(const struct cli *c);

#endif
