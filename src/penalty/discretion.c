/*
** The discretion calculator (自由裁量, 环执法〔2019〕42号): the statutory range of the violation
** type, each factor's chosen level (a coefficient 0…1 of where in the range it points) weighted
** and averaged into a share, the advisory amount min + (max − min) × share rounded, 从轻 (the
** share scaled down, within the range) or 减轻 (below the minimum, only where the type and the
** ground allow it: 行政处罚法 art. 32), and always clamped to what the law allows; every step
** written out as a line in both languages. Pure.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "penalty/penalty.h"

static const char *jstr(const json_t *o, const char *k, const char *def)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : def;
}

static double jnum(const json_t *o, const char *k, double def)
{
    const json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : def;
}

int pen_discretion_parse(const json_t *body, struct pen_discretion *d, const char **field)
{
    memset(d, 0, sizeof *d);
    *field = NULL;
    const json_t *fs = json_object_get(body, "factors");
    if (!json_is_array(fs) || json_array_size(fs) == 0 || json_array_size(fs) > PEN_MAX_FACTORS) {
        *field = "factors";
        return ERR_INPUT;
    }
    size_t i;
    const json_t *f;
    json_array_foreach (fs, i, f) {
        struct pen_factor *pf = &d->factors[i];
        pf->code = jstr(f, "code", NULL);
        pf->zh = jstr(f, "zh", "");
        pf->en = jstr(f, "en", "");
        pf->weight = jnum(f, "weight", 0);
        const json_t *ls = json_object_get(f, "levels");
        if (!pf->code || pf->weight <= 0 || !json_is_array(ls) || json_array_size(ls) < 2 ||
            json_array_size(ls) > PEN_MAX_LEVELS) {
            *field = "factors";
            return ERR_INPUT;
        }
        size_t j;
        const json_t *l;
        json_array_foreach (ls, j, l) {
            struct pen_level *pl = &pf->levels[j];
            pl->code = jstr(l, "code", NULL);
            pl->zh = jstr(l, "zh", "");
            pl->en = jstr(l, "en", "");
            pl->coef = jnum(l, "coef", -1);
            if (!pl->code || pl->coef < 0 || pl->coef > 1) {
                *field = "factors.levels";
                return ERR_INPUT;
            }
        }
        pf->n_levels = (int)json_array_size(ls);
        d->n_factors++;
    }
    d->violations = json_object_get(body, "violations");
    d->grounds = json_object_get(body, "grounds");
    if (!json_is_array(d->violations) || json_array_size(d->violations) == 0) {
        *field = "violations";
        return ERR_INPUT;
    }
    if (!json_is_array(d->grounds)) {
        *field = "grounds";
        return ERR_INPUT;
    }
    d->round_yuan = (int64_t)jnum(body, "round_yuan", 100);
    d->lighter_ratio = jnum(body, "lighter_ratio", 0.5);
    d->reduced_ratio = jnum(body, "reduced_ratio", 0.5);
    d->reduced_floor_yuan = (int64_t)jnum(body, "reduced_floor_yuan", 0);
    if (d->round_yuan < 1) {
        d->round_yuan = 1;
    }
    if (d->lighter_ratio <= 0 || d->lighter_ratio > 1) {
        *field = "lighter_ratio";
        return ERR_INPUT;
    }
    if (d->reduced_ratio <= 0 || d->reduced_ratio >= 1) {
        *field = "reduced_ratio";
        return ERR_INPUT;
    }
    const json_t *v;
    json_array_foreach (d->violations, i, v) {
        struct pen_violation pv;
        if (pen_violation_find(d, jstr(v, "code", ""), &pv) || pv.min_yuan < 0 ||
            (!strcmp(pv.basis, "fixed") && pv.max_yuan < pv.min_yuan) ||
            (!strcmp(pv.basis, "multiple") && pv.max_multiple < pv.min_multiple)) {
            *field = "violations";
            return ERR_INPUT;
        }
    }
    return 0;
}

int pen_violation_find(const struct pen_discretion *d, const char *code, struct pen_violation *v)
{
    size_t i;
    const json_t *o;
    json_array_foreach (d->violations, i, o) {
        if (code && !strcmp(jstr(o, "code", ""), code)) {
            v->code = jstr(o, "code", "");
            v->zh = jstr(o, "zh", "");
            v->en = jstr(o, "en", "");
            v->legal_basis = jstr(o, "legal_basis", "");
            v->basis = jstr(o, "basis", "fixed");
            v->base_zh = jstr(o, "base_zh", "");
            v->credit_type = jstr(o, "credit_type", "penalty");
            v->min_yuan = (int64_t)jnum(o, "min_yuan", 0);
            v->max_yuan = (int64_t)jnum(o, "max_yuan", 0);
            v->min_multiple = jnum(o, "min_multiple", 0);
            v->max_multiple = jnum(o, "max_multiple", 0);
            v->reduce_allowed = json_is_true(json_object_get(o, "reduce_allowed"));
            return 0;
        }
    }
    return ERR_NOTFOUND;
}

int pen_ground_find(const struct pen_discretion *d, const char *code, struct pen_ground *g)
{
    size_t i;
    const json_t *o;
    json_array_foreach (d->grounds, i, o) {
        if (code && !strcmp(jstr(o, "code", ""), code)) {
            g->code = jstr(o, "code", "");
            g->zh = jstr(o, "zh", "");
            g->en = jstr(o, "en", "");
            g->allows = jstr(o, "allows", "lighter");
            return 0;
        }
    }
    return ERR_NOTFOUND;
}

int pen_mitigation_parse(const char *s)
{
    if (!s) {
        return -1;
    }
    return !strcmp(s, "none")      ? PM_NONE
           : !strcmp(s, "lighter") ? PM_LIGHTER
           : !strcmp(s, "reduced") ? PM_REDUCED
                                   : -1;
}

const char *pen_mitigation_name(enum pen_mitigation m)
{
    return m == PM_LIGHTER ? "lighter" : m == PM_REDUCED ? "reduced" : "none";
}

static void line(struct pen_calc_result *r, const char *zh, const char *en)
{
    if (r->n_lines < PEN_MAX_LINES) {
        snprintf(r->lines[r->n_lines].zh, PEN_LINE_MAX, "%s", zh);
        snprintf(r->lines[r->n_lines].en, PEN_LINE_MAX, "%s", en);
        r->n_lines++;
    }
}

static int64_t round_to(double x, int64_t unit)
{
    return (int64_t)llround(x / (double)unit) * unit;
}

int pen_calculate(const struct pen_discretion *d, const struct pen_violation *v,
                  const struct pen_calc_input *in, struct pen_calc_result *out, const char **field,
                  char *why, size_t cap)
{
    memset(out, 0, sizeof *out);
    *field = NULL;
    char zh[PEN_LINE_MAX], en[PEN_LINE_MAX];
    if (!strcmp(v->basis, "multiple")) {
        if (!(in->base_yuan > 0)) {
            *field = "base_yuan";
            snprintf(why, cap,
                     "按倍数处罚须填写%s / a multiple-based penalty needs the base amount",
                     v->base_zh[0] ? v->base_zh : "基数");
            return ERR_INPUT;
        }
        out->min_yuan = (int64_t)llround(in->base_yuan * v->min_multiple);
        out->max_yuan = (int64_t)llround(in->base_yuan * v->max_multiple);
    } else {
        out->min_yuan = v->min_yuan;
        out->max_yuan = v->max_yuan;
    }
    snprintf(zh, sizeof zh, "违法行为：%s；处罚依据：%s", v->zh, v->legal_basis);
    snprintf(en, sizeof en, "Violation: %s; legal basis: %s", v->en, v->legal_basis);
    line(out, zh, en);
    if (!strcmp(v->basis, "multiple")) {
        snprintf(zh, sizeof zh, "法定幅度：%s %.0f 元的 %g–%g 倍，即 %lld–%lld 元", v->base_zh,
                 in->base_yuan, v->min_multiple, v->max_multiple, (long long)out->min_yuan,
                 (long long)out->max_yuan);
        snprintf(en, sizeof en,
                 "Statutory range: %g–%g times the base of %.0f yuan, i.e. %lld–%lld yuan",
                 v->min_multiple, v->max_multiple, in->base_yuan, (long long)out->min_yuan,
                 (long long)out->max_yuan);
    } else {
        snprintf(zh, sizeof zh, "法定幅度：%lld–%lld 元", (long long)out->min_yuan,
                 (long long)out->max_yuan);
        snprintf(en, sizeof en, "Statutory range: %lld–%lld yuan", (long long)out->min_yuan,
                 (long long)out->max_yuan);
    }
    line(out, zh, en);

    double sum_w = 0, sum = 0;
    for (int i = 0; i < d->n_factors; i++) {
        const struct pen_factor *f = &d->factors[i];
        const char *code = in->levels[i];
        const struct pen_level *lv = NULL;
        for (int j = 0; code && j < f->n_levels; j++) {
            if (!strcmp(f->levels[j].code, code)) {
                lv = &f->levels[j];
            }
        }
        if (!lv) {
            /* per thread: requests run on several threads (the field is read before the next) */
            static _Thread_local char fieldbuf[PEN_MAX_FACTORS][64];
            snprintf(fieldbuf[i], sizeof fieldbuf[i], "levels.%s", f->code);
            *field = fieldbuf[i];
            snprintf(why, cap, "请选择“%s”的情形 / choose a level of %s", f->zh, f->en);
            return ERR_INPUT;
        }
        sum_w += f->weight;
        sum += f->weight * lv->coef;
        snprintf(zh, sizeof zh, "%s：%s（系数 %.2f × 权重 %.2f = %.3f）", f->zh, lv->zh, lv->coef,
                 f->weight, lv->coef * f->weight);
        snprintf(en, sizeof en, "%s: %s (coefficient %.2f × weight %.2f = %.3f)", f->en, lv->en,
                 lv->coef, f->weight, lv->coef * f->weight);
        line(out, zh, en);
    }
    double share = sum_w > 0 ? sum / sum_w : 0;
    snprintf(zh, sizeof zh, "裁量比例 = %.3f ÷ %.2f = %.3f", sum, sum_w, share);
    snprintf(en, sizeof en, "Discretion share = %.3f ÷ %.2f = %.3f", sum, sum_w, share);
    line(out, zh, en);

    struct pen_ground g = {0};
    if (in->mitigation != PM_NONE) {
        if (!in->ground || !in->ground[0]) {
            *field = "ground";
            snprintf(why, cap, "从轻或减轻须写明依据 / lighter or reduced needs its ground");
            return ERR_INPUT;
        }
        if (pen_ground_find(d, in->ground, &g)) {
            *field = "ground";
            snprintf(why, cap, "未知的从轻/减轻情形 / unknown ground %s", in->ground);
            return ERR_INPUT;
        }
    }
    out->floor_yuan = out->min_yuan;
    out->ceil_yuan = out->max_yuan;
    double amount;
    if (in->mitigation == PM_REDUCED) {
        if (strcmp(g.allows, "reduced")) {
            *field = "ground";
            snprintf(why, cap, "“%s”只允许从轻，不允许减轻 / %s allows lighter, not reduced", g.zh,
                     g.en);
            return ERR_INPUT;
        }
        if (!v->reduce_allowed) {
            *field = "mitigation";
            snprintf(why, cap, "%s不适用减轻处罚 / %s cannot be reduced below the minimum", v->zh,
                     v->en);
            return ERR_INPUT;
        }
        if (out->min_yuan <= d->reduced_floor_yuan) {
            *field = "mitigation";
            snprintf(why, cap, "法定最低额已无减轻余地 / the minimum leaves no room to reduce");
            return ERR_INPUT;
        }
        out->floor_yuan = d->reduced_floor_yuan;
        out->ceil_yuan = out->min_yuan - 1;
        amount = (double)out->min_yuan * d->reduced_ratio;
        out->share = share;
        snprintf(zh, sizeof zh, "减轻处罚（%s）：在法定最低额以下，最低额 %lld × %.2f = %.0f 元",
                 g.zh, (long long)out->min_yuan, d->reduced_ratio, amount);
        snprintf(en, sizeof en, "Reduced (%s): below the minimum, %lld × %.2f = %.0f yuan", g.en,
                 (long long)out->min_yuan, d->reduced_ratio, amount);
        line(out, zh, en);
    } else {
        if (in->mitigation == PM_LIGHTER) {
            double s2 = share * d->lighter_ratio;
            snprintf(zh, sizeof zh, "从轻处罚（%s）：裁量比例 %.3f × %.2f = %.3f", g.zh, share,
                     d->lighter_ratio, s2);
            snprintf(en, sizeof en, "Lighter (%s): share %.3f × %.2f = %.3f", g.en, share,
                     d->lighter_ratio, s2);
            line(out, zh, en);
            share = s2;
        }
        out->share = share;
        amount = (double)out->min_yuan + (double)(out->max_yuan - out->min_yuan) * share;
        snprintf(zh, sizeof zh, "计算金额 = %lld + (%lld − %lld) × %.3f = %.0f 元",
                 (long long)out->min_yuan, (long long)out->max_yuan, (long long)out->min_yuan,
                 share, amount);
        snprintf(en, sizeof en, "Computed = %lld + (%lld − %lld) × %.3f = %.0f yuan",
                 (long long)out->min_yuan, (long long)out->max_yuan, (long long)out->min_yuan,
                 share, amount);
        line(out, zh, en);
    }
    int64_t a = round_to(amount, d->round_yuan);
    snprintf(zh, sizeof zh, "按 %lld 元取整：%lld 元", (long long)d->round_yuan, (long long)a);
    snprintf(en, sizeof en, "Rounded to %lld yuan: %lld yuan", (long long)d->round_yuan,
             (long long)a);
    line(out, zh, en);
    if (a < out->floor_yuan || a > out->ceil_yuan) {
        int64_t c = a < out->floor_yuan ? out->floor_yuan : out->ceil_yuan;
        snprintf(zh, sizeof zh, "超出可处罚幅度 %lld–%lld 元，限定为 %lld 元",
                 (long long)out->floor_yuan, (long long)out->ceil_yuan, (long long)c);
        snprintf(en, sizeof en, "Outside the allowed %lld–%lld yuan: clamped to %lld yuan",
                 (long long)out->floor_yuan, (long long)out->ceil_yuan, (long long)c);
        line(out, zh, en);
        a = c;
        out->clamped = true;
    }
    out->advisory_yuan = a;
    snprintf(zh, sizeof zh, "建议罚款金额：%lld 元", (long long)a);
    snprintf(en, sizeof en, "Advisory fine: %lld yuan", (long long)a);
    line(out, zh, en);
    return 0;
}

