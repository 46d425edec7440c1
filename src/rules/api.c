/*
** Rule sets over HTTP: the kinds with their schemas, versions listed, viewed, resolved for a
** region and day, created (JSON; the UI reads an uploaded .json file into the same request),
** corrected or removed while no decision used them, and exported in the shipped-defaults
** format (data/rules/<kind>.json). Staff read; admins write. Every write is one transaction
** with its audit row.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/entity.h"
#include "rules/rules.h"
#include "store/q_rules.h"

static int api_rule_kinds(struct req *r)
{
    buf_puts(&r->out, "{\"items\":[");
    for (size_t i = 0; i < rules_kind_count(); i++) {
        const char *kind = rules_kind_name(i);
        char *schema = json_dumps(rules_kind_schema(kind), JSON_COMPACT);
        buf_printf(&r->out, "%s{", i ? "," : "");
        json_kv_str(&r->out, "kind", kind, false);
        buf_printf(&r->out, ",\"schema\":%s}", schema ? schema : "null");
        free(schema);
    }
    buf_puts(&r->out, "]}");
    return resp_json(r, 200);
}

static int api_rules_list(struct req *r)
{
    const char *kind = req_query(r, "kind"), *prefix = req_query(r, "region_prefix");
    if (kind && kind[0] && !rules_kind_schema(kind)) {
        return resp_error(r, 422, "invalid", "未知的规则类型 / unknown kind", "kind");
    }
    struct db *db = store_read(app.store);
    int rc = store_rule_list(db, kind && kind[0] ? kind : NULL, prefix, 1000, &r->out);
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int not_found(struct req *r)
{
    return resp_error(r, 404, "not_found", "规则集版本不存在 / no such rule-set version", "id");
}

static int api_rule_get(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db = store_read(app.store);
    int rc = id > 0 ? store_rule_json(db, id, &r->out) : ERR_NOTFOUND;
    store_release(app.store, db);
    if (rc == ERR_NOTFOUND) {
        buf_reset(&r->out);
        return not_found(r);
    }
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

/* GET /api/v1/rules/resolve?kind=K&region=330522&date=YYYY-MM-DD (date: today). */
static int api_rule_resolve(struct req *r)
{
    const char *kind = req_query(r, "kind"), *region = req_query(r, "region");
    const char *date = req_query(r, "date");
    char today[11];
    if (!date || !date[0]) {
        date_cn(wall_ms() / 1000, today);
        date = today;
    }
    if (!rules_kind_schema(kind)) {
        return resp_error(r, 422, "invalid", "未知的规则类型 / unknown kind", "kind");
    }
    if (strlen(date) != 10) {
        return resp_error(r, 422, "invalid", "date 应为 YYYY-MM-DD / date must be YYYY-MM-DD",
                          "date");
    }
    struct rule_ref ref;
    struct db *db = store_read(app.store);
    int rc = rules_resolve(db, kind, region ? region : "", date, NULL, &ref);
    if (!rc) {
        rc = store_rule_json(db, ref.id, &r->out);
    }
    store_release(app.store, db);
    if (rc == ERR_NOTFOUND) {
        buf_reset(&r->out);
        return resp_error(r, 404, "none_in_force",
                          arena_printf(r->a,
                                       "%s 在该区域于 %s 没有生效的版本 / no version of %s is in "
                                       "force there on %s",
                                       kind, date, kind, date),
                          "kind");
    }
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

/* The request's version: kind, region_prefix, effective_from, source, note and body (an object,
   or a string holding one, as a textarea sends it). *j owns what in points into. */
static int read_input(struct req *r, json_t **j, json_t **parsed, struct rule_input *in)
{
    *parsed = NULL;
    if (req_json_object(r, j)) {
        return ERR_INPUT;
    }
    const char *keys[] = {"kind", "region_prefix", "effective_from", "source", "note"};
    const char **out[] = {&in->kind, &in->region_prefix, &in->effective_from, &in->source,
                          &in->note};
    for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
        if (json_get_str(r, *j, keys[i], 4000, false, out[i])) {
            return ERR_INPUT;
        }
    }
    in->region_prefix = in->region_prefix ? in->region_prefix : "";
    const json_t *body = json_object_get(*j, "body");
    if (json_is_string(body)) {
        json_error_t je;
        *parsed = json_loads(json_string_value(body), 0, &je);
        if (!*parsed) {
            resp_error(r, 422, "invalid_body",
                       arena_printf(r->a,
                                    "规则内容不是有效的 JSON（第 %d 行第 %d 列：%s）/ body is not "
                                    "JSON (line %d, column %d: %s)",
                                    je.line, je.column, je.text, je.line, je.column, je.text),
                       "body");
            return ERR_INPUT;
        }
        body = *parsed;
    }
    in->body = body;
    return 0;
}

