/*
** Intake of EIA applications: the site check with the class and the route it gives (a preview
** before filing), filing (an enterprise for itself, an approver for a walk-in), the checklist's
** documents, a staff class override, the one-time notice and the resubmission, acceptance
** (容缺 with due dates) that opens the case on the promised limit, and the instant filing of a
** 登记表 with its receipt.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "approval/internal.h"
#include "core/err.h"
#include "core/log.h"
#include "core/util.h"
#include "credit/credit.h"
#include "documents/documents.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/entity.h"
#include "store/q_credit.h"
#include "zoning/zoning.h"

#define STAFF_WRITERS (ROLE_APPROVER | ROLE_ADMIN)
#define TEXT_MAX 2000
#define GEOMETRY_MAX (256 * 1024)

static void now_and_today(char now[32], char today[11])
{
    time_iso(wall_ms() / 1000, now);
    date_cn(wall_ms() / 1000, today);
}

/* ---------------- the context ---------------- */

static void item_add(int64_t id, const char *item_no, const char *prefixes,
                     const char *default_class, const char *keywords, double min_investment,
                     void *ctx)
{
    struct eia_context *cx = ctx;
    if (cx->n_items == EIA_MAX_CATALOGUE) {
        return;
    }
    struct eia_catalogue_item *it = &cx->items[cx->n_items++];
    it->id = id;
    snprintf(it->item_no, sizeof it->item_no, "%s", item_no);
    snprintf(it->prefixes, sizeof it->prefixes, "%s", prefixes);
    int c = eia_class_parse(default_class);
    it->default_class = c < 0 ? EC_FORM : (enum eia_class)c;
    snprintf(it->keywords, sizeof it->keywords, "%s", keywords);
    it->report_min_investment = min_investment;
}

int eia_context_load(struct db *db, const char *region_code, const char *today,
                     struct eia_context *cx)
{
    memset(cx, 0, sizeof *cx);
    json_t *body = NULL;
    int rc = rules_resolve(db, "approval.routes", region_code, today, &body, &cx->ref);
    if (rc) {
        return rc == ERR_NOTFOUND ? ERR_CONFLICT : rc;
    }
    rc = eia_rules_parse(body, &cx->rules, cx->why, sizeof cx->why);
    json_decref(body);
    if (rc) {
        log_error("approval: approval.routes #%lld v%d does not parse: %s", (long long)cx->ref.id,
                  cx->ref.version, cx->why);
        return ERR_CONFLICT;
    }
    return store_eia_catalogue_each(db, item_add, cx);
}

int eia_context_fail(struct req *r, int rc, const struct eia_context *cx)
{
    buf_reset(&r->out);
    if (rc == ERR_CONFLICT && cx->why[0]) {
        return resp_error(r, 409, "rule_set_invalid",
                          arena_printf(r->a,
                                       "生效的环评审批规则（第 %d 版）无法解析：%s / the "
                                       "approval.routes version %d in force does not parse: %s",
                                       cx->ref.version, cx->why, cx->ref.version, cx->why),
                          "region_code");
    }
    if (rc == ERR_CONFLICT) {
        return resp_error(r, 409, "no_rule_set",
                          "该地区没有生效的环评审批规则 / no approval.routes rule set is in force "
                          "for the region",
                          "region_code");
    }
    return resp_err(r, rc, NULL, NULL);
}

/* ---------------- the assessment: site, class, route ---------------- */

struct assess_in {
    int64_t enterprise_id;
    const char *geometry, *industry, *name, *capacity, *park, *region_code;
    double investment;
};

struct assess {
    struct zoning_answer z;
    struct buf zjson;
    struct eia_class_proposal prop;
    struct eia_route_answer route;
    struct credit_grade grade;
    bool has_grade;
    int limit, statutory;
    const char *field;              /* a zoning refusal's field */
    const char *effect;             /* eia_zoning_effect: what the verdict means for the route */
    char unit_park[EIA_PARK_BYTES]; /* a touched unit that is a park with a plan EIA */
    char why[600];                  /* a zoning refusal's reason */
};

/* The class and route of a project in the caller's read or write. ERR_INPUT with a->field. */
static int assess_run(struct db *db, const struct eia_context *cx, const struct assess_in *in,
                      const char *today, enum eia_class forced, struct assess *a)
{
    /* the whole answer is kept (zoning_json): over the cap is a refusal, never a cut answer */
    buf_init(&a->zjson, (size_t)settings_int("approval_zoning_answer_max_bytes"));
    /* the registry's code ("2614"): zoning reads it with or without the section letter */
    struct zoning_check_req zq = {.geometry = in->geometry, .industry = in->industry};
    int rc = zoning_site_check_why(db, &zq, &a->z, &a->zjson, &a->field, a->why, sizeof a->why);
    if (!rc && a->zjson.overflow) {
        rc = ERR_TOOBIG;
        a->field = "geometry";
        a->why[0] = 0;
    }
    if (rc) {
        return rc;
    }
    a->effect = eia_zoning_effect(&cx->rules, a->zjson.p, a->unit_park);
    struct eia_project p = {in->industry, in->name, in->capacity, in->investment};
    eia_classify(cx->items, cx->n_items, &p, a->z.sensitive, &a->prop);
    a->has_grade = in->enterprise_id &&
                   !credit_grade_at(db, "enterprise", in->enterprise_id, today, &a->grade);
    struct eia_route_facts f = {.cls = (int)forced >= 0 ? forced : a->prop.cls,
                                .industry = in->industry,
                                .sensitive = a->z.sensitive,
                                .zoning_verdict = a->effect,
                                .grade = a->has_grade ? a->grade.grade : NULL,
                                .park = in->park && *in->park ? in->park : a->unit_park};
    eia_route_decide(&cx->rules, &f, &a->route);
    a->limit = eia_route_limit(&cx->rules, a->route.route, f.cls, &a->statutory);
    return 0;
}

static void checklist_json(const struct eia_rules *r, enum eia_class cls, unsigned assessments,
                           struct buf *out)
{
    buf_putc(out, '[');
    for (size_t i = 0, k = 0; i < r->n_checklist; i++) {
        const struct eia_check_item *c = &r->checklist[i];
        if (!(c->classes & (1u << cls)) || (c->assessments && !(c->assessments & assessments))) {
            continue;
        }
        buf_printf(out, "%s{\"code\":\"%s\",\"name\":", k++ ? "," : "", c->code);
        buf_json_str(out, c->name, strlen(c->name));
        buf_printf(out, ",\"required\":%s,\"essential\":%s,\"attachment_id\":0}",
                   c->required ? "true" : "false", c->essential ? "true" : "false");
    }
    buf_putc(out, ']');
}

