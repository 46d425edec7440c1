/*
** Arena and buf: alignment, packing, huge blocks, reset and reuse, caps and the overflow flag,
** and the JSON/CSV/HTML escaping every response and export relies on. JSON output is checked
** both byte for byte and by parsing it back with jansson.
*/
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"

#define FFFD "\xEF\xBF\xBD"

/* ---- arena ---- */

static void arena_alignment_is_16_for_every_size(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 256);
    for (size_t n = 0; n < 300; n++) {
        void *p = arena_alloc(&a, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
    }
    /* Strings and zeroed blocks come from the same allocator and keep the alignment. */
    assert_int_equal((uintptr_t)arena_strdup(&a, "x") % 16, 0);
    assert_int_equal((uintptr_t)arena_zalloc(&a, 3) % 16, 0);
    assert_int_equal((uintptr_t)arena_printf(&a, "%d", 5) % 16, 0);
    arena_free(&a);
}

static void arena_many_small_allocations_do_not_overlap(void **state)
{
    (void)state;
    enum { N = 5000 };
    static unsigned char *ptr[N];
    struct arena a;
    arena_init(&a, 512);
    size_t expect_total = 0;
    for (int i = 0; i < N; i++) {
        size_t n = (size_t)(i % 41) + 1;
        ptr[i] = arena_alloc(&a, n);
        memset(ptr[i], i & 0xff, n);
        expect_total += (n + 15) & ~(size_t)15;
    }
    /* Every block still holds its own pattern: no allocation was handed out twice. */
    for (int i = 0; i < N; i++) {
        size_t n = (size_t)(i % 41) + 1;
        for (size_t k = 0; k < n; k++) {
            assert_int_equal(ptr[i][k], i & 0xff);
        }
    }
    assert_int_equal(a.total, expect_total);
    arena_free(&a);
    assert_null(a.head);
    assert_int_equal(a.total, 0);
}

static void arena_huge_allocation_gets_its_own_block(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 0);
    assert_int_equal(a.block_size, 8192);
    char *small1 = arena_strdup(&a, "before");
    size_t huge_n = (size_t)32 << 20;
    unsigned char *huge = arena_alloc(&a, huge_n);
    assert_int_equal((uintptr_t)huge % 16, 0);
    memset(huge, 0x5A, huge_n);
    char *small2 = arena_strdup(&a, "after");
    /* Small allocations keep packing around the huge one and nothing overlaps. */
    assert_string_equal(small1, "before");
    assert_string_equal(small2, "after");
    assert_int_equal(huge[0], 0x5A);
    assert_int_equal(huge[huge_n - 1], 0x5A);
    assert_true((unsigned char *)small2 + 6 <= huge || (unsigned char *)small2 >= huge + huge_n);
    arena_free(&a);
}

static void arena_reset_reuses_first_block(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 256);
    unsigned char *first = arena_alloc(&a, 32);
    for (int i = 0; i < 200; i++) {
        memset(arena_alloc(&a, 48), 0xAB, 48);
    }
    arena_reset(&a);
    assert_int_equal(a.total, 0);
    assert_non_null(a.head);
    /* The first block is kept: the next allocation starts where the arena first started. */
    assert_ptr_equal(arena_alloc(&a, 32), first);
    /* zalloc zeroes memory even though the reused block is dirty. */
    unsigned char *z = arena_zalloc(&a, 64);
    for (int i = 0; i < 64; i++) {
        assert_int_equal(z[i], 0);
    }
    arena_free(&a);
}

static struct arena oversized; /* freed by the teardown, also when an assertion fails */

static int free_oversized(void **state)
{
    (void)state;
    arena_free(&oversized);
    return 0;
}

/*
** Bug pin (arena_reset, src/core/arena.c): arena.h promises reset keeps "the first block for
** reuse", but arena_reset keeps the oldest block in list order. An oversized allocation made
** while the first block still has room is slotted *behind* the head, so it becomes the list's
** tail and reset keeps it (here 1 MiB) and frees the default-sized first block. Fails until
** arena_reset keeps the default-sized block.
*/
static void arena_reset_keeps_first_block_after_oversized(void **state)
{
    (void)state;
    struct arena *a = &oversized;
    arena_init(a, 1024);
    unsigned char *first = arena_alloc(a, 16);
    unsigned char *big = arena_alloc(a, 1 << 20);
    memset(big, 1, 1 << 20);
    arena_reset(a);
    assert_ptr_equal(arena_alloc(a, 16), first);
}

static void arena_strings_and_printf(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 256);
    assert_string_equal(arena_strdup(&a, "湖州"), "湖州");
    assert_string_equal(arena_strndup(&a, "长兴县xyz", 9), "长兴县");
    assert_string_equal(arena_strndup(&a, "", 0), "");
    assert_string_equal(arena_printf(&a, "%s-%03d-%.1f", "DW", 7, 2.25), "DW-007-2.2");
    assert_string_equal(arena_printf(&a, "%s", ""), "");
    /* Longer than a block: printf must size the allocation, not the block. */
    char *long_s = arena_printf(&a, "%5000d|%s", 1, "end");
    assert_int_equal(strlen(long_s), 5004);
    assert_string_equal(long_s + 5000, "|end");
    assert_int_equal(long_s[4999], '1');
    arena_free(&a);
}

