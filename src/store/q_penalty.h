/*
** Penalty-case queries (table penalty_cases, migration 020; src/penalty/). Lists are scoped by
** the enterprise (alias e); the public reads show only published decisions whose credit event
** (credit_events source 'penalty', source_id the case) is not revoked — a granted credit repair
** revokes it and so withdraws the publication.
*/
#ifndef ENVGOV_STORE_Q_PENALTY_H
#define ENVGOV_STORE_Q_PENALTY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

struct pen_row {
    int64_t id, enterprise_id, problem_id, case_id, hearing_requested, advisory_yuan, amount_yuan;
    int64_t discretion_rule_set_id, discretion_rule_version, exempt_rule_set_id,
        exempt_rule_version;
    int64_t notice_document_id, decision_document_id, rectify_order_id, credit_event_id, published;
    char region_code[16], violation_type[64], status[16], found_on[11], filed_on[11],
        noticed_on[11], decided_on[11], executed_on[11], closed_on[11], outcome[16], mitigation[16],
        mitigation_basis[64], exempt_item[64], decision_no[96];
    char enterprise_name[256], industry_code[16];
    char case_state[32];
    int64_t org_unit_id;
};
/* One case with its enterprise and its case's state. ERR_NOTFOUND. */
int store_penalty_get(struct db *db, int64_t id, struct pen_row *out);
/* The whole row as a JSON object (the *_json columns embedded). */
int store_penalty_json(struct db *db, int64_t id, struct buf *out);

struct pen_new {
    int64_t enterprise_id, problem_id, created_by;
    const char *region_code, *violation_type, *title, *facts, *found_on, *filed_on,
        *created_by_name;
};
int store_penalty_insert(struct db *db, const struct pen_new *n, const char *now, int64_t *id);
int store_penalty_set_case(struct db *db, int64_t id, int64_t case_id);
/* Any case of this problem not closed without a decision (dismissed); *id 0 when none. */
int store_penalty_of_problem(struct db *db, int64_t problem_id, int64_t *id);
int store_penalty_status(struct db *db, int64_t id, const char *status, const char *now);

struct pen_discretion_save {
    const char *factors_json, *mitigation, *mitigation_basis, *reasoning_json, *departure_reason;
    int64_t advisory_yuan, amount_yuan, rule_set_id, rule_version;
};
int store_penalty_save_discretion(struct db *db, int64_t id, const struct pen_discretion_save *d,
                                  const char *now);
int store_penalty_noticed(struct db *db, int64_t id, const char *noticed_on, int64_t document_id,
                          const char *now);
int store_penalty_hearing(struct db *db, int64_t id, const char *now);

struct pen_decision {
    const char *outcome, *decided_on, *decision_no, *education, *exempt_item, *exempt_eval_json;
    int64_t document_id, rectify_order_id, credit_event_id, published, exempt_rule_set_id,
        exempt_rule_version;
};
int store_penalty_decide(struct db *db, int64_t id, const struct pen_decision *d, const char *now);
/* executed_on / closed_on of the step (status set by store_penalty_status). */
int store_penalty_mark(struct db *db, int64_t id, const char *column, const char *day,
                       const char *now);
int store_penalty_publish(struct db *db, int64_t id, bool published, const char *now);

/* The latest decided_on of another case of the enterprise and violation type decided penalty or
   no_penalty on or before `before` (YYYY-MM-DD), into out ("" when none). */
int store_penalty_last_same(struct db *db, int64_t enterprise_id, const char *violation_type,
                            int64_t except_id, const char *before, char out[11]);

/* The hourly averages (cn 2061, kind Avg) of point_id with China dates in [from, to], with the
   active hourly limit of the point's outlet for that factor (0 when none): row(ctx, factor, day,
   hour, value, limit) for each. */
int store_penalty_hourly(struct db *db, int64_t point_id, const char *from, const char *to,
                         void (*row)(void *ctx, const char *factor, const char *day, int hour,
                                     double value, double limit),
                         void *ctx);

struct pen_list_query {
    const char *status, *outcome, *violation_type, *q, *sort;
    int64_t enterprise_id, limit, offset;
    bool desc;
};
/* {"items":[…],"total":n} within sc. */
int store_penalty_list(struct db *db, const struct scope *sc, const struct pen_list_query *q,
                       struct buf *out);
/* The public decisions (published, not withdrawn): {"items":[…],"total":n}; q filters the
   enterprise name, violation_type the type. */
int store_penalty_public_list(struct db *db, const struct pen_list_query *q, struct buf *out);
/* One public decision as JSON; ERR_NOTFOUND when not public (unpublished, withdrawn). */
int store_penalty_public_get(struct db *db, int64_t id, struct buf *out);
/* Counts for the dashboard within sc: open cases, decided this year, no-penalty this year. */
int store_penalty_counts(struct db *db, const struct scope *sc, const char *year_from,
                         int64_t *open, int64_t *penalties, int64_t *exempt);
/* The enterprise's name and address and the industry's name, for documents. */
int store_penalty_enterprise(struct db *db, int64_t id, char *name, size_t ncap, char *uscc,
                             size_t ucap, char *address, size_t acap);

extern const struct audit_kind penalty_audit_kinds[];

/* The name of industry code (the industries table), "" when unknown. */
int store_penalty_industry_name(struct db *db, const char *code, char *out, size_t cap);

#endif
