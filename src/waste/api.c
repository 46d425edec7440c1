/*
** Hazardous-waste routes under /api/v1/waste: the code table, sites (their class, inventory and
** chart series), the ledger records (the enterprise and admins write; everyone in scope reads),
** devices and their event endpoint (a warehouse's or smart scale's token, idempotent by event
** id), the annual management plan generated from the ledger and its filing, the transfer
** manifests through their states, and the open warnings. Every write is one transaction with its
** audit row; the device endpoint answers only after the commit.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "core/util.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/entity.h"
#include "rules/rules.h"
#include "store/q_waste.h"
#include "waste/internal.h"
#include "waste/waste.h"

#define SITE_WRITERS (ROLE_ADMIN | ROLE_INSPECTOR | ROLE_ENTERPRISE)
#define LEDGER_WRITERS (ROLE_ADMIN | ROLE_ENTERPRISE)
#define NAME_MAX_B 200
#define TEXT_MAX 2000
#define LINES_MAX 20

static void now_iso(char now[32])
{
    time_iso(wall_ms() / 1000, now);
}

static int bad(struct req *r, int status, const char *code, const char *msg, const char *field)
{
    resp_error(r, status, code, msg, field);
    return ERR_INPUT;
}

/* The site a route names, if the principal may see it: an enterprise its own, staff in scope. */
static int site_visible(struct req *r, struct db *db, int64_t id, struct waste_site_row *s)
{
    int rc = id > 0 ? store_waste_site_get(db, id, s) : ERR_NOTFOUND;
    if (!rc && !store_scope_allows(&r->who->scope, s->enterprise_id, s->region)) {
        rc = ERR_NOTFOUND;
    }
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该危废产生/贮存场所 / no such waste site", "id");
    }
    return rc;
}

static int num_member(struct req *r, json_t *o, const char *key, double lo, double hi,
                      bool required, double *out)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (required) {
            return bad(r, 422, "required",
                       arena_printf(r->a, "请填写 %s / %s is required", key, key), key);
        }
        return 0;
    }
    double x = json_is_number(v) ? json_number_value(v) : NAN;
    if (!(x >= lo && x <= hi)) {
        return bad(r, 422, "invalid",
                   arena_printf(r->a, "%s 须为 %g 至 %g 之间的数 / %s must be a number in [%g, %g]",
                                key, lo, hi, key, lo, hi),
                   key);
    }
    *out = x;
    return 0;
}

static int bool_member(struct req *r, json_t *o, const char *key, bool *out)
{
    json_t *v = json_object_get(o, key);
    if (v && !json_is_boolean(v)) {
        return bad(r, 422, "invalid",
                   arena_printf(r->a, "%s 须为 true 或 false / %s must be a boolean", key, key),
                   key);
    }
    *out = v && json_is_true(v);
    return 0;
}

/* ---------------- codes ---------------- */

static int api_codes(struct req *r)
{
    const char *ed = req_query(r, "edition"), *q = req_query(r, "q"),
               *cat = req_query(r, "category");
    if ((q && strlen(q) > 100) || (ed && strlen(ed) > 8) || (cat && strlen(cat) > 8)) {
        return resp_error(r, 413, "too_long", "查询条件过长 / the query is too long", "q");
    }
    struct db *db = store_read(app.store);
    int rc = store_waste_codes_json(db, ed && *ed ? ed : WASTE_EDITION, q, cat, &r->out);
    return entity_finish_read(r, db, rc);
}

/* ---------------- sites ---------------- */

struct site_list {
    struct buf *out;
    int n;
};

