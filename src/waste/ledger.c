/*
** The hazardous-waste module's pure part (waste.h): the HJ 1259 management class, the ledger
** arithmetic of a producing batch, batch and manifest numbers, the manifest state machine and
** the decision from accepted amounts, and the tables of the annual management plan. No
** database, no clock: tests/unit/waste/.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "core/util.h"
#include "waste/waste.h"

const char *const waste_kind_code[WK_N] = {"generate",     "store_in",  "store_out", "self_use",
                                           "self_dispose", "outsource", "returned"};
/* HJ 1259-2022 gives HWCS, HWRK, HWCK, HWZXLY and HWZXCZ; 委外 has no prefix in the text: HWWW
   is this system's (decision 126). */
const char *const waste_kind_prefix[WK_N] = {"HWCS",   "HWRK", "HWCK", "HWZXLY",
                                             "HWZXCZ", "HWWW", "HWTH"};
const char *const waste_class_code[WC_N] = {"key", "simplified", "registered"};
const char *const waste_mstate_code[MS_N] = {"draft",           "shipped", "arrived", "accepted",
                                             "partly_accepted", "refused", "closed"};
const char *const waste_maction_code[MA_N] = {"ship", "arrive", "accept", "close", "handover"};

/* Amounts are kept in tonnes as doubles; a kilogram's rounding is not a discrepancy. */
#define EPS_T 0.0005

int waste_code_index(const char *const *names, int n, const char *code)
{
    for (int i = 0; code && i < n; i++) {
        if (!strcmp(names[i], code)) {
            return i;
        }
    }
    return -1;
}

enum waste_class waste_class_of(double annual_t, bool own_facility, bool licensed)
{
    if (own_facility || licensed || annual_t >= 100) {
        return WC_KEY;
    }
    return annual_t >= 10 ? WC_SIMPLIFIED : WC_REGISTERED;
}

double waste_batch_in_store(const struct waste_batch *b)
{
    return b->stored_in - b->stored_out;
}

static int over(char *err, size_t cap, const char *what_zh, const char *what_en, double have,
                double want)
{
    snprintf(err, cap,
             "超过%s（%.3f 吨，本次 %.3f 吨） / more than %s (%.3f t; this record %.3f t)", what_zh,
             have, want, what_en, have, want);
    return ERR_CONFLICT;
}

int waste_batch_apply(struct waste_batch *b, enum waste_kind kind, double amount_t, char *err,
                      size_t cap)
{
    if (!(amount_t > 0) || amount_t > 1e6 || !isfinite(amount_t)) {
        snprintf(err, cap, "数量须大于 0 且不超过 1000000 吨 / amount_t must be in (0, 1000000]");
        return ERR_INPUT;
    }
    double left_out = b->stored_out - b->used - b->disposed - b->outsourced;
    switch (kind) {
    case WK_GENERATE:
        if (b->generated > 0) {
            snprintf(err, cap, "该产生批次已登记 / the producing batch is recorded already");
            return ERR_CONFLICT;
        }
        b->generated = amount_t;
        return 0;
    case WK_STORE_IN:
        if (amount_t > b->generated - b->stored_in + EPS_T) {
            return over(err, cap, "该批次尚未入库的产生量",
                        "what the batch generated and did not store", b->generated - b->stored_in,
                        amount_t);
        }
        b->stored_in += amount_t;
        return 0;
    case WK_STORE_OUT:
        if (amount_t > waste_batch_in_store(b) + EPS_T) {
            return over(err, cap, "该批次库存", "the batch's stock", waste_batch_in_store(b),
                        amount_t);
        }
        b->stored_out += amount_t;
        return 0;
    case WK_SELF_USE:
    case WK_SELF_DISPOSE:
    case WK_OUTSOURCE:
        if (amount_t > left_out + EPS_T) {
            return over(err, cap, "该批次已出库未去向的量",
                        "what left the store and has no destination", left_out, amount_t);
        }
        *(kind == WK_SELF_USE       ? &b->used
          : kind == WK_SELF_DISPOSE ? &b->disposed
                                    : &b->outsourced) += amount_t;
        return 0;
    case WK_RETURNED:
        if (amount_t > b->outsourced + EPS_T) {
            return over(err, cap, "该批次委外量", "what the batch handed over", b->outsourced,
                        amount_t);
        }
        b->outsourced -= amount_t;
        b->stored_out -= amount_t; /* back in the store */
        return 0;
    default: snprintf(err, cap, "未知的记录类型 / unknown record kind"); return ERR_INPUT;
    }
}

