/*
** Generic entity handlers; see entity.h. Validation turns a JSON object into a column write
** set by the field kinds of the description (store/entities.c); semantic kinds (USCC, region,
** industry, pollutant) are checked here against their validators and code tables. It records
** every problem it meets (entity_error_add) instead of stopping at the first, and answers
** them all at once (entity_errors_respond), each in Chinese and in English.
*/
#include "platform/entity.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "core/settings.h"
#include "core/table.h"
#include "core/uscc.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/labels.h"

void entity_write_text(struct entity_write *w, const char *col, const char *v)
{
    if (w->n < ARRAY_LEN(w->cols)) {
        w->cols[w->n] = col;
        w->vals[w->n] = (struct db_value){DB_TEXT, 0, 0, v, strlen(v)};
        w->n++;
    }
}

void entity_write_int(struct entity_write *w, const char *col, int64_t v)
{
    if (w->n < ARRAY_LEN(w->cols)) {
        w->cols[w->n] = col;
        w->vals[w->n] = (struct db_value){DB_INT, v, 0, NULL, 0};
        w->n++;
    }
}

static void write_real(struct entity_write *w, const char *col, double v)
{
    if (w->n < ARRAY_LEN(w->cols)) {
        w->cols[w->n] = col;
        w->vals[w->n] = (struct db_value){DB_REAL, 0, v, NULL, 0};
        w->n++;
    }
}

static void write_null(struct entity_write *w, const char *col)
{
    if (w->n < ARRAY_LEN(w->cols)) {
        w->cols[w->n] = col;
        w->vals[w->n] = (struct db_value){DB_NULL, 0, 0, NULL, 0};
        w->n++;
    }
}

const struct db_value *entity_write_get(const struct entity_write *w, const char *col)
{
    for (size_t i = 0; i < w->n; i++) {
        if (!strcmp(w->cols[i], col)) {
            return &w->vals[i];
        }
    }
    return NULL;
}

int entity_error_add(struct entity_write *w, int status, const char *field, const char *code,
                     const char *zh, const char *en)
{
    size_t kept = w->n_errors < ENTITY_MAX_ERRORS ? w->n_errors : ENTITY_MAX_ERRORS;
    for (size_t i = 0; field && i < kept; i++) {
        if (w->errors[i].field && !strcmp(w->errors[i].field, field)) {
            return ERR_INPUT; /* one problem per field: the first says what to fix */
        }
    }
    if (w->n_errors < ENTITY_MAX_ERRORS) {
        w->errors[w->n_errors] = (struct entity_error){field, code, zh, en ? en : zh, status};
    }
    w->n_errors++;
    return ERR_INPUT;
}

static void error_fields(struct req *r, struct buf *b, const struct entity_error *e)
{
    buf_puts(b, "\"code\":");
    buf_json_str(b, e->code, strlen(e->code));
    buf_puts(b, ",\"message\":");
    const char *both = arena_printf(r->a, "%s / %s", e->zh, e->en);
    buf_json_str(b, both, strlen(both));
    buf_puts(b, ",\"message_zh\":");
    buf_json_str(b, e->zh, strlen(e->zh));
    buf_puts(b, ",\"message_en\":");
    buf_json_str(b, e->en, strlen(e->en));
    buf_puts(b, ",\"field\":");
    if (e->field) {
        buf_json_str(b, e->field, strlen(e->field));
    } else {
        buf_puts(b, "null");
    }
}

int entity_errors_respond(struct req *r, const struct entity_write *w)
{
    assert(w->n_errors > 0);
    size_t n = w->n_errors < ENTITY_MAX_ERRORS ? w->n_errors : ENTITY_MAX_ERRORS;
    buf_reset(&r->out);
    buf_puts(&r->out, "{\"error\":{");
    error_fields(r, &r->out, &w->errors[0]);
    buf_printf(&r->out, ",\"request_id\":\"%s\",\"errors\":[", r->request_id);
    for (size_t i = 0; i < n; i++) {
        buf_puts(&r->out, i ? ",{" : "{");
        error_fields(r, &r->out, &w->errors[i]);
        buf_putc(&r->out, '}');
    }
    buf_puts(&r->out, "]}}");
    int status = w->errors[0].status;
    resp_json(r, status);
    return status == 403 ? ERR_FORBIDDEN : ERR_INPUT;
}

