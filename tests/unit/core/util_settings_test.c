/*
** core/util (number parsing, trimming, hex, hashing, tokens, time) and core/settings (defaults,
** validation, INI files, environment layering, printing).
*/
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"

extern char **environ;

/* ---- util ---- */

static void parse_i64_accepts_whole_integers(void **state)
{
    (void)state;
    struct {
        const char *s;
        int64_t v;
    } ok[] = {
        {"0", 0},
        {"42", 42},
        {"-42", -42},
        {"+7", 7},
        {"-0", 0},
        {"007", 7},
        {"9223372036854775807", INT64_MAX},
        {"-9223372036854775808", INT64_MIN},
    };
    for (size_t i = 0; i < ARRAY_LEN(ok); i++) {
        int64_t v = 12345;
        assert_int_equal(parse_i64(ok[i].s, strlen(ok[i].s), &v), 0);
        assert_true(v == ok[i].v);
    }
    /* Only s[0..n) is read: the slice need not be NUL-terminated. */
    int64_t v = 0;
    assert_int_equal(parse_i64("123456", 3, &v), 0);
    assert_int_equal(v, 123);
}

static void parse_i64_rejects_overflow_junk_and_empty(void **state)
{
    (void)state;
    const char *bad[] = {
        "",
        "-",
        "+",
        "9223372036854775808",   /* INT64_MAX + 1 */
        "-9223372036854775809",  /* INT64_MIN - 1 */
        "18446744073709551615",  /* UINT64_MAX */
        "18446744073709551616",  /* UINT64_MAX + 1 */
        "99999999999999999999",  /* 20 digits */
        "123456789012345678901", /* 21 digits */
        "12a",
        "a12",
        " 12",
        "12 ",
        "1.5",
        "0x10",
        "1e3",
        "--1",
        "+-1",
        "١٢", /* Arabic-Indic digits are not ASCII digits */
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        int64_t v = 777;
        assert_int_equal(parse_i64(bad[i], strlen(bad[i]), &v), ERR_INPUT);
        assert_int_equal(v, 777); /* untouched on error */
    }
    int64_t v = 777;
    assert_int_equal(parse_i64("12", 0, &v), ERR_INPUT);
}

static void parse_f64_cases(void **state)
{
    (void)state;
    struct {
        const char *s;
        double v;
    } ok[] = {{"1.5", 1.5}, {"-0.25", -0.25}, {"1e3", 1000}, {"+2", 2},
              {"0", 0},     {".5", 0.5},      {"2.", 2},     {"1E-2", 0.01}};
    for (size_t i = 0; i < ARRAY_LEN(ok); i++) {
        double d = -1;
        assert_int_equal(parse_f64(ok[i].s, strlen(ok[i].s), &d), 0);
        assert_float_equal(d, ok[i].v, 1e-12);
    }
    const char *bad[] = {"",      "abc",    "1.5x",  " 1", "1 ", "nan", "inf", "-inf",
                         "1e999", "-1e999", "0x1p3", ".",  "-",  "1e",  "1,5", "1..2"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        double d = 7;
        assert_int_equal(parse_f64(bad[i], strlen(bad[i]), &d), ERR_INPUT);
        assert_float_equal(d, 7, 0);
    }
    double d = 0;
    assert_int_equal(parse_f64("3.14159", 4, &d), 0);
    assert_float_equal(d, 3.14, 1e-12);
    char longnum[80];
    memset(longnum, '1', sizeof longnum - 1);
    longnum[sizeof longnum - 1] = 0;
    assert_int_equal(parse_f64(longnum, strlen(longnum), &d), ERR_INPUT);
}

static void str_helpers(void **state)
{
    (void)state;
    struct str t = str_trim(str_from("  \t 长兴 县 \r\n"));
    assert_int_equal(t.len, strlen("长兴 县"));
    assert_memory_equal(t.p, "长兴 县", t.len);
    assert_int_equal(str_trim(str_from(" \t\r\n ")).len, 0);
    assert_int_equal(str_trim(str_from("")).len, 0);
    t = str_trim(str_from("x"));
    assert_int_equal(t.len, 1);
    assert_int_equal(str_from(NULL).len, 0);
    assert_true(str_eq(STR_LIT("abc"), "abc"));
    assert_false(str_eq(STR_LIT("abc"), "ab"));
    assert_false(str_eq(STR_LIT("ab"), "abc"));
    assert_true(str_eq((struct str){NULL, 0}, ""));
}

