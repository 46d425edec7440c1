/*
** Queries of EIA approval (see q_approval.h): eia_catalogue, eia_applications and
** eia_obligations (migration 023), with the reads of cases the ledger and pages need. A clock
** state is read from the application's case (cases.due_at / soon_at / is_open against now).
*/
#include "store/q_approval.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/backend.h"
#include "store/qb.h"
#include "store/scope.h"

static const char *const STATES[] = {"filed",    "notice", "accepted",  "approved", "rejected",
                                     "recorded", "exempt", "withdrawn", "revoked",  NULL};
static const char *const CLASSES[] = {"report", "form", "registration", "none", NULL};
static const char *const ROUTES[] = {"exempt", "commitment", "direct", "normal", "record", NULL};

static const struct field_def app_fields[] = {
    {"project_name", FK_TEXT, FF_SERVER | FF_SORT | FF_SEARCH | FF_ZH, 256, NULL, 0, 0},
    {"enterprise_name", FK_TEXT, FF_SERVER | FF_SORT | FF_SEARCH | FF_ZH, 200, NULL, 0, 0},
    {"state", FK_ENUM, FF_SERVER | FF_FILTER | FF_SORT, 16, STATES, 0, 0},
    {"class", FK_ENUM, FF_SERVER | FF_FILTER | FF_SORT, 16, CLASSES, 0, 0},
    {"route", FK_ENUM, FF_SERVER | FF_FILTER | FF_SORT, 16, ROUTES, 0, 0},
    {"industry_code", FK_TEXT, FF_SERVER | FF_FILTER, 16, NULL, 0, 0},
    {"filed_on", FK_DATE, FF_SERVER | FF_SORT, 10, NULL, 0, 0},
    {"enterprise_id", FK_INT, FF_SERVER | FF_FILTER, 0, NULL, 0, 0},
    {"region_code", FK_REGION, FF_SERVER | FF_FILTER | FF_PREFIX, 12, NULL, 0, 0},
};

const struct entity_def ENTITY_EIA_APPLICATION = {
    "eia_application",
    "eia_applications",
    "t.id, t.enterprise_id, t.enterprise_name, t.region_code, (SELECT name FROM regions WHERE"
    " code = t.region_code) AS region_name, t.project_name, t.industry_code, t.class,"
    " t.proposed_class, t.route, t.state, t.sensitive, t.key_project, t.receipt_no, t.filed_on,"
    " t.accepted_on, t.decided_on, t.limit_days, t.case_id, (SELECT due_at FROM cases WHERE id ="
    " t.case_id) AS due_at, t.created_at",
    app_fields,
    sizeof app_fields / sizeof app_fields[0],
    "enterprise_id",
    NULL,
    "-id",
    NULL,
    NULL};

static const char *const DEFAULT_CLASSES[] = {"report", "form", "registration", "none", NULL};
static const char *const ITEM_STATUS[] = {"active", "inactive", NULL};

static const struct field_def cat_fields[] = {
    {"item_no", FK_TEXT, FF_REQUIRED | FF_SORT | FF_SEARCH, 32, NULL, 0, 0},
    {"category", FK_TEXT, FF_REQUIRED | FF_SORT | FF_SEARCH | FF_ZH, 100, NULL, 0, 0},
    {"project_type", FK_TEXT, FF_REQUIRED | FF_SEARCH, 200, NULL, 0, 0},
    {"industry_prefixes", FK_TEXT, FF_REQUIRED | FF_SEARCH, 250, NULL, 0, 0},
    {"report_cond", FK_TEXT, 0, 500, NULL, 0, 0},
    {"form_cond", FK_TEXT, 0, 500, NULL, 0, 0},
    {"registration_cond", FK_TEXT, 0, 500, NULL, 0, 0},
    {"default_class", FK_ENUM, FF_REQUIRED | FF_FILTER | FF_SORT, 16, DEFAULT_CLASSES, 0, 0},
    {"report_keywords", FK_TEXT, 0, 250, NULL, 0, 0},
    {"report_min_investment", FK_REAL, 0, 0, NULL, 0, 1e9},
    {"status", FK_ENUM, FF_SERVER | FF_FILTER, 16, ITEM_STATUS, 0, 0},
};

const struct entity_def ENTITY_EIA_CATALOGUE = {
    "eia_catalogue",
    "eia_catalogue",
    "t.id, t.item_no, t.category, t.project_type, t.industry_prefixes, t.report_cond,"
    " t.form_cond, t.registration_cond, t.default_class, t.report_keywords,"
    " t.report_min_investment, t.status, t.created_at, t.updated_at",
    cat_fields,
    sizeof cat_fields / sizeof cat_fields[0],
    NULL,
    NULL,
    "item_no",
    NULL,
    NULL};

struct item_ctx {
    eia_item_fn fn;
    void *ctx;
};

static void item_row(struct db_stmt *st, void *ctx)
{
    struct item_ctx *c = ctx;
    c->fn(db_column_int(st, 0), db_column_text(st, 1, NULL), db_column_text(st, 2, NULL),
          db_column_text(st, 3, NULL), db_column_text(st, 4, NULL), db_column_real(st, 5), c->ctx);
}

int store_eia_catalogue_each(struct db *db, eia_item_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, item_no, industry_prefixes, default_class, report_keywords,"
                       " report_min_investment FROM eia_catalogue WHERE status = 'active' ORDER"
                       " BY id LIMIT 1000",
                       "");
    struct item_ctx c = {fn, ctx};
    return rc ? rc : db_each(st, item_row, &c);
}

