/*
** Named queries of environmental credit (src/credit/): the event feed, the grade in force, the
** grade history, objections, and the reads of the API and the nightly pass. Subjects are
** ("enterprise" | "agency", id). Rows come to callbacks with text valid during the call only.
*/
#ifndef ENVGOV_STORE_Q_CREDIT_H
#define ENVGOV_STORE_Q_CREDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

#define CREDIT_COUNTED_MAX 4096 /* bytes of the counted-id list kept on the current grade */

/* What the engine needs of a subject. ERR_NOTFOUND when there is none. */
struct credit_subject_row {
    int64_t id;
    char region_code[16];
    char registered_on[11]; /* the China date it entered the registry */
    char status[16];
    char name[256];
};
int store_credit_subject(struct db *db, const char *kind, int64_t id,
                         struct credit_subject_row *out);
typedef void (*credit_subject_fn)(const struct credit_subject_row *s, void *ctx);
/* Active subjects with id > after, by id, at most limit. */
int store_credit_subjects_each(struct db *db, const char *kind, int64_t after, int64_t limit,
                               credit_subject_fn fn, void *ctx);

/* An event row that counts (not revoked). */
struct credit_event_row {
    int64_t id, subject_id;
    const char *type, *occurred_on;
    bool has_points;
    double points;
};
typedef void (*credit_event_fn)(const struct credit_event_row *e, void *ctx);
/* Events not revoked of subjects lo..hi (inclusive), by subject, date, id. */
int store_credit_events_each(struct db *db, const char *kind, int64_t lo, int64_t hi,
                             credit_event_fn fn, void *ctx);

/* The grade in force. */
struct credit_current_row {
    int64_t subject_id;
    char grade[17];
    double score;
    int64_t rule_set_id;
    int rule_version;
    char since[11];
    bool veto;
    char counted[CREDIT_COUNTED_MAX];
};
typedef void (*credit_current_fn)(const struct credit_current_row *c, void *ctx);
int store_credit_current_each(struct db *db, const char *kind, int64_t lo, int64_t hi,
                              credit_current_fn fn, void *ctx);
/* Insert or replace the grade in force of (kind, c->subject_id). */
int store_credit_current_put(struct db *db, const char *kind, const struct credit_current_row *c,
                             const char *now);

#define CREDIT_WRITE_BATCH 128 /* rows of one multi-row write */

/* Insert or replace the grades in force c[0..n) (n <= CREDIT_WRITE_BATCH) in one statement. */
int store_credit_current_put_many(struct db *db, const char *kind,
                                  const struct credit_current_row *c, size_t n, const char *now);

/* A history row (a change of grade or score). */
struct credit_grade_row {
    const char *kind;
    int64_t subject_id;
    const char *grade, *prev_grade; /* prev "" = the first grade */
    double score, prev_score;
    bool veto;
    int64_t rule_set_id;
    int rule_version;
    const char *since, *computed_at, *cause;
    const char *added_json, *removed_json, *counted_json;
};
int store_credit_grade_insert(struct db *db, const struct credit_grade_row *g, int64_t *id);
/* Insert history rows g[0..n) (n <= CREDIT_WRITE_BATCH) in one statement. */
int store_credit_grades_insert_many(struct db *db, const struct credit_grade_row *g, size_t n);
/* The last change on or before date: grade, score, rule version, since. ERR_NOTFOUND. */
int store_credit_grade_at(struct db *db, const char *kind, int64_t id, const char *date,
                          char grade[17], double *score, int64_t *rule_set_id, int *rule_version,
                          char since[11]);

/* A new event; *id = 0 when dedupe_key already names one (nothing inserted). */
struct credit_event_new {
    const char *kind;
    int64_t subject_id;
    const char *type, *occurred_on;
    bool has_points;
    double points;
    const char *reason, *evidence, *source, *dedupe_key;
    int64_t evidence_attachment_id, source_id, created_by;
};
int store_credit_event_insert(struct db *db, const struct credit_event_new *e, const char *now,
                              int64_t *id);
/* The subject of event id and whether it is revoked. ERR_NOTFOUND. */
int store_credit_event_subject(struct db *db, int64_t id, char kind[16], int64_t *subject_id,
                               bool *revoked);