static void hex_and_sha256(void **state)
{
    (void)state;
    char hex[16];
    const unsigned char bytes[] = {0x00, 0x01, 0xab, 0xff, 0x10};
    hex_encode(bytes, sizeof bytes, hex);
    assert_string_equal(hex, "0001abff10");
    hex_encode(bytes, 0, hex);
    assert_string_equal(hex, "");

    char h[65];
    sha256_hex("abc", 3, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha256_hex("", 0, h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_hex(m, strlen(m), h);
    assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void assert_token_charset(const char *t)
{
    for (const char *p = t; *p; p++) {
        bool ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                  (*p >= '0' && *p <= '9') || *p == '-' || *p == '_';
        assert_true(ok);
    }
}

static void random_tokens(void **state)
{
    (void)state;
    char a[128], b[128];
    random_token(32, a, sizeof a);
    random_token(32, b, sizeof b);
    assert_int_equal(strlen(a), 43); /* ceil(32 * 4 / 3), no padding */
    assert_int_equal(strlen(b), 43);
    assert_string_not_equal(a, b);
    assert_token_charset(a);
    assert_token_charset(b);
    random_token(16, a, sizeof a);
    assert_int_equal(strlen(a), 22);
    assert_token_charset(a);
    random_token(3, a, sizeof a);
    assert_int_equal(strlen(a), 4);
    /* Requests past 64 bytes are clamped to 64 (86 characters). */
    random_token(100, a, sizeof a);
    assert_int_equal(strlen(a), 86);
    assert_token_charset(a);
}

static void ct_equal_and_time(void **state)
{
    (void)state;
    assert_true(ct_equal("secret", "secret"));
    assert_false(ct_equal("secret", "secreT"));
    assert_false(ct_equal("secret", "secret1"));
    assert_true(ct_equal("", ""));

    char iso[32], day[11];
    time_iso(0, iso);
    assert_string_equal(iso, "1970-01-01T00:00:00Z");
    time_iso(1795338220, iso);
    assert_string_equal(iso, "2026-11-22T09:03:40Z");
    /* China is UTC+8: 2023-12-31T16:00:00Z is already 2024-01-01 in Beijing. */
    date_cn(1704038400, day);
    assert_string_equal(day, "2024-01-01");
    date_cn(1704038399, day);
    assert_string_equal(day, "2023-12-31");
    assert_true(wall_ms() > (int64_t)1700000000 * 1000);
    int64_t t0 = mono_ms();
    assert_true(mono_ms() >= t0);
    assert_string_equal(err_name(ERR_NOTFOUND), "not_found");
    assert_string_equal(err_name(ERR_CONFLICT), "conflict");
    assert_string_equal(err_name(12345), "error");
}

/* Issue 19: exports wrote the stored UTC times; they are written in China time, as the UI shows
   them. Only the server's own UTC form converts; a device's China-time data time does not. */
static void iso_utc_to_china_cases(void **state)
{
    (void)state;
    char out[20];
    assert_true(iso_utc_to_china("2026-12-03T08:43:00Z", out));
    assert_string_equal(out, "2026-12-03 16:43:00");
    assert_true(iso_utc_to_china("2026-12-31T16:00:00.123Z", out));
    assert_string_equal(out, "2027-01-01 00:00:00");
    assert_true(iso_utc_to_china("2024-02-28T23:59:59Z", out));
    assert_string_equal(out, "2024-02-29 07:59:59");
    static const char *const not_utc[] = {"2026-12-03 16:43:00",
                                          "2026-12-03",
                                          "2026-12-03T08:43:00",
                                          "2026-12-03T08:43:00+08:00",
                                          "2026-12-03T08:43Z",
                                          "",
                                          "湖州市",
                                          "2026-12-03T08:43:00Zjunk",
                                          "2026-12-03T08:43:00.Z5"};
    for (size_t i = 0; i < sizeof not_utc / sizeof not_utc[0]; i++) {
        assert_false(iso_utc_to_china(not_utc[i], out));
    }
}

/* ---- settings ---- */

static int settings_fresh(void **state)
{
    (void)state;
    /* Start every settings test from defaults and an environment without ENVGOV_*. */
    for (;;) {
        char name[128] = "";
        for (char **e = environ; *e; e++) {
            if (!strncmp(*e, "ENVGOV_", 7)) {
                const char *eq = strchr(*e, '=');
                size_t n = eq ? (size_t)(eq - *e) : strlen(*e);
                snprintf(name, sizeof name, "%.*s", (int)n, *e);
                break;
            }
        }
        if (!name[0]) {
            break;
        }
        unsetenv(name);
    }
    settings_init();
    return 0;
}

static void settings_defaults(void **state)
{
    (void)state;
    assert_string_equal(settings_get("http"), "127.0.0.1:8080");
    assert_string_equal(settings_get("db"), "");
    assert_string_equal(settings_get("log_level"), "info");
    assert_int_equal(settings_int("http_threads"), 0);
    assert_int_equal(settings_int("db_readers"), 4);
    assert_int_equal(settings_int("list_max_limit"), 500);
    assert_int_equal(settings_int("http_max_body"), 1048576);
    assert_int_equal(settings_int("http_max_response"), 67108864);
}

static void settings_set_validates(void **state)
{
    (void)state;
    assert_int_equal(settings_set("no_such_setting", "1", SRC_FLAG), ERR_NOTFOUND);
    assert_int_equal(settings_set("", "1", SRC_FLAG), ERR_NOTFOUND);
    assert_int_equal(settings_set("HTTP_THREADS", "1", SRC_FLAG), ERR_NOTFOUND);

    assert_int_equal(settings_set("http_threads", "8", SRC_FLAG), 0);
    assert_int_equal(settings_int("http_threads"), 8);
    const char *bad[] = {"abc", "-1", "", "1.5", " 4", "99999999999999999999", "8k"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        assert_int_equal(settings_set("http_threads", bad[i], SRC_FLAG), ERR_INPUT);
        assert_int_equal(settings_int("http_threads"), 8); /* a refused value changes nothing */
    }
    /* Text settings take any value. */
    assert_int_equal(settings_set("http", "0.0.0.0:80", SRC_FLAG), 0);
    assert_string_equal(settings_get("http"), "0.0.0.0:80");
    assert_int_equal(settings_set("log_level", "", SRC_FLAG), 0);
    assert_string_equal(settings_get("log_level"), "");
    /* settings_init goes back to the defaults. */
    settings_init();
    assert_int_equal(settings_int("http_threads"), 0);
    assert_string_equal(settings_get("http"), "127.0.0.1:8080");
}

/* Write text to a fresh temp file; path receives its name. */
static void write_temp(char path[64], const char *text)
{
    snprintf(path, 64, "/tmp/envgov-ini-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void settings_ini_file(void **state)
{
    (void)state;
    char path[64];
    write_temp(path, "# envgov settings\n"
                     "; another comment style\n"
                     "\n"
                     "[server]\n"
                     "http = 0.0.0.0:8090\n"
                     "   http_threads=6   \r\n"
                     "\t[database]\n"
                     "db_readers = 2\n"
                     "log_level = debug\n"
                     "db = sqlite:/srv/envgov/a=b.db\n");
    int bad = -1;
    assert_int_equal(settings_load_file(path, 0, &bad), 0);
    assert_int_equal(bad, -1);
    assert_string_equal(settings_get("http"), "0.0.0.0:8090");
    assert_int_equal(settings_int("http_threads"), 6);
    assert_int_equal(settings_int("db_readers"), 2);
    assert_string_equal(settings_get("log_level"), "debug");
    assert_string_equal(settings_get("db"), "sqlite:/srv/envgov/a=b.db"); /* split at first = */
    unlink(path);

    /* A line without '=' is reported with its number. */
    write_temp(path, "# ok\nhttp_threads = 3\n\nthis line has no equals sign\nhttp = x:1\n");
    assert_int_equal(settings_load_file(path, 0, &bad), ERR_INPUT);
    assert_int_equal(bad, 4);
    unlink(path);

    /* So is an unknown name ... */
    write_temp(path, "[s]\nhttp_thread = 3\n");
    assert_int_equal(settings_load_file(path, 0, &bad), ERR_INPUT);
    assert_int_equal(bad, 2);
    unlink(path);

    /* ... and a bad integer. */
    write_temp(path, "db_readers = 2\n; c\n# c\ndb_readers = many\n");
    assert_int_equal(settings_load_file(path, 0, &bad), ERR_INPUT);
    assert_int_equal(bad, 4);
    unlink(path);

    /* A missing file is fine only when optional. */
    assert_int_equal(settings_load_file("/nonexistent/envgov.ini", 1, &bad), 0);
    assert_int_equal(settings_load_file("/nonexistent/envgov.ini", 0, &bad), ERR_IO);
}

/* settings_print shows name = value and (source) on the setting's own line. */
static void assert_printed(const char *name, const char *value, const char *src)
{
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    assert_non_null(f);
    settings_print(f);
    fclose(f);
    char want_value[128], want_src[32];
    snprintf(want_value, sizeof want_value, " = %s ", value);
    snprintf(want_src, sizeof want_src, "(%s)", src);
    bool found = false;
    for (char *line = text; line && *line;) {
        char *eol = strchr(line, '\n');
        if (eol) {
            *eol = 0;
        }
        size_t k = strlen(name);
        if (!strncmp(line, name, k) && line[k] == ' ') {
            found = true;
            assert_non_null(strstr(line, want_value));
            assert_non_null(strstr(line, want_src));
        }
        line = eol ? eol + 1 : NULL;
    }
    assert_true(found);
    free(text);
}

static void settings_layering(void **state)
{
    (void)state;
    char path[64];
    write_temp(path, "http_threads = 4\nhttp = 127.0.0.1:7000\n");
    assert_int_equal(settings_load_file(path, 0, NULL), 0);
    unlink(path);
    assert_int_equal(settings_int("http_threads"), 4);

    /* Environment overrides the file; ENVGOV_HTTP does not leak into ENVGOV_HTTP_THREADS. */
    setenv("ENVGOV_HTTP_THREADS", "6", 1);
    setenv("ENVGOV_HTTP", "0.0.0.0:9000", 1);
    assert_int_equal(settings_load_env(NULL), 0);
    assert_int_equal(settings_int("http_threads"), 6);
    assert_string_equal(settings_get("http"), "0.0.0.0:9000");

    /* A bad environment value is not applied, and is named; the good ones still are. */
    setenv("ENVGOV_DB_READERS", "lots", 1);
    setenv("ENVGOV_HTTP_THREADS", "7", 1);
    const char *bad = NULL;
    assert_int_equal(settings_load_env(&bad), ERR_INPUT);
    assert_non_null(bad);
    assert_string_equal(bad, "ENVGOV_DB_READERS");
    assert_int_equal(settings_int("db_readers"), 4);
    assert_int_equal(settings_int("http_threads"), 7);

    /* Flags override the environment, and print shows value and source. */
    assert_int_equal(settings_set("http_threads", "12", SRC_FLAG), 0);
    assert_printed("http_threads", "12", "flag");
    assert_printed("http", "0.0.0.0:9000", "env");
    assert_printed("db_readers", "4", "default");
    assert_printed("log_level", "info", "default");

    unsetenv("ENVGOV_HTTP_THREADS");
    unsetenv("ENVGOV_HTTP");
    unsetenv("ENVGOV_DB_READERS");
}

/* A module's rows (from its descriptor) join the table: defaults, integer checks, the
   environment and print treat them as the platform's own. */
static void settings_register_rows(void **state)
{
    (void)state;
    static const struct setting_def rows[] = {
        {"test_listen", "127.0.0.1:9999", false, "a module's listen address"},
        {"test_count", "3", true, "a module's count"},
    };
    static bool registered;
    if (!registered) {
        settings_register(rows, 2);
        registered = true;
    }
    settings_init();
    assert_string_equal(settings_get("test_listen"), "127.0.0.1:9999");
    assert_int_equal(settings_int("test_count"), 3);
    assert_int_equal(settings_set("test_count", "x", SRC_FLAG), ERR_INPUT);
    setenv("ENVGOV_TEST_COUNT", "8", 1);
    const char *bad = NULL;
    assert_int_equal(settings_load_env(&bad), 0);
    unsetenv("ENVGOV_TEST_COUNT");
    assert_int_equal(settings_int("test_count"), 8);
    assert_printed("test_count", "8", "env");
    assert_string_equal(settings_get("http"), "127.0.0.1:8080"); /* the platform's rows stay */
}

/* Regression: an unknown name only asserted, so a release build (NDEBUG) silently got "". It
   must stop the program in every build; the child process shows it. */
static void settings_unknown_name_aborts(void **state)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        freopen("/dev/null", "w", stderr);
        settings_get("no_such_setting");
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

int main(void)
{
    if (util_init()) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_i64_accepts_whole_integers),
        cmocka_unit_test(parse_i64_rejects_overflow_junk_and_empty),
        cmocka_unit_test(parse_f64_cases),
        cmocka_unit_test(str_helpers),
        cmocka_unit_test(hex_and_sha256),
        cmocka_unit_test(random_tokens),
        cmocka_unit_test(ct_equal_and_time),
        cmocka_unit_test(iso_utc_to_china_cases),
        cmocka_unit_test_setup(settings_defaults, settings_fresh),
        cmocka_unit_test_setup(settings_set_validates, settings_fresh),
        cmocka_unit_test_setup(settings_ini_file, settings_fresh),
        cmocka_unit_test_setup(settings_layering, settings_fresh),
        cmocka_unit_test_setup(settings_register_rows, settings_fresh),
        cmocka_unit_test_setup(settings_unknown_name_aborts, settings_fresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
