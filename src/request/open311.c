/*
** Open311 GeoReport v2 at /open311/v2/ (decision 103): discovery, services, service
** definitions, POST requests (form-encoded, api_key), tokens, requests (ids, service_code,
** start/end_date within 90 days, status; defaults the last 90 days and 1000 rows) and one
** request, each as .xml or .json with the same content (one writer emits both). Times are
** ISO-8601 in China time with its offset (+08:00); coordinates WGS 84. The confidential
** ("blackbox") service is never listed and its requests never shown. service_request_id and
** the token are the tracking code: the complainant's own handle, nothing enumerable. Internal
** states map to open / closed with the detail in status_notes; no officer, unit member or other
** complainant's contact is shown. Errors are a list of {code, description} (400 / 403 / 404,
** 429 past a key's per-minute limit).
*/
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "platform/app.h"
#include "request/internal.h"

#define MAX_IDS 100
#define LIST_MAX 1000
#define AGENCY "生态环境局 / Ecology and Environment Bureau"

struct service {
    const char *code, *name_zh, *name_en, *group;
    bool blackbox;
};

static const struct service SERVICES[] = {
    {"air", "大气污染", "Air pollution", "pollution", false},
    {"water", "水污染", "Water pollution", "pollution", false},
    {"noise", "噪声扰民", "Noise", "nuisance", false},
    {"waste", "固体废物", "Solid waste", "pollution", false},
    {"odor", "恶臭异味", "Odour", "nuisance", false},
    {"radiation", "辐射", "Radiation", "pollution", false},
    {"ecology", "生态破坏", "Ecological damage", "ecology", false},
    {"other", "其他", "Other", "other", false},
    {"confidential", "保密举报", "Confidential report", "other", true},
};
#define N_SERVICES (sizeof SERVICES / sizeof SERVICES[0])

static const char *const HIDDEN[] = {"confidential", NULL};

static const struct service *service_find(const char *code)
{
    for (size_t i = 0; i < N_SERVICES; i++) {
        if (!strcmp(SERVICES[i].code, code)) {
            return &SERVICES[i];
        }
    }
    return NULL;
}

/* ---------------- one writer, two formats ---------------- */

struct w {
    struct buf *out;
    bool xml;
    bool first[16];
    int depth;
};

static void w_sep(struct w *w)
{
    if (!w->xml) {
        if (!w->first[w->depth]) {
            buf_putc(w->out, ',');
        }
        w->first[w->depth] = false;
    }
}

static void w_key(struct w *w, const char *key)
{
    w_sep(w);
    if (!w->xml && key) {
        buf_printf(w->out, "\"%s\":", key);
    }
}

/* A list: JSON array, XML element <name> holding <item> elements. */
static void w_list(struct w *w, const char *key, const char *name)
{
    w_key(w, key);
    if (w->xml) {
        buf_printf(w->out, "<%s>", name);
    } else {
        buf_putc(w->out, '[');
    }
    w->first[++w->depth] = true;
}

static void w_list_end(struct w *w, const char *name)
{
    w->depth--;
    if (w->xml) {
        buf_printf(w->out, "</%s>", name);
    } else {
        buf_putc(w->out, ']');
    }
}

static void w_obj(struct w *w, const char *key, const char *name)
{
    w_key(w, key);
    if (w->xml) {
        buf_printf(w->out, "<%s>", name);
    } else {
        buf_putc(w->out, '{');
    }
    w->first[++w->depth] = true;
}

static void w_obj_end(struct w *w, const char *name)
{
    w->depth--;
    if (w->xml) {
        buf_printf(w->out, "</%s>", name);
    } else {
        buf_putc(w->out, '}');
    }
}

static void w_str(struct w *w, const char *key, const char *v)
{
    w_key(w, key);
    if (w->xml) {
        buf_printf(w->out, "<%s>", key);
        request_xml_escape(w->out, v ? v : "", v ? strlen(v) : 0);
        buf_printf(w->out, "</%s>", key);
    } else if (v) {
        buf_json_str(w->out, v, strlen(v));
    } else {
        buf_puts(w->out, "null");
    }
}

static void w_raw(struct w *w, const char *key, const char *v)
{
    w_key(w, key);
    if (w->xml) {
        buf_printf(w->out, "<%s>%s</%s>", key, v, key);
    } else {
        buf_puts(w->out, v);
    }
}

