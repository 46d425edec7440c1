/*
** Router internals shared by server.c and the unit tests.
*/
#ifndef ENVGOV_HTTP_ROUTER_H
#define ENVGOV_HTTP_ROUTER_H

#include <stdbool.h>

#include "http/http.h"

struct router {
    struct route *routes;
    size_t n, cap;
};

struct router *router_new(void);
void router_free(struct router *rt);
bool router_match_pattern(const char *pattern, const char *path, struct str *params, int *n_params);
/* Index of the route for method + path, or -1 (method_mismatch set when only the method
   differed, for 405). */
int router_find(const struct router *rt, const char *method, const char *path, struct str *params,
                int *n_params, bool *method_mismatch);

#endif