static int input_error(struct req *r, const struct rule_error *e)
{
    return resp_error(r, 422, e->field[0] == '$' ? "invalid_body" : "invalid", e->msg, e->field);
}

static int used_error(struct req *r)
{
    return resp_error(r, 409, "rule_set_used",
                      "该版本已被决定（报警、提醒等）采用，不能修改或删除；请新建版本 / this "
                      "version was used by a decision and cannot be changed or removed: create "
                      "a new version",
                      "id");
}

/* Commit or roll back; on success answer with the version as stored. */
static int finish(struct req *r, struct db *db, int rc, int64_t id, int status)
{
    if (rc) {
        store_rollback(app.store, db);
        return rc;
    }
    rc = store_commit(app.store, db);
    if (!rc && id) {
        db = store_read(app.store);
        rc = store_rule_json(db, id, &r->out);
        store_release(app.store, db);
    }
    return rc ? rc : id ? resp_json(r, status) : resp_empty(r);
}

/* The audit row of a write: the version as it is now in the transaction (after). */
static int audit(struct req *r, struct db *db, int64_t id, const char *action, const char *before)
{
    struct buf after;
    buf_init(&after, RULES_BODY_MAX * 2);
    int rc = before && !strcmp(action, "delete") ? 0 : store_rule_json(db, id, &after);
    if (!rc) {
        rc = audit_write(r, db, "rule_set", id, action, before,
                         strcmp(action, "delete") ? after.p : NULL);
    }
    buf_release(&after);
    return rc;
}

static int api_rule_create(struct req *r)
{
    json_t *j = NULL, *parsed = NULL;
    struct rule_input in = {0};
    int rc = read_input(r, &j, &parsed, &in);
    struct rule_error e = {{0}, {0}};
    struct rule_ref ref = {0};
    struct db *db = NULL;
    if (!rc && !(rc = store_begin(app.store, &db))) {
        rc = rules_create(db, &in, r->who->user_id, &ref, &e);
        if (!rc) {
            rc = audit(r, db, ref.id, "create", NULL);
        }
        rc = finish(r, db, rc, ref.id, 201);
    }
    json_decref(parsed);
    json_decref(j);
    if (rc == ERR_INPUT) {
        return e.field[0] ? input_error(r, &e) : 0; /* else read_input answered */
    }
    return rc ? resp_err(r, rc, NULL, NULL) : 0;
}

/* The version's JSON before a write (for the audit row), or an error response. */
static int before_of(struct req *r, struct db *db, int64_t id, char **before, struct rule_ref *ref)
{
    struct buf b;
    buf_init(&b, RULES_BODY_MAX * 2);
    int rc = id > 0 ? store_rule_json(db, id, &b) : ERR_NOTFOUND;
    if (!rc) {
        rc = rules_get(db, id, NULL, ref);
    }
    *before = rc ? NULL : arena_strdup(r->a, b.p);
    buf_release(&b);
    return rc;
}

static int write_error(struct req *r, int rc)
{
    return rc == ERR_NOTFOUND   ? not_found(r)
           : rc == ERR_CONFLICT ? used_error(r)
                                : resp_err(r, rc, NULL, NULL);
}

