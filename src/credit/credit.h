/*
** Environmental credit (环境信用评价) of enterprises and agencies: a score and grade from events,
** each counting for a validity period set by the rule set in force (kinds credit.scoring for
** enterprises, credit.agency for agencies, resolved by the subject's region). The module owns
** the event feed (credit_events), the grade in force (credit_current), the grade history
** (credit_grades) and objections (credit_objections, run as cases of type credit_objection).
**
** The engine (engine.c) is pure: a parsed rule body, a subject's events and a date give the
** score, the grade and the events that count with their effect (tests/unit/credit/). Other
** modules feed events with credit_event_add in their own transaction and ask grades with
** credit_grade_at. See docs/internals/credit.md.
*/
#ifndef ENVGOV_CREDIT_CREDIT_H
#define ENVGOV_CREDIT_CREDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/module.h"
#include "store/store.h"

#define CREDIT_CODE_MAX 16
#define CREDIT_TYPE_MAX 40
#define CREDIT_MAX_GRADES 8
#define CREDIT_MAX_TYPES 32

/* ---------------- the engine (pure) ---------------- */

struct credit_grade_band {
    char code[CREDIT_CODE_MAX + 1];
    double min; /* a score >= min is this grade (bands best first) */
};

struct credit_type_rule {
    char type[CREDIT_TYPE_MAX + 1];
    double points;    /* per event; negative = a deduction */
    int valid_months; /* 0 = counts without end */
    bool veto;        /* forces the lowest grade while it counts */
    double cap;       /* bound on |sum of this type's effects|; 0 = none */
    bool variable;    /* the event carries its own points within [min_points, max_points] */
    double min_points, max_points;
};

/* A rule body (credit.scoring / credit.agency) parsed once for many subjects. */
struct credit_model {
    double base, new_firm_score, min, max;
    int new_firm_months; /* 0 = no new-firm start */
    int objection_workdays;
    struct credit_grade_band grades[CREDIT_MAX_GRADES];
    size_t n_grades;
    struct credit_type_rule types[CREDIT_MAX_TYPES];
    size_t n_types;
};

/* Parse body into *m. ERR_INPUT with a message in err for a body that does not fit (the schema
   has checked it already when it came through the rules module). Allocates nothing. */
int credit_model_parse(const json_t *body, struct credit_model *m, char *err, size_t errcap);
/* The rule of type in m, or NULL when the rule set does not score that type. */
const struct credit_type_rule *credit_model_type(const struct credit_model *m, const char *type);

/* One event as the engine sees it (revoked events are not given to it). type is borrowed. */
struct credit_event {
    int64_t id;
    const char *type;
    char occurred_on[11]; /* YYYY-MM-DD */
    bool has_points;      /* points chosen at entry (a variable type) */
    double points;
};

/* An event that counts on the date, with its effect on the score (after the type's cap). */
struct credit_effect {
    int64_t event_id;
    const char *type; /* borrowed from the event */
    double effect;
    bool veto;
    char until[11]; /* the last day it counts, "" = without end */
};

struct credit_result {
    double score;
    const char *grade; /* a code in the model's grades */
    bool veto;
    size_t n_counted; /* effects written (at most the cap given) */
};

/*
** Score a subject on date (YYYY-MM-DD): the model's start (new_firm_score when the subject
** entered the registry fewer than new_firm_months before date: registered_on, "" = not new),
** plus each counting event's effect (types in order of the rule set; a type's total clamped to
** its cap), clamped to [min, max]; the grade is the first band whose min the score reaches, or
** the last when a veto item counts. An event counts from occurred_on (not after date) until
** valid_months later (exclusive). The effects of counting events go to eff[0..cap) in event
** order. Pure; allocates nothing.
*/
void credit_score(const struct credit_model *m, const struct credit_event *ev, size_t n,
                  const char *date, const char *registered_on, struct credit_result *out,
                  struct credit_effect *eff, size_t cap);
/* date + months as YYYY-MM-DD into out (a day past the month's end becomes its last day). */
void credit_add_months(const char *date, int months, char out[11]);

