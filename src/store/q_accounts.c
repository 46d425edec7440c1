/*
** Named queries of the accounts module: users, sessions, org-unit regions and API tokens.
*/
#include "store/q_accounts.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"

#define USER_COLS                                                                                  \
    "u.id, u.username, u.display_name, u.role, u.status, u.password_hash,"                         \
    " COALESCE(u.org_unit_id, 0), COALESCE(u.enterprise_id, 0), u.failed_logins,"                  \
    " u.locked_until, u.must_change_password"

/* Read USER_COLS starting at column k. */
static void read_user(struct db_stmt *st, int k, struct user_auth *u)
{
    memset(u, 0, sizeof *u);
    u->id = db_column_int(st, k);
    db_column_copy(st, k + 1, u->username, sizeof u->username);
    db_column_copy(st, k + 2, u->display_name, sizeof u->display_name);
    db_column_copy(st, k + 3, u->role, sizeof u->role);
    db_column_copy(st, k + 4, u->status, sizeof u->status);
    db_column_copy(st, k + 5, u->password_hash, sizeof u->password_hash);
    u->org_unit_id = db_column_int(st, k + 6);
    u->enterprise_id = db_column_int(st, k + 7);
    u->failed_logins = (int)db_column_int(st, k + 8);
    u->locked_until = db_column_int(st, k + 9);
    u->must_change_password = db_column_int(st, k + 10) != 0;
}

/* Step a prepared one-row statement; fill via fn; ERR_NOTFOUND when no row. */
static int one_row(struct db_stmt *st, void (*fn)(struct db_stmt *, void *), void *out)
{
    int s = db_step(st);
    int rc = s == DB_ROW ? 0 : (s < 0 ? s : ERR_NOTFOUND);
    if (s == DB_ROW) {
        fn(st, out);
    }
    db_done(st);
    return rc;
}

static void fill_user(struct db_stmt *st, void *out)
{
    read_user(st, 0, out);
}

int store_user_by_name(struct db *db, const char *username, struct user_auth *out)
{
    struct db_stmt *st;
    int rc = db_prepare(db, "SELECT " USER_COLS " FROM users u WHERE u.username = ?1", &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, username, (size_t)-1);
    return one_row(st, fill_user, out);
}

int store_user_by_id(struct db *db, int64_t id, struct user_auth *out)
{
    struct db_stmt *st;
    int rc = db_prepare(db, "SELECT " USER_COLS " FROM users u WHERE u.id = ?1", &st);
    if (rc) {
        return rc;
    }
    db_bind_int(st, 1, id);
    return one_row(st, fill_user, out);
}

/* Run a write statement with up to 3 integer/text params (NULL text = skip). */
static int exec_ints(struct db *db, const char *sql, int n, const int64_t *ints)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st);
    if (rc) {
        return rc;
    }
    for (int i = 0; i < n; i++) {
        db_bind_int(st, i + 1, ints[i]);
    }
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : 0;
}

int store_ip_failures(struct db *db, const char *ip, int64_t win, int64_t *failures)
{
    struct db_stmt *st;
    *failures = 0; /* also when the query fails */
    int rc = db_queryf(db, &st, "SELECT failures FROM login_throttle WHERE ip = ?1 AND win = ?2",
                       "ti", ip, win);
    return rc ? rc : db_step_id(st, failures);
}

int store_ip_failed(struct db *db, const char *ip, int64_t win)
{
    int rc = db_runf(db,
                     "INSERT INTO login_throttle (ip, win, failures) VALUES (?1, ?2, 1) ON"
                     " CONFLICT (ip) DO UPDATE SET failures = CASE WHEN login_throttle.win ="
                     " excluded.win THEN login_throttle.failures + 1 ELSE 1 END, win ="
                     " excluded.win",
                     "ti", ip, win);
    return rc ? rc : db_runf(db, "DELETE FROM login_throttle WHERE win < ?1", "i", win - 1);
}

int store_user_login_failed(struct db *db, int64_t id, int max_failures, int64_t lock_until,
                            int64_t now)
{
    /* A lock that has run out starts a fresh count, so one more mistake does not re-lock. */
    int64_t p[4] = {id, max_failures, lock_until, now};
    return exec_ints(db,
                     "UPDATE users SET failed_logins = CASE WHEN locked_until > 0 AND"
                     " locked_until <= ?4 THEN 1 ELSE failed_logins + 1 END, locked_until = CASE"
                     " WHEN (CASE WHEN locked_until > 0 AND locked_until <= ?4 THEN 1 ELSE"
                     " failed_logins + 1 END) >= ?2 THEN ?3 WHEN locked_until <= ?4 THEN 0 ELSE"
                     " locked_until END WHERE id = ?1",
                     4, p);
}

int store_user_login_ok(struct db *db, int64_t id)
{
    return exec_ints(db, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?1", 1,
                     &id);
}

