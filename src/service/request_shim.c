/* TEMPORARY shim: the request module is not on main yet; this implements src/request/request.h as
 * "no requests" so service builds. Delete it when src/request/ (its .c files) is merged. */
#include <stdio.h>

#include "core/err.h"
#include "request/request.h"

int request_open_for_enterprise(struct db *db, int64_t enterprise_id, int max, struct buf *out)
{
    (void)db;
    (void)enterprise_id;
    if (max < 1 || max > 500) {
        return ERR_INPUT;
    }
    buf_puts(out, "[]");
    return 0;
}

int request_open_count(struct db *db, int64_t enterprise_id, int64_t *count)
{
    (void)db;
    (void)enterprise_id;
    *count = 0;
    return 0;
}

int request_near(struct db *db, double lat, double lng, double radius_m, const char *since, int max,
                 struct buf *out)
{
    (void)db;
    (void)since;
    if (!(radius_m > 0 && radius_m <= 50000) || lat < -90 || lat > 90 || lng < -180 || lng > 180 ||
        max < 1 || max > 500) {
        return ERR_INPUT;
    }
    buf_puts(out, "[]");
    return 0;
}
