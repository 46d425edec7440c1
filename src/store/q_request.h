/*
** Named queries of requests and complaints (src/request/): the requests table (migration 024),
** the repeat candidates near a point, the lists of the staff queue, an enterprise's requests
** and the public view by tracking code, Open311's client keys, and the form secret. Output
** goes to the caller's buf as JSON or into caller structs; nothing is kept.
*/
#ifndef ENVGOV_STORE_Q_REQUEST_H
#define ENVGOV_STORE_Q_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

struct request_new {
    const char *tracking_code, *kind, *category, *channel, *title, *description, *address;
    bool has_point;
    double lat, lng;
    const char *region_code;
    int64_t enterprise_id; /* 0 = none */
    bool anonymous;
    const char *contact_name, *contact_phone, *contact_email;
    int64_t repeat_of, open311_key_id, rule_set_id, created_by;
    int rule_version;
    const char *form_nonce; /* NULL = none */
    const char *accept_due_at, *received_at;
};
/* Insert a request; *id gets it. ERR_CONFLICT when the tracking code or form nonce is taken. */
int store_request_insert(struct db *db, const struct request_new *n, const char *now, int64_t *id);

struct request_row {
    int64_t id, enterprise_id, case_id, org_unit_id, assignee_user_id, repeat_of;
    char tracking_code[24], kind[12], category[48], channel[16], state[12], region_code[16];
    char received_at[32];
    bool anonymous, has_point;
    double lat, lng;
};
int store_request_get(struct db *db, int64_t id, struct request_row *out); /* ERR_NOTFOUND */
/* The id of the request with that tracking code (ERR_NOTFOUND). */
int store_request_by_code(struct db *db, const char *code, int64_t *id);

/* Fields a transition writes (NULL / negative = leave as is). */
struct request_move {
    const char *state, *answer, *reject_reason, *referred_to, *public_note, *closed_at;
    int64_t org_unit_id, assignee_user_id, case_id, inspect_task_id;
    int satisfaction; /* 0 = leave */
};
int store_request_update(struct db *db, int64_t id, const struct request_move *m, const char *now);

/* Complaints of category with a point in the box [lat±dlat, lng±dlng] received on or after
   since, not id except, newest first (at most 200): fn per row. */
typedef void (*request_point_fn)(int64_t id, const char *tracking_code, const char *category,
                                 const char *state, const char *received_at, double lat, double lng,
                                 void *ctx);
int store_request_points_each(struct db *db, const char *category, double lat, double lng,
                              double dlat, double dlng, const char *since, int64_t except,
                              request_point_fn fn, void *ctx);

/* The open requests of enterprise_id as request.h says (clock computed at now), at most max. */
int store_request_open_for_enterprise(struct db *db, int64_t enterprise_id, int max,
                                      const char *now, struct buf *out);
int store_request_open_count(struct db *db, int64_t enterprise_id, int64_t *count);

/* The staff list: filters (NULL / 0 = any), scope on the request's region and enterprise. */
struct request_query {
    const char *state, *kind, *category, *channel, *clock, *region, *q, *from, *to, *now;
    const char *sort; /* received_at, due_at, state, category, tracking_code; '-' = descending;
                         NULL = -received_at. ERR_INPUT for another */
    int64_t enterprise_id;
    bool open_only;
    int64_t limit, offset;
};
int store_request_list(struct db *db, const struct scope *sc, const struct request_query *q,
                       struct buf *out);
/* One request for staff (contact hidden when anonymous) as an object, with its case's clock.
   ERR_NOTFOUND. */
int store_request_json(struct db *db, int64_t id, const char *now, struct buf *out);
/* What a complainant sees: tracking code, category, state, times, public notes and answer,
   the timeline's actions and times (no names, no contact). ERR_NOTFOUND. */
int store_request_public_json(struct db *db, int64_t id, struct buf *out);
/* The timeline of case_id for staff (actions, notes, actors). */
int store_request_timeline_json(struct db *db, int64_t case_id, struct buf *out);
/* Counts by category, region and the mean days to close (statistics page), in scope. */
int store_request_stats_json(struct db *db, const struct scope *sc, const char *from,
                             struct buf *out);

/* The form secret (one row); created when missing with candidate. */
int store_request_secret(struct db *db, const char *candidate, char *out, size_t cap,
                         const char *now);

/* ---- Open311 ---- */
struct open311_key_row {
    int64_t id, per_minute;
    char name[128], status[12];
};
int store_open311_key_by_hash(struct db *db, const char *hash, struct open311_key_row *out);
int store_open311_key_insert(struct db *db, const char *name, const char *hash, const char *prefix,
                             int64_t per_minute, int64_t by, const char *now, int64_t *id);
int store_open311_key_set_status(struct db *db, int64_t id, const char *status, const char *now);
int store_open311_keys_json(struct db *db, struct buf *out);
/* Requests for the Open311 list: ids (up to 100, n_ids 0 = by window), service codes (the
   category, NULL = any but blackbox_cats), status (NULL | "open" | "closed"), received in
   [start, end), at most limit; fn per row (columns as store_open311_each documents). */
struct open311_query {
    const char *const *codes; /* tracking codes (service_request_id) */
    int n_codes;
    const char *service_code, *status, *start, *end;
    const char *const *hidden; /* NULL-terminated categories never listed */
    int limit;
};
struct open311_row {
    int64_t id;
    const char *tracking_code, *category, *state, *description, *address, *received_at, *updated_at,
        *public_notes, *answer, *closed_at, *referred_to, *reject_reason;
    bool has_point;
    double lat, lng;
};
typedef void (*open311_fn)(const struct open311_row *r, void *ctx);
int store_open311_each(struct db *db, const struct open311_query *q, open311_fn fn, void *ctx);

#endif

/* Point the case at the unit and officer a dispatch names (0 = keep). */
int store_request_dispatch_case(struct db *db, int64_t case_id, int64_t org_unit_id,
                                int64_t assignee_user_id);
/* The unit's active officer of one of roles[0..n) (role names) with the fewest open request
   cases: 0 when none. */
int store_request_pick_officer(struct db *db, int64_t org_unit_id, const char *const *roles, int n,
                               int64_t *user_id);
/* The org unit of case_id. */
int store_request_case_unit(struct db *db, int64_t case_id, int64_t *org_unit_id);

/* The requests as an entity: attachments (photos, evidence) and the audit names. */
extern const struct entity_def ENTITY_REQUEST;
extern const struct audit_kind request_audit_kinds[];

/* How many attachments request id has (the public form's photo cap). */
int store_request_photo_count(struct db *db, int64_t id, int64_t *n);

/* The counties the bureau's org units cover (their own or their city's), as a JSON array of
   {"code","name"} in code order: where the public form lets a complaint be. */
int store_request_public_regions_json(struct db *db, struct buf *out);

/* The 工作台's figures in scope: ",\"requests\":{\"to_accept\",\"accept_overdue\",\"open\",
   \"overdue\",\"due_soon\"}" appended to out. */
int store_request_dashboard(struct db *db, const struct scope *sc, const char *now,
                            struct buf *out);
