/*
** The positive list's writes and the answers other modules ask for: admission by the criteria
** in force, nomination as a case that a leader decides (the positive_nomination case type),
** removal with the bar after a malicious violation, the expiry job, on-site inspection approval
** requests and the off-site supervision record. Every write runs in the caller's transaction
** and writes one audit row on the record it wrote (entities positive_entry, positive_nomination,
** positive_onsite_request, positive_offsite; actions positive_*), with the facts and the
** enterprise_id as after_json.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "core/err.h"
#include "core/log.h"
#include "core/util.h"
#include "http/http.h"
#include "positive/positive_int.h"
#include "store/q_positive.h"

static void refuse(struct positive_refusal *why, int status, const char *code, const char *field,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void refuse(struct positive_refusal *why, int status, const char *code, const char *field,
                   const char *fmt, ...)
{
    why->status = status;
    why->code = code;
    why->field = field;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why->msg, sizeof why->msg, fmt, ap);
    va_end(ap);
}

/* The audit row of a write on one of the module's records (module.c lists them: the audit log
   names each). Not on the enterprise: its change history is open to the enterprise user, who
   may see only whether the firm is listed (on-site requests name inspection dates). */
static int audit(struct db *db, const struct positive_actor *who, const char *entity, int64_t id,
                 const char *action, const char *after)
{
    struct audit_entry a = {.actor_id = who ? who->user_id : 0,
                            .actor = who && who->name ? who->name : "system",
                            .entity = entity,
                            .entity_id = id,
                            .action = action,
                            .after_json = after,
                            .request_id = who ? who->request_id : NULL,
                            .ip = who ? who->ip : NULL};
    return store_audit_add(db, &a);
}

int positive_criteria_in_force(struct db *db, const char *region, const char *date,
                               struct positive_criteria *c, struct rule_ref *ref)
{
    json_t *body = NULL;
    int rc = rules_resolve(db, "positive.criteria", region, date, &body, ref);
    if (rc) {
        return rc;
    }
    const char *field;
    rc = positive_criteria_parse(body, c, &field);
    if (rc) {
        log_error("positive.criteria v%d (id %lld): member %s does not read", ref->version,
                  (long long)ref->id, field);
    }
    json_decref(body);
    return rc;
}

int positive_listed(struct db *db, int64_t enterprise_id, const char *date, bool *listed)
{
    *listed = false;
    return store_positive_listed(db, enterprise_id, date, listed);
}

static bool date_ok(const char *s)
{
    char tmp[11];
    return s && positive_date_add_years(s, 0, tmp) == 0;
}

int positive_onsite_check(struct db *db, int64_t enterprise_id, const char *date,
                          const char *purpose, bool *needs_approval, int64_t *request_id)
{
    *needs_approval = false;
    if (request_id) {
        *request_id = 0;
    }
    if (!purpose || !*purpose || !date_ok(date)) {
        return ERR_INPUT;
    }
    bool listed;
    int rc = store_positive_listed(db, enterprise_id, date, &listed);
    if (rc || !listed || !strcmp(purpose, POSITIVE_PURPOSE_COMPLAINT)) {
        return rc;
    }
    int64_t id = 0;
    rc = store_positive_onsite_approved(db, enterprise_id, date, &id);
    *needs_approval = !rc && id == 0;
    if (request_id) {
        *request_id = id;
    }
    return rc;
}

/* The facts of an enterprise as the criteria read them. */
static void facts_of(const struct positive_fact_row *r, struct positive_facts *f)
{
    *f = (struct positive_facts){.grade = r->grade,
                                 .category = r->category,
                                 .tags = r->tags,
                                 .last_penalty = r->last_penalty,
                                 .barred_to = r->barred_to,
                                 .listed_to = r->listed_to};
}

