/*
** Emergency routes under /api/v1/emergency: grades (staff), a firm's 一企一策 sheet (staff and the
** firm itself edit it, staff confirm), alerts (staff issue; everyone reads those covering them),
** an alert's control list (per firm and line the action required, sums by region and pollutant
** against the required cut, the shortfall), the firm's confirmation of execution, and the
** compliance check from the monitoring data that files an inspection task for each firm that
** did not comply. Every write is one transaction with its audit row.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "emergency/emergency.h"
#include "http/json.h"
#include "inspect/inspect.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/entity.h"
#include "rules/rules.h"
#include "store/q_emergency.h"

#define ISSUERS (ROLE_ADMIN | ROLE_LEADER | ROLE_MONITOR)
#define GRADERS (ROLE_ADMIN | ROLE_MONITOR | ROLE_INSPECTOR)
#define LINES_MAX 50
#define NAME_MAX_B 200
#define TEXT_MAX 2000
#define FIRMS_MAX 20000
#define REGIONS_MAX 64

static void now_iso(char now[32])
{
    time_iso(wall_ms() / 1000, now);
}

/* China time now as "YYYY-MM-DD hh:mm:ss" (the readings' data_time form). */
static void now_china(char out[20])
{
    char d[11];
    int64_t t = wall_ms() / 1000;
    date_cn(t, d);
    int64_t s = (t + 8 * 3600) % 86400;
    unsigned h = (unsigned)(s / 3600) % 24, m = (unsigned)(s / 60 % 60) % 60,
             sec = (unsigned)(s % 60) % 60;
    char hms[16];
    snprintf(hms, sizeof hms, "%02u:%02u:%02u", h, m, sec);
    snprintf(out, 20, "%.10s %.8s", d, hms);
}

/* The firm a sheet route names: an enterprise user only its own; staff within scope. */
static int firm_visible(struct req *r, struct db *db, int64_t id, char region[16])
{
    char name[8];
    int rc = id > 0 ? store_emergency_enterprise(db, id, region, name, sizeof name) : ERR_NOTFOUND;
    if (!rc && !store_scope_allows(&r->who->scope, id, region)) {
        rc = ERR_NOTFOUND;
    }
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该企业 / no such enterprise", "enterprise_id");
    }
    return rc;
}

static int load_rules(struct db *db, const char *region, int64_t id, struct em_rules *er,
                      struct rule_ref *ref)
{
    json_t *body = NULL;
    char today[11], err[200];
    date_cn(wall_ms() / 1000, today);
    int rc = id ? rules_get(db, id, &body, ref)
                : rules_resolve(db, "emergency.levels", region, today, &body, ref);
    rc = rc ? rc : emergency_rules_parse(body, er, err, sizeof err);
    json_decref(body);
    return rc;
}

static int audit(struct req *r, struct db *db, const char *entity, int64_t id, const char *action,
                 const char *after)
{
    return audit_write(r, db, entity, id, action, NULL, after);
}

/* ---------------- grades ---------------- */

static int api_grades(struct req *r)
{
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":");
    int rc = store_emergency_grades_json(db, &r->who->scope, &r->out);
    buf_putc(&r->out, '}');
    return entity_finish_read(r, db, rc);
}

static int bool_member(struct req *r, json_t *in, const char *key, bool *out)
{
    json_t *v = json_object_get(in, key);
    if (v && !json_is_boolean(v)) {
        resp_error(r, 422, "invalid",
                   arena_printf(r->a, "%s 须为 true 或 false / %s must be a boolean", key, key),
                   key);
        return ERR_INPUT;
    }
    *out = v && json_is_true(v);
    return 0;
}

static int api_grade_put(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *grade = NULL, *evidence = NULL;
    bool livelihood = false, low_voc = false;
    int rc = json_get_str(r, in, "grade", 16, true, &grade);
    if (!rc && em_code_index(em_grade_code, EG_N, grade) < 0) {
        rc = resp_error(r, 422, "invalid",
                        "绩效等级须为 引领性(leading)、A、B、B-、C 或 D / grade must be leading, "
                        "A, B, B-, C or D",
                        "grade");
        rc = ERR_INPUT;
    }
    rc = rc ? rc : json_get_str(r, in, "evidence", TEXT_MAX, false, &evidence);
    rc = rc ? rc : bool_member(r, in, "livelihood", &livelihood);
    rc = rc ? rc : bool_member(r, in, "low_voc", &low_voc);
    if (rc) {
        json_decref(in);
        return 0;
    }
    char now[32], region[16];
    now_iso(now);
    struct db *db;
    rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t ent = req_id(r, 0);
    rc = firm_visible(r, db, ent, region);
    rc = rc ? rc
            : store_emergency_grade_put(db, ent, grade, livelihood, low_voc,
                                        evidence ? evidence : "", now);
    rc = rc ? rc : store_emergency_sheet_json(db, ent, &r->out);
    rc = rc ? rc : audit(r, db, "emergency_grade", ent, "em_grade", r->out.p);
    json_decref(in);
    return entity_finish_write(r, db, rc, 200);
}

