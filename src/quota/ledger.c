/*
** The pure part of the quota module: the rule set read into struct quota_rules, the lots'
** free amounts and what a move takes from them (never a pledged part), the replacement ratio
** and required quantity of a project, the priority order and the reserve's service, the pledge
** cap and check, and emissions against holdings.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "quota/quota.h"

const char *const quota_pollutant_code[QP_N] = {"cod", "nh3n", "so2", "nox", "vocs"};
const char *const quota_tier_code[QT_N] = {"full", "first", "livelihood", "normal"};
const char *const quota_usage_code[4] = {"ok", "warning", "over", "no_rights"};

int quota_pollutant_index(const char *code)
{
    for (int i = 0; code && i < QP_N; i++) {
        if (!strcmp(quota_pollutant_code[i], code)) {
            return i;
        }
    }
    return -1;
}

static int fail(char *err, size_t cap, const char *what)
{
    snprintf(err, cap, "quota.rights: %s", what);
    return ERR_INPUT;
}

int quota_rules_parse(const json_t *body, struct quota_rules *r, char *err, size_t cap)
{
    memset(r, 0, sizeof *r);
    size_t i;
    const json_t *v;
    int n = 0;
    json_array_foreach (json_object_get(body, "pollutants"), i, v) {
        int p = quota_pollutant_index(json_string_value(v));
        if (p < 0) {
            return fail(err, cap, "unknown pollutant");
        }
        r->eligible[p] = true;
        n++;
    }
    if (!n) {
        return fail(err, cap, "no pollutant");
    }
    const json_t *rep = json_object_get(body, "replacement");
    r->default_ratio = json_number_value(json_object_get(rep, "default_ratio"));
    r->missed_ratio = json_number_value(json_object_get(rep, "missed_target_ratio"));
    if (r->default_ratio < 1 || r->missed_ratio < 1) {
        return fail(err, cap, "a replacement ratio is below 1");
    }
    const json_t *pr = json_object_get(body, "priority");
    r->full_guarantee_yuan = json_number_value(json_object_get(pr, "full_guarantee_yuan"));
    r->first_in_line_yuan = json_number_value(json_object_get(pr, "first_in_line_yuan"));
    r->livelihood_first = json_is_true(json_object_get(pr, "livelihood_first"));
    if (r->full_guarantee_yuan <= 0 || r->first_in_line_yuan <= 0) {
        return fail(err, cap, "priority thresholds missing");
    }
    const json_t *pl = json_object_get(body, "pledge");
    r->share_percent = json_number_value(json_object_get(pl, "share_percent"));
    if (r->share_percent <= 0 || r->share_percent > 100) {
        return fail(err, cap, "pledge share must be in (0, 100]");
    }
    json_array_foreach (json_object_get(pl, "excluded_credit_grades"), i, v) {
        if (r->n_excluded < 20 && json_is_string(v)) {
            snprintf(r->excluded_grades[r->n_excluded++], 17, "%s", json_string_value(v));
        }
    }
    r->incident_years = (int)json_integer_value(json_object_get(pl, "incident_years"));
    const json_t *f = json_object_get(body, "factors");
    for (int p = 0; p < QP_N; p++) {
        const char *c = json_string_value(json_object_get(f, quota_pollutant_code[p]));
        snprintf(r->factor[p], sizeof r->factor[p], "%s", c ? c : "");
    }
    r->warning_percent = json_number_value(json_object_get(body, "warning_percent"));
    if (r->warning_percent <= 0) {
        r->warning_percent = 100;
    }
    return 0;
}

int64_t quota_kg(double tonnes)
{
    if (!isfinite(tonnes) || tonnes < 0 || tonnes > 1e9) {
        return -1;
    }
    return (int64_t)llround(tonnes * 1000.0);
}

int64_t quota_lot_free(const struct quota_lot *l, const char *date)
{
    if (!l->active || l->amount <= l->pledged) {
        return 0;
    }
    if ((l->valid_from[0] && strcmp(date, l->valid_from) < 0) ||
        (l->valid_to[0] && strcmp(date, l->valid_to) > 0)) {
        return 0;
    }
    return l->amount - l->pledged;
}

int quota_take(const struct quota_lot *lots, size_t n, int64_t want, const char *date,
               int64_t *take, int64_t *free_total)
{
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        take[i] = 0;
        total += quota_lot_free(&lots[i], date);
    }
    *free_total = total;
    if (want <= 0 || total < want) {
        return ERR_CONFLICT;
    }
    for (size_t i = 0; i < n && want > 0; i++) {
        int64_t f = quota_lot_free(&lots[i], date);
        take[i] = f < want ? f : want;
        want -= take[i];
    }
    return 0;
}

int quota_encumber(const struct quota_lot *lots, size_t n, int64_t want, const char *date,
                   int64_t *add, int64_t *free_total)
{
    return quota_take(lots, n, want, date, add, free_total);
}

double quota_ratio(const struct quota_rules *r, bool missed_target)
{
    return missed_target ? r->missed_ratio : r->default_ratio;
}

int64_t quota_required(int64_t new_kg, double ratio)
{
    return (int64_t)ceil((double)new_kg * ratio - 1e-9);
}

int quota_tier(const struct quota_rules *r, double investment_yuan, bool livelihood)
{
    if (investment_yuan >= r->full_guarantee_yuan) {
        return QT_FULL;
    }
    if (investment_yuan >= r->first_in_line_yuan) {
        return QT_FIRST;
    }
    return livelihood && r->livelihood_first ? QT_LIVELIHOOD : QT_NORMAL;
}

static int claim_cmp(const void *a, const void *b)
{
    const struct quota_claim *x = a, *y = b;
    if (x->tier != y->tier) {
        return x->tier < y->tier ? -1 : 1;
    }
    int c = strcmp(x->submitted_at, y->submitted_at);
    if (c) {
        return c;
    }
    return x->id < y->id ? -1 : x->id > y->id;
}

size_t quota_serve(struct quota_claim *claims, size_t n, int64_t reserve[QP_N], bool *served)
{
    if (n) {
        qsort(claims, n, sizeof *claims, claim_cmp);
    }
    size_t k = 0;
    bool stopped = false;
    for (size_t i = 0; i < n; i++) {
        served[i] = false;
        if (stopped) {
            continue;
        }
        bool fits = true;
        for (int p = 0; p < QP_N; p++) {
            fits = fits && claims[i].need[p] <= reserve[p];
        }
        if (!fits) {
            stopped = true;
            continue;
        }
        for (int p = 0; p < QP_N; p++) {
            reserve[p] -= claims[i].need[p];
        }
        served[i] = true;
        k++;
    }
    return k;
}

double quota_pledge_cap(const struct quota_rules *r, double appraised_yuan)
{
    if (!(appraised_yuan > 0)) {
        return 0;
    }
    return floor(appraised_yuan * r->share_percent / 100.0 + 1e-6);
}

unsigned quota_pledge_reasons(const struct quota_rules *r, const struct quota_pledge_facts *f)
{
    unsigned why = 0;
    if (f->pollutant < 0 || f->pollutant >= QP_N || !r->eligible[f->pollutant]) {
        why |= QR_INELIGIBLE;
    }
    if (f->amount <= 0 || f->free_kg < f->amount) {
        why |= QR_HOLDINGS;
    }
    if (f->over_quota_last_year) {
        why |= QR_OVER_QUOTA;
    }
    if (f->major_incident) {
        why |= QR_INCIDENT;
    }
    for (int i = 0; f->credit_grade && f->credit_grade[0] && i < r->n_excluded; i++) {
        if (!strcmp(f->credit_grade, r->excluded_grades[i])) {
            why |= QR_CREDIT;
        }
    }
    return why;
}

int quota_usage(const struct quota_rules *r, double actual_kg, int64_t held_kg)
{
    if (held_kg <= 0) {
        return actual_kg > 0 ? QU_NO_RIGHTS : QU_OK;
    }
    if (actual_kg > (double)held_kg) {
        return QU_OVER;
    }
    return actual_kg >= (double)held_kg * r->warning_percent / 100.0 ? QU_WARNING : QU_OK;
}
