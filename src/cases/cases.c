/*
** The transition engine's database half: open a case, take a transition (check, clock, state,
** timeline entry, audit row — all in the caller's transaction), and the escalation sweep.
** The calendar is read under app.cal_lock for each clock computation.
*/
#include "cases/cases.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/util.h"
#include "platform/app.h"
#include "store/q_cases.h"

static void clock_of_row(const struct case_row *c, struct case_clock *k)
{
    memset(k, 0, sizeof *k);
    int u = case_unit_parse(c->unit);
    k->unit = u < 0 ? CU_WORK_HOURS : (enum case_unit)u;
    k->limit = c->limit_n;
    k->extended = c->extended_n;
    k->started_at = c->started_at;
    k->paused_at = c->paused_at;
    k->stopped_at = c->stopped_at;
    if (case_pauses_parse(c->pauses, k)) {
        k->n_pauses = 0; /* written only by case_pauses_format; never seen bad */
    }
}

/* Write k back into c with its deadline; a missing calendar year leaves no deadline and says
   so in clock_error. Returns the calendar's error (ERR_NOTFOUND) for the caller to judge. */
static int clock_to_row(const struct case_clock *k, struct case_row *c)
{
    c->extended_n = k->extended;
    c->paused_at = k->paused_at;
    c->stopped_at = k->stopped_at;
    c->paused_s = 0;
    for (size_t i = 0; i < k->n_pauses; i++) {
        c->paused_s += k->pauses[i].to - k->pauses[i].from;
    }
    struct buf b;
    buf_init(&b, sizeof c->pauses - 1);
    case_pauses_format(k, &b);
    snprintf(c->pauses, sizeof c->pauses, "%.*s", (int)b.len, b.p ? b.p : "");
    buf_release(&b);
    c->due_at[0] = c->soon_at[0] = c->clock_error[0] = c->stopped_due_at[0] = 0;
    if (!k->limit) {
        return 0;
    }
    int64_t due = 0, soon = 0;
    int missing = 0;
    pthread_rwlock_rdlock(&app.cal_lock);
    int rc = app.cal ? case_clock_due(app.cal, k, &due, &soon, &missing) : ERR_NOTFOUND;
    pthread_rwlock_unlock(&app.cal_lock);
    if (rc == ERR_NOTFOUND) {
        snprintf(c->clock_error, sizeof c->clock_error,
                 "工作日历缺少 %d 年，无法计算期限；请导入该年日历 / the working-day calendar has "
                 "no year %d: load it to compute the deadline",
                 missing, missing);
    } else if (rc) {
        snprintf(c->clock_error, sizeof c->clock_error,
                 "期限无法计算 / the deadline cannot be "
                 "computed");
    }
    if (!rc && due && !k->stopped_at) {
        time_iso(due, c->due_at);
        time_iso(soon, c->soon_at);
    } else if (!rc && due) {
        time_iso(due, c->stopped_due_at); /* kept once: the deadline the duty was done against */
    }
    return rc;
}

int cases_open(struct db *db, const struct case_open *o, int64_t actor_id, const char *actor,
               const char *now, int64_t *id)
{
    const struct case_type *t = cases_type_find(o->type);
    assert(t);
    struct case_row c;
    memset(&c, 0, sizeof c);
    snprintf(c.type, sizeof c.type, "%s", o->type);
    snprintf(c.subject_kind, sizeof c.subject_kind, "%s", o->subject_kind);
    snprintf(c.state, sizeof c.state, "%s", t->states[0]);
    snprintf(c.unit, sizeof c.unit, "%s", case_unit_name(o->unit));
    snprintf(c.region_code, sizeof c.region_code, "%s", o->region_code ? o->region_code : "");
    c.subject_id = o->subject_id;
    c.enterprise_id = o->enterprise_id;
    c.org_unit_id = o->org_unit_id;
    c.actor_roles = cases_state_roles(t, c.state);
    c.limit_n = o->limit;
    c.started_at = case_iso_seconds(now);
    c.rule_set_id = o->rule_set_id;
    c.rule_version = o->rule_version;
    c.title = o->title;
    c.limit_source = o->limit_source;
    int rc = c.org_unit_id ? 0 : store_org_unit_for_region(db, c.region_code, &c.org_unit_id);
    struct case_clock k;
    clock_of_row(&c, &k);
    if (!rc && clock_to_row(&k, &c) == ERR_NOTFOUND) {
        log_warn("case %s %lld: %s", o->subject_kind, (long long)o->subject_id, c.clock_error);
    }
    rc = rc ? rc : store_case_insert(db, &c, now, id);
    rc = rc ? rc
            : store_case_event_add(db, *id, now, actor_id, actor, "open", "", c.state, "{}",
                                   c.clock_error);
    if (!rc) {
        struct audit_entry a = {.actor_id = actor_id,
                                .actor = actor ? actor : "system",
                                .entity = "case",
                                .entity_id = *id,
                                .action = "open"};
        rc = store_audit_add(db, &a);
    }
    return rc;
}

/* The audit row of a transition: the state and clock before and after, as small JSON. */
static void case_brief(const struct case_row *c, struct buf *out)
{
    buf_puts(out, "{\"state\":");
    buf_json_str(out, c->state, strlen(c->state));
    buf_puts(out, ",\"due_at\":");
    c->due_at[0] ? buf_json_str(out, c->due_at, strlen(c->due_at)) : buf_puts(out, "null");
    buf_printf(out, ",\"extended_n\":%lld,\"paused\":%s}", (long long)c->extended_n,
               c->paused_at ? "true" : "false");
}

