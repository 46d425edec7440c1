/*
** The outbound delivery log (admin): every queued webhook call and SMS with its attempts, last
** answer and error (sort, filter, page), one message, and a resend by hand of a failed one,
** which makes it due now again (a pending one is queued or in flight: never resent). The monitor's
*thread sends them (notify.c).
*/
#include <stdio.h>

#include "core/err.h"
#include "core/util.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/entity.h"
#include "service/internal.h"
#include "store/q_outbound.h"

static const struct entity_api OUTBOUND = {
    .def = &ENTITY_OUTBOUND, .read_roles = ROLE_ADMIN, .write_roles = 0};

static int api_list(struct req *r)
{
    return entity_list(r, &OUTBOUND, 0);
}

static int api_get(struct req *r)
{
    return entity_get(r, &OUTBOUND, req_id(r, 0));
}

static int api_resend(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct buf before;
    buf_init(&before, 1 << 18);
    rc = id > 0 ? store_outbound_json(db, id, &before) : ERR_NOTFOUND;
    rc = rc ? rc : store_outbound_resend(db, id, now);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 404, "not_found", "没有该消息 / no such message", "id");
    } else if (rc == ERR_CONFLICT) {
        resp_error(r, 409, "already_sent", "该消息已发送成功 / the message was already sent", "id");
    } else if (rc == ERR_BUSY) {
        resp_error(r, 409, "still_pending",
                   "该消息仍在发送队列中，失败后才能重发 / the message is still queued; only a "
                   "failed message can be resent",
                   "id");
        rc = ERR_CONFLICT;
    }
    rc = rc ? rc : store_outbound_json(db, id, &r->out);
    rc = rc ? rc : audit_write(r, db, "outbound_message", id, "resend", before.p, r->out.p);
    buf_release(&before);
    return entity_finish_write(r, db, rc, 200);
}

static const struct route routes[] = {
    {"GET", "/api/v1/outbound", ROLE_ADMIN, api_list, 0,
     "Outbound delivery log: webhook calls and SMS of every module (sort, filter, page)"},
    {"GET", "/api/v1/outbound/{id}", ROLE_ADMIN, api_get, 0, "One outbound message"},
    {"POST", "/api/v1/outbound/{id}/resend", ROLE_ADMIN, api_resend, 0,
     "Send a failed outbound message again (due now)"},
};

void service_outbound_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
