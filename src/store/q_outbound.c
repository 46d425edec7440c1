/*
** Queries of outbound messages (see q_outbound.h).
*/
#include "store/q_outbound.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "store/backend.h"

static const char *const CHANNELS[] = {"webhook", "sms", NULL};
static const char *const STATUS[] = {"pending", "sent", "failed", NULL};

static const struct field_def outbound_fields[] = {
    {"channel", FK_ENUM, FF_SERVER | FF_FILTER | FF_SORT, 16, CHANNELS, 0, 0},
    {"status", FK_ENUM, FF_SERVER | FF_FILTER | FF_SORT, 16, STATUS, 0, 0},
    {"event", FK_TEXT, FF_SERVER | FF_FILTER | FF_SORT | FF_SEARCH, 48, NULL, 0, 0},
    {"recipient", FK_TEXT, FF_SERVER | FF_SEARCH, 512, NULL, 0, 0},
    {"source_kind", FK_TEXT, FF_SERVER | FF_FILTER, 32, NULL, 0, 0},
    {"created_at", FK_TEXT, FF_SERVER | FF_SORT, 32, NULL, 0, 0},
};

#define OUTBOUND_COLS                                                                              \
    "t.id, t.channel, t.event, t.org_unit_id, (SELECT name FROM org_units WHERE id ="              \
    " t.org_unit_id) AS org_unit_name, t.recipient, t.body, t.source_kind, t.source_id,"           \
    " t.status, t.attempts, t.next_at, t.last_code, t.last_error, t.created_at, t.done_at"

const struct entity_def ENTITY_OUTBOUND = {"outbound_message",
                                           "outbound_messages",
                                           OUTBOUND_COLS,
                                           outbound_fields,
                                           sizeof outbound_fields / sizeof outbound_fields[0],
                                           NULL,
                                           NULL,
                                           "-id",
                                           NULL,
                                           NULL};

int store_outbound_insert(struct db *db, const char *channel, const char *event,
                          int64_t org_unit_id, const char *recipient, const char *body,
                          const char *source_kind, int64_t source_id, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO outbound_messages (channel, event, org_unit_id, recipient,"
                       " body, source_kind, source_id, next_at, created_at) VALUES (?1, ?2,"
                       " CASE WHEN ?3 > 0 THEN ?3 END, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id",
                       "ttitttit", channel, event, org_unit_id, recipient, body, source_kind,
                       source_id, now);
    return rc ? rc : db_step_id(st, id);
}

int store_outbound_webhook_url(struct db *db, int64_t org_unit_id, char *url, size_t cap)
{
    url[0] = 0;
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT url FROM webhooks WHERE org_unit_id = ?1 AND enabled = 1",
                       "i", org_unit_id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_column_copy(st, 0, url, cap);
    }
    db_done(st);
    return s < 0 ? s : 0;
}

int store_outbound_due(struct db *db, const char *now, size_t limit, db_row_fn row, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT m.id, m.channel, m.event, m.recipient, m.body, m.attempts,"
                       " COALESCE((SELECT secret FROM webhooks WHERE org_unit_id ="
                       " m.org_unit_id), '') FROM outbound_messages m WHERE m.status ="
                       " 'pending' AND m.next_at <= ?1 ORDER BY m.next_at, m.id LIMIT ?2",
                       "ti", now, (int64_t)limit);
    return rc ? rc : db_each(st, row, ctx);
}

int store_outbound_lease(struct db *db, int64_t id, const char *until)
{
    return db_runf(db, "UPDATE outbound_messages SET next_at = ?2 WHERE id = ?1", "it", id, until);
}

int store_outbound_result(struct db *db, int64_t id, const char *status, int code,
                          const char *error, const char *next_at, const char *now)
{
    return db_runf(db,
                   "UPDATE outbound_messages SET status = ?2, attempts = attempts + 1,"
                   " last_code = ?3, last_error = ?4, next_at = COALESCE(?5, next_at), done_at ="
                   " CASE WHEN ?2 = 'pending' THEN NULL ELSE ?6 END WHERE id = ?1",
                   "itittt", id, status, (int64_t)code, error, next_at, now);
}

int store_outbound_resend(struct db *db, int64_t id, const char *now)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT status FROM outbound_messages WHERE id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    char status[16] = "";
    int s = db_step(st);
    if (s == DB_ROW) {
        db_column_copy(st, 0, status, sizeof status);
    }
    db_done(st);
    if (s < 0) {
        return s;
    }
    if (s != DB_ROW) {
        return ERR_NOTFOUND;
    }
    if (!strcmp(status, "sent")) {
        return ERR_CONFLICT;
    }
    if (strcmp(status, "failed")) {
        return ERR_BUSY; /* pending: queued or in flight, a resend now could send it twice */
    }
    return db_runf(db,
                   "UPDATE outbound_messages SET status = 'pending', next_at = ?2, done_at = NULL"
                   " WHERE id = ?1",
                   "it", id, now);
}

int store_outbound_json(struct db *db, int64_t id, struct buf *out)
{
    return store_entity_get(db, &ENTITY_OUTBOUND, NULL, id, out);
}
