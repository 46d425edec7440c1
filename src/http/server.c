/*
** libmicrohttpd glue (the only includer of microhttpd.h). One struct conn_state per request:
** its arena, the body or multipart upload, the matched route and the response being built.
** Flow per request: first callback matches the route and checks the declared body size;
** upload callbacks append to the body within the cap; the final callback authenticates,
** checks role and CSRF, runs the handler (or serves a static file) and queues the response.
*/
#include "http/server.h"

#include <arpa/inet.h>
#include <limits.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>

#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "http/router.h"

#define N_STATUS 16
static const int tracked_status[N_STATUS] = {200, 201, 204, 304, 400, 401, 403, 404,
                                             405, 409, 413, 422, 429, 500, 503, 0};
static const double latency_buckets_ms[] = {1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 5000};
#define N_BUCKETS (sizeof latency_buckets_ms / sizeof latency_buckets_ms[0])

struct route_metrics {
    uint64_t by_status[N_STATUS];
};

struct gz_file {
    unsigned char *data;
    size_t size;
    /* Ready responses, built once: identity and gzip. MHD reference-counts them, so every
       request for the file queues the same object. */
    struct MHD_Response *plain, *gzip;
};

struct http_server {
    struct MHD_Daemon *d;
    struct router *rt;
    const struct http_hooks *hooks;
    struct route_metrics *metrics; /* one per route, plus [n] for static and [n+1] unmatched */
    uint64_t latency_count[N_BUCKETS + 1]; /* atomic */
    uint64_t latency_sum_us;               /* atomic */
    struct gz_file *gz;                    /* parallel to embed_files */
    uint64_t next_id;
    char id_prefix[8];
    size_t max_body, max_upload;
    /* trusted_proxies, each as inet_ntop writes it; a request from one of them is from the
       address its X-Forwarded-For names */
    char proxies[8][INET6_ADDRSTRLEN];
    int n_proxies;
};

static struct http_server *running; /* for http_metrics_write */

struct form_field {
    const char *name, *value;
    struct form_field *next;
};

struct conn_state {
    struct req r;
    struct arena arena;
    int route; /* index, -1 static, -2 unmatched, -3 method mismatch */
    struct str params[REQ_MAX_PARAMS];
    int n_params;
    struct buf body;
    size_t cap;
    bool too_big, bad_upload, done, suspended, async_done, queued, reject_early;
    struct MHD_PostProcessor *pp;
    struct form_field *form;
    struct buf field_buf;
    int64_t start_ms;
    struct MHD_Connection *mc;
    struct http_server *srv;
    struct principal who;
};

/* ---------- small helpers ---------- */

unsigned http_role_bit(const char *name)
{
    static const char *names[] = {"admin",   "leader",  "approver",   "inspector", "legal",
                                  "monitor", "service", "enterprise", "bank"};
    for (unsigned i = 0; i < ARRAY_LEN(names); i++) {
        if (name && !strcmp(name, names[i])) {
            return 1u << i;
        }
    }
    return 0;
}

const char *http_role_name(unsigned bit)
{
    static const char *names[] = {"admin",   "leader",  "approver",   "inspector", "legal",
                                  "monitor", "service", "enterprise", "bank"};
    for (unsigned i = 0; i < ARRAY_LEN(names); i++) {
        if (bit == 1u << i) {
            return names[i];
        }
    }
    return NULL;
}

int http_parse_listen(const char *s, char *addr, size_t addr_cap, int *port)
{
    const char *colon = strrchr(s, ':');
    const char *p = colon ? colon + 1 : s;
    int64_t v;
    if (parse_i64(p, strlen(p), &v) || v < 0 || v > 65535) {
        return ERR_INPUT;
    }
    *port = (int)v;
    if (!colon || colon == s) {
        snprintf(addr, addr_cap, "127.0.0.1");
        return 0;
    }
    size_t n = (size_t)(colon - s);
    if (s[0] == '[' && n >= 2 && s[n - 1] == ']') {
        s++, n -= 2;
    }
    if (n + 1 > addr_cap) {
        return ERR_INPUT;
    }
    memcpy(addr, s, n);
    addr[n] = 0;
    return 0;
}

static struct conn_state *state_of(struct req *r)
{
    return (struct conn_state *)r->conn;
}