static void site_row(const struct waste_site_list_row *x, void *ctx)
{
    struct site_list *l = ctx;
    const struct waste_site_row *s = x->site;
    double annual = x->annual_t > s->declared_t ? x->annual_t : s->declared_t;
    buf_printf(l->out, "%s{\"id\":%lld,\"enterprise_id\":%lld,", l->n++ ? "," : "",
               (long long)s->id, (long long)s->enterprise_id);
    json_kv_str(l->out, "name", s->name, false);
    buf_putc(l->out, ',');
    json_kv_str(l->out, "enterprise_name", s->enterprise_name, false);
    buf_printf(l->out,
               ",\"region_code\":\"%s\",\"capacity_t\":%.3f,\"annual_t\":%.3f,\"in_store_t\":%.3f,"
               "\"own_facility\":%s,\"licensed\":%s,\"class\":\"%s\",\"open_warnings\":%lld}",
               s->region, s->capacity_t, annual, x->in_store_t, s->own_facility ? "true" : "false",
               s->licensed ? "true" : "false",
               waste_class_code[waste_class_of(annual, s->own_facility, s->licensed)],
               (long long)x->open_warnings);
}

static int api_sites(struct req *r)
{
    struct db *db = store_read(app.store);
    char today[11];
    date_cn(wall_ms() / 1000, today);
    int year = atoi_year(today);
    struct site_list l = {&r->out, 0};
    buf_puts(&r->out, "{\"items\":[");
    int rc = store_waste_sites_each(db, &r->who->scope, year - 3, site_row, &l);
    buf_puts(&r->out, "]}");
    return entity_finish_read(r, db, rc);
}

/* The site's class figures: the largest yearly generation of the last three years (this year
   counts), or the declared figure when that is larger (a new plant). */
static enum waste_class site_class(struct db *db, const struct waste_site_row *s, int year,
                                   double *annual)
{
    double a = 0;
    store_waste_annual_max(db, s->id, year - 3, &a);
    *annual = a > s->declared_t ? a : s->declared_t;
    return waste_class_of(*annual, s->own_facility, s->licensed);
}

static int site_json(struct db *db, const struct waste_site_row *s, struct buf *out)
{
    char today[11], from[16];
    date_cn(wall_ms() / 1000, today);
    int year = atoi_year(today);
    double annual, stock = 0;
    enum waste_class c = site_class(db, s, year, &annual);
    int rc = store_waste_in_store(db, s->id, &stock);
    buf_printf(out, "{\"id\":%lld,\"enterprise_id\":%lld,", (long long)s->id,
               (long long)s->enterprise_id);
    json_kv_str(out, "name", s->name, false);
    buf_putc(out, ',');
    json_kv_str(out, "enterprise_name", s->enterprise_name, false);
    buf_printf(out,
               ",\"region_code\":\"%s\",\"declared_t\":%.3f,\"capacity_t\":%.3f,"
               "\"own_facility\":%s,\"licensed\":%s,\"annual_t\":%.3f,\"class\":\"%s\","
               "\"in_store_t\":%.3f",
               s->region, s->declared_t, s->capacity_t, s->own_facility ? "true" : "false",
               s->licensed ? "true" : "false", annual, waste_class_code[c], stock);
    /* the chart's months: the last twelve, this one included */
    unsigned m = (unsigned)((today[5] - '0') * 10 + (today[6] - '0')) % 13;
    snprintf(from, sizeof from, "%04d-%02u", (m == 12 ? year : year - 1) % 10000,
             m == 12 ? 1u : m + 1);
    rc = rc ? rc : store_waste_inventory_json(db, s->id, from, out);
    buf_puts(out, ",\"devices\":");
    rc = rc ? rc : store_waste_devices_json(db, s->id, out);
    buf_puts(out, ",\"plans\":");
    rc = rc ? rc : store_waste_plans_json(db, s->id, out);
    buf_putc(out, '}');
    return rc;
}

static int api_site(struct req *r)
{
    struct db *db = store_read(app.store);
    struct waste_site_row s;
    int rc = site_visible(r, db, req_id(r, 0), &s);
    rc = rc ? rc : site_json(db, &s, &r->out);
    return entity_finish_read(r, db, rc);
}

