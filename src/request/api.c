/*
** Request and complaint routes: the public form (a form token, the complaint, the tracking
** page — no login, abuse limits of limits.c), staff entry of hotline calls and visits, an
** enterprise's own requests, the staff queue (filters, due-soon and overdue), one request with
** its timeline, the actions of the workflow, statistics and complaints near a point, and the
** admins' Open311 client keys. Every write is one transaction with its audit row.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/entity.h"
#include "platform/platform.h"
#include "request/internal.h"
#include "store/q_credit.h"

#define TEXT_MAX 4000
#define TITLE_MAX 200
#define STAFF_ENTRY (ROLE_ADMIN | ROLE_LEADER | ROLE_SERVICE | ROLE_INSPECTOR | ROLE_APPROVER)
#define STAFF_ACT STAFF_ENTRY

/* The categories of complaints (Open311 services) and of enterprise requests. */
static const char *const COMPLAINT_CATS[] = {"air",          "water",     "noise",   "waste",
                                             "odor",         "radiation", "ecology", "other",
                                             "confidential", NULL};
static const char *const REQUEST_CATS[] = {"consultation", "problem", "policy", "approval_help",
                                           NULL};
static const char *const STAFF_CHANNELS[] = {"hotline_12369", "hotline_local", "visit", NULL};

static bool in_list(const char *const *l, const char *s)
{
    for (; s && *l; l++) {
        if (!strcmp(*l, s)) {
            return true;
        }
    }
    return false;
}

static void now_iso(char now[32])
{
    time_iso(wall_ms() / 1000, now);
}

/* ---------------- reading a body ---------------- */

struct body {
    json_t *in;
    struct request_input v;
    const char *token;
};

static int str_field(struct req *r, json_t *in, const char *key, size_t max, bool req,
                     const char **out)
{
    const char *s = NULL;
    int rc = json_get_str(r, in, key, max, req, &s);
    *out = s ? arena_strdup(r->a, s) : NULL;
    if (!rc && req && (!*out || !**out)) {
        resp_error(r, 422, "required", arena_printf(r->a, "请填写 %s / %s is required", key, key),
                   key);
        return ERR_INPUT;
    }
    return rc;
}

static int point_field(struct req *r, json_t *in, struct request_input *v)
{
    json_t *la = json_object_get(in, "lat"), *ln = json_object_get(in, "lng");
    if ((!la || json_is_null(la)) && (!ln || json_is_null(ln))) {
        return 0;
    }
    if (!json_is_number(la) || !json_is_number(ln) ||
        !request_point_valid(json_number_value(la), json_number_value(ln))) {
        resp_error(r, 422, "invalid",
                   "位置应为 WGS 84 经纬度（lat −90…90，lng −180…180）/ lat and lng must be WGS 84 "
                   "degrees",
                   !json_is_number(la) || fabs(json_number_value(la)) > 90 ? "lat" : "lng");
        return ERR_INPUT;
    }
    v->has_point = true;
    v->lat = json_number_value(la);
    v->lng = json_number_value(ln);
    return 0;
}

