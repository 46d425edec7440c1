/*
** Casework (办件) on legal clocks: one engine for every file that moves through states —
** alarms now; approvals, complaints, rectification orders, penalties and the like later.
** A module describes a case type as a const table of states and transitions (who may take
** each, which fields it needs, what it does to the clock) and registers it; the engine checks
** every transition against the table, writes the case, its timeline entry and its audit row in
** the caller's transaction, and keeps the clock: a limit in working days, calendar days rolled
** to the next workday, working hours or plain elapsed time, with pauses left out and
** extensions added only by an approval step. Overdue cases escalate (督办) to the leader of
** their org unit. The to-do list (待办, todo.c) reads open cases; see docs/internals/cases.md.
**
** The pure parts (case_check, the clock) need no database: tests/unit/cases/.
*/
#ifndef ENVGOV_CASES_CASES_H
#define ENVGOV_CASES_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/http.h"
#include "platform/module.h"
#include "store/store.h"

struct calendar;
struct buf;
struct router;

/* A transition no person takes: the system does (auto-close, sweeps). Never a user's role. */
#define CASE_ROLE_SYSTEM (1u << 30)

enum case_clock_effect {
    CLOCK_NONE,   /* the clock goes on as it is */
    CLOCK_PAUSE,  /* stops counting until a CLOCK_RESUME (expert review, public notice …) */
    CLOCK_RESUME, /* counts again; the paused span is left out of the limit */
    CLOCK_STOP,   /* the duty the clock measured is done (responded, decided, closed) */
    CLOCK_EXTEND, /* adds the approved extension (field "extension", in the clock's unit) */
};

struct case_transition {
    const char *from, *to, *action; /* states and the action's name ("acknowledge") */
    unsigned roles;                 /* ROLE_* bits (http/http.h) or CASE_ROLE_SYSTEM */
    const char *const *required;    /* fields that must be present and non-empty; NULL = none */
    enum case_clock_effect clock;
    const char *label_zh, *label_en; /* the button */
};

struct case_actor;

struct case_type {
    const char *name;                /* "alarm": cases.type, the API and the timeline */
    const char *label_zh, *label_en; /* "报警处置" */
    const char *const *states;       /* NULL-terminated; the first is where a case opens */
    const char *const *final;        /* NULL-terminated: states that close the case */
    const struct case_transition *transitions;
    size_t n_transitions;
    /* Called in the transaction of a transition taken through the case (not through the
       subject's own module: case_actor.from_subject) so the subject follows (the alarm is
       acknowledged); may be NULL. A nonzero return refuses the transition (ERR_CONFLICT). */
    int (*on_move)(struct db *db, int64_t subject_id, const struct case_transition *tr,
                   const struct case_actor *who, const char *note, const char *now);
};

/* Register a case type (a static table that outlives the process). Types are registered once,
   before threads start; registering a name twice replaces it. At most 32 types. */
void cases_type_register(const struct case_type *t);
/* The registered type of that name, or NULL. */
const struct case_type *cases_type_find(const char *name);
/* Whether state is one of t's final states. */
bool cases_state_final(const struct case_type *t, const char *state);
/* ROLE_* bits that may take some transition out of state (0 for a final state). */
unsigned cases_state_roles(const struct case_type *t, const char *state);

/*
** Check one transition: action from state by a principal of role (one ROLE_* bit or
** CASE_ROLE_SYSTEM), the request carrying the non-empty fields present[0..n_present). On
** success set *out and return 0. Otherwise return ERR_INPUT (no such action, or a required
** field missing: *field names it), ERR_CONFLICT (the action exists but not from this state),
** or ERR_FORBIDDEN (the role may not take it), with a two-language reason ("中文 / English") in
** why[0..cap). Pure; allocates nothing.
*/
int case_check(const struct case_type *t, const char *state, const char *action, unsigned role,
               const char *const *present, size_t n_present, const struct case_transition **out,
               const char **field, char *why, size_t cap);

/* ---------------- clocks ---------------- */

enum case_unit {
    CU_WORKDAYS,   /* 工作日: counting starts the next day; due at the end of the day */
    CU_DAYS,       /* 自然日, a deadline on a non-workday rolls to the next workday */
    CU_WORK_HOURS, /* hours of 09:00–17:00 China time on workdays (decision 48) */
    CU_HOURS,      /* elapsed hours, day and night (the monitoring centre is staffed 24/7) */
    CU_MINUTES,    /* elapsed minutes */
    CU_SECONDS,    /* elapsed seconds: drills and end-to-end tests */
};