static int api_site_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct waste_site_row s = {0};
    const char *name = NULL, *address = NULL;
    int rc = json_get_str(r, in, "name", NAME_MAX_B, true, &name);
    rc = rc ? rc : json_get_str(r, in, "address", NAME_MAX_B, false, &address);
    rc = rc ? rc : num_member(r, in, "declared_t", 0, 1e7, false, &s.declared_t);
    rc = rc ? rc : num_member(r, in, "capacity_t", 0, 1e7, false, &s.capacity_t);
    rc = rc ? rc : bool_member(r, in, "own_facility", &s.own_facility);
    rc = rc ? rc : bool_member(r, in, "licensed", &s.licensed);
    json_t *ent = json_object_get(in, "enterprise_id");
    s.enterprise_id = r->who->role == ROLE_ENTERPRISE ? r->who->enterprise_id
                      : json_is_integer(ent)          ? json_integer_value(ent)
                                                      : 0;
    if (!rc && s.enterprise_id <= 0) {
        rc = bad(r, 422, "required", "请选择企业 / enterprise_id is required", "enterprise_id");
    }
    if (!rc && name && !*name) {
        rc = bad(r, 422, "required", "请填写场所名称 / name is required", "name");
    }
    if (rc) {
        json_decref(in);
        return 0;
    }
    str_copy(s.name, sizeof s.name, name);
    char now[32];
    now_iso(now);
    struct db *db;
    rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    char region[16];
    rc = store_waste_enterprise(db, s.enterprise_id, region, NULL, 0);
    if (!rc && !store_scope_allows(&r->who->scope, s.enterprise_id, region)) {
        rc = ERR_NOTFOUND;
    }
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 422, "invalid", "没有该企业 / no such enterprise", "enterprise_id");
    }
    int64_t id = 0;
    rc = rc ? rc : store_waste_site_insert(db, &s, address ? address : "", now, &id);
    rc = rc ? rc : store_waste_site_get(db, id, &s);
    rc = rc ? rc : site_json(db, &s, &r->out);
    rc = rc ? rc : audit_write(r, db, "waste_site", id, "create", NULL, r->out.p);
    json_decref(in);
    return entity_finish_write(r, db, rc, 201);
}

/* ---------------- ledger records ---------------- */

static int api_records(struct req *r)
{
    const char *kind = req_query(r, "kind"), *batch = req_query(r, "batch");
    if (kind && *kind && waste_code_index(waste_kind_code, WK_N, kind) < 0) {
        return resp_error(r, 422, "invalid", "未知的记录类型 / unknown kind", "kind");
    }
    if (batch && strlen(batch) > 40) {
        return resp_error(r, 413, "too_long", "批次号过长 / batch is too long", "batch");
    }
    struct db *db = store_read(app.store);
    struct waste_site_row s;
    int rc = site_visible(r, db, req_id(r, 0), &s);
    rc = rc ? rc : store_waste_records_json(db, s.id, kind, batch, 5000, &r->out);
    return entity_finish_read(r, db, rc);
}

