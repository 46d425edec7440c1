/*
** The approval module's descriptor: routes, the case types (eia, eia_verify) and document
** kinds registered before any thread looks them up, the catalogue's shipped items (seeded once,
** then the admin's), the to-do sources (an enterprise's obligations after approval, the
** approvers' applications waiting for acceptance), the 工作台's figures, the demo and the
** audit kinds. The rule set approval.routes is seeded by the rules module from data/rules/.
*/
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval/internal.h"
#include "calendar/calendar.h"
#include "core/err.h"
#include "core/util.h"
#include "platform/app.h"

static void register_all(void)
{
    approval_case_register();
    eia_documents_register();
}

/* Representative items of 建设项目环境影响评价分类管理名录（2021年版）: item number, category,
   project type, industry prefixes, the conditions per class as the 名录 reads, the default
   class and what raises it to a 报告书. */
static const struct {
    const char *no, *category, *type, *prefixes, *report, *form, *registration, *cls, *keywords;
    double min_investment;
} ITEMS[] = {
    {"一、1", "畜牧业 03", "牲畜饲养 031；家禽饲养 032", "031,032",
     "年出栏生猪 5000 头及以上的规模化畜禽养殖（涉及环境敏感区的）", "其他规模化畜禽养殖", "其他",
     "registration", "5000头", 0},
    {"十、12", "农副食品加工业 13", "屠宰及肉类加工 135", "13",
     "年屠宰生猪 10 万头、肉牛 1 万头及以上", "其他（年加工 2 万吨以下的冷冻肉分割除外）", "",
     "form", "屠宰生猪10万头", 0},
    {"十二、17", "酒、饮料制造业 15", "酒的制造 151", "15",
     "有发酵工艺的（年生产能力 1000 千升以下的除外）", "其他", "", "form", "发酵", 0},
    {"十四、19", "纺织业 17", "棉纺织及印染精加工 171；化纤织造及印染精加工 175", "17",
     "有洗毛、染整、脱胶工段的；产生缫丝废水、精炼废水的", "其他（编织物及其制品制造除外）", "",
     "form", "洗毛,脱胶,缫丝,精炼", 0},
    {"十九、36", "造纸和纸制品业 22", "纸浆制造 221", "221", "全部", "", "", "report", "", 0},
    {"十九、37", "造纸和纸制品业 22", "造纸 222（含废纸造纸）", "222,223", "有化学制浆工艺的",
     "其他", "", "form", "化学制浆", 0},
    {"二十三、44", "化学原料和化学制品制造业 26", "基础化学原料制造 261；农药制造 263", "261,263",
     "全部（含研发中试；不含单纯物理分离、物理提纯、混合、分装的）",
     "单纯物理分离、物理提纯、混合、分装的", "", "report", "", 0},
    {"二十三、45", "化学原料和化学制品制造业 26", "涂料、油墨、颜料及类似产品制造 264", "264",
     "有化学合成反应的", "单纯物理混合或分装的", "", "form", "合成,聚合", 0},
    {"二十四、47", "医药制造业 27", "化学药品原料药制造 271", "271", "全部（含研发中试）", "", "",
     "report", "", 0},
    {"二十七、55", "非金属矿物制品业 30", "水泥制造 3011", "3011", "水泥熟料生产", "水泥粉磨站", "",
     "form", "熟料", 0},
    {"二十七、58", "非金属矿物制品业 30", "玻璃制造 304；陶瓷制品制造 307", "304,307",
     "平板玻璃制造；以煤为燃料的建筑陶瓷", "其他", "", "form", "平板玻璃", 0},
    {"二十八、62", "黑色金属冶炼和压延加工业 31", "钢压延加工 313", "31", "有炼铁、炼钢工序的",
     "其他", "", "form", "炼铁,炼钢", 0},
    {"三十、67", "金属制品业 33", "金属表面处理及热处理加工 336", "336",
     "有电镀工艺的；有钝化工艺的热镀锌", "其他（仅切割组装的除外）", "", "form", "电镀,钝化", 0},
    {"三十五、77", "电气机械和器材制造业 38", "电池制造 384", "384", "铅蓄电池制造",
     "其他（仅分割、焊接、组装的除外）", "", "form", "铅蓄", 0},
    {"三十六、81", "计算机、通信和其他电子设备制造业 39", "电子元件及电子专用材料制造 398", "39",
     "显示器件、集成电路、印制电路板制造", "其他（仅分割、焊接、组装的除外）", "", "form",
     "印制电路板,集成电路", 0},
    {"四十一、87", "电力、热力生产和供应业 44", "火力发电 4411；热电联产 4412", "441",
     "全部（燃气发电除外）", "燃气发电", "", "report", "", 0},
    {"四十三、95", "水的生产和供应业 46", "污水处理及其再生利用 462", "462",
     "新建、扩建日处理 10 万吨及以上城乡污水处理", "其他（不含提标改造）", "", "form", "10万吨",
     50000},
    {"五十二、130", "道路运输业 54 / 城市道路 48", "城市道路（不含维护）", "48", "",
     "新建快速路、主干路", "", "form", "", 0},
    {"四十七、110", "环境治理业 77", "危险废物（含医疗废物）利用及处置 772", "772",
     "危险废物利用及处置（产生单位内部回收再利用的除外）", "其他", "", "report", "", 0},
};