/* "workdays" … "seconds" ⇄ enum; -1 / NULL when unknown. */
int case_unit_parse(const char *s);
const char *case_unit_name(enum case_unit u);

struct case_span {
    int64_t from, to; /* unix seconds, a pause [from, to) */
};

#define CASE_MAX_PAUSES 32
struct case_clock {
    enum case_unit unit;
    int64_t limit;                            /* in unit */
    int64_t extended;                         /* approved extensions, in unit */
    int64_t started_at;                       /* unix seconds */
    int64_t paused_at;                        /* 0 = running; else the open pause began then */
    int64_t stopped_at;                       /* 0 = running */
    struct case_span pauses[CASE_MAX_PAUSES]; /* closed pauses, in order */
    size_t n_pauses;
};

enum case_clock_state { CS_ON_TRACK, CS_DUE_SOON, CS_OVERDUE, CS_PAUSED, CS_STOPPED, CS_NONE };
/* "on_track", "due_soon", "overdue", "paused", "stopped", "none" */
const char *case_clock_state_name(enum case_clock_state s);

/*
** The deadline of k as unix seconds into *due and the moment it becomes due soon (the last
** quarter of the span from start to deadline) into *soon. Closed pauses are left out: for
** day units the days after the day a pause began up to the day it ended; for hour units the
** working (or elapsed) time inside it. A clock paused now has no deadline: ERR_NOTFOUND is not
** returned for that — *due = *soon = 0 and 0 is returned. ERR_NOTFOUND when a needed year is
** not in the calendar (*missing_year names it), ERR_INPUT for a negative limit. Pure.
*/
int case_clock_due(const struct calendar *c, const struct case_clock *k, int64_t *due,
                   int64_t *soon, int *missing_year);
/* The state of k at now, given its due/soon from case_clock_due. */
enum case_clock_state case_clock_state_at(const struct case_clock *k, int64_t due, int64_t soon,
                                          int64_t now);
/* Apply a transition's clock effect at now (extension in the clock's unit for CLOCK_EXTEND).
   ERR_CONFLICT when it does not fit (pause a paused clock, resume a running one, more than
   CASE_MAX_PAUSES pauses, anything on a stopped clock), ERR_INPUT for extension <= 0. */
int case_clock_apply(struct case_clock *k, enum case_clock_effect e, int64_t now,
                     int64_t extension);
/* Working seconds (09:00–17:00 China time on workdays) in [from, to). Errors as above. */
int case_work_seconds(const struct calendar *c, int64_t from, int64_t to, int64_t *out,
                      int *missing_year);
/* The instant at which `seconds` working seconds after from have passed. */
int case_work_add(const struct calendar *c, int64_t from, int64_t seconds, int64_t *out,
                  int *missing_year);
/* "2026-12-03T05:06:07Z" (UTC ISO, as every stored time) → unix seconds; 0 when malformed. */
int64_t case_iso_seconds(const char *iso);
/* Closed pauses as text "from-to,from-to" (unix seconds) and back; parse gives ERR_INPUT for
   anything else or more than CASE_MAX_PAUSES. */
void case_pauses_format(const struct case_clock *k, struct buf *out);
int case_pauses_parse(const char *s, struct case_clock *k);

/* ---------------- cases in the database ---------------- */

/* What a new case is about and whose it is. */
struct case_open {
    const char *type;         /* a registered type */
    const char *subject_kind; /* "alarm" */
    int64_t subject_id;
    int64_t enterprise_id; /* 0 = none */
    const char *region_code;
    int64_t org_unit_id; /* 0: the org unit whose regions cover region_code most closely */
    const char *title;   /* shown in the to-do list */
    enum case_unit unit; /* the limit (from the rule set in force) */
    int64_t limit;       /* 0 = no clock */
    int64_t rule_set_id; /* the rule set the limit came from, 0 = a setting */
    int64_t rule_version;
    const char *limit_source; /* "rules:alarm.handling v3" or "setting case_alarm_limit" */
};

/*
** Open a case in the caller's transaction (db is the writer): the row, its first timeline
** entry and an audit row by actor (0 = system). The calendar is read under app.cal_lock. A
** year missing from the calendar does not stop the case: it opens without a deadline and
** its timeline says which year to load (an alarm must never be lost to a calendar). *id gets
** the case id.
*/
int cases_open(struct db *db, const struct case_open *o, int64_t actor_id, const char *actor,
               const char *now, int64_t *id);

