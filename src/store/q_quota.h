/*
** The quota module's queries (migration 028): lots and their adjustments, the reserve, the
** movement ledger, reviews with their items, banks and their users, pledges with the lots they
** encumber, and the annual -Cou totals of an enterprise's points. Amounts are kg a year.
*/
#ifndef ENVGOV_STORE_Q_QUOTA_H
#define ENVGOV_STORE_Q_QUOTA_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

extern const struct audit_kind quota_audit_kinds[];

/* The enterprise's region and status; ERR_NOTFOUND when none. */
int store_quota_enterprise(struct db *db, int64_t id, char region[16], char status[16]);

/* One lot as the ledger reads it. */
struct quota_lot_row {
    int64_t id, amount, pledged;
    char valid_from[11], valid_to[11], origin[12];
    double price;
};
/* The enterprise's lots of pollutant with an amount left, soonest valid_to first, at most cap
   into rows (*n). */
int store_quota_lots(struct db *db, int64_t ent, const char *pollutant, struct quota_lot_row *rows,
                     size_t cap, size_t *n);

struct quota_lot_new {
    int64_t enterprise_id, parent_id; /* parent 0 = none */
    const char *pollutant, *origin, *valid_from, *valid_to, *note;
    int64_t amount;
    double price;
};
/* Insert a lot; its serial is PW-<year of valid_from>-<enterprise>-<pollutant>-<id>. */
int store_quota_lot_insert(struct db *db, const struct quota_lot_new *l, const char *now,
                           int64_t *id);
/* amount += d_amount, pledged += d_pledged (the table's checks refuse a negative result). */
int store_quota_lot_adjust(struct db *db, int64_t id, int64_t d_amount, int64_t d_pledged,
                           const char *now);

struct quota_move {
    const char *kind, *pollutant, *ref_kind, *note;
    int64_t amount, from_ent, to_ent, lot_id, ref_id, user; /* 0 = none */
    double price;
};
int store_quota_move(struct db *db, const struct quota_move *m, const char *now);

/* The reserve per pollutant (quota_pollutant_code order, 5 values). */
int store_quota_reserve(struct db *db, int64_t out[5]);
/* reserve[pollutant] += delta (a result below 0 is refused by the table). */
int store_quota_reserve_add(struct db *db, const char *pollutant, int64_t delta, const char *now);

/* Holdings summed per enterprise and pollutant within sc (ent > 0: that one only), at most cap
   rows (*truncated when there were more): [{enterprise_id, enterprise_name, region_code,
   pollutant, amount_kg, pledged_kg, lots, valid_to}] (all lots with an amount left). */
int store_quota_holdings_json(struct db *db, const struct scope *sc, int64_t ent, size_t cap,
                              struct buf *out, bool *truncated);
/* The lots of ent as a JSON array (newest first, up to 500). */
int store_quota_lots_json(struct db *db, int64_t ent, struct buf *out);
/* Held kg of ent per pollutant valid on date (5 values). */
int store_quota_held(struct db *db, int64_t ent, const char *date, int64_t out[5]);
/* Movements within sc (either side; ent > 0: that one), newest first, up to limit. */
int store_quota_moves_json(struct db *db, const struct scope *sc, int64_t ent, int64_t limit,
                           struct buf *out);

/* ---- reviews ---- */
struct quota_review_new {
    int64_t enterprise_id, rule_set_id, user;
    const char *project, *approval_ref, *tier;
    double investment_yuan;
    bool livelihood;
};
int store_quota_review_insert(struct db *db, const struct quota_review_new *v, const char *now,
                              int64_t *id);
int store_quota_review_item(struct db *db, int64_t review, const char *pollutant, int64_t new_kg,
                            bool missed, double ratio, int64_t required, int64_t reserve_kg,
                            const char *sources_json);
/* One review with its items (JSON object); ERR_NOTFOUND. *ent gets its enterprise. */
int store_quota_review_json(struct db *db, int64_t id, int64_t *ent, struct buf *out);
/* Reviews within sc, newest first (up to 500), with their items. */
int store_quota_reviews_json(struct db *db, const struct scope *sc, struct buf *out);
/* Each waiting review: its id, enterprise, tier, submitted_at and reserve needs (5 values). */
typedef void (*quota_claim_fn)(int64_t id, int64_t ent, const char *tier, const char *at,
                               const int64_t need[5], void *ctx);
