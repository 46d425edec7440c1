/*
** What the waste module's files share (api.c, record.c, device.c, manifest.c, job.c, sim.c,
** module.c); not part of its contract (waste.h).
*/
#ifndef ENVGOV_WASTE_INTERNAL_H
#define ENVGOV_WASTE_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "cases/cases.h"
#include "core/arena.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "store/q_waste.h"
#include "store/store.h"
#include "waste/waste.h"

#define WASTE_EDITION "2021"

struct rule_ref;
struct job_def;
struct todo_source;
struct cli;

/* One ledger record to add (a person's, a device's or a manifest's). */
struct waste_record_in {
    int kind; /* enum waste_kind */
    const char *batch_no, *source_batch, *waste_code, *container, *note;
    double amount_t;
    char occurred_at[20]; /* China time "YYYY-MM-DD hh:mm:ss" */
    int64_t created_by, device_id, manifest_id;
    char batch_out[48], source_out[48]; /* the numbers the record got */
    double in_store_t;                  /* the batch's stock after it */
};

/* Check in against its producing batch and the code table and insert it (the batch number
   assigned when in has none) in the caller's transaction. 0 with *id; else ERR_INPUT /
   ERR_CONFLICT / ERR_NOTFOUND with the field and a message (zh / en) in err. */
int waste_record_add(struct db *db, struct arena *a, int64_t site, struct waste_record_in *in,
                     const char *now, int64_t *id, const char **field, char *err, size_t cap);
/* Read a record body (a person's; device: a device's, generate / store_in / store_out only)
   into in; on bad input the 422 naming the field is answered and ERR_INPUT returned. */
int waste_record_input(struct req *r, json_t *o, bool device, struct waste_record_in *in);
/* Answer a refusal of waste_record_add (422 / 409 naming the field). */
void waste_refusal(struct req *r, int rc, const char *field, const char *err);
/* "YYYY-MM-DD[ hh:mm[:ss]]" (or with a T) into the China-time form; ERR_INPUT when not a time. */
int waste_china_time(const char *s, char out[20]);
/* The year of "YYYY-…" (0 when not digits). */
int atoi_year(const char *day);
/* The waste.rules version in force for region today into wr (defaults when none is in force);
   ref may be NULL. */
int waste_rules_load(struct db *db, const char *region, struct waste_rules *wr,
                     struct rule_ref *ref);
/* The n-th workday after day (the platform's calendar); ERR_NOTFOUND when a year is missing. */
int waste_workdays_after(const char *day, int n, char out[11]);

#define LINES_MAX 20 /* lines of a manifest (electronic or paper) */

enum party { P_STAFF, P_SHIPPER, P_RECEIVER };
/* Load manifest id as the caller may see it (the shipper, the receiver, staff in scope) into m
   and who the caller is to it; else the 404 naming id is answered and ERR_NOTFOUND returned. */
int waste_manifest_visible(struct req *r, struct db *db, int64_t id, struct waste_manifest_row *m,
                           enum party *who);
/* Answer status with code, msg and field; ERR_CONFLICT for 409, ERR_INPUT otherwise. */
int waste_refuse(struct req *r, int status, const char *code, const char *msg, const char *field);
/* Check a manifest's lines (producing batches of site, codes in the filed plan's transfer
   table, amounts within each batch's balance) into out[0..*n); refusals answered, naming
   lines[i]. */
int waste_lines_check(struct req *r, struct db *db, int64_t site, json_t *lines, const char *tables,
                      struct waste_mline *out, size_t *n);
/* transfer.c: relay handovers, cross-province approvals (the case type), paper manifests. */
void waste_transfer_routes(struct router *rt);
void waste_transfer_register(void);
/* The waste_transfer case type (its table, for the unit test). */
const struct case_type *waste_transfer_case(void);

int api_device_event(struct req *r);
void waste_manifest_routes(struct router *rt);
extern const struct job_def waste_jobs[];
extern const size_t waste_n_jobs;
extern const struct todo_source waste_todo_sources[];
extern const size_t waste_n_todo_sources;
/* `envgov waste-sim`. */
int waste_cmd_sim(const struct cli *c);
/* The store's sums of a producing batch as the ledger arithmetic's. */
static inline struct waste_batch waste_batch_of(const struct store_waste_sums *s)
{
    /* what came back from a receiver is out of the handed-over and back in the store */
    return (struct waste_batch){s->generated, s->stored_in, s->stored_out - s->returned,
                                s->used,      s->disposed,  s->outsourced - s->returned};
}
/* A producing batch's sums and code (code "" when the site has no such batch). */
static inline int waste_batch_load(struct db *db, int64_t site, const char *batch,
                                   struct waste_batch *b, char code[16])
{
    struct store_waste_sums s;
    int rc = store_waste_batch(db, site, batch, &s, code);
    *b = waste_batch_of(&s);
    return rc;
}
/* The year's rows of the store as the plan's (allocated in a). */
int waste_year_rows(struct db *db, struct arena *a, int64_t site, int year,
                    struct waste_plan_row **rows, size_t *n);
/* The same over [from, to), the stock at to. */
int waste_period_rows(struct db *db, struct arena *a, int64_t site, const char *from,
                      const char *to, struct waste_plan_row **rows, size_t *n);

struct tally {
    int raised, open;
};
/* One site's warnings in the caller's transaction (the job's pass; the demo). */
int waste_site_warnings(struct db *db, int64_t site, const char *today, const char *now,
                        struct tally *t);
/* The warnings pass over every site in one transaction (the job, and tests by hand). */
int waste_warnings_run(struct store *st, int64_t now_ms, int *raised, int *open);

#endif