int waste_batch_no(enum waste_kind kind, const char *day, unsigned serial, char *out, size_t cap)
{
    int32_t d;
    if ((unsigned)kind >= WK_N || !day || strlen(day) != 10 || calendar_date_parse(day, 10, &d) ||
        serial == 0) {
        return ERR_INPUT;
    }
    int n = snprintf(out, cap, "%s%.4s%.2s%.2s%03u", waste_kind_prefix[kind], day, day + 5, day + 8,
                     serial);
    return n > 0 && (size_t)n < cap ? 0 : ERR_TOOBIG;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    return true;
}

int waste_manifest_number(int year, const char *area4, unsigned serial, char out[15])
{
    if (year < 2000 || year > 9999 || !area4 || strlen(area4) < 4 || !digits(area4, 4) ||
        serial < 1 || serial > 999999) {
        return ERR_INPUT;
    }
    snprintf(out, 15, "%04d%.4s%06u", year, area4, serial);
    return 0;
}

bool waste_manifest_number_valid(const char *s)
{
    return s && strlen(s) == 14 && digits(s, 14) && strncmp(s, "2000", 4) >= 0 &&
           strcmp(s + 8, "000000") != 0;
}

int waste_manifest_step(enum waste_mstate state, enum waste_maction action,
                        enum waste_mstate decision)
{
    switch (action) {
    case MA_SHIP: return state == MS_DRAFT ? MS_SHIPPED : -1;
    case MA_ARRIVE: return state == MS_SHIPPED ? MS_ARRIVED : -1;
    case MA_ACCEPT:
        return state == MS_ARRIVED &&
                       (decision == MS_ACCEPTED || decision == MS_PARTLY || decision == MS_REFUSED)
                   ? (int)decision
                   : -1;
    case MA_CLOSE:
        return state == MS_ACCEPTED || state == MS_PARTLY || state == MS_REFUSED ? MS_CLOSED : -1;
    case MA_HANDOVER: return state == MS_SHIPPED ? MS_SHIPPED : -1;
    default: return -1;
    }
}

int waste_manifest_decision(const double *shipped_t, const double *accepted_t, size_t n)
{
    bool whole = true, none = true;
    for (size_t i = 0; i < n; i++) {
        if (accepted_t[i] < 0 || accepted_t[i] > shipped_t[i] + EPS_T) {
            return -1;
        }
        whole = whole && accepted_t[i] >= shipped_t[i] - EPS_T;
        none = none && accepted_t[i] <= EPS_T;
    }
    return n == 0 ? -1 : whole ? MS_ACCEPTED : none ? MS_REFUSED : MS_PARTLY;
}

int waste_days_between(const char *first, const char *day)
{
    int32_t a, b;
    if (!first || !day || strlen(first) < 10 || strlen(day) < 10 ||
        calendar_date_parse(first, 10, &a) || calendar_date_parse(day, 10, &b)) {
        return -1;
    }
    return b - a;
}

/* HJ 1259-2022 5: 重点 all seven tables; 简化 without facilities and own disposal; 登记 basic
   information, generation and transfer. */
