/*
** The positive list's criteria, judged without a database: a positive.criteria rule-set body
** read into struct positive_criteria, the facts of one enterprise judged against it criterion
** by criterion (every one, so the candidates view can show why a firm qualifies or not), and
** the year arithmetic of terms and bars.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "positive/positive.h"

static int copy_list(const json_t *arr, char *dst, size_t width, size_t cap, size_t *n)
{
    if (!json_is_array(arr) || json_array_size(arr) > cap) {
        return ERR_INPUT;
    }
    *n = 0;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const json_t *v = json_array_get(arr, i);
        if (!json_is_string(v) || strlen(json_string_value(v)) >= width) {
            return ERR_INPUT;
        }
        str_copy(dst + width * (*n)++, width, json_string_value(v));
    }
    return 0;
}

static int int_member(const json_t *body, const char *key, int *out, const char **field)
{
    const json_t *v = json_object_get(body, key);
    if (!json_is_integer(v)) {
        *field = key;
        return ERR_INPUT;
    }
    *out = (int)json_integer_value(v);
    return 0;
}

int positive_criteria_parse(const json_t *body, struct positive_criteria *out, const char **field)
{
    memset(out, 0, sizeof *out);
    *field = NULL;
    if (copy_list(json_object_get(body, "grades"), &out->grades[0][0], sizeof out->grades[0],
                  POSITIVE_MAX_GRADES, &out->n_grades)) {
        *field = "grades";
        return ERR_INPUT;
    }
    if (copy_list(json_object_get(body, "categories"), &out->categories[0][0],
                  sizeof out->categories[0], 3, &out->n_categories)) {
        *field = "categories";
        return ERR_INPUT;
    }
    if (copy_list(json_object_get(body, "qualifying_tags"), &out->tags[0][0], sizeof out->tags[0],
                  POSITIVE_MAX_TAGS, &out->n_tags)) {
        *field = "qualifying_tags";
        return ERR_INPUT;
    }
    const json_t *nom = json_object_get(body, "nomination_allowed");
    if (!json_is_boolean(nom)) {
        *field = "nomination_allowed";
        return ERR_INPUT;
    }
    out->nomination_allowed = json_is_true(nom);
    int rc = int_member(body, "no_penalty_years", &out->no_penalty_years, field);
    rc = rc ? rc : int_member(body, "term_years", &out->term_years, field);
    rc = rc ? rc : int_member(body, "bar_years", &out->bar_years, field);
    rc = rc ? rc : int_member(body, "nomination_workdays", &out->nomination_workdays, field);
    if (!rc && (out->term_years < 1 || out->no_penalty_years < 0 || out->bar_years < 0)) {
        *field = out->term_years < 1  ? "term_years"
                 : out->bar_years < 0 ? "bar_years"
                                      : "no_penalty_years";
        rc = ERR_INPUT;
    }
    return rc;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY-MM-DD" → y, m, d with the day valid in its month. */
static bool parse_date(const char *s, int *y, int *m, int *d)
{
    static const int DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            return false;
        }
    }
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    if (*y < 1900 || *m < 1 || *m > 12 || *d < 1) {
        return false;
    }
    return *d <= DAYS[*m - 1] + (*m == 2 && is_leap(*y));
}

int positive_date_add_years(const char *date, int years, char out[11])
{
    int y, m, d;
    if (!parse_date(date, &y, &m, &d) || y + years < 1900 || y + years > 9999) {
        return ERR_INPUT;
    }
    y += years;
    if (m == 2 && d == 29 && !is_leap(y)) {
        m = 3;
        d = 1;
    }
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return 0;
}

static bool in_list(const char *v, const char *list, size_t width, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(v, list + width * i)) {
            return true;
        }
    }
    return false;
}

/* Whether the comma list has tag as one of its items. */
static bool has_tag(const char *tags, const char *tag)
{
    size_t n = strlen(tag);
    for (const char *p = tags; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && !strncmp(p, tag, n)) {
            return true;
        }
        p = end ? end + 1 : NULL;
    }
    return false;
}