int pen_check_amount(const struct pen_calc_result *r, int64_t amount_yuan,
                     const char *departure_reason, const char **field, char *why, size_t cap)
{
    *field = NULL;
    if (amount_yuan < r->floor_yuan || amount_yuan > r->ceil_yuan) {
        *field = "amount_yuan";
        snprintf(why, cap, "罚款金额须在 %lld–%lld 元之间 / the fine must lie in %lld–%lld yuan",
                 (long long)r->floor_yuan, (long long)r->ceil_yuan, (long long)r->floor_yuan,
                 (long long)r->ceil_yuan);
        return ERR_INPUT;
    }
    if (amount_yuan != r->advisory_yuan) {
        /* ten characters at least: a sentence, not "ok" (UTF-8: count code points) */
        size_t n = 0;
        for (const unsigned char *p =
                 (const unsigned char *)(departure_reason ? departure_reason : "");
             *p; p++) {
            n += (*p & 0xC0) != 0x80;
        }
        if (n < 10) {
            *field = "departure_reason";
            snprintf(
                why, cap,
                "金额与建议金额 %lld 元不同，须书面说明理由（至少 10 字） / departing from the "
                "advisory %lld yuan needs a written reason (10 characters or more)",
                (long long)r->advisory_yuan, (long long)r->advisory_yuan);
            return ERR_INPUT;
        }
    }
    return 0;
}
