/*
** The emergency module's descriptor: its routes, its audit-log kinds and the entity whose
** attachments are a grade's evidence. The rule set it reads (emergency.levels) is seeded by the
** rules module from data/rules/.
*/
#include "core/buf.h"
#include "emergency/emergency.h"
#include "platform/platform.h"
#include "store/q_emergency.h"

static int demo(struct db *db, const char *today, struct buf *summary)
{
    int n = 0;
    int rc = store_emergency_demo(db, today, &n);
    if (!rc) {
        buf_printf(summary, ", %d firms graded for heavy-pollution alerts", n);
    }
    return rc;
}

/* The grade's evidence files: the grade row has no id of its own (the enterprise's is its key),
   so its attachments are scoped by a visible hook, registered before the first request. */
static void routes(struct router *rt)
{
    attach_visible_register("emergency_grade", store_emergency_grade_attach_visible);
    emergency_routes(rt);
}

static const struct entity_def *const attachables[] = {&ENTITY_EMERGENCY_GRADE, NULL};

const struct module emergency_module = {
    .name = "emergency",
    .routes = routes,
    .audit_kinds = emergency_audit_kinds,
    .dashboard = emergency_dashboard,
    .demo = demo,
    .attachables = attachables,
};