int store_eia_catalogue_count(struct db *db, int64_t *n)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT COUNT(*) FROM eia_catalogue", "");
    return rc ? rc : db_step_id(st, n);
}

int store_eia_catalogue_insert(struct db *db, const char *item_no, const char *category,
                               const char *project_type, const char *prefixes,
                               const char *report_cond, const char *form_cond,
                               const char *registration_cond, const char *default_class,
                               const char *keywords, double min_investment, const char *now)
{
    return db_runf(db,
                   "INSERT INTO eia_catalogue (item_no, category, project_type, industry_prefixes,"
                   " report_cond, form_cond, registration_cond, default_class, report_keywords,"
                   " report_min_investment, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5,"
                   " ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
                   "tttttttttrt", item_no, category, project_type, prefixes, report_cond, form_cond,
                   registration_cond, default_class, keywords, min_investment, now);
}

int store_eia_insert(struct db *db, const struct eia_new *n, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "INSERT INTO eia_applications (enterprise_id, enterprise_name, region_code, project_name,"
        " industry_code, geometry, investment, capacity, pollutants_json, park,"
        " preparer_agency_id, consult_id, catalogue_id, proposed_class, class, class_reason,"
        " sensitive, zoning_verdict, zoning_json, route, route_reasons_json, key_project,"
        " officer_user_id, checklist_json, commitment_signed, state, receipt_no, rule_set_id,"
        " rule_version, filed_by, filed_on, created_at, updated_at, assessments, bundle_json)"
        " SELECT ?1, e.name, e.region_code, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULLIF(?9, 0), ?10,"
        " NULLIF(?11, 0), ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, NULLIF(?21, 0), ?22, ?23,"
        " ?24, ?25, NULLIF(?26, 0), ?27, NULLIF(?28, 0), ?29, ?30, ?30, ?31, ?32 FROM enterprises"
        " e WHERE e.id = ?1"
        " RETURNING id",
        "itttrtttiiitttittttiitittiiitttt", n->enterprise_id, n->project_name, n->industry_code,
        n->geometry, n->investment, n->capacity, n->pollutants_json, n->park, n->preparer_agency_id,
        n->consult_id, n->catalogue_id, n->proposed_class, n->cls, n->class_reason,
        (int64_t)n->sensitive, n->zoning_verdict, n->zoning_json, n->route, n->route_reasons_json,
        (int64_t)n->key_project, n->officer_user_id, n->checklist_json,
        (int64_t)n->commitment_signed, n->state, n->receipt_no, n->rule_set_id,
        (int64_t)n->rule_version, n->filed_by, n->filed_on, now,
        n->assessments ? n->assessments : "eia", n->bundle_json ? n->bundle_json : "[]");
    *id = 0;
    rc = rc ? rc : db_step_id(st, id);
    return rc ? rc : *id ? 0 : ERR_NOTFOUND;
}

int store_eia_get(struct db *db, int64_t id, struct arena *a, struct eia_row *o)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "SELECT id, enterprise_id, COALESCE(case_id, 0), COALESCE(verify_case_id, 0),"
        " COALESCE(rule_set_id, 0), COALESCE(catalogue_id, 0), COALESCE(preparer_agency_id, 0),"
        " rule_version, limit_days, statutory_days, sensitive, key_project, commitment_signed,"
        " investment, state, class, proposed_class, route, region_code, industry_code,"
        " zoning_verdict, filed_on, COALESCE(accepted_on, ''), receipt_no, park,"
        " enterprise_name, project_name, checklist_json, missing_json, capacity,"
        " COALESCE(officer_user_id, 0), assessments FROM eia_applications WHERE id = ?1",
        "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        memset(o, 0, sizeof *o);
        o->id = db_column_int(st, 0);
        o->enterprise_id = db_column_int(st, 1);
        o->case_id = db_column_int(st, 2);
        o->verify_case_id = db_column_int(st, 3);
        o->rule_set_id = db_column_int(st, 4);
        o->catalogue_id = db_column_int(st, 5);
        o->preparer_agency_id = db_column_int(st, 6);
        o->rule_version = (int)db_column_int(st, 7);
        o->limit_days = (int)db_column_int(st, 8);
        o->statutory_days = (int)db_column_int(st, 9);
        o->sensitive = db_column_int(st, 10) != 0;
        o->key_project = db_column_int(st, 11) != 0;
        o->commitment_signed = db_column_int(st, 12) != 0;
        o->investment = db_column_real(st, 13);
        db_column_copy(st, 14, o->state, sizeof o->state);
        db_column_copy(st, 15, o->cls, sizeof o->cls);
        db_column_copy(st, 16, o->proposed_class, sizeof o->proposed_class);
        db_column_copy(st, 17, o->route, sizeof o->route);
        db_column_copy(st, 18, o->region_code, sizeof o->region_code);
        db_column_copy(st, 19, o->industry_code, sizeof o->industry_code);
        db_column_copy(st, 20, o->zoning_verdict, sizeof o->zoning_verdict);
        db_column_copy(st, 21, o->filed_on, sizeof o->filed_on);
        db_column_copy(st, 22, o->accepted_on, sizeof o->accepted_on);
        db_column_copy(st, 23, o->receipt_no, sizeof o->receipt_no);
        db_column_copy(st, 24, o->park, sizeof o->park);
        db_column_copy(st, 25, o->enterprise_name, sizeof o->enterprise_name);
        db_column_copy(st, 26, o->project_name, sizeof o->project_name);
        size_t n = 0;
        const char *t = db_column_text(st, 27, &n);
        o->checklist_json = arena_strndup(a, t ? t : "", t ? n : 0);
        t = db_column_text(st, 28, &n);
        o->missing_json = arena_strndup(a, t ? t : "", t ? n : 0);
        t = db_column_text(st, 29, &n);
        o->capacity = arena_strndup(a, t ? t : "", t ? n : 0);
        o->officer_user_id = db_column_int(st, 30);
        db_column_copy(st, 31, o->assessments, sizeof o->assessments);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_eia_set_docs(struct db *db, int64_t id, const char *checklist_json,
                       const char *missing_json, const char *now)
{
    return db_runf(db,
                   "UPDATE eia_applications SET checklist_json = ?2, missing_json = ?3,"
                   " updated_at = ?4 WHERE id = ?1",
                   "itt"
                   "t",
                   id, checklist_json, missing_json, now);
}

