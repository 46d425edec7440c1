/*
** Module descriptors. Each capability (registry, monitor, accounts …) describes itself in one
** const struct module defined in its own folder: its routes, settings, command-line commands,
** what it starts and stops inside `envgov serve`, its /metrics lines and its idempotent seed.
** One composition root, src/app/modules.c, lists the modules once (app_modules); serve, routes,
** metrics, the CLI dispatch, the settings table and store opening loop over that list, so
** platform/ and core/ name no module (scripts/lint checks it). Adding a module touches its
** folder, one line of src/app/modules.c and its migrations. See docs/internals/modules.md.
*/
#ifndef ENVGOV_PLATFORM_MODULE_H
#define ENVGOV_PLATFORM_MODULE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/settings.h"

struct cli;
struct job_def;
struct router;
struct store;
struct todo_source;
struct entity_def;
struct req;
struct db;
struct audit_kind;

/* A subcommand: `envgov NAME ...`. opts lists the options that are not settings (every command
   takes --data, --config and every setting), NULL-terminated; any other flag stops the command
   before it runs. */
struct module_command {
    const char *name;
    int (*fn)(const struct cli *c);
    const char *summary;
    const char *usage;
    const char *const *opts;
};

struct module {
    const char *name; /* "monitor": lower case, the folder's name */
    /* Add the module's routes (router_add of its tables); NULL for none. */
    void (*routes)(struct router *rt);
    const struct setting_def *settings;
    size_t n_settings;
    const struct module_command *commands;
    size_t n_commands;
    /* In `envgov serve`, after the store opened and before HTTP listens, in list order; stop
       runs in reverse order after HTTP stopped, only for modules whose start succeeded. start
       returns 0, or nonzero with the reason in err. Either may be NULL. */
    int (*start)(char *err, size_t errcap);
    void (*stop)(void);
    /* Append Prometheus text for /metrics; may be NULL. Called from HTTP threads. */
    void (*metrics)(struct buf *out);
    /* Each time a command opens the store (after migrations and the code tables): load what the
       module ships (defaults) when it is missing. Idempotent; may be NULL. */
    int (*seed)(struct store *s, char *err, size_t errcap);
    /* The tables seed fills in a new database (NULL-terminated; may be NULL): `envgov
       import-db` finds them filled in its new target and replaces their rows with the file's. */
    const char *const *seeded_tables;
    /* Periodic jobs of the module (jobs/jobs.h): run by the scheduler of `envgov serve`
       exactly once across processes, or by `envgov job run NAME`; NULL / 0 for none. The
       scheduler (src/jobs/) loops over every module's jobs. See docs/internals/jobs.md. */
    const struct job_def *jobs;
    size_t n_jobs;
    /* Sources of the to-do list (待办): items of this module waiting on a user (struct
       todo_source in cases/cases.h; the cases module's todo.c loops over every module's).
       NULL / 0 for none. */
    const struct todo_source *todo_sources;
    size_t n_todo_sources;
    /* The kinds of record the module writes to the audit log, with their names and whether
       they show in an enterprise's change history (store/store.h struct audit_kind; the list
       is in the module's store queries and ends with a zero row). NULL for none. */
    const struct audit_kind *audit_kinds;
    /* The module's figures on the 工作台 (GET /api/v1/dashboard) for r's principal, within their
       scope: members appended to the answer's object, each after a comma (",\"alarms\":{…}").
       0, or an ERR_* code. NULL for none. The web side's cards and panels are its module.js
       dashboard entry. */
    int (*dashboard)(struct req *r, struct db *db, struct buf *out);
    /* `envgov demo`: add the module's demo data in the demo's transaction db, after the
       registry's enterprises, users and agencies (today: the China date). Append what it made to
       summary (", 5 on the positive list"). 0, or an ERR_* code that rolls the demo back. NULL
       for none. */
    int (*demo)(struct db *db, const char *today, struct buf *summary);
    /* The entities that take attachments (POST /api/v1/attachments, entity = the def's name;
       its enterprise_col finds the owner, for scoping), NULL-terminated; NULL for none. */
    const struct entity_def *const *attachables;
};

/* The application's modules, in dependency order (src/app/modules.c). */
extern const struct module *const app_modules[];
extern const size_t app_n_modules;

/* Register every module's settings rows and audit kinds (once, before settings are loaded). */
void modules_register(void);
/* Every module's demo hook, in list order (`envgov demo`, inside its transaction). */
int modules_demo(struct db *db, const char *today, struct buf *summary);
/* The entity of that name that takes attachments in some module, or NULL. */
const struct entity_def *modules_attachable(const char *entity);
/* Find the command NAME in any module; NULL when none has it. */
const struct module_command *modules_command(const char *name);
/* Every module's routes into rt. */
void modules_routes(struct router *rt);
/* Start the modules in order; on failure stop those started and return nonzero (err set). */
int modules_start(char *err, size_t errcap);
/* Stop the started modules in reverse order. */
void modules_stop(void);
/* Every module's /metrics lines. */
void modules_metrics(struct buf *out);
/* Every module's seed, in order. */
int modules_seed(struct store *s, char *err, size_t errcap);
/* Whether some module's seed fills table (its seeded_tables). */
bool modules_table_seeded(const char *table);

#endif
