/*
** Monitoring routes: the live board; a point's readings, chart series, factors, raw frames,
** protocol deviations and commands; alarm counts (the alarm list and its handling are in
** alarms.c); notifications; org units' webhooks and their delivery log; the quarantine and
** "register and adopt".
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/settings.h"
#include "http/json.h"
#include "monitor/monitor.h"
#include "monitor/watch.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/entity.h"
#include "rules/rules.h"
#include "store/q_alarm.h"
#include "store/q_monitor.h"

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

/* End of a read handler: the JSON written so far, or the error without a half-written body. */
static int read_done(struct req *r, int rc)
{
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
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
    return read_done(r, rc);
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
    return read_done(r, rc);
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
    return read_done(r, rc);
}

static int api_quarantine_list(struct req *r)
{
    struct db *db = store_read(app.store);
    int rc = store_quarantine_list(db, 500, &r->out);
    store_release(app.store, db);
    return read_done(r, rc);
}

/* ---------------- board ---------------- */

struct board {
    struct req *r;
    char offline_before[32];
    int64_t counts[6], connected;
    size_t n;
};

static const char *const BOARD_STATUS[] = {"online",      "alarm",  "offline",
                                           "maintenance", "nodata", NULL};
enum { ST_ONLINE, ST_ALARM, ST_OFFLINE, ST_MAINTENANCE, ST_NODATA };

/* The open alarm kinds the board names, most severe first, with their store_board_each
   columns (offline is column 13). */
static const struct {
    const char *kind;
    int col;
} BOARD_KINDS[] = {{"exceed", 15}, {"early_warning", 16}, {"offline", 13},
                   {"flag", 17},   {"stuck", 18},         {"condition", 19}};

/* Status by severity: an open exceedance or early warning outranks offline (the point is
   judged in alarm whatever its link does); offline outranks maintenance, which outranks the
   other alarms (flags, stuck values, working condition). Offline is a device silent for
   offline_after_s (alarm.handling), or one with its offline alarm still open. */
static int board_status(struct db_stmt *st, const char *seen, const char *offline_before)
{
    bool offline = db_column_int(st, 13) || strcmp(seen, offline_before) < 0;
    return !seen[0]                                         ? ST_NODATA
           : db_column_int(st, 15) || db_column_int(st, 16) ? ST_ALARM
           : offline                                        ? ST_OFFLINE
           : db_column_int(st, 11)                          ? ST_MAINTENANCE
           : db_column_int(st, 12)                          ? ST_ALARM
                                                            : ST_ONLINE;
}

static void on_board_row(struct db_stmt *st, void *ctx)
{
    struct board *b = ctx;
    struct buf *o = &b->r->out;
    const char *region = db_column_text(st, 5, NULL);
    if (!store_scope_allows(&b->r->who->scope, db_column_int(st, 3), region)) {
        return;
    }
    const char *seen = db_column_text(st, 9, NULL);
    int status = board_status(st, seen, b->offline_before);
    b->counts[status]++;
    b->connected += seen[0] && !db_column_int(st, 13) && strcmp(seen, b->offline_before) >= 0;
    buf_puts(o, b->n++ ? ",{" : "{");
    json_kv_int(o, "id", db_column_int(st, 0), false);
    json_kv_str(o, "name", db_column_text(st, 1, NULL), true);
    json_kv_str(o, "mn", db_column_text(st, 2, NULL), true);
    json_kv_int(o, "enterprise_id", db_column_int(st, 3), true);
    json_kv_str(o, "enterprise_name", db_column_text(st, 4, NULL), true);
    json_kv_str(o, "region_code", region, true);
    json_kv_str(o, "region_name", db_column_text(st, 6, NULL), true);
    json_kv_str(o, "outlet_code", db_column_text(st, 7, NULL), true);
    json_kv_str(o, "outlet_kind", db_column_text(st, 8, NULL), true);
    json_kv_str(o, "protocol", db_column_text(st, 14, NULL), true);
    json_kv_str(o, "status", BOARD_STATUS[status], true);
    json_kv_str(o, "last_seen_at", seen, true);
    json_kv_str(o, "last_data_time", db_column_text(st, 10, NULL), true);
    json_kv_int(o, "alarms_open", db_column_int(st, 12), true);
    buf_puts(o, ",\"alarm_kinds\":[");
    for (size_t i = 0, k = 0; i < ARRAY_LEN(BOARD_KINDS); i++) {
        if (db_column_int(st, BOARD_KINDS[i].col)) {
            buf_puts(o, k++ ? ",\"" : "\"");
            buf_puts(o, BOARD_KINDS[i].kind);
            buf_putc(o, '"');
        }
    }
    /* The writer's own JSON (watch.c, live_json); anything else would be a bug there. */
    const char *live = db_column_text(st, 20, NULL);
    buf_puts(o, "],\"values\":");
    buf_puts(o, live[0] == '[' ? live : "[]");
    buf_putc(o, '}');
}

