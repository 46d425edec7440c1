/*
** The rectify hub's descriptor: the rectification workflow's routes and case type (registered
** at start), the records
** it writes to the audit log, the entities that take attachments (a problem's photos, an
** order's evidence) and its setting.
*/
#include "core/util.h"
#include "rectify/rectify.h"
#include "rectify/workflow.h"
#include "store/q_rectify.h"

static int start(char *err, size_t errcap)
{
    (void)err;
    (void)errcap;
    rectify_case_register();
    return 0;
}

static const struct setting_def settings[] = {
    {"rectify_default_workdays", "15", true,
     "working days a rectification order gives when its issuer names none"},
};

static const struct entity_def *const attachables[] = {&ENTITY_PROBLEM, &ENTITY_RECTIFY_ORDER,
                                                       NULL};

const struct module rectify_module = {
    .name = "rectify",
    .routes = rectify_flow_routes,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .start = start,
    .audit_kinds = rectify_audit_kinds,
    .attachables = attachables,
};
