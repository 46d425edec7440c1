/*
** The PostgreSQL backend's rewrite of the shared SQL (no server needed): placeholders ?N become
** $N, LIKE becomes ILIKE, and nothing inside quoted text or identifiers changes.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "store/backend.h"

static void check(const char *in, const char *want, int want_max)
{
    int max = -1;
    char *out = pg_translate(in, &max);
    assert_string_equal(out, want);
    assert_int_equal(max, want_max);
    free(out);
}

static void placeholders_become_dollars(void **state)
{
    (void)state;
    check("SELECT 1", "SELECT 1", 0);
    check("SELECT * FROM t WHERE a = ?1 AND b = ?12 OR c = ?2",
          "SELECT * FROM t WHERE a = $1 AND b = $12 OR c = $2", 12);
    check("INSERT INTO t (a) VALUES (?1) RETURNING id",
          "INSERT INTO t (a) VALUES ($1) RETURNING id", 1);
    /* a bare ? is not a numbered placeholder and is left alone */
    check("SELECT '?' || ?1 || ?", "SELECT '?' || $1 || ?", 1);
}

static void quoted_text_is_untouched(void **state)
{
    (void)state;
    check("SELECT 'a ?1 LIKE b', \"LIKE ?2\" FROM t WHERE x = ?3",
          "SELECT 'a ?1 LIKE b', \"LIKE ?2\" FROM t WHERE x = $3", 3);
    check("SELECT 'it''s ?1' || ?2", "SELECT 'it''s ?1' || $2", 2);
    check("SELECT 'unterminated ?1", "SELECT 'unterminated ?1", 0);
}

static void like_becomes_ilike(void **state)
{
    (void)state;
    check("SELECT 1 FROM t WHERE name LIKE ?1 ESCAPE '\\' AND code NOT LIKE 'a%'",
          "SELECT 1 FROM t WHERE name ILIKE $1 ESCAPE '\\' AND code NOT ILIKE 'a%'", 1);
    check("SELECT 1 WHERE (',' || t.tags || ',') LIKE ?4",
          "SELECT 1 WHERE (',' || t.tags || ',') ILIKE $4", 4);
    /* only the keyword, not a column or function whose name contains it */
    check("SELECT likes, UNLIKE(x), xLIKE FROM t", "SELECT likes, UNLIKE(x), xLIKE FROM t", 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(placeholders_become_dollars),
        cmocka_unit_test(quoted_text_is_untouched),
        cmocka_unit_test(like_becomes_ilike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
