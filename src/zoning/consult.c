/*
** Pre-consultations (提前介入 / 超前服务 / 招商咨询): service, approval and admin staff — and an
** enterprise user for its own enterprise — record a planned project (name, builder, industry,
** investment, site, optional registry enterprise). The site is checked against the edition in
** force at once, and the one-time notice of concerns (siting, industry policy, red lines, what
** its EIA must cover) is fixed then as paragraphs in the row; its PDF is rendered from them by
** the documents module whenever it is downloaded, so it never changes. zoning_consult_get gives
** the record to the approval module, which carries it over into an EIA application.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "documents/documents.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/entity.h"
#include "store/q_zoning.h"
#include "zoning/internal.h"

#define CONSULTERS (ROLE_ADMIN | ROLE_SERVICE | ROLE_APPROVER | ROLE_LEADER | ROLE_ENTERPRISE)

static const char *kind_zh(const char *k)
{
    return !strcmp(k, "priority") ? "优先保护单元"
           : !strcmp(k, "key")    ? "重点管控单元"
                                  : "一般管控单元";
}

static const char *rel_zh(const char *r)
{
    return !strcmp(r, "inside") ? "位于" : !strcmp(r, "border") ? "紧邻（位于边界上）" : "部分涉及";
}

static const char *dim_zh(const char *d)
{
    return !strcmp(d, "spatial")    ? "空间布局约束"
           : !strcmp(d, "emission") ? "污染物排放管控"
           : !strcmp(d, "risk")     ? "环境风险防控"
                                    : "资源开发效率";
}

static const char *eff_zh(const char *e)
{
    return !strcmp(e, "forbid") ? "禁止" : !strcmp(e, "condition") ? "限制（有条件准入）" : "允许";
}

static void para(json_t *list, const char *s)
{
    json_array_append_new(list, json_string(s));
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

void zoning_notice_json(const char *project_name, const char *builder, const char *industry,
                        json_t *check, struct buf *out)
{
    json_t *list = json_array();
    struct buf b;
    buf_init(&b, 1 << 20);
    size_t pn = strlen(project_name);
    bool named = pn >= 6 && !strcmp(project_name + pn - 6, "项目"); /* "…项目" needs no second */
    buf_printf(&b,
               "%s拟建设的“%s”%s（国民经济行业代码 %s）已向我局申请提前介入服务。经对照%s版生态环境"
               "分区管控（三线一单）成果，现将有关意见告知如下。",
               builder, project_name, named ? "" : "项目", *industry ? industry : "未填",
               str(check, "edition"));
    para(list, b.p);
    json_t *units = json_object_get(check, "units"), *reasons = json_object_get(check, "reasons");
    size_t i;
    json_t *u;
    buf_reset(&b);
    if (!json_array_size(units)) {
        buf_puts(&b, "一、选址：项目选址不在现行版本的任何环境管控单元内，请核实选址坐标。");
    } else {
        buf_puts(&b, "一、选址：项目选址");
        json_array_foreach (units, i, u) {
            buf_printf(&b, "%s%s%s“%s”（%s，编码 %s）", i ? "；" : "", rel_zh(str(u, "relation")),
                       "", str(u, "name"), kind_zh(str(u, "kind")), str(u, "code"));
        }
        buf_puts(&b, "。");
    }
    para(list, b.p);
    const char *v = str(check, "verdict");
    buf_reset(&b);
    buf_printf(&b, "二、准入结论：%s",
               !strcmp(v, "forbidden") ? "项目属于所涉管控单元生态环境准入清单禁止类，不符合准入要"
                                         "求，建议另行选址或调整项目内容。"
               : !strcmp(v, "conditional") ? "项目须满足下列准入条件方可建设。"
               : !strcmp(v, "allowed") ? "未发现所涉管控单元准入清单禁止或限制该行业的条款。"
                                       : "无法判断，选址未落入管控单元。");
    para(list, b.p);
    json_t *x;
    bool dims[4] = {0};
    json_array_foreach (reasons, i, x) {
        buf_reset(&b);
        const char *d = str(x, "dimension");
        dims[0] |= !strcmp(d, "spatial"), dims[1] |= !strcmp(d, "emission");
        dims[2] |= !strcmp(d, "risk"), dims[3] |= !strcmp(d, "resource");
        buf_printf(&b, "（%zu）【%s 第 %s 条 · %s · %s】%s", i + 1, str(x, "unit"), str(x, "item"),
                   dim_zh(d), eff_zh(str(x, "effect")), str(x, "text"));
        para(list, b.p);
    }
    /* The access lists carry the zoning's own bans; the national catalogue is the development
       and reform department's to apply, so the notice only says it must be met. */
    para(list,
         "三、产业政策：项目须符合《产业结构调整指导目录》和浙江省产业政策，不得属于淘汰类项目；"
         "属于限制类的，须满足其限制条件（以发展改革部门的认定为准）。");
    if (json_is_true(json_object_get(check, "sensitive"))) {
        para(list,
             "四、生态保护红线与环境敏感区：选址涉及优先保护单元或环境敏感区，项目环境影响评价类别"
             "相应提高，不适用告知承诺制审批；须论证选址的环境合理性，严禁占用生态保护红线。");
    } else {
        para(list, "四、生态保护红线与环境敏感区：选址未涉及优先保护单元或已标明的环境敏感区；如另"
                   "有敏感目标，环评中须一并识别。");
    }
    buf_reset(&b);
    buf_puts(&b, "五、环境影响评价须重点说明：与三线一单及规划环评的符合性分析");
    if (dims[1]) {
        buf_puts(&b, "；污染物排放总量指标来源及削减替代方案");
    }
    if (dims[2]) {
        buf_puts(&b, "；环境风险评价、防护距离与突发环境事件应急预案");
    }
    if (dims[3]) {
        buf_puts(&b, "；能耗、水耗等资源利用效率与准入值的对比");
    }
    buf_puts(&b, "。");
    para(list, b.p);
    para(list, "本意见为提前介入服务意见，依据现行生态环境分区管控成果作出，不代替建设项目环境影响"
               "评价审批决定。");
    buf_release(&b);
    char *s = json_dumps(list, JSON_COMPACT);
    buf_puts(out, s);
    free(s);
    json_decref(list);
}

