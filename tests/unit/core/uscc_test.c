/*
** 统一社会信用代码 (GB 32100-2015): valid codes from outside this code base, the check character
** worked by hand, the 31 -> 0 rule, every single-character error caught, and each rejection
** reason (length, illegal and lower-case characters, region part, check character) saying
** what to fix.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/uscc.h"

static const char ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int check(const char *s, char *why, size_t cap)
{
    return uscc_check(s, strlen(s), why, cap);
}

/* Assert that s is rejected and that the reason contains both needles. */
static void expect_reject(const char *s, const char *zh, const char *en)
{
    char why[256];
    assert_int_equal(check(s, why, sizeof why), ERR_INPUT);
    if (!strstr(why, zh) || !strstr(why, en)) {
        fail_msg("%s: reason \"%s\" lacks \"%s\" / \"%s\"", s, why, zh, en);
    }
}

static void valid_codes(void **state)
{
    (void)state;
    char why[256] = "";
    /* Printed as the example in GB 32100-2015 itself. */
    assert_int_equal(check("91350100M000100Y43", why, sizeof why), 0);
    /* A real code as printed on a business licence (华为技术有限公司, Shenzhen 440300). */
    assert_int_equal(check("914403001922038216", why, sizeof why), 0);
    /* Both also verified independently in Python:
         CS = "0123456789ABCDEFGHJKLMNPQRTUWXY"; W = [pow(3, i, 31) for i in range(17)]
         CS[(31 - sum(CS.index(c) * w for c, w in zip(code, W)) % 31) % 31]
       gives '3' (sum 1640) and '6' (sum 831). */
    assert_string_equal(why, "");
}

static void check_char_by_hand(void **state)
{
    (void)state;
    /* 9 1 3 3 0 5 2 2 M=21 A=10 2 B=11 3 C=12 4 D=13 5 times the weights
       1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
       9+3+27+81+0+130+32+34+420+290+50+143+24+288+40+390+140 = 2101;
       2101 = 67*31 + 24; 31 - 24 = 7 → '7'. */
    assert_int_equal(uscc_check_char("91330522MA2B3C4D5"), '7');
    char made[19];
    uscc_make("91330522MA2B3C4D5", made);
    assert_string_equal(made, "91330522MA2B3C4D57");
    assert_int_equal(check(made, NULL, 0), 0);
    /* sum 1302 = 42*31: 31 - 0 = 31, which maps to '0' (not out of range). */
    assert_int_equal(uscc_check_char("91330500MA0000039"), '0');
    assert_int_equal(check("91330500MA00000390", NULL, 0), 0);
    /* sum 1272 = 41*31 + 1: 30 → 'Y', the last alphabet character. */
    assert_int_equal(uscc_check_char("91330500MA0000029"), 'Y');
    /* Only the 17 characters are read; what follows does not matter. */
    assert_int_equal(uscc_check_char("91330522MA2B3C4D5XYZ"), '7');
}

static void check_char_of_illegal_body_is_zero(void **state)
{
    (void)state;
    assert_int_equal(uscc_check_char("9133052 MA2B3C4D5"), 0);
    assert_int_equal(uscc_check_char("91330522MA2B3C4D"), 0); /* NUL at 17 */
    assert_int_equal(uscc_check_char("91330522ma2b3c4d5"), 0);
    assert_int_equal(uscc_check_char("91330522MO2B3C4D5"), 0);
}

/* Replacing any one of the first 17 characters by any other alphabet character is caught. */
static void every_single_substitution_caught(void **state)
{
    (void)state;
    char code[19] = "91330522MA2B3C4D57";
    int caught = 0;
    for (int pos = 0; pos < 17; pos++) {
        char keep = code[pos];
        for (const char *c = ALPHABET; *c; c++) {
            if (*c == keep) {
                continue;
            }
            code[pos] = *c;
            assert_int_equal(check(code, NULL, 0), ERR_INPUT);
            caught++;
        }
        code[pos] = keep;
    }
    assert_int_equal(caught, 17 * 30);
    assert_int_equal(check(code, NULL, 0), 0);
}

static void wrong_check_char_names_the_right_one(void **state)
{
    (void)state;
    expect_reject("91330522MA2B3C4D5N", "校验码错误，第18位应为 7", "check character should be 7");
    expect_reject("91350100M000100Y44", "应为 3", "should be 3");
    expect_reject("91330500MA00000391", "应为 0", "should be 0");
    /* Two adjacent characters swapped. */
    expect_reject("91330522AM2B3C4D57", "校验码错误", "check character");
}

