/*
** The 违法风险点及防控措施清单 (the list of common violations per industry and how to avoid
** them, seed 001 #7), generated from the rule sets in force: each violation type of
** penalty.discretion with its risk point, its prevention, its legal basis and range, grouped by
** the industries it names, with the no-penalty items of penalty.exempt that cover it (what a
** first or minor violation must meet to be spared). Public: JSON and a PDF.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/util.h"
#include "documents/documents.h"
#include "http/json.h"
#include "penalty/internal.h"
#include "platform/app.h"
#include "platform/entity.h"

/* The condition text without its measured value ("… 不超过 0.1 倍：无数据" → "… 不超过 0.1 倍"). */
static void cond_text(const char *s, char *out, size_t cap)
{
    str_copy(out, cap, s);
    char *c = strstr(out, "：");
    char *last = NULL;
    while (c) {
        last = c;
        c = strstr(c + 1, "：");
    }
    if (last) {
        *last = 0;
    }
}

static void range_text(const json_t *v, char *out, size_t cap)
{
    if (!strcmp(json_string_value(json_object_get(v, "basis")), "multiple")) {
        snprintf(out, cap, "%s的 %g–%g 倍", json_string_value(json_object_get(v, "base_zh")),
                 json_number_value(json_object_get(v, "min_multiple")),
                 json_number_value(json_object_get(v, "max_multiple")));
    } else {
        snprintf(out, cap, "%lld–%lld 元",
                 (long long)json_integer_value(json_object_get(v, "min_yuan")),
                 (long long)json_integer_value(json_object_get(v, "max_yuan")));
    }
}

/* The exempt items covering violation code as JSON array members into out; their text into
   txt (for the PDF) when not NULL. */
static void exempt_for(const json_t *exempt, const char *code, struct buf *out, struct buf *txt)
{
    size_t i;
    const json_t *it;
    int k = 0;
    struct pen_facts none = {.found_on = "2026-01-01", .harm_level = -1, .corrected_days = -1};
    json_array_foreach (json_object_get(exempt, "items"), i, it) {
        bool covers = false;
        size_t j;
        const json_t *t;
        json_array_foreach (json_object_get(it, "violation_types"), j, t) {
            covers |= !strcmp(json_string_value(t), code);
        }
        struct pen_item_eval e;
        const char *field;
        if (!covers || pen_exempt_eval_item(it, &none, &e, &field)) {
            continue;
        }
        buf_puts(out, k++ ? ",{" : "{");
        json_kv_str(out, "code", e.code, false);
        json_kv_str(out, "kind", e.kind, true);
        json_kv_str(out, "zh", e.zh, true);
        json_kv_str(out, "en", e.en, true);
        json_kv_str(out, "prevent_zh", json_string_value(json_object_get(it, "prevent_zh")), true);
        buf_puts(out, ",\"conditions\":[");
        if (txt) {
            buf_printf(txt, "可免罚情形“%s”：", e.zh);
        }
        for (int c = 0; c < e.n_conds; c++) {
            char s[PEN_LINE_MAX];
            cond_text(e.conds[c].zh, s, sizeof s);
            if (c) {
                buf_putc(out, ',');
            }
            buf_json_str(out, s, strlen(s));
            if (txt) {
                buf_printf(txt, "%s%s", c ? "；" : "", s);
            }
        }
        if (txt) {
            buf_puts(txt, "。");
        }
        buf_puts(out, "]}");
    }
}

struct risk_req {
    const char *industry; /* NULL = every industry */
    const char *region;
};

/* The list as JSON into out; with pdf, the paragraphs of the PDF into paras (one per line). */
static int risk_build(struct db *db, const struct risk_req *q, struct buf *out, struct buf *paras,
                      size_t *n_paras)
{
    char today[11];
    date_cn(wall_ms() / 1000, today);
    struct pen_rules pr;
    const char *kind;
    int rc = pen_rules_load(db, q->region ? q->region : "", today, &pr, &kind);
    if (rc) {
        return rc;
    }
    /* the industries named, in order of first appearance; "*" last */
    char codes[64][8];
    size_t nc = 0;
    size_t i;
    const json_t *v;
    json_array_foreach (pr.disc.violations, i, v) {
        size_t j;
        const json_t *s;
        json_array_foreach (json_object_get(v, "industries"), j, s) {
            const char *c = json_string_value(s);
            bool seen = false;
            for (size_t k = 0; k < nc; k++) {
                seen |= !strcmp(codes[k], c);
            }
            if (!seen && nc < 63 && strcmp(c, "*")) {
                str_copy(codes[nc++], sizeof codes[0], c);
            }
        }
    }
    str_copy(codes[nc++], sizeof codes[0], "*");
    buf_puts(out, "{\"industries\":[");
    int ni = 0;
    *n_paras = 0;
    for (size_t k = 0; k < nc; k++) {
        bool all = !strcmp(codes[k], "*");
        if (q->industry && *q->industry && !all &&
            strncmp(q->industry, codes[k], strlen(codes[k]))) {
            continue;
        }
        char name[200] = "";
        if (!all) {
            store_penalty_industry_name(db, codes[k], name, sizeof name);
        }
        buf_puts(out, ni++ ? ",{" : "{");
        json_kv_str(out, "code", codes[k], false);
        json_kv_str(out, "name", all ? "各行业通用" : name, true);
        json_kv_str(out, "name_en", all ? "All industries" : "", true);
        buf_puts(out, ",\"items\":[");
        if (paras) {
            buf_printf(paras, "%s%s（%s）%c", *n_paras ? "" : "", all ? "一、各行业通用" : name,
                       all ? "全部行业" : codes[k], 0);
            (*n_paras)++;
        }
        int nv = 0;
        json_array_foreach (pr.disc.violations, i, v) {
            bool in = false;
            size_t j;
            const json_t *s;
            json_array_foreach (json_object_get(v, "industries"), j, s) {
                in |= !strcmp(json_string_value(s), codes[k]);
            }
            if (!in) {
                continue;
            }
            char range[200];
            range_text(v, range, sizeof range);
            buf_puts(out, nv++ ? ",{" : "{");
            static const char *const KEYS[] = {"code",    "zh",      "en",         "legal_basis",
                                               "risk_zh", "risk_en", "prevent_zh", "prevent_en"};
            for (size_t m = 0; m < ARRAY_LEN(KEYS); m++) {
                json_kv_str(out, KEYS[m], json_string_value(json_object_get(v, KEYS[m])), m > 0);
            }
            json_kv_str(out, "range", range, true);
            buf_puts(out, ",\"exempt\":[");
            struct buf txt;
            buf_init(&txt, 1 << 16);
            exempt_for(pr.exempt_body, json_string_value(json_object_get(v, "code")), out,
                       paras ? &txt : NULL);
            buf_puts(out, "]}");
            if (paras) {
                buf_printf(paras, "%d. %s。风险点：%s。防控措施：%s。依据：%s，罚款%s。%s%c", nv,
                           json_string_value(json_object_get(v, "zh")),
                           json_string_value(json_object_get(v, "risk_zh")),
                           json_string_value(json_object_get(v, "prevent_zh")),
                           json_string_value(json_object_get(v, "legal_basis")), range,
                           txt.p ? txt.p : "", 0);
                (*n_paras)++;
            }
            buf_release(&txt);
        }
        buf_puts(out, "]}");
    }
    buf_printf(out,
               "],\"discretion_rule_set_id\":%lld,\"discretion_rule_version\":%d,"
               "\"exempt_rule_set_id\":%lld,\"exempt_rule_version\":%d,\"date\":\"%s\"}",
               (long long)pr.disc_ref.id, pr.disc_ref.version, (long long)pr.exempt_ref.id,
               pr.exempt_ref.version, today);
    pen_rules_free(&pr);
    return 0;
}

