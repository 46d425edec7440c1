/*
** The service module's demo rows (src/service/demo.c opens the risks' cases): pairings (the
** leader with three key firms, the 法规科 section head with four, the service officer with eight
** and the demo enterprise's own firm, the approver with two key projects), last month's service
** day held with outcomes and the coming one planned, a consultation day and a 大学堂 training
** with attendance, a month of service records, three key-project risks.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/backend.h"
#include "store/q_service.h"

#define U(name) "(SELECT id FROM users WHERE username = '" name "')"

static void day(int offset, char out[11])
{
    date_cn(wall_ms() / 1000 + (int64_t)offset * 86400, out);
}

static int pair(struct db *db, const char *user, const char *tier, const char *category, int offset,
                int limit, const char *project, const char *now)
{
    char sql[900];
    snprintf(sql, sizeof sql,
             "INSERT INTO service_pairings (user_id, enterprise_id, tier, project_name,"
             " region_code, created_at, updated_at) SELECT (SELECT id FROM users WHERE username"
             " = ?1), e.id, ?2, ?3, e.region_code, ?4, ?4 FROM enterprises e WHERE e.category ="
             " ?5 AND e.status = 'active' AND NOT EXISTS (SELECT 1 FROM service_pairings p WHERE"
             " p.enterprise_id = e.id) ORDER BY e.id LIMIT %d OFFSET %d",
             limit, offset);
    return db_runf(db, sql, "ttttt", user, tier, project, now, category);
}

int store_service_demo(struct db *db, const char *now, const char *last, const char *next,
                       int64_t risk_ids[3], int *n_risks)
{
    char d[11];
    int rc = 0;
    rc = rc ? rc : pair(db, "leader", "leader", "key", 0, 3, "", now);
    rc = rc ? rc : pair(db, "legal", "manager", "general", 0, 4, "", now);
    rc = rc ? rc : pair(db, "service", "staff", "general", 0, 8, "", now);
    rc = rc ? rc : pair(db, "approver", "staff", "key", 0, 2, "技改扩建项目", now);
    /* the demo enterprise user's own firm: paired with the service officer */
    rc = rc ? rc
            : db_runf(
                  db,
                  "INSERT INTO service_pairings (user_id, enterprise_id, tier, project_name,"
                  " region_code, created_at, updated_at) SELECT " U(
                      "service") ", e.id,"
                                 " 'staff', '', e.region_code, ?1, ?1 FROM enterprises e WHERE "
                                 "e.id = (SELECT"
                                 " enterprise_id FROM users WHERE username = 'enterprise') AND NOT "
                                 "EXISTS"
                                 " (SELECT 1 FROM service_pairings p WHERE p.enterprise_id = e.id)",
                  "t", now);
    int64_t unit = 0, held = 0, planned = 0, consult = 0, train = 0, own = 0, id;
    struct db_stmt *st;
    rc =
        rc ? rc
           : db_queryf(db, &st,
                       "SELECT COALESCE(org_unit_id, 0) FROM users WHERE username = 'service'", "");
    rc = rc ? rc : db_step_id(st, &unit);
    rc = rc ? rc
            : db_queryf(db, &st,
                        "SELECT COALESCE(enterprise_id, 0) FROM users WHERE username ="
                        " 'enterprise'",
                        "");
    rc = rc ? rc : db_step_id(st, &own);
    char title[64];
    snprintf(title, sizeof title, "%.7s 企业服务日", last);
    rc =
        rc ? rc : store_service_session_insert(db, "service_day", title, last, unit, 0, now, &held);
    snprintf(title, sizeof title, "%.7s 企业服务日", next);
    rc = rc ? rc
            : store_service_session_insert(db, "service_day", title, next, unit, 0, now, &planned);
    day(-12, d);
    rc = rc ? rc
            : store_service_session_insert(db, "consultation", "企业环保咨询日：排污许可执行报告",
                                           d, unit, 0, now, &consult);
    day(-20, d);
    rc = rc ? rc
            : store_service_session_insert(db, "training", "大学堂：危险废物规范化管理", d, unit, 0,
                                           now, &train);
    rc = rc ? rc
            : db_runf(db,
                      "UPDATE service_sessions SET state = 'held', place = '分局三楼会议室',"
                      " outcome = '现场解答企业诉求，议定事项已分解到科室限期办理' WHERE id IN"
                      " (?1, ?2, ?3)",
                      "iii", held, consult, train);
    rc = rc ? rc
            : db_runf(db, "UPDATE service_sessions SET place = '分局三楼会议室' WHERE id = ?1", "i",
                      planned);
    /* agenda items: the service officer's firms, two resolved */
    static const char *const topics[] = {"排污许可证变更咨询", "危废暂存间建设标准",
                                         "在线监测数据异常说明", "环评审批进度",
                                         "VOCs 治理设施升级补助政策"};
    for (int i = 0; !rc && i < 5; i++) {
        rc = db_runf(
            db,
            "INSERT INTO service_items (session_id, enterprise_id, title, outcome,"
            " resolved, created_at) SELECT ?1, p.enterprise_id, ?2, ?3, ?4, ?5 FROM"
            " service_pairings p ORDER BY p.enterprise_id = ?6 DESC, p.id LIMIT 1 OFFSET ?7",
            "ittitii", held, topics[i], i < 3 ? "已当场答复，材料清单已发企业" : "",
            (int64_t)(i < 3), now, own, (int64_t)i);
    }
    rc = rc ? rc
            : db_runf(db,
                      "INSERT INTO service_attendance (session_id, enterprise_id, people) SELECT"
                      " DISTINCT ?1, enterprise_id, 2 FROM service_items WHERE session_id = ?1",
                      "i", held);
    rc = rc ? rc
            : db_runf(db,
                      "INSERT INTO service_items (session_id, enterprise_id, title, created_at)"
                      " SELECT ?1, ?2, '排污许可证延续申请材料', ?3 WHERE ?2 > 0",
                      "iit", planned, own, now);
    for (int i = 0; !rc && i < 2; i++) {
        int64_t s = i ? train : consult;
        rc = db_runf(db,
                     "INSERT INTO service_attendance (session_id, enterprise_id, people) SELECT ?1,"
                     " e.id, 1 + e.id % 3 FROM enterprises e WHERE e.status = 'active' ORDER BY"
                     " e.id LIMIT ?2",
                     "ii", s, (int64_t)(i ? 18 : 7));
    }
    /* a month of service records */
    static const struct {
        const char *user, *kind, *summary;
    } recs[] = {
        {"service", "visit", "上门走访，了解企业治污设施运行情况"},
        {"service", "problem_solved", "协调解决危废转移联单办理问题"},
        {"service", "consultation", "解答排污许可执行报告填报问题"},
        {"approver", "visit", "重点项目环评前期服务"},
        {"approver", "problem_solved", "指导编制环评报告书，缩短审批时间"},
        {"leader", "visit", "领导包联走访重点企业"},
        {"legal", "training", "大学堂授课：环境法律法规"},
        {"service", "training", "大学堂：危险废物规范化管理"},
    };
    for (size_t i = 0; !rc && i < ARRAY_LEN(recs) * 2; i++) {
        day(-(int)(i * 2 + 1), d);
        rc = db_runf(
            db,
            "INSERT INTO service_records (user_id, org_unit_id, enterprise_id, kind,"
            " occurred_on, summary, created_at, updated_at) SELECT u.id, u.org_unit_id, (SELECT"
            " p.enterprise_id FROM service_pairings p WHERE p.user_id = u.id ORDER BY p.id"
            " LIMIT 1), ?2, ?3, ?4, ?5, ?5 FROM users u WHERE u.username = ?1",
            "ttttt", recs[i % ARRAY_LEN(recs)].user, recs[i % ARRAY_LEN(recs)].kind, d,
            recs[i % ARRAY_LEN(recs)].summary, now);
    }
    /* three key-project risks: one overdue, one due next month, one closed */
    static const struct {
        const char *project, *category, *risk, *level, *measures;
        int deadline;
    } risks[] = {
        {"年产 5 万吨新材料技改项目", "social", "周边居民担心异味影响，已有两次来电反映", "high",
         "召开项目说明会；增设厂界 VOCs 在线监测", -3},
        {"城东污水处理厂提标改造", "environmental", "施工期临时排放口可能超标", "medium",
         "施工期加密监测；设置应急池", 30},
        {"港区危废综合利用项目", "environmental", "选址靠近饮用水源保护区边界", "high",
         "调整总平面布置，退让 200 米", -20},
    };
    int made = 0;
    for (size_t i = 0; !rc && i < ARRAY_LEN(risks); i++) {
        day(risks[i].deadline, d);
        rc = db_queryf(db, &st,
                       "INSERT INTO service_risks (project_name, enterprise_id, region_code, lat,"
                       " lng, category, risk, level, owner_user_id, measures, deadline,"
                       " created_by, created_at, updated_at) SELECT ?1, e.id, e.region_code,"
                       " e.lat, e.lng, ?2, ?3, ?4, " U("approver") ", ?5, ?6, " U(
                           "leader") ","
                                     " ?7, ?7 FROM enterprises e WHERE e.category = 'key' AND "
                                     "e.lat IS NOT NULL"
                                     " ORDER BY e.id LIMIT 1 OFFSET ?8 RETURNING id",
                       "ttttttti", risks[i].project, risks[i].category, risks[i].risk,
                       risks[i].level, risks[i].measures, d, now, (int64_t)i);
        id = 0;
        rc = rc ? rc : db_step_id(st, &id);
        if (id > 0) {
            risk_ids[made++] = id;
        }
    }
    *n_risks = made;
    return rc;
}
