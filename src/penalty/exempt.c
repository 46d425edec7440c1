/*
** The no-penalty list (不予处罚清单: 轻微不罚, 首违不罚; 行政处罚法 2021 art. 33): each item of
** penalty.exempt names the violation types it covers and its conditions, each a fact of the
** case with a bound. Evaluating an item gives every condition's verdict with the value measured,
** so the case page shows the check condition by condition. Also the exceedance summary of the
** monitoring data and the date arithmetic of the clocks. Pure.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "penalty/penalty.h"

static const char *jstr(const json_t *o, const char *k, const char *def)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : def;
}

int pen_date_add(const char *d, int n, char out[11])
{
    int32_t day;
    if (!d || calendar_date_parse(d, strlen(d), &day)) {
        return ERR_INPUT;
    }
    calendar_date_format(day + n, out);
    return 0;
}

int pen_days_between(const char *a, const char *b, int *out)
{
    int32_t x, y;
    if (!a || !b || calendar_date_parse(a, strlen(a), &x) ||
        calendar_date_parse(b, strlen(b), &y)) {
        return ERR_INPUT;
    }
    *out = y - x;
    return 0;
}

int pen_date_minus_months(const char *d, int months, char out[11])
{
    int32_t day;
    int y, m, dd;
    if (!d || calendar_date_parse(d, strlen(d), &day) || sscanf(d, "%d-%d-%d", &y, &m, &dd) != 3) {
        return ERR_INPUT;
    }
    int total = y * 12 + (m - 1) - months;
    y = total / 12;
    m = total % 12 + 1;
    static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int ml = len[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (y < 1 || y > 9999) {
        return ERR_INPUT;
    }
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, dd > ml ? ml : dd);
    memcpy(out, tmp, 10);
    out[10] = 0;
    return 0;
}

static const char *const FACTS[] = {"first_violation", "harm_level",     "corrected_days",
                                    "exceed_multiple", "exceed_hours",   "exceed_factors",
                                    "toxic",           "hw_tonnes_year", NULL};

static bool known_fact(const char *f)
{
    for (int i = 0; FACTS[i]; i++) {
        if (!strcmp(FACTS[i], f)) {
            return true;
        }
    }
    return false;
}

/* The harm factor's level index of code, -1 when unknown. */
static int harm_index(const struct pen_facts *f, const char *code, const char **zh)
{
    if (!f->discretion || !code) {
        return -1;
    }
    for (int i = 0; i < f->discretion->n_factors; i++) {
        const struct pen_factor *pf = &f->discretion->factors[i];
        if (strcmp(pf->code, f->harm_factor ? f->harm_factor : "harm")) {
            continue;
        }
        for (int j = 0; j < pf->n_levels; j++) {
            if (!strcmp(pf->levels[j].code, code)) {
                *zh = pf->levels[j].zh;
                return j;
            }
        }
    }
    return -1;
}

static const char *harm_name(const struct pen_facts *f, int idx)
{
    if (!f->discretion || idx < 0) {
        return "";
    }
    for (int i = 0; i < f->discretion->n_factors; i++) {
        const struct pen_factor *pf = &f->discretion->factors[i];
        if (!strcmp(pf->code, f->harm_factor ? f->harm_factor : "harm") && idx < pf->n_levels) {
            return pf->levels[idx].zh;
        }
    }
    return "";
}

static void set(struct pen_cond_eval *c, enum pen_verdict v)
{
    c->verdict = v;
}

/* A numeric condition: measured (known) against max. */
static void numeric(struct pen_cond_eval *c, bool known, double value, double max,
                    const char *zh_name, const char *en_name, const char *unit_zh,
                    const char *unit_en)
{
    if (!known) {
        set(c, PV_UNKNOWN);
        snprintf(c->zh, PEN_LINE_MAX, "%s不超过 %g%s：无数据", zh_name, max, unit_zh);
        snprintf(c->en, PEN_LINE_MAX, "%s at most %g%s: no data", en_name, max, unit_en);
        return;
    }
    set(c, value <= max + 1e-9 ? PV_PASS : PV_FAIL);
    snprintf(c->zh, PEN_LINE_MAX, "%s不超过 %g%s：实测 %g%s", zh_name, max, unit_zh,
             round(value * 1000) / 1000, unit_zh);
    snprintf(c->en, PEN_LINE_MAX, "%s at most %g%s: measured %g%s", en_name, max, unit_en,
             round(value * 1000) / 1000, unit_en);
}

