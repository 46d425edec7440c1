/*
** Quota routes under /api/v1/quota: holdings and lots (everyone within scope, an enterprise its
** own), allocations and paid purchases, the reserve, trades between firms, sales from and
** buybacks into the reserve, retirements (staff managers), total-quantity reviews and their
** service from the reserve in priority order, banks and their users (admin), pledge loans
** (the firm or staff apply; the bureau checks; the bank decides; the bureau registers and
** releases) and actual emissions against holdings. Every write is one transaction with its
** audit row; a move never touches a pledged part of a lot (409 naming amount_t).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "credit/credit.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/entity.h"
#include "quota/quota.h"
#include "rules/rules.h"
#include "store/q_quota.h"

#define MANAGERS (ROLE_ADMIN | ROLE_APPROVER)
#define LOTS_MAX 2000
#define TEXT_MAX 2000
#define NAME_MAX_B 200
#define ITEMS_MAX 5
#define SOURCES_MAX 20
#define EMISSION_ROWS_MAX 40000 /* holdings and point rows of the emissions page each */
#define HOLDINGS_MAX 50000
#define TONNES_MAX 1e6
#define YUAN_MAX 1e12

static void now_iso(char now[32])
{
    time_iso(wall_ms() / 1000, now);
}

static void today(char d[11])
{
    date_cn(wall_ms() / 1000, d);
}

static int bad(struct req *r, int status, const char *code, const char *msg, const char *field)
{
    resp_error(r, status, code, msg, field);
    return ERR_INPUT;
}

/* The enterprise a route names: an enterprise user only its own; staff within scope; active
   when active is asked. */
static int firm_visible(struct req *r, struct db *db, int64_t id, const char *field, bool active)
{
    char region[16], status[16];
    int rc = id > 0 ? store_quota_enterprise(db, id, region, status) : ERR_NOTFOUND;
    if (!rc && !store_scope_allows(&r->who->scope, id, region)) {
        rc = ERR_NOTFOUND;
    }
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该企业 / no such enterprise", field);
    } else if (!rc && active && strcmp(status, "active")) {
        rc = bad(r, 409, "inactive", "该企业不在营业状态 / the enterprise is not active", field);
    }
    return rc;
}

static int load_rules(struct db *db, int64_t id, struct quota_rules *q, struct rule_ref *ref)
{
    json_t *body = NULL;
    char d[11], err[200];
    today(d);
    int rc =
        id ? rules_get(db, id, &body, ref) : rules_resolve(db, "quota.rights", "", d, &body, ref);
    rc = rc ? rc : quota_rules_parse(body, q, err, sizeof err);
    json_decref(body);
    return rc;
}

/* ---------------- input helpers ---------------- */

static int num_get(struct req *r, json_t *in, const char *key, bool required, double min,
                   double max, double *out)
{
    json_t *v = json_object_get(in, key);
    if (!v || json_is_null(v)) {
        if (required) {
            return bad(r, 422, "required",
                       arena_printf(r->a, "请填写 %s / %s is required", key, key), key);
        }
        return 0;
    }
    double x = json_number_value(v);
    if (!json_is_number(v) || !isfinite(x) || x < min || x > max) {
        return bad(r, 422, "invalid",
                   arena_printf(r->a, "%s 须为 %g 至 %g 之间的数 / %s must be a number in [%g, %g]",
                                key, min, max, key, min, max),
                   key);
    }
    *out = x;
    return 0;
}

static int int_get(struct req *r, json_t *in, const char *key, int64_t *out)
{
    json_t *v = json_object_get(in, key);
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        return bad(r, 422, "required",
                   arena_printf(r->a, "请填写 %s（编号） / %s (an id) is required", key, key), key);
    }
    *out = json_integer_value(v);
    return 0;
}

static int bool_get(struct req *r, json_t *in, const char *key, bool *out)
{
    json_t *v = json_object_get(in, key);
    if (v && !json_is_boolean(v)) {
        return bad(r, 422, "invalid",
                   arena_printf(r->a, "%s 须为 true 或 false / %s must be a boolean", key, key),
                   key);
    }
    *out = v && json_is_true(v);
    return 0;
}

/* t/a in amount_t into kg (> 0, at most three decimals kept). */
static int amount_get(struct req *r, json_t *in, const char *key, int64_t *kg)
{
    double t = 0;
    int rc = num_get(r, in, key, true, 0, TONNES_MAX, &t);
    if (!rc && (*kg = quota_kg(t)) <= 0) {
        rc = bad(r, 422, "invalid",
                 "数量须大于 0（吨/年，最多三位小数） / the amount must be above 0 (t/a, three "
                 "decimals)",
                 key);
    }
    return rc;
}

static bool date_ok(const char *d)
{
    int64_t y = 0, m = 0, day = 0;
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-' || parse_i64(d, 4, &y) ||
        parse_i64(d + 5, 2, &m) || parse_i64(d + 8, 2, &day)) {
        return false;
    }
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
    return y >= 2000 && y <= 2100 && m >= 1 && m <= 12 && day >= 1 &&
           day <= (m == 2 && !leap ? 28 : mdays[m - 1]);
}

static int date_get(struct req *r, json_t *in, const char *key, bool required, const char **out)
{
    int rc = json_get_str(r, in, key, 10, required, out);
    if (!rc && *out && !date_ok(*out)) {
        rc = bad(r, 422, "invalid",
                 arena_printf(r->a, "%s 格式为 YYYY-MM-DD / %s must be YYYY-MM-DD", key, key), key);
    }
    return rc ? ERR_INPUT : 0;
}

static int pollutant_get(struct req *r, json_t *in, const char *key, const struct quota_rules *q,
                         int *p)
{
    const char *s = json_string_value(json_object_get(in, key));
    *p = quota_pollutant_index(s);
    if (*p < 0) {
        return bad(r, 422, "invalid",
                   "污染物须为 cod、nh3n、so2、nox 或 vocs / pollutant must be cod, nh3n, so2, nox "
                   "or vocs",
                   key);
    }
    if (q && !q->eligible[*p]) {
        return bad(r, 422, "ineligible",
                   "现行规则集未将该污染物纳入排污权管理 / the rule set in force does not cover "
                   "this pollutant",
                   key);
    }
    return 0;
}

/* The year of a YYYY-MM-DD date (0 when not one). */
static int year_of(const char *d)
{
    int64_t y = 0;
    return d && !parse_i64(d, 4, &y) ? (int)y : 0;
}

static const char *str_or(const char *s, const char *d)
{
    return s ? s : d;
}

/* ---------------- reads ---------------- */

static int api_holdings(struct req *r)
{
    const char *e = req_query(r, "enterprise_id");
    int64_t ent = e ? strtoll(e, NULL, 10) : 0;
    struct db *db = store_read(app.store);
    bool truncated = false;
    buf_puts(&r->out, "{\"items\":");
    int rc = store_quota_holdings_json(db, &r->who->scope, ent > 0 ? ent : 0, HOLDINGS_MAX, &r->out,
                                       &truncated);
    buf_printf(&r->out, ",\"truncated\":%s,\"reserve\":{", truncated ? "true" : "false");
    int64_t res[QP_N];
    rc = rc ? rc : store_quota_reserve(db, res);
    for (int p = 0; !rc && p < QP_N; p++) {
        buf_printf(&r->out, "%s\"%s\":%lld", p ? "," : "", quota_pollutant_code[p],
                   r->who->role == ROLE_ENTERPRISE ? 0LL : (long long)res[p]);
    }
    buf_puts(&r->out, "}}");
    return entity_finish_read(r, db, rc);
}

static int api_enterprise(struct req *r)
{
    struct db *db = store_read(app.store);
    int64_t ent = req_id(r, 0);
    int rc = firm_visible(r, db, ent, "id", false);
    if (!rc) {
        buf_printf(&r->out, "{\"enterprise_id\":%lld,\"lots\":", (long long)ent);
        rc = store_quota_lots_json(db, ent, &r->out);
    }
    if (!rc) {
        buf_puts(&r->out, ",\"movements\":");
        rc = store_quota_moves_json(db, &r->who->scope, ent, 200, &r->out);
    }
    if (!rc) {
        buf_puts(&r->out, ",\"pledges\":");
        rc = store_quota_pledges_json(db, &r->who->scope, 0, ent, &r->out);
        buf_putc(&r->out, '}');
    }
    return entity_finish_read(r, db, rc);
}

