/*
** Subcommands that manage a deployment from the shell: init, user, backup, routes; and the
** shared helpers for opening the store from a command.
*/
#include "platform/cli.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/accounts.h"
#include "calendar/calendar.h"
#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"
#include "http/router.h"
#include "platform/app.h"
#include "platform/labels.h"
#include "platform/module.h"
#include "platform/platform.h"
#include "store/q_accounts.h"

struct app app = {.cal_lock = PTHREAD_RWLOCK_INITIALIZER};

const char *cli_opt(const struct cli *c, const char *name)
{
    for (int i = c->n_opts - 1; i >= 0; i--) {
        if (!strcmp(c->opt_name[i], name)) {
            return c->opt_value[i];
        }
    }
    return NULL;
}

int cli_open_store(bool create)
{
    char err[512];
    app.data_dir = settings_get("data");
    /* Only commands that make a database may start one: a mistyped --data must not give a
       backup, an export or a new user to a fresh empty database. (A PostgreSQL database exists
       before envgov connects; its schema is created by whichever command opens it first.) */
    const char *db = settings_get("db");
    if (!create && (!db[0] || !strncmp(db, "sqlite:", 7))) {
        char path[1100];
        if (db[0]) {
            snprintf(path, sizeof path, "%s", db + 7);
        } else {
            snprintf(path, sizeof path, "%s/envgov.db", app.data_dir);
        }
        if (access(path, F_OK)) {
            fprintf(stderr,
                    "envgov: no database at %s (mistyped --data? envgov init or envgov demo "
                    "creates one)\n",
                    path);
            return 1;
        }
    }
    if (mkdir(app.data_dir, 0750) && access(app.data_dir, W_OK)) {
        fprintf(stderr, "envgov: cannot use data directory %s\n", app.data_dir);
        return 1;
    }
    if (store_open(app.data_dir, settings_get("db"), &app.store, err, sizeof err)) {
        fprintf(stderr, "envgov: %s\n", err);
        return 1;
    }
    if (refdata_seed(app.store, err, sizeof err) ||
        refdata_load_calendar(app.store, err, sizeof err) ||
        modules_seed(app.store, err, sizeof err)) {
        fprintf(stderr, "envgov: %s\n", err);
        store_close(app.store);
        app.store = NULL;
        return 1;
    }
    return 0;
}

void cli_close_store(void)
{
    store_close(app.store);
    app.store = NULL;
    if (app.cal) {
        calendar_free(app.cal);
        free(app.cal);
        app.cal = NULL;
    }
}

static int64_t user_count(void)
{
    struct db *db = store_read(app.store);
    int64_t n = 0;
    store_user_count(db, &n);
    store_release(app.store, db);
    return n;
}

int cmd_init(const struct cli *c)
{
    if (cli_open_store(true)) {
        return 1;
    }
    if (user_count() > 0) {
        fprintf(stderr, "envgov: %s already holds a database with users; nothing to do\n",
                settings_get("data"));
        cli_close_store();
        return 1;
    }
    const char *name = cli_opt(c, "admin");
    char pw[32], err[256];
    accounts_generate_password(pw, sizeof pw);
    int64_t id;
    int rc = accounts_user_create(name && *name ? name : "admin", "系统管理员", "admin", 0, 0, pw,
                                  true, &id, err, sizeof err);
    if (rc) {
        fprintf(stderr, "envgov: %s\n", err);
    } else {
        printf("Created database in %s\n", settings_get("data"));
        printf("Administrator: %s\nPassword (shown once, change it at first login): %s\n",
               name && *name ? name : "admin", pw);
    }
    cli_close_store();
    return rc ? 1 : 0;
}

static int user_find(const char *name, struct user_auth *u)
{
    struct db *db = store_read(app.store);
    int rc = store_user_by_name(db, name, u);
    store_release(app.store, db);
    if (rc) {
        fprintf(stderr, "envgov: no user named '%s'\n", name);
    }
    return rc;
}

