/*
** Alarm handling routes: the alarm list with its filters (status, kind, point, enterprise,
** region prefix, China-time dates), its CSV/XLSX export, one alarm, and the handling itself —
** acknowledge with a note (one alarm, or many at once with one note, all or nothing) and close
** by hand. Who may handle alarms is ALARM_HANDLERS (decision 30: not the leader).
*/
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "cases/cases.h"
#include "core/err.h"
#include "core/settings.h"
#include "core/table.h"
#include "http/json.h"
#include "monitor/monitor.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/entity.h"
#include "store/q_alarm.h"

/* The monitoring centre and enforcement handle alarms; the leader reads and is notified. */
#define ALARM_HANDLERS (ROLE_ADMIN | ROLE_MONITOR | ROLE_INSPECTOR)
/* Alarms acknowledged by one bulk request. */
#define ALARM_BULK_MAX 200

static const struct entity_api ALARMS = {
    .def = &ENTITY_ALARM, .read_roles = ROLES_ANY, .write_roles = 0};

/* ---------------- filters ---------------- */

/* A China-time date (Asia/Shanghai, UTC+8) as the UTC ISO time of its first or last second. */
static int china_day_bound(const char *date, bool end, char out[32])
{
    int32_t day;
    if (!date || strlen(date) != 10 || calendar_date_parse(date, 10, &day)) {
        return ERR_INPUT;
    }
    time_iso((int64_t)(day + (end ? 1 : 0)) * 86400 - 8 * 3600 - (end ? 1 : 0), out);
    return 0;
}

static bool region_prefix_ok(const char *v)
{
    size_t n = strlen(v);
    if (n < 2 || n > 6) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9') {
            return false;
        }
    }
    return true;
}

/* The list query of the alarm list and export: the entity filters plus region_code (a GB/T
   2260 prefix) and from/to (China dates, inclusive; an alarm counts when it was active on
   them). Bounds go into from_iso/to_iso. Sets the 422 and returns ERR_INPUT on bad input. */
static int alarm_query(struct req *r, struct list_query *q, char from_iso[32], char to_iso[32])
{
    if (entity_list_query(r, &ENTITY_ALARM, q)) {
        return ERR_INPUT;
    }
    static const char *const IDS[] = {"enterprise_id", "point_id"};
    for (size_t i = 0; i < ARRAY_LEN(IDS); i++) {
        const char *v = req_query(r, IDS[i]);
        int64_t id;
        if (v && *v && (parse_i64(v, strlen(v), &id) || id <= 0)) {
            resp_error(r, 422, "invalid",
                       arena_printf(r->a, "%s 应为编号 / %s must be an id", IDS[i], IDS[i]),
                       IDS[i]);
            return ERR_INPUT;
        }
    }
    const char *region = req_query(r, "region_code");
    if (region && *region) {
        if (!region_prefix_ok(region)) {
            resp_error(r, 422, "invalid",
                       "行政区划应为 2 到 6 位数字代码 / region_code must be 2 to 6 digits",
                       "region_code");
            return ERR_INPUT;
        }
        q->region_prefix = region;
    }
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    if (from && *from) {
        if (china_day_bound(from, false, from_iso)) {
            resp_error(r, 422, "invalid_date", "起始日期应为 YYYY-MM-DD / from must be YYYY-MM-DD",
                       "from");
            return ERR_INPUT;
        }
        q->active_from = from_iso;
    }
    if (to && *to) {
        if (china_day_bound(to, true, to_iso)) {
            resp_error(r, 422, "invalid_date", "结束日期应为 YYYY-MM-DD / to must be YYYY-MM-DD",
                       "to");
            return ERR_INPUT;
        }
        q->active_to = to_iso;
    }
    if (q->active_from && q->active_to && strcmp(q->active_from, q->active_to) > 0) {
        resp_error(r, 422, "invalid", "结束日期早于起始日期 / to is before from", "to");
        return ERR_INPUT;
    }
    return 0;
}

