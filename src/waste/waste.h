/*
** Hazardous waste (危险废物): the code table of the 国家危险废物名录 by edition, per site the
** management class of HJ 1259-2022 (重点监管 / 简化 / 登记) and the ledger of its five record
** kinds (产生, 入库, 出库, 自行利用/处置, 委外), each with its batch number and the producing batch
** it links back to, in tonnes, with the storage inventory derived from them; the warehouses' and
** smart scales' JSON API (a device token per warehouse, idempotent by event id); the annual
** management plan generated from the ledger; electronic transfer manifests (14-digit number,
** draft → shipped → arrived → accepted / partly accepted / refused → closed, the receiver's
** confirmation within the working days of the rule set); warnings raised by a job into the to-do
** list. See docs/internals/waste.md.
**
** The ledger arithmetic, the class, batch and manifest numbers, the manifest states and the plan
** tables (ledger.c) are pure: tests/unit/waste/.
*/
#ifndef ENVGOV_WASTE_WASTE_H
#define ENVGOV_WASTE_WASTE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/module.h"

/* The record kinds of HJ 1259-2022 6.2-6.4, in the order a batch passes them. */
enum waste_kind {
    WK_GENERATE,
    WK_STORE_IN,
    WK_STORE_OUT,
    WK_SELF_USE,
    WK_SELF_DISPOSE,
    WK_OUTSOURCE,
    WK_RETURNED, /* what the receiver did not accept, back into the shipper's store */
    WK_N
};
extern const char *const waste_kind_code[WK_N];   /* "generate", "store_in" … */
extern const char *const waste_kind_prefix[WK_N]; /* "HWCS", "HWRK", "HWCK", "HWZXLY" … */

enum waste_class { WC_KEY, WC_SIMPLIFIED, WC_REGISTERED, WC_N };
extern const char *const waste_class_code[WC_N]; /* "key", "simplified", "registered" */

/* The index of code in names[0..n), or -1 (code may be NULL). */
int waste_code_index(const char *const *names, int n, const char *code);

/* The class of a site (HJ 1259-2022 4.2): key with an own utilisation or disposal facility, a
   licence, or an annual amount ≥ 100 t; simplified ≥ 10 t; registered below. annual_t is the
   largest of the last three years' generation (or the EIA / permit figure for a new plant). */
enum waste_class waste_class_of(double annual_t, bool own_facility, bool licensed);

/* One producing batch's flows, in tonnes. Everything passes through the store: 入库 takes from
   what was generated and not yet stored, 出库 from the store, 自行利用 / 自行处置 / 委外 from what
   left the store and was not yet used, disposed or handed over; 退回 (returned: what a receiver
   did not accept) takes back from what was handed over into the store. */
struct waste_batch {
    double generated, stored_in, stored_out, used, disposed, outsourced;
};
/* In the store now: stored_in - stored_out. */
double waste_batch_in_store(const struct waste_batch *b);
/* Add one record of kind and amount_t to b after checking it fits (a generate record on a batch
   that has one already is refused). 0, or ERR_INPUT (amount not in (0, 1e6]) / ERR_CONFLICT (more
   than the batch holds at that stage) with a message (zh / en) in err. b is unchanged on error.
   Pure. */
int waste_batch_apply(struct waste_batch *b, enum waste_kind kind, double amount_t, char *err,
                      size_t cap);

/* The batch number of a record: prefix + YYYYMMDD + serial of at least 3 digits
   ("HWCS20211031001"). day is "YYYY-MM-DD". ERR_INPUT for a bad day or serial 0. Pure. */
int waste_batch_no(enum waste_kind kind, const char *day, unsigned serial, char *out, size_t cap);

/* The manifest number (转移管理办法 art. 15): year (4) + province (2) + city (2) + serial (6)
   into out[15]. area4 is the first 4 digits of the shipper's region code. ERR_INPUT when the
   year is not 2000-9999, area4 not 4 digits or the serial not 1-999999. Pure. */
int waste_manifest_number(int year, const char *area4, unsigned serial, char out[15]);
/* Whether s is 14 digits with a plausible year and a serial ≥ 1. Pure. */
bool waste_manifest_number_valid(const char *s);

