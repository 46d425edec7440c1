/*
** The hazardous-waste module's queries (migration 027): the code table by edition, sites, the
** ledger (records, a producing batch's sums, inventory, monthly series, a year's sums for the
** plan), serials of batch and manifest numbers, devices and their events, plans, manifests with
** their lines, and warnings with the to-do items they give.
*/
#ifndef ENVGOV_STORE_Q_WASTE_H
#define ENVGOV_STORE_Q_WASTE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

/* A producing batch's sums per record kind (tonnes), as waste.h's struct waste_batch. */
struct store_waste_sums {
    double generated, stored_in, stored_out, used, disposed, outsourced, returned;
};
/* One waste code's sums over a year, as waste.h's struct waste_plan_row. */
struct store_waste_year_row {
    const char *code, *category, *description, *traits;
    double generated, stored_in, used, disposed, outsourced, year_end_store;
};
struct principal;
struct arena;

extern const struct audit_kind waste_audit_kinds[];

/* ---- codes ---- */
int store_waste_codes_count(struct db *db, const char *edition, int64_t *n);
/* cells: edition, code, category, category_name, industry, description, traits. */
int store_waste_code_insert(struct db *db, const char *const *cells);
/* The code's category into cat[8] (NULL: not needed); ERR_NOTFOUND when the edition lacks it. */
int store_waste_code_get(struct db *db, const char *edition, const char *code, char cat[8]);
/* {"items":[…]} of the edition, filtered by q (code or description substring, NULL = all) and
   category (NULL = all). */
int store_waste_codes_json(struct db *db, const char *edition, const char *q, const char *category,
                           struct buf *out);

/* ---- sites ---- */
struct waste_site_row {
    int64_t id, enterprise_id;
    char name[256], enterprise_name[256], region[16];
    double declared_t, capacity_t;
    bool own_facility, licensed;
};
int store_waste_site_insert(struct db *db, const struct waste_site_row *s, const char *address,
                            const char *now, int64_t *id);
int store_waste_site_get(struct db *db, int64_t id, struct waste_site_row *s);
/* The largest yearly generation among the years from first_year on (0 when none). */
int store_waste_annual_max(struct db *db, int64_t site, int first_year, double *out);
/* Tonnes in the store now (all batches). */
int store_waste_in_store(struct db *db, int64_t site, double *out);
/* The sites within sc, each row to fn (annual_t: the largest yearly generation since
   first_year; in_store_t). */
struct waste_site_list_row {
    const struct waste_site_row *site;
    double annual_t, in_store_t;
    int64_t open_warnings;
};
typedef void (*waste_site_fn)(const struct waste_site_list_row *r, void *ctx);
int store_waste_sites_each(struct db *db, const struct scope *sc, int first_year, waste_site_fn fn,
                           void *ctx);

/* ---- ledger ---- */
/* The sums of the producing batch's records into b, its waste code into code[16] ("" when the
   batch has no generate record). */
int store_waste_batch(struct db *db, int64_t site, const char *source_batch,
                      struct store_waste_sums *b, char code[16]);
struct waste_record_row {
    int64_t site_id, manifest_id, device_id, created_by;
    const char *kind, *batch_no, *source_batch, *waste_code, *occurred_at, *container, *note;
    double amount_t;
};
/* ERR_CONFLICT when the site has the batch number already. */
int store_waste_record_insert(struct db *db, const struct waste_record_row *r, const char *now,
                              int64_t *id);
/* The next serial of (area, key): 1, 2 … (an upsert that holds the row until commit). */
int store_waste_serial_next(struct db *db, const char *area, int64_t key, int64_t *n);
/* {"items":[…]} the site's records, newest first (up to limit); kind / batch filter when set. */
int store_waste_records_json(struct db *db, int64_t site, const char *kind, const char *batch,
                             size_t limit, struct buf *out);
int store_waste_record_json(struct db *db, int64_t id, struct buf *out);
/* "batches":[…] producing batches with stock (in_store_t, first_in_at), "by_code":[…] and
   "months":[…] (the last 12 months' tonnes per kind), members after a comma. */
int store_waste_inventory_json(struct db *db, int64_t site, const char *from_month,
                               struct buf *out);
/* The year's sums per waste code (rows allocated in a, strings too) for the plan. */
int store_waste_year_rows(struct db *db, struct arena *a, int64_t site, int year,
                          struct store_waste_year_row **rows, size_t *n);