static int api_movements(struct req *r)
{
    const char *e = req_query(r, "enterprise_id");
    int64_t ent = e ? strtoll(e, NULL, 10) : 0;
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":");
    int rc = store_quota_moves_json(db, &r->who->scope, ent > 0 ? ent : 0, 2000, &r->out);
    buf_putc(&r->out, '}');
    return entity_finish_read(r, db, rc);
}

static void reserve_json(struct buf *out, const int64_t res[QP_N])
{
    buf_puts(out, "{\"items\":[");
    for (int p = 0; p < QP_N; p++) {
        buf_printf(out, "%s{\"pollutant\":\"%s\",\"amount_kg\":%lld}", p ? "," : "",
                   quota_pollutant_code[p], (long long)res[p]);
    }
    buf_puts(out, "]}");
}

static int api_reserve(struct req *r)
{
    struct db *db = store_read(app.store);
    int64_t res[QP_N];
    int rc = store_quota_reserve(db, res);
    if (!rc) {
        reserve_json(&r->out, res);
    }
    return entity_finish_read(r, db, rc);
}

/* ---------------- writes on lots ---------------- */

/* A move of kg of pollutant out of ent's free lots (never a pledged part): the lots lose what
   quota_take gives; each part gets fn (the lot taken from, the amount). 409 naming amount_t
   when short. */
typedef int (*part_fn)(struct db *db, const struct quota_lot_row *from, int64_t kg, void *ctx);

static int take_parts(struct req *r, struct db *db, int64_t ent, int p, int64_t kg, const char *now,
                      part_fn fn, void *ctx)
{
    struct quota_lot_row *rows = arena_alloc(r->a, LOTS_MAX * sizeof *rows);
    struct quota_lot *lots = arena_alloc(r->a, LOTS_MAX * sizeof *lots);
    int64_t *take = arena_alloc(r->a, LOTS_MAX * sizeof *take);
    size_t n = 0;
    int rc = store_quota_lots(db, ent, quota_pollutant_code[p], rows, LOTS_MAX, &n);
    if (rc) {
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        lots[i] = (struct quota_lot){
            .id = rows[i].id, .amount = rows[i].amount, .pledged = rows[i].pledged, .active = true};
        memcpy(lots[i].valid_from, rows[i].valid_from, 11);
        memcpy(lots[i].valid_to, rows[i].valid_to, 11);
    }
    char d[11];
    today(d);
    int64_t free_kg = 0;
    if (quota_take(lots, n, kg, d, take, &free_kg)) {
        return bad(r, 409, "insufficient",
                   arena_printf(r->a,
                                "可用排污权不足：可用 %.3f 吨/年（已质押部分不能转让、回购或注销）"
                                " / not enough free rights: %.3f t/a free (a pledged part cannot "
                                "be traded, sold back or retired)",
                                free_kg / 1000.0, free_kg / 1000.0),
                   "amount_t");
    }
    for (size_t i = 0; !rc && i < n; i++) {
        if (take[i]) {
            rc = store_quota_lot_adjust(db, rows[i].id, -take[i], 0, now);
            rc = rc ? rc : fn(db, &rows[i], take[i], ctx);
        }
    }
    return rc;
}

static int api_allocate(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct quota_rules q;
    struct rule_ref ref = {0};
    char now[32], d[11];
    now_iso(now);
    today(d);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    rc = load_rules(db, 0, &q, &ref);
    int64_t ent = 0, kg = 0, id = 0;
    int p = -1;
    double price = 0;
    const char *origin = NULL, *from = NULL, *to = NULL, *note = NULL;
    rc = rc ? rc : int_get(r, in, "enterprise_id", &ent);
    rc = rc ? rc : pollutant_get(r, in, "pollutant", &q, &p);
    rc = rc ? rc : amount_get(r, in, "amount_t", &kg);
    rc = rc ? rc : (json_get_str(r, in, "origin", 16, true, &origin) ? ERR_INPUT : 0);
    if (!rc && strcmp(origin, "initial") && strcmp(origin, "purchase")) {
        rc = bad(r, 422, "invalid",
                 "来源须为 initial（初始分配）或 purchase（有偿使用） / origin must be initial "
                 "or purchase",
                 "origin");
    }
    rc = rc ? rc : date_get(r, in, "valid_from", false, &from);
    rc = rc ? rc : date_get(r, in, "valid_to", true, &to);
    rc = rc ? rc : num_get(r, in, "price", false, 0, YUAN_MAX, &price);
    rc = rc ? rc : (json_get_str(r, in, "note", TEXT_MAX, false, &note) ? ERR_INPUT : 0);
    from = from ? from : d;
    if (!rc && strcmp(to, from) < 0) {
        rc = bad(r, 422, "invalid", "有效期止不能早于起 / valid_to is before valid_from",
                 "valid_to");
    }
    rc = rc ? rc : firm_visible(r, db, ent, "enterprise_id", true);
    struct quota_lot_new l = {.enterprise_id = ent,
                              .pollutant = p >= 0 ? quota_pollutant_code[p] : "",
                              .origin = origin,
                              .valid_from = from,
                              .valid_to = to,
                              .note = note,
                              .amount = kg,
                              .price = price};
    rc = rc ? rc : store_quota_lot_insert(db, &l, now, &id);
    struct quota_move m = {.kind = !rc && !strcmp(origin, "purchase") ? "purchase" : "allocate",
                           .pollutant = l.pollutant,
                           .amount = kg,
                           .to_ent = ent,
                           .lot_id = id,
                           .price = price,
                           .note = note,
                           .user = r->who->user_id};
    rc = rc ? rc : store_quota_move(db, &m, now);
    rc = rc ? rc : rules_mark_used(db, &ref);
    if (!rc) {
        buf_printf(&r->out,
                   "{\"id\":%lld,\"enterprise_id\":%lld,\"pollutant\":\"%s\",\"amount_kg\":%lld}",
                   (long long)id, (long long)ent, l.pollutant, (long long)kg);
        rc = audit_write(r, db, "quota_lot", id, "quota_allocate", NULL, r->out.p);
    }
    json_decref(in);
    return entity_finish_write(r, db, rc, 201);
}

static int api_reserve_add(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct quota_rules q;
    struct rule_ref ref = {0};
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    int p = -1;
    int64_t kg = 0, res[QP_N];
    const char *note = NULL;
    rc = load_rules(db, 0, &q, &ref);
    rc = rc ? rc : pollutant_get(r, in, "pollutant", &q, &p);
    rc = rc ? rc : amount_get(r, in, "amount_t", &kg);
    rc = rc ? rc : (json_get_str(r, in, "note", TEXT_MAX, true, &note) ? ERR_INPUT : 0);
    rc = rc ? rc : store_quota_reserve_add(db, quota_pollutant_code[p], kg, now);
    struct quota_move m = {.kind = "reserve_add",
                           .pollutant = p >= 0 ? quota_pollutant_code[p] : "",
                           .amount = kg,
                           .note = note,
                           .user = r->who->user_id};
    rc = rc ? rc : store_quota_move(db, &m, now);
    rc = rc ? rc : store_quota_reserve(db, res);
    if (!rc) {
        reserve_json(&r->out, res);
        rc = audit_write(r, db, "quota_reserve", 0, "quota_reserve_add", NULL, r->out.p);
    }
    json_decref(in);
    return entity_finish_write(r, db, rc, 200);
}

struct move_ctx {
    const char *kind, *now, *note, *pollutant;
    int64_t from_ent, to_ent, user, ref_id;
    double price;
    const char *to_origin; /* a new lot for to_ent from each part ("trade"); NULL: none */
    struct buf *lots;      /* the new lots' ids */
};

