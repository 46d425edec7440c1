/*
** `envgov demo`: a deterministic fictional bureau — 湖州市生态环境局 and its county sub-bureaus
** over the real GB/T 2260 codes of Huzhou — with ~300 fictional enterprises in 20 real
** GB/T 4754 industries, valid USCCs, outlets, ~150 monitoring points, emission limits from
** the national standards, permits (some expiring soon), agencies and one user per role.
** Names, addresses and people are invented; the same --seed gives the same county.
*/
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "core/err.h"
#include "core/settings.h"
#include "core/uscc.h"
#include "platform/app.h"
#include "platform/cli.h"
#include "platform/module.h"
#include "store/q_accounts.h"

#define DEMO_PASSWORD "Huzhou#2026demo"

/* xorshift64*: deterministic across platforms. */
static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}
static int pick(int n)
{
    return (int)(rnd() % (uint64_t)n);
}
static double frand(void)
{
    return (double)(rnd() >> 11) / 9007199254740992.0;
}

struct county {
    const char *code, *name, *bureau;
    double lat, lng;
    const char *towns[8];
};

static const struct county counties[] = {
    {"330522",
     "长兴县",
     "长兴分局",
     31.01,
     119.91,
     {"雉城街道", "画溪街道", "太湖街道", "洪桥镇", "李家巷镇", "夹浦镇", "林城镇", "煤山镇"}},
    {"330523",
     "安吉县",
     "安吉分局",
     30.64,
     119.68,
     {"递铺街道", "昌硕街道", "灵峰街道", "孝丰镇", "天子湖镇", "梅溪镇", "溪龙乡", "鄣吴镇"}},
    {"330521",
     "德清县",
     "德清分局",
     30.54,
     119.98,
     {"武康街道", "舞阳街道", "阜溪街道", "新市镇", "乾元镇", "钟管镇", "雷甸镇", "洛舍镇"}},
    {"330502",
     "吴兴区",
     "吴兴分局",
     30.87,
     120.19,
     {"织里镇", "八里店镇", "妙西镇", "埭溪镇", "东林镇", "月河街道", "龙泉街道", "高新区"}},
    {"330503",
     "南浔区",
     "南浔分局",
     30.85,
     120.42,
     {"南浔镇", "练市镇", "双林镇", "菱湖镇", "和孚镇", "旧馆街道", "善琏镇", "千金镇"}},
};

enum { W = 1, A = 2 }; /* outlet media */

struct industry {
    const char *code, *suffix;
    int media;
    int weight;
    const char *w_std, *a_std; /* standards for the limits */
};

static const struct industry industries[] = {
    {"1713", "印染有限公司", W, 12, "GB 4287-2012 纺织染整工业水污染物排放标准", NULL},
    {"1752", "纺织科技有限公司", W, 8, "GB 4287-2012 纺织染整工业水污染物排放标准", NULL},
    {"2221", "纸业有限公司", W | A, 6, "GB 3544-2008 制浆造纸工业水污染物排放标准",
     "GB 13271-2014 锅炉大气污染物排放标准"},
    {"2614", "化工有限公司", W | A, 8, "GB 8978-1996 污水综合排放标准",
     "GB 31571-2015 石油化学工业污染物排放标准"},
    {"2641", "涂料有限公司", A, 6, NULL, "GB 37824-2019 涂料、油墨及胶粘剂工业大气污染物排放标准"},
    {"2710", "药业有限公司", W | A, 5, "GB 21904-2008 化学合成类制药工业水污染物排放标准",
     "GB 37823-2019 制药工业大气污染物排放标准"},
    {"3011", "水泥有限公司", A, 4, NULL, "GB 4915-2013 水泥工业大气污染物排放标准"},
    {"3041", "玻璃有限公司", A, 3, NULL, "GB 26453-2011 平板玻璃工业大气污染物排放标准"},
    {"3071", "陶瓷有限公司", A, 3, NULL, "GB 25464-2010 陶瓷工业污染物排放标准"},
    {"3130", "钢业有限公司", A, 4, NULL, "GB 28665-2012 轧钢工业大气污染物排放标准"},
    {"3360", "表面处理有限公司", W, 6, "GB 21900-2008 电镀污染物排放标准", NULL},
    {"3841", "新能源有限公司", W | A, 5, "GB 30484-2013 电池工业污染物排放标准",
     "GB 30484-2013 电池工业污染物排放标准"},
    {"3843", "电池有限公司", W | A, 4, "GB 30484-2013 电池工业污染物排放标准",
     "GB 30484-2013 电池工业污染物排放标准"},
    {"3982", "电子有限公司", W, 5, "GB 8978-1996 污水综合排放标准", NULL},
    {"4412", "热电有限公司", A, 4, NULL, "GB 13223-2011 火电厂大气污染物排放标准"},
    {"4620", "水务有限公司", W, 6, "GB 18918-2002 城镇污水处理厂污染物排放标准", NULL},
    {"1351", "食品有限公司", W, 5, "GB 13457-92 肉类加工工业水污染物排放标准", NULL},
    {"1512", "酒业有限公司", W, 3, "GB 27631-2011 发酵酒精和白酒工业水污染物排放标准", NULL},
    {"0313", "生态农业有限公司", W, 5, "GB 18596-2001 畜禽养殖业污染物排放标准", NULL},
    {"7724", "环保科技有限公司", W | A, 3, "GB 8978-1996 污水综合排放标准",
     "GB 18484-2020 危险废物焚烧污染控制标准"},
};