int store_user_set_password(struct db *db, int64_t id, const char *hash, bool must_change)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "UPDATE users SET password_hash = ?2, must_change_password = ?3,"
                        " password_changed_at = ?4, updated_at = ?4, failed_logins = 0,"
                        " locked_until = 0 WHERE id = ?1",
                        &st);
    if (rc) {
        return rc;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, hash, (size_t)-1);
    db_bind_int(st, 3, must_change);
    db_bind_text(st, 4, now, (size_t)-1);
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : (db_changes(db) ? 0 : ERR_NOTFOUND);
}

int store_user_set_status(struct db *db, int64_t id, const char *status)
{
    struct db_stmt *st;
    int rc = db_prepare(db, "UPDATE users SET status = ?2, updated_at = ?3 WHERE id = ?1", &st);
    if (rc) {
        return rc;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, status, (size_t)-1);
    db_bind_text(st, 3, now, (size_t)-1);
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : (db_changes(db) ? 0 : ERR_NOTFOUND);
}

int store_user_insert(struct db *db, const char *username, const char *display_name,
                      const char *role, int64_t org_unit_id, int64_t enterprise_id,
                      const char *hash, bool must_change, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO users (username, display_name, role, org_unit_id,"
                        " enterprise_id, password_hash, must_change_password,"
                        " password_changed_at, created_at, updated_at)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?8) RETURNING id",
                        &st);
    if (rc) {
        return rc;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    db_bind_text(st, 1, username, (size_t)-1);
    db_bind_text(st, 2, display_name, (size_t)-1);
    db_bind_text(st, 3, role, (size_t)-1);
    if (org_unit_id > 0) {
        db_bind_int(st, 4, org_unit_id);
    }
    if (enterprise_id > 0) {
        db_bind_int(st, 5, enterprise_id);
    }
    db_bind_text(st, 6, hash, (size_t)-1);
    db_bind_int(st, 7, must_change);
    db_bind_text(st, 8, now, (size_t)-1);
    int s = db_step(st);
    if (s == DB_ROW) {
        *id = db_column_int(st, 0);
    }
    db_done(st);
    return s == DB_ROW ? 0 : (s < 0 ? s : ERR_DB);
}

int store_user_count(struct db *db, int64_t *n)
{
    struct db_stmt *st;
    int rc = db_prepare(db, "SELECT COUNT(*) FROM users", &st);
    if (rc) {
        return rc;
    }
    if (db_step(st) == DB_ROW) {
        *n = db_column_int(st, 0);
    }
    db_done(st);
    return 0;
}

int store_session_insert(struct db *db, const char *id_hash, int64_t user_id, const char *csrf,
                         int64_t now, const char *ip, const char *user_agent)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at,"
                        " last_seen, ip, user_agent) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, id_hash, (size_t)-1);
    db_bind_int(st, 2, user_id);
    db_bind_text(st, 3, csrf, (size_t)-1);
    db_bind_int(st, 4, now);
    db_bind_text(st, 5, ip ? ip : "", (size_t)-1);
    db_bind_text(st, 6, user_agent ? user_agent : "",
                 user_agent && strlen(user_agent) > 300 ? 300 : (size_t)-1);
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : 0;
}

static void fill_session(struct db_stmt *st, void *out)
{
    struct session_row *s = out;
    s->user_id = db_column_int(st, 0);
    db_column_copy(st, 1, s->csrf_token, sizeof s->csrf_token);
    s->created_at = db_column_int(st, 2);
    s->last_seen = db_column_int(st, 3);
    read_user(st, 4, &s->user);
}

int store_session_get(struct db *db, const char *id_hash, struct session_row *out)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen, " USER_COLS
                        " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?1",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, id_hash, (size_t)-1);
    return one_row(st, fill_session, out);
}

static int exec_text_int(struct db *db, const char *sql, const char *t, int64_t i)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, t, (size_t)-1);
    db_bind_int(st, 2, i);
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : 0;
}

int store_session_touch(struct db *db, const char *id_hash, int64_t now)
{
    return exec_text_int(db, "UPDATE sessions SET last_seen = ?2 WHERE id_hash = ?1", id_hash, now);
}

int store_session_delete(struct db *db, const char *id_hash)
{
    return exec_text_int(db, "DELETE FROM sessions WHERE id_hash = ?1 AND ?2 = ?2", id_hash, 0);
}

int store_sessions_delete_user(struct db *db, int64_t user_id)
{
    return exec_ints(db, "DELETE FROM sessions WHERE user_id = ?1", 1, &user_id);
}

int store_sessions_expire(struct db *db, int64_t idle_before, int64_t created_before)
{
    int64_t p[2] = {idle_before, created_before};
    return exec_ints(db, "DELETE FROM sessions WHERE last_seen < ?1 OR created_at < ?2", 2, p);
}

