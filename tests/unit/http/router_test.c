/*
** Route matching (static before parameter, 405 detection, HEAD as GET), listen addresses and
** role names.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/router.h"
#include "http/server.h"

static int noop(struct req *r)
{
    (void)r;
    return 0;
}

static const struct route routes[] = {
    {"GET", "/api/v1/enterprises", ROLES_ANY, noop, 0, ""},
    {"GET", "/api/v1/enterprises/export", ROLES_ANY, noop, 0, ""},
    {"GET", "/api/v1/enterprises/{id}", ROLES_ANY, noop, 0, ""},
    {"PATCH", "/api/v1/enterprises/{id}", ROLES_ANY, noop, 0, ""},
    {"GET", "/api/v1/enterprises/{id}/outlets/{oid}", ROLES_ANY, noop, 0, ""},
};

static void matching(void **state)
{
    (void)state;
    struct router *rt = router_new();
    router_add(rt, routes, sizeof routes / sizeof routes[0]);
    struct str p[REQ_MAX_PARAMS];
    int n;
    bool mismatch;
    assert_int_equal(router_find(rt, "GET", "/api/v1/enterprises", p, &n, &mismatch), 0);
    assert_int_equal(router_find(rt, "GET", "/api/v1/enterprises/export", p, &n, &mismatch), 1);
    assert_int_equal(router_find(rt, "GET", "/api/v1/enterprises/42", p, &n, &mismatch), 2);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].len, 2);
    assert_memory_equal(p[0].p, "42", 2);
    assert_int_equal(router_find(rt, "PATCH", "/api/v1/enterprises/42", p, &n, &mismatch), 3);
    assert_int_equal(router_find(rt, "HEAD", "/api/v1/enterprises/42", p, &n, &mismatch), 2);
    assert_int_equal(router_find(rt, "GET", "/api/v1/enterprises/7/outlets/9", p, &n, &mismatch),
                     4);
    assert_int_equal(n, 2);
    assert_int_equal(router_find(rt, "DELETE", "/api/v1/enterprises/42", p, &n, &mismatch), -1);
    assert_true(mismatch);
    assert_int_equal(router_find(rt, "GET", "/api/v1/enterprises/", p, &n, &mismatch), -1);
    assert_false(mismatch);
    assert_int_equal(router_find(rt, "GET", "/api/v1/enterprises//outlets/9", p, &n, &mismatch),
                     -1);
    assert_int_equal(router_find(rt, "GET", "/api/v1/enterprisesx", p, &n, &mismatch), -1);
    router_free(rt);
}

static void listen_and_roles(void **state)
{
    (void)state;
    char addr[64];
    int port;
    assert_int_equal(http_parse_listen("8080", addr, sizeof addr, &port), 0);
    assert_string_equal(addr, "127.0.0.1");
    assert_int_equal(port, 8080);
    assert_int_equal(http_parse_listen("0.0.0.0:80", addr, sizeof addr, &port), 0);
    assert_string_equal(addr, "0.0.0.0");
    assert_int_equal(http_parse_listen("[::1]:9", addr, sizeof addr, &port), 0);
    assert_string_equal(addr, "::1");
    assert_int_not_equal(http_parse_listen("host:99999", addr, sizeof addr, &port), 0);
    assert_int_not_equal(http_parse_listen("x:abc", addr, sizeof addr, &port), 0);
    assert_int_equal(http_role_bit("inspector"), ROLE_INSPECTOR);
    assert_string_equal(http_role_name(ROLE_ENTERPRISE), "enterprise");
    assert_int_equal(http_role_bit("root"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(matching),
                                       cmocka_unit_test(listen_and_roles)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