static int api_alarms_list(struct req *r)
{
    struct list_query q;
    char from[32], to[32];
    if (alarm_query(r, &q, from, to)) {
        return 0;
    }
    struct db *db = store_read(app.store);
    int rc = store_entity_list(db, &ENTITY_ALARM, &r->who->scope, &q, &r->out);
    store_release(app.store, db);
    if (rc == ERR_INPUT) {
        buf_reset(&r->out);
        return resp_error(r, 422, "invalid", "翻页游标或筛选条件无效 / bad cursor or filter",
                          "cursor");
    }
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int api_alarms_get(struct req *r)
{
    return entity_get(r, &ALARMS, req_id(r, 0));
}

/* ---------------- export ---------------- */

enum cell_kind { CELL_TEXT, CELL_TIME, CELL_STATUS, CELL_KIND, CELL_REASON };

static const struct {
    const char *col, *label;
    enum cell_kind kind;
} EXPORT_COLS[] = {
    {"id", "报警编号", CELL_TEXT},
    {"status", "状态", CELL_STATUS},
    {"kind", "报警类型", CELL_KIND},
    {"enterprise_name", "企业名称", CELL_TEXT},
    {"region_name", "行政区划", CELL_TEXT},
    {"point_name", "监测点", CELL_TEXT},
    {"mn", "设备MN", CELL_TEXT},
    {"factor", "因子代码", CELL_TEXT},
    {"factor_name", "监测因子", CELL_TEXT},
    {"value", "监测值", CELL_TEXT},
    {"unit", "单位", CELL_TEXT},
    {"limit_value", "限值", CELL_TEXT},
    {"data_time", "数据时间", CELL_TEXT}, /* HJ 212 data time, already China time */
    {"first_at", "首次报警时间", CELL_TIME},
    {"last_at", "最近报警时间", CELL_TIME},
    {"count", "次数", CELL_TEXT},
    {"ack_by_name", "确认人", CELL_TEXT},
    {"ack_at", "确认时间", CELL_TIME},
    {"ack_note", "处理意见", CELL_TEXT},
    {"closed_by_name", "关闭人", CELL_TEXT},
    {"closed_at", "关闭时间", CELL_TIME},
    {"close_reason", "关闭原因", CELL_REASON},
};
#define N_EXPORT_COLS ARRAY_LEN(EXPORT_COLS)

static const char *const STATUS_ZH[][2] = {
    {"open", "未处理"}, {"acknowledged", "已确认"}, {"closed", "已关闭"}};
static const char *const KIND_ZH[][2] = {{"exceed", "超标"},       {"early_warning", "超标预警"},
                                         {"flag", "数据标记异常"}, {"stuck", "数据恒值"},
                                         {"offline", "离线"},      {"condition", "工况异常"}};

static const char *zh_of(const char *const (*map)[2], size_t n, const char *v)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(map[i][0], v)) {
            return map[i][1];
        }
    }
    return v;
}

/* "2026-12-01T02:03:04Z" (UTC) → "2026-12-01 10:03:04" (China time); other text as it is. */
static const char *iso_to_china(struct arena *a, const char *iso)
{
    int32_t day;
    int64_t hh, mm, ss;
    if (strlen(iso) != 20 || iso[10] != 'T' || iso[19] != 'Z' ||
        calendar_date_parse(iso, 10, &day) || parse_i64(iso + 11, 2, &hh) ||
        parse_i64(iso + 14, 2, &mm) || parse_i64(iso + 17, 2, &ss)) {
        return iso;
    }
    char out[20];
    china_time((int64_t)day * 86400 + hh * 3600 + mm * 60 + ss, out);
    return arena_strdup(a, out);
}

static const char *export_cell(struct arena *a, enum cell_kind kind, const char *v)
{
    switch (kind) {
    case CELL_TIME: return v[0] ? iso_to_china(a, v) : "";
    case CELL_STATUS: return zh_of(STATUS_ZH, ARRAY_LEN(STATUS_ZH), v);
    case CELL_KIND: return zh_of(KIND_ZH, ARRAY_LEN(KIND_ZH), v);
    case CELL_REASON:
        return !strcmp(v, "auto")     ? "数值恢复正常，自动关闭"
               : !strcmp(v, "manual") ? "人工关闭"
                                      : v;
    default: return v;
    }
}