/* Read a record body (people's and devices' alike) into in; the refusal names the field. */
int waste_record_input(struct req *r, json_t *o, bool device, struct waste_record_in *in)
{
    const char *kind = NULL, *at = NULL;
    memset(in, 0, sizeof *in);
    int rc = json_get_str(r, o, "kind", 16, true, &kind);
    in->kind = rc ? -1 : waste_code_index(waste_kind_code, WK_N, kind);
    if (!rc && (in->kind < 0 || (device && in->kind > WK_STORE_OUT))) {
        return bad(r, 422, "invalid",
                   device ? "设备只能报 generate、store_in 或 store_out / a device posts generate, "
                            "store_in or store_out"
                          : "记录类型须为 generate、store_in、store_out、self_use、self_dispose 或 "
                            "outsource / kind must be generate, store_in, store_out, self_use, "
                            "self_dispose or outsource",
                   "kind");
    }
    if (!rc && in->kind >= WK_OUTSOURCE) {
        return bad(r, 422, "invalid",
                   "委外与退回记录由转移联单生成 / outsource and returned records come from a "
                   "manifest",
                   "kind");
    }
    rc = rc ? rc : json_get_str(r, o, "batch_no", 40, false, &in->batch_no);
    rc = rc ? rc : json_get_str(r, o, "source_batch", 40, false, &in->source_batch);
    rc = rc ? rc : json_get_str(r, o, "waste_code", 16, false, &in->waste_code);
    rc = rc ? rc : json_get_str(r, o, "container", NAME_MAX_B, false, &in->container);
    rc = rc ? rc : json_get_str(r, o, "note", TEXT_MAX, false, &in->note);
    rc = rc ? rc : json_get_str(r, o, "occurred_at", 19, false, &at);
    if (rc) {
        return rc;
    }
    json_t *kg = json_object_get(o, "weight_kg");
    if (kg && json_object_get(o, "amount_t")) {
        return bad(r, 422, "invalid", "amount_t 与 weight_kg 只填一个 / give amount_t or weight_kg",
                   "weight_kg");
    }
    if (kg) {
        rc = num_member(r, o, "weight_kg", 0.001, 1e9, true, &in->amount_t);
        in->amount_t /= 1000;
    } else {
        rc = num_member(r, o, "amount_t", 1e-6, 1e6, true, &in->amount_t);
    }
    if (rc) {
        return rc;
    }
    if (at && waste_china_time(at, in->occurred_at)) {
        return bad(r, 422, "invalid",
                   "时间格式为 YYYY-MM-DD hh:mm[:ss]（北京时间） / occurred_at must be YYYY-MM-DD "
                   "hh:mm[:ss] (China time)",
                   "occurred_at");
    }
    char nowc[20];
    china_time(wall_ms() / 1000 + 600, nowc);
    if (at && strcmp(in->occurred_at, nowc) > 0) {
        return bad(r, 422, "invalid", "时间不能晚于现在 / occurred_at is in the future",
                   "occurred_at");
    }
    if (!at) {
        china_time(wall_ms() / 1000, in->occurred_at);
    }
    return 0;
}

static int api_record_create(struct req *r)
{
    json_t *o;
    if (req_json_object(r, &o)) {
        return 0;
    }
    struct waste_record_in in;
    if (waste_record_input(r, o, false, &in)) {
        json_decref(o);
        return 0;
    }
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(o);
        return resp_err(r, rc, NULL, NULL);
    }
    struct waste_site_row s;
    rc = site_visible(r, db, req_id(r, 0), &s);
    int64_t id = 0;
    const char *field = NULL;
    char err[300] = "";
    if (!rc) {
        in.created_by = r->who->user_id;
        rc = waste_record_add(db, r->a, s.id, &in, now, &id, &field, err, sizeof err);
        if (rc) {
            waste_refusal(r, rc, field, err);
        }
    }
    rc = rc ? rc : store_waste_record_json(db, id, &r->out);
    rc = rc ? rc : audit_write(r, db, "waste_record", id, "create", NULL, r->out.p);
    json_decref(o);
    return entity_finish_write(r, db, rc, 201);
}

/* ---------------- devices ---------------- */

