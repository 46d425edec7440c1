/*
** Named queries of EIA approval (src/approval/): the classification catalogue (eia_catalogue),
** applications (eia_applications), obligations after approval (eia_obligations), migration 023;
** the ledger (挂账销号) and the public notices, the to-do items and the dashboard's figures.
*/
#ifndef ENVGOV_STORE_Q_APPROVAL_H
#define ENVGOV_STORE_Q_APPROVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

extern const struct entity_def ENTITY_EIA_APPLICATION, ENTITY_EIA_CATALOGUE;
extern const struct audit_kind approval_audit_kinds[];

/* An active catalogue item: fn per row (text valid during the call). */
typedef void (*eia_item_fn)(int64_t id, const char *item_no, const char *prefixes,
                            const char *default_class, const char *keywords, double min_investment,
                            void *ctx);
int store_eia_catalogue_each(struct db *db, eia_item_fn fn, void *ctx);
/* Items of the catalogue (for the seed: 0 = empty). */
int store_eia_catalogue_count(struct db *db, int64_t *n);
int store_eia_catalogue_insert(struct db *db, const char *item_no, const char *category,
                               const char *project_type, const char *prefixes,
                               const char *report_cond, const char *form_cond,
                               const char *registration_cond, const char *default_class,
                               const char *keywords, double min_investment, const char *now);

struct eia_new {
    int64_t enterprise_id, preparer_agency_id, consult_id, catalogue_id, filed_by, rule_set_id;
    int64_t officer_user_id;
    int rule_version;
    const char *project_name, *industry_code, *geometry, *capacity, *pollutants_json, *park;
    double investment;
    const char *proposed_class, *cls, *class_reason, *zoning_verdict, *zoning_json, *route;
    const char *route_reasons_json, *checklist_json, *state, *receipt_no, *filed_on;
    const char *assessments; /* NULL = "eia" */
    const char *bundle_json; /* NULL = "[]" */
    bool sensitive, key_project, commitment_signed;
};
/* Insert (the enterprise's name and region copied). ERR_NOTFOUND for no such enterprise. */
int store_eia_insert(struct db *db, const struct eia_new *n, const char *now, int64_t *id);

struct eia_row {
    int64_t id, enterprise_id, case_id, verify_case_id, rule_set_id, catalogue_id;
    int64_t preparer_agency_id, officer_user_id;
    int rule_version, limit_days, statutory_days;
    bool sensitive, key_project, commitment_signed;
    double investment;
    char state[16], cls[16], proposed_class[16], route[16], region_code[16], industry_code[16];
    char zoning_verdict[16], filed_on[11], accepted_on[11], receipt_no[40];
    char park[401]; /* EIA_PARK_BYTES: 100 characters */
    char assessments[40];
    char enterprise_name[201], project_name[257];
    char *checklist_json, *missing_json, *capacity; /* whole, in the arena a */
};
struct arena;
/* The row; its JSON and text columns are copied at full length into a. */
int store_eia_get(struct db *db, int64_t id, struct arena *a, struct eia_row *out);

/* Set the checklist and 容缺 items (a document linked or received). */
int store_eia_set_docs(struct db *db, int64_t id, const char *checklist_json,
                       const char *missing_json, const char *now);
/* Move state from `from` to `to` (ERR_CONFLICT when the row is not in `from`). */
int store_eia_move(struct db *db, int64_t id, const char *from, const char *to, const char *now);
/* The one-time notice: text and date, state notice. */
int store_eia_notice(struct db *db, int64_t id, const char *text, const char *on, const char *now);
/* Accepted: the case, the limit and the 容缺 items. */
int store_eia_accept(struct db *db, int64_t id, int64_t case_id, const char *on,
                     const char *missing_json, int statutory, double ratio, int limit_days,
                     int64_t rule_set_id, int rule_version, const char *comment_until,
                     const char *now);
/* A class set by staff with the route it gives. */
int store_eia_set_class(struct db *db, int64_t id, const char *cls, const char *reason,
                        const char *route, const char *reasons_json, const char *now);
/* The decision (state approved | rejected). */
int store_eia_decide(struct db *db, int64_t id, const char *state, const char *conditions,
                     const char *reason, int64_t by, const char *on, const char *comment_until,
                     int64_t verify_case_id, const char *now);
/* A false commitment: approved → revoked with the reason. ERR_CONFLICT when not approved. */
int store_eia_revoke(struct db *db, int64_t id, const char *reason, const char *now);

/* The next receipt number of year ("2026"): HJBA<year><5 digits>. */
int store_eia_next_receipt(struct db *db, const char *year, char *out, size_t cap);

