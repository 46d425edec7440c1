/*
** Route matching (exact paths, {param} segments, registration order, 405 detection, HEAD as
** GET), listen addresses and role names.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "http/router.h"
#include "http/server.h"

static int noop(struct req *r)
{
    (void)r;
    return 0;
}

static const struct route routes[] = {
    {"GET", "/api/v1/enterprises", ROLES_ANY, noop, 0, ""},                    /* 0 */
    {"POST", "/api/v1/enterprises", ROLES_ANY, noop, 0, ""},                   /* 1 */
    {"GET", "/api/v1/enterprises/export", ROLES_ANY, noop, 0, ""},             /* 2 */
    {"GET", "/api/v1/enterprises/{id}", ROLES_ANY, noop, 0, ""},               /* 3 */
    {"PATCH", "/api/v1/enterprises/{id}", ROLES_ANY, noop, 0, ""},             /* 4 */
    {"GET", "/api/v1/enterprises/{id}/outlets/{oid}", ROLES_ANY, noop, 0, ""}, /* 5 */
    {"POST", "/api/v1/login", ROLES_ANY, noop, RF_PUBLIC, ""},                 /* 6 */
    {"GET", "/", ROLES_ANY, noop, RF_PUBLIC, ""},                              /* 7 */
};

static struct router *RT;

static int setup(void **state)
{
    (void)state;
    RT = router_new();
    router_add(RT, routes, ARRAY_LEN(routes));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    router_free(RT);
    return 0;
}

static int find(const char *method, const char *path, struct str *p, int *n, bool *mismatch)
{
    return router_find(RT, method, path, p, n, mismatch);
}

static void pattern_exact_and_params(void **state)
{
    (void)state;
    struct str p[REQ_MAX_PARAMS];
    int n = -1;
    assert_true(router_match_pattern("/api/v1/login", "/api/v1/login", p, &n));
    assert_int_equal(n, 0);
    assert_false(router_match_pattern("/api/v1/login", "/api/v1/login/", p, &n));
    assert_false(router_match_pattern("/api/v1/login/", "/api/v1/login", p, &n));
    assert_false(router_match_pattern("/api/v1/login", "/api/v1/logins", p, &n));
    assert_false(router_match_pattern("/api/v1/login", "/api/v1/log", p, &n));
    assert_false(router_match_pattern("/api/v1/login", "/API/v1/login", p, &n));

    assert_true(router_match_pattern("/a/{id}/b/{x}", "/a/42/b/长兴", p, &n));
    assert_int_equal(n, 2);
    assert_int_equal(p[0].len, 2);
    assert_memory_equal(p[0].p, "42", 2);
    assert_int_equal(p[1].len, strlen("长兴"));
    assert_memory_equal(p[1].p, "长兴", p[1].len);

    /* A parameter never spans a '/' and is never empty. */
    assert_false(router_match_pattern("/a/{id}", "/a/1/2", p, &n));
    assert_false(router_match_pattern("/a/{id}", "/a/", p, &n));
    assert_false(router_match_pattern("/a/{id}", "/a", p, &n));
    assert_false(router_match_pattern("/a/{id}/b", "/a//b", p, &n));
    assert_false(router_match_pattern("/a/{id}/b", "/a/1/", p, &n));
}

static void pattern_param_limit(void **state)
{
    (void)state;
    struct str p[REQ_MAX_PARAMS + 2];
    int n = -1;
    assert_int_equal(REQ_MAX_PARAMS, 4);
    assert_true(router_match_pattern("/{a}/{b}/{c}/{d}", "/1/2/3/4", p, &n));
    assert_int_equal(n, 4);
    assert_memory_equal(p[3].p, "4", 1);
    /* One more than req.params can hold is refused, not written past the array. */
    assert_false(router_match_pattern("/{a}/{b}/{c}/{d}/{e}", "/1/2/3/4/5", p, &n));
}

static void find_exact_and_params(void **state)
{
    (void)state;
    struct str p[REQ_MAX_PARAMS];
    int n;
    bool mismatch = true;
    assert_int_equal(find("GET", "/api/v1/enterprises", p, &n, &mismatch), 0);
    assert_false(mismatch);
    assert_int_equal(n, 0);
    assert_int_equal(find("POST", "/api/v1/enterprises", p, &n, &mismatch), 1);
    assert_int_equal(find("GET", "/", p, &n, &mismatch), 7);
    assert_int_equal(find("GET", "/api/v1/enterprises/42", p, &n, &mismatch), 3);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].len, 2);
    assert_memory_equal(p[0].p, "42", 2);
    assert_int_equal(find("PATCH", "/api/v1/enterprises/42", p, &n, &mismatch), 4);
    assert_int_equal(find("GET", "/api/v1/enterprises/7/outlets/9", p, &n, &mismatch), 5);
    assert_int_equal(n, 2);
    assert_memory_equal(p[0].p, "7", 1);
    assert_memory_equal(p[1].p, "9", 1);
}