/* The common fields; kind and channel are the caller's. */
static int read_body(struct req *r, struct db *db, struct body *b, const char *const *cats)
{
    json_t *in = b->in;
    struct request_input *v = &b->v;
    int rc = str_field(r, in, "category", 48, true, &v->category);
    if (!rc && !in_list(cats, v->category)) {
        resp_error(r, 422, "invalid", "类别不在列表中 / unknown category", "category");
        rc = ERR_INPUT;
    }
    rc = rc ? rc : str_field(r, in, "description", TEXT_MAX, true, &v->description);
    rc = rc ? rc : str_field(r, in, "title", TITLE_MAX, false, &v->title);
    rc = rc ? rc : str_field(r, in, "address", 400, false, &v->address);
    rc = rc ? rc : str_field(r, in, "region_code", 12, false, &v->region_code);
    rc = rc ? rc : str_field(r, in, "contact_name", 100, false, &v->contact_name);
    rc = rc ? rc : str_field(r, in, "contact_phone", 40, false, &v->contact_phone);
    rc = rc ? rc : str_field(r, in, "contact_email", 200, false, &v->contact_email);
    rc = rc ? rc : point_field(r, in, v);
    if (rc) {
        return rc;
    }
    json_t *an = json_object_get(in, "anonymous");
    v->anonymous = json_is_true(an);
    if (!v->has_point && (!v->address || !*v->address) && strcmp(v->kind, "request") &&
        !v->enterprise_id) { /* a complaint about an enterprise is where the enterprise is */
        resp_error(r, 422, "required",
                   "请填写地址或在地图上选点 / give an address or a point on the map", "address");
        return ERR_INPUT;
    }
    if (v->region_code && *v->region_code &&
        !store_code_exists(db, "regions", v->region_code, strlen(v->region_code))) {
        resp_error(r, 422, "unknown_code", "没有该行政区 / unknown region", "region_code");
        return ERR_INPUT;
    }
    if (!v->title || !*v->title) {
        /* the first words of the description */
        size_t n = strlen(v->description), cut = n > 60 ? 60 : n;
        while (cut < n && ((unsigned char)v->description[cut] & 0xC0) == 0x80) {
            cut--;
        }
        v->title = arena_printf(r->a, "%.*s", (int)cut, v->description);
    }
    return 0;
}

static int file_and_answer(struct req *r, struct db *db, struct body *b, int64_t actor_id,
                           const char *actor, bool public_view)
{
    char now[32], code[13];
    now_iso(now);
    int64_t id = 0;
    int rc = request_file(db, &b->v, actor_id, actor, r->request_id, r->ip, now, &id, code);
    json_decref(b->in);
    if (rc == ERR_CONFLICT && b->v.form_nonce) {
        store_rollback(app.store, db);
        return resp_error(
            r, 409, "form_used",
            "该表单已提交过，请刷新后重填 / this form was submitted already: reload it",
            "form_token");
    }
    if (!rc) {
        rc = public_view ? store_request_public_json(db, id, &r->out)
                         : store_request_json(db, id, now, &r->out);
    }
    return entity_finish_write(r, db, rc, 201);
}

/* ---------------- public ---------------- */

static int api_form(struct req *r)
{
    char tok[160];
    request_form_token(wall_ms() / 1000, tok, sizeof tok);
    buf_puts(&r->out, "{\"form_token\":");
    buf_json_str(&r->out, tok, strlen(tok));
    buf_puts(&r->out, ",\"categories\":[");
    for (int i = 0; COMPLAINT_CATS[i]; i++) {
        buf_printf(&r->out, "%s\"%s\"", i ? "," : "", COMPLAINT_CATS[i]);
    }
    buf_puts(&r->out, "],\"regions\":");
    struct db *db = store_read(app.store);
    int rc = store_request_public_regions_json(db, &r->out);
    buf_puts(&r->out, ",\"min_age_s\":2,\"coordinates\":\"WGS84\"}");
    return entity_finish_read(r, db, rc);
}

static int api_public_file(struct req *r)
{
    if (!request_bucket_take(r->ip, wall_ms())) {
        resp_header(r, "Retry-After", "60");
        return resp_error(r, 429, "too_many",
                          "提交过于频繁，请稍后再试 / too many submissions from this address: try "
                          "again later",
                          NULL);
    }
    struct body b = {0};
    if (req_json_object(r, &b.in)) {
        return 0;
    }
    const char *tok = NULL;
    char nonce[48];
    int rc = str_field(r, b.in, "form_token", 150, true, &tok);
    int k = rc ? 0 : request_form_token_check(tok, wall_ms() / 1000, nonce, sizeof nonce);
    if (!rc && k) {
        json_decref(b.in);
        return resp_error(r, k == ERR_AGAIN ? 429 : 422, k == ERR_AGAIN ? "too_fast" : "invalid",
                          k == ERR_AGAIN ? "提交过快，请稍候再提交 / submitted too fast: wait a "
                                           "moment and submit again"
                                         : "表单已过期，请刷新页面 / the form expired: reload the "
                                           "page",
                          "form_token");
    }
    if (rc) {
        json_decref(b.in);
        return 0;
    }
    b.v.kind = "complaint";
    b.v.channel = "online";
    b.v.form_nonce = arena_strdup(r->a, nonce);
    struct db *db;
    if ((rc = store_begin(app.store, &db))) {
        json_decref(b.in);
        return resp_err(r, rc, NULL, NULL);
    }
    if (read_body(r, db, &b, COMPLAINT_CATS)) {
        json_decref(b.in);
        store_rollback(app.store, db);
        return 0;
    }
    if (!b.v.region_code || !*b.v.region_code) {
        json_decref(b.in);
        store_rollback(app.store, db);
        return resp_error(r, 422, "required", "请选择所在区县 / choose the county", "region_code");
    }
    return file_and_answer(r, db, &b, 0, NULL, true);
}