struct export_rows {
    struct req *r;
    struct table *t;
    size_t cap;
    int at[N_EXPORT_COLS]; /* statement column of each export column, -1 when absent */
};

static void export_columns(struct export_rows *x, struct db_stmt *st)
{
    int n = db_column_count(st);
    for (size_t c = 0; c < N_EXPORT_COLS; c++) {
        x->at[c] = -1;
        for (int i = 0; i < n; i++) {
            if (!strcmp(db_column_name(st, i), EXPORT_COLS[c].col)) {
                x->at[c] = i;
            }
        }
    }
}

static int export_row(struct db_stmt *st, void *ctx)
{
    struct export_rows *x = ctx;
    struct arena *a = x->r->a;
    if (x->t->n_rows >= x->cap) {
        x->cap *= 2;
        char ***cells = arena_alloc(a, sizeof(char **) * x->cap);
        memcpy(cells, x->t->cells, sizeof(char **) * x->t->n_rows);
        x->t->cells = cells;
    }
    char **row = arena_alloc(a, sizeof(char *) * N_EXPORT_COLS);
    for (size_t c = 0; c < N_EXPORT_COLS; c++) {
        size_t len = 0;
        const char *v = x->at[c] < 0 ? "" : db_column_text(st, x->at[c], &len);
        row[c] = (char *)export_cell(a, EXPORT_COLS[c].kind, arena_strndup(a, v ? v : "", len));
    }
    x->t->cells[x->t->n_rows++] = row;
    return 0;
}

static int export_first_row(struct db_stmt *st, void *ctx)
{
    struct export_rows *x = ctx;
    if (x->at[0] == -2) {
        export_columns(x, st);
    }
    return export_row(st, ctx);
}

/* The filtered alarm list as a table: Chinese headers, labels for codes, times in China time. */
static int alarm_export_table(struct req *r, const struct list_query *q, struct table *t)
{
    struct export_rows x = {.r = r, .t = t, .cap = 1024};
    x.at[0] = -2; /* columns looked up on the first row */
    t->n_cols = N_EXPORT_COLS;
    t->cells = arena_alloc(r->a, sizeof(char **) * x.cap);
    char **head = arena_alloc(r->a, sizeof(char *) * N_EXPORT_COLS);
    for (size_t c = 0; c < N_EXPORT_COLS; c++) {
        head[c] = (char *)EXPORT_COLS[c].label;
    }
    t->cells[0] = head;
    t->n_rows = 1;
    struct db *db = store_read(app.store);
    int rc = store_entity_scan(db, &ENTITY_ALARM, &r->who->scope, q,
                               (size_t)settings_int("export_max_rows"), export_first_row, &x);
    store_release(app.store, db);
    return rc;
}

static int api_alarms_export(struct req *r)
{
    bool xlsx;
    struct list_query q;
    char from[32], to[32];
    if (entity_export_format(r, &xlsx) || alarm_query(r, &q, from, to)) {
        return 0;
    }
    struct table t;
    int rc = alarm_export_table(r, &q, &t);
    if (rc == ERR_TOOBIG) {
        return entity_export_too_big(r);
    }
    if (rc == ERR_INPUT) {
        return resp_error(r, 422, "invalid", "筛选条件无效 / bad filter", NULL);
    }
    return rc ? resp_err(r, rc, NULL, NULL) : entity_export_send(r, &t, xlsx, "alarms");
}

/* ---------------- handling ---------------- */

/* Move one visible alarm to `to` inside the caller's transaction, with its audit row; the
   alarm after the change is written to after. ERR_NOTFOUND (absent or out of scope),
   ERR_CONFLICT (not in a state that allows it), or a database error. */