static void on_board_factor(struct db_stmt *st, void *ctx)
{
    struct board *b = ctx;
    struct buf *o = &b->r->out;
    const char *code = db_column_text(st, 0, NULL);
    buf_puts(o, b->n++ ? "," : "");
    buf_json_str(o, code, strlen(code));
    buf_puts(o, ":{");
    json_kv_str(o, "name", db_column_text(st, 1, NULL), false);
    json_kv_str(o, "unit", db_column_text(st, 2, NULL), true);
    buf_putc(o, '}');
}

static void board_counts_json(struct board *b)
{
    struct buf *o = &b->r->out;
    buf_puts(o, "],\"counts\":{");
    json_kv_int(o, "total", (int64_t)b->n, false);
    for (int i = 0; BOARD_STATUS[i]; i++) {
        json_kv_int(o, BOARD_STATUS[i], b->counts[i], true);
    }
    json_kv_int(o, "connected", b->connected, true);
    buf_puts(o, "},\"factors\":{");
}

/* {"items": points in scope (?point_id: that one only), "counts": by status and connected,
   "factors": name and unit of every factor with an active limit (those the values name),
   "generated_at"}. */
static int api_board(struct req *r)
{
    struct board b = {.r = r};
    const char *one = req_query(r, "point_id");
    int64_t point_id = 0;
    if (one && (parse_i64(one, strlen(one), &point_id) || point_id < 1)) {
        return resp_error(r, 422, "invalid",
                          "point_id 应为监测点编号 / point_id must be a point id", "point_id");
    }
    int64_t now_s = wall_ms() / 1000;
    struct db *db = store_read(app.store);
    /* Offline after the alarm.handling of the caller's area (the watch judges each point by its
       own region's; they differ only where a county has a version of its own). */
    const struct scope *sc = &r->who->scope;
    const char *area = sc->kind == SCOPE_REGIONS && sc->n_prefixes ? sc->prefixes[0] : "";
    int64_t offline_s = rules_int_today(db, "alarm.handling", area, "offline_after_s", 1800);
    time_iso(now_s - offline_s, b.offline_before);
    char now[32];
    time_iso(now_s, now);
    buf_puts(&r->out, "{\"items\":[");
    int rc = store_board_each(db, point_id, on_board_row, &b);
    if (!rc) {
        board_counts_json(&b);
        struct board f = {.r = r};
        rc = store_board_factors(db, on_board_factor, &f);
    }
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    buf_puts(&r->out, "},");
    json_kv_str(&r->out, "generated_at", now, false);
    buf_putc(&r->out, '}');
    return resp_json(r, 200);
}

/* ---------------- charts ---------------- */