static void assess_json(const struct eia_context *cx, const struct assess *a, enum eia_class cls,
                        unsigned assessments, struct buf *out)
{
    buf_puts(out, "\"zoning\":");
    buf_puts(out, a->zjson.p ? a->zjson.p : "null");
    const struct eia_catalogue_item *it = a->prop.item >= 0 ? &cx->items[a->prop.item] : NULL;
    buf_printf(out,
               ",\"proposal\":{\"catalogue_id\":%lld,\"item_no\":", (long long)(it ? it->id : 0));
    buf_json_str(out, it ? it->item_no : "", it ? strlen(it->item_no) : 0);
    buf_printf(out, ",\"base\":\"%s\",\"class\":\"%s\",\"raised\":%s,\"why_zh\":",
               eia_class_name(a->prop.base), eia_class_name(a->prop.cls),
               a->prop.raised ? "true" : "false");
    buf_json_str(out, a->prop.why_zh, strlen(a->prop.why_zh));
    buf_puts(out, ",\"why_en\":");
    buf_json_str(out, a->prop.why_en, strlen(a->prop.why_en));
    buf_printf(out, "},\"class\":\"%s\",\"route\":\"%s\",\"basis\":", eia_class_name(cls),
               eia_route_name(a->route.route));
    const char *basis = a->route.basis ? a->route.basis : "";
    buf_json_str(out, basis, strlen(basis));
    buf_puts(out, ",\"reasons\":");
    eia_reasons_json(&a->route, out);
    buf_printf(out, ",\"credit_grade\":");
    if (a->has_grade) {
        buf_json_str(out, a->grade.grade, strlen(a->grade.grade));
    } else {
        buf_puts(out, "null");
    }
    buf_printf(out,
               ",\"statutory_days\":%d,\"compression\":%.3f,\"limit_days\":%d,"
               "\"rule\":{\"id\":%lld,\"version\":%d},\"checklist\":",
               a->statutory, cx->rules.compression_permille / 1000.0, a->limit,
               (long long)cx->ref.id, cx->ref.version);
    checklist_json(&cx->rules, cls, assessments, out);
}

/* ---------------- reading a body ---------------- */

struct body {
    int64_t enterprise_id, agency_id, consult_id;
    const char *name, *industry, *capacity, *park, *geometry, *pollutants, *cls, *class_reason;
    const char *assessments; /* "eia,radiation" */
    unsigned assessments_mask;
    int64_t bundle[64]; /* 打捆审批: the other firms */
    size_t n_bundle;
    bool bundle_given;
    double investment;
    bool key_project, commitment_signed;
};

static int field_error(struct req *r, const char *field, const char *zh, const char *en)
{
    resp_error(r, 422, "invalid", arena_printf(r->a, "%s / %s", zh, en), field);
    return ERR_INPUT;
}

static const char *str_member(struct req *r, json_t *in, const char *key, size_t max, bool req,
                              int *rc)
{
    const char *s = NULL;
    if (!*rc) {
        *rc = json_get_str(r, in, key, max, req, &s);
    }
    return s && !*rc ? arena_strdup(r->a, s) : NULL;
}

/* The project fields of a body (filing or preview). The response is set on a refusal. */
static int body_read(struct req *r, json_t *in, bool preview, struct body *b)
{
    memset(b, 0, sizeof *b);
    int rc = 0;
    b->name = str_member(r, in, "project_name", 256, false, &rc);
    b->industry = str_member(r, in, "industry_code", 8, false, &rc);
    b->capacity = str_member(r, in, "capacity", 500, false, &rc);
    b->park = str_member(r, in, "park", 100, false, &rc);
    b->cls = str_member(r, in, "class", 16, false, &rc);
    b->class_reason = str_member(r, in, "class_reason", TEXT_MAX, false, &rc);
    if (rc) {
        return rc;
    }
    json_t *g = json_object_get(in, "geometry");
    if (g) {
        char *t = json_is_object(g) ? json_dumps(g, JSON_COMPACT) : NULL;
        if (!t || strlen(t) > GEOMETRY_MAX) {
            free(t);
            return field_error(r, "geometry", "选址须为 GeoJSON 点或面",
                               "geometry must be a GeoJSON Point or Polygon");
        }
        b->geometry = arena_strdup(r->a, t);
        free(t);
    }
    json_t *p = json_object_get(in, "pollutants");
    if (p) {
        size_t i;
        json_t *v;
        if (!json_is_array(p) || json_array_size(p) > 32) {
            return field_error(r, "pollutants", "污染物须为数组（至多 32 项）",
                               "pollutants must be an array of at most 32");
        }
        json_array_foreach (p, i, v) {
            const char *code = json_string_value(json_object_get(v, "code"));
            json_t *q = json_object_get(v, "tonnes");
            if (!code || !*code || strlen(code) > 16 || !json_is_number(q) ||
                json_number_value(q) < 0 || json_number_value(q) > 1e7) {
                return field_error(r, "pollutants", "每项污染物须有代码和排放量（吨/年，非负）",
                                   "each pollutant needs a code and tonnes a year (>= 0)");
            }
        }
        char *t = json_dumps(p, JSON_COMPACT);
        b->pollutants = arena_strdup(r->a, t ? t : "[]");
        free(t);
    }
    json_t *as = json_object_get(in, "assessments");
    b->assessments = "eia";
    if (as) {
        struct buf l;
        buf_init(&l, 256);
        buf_puts(&l, "eia");
        size_t k;
        json_t *w;
        bool bad = !json_is_array(as) || json_array_size(as) > 3;
        json_array_foreach (as, k, w) {
            const char *x = json_string_value(w);
            int m = x && strcmp(x, "eia") ? eia_assessments_parse(x) : 0;
            bad = bad || !x || m < 0;
            if (!bad && m && !(b->assessments_mask & (unsigned)m)) {
                b->assessments_mask |= (unsigned)m;
                buf_printf(&l, ",%s", x);
            }
        }
        b->assessments = arena_strdup(r->a, l.p);
        buf_release(&l);
        if (bad) {
            return field_error(r, "assessments", "多评合一的评价应为 eia、radiation 或 outfall",
                               "assessments must be eia, radiation or outfall");
        }
    }
    json_t *bd = json_object_get(in, "bundle_enterprise_ids");
    if (bd) {
        size_t k;
        json_t *w;
        b->bundle_given = true;
        if (!json_is_array(bd) || json_array_size(bd) > 64) {
            return field_error(r, "bundle_enterprise_ids", "打捆企业须为企业编号数组",
                               "bundle_enterprise_ids must be an array of enterprise ids");
        }
        json_array_foreach (bd, k, w) {
            if (!json_is_integer(w) || json_integer_value(w) < 1) {
                return field_error(r, "bundle_enterprise_ids", "企业编号无效", "bad enterprise id");
            }
            b->bundle[b->n_bundle++] = json_integer_value(w);
        }
    }
    json_t *inv = json_object_get(in, "investment");
    if (inv &&
        (!json_is_number(inv) || json_number_value(inv) < 0 || json_number_value(inv) > 1e9)) {
        return field_error(r, "investment", "总投资须为非负数（万元）",
                           "investment must be a non-negative number (10k yuan)");
    }
    b->investment = inv ? json_number_value(inv) : 0;
    json_t *e = json_object_get(in, "enterprise_id");
    b->enterprise_id = json_is_integer(e) ? json_integer_value(e) : 0;
    json_t *ag = json_object_get(in, "preparer_agency_id");
    b->agency_id = json_is_integer(ag) ? json_integer_value(ag) : 0;
    json_t *co = json_object_get(in, "consult_id");
    b->consult_id = json_is_integer(co) ? json_integer_value(co) : 0;
    b->key_project = json_is_true(json_object_get(in, "key_project"));
    b->commitment_signed = json_is_true(json_object_get(in, "commitment_signed"));
    if (b->cls && eia_class_parse(b->cls) < 0) {
        return field_error(r, "class", "类别应为 report、form 或 registration",
                           "class must be report, form or registration");
    }
    (void)preview;
    return 0;
}