/* ---------------- sheets ---------------- */

static int api_sheet(struct req *r)
{
    struct db *db = store_read(app.store);
    char region[16];
    int64_t ent = req_id(r, 0);
    int rc = firm_visible(r, db, ent, region);
    rc = rc ? rc : store_emergency_sheet_json(db, ent, &r->out);
    return entity_finish_read(r, db, rc);
}

static int num_member(struct req *r, json_t *o, const char *key, const char *field, double *out)
{
    json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v) {
        return 0;
    }
    if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1e9) {
        resp_error(r, 422, "invalid",
                   arena_printf(r->a, "%s 须为非负数 / %s must be a number ≥ 0", field, field),
                   field);
        return ERR_INPUT;
    }
    *out = json_number_value(v);
    return 0;
}

/* Check one line of a sheet body into l (plan_json rebuilt from what was checked). */
static int line_check(struct req *r, struct db *db, int64_t ent, json_t *o, size_t i,
                      struct emergency_line_row *l)
{
    char f[64];
    if (!json_is_object(o)) {
        snprintf(f, sizeof f, "lines[%zu]", i);
        resp_error(r, 422, "invalid", "生产线须为对象 / a line must be an object",
                   arena_strdup(r->a, f));
        return ERR_INPUT;
    }
    json_t *nm = json_object_get(o, "name");
    const char *name = json_string_value(nm);
    if (!name || !*name || strlen(name) > NAME_MAX_B) {
        snprintf(f, sizeof f, "lines[%zu].name", i);
        resp_error(r, 422, "required",
                   "请填写生产线名称（200 字节内） / the line's name is required (≤ 200 bytes)",
                   arena_strdup(r->a, f));
        return ERR_INPUT;
    }
    l->name = arena_strdup(r->a, name);
    const char *proc = json_string_value(json_object_get(o, "process"));
    if (proc && strlen(proc) > NAME_MAX_B) {
        snprintf(f, sizeof f, "lines[%zu].process", i);
        resp_error(r, 413, "too_long", "工序过长 / the process is too long", arena_strdup(r->a, f));
        return ERR_INPUT;
    }
    l->process = arena_strdup(r->a, proc ? proc : "");
    json_t *pt = json_object_get(o, "point_id");
    l->point_id = json_is_integer(pt) ? json_integer_value(pt) : 0;
    if ((pt && !json_is_null(pt) && !json_is_integer(pt)) ||
        (l->point_id && !store_emergency_point_of(db, l->point_id, ent))) {
        snprintf(f, sizeof f, "lines[%zu].point_id", i);
        resp_error(r, 422, "invalid",
                   "该监测点位不属于本企业 / the point is not one of the enterprise's",
                   arena_strdup(r->a, f));
        return ERR_INPUT;
    }
    snprintf(f, sizeof f, "lines[%zu].normal_flow", i);
    if (num_member(r, o, "normal_flow", arena_strdup(r->a, f), &l->normal_flow)) {
        return ERR_INPUT;
    }
    json_t *base = json_object_get(o, "baseline");
    for (int p = 0; p < EM_NP; p++) {
        snprintf(f, sizeof f, "lines[%zu].baseline.%s", i, em_pollutant_code[p]);
        if (num_member(r, base, em_pollutant_code[p], arena_strdup(r->a, f), &l->base[p])) {
            return ERR_INPUT;
        }
    }
    json_t *plan = json_object_get(o, "plan"), *clean = json_object();
    for (int k = 0; k < EL_N; k++) {
        json_t *lv = json_object_get(plan, em_level_code[k]);
        const char *act = json_string_value(json_object_get(lv, "action"));
        int a = act ? em_code_index(em_action_code, EA_N, act) : EA_NONE;
        if (a < 0) {
            snprintf(f, sizeof f, "lines[%zu].plan.%s.action", i, em_level_code[k]);
            resp_error(r, 422, "invalid",
                       "措施须为 none、self、limit、stop_part 或 stop / the action must be none, "
                       "self, limit, stop_part or stop",
                       arena_strdup(r->a, f));
            json_decref(clean);
            return ERR_INPUT;
        }
        json_t *c = json_pack("{s:s}", "action", em_action_code[a]);
        for (int p = 0; p < EM_NP; p++) {
            double v;
            snprintf(f, sizeof f, "lines[%zu].plan.%s.%s", i, em_level_code[k],
                     em_pollutant_code[p]);
            if (num_member(r, lv, em_pollutant_code[p], arena_strdup(r->a, f), &v)) {
                json_decref(c);
                json_decref(clean);
                return ERR_INPUT;
            }
            if (v > l->base[p]) {
                resp_error(r, 422, "over_baseline",
                           "预计减排量不能超过正常排放量 / the expected reduction exceeds the "
                           "normal emissions",
                           arena_strdup(r->a, f));
                json_decref(c);
                json_decref(clean);
                return ERR_INPUT;
            }
            json_object_set_new(c, em_pollutant_code[p], json_real(v));
        }
        json_object_set_new(clean, em_level_code[k], c);
    }
    char *s = json_dumps(clean, JSON_COMPACT | JSON_SORT_KEYS);
    l->plan_json = arena_strdup(r->a, s);
    free(s);
    json_decref(clean);
    return 0;
}

