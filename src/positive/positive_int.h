/*
** Inside the positive-list module: the writes behind the routes (positive.c), shared by api.c,
** module.c and the demo seed. Not for other modules (they use positive.h).
*/
#ifndef ENVGOV_POSITIVE_POSITIVE_INT_H
#define ENVGOV_POSITIVE_POSITIVE_INT_H

#include "positive/positive.h"
#include "rules/rules.h"

/* Why a write was refused: the HTTP status, an error code, the field and a zh / en message. */
struct positive_refusal {
    int status;
    const char *code, *field;
    char msg[600];
};

/* The criteria in force for region on date into *c and *ref. ERR_NOTFOUND when no
   positive.criteria version is in force there; ERR_INPUT when its body does not read. */
int positive_criteria_in_force(struct db *db, const char *region, const char *date,
                               struct positive_criteria *c, struct rule_ref *ref);

/* Admit an enterprise that meets the criteria in force (the writer's transaction): the entry,
   rules_mark_used and the audit row. Refusals: 404 no such enterprise, 409 barred / already
   listed / nomination pending / no rule set in force, 422 a criterion fails (each failing one
   named in the message). *entry_id gets the entry. */
int positive_admit(struct db *db, int64_t enterprise_id, const char *note,
                   const struct positive_actor *who, const char *today, const char *now,
                   int64_t *entry_id, struct positive_refusal *why);

/* Nominate an enterprise with a reason: the nomination and its case (type
   positive_nomination, a workday clock from the rule set), in the writer's transaction. Refused
   as positive_admit for the bar, a listing in force, a pending nomination; 422 when the rule
   set allows no nomination. */
int positive_nominate(struct db *db, int64_t enterprise_id, const char *reason,
                      const struct positive_actor *who, const char *today, const char *now,
                      int64_t *nomination_id, int64_t *case_id, struct positive_refusal *why);

/* Remove an entry in force with a reason; malicious bars re-entry for the rule set's bar years
   (barred_to = today + bar_years). 404 no such entry, 409 no longer in force. */
int positive_remove(struct db *db, int64_t entry_id, const char *reason, bool malicious,
                    const struct positive_actor *who, const char *today, const char *now,
                    char barred_to[11], struct positive_refusal *why);

/* The job positive.expire: mark the entries whose term ended by today, each with an audit row,
   in one transaction per batch of 200. *n gets how many. */
int positive_expire_run(struct store *s, const char *today, int *n);

/* Decide a pending on-site request ("approve" / "refuse", a note required to refuse). */
int positive_onsite_decide(struct db *db, int64_t id, const char *decision, const char *note,
                           const struct positive_actor *who, const char *now,
                           struct positive_refusal *why);

/* Record an off-site check ("data_review", "video_check", "power_check") of a listed firm. */
int positive_offsite_add(struct db *db, int64_t enterprise_id, const char *kind,
                         const char *seen_on, const char *note, const struct positive_actor *who,
                         const char *today, const char *now, int64_t *id,
                         struct positive_refusal *why);

/* The to-do source of on-site approval requests for leaders (module.c). */
extern const struct todo_source positive_todo_sources[];

#endif