static int alarm_move(struct req *r, struct db *db, int64_t id, const char *to, const char *note,
                      const char *now, struct buf *after, char *why, size_t cap)
{
    bool closing = !strcmp(to, "closed");
    struct buf before;
    buf_init(&before, 1 << 16);
    int rc = store_entity_get(db, &ENTITY_ALARM, &r->who->scope, id, &before);
    if (!rc) {
        rc = store_alarm_set_status(db, id, to, r->who->user_id,
                                    closing && !*note ? "manual" : note, now);
    }
    if (!rc && closing) {
        rc = store_notify(db, id, "closed", "报警已人工关闭", now);
    }
    if (!rc) {
        /* The alarm's case takes the same step; a refusal (its clock paused, an extension
           pending) refuses the whole change with the engine's reason. */
        struct case_actor who = {
            r->who->user_id, r->who->display_name, r->who->role, r->request_id, r->ip, false};
        const char *field = NULL;
        rc = cases_alarm_moved(db, id, closing ? "close" : "acknowledge", &who, note, now, &field,
                               why, cap);
        rc = rc == ERR_FORBIDDEN || rc == ERR_INPUT ? ERR_CONFLICT : rc;
    }
    if (!rc) {
        rc = store_entity_get(db, &ENTITY_ALARM, NULL, id, after);
    }
    if (!rc) {
        rc = audit_write(r, db, "alarm", id, closing ? "close" : "acknowledge", before.p, after->p);
    }
    buf_release(&before);
    return rc;
}

