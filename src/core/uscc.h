/*
** 统一社会信用代码 (unified social credit code, GB 32100-2015): validation of the 18-character
** code and its check character, and construction of valid codes (demo data, tests). Pure
** functions: nothing is allocated, nothing is stored.
**
** Layout: 1 registration authority, 2 entity category, 3-8 GB/T 2260 region code, 9-17 the
** organization code body, 18 the check character. Only the 18th character is verified: the
** GB 11714 check digit inside positions 9-17 is not, because codes issued since 2015 do not
** all satisfy it.
*/
#ifndef ENVGOV_CORE_USCC_H
#define ENVGOV_CORE_USCC_H

#include <stddef.h>

/*
** Check s[0..n) (not NUL-terminated; the caller trims). Return 0 when it is a valid code.
** Otherwise return ERR_INPUT and write into why[0..why_cap) a NUL-terminated reason in
** Chinese and English that says what to fix: wrong length, the first illegal character and
** its position (lower case is named as such), a non-digit region part, or a wrong check
** character together with the expected one and the one given ("校验码错误，第18位应为 7（现为
** N） / check character should be 7 (got N)"). The reason is truncated to fit; why may be
** NULL when why_cap is 0.
*/
int uscc_check(const char *s, size_t n, char *why, size_t why_cap);

/*
** The same check with the reason in each language apart: zh[0..zh_cap) and en[0..en_cap)
** get the Chinese and the English phrase (neither names the field), NUL-terminated and
** truncated to fit. Both are left alone when the code is valid (return 0).
*/
int uscc_explain(const char *s, size_t n, char *zh, size_t zh_cap, char *en, size_t en_cap);

/*
** The check character for first17[0..17), or 0 when one of those 17 characters is outside
** the code alphabet (digits and upper-case letters except I O S V Z). first17 need not be
** NUL-terminated.
*/
char uscc_check_char(const char *first17);

/*
** Write first17[0..17) followed by its check character and a NUL into out. first17 must
** consist of alphabet characters (asserted: passing anything else is a bug).
*/
void uscc_make(const char *first17, char out[19]);

#endif
