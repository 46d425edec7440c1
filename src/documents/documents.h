/*
** Official documents (公文, 文书): PDF notices and letters the bureau hands to enterprises,
** drawn from templates in the GB/T 9704-2012 letter format (信函格式: red header, red double
** rules, document number, title, addressee, body, signature, date, seal area), each with a
** document number (文书编号, 湖环函〔2026〕12号) from a per-org-unit, per-year, per-series
** sequence that never repeats or skips, stored content-addressed as an attachment with its
** SHA-256, and carrying a QR code to a public page that confirms it was issued (扫码验真).
**
** Rendering (documents_render) needs no database: the benchmark and the unit test call it
** directly. Issuing (documents_issue) numbers, renders, stores and audits in the caller's
** write transaction. The first kind is the permit-expiry reminder letter (排污许可证到期提醒函).
** Only this folder includes the cairo, pango and qrencode headers.
*/
#ifndef ENVGOV_DOCUMENTS_DOCUMENTS_H
#define ENVGOV_DOCUMENTS_DOCUMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "platform/module.h"
#include "store/store.h"

/* What goes on the page, every string UTF-8 and already filled in; the renderer owns nothing. */
struct doc_content {
    const char *header;    /* 发文机关标志, in red: the org unit's full name */
    const char *number;    /* 发文字号 "湖环函〔2026〕12号" */
    const char *title;     /* "关于排污许可证即将到期的提醒函" */
    const char *addressee; /* 主送: the enterprise's name (the full-width colon is added) */
    const char *const *paragraphs;
    size_t n_paragraphs;
    const char *signature;  /* 发文机关署名 */
    const char *date;       /* 成文日期 "2026年12月3日" */
    const char *verify_url; /* encoded in the QR code and printed under it; NULL: no QR */
    const char *note;       /* 附注 under the date, e.g. the contact; NULL: none */
};

/* Render one A4 PDF into pdf (appended; pdf's cap applies). Fonts are embedded subsets of
   Noto Serif CJK SC. Safe to call from any thread (rendering is serialised inside). Returns 0,
   or ERR_INPUT (a required field missing), ERR_TOOBIG (pdf overflowed) or ERR_IO (cairo failed)
   with a message in err. */
int documents_render(const struct doc_content *c, struct buf *pdf, char *err, size_t errcap);

/* Where the renderer keeps its cut fonts (fonts.c); takes effect before the first render only.
   Without it the system's full fonts are used: the same PDF, about half as fast. */
void documents_font_cache(const char *dir);

/* "2026-12-03" → "2026年12月3日" (GB/T 9704-2012 7.3.5.1: Arabic numerals, no leading zero).
   ERR_INPUT for a malformed date. */
int documents_date_cn(const char *ymd, char *out, size_t cap);
/* The number as GB/T 9704-2012 7.2.4 writes it: prefix + series + 〔year〕 + seq + 号. */
void documents_number(const char *prefix, const char *series, int year, int64_t seq, char *out,
                      size_t cap);

/* A template field: {name} in a paragraph is replaced by value. */
struct doc_field {
    const char *name, *value;
};
/* Fill {name} placeholders of tmpl into out (appended). Unknown names stay as they are, so a
   missing field shows on the page and in tests instead of vanishing. */
void documents_fill(const char *tmpl, const struct doc_field *fields, size_t n, struct buf *out);

/* A document kind: its number series word (代字: 函, 罚 …) and its title. */
struct doc_kind {
    const char *kind;   /* "permit_reminder" */
    const char *series; /* "函" */
    const char *title;  /* "关于排污许可证即将到期的提醒函" */
    const char *name;   /* "排污许可证到期提醒函": attachment file names, lists */
    const char *const *paragraphs; /* templates with {fields} */
    size_t n_paragraphs;
};
const struct doc_kind *documents_kind(const char *kind);
/* Register a module's own kind (a static table that outlives the process), once, before threads
   start (the module's start); a kind of the same name is replaced. At most 32. */
void documents_kind_register(const struct doc_kind *k);

/* One issue request. */
struct doc_issue {
    const char *kind;
    int64_t org_unit_id;      /* issuing org unit: its name heads the page, its prefix numbers it */
    int64_t enterprise_id;    /* addressee */
    const char *subject_kind; /* "permit" */
    int64_t subject_id;
    const char *dedup_key; /* at most one document of a kind per key (NULL: no limit) */
    int64_t case_id;       /* 0: none */
    const struct doc_field *fields;
    size_t n_fields;
    const char *today; /* China date "YYYY-MM-DD": 成文日期 and the number's year */
    int64_t issued_by; /* user id, 0 = system (a job) */
    const char *actor, *request_id, *ip; /* for the audit row */
    int64_t rule_set_id;                 /* the rule-set version the content came from (0: none) */
    int rule_version;
};
struct doc_issued {
    int64_t id, attachment_id, seq, rule_set_id;
    int rule_version;
    char number[96];
    char sha256[65];
    char verify_token[32];
};

/* Number, render, store (content-addressed attachment of the enterprise, or of the case when
   case_id is set) and audit one document inside the caller's write transaction db (from
   store_begin; the caller commits or rolls back, and a rollback gives the number back).
   ERR_NOTFOUND (org unit or enterprise), ERR_INPUT (the org unit has no doc_prefix, unknown
   kind), ERR_CONFLICT (a document of this kind and dedup_key exists), ERR_IO; err says which. */
int documents_issue(struct db *db, const struct doc_issue *in, struct doc_issued *out, char *err,
                    size_t errcap);

/* The public base URL the QR codes point to (setting public_url, no trailing slash). */
const char *documents_public_url(void);

/* Issue the permit-expiry reminder letter for one permit, by the given org unit (0: the unit
   responsible for the enterprise's region). The window is warn_days of the permit.expiry rule
   set in force for the enterprise's region on today; the letter records that version
   (documents.rule_set_id / rule_version) and the version is marked used, in db's transaction.
   ERR_CONFLICT with the existing number in err when the permit already has one for its current
   validity period (or the version changed meanwhile); ERR_AGAIN when it is not due yet (outside
   the window); ERR_INPUT when it is inactive or expired, or no permit.expiry version is in
   force there. */
int documents_permit_reminder(struct db *db, int64_t permit_id, int64_t org_unit_id,
                              const char *today, int64_t issued_by, const char *actor,
                              struct doc_issued *out, char *err, size_t errcap);
/* The nightly job: issue a reminder for every active permit due within its region's
   permit.expiry window of today (China date) that has none for its current validity period,
   each letter in a transaction of its own. *issued and *failed get the counts; a letter that
   fails is logged and the run goes on. Returns nonzero only when the run itself could not go on
   (the database). Idempotent: a second run the same day issues nothing. */
int documents_permit_reminders_run(struct store *s, const char *today, int *issued, int *failed);

/* Module seed: the document-number prefixes of the 湖州 units (湖环, 湖环长 …) where a unit of
   that name has none. Idempotent. */
int documents_seed(struct store *s, char *err, size_t errcap);
/* The module's descriptor (src/app/modules.c lists it) and its routes. */
void documents_routes(struct router *rt);
extern const struct module documents_module;

#endif
