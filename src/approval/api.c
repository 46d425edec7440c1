/*
** EIA approval routes beyond intake: the applications (an enterprise only its own, staff within
** their regions), one application with its clock, the steps that pause the clock (expert
** review, hearing, public notice), the decision with its PDFs and the obligations it leaves,
** the 挂账销号 ledger, the figures of the dashboard, the public notices, the catalogue (admin
** edits) and an obligation marked done by the enterprise.
*/
#include <stdio.h>
#include <string.h>

#include "approval/internal.h"
#include "calendar/calendar.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/util.h"
#include "credit/credit.h"
#include "documents/documents.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/entity.h"

#define APPROVERS (ROLE_APPROVER | ROLE_ADMIN)
#define DECIDERS (ROLE_APPROVER | ROLE_LEADER | ROLE_ADMIN)
#define TEXT_MAX 4000

static const struct entity_api APPLICATIONS = {
    .def = &ENTITY_EIA_APPLICATION, .read_roles = ROLES_ANY, .write_roles = 0};
/* The industry prefixes of a catalogue item are read by the classification: refused unless
   they are codes (eia_prefixes_valid). */
static int catalogue_check(struct req *r, struct db *db, json_t *in, bool create, int64_t id,
                           int64_t parent_id, struct entity_write *w)
{
    (void)r, (void)db, (void)create, (void)id, (void)parent_id;
    const char *p = json_string_value(json_object_get(in, "industry_prefixes"));
    if (p && !eia_prefixes_valid(p)) {
        return entity_error_add(w, 422, "industry_prefixes", "invalid",
                                "行业代码前缀应为 1–5 位数字或大写字母，以逗号分隔（如 26,2710）",
                                "industry prefixes are codes of 1–5 digits or capitals separated "
                                "by commas (e.g. 26,2710)");
    }
    return 0;
}

static const struct entity_api CATALOGUE = {.def = &ENTITY_EIA_CATALOGUE,
                                            .read_roles = ROLES_ANY,
                                            .write_roles = ROLE_ADMIN,
                                            .check = catalogue_check};

static void now_and_today(char now[32], char today[11])
{
    time_iso(wall_ms() / 1000, now);
    date_cn(wall_ms() / 1000, today);
}

static int api_list(struct req *r)
{
    return entity_list(r, &APPLICATIONS, 0);
}

static int audit(struct req *r, struct db *db, int64_t id, const char *action)
{
    struct audit_entry a = {.actor_id = r->who->user_id,
                            .actor = r->who->display_name,
                            .entity = "eia_application",
                            .entity_id = id,
                            .action = action,
                            .request_id = r->request_id,
                            .ip = r->ip};
    return store_audit_add(db, &a);
}

static int row_visible(struct req *r, struct db *db, int64_t id, struct eia_row *row)
{
    int rc = id > 0 ? store_eia_get(db, id, r->a, row) : ERR_NOTFOUND;
    if (!rc && !store_scope_allows(&r->who->scope, row->enterprise_id, row->region_code)) {
        rc = ERR_NOTFOUND;
    }
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该环评申请 / no such application", "id");
    }
    return rc;
}

