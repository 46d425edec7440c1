/*
** Queries of the documents module (q_documents.c): document-number sequences, issued
** documents, the public verification lookup, and the permits and enterprises a letter is about.
*/
#ifndef ENVGOV_STORE_Q_DOCUMENTS_H
#define ENVGOV_STORE_Q_DOCUMENTS_H

#include <stdint.h>

#include "store/store.h"

struct doc_org {
    int64_t id;
    char name[128];
    char prefix[32]; /* "" when not set */
};
/* An active org unit; ERR_NOTFOUND. */
int store_doc_org_unit(struct db *db, int64_t id, struct doc_org *out);
/* Rows: org_unit_id, region_code of every active org unit's regions (row callback). */
int store_doc_org_regions(struct db *db, void (*row)(struct db_stmt *st, void *ctx), void *ctx);
/* The root org unit (no parent, lowest id); ERR_NOTFOUND when there is none. */
int store_doc_org_root(struct db *db, int64_t *id);
/* Set the prefix of the org unit called name when it has none (seed). */
int store_doc_prefix_default(struct db *db, const char *name, const char *prefix);

/* The next number of (org unit, year, series), inside the caller's write transaction: the row
   is created at 0 when missing and incremented; *seq gets the new value. A rollback gives it
   back. On PostgreSQL the UPDATE holds the row lock until commit, so concurrent issuers of
   other processes wait and then see the committed value. */
int store_doc_seq_next(struct db *db, int64_t org_unit_id, int year, const char *series,
                       int64_t *seq);

struct doc_row {
    const char *kind, *number, *series, *title, *subject_kind, *dedup_key, *sha256;
    const char *issue_date, *verify_token;
    int64_t org_unit_id, seq, enterprise_id, subject_id, case_id, attachment_id, size, issued_by;
    int year;
    int64_t rule_set_id; /* 0: none */
    int rule_version;
};
/* Insert an issued document; *id gets its id. ERR_CONFLICT on a duplicate number, token or
   (kind, dedup_key). */
int store_doc_insert(struct db *db, const struct doc_row *d, int64_t *id);
/* The number of the document of kind with dedup_key; ERR_NOTFOUND when there is none. */
int store_doc_find(struct db *db, const char *kind, const char *dedup_key, char number[96]);

struct doc_enterprise {
    int64_t id;
    char name[256], region_code[16], status[16];
};
int store_doc_enterprise(struct db *db, int64_t id, struct doc_enterprise *out);
struct doc_permit {
    int64_t id, enterprise_id;
    char number[96], valid_to[16], status[16];
};
int store_doc_permit(struct db *db, int64_t id, struct doc_permit *out);
/* Rows: id of active permits of active enterprises with today <= valid_to <= until that have no
   document of kind for their current validity period (dedup key permit:<id>:<valid_to>),
   oldest expiry first, at most limit. */
int store_doc_permits_due(struct db *db, const char *today, const char *until, const char *kind,
                          int64_t limit, void (*row)(struct db_stmt *st, void *ctx), void *ctx);

/* {"items":[...]} of an enterprise's documents, newest first (at most 500). */
int store_doc_list(struct db *db, int64_t enterprise_id, struct buf *out);
/* One document as JSON; *enterprise_id gets its enterprise (0 for none). ERR_NOTFOUND. */
int store_doc_get(struct db *db, int64_t id, int64_t *enterprise_id, struct buf *out);

/* What the public verification page shows of a document, found by its token. */
struct doc_public {
    char number[96], title[200], kind[32], issue_date[16], enterprise[256], org_unit[128];
    char sha256[65], status[16];
    char rule_kind[64]; /* "" when the document records no rule set */
    int64_t rule_set_id, rule_version;
};
int store_doc_by_token(struct db *db, const char *token, struct doc_public *out);

/* The kinds of record the documents module writes to the audit log (store.h struct audit_kind). */
extern const struct audit_kind documents_audit_kinds[];

#endif