int store_org_unit_regions(struct db *db, int64_t org_unit_id,
                           void (*fn)(const char *code, void *ctx), void *ctx)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "SELECT region_code FROM org_unit_regions WHERE org_unit_id = ?1"
                        " ORDER BY region_code",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_int(st, 1, org_unit_id);
    int s;
    while ((s = db_step(st)) == DB_ROW) {
        fn(db_column_text(st, 0, NULL), ctx);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

int store_doc_prefix_owner(struct db *db, const char *prefix, int64_t except_id, int64_t *owner)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id FROM org_units WHERE doc_prefix = ?1 AND id <> ?2 ORDER BY id"
                       " LIMIT 1",
                       "ti", prefix, except_id);
    *owner = 0;
    return rc ? rc : db_step_id(st, owner);
}

int store_org_unit_set_regions(struct db *db, int64_t org_unit_id, const char *const *codes,
                               size_t n)
{
    int rc = exec_ints(db, "DELETE FROM org_unit_regions WHERE org_unit_id = ?1", 1, &org_unit_id);
    for (size_t i = 0; !rc && i < n; i++) {
        struct db_stmt *st;
        rc = db_prepare(
            db, "INSERT INTO org_unit_regions (org_unit_id, region_code) VALUES (?1, ?2)", &st);
        if (rc) {
            break;
        }
        db_bind_int(st, 1, org_unit_id);
        db_bind_text(st, 2, codes[i], (size_t)-1);
        int s = db_step(st);
        db_done(st);
        rc = s < 0 ? s : 0;
    }
    return rc;
}

int store_token_insert(struct db *db, const char *name, const char *prefix, const char *hash,
                       const char *role, int64_t user_id, int64_t expires_at, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO api_tokens (name, prefix, token_hash, role, user_id,"
                        " created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                        &st);
    if (rc) {
        return rc;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    db_bind_text(st, 1, name, (size_t)-1);
    db_bind_text(st, 2, prefix, (size_t)-1);
    db_bind_text(st, 3, hash, (size_t)-1);
    db_bind_text(st, 4, role, (size_t)-1);
    db_bind_int(st, 5, user_id);
    db_bind_text(st, 6, now, (size_t)-1);
    db_bind_int(st, 7, expires_at);
    int s = db_step(st);
    if (s == DB_ROW) {
        *id = db_column_int(st, 0);
    }
    db_done(st);
    return s == DB_ROW ? 0 : (s < 0 ? s : ERR_DB);
}

static void fill_token(struct db_stmt *st, void *out)
{
    struct token_row *t = out;
    t->id = db_column_int(st, 0);
    t->user_id = db_column_int(st, 1);
    db_column_copy(st, 2, t->role, sizeof t->role);
    t->revoked = db_column_type(st, 3) != DB_NULL;
    t->expires_at = db_column_int(st, 4);
    t->last_used = db_column_int(st, 5);
    read_user(st, 6, &t->user);
}

int store_token_get(struct db *db, const char *hash, struct token_row *out)
{
    struct db_stmt *st;
    int rc = db_prepare(
        db,
        "SELECT t.id, t.user_id, t.role, t.revoked_at, t.expires_at, t.last_used, " USER_COLS
        " FROM api_tokens t JOIN users u ON u.id = t.user_id"
        " WHERE t.token_hash = ?1",
        &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, hash, (size_t)-1);
    return one_row(st, fill_token, out);
}

int store_token_touch(struct db *db, int64_t id, int64_t now)
{
    const int64_t p[] = {id, now};
    return exec_ints(db, "UPDATE api_tokens SET last_used = ?2 WHERE id = ?1", 2, p);
}

int store_token_revoke(struct db *db, int64_t id)
{
    struct db_stmt *st;
    int rc = db_prepare(
        db, "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL", &st);
    if (rc) {
        return rc;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, now, (size_t)-1);
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : (db_changes(db) ? 0 : ERR_NOTFOUND);
}

int store_token_list(struct db *db, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "SELECT t.id, t.name, t.prefix, t.role, t.user_id, u.username,"
                        " t.created_at, t.expires_at, t.last_used, t.revoked_at"
                        " FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id DESC",
                        &st);
    if (rc) {
        return rc;
    }
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, 0, out, NULL);
    buf_puts(out, "}");
    db_done(st);
    return rc;
}

/* The kinds of record the accounts module writes to the audit log (store.h struct audit_kind). */
const struct audit_kind accounts_audit_kinds[] = {
    {"user", "(SELECT display_name || ' (' || username || ')' FROM users WHERE id = ?5)", NULL},
    {"session", "(SELECT display_name || ' (' || username || ')' FROM users WHERE id = ?5)", NULL},
    {"org_unit", "(SELECT name FROM org_units WHERE id = ?5)", NULL},
    {"api_token", "(SELECT name FROM api_tokens WHERE id = ?5)", NULL},
    {0},
};