/* Revoke an event not yet revoked: ERR_CONFLICT when it is. */
int store_credit_event_revoke(struct db *db, int64_t id, int64_t by, const char *reason,
                              const char *now);
/* An attachment of entity/entity_id ("enterprise" 3): ERR_NOTFOUND otherwise. */
int store_credit_attachment_of(struct db *db, int64_t attachment_id, const char *entity,
                               int64_t entity_id);

/* The exceedance alarm's enterprise and first time; ERR_NOTFOUND for another kind. */
int store_credit_alarm(struct db *db, int64_t alarm_id, int64_t *enterprise_id, char first_at[32]);
typedef void (*credit_alarm_fn)(int64_t alarm_id, int64_t enterprise_id, const char *first_at,
                                void *ctx);
/* Exceedance alarms opened at or after since (UTC ISO), by id. */
int store_credit_exceed_alarms_each(struct db *db, const char *since, credit_alarm_fn fn,
                                    void *ctx);

/* ---- reads of the API, as JSON ---- */
/* The grade in force as an object (with the subject's name and region); ERR_NOTFOUND. */
int store_credit_current_json(struct db *db, const char *kind, int64_t id, struct buf *out);
/* Events of a subject, newest first (revoked ones too), as an array. */
int store_credit_events_json(struct db *db, const char *kind, int64_t id, size_t limit,
                             struct buf *out);
/* One event as an object; ERR_NOTFOUND. */
int store_credit_event_json(struct db *db, int64_t id, struct buf *out);
/* The grade history, newest first, as an array. */
int store_credit_history_json(struct db *db, const char *kind, int64_t id, size_t limit,
                              struct buf *out);

#define CREDIT_LIST_PREFIXES 8
struct credit_list_query {
    const char *kind;
    const char *grade, *region_prefix, *q;      /* NULL = any */
    const char *prefixes[CREDIT_LIST_PREFIXES]; /* the caller's regions; n 0 = everywhere */
    size_t n_prefixes;
    const char *sort; /* "name", "score", "grade", "since", "region_code" */
    bool desc;
    int64_t offset, limit;
    bool with_total;
};
/* {"items":[...],"next_cursor":"<offset>"|null[,"total":n]}: subjects with their grade (those
   never graded too, grade null). */
int store_credit_list_json(struct db *db, const struct credit_list_query *q, struct buf *out);
/* The overview: {"by_grade":[{grade,n}],"by_region":[{region_code,region_name,grade,n}],
   "changes":{"up":n,"down":n,"first":n},"ungraded":n,"recent":[…]} of subjects within prefix
   ("" = all), changes since month_start (YYYY-MM-DD). */
int store_credit_overview_json(struct db *db, const char *kind, const char *prefix,
                               const char *month_start, struct buf *out);
/* The 工作台's credit figures of enterprises under prefix, as a member after a comma:
   ,"credit":{"kind","by_grade":[{grade,n}],"changed_this_month":n,"objections_open":n}. */
int store_credit_dashboard(struct db *db, const char *prefix, const char *month_start,
                           struct buf *out);

/* ---- objections ---- */
struct credit_objection_row {
    int64_t id, subject_id, event_id, grade_id, case_id;
    char subject_kind[16], state[16];
};
int store_credit_objection_insert(struct db *db, int64_t enterprise_id, int64_t event_id,
                                  int64_t grade_id, const char *reason, int64_t filed_by,
                                  const char *now, int64_t *id);
int store_credit_objection_set_case(struct db *db, int64_t id, int64_t case_id);
int store_credit_objection_get(struct db *db, int64_t id, struct credit_objection_row *out);
int store_credit_objection_decide(struct db *db, int64_t id, const char *state, const char *reason,
                                  const char *now);
/* Objections of an enterprise (0 = every one within prefix), newest first, as an array. */
int store_credit_objections_json(struct db *db, int64_t enterprise_id, const char *prefix,
                                 size_t limit, struct buf *out);
/* The audit-log kinds of the module (zero-terminated; its descriptor's audit_kinds). */
extern const struct audit_kind credit_audit_kinds[];
/* The firm of the first enterprise user (the demo's), 0 when none. */
int store_credit_demo_enterprise(struct db *db, int64_t *id);

/* Whether grade_id is a history row of the subject. */
int store_credit_grade_of(struct db *db, int64_t grade_id, const char *kind, int64_t subject_id);

#endif
