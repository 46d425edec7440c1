/*
** Queries of environmental credit (see q_credit.h). The subject tables differ by kind
** (enterprises, agencies): the kind picks one of two constant SQL texts, never a formatted
** identifier. The nightly pass reads subjects, events and current grades by id range, so each
** batch is three index range scans on the writer it holds.
*/
#include "store/q_credit.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/backend.h"

static bool is_agency(const char *kind)
{
    return kind && !strcmp(kind, "agency");
}

/* ---------------- subjects ---------------- */

static void subject_of_row(struct db_stmt *st, struct credit_subject_row *s)
{
    s->id = db_column_int(st, 0);
    db_column_copy(st, 1, s->region_code, sizeof s->region_code);
    char at[32], cn[20];
    db_column_copy(st, 2, at, sizeof at);
    /* created_at is UTC: the China date it entered the registry */
    snprintf(s->registered_on, sizeof s->registered_on, "%.10s",
             iso_utc_to_china(at, cn) ? cn : at);
    db_column_copy(st, 3, s->status, sizeof s->status);
    s->name[0] = 0;
    if (db_column_count(st) > 4) {
        db_column_copy(st, 4, s->name, sizeof s->name);
    }
}

int store_credit_subject(struct db *db, const char *kind, int64_t id,
                         struct credit_subject_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        is_agency(kind)
            ? "SELECT id, region_code, created_at, status, name FROM agencies WHERE id = ?1"
            : "SELECT id, region_code, created_at, status, name FROM enterprises "
              "WHERE id = ?1",
        "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        subject_of_row(st, out);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

struct subject_ctx {
    credit_subject_fn fn;
    void *ctx;
};

static void on_subject(struct db_stmt *st, void *ctx)
{
    struct subject_ctx *c = ctx;
    struct credit_subject_row s;
    subject_of_row(st, &s);
    c->fn(&s, c->ctx);
}

int store_credit_subjects_each(struct db *db, const char *kind, int64_t after, int64_t limit,
                               credit_subject_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       is_agency(kind) ? "SELECT id, region_code, created_at, status FROM agencies"
                                         " WHERE id > ?1 AND status = 'active' ORDER BY id LIMIT ?2"
                                       : "SELECT id, region_code, created_at, status FROM "
                                         "enterprises WHERE id > ?1 AND status = 'active' ORDER BY "
                                         "id LIMIT ?2",
                       "ii", after, limit);
    struct subject_ctx c = {fn, ctx};
    return rc ? rc : db_each(st, on_subject, &c);
}

/* ---------------- events ---------------- */

struct event_ctx {
    credit_event_fn fn;
    void *ctx;
};

static void on_event(struct db_stmt *st, void *ctx)
{
    struct event_ctx *c = ctx;
    struct credit_event_row e = {
        .id = db_column_int(st, 0),
        .subject_id = db_column_int(st, 1),
        .type = db_column_text(st, 2, NULL),
        .occurred_on = db_column_text(st, 3, NULL),
        .has_points = db_column_type(st, 4) != DB_NULL,
        .points = db_column_real(st, 4),
    };
    c->fn(&e, c->ctx);
}

int store_credit_events_each(struct db *db, const char *kind, int64_t lo, int64_t hi,
                             credit_event_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, subject_id, type, occurred_on, points FROM credit_events"
                       " WHERE subject_kind = ?1 AND subject_id >= ?2 AND subject_id <= ?3"
                       " AND revoked_at IS NULL ORDER BY subject_id, occurred_on, id",
                       "tii", kind, lo, hi);
    struct event_ctx c = {fn, ctx};
    return rc ? rc : db_each(st, on_event, &c);
}

/* ---------------- the grade in force ---------------- */

struct current_ctx {
    credit_current_fn fn;
    void *ctx;
};

static void on_current(struct db_stmt *st, void *ctx)
{
    struct current_ctx *c = ctx;
    static _Thread_local struct credit_current_row r;
    r.subject_id = db_column_int(st, 0);
    db_column_copy(st, 1, r.grade, sizeof r.grade);
    r.score = db_column_real(st, 2);
    r.rule_set_id = db_column_int(st, 3);
    r.rule_version = (int)db_column_int(st, 4);
    db_column_copy(st, 5, r.since, sizeof r.since);
    r.veto = db_column_int(st, 6) != 0;
    db_column_copy(st, 7, r.counted, sizeof r.counted);
    c->fn(&r, c->ctx);
}