const char *req_query(struct req *r, const char *name)
{
    struct conn_state *cs = state_of(r);
    const char *v = MHD_lookup_connection_value(cs->mc, MHD_GET_ARGUMENT_KIND, name);
    if (v) {
        return v;
    }
    for (struct form_field *f = cs->form; f; f = f->next) {
        if (!strcmp(f->name, name)) {
            return f->value;
        }
    }
    return NULL;
}

const char *req_header(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(state_of(r)->mc, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(state_of(r)->mc, MHD_COOKIE_KIND, name);
}

int64_t req_id(struct req *r, int i)
{
    int64_t v;
    if (i < 0 || i >= REQ_MAX_PARAMS || !r->params[i] ||
        parse_i64(r->params[i], strlen(r->params[i]), &v) || v <= 0) {
        return -1;
    }
    return v;
}

void resp_header(struct req *r, const char *name, const char *value)
{
    if (r->n_resp_headers < 8) {
        r->resp_headers[2 * r->n_resp_headers] = name;
        r->resp_headers[2 * r->n_resp_headers + 1] = value;
        r->n_resp_headers++;
    }
}

int resp_json(struct req *r, int status)
{
    r->status = status;
    r->resp_type = "application/json; charset=utf-8";
    return 0;
}

int resp_empty(struct req *r)
{
    buf_reset(&r->out);
    r->status = 204;
    r->resp_type = NULL;
    return 0;
}

int resp_error(struct req *r, int status, const char *code, const char *message, const char *field)
{
    buf_reset(&r->out);
    buf_puts(&r->out, "{\"error\":{\"code\":");
    buf_json_str(&r->out, code, strlen(code));
    buf_puts(&r->out, ",\"message\":");
    buf_json_str(&r->out, message ? message : code, strlen(message ? message : code));
    buf_puts(&r->out, ",\"field\":");
    if (field) {
        buf_json_str(&r->out, field, strlen(field));
    } else {
        buf_puts(&r->out, "null");
    }
    buf_printf(&r->out, ",\"request_id\":\"%s\"}}", r->request_id);
    return resp_json(r, status);
}

int resp_err(struct req *r, int err, const char *message, const char *field)
{
    switch (err) {
    case ERR_INPUT:
        return resp_error(r, field ? 422 : 400, "invalid",
                          message ? message : "请求无效 / invalid request", field);
    case ERR_NOTFOUND:
        return resp_error(r, 404, "not_found", message ? message : "未找到 / not found", field);
    case ERR_CONFLICT:
        return resp_error(r, 409, "conflict",
                          message ? message : "与现有记录冲突 / conflicts with an existing record",
                          field);
    case ERR_FORBIDDEN:
        return resp_error(r, 403, "forbidden", message ? message : "无权访问 / forbidden", field);
    case ERR_AUTH:
        return resp_error(r, 401, "unauthenticated",
                          message ? message : "请先登录 / login required", field);
    case ERR_TOOBIG:
        return resp_error(r, 413, "too_large", message ? message : "内容过大 / too large", field);
    case ERR_BUSY:
        return resp_error(r, 429, "busy",
                          message ? message : "请求过于频繁，请稍后再试 / try again later", field);
    default:
        log_error("request %s failed: %s", r->request_id, err_name(err));
        return resp_error(r, 500, "internal", message ? message : "服务器内部错误 / internal error",
                          field);
    }
}

/* ---------- static files ---------- */

static const char *mime_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < ARRAY_LEN(types); i++) {
        if (!strcmp(dot, types[i].ext)) {
            return types[i].type;
        }
    }
    return "application/octet-stream";
}

static void add_security_headers(struct MHD_Response *resp);

static struct MHD_Response *static_response(const void *data, size_t len, const char *type,
                                            const char *etag, bool gzip)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    char quoted[40];
    snprintf(quoted, sizeof quoted, "\"%s\"", etag);
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "ETag", quoted);
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    if (gzip) {
        MHD_add_response_header(resp, "Content-Encoding", "gzip");
    }
    add_security_headers(resp);
    return resp;
}