static int api_device_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *name = NULL;
    if (json_get_str(r, in, "name", 60, true, &name)) {
        json_decref(in);
        return 0;
    }
    if (!*name) {
        json_decref(in);
        return resp_error(r, 422, "required", "请填写设备名称 / name is required", "name");
    }
    char now[32], token[64], hash[65];
    now_iso(now);
    random_token(24, token, sizeof token);
    sha256_hex(token, strlen(token), hash);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    struct waste_site_row s;
    rc = site_visible(r, db, req_id(r, 0), &s);
    int64_t id = 0;
    rc = rc ? rc : store_waste_device_insert(db, s.id, name, hash, now, &id);
    if (!rc) {
        buf_printf(&r->out, "{\"id\":%lld,\"site_id\":%lld,", (long long)id, (long long)s.id);
        json_kv_str(&r->out, "name", name, false);
        char after[256];
        snprintf(after, sizeof after, "%s}", r->out.p);
        rc = audit_write(r, db, "waste_device", id, "create", NULL, after);
        buf_printf(&r->out, ",\"token\":\"%s\"}", token); /* shown once; only its hash is kept */
    }
    json_decref(in);
    return entity_finish_write(r, db, rc, 201);
}

static int api_device_deactivate(struct req *r)
{
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t id = req_id(r, 0), site = 0;
    rc = id > 0 ? store_waste_device_site(db, id, &site) : ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该设备 / no such device", "id");
    }
    struct waste_site_row s;
    rc = rc ? rc : site_visible(r, db, site, &s);
    rc = rc ? rc : store_waste_device_deactivate(db, id);
    if (!rc) {
        buf_printf(&r->out, "{\"id\":%lld,\"site_id\":%lld,\"active\":false}", (long long)id,
                   (long long)site);
        rc = audit_write(r, db, "waste_device", id, "waste_device_deactivate", NULL, r->out.p);
    }
    return entity_finish_write(r, db, rc, 200);
}

/* ---------------- the annual management plan ---------------- */

static int api_plan_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    char today[11], now[32];
    date_cn(wall_ms() / 1000, today);
    now_iso(now);
    int year = atoi_year(today);
    json_t *y = json_object_get(in, "year");
    if (y &&
        (!json_is_integer(y) || json_integer_value(y) < 2022 || json_integer_value(y) > year + 1)) {
        json_decref(in);
        return resp_error(
            r, 422, "invalid",
            arena_printf(r->a, "年度须为 2022 至 %d / year must be 2022 to %d", year + 1, year + 1),
            "year");
    }
    if (y) {
        year = (int)json_integer_value(y);
    }
    json_decref(in);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct waste_site_row s;
    rc = site_visible(r, db, req_id(r, 0), &s);
    struct waste_rules wr;
    rc = rc ? rc : waste_rules_load(db, s.region, &wr, NULL);
    struct waste_plan_row *rows = NULL;
    size_t n = 0;
    double annual = 0;
    enum waste_class c = rc ? WC_REGISTERED : site_class(db, &s, year, &annual);
    rc = rc ? rc : waste_year_rows(db, r->a, s.id, year - 1, &rows, &n);
    int64_t id = 0;
    if (!rc) {
        json_t *p = waste_plan_tables(c, s.name, s.enterprise_name, annual, year, rows, n);
        char *tj = json_dumps(json_object_get(p, "tables"), JSON_COMPACT);
        char due[11];
        snprintf(due, sizeof due, "%04d-%02d-%02d", year, wr.plan_due_month, wr.plan_due_day);
        rc = store_waste_plan_put(db, s.id, year, waste_class_code[c], tj, due, now, &id);
        free(tj);
        json_decref(p);
        if (rc == ERR_CONFLICT) {
            resp_error(r, 409, "filed", "该年度计划已备案，不能重新生成 / the year's plan is filed",
                       "year");
        }
    }
    rc = rc ? rc : store_waste_plan_json(db, id, &r->out);
    rc = rc ? rc : audit_write(r, db, "waste_plan", id, "waste_plan_generate", NULL, r->out.p);
    return entity_finish_write(r, db, rc, 201);
}

static int plan_visible(struct req *r, struct db *db, int64_t id, struct waste_site_row *s,
                        int *year, char state[8], char due[11])
{
    int64_t site = 0;
    int rc = id > 0 ? store_waste_plan_get(db, id, &site, year, state, due) : ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该管理计划 / no such plan", "id");
        return rc;
    }
    return rc ? rc : site_visible(r, db, site, s);
}