int store_credit_current_each(struct db *db, const char *kind, int64_t lo, int64_t hi,
                              credit_current_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT subject_id, grade, score, rule_set_id, rule_version, since, veto,"
                       " counted FROM credit_current WHERE subject_kind = ?1 AND subject_id >= ?2"
                       " AND subject_id <= ?3 ORDER BY subject_id",
                       "tii", kind, lo, hi);
    struct current_ctx c = {fn, ctx};
    return rc ? rc : db_each(st, on_current, &c);
}

int store_credit_current_put(struct db *db, const char *kind, const struct credit_current_row *c,
                             const char *now)
{
    return db_runf(
        db,
        "INSERT INTO credit_current (subject_kind, subject_id, grade, score, rule_set_id,"
        " rule_version, since, veto, counted, computed_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        " ON CONFLICT (subject_kind, subject_id) DO UPDATE SET grade = excluded.grade,"
        " score = excluded.score, rule_set_id = excluded.rule_set_id,"
        " rule_version = excluded.rule_version, since = excluded.since,"
        " veto = excluded.veto, counted = excluded.counted,"
        " computed_at = excluded.computed_at",
        "titriititt", kind, c->subject_id, c->grade, c->score, c->rule_set_id,
        (int64_t)c->rule_version, c->since, (int64_t)c->veto, c->counted, now);
}

/* "INSERT INTO <head> VALUES (?1, …, ?k), (?k+1, …)" for n rows of k columns, then tail. */
static void values_sql(struct buf *b, const char *head, size_t n, int k, const char *tail)
{
    buf_puts(b, head);
    buf_puts(b, " VALUES ");
    for (size_t i = 0; i < n; i++) {
        buf_puts(b, i ? ",(" : "(");
        for (int j = 0; j < k; j++) {
            buf_printf(b, "%s?%d", j ? "," : "", (int)i * k + j + 1);
        }
        buf_putc(b, ')');
    }
    buf_puts(b, tail);
}

int store_credit_current_put_many(struct db *db, const char *kind,
                                  const struct credit_current_row *c, size_t n, const char *now)
{
    if (!n) {
        return 0;
    }
    struct buf sql;
    buf_init(&sql, 1 << 20);
    values_sql(&sql,
               "INSERT INTO credit_current (subject_kind, subject_id, grade, score, rule_set_id,"
               " rule_version, since, veto, counted, computed_at)",
               n, 10,
               " ON CONFLICT (subject_kind, subject_id) DO UPDATE SET grade = excluded.grade,"
               " score = excluded.score, rule_set_id = excluded.rule_set_id,"
               " rule_version = excluded.rule_version, since = excluded.since,"
               " veto = excluded.veto, counted = excluded.counted,"
               " computed_at = excluded.computed_at");
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    buf_release(&sql);
    if (rc) {
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        int b = (int)i * 10;
        db_bind_text(st, b + 1, kind, (size_t)-1);
        db_bind_int(st, b + 2, c[i].subject_id);
        db_bind_text(st, b + 3, c[i].grade, (size_t)-1);
        db_bind_real(st, b + 4, c[i].score);
        db_bind_int(st, b + 5, c[i].rule_set_id);
        db_bind_int(st, b + 6, c[i].rule_version);
        db_bind_text(st, b + 7, c[i].since, (size_t)-1);
        db_bind_int(st, b + 8, c[i].veto);
        db_bind_text(st, b + 9, c[i].counted, (size_t)-1);
        db_bind_text(st, b + 10, now, (size_t)-1);
    }
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : 0;
}

/* ---------------- history ---------------- */

