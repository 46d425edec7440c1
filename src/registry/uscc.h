/*
** 统一社会信用代码 (unified social credit code, GB 32100-2015): validation of the 18-character
** code and its check character, and construction of valid codes (demo data, tests).
*/
#ifndef ENVGOV_REGISTRY_USCC_H
#define ENVGOV_REGISTRY_USCC_H

#include <stddef.h>

/* 0 when s[0..n) is a valid code; otherwise ERR_INPUT with a reason (Chinese / English) in
   why[0..why_cap), naming the expected check character when only that is wrong. */
int registry_uscc_check(const char *s, size_t n, char *why, size_t why_cap);
/* The check character for the first 17 characters (which must be valid), or 0. */
char registry_uscc_check_char(const char *first17);
/* first17 + its check character, NUL-terminated. */
void registry_uscc_make(const char *first17, char out[19]);

#endif