/* ---------------- the record ---------------- */

struct consult_in {
    const char *project_name, *builder, *industry, *region_code;
    char *geometry;
    double investment;
    int64_t enterprise_id;
};

static int read_body(struct req *r, json_t *in, struct consult_in *c)
{
    int rc = json_get_str(r, in, "project_name", 200, true, &c->project_name);
    rc = rc ? rc : json_get_str(r, in, "builder", 200, true, &c->builder);
    rc = rc ? rc : json_get_str(r, in, "industry", 8, false, &c->industry);
    rc = rc ? rc : json_get_str(r, in, "region_code", 12, false, &c->region_code);
    if (rc) {
        return rc;
    }
    if (!*c->project_name || !*c->builder) {
        const char *f = !*c->project_name ? "project_name" : "builder";
        return resp_error(r, 422, "required",
                          "请填写项目名称和建设单位 / project_name and builder are required", f),
               ERR_INPUT;
    }
    char industry[ZONING_INDUSTRY_MAX];
    if (!zoning_industry_norm(c->industry, c->industry ? strlen(c->industry) : 0, industry)) {
        return resp_error(r, 422, "invalid",
                          "行业代码应为国民经济行业代码（如 C2614 或 2614） / industry must be a "
                          "GB/T 4754 code (C2614 or 2614)",
                          "industry"),
               ERR_INPUT;
    }
    json_t *inv = json_object_get(in, "investment");
    if (inv && !json_is_null(inv) &&
        (!json_is_number(inv) || json_number_value(inv) < 0 || json_number_value(inv) > 1e9)) {
        return resp_error(
                   r, 422, "invalid",
                   "投资额应为非负数（万元） / investment must be a non-negative number (10k yuan)",
                   "investment"),
               ERR_INPUT;
    }
    c->investment = inv ? json_number_value(inv) : 0;
    json_t *e = json_object_get(in, "enterprise_id");
    if (e && !json_is_null(e) && (!json_is_integer(e) || json_integer_value(e) < 0)) {
        return resp_error(r, 422, "invalid",
                          "enterprise_id 应为企业编号 / enterprise_id must be an enterprise's id",
                          "enterprise_id"),
               ERR_INPUT;
    }
    c->enterprise_id = json_is_integer(e) ? json_integer_value(e) : 0;
    json_t *g = json_object_get(in, "geometry");
    if (!json_is_object(g)) {
        return resp_error(r, 422, "required",
                          "请给出项目选址（GeoJSON 点或多边形） / geometry is required",
                          "geometry"),
               ERR_INPUT;
    }
    char *t = json_dumps(g, JSON_COMPACT | JSON_REAL_PRECISION(15));
    c->geometry = arena_strdup(r->a, t);
    free(t);
    c->project_name = arena_strdup(r->a, c->project_name);
    c->builder = arena_strdup(r->a, c->builder);
    c->industry = arena_strdup(r->a, industry); /* the compared form: "2614" → "C2614" */
    c->region_code = arena_strdup(r->a, c->region_code ? c->region_code : "");
    return 0;
}