static int move_part(struct db *db, const struct quota_lot_row *from, int64_t kg, void *ctx)
{
    struct move_ctx *c = ctx;
    int64_t id = 0;
    int rc = 0;
    char d[11];
    today(d);
    if (c->to_origin) {
        /* the buyer's lot keeps the source lot's term (its parent is the source) */
        struct quota_lot_new l = {.enterprise_id = c->to_ent,
                                  .parent_id = from->id,
                                  .pollutant = c->pollutant,
                                  .origin = c->to_origin,
                                  .valid_from =
                                      strcmp(from->valid_from, d) > 0 ? from->valid_from : d,
                                  .valid_to = from->valid_to,
                                  .note = c->note,
                                  .amount = kg,
                                  .price = c->price};
        rc = store_quota_lot_insert(db, &l, c->now, &id);
        if (!rc && c->lots) {
            buf_printf(c->lots, "%s%lld", c->lots->len > 1 ? "," : "", (long long)id);
        }
    }
    struct quota_move m = {.kind = c->kind,
                           .pollutant = c->pollutant,
                           .amount = kg,
                           .from_ent = c->from_ent,
                           .to_ent = c->to_ent,
                           .lot_id = id ? id : from->id,
                           .price = c->price,
                           .note = c->note,
                           .user = c->user};
    return rc ? rc : store_quota_move(db, &m, c->now);
}

enum move_kind { MK_TRADE, MK_BUYBACK, MK_RETIRE };

/* Trades (seller → buyer), buybacks (firm → reserve) and retirements (firm → gone). */
static int move_out(struct req *r, enum move_kind kind)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct quota_rules q;
    struct rule_ref ref = {0};
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t seller = 0, buyer = 0, kg = 0;
    int p = -1;
    double price = 0;
    const char *note = NULL;
    rc = load_rules(db, 0, &q, &ref);
    rc = rc ? rc : int_get(r, in, kind == MK_TRADE ? "seller_id" : "enterprise_id", &seller);
    if (!rc && kind == MK_TRADE) {
        rc = int_get(r, in, "buyer_id", &buyer);
        if (!rc && buyer == seller) {
            rc = bad(r, 422, "invalid", "买卖双方不能相同 / the buyer is the seller", "buyer_id");
        }
    }
    rc = rc ? rc : pollutant_get(r, in, "pollutant", &q, &p);
    rc = rc ? rc : amount_get(r, in, "amount_t", &kg);
    rc = rc ? rc : num_get(r, in, "price", kind != MK_RETIRE, 0, YUAN_MAX, &price);
    rc =
        rc ? rc : (json_get_str(r, in, "note", TEXT_MAX, kind == MK_RETIRE, &note) ? ERR_INPUT : 0);
    rc = rc ? rc
            : firm_visible(r, db, seller, kind == MK_TRADE ? "seller_id" : "enterprise_id", false);
    rc = rc ? rc : kind == MK_TRADE ? firm_visible(r, db, buyer, "buyer_id", true) : 0;
    struct buf lots;
    buf_init(&lots, 64);
    buf_putc(&lots, '[');
    struct move_ctx c = {.kind = kind == MK_TRADE     ? "trade"
                                 : kind == MK_BUYBACK ? "buyback"
                                                      : "retire",
                         .now = now,
                         .note = note,
                         .pollutant = p >= 0 ? quota_pollutant_code[p] : "",
                         .from_ent = seller,
                         .to_ent = buyer,
                         .user = r->who->user_id,
                         .price = price,
                         .to_origin = kind == MK_TRADE ? "trade" : NULL,
                         .lots = &lots};
    rc = rc ? rc : take_parts(r, db, seller, p, kg, now, move_part, &c);
    if (!rc && kind == MK_BUYBACK) {
        rc = store_quota_reserve_add(db, quota_pollutant_code[p], kg, now);
    }
    rc = rc ? rc : rules_mark_used(db, &ref);
    buf_putc(&lots, ']');
    if (!rc) {
        buf_printf(&r->out,
                   "{\"kind\":\"%s\",\"enterprise_id\":%lld,\"buyer_id\":%lld,\"pollutant\":\"%s\","
                   "\"amount_kg\":%lld,\"price\":%.2f,\"new_lots\":%s}",
                   c.kind, (long long)seller, (long long)buyer, quota_pollutant_code[p],
                   (long long)kg, price, lots.p);
        rc = audit_write(r, db, kind == MK_TRADE ? "quota_lot" : "quota_reserve",
                         kind == MK_TRADE ? strtoll(lots.p + 1, NULL, 10) : 0,
                         kind == MK_TRADE     ? "quota_trade"
                         : kind == MK_BUYBACK ? "quota_buyback"
                                              : "quota_retire",
                         NULL, r->out.p);
    }
    buf_release(&lots);
    json_decref(in);
    return entity_finish_write(r, db, rc, 201);
}

static int api_trade(struct req *r)
{
    return move_out(r, MK_TRADE);
}
static int api_buyback(struct req *r)
{
    return move_out(r, MK_BUYBACK);
}
static int api_retire(struct req *r)
{
    return move_out(r, MK_RETIRE);
}

/* A lot for ent out of the reserve (its sale or a review served): reserve -= kg. */
static int reserve_to_lot(struct db *db, int64_t ent, const char *pollutant, int64_t kg,
                          double price, const char *valid_to, int64_t ref_review, int64_t user,
                          const char *note, const char *now, int64_t *lot)
{
    char d[11];
    today(d);
    struct quota_lot_new l = {.enterprise_id = ent,
                              .pollutant = pollutant,
                              .origin = "reserve",
                              .valid_from = d,
                              .valid_to = valid_to,
                              .note = note,
                              .amount = kg,
                              .price = price};
    int rc = store_quota_reserve_add(db, pollutant, -kg, now);
    rc = rc ? rc : store_quota_lot_insert(db, &l, now, lot);
    struct quota_move m = {.kind = "reserve_sale",
                           .pollutant = pollutant,
                           .amount = kg,
                           .to_ent = ent,
                           .lot_id = *lot,
                           .price = price,
                           .ref_kind = ref_review ? "quota_review" : "",
                           .ref_id = ref_review,
                           .note = note,
                           .user = user};
    return rc ? rc : store_quota_move(db, &m, now);
}

static int api_reserve_sale(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct quota_rules q;
    struct rule_ref ref = {0};
    char now[32], d[11];
    now_iso(now);
    today(d);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t ent = 0, kg = 0, lot = 0, res[QP_N];
    int p = -1;
    double price = 0;
    const char *to = NULL, *note = NULL;
    rc = load_rules(db, 0, &q, &ref);
    rc = rc ? rc : int_get(r, in, "enterprise_id", &ent);
    rc = rc ? rc : pollutant_get(r, in, "pollutant", &q, &p);
    rc = rc ? rc : amount_get(r, in, "amount_t", &kg);
    rc = rc ? rc : num_get(r, in, "price", true, 0, YUAN_MAX, &price);
    rc = rc ? rc : date_get(r, in, "valid_to", true, &to);
    rc = rc ? rc : (json_get_str(r, in, "note", TEXT_MAX, false, &note) ? ERR_INPUT : 0);
    if (!rc && strcmp(to, d) < 0) {
        rc = bad(r, 422, "invalid", "有效期止已过 / valid_to is past", "valid_to");
    }
    rc = rc ? rc : firm_visible(r, db, ent, "enterprise_id", true);
    rc = rc ? rc : store_quota_reserve(db, res);
    if (!rc && res[p] < kg) {
        rc = bad(r, 409, "reserve_short",
                 arena_printf(r->a, "储备库余量不足：%.3f 吨/年 / the reserve holds %.3f t/a",
                              res[p] / 1000.0, res[p] / 1000.0),
                 "amount_t");
    }
    rc = rc ? rc
            : reserve_to_lot(db, ent, quota_pollutant_code[p], kg, price, to, 0, r->who->user_id,
                             note, now, &lot);
    rc = rc ? rc : rules_mark_used(db, &ref);
    if (!rc) {
        buf_printf(&r->out,
                   "{\"id\":%lld,\"enterprise_id\":%lld,\"pollutant\":\"%s\",\"amount_kg\":%lld}",
                   (long long)lot, (long long)ent, quota_pollutant_code[p], (long long)kg);
        rc = audit_write(r, db, "quota_lot", lot, "quota_reserve_sale", NULL, r->out.p);
    }
    json_decref(in);
    return entity_finish_write(r, db, rc, 201);
}

/* ---------------- reviews ---------------- */

static const char *const SOURCE_KINDS[] = {"reduction", "closure", "trade", "reserve", NULL};