struct limit_seed {
    const char *code, *unit;
    double value;
};
/* Direct-discharge / special limits (mg/L, mg/m³) used for every outlet of the medium. */
static const struct limit_seed water_limits[] = {{"w01018", "mg/L", 80},
                                                 {"w21003", "mg/L", 10},
                                                 {"w21011", "mg/L", 0.5},
                                                 {"w21001", "mg/L", 15}};
static const struct limit_seed air_limits[] = {
    {"a34013", "mg/m³", 20}, {"a21026", "mg/m³", 50}, {"a21002", "mg/m³", 100}};

static const char *brand1 = "华鑫瑞宏泰锦恒达丰源盛通美科新联福安润嘉永正天金";
static const char *surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁沈钱姚";
static const char *given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国";

/* The k-th 3-byte UTF-8 character of a string of CJK characters. */
static void cjk(const char *s, int k, char *out)
{
    memcpy(out, s + 3 * k, 3);
    out[3] = 0;
}

static int n_cjk(const char *s)
{
    return (int)(strlen(s) / 3);
}

struct demo {
    struct db *db;
    int64_t ent_ids[20000];
    int n_ents;
    int n_outlets, n_points, n_limits, n_permits, n_roster;
    struct buf summary; /* what the modules' demo hooks added (", 5 on the positive list") */
    int64_t today_s;
    /* the enterprise user's firm: the first one given two monitoring points (else the first
       given one), with the previous point's firm to tell */
    int64_t own_ent, first_point_ent, last_point_ent;
};

static struct db_value T(const char *s) {
    return (struct db_value){DB_TEXT, 0, 0, s, strlen(s)};
} static struct db_value I(int64_t i) {
    return (struct db_value){DB_INT, i, 0, NULL, 0};
} static struct db_value R(double r) {
    return (struct db_value){DB_REAL, 0, r, NULL, 0};
}

static int
make_uscc(const char *region, char out[19])
{
    static const char cs[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    char first17[18];
    snprintf(first17, sizeof first17, "91%s", region);
    for (int i = 8; i < 17; i++) {
        first17[i] = i == 8 ? "MA"[0] : (i == 9 ? "MA"[1] : cs[pick(i < 12 ? 10 : 31)]);
    }
    first17[17] = 0;
    uscc_make(first17, out);
    return 0;
}

static void person(char *out, size_t cap)
{
    char a[4], b[4], c[4];
    cjk(surnames, pick(n_cjk(surnames)), a);
    cjk(given, pick(n_cjk(given)), b);
    cjk(given, pick(n_cjk(given)), c);
    snprintf(out, cap, "%s%s%s", a, b, pick(3) ? c : "");
}

static const struct industry *pick_industry(void)
{
    int total = 0;
    for (size_t i = 0; i < ARRAY_LEN(industries); i++) {
        total += industries[i].weight;
    }
    int k = pick(total);
    for (size_t i = 0; i < ARRAY_LEN(industries); i++) {
        if ((k -= industries[i].weight) < 0) {
            return &industries[i];
        }
    }
    return &industries[0];
}

static int insert(struct demo *d, const struct entity_def *e, const char *const *cols,
                  const struct db_value *vals, size_t n, int64_t *id)
{
    int rc = store_entity_insert(d->db, e, cols, vals, n, id);
    if (rc) {
        fprintf(stderr, "envgov demo: insert into %s failed (%d): %s\n", e->table, rc,
                db_errmsg(d->db));
    }
    return rc;
}

static int demo_limits(struct demo *d, int64_t ent, int64_t outlet, int media,
                       const struct industry *ind)
{
    const struct limit_seed *l = media == W ? water_limits : air_limits;
    size_t n = media == W ? ARRAY_LEN(water_limits) : ARRAY_LEN(air_limits);
    static const char *cols[] = {"outlet_id", "enterprise_id", "pollutant_code", "value",
                                 "unit",      "basis",         "standard"};
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        int64_t id;
        struct db_value v[] = {I(outlet),
                               I(ent),
                               T(l[i].code),
                               R(l[i].value),
                               T(l[i].unit),
                               T(media == W ? "day" : "hour"),
                               T(media == W ? ind->w_std : ind->a_std)};
        rc = insert(d, &ENTITY_LIMIT, cols, v, ARRAY_LEN(v), &id);
        d->n_limits++;
    }
    return rc;
}