static int api_public_track(struct req *r)
{
    const char *code = r->params[0];
    if (!request_tracking_code_valid(code)) {
        return resp_error(r, 404, "not_found", "没有该查询码 / no such tracking code", "code");
    }
    struct db *db = store_read(app.store);
    int64_t id;
    int rc = store_request_by_code(db, code, &id);
    rc = rc ? rc : store_request_public_json(db, id, &r->out);
    if (rc == ERR_NOTFOUND) {
        store_release(app.store, db);
        return resp_error(r, 404, "not_found", "没有该查询码 / no such tracking code", "code");
    }
    return entity_finish_read(r, db, rc);
}

#define PHOTOS_MAX 5
#define PHOTO_WINDOW_S 3600

/* A photo of a complaint filed from the form: a JPEG or PNG within an hour of filing, at most
   five, counted against the address's bucket like a complaint. */
static int api_public_photo(struct req *r)
{
    const char *code = r->params[0];
    const struct req_file *f = &r->file;
    if (!request_bucket_take(r->ip, wall_ms())) {
        resp_header(r, "Retry-After", "60");
        return resp_error(r, 429, "too_many", "提交过于频繁 / too many submissions", NULL);
    }
    if (!f->present) {
        return resp_error(r, 422, "required", "请选择照片（字段 file）/ a file field is required",
                          "file");
    }
    if ((strcmp(f->content_type, "image/jpeg") && strcmp(f->content_type, "image/png")) ||
        !attach_file_ok(f->content_type, &f->data)) {
        return resp_error(r, 422, "type_not_allowed",
                          "只接受 JPEG 或 PNG 照片 / only JPEG or PNG photos", "file");
    }
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t id = 0, n = 0;
    struct request_row row;
    rc = request_tracking_code_valid(code) ? store_request_by_code(db, code, &id) : ERR_NOTFOUND;
    rc = rc ? rc : store_request_get(db, id, &row);
    if (rc == ERR_NOTFOUND || (!rc && strcmp(row.channel, "online"))) {
        store_rollback(app.store, db);
        return resp_error(r, 404, "not_found", "没有该查询码 / no such tracking code", "code");
    }
    rc = rc ? rc : store_request_photo_count(db, id, &n);
    if (!rc && (n >= PHOTOS_MAX ||
                wall_ms() / 1000 - case_iso_seconds(row.received_at) > PHOTO_WINDOW_S)) {
        store_rollback(app.store, db);
        return resp_error(r, 409, "photos_closed",
                          "照片须在提交后一小时内上传，最多 5 张 / photos go up within an hour of "
                          "filing, five at most",
                          "file");
    }
    struct attachment_row a = {.size = (int64_t)f->data.len, .entity_id = id};
    sha256_hex(f->data.p ? f->data.p : "", f->data.len, a.sha256);
    snprintf(a.name, sizeof a.name, "photo-%lld.%s", (long long)n + 1,
             strcmp(f->content_type, "image/png") ? "jpg" : "png");
    snprintf(a.content_type, sizeof a.content_type, "%s", f->content_type);
    snprintf(a.entity, sizeof a.entity, "request");
    int64_t att = 0;
    rc = rc ? rc : attach_blob_store(a.sha256, &f->data);
    rc = rc ? rc : store_attachment_insert(db, &a, 0, &att);
    struct audit_entry au = {.actor = "公众 / public",
                             .entity = "attachment",
                             .entity_id = att,
                             .action = "create",
                             .request_id = r->request_id,
                             .ip = r->ip};
    rc = rc ? rc : store_audit_add(db, &au);
    buf_printf(&r->out, "{\"id\":%lld,\"name\":\"%s\",\"size\":%lld}", (long long)att, a.name,
               (long long)a.size);
    return entity_finish_write(r, db, rc, 201);
}

