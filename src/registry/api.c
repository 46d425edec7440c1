/*
** Registry HTTP handlers: thin wrappers over the generic entity handlers plus the checks that
** belong to each entity (outlet codes, point MN and outlet ownership, limit ownership, permit
** validity), and the enterprise history.
*/
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "core/util.h"
#include "platform/app.h"
#include "platform/entity.h"
#include "registry/io.h"
#include "registry/registry.h"
#include "rules/rules.h"
#include "store/q_registry.h"

#define REGISTRY_WRITE (ROLE_ADMIN | ROLE_APPROVER | ROLE_INSPECTOR)
#define TECH_WRITE (ROLE_ADMIN | ROLE_APPROVER | ROLE_INSPECTOR | ROLE_MONITOR)

static int outlet_check(struct req *r, struct db *db, json_t *in, bool create, int64_t id,
                        int64_t parent_id, struct entity_write *w)
{
    const struct db_value *code = entity_write_get(w, "code"), *kind = entity_write_get(w, "kind");
    if (!create && code) {
        return entity_error_add(w, 422, "code", "read_only", "排放口编号创建后不可修改",
                                "Outlet code: cannot be changed after creation");
    }
    if (create && code && kind) {
        const char *want = !strcmp(kind->s, "water") ? "DW" : "DA";
        bool ok = code->n == 5 && !strncmp(code->s, want, 2);
        for (size_t i = 2; ok && i < 5; i++) {
            ok = code->s[i] >= '0' && code->s[i] <= '9';
        }
        if (!ok) {
            return entity_error_add(
                w, 422, "code", "invalid",
                arena_printf(r->a, "排放口编号应为 %s 加三位数字，如 %s001", want, want),
                arena_printf(r->a, "Outlet code: must be %s followed by 3 digits, e.g. %s001", want,
                             want));
        }
    }
    (void)db, (void)in, (void)id, (void)parent_id;
    return 0;
}

static int point_check(struct req *r, struct db *db, json_t *in, bool create, int64_t id,
                       int64_t parent_id, struct entity_write *w)
{
    const struct db_value *mn = entity_write_get(w, "mn");
    for (size_t i = 0; mn && i < mn->n; i++) {
        char c = mn->s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
            return entity_error_add(w, 422, "mn", "invalid", "设备唯一标识 MN 只能包含字母和数字",
                                    "Device MN: letters and digits only");
        }
    }
    const struct db_value *outlet = entity_write_get(w, "outlet_id");
    int64_t ent = parent_id, owner = 0;
    if (!create && outlet && outlet->type == DB_INT) {
        store_entity_owner(db, &ENTITY_POINT, id, &ent);
    }
    if (outlet && outlet->type == DB_INT &&
        (store_entity_owner(db, &ENTITY_OUTLET, outlet->i, &owner) || owner != ent)) {
        return entity_error_add(w, 422, "outlet_id", "invalid", "排放口不属于该企业",
                                "Outlet: belongs to another enterprise");
    }
    (void)in;
    return 0;
}

static int limit_check(struct req *r, struct db *db, json_t *in, bool create, int64_t id,
                       int64_t parent_id, struct entity_write *w)
{
    if (create) {
        int64_t ent;
        if (store_entity_owner(db, &ENTITY_OUTLET, parent_id, &ent)) {
            return ERR_NOTFOUND;
        }
        entity_write_int(w, "enterprise_id", ent);
    }
    (void)r, (void)in, (void)id;
    return 0;
}

static int permit_check(struct req *r, struct db *db, json_t *in, bool create, int64_t id,
                        int64_t parent_id, struct entity_write *w)
{
    const struct db_value *from = entity_write_get(w, "valid_from");
    const struct db_value *to = entity_write_get(w, "valid_to");
    int32_t f, t;
    if (create && from && (!to || !to->n) && !calendar_date_parse(from->s, from->n, &f)) {
        /* Permits run five years: from 2026-03-01 to 2031-02-28. */
        char out[11];
        int y = calendar_year_of(f);
        int32_t end;
        char iso[11];
        calendar_date_format(f, iso);
        char next[32];
        snprintf(next, sizeof next, "%04d%s", y + 5, iso + 4);
        if (calendar_date_parse(next, 10, &end)) {
            snprintf(next, sizeof next, "%04d-03-01", y + 5); /* 29 Feb → 1 Mar */
            calendar_date_parse(next, 10, &end);
        }
        calendar_date_format(end - 1, out);
        entity_write_text(w, "valid_to", arena_strdup(r->a, out));
        to = entity_write_get(w, "valid_to");
    }
    if (create && !to) {
        return entity_error_add(w, 422, "valid_to", "required", "有效期至为必填项",
                                "Valid to: required");
    }
    if (from && to && !calendar_date_parse(from->s, from->n, &f) &&
        !calendar_date_parse(to->s, to->n, &t) && t < f) {
        return entity_error_add(w, 422, "valid_to", "invalid", "有效期至不能早于有效期起",
                                "Valid to: before valid from");
    }
    (void)db, (void)in, (void)id, (void)parent_id;
    return 0;
}

