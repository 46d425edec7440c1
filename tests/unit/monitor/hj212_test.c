/*
** HJ 212 codec: Appendix A CRC check values, the standard's own example frames, replies,
** lenient parsing with counted deviations, malformed frames, and the stream reassembler.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "monitor/hj212.h"

static const char EXAMPLE[] = "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;"
                              "MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n";

static void crc_check_values(void **state)
{
    (void)state;
    assert_int_equal(hj212_crc("123456789", 9), 0x2F80); /* MODBUS would give 0x4B37 */
    assert_int_equal(hj212_crc("", 0), 0xFFFF);
}

/* Appendix A's bitwise procedure, as the standard writes it. */
static uint16_t crc_bitwise(const unsigned char *b, size_t n)
{
    uint16_t reg = 0xFFFF;
    for (size_t i = 0; i < n; i++) {
        reg = (uint16_t)((reg >> 8) ^ b[i]);
        for (int k = 0; k < 8; k++) {
            reg = (reg & 1u) ? (uint16_t)((reg >> 1) ^ 0xA001) : (uint16_t)(reg >> 1);
        }
    }
    return reg;
}

/* The 8-bytes-at-a-time form agrees with the bitwise one at every length and alignment. */
static void crc_matches_bitwise_form(void **state)
{
    (void)state;
    unsigned char buf[1100];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof buf; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        buf[i] = (unsigned char)x;
    }
    for (size_t off = 0; off < 8; off++) {
        for (size_t n = 0; n + off <= 1040; n++) {
            assert_int_equal(hj212_crc(buf + off, n), crc_bitwise(buf + off, n));
        }
    }
}

static void standard_example(void **state)
{
    (void)state;
    struct hj212_frame f;
    size_t used;
    assert_int_equal(hj212_frame_parse(EXAMPLE, strlen(EXAMPLE), false, &f, &used), 0);
    assert_int_equal(used, strlen(EXAMPLE));
    assert_true(str_eq(f.qn, "20160801085857223"));
    assert_true(str_eq(f.st, "32"));
    assert_true(str_eq(f.cn, "1062"));
    assert_true(str_eq(f.pw, "100000"));
    assert_true(str_eq(f.mn, "010000A8900016F000169DC0"));
    assert_int_equal(f.flag, 5);
    assert_true(f.ack_wanted);
    assert_int_equal(f.version, 2017);
    assert_true(str_eq(f.cp, "RtdInterval=30"));
    assert_int_equal(f.deviations, 0);
}

static void reply_9014_matches_the_standard(void **state)
{
    (void)state;
    const char in[] = "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;"
                      "Flag=5;CP=&&DataTime=20160801085857;w01018-Rtd=231.0,w01018-Flag=N&&";
    char frame[HJ212_MAX_FRAME + 1], reply[HJ212_MAX_FRAME + 1];
    size_t n = hj212_frame_build(frame, sizeof frame, "20160801085857223", "32", "2011", "123456",
                                 "010000A8900016F000169DC0", 5,
                                 "DataTime=20160801085857;w01018-Rtd=231.0,w01018-Flag=N");
    assert_true(n > 0);
    assert_memory_equal(frame + 6, in, strlen(in));
    struct hj212_frame f;
    size_t used;
    assert_int_equal(hj212_frame_parse(frame, n, false, &f, &used), 0);
    size_t r = hj212_reply_9014(reply, sizeof reply, &f);
    assert_int_equal(r, strlen("##0087") + 87 + 6);
    assert_string_equal(reply, "##0087QN=20160801085857223;ST=91;CN=9014;PW=123456;"
                               "MN=010000A8900016F000169DC0;Flag=4;CP=&&&&3240\r\n");
}

static void cp_iteration(void **state)
{
    (void)state;
    struct str cp = str_from("DataTime=20160801085857;w01018-Rtd=-231.5,w01018-Flag=N;"
                             "i12001-Info=//alarm; door, open//;011-Rtd=5;a21026=1.2 ;");
    struct hj212_cp_iter it;
    struct hj212_kv kv;
    hj212_cp_begin(&it, cp);
    assert_true(hj212_cp_next(&it, &kv));
    assert_true(str_eq(kv.code, "DataTime") && kv.suffix.len == 0);
    assert_true(hj212_cp_next(&it, &kv));
    assert_true(str_eq(kv.code, "w01018") && str_eq(kv.suffix, "Rtd") &&
                str_eq(kv.value, "-231.5"));
    assert_true(hj212_cp_next(&it, &kv));
    assert_true(str_eq(kv.suffix, "Flag") && str_eq(kv.value, "N"));
    assert_true(hj212_cp_next(&it, &kv));
    assert_true(kv.text && str_eq(kv.value, "alarm; door, open"));
    assert_true(hj212_cp_next(&it, &kv));
    assert_true(str_eq(kv.code, "011"));
    assert_true(hj212_cp_next(&it, &kv));
    assert_true(str_eq(kv.code, "a21026") && str_eq(kv.value, "1.2"));
    assert_false(hj212_cp_next(&it, &kv));
    assert_true(it.deviations & HJ212_DEV_CODE_2005);
    assert_true(it.deviations & HJ212_DEV_NO_SUFFIX);
    assert_true(it.deviations & HJ212_DEV_SPACES);
}