/* Working days used and left of a ledger or detail object o (accepted_on, due_at, pauses). */
static void days_of(json_t *o, const char *today)
{
    const char *acc = json_string_value(json_object_get(o, "accepted_on"));
    const char *due = json_string_value(json_object_get(o, "due_at"));
    const char *dec = json_string_value(json_object_get(o, "decided_on"));
    int32_t a, t, d;
    if (!acc || calendar_date_parse(acc, 10, &a) || calendar_date_parse(today, 10, &t)) {
        return;
    }
    if (dec && !calendar_date_parse(dec, 10, &d)) {
        t = d;
    }
    int used = 0, left = 0, missing = 0;
    pthread_rwlock_rdlock(&app.cal_lock);
    int rc = calendar_workdays_between(app.cal, a, t, &used, &missing);
    char cn[20];
    int32_t due_day;
    bool has_due = due && iso_utc_to_china(due, cn) && !calendar_date_parse(cn, 10, &due_day);
    /* due_at is the end of the last day (00:00 China time of the next) */
    int rc2 = has_due ? calendar_workdays_between(app.cal, t, due_day - 1, &left, &missing) : 1;
    pthread_rwlock_unlock(&app.cal_lock);
    /* pauses: "from-to,…" unix seconds; their working days are not used */
    const char *p = json_string_value(json_object_get(o, "pauses"));
    int paused = 0;
    json_t *spans = json_array();
    for (const char *s = p; s && *s;) {
        long long f = 0, e = 0;
        if (sscanf(s, "%lld-%lld", &f, &e) == 2 && e >= f) {
            char fi[32], ei[32], fc[20], ec[20];
            time_iso(f, fi);
            time_iso(e, ei);
            int32_t fd, ed;
            if (iso_utc_to_china(fi, fc) && iso_utc_to_china(ei, ec) &&
                !calendar_date_parse(fc, 10, &fd) && !calendar_date_parse(ec, 10, &ed)) {
                int w = 0;
                pthread_rwlock_rdlock(&app.cal_lock);
                if (!calendar_workdays_between(app.cal, fd, ed, &w, &missing)) {
                    paused += w;
                }
                pthread_rwlock_unlock(&app.cal_lock);
                json_array_append_new(
                    spans, json_pack("{s:s%,s:s%}", "from", fc, (size_t)10, "to", ec, (size_t)10));
            }
        }
        const char *c = strchr(s, ',');
        s = c ? c + 1 : "";
    }
    json_object_set_new(o, "pause_spans", spans);
    if (!rc) {
        json_object_set_new(o, "days_used", json_integer(used - paused < 0 ? 0 : used - paused));
        json_object_set_new(o, "days_paused", json_integer(paused));
    }
    if (!rc2) {
        json_object_set_new(o, "days_left", json_integer(left));
    }
}

static int api_get(struct req *r)
{
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db = store_read(app.store);
    struct eia_row *row = arena_alloc(r->a, sizeof *row);
    int rc = row_visible(r, db, req_id(r, 0), row);
    rc = rc ? rc : store_eia_json(db, row->id, now, &r->out);
    store_release(app.store, db);
    if (rc) {
        return rc == ERR_NOTFOUND ? 0 : (buf_reset(&r->out), resp_err(r, rc, NULL, NULL));
    }
    json_t *o = json_loadb(r->out.p, r->out.len, 0, NULL);
    if (o) {
        days_of(o, today);
        char *s = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        buf_reset(&r->out);
        buf_puts(&r->out, s);
        free(s);
    }
    return resp_json(r, 200);
}

/* POST /approval/applications/{id}/step {action, note}: a step on the case that pauses or
   resumes the clock (send_experts, experts_done, hold_hearing, hearing_done, publish_notice,
   notice_done). */
