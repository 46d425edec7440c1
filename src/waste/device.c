/*
** The warehouses' and smart scales' endpoint, POST /api/v1/waste/device/events: the device
** names itself by its token (Authorization: Device <token>; the database keeps only the token's
** SHA-256), each event carries the device's own event_id, and a repeated event_id gets the first
** answer again (duplicate: true) without a second record. A weighing (generate, weight_kg or
** amount_t) or movement (store_in / store_out of a producing batch) is one ledger record, written
** with the event and an audit row in one transaction; the answer goes out after the commit.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "http/json.h"
#include "platform/app.h"
#include "platform/entity.h"
#include "store/q_waste.h"
#include "waste/internal.h"

#define EVENT_ID_MAX 64

/* The device of the request's token, or a 401 answered. */
static int device_of(struct req *r, struct db *db, int64_t *id, int64_t *site, char name[64])
{
    const char *authz = req_header(r, "Authorization");
    if (!authz || strncmp(authz, "Device ", 7) || strlen(authz) > 200) {
        resp_error(r, 401, "unauthenticated",
                   "缺少设备令牌（Authorization: Device <token>） / the device token is missing",
                   "Authorization");
        return ERR_AUTH;
    }
    char hash[65];
    sha256_hex(authz + 7, strlen(authz + 7), hash);
    int rc = store_waste_device_by_hash(db, hash, id, site, name);
    if (rc == ERR_NOTFOUND) {
        resp_error(r, 401, "unauthenticated", "设备令牌无效 / the device token is not valid",
                   "Authorization");
        return ERR_AUTH;
    }
    return rc;
}

static int answer_event(struct req *r, struct db *db, int64_t device, int64_t site,
                        const char *dev_name, json_t *o, const char *event_id)
{
    struct waste_record_in in;
    /* the same checks as a person's record, devices limited to weighing and moving */
    int rc = waste_record_input(r, o, true, &in);
    if (rc) {
        return rc;
    }
    char now[32], err[300] = "";
    time_iso(wall_ms() / 1000, now);
    in.device_id = device;
    int64_t id = 0;
    const char *field = NULL;
    rc = waste_record_add(db, r->a, site, &in, now, &id, &field, err, sizeof err);
    if (rc) {
        waste_refusal(r, rc, field, err);
        return rc;
    }
    buf_printf(&r->out,
               "{\"event_id\":\"%s\",\"record_id\":%lld,\"kind\":\"%s\",\"batch_no\":\"%s\","
               "\"source_batch\":\"%s\",\"amount_t\":%.6f,\"in_store_t\":%.6f}",
               event_id, (long long)id, waste_kind_code[in.kind], in.batch_out, in.source_out,
               in.amount_t, in.in_store_t);
    rc = store_waste_event_insert(db, device, event_id, id, r->out.p, now);
    rc = rc ? rc : store_waste_device_touch(db, device, now);
    if (!rc) {
        char actor[96];
        snprintf(actor, sizeof actor, "device:%s", dev_name);
        struct audit_entry a = {0,    actor,    "waste_record", id,   "waste_device_event",
                                NULL, r->out.p, r->request_id,  r->ip};
        rc = store_audit_add(db, &a);
    }
    return rc;
}

static bool event_id_ok(const char *s)
{
    for (; *s; s++) {
        if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
              *s == '-' || *s == '_' || *s == '.' || *s == ':')) {
            return false;
        }
    }
    return true;
}

int api_device_event(struct req *r)
{
    json_t *o;
    struct db *db;
    if (req_json_object(r, &o)) {
        return 0;
    }
    const char *event_id = NULL;
    if (json_get_str(r, o, "event_id", EVENT_ID_MAX, true, &event_id)) {
        json_decref(o);
        return 0;
    }
    if (!*event_id || !event_id_ok(event_id)) {
        json_decref(o);
        return resp_error(r, 422, "invalid",
                          "event_id 为 1–64 个字母、数字或 -_.: / event_id takes 1-64 letters, "
                          "digits or -_.:",
                          "event_id");
    }
    int rc = store_begin(app.store, &db);
    if (rc) {
        json_decref(o);
        return resp_err(r, rc, NULL, NULL);
    }
    int64_t device = 0, site = 0;
    char name[64] = "";
    rc = device_of(r, db, &device, &site, name);
    if (!rc) {
        buf_puts(&r->out, "{\"duplicate\":true,");
        size_t mark = r->out.len;
        int k = store_waste_event_get(db, device, event_id, &r->out);
        if (k == 0 && r->out.len > mark) {
            /* the first answer again: "{" of the stored object dropped after our own */
            memmove(r->out.p + mark, r->out.p + mark + 1, r->out.len - mark - 1);
            r->out.len--;
            r->out.p[r->out.len] = 0;
            store_rollback(app.store, db);
            json_decref(o);
            return resp_json(r, 200);
        }
        buf_reset(&r->out);
        rc = k == ERR_NOTFOUND ? answer_event(r, db, device, site, name, o, event_id) : k;
    }
    json_decref(o);
    if (rc == ERR_CONFLICT && !r->status) {
        /* the same event_id committed by a concurrent request: the device asks again */
        store_rollback(app.store, db);
        return resp_error(r, 409, "in_progress",
                          "该事件正在处理，请重发 / the event is being stored, send it again",
                          "event_id");
    }
    return entity_finish_write(r, db, rc, 201);
}
