/*
** Queries of requests and complaints (see q_request.h): requests, open311_keys and
** request_secret (migration 024), and the reads of cases and case_events the pages need.
*/
#include "store/q_request.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "store/backend.h"
#include "store/qb.h"
#include "store/scope.h"

/* The clock of the request's current case, as the to-do list computes it (?N = now). */
#define CLOCK_SQL(now)                                                                             \
    "CASE WHEN c.id IS NULL THEN 'none' WHEN c.paused_at <> 0 THEN 'paused' WHEN c.stopped_at"     \
    " <> 0 THEN 'stopped' WHEN c.due_at IS NULL THEN 'none' WHEN c.due_at <= " now " THEN"         \
    " 'overdue' WHEN c.soon_at <= " now " THEN 'due_soon' ELSE 'on_track' END"

int store_request_insert(struct db *db, const struct request_new *n, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "INSERT INTO requests (tracking_code, kind, category, channel, title, description,"
        " address, lat, lng, region_code, enterprise_id, anonymous, contact_name, contact_phone,"
        " contact_email, repeat_of, open311_key_id, form_nonce, rule_set_id, rule_version,"
        " accept_due_at, received_at, created_by, created_at, updated_at) VALUES (?1, ?2, ?3,"
        " ?4, ?5, ?6, ?7, CASE WHEN ?8 = 1 THEN ?9 ELSE NULL END, CASE WHEN ?8 = 1 THEN ?10"
        " ELSE NULL END, ?11, NULLIF(?12, 0), ?13, ?14, ?15, ?16, NULLIF(?17, 0), NULLIF(?18, 0),"
        " ?19, NULLIF(?20, 0), ?21, ?22, ?23, NULLIF(?24, 0), ?25, ?25) RETURNING id",
        "tttttttirrtiitttiitiittit", n->tracking_code, n->kind, n->category, n->channel, n->title,
        n->description, n->address ? n->address : "", (int64_t)n->has_point, n->lat, n->lng,
        n->region_code ? n->region_code : "", n->enterprise_id ? n->enterprise_id : (int64_t)0,
        (int64_t)n->anonymous, n->contact_name ? n->contact_name : "",
        n->contact_phone ? n->contact_phone : "", n->contact_email ? n->contact_email : "",
        n->repeat_of ? n->repeat_of : (int64_t)0, n->open311_key_id, n->form_nonce,
        n->rule_set_id ? n->rule_set_id : (int64_t)0, (int64_t)n->rule_version, n->accept_due_at,
        n->received_at, n->created_by ? n->created_by : (int64_t)0, now);
    *id = 0;
    rc = rc ? rc : db_step_id(st, id);
    return rc;
}

