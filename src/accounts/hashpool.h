/*
** The argon2id job queue (internal to accounts).
*/
#ifndef ENVGOV_ACCOUNTS_HASHPOOL_H
#define ENVGOV_ACCOUNTS_HASHPOOL_H

#include <sodium.h>

enum hash_kind { HASH_VERIFY, HASH_MAKE };

struct hash_job {
    enum hash_kind kind;
    char password[257];
    char hash[crypto_pwhash_STRBYTES]; /* VERIFY: input; MAKE: output */
    int result;                        /* 0 ok, ERR_AUTH mismatch */
    void (*done)(struct hash_job *j);  /* called on the pool thread */
    void *ctx;
    struct hash_job *next;
};

void hashpool_start(int n);
void hashpool_stop(void);
void hashpool_submit(struct hash_job *j);

#endif