static int api_sheet_put(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    json_t *lines = json_object_get(in, "lines");
    if (!json_is_array(lines)) {
        json_decref(in);
        return resp_error(r, 422, "required", "请填写生产线 / lines (an array) is required",
                          "lines");
    }
    if (json_array_size(lines) > LINES_MAX) {
        json_decref(in);
        return resp_error(r, 413, "too_many", "生产线不超过 50 条 / at most 50 lines", "lines");
    }
    char now[32], region[16];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t ent = req_id(r, 0);
    rc = firm_visible(r, db, ent, region);
    size_t n = json_array_size(lines);
    struct emergency_line_row *l = arena_zalloc(r->a, (n + 1) * sizeof *l);
    for (size_t i = 0; !rc && i < n; i++) {
        rc = line_check(r, db, ent, json_array_get(lines, i), i, &l[i]);
    }
    rc = rc ? rc : store_emergency_lines_replace(db, ent, l, n, now);
    rc = rc ? rc : store_emergency_sheet_json(db, ent, &r->out);
    rc = rc ? rc : audit(r, db, "emergency_grade", ent, "em_sheet", r->out.p);
    json_decref(in);
    return entity_finish_write(r, db, rc, 200);
}

static int api_sheet_confirm(struct req *r)
{
    char now[32], region[16];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t ent = req_id(r, 0);
    rc = firm_visible(r, db, ent, region);
    int k = rc ? rc : store_emergency_sheet_confirm(db, ent, r->who->user_id, now);
    if (!rc && k == ERR_NOTFOUND) {
        resp_error(r, 409, "no_grade", "请先评定绩效等级 / grade the enterprise first", "grade");
    }
    rc = rc ? rc : k;
    rc = rc ? rc : store_emergency_sheet_json(db, ent, &r->out);
    rc = rc ? rc : audit(r, db, "emergency_grade", ent, "em_sheet_confirm", NULL);
    return entity_finish_write(r, db, rc, 200);
}

/* ---------------- alerts ---------------- */

static bool date_ok(const char *d)
{
    int64_t y = 0, m = 0, day = 0;
    if (parse_i64(d, 4, &y) || parse_i64(d + 5, 2, &m) || parse_i64(d + 8, 2, &day)) {
        return false;
    }
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
    return y >= 2000 && m >= 1 && m <= 12 && day >= 1 &&
           day <= (m == 2 && !leap ? 28 : mdays[m - 1]);
}

/* "YYYY-MM-DD hh:mm[:ss]" or with a T: into the readings' China-time form. */
static bool em_china_time(const char *s, char out[20])
{
    if (!s || (strlen(s) != 16 && strlen(s) != 19)) {
        return false;
    }
    static const char pat[] = "dddd-dd-dd hh:mm:ss";
    for (size_t i = 0; s[i]; i++) {
        char c = s[i], p = pat[i];
        bool ok = p == 'd' || p == 'h' || p == 'm' || p == 's' ? (c >= '0' && c <= '9')
                  : p == ' '                                   ? (c == ' ' || c == 'T')
                                                               : c == p;
        if (!ok) {
            return false;
        }
    }
    snprintf(out, 20, "%.10s %.5s:%s", s, s + 11, strlen(s) == 19 ? s + 17 : "00");
    char d[11];
    snprintf(d, sizeof d, "%.10s", s);
    return date_ok(d) && out[11] <= '2' && out[14] <= '5' && out[17] <= '5' &&
           strncmp(out + 11, "24", 2) < 0;
}

