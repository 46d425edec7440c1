/*
** Audit writes on behalf of requests, and the audit-log viewer route.
*/
#include "platform/audit.h"

#include <string.h>

#include "core/err.h"
#include "platform/app.h"

int audit_write(struct req *r, struct db *db, const char *entity, int64_t entity_id,
                const char *action, const char *before_json, const char *after_json)
{
    struct audit_entry a = {
        r->who ? r->who->user_id : 0,
        r->who ? r->who->username : "anonymous",
        entity,
        entity_id,
        action,
        before_json,
        after_json,
        r->request_id,
        r->ip,
    };
    return store_audit_add(db, &a);
}

static int64_t query_int(struct req *r, const char *name)
{
    const char *v = req_query(r, name);
    int64_t n = 0;
    if (v && parse_i64(v, strlen(v), &n)) {
        return -1;
    }
    return n;
}

static int api_audit_list(struct req *r)
{
    struct audit_query q = {0};
    q.entity = req_query(r, "entity");
    q.action = req_query(r, "action");
    q.from = req_query(r, "from");
    q.to = req_query(r, "to");
    q.entity_id = query_int(r, "entity_id");
    q.actor_id = query_int(r, "actor_id");
    q.before_id = query_int(r, "cursor");
    int64_t limit = query_int(r, "limit");
    q.limit = limit > 0 && limit <= 500 ? (size_t)limit : 50;
    if (q.entity_id < 0 || q.actor_id < 0 || q.before_id < 0 || limit < 0) {
        return resp_error(r, 422, "invalid", "参数应为整数 / parameters must be integers", NULL);
    }
    struct db *db = store_read(app.store);
    int rc = store_audit_list(db, &q, &r->out);
    store_release(app.store, db);
    return rc ? resp_err(r, rc, NULL, NULL) : resp_json(r, 200);
}

static const struct route routes[] = {
    {"GET", "/api/v1/audit", ROLE_ADMIN | ROLE_LEADER, api_audit_list, 0, "Audit log"},
};

void audit_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
