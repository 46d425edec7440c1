/*
** The pure parts of EIA approval: the class from the catalogue, the approval.routes rule set
** parsed, the route with the reasons that shut the simpler ones, the promised limit and the
** deadline over the working-day calendar. tests/unit/approval/ covers each.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "approval/approval.h"
#include "calendar/calendar.h"
#include "core/buf.h"
#include "core/err.h"

static const char *const CLASSES[] = {"none", "registration", "form", "report"};
static const char *const ROUTES[] = {"exempt", "commitment", "direct", "normal", "record"};
static const char *const CLASS_ZH[] = {"不纳入环评管理", "登记表", "报告表", "报告书"};

const char *eia_class_name(enum eia_class c)
{
    return (unsigned)c < 4 ? CLASSES[c] : "";
}

int eia_class_parse(const char *s)
{
    for (int i = 0; s && i < 4; i++) {
        if (!strcmp(s, CLASSES[i])) {
            return i;
        }
    }
    return -1;
}

enum eia_class eia_class_raise(enum eia_class c)
{
    return c == EC_REGISTRATION ? EC_FORM : c == EC_FORM ? EC_REPORT : c;
}

const char *eia_route_name(enum eia_route r)
{
    return (unsigned)r < 5 ? ROUTES[r] : "";
}

int eia_route_parse(const char *s)
{
    for (int i = 0; s && i < 5; i++) {
        if (!strcmp(s, ROUTES[i])) {
            return i;
        }
    }
    return -1;
}

const char *eia_zoning_effect(const struct eia_rules *r, const char *zoning_json,
                              char park[EIA_PARK_BYTES])
{
    park[0] = 0;
    json_t *z = zoning_json ? json_loads(zoning_json, 0, NULL) : NULL;
    const char *verdict = json_string_value(json_object_get(z, "verdict"));
    const char *out = !verdict                        ? "no_unit"
                      : !strcmp(verdict, "forbidden") ? "forbidden"
                      : !strcmp(verdict, "no_unit")   ? "no_unit"
                                                      : "allowed";
    size_t i;
    json_t *v;
    json_array_foreach (!strcmp(out, "allowed") ? json_object_get(z, "reasons") : NULL, i, v) {
        const char *eff = json_string_value(json_object_get(v, "effect"));
        const char *ind = json_string_value(json_object_get(v, "industries"));
        if (eff && !strcmp(eff, "condition") && ind && *ind) {
            out = "conditional";
        }
    }
    json_array_foreach (json_object_get(z, "units"), i, v) {
        const char *name = json_string_value(json_object_get(v, "name"));
        for (size_t k = 0; name && !park[0] && k < r->n_parks; k++) {
            if (!strcmp(name, r->parks[k])) {
                snprintf(park, EIA_PARK_BYTES, "%s", name);
            }
        }
    }
    json_decref(z);
    return out;
}

bool eia_industry_match(const char *industry, const char *prefix)
{
    if (!industry || !prefix || !*prefix) {
        return false;
    }
    if (*industry >= 'A' && *industry <= 'Z') {
        industry++; /* "C2614": the section letter */
    }
    return !strncmp(industry, prefix, strlen(prefix));
}

/* The next item of a list separated by ',' or the full-width "，" (ef bc 8c, as one
   separator, never its bytes one by one): *s moves past it and its separator; the item's
   length, or -1 at the end. Always advances. */
static int list_next(const char **s, const char **item)
{
    const char *p = *s;
    if (!p || !*p) {
        return -1;
    }
    const char *q = p;
    while (*q && *q != ',' && strncmp(q, "\xef\xbc\x8c", 3)) {
        q++;
    }
    *item = p;
    *s = !*q ? q : *q == ',' ? q + 1 : q + 3;
    return (int)(q - p);
}