/* Whether r may carry pre-consultation c into a check or an application for enterprise ent
   (0 = none named): zoning's own rule of who sees a consult (an enterprise user only one of its
   own enterprise, never a prospective investor's; staff one within their scope, an investor's
   by the region of its site) and, when it names an enterprise, that one. */
static bool consult_carriable(const struct req *r, const struct zoning_consult *c, int64_t ent)
{
    if (r->who->role == ROLE_ENTERPRISE &&
        (!c->enterprise_id || c->enterprise_id != r->who->enterprise_id)) {
        return false;
    }
    if (!store_scope_allows(&r->who->scope, c->enterprise_id, c->region_code)) {
        return false;
    }
    return !c->enterprise_id || !ent || c->enterprise_id == ent;
}

/* Fill what the body leaves out from the pre-consultation it names; b->enterprise_id is the
   enterprise the body is about (an enterprise user's own). One r may not carry is "not
   found", as zoning answers it. */
static int consult_carry(struct req *r, struct db *db, struct body *b)
{
    if (!b->consult_id) {
        return 0;
    }
    struct zoning_consult c;
    int rc = zoning_consult_get(db, b->consult_id, &c);
    if (rc == ERR_NOTFOUND || (!rc && !consult_carriable(r, &c, b->enterprise_id))) {
        if (!rc) {
            zoning_consult_free(&c);
        }
        resp_error(r, 422, "not_found", "没有该预审咨询记录 / no such pre-consultation",
                   "consult_id");
        return ERR_INPUT;
    }
    if (rc) {
        return rc;
    }
    b->name = b->name && *b->name ? b->name : arena_strdup(r->a, c.project_name);
    b->industry = b->industry && *b->industry ? b->industry : arena_strdup(r->a, c.industry);
    b->geometry = b->geometry ? b->geometry : arena_strdup(r->a, c.geometry ? c.geometry : "");
    zoning_consult_free(&c);
    return 0;
}

/* The enterprise the body is about: an enterprise user's own, else enterprise_id in the
   staff member's scope. 0 with the response set when not. */
static int64_t body_enterprise(struct req *r, struct db *db, int64_t given, char region[16])
{
    int64_t id = r->who->role == ROLE_ENTERPRISE ? r->who->enterprise_id : given;
    struct credit_subject_row s;
    if (id < 1) {
        resp_error(r, 422, "required", "请指明建设单位 / enterprise_id is required",
                   "enterprise_id");
        return 0;
    }
    if (store_credit_subject(db, "enterprise", id, &s) ||
        !store_scope_allows(&r->who->scope, id, s.region_code)) {
        resp_error(r, 404, "not_found", "没有该企业 / no such enterprise", "enterprise_id");
        return 0;
    }
    snprintf(region, 16, "%s", s.region_code);
    return id;
}

static int zoning_fail(struct req *r, int rc, const struct assess *a)
{
    buf_reset(&r->out);
    const char *field = a->field;
    if (rc == ERR_TOOBIG) {
        return resp_error(r, 413, "too_big",
                          a->why[0] ? arena_strdup(r->a, a->why)
                                    : "选址研判结果过大（涉及的管控单元和条款过多），请缩小选址 / "
                                      "the site check's answer is too big (too many units and "
                                      "items): draw a smaller site",
                          field ? field : "geometry");
    }
    if (rc == ERR_INPUT && a->why[0]) {
        return resp_error(r, 422, "invalid_geometry", arena_strdup(r->a, a->why),
                          field ? field : "geometry");
    }
    if (rc == ERR_INPUT) {
        return resp_error(
            r, 422, "invalid_geometry",
            "选址无效：须为经纬度 GeoJSON 点或面 / the site must be a GeoJSON Point or "
            "Polygon in lon/lat",
            field ? field : "geometry");
    }
    return resp_err(r, rc, NULL, NULL);
}

/* POST /approval/check: the class and route a project would get, nothing stored. */
static int api_check(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct body b;
    int rc = body_read(r, in, true, &b);
    json_decref(in);
    if (rc) {
        return 0;
    }
    char now[32], today[11], region[16] = "";
    now_and_today(now, today);
    struct db *db = store_read(app.store);
    int64_t ent = 0;
    if (r->who->role == ROLE_ENTERPRISE || b.enterprise_id) {
        ent = body_enterprise(r, db, b.enterprise_id, region);
        if (!ent) {
            store_release(app.store, db);
            return 0;
        }
    }
    b.enterprise_id = ent; /* an enterprise user's own, whatever the body said */
    if (consult_carry(r, db, &b)) {
        store_release(app.store, db);
        return 0;
    }
    if (!b.geometry || !b.industry || !*b.industry) {
        store_release(app.store, db);
        return resp_error(r, 422, "required",
                          "请填写选址和行业代码 / geometry and industry_code "
                          "are required",
                          !b.geometry ? "geometry" : "industry_code");
    }
    struct eia_context *cx = arena_zalloc(r->a, sizeof *cx);
    rc = eia_context_load(db, region, today, cx);
    if (rc) {
        store_release(app.store, db);
        return eia_context_fail(r, rc, cx);
    }
    struct assess a = {0};
    struct assess_in ai = {ent,        b.geometry, b.industry, b.name,
                           b.capacity, b.park,     region,     b.investment};
    rc = assess_run(db, cx, &ai, today, (enum eia_class) - 1, &a);
    store_release(app.store, db);
    if (rc) {
        buf_release(&a.zjson);
        return zoning_fail(r, rc, &a);
    }
    buf_putc(&r->out, '{');
    assess_json(cx, &a, a.prop.cls, b.assessments_mask, &r->out);
    buf_printf(&r->out, ",\"bundle_firms\":%zu,\"bundle_saving_yuan\":%lld}",
               b.n_bundle ? b.n_bundle + 1 : 0,
               (long long)eia_bundle_saving(&cx->rules, a.prop.cls, (int)b.n_bundle + 1));
    buf_release(&a.zjson);
    return resp_json(r, 200);
}

