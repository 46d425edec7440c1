/*
** Monitoring routes: a point's readings (filtered by factor, kind, command and time), its raw
** frames of the last hour and its protocol deviations; the quarantine of frames from unknown
** or wrongly authenticated devices.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "monitor/monitor.h"
#include "platform/app.h"

#define MONITOR_READ (ROLES_ANY)

/* The point must be visible to the principal; *mn gets its MN. */
static int point_visible(struct req *r, struct db *db, int64_t id, char mn[40])
{
    struct buf b;
    buf_init(&b, 1 << 16);
    int rc = id > 0 ? store_entity_get(db, &ENTITY_POINT, &r->who->scope, id, &b) : ERR_NOTFOUND;
    const char *p = rc ? NULL : strstr(b.p, "\"mn\":\"");
    if (p) {
        snprintf(mn, 40, "%.*s", (int)strcspn(p + 6, "\""), p + 6);
    }
    buf_release(&b);
    return rc;
}

static const char *param(struct req *r, const char *name, size_t max)
{
    const char *v = req_query(r, name);
    return v && *v && strlen(v) <= max ? v : NULL;
}

static int api_points_readings(struct req *r)
{
    int64_t id = req_id(r, 0);
    const char *limit_s = req_query(r, "limit");
    int64_t limit = 1000;
    if (limit_s && (parse_i64(limit_s, strlen(limit_s), &limit) || limit < 1 || limit > 20000)) {
        return resp_error(r, 422, "invalid", "limit 应在 1 到 20000 之间 / limit must be 1..20000",
                          "limit");
    }
    char mn[40];
    struct db *db = store_read(app.store);
    int rc = point_visible(r, db, id, mn);
    if (!rc) {
        rc = store_readings_list(db, id, param(r, "factor", 16), param(r, "kind", 8),
                                 param(r, "cn", 8), param(r, "from", 32), param(r, "to", 32),
                                 (size_t)limit, &r->out);
    }
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int api_points_frames(struct req *r)
{
    int64_t id = req_id(r, 0);
    char mn[40];
    struct db *db = store_read(app.store);
    int rc = point_visible(r, db, id, mn);
    if (!rc) {
        rc = store_frames_list(db, id, 500, &r->out);
    }
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int api_points_deviations(struct req *r)
{
    int64_t id = req_id(r, 0);
    char mn[40] = "";
    struct db *db = store_read(app.store);
    int rc = point_visible(r, db, id, mn);
    if (!rc) {
        rc = store_deviations_list(db, mn, &r->out);
    }
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int api_quarantine_list(struct req *r)
{
    struct db *db = store_read(app.store);
    int rc = store_quarantine_list(db, 500, &r->out);
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static const struct route routes[] = {
    {"GET", "/api/v1/points/{id}/readings", MONITOR_READ, api_points_readings, 0,
     "Readings of a monitoring point"},
    {"GET", "/api/v1/points/{id}/frames", ROLES_STAFF, api_points_frames, 0,
     "Raw HJ 212 frames of a point (last hour)"},
    {"GET", "/api/v1/points/{id}/deviations", ROLES_STAFF, api_points_deviations, 0,
     "HJ 212 protocol deviations counted for a point's device"},
    {"GET", "/api/v1/monitor/quarantine", ROLE_ADMIN | ROLE_MONITOR, api_quarantine_list, 0,
     "Frames from unknown or wrongly authenticated devices"},
};

void monitor_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