static int fail(struct req *r, struct db *db, int status, const char *code, const char *msg,
                const char *field)
{
    store_rollback(app.store, db);
    buf_reset(&r->out);
    return resp_error(r, status, code, msg, field);
}

static int api_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct consult_in c = {0};
    int rc = read_body(r, in, &c);
    json_decref(in);
    if (rc) {
        return 0;
    }
    if (r->who->role == ROLE_ENTERPRISE) {
        c.enterprise_id = r->who->enterprise_id; /* its own, whatever the body said */
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct db *db;
    rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    if (*c.region_code && !store_code_exists(db, "regions", c.region_code, strlen(c.region_code))) {
        return fail(r, db, 422, "invalid", "没有该区划代码 / no such region code", "region_code");
    }
    if (c.enterprise_id) {
        char region[16] = "";
        int k = store_zoning_enterprise_region(db, c.enterprise_id, region, sizeof region);
        if (k || !store_scope_allows(&r->who->scope, c.enterprise_id, region)) {
            return fail(r, db, 404, "not_found", "没有该企业 / no such enterprise",
                        "enterprise_id");
        }
        c.region_code = arena_strdup(r->a, region); /* the scope reads the enterprise's */
    }
    struct buf check, notice;
    buf_init(&check, 1 << 22);
    buf_init(&notice, 1 << 22);
    struct zoning_check_req q = {c.geometry, c.industry, NULL};
    struct zoning_answer ans;
    const char *field = NULL;
    char why[ZONING_ERR_MAX];
    rc = zoning_site_check_why(db, &q, &ans, &check, &field, why, sizeof why);
    if (rc == ERR_INPUT || rc == ERR_TOOBIG) {
        buf_release(&check);
        buf_release(&notice);
        return fail(r, db, rc == ERR_TOOBIG ? 413 : 422, "invalid", arena_strdup(r->a, why), field);
    }
    json_t *cj = rc ? NULL : json_loadb(check.p, check.len, 0, NULL);
    if (cj) {
        zoning_notice_json(c.project_name, c.builder, c.industry, cj, &notice);
        if (!*c.region_code && json_array_size(json_object_get(cj, "units"))) {
            c.region_code = arena_strdup(
                r->a, str(json_array_get(json_object_get(cj, "units"), 0), "region_code"));
        }
        json_decref(cj);
    }
    struct zoning_consult_new n = {
        c.enterprise_id, r->who->user_id, c.project_name,
        c.builder,       c.industry,      c.region_code,
        c.geometry,      ans.edition,     zoning_verdict_name(ans.verdict),
        check.p,         notice.p,        c.investment,
        ans.sensitive};
    int64_t id = 0;
    rc = rc ? rc : store_zoning_consult_insert(db, &n, now, &id);
    buf_release(&check);
    buf_release(&notice);
    if (!rc) {
        struct audit_entry a = {.actor_id = r->who->user_id,
                                .actor = r->who->display_name,
                                .entity = "zoning_consult",
                                .entity_id = id,
                                .action = "create",
                                .request_id = r->request_id,
                                .ip = r->ip};
        rc = store_audit_add(db, &a);
    }
    rc = rc ? rc : store_zoning_consult_json(db, id, &r->out);
    if (rc) {
        store_rollback(app.store, db);
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    rc = store_commit(app.store, db);
    return rc ? (buf_reset(&r->out), resp_err(r, rc, NULL, NULL)) : resp_json(r, 201);
}

/* GET /api/v1/zoning/consults: q, verdict, enterprise_id, sort, limit, cursor, total=1. */
static int api_list(struct req *r)
{
    struct zoning_consult_query q = {.q = req_query(r, "q"), .limit = 50};
    const char *v = req_query(r, "verdict"), *sort = req_query(r, "sort");
    const char *limit = req_query(r, "limit"), *cursor = req_query(r, "cursor");
    const char *ent = req_query(r, "enterprise_id"), *total = req_query(r, "total");
    int64_t n = 0;
    if (v && *v && strcmp(v, "no_unit") && strcmp(v, "allowed") && strcmp(v, "conditional") &&
        strcmp(v, "forbidden")) {
        return resp_error(r, 422, "invalid",
                          "结论应为 no_unit、allowed、conditional 或 forbidden / verdict must be "
                          "no_unit, allowed, conditional or forbidden",
                          "verdict");
    }
    q.verdict = v;
    if (limit && (parse_i64(limit, strlen(limit), &n) || n < 1 || n > 500)) {
        return resp_error(r, 422, "invalid", "limit 应为 1–500 / limit must be 1 to 500", "limit");
    }
    q.limit = limit ? (size_t)n : q.limit;
    if (cursor && *cursor && (parse_i64(cursor, strlen(cursor), &q.offset) || q.offset < 0)) {
        return resp_error(r, 422, "invalid", "无效的分页游标 / bad cursor", "cursor");
    }
    if (ent && *ent && (parse_i64(ent, strlen(ent), &q.enterprise_id) || q.enterprise_id < 0)) {
        return resp_error(r, 422, "invalid",
                          "enterprise_id 应为企业编号 / enterprise_id must be an id",
                          "enterprise_id");
    }
    q.desc = !sort || *sort == '-';
    q.sort = !sort ? "id" : *sort == '-' ? sort + 1 : sort;
    q.with_total = total && !strcmp(total, "1");
    if (q.q && strlen(q.q) > 200) {
        return resp_error(r, 422, "invalid", "搜索词过长 / the search is too long", "q");
    }
    struct db *db = store_read(app.store);
    int rc = store_zoning_consults_list(db, &r->who->scope, &q, &r->out);
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

/* The consult if r may see it (an enterprise user: its own; staff: an enterprise's within
   their scope, or one without enterprise when they see everything). */
bool zoning_consult_visible(const struct zoning_consult *c, const struct principal *who)
{
    if (!c || !who) {
        return false;
    }
    return store_scope_allows(&who->scope, c->enterprise_id, c->region_code) ||
           (c->enterprise_id == 0 && who->role != ROLE_ENTERPRISE &&
            store_scope_allows(&who->scope, 0, c->region_code));
}

static int visible(struct req *r, struct db *db, int64_t id, struct zoning_consult *c)
{
    int rc = id > 0 ? zoning_consult_get(db, id, c) : ERR_NOTFOUND;
    if (!rc && !zoning_consult_visible(c, r->who)) {
        zoning_consult_free(c);
        rc = ERR_NOTFOUND;
    }
    return rc;
}

static int api_get(struct req *r)
{
    struct db *db = store_read(app.store);
    struct zoning_consult c;
    int64_t id = req_id(r, 0);
    int rc = visible(r, db, id, &c);
    if (!rc) {
        zoning_consult_free(&c);
        rc = store_zoning_consult_json(db, id, &r->out);
    }
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(
            r, rc, rc == ERR_NOTFOUND ? "没有该咨询记录 / no such pre-consultation" : NULL, NULL);
    }
    return resp_json(r, 200);
}

static int api_pdf(struct req *r)
{
    struct db *db = store_read(app.store);
    struct zoning_consult c;
    int64_t id = req_id(r, 0);
    int rc = visible(r, db, id, &c);
    bool got = rc == 0;
    struct db_stmt *st = NULL;
    rc = rc ? rc : store_zoning_consult_open(db, id, &st);
    json_t *paras = NULL;
    if (!rc) {
        paras = json_loads(db_column_text(st, 13, NULL), 0, NULL);
        db_done(st);
    }
    store_release(app.store, db);
    if (rc && got) {
        zoning_consult_free(&c); /* its geometry */
    }
    if (rc) {
        return resp_err(
            r, rc, rc == ERR_NOTFOUND ? "没有该咨询记录 / no such pre-consultation" : NULL, NULL);
    }
    size_t n = json_array_size(paras);
    const char **list = arena_alloc(r->a, sizeof *list * (n + 1));
    for (size_t i = 0; i < n; i++) {
        list[i] = arena_strdup(r->a, json_string_value(json_array_get(paras, i))
                                         ? json_string_value(json_array_get(paras, i))
                                         : "");
    }
    json_decref(paras);
    char date[40], number[64], day[11];
    snprintf(day, sizeof day, "%.10s", c.created_at);
    char china[20];
    if (iso_utc_to_china(c.created_at, china)) {
        snprintf(day, sizeof day, "%.10s", china);
    }
    documents_date_cn(day, date, sizeof date);
    snprintf(number, sizeof number, "提前介入〔%.4s〕%lld号", day, (long long)c.id);
    struct doc_content d = {.header = "湖州市生态环境局",
                            .number = number,
                            .title = "建设项目生态环境准入提前介入意见",
                            .addressee = c.builder,
                            .paragraphs = list,
                            .n_paragraphs = n,
                            .signature = "湖州市生态环境局",
                            .date = date};
    char err[300];
    rc = documents_render(&d, &r->out, err, sizeof err);
    char *name = arena_printf(r->a, "提前介入意见-%s.pdf", c.project_name);
    zoning_consult_free(&c);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, err, NULL);
    }
    r->resp_type = "application/pdf";
    r->status = 200;
    resp_header(r, "Content-Disposition", entity_disposition(r, name, "pre-consultation.pdf"));
    return 0;
}

