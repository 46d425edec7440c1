/*
** The reference code tables shipped in data/codes/ (loaded into the database at start by
** platform/refdata.c): each is strict RFC 4180 CSV in UTF-8 with the expected header, codes
** are unique, every parent exists one level up, and the entries other modules rely on are
** there (the demo's regions and industries, the HJ 212 codes the gateway maps from 2005).
**
** The CSV reader here is deliberately separate from core/csv.c and stricter than it (same
** field count on every row, no stray quotes, no BOM, no padding), so a hand edit that the
** lenient loader would accept still fails here. Runs with the repository root as working
** directory. Standalone:
**   gcc -std=c17 -Wall -Wextra -Isrc tests/unit/registry/codes_test.c -lcmocka
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

enum { MAX_ROWS = 4096, MAX_COLS = 8, MAX_BYTES = 1 << 20 };

struct csv {
    size_t n_rows, n_cols; /* row 0 is the header */
    char *cell[MAX_ROWS][MAX_COLS];
    char text[MAX_BYTES * 2]; /* the unquoted cells, NUL-terminated */
};

static struct csv regions, industries, pollutants;

/* ---- strict RFC 4180 reader ---- */

struct reader {
    const char *p, *end;
    char *out, *out_end;
    size_t line;
    const char *path;
};

static char *put(struct reader *r, char c)
{
    if (r->out >= r->out_end) {
        fail_msg("%s: too large for the test reader", r->path);
    }
    *r->out++ = c;
    return r->out;
}

static int at_eol(const struct reader *r)
{
    return r->p == r->end || *r->p == '\n' ||
           (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n');
}

/* Read one field; leave r->p on the separator (',' or end of line). */
static char *read_field(struct reader *r)
{
    char *start = r->out;
    if (r->p < r->end && *r->p == '"') {
        r->p++;
        for (;;) {
            if (r->p == r->end) {
                fail_msg("%s:%zu: unterminated quoted field", r->path, r->line);
            }
            if (*r->p == '"' && r->p + 1 < r->end && r->p[1] == '"') {
                put(r, '"');
                r->p += 2;
            } else if (*r->p == '"') {
                r->p++;
                break;
            } else {
                r->line += *r->p == '\n';
                put(r, *r->p++);
            }
        }
        if (!(at_eol(r) || *r->p == ',')) {
            fail_msg("%s:%zu: text after a closing quote", r->path, r->line);
        }
    } else {
        while (!at_eol(r) && *r->p != ',') {
            if (*r->p == '"' || *r->p == '\r') {
                fail_msg("%s:%zu: stray quote or CR in an unquoted field", r->path, r->line);
            }
            put(r, *r->p++);
        }
    }
    put(r, '\0');
    return start;
}

/* Well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF), no BOM. */
static void expect_utf8(const unsigned char *s, size_t n, const char *path)
{
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        fail_msg("%s: starts with a byte-order mark", path);
    }
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        unsigned cp = k == 1 ? c : k == 2 ? c & 0x1F : k == 3 ? c & 0x0F : c & 0x07;
        if (k == 0 || i + k > n) {
            fail_msg("%s: invalid UTF-8 at byte %zu", path, i);
        }
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80) {
                fail_msg("%s: invalid UTF-8 at byte %zu", path, i);
            }
            cp = cp << 6 | (s[i + j] & 0x3F);
        }
        static const unsigned min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            fail_msg("%s: invalid UTF-8 at byte %zu", path, i);
        }
        i += k;
    }
}