int store_credit_grades_insert_many(struct db *db, const struct credit_grade_row *g, size_t n)
{
    if (!n) {
        return 0;
    }
    struct buf sql;
    buf_init(&sql, 1 << 20);
    values_sql(&sql,
               "INSERT INTO credit_grades (subject_kind, subject_id, grade, score, prev_grade,"
               " prev_score, veto, rule_set_id, rule_version, since, computed_at, cause,"
               " added_json, removed_json, counted_json)",
               n, 15, "");
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    buf_release(&sql);
    if (rc) {
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        int b = (int)i * 15;
        db_bind_text(st, b + 1, g[i].kind, (size_t)-1);
        db_bind_int(st, b + 2, g[i].subject_id);
        db_bind_text(st, b + 3, g[i].grade, (size_t)-1);
        db_bind_real(st, b + 4, g[i].score);
        db_bind_text(st, b + 5, g[i].prev_grade, (size_t)-1);
        db_bind_real(st, b + 6, g[i].prev_score);
        db_bind_int(st, b + 7, g[i].veto);
        db_bind_int(st, b + 8, g[i].rule_set_id);
        db_bind_int(st, b + 9, g[i].rule_version);
        db_bind_text(st, b + 10, g[i].since, (size_t)-1);
        db_bind_text(st, b + 11, g[i].computed_at, (size_t)-1);
        db_bind_text(st, b + 12, g[i].cause, (size_t)-1);
        db_bind_text(st, b + 13, g[i].added_json, (size_t)-1);
        db_bind_text(st, b + 14, g[i].removed_json, (size_t)-1);
        db_bind_text(st, b + 15, g[i].counted_json, (size_t)-1);
    }
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : 0;
}

int store_credit_grade_insert(struct db *db, const struct credit_grade_row *g, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "INSERT INTO credit_grades (subject_kind, subject_id, grade, score, prev_grade, prev_score,"
        " veto, rule_set_id, rule_version, since, computed_at, cause, added_json, removed_json,"
        " counted_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
        " RETURNING id",
        "titrtriiitttttt", g->kind, g->subject_id, g->grade, g->score, g->prev_grade, g->prev_score,
        (int64_t)g->veto, g->rule_set_id, (int64_t)g->rule_version, g->since, g->computed_at,
        g->cause, g->added_json, g->removed_json, g->counted_json);
    return rc ? rc : db_step_id(st, id);
}

int store_credit_grade_at(struct db *db, const char *kind, int64_t id, const char *date,
                          char grade[17], double *score, int64_t *rule_set_id, int *rule_version,
                          char since[11])
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT grade, score, rule_set_id, rule_version, since FROM credit_grades"
                       " WHERE subject_kind = ?1 AND subject_id = ?2 AND since <= ?3"
                       " ORDER BY since DESC, id DESC LIMIT 1",
                       "tit", kind, id, date);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_column_copy(st, 0, grade, 17);
        *score = db_column_real(st, 1);
        *rule_set_id = db_column_int(st, 2);
        *rule_version = (int)db_column_int(st, 3);
        db_column_copy(st, 4, since, 11);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

/* ---------------- writing events ---------------- */

int store_credit_event_insert(struct db *db, const struct credit_event_new *e, const char *now,
                              int64_t *id)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO credit_events (subject_kind, subject_id, type, occurred_on,"
                        " points, reason, evidence, evidence_attachment_id, source, source_id,"
                        " dedupe_key, created_by, created_at)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
                        " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, e->kind, (size_t)-1);
    db_bind_int(st, 2, e->subject_id);
    db_bind_text(st, 3, e->type, (size_t)-1);
    db_bind_text(st, 4, e->occurred_on, (size_t)-1);
    e->has_points ? db_bind_real(st, 5, e->points) : db_bind_null(st, 5);
    db_bind_text(st, 6, e->reason ? e->reason : "", (size_t)-1);
    db_bind_text(st, 7, e->evidence ? e->evidence : "", (size_t)-1);
    e->evidence_attachment_id ? db_bind_int(st, 8, e->evidence_attachment_id) : db_bind_null(st, 8);
    db_bind_text(st, 9, e->source ? e->source : "manual", (size_t)-1);
    db_bind_int(st, 10, e->source_id);
    db_bind_text(st, 11, e->dedupe_key, (size_t)-1); /* NULL binds NULL */
    e->created_by ? db_bind_int(st, 12, e->created_by) : db_bind_null(st, 12);
    db_bind_text(st, 13, now, (size_t)-1);
    return db_step_id(st, id);
}