static int refused(int rc, char *why, size_t cap, const char *msg)
{
    snprintf(why, cap, "%s", msg);
    return rc;
}

/* Apply tr's clock effect to c at now; a refusal says why. */
static int move_clock(struct case_row *c, const struct case_transition *tr, int64_t now,
                      int64_t extension, const char **field, char *why, size_t cap)
{
    struct case_clock k;
    clock_of_row(c, &k);
    int rc = case_clock_apply(&k, tr->clock, now, extension);
    if (rc == ERR_INPUT) {
        *field = "extension";
        return refused(rc, why, cap, "延期应为正整数 / extension must be a positive number");
    }
    if (rc) {
        return refused(rc, why, cap,
                       k.stopped_at ? "计时已停止 / the clock has stopped"
                                    : "计时状态不允许此操作 / the clock does not allow this now");
    }
    rc = clock_to_row(&k, c);
    if (rc == ERR_NOTFOUND && tr->clock != CLOCK_STOP) {
        *field = "calendar";
        return refused(rc, why, cap, c->clock_error);
    }
    if (rc && tr->clock != CLOCK_STOP) { /* a deadline that cannot be computed is never dropped */
        *field = "extension";
        return refused(ERR_INPUT, why, cap,
                       "无法计算新的办理期限 / the new deadline cannot be computed");
    }
    return 0;
}

int cases_transition(struct db *db, int64_t case_id, const char *action,
                     const struct case_actor *who, const char *const *present, size_t n_present,
                     const char *fields_json, const char *note, int64_t extension, const char *now,
                     const char **field, char *why, size_t cap)
{
    struct case_row c;
    int rc = store_case_get(db, case_id, &c);
    if (rc) {
        return rc == ERR_NOTFOUND ? refused(rc, why, cap, "办件不存在 / no such case") : rc;
    }
    const struct case_type *t = cases_type_find(c.type);
    if (!t) {
        return refused(ERR_CONFLICT, why, cap, "未知的办件类型 / unknown case type");
    }
    const struct case_transition *tr;
    rc = case_check(t, c.state, action, who->role, present, n_present, &tr, field, why, cap);
    if (rc) {
        return rc;
    }
    struct buf before, after;
    buf_init(&before, 4096);
    buf_init(&after, 4096);
    case_brief(&c, &before);
    char from[32];
    snprintf(from, sizeof from, "%s", c.state);
    rc = move_clock(&c, tr, case_iso_seconds(now), extension, field, why, cap);
    if (!rc && t->on_move && !who->from_subject) {
        rc = t->on_move(db, c.subject_id, tr, who, note, now);
        if (rc == ERR_CONFLICT) {
            refused(rc, why, cap, "办件对象的状态不允许此操作 / the case's subject refuses it");
        }
    }
    if (!rc) {
        snprintf(c.state, sizeof c.state, "%s", tr->to);
        c.is_open = !cases_state_final(t, c.state);
        c.actor_roles = c.is_open ? cases_state_roles(t, c.state) : 0;
        rc = store_case_update(db, &c, now);
    }
    rc = rc ? rc
            : store_case_event_add(db, case_id, now, who->user_id, who->name, action, from, c.state,
                                   fields_json, note);
    if (!rc) {
        case_brief(&c, &after);
        struct audit_entry a = {.actor_id = who->user_id,
                                .actor = who->name ? who->name : "system",
                                .entity = "case",
                                .entity_id = case_id,
                                .action = action,
                                .before_json = before.p,
                                .after_json = after.p,
                                .request_id = who->request_id,
                                .ip = who->ip};
        rc = store_audit_add(db, &a);
    }
    buf_release(&before);
    buf_release(&after);
    return rc;
}

int cases_of_subject(struct db *db, const char *subject_kind, int64_t subject_id, int64_t *id)
{
    return store_case_by_subject(db, subject_kind, subject_id, id);
}

/* ---------------- escalation ---------------- */

struct overdue {
    int64_t id[CASES_ESCALATE_BATCH], unit[CASES_ESCALATE_BATCH];
    size_t n;
};

static void on_overdue(struct db_stmt *st, void *ctx)
{
    struct overdue *o = ctx;
    o->id[o->n] = db_column_int(st, 0);
    o->unit[o->n++] = db_column_int(st, 1);
}

int cases_escalate(struct db *db, const char *now, int *n)
{
    static struct overdue o; /* one sweep at a time: the writer connection is held */
    o.n = 0;
    *n = 0;
    int rc = store_cases_overdue_each(db, now, CASES_ESCALATE_BATCH, on_overdue, &o);
    for (size_t i = 0; !rc && i < o.n; i++) {
        int64_t leader_unit = 0;
        rc = store_leader_unit(db, o.unit[i], &leader_unit);
        rc = rc ? rc : store_case_escalate(db, o.id[i], leader_unit, now);
        rc = rc ? rc
                : store_case_event_add(db, o.id[i], now, 0, "system", "escalate", "", "", "{}",
                                       leader_unit ? "逾期，已督办至单位负责人 / overdue: "
                                                     "escalated to the unit's leader"
                                                   : "逾期，本单位及上级均无负责人 / overdue: no "
                                                     "leader up the tree");
        if (!rc) {
            struct audit_entry a = {
                .actor = "system", .entity = "case", .entity_id = o.id[i], .action = "escalate"};
            rc = store_audit_add(db, &a);
        }
        *n += !rc;
    }
    return rc;
}

int cases_sweep(struct db *db, const char *now, int *n)
{
    int rc = cases_escalate(db, now, n);
    if (!rc && *n) {
        log_info("cases: escalated %d overdue case(s)", *n);
    }
    return rc;
}