static int demo_outlet(struct demo *d, int64_t ent, int media, int k, double lat, double lng,
                       const struct industry *ind, bool key)
{
    static const char *cols[] = {"enterprise_id", "code", "name", "kind", "type", "lat", "lng"};
    char code[8], name[64];
    snprintf(code, sizeof code, "%s%03d", media == W ? "DW" : "DA", k);
    snprintf(name, sizeof name, "%s%d", media == W ? "废水总排口" : "废气排放口", k);
    int64_t outlet, point;
    struct db_value v[] = {I(ent),
                           T(code),
                           T(name),
                           T(media == W ? "water" : "air"),
                           T(key ? "main" : "general"),
                           R(lat + 0.001 * k),
                           R(lng + 0.001 * k)};
    int rc = insert(d, &ENTITY_OUTLET, cols, v, ARRAY_LEN(v), &outlet);
    d->n_outlets++;
    if (!rc && key) {
        rc = demo_limits(d, ent, outlet, media, ind);
    }
    if (!rc && key && d->n_points < 150) {
        static const char *pcols[] = {"enterprise_id", "outlet_id",      "mn",
                                      "name",          "protocol",       "st",
                                      "password",      "rtd_interval_s", "min_interval_min"};
        char mn[48], pw[16], pname[80];
        snprintf(mn, sizeof mn, "33050%07u%012llX", (unsigned)(d->n_points + 1) % 10000000u,
                 (unsigned long long)(rnd() & 0xFFFFFFFFFFFFULL));
        snprintf(pw, sizeof pw, "%06u", (unsigned)pick(1000000));
        snprintf(pname, sizeof pname, "%s在线监测", name);
        struct db_value pv[] = {I(ent),
                                I(outlet),
                                T(mn),
                                T(pname),
                                T(pick(10) ? "2017" : "2005"),
                                T(media == W ? "32" : "31"),
                                T(pw),
                                I(30),
                                I(10)};
        rc = insert(d, &ENTITY_POINT, pcols, pv, ARRAY_LEN(pv), &point);
        d->n_points++;
        d->first_point_ent = d->first_point_ent ? d->first_point_ent : ent;
        d->own_ent = d->own_ent || d->last_point_ent != ent ? d->own_ent : ent;
        d->last_point_ent = ent;
    }
    return rc;
}

static int demo_permit(struct demo *d, int64_t ent, const char *uscc, const char *category, int i)
{
    static const char *cols[] = {"enterprise_id", "number",   "class",
                                 "valid_from",    "valid_to", "issuer"};
    /* Every 12th permit falls due within 60 days so the dashboard has work to show. */
    int64_t day = 86400, five_years = 5 * 365 * day + day;
    int64_t from =
        d->today_s - five_years + (i % 12 == 0 ? (5 + pick(50)) * day : (90 + pick(1500)) * day);
    char vf[11], vt[11], number[32];
    date_cn(from, vf);
    date_cn(from + five_years - 2 * day, vt);
    snprintf(number, sizeof number, "%s001%c", uscc, !strcmp(category, "general") ? 'U' : 'P');
    const char *cls =
        !strcmp(category, "general") ? (pick(2) ? "simplified" : "registration") : "key";
    struct db_value v[] = {I(ent), T(number), T(cls), T(vf), T(vt), T("湖州市生态环境局")};
    int64_t id;
    d->n_permits++;
    return insert(d, &ENTITY_PERMIT, cols, v, ARRAY_LEN(v), &id);
}