/* The refusals admission and nomination share: no enterprise, inactive, barred, listed. */
static int common_refusals(struct db *db, int64_t enterprise_id, const char *today,
                           struct positive_fact_row *r, struct positive_refusal *why)
{
    int rc = store_positive_facts(db, enterprise_id, today, r);
    if (rc == ERR_NOTFOUND) {
        refuse(why, 404, "not_found", "enterprise_id", "企业不存在 / no such enterprise");
        return rc;
    }
    if (rc) {
        return rc;
    }
    if (strcmp(r->status, "active")) {
        refuse(why, 409, "inactive", "enterprise_id",
               "该企业已停用，不能纳入正面清单 / the enterprise is inactive");
        return ERR_CONFLICT;
    }
    if (*r->barred_to && strcmp(today, r->barred_to) < 0) {
        refuse(why, 409, "barred", "enterprise_id",
               "该企业因恶意违法被移出正面清单，%s 前不得再次纳入 / removed for a malicious "
               "violation: barred from the list until %s",
               r->barred_to, r->barred_to);
        return ERR_CONFLICT;
    }
    if (r->listed_entry) {
        refuse(why, 409, "already_listed", "enterprise_id",
               "该企业已在正面清单中（至 %s）/ already on the list until %s", r->listed_to,
               r->listed_to);
        return ERR_CONFLICT;
    }
    if (r->pending_nomination) {
        refuse(why, 409, "nomination_pending", "enterprise_id",
               "该企业有待审批的推荐（#%lld）/ a nomination of this enterprise awaits approval",
               (long long)r->pending_nomination);
        return ERR_CONFLICT;
    }
    return 0;
}

static int criteria_or_refuse(struct db *db, const char *region, const char *today,
                              struct positive_criteria *c, struct rule_ref *ref,
                              struct positive_refusal *why)
{
    int rc = positive_criteria_in_force(db, region, today, c, ref);
    if (rc == ERR_NOTFOUND || rc == ERR_INPUT) {
        refuse(why, 409, "no_rule_set", "rules",
               "该地区没有生效的正面清单纳入条件（规则集 positive.criteria）/ no positive.criteria "
               "rule set is in force for region %s",
               region);
        return ERR_CONFLICT;
    }
    return rc;
}

/* The entry's row, its audit row and the rule set marked used. */
static int list_firm(struct db *db, const struct positive_fact_row *r,
                     const struct positive_criteria *c, const struct rule_ref *ref,
                     const struct positive_eval *ev, const char *basis, int64_t nomination_id,
                     const char *note, const struct positive_actor *who, const char *today,
                     const char *now, int64_t *entry_id)
{
    char to[11];
    int rc = positive_date_add_years(today, c->term_years, to);
    if (rc) {
        return rc;
    }
    struct buf reasons, after;
    buf_init(&reasons, 1 << 14);
    buf_init(&after, 1 << 16);
    positive_eval_json(ev, &reasons);
    struct positive_entry_new n = {.enterprise_id = r->id,
                                   .listed_from = today,
                                   .listed_to = to,
                                   .basis = basis,
                                   .reasons_json = reasons.p,
                                   .rule_set_id = ref->id,
                                   .rule_version = ref->version,
                                   .nomination_id = nomination_id,
                                   .admitted_by = who->user_id,
                                   .admitted_by_name = who->name,
                                   .now = now};
    rc = store_positive_entry_insert(db, &n, entry_id);
    rc = rc ? rc : rules_mark_used(db, ref);
    if (!rc) {
        buf_printf(&after,
                   "{\"enterprise_id\":%lld,\"entry_id\":%lld,\"basis\":\"%s\",\"listed_from\":"
                   "\"%s\",\"listed_to\":\"%s\",\"rule_set_id\":%lld,\"rule_version\":%d,"
                   "\"note\":",
                   (long long)r->id, (long long)*entry_id, basis, today, to, (long long)ref->id,
                   ref->version);
        buf_json_str(&after, note ? note : "", note ? strlen(note) : 0);
        buf_puts(&after, ",\"reasons\":");
        buf_append(&after, reasons.p, reasons.len);
        buf_putc(&after, '}');
        rc = audit(db, who, "positive_entry", *entry_id, "positive_admit", after.p);
    }
    buf_release(&reasons);
    buf_release(&after);
    return rc;
}