static bool valid_time(const char *t)
{
    /* "YYYY-MM-DD HH:MM:SS" or a prefix "YYYY-MM-DD" */
    size_t n = strlen(t);
    if (n != 10 && n != 19) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        bool sep = i == 4 || i == 7     ? c == '-'
                   : i == 10            ? c == ' ' || c == 'T'
                   : i == 13 || i == 16 ? c == ':'
                                        : false;
        if (!sep && (c < '0' || c > '9')) {
            return false;
        }
    }
    return true;
}

static int api_points_series(struct req *r)
{
    int64_t id = req_id(r, 0);
    const char *factor = param(r, "factor", 16), *cn = param(r, "cn", 8);
    const char *kind = param(r, "kind", 8), *from = param(r, "from", 19), *to = param(r, "to", 19);
    const char *pts = req_query(r, "points");
    int64_t buckets = 600;
    if (!factor) {
        return resp_error(r, 422, "required", "请选择监测因子 / factor is required", "factor");
    }
    cn = cn ? cn : "2011";
    if (strcmp(cn, "2011") && strcmp(cn, "2051") && strcmp(cn, "2061") && strcmp(cn, "2031")) {
        return resp_error(r, 422, "invalid", "cn 应为 2011/2051/2061/2031 / cn must be a data CN",
                          "cn");
    }
    if (pts && (parse_i64(pts, strlen(pts), &buckets) || buckets < 10 || buckets > 5000)) {
        return resp_error(r, 422, "invalid",
                          "points 应在 10 到 5000 之间 / points must be 10..5000", "points");
    }
    int64_t span = !strcmp(cn, "2031") ? 366 * 86400 : !strcmp(cn, "2061") ? 31 * 86400 : 86400;
    char dfrom[20], dto[20];
    china_time(wall_ms() / 1000 + 60, dto);
    china_time(wall_ms() / 1000 - span, dfrom);
    to = to ? to : dto;
    from = from ? from : dfrom;
    if (!valid_time(from) || !valid_time(to)) {
        return resp_error(r, 422, "invalid",
                          "时间格式应为 YYYY-MM-DD HH:MM:SS / time must be YYYY-MM-DD HH:MM:SS",
                          valid_time(from) ? "to" : "from");
    }
    kind = kind ? kind : !strcmp(cn, "2011") ? "Rtd" : "Avg";
    char mn[40];
    struct db *db = store_read(app.store);
    int rc = point_visible(r, db, id, mn);
    if (!rc) {
        buf_puts(&r->out, "{");
        json_kv_str(&r->out, "factor", factor, false);
        json_kv_str(&r->out, "cn", cn, true);
        json_kv_str(&r->out, "kind", kind, true);
        json_kv_str(&r->out, "from", from, true);
        json_kv_str(&r->out, "to", to, true);
        buf_putc(&r->out, ',');
        rc = store_series(db, id, cn, factor, kind, from, to, (int)buckets, &r->out);
        buf_putc(&r->out, '}');
    }
    store_release(app.store, db);
    return read_done(r, rc);
}

static int api_points_factors(struct req *r)
{
    int64_t id = req_id(r, 0);
    char mn[40], since[20];
    china_time(wall_ms() / 1000 - 7 * 86400, since);
    struct db *db = store_read(app.store);
    int rc = point_visible(r, db, id, mn);
    if (!rc) {
        rc = store_point_factors(db, id, since, &r->out);
    }
    store_release(app.store, db);
    return read_done(r, rc);
}

/* ---------------- alarms ---------------- */

struct counts {
    struct req *r;
    size_t n;
};

static void on_count_row(struct db_stmt *st, void *ctx)
{
    struct counts *c = ctx;
    if (!store_scope_allows(&c->r->who->scope, db_column_int(st, 0), db_column_text(st, 1, NULL))) {
        return;
    }
    struct buf *o = &c->r->out;
    buf_puts(o, c->n++ ? ",{" : "{");
    json_kv_int(o, "enterprise_id", db_column_int(st, 0), false);
    json_kv_str(o, "kind", db_column_text(st, 2, NULL), true);
    json_kv_str(o, "status", db_column_text(st, 3, NULL), true);
    json_kv_int(o, "count", db_column_int(st, 4), true);
    buf_putc(o, '}');
}

