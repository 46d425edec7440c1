/*
** The scoring engine: pure functions from (rule body, events, date) to score, grade and the
** events that count with their effect. Nothing here reads the database, so the golden tests of
** both shipped rule sets (tests/unit/credit/engine_test.c) run without one, and the nightly pass
** scores 100,000 subjects from one parsed model.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "credit/credit.h"

static double num(const json_t *o, const char *key, double def)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : def;
}

static int fail(char *err, size_t cap, const char *msg, const char *what)
{
    snprintf(err, cap, msg, what ? what : "");
    return ERR_INPUT;
}

static int parse_grades(const json_t *arr, struct credit_model *m, char *err, size_t cap)
{
    if (!json_is_array(arr) || json_array_size(arr) < 2 ||
        json_array_size(arr) > CREDIT_MAX_GRADES) {
        return fail(err, cap, "grades: 2 to 8 bands / 需要 2 至 8 个等级%s", NULL);
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const json_t *g = json_array_get(arr, i);
        const char *code = json_string_value(json_object_get(g, "code"));
        if (!code || strlen(code) > CREDIT_CODE_MAX) {
            return fail(err, cap, "grades[%s]: a code of at most 16 characters / 等级代码无效",
                        NULL);
        }
        snprintf(m->grades[i].code, sizeof m->grades[i].code, "%s", code);
        m->grades[i].min = num(g, "min", 0);
        if (i && m->grades[i].min > m->grades[i - 1].min) {
            return fail(err, cap, "grades %s: best first, lower bounds falling / 等级应由好到差",
                        code);
        }
    }
    m->n_grades = json_array_size(arr);
    return 0;
}

static int parse_types(const json_t *arr, struct credit_model *m, char *err, size_t cap)
{
    if (!json_is_array(arr) || json_array_size(arr) > CREDIT_MAX_TYPES) {
        return fail(err, cap, "events: at most 32 types / 事件类型至多 32 个%s", NULL);
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const json_t *e = json_array_get(arr, i);
        struct credit_type_rule *t = &m->types[i];
        const char *type = json_string_value(json_object_get(e, "type"));
        if (!type || strlen(type) > CREDIT_TYPE_MAX) {
            return fail(err, cap, "events: a type name of at most 40 characters%s", NULL);
        }
        snprintf(t->type, sizeof t->type, "%s", type);
        t->points = num(e, "points", 0);
        t->valid_months = (int)num(e, "valid_months", 0);
        t->veto = json_is_true(json_object_get(e, "veto"));
        t->cap = num(e, "cap", 0);
        t->variable = json_is_true(json_object_get(e, "variable"));
        t->min_points = num(e, "min_points", t->points);
        t->max_points = num(e, "max_points", t->points);
    }
    m->n_types = json_array_size(arr);
    return 0;
}

int credit_model_parse(const json_t *body, struct credit_model *m, char *err, size_t errcap)
{
    memset(m, 0, sizeof *m);
    if (!json_is_object(body)) {
        return fail(err, errcap, "the body is not an object / 规则内容不是对象%s", NULL);
    }
    m->base = num(body, "base", 100);
    m->new_firm_score = num(body, "new_firm_score", m->base);
    m->new_firm_months = (int)num(body, "new_firm_months", 0);
    m->min = num(body, "min", 0);
    m->max = num(body, "max", m->base);
    m->objection_workdays = (int)num(body, "objection_workdays", 15);
    if (m->min > m->max) {
        return fail(err, errcap, "min above max / 最低分高于最高分%s", NULL);
    }
    int rc = parse_grades(json_object_get(body, "grades"), m, err, errcap);
    return rc ? rc : parse_types(json_object_get(body, "events"), m, err, errcap);
}

const struct credit_type_rule *credit_model_type(const struct credit_model *m, const char *type)
{
    for (size_t i = 0; i < m->n_types; i++) {
        if (!strcmp(m->types[i].type, type)) {
            return &m->types[i];
        }
    }
    return NULL;
}

static void fmt_date(int y, int mo, int d, char out[11])
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, mo % 100, d % 100);
    memcpy(out, tmp, 10);
    out[10] = 0;
}

static int days_in_month(int y, int mo)
{
    static const int D[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return mo == 2 && leap ? 29 : D[mo - 1];
}

void credit_add_months(const char *date, int months, char out[11])
{
    int y = 0, mo = 0, d = 0;
    if (sscanf(date, "%4d-%2d-%2d", &y, &mo, &d) != 3 || mo < 1 || mo > 12) {
        snprintf(out, 11, "%.10s", date);
        return;
    }
    int total = y * 12 + (mo - 1) + months;
    y = total / 12;
    mo = total % 12 + 1;
    if (d > days_in_month(y, mo)) {
        d = days_in_month(y, mo);
    }
    fmt_date(y, mo, d, out);
}

/* The day before date (for "the last day it counts"). */
static void day_before(const char *date, char out[11])
{
    int y = 0, mo = 0, d = 0;
    if (sscanf(date, "%4d-%2d-%2d", &y, &mo, &d) != 3 || mo < 1 || mo > 12) {
        snprintf(out, 11, "%.10s", date);
        return;
    }
    if (--d < 1) {
        mo = mo == 1 ? 12 : mo - 1;
        y -= mo == 12;
        d = days_in_month(y, mo);
    }
    fmt_date(y, mo, d, out);
}