static int review_item(struct req *r, const struct quota_rules *q, json_t *o, size_t i, int *p,
                       int64_t *new_kg, bool *missed, double *ratio, int64_t *required,
                       int64_t *reserve_kg, char **sources)
{
    char f[64];
    snprintf(f, sizeof f, "items[%zu].pollutant", i);
    if (!json_is_object(o)) {
        return bad(r, 422, "invalid", "指标须为对象 / an item must be an object",
                   arena_printf(r->a, "items[%zu]", i));
    }
    const char *ps = json_string_value(json_object_get(o, "pollutant"));
    *p = quota_pollutant_index(ps);
    if (*p < 0 || !q->eligible[*p]) {
        return bad(r, 422, "invalid",
                   "污染物无效或不在现行规则集内 / the pollutant is unknown or not in the rule set",
                   arena_strdup(r->a, f));
    }
    json_t *a = json_object_get(o, "amount_t");
    snprintf(f, sizeof f, "items[%zu].amount_t", i);
    if (!json_is_number(a) || (*new_kg = quota_kg(json_number_value(a))) <= 0 ||
        json_number_value(a) > TONNES_MAX) {
        return bad(r, 422, "invalid",
                   "新增排放量须大于 0（吨/年） / the new amount must be > 0 t/a",
                   arena_strdup(r->a, f));
    }
    json_t *m = json_object_get(o, "missed_target");
    if (m && !json_is_boolean(m)) {
        snprintf(f, sizeof f, "items[%zu].missed_target", i);
        return bad(r, 422, "invalid", "须为 true 或 false / must be a boolean",
                   arena_strdup(r->a, f));
    }
    *missed = m && json_is_true(m);
    *ratio = quota_ratio(q, *missed);
    *required = quota_required(*new_kg, *ratio);
    json_t *src = json_object_get(o, "sources");
    snprintf(f, sizeof f, "items[%zu].sources", i);
    if (!json_is_array(src) || !json_array_size(src) || json_array_size(src) > SOURCES_MAX) {
        return bad(r, 422, "required", "请填写替代来源（1–20 条） / sources (1 to 20) are required",
                   arena_strdup(r->a, f));
    }
    json_t *clean = json_array();
    int64_t sum = 0;
    *reserve_kg = 0;
    size_t k;
    json_t *s;
    json_array_foreach (src, k, s) {
        const char *kind = json_string_value(json_object_get(s, "kind"));
        bool ok = false;
        for (int j = 0; kind && SOURCE_KINDS[j]; j++) {
            ok = ok || !strcmp(kind, SOURCE_KINDS[j]);
        }
        json_t *sa = json_object_get(s, "amount_t");
        int64_t skg = json_is_number(sa) && json_number_value(sa) <= TONNES_MAX
                          ? quota_kg(json_number_value(sa))
                          : -1;
        const char *note = json_string_value(json_object_get(s, "note"));
        if (!ok || skg <= 0 || (note && strlen(note) > NAME_MAX_B)) {
            json_decref(clean);
            snprintf(f, sizeof f, "items[%zu].sources[%zu]", i, k);
            return bad(r, 422, "invalid",
                       "来源须有类型（reduction、closure、trade、reserve）与大于 0 的数量 / a "
                       "source needs a kind (reduction, closure, trade, reserve) and an amount > 0",
                       arena_strdup(r->a, f));
        }
        sum += skg;
        if (!strcmp(kind, "reserve")) {
            *reserve_kg += skg;
        }
        json_array_append_new(clean, json_pack("{s:s,s:I,s:s}", "kind", kind, "amount_kg",
                                               (json_int_t)skg, "note", note ? note : ""));
    }
    if (sum != *required) {
        json_decref(clean);
        return bad(r, 422, "sources_mismatch",
                   arena_printf(r->a,
                                "替代来源合计 %.3f 吨/年，应为 %.3f 吨/年（新增 × %g 倍） / the "
                                "sources sum to %.3f t/a, %.3f t/a are required (new × %g)",
                                sum / 1000.0, *required / 1000.0, *ratio, sum / 1000.0,
                                *required / 1000.0, *ratio),
                   arena_strdup(r->a, f));
    }
    char *js = json_dumps(clean, JSON_COMPACT);
    *sources = arena_strdup(r->a, js);
    free(js);
    json_decref(clean);
    return 0;
}

static int api_review_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct quota_rules q;
    struct rule_ref ref = {0};
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    struct quota_review_new v = {.user = r->who->user_id};
    rc = load_rules(db, 0, &q, &ref);
    v.rule_set_id = ref.id;
    rc = rc ? rc : int_get(r, in, "enterprise_id", &v.enterprise_id);
    rc = rc ? rc : (json_get_str(r, in, "project", NAME_MAX_B, true, &v.project) ? ERR_INPUT : 0);
    if (!rc && !*v.project) {
        rc = bad(r, 422, "required", "请填写项目名称 / project is required", "project");
    }
    rc = rc ? rc
            : (json_get_str(r, in, "approval_ref", NAME_MAX_B, false, &v.approval_ref) ? ERR_INPUT
                                                                                       : 0);
    rc = rc ? rc : num_get(r, in, "investment_yuan", true, 0, YUAN_MAX, &v.investment_yuan);
    rc = rc ? rc : bool_get(r, in, "livelihood", &v.livelihood);
    json_t *items = json_object_get(in, "items");
    if (!rc &&
        (!json_is_array(items) || !json_array_size(items) || json_array_size(items) > ITEMS_MAX)) {
        rc = bad(r, 422, "required", "请填写总量指标（1–5 项） / items (1 to 5) are required",
                 "items");
    }
    rc = rc ? rc : firm_visible(r, db, v.enterprise_id, "enterprise_id", true);
    v.tier = quota_tier_code[rc ? QT_NORMAL : quota_tier(&q, v.investment_yuan, v.livelihood)];
    v.approval_ref = str_or(v.approval_ref, "");
    int64_t id = 0;
    rc = rc ? rc : store_quota_review_insert(db, &v, now, &id);
    bool seen[QP_N] = {0};
    for (size_t i = 0; !rc && i < json_array_size(items); i++) {
        int p;
        int64_t new_kg, required, reserve_kg;
        bool missed;
        double ratio;
        char *sources;
        rc = review_item(r, &q, json_array_get(items, i), i, &p, &new_kg, &missed, &ratio,
                         &required, &reserve_kg, &sources);
        if (!rc && seen[p]) {
            rc = bad(r, 422, "duplicate", "同一污染物只能填一项 / one item per pollutant",
                     arena_printf(r->a, "items[%zu].pollutant", i));
        }
        if (!rc) {
            seen[p] = true;
            rc = store_quota_review_item(db, id, quota_pollutant_code[p], new_kg, missed, ratio,
                                         required, reserve_kg, sources);
        }
    }
    rc = rc ? rc : rules_mark_used(db, &ref);
    int64_t ent;
    rc = rc ? rc : store_quota_review_json(db, id, &ent, &r->out);
    rc = rc ? rc : audit_write(r, db, "quota_review", id, "quota_review", NULL, r->out.p);
    json_decref(in);
    return entity_finish_write(r, db, rc, 201);
}

static int api_reviews(struct req *r)
{
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":");
    int rc = store_quota_reviews_json(db, &r->who->scope, &r->out);
    buf_putc(&r->out, '}');
    return entity_finish_read(r, db, rc);
}

static int api_review(struct req *r)
{
    struct db *db = store_read(app.store);
    int64_t ent = 0, id = req_id(r, 0);
    size_t mark = r->out.len;
    int rc = id > 0 ? store_quota_review_json(db, id, &ent, &r->out) : ERR_NOTFOUND;
    if (!rc) {
        char region[16], status[16];
        rc = store_quota_enterprise(db, ent, region, status);
        if (!rc && !store_scope_allows(&r->who->scope, ent, region)) {
            rc = ERR_NOTFOUND;
        }
    }
    if (rc == ERR_NOTFOUND) {
        r->out.len = mark;
        resp_error(r, 404, "not_found", "没有该总量审核 / no such review", "id");
    }
    return entity_finish_read(r, db, rc);
}

struct claims {
    struct quota_claim *c;
    int64_t *ent;
    size_t n, cap;
};