int store_credit_event_subject(struct db *db, int64_t id, char kind[16], int64_t *subject_id,
                               bool *revoked)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st, "SELECT subject_kind, subject_id, revoked_at FROM credit_events WHERE id = ?1",
        "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_column_copy(st, 0, kind, 16);
        *subject_id = db_column_int(st, 1);
        *revoked = db_column_type(st, 2) != DB_NULL;
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_credit_event_revoke(struct db *db, int64_t id, int64_t by, const char *reason,
                              const char *now)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "UPDATE credit_events SET revoked_at = ?2, revoked_by = ?3,"
                        " revoke_reason = ?4 WHERE id = ?1 AND revoked_at IS NULL",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, now, (size_t)-1);
    by ? db_bind_int(st, 3, by) : db_bind_null(st, 3);
    db_bind_text(st, 4, reason, (size_t)-1);
    int s = db_step(st);
    db_done(st);
    if (s < 0) {
        return s;
    }
    return db_changes(db) == 1 ? 0 : ERR_CONFLICT;
}

int store_credit_attachment_of(struct db *db, int64_t attachment_id, const char *entity,
                               int64_t entity_id)
{
    struct db_stmt *st;
    int64_t got = 0;
    int rc = db_queryf(
        db, &st, "SELECT id FROM attachments WHERE id = ?1 AND entity = ?2 AND entity_id = ?3",
        "iti", attachment_id, entity, entity_id);
    rc = rc ? rc : db_step_id(st, &got);
    return rc ? rc : got ? 0 : ERR_NOTFOUND;
}

int store_credit_alarm(struct db *db, int64_t alarm_id, int64_t *enterprise_id, char first_at[32])
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st, "SELECT enterprise_id, first_at FROM alarms WHERE id = ?1 AND kind = 'exceed'",
        "i", alarm_id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        *enterprise_id = db_column_int(st, 0);
        db_column_copy(st, 1, first_at, 32);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

struct alarm_ctx {
    credit_alarm_fn fn;
    void *ctx;
};

static void on_alarm(struct db_stmt *st, void *ctx)
{
    struct alarm_ctx *c = ctx;
    c->fn(db_column_int(st, 0), db_column_int(st, 1), db_column_text(st, 2, NULL), c->ctx);
}

int store_credit_exceed_alarms_each(struct db *db, const char *since, credit_alarm_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, enterprise_id, first_at FROM alarms WHERE kind = 'exceed'"
                       " AND first_at >= ?1 ORDER BY id",
                       "t", since);
    struct alarm_ctx c = {fn, ctx};
    return rc ? rc : db_each(st, on_alarm, &c);
}

/* ---------------- reads of the API ---------------- */

static int one_json(struct db_stmt *st, struct buf *out)
{
    int s = db_step(st);
    if (s == DB_ROW) {
        db_row_json(st, out);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

static int array_json(struct db_stmt *st, size_t limit, struct buf *out)
{
    size_t n;
    int rc = db_rows_json(st, 1, limit, out, &n);
    db_done(st);
    return rc;
}

int store_credit_current_json(struct db *db, const char *kind, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        is_agency(kind)
            ? "SELECT s.id AS subject_id, 'agency' AS subject_kind, s.name, s.region_code,"
              " (SELECT name FROM regions WHERE code = s.region_code) AS region_name, c.grade,"
              " c.score, c.rule_set_id, c.rule_version, c.since, c.veto, c.computed_at,"
              " (SELECT region_prefix FROM rule_sets WHERE id = c.rule_set_id) AS rule_region,"
              " (SELECT kind FROM rule_sets WHERE id = c.rule_set_id) AS rule_kind"
              " FROM agencies s LEFT JOIN credit_current c ON c.subject_kind = 'agency'"
              " AND c.subject_id = s.id WHERE s.id = ?1"
            : "SELECT s.id AS subject_id, 'enterprise' AS subject_kind, s.name, s.region_code,"
              " (SELECT name FROM regions WHERE code = s.region_code) AS region_name, c.grade,"
              " c.score, c.rule_set_id, c.rule_version, c.since, c.veto, c.computed_at,"
              " (SELECT region_prefix FROM rule_sets WHERE id = c.rule_set_id) AS rule_region,"
              " (SELECT kind FROM rule_sets WHERE id = c.rule_set_id) AS rule_kind"
              " FROM enterprises s LEFT JOIN credit_current c ON c.subject_kind = 'enterprise'"
              " AND c.subject_id = s.id WHERE s.id = ?1",
        "i", id);
    return rc ? rc : one_json(st, out);
}

#define EVENT_COLS                                                                                 \
    "SELECT e.id, e.subject_kind, e.subject_id, e.type, e.occurred_on, e.points, e.reason,"        \
    " e.evidence, e.evidence_attachment_id, (SELECT name FROM attachments WHERE id ="              \
    " e.evidence_attachment_id) AS evidence_name, e.source, e.source_id, e.created_at,"            \
    " (SELECT display_name FROM users WHERE id = e.created_by) AS created_by_name,"                \
    " e.revoked_at, e.revoke_reason, (SELECT display_name FROM users WHERE id = e.revoked_by)"     \
    " AS revoked_by_name FROM credit_events e"

int store_credit_events_json(struct db *db, const char *kind, int64_t id, size_t limit,
                             struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       EVENT_COLS " WHERE e.subject_kind = ?1 AND e.subject_id = ?2"
                                  " ORDER BY e.occurred_on DESC, e.id DESC LIMIT ?3",
                       "tii", kind, id, (int64_t)limit);
    return rc ? rc : array_json(st, limit, out);
}

