/*
** Administrative penalties (行政处罚): a case from a problem (a finding of the rectify hub)
** through 立案, 调查, 告知, 听证 (when asked: the clock pauses), 决定, 执行, 结案 on the casework
** engine with the legal clocks of the rule set penalty.clocks; the discretion calculator
** (penalty.discretion: per violation type the statutory range, factors with levels, an advisory
** amount clamped to the range with its reasoning, 从轻 / 减轻); the no-penalty list
** (penalty.exempt: 轻微不罚 / 首违不罚 items with machine-checkable conditions on the case's
** data); the decision documents; the public decisions and the risk-point list; the credit feed.
** See docs/internals/penalty.md.
**
** The pure parts (the calculator, the no-penalty evaluation, the exceedance summary, the
** clocks' dates) need no database: tests/unit/penalty/.
*/
#ifndef ENVGOV_PENALTY_PENALTY_H
#define ENVGOV_PENALTY_PENALTY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/module.h"

#define PEN_CODE_MAX 48
#define PEN_MAX_FACTORS 8
#define PEN_MAX_LEVELS 5
#define PEN_MAX_LINES 24
#define PEN_LINE_MAX 320

/* ---------------- the discretion calculator (pure) ---------------- */

struct pen_level {
    const char *code, *zh, *en;
    double coef; /* 0 … 1: where in the statutory range this level points */
};
struct pen_factor {
    const char *code, *zh, *en;
    double weight; /* > 0; the factors' weights are normalised by their sum */
    struct pen_level levels[PEN_MAX_LEVELS];
    int n_levels; /* 3 … 5, mildest first */
};
/* A violation type of penalty.discretion. basis "fixed": the range is [min_yuan, max_yuan];
   "multiple": min_multiple … max_multiple times a base amount of the case (base_zh names it:
   建设项目总投资额). reduce_allowed: 减轻 (below the minimum) is possible for this type. */
struct pen_violation {
    const char *code, *zh, *en, *legal_basis, *basis, *base_zh, *credit_type;
    int64_t min_yuan, max_yuan;
    double min_multiple, max_multiple;
    bool reduce_allowed;
};
/* A ground of 行政处罚法 art. 32 (or another rule) that allows 从轻 ("lighter") or 从轻 and 减轻
   ("reduced"). */
struct pen_ground {
    const char *code, *zh, *en, *allows;
};
/* The rule set body, parsed; the strings point into the json_t, which must outlive it. */
struct pen_discretion {
    struct pen_factor factors[PEN_MAX_FACTORS];
    int n_factors;
    const json_t *violations; /* the body's array, read with pen_violation_find */
    const json_t *grounds;
    int64_t round_yuan;         /* the advisory amount is rounded to this (100) */
    double lighter_ratio;       /* 从轻: the discretion share is multiplied by it (0.5) */
    double reduced_ratio;       /* 减轻: the amount is the minimum times it (0.5) */
    int64_t reduced_floor_yuan; /* 减轻 never below this */
};
/* Parse a penalty.discretion body. ERR_INPUT with *field naming the path. */
int pen_discretion_parse(const json_t *body, struct pen_discretion *d, const char **field);
/* The violation type code of d into *v; ERR_NOTFOUND. */
int pen_violation_find(const struct pen_discretion *d, const char *code, struct pen_violation *v);
/* The ground code into *g; ERR_NOTFOUND. */
int pen_ground_find(const struct pen_discretion *d, const char *code, struct pen_ground *g);

enum pen_mitigation { PM_NONE, PM_LIGHTER, PM_REDUCED };
/* "none" | "lighter" | "reduced" ⇄ enum; -1 / NULL when unknown. */
int pen_mitigation_parse(const char *s);
const char *pen_mitigation_name(enum pen_mitigation m);

struct pen_line {
    char zh[PEN_LINE_MAX], en[PEN_LINE_MAX];
};
/* What the calculator is asked: a level code per factor of d (levels[i] for d->factors[i];
   NULL or "" = not chosen), the mitigation and its ground, the base amount for a "multiple"
   type. */