static void gz_prepare(struct http_server *s)
{
    s->gz = xcalloc(embed_count + 1, sizeof *s->gz);
    for (unsigned i = 0; i < embed_count; i++) {
        const struct embed_file *f = &embed_files[i];
        const char *type = mime_of(f->path);
        if (strncmp(f->path, "web/", 4) || f->size < 1024 ||
            (strncmp(type, "text/", 5) && strncmp(type, "application/json", 16) &&
             strncmp(type, "image/svg", 9))) {
            continue;
        }
        uLongf cap = compressBound((uLong)f->size) + 32;
        unsigned char *out = xmalloc(cap);
        z_stream z = {0};
        deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
        z.next_in = (Bytef *)f->data;
        z.avail_in = (uInt)f->size;
        z.next_out = out;
        z.avail_out = (uInt)cap;
        int zr = deflate(&z, Z_FINISH);
        deflateEnd(&z);
        if (zr == Z_STREAM_END && z.total_out < f->size) {
            s->gz[i].data = out;
            s->gz[i].size = z.total_out;
        } else {
            free(out);
        }
    }
    for (unsigned i = 0; i < embed_count; i++) {
        const struct embed_file *f = &embed_files[i];
        if (strncmp(f->path, "web/", 4)) {
            continue;
        }
        s->gz[i].plain = static_response(f->data, f->size, mime_of(f->path), f->etag, false);
        if (s->gz[i].data) {
            s->gz[i].gzip =
                static_response(s->gz[i].data, s->gz[i].size, mime_of(f->path), f->etag, true);
        }
    }
}

/* Serve web/<path> from the embedded files. Returns false when no such file. */
static bool serve_static(struct req *r, struct http_server *s)
{
    const char *path = r->path;
    if (!strcmp(path, "/")) {
        path = "/index.html";
    }
    if (strstr(path, "..")) {
        return false;
    }
    char full[512];
    snprintf(full, sizeof full, "web%s", path);
    const struct embed_file *f = embed_find(full);
    if (!f) {
        return false;
    }
    char *etag = arena_printf(r->a, "\"%s\"", f->etag);
    const char *inm = req_header(r, "If-None-Match");
    resp_header(r, "ETag", etag);
    resp_header(r, "Cache-Control", "no-cache");
    resp_header(r, "Vary", "Accept-Encoding");
    r->resp_type = mime_of(full);
    if (inm && !strcmp(inm, etag)) {
        r->status = 304;
        return true;
    }
    r->status = 200;
    size_t idx = (size_t)(f - embed_files);
    const char *ae = req_header(r, "Accept-Encoding");
    bool gz = s->gz[idx].gzip && ae && strstr(ae, "gzip");
    r->resp_cached = gz ? s->gz[idx].gzip : s->gz[idx].plain;
    return true;
}

/* ---------- metrics ---------- */

static void metrics_record(struct http_server *s, int route, int status, double ms)
{
    size_t idx = route >= 0 ? (size_t)route : s->rt->n + (route == -1 ? 0 : 1);
    int k = N_STATUS - 1;
    for (int i = 0; i < N_STATUS - 1; i++) {
        if (tracked_status[i] == status) {
            k = i;
            break;
        }
    }
    __atomic_add_fetch(&s->metrics[idx].by_status[k], 1, __ATOMIC_RELAXED);
    size_t b = 0;
    while (b < N_BUCKETS && ms > latency_buckets_ms[b]) {
        b++;
    }
    __atomic_add_fetch(&s->latency_count[b], 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&s->latency_sum_us, (uint64_t)(ms * 1000), __ATOMIC_RELAXED);
}