int store_request_get(struct db *db, int64_t id, struct request_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, COALESCE(enterprise_id, 0), COALESCE(case_id, 0),"
                       " COALESCE(org_unit_id, 0), COALESCE(assignee_user_id, 0),"
                       " COALESCE(repeat_of, 0), tracking_code, kind, category, channel, state,"
                       " region_code, received_at, anonymous, CASE WHEN lat IS NULL THEN 0 ELSE"
                       " 1 END, COALESCE(lat, 0), COALESCE(lng, 0) FROM requests WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_column_int(st, 0);
        out->enterprise_id = db_column_int(st, 1);
        out->case_id = db_column_int(st, 2);
        out->org_unit_id = db_column_int(st, 3);
        out->assignee_user_id = db_column_int(st, 4);
        out->repeat_of = db_column_int(st, 5);
        db_column_copy(st, 6, out->tracking_code, sizeof out->tracking_code);
        db_column_copy(st, 7, out->kind, sizeof out->kind);
        db_column_copy(st, 8, out->category, sizeof out->category);
        db_column_copy(st, 9, out->channel, sizeof out->channel);
        db_column_copy(st, 10, out->state, sizeof out->state);
        db_column_copy(st, 11, out->region_code, sizeof out->region_code);
        db_column_copy(st, 12, out->received_at, sizeof out->received_at);
        out->anonymous = db_column_int(st, 13) != 0;
        out->has_point = db_column_int(st, 14) != 0;
        out->lat = db_column_real(st, 15);
        out->lng = db_column_real(st, 16);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_request_by_code(struct db *db, const char *code, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT id FROM requests WHERE tracking_code = ?1", "t", code);
    *id = 0;
    rc = rc ? rc : db_step_id(st, id);
    return rc ? rc : *id ? 0 : ERR_NOTFOUND;
}

int store_request_update(struct db *db, int64_t id, const struct request_move *m, const char *now)
{
    return db_runf(
        db,
        "UPDATE requests SET state = COALESCE(CAST(?2 AS TEXT), state), answer = COALESCE(CAST(?3 "
        "AS TEXT), answer),"
        " reject_reason = COALESCE(CAST(?4 AS TEXT), reject_reason), referred_to = "
        "COALESCE(CAST(?5 AS TEXT), referred_to),"
        " public_notes = CASE WHEN CAST(?6 AS TEXT) IS NULL THEN public_notes WHEN public_notes = "
        "'' THEN CAST(?6 AS TEXT)"
        " ELSE public_notes || CAST(?14 AS TEXT) || CAST(?6 AS TEXT) END, closed_at = CASE WHEN "
        "CAST(?7 AS TEXT) = '-' THEN NULL ELSE"
        " COALESCE(CAST(?7 AS TEXT), closed_at) END, org_unit_id = CASE WHEN ?8 > 0 THEN ?8 ELSE "
        "org_unit_id"
        " END, assignee_user_id = CASE WHEN ?9 > 0 THEN ?9 WHEN ?9 = -2 THEN NULL ELSE"
        " assignee_user_id END, case_id = CASE WHEN ?10 > 0 THEN ?10 ELSE case_id END,"
        " inspect_task_id = CASE WHEN ?11 > 0 THEN ?11 ELSE inspect_task_id END, satisfaction ="
        " CASE WHEN ?12 > 0 THEN ?12 ELSE satisfaction END, updated_at = ?13 WHERE id = ?1",
        "ittttttiiiiitt", id, m->state, m->answer, m->reject_reason, m->referred_to, m->public_note,
        m->closed_at, m->org_unit_id, m->assignee_user_id, m->case_id, m->inspect_task_id,
        (int64_t)m->satisfaction, now, "\n");
}

struct point_ctx {
    request_point_fn fn;
    void *ctx;
};

static void point_row(struct db_stmt *st, void *ctx)
{
    struct point_ctx *c = ctx;
    char code[24], cat[48], state[12], at[32];
    db_column_copy(st, 1, code, sizeof code);
    db_column_copy(st, 2, cat, sizeof cat);
    db_column_copy(st, 3, state, sizeof state);
    db_column_copy(st, 4, at, sizeof at);
    c->fn(db_column_int(st, 0), code, cat, state, at, db_column_real(st, 5), db_column_real(st, 6),
          c->ctx);
}

int store_request_points_each(struct db *db, const char *category, double lat, double lng,
                              double dlat, double dlng, const char *since, int64_t except,
                              request_point_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st,
                  "SELECT id, tracking_code, category, state, received_at, lat, lng FROM"
                  " requests WHERE kind = 'complaint' AND (CAST(?1 AS TEXT) IS NULL OR category ="
                  " CAST(?1 AS TEXT)) AND"
                  " lat IS NOT NULL AND lat BETWEEN ?2 AND ?3 AND lng BETWEEN ?4 AND ?5 AND"
                  " received_at >= ?6 AND id <> ?7 ORDER BY received_at DESC, id DESC LIMIT"
                  " 200",
                  "trrrrti", category, lat - dlat, lat + dlat, lng - dlng, lng + dlng,
                  since ? since : "", except);
    struct point_ctx c = {fn, ctx};
    return rc ? rc : db_each(st, point_row, &c);
}

int store_request_open_for_enterprise(struct db *db, int64_t enterprise_id, int max,
                                      const char *now, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "SELECT r.id, r.tracking_code, r.kind, r.category, r.title, r.state,"
        " r.channel, r.received_at, c.due_at, " CLOCK_SQL(
            "?3") " AS clock FROM"
                  " requests r LEFT JOIN cases c ON c.id = r.case_id WHERE r.enterprise_id ="
                  " ?1 AND r.state NOT IN ('closed', 'rated', 'rejected', 'referred') ORDER"
                  " BY r.received_at DESC, r.id DESC LIMIT ?2",
        "iit", enterprise_id, (int64_t)max, now);
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, (size_t)max, out, &n);
    db_done(st);
    return rc;
}