struct pen_calc_input {
    const char *levels[PEN_MAX_FACTORS];
    enum pen_mitigation mitigation;
    const char *ground; /* required unless PM_NONE */
    double base_yuan;   /* > 0 for a "multiple" type */
};
struct pen_calc_result {
    int64_t min_yuan, max_yuan;    /* the statutory range for this case */
    int64_t floor_yuan, ceil_yuan; /* what the decided amount may be: the range, or for 减轻
                                      [reduced_floor_yuan, min_yuan) (ceil = min - 1) */
    double share;                  /* Σ weight × coef / Σ weight, after 从轻 */
    int64_t advisory_yuan;         /* clamped to [floor, ceil] */
    bool clamped;                  /* the computed amount lay outside and was brought in */
    struct pen_line lines[PEN_MAX_LINES];
    int n_lines;
};
/* Work out the advisory amount with its reasoning, line by line. ERR_INPUT with *field ("levels.
   harm" for an unknown or missing level, "mitigation", "ground" when the ground is missing,
   unknown or does not allow the mitigation or the type allows no 减轻, "base_yuan") and a
   two-language reason in why. Pure. */
int pen_calculate(const struct pen_discretion *d, const struct pen_violation *v,
                  const struct pen_calc_input *in, struct pen_calc_result *out, const char **field,
                  char *why, size_t cap);
/* Whether the officer's amount may stand: within [floor, ceil] (else *field "amount_yuan") and,
   when it differs from the advisory amount, with a written reason of at least 10 characters
   (else *field "departure_reason"). ERR_INPUT with why. Pure. */
int pen_check_amount(const struct pen_calc_result *r, int64_t amount_yuan,
                     const char *departure_reason, const char **field, char *why, size_t cap);

/* ---------------- the no-penalty list (pure) ---------------- */

/* The facts of a case the conditions read; a fact not known (no data) fails its condition and
   says so. */
struct pen_facts {
    const char *violation_type;
    const char *found_on;       /* YYYY-MM-DD */
    const char *last_same_type; /* the latest earlier penalty / no-penalty decision of the same
                                   type, YYYY-MM-DD; "" = none */
    int harm_level;             /* index of the harm factor's level (0 = mildest); -1 unknown */
    const char *harm_factor;    /* the factor code of harm in penalty.discretion ("harm") */
    const struct pen_discretion *discretion; /* to name levels; may be NULL */
    int corrected_days;     /* days from found_on to the correction; -1 not corrected */
    bool have_monitoring;   /* hourly readings with limits were found */
    double exceed_multiple; /* the max hourly exceedance, (value − limit) / limit */
    double exceed_hours;    /* the most hours above the limit in one day */
    int exceed_factors;     /* distinct factors above their limits */
    bool toxic;             /* one of them is a toxic pollutant */
    bool have_hw;
    double hw_tonnes_year; /* hazardous waste produced a year, tonnes */
};

enum pen_verdict { PV_PASS, PV_FAIL, PV_UNKNOWN };
struct pen_cond_eval {
    char fact[24];
    enum pen_verdict verdict;
    char zh[PEN_LINE_MAX], en[PEN_LINE_MAX]; /* the condition with its value measured */
};
#define PEN_MAX_CONDS 8
struct pen_item_eval {
    const char *code, *kind, *zh, *en, *legal_basis;
    bool applies; /* the case's violation type is one of the item's */
    bool passed;  /* applies and every condition passes */
    struct pen_cond_eval conds[PEN_MAX_CONDS];
    int n_conds;
};
/* Evaluate item (one element of penalty.exempt's "items") on f. ERR_INPUT with *field for a
   malformed item (unknown fact, missing bound). Pure. */
int pen_exempt_eval_item(const json_t *item, const struct pen_facts *f, struct pen_item_eval *out,
                         const char **field);
/* Check a whole penalty.exempt body (every item evaluates on empty facts). */
int pen_exempt_check(const json_t *body, const char **field);

/* One hourly reading with its limit, for the exceedance summary. */
struct pen_reading {
    const char *factor;
    char day[11];        /* China date */
    int hour;            /* 0 … 23, China time */
    double value, limit; /* limit <= 0: none */
};
/* Summarise readings into f's monitoring facts: the max (value − limit) / limit over readings
   above their limit, the most distinct hours with a reading above its limit in one day,
   the distinct factors above, whether one of them is in toxic (a JSON array of factor codes).
   have_monitoring is whether any reading had a limit. Pure. */
void pen_exceed_summarize(const struct pen_reading *r, size_t n, const json_t *toxic,
                          struct pen_facts *f);

/* ---------------- clocks' dates (pure) ---------------- */

/* d + n calendar days (YYYY-MM-DD); ERR_INPUT for a bad date. */
int pen_date_add(const char *d, int n, char out[11]);
/* Days from a to b (b − a); ERR_INPUT. */
int pen_days_between(const char *a, const char *b, int *out);
/* d minus months (the day clamped to the month's length). */
int pen_date_minus_months(const char *d, int months, char out[11]);

extern const struct module penalty_module;

#endif
