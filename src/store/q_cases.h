/*
** Named queries of casework (src/cases/): cases, their timeline, the org unit and leader a
** case belongs and escalates to, and the to-do list's reads. SQL in q_cases.c.
*/
#ifndef ENVGOV_STORE_Q_CASES_H
#define ENVGOV_STORE_Q_CASES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

/* One case as the engine reads and writes it (times of the clock as unix seconds; due_at and
   soon_at as UTC ISO text, "" = NULL). */
struct case_row {
    int64_t id, subject_id, enterprise_id, org_unit_id, assignee_user_id;
    int64_t limit_n, extended_n, started_at, paused_at, stopped_at, paused_s;
    int64_t rule_set_id, rule_version;
    unsigned actor_roles;
    bool is_open;
    char type[32], subject_kind[32], state[32], unit[16], region_code[16];
    char opened_at[32], due_at[32], soon_at[32], stopped_due_at[32];
    char pauses[800], clock_error[256];
    const char *title, *limit_source; /* insert only */
};

/* Cases as an entity, only so the attachment routes can hang files on a case (entity=case):
   owner and visibility through enterprise_id. Reads go through store_case_json. */
extern const struct entity_def ENTITY_CASE;

int store_case_insert(struct db *db, const struct case_row *c, const char *now, int64_t *id);
/* ERR_NOTFOUND when absent. */
int store_case_get(struct db *db, int64_t id, struct case_row *out);
/* State, openness, actor roles and every clock column of c (by c->id). */
int store_case_update(struct db *db, const struct case_row *c, const char *now);
int store_case_event_add(struct db *db, int64_t case_id, const char *at, int64_t actor_id,
                         const char *actor, const char *action, const char *from, const char *to,
                         const char *fields_json, const char *note);
/* The open case of a subject, else the newest one; ERR_NOTFOUND when it has none. */
int store_case_by_subject(struct db *db, const char *kind, int64_t subject_id, int64_t *id);
/* The active org unit covering region_code most closely (longest region prefix); 0 when
   none does. */
int store_org_unit_for_region(struct db *db, const char *region_code, int64_t *unit);
/* The nearest unit from unit up the tree with an active leader; 0 when none. */
int store_leader_unit(struct db *db, int64_t unit, int64_t *out);
/* Rows: id, org_unit_id of open cases due before now and not escalated (at most limit). */
int store_cases_overdue_each(struct db *db, const char *now, int64_t limit, db_row_fn row,
                             void *ctx);
int store_case_escalate(struct db *db, int64_t id, int64_t unit, const char *now);
/* The case as JSON with its timeline ("events") and attachments; the clock columns raw. */
int store_case_json(struct db *db, int64_t id, struct buf *out);

/* What an alarm's case needs of it: its enterprise, region and a title "enterprise · point ·
   label". ERR_NOTFOUND when absent. */
struct alarm_case_subject {
    int64_t enterprise_id;
    char region_code[16];
    char title[400];
};
int store_alarm_case_subject(struct db *db, int64_t alarm_id, const char *label,
                             struct alarm_case_subject *out);

/* Who the to-do list is for. */
struct todo_who {
    int64_t user_id, org_unit_id, enterprise_id;
    unsigned role;
    bool leader; /* also the cases escalated to the unit (or below) */
};
/* Open cases waiting on w as a JSON array (by deadline, those without last), at most limit;
   now (UTC ISO) sets each item's clock state. */
int store_todo_cases(struct db *db, const struct todo_who *w, const char *now, size_t limit,
                     struct buf *out, size_t *n);
/* Counts of the same: total, overdue (due before now), due soon (soon_at <= now < due). */
int store_todo_case_counts(struct db *db, const struct todo_who *w, const char *now, int64_t *total,
                           int64_t *overdue, int64_t *soon);
/* Open and overdue cases per org unit of the unit's subtree: [{"org_unit_id","name","n_open",
   "n_overdue"}]. */
int store_todo_units(struct db *db, int64_t unit, const char *now, struct buf *out);
/* Unread notifications of an enterprise for a user: JSON array (newest first) and count. */
int store_todo_notices(struct db *db, int64_t user_id, int64_t enterprise_id, size_t limit,
                       struct buf *out, size_t *n, int64_t *total);

/* The kinds of record the cases module writes to the audit log (store.h struct audit_kind). */
extern const struct audit_kind cases_audit_kinds[];

#endif