/* Apply one write to user u with an audit row by the CLI actor. */
static int user_write(const struct user_auth *u, const char *action, const char *status,
                      const char *hash)
{
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return rc;
    }
    struct buf before, after; /* the row as the API shows it: no password hash */
    buf_init(&before, 0);
    buf_init(&after, 0);
    rc = store_entity_get(db, &ENTITY_USER, NULL, u->id, &before);
    if (!rc && status) {
        rc = store_user_set_status(db, u->id, status);
        if (!rc && strcmp(status, "active")) {
            rc = store_sessions_delete_user(db, u->id);
        }
    }
    if (!rc && hash) {
        rc = store_user_set_password(db, u->id, hash, true);
        if (!rc) {
            rc = store_sessions_delete_user(db, u->id);
        }
    }
    if (!rc) {
        rc = store_entity_get(db, &ENTITY_USER, NULL, u->id, &after);
    }
    struct audit_entry a = {0, "cli", "user", u->id, action, before.p, after.p, "", ""};
    if (!rc) {
        rc = store_audit_add(db, &a);
    }
    buf_release(&before);
    buf_release(&after);
    if (rc) {
        store_rollback(app.store, db);
        return rc;
    }
    return store_commit(app.store, db);
}

static int user_list(void)
{
    struct db *db = store_read(app.store);
    struct buf out;
    buf_init(&out, 0);
    struct list_query q = {.limit = 10000};
    int rc = store_entity_list(db, &ENTITY_USER, NULL, &q, &out);
    store_release(app.store, db);
    if (!rc) {
        printf("%s\n", out.p);
    }
    buf_release(&out);
    return rc;
}

static int user_add(const struct cli *c)
{
    const char *name = cli_opt(c, "username"), *role = cli_opt(c, "role");
    if (!name || !*name || !role || !http_role_bit(role)) {
        fprintf(stderr, "envgov user add: --username and --role (admin, leader, approver, "
                        "inspector, legal, monitor, service, enterprise) are required\n");
        return 2;
    }
    const char *given = cli_opt(c, "password"), *display = cli_opt(c, "display_name");
    const char *org = cli_opt(c, "org_unit"), *ent = cli_opt(c, "enterprise");
    int64_t org_id = 0, ent_id = 0;
    if ((org && parse_i64(org, strlen(org), &org_id)) ||
        (ent && parse_i64(ent, strlen(ent), &ent_id))) {
        fprintf(stderr, "envgov user add: --org-unit and --enterprise take numeric ids\n");
        return 2;
    }
    char pw[300], err[256];
    if (given) {
        snprintf(pw, sizeof pw, "%s", given);
    } else {
        accounts_generate_password(pw, sizeof pw);
    }
    int64_t id;
    if (accounts_user_create(name, display && *display ? display : name, role, org_id, ent_id, pw,
                             !given, &id, err, sizeof err)) {
        fprintf(stderr, "envgov user add: %s\n", err);
        return 1;
    }
    printf("user %s (id %lld, %s) created%s%s\n", name, (long long)id, role,
           given ? "" : "; one-time password: ", given ? "" : pw);
    return 0;
}

int cmd_user(const struct cli *c)
{
    if (c->n_args < 1) {
        fprintf(stderr, "envgov user: add | list | disable NAME | enable NAME | "
                        "reset-password NAME\n");
        return 2;
    }
    if (cli_open_store(false)) {
        return 1;
    }
    const char *sub = c->args[0];
    struct user_auth u;
    int rc = 0;
    if (!strcmp(sub, "add")) {
        rc = user_add(c);
    } else if (!strcmp(sub, "list")) {
        rc = user_list() ? 1 : 0;
    } else if (c->n_args < 2) {
        fprintf(stderr, "envgov user %s: which user?\n", sub);
        rc = 2;
    } else if (user_find(c->args[1], &u)) {
        rc = 1;
    } else if (!strcmp(sub, "disable") || !strcmp(sub, "enable")) {
        bool off = !strcmp(sub, "disable");
        rc = user_write(&u, off ? "disable" : "enable", off ? "inactive" : "active", NULL) ? 1 : 0;
        printf(rc ? "failed\n" : "user %s %s\n", u.username, off ? "disabled" : "enabled");
    } else if (!strcmp(sub, "reset-password")) {
        char pw[32], hash[160];
        accounts_generate_password(pw, sizeof pw);
        rc = accounts_hash(pw, hash, sizeof hash) || user_write(&u, "reset_password", NULL, hash);
        printf(rc ? "failed\n" : "one-time password for %s: %s\n", u.username, pw);
    } else {
        fprintf(stderr, "envgov user: unknown action '%s'\n", sub);
        rc = 2;
    }
    cli_close_store();
    return rc;
}

