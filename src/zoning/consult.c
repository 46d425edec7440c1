/*
** Pre-consultations (提前介入 / 招商咨询): filled in by the next commit.
*/
#include "zoning/internal.h"

void zoning_consult_routes(struct router *rt)
{
    (void)rt;
}

int zoning_consult_demo(struct db *db, const char *today, const char *now, size_t *n)
{
    (void)db, (void)today, (void)now;
    *n = 0;
    return 0;
}

int zoning_consult_get(struct db *db, int64_t id, struct zoning_consult *out)
{
    (void)db, (void)id, (void)out;
    return -2;
}

void zoning_consult_free(struct zoning_consult *c)
{
    (void)c;
}