int store_request_open_count(struct db *db, int64_t enterprise_id, int64_t *count)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT COUNT(*) FROM requests WHERE enterprise_id = ?1 AND state NOT IN"
                       " ('closed', 'rated', 'rejected', 'referred')",
                       "i", enterprise_id);
    *count = 0;
    return rc ? rc : db_step_id(st, count);
}

#define LIST_COLS                                                                                  \
    "t.id, t.tracking_code, t.kind, t.category, t.channel, t.title, t.state, t.region_code,"       \
    " (SELECT name FROM regions WHERE code = t.region_code) AS region_name, t.enterprise_id,"      \
    " (SELECT name FROM enterprises WHERE id = t.enterprise_id) AS enterprise_name, t.address,"    \
    " t.lat, t.lng, t.repeat_of, t.received_at, t.accept_due_at, t.closed_at, t.satisfaction,"     \
    " t.case_id, c.due_at, (SELECT name FROM org_units WHERE id = t.org_unit_id) AS"               \
    " org_unit_name, "

int store_request_list(struct db *db, const struct scope *sc, const struct request_query *q,
                       struct buf *out)
{
    static const struct {
        const char *key, *asc, *desc;
    } SORTS[] = {
        {"received_at", "t.received_at, t.id", "t.received_at DESC, t.id DESC"},
        {"due_at", "COALESCE(c.due_at, '9999'), t.id",
         "COALESCE(c.due_at, '0000') DESC, t.id DESC"},
        {"state", "t.state, t.received_at DESC, t.id DESC",
         "t.state DESC, t.received_at DESC, t.id DESC"},
        {"category", "t.category, t.received_at DESC, t.id DESC",
         "t.category DESC, t.received_at DESC, t.id DESC"},
        {"tracking_code", "t.tracking_code", "t.tracking_code DESC"},
    };
    const char *order = SORTS[0].desc;
    if (q->sort && *q->sort) {
        bool desc = q->sort[0] == '-';
        const char *k = q->sort + desc;
        order = NULL;
        for (size_t i = 0; i < sizeof SORTS / sizeof SORTS[0]; i++) {
            if (!strcmp(SORTS[i].key, k)) {
                order = desc ? SORTS[i].desc : SORTS[i].asc;
            }
        }
        if (!order) {
            return ERR_INPUT;
        }
    }
    struct qb b;
    qb_init(&b);
    int now = qb_text(&b, q->now);
    buf_printf(&b.sql, "FROM requests t LEFT JOIN cases c ON c.id = t.case_id WHERE ?%d = ?%d", now,
               now);
    const struct {
        const char *col, *v;
    } eq[] = {{"t.state", q->state},
              {"t.kind", q->kind},
              {"t.category", q->category},
              {"t.channel", q->channel}};
    for (size_t i = 0; i < sizeof eq / sizeof eq[0]; i++) {
        if (eq[i].v && *eq[i].v) {
            buf_printf(&b.sql, " AND %s = ?%d", eq[i].col, qb_text(&b, eq[i].v));
        }
    }
    if (q->open_only) {
        buf_puts(&b.sql, " AND t.state NOT IN ('closed', 'rated', 'rejected', 'referred')");
    }
    if (q->enterprise_id) {
        buf_printf(&b.sql, " AND t.enterprise_id = ?%d", qb_int(&b, q->enterprise_id));
    }
    char rp[40], pat[440];
    if (q->region && *q->region) {
        buf_printf(&b.sql, " AND t.region_code LIKE ?%d ESCAPE '\\'",
                   qb_text(&b, like_pat(q->region, true, rp, sizeof rp)));
    }
    if (q->q && *q->q) {
        int k = qb_text(&b, like_pat(q->q, false, pat, sizeof pat));
        buf_printf(&b.sql,
                   " AND (t.title LIKE ?%d ESCAPE '\\' OR t.description LIKE ?%d ESCAPE '\\' OR"
                   " t.tracking_code LIKE ?%d ESCAPE '\\' OR t.address LIKE ?%d ESCAPE '\\')",
                   k, k, k, k);
    }
    if (q->from && *q->from) {
        buf_printf(&b.sql, " AND t.received_at >= ?%d", qb_text(&b, q->from));
    }
    if (q->to && *q->to) {
        buf_printf(&b.sql, " AND t.received_at < ?%d", qb_text(&b, q->to));
    }
    if (q->clock && *q->clock) {
        buf_printf(&b.sql, " AND (%s) = ?%d", CLOCK_SQL("?1"), qb_text(&b, q->clock));
    }
    qb_scope(&b, sc, "t.enterprise_id", "t.region_code");
    struct buf cols;
    buf_init(&cols, 4096);
    buf_puts(&cols, LIST_COLS CLOCK_SQL("?1") " AS clock");
    int rc = qb_page(db, &b, cols.p, order, q->limit, q->offset, out);
    buf_release(&cols);
    buf_release(&b.sql);
    return rc;
}