void http_metrics_write(struct buf *out)
{
    struct http_server *s = running;
    if (!s) {
        return;
    }
    buf_puts(out, "# HELP envgov_http_requests_total HTTP requests by route and status.\n"
                  "# TYPE envgov_http_requests_total counter\n");
    for (size_t i = 0; i < s->rt->n + 2; i++) {
        const char *method = i < s->rt->n ? s->rt->routes[i].method : "GET";
        const char *pat =
            i < s->rt->n ? s->rt->routes[i].pattern : (i == s->rt->n ? "static" : "unmatched");
        for (int k = 0; k < N_STATUS; k++) {
            uint64_t v = __atomic_load_n(&s->metrics[i].by_status[k], __ATOMIC_RELAXED);
            if (v) {
                char code[8];
                snprintf(code, sizeof code, "%d", tracked_status[k]);
                buf_printf(
                    out,
                    "envgov_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %llu\n",
                    method, pat, tracked_status[k] ? code : "other", (unsigned long long)v);
            }
        }
    }
    buf_puts(out, "# HELP envgov_http_request_duration_seconds Request latency.\n"
                  "# TYPE envgov_http_request_duration_seconds histogram\n");
    uint64_t cum = 0;
    for (size_t b = 0; b <= N_BUCKETS; b++) {
        cum += __atomic_load_n(&s->latency_count[b], __ATOMIC_RELAXED);
        if (b < N_BUCKETS) {
            buf_printf(out, "envgov_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                       latency_buckets_ms[b] / 1000.0, (unsigned long long)cum);
        } else {
            buf_printf(out, "envgov_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                       (unsigned long long)cum);
        }
    }
    buf_printf(out, "envgov_http_request_duration_seconds_sum %.6f\n",
               (double)__atomic_load_n(&s->latency_sum_us, __ATOMIC_RELAXED) / 1e6);
    buf_printf(out, "envgov_http_request_duration_seconds_count %llu\n", (unsigned long long)cum);
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    buf_printf(out,
               "# HELP envgov_http_open_connections Open HTTP connections.\n"
               "# TYPE envgov_http_open_connections gauge\n"
               "envgov_http_open_connections %u\n",
               info ? info->num_connections : 0);
}

/* ---------- request lifecycle ---------- */

/* text as inet_ntop writes the address (so "::0001" and "::1" compare equal); false when text
   is not an IP address. */
static bool ip_normal(const char *text, size_t n, char out[INET6_ADDRSTRLEN])
{
    char tmp[INET6_ADDRSTRLEN];
    unsigned char bin[sizeof(struct in6_addr)];
    if (n == 0 || n >= sizeof tmp) {
        return false;
    }
    memcpy(tmp, text, n);
    tmp[n] = 0;
    int af = strchr(tmp, ':') ? AF_INET6 : AF_INET;
    return inet_pton(af, tmp, bin) == 1 && inet_ntop(af, bin, out, INET6_ADDRSTRLEN);
}

static bool trusted_proxy(const struct http_server *s, const char *ip)
{
    for (int i = 0; i < s->n_proxies; i++) {
        if (!strcmp(s->proxies[i], ip)) {
            return true;
        }
    }
    return false;
}

/* Behind trusted proxies the client is the rightmost X-Forwarded-For address that is not
   itself a trusted proxy (each proxy appends the address it received from); anything else
   sending X-Forwarded-For is ignored, so a client cannot choose its own address. */
static void forwarded_for(struct conn_state *cs, char ip[INET6_ADDRSTRLEN])
{
    const char *xff = MHD_lookup_connection_value(cs->mc, MHD_HEADER_KIND, "X-Forwarded-For");
    const char *end = xff ? xff + strlen(xff) : NULL;
    while (xff && end > xff && trusted_proxy(cs->srv, ip)) {
        const char *comma = end;
        while (comma > xff && comma[-1] != ',') {
            comma--;
        }
        struct str item = str_trim((struct str){comma, (size_t)(end - comma)});
        char next[INET6_ADDRSTRLEN];
        if (!ip_normal(item.p, item.len, next)) {
            break; /* not an address: keep the last one that was */
        }
        memcpy(ip, next, INET6_ADDRSTRLEN);
        end = comma > xff ? comma - 1 : xff;
    }
}

static void client_ip(struct conn_state *cs)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(cs->mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char ip[INET6_ADDRSTRLEN] = "?";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET) {
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, ip, sizeof ip);
        } else if (sa->sa_family == AF_INET6) {
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, ip, sizeof ip);
        }
    }
    forwarded_for(cs, ip);
    cs->r.ip = arena_strdup(&cs->arena, ip);
}