static void claim_add(int64_t id, int64_t ent, const char *tier, const char *at,
                      const int64_t need[5], void *ctx)
{
    struct claims *c = ctx;
    if (c->n == c->cap) {
        return;
    }
    struct quota_claim *k = &c->c[c->n++];
    memset(k, 0, sizeof *k);
    k->id = id;
    k->tier = QT_NORMAL;
    for (int t = 0; t < QT_N; t++) {
        if (!strcmp(tier, quota_tier_code[t])) {
            k->tier = t;
        }
    }
    snprintf(k->submitted_at, sizeof k->submitted_at, "%s", at);
    memcpy(k->need, need, sizeof k->need);
    (void)ent;
}

/* The reserve serves the waiting reviews in priority order (quota_serve): each served review's
   reserve parts become lots of its enterprise (valid five years, 排污权 reset every 5 years). */
static int api_serve(struct req *r)
{
    char now[32], d[11], to[11];
    now_iso(now);
    today(d);
    snprintf(to, sizeof to, "%04u%.6s", (unsigned)(year_of(d) + 5) % 10000u, d + 4);
    if (!strcmp(to + 4, "-02-29")) {
        memcpy(to + 8, "28", 2);
    }
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct claims c = {.cap = 2000};
    c.c = arena_alloc(r->a, c.cap * sizeof *c.c);
    int64_t res[QP_N];
    rc = store_quota_claims_each(db, claim_add, &c);
    rc = rc ? rc : store_quota_reserve(db, res);
    bool *served = arena_zalloc(r->a, (c.n + 1) * sizeof *served);
    size_t k = rc ? 0 : quota_serve(c.c, c.n, res, served);
    if (!rc) {
        buf_puts(&r->out, "{\"order\":[");
    }
    for (size_t i = 0; !rc && i < c.n; i++) {
        buf_printf(&r->out, "%s{\"review_id\":%lld,\"tier\":\"%s\",\"served\":%s}", i ? "," : "",
                   (long long)c.c[i].id, quota_tier_code[c.c[i].tier],
                   served[i] ? "true" : "false");
        if (!served[i]) {
            continue;
        }
        size_t mark = r->out.len;
        int64_t ent = 0;
        rc = store_quota_review_json(db, c.c[i].id, &ent, &r->out);
        r->out.len = mark;
        r->out.p[mark] = 0;
        for (int p = 0; !rc && p < QP_N; p++) {
            int64_t lot = 0;
            if (c.c[i].need[p] > 0) {
                rc = reserve_to_lot(db, ent, quota_pollutant_code[p], c.c[i].need[p], 0, to,
                                    c.c[i].id, r->who->user_id, "总量审核储备指标", now, &lot);
                rc = rc ? rc
                        : store_quota_review_item_lot(db, c.c[i].id, quota_pollutant_code[p], lot);
            }
        }
        rc = rc ? rc : store_quota_review_served(db, c.c[i].id, now);
    }
    if (!rc) {
        buf_printf(&r->out, "],\"served\":%zu,\"waiting\":%zu,\"reserve\":", k, c.n - k);
        int64_t left[QP_N];
        rc = store_quota_reserve(db, left);
        if (!rc) {
            reserve_json(&r->out, left);
            buf_putc(&r->out, '}');
            rc = audit_write(r, db, "quota_reserve", 0, "quota_serve", NULL, r->out.p);
        }
    }
    return entity_finish_write(r, db, rc, 200);
}

/* ---------------- banks ---------------- */

static int api_banks(struct req *r)
{
    struct db *db = store_read(app.store);
    buf_puts(&r->out, "{\"items\":");
    int rc = store_quota_banks_json(db, &r->out);
    buf_putc(&r->out, '}');
    return entity_finish_read(r, db, rc);
}

static int api_bank_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *name = NULL;
    if (json_get_str(r, in, "name", NAME_MAX_B, true, &name)) {
        json_decref(in);
        return 0;
    }
    if (!*name) {
        json_decref(in);
        return resp_error(r, 422, "required", "请填写银行名称 / name is required", "name");
    }
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t id = 0;
    rc = store_quota_bank_insert(db, name, now, &id);
    if (rc == ERR_CONFLICT) {
        resp_error(r, 409, "duplicate", "该银行已登记 / the bank exists", "name");
    }
    if (!rc) {
        buf_printf(&r->out, "{\"id\":%lld,\"name\":", (long long)id);
        buf_json_str(&r->out, name, strlen(name));
        buf_putc(&r->out, '}');
        rc = audit_write(r, db, "quota_bank", id, "quota_bank", NULL, r->out.p);
    }
    json_decref(in);
    return entity_finish_write(r, db, rc, 201);
}

static int api_bank_user(struct req *r)
{
    int64_t bank = req_id(r, 0), user = req_id(r, 1);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    if (bank <= 0 || !store_quota_bank_exists(db, bank)) {
        rc = bad(r, 404, "not_found", "没有该银行 / no such bank", "id");
    }
    char role[16] = "";
    if (!rc) {
        store_quota_user_role(db, user, role);
    }
    if (!rc && strcmp(role, "bank")) {
        rc = bad(r, 422, "invalid", "该用户不是银行用户 / the user's role is not bank", "user_id");
    }
    rc = rc ? rc : store_quota_bank_user(db, user, bank);
    if (!rc) {
        buf_printf(&r->out, "{\"bank_id\":%lld,\"user_id\":%lld}", (long long)bank,
                   (long long)user);
        rc = audit_write(r, db, "quota_bank", bank, "quota_bank_user", NULL, r->out.p);
    }
    return entity_finish_write(r, db, rc, 200);
}

/* ---------------- pledges ---------------- */

/* The pledge a route names, as the caller may see it: a bank only its own bank's, others
   within scope. */
static int pledge_visible(struct req *r, struct db *db, struct quota_pledge_row *p)
{
    int64_t id = req_id(r, 0);
    int rc = id > 0 ? store_quota_pledge_get(db, id, p) : ERR_NOTFOUND;
    if (!rc && r->who->role == ROLE_BANK) {
        rc = store_quota_user_bank(db, r->who->user_id) == p->bank_id ? 0 : ERR_NOTFOUND;
    } else if (!rc) {
        char region[16], status[16];
        rc = store_quota_enterprise(db, p->enterprise_id, region, status);
        rc = rc                                                             ? rc
             : store_scope_allows(&r->who->scope, p->enterprise_id, region) ? 0
                                                                            : ERR_NOTFOUND;
    }
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该质押申请 / no such pledge", "id");
    }
    return rc;
}

static int api_pledges(struct req *r)
{
    struct db *db = store_read(app.store);
    int64_t bank = 0;
    int rc = 0;
    if (r->who->role == ROLE_BANK) {
        bank = store_quota_user_bank(db, r->who->user_id);
        if (!bank) {
            buf_puts(&r->out, "{\"items\":[]}");
            return entity_finish_read(r, db, 0);
        }
    }
    buf_puts(&r->out, "{\"items\":");
    rc = store_quota_pledges_json(db, &r->who->scope, bank, 0, &r->out);
    buf_putc(&r->out, '}');
    return entity_finish_read(r, db, rc);
}

static int api_pledge(struct req *r)
{
    struct db *db = store_read(app.store);
    struct quota_pledge_row p;
    int rc = pledge_visible(r, db, &p);
    rc = rc ? rc : store_quota_pledge_json(db, p.id, &r->out);
    return entity_finish_read(r, db, rc);
}

static int pledge_answer(struct req *r, struct db *db, int64_t id, const char *action, int rc)
{
    rc = rc ? rc : store_quota_pledge_json(db, id, &r->out);
    rc = rc ? rc : audit_write(r, db, "quota_pledge", id, action, NULL, r->out.p);
    return entity_finish_write(r, db, rc, 200);
}

