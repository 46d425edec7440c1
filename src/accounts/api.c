/*
** Accounts administration over HTTP: users (create with a one-time password, edit, disable,
** enable, reset password), org units with the regions they cover, and API tokens. Password
** hashing runs on the hash pool; the database work follows on that thread.
*/
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/hashpool.h"
#include "core/err.h"
#include "core/log.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/entity.h"
#include "store/q_accounts.h"

/* ---- users ---- */

static int user_check(struct req *r, struct db *db, json_t *in, bool create, int64_t id,
                      int64_t parent_id, struct entity_write *w);

static const struct entity_api users_api = {
    .def = &ENTITY_USER, .read_roles = ROLE_ADMIN, .write_roles = ROLE_ADMIN, .check = user_check};

static int user_check(struct req *r, struct db *db, json_t *in, bool create, int64_t id,
                      int64_t parent_id, struct entity_write *w)
{
    const struct db_value *role = entity_write_get(w, "role");
    const struct db_value *ent = entity_write_get(w, "enterprise_id");
    const struct db_value *org = entity_write_get(w, "org_unit_id");
    if (create) {
        const char *user = json_string_value(json_object_get(in, "username"));
        for (const char *p = user ? user : ""; *p; p++) {
            if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@", *p)) {
                entity_error_add(w, 422, "username", "invalid",
                                 "用户名只能包含字母、数字和 . _ - @",
                                 "User name: letters, digits and . _ - @ only");
                break;
            }
        }
    }
    if (role && !strcmp(role->s, "enterprise") && create && (!ent || ent->type != DB_INT)) {
        entity_error_add(w, 422, "enterprise_id", "required", "企业用户须指定所属企业",
                         "Enterprise: required for enterprise users");
    }
    if (role && strcmp(role->s, "enterprise") && ent && ent->type == DB_INT) {
        entity_error_add(w, 422, "enterprise_id", "invalid", "只有企业用户可以关联企业",
                         "Enterprise: only enterprise users belong to an enterprise");
    }
    if (role && create && strcmp(role->s, "enterprise") && strcmp(role->s, "admin") &&
        strcmp(role->s, "bank") && (!org || org->type != DB_INT)) {
        entity_error_add(w, 422, "org_unit_id", "required", "工作人员须指定所属单位",
                         "Org unit: required for staff users");
    }
    if (create) {
        struct hash_job *j = r->async_arg;
        entity_write_text(w, "password_hash", j->hash);
        entity_write_int(w, "must_change_password", 1);
        char now[32];
        time_iso(wall_ms() / 1000, now);
        entity_write_text(w, "password_changed_at", arena_strdup(r->a, now));
    }
    (void)db, (void)id, (void)parent_id;
    return 0;
}

struct pw_job {
    struct hash_job job;
    struct req *r;
    char password[32];
    int64_t user_id; /* reset-password target; 0 = create */
};

/* Append "one_time_password" to the JSON object in r->out. */
static void add_password(struct req *r, const char *pw)
{
    if (r->status >= 300 || r->out.len < 2 || r->out.p[r->out.len - 1] != '}') {
        return;
    }
    r->out.len--;
    buf_printf(&r->out, "%s\"one_time_password\":\"%s\"}", r->out.len > 1 ? "," : "", pw);
}

static void user_create_done(struct hash_job *j)
{
    struct pw_job *p = j->ctx;
    if (j->result) {
        resp_err(p->r, j->result, NULL, NULL);
    } else {
        entity_create(p->r, &users_api, 0);
        add_password(p->r, p->password);
    }
    sodium_memzero(p->password, sizeof p->password);
    req_resume(p->r);
}

static void start_job(struct req *r, void *arg)
{
    (void)r;
    hashpool_submit(arg);
}

static int start_pw_job(struct req *r, void (*done)(struct hash_job *), int64_t user_id)
{
    struct pw_job *p = arena_zalloc(r->a, sizeof *p);
    p->r = r;
    p->user_id = user_id;
    accounts_generate_password(p->password, sizeof p->password);
    p->job.kind = HASH_MAKE;
    snprintf(p->job.password, sizeof p->job.password, "%s", p->password);
    p->job.ctx = p;
    p->job.done = done;
    r->async_start = start_job;
    r->async_arg = &p->job;
    return HTTP_ASYNC;
}

static int api_users_list(struct req *r)
{
    return entity_list(r, &users_api, 0);
}

static int api_users_create(struct req *r)
{
    return start_pw_job(r, user_create_done, 0);
}

static int api_users_get(struct req *r)
{
    return entity_get(r, &users_api, req_id(r, 0));
}

static int api_users_update(struct req *r)
{
    return entity_update(r, &users_api, req_id(r, 0));
}