int store_request_json(struct db *db, int64_t id, const char *now, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "SELECT " LIST_COLS CLOCK_SQL(
            "?2") " AS clock, t.description, CASE WHEN t.anonymous = 1"
                  " THEN '' ELSE t.contact_name END AS contact_name, CASE WHEN t.anonymous = 1 "
                  "THEN '' ELSE"
                  " t.contact_phone END AS contact_phone, CASE WHEN t.anonymous = 1 THEN '' ELSE"
                  " t.contact_email END AS contact_email, t.anonymous, t.public_notes, t.answer,"
                  " t.reject_reason, t.referred_to, t.org_unit_id, t.assignee_user_id, (SELECT"
                  " display_name FROM users WHERE id = t.assignee_user_id) AS assignee_name,"
                  " t.inspect_task_id, t.rule_set_id, t.rule_version, (SELECT tracking_code FROM "
                  "requests"
                  " WHERE id = t.repeat_of) AS repeat_of_code, c.state AS case_state, "
                  "c.escalated_at,"
                  " c.extended_n, t.updated_at FROM requests t LEFT JOIN cases c ON c.id = "
                  "t.case_id WHERE"
                  " t.id = ?1",
        "it", id, now);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_row_json(st, out);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_request_public_json(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT tracking_code, kind, category, state, received_at, updated_at,"
                       " closed_at, public_notes, answer, referred_to, reject_reason, address,"
                       " satisfaction FROM requests WHERE id = ?1",
                       "i", id);
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
    out->len--; /* reopen the object for the timeline */
    buf_puts(out, ",\"timeline\":");
    rc = db_queryf(db, &st,
                   "SELECT e.at, e.action, e.to_state AS state FROM case_events e JOIN cases c ON"
                   " c.id = e.case_id WHERE c.subject_kind = 'request' AND c.subject_id = ?1"
                   " ORDER BY e.id LIMIT 200",
                   "i", id);
    size_t n;
    rc = rc ? rc : db_rows_json(st, 1, 200, out, &n);
    if (!rc) {
        db_done(st);
    }
    buf_putc(out, '}');
    return rc;
}

int store_request_timeline_json(struct db *db, int64_t case_id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT e.id, e.case_id, e.at, e.actor, e.action, e.from_state,"
                       " e.to_state, e.note FROM case_events e JOIN cases c ON c.id = e.case_id"
                       " WHERE c.subject_kind = 'request' AND c.subject_id = (SELECT subject_id"
                       " FROM cases WHERE id = ?1) ORDER BY e.id LIMIT 500",
                       "i", case_id);
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 500, out, &n);
    db_done(st);
    return rc;
}

static int stats_part(struct db *db, const struct scope *sc, const char *from, const char *cols,
                      const char *group, struct buf *out)
{
    struct qb b;
    qb_init(&b);
    buf_printf(&b.sql, "SELECT %s FROM requests t WHERE t.received_at >= ?%d", cols,
               qb_text(&b, from));
    qb_scope(&b, sc, "t.enterprise_id", "t.region_code");
    buf_printf(&b.sql, " GROUP BY %s ORDER BY 2 DESC LIMIT 100", group);
    struct db_stmt *st;
    int rc = qb_prepare(db, &b, &st);
    size_t n;
    if (!rc) {
        rc = db_rows_json(st, 1, 100, out, &n);
        db_done(st);
    }
    buf_release(&b.sql);
    return rc;
}

