/*
** The emergency module's descriptor: its routes, its audit-log kinds and the entity whose
** attachments are a grade's evidence. The rule set it reads (emergency.levels) is seeded by the
** rules module from data/rules/.
*/
#include "emergency/emergency.h"
#include "store/q_emergency.h"

const struct module emergency_module = {
    .name = "emergency",
    .routes = emergency_routes,
    .audit_kinds = emergency_audit_kinds,
    .dashboard = emergency_dashboard,
};