int store_eia_move(struct db *db, int64_t id, const char *from, const char *to, const char *now)
{
    int rc = db_runf(db,
                     "UPDATE eia_applications SET state = ?3, updated_at = ?4 WHERE id = ?1 AND"
                     " state = ?2",
                     "ittt", id, from, to, now);
    return rc ? rc : db_changes(db) ? 0 : ERR_CONFLICT;
}

int store_eia_notice(struct db *db, int64_t id, const char *text, const char *on, const char *now)
{
    int rc = db_runf(db,
                     "UPDATE eia_applications SET state = 'notice', notice_text = ?2, notice_on ="
                     " ?3, updated_at = ?4 WHERE id = ?1 AND state = 'filed'",
                     "ittt", id, text, on, now);
    return rc ? rc : db_changes(db) ? 0 : ERR_CONFLICT;
}

int store_eia_accept(struct db *db, int64_t id, int64_t case_id, const char *on,
                     const char *missing_json, int statutory, double ratio, int limit_days,
                     int64_t rule_set_id, int rule_version, const char *comment_until,
                     const char *now)
{
    int rc = db_runf(db,
                     "UPDATE eia_applications SET state = 'accepted', case_id = ?2, accepted_on ="
                     " ?3, missing_json = ?4, statutory_days = ?5, ratio = ?6, limit_days = ?7,"
                     " rule_set_id = ?8, rule_version = ?9, comment_until = ?10, updated_at ="
                     " ?11 WHERE id = ?1 AND state = 'filed'",
                     "iittiriiitt", id, case_id, on, missing_json, (int64_t)statutory, ratio,
                     (int64_t)limit_days, rule_set_id, (int64_t)rule_version, comment_until, now);
    return rc ? rc : db_changes(db) ? 0 : ERR_CONFLICT;
}

int store_eia_set_class(struct db *db, int64_t id, const char *cls, const char *reason,
                        const char *route, const char *reasons_json, const char *now)
{
    int rc = db_runf(db,
                     "UPDATE eia_applications SET class = ?2, class_reason = ?3, route = ?4,"
                     " route_reasons_json = ?5, updated_at = ?6 WHERE id = ?1 AND state IN"
                     " ('filed', 'notice')",
                     "itttt"
                     "t",
                     id, cls, reason, route, reasons_json, now);
    return rc ? rc : db_changes(db) ? 0 : ERR_CONFLICT;
}

int store_eia_decide(struct db *db, int64_t id, const char *state, const char *conditions,
                     const char *reason, int64_t by, const char *on, const char *comment_until,
                     int64_t verify_case_id, const char *now)
{
    int rc = db_runf(db,
                     "UPDATE eia_applications SET state = ?2, conditions = ?3, decision_reason ="
                     " ?4, decided_by = ?5, decided_on = ?6, comment_until = ?7, verify_case_id ="
                     " NULLIF(?8, 0), updated_at = ?9 WHERE id = ?1 AND state = 'accepted'",
                     "itttittit", id, state, conditions ? conditions : "", reason ? reason : "", by,
                     on, comment_until, verify_case_id, now);
    return rc ? rc : db_changes(db) ? 0 : ERR_CONFLICT;
}

int store_eia_revoke(struct db *db, int64_t id, const char *reason, const char *now)
{
    int rc = db_runf(db,
                     "UPDATE eia_applications SET state = 'revoked', decision_reason = ?2,"
                     " updated_at = ?3 WHERE id = ?1 AND state = 'approved'",
                     "itt", id, reason, now);
    return rc ? rc : db_changes(db) ? 0 : ERR_CONFLICT;
}

int store_eia_next_receipt(struct db *db, const char *year, char *out, size_t cap)
{
    char pat[16];
    snprintf(pat, sizeof pat, "HJBA%.4s%%", year);
    struct db_stmt *st;
    int64_t n = 0;
    int rc = db_queryf(db, &st, "SELECT COUNT(*) FROM eia_applications WHERE receipt_no LIKE ?1",
                       "t", pat);
    rc = rc ? rc : db_step_id(st, &n);
    snprintf(out, cap, "HJBA%.4s%05lld", year, (long long)(n + 1));
    return rc;
}