int store_credit_event_json(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, EVENT_COLS " WHERE e.id = ?1", "i", id);
    return rc ? rc : one_json(st, out);
}

int store_credit_history_json(struct db *db, const char *kind, int64_t id, size_t limit,
                              struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT g.id, g.grade, g.score, g.prev_grade, g.prev_score, g.veto,"
                       " g.rule_set_id, g.rule_version, (SELECT region_prefix FROM rule_sets WHERE"
                       " id = g.rule_set_id) AS rule_region, g.since, g.computed_at, g.cause,"
                       " g.added_json, g.removed_json, g.counted_json FROM credit_grades g"
                       " WHERE g.subject_kind = ?1 AND g.subject_id = ?2"
                       " ORDER BY g.since DESC, g.id DESC LIMIT ?3",
                       "tii", kind, id, (int64_t)limit);
    return rc ? rc : array_json(st, limit, out);
}

/* The list: one SQL text per kind and sort key (constants), filters as bound parameters. */
#define LIST_FROM(table, kind)                                                                     \
    " FROM " table " s LEFT JOIN credit_current c ON c.subject_kind = '" kind "' AND"              \
    " c.subject_id = s.id WHERE s.status = 'active' AND (?1 = '' OR c.grade = ?1 OR (?1 = 'none'"  \
    " AND c.grade IS NULL)) AND (?2 = '' OR substr(s.region_code, 1, length(?2)) = ?2) AND"        \
    " (?3 = '' OR s.name LIKE '%' || ?3 || '%' OR s.uscc = ?3) AND (?4 = 0 OR"                     \
    " substr(s.region_code, 1, length(?5)) = ?5 OR substr(s.region_code, 1, length(?6)) = ?6 OR"   \
    " substr(s.region_code, 1, length(?7)) = ?7 OR substr(s.region_code, 1, length(?8)) = ?8 OR"   \
    " substr(s.region_code, 1, length(?9)) = ?9 OR substr(s.region_code, 1, length(?10)) = ?10"    \
    " OR substr(s.region_code, 1, length(?11)) = ?11 OR substr(s.region_code, 1, length(?12)) ="   \
    " ?12)"
#define LIST_SELECT(table, kind)                                                                   \
    "SELECT s.id, s.name, s.uscc, s.region_code, (SELECT name FROM regions WHERE code ="           \
    " s.region_code) AS region_name, c.grade, c.score, c.since, c.veto, c.rule_version" LIST_FROM( \
        table, kind)

static const char *list_order(const char *sort, bool desc)
{
    static const struct {
        const char *key, *asc, *desc;
    } K[] = {
        {"name", " ORDER BY s.name, s.id", " ORDER BY s.name DESC, s.id DESC"},
        {"score", " ORDER BY COALESCE(c.score, -1e9), s.id",
         " ORDER BY COALESCE(c.score, -1e9) DESC, s.id DESC"},
        {"grade", " ORDER BY COALESCE(c.grade, ''), s.id",
         " ORDER BY COALESCE(c.grade, '') DESC, s.id DESC"},
        {"since", " ORDER BY COALESCE(c.since, ''), s.id",
         " ORDER BY COALESCE(c.since, '') DESC, s.id DESC"},
        {"region_code", " ORDER BY s.region_code, s.id", " ORDER BY s.region_code DESC, s.id DESC"},
    };
    for (size_t i = 0; i < ARRAY_LEN(K); i++) {
        if (sort && !strcmp(sort, K[i].key)) {
            return desc ? K[i].desc : K[i].asc;
        }
    }
    return desc ? " ORDER BY s.id DESC" : " ORDER BY s.id";
}