/* Alarm counts per enterprise, kind and status: open ones and those of the last 30 days (kept
   for credit and health scoring). */
static int api_alarms_counts(struct req *r)
{
    char since[32];
    time_iso(wall_ms() / 1000 - 30 * 86400, since);
    struct counts c = {r, 0};
    buf_puts(&r->out, "{");
    json_kv_str(&r->out, "since", since, false);
    buf_puts(&r->out, ",\"items\":[");
    struct db *db = store_read(app.store);
    int rc = store_alarm_counts_each(db, since, on_count_row, &c);
    store_release(app.store, db);
    buf_puts(&r->out, "]}");
    return read_done(r, rc);
}

/* ---------------- commands ---------------- */

static const struct entity_api COMMANDS = {
    .def = &ENTITY_COMMAND, .read_roles = ROLES_STAFF, .write_roles = 0, .parent = &ENTITY_POINT};

static int api_commands_list(struct req *r)
{
    return entity_list(r, &COMMANDS, req_id(r, 0));
}

static bool digits14(const char *s)
{
    if (!s || strlen(s) != 14) {
        return false;
    }
    for (int i = 0; i < 14; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    return true;
}

/* Validate a command and build its CP; 0, or the 422 is set. */
static int command_params(struct req *r, const char *cn, json_t *p, char *cp, size_t cap)
{
    static const char *const OK[] = {"1011", "1012", "1061", "1062", "1063", "1064",
                                     "2031", "2041", "2051", "2061", NULL};
    bool known = false;
    for (int i = 0; OK[i]; i++) {
        known |= !strcmp(OK[i], cn);
    }
    if (!known) {
        return resp_error(r, 422, "invalid",
                          "不支持的命令 / unsupported command (1011 1012 1061-1064 2031 2041 "
                          "2051 2061)",
                          "cn") +
               ERR_INPUT;
    }
    if (p && !json_is_object(p)) {
        return resp_error(r, 422, "invalid", "params 应为对象 / params must be an object",
                          "params") +
               ERR_INPUT;
    }
    cp[0] = 0;
    if (!strcmp(cn, "1012")) {
        json_t *v = json_object_get(p, "SystemTime");
        const char *t = v ? json_string_value(v) : NULL;
        if (v && !digits14(t)) {
            return resp_error(r, 422, "invalid",
                              "SystemTime 应为 14 位 YYYYMMDDhhmmss / SystemTime must be 14 digits",
                              "params.SystemTime") +
                   ERR_INPUT;
        }
        char now[20];
        china_time(wall_ms() / 1000, now);
        snprintf(cp, cap, "SystemTime=%s",
                 t ? t
                   : arena_printf(r->a, "%.4s%.2s%.2s%.2s%.2s%.2s", now, now + 5, now + 8, now + 11,
                                  now + 14, now + 17));
    } else if (!strcmp(cn, "1062") || !strcmp(cn, "1064")) {
        const char *key = cn[3] == '2' ? "RtdInterval" : "MinInterval";
        json_t *v = json_object_get(p, key);
        json_int_t lo = cn[3] == '2' ? 30 : 1, hi = cn[3] == '2' ? 3600 : 60;
        if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
            return resp_error(
                       r, 422, "invalid",
                       arena_printf(r->a, "%s 应为 %lld 到 %lld 之间的整数 / %s must be %lld..%lld",
                                    key, (long long)lo, (long long)hi, key, (long long)lo,
                                    (long long)hi),
                       arena_printf(r->a, "params.%s", key)) +
                   ERR_INPUT;
        }
        snprintf(cp, cap, "%s=%lld", key, (long long)json_integer_value(v));
    } else if (cn[0] == '2') {
        const char *b = json_string_value(json_object_get(p, "BeginTime"));
        const char *e = json_string_value(json_object_get(p, "EndTime"));
        if (!digits14(b) || !digits14(e) || strcmp(b, e) >= 0) {
            return resp_error(r, 422, "invalid",
                              "BeginTime/EndTime 应为 14 位时间且起始早于结束 / BeginTime and "
                              "EndTime must be 14 digits, begin before end",
                              digits14(b) ? "params.EndTime" : "params.BeginTime") +
                   ERR_INPUT;
        }
        snprintf(cp, cap, "BeginTime=%s;EndTime=%s", b, e);
    }
    return 0;
}