int store_eia_enterprise(struct db *db, int64_t id, char name[256], char region[16],
                         char industry[16])
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT name, region_code, industry_code FROM enterprises WHERE id = ?1 AND"
                       " status = 'active'",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_column_copy(st, 0, name, 256);
        db_column_copy(st, 1, region, 16);
        db_column_copy(st, 2, industry, 16);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

bool store_eia_agency_exists(struct db *db, int64_t id)
{
    struct db_stmt *st;
    int64_t n = 0;
    int rc = db_queryf(db, &st, "SELECT COUNT(*) FROM agencies WHERE id = ?1", "i", id);
    return !rc && !db_step_id(st, &n) && n > 0;
}

bool store_eia_attachment_of(struct db *db, int64_t id, int64_t application_id)
{
    struct db_stmt *st;
    int64_t n = 0;
    int rc = db_queryf(db, &st,
                       "SELECT COUNT(*) FROM attachments WHERE id = ?1 AND entity ="
                       " 'eia_application' AND entity_id = ?2 AND status = 'active'",
                       "ii", id, application_id);
    return !rc && !db_step_id(st, &n) && n > 0;
}

int store_eia_notify(struct db *db, int64_t enterprise_id, const char *event, const char *title,
                     const char *now)
{
    return db_runf(db,
                   "INSERT INTO notifications (alarm_id, enterprise_id, event, title, created_at)"
                   " VALUES (NULL, ?1, ?2, ?3, ?4)",
                   "ittt", enterprise_id, event, title, now);
}

int store_eia_document_number(struct db *db, int64_t id, const char *kind, char *out, size_t cap)
{
    struct db_stmt *st;
    out[0] = 0;
    int rc = db_queryf(db, &st,
                       "SELECT number FROM documents WHERE subject_kind = 'eia_application' AND"
                       " subject_id = ?1 AND kind = ?2 ORDER BY id DESC LIMIT 1",
                       "it", id, kind);
    if (rc) {
        return rc;
    }
    if (db_step(st) == DB_ROW) {
        db_column_copy(st, 0, out, cap);
    }
    db_done(st);
    return 0;
}

#define CLOCK_EXPR(now)                                                                            \
    "(CASE WHEN c.id IS NULL THEN 'none' WHEN c.is_open = 0 THEN 'stopped' WHEN c.paused_at > 0"   \
    " THEN 'paused' WHEN c.due_at IS NULL THEN 'none' WHEN c.due_at < " now                        \
    " THEN 'overdue' WHEN c.soon_at <= " now " THEN 'due_soon' ELSE 'on_track' END)"

int store_eia_json(struct db *db, int64_t id, const char *now, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "SELECT t.id, t.enterprise_id, t.enterprise_name, t.region_code, (SELECT name FROM"
        " regions WHERE code = t.region_code) AS region_name, t.project_name, t.industry_code,"
        " t.geometry AS geometry_json, t.investment, t.capacity, t.pollutants_json, t.park,"
        " t.preparer_agency_id, (SELECT name FROM agencies WHERE id = t.preparer_agency_id) AS"
        " preparer_name, t.consult_id, t.catalogue_id, (SELECT item_no || ' ' || project_type"
        " FROM eia_catalogue WHERE id = t.catalogue_id) AS catalogue_item, t.proposed_class,"
        " t.class, t.class_reason, t.sensitive, t.zoning_verdict, t.zoning_json, t.route,"
        " t.route_reasons_json, t.key_project, t.officer_user_id, (SELECT display_name FROM"
        " users WHERE id = t.officer_user_id) AS officer_name, t.checklist_json, t.missing_json,"
        " t.commitment_signed, t.assessments AS assessments_list, t.bundle_json, t.state,"
        " t.statutory_days, t.ratio, t.limit_days, t.rule_set_id,"
        " t.rule_version, t.case_id, t.verify_case_id, t.receipt_no, t.notice_text, t.notice_on,"
        " t.conditions, t.decision_reason, t.comment_until, t.filed_on, t.accepted_on,"
        " t.decided_on, (SELECT display_name FROM users WHERE id = t.decided_by) AS"
        " decided_by_name, c.state AS case_state, c.due_at, c.soon_at, c.escalated_at,"
        " c.pauses, c.paused_at, " CLOCK_EXPR(
            "?2") " AS clock, t.created_at, t.updated_at FROM"
                  " eia_applications t LEFT JOIN cases c ON c.id = t.case_id WHERE t.id = ?1",
        "it", id, now);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_row_json(st, out);
    }
    db_done(st);
    if (s != DB_ROW) {
        return s < 0 ? s : ERR_NOTFOUND;
    }
    out->len--; /* the obligations and documents go in */
    buf_puts(out, ",\"obligations\":");
    rc = store_eia_obligations_json(db, id, out);
    buf_puts(out, ",\"documents\":");
    rc = rc ? rc
            : db_queryf(db, &st,
                        "SELECT id, kind, number, title, attachment_id, issue_date FROM documents"
                        " WHERE subject_kind = 'eia_application' AND subject_id = ?1 ORDER BY id"
                        " LIMIT 20",
                        "i", id);
    if (!rc) {
        size_t n;
        rc = db_rows_json(st, 1, 20, out, &n);
        db_done(st);
    }
    buf_putc(out, '}');
    return rc;
}