/* ---- buf ---- */

static void buf_grows_and_stays_terminated(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(b.max, (size_t)64 << 20);
    for (int i = 0; i < 100000; i++) {
        buf_putc(&b, (char)('a' + i % 26));
    }
    assert_int_equal(b.len, 100000);
    assert_true(b.cap >= b.len + 1);
    assert_int_equal(b.p[b.len], 0);
    assert_int_equal(b.p[99999], 'a' + 99999 % 26);
    assert_false(b.overflow);
    buf_printf(&b, "%s=%d", "n", 42);
    assert_string_equal(b.p + 100000, "n=42");
    buf_append(&b, "\0z", 2); /* binary-safe */
    assert_int_equal(b.len, 100006);
    assert_int_equal(b.p[100005], 'z');
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.p, "");
    buf_release(&b);
    assert_null(b.p);
}

static void buf_cap_sets_overflow_and_keeps_content(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 16);
    buf_puts(&b, "0123456789");
    assert_false(b.overflow);
    buf_puts(&b, "abcde"); /* 15 bytes + NUL == cap: still fits */
    assert_false(b.overflow);
    assert_string_equal(b.p, "0123456789abcde");
    buf_putc(&b, 'X'); /* one past */
    assert_true(b.overflow);
    assert_int_equal(b.len, 15);
    assert_string_equal(b.p, "0123456789abcde");
    assert_true(b.cap <= b.max);
    /* Overflow is sticky: later appends, even ones that would fit, are dropped. */
    buf_reset(&b);
    buf_puts(&b, "0123456789");
    buf_puts(&b, "0123456789");
    assert_true(b.overflow);
    buf_puts(&b, "z");
    buf_printf(&b, "%d", 1);
    assert_string_equal(b.p, "0123456789");
    /* reset clears the flag. */
    buf_reset(&b);
    assert_false(b.overflow);
    buf_puts(&b, "ok");
    assert_string_equal(b.p, "ok");
    buf_release(&b);

    buf_init(&b, 8);
    buf_printf(&b, "%s", "123456789");
    assert_true(b.overflow);
    assert_true(b.p == NULL || b.p[0] == 0);
    buf_release(&b);
}

static void buf_steal_detaches(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    size_t n = 99;
    char *empty = buf_steal(&b, &n);
    assert_string_equal(empty, "");
    assert_int_equal(n, 0);
    free(empty);
    buf_puts(&b, "排污许可");
    char *s = buf_steal(&b, &n);
    assert_string_equal(s, "排污许可");
    assert_int_equal(n, strlen("排污许可"));
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    free(s);
    buf_release(&b);
}

static void check_json_roundtrip(const char *in, size_t n)
{
    struct buf b;
    buf_init(&b, 0);
    buf_json_str(&b, in, n);
    json_error_t e;
    json_t *j = json_loadb(b.p, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    assert_non_null(j);
    assert_true(json_is_string(j));
    assert_int_equal(json_string_length(j), n);
    assert_memory_equal(json_string_value(j), in, n);
    json_decref(j);
    buf_release(&b);
}

static void json_escaping(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    const char in[] = "a\"b\\c\n\r\t\x01\x1f/\x7f";
    buf_json_str(&b, in, sizeof in - 1);
    assert_string_equal(b.p, "\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u001f/\x7f\"");
    buf_reset(&b);
    buf_json_str(&b, "", 0);
    assert_string_equal(b.p, "\"\"");
    buf_reset(&b);
    /* n is honoured: an embedded NUL is escaped, not a terminator. */
    buf_json_str(&b, "a\0b", 3);
    assert_string_equal(b.p, "\"a\\u0000b\"");
    buf_release(&b);

    check_json_roundtrip(in, sizeof in - 1);
    check_json_roundtrip("a\0b", 3);
}

static void json_utf8_passes_and_invalid_becomes_fffd(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    /* Valid Chinese (3-byte), 2-byte and 4-byte sequences pass through unchanged. */
    const char *valid = "浙江省湖州市长兴县 ©é 𠀀😀";
    buf_json_str(&b, valid, strlen(valid));
    assert_int_equal(b.len, strlen(valid) + 2);
    assert_memory_equal(b.p + 1, valid, strlen(valid));
    check_json_roundtrip(valid, strlen(valid));

    struct {
        const char *in, *out;
    } cases[] = {
        {"\xff", "\"" FFFD "\""},          {"长\xff兴", "\"长" FFFD "兴\""},
        {"\x80", "\"" FFFD "\""},          /* lone continuation byte */
        {"\xc0\xaf", "\"" FFFD FFFD "\""}, /* overlong '/' */
        {"ok\xe9", "\"ok" FFFD "\""},      /* truncated at the end */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_reset(&b);
        buf_json_str(&b, cases[i].in, strlen(cases[i].in));
        assert_string_equal(b.p, cases[i].out);
    }
    /* Surrogates, code points past U+10FFFF and a truncated sequence: whatever the number of
       replacement characters, the result is valid JSON holding no raw invalid byte. */
    const char *bad[] = {"\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe9\x95", "a\xf0\x9f\x98"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        buf_reset(&b);
        buf_json_str(&b, bad[i], strlen(bad[i]));
        json_t *j = json_loads(b.p, JSON_DECODE_ANY, NULL);
        assert_non_null(j);
        assert_non_null(strstr(json_string_value(j), FFFD));
        json_decref(j);
    }
    buf_release(&b);
}

/*
** Bug pin (buf_json_str, src/core/buf.c): it reserves the worst case (6 bytes per input byte)
** up front, so a string whose escaped form fits under the cap still sets .overflow and is
** dropped. buf.h: "an append past it sets .overflow"; 12 bytes into an empty buf capped at 32
** is not past it. Fails until buf_json_str only overflows when the real output does not fit.
*/
static void json_str_that_fits_does_not_overflow(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 32);
    buf_json_str(&b, "abcdefghij", 10);
    assert_false(b.overflow);
    assert_non_null(b.p);
    assert_string_equal(b.p, "\"abcdefghij\"");
    buf_release(&b);
}

