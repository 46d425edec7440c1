/*
** Electronic transfer manifests (危险废物转移联单, 转移管理办法 arts. 6-20): the shipper drafts one
** per vehicle trip from its producing batches (each line's code must be in the transfer table of
** the site's plan filed for the year), gets the 14-digit number (year, province, city, a serial
** per city and year), ships it (the carrier's name, vehicle and licence required; each line
** becomes a 委外 record of its batch), the receiver records the arrival (the confirmation is due
** the waste.rules workdays after, on the platform's calendar), accepts whole, partly or refuses
** with the discrepancy, and closes it with the disposal result.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/entity.h"
#include "store/q_waste.h"
#include "waste/internal.h"

#define SHIPPERS (ROLE_ADMIN | ROLE_ENTERPRISE)
#define TEXT_MAX 2000

int waste_manifest_visible(struct req *r, struct db *db, int64_t id, struct waste_manifest_row *m,
                           enum party *who)
{
    int rc = id > 0 ? store_waste_manifest_get(db, id, m) : ERR_NOTFOUND;
    char rs[16] = "", rr[16] = "";
    if (!rc) {
        rc = store_waste_enterprise(db, m->enterprise_id, rs, NULL, 0);
        rc = rc ? rc : store_waste_enterprise(db, m->receiver_id, rr, NULL, 0);
    }
    if (!rc) {
        const struct principal *p = r->who;
        *who = p->role != ROLE_ENTERPRISE             ? P_STAFF
               : p->enterprise_id == m->enterprise_id ? P_SHIPPER
                                                      : P_RECEIVER;
        bool ok = p->role == ROLE_ENTERPRISE
                      ? p->enterprise_id == m->enterprise_id || p->enterprise_id == m->receiver_id
                      : store_scope_allows(&p->scope, m->enterprise_id, rs) ||
                            store_scope_allows(&p->scope, m->receiver_id, rr);
        rc = ok ? 0 : ERR_NOTFOUND;
    }
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该转移联单 / no such manifest", "id");
    }
    return rc;
}

static int api_manifests(struct req *r)
{
    const char *site = req_query(r, "site_id"), *state = req_query(r, "state");
    int64_t sid = 0;
    if (site && *site && (parse_i64(site, strlen(site), &sid) || sid < 0)) {
        return resp_error(r, 422, "invalid", "site_id 须为正整数 / site_id must be an id",
                          "site_id");
    }
    if (state && *state && waste_code_index(waste_mstate_code, MS_N, state) < 0) {
        return resp_error(r, 422, "invalid", "未知的联单状态 / unknown state", "state");
    }
    struct db *db = store_read(app.store);
    int rc = store_waste_manifests_json(db, &r->who->scope, sid, state, &r->out);
    return entity_finish_read(r, db, rc);
}

static int api_receivers(struct req *r)
{
    struct db *db = store_read(app.store);
    int rc = store_waste_receivers_json(db, &r->out);
    return entity_finish_read(r, db, rc);
}

static int api_manifest(struct req *r)
{
    struct db *db = store_read(app.store);
    struct waste_manifest_row m;
    enum party who;
    int rc = waste_manifest_visible(r, db, req_id(r, 0), &m, &who);
    rc = rc ? rc : store_waste_manifest_json(db, m.id, &r->out);
    return entity_finish_read(r, db, rc);
}

int waste_refuse(struct req *r, int status, const char *code, const char *msg, const char *field)
{
    resp_error(r, status, code, msg, field);
    return status == 409 ? ERR_CONFLICT : ERR_INPUT;
}

/* Whether code is in the transfer table of the filed plan's tables. */
static bool in_plan(const char *tables_json, const char *code)
{
    json_t *t = json_loads(tables_json, 0, NULL);
    json_t *tr = json_object_get(t, "transfer");
    bool found = false;
    for (size_t i = 0; !found && i < json_array_size(tr); i++) {
        const char *c = json_string_value(json_object_get(json_array_get(tr, i), "waste_code"));
        found = c && !strcmp(c, code);
    }
    json_decref(t);
    return found;
}