static int api_step(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *action = NULL, *note = NULL;
    int rc = json_get_str(r, in, "action", 32, true, &action);
    rc = rc ? rc : json_get_str(r, in, "note", TEXT_MAX, false, &note);
    action = rc ? NULL : arena_strdup(r->a, action);
    note = rc || !note ? "" : arena_strdup(r->a, note);
    json_decref(in);
    if (rc) {
        return 0;
    }
    static const char *const STEPS[] = {"send_experts", "experts_done",   "hold_hearing",
                                        "hearing_done", "publish_notice", "notice_done"};
    bool ok = false;
    for (size_t i = 0; i < ARRAY_LEN(STEPS); i++) {
        ok = ok || !strcmp(action, STEPS[i]);
    }
    if (!ok) {
        return resp_error(r, 422, "invalid",
                          "action 应为专家评审、听证或公示的开始或结束 / action must start or end "
                          "expert review, a hearing or the public notice",
                          "action");
    }
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct eia_row *row = arena_alloc(r->a, sizeof *row);
    rc = row_visible(r, db, req_id(r, 0), row);
    if (rc) {
        return entity_finish_write(r, db, rc, 0);
    }
    if (!row->case_id || strcmp(row->state, "accepted")) {
        resp_error(r, 409, "conflict", "申请未在审查中 / the application is not under review",
                   "action");
        return entity_finish_write(r, db, ERR_CONFLICT, 0);
    }
    struct case_actor who = {
        r->who->user_id, r->who->display_name, r->who->role, r->request_id, r->ip, true};
    const char *present[] = {"note"}, *field = NULL;
    char why[256] = "";
    struct buf f;
    buf_init(&f, 1 << 14);
    buf_puts(&f, "{\"note\":");
    buf_json_str(&f, note, strlen(note));
    buf_putc(&f, '}');
    rc = cases_transition(db, row->case_id, action, &who, present, *note ? 1 : 0, f.p, note, 0, now,
                          &field, why, sizeof why);
    buf_release(&f);
    if (rc == ERR_FORBIDDEN || rc == ERR_INPUT || rc == ERR_CONFLICT) {
        resp_error(r,
                   rc == ERR_FORBIDDEN ? 403
                   : rc == ERR_INPUT   ? 422
                                       : 409,
                   rc == ERR_FORBIDDEN ? "forbidden" : "invalid", why, field ? field : "action");
    }
    rc = rc ? rc : audit(r, db, row->id, action);
    rc = rc ? rc : store_eia_json(db, row->id, now, &r->out);
    return entity_finish_write(r, db, rc, 200);
}

/* The obligations' lines of the reminder card, and their rows (due months after today). */
static int obligations_add(struct req *r, struct db *db, const struct eia_row *row,
                           const struct eia_rules *rules, const char *today, const char *now,
                           struct buf *lines)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < rules->n_obligations; i++) {
        const struct eia_obligation_rule *o = &rules->obligations[i];
        char due[11];
        credit_add_months(today, o->months, due);
        buf_printf(lines, "%s%zu. %s（期限：%s）", i ? "；" : "", i + 1, o->title, due);
        rc = store_eia_obligation_add(db, row->id, row->enterprise_id, o->kind, o->title, due, now);
    }
    if (!rules->n_obligations) {
        buf_puts(lines, "（无）");
    }
    buf_puts(lines, "。");
    (void)r;
    return rc;
}

/* 多评合一: the sentence of the decision naming the assessments it decides too ("" for none). */
static const char *combined_text(struct req *r, const char *assessments)
{
    int m = eia_assessments_parse(assessments);
    if (m <= 0) {
        return "";
    }
    return arena_printf(r->a, "本审批意见同时作为该项目%s%s%s的审批意见（多评合一）。",
                        m & EA_RADIATION ? "辐射环境影响评价文件" : "",
                        (m & EA_RADIATION) && (m & EA_OUTFALL) ? "、" : "",
                        m & EA_OUTFALL ? "入河排污口设置" : "");
}

