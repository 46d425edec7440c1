/*
** The patrol's demo data and 工作台 figures: `envgov demo` gives each demo permit a handful of
** clauses (the duties a 排污许可证 typically sets: self-monitoring, ledger, execution reports,
** facility operation) and generates this month's self-check tasks from them and from the
** firms' monitoring points; the dashboard shows this month's counts by level in the
** principal's scope.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "http/http.h"
#include "patrol/patrol_int.h"
#include "store/q_patrol.h"

static const struct {
    const char *code, *text, *duty, *frequency;
} DEMO_CLAUSES[] = {
    {"第五条", "按许可证载明的自行监测方案开展监测，废气有组织排放口每月监测一次，结果按规定公开",
     "self_monitoring", "monthly"},
    {"第七条", "建立环境管理台账，如实记录生产设施、污染防治设施运行和自行监测情况，保存不少于五年",
     "ledger", "monthly"},
    {"第九条", "污染防治设施与生产设施同步运行，不得擅自停运或拆除；停运须提前报告", "facility",
     "monthly"},
    {"第十一条", "按季度提交排污许可证执行报告", "report", "quarterly"},
    {"第十二条", "每年一月底前提交上一年度排污许可证执行报告", "report", "yearly"},
};

#define DEMO_PERMITS_MAX 4000

int patrol_demo(struct db *db, const char *today, struct buf *summary)
{
    static int64_t permits[DEMO_PERMITS_MAX];
    size_t n = 0;
    char now[32];
    time_iso(wall_ms() / 1000, now);
    int rc = store_patrol_permits(db, DEMO_PERMITS_MAX, permits, &n);
    int64_t n_clauses = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        for (size_t k = 0; !rc && k < ARRAY_LEN(DEMO_CLAUSES); k++) {
            int64_t id;
            rc = store_patrol_clause_insert(db, permits[i], DEMO_CLAUSES[k].code,
                                            DEMO_CLAUSES[k].text, DEMO_CLAUSES[k].duty,
                                            DEMO_CLAUSES[k].frequency, now, &id);
            if (!rc) {
                struct audit_entry a = {0,  "demo", "permit_clause", id, "create", NULL, NULL,
                                        "", ""};
                rc = store_audit_add(db, &a);
                n_clauses++;
            }
        }
    }
    char month[8];
    snprintf(month, sizeof month, "%.7s", today);
    struct patrol_month pm;
    rc = rc ? rc : patrol_month_prepare(month, now, &pm);
    int64_t ids[PATROL_GEN_BATCH], after = 0, created = 0;
    size_t got = 0;
    while (!rc) {
        rc = store_patrol_selfcheck_targets(db, after, PATROL_GEN_BATCH, ids, &got);
        if (rc || !got) {
            break;
        }
        rc = patrol_selfcheck_generate_in(db, &pm.g, ids, got, &created);
        after = ids[got - 1];
        if (got < PATROL_GEN_BATCH) {
            break;
        }
    }
    buf_printf(summary, ", %lld permit clauses, %lld self-check tasks", (long long)n_clauses,
               (long long)created);
    return rc;
}

int patrol_dashboard(struct req *r, struct db *db, struct buf *out)
{
    char today[11], month[8];
    date_cn(wall_ms() / 1000, today);
    snprintf(month, sizeof month, "%.7s", today);
    buf_printf(out, ",\"patrol\":{\"month\":\"%s\",\"rows\":", month);
    int rc = store_patrol_counts(db, &r->who->scope, month, month, NULL, out);
    buf_putc(out, '}');
    return rc;
}