int waste_lines_check(struct req *r, struct db *db, int64_t site, json_t *lines, const char *tables,
                      struct waste_mline *out, size_t *n)
{
    *n = json_array_size(lines);
    if (!json_is_array(lines) || *n == 0) {
        return waste_refuse(r, 422, "required", "请填写联单的废物明细 / lines is required",
                            "lines");
    }
    if (*n > LINES_MAX) {
        return waste_refuse(r, 413, "too_many", "每张联单不超过 20 行 / at most 20 lines", "lines");
    }
    for (size_t i = 0; i < *n; i++) {
        json_t *o = json_array_get(lines, i);
        const char *b = json_string_value(json_object_get(o, "source_batch"));
        json_t *amt = json_object_get(o, "amount_t");
        char f[48], code[16] = "", err[300];
        struct waste_batch bt;
        snprintf(f, sizeof f, "lines[%zu].source_batch", i);
        if (!b || !*b || strlen(b) > 40 || waste_batch_load(db, site, b, &bt, code) || !*code) {
            return waste_refuse(r, 422, "invalid",
                                "本场所没有该产生批次 / the site has no such producing batch",
                                arena_strdup(r->a, f));
        }
        if (!in_plan(tables, code)) {
            return waste_refuse(
                r, 409, "not_in_plan",
                arena_printf(r->a,
                             "%s 不在已备案管理计划的转移表中 / %s is not in the filed "
                             "plan's transfer table",
                             code, code),
                arena_strdup(r->a, f));
        }
        snprintf(f, sizeof f, "lines[%zu].amount_t", i);
        double v = json_is_number(amt) ? json_number_value(amt) : -1;
        /* earlier lines of the same batch count against it too */
        for (size_t k = 0; k < i; k++) {
            if (!strcmp(out[k].source_batch, b)) {
                bt.outsourced += out[k].amount_t;
            }
        }
        int rc = waste_batch_apply(&bt, WK_OUTSOURCE, v, err, sizeof err);
        if (rc) {
            return waste_refuse(r, rc == ERR_CONFLICT ? 409 : 422,
                                rc == ERR_CONFLICT ? "over_balance" : "invalid",
                                arena_strdup(r->a, err), arena_strdup(r->a, f));
        }
        out[i] = (struct waste_mline){arena_strdup(r->a, b), arena_strdup(r->a, code), v, -1};
    }
    return 0;
}

static int api_manifest_create(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    struct waste_manifest_row m = {0};
    json_t *site = json_object_get(in, "site_id"), *recv = json_object_get(in, "receiver_id");
    int rc = 0;
    m.carrier_name = m.vehicle_no = m.carrier_licence = "";
    rc = json_get_str(r, in, "carrier_name", 200, false, &m.carrier_name);
    rc = rc ? rc : json_get_str(r, in, "vehicle_no", 20, false, &m.vehicle_no);
    rc = rc ? rc : json_get_str(r, in, "carrier_licence", 40, false, &m.carrier_licence);
    if (!rc && !json_is_integer(site)) {
        rc = waste_refuse(r, 422, "required", "请选择移出场所 / site_id is required", "site_id");
    }
    if (!rc && !json_is_integer(recv)) {
        rc = waste_refuse(r, 422, "required", "请选择接受单位 / receiver_id is required",
                          "receiver_id");
    }
    m.carrier_name = m.carrier_name ? m.carrier_name : "";
    m.vehicle_no = m.vehicle_no ? m.vehicle_no : "";
    m.carrier_licence = m.carrier_licence ? m.carrier_licence : "";
    struct db *db = NULL;
    if (rc || (rc = store_begin(app.store, &db)) != 0) {
        json_decref(in);
        return rc == ERR_INPUT ? 0 : resp_err(r, rc, NULL, NULL);
    }
    struct waste_site_row s;
    m.site_id = json_integer_value(site);
    m.receiver_id = json_integer_value(recv);
    rc = store_waste_site_get(db, m.site_id, &s);
    if (!rc && (r->who->role == ROLE_ENTERPRISE
                    ? s.enterprise_id != r->who->enterprise_id
                    : !store_scope_allows(&r->who->scope, s.enterprise_id, s.region))) {
        rc = ERR_NOTFOUND;
    }
    if (rc == ERR_NOTFOUND) {
        rc = waste_refuse(r, 422, "invalid", "没有该场所 / no such site", "site_id");
    }
    m.enterprise_id = s.enterprise_id;
    if (!rc && (m.receiver_id == m.enterprise_id || !store_waste_licensed(db, m.receiver_id))) {
        rc = waste_refuse(
            r, 422, "invalid",
            "接受单位须为另一家持危险废物经营许可证的单位 / the receiver must be another "
            "enterprise with a licensed site",
            "receiver_id");
    }
    char today[11], now[32];
    date_cn(wall_ms() / 1000, today);
    time_iso(wall_ms() / 1000, now);
    int year = atoi_year(today);
    const char *tables = NULL;
    char rregion[16] = "";
    rc = rc ? rc : store_waste_enterprise(db, m.receiver_id, rregion, NULL, 0);
    m.cross_province = waste_cross_province(s.region, rregion);
    rc = rc ? rc : store_waste_plan_filed(db, r->a, s.id, year, &m.plan_id, &tables);
    if (rc == ERR_NOTFOUND) {
        rc = waste_refuse(
            r, 409, "no_plan",
            arena_printf(r->a, "该场所 %d 年度管理计划尚未备案 / the site has no filed plan for %d",
                         year, year),
            "site_id");
    }
    struct waste_mline lines[LINES_MAX];
    size_t n = 0;
    rc = rc ? rc : waste_lines_check(r, db, s.id, json_object_get(in, "lines"), tables, lines, &n);
    int64_t serial = 0, id = 0;
    char area[16];
    snprintf(area, sizeof area, "m%.4s", s.region);
    rc = rc ? rc : store_waste_serial_next(db, area, year, &serial);
    if (!rc && waste_manifest_number(year, s.region, (unsigned)serial, m.number)) {
        rc = waste_refuse(
            r, 409, "serial_exhausted",
            "本市本年度联单流水号已用完 / the city's serials for the year are used up", "site_id");
    }
    rc = rc ? rc : store_waste_manifest_insert(db, &m, r->who->user_id, now, &id);
    for (size_t i = 0; !rc && i < n; i++) {
        rc = store_waste_mline_insert(db, id, (int)i + 1, &lines[i]);
    }
    rc = rc ? rc : store_waste_manifest_json(db, id, &r->out);
    rc = rc ? rc : audit_write(r, db, "waste_manifest", id, "create", NULL, r->out.p);
    json_decref(in);
    return entity_finish_write(r, db, rc, 201);
}

