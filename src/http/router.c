/*
** Route table: registration and matching of "/a/{x}/b" patterns against request paths.
** Matching is a linear scan over a few hundred routes with segment comparison; it is not
** on the profile next to JSON and SQL work.
*/
#include "http/router.h"

#include <string.h>

#include "core/util.h"

struct router *router_new(void)
{
    return xcalloc(1, sizeof(struct router));
}

void router_free(struct router *rt)
{
    if (rt) {
        free(rt->routes);
        free(rt);
    }
}

void router_add(struct router *rt, const struct route *routes, size_t n)
{
    if (rt->n + n > rt->cap) {
        rt->cap = (rt->n + n) * 2;
        rt->routes = xrealloc(rt->routes, rt->cap * sizeof *rt->routes);
    }
    memcpy(rt->routes + rt->n, routes, n * sizeof *routes);
    rt->n += n;
}

size_t router_count(const struct router *rt)
{
    return rt->n;
}

const struct route *router_get(const struct router *rt, size_t i)
{
    return i < rt->n ? &rt->routes[i] : NULL;
}

/* Match path against pattern; on success fill params (slices into path). */
bool router_match_pattern(const char *pattern, const char *path, struct str *params, int *n_params)
{
    const char *p = pattern, *s = path;
    int n = 0;
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            const char *end = strchr(s, '/');
            if (!close) {
                return false;
            }
            if (!end) {
                end = s + strlen(s);
            }
            if (end == s || n >= REQ_MAX_PARAMS) {
                return false;
            }
            params[n++] = (struct str){s, (size_t)(end - s)};
            p = close + 1;
            s = end;
            continue;
        }
        if (*p != *s) {
            return false;
        }
        p++, s++;
    }
    *n_params = n;
    return *p == 0 && *s == 0;
}

int router_find(const struct router *rt, const char *method, const char *path, struct str *params,
                int *n_params, bool *method_mismatch)
{
    *method_mismatch = false;
    for (size_t i = 0; i < rt->n; i++) {
        const struct route *r = &rt->routes[i];
        if (!router_match_pattern(r->pattern, path, params, n_params)) {
            continue;
        }
        if (!strcmp(r->method, method) || (!strcmp(method, "HEAD") && !strcmp(r->method, "GET"))) {
            return (int)i;
        }
        *method_mismatch = true;
    }
    return -1;
}
