/*
** The approval module's demo: in the demo county, an application waiting for acceptance (a
** 报告表 on the commitment route), one under review on its clock with expert review under way,
** one approved with its obligations on the enterprise's to-do list, and a 登记表 filed with its
** receipt number — all classed and routed by the shipped catalogue and rule set.
*/
#include <stdio.h>
#include <string.h>

#include "approval/internal.h"
#include "core/err.h"
#include "core/util.h"
#include "credit/credit.h"
#include "zoning/zoning.h"

struct demo_app {
    const char *industry, *name, *capacity, *park, *geometry;
    double investment;
    const char *target; /* filed | review | approved | recorded */
};

static const struct demo_app APPS[] = {
    {"17", "年产 3000 万米高档面料织造及后整理项目", "年产面料 3000 万米（无染整工段）", "",
     "{\"type\":\"Point\",\"coordinates\":[120.1612,30.8702]}", 8600, "filed"},
    {"261", "年产 5 万吨电子级化学品项目", "电子级硫酸 3 万吨/年、电子级双氧水 2 万吨/年", "",
     "{\"type\":\"Point\",\"coordinates\":[120.1805,30.8893]}", 56000, "review"},
    {"3011", "水泥粉磨站技改项目", "水泥粉磨 120 万吨/年", "长兴经济技术开发区",
     "{\"type\":\"Point\",\"coordinates\":[119.9602,31.0105]}", 4200, "approved"},
    {"031", "生猪养殖场改扩建项目", "年出栏生猪 800 头", "",
     "{\"type\":\"Point\",\"coordinates\":[119.8512,31.0021]}", 320, "recorded"},
};