static int api_pledge_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct quota_rules q;
    struct rule_ref ref = {0};
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    struct quota_pledge_new v = {.user = r->who->user_id};
    int p = -1;
    rc = load_rules(db, 0, &q, &ref);
    v.rule_set_id = ref.id;
    if (r->who->role == ROLE_ENTERPRISE) {
        v.enterprise_id = r->who->enterprise_id;
    } else {
        rc = rc ? rc : int_get(r, in, "enterprise_id", &v.enterprise_id);
    }
    rc = rc ? rc : int_get(r, in, "bank_id", &v.bank_id);
    rc = rc ? rc : pollutant_get(r, in, "pollutant", &q, &p);
    rc = rc ? rc : amount_get(r, in, "amount_t", &v.amount);
    rc = rc ? rc : num_get(r, in, "appraised_yuan", true, 1, YUAN_MAX, &v.appraised);
    rc = rc ? rc : num_get(r, in, "requested_yuan", true, 1, YUAN_MAX, &v.requested);
    rc = rc ? rc : (json_get_str(r, in, "note", TEXT_MAX, false, &v.note) ? ERR_INPUT : 0);
    if (!rc && v.requested > quota_pledge_cap(&q, v.appraised)) {
        rc = bad(r, 422, "over_cap",
                 arena_printf(r->a,
                              "申请额超过评估价值的 %g%%（%.0f 元） / the request exceeds %g%% of "
                              "the appraised value (%.0f yuan)",
                              q.share_percent, quota_pledge_cap(&q, v.appraised), q.share_percent,
                              quota_pledge_cap(&q, v.appraised)),
                 "requested_yuan");
    }
    rc = rc ? rc : firm_visible(r, db, v.enterprise_id, "enterprise_id", true);
    if (!rc && !store_quota_bank_exists(db, v.bank_id)) {
        rc = bad(r, 422, "invalid", "没有该银行 / no such bank", "bank_id");
    }
    v.pollutant = p >= 0 ? quota_pollutant_code[p] : "";
    int64_t id = 0;
    rc = rc ? rc : store_quota_pledge_insert(db, &v, now, &id);
    rc = rc ? rc : rules_mark_used(db, &ref);
    if (rc) {
        json_decref(in);
        return entity_finish_write(r, db, rc, 201);
    }
    rc = store_quota_pledge_json(db, id, &r->out);
    rc = rc ? rc : audit_write(r, db, "quota_pledge", id, "quota_pledge_apply", NULL, r->out.p);
    json_decref(in);
    return entity_finish_write(r, db, rc, 201);
}

static int state_is(struct req *r, const struct quota_pledge_row *p, const char *want)
{
    if (strcmp(p->state, want)) {
        return bad(r, 409, "wrong_state",
                   arena_printf(r->a, "申请当前状态为 %s，须为 %s / the pledge is %s, not %s",
                                p->state, want, p->state, want),
                   "state");
    }
    return 0;
}

/* The free kg of ent's pollutant today. */
static int free_kg(struct req *r, struct db *db, int64_t ent, const char *pollutant, int64_t *out)
{
    struct quota_lot_row *rows = arena_alloc(r->a, LOTS_MAX * sizeof *rows);
    size_t n = 0;
    char d[11];
    today(d);
    int rc = store_quota_lots(db, ent, pollutant, rows, LOTS_MAX, &n);
    *out = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        struct quota_lot l = {.amount = rows[i].amount, .pledged = rows[i].pledged, .active = true};
        memcpy(l.valid_from, rows[i].valid_from, 11);
        memcpy(l.valid_to, rows[i].valid_to, 11);
        *out += quota_lot_free(&l, d);
    }
    return rc;
}

struct emis {
    const int *pidx;
    double kg[QP_N];
    int64_t days[QP_N];
};
static void emis_held(int64_t ent, const char *pollutant, int64_t kg, void *ctx)
{
    (void)ent, (void)pollutant, (void)kg, (void)ctx; /* the holdings are read apart */
}
static void emis_add(int64_t ent, int factor, int64_t point, const char *name, double kg,
                     int64_t days, void *ctx)
{
    (void)ent, (void)point, (void)name;
    struct emis *e = ctx;
    e->kg[e->pidx[factor]] += kg;
    e->days[e->pidx[factor]] += days;
}

/* Whether ent emitted more of any eligible pollutant in year than it held at the year's end (the
   emissions page's totals, within the caller's scope: the caller sees the firm). */
static int over_in_year(struct req *r, struct db *db, const struct quota_rules *q, int64_t ent,
                        const char *year, bool *over)
{
    char end[11];
    snprintf(end, sizeof end, "%.4s-12-31", year);
    int64_t held[QP_N];
    const char *factors[QP_N];
    int pidx[QP_N], n = 0;
    for (int p = 0; p < QP_N; p++) {
        if (q->eligible[p] && q->factor[p][0]) {
            factors[n] = q->factor[p];
            pidx[n++] = p;
        }
    }
    struct emis e = {.pidx = pidx};
    int rc = store_quota_held(db, ent, end, held);
    rc = rc ? rc
            : store_quota_emissions(db, &r->who->scope, ent, end, year, factors, n, emis_held,
                                    emis_add, &e);
    *over = false;
    for (int p = 0; !rc && p < QP_N; p++) {
        *over = *over || (e.days[p] && quota_usage(q, e.kg[p], held[p]) >= QU_OVER);
    }
    return rc;
}

static const char *reasons_list(struct req *r, unsigned why)
{
    static const char *const names[] = {"holdings", "over_quota", "credit", "incident",
                                        "ineligible"};
    const char *s = "";
    for (int i = 0; i < 5; i++) {
        if (why & (1u << i)) {
            s = arena_printf(r->a, "%s%s%s", s, *s ? "," : "", names[i]);
        }
    }
    return s;
}

static int api_pledge_check(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    bool incident = false;
    if (bool_get(r, in, "major_incident", &incident)) {
        json_decref(in);
        return 0;
    }
    json_decref(in);
    char now[32], d[11], year[8];
    now_iso(now);
    today(d);
    snprintf(year, sizeof year, "%04u", (unsigned)(year_of(d) - 1) % 10000u);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct quota_pledge_row p;
    struct quota_rules q;
    struct rule_ref ref = {0};
    rc = pledge_visible(r, db, &p);
    rc = rc ? rc : state_is(r, &p, "applied");
    rc = rc ? rc : load_rules(db, p.rule_set_id, &q, &ref);
    struct quota_pledge_facts f = {.pollutant = quota_pollutant_index(p.pollutant),
                                   .amount = p.amount,
                                   .major_incident = incident};
    rc = rc ? rc : free_kg(r, db, p.enterprise_id, p.pollutant, &f.free_kg);
    rc = rc ? rc : over_in_year(r, db, &q, p.enterprise_id, year, &f.over_quota_last_year);
    struct credit_grade g = {0};
    if (!rc && !credit_grade_at(db, "enterprise", p.enterprise_id, d, &g)) {
        f.credit_grade = g.grade;
    }
    unsigned why = rc ? 0 : quota_pledge_reasons(&q, &f);
    rc =
        rc ? rc
           : store_quota_pledge_checked(db, p.id, why ? "refused" : "checked", reasons_list(r, why),
                                        g.grade, incident, r->who->user_id, now);
    return pledge_answer(r, db, p.id, "quota_pledge_check", rc);
}

static int api_pledge_decide(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    bool approve = false;
    double loan = 0, rate = 0;
    const char *note = NULL;
    int rc = bool_get(r, in, "approve", &approve);
    if (!rc && !json_object_get(in, "approve")) {
        rc = bad(r, 422, "required", "请填写 approve / approve is required", "approve");
    }
    rc = rc ? rc : num_get(r, in, "loan_yuan", approve, 1, YUAN_MAX, &loan);
    rc = rc ? rc : num_get(r, in, "rate_percent", approve, 0.01, 36, &rate);
    rc = rc ? rc : (json_get_str(r, in, "note", TEXT_MAX, false, &note) ? ERR_INPUT : 0);
    note = arena_strdup(r->a, str_or(note, ""));
    json_decref(in);
    if (rc) {
        return 0;
    }
    char now[32];
    now_iso(now);
    struct db *db;
    rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct quota_pledge_row p;
    struct quota_rules q;
    struct rule_ref ref = {0};
    rc = pledge_visible(r, db, &p);
    rc = rc ? rc : state_is(r, &p, "checked");
    rc = rc ? rc : load_rules(db, p.rule_set_id, &q, &ref);
    if (!rc && approve && loan > quota_pledge_cap(&q, p.appraised)) {
        rc = bad(r, 422, "over_cap",
                 arena_printf(r->a,
                              "贷款额不能超过评估价值的 %g%%（%.0f 元） / the loan exceeds %g%% of "
                              "the appraised value (%.0f yuan)",
                              q.share_percent, quota_pledge_cap(&q, p.appraised), q.share_percent,
                              quota_pledge_cap(&q, p.appraised)),
                 "loan_yuan");
    }
    rc = rc ? rc
            : store_quota_pledge_decided(db, p.id, approve ? "approved" : "declined", loan, rate,
                                         note, r->who->user_id, now);
    return pledge_answer(r, db, p.id, "quota_pledge_decide", rc);
}

