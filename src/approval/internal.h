/*
** Inside the approval module: the rule set in force and the catalogue loaded for one request
** (intake.c), the documents it issues (docs.c) and the routes (api.c, intake.c).
*/
#ifndef ENVGOV_APPROVAL_INTERNAL_H
#define ENVGOV_APPROVAL_INTERNAL_H

#include "approval/approval.h"
#include "cases/cases.h"
#include "http/http.h"
#include "rules/rules.h"
#include "store/q_approval.h"

#define EIA_MAX_CATALOGUE 400

/* The approval.routes version in force for a region on a day, parsed. */
struct eia_context {
    struct eia_rules rules;
    struct rule_ref ref;
    struct eia_catalogue_item items[EIA_MAX_CATALOGUE];
    size_t n_items;
    char why[200]; /* why the version in force does not parse, "" else */
};
/* ERR_CONFLICT when no approval.routes version is in force (or it does not parse: cx->why
   says why). */
int eia_context_load(struct db *db, const char *region_code, const char *today,
                     struct eia_context *cx);
/* The 409 answer of a failed eia_context_load (naming the parse error when there is one), or
   rc's error. */
int eia_context_fail(struct req *r, int rc, const struct eia_context *cx);

/* Issue document kind ("eia_receipt", "eia_notice", "eia_decision", "eia_reject", "eia_card")
   for application row in db's transaction; the response is set on failure. */
struct doc_field;
int eia_issue(struct req *r, struct db *db, const struct eia_row *row, const char *kind,
              const struct doc_field *f, size_t n, const char *today, int64_t *attachment_id);
/* Register the document kinds (idempotent). */
void eia_documents_register(void);

/* The working day `days` after ymd (ERR_NOTFOUND with a missing year). */
int eia_add_workdays(const char *ymd, int days, char out[11], int *missing_year);

/* The post-approval verification (a case of type eia_verify) of application id took action
   ("verify" or "find_false") in the caller's transaction: a false commitment revokes the approval,
   files the enterprise's credit event and notifies it; both are audited on the application. */
int approval_verified(struct db *db, int64_t id, const char *action, const struct case_actor *who,
                      const char *note, const char *now);

/* A JSON array column of an application (checklist_json, missing_json) parsed; NULL with a
   500 response set when it does not parse: a broken column is an error, never "nothing". */
json_t *eia_column_json(struct req *r, const char *text, const char *column);

void approval_api_routes(struct router *rt);
void approval_intake_routes(struct router *rt);
void approval_session_routes(struct router *rt);

#endif