static int demo_enterprise(struct demo *d, int i)
{
    const struct county *c = &counties[pick((int)ARRAY_LEN(counties))];
    const struct industry *ind = pick_industry();
    char uscc[19], name[160], addr[200], rep[16], contact[16], phone[32], b1[4], b2[4];
    make_uscc(c->code, uscc);
    cjk(brand1, pick(n_cjk(brand1)), b1);
    cjk(brand1, pick(n_cjk(brand1)), b2);
    const char *town = c->towns[pick(8)];
    snprintf(name, sizeof name, "湖州%s%s%s", b1, b2, ind->suffix);
    if (i % 7 == 3) {
        snprintf(name, sizeof name, "%s%s%s%s", c->name, b1, b2, ind->suffix);
    }
    snprintf(
        addr, sizeof addr, "浙江省湖州市%s%s%s路%d号", c->name, town,
        (const char *[]){"工业", "兴业", "创业", "经开", "滨湖", "青山", "太湖", "东风"}[pick(8)],
        1 + pick(899));
    person(rep, sizeof rep);
    person(contact, sizeof contact);
    snprintf(phone, sizeof phone, "13%u%08u", 5u + (unsigned)pick(5), (unsigned)pick(100000000));
    int roll = pick(100);
    const char *category = roll < 28 ? "key" : roll < 33 ? "special" : "general";
    char tags[128] = "";
    if (!strcmp(category, "key")) {
        snprintf(tags, sizeof tags, "key_enterprise");
    }
    if (pick(5) == 0) {
        snprintf(tags + strlen(tags), sizeof tags - strlen(tags), "%shigh_growth",
                 *tags ? "," : "");
    }
    if (!strcmp(ind->code, "4620") || !strcmp(ind->code, "4412")) {
        snprintf(tags + strlen(tags), sizeof tags - strlen(tags), "%slivelihood", *tags ? "," : "");
    }
    if (pick(3) == 0) {
        snprintf(tags + strlen(tags), sizeof tags - strlen(tags), "%sindustrial_park",
                 *tags ? "," : "");
    }
    double lat = c->lat + (frand() - 0.5) * 0.16, lng = c->lng + (frand() - 0.5) * 0.16;
    static const char *cols[] = {"uscc",         "name",          "region_code", "industry_code",
                                 "address",      "lat",           "lng",         "legal_rep",
                                 "contact_name", "contact_phone", "category",    "tags"};
    struct db_value v[] = {T(uscc), T(name), T(c->code), T(ind->code), T(addr),     R(lat),
                           R(lng),  T(rep),  T(contact), T(phone),     T(category), T(tags)};
    int64_t id;
    int rc = insert(d, &ENTITY_ENTERPRISE, cols, v, ARRAY_LEN(v), &id);
    if (rc == ERR_CONFLICT) {
        return 0; /* the rare duplicate brand+USCC draw: skip it */
    }
    struct audit_entry a = {0, "demo", "enterprise", id, "create", NULL, NULL, "", ""};
    rc = rc ? rc : store_audit_add(d->db, &a);
    d->ent_ids[d->n_ents++] = id;
    bool key = strcmp(category, "general") != 0;
    /* One outlet per medium the industry discharges to; half the supervised air emitters
       have a second stack. */
    if (!rc && (ind->media & W)) {
        rc = demo_outlet(d, id, W, 1, lat, lng, ind, key);
    }
    if (!rc && (ind->media & A)) {
        rc = demo_outlet(d, id, A, 1, lat, lng, ind, key);
        if (!rc && key && pick(2)) {
            rc = demo_outlet(d, id, A, 2, lat, lng, ind, key);
        }
    }
    return rc ? rc : demo_permit(d, id, uscc, category, i);
}

static int demo_org_unit(struct demo *d, const char *name, const char *kind, int64_t parent,
                         const char *region, int64_t *id)
{
    static const char *cols[] = {"name", "kind", "parent_id"};
    struct db_value v[] = {T(name), T(kind),
                           parent ? I(parent) : (struct db_value){DB_NULL, 0, 0, NULL, 0}};
    int rc = insert(d, &ENTITY_ORG_UNIT, cols, v, parent ? 3 : 2, id);
    const char *codes[] = {region};
    return rc ? rc : store_org_unit_set_regions(d->db, *id, codes, 1);
}

