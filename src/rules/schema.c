/*
** A small JSON Schema subset over jansson, for rule-set bodies: type (one name or a list),
** enum, const-free numeric bounds (minimum, maximum), string length and a POSIX extended
** pattern, array items / minItems / maxItems / uniqueItems, object properties / required /
** additionalProperties (false or a schema). Annotations (title, description, title_en, $id,
** $schema, default, examples) are ignored. Debian has no C library for JSON Schema (valijson is
** C++), and this is all the rule sets need; docs/decisions.md says so.
**
** The first error found wins: its JSON path ("$.thresholds[2].minutes") and a message in
** Chinese and English.
*/
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "rules/rules.h"

struct check {
    char *path;
    size_t cap, len;
    char *msg;
    size_t msgcap;
};

static int fail(struct check *c, const char *fmt, const char *a)
{
    snprintf(c->msg, c->msgcap, fmt, a ? a : "");
    return ERR_INPUT;
}

/* Append ".key" (["key"] when key is not a plain name) or "[i]"; returns the old length. */
static size_t path_push_key(struct check *c, const char *key)
{
    size_t old = c->len;
    bool plain = key[0] != 0;
    for (const char *p = key; *p; p++) {
        plain &= (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                 *p == '_';
    }
    int n = snprintf(c->path + c->len, c->cap - c->len, plain ? ".%s" : "[\"%s\"]", key);
    c->len = n > 0 && (size_t)n < c->cap - c->len ? c->len + (size_t)n : c->cap - 1;
    return old;
}

static size_t path_push_index(struct check *c, size_t i)
{
    size_t old = c->len;
    int n = snprintf(c->path + c->len, c->cap - c->len, "[%zu]", i);
    c->len = n > 0 && (size_t)n < c->cap - c->len ? c->len + (size_t)n : c->cap - 1;
    return old;
}

static void path_pop(struct check *c, size_t old)
{
    c->len = old;
    c->path[old] = 0;
}

static bool type_is(const json_t *v, const char *t)
{
    if (!strcmp(t, "object")) {
        return json_is_object(v);
    } else if (!strcmp(t, "array")) {
        return json_is_array(v);
    } else if (!strcmp(t, "string")) {
        return json_is_string(v);
    } else if (!strcmp(t, "integer")) {
        return json_is_integer(v) ||
               (json_is_real(v) && json_real_value(v) == (double)(long long)json_real_value(v));
    } else if (!strcmp(t, "number")) {
        return json_is_number(v);
    } else if (!strcmp(t, "boolean")) {
        return json_is_boolean(v);
    } else if (!strcmp(t, "null")) {
        return json_is_null(v);
    }
    return false;
}

static const char *type_zh(const char *t)
{
    static const char *const names[][2] = {
        {"object", "对象"}, {"array", "数组"},     {"string", "字符串"}, {"integer", "整数"},
        {"number", "数字"}, {"boolean", "布尔值"}, {"null", "null"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!strcmp(names[i][0], t)) {
            return names[i][1];
        }
    }
    return t;
}

static int check_type(struct check *c, const json_t *schema, const json_t *v)
{
    const json_t *t = json_object_get(schema, "type");
    if (json_is_string(t)) {
        const char *name = json_string_value(t);
        if (!type_is(v, name)) {
            snprintf(c->msg, c->msgcap, "应为%s / must be of type %s", type_zh(name), name);
            return ERR_INPUT;
        }
    } else if (json_is_array(t)) {
        size_t i;
        const json_t *e;
        json_array_foreach (t, i, e) {
            if (type_is(v, json_string_value(e) ? json_string_value(e) : "")) {
                return 0;
            }
        }
        return fail(c, "类型不符 / has the wrong type%s", "");
    }
    return 0;
}

static int check_enum(struct check *c, const json_t *schema, const json_t *v)
{
    const json_t *en = json_object_get(schema, "enum");
    if (!json_is_array(en)) {
        return 0;
    }
    size_t i;
    const json_t *e;
    json_array_foreach (en, i, e) {
        if (json_equal(e, v)) {
            return 0;
        }
    }
    char *allowed = json_dumps(en, JSON_COMPACT);
    int rc = fail(c, "不是允许的取值 / must be one of %s", allowed);
    free(allowed);
    return rc;
}

static int check_number(struct check *c, const json_t *schema, const json_t *v)
{
    if (!json_is_number(v)) {
        return 0;
    }
    double x = json_number_value(v);
    const json_t *min = json_object_get(schema, "minimum"),
                 *max = json_object_get(schema, "maximum");
    if (json_is_number(min) && x < json_number_value(min)) {
        snprintf(c->msg, c->msgcap, "不得小于 %g / must be at least %g", json_number_value(min),
                 json_number_value(min));
        return ERR_INPUT;
    }
    if (json_is_number(max) && x > json_number_value(max)) {
        snprintf(c->msg, c->msgcap, "不得大于 %g / must be at most %g", json_number_value(max),
                 json_number_value(max));
        return ERR_INPUT;
    }
    return 0;
}

/* Characters of UTF-8 text (what minLength counts). */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

static int check_string(struct check *c, const json_t *schema, const json_t *v)
{
    if (!json_is_string(v)) {
        return 0;
    }
    const char *s = json_string_value(v);
    size_t n = utf8_chars(s);
    const json_t *lo = json_object_get(schema, "minLength"),
                 *hi = json_object_get(schema, "maxLength");
    if (json_is_integer(lo) && (json_int_t)n < json_integer_value(lo)) {
        snprintf(c->msg, c->msgcap, "至少 %lld 个字符 / must have at least %lld characters",
                 (long long)json_integer_value(lo), (long long)json_integer_value(lo));
        return ERR_INPUT;
    }
    if (json_is_integer(hi) && (json_int_t)n > json_integer_value(hi)) {
        snprintf(c->msg, c->msgcap, "至多 %lld 个字符 / must have at most %lld characters",
                 (long long)json_integer_value(hi), (long long)json_integer_value(hi));
        return ERR_INPUT;
    }
    const char *pat = json_string_value(json_object_get(schema, "pattern"));
    if (pat) {
        regex_t re;
        if (regcomp(&re, pat, REG_EXTENDED | REG_NOSUB)) {
            return fail(c, "规则集模式中的 pattern 无效 / the schema's pattern %s is invalid", pat);
        }
        int m = regexec(&re, s, 0, NULL, 0);
        regfree(&re);
        if (m) {
            return fail(c, "格式不符 / must match %s", pat);
        }
    }
    return 0;
}

static int check_value(struct check *c, const json_t *schema, const json_t *v);

static int check_array(struct check *c, const json_t *schema, const json_t *v)
{
    if (!json_is_array(v)) {
        return 0;
    }
    size_t n = json_array_size(v);
    const json_t *lo = json_object_get(schema, "minItems"),
                 *hi = json_object_get(schema, "maxItems");
    if (json_is_integer(lo) && (json_int_t)n < json_integer_value(lo)) {
        snprintf(c->msg, c->msgcap, "至少 %lld 项 / must have at least %lld items",
                 (long long)json_integer_value(lo), (long long)json_integer_value(lo));
        return ERR_INPUT;
    }
    if (json_is_integer(hi) && (json_int_t)n > json_integer_value(hi)) {
        snprintf(c->msg, c->msgcap, "至多 %lld 项 / must have at most %lld items",
                 (long long)json_integer_value(hi), (long long)json_integer_value(hi));
        return ERR_INPUT;
    }
    const json_t *items = json_object_get(schema, "items");
    bool unique = json_is_true(json_object_get(schema, "uniqueItems"));
    for (size_t i = 0; i < n; i++) {
        size_t old = path_push_index(c, i);
        int rc = json_is_object(items) ? check_value(c, items, json_array_get(v, i)) : 0;
        for (size_t j = 0; !rc && unique && j < i; j++) {
            if (json_equal(json_array_get(v, i), json_array_get(v, j))) {
                snprintf(c->msg, c->msgcap, "与第 %zu 项重复 / repeats item %zu", j, j);
                rc = ERR_INPUT;
            }
        }
        if (rc) {
            return rc;
        }
        path_pop(c, old);
    }
    return 0;
}

static int check_object(struct check *c, const json_t *schema, const json_t *v)
{
    if (!json_is_object(v)) {
        return 0;
    }
    const json_t *props = json_object_get(schema, "properties");
    const json_t *req = json_object_get(schema, "required");
    size_t i;
    const json_t *e;
    json_array_foreach (req, i, e) {
        const char *key = json_string_value(e);
        if (key && !json_object_get(v, key)) {
            path_push_key(c, key);
            return fail(c, "缺少必填项 / is required%s", "");
        }
    }
    const json_t *extra = json_object_get(schema, "additionalProperties");
    const char *key;
    const json_t *val;
    json_object_foreach ((json_t *)v, key, val) {
        const json_t *sub = json_object_get(props, key);
        size_t old = path_push_key(c, key);
        int rc = 0;
        if (sub) {
            rc = check_value(c, sub, val);
        } else if (json_is_false(extra)) {
            rc = fail(c, "不允许的字段 / is not an allowed field%s", "");
        } else if (json_is_object(extra)) {
            rc = check_value(c, extra, val);
        }
        if (rc) {
            return rc;
        }
        path_pop(c, old);
    }
    return 0;
}

static int check_value(struct check *c, const json_t *schema, const json_t *v)
{
    int rc = check_type(c, schema, v);
    if (!rc) {
        rc = check_enum(c, schema, v);
    }
    if (!rc) {
        rc = check_number(c, schema, v);
    }
    if (!rc) {
        rc = check_string(c, schema, v);
    }
    if (!rc) {
        rc = check_array(c, schema, v);
    }
    if (!rc) {
        rc = check_object(c, schema, v);
    }
    return rc;
}

int rules_schema_check(const json_t *schema, const json_t *v, char *path, size_t pathcap, char *msg,
                       size_t msgcap)
{
    struct check c = {path, pathcap, 0, msg, msgcap};
    snprintf(path, pathcap, "$");
    c.len = strlen(path);
    msg[0] = 0;
    return check_value(&c, schema, v);
}