static void wrong_length(void **state)
{
    (void)state;
    expect_reject("91330522MA2B3C4D5", "长度应为18位（现为17位）",
                  "must be 18 characters (has 17)");
    expect_reject("91330522MA2B3C4D570", "现为19位", "has 19");
    expect_reject("", "现为0位", "has 0");
    char why[256];
    assert_int_equal(uscc_check(NULL, 0, why, sizeof why), ERR_INPUT);
    /* A trailing space is the caller's to trim: it makes the length wrong, not the code. */
    expect_reject("91330522MA2B3C4D57 ", "长度", "18");
}

static void illegal_characters(void **state)
{
    (void)state;
    /* The five letters the alphabet leaves out, wherever they stand. */
    expect_reject("91330522MI2B3C4D57", "第10位“I”不能使用", "character 10 ('I')");
    expect_reject("91330522MO2B3C4D57", "“O”", "no I O S V Z");
    expect_reject("S1330522MA2B3C4D57", "第1位“S”", "character 1 ('S')");
    expect_reject("91330522MA2B3C4DV7", "“V”", "no I O S V Z");
    expect_reject("91330522MA2B3C4D5Z", "第18位“Z”", "character 18");
    /* Punctuation and bytes outside ASCII (a UTF-8 full-width digit is 3 bytes). */
    expect_reject("91330522MA2B3C4D-7", "第17位“-”不是合法字符", "digits and upper-case letters");
    expect_reject("9133052 MA2B3C4D57", "第8位不是合法字符（0x20）", "byte 8 (0x20)");
    expect_reject("9133\xef\xbc\x90"
                  "522MA2B3C4D",
                  "0xEF", "byte 5 (0xEF)");
}

static void lower_case_is_rejected_with_a_hint(void **state)
{
    (void)state;
    expect_reject("91330522ma2b3c4d57", "第9位“m”是小写字母，请使用大写", "use upper case");
    expect_reject("91330522MA2B3C4D5n", "第18位“n”是小写字母", "lower case");
    /* Upper-cased, the same code passes: the checker does not fold case itself. */
    assert_int_equal(check("91330522MA2B3C4D57", NULL, 0), 0);
}

static void region_part_must_be_digits(void **state)
{
    (void)state;
    /* Give each a correct check character, so only the region rule can reject it. */
    const char *bodies[] = {"91A30522MA2B3C4D5", "9133052BMA2B3C4D5", "91X3052XMA2B3C4D5"};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        char code[19];
        uscc_make(bodies[i], code);
        expect_reject(code, "第3-8位应为行政区划代码", "characters 3-8 must be the 6-digit region");
    }
    char code[19];
    uscc_make("91A30522MA2B3C4D5", code);
    expect_reject(code, "第3位是“A”", "character 3 is 'A'");
    /* Letters outside 3-8 are fine: authority 'Y', category '1', body letters. */
    uscc_make("Y1330522MAPQRTUWX", code);
    assert_int_equal(check(code, NULL, 0), 0);
}

static void reason_is_bounded(void **state)
{
    (void)state;
    char why[12];
    memset(why, 'x', sizeof why);
    assert_int_equal(check("91330522MA2B3C4D5N", why, sizeof why), ERR_INPUT);
    assert_int_equal(why[sizeof why - 1], '\0');
    assert_int_equal(check("91330522MA2B3C4D5N", NULL, 0), ERR_INPUT);
}

/* Each language apart (issue 19: the English message lacked the Chinese one's detail), with
   the character given beside the one expected. */
static void explain_gives_each_language_alone(void **state)
{
    (void)state;
    char zh[200], en[200];
    assert_int_equal(uscc_explain("91330522MA2B3C4D5N", 18, zh, sizeof zh, en, sizeof en),
                     ERR_INPUT);
    assert_string_equal(zh, "校验码错误，第18位应为 7（现为 N）");
    assert_string_equal(en, "check character should be 7 (got N)");
    assert_int_equal(uscc_explain("12345", 5, zh, sizeof zh, en, sizeof en), ERR_INPUT);
    assert_string_equal(zh, "长度应为18位（现为5位）");
    assert_string_equal(en, "must be 18 characters (has 5)");
    snprintf(zh, sizeof zh, "untouched");
    assert_int_equal(uscc_explain("91330522MA2B3C4D57", 18, zh, sizeof zh, en, sizeof en), 0);
    assert_string_equal(zh, "untouched");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_codes),
        cmocka_unit_test(check_char_by_hand),
        cmocka_unit_test(check_char_of_illegal_body_is_zero),
        cmocka_unit_test(every_single_substitution_caught),
        cmocka_unit_test(wrong_check_char_names_the_right_one),
        cmocka_unit_test(wrong_length),
        cmocka_unit_test(illegal_characters),
        cmocka_unit_test(lower_case_is_rejected_with_a_hint),
        cmocka_unit_test(region_part_must_be_digits),
        cmocka_unit_test(reason_is_bounded),
        cmocka_unit_test(explain_gives_each_language_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
