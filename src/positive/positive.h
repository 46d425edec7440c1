/*
** The enforcement positive list (监督执法正面清单): firms of good standing that get no routine
** on-site inspection (无事不扰) and are supervised off-site instead. A firm enters by the
** criteria of the rule set `positive.criteria` in force for its region (credit grade, no
** penalty in N years, supervision category, a qualifying tag, no bar), admitted by an officer
** from the candidates view, or by a nomination that a leader approves on a case of type
** `positive_nomination`. A listing lasts the rule set's term (listed_to = listed_from + 3
** years, exclusive); removal needs a reason, and a removal for a malicious violation bars the
** firm for the bar years. Listed firms get no on-site inspection without the approval of the
** head of enforcement (a leader) except to verify a complaint (positive_onsite_check and the
** approval requests); their off-site supervision (alarms seen, data / video / power use
** checked) is recorded. This module owns positive_list (the contract table other modules read:
** /work CONTRACT), positive_nominations, positive_onsite_requests and positive_offsite; see
** docs/internals/positive.md.
**
** The criteria evaluation (positive_criteria_parse, positive_evaluate, positive_date_add_years)
** is pure: tests/unit/positive/.
*/
#ifndef ENVGOV_POSITIVE_POSITIVE_H
#define ENVGOV_POSITIVE_POSITIVE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/module.h"
#include "store/store.h"

/* ---------------- the criteria (pure) ---------------- */

#define POSITIVE_MAX_GRADES 8
#define POSITIVE_MAX_TAGS 8

/* A positive.criteria rule-set body (data/rules/schemas/positive.criteria.json). */
struct positive_criteria {
    char grades[POSITIVE_MAX_GRADES][17]; /* admissible credit grade codes */
    size_t n_grades;
    int no_penalty_years; /* 0 = not checked */
    char categories[3][16];
    size_t n_categories;
    char tags[POSITIVE_MAX_TAGS][32]; /* the firm needs one of them; none = not required */
    size_t n_tags;
    int term_years, bar_years;
    bool nomination_allowed;
    int nomination_workdays;
};

/* Fill *out from a rule-set body. ERR_INPUT (with the member's name in *field) when a member
   is missing or of the wrong type — a body the schema accepted never is. Pure. */
int positive_criteria_parse(const json_t *body, struct positive_criteria *out, const char **field);

/* What the data says of one enterprise on a day. Strings are borrowed; "" means none. */
struct positive_facts {
    const char *grade;        /* credit_current.grade; "" = no grade yet */
    const char *category;     /* enterprises.category: key, general, special */
    const char *tags;         /* enterprises.tags, a comma list */
    const char *last_penalty; /* the latest occurred_on of a penalty event not revoked */
    const char *barred_to;    /* the latest bar end of a malicious removal */
    const char *listed_to;    /* the end of the listing in force on the day */
};

enum positive_criterion {
    PC_GRADE,
    PC_PENALTY,
    PC_CATEGORY,
    PC_TAG,
    PC_BAR,
    PC_LISTED,
    PC_N,
};

/* One criterion as judged: its key ("grade", "no_penalty", "category", "tag", "not_barred",
   "not_listed"), whether it holds, and why in both languages. */
struct positive_check {
    const char *key;
    bool ok;
    char zh[400], en[400];
};

struct positive_eval {
    bool eligible; /* every criterion holds */
    struct positive_check checks[PC_N];
};

/*
** Judge f against c on date (YYYY-MM-DD, China time). A penalty counts when it occurred on or
** after date − no_penalty_years years; a bar holds while date < barred_to; a listing is in force
** while date < listed_to. Every criterion is judged (none stops the others) so the candidates
** view can show them all. ERR_INPUT for a malformed date. Pure; allocates nothing.
*/
int positive_evaluate(const struct positive_criteria *c, const struct positive_facts *f,
                      const char *date, struct positive_eval *out);
