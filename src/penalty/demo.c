/*
** `envgov demo`: three problems found by enforcement at firms with monitoring points, each filed
** as a penalty case — a ledger lapse just filed, a water exceedance under investigation with its
** discretion worked out (the advisory amount and reasoning), a missing hazardous-waste label
** under investigation for the no-penalty check. Decisions are left to the demo's users (their
** documents need the org units' document prefixes, which the documents module seeds after).
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "penalty/internal.h"
#include "rectify/rectify.h"

struct demo_case {
    const char *category, *violation_type, *description;
    int days_ago;
    bool investigate;
};

static const struct demo_case DEMO[] = {
    {"ledger", "ledger", "现场检查发现环境管理台账未记录 11 月污染防治设施运行情况", 2, false},
    {"online_monitoring", "water_exceed",
     "废水总排口化学需氧量小时均值超过排放标准（在线监测数据）", 6, true},
    {"hazardous_waste", "hw_label", "危险废物贮存间未设置危险废物识别标志", 4, true},
};

int penalty_demo(struct db *db, const char *today, struct buf *summary)
{
    penalty_case_register();
    int64_t ids[3];
    int n = 0;
    int rc = store_penalty_demo_firms(db, ids, 3, &n);
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct case_actor who = {.user_id = 0, .name = "执法大队 李强", .role = ROLE_INSPECTOR};
    int made = 0;
    for (int i = 0; !rc && i < n; i++) {
        const struct demo_case *c = &DEMO[i];
        char found[11];
        pen_date_add(today, -c->days_ago, found);
        struct rectify_problem_input in = {.enterprise_id = ids[i],
                                           .level = "enforcement",
                                           .source_kind = "manual",
                                           .category = c->category,
                                           .description = c->description,
                                           .violation_type = c->violation_type,
                                           .found_on = found};
        int64_t pid = 0, id = 0, case_id = 0;
        const char *field = NULL;
        struct rectify_problem p;
        struct pen_rules pr;
        const char *kind;
        rc = rectify_problem_add(db, &in, &who, now, &pid, &field);
        rc = rc ? rc : rectify_problem_get(db, pid, &p);
        rc = rc ? rc : pen_rules_load(db, p.region_code, today, &pr, &kind);
        if (rc) {
            break;
        }
        struct pen_violation v;
        rc = pen_violation_find(&pr.disc, c->violation_type, &v);
        struct pen_new nw = {.enterprise_id = ids[i],
                             .problem_id = pid,
                             .region_code = p.region_code,
                             .violation_type = c->violation_type,
                             .title = rc ? c->violation_type : v.zh,
                             .facts = c->description,
                             .found_on = found,
                             .filed_on = today,
                             .created_by_name = who.name};
        rc = rc ? rc : store_penalty_insert(db, &nw, now, &id);
        char title[600];
        snprintf(title, sizeof title, "行政处罚：%s", nw.title);
        struct case_open o = {.type = "penalty",
                              .subject_kind = "penalty_case",
                              .subject_id = id,
                              .enterprise_id = ids[i],
                              .region_code = p.region_code,
                              .title = title,
                              .unit = CU_DAYS,
                              .limit = rules_int(pr.clocks_body, "decision_days", 90),
                              .rule_set_id = pr.clocks_ref.id,
                              .rule_version = pr.clocks_ref.version,
                              .limit_source = "rules penalty.clocks decision_days"};
        rc = rc ? rc : cases_open(db, &o, 0, who.name, now, &case_id);
        rc = rc ? rc : store_penalty_set_case(db, id, case_id);
        if (!rc && c->investigate) {
            char why[300];
            who.from_subject = true;
            rc = cases_transition(db, case_id, "investigate", &who, NULL, 0, "{}", "", 0, now,
                                  &field, why, sizeof why);
            if (rc == ERR_NOTFOUND) {
                rc = 0; /* next year's calendar not loaded: the 90-day clock cannot move; filed */
            } else {
                rc = rc ? rc : store_penalty_status(db, id, "investigating", now);
            }
            /* the discretion: general harm for the exceedance, none for the label */
            struct pen_calc_input ci = {.mitigation = PM_NONE};
            for (int f = 0; f < pr.disc.n_factors; f++) {
                ci.levels[f] =
                    pr.disc.factors[f]
                        .levels[!strcmp(pr.disc.factors[f].code, "harm") && i == 1 ? 2 : 0]
                        .code;
            }
            struct pen_calc_result res;
            if (!rc && !pen_calculate(&pr.disc, &v, &ci, &res, &field, why, sizeof why)) {
                struct buf factors, reasoning;
                buf_init(&factors, 1 << 14);
                buf_init(&reasoning, 1 << 18);
                buf_putc(&factors, '{');
                for (int f = 0; f < pr.disc.n_factors; f++) {
                    buf_printf(&factors, "%s\"%s\":\"%s\"", f ? "," : "", pr.disc.factors[f].code,
                               ci.levels[f]);
                }
                buf_putc(&factors, '}');
                buf_putc(&reasoning, '[');
                for (int l = 0; l < res.n_lines; l++) {
                    buf_puts(&reasoning, l ? ",{\"zh\":" : "{\"zh\":");
                    buf_json_str(&reasoning, res.lines[l].zh, strlen(res.lines[l].zh));
                    buf_puts(&reasoning, ",\"en\":");
                    buf_json_str(&reasoning, res.lines[l].en, strlen(res.lines[l].en));
                    buf_putc(&reasoning, '}');
                }
                buf_putc(&reasoning, ']');
                struct pen_discretion_save s = {.factors_json = factors.p,
                                                .mitigation = "none",
                                                .mitigation_basis = "",
                                                .reasoning_json = reasoning.p,
                                                .departure_reason = "",
                                                .advisory_yuan = res.advisory_yuan,
                                                .amount_yuan = res.advisory_yuan,
                                                .rule_set_id = pr.disc_ref.id,
                                                .rule_version = pr.disc_ref.version};
                rc = store_penalty_save_discretion(db, id, &s, now);
                rc = rc ? rc : rules_mark_used(db, &pr.disc_ref);
                buf_release(&factors);
                buf_release(&reasoning);
            }
        }
        rc = rc ? rc : rules_mark_used(db, &pr.clocks_ref);
        pen_rules_free(&pr);
        made += !rc;
    }
    buf_printf(summary, ", %d penalty cases", made);
    return rc;
}