/* Record a problem with field f: "<中文标签><问题>" and "<English label>: <problem>". */
static int field_error(struct req *r, struct entity_write *w, const struct field_def *f,
                       const char *code, const char *zh, const char *en)
{
    return entity_error_add(
        w, 422, f->name, code,
        arena_printf(r->a, "%s%s", label_field(w->entity, f->name, false), zh),
        arena_printf(r->a, "%s: %s", label_field(w->entity, f->name, true), en));
}

static bool in_list(const char *const *values, const char *v)
{
    for (; values && *values; values++) {
        if (!strcmp(*values, v)) {
            return true;
        }
    }
    return false;
}

static int check_text(struct req *r, struct entity_write *w, const struct field_def *f, json_t *v,
                      const char **out)
{
    if (!json_is_string(v)) {
        return field_error(r, w, f, "type", "应为文本", "must be text");
    }
    struct str s = str_trim((struct str){json_string_value(v), json_string_length(v)});
    unsigned max = f->max_len ? f->max_len : 200;
    if (s.len > max) {
        return field_error(r, w, f, "too_long", arena_printf(r->a, "过长（最多 %u 字节）", max),
                           arena_printf(r->a, "too long (at most %u bytes)", max));
    }
    if (memchr(s.p, 0, s.len)) {
        return field_error(r, w, f, "invalid", "含有非法字符", "contains a NUL byte");
    }
    *out = arena_strndup(r->a, s.p, s.len);
    return 0;
}

static int check_code(struct req *r, struct db *db, struct entity_write *w,
                      const struct field_def *f, const char *v)
{
    const char *table = f->kind == FK_REGION     ? "regions"
                        : f->kind == FK_INDUSTRY ? "industries"
                                                 : "pollutants";
    const char *what = f->kind == FK_REGION     ? "region code (GB/T 2260)"
                       : f->kind == FK_INDUSTRY ? "industry code (GB/T 4754)"
                                                : "pollutant code (HJ 212)";
    if (!store_code_exists(db, table, v, strlen(v))) {
        return field_error(r, w, f, "unknown_code", arena_printf(r->a, "代码 %s 不存在", v),
                           arena_printf(r->a, "%s is not a known %s", v, what));
    }
    return 0;
}

static int check_tags(struct req *r, struct entity_write *w, const struct field_def *f, json_t *v,
                      const char **out)
{
    if (!json_is_array(v)) {
        return field_error(r, w, f, "type", "应为数组", "must be an array of strings");
    }
    struct buf b;
    buf_init(&b, 4096);
    size_t i;
    json_t *t;
    int rc = 0;
    json_array_foreach (v, i, t) {
        const char *s = json_string_value(t);
        if (!s || !in_list(f->values, s)) {
            rc = field_error(r, w, f, "invalid", arena_printf(r->a, "含未知标签 %s", s ? s : "?"),
                             arena_printf(r->a, "unknown tag %s", s ? s : "?"));
            break;
        }
        char pat[64];
        snprintf(pat, sizeof pat, ",%s,", s);
        char *have = arena_printf(r->a, ",%s,", b.p ? b.p : "");
        if (!strstr(have, pat)) {
            buf_printf(&b, "%s%s", b.len ? "," : "", s);
        }
    }
    *out = arena_strdup(r->a, b.p ? b.p : "");
    buf_release(&b);
    return rc;
}

static int check_number(struct req *r, struct entity_write *w, const struct field_def *f, json_t *v,
                        double *out)
{
    if (!json_is_number(v)) {
        return field_error(r, w, f, "type", "应为数字", "must be a number");
    }
    double d = json_number_value(v);
    if (!isfinite(d) || (f->min < f->max && (d < f->min || d > f->max))) {
        return field_error(r, w, f, "range",
                           arena_printf(r->a, "应在 %g 到 %g 之间", f->min, f->max),
                           arena_printf(r->a, "must be between %g and %g", f->min, f->max));
    }
    if (f->kind == FK_INT && d != floor(d)) {
        return field_error(r, w, f, "type", "应为整数", "must be a whole number");
    }
    *out = d;
    return 0;
}