/* The checks of e as a JSON array [{"criterion","ok","zh","en"}] appended to out. */
void positive_eval_json(const struct positive_eval *e, struct buf *out);

/* date + years into out (YYYY-MM-DD): the same month and day; 29 February in a year that has
   none becomes 1 March. ERR_INPUT for a malformed date or a year outside 1900..9999. Pure. */
int positive_date_add_years(const char *date, int years, char out[11]);

/* ---------------- what other modules ask (CONTRACT.md) ---------------- */

/* Whether the enterprise is on the list on date (YYYY-MM-DD): a row with listed_from <= date <
   listed_to that was not removed on or before date. Reads through db (any connection). */
int positive_listed(struct db *db, int64_t enterprise_id, const char *date, bool *listed);

/* On-site inspection purposes: complaint verification is the one that needs no approval. */
#define POSITIVE_PURPOSE_COMPLAINT "complaint"

/*
** Whether an on-site inspection of the enterprise on date for purpose ("complaint", "draw",
** "routine", "campaign", "other" …) needs the approval of the head of enforcement: true when
** the firm is listed on date, the purpose is not complaint verification and no approved
** request (positive_onsite_requests) covers that enterprise on that date. An unknown purpose
** counts as needing approval. *request_id (may be NULL) gets the approved request, 0 for none.
** Reads through db. ERR_INPUT for an empty purpose or a malformed date.
*/
int positive_onsite_check(struct db *db, int64_t enterprise_id, const char *date,
                          const char *purpose, bool *needs_approval, int64_t *request_id);

/* Who does something, for the rows and the audit log. */
struct positive_actor {
    int64_t user_id; /* 0 = the system */
    const char *name;
    const char *request_id, *ip; /* NULL outside a request */
};

/*
** Ask the head of enforcement to approve an on-site inspection of a listed firm, in the
** caller's transaction (db is the writer): a pending request with an audit row; *id gets it.
** source_kind / source_id name the asking record (an inspection case), "" / 0 for none.
** ERR_CONFLICT when the firm is not listed on visit_date, ERR_INPUT for complaint
** verification (no approval needed) or bad input; *why gets a zh / en reason.
*/
int positive_onsite_request(struct db *db, int64_t enterprise_id, const char *purpose,
                            const char *visit_date, const char *reason, const char *source_kind,
                            int64_t source_id, const struct positive_actor *who, const char *now,
                            int64_t *id, char *why, size_t cap);

/*
** The one approval path (decision 69): a record that asks for an on-site approval (a draw
** target, an inspection task) files a request with its source_kind / source_id and registers a
** hook for that source_kind; a decision taken on the positive list's route runs the hook in the
** deciding transaction so the record follows (its case approved or refused), and a decision taken
** on the record's own page settles the request (positive_onsite_settle) without the hook. A
** nonzero return of the hook refuses the decision. At most 8 kinds, registered before threads.
*/
typedef int (*positive_onsite_hook)(struct db *db, int64_t source_id, bool approved,
                                    const char *note, const struct positive_actor *who,
                                    const char *now);
void positive_onsite_hook_add(const char *source_kind, positive_onsite_hook fn);
/* Decide the pending request filed by (source_kind, source_id), in the caller's transaction,
   with its audit row; no hook runs. ERR_NOTFOUND when it has none pending (nothing to do). */
int positive_onsite_settle(struct db *db, const char *source_kind, int64_t source_id, bool approve,
                           const char *note, const struct positive_actor *who, const char *now);

/* ---------------- the module ---------------- */

/* Register the positive_nomination case type (idempotent). */
void positive_case_register(void);
/* `envgov demo`: list a few of the demo's firms through the module (nominations approved by
   the demo leader), in the caller's transaction. *n gets how many were listed. */
int positive_demo_seed(struct db *db, const char *today, int *n);

struct router;
void positive_routes(struct router *rt);
/* The module's descriptor (src/app/modules.c lists it). */
extern const struct module positive_module;

#endif
