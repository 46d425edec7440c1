/*
** Queries of the three-level patrol (q_patrol.c): permit clauses, self-check tasks (generated
** per enterprise × period × duty, answered by the enterprise), local patrol rounds and the
** counts by level (self-check tasks, patrol rounds, inspection cases; problems found and closed
** from the rectify hub's problems). Lists are filtered by a struct scope on the row's
** enterprise and region.
*/
#ifndef ENVGOV_STORE_Q_PATROL_H
#define ENVGOV_STORE_Q_PATROL_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* The enterprise's region code: ERR_NOTFOUND when there is no such enterprise. */
int store_patrol_enterprise_region(struct db *db, int64_t enterprise_id, char region_code[16]);

/* ---- permit clauses ---- */

struct patrol_clause_row {
    int64_t id, permit_id, enterprise_id;
    char region_code[16], code[64], duty[24], frequency[16], status[16], permit_number[48];
    char text[2048];
};
/* The permit's enterprise and region: ERR_NOTFOUND when there is no such permit. */
int store_patrol_permit_owner(struct db *db, int64_t permit_id, int64_t *enterprise_id,
                              char region_code[16]);
/* Insert a clause of permit_id (its enterprise copied from the permit). ERR_CONFLICT when the
   permit has that code already. */
int store_patrol_clause_insert(struct db *db, int64_t permit_id, const char *code, const char *text,
                               const char *duty, const char *frequency, const char *now,
                               int64_t *id);
int store_patrol_clause_get(struct db *db, int64_t id, struct patrol_clause_row *out);
/* Update the clause's columns (ERR_CONFLICT on a code the permit has already). */
int store_patrol_clause_update(struct db *db, int64_t id, const char *code, const char *text,
                               const char *duty, const char *frequency, const char *status,
                               const char *now);
/* {"items":[...]} of the clauses of a permit (permit_id > 0) or of an enterprise, within sc. */
int store_patrol_clauses_json(struct db *db, const struct scope *sc, int64_t permit_id,
                              int64_t enterprise_id, struct buf *out);
/* The demo: the active permits (id, enterprise) in id order, at most max, into ids. */
int store_patrol_permits(struct db *db, size_t max, int64_t *permit_ids, size_t *n);

/* ---- self-check tasks ---- */

/* One month's generation: the period of each frequency ("2026-12", "2026Q4", "2026"), whether
   quarterly and yearly duties fall due this month, the due date (NULL = the calendar lacks the
   year), the first day of the month (permits valid then) and the time of the rows. */
struct patrol_gen {
    const char *month, *quarter, *year;
    bool quarterly_due, yearly_due;
    const char *due_on, *month_start, *now;
};
/* Enterprises after after_id (id order) with an active clause or an active monitoring point, at
   most max, into ids. */
int store_patrol_selfcheck_targets(struct db *db, int64_t after_id, size_t max, int64_t *ids,
                                   size_t *n);
/* Insert the tasks of enterprise_id that fall due in g's month and do not exist yet (clauses,
   then the monitoring duties of its points); *created gets how many. */
int store_patrol_selfcheck_generate(struct db *db, int64_t enterprise_id,
                                    const struct patrol_gen *g, int64_t *created);

struct patrol_task_row {
    int64_t id, enterprise_id, clause_id, point_id, problem_id;
    char region_code[16], period[8], month[8], duty_key[48], duty[24], status[16], due_on[11];
    char title[256];
};
int store_patrol_selfcheck_get(struct db *db, int64_t id, struct patrol_task_row *out);
/* Record the enterprise's answer of an open task: ERR_CONFLICT when it is answered already. */
int store_patrol_selfcheck_answer(struct db *db, int64_t id, const char *status, const char *answer,
                                  int64_t by, int64_t problem_id, const char *now);

struct patrol_task_query {
    int64_t enterprise_id; /* 0 = any */
    const char *status;    /* open | done | problem | overdue | NULL = any */
    const char *month;     /* YYYY-MM, NULL = any */
    const char *region;    /* region prefix, NULL = any */
    const char *q;         /* enterprise name or title contains, NULL = any */
    const char *sort;      /* due_on | enterprise | status | month (NULL = due_on) */
    bool desc;
    int64_t limit, offset;
    const char *today; /* for "overdue" and each row's overdue flag */
};
/* {"items":[...],"total":n} within sc. */
int store_patrol_selfcheck_list(struct db *db, const struct scope *sc,
                                const struct patrol_task_query *q, struct buf *out);
/* To-do: the enterprise's open tasks due by soon (YYYY-MM-DD) as items (clock overdue when
   due_on < today, else due_soon) */
int store_patrol_selfcheck_todo_own(struct db *db, int64_t enterprise_id, const char *today,
                                    const char *soon, size_t limit, struct buf *out, size_t *n,
                                    int64_t *total, int64_t *overdue);
/* To-do of staff: one item per enterprise within sc with overdue self-checks. */
int store_patrol_selfcheck_todo_staff(struct db *db, const struct scope *sc, const char *today,
                                      size_t limit, struct buf *out, size_t *n, int64_t *total);

/* ---- local patrol rounds ---- */

struct patrol_round_new {
    int64_t enterprise_id, org_unit_id, patroller_id;
    const char *region_code, *patrolled_on, *patroller_name, *note, *outcome, *now;
    int64_t n_problems;
};
int store_patrol_round_insert(struct db *db, const struct patrol_round_new *in, int64_t *id);
struct patrol_round_query {
    int64_t enterprise_id; /* 0 = any */
    const char *region, *from, *to, *outcome, *q;
    const char *sort; /* patrolled_on | enterprise | outcome */
    bool desc;
    int64_t limit, offset;
};
int store_patrol_rounds_list(struct db *db, const struct scope *sc,
                             const struct patrol_round_query *q, struct buf *out);
int store_patrol_round_json(struct db *db, const struct scope *sc, int64_t id, struct buf *out);

/* ---- counts by level ---- */

/* [{"month","region_code","region_name","level","sent","found","closed"}, …] for the months
   from..to (YYYY-MM) within sc and region prefix (NULL = any): per county and month, each level
   enterprise (self-check tasks), local (patrol rounds), enforcement (inspection cases), with
   the problems found (found_on in the month) and closed (closed_on in the month). */
int store_patrol_counts(struct db *db, const struct scope *sc, const char *from, const char *to,
                        const char *region, struct buf *out);

/* Self-check tasks take attachments (the enterprise's photos): entity "selfcheck_task". */
extern const struct entity_def ENTITY_SELFCHECK_TASK;
extern const struct audit_kind patrol_audit_kinds[];

#endif