static int api_alert_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct emergency_alert_row a = {0};
    const char *level = NULL, *s = NULL, *e = NULL, *note = NULL;
    int rc = json_get_str(r, in, "level", 8, true, &level);
    if (!rc && em_code_index(em_level_code, EL_N, level) < 0) {
        resp_error(
            r, 422, "invalid",
            "预警级别须为 blue、yellow、orange 或 red / level must be blue, yellow, orange or red",
            "level");
        rc = ERR_INPUT;
    }
    json_t *regs = json_object_get(in, "regions");
    size_t nr = json_array_size(regs);
    if (!rc && (!json_is_array(regs) || nr == 0 || nr > REGIONS_MAX)) {
        resp_error(r, 422, "required",
                   "请选择预警区域（1–64 个） / regions (1 to 64 region codes) is required",
                   "regions");
        rc = ERR_INPUT;
    }
    struct db *db = NULL;
    rc = rc ? rc : json_get_str(r, in, "starts_at", 19, true, &s);
    rc = rc ? rc : json_get_str(r, in, "ends_at", 19, true, &e);
    rc = rc ? rc : json_get_str(r, in, "note", TEXT_MAX, false, &note);
    if (!rc && !em_china_time(s, a.starts_at)) {
        resp_error(
            r, 422, "invalid",
            "开始时间格式为 YYYY-MM-DD hh:mm / starts_at must be YYYY-MM-DD hh:mm (China time)",
            "starts_at");
        rc = ERR_INPUT;
    }
    if (!rc && !em_china_time(e, a.ends_at)) {
        resp_error(
            r, 422, "invalid",
            "结束时间格式为 YYYY-MM-DD hh:mm / ends_at must be YYYY-MM-DD hh:mm (China time)",
            "ends_at");
        rc = ERR_INPUT;
    }
    if (!rc && strcmp(a.ends_at, a.starts_at) <= 0) {
        resp_error(r, 422, "invalid", "结束时间须晚于开始时间 / ends_at must be after starts_at",
                   "ends_at");
        rc = ERR_INPUT;
    }
    if (!rc) {
        snprintf(a.level, sizeof a.level, "%s", level);
        rc = store_begin(app.store, &db);
        if (rc) {
            json_decref(in);
            return resp_err(r, rc, NULL, NULL);
        }
    }
    struct buf list;
    buf_init(&list, 512);
    for (size_t i = 0; !rc && i < nr; i++) {
        const char *code = json_string_value(json_array_get(regs, i));
        size_t n = code ? strlen(code) : 0;
        bool digits = n == 2 || n == 4 || n == 6;
        for (size_t k = 0; digits && k < n; k++) {
            digits = code[k] >= '0' && code[k] <= '9';
        }
        char padded[16];
        snprintf(padded, sizeof padded, "%s%s", digits ? code : "",
                 n == 2   ? "0000"
                 : n == 4 ? "00"
                          : "");
        /* staff issue for their own area only: the prefix must be within their scope */
        if (!digits || !store_scope_allows(&r->who->scope, -1, padded)) {
            resp_error(r, 422, "invalid",
                       arena_printf(r->a,
                                    "区域 %zu 不是辖区内的区划代码 / regions[%zu] is not a region "
                                    "code of your area",
                                    i, i),
                       arena_printf(r->a, "regions[%zu]", i));
            rc = ERR_INPUT;
        }
        if (!rc && list.len + n + 2 < sizeof a.regions) {
            buf_printf(&list, "%s%s", i ? "," : "", code);
        }
    }
    struct rule_ref ref;
    struct em_rules er;
    if (!rc) {
        snprintf(a.regions, sizeof a.regions, "%s", list.p);
        char first[16];
        snprintf(first, sizeof first, "%.6s000000", json_string_value(json_array_get(regs, 0)));
        first[6] = 0;
        rc = load_rules(db, first, 0, &er, &ref);
        if (rc == ERR_NOTFOUND) {
            resp_error(
                r, 409, "no_rule_set",
                "该地区没有生效的 emergency.levels 规则 / no emergency.levels rule set is in force",
                "regions");
        }
        a.rule_set_id = ref.id;
    }
    buf_release(&list);
    char now[32];
    now_iso(now);
    int64_t id = 0;
    rc = rc ? rc : rules_mark_used(db, &ref);
    rc =
        rc ? rc : store_emergency_alert_insert(db, &a, note ? note : "", r->who->user_id, now, &id);
    if (!rc) {
        buf_printf(&r->out, "{\"id\":%lld,\"level\":\"%s\",\"regions\":", (long long)id, a.level);
        buf_json_str(&r->out, a.regions, strlen(a.regions));
        buf_printf(
            &r->out,
            ",\"starts_at\":\"%s\",\"ends_at\":\"%s\",\"rule\":{\"id\":%lld,\"version\":%d}}",
            a.starts_at, a.ends_at, (long long)ref.id, ref.version);
        rc = audit(r, db, "emergency_alert", id, "create", r->out.p);
    }
    json_decref(in);
    if (!db) {
        return 0;
    }
    return entity_finish_write(r, db, rc, 201);
}