const struct entity_api registry_enterprise_api = {
    .def = &ENTITY_ENTERPRISE, .read_roles = ROLES_ANY, .write_roles = REGISTRY_WRITE};
static const struct entity_api outlet_api = {.def = &ENTITY_OUTLET,
                                             .read_roles = ROLES_ANY,
                                             .write_roles = TECH_WRITE,
                                             .parent = &ENTITY_ENTERPRISE,
                                             .check = outlet_check};
static const struct entity_api point_api = {.def = &ENTITY_POINT,
                                            .read_roles = ROLES_ANY,
                                            .write_roles = TECH_WRITE,
                                            .parent = &ENTITY_ENTERPRISE,
                                            .check = point_check};
static const struct entity_api limit_api = {.def = &ENTITY_LIMIT,
                                            .read_roles = ROLES_ANY,
                                            .write_roles = TECH_WRITE,
                                            .parent = &ENTITY_OUTLET,
                                            .check = limit_check};
static const struct entity_api permit_api = {.def = &ENTITY_PERMIT,
                                             .read_roles = ROLES_ANY,
                                             .write_roles = REGISTRY_WRITE,
                                             .parent = &ENTITY_ENTERPRISE,
                                             .check = permit_check};
static const struct entity_api agency_api = {
    .def = &ENTITY_AGENCY, .read_roles = ROLES_STAFF, .write_roles = ROLE_ADMIN | ROLE_APPROVER};

/* Handlers: one line each, named api_<resource>_<verb>. */
#define ID0 req_id(r, 0)
static int api_enterprises_list(struct req *r)
{
    return entity_list(r, &registry_enterprise_api, 0);
}
static int api_enterprises_create(struct req *r)
{
    return entity_create(r, &registry_enterprise_api, 0);
}
static int api_enterprises_get(struct req *r)
{
    return entity_get(r, &registry_enterprise_api, ID0);
}
static int api_enterprises_update(struct req *r)
{
    return entity_update(r, &registry_enterprise_api, ID0);
}
static int api_enterprises_deactivate(struct req *r)
{
    return entity_set_status(r, &registry_enterprise_api, ID0, "inactive");
}
static int api_enterprises_activate(struct req *r)
{
    return entity_set_status(r, &registry_enterprise_api, ID0, "active");
}
static int api_outlets_list(struct req *r)
{
    return entity_list(r, &outlet_api, 0);
}
static int api_outlets_of(struct req *r)
{
    return entity_list(r, &outlet_api, ID0 > 0 ? ID0 : 1LL << 62);
}
static int api_outlets_create(struct req *r)
{
    return entity_create(r, &outlet_api, ID0);
}
static int api_outlets_get(struct req *r)
{
    return entity_get(r, &outlet_api, ID0);
}
static int api_outlets_update(struct req *r)
{
    return entity_update(r, &outlet_api, ID0);
}
static int api_outlets_deactivate(struct req *r)
{
    return entity_set_status(r, &outlet_api, ID0, "inactive");
}
static int api_outlets_activate(struct req *r)
{
    return entity_set_status(r, &outlet_api, ID0, "active");
}
static int api_points_list(struct req *r)
{
    return entity_list(r, &point_api, 0);
}
static int api_points_of(struct req *r)
{
    return entity_list(r, &point_api, ID0 > 0 ? ID0 : 1LL << 62);
}
static int api_points_create(struct req *r)
{
    return entity_create(r, &point_api, ID0);
}
static int api_points_get(struct req *r)
{
    return entity_get(r, &point_api, ID0);
}
static int api_points_update(struct req *r)
{
    return entity_update(r, &point_api, ID0);
}
static int api_points_deactivate(struct req *r)
{
    return entity_set_status(r, &point_api, ID0, "inactive");
}
static int api_points_activate(struct req *r)
{
    return entity_set_status(r, &point_api, ID0, "active");
}
static int api_limits_of(struct req *r)
{
    return entity_list(r, &limit_api, ID0 > 0 ? ID0 : 1LL << 62);
}
static int api_limits_list(struct req *r)
{
    return entity_list(r, &limit_api, 0);
}
static int api_limits_create(struct req *r)
{
    return entity_create(r, &limit_api, ID0);
}
static int api_limits_update(struct req *r)
{
    return entity_update(r, &limit_api, ID0);
}
static int api_limits_deactivate(struct req *r)
{
    return entity_set_status(r, &limit_api, ID0, "inactive");
}
static int api_permits_of(struct req *r)
{
    return entity_list(r, &permit_api, ID0 > 0 ? ID0 : 1LL << 62);
}
static int api_permits_create(struct req *r)
{
    return entity_create(r, &permit_api, ID0);
}
static int api_permits_get(struct req *r)
{
    return entity_get(r, &permit_api, ID0);
}
static int api_permits_update(struct req *r)
{
    return entity_update(r, &permit_api, ID0);
}
static int api_permits_deactivate(struct req *r)
{
    return entity_set_status(r, &permit_api, ID0, "inactive");
}
static int api_agencies_list(struct req *r)
{
    return entity_list(r, &agency_api, 0);
}
static int api_agencies_create(struct req *r)
{
    return entity_create(r, &agency_api, 0);
}
static int api_agencies_get(struct req *r)
{
    return entity_get(r, &agency_api, ID0);
}
static int api_agencies_update(struct req *r)
{
    return entity_update(r, &agency_api, ID0);
}
static int api_agencies_deactivate(struct req *r)
{
    return entity_set_status(r, &agency_api, ID0, "inactive");
}