static bool is_new_firm(const struct credit_model *m, const char *date, const char *registered)
{
    if (!m->new_firm_months || !registered || !*registered) {
        return false;
    }
    char until[11];
    credit_add_months(registered, m->new_firm_months, until);
    return strncmp(date, until, 10) < 0;
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Whether e counts on date under r; until gets its last day ("" = without end). */
static bool counts(const struct credit_type_rule *r, const struct credit_event *e, const char *date,
                   char until[11])
{
    until[0] = 0;
    if (strncmp(e->occurred_on, date, 10) > 0) {
        return false;
    }
    if (!r->valid_months) {
        return true;
    }
    char end[11];
    credit_add_months(e->occurred_on, r->valid_months, end);
    day_before(end, until);
    return strncmp(date, end, 10) < 0;
}

void credit_score(const struct credit_model *m, const struct credit_event *ev, size_t n,
                  const char *date, const char *registered_on, struct credit_result *out,
                  struct credit_effect *eff, size_t cap)
{
    double total[CREDIT_MAX_TYPES] = {0};
    double score = is_new_firm(m, date, registered_on) ? m->new_firm_score : m->base;
    bool veto = false;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct credit_type_rule *r = credit_model_type(m, ev[i].type);
        char until[11];
        if (!r || !counts(r, &ev[i], date, until)) {
            continue;
        }
        size_t ti = (size_t)(r - m->types);
        double p = r->variable && ev[i].has_points
                       ? clampd(ev[i].points, r->min_points, r->max_points)
                       : r->points;
        /* The type's cap bounds its running total: an event past it counts with what is left
           (often 0), so the list still shows it. */
        if (r->cap > 0) {
            double next = clampd(total[ti] + p, -r->cap, r->cap);
            p = next - total[ti];
        }
        total[ti] += p;
        veto |= r->veto;
        if (k < cap) {
            eff[k] = (struct credit_effect){
                .event_id = ev[i].id, .type = ev[i].type, .effect = p, .veto = r->veto};
            memcpy(eff[k].until, until, sizeof until);
        }
        k++;
    }
    for (size_t t = 0; t < m->n_types; t++) {
        score += total[t];
    }
    score = clampd(score, m->min, m->max);
    out->score = score;
    out->veto = veto;
    out->n_counted = k < cap ? k : cap;
    out->grade = m->grades[m->n_grades - 1].code;
    for (size_t g = 0; !veto && g < m->n_grades; g++) {
        if (score >= m->grades[g].min) {
            out->grade = m->grades[g].code;
            break;
        }
    }
}