static int api_alerts(struct req *r)
{
    struct db *db = store_read(app.store);
    char region[16] = "", at[20];
    int rc = 0;
    if (r->who->role == ROLE_ENTERPRISE) {
        char nm[8];
        rc = store_emergency_enterprise(db, r->who->enterprise_id, region, nm, sizeof nm);
    }
    const char *now = req_query(r, "current");
    if (now && strcmp(now, "1")) {
        now = NULL;
    }
    if (now) {
        now_china(at);
    }
    buf_puts(&r->out, "{\"items\":");
    rc = rc ? rc : store_emergency_alerts_json(db, region, now ? at : NULL, &r->out);
    buf_putc(&r->out, '}');
    return entity_finish_read(r, db, rc);
}

/* ---------------- the control list ---------------- */

struct collect {
    struct arena *a;
    struct em_firm *firms;
    struct em_line *lines;
    struct emergency_firm_line *rows; /* copies of the rows, by line */
    size_t nf, nl, cap;
    bool over;
};

static void collect_line(const struct emergency_firm_line *l, void *ctx)
{
    struct collect *c = ctx;
    if (c->nl == c->cap) {
        c->over = true;
        return;
    }
    if (!c->nf || c->firms[c->nf - 1].id != l->ent) {
        struct em_firm *f = &c->firms[c->nf++];
        memset(f, 0, sizeof *f);
        f->id = l->ent;
        snprintf(f->region, sizeof f->region, "%s", l->region);
        f->grade = em_code_index(em_grade_code, EG_N, l->grade);
        f->livelihood = l->livelihood;
        f->low_voc = l->low_voc;
        f->first_line = c->nl;
    }
    if (!l->line_id) {
        return;
    }
    struct em_line *ln = &c->lines[c->nl];
    memset(ln, 0, sizeof *ln);
    ln->id = l->line_id;
    memcpy(ln->baseline, l->base, sizeof ln->baseline);
    json_t *plan = json_loads(l->plan_json, 0, NULL);
    for (int k = 0; k < EL_N; k++) {
        json_t *lv = json_object_get(plan, em_level_code[k]);
        int a =
            em_code_index(em_action_code, EA_N, json_string_value(json_object_get(lv, "action")));
        ln->action[k] = a < 0 ? EA_NONE : a;
        for (int p = 0; p < EM_NP; p++) {
            ln->reduction[k][p] = json_number_value(json_object_get(lv, em_pollutant_code[p]));
        }
    }
    json_decref(plan);
    struct emergency_firm_line *row = &c->rows[c->nl];
    *row = *l;
    row->name = arena_strdup(c->a, l->name);
    row->line_name = arena_strdup(c->a, l->line_name ? l->line_name : "");
    row->grade = arena_strdup(c->a, l->grade);
    row->region = c->firms[c->nf - 1].region;
    row->confirmed_at = l->confirmed_at ? arena_strdup(c->a, l->confirmed_at) : NULL;
    row->compliance = arena_strdup(c->a, l->compliance ? l->compliance : "unknown");
    c->nl++;
    c->firms[c->nf - 1].n_lines++;
}

struct control {
    struct emergency_alert_row alert;
    struct em_rules rules;
    struct collect c;
    struct em_line_out *out;
    struct em_sum sums[256], total;
    size_t n_sums;
    int level;
};