/* An enterprise's name, region and industry code (a bundle's member). ERR_NOTFOUND. */
int store_eia_enterprise(struct db *db, int64_t id, char name[256], char region[16],
                         char industry[16]);

/* Whether agency id exists (an EIA preparer from the registry). */
bool store_eia_agency_exists(struct db *db, int64_t id);
/* Whether attachment id is an active attachment of application application_id. */
bool store_eia_attachment_of(struct db *db, int64_t id, int64_t application_id);
/* An in-app notice to the enterprise. */
int store_eia_notify(struct db *db, int64_t enterprise_id, const char *event, const char *title,
                     const char *now);

/* The number of the application's document of kind ("" when none). */
int store_eia_document_number(struct db *db, int64_t id, const char *kind, char *out, size_t cap);

/* One application as JSON, with its case's clock state at now and its obligations. */
int store_eia_json(struct db *db, int64_t id, const char *now, struct buf *out);

struct eia_ledger_query {
    const char *now, *clock, *route, *cls, *state, *q;
    int64_t limit, offset;
};
/* The 挂账销号 ledger: applications on a clock (accepted, and those decided), each with its
   owner (the case's assignee or org unit), working days used and left, the clock state;
   {"items":[…],"total":n,"summary":{"by_clock":{…}}}. */
int store_eia_ledger(struct db *db, const struct scope *sc, const struct eia_ledger_query *q,
                     struct buf *out);
/* The public notices: acceptance (受理公示) and decisions (审批决定公告), newest first. */
int store_eia_public(struct db *db, int64_t limit, struct buf *out);

int store_eia_obligation_add(struct db *db, int64_t application_id, int64_t enterprise_id,
                             const char *kind, const char *title, const char *due_on,
                             const char *now);
/* Obligations of an application as a JSON array. */
int store_eia_obligations_json(struct db *db, int64_t application_id, struct buf *out);
/* Mark obligation id done on `on` (the enterprise's own). ERR_NOTFOUND / ERR_CONFLICT. */
int store_eia_obligation_done(struct db *db, int64_t id, int64_t enterprise_id, const char *on,
                              int64_t *application_id);
/* The enterprise's open obligations as to-do items (limit 0: count only). */
int store_eia_todo(struct db *db, int64_t enterprise_id, const char *today, const char *soon,
                   size_t limit, struct buf *out, size_t *n, int64_t *total, int64_t *overdue);
/* Applications waiting for acceptance in scope as to-do items for approvers. */
int store_eia_intake_todo(struct db *db, const struct scope *sc, size_t limit, struct buf *out,
                          size_t *n, int64_t *total);

/* The dashboard's figures: counts by route and class, by month (filed, decided, on time),
   working days used against statutory and promised. */
int store_eia_stats(struct db *db, const struct scope *sc, const char *now, struct buf *out);
int store_eia_dashboard(struct db *db, const struct scope *sc, const char *now, struct buf *out);

/* Collective review sessions (eia_sessions, eia_session_items). */
int store_eia_session_insert(struct db *db, const char *region_code, const char *title,
                             const char *kind, const char *held_on, const char *experts_json,
                             int64_t by, const char *now, int64_t *id);
int store_eia_session_item_add(struct db *db, int64_t session_id, int64_t application_id);
/* The session's state ("open" / "closed"); ERR_NOTFOUND. */
int store_eia_session_state(struct db *db, int64_t id, char state[16]);
/* The applications of a session: fn per (application id, its case id). */
typedef void (*eia_session_item_fn)(int64_t application_id, int64_t case_id, void *ctx);
int store_eia_session_items_each(struct db *db, int64_t id, eia_session_item_fn fn, void *ctx);
/* Close an open session with its opinion (ERR_CONFLICT when not open). */
int store_eia_session_close(struct db *db, int64_t id, const char *opinion, const char *now);
/* The region of a session (the prefix its applications' regions share). */
int store_eia_session_region(struct db *db, int64_t id, const char *region_code);
/* Sessions newest first that hold an application within sc, each with its applications within
   sc ({items:[…]}); one session when id > 0. */
int store_eia_sessions_json(struct db *db, const struct scope *sc, int64_t id, struct buf *out);
/* The state of case id ("" when none). */
int store_eia_case_state(struct db *db, int64_t case_id, char state[32]);

/* The demo: the user id of username, and the k-th enterprise whose industry starts with prefix
   (its region and industry code). */
int store_eia_demo_user(struct db *db, const char *username, int64_t *id);
int store_eia_demo_enterprise(struct db *db, const char *prefix, size_t k, int64_t *id,
                              char region[16], char industry[16]);

#endif
