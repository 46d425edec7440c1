/*
** The PDF renderer: one official letter on A4 in the GB/T 9704-2012 letter format (信函格式,
** section 10.1) with cairo, pango and libqrencode. The page has the 版心 of 156 × 225 mm
** (左白边 28 mm, 上白边 37 mm) on a fixed grid of 22 lines of 3号 (16 pt) text; the red header
** (发文机关标志) sits 30 mm below the top edge, a red double rule (thick over thin) 4 mm under it
** and another (thin over thick) 20 mm above the bottom edge, both 170 mm long; the document
** number is flush right under the first rule, the title (2号, 22 pt) two lines lower, then the
** addressee, the body, the signature centred over the date (the date four characters from the
** right edge) and the seal area over both; the QR code for 扫码验真 at the foot of the 版心.
**
** Fonts: GB/T 9704 asks for 小标宋 (title, header) and 仿宋 (body), which Debian does not ship;
** Noto Serif CJK SC Bold and Regular (fonts-noto-cjk) stand in, cut down once (fonts.c). Cairo
** embeds the subsets used.
** Rendering is serialised on one mutex: one pango font map serves every call, and pango's
** objects are not meant to be shared between threads.
*/
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "documents/documents.h"
#include "documents/fonts.h"

#define MM(x) ((x)*72.0 / 25.4)
#define PAGE_W MM(210.0)
#define PAGE_H MM(297.0)
#define BOX_X MM(28.0)
#define BOX_Y MM(37.0)
#define BOX_W MM(156.0)
#define BOX_H MM(225.0)
#define BODY_PT 16.0        /* 3号 */
#define TITLE_PT 22.0       /* 2号 */
#define LINE (BOX_H / 22.0) /* the grid: 22 lines in the 版心 */
#define RULE_W MM(170.0)
#define FONT_SERIF "Noto Serif CJK SC"

static const double RED[3] = {0.90, 0.0, 0.07};

static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;
/* Under render_lock, for the life of the process: one font map and one context, so fonts,
   their coverage and the shaped fontsets are loaded once. */
static PangoFontMap *font_map;
static PangoContext *font_ctx;
static char font_cache[1024];

void documents_font_cache(const char *dir)
{
    pthread_mutex_lock(&render_lock);
    if (!font_map) {
        snprintf(font_cache, sizeof font_cache, "%s", dir ? dir : "");
    }
    pthread_mutex_unlock(&render_lock);
}

struct page {
    cairo_t *cr;
    PangoContext *ctx;
    double y; /* top of the next line of text */
    int page_no;
};

static cairo_status_t write_pdf(void *closure, const unsigned char *data, unsigned int len)
{
    struct buf *b = closure;
    buf_append(b, data, len);
    return b->overflow ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static PangoLayout *layout_new(struct page *p, const char *text, double size_pt, bool bold,
                               double width)
{
    PangoLayout *l = pango_layout_new(p->ctx);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, FONT_SERIF);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(fd, size_pt * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_CHAR); /* CJK: any character; long codes too */
    }
    pango_layout_set_text(l, text, -1);
    return l;
}

/* The red double rule across the page at y: thick over thin (top) or thin over thick. */
static void red_rule(cairo_t *cr, double y, bool thick_first)
{
    double x0 = (PAGE_W - RULE_W) / 2, w1 = thick_first ? 1.6 : 0.6, w2 = thick_first ? 0.6 : 1.6;
    cairo_set_source_rgb(cr, RED[0], RED[1], RED[2]);
    cairo_rectangle(cr, x0, y, RULE_W, w1);
    cairo_rectangle(cr, x0, y + w1 + 1.4, RULE_W, w2);
    cairo_fill(cr);
}

static void page_frame(struct page *p)
{
    red_rule(p->cr, PAGE_H - MM(20.0) - 3.6, false);
    if (p->page_no > 1) {
        char no[32];
        snprintf(no, sizeof no, "— %d —", p->page_no);
        PangoLayout *l = layout_new(p, no, 14.0, false, 0);
        int w, h;
        pango_layout_get_pixel_size(l, &w, &h);
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        cairo_move_to(p->cr, BOX_X + BOX_W - MM(7.0) - w, BOX_Y + BOX_H + MM(7.0));
        pango_cairo_show_layout(p->cr, l);
        g_object_unref(l);
    }
}

static void page_break(struct page *p)
{
    cairo_show_page(p->cr);
    p->page_no++;
    p->y = BOX_Y;
    page_frame(p);
}

