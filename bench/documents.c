/*
** PDF notice throughput on one core: the permit-expiry reminder letter rendered (cairo + pango,
** fonts embedded, QR code) and hashed (SHA-256), documents/s. Prints figures; not a test.
**   documents_bench [N] [--out FILE]   (FILE gets the last PDF, to look at)
** NO_CUT=1 renders with the system's full Noto faces instead of the cut ones (fonts.c).
*/
#include "documents/documents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int render_one(int i, struct buf *pdf, char sha[65])
{
    const struct doc_kind *k = documents_kind("permit_reminder");
    char number[96], url[128], permit[64];
    documents_number("湖环", k->series, 2026, i + 1, number, sizeof number);
    snprintf(url, sizeof url, "http://127.0.0.1:8080/verify/bench%08dAbCdEfGhIjKl", i);
    snprintf(permit, sizeof permit, "91330522MA2B%06dX001P", i);
    struct doc_field f[] = {{"permit_number", permit},
                            {"valid_to", "2027年1月20日"},
                            {"days_left", "48"},
                            {"org_unit", "湖州市生态环境局"}};
    struct buf text[8];
    const char *paras[8];
    for (size_t j = 0; j < k->n_paragraphs; j++) {
        buf_init(&text[j], 0);
        documents_fill(k->paragraphs[j], f, 4, &text[j]);
        paras[j] = text[j].p;
    }
    struct doc_content c = {"湖州市生态环境局",
                            number,
                            k->title,
                            "湖州新永电池有限公司",
                            paras,
                            k->n_paragraphs,
                            "湖州市生态环境局",
                            "2026年12月3日",
                            url,
                            NULL};
    char err[256];
    int rc = documents_render(&c, pdf, err, sizeof err);
    for (size_t j = 0; j < k->n_paragraphs; j++) {
        buf_release(&text[j]);
    }
    if (rc) {
        fprintf(stderr, "render: %s\n", err);
        return rc;
    }
    sha256_hex(pdf->p, pdf->len, sha);
    return 0;
}

int main(int argc, char **argv)
{
    int n = 300;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc) {
            out = argv[++i];
        } else {
            n = (int)strtol(argv[i], NULL, 10);
        }
    }
    util_init();
    char cache[] = "/tmp/envgov-bench-fonts-XXXXXX";
    if (!getenv("NO_CUT") && mkdtemp(cache)) {
        documents_font_cache(cache); /* as the server does, in DATA/cache/fonts */
    }
    struct buf pdf;
    buf_init(&pdf, 16 << 20);
    char sha[65];
    double t0 = now();
    if (render_one(0, &pdf, sha)) { /* the first loads the fonts */
        return 1;
    }
    double first = now() - t0;
    size_t bytes = 0;
    t0 = now();
    for (int i = 0; i < n; i++) {
        buf_reset(&pdf);
        if (render_one(i, &pdf, sha)) {
            return 1;
        }
        bytes += pdf.len;
    }
    double dt = now() - t0;
    printf("documents: first (font load%s) %.1f ms\n",
           getenv("NO_CUT") ? "" : ", cutting the faces", first * 1000);
    printf("documents: %d letters rendered + hashed in %.2f s: %.0f documents/s on one core, "
           "%.1f ms each, %.0f KB each\n",
           n, dt, n / dt, dt / n * 1000, bytes / (double)n / 1024);
    if (out) {
        FILE *f = fopen(out, "wb");
        if (!f || fwrite(pdf.p, 1, pdf.len, f) != pdf.len || fclose(f)) {
            fprintf(stderr, "cannot write %s\n", out);
            return 1;
        }
    }
    buf_release(&pdf);
    return 0;
}
