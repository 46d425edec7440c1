/*
** The service module's descriptor: its routes (pairings, 十百千, sessions, records, risk ledger,
** outbound delivery log), settings (the service day, the risk radius, the jobs' schedules), the
** jobs service.day and service.risks, the service_risk case type, its audit-log kinds, the
** demo data and the 工作台's figures.
*/
#include <stdio.h>

#include "core/util.h"
#include "platform/app.h"
#include "service/internal.h"
#include "store/q_service.h"

static const struct setting_def settings[] = {
    {"service_day", "5", true, "day of the month of the enterprise service day (1-28)"},
    {"service_day_schedule", "", false,
     "when the service day's agenda is built (job schedule; empty: daily 07:00)"},
    {"service_risks_schedule", "", false,
     "when overdue risks are notified (job schedule; empty: every 300)"},
    {"service_risk_radius_m", "1000", true,
     "complaints within this distance of a key project link to its risks (metres)"},
};

static const struct job_def jobs[] = {
    {"service.day", "daily 07:00", "service_day_schedule", service_job_day, 600,
     "生成企业服务日议程 / Build the enterprise service day's agenda"},
    {"service.risks", "every 300", "service_risks_schedule", service_job_risks, 300,
     "通知逾期的重点项目风险 / Notify overdue key-project risks"},
};

static int seed(struct store *s, char *err, size_t errcap)
{
    (void)s, (void)err, (void)errcap;
    service_risk_register();
    return 0;
}

static void routes(struct router *rt)
{
    service_risk_register();
    service_api_routes(rt);
    service_risk_routes(rt);
    service_outbound_routes(rt);
}

const struct module service_module = {
    .name = "service",
    .routes = routes,
    .seed = seed,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .jobs = jobs,
    .n_jobs = ARRAY_LEN(jobs),
    .audit_kinds = service_audit_kinds,
    .demo = service_demo,
};