/* POST /approval/applications/{id}/decision {decision: approve | reject, conditions, reason} */
static int api_decision(struct req *r)
{
    json_t *in;
    if (req_json_object(r, &in)) {
        return 0;
    }
    const char *d = NULL, *conditions = NULL, *reason = NULL;
    int rc = json_get_str(r, in, "decision", 16, true, &d);
    rc = rc ? rc : json_get_str(r, in, "conditions", TEXT_MAX, false, &conditions);
    rc = rc ? rc : json_get_str(r, in, "reason", TEXT_MAX, false, &reason);
    d = rc ? NULL : arena_strdup(r->a, d);
    conditions = rc || !conditions ? "" : arena_strdup(r->a, conditions);
    reason = rc || !reason ? "" : arena_strdup(r->a, reason);
    json_decref(in);
    if (rc) {
        return 0;
    }
    bool approve = !strcmp(d, "approve");
    if (!approve && strcmp(d, "reject")) {
        return resp_error(r, 422, "invalid",
                          "decision 应为 approve 或 reject / decision must be approve or reject",
                          "decision");
    }
    if (!approve && !*reason) {
        return resp_error(r, 422, "required", "不予批准须写明理由 / a refusal needs its reasons",
                          "reason");
    }
    if (approve && !*conditions) {
        return resp_error(r, 422, "required",
                          "批准须写明审批要求（条件） / an approval needs its conditions",
                          "conditions");
    }
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct eia_row *row = arena_alloc(r->a, sizeof *row);
    rc = row_visible(r, db, req_id(r, 0), row);
    if (rc) {
        return entity_finish_write(r, db, rc, 0);
    }
    if (strcmp(row->state, "accepted") || !row->case_id) {
        resp_error(r, 409, "conflict", "申请未在审查中 / the application is not under review",
                   "decision");
        return entity_finish_write(r, db, ERR_CONFLICT, 0);
    }
    json_t *ms = eia_column_json(r, row->missing_json, "missing_json");
    if (!ms) {
        return entity_finish_write(r, db, ERR_DB, 0);
    }
    size_t i, open = 0;
    json_t *v;
    json_array_foreach (ms, i, v) {
        open += !json_is_string(json_object_get(v, "received_on"));
    }
    json_decref(ms);
    if (approve && open) {
        resp_error(r, 409, "items_outstanding",
                   arena_printf(r->a,
                                "尚有 %zu 项容缺材料未补齐，不能批准 / %zu missing items "
                                "are still outstanding",
                                open, open),
                   "decision");
        return entity_finish_write(r, db, ERR_CONFLICT, 0);
    }
    if (approve && !strcmp(row->route, "commitment") && !row->commitment_signed) {
        resp_error(r, 409, "no_commitment",
                   "告知承诺制须有签署的承诺书 / the commitment route needs the signed commitment",
                   "commitment_signed");
        return entity_finish_write(r, db, ERR_CONFLICT, 0);
    }
    struct eia_context *cx = arena_zalloc(r->a, sizeof *cx);
    rc = eia_context_load(db, row->region_code, today, cx);
    if (rc) {
        store_rollback(app.store, db);
        return eia_context_fail(r, rc, cx);
    }
    struct case_actor who = {
        r->who->user_id, r->who->display_name, r->who->role, r->request_id, r->ip, true};
    const char *present[] = {"note"}, *field = NULL;
    char why[256] = "";
    const char *note = approve ? conditions : reason;
    struct buf f;
    buf_init(&f, 1 << 14);
    buf_puts(&f, "{\"note\":");
    buf_json_str(&f, note, strlen(note));
    buf_putc(&f, '}');
    rc = cases_transition(db, row->case_id, approve ? "approve" : "reject", &who, present, 1, f.p,
                          note, 0, now, &field, why, sizeof why);
    buf_release(&f);
    if (rc == ERR_FORBIDDEN || rc == ERR_INPUT || rc == ERR_CONFLICT) {
        resp_error(r,
                   rc == ERR_FORBIDDEN ? 403
                   : rc == ERR_INPUT   ? 422
                                       : 409,
                   rc == ERR_FORBIDDEN ? "forbidden" : "invalid", why, field ? field : "decision");
    }
    char comment_until[11] = "";
    int year = 0;
    if (cx->rules.comment_workdays) {
        eia_add_workdays(today, cx->rules.comment_workdays, comment_until, &year);
    }
    int64_t verify_case = 0;
    if (!rc && approve && !strcmp(row->route, "commitment")) {
        char title[800];
        snprintf(title, sizeof title, "告知承诺批后核查：%s", row->project_name);
        struct case_open o = {.type = "eia_verify",
                              .subject_kind = "eia_application",
                              .subject_id = row->id,
                              .enterprise_id = row->enterprise_id,
                              .region_code = row->region_code,
                              .title = title,
                              .unit = CU_WORKDAYS,
                              .limit = cx->rules.verify_workdays,
                              .rule_set_id = cx->ref.id,
                              .rule_version = cx->ref.version,
                              .limit_source = "rules approval.routes verify_workdays"};
        rc = cases_open(db, &o, r->who->user_id, r->who->display_name, now, &verify_case);
    }
    rc = rc ? rc
            : store_eia_decide(db, row->id, approve ? "approved" : "rejected", conditions, reason,
                               r->who->user_id, today, *comment_until ? comment_until : NULL,
                               verify_case, now);
    rc = rc ? rc : audit(r, db, row->id, approve ? "approve" : "reject");
    static const char *const CLASS_ZH[] = {"", "登记表", "报告表", "报告书"};
    static const char *const ROUTE_ZH[] = {"豁免", "告知承诺制", "直接审批（免技术评估）",
                                           "常规审查", "备案"};
    int ci = eia_class_parse(row->cls), ri = eia_route_parse(row->route);
    char *date = arena_alloc(r->a, 40);
    if (documents_date_cn(today, date, 40)) {
        snprintf(date, 40, "%s", today);
    }
    int64_t att = 0, card = 0;
    if (!rc) {
        struct doc_field fd[] = {
            {"project", row->project_name},
            {"class_zh", arena_printf(r->a, "%s", ci > 0 ? CLASS_ZH[ci] : "")},
            {"class_short", ci == EC_REPORT ? "报告书" : "报告表"},
            {"site", row->park[0] ? row->park : row->enterprise_name},
            {"investment", arena_printf(r->a, "%.2f", row->investment)},
            {"route_zh", ri >= 0 ? ROUTE_ZH[ri] : ""},
            {"combined", combined_text(r, row->assessments)},
            {"conditions", conditions},
            {"reason", reason},
            {"date", date},
        };
        rc = eia_issue(r, db, row, approve ? "eia_decision" : "eia_reject", fd, ARRAY_LEN(fd),
                       today, &att);
    }
    if (!rc && approve) {
        struct buf lines;
        buf_init(&lines, 1 << 14);
        rc = obligations_add(r, db, row, &cx->rules, today, now, &lines);
        char number[96] = "";
        store_eia_document_number(db, row->id, "eia_decision", number, sizeof number);
        struct doc_field fc[] = {{"project", row->project_name},
                                 {"date", date},
                                 {"decision_no", number},
                                 {"obligations", lines.p}};
        rc = rc ? rc : eia_issue(r, db, row, "eia_card", fc, ARRAY_LEN(fc), today, &card);
        buf_release(&lines);
    }
    if (!rc) {
        char t[800];
        snprintf(t, sizeof t, "环评申请“%s”%s", row->project_name,
                 approve ? "已获批准，请下载批复和温馨提示卡，按期履行批后义务"
                         : "未获批准，请查看不予批准决定书");
        rc = store_eia_notify(db, row->enterprise_id, approve ? "eia_approved" : "eia_rejected", t,
                              now);
    }
    rc = rc ? rc : store_eia_json(db, row->id, now, &r->out);
    return entity_finish_write(r, db, rc, 200);
}