int positive_admit(struct db *db, int64_t enterprise_id, const char *note,
                   const struct positive_actor *who, const char *today, const char *now,
                   int64_t *entry_id, struct positive_refusal *why)
{
    struct positive_fact_row r;
    int rc = common_refusals(db, enterprise_id, today, &r, why);
    struct positive_criteria c;
    struct rule_ref ref;
    rc = rc ? rc : criteria_or_refuse(db, r.region_code, today, &c, &ref, why);
    if (rc) {
        return rc;
    }
    struct positive_facts f;
    struct positive_eval ev;
    facts_of(&r, &f);
    rc = positive_evaluate(&c, &f, today, &ev);
    if (rc) {
        return rc;
    }
    if (!ev.eligible) {
        size_t len = (size_t)snprintf(why->msg, sizeof why->msg,
                                      "不符合正面清单纳入条件（规则集 v%d）：", ref.version);
        for (int i = 0; i < PC_N && len < sizeof why->msg; i++) {
            if (!ev.checks[i].ok) {
                len += (size_t)snprintf(why->msg + len, sizeof why->msg - len, "%s；",
                                        ev.checks[i].zh);
            }
        }
        for (int i = 0; i < PC_N && len < sizeof why->msg; i++) {
            if (!ev.checks[i].ok) {
                len += (size_t)snprintf(why->msg + len, sizeof why->msg - len, " / %s",
                                        ev.checks[i].en);
            }
        }
        why->status = 422;
        why->code = "criteria_not_met";
        why->field = "enterprise_id";
        return ERR_INPUT;
    }
    return list_firm(db, &r, &c, &ref, &ev, "criteria", 0, note, who, today, now, entry_id);
}

/* ---------------- nominations: the positive_nomination case type ---------------- */

#define NOMINATORS ROLES_STAFF
#define DECIDERS ROLE_LEADER /* the head of enforcement */

static const char *const NOM_STATES[] = {"submitted", "approved", "refused", "withdrawn", NULL};
static const char *const NOM_FINAL[] = {"approved", "refused", "withdrawn", NULL};
static const char *const NOTE[] = {"note", NULL};

static const struct case_transition NOM_TRANSITIONS[] = {
    {"submitted", "approved", "approve", DECIDERS, NULL, CLOCK_STOP, "批准纳入", "Approve"},
    {"submitted", "refused", "refuse", DECIDERS, NOTE, CLOCK_STOP, "不予纳入", "Refuse"},
    {"submitted", "withdrawn", "withdraw", NOMINATORS & ~ROLE_LEADER, NOTE, CLOCK_STOP, "撤回推荐",
     "Withdraw"},
};

/* A transition of the nomination's case moves the nomination: approve lists the firm under
   the rule set in force that day (the bar and a listing in force since the nomination refuse
   it), refuse and withdraw close it. */