#define LEDGER_FROM                                                                                \
    " FROM eia_applications t JOIN cases c ON c.id = t.case_id LEFT JOIN users u ON u.id ="        \
    " c.assignee_user_id LEFT JOIN org_units o ON o.id = c.org_unit_id WHERE 1=1"

int store_eia_ledger(struct db *db, const struct scope *sc, const struct eia_ledger_query *q,
                     struct buf *out)
{
    struct qb b;
    qb_init(&b);
    int now = qb_text(&b, q->now);
    char nowp[8], pat[256];
    snprintf(nowp, sizeof nowp, "?%d", now);
    buf_puts(&b.sql, LEDGER_FROM);
    if (q->route && *q->route) {
        buf_printf(&b.sql, " AND t.route = ?%d", qb_text(&b, q->route));
    }
    if (q->cls && *q->cls) {
        buf_printf(&b.sql, " AND t.class = ?%d", qb_text(&b, q->cls));
    }
    if (q->state && !strcmp(q->state, "open")) {
        buf_puts(&b.sql, " AND t.state = 'accepted'");
    } else if (q->state && *q->state) {
        buf_printf(&b.sql, " AND t.state = ?%d", qb_text(&b, q->state));
    }
    if (q->q && *q->q) {
        int k = qb_text(&b, like_pat(q->q, false, pat, sizeof pat));
        buf_printf(&b.sql,
                   " AND (t.project_name LIKE ?%d ESCAPE '\\' OR t.enterprise_name LIKE"
                   " ?%d ESCAPE '\\')",
                   k, k);
    }
    qb_scope(&b, sc, "t.enterprise_id", "t.region_code");
    char clock[600];
    snprintf(clock, sizeof clock,
             "(CASE WHEN c.is_open = 0 THEN 'stopped' WHEN c.paused_at > 0 THEN 'paused' WHEN"
             " c.due_at IS NULL THEN 'none' WHEN c.due_at < %s THEN 'overdue' WHEN c.soon_at <= %s"
             " THEN 'due_soon' ELSE 'on_track' END)",
             nowp, nowp);
    struct qb whole;
    qb_init(&whole);
    buf_puts(&whole.sql, b.sql.p);
    qb_copy(&whole, &b);
    if (q->clock && *q->clock) {
        buf_printf(&b.sql, " AND %s = ?%d", clock, qb_text(&b, q->clock));
    }
    char cols[1400];
    snprintf(cols, sizeof cols,
             "t.id, t.enterprise_id, t.enterprise_name, t.project_name, t.class, t.route,"
             " t.state, t.key_project, t.statutory_days, t.limit_days, t.accepted_on,"
             " t.decided_on, t.case_id, c.due_at, c.soon_at, c.pauses, c.paused_at,"
             " c.escalated_at, c.stopped_at, COALESCE(u.display_name, o.name, '') AS owner,"
             " t.missing_json, %s AS clock",
             clock);
    /* the summary by clock first: its counts give the total too (one scan fewer than a
       separate COUNT) */
    buf_printf(&whole.sql, " GROUP BY 1");
    struct qb g;
    qb_init(&g);
    buf_printf(&g.sql, "SELECT %s, COUNT(*) %s", clock, whole.sql.p);
    qb_copy(&g, &whole);
    struct db_stmt *st = NULL;
    int rc = qb_prepare(db, &g, &st);
    struct buf summary;
    buf_init(&summary, 1 << 10);
    int64_t total = 0;
    int k = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        const char *c = db_column_text(st, 0, NULL);
        int64_t n = db_column_int(st, 1);
        buf_printf(&summary, "%s\"%s\":%lld", k++ ? "," : "", c, (long long)n);
        total += !q->clock || !*q->clock || !strcmp(c, q->clock) ? n : 0;
        rc = 0;
    }
    if (rc >= 0 && st) {
        db_done(st);
    }
    rc = rc < 0 ? rc : 0;
    buf_release(&g.sql);
    struct qb p;
    qb_init(&p);
    buf_printf(&p.sql,
               "SELECT %s%s ORDER BY COALESCE(c.due_at, '9999'), t.id LIMIT %lld OFFSET %lld", cols,
               b.sql.p, (long long)q->limit, (long long)q->offset);
    qb_copy(&p, &b);
    buf_puts(out, "{\"items\":");
    size_t n = 0;
    rc = rc ? rc : qb_prepare(db, &p, &st);
    if (!rc) {
        rc = db_rows_json(st, 1, (size_t)q->limit, out, &n);
        db_done(st);
    }
    buf_printf(out, ",\"total\":%lld,\"summary\":{\"by_clock\":{%s}}}", (long long)total,
               summary.p ? summary.p : "");
    buf_release(&summary);
    buf_release(&p.sql);
    buf_release(&b.sql);
    buf_release(&whole.sql);
    return rc;
}

int store_eia_public(struct db *db, int64_t limit, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "SELECT id, enterprise_name, (SELECT name FROM regions WHERE code ="
        " eia_applications.region_code) AS region_name, project_name, class, route, state,"
        " accepted_on, decided_on, comment_until, conditions, key_project, CASE WHEN state IN"
        " ('approved',"
        " 'rejected') THEN 'decision' ELSE 'acceptance' END AS notice FROM eia_applications"
        " WHERE state IN ('accepted', 'approved', 'rejected') OR (key_project = 1 AND state ="
        " 'filed') ORDER BY COALESCE(decided_on,"
        " accepted_on) DESC, id DESC LIMIT ?1",
        "i", limit);
    if (rc) {
        return rc;
    }
    size_t n;
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, (size_t)limit, out, &n);
    db_done(st);
    buf_putc(out, '}');
    return rc;
}