/* The longest prefix of list ("26,2710") that matches industry: its length, 0 when none. */
static size_t list_match(const char *list, const char *industry)
{
    size_t best = 0;
    char p[8];
    const char *s = list, *it;
    for (int n; (n = list_next(&s, &it)) >= 0;) {
        size_t k = 0;
        for (int i = 0; i < n && k + 1 < sizeof p; i++) {
            if (it[i] != ' ') {
                p[k++] = it[i];
            }
        }
        p[k] = 0;
        if (k && eia_industry_match(industry, p) && k > best) {
            best = k;
        }
    }
    return best;
}

bool eia_prefixes_valid(const char *list)
{
    const char *s = list, *it;
    int n, items = 0;
    while ((n = list_next(&s, &it)) >= 0) {
        size_t k = 0;
        for (int i = 0; i < n; i++) {
            if (it[i] == ' ' && (k == 0 || i == n - 1 || it[i + 1] == ' ')) {
                continue; /* spaces around an item */
            }
            if (!((it[i] >= '0' && it[i] <= '9') || (it[i] >= 'A' && it[i] <= 'Z')) || ++k > 5) {
                return false;
            }
        }
        if (!k) {
            return false;
        }
        items++;
    }
    size_t len = strlen(list);
    bool trailing =
        len && (list[len - 1] == ',' || (len >= 3 && !strcmp(list + len - 3, "\xef\xbc\x8c")));
    return items > 0 && !trailing;
}

/* Whether text holds one of the comma-separated words. */
static const char *keyword_in(const char *words, const char *text, char *hit, size_t cap)
{
    for (const char *s = words; s && *s && text && *text;) {
        size_t n = strcspn(s, ",");
        if (n && n < cap) {
            memcpy(hit, s, n);
            hit[n] = 0;
            if (strstr(text, hit)) {
                return hit;
            }
        }
        s += n + (s[n] == ',');
    }
    return NULL;
}

void eia_classify(const struct eia_catalogue_item *items, size_t n, const struct eia_project *p,
                  bool sensitive, struct eia_class_proposal *out)
{
    memset(out, 0, sizeof *out);
    out->item = -1;
    size_t best = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = list_match(items[i].prefixes, p->industry);
        if (k > best) {
            best = k;
            out->item = (int)i;
        }
    }
    if (out->item < 0) {
        out->base = out->cls = EC_NONE;
        snprintf(out->why_zh, sizeof out->why_zh, "行业 %s 不在分类管理名录内，不纳入环评管理",
                 p->industry ? p->industry : "");
        snprintf(out->why_en, sizeof out->why_en,
                 "industry %s is not in the catalogue: not under EIA management",
                 p->industry ? p->industry : "");
        return;
    }
    const struct eia_catalogue_item *it = &items[out->item];
    out->base = it->default_class;
    char hit[64];
    const char *kw = keyword_in(it->keywords, p->name, hit, sizeof hit);
    kw = kw ? kw : keyword_in(it->keywords, p->capacity, hit, sizeof hit);
    if (it->default_class != EC_NONE && kw) {
        out->base = EC_REPORT;
        snprintf(out->why_zh, sizeof out->why_zh, "名录第 %s 项：涉及“%s”，编制报告书", it->item_no,
                 kw);
        snprintf(out->why_en, sizeof out->why_en, "catalogue item %s: involves \"%s\", a report",
                 it->item_no, kw);
    } else if (it->default_class != EC_NONE && it->report_min_investment > 0 &&
               p->investment >= it->report_min_investment) {
        out->base = EC_REPORT;
        snprintf(out->why_zh, sizeof out->why_zh,
                 "名录第 %s 项：投资 %.0f 万元 ≥ %.0f 万元，编制报告书", it->item_no, p->investment,
                 it->report_min_investment);
        snprintf(out->why_en, sizeof out->why_en,
                 "catalogue item %s: investment %.0f ≥ %.0f (10k yuan), a report", it->item_no,
                 p->investment, it->report_min_investment);
    } else {
        snprintf(out->why_zh, sizeof out->why_zh, "名录第 %s 项：%s", it->item_no,
                 CLASS_ZH[out->base]);
        snprintf(out->why_en, sizeof out->why_en, "catalogue item %s: %s", it->item_no,
                 CLASSES[out->base]);
    }
    out->cls = out->base;
    if (sensitive && eia_class_raise(out->base) != out->base) {
        out->cls = eia_class_raise(out->base);
        out->raised = true;
        size_t z = strlen(out->why_zh), e = strlen(out->why_en);
        snprintf(out->why_zh + z, sizeof out->why_zh - z, "；选址涉及环境敏感区，提高一级为%s",
                 CLASS_ZH[out->cls]);
        snprintf(out->why_en + e, sizeof out->why_en - e,
                 "; the site touches a sensitive area: raised to %s", CLASSES[out->cls]);
    }
}

