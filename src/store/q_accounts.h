/*
** Named queries of accounts (src/accounts/, and the user commands of platform/cli.c): users
** and their sign-in state, the per-IP login throttle, sessions, the regions an org unit
** covers, API tokens. SQL in q_accounts.c.
*/
#ifndef ENVGOV_STORE_Q_ACCOUNTS_H
#define ENVGOV_STORE_Q_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

struct user_auth {
    int64_t id;
    char username[65], display_name[101], role[16], status[16];
    char password_hash[128]; /* crypto_pwhash_STRBYTES */
    int64_t org_unit_id, enterprise_id;
    int failed_logins;
    int64_t locked_until;
    bool must_change_password;
};
/* Look a user up by name (ERR_NOTFOUND). */
int store_user_by_name(struct db *db, const char *username, struct user_auth *out);
int store_user_by_id(struct db *db, int64_t id, struct user_auth *out);
/* Per-IP login throttle: failures of ip in window win (0 when none), and one more failure
   (a new window restarts the count; rows of older windows are removed). */
int store_ip_failures(struct db *db, const char *ip, int64_t win, int64_t *failures);
int store_ip_failed(struct db *db, const char *ip, int64_t win);
/* Record a failed login; lock until lock_until when failures reach max. */
int store_user_login_failed(struct db *db, int64_t id, int max_failures, int64_t lock_until,
                            int64_t now);
int store_user_login_ok(struct db *db, int64_t id);
int store_user_set_password(struct db *db, int64_t id, const char *hash, bool must_change);
int store_user_set_status(struct db *db, int64_t id, const char *status);
/* Insert a user; *id gets its id. ERR_CONFLICT when the name exists. */
int store_user_insert(struct db *db, const char *username, const char *display_name,
                      const char *role, int64_t org_unit_id, int64_t enterprise_id,
                      const char *hash, bool must_change, int64_t *id);
int store_user_count(struct db *db, int64_t *n);

struct session_row {
    int64_t user_id, created_at, last_seen;
    char csrf_token[64];
    struct user_auth user;
};
int store_session_insert(struct db *db, const char *id_hash, int64_t user_id, const char *csrf,
                         int64_t now, const char *ip, const char *user_agent);
/* Session joined with its user; ERR_NOTFOUND when unknown. */
int store_session_get(struct db *db, const char *id_hash, struct session_row *out);
int store_session_touch(struct db *db, const char *id_hash, int64_t now);
int store_session_delete(struct db *db, const char *id_hash);
int store_sessions_delete_user(struct db *db, int64_t user_id);
/* Drop sessions idle since before idle_before or created before created_before. */
int store_sessions_expire(struct db *db, int64_t idle_before, int64_t created_before);

/* Region codes an org unit covers; calls fn for each. */
int store_org_unit_regions(struct db *db, int64_t org_unit_id,
                           void (*fn)(const char *code, void *ctx), void *ctx);
/* The id of another org unit (not except_id) whose document-number prefix is prefix, or 0. */
int store_doc_prefix_owner(struct db *db, const char *prefix, int64_t except_id, int64_t *owner);
int store_org_unit_set_regions(struct db *db, int64_t org_unit_id, const char *const *codes,
                               size_t n);

struct token_row {
    int64_t id, user_id, expires_at, last_used; /* unix seconds; last_used 0 = never */
    char role[16];
    bool revoked;
    struct user_auth user;
};
int store_token_insert(struct db *db, const char *name, const char *prefix, const char *hash,
                       const char *role, int64_t user_id, int64_t expires_at, int64_t *id);
int store_token_get(struct db *db, const char *hash, struct token_row *out);
/* Record that token id was used now (unix seconds). */
int store_token_touch(struct db *db, int64_t id, int64_t now);
int store_token_revoke(struct db *db, int64_t id);
int store_token_list(struct db *db, struct buf *out);

/* The kinds of record the accounts module writes to the audit log (store.h struct audit_kind). */
extern const struct audit_kind accounts_audit_kinds[];

#endif