int pen_exempt_eval_item(const json_t *item, const struct pen_facts *f, struct pen_item_eval *out,
                         const char **field)
{
    memset(out, 0, sizeof *out);
    *field = NULL;
    out->code = jstr(item, "code", NULL);
    out->kind = jstr(item, "kind", "minor");
    out->zh = jstr(item, "zh", "");
    out->en = jstr(item, "en", "");
    out->legal_basis = jstr(item, "legal_basis", "");
    const json_t *types = json_object_get(item, "violation_types");
    const json_t *conds = json_object_get(item, "conditions");
    if (!out->code) {
        *field = "items.code";
        return ERR_INPUT;
    }
    if (!json_is_array(types) || !json_array_size(types)) {
        *field = "items.violation_types";
        return ERR_INPUT;
    }
    if (!json_is_array(conds) || !json_array_size(conds) ||
        json_array_size(conds) > PEN_MAX_CONDS) {
        *field = "items.conditions";
        return ERR_INPUT;
    }
    size_t i;
    const json_t *t;
    json_array_foreach (types, i, t) {
        if (f->violation_type && json_is_string(t) &&
            !strcmp(json_string_value(t), f->violation_type)) {
            out->applies = true;
        }
    }
    bool all = true;
    const json_t *c;
    json_array_foreach (conds, i, c) {
        struct pen_cond_eval *e = &out->conds[out->n_conds++];
        const char *fact = jstr(c, "fact", "");
        if (!known_fact(fact)) {
            *field = "items.conditions.fact";
            return ERR_INPUT;
        }
        snprintf(e->fact, sizeof e->fact, "%s", fact);
        const json_t *maxv = json_object_get(c, "max");
        double max = json_number_value(maxv);
        if (!strcmp(fact, "first_violation")) {
            const json_t *w = json_object_get(c, "window_months");
            if (!json_is_integer(w) || json_integer_value(w) < 1) {
                *field = "items.conditions.window_months";
                return ERR_INPUT;
            }
            int months = (int)json_integer_value(w);
            char since[11] = "";
            if (!f->found_on || pen_date_minus_months(f->found_on, months, since)) {
                set(e, PV_UNKNOWN);
                snprintf(e->zh, PEN_LINE_MAX, "首次违法（%d 个月内无同类处罚或免罚）：发现日期不明",
                         months);
                snprintf(e->en, PEN_LINE_MAX,
                         "First violation (none of the type in %d months): discovery date unknown",
                         months);
            } else if (!f->last_same_type || !f->last_same_type[0]) {
                set(e, PV_PASS);
                snprintf(e->zh, PEN_LINE_MAX, "首次违法（%d 个月内无同类处罚或免罚）：无同类记录",
                         months);
                snprintf(e->en, PEN_LINE_MAX,
                         "First violation (none of the type in %d months): no earlier record",
                         months);
            } else {
                bool in_window = strcmp(f->last_same_type, since) >= 0;
                set(e, in_window ? PV_FAIL : PV_PASS);
                snprintf(e->zh, PEN_LINE_MAX,
                         "首次违法（%d 个月内无同类处罚或免罚）：上次同类决定 %s%s", months,
                         f->last_same_type, in_window ? "，在期限内" : "，已超出期限");
                snprintf(e->en, PEN_LINE_MAX,
                         "First violation (none of the type in %d months): last decision of the "
                         "type on %s%s",
                         months, f->last_same_type,
                         in_window ? ", within the window" : ", before it");
            }
        } else if (!strcmp(fact, "harm_level")) {
            const char *lzh = "";
            int lim = harm_index(f, jstr(c, "max_level", NULL), &lzh);
            if (f->discretion && lim < 0) {
                *field = "items.conditions.max_level";
                return ERR_INPUT;
            }
            if (f->harm_level < 0 || lim < 0) {
                set(e, PV_UNKNOWN);
                snprintf(e->zh, PEN_LINE_MAX, "危害后果不超过“%s”：尚未认定", lzh);
                snprintf(e->en, PEN_LINE_MAX, "Harm at most \"%s\": not yet assessed",
                         jstr(c, "max_level", ""));
            } else {
                set(e, f->harm_level <= lim ? PV_PASS : PV_FAIL);
                snprintf(e->zh, PEN_LINE_MAX, "危害后果不超过“%s”：认定为“%s”", lzh,
                         harm_name(f, f->harm_level));
                snprintf(e->en, PEN_LINE_MAX, "Harm at most \"%s\": assessed level %d",
                         jstr(c, "max_level", ""), f->harm_level);
            }
        } else if (!strcmp(fact, "toxic")) {
            const json_t *eq = json_object_get(c, "equals");
            if (!json_is_boolean(eq)) {
                *field = "items.conditions.equals";
                return ERR_INPUT;
            }
            bool want = json_is_true(eq);
            if (!f->have_monitoring) {
                set(e, PV_UNKNOWN);
                snprintf(e->zh, PEN_LINE_MAX, "%s有毒污染物：无监测数据", want ? "涉及" : "不涉及");
                snprintf(e->en, PEN_LINE_MAX, "%s toxic pollutant: no monitoring data",
                         want ? "Involves a" : "No");
            } else {
                set(e, f->toxic == want ? PV_PASS : PV_FAIL);
                snprintf(e->zh, PEN_LINE_MAX, "%s有毒污染物：超标因子%s有毒污染物",
                         want ? "涉及" : "不涉及", f->toxic ? "含" : "不含");
                snprintf(e->en, PEN_LINE_MAX, "%s toxic pollutant: the factors exceeded %s one",
                         want ? "Involves a" : "No", f->toxic ? "include" : "do not include");
            }
        } else {
            if (!json_is_number(maxv)) {
                *field = "items.conditions.max";
                return ERR_INPUT;
            }
            if (!strcmp(fact, "corrected_days")) {
                if (f->corrected_days < 0) {
                    set(e, PV_FAIL);
                    snprintf(e->zh, PEN_LINE_MAX, "发现后 %g 日内改正：尚未改正（整改未验收）",
                             max);
                    snprintf(e->en, PEN_LINE_MAX,
                             "Corrected within %g days of discovery: not yet (not verified)", max);
                } else {
                    numeric(e, true, f->corrected_days, max, "改正用时", "Days to correct", " 日",
                            " days");
                }
            } else if (!strcmp(fact, "exceed_multiple")) {
                numeric(e, f->have_monitoring, f->exceed_multiple, max, "小时均值超标倍数",
                        "Hourly exceedance multiple", " 倍", "×");
            } else if (!strcmp(fact, "exceed_hours")) {
                numeric(e, f->have_monitoring, f->exceed_hours, max, "单日超标时长",
                        "Hours above the limit in a day", " 小时", " h");
            } else if (!strcmp(fact, "exceed_factors")) {
                numeric(e, f->have_monitoring, f->exceed_factors, max, "超标因子数",
                        "Factors exceeded", " 项", "");
            } else { /* hw_tonnes_year */
                numeric(e, f->have_hw, f->hw_tonnes_year, max, "危险废物年产生量",
                        "Hazardous waste a year", " 吨", " t");
            }
        }
        if (e->verdict != PV_PASS) {
            all = false;
        }
    }
    out->passed = out->applies && all;
    return 0;
}