static int api_plan(struct req *r)
{
    struct db *db = store_read(app.store);
    struct waste_site_row s;
    int year;
    char state[8], due[11];
    int rc = plan_visible(r, db, req_id(r, 0), &s, &year, state, due);
    rc = rc ? rc : store_waste_plan_json(db, req_id(r, 0), &r->out);
    return entity_finish_read(r, db, rc);
}

static int api_plan_file(struct req *r)
{
    char today[11], now[32];
    date_cn(wall_ms() / 1000, today);
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct waste_site_row s;
    int year = 0;
    char state[8] = "", due[11] = "";
    int64_t id = req_id(r, 0);
    rc = plan_visible(r, db, id, &s, &year, state, due);
    if (!rc && !strcmp(state, "filed")) {
        resp_error(r, 409, "filed", "该计划已备案 / the plan is filed already", "id");
        rc = ERR_CONFLICT;
    }
    int64_t serial = 0;
    char area[16];
    snprintf(area, sizeof area, "plan%.4s", s.region);
    rc = rc ? rc : store_waste_serial_next(db, area, year, &serial);
    if (!rc) {
        char filing[32];
        /* the filing number: HWGL + year + province and city + a 5-digit serial (decision 131) */
        snprintf(filing, sizeof filing, "HWGL%04d%.4s%05lld", year, s.region, (long long)serial);
        rc = store_waste_plan_file(db, id, filing, strcmp(today, due) > 0, now);
    }
    rc = rc ? rc : store_waste_plan_json(db, id, &r->out);
    rc = rc ? rc : audit_write(r, db, "waste_plan", id, "waste_plan_file", NULL, r->out.p);
    return entity_finish_write(r, db, rc, 200);
}

/* ---------------- reports (HJ 1259-2022 7.2) ---------------- */

static void report_row(struct buf *out, const struct waste_plan_row *r, bool comma)
{
    buf_printf(out, "%s{", comma ? "," : "");
    json_kv_str(out, "waste_code", r->code, false);
    json_kv_str(out, "category", r->category, true);
    buf_printf(out,
               ",\"generated_t\":%.3f,\"stored_in_t\":%.3f,\"used_t\":%.3f,\"disposed_t\":%.3f,"
               "\"outsourced_t\":%.3f,\"end_store_t\":%.3f}",
               r->generated, r->stored_in, r->used, r->disposed, r->outsourced, r->year_end_store);
}

static int api_report(struct req *r)
{
    const char *period = req_query(r, "period");
    struct waste_period p;
    if (!period || strlen(period) > 8 || waste_period_parse(period, &p)) {
        return resp_error(r, 422, "invalid",
                          "period 为 YYYY-MM、YYYY-Qn 或 YYYY / period must be YYYY-MM, YYYY-Qn "
                          "or YYYY",
                          "period");
    }
    struct db *db = store_read(app.store);
    struct waste_site_row s;
    int rc = site_visible(r, db, req_id(r, 0), &s);
    struct waste_plan_row *rows = NULL;
    size_t n = 0;
    double annual = 0;
    enum waste_class c = rc ? WC_REGISTERED : site_class(db, &s, atoi_year(p.from), &annual);
    rc = rc ? rc : waste_period_rows(db, r->a, s.id, p.from, p.to, &rows, &n);
    if (!rc) {
        static const char *const kinds[] = {"month", "quarter", "year"};
        buf_printf(&r->out,
                   "{\"site_id\":%lld,\"period\":\"%s\",\"kind\":\"%s\",\"class\":\"%s\","
                   "\"required\":%s,\"from\":\"%s\",\"to\":\"%s\",\"due_on\":\"%s\",\"rows\":[",
                   (long long)s.id, period, kinds[p.kind], waste_class_code[c],
                   waste_class_reports(c, p.kind) ? "true" : "false", p.from, p.to, p.due);
        struct waste_plan_row tot = {"", "", "", "", 0, 0, 0, 0, 0, 0};
        for (size_t i = 0; i < n; i++) {
            report_row(&r->out, &rows[i], i > 0);
            tot.generated += rows[i].generated;
            tot.stored_in += rows[i].stored_in;
            tot.used += rows[i].used;
            tot.disposed += rows[i].disposed;
            tot.outsourced += rows[i].outsourced;
            tot.year_end_store += rows[i].year_end_store;
        }
        buf_puts(&r->out, "],\"total\":");
        report_row(&r->out, &tot, false);
        buf_putc(&r->out, '}');
    }
    return entity_finish_read(r, db, rc);
}

