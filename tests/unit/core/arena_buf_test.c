/*
** Arena and buf: alignment, growth, caps, and the JSON/CSV escaping every response relies on.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"

static void arena_alignment_and_big_blocks(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 256);
    for (int i = 1; i < 2000; i++) {
        char *p = arena_alloc(&a, (size_t)(i % 37) + 1);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, 0xAB, (size_t)(i % 37) + 1);
    }
    char *big = arena_alloc(&a, 1 << 20);
    memset(big, 1, 1 << 20);
    char *small = arena_strdup(&a, "湖州");
    assert_string_equal(small, "湖州");
    assert_string_equal(arena_printf(&a, "%s-%d", "DW", 7), "DW-7");
    arena_reset(&a);
    assert_int_equal(a.total, 0);
    assert_non_null(arena_zalloc(&a, 64));
    arena_free(&a);
}

static void buf_cap_sets_overflow(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 16);
    buf_puts(&b, "0123456789");
    assert_false(b.overflow);
    buf_puts(&b, "0123456789");
    assert_true(b.overflow);
    assert_true(b.len <= 15);
    assert_string_equal(b.p, "0123456789");
    buf_release(&b);
}

static void json_escaping(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    const char in[] = "a\"b\\c\n\x01长兴\xff";
    buf_json_str(&b, in, sizeof in - 1);
    assert_string_equal(b.p, "\"a\\\"b\\\\c\\n\\u0001长兴\xEF\xBF\xBD\"");
    buf_reset(&b);
    buf_number(&b, 30.5);
    buf_putc(&b, ' ');
    buf_number(&b, -0.000001);
    buf_putc(&b, ' ');
    buf_number(&b, 12);
    buf_putc(&b, ' ');
    buf_number(&b, 1e20);
    assert_string_equal(b.p, "30.5 -0.000001 12 1e+20");
    buf_release(&b);
}

static void csv_and_html_escaping(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    buf_csv_field(&b, "plain", 5);
    buf_putc(&b, '|');
    buf_csv_field(&b, "a,b", 3);
    buf_putc(&b, '|');
    buf_csv_field(&b, "say \"hi\"", 8);
    buf_putc(&b, '|');
    buf_csv_field(&b, " lead", 5);
    assert_string_equal(b.p, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\" lead\"");
    buf_reset(&b);
    buf_html(&b, "<a href='x'>&</a>", 17);
    assert_string_equal(b.p, "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_alignment_and_big_blocks),
        cmocka_unit_test(buf_cap_sets_overflow),
        cmocka_unit_test(json_escaping),
        cmocka_unit_test(csv_and_html_escaping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