/* Draw a laid-out block line by line on the grid, breaking pages above the QR code's rows at
   the foot of the 版心. Line positions come from the layout (alignment and indent included). */
static void draw_lines(struct page *p, PangoLayout *l, double x, double pitch)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    do {
        if (p->y + pitch > BOX_Y + BOX_H - MM(24.0)) {
            page_break(p);
            cairo_set_source_rgb(p->cr, 0, 0, 0);
        }
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        /* Baseline low in the grid cell so CJK glyphs sit centred in it. */
        double base = p->y + pitch * 0.5 + BODY_PT * 0.38;
        cairo_move_to(p->cr, x + logical.x / (double)PANGO_SCALE, base);
        pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
        p->y += pitch;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

static void draw_header(struct page *p, const struct doc_content *c)
{
    size_t chars = g_utf8_strlen(c->header, -1);
    double size = chars ? BOX_W / (double)chars * 0.86 : 30.0;
    size = size > 30.0 ? 30.0 : size;
    PangoLayout *l = layout_new(p, c->header, size, true, 0);
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_letter_spacing_new((int)(size * 0.12 * PANGO_SCALE)));
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);
    PangoRectangle ink, logical;
    pango_layout_get_pixel_extents(l, &ink, &logical);
    double top = MM(30.0);
    cairo_set_source_rgb(p->cr, RED[0], RED[1], RED[2]);
    cairo_move_to(p->cr, (PAGE_W - ink.width) / 2 - ink.x, top - ink.y);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
    double rule_y = top + ink.height + MM(4.0);
    red_rule(p->cr, rule_y, true);
    /* The number flush right, 7/8 of a 3号 character's height under the rule. */
    l = layout_new(p, c->number, BODY_PT, false, 0);
    pango_layout_get_pixel_extents(l, &ink, &logical);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_move_to(p->cr, BOX_X + BOX_W - logical.width, rule_y + 4.0 + BODY_PT * 7 / 8 - ink.y);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
    p->y = rule_y + 4.0 + BODY_PT * 7 / 8 + BODY_PT + 2 * LINE;
}

static void draw_title(struct page *p, const struct doc_content *c)
{
    PangoLayout *l = layout_new(p, c->title, TITLE_PT, true, BOX_W - 2 * BODY_PT);
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    draw_lines(p, l, BOX_X + BODY_PT, LINE * 1.15);
    g_object_unref(l);
    p->y += LINE; /* 主送机关: one line under the title */
}

static void draw_body(struct page *p, const struct doc_content *c)
{
    char *to = g_strconcat(c->addressee, "：", NULL);
    PangoLayout *l = layout_new(p, to, BODY_PT, false, BOX_W);
    draw_lines(p, l, BOX_X, LINE);
    g_object_unref(l);
    g_free(to);
    for (size_t i = 0; i < c->n_paragraphs; i++) {
        l = layout_new(p, c->paragraphs[i], BODY_PT, false, BOX_W);
        pango_layout_set_indent(l, (int)(2 * BODY_PT * PANGO_SCALE));
        pango_layout_set_justify(l, TRUE);
        draw_lines(p, l, BOX_X, LINE);
        g_object_unref(l);
    }
}

/* The seal area: a dashed red circle of 42 mm over the signature and date, marked (印章). */
static void draw_seal(struct page *p, double cx, double cy)
{
    cairo_t *cr = p->cr;
    double dash[] = {3.0, 2.5};
    cairo_save(cr);
    cairo_set_source_rgba(cr, RED[0], RED[1], RED[2], 0.55);
    cairo_set_line_width(cr, 0.8);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_new_path(cr);
    cairo_arc(cr, cx, cy, MM(21.0), 0, 2 * G_PI);
    cairo_stroke(cr);
    cairo_restore(cr);
    PangoLayout *l = layout_new(p, "（印章）", 10.0, false, 0);
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    cairo_set_source_rgba(cr, RED[0], RED[1], RED[2], 0.7);
    cairo_move_to(cr, cx - w / 2.0, cy - MM(21.0) + MM(4.0));
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
}