/* One state move: who may make it, the new state from the pure machine, the side effects. */
static int move(struct req *r, enum waste_maction action)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    char today[11], now[32], nowc[20];
    date_cn(wall_ms() / 1000, today);
    time_iso(wall_ms() / 1000, now);
    china_time(wall_ms() / 1000, nowc);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(in);
        return resp_err(r, rc, NULL, NULL);
    }
    struct waste_manifest_row m;
    enum party who = P_STAFF;
    rc = waste_manifest_visible(r, db, req_id(r, 0), &m, &who);
    enum party need = action == MA_SHIP ? P_SHIPPER : P_RECEIVER;
    if (!rc && who != need && r->who->role != ROLE_ADMIN) {
        rc = waste_refuse(r, 403, "forbidden",
                          need == P_SHIPPER ? "只有移出人可以发运 / only the shipper ships"
                                            : "只有接受人可以办理 / only the receiver may do this",
                          "id");
    }
    int state = rc ? -1 : waste_code_index(waste_mstate_code, MS_N, m.state);
    struct waste_manifest_move mv = {0};
    struct waste_mline *lines = NULL;
    size_t n = 0;
    rc = rc ? rc : store_waste_mlines(db, r->a, m.id, &lines, &n);
    int decision = 0;
    bool late = false;
    if (!rc && action == MA_ACCEPT) {
        json_t *acc = json_object_get(in, "lines");
        double shipped[LINES_MAX], got[LINES_MAX];
        if (json_array_size(acc) != n) {
            rc = waste_refuse(
                r, 422, "invalid",
                arena_printf(r->a,
                             "须逐行填写接受量（%zu 行） / give accepted_t for each of "
                             "the %zu lines",
                             n, n),
                "lines");
        }
        for (size_t i = 0; !rc && i < n && i < LINES_MAX; i++) {
            json_t *v = json_object_get(json_array_get(acc, i), "accepted_t");
            shipped[i] = lines[i].amount_t;
            got[i] = json_is_number(v) ? json_number_value(v) : -1;
            if (got[i] < 0 || got[i] > lines[i].amount_t + 0.0005) {
                rc =
                    waste_refuse(r, 422, "invalid",
                                 "接受量须在 0 与发运量之间 / accepted_t must be between 0 and the "
                                 "shipped amount",
                                 arena_printf(r->a, "lines[%zu].accepted_t", i));
            }
        }
        decision = rc ? -1 : waste_manifest_decision(shipped, got, n);
        rc = rc ? rc : json_get_str(r, in, "method", 40, true, &mv.method);
        rc = rc ? rc : json_get_str(r, in, "discrepancy", TEXT_MAX, false, &mv.discrepancy);
        if (!rc && decision != MS_ACCEPTED && (!mv.discrepancy || !*mv.discrepancy)) {
            rc = waste_refuse(
                r, 422, "required",
                "部分接受或拒收须说明差异 / a partly accepted or refused manifest needs the "
                "discrepancy",
                "discrepancy");
        }
        for (size_t i = 0; !rc && i < n; i++) {
            rc = store_waste_mline_accept(db, m.id, (int)i + 1, got[i]);
            /* what the receiver did not take goes back into the shipper's store (decision 129) */
            double back = lines[i].amount_t - got[i];
            if (!rc && back > 0.0005) {
                struct waste_record_in ri = {.kind = WK_RETURNED,
                                             .source_batch = lines[i].source_batch,
                                             .amount_t = back,
                                             .note = m.number,
                                             .created_by = r->who->user_id,
                                             .manifest_id = m.id};
                str_copy(ri.occurred_at, sizeof ri.occurred_at, nowc);
                const char *field = NULL;
                char err[300] = "";
                int64_t rid;
                rc = waste_record_add(db, r->a, m.site_id, &ri, now, &rid, &field, err, sizeof err);
                if (rc) {
                    resp_error(r, 409, "over_balance", arena_strdup(r->a, err),
                               arena_printf(r->a, "lines[%zu].accepted_t", i));
                }
            }
        }
        mv.decision = decision >= 0 ? waste_mstate_code[decision] : NULL;
        late = *m.confirm_due && strcmp(today, m.confirm_due) > 0;
    }
    int next = rc ? -1 : waste_manifest_step(state, action, decision);
    if (!rc && next < 0) {
        rc = waste_refuse(
            r, 409, "bad_state",
            arena_printf(r->a, "联单处于 %s 状态，不能 %s / the manifest is %s: cannot %s", m.state,
                         waste_maction_code[action], m.state, waste_maction_code[action]),
            "state");
    }
    if (!rc && action == MA_SHIP && m.cross_province && strcmp(m.approval_state, "approved")) {
        rc = waste_refuse(r, 409, "approval_required",
                          "跨省转移须经审批同意后方可发运 / a cross-province transfer ships only "
                          "once its approval is granted",
                          "approval_state");
    }
    if (!rc && action == MA_SHIP) {
        const char *c[3] = {0}, *keys[3] = {"carrier_name", "vehicle_no", "carrier_licence"};
        for (int k = 0; !rc && k < 3; k++) {
            rc = json_get_str(r, in, keys[k], k == 0 ? 200 : 40, false, &c[k]);
        }
        /* the carrier may be named at shipping; what the draft had stays otherwise */
        for (int k = 0; k < 3; k++) {
            c[k] = c[k] && *c[k] ? c[k] : NULL;
        }
        struct buf mj;
        buf_init(&mj, 1 << 16);
        rc = rc ? rc : store_waste_manifest_json(db, m.id, &mj);
        for (int k = 0; !rc && k < 3; k++) {
            char pat[40];
            snprintf(pat, sizeof pat, "\"%s\":\"\"", keys[k]);
            if (strstr(mj.p, pat) && (!c[k] || !*c[k])) {
                rc = waste_refuse(
                    r, 422, "required",
                    "发运前须填写承运人名称、车牌号和道路运输经营许可证号 / the carrier's "
                    "name, vehicle and licence are required to ship",
                    keys[k]);
            }
        }
        buf_release(&mj);
        if (!rc && (c[0] || c[1] || c[2])) {
            rc = store_waste_manifest_carrier(db, m.id, c[0], c[1], c[2]);
        }
        for (size_t i = 0; !rc && i < n; i++) {
            struct waste_record_in ri = {.kind = WK_OUTSOURCE,
                                         .source_batch = lines[i].source_batch,
                                         .amount_t = lines[i].amount_t,
                                         .note = m.number,
                                         .created_by = r->who->user_id,
                                         .manifest_id = m.id};
            str_copy(ri.occurred_at, sizeof ri.occurred_at, nowc);
            const char *field = NULL;
            char err[300] = "";
            int64_t rid;
            rc = waste_record_add(db, r->a, m.site_id, &ri, now, &rid, &field, err, sizeof err);
            if (rc) {
                resp_error(r, rc == ERR_CONFLICT ? 409 : 422, "over_balance",
                           arena_strdup(r->a, err), arena_printf(r->a, "lines[%zu].amount_t", i));
            }
        }
        /* the first transport leg: the carrier as shipped (art. 17's relays follow it) */
        rc = rc ? rc : store_waste_leg_first(db, m.id, nowc, r->who->user_id, now);
        mv.time_col = "shipped_at";
    }
    char due[11] = "";
    if (!rc && action == MA_ARRIVE) {
        struct waste_rules wr;
        char region[16];
        rc = store_waste_enterprise(db, m.receiver_id, region, NULL, 0);
        rc = rc ? rc : waste_rules_load(db, region, &wr, NULL);
        rc = rc ? rc : waste_workdays_after(today, wr.confirm_workdays, due);
        if (rc == ERR_NOTFOUND) {
            rc = waste_refuse(r, 409, "no_calendar",
                              "工作日历缺少所需年份 / the working-day calendar lacks the year",
                              "id");
        }
        mv.time_col = "arrived_at";
        mv.arrived_on = today;
        mv.confirm_due = due;
    }
    if (!rc && action == MA_ACCEPT) {
        mv.time_col = "confirmed_at";
    }
    if (!rc && action == MA_CLOSE) {
        rc = json_get_str(r, in, "disposal_result", TEXT_MAX, true, &mv.disposal_result);
        if (!rc && !*mv.disposal_result) {
            rc =
                waste_refuse(r, 422, "required", "请填写利用处置结果 / disposal_result is required",
                             "disposal_result");
        }
        mv.time_col = "closed_at";
    }
    if (!rc) {
        mv.state = waste_mstate_code[next];
        rc = store_waste_manifest_move(db, m.id, &mv, now);
    }
    rc = rc ? rc : store_waste_manifest_json(db, m.id, &r->out);
    if (!rc && action == MA_ACCEPT) {
        r->out.len--;
        buf_printf(&r->out, ",\"late\":%s}", late ? "true" : "false");
    }
    rc = rc ? rc
            : audit_write(r, db, "waste_manifest", m.id,
                          arena_printf(r->a, "waste_%s", waste_maction_code[action]), NULL,
                          r->out.p);
    json_decref(in);
    return entity_finish_write(r, db, rc, 200);
}

