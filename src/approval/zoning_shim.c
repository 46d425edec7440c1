/* TEMPORARY zoning shim (until src/zoning/zoning.c is on main): every site touches no unit and is
 * not sensitive; no pre-consultation exists. Delete when the zoning module merges. */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "zoning/zoning.h"

const char *zoning_verdict_name(enum zoning_verdict v)
{
    static const char *const N[] = {"no_unit", "allowed", "conditional", "forbidden"};
    return (unsigned)v < 4 ? N[v] : "";
}

int zoning_site_check(struct db *db, const struct zoning_check_req *q, struct zoning_answer *ans,
                      struct buf *out, const char **field)
{
    (void)db;
    memset(ans, 0, sizeof *ans);
    if (!q->geometry || !strstr(q->geometry, "coordinates")) {
        *field = "geometry";
        return ERR_INPUT;
    }
    ans->verdict = ZV_NO_UNIT;
    snprintf(ans->edition, sizeof ans->edition, "%s", "shim");
    buf_puts(out, "{\"edition\":\"shim\",\"verdict\":\"no_unit\",\"sensitive\":false,"
                  "\"units\":[],\"reasons\":[]}");
    return 0;
}

int zoning_consult_get(struct db *db, int64_t id, struct zoning_consult *out)
{
    (void)db;
    (void)id;
    memset(out, 0, sizeof *out);
    return ERR_NOTFOUND;
}

void zoning_consult_free(struct zoning_consult *c)
{
    (void)c;
}