/* ---------------- the rule set ---------------- */

static int bad(char *err, size_t cap, const char *msg)
{
    snprintf(err, cap, "%s", msg);
    return ERR_INPUT;
}

static int int_at(const json_t *o, const char *key, int lo, int hi, int *out)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        return ERR_INPUT;
    }
    *out = (int)json_integer_value(v);
    return 0;
}

static int strings_at(const json_t *o, const char *key, char *dst, size_t width, size_t max,
                      size_t *n)
{
    const json_t *a = json_object_get(o, key);
    *n = 0;
    if (!json_is_array(a) || json_array_size(a) > max) {
        return ERR_INPUT;
    }
    size_t i;
    const json_t *v;
    json_array_foreach (a, i, v) {
        const char *s = json_string_value(v);
        if (!s || !*s || strlen(s) >= width) {
            return ERR_INPUT;
        }
        snprintf(dst + *n * width, width, "%s", s);
        (*n)++;
    }
    return 0;
}

static int classes_at(const json_t *o, unsigned *mask)
{
    const json_t *a = json_object_get(o, "classes");
    *mask = 0;
    size_t i;
    const json_t *v;
    json_array_foreach (a, i, v) {
        int c = eia_class_parse(json_string_value(v));
        if (c < 0) {
            return ERR_INPUT;
        }
        *mask |= 1u << c;
    }
    return *mask ? 0 : ERR_INPUT;
}