static int audit(struct req *r, struct db *db, int64_t id, const char *action)
{
    struct audit_entry a = {.actor_id = r->who->user_id,
                            .actor = r->who->display_name,
                            .entity = "eia_application",
                            .entity_id = id,
                            .action = action,
                            .request_id = r->request_id,
                            .ip = r->ip};
    return store_audit_add(db, &a);
}

/* Fields common to the documents of row. */
static size_t base_fields(struct req *r, const struct eia_row *row, const char *today,
                          struct doc_field *f)
{
    char *date = arena_alloc(r->a, 40);
    if (documents_date_cn(today, date, 40)) {
        snprintf(date, 40, "%s", today);
    }
    size_t n = 0;
    f[n++] = (struct doc_field){"project", row->project_name};
    f[n++] = (struct doc_field){"date", date};
    f[n++] = (struct doc_field){"receipt", row->receipt_no};
    f[n++] = (struct doc_field){"site", row->park[0] ? row->park : row->enterprise_name};
    f[n++] = (struct doc_field){"industry", row->industry_code};
    f[n++] = (struct doc_field){"investment", arena_printf(r->a, "%.2f", row->investment)};
    f[n++] = (struct doc_field){"filed_on", row->filed_on};
    return n;
}

/* 打捆审批: the other firms of a bundle — staff only, a park named, each an active firm in the
   caller's scope, not the builder, listed once, of the project's industry (the same two-digit
   GB/T 4754 division), at most bundle_max_firms in all. names[i] gets each firm's name (in r's
   arena) for bundle_json. The response is set on a refusal. */
static int bundle_check(struct req *r, struct db *db, const struct body *b, int64_t lead,
                        const struct eia_rules *rules, const char **names)
{
    if (!b->n_bundle) {
        return 0;
    }
    if (r->who->role == ROLE_ENTERPRISE) {
        resp_error(r, 403, "forbidden",
                   "打捆审批由审批人员代为申报 / a bundle is filed by an approver",
                   "bundle_enterprise_ids");
        return ERR_FORBIDDEN;
    }
    if (!b->park || !*b->park) {
        resp_error(r, 422, "required", "打捆审批须填写所在园区 / a bundle needs its park", "park");
        return ERR_INPUT;
    }
    if ((int)b->n_bundle + 1 > rules->bundle_max_firms) {
        resp_error(r, 422, "too_many",
                   arena_printf(r->a, "打捆企业至多 %d 家 / at most %d firms in a bundle",
                                rules->bundle_max_firms, rules->bundle_max_firms),
                   "bundle_enterprise_ids");
        return ERR_INPUT;
    }
    const char *ind =
        b->industry && *b->industry >= 'A' && *b->industry <= 'Z' ? b->industry + 1 : b->industry;
    for (size_t i = 0; i < b->n_bundle; i++) {
        char name[256], region[16], industry[16];
        int rc = store_eia_enterprise(db, b->bundle[i], name, region, industry);
        bool dup = b->bundle[i] == lead;
        for (size_t k = 0; k < i; k++) {
            dup = dup || b->bundle[k] == b->bundle[i];
        }
        if (rc == ERR_NOTFOUND ||
            (!rc && !store_scope_allows(&r->who->scope, b->bundle[i], region))) {
            resp_error(r, 422, "not_found",
                       arena_printf(r->a, "没有企业 #%lld / no enterprise #%lld",
                                    (long long)b->bundle[i], (long long)b->bundle[i]),
                       "bundle_enterprise_ids");
            return ERR_INPUT;
        }
        if (rc) {
            return rc;
        }
        if (dup) {
            resp_error(r, 422, "invalid", "打捆企业重复 / a firm is listed twice",
                       "bundle_enterprise_ids");
            return ERR_INPUT;
        }
        if (!ind || strncmp(industry, ind, 2)) {
            resp_error(r, 422, "invalid",
                       arena_printf(r->a, "%s 的行业（%s）与项目不同类 / %s is of another industry",
                                    name, industry, name),
                       "bundle_enterprise_ids");
            return ERR_INPUT;
        }
        names[i] = arena_strdup(r->a, name);
    }
    return 0;
}

/* The bundle's firms as [{enterprise_id, name, saving_yuan}], each saving the one the class
   gives. */
static void bundle_json(const struct body *b, const char *const *names, int64_t saving,
                        struct buf *out)
{
    buf_putc(out, '[');
    for (size_t i = 0; i < b->n_bundle; i++) {
        buf_printf(out, "%s{\"enterprise_id\":%lld,\"name\":", i ? "," : "",
                   (long long)b->bundle[i]);
        buf_json_str(out, names[i], strlen(names[i]));
        buf_printf(out, ",\"saving_yuan\":%lld}", (long long)saving);
    }
    buf_putc(out, ']');
}

