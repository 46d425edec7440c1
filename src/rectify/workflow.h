/*
** The rectification workflow on the hub's orders (workflow.c, orders_api.c): the full
** `rectification` case type — the enterprise submits evidence, the verifier verifies or
** returns it with a reason, the enterprise resubmits; overdue orders escalate through the cases
** engine; a verification is a credit event and closes the problem once all its orders are
** verified. See docs/internals/rectify.md.
*/
#ifndef ENVGOV_RECTIFY_WORKFLOW_H
#define ENVGOV_RECTIFY_WORKFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "cases/cases.h"

struct calendar;
struct router;

/* The case type (replaces the hub's minimal one; registered at start and on first use). */
extern const struct case_type RECTIFY_CASE_TYPE;
void rectify_workflow_register(void);

/* The deadline of an order issued on issued_on (YYYY-MM-DD) with workdays working days: the
   workdays-th workday after it (calendar_add_workdays). ERR_NOTFOUND with *missing_year when
   the calendar lacks a year, ERR_INPUT for a bad date or workdays < 1. Pure. */
int rectify_deadline(const struct calendar *c, const char *issued_on, int workdays, char out[11],
                     int *missing_year);

/* Whether verifying on verified_on an order due on due_on ("" = no deadline) is late. Pure. */
bool rectify_verified_late(const char *due_on, const char *verified_on);

/*
** Take action ("submit", "return", "verify", "close_overdue") on order_id in the caller's
** transaction: the case's transition (checked by the engine: state and role), then the
** order: a submission row with the evidence (submit), the verdict on the waiting submission
** with the reason (return, verify), the status, and on verify the credit event
** (rectification_verified, or late_rectification after due_on) and the problem closed when
** every order of it is verified. text is the evidence or the reason. from_case: the action
** came through the case page (the engine already moved the case). Refusals as
** cases_transition (why, *field); ERR_NOTFOUND for no such order.
*/
int rectify_order_act(struct db *db, int64_t order_id, const char *action,
                      const struct case_actor *who, const char *text, bool from_case,
                      const char *now, const char **field, char *why, size_t cap);

/* The workflow's routes (orders_api.c). */
void rectify_flow_routes(struct router *rt);

#endif