static int demo_agencies(struct demo *d)
{
    static const struct {
        const char *name, *kind, *region;
    } list[] = {
        {"浙江青禾环境科技有限公司", "eia", "330502"},
        {"湖州碧源环境工程咨询有限公司", "eia", "330502"},
        {"杭州蓝湾环评技术有限公司", "eia", "330106"},
        {"长兴清川环境咨询有限公司", "eia", "330522"},
        {"湖州中测检测技术有限公司", "testing", "330502"},
        {"浙江衡信环境检测有限公司", "testing", "330110"},
        {"德清绿测分析检测有限公司", "testing", "330521"},
        {"安吉华测生态检测有限公司", "testing", "330523"},
        {"湖州净联在线监测运维有限公司", "operation", "330503"},
        {"浙江诚运环保设备运维有限公司", "operation", "330502"},
        {"长兴蓝盾环境设施运营有限公司", "operation", "330522"},
        {"宁波甬清环境服务有限公司", "operation", "330212"},
    };
    static const char *cols[] = {"uscc",    "name",         "kind",         "region_code",
                                 "address", "contact_name", "contact_phone"};
    int rc = 0;
    for (size_t i = 0; !rc && i < ARRAY_LEN(list); i++) {
        char uscc[19], contact[16], phone[32], addr[160];
        make_uscc(list[i].region, uscc);
        person(contact, sizeof contact);
        snprintf(phone, sizeof phone, "0572-%07d", 2000000 + pick(7000000));
        snprintf(addr, sizeof addr, "浙江省%s科技园%d幢", list[i].region[3] == '5' ? "湖州市" : "",
                 1 + pick(20));
        struct db_value v[] = {T(uscc), T(list[i].name), T(list[i].kind), T(list[i].region),
                               T(addr), T(contact),      T(phone)};
        int64_t id;
        rc = insert(d, &ENTITY_AGENCY, cols, v, ARRAY_LEN(v), &id);
    }
    return rc;
}

struct demo_user {
    const char *username, *display, *role;
    int org; /* index into the org units made below, -1 none */
};

/* The enterprise user's display name (its firm's 企业环保负责人), which is also the firm's
   环保联系人 (contact_name). */
#define ENTERPRISE_CONTACT "赵华"

static const struct demo_user demo_users[] = {
    {"admin", "系统管理员", "admin", 0},
    {"leader", "局长 沈建国", "leader", 0},
    {"approver", "审批科 王丽", "approver", 0},
    {"inspector", "执法大队 李强", "inspector", 1},
    {"legal", "法规科 陈敏", "legal", 0},
    {"monitor", "监控中心 周涛", "monitor", 0},
    {"service", "服务专员 吴芳", "service", 1},
    {"enterprise", ENTERPRISE_CONTACT, "enterprise", -1},
};

/* The enterprise user belongs to a firm with monitoring points (so its monitoring pages and,
   with the simulator, its alarms have something to show), chosen without drawing from the
   generator so the rest of the county stays as it was; that firm's contact is the user. */
static int64_t demo_own_enterprise(struct demo *d)
{
    int64_t id = d->own_ent ? d->own_ent : d->first_point_ent ? d->first_point_ent : d->ent_ids[0];
    static const char *cols[] = {"contact_name"};
    struct db_value v[] = {T(ENTERPRISE_CONTACT)};
    return store_entity_update(d->db, &ENTITY_ENTERPRISE, id, cols, v, 1) ? 0 : id;
}

static int demo_users_create(struct demo *d, const int64_t *orgs)
{
    char hash[160];
    if (accounts_hash(DEMO_PASSWORD, hash, sizeof hash)) {
        return ERR_UNSUPPORTED;
    }
    int64_t own = demo_own_enterprise(d);
    if (own == 0) {
        fprintf(stderr, "envgov demo: cannot set the enterprise user's firm: %s\n",
                db_errmsg(d->db));
        return ERR_IO;
    }
    int rc = 0;
    for (size_t i = 0; !rc && i < ARRAY_LEN(demo_users); i++) {
        const struct demo_user *u = &demo_users[i];
        int64_t id;
        /* One hash serves all demo users: they share the documented demo password. */
        rc = store_user_insert(d->db, u->username, u->display, u->role,
                               u->org >= 0 ? orgs[u->org] : 0, u->org < 0 ? own : 0, hash, false,
                               &id);
    }
    /* The enforcement roster the random draws pick from (two inspectors per target, recusal):
       two more inspectors in each county's sub-bureau, zf01 … zf10. */
    static const char *const SURNAMES[] = {"张", "王", "刘", "陈", "杨",
                                           "赵", "黄", "周", "吴", "徐"};
    static const char *const GIVEN[] = {"伟", "静", "磊", "敏", "军", "洁", "勇", "艳", "杰", "娟"};
    for (size_t i = 0; !rc && i < 2 * ARRAY_LEN(counties); i++) {
        char username[16], display[96];
        snprintf(username, sizeof username, "zf%02zu", i + 1);
        snprintf(display, sizeof display, "%s执法 %s%s", counties[i / 2].bureau, SURNAMES[i % 10],
                 GIVEN[(i * 3) % 10]);
        int64_t id;
        rc = store_user_insert(d->db, username, display, "inspector", orgs[1 + i / 2], 0, hash,
                               false, &id);
        d->n_roster++;
    }
    return rc;
}