static int api_commands_create(struct req *r)
{
    int64_t id = req_id(r, 0);
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *cn;
    char cp[128];
    if (json_get_str(r, in, "cn", 8, true, &cn) ||
        command_params(r, cn, json_object_get(in, "params"), cp, sizeof cp)) {
        json_decref(in);
        return 0;
    }
    cn = arena_strdup(r->a, cn);
    json_decref(in);
    char mn[40], now[32];
    time_iso(wall_ms() / 1000, now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    rc = point_visible(r, db, id, mn);
    int64_t cid = 0;
    if (!rc) {
        rc = store_command_insert(db, id, cn, cp, r->who->user_id, now, &cid);
    }
    if (!rc) {
        buf_reset(&r->out);
        rc = store_entity_get(db, &ENTITY_COMMAND, NULL, cid, &r->out);
    }
    if (!rc) {
        rc = audit_write(r, db, "hj212_command", cid, "create", NULL, r->out.p);
    }
    if (rc) {
        store_rollback(app.store, db);
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    rc = store_commit(app.store, db);
    if (!rc) {
        gateway_kick();
    }
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 201);
}

/* ---------------- notifications ---------------- */

static const struct entity_api NOTIFICATIONS = {
    .def = &ENTITY_NOTIFICATION, .read_roles = ROLES_ANY, .write_roles = 0};

static int api_notifications_list(struct req *r)
{
    /* The list, then the caller's read mark, in one object. */
    int rc = entity_list(r, &NOTIFICATIONS, 0);
    if (rc || r->status != 200 || !r->out.len || r->out.p[r->out.len - 1] != '}') {
        return rc;
    }
    struct db *db = store_read(app.store);
    int64_t last = 0;
    store_notification_last_read(db, r->who->user_id, &last);
    store_release(app.store, db);
    r->out.len--;
    buf_printf(&r->out, ",\"last_read_id\":%lld}", (long long)last);
    return 0;
}

static int api_notifications_read(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    json_t *v = json_object_get(in, "up_to_id");
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        json_decref(in);
        return resp_error(r, 422, "invalid", "up_to_id 应为通知编号 / up_to_id must be an id",
                          "up_to_id");
    }
    int64_t up = json_integer_value(v);
    json_decref(in);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (!rc) {
        rc = store_notification_mark_read(db, r->who->user_id, up);
        if (!rc) {
            rc = audit_write(r, db, "notification", up, "read", NULL, NULL);
        }
        rc = rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
    }
    return rc ? resp_err(r, rc, NULL, NULL) : resp_empty(r);
}

/* ---------------- webhooks ---------------- */

static int unit_exists(struct db *db, int64_t unit)
{
    struct buf tmp;
    buf_init(&tmp, 1 << 16);
    int rc = store_entity_get(db, &ENTITY_ORG_UNIT, NULL, unit, &tmp);
    buf_release(&tmp);
    return rc;
}

static int api_webhook_get(struct req *r)
{
    struct db *db = store_read(app.store);
    int rc = unit_exists(db, req_id(r, 0));
    if (!rc) {
        rc = store_webhook_json(db, req_id(r, 0), &r->out);
    }
    store_release(app.store, db);
    return rc ? resp_err(r, rc, rc == ERR_NOTFOUND ? "未配置 / not configured" : NULL, NULL)
              : resp_json(r, 200);
}