static int api_ship(struct req *r)
{
    return move(r, MA_SHIP);
}
static int api_arrive(struct req *r)
{
    return move(r, MA_ARRIVE);
}
static int api_accept(struct req *r)
{
    return move(r, MA_ACCEPT);
}
static int api_close(struct req *r)
{
    return move(r, MA_CLOSE);
}

static const struct route routes[] = {
    {"GET", "/api/v1/waste/manifests", ROLES_ANY, api_manifests, 0,
     "Transfer manifests within the caller's area (an enterprise: those it ships or receives)"},
    {"POST", "/api/v1/waste/manifests", SHIPPERS, api_manifest_create, 0,
     "Draft a manifest from producing batches (codes in the filed plan); gets its 14-digit number"},
    {"GET", "/api/v1/waste/receivers", ROLES_ANY, api_receivers, 0,
     "Enterprises with a licensed site: the receivers a manifest may name"},
    {"GET", "/api/v1/waste/manifests/{id}", ROLES_ANY, api_manifest, 0,
     "A manifest with its lines"},
    {"POST", "/api/v1/waste/manifests/{id}/ship", SHIPPERS, api_ship, 0,
     "The shipper ships (carrier required): each line becomes a 委外 record of its batch"},
    {"POST", "/api/v1/waste/manifests/{id}/arrive", SHIPPERS, api_arrive, 0,
     "The receiver records the arrival: confirmation due in the rule set's workdays"},
    {"POST", "/api/v1/waste/manifests/{id}/accept", SHIPPERS, api_accept, 0,
     "The receiver accepts, partly accepts or refuses (accepted_t per line, method, discrepancy)"},
    {"POST", "/api/v1/waste/manifests/{id}/close", SHIPPERS, api_close, 0,
     "The receiver reports the disposal result: the manifest closes"},
};

void waste_manifest_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
    waste_transfer_routes(rt);
}