static void load(struct csv *t, const char *path)
{
    static char raw[MAX_BYTES];
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail_msg("cannot open %s (run from the repository root)", path);
    }
    size_t n = fread(raw, 1, sizeof raw, f);
    fclose(f);
    assert_true(n > 0 && n < sizeof raw);
    expect_utf8((const unsigned char *)raw, n, path);
    if (raw[n - 1] != '\n') {
        fail_msg("%s: the last line has no line ending", path);
    }
    struct reader r = {raw, raw + n, t->text, t->text + sizeof t->text, 1, path};
    t->n_rows = 0;
    while (r.p < r.end) {
        size_t col = 0;
        assert_true(t->n_rows < MAX_ROWS);
        for (;;) {
            char *cell = read_field(&r);
            if (col == MAX_COLS) {
                fail_msg("%s:%zu: more than %d fields", path, r.line, MAX_COLS);
            }
            t->cell[t->n_rows][col++] = cell;
            if (r.p < r.end && *r.p == ',') {
                r.p++;
                continue;
            }
            r.p += r.p < r.end && *r.p == '\r';
            r.p += r.p < r.end && *r.p == '\n';
            break;
        }
        if (t->n_rows == 0) {
            t->n_cols = col;
        } else if (col != t->n_cols) {
            fail_msg("%s:%zu: %zu fields, the header has %zu", path, r.line, col, t->n_cols);
        }
        t->n_rows++;
        r.line++;
    }
}

/* ---- helpers ---- */

static void expect_header(const struct csv *t, const char *const *names, size_t n)
{
    assert_int_equal(t->n_cols, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(t->cell[0][i], names[i]);
    }
}

/* Row index of code (column 0), or 0 when absent. */
static size_t find(const struct csv *t, const char *code)
{
    for (size_t r = 1; r < t->n_rows; r++) {
        if (!strcmp(t->cell[r][0], code)) {
            return r;
        }
    }
    return 0;
}