static int control_load(struct req *r, struct db *db, int64_t id, const struct scope *sc,
                        struct control *x)
{
    int rc = id > 0 ? store_emergency_alert_get(db, id, &x->alert) : ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该预警 / no such alert", "id");
        return rc;
    }
    rc = rc ? rc : load_rules(db, "", x->alert.rule_set_id, &x->rules, &(struct rule_ref){0});
    x->level = em_code_index(em_level_code, EL_N, x->alert.level);
    x->c = (struct collect){.a = r->a,
                            .firms = arena_alloc(r->a, FIRMS_MAX * sizeof *x->c.firms),
                            .lines = arena_alloc(r->a, FIRMS_MAX * sizeof *x->c.lines),
                            .rows = arena_alloc(r->a, FIRMS_MAX * sizeof *x->c.rows),
                            .cap = FIRMS_MAX};
    rc = rc ? rc : store_emergency_control_each(db, id, x->alert.regions, sc, collect_line, &x->c);
    if (!rc && x->c.over) {
        resp_error(r, 413, "too_big",
                   "控制清单超过 20000 条生产线 / the control list has over 20000 lines", "id");
        return ERR_TOOBIG;
    }
    x->out = arena_alloc(r->a, (x->c.nl + 1) * sizeof *x->out);
    rc = rc ? rc
            : emergency_control(&x->rules, x->level, x->c.firms, x->c.nf, x->c.lines, x->out,
                                x->sums, ARRAY_LEN(x->sums), &x->n_sums, &x->total);
    return rc;
}

static void sum_json(struct buf *out, const struct em_sum *s)
{
    buf_puts(out, "{\"region_code\":");
    buf_json_str(out, s->region, strlen(s->region));
    const char *names[] = {"baseline", "required", "reduction", "shortfall"};
    const double *v[] = {s->baseline, s->required, s->reduction, s->shortfall};
    for (int k = 0; k < 4; k++) {
        buf_printf(out, ",\"%s\":{", names[k]);
        for (int p = 0; p < EM_NP; p++) {
            buf_printf(out, "%s\"%s\":%.3f", p ? "," : "", em_pollutant_code[p], v[k][p]);
        }
        buf_putc(out, '}');
    }
    buf_putc(out, '}');
}

static void control_json(struct control *x, struct buf *out, int64_t only_ent)
{
    const struct emergency_alert_row *a = &x->alert;
    buf_printf(out, "{\"alert\":{\"id\":%lld,\"level\":\"%s\",\"regions\":", (long long)a->id,
               a->level);
    buf_json_str(out, a->regions, strlen(a->regions));
    buf_printf(out,
               ",\"starts_at\":\"%s\",\"ends_at\":\"%s\",\"rule_set_id\":%lld},\"cut_percent\":{",
               a->starts_at, a->ends_at, (long long)a->rule_set_id);
    for (int p = 0; p < EM_NP; p++) {
        buf_printf(out, "%s\"%s\":%g", p ? "," : "", em_pollutant_code[p],
                   x->rules.cut[x->level][p]);
    }
    buf_puts(out, "},\"firms\":[");
    int nf = 0;
    for (size_t f = 0; f < x->c.nf; f++) {
        const struct em_firm *fm = &x->c.firms[f];
        if (only_ent && fm->id != only_ent) {
            continue;
        }
        int allowed = emergency_grade_action(&x->rules, fm->grade, fm->livelihood, x->level);
        const struct emergency_firm_line *row0 = fm->n_lines ? &x->c.rows[fm->first_line] : NULL;
        buf_printf(out,
                   "%s{\"enterprise_id\":%lld,\"region_code\":\"%s\",\"grade\":\"%s\","
                   "\"livelihood\":%s,\"low_voc\":%s,\"allowed\":\"%s\"",
                   nf++ ? "," : "", (long long)fm->id, fm->region,
                   fm->grade >= 0 ? em_grade_code[fm->grade] : "",
                   fm->livelihood ? "true" : "false", fm->low_voc ? "true" : "false",
                   em_action_code[allowed]);
        if (row0) {
            buf_puts(out, ",\"enterprise_name\":");
            buf_json_str(out, row0->name, strlen(row0->name));
            buf_puts(out, ",\"confirmed_at\":");
            if (row0->confirmed_at) {
                buf_json_str(out, row0->confirmed_at, strlen(row0->confirmed_at));
            } else {
                buf_puts(out, "null");
            }
            buf_printf(out, ",\"compliance\":\"%s\",\"task_id\":%lld", row0->compliance,
                       (long long)row0->task_id);
        }
        buf_puts(out, ",\"lines\":[");
        for (size_t k = fm->first_line; k < fm->first_line + fm->n_lines; k++) {
            const struct em_line_out *o = &x->out[k];
            buf_printf(out, "%s{\"id\":%lld,\"name\":", k > fm->first_line ? "," : "",
                       (long long)x->c.lines[k].id);
            buf_json_str(out, x->c.rows[k].line_name, strlen(x->c.rows[k].line_name));
            buf_printf(out,
                       ",\"sheet_action\":\"%s\",\"action\":\"%s\",\"capped\":%s,\"reduction\":{",
                       em_action_code[x->c.lines[k].action[x->level]], em_action_code[o->action],
                       o->capped ? "true" : "false");
            for (int p = 0; p < EM_NP; p++) {
                buf_printf(out, "%s\"%s\":%.3f", p ? "," : "", em_pollutant_code[p],
                           o->reduction[p]);
            }
            buf_puts(out, "}}");
        }
        buf_puts(out, "]}");
    }
    buf_puts(out, "]");
    if (!only_ent) {
        buf_puts(out, ",\"sums\":[");
        for (size_t i = 0; i < x->n_sums; i++) {
            if (i) {
                buf_putc(out, ',');
            }
            sum_json(out, &x->sums[i]);
        }
        buf_puts(out, "],\"total\":");
        sum_json(out, &x->total);
    }
    buf_putc(out, '}');
}

