/*
** GB 32100-2015 unified social credit code; see uscc.h. The alphabet is the 31 characters
** 0-9 A-Z without I O S V Z, character values are their index in it, the weight of position
** i (0-based) is 3^i mod 31, and the check character has the value 31 - (sum mod 31), where
** 31 maps to 0. Because every weight is invertible mod 31, any single wrong character among
** the first 17 changes the check character.
*/
#include "core/uscc.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

enum { USCC_LEN = 18, USCC_BODY = 17 };

static const char ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int WEIGHTS[USCC_BODY] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                       29, 25, 13, 8,  24, 10, 30, 28};

/* Index of c in ALPHABET, or -1 (NUL included, which strchr would otherwise find). */
static int value_of(char c)
{
    const char *p = c ? strchr(ALPHABET, c) : NULL;
    return p ? (int)(p - ALPHABET) : -1;
}

char uscc_check_char(const char *first17)
{
    int sum = 0;
    for (int i = 0; i < USCC_BODY; i++) {
        int v = value_of(first17[i]);
        if (v < 0) {
            return 0;
        }
        sum += v * WEIGHTS[i];
    }
    return ALPHABET[(31 - sum % 31) % 31];
}

void uscc_make(const char *first17, char out[19])
{
    char check = uscc_check_char(first17);
    assert(check != 0);
    memcpy(out, first17, USCC_BODY);
    out[USCC_BODY] = check;
    out[USCC_LEN] = 0;
}

/* A reason in both languages, each a phrase without the field's name. */
struct why {
    char zh[200], en[200];
};

/* Reason for the illegal character c at 1-based position pos. */
static void explain_char(char c, size_t pos, struct why *w)
{
    unsigned char u = (unsigned char)c;
    if (c >= 'a' && c <= 'z') {
        snprintf(w->zh, sizeof w->zh, "第%zu位“%c”是小写字母，请使用大写", pos, c);
        snprintf(w->en, sizeof w->en, "character %zu ('%c') is lower case; use upper case", pos, c);
    } else if (c == 'I' || c == 'O' || c == 'S' || c == 'V' || c == 'Z') {
        snprintf(w->zh, sizeof w->zh, "第%zu位“%c”不能使用（代码不含I、O、S、V、Z）", pos, c);
        snprintf(w->en, sizeof w->en,
                 "character %zu ('%c') is not used in these codes (no I O S V Z)", pos, c);
    } else if (u > 0x20 && u < 0x7f) {
        snprintf(w->zh, sizeof w->zh, "第%zu位“%c”不是合法字符，只能用数字或大写字母", pos, c);
        snprintf(w->en, sizeof w->en,
                 "character %zu ('%c') is not allowed: use digits and upper-case letters", pos, c);
    } else {
        /* Spaces, control bytes and non-ASCII (full-width digits, Chinese) shown as hex. */
        snprintf(w->zh, sizeof w->zh, "第%zu位不是合法字符（0x%02X），只能用数字或大写字母", pos,
                 u);
        snprintf(w->en, sizeof w->en,
                 "byte %zu (0x%02X) is not allowed: use digits and upper-case letters", pos, u);
    }
}

static int explain(const char *s, size_t n, struct why *w)
{
    if (n != USCC_LEN) {
        snprintf(w->zh, sizeof w->zh, "长度应为18位（现为%zu位）", n);
        snprintf(w->en, sizeof w->en, "must be 18 characters (has %zu)", n);
        return ERR_INPUT;
    }
    for (size_t i = 0; i < n; i++) {
        if (value_of(s[i]) < 0) {
            explain_char(s[i], i + 1, w);
            return ERR_INPUT;
        }
    }
    for (size_t i = 2; i < 8; i++) {
        if (s[i] < '0' || s[i] > '9') {
            snprintf(w->zh, sizeof w->zh, "第3-8位应为行政区划代码（6位数字），第%zu位是“%c”",
                     i + 1, s[i]);
            snprintf(w->en, sizeof w->en,
                     "characters 3-8 must be the 6-digit region code; character %zu is '%c'", i + 1,
                     s[i]);
            return ERR_INPUT;
        }
    }
    char want = uscc_check_char(s);
    if (s[USCC_BODY] != want) {
        snprintf(w->zh, sizeof w->zh, "校验码错误，第18位应为 %c（现为 %c）", want, s[USCC_BODY]);
        snprintf(w->en, sizeof w->en, "check character should be %c (got %c)", want, s[USCC_BODY]);
        return ERR_INPUT;
    }
    return 0;
}

int uscc_check(const char *s, size_t n, char *why, size_t why_cap)
{
    assert(s != NULL || n == 0);
    assert(why != NULL || why_cap == 0);
    struct why w;
    int rc = explain(s, n, &w);
    if (rc && why_cap) {
        snprintf(why, why_cap, "%s / %s", w.zh, w.en);
    }
    return rc;
}

int uscc_explain(const char *s, size_t n, char *zh, size_t zh_cap, char *en, size_t en_cap)
{
    assert(s != NULL || n == 0);
    assert(zh_cap > 0 && en_cap > 0);
    struct why w;
    int rc = explain(s, n, &w);
    if (rc) {
        snprintf(zh, zh_cap, "%s", w.zh);
        snprintf(en, en_cap, "%s", w.en);
    }
    return rc;
}