/* ---------------- warnings ---------------- */

static int api_warnings(struct req *r)
{
    const char *site = req_query(r, "site_id");
    int64_t sid = 0;
    if (site && *site && (parse_i64(site, strlen(site), &sid) || sid < 0)) {
        return resp_error(r, 422, "invalid", "site_id 须为正整数 / site_id must be an id",
                          "site_id");
    }
    struct db *db = store_read(app.store);
    int rc = store_waste_warnings_json(db, &r->who->scope, sid, &r->out);
    return entity_finish_read(r, db, rc);
}

static const struct route routes[] = {
    {"GET", "/api/v1/waste/codes", ROLES_ANY, api_codes, 0,
     "The 国家危险废物名录 code table of an edition (default 2021); q, category filters"},
    {"GET", "/api/v1/waste/sites", ROLES_ANY, api_sites, 0,
     "Waste sites within the caller's area (an enterprise: its own) with class and stock"},
    {"POST", "/api/v1/waste/sites", SITE_WRITERS, api_site_create, 0,
     "Register a waste site (产生/贮存场所) of an enterprise"},
    {"GET", "/api/v1/waste/sites/{id}", ROLES_ANY, api_site, 0,
     "A site: class (HJ 1259), stock by batch and code, 12 months per record kind, devices, plans"},
    {"GET", "/api/v1/waste/sites/{id}/records", ROLES_ANY, api_records, 0,
     "The site's ledger records (HJ 1259 台账), newest first; kind, batch filters"},
    {"POST", "/api/v1/waste/sites/{id}/records", LEDGER_WRITERS, api_record_create, 0,
     "Add a ledger record (generate, store_in, store_out, self_use, self_dispose)"},
    {"POST", "/api/v1/waste/sites/{id}/devices", LEDGER_WRITERS, api_device_create, 0,
     "Register a warehouse or smart-scale device; answers its token once"},
    {"POST", "/api/v1/waste/devices/{id}/deactivate", LEDGER_WRITERS, api_device_deactivate, 0,
     "Deactivate a device: its token stops working"},
    {"POST", "/api/v1/waste/device/events", 0, api_device_event, RF_PUBLIC | RF_NO_CSRF,
     "A device posts a weighing or movement (Authorization: Device <token>; idempotent event_id)"},
    {"GET", "/api/v1/waste/sites/{id}/reports", ROLES_ANY, api_report, 0,
     "The site's report of a month, quarter or year (sums per code and kind, stock at the end)"},
    {"POST", "/api/v1/waste/sites/{id}/plans", LEDGER_WRITERS, api_plan_create, 0,
     "Generate the year's management plan from the ledger (tables per class)"},
    {"GET", "/api/v1/waste/plans/{id}", ROLES_ANY, api_plan, 0,
     "A management plan with its tables"},
    {"POST", "/api/v1/waste/plans/{id}/file", LEDGER_WRITERS, api_plan_file, 0,
     "File (备案) the plan: the system issues the filing number"},
    {"GET", "/api/v1/waste/warnings", ROLES_ANY, api_warnings, 0,
     "Open warnings: storage time, over capacity, manifest not confirmed in time"},
};

void waste_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
    waste_manifest_routes(rt);
}