int eia_rules_parse(const json_t *body, struct eia_rules *r, char *err, size_t errcap)
{
    memset(r, 0, sizeof *r);
    const json_t *st = json_object_get(body, "statutory_workdays");
    if (int_at(st, "report", 1, 120, &r->statutory_report) ||
        int_at(st, "form", 1, 120, &r->statutory_form)) {
        return bad(err, errcap, "statutory_workdays: report, form 1–120");
    }
    const json_t *c = json_object_get(body, "compression");
    double ratio = json_is_number(c) ? json_number_value(c) : -1;
    if (ratio < 0.01 || ratio > 1) {
        return bad(err, errcap, "compression: 0.01–1");
    }
    r->compression_permille = (int)lround(ratio * 1000);
    if (int_at(body, "commitment_workdays", 1, 10, &r->commitment_workdays) ||
        int_at(body, "notice_workdays", 1, 10, &r->notice_workdays) ||
        int_at(body, "missing_due_workdays", 1, 60, &r->missing_due_workdays) ||
        int_at(body, "verify_workdays", 1, 120, &r->verify_workdays) ||
        int_at(body, "comment_workdays", 0, 30, &r->comment_workdays)) {
        return bad(err, errcap, "the working-day limits are out of range");
    }
    r->clock_runs_while_missing = json_is_true(json_object_get(body, "clock_runs_while_missing"));
    if (strings_at(body, "excluded_industries", &r->excluded[0][0], 5, EIA_MAX_PREFIXES,
                   &r->n_excluded) ||
        strings_at(body, "commitment_refused_grades", &r->refused_grades[0][0],
                   sizeof r->refused_grades[0], 8, &r->n_refused_grades) ||
        strings_at(body, "plan_eia_parks", &r->parks[0][0], EIA_PARK_BYTES, EIA_MAX_PARKS,
                   &r->n_parks)) {
        return bad(err, errcap, "excluded_industries, commitment_refused_grades, plan_eia_parks");
    }
    int pr = eia_route_parse(json_string_value(json_object_get(body, "park_route")));
    if (pr != ER_COMMITMENT && pr != ER_DIRECT && pr != ER_NORMAL) {
        return bad(err, errcap, "park_route: commitment, direct or normal");
    }
    r->park_route = (enum eia_route)pr;
    size_t i;
    const json_t *v;
    const json_t *lists = json_object_get(body, "routes");
    if (!json_is_array(lists) || json_array_size(lists) > EIA_MAX_LISTS) {
        return bad(err, errcap, "routes: at most 64 lists");
    }
    json_array_foreach (lists, i, v) {
        struct eia_list *l = &r->lists[r->n_lists++];
        int rt = eia_route_parse(json_string_value(json_object_get(v, "route")));
        const char *name = json_string_value(json_object_get(v, "name"));
        if ((rt != ER_EXEMPT && rt != ER_COMMITMENT && rt != ER_DIRECT) || !name ||
            strlen(name) >= sizeof l->name || classes_at(v, &l->classes) ||
            strings_at(v, "industries", &l->prefixes[0][0], 5, EIA_MAX_PREFIXES, &l->n_prefixes)) {
            return bad(err, errcap, "routes[]: route, name, classes, industries");
        }
        l->route = (enum eia_route)rt;
        snprintf(l->name, sizeof l->name, "%s", name);
    }
    const json_t *cl = json_object_get(body, "checklist");
    if (!json_is_array(cl) || !json_array_size(cl) || json_array_size(cl) > EIA_MAX_ITEMS) {
        return bad(err, errcap, "checklist: 1–32 items");
    }
    json_array_foreach (cl, i, v) {
        struct eia_check_item *x = &r->checklist[r->n_checklist++];
        const char *code = json_string_value(json_object_get(v, "code"));
        const char *name = json_string_value(json_object_get(v, "name"));
        if (!code || !name || strlen(code) >= sizeof x->code || strlen(name) >= sizeof x->name ||
            classes_at(v, &x->classes)) {
            return bad(err, errcap, "checklist[]: code, name, classes");
        }
        snprintf(x->code, sizeof x->code, "%s", code);
        snprintf(x->name, sizeof x->name, "%s", name);
        size_t k;
        const json_t *as;
        json_array_foreach (json_object_get(v, "assessments"), k, as) {
            const char *w = json_string_value(as);
            x->assessments |= w && !strcmp(w, "radiation") ? EA_RADIATION
                              : w && !strcmp(w, "outfall") ? EA_OUTFALL
                                                           : 0;
        }
        x->required = json_is_true(json_object_get(v, "required"));
        x->essential = json_is_true(json_object_get(v, "essential"));
    }
    const json_t *cost = json_object_get(body, "eia_cost_yuan");
    const json_t *cr = json_object_get(cost, "report"), *cf = json_object_get(cost, "form");
    if (!json_is_integer(cr) || !json_is_integer(cf) || json_integer_value(cr) < 0 ||
        json_integer_value(cf) < 0 ||
        int_at(body, "bundle_max_firms", 2, 50, &r->bundle_max_firms)) {
        return bad(err, errcap, "eia_cost_yuan (report, form), bundle_max_firms 2–50");
    }
    const json_t *fc = json_object_get(body, "false_commitment_points");
    if (!json_is_number(fc) || json_number_value(fc) < -30 || json_number_value(fc) > 0) {
        return bad(err, errcap, "false_commitment_points: -30–0");
    }
    r->false_commitment_points = json_number_value(fc);
    r->cost_report = json_integer_value(cr);
    r->cost_form = json_integer_value(cf);
    const json_t *ob = json_object_get(body, "obligations");
    if (!json_is_array(ob) || json_array_size(ob) > EIA_MAX_OBLIGATIONS) {
        return bad(err, errcap, "obligations: at most 16");
    }
    json_array_foreach (ob, i, v) {
        struct eia_obligation_rule *o = &r->obligations[r->n_obligations++];
        const char *kind = json_string_value(json_object_get(v, "kind"));
        const char *title = json_string_value(json_object_get(v, "title"));
        if (!kind || !title || strlen(kind) >= sizeof o->kind || strlen(title) >= sizeof o->title ||
            int_at(v, "months", 1, 60, &o->months)) {
            return bad(err, errcap, "obligations[]: kind, title, months");
        }
        snprintf(o->kind, sizeof o->kind, "%s", kind);
        snprintf(o->title, sizeof o->title, "%s", title);
    }
    return 0;
}

