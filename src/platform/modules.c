/*
** The loops over the application's modules (platform/module.h): settings and records, command
** lookup, routes, start and stop inside `envgov serve`, /metrics and seeding. The list itself is
** src/app/modules.c; nothing here names a module.
*/
#include <string.h>

#include "core/util.h"
#include "http/http.h"
#include "platform/module.h"
#include "store/store.h"

void modules_register(void)
{
    static bool done;
    if (done) {
        return;
    }
    done = true;
    static const struct audit_kind *kinds[256];
    size_t n = 0;
    for (size_t i = 0; i < app_n_modules; i++) {
        const struct module *m = app_modules[i];
        settings_register(m->settings, m->n_settings);
        for (const struct audit_kind *k = m->audit_kinds; k && k->entity; k++) {
            if (n < ARRAY_LEN(kinds)) {
                kinds[n++] = k;
            }
        }
    }
    store_audit_kinds(kinds, n);
}

int modules_demo(struct db *db, const char *today, struct buf *summary)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < app_n_modules; i++) {
        if (app_modules[i]->demo) {
            rc = app_modules[i]->demo(db, today, summary);
        }
    }
    return rc;
}

const struct entity_def *modules_attachable(const char *entity)
{
    for (size_t i = 0; entity && i < app_n_modules; i++) {
        for (const struct entity_def *const *d = app_modules[i]->attachables; d && *d; d++) {
            if (!strcmp((*d)->name, entity)) {
                return *d;
            }
        }
    }
    return NULL;
}

const struct module_command *modules_command(const char *name)
{
    for (size_t i = 0; i < app_n_modules; i++) {
        const struct module *m = app_modules[i];
        for (size_t k = 0; k < m->n_commands; k++) {
            if (!strcmp(m->commands[k].name, name)) {
                return &m->commands[k];
            }
        }
    }
    return NULL;
}

void modules_routes(struct router *rt)
{
    for (size_t i = 0; i < app_n_modules; i++) {
        if (app_modules[i]->routes) {
            app_modules[i]->routes(rt);
        }
    }
}

/* How many modules, in list order, have started (serve runs one start/stop cycle). */
static size_t n_started;

int modules_start(char *err, size_t errcap)
{
    for (n_started = 0; n_started < app_n_modules; n_started++) {
        const struct module *m = app_modules[n_started];
        if (m->start && m->start(err, errcap)) {
            modules_stop();
            return 1;
        }
    }
    return 0;
}

void modules_stop(void)
{
    while (n_started > 0) {
        const struct module *m = app_modules[--n_started];
        if (m->stop) {
            m->stop();
        }
    }
}

void modules_metrics(struct buf *out)
{
    for (size_t i = 0; i < app_n_modules; i++) {
        if (app_modules[i]->metrics) {
            app_modules[i]->metrics(out);
        }
    }
}

int modules_seed(struct store *s, char *err, size_t errcap)
{
    for (size_t i = 0; i < app_n_modules; i++) {
        if (app_modules[i]->seed && app_modules[i]->seed(s, err, errcap)) {
            return 1;
        }
    }
    return 0;
}

bool modules_table_seeded(const char *table)
{
    for (size_t i = 0; i < app_n_modules; i++) {
        for (const char *const *t = app_modules[i]->seeded_tables; t && *t; t++) {
            if (!strcmp(*t, table)) {
                return true;
            }
        }
    }
    return false;
}