int zoning_consult_get(struct db *db, int64_t id, struct zoning_consult *out)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st;
    int rc = store_zoning_consult_open(db, id, &st);
    if (rc) {
        return rc;
    }
    out->id = db_column_int(st, 0);
    out->enterprise_id = db_column_int(st, 1);
    db_column_copy(st, 2, out->project_name, sizeof out->project_name);
    db_column_copy(st, 3, out->builder, sizeof out->builder);
    db_column_copy(st, 4, out->industry, sizeof out->industry);
    db_column_copy(st, 5, out->region_code, sizeof out->region_code);
    db_column_copy(st, 6, out->verdict, sizeof out->verdict);
    out->sensitive = db_column_int(st, 7) != 0;
    db_column_copy(st, 8, out->created_at, sizeof out->created_at);
    out->geometry = xstrdup(db_column_text(st, 9, NULL));
    db_done(st);
    return 0;
}

void zoning_consult_free(struct zoning_consult *c)
{
    free(c->geometry);
    c->geometry = NULL;
}

static const struct route routes[] = {
    {"GET", "/api/v1/zoning/consults", ROLES_ANY, api_list, 0,
     "Pre-consultations (sort, filter, page; an enterprise user: its own)"},
    {"POST", "/api/v1/zoning/consults", CONSULTERS, api_create, 0,
     "Record a planned project's pre-consultation: its site check and notice of concerns"},
    {"GET", "/api/v1/zoning/consults/{id}", ROLES_ANY, api_get, 0,
     "One pre-consultation with its site check and notice"},
    {"GET", "/api/v1/zoning/consults/{id}/notice.pdf", ROLES_ANY, api_pdf, 0,
     "The pre-consultation's notice of concerns as a PDF"},
};

