/*
** The pure part of the emergency module: the rule set read into struct em_rules, the grade →
** action mapping with its exemptions, the control list's sums and shortfall, and the compliance
** verdict of one line from its flow readings.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "emergency/emergency.h"

const char *const em_pollutant_code[EM_NP] = {"so2", "nox", "pm", "vocs"};
const char *const em_level_code[EL_N] = {"blue", "yellow", "orange", "red"};
const char *const em_action_code[EA_N] = {"none", "self", "limit", "stop_part", "stop"};
const char *const em_grade_code[EG_N] = {"leading", "A", "B", "B-", "C", "D"};

int em_code_index(const char *const *names, int n, const char *code)
{
    for (int i = 0; code && i < n; i++) {
        if (!strcmp(names[i], code)) {
            return i;
        }
    }
    return -1;
}

static int fail(char *err, size_t cap, const char *what)
{
    snprintf(err, cap, "emergency.levels: %s", what);
    return ERR_INPUT;
}

int emergency_rules_parse(const json_t *body, struct em_rules *r, char *err, size_t cap)
{
    memset(r, 0, sizeof *r);
    bool seen_level[EL_N] = {0}, seen_grade[EG_N] = {0};
    size_t i;
    const json_t *v;
    json_array_foreach (json_object_get(body, "levels"), i, v) {
        int l = em_code_index(em_level_code, EL_N, json_string_value(json_object_get(v, "level")));
        if (l < 0) {
            return fail(err, cap, "unknown level");
        }
        seen_level[l] = true;
        for (int p = 0; p < EM_NP; p++) {
            r->cut[l][p] = json_number_value(
                json_object_get(json_object_get(v, "cut_percent"), em_pollutant_code[p]));
        }
    }
    json_array_foreach (json_object_get(body, "grades"), i, v) {
        int g = em_code_index(em_grade_code, EG_N, json_string_value(json_object_get(v, "grade")));
        if (g < 0) {
            return fail(err, cap, "unknown grade");
        }
        seen_grade[g] = true;
        for (int l = 0; l < EL_N; l++) {
            int a = em_code_index(em_action_code, EA_N,
                                  json_string_value(json_object_get(json_object_get(v, "actions"),
                                                                    em_level_code[l])));
            if (a < 0) {
                return fail(err, cap, "unknown action");
            }
            r->grade_max[g][l] = a;
        }
    }
    for (int k = 0; k < EL_N; k++) {
        if (!seen_level[k]) {
            return fail(err, cap, "a level is missing");
        }
    }
    for (int k = 0; k < EG_N; k++) {
        if (!seen_grade[k]) {
            return fail(err, cap, "a grade is missing");
        }
    }
    r->ungraded =
        em_code_index(em_grade_code, EG_N, json_string_value(json_object_get(body, "ungraded")));
    const json_t *ex = json_object_get(body, "exempt");
    r->livelihood_max = em_code_index(
        em_action_code, EA_N, json_string_value(json_object_get(ex, "livelihood_max_action")));
    if (r->ungraded < 0 || r->livelihood_max < 0) {
        return fail(err, cap, "ungraded or livelihood_max_action is unknown");
    }
    json_array_foreach (json_object_get(ex, "low_voc_pollutants"), i, v) {
        int p = em_code_index(em_pollutant_code, EM_NP, json_string_value(v));
        if (p < 0) {
            return fail(err, cap, "unknown pollutant");
        }
        r->low_voc_exempt[p] = true;
    }
    const json_t *c = json_object_get(body, "compliance");
    const char *ff = json_string_value(json_object_get(c, "flow_factor"));
    snprintf(r->flow_factor, sizeof r->flow_factor, "%s", ff ? ff : "a00000");
    r->tolerance_pct = json_number_value(json_object_get(c, "tolerance_percent"));
    r->stop_flow_pct = json_number_value(json_object_get(c, "stop_flow_percent"));
    return 0;
}

int emergency_grade_action(const struct em_rules *r, int grade, bool livelihood, int level)
{
    int g = grade >= 0 && grade < EG_N ? grade : r->ungraded;
    int a = r->grade_max[g][level];
    return livelihood && a > r->livelihood_max ? r->livelihood_max : a;
}

static struct em_sum *region_sum(struct em_sum *sums, size_t cap, size_t *n, const char *region)
{
    for (size_t i = 0; i < *n; i++) {
        if (!strcmp(sums[i].region, region)) {
            return &sums[i];
        }
    }
    if (*n == cap) {
        return NULL;
    }
    struct em_sum *s = &sums[(*n)++];
    memset(s, 0, sizeof *s);
    snprintf(s->region, sizeof s->region, "%s", region);
    return s;
}

static void finish_sum(const struct em_rules *r, int level, struct em_sum *s)
{
    for (int p = 0; p < EM_NP; p++) {
        s->required[p] = s->baseline[p] * r->cut[level][p] / 100.0;
        double gap = s->required[p] - s->reduction[p];
        s->shortfall[p] = gap > 1e-9 ? gap : 0;
    }
}

int emergency_control(const struct em_rules *r, int level, const struct em_firm *firms,
                      size_t n_firms, const struct em_line *lines, struct em_line_out *out,
                      struct em_sum *sums, size_t cap, size_t *n_sums, struct em_sum *total)
{
    if (level < 0 || level >= EL_N) {
        return ERR_INPUT;
    }
    *n_sums = 0;
    memset(total, 0, sizeof *total);
    for (size_t f = 0; f < n_firms; f++) {
        const struct em_firm *fm = &firms[f];
        struct em_sum *s = region_sum(sums, cap, n_sums, fm->region);
        if (!s) {
            return ERR_TOOBIG;
        }
        int allowed = emergency_grade_action(r, fm->grade, fm->livelihood, level);
        for (size_t k = fm->first_line; k < fm->first_line + fm->n_lines; k++) {
            const struct em_line *ln = &lines[k];
            struct em_line_out *o = &out[k];
            memset(o, 0, sizeof *o);
            o->allowed = allowed;
            o->action = ln->action[level];
            if (o->action > allowed) { /* no 一刀切: never more than the grade allows */
                o->action = allowed;
                o->capped = true;
            }
            for (int p = 0; p < EM_NP; p++) {
                if (fm->low_voc && r->low_voc_exempt[p]) {
                    continue; /* exempt: neither in the base nor in the reductions */
                }
                o->baseline[p] = ln->baseline[p];
                double red = o->capped ? 0 : ln->reduction[level][p];
                red = red < 0 ? 0 : red > ln->baseline[p] ? ln->baseline[p] : red;
                if (o->action == EA_STOP) {
                    red = ln->baseline[p]; /* a stopped line emits nothing */
                }
                o->reduction[p] = red;
                s->baseline[p] += o->baseline[p];
                s->reduction[p] += red;
                total->baseline[p] += o->baseline[p];
                total->reduction[p] += red;
            }
        }
    }
    for (size_t i = 0; i < *n_sums; i++) {
        finish_sum(r, level, &sums[i]);
    }
    snprintf(total->region, sizeof total->region, "%s", "");
    finish_sum(r, level, total);
    return 0;
}

int emergency_line_complied(const struct em_rules *r, const struct em_line_out *o,
                            double normal_flow, double avg, size_t n)
{
    if (normal_flow <= 0 || n == 0) {
        return -1;
    }
    double share = 1.0; /* the share of normal flow the line may keep */
    if (o->action == EA_STOP) {
        share = r->stop_flow_pct / 100.0;
    } else {
        for (int p = 0; p < EM_NP; p++) {
            if (o->baseline[p] > 0) {
                double keep = 1.0 - o->reduction[p] / o->baseline[p];
                share = keep < share ? keep : share;
            }
        }
        share += r->tolerance_pct / 100.0;
    }
    return avg <= normal_flow * share + 1e-9 ? 1 : 0;
}