static int check_semantic(struct req *r, struct db *db, struct entity_write *w,
                          const struct field_def *f, const char *s)
{
    char zh[200], en[200];
    int32_t day;
    switch (f->kind) {
    case FK_USCC:
        if (uscc_explain(s, strlen(s), zh, sizeof zh, en, sizeof en)) {
            return field_error(r, w, f, "invalid_uscc", arena_printf(r->a, "无效：%s", zh), en);
        }
        return 0;
    case FK_REGION:
    case FK_INDUSTRY:
    case FK_POLLUTANT: return check_code(r, db, w, f, s);
    case FK_DATE:
        if (calendar_date_parse(s, strlen(s), &day)) {
            return field_error(r, w, f, "invalid_date", "应为 YYYY-MM-DD 格式的有效日期",
                               arena_printf(r->a, "%s is not a valid date (YYYY-MM-DD)", s));
        }
        return 0;
    case FK_ENUM:
        if (!in_list(f->values, s)) {
            return field_error(r, w, f, "invalid", arena_printf(r->a, "取值 %s 无效", s),
                               arena_printf(r->a, "%s is not an allowed value", s));
        }
        return 0;
    case FK_PHONE:
        for (const char *p = s; *p; p++) {
            if (!strchr("0123456789+-() ", *p)) {
                return field_error(r, w, f, "invalid", "只能包含数字和 + - ( ) 空格",
                                   "may hold digits, + - ( ) and spaces only");
            }
        }
        return 0;
    case FK_SECRET:
        if (strlen(s) != 6) {
            return field_error(r, w, f, "invalid", "应为 6 位", "must be exactly 6 characters");
        }
        return 0;
    default: return 0;
    }
}

/* Validate one present field and add it to w, or record its problem. */
static int check_field(struct req *r, struct db *db, const struct field_def *f, json_t *v,
                       bool create, struct entity_write *w)
{
    if (json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0 && f->kind != FK_TEXT &&
                            f->kind != FK_PHONE)) {
        if (f->flags & FF_REQUIRED) {
            return field_error(r, w, f, "required", "为必填项", "required");
        }
        if (f->kind == FK_REAL || f->kind == FK_INT || f->kind == FK_REF) {
            write_null(w, f->name);
        } else {
            entity_write_text(w, f->name, "");
        }
        return 0;
    }
    if (!create && (f->flags & FF_CREATE_ONLY)) {
        return field_error(r, w, f, "read_only", "创建后不可修改",
                           "cannot be changed after creation");
    }
    double d = 0;
    const char *s = "";
    int rc;
    switch (f->kind) {
    case FK_INT:
    case FK_REF:
    case FK_REAL:
        rc = check_number(r, w, f, v, &d);
        if (!rc) {
            if (f->kind == FK_REAL) {
                write_real(w, f->name, d);
            } else {
                entity_write_int(w, f->name, (int64_t)d);
            }
        }
        return rc;
    case FK_TAGS: rc = check_tags(r, w, f, v, &s); break;
    default:
        rc = check_text(r, w, f, v, &s);
        if (!rc && (f->flags & FF_REQUIRED) && !*s) {
            return field_error(r, w, f, "required", "为必填项", "required");
        }
        if (!rc && *s) {
            rc = check_semantic(r, db, w, f, s);
        }
    }
    if (!rc) {
        entity_write_text(w, f->name, s);
    }
    return rc;
}

static void region_in_scope(struct req *r, struct entity_write *w);

static const struct field_def *find_field(const struct entity_def *e, const char *name)
{
    for (size_t i = 0; i < e->n_fields; i++) {
        if (!strcmp(e->fields[i].name, name)) {
            return &e->fields[i];
        }
    }
    return NULL;
}

/* Check every key of the body into w, recording each problem: unknown or server-owned keys
   are refused by name, then required fields missing on create. */
static void check_body(struct req *r, struct db *db, const struct entity_api *api, json_t *in,
                       bool create, struct entity_write *w)
{
    const struct entity_def *e = api->def;
    const char *key;
    json_t *v;
    json_object_foreach (in, key, v) {
        if (in_list(api->extra_keys, key)) {
            continue;
        }
        const struct field_def *f = find_field(e, key);
        if (!f || (f->flags & FF_SERVER)) {
            entity_error_add(w, 422, key, "unknown_field",
                             arena_printf(r->a, "不能写入字段 %s", key),
                             arena_printf(r->a, "Field %s cannot be written", key));
            continue;
        }
        check_field(r, db, f, v, create, w);
    }
    for (size_t i = 0; create && i < e->n_fields; i++) {
        const struct field_def *f = &e->fields[i];
        if ((f->flags & FF_REQUIRED) && !(f->flags & FF_SERVER) && !json_object_get(in, f->name)) {
            field_error(r, w, f, "required", "为必填项", "required");
        }
    }
}