static int alarm_transition(struct req *r, const char *to)
{
    int64_t id = req_id(r, 0);
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *note = NULL;
    bool closing = !strcmp(to, "closed");
    if (json_get_str(r, in, "note", 500, false, &note)) {
        json_decref(in);
        return 0;
    }
    if (!closing && (!note || !*note)) {
        json_decref(in);
        return resp_error(r, 422, "required", "请填写处理意见 / a note is required", "note");
    }
    note = arena_strdup(r->a, note ? note : "");
    json_decref(in);
    struct db *db;
    char now[32];
    time_iso(wall_ms() / 1000, now);
    int rc = id > 0 ? store_begin(app.store, &db) : ERR_NOTFOUND;
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    char why[256] = "";
    rc = alarm_move(r, db, id, to, note, now, &r->out, why, sizeof why);
    if (rc) {
        store_rollback(app.store, db);
        buf_reset(&r->out);
        if (rc == ERR_CONFLICT) {
            return resp_error(
                r, 409, "conflict",
                why[0]    ? arena_strdup(r->a, why)
                : closing ? "报警已关闭 / the alarm is already closed"
                          : "只有未处理的报警可以确认 / only open alarms can be acknowledged",
                "status");
        }
        return resp_err(r, rc, NULL, NULL);
    }
    rc = store_commit(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

static int api_alarms_ack(struct req *r)
{
    return alarm_transition(r, "acknowledged");
}

static int api_alarms_close(struct req *r)
{
    return alarm_transition(r, "closed");
}

/* The ids of a bulk request: 1..ALARM_BULK_MAX distinct positive integers into ids (arena). */
static int bulk_ids(struct req *r, json_t *v, int64_t **ids, size_t *n)
{
    size_t len = json_is_array(v) ? json_array_size(v) : 0;
    if (!len || len > ALARM_BULK_MAX) {
        resp_error(r, 422, len ? "too_many" : "required",
                   arena_printf(r->a, "请选择 1 到 %d 条报警 / ids must list 1 to %d alarm ids",
                                ALARM_BULK_MAX, ALARM_BULK_MAX),
                   "ids");
        return ERR_INPUT;
    }
    *ids = arena_alloc(r->a, sizeof(int64_t) * len);
    for (size_t i = 0; i < len; i++) {
        json_t *e = json_array_get(v, i);
        int64_t id = json_is_integer(e) ? (int64_t)json_integer_value(e) : 0;
        for (size_t j = 0; id > 0 && j < i; j++) {
            id = (*ids)[j] == id ? -1 : id;
        }
        if (id <= 0) {
            resp_error(r, 422, "invalid",
                       arena_printf(r->a, "ids 第 %zu 项%s / ids[%zu] %s", i + 1,
                                    id < 0 ? "重复" : "应为报警编号", i,
                                    id < 0 ? "is a duplicate" : "must be an alarm id"),
                       arena_printf(r->a, "ids[%zu]", i));
            return ERR_INPUT;
        }
        (*ids)[i] = id;
    }
    *n = len;
    return 0;
}

/* The 422 of a bulk acknowledge that stopped at alarm id (nothing was changed). */
static int bulk_refused(struct req *r, int64_t id, size_t i, int rc)
{
    if (rc == ERR_NOTFOUND) {
        return resp_error(
            r, 422, "not_found",
            arena_printf(r->a,
                         "报警 %lld 不存在或不在辖区内，未确认任何报警 / alarm %lld does not "
                         "exist or is out of your area; nothing was acknowledged",
                         (long long)id, (long long)id),
            arena_printf(r->a, "ids[%zu]", i));
    }
    return resp_error(r, 422, "not_open",
                      arena_printf(r->a,
                                   "报警 %lld 不是未处理状态，未确认任何报警 / alarm %lld is not "
                                   "open; nothing was acknowledged",
                                   (long long)id, (long long)id),
                      arena_printf(r->a, "ids[%zu]", i));
}

/* Acknowledge many open alarms with one note: all of them in one transaction, one audit row
   each, or none when any is absent, out of scope or not open. */
static int api_alarms_ack_many(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *note;
    int64_t *ids;
    size_t n;
    if (json_get_str(r, in, "note", 500, true, &note) ||
        bulk_ids(r, json_object_get(in, "ids"), &ids, &n)) {
        json_decref(in);
        return 0;
    }
    note = arena_strdup(r->a, note);
    json_decref(in);
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct buf after;
    buf_init(&after, 1 << 16);
    buf_printf(&r->out, "{\"acknowledged\":%zu,\"items\":[", n);
    size_t i = 0;
    for (; !rc && i < n; i++) {
        buf_reset(&after);
        char why[256] = "";
        rc = alarm_move(r, db, ids[i], "acknowledged", note, now, &after, why, sizeof why);
        if (!rc) {
            buf_puts(&r->out, i ? "," : "");
            buf_append(&r->out, after.p, after.len);
        }
    }
    buf_release(&after);
    if (rc) {
        store_rollback(app.store, db);
        buf_reset(&r->out);
        return rc == ERR_NOTFOUND || rc == ERR_CONFLICT ? bulk_refused(r, ids[i - 1], i - 1, rc)
                                                        : resp_err(r, rc, NULL, NULL);
    }
    buf_puts(&r->out, "]}");
    rc = store_commit(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

/* First match wins: /alarms/export and /alarms/acknowledge come before /alarms/{id}, and
   these are added after monitor_routes' /alarms/counts. */
static const struct route routes[] = {
    {"GET", "/api/v1/alarms", ROLES_ANY, api_alarms_list, 0,
     "List alarms (filters: status, kind, point, enterprise, region, dates)"},
    {"GET", "/api/v1/alarms/export", ROLES_ANY, api_alarms_export, 0,
     "Export the filtered alarm list as CSV or XLSX"},
    {"POST", "/api/v1/alarms/acknowledge", ALARM_HANDLERS, api_alarms_ack_many, 0,
     "Acknowledge many open alarms with one note (all or nothing)"},
    {"GET", "/api/v1/alarms/{id}", ROLES_ANY, api_alarms_get, 0, "Get an alarm"},
    {"POST", "/api/v1/alarms/{id}/acknowledge", ALARM_HANDLERS, api_alarms_ack, 0,
     "Acknowledge an open alarm with a note"},
    {"POST", "/api/v1/alarms/{id}/close", ALARM_HANDLERS, api_alarms_close, 0,
     "Close an alarm by hand"},
};

void monitor_alarm_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