/* The user row as JSON inside the transaction (for audit before/after). */
static char *user_snapshot(struct req *r, struct db *db, int64_t id)
{
    struct buf b;
    buf_init(&b, 1 << 16);
    char *s = store_entity_get(db, &ENTITY_USER, NULL, id, &b) ? NULL : arena_strdup(r->a, b.p);
    buf_release(&b);
    return s;
}

/* Status change or password reset in one transaction; sessions end either way. */
static int user_admin_write(struct req *r, int64_t id, const char *status, const char *hash,
                            const char *action)
{
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return rc;
    }
    char *before = user_snapshot(r, db, id);
    if (status) {
        rc = store_user_set_status(db, id, status);
    }
    if (!rc && hash) {
        rc = store_user_set_password(db, id, hash, true);
    }
    if (!rc && (hash || strcmp(status, "active"))) {
        rc = store_sessions_delete_user(db, id);
    }
    if (!rc) {
        rc = audit_write(r, db, "user", id, action, before, user_snapshot(r, db, id));
    }
    if (rc) {
        store_rollback(app.store, db);
        return rc;
    }
    return store_commit(app.store, db);
}

static int user_status(struct req *r, const char *status)
{
    int64_t id = req_id(r, 0);
    if (id == r->who->user_id && strcmp(status, "active")) {
        return resp_error(r, 422, "invalid", "不能停用自己的账户 / you cannot disable yourself",
                          NULL);
    }
    int rc = id > 0 ? user_admin_write(r, id, status, NULL,
                                       strcmp(status, "active") ? "disable" : "enable")
                    : ERR_NOTFOUND;
    return rc ? resp_err(r, rc, NULL, NULL) : entity_get(r, &users_api, id);
}

static int api_users_disable(struct req *r)
{
    return user_status(r, "inactive");
}

static int api_users_enable(struct req *r)
{
    return user_status(r, "active");
}

static void reset_done(struct hash_job *j)
{
    struct pw_job *p = j->ctx;
    int rc =
        j->result ? j->result : user_admin_write(p->r, p->user_id, NULL, j->hash, "reset_password");
    if (rc) {
        resp_err(p->r, rc, NULL, NULL);
    } else {
        buf_reset(&p->r->out);
        buf_printf(&p->r->out, "{\"id\":%lld,\"one_time_password\":\"%s\"}", (long long)p->user_id,
                   p->password);
        resp_json(p->r, 200);
    }
    sodium_memzero(p->password, sizeof p->password);
    req_resume(p->r);
}