static void find_static_before_param(void **state)
{
    (void)state;
    struct str p[REQ_MAX_PARAMS];
    int n;
    bool mismatch;
    /* "export" is registered before "{id}", so it wins; other values fall to {id}. */
    assert_int_equal(find("GET", "/api/v1/enterprises/export", p, &n, &mismatch), 2);
    assert_int_equal(n, 0);
    assert_int_equal(find("GET", "/api/v1/enterprises/exports", p, &n, &mismatch), 3);
    /* PATCH has no static route: /export is then an {id} like any other. */
    assert_int_equal(find("PATCH", "/api/v1/enterprises/export", p, &n, &mismatch), 4);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].len, 6);

    /* Registration order is the rule: with {id} first the parameter route wins. */
    static const struct route reversed[] = {
        {"GET", "/api/v1/enterprises/{id}", ROLES_ANY, noop, 0, ""},
        {"GET", "/api/v1/enterprises/export", ROLES_ANY, noop, 0, ""},
    };
    struct router *rt = router_new();
    router_add(rt, reversed, ARRAY_LEN(reversed));
    assert_int_equal(router_find(rt, "GET", "/api/v1/enterprises/export", p, &n, &mismatch), 0);
    router_free(rt);
}

static void find_misses_and_405(void **state)
{
    (void)state;
    struct str p[REQ_MAX_PARAMS];
    int n;
    bool mismatch = false;
    /* Path matches, method does not: -1 with the 405 flag. */
    assert_int_equal(find("DELETE", "/api/v1/enterprises/42", p, &n, &mismatch), -1);
    assert_true(mismatch);
    assert_int_equal(find("GET", "/api/v1/login", p, &n, &mismatch), -1);
    assert_true(mismatch);
    assert_int_equal(find("POST", "/api/v1/enterprises/export", p, &n, &mismatch), -1);
    assert_true(mismatch);
    assert_int_equal(find("get", "/api/v1/enterprises", p, &n, &mismatch), -1);
    assert_true(mismatch);
    /* The flag is reset by every call. */
    assert_int_equal(find("GET", "/api/v1/enterprises", p, &n, &mismatch), 0);
    assert_false(mismatch);

    /* No path match at all: -1 without the flag (404). */
    mismatch = true;
    assert_int_equal(find("GET", "/api/v1/enterprises/", p, &n, &mismatch), -1);
    assert_false(mismatch);
    mismatch = true;
    assert_int_equal(find("DELETE", "/api/v1/enterprises/", p, &n, &mismatch), -1);
    assert_false(mismatch);
    assert_int_equal(find("GET", "/api/v1/enterprises//outlets/9", p, &n, &mismatch), -1);
    assert_false(mismatch);
    assert_int_equal(find("GET", "/api/v1/enterprises/42/", p, &n, &mismatch), -1);
    assert_false(mismatch);
    assert_int_equal(find("GET", "/api/v1/enterprisesx", p, &n, &mismatch), -1);
    assert_int_equal(find("GET", "/api/v1/enterprises/1/outlets/2/x", p, &n, &mismatch), -1);
    assert_int_equal(find("GET", "", p, &n, &mismatch), -1);
    assert_false(mismatch);
}

static void find_head_as_get(void **state)
{
    (void)state;
    struct str p[REQ_MAX_PARAMS];
    int n;
    bool mismatch;
    assert_int_equal(find("HEAD", "/api/v1/enterprises/42", p, &n, &mismatch), 3);
    assert_int_equal(n, 1);
    assert_int_equal(find("HEAD", "/", p, &n, &mismatch), 7);
    /* HEAD does not stand in for anything but GET. */
    assert_int_equal(find("HEAD", "/api/v1/login", p, &n, &mismatch), -1);
    assert_true(mismatch);
    /* GET does not match a HEAD-only route the other way round. */
    static const struct route head_only[] = {{"HEAD", "/ping", ROLES_ANY, noop, 0, ""}};
    struct router *rt = router_new();
    router_add(rt, head_only, 1);
    assert_int_equal(router_find(rt, "GET", "/ping", p, &n, &mismatch), -1);
    assert_true(mismatch);
    assert_int_equal(router_find(rt, "HEAD", "/ping", p, &n, &mismatch), 0);
    router_free(rt);
}

