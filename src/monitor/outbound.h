/*
** Outbound messages for any module: enqueue a webhook call or an SMS in the caller's
** transaction; the monitor's delivery thread (notify.c) sends it at least once with the same
** retries, lease and delivery log as the alarm webhooks (outbound_messages, migration 025).
** The SMS gateway adapter POSTs {"id","to","text","sign"} as JSON to the sms_gateway_url
** setting (Authorization: Bearer sms_gateway_token when set); a 2xx answer is sent.
** See docs/internals/service.md.
*/
#ifndef ENVGOV_MONITOR_OUTBOUND_H
#define ENVGOV_MONITOR_OUTBOUND_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

/* Queue a message in the caller's transaction (db the writer), due now. channel "webhook":
   body (a JSON object) to org_unit_id's enabled webhook; "sms": body (the text, at most 500
   bytes) to recipient (a phone number). A channel with nowhere to go (no enabled webhook for
   the unit, no sms_gateway_url, no recipient) queues nothing: *id = 0. ERR_INPUT for an
   unknown channel or a bad body. */
int outbound_enqueue(struct db *db, const char *channel, const char *event, int64_t org_unit_id,
                     const char *recipient, const char *body, const char *source_kind,
                     int64_t source_id, const char *now, int64_t *id);

/* The wait before retry n (attempts made so far, from 0): base_s doubled per attempt, the
   doubling capped at 2^16. Pure. */
int64_t notify_retry_delay(int64_t base_s, int attempts);
/* The status after an attempt (attempts made before it): "sent" when ok, else "failed" when it
   was the last of max_attempts, else "pending". Pure. */
const char *notify_status_after(bool ok, int attempts, int max_attempts);
/* The SMS gateway's JSON body for message id to phone to with text, signed sign (【sign】 is
   put before the text unless it starts with it). Pure. */
void outbound_sms_payload(struct buf *out, int64_t id, const char *to, const char *text,
                          const char *sign);

#endif