/* A check hook answered by itself (resp_error): fold its error into w so that it is reported
   with the field errors. Its message is "中文 / English" or one language. */
static void take_hook_response(struct req *r, struct entity_write *w)
{
    json_t *j = json_loadb(r->out.p ? r->out.p : "", r->out.len, 0, NULL);
    json_t *e = json_object_get(j, "error");
    const char *msg = json_string_value(json_object_get(e, "message"));
    const char *field = json_string_value(json_object_get(e, "field"));
    const char *code = json_string_value(json_object_get(e, "code"));
    msg = arena_strdup(r->a, msg ? msg : "无效 / invalid");
    const char *sep = strstr(msg, " / ");
    const char *zh = sep ? arena_strndup(r->a, msg, (size_t)(sep - msg)) : msg;
    entity_error_add(w, r->status, field ? arena_strdup(r->a, field) : NULL,
                     arena_strdup(r->a, code ? code : "invalid"), zh, sep ? sep + 3 : msg);
    json_decref(j);
    buf_reset(&r->out);
    r->status = 0;
}

/* The whole validation of a write: fields, region scope, the entity's own check. Returns 0;
   or, with every problem in the response, ERR_INPUT / ERR_FORBIDDEN; or another ERR_* from
   the check hook with no response (mapped by the caller). */
static int validate(struct req *r, struct db *db, const struct entity_api *api, json_t *in,
                    bool create, int64_t id, int64_t parent_id, struct entity_write *w)
{
    w->entity = api->def->name;
    check_body(r, db, api, in, create, w);
    region_in_scope(r, w);
    if (api->check) {
        int rc = api->check(r, db, in, create, id, parent_id, w);
        if (rc && r->status) {
            take_hook_response(r, w);
        } else if (rc && rc != ERR_INPUT) {
            return rc;
        } else if (rc && !w->n_errors) {
            return rc;
        }
    }
    return w->n_errors ? entity_errors_respond(r, w) : 0;
}

int entity_validate(struct req *r, struct db *db, const struct entity_api *api, json_t *in,
                    bool create, struct entity_write *w)
{
    return validate(r, db, api, in, create, 0, 0, w);
}

int entity_list_query(struct req *r, const struct entity_def *def, struct list_query *q)
{
    memset(q, 0, sizeof *q);
    q->q = req_query(r, "q");
    if (q->q && strlen(q->q) > 200) {
        resp_error(r, 422, "too_long", "搜索词过长 / search text too long", "q");
        return ERR_INPUT;
    }
    const char *sort = req_query(r, "sort");
    if (sort && *sort) {
        q->desc = sort[0] == '-';
        q->sort = q->desc ? sort + 1 : sort;
        const struct field_def *f = find_field(def, q->sort);
        if (strcmp(q->sort, "id") && (!f || !(f->flags & FF_SORT))) {
            resp_error(r, 422, "invalid",
                       arena_printf(r->a, "不能按 %s 排序 / cannot sort by %s", q->sort, q->sort),
                       "sort");
            return ERR_INPUT;
        }
    }
    const char *limit = req_query(r, "limit");
    int64_t n = 50;
    if (limit &&
        (parse_i64(limit, strlen(limit), &n) || n < 1 || n > settings_int("list_max_limit"))) {
        resp_error(r, 422, "invalid",
                   arena_printf(r->a, "limit 应在 1 到 %lld 之间 / limit must be 1..%lld",
                                (long long)settings_int("list_max_limit"),
                                (long long)settings_int("list_max_limit")),
                   "limit");
        return ERR_INPUT;
    }
    q->limit = (size_t)n;
    q->cursor = req_query(r, "cursor");
    const char *total = req_query(r, "total");
    q->with_total = total && !strcmp(total, "1");
    for (size_t i = 0; i < def->n_fields && q->n_filters < LIST_MAX_FILTERS; i++) {
        const struct field_def *f = &def->fields[i];
        const char *v = (f->flags & FF_FILTER) ? req_query(r, f->name) : NULL;
        if (v && *v) {
            if (strlen(v) > 200) {
                resp_error(r, 422, "too_long", "筛选值过长 / filter value too long", f->name);
                return ERR_INPUT;
            }
            q->filter_field[q->n_filters] = f->name;
            q->filter_value[q->n_filters++] = v;
        }
    }
    return 0;
}