/* ---------------- staff and enterprises ---------------- */

static int api_create(struct req *r)
{
    struct body b = {0};
    if (req_json_object(r, &b.in)) {
        return 0;
    }
    bool ent = r->who->role == ROLE_ENTERPRISE;
    const char *channel = NULL;
    int rc = 0;
    if (ent) {
        b.v.kind = "request";
        b.v.channel = "enterprise";
        b.v.enterprise_id = r->who->enterprise_id;
    } else {
        rc = str_field(r, b.in, "channel", 16, true, &channel);
        if (!rc && !in_list(STAFF_CHANNELS, channel)) {
            rc = resp_error(r, 422, "invalid",
                            "渠道应为 hotline_12369、hotline_local 或 visit / channel must be "
                            "hotline_12369, hotline_local or visit",
                            "channel")
                     ?: ERR_INPUT;
        }
        b.v.kind = "complaint";
        b.v.channel = channel;
    }
    if (rc) {
        json_decref(b.in);
        return 0;
    }
    struct db *db;
    if ((rc = store_begin(app.store, &db))) {
        json_decref(b.in);
        return resp_err(r, rc, NULL, NULL);
    }
    struct credit_subject_row s;
    if (ent) {
        rc = store_credit_subject(db, "enterprise", b.v.enterprise_id, &s);
        b.v.region_code = rc ? "" : arena_strdup(r->a, s.region_code);
    }
    if (!ent) {
        json_t *e = json_object_get(b.in, "enterprise_id");
        if (json_is_integer(e)) {
            b.v.enterprise_id = json_integer_value(e);
            if (store_credit_subject(db, "enterprise", b.v.enterprise_id, &s) ||
                !store_scope_allows(&r->who->scope, b.v.enterprise_id, s.region_code)) {
                json_decref(b.in);
                store_rollback(app.store, db);
                return resp_error(r, 404, "not_found", "没有该企业 / no such enterprise",
                                  "enterprise_id");
            }
        }
    }
    if (rc || read_body(r, db, &b, ent ? REQUEST_CATS : COMPLAINT_CATS)) {
        json_decref(b.in);
        store_rollback(app.store, db);
        return rc ? resp_err(r, rc, NULL, NULL) : 0;
    }
    if (ent) {
        b.v.region_code = arena_strdup(r->a, s.region_code);
    } else if (b.v.enterprise_id && (!b.v.region_code || !*b.v.region_code)) {
        b.v.region_code = arena_strdup(r->a, s.region_code);
    }
    if (!ent && (!b.v.region_code || !*b.v.region_code) && r->who->scope.kind != SCOPE_ALL) {
        json_decref(b.in);
        store_rollback(app.store, db);
        return resp_error(r, 422, "required", "请选择行政区 / region_code is required",
                          "region_code");
    }
    if (!ent && b.v.region_code && *b.v.region_code &&
        !store_scope_allows(&r->who->scope, 0, b.v.region_code) &&
        r->who->scope.kind != SCOPE_ALL) {
        json_decref(b.in);
        store_rollback(app.store, db);
        return resp_error(r, 403, "out_of_scope", "该地区不在您的辖区 / region outside your area",
                          "region_code");
    }
    return file_and_answer(r, db, &b, r->who->user_id, r->who->display_name, false);
}

static const char *qs(struct req *r, const char *name, size_t max)
{
    const char *v = req_query(r, name);
    return v && strlen(v) <= max ? v : NULL;
}