static void draw_signature(struct page *p, const struct doc_content *c)
{
    /* One line under the body, then the signature and the date, right of the QR code: they
       may use the rows beside it. */
    double gap = p->y + 3 * LINE <= BOX_Y + BOX_H ? LINE : 0;
    if (p->y + gap + 2 * LINE > BOX_Y + BOX_H) {
        page_break(p);
    }
    p->y += gap;
    PangoLayout *date = layout_new(p, c->date, BODY_PT, false, 0);
    PangoLayout *sig = layout_new(p, c->signature, BODY_PT, false, 0);
    int dw, dh, sw, sh;
    pango_layout_get_pixel_size(date, &dw, &dh);
    pango_layout_get_pixel_size(sig, &sw, &sh);
    double date_x = BOX_X + BOX_W - 4 * BODY_PT - dw, center = date_x + dw / 2.0;
    double sig_x = center - sw / 2.0;
    if (sig_x + sw > BOX_X + BOX_W) {
        sig_x = BOX_X + BOX_W - sw;
    }
    draw_seal(p, center, p->y + LINE * 0.9);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_move_to(p->cr, sig_x, p->y + (LINE - sh) / 2);
    pango_cairo_show_layout(p->cr, sig);
    cairo_move_to(p->cr, date_x, p->y + LINE + (LINE - dh) / 2);
    pango_cairo_show_layout(p->cr, date);
    g_object_unref(sig);
    g_object_unref(date);
    p->y += 2 * LINE;
    if (c->note) {
        PangoLayout *l = layout_new(p, c->note, BODY_PT, false, BOX_W);
        pango_layout_set_indent(l, (int)(2 * BODY_PT * PANGO_SCALE));
        draw_lines(p, l, BOX_X, LINE);
        g_object_unref(l);
    }
}

/* The QR code at the foot of the 版心 with 扫码验真 and the URL beside it, for people. */
static int draw_qr(struct page *p, const char *url, char *err, size_t errcap)
{
    QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) {
        snprintf(err, errcap, "二维码生成失败 / cannot encode the QR code");
        return ERR_IO;
    }
    double size = MM(22.0), mod = size / q->width;
    double x0 = BOX_X, y0 = BOX_Y + BOX_H - size;
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    for (int y = 0; y < q->width; y++) {
        for (int x = 0; x < q->width; x++) {
            if (q->data[y * q->width + x] & 1) {
                cairo_rectangle(p->cr, x0 + x * mod, y0 + y * mod, mod, mod);
            }
        }
    }
    cairo_fill(p->cr);
    QRcode_free(q);
    PangoLayout *l = layout_new(p, "扫码验真", 10.0, true, 0);
    cairo_move_to(p->cr, x0 + size + MM(3.0), y0 + MM(6.0));
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
    /* The URL on a line of its own, unbroken, so people (and pdftotext) can read it whole. */
    l = layout_new(p, "验真网址：", 7.0, false, 0);
    cairo_move_to(p->cr, x0 + size + MM(3.0), y0 + MM(11.5));
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
    l = layout_new(p, url, 7.0, false, 0);
    cairo_move_to(p->cr, x0 + size + MM(3.0), y0 + MM(15.0));
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
    return 0;
}

static int render_page(struct page *p, const struct doc_content *c, char *err, size_t errcap)
{
    page_frame(p);
    draw_header(p, c);
    draw_title(p, c);
    draw_body(p, c);
    draw_signature(p, c);
    return c->verify_url ? draw_qr(p, c->verify_url, err, errcap) : 0;
}

static int check(const struct doc_content *c, char *err, size_t errcap)
{
    const char *missing = !c->header      ? "header"
                          : !c->number    ? "number"
                          : !c->title     ? "title"
                          : !c->addressee ? "addressee"
                          : !c->signature ? "signature"
                          : !c->date      ? "date"
                                          : NULL;
    if (missing) {
        snprintf(err, errcap, "文书缺少 %s / the document lacks its %s", missing, missing);
        return ERR_INPUT;
    }
    return 0;
}

int documents_render(const struct doc_content *c, struct buf *pdf, char *err, size_t errcap)
{
    int rc = check(c, err, errcap);
    if (rc) {
        return rc;
    }
    pthread_mutex_lock(&render_lock);
    if (!font_map) {
        font_map = documents_font_map(font_cache);
        font_ctx = pango_font_map_create_context(font_map);
    }
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_pdf, pdf, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, c->title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, c->signature);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, c->number);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "envgov");
    struct page p = {.cr = cairo_create(s), .page_no = 1};
    p.ctx = font_ctx;
    pango_cairo_update_context(p.cr, p.ctx);
    rc = render_page(&p, c, err, errcap);
    cairo_destroy(p.cr);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    pthread_mutex_unlock(&render_lock);
    if (!rc && pdf->overflow) {
        snprintf(err, errcap, "文书过大 / the document is too large");
        return ERR_TOOBIG;
    }
    if (!rc && st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errcap, "PDF 生成失败 / cairo: %s", cairo_status_to_string(st));
        return ERR_IO;
    }
    return rc;
}