static int nomination_follow(struct db *db, int64_t nomination_id, const struct case_transition *tr,
                             const struct case_actor *who, const char *note, const char *now)
{
    struct positive_nomination_row nr;
    int rc = store_positive_nomination_get(db, nomination_id, &nr);
    if (rc) {
        return rc;
    }
    struct positive_actor pa = {who->user_id, who->name, who->request_id, who->ip};
    char today[11];
    date_cn(case_iso_seconds(now), today);
    int64_t entry = 0;
    if (!strcmp(tr->action, "approve")) {
        struct positive_fact_row r;
        struct positive_refusal why;
        struct positive_criteria c;
        struct rule_ref ref;
        rc = store_positive_facts(db, nr.enterprise_id, today, &r);
        if (!rc && ((*r.barred_to && strcmp(today, r.barred_to) < 0) || r.listed_entry)) {
            log_info("nomination %lld: the firm is barred or listed now; not approved",
                     (long long)nomination_id);
            return ERR_CONFLICT;
        }
        rc = rc ? rc : criteria_or_refuse(db, r.region_code, today, &c, &ref, &why);
        struct positive_facts f;
        struct positive_eval ev;
        facts_of(&r, &f);
        rc = rc ? rc : positive_evaluate(&c, &f, today, &ev);
        rc = rc ? rc
                : list_firm(db, &r, &c, &ref, &ev, "nomination", nomination_id, note, &pa, today,
                            now, &entry);
    }
    const char *state = !strcmp(tr->action, "approve")  ? "approved"
                        : !strcmp(tr->action, "refuse") ? "refused"
                                                        : "withdrawn";
    rc = rc ? rc
            : store_positive_nomination_decide(db, nomination_id, state, entry, who->user_id,
                                               who->name, note, now);
    if (!rc) {
        char after[200];
        snprintf(
            after, sizeof after,
            "{\"enterprise_id\":%lld,\"nomination_id\":%lld,\"state\":\"%s\",\"entry_id\":%lld}",
            (long long)nr.enterprise_id, (long long)nomination_id, state, (long long)entry);
        rc = audit(db, &pa, "positive_nomination", nomination_id, "positive_nomination_decide",
                   after);
    }
    return rc;
}

static const struct case_type NOMINATION_CASE = {
    .name = "positive_nomination",
    .label_zh = "正面清单推荐审批",
    .label_en = "Positive-list nomination",
    .states = NOM_STATES,
    .final = NOM_FINAL,
    .transitions = NOM_TRANSITIONS,
    .n_transitions = ARRAY_LEN(NOM_TRANSITIONS),
    .on_move = nomination_follow,
};

void positive_case_register(void)
{
    cases_type_register(&NOMINATION_CASE);
}

int positive_nominate(struct db *db, int64_t enterprise_id, const char *reason,
                      const struct positive_actor *who, const char *today, const char *now,
                      int64_t *nomination_id, int64_t *case_id, struct positive_refusal *why)
{
    positive_case_register();
    struct positive_fact_row r;
    int rc = common_refusals(db, enterprise_id, today, &r, why);
    struct positive_criteria c;
    struct rule_ref ref;
    rc = rc ? rc : criteria_or_refuse(db, r.region_code, today, &c, &ref, why);
    if (rc) {
        return rc;
    }
    if (!c.nomination_allowed) {
        refuse(why, 422, "nomination_not_allowed", "enterprise_id",
               "本地区的纳入条件（规则集 v%d）不允许推荐纳入 / the criteria in force (v%d) allow "
               "no nomination",
               ref.version, ref.version);
        return ERR_INPUT;
    }
    rc = store_positive_nomination_insert(db, enterprise_id, reason, ref.id, ref.version,
                                          who->user_id, who->name, now, nomination_id);
    char title[400];
    snprintf(title, sizeof title, "正面清单推荐：%s", r.name);
    struct case_open o = {.type = "positive_nomination",
                          .subject_kind = "positive_nomination",
                          .subject_id = *nomination_id,
                          /* no enterprise on the case: an enterprise user sees its firm's
                             cases, and may see of the list only its own listing and term */
                          .enterprise_id = 0,
                          .region_code = r.region_code,
                          .title = title,
                          .unit = CU_WORKDAYS,
                          .limit = c.nomination_workdays,
                          .rule_set_id = ref.id,
                          .rule_version = ref.version,
                          .limit_source = "rules positive.criteria"};
    rc = rc ? rc : cases_open(db, &o, who->user_id, who->name, now, case_id);
    rc = rc ? rc : store_positive_nomination_set_case(db, *nomination_id, *case_id);
    rc = rc ? rc : rules_mark_used(db, &ref);
    if (!rc) {
        struct buf after;
        buf_init(&after, 1 << 14);
        buf_printf(&after,
                   "{\"enterprise_id\":%lld,\"nomination_id\":%lld,\"case_id\":%lld,\"reason\":",
                   (long long)enterprise_id, (long long)*nomination_id, (long long)*case_id);
        buf_json_str(&after, reason, strlen(reason));
        buf_putc(&after, '}');
        rc = audit(db, who, "positive_nomination", *nomination_id, "positive_nominate", after.p);
        buf_release(&after);
    }
    return rc;
}