static int api_webhook_put(struct req *r)
{
    int64_t unit = req_id(r, 0);
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *url, *secret = NULL;
    json_t *en = json_object_get(in, "enabled");
    if (json_get_str(r, in, "url", 500, true, &url) ||
        json_get_str(r, in, "secret", 200, false, &secret)) {
        json_decref(in);
        return 0;
    }
    if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) {
        json_decref(in);
        return resp_error(r, 422, "invalid",
                          "地址应以 http:// 或 https:// 开头 / url must be http(s)", "url");
    }
    if (en && !json_is_boolean(en)) {
        json_decref(in);
        return resp_error(r, 422, "invalid", "enabled 应为 true/false / enabled must be boolean",
                          "enabled");
    }
    url = arena_strdup(r->a, url);
    secret = secret ? arena_strdup(r->a, secret) : NULL;
    int64_t enabled = !en || json_is_true(en);
    json_decref(in);
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct buf before;
    buf_init(&before, 1 << 16);
    rc = unit_exists(db, unit);
    if (!rc && store_webhook_json(db, unit, &before)) {
        buf_reset(&before);
    }
    if (!rc) {
        rc = store_webhook_set(db, unit, url, secret, enabled, now);
    }
    if (!rc) {
        rc = store_webhook_json(db, unit, &r->out);
    }
    if (!rc) {
        rc = audit_write(r, db, "webhook", unit, "set", before.len ? before.p : NULL, r->out.p);
    }
    buf_release(&before);
    if (rc) {
        store_rollback(app.store, db);
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    rc = store_commit(app.store, db);
    return read_done(r, rc);
}

static const struct entity_api DELIVERIES = {.def = &ENTITY_DELIVERY,
                                             .read_roles = ROLE_ADMIN,
                                             .write_roles = 0,
                                             .parent = &ENTITY_ORG_UNIT};

static int api_webhook_deliveries(struct req *r)
{
    return entity_list(r, &DELIVERIES, req_id(r, 0));
}

/* ---------------- quarantine: register and adopt ---------------- */

static int api_quarantine_summary(struct req *r)
{
    struct db *db = store_read(app.store);
    int rc = store_quarantine_summary(db, &r->out);
    store_release(app.store, db);
    return read_done(r, rc);
}