/* ---------------- grades and events in the database ---------------- */

struct credit_grade {
    char grade[CREDIT_CODE_MAX + 1];
    double score;
    int64_t rule_set_id;
    int rule_version;
    char since[11];
};

/* The grade of subject_kind ("enterprise" / "agency") id on date (YYYY-MM-DD) from the grade
   history: the last change on or before date, with the rule-set version that made it.
   ERR_NOTFOUND when it had no grade then. Reads through db (any connection). */
int credit_grade_at(struct db *db, const char *subject_kind, int64_t id, const char *date,
                    struct credit_grade *out);

/* A new event for the feed. */
struct credit_event_input {
    const char *subject_kind; /* "enterprise" / "agency" */
    int64_t subject_id;
    const char *type;
    const char *occurred_on; /* YYYY-MM-DD (China date) */
    bool has_points;         /* only for a variable type */
    double points;
    const char *reason, *evidence;
    int64_t evidence_attachment_id; /* 0 = none */
    const char *source;             /* "manual", "alarm", "penalty" … */
    int64_t source_id;
    const char *dedupe_key; /* NULL = none; an event already filed under the key is kept */
    int64_t actor_id;       /* 0 = system */
    const char *actor, *request_id, *ip;
};

/* Store an event in the caller's transaction (db the writer), write its audit row and
   recompute the subject's grade (credit_recompute_one). *id gets the event id (0 when
   dedupe_key already had one: nothing changes). ERR_INPUT for an unknown subject. */
int credit_event_add(struct db *db, const struct credit_event_input *in, const char *now,
                     int64_t *id);
/* Revoke event id (reason required) and recompute its subject; cause "revoke" or
   "objection". ERR_NOTFOUND, ERR_CONFLICT when already revoked. */
int credit_event_revoke(struct db *db, int64_t id, const char *reason, int64_t actor_id,
                        const char *actor, const char *cause, const char *now);
/* Recompute one subject on today's China date in the caller's transaction: a history row and
   the new current grade when the grade or score changed (cause says why), the rule version
   marked used. ERR_NOTFOUND when no rule set of the kind is in force for its region. */
int credit_recompute_one(struct db *db, const char *subject_kind, int64_t id, const char *cause,
                         const char *now);

/* The monitor opened alarm alarm_id of kind ("exceed" counts) at now: file the enterprise's
   exceedance day (one per China date) in the same transaction. Other kinds: nothing. */
int credit_alarm_opened(struct db *db, int64_t alarm_id, const char *kind, const char *now);

/* The nightly pass (job credit.recompute, and the benchmark): every active enterprise and
   agency on today's China date, in batches of its own transactions; exceedance days of alarms
   the hook missed are filed first. *n_subjects / *n_changed get the counts. */
int credit_recompute_all(struct store *s, const char *now, int64_t *n_subjects, int64_t *n_changed,
                         char *err, size_t errcap);

/* File an objection of enterprise_id against event_id or grade change grade_id (one of them,
   the other 0) with the enterprise's reason, and open its case (deadline: objection_workdays of
   the rule set in force, working days), in the caller's transaction. *id / *case_id get them. */
int credit_objection_file(struct db *db, int64_t enterprise_id, int64_t event_id, int64_t grade_id,
                          const char *reason, int64_t actor_id, const char *actor, const char *now,
                          int64_t *id, int64_t *case_id);
/* Demo data (the module's demo hook for `envgov demo`, in its transaction; today the China
   date): six months of events of every enterprise and agency, graded at the end of each month;
   the demo enterprise user's firm gets a story of its own. Appends ", N credit events" to
   summary. */
int credit_demo(struct db *db, const char *today, struct buf *summary);
/* Register the credit_objection case type (idempotent). */
void credit_objection_register(void);

struct router;
void credit_routes(struct router *rt);
/* The module's descriptor (src/app/modules.c lists it). */
extern const struct module credit_module;

/* The 工作台's credit figures (the descriptor's dashboard; api.c). */
int credit_dashboard(struct req *r, struct db *db, struct buf *out);

#endif