/* ---------------- removal and expiry ---------------- */

int positive_remove(struct db *db, int64_t entry_id, const char *reason, bool malicious,
                    const struct positive_actor *who, const char *today, const char *now,
                    char barred_to[11], struct positive_refusal *why)
{
    struct positive_entry_row e;
    barred_to[0] = 0;
    int rc = store_positive_entry_get(db, entry_id, &e);
    if (rc == ERR_NOTFOUND) {
        refuse(why, 404, "not_found", "id", "清单记录不存在 / no such entry");
    }
    if (rc) {
        return rc;
    }
    bool in_force =
        strcmp(e.listed_from, today) <= 0 && strcmp(today, e.listed_to) < 0 && !*e.removed_on;
    if (!in_force) {
        refuse(why, 409, "not_listed", "id",
               "该记录已不在清单中（已移出或期满）/ the entry is no longer in force");
        return ERR_CONFLICT;
    }
    struct positive_criteria c;
    struct rule_ref ref = {0};
    if (malicious) {
        rc = criteria_or_refuse(db, e.region_code, today, &c, &ref, why);
        rc = rc ? rc : positive_date_add_years(today, c.bar_years, barred_to);
        rc = rc ? rc : rules_mark_used(db, &ref);
        if (rc) {
            return rc;
        }
    }
    rc = store_positive_entry_remove(db, entry_id, today, reason, malicious,
                                     malicious ? barred_to : NULL, who->user_id, who->name, now);
    if (rc == ERR_CONFLICT) {
        refuse(why, 409, "not_listed", "id", "该记录已被移出 / the entry was removed already");
        return rc;
    }
    if (!rc) {
        struct buf after;
        buf_init(&after, 1 << 14);
        buf_printf(
            &after,
            "{\"enterprise_id\":%lld,\"entry_id\":%lld,\"removed_on\":\"%s\",\"malicious\":%s,",
            (long long)e.enterprise_id, (long long)entry_id, today, malicious ? "true" : "false");
        if (malicious) {
            buf_printf(&after, "\"barred_to\":\"%s\",\"rule_set_id\":%lld,\"rule_version\":%d,",
                       barred_to, (long long)ref.id, ref.version);
        }
        buf_puts(&after, "\"reason\":");
        buf_json_str(&after, reason, strlen(reason));
        buf_putc(&after, '}');
        rc = audit(db, who, "positive_entry", entry_id, "positive_remove", after.p);
        buf_release(&after);
    }
    return rc;
}

struct expiring {
    int64_t ids[200], ents[200];
    size_t n;
};

static void expiring_row(struct db_stmt *st, void *ctx)
{
    struct expiring *x = ctx;
    x->ids[x->n] = db_column_int(st, 0);
    x->ents[x->n++] = db_column_int(st, 1);
}

int positive_expire_run(struct store *s, const char *today, int *n)
{
    *n = 0;
    char now[32];
    time_iso(wall_ms() / 1000, now);
    for (;;) {
        struct db *db;
        int rc = store_begin(s, &db);
        if (rc) {
            return rc;
        }
        struct expiring x = {.n = 0};
        rc = store_positive_expiring(db, today, ARRAY_LEN(x.ids), expiring_row, &x);
        for (size_t i = 0; !rc && i < x.n; i++) {
            char after[160];
            snprintf(after, sizeof after,
                     "{\"enterprise_id\":%lld,\"entry_id\":%lld,\"expired_on\":\"%s\"}",
                     (long long)x.ents[i], (long long)x.ids[i], today);
            rc = store_positive_entry_expire(db, x.ids[i], now);
            rc = rc ? rc : audit(db, NULL, "positive_entry", x.ids[i], "positive_expire", after);
        }
        rc = rc ? (store_rollback(s, db), rc) : store_commit(s, db);
        if (rc) {
            return rc;
        }
        *n += (int)x.n;
        if (x.n < ARRAY_LEN(x.ids)) {
            return 0;
        }
    }
}