enum waste_mstate {
    MS_DRAFT,
    MS_SHIPPED,
    MS_ARRIVED,
    MS_ACCEPTED,
    MS_PARTLY,
    MS_REFUSED,
    MS_CLOSED,
    MS_N
};
extern const char *const waste_mstate_code[MS_N]; /* "draft" … "partly_accepted" … "closed" */
/* MA_HANDOVER: a relay carrier takes the load over (art. 17); the manifest stays shipped. */
enum waste_maction { MA_SHIP, MA_ARRIVE, MA_ACCEPT, MA_CLOSE, MA_HANDOVER, MA_N };
extern const char *const waste_maction_code[MA_N];
/* The state after action on a manifest in state; for MA_ACCEPT decision is the state the
   accepted amounts give (waste_manifest_decision). -1 when the action is not allowed there.
   Pure. */
int waste_manifest_step(enum waste_mstate state, enum waste_maction action,
                        enum waste_mstate decision);
/* From the lines' shipped and accepted amounts: MS_ACCEPTED when every line was taken whole,
   MS_REFUSED when nothing was, MS_PARTLY otherwise. -1 when an accepted amount is negative or
   above the shipped one (beyond a kilogram's rounding). Pure. */
int waste_manifest_decision(const double *shipped_t, const double *accepted_t, size_t n);

/* Days from first ("YYYY-MM-DD") to day, -1 on a bad date. Pure. */
int waste_days_between(const char *first, const char *day);

/* One waste code's sums over a year of the ledger (tonnes), for the plan. */
struct waste_plan_row {
    const char *code, *category, *description, *traits;
    double generated, stored_in, used, disposed, outsourced, year_end_store;
};
/* Whether the plan of class has table ("facilities", "own_disposal" …: HJ 1259-2022 5). */
bool waste_plan_has_table(enum waste_class cls, const char *table);
/* The plan's tables for class from the previous year's rows: {"class","tables":{"basic":{…},
   "generation":[…], …}} with only the tables of that class; planned amounts are the previous
   year's (the firm edits them before filing). New reference (caller decrefs). Pure. */
json_t *waste_plan_tables(enum waste_class cls, const char *site_name, const char *enterprise_name,
                          double annual_t, int year, const struct waste_plan_row *rows, size_t n);

/* A reporting period (HJ 1259-2022 7.2): a month, a quarter or a year. */
enum waste_period_kind { WP_MONTH, WP_QUARTER, WP_YEAR };
struct waste_period {
    int kind;                       /* enum waste_period_kind */
    char from[11], to[11], due[11]; /* [from, to) and the report's due day */
};
/* Parse "YYYY-MM", "YYYY-Qn" or "YYYY" into p: a month or quarter is due on the 15th of the
   month after it (the quarter's: of the next quarter's first month), a year on 31 March of the
   next. ERR_INPUT otherwise. Pure. */
int waste_period_parse(const char *s, struct waste_period *p);
/* Whether class cls reports for periods of kind: 重点 monthly and yearly, 简化 quarterly and
   yearly, 登记 yearly. Pure. */
bool waste_class_reports(enum waste_class cls, int kind);

/* The rule set waste.rules. */
struct waste_rules {
    int licensed_storage_days, generator_storage_days, warn_before_days, confirm_workdays;
    int plan_due_month, plan_due_day;
    int ledger_gap_days;    /* generated and not stored after this many days: a gap */
    int paper_workdays;     /* a paper manifest entered within this many workdays (art. 20) */
    int crossprov_workdays; /* the cross-province approval's clock (arts. 25-27: 5 + 10 + 5) */
};
/* Read a waste.rules body into r (missing members keep r's values). ERR_INPUT with err. Pure. */
int waste_rules_parse(const json_t *body, struct waste_rules *r, char *err, size_t cap);
/* Whether a transfer between the two 6-digit region codes crosses a province (the first two
   digits differ; arts. 23-28 need an approval). False when either is shorter than 2. */
bool waste_cross_province(const char *from_region, const char *to_region);
/* Whether a paper manifest of a shipment may still be entered on today, the entry due on due
   (the rule set's workdays after the shipment): 0 when it may, ERR_CONFLICT past the limit,
   ERR_INPUT when shipped_on is not a date, lies after today or due is before shipped_on. */
int waste_paper_check(const char *shipped_on, const char *due, const char *today);

struct router;
void waste_routes(struct router *rt);
extern const struct module waste_module;

#endif