static int api_control(struct req *r)
{
    struct db *db = store_read(app.store);
    struct control *x = arena_zalloc(r->a, sizeof *x);
    int rc = control_load(r, db, req_id(r, 0), &r->who->scope, x);
    if (!rc) {
        control_json(x, &r->out, r->who->role == ROLE_ENTERPRISE ? r->who->enterprise_id : 0);
    }
    return entity_finish_read(r, db, rc);
}

static int api_confirm(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *note = NULL;
    if (json_get_str(r, in, "note", TEXT_MAX, false, &note)) {
        json_decref(in);
        return 0;
    }
    char now[32], nowc[20];
    now_iso(now);
    now_china(nowc);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    struct control *x = arena_zalloc(r->a, sizeof *x);
    rc = control_load(r, db, req_id(r, 0), &r->who->scope, x);
    bool covered = false;
    for (size_t f = 0; !rc && f < x->c.nf; f++) {
        covered = covered || x->c.firms[f].id == r->who->enterprise_id;
    }
    if (!rc && !covered) {
        resp_error(r, 404, "not_found",
                   "该预警不涉及本企业 / the alert does not cover the enterprise", "id");
        rc = ERR_NOTFOUND;
    }
    rc = rc ? rc
            : store_emergency_confirm(db, x->alert.id, r->who->enterprise_id, r->who->user_id,
                                      note ? note : "", now);
    if (!rc) {
        buf_printf(&r->out, "{\"alert_id\":%lld,\"enterprise_id\":%lld,\"confirmed_at\":\"%s\"}",
                   (long long)x->alert.id, (long long)r->who->enterprise_id, now);
        rc = audit(r, db, "emergency_alert", x->alert.id, "em_confirm", r->out.p);
    }
    json_decref(in);
    return entity_finish_write(r, db, rc, 200);
}

/* Each firm's lines against their points' flow during the alert: a firm with any line that did
   not comply is not_complied and gets an inspection task (source manual), once per alert. */
