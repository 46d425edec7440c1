/*
** Named queries of service to enterprises (src/service/, migration 025): pairings (分包) and
** the 十百千 rows, sessions (service days, consultation days, trainings) with agenda items and
** attendance, service records and their totals, the key-project risk ledger.
*/
#ifndef ENVGOV_STORE_Q_SERVICE_H
#define ENVGOV_STORE_Q_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

extern const struct entity_def ENTITY_SERVICE_PAIRING, ENTITY_SERVICE_SESSION,
    ENTITY_SERVICE_RECORD, ENTITY_SERVICE_RISK;
extern const struct audit_kind service_audit_kinds[];

/* A user as the service module reads it: role name, org unit, phone, active. */
struct service_user {
    int64_t id, org_unit_id;
    char role[16], name[128], phone[32];
    bool active;
};
int store_service_user(struct db *db, int64_t id, struct service_user *out);
/* An enterprise's region code, name and contact phone; ERR_NOTFOUND. */
int store_service_enterprise(struct db *db, int64_t id, char region[16], char *name, size_t cap,
                             char phone[32]);

/* Active pairings as (county = first 6 digits of the region, tier, enterprise_id) rows, within
   sc, ordered by county then enterprise, distinct: fn per row. */
typedef void (*service_tbq_row_fn)(const char *county, const char *county_name, const char *tier,
                                   int64_t enterprise_id, void *ctx);
int store_service_tbq_rows(struct db *db, const struct scope *sc, service_tbq_row_fn fn, void *ctx);

/* Org units with active pairings, and the paired enterprises (distinct) of one unit. */
typedef void (*service_id_fn)(int64_t id, void *ctx);
int store_service_paired_units(struct db *db, service_id_fn fn, void *ctx);
int store_service_unit_enterprises(struct db *db, int64_t org_unit_id, service_id_fn fn, void *ctx);

/* The service day of a unit on held_on (kind service_day): *id, 0 when none. */
int store_service_day_find(struct db *db, int64_t org_unit_id, const char *held_on, int64_t *id);
int store_service_session_insert(struct db *db, const char *kind, const char *title,
                                 const char *held_on, int64_t org_unit_id, int64_t created_by,
                                 const char *now, int64_t *id);
/* The session's kind and state into kind/state; ERR_NOTFOUND. */
int store_service_session_kind(struct db *db, int64_t id, char kind[16], char state[16]);
/* Request ids already on a session's agenda: fn per id. */
int store_service_item_requests(struct db *db, int64_t session_id, service_id_fn fn, void *ctx);
int store_service_item_insert(struct db *db, int64_t session_id, int64_t enterprise_id,
                              int64_t request_id, const char *title, const char *now, int64_t *id);
/* Update an item's outcome and resolved mark (outcome NULL: keep); ERR_NOTFOUND when the item
   is not the session's. */
int store_service_item_update(struct db *db, int64_t session_id, int64_t item_id,
                              const char *outcome, int resolved);
/* Set (people > 0) or remove (0) an enterprise's attendance. */
int store_service_attendance_set(struct db *db, int64_t session_id, int64_t enterprise_id,
                                 int64_t people);
/* The session's items and attendance as ,"items":[…],"attendance":[…] members (enterprise_id
   > 0: only that enterprise's). */
int store_service_session_parts_json(struct db *db, int64_t session_id, int64_t enterprise_id,
                                     struct buf *out);
/* An enterprise's agenda: its items on sessions held on or after since, newest session first,
   as a JSON array of {session_id, kind, title, held_on, place, state, item_id, item_title,
   outcome, resolved, attended}. */
int store_service_agenda_json(struct db *db, int64_t enterprise_id, const char *since,
                              struct buf *out);

/* Service record totals from..to (dates, inclusive; NULL = open) grouped by officer (by_unit
   false) or org unit, as a JSON array of {id, name, visit, training, problem_solved,
   consultation, total}, largest total first; only the records of org units within sc. */
int store_service_record_totals(struct db *db, const struct scope *sc, bool by_unit,
                                const char *from, const char *to, struct buf *out);

/* A risk as the ledger's writes need it. */
struct service_risk_row {
    int64_t id, owner_user_id, case_id, enterprise_id;
    char state[16], deadline[11], project_name[201], region_code[16];
    double lat, lng;
    bool has_point;
};
int store_service_risk(struct db *db, int64_t id, struct service_risk_row *out);
/* The open case case_id now assigned to user_id of org_unit_id (0: the unit stays). */
int store_service_risk_case_owner(struct db *db, int64_t case_id, int64_t user_id,
                                  int64_t org_unit_id);
int store_service_risk_set_case(struct db *db, int64_t id, int64_t case_id);
int store_service_risk_close(struct db *db, int64_t id, const char *result, const char *today,
                             const char *now);
/* Open risks whose deadline is before today and whose overdue message is not yet queued:
   fn per risk id (at most 500). */
int store_service_risks_overdue(struct db *db, const char *today, service_id_fn fn, void *ctx);
int store_service_risk_mark_sent(struct db *db, int64_t id);

/* `envgov demo`: the module's rows, last (a past service day, held) and next (the coming one);
   risk_ids gets the three risks made (*n_risks), whose cases the caller opens. */
int store_service_demo(struct db *db, const char *now, const char *last, const char *next,
                       int64_t risk_ids[3], int *n_risks);

#endif