int store_request_stats_json(struct db *db, const struct scope *sc, const char *from,
                             struct buf *out)
{
    buf_puts(out, "{\"by_category\":");
    int rc = stats_part(db, sc, from,
                        "t.category, COUNT(*) AS n, COALESCE(AVG(CASE WHEN t.closed_at IS NOT"
                        " NULL THEN (epoch_s(t.closed_at) - epoch_s(t.received_at)) / 86400.0"
                        " END), 0) AS days_to_close",
                        "t.category", out);
    buf_puts(out, ",\"by_region\":");
    rc = rc ? rc
            : stats_part(db, sc, from,
                         "t.region_code, COUNT(*) AS n, (SELECT name FROM regions WHERE code ="
                         " t.region_code) AS region_name",
                         "t.region_code", out);
    buf_puts(out, ",\"by_state\":");
    rc = rc ? rc : stats_part(db, sc, from, "t.state, COUNT(*) AS n", "t.state", out);
    buf_putc(out, '}');
    return rc;
}

int store_request_secret(struct db *db, const char *candidate, char *out, size_t cap,
                         const char *now)
{
    int rc = db_runf(db,
                     "INSERT INTO request_secret (id, secret, created_at) SELECT 1, ?1, ?2 WHERE"
                     " NOT EXISTS (SELECT 1 FROM request_secret WHERE id = 1)",
                     "tt", candidate, now);
    struct db_stmt *st;
    rc = rc ? rc : db_queryf(db, &st, "SELECT secret FROM request_secret WHERE id = 1", "");
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_column_copy(st, 0, out, cap);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

/* ---------------- Open311 ---------------- */

int store_open311_key_by_hash(struct db *db, const char *hash, struct open311_key_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, per_minute, name, status FROM open311_keys WHERE key_hash = ?1",
                       "t", hash);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        out->id = db_column_int(st, 0);
        out->per_minute = db_column_int(st, 1);
        db_column_copy(st, 2, out->name, sizeof out->name);
        db_column_copy(st, 3, out->status, sizeof out->status);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_open311_key_insert(struct db *db, const char *name, const char *hash, const char *prefix,
                             int64_t per_minute, int64_t by, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO open311_keys (name, key_hash, key_prefix, per_minute,"
                       " created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
                       " RETURNING id",
                       "tttiit", name, hash, prefix, per_minute, by, now);
    *id = 0;
    return rc ? rc : db_step_id(st, id);
}

int store_open311_key_set_status(struct db *db, int64_t id, const char *status, const char *now)
{
    int rc = db_runf(db, "UPDATE open311_keys SET status = ?2, updated_at = ?3 WHERE id = ?1",
                     "itt", id, status, now);
    return rc ? rc : db_changes(db) ? 0 : ERR_NOTFOUND;
}

int store_open311_keys_json(struct db *db, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, name, key_prefix, per_minute, status, last_used_at, created_at"
                       " FROM open311_keys ORDER BY id LIMIT 500",
                       "");
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 500, out, &n);
    db_done(st);
    return rc;
}

static void o311_row(struct db_stmt *st, void *ctx)
{
    void **c = ctx;
    struct open311_row r = {0};
    r.id = db_column_int(st, 0);
    size_t n;
    const char **f[] = {&r.tracking_code, &r.category,    &r.state,       &r.description,
                        &r.address,       &r.received_at, &r.updated_at,  &r.public_notes,
                        &r.answer,        &r.closed_at,   &r.referred_to, &r.reject_reason};
    for (int i = 0; i < 12; i++) {
        const char *v = db_column_text(st, 1 + i, &n);
        *f[i] = v ? v : "";
    }
    r.has_point = db_column_int(st, 13) != 0;
    r.lat = db_column_real(st, 14);
    r.lng = db_column_real(st, 15);
    r.about_enterprise = db_column_int(st, 16) != 0;
    ((open311_fn)c[0])(&r, c[1]);
}

