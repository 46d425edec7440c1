/*
** Calendar routes. app.cal is shared by every request thread under app.cal_lock: deadline
** computations take the read lock; loading a year validates it on a private calendar first,
** stores it, then swaps it in under the write lock.
*/
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "calendar/calendar_api.h"
#include "core/err.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/audit.h"

static int api_calendar_years(struct req *r)
{
    int years[256];
    pthread_rwlock_rdlock(&app.cal_lock);
    size_t n = app.cal ? calendar_years(app.cal, years, 256) : 0;
    pthread_rwlock_unlock(&app.cal_lock);
    buf_puts(&r->out, "{\"years\":[");
    for (size_t i = 0; i < n; i++) {
        buf_printf(&r->out, "%s%d", i ? "," : "", years[i]);
    }
    buf_puts(&r->out, "]}");
    return resp_json(r, 200);
}

static int year_param(struct req *r, int *year)
{
    int64_t y = req_id(r, 0);
    if (y < 1970 || y > 2199) {
        resp_error(r, 422, "invalid", "年份应在 1970–2199 之间 / year must be 1970..2199", "year");
        return ERR_INPUT;
    }
    *year = (int)y;
    return 0;
}

static int api_calendar_get(struct req *r)
{
    int year;
    if (year_param(r, &year)) {
        return 0;
    }
    struct db *db = store_read(app.store);
    int rc = store_calendar_get(db, year, &r->out);
    store_release(app.store, db);
    if (rc == ERR_NOTFOUND) {
        return resp_error(r, 404, "year_not_loaded",
                          arena_printf(r->a,
                                       "%d 年的节假日安排尚未加载 / calendar year %d is not loaded",
                                       year, year),
                          "year");
    }
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int api_calendar_put(struct req *r)
{
    int year, loaded = 0;
    if (year_param(r, &year)) {
        return 0;
    }
    struct calendar *fresh = xcalloc(1, sizeof *fresh);
    calendar_init(fresh);
    char err[256] = "";
    int rc = calendar_load_json(fresh, r->body.p, r->body.len, &loaded, err, sizeof err);
    calendar_free(fresh);
    free(fresh);
    if (rc || loaded != year) {
        return resp_error(r, 422, "invalid_calendar",
                          arena_printf(r->a, "日历数据无效 / invalid calendar: %s",
                                       rc ? err : "the body's year differs from the URL"),
                          "body");
    }
    json_t *j = json_loadb(r->body.p, r->body.len, 0, NULL);
    const char *source = j ? json_string_value(json_object_get(j, "source")) : NULL;
    struct db *db;
    rc = store_begin(app.store, &db);
    if (!rc) {
        char *body = arena_strndup(r->a, r->body.p, r->body.len);
        rc = store_calendar_put(db, year, source, body, r->who->username);
        if (!rc) {
            rc = audit_write(r, db, "calendar", year, "load", NULL, body);
        }
        rc = rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
    }
    json_decref(j);
    if (!rc) {
        pthread_rwlock_wrlock(&app.cal_lock);
        rc = calendar_load_json(app.cal, r->body.p, r->body.len, &loaded, err, sizeof err);
        pthread_rwlock_unlock(&app.cal_lock);
    }
    return rc ? resp_err(r, rc, NULL, NULL) : api_calendar_get(r);
}

/* GET /api/v1/calendar/deadline?from=YYYY-MM-DD&workdays=N[&calendar_days=N] */
static int api_calendar_deadline(struct req *r)
{
    const char *from = req_query(r, "from"), *wd = req_query(r, "workdays");
    const char *cd = req_query(r, "calendar_days");
    int32_t day, out;
    int64_t n;
    if (!from || calendar_date_parse(from, strlen(from), &day)) {
        return resp_error(r, 422, "invalid_date", "from 应为 YYYY-MM-DD / from must be YYYY-MM-DD",
                          "from");
    }
    const char *which = wd ? "workdays" : "calendar_days";
    const char *v = wd ? wd : cd;
    if (!v || parse_i64(v, strlen(v), &n) || n < 0 || n > 3650) {
        return resp_error(r, 422, "invalid", "天数应为 0–3650 / days must be 0..3650", which);
    }
    int missing = 0;
    pthread_rwlock_rdlock(&app.cal_lock);
    int rc = wd ? calendar_add_workdays(app.cal, day, (int)n, &out, &missing)
                : calendar_add_days_rolled(app.cal, day, (int)n, &out, &missing);
    pthread_rwlock_unlock(&app.cal_lock);
    if (rc == ERR_NOTFOUND) {
        return resp_error(r, 422, "year_not_loaded",
                          arena_printf(r->a,
                                       "缺少 %d 年的节假日安排，请管理员加载 / calendar year %d "
                                       "is not loaded; an admin must load it",
                                       missing, missing),
                          "from");
    }
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    char iso[11];
    calendar_date_format(out, iso);
    buf_printf(&r->out, "{\"from\":\"%s\",\"%s\":%lld,\"deadline\":\"%s\"}", from, which,
               (long long)n, iso);
    return resp_json(r, 200);
}

static const struct route routes[] = {
    {"GET", "/api/v1/calendar", ROLES_ANY, api_calendar_years, 0, "Loaded calendar years"},
    {"GET", "/api/v1/calendar/deadline", ROLES_ANY, api_calendar_deadline, 0,
     "Working-day deadline arithmetic"},
    {"GET", "/api/v1/calendar/{year}", ROLES_ANY, api_calendar_get, 0, "One calendar year"},
    {"PUT", "/api/v1/calendar/{year}", ROLE_ADMIN, api_calendar_put, 0,
     "Load or replace a calendar year"},
};

void calendar_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
