/*
** Zoning routes under /api/v1/zoning: the site check (staff and enterprise users), the
** editions (list; import from GeoJSON or a Shapefile zip and putting one in force: admin), the
** units (list with sort/filter/page, one unit with its access list, the map of an edition).
** Pre-consultations are in consult.c. Every write is one transaction with its audit row.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/entity.h"
#include "store/q_zoning.h"
#include "zoning/internal.h"

static const struct entity_api UNITS = {
    .def = &ENTITY_ZONING_UNIT, .read_roles = ROLES_ANY, .write_roles = 0};

static int check_fail(struct req *r, int rc, const char *field, const char *why)
{
    buf_reset(&r->out);
    if (rc == ERR_INPUT || rc == ERR_TOOBIG) {
        return resp_error(r, rc == ERR_TOOBIG ? 413 : 422, rc == ERR_TOOBIG ? "too_big" : "invalid",
                          why, field ? field : "geometry");
    }
    return resp_err(r, rc, NULL, NULL);
}

/* POST /api/v1/zoning/check {geometry, industry, edition} */
static int api_check(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *industry = NULL, *edition = NULL;
    json_t *g = json_object_get(in, "geometry");
    int rc = json_get_str(r, in, "industry", 16, false, &industry);
    rc = rc ? rc : json_get_str(r, in, "edition", 31, false, &edition);
    if (rc) {
        json_decref(in);
        return 0;
    }
    if (!zoning_industry_valid(industry)) {
        json_decref(in);
        return resp_error(r, 422, "invalid",
                          "行业代码应为国民经济行业代码（如 C2614 或 2614） / industry must be a "
                          "GB/T 4754 code (C2614 or 2614)",
                          "industry");
    }
    if (!json_is_object(g)) {
        json_decref(in);
        return resp_error(
            r, 422, "required",
            "请给出选址（GeoJSON 点或多边形） / geometry (a GeoJSON Point or Polygon) is "
            "required",
            "geometry");
    }
    char *gtext = json_dumps(g, JSON_COMPACT | JSON_REAL_PRECISION(15));
    struct zoning_check_req q = {arena_strdup(r->a, gtext),
                                 industry ? arena_strdup(r->a, industry) : NULL,
                                 edition ? arena_strdup(r->a, edition) : NULL};
    free(gtext);
    json_decref(in);
    struct db *db = store_read(app.store);
    struct zoning_answer ans;
    const char *field = NULL;
    char why[ZONING_ERR_MAX];
    rc = zoning_site_check_why(db, &q, &ans, &r->out, &field, why, sizeof why);
    store_release(app.store, db);
    return rc ? check_fail(r, rc, field, why) : resp_json(r, 200);
}

static int api_editions(struct req *r)
{
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":");
    int rc = store_zoning_editions_json(db, &r->out);
    buf_putc(&r->out, '}');
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static bool is_zip(const struct str *b)
{
    return b->len >= 4 && !memcmp(b->p, "PK\3\4", 4);
}