static int api_pledge_register(struct req *r)
{
    char now[32], d[11];
    now_iso(now);
    today(d);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct quota_pledge_row p;
    rc = pledge_visible(r, db, &p);
    rc = rc ? rc : state_is(r, &p, "approved");
    struct quota_lot_row *rows = arena_alloc(r->a, LOTS_MAX * sizeof *rows);
    struct quota_lot *lots = arena_alloc(r->a, LOTS_MAX * sizeof *lots);
    int64_t *add = arena_alloc(r->a, LOTS_MAX * sizeof *add), free_total = 0;
    size_t n = 0;
    rc = rc ? rc : store_quota_lots(db, p.enterprise_id, p.pollutant, rows, LOTS_MAX, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        lots[i] = (struct quota_lot){
            .id = rows[i].id, .amount = rows[i].amount, .pledged = rows[i].pledged, .active = true};
        memcpy(lots[i].valid_from, rows[i].valid_from, 11);
        memcpy(lots[i].valid_to, rows[i].valid_to, 11);
    }
    if (!rc && quota_encumber(lots, n, p.amount, d, add, &free_total)) {
        rc = bad(r, 409, "insufficient",
                 arena_printf(r->a, "可用排污权不足：可用 %.3f 吨/年 / %.3f t/a free",
                              free_total / 1000.0, free_total / 1000.0),
                 "amount_t");
    }
    for (size_t i = 0; !rc && i < n; i++) {
        if (add[i]) {
            rc = store_quota_lot_adjust(db, rows[i].id, 0, add[i], now);
            rc = rc ? rc : store_quota_pledge_lot(db, p.id, rows[i].id, add[i]);
            struct quota_move m = {.kind = "pledge",
                                   .pollutant = p.pollutant,
                                   .amount = add[i],
                                   .from_ent = p.enterprise_id,
                                   .lot_id = rows[i].id,
                                   .ref_kind = "quota_pledge",
                                   .ref_id = p.id,
                                   .user = r->who->user_id};
            rc = rc ? rc : store_quota_move(db, &m, now);
        }
    }
    char reg[40];
    snprintf(reg, sizeof reg, "PWZY-%.4s-%06lld", d, (long long)p.id);
    rc = rc ? rc : store_quota_pledge_registered(db, p.id, reg, now);
    return pledge_answer(r, db, p.id, "quota_pledge_register", rc);
}

struct release_ctx {
    struct db *db;
    const struct quota_pledge_row *p;
    const char *now;
    int64_t user;
    int rc;
};

static void release_lot(int64_t lot, int64_t amount, void *ctx)
{
    struct release_ctx *c = ctx;
    c->rc = c->rc ? c->rc : store_quota_lot_adjust(c->db, lot, 0, -amount, c->now);
    struct quota_move m = {.kind = "release",
                           .pollutant = c->p->pollutant,
                           .amount = amount,
                           .to_ent = c->p->enterprise_id,
                           .lot_id = lot,
                           .ref_kind = "quota_pledge",
                           .ref_id = c->p->id,
                           .user = c->user};
    c->rc = c->rc ? c->rc : store_quota_move(c->db, &m, c->now);
}

static int api_pledge_release(struct req *r)
{
    char now[32];
    now_iso(now);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct quota_pledge_row p;
    rc = pledge_visible(r, db, &p);
    rc = rc ? rc : state_is(r, &p, "registered");
    struct release_ctx c = {db, &p, now, r->who->user_id, 0};
    rc = rc ? rc : store_quota_pledge_lots_each(db, p.id, release_lot, &c);
    rc = rc ? rc : c.rc;
    rc = rc ? rc : store_quota_pledge_released(db, p.id, now);
    return pledge_answer(r, db, p.id, "quota_pledge_release", rc);
}

/* ---------------- emissions ---------------- */

/* The emissions page's rows: holdings and point totals of every firm, gathered by two
   statements, then merged by enterprise. */
struct em_held {
    int64_t ent;
    int p;
    int64_t kg;
};
struct em_point {
    int64_t ent, point, days;
    int p;
    const char *name;
    double kg;
};
struct em_all {
    struct arena *a;
    const int *pidx; /* factor index → pollutant */
    struct em_held *held;
    struct em_point *pts;
    size_t nh, np, caph, capp;
    bool over;
};

/* Room for one more row in *rows (n of *cap, each size bytes): doubled in the arena up to
   EMISSION_ROWS_MAX; false past it. */
static bool em_room(struct arena *a, void **rows, size_t n, size_t *cap, size_t size)
{
    if (n < *cap) {
        return true;
    }
    if (*cap >= EMISSION_ROWS_MAX) {
        return false;
    }
    size_t nc = *cap ? *cap * 2 : 256;
    void *p = arena_alloc(a, nc * size);
    if (n) {
        memcpy(p, *rows, n * size);
    }
    *rows = p;
    *cap = nc;
    return true;
}

static void em_held_add(int64_t ent, const char *pollutant, int64_t kg, void *ctx)
{
    struct em_all *e = ctx;
    int p = quota_pollutant_index(pollutant);
    if (p < 0) {
        return;
    }
    if (!em_room(e->a, (void **)&e->held, e->nh, &e->caph, sizeof *e->held)) {
        e->over = true;
        return;
    }
    e->held[e->nh++] = (struct em_held){ent, p, kg};
}

static void em_point_add(int64_t ent, int factor, int64_t point, const char *name, double kg,
                         int64_t days, void *ctx)
{
    struct em_all *e = ctx;
    if (!em_room(e->a, (void **)&e->pts, e->np, &e->capp, sizeof *e->pts)) {
        e->over = true;
        return;
    }
    e->pts[e->np++] = (struct em_point){.ent = ent,
                                        .point = point,
                                        .days = days,
                                        .p = e->pidx[factor],
                                        .name = arena_strdup(e->a, name ? name : ""),
                                        .kg = kg};
}

/* The emissions rows of every firm within the caller's scope (one > 0: that firm) for year,
   against the holdings valid on at, into out: per eligible pollutant the -Cou totals per point,
   the holdings and the state; *warnings counts the rows not ok, *over those over quota. */
static int emissions_write(struct req *r, struct db *db, int64_t one, const char *year,
                           const char *at, struct buf *out, int *warnings, int *over)
{
    struct quota_rules q;
    struct rule_ref ref = {0};
    int rc = load_rules(db, 0, &q, &ref);
    const char *factors[QP_N];
    int pidx[QP_N], n = 0;
    for (int p = 0; p < QP_N; p++) {
        if (q.eligible[p] && q.factor[p][0]) {
            factors[n] = q.factor[p];
            pidx[n++] = p;
        }
    }
    struct em_all all = {.a = r->a, .pidx = pidx};
    rc = rc ? rc
            : store_quota_emissions(db, &r->who->scope, one > 0 ? one : 0, at, year, factors, n,
                                    em_held_add, em_point_add, &all);
    if (!rc && all.over) {
        rc = ERR_TOOBIG;
    }
    buf_putc(out, '[');
    int k = 0;
    *warnings = *over = 0;
    size_t ih = 0, ip = 0;
    while (!rc && (ih < all.nh || ip < all.np)) {
        int64_t ent = ih < all.nh && (ip >= all.np || all.held[ih].ent <= all.pts[ip].ent)
                          ? all.held[ih].ent
                          : all.pts[ip].ent;
        int64_t held[QP_N] = {0};
        for (; ih < all.nh && all.held[ih].ent == ent; ih++) {
            held[all.held[ih].p] += all.held[ih].kg;
        }
        size_t p0 = ip;
        for (; ip < all.np && all.pts[ip].ent == ent; ip++) {
        }
        for (int f = 0; f < n; f++) {
            int p = pidx[f];
            double kg = 0;
            int pts = 0;
            for (size_t i = p0; i < ip; i++) {
                pts += all.pts[i].p == p;
            }
            if (!pts && !held[p]) {
                continue; /* neither rights nor readings: nothing to say */
            }
            buf_printf(out,
                       "%s{\"enterprise_id\":%lld,\"pollutant\":\"%s\",\"factor\":\"%s\","
                       "\"points\":[",
                       k ? "," : "", (long long)ent, quota_pollutant_code[p], q.factor[p]);
            int c = 0;
            for (size_t i = p0; i < ip; i++) {
                const struct em_point *pt = &all.pts[i];
                if (pt->p != p) {
                    continue;
                }
                buf_printf(out, "%s{\"point_id\":%lld,\"name\":", c++ ? "," : "",
                           (long long)pt->point);
                buf_json_str(out, pt->name, strlen(pt->name));
                buf_printf(out, ",\"kg\":%.3f,\"days\":%lld}", pt->kg, (long long)pt->days);
                kg += pt->kg;
            }
            int u = quota_usage(&q, kg, held[p]);
            *warnings += u != QU_OK;
            *over += u >= QU_OVER;
            buf_printf(out, "],\"actual_kg\":%.3f,\"held_kg\":%lld,\"state\":\"%s\"}", kg,
                       (long long)held[p], quota_usage_code[u]);
            k++;
        }
    }
    buf_putc(out, ']');
    return rc;
}