/* POST /approval/applications */
static int api_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct body b;
    int rc = body_read(r, in, false, &b);
    json_decref(in);
    if (rc) {
        return 0;
    }
    if (r->who->role != ROLE_ENTERPRISE && !(r->who->role & STAFF_WRITERS)) {
        return resp_error(r, 403, "forbidden",
                          "仅企业或审批人员可申报 / only an enterprise or an approver files", NULL);
    }
    char now[32], today[11], region[16] = "";
    now_and_today(now, today);
    struct db *db;
    rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t ent = body_enterprise(r, db, b.enterprise_id, region);
    if (!ent) {
        return entity_finish_write(r, db, ERR_INPUT, 0);
    }
    b.enterprise_id = ent;
    if (consult_carry(r, db, &b)) {
        return entity_finish_write(r, db, ERR_INPUT, 0);
    }
    if (!b.name || !*b.name) {
        resp_error(r, 422, "required", "请填写项目名称 / project_name is required", "project_name");
        return entity_finish_write(r, db, ERR_INPUT, 0);
    }
    if (!b.industry || !*b.industry) {
        resp_error(r, 422, "required", "请填写行业代码 / industry_code is required",
                   "industry_code");
        return entity_finish_write(r, db, ERR_INPUT, 0);
    }
    if (!b.geometry) {
        resp_error(r, 422, "required", "请标注选址 / geometry is required", "geometry");
        return entity_finish_write(r, db, ERR_INPUT, 0);
    }
    if (b.agency_id && !store_eia_agency_exists(db, b.agency_id)) {
        resp_error(r, 422, "not_found", "没有该环评编制单位 / no such agency",
                   "preparer_agency_id");
        return entity_finish_write(r, db, ERR_INPUT, 0);
    }
    if (b.cls && r->who->role == ROLE_ENTERPRISE) {
        resp_error(r, 403, "forbidden", "类别由审批人员调整 / only staff override the class",
                   "class");
        return entity_finish_write(r, db, ERR_INPUT, 0);
    }
    if (b.cls && (!b.class_reason || !*b.class_reason)) {
        resp_error(r, 422, "required", "调整类别须写明理由 / a class override needs its reason",
                   "class_reason");
        return entity_finish_write(r, db, ERR_INPUT, 0);
    }
    struct eia_context *cx = arena_zalloc(r->a, sizeof *cx);
    rc = eia_context_load(db, region, today, cx);
    if (rc) {
        store_rollback(app.store, db);
        return eia_context_fail(r, rc, cx);
    }
    const char *names[64];
    rc = bundle_check(r, db, &b, ent, &cx->rules, names);
    if (rc) {
        return entity_finish_write(r, db, rc, 0);
    }
    struct assess a = {0};
    struct assess_in ai = {ent,        b.geometry, b.industry, b.name,
                           b.capacity, b.park,     region,     b.investment};
    enum eia_class forced = b.cls ? (enum eia_class)eia_class_parse(b.cls) : (enum eia_class) - 1;
    rc = assess_run(db, cx, &ai, today, forced, &a);
    if (rc) {
        store_rollback(app.store, db);
        buf_release(&a.zjson);
        return zoning_fail(r, rc, &a);
    }
    enum eia_class cls = (int)forced >= 0 ? forced : a.prop.cls;
    struct buf reasons, checklist;
    buf_init(&reasons, 1 << 14);
    buf_init(&checklist, 1 << 15);
    eia_reasons_json(&a.route, &reasons);
    checklist_json(&cx->rules, cls, b.assessments_mask, &checklist);
    struct buf bundle; /* each firm's saving under the class now known */
    buf_init(&bundle, 1 << 15);
    bundle_json(&b, names, eia_bundle_saving(&cx->rules, cls, (int)b.n_bundle + 1), &bundle);
    char receipt[40] = "";
    bool record = a.route.route == ER_RECORD, exempt = a.route.route == ER_EXEMPT;
    rc = record ? store_eia_next_receipt(db, today, receipt, sizeof receipt) : 0;
    struct eia_new n = {
        .enterprise_id = ent,
        .preparer_agency_id = b.agency_id,
        .consult_id = b.consult_id,
        .catalogue_id = a.prop.item >= 0 ? cx->items[a.prop.item].id : 0,
        .filed_by = r->who->user_id,
        .rule_set_id = cx->ref.id,
        .rule_version = cx->ref.version,
        .officer_user_id = b.key_project && r->who->role != ROLE_ENTERPRISE ? r->who->user_id : 0,
        .project_name = b.name,
        .industry_code = b.industry,
        .geometry = b.geometry,
        .capacity = b.capacity ? b.capacity : "",
        .pollutants_json = b.pollutants ? b.pollutants : "[]",
        .park = b.park && *b.park ? b.park : a.unit_park,
        .investment = b.investment,
        .proposed_class = eia_class_name(a.prop.cls),
        .cls = eia_class_name(cls),
        .class_reason = b.class_reason ? b.class_reason : "",
        .zoning_verdict = a.effect,
        .zoning_json = a.zjson.p,
        .route = eia_route_name(a.route.route),
        .route_reasons_json = reasons.p,
        .checklist_json = checklist.p,
        .state = record   ? "recorded"
                 : exempt ? "exempt"
                          : "filed",
        .receipt_no = receipt,
        .filed_on = today,
        .sensitive = a.z.sensitive,
        .key_project = b.key_project,
        .commitment_signed = b.commitment_signed,
        .assessments = b.assessments,
        .bundle_json = bundle.p,
    };
    int64_t id = 0;
    rc = rc ? rc : rules_mark_used(db, &cx->ref);
    rc = rc ? rc : store_eia_insert(db, &n, now, &id);
    buf_release(&bundle);
    buf_release(&reasons);
    buf_release(&checklist);
    buf_release(&a.zjson);
    rc = rc ? rc : audit(r, db, id, "create");
    if (!rc && record) {
        struct eia_row *row = arena_alloc(r->a, sizeof *row);
        int64_t att = 0;
        struct doc_field f[8];
        rc = store_eia_get(db, id, r->a, row);
        size_t k = rc ? 0 : base_fields(r, row, today, f);
        rc = rc ? rc : eia_issue(r, db, row, "eia_receipt", f, k, today, &att);
    }
    if (!rc && exempt) {
        char title[800];
        snprintf(title, sizeof title, "“%s”不纳入环评审批（%s），已记录，无需报批", b.name,
                 a.route.basis && strcmp(a.route.basis, "catalogue") ? a.route.basis
                                                                     : "不在分类管理名录内");
        rc = store_eia_notify(db, ent, "eia_exempt", title, now);
    }
    rc = rc ? rc : store_eia_json(db, id, now, &r->out);
    return entity_finish_write(r, db, rc, 201);
}

/* ---------------- one application, as its writer sees it ---------------- */

json_t *eia_column_json(struct req *r, const char *text, const char *column)
{
    json_error_t e;
    json_t *v = text ? json_loads(text, 0, &e) : NULL;
    if (!json_is_array(v)) {
        json_decref(v);
        log_error("approval: %s does not parse (%s)", column, text ? e.text : "NULL");
        resp_error(r, 500, "corrupt",
                   arena_printf(r->a, "申请的 %s 无法读取 / the application's %s does not parse",
                                column, column),
                   column);
        return NULL;
    }
    return v;
}

/* The application id in the principal's scope, read in db (the writer). The response is set
   on a refusal (404). */
static int row_visible(struct req *r, struct db *db, int64_t id, struct eia_row *row)
{
    int rc = id > 0 ? store_eia_get(db, id, r->a, row) : ERR_NOTFOUND;
    if (!rc && !store_scope_allows(&r->who->scope, row->enterprise_id, row->region_code)) {
        rc = ERR_NOTFOUND;
    }
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该环评申请 / no such application", "id");
    }
    return rc;
}

/* Missing checklist items of row: required items without a document; essential ones counted
   apart. Appends {code, name, essential} objects to out (an open array). */
static void missing_items(const json_t *checklist, json_t *out, size_t *n_essential)
{
    size_t i;
    json_t *v;
    *n_essential = 0;
    json_array_foreach (checklist, i, v) {
        if (!json_is_true(json_object_get(v, "required")) ||
            json_integer_value(json_object_get(v, "attachment_id")) > 0) {
            continue;
        }
        bool ess = json_is_true(json_object_get(v, "essential"));
        *n_essential += ess;
        json_array_append_new(out, json_pack("{s:O,s:O,s:b}", "code", json_object_get(v, "code"),
                                             "name", json_object_get(v, "name"), "essential", ess));
    }
}