/* The same over [from, to) (dates), the store at to. */
int store_waste_period_rows(struct db *db, struct arena *a, int64_t site, const char *from,
                            const char *to, struct store_waste_year_row **rows, size_t *n);

/* ---- devices and events ---- */
int store_waste_device_insert(struct db *db, int64_t site, const char *name, const char *hash,
                              const char *now, int64_t *id);
/* The active device of the token hash: its id, site, name into name[64]; ERR_NOTFOUND else. */
int store_waste_device_by_hash(struct db *db, const char *hash, int64_t *id, int64_t *site,
                               char name[64]);
int store_waste_devices_json(struct db *db, int64_t site, struct buf *out);
/* The device's site; ERR_NOTFOUND when none. */
int store_waste_device_site(struct db *db, int64_t id, int64_t *site);
/* Its token stops working (the row and its events stay). */
int store_waste_device_deactivate(struct db *db, int64_t id);
int store_waste_device_touch(struct db *db, int64_t id, const char *now);
/* The stored answer of the event (into out), or ERR_NOTFOUND. */
int store_waste_event_get(struct db *db, int64_t device, const char *event_id, struct buf *out);
int store_waste_event_insert(struct db *db, int64_t device, const char *event_id, int64_t record_id,
                             const char *answer, const char *now);

/* ---- plans ---- */
/* Insert or replace the site's draft plan of year (a filed one: ERR_CONFLICT). */
int store_waste_plan_put(struct db *db, int64_t site, int year, const char *cls,
                         const char *tables_json, const char *due_on, const char *now, int64_t *id);
int store_waste_plan_json(struct db *db, int64_t id, struct buf *out);
/* The plan's site, year, state into state[8] and due day into due[11]. */
int store_waste_plan_get(struct db *db, int64_t id, int64_t *site, int *year, char state[8],
                         char due[11]);
int store_waste_plan_file(struct db *db, int64_t id, const char *filing_no, bool late,
                          const char *now);
int store_waste_plans_json(struct db *db, int64_t site, struct buf *out);
/* The filed plan of the site for year: its id and tables (arena copy); ERR_NOTFOUND when none. */
int store_waste_plan_filed(struct db *db, struct arena *a, int64_t site, int year, int64_t *id,
                           const char **tables_json);

/* ---- manifests ---- */
struct waste_manifest_row {
    int64_t id, site_id, enterprise_id, receiver_id, plan_id, approval_case_id;
    char number[16], state[20], confirm_due[11], arrived_on[11];
    bool cross_province;
    char approval_state[12]; /* "", "applied", "approved", "refused" */
    const char *carrier_name, *vehicle_no, *carrier_licence;
};
struct waste_mline {
    const char *source_batch, *waste_code;
    double amount_t, accepted_t;
};
int store_waste_manifest_insert(struct db *db, const struct waste_manifest_row *m, int64_t user,
                                const char *now, int64_t *id);
int store_waste_mline_insert(struct db *db, int64_t manifest, int line_no,
                             const struct waste_mline *l);
int store_waste_manifest_get(struct db *db, int64_t id, struct waste_manifest_row *m);
/* The lines (allocated in a). */
int store_waste_mlines(struct db *db, struct arena *a, int64_t manifest, struct waste_mline **l,
                       size_t *n);
int store_waste_mline_accept(struct db *db, int64_t manifest, int line_no, double accepted_t);
/* Move to state; the named time column (shipped_at, arrived_at, confirmed_at, closed_at) is set
   to now; extra text columns when not NULL. */
struct waste_manifest_move {
    const char *state, *time_col, *arrived_on, *confirm_due, *decision, *method, *discrepancy,
        *disposal_result;
};
int store_waste_manifest_move(struct db *db, int64_t id, const struct waste_manifest_move *mv,
                              const char *now);
/* Set the carrier fields given (NULL keeps one). */
int store_waste_manifest_carrier(struct db *db, int64_t id, const char *name, const char *vehicle,
                                 const char *licence);
/* The manifest with its lines and its transport legs. */
int store_waste_manifest_json(struct db *db, int64_t id, struct buf *out);
/* A transport leg (the first carrier at shipping, a relay carrier at each handover): leg_no is
   the next one; the manifest's carrier fields become this leg's. ERR_CONFLICT when
   handed_over_at is before the last leg's. */