/* Permits list with ?expiring_within_days=N (valid_to within N days from today). */
static int api_permits_list(struct req *r)
{
    const char *days = req_query(r, "expiring_within_days");
    if (!days) {
        return entity_list(r, &permit_api, 0);
    }
    int64_t n;
    if (parse_i64(days, strlen(days), &n) || n < 0 || n > 3650) {
        return resp_error(r, 422, "invalid", "天数应为 0–3650 / days must be 0..3650",
                          "expiring_within_days");
    }
    struct list_query q;
    if (entity_list_query(r, permit_api.def, &q)) {
        return 0;
    }
    char limit[11];
    date_cn(wall_ms() / 1000 + n * 86400, limit);
    q.valid_to_before = limit;
    if (!q.sort) {
        q.sort = "valid_to";
    }
    q.filter_field[q.n_filters] = "status";
    q.filter_value[q.n_filters++] = "active";
    struct db *db = store_read(app.store);
    int rc = store_entity_list(db, permit_api.def, &r->who->scope, &q, &r->out);
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int api_enterprises_history(struct req *r)
{
    int64_t id = ID0;
    struct db *db = store_read(app.store);
    int rc = id > 0 ? entity_enterprise_visible(r, db, id) : ERR_NOTFOUND;
    if (!rc) {
        rc = store_audit_enterprise(db, id, 200, &r->out);
    }
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int api_enterprises_export(struct req *r)
{
    return entity_export(r, &registry_enterprise_api);
}

static int api_permits_export(struct req *r)
{
    return entity_export(r, &permit_api);
}

static int api_agencies_export(struct req *r)
{
    return entity_export(r, &agency_api);
}

static int api_points_export(struct req *r)
{
    return entity_export(r, &point_api);
}

#define RW REGISTRY_WRITE
#define TW TECH_WRITE
static const struct route routes[] = {
    {"GET", "/api/v1/enterprises", ROLES_ANY, api_enterprises_list, 0, "List enterprises"},
    {"POST", "/api/v1/enterprises", RW, api_enterprises_create, 0, "Create an enterprise"},
    {"GET", "/api/v1/enterprises/export", ROLES_STAFF, api_enterprises_export, 0,
     "Export enterprises (CSV or XLSX)"},
    {"POST", "/api/v1/enterprises/import", ROLE_ADMIN | ROLE_APPROVER, api_enterprises_import,
     RF_UPLOAD, "Import enterprises (CSV or XLSX, all-or-nothing)"},
    {"GET", "/api/v1/enterprises/import-template", ROLE_ADMIN | ROLE_APPROVER,
     api_enterprises_import_template, 0, "Enterprise import template (CSV or XLSX)"},
    {"GET", "/api/v1/enterprises/{id}", ROLES_ANY, api_enterprises_get, 0, "Get an enterprise"},
    {"PATCH", "/api/v1/enterprises/{id}", RW, api_enterprises_update, 0, "Update an enterprise"},
    {"POST", "/api/v1/enterprises/{id}/deactivate", RW, api_enterprises_deactivate, 0,
     "Deactivate an enterprise"},
    {"POST", "/api/v1/enterprises/{id}/activate", RW, api_enterprises_activate, 0,
     "Reactivate an enterprise"},
    {"GET", "/api/v1/enterprises/{id}/history", ROLES_ANY, api_enterprises_history, 0,
     "Audit history of an enterprise and its records"},
    {"GET", "/api/v1/enterprises/{id}/outlets", ROLES_ANY, api_outlets_of, 0,
     "Outlets of an enterprise"},
    {"POST", "/api/v1/enterprises/{id}/outlets", TW, api_outlets_create, 0, "Create an outlet"},
    {"GET", "/api/v1/enterprises/{id}/points", ROLES_ANY, api_points_of, 0,
     "Monitoring points of an enterprise"},
    {"POST", "/api/v1/enterprises/{id}/points", TW, api_points_create, 0,
     "Create a monitoring point"},
    {"GET", "/api/v1/enterprises/{id}/permits", ROLES_ANY, api_permits_of, 0,
     "Permits of an enterprise"},
    {"POST", "/api/v1/enterprises/{id}/permits", RW, api_permits_create, 0, "Create a permit"},
    {"GET", "/api/v1/outlets", ROLES_STAFF, api_outlets_list, 0, "List outlets"},
    {"GET", "/api/v1/outlets/{id}", ROLES_ANY, api_outlets_get, 0, "Get an outlet"},
    {"PATCH", "/api/v1/outlets/{id}", TW, api_outlets_update, 0, "Update an outlet"},
    {"POST", "/api/v1/outlets/{id}/deactivate", TW, api_outlets_deactivate, 0,
     "Deactivate an outlet"},
    {"POST", "/api/v1/outlets/{id}/activate", TW, api_outlets_activate, 0, "Reactivate an outlet"},
    {"GET", "/api/v1/outlets/{id}/limits", ROLES_ANY, api_limits_of, 0,
     "Emission limits of an outlet"},
    {"POST", "/api/v1/outlets/{id}/limits", TW, api_limits_create, 0, "Create an emission limit"},
    {"GET", "/api/v1/limits", ROLES_STAFF, api_limits_list, 0, "List emission limits"},
    {"PATCH", "/api/v1/limits/{id}", TW, api_limits_update, 0, "Update an emission limit"},
    {"POST", "/api/v1/limits/{id}/deactivate", TW, api_limits_deactivate, 0,
     "Deactivate an emission limit"},
    {"GET", "/api/v1/points", ROLES_STAFF, api_points_list, 0, "List monitoring points"},
    {"GET", "/api/v1/points/export", ROLES_STAFF, api_points_export, 0, "Export monitoring points"},
    {"GET", "/api/v1/points/{id}", ROLES_ANY, api_points_get, 0, "Get a monitoring point"},
    {"PATCH", "/api/v1/points/{id}", TW, api_points_update, 0, "Update a monitoring point"},
    {"POST", "/api/v1/points/{id}/deactivate", TW, api_points_deactivate, 0,
     "Deactivate a monitoring point"},
    {"POST", "/api/v1/points/{id}/activate", TW, api_points_activate, 0,
     "Reactivate a monitoring point"},
    {"GET", "/api/v1/permits", ROLES_STAFF, api_permits_list, 0, "List permits"},
    {"GET", "/api/v1/permits/export", ROLES_STAFF, api_permits_export, 0, "Export permits"},
    {"GET", "/api/v1/permits/{id}", ROLES_ANY, api_permits_get, 0, "Get a permit"},
    {"PATCH", "/api/v1/permits/{id}", RW, api_permits_update, 0, "Update a permit"},
    {"POST", "/api/v1/permits/{id}/deactivate", RW, api_permits_deactivate, 0, "Revoke a permit"},
    {"GET", "/api/v1/agencies", ROLES_STAFF, api_agencies_list, 0, "List agencies"},
    {"POST", "/api/v1/agencies", ROLE_ADMIN | ROLE_APPROVER, api_agencies_create, 0,
     "Create an agency"},
    {"GET", "/api/v1/agencies/export", ROLES_STAFF, api_agencies_export, 0, "Export agencies"},
    {"GET", "/api/v1/agencies/{id}", ROLES_STAFF, api_agencies_get, 0, "Get an agency"},
    {"PATCH", "/api/v1/agencies/{id}", ROLE_ADMIN | ROLE_APPROVER, api_agencies_update, 0,
     "Update an agency"},
    {"POST", "/api/v1/agencies/{id}/deactivate", ROLE_ADMIN | ROLE_APPROVER,
     api_agencies_deactivate, 0, "Deactivate an agency"},
};

void registry_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}

/* The registry's figures on the 工作台: enterprises, outlets and points, and the permits due
   within permit.expiry's warn_days for the caller's area (the card links to that list). */
int registry_dashboard(struct req *r, struct db *db, struct buf *out)
{
    const struct scope *sc = &r->who->scope;
    const char *area = sc->kind == SCOPE_REGIONS && sc->n_prefixes ? sc->prefixes[0] : "";
    int64_t warn_days = rules_int_today(db, "permit.expiry", area, "warn_days", 60);
    int64_t now = wall_ms() / 1000;
    char today[11], limit[11];
    date_cn(now, today);
    date_cn(now + warn_days * 86400, limit);
    int rc = store_dashboard_registry(db, sc, today, limit, out);
    buf_printf(out, ",\"permit_warn_days\":%lld", (long long)warn_days);
    return rc;
}
