/*
** Moving a request through its case: the module's API takes an action (受理, 不予受理, 转送,
** 转办, 办理记录, 现场核查, 延期, 办结, 回访, 重新办理), checks it against the case type by
** cases_transition, and writes what the action carries onto the row (the answer for the
** complainant, the competent body, the unit and officer, the rating) in the same transaction.
** A site visit may open an inspection task (inspect_task_create, source "complaint"). Reopening
** ends the closed case and opens a new one on the same limit, accepted and dispatched to the
** same unit and officer.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "inspect/inspect.h"
#include "request/internal.h"

static const char *row_state_of(const char *action, const char *from)
{
    static const struct {
        const char *action, *state;
    } M[] = {{"accept", "accepted"},   {"reject", "rejected"}, {"refer", "referred"},
             {"dispatch", "handling"}, {"close", "closed"},    {"follow_up", "rated"},
             {"reopen", "handling"}};
    for (size_t i = 0; i < sizeof M / sizeof M[0]; i++) {
        if (!strcmp(M[i].action, action)) {
            return M[i].state;
        }
    }
    return from;
}

static void fields_json(const struct request_action *a, struct buf *f)
{
    buf_puts(f, "{");
    const char *keys[] = {"note", "answer", "referred_to"};
    const char *vals[] = {a->note, a->answer, a->referred_to};
    int n = 0;
    for (int i = 0; i < 3; i++) {
        if (vals[i] && *vals[i]) {
            buf_printf(f, "%s\"%s\":", n++ ? "," : "", keys[i]);
            buf_json_str(f, vals[i], strlen(vals[i]));
        }
    }
    if (a->satisfaction) {
        buf_printf(f, "%s\"satisfaction\":%d", n++ ? "," : "", a->satisfaction);
    }
    if (a->org_unit_id) {
        buf_printf(f, "%s\"org_unit_id\":%lld", n++ ? "," : "", (long long)a->org_unit_id);
    }
    if (a->assignee_user_id) {
        buf_printf(f, "%s\"assignee_user_id\":%lld", n++ ? "," : "",
                   (long long)a->assignee_user_id);
    }
    buf_putc(f, '}');
}

static int take(struct db *db, int64_t case_id, const char *action, const struct request_action *a,
                const struct case_actor *who, const char *now, const char **field, char *why,
                size_t cap)
{
    const char *present[6];
    size_t np = 0;
    if (a->note && *a->note) {
        present[np++] = "note";
    }
    if (a->answer && *a->answer) {
        present[np++] = "answer";
    }
    if (a->referred_to && *a->referred_to) {
        present[np++] = "referred_to";
    }
    if (a->satisfaction) {
        present[np++] = "satisfaction";
    }
    if (a->extension) {
        present[np++] = "extension";
    }
    struct buf f;
    buf_init(&f, 1 << 16);
    fields_json(a, &f);
    const char *note = a->note && *a->note ? a->note : a->answer ? a->answer : "";
    int rc = cases_transition(db, case_id, action, who, present, np, f.p, note, a->extension, now,
                              field, why, cap);
    buf_release(&f);
    return rc;
}

/* A site visit that becomes an inspection task (the complaint names an enterprise). */
static int site_visit(struct db *db, const struct request_row *row, const struct request_action *a,
                      const struct case_actor *who, const char *now, int64_t *task_id,
                      const char **field, char *why, size_t cap)
{
    *task_id = 0;
    if (!a->inspect) {
        return 0;
    }
    if (!row->enterprise_id) {
        *field = "inspect";
        snprintf(why, cap,
                 "投诉未指明企业，无法生成检查任务 / the complaint names no enterprise "
                 "to inspect");
        return ERR_INPUT;
    }
    char today[11];
    date_cn(case_iso_seconds(now), today);
    struct inspect_task_input in = {.enterprise_id = row->enterprise_id,
                                    .source_kind = "complaint",
                                    .source_id = row->id,
                                    .purpose = "complaint",
                                    .level = "enforcement",
                                    .planned_on =
                                        a->planned_on && *a->planned_on ? a->planned_on : today,
                                    .lead_user_id = a->assignee_user_id};
    int64_t case_id = 0;
    return inspect_task_create(db, &in, who, now, task_id, &case_id, field, why, cap);
}

