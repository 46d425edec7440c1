/*
** Alarms as cases: the first user of the engine. Every alarm the monitor opens gets a case of
** type "alarm" in the same transaction, with a handling deadline (respond within N working
** hours, by alarm kind) from the rule set in force or the case_alarm_limit setting; the
** acknowledge and close of the alarm API, and the monitor's auto-close, are transitions of
** that case. The alarm's own status (open, acknowledged, closed) stays what the alarm API and
** UI show; the case adds the clock, the pauses, extensions, the timeline and escalation.
*/
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "cases/cases.h"
#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"
#include "http/http.h"
#include "rules/rules.h"
#include "store/q_alarm.h"
#include "store/q_cases.h"

/* Who handles alarms (as the alarm API's ALARM_HANDLERS), and who approves an extension. */
#define HANDLERS (ROLE_ADMIN | ROLE_MONITOR | ROLE_INSPECTOR)
#define APPROVERS (ROLE_ADMIN | ROLE_LEADER)

static const char *const STATES[] = {"open",         "waiting", "extension_requested",
                                     "acknowledged", "closed",  NULL};
static const char *const FINAL[] = {"closed", NULL};
static const char *const NOTE[] = {"note", NULL};
static const char *const EXTENSION[] = {"extension", "note", NULL};

/* Every state but closed may be closed by hand or by the monitor (values normal again). */
#define CLOSE_FROM(s)                                                                              \
    {s, "closed", "close", HANDLERS, NULL, CLOCK_STOP, "关闭", "Close"},                           \
    {                                                                                              \
        s, "closed", "autoclose", CASE_ROLE_SYSTEM, NULL, CLOCK_STOP, "自动关闭", "Auto-close"     \
    }

static const struct case_transition TRANSITIONS[] = {
    {"open", "acknowledged", "acknowledge", HANDLERS, NOTE, CLOCK_STOP, "确认", "Acknowledge"},
    {"open", "open", "explain", ROLE_ENTERPRISE, NOTE, CLOCK_NONE, "说明情况", "Explain"},
    {"open", "waiting", "pause", HANDLERS, NOTE, CLOCK_PAUSE, "暂停计时", "Pause the clock"},
    {"waiting", "open", "resume", HANDLERS, NULL, CLOCK_RESUME, "恢复计时", "Resume the clock"},
    {"open", "extension_requested", "request_extension", HANDLERS, EXTENSION, CLOCK_NONE,
     "申请延期", "Request an extension"},
    {"extension_requested", "open", "approve_extension", APPROVERS, NULL, CLOCK_EXTEND, "批准延期",
     "Approve the extension"},
    {"extension_requested", "open", "refuse_extension", APPROVERS, NOTE, CLOCK_NONE, "不予延期",
     "Refuse the extension"},
    CLOSE_FROM("open"),
    CLOSE_FROM("waiting"),
    CLOSE_FROM("extension_requested"),
    CLOSE_FROM("acknowledged"),
};

/* A transition taken on the case page moves the alarm as its own API would. */
static int alarm_follow(struct db *db, int64_t alarm_id, const struct case_transition *tr,
                        const struct case_actor *who, const char *note, const char *now)
{
    bool ack = !strcmp(tr->action, "acknowledge"), close = !strcmp(tr->action, "close");
    if (!ack && !close) {
        return 0;
    }
    int rc = store_alarm_set_status(db, alarm_id, ack ? "acknowledged" : "closed", who->user_id,
                                    close && !*note ? "manual" : note, now);
    if (!rc && close) {
        rc = store_notify(db, alarm_id, "closed", "报警已人工关闭", now);
    }
    if (!rc) {
        struct audit_entry a = {.actor_id = who->user_id,
                                .actor = who->name,
                                .entity = "alarm",
                                .entity_id = alarm_id,
                                .action = ack ? "acknowledge" : "close",
                                .request_id = who->request_id,
                                .ip = who->ip};
        rc = store_audit_add(db, &a);
    }
    return rc;
}

static const struct case_type ALARM_CASE = {
    .name = "alarm",
    .label_zh = "报警处置",
    .label_en = "Alarm handling",
    .states = STATES,
    .final = FINAL,
    .transitions = TRANSITIONS,
    .n_transitions = ARRAY_LEN(TRANSITIONS),
    .on_move = alarm_follow,
};

void cases_alarm_register(void)
{
    cases_type_register(&ALARM_CASE);
}

/* "4 work_hours", or per kind "offline=8 work_hours;exceed=2 work_hours;4 work_hours" (the
   last bare entry is the default). */
