/*
** The penalty case type on the casework engine, the rule sets in force, the facts a case gives
** the no-penalty list, and the document kinds.
**
** States: filed (立案) → investigating (调查) → noticed (告知: the prior notice is served; the
** party may ask for a hearing within the rule set's workdays) ⇄ hearing (听证: the clock pauses)
** → decided (决定: a penalty, or from investigating/noticed a no-penalty decision) → executed
** (执行) → closed (结案); dismiss (撤销立案) closes a case without a decision. The clock is the
** decision limit (行政处罚法 art. 60: 90 days from filing), calendar days; extend adds an
** approved extension.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "documents/documents.h"
#include "http/http.h"
#include "http/json.h"
#include "penalty/internal.h"
#include "rectify/rectify.h"

#define OFFICERS (ROLE_ADMIN | ROLE_LEADER | ROLE_INSPECTOR | ROLE_LEGAL)
#define DECIDERS (ROLE_ADMIN | ROLE_LEADER)

static const char *const STATES[] = {"filed",   "investigating", "noticed", "hearing",
                                     "decided", "executed",      "closed",  NULL};
static const char *const FINAL[] = {"closed", NULL};
static const char *const NOTE[] = {"note", NULL};

static const struct case_transition T[] = {
    {"filed", "investigating", "investigate", OFFICERS, NULL, CLOCK_NONE, "开始调查",
     "Investigate"},
    {"filed", "filed", "extend", DECIDERS, NOTE, CLOCK_EXTEND, "延长办案期限", "Extend"},
    {"filed", "closed", "dismiss", DECIDERS, NOTE, CLOCK_STOP, "撤销立案", "Dismiss"},
    {"investigating", "noticed", "notify", OFFICERS, NULL, CLOCK_NONE, "送达事先告知书",
     "Serve the prior notice"},
    {"investigating", "decided", "decide_no_penalty", DECIDERS, NULL, CLOCK_STOP,
     "不予行政处罚决定", "Decide no penalty"},
    {"investigating", "investigating", "extend", DECIDERS, NOTE, CLOCK_EXTEND, "延长办案期限",
     "Extend"},
    {"investigating", "closed", "dismiss", DECIDERS, NOTE, CLOCK_STOP, "撤销立案", "Dismiss"},
    {"noticed", "hearing", "request_hearing", OFFICERS | ROLE_ENTERPRISE, NULL, CLOCK_PAUSE,
     "申请听证", "Request a hearing"},
    {"noticed", "decided", "decide", DECIDERS, NULL, CLOCK_STOP, "作出行政处罚决定",
     "Decide the penalty"},
    {"noticed", "decided", "decide_no_penalty", DECIDERS, NULL, CLOCK_STOP, "不予行政处罚决定",
     "Decide no penalty"},
    {"noticed", "noticed", "extend", DECIDERS, NOTE, CLOCK_EXTEND, "延长办案期限", "Extend"},
    {"hearing", "noticed", "hearing_done", OFFICERS, NOTE, CLOCK_RESUME, "听证结束",
     "Hearing held"},
    {"decided", "executed", "execute", OFFICERS, NOTE, CLOCK_NONE, "执行完毕", "Executed"},
    {"executed", "closed", "close", OFFICERS, NULL, CLOCK_NONE, "结案", "Close the case"},
};

/* A transition taken on the generic case page: the steps that need the module's work (the
   notice, the hearing window, the decisions) are refused there; the others move the row. */
static int follow(struct db *db, int64_t subject_id, const struct case_transition *tr,
                  const struct case_actor *who, const char *note, const char *now)
{
    (void)who;
    (void)note;
    static const char *const OWN[] = {"notify",  "request_hearing", "decide", "decide_no_penalty",
                                      "execute", "close",           "dismiss"};
    for (size_t i = 0; i < ARRAY_LEN(OWN); i++) {
        if (!strcmp(tr->action, OWN[i])) {
            return ERR_CONFLICT;
        }
    }
    return store_penalty_status(db, subject_id, tr->to, now);
}

static const struct case_type PENALTY_CASE = {
    .name = "penalty",
    .label_zh = "行政处罚",
    .label_en = "Administrative penalty",
    .states = STATES,
    .final = FINAL,
    .transitions = T,
    .n_transitions = ARRAY_LEN(T),
    .on_move = follow,
};

void penalty_case_register(void)
{
    cases_type_register(&PENALTY_CASE);
}

/* ---------------- rule sets ---------------- */

int pen_rules_load(struct db *db, const char *region, const char *date, struct pen_rules *r,
                   const char **kind)
{
    memset(r, 0, sizeof *r);
    int rc = rules_resolve(db, "penalty.discretion", region, date, &r->disc_body, &r->disc_ref);
    if (rc) {
        *kind = "penalty.discretion";
        return rc;
    }
    rc = rules_resolve(db, "penalty.exempt", region, date, &r->exempt_body, &r->exempt_ref);
    if (rc) {
        *kind = "penalty.exempt";
        pen_rules_free(r);
        return rc;
    }
    rc = rules_resolve(db, "penalty.clocks", region, date, &r->clocks_body, &r->clocks_ref);
    if (rc) {
        *kind = "penalty.clocks";
        pen_rules_free(r);
        return rc;
    }
    const char *field;
    if (pen_discretion_parse(r->disc_body, &r->disc, &field)) {
        *kind = "penalty.discretion";
        pen_rules_free(r);
        return ERR_INPUT;
    }
    return 0;
}

