/*
** Inside the penalty module: the case type, the documents, the rule sets in force, the facts of
** a case for the no-penalty list.
*/
#ifndef ENVGOV_PENALTY_INTERNAL_H
#define ENVGOV_PENALTY_INTERNAL_H

#include "cases/cases.h"
#include "core/buf.h"
#include "penalty/penalty.h"
#include "rules/rules.h"
#include "store/q_penalty.h"

/* The penalty case type (registered at start and before use). */
void penalty_case_register(void);
/* The document kinds (行政处罚事先告知书, 行政处罚决定书, 不予行政处罚决定书). */
void penalty_documents_register(void);

/* The three rule sets in force for a region on a date; bodies owned (pen_rules_free). */
struct pen_rules {
    json_t *disc_body, *exempt_body, *clocks_body;
    struct rule_ref disc_ref, exempt_ref, clocks_ref;
    struct pen_discretion disc;
};
/* ERR_NOTFOUND naming the missing kind in *kind; ERR_INPUT when the discretion body does not
   read. */
int pen_rules_load(struct db *db, const char *region, const char *date, struct pen_rules *r,
                   const char **kind);
void pen_rules_free(struct pen_rules *r);

/* The facts of case row for the no-penalty list, from the problem, the history, the
   rectification orders and the monitoring data; hw < 0 = not entered. Strings into store. */
struct pen_fact_store {
    char last_same[11], found_on[11], corrected_on[11];
    int64_t point_id;
    char mon_from[11], mon_to[11];
};
int pen_case_facts(struct db *db, const struct pen_row *row, const struct pen_rules *r, double hw,
                   struct pen_facts *f, struct pen_fact_store *fs);
/* Every item of the exempt rule set evaluated on f, as a JSON array; *passed_item the first
   applying item that passed ("" none) — copied into passed[64]. */
int pen_exempt_json(const struct pen_rules *r, const struct pen_facts *f, struct buf *out,
                    char passed[64]);

/* The industries a violation type applies to (a 2-digit division or "*") */
bool pen_applies_to_industry(const json_t *violation, const char *industry_code);

#endif