static enum MHD_Result post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *filename, const char *content_type,
                                 const char *transfer_encoding, const char *data, uint64_t off,
                                 size_t size)
{
    struct conn_state *cs = cls;
    if (!strcmp(key, "file")) {
        struct req_file *f = &cs->r.file;
        if (!f->present) {
            f->present = true;
            f->name = arena_strdup(&cs->arena, filename ? filename : "upload");
            f->content_type =
                arena_strdup(&cs->arena, content_type ? content_type : "application/octet-stream");
            buf_init(&f->data, cs->cap);
        }
        buf_append(&f->data, data, size);
        if (f->data.overflow) {
            cs->too_big = true;
        }
        return MHD_YES;
    }
    /* Small text fields: accumulate into field_buf keyed by the latest key. */
    if (off == 0) {
        struct form_field *ff = arena_zalloc(&cs->arena, sizeof *ff);
        ff->name = arena_strdup(&cs->arena, key);
        ff->value = arena_strndup(&cs->arena, data, size > 4096 ? 4096 : size);
        ff->next = cs->form;
        cs->form = ff;
    } else if (cs->form && !strcmp(cs->form->name, key) && off < 4096) {
        size_t have = strlen(cs->form->value), add = size;
        if (have + add > 4096) {
            add = 4096 - have;
        }
        char *v = arena_alloc(&cs->arena, have + add + 1);
        memcpy(v, cs->form->value, have);
        memcpy(v + have, data, add);
        v[have + add] = 0;
        cs->form->value = v;
    }
    return MHD_YES;
}

static struct conn_state *state_new(struct http_server *s, struct MHD_Connection *c,
                                    const char *url, const char *method)
{
    struct conn_state *cs = xcalloc(1, sizeof *cs);
    arena_init(&cs->arena, 16384);
    cs->srv = s;
    cs->mc = c;
    cs->start_ms = mono_ms();
    cs->r.a = &cs->arena;
    cs->r.conn = cs;
    cs->r.method = arena_strdup(&cs->arena, method);
    cs->r.path = arena_strdup(&cs->arena, url);
    buf_init(&cs->r.out, (size_t)settings_int("http_max_response"));
    uint64_t id = __atomic_add_fetch(&s->next_id, 1, __ATOMIC_RELAXED);
    snprintf(cs->r.request_id, sizeof cs->r.request_id, "%s-%llu", s->id_prefix,
             (unsigned long long)id);
    client_ip(cs);
    const char *xfp = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
    cs->r.tls = xfp && !strcasecmp(xfp, "https");
    bool mismatch;
    cs->route = router_find(s->rt, method, url, cs->params, &cs->n_params, &mismatch);
    if (cs->route < 0) {
        cs->route = mismatch ? -3 : (!strcmp(method, "GET") || !strcmp(method, "HEAD")) ? -1 : -2;
    }
    for (int i = 0; i < cs->n_params; i++) {
        cs->r.params[i] = arena_strndup(&cs->arena, cs->params[i].p, cs->params[i].len);
    }
    bool upload = cs->route >= 0 && (s->rt->routes[cs->route].flags & RF_UPLOAD);
    cs->cap = upload ? s->max_upload : s->max_body;
    buf_init(&cs->body, cs->cap + 1);
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    cs->r.content_type = ct ? arena_strdup(&cs->arena, ct) : "";
    if (upload && ct && !strncasecmp(ct, "multipart/form-data", 19)) {
        cs->pp = MHD_create_post_processor(c, 65536, post_iter, cs);
        if (!cs->pp) {
            cs->bad_upload = true;
        }
    }
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    int64_t len;
    if (cl && !parse_i64(cl, strlen(cl), &len) && (uint64_t)len > cs->cap + 4096) {
        cs->too_big = true;
        /* A modest overrun is read and dropped so the client sees the 413 (many clients
           fail on a reset while still sending); a huge one is refused before reading. */
        cs->reject_early = (uint64_t)len > cs->cap + ((uint64_t)64 << 20);
    }
    return cs;
}

static bool csrf_ok(struct req *r, const struct route *rt)
{
    if (!r->who || r->who->via_token || !r->who->csrf_token || (rt->flags & RF_NO_CSRF)) {
        return true;
    }
    if (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")) {
        return true;
    }
    const char *t = req_header(r, "X-CSRF-Token");
    return t && ct_equal(t, r->who->csrf_token);
}

#define RF_PWCHANGE_OK_PATHS "/api/v1/session"