/* ---------------- on-site approval requests ---------------- */

int positive_onsite_request(struct db *db, int64_t enterprise_id, const char *purpose,
                            const char *visit_date, const char *reason, const char *source_kind,
                            int64_t source_id, const struct positive_actor *who, const char *now,
                            int64_t *id, char *why, size_t cap)
{
    if (!purpose || !*purpose || !date_ok(visit_date) || !reason || !*reason) {
        snprintf(why, cap,
                 "须填写检查目的、检查日期和理由 / purpose, visit date and reason are "
                 "required");
        return ERR_INPUT;
    }
    if (!strcmp(purpose, POSITIVE_PURPOSE_COMPLAINT)) {
        snprintf(why, cap,
                 "核查投诉举报的现场检查无需审批 / complaint verification needs no "
                 "approval");
        return ERR_INPUT;
    }
    struct positive_entry_row e;
    /* The entry in force on the day (a later entry removed since does not hide it). */
    int rc = store_positive_entry_on(db, enterprise_id, visit_date, &e);
    if (rc == ERR_NOTFOUND) {
        snprintf(why, cap,
                 "该企业在 %s 不在正面清单中，现场检查无需审批 / not on the list on %s: "
                 "no approval needed",
                 visit_date, visit_date);
        return ERR_CONFLICT;
    }
    if (rc) {
        return rc;
    }
    struct positive_onsite_new n = {.enterprise_id = enterprise_id,
                                    .entry_id = e.id,
                                    .source_id = source_id,
                                    .requested_by = who->user_id,
                                    .purpose = purpose,
                                    .visit_date = visit_date,
                                    .reason = reason,
                                    .source_kind = source_kind,
                                    .requested_by_name = who->name,
                                    .now = now};
    rc = store_positive_onsite_insert(db, &n, id);
    if (!rc) {
        struct buf after;
        buf_init(&after, 1 << 14);
        buf_printf(&after,
                   "{\"request_id\":%lld,\"visit_date\":\"%s\",\"purpose\":", (long long)*id,
                   visit_date);
        buf_json_str(&after, purpose, strlen(purpose));
        buf_puts(&after, ",\"reason\":");
        buf_json_str(&after, reason, strlen(reason));
        buf_putc(&after, '}');
        rc = audit(db, who, "positive_onsite_request", *id, "positive_onsite_request", after.p);
        buf_release(&after);
    }
    return rc;
}

static struct {
    const char *kind;
    positive_onsite_hook fn;
} hooks[8];

void positive_onsite_hook_add(const char *source_kind, positive_onsite_hook fn)
{
    for (size_t i = 0; i < ARRAY_LEN(hooks); i++) {
        if (!hooks[i].kind || !strcmp(hooks[i].kind, source_kind)) {
            hooks[i].kind = source_kind;
            hooks[i].fn = fn;
            return;
        }
    }
}

static positive_onsite_hook hook_of(const char *kind)
{
    for (size_t i = 0; kind && *kind && i < ARRAY_LEN(hooks) && hooks[i].kind; i++) {
        if (!strcmp(hooks[i].kind, kind)) {
            return hooks[i].fn;
        }
    }
    return NULL;
}

static int onsite_decide(struct db *db, int64_t id, const char *decision, const char *note,
                         const struct positive_actor *who, const char *now,
                         struct positive_refusal *why, bool run_hook);

int positive_onsite_decide(struct db *db, int64_t id, const char *decision, const char *note,
                           const struct positive_actor *who, const char *now,
                           struct positive_refusal *why)
{
    return onsite_decide(db, id, decision, note, who, now, why, true);
}

