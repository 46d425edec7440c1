/*
** Outbound messages (see outbound.h): the enqueue every module calls and the pure parts of the
** delivery (retry schedule, the SMS gateway's payload) that notify.c uses.
*/
#include "monitor/outbound.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/settings.h"
#include "http/json.h"
#include "store/q_outbound.h"

int64_t notify_retry_delay(int64_t base_s, int attempts)
{
    if (attempts < 0) {
        attempts = 0;
    }
    return base_s << (attempts < 16 ? attempts : 16);
}

const char *notify_status_after(bool ok, int attempts, int max_attempts)
{
    return ok ? "sent" : attempts + 1 >= max_attempts ? "failed" : "pending";
}

void outbound_sms_payload(struct buf *out, int64_t id, const char *to, const char *text,
                          const char *sign)
{
    char head[128] = "";
    if (sign && *sign) {
        snprintf(head, sizeof head, "【%s】", sign);
    }
    buf_putc(out, '{');
    json_kv_int(out, "id", id, false);
    json_kv_str(out, "to", to, true);
    buf_puts(out, ",\"text\":");
    struct buf t;
    buf_init(&t, 4096);
    if (head[0] && strncmp(text, head, strlen(head))) {
        buf_puts(&t, head);
    }
    buf_puts(&t, text);
    buf_json_str(out, t.p, t.len);
    buf_release(&t);
    json_kv_str(out, "sign", sign ? sign : "", true);
    buf_putc(out, '}');
}

int outbound_enqueue(struct db *db, const char *channel, const char *event, int64_t org_unit_id,
                     const char *recipient, const char *body, const char *source_kind,
                     int64_t source_id, const char *now, int64_t *id)
{
    *id = 0;
    if (!channel || !event || !body) {
        return ERR_INPUT;
    }
    char url[512];
    if (!strcmp(channel, "webhook")) {
        if (org_unit_id < 1) {
            return 0;
        }
        int rc = store_outbound_webhook_url(db, org_unit_id, url, sizeof url);
        if (rc || !url[0]) {
            return rc;
        }
        recipient = url;
    } else if (!strcmp(channel, "sms")) {
        if (!recipient || !*recipient || !*settings_get("sms_gateway_url")) {
            return 0;
        }
        if (strlen(body) > 500) {
            return ERR_INPUT;
        }
    } else {
        return ERR_INPUT;
    }
    return store_outbound_insert(db, channel, event, org_unit_id, recipient, body,
                                 source_kind ? source_kind : "", source_id, now, id);
}