static void json_str_past_cap_overflows(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 32);
    buf_puts(&b, "[");
    buf_json_str(&b, "0123456789012345678901234567890123456789", 40);
    assert_true(b.overflow);
    assert_string_equal(b.p, "[");
    buf_release(&b);
}

static void json_numbers(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    const double v[] = {30.5, -0.000001, 12, 1e20, 0, -0.0, 0.1 + 0.2, 12345.125, 1e-7};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        buf_number(&b, v[i]);
        buf_putc(&b, ' ');
    }
    buf_number(&b, NAN);
    buf_putc(&b, ' ');
    buf_number(&b, -INFINITY);
    assert_string_equal(b.p, "30.5 -0.000001 12 1e+20 0 0 0.3 12345.125 1e-07 null null");
    buf_release(&b);
}

static void csv_quoting(void **state)
{
    (void)state;
    struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "plain"},
        {"", ""},
        {"长兴县", "长兴县"},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"\"", "\"\"\"\""},
        {"line1\nline2", "\"line1\nline2\""},
        {"cr\r", "\"cr\r\""},
        {" lead", "\" lead\""},
        {"trail ", "\"trail \""},
        {"in side", "in side"},
    };
    struct buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_reset(&b);
        buf_csv_field(&b, cases[i].in, strlen(cases[i].in));
        assert_string_equal(b.p ? b.p : "", cases[i].out);
    }
    buf_release(&b);
}

static void html_escaping(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    buf_html(&b, "<a href='x' title=\"t\">&</a>", 27);
    assert_string_equal(b.p, "&lt;a href=&#39;x&#39; title=&quot;t&quot;&gt;&amp;&lt;/a&gt;");
    buf_reset(&b);
    buf_html(&b, "长兴 & 湖州", strlen("长兴 & 湖州"));
    assert_string_equal(b.p, "长兴 &amp; 湖州");
    buf_reset(&b);
    buf_html(&b, "no-op", 5);
    assert_string_equal(b.p, "no-op");
    buf_release(&b);
}

/* A prefix of N characters never ends inside one; invalid bytes count as one each. */
static void utf8_prefixes(void **state)
{
    (void)state;
    assert_int_equal(utf8_prefix("", 5), 0);
    assert_int_equal(utf8_prefix("abc", 2), 2);
    assert_int_equal(utf8_prefix("abc", 10), 3);
    assert_int_equal(utf8_prefix("湖州市", 2), 6);
    assert_int_equal(utf8_prefix("a湖\xf0\x9f\x8c\x8f"
                                 "b",
                                 3),
                     8);
    assert_int_equal(utf8_prefix("\xff\xfe湖", 2), 2);
    assert_int_equal(utf8_prefix("湖\xe6\xb9", 2), 4); /* a cut sequence: one byte at a time */
    assert_int_equal(utf8_prefix("湖州", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_alignment_is_16_for_every_size),
        cmocka_unit_test(arena_many_small_allocations_do_not_overlap),
        cmocka_unit_test(arena_huge_allocation_gets_its_own_block),
        cmocka_unit_test(arena_reset_reuses_first_block),
        cmocka_unit_test_teardown(arena_reset_keeps_first_block_after_oversized, free_oversized),
        cmocka_unit_test(arena_strings_and_printf),
        cmocka_unit_test(buf_grows_and_stays_terminated),
        cmocka_unit_test(buf_cap_sets_overflow_and_keeps_content),
        cmocka_unit_test(buf_steal_detaches),
        cmocka_unit_test(json_escaping),
        cmocka_unit_test(json_utf8_passes_and_invalid_becomes_fffd),
        cmocka_unit_test(json_str_that_fits_does_not_overflow),
        cmocka_unit_test(json_str_past_cap_overflows),
        cmocka_unit_test(json_numbers),
        cmocka_unit_test(csv_quoting),
        cmocka_unit_test(html_escaping),
        cmocka_unit_test(utf8_prefixes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