static const struct scope *scope_of(struct req *r)
{
    return r->who ? &r->who->scope : NULL;
}

int entity_list(struct req *r, const struct entity_api *api, int64_t parent_id)
{
    struct list_query q;
    if (entity_list_query(r, api->def, &q)) {
        return 0;
    }
    if (parent_id > 0) {
        q.parent_col = api->def->parent_col;
        q.parent_id = parent_id;
    }
    struct db *db = store_read(app.store);
    int rc = 0;
    if (parent_id > 0 && api->parent) {
        struct buf tmp;
        buf_init(&tmp, 1 << 20);
        rc = store_entity_get(db, api->parent, scope_of(r), parent_id, &tmp);
        buf_release(&tmp);
    }
    if (!rc) {
        rc = store_entity_list(db, api->def, scope_of(r), &q, &r->out);
    }
    store_release(app.store, db);
    if (rc == ERR_INPUT) {
        return resp_error(r, 422, "invalid", "翻页游标或筛选条件无效 / bad cursor or filter",
                          "cursor");
    }
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

int entity_get(struct req *r, const struct entity_api *api, int64_t id)
{
    if (id <= 0) {
        return resp_err(r, ERR_NOTFOUND, NULL, NULL);
    }
    struct db *db = store_read(app.store);
    int rc = store_entity_get(db, api->def, scope_of(r), id, &r->out);
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

int entity_enterprise_visible(struct req *r, struct db *db, int64_t ent_id)
{
    struct buf tmp;
    buf_init(&tmp, 1 << 20);
    int rc = store_entity_get(db, &ENTITY_ENTERPRISE, scope_of(r), ent_id, &tmp);
    buf_release(&tmp);
    return rc;
}

/* A created or moved enterprise must land inside the principal's regions (a 403 problem). */
static void region_in_scope(struct req *r, struct entity_write *w)
{
    const struct db_value *v = entity_write_get(w, "region_code");
    const struct scope *sc = scope_of(r);
    if (!v || !sc || sc->kind == SCOPE_ALL) {
        return;
    }
    for (size_t i = 0; sc->kind == SCOPE_REGIONS && i < sc->n_prefixes; i++) {
        if (!strncmp(v->s, sc->prefixes[i], strlen(sc->prefixes[i]))) {
            return;
        }
    }
    entity_error_add(w, 403, "region_code", "out_of_scope", "该行政区划不在您单位的管辖范围内",
                     "Region: outside your unit's area");
}

/* Read the row as JSON (unscoped, inside the transaction) for audit and response. */
static char *snapshot(struct req *r, struct db *db, const struct entity_def *e, int64_t id)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    int rc = store_entity_get(db, e, NULL, id, &b);
    char *s = rc ? NULL : arena_strndup(r->a, b.p, b.len);
    buf_release(&b);
    return s;
}

static int finish_write(struct req *r, struct db *db, int rc, int status, const char *after)
{
    if (rc) {
        store_rollback(app.store, db);
        if (r->status) {
            return 0; /* a check already explained the problem */
        }
        if (rc == ERR_CONFLICT) {
            return resp_err(
                r, rc, "与现有记录重复（唯一编号已存在）/ duplicates an existing record", NULL);
        }
        return resp_err(r, rc,
                        rc == ERR_INPUT ? "引用的记录不存在或数据不一致 / a referenced "
                                          "record does not exist"
                                        : NULL,
                        NULL);
    }
    rc = store_commit(app.store, db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    buf_reset(&r->out);
    buf_puts(&r->out, after ? after : "{}");
    return resp_json(r, status);
}

int entity_create(struct req *r, const struct entity_api *api, int64_t parent_id)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct entity_write *w = arena_zalloc(r->a, sizeof *w);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    if (parent_id > 0 && api->parent) {
        struct buf tmp;
        buf_init(&tmp, 1 << 20);
        rc = store_entity_get(db, api->parent, scope_of(r), parent_id, &tmp);
        buf_release(&tmp);
        if (!rc) {
            entity_write_int(w, api->def->parent_col, parent_id);
        }
    }
    if (!rc) {
        rc = validate(r, db, api, in, true, 0, parent_id, w);
    }
    int64_t id = 0;
    if (!rc) {
        rc = store_entity_insert(db, api->def, w->cols, w->vals, w->n, &id);
    }
    bool changed = false;
    if (!rc && api->after) {
        rc = api->after(r, db, in, id, &changed);
    }
    char *after = rc ? NULL : snapshot(r, db, api->def, id);
    if (!rc) {
        rc = audit_write(r, db, api->def->name, id, "create", NULL, after);
    }
    json_decref(in);
    return finish_write(r, db, rc, 201, after);
}

int entity_update(struct req *r, const struct entity_api *api, int64_t id)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct entity_write *w = arena_zalloc(r->a, sizeof *w);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    struct buf tmp;
    buf_init(&tmp, 1 << 20);
    rc = id > 0 ? store_entity_get(db, api->def, scope_of(r), id, &tmp) : ERR_NOTFOUND;
    buf_release(&tmp);
    char *before = rc ? NULL : snapshot(r, db, api->def, id);
    if (!rc) {
        rc = validate(r, db, api, in, false, id, 0, w);
    }
    if (!rc && w->n) {
        rc = store_entity_update(db, api->def, id, w->cols, w->vals, w->n);
    }
    bool changed = false;
    if (!rc && api->after) {
        rc = api->after(r, db, in, id, &changed);
    }
    char *after = rc ? NULL : snapshot(r, db, api->def, id);
    if (!rc && (w->n || changed)) {
        rc = audit_write(r, db, api->def->name, id, "update", before, after);
    }
    json_decref(in);
    return finish_write(r, db, rc, 200, after);
}