static int seed(struct store *s, char *err, size_t errcap)
{
    register_all();
    struct db *db;
    int rc = store_begin(s, &db);
    if (rc) {
        snprintf(err, errcap, "approval: cannot begin");
        return rc;
    }
    int64_t n = 0;
    rc = store_eia_catalogue_count(db, &n);
    char now[32];
    time_iso(wall_ms() / 1000, now);
    for (size_t i = 0; !rc && !n && i < ARRAY_LEN(ITEMS); i++) {
        rc = store_eia_catalogue_insert(db, ITEMS[i].no, ITEMS[i].category, ITEMS[i].type,
                                        ITEMS[i].prefixes, ITEMS[i].report, ITEMS[i].form,
                                        ITEMS[i].registration, ITEMS[i].cls, ITEMS[i].keywords,
                                        ITEMS[i].min_investment, now);
    }
    if (rc) {
        store_rollback(s, db);
        snprintf(err, errcap, "approval: seeding the catalogue failed");
        return rc;
    }
    return store_commit(s, db);
}

static void routes(struct router *rt)
{
    register_all();
    approval_intake_routes(rt);
    approval_api_routes(rt);
    approval_session_routes(rt);
}

static void today_of(const char *now, char today[11])
{
    char cn[20];
    snprintf(today, 11, "%.10s", iso_utc_to_china(now, cn) ? cn : now);
}

/* Due soon: within 30 days of today. */
static void soon_of(const char *today, char soon[11])
{
    int32_t d;
    if (calendar_date_parse(today, 10, &d)) {
        snprintf(soon, 11, "%s", today);
        return;
    }
    calendar_date_format(d + 30, soon);
}

/* An enterprise's open obligations after approval. */
static int own_list(struct db *db, const struct principal *p, const char *now, size_t limit,
                    struct buf *out, size_t *n)
{
    char today[11], soon[11];
    int64_t total = 0, overdue = 0;
    *n = 0;
    if (p->role != ROLE_ENTERPRISE || !p->enterprise_id) {
        buf_puts(out, "[]");
        return 0;
    }
    today_of(now, today);
    soon_of(today, soon);
    return store_eia_todo(db, p->enterprise_id, today, soon, limit, out, n, &total, &overdue);
}

static int own_count(struct db *db, const struct principal *p, const char *now,
                     struct todo_counts *c)
{
    char today[11];
    int64_t total = 0, overdue = 0;
    size_t n;
    if (p->role != ROLE_ENTERPRISE || !p->enterprise_id) {
        return 0;
    }
    today_of(now, today);
    int rc = store_eia_todo(db, p->enterprise_id, today, today, 0, NULL, &n, &total, &overdue);
    c->total += total;
    c->overdue += overdue;
    return rc;
}

/* Applications waiting for acceptance, for the approvers of their area, each with the day the
   one-time notice is due (filed_on + notice_workdays of the rule set in force for its region)
   and its clock against today. */
static int intake_list(struct db *db, const struct principal *p, const char *now, size_t limit,
                       struct buf *out, size_t *n)
{
    int64_t total = 0;
    *n = 0;
    if (p->role != ROLE_APPROVER) {
        buf_puts(out, "[]");
        return 0;
    }
    struct buf items;
    buf_init(&items, 1 << 20);
    int rc = store_eia_intake_todo(db, &p->scope, limit, &items, n, &total);
    json_t *arr = rc ? NULL : json_loads(items.p, 0, NULL);
    buf_release(&items);
    char today[11];
    today_of(now, today);
    size_t i;
    json_t *v;
    json_array_foreach (arr, i, v) {
        const char *filed = json_string_value(json_object_get(v, "filed_on"));
        const char *region = json_string_value(json_object_get(v, "region_code"));
        int days =
            (int)rules_int_today(db, "approval.routes", region ? region : "", "notice_workdays", 5);
        char due[11];
        int missing = 0;
        if (filed && !eia_add_workdays(filed, days, due, &missing)) {
            char at[32];
            snprintf(at, sizeof at, "%sT16:00:00Z", due); /* the end of the due day, China time */
            json_object_set_new(v, "due_at", json_string(at));
            json_object_set_new(v, "clock",
                                json_string(strcmp(today, due) > 0 ? "overdue"
                                            : !strcmp(today, due)  ? "due_soon"
                                                                   : "on_track"));
        }
    }
    char *txt = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
    buf_puts(out, txt ? txt : "[]");
    free(txt);
    json_decref(arr);
    return rc;
}

static int intake_count(struct db *db, const struct principal *p, const char *now,
                        struct todo_counts *c)
{
    int64_t total = 0;
    size_t n;
    (void)now;
    if (p->role != ROLE_APPROVER) {
        return 0;
    }
    int rc = store_eia_intake_todo(db, &p->scope, 0, NULL, &n, &total);
    c->total += total;
    return rc;
}

static const struct todo_source todo_sources[] = {
    {"eia_obligation", own_list, own_count},
    {"eia_intake", intake_list, intake_count},
};

static int dashboard(struct req *r, struct db *db, struct buf *out)
{
    char now[32];
    time_iso(wall_ms() / 1000, now);
    return store_eia_dashboard(db, &r->who->scope, now, out);
}

static const struct entity_def *const attachables[] = {&ENTITY_EIA_APPLICATION, NULL};

int approval_demo(struct db *db, const char *today, struct buf *summary);

static const struct setting_def settings[] = {
    {"approval_zoning_answer_max_bytes", "4194304", true,
     "largest site-check answer an EIA application keeps (zoning_json), bytes"},
};

const struct module approval_module = {
    .name = "approval",
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .routes = routes,
    .seed = seed,
    .todo_sources = todo_sources,
    .n_todo_sources = ARRAY_LEN(todo_sources),
    .audit_kinds = approval_audit_kinds,
    .dashboard = dashboard,
    .demo = approval_demo,
    .attachables = attachables,
};