static int api_list(struct req *r)
{
    char now[32];
    now_iso(now);
    struct request_query q = {.state = qs(r, "state", 24),
                              .kind = qs(r, "kind", 12),
                              .category = qs(r, "category", 48),
                              .channel = qs(r, "channel", 16),
                              .clock = qs(r, "clock", 12),
                              .region = qs(r, "region", 12),
                              .q = qs(r, "q", 200),
                              .from = qs(r, "from", 32),
                              .to = qs(r, "to", 32),
                              .sort = qs(r, "sort", 24),
                              .now = now,
                              .limit = 50};
    const char *v;
    int64_t x;
    if ((v = req_query(r, "limit")) && (parse_i64(v, strlen(v), &x) || x < 1 || x > 500)) {
        return resp_error(r, 422, "range", "limit 应为 1–500 / limit must be 1 to 500", "limit");
    }
    q.limit = v ? x : 50;
    if ((v = req_query(r, "offset")) && (parse_i64(v, strlen(v), &x) || x < 0 || x > 1000000)) {
        return resp_error(r, 422, "range", "offset 无效 / bad offset", "offset");
    }
    q.offset = v ? x : 0;
    if ((v = req_query(r, "enterprise_id")) && (parse_i64(v, strlen(v), &x) || x < 1)) {
        return resp_error(r, 422, "invalid", "enterprise_id 无效 / bad enterprise_id",
                          "enterprise_id");
    }
    q.enterprise_id = v ? x : 0;
    q.open_only = (v = req_query(r, "open")) && !strcmp(v, "1");
    if (r->who->role == ROLE_ENTERPRISE) {
        q.kind = "request"; /* never the complaints that name it (see visible) */
    }
    struct db *db = store_read(app.store);
    int rc = store_request_list(db, &r->who->scope, &q, &r->out);
    if (rc == ERR_INPUT) {
        store_release(app.store, db);
        buf_reset(&r->out);
        return resp_error(
            r, 422, "invalid",
            "sort 应为 received_at、due_at、state、category 或 tracking_code（可加 -）/ "
            "sort must be received_at, due_at, state, category or tracking_code "
            "(- for descending)",
            "sort");
    }
    return entity_finish_read(r, db, rc);
}

/* The request if the principal may see it (an enterprise: its own; staff: the region or the
   enterprise in scope). */
static int visible(struct req *r, struct db *db, int64_t id, struct request_row *row)
{
    int rc = id > 0 ? store_request_get(db, id, row) : ERR_NOTFOUND;
    if (rc) {
        return rc;
    }
    const struct scope *sc = &r->who->scope;
    if (sc->kind == SCOPE_ENTERPRISE) {
        /* its own requests only: a complaint about the enterprise is not the enterprise's to
           read (the complainant's contact, the facts under investigation) */
        return row->enterprise_id && row->enterprise_id == sc->enterprise_id &&
                       !strcmp(row->kind, "request")
                   ? 0
                   : ERR_NOTFOUND;
    }
    return store_scope_allows(sc, row->enterprise_id, row->region_code) ? 0 : ERR_NOTFOUND;
}

static int api_get(struct req *r)
{
    char now[32];
    now_iso(now);
    struct db *db = store_read(app.store);
    struct request_row row;
    int rc = visible(r, db, req_id(r, 0), &row);
    if (!rc) {
        buf_puts(&r->out, "{\"request\":");
        rc = store_request_json(db, row.id, now, &r->out);
        buf_puts(&r->out, ",\"timeline\":");
        rc = rc ? rc : store_request_timeline_json(db, row.case_id, &r->out);
        buf_putc(&r->out, '}');
    }
    if (rc == ERR_NOTFOUND) {
        store_release(app.store, db);
        return resp_error(r, 404, "not_found", "没有该诉求 / no such request", "id");
    }
    return entity_finish_read(r, db, rc);
}

/* The roles that take a category's requests by default (setting request_dispatch_roles:
   "radiation=approver;consultation,policy=service;*=inspector,service"), at most cap, into
   out (pointers into a static copy: the setting is read-only while serving). */