int store_open311_each(struct db *db, const struct open311_query *q, open311_fn fn, void *ctx)
{
    struct qb b;
    qb_init(&b);
    buf_puts(&b.sql, "SELECT id, tracking_code, category, state, description, address, received_at,"
                     " updated_at, public_notes, answer, COALESCE(closed_at, ''), referred_to,"
                     " reject_reason, CASE WHEN lat IS NULL THEN 0 ELSE 1 END, COALESCE(lat, 0),"
                     " COALESCE(lng, 0), CASE WHEN enterprise_id IS NULL THEN 0 ELSE 1 END FROM"
                     " requests WHERE kind = 'complaint'");
    if (q->n_ids) {
        buf_puts(&b.sql, " AND id IN (");
        for (int i = 0; i < q->n_ids; i++) {
            buf_printf(&b.sql, "%s?%d", i ? ", " : "", qb_int(&b, q->ids[i]));
        }
        buf_putc(&b.sql, ')');
    } else {
        buf_printf(&b.sql, " AND received_at >= ?%d AND received_at < ?%d", qb_text(&b, q->start),
                   qb_text(&b, q->end));
    }
    if (q->service_code) {
        buf_printf(&b.sql, " AND category = ?%d", qb_text(&b, q->service_code));
    }
    for (int i = 0; q->hidden && q->hidden[i]; i++) {
        buf_printf(&b.sql, " AND category <> ?%d", qb_text(&b, q->hidden[i]));
    }
    if (q->status && !strcmp(q->status, "open")) {
        buf_puts(&b.sql, " AND state IN ('received', 'accepted', 'handling')");
    } else if (q->status) {
        buf_puts(&b.sql, " AND state NOT IN ('received', 'accepted', 'handling')");
    }
    buf_printf(&b.sql, " ORDER BY received_at DESC, id DESC LIMIT ?%d", qb_int(&b, q->limit));
    struct db_stmt *st;
    int rc = qb_prepare(db, &b, &st);
    void *c[2] = {(void *)fn, ctx};
    rc = rc ? rc : db_each(st, o311_row, c);
    buf_release(&b.sql);
    return rc;
}

int store_request_dispatch_case(struct db *db, int64_t case_id, int64_t org_unit_id,
                                int64_t assignee_user_id)
{
    return db_runf(db,
                   "UPDATE cases SET org_unit_id = CASE WHEN ?2 > 0 THEN ?2 ELSE org_unit_id END,"
                   " assignee_user_id = CASE WHEN ?3 > 0 THEN ?3 ELSE assignee_user_id END WHERE"
                   " id = ?1",
                   "iii", case_id, org_unit_id, assignee_user_id);
}

int store_request_pick_officer(struct db *db, int64_t org_unit_id, const char *const *roles, int n,
                               int64_t *user_id)
{
    struct qb b;
    qb_init(&b);
    buf_printf(&b.sql,
               "SELECT u.id FROM users u WHERE u.org_unit_id = ?%d AND u.status = 'active' AND"
               " u.role IN (",
               qb_int(&b, org_unit_id));
    for (int i = 0; i < n; i++) {
        buf_printf(&b.sql, "%s?%d", i ? ", " : "", qb_text(&b, roles[i]));
    }
    buf_puts(&b.sql, ") ORDER BY (SELECT COUNT(*) FROM cases c WHERE c.assignee_user_id = u.id AND"
                     " c.type = 'request' AND c.is_open = 1), u.id LIMIT 1");
    struct db_stmt *st;
    *user_id = 0;
    int rc = n ? qb_prepare(db, &b, &st) : 0;
    rc = rc || !n ? rc : db_step_id(st, user_id);
    buf_release(&b.sql);
    return rc;
}

int store_request_case_unit(struct db *db, int64_t case_id, int64_t *org_unit_id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT COALESCE(org_unit_id, 0) FROM cases WHERE id = ?1", "i",
                       case_id);
    *org_unit_id = 0;
    return rc ? rc : db_step_id(st, org_unit_id);
}

static const char *const KINDS[] = {"request", "complaint", NULL};

static const struct field_def request_fields[] = {
    {"tracking_code", FK_TEXT, FF_SERVER | FF_SORT | FF_SEARCH, 24, NULL, 0, 0},
    {"kind", FK_ENUM, FF_SERVER | FF_FILTER, 12, KINDS, 0, 0},
    {"received_at", FK_TEXT, FF_SERVER | FF_SORT, 32, NULL, 0, 0},
};