int store_quota_claims_each(struct db *db, quota_claim_fn fn, void *ctx);
/* Mark a review served; each item's new lot recorded. */
int store_quota_review_served(struct db *db, int64_t id, const char *now);
int store_quota_review_item_lot(struct db *db, int64_t review, const char *pollutant, int64_t lot);

/* ---- banks and pledges ---- */
int store_quota_bank_insert(struct db *db, const char *name, const char *now, int64_t *id);
int store_quota_banks_json(struct db *db, struct buf *out);
bool store_quota_bank_exists(struct db *db, int64_t id);
/* Link a user (role bank) to a bank (replacing an earlier link). */
int store_quota_bank_user(struct db *db, int64_t user, int64_t bank);
/* The user's role ("" when no such user). */
void store_quota_user_role(struct db *db, int64_t user, char role[16]);
/* The bank of a bank user; 0 when none. */
int64_t store_quota_user_bank(struct db *db, int64_t user);

struct quota_pledge_row {
    int64_t id, enterprise_id, bank_id, amount, rule_set_id;
    double appraised, requested;
    char pollutant[8], state[16];
};
struct quota_pledge_new {
    int64_t enterprise_id, bank_id, amount, rule_set_id, user;
    const char *pollutant, *note;
    double appraised, requested;
};
int store_quota_pledge_insert(struct db *db, const struct quota_pledge_new *p, const char *now,
                              int64_t *id);
int store_quota_pledge_get(struct db *db, int64_t id, struct quota_pledge_row *p);
int store_quota_pledge_json(struct db *db, int64_t id, struct buf *out);
/* Pledges: bank > 0 only that bank's; else within sc (ent > 0 only that enterprise). */
int store_quota_pledges_json(struct db *db, const struct scope *sc, int64_t bank, int64_t ent,
                             struct buf *out);
int store_quota_pledge_checked(struct db *db, int64_t id, const char *state, const char *reasons,
                               const char *grade, bool incident, int64_t user, const char *now);
int store_quota_pledge_decided(struct db *db, int64_t id, const char *state, double loan,
                               double rate, const char *note, int64_t user, const char *now);
int store_quota_pledge_registered(struct db *db, int64_t id, const char *reg_no, const char *now);
int store_quota_pledge_released(struct db *db, int64_t id, const char *now);
int store_quota_pledge_lot(struct db *db, int64_t pledge, int64_t lot, int64_t amount);
/* The lots a pledge encumbers. */
typedef void (*quota_plot_fn)(int64_t lot, int64_t amount, void *ctx);
int store_quota_pledge_lots_each(struct db *db, int64_t pledge, quota_plot_fn fn, void *ctx);

/* ---- emissions ---- */
/* Emissions of every firm within sc (ent > 0: that one): the holdings per pollutant valid on at,
   by enterprise (held_fn), and the year's daily sums per point of each of the n factors (the
   day's Cou, else its Avg × the day's flow Cou: w00000 for water, a00000 for gas)
   (factor index i of factors), by enterprise and point (point_fn). Two statements, whatever
   the number of firms. */
typedef void (*quota_held_fn)(int64_t ent, const char *pollutant, int64_t kg, void *ctx);
typedef void (*quota_cou_fn)(int64_t ent, int factor, int64_t point, const char *name, double kg,
                             int64_t days, void *ctx);
int store_quota_emissions(struct db *db, const struct scope *sc, int64_t ent, const char *at,
                          const char *year, const char *const *factors, int n,
                          quota_held_fn held_fn, quota_cou_fn point_fn, void *ctx);
/* envgov demo: a reserve, initial allocations of the 吴兴 (330502) active firms (up to 30), a
   trade, two reviews, a bank with the user "bank" and a registered pledge. *n gets the firms. */
int store_quota_demo(struct db *db, const char *today, int *n);

#endif
