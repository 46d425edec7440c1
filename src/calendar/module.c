/*
** The calendar module's descriptor: the working-day calendar's routes (the calendar itself is
** loaded when a command opens the store, platform/refdata.c).
*/
#include "calendar/calendar_api.h"
#include "core/util.h"
#include "store/store.h"

const struct module calendar_module = {
    .name = "calendar",
    .routes = calendar_routes,
    .audit_kinds = calendar_audit_kinds,
};
