/*
** The calendar module's descriptor: the working-day calendar's routes (the calendar itself is
** loaded when a command opens the store, platform/refdata.c).
*/
#include "calendar/calendar_api.h"
#include "core/util.h"

static const struct module_record records[] = {
    {"calendar", NULL, NULL}, /* a year's holidays and make-up workdays */
};

const struct module calendar_module = {
    .name = "calendar",
    .routes = calendar_routes,
    .records = records,
    .n_records = ARRAY_LEN(records),
};