int approval_verified(struct db *db, int64_t id, const char *action, const struct case_actor *who,
                      const char *note, const char *now)
{
    bool false_commitment = !strcmp(action, "find_false");
    static _Thread_local struct eia_row row;
    struct arena a;
    arena_init(&a, 0);
    int rc = store_eia_get(db, id, &a, &row);
    arena_free(&a); /* only the fixed columns are read here */
    row.checklist_json = row.missing_json = row.capacity = NULL;
    if (!rc && !row.verify_case_id) {
        return ERR_CONFLICT;
    }
    char today[11], cn[20];
    snprintf(today, sizeof today, "%.10s", iso_utc_to_china(now, cn) ? cn : now);
    if (!rc && false_commitment) {
        static _Thread_local struct eia_context cx;
        rc = eia_context_load(db, row.region_code, today, &cx);
        double points = rc ? -10 : cx.rules.false_commitment_points;
        rc = store_eia_revoke(db, id, note ? note : "", now);
        char reason[700], key[48];
        snprintf(reason, sizeof reason, "环评告知承诺不实，撤销“%s”的审批决定：%s",
                 row.project_name, note ? note : "");
        snprintf(key, sizeof key, "eia_false_commitment:%lld", (long long)id);
        struct credit_event_input ev = {.subject_kind = "enterprise",
                                        .subject_id = row.enterprise_id,
                                        .type = "manual",
                                        .occurred_on = today,
                                        .has_points = true,
                                        .points = points,
                                        .reason = reason,
                                        .evidence = "",
                                        .source = "approval",
                                        .source_id = id,
                                        .dedupe_key = key,
                                        .actor_id = who->user_id,
                                        .actor = who->name,
                                        .request_id = who->request_id,
                                        .ip = who->ip};
        int64_t ev_id = 0;
        rc = rc ? rc : credit_event_add(db, &ev, now, &ev_id);
        rc = rc ? rc : store_eia_notify(db, row.enterprise_id, "eia_revoked", reason, now);
    }
    if (!rc) {
        struct audit_entry a = {.actor_id = who->user_id,
                                .actor = who->name ? who->name : "system",
                                .entity = "eia_application",
                                .entity_id = id,
                                .action =
                                    false_commitment ? "revoke_approval" : "verify_commitment",
                                .request_id = who->request_id,
                                .ip = who->ip};
        rc = store_audit_add(db, &a);
    }
    return rc;
}