/* Who takes a transition: a principal's user, role and display name, or the system. */
struct case_actor {
    int64_t user_id; /* 0 = system */
    const char *name;
    unsigned role;               /* ROLE_* bit, or CASE_ROLE_SYSTEM */
    const char *request_id, *ip; /* for the audit row; NULL for the system */
    bool from_subject;           /* the subject's module moves itself: no on_move */
};

/*
** Take action on case id in the caller's transaction: check it against the type's table,
** apply its clock effect, move the state, write the timeline entry (fields_json, the request's
** fields as a JSON object, kept whole; note shown) and the audit row. On refusal return
** ERR_INPUT / ERR_CONFLICT / ERR_FORBIDDEN (as case_check, and ERR_INPUT with "extension" for a
** bad extension, ERR_NOTFOUND for a missing year) with the reason in why and the field in
** *field; ERR_NOTFOUND when there is no such case. present[] as case_check.
*/
int cases_transition(struct db *db, int64_t case_id, const char *action,
                     const struct case_actor *who, const char *const *present, size_t n_present,
                     const char *fields_json, const char *note, int64_t extension, const char *now,
                     const char **field, char *why, size_t cap);
/* The open case of a subject (ERR_NOTFOUND when it has none). */
int cases_of_subject(struct db *db, const char *subject_kind, int64_t subject_id, int64_t *id);

/*
** The sweep: escalate (督办) every open case overdue at now and not yet escalated to the
** leader of its org unit (the nearest unit up the tree that has an active leader), with a
** timeline entry and an audit row; in the caller's transaction. *n gets how many.
*/
int cases_escalate(struct db *db, const char *now, int *n);
#define CASES_ESCALATE_BATCH 500 /* cases one cases_escalate call takes at most */
/* The periodic sweep (today: cases_escalate, with a log line), in the caller's transaction on
   the writer db; *n gets how many were escalated (CASES_ESCALATE_BATCH: call again). The job
   cases.escalate (module.c) calls it. */
int cases_sweep(struct db *db, const char *now, int *n);

/* ---------------- alarms as cases (alarm_case.c) ---------------- */

/* Register the alarm case type (idempotent). */
void cases_alarm_register(void);
/* The monitor opened alarm alarm_id of kind ("exceed"; label "超标报警" for the title): open
   its case in the same transaction. */
int cases_alarm_opened(struct db *db, int64_t alarm_id, const char *kind, const char *label,
                       const char *now);
/* The handling limit of an alarm kind in spec, the case_alarm_limit setting's format: "4
   work_hours", or per kind "offline=8 work_hours;exceed=2 work_hours;4 work_hours" (a bare
   entry is the default). *unit gets an enum case_unit. ERR_NOTFOUND when nothing matches,
   ERR_INPUT for a bad spec. Pure. */
int cases_alarm_limit(const char *spec, const char *kind, int64_t *n, int *unit);
/* The alarm was acknowledged / closed by a person (action "acknowledge" / "close") or closed
   automatically (action "autoclose", who NULL): move its case. A refusal returns as
   cases_transition; an alarm with no case (opened before cases existed) is 0. */
int cases_alarm_moved(struct db *db, int64_t alarm_id, const char *action,
                      const struct case_actor *who, const char *note, const char *now,
                      const char **field, char *why, size_t cap);

/* ---------------- the to-do list (todo.c) ---------------- */

struct todo_counts {
    int64_t total, overdue, due_soon;
};

/* A source of to-do items (a module lists its sources in its struct module). list writes the
   items waiting on p as a JSON array into out (at most limit), each an object with at least
   "source" (the source's name), "id", "title", and when it has a deadline "due_at" (UTC ISO)
   and "clock" ("on_track", "due_soon", "overdue", "paused", "stopped", "none"); *n gets how
   many. count adds p's items to *c. Both read through db (a reader); now is UTC ISO. */
struct todo_source {
    const char *name;
    int (*list)(struct db *db, const struct principal *p, const char *now, size_t limit,
                struct buf *out, size_t *n);
    int (*count)(struct db *db, const struct principal *p, const char *now, struct todo_counts *c);
};
/* The cases module's own sources (cases, and an enterprise's unread notices). */
extern const struct todo_source cases_todo_sources[];
extern const size_t cases_n_todo_sources;

/* ---------------- HTTP and the module ---------------- */
void cases_case_routes(struct router *rt); /* /cases (api.c) */
void cases_todo_routes(struct router *rt); /* /todo (todo.c) */
/* The module's descriptor (src/app/modules.c lists it). */
extern const struct module cases_module;

#endif