/* POST /approval/applications/{id}/documents {code, attachment_id}: link an uploaded
   attachment of the application to a checklist item; a 容缺 item is received by it (and when
   the last one arrives the paused clock runs again). */
static int api_document(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *code = NULL;
    int rc = json_get_str(r, in, "code", 32, true, &code);
    code = rc ? NULL : arena_strdup(r->a, code);
    json_t *at = json_object_get(in, "attachment_id");
    int64_t att = json_is_integer(at) ? json_integer_value(at) : 0;
    json_decref(in);
    if (rc) {
        return 0;
    }
    if (att < 1) {
        return resp_error(r, 422, "required", "请先上传附件 / attachment_id is required",
                          "attachment_id");
    }
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct eia_row *row = arena_alloc(r->a, sizeof *row);
    rc = row_visible(r, db, req_id(r, 0), row);
    if (rc) {
        return entity_finish_write(r, db, rc, 0);
    }
    if (!strcmp(row->state, "approved") || !strcmp(row->state, "rejected") ||
        !strcmp(row->state, "withdrawn") || !strcmp(row->state, "recorded") ||
        !strcmp(row->state, "exempt")) {
        resp_error(r, 409, "conflict", "该申请已办结 / the application is closed", "code");
        return entity_finish_write(r, db, ERR_CONFLICT, 0);
    }
    if (!store_eia_attachment_of(db, att, row->id)) {
        resp_error(r, 422, "not_found",
                   "附件不属于该申请 / the attachment is not one of this application's",
                   "attachment_id");
        return entity_finish_write(r, db, ERR_INPUT, 0);
    }
    json_t *cl = eia_column_json(r, row->checklist_json, "checklist_json");
    json_t *ms = cl ? eia_column_json(r, row->missing_json, "missing_json") : NULL;
    if (!ms) {
        json_decref(cl);
        return entity_finish_write(r, db, ERR_DB, 0);
    }
    size_t i;
    json_t *v;
    bool found = false, was_open = false, all_in = true;
    json_array_foreach (cl, i, v) {
        const char *c = json_string_value(json_object_get(v, "code"));
        if (c && !strcmp(c, code)) {
            json_object_set_new(v, "attachment_id", json_integer(att));
            found = true;
        }
    }
    json_array_foreach (ms, i, v) {
        const char *c = json_string_value(json_object_get(v, "code"));
        bool open = !json_is_string(json_object_get(v, "received_on"));
        if (c && !strcmp(c, code) && open) {
            json_object_set_new(v, "received_on", json_string(today));
            was_open = true;
        } else if (open) {
            all_in = false;
        }
    }
    if (!found) {
        json_decref(cl);
        json_decref(ms);
        resp_error(r, 422, "invalid", "清单中没有该材料 / no such checklist item", "code");
        return entity_finish_write(r, db, ERR_INPUT, 0);
    }
    char *cls = json_dumps(cl, JSON_COMPACT), *mss = json_dumps(ms, JSON_COMPACT);
    json_decref(cl);
    json_decref(ms);
    rc = store_eia_set_docs(db, row->id, cls, mss, now);
    free(cls);
    free(mss);
    rc = rc ? rc : audit(r, db, row->id, "document");
    if (!rc && was_open && all_in && row->case_id) {
        /* the last 容缺 item: the clock paused for them runs again */
        struct case_actor sys = {0, "system", CASE_ROLE_SYSTEM, r->request_id, r->ip, true};
        const char *field = NULL;
        char why[256];
        int k = cases_transition(db, row->case_id, "items_received", &sys, NULL, 0, "{}",
                                 "容缺材料已补齐", 0, now, &field, why, sizeof why);
        rc = k == ERR_CONFLICT ? 0 : k; /* the clock was not paused for them */
    }
    rc = rc ? rc : store_eia_json(db, row->id, now, &r->out);
    return entity_finish_write(r, db, rc, 200);
}

/* POST /approval/applications/{id}/class {class, reason}: staff set the class (before
   acceptance); the route follows. */
static int api_class(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *c = NULL, *reason = NULL;
    int rc = json_get_str(r, in, "class", 16, true, &c);
    rc = rc ? rc : json_get_str(r, in, "reason", TEXT_MAX, true, &reason);
    c = rc ? NULL : arena_strdup(r->a, c);
    reason = rc ? NULL : arena_strdup(r->a, reason);
    json_decref(in);
    if (rc) {
        return 0;
    }
    int cls = eia_class_parse(c);
    if (cls != EC_REPORT && cls != EC_FORM) {
        return resp_error(r, 422, "invalid",
                          "类别应为 report 或 form（登记表须重新申报） / class must be report or "
                          "form (a registration is filed anew)",
                          "class");
    }
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct eia_row *row = arena_alloc(r->a, sizeof *row);
    rc = row_visible(r, db, req_id(r, 0), row);
    if (rc) {
        return entity_finish_write(r, db, rc, 0);
    }
    struct eia_context *cx = arena_zalloc(r->a, sizeof *cx);
    rc = eia_context_load(db, row->region_code, today, cx);
    if (rc) {
        store_rollback(app.store, db);
        return eia_context_fail(r, rc, cx);
    }
    struct credit_grade g;
    bool has = !credit_grade_at(db, "enterprise", row->enterprise_id, today, &g);
    struct eia_route_facts f = {.cls = (enum eia_class)cls,
                                .industry = row->industry_code,
                                .sensitive = row->sensitive,
                                .zoning_verdict = row->zoning_verdict,
                                .grade = has ? g.grade : NULL,
                                .park = row->park};
    struct eia_route_answer ra;
    eia_route_decide(&cx->rules, &f, &ra);
    struct buf reasons, checklist;
    buf_init(&reasons, 1 << 14);
    buf_init(&checklist, 1 << 15);
    eia_reasons_json(&ra, &reasons);
    rc = store_eia_set_class(db, row->id, c, reason, eia_route_name(ra.route), reasons.p, now);
    if (rc == ERR_CONFLICT) {
        resp_error(r, 409, "conflict", "受理后不能调整类别 / the class is fixed once accepted",
                   "class");
    }
    int mask = eia_assessments_parse(row->assessments);
    checklist_json(&cx->rules, (enum eia_class)cls, mask < 0 ? 0 : (unsigned)mask, &checklist);
    /* the documents already linked stay linked: attachment_id carried over by item code */
    json_t *was = rc ? NULL : eia_column_json(r, row->checklist_json, "checklist_json");
    json_t *now_cl = was ? json_loads(checklist.p, 0, NULL) : NULL;
    rc = rc ? rc : !was || !now_cl ? ERR_DB : 0;
    size_t i, k;
    json_t *v, *w;
    json_array_foreach (now_cl, i, v) {
        const char *code = json_string_value(json_object_get(v, "code"));
        json_array_foreach (was, k, w) {
            const char *c2 = json_string_value(json_object_get(w, "code"));
            json_t *att = json_object_get(w, "attachment_id");
            if (code && c2 && !strcmp(code, c2) && json_integer_value(att) > 0) {
                json_object_set(v, "attachment_id", att);
            }
        }
    }
    char *carried = now_cl ? json_dumps(now_cl, JSON_COMPACT) : NULL;
    json_decref(was);
    json_decref(now_cl);
    rc = rc ? rc : !carried ? ERR_DB : 0;
    rc = rc ? rc : store_eia_set_docs(db, row->id, carried, row->missing_json, now);
    free(carried);
    buf_release(&reasons);
    buf_release(&checklist);
    rc = rc ? rc : audit(r, db, row->id, "set_class");
    rc = rc ? rc : store_eia_json(db, row->id, now, &r->out);
    return entity_finish_write(r, db, rc, 200);
}