int approval_demo(struct db *db, const char *today, struct buf *summary)
{
    char now[32];
    time_iso(wall_ms() / 1000, now);
    int64_t approver = 0;
    int rc = store_eia_demo_user(db, "approver", &approver);
    int made = 0;
    for (size_t i = 0; !rc && i < ARRAY_LEN(APPS); i++) {
        const struct demo_app *d = &APPS[i];
        int64_t ent = 0;
        char region[16] = "", ind[16] = "";
        rc = store_eia_demo_enterprise(db, d->industry, i, &ent, region, ind);
        if (rc || !ent) {
            rc = rc == ERR_NOTFOUND ? 0 : rc;
            continue;
        }
        static _Thread_local struct eia_context cx;
        rc = eia_context_load(db, region, today, &cx);
        if (rc) {
            return rc == ERR_CONFLICT ? 0 : rc;
        }
        /* the site checked by the zoning module's demo edition, as a filing does */
        char upark[EIA_PARK_BYTES] = "";
        struct zoning_check_req zq = {.geometry = d->geometry, .industry = ind};
        struct zoning_answer za;
        struct buf zj;
        buf_init(&zj, 1 << 16);
        const char *zfield = NULL;
        const char *effect = "no_unit";
        if (!zoning_site_check(db, &zq, &za, &zj, &zfield)) {
            effect = eia_zoning_effect(&cx.rules, zj.p, upark);
        } else {
            memset(&za, 0, sizeof za);
            buf_reset(&zj);
            buf_puts(&zj, "{}");
        }
        struct eia_project p = {ind, d->name, d->capacity, d->investment};
        struct eia_class_proposal prop;
        eia_classify(cx.items, cx.n_items, &p, za.sensitive, &prop);
        struct credit_grade g;
        bool has = !credit_grade_at(db, "enterprise", ent, today, &g);
        struct eia_route_facts f = {
            prop.cls, ind, za.sensitive, effect, has ? g.grade : NULL, *d->park ? d->park : upark};
        struct eia_route_answer ra;
        eia_route_decide(&cx.rules, &f, &ra);
        struct buf reasons, checklist;
        buf_init(&reasons, 1 << 14);
        buf_init(&checklist, 1 << 15);
        eia_reasons_json(&ra, &reasons);
        buf_puts(&checklist, "[]");
        char receipt[40] = "";
        bool record = ra.route == ER_RECORD;
        if (record) {
            rc = store_eia_next_receipt(db, today, receipt, sizeof receipt);
        }
        struct eia_new n = {.enterprise_id = ent,
                            .catalogue_id = prop.item >= 0 ? cx.items[prop.item].id : 0,
                            .rule_set_id = cx.ref.id,
                            .rule_version = cx.ref.version,
                            .project_name = d->name,
                            .industry_code = ind,
                            .geometry = d->geometry,
                            .capacity = d->capacity,
                            .pollutants_json = "[{\"code\":\"w01018\",\"name\":\"化学需氧量\","
                                               "\"tonnes\":1.2}]",
                            .park = *d->park ? d->park : upark,
                            .investment = d->investment,
                            .proposed_class = eia_class_name(prop.cls),
                            .cls = eia_class_name(prop.cls),
                            .class_reason = "",
                            .zoning_verdict = effect,
                            .zoning_json = zj.p,
                            .sensitive = za.sensitive,
                            .route = eia_route_name(ra.route),
                            .route_reasons_json = reasons.p,
                            .checklist_json = checklist.p,
                            .state = record ? "recorded" : "filed",
                            .receipt_no = receipt,
                            .filed_on = today,
                            .commitment_signed = ra.route == ER_COMMITMENT};
        int64_t id = 0;
        rc = rc ? rc : store_eia_insert(db, &n, now, &id);
        buf_release(&reasons);
        buf_release(&checklist);
        buf_release(&zj);
        if (!rc && (!strcmp(d->target, "review") || !strcmp(d->target, "approved"))) {
            int statutory = 0;
            int limit = eia_route_limit(&cx.rules, ra.route, prop.cls, &statutory);
            char title[800];
            snprintf(title, sizeof title, "环评审批：%s", d->name);
            struct case_open o = {.type = "eia",
                                  .subject_kind = "eia_application",
                                  .subject_id = id,
                                  .enterprise_id = ent,
                                  .region_code = region,
                                  .title = title,
                                  .unit = CU_WORKDAYS,
                                  .limit = limit,
                                  .rule_set_id = cx.ref.id,
                                  .rule_version = cx.ref.version,
                                  .limit_source = "rules approval.routes (demo)"};
            int64_t case_id = 0;
            rc = cases_open(db, &o, approver, "审批科 王丽", now, &case_id);
            rc = rc ? rc
                    : store_eia_accept(db, id, case_id, today, "[]", statutory,
                                       cx.rules.compression_permille / 1000.0, limit, cx.ref.id,
                                       cx.ref.version, NULL, now);
            struct case_actor who = {approver, "审批科 王丽", ROLE_APPROVER, NULL, NULL, true};
            const char *field = NULL;
            char why[256];
            bool approve = !strcmp(d->target, "approved");
            rc = rc ? rc
                    : cases_transition(db, case_id, approve ? "approve" : "send_experts", &who,
                                       NULL, 0, "{}", approve ? "同意建设" : "组织专家技术评审", 0,
                                       now, &field, why, sizeof why);
            if (!rc && approve) {
                rc = store_eia_decide(db, id, "approved",
                                      "落实粉尘收集处理措施，颗粒物排放执行 GB 4915-2013", "",
                                      approver, today, NULL, 0, now);
                for (size_t k = 0; !rc && k < cx.rules.n_obligations; k++) {
                    char due[11];
                    credit_add_months(today, cx.rules.obligations[k].months, due);
                    rc = store_eia_obligation_add(db, id, ent, cx.rules.obligations[k].kind,
                                                  cx.rules.obligations[k].title, due, now);
                }
            }
        }
        made += !rc;
    }
    if (!rc) {
        buf_printf(summary, ", %d EIA applications", made);
    }
    return rc;
}