static void dispatch(struct conn_state *cs)
{
    struct req *r = &cs->r;
    struct http_server *s = cs->srv;
    if (cs->too_big) {
        resp_error(r, 413, "too_large", "请求体过大 / request body too large", NULL);
        return;
    }
    if (cs->bad_upload) {
        resp_error(r, 400, "invalid", "无法解析上传内容 / malformed upload", NULL);
        return;
    }
    if (cs->route == -1) {
        if (!serve_static(r, s)) {
            resp_error(r, 404, "not_found", "未找到 / not found", NULL);
        }
        return;
    }
    if (cs->route == -2 || cs->route == -3) {
        if (cs->route == -3) {
            resp_error(r, 405, "method_not_allowed", "不支持的请求方法 / method not allowed", NULL);
        } else {
            resp_error(r, 404, "not_found", "未找到 / not found", NULL);
        }
        return;
    }
    const struct route *rt = &s->rt->routes[cs->route];
    r->body = (struct str){cs->body.p ? cs->body.p : "", cs->body.len};
    int auth = s->hooks->authenticate(r, &cs->who);
    r->who = auth == 0 ? &cs->who : NULL;
    if (!(rt->flags & RF_PUBLIC)) {
        if (!r->who) {
            resp_err(r, auth == ERR_BUSY ? ERR_BUSY : ERR_AUTH, NULL, NULL);
            return;
        }
        if (!(rt->roles & r->who->role)) {
            resp_err(r, ERR_FORBIDDEN, "当前角色无权执行此操作 / your role may not do this", NULL);
            return;
        }
        if (r->who->must_change_password && strncmp(rt->pattern, RF_PWCHANGE_OK_PATHS, 15)) {
            resp_error(r, 403, "password_change_required",
                       "请先修改初始密码 / change your initial password first", NULL);
            return;
        }
    }
    if (!csrf_ok(r, rt)) {
        resp_error(r, 403, "csrf", "CSRF 校验失败，请刷新页面 / CSRF token missing or wrong", NULL);
        return;
    }
    if (rt->fn(r) == HTTP_ASYNC) {
        cs->suspended = true;
        return;
    }
}

static void add_common_headers(struct MHD_Response *resp, struct req *r)
{
    MHD_add_response_header(resp, "X-Request-Id", r->request_id);
    add_security_headers(resp);
    if (!strncmp(r->path, "/api/", 5)) {
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    }
}

static void add_security_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
                            "'unsafe-inline'; object-src 'none'; frame-ancestors 'none'");
}

/* Dynamic JSON and CSV bodies of GZIP_MIN bytes or more go out gzip-compressed (level 1) to
   clients that accept it: the live board of 5,000 points is 1.5 MB of JSON every 5 s per open
   page, 46 KB compressed. Smaller answers go as they are: compressing a list of 50 enterprises
   (25 KB) cost a third of the requests a second, and it crosses a slow link in a blink anyway.
   The session routes, which carry the CSRF token, never are compressed (BREACH). */
#define GZIP_MIN 32768
static bool gzip_eligible(const struct req *r, size_t len)
{
    return len >= GZIP_MIN && len <= UINT_MAX && r->resp_type &&
           (!strncmp(r->resp_type, "application/json", 16) ||
            !strncmp(r->resp_type, "text/csv", 8)) &&
           !(r->path && !strncmp(r->path, "/api/v1/session", 15));
}

/* One deflate state per server thread, reset between answers: setting one up allocates and
   clears some 270 KB, which cost more than compressing a list of 50 enterprises. */
static pthread_key_t gz_key;
static pthread_once_t gz_once = PTHREAD_ONCE_INIT;
static void gz_free(void *p)
{
    deflateEnd(p);
    free(p);
}
static void gz_key_make(void)
{
    pthread_key_create(&gz_key, gz_free);
}

/* p[0..len) gzip-compressed into a new malloc'd buffer (*out_len); NULL when it would not be
   smaller or zlib fails. */