int pen_exempt_check(const json_t *body, const char **field)
{
    const json_t *items = json_object_get(body, "items");
    if (!json_is_array(items)) {
        *field = "items";
        return ERR_INPUT;
    }
    struct pen_facts f = {.found_on = "2026-01-01", .harm_level = -1, .corrected_days = -1};
    size_t i;
    const json_t *it;
    json_array_foreach (items, i, it) {
        struct pen_item_eval e;
        int rc = pen_exempt_eval_item(it, &f, &e, field);
        if (rc) {
            return rc;
        }
    }
    *field = NULL;
    return 0;
}

static bool in_list(const json_t *arr, const char *s)
{
    size_t i;
    const json_t *v;
    json_array_foreach (arr, i, v) {
        if (json_is_string(v) && !strcmp(json_string_value(v), s)) {
            return true;
        }
    }
    return false;
}

void pen_exceed_summarize(const struct pen_reading *r, size_t n, const json_t *toxic,
                          struct pen_facts *f)
{
    f->have_monitoring = false;
    f->exceed_multiple = 0;
    f->exceed_hours = 0;
    f->exceed_factors = 0;
    f->toxic = false;
    const char *factors[64];
    int nf = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(r[i].limit > 0)) {
            continue;
        }
        f->have_monitoring = true;
        if (r[i].value <= r[i].limit) {
            continue;
        }
        double m = (r[i].value - r[i].limit) / r[i].limit;
        if (m > f->exceed_multiple) {
            f->exceed_multiple = m;
        }
        bool seen = false;
        for (int k = 0; k < nf; k++) {
            seen |= !strcmp(factors[k], r[i].factor);
        }
        if (!seen && nf < 64) {
            factors[nf++] = r[i].factor;
            f->toxic |= in_list(toxic, r[i].factor);
        }
        /* hours above in this reading's day: the distinct hours of that day with a reading
           above its limit */
        uint32_t mask = 0;
        for (size_t j = 0; j < n; j++) {
            if (r[j].limit > 0 && r[j].value > r[j].limit && !strcmp(r[j].day, r[i].day) &&
                r[j].hour >= 0 && r[j].hour < 24) {
                mask |= 1u << r[j].hour;
            }
        }
        int hours = __builtin_popcount(mask);
        if (hours > f->exceed_hours) {
            f->exceed_hours = hours;
        }
    }
    f->exceed_factors = nf;
}