/* The CP walk (16 bytes at a time where the CPU has SSE2) against a plain byte-by-byte
   reading of the grammar, on random CPs of up to 200 bytes without "//" text. */
static bool same(struct str a, const char *p, size_t n)
{
    return a.len == n && (n == 0 || memcmp(a.p, p, n) == 0);
}

static void trimmed(const char **p, const char **e)
{
    while (*p < *e && **p == ' ') {
        (*p)++;
    }
    while (*e > *p && (*e)[-1] == ' ') {
        (*e)--;
    }
}

static void cp_walk_matches_plain_reading(void **state)
{
    (void)state;
    static const char alphabet[] = "aw0123-=;, DataTime";
    char cp[201];
    unsigned seed = 12345;
    for (int round = 0; round < 20000; round++) {
        size_t n = (seed = seed * 1103515245u + 12345u) % 201;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            cp[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        struct hj212_cp_iter it;
        struct hj212_kv kv;
        hj212_cp_begin(&it, (struct str){cp, n});
        const char *p = cp, *end = cp + n;
        for (;;) {
            while (p < end && (*p == ';' || *p == ',')) {
                p++;
            }
            const char *stop = p, *eq = NULL;
            while (stop < end && *stop != ';' && *stop != ',') {
                eq = !eq && *stop == '=' ? stop : eq;
                stop++;
            }
            if (p < end && !eq) {
                p = stop;
                continue;
            }
            if (p >= end) {
                assert_false(hj212_cp_next(&it, &kv));
                break;
            }
            assert_true(hj212_cp_next(&it, &kv));
            const char *k = p, *ke = eq, *v = eq + 1, *ve = stop;
            trimmed(&k, &ke);
            trimmed(&v, &ve);
            const char *dash = memchr(k, '-', (size_t)(ke - k));
            if (dash) {
                assert_true(same(kv.code, k, (size_t)(dash - k)));
                assert_true(same(kv.suffix, dash + 1, (size_t)(ke - dash - 1)));
            } else {
                assert_true(same(kv.code, k, (size_t)(ke - k)) && kv.suffix.len == 0);
            }
            assert_true(same(kv.value, v, (size_t)(ve - v)));
            p = stop;
        }
    }
}

static void pw_masked_for_logs(void **state)
{
    (void)state;
    const char *raw =
        "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;"
        "Flag=5;CP=&&RtdInterval=30;xPW=1&&1C80\r\n";
    char out[256];
    assert_int_equal(hj212_mask_pw(raw, strlen(raw), out), strlen(raw));
    assert_non_null(strstr(out, ";PW=******;MN=010000A8900016F000169DC0;"));
    assert_non_null(strstr(out, "xPW=1&&1C80\r\n")); /* the CP is not a header field */
    assert_int_equal(strlen(out), strlen(raw));
    const char *first = "##0020PW=1; ST=32;PW=22;CP=&&PW=3&&";
    hj212_mask_pw(first, strlen(first), out);
    assert_string_equal(out, "##0020PW=*; ST=32;PW=**;CP=&&PW=3&&");
}

static size_t make(char *out, size_t cap, const char *data, bool lower, bool modbus)
{
    (void)modbus;
    char tail[8];
    snprintf(tail, sizeof tail, lower ? "%04x" : "%04X", hj212_crc(data, strlen(data)));
    return (size_t)snprintf(out, cap, "##%04zu%s%s\r\n", strlen(data), data, tail);
}

static void lenient_with_deviations(void **state)
{
    (void)state;
    char buf[2048];
    struct hj212_frame f;
    size_t used;
    size_t n = make(buf, sizeof buf, "ST=32;CN=2011;PW=123456;MN=ABC123;CP=&&w01018-Rtd=1;&&", true,
                    false);
    assert_int_equal(hj212_frame_parse(buf, n, false, &f, &used), 0);
    /* Lower-case hex is only visible when the CRC has a letter in it. */
    bool letters = strpbrk(buf + n - 6, "abcdef") != NULL;
    unsigned want = (letters ? HJ212_DEV_CRC_LOWER : 0) | HJ212_DEV_NO_QN | HJ212_DEV_NO_FLAG |
                    HJ212_DEV_MN_FORMAT | HJ212_DEV_TRAILING_SEMI;
    assert_int_equal(f.deviations & want, want);
    n = make(
        buf, sizeof buf,
        "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=9;CP=&&&&",
        false, false);
    assert_int_equal(hj212_frame_parse(buf, n, false, &f, &used), 0);
    assert_true(f.deviations & HJ212_DEV_FLAG_ODD); /* HJ 212-2025 version bits */
    assert_int_equal(f.version, 2017);
    assert_true(f.ack_wanted);
    /* LF-only endings only behind the setting. */
    buf[n - 2] = '\n';
    assert_int_equal(hj212_frame_parse(buf, n - 1, false, &f, &used), ERR_PROTO);
    assert_int_equal(hj212_frame_parse(buf, n - 1, true, &f, &used), 0);
    assert_true(f.deviations & HJ212_DEV_LF_ONLY);
}

static void malformed(void **state)
{
    (void)state;
    struct hj212_frame f;
    size_t used;
    char buf[2048];
    memcpy(buf, EXAMPLE, sizeof EXAMPLE);
    assert_int_equal(hj212_frame_parse(EXAMPLE, 10, false, &f, &used), ERR_AGAIN);
    assert_int_equal(hj212_frame_parse(EXAMPLE, strlen(EXAMPLE) - 1, false, &f, &used), ERR_AGAIN);
    assert_int_equal(hj212_frame_parse("##01x1", 6, false, &f, &used), ERR_PROTO);
    assert_int_equal(used, 2);
    assert_int_equal(hj212_frame_parse("##2000QN=1", 10, false, &f, &used), ERR_PROTO);
    assert_int_equal(hj212_frame_parse("xx", 2, false, &f, &used), ERR_PROTO);
    buf[strlen(EXAMPLE) - 3] = '1'; /* CRC 1C81 */
    assert_int_equal(hj212_frame_parse(buf, strlen(EXAMPLE), false, &f, &used), ERR_PROTO);
    memcpy(buf, EXAMPLE, sizeof EXAMPLE);
    buf[strlen(EXAMPLE) - 2] = 'X'; /* no tail */
    assert_int_equal(hj212_frame_parse(buf, strlen(EXAMPLE), false, &f, &used), ERR_PROTO);
    char frame[2048];
    size_t n = make(frame, sizeof frame, "QN=1;ST=32;PW=1;MN=1;Flag=4;CP=&&&&", false, false);
    assert_int_equal(hj212_frame_parse(frame, n, false, &f, &used), ERR_PROTO); /* no CN */
    n = make(frame, sizeof frame, "QN=1;ST=32;CN=2011;PW=1;MN=1;Flag=4", false, false);
    assert_int_equal(hj212_frame_parse(frame, n, false, &f, &used), ERR_PROTO); /* no CP */
}

struct seen {
    int n;
    char cn[8][8];
};

static void on_frame(void *ctx, const struct hj212_frame *f, const char *raw, size_t len)
{
    struct seen *s = ctx;
    (void)raw, (void)len;
    if (s->n < 8) {
        snprintf(s->cn[s->n], sizeof s->cn[0], "%.*s", (int)f->cn.len, f->cn.p);
    }
    s->n++;
}

static void stream_reassembly(void **state)
{
    (void)state;
    char two[2048];
    size_t a = strlen(EXAMPLE);
    memcpy(two, "garbage##12", 11);
    memcpy(two + 11, EXAMPLE, a);
    memcpy(two + 11 + a, EXAMPLE, a);
    size_t total = 11 + 2 * a;
    /* Everything in one read, then byte by byte: the same two frames, the same garbage. */
    for (int mode = 0; mode < 2; mode++) {
        struct hj212_stream s;
        struct seen seen = {0};
        hj212_stream_init(&s, false);
        if (mode == 0) {
            hj212_stream_feed(&s, two, total, on_frame, &seen);
        } else {
            for (size_t i = 0; i < total; i++) {
                hj212_stream_feed(&s, two + i, 1, on_frame, &seen);
            }
        }
        assert_int_equal(seen.n, 2);
        assert_string_equal(seen.cn[1], "1062");
        assert_int_equal(s.frames, 2);
        assert_true(s.garbage_bytes >= 9);
        assert_int_equal(s.len, 0);
    }
    /* A flood of garbage stays bounded and is counted. */
    struct hj212_stream s;
    struct seen seen = {0};
    hj212_stream_init(&s, false);
    char junk[4096];
    memset(junk, '#', sizeof junk);
    for (int i = 0; i < 100; i++) {
        hj212_stream_feed(&s, junk, sizeof junk, on_frame, &seen);
    }
    assert_int_equal(seen.n, 0);
    assert_true(s.len < sizeof s.buf);
    assert_true(s.garbage_bytes > 400000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_check_values),   cmocka_unit_test(crc_matches_bitwise_form),
        cmocka_unit_test(standard_example),   cmocka_unit_test(reply_9014_matches_the_standard),
        cmocka_unit_test(cp_iteration),       cmocka_unit_test(cp_walk_matches_plain_reading),
        cmocka_unit_test(pw_masked_for_logs), cmocka_unit_test(lenient_with_deviations),
        cmocka_unit_test(malformed),          cmocka_unit_test(stream_reassembly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