void pen_rules_free(struct pen_rules *r)
{
    json_decref(r->disc_body);
    json_decref(r->exempt_body);
    json_decref(r->clocks_body);
    r->disc_body = r->exempt_body = r->clocks_body = NULL;
}

/* ---------------- facts ---------------- */

struct hourly {
    struct pen_reading r[2000];
    char factors[2000][16];
    size_t n;
};

static void hourly_row(void *ctx, const char *factor, const char *day, int hour, double value,
                       double limit)
{
    struct hourly *h = ctx;
    if (h->n >= ARRAY_LEN(h->r)) {
        return;
    }
    str_copy(h->factors[h->n], sizeof h->factors[h->n], factor);
    struct pen_reading *r = &h->r[h->n];
    r->factor = h->factors[h->n];
    str_copy(r->day, sizeof r->day, day);
    r->hour = hour;
    r->value = value;
    r->limit = limit;
    h->n++;
}

int pen_case_facts(struct db *db, const struct pen_row *row, const struct pen_rules *r, double hw,
                   struct pen_facts *f, struct pen_fact_store *fs)
{
    memset(f, 0, sizeof *f);
    memset(fs, 0, sizeof *fs);
    str_copy(fs->found_on, sizeof fs->found_on, row->found_on);
    f->violation_type = row->violation_type;
    f->found_on = fs->found_on;
    f->discretion = &r->disc;
    f->harm_factor = "harm";
    f->corrected_days = -1;
    f->harm_level = -1;
    /* history: an earlier decision of the same type */
    int rc = store_penalty_last_same(db, row->enterprise_id, row->violation_type, row->id,
                                     row->found_on, fs->last_same);
    if (rc) {
        return rc;
    }
    f->last_same_type = fs->last_same;
    /* harm: the level chosen in the discretion */
    struct buf tmp;
    buf_init(&tmp, 1 << 20);
    rc = store_penalty_json(db, row->id, &tmp);
    if (!rc) {
        json_t *o = json_loads(tmp.p, 0, NULL);
        const char *lv = json_string_value(json_object_get(json_object_get(o, "factors"), "harm"));
        for (int i = 0; lv && i < r->disc.n_factors; i++) {
            const struct pen_factor *pf = &r->disc.factors[i];
            for (int j = 0; !strcmp(pf->code, "harm") && j < pf->n_levels; j++) {
                if (!strcmp(pf->levels[j].code, lv)) {
                    f->harm_level = j;
                }
            }
        }
        json_decref(o);
    }
    buf_release(&tmp);
    if (rc) {
        return rc;
    }
    /* correction: the problem's rectification verified (or the problem closed) */
    if (row->problem_id > 0) {
        struct rectify_problem p;
        bool all = false;
        char last[11] = "";
        if (!rectify_problem_get(db, row->problem_id, &p)) {
            fs->point_id = p.point_id;
            if (!rectify_problem_verified(db, row->problem_id, &all, last) && all && last[0]) {
                str_copy(fs->corrected_on, sizeof fs->corrected_on, last);
            } else if (p.closed_on[0]) {
                str_copy(fs->corrected_on, sizeof fs->corrected_on, p.closed_on);
            }
        }
    }
    if (fs->corrected_on[0]) {
        int d;
        if (!pen_days_between(row->found_on, fs->corrected_on, &d)) {
            f->corrected_days = d < 0 ? 0 : d;
        }
    }
    /* monitoring: the problem's point, the day before found_on to found_on */
    if (fs->point_id > 0 && !pen_date_add(row->found_on, -1, fs->mon_from)) {
        str_copy(fs->mon_to, sizeof fs->mon_to, row->found_on);
        struct hourly *h = xcalloc(1, sizeof *h);
        rc = store_penalty_hourly(db, fs->point_id, fs->mon_from, fs->mon_to, hourly_row, h);
        if (!rc) {
            pen_exceed_summarize(h->r, h->n, json_object_get(r->exempt_body, "toxic_factors"), f);
        }
        free(h);
        if (rc) {
            return rc;
        }
    }
    if (hw >= 0) {
        f->have_hw = true;
        f->hw_tonnes_year = hw;
    }
    return 0;
}

static const char *verdict_name(enum pen_verdict v)
{
    return v == PV_PASS ? "pass" : v == PV_FAIL ? "fail" : "unknown";
}

