/*
** Inside the inspect module: the visit (task.c), the routes (api.c), the descriptor
** (module.c). Other modules use inspect.h.
*/
#ifndef ENVGOV_INSPECT_INT_H
#define ENVGOV_INSPECT_INT_H

#include "inspect/inspect.h"

struct rule_ref;

/* Whether p may see the task, given the verdict of p's scope (the case type's visible). */
bool inspect_task_visible(struct db *db, int64_t task_id, const struct principal *p, bool scope_ok);

/* The checklist in force for an enterprise of region / industry on date: *body the rule set's
   body (json_decref it), *checklist the enterprise type's within it. ERR_NOTFOUND when none. */
int inspect_checklist_for(struct db *db, const char *region, const char *industry, const char *date,
                          json_t **body, const json_t **checklist, struct rule_ref *ref);

struct inspect_visit_in {
    int64_t task_id;
    const char *uuid;    /* the phone's id of this submission */
    const char *outcome; /* "done" | "could_not_inspect" */
    const json_t *answers, *findings;
    const char *note;
};
struct inspect_visit_out {
    int64_t visit_id;
    bool replayed; /* the uuid was submitted before: nothing new was recorded */
    const char *outcome;
    size_t n_problems;
};
/*
** Record the visit of a task in the caller's transaction: the checklist's answers, each finding
** a problem of the hub (rectify_problem_add), the case to done (through the draw for a draw
** target) and the audit row. A uuid seen before for the same task returns that visit with
** replayed set and writes nothing. ERR_INPUT (field, why), ERR_FORBIDDEN (not the task's
** inspector), ERR_CONFLICT (not scheduled: awaiting approval, done; or the uuid of another
** task), ERR_NOTFOUND.
*/
int inspect_visit_submit(struct db *db, const struct inspect_visit_in *v,
                         const struct case_actor *who, const char *now,
                         struct inspect_visit_out *out, char *field, size_t fcap, char *why,
                         size_t cap);

#endif