static char *gzip_body(const char *p, size_t len, size_t *out_len)
{
    pthread_once(&gz_once, gz_key_make);
    z_stream *z = pthread_getspecific(gz_key);
    if (z) {
        deflateReset(z);
    } else {
        z = xcalloc(1, sizeof *z);
        if (deflateInit2(z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            free(z);
            return NULL;
        }
        pthread_setspecific(gz_key, z);
    }
    size_t cap = deflateBound(z, (uLong)len);
    char *out = xmalloc(cap);
    z->next_in = (Bytef *)p;
    z->avail_in = (uInt)len;
    z->next_out = (Bytef *)out;
    z->avail_out = (uInt)cap;
    int zr = deflate(z, Z_FINISH);
    *out_len = z->total_out;
    if (zr != Z_STREAM_END || *out_len >= len) {
        free(out);
        return NULL;
    }
    return out;
}

static enum MHD_Result queue(struct conn_state *cs)
{
    struct req *r = &cs->r;
    struct MHD_Response *resp;
    bool vary = false, gz = false;
    if (r->resp_cached) {
        cs->queued = true;
        return MHD_queue_response(cs->mc, 200, r->resp_cached);
    }
    if (r->resp_static) {
        resp = MHD_create_response_from_buffer(r->resp_static_len, (void *)r->resp_static,
                                               MHD_RESPMEM_PERSISTENT);
    } else if (r->status == 304 || r->status == 204) {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    } else {
        size_t len, zlen;
        char *p = buf_steal(&r->out, &len), *z;
        vary = gzip_eligible(r, len);
        const char *ae = vary ? req_header(r, "Accept-Encoding") : NULL;
        if (ae && strstr(ae, "gzip") && (z = gzip_body(p, len, &zlen))) {
            free(p);
            p = z;
            len = zlen;
            gz = true;
        }
        resp = MHD_create_response_from_buffer(len, p, MHD_RESPMEM_MUST_FREE);
    }
    if (!resp) {
        return MHD_NO;
    }
    if (vary) {
        MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    }
    if (gz) {
        MHD_add_response_header(resp, "Content-Encoding", "gzip");
    }
    if (r->resp_type && r->status != 304 && r->status != 204) {
        MHD_add_response_header(resp, "Content-Type", r->resp_type);
    }
    for (int i = 0; i < r->n_resp_headers; i++) {
        MHD_add_response_header(resp, r->resp_headers[2 * i], r->resp_headers[2 * i + 1]);
    }
    add_common_headers(resp, r);
    cs->queued = true;
    enum MHD_Result ret = MHD_queue_response(cs->mc, (unsigned)(r->status ? r->status : 500), resp);
    MHD_destroy_response(resp);
    return ret;
}

void req_resume(struct req *r)
{
    struct conn_state *cs = state_of(r);
    __atomic_store_n(&cs->async_done, true, __ATOMIC_RELEASE);
    MHD_resume_connection(cs->mc);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct http_server *s = cls;
    struct conn_state *cs = *con_cls;
    if (!cs) {
        cs = state_new(s, c, url, method);
        *con_cls = cs;
        if (cs->reject_early) {
            /* Declared body far over the cap: answer 413 now instead of reading it; MHD
               closes the connection after the response since the body was not consumed. */
            cs->done = true;
            dispatch(cs);
            return queue(cs);
        }
        return MHD_YES;
    }
    if (cs->queued) {
        *upload_data_size = 0; /* an early 413 is on its way; drop the body */
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (cs->pp && !cs->too_big) {
            if (MHD_post_process(cs->pp, upload_data, *upload_data_size) != MHD_YES) {
                cs->bad_upload = true;
            }
        } else if (!cs->too_big) {
            buf_append(&cs->body, upload_data, *upload_data_size);
            if (cs->body.overflow || cs->body.len > cs->cap) {
                cs->too_big = true;
            }
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (cs->suspended) {
        if (!__atomic_load_n(&cs->async_done, __ATOMIC_ACQUIRE)) {
            return MHD_YES;
        }
        cs->suspended = false;
        return queue(cs);
    }
    if (cs->done) {
        return MHD_YES;
    }
    cs->done = true;
    dispatch(cs);
    if (cs->suspended) {
        /* Suspend first, then start the work, so its resume always finds a suspended
           connection. */
        MHD_suspend_connection(c);
        cs->r.async_start(&cs->r, cs->r.async_arg);
        return MHD_YES;
    }
    return queue(cs);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *s = cls;
    struct conn_state *cs = *con_cls;
    if (!cs) {
        return;
    }
    double ms = (double)(mono_ms() - cs->start_ms);
    int status = cs->queued ? cs->r.status : 0;
    metrics_record(s, cs->route, status, ms);
    bool quiet = cs->route >= 0 && (s->rt->routes[cs->route].flags & RF_NO_LOG);
    if (!quiet && !strcmp(settings_get("access_log"), "on")) {
        log_info("%s %s %s %s %d %.0fms user=%s", cs->r.request_id, cs->r.ip, cs->r.method,
                 cs->r.path, status, ms, cs->r.who ? cs->r.who->username : "-");
    }
    if (cs->pp) {
        MHD_destroy_post_processor(cs->pp);
    }
    buf_release(&cs->body);
    buf_release(&cs->r.out);
    buf_release(&cs->r.file.data);
    arena_free(&cs->arena);
    free(cs);
    *con_cls = NULL;
}

int http_server_start(const char *listen, struct router *rt, const struct http_hooks *hooks,
                      struct http_server **out, char *err, size_t errcap)
{
    char addr[128];
    int port;
    if (http_parse_listen(listen, addr, sizeof addr, &port)) {
        snprintf(err, errcap, "bad --http value '%s' (expected [ADDR:]PORT)", listen);
        return ERR_INPUT;
    }
    struct sockaddr_in6 sa6 = {0};
    struct sockaddr_in sa4 = {0};
    const struct sockaddr *sa;
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (inet_pton(AF_INET, addr, &sa4.sin_addr) == 1) {
        sa4.sin_family = AF_INET;
        sa4.sin_port = htons((uint16_t)port);
        sa = (const struct sockaddr *)&sa4;
    } else if (inet_pton(AF_INET6, addr, &sa6.sin6_addr) == 1) {
        sa6.sin6_family = AF_INET6;
        sa6.sin6_port = htons((uint16_t)port);
        sa = (const struct sockaddr *)&sa6;
        flags |= MHD_USE_IPv6;
    } else {
        snprintf(err, errcap, "bad listen address '%s' (use an IP address)", addr);
        return ERR_INPUT;
    }
    struct http_server *s = xcalloc(1, sizeof *s);
    for (const char *p = settings_get("trusted_proxies"); *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        struct str item = str_trim((struct str){p, n});
        if (item.len &&
            (s->n_proxies == 8 || !ip_normal(item.p, item.len, s->proxies[s->n_proxies++]))) {
            snprintf(err, errcap, "trusted_proxies: '%.*s' is not an IP address (at most 8)",
                     (int)item.len, item.p);
            free(s);
            return ERR_INPUT;
        }
        p = comma ? comma + 1 : p + n;
    }
    s->rt = rt;
    s->hooks = hooks;
    s->metrics = xcalloc(rt->n + 2, sizeof *s->metrics);
    s->max_body = (size_t)settings_int("http_max_body");
    s->max_upload = (size_t)settings_int("upload_max_bytes");
    random_token(3, s->id_prefix, sizeof s->id_prefix);
    gz_prepare(s);
    long threads = settings_int("http_threads");
    if (threads <= 0) {
        threads = sysconf(_SC_NPROCESSORS_ONLN);
    }
    size_t mem_limit = (size_t)settings_int("http_max_header") * 2;
    if (mem_limit < 16384) {
        mem_limit = 16384;
    }
    s->d = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(threads > 0 ? threads : 1),
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)settings_int("http_max_connections"),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)settings_int("http_timeout_s"),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, mem_limit, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_END);
    if (!s->d) {
        snprintf(err, errcap, "cannot listen on %s:%d (in use, or no permission)", addr, port);
        free(s->metrics);
        free(s);
        return ERR_IO;
    }
    running = s;
    *out = s;
    return 0;
}

void http_server_stop(struct http_server *s)
{
    if (!s) {
        return;
    }
    MHD_stop_daemon(s->d);
    if (running == s) {
        running = NULL;
    }
    for (unsigned i = 0; i < embed_count; i++) {
        free(s->gz[i].data);
        if (s->gz[i].plain) {
            MHD_destroy_response(s->gz[i].plain);
        }
        if (s->gz[i].gzip) {
            MHD_destroy_response(s->gz[i].gzip);
        }
    }
    free(s->gz);
    free(s->metrics);
    free(s);
}
