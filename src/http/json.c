/*
** JSON request helpers; see json.h.
*/
#include "http/json.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

int req_json_object(struct req *r, json_t **out)
{
    if (r->body.len == 0) {
        resp_error(r, 400, "invalid", "请求体为空，应为 JSON 对象 / body must be a JSON object",
                   NULL);
        return ERR_INPUT;
    }
    json_error_t e;
    json_t *j = json_loadb(r->body.p, r->body.len, JSON_REJECT_DUPLICATES, &e);
    if (!j || !json_is_object(j)) {
        char *msg = arena_printf(r->a, "JSON 格式错误 / malformed JSON%s%s (line %d, column %d)",
                                 j ? "" : ": ", j ? ": not an object" : e.text, e.line, e.column);
        json_decref(j);
        resp_error(r, 400, "invalid_json", msg, NULL);
        return ERR_INPUT;
    }
    *out = j;
    return 0;
}

int json_get_str(struct req *r, json_t *obj, const char *key, size_t max_len, bool required,
                 const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required) {
            resp_error(r, 422, "required", arena_printf(r->a, "缺少 %s / %s is required", key, key),
                       key);
            return ERR_INPUT;
        }
        return 0;
    }
    if (!json_is_string(v)) {
        resp_error(r, 422, "type",
                   arena_printf(r->a, "%s 应为字符串 / %s must be a string", key, key), key);
        return ERR_INPUT;
    }
    if (json_string_length(v) > max_len) {
        resp_error(r, 422, "too_long",
                   arena_printf(r->a, "%s 过长（最多 %zu 字节）/ %s is too long (max %zu bytes)",
                                key, max_len, key, max_len),
                   key);
        return ERR_INPUT;
    }
    if (required && json_string_length(v) == 0) {
        resp_error(r, 422, "required", arena_printf(r->a, "缺少 %s / %s is required", key, key),
                   key);
        return ERR_INPUT;
    }
    *out = json_string_value(v);
    return 0;
}

void json_kv_str(struct buf *b, const char *key, const char *v, bool comma)
{
    if (comma) {
        buf_putc(b, ',');
    }
    buf_json_str(b, key, strlen(key));
    buf_putc(b, ':');
    if (v) {
        buf_json_str(b, v, strlen(v));
    } else {
        buf_puts(b, "null");
    }
}

void json_kv_int(struct buf *b, const char *key, int64_t v, bool comma)
{
    if (comma) {
        buf_putc(b, ',');
    }
    buf_json_str(b, key, strlen(key));
    buf_printf(b, ":%lld", (long long)v);
}