/* POST /approval/applications/{id}/notice {note}: the one-time notice (一次性告知) of every
   missing item, as a PDF; the application waits for the enterprise. */
static int api_notice(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *note = NULL;
    int rc = json_get_str(r, in, "note", TEXT_MAX, false, &note);
    note = rc || !note ? "" : arena_strdup(r->a, note);
    json_decref(in);
    if (rc) {
        return 0;
    }
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct eia_row *row = arena_alloc(r->a, sizeof *row);
    rc = row_visible(r, db, req_id(r, 0), row);
    if (rc) {
        return entity_finish_write(r, db, rc, 0);
    }
    if (strcmp(row->state, "filed")) {
        resp_error(r, 409, "conflict",
                   "仅待受理的申请可一次性告知 / only a filed application "
                   "gets the notice",
                   "state");
        return entity_finish_write(r, db, ERR_CONFLICT, 0);
    }
    json_t *cl = eia_column_json(r, row->checklist_json, "checklist_json");
    if (!cl) {
        return entity_finish_write(r, db, ERR_DB, 0);
    }
    json_t *miss = json_array();
    size_t n_ess = 0, i;
    json_t *v;
    missing_items(cl, miss, &n_ess);
    json_decref(cl);
    if (!json_array_size(miss) && !*note) {
        json_decref(miss);
        resp_error(r, 422, "nothing_missing",
                   "材料齐全，无需告知；如有其他问题请写明 / nothing is missing: write what to "
                   "correct in note",
                   "note");
        return entity_finish_write(r, db, ERR_INPUT, 0);
    }
    struct buf items;
    buf_init(&items, 1 << 14);
    json_array_foreach (miss, i, v) {
        buf_printf(&items, "%s%zu. %s%s", i ? "；" : "", i + 1,
                   json_string_value(json_object_get(v, "name")),
                   json_is_true(json_object_get(v, "essential")) ? "（必须）" : "");
    }
    if (!json_array_size(miss)) {
        buf_puts(&items, "（材料清单齐全）");
    }
    buf_puts(&items, "。");
    json_decref(miss);
    struct eia_context *cx = arena_zalloc(r->a, sizeof *cx);
    char due[11] = "";
    int missing_year = 0;
    rc = eia_context_load(db, row->region_code, today, cx);
    bool late = false;
    if (!rc && !eia_add_workdays(row->filed_on, cx->rules.notice_workdays, due, &missing_year)) {
        late = strcmp(today, due) > 0;
    }
    rc = rc == ERR_CONFLICT ? 0 : rc;
    struct doc_field f[12];
    size_t k = base_fields(r, row, today, f);
    f[k++] = (struct doc_field){"items", arena_strdup(r->a, items.p)};
    f[k++] = (struct doc_field){"note", *note ? arena_printf(r->a, "其他：%s", note) : ""};
    int64_t att = 0;
    char *text = arena_printf(r->a, "%s%s%s", items.p, *note ? " " : "", note);
    buf_release(&items);
    rc = rc ? rc : store_eia_notice(db, row->id, text, today, now);
    rc = rc ? rc : eia_issue(r, db, row, "eia_notice", f, k, today, &att);
    rc = rc ? rc : audit(r, db, row->id, "notice");
    if (!rc) {
        char title[800];
        snprintf(title, sizeof title, "环评申请“%s”需补正材料（一次性告知）", row->project_name);
        rc = store_eia_notify(db, row->enterprise_id, "eia_notice", title, now);
    }
    rc = rc ? rc : store_eia_json(db, row->id, now, &r->out);
    if (!rc) {
        r->out.len--;
        buf_printf(&r->out, ",\"notice_due\":\"%s\",\"notice_late\":%s}", due,
                   late ? "true" : "false");
    }
    return entity_finish_write(r, db, rc, 200);
}

/* POST /approval/applications/{id}/resubmit: after the notice, back to the approvers. */
static int api_resubmit(struct req *r)
{
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct eia_row *row = arena_alloc(r->a, sizeof *row);
    rc = row_visible(r, db, req_id(r, 0), row);
    if (rc) {
        return entity_finish_write(r, db, rc, 0);
    }
    rc = store_eia_move(db, row->id, "notice", "filed", now);
    if (rc == ERR_CONFLICT) {
        resp_error(r, 409, "conflict",
                   "该申请不在补正阶段 / the application is not waiting for "
                   "corrections",
                   "state");
    }
    rc = rc ? rc : audit(r, db, row->id, "resubmit");
    rc = rc ? rc : store_eia_json(db, row->id, now, &r->out);
    return entity_finish_write(r, db, rc, 200);
}

/* POST /approval/applications/{id}/accept {accept_missing}: 受理 — the case opens on the
   promised limit; with accept_missing the non-essential items missing become 容缺 items with
   a due date (and, unless the rule set lets the clock run, the clock waits for them). */
