/*
** The fonts documents are set in. Noto Serif CJK SC (fonts-noto-cjk) holds 65,535 glyphs in a
** 23 MB CFF table, and cairo copies and parses that whole table for every PDF it embeds a
** subset of: two thirds of the time of a letter went there. So on first use the renderer makes
** its own smaller faces — Regular and Bold cut down with hb-subset to ASCII, the punctuation
** and symbols of CJK text and the 6,763 hanzi of GB 2312 (4.7 MB each) — caches them as files
** in a directory the caller names (DATA/cache/fonts for the server), and serves pango a private
** fontconfig set: the cut Serif faces first, then the full Noto Sans CJK SC for any character
** they lack (a rare character in a name comes out in Sans rather than as an empty box). Without
** a cache directory, or when any step fails, the system's fonts are used as they are: slower,
** the same text. Only this file includes fontconfig and harfbuzz.
*/
#include "documents/fonts.h"

#include <errno.h>
#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <hb-subset.h>
#include <hb.h>
#include <iconv.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

/* The system file and face index of the best match for pattern ("Noto Serif CJK SC:bold"). */
static bool font_file(const char *pattern, char *path, size_t cap, int *index)
{
    FcPattern *p = FcNameParse((const FcChar8 *)pattern);
    FcConfigSubstitute(NULL, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult res;
    FcPattern *m = FcFontMatch(NULL, p, &res);
    FcChar8 *file = NULL, *family = NULL;
    bool ok = m && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
              FcPatternGetString(m, FC_FAMILY, 0, &family) == FcResultMatch &&
              FcPatternGetInteger(m, FC_INDEX, 0, index) == FcResultMatch &&
              !strncmp((const char *)family, pattern, strcspn(pattern, ":"));
    if (ok) {
        snprintf(path, cap, "%s", (const char *)file);
    }
    FcPatternDestroy(p);
    if (m) {
        FcPatternDestroy(m);
    }
    return ok;
}

/* ASCII, general and CJK punctuation, full-width forms, and every hanzi of GB 2312. */
static void add_unicodes(hb_set_t *u)
{
    hb_set_add_range(u, 0x20, 0x7e);
    hb_set_add_range(u, 0xa0, 0xff);
    hb_set_add_range(u, 0x2000, 0x206f); /* general punctuation: — “ ” … */
    hb_set_add_range(u, 0x2100, 0x22ff); /* letterlike symbols, arrows, maths: ℃ № → ≤ */
    hb_set_add_range(u, 0x2460, 0x24ff); /* enclosed numbers ① */
    hb_set_add_range(u, 0x3000, 0x303f); /* CJK punctuation: 、。〔〕《》 */
    hb_set_add_range(u, 0xff00, 0xffef); /* full-width forms: ，：（） */
    iconv_t cd = iconv_open("UTF-32LE", "GB2312");
    if (cd == (iconv_t)-1) {
        return;
    }
    for (int hi = 0xa1; hi <= 0xf7; hi++) {
        for (int lo = 0xa1; lo <= 0xfe; lo++) {
            char in[2] = {(char)hi, (char)lo}, out[4];
            char *ip = in, *op = out;
            size_t il = 2, ol = 4;
            if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && ol == 0) {
                uint32_t c;
                memcpy(&c, out, 4);
                hb_set_add(u, c);
            }
        }
    }
    iconv_close(cd);
}

static bool write_file(const char *path, const char *data, unsigned len)
{
    char tmp[1300];
    snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0640);
    if (fd < 0) {
        return false;
    }
    bool ok = write(fd, data, len) == (ssize_t)len;
    ok = !close(fd) && ok && !rename(tmp, path);
    if (!ok) {
        unlink(tmp);
    }
    return ok;
}

/* Make (once) the cut face of src[index] as out; the name carries the source's size and mtime,
   so an upgraded font package gets new faces. */
static bool cut_face(const char *src, int index, const char *dir, const char *tag, char *out,
                     size_t cap)
{
    struct stat st;
    if (stat(src, &st)) {
        return false;
    }
    snprintf(out, cap, "%s/%s-%lld-%lld-%d.otf", dir, tag, (long long)st.st_size,
             (long long)st.st_mtime, index);
    if (access(out, R_OK) == 0) {
        return true;
    }
    hb_blob_t *blob = hb_blob_create_from_file(src);
    hb_face_t *face = hb_face_create(blob, (unsigned)index);
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    bool ok = false;
    if (in) {
        add_unicodes(hb_subset_input_unicode_set(in));
        hb_face_t *cut = hb_subset_or_fail(face, in);
        if (cut) {
            hb_blob_t *b = hb_face_reference_blob(cut);
            unsigned len;
            const char *data = hb_blob_get_data(b, &len);
            ok = len > 0 && write_file(out, data, len);
            hb_blob_destroy(b);
            hb_face_destroy(cut);
        }
        hb_subset_input_destroy(in);
    }
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return ok;
}

/* The private set: the cut Serif faces, then the full Sans faces for what they lack. */
static FcConfig *private_config(const char *dir)
{
    static const char *const serif[][2] = {{"Noto Serif CJK SC:regular", "serif-regular"},
                                           {"Noto Serif CJK SC:bold", "serif-bold"}};
    static const char *const sans[] = {"Noto Sans CJK SC:regular", "Noto Sans CJK SC:bold"};
    FcConfig *cfg = FcConfigCreate();
    char src[1024], cut[1200];
    int index;
    for (size_t i = 0; i < 2; i++) {
        if (!font_file(serif[i][0], src, sizeof src, &index) ||
            !cut_face(src, index, dir, serif[i][1], cut, sizeof cut) ||
            !FcConfigAppFontAddFile(cfg, (const FcChar8 *)cut)) {
            FcConfigDestroy(cfg);
            return NULL;
        }
    }
    /* Only the SC face of each Sans collection: adding the file would add its JP, KR, TC and
       HK faces too, and the fallback could pick a Japanese glyph shape. */
    FcFontSet *set = FcConfigGetFonts(cfg, FcSetApplication);
    for (size_t i = 0; set && i < 2; i++) {
        int count;
        FcPattern *face = font_file(sans[i], src, sizeof src, &index)
                              ? FcFreeTypeQuery((const FcChar8 *)src, index, NULL, &count)
                              : NULL;
        if (face && !FcFontSetAdd(set, face)) {
            FcPatternDestroy(face);
        }
    }
    return cfg;
}

PangoFontMap *documents_font_map(const char *cache_dir)
{
    PangoFontMap *map = pango_cairo_font_map_new();
    if (!cache_dir || !*cache_dir) {
        return map;
    }
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", cache_dir);
    for (char *p = dir + 1; *p; p++) { /* mkdir -p */
        if (*p == '/') {
            *p = 0;
            mkdir(dir, 0750);
            *p = '/';
        }
    }
    if (mkdir(dir, 0750) && errno != EEXIST) {
        log_warn("documents: cannot create the font cache %s: %s", dir, strerror(errno));
        return map;
    }
    FcConfig *cfg = private_config(dir);
    if (!cfg) {
        log_warn("documents: cannot cut the Noto Serif CJK SC faces into %s; using the system's "
                 "fonts as they are (slower)",
                 dir);
        return map;
    }
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), cfg);
    FcConfigDestroy(cfg); /* the font map holds its own reference */
    return map;
}