static void list_bind(struct db_stmt *st, const struct credit_list_query *q)
{
    db_bind_text(st, 1, q->grade ? q->grade : "", (size_t)-1);
    db_bind_text(st, 2, q->region_prefix ? q->region_prefix : "", (size_t)-1);
    db_bind_text(st, 3, q->q ? q->q : "", (size_t)-1);
    db_bind_int(st, 4, (int64_t)q->n_prefixes);
    for (size_t i = 0; i < CREDIT_LIST_PREFIXES; i++) {
        /* an unused slot matches nothing: no region code is longer than 12 digits */
        db_bind_text(st, 5 + (int)i, i < q->n_prefixes ? q->prefixes[i] : "#############",
                     (size_t)-1);
    }
}

int store_credit_list_json(struct db *db, const struct credit_list_query *q, struct buf *out)
{
    char sql[4096];
    bool ag = is_agency(q->kind);
    snprintf(sql, sizeof sql, "%s%s LIMIT ?13 OFFSET ?14",
             ag ? LIST_SELECT("agencies", "agency") : LIST_SELECT("enterprises", "enterprise"),
             list_order(q->sort, q->desc));
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st);
    if (rc) {
        return rc;
    }
    list_bind(st, q);
    db_bind_int(st, 13, q->limit + 1);
    db_bind_int(st, 14, q->offset);
    size_t n = 0;
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, (size_t)q->limit, out, &n);
    bool more = !rc && db_step(st) == DB_ROW;
    db_done(st);
    if (more) {
        buf_printf(out, ",\"next_cursor\":\"%lld\"", (long long)(q->offset + q->limit));
    } else {
        buf_puts(out, ",\"next_cursor\":null");
    }
    if (!rc && q->with_total) {
        int64_t total = 0;
        rc = db_prepare(db,
                        ag ? "SELECT COUNT(*)" LIST_FROM("agencies", "agency")
                           : "SELECT COUNT(*)" LIST_FROM("enterprises", "enterprise"),
                        &st);
        if (!rc) {
            list_bind(st, q);
            rc = db_step_id(st, &total);
        }
        buf_printf(out, ",\"total\":%lld", (long long)total);
    }
    buf_putc(out, '}');
    return rc;
}

static int overview_part(struct db *db, const char *sql, const char *kind, const char *prefix,
                         const char *month, const char *name, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, sql, "ttt", kind, prefix, month);
    buf_printf(out, ",\"%s\":", name);
    return rc ? rc : array_json(st, 1000, out);
}

#define OV_SUBJ(alias)                                                                             \
    " (?1 = 'agency' AND EXISTS (SELECT 1 FROM agencies a WHERE a.id = " alias ".subject_id AND"   \
    " substr(a.region_code, 1, length(?2)) = ?2) OR ?1 = 'enterprise' AND EXISTS (SELECT 1 FROM"   \
    " enterprises x WHERE x.id = " alias ".subject_id AND substr(x.region_code, 1, length(?2)) ="  \
    " ?2))"