/* GET /approval/ledger: the 挂账销号 ledger. */
static int api_ledger(struct req *r)
{
    char now[32], today[11];
    now_and_today(now, today);
    struct eia_ledger_query q = {.now = now,
                                 .clock = req_query(r, "clock"),
                                 .route = req_query(r, "route"),
                                 .cls = req_query(r, "class"),
                                 .state = req_query(r, "state"),
                                 .q = req_query(r, "q"),
                                 .limit = 50};
    const char *l = req_query(r, "limit"), *o = req_query(r, "offset");
    if (l && (parse_i64(l, strlen(l), &q.limit) || q.limit < 1 || q.limit > 200)) {
        return resp_error(r, 422, "invalid", "limit 应为 1–200 / limit must be 1..200", "limit");
    }
    if (o && (parse_i64(o, strlen(o), &q.offset) || q.offset < 0)) {
        return resp_error(r, 422, "invalid", "offset 无效 / bad offset", "offset");
    }
    static const char *const CLOCKS[] = {"on_track", "due_soon", "overdue",
                                         "paused",   "stopped",  NULL};
    bool ok = !q.clock || !*q.clock;
    for (size_t i = 0; !ok && CLOCKS[i]; i++) {
        ok = !strcmp(q.clock, CLOCKS[i]);
    }
    if (!ok) {
        return resp_error(r, 422, "invalid", "clock 无效 / bad clock", "clock");
    }
    struct db *db = store_read(app.store);
    int rc = store_eia_ledger(db, &r->who->scope, &q, &r->out);
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return resp_err(r, rc, NULL, NULL);
    }
    json_t *doc = json_loadb(r->out.p, r->out.len, 0, NULL);
    if (doc) {
        size_t i;
        json_t *v;
        json_array_foreach (json_object_get(doc, "items"), i, v) {
            days_of(v, today);
        }
        char *s = json_dumps(doc, JSON_COMPACT);
        json_decref(doc);
        buf_reset(&r->out);
        buf_puts(&r->out, s);
        free(s);
    }
    return resp_json(r, 200);
}

static int api_stats(struct req *r)
{
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db = store_read(app.store);
    int rc = store_eia_stats(db, &r->who->scope, now, &r->out);
    return entity_finish_read(r, db, rc);
}

static int api_public(struct req *r)
{
    struct db *db = store_read(app.store);
    int rc = store_eia_public(db, 100, &r->out);
    return entity_finish_read(r, db, rc);
}

static int api_catalogue_list(struct req *r)
{
    return entity_list(r, &CATALOGUE, 0);
}

static int api_catalogue_create(struct req *r)
{
    return entity_create(r, &CATALOGUE, 0);
}

static int api_catalogue_update(struct req *r)
{
    return entity_update(r, &CATALOGUE, req_id(r, 0));
}

