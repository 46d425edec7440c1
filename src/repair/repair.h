/*
** Credit repair (信用修复): an enterprise applies for the repair of one credit event of its own
** (a penalty or another negative event) with a statement and attachments; the conditions of the
** credit.repair rule set in force for its region are checked from data and shown item by item
** with their values — the minimum publicity served, the rectification verified (the rectify
** hub's orders of the penalty case, or the problem's), no repeat of the same violation within a
** year after an earlier repair, no veto item (serious dishonesty) in force. The legal section
** decides on a case of type credit_repair (a working-day deadline from the rule set): a grant
** revokes the event with cause "repair" (the grade is recomputed, the penalty's publication
** withdrawn), a refusal keeps the reasons; the enterprise gets an in-app notice either way.
**
** The module owns credit_repairs (migration 021). The evaluation (conditions.c) is pure:
** parsed rules and gathered facts give the four conditions (tests/unit/repair/). See
** docs/internals/repair.md.
*/
#ifndef ENVGOV_REPAIR_REPAIR_H
#define ENVGOV_REPAIR_REPAIR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "platform/module.h"
#include "store/store.h"

#define REPAIR_TYPE_MAX 40
#define REPAIR_MAX_TYPES 32
#define REPAIR_MAX_PRIOR 16 /* earlier granted repairs looked at for a repeat */
#define REPAIR_MAX_VETO 8   /* veto events in force listed */

/* ---------------- the evaluation (pure) ---------------- */

struct repair_type_rule {
    char type[REPAIR_TYPE_MAX + 1];
    int min_months, max_months; /* the publicity: at least / at most */
};

/* A credit.repair body parsed. */
struct repair_rules {
    struct repair_type_rule types[REPAIR_MAX_TYPES];
    size_t n_types;
    int repeat_window_months; /* 0 = not checked */
    bool require_rectification;
    bool file_when_failing;
    int decide_workdays;
};

/* Parse body into *r. ERR_INPUT with a message in err when it does not fit. Allocates nothing. */
int repair_rules_parse(const json_t *body, struct repair_rules *r, char *err, size_t errcap);
/* The rule of type, NULL when the type cannot be repaired. */
const struct repair_type_rule *repair_rules_type(const struct repair_rules *r, const char *type);

/* An earlier granted repair of the same enterprise. */
struct repair_prior {
    int64_t id;
    char key[REPAIR_TYPE_MAX + 24]; /* its violation_key */
    char decided_on[11];
};

/* A veto event counting today (serious dishonesty). */
struct repair_veto {
    int64_t event_id;
    char type[REPAIR_TYPE_MAX + 1];
    char occurred_on[11], until[11]; /* until "" = without end */
};

/* What the evaluation needs, gathered by repair.c from the database. Strings are borrowed. */
struct repair_facts {
    const char *event_type;
    const char *occurred_on; /* the event's date: the publicity starts then */
    const char *today;       /* China date */
    const char *violation_key;
    /* rectification: rect_orders orders (or problems) found by rect_basis ("penalty", "problem",
       "alarm", "source", "" = none looked at), rect_all when every one is verified */
    const char *rect_basis;
    int rect_orders;
    bool rect_all;
    char rect_last[11];
    const struct repair_prior *prior;
    size_t n_prior;
    const struct repair_veto *veto;
    size_t n_veto;
};

enum repair_cond { RC_PUBLICITY, RC_RECTIFIED, RC_NO_REPEAT, RC_NO_VETO, RC_N };

struct repair_condition {
    const char *code; /* "publicity_served", "rectification_verified", "no_repeat", "no_veto" */
    bool ok;
    char values[512]; /* a JSON object of the values the verdict rests on */
    char text_zh[512], text_en[512];
};

struct repair_check {
    bool repairable; /* the type is one the rule set repairs */
    bool all_ok;
    char min_until[11], max_until[11]; /* the publicity's earliest and latest end */
    struct repair_condition c[RC_N];
};

/* Evaluate the four conditions of facts under r into *out. A type r does not list is not
   repairable (out->repairable false, all_ok false, the publicity condition says so). Pure. */
void repair_evaluate(const struct repair_rules *r, const struct repair_facts *f,
                     struct repair_check *out);
/* The check as JSON: {"repairable","all_ok","min_until","max_until","conditions":[{code,ok,
   values,text_zh,text_en}]}. */
void repair_check_json(const struct repair_check *c, struct buf *out);
/* The conditions alone as a JSON array. */
void repair_conditions_json(const struct repair_check *c, struct buf *out);
/* "zh / en" texts of the failing conditions, joined by "；" into out[0..cap). */
void repair_failing_text(const struct repair_check *c, char *out, size_t cap);

/* ---------------- applications in the database (repair.c) ---------------- */

/* Register the credit_repair case type (idempotent). */
void repair_case_register(void);

struct router;
void repair_routes(struct router *rt);
/* The module's descriptor (src/app/modules.c lists it). */
extern const struct module repair_module;

#endif
