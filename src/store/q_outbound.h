/*
** Named queries of outbound messages (outbound_messages, migration 025): what any module
** enqueues for the monitor's delivery thread (src/monitor/notify.c) to send by webhook or SMS,
** the due ones with their lease, each attempt's result, a resend by hand and the delivery log.
*/
#ifndef ENVGOV_STORE_Q_OUTBOUND_H
#define ENVGOV_STORE_Q_OUTBOUND_H

#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

/* The delivery log as an entity (admin list: sort, filter, page). */
extern const struct entity_def ENTITY_OUTBOUND;

/* Insert a pending message due at now; *id gets it. */
int store_outbound_insert(struct db *db, const char *channel, const char *event,
                          int64_t org_unit_id, const char *recipient, const char *body,
                          const char *source_kind, int64_t source_id, const char *now, int64_t *id);
/* The enabled webhook URL of an org unit into url ("" when it has none). */
int store_outbound_webhook_url(struct db *db, int64_t org_unit_id, char *url, size_t cap);
/* Pending messages due at now, oldest first, at most limit: row gets columns id, channel,
   event, recipient, body, attempts, secret (the org unit's webhook secret, "" for none). */
int store_outbound_due(struct db *db, const char *now, size_t limit, db_row_fn row, void *ctx);
int store_outbound_lease(struct db *db, int64_t id, const char *until);
int store_outbound_result(struct db *db, int64_t id, const char *status, int code,
                          const char *error, const char *next_at, const char *now);
/* Make a failed message pending and due now again; ERR_NOTFOUND when there is no such message,
   ERR_CONFLICT when it was sent, ERR_BUSY when it is still pending (queued, or leased by the
   sender and in flight: making it due again could send it twice). */
int store_outbound_resend(struct db *db, int64_t id, const char *now);
/* One message as JSON (the log's columns). */
int store_outbound_json(struct db *db, int64_t id, struct buf *out);

#endif
