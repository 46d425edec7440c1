/*
** Rule sets: every number a province or city sets — alarm thresholds and handling deadlines,
** the permit-expiry warning window, and later credit scoring, draw ratios, approval deadlines,
** penalty discretion — as versioned data. A version has a kind (the schema its JSON body
** follows), a jurisdiction (a region code prefix, "" = everywhere), an effective date and the
** source text it comes from. The version in force for (kind, region, date) has the most
** specific jurisdiction, then the latest effective date not after the date, then the highest
** version. A decision records the version it used (rules_mark_used, in its own transaction);
** a used version never changes again: a change is a new version.
**
** Kinds are the schemas embedded from data/rules/schemas/<kind>.json; shipped defaults are
** data/rules/<kind>.json (docs/internals/rules.md: adding a kind). This module owns the
** rule_sets table; other modules call rules_resolve and rules_mark_used.
*/
#ifndef ENVGOV_RULES_RULES_H
#define ENVGOV_RULES_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/module.h"
#include "store/store.h"

#define RULES_KIND_MAX 48
#define RULES_BODY_MAX (64 * 1024)

/* Which version decided: what a decision stores (id) and shows (kind, region, version). */
struct rule_ref {
    int64_t id;
    int version;
    char kind[RULES_KIND_MAX];
    char region[16];    /* the version's jurisdiction (region prefix, "" = everywhere) */
    char effective[11]; /* YYYY-MM-DD */
    char sha256[65];    /* of the body as read: rules_mark_used checks it */
};

/* ---- kinds and schemas ---- */
/* Number of kinds and the i-th kind's name (sorted), for lists and the UI. */
size_t rules_kind_count(void);
const char *rules_kind_name(size_t i);
/* The kind's schema, parsed once and kept for the process (do not decref); NULL when the kind
   is unknown. Thread-safe. */
const json_t *rules_kind_schema(const char *kind);
/* Check v against schema (the subset in schema.c). ERR_INPUT with the JSON path of the first
   bad value in path ("$.handling[2].respond_hours") and a zh / en message in msg. */
int rules_schema_check(const json_t *schema, const json_t *v, char *path, size_t pathcap, char *msg,
                       size_t msgcap);

/* ---- resolution, for every module that decides by a rule set ---- */
/* The version of kind in force for region_code (a 6-digit code; "" matches only "everywhere")
   on date (YYYY-MM-DD, China time). On 0, *body (when body is non-NULL) is a new reference the
   caller must json_decref, and *ref names the version. ERR_NOTFOUND when none is in force. */
int rules_resolve(struct db *db, const char *kind, const char *region_code, const char *date,
                  json_t **body, struct rule_ref *ref);
/* The version id (any date); the same contract as rules_resolve. */
int rules_get(struct db *db, int64_t id, json_t **body, struct rule_ref *ref);
/* A decision used the version ref names: call it in the deciding transaction (db is the
   writer). From then on the version cannot change. ERR_CONFLICT when it changed or was removed
   since it was read (the decision should resolve again). */
int rules_mark_used(struct db *db, const struct rule_ref *ref);

/* The integer at path of kind's version in force for region today (China time), or def when none
   is in force or the value is absent: for a reader that needs one number. */
int64_t rules_int_today(struct db *db, const char *kind, const char *region_code, const char *path,
                        int64_t def);

/* The body of the first shipped default of kind (data/rules/<kind>.json), for a module that must
   decide while no version is in force (a new reference, or NULL). */
json_t *rules_shipped_body(const char *kind);

/* The value at path in body: "offline_after_s", "handling.exceed.respond_hours",
   "tiers[2].ratio" (a leading "$." is allowed). NULL when absent. Borrowed from body. */
const json_t *rules_at(const json_t *body, const char *path);
/* Number / integer / string at path, or def when absent or of another type. */
double rules_number(const json_t *body, const char *path, double def);
int64_t rules_int(const json_t *body, const char *path, int64_t def);
const char *rules_string(const json_t *body, const char *path, const char *def);

/* ---- writing versions ---- */
struct rule_input {
    const char *kind, *region_prefix, *effective_from, *source, *note;
    const json_t *body;
};
/* What was wrong with an input: the field ("kind", "effective_from", or the body's JSON path
   "$.x[1]") and a zh / en message. */
struct rule_error {
    char field[128];
    char msg[400];
};
/* Check an input (kind known, jurisdiction 0/2/4/6 digits, date, source, body against the
   kind's schema and size cap). ERR_INPUT with *err filled. */
int rules_check(const struct rule_input *in, struct rule_error *err);
/* Store a new version of (kind, region_prefix) inside the caller's transaction; *ref gets it.
   created_by 0 = the system. ERR_INPUT with *err filled on bad input. */
int rules_create(struct db *db, const struct rule_input *in, int64_t created_by,
                 struct rule_ref *ref, struct rule_error *err);
/* Replace an unused version (ERR_CONFLICT once used, ERR_NOTFOUND); the kind and jurisdiction
   stay; ERR_INPUT with *err filled. */
int rules_update(struct db *db, int64_t id, const struct rule_input *in, struct rule_error *err);
/* Remove an unused version (ERR_CONFLICT once used, ERR_NOTFOUND). */
int rules_delete(struct db *db, int64_t id);
/* Bumped by every rules_create / rules_update / rules_delete in this process: a cache of
   resolved versions compares it to know when to resolve again. */
uint64_t rules_generation(void);
/* Shipped defaults (data/rules/<kind>.json, each a list of versions): store those whose (kind,
   jurisdiction) has no version yet. Inside the caller's transaction; a message in err. */
int rules_seed(struct db *db, char *err, size_t errcap);

/* ---- the module ---- */
struct router;
void rules_routes(struct router *rt);
/* The module's descriptor (src/app/modules.c lists it). */
extern const struct module rules_module;

#endif