int eia_assessments_parse(const char *list)
{
    int mask = 0;
    for (const char *s = list; s && *s;) {
        size_t n = strcspn(s, ",");
        if (n == 3 && !strncmp(s, "eia", 3)) {
        } else if (n == 9 && !strncmp(s, "radiation", 9)) {
            mask |= EA_RADIATION;
        } else if (n == 7 && !strncmp(s, "outfall", 7)) {
            mask |= EA_OUTFALL;
        } else if (n) {
            return -1;
        }
        s += n + (s[n] == ',');
    }
    return mask;
}

/* ---------------- the route ---------------- */

static void reason(struct eia_route_answer *a, const char *code, const char *zh, const char *en)
{
    for (size_t i = 0; i < a->n_reasons; i++) {
        if (!strcmp(a->reasons[i].code, code)) {
            return;
        }
    }
    if (a->n_reasons < EIA_MAX_REASONS) {
        struct eia_reason *x = &a->reasons[a->n_reasons++];
        x->code = code;
        snprintf(x->text_zh, sizeof x->text_zh, "%s", zh);
        snprintf(x->text_en, sizeof x->text_en, "%s", en);
    }
}

/* Whether route may be taken for f; the reasons that shut it are added to a. */
static bool open_for(const struct eia_rules *r, const struct eia_route_facts *f,
                     enum eia_route route, struct eia_route_answer *a)
{
    bool ok = true;
    if (f->sensitive) {
        reason(a, "sensitive", "选址涉及环境敏感区，不适用简化审批路径",
               "the site touches an environmentally sensitive area: no simplified route");
        ok = false;
    }
    for (size_t i = 0; i < r->n_excluded; i++) {
        if (eia_industry_match(f->industry, r->excluded[i])) {
            char zh[200], en[200];
            snprintf(zh, sizeof zh, "行业 %s 属于不适用简化路径的行业（%s）", f->industry,
                     r->excluded[i]);
            snprintf(en, sizeof en, "industry %s is excluded from the simplified routes (%s)",
                     f->industry, r->excluded[i]);
            reason(a, "excluded_industry", zh, en);
            ok = false;
            break;
        }
    }
    if (f->zoning_verdict && !strcmp(f->zoning_verdict, "forbidden")) {
        reason(a, "zoning_forbidden", "三线一单准入清单禁止该行业，须常规审查（可能不予批准）",
               "the zoning access list forbids the industry: normal review (likely refusal)");
        ok = false;
    } else if (f->zoning_verdict && !strcmp(f->zoning_verdict, "conditional")) {
        reason(a, "zoning_conditional", "三线一单准入清单有限制条件，须常规审查落实",
               "the zoning access list sets conditions: normal review");
        ok = false;
    }
    if (route == ER_COMMITMENT && f->grade) {
        for (size_t i = 0; i < r->n_refused_grades; i++) {
            if (!strcmp(f->grade, r->refused_grades[i])) {
                char zh[200], en[200];
                snprintf(zh, sizeof zh, "企业环境信用等级为 %s，不适用告知承诺制", f->grade);
                snprintf(en, sizeof en, "credit grade %s is refused the commitment route",
                         f->grade);
                reason(a, "credit_grade", zh, en);
                ok = false;
            }
        }
    }
    return ok;
}

