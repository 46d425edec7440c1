/*
** Authentication: cookie sessions and bearer tokens per request, login (asynchronous
** argon2id verify), logout, own password change, login throttling per IP and lockout per
** user, and the password policy.
*/
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/hashpool.h"
#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "store/q_accounts.h"

#define COOKIE "envgov_session"
#define IP_WINDOW_S 300
#define IP_MAX_FAILURES 30

static char dummy_hash[crypto_pwhash_STRBYTES];

/* ---- per-IP login throttle: failed attempts in fixed windows, counted in the database so
   every envgov process sharing it applies one limit. Only failures count: a whole bureau
   behind one NAT address logs in every morning. ---- */

static bool ip_allow(const char *ip)
{
    int64_t failures = 0;
    struct db *db = store_read(app.store);
    store_ip_failures(db, ip, wall_ms() / 1000 / IP_WINDOW_S, &failures);
    store_release(app.store, db);
    return failures < IP_MAX_FAILURES;
}

/* ---- passwords ---- */

int accounts_hash(const char *password, char *out, size_t cap)
{
    if (cap < crypto_pwhash_STRBYTES) {
        return ERR_INPUT;
    }
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE)
               ? ERR_UNSUPPORTED
               : 0;
}

const char *accounts_password_problem(const char *password, const char *username)
{
    static const char *common[] = {"password",   "12345678", "123456789", "1234567890",
                                   "qwertyuiop", "admin123", "envgov",    "11111111"};
    size_t n = strlen(password);
    if (n < (size_t)settings_int("password_min_len")) {
        return "密码太短（至少 10 位）/ password too short (at least 10 characters)";
    }
    if (n > 256) {
        return "密码太长（最多 256 字节）/ password too long (at most 256 bytes)";
    }
    bool letter = false, digit = false;
    for (const char *p = password; *p; p++) {
        letter = letter || isalpha((unsigned char)*p);
        digit = digit || isdigit((unsigned char)*p);
    }
    if (!letter || !digit) {
        return "密码须同时包含字母和数字 / password needs letters and digits";
    }
    if (username && strcasestr(password, username) && strlen(username) >= 3) {
        return "密码不能包含用户名 / password must not contain the user name";
    }
    for (size_t i = 0; i < ARRAY_LEN(common); i++) {
        if (strcasestr(password, common[i])) {
            return "密码过于常见 / password is too common";
        }
    }
    return NULL;
}