static int limit_of(const char *spec, const char *kind, int64_t *n, enum case_unit *unit)
{
    const char *p = spec;
    int rc = ERR_NOTFOUND;
    while (p && *p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        bool mine = eq && (size_t)(eq - p) == strlen(kind) && !strncmp(p, kind, (size_t)(eq - p));
        if (!eq || mine) {
            const char *v = eq ? eq + 1 : p;
            const char *sp = memchr(v, ' ', (size_t)(p + len - v));
            char u[16];
            int64_t x;
            if (!sp || parse_i64(v, (size_t)(sp - v), &x) || x < 0 ||
                (size_t)(p + len - sp - 1) >= sizeof u) {
                return ERR_INPUT;
            }
            snprintf(u, sizeof u, "%.*s", (int)(p + len - sp - 1), sp + 1);
            int ui = case_unit_parse(u);
            if (ui < 0) {
                return ERR_INPUT;
            }
            *n = x;
            *unit = (enum case_unit)ui;
            rc = 0;
            if (mine) {
                return 0;
            }
        }
        p = end ? end + 1 : NULL;
    }
    return rc;
}

int cases_alarm_limit(const char *spec, const char *kind, int64_t *n, int *unit)
{
    enum case_unit u = CU_WORK_HOURS;
    int rc = limit_of(spec, kind, n, &u);
    *unit = (int)u;
    return rc;
}

/* The handling limit of an alarm kind: the case_alarm_limit setting when set (drills, tests),
   else respond_hours of the alarm.handling rule set in force for the enterprise's region today,
   counted in working hours (the issue: "respond within N working hours"; decision 48). The
   version used is recorded on the case and marked used in the same transaction. */
static int alarm_limit(struct db *db, const char *kind, const char *region, const char *now,
                       struct case_open *o)
{
    int64_t n = 0;
    enum case_unit u = CU_WORK_HOURS;
    const char *spec = settings_get("case_alarm_limit");
    if (spec && *spec) {
        o->limit_source = "setting case_alarm_limit";
        o->limit = limit_of(spec, kind, &n, &u) ? 0 : n; /* a bad setting: no clock, logged */
        o->unit = u;
        return 0;
    }
    char date[20];
    china_time(case_iso_seconds(now), date);
    date[10] = 0;
    json_t *body = NULL;
    struct rule_ref ref;
    int rc = rules_resolve(db, "alarm.handling", region, date, &body, &ref);
    if (rc == ERR_NOTFOUND) {
        o->limit_source = "no alarm.handling rule set in force";
        return 0;
    }
    if (rc) {
        return rc;
    }
    const json_t *h = rules_at(body, "handling");
    for (size_t i = 0; i < json_array_size(h); i++) {
        const json_t *e = json_array_get(h, i);
        if (!strcmp(rules_string(e, "kind", ""), kind)) {
            o->limit = rules_int(e, "respond_hours", 0);
        }
    }
    json_decref(body);
    o->unit = CU_WORK_HOURS;
    o->rule_set_id = ref.id;
    o->rule_version = ref.version;
    o->limit_source = "rules alarm.handling";
    return o->limit ? rules_mark_used(db, &ref) : 0;
}

int cases_alarm_opened(struct db *db, int64_t alarm_id, const char *kind, const char *label,
                       const char *now)
{
    struct alarm_case_subject s;
    int rc = store_alarm_case_subject(db, alarm_id, label ? label : kind, &s);
    if (rc) {
        return rc;
    }
    struct case_open o = {.type = "alarm",
                          .subject_kind = "alarm",
                          .subject_id = alarm_id,
                          .enterprise_id = s.enterprise_id,
                          .region_code = s.region_code,
                          .title = s.title};
    rc = alarm_limit(db, kind, s.region_code, now, &o);
    if (rc) {
        return rc;
    }
    int64_t id;
    return cases_open(db, &o, 0, "system", now, &id);
}

int cases_alarm_moved(struct db *db, int64_t alarm_id, const char *action,
                      const struct case_actor *who, const char *note, const char *now,
                      const char **field, char *why, size_t cap)
{
    int64_t id;
    int rc = store_case_by_subject(db, "alarm", alarm_id, &id);
    if (rc == ERR_NOTFOUND) {
        return 0;
    }
    static const struct case_actor SYSTEM = {0, "system", CASE_ROLE_SYSTEM, NULL, NULL, true};
    struct case_actor mine;
    if (who) {
        mine = *who;
        mine.from_subject = true;
        who = &mine;
    }
    const char *present[] = {"note"};
    struct buf f;
    buf_init(&f, 2048);
    buf_puts(&f, "{\"note\":");
    buf_json_str(&f, note ? note : "", note ? strlen(note) : 0);
    buf_putc(&f, '}');
    rc = rc ? rc
            : cases_transition(db, id, action, who ? who : &SYSTEM, present, note && *note ? 1 : 0,
                               f.p, note, 0, now, field, why, cap);
    buf_release(&f);
    return rc;
}