/* A bare string in a list (JSON) or <item>v</item> (XML). */
static void w_item(struct w *w, const char *tag, const char *v)
{
    w_sep(w);
    if (w->xml) {
        buf_printf(w->out, "<%s>", tag);
        request_xml_escape(w->out, v, strlen(v));
        buf_printf(w->out, "</%s>", tag);
    } else {
        buf_json_str(w->out, v, strlen(v));
    }
}

/* ---------------- requests and responses ---------------- */

/* The format from the last path segment ("services.json"): the segment's stem into stem. */
static int format_of(const char *seg, char *stem, size_t cap, bool *xml)
{
    const char *dot = strrchr(seg, '.');
    size_t n = dot ? (size_t)(dot - seg) : strlen(seg);
    if (dot && !strcmp(dot, ".json")) {
        *xml = false;
    } else if (!dot || !strcmp(dot, ".xml")) {
        *xml = true; /* XML is the spec's default */
    } else {
        return ERR_NOTFOUND;
    }
    if (n >= cap) {
        return ERR_NOTFOUND;
    }
    memcpy(stem, seg, n);
    stem[n] = 0;
    return 0;
}

static int finish(struct req *r, bool xml, int status)
{
    r->status = status;
    r->resp_type = xml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8";
    return 0;
}

static void begin(struct req *r, struct w *w, bool xml)
{
    buf_reset(&r->out);
    memset(w, 0, sizeof *w);
    w->out = &r->out;
    w->xml = xml;
    w->first[0] = true;
    if (xml) {
        buf_puts(&r->out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    }
}

static int o311_error(struct req *r, bool xml, int status, const char *desc)
{
    struct w w;
    begin(r, &w, xml);
    w_list(&w, NULL, "errors");
    w_obj(&w, NULL, "error");
    char code[8];
    snprintf(code, sizeof code, "%d", status);
    w_raw(&w, "code", code);
    w_str(&w, "description", desc);
    w_obj_end(&w, "error");
    w_list_end(&w, "errors");
    return finish(r, xml, status);
}

/* "2026-12-07T08:00:00Z" → "2026-12-07T16:00:00+08:00" into out (empty for ""). */
static const char *china_iso(const char *utc, char out[32])
{
    char cn[20];
    if (!utc || !*utc || !iso_utc_to_china(utc, cn)) {
        out[0] = 0;
        return NULL;
    }
    cn[10] = 'T';
    snprintf(out, 32, "%s+08:00", cn);
    return out;
}

static void service_json(struct w *w, const struct service *s)
{
    char name[160];
    snprintf(name, sizeof name, "%s / %s", s->name_zh, s->name_en);
    w_obj(w, NULL, "service");
    w_str(w, "service_code", s->code);
    w_str(w, "service_name", name);
    w_str(w, "description", name);
    w_raw(w, "metadata", "true");
    w_str(w, "type", "realtime");
    w_str(w, "keywords", s->group);
    w_str(w, "group", s->group);
    w_obj_end(w, "service");
}

static int api_discovery(struct req *r)
{
    char stem[32];
    bool xml;
    if (format_of(r->path + strlen("/open311/v2/"), stem, sizeof stem, &xml)) {
        return o311_error(r, true, 404, "unknown format");
    }
    struct w w;
    begin(r, &w, xml);
    w_obj(&w, NULL, "discovery");
    w_str(&w, "changeset", "2026-12-07T00:00:00+08:00");
    w_str(&w, "contact", AGENCY " · 12369");
    w_str(&w, "key_service", "由系统管理员发放 / issued by the bureau's administrators");
    w_list(&w, "endpoints", "endpoints");
    w_obj(&w, NULL, "endpoint");
    w_str(&w, "specification", "http://wiki.open311.org/GeoReport_v2");
    w_str(&w, "url", "/open311/v2");
    w_str(&w, "changeset", "2026-12-07T00:00:00+08:00");
    w_str(&w, "type", "production");
    w_list(&w, "formats", "formats");
    w_item(&w, "format", "text/xml");
    w_item(&w, "format", "application/json");
    w_list_end(&w, "formats");
    w_obj_end(&w, "endpoint");
    w_list_end(&w, "endpoints");
    w_obj_end(&w, "discovery");
    return finish(r, xml, 200);
}

static int api_services(struct req *r)
{
    char stem[32];
    bool xml;
    if (format_of(r->path + strlen("/open311/v2/"), stem, sizeof stem, &xml)) {
        return o311_error(r, true, 404, "unknown format");
    }
    struct w w;
    begin(r, &w, xml);
    w_list(&w, NULL, "services");
    for (size_t i = 0; i < N_SERVICES; i++) {
        if (!SERVICES[i].blackbox) {
            service_json(&w, &SERVICES[i]);
        }
    }
    w_list_end(&w, "services");
    return finish(r, xml, 200);
}

static void attr_value(struct w *w, const char *key, const char *name)
{
    w_obj(w, NULL, "value");
    w_str(w, "key", key);
    w_str(w, "name", name);
    w_obj_end(w, "value");
}

static int api_service(struct req *r)
{
    char code[64];
    bool xml;
    if (format_of(r->params[0], code, sizeof code, &xml)) {
        return o311_error(r, true, 404, "unknown format");
    }
    const struct service *s = service_find(code);
    if (!s || s->blackbox) {
        return o311_error(r, xml, 404, "没有该服务 / no such service_code");
    }
    struct w w;
    begin(r, &w, xml);
    w_obj(&w, NULL, "service_definition");
    w_str(&w, "service_code", s->code);
    w_list(&w, "attributes", "attributes");
    w_obj(&w, NULL, "attribute");
    w_raw(&w, "variable", "true");
    w_str(&w, "code", "time_of_day");
    w_str(&w, "datatype", "singlevaluelist");
    w_raw(&w, "required", "false");
    w_str(&w, "datatype_description", "发生时段 / when it happens");
    w_raw(&w, "order", "1");
    w_str(&w, "description", "发生时段 / When does it happen?");
    w_list(&w, "values", "values");
    attr_value(&w, "day", "白天 / daytime");
    attr_value(&w, "night", "夜间 / at night");
    attr_value(&w, "always", "持续 / all the time");
    w_list_end(&w, "values");
    w_obj_end(&w, "attribute");
    w_obj(&w, NULL, "attribute");
    w_raw(&w, "variable", "true");
    w_str(&w, "code", "anonymous");
    w_str(&w, "datatype", "singlevaluelist");
    w_raw(&w, "required", "false");
    w_str(&w, "datatype_description", "匿名 / anonymous");
    w_raw(&w, "order", "2");
    w_str(&w, "description", "不留联系方式 / Keep my contact details out");
    w_list(&w, "values", "values");
    attr_value(&w, "yes", "是 / yes");
    attr_value(&w, "no", "否 / no");
    w_list_end(&w, "values");
    w_obj_end(&w, "attribute");
    w_list_end(&w, "attributes");
    w_obj_end(&w, "service_definition");
    return finish(r, xml, 200);
}

/* ---------------- keys and their per-minute limit ---------------- */

#define KEY_SLOTS 256
static struct {
    int64_t key_id, minute;
    int64_t n;
} key_use[KEY_SLOTS];
static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;

static bool key_allows(int64_t id, int64_t per_minute)
{
    int64_t minute = wall_ms() / 60000;
    pthread_mutex_lock(&key_lock);
    size_t i = (size_t)id % KEY_SLOTS;
    if (key_use[i].key_id != id || key_use[i].minute != minute) {
        key_use[i].key_id = id;
        key_use[i].minute = minute;
        key_use[i].n = 0;
    }
    bool ok = ++key_use[i].n <= per_minute;
    pthread_mutex_unlock(&key_lock);
    return ok;
}

static int field(struct req *r, const char *key, char *out, size_t cap)
{
    return request_form_value(r->body.p, r->body.len, key, out, cap);
}

static int api_post(struct req *r)
{
    char stem[32];
    bool xml;
    if (format_of(r->path + strlen("/open311/v2/"), stem, sizeof stem, &xml)) {
        return o311_error(r, true, 404, "unknown format");
    }
    if (r->content_type && *r->content_type &&
        strncasecmp(r->content_type, "application/x-www-form-urlencoded", 33)) {
        return o311_error(r, xml, 400,
                          "请以 application/x-www-form-urlencoded 提交 / the body must be "
                          "form-encoded");
    }
    char key[128], hash[65];
    if (field(r, "api_key", key, sizeof key) <= 0) {
        return o311_error(r, xml, 403, "缺少 api_key / api_key is required");
    }
    sha256_hex(key, strlen(key), hash);
    struct db *db = store_read(app.store);
    struct open311_key_row k;
    int rc = store_open311_key_by_hash(db, hash, &k);
    store_release(app.store, db);
    if (rc == ERR_NOTFOUND || (!rc && strcmp(k.status, "active"))) {
        return o311_error(r, xml, 403, "api_key 无效 / invalid api_key");
    }
    if (rc) {
        return o311_error(r, xml, 500, "internal error");
    }
    if (!key_allows(k.id, k.per_minute)) {
        resp_header(r, "Retry-After", "60");
        return o311_error(r, xml, 429, "超过该 api_key 的每分钟限额 / rate limit of this api_key");
    }
    char code[64], desc[4001], addr[401], la[40], ln[40], email[201], first[101], last[101],
        phone[41], tod[16], anon[8];
    if (field(r, "service_code", code, sizeof code) <= 0) {
        return o311_error(r, xml, 400, "缺少 service_code / service_code is required");
    }
    const struct service *s = service_find(code);
    if (!s) {
        return o311_error(r, xml, 404, "没有该服务 / no such service_code");
    }
    struct request_input in = {.kind = "complaint",
                               .channel = "open311",
                               .category = s->code,
                               .open311_key_id = k.id,
                               .region_code = ""};
    int dl = field(r, "description", desc, sizeof desc);
    int al = field(r, "address_string", addr, sizeof addr);
    bool has_lat = field(r, "lat", la, sizeof la) > 0,
         has_lng = field(r, "long", ln, sizeof ln) > 0;
    if (has_lat != has_lng) {
        return o311_error(r, xml, 400, "lat 与 long 须同时给出 / lat and long go together");
    }
    if (has_lat && (parse_f64(la, strlen(la), &in.lat) || parse_f64(ln, strlen(ln), &in.lng) ||
                    !request_point_valid(in.lat, in.lng))) {
        return o311_error(r, xml, 400, "lat/long 应为 WGS 84 度 / lat and long must be WGS 84");
    }
    in.has_point = has_lat;
    if (!has_lat && al <= 0) {
        return o311_error(r, xml, 400,
                          "须给出 lat/long 或 address_string / lat and long or address_string "
                          "is required");
    }
    if (dl <= 0) {
        snprintf(desc, sizeof desc, "%s", s->name_zh);
    }
    if (field(r, "attribute[time_of_day]", tod, sizeof tod) > 0) {
        size_t n = strlen(desc);
        snprintf(desc + n, sizeof desc - n, "（时段：%s）", tod);
    }
    in.anonymous = field(r, "attribute[anonymous]", anon, sizeof anon) > 0 && !strcmp(anon, "yes");
    in.description = desc;
    in.title = desc;
    in.address = al > 0 ? addr : "";
    char name[210] = "";
    if (field(r, "first_name", first, sizeof first) < 0) {
        first[0] = 0;
    }
    if (field(r, "last_name", last, sizeof last) < 0) {
        last[0] = 0;
    }
    snprintf(name, sizeof name, "%s%s", last, first);
    in.contact_name = name;
    in.contact_email = field(r, "email", email, sizeof email) > 0 ? email : "";
    in.contact_phone = field(r, "phone", phone, sizeof phone) > 0 ? phone : "";
    char now[32], tc[13];
    time_iso(wall_ms() / 1000, now);
    if ((rc = store_begin(app.store, &db))) {
        return o311_error(r, xml, 503, "busy");
    }
    int64_t id = 0;
    char actor[160];
    snprintf(actor, sizeof actor, "Open311 · %s", k.name);
    rc = request_file(db, &in, 0, actor, r->request_id, r->ip, now, &id, tc);
    rc = rc ? (store_rollback(app.store, db), rc) : store_commit(app.store, db);
    if (rc) {
        return o311_error(r, xml, 500, "internal error");
    }
    struct w w;
    begin(r, &w, xml);
    w_list(&w, NULL, "service_requests");
    w_obj(&w, NULL, "request");
    w_str(&w, "service_request_id", tc);
    w_str(&w, "token", tc);
    w_str(&w, "service_notice",
          "已收到，将在 3 个工作日内受理或转送 / received: accepted or referred within 3 "
          "working days");
    w_str(&w, "account_id", NULL);
    w_obj_end(&w, "request");
    w_list_end(&w, "service_requests");
    return finish(r, xml, 201);
}

static int api_token(struct req *r)
{
    char tok[32];
    bool xml;
    if (format_of(r->params[0], tok, sizeof tok, &xml)) {
        return o311_error(r, true, 404, "unknown format");
    }
    int64_t id = 0;
    struct request_row row;
    struct db *db = store_read(app.store);
    int rc = request_tracking_code_valid(tok) ? store_request_by_code(db, tok, &id) : ERR_NOTFOUND;
    rc = rc ? rc : store_request_get(db, id, &row);
    store_release(app.store, db);
    if (rc || strcmp(row.kind, "complaint") || service_find(row.category)->blackbox) {
        return o311_error(r, xml, 404, "没有该 token / no such token");
    }
    struct w w;
    begin(r, &w, xml);
    w_list(&w, NULL, "service_requests");
    w_obj(&w, NULL, "request");
    w_str(&w, "service_request_id", tok);
    w_str(&w, "token", tok);
    w_obj_end(&w, "request");
    w_list_end(&w, "service_requests");
    return finish(r, xml, 200);
}

/* The state in words for status_notes (the answer follows once closed). */
static const char *state_words(const char *state)
{
    static const struct {
        const char *s, *w;
    } M[] = {{"received", "已收到 / received"},
             {"accepted", "已受理 / accepted"},
             {"handling", "办理中 / being handled"},
             {"closed", "已办结 / closed"},
             {"rated", "已办结并回访 / closed and followed up"},
             {"rejected", "不予受理 / not accepted"},
             {"referred", "已转送有权机关 / referred to the competent body"}};
    for (size_t i = 0; i < sizeof M / sizeof M[0]; i++) {
        if (!strcmp(M[i].s, state)) {
            return M[i].w;
        }
    }
    return state;
}

static void request_out(const struct open311_row *x, void *ctx)
{
    struct w *w = ctx;
    const struct service *s = service_find(x->category);
    char name[160], t1[32], t2[32], num[40], notes[9000];
    snprintf(name, sizeof name, "%s / %s", s ? s->name_zh : x->category, s ? s->name_en : "");
    const char *detail = !strcmp(x->state, "rejected")   ? x->reject_reason
                         : !strcmp(x->state, "referred") ? x->referred_to
                         : *x->answer                    ? x->answer
                                                         : x->public_notes;
    snprintf(notes, sizeof notes, "%s%s%s", state_words(x->state), *detail ? "：" : "", detail);
    w_obj(w, NULL, "request");
    w_str(w, "service_request_id", x->tracking_code);
    w_str(w, "status", request_open311_status(x->state));
    w_str(w, "status_notes", notes);
    w_str(w, "service_name", name);
    w_str(w, "service_code", x->category);
    w_str(w, "description", x->description);
    w_str(w, "agency_responsible", AGENCY);
    w_str(w, "service_notice", "");
    w_str(w, "requested_datetime", china_iso(x->received_at, t1));
    w_str(w, "updated_datetime", china_iso(x->updated_at, t2));
    w_str(w, "expected_datetime", NULL);
    w_str(w, "address", x->address);
    w_str(w, "address_id", NULL);
    w_str(w, "zipcode", NULL);
    if (x->has_point) {
        snprintf(num, sizeof num, "%.10g", x->lat);
        w_raw(w, "lat", num);
        snprintf(num, sizeof num, "%.10g", x->lng);
        w_raw(w, "long", num);
    } else {
        w_str(w, "lat", NULL);
        w_str(w, "long", NULL);
    }
    w_str(w, "media_url", NULL);
    w_obj_end(w, "request");
}

static int api_requests(struct req *r)
{
    char stem[32];
    bool xml;
    if (format_of(r->path + strlen("/open311/v2/"), stem, sizeof stem, &xml)) {
        return o311_error(r, true, 404, "unknown format");
    }
    struct open311_query q = {.hidden = HIDDEN, .limit = LIST_MAX};
    const char *ids = req_query(r, "service_request_id");
    const char *codes[MAX_IDS];
    if (ids && *ids) {
        if (strlen(ids) > MAX_IDS * 14) {
            return o311_error(r, xml, 400, "service_request_id 过多 / at most 100 ids");
        }
        char *copy = arena_strdup(r->a, ids);
        for (char *t = copy, *next; t; t = next) {
            next = strchr(t, ',');
            if (next) {
                *next++ = 0;
            }
            if (q.n_codes == MAX_IDS || !request_tracking_code_valid(t)) {
                return o311_error(r, xml, 400, "service_request_id 无效 / bad service_request_id");
            }
            codes[q.n_codes++] = t;
        }
        q.codes = codes;
    }
    const char *sc = req_query(r, "service_code");
    if (sc && *sc) {
        const struct service *s = service_find(sc);
        if (!s || s->blackbox) {
            return o311_error(r, xml, 404, "没有该服务 / no such service_code");
        }
        q.service_code = s->code;
    }
    const char *st = req_query(r, "status");
    if (st && *st) {
        if (strcmp(st, "open") && strcmp(st, "closed")) {
            return o311_error(r, xml, 400, "status 应为 open 或 closed / status is open or closed");
        }
        q.status = st;
    }
    const char *sd = req_query(r, "start_date"), *ed = req_query(r, "end_date"), *bad = NULL;
    char from[32], to[32];
    if (request_open311_window(sd && *sd ? sd : NULL, ed && *ed ? ed : NULL, wall_ms() / 1000, from,
                               to, &bad)) {
        return o311_error(
            r, xml, 400,
            arena_printf(r->a,
                         "%s 无效：须为带时区的 ISO-8601，且起止不超过 90 天 / %s must "
                         "be ISO-8601 with a time zone, the span at most 90 days",
                         bad, bad));
    }
    q.start = from;
    q.end = to;
    struct w w;
    begin(r, &w, xml);
    w_list(&w, NULL, "service_requests");
    struct db *db = store_read(app.store);
    int rc = store_open311_each(db, &q, request_out, &w);
    store_release(app.store, db);
    if (rc) {
        return o311_error(r, xml, 500, "internal error");
    }
    w_list_end(&w, "service_requests");
    return finish(r, xml, 200);
}

static int api_request(struct req *r)
{
    char code[32];
    bool xml;
    if (format_of(r->params[0], code, sizeof code, &xml)) {
        return o311_error(r, true, 404, "unknown format");
    }
    if (!request_tracking_code_valid(code)) {
        return o311_error(r, xml, 404, "没有该请求 / no such service_request_id");
    }
    const char *codes[1] = {code};
    struct open311_query q = {.codes = codes, .n_codes = 1, .hidden = HIDDEN, .limit = 1};
    struct w w;
    begin(r, &w, xml);
    w_list(&w, NULL, "service_requests");
    size_t before = r->out.len;
    struct db *db = store_read(app.store);
    int rc = store_open311_each(db, &q, request_out, &w);
    store_release(app.store, db);
    if (rc) {
        return o311_error(r, xml, 500, "internal error");
    }
    if (r->out.len == before) {
        return o311_error(r, xml, 404, "没有该请求 / no such service_request_id");
    }
    w_list_end(&w, "service_requests");
    return finish(r, xml, 200);
}

static const struct route routes[] = {
    {"GET", "/open311/v2/discovery.json", 0, api_discovery, RF_PUBLIC, "Open311 discovery (JSON)"},
    {"GET", "/open311/v2/discovery.xml", 0, api_discovery, RF_PUBLIC, "Open311 discovery (XML)"},
    {"GET", "/open311/v2/services.json", 0, api_services, RF_PUBLIC,
     "Open311 services (JSON; the confidential service is not listed)"},
    {"GET", "/open311/v2/services.xml", 0, api_services, RF_PUBLIC, "Open311 services (XML)"},
    {"GET", "/open311/v2/services/{code}", 0, api_service, RF_PUBLIC,
     "Open311 service definition with its attributes ({code}.json or {code}.xml)"},
    {"POST", "/open311/v2/requests.json", 0, api_post, RF_PUBLIC | RF_NO_CSRF,
     "Open311 POST a service request (form-encoded, api_key; JSON answer)"},
    {"POST", "/open311/v2/requests.xml", 0, api_post, RF_PUBLIC | RF_NO_CSRF,
     "Open311 POST a service request (form-encoded, api_key; XML answer)"},
    {"GET", "/open311/v2/requests.json", 0, api_requests, RF_PUBLIC,
     "Open311 service requests (ids, service_code, start/end_date within 90 days, status; JSON)"},
    {"GET", "/open311/v2/requests.xml", 0, api_requests, RF_PUBLIC,
     "Open311 service requests (XML)"},
    {"GET", "/open311/v2/requests/{id}", 0, api_request, RF_PUBLIC,
     "Open311 one service request by its id ({id}.json or {id}.xml)"},
    {"GET", "/open311/v2/tokens/{token}", 0, api_token, RF_PUBLIC,
     "Open311 the service request id of a token ({token}.json or {token}.xml)"},
};

void request_open311_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
