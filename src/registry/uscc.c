/*
** GB 32100-2015 check character: 31-character alphabet without I O S V Z, weights 3^i mod 31,
** check = 31 - (sum mod 31), where 31 maps to 0. Positions 3-8 hold the GB/T 2260 region code.
*/
#include "registry/uscc.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

static const char CHARSET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int WEIGHTS[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int value_of(char c)
{
    const char *p = c ? strchr(CHARSET, c) : NULL;
    return p ? (int)(p - CHARSET) : -1;
}

char registry_uscc_check_char(const char *first17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = value_of(first17[i]);
        if (v < 0) {
            return 0;
        }
        sum += v * WEIGHTS[i];
    }
    return CHARSET[(31 - sum % 31) % 31];
}

void registry_uscc_make(const char *first17, char out[19])
{
    memcpy(out, first17, 17);
    out[17] = registry_uscc_check_char(first17);
    out[18] = 0;
}

int registry_uscc_check(const char *s, size_t n, char *why, size_t why_cap)
{
    if (n != 18) {
        snprintf(why, why_cap, "长度应为18位（现为%zu位）/ must be 18 characters (has %zu)", n, n);
        return ERR_INPUT;
    }
    for (size_t i = 0; i < n; i++) {
        if (value_of(s[i]) < 0) {
            snprintf(
                why, why_cap,
                "第%zu位“%c”不是允许的字符（数字或大写字母，不含I、O、S、V、Z）/ character %zu "
                "is not allowed (digits and upper-case letters except I O S V Z)",
                i + 1, s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?', i + 1);
            return ERR_INPUT;
        }
    }
    for (size_t i = 2; i < 8; i++) {
        if (s[i] < '0' || s[i] > '9') {
            snprintf(why, why_cap,
                     "第3-8位应为行政区划代码数字 / characters 3-8 must be the region code digits");
            return ERR_INPUT;
        }
    }
    char want = registry_uscc_check_char(s);
    if (s[17] != want) {
        snprintf(why, why_cap, "校验码错误，第18位应为 %c / check character should be %c", want,
                 want);
        return ERR_INPUT;
    }
    return 0;
}