static int dispatch_roles(const char *category, const char **out, int cap)
{
    static _Thread_local char copy[512];
    snprintf(copy, sizeof copy, "%s", settings_get("request_dispatch_roles"));
    char *def = NULL, *hit = NULL;
    for (char *e = copy, *next; e && *e; e = next) {
        next = strchr(e, ';');
        if (next) {
            *next++ = 0;
        }
        char *eq = strchr(e, '=');
        if (!eq) {
            continue;
        }
        *eq = 0;
        if (!strcmp(e, "*")) {
            def = eq + 1;
        }
        for (char *c = e, *cn; c && *c; c = cn) {
            cn = strchr(c, ',');
            if (cn) {
                *cn++ = 0;
            }
            if (!strcmp(c, category)) {
                hit = eq + 1;
            }
        }
    }
    int n = 0;
    for (char *r = hit ? hit : def, *rn; r && *r && n < cap; r = rn) {
        rn = strchr(r, ',');
        if (rn) {
            *rn++ = 0;
        }
        out[n++] = r;
    }
    return n;
}

static int api_action(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct request_action a = {0};
    int rc = str_field(r, in, "action", 24, true, &a.action);
    rc = rc ? rc : str_field(r, in, "note", TEXT_MAX, false, &a.note);
    rc = rc ? rc : str_field(r, in, "answer", TEXT_MAX, false, &a.answer);
    rc = rc ? rc : str_field(r, in, "referred_to", 200, false, &a.referred_to);
    rc = rc ? rc : str_field(r, in, "planned_on", 10, false, &a.planned_on);
    json_t *v;
    if (!rc && (v = json_object_get(in, "satisfaction")) && !json_is_null(v)) {
        if (!json_is_integer(v)) {
            rc = ERR_INPUT;
            resp_error(r, 422, "type", "满意度应为整数 / satisfaction must be an integer",
                       "satisfaction");
        } else {
            a.satisfaction = (int)json_integer_value(v);
            a.satisfaction = a.satisfaction ? a.satisfaction : -1;
        }
    }
    const char *ints[] = {"org_unit_id", "assignee_user_id", "extension"};
    int64_t *dst[] = {&a.org_unit_id, &a.assignee_user_id, &a.extension};
    for (int i = 0; !rc && i < 3; i++) {
        v = json_object_get(in, ints[i]);
        if (v && !json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) < 1)) {
            rc = ERR_INPUT;
            resp_error(r, 422, "type",
                       arena_printf(r->a, "%s 应为正整数 / %s must be a positive integer", ints[i],
                                    ints[i]),
                       ints[i]);
        } else if (v && json_is_integer(v)) {
            *dst[i] = json_integer_value(v);
        }
    }
    a.inspect = json_is_true(json_object_get(in, "inspect"));
    json_decref(in);
    if (rc) {
        return 0;
    }
    char now[32];
    now_iso(now);
    struct db *db;
    if ((rc = store_begin(app.store, &db))) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct request_row row;
    rc = visible(r, db, req_id(r, 0), &row);
    if (rc == ERR_NOTFOUND) {
        store_rollback(app.store, db);
        return resp_error(r, 404, "not_found", "没有该诉求 / no such request", "id");
    }
    if (!rc && !strcmp(a.action, "dispatch")) {
        /* automatic by region (the case's unit) and the unit's least-busy officer: editable */
        if (!a.org_unit_id) {
            rc = store_request_case_unit(db, row.case_id, &a.org_unit_id);
        }
        if (!rc && !a.assignee_user_id && a.org_unit_id) {
            const char *roles[4];
            int n = dispatch_roles(row.category, roles, 4);
            rc = store_request_pick_officer(db, a.org_unit_id, roles, n, &a.assignee_user_id);
        }
    }
    struct case_actor who = {
        r->who->user_id, r->who->display_name, r->who->role, r->request_id, r->ip, true};
    const char *field = NULL;
    char why[300] = "";
    rc = rc ? rc : request_move(db, row.id, &a, &who, now, &field, why, sizeof why);
    if (rc == ERR_NOTFOUND && field && !strcmp(field, "calendar")) {
        store_rollback(app.store, db);
        return resp_error(r, 409, "calendar_missing", why, "calendar");
    }
    if (rc == ERR_FORBIDDEN || rc == ERR_INPUT || rc == ERR_CONFLICT) {
        store_rollback(app.store, db);
        return resp_error(r,
                          rc == ERR_FORBIDDEN ? 403
                          : rc == ERR_INPUT   ? 422
                                              : 409,
                          rc == ERR_FORBIDDEN ? "forbidden"
                          : rc == ERR_INPUT   ? "invalid"
                                              : "conflict",
                          *why ? why : "该操作不可执行 / the action cannot be taken now",
                          field ? field : "action");
    }
    if (!rc) {
        buf_puts(&r->out, "{\"request\":");
        rc = store_request_json(db, row.id, now, &r->out);
        buf_putc(&r->out, '}');
    }
    return entity_finish_write(r, db, rc, 200);
}