int positive_onsite_settle(struct db *db, const char *source_kind, int64_t source_id, bool approve,
                           const char *note, const struct positive_actor *who, const char *now)
{
    int64_t id = 0;
    int rc = store_positive_onsite_pending_of(db, source_kind, source_id, &id);
    if (rc || !id) {
        return rc ? rc : ERR_NOTFOUND;
    }
    struct positive_refusal why = {0};
    return onsite_decide(db, id, approve ? "approve" : "refuse",
                         note && *note ? note : (approve ? "" : "不予批准"), who, now, &why, false);
}

static int onsite_decide(struct db *db, int64_t id, const char *decision, const char *note,
                         const struct positive_actor *who, const char *now,
                         struct positive_refusal *why, bool run_hook)
{
    bool approve = decision && !strcmp(decision, "approve");
    if (!approve && !(decision && !strcmp(decision, "refuse"))) {
        refuse(why, 422, "invalid", "decision",
               "决定须为 approve 或 refuse / decision: approve or "
               "refuse");
        return ERR_INPUT;
    }
    if (!approve && (!note || !*note)) {
        refuse(why, 422, "required", "note", "不予批准须写明理由 / a refusal needs a note");
        return ERR_INPUT;
    }
    struct positive_onsite_row r;
    int rc = store_positive_onsite_get(db, id, &r);
    if (rc == ERR_NOTFOUND) {
        refuse(why, 404, "not_found", "id", "审批申请不存在 / no such request");
    }
    rc = rc ? rc
            : store_positive_onsite_decide(db, id, approve ? "approved" : "refused", who->user_id,
                                           who->name, note, now);
    if (rc == ERR_CONFLICT) {
        refuse(why, 409, "decided", "id", "该申请已审批 / the request was decided already");
    }
    if (!rc) {
        struct buf after;
        buf_init(&after, 1 << 14);
        buf_printf(&after,
                   "{\"enterprise_id\":%lld,\"request_id\":%lld,\"decision\":\"%s\",\"note\":",
                   (long long)r.enterprise_id, (long long)id, approve ? "approved" : "refused");
        buf_json_str(&after, note ? note : "", note ? strlen(note) : 0);
        buf_putc(&after, '}');
        rc = audit(db, who, "positive_onsite_request", id, "positive_onsite_decide", after.p);
        buf_release(&after);
    }
    positive_onsite_hook fn = run_hook && !rc ? hook_of(r.source_kind) : NULL;
    if (fn) {
        rc = fn(db, r.source_id, approve, note, who, now);
        if (rc) {
            refuse(why, 409, "source_moved", "id",
                   "提出申请的检查已不能批准或驳回 / the inspection that asked can no longer be "
                   "approved or refused");
        }
    }
    return rc;
}

/* ---------------- the off-site supervision record ---------------- */

int positive_offsite_add(struct db *db, int64_t enterprise_id, const char *kind,
                         const char *seen_on, const char *note, const struct positive_actor *who,
                         const char *today, const char *now, int64_t *id,
                         struct positive_refusal *why)
{
    static const char *const KINDS[] = {"data_review", "video_check", "power_check"};
    bool known = false;
    for (size_t i = 0; i < ARRAY_LEN(KINDS); i++) {
        known |= kind && !strcmp(kind, KINDS[i]);
    }
    if (!known) {
        refuse(why, 422, "invalid", "kind",
               "类型须为 data_review、video_check 或 power_check / kind: data_review, "
               "video_check or power_check");
        return ERR_INPUT;
    }
    if (!date_ok(seen_on) || strcmp(seen_on, today) > 0) {
        refuse(why, 422, "invalid", "seen_on",
               "日期须为不晚于今天的 YYYY-MM-DD / seen_on: a date (YYYY-MM-DD) not after today");
        return ERR_INPUT;
    }
    struct positive_entry_row e;
    int rc = store_positive_entry_latest(db, enterprise_id, &e);
    bool in_force = !rc && strcmp(e.listed_from, seen_on) <= 0 &&
                    strcmp(seen_on, e.listed_to) < 0 &&
                    (!*e.removed_on || strcmp(seen_on, e.removed_on) < 0);
    if (rc == ERR_NOTFOUND || (!rc && !in_force)) {
        refuse(why, 409, "not_listed", "seen_on",
               "该企业在 %s 不在正面清单中 / not on the list on %s", seen_on, seen_on);
        return ERR_CONFLICT;
    }
    rc = rc ? rc
            : store_positive_offsite_insert(db, enterprise_id, e.id, kind, seen_on, note,
                                            who->user_id, who->name, now, id);
    if (!rc) {
        struct buf after;
        buf_init(&after, 1 << 14);
        buf_printf(&after,
                   "{\"enterprise_id\":%lld,\"offsite_id\":%lld,\"kind\":\"%s\",\"seen_on\":\"%s\","
                   "\"note\":",
                   (long long)enterprise_id, (long long)*id, kind, seen_on);
        buf_json_str(&after, note, strlen(note));
        buf_putc(&after, '}');
        rc = audit(db, who, "positive_offsite", *id, "positive_offsite_add", after.p);
        buf_release(&after);
    }
    return rc;
}

