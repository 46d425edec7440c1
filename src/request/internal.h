/*
** Inside the request module: filing (request.c: the rule set, the repeat check, the tracking
** code, the case), moving a request (workflow.c), the public form's abuse limits (limits.c),
** the routes (api.c, open311.c).
*/
#ifndef ENVGOV_REQUEST_INTERNAL_H
#define ENVGOV_REQUEST_INTERNAL_H

#include "cases/cases.h"
#include "http/http.h"
#include "request/request.h"
#include "rules/rules.h"
#include "store/q_request.h"

/* The request.clocks body (defaults when no version is in force). */
struct request_clocks {
    int accept_workdays, start_workdays, close_days, close_extension_days, repeat_radius_m,
        repeat_days;
    struct rule_ref ref; /* id 0: the defaults */
};
int request_clocks_load(struct db *db, const char *region, const char *today,
                        struct request_clocks *k);

/* What a new request carries (validated by the caller). */
struct request_input {
    const char *kind, *category, *channel, *title, *description, *address, *region_code;
    bool has_point, anonymous;
    double lat, lng;
    int64_t enterprise_id, open311_key_id;
    const char *contact_name, *contact_phone, *contact_email, *form_nonce;
};
/* File a request in the caller's transaction: the rule set marked used, the repeat looked
   for, the row with a fresh tracking code, its case, the audit row (actor 0 = the public).
   *id and code (13 bytes) get it. */
int request_file(struct db *db, const struct request_input *in, int64_t actor_id, const char *actor,
                 const char *request_id, const char *ip, const char *now, int64_t *id,
                 char code[13]);

/* Move request id by action in the caller's transaction (the case and the row together).
   Fields: note, answer, referred_to, satisfaction (1–5), org_unit_id, assignee_user_id,
   extension, inspect (create an inspection task for the enterprise). Refusals as
   cases_transition with why/field set. */
struct request_action {
    const char *action, *note, *answer, *referred_to;
    int satisfaction;
    int64_t org_unit_id, assignee_user_id, extension;
    bool inspect;
    const char *planned_on;
};
int request_move(struct db *db, int64_t id, const struct request_action *a,
                 const struct case_actor *who, const char *now, const char **field, char *why,
                 size_t cap);

/* The public form's limits: a token bucket per client address (generous burst, shared NATs
   pass) and the signed one-use form token. */
int request_limits_init(struct db *db);
bool request_bucket_take(const char *ip, int64_t now_ms);
void request_form_token(int64_t now_s, char *out, size_t cap);
/* 0, or ERR_INPUT (malformed, forged, expired) / ERR_AGAIN (too fresh); *nonce points into
   the token's copy in the arena-free buffer nonce[0..cap). */
int request_form_token_check(const char *token, int64_t now_s, char *nonce, size_t cap);

void request_api_routes(struct router *rt);
void request_open311_routes(struct router *rt);
int request_demo(struct db *db, const char *today, struct buf *summary);

#endif