void zoning_consult_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}

/* ---------------- demo ---------------- */

static const struct {
    const char *name, *builder, *industry;
    double lon, lat, investment;
} DEMO[] = {
    {"年产 5 万吨锂电池正极材料项目", "浙江长兴锂能科技有限公司（筹）", "C3841", 119.965, 31.00,
     86000},
    {"太湖度假区精细化工中间体项目", "湖州某化工有限公司（筹）", "C2614", 120.15, 30.95, 32000},
    {"安吉竹制品精深加工项目", "安吉绿竹家居有限公司（筹）", "C2041", 119.70, 30.58, 12000},
};

int zoning_consult_demo(struct db *db, const char *today, const char *now, size_t *n)
{
    *n = 0;
    int rc = 0;
    for (size_t i = 0; !rc && i < ARRAY_LEN(DEMO); i++) {
        char g[96];
        snprintf(g, sizeof g, "{\"type\":\"Point\",\"coordinates\":[%.4f,%.4f]}", DEMO[i].lon,
                 DEMO[i].lat);
        struct buf check, notice;
        buf_init(&check, 1 << 20);
        buf_init(&notice, 1 << 20);
        struct zoning_check_req q = {g, DEMO[i].industry, NULL};
        struct zoning_answer ans;
        const char *field;
        rc = zoning_site_check(db, &q, &ans, &check, &field);
        json_t *cj = rc ? NULL : json_loadb(check.p, check.len, 0, NULL);
        const char *region = "";
        if (cj) {
            zoning_notice_json(DEMO[i].name, DEMO[i].builder, DEMO[i].industry, cj, &notice);
            region = str(json_array_get(json_object_get(cj, "units"), 0), "region_code");
        }
        struct zoning_consult_new c = {0,
                                       0,
                                       DEMO[i].name,
                                       DEMO[i].builder,
                                       DEMO[i].industry,
                                       region,
                                       g,
                                       ans.edition,
                                       zoning_verdict_name(ans.verdict),
                                       check.p,
                                       notice.p,
                                       DEMO[i].investment,
                                       ans.sensitive};
        int64_t id = 0;
        rc = rc ? rc : store_zoning_consult_insert(db, &c, now, &id);
        json_decref(cj);
        buf_release(&check);
        buf_release(&notice);
        *n += rc == 0;
    }
    (void)today;
    return rc;
}
