/*
** `envgov demo`: complaints of the last two months around 长兴 and 吴兴 (the online form, the
** 12369 hotline, a visit), one a repeat of another within 50 m, each taken as far as its story
** goes — waiting to be accepted, dispatched and being handled, closed with the answer and
** followed up, rejected, referred, one past its deadline — and two requests of the demo
** enterprise. Steps are dated in the past so their clocks fall in the calendar's years.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "request/internal.h"
#include "store/q_accounts.h"
#include "store/q_credit.h"

struct demo_req {
    const char *category, *channel, *region, *description, *address;
    double lat, lng;
    int days_ago;
    const char *story; /* the actions taken, comma-separated */
    const char *answer;
    bool enterprise;
};

static const struct demo_req DEMO[] = {
    {"noise", "online", "330522", "工地夜间施工噪声扰民，凌晨两点仍在打桩",
     "长兴县雉城街道明珠路工地", 31.0243, 119.9101, 3, "", NULL, false},
    {"noise", "online", "330522", "明珠路工地晚上又在施工，噪声很大", "长兴县雉城街道明珠路",
     31.0245, 119.9102, 2, "", NULL, false},
    {"odor", "hotline_12369", "330522", "来电反映化工园区方向夜间有刺鼻异味",
     "长兴县李家巷镇化工园区", 31.0652, 119.8461, 12, "accept,dispatch,note", NULL, false},
    {"water", "online", "330522", "河道出现大面积黑水，疑似有企业偷排", "长兴县画溪街道合溪新港",
     31.0031, 119.9402, 25, "accept,dispatch,site_visit,close,follow_up",
     "经现场核查，系上游一家印染企业雨污管道混接所致。已责令其立即整改并立案调查，河道水质已恢复。"
     "感谢您的监督。",
     false},
    {"air", "hotline_12369", "330502", "来电反映某厂烟囱冒黑烟", "吴兴区织里镇工业园", 30.8409,
     120.2541, 20, "accept,dispatch,close",
     "经查，该企业锅炉燃烧不充分，已督促其检修除尘设施，复查时排放已达标。", false},
    {"other", "visit", "330522", "来访反映邻居装修噪声", "长兴县龙山街道某小区", 31.0128, 119.8952,
     9, "refer", NULL, false},
    {"waste", "online", "330502", "路边有人倾倒建筑垃圾", "吴兴区八里店镇", 30.8612, 120.1498, 40,
     "accept,dispatch", NULL, false},
    {"radiation", "online", "330522", "担心小区附近基站辐射超标", "长兴县太湖街道", 31.0312,
     119.9256, 15, "reject", NULL, false},
    {"policy", "enterprise", "", "扩建产线后排污许可证是否需要重新申领？", "", 0, 0, 6,
     "accept,dispatch", NULL, true},
    {"approval_help", "enterprise", "", "新建危废暂存库的环评手续如何办理，希望提供帮办服务", "", 0,
     0, 1, "", NULL, true},
};

static void past(int days, int minutes, char out[32])
{
    time_iso(wall_ms() / 1000 - (int64_t)days * 86400 + (int64_t)minutes * 60, out);
}

static int take_story(struct db *db, int64_t id, const struct demo_req *d)
{
    struct case_actor who = {
        .user_id = 0, .name = "演示 / demo", .role = ROLE_ADMIN, .from_subject = true};
    char story[96];
    snprintf(story, sizeof story, "%s", d->story);
    int step = 1;
    for (char *a = story, *next; a && *a; a = next) {
        next = strchr(a, ',');
        if (next) {
            *next++ = 0;
        }
        struct request_action act = {.action = a};
        if (!strcmp(a, "reject")) {
            act.note = "不属于生态环境部门职责范围：基站电磁辐射由通信管理部门监管，已告知投诉人。";
        } else if (!strcmp(a, "refer")) {
            act.referred_to = "长兴县公安局龙山派出所（社会生活噪声）";
        } else if (!strcmp(a, "note")) {
            act.note = "已联系园区管委会，安排夜间巡查。";
        } else if (!strcmp(a, "site_visit")) {
            act.note = "现场查看排口与雨水管网。";
        } else if (!strcmp(a, "close")) {
            act.answer = d->answer;
        } else if (!strcmp(a, "follow_up")) {
            act.satisfaction = 5;
            act.note = "电话回访，投诉人表示满意。";
        }
        char now[32];
        past(d->days_ago, 90 * step++, now);
        const char *field = NULL;
        char why[256];
        int rc = request_move(db, id, &act, &who, now, &field, why, sizeof why);
        if (rc == ERR_NOTFOUND && field && !strcmp(field, "calendar")) {
            return 0; /* the clock needs a year the calendar lacks: the story stops here */
        }
        if (rc) {
            return rc;
        }
    }
    return 0;
}

int request_demo(struct db *db, const char *today, struct buf *summary)
{
    (void)today;
    request_case_register();
    struct user_auth ent;
    int64_t ent_id = store_user_by_name(db, "enterprise", &ent) ? 0 : ent.enterprise_id;
    int made = 0, rc = 0;
    struct credit_subject_row es = {0};
    if (ent_id && store_credit_subject(db, "enterprise", ent_id, &es)) {
        ent_id = 0;
    }
    for (size_t i = 0; !rc && i < sizeof DEMO / sizeof DEMO[0]; i++) {
        const struct demo_req *d = &DEMO[i];
        if (d->enterprise && !ent_id) {
            continue;
        }
        struct request_input in = {.kind = d->enterprise ? "request" : "complaint",
                                   .category = d->category,
                                   .channel = d->channel,
                                   .title = d->description,
                                   .description = d->description,
                                   .address = d->address,
                                   .region_code = d->enterprise ? es.region_code : d->region,
                                   .has_point = d->lat != 0,
                                   .lat = d->lat,
                                   .lng = d->lng,
                                   .enterprise_id = d->enterprise ? ent_id : 0,
                                   .contact_phone = d->enterprise ? "" : "13900001234"};
        char now[32], code[13];
        past(d->days_ago, 0, now);
        int64_t id = 0;
        rc = request_file(db, &in, 0, d->enterprise ? ent.display_name : "演示 / demo", NULL, NULL,
                          now, &id, code);
        rc = rc ? rc : take_story(db, id, d);
        made += !rc;
    }
    if (!rc) {
        buf_printf(summary, ", %d requests and complaints", made);
    }
    return rc;
}