static int read_query(struct req *r, struct risk_req *q)
{
    q->industry = req_query(r, "industry");
    q->region = req_query(r, "region");
    if ((q->industry && strlen(q->industry) > 8) || (q->region && strlen(q->region) > 12)) {
        return resp_error(r, 422, "too_long", "查询条件过长 / the filter is too long",
                          q->region && strlen(q->region) > 12 ? "region" : "industry"),
               ERR_INPUT;
    }
    return 0;
}

static int api_risk(struct req *r)
{
    struct risk_req q;
    if (read_query(r, &q)) {
        return 0;
    }
    struct db *db = store_read(app.store);
    size_t n = 0;
    int rc = risk_build(db, &q, &r->out, NULL, &n);
    store_release(app.store, db);
    if (rc == ERR_NOTFOUND) {
        return resp_error(r, 404, "no_rule_set",
                          "没有有效的裁量基准或免罚清单 / no rule set in force", NULL);
    }
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static int api_risk_pdf(struct req *r)
{
    struct risk_req q;
    if (read_query(r, &q)) {
        return 0;
    }
    struct buf json, paras;
    buf_init(&json, 1 << 22);
    buf_init(&paras, 1 << 22);
    size_t n = 0;
    struct db *db = store_read(app.store);
    int rc = risk_build(db, &q, &json, &paras, &n);
    store_release(app.store, db);
    buf_release(&json);
    if (rc) {
        buf_release(&paras);
        return rc == ERR_NOTFOUND ? resp_error(r, 404, "no_rule_set", "没有有效的规则集", NULL)
                                  : resp_err(r, rc, NULL, NULL);
    }
    const char **list = arena_alloc(r->a, sizeof *list * (n + 2));
    list[0] = "为帮助企业知法守法、防范环境违法风险，现将常见环境违法行为的风险点、防控措施及依法可"
              "不予处罚的情形"
              "公布如下（依据本机关现行裁量基准和不予行政处罚清单生成）。";
    const char *p = paras.p;
    for (size_t i = 0; i < n; i++) {
        list[i + 1] = arena_strdup(r->a, p);
        p += strlen(p) + 1;
    }
    char today[11], date[40];
    date_cn(wall_ms() / 1000, today);
    documents_date_cn(today, date, sizeof date);
    struct doc_content c = {.header = "生态环境主管部门",
                            .number = "",
                            .title = "违法风险点及防控措施清单",
                            .addressee = "各排污单位",
                            .paragraphs = list,
                            .n_paragraphs = n + 1,
                            .signature = "生态环境主管部门",
                            .date = date};
    char err[300];
    buf_reset(&r->out);
    rc = documents_render(&c, &r->out, err, sizeof err);
    buf_release(&paras);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, err, NULL);
    }
    r->resp_type = "application/pdf";
    r->status = 200;
    resp_header(r, "Content-Disposition",
                entity_disposition(r, "违法风险点及防控措施清单.pdf", "risk-points.pdf"));
    return 0;
}

static const struct route risk_routes[] = {
    {"GET", "/api/v1/public/penalty/risk-points", 0, api_risk, RF_PUBLIC,
     "The violation risk points and how to avoid them, per industry (no login)"},
    {"GET", "/api/v1/public/penalty/risk-points/pdf", 0, api_risk_pdf, RF_PUBLIC,
     "The risk-point list as a PDF (no login)"},
};

int penalty_risk_routes_add(struct router *rt)
{
    router_add(rt, risk_routes, ARRAY_LEN(risk_routes));
    return 0;
}