/* POST /api/v1/zoning/editions/import?edition=&name=&enact=1, file = .geojson or .zip */
static int api_import(struct req *r)
{
    struct str body = r->file.present
                          ? (struct str){r->file.data.p ? r->file.data.p : "", r->file.data.len}
                          : r->body;
    if (body.len == 0) {
        return resp_error(r, 422, "required",
                          "请上传 GeoJSON 文件或 Shapefile 压缩包（字段 file） / upload a GeoJSON "
                          "file or a zipped Shapefile in the field \"file\"",
                          "file");
    }
    if (body.len > (size_t)settings_int("zoning_import_max_bytes")) {
        return resp_error(r, 413, "too_big", "文件过大 / the file is too big", "file");
    }
    const char *edition = req_query(r, "edition"), *name = req_query(r, "name");
    const char *enact = req_query(r, "enact");
    struct zoning_import *im = arena_zalloc(r->a, sizeof *im);
    int rc = zoning_import_edition(im, edition && *edition ? edition : NULL,
                                   name && *name ? name : NULL);
    rc = rc              ? rc
         : is_zip(&body) ? zoning_shapefile_parse(body.p, body.len, im)
                         : zoning_geojson_parse(body.p, body.len, im);
    if (!rc && !im->edition[0]) {
        rc = ERR_INPUT;
        im->field = "edition";
        str_copy(im->why, sizeof im->why,
                 "请给出版本编号（?edition= 或文件的 edition.code） / the edition code is required "
                 "(?edition= or the file's edition.code)");
    }
    if (rc) {
        zoning_import_free(im);
        return resp_error(r, rc == ERR_TOOBIG ? 413 : 422, rc == ERR_TOOBIG ? "too_big" : "invalid",
                          arena_strdup(r->a, im->why), im->field ? im->field : "file");
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct db *db;
    rc = store_begin(app.store, &db);
    int64_t id = 0;
    bool in_force = !enact || strcmp(enact, "0");
    rc = rc ? rc
            : zoning_import_store(db, im, in_force, r->who->user_id, r->who->display_name,
                                  r->request_id, r->ip, now, &id);
    if (!rc) {
        buf_printf(&r->out, "{\"edition_id\":%lld,\"edition\":", (long long)id);
        buf_json_str(&r->out, im->edition, strlen(im->edition));
        buf_printf(&r->out, ",\"source\":\"%s\",\"units\":%zu,\"items\":%zu,\"in_force\":%s}",
                   im->source, im->n, im->n_items, in_force ? "true" : "false");
        rc = store_commit(app.store, db);
    } else if (db) {
        store_rollback(app.store, db);
    }
    zoning_import_free(im);
    if (rc) {
        buf_reset(&r->out);
        return rc == ERR_CONFLICT ? resp_error(r, 409, "conflict", ZONING_IN_FORCE_MSG, "enact")
                                  : resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 201);
}

static int api_enact(struct req *r)
{
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct zoning_edition_row e;
    const char *code = r->params[0];
    rc = store_zoning_edition(db, code, &e);
    if (rc) {
        store_rollback(app.store, db);
        return rc == ERR_NOTFOUND
                   ? resp_error(r, 404, "not_found", "没有该版本 / no such edition", "code")
                   : resp_err(r, rc, NULL, NULL);
    }
    rc = store_zoning_edition_enact(db, e.id, now);
    if (!rc) {
        struct audit_entry a = {.actor_id = r->who->user_id,
                                .actor = r->who->display_name,
                                .entity = "zoning_edition",
                                .entity_id = e.id,
                                .action = "enact",
                                .request_id = r->request_id,
                                .ip = r->ip};
        rc = store_audit_add(db, &a);
    }
    rc = rc ? rc : store_zoning_edition(db, code, &e);
    if (rc) {
        store_rollback(app.store, db);
        return resp_err(r, rc, NULL, NULL);
    }
    rc = store_commit(app.store, db);
    buf_puts(&r->out, "{\"edition\":");
    buf_json_str(&r->out, e.code, strlen(e.code));
    buf_puts(&r->out, ",\"in_force\":true}");
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int api_units(struct req *r)
{
    return entity_list(r, &UNITS, 0);
}

static int api_unit(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db = store_read(app.store);
    int rc = id > 0 ? store_zoning_unit_json(db, id, &r->out) : ERR_NOTFOUND;
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, rc == ERR_NOTFOUND ? "没有该管控单元 / no such unit" : NULL, NULL);
    }
    return resp_json(r, 200);
}

/* GET /api/v1/zoning/map?edition= — the units' outlines for the site-check page's drawing. */
static int api_map(struct req *r)
{
    const char *code = req_query(r, "edition");
    struct db *db = store_read(app.store);
    struct zoning_edition_row e;
    int rc = store_zoning_edition(db, code, &e);
    size_t n = 0;
    if (rc == ERR_NOTFOUND && !(code && *code)) {
        buf_puts(&r->out, "{\"edition\":null,\"units\":[]}");
        rc = 0;
    } else if (!rc) {
        buf_puts(&r->out, "{\"edition\":");
        buf_json_str(&r->out, e.code, strlen(e.code));
        buf_puts(&r->out, ",\"units\":");
        rc = store_zoning_map_json(db, e.id, (size_t)settings_int("zoning_map_max_units"), &r->out,
                                   &n);
        buf_printf(&r->out, ",\"truncated\":%s}", (int64_t)n < e.n_units ? "true" : "false");
    }
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return rc == ERR_NOTFOUND
                   ? resp_error(r, 404, "not_found", "没有该版本 / no such edition", "edition")
                   : resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

static const struct route routes[] = {
    {"POST", "/api/v1/zoning/check", ROLES_ANY, api_check, 0,
     "Site check: the control units a point or polygon touches and the access-list items that "
     "apply to an industry, with the verdict"},
    {"GET", "/api/v1/zoning/editions", ROLES_ANY, api_editions, 0,
     "The zoning editions (版本), newest first, with the one in force"},
    {"POST", "/api/v1/zoning/editions/import", ROLE_ADMIN, api_import, RF_UPLOAD,
     "Import an edition's units from GeoJSON or a zipped Shapefile (all-or-nothing)"},
    {"POST", "/api/v1/zoning/editions/{code}/enact", ROLE_ADMIN, api_enact, 0,
     "Put an edition in force"},
    {"GET", "/api/v1/zoning/units", ROLES_ANY, api_units, 0,
     "Environmental control units (sort, filter by edition, kind, region; page)"},
    {"GET", "/api/v1/zoning/units/{id}", ROLES_ANY, api_unit, 0,
     "One control unit with its boundary and access list"},
    {"GET", "/api/v1/zoning/map", ROLES_ANY, api_map, 0,
     "The outlines of an edition's units for drawing"},
};

void zoning_api_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
    zoning_consult_routes(rt);
}