int entity_set_status(struct req *r, const struct entity_api *api, int64_t id, const char *status)
{
    struct entity_write w = {0};
    entity_write_text(&w, "status", status);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct buf tmp;
    buf_init(&tmp, 1 << 20);
    rc = id > 0 ? store_entity_get(db, api->def, scope_of(r), id, &tmp) : ERR_NOTFOUND;
    buf_release(&tmp);
    char *before = rc ? NULL : snapshot(r, db, api->def, id);
    if (!rc) {
        rc = store_entity_update(db, api->def, id, w.cols, w.vals, w.n);
    }
    char *after = rc ? NULL : snapshot(r, db, api->def, id);
    if (!rc) {
        rc = audit_write(r, db, api->def->name, id,
                         !strcmp(status, "active") ? "activate" : "deactivate", before, after);
    }
    return finish_write(r, db, rc, 200, after);
}

/* ---- export ---- */

struct export_ctx {
    struct req *r;
    struct table *t;
    size_t cap;
    const char *entity;
};

static int export_row(struct db_stmt *st, void *arg)
{
    struct export_ctx *c = arg;
    struct table *t = c->t;
    int n = db_column_count(st);
    if (t->n_rows == 0) {
        t->n_cols = (size_t)n;
        t->cells[0] = arena_alloc(c->r->a, sizeof(char *) * (size_t)n);
        for (int i = 0; i < n; i++) {
            const char *col = db_column_name(st, i);
            size_t len = strlen(col);
            if (len > 5 && !strcmp(col + len - 5, "_list")) {
                col = arena_strndup(c->r->a, col, len - 5);
            }
            t->cells[0][i] = (char *)label_column(col);
        }
        t->n_rows = 1;
    }
    if (t->n_rows >= c->cap) {
        c->cap *= 2;
        char ***cells = arena_alloc(c->r->a, sizeof(char **) * c->cap);
        memcpy(cells, t->cells, sizeof(char **) * t->n_rows);
        t->cells = cells;
    }
    char **row = arena_alloc(c->r->a, sizeof(char *) * (size_t)n);
    for (int i = 0; i < n; i++) {
        const char *col = db_column_name(st, i);
        size_t len;
        const char *v = db_column_text(st, i, &len);
        char *copy = arena_strndup(c->r->a, v, len);
        char cn[20];
        if (iso_utc_to_china(copy, cn)) { /* stored in UTC; shown in China time, as the UI does */
            copy = arena_strdup(c->r->a, cn);
        }
        size_t cl = strlen(col);
        char base[64];
        snprintf(base, sizeof base, "%.*s",
                 (int)(cl > 5 && !strcmp(col + cl - 5, "_list") ? cl - 5 : cl), col);
        row[i] = (char *)label_entity_value(c->r->a, c->entity, base, copy);
    }
    t->cells[t->n_rows++] = row;
    return 0;
}