bool waste_plan_has_table(enum waste_class cls, const char *table)
{
    static const char *const key[] = {"basic",        "facilities", "generation", "storage",
                                      "own_disposal", "reduction",  "transfer"};
    static const char *const simplified[] = {"basic", "generation", "storage", "reduction",
                                             "transfer"};
    static const char *const registered[] = {"basic", "generation", "transfer"};
    const char *const *t = cls == WC_KEY ? key : cls == WC_SIMPLIFIED ? simplified : registered;
    int n = cls == WC_KEY ? 7 : cls == WC_SIMPLIFIED ? 5 : 3;
    return waste_code_index(t, n, table) >= 0;
}

static json_t *t3(double v)
{
    return json_real(round(v * 1000) / 1000);
}

static json_t *row_json(const struct waste_plan_row *r, const char *key, double v)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:o}", "waste_code", r->code, "category", r->category,
                     "description", r->description, "traits", r->traits, key, t3(v));
}

json_t *waste_plan_tables(enum waste_class cls, const char *site_name, const char *enterprise_name,
                          double annual_t, int year, const struct waste_plan_row *rows, size_t n)
{
    json_t *tables = json_object();
    json_object_set_new(tables, "basic",
                        json_pack("{s:s,s:s,s:i,s:s,s:o}", "enterprise_name", enterprise_name,
                                  "site_name", site_name, "year", year, "class",
                                  waste_class_code[cls], "annual_t", t3(annual_t)));
    const char *names[] = {"generation", "storage", "own_disposal", "reduction", "transfer"};
    for (size_t k = 0; k < ARRAY_LEN(names); k++) {
        if (!waste_plan_has_table(cls, names[k])) {
            continue;
        }
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++) {
            const struct waste_plan_row *r = &rows[i];
            switch (k) {
            case 0: json_array_append_new(a, row_json(r, "planned_t", r->generated)); break;
            case 1:
                json_array_append_new(a, row_json(r, "planned_in_t", r->stored_in));
                json_object_set_new(json_array_get(a, json_array_size(a) - 1), "year_end_t",
                                    t3(r->year_end_store));
                break;
            case 2:
                if (r->used + r->disposed > 0) {
                    json_t *o = row_json(r, "planned_use_t", r->used);
                    json_object_set_new(o, "planned_dispose_t", t3(r->disposed));
                    json_array_append_new(a, o);
                }
                break;
            case 3: json_array_append_new(a, row_json(r, "previous_t", r->generated)); break;
            default: {
                /* planned transfer: what the year generated less its own use and disposal, or
                   what it handed over when that was more */
                double left = r->generated - r->used - r->disposed;
                double t = r->outsourced > left ? r->outsourced : left;
                if (t > 0.0005) {
                    json_array_append_new(a, row_json(r, "planned_t", t));
                }
            }
            }
        }
        json_object_set_new(tables, names[k], a);
    }
    if (waste_plan_has_table(cls, "facilities")) {
        json_object_set_new(tables, "facilities", json_array());
    }
    return json_pack("{s:s,s:i,s:o}", "class", waste_class_code[cls], "year", year, "tables",
                     tables);
}

static int int_member(const json_t *body, const char *key, int lo, int hi, int *out, char *err,
                      size_t cap)
{
    json_t *v = json_object_get(body, key);
    if (!v) {
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        snprintf(err, cap, "%s must be an integer in [%d, %d]", key, lo, hi);
        return ERR_INPUT;
    }
    *out = (int)json_integer_value(v);
    return 0;
}

