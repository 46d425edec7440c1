/*
** JSON request bodies (jansson) for handlers: parse with a size check and a clear error,
** and typed field getters that answer 422 naming the field.
*/
#ifndef ENVGOV_HTTP_JSON_H
#define ENVGOV_HTTP_JSON_H

#include <jansson.h>

#include "http/http.h"

/* Parse r->body as a JSON object into *out (caller json_decref). On failure the 400
   response is already set and ERR_INPUT returned. */
int req_json_object(struct req *r, json_t **out);
/* String member: *out points into obj (valid while obj lives); missing → NULL.
   Wrong type or over max_len bytes → 422 naming the field, ERR_INPUT. */
int json_get_str(struct req *r, json_t *obj, const char *key, size_t max_len, bool required,
                 const char **out);
/* Append "key":<value> pairs helpers for hand-built JSON. */
void json_kv_str(struct buf *b, const char *key, const char *v, bool comma);
void json_kv_int(struct buf *b, const char *key, int64_t v, bool comma);

#endif