static void router_growth_and_listing(void **state)
{
    (void)state;
    struct router *rt = router_new();
    assert_int_equal(router_count(rt), 0);
    assert_null(router_get(rt, 0));
    for (int i = 0; i < 50; i++) {
        router_add(rt, routes, ARRAY_LEN(routes));
    }
    assert_int_equal(router_count(rt), 50 * ARRAY_LEN(routes));
    const struct route *last = router_get(rt, router_count(rt) - 1);
    assert_non_null(last);
    assert_string_equal(last->pattern, "/");
    assert_null(router_get(rt, router_count(rt)));
    router_free(rt);
    router_free(NULL);
}

static void listen_addresses(void **state)
{
    (void)state;
    char addr[64];
    int port = -1;
    assert_int_equal(http_parse_listen("8080", addr, sizeof addr, &port), 0);
    assert_string_equal(addr, "127.0.0.1");
    assert_int_equal(port, 8080);
    assert_int_equal(http_parse_listen(":8081", addr, sizeof addr, &port), 0);
    assert_string_equal(addr, "127.0.0.1");
    assert_int_equal(port, 8081);
    assert_int_equal(http_parse_listen("0.0.0.0:80", addr, sizeof addr, &port), 0);
    assert_string_equal(addr, "0.0.0.0");
    assert_int_equal(port, 80);
    assert_int_equal(http_parse_listen("[::1]:9", addr, sizeof addr, &port), 0);
    assert_string_equal(addr, "::1");
    assert_int_equal(port, 9);
    assert_int_equal(http_parse_listen("[::]:65535", addr, sizeof addr, &port), 0);
    assert_string_equal(addr, "::");
    assert_int_equal(port, 65535);
    assert_int_equal(http_parse_listen("127.0.0.1:0", addr, sizeof addr, &port), 0);
    assert_int_equal(port, 0);

    const char *bad[] = {"",      "abc",   "host:",         "host:99999", "x:abc",
                         "65536", "-1",    "1.2.3.4:-1",    "[::1]",      "80 ",
                         " 80",   "8080x", "1.2.3.4:8080/", "[::1]:",     ":"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        port = -7;
        assert_int_not_equal(http_parse_listen(bad[i], addr, sizeof addr, &port), 0);
    }
    /* An address longer than the caller's buffer is refused, not truncated. */
    char tiny[8];
    assert_int_equal(http_parse_listen("192.168.100.200:80", tiny, sizeof tiny, &port), ERR_INPUT);
}

static void role_names(void **state)
{
    (void)state;
    const char *names[] = {"admin", "leader",  "approver", "inspector",
                           "legal", "monitor", "service",  "enterprise"};
    unsigned seen = 0;
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        unsigned bit = http_role_bit(names[i]);
        assert_int_not_equal(bit, 0);
        assert_int_equal(bit & (bit - 1), 0); /* exactly one bit */
        assert_int_equal(seen & bit, 0);      /* distinct */
        seen |= bit;
        assert_string_equal(http_role_name(bit), names[i]);
    }
    assert_int_equal(seen, ROLES_ANY);
    assert_int_equal(http_role_bit("inspector"), ROLE_INSPECTOR);
    assert_int_equal(http_role_bit("enterprise"), ROLE_ENTERPRISE);
    assert_string_equal(http_role_name(ROLE_ADMIN), "admin");
    assert_int_equal(http_role_bit("root"), 0);
    assert_int_equal(http_role_bit("Admin"), 0);
    assert_int_equal(http_role_bit(""), 0);
    assert_int_equal(http_role_bit(NULL), 0);
    assert_null(http_role_name(0));
    assert_null(http_role_name(ROLE_ADMIN | ROLE_LEADER));
    /* the bank (quota's pledge loans) is a role outside ROLES_ANY; nothing past it */
    assert_int_equal(http_role_bit("bank"), ROLE_BANK);
    assert_string_equal(http_role_name(ROLE_BANK), "bank");
    assert_int_equal(ROLES_ANY & ROLE_BANK, 0);
    assert_null(http_role_name(1u << 9));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pattern_exact_and_params),
        cmocka_unit_test(pattern_param_limit),
        cmocka_unit_test(find_exact_and_params),
        cmocka_unit_test(find_static_before_param),
        cmocka_unit_test(find_misses_and_405),
        cmocka_unit_test(find_head_as_get),
        cmocka_unit_test(router_growth_and_listing),
        cmocka_unit_test(listen_addresses),
        cmocka_unit_test(role_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
