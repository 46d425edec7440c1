/*
** Documents without a database: the number and date as GB/T 9704-2012 writes them, template
** filling (a missing field stays visible), and one letter rendered to memory — a PDF that
** embeds Noto Serif CJK subsets and whose text (read back with pdftotext) holds the number,
** the addressee, the date and the verify URL. Rendering uses the cut faces (fonts.c) made in a
** temporary cache; a character outside GB 2312 (堃) still comes out, from the Sans fallback.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/err.h"
#include "documents/documents.h"

static void number_format(void **state)
{
    char n[96];
    documents_number("湖环", "罚", 2026, 12, n, sizeof n);
    assert_string_equal(n, "湖环罚〔2026〕12号");
    documents_number("湖环长", "函", 2027, 1, n, sizeof n);
    assert_string_equal(n, "湖环长函〔2027〕1号"); /* 不编虚位: 1, never 01 */
}

static void date_format(void **state)
{
    char d[64];
    assert_int_equal(documents_date_cn("2026-12-03", d, sizeof d), 0);
    assert_string_equal(d, "2026年12月3日");
    assert_int_equal(documents_date_cn("2027-01-20", d, sizeof d), 0);
    assert_string_equal(d, "2027年1月20日");
    assert_int_equal(documents_date_cn("2026-13-01", d, sizeof d), ERR_INPUT);
    assert_int_equal(documents_date_cn("20261203", d, sizeof d), ERR_INPUT);
    assert_int_equal(documents_date_cn(NULL, d, sizeof d), ERR_INPUT);
}

static void fill_fields(void **state)
{
    struct doc_field f[] = {{"a", "甲"}, {"bb", "乙乙"}};
    struct buf b;
    buf_init(&b, 0);
    documents_fill("{a}与{bb}，{missing}；{a}{", f, 2, &b);
    assert_string_equal(b.p, "甲与乙乙，{missing}；甲{");
    buf_release(&b);
}

static void reminder_template_cites_article_14(void **state)
{
    const struct doc_kind *k = documents_kind("permit_reminder");
    assert_non_null(k);
    assert_string_equal(k->series, "函");
    assert_non_null(strstr(k->paragraphs[1], "《排污许可管理条例》第十四条"));
    assert_non_null(strstr(k->paragraphs[1], "应当于排污许可证有效期届满60日前向审批部门提出申请"));
    assert_null(documents_kind("nope"));
}

static char cache[] = "/tmp/envgov-doc-fonts-XXXXXX";

/* Run cmd over the PDF in a temporary file; its output in a static buffer. */
static char *pdf_tool(const char *tool, const struct buf *pdf, const char *tail)
{
    char path[] = "/tmp/envgov-doc-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf->p, pdf->len), (ssize_t)pdf->len);
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "%s %s %s 2>/dev/null", tool, path, tail);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    pclose(f);
    unlink(path);
    return text;
}

static void render_to_memory(void **state)
{
    const char *paras[] = {"经核查，你单位持有的排污许可证有效期至2027年1月20日。", "特此函告。"};
    struct doc_content c = {
        .header = "湖州市生态环境局",
        .number = "湖环函〔2026〕7号",
        .title = "关于排污许可证即将到期的提醒函",
        .addressee = "湖州堃鑫电池有限公司",
        .paragraphs = paras,
        .n_paragraphs = 2,
        .signature = "湖州市生态环境局",
        .date = "2026年12月3日",
        .verify_url = "http://127.0.0.1:8080/verify/abcDEF123_-x",
    };
    struct buf pdf;
    buf_init(&pdf, 8 << 20);
    char err[256];
    assert_int_equal(documents_render(&c, &pdf, err, sizeof err), 0);
    assert_true(pdf.len > 1000);
    assert_memory_equal(pdf.p, "%PDF-", 5);
    assert_non_null(memmem(pdf.p, pdf.len, "NotoSerifCJK", 12)); /* the embedded subset's name */
    assert_non_null(memmem(pdf.p, pdf.len, "/FontFile", 9));
    if (access("/usr/bin/pdftotext", X_OK) == 0) {
        const char *text = pdf_tool("pdftotext -enc UTF-8", &pdf, "-");
        assert_non_null(strstr(text, "湖环函〔2026〕7号"));
        assert_non_null(strstr(text, "湖州堃鑫电池有限公司："));
        assert_non_null(strstr(text, "2026年12月3日"));
        assert_non_null(strstr(text, "/verify/abcDEF123_-x"));
        const char *fonts = pdf_tool("pdffonts", &pdf, "");
        assert_non_null(strstr(fonts, "NotoSerifCJKsc-Regular"));
        assert_non_null(strstr(fonts, "NotoSerifCJKsc-Bold"));
        assert_non_null(strstr(fonts, "NotoSansCJKsc-Regular")); /* 堃, from the SC face */
    }
    /* The cut faces are in the cache, for the next process. */
    char path[256];
    snprintf(path, sizeof path, "ls %s/serif-regular-*.otf %s/serif-bold-*.otf >/dev/null 2>&1",
             cache, cache);
    assert_int_equal(system(path), 0);
    buf_release(&pdf);
}

static void render_refuses_missing_fields_and_overflow(void **state)
{
    struct doc_content c = {.header = "湖州市生态环境局", .number = "湖环函〔2026〕1号"};
    struct buf pdf;
    buf_init(&pdf, 1 << 20);
    char err[256];
    assert_int_equal(documents_render(&c, &pdf, err, sizeof err), ERR_INPUT);
    assert_non_null(strstr(err, "title"));
    c.title = "标题";
    c.addressee = "某公司";
    c.signature = "湖州市生态环境局";
    c.date = "2026年12月3日";
    buf_release(&pdf);
    buf_init(&pdf, 2048); /* far too small for the fonts */
    assert_int_equal(documents_render(&c, &pdf, err, sizeof err), ERR_TOOBIG);
    buf_release(&pdf);
}

int main(void)
{
    if (!mkdtemp(cache)) {
        return 1;
    }
    documents_font_cache(cache);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(number_format),
        cmocka_unit_test(date_format),
        cmocka_unit_test(fill_fields),
        cmocka_unit_test(reminder_template_cites_article_14),
        cmocka_unit_test(render_to_memory),
        cmocka_unit_test(render_refuses_missing_fields_and_overflow),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", cache);
    return system(cmd) ? 1 : rc;
}