static int demo_build(struct demo *d, int n_ents)
{
    int64_t orgs[8], city;
    int rc = demo_org_unit(d, "湖州市生态环境局", "bureau", 0, "330500", &city);
    orgs[0] = city;
    for (size_t i = 0; !rc && i < ARRAY_LEN(counties); i++) {
        char name[64];
        snprintf(name, sizeof name, "湖州市生态环境局%s", counties[i].bureau);
        rc = demo_org_unit(d, name, "sub_bureau", city, counties[i].code, &orgs[1 + i]);
    }
    for (int i = 0; !rc && i < n_ents; i++) {
        rc = demo_enterprise(d, i);
    }
    if (!rc) {
        rc = demo_agencies(d);
    }
    if (!rc) {
        rc = demo_users_create(d, orgs);
    }
    if (!rc) { /* each later module's demo data (credit events, the positive list …) */
        char today[11];
        date_cn(d->today_s, today);
        rc = modules_demo(d->db, today, &d->summary);
    }
    struct audit_entry a = {0, "demo", "database", 0, "demo_generate", NULL, NULL, "", ""};
    return rc ? rc : store_audit_add(d->db, &a);
}

int cmd_demo(const struct cli *c)
{
    const char *n_opt = cli_opt(c, "enterprises"), *seed_opt = cli_opt(c, "seed");
    int64_t n = 300, seed = 20261122;
    if ((n_opt && (parse_i64(n_opt, strlen(n_opt), &n) || n < 1 || n > 20000)) ||
        (seed_opt && parse_i64(seed_opt, strlen(seed_opt), &seed))) {
        fprintf(stderr, "envgov demo: --enterprises takes 1..20000, --seed an integer\n");
        return 2;
    }
    if (cli_open_store(true)) {
        return 1;
    }
    struct db *db = store_read(app.store);
    int64_t users = 0;
    store_user_count(db, &users);
    store_release(app.store, db);
    if (users > 0) {
        fprintf(stderr, "envgov demo: %s already holds a database; remove it to start over\n",
                settings_get("data"));
        cli_close_store();
        return 1;
    }
    rng_state = (uint64_t)seed * 2654435761ULL + 88172645463325252ULL;
    struct demo d = {0};
    buf_init(&d.summary, 4096);
    d.today_s = wall_ms() / 1000;
    int rc = store_begin(app.store, &d.db);
    if (!rc) {
        rc = demo_build(&d, (int)n);
        rc = rc ? (store_rollback(app.store, d.db), rc) : store_commit(app.store, d.db);
    }
    if (rc) {
        fprintf(stderr, "envgov demo: failed; nothing was written\n");
    } else {
        printf("Demo database created in %s: %d enterprises, %d outlets, %d monitoring points, "
               "%d limits, %d permits%s.\n\nDemo accounts (password for all: %s):\n",
               settings_get("data"), d.n_ents, d.n_outlets, d.n_points, d.n_limits, d.n_permits,
               d.summary.p ? d.summary.p : "", DEMO_PASSWORD);
        for (size_t i = 0; i < ARRAY_LEN(demo_users); i++) {
            printf("  %-11s %-10s %s\n", demo_users[i].username, demo_users[i].role,
                   demo_users[i].display);
        }
        printf("  zf01 … zf%02d  inspector  the county sub-bureaus' enforcement roster (random "
               "draws)\n",
               d.n_roster);
        printf("\nThese accounts are for the demo only; never use them in production.\n");
    }
    buf_release(&d.summary);
    cli_close_store();
    return rc ? 1 : 0;
}