int store_credit_dashboard(struct db *db, const char *prefix, const char *month_start,
                           struct buf *out)
{
    buf_puts(out, ",\"credit\":{\"kind\":\"enterprise\"");
    int rc = overview_part(db,
                           "SELECT c.grade, COUNT(*) AS n FROM credit_current c WHERE"
                           " c.subject_kind = ?1 AND ?3 = ?3 AND" OV_SUBJ("c") " GROUP BY c.grade"
                                                                               " ORDER BY c.grade",
                           "enterprise", prefix, month_start, "by_grade", out);
    struct db_stmt *st;
    int64_t changed = 0, open = 0;
    rc = rc ? rc
            : db_queryf(db, &st,
                        "SELECT (SELECT COUNT(*) FROM credit_grades g WHERE g.subject_kind = ?1"
                        " AND g.since >= ?3 AND g.prev_grade <> '' AND g.prev_grade <> g.grade"
                        " AND" OV_SUBJ("g") "), (SELECT COUNT(*) FROM credit_objections g WHERE"
                                            " g.subject_kind = ?1 AND g.state = 'open' AND" OV_SUBJ(
                                                "g") ")",
                        "ttt", "enterprise", prefix, month_start);
    if (!rc) {
        int s = db_step(st);
        if (s == DB_ROW) {
            changed = db_column_int(st, 0);
            open = db_column_int(st, 1);
        }
        db_done(st);
        rc = s < 0 ? s : 0;
    }
    buf_printf(out, ",\"changed_this_month\":%lld,\"objections_open\":%lld}", (long long)changed,
               (long long)open);
    return rc;
}

int store_credit_overview_json(struct db *db, const char *kind, const char *prefix,
                               const char *month_start, struct buf *out)
{
    buf_puts(out, "{\"kind\":");
    buf_json_str(out, kind, strlen(kind));
    int rc = overview_part(db,
                           "SELECT c.grade, COUNT(*) AS n FROM credit_current c WHERE"
                           " c.subject_kind = ?1 AND ?3 = ?3 AND" OV_SUBJ("c") " GROUP BY c.grade"
                                                                               " ORDER BY c.grade",
                           kind, prefix, month_start, "by_grade", out);
    /* by region: enterprises only (agencies are few); the county of each enterprise */
    rc = rc ? rc
            : overview_part(db,
                            "SELECT s.region_code, (SELECT name FROM regions WHERE code ="
                            " s.region_code) AS region_name, c.grade, COUNT(*) AS n FROM"
                            " credit_current c JOIN enterprises s ON s.id = c.subject_id WHERE"
                            " c.subject_kind = ?1 AND ?3 = ?3 AND substr(s.region_code, 1,"
                            " length(?2)) = ?2 GROUP BY s.region_code, c.grade ORDER BY"
                            " s.region_code, c.grade",
                            kind, prefix, month_start, "by_region", out);
    rc = rc ? rc
            : overview_part(
                  db,
                  "SELECT g.prev_grade, g.grade, COUNT(*) AS n FROM credit_grades g"
                  " WHERE g.subject_kind = ?1 AND g.since >= ?3 AND g.prev_grade <> ''"
                  " AND g.prev_grade <> g.grade AND" OV_SUBJ(
                      "g") " GROUP BY g.prev_grade, g.grade ORDER BY g.prev_grade, g.grade",
                  kind, prefix, month_start, "changes", out);
    rc = rc ? rc
            : overview_part(
                  db,
                  "SELECT g.id, g.subject_id, CASE WHEN ?1 = 'agency' THEN (SELECT name"
                  " FROM agencies WHERE id = g.subject_id) ELSE (SELECT name FROM"
                  " enterprises WHERE id = g.subject_id) END AS name, g.prev_grade,"
                  " g.grade, g.prev_score, g.score, g.since, g.cause FROM credit_grades g"
                  " WHERE g.subject_kind = ?1 AND g.since >= ?3 AND g.prev_grade <> ''"
                  " AND g.prev_grade <> g.grade AND" OV_SUBJ("g") " ORDER BY g.id DESC LIMIT 20",
                  kind, prefix, month_start, "recent", out);
    buf_putc(out, '}');
    return rc;
}

/* ---------------- objections ---------------- */