static int api_stats(struct req *r)
{
    const char *from = qs(r, "from", 32);
    char def[32];
    time_iso(wall_ms() / 1000 - 365 * 86400, def);
    struct db *db = store_read(app.store);
    int rc = store_request_stats_json(db, &r->who->scope, from ? from : def, &r->out);
    return entity_finish_read(r, db, rc);
}

static int api_near(struct req *r)
{
    const char *la = req_query(r, "lat"), *ln = req_query(r, "lng"),
               *rad = req_query(r, "radius_m");
    double lat, lng, radius = 500;
    if (!la || parse_f64(la, strlen(la), &lat) || !ln || parse_f64(ln, strlen(ln), &lng) ||
        !request_point_valid(lat, lng)) {
        return resp_error(r, 422, "invalid", "lat/lng 应为 WGS 84 度 / lat and lng are required",
                          "lat");
    }
    if (rad && (parse_f64(rad, strlen(rad), &radius) || !(radius > 0 && radius <= 50000))) {
        return resp_error(r, 422, "range", "radius_m 应为 0–50000 / radius_m 0 to 50000",
                          "radius_m");
    }
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":");
    int rc = request_near(db, lat, lng, radius, qs(r, "since", 10), 500, &r->out);
    buf_putc(&r->out, '}');
    if (rc == ERR_INPUT) {
        store_release(app.store, db);
        buf_reset(&r->out);
        return resp_error(r, 422, "invalid", "since 应为 YYYY-MM-DD / since must be a date",
                          "since");
    }
    return entity_finish_read(r, db, rc);
}

/* An enterprise's open requests and complaints, through the contract the service module reads
   (request.h): staff, the enterprise in scope. */
static int api_enterprise_open(struct req *r)
{
    int64_t id = req_id(r, 0), n = 0;
    struct db *db = store_read(app.store);
    struct credit_subject_row s;
    int rc = id > 0 ? store_credit_subject(db, "enterprise", id, &s) : ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND || (!rc && !store_scope_allows(&r->who->scope, id, s.region_code))) {
        store_release(app.store, db);
        return resp_error(r, 404, "not_found", "没有该企业 / no such enterprise", "id");
    }
    buf_printf(&r->out, "{\"enterprise_id\":%lld,\"items\":", (long long)id);
    rc = rc ? rc : request_open_for_enterprise(db, id, 500, &r->out);
    rc = rc ? rc : request_open_count(db, id, &n);
    buf_printf(&r->out, ",\"count\":%lld}", (long long)n);
    return entity_finish_read(r, db, rc);
}

/* ---------------- Open311 client keys (admins) ---------------- */

static int api_keys(struct req *r)
{
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":");
    int rc = store_open311_keys_json(db, &r->out);
    buf_putc(&r->out, '}');
    return entity_finish_read(r, db, rc);
}

