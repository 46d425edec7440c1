/*
** `envgov demo`: the service module's rows (store_service_demo), the three key-project risks'
** cases opened (one overdue, one due next month) and the third closed (销号) with its result.
*/
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"
#include "service/internal.h"
#include "store/q_service.h"

int service_demo(struct db *db, const char *today, struct buf *summary)
{
    service_risk_register();
    char now[32], last[11], next[11], d[11];
    time_iso(wall_ms() / 1000, now);
    int sday = (int)settings_int("service_day");
    date_cn(wall_ms() / 1000 - 31 * 86400, d);
    int rc = service_day_next(d, sday, last);
    rc = rc ? rc : service_day_next(today, sday, next);
    if (!rc && !strcmp(last, next)) {
        date_cn(wall_ms() / 1000 - 45 * 86400, d);
        rc = service_day_next(d, sday, last);
    }
    int64_t risks[3] = {0, 0, 0};
    int made = 0;
    rc = rc ? rc : store_service_demo(db, now, last, next, risks, &made);
    for (int i = 0; !rc && i < made; i++) {
        rc = service_risk_open_case(db, risks[i], 0, "system");
    }
    if (!rc && made == 3) {
        struct service_risk_row k;
        rc = store_service_risk(db, risks[2], &k);
        struct case_actor who = {
            .user_id = 0, .name = "审批科 王丽", .role = ROLE_APPROVER, .from_subject = true};
        const char *present[] = {"note"}, *field = NULL;
        char why[256], closed[11];
        const char *result = "总平面布置已调整，退让距离经复核满足要求，予以销号";
        date_cn(wall_ms() / 1000 - 5 * 86400, closed);
        rc = rc ? rc
                : cases_transition(db, k.case_id, "close", &who, present, 1, "{}", result, 0, now,
                                   &field, why, sizeof why);
        rc = rc ? rc : store_service_risk_close(db, risks[2], result, closed, now);
    }
    if (!rc) {
        buf_printf(summary, ", service: pairings, 4 sessions, %d key-project risks", made);
    }
    return rc;
}