int entity_export_table(struct req *r, const struct entity_api *api, const struct list_query *q,
                        struct table *t)
{
    struct export_ctx c = {r, t, 1024, api->def->name};
    memset(t, 0, sizeof *t);
    t->cells = arena_alloc(r->a, sizeof(char **) * c.cap);
    struct db *db = store_read(app.store);
    int rc = store_entity_scan(db, api->def, r->who ? &r->who->scope : NULL, q,
                               (size_t)settings_int("export_max_rows"), export_row, &c);
    store_release(app.store, db);
    if (!rc && t->n_rows == 0) {
        /* No rows: still give the header so the file is a usable template. */
        t->n_cols = 0;
    }
    return rc;
}

/* The file name users see for an export of table ("企业档案"), or the table's own name. */
static const char *export_title(const char *table)
{
    static const char *const titles[][2] = {
        {"enterprises", "企业档案"}, {"permits", "排污许可证"}, {"agencies", "环境服务机构"},
        {"points", "监测点"},        {"outlets", "排放口"},     {"limits", "排放限值"},
        {"alarms", "报警记录"},
    };
    for (size_t i = 0; i < ARRAY_LEN(titles); i++) {
        if (!strcmp(titles[i][0], table)) {
            return titles[i][1];
        }
    }
    return table;
}

/* Content-Disposition for a download named name (UTF-8): RFC 6266 with the RFC 5987
   filename* for the real name and an ASCII filename= for clients that ignore it. */
char *entity_disposition(struct req *r, const char *name, const char *ascii_name)
{
    struct buf b;
    buf_init(&b, 4096);
    buf_printf(&b, "attachment; filename=\"%s\"; filename*=UTF-8''", ascii_name);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(".-_~", *p)) {
            buf_putc(&b, (char)*p);
        } else {
            buf_printf(&b, "%%%02X", *p);
        }
    }
    char *s = arena_strdup(r->a, b.p ? b.p : "");
    buf_release(&b);
    return s;
}

int entity_export_format(struct req *r, bool *xlsx)
{
    const char *format = req_query(r, "format");
    *xlsx = format && !strcmp(format, "xlsx");
    if (format && !*xlsx && strcmp(format, "csv")) {
        resp_error(r, 422, "invalid", "format 应为 csv 或 xlsx / format must be csv or xlsx",
                   "format");
        return ERR_INPUT;
    }
    return 0;
}

int entity_export_send(struct req *r, const struct table *t, bool xlsx, const char *name)
{
    char err[256] = "";
    char date[11];
    date_cn(wall_ms() / 1000, date);
    const char *ext = xlsx ? "xlsx" : "csv";
    int rc = 0;
    if (xlsx) {
        rc = xlsx_write_mem(t, name, &r->out, err, sizeof err);
        r->resp_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    } else {
        csv_write_bom(&r->out);
        for (size_t i = 0; i < t->n_rows; i++) {
            csv_write_row(&r->out, (const char *const *)t->cells[i], t->n_cols);
        }
        r->resp_type = "text/csv; charset=utf-8";
    }
    if (rc || r->out.overflow) {
        return resp_err(r, rc ? rc : ERR_TOOBIG, err[0] ? err : NULL, NULL);
    }
    r->status = 200;
    resp_header(r, "Content-Disposition",
                entity_disposition(r, arena_printf(r->a, "%s-%s.%s", export_title(name), date, ext),
                                   arena_printf(r->a, "%s-%s.%s", name, date, ext)));
    return 0;
}

int entity_export_too_big(struct req *r)
{
    return resp_error(r, 413, "too_large",
                      "导出行数超过上限，请增加筛选条件 / too many rows; narrow the filters", NULL);
}

int entity_export(struct req *r, const struct entity_api *api)
{
    bool xlsx;
    struct list_query q;
    if (entity_export_format(r, &xlsx) || entity_list_query(r, api->def, &q)) {
        return 0;
    }
    struct table t;
    int rc = entity_export_table(r, api, &q, &t);
    if (rc == ERR_TOOBIG) {
        return entity_export_too_big(r);
    }
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    return entity_export_send(r, &t, xlsx, api->def->table);
}

int entity_finish_write(struct req *r, struct db *db, int rc, int status)
{
    if (rc) {
        store_rollback(app.store, db);
        if (r->status) {
            return 0; /* the refusal is the response */
        }
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    rc = store_commit(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, status);
}

int entity_finish_read(struct req *r, struct db *db, int rc)
{
    store_release(app.store, db);
    if (rc && r->status) {
        return 0;
    }
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}