/* Each firm within scope (or the one asked): per eligible pollutant the year's -Cou total per
   point, the holdings valid at the year's end (today for this year) and the state. */
static int api_emissions(struct req *r)
{
    char d[11], year[5], at[11];
    today(d);
    const char *y = req_query(r, "year");
    int64_t yn = 0;
    if (y && (strlen(y) != 4 || parse_i64(y, 4, &yn) || yn < 2000 || yn > 2100)) {
        return resp_error(r, 422, "invalid", "年份格式为 YYYY / year must be YYYY", "year");
    }
    snprintf(year, sizeof year, "%.4s", y ? y : d);
    snprintf(at, sizeof at, "%s-12-31", year);
    if (strcmp(at, d) > 0) {
        memcpy(at, d, sizeof at);
    }
    const char *e = req_query(r, "enterprise_id");
    int64_t one = e ? strtoll(e, NULL, 10) : 0;
    struct db *db = store_read(app.store);
    int rc = one > 0 ? firm_visible(r, db, one, "enterprise_id", false) : 0;
    int warnings = 0, over = 0;
    if (!rc) {
        buf_printf(&r->out, "{\"year\":\"%s\",\"held_on\":\"%s\",\"items\":", year, at);
        rc = emissions_write(r, db, one > 0 ? one : 0, year, at, &r->out, &warnings, &over);
        if (rc == ERR_TOOBIG) {
            resp_error(r, 413, "too_big",
                       "企业过多，请按企业查询 / too many enterprises: ask per enterprise_id",
                       "enterprise_id");
        }
        buf_printf(&r->out, ",\"warnings\":%d,\"over\":%d}", warnings, over);
    }
    return entity_finish_read(r, db, rc);
}

/* The 工作台's member: this year's emissions rows not ok and over quota within the caller's scope
   (an enterprise: its own). */
int quota_dashboard(struct req *r, struct db *db, struct buf *out)
{
    if (!(r->who->role & (ROLES_STAFF | ROLE_ENTERPRISE))) {
        return 0;
    }
    char d[11];
    today(d);
    char year[5];
    snprintf(year, sizeof year, "%.4s", d);
    struct buf scratch;
    buf_init(&scratch, 1 << 12);
    int warnings = 0, over = 0;
    int rc = emissions_write(r, db, 0, year, d, &scratch, &warnings, &over);
    buf_release(&scratch);
    if (!rc) {
        buf_printf(out, ",\"quota\":{\"warnings\":%d,\"over\":%d,\"own\":%s}", warnings, over,
                   r->who->role == ROLE_ENTERPRISE ? "true" : "false");
    }
    return rc == ERR_TOOBIG || rc == ERR_NOTFOUND ? 0 : rc;
}

static const struct route routes[] = {
    {"GET", "/api/v1/quota/holdings", ROLES_ANY, api_holdings, 0,
     "Emission-right holdings per enterprise and pollutant within the caller's area, the reserve"},
    {"GET", "/api/v1/quota/enterprises/{id}", ROLES_ANY, api_enterprise, 0,
     "One enterprise's lots, movements and pledges"},
    {"GET", "/api/v1/quota/movements", ROLES_ANY, api_movements, 0,
     "The movement ledger (newest first; enterprise_id: that firm's)"},
    {"POST", "/api/v1/quota/allocations", MANAGERS, api_allocate, 0,
     "Record an initial allocation or a paid purchase (有偿使用) of rights"},
    {"GET", "/api/v1/quota/reserve", ROLES_STAFF, api_reserve, 0,
     "The government reserve per pollutant"},
    {"POST", "/api/v1/quota/reserve", MANAGERS, api_reserve_add, 0,
     "Add to the government reserve (closures, reductions)"},
    {"POST", "/api/v1/quota/trades", MANAGERS, api_trade, 0,
     "A trade between firms: the seller's free rights move to the buyer"},
    {"POST", "/api/v1/quota/reserve-sales", MANAGERS, api_reserve_sale, 0,
     "A sale from the government reserve"},
    {"POST", "/api/v1/quota/buybacks", MANAGERS, api_buyback, 0,
     "The government buys rights back into the reserve"},
    {"POST", "/api/v1/quota/retirements", MANAGERS, api_retire, 0,
     "Retire (cancel) rights of a firm"},
    {"GET", "/api/v1/quota/reviews", ROLES_ANY, api_reviews, 0,
     "Total-quantity reviews of new projects within the caller's area"},
    {"POST", "/api/v1/quota/reviews", MANAGERS, api_review_create, 0,
     "File a total-quantity review: indicators, replacement ratio, sources, priority tier"},
    {"GET", "/api/v1/quota/reviews/{id}", ROLES_ANY, api_review, 0, "One total-quantity review"},
    {"POST", "/api/v1/quota/reserve/serve", MANAGERS, api_serve, 0,
     "Serve the waiting reviews from the reserve in priority order"},
    {"GET", "/api/v1/quota/banks", ROLES_ANY, api_banks, 0, "Pledge-loan banks"},
    {"POST", "/api/v1/quota/banks", ROLE_ADMIN, api_bank_create, 0, "Add a pledge-loan bank"},
    {"PUT", "/api/v1/quota/banks/{id}/users/{user_id}", ROLE_ADMIN, api_bank_user, 0,
     "Link a bank user to its bank"},
    {"GET", "/api/v1/quota/pledges", ROLES_ANY | ROLE_BANK, api_pledges, 0,
     "Pledge-loan applications (a bank: only its own)"},
    {"POST", "/api/v1/quota/pledges", MANAGERS | ROLE_ENTERPRISE, api_pledge_create, 0,
     "Apply for a pledge loan on emission rights"},
    {"GET", "/api/v1/quota/pledges/{id}", ROLES_ANY | ROLE_BANK, api_pledge, 0,
     "One pledge-loan application"},
    {"POST", "/api/v1/quota/pledges/{id}/check", MANAGERS, api_pledge_check, 0,
     "The bureau's check: holdings, over quota last year, credit grade, major incident"},
    {"POST", "/api/v1/quota/pledges/{id}/decide", ROLE_BANK, api_pledge_decide, 0,
     "The bank's decision: loan within the rule set's share of the appraised value, rate"},
    {"POST", "/api/v1/quota/pledges/{id}/register", MANAGERS, api_pledge_register, 0,
     "Register the pledge: the pledged rights are encumbered"},
    {"POST", "/api/v1/quota/pledges/{id}/release", MANAGERS | ROLE_BANK, api_pledge_release, 0,
     "Release the pledge on repayment"},
    {"GET", "/api/v1/quota/emissions", ROLES_ANY, api_emissions, 0,
     "Actual emissions (annual HJ 212 -Cou totals per point) against holdings, over-quota "
     "warnings"},
};

void quota_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