static int reopen(struct db *db, const struct request_row *row, const struct request_action *a,
                  const struct case_actor *who, const char *now, const char **field, char *why,
                  size_t cap)
{
    char cstate[24] = "";
    int rc = 0;
    if (!strcmp(row->state, "closed")) {
        rc = take(db, row->case_id, "reopen", a, who, now, field, why, cap);
    } else if (strcmp(row->state, "rated")) {
        snprintf(why, cap, "只有办结的件可以重新办理 / only a closed request can be reopened");
        return ERR_CONFLICT;
    } else if (!a->note || !*a->note) {
        *field = "note";
        snprintf(why, cap, "请写明重新办理的原因 / say why it is reopened");
        return ERR_INPUT;
    }
    (void)cstate;
    if (rc) {
        return rc;
    }
    char today[11], cn[20];
    snprintf(today, sizeof today, "%.10s", iso_utc_to_china(now, cn) ? cn : now);
    struct request_clocks k;
    rc = request_clocks_load(db, row->region_code, today, &k);
    rc = rc ? rc : k.ref.id ? rules_mark_used(db, &k.ref) : 0;
    char title[200];
    snprintf(title, sizeof title, "重新办理：%s", row->tracking_code);
    struct case_open o = {.type = "request",
                          .subject_kind = "request",
                          .subject_id = row->id,
                          .enterprise_id = row->enterprise_id,
                          .region_code = row->region_code,
                          .org_unit_id = row->org_unit_id,
                          .assignee_user_id = row->assignee_user_id,
                          .title = title,
                          .unit = CU_DAYS,
                          .limit = k.close_days,
                          .rule_set_id = k.ref.id,
                          .rule_version = k.ref.version,
                          .limit_source = "rules request.clocks close_days"};
    int64_t case_id = 0;
    rc = rc ? rc : cases_open(db, &o, who->user_id, who->name, now, &case_id);
    struct request_action none = {0};
    rc = rc ? rc : take(db, case_id, "accept", &none, who, now, field, why, cap);
    rc = rc ? rc : take(db, case_id, "dispatch", &none, who, now, field, why, cap);
    struct request_move m = {.state = "handling",
                             .case_id = case_id,
                             .closed_at = "-",
                             .public_note = "重新办理 / reopened"};
    return rc ? rc : store_request_update(db, row->id, &m, now);
}

int request_move(struct db *db, int64_t id, const struct request_action *a,
                 const struct case_actor *who, const char *now, const char **field, char *why,
                 size_t cap)
{
    struct request_row row;
    int rc = store_request_get(db, id, &row);
    if (rc) {
        return rc;
    }
    if (a->satisfaction && (a->satisfaction < 1 || a->satisfaction > 5)) {
        *field = "satisfaction";
        snprintf(why, cap, "满意度应为 1–5 / satisfaction must be 1 to 5");
        return ERR_INPUT;
    }
    if (!strcmp(a->action, "approve_extension") && a->extension) {
        /* one extension is at most the rule set's close_extension_days */
        char today[11], cn[20];
        snprintf(today, sizeof today, "%.10s", iso_utc_to_china(now, cn) ? cn : now);
        struct request_clocks k;
        rc = request_clocks_load(db, row.region_code, today, &k);
        if (!rc && a->extension > k.close_extension_days) {
            *field = "extension";
            snprintf(why, cap, "延期不得超过 %d 日 / an extension is at most %d days",
                     k.close_extension_days, k.close_extension_days);
            return ERR_INPUT;
        }
        if (rc) {
            return rc;
        }
    }
    if (!strcmp(a->action, "reopen")) {
        rc = reopen(db, &row, a, who, now, field, why, cap);
    } else {
        rc = take(db, row.case_id, a->action, a, who, now, field, why, cap);
    }
    int64_t task = 0;
    if (!rc && !strcmp(a->action, "site_visit")) {
        rc = site_visit(db, &row, a, who, now, &task, field, why, cap);
    }
    if (rc || !strcmp(a->action, "reopen")) {
        goto audit;
    }
    struct request_move m = {.state = row_state_of(a->action, NULL)};
    if (!strcmp(a->action, "request_extension") || !strcmp(a->action, "approve_extension") ||
        !strcmp(a->action, "deny_extension") || !strcmp(a->action, "note") ||
        !strcmp(a->action, "site_visit")) {
        m.state = NULL;
    }
    if (!strcmp(a->action, "close")) {
        m.answer = a->answer;
        m.closed_at = now;
    }
    if (!strcmp(a->action, "reject")) {
        m.reject_reason = a->note;
    }
    if (!strcmp(a->action, "refer")) {
        m.referred_to = a->referred_to;
        m.closed_at = now;
    }
    if (!strcmp(a->action, "follow_up")) {
        m.satisfaction = a->satisfaction;
    }
    static const struct {
        const char *action, *note;
    } PUBLIC[] = {{"accept", "已受理 / accepted"},
                  {"dispatch", "已转办承办单位 / passed to the handling unit"},
                  {"site_visit", "已现场核查 / site visited"},
                  {"approve_extension", "办理期限已延长 / the time limit was extended"}};
    for (size_t i = 0; i < sizeof PUBLIC / sizeof PUBLIC[0]; i++) {
        if (!strcmp(PUBLIC[i].action, a->action)) {
            m.public_note = PUBLIC[i].note;
        }
    }
    if (!strcmp(a->action, "dispatch")) {
        m.org_unit_id = a->org_unit_id;
        m.assignee_user_id = a->assignee_user_id;
        rc = store_request_dispatch_case(db, row.case_id, a->org_unit_id, a->assignee_user_id);
    }
    m.inspect_task_id = task;
    rc = rc ? rc : store_request_update(db, id, &m, now);
audit:
    if (rc) {
        return rc;
    }
    struct audit_entry au = {.actor_id = who->user_id,
                             .actor = who->name ? who->name : "system",
                             .entity = "request",
                             .entity_id = id,
                             .action = a->action,
                             .request_id = who->request_id,
                             .ip = who->ip};
    return store_audit_add(db, &au);
}