void accounts_generate_password(char *out, size_t cap)
{
    static const char alpha[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    static const char digits[] = "23456789";
    size_t n = cap - 1 < 14 ? cap - 1 : 14;
    for (size_t i = 0; i < n; i++) {
        const char *set = (i % 4 == 3) ? digits : alpha;
        size_t len = (i % 4 == 3) ? sizeof digits - 1 : sizeof alpha - 1;
        out[i] = set[randombytes_uniform((uint32_t)len)];
    }
    out[n] = 0;
}

void accounts_region_prefix(const char *code, char out[7])
{
    size_t n = strlen(code);
    if (n > 6) {
        n = 6;
    }
    memcpy(out, code, n);
    out[n] = 0;
    while (n >= 4 && out[n - 1] == '0' && out[n - 2] == '0') {
        n -= 2;
        out[n] = 0;
    }
}

/* ---- per-request authentication ---- */

struct prefix_ctx {
    struct principal *p;
    struct arena *a;
};

static void add_prefix(const char *code, void *arg)
{
    struct prefix_ctx *c = arg;
    if (c->p->scope.n_prefixes < HTTP_MAX_PREFIXES) {
        char pre[7];
        accounts_region_prefix(code, pre);
        c->p->prefixes[c->p->scope.n_prefixes++] = arena_strdup(c->a, pre);
    }
}

static int fill_principal(struct req *r, struct db *db, const struct user_auth *u, const char *role,
                          struct principal *p)
{
    if (strcmp(u->status, "active")) {
        return ERR_AUTH;
    }
    p->user_id = u->id;
    p->username = arena_strdup(r->a, u->username);
    p->display_name = arena_strdup(r->a, u->display_name);
    p->role = http_role_bit(role);
    p->org_unit_id = u->org_unit_id;
    p->enterprise_id = u->enterprise_id;
    p->must_change_password = u->must_change_password;
    p->scope.prefixes = p->prefixes;
    if (p->role == ROLE_ADMIN) {
        p->scope.kind = SCOPE_ALL;
    } else if (p->role == ROLE_ENTERPRISE) {
        p->scope.kind = u->enterprise_id ? SCOPE_ENTERPRISE : SCOPE_NONE;
        p->scope.enterprise_id = u->enterprise_id;
    } else if (p->role == ROLE_BANK) {
        p->scope.kind = SCOPE_NONE; /* a bank sees no register: only its pledge applications */
    } else {
        p->scope.kind = SCOPE_REGIONS;
        struct prefix_ctx c = {p, r->a};
        if (u->org_unit_id) {
            store_org_unit_regions(db, u->org_unit_id, add_prefix, &c);
        }
    }
    return p->role ? 0 : ERR_AUTH;
}

static int auth_token(struct req *r, struct db *db, const char *token, struct principal *p,
                      int64_t *touch_token)
{
    char hash[65];
    sha256_hex(token, strlen(token), hash);
    struct token_row t;
    if (store_token_get(db, hash, &t) || t.revoked ||
        (t.expires_at && t.expires_at < wall_ms() / 1000)) {
        return ERR_AUTH;
    }
    p->via_token = true;
    if (wall_ms() / 1000 - t.last_used > 60) {
        *touch_token = t.id; /* last_used, like a session's last_seen, at most once a minute */
    }
    int rc = fill_principal(r, db, &t.user, t.role, p);
    p->must_change_password = false;
    return rc;
}

static int auth_cookie(struct req *r, struct db *db, const char *cookie, struct principal *p,
                       bool *touch)
{
    sha256_hex(cookie, strlen(cookie), p->session_hash);
    struct session_row s;
    if (store_session_get(db, p->session_hash, &s)) {
        return ERR_AUTH;
    }
    int64_t now = wall_ms() / 1000;
    if (now - s.last_seen > settings_int("session_idle_min") * 60 ||
        now - s.created_at > settings_int("session_max_hours") * 3600) {
        return ERR_AUTH;
    }
    *touch = now - s.last_seen > 60;
    p->csrf_token = arena_strdup(r->a, s.csrf_token);
    return fill_principal(r, db, &s.user, s.user.role, p);
}

int accounts_authenticate(struct req *r, struct principal *p)
{
    memset(p, 0, sizeof *p);
    const char *authz = req_header(r, "Authorization");
    const char *cookie = req_cookie(r, COOKIE);
    if (!(authz && !strncmp(authz, "Bearer ", 7)) && !cookie) {
        return ERR_AUTH;
    }
    if ((authz && strlen(authz) > 512) || (cookie && strlen(cookie) > 128)) {
        return ERR_AUTH;
    }
    struct db *db = store_read(app.store);
    bool touch = false;
    int64_t touch_token = 0;
    int rc = authz && !strncmp(authz, "Bearer ", 7) ? auth_token(r, db, authz + 7, p, &touch_token)
                                                    : auth_cookie(r, db, cookie, p, &touch);
    store_release(app.store, db);
    if (rc == 0 && (touch || touch_token)) {
        /* Idle expiry needs last_seen, and the token list shows last_used; writing them at
           most once a minute keeps reads cheap. */
        struct db *w;
        if (store_begin(app.store, &w) == 0) {
            int64_t now = wall_ms() / 1000;
            int t = touch_token ? store_token_touch(w, touch_token, now)
                                : store_session_touch(w, p->session_hash, now);
            if (t) {
                store_rollback(app.store, w);
            } else {
                store_commit(app.store, w);
            }
        }
    }
    return rc;
}

/* ---- the session resource ---- */

static void write_me(struct req *r, const struct principal *p, const char *csrf)
{
    struct buf *o = &r->out;
    buf_puts(o, "{\"user\":{");
    json_kv_int(o, "id", p->user_id, false);
    json_kv_str(o, "username", p->username, true);
    json_kv_str(o, "display_name", p->display_name, true);
    json_kv_str(o, "role", http_role_name(p->role), true);
    json_kv_int(o, "org_unit_id", p->org_unit_id, true);
    json_kv_int(o, "enterprise_id", p->enterprise_id, true);
    buf_puts(o, ",\"must_change_password\":");
    buf_puts(o, p->must_change_password ? "true" : "false");
    buf_puts(o, ",\"region_prefixes\":[");
    for (size_t i = 0; i < p->scope.n_prefixes; i++) {
        buf_printf(o, "%s\"%s\"", i ? "," : "", p->prefixes[i]);
    }
    buf_puts(o, "]}");
    json_kv_str(o, "csrf_token", csrf, true);
    buf_putc(o, '}');
}

static int api_session_get(struct req *r)
{
    write_me(r, r->who, r->who->csrf_token);
    return resp_json(r, 200);
}

static int api_session_delete(struct req *r)
{
    if (r->who->via_token) {
        return resp_err(r, ERR_INPUT, "API 令牌无需注销 / tokens have no session", NULL);
    }
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (!rc) {
        rc = store_session_delete(db, r->who->session_hash);
    }
    if (!rc) {
        rc = audit_write(r, db, "session", r->who->user_id, "logout", NULL, NULL);
    }
    rc = rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    resp_header(r, "Set-Cookie", COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return resp_empty(r);
}

struct login {
    struct hash_job job;
    struct req *r;
    struct user_auth user;
    bool known;
};

static void set_cookie(struct req *r, const char *token)
{
    const char *sc = settings_get("secure_cookies");
    bool secure = !strcmp(sc, "on") || (!strcmp(sc, "auto") && r->tls);
    resp_header(r, "Set-Cookie",
                arena_printf(r->a, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
                             token, (long long)settings_int("session_max_hours") * 3600,
                             secure ? "; Secure" : ""));
}

static int login_succeeded(struct login *l, struct db *db)
{
    struct req *r = l->r;
    char token[64], csrf[64], hash[65];
    random_token(32, token, sizeof token);
    random_token(24, csrf, sizeof csrf);
    sha256_hex(token, strlen(token), hash);
    int64_t now = wall_ms() / 1000;
    int rc =
        store_session_insert(db, hash, l->user.id, csrf, now, r->ip, req_header(r, "User-Agent"));
    if (!rc) {
        rc = store_user_login_ok(db, l->user.id);
    }
    if (!rc) {
        rc = store_sessions_expire(db, now - settings_int("session_idle_min") * 60,
                                   now - settings_int("session_max_hours") * 3600);
    }
    struct principal *p = arena_zalloc(r->a, sizeof *p);
    if (!rc) {
        rc = fill_principal(r, db, &l->user, l->user.role, p);
    }
    if (!rc) {
        struct audit_entry a = {l->user.id, l->user.username, "session", l->user.id, "login", NULL,
                                NULL,       r->request_id,    r->ip};
        rc = store_audit_add(db, &a);
    }
    if (!rc) {
        set_cookie(r, token);
        write_me(r, p, csrf);
        resp_json(r, 200);
    }
    return rc;
}

static void login_failed(struct login *l, struct db *db)
{
    struct req *r = l->r;
    if (l->known) {
        int64_t until = wall_ms() / 1000 + settings_int("login_lockout_min") * 60;
        store_user_login_failed(db, l->user.id, (int)settings_int("login_max_failures"), until,
                                wall_ms() / 1000);
        struct audit_entry a = {0,    l->user.username, "session", l->user.id, "login_failed", NULL,
                                NULL, r->request_id,    r->ip};
        store_audit_add(db, &a);
    }
    store_ip_failed(db, r->ip, wall_ms() / 1000 / IP_WINDOW_S);
    resp_error(r, 401, "bad_credentials", "用户名或密码错误 / wrong user name or password", NULL);
}

static void login_done(struct hash_job *j)
{
    struct login *l = j->ctx;
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        resp_err(l->r, rc, NULL, NULL);
    } else if (j->result == 0 && l->known && !strcmp(l->user.status, "active")) {
        rc = login_succeeded(l, db);
        rc = rc ? (store_rollback(app.store, db), resp_err(l->r, rc, NULL, NULL), rc)
                : store_commit(app.store, db);
    } else {
        login_failed(l, db);
        store_commit(app.store, db);
    }
    req_resume(l->r);
}

static void login_start(struct req *r, void *arg)
{
    (void)r;
    hashpool_submit(&((struct login *)arg)->job);
}

static int api_session_post(struct req *r)
{
    if (!ip_allow(r->ip)) {
        return resp_err(
            r, ERR_BUSY,
            "登录失败次数过多，请 5 分钟后再试 / too many failed attempts, wait 5 minutes", NULL);
    }
    json_t *body;
    if (req_json_object(r, &body)) {
        return 0;
    }
    const char *user, *pw;
    struct login *l = arena_zalloc(r->a, sizeof *l);
    if (json_get_str(r, body, "username", 64, true, &user) ||
        json_get_str(r, body, "password", 256, true, &pw)) {
        json_decref(body);
        return 0;
    }
    snprintf(l->job.password, sizeof l->job.password, "%s", pw);
    struct db *db = store_read(app.store);
    l->known = store_user_by_name(db, user, &l->user) == 0;
    store_release(app.store, db);
    json_decref(body);
    if (!l->known) {
        snprintf(l->user.username, sizeof l->user.username, "%s", "");
    }
    if (l->known && l->user.locked_until > wall_ms() / 1000) {
        int64_t min = (l->user.locked_until - wall_ms() / 1000 + 59) / 60;
        return resp_error(r, 429, "locked",
                          arena_printf(r->a,
                                       "登录失败次数过多，账户已锁定，请 %lld 分钟后再试 / "
                                       "account locked, try again in %lld minutes",
                                       (long long)min, (long long)min),
                          NULL);
    }
    l->r = r;
    l->job.kind = HASH_VERIFY;
    l->job.ctx = l;
    l->job.done = login_done;
    /* Unknown users cost the same argon2id time as known ones. */
    snprintf(l->job.hash, sizeof l->job.hash, "%.127s",
             l->known ? l->user.password_hash : dummy_hash);
    r->async_start = login_start;
    r->async_arg = l;
    return HTTP_ASYNC;
}

/* ---- own password change ---- */

struct pwchange {
    struct hash_job job;
    struct req *r;
    char new_pw[257];
    int stage; /* 0 verifying old, 1 hashing new */
};

static void pwchange_done(struct hash_job *j)
{
    struct pwchange *c = j->ctx;
    struct req *r = c->r;
    if (c->stage == 0) {
        if (j->result) {
            resp_error(r, 422, "wrong_password", "原密码错误 / current password is wrong",
                       "old_password");
            req_resume(r);
            return;
        }
        c->stage = 1;
        j->kind = HASH_MAKE;
        snprintf(j->password, sizeof j->password, "%s", c->new_pw);
        sodium_memzero(c->new_pw, sizeof c->new_pw);
        hashpool_submit(j);
        return;
    }
    struct db *db;
    int rc = j->result ? j->result : store_begin(app.store, &db);
    if (!rc) {
        rc = store_user_set_password(db, r->who->user_id, j->hash, false);
        if (!rc) {
            rc = audit_write(r, db, "user", r->who->user_id, "password_change", NULL, NULL);
        }
        rc = rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
    }
    if (rc) {
        resp_err(r, rc, NULL, NULL);
    } else {
        resp_empty(r);
    }
    req_resume(r);
}

static void pwchange_start(struct req *r, void *arg)
{
    (void)r;
    hashpool_submit(&((struct pwchange *)arg)->job);
}

static int api_session_password(struct req *r)
{
    json_t *body;
    if (req_json_object(r, &body)) {
        return 0;
    }
    const char *old_pw, *new_pw;
    if (json_get_str(r, body, "old_password", 256, true, &old_pw) ||
        json_get_str(r, body, "new_password", 256, true, &new_pw)) {
        json_decref(body);
        return 0;
    }
    const char *problem = accounts_password_problem(new_pw, r->who->username);
    if (!problem && !strcmp(old_pw, new_pw)) {
        problem = "新密码不能与原密码相同 / new password must differ from the current one";
    }
    if (problem) {
        json_decref(body);
        return resp_error(r, 422, "weak_password", problem, "new_password");
    }
    struct pwchange *c = arena_zalloc(r->a, sizeof *c);
    struct db *db = store_read(app.store);
    struct user_auth u;
    int rc = store_user_by_id(db, r->who->user_id, &u);
    store_release(app.store, db);
    if (rc) {
        json_decref(body);
        return resp_err(r, rc, NULL, NULL);
    }
    c->r = r;
    c->job.kind = HASH_VERIFY;
    c->job.ctx = c;
    c->job.done = pwchange_done;
    snprintf(c->job.hash, sizeof c->job.hash, "%.127s", u.password_hash);
    snprintf(c->job.password, sizeof c->job.password, "%s", old_pw);
    snprintf(c->new_pw, sizeof c->new_pw, "%s", new_pw);
    json_decref(body);
    r->async_start = pwchange_start;
    r->async_arg = c;
    return HTTP_ASYNC;
}

void accounts_start(void)
{
    char pw[32];
    accounts_generate_password(pw, sizeof pw);
    accounts_hash(pw, dummy_hash, sizeof dummy_hash);
    hashpool_start((int)settings_int("hash_threads"));
}

void accounts_stop(void)
{
    hashpool_stop();
}

static const struct route routes[] = {
    {"POST", "/api/v1/session", 0, api_session_post, RF_PUBLIC | RF_NO_CSRF, "Log in"},
    {"GET", "/api/v1/session", ROLES_ANY | ROLE_BANK, api_session_get, 0,
     "Current user and CSRF token"},
    {"DELETE", "/api/v1/session", ROLES_ANY | ROLE_BANK, api_session_delete, 0, "Log out"},
    {"POST", "/api/v1/session/password", ROLES_ANY | ROLE_BANK, api_session_password, 0,
     "Change own password"},
};

void accounts_session_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