static int api_quarantine_adopt(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *mn;
    if (json_get_str(r, in, "mn", 32, true, &mn)) {
        json_decref(in);
        return 0;
    }
    mn = arena_strdup(r->a, mn);
    json_decref(in);
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct point_auth pa;
    rc = store_point_by_mn(db, mn, &pa);
    if (rc == ERR_NOTFOUND) {
        store_rollback(app.store, db);
        return resp_error(r, 422, "not_registered",
                          "请先登记该 MN 的监测点 / register a point with this MN first", "mn");
    }
    char mn_buf[40];
    if (!rc) {
        rc = point_visible(r, db, pa.point_id, mn_buf);
    }
    int64_t adopted = 0, skipped = 0, stored = 0;
    if (!rc) {
        rc = gateway_adopt(db, &pa, mn, now, &adopted, &skipped, &stored);
    }
    if (!rc) {
        char after[160];
        snprintf(after, sizeof after, "{\"mn\":\"%s\",\"adopted\":%lld,\"skipped\":%lld}", mn,
                 (long long)adopted, (long long)skipped);
        rc = audit_write(r, db, "point", pa.point_id, "adopt_quarantine", NULL, after);
    }
    if (rc) {
        store_rollback(app.store, db);
        return resp_err(r, rc, NULL, NULL);
    }
    rc = store_commit(app.store, db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    buf_printf(&r->out, "{\"point_id\":%lld,\"adopted\":%lld,\"skipped\":%lld,\"values\":%lld}",
               (long long)pa.point_id, (long long)adopted, (long long)skipped, (long long)stored);
    return resp_json(r, 200);
}

static const struct route routes[] = {
    {"GET", "/api/v1/monitor/board", MONITOR_READ, api_board, 0,
     "Live board: every point with its status and the counts"},
    {"GET", "/api/v1/points/{id}/series", MONITOR_READ, api_points_series, 0,
     "Chart series of one factor, bucketed, with flags and limits"},
    {"GET", "/api/v1/points/{id}/factors", MONITOR_READ, api_points_factors, 0,
     "Factors a point reported in the last 7 days and its latest real-time values"},
    {"GET", "/api/v1/points/{id}/commands", ROLES_STAFF, api_commands_list, 0,
     "Commands sent to a point's device and their answers"},
    {"POST", "/api/v1/points/{id}/commands", ROLE_ADMIN | ROLE_MONITOR, api_commands_create, 0,
     "Send a command to a point's device (1011/1012/1061-1064/history)"},
    {"GET", "/api/v1/alarms/counts", MONITOR_READ, api_alarms_counts, 0,
     "Alarm counts per enterprise, kind and status"},
    {"GET", "/api/v1/notifications", MONITOR_READ, api_notifications_list, 0,
     "In-app notifications (newest first) and the caller's read mark"},
    {"POST", "/api/v1/notifications/read", MONITOR_READ, api_notifications_read, 0,
     "Mark notifications read up to an id"},
    {"GET", "/api/v1/org-units/{id}/webhook", ROLE_ADMIN, api_webhook_get, 0,
     "An org unit's outbound webhook"},
    {"PUT", "/api/v1/org-units/{id}/webhook", ROLE_ADMIN, api_webhook_put, 0,
     "Set an org unit's outbound webhook"},
    {"GET", "/api/v1/org-units/{id}/webhook/deliveries", ROLE_ADMIN, api_webhook_deliveries, 0,
     "Delivery log of an org unit's webhook"},
    {"GET", "/api/v1/monitor/quarantine/summary", ROLE_ADMIN | ROLE_MONITOR, api_quarantine_summary,
     0, "Quarantined frames grouped by MN"},
    {"POST", "/api/v1/monitor/quarantine/adopt", ROLE_ADMIN | ROLE_MONITOR, api_quarantine_adopt, 0,
     "Store a registered device's quarantined backlog as readings"},
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
    monitor_alarm_routes(rt); /* after /alarms/counts, which /alarms/{id} would match */
}

/* Online monitoring's figures on the 工作台: points by live status (offline after
   alarm.handling's offline_after_s for the caller's area, the board's rule), alarms open,
   today's and the oldest unhandled, and the quarantine for the roles that may adopt it. */
int monitor_dashboard(struct req *r, struct db *db, struct buf *out)
{
    const struct scope *sc = &r->who->scope;
    const char *area = sc->kind == SCOPE_REGIONS && sc->n_prefixes ? sc->prefixes[0] : "";
    int64_t offline_s = rules_int_today(db, "alarm.handling", area, "offline_after_s", 1800);
    int64_t now = wall_ms() / 1000;
    char day_start[32], offline_before[32];
    /* Today in China time (UTC+8, no daylight saving) began at this UTC instant. */
    int64_t cn = now + 8 * 3600;
    time_iso(cn - cn % 86400 - 8 * 3600, day_start);
    time_iso(now - offline_s, offline_before);
    unsigned role = r->who->role;
    struct monitor_dashboard_query q = {
        .sc = sc,
        .day_start = day_start,
        .offline_before = offline_before,
        .oldest_limit = 8,
        .quarantine = role == ROLE_ADMIN || role == ROLE_MONITOR, /* as its routes allow */
    };
    return store_dashboard_monitor(db, &q, out);
}
