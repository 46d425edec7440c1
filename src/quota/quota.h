/*
** Emission rights (排污权) and total quantity (总量): holdings per enterprise and pollutant in
** lots (kg a year, with origin, validity and price), the movement ledger with its encumbrances
** (a pledged lot cannot be traded, sold back or retired), trading between firms, sales from and
** buybacks into the government reserve, the total-quantity review of a new project (replacement
** ratio, sources, the priority order that decides who the reserve serves first), pledge loans
** (bureau check, bank decision within the rule set's share of the appraised value, registration,
** release) and actual emissions from the HJ 212 -Cou values against the holdings. The rule set
** is quota.rights. See docs/internals/quota.md.
**
** The arithmetic (quota_rules_parse, quota_take, quota_required, quota_tier, quota_serve,
** quota_pledge_cap, quota_pledge_reasons, quota_usage) is pure: tests/unit/quota/.
*/
#ifndef ENVGOV_QUOTA_QUOTA_H
#define ENVGOV_QUOTA_QUOTA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/module.h"

enum quota_pollutant { QP_COD, QP_NH3N, QP_SO2, QP_NOX, QP_VOCS, QP_N };
extern const char *const quota_pollutant_code[QP_N]; /* "cod", "nh3n", "so2", "nox", "vocs" */

/* The index of code in quota_pollutant_code, or -1. */
int quota_pollutant_index(const char *code);

struct quota_rules {
    bool eligible[QP_N];
    double default_ratio, missed_ratio;
    double full_guarantee_yuan, first_in_line_yuan;
    bool livelihood_first;
    double share_percent;
    char excluded_grades[20][17];
    int n_excluded;
    int incident_years;
    char factor[QP_N][17];
    double warning_percent;
};

/* Read a quota.rights body into r. ERR_INPUT with a message in err. Pure. */
int quota_rules_parse(const json_t *body, struct quota_rules *r, char *err, size_t cap);

/* Amounts are integer kilograms a year (t/a × 1000): the API takes and gives t/a with at most
   three decimals. quota_kg: t/a → kg/a rounded; -1 when negative, not finite or over 1e9 t. */
int64_t quota_kg(double tonnes);

/* One lot of a holding. */
struct quota_lot {
    int64_t id;
    int64_t amount, pledged; /* kg/a; pledged ≤ amount */
    char valid_from[11], valid_to[11];
    bool active;
};

/* What a lot can still move on date: its amount less what is pledged, 0 when not active or not
   valid on date. Pure. */
int64_t quota_lot_free(const struct quota_lot *l, const char *date);

/* Take want kg/a from lots[0..n) (the caller orders them: soonest valid_to first) on date,
   never touching a pledged part: take[i] gets what comes from lots[i]. ERR_CONFLICT (take all
   zero) when the free amount is short; *free gets the free total either way. Pure. */
int quota_take(const struct quota_lot *lots, size_t n, int64_t want, const char *date,
               int64_t *take, int64_t *free_total);

/* Pledge pledge kg/a on lots: the same rule as quota_take, into add[i] (added to pledged). */
int quota_encumber(const struct quota_lot *lots, size_t n, int64_t want, const char *date,
                   int64_t *add, int64_t *free_total);

/* The replacement ratio for a project's pollutant: the missed-target ratio where the area missed
   its quality target. Pure. */
double quota_ratio(const struct quota_rules *r, bool missed_target);
/* The replaced quantity a project needs: ceil(new × ratio) in kg/a. Pure. */
int64_t quota_required(int64_t new_kg, double ratio);

/* Priority tiers, served in this order when the reserve is short. */
enum quota_tier { QT_FULL, QT_FIRST, QT_LIVELIHOOD, QT_NORMAL, QT_N };
extern const char *const quota_tier_code[QT_N]; /* "full", "first", "livelihood", "normal" */
int quota_tier(const struct quota_rules *r, double investment_yuan, bool livelihood);

/* One review waiting for the reserve. */
struct quota_claim {
    int64_t id;
    int tier;
    char submitted_at[32];
    int64_t need[QP_N]; /* kg/a from the reserve */
};

/* Order claims[0..n) in place: tier, then submitted_at, then id. Then serve them in that order
   from reserve[QP_N] (decremented): a claim is served whole or not at all, and the first claim
   the reserve cannot serve stops the queue (no later claim overtakes it), so served[i] is true
   for a prefix of the ordered claims. Returns how many were served. Pure. */
size_t quota_serve(struct quota_claim *claims, size_t n, int64_t reserve[QP_N], bool *served);

/* The loan cap: share_percent of appraised (yuan), rounded down to the yuan. Pure. */
double quota_pledge_cap(const struct quota_rules *r, double appraised_yuan);

/* Reasons a pledge application fails the bureau check, as bits. */
enum {
    QR_HOLDINGS = 1 << 0,   /* the free holdings are short of the amount */
    QR_OVER_QUOTA = 1 << 1, /* emissions over the holdings last year */
    QR_CREDIT = 1 << 2,     /* the credit grade is excluded */
    QR_INCIDENT = 1 << 3,   /* a major incident within incident_years */
    QR_INELIGIBLE = 1 << 4, /* the pollutant is not in the rule set */
};
struct quota_pledge_facts {
    int pollutant;
    int64_t amount, free_kg;
    bool over_quota_last_year, major_incident;
    const char *credit_grade; /* NULL / "" = not graded */
};
unsigned quota_pledge_reasons(const struct quota_rules *r, const struct quota_pledge_facts *f);

/* Emissions against holdings: the state of actual kg against held kg. */
enum quota_usage_state { QU_OK, QU_WARNING, QU_OVER, QU_NO_RIGHTS };
extern const char *const quota_usage_code[4]; /* "ok", "warning", "over", "no_rights" */
int quota_usage(const struct quota_rules *r, double actual_kg, int64_t held_kg);

struct router;
void quota_routes(struct router *rt);
struct req;
struct db;
struct buf;
/* The 工作台's member: this year's emission warnings and over-quota rows within the caller's
   scope. */
int quota_dashboard(struct req *r, struct db *db, struct buf *out);
extern const struct module quota_module;

#endif
