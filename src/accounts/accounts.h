/*
** Accounts: users, roles, org units and the regions they cover, sessions (cookie + CSRF),
** API tokens, login throttling and lockout, password policy, and argon2id hashing on a
** small thread pool so request threads never spend ~100 ms hashing.
*/
#ifndef ENVGOV_ACCOUNTS_ACCOUNTS_H
#define ENVGOV_ACCOUNTS_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"
#include "platform/module.h"

/* Start/stop the hashing threads (hash_threads setting). */
void accounts_start(void);
void accounts_stop(void);
/* The http_hooks.authenticate callback: cookie session or bearer token. */
int accounts_authenticate(struct req *r, struct principal *p);
void accounts_routes(struct router *rt);

/* argon2id hash of password into out (synchronous; for the CLI and the pool). */
int accounts_hash(const char *password, char *out, size_t cap);
/* NULL when the password is acceptable, else a message (Chinese / English). */
const char *accounts_password_problem(const char *password, const char *username);
/* A random password that satisfies the policy (for init, reset-password, demo). */
void accounts_generate_password(char *out, size_t cap);
/* Create a user in its own transaction with an audit row (CLI, demo). */
int accounts_user_create(const char *username, const char *display_name, const char *role,
                         int64_t org_unit_id, int64_t enterprise_id, const char *password,
                         bool must_change, int64_t *id, char *err, size_t errcap);
/* Region-code prefix that covers a GB/T 2260 code: 330000→"33", 330500→"3305". */
void accounts_region_prefix(const char *code, char out[7]);

/* The module's descriptor (src/app/modules.c lists it). */
extern const struct module accounts_module;

#endif