int store_eia_obligation_add(struct db *db, int64_t application_id, int64_t enterprise_id,
                             const char *kind, const char *title, const char *due_on,
                             const char *now)
{
    return db_runf(db,
                   "INSERT INTO eia_obligations (application_id, enterprise_id, kind, title,"
                   " due_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                   "iitttt", application_id, enterprise_id, kind, title, due_on, now);
}

int store_eia_obligations_json(struct db *db, int64_t application_id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, kind, title, due_on, done_on FROM eia_obligations WHERE"
                       " application_id = ?1 ORDER BY due_on, id LIMIT 50",
                       "i", application_id);
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 50, out, &n);
    db_done(st);
    return rc;
}

int store_eia_obligation_done(struct db *db, int64_t id, int64_t enterprise_id, const char *on,
                              int64_t *application_id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "UPDATE eia_obligations SET done_on = ?3 WHERE id = ?1 AND enterprise_id ="
                       " ?2 AND done_on IS NULL RETURNING application_id",
                       "iit", id, enterprise_id, on);
    *application_id = 0;
    rc = rc ? rc : db_step_id(st, application_id);
    if (rc || *application_id) {
        return rc;
    }
    int64_t n = 0;
    rc = db_queryf(db, &st,
                   "SELECT COUNT(*) FROM eia_obligations WHERE id = ?1 AND"
                   " enterprise_id = ?2",
                   "ii", id, enterprise_id);
    rc = rc ? rc : db_step_id(st, &n);
    return rc ? rc : n ? ERR_CONFLICT : ERR_NOTFOUND;
}

int store_eia_todo(struct db *db, int64_t enterprise_id, const char *today, const char *soon,
                   size_t limit, struct buf *out, size_t *n, int64_t *total, int64_t *overdue)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_queryf(db, &st,
                       "SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_on < ?2 THEN 1 ELSE 0 END),"
                       " 0) FROM eia_obligations WHERE enterprise_id = ?1 AND done_on IS NULL",
                       "it", enterprise_id, today);
    if (rc) {
        return rc;
    }
    if (db_step(st) == DB_ROW) {
        *total = db_column_int(st, 0);
        *overdue = db_column_int(st, 1);
    }
    db_done(st);
    if (!out) {
        return 0;
    }
    rc = db_queryf(db, &st,
                   "SELECT 'eia_obligation' AS source, o.id, o.title || '（' || a.project_name ||"
                   " '）' AS title, o.kind, o.application_id, o.due_on, o.due_on || 'T16:00:00Z'"
                   " AS due_at, CASE WHEN o.due_on < ?2 THEN 'overdue' WHEN o.due_on <= ?3 THEN"
                   " 'due_soon' ELSE 'on_track' END AS clock, '#/approval/applications/' ||"
                   " o.application_id AS href FROM eia_obligations o JOIN eia_applications a ON"
                   " a.id = o.application_id WHERE o.enterprise_id = ?1 AND o.done_on IS NULL"
                   " ORDER BY o.due_on, o.id LIMIT ?4",
                   "itti", enterprise_id, today, soon, (int64_t)limit);
    if (rc) {
        return rc;
    }
    rc = db_rows_json(st, 1, limit, out, n);
    db_done(st);
    return rc;
}

int store_eia_intake_todo(struct db *db, const struct scope *sc, size_t limit, struct buf *out,
                          size_t *n, int64_t *total)
{
    struct qb b;
    qb_init(&b);
    buf_puts(&b.sql, " FROM eia_applications t WHERE t.state = 'filed'");
    qb_scope(&b, sc, "t.enterprise_id", "t.region_code");
    struct qb c;
    qb_init(&c);
    buf_printf(&c.sql, "SELECT COUNT(*)%s", b.sql.p);
    qb_copy(&c, &b);
    struct db_stmt *st = NULL;
    *n = 0;
    *total = 0;
    int rc = qb_prepare(db, &c, &st);
    if (!rc && db_step(st) == DB_ROW) {
        *total = db_column_int(st, 0);
    }
    if (st) {
        db_done(st);
    }
    buf_release(&c.sql);
    if (!rc && out) {
        struct qb d;
        qb_init(&d);
        buf_printf(&d.sql,
                   "SELECT 'eia_intake' AS source, t.id, '环评申请待受理：' || t.project_name AS"
                   " title, t.filed_on, t.region_code, '#/approval/applications/' || t.id AS href,"
                   " 'none' AS clock%s ORDER BY t.filed_on, t.id LIMIT %zu",
                   b.sql.p, limit);
        qb_copy(&d, &b);
        rc = qb_prepare(db, &d, &st);
        if (!rc) {
            rc = db_rows_json(st, 1, limit, out, n);
            db_done(st);
        }
        buf_release(&d.sql);
    }
    buf_release(&b.sql);
    return rc;
}