void eia_route_decide(const struct eia_rules *r, const struct eia_route_facts *f,
                      struct eia_route_answer *out)
{
    memset(out, 0, sizeof *out);
    if (f->cls == EC_REGISTRATION) {
        out->route = ER_RECORD;
        return;
    }
    if (f->cls == EC_NONE) {
        out->route = ER_EXEMPT;
        out->basis = "catalogue";
        return;
    }
    const struct eia_list *hit = NULL;
    for (size_t i = 0; i < r->n_lists && !hit; i++) {
        const struct eia_list *l = &r->lists[i];
        if (!(l->classes & (1u << f->cls))) {
            continue;
        }
        for (size_t k = 0; k < l->n_prefixes; k++) {
            if (eia_industry_match(f->industry, l->prefixes[k])) {
                hit = l;
                break;
            }
        }
    }
    if (hit && open_for(r, f, hit->route, out)) {
        out->route = hit->route;
        out->basis = hit->name;
        return;
    }
    bool in_park = false;
    for (size_t i = 0; f->park && *f->park && i < r->n_parks; i++) {
        in_park = in_park || !strcmp(f->park, r->parks[i]);
    }
    if (in_park && r->park_route != ER_NORMAL && open_for(r, f, r->park_route, out)) {
        out->route = r->park_route;
        out->basis = "park";
        return;
    }
    (void)open_for(r, f, ER_DIRECT, out); /* the reasons that shut every simpler route */
    if (!hit && !in_park) {
        reason(out, "not_listed", "项目不在豁免、告知承诺或直接审批清单内",
               "the project is on no exemption, commitment or direct-approval list");
    }
    out->route = ER_NORMAL;
}

void eia_reasons_json(const struct eia_route_answer *a, struct buf *out)
{
    buf_putc(out, '[');
    for (size_t i = 0; i < a->n_reasons; i++) {
        buf_printf(out, "%s{\"code\":\"%s\",\"text_zh\":", i ? "," : "", a->reasons[i].code);
        buf_json_str(out, a->reasons[i].text_zh, strlen(a->reasons[i].text_zh));
        buf_puts(out, ",\"text_en\":");
        buf_json_str(out, a->reasons[i].text_en, strlen(a->reasons[i].text_en));
        buf_putc(out, '}');
    }
    buf_putc(out, ']');
}

int64_t eia_bundle_saving(const struct eia_rules *r, enum eia_class cls, int firms)
{
    int64_t cost = cls == EC_REPORT ? r->cost_report : cls == EC_FORM ? r->cost_form : 0;
    if (firms < 2 || cost <= 0) {
        return 0;
    }
    return cost - (cost + firms - 1) / firms;
}

/* ---------------- time ---------------- */

int eia_limit_days(int statutory, int permille)
{
    if (statutory <= 0) {
        return 0;
    }
    long long n = ((long long)statutory * permille + 999) / 1000;
    return n < 1 ? 1 : (int)n;
}

int eia_route_limit(const struct eia_rules *r, enum eia_route route, enum eia_class cls,
                    int *statutory)
{
    int st = cls == EC_REPORT ? r->statutory_report : cls == EC_FORM ? r->statutory_form : 0;
    *statutory = st;
    switch (route) {
    case ER_COMMITMENT: return r->commitment_workdays;
    case ER_DIRECT:
    case ER_NORMAL: return eia_limit_days(st, r->compression_permille);
    default: *statutory = 0; return 0;
    }
}

int eia_deadline(const struct calendar *c, const char *start_ymd, int workdays,
                 const struct calendar_pause *pauses, size_t n_pauses, char out[11],
                 int *missing_year)
{
    int32_t start, due;
    if (!start_ymd || strlen(start_ymd) != 10 || calendar_date_parse(start_ymd, 10, &start) ||
        workdays < 0) {
        return ERR_INPUT;
    }
    int rc = calendar_deadline_paused(c, start, workdays, pauses, n_pauses, &due, missing_year);
    if (!rc) {
        calendar_date_format(due, out);
    }
    return rc;
}