static int api_compliance(struct req *r)
{
    char now[32], today[11];
    now_iso(now);
    date_cn(wall_ms() / 1000, today);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct control *x = arena_zalloc(r->a, sizeof *x);
    rc = control_load(r, db, req_id(r, 0), &r->who->scope, x);
    if (!rc) {
        buf_printf(&r->out, "{\"alert_id\":%lld,\"items\":[", (long long)x->alert.id);
    }
    struct case_actor who = {.user_id = r->who->user_id,
                             .name = r->who->display_name,
                             .role = r->who->role,
                             .request_id = r->request_id,
                             .ip = r->ip};
    int tasks = 0;
    for (size_t f = 0; !rc && f < x->c.nf; f++) {
        const struct em_firm *fm = &x->c.firms[f];
        int verdict = -1;
        for (size_t k = fm->first_line; !rc && k < fm->first_line + fm->n_lines; k++) {
            const struct emergency_firm_line *row = &x->c.rows[k];
            double avg = 0;
            size_t n = 0;
            if (!row->point_id || x->out[k].action < EA_LIMIT) {
                continue; /* nothing the flow can show */
            }
            rc = store_emergency_flow(db, row->point_id, x->rules.flow_factor, x->alert.starts_at,
                                      x->alert.ends_at, &avg, &n);
            int v =
                rc ? -1 : emergency_line_complied(&x->rules, &x->out[k], row->normal_flow, avg, n);
            verdict = v == 0 ? 0 : v == 1 && verdict != 0 ? 1 : verdict;
        }
        const char *comp = verdict == 1 ? "complied" : verdict == 0 ? "not_complied" : "unknown";
        int64_t task = fm->n_lines ? x->c.rows[fm->first_line].task_id : 0;
        if (!rc && verdict == 0 && !task) {
            struct inspect_task_input ti = {
                .enterprise_id = fm->id,
                .source_kind = "manual",
                .purpose = "other",
                .level = "enforcement",
                .planned_on = today,
                .title = arena_printf(r->a, "重污染天气预警 #%lld 应急减排措施未落实核查",
                                      (long long)x->alert.id)};
            const char *field = NULL;
            char why[400] = "";
            int64_t case_id = 0;
            rc = inspect_task_create(db, &ti, &who, now, &task, &case_id, &field, why, sizeof why);
            tasks += !rc;
        }
        rc = rc ? rc : store_emergency_compliance_set(db, x->alert.id, fm->id, comp, task, now);
        if (!rc) {
            buf_printf(&r->out, "%s{\"enterprise_id\":%lld,\"compliance\":\"%s\",\"task_id\":%lld}",
                       f ? "," : "", (long long)fm->id, comp, (long long)task);
        }
    }
    if (!rc) {
        buf_printf(&r->out, "],\"tasks_filed\":%d}", tasks);
        rc = audit(r, db, "emergency_alert", x->alert.id, "em_compliance", r->out.p);
    }
    return entity_finish_write(r, db, rc, 200);
}

int emergency_dashboard(struct req *r, struct db *db, struct buf *out)
{
    if (r->who->role != ROLE_ENTERPRISE) {
        return 0;
    }
    char region[16], nm[8], at[20], level[8];
    now_china(at);
    int rc = store_emergency_enterprise(db, r->who->enterprise_id, region, nm, sizeof nm);
    rc = rc ? rc : store_emergency_current_level(db, region, at, level);
    if (!rc) {
        buf_printf(out, ",\"emergency\":{\"level\":\"%s\"}", level);
    }
    return rc == ERR_NOTFOUND ? 0 : rc;
}

static const struct route routes[] = {
    {"GET", "/api/v1/emergency/performance-grades", ROLES_STAFF, api_grades, 0,
     "Enterprises' performance grades (绩效分级) and exempt types within the caller's area"},
    {"PUT", "/api/v1/emergency/performance-grades/{id}", GRADERS, api_grade_put, 0,
     "Set an enterprise's performance grade, exempt types and evidence"},
    {"GET", "/api/v1/emergency/control-plans/{id}", ROLES_ANY, api_sheet, 0,
     "An enterprise's 一企一策 sheet: grade, lines, per level the action and expected reduction"},
    {"PUT", "/api/v1/emergency/control-plans/{id}", GRADERS | ROLE_ENTERPRISE, api_sheet_put, 0,
     "Replace an enterprise's sheet lines (staff or the enterprise; back to draft)"},
    {"POST", "/api/v1/emergency/control-plans/{id}/confirm", GRADERS, api_sheet_confirm, 0,
     "Staff confirm an enterprise's sheet"},
    {"GET", "/api/v1/emergency/alerts", ROLES_ANY, api_alerts, 0,
     "Heavy-pollution weather alerts (an enterprise: those covering it; current=1: in force now)"},
    {"POST", "/api/v1/emergency/alerts", ISSUERS, api_alert_create, 0,
     "Issue an alert: level, regions, start and end (China time)"},
    {"GET", "/api/v1/emergency/alerts/{id}/control", ROLES_ANY, api_control, 0,
     "An alert's control list: per firm and line the action, sums by region and pollutant, "
     "shortfall"},
    {"POST", "/api/v1/emergency/alerts/{id}/confirm", ROLE_ENTERPRISE, api_confirm, 0,
     "The enterprise confirms it executes the alert's actions"},
    {"POST", "/api/v1/emergency/alerts/{id}/compliance", ISSUERS | ROLE_INSPECTOR, api_compliance,
     0, "Check compliance from the flow readings; file an inspection task per failing firm"},
};

void emergency_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