int cmd_backup(const struct cli *c)
{
    if (c->n_args < 1) {
        fprintf(stderr, "envgov backup FILE\n");
        return 2;
    }
    if (access(c->args[0], F_OK) == 0) {
        fprintf(stderr, "envgov backup: %s exists; choose a new file name\n", c->args[0]);
        return 1;
    }
    if (cli_open_store(false)) {
        return 1;
    }
    char err[256];
    int rc = store_backup(app.store, c->args[0], err, sizeof err);
    if (rc) {
        fprintf(stderr, "envgov backup: %s\n", err);
    } else {
        printf("backup written to %s\n", c->args[0]);
    }
    cli_close_store();
    return rc ? 1 : 0;
}

/* Every route, module by module (the module that declares it is part of the JSON, which
   tests/e2e/openapi.test.mjs compares with each operation's x-module). */
int cmd_routes(const struct cli *c)
{
    bool json = cli_opt(c, "json") != NULL;
    if (json) {
        printf("[");
    }
    bool first = true;
    for (size_t m = 0; m < app_n_modules; m++) {
        if (!app_modules[m]->routes) {
            continue;
        }
        struct router *rt = router_new();
        app_modules[m]->routes(rt);
        for (size_t i = 0; i < router_count(rt); i++) {
            const struct route *r = router_get(rt, i);
            if (json) {
                char roles[256] = "";
                size_t at = 0;
                for (unsigned bit = 1; !(r->flags & RF_PUBLIC) && bit && bit <= ROLE_BANK;
                     bit <<= 1) {
                    const char *name = (r->roles & bit) ? http_role_name(bit) : NULL;
                    if (name && at + strlen(name) + 4 < sizeof roles) {
                        at += (size_t)snprintf(roles + at, sizeof roles - at, "%s\"%s\"",
                                               at ? "," : "", name);
                    }
                }
                printf("%s{\"method\":\"%s\",\"path\":\"%s\",\"public\":%s,\"module\":\"%s\","
                       "\"roles\":[%s],\"summary\":\"%s\"}",
                       first ? "" : ",", r->method, r->pattern,
                       (r->flags & RF_PUBLIC) ? "true" : "false", app_modules[m]->name, roles,
                       r->summary);
            } else {
                printf("%-6s %-45s %-9s %s\n", r->method, r->pattern, app_modules[m]->name,
                       r->summary);
            }
            first = false;
        }
        router_free(rt);
    }
    if (json) {
        printf("]\n");
    }
    return 0;
}

int cmd_labels(const struct cli *c)
{
    (void)c;
    const char *problems = labels_problems();
    if (problems) {
        fprintf(stderr, "envgov: labels: %s", problems);
        return 1;
    }
    struct buf b;
    buf_init(&b, 1 << 22);
    labels_json(&b);
    /* The modules' record kinds beside the labels, so a test can hold them together. */
    b.len--; /* the closing brace */
    buf_puts(&b, ",\"records\":[");
    size_t n = 0;
    for (size_t i = 0; i < app_n_modules; i++) {
        const struct module *m = app_modules[i];
        for (const struct audit_kind *k = m->audit_kinds; k && k->entity; k++) {
            buf_printf(&b,
                       "%s{\"entity\":\"%s\",\"module\":\"%s\",\"named\":%s,\"history\":%s,"
                       "\"attachments\":%s}",
                       n++ ? "," : "", k->entity, m->name, k->name_sql ? "true" : "false",
                       k->history_sql ? "true" : "false",
                       modules_attachable(k->entity) ? "true" : "false");
        }
    }
    buf_puts(&b, "]}");
    printf("%s\n", b.p);
    buf_release(&b);
    return 0;
}