struct waste_leg {
    const char *carrier_name, *vehicle_no, *carrier_licence, *handover_place, *handed_over_at;
};
int store_waste_leg_add(struct db *db, int64_t manifest, const struct waste_leg *l, int64_t user,
                        const char *now, int64_t *leg_no);
/* Leg 1 from the manifest's carrier fields, handed over at (China time) the shipping. */
int store_waste_leg_first(struct db *db, int64_t manifest, const char *at, int64_t user,
                          const char *now);
/* The cross-province approval: state, the case (0 keeps it), the refusal's reason (NULL keeps). */
int store_waste_manifest_approval(struct db *db, int64_t id, const char *state, int64_t case_id,
                                  const char *note, const char *now);
/* A paper manifest entered after the shipment (lines_json: the lines as JSON). */
struct waste_paper_row {
    const char *paper_no, *carrier_name, *vehicle_no, *shipped_on, *received_on, *entry_due,
        *reason, *lines_json;
    int64_t site_id, enterprise_id, receiver_id;
    double amount_t;
};
/* ERR_CONFLICT when the paper number is taken. */
int store_waste_paper_insert(struct db *db, const struct waste_paper_row *p, int64_t user,
                             const char *now, int64_t *id);
int store_waste_paper_json(struct db *db, int64_t id, struct buf *out);
/* {"items":[…]}: sc's paper manifests (an enterprise: those it shipped or received). */
int store_waste_papers_json(struct db *db, const struct scope *sc, int64_t site, struct buf *out);
/* {"items":[…]}: sc's manifests (an enterprise: those it ships or receives); state filter. */
int store_waste_manifests_json(struct db *db, const struct scope *sc, int64_t site,
                               const char *state, struct buf *out);
/* Whether the enterprise has a licensed site (a receiver must). */
bool store_waste_licensed(struct db *db, int64_t ent);
/* {"items":[…]} the active enterprises with a licensed site (receivers of manifests). */
int store_waste_receivers_json(struct db *db, struct buf *out);
/* Enterprise name and region (the receiver check). */
int store_waste_enterprise(struct db *db, int64_t id, char region[16], char *name, size_t cap);

/* ---- warnings ---- */
/* Raise (once per site, kind, ref) or keep open; *raised 1 when it is new. */
int store_waste_warning_raise(struct db *db, int64_t site, int64_t ent, const char *kind,
                              const char *ref, const char *detail, const char *now, int *raised);
/* Resolve the site's open warnings of kind whose ref is not in keep (comma list). */
int store_waste_warnings_resolve(struct db *db, int64_t site, const char *kind, const char *keep,
                                 const char *now);
int store_waste_warnings_json(struct db *db, const struct scope *sc, int64_t site, struct buf *out);
/* Each site with its class figures for the warnings job. */
typedef int (*waste_site_id_fn)(struct db *db, int64_t site, void *ctx);
int store_waste_site_ids(struct db *db, int64_t **ids, size_t *n);
/* Batches of the site with stock: source batch, code, stock, first store_in day. */
struct waste_stock_row {
    char batch[40], code[16], first_in[11];
    double in_store_t;
};
int store_waste_stock(struct db *db, int64_t site, struct waste_stock_row *rows, size_t cap,
                      size_t *n);
/* Producing batches generated before the day `before` with tonnes not stored in (in_store_t:
   the tonnes missing, first_in: the generation day). */
int store_waste_unstored(struct db *db, int64_t site, const char *before,
                         struct waste_stock_row *rows, size_t cap, size_t *n);
/* Arrived manifests of the site not confirmed: number and confirm_due. */
struct waste_due_row {
    int64_t id;
    char number[16], due[11];
};
int store_waste_unconfirmed(struct db *db, int64_t site, struct waste_due_row *rows, size_t cap,
                            size_t *n);
/* To-do: the open warnings within p's scope as items, and their count. */
int store_waste_todo_json(struct db *db, const struct principal *p, size_t limit, struct buf *out,
                          size_t *n);
int store_waste_todo_count(struct db *db, const struct principal *p, int64_t *n);

/* envgov demo: up to three active 吴兴 (330502) firms, by id. */
int store_waste_demo_firms(struct db *db, int64_t *ids, size_t cap, size_t *n);

#endif