int store_eia_stats(struct db *db, const struct scope *sc, const char *now, struct buf *out)
{
    buf_puts(out, "{\"by_route_class\":");
    int rc = store_scoped_json(db, sc,
                               "SELECT t.route, t.class, COUNT(*) AS n FROM eia_applications t JOIN"
                               " enterprises e ON e.id = t.enterprise_id WHERE %s GROUP BY"
                               " t.route, t.class ORDER BY 1, 2",
                               NULL, NULL, false, out);
    buf_puts(out, ",\"by_month\":");
    rc = rc ? rc
            : store_scoped_json(
                  db, sc,
                  "SELECT substr(t.filed_on, 1, 7) AS month, COUNT(*) AS filed, SUM(CASE WHEN"
                  " t.state IN ('approved', 'rejected') THEN 1 ELSE 0 END) AS decided, SUM(CASE"
                  " WHEN t.state IN ('approved', 'rejected') AND c.stopped_due_at IS NOT NULL AND"
                  " c.closed_at <= c.stopped_due_at THEN 1 WHEN t.state IN ('approved',"
                  " 'rejected') AND c.due_at IS NOT NULL AND c.closed_at <= c.due_at THEN 1 ELSE"
                  " 0 END) AS on_time, AVG(CASE WHEN t.statutory_days > 0 THEN t.statutory_days"
                  " END) AS statutory_avg, AVG(CASE WHEN t.limit_days > 0 THEN t.limit_days END)"
                  " AS promised_avg FROM eia_applications t JOIN enterprises e ON e.id ="
                  " t.enterprise_id LEFT JOIN cases c ON c.id = t.case_id WHERE %s GROUP BY 1"
                  " ORDER BY 1 DESC LIMIT 24",
                  NULL, NULL, false, out);
    buf_puts(out, ",\"decided\":");
    rc = rc ? rc
            : store_scoped_json(
                  db, sc,
                  "SELECT t.id, t.project_name, t.class, t.route, t.statutory_days,"
                  " t.limit_days, t.accepted_on, t.decided_on, c.pauses FROM eia_applications t"
                  " JOIN enterprises e ON e.id = t.enterprise_id JOIN cases c ON c.id ="
                  " t.case_id WHERE %s AND t.state IN ('approved', 'rejected') ORDER BY"
                  " t.decided_on DESC LIMIT 500",
                  NULL, NULL, false, out);
    buf_putc(out, '}');
    (void)now;
    return rc;
}

int store_eia_dashboard(struct db *db, const struct scope *sc, const char *now, struct buf *out)
{
    const char *texts[] = {now};
    struct store_scoped q;
    int rc = store_scoped_open(
        db, sc,
        "SELECT COALESCE(SUM(CASE WHEN t.state = 'filed' THEN 1 ELSE 0 END), 0),"
        " COALESCE(SUM(CASE WHEN t.state = 'accepted' THEN 1 ELSE 0 END), 0),"
        " COALESCE(SUM(CASE WHEN t.state = 'accepted' AND c.paused_at = 0 AND c.due_at < ?1"
        " THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN t.state = 'approved' THEN 1 ELSE 0"
        " END), 0) FROM eia_applications t JOIN enterprises e ON e.id = t.enterprise_id LEFT"
        " JOIN cases c ON c.id = t.case_id WHERE %s",
        texts, 1, &q);
    int64_t v[4] = {0};
    int s = DB_DONE;
    if (!rc && (s = db_step(q.st)) == DB_ROW) {
        for (int i = 0; i < 4; i++) {
            v[i] = db_column_int(q.st, i);
        }
    }
    store_scoped_done(&q);
    buf_printf(out,
               ",\"approval\":{\"filed\":%lld,\"in_review\":%lld,\"overdue\":%lld,"
               "\"approved\":%lld}",
               (long long)v[0], (long long)v[1], (long long)v[2], (long long)v[3]);
    return rc ? rc : s < 0 ? s : 0;
}

int store_eia_session_insert(struct db *db, const char *region_code, const char *title,
                             const char *kind, const char *held_on, const char *experts_json,
                             int64_t by, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO eia_sessions (region_code, title, kind, held_on, experts_json,"
                       " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                       "tttttit", region_code, title, kind, held_on, experts_json, by, now);
    *id = 0;
    return rc ? rc : db_step_id(st, id);
}

int store_eia_session_item_add(struct db *db, int64_t session_id, int64_t application_id)
{
    return db_runf(db, "INSERT INTO eia_session_items (session_id, application_id) VALUES (?1, ?2)",
                   "ii", session_id, application_id);
}

int store_eia_session_state(struct db *db, int64_t id, char state[16])
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT state FROM eia_sessions WHERE id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_column_copy(st, 0, state, 16);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

struct session_ctx {
    eia_session_item_fn fn;
    void *ctx;
};

static void session_item_row(struct db_stmt *st, void *ctx)
{
    struct session_ctx *c = ctx;
    c->fn(db_column_int(st, 0), db_column_int(st, 1), c->ctx);
}

int store_eia_session_items_each(struct db *db, int64_t id, eia_session_item_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT a.id, COALESCE(a.case_id, 0) FROM eia_session_items i JOIN"
                       " eia_applications a ON a.id = i.application_id WHERE i.session_id = ?1"
                       " ORDER BY a.id LIMIT 200",
                       "i", id);
    struct session_ctx c = {fn, ctx};
    return rc ? rc : db_each(st, session_item_row, &c);
}

