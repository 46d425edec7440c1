/*
** Inspections (检查): inspection tasks (检查任务) from draws, alarms, complaints, campaigns,
** patrols and by hand, each a case on the casework engine (type "inspect_task"; a draw target's
** task shares the draw's "inspection" case); one integrated "体检式" checklist per enterprise
** type (rule set inspect.checklists) done once per visit, submitted idempotently by the phone's
** uuid; findings recorded as problems of the rectify hub; campaigns (专项行动) on the 五步工作法.
** A positive-list firm's on-site task waits for the approval of the head of enforcement
** through the one approval path, positive_onsite_requests (decision 69); see
** docs/internals/inspect.md.
**
** The checklist parts (inspect_checklist_pick, inspect_visit_check) are pure: tests/unit/inspect/.
*/
#ifndef ENVGOV_INSPECT_INSPECT_H
#define ENVGOV_INSPECT_INSPECT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cases/cases.h"
#include "platform/module.h"
#include "store/store.h"

/* ---------------- the checklist (pure) ---------------- */

/* The checklist of an inspect.checklists body for an enterprise of industry_code: the one
   whose longest industries prefix matches, else the one marked default, else the first.
   NULL when the body has none. Borrowed from body. Pure. */
const json_t *inspect_checklist_pick(const json_t *body, const char *industry_code);
/* The item of checklist with that id (and its section into *section, may be NULL), or NULL. */
const json_t *inspect_checklist_item(const json_t *checklist, const char *id,
                                     const json_t **section);
/* How many items the checklist has. */
size_t inspect_checklist_count(const json_t *checklist);

#define INSPECT_FINDINGS_MAX 50
#define INSPECT_TEXT_MAX 2000

/*
** Check a visit's submission against checklist: outcome "done" (the checklist was gone
** through: every item answered "yes", "no" or "na", every "no" with at least one finding of
** that item, every finding of an item of the checklist with a description) or
** "could_not_inspect" (a note saying why; answers and findings may be empty). On refusal
** ERR_INPUT with the JSON path of the bad member in field[0..fcap) ("answers.permit.valid",
** "findings[1].description", "outcome", "note") and a zh / en reason in why. *n_findings gets
** how many findings there are. Pure.
*/
int inspect_visit_check(const json_t *checklist, const char *outcome, const json_t *answers,
                        const json_t *findings, const char *note, size_t *n_findings, char *field,
                        size_t fcap, char *why, size_t cap);

/* "draw" … a valid task source_kind; "enforcement" | "local" a valid level. */
bool inspect_source_valid(const char *s);
bool inspect_level_valid(const char *s);

/* ---------------- what other modules call (CONTRACT.md) ---------------- */

struct inspect_task_input {
    int64_t enterprise_id;
    const char *source_kind; /* "draw" | "alarm" | "complaint" | "campaign" | "manual" | "patrol" */
    int64_t source_id;       /* 0 = none */
    const char *purpose; /* positive.h purposes: "complaint" needs no approval on a listed firm */
    const char *level;   /* "enforcement" | "local" */
    const char *planned_on; /* YYYY-MM-DD */
    int64_t lead_user_id;   /* 0 = unassigned (the org unit's inspectors see it) */
    int64_t campaign_id;    /* 0 = none */
    const char *title;      /* NULL = made from the enterprise and source */
};
/* Create an inspection task and its case in the caller's transaction; a listed firm's task
   (positive_onsite_check) opens waiting for approval unless purpose is complaint: an on-site
   request (positive_onsite_request, source "inspect_task") is filed and the case moves to
   awaiting_approval. ERR_INPUT with *field and why; ERR_NOTFOUND for an unknown enterprise. */
int inspect_task_create(struct db *db, const struct inspect_task_input *in,
                        const struct case_actor *who, const char *now, int64_t *task_id,
                        int64_t *case_id, const char **field, char *why, size_t cap);
/* Add an inspector (after the lead) to a task, in the caller's transaction; ERR_INPUT when the
   user is not an active inspector. */
int inspect_task_add_inspector(struct db *db, int64_t task_id, int64_t user_id);

/* Register the inspect_task case type and the hooks into draw and positive (idempotent). */
void inspect_register(void);

struct router;
void inspect_routes(struct router *rt);
extern const struct module inspect_module;

#endif