static int api_rule_update(struct req *r)
{
    int64_t id = req_id(r, 0);
    json_t *j = NULL, *parsed = NULL;
    struct rule_input in = {0};
    if (read_input(r, &j, &parsed, &in)) {
        json_decref(j);
        return 0;
    }
    struct db *db;
    struct rule_error e = {{0}, {0}};
    int rc = store_begin(app.store, &db);
    if (!rc) {
        char *before = NULL;
        struct rule_ref ref = {0};
        rc = before_of(r, db, id, &before, &ref);
        /* The kind and jurisdiction belong to the version's identity: a PUT keeps them. */
        in.kind = ref.kind;
        in.region_prefix = ref.region;
        if (!rc) {
            rc = rules_update(db, id, &in, &e);
        }
        if (!rc) {
            rc = audit(r, db, id, "update", before);
        }
        rc = finish(r, db, rc, id, 200);
    }
    json_decref(parsed);
    json_decref(j);
    return rc == ERR_INPUT ? input_error(r, &e) : rc ? write_error(r, rc) : 0;
}

static int api_rule_delete(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (!rc) {
        char *before = NULL;
        struct rule_ref ref = {0};
        rc = before_of(r, db, id, &before, &ref);
        if (!rc) {
            rc = audit(r, db, id, "delete", before); /* before the row goes: it names it */
        }
        if (!rc) {
            rc = rules_delete(db, id);
        }
        rc = finish(r, db, rc, 0, 204);
    }
    return rc ? write_error(r, rc) : 0;
}

/* GET /api/v1/rules/{id}/export: the version as a defaults file (data/rules/<kind>.json). */
static int api_rule_export(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db = store_read(app.store);
    struct buf b;
    buf_init(&b, RULES_BODY_MAX * 2);
    int rc = id > 0 ? store_rule_json(db, id, &b) : ERR_NOTFOUND;
    store_release(app.store, db);
    json_t *v = rc ? NULL : json_loadb(b.p, b.len, 0, NULL);
    buf_release(&b);
    if (rc == ERR_NOTFOUND || (!rc && !v)) {
        return rc ? not_found(r) : resp_err(r, ERR_DB, NULL, NULL);
    }
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    json_t *out =
        json_pack("{s:O, s:[{s:O, s:O, s:O, s:O, s:O, s:O}]}", "kind", json_object_get(v, "kind"),
                  "versions", "region_prefix", json_object_get(v, "region_prefix"),
                  "effective_from", json_object_get(v, "effective_from"), "source",
                  json_object_get(v, "source"), "note", json_object_get(v, "note"), "version",
                  json_object_get(v, "version"), "body", json_object_get(v, "body"));
    char *text = out ? json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    if (text) {
        buf_puts(&r->out, text);
        buf_putc(&r->out, '\n');
    }
    const char *kind = json_string_value(json_object_get(v, "kind"));
    int version = (int)json_integer_value(json_object_get(v, "version"));
    const char *prefix = json_string_value(json_object_get(v, "region_prefix"));
    char *name = arena_printf(r->a, "%s%s%s-v%d.json", kind, prefix[0] ? "-" : "", prefix, version);
    free(text);
    json_decref(out);
    json_decref(v);
    resp_header(r, "Content-Disposition", entity_disposition(r, name, name));
    return resp_json(r, 200);
}

static const struct route routes[] = {
    {"GET", "/api/v1/rules", ROLES_STAFF, api_rules_list, 0, "Rule-set versions"},
    {"POST", "/api/v1/rules", ROLE_ADMIN, api_rule_create, 0, "Create a rule-set version"},
    {"GET", "/api/v1/rules/kinds", ROLES_STAFF, api_rule_kinds, 0, "Rule-set kinds and schemas"},
    {"GET", "/api/v1/rules/resolve", ROLES_STAFF, api_rule_resolve, 0,
     "The rule-set version in force for a region and day"},
    {"GET", "/api/v1/rules/{id}", ROLES_STAFF, api_rule_get, 0, "One rule-set version"},
    {"PUT", "/api/v1/rules/{id}", ROLE_ADMIN, api_rule_update, 0,
     "Correct a rule-set version no decision used"},
    {"DELETE", "/api/v1/rules/{id}", ROLE_ADMIN, api_rule_delete, 0,
     "Remove a rule-set version no decision used"},
    {"GET", "/api/v1/rules/{id}/export", ROLES_STAFF, api_rule_export, 0,
     "Download a rule-set version as a defaults file"},
};

void rules_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