int store_eia_session_close(struct db *db, int64_t id, const char *opinion, const char *now)
{
    int rc = db_runf(db,
                     "UPDATE eia_sessions SET state = 'closed', opinion = ?2, closed_at = ?3 WHERE"
                     " id = ?1 AND state = 'open'",
                     "itt", id, opinion, now);
    return rc ? rc : db_changes(db) ? 0 : ERR_CONFLICT;
}

int store_eia_session_region(struct db *db, int64_t id, const char *region_code)
{
    return db_runf(db, "UPDATE eia_sessions SET region_code = ?2 WHERE id = ?1", "it", id,
                   region_code);
}

/* A statement of sql with ?1 = id and the scope's condition (cond) bound from ?2. */
static int scoped_session_query(struct db *db, const struct scope *sc, const char *fmt, int64_t id,
                                struct db_stmt **st)
{
    struct buf cond, sql;
    buf_init(&cond, 4096);
    buf_init(&sql, 8192);
    store_scope_sql(&cond, sc, "a.enterprise_id", "a.region_code", 2);
    buf_printf(&sql, fmt, cond.p);
    int rc = db_prepare(db, sql.p, st);
    rc = rc ? rc : db_bind_int(*st, 1, id);
    rc = rc ? rc : store_scope_bind(*st, sc, 2);
    if (rc && *st) {
        db_done(*st);
        *st = NULL;
    }
    buf_release(&cond);
    buf_release(&sql);
    return rc;
}

int store_eia_sessions_json(struct db *db, const struct scope *sc, int64_t id, struct buf *out)
{
    struct db_stmt *st = NULL;
    int rc = scoped_session_query(
        db, sc,
        "SELECT s.id, s.region_code, s.title, s.kind, s.held_on, s.experts_json,"
        " s.opinion, s.state, (SELECT display_name FROM users WHERE id ="
        " s.created_by) AS created_by_name, s.created_at, s.closed_at FROM"
        " eia_sessions s WHERE (?1 = 0 OR s.id = ?1) AND EXISTS (SELECT 1 FROM eia_session_items"
        " i JOIN eia_applications a ON a.id = i.application_id WHERE i.session_id = s.id AND"
        " %s) ORDER BY s.held_on DESC, s.id DESC LIMIT 100",
        id, &st);
    if (rc) {
        return rc;
    }
    size_t n;
    struct buf rows;
    buf_init(&rows, 1 << 20);
    rc = db_rows_json(st, 1, 100, &rows, &n);
    db_done(st);
    if (rc) {
        buf_release(&rows);
        return rc;
    }
    /* each session's applications */
    json_t *arr = json_loads(rows.p, 0, NULL);
    buf_release(&rows);
    size_t i;
    json_t *v;
    json_array_foreach (arr, i, v) {
        int64_t sid = json_integer_value(json_object_get(v, "id"));
        struct buf b;
        buf_init(&b, 1 << 16);
        rc = rc ? rc
                : scoped_session_query(db, sc,
                                       "SELECT a.id, a.project_name, a.enterprise_name, a.class,"
                                       " a.state FROM eia_session_items i JOIN eia_applications a"
                                       " ON a.id = i.application_id WHERE i.session_id = ?1 AND"
                                       " %s ORDER BY a.id LIMIT 200",
                                       sid, &st);
        if (!rc) {
            size_t k;
            rc = db_rows_json(st, 1, 200, &b, &k);
            db_done(st);
        }
        json_object_set_new(v, "applications", b.p ? json_loads(b.p, 0, NULL) : json_array());
        buf_release(&b);
    }
    char *txt = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
    json_decref(arr);
    buf_puts(out, "{\"items\":");
    buf_puts(out, txt ? txt : "[]");
    buf_putc(out, '}');
    free(txt);
    return rc;
}

int store_eia_case_state(struct db *db, int64_t case_id, char state[32])
{
    struct db_stmt *st;
    state[0] = 0;
    int rc = db_queryf(db, &st, "SELECT state FROM cases WHERE id = ?1", "i", case_id);
    if (rc) {
        return rc;
    }
    if (db_step(st) == DB_ROW) {
        db_column_copy(st, 0, state, 32);
    }
    db_done(st);
    return 0;
}

int store_eia_demo_user(struct db *db, const char *username, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT id FROM users WHERE username = ?1", "t", username);
    *id = 0;
    return rc ? rc : db_step_id(st, id);
}

int store_eia_demo_enterprise(struct db *db, const char *prefix, size_t k, int64_t *id,
                              char region[16], char industry[16])
{
    char pat[16];
    snprintf(pat, sizeof pat, "%s%%", prefix);
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, region_code, industry_code FROM enterprises WHERE"
                       " industry_code LIKE ?1 AND status = 'active' ORDER BY id LIMIT 1 OFFSET"
                       " ?2",
                       "ti", pat, (int64_t)k);
    *id = 0;
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        *id = db_column_int(st, 0);
        db_column_copy(st, 1, region, 16);
        db_column_copy(st, 2, industry, 16);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

const struct audit_kind approval_audit_kinds[] = {
    {"eia_application",
     "(SELECT enterprise_name || ' · ' || project_name FROM eia_applications WHERE id = ?5)",
     "SELECT id FROM eia_applications WHERE enterprise_id = ?1"},
    {"eia_session", "(SELECT title || ' ' || held_on FROM eia_sessions WHERE id = ?5)", NULL},
    {"eia_catalogue", "(SELECT item_no || ' ' || project_type FROM eia_catalogue WHERE id = ?5)",
     NULL},
    {0},
};