static int api_accept(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    bool accept_missing = json_is_true(json_object_get(in, "accept_missing"));
    json_decref(in);
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct eia_row *row = arena_alloc(r->a, sizeof *row);
    rc = row_visible(r, db, req_id(r, 0), row);
    if (rc) {
        return entity_finish_write(r, db, rc, 0);
    }
    if (strcmp(row->state, "filed")) {
        resp_error(r, 409, "conflict",
                   "仅待受理的申请可受理 / only a filed application is "
                   "accepted",
                   "state");
        return entity_finish_write(r, db, ERR_CONFLICT, 0);
    }
    struct eia_context *cx = arena_zalloc(r->a, sizeof *cx);
    rc = eia_context_load(db, row->region_code, today, cx);
    if (rc) {
        store_rollback(app.store, db);
        return eia_context_fail(r, rc, cx);
    }
    json_t *cl = eia_column_json(r, row->checklist_json, "checklist_json");
    if (!cl) {
        return entity_finish_write(r, db, ERR_DB, 0);
    }
    json_t *miss = json_array();
    size_t n_ess = 0;
    missing_items(cl, miss, &n_ess);
    json_decref(cl);
    if (n_ess) {
        json_decref(miss);
        resp_error(r, 409, "essential_missing",
                   "缺少不可容缺的材料，请出具一次性告知书 / an essential item is missing: send "
                   "the one-time notice",
                   "documents");
        return entity_finish_write(r, db, ERR_CONFLICT, 0);
    }
    if (json_array_size(miss) && !accept_missing) {
        json_decref(miss);
        resp_error(r, 409, "items_missing",
                   "有材料未提交：可容缺受理（accept_missing）或一次性告知 / items are missing: "
                   "accept with them missing (accept_missing) or send the notice",
                   "accept_missing");
        return entity_finish_write(r, db, ERR_CONFLICT, 0);
    }
    char due[11] = "";
    int year = 0;
    size_t n_missing = json_array_size(miss);
    if (n_missing && eia_add_workdays(today, cx->rules.missing_due_workdays, due, &year)) {
        json_decref(miss);
        resp_error(r, 409, "calendar_missing",
                   arena_printf(r->a,
                                "工作日历缺少 %d 年，请先导入 / the calendar has no %d: "
                                "load it first",
                                year, year),
                   "calendar");
        return entity_finish_write(r, db, ERR_CONFLICT, 0);
    }
    size_t i;
    json_t *v;
    json_array_foreach (miss, i, v) {
        json_object_del(v, "essential");
        json_object_set_new(v, "due_on", json_string(due));
        json_object_set_new(v, "received_on", json_null());
    }
    char *mss = json_dumps(miss, JSON_COMPACT);
    json_decref(miss);
    int route = eia_route_parse(row->route);
    int statutory = 0;
    int limit = eia_route_limit(&cx->rules, (enum eia_route)route,
                                (enum eia_class)eia_class_parse(row->cls), &statutory);
    char limit_due[11];
    if (limit && eia_add_workdays(today, limit, limit_due, &year) == ERR_NOTFOUND) {
        /* the statutory clock cannot be computed: refuse rather than open a case without one */
        free(mss);
        resp_error(
            r, 409, "calendar_missing",
            arena_printf(r->a,
                         "工作日历缺少 %d 年，无法计算 %d 个工作日的审批时限，请先导入该年日历 / "
                         "the working-day calendar has no %d: load it to compute the %d "
                         "working-day limit",
                         year, limit, year, limit),
            "calendar");
        return entity_finish_write(r, db, ERR_CONFLICT, 0);
    }
    char comment_until[11] = "";
    if (cx->rules.comment_workdays) {
        eia_add_workdays(today, cx->rules.comment_workdays, comment_until, &year);
    }
    char title[800];
    snprintf(title, sizeof title, "环评审批：%s（%s）", row->project_name, row->enterprise_name);
    char src[120];
    snprintf(src, sizeof src, "rules approval.routes v%d %s × %.3f", cx->ref.version, row->cls,
             cx->rules.compression_permille / 1000.0);
    struct case_open o = {.type = "eia",
                          .subject_kind = "eia_application",
                          .subject_id = row->id,
                          .enterprise_id = row->enterprise_id,
                          .region_code = row->region_code,
                          .assignee_user_id = row->officer_user_id ? row->officer_user_id
                                              : row->key_project   ? r->who->user_id
                                                                   : 0,
                          .title = title,
                          .unit = CU_WORKDAYS,
                          .limit = limit,
                          .rule_set_id = cx->ref.id,
                          .rule_version = cx->ref.version,
                          .limit_source = src};
    int64_t case_id = 0;
    rc = rules_mark_used(db, &cx->ref);
    rc = rc ? rc : cases_open(db, &o, r->who->user_id, r->who->display_name, now, &case_id);
    rc = rc ? rc
            : store_eia_accept(db, row->id, case_id, today, mss, statutory,
                               cx->rules.compression_permille / 1000.0, limit, cx->ref.id,
                               cx->ref.version, *comment_until ? comment_until : NULL, now);
    free(mss);
    if (!rc && n_missing && !cx->rules.clock_runs_while_missing) {
        struct case_actor sys = {0, "system", CASE_ROLE_SYSTEM, r->request_id, r->ip, true};
        const char *field = NULL;
        char why[256];
        rc = cases_transition(db, case_id, "await_items", &sys, NULL, 0, "{}",
                              "容缺受理：材料补齐前审批时限暂停", 0, now, &field, why, sizeof why);
    }
    rc = rc ? rc : audit(r, db, row->id, n_missing ? "accept_missing" : "accept");
    if (!rc) {
        char t[800];
        snprintf(t, sizeof t, "环评申请“%s”已受理%s，承诺时限 %d 个工作日", row->project_name,
                 n_missing ? "（容缺受理，请按期补正材料）" : "", limit);
        rc = store_eia_notify(db, row->enterprise_id, "eia_accepted", t, now);
    }
    rc = rc ? rc : store_eia_json(db, row->id, now, &r->out);
    return entity_finish_write(r, db, rc, 200);
}

static const struct route routes[] = {
    {"POST", "/api/v1/approval/check", ROLES_ANY, api_check, 0,
     "Check a project's site and propose its EIA class and route (nothing is stored)"},
    {"POST", "/api/v1/approval/applications", ROLE_ENTERPRISE | STAFF_WRITERS, api_create, 0,
     "File an EIA application (an enterprise for itself, an approver for a walk-in); a "
     "registration form is filed at once with its receipt"},
    {"POST", "/api/v1/approval/applications/{id}/documents", ROLE_ENTERPRISE | STAFF_WRITERS,
     api_document, 0, "Link an uploaded attachment to a checklist item (receives a 容缺 item)"},
    {"POST", "/api/v1/approval/applications/{id}/class", STAFF_WRITERS, api_class, 0,
     "Override the proposed class with a reason (before acceptance); the route follows"},
    {"POST", "/api/v1/approval/applications/{id}/notice", STAFF_WRITERS, api_notice, 0,
     "Send the one-time notice of every missing item (PDF)"},
    {"POST", "/api/v1/approval/applications/{id}/resubmit", ROLE_ENTERPRISE | STAFF_WRITERS,
     api_resubmit, 0, "Resubmit after the one-time notice"},
    {"POST", "/api/v1/approval/applications/{id}/accept", STAFF_WRITERS, api_accept, 0,
     "Accept the application (容缺 with accept_missing): the case opens on the promised limit"},
};

void approval_intake_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