/* The Chinese name of a category or tag code, for the zh reasons; the code itself otherwise. */
static const char *zh_of(const char *code)
{
    static const char *const NAMES[][2] = {
        {"key", "重点"},
        {"general", "一般"},
        {"special", "特殊"},
        {"key_enterprise", "重点服务企业"},
        {"livelihood", "民生保障"},
        {"high_growth", "高成长"},
        {"industrial_park", "园区"},
        {"green", "环保诚信"},
        {"blue", "良好"},
        {"yellow", "警示"},
        {"red", "不良"},
        {"black", "严重失信"},
    };
    for (size_t i = 0; i < ARRAY_LEN(NAMES); i++) {
        if (!strcmp(code, NAMES[i][0])) {
            return NAMES[i][1];
        }
    }
    return code;
}

/* The items of list joined by sep (in Chinese names when zh). */
static void join(char *out, size_t cap, const char *list, size_t width, size_t n, const char *sep)
{
    size_t len = 0;
    bool zh = !strcmp(sep, "、");
    out[0] = 0;
    for (size_t i = 0; i < n && len < cap; i++) {
        const char *v = list + width * i;
        int k = snprintf(out + len, cap - len, "%s%s", i ? sep : "", zh ? zh_of(v) : v);
        len += k > 0 ? (size_t)k : 0;
    }
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

#define SAY(ch, ...)                                                                               \
    do {                                                                                           \
        snprintf((ch)->zh, sizeof(ch)->zh, __VA_ARGS__);                                           \
    } while (0)
#define SAY_EN(ch, ...)                                                                            \
    do {                                                                                           \
        snprintf((ch)->en, sizeof(ch)->en, __VA_ARGS__);                                           \
    } while (0)

int positive_evaluate(const struct positive_criteria *c, const struct positive_facts *f,
                      const char *date, struct positive_eval *out)
{
    int y, m, d;
    if (!parse_date(date, &y, &m, &d)) {
        return ERR_INPUT;
    }
    memset(out, 0, sizeof *out);
    char list[160];
    const char *grade = nz(f->grade), *cat = nz(f->category), *pen = nz(f->last_penalty);
    const char *bar = nz(f->barred_to), *listed = nz(f->listed_to);

    struct positive_check *k = &out->checks[PC_GRADE];
    k->key = "grade";
    k->ok = *grade && in_list(grade, &c->grades[0][0], sizeof c->grades[0], c->n_grades);
    join(list, sizeof list, &c->grades[0][0], sizeof c->grades[0], c->n_grades, "、");
    if (!*grade) {
        SAY(k, "尚无信用等级（须为 %s）", list);
    } else {
        SAY(k, "信用等级 %s%s（须为 %s）", zh_of(grade), k->ok ? "" : "，不符", list);
    }
    join(list, sizeof list, &c->grades[0][0], sizeof c->grades[0], c->n_grades, ", ");
    if (!*grade) {
        SAY_EN(k, "No credit grade yet (needs %s)", list);
    } else {
        SAY_EN(k, "Credit grade %s%s (needs %s)", grade, k->ok ? "" : ": not admissible", list);
    }

    k = &out->checks[PC_PENALTY];
    k->key = "no_penalty";
    if (c->no_penalty_years <= 0) {
        k->ok = true;
        SAY(k, "不查处罚记录");
        SAY_EN(k, "Penalties not checked");
    } else {
        char since[11];
        if (positive_date_add_years(date, -c->no_penalty_years, since)) {
            return ERR_INPUT;
        }
        k->ok = !*pen || strcmp(pen, since) < 0;
        if (!*pen) {
            SAY(k, "近 %d 年无行政处罚", c->no_penalty_years);
            SAY_EN(k, "No penalty in the last %d years", c->no_penalty_years);
        } else if (k->ok) {
            SAY(k, "近 %d 年无行政处罚（最近一次 %s）", c->no_penalty_years, pen);
            SAY_EN(k, "No penalty in the last %d years (the latest on %s)", c->no_penalty_years,
                   pen);
        } else {
            SAY(k, "%s 受到行政处罚，在近 %d 年内（自 %s 起）", pen, c->no_penalty_years, since);
            SAY_EN(k, "Penalised on %s, within the last %d years (since %s)", pen,
                   c->no_penalty_years, since);
        }
    }

    k = &out->checks[PC_CATEGORY];
    k->key = "category";
    k->ok = in_list(cat, &c->categories[0][0], sizeof c->categories[0], c->n_categories);
    join(list, sizeof list, &c->categories[0][0], sizeof c->categories[0], c->n_categories, "、");
    SAY(k, "监管类别 %s%s（可纳入 %s）", zh_of(cat), k->ok ? "" : "，不在可纳入之列", list);
    join(list, sizeof list, &c->categories[0][0], sizeof c->categories[0], c->n_categories, ", ");
    SAY_EN(k, "Supervision category %s%s (admitted: %s)", cat, k->ok ? "" : ": not admitted", list);

    k = &out->checks[PC_TAG];
    k->key = "tag";
    char list_zh[160];
    join(list, sizeof list, &c->tags[0][0], sizeof c->tags[0], c->n_tags, ", ");
    join(list_zh, sizeof list_zh, &c->tags[0][0], sizeof c->tags[0], c->n_tags, "、");
    if (!c->n_tags) {
        k->ok = true;
        SAY(k, "不要求企业标签");
        SAY_EN(k, "No tag required");
    } else {
        const char *hit = NULL;
        for (size_t i = 0; i < c->n_tags && !hit; i++) {
            hit = has_tag(nz(f->tags), c->tags[i]) ? c->tags[i] : NULL;
        }
        k->ok = hit != NULL;
        if (hit) {
            SAY(k, "具备标签 %s", zh_of(hit));
            SAY_EN(k, "Tagged %s", hit);
        } else {
            SAY(k, "不具备所需标签（须有 %s 之一）", list_zh);
            SAY_EN(k, "None of the tags needed (one of %s)", list);
        }
    }

    k = &out->checks[PC_BAR];
    k->key = "not_barred";
    k->ok = !*bar || strcmp(date, bar) >= 0;
    if (k->ok) {
        SAY(k, *bar ? "禁入期已满（至 %s）" : "无恶意违法禁入", bar);
        SAY_EN(k, *bar ? "The bar ended (%s)" : "Not barred", bar);
    } else {
        SAY(k, "因恶意违法被移出，%s 前不得再次纳入", bar);
        SAY_EN(k, "Removed for a malicious violation: barred until %s", bar);
    }

    k = &out->checks[PC_LISTED];
    k->key = "not_listed";
    k->ok = !*listed || strcmp(date, listed) >= 0;
    if (k->ok) {
        SAY(k, "未在清单中");
        SAY_EN(k, "Not on the list");
    } else {
        SAY(k, "已在清单中（至 %s）", listed);
        SAY_EN(k, "Already listed (until %s)", listed);
    }

    out->eligible = true;
    for (int i = 0; i < PC_N; i++) {
        out->eligible &= out->checks[i].ok;
    }
    return 0;
}

void positive_eval_json(const struct positive_eval *e, struct buf *out)
{
    buf_putc(out, '[');
    for (int i = 0; i < PC_N; i++) {
        const struct positive_check *k = &e->checks[i];
        buf_printf(out, "%s{\"criterion\":\"%s\",\"ok\":%s,\"zh\":", i ? "," : "", k->key,
                   k->ok ? "true" : "false");
        buf_json_str(out, k->zh, strlen(k->zh));
        buf_puts(out, ",\"en\":");
        buf_json_str(out, k->en, strlen(k->en));
        buf_putc(out, '}');
    }
    buf_putc(out, ']');
}