int store_credit_objection_insert(struct db *db, int64_t enterprise_id, int64_t event_id,
                                  int64_t grade_id, const char *reason, int64_t filed_by,
                                  const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO credit_objections (subject_kind, subject_id, event_id,"
                        " grade_id, reason, filed_by, filed_at)"
                        " VALUES ('enterprise', ?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_int(st, 1, enterprise_id);
    event_id ? db_bind_int(st, 2, event_id) : db_bind_null(st, 2);
    grade_id ? db_bind_int(st, 3, grade_id) : db_bind_null(st, 3);
    db_bind_text(st, 4, reason, (size_t)-1);
    filed_by ? db_bind_int(st, 5, filed_by) : db_bind_null(st, 5);
    db_bind_text(st, 6, now, (size_t)-1);
    return db_step_id(st, id);
}

int store_credit_objection_set_case(struct db *db, int64_t id, int64_t case_id)
{
    return db_runf(db, "UPDATE credit_objections SET case_id = ?2 WHERE id = ?1", "ii", id,
                   case_id);
}

int store_credit_objection_get(struct db *db, int64_t id, struct credit_objection_row *out)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st,
                  "SELECT id, subject_kind, subject_id, COALESCE(event_id, 0),"
                  " COALESCE(grade_id, 0), case_id, state FROM credit_objections WHERE id = ?1",
                  "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        out->id = db_column_int(st, 0);
        db_column_copy(st, 1, out->subject_kind, sizeof out->subject_kind);
        out->subject_id = db_column_int(st, 2);
        out->event_id = db_column_int(st, 3);
        out->grade_id = db_column_int(st, 4);
        out->case_id = db_column_int(st, 5);
        db_column_copy(st, 6, out->state, sizeof out->state);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_credit_objection_decide(struct db *db, int64_t id, const char *state, const char *reason,
                                  const char *now)
{
    return db_runf(db,
                   "UPDATE credit_objections SET state = ?2, decision_reason = ?3, decided_at = ?4"
                   " WHERE id = ?1",
                   "ittt", id, state, reason ? reason : "", now);
}

int store_credit_objections_json(struct db *db, int64_t enterprise_id, const char *prefix,
                                 size_t limit, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT o.id, o.subject_id AS enterprise_id, s.name AS enterprise_name,"
                       " o.event_id, (SELECT type FROM credit_events WHERE id = o.event_id) AS"
                       " event_type, o.grade_id, o.reason, o.case_id, (SELECT state FROM cases"
                       " WHERE id = o.case_id) AS case_state, (SELECT due_at FROM cases WHERE id ="
                       " o.case_id) AS due_at, o.state, o.decision_reason, o.filed_at,"
                       " o.decided_at FROM credit_objections o JOIN enterprises s ON s.id ="
                       " o.subject_id WHERE (?1 = 0 OR o.subject_id = ?1) AND"
                       " substr(s.region_code, 1, length(?2)) = ?2 ORDER BY o.id DESC LIMIT ?3",
                       "iti", enterprise_id, prefix, (int64_t)limit);
    return rc ? rc : array_json(st, limit, out);
}

int store_credit_grade_of(struct db *db, int64_t grade_id, const char *kind, int64_t subject_id)
{
    struct db_stmt *st;
    int64_t got = 0;
    int rc = db_queryf(db, &st,
                       "SELECT id FROM credit_grades WHERE id = ?1 AND subject_kind = ?2 AND"
                       " subject_id = ?3",
                       "iti", grade_id, kind, subject_id);
    rc = rc ? rc : db_step_id(st, &got);
    return rc ? rc : got ? 0 : ERR_NOTFOUND;
}

/* The records the module writes to the audit log (platform/module.h audit_kinds): an event by its
   subject, type and date, an objection by its enterprise; both in the enterprise's change
   history (an agency's events name the agency). */
const struct audit_kind credit_audit_kinds[] = {
    {"credit_event",
     "(SELECT COALESCE((SELECT name FROM enterprises WHERE e.subject_kind = 'enterprise' AND id ="
     " e.subject_id), (SELECT name FROM agencies WHERE e.subject_kind = 'agency' AND id ="
     " e.subject_id), '') || ' · ' || e.type || ' ' || e.occurred_on FROM credit_events e WHERE"
     " e.id = ?5)",
     "SELECT id FROM credit_events WHERE subject_kind = 'enterprise' AND subject_id = ?1"},
    {"credit_objection",
     "(SELECT s.name || ' · ' || o.filed_at FROM credit_objections o JOIN enterprises s ON s.id ="
     " o.subject_id WHERE o.id = ?5)",
     "SELECT id FROM credit_objections WHERE subject_id = ?1"},
    {0},
};

int store_credit_demo_enterprise(struct db *db, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT COALESCE(MIN(enterprise_id), 0) FROM users WHERE role = 'enterprise'"
                       " AND enterprise_id IS NOT NULL",
                       "");
    return rc ? rc : db_step_id(st, id);
}