static int api_obligation_done(struct req *r)
{
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t app_id = 0;
    rc = store_eia_obligation_done(db, req_id(r, 0), r->who->enterprise_id, today, &app_id);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该事项 / no such obligation", "id");
    } else if (rc == ERR_CONFLICT) {
        resp_error(r, 409, "conflict", "该事项已完成 / already done", "id");
    }
    rc = rc ? rc : audit(r, db, app_id, "obligation_done");
    rc = rc ? rc : store_eia_json(db, app_id, now, &r->out);
    return entity_finish_write(r, db, rc, 200);
}

/* POST /approval/applications/{id}/withdraw: the enterprise withdraws its application before the
   decision (an accepted one's case stops). */
static int api_withdraw(struct req *r)
{
    char now[32], today[11];
    now_and_today(now, today);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct eia_row *row = arena_alloc(r->a, sizeof *row);
    rc = row_visible(r, db, req_id(r, 0), row);
    if (rc) {
        return entity_finish_write(r, db, rc, 0);
    }
    bool open = !strcmp(row->state, "filed") || !strcmp(row->state, "notice");
    if (!open && strcmp(row->state, "accepted")) {
        resp_error(r, 409, "conflict", "该申请已办结 / the application is closed", "state");
        return entity_finish_write(r, db, ERR_CONFLICT, 0);
    }
    if (!open && row->case_id) {
        struct case_actor who = {
            r->who->user_id, r->who->display_name, r->who->role, r->request_id, r->ip, true};
        const char *field = NULL;
        char why[256] = "";
        rc = cases_transition(db, row->case_id, "withdraw", &who, NULL, 0, "{}", "企业撤回申请", 0,
                              now, &field, why, sizeof why);
        if (rc == ERR_CONFLICT || rc == ERR_FORBIDDEN || rc == ERR_INPUT) {
            resp_error(r, 409, "conflict", why, "state");
        }
    }
    rc = rc ? rc : store_eia_move(db, row->id, row->state, "withdrawn", now);
    rc = rc ? rc : audit(r, db, row->id, "withdraw");
    rc = rc ? rc : store_eia_json(db, row->id, now, &r->out);
    return entity_finish_write(r, db, rc, 200);
}

static const struct route routes[] = {
    {"GET", "/api/v1/approval/applications", ROLES_ANY, api_list, 0,
     "EIA applications (sort, filter, page; an enterprise user: its own)"},
    {"GET", "/api/v1/approval/applications/{id}", ROLES_ANY, api_get, 0,
     "One EIA application with its clock, pauses, documents and obligations"},
    {"POST", "/api/v1/approval/applications/{id}/step", APPROVERS, api_step, 0,
     "Start or end expert review, a hearing or the public notice (the clock pauses)"},
    {"POST", "/api/v1/approval/applications/{id}/decision", DECIDERS, api_decision, 0,
     "Approve with conditions or reject with reasons (decision PDF, reminder card, obligations)"},
    {"POST", "/api/v1/approval/applications/{id}/withdraw", ROLE_ENTERPRISE, api_withdraw, 0,
     "The enterprise withdraws its application before the decision"},
    {"GET", "/api/v1/approval/ledger", ROLES_STAFF, api_ledger, 0,
     "The 挂账销号 ledger: applications on the clock with owner, days used and left"},
    {"GET", "/api/v1/approval/stats", ROLES_STAFF, api_stats, 0,
     "Figures of the approval dashboard: by route and class, by month, days used"},
    {"GET", "/api/v1/public/approval/notices", 0, api_public, RF_PUBLIC,
     "Public notices of accepted applications and approval decisions"},
    {"GET", "/api/v1/approval/catalogue", ROLES_ANY, api_catalogue_list, 0,
     "The EIA classification catalogue (分类管理名录 items)"},
    {"POST", "/api/v1/approval/catalogue", ROLE_ADMIN, api_catalogue_create, 0,
     "Add a catalogue item"},
    {"PUT", "/api/v1/approval/catalogue/{id}", ROLE_ADMIN, api_catalogue_update, 0,
     "Edit a catalogue item"},
    {"POST", "/api/v1/approval/obligations/{id}/done", ROLE_ENTERPRISE, api_obligation_done, 0,
     "The enterprise marks an obligation after approval done"},
};

void approval_api_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