int pen_exempt_json(const struct pen_rules *r, const struct pen_facts *f, struct buf *out,
                    char passed[64])
{
    passed[0] = 0;
    buf_putc(out, '[');
    size_t i;
    const json_t *it;
    int k = 0;
    json_array_foreach (json_object_get(r->exempt_body, "items"), i, it) {
        struct pen_item_eval e;
        const char *field;
        if (pen_exempt_eval_item(it, f, &e, &field)) {
            continue; /* the schema and pen_exempt_check keep malformed items out */
        }
        buf_puts(out, k++ ? ",{" : "{");
        json_kv_str(out, "code", e.code, false);
        json_kv_str(out, "kind", e.kind, true);
        json_kv_str(out, "zh", e.zh, true);
        json_kv_str(out, "en", e.en, true);
        json_kv_str(out, "legal_basis", e.legal_basis, true);
        buf_printf(out, ",\"applies\":%s,\"passed\":%s,\"conditions\":[",
                   e.applies ? "true" : "false", e.passed ? "true" : "false");
        for (int c = 0; c < e.n_conds; c++) {
            buf_puts(out, c ? ",{" : "{");
            json_kv_str(out, "fact", e.conds[c].fact, false);
            json_kv_str(out, "verdict", verdict_name(e.conds[c].verdict), true);
            json_kv_str(out, "zh", e.conds[c].zh, true);
            json_kv_str(out, "en", e.conds[c].en, true);
            buf_putc(out, '}');
        }
        buf_puts(out, "]}");
        if (e.passed && !passed[0]) {
            str_copy(passed, 64, e.code);
        }
    }
    buf_putc(out, ']');
    return 0;
}

bool pen_applies_to_industry(const json_t *violation, const char *industry_code)
{
    size_t i;
    const json_t *v;
    json_array_foreach (json_object_get(violation, "industries"), i, v) {
        const char *s = json_string_value(v);
        if (s && (!strcmp(s, "*") || !strncmp(industry_code, s, strlen(s)))) {
            return true;
        }
    }
    return false;
}

/* ---------------- documents ---------------- */

/* 行政处罚事先告知书 (行政处罚法 art. 44, 45, 63, 64). */
static const char *const NOTICE[] = {
    "经查，你单位{facts}",
    "以上事实有现场检查笔录、调查询问笔录、监测数据等证据为凭。你单位的上述行为{legal_basis}。",
    "根据《中华人民共和国行政处罚法》第三十四条及本机关行政处罚裁量基准，裁量过程如下：{reasoning}",
    "本机关拟对你单位作出如下行政处罚：罚款人民币{amount}元。",
    "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你单位有权进行陈述和申辩。{"
    "hearing}"
    "逾期未提出陈述、申辩或者听证申请的，视为放弃上述权利。",
};
/* 行政处罚决定书 (行政处罚法 art. 59, 67; 行政复议法; 行政诉讼法). */
static const char *const DECISION[] = {
    "经查，你单位{facts}",
    "你单位的上述行为{legal_basis}。本机关于{noticed_on}"
    "向你单位送达了行政处罚事先告知书，告知你单位"
    "陈述、申辩和要求听证的权利。{hearing}",
    "裁量过程：{reasoning}{departure}",
    "依据上述规定，本机关决定对你单位作出如下行政处罚：罚款人民币{amount}元。",
    "你单位应当自收到本决定书之日起{payment_days}"
    "日内，到指定银行或者通过电子支付系统缴纳罚款。到期不缴纳"
    "罚款的，本机关可以每日按罚款数额的百分之三加处罚款。",
    "你单位如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法向人民法院"
    "提起行"
    "政诉讼。申请行政复议或者提起行政诉讼的，不停止本决定的执行。",
};
/* 不予行政处罚决定书 (行政处罚法 art. 33: 免罚不免责 — education and correction). */
static const char *const EXEMPT[] = {
    "经查，你单位{facts}",
    "你单位的上述行为{legal_basis}。经审查，你单位的情形符合本机关不予行政处罚清单事项“{item}”：{"
    "conditions}",
    "依据{item_basis}，本机关决定对你单位不予行政处罚。",
    "不予处罚不免除你单位的改正义务。本机关已对你单位进行教育：{education}",
    "请你单位按照责令改正要求于{workdays}个工作日内完成整改：{requirement}"
    "。本机关将对整改情况进行核查。",
    "你单位如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法向人民法院"
    "提起行"
    "政诉讼。",
};

static const struct doc_kind KINDS[] = {
    {"penalty_notice", "罚告", "行政处罚事先告知书", "行政处罚事先告知书", NOTICE,
     ARRAY_LEN(NOTICE)},
    {"penalty_decision", "罚", "行政处罚决定书", "行政处罚决定书", DECISION, ARRAY_LEN(DECISION)},
    {"penalty_exempt", "不罚", "不予行政处罚决定书", "不予行政处罚决定书", EXEMPT,
     ARRAY_LEN(EXEMPT)},
};

void penalty_documents_register(void)
{
    for (size_t i = 0; i < ARRAY_LEN(KINDS); i++) {
        documents_kind_register(&KINDS[i]);
    }
}