static void expect_row(const struct csv *t, const char *code, size_t col, const char *want)
{
    size_t r = find(t, code);
    if (!r) {
        fail_msg("code %s is missing", code);
    }
    if (strcmp(t->cell[r][col], want)) {
        fail_msg("code %s: column %zu is \"%s\", want \"%s\"", code, col, t->cell[r][col], want);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Non-empty values of column col are unique; every cell is free of padding. */
static void expect_unique(const struct csv *t, size_t col, const char *what)
{
    static char *v[MAX_ROWS];
    size_t n = 0;
    for (size_t r = 1; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->n_cols; c++) {
            const char *s = t->cell[r][c];
            size_t len = strlen(s);
            if (len && (s[0] == ' ' || s[len - 1] == ' ')) {
                fail_msg("%s row %zu: \"%s\" has surrounding spaces", what, r + 1, s);
            }
        }
        if (t->cell[r][col][0]) {
            v[n++] = t->cell[r][col];
        }
    }
    qsort(v, n, sizeof v[0], cmp_str);
    for (size_t i = 1; i < n; i++) {
        if (!strcmp(v[i - 1], v[i])) {
            fail_msg("%s: \"%s\" appears twice", what, v[i]);
        }
    }
}

static int level_of(const char *s);

/* Every row's parent (column 2) exists and is exactly one level (column 3) up. */
static void expect_tree(const struct csv *t, const char *what)
{
    for (size_t r = 1; r < t->n_rows; r++) {
        const char *code = t->cell[r][0], *parent = t->cell[r][2];
        int level = level_of(t->cell[r][3]);
        assert_true(t->cell[r][1][0] != '\0');
        if (level == 1) {
            assert_string_equal(parent, "");
            continue;
        }
        size_t p = find(t, parent);
        if (!p) {
            fail_msg("%s %s: parent \"%s\" is missing", what, code, parent);
        }
        if (level_of(t->cell[p][3]) != level - 1) {
            fail_msg("%s %s: parent %s is not one level up", what, code, parent);
        }
    }
}

/* The level column: one digit 1-4. */
static int level_of(const char *s)
{
    if (!(s[0] >= '1' && s[0] <= '4' && s[1] == '\0')) {
        fail_msg("level \"%s\" is not 1-4", s);
    }
    return s[0] - '0';
}

static int is_digits(const char *s, size_t n)
{
    if (strlen(s) != n) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

static size_t count_level(const struct csv *t, const char *level, const char *parent_prefix)
{
    size_t n = 0;
    for (size_t r = 1; r < t->n_rows; r++) {
        n += !strcmp(t->cell[r][3], level) &&
             !strncmp(t->cell[r][2], parent_prefix, strlen(parent_prefix));
    }
    return n;
}

/* ---- the tables ---- */

static int setup(void **state)
{
    (void)state;
    load(&regions, "data/codes/regions.csv");
    load(&industries, "data/codes/industries.csv");
    load(&pollutants, "data/codes/pollutants.csv");
    return 0;
}

static void region_codes(void **state)
{
    (void)state;
    static const char *const hdr[] = {"code", "name", "parent_code", "level"};
    expect_header(&regions, hdr, 4);
    expect_unique(&regions, 0, "regions.csv");
    expect_tree(&regions, "region");
    for (size_t r = 1; r < regions.n_rows; r++) {
        const char *code = regions.cell[r][0], *level = regions.cell[r][3];
        if (!is_digits(code, 6)) {
            fail_msg("region code \"%s\" is not 6 digits", code);
        }
        /* GB/T 2260: a province ends in 0000, a prefecture in 00, and a child shares the
           parent's leading digits. */
        char want_parent[7] = "";
        if (!strcmp(level, "2")) {
            snprintf(want_parent, sizeof want_parent, "%.2s0000", code);
            assert_true(!strcmp(code + 4, "00") && strcmp(code + 2, "0000"));
        } else if (!strcmp(level, "3")) {
            snprintf(want_parent, sizeof want_parent, "%.4s00", code);
            assert_true(strcmp(code + 4, "00"));
        } else {
            assert_string_equal(level, "1");
            assert_string_equal(code + 2, "0000");
        }
        assert_string_equal(regions.cell[r][2], want_parent);
    }
    assert_int_equal(count_level(&regions, "1", ""), 31);
    assert_int_equal(count_level(&regions, "2", "330000"), 11);
    /* Zhejiang: 37 districts, 20 county-level cities, 33 counties. */
    assert_int_equal(count_level(&regions, "3", "33"), 90);
    expect_row(&regions, "330522", 1, "长兴县");
    expect_row(&regions, "330500", 1, "湖州市");
    expect_row(&regions, "330383", 1, "龙港市");
    expect_row(&regions, "330113", 1, "临平区");
    expect_row(&regions, "330114", 1, "钱塘区");
    expect_row(&regions, "331127", 1, "景宁畲族自治县");
    expect_row(&regions, "650000", 1, "新疆维吾尔自治区");
    /* Abolished in Hangzhou's 2021 redistricting. */
    assert_int_equal(find(&regions, "330103"), 0);
    assert_int_equal(find(&regions, "330104"), 0);
    /* Every region the demo generator and its agencies use. */
    static const char *const demo[] = {"330502", "330503", "330521", "330522", "330523",
                                       "330106", "330110", "330212", "330500"};
    for (size_t i = 0; i < sizeof demo / sizeof demo[0]; i++) {
        assert_true(find(&regions, demo[i]) > 0);
    }
}

/* Every row above the lowest level of its branch has a child: each division a group, each
   group a class (a group that is not subdivided has the one class <group>0). */
static void expect_every_parent_has_children(const struct csv *t)
{
    for (size_t r = 1; r < t->n_rows; r++) {
        if (!strcmp(t->cell[r][3], "4")) {
            continue;
        }
        size_t kids = 0;
        for (size_t k = 1; k < t->n_rows; k++) {
            kids += !strcmp(t->cell[k][2], t->cell[r][0]);
        }
        if (kids == 0) {
            fail_msg("industry %s (%s) has no children", t->cell[r][0], t->cell[r][1]);
        }
    }
}

/* GB/T 4754-2017: the section letter of division code ("01".."97"). */
static char section_of(const char *division)
{
    static const int last[] = {5,  12, 43, 46, 50, 52, 60, 62, 65, 69,
                               70, 72, 75, 79, 82, 83, 85, 90, 96, 97};
    int d = (division[0] - '0') * 10 + (division[1] - '0');
    for (int i = 0; i < 20; i++) {
        if (d <= last[i]) {
            return (char)('A' + i);
        }
    }
    return '?';
}

static void industry_codes(void **state)
{
    (void)state;
    static const char *const hdr[] = {"code", "name", "parent_code", "level"};
    expect_header(&industries, hdr, 4);
    expect_unique(&industries, 0, "industries.csv");
    expect_tree(&industries, "industry");
    for (size_t r = 1; r < industries.n_rows; r++) {
        const char *code = industries.cell[r][0], *parent = industries.cell[r][2];
        int level = level_of(industries.cell[r][3]);
        size_t len = strlen(code);
        if (level == 1) {
            assert_true(len == 1 && code[0] >= 'A' && code[0] <= 'T');
        } else if (!is_digits(code, (size_t)level) ||
                   (level > 2 && strncmp(code, parent, len - 1))) {
            fail_msg("industry %s does not fit level %d under %s", code, level, parent);
        }
        if (level == 2 && parent[0] != section_of(code)) {
            fail_msg("division %s belongs to section %c, not %s", code, section_of(code), parent);
        }
    }
    assert_int_equal(count_level(&industries, "1", ""), 20);
    /* All 97 divisions, 01 to 97, each exactly once (uniqueness above). */
    assert_int_equal(count_level(&industries, "2", ""), 97);
    for (int d = 1; d <= 97; d++) {
        char code[3];
        snprintf(code, sizeof code, "%02d", d);
        assert_true(find(&industries, code) > 0);
    }
    /* GB/T 4754-2017 as amended in 2019 (amendment No. 1, the 康复辅具 classes 3586 and 8522):
       20 sections, 97 divisions, 473 groups and 1381 classes (the 2017 text counted 1380). */
    assert_int_equal(count_level(&industries, "3", ""), 473);
    assert_int_equal(count_level(&industries, "4", ""), 1381);
    expect_every_parent_has_children(&industries);
    /* Divisions per section, as the standard lists them (A 01-05 … T 97). */
    static const int divisions[] = {5, 7, 31, 3, 4, 2, 8, 2, 3, 4, 1, 2, 3, 4, 3, 1, 2, 5, 6, 1};
    for (int i = 0; i < 20; i++) {
        char section[2] = {(char)('A' + i), '\0'};
        size_t n = 0;
        for (size_t r = 1; r < industries.n_rows; r++) {
            n += !strcmp(industries.cell[r][3], "2") && !strcmp(industries.cell[r][2], section);
        }
        if (n != (size_t)divisions[i]) {
            fail_msg("section %s has %zu divisions, want %d", section, n, divisions[i]);
        }
    }
    /* Issue 19: division 20 had no classes, so a bamboo firm in 安吉 could not be registered. */
    expect_row(&industries, "20", 1, "木材加工和木、竹、藤、棕、草制品业");
    expect_row(&industries, "204", 1, "竹、藤、棕、草等制品制造");
    expect_row(&industries, "2041", 1, "竹制品制造");
    expect_row(&industries, "2041", 2, "204");
    expect_row(&industries, "2042", 1, "藤制品制造");
    expect_row(&industries, "2049", 1, "草及其他制品制造");
    expect_row(&industries, "2034", 1, "木地板制造");
    expect_row(&industries, "2110", 1, "木质家具制造");
    expect_row(&industries, "2120", 1, "竹、藤家具制造");
    expect_row(&industries, "211", 1, "木质家具制造");
    expect_row(&industries, "3586", 1, "康复辅具制造");
    expect_row(&industries, "8522", 1, "康复辅具适配服务");
    expect_row(&industries, "9700", 2, "970");
    /* Division 20 ends at 204: there is no group 205, so no class 2051. */
    assert_int_equal(find(&industries, "205"), 0);
    assert_int_equal(find(&industries, "2051"), 0);
    expect_row(&industries, "25", 1, "石油、煤炭及其他燃料加工业");
    expect_row(&industries, "77", 1, "生态保护和环境治理业");
    expect_row(&industries, "4412", 1, "热电联产");
    expect_row(&industries, "4412", 2, "441");
    expect_row(&industries, "3071", 1, "建筑陶瓷制品制造");
    expect_row(&industries, "7724", 1, "危险废物治理");
    /* Every industry the demo generator uses. */
    static const char *const demo[] = {"1713", "1752", "2221", "2614", "2641", "2710", "3011",
                                       "3041", "3071", "3130", "3360", "3841", "3843", "3982",
                                       "4412", "4620", "1351", "1512", "0313", "7724"};
    for (size_t i = 0; i < sizeof demo / sizeof demo[0]; i++) {
        assert_true(find(&industries, demo[i]) > 0);
    }
}

static void pollutant_codes(void **state)
{
    (void)state;
    static const char *const hdr[] = {"code",      "name",   "unit", "amount_unit",
                                      "code_2005", "medium", "table"};
    expect_header(&pollutants, hdr, 7);
    expect_unique(&pollutants, 0, "pollutants.csv");
    /* The gateway maps a 2005 code to the 2017 one through this column. */
    expect_unique(&pollutants, 4, "pollutants.csv code_2005");
    for (size_t r = 1; r < pollutants.n_rows; r++) {
        const char *const *c = (const char *const *)pollutants.cell[r];
        int water = !strcmp(c[5], "water"), air = !strcmp(c[5], "air");
        if (!(water || air || !strcmp(c[5], "noise") || !strcmp(c[5], "other"))) {
            fail_msg("pollutant %s: medium \"%s\"", c[0], c[5]);
        }
        if ((water && (c[0][0] != 'w' || strcmp(c[6], "B.1"))) ||
            (air && (c[0][0] != 'a' || strcmp(c[6], "B.2"))) ||
            (water || air) != is_digits(c[0] + 1, 5)) {
            fail_msg("pollutant %s: code, medium and table disagree", c[0]);
        }
        assert_true(c[1][0] != '\0');
    }
    /* The common codes, as listed in the domain notes (2017 code, 2005 code, unit). */
    static const char *const common[][3] = {
        {"w00000", "B01", "L/s"},  {"w01001", "001", ""},     {"w01018", "011", "mg/L"},
        {"w21003", "060", "mg/L"}, {"w21011", "101", "mg/L"}, {"w21001", "065", "mg/L"},
        {"w01012", "003", "mg/L"}, {"a00000", "B02", "m³/s"}, {"a21026", "02", "mg/m³"},
        {"a21002", "03", "mg/m³"}, {"a34013", "01", "mg/m³"}, {"a21005", "04", "mg/m³"},
        {"a19001", "S01", "%"},    {"a01011", "S02", "m/s"},  {"a01012", "S03", "°C"},
        {"a01013", "S08", "kPa"},  {"a01014", "S05", "%"},    {"a24088", "", "mg/m³"},
    };
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
        expect_row(&pollutants, common[i][0], 4, common[i][1]);
        expect_row(&pollutants, common[i][0], 2, common[i][2]);
    }
    expect_row(&pollutants, "w01018", 1, "化学需氧量");
    expect_row(&pollutants, "w01018", 3, "kg");
    expect_row(&pollutants, "a21026", 1, "二氧化硫");
    expect_row(&pollutants, "Leq", 5, "noise");
    /* A name with a comma survives quoting. */
    expect_row(&pollutants, "a24018", 1, "1,1,1-三氯乙烷");
    assert_int_equal(pollutants.n_rows - 1, 63 + 121 + 12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(region_codes),
        cmocka_unit_test(industry_codes),
        cmocka_unit_test(pollutant_codes),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