int waste_rules_parse(const json_t *body, struct waste_rules *r, char *err, size_t cap)
{
    if (!json_is_object(body)) {
        snprintf(err, cap, "the waste.rules body must be an object");
        return ERR_INPUT;
    }
    int rc =
        int_member(body, "licensed_storage_days", 1, 3650, &r->licensed_storage_days, err, cap);
    rc = rc ? rc
            : int_member(body, "generator_storage_days", 1, 3650, &r->generator_storage_days, err,
                         cap);
    rc = rc ? rc : int_member(body, "warn_before_days", 0, 365, &r->warn_before_days, err, cap);
    rc = rc ? rc : int_member(body, "confirm_workdays", 1, 60, &r->confirm_workdays, err, cap);
    rc = rc ? rc : int_member(body, "plan_due_month", 1, 12, &r->plan_due_month, err, cap);
    rc = rc ? rc : int_member(body, "plan_due_day", 1, 31, &r->plan_due_day, err, cap);
    rc = rc ? rc : int_member(body, "ledger_gap_days", 1, 60, &r->ledger_gap_days, err, cap);
    rc = rc ? rc : int_member(body, "paper_workdays", 1, 60, &r->paper_workdays, err, cap);
    rc = rc ? rc : int_member(body, "crossprov_workdays", 1, 120, &r->crossprov_workdays, err, cap);
    return rc;
}

bool waste_cross_province(const char *from_region, const char *to_region)
{
    if (!from_region || !to_region || strlen(from_region) < 2 || strlen(to_region) < 2) {
        return false;
    }
    return strncmp(from_region, to_region, 2) != 0;
}

static bool is_day(const char *s)
{
    return s && strlen(s) == 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' &&
           digits(s + 8, 2) && strncmp(s + 5, "01", 2) >= 0 && strncmp(s + 5, "12", 2) <= 0 &&
           strncmp(s + 8, "01", 2) >= 0 && strncmp(s + 8, "31", 2) <= 0;
}

int waste_paper_check(const char *shipped_on, const char *due, const char *today)
{
    if (!is_day(shipped_on) || !is_day(due) || !is_day(today) || strcmp(shipped_on, today) > 0 ||
        strcmp(due, shipped_on) < 0) {
        return ERR_INPUT;
    }
    return strcmp(today, due) > 0 ? ERR_CONFLICT : 0;
}

static void ymd(char out[11], int y, int m, int d)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04u-%02u-%02u", (unsigned)y % 10000, (unsigned)m % 100,
             (unsigned)d % 100);
    memcpy(out, tmp, 11);
}

int waste_period_parse(const char *s, struct waste_period *p)
{
    size_t n = s ? strlen(s) : 0;
    int64_t y = 0, k = 0;
    if (n < 4 || !digits(s, 4) || parse_i64(s, 4, &y) || y < 2000 || y > 9998) {
        return ERR_INPUT;
    }
    int yr = (int)y;
    if (n == 4) {
        p->kind = WP_YEAR;
        ymd(p->from, yr, 1, 1);
        ymd(p->to, yr + 1, 1, 1);
        ymd(p->due, yr + 1, 3, 31);
        return 0;
    }
    if (n == 7 && s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4') {
        int q = s[6] - '0', m0 = (q - 1) * 3 + 1, m1 = m0 + 3;
        p->kind = WP_QUARTER;
        ymd(p->from, yr, m0, 1);
        ymd(p->to, m1 > 12 ? yr + 1 : yr, m1 > 12 ? 1 : m1, 1);
        ymd(p->due, m1 > 12 ? yr + 1 : yr, m1 > 12 ? 1 : m1, 15);
        return 0;
    }
    if (n == 7 && s[4] == '-' && digits(s + 5, 2) && !parse_i64(s + 5, 2, &k) && k >= 1 &&
        k <= 12) {
        int m = (int)k;
        p->kind = WP_MONTH;
        ymd(p->from, yr, m, 1);
        ymd(p->to, m == 12 ? yr + 1 : yr, m == 12 ? 1 : m + 1, 1);
        ymd(p->due, m == 12 ? yr + 1 : yr, m == 12 ? 1 : m + 1, 15);
        return 0;
    }
    return ERR_INPUT;
}

bool waste_class_reports(enum waste_class cls, int kind)
{
    return kind == WP_YEAR || (cls == WC_KEY && kind == WP_MONTH) ||
           (cls == WC_SIMPLIFIED && kind == WP_QUARTER);
}
