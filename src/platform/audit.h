/*
** Audit rows for writes made on behalf of a request: actor, request id and IP come from r.
*/
#ifndef ENVGOV_PLATFORM_AUDIT_H
#define ENVGOV_PLATFORM_AUDIT_H

#include "http/http.h"

/* Insert one audit row inside the caller's transaction. before/after are JSON or NULL. */
int audit_write(struct req *r, struct db *db, const char *entity, int64_t entity_id,
                const char *action, const char *before_json, const char *after_json);
void audit_routes(struct router *rt);

#endif
