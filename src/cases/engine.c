/*
** The transition engine's pure half: the registry of case types (const tables registered at
** start) and the check of one transition against its type's table. Nothing here touches the
** database; cases.c writes what the check allows.
*/
#include <assert.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "core/err.h"
#include "http/http.h"

#define MAX_TYPES 32

static const struct case_type *types[MAX_TYPES];
static size_t n_types;

void cases_type_register(const struct case_type *t)
{
    for (size_t i = 0; i < n_types; i++) {
        if (!strcmp(types[i]->name, t->name)) {
            types[i] = t;
            return;
        }
    }
    assert(n_types < MAX_TYPES);
    types[n_types++] = t;
}

/* The case types this module ships, registered once before the first lookup. */
static void builtin_types(void)
{
    cases_alarm_register();
}

const struct case_type *cases_type_find(const char *name)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, builtin_types);
    for (size_t i = 0; name && i < n_types; i++) {
        if (!strcmp(types[i]->name, name)) {
            return types[i];
        }
    }
    return NULL;
}

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list && list[i]; i++) {
        if (!strcmp(list[i], s)) {
            return true;
        }
    }
    return false;
}

bool cases_state_final(const struct case_type *t, const char *state)
{
    return in_list(t->final, state);
}

unsigned cases_state_roles(const struct case_type *t, const char *state)
{
    unsigned roles = 0;
    for (size_t i = 0; i < t->n_transitions; i++) {
        if (!strcmp(t->transitions[i].from, state)) {
            roles |= t->transitions[i].roles & ~CASE_ROLE_SYSTEM;
        }
    }
    return roles;
}

static int refuse(int rc, char *why, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int refuse(int rc, char *why, size_t cap, const char *fmt, ...)
{
    if (why && cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, cap, fmt, ap);
        va_end(ap);
    }
    return rc;
}

/* The first required field of tr missing from present, or NULL. */
static const char *missing_field(const struct case_transition *tr, const char *const *present,
                                 size_t n_present)
{
    for (size_t i = 0; tr->required && tr->required[i]; i++) {
        bool found = false;
        for (size_t j = 0; j < n_present && !found; j++) {
            found = !strcmp(present[j], tr->required[i]);
        }
        if (!found) {
            return tr->required[i];
        }
    }
    return NULL;
}

int case_check(const struct case_type *t, const char *state, const char *action, unsigned role,
               const char *const *present, size_t n_present, const struct case_transition **out,
               const char **field, char *why, size_t cap)
{
    const struct case_transition *named = NULL;
    *out = NULL;
    if (field) {
        *field = "action";
    }
    for (size_t i = 0; i < t->n_transitions; i++) {
        const struct case_transition *tr = &t->transitions[i];
        if (strcmp(tr->action, action)) {
            continue;
        }
        named = named ? named : tr;
        if (strcmp(tr->from, state)) {
            continue;
        }
        if (!(tr->roles & role)) {
            return refuse(ERR_FORBIDDEN, why, cap,
                          "您的角色不能在“%s”状态下执行“%s” / your role may not %s a case in "
                          "state %s",
                          state, tr->label_zh, action, state);
        }
        const char *miss = missing_field(tr, present, n_present);
        if (miss) {
            if (field) {
                *field = miss;
            }
            return refuse(ERR_INPUT, why, cap, "“%s”需要填写 %s / %s needs the field %s",
                          tr->label_zh, miss, action, miss);
        }
        *out = tr;
        return 0;
    }
    if (!named) {
        return refuse(ERR_INPUT, why, cap, "%s 没有“%s”这一操作 / a %s case has no action %s",
                      t->label_zh, action, t->name, action);
    }
    return refuse(ERR_CONFLICT, why, cap,
                  "“%s”状态下不能“%s” / a case in state %s cannot take the action %s", state,
                  named->label_zh, state, action);
}