static int api_key_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *name = NULL;
    int rc = str_field(r, in, "name", 120, true, &name);
    json_t *pm = json_object_get(in, "per_minute");
    int64_t per = 60;
    if (!rc && pm &&
        (!json_is_integer(pm) || json_integer_value(pm) < 1 || json_integer_value(pm) > 1000000)) {
        rc = ERR_INPUT;
        resp_error(r, 422, "range", "per_minute 应为 1–1000000 / per_minute 1 to 1000000",
                   "per_minute");
    } else if (pm) {
        per = json_integer_value(pm);
    }
    json_decref(in);
    if (rc) {
        return 0;
    }
    char key[64], hash[65], now[32];
    random_token(24, key, sizeof key);
    sha256_hex(key, strlen(key), hash);
    now_iso(now);
    struct db *db;
    if ((rc = store_begin(app.store, &db))) {
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t id = 0;
    char prefix[9];
    snprintf(prefix, sizeof prefix, "%.8s", key);
    rc = store_open311_key_insert(db, name, hash, prefix, per, r->who->user_id, now, &id);
    struct audit_entry a = {.actor_id = r->who->user_id,
                            .actor = r->who->display_name,
                            .entity = "open311_key",
                            .entity_id = id,
                            .action = "create",
                            .request_id = r->request_id,
                            .ip = r->ip};
    rc = rc ? rc : store_audit_add(db, &a);
    buf_printf(&r->out, "{\"id\":%lld,\"name\":", (long long)id);
    buf_json_str(&r->out, name, strlen(name));
    buf_printf(&r->out, ",\"api_key\":\"%s\",\"key_prefix\":\"%s\",\"per_minute\":%lld}", key,
               prefix, (long long)per);
    return entity_finish_write(r, db, rc, 201);
}

static int api_key_deactivate(struct req *r)
{
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t id = req_id(r, 0);
    rc = store_open311_key_set_status(db, id, "inactive", now);
    struct audit_entry a = {.actor_id = r->who->user_id,
                            .actor = r->who->display_name,
                            .entity = "open311_key",
                            .entity_id = id,
                            .action = "deactivate",
                            .request_id = r->request_id,
                            .ip = r->ip};
    rc = rc ? rc : store_audit_add(db, &a);
    buf_printf(&r->out, "{\"id\":%lld,\"status\":\"inactive\"}", (long long)id);
    return entity_finish_write(r, db, rc, 200);
}

static const struct route routes[] = {
    {"GET", "/api/v1/public/requests/form", 0, api_form, RF_PUBLIC,
     "A public complaint form: its one-use token and the categories"},
    {"POST", "/api/v1/public/requests", 0, api_public_file, RF_PUBLIC | RF_NO_CSRF,
     "File a public complaint (no login; form token; per-address limits); answers its tracking "
     "code"},
    {"GET", "/api/v1/public/requests/{code}", 0, api_public_track, RF_PUBLIC,
     "What a complainant may see of a request, by tracking code"},
    {"POST", "/api/v1/public/requests/{code}/photos", 0, api_public_photo,
     RF_PUBLIC | RF_NO_CSRF | RF_UPLOAD,
     "A photo (JPEG or PNG) of a complaint just filed from the public form"},
    {"GET", "/api/v1/requests/stats", ROLES_STAFF, api_stats, 0,
     "Requests by category, region and state, with the mean days to close"},
    {"GET", "/api/v1/requests/near", ROLES_STAFF, api_near, 0,
     "Complaints within a radius of a WGS 84 point"},
    {"GET", "/api/v1/requests", ROLES_ANY, api_list, 0,
     "Requests and complaints (filters, due soon / overdue; an enterprise user: its own)"},
    {"POST", "/api/v1/requests", STAFF_ENTRY | ROLE_ENTERPRISE, api_create, 0,
     "Staff entry of a hotline call or visit, or an enterprise's request"},
    {"GET", "/api/v1/requests/{id}", ROLES_ANY, api_get, 0, "One request with its timeline"},
    {"POST", "/api/v1/requests/{id}/actions", STAFF_ACT, api_action, 0,
     "Take a workflow action on a request (accept, reject, refer, dispatch, note, site_visit, "
     "request/approve/deny_extension, close, follow_up, reopen)"},
    {"GET", "/api/v1/enterprises/{id}/requests/open", ROLES_STAFF, api_enterprise_open, 0,
     "An enterprise's open requests and complaints with their clocks (the pairing ledger's view)"},
    {"GET", "/api/v1/open311/keys", ROLE_ADMIN, api_keys, 0, "Open311 client keys"},
    {"POST", "/api/v1/open311/keys", ROLE_ADMIN, api_key_create, 0,
     "Create an Open311 client key (shown once)"},
    {"POST", "/api/v1/open311/keys/{id}/deactivate", ROLE_ADMIN, api_key_deactivate, 0,
     "Deactivate an Open311 client key"},
};

void request_api_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