static int api_users_reset_password(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db = store_read(app.store);
    struct user_auth u;
    int rc = id > 0 ? store_user_by_id(db, id, &u) : ERR_NOTFOUND;
    store_release(app.store, db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    return start_pw_job(r, reset_done, id);
}

int accounts_user_create(const char *username, const char *display_name, const char *role,
                         int64_t org_unit_id, int64_t enterprise_id, const char *password,
                         bool must_change, int64_t *id, char *err, size_t errcap)
{
    const char *problem = accounts_password_problem(password, username);
    /* The API's rules (user_check): without its unit or enterprise a user would see nothing. */
    bool enterprise = !strcmp(role, "enterprise");
    problem = problem                            ? problem
              : enterprise && enterprise_id <= 0 ? "enterprise users need --enterprise ID"
              : !enterprise && enterprise_id > 0 ? "only enterprise users take --enterprise"
              : !enterprise && strcmp(role, "admin") && org_unit_id <= 0
                  ? "staff users need --org-unit ID"
                  : NULL;
    if (problem) {
        snprintf(err, errcap, "%s", problem);
        return ERR_INPUT;
    }
    char hash[crypto_pwhash_STRBYTES];
    if (accounts_hash(password, hash, sizeof hash)) {
        snprintf(err, errcap, "password hashing failed");
        return ERR_UNSUPPORTED;
    }
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (!rc) {
        rc = store_user_insert(db, username, display_name, role, org_unit_id, enterprise_id, hash,
                               must_change, id);
        struct buf after; /* the row as the API shows it: no password hash */
        buf_init(&after, 0);
        if (!rc) {
            rc = store_entity_get(db, &ENTITY_USER, NULL, *id, &after);
        }
        struct audit_entry a = {0, "cli", "user", *id, "create", NULL, after.p, "", ""};
        if (!rc) {
            rc = store_audit_add(db, &a);
        }
        buf_release(&after);
        rc = rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
    }
    if (rc) {
        snprintf(err, errcap,
                 rc == ERR_CONFLICT ? "user '%s' already exists"
                 : rc == ERR_INPUT  ? "user '%s': org unit or enterprise does not exist"
                                    : "cannot create user '%s'",
                 username);
    }
    return rc;
}

/* ---- org units ---- */

static const char *const ORG_EXTRA[] = {"regions", NULL};

static int org_check(struct req *r, struct db *db, json_t *in, bool create, int64_t id,
                     int64_t parent_id, struct entity_write *w);
static int org_after(struct req *r, struct db *db, json_t *in, int64_t id, bool *changed);

static const struct entity_api org_api = {.def = &ENTITY_ORG_UNIT,
                                          .read_roles = ROLES_STAFF,
                                          .write_roles = ROLE_ADMIN,
                                          .extra_keys = ORG_EXTRA,
                                          .check = org_check,
                                          .after = org_after};

/* Regions are validated here and written once the row exists (org_after), in the same
   transaction. */
static int org_check(struct req *r, struct db *db, json_t *in, bool create, int64_t id,
                     int64_t parent_id, struct entity_write *w)
{
    /* Document numbers (湖环函〔2026〕12号) are unique across the database: two units with one
       prefix would draw the same numbers from their own sequences. */
    const char *prefix = json_string_value(json_object_get(in, "doc_prefix"));
    int64_t owner = 0;
    int rc = prefix && prefix[0] ? store_doc_prefix_owner(db, prefix, create ? 0 : id, &owner) : 0;
    if (rc) {
        return rc;
    }
    if (owner) {
        rc = entity_error_add(
            w, 422, "doc_prefix", "taken",
            arena_printf(r->a, "文书编号前缀：%s 已被另一单位使用", prefix),
            arena_printf(r->a, "Document-number prefix: %s is used by another unit", prefix));
    }
    json_t *regions = json_object_get(in, "regions");
    if (!regions) {
        return rc;
    }
    size_t i;
    json_t *v;
    if (!json_is_array(regions) || json_array_size(regions) > HTTP_MAX_PREFIXES) {
        return entity_error_add(w, 422, "regions", "invalid",
                                "管辖区划应为不超过 32 个行政区划代码的数组",
                                "Regions covered: an array of at most 32 region codes");
    }
    json_array_foreach (regions, i, v) {
        const char *code = json_string_value(v);
        if (!code || !store_code_exists(db, "regions", code, strlen(code))) {
            return entity_error_add(
                w, 422, "regions", "unknown_code",
                arena_printf(r->a, "管辖区划：行政区划代码 %s 不存在", code ? code : "?"),
                arena_printf(r->a, "Regions covered: %s is not a known region code",
                             code ? code : "?"));
        }
    }
    (void)parent_id;
    return rc;
}

/* Replace the unit's regions when the body names them (the entity's audit snapshot, taken
   after this, shows them as regions_list). */
static int org_after(struct req *r, struct db *db, json_t *in, int64_t id, bool *changed)
{
    (void)r;
    json_t *regions = json_object_get(in, "regions");
    if (!regions) {
        return 0;
    }
    const char *codes[HTTP_MAX_PREFIXES];
    size_t n = 0, i;
    json_t *v;
    json_array_foreach (regions, i, v) {
        codes[n++] = json_string_value(v); /* org_check: strings, at most HTTP_MAX_PREFIXES */
    }
    *changed = true;
    return store_org_unit_set_regions(db, id, codes, n);
}

static int api_org_list(struct req *r)
{
    return entity_list(r, &org_api, 0);
}

static int api_org_create(struct req *r)
{
    return entity_create(r, &org_api, 0);
}

static int api_org_update(struct req *r)
{
    return entity_update(r, &org_api, req_id(r, 0));
}

/* ---- API tokens ---- */

static int api_tokens_list(struct req *r)
{
    struct db *db = store_read(app.store);
    int rc = store_token_list(db, &r->out);
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int api_tokens_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    json_t *uid = json_object_get(in, "user_id");
    json_t *days = json_object_get(in, "expires_days");
    json_t *jname = json_object_get(in, "name"), *jrole = json_object_get(in, "role");
    const char *name = json_string_value(jname), *role = json_string_value(jrole);
    /* Every problem at once, as the entity forms do. */
    struct entity_write *w = arena_zalloc(r->a, sizeof *w);
    if (!name || !*name) {
        entity_error_add(w, 422, "name", "required", "令牌名称为必填项", "Name: required");
    } else if (strlen(name) > 100) {
        entity_error_add(w, 422, "name", "too_long", "令牌名称过长（最多 100 字节）",
                         "Name: too long (at most 100 bytes)");
    }
    if (!role || !http_role_bit(role)) {
        entity_error_add(w, 422, "role", "invalid", "角色无效", "Role: unknown role");
    }
    if (!json_is_integer(uid)) {
        entity_error_add(w, 422, "user_id", "required", "所属用户为必填项（用户编号）",
                         "User: required (a user id)");
    }
    if (days && (!json_is_integer(days) || json_integer_value(days) < 1 ||
                 json_integer_value(days) > 3650)) {
        entity_error_add(w, 422, "expires_days", "invalid", "有效天数应为 1–3650",
                         "Valid for (days): must be 1..3650");
    }
    if (w->n_errors) {
        json_decref(in);
        entity_errors_respond(r, w);
        return 0;
    }
    /* The strings live inside `in`, which is released before the response is written. */
    name = arena_strdup(r->a, name);
    role = arena_strdup(r->a, role);
    struct db *db;
    struct user_auth u;
    char token[80], raw[64], hash[65], prefix[16];
    random_token(32, raw, sizeof raw);
    snprintf(token, sizeof token, "egv_%s", raw);
    snprintf(prefix, sizeof prefix, "%.10s", token);
    sha256_hex(token, strlen(token), hash);
    int64_t expires = days ? wall_ms() / 1000 + json_integer_value(days) * 86400 : 0, id = 0;
    int rc = store_begin(app.store, &db);
    if (!rc) {
        rc = store_user_by_id(db, json_integer_value(uid), &u);
        if (!rc && strcmp(u.role, role) && strcmp(u.role, "admin")) {
            rc = resp_error(r, 422, "invalid",
                            "令牌角色须与用户角色一致 / the token's role must be "
                            "the user's role",
                            "role") +
                 ERR_INPUT;
        }
        if (!rc) {
            rc = store_token_insert(db, name, prefix, hash, role, u.id, expires, &id);
        }
        if (!rc) {
            rc = audit_write(r, db, "api_token", id, "create", NULL, NULL);
        }
        rc = rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
    }
    json_decref(in);
    if (rc) {
        return r->status ? 0
                         : resp_err(r, rc, rc == ERR_NOTFOUND ? "用户不存在 / no such user" : NULL,
                                    rc == ERR_NOTFOUND ? "user_id" : NULL);
    }
    buf_printf(&r->out, "{\"id\":%lld,\"prefix\":\"%s\",\"role\":\"%s\",\"token\":\"%s\"}",
               (long long)id, prefix, role, token);
    return resp_json(r, 201);
}

static int api_tokens_revoke(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db;
    int rc = id > 0 ? store_begin(app.store, &db) : ERR_NOTFOUND;
    if (!rc) {
        rc = store_token_revoke(db, id);
        if (!rc) {
            rc = audit_write(r, db, "api_token", id, "revoke", NULL, NULL);
        }
        rc = rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
    }
    return rc ? resp_err(r, rc, NULL, NULL) : resp_empty(r);
}

void accounts_session_routes(struct router *rt);

static const struct route routes[] = {
    {"GET", "/api/v1/users", ROLE_ADMIN, api_users_list, 0, "List users"},
    {"POST", "/api/v1/users", ROLE_ADMIN, api_users_create, 0, "Create a user (one-time password)"},
    {"GET", "/api/v1/users/{id}", ROLE_ADMIN, api_users_get, 0, "Get a user"},
    {"PATCH", "/api/v1/users/{id}", ROLE_ADMIN, api_users_update, 0, "Update a user"},
    {"POST", "/api/v1/users/{id}/disable", ROLE_ADMIN, api_users_disable, 0,
     "Disable a user and end its sessions"},
    {"POST", "/api/v1/users/{id}/enable", ROLE_ADMIN, api_users_enable, 0, "Enable a user"},
    {"POST", "/api/v1/users/{id}/reset-password", ROLE_ADMIN, api_users_reset_password, 0,
     "Reset a user's password (one-time password)"},
    {"GET", "/api/v1/org-units", ROLES_STAFF, api_org_list, 0, "List org units"},
    {"POST", "/api/v1/org-units", ROLE_ADMIN, api_org_create, 0, "Create an org unit"},
    {"PATCH", "/api/v1/org-units/{id}", ROLE_ADMIN, api_org_update, 0, "Update an org unit"},
    {"GET", "/api/v1/tokens", ROLE_ADMIN, api_tokens_list, 0, "List API tokens"},
    {"POST", "/api/v1/tokens", ROLE_ADMIN, api_tokens_create, 0, "Create an API token"},
    {"DELETE", "/api/v1/tokens/{id}", ROLE_ADMIN, api_tokens_revoke, 0, "Revoke an API token"},
};

void accounts_routes(struct router *rt)
{
    accounts_session_routes(rt);
    router_add(rt, routes, ARRAY_LEN(routes));
}