/* ---------------- the demo ---------------- */

struct demo_pick {
    int64_t ids[8];
    size_t n;
};

static void demo_row(const struct positive_fact_row *f, void *ctx)
{
    struct demo_pick *p = ctx;
    bool tagged = strstr(f->tags, "livelihood") || strstr(f->tags, "key_enterprise");
    if (p->n < ARRAY_LEN(p->ids) && tagged) {
        p->ids[p->n++] = f->id;
    }
}

/* The demo's firms have no credit grades (the credit module grades them), so the few listed
   here come in by nominations that the leader approved — the path that needs no grade. One of
   them is removed again (not malicious) so the history shows an ended listing. */
int positive_demo_seed(struct db *db, const char *today, int *n)
{
    *n = 0;
    struct demo_pick p = {.n = 0};
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct scope all = {.kind = SCOPE_ALL};
    int rc =
        store_positive_candidates(db, &all, NULL, NULL, NULL, false, today, 100000, demo_row, &p);
    static const char *const REASONS[] = {
        "民生保障企业（城市供水），近年无违法记录，在线监控数据稳定",
        "重点服务企业，主动公开环境信息，治污设施运行规范",
        "民生保障企业，已签订环保信用承诺",
        "重点服务企业，年度执法检查未发现问题",
        "民生保障企业，排污许可执行报告按时提交",
    };
    struct positive_actor nominator = {0, "服务专员 吴芳", NULL, NULL};
    struct case_actor leader = {0, "局长 沈建国", ROLE_LEADER, NULL, NULL, false};
    for (size_t i = 0; !rc && i < p.n && i < ARRAY_LEN(REASONS); i++) {
        int64_t nom, case_id;
        struct positive_refusal why;
        rc = positive_nominate(db, p.ids[i], REASONS[i], &nominator, today, now, &nom, &case_id,
                               &why);
        if (rc) {
            log_error("demo: nomination of enterprise %lld refused: %s", (long long)p.ids[i],
                      why.msg);
            return rc;
        }
        const char *present[] = {"note"};
        const char *field = NULL;
        char err[400];
        rc =
            cases_transition(db, case_id, "approve", &leader, present, 1, "{\"note\":\"同意纳入\"}",
                             "同意纳入", 0, now, &field, err, sizeof err);
        *n += !rc;
    }
    if (!rc && p.n >= 5) {
        struct positive_entry_row e;
        char bar[11];
        struct positive_refusal why;
        struct positive_actor officer = {0, "执法大队 李强", NULL, NULL};
        rc = store_positive_entry_latest(db, p.ids[4], &e);
        rc = rc ? rc
                : positive_remove(db, e.id, "企业主动申请退出（停产改造）", false, &officer, today,
                                  now, bar, &why);
        *n -= !rc;
    }
    return rc;
}