int store_request_row_visible(const struct scope *sc, const struct request_row *row)
{
    if (sc->kind == SCOPE_ENTERPRISE) {
        /* its own requests only: a complaint about the enterprise is not the enterprise's to
           read (the complainant's contact, the facts under investigation) */
        return row->enterprise_id && row->enterprise_id == sc->enterprise_id &&
                       !strcmp(row->kind, "request")
                   ? 0
                   : ERR_NOTFOUND;
    }
    return store_scope_allows(sc, row->enterprise_id, row->region_code) ? 0 : ERR_NOTFOUND;
}

/* The attachments' rule (decision 105 as amended): the request's own visibility. */
int store_request_attach_visible(struct db *db, const struct scope *sc, int64_t id,
                                 int64_t *enterprise_id)
{
    struct request_row row;
    int rc = id > 0 ? store_request_get(db, id, &row) : ERR_NOTFOUND;
    rc = rc ? rc : store_request_row_visible(sc, &row);
    *enterprise_id = !rc && !strcmp(row.kind, "request") ? row.enterprise_id : 0;
    return rc;
}

const struct entity_def ENTITY_REQUEST = {
    "request",
    "requests",
    "t.id, t.tracking_code, t.kind, t.category, t.state, t.enterprise_id, t.region_code,"
    " t.received_at",
    request_fields,
    sizeof request_fields / sizeof request_fields[0],
    NULL, /* a complaint has no owning enterprise: the visible hook scopes attachments */
    NULL,
    "-id",
    NULL,
    NULL};

const struct audit_kind request_audit_kinds[] = {
    {"request", "(SELECT tracking_code || ' · ' || title FROM requests WHERE id = ?5)",
     "SELECT id FROM requests WHERE enterprise_id = ?1"},
    {"open311_key", "(SELECT name FROM open311_keys WHERE id = ?5)", NULL},
    {0},
};

int store_request_photo_count(struct db *db, int64_t id, int64_t *n)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT COUNT(*) FROM attachments WHERE entity = 'request' AND entity_id ="
                       " ?1",
                       "i", id);
    *n = 0;
    return rc ? rc : db_step_id(st, n);
}

int store_request_public_regions_json(struct db *db, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT r.code, r.name FROM regions r WHERE r.level = 3 AND EXISTS (SELECT"
                       " 1 FROM org_unit_regions o WHERE o.region_code = r.code OR o.region_code ="
                       " r.parent_code) ORDER BY r.code LIMIT 200",
                       "");
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 200, out, &n);
    db_done(st);
    return rc;
}

int store_request_dashboard(struct db *db, const struct scope *sc, const char *now, struct buf *out)
{
    struct qb b;
    qb_init(&b);
    int n = qb_text(&b, now);
    buf_printf(&b.sql,
               "SELECT COALESCE(SUM(CASE WHEN t.state = 'received' THEN 1 ELSE 0 END), 0),"
               " COALESCE(SUM(CASE WHEN t.state = 'received' AND t.accept_due_at < ?%d THEN 1"
               " ELSE 0 END), 0), COUNT(*), COALESCE(SUM(CASE WHEN c.stopped_at = 0 AND"
               " c.paused_at = 0 AND c.due_at <= ?%d THEN 1 ELSE 0 END), 0),"
               " COALESCE(SUM(CASE WHEN c.stopped_at = 0 AND c.paused_at = 0 AND c.due_at > ?%d"
               " AND c.soon_at <= ?%d THEN 1 ELSE 0 END), 0) FROM requests t LEFT JOIN cases c ON"
               " c.id = t.case_id WHERE t.state NOT IN ('closed', 'rated', 'rejected',"
               " 'referred')",
               n, n, n, n);
    qb_scope(&b, sc, "t.enterprise_id", "t.region_code");
    struct db_stmt *st;
    int64_t v[5] = {0};
    int rc = qb_prepare(db, &b, &st);
    if (!rc) {
        int s = db_step(st);
        if (s == DB_ROW) {
            for (int i = 0; i < 5; i++) {
                v[i] = db_column_int(st, i);
            }
        }
        db_done(st);
        rc = s < 0 ? s : 0;
    }
    buf_release(&b.sql);
    buf_printf(out,
               ",\"requests\":{\"to_accept\":%lld,\"accept_overdue\":%lld,\"open\":%lld,"
               "\"overdue\":%lld,\"due_soon\":%lld}",
               (long long)v[0], (long long)v[1], (long long)v[2], (long long)v[3], (long long)v[4]);
    return rc;
}
