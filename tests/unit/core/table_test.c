/*
** CSV and XLSX: parsing edge cases, GB18030 input, caps, and round trips (an exported file
** must re-import unchanged).
*/
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/table.h"

static struct arena A;

static int setup(void **s)
{
    (void)s;
    arena_init(&A, 0);
    return 0;
}

static int teardown(void **s)
{
    (void)s;
    arena_free(&A);
    return 0;
}

static void csv_quotes_and_newlines(void **state)
{
    (void)state;
    const char *in = "\xEF\xBB\xBF"
                     "a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n2,\"line1\nline2\",\r\n\r\n3\n";
    struct table t;
    char err[200];
    assert_int_equal(csv_parse(in, strlen(in), &A, 100, 10, &t, err, sizeof err), 0);
    assert_int_equal(t.n_rows, 4);
    assert_int_equal(t.n_cols, 3);
    assert_string_equal(t.cells[0][0], "a");
    assert_string_equal(t.cells[1][1], "x,y");
    assert_string_equal(t.cells[1][2], "say \"hi\"");
    assert_string_equal(t.cells[2][1], "line1\nline2");
    assert_string_equal(t.cells[2][2], "");
    assert_string_equal(t.cells[3][0], "3");
    assert_string_equal(t.cells[3][2], ""); /* short rows are padded */
}

static void csv_errors_name_the_line(void **state)
{
    (void)state;
    struct table t;
    char err[200];
    const char *wide = "a,b\n1,2\n1,2,3\n";
    assert_int_equal(csv_parse(wide, strlen(wide), &A, 100, 10, &t, err, sizeof err), ERR_INPUT);
    assert_non_null(strstr(err, "line 3"));
    const char *many = "a\n1\n2\n3\n";
    assert_int_equal(csv_parse(many, strlen(many), &A, 3, 10, &t, err, sizeof err), ERR_TOOBIG);
    const char *open = "a\n\"unterminated\n";
    assert_int_equal(csv_parse(open, strlen(open), &A, 100, 10, &t, err, sizeof err), ERR_INPUT);
}

static void csv_gb18030(void **state)
{
    (void)state;
    const char *utf8 = "名称,地区\n湖州印染,长兴县\n";
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    char gb[256], *in = (char *)utf8, *out = gb;
    size_t il = strlen(utf8), ol = sizeof gb;
    assert_int_not_equal(iconv(cd, &in, &il, &out, &ol), (size_t)-1);
    iconv_close(cd);
    struct table t;
    char err[200];
    assert_int_equal(csv_parse(gb, sizeof gb - ol, &A, 100, 10, &t, err, sizeof err), 0);
    assert_string_equal(t.cells[1][0], "湖州印染");
    assert_string_equal(t.cells[1][1], "长兴县");
}

static struct table sample(void)
{
    static char *r0[] = {"统一社会信用代码", "名称", "备注", "编号"};
    static char *r1[] = {"91330522MA2B3C4D57", "湖州\"华鑫\"印染, 有限公司", "", "00123"};
    static char *r2[] = {"913305221234567890", "第二行\n换行", "  前后空格  ", "1.50"};
    static char **rows[] = {r0, r1, r2};
    return (struct table){3, 4, rows};
}

static void assert_same(const struct table *a, const struct table *b)
{
    assert_int_equal(a->n_rows, b->n_rows);
    assert_int_equal(a->n_cols, b->n_cols);
    for (size_t r = 0; r < a->n_rows; r++) {
        for (size_t c = 0; c < a->n_cols; c++) {
            assert_string_equal(a->cells[r][c], b->cells[r][c]);
        }
    }
}

static void csv_round_trip(void **state)
{
    (void)state;
    struct table t = sample(), back;
    struct buf b;
    buf_init(&b, 0);
    csv_write_bom(&b);
    for (size_t r = 0; r < t.n_rows; r++) {
        csv_write_row(&b, (const char *const *)t.cells[r], t.n_cols);
    }
    char err[200];
    assert_int_equal(csv_parse(b.p, b.len, &A, 100, 10, &back, err, sizeof err), 0);
    assert_same(&t, &back);
    buf_release(&b);
}

static void xlsx_round_trip(void **state)
{
    (void)state;
    struct table t = sample(), back;
    struct buf b;
    buf_init(&b, 0);
    char err[200];
    assert_int_equal(xlsx_write_mem(&t, "enterprises", &b, err, sizeof err), 0);
    assert_true(b.len > 100 && !memcmp(b.p, "PK", 2));
    assert_int_equal(xlsx_read(b.p, b.len, &A, 100, 10, &back, err, sizeof err), 0);
    assert_same(&t, &back);
    assert_int_equal(xlsx_read(b.p, b.len, &A, 2, 10, &back, err, sizeof err), ERR_TOOBIG);
    buf_release(&b);
}

static void xlsx_garbage(void **state)
{
    (void)state;
    struct table t;
    char err[200];
    const char junk[] = "PK\x03\x04 this is not really a zip archive at all";
    assert_int_not_equal(xlsx_read(junk, sizeof junk, &A, 100, 10, &t, err, sizeof err), 0);
    assert_int_not_equal(xlsx_read("", 0, &A, 100, 10, &t, err, sizeof err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_quotes_and_newlines),
        cmocka_unit_test(csv_errors_name_the_line),
        cmocka_unit_test(csv_gb18030),
        cmocka_unit_test(csv_round_trip),
        cmocka_unit_test(xlsx_round_trip),
        cmocka_unit_test(xlsx_garbage),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
